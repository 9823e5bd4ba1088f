/* static.h - static_ipaddress, static_routes and static_rules: installed
 * by the VRRP worker when it starts, whatever the state of its instances,
 * and removed when it stops (rules, then routes, then addresses, as
 * keepalived does; keepalived removes them at stop even with -V, and so
 * does vigil).
 *
 * A reload changes only the difference: an item that stays (the same
 * line, compared as the parser compares items) is not touched, so its
 * traffic never pauses; one that went is removed, one that came is
 * added. An item that cannot be installed (its interface does not exist
 * yet, its gateway is not reachable yet) is logged once and tried again
 * at every link or address event, and logged again when it succeeds.
 *
 * Ownership: the engine embeds one struct vrrp_static and lends it its
 * rtnetlink socket. It holds a reference on the model whose items it
 * installed (items point into it), dropped by static_stop() or replaced
 * at static_apply().
 */
#ifndef VIGIL_VRRP_STATIC_H
#define VIGIL_VRRP_STATIC_H

#include <stdbool.h>
#include <stddef.h>

#include "conf.h"

struct nl_sock;

enum static_kind { STATIC_ADDR, STATIC_ROUTE, STATIC_RULE };

struct static_item {
	enum static_kind kind;
	const struct node *cfg;        /* an ipaddr_item, route_item or rule_item */
	bool installed;
	bool reported;                 /* its failure was logged */
};

struct vrrp_static {
	struct nl_sock *nl;            /* the engine's */
	const struct config *model;    /* a reference, or NULL */
	struct static_item *items;
	size_t nitems;
};

/* Install cfg's static items (the first call) or move from the items
 * installed to cfg's (a reload), with nl for every change. */
void static_apply(struct vrrp_static *st, struct nl_sock *nl, const struct config *cfg);
/* Try the items that are not installed yet again (an interface or an
 * address appeared). Cheap when everything is installed. */
void static_retry(struct vrrp_static *st);
/* ifname went down or was deleted: the kernel dropped the addresses and
 * routes on it, so they count as not installed and static_retry() puts
 * them back when it is there again. */
void static_link_lost(struct vrrp_static *st, const char *ifname);
/* Remove every item and drop the model. */
void static_stop(struct vrrp_static *st);

#endif
