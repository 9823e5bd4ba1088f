/* vroute.h - virtual_routes: routes a master adds with its VIPs and
 * removes when it stops being master (rtnetlink, libnl-route). */
#ifndef VIGIL_VRRP_VROUTE_H
#define VIGIL_VRRP_VROUTE_H

#include <stdbool.h>

#include "conf.h"

struct nl_sock;

/* Add (replace) or delete one route; default_ifindex is used when the
 * route names no dev. 0 or a negative libnl error. */
int vroute_add(struct nl_sock *sk, const struct route_item *r, int default_ifindex);
int vroute_del(struct nl_sock *sk, const struct route_item *r, int default_ifindex);
/* The options of r that vigil does not install, as "encap, congctl", or
 * NULL when it installs all of them: logged once at start so that no
 * configured intent is dropped silently. */
const char *vroute_unsupported(const struct route_item *r, char *buf, size_t len);

#endif
