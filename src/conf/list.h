/* list.h - the one list shape of the configuration model.
 *
 * Every object that can appear more than once (an instance, a real
 * server, a virtual address line) starts with a struct node, so one set
 * of generic routines can parse, compare, dump and walk all of them. The
 * node also records which block_desc describes the object, because some
 * lists hold several kinds (a real server's checkers).
 */
#ifndef VIGIL_CONF_LIST_H
#define VIGIL_CONF_LIST_H

#include <stddef.h>

#include "diag.h"

struct block_desc;

struct node {
	struct node *next;
	const struct block_desc *desc;
	struct srcpos pos;     /* where it was written; not part of equality */
};

/* Objects with a name (vrrp_instance VI_1, vrrp_script chk) start with
 * this; head_name() and friends in kw.h parse, dump and compare it. */
struct named {
	struct node node;
	char *name;
};

struct list {
	struct node *first, *last;
	size_t n;
};

static inline void list_append(struct list *l, struct node *n)
{
	n->next = NULL;
	if (l->last)
		l->last->next = n;
	else
		l->first = n;
	l->last = n;
	l->n++;
}

/* for (LIST_EACH(struct vrrp_instance, vi, &cfg->vrrp_instances)) ... */
#define LIST_EACH(type, var, list) \
	type *var = (type *)(void *)(list)->first; var; \
	var = (type *)(void *)((struct node *)(void *)var)->next

#endif
