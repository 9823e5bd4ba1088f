/* monitor.h - rtnetlink events the VRRP engine reacts to: an interface's
 * link going down or up (tracked interfaces, Fault), an interface deleted
 * or created, an address being removed behind our back (a master puts its
 * VIP straight back) and addresses coming and going (the advert source).
 *
 * One netlink socket subscribed to link and address groups, read from
 * the libuv loop; messages are decoded here and handed to callbacks.
 */
#ifndef VIGIL_VRRP_MONITOR_H
#define VIGIL_VRRP_MONITOR_H

#include <stdbool.h>
#include <uv.h>

#include "addr.h"

struct nl_sock;

struct monitor_cbs {
	/* RTM_NEWLINK / RTM_DELLINK: exists is false for a deleted interface
	 * (an interface created again under its name comes with a new
	 * ifindex, which the engine follows by name). */
	void (*link)(void *data, int ifindex, const char *ifname, bool up, bool exists);
	void (*addr_deleted)(void *data, int ifindex, const struct vaddr *addr);
	/* RTM_NEWADDR: an advert source may be chosen from it. */
	void (*addr_added)(void *data, int ifindex, const struct vaddr *addr);
	void *data;
};

struct vrrp_monitor {
	struct nl_sock *sk;
	uv_poll_t poll;
	struct monitor_cbs cbs;
};

/* 0, or a negative libnl error (the engine then runs without events,
 * which it logs). */
int vrrp_monitor_open(struct vrrp_monitor *m, uv_loop_t *loop, const struct monitor_cbs *cbs);
/* Closes the poll handle (freed by libuv) and the socket. */
void vrrp_monitor_close(struct vrrp_monitor *m);

#endif
