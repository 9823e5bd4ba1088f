/* static.c - static addresses, routes and rules; see static.h. */
#include "static.h"

#include <net/if.h>
#include <netlink/errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kw.h"
#include "log.h"
#include "vip.h"
#include "vroute.h"
#include "vrule.h"

static const char *const kind_name[] = { "static_ipaddress", "static_routes", "static_rules" };

/* The interface an item needs, or NULL. */
static const char *dev_of(const struct static_item *it, const struct config *cfg)
{
	switch (it->kind) {
	case STATIC_ADDR: {
		const struct ipaddr_item *a = (const void *)it->cfg;
		return a->dev ? a->dev : cfg->global.default_interface ? cfg->global.default_interface
								    : "eth0";
	}
	case STATIC_ROUTE:
		return ((const struct route_item *)(const void *)it->cfg)->dev;
	case STATIC_RULE:
		break;     /* iif/oif are names: the kernel keeps such a rule inactive */
	}
	return NULL;
}

static void describe(const struct static_item *it, char *buf, size_t len)
{
	char a[VADDR_STRLEN];
	switch (it->kind) {
	case STATIC_ADDR:
		snprintf(buf, len, "address %s", vaddr_format(&((const struct ipaddr_item *)
								(const void *)it->cfg)->addr, a, sizeof(a)));
		break;
	case STATIC_ROUTE:
		snprintf(buf, len, "route %s", vaddr_format(&((const struct route_item *)
							      (const void *)it->cfg)->dst, a, sizeof(a)));
		break;
	case STATIC_RULE: {
		const struct rule_item *r = (const void *)it->cfg;
		if (r->priority >= 0)
			snprintf(buf, len, "rule %lld", (long long)r->priority);
		else
			snprintf(buf, len, "rule");
		break;
	}
	}
}

/* 0, or a negative libnl error with *why (a reason of our own) or NULL. */
static int item_change(struct vrrp_static *st, const struct static_item *it, bool add,
		       const char **why)
{
	const char *dev = dev_of(it, st->model);
	int ifindex = dev ? (int)if_nametoindex(dev) : 0;
	*why = NULL;
	if (add && dev && !ifindex) {
		*why = "its interface does not exist (yet)";
		return -1;
	}
	switch (it->kind) {
	case STATIC_ADDR: {
		struct vip_spec v;
		if (!add && !ifindex)
			return 0;      /* the interface went, and its addresses with it */
		vip_spec_from(&v, (const void *)it->cfg, ifindex);
		return add ? vip_add(st->nl, &v) : vip_del(st->nl, &v);
	}
	case STATIC_ROUTE: {
		const struct route_item *r = (const void *)it->cfg;
		uint32_t id;
		if ((r->table.set && !rtid_resolve(&r->table, RTID_TABLE, &id)) ||
		    (r->protocol.set && !rtid_resolve(&r->protocol, RTID_PROTO, &id))) {
			*why = "its table or protocol name is not in iproute2's rt_tables / rt_protos";
			return -NLE_INVAL;
		}
		return add ? vroute_add(st->nl, r, 0) : vroute_del(st->nl, r, 0);
	}
	case STATIC_RULE: {
		const struct rule_item *r = (const void *)it->cfg;
		return add ? vrule_add(st->nl, r, why) : vrule_del(st->nl, r, why);
	}
	}
	return 0;
}

static void install(struct vrrp_static *st, struct static_item *it)
{
	char what[96];
	const char *why;
	int err = item_change(st, it, true, &why);
	describe(it, what, sizeof(what));
	if (err >= 0) {
		it->installed = true;
		if (it->reported)
			log_msg(LOG_INFO, "%s line %u: %s installed", kind_name[it->kind],
				it->cfg->pos.line, what);
		it->reported = false;
		return;
	}
	if (it->reported)
		return;
	it->reported = true;
	log_msg(LOG_WARNING, "%s line %u: cannot install %s: %s; tried again when an "
		"interface or address appears", kind_name[it->kind], it->cfg->pos.line, what,
		why ? why : vip_strerror(err));
}

static void uninstall(struct vrrp_static *st, struct static_item *it)
{
	char what[96];
	const char *why;
	if (!it->installed)
		return;
	int err = item_change(st, it, false, &why);
	it->installed = false;
	if (err < 0) {
		describe(it, what, sizeof(what));
		log_msg(LOG_ERR, "%s line %u: cannot remove %s: %s", kind_name[it->kind],
			it->cfg->pos.line, what, why ? why : vip_strerror(err));
	}
}

static const struct list *list_of(const struct config *cfg, enum static_kind k)
{
	return k == STATIC_ADDR ? &cfg->static_addresses
	     : k == STATIC_ROUTE ? &cfg->static_routes : &cfg->static_rules;
}

static bool same_item(const struct node *a, const struct node *b)
{
	return a->desc == b->desc && a->desc->item_eq(a, b);
}

/* The item of the old set that equals n, taken (cfg NULL'd) so that two
 * equal lines in one file pair up one to one. */
static struct static_item *take_old(struct static_item *old, size_t nold, enum static_kind k,
				    const struct node *n)
{
	for (size_t i = 0; i < nold; i++)
		if (old[i].cfg && old[i].kind == k && same_item(old[i].cfg, n))
			return &old[i];
	return NULL;
}

void static_apply(struct vrrp_static *st, struct nl_sock *nl, const struct config *cfg)
{
	static const enum static_kind add_order[] = { STATIC_ADDR, STATIC_ROUTE, STATIC_RULE };
	size_t n = cfg->static_addresses.n + cfg->static_routes.n + cfg->static_rules.n;
	struct static_item *items = calloc(n ? n : 1, sizeof(*items));
	struct static_item *old = st->items;
	size_t nold = st->nitems, kept = 0, ni = 0;
	const struct config *old_model = st->model;

	if (!items)
		abort();
	st->nl = nl;
	/* What stays keeps its state; the rest of the old set is removed
	 * (rules, then routes, then addresses: each may depend on the next)
	 * with the old model, then the new lines are added in the opposite
	 * order with the new one. */
	for (size_t k = 0; k < 3; k++) {
		for (const struct node *node = list_of(cfg, add_order[k])->first; node;
		     node = node->next) {
			struct static_item *was = take_old(old, nold, add_order[k], node);
			items[ni] = (struct static_item){ add_order[k], node, false, false };
			if (was) {
				items[ni].installed = was->installed;
				items[ni].reported = was->reported;
				was->cfg = NULL;
				kept++;
			}
			ni++;
		}
	}
	for (size_t k = 3; k-- > 0;)
		for (size_t i = 0; i < nold; i++)
			if (old[i].cfg && old[i].kind == add_order[k])
				uninstall(st, &old[i]);
	free(old);
	st->items = items;
	st->nitems = ni;
	st->model = conf_ref(cfg);
	for (size_t i = 0; i < ni; i++)
		if (!items[i].installed)
			install(st, &items[i]);
	if (old_model && (nold || ni))
		log_msg(LOG_INFO, "static addresses/routes/rules: %zu kept, %zu removed, %zu added",
			kept, nold - kept, ni - kept);
	conf_unref(old_model);
}

void static_retry(struct vrrp_static *st)
{
	for (size_t i = 0; i < st->nitems; i++)
		if (!st->items[i].installed)
			install(st, &st->items[i]);
}

void static_link_lost(struct vrrp_static *st, const char *ifname)
{
	for (size_t i = 0; i < st->nitems; i++) {
		struct static_item *it = &st->items[i];
		const char *dev = dev_of(it, st->model);
		if (dev && strcmp(dev, ifname) == 0)
			it->installed = false;
	}
}

void static_stop(struct vrrp_static *st)
{
	for (size_t i = st->nitems; i-- > 0;)
		uninstall(st, &st->items[i]);
	free(st->items);
	st->items = NULL;
	st->nitems = 0;
	conf_unref(st->model);
	st->model = NULL;
}
