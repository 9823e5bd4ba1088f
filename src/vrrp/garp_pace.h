/* garp_pace.h - spacing gratuitous ARPs and unsolicited NAs on an
 * interface: global_defs vrrp_garp_interval / vrrp_gna_interval, or the
 * garp_interval / gna_interval of the garp_group that names the interface
 * (keepalived's rule: the group's wins).
 *
 * Some switches (and their ARP inspection) drop or punish a burst of
 * gratuitous ARPs; keepalived lets the operator space every message sent
 * on an interface, whichever instance sends it. So here: an interface
 * with an interval sends at most one message per interval, the others
 * wait in a queue, in order; one with none sends at once, as before.
 *
 * Ownership: the engine holds one garp_pacer; garp_pace_close() frees
 * its queues and closes its timers (memory released from the loop). */
#ifndef VIGIL_VRRP_GARP_PACE_H
#define VIGIL_VRRP_GARP_PACE_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "addr.h"
#include "conf.h"
#include "garp.h"

#define GARP_PACE_QUEUE_MAX 4096   /* per interface; beyond, the oldest go */

struct garp_pace_if;

struct garp_pacer {
	uv_loop_t *loop;
	const struct garp_sockets *socks;
	struct garp_pace_if *ifs;      /* one per interface and family in use */
	uint64_t dropped;              /* queue overflows */
};

void garp_pace_init(struct garp_pacer *p, uv_loop_t *loop, const struct garp_sockets *socks);

/* The interval for ifname and family (AF_INET: gratuitous ARP, AF_INET6:
 * NA) under cfg, in microseconds; 0: none. Pure. */
uint64_t garp_pace_interval(const struct config *cfg, const char *ifname, int family);

/* Announce addr on ifindex from mac: now, or queued behind the
 * interface's earlier messages when it has an interval under cfg (the
 * interface's name is looked up only when a garp_group could name it).
 * Returns what the send returned (0 or -errno), or 0 when queued. */
int garp_pace_send(struct garp_pacer *p, const struct config *cfg, int ifindex,
		   const uint8_t mac[6], const struct vaddr *addr);

void garp_pace_close(struct garp_pacer *p);

#endif
