/* reconcile.h - the IPVS table vigil wants, and the fewest operations
 * that make the kernel's table equal to it.
 *
 * Two pure steps, no kernel and no logging:
 *   1. ipvs_desired(): from the configuration model and the checkers'
 *      verdicts, the table vigil wants (services with their
 *      destinations): a failed real server is left out, or kept with
 *      weight 0 under inhibit_on_failure; the sorry_server replaces the
 *      real servers when fewer than quorum are up (quorum, hysteresis);
 *      virtual_server_group entries expand into one service each
 *      (address ranges, fwmarks); alpha makes a real server start down.
 *   2. ipvs_diff(): desired vs a dump of the kernel's table (and the set
 *      of entries vigil owns) into a list of add / edit / delete
 *      operations, in an order the kernel accepts (services before their
 *      destinations when adding, destinations before services when
 *      deleting). Entries that already match are left alone (a restart or
 *      reload adopts them, so live connections survive); entries vigil
 *      does not own are never touched.
 */
#ifndef VIGIL_IPVS_RECONCILE_H
#define VIGIL_IPVS_RECONCILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "ipvs.h"

/* One service with its destinations. */
struct ipvs_entry {
	struct ipvs_service svc;
	struct ipvs_dest *dests;
	size_t ndests;
	const struct virtual_server *vs;  /* where it came from (NULL in a dump) */
};

struct ipvs_table {
	struct ipvs_entry *entries;
	size_t n;
};

/* The checkers' view of one real server, looked up by the caller's
 * function: is it up, and with what weight (misc_dynamic, FILE_CHECK). */
struct rs_verdict {
	bool up;
	int32_t weight;            /* -1: the configured weight */
};
typedef struct rs_verdict (*rs_verdict_fn)(const struct virtual_server *vs,
					   const struct real_server *rs, void *data);

/* The table the configuration wants; verdict may be NULL (every real
 * server up, except those with alpha, which start down). Returns 0, or
 * -ENOMEM. Free with ipvs_table_free(). */
int ipvs_desired(const struct config *cfg, rs_verdict_fn verdict, void *data,
		 struct ipvs_table *out);
void ipvs_table_free(struct ipvs_table *t);

enum ipvs_op_kind {
	IPVS_OP_ADD_SERVICE, IPVS_OP_EDIT_SERVICE, IPVS_OP_DEL_SERVICE,
	IPVS_OP_ADD_DEST, IPVS_OP_EDIT_DEST, IPVS_OP_DEL_DEST,
};

struct ipvs_op {
	enum ipvs_op_kind kind;
	struct ipvs_service svc;   /* the service (for dest ops: the one it belongs to) */
	struct ipvs_dest dest;     /* dest ops only */
};

struct ipvs_ops {
	struct ipvs_op *ops;
	size_t n;
};

/* Which kernel entries vigil may change or delete: those it created, or
 * adopted because the configuration asks for them. NULL: every entry
 * in the desired table's services is vigil's, and services not in the
 * desired table are not (they are left alone). */
typedef bool (*ipvs_owned_fn)(const struct ipvs_service *svc, const struct ipvs_dest *dest,
			      void *data);

/* The operations that turn current into desired. Pure; -ENOMEM or 0. */
int ipvs_diff(const struct ipvs_table *desired, const struct ipvs_table *current,
	      ipvs_owned_fn owned, void *data, struct ipvs_ops *out);
void ipvs_ops_free(struct ipvs_ops *ops);
/* "add service [10.0.0.1]:tcp:80", "edit dest [10.0.0.2]:80 in ..." */
const char *ipvs_op_describe(const struct ipvs_op *op, char *buf, size_t len);

#endif
