/* vip.h - adding and removing virtual addresses through rtnetlink.
 *
 * A master adds its VIPs with a finite kernel lifetime (valid_lft and
 * preferred_lft) and refreshes it while it stays master. If the whole
 * daemon is killed with SIGKILL nobody removes the addresses, but the
 * kernel does once the lifetime runs out: a dead node stops answering ARP
 * for an address the new master owns. keepalived leaves the VIP behind in
 * that case.
 */
#ifndef VIGIL_VRRP_VIP_H
#define VIGIL_VRRP_VIP_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "conf.h"

struct nl_sock;

/* What one address line asks for, resolved to an interface index. */
struct vip_spec {
	int ifindex;
	struct vaddr addr;        /* prefix in addr.prefix when addr.has_prefix */
	struct vaddr peer;        /* family 0 when none */
	struct vaddr brd;         /* family 0 when none */
	const char *label;        /* NULL when none */
	int scope;                /* RT_SCOPE_*; -1 for the kernel's default */
	bool nodad, noprefixroute, home, mngtmpaddr, autojoin;
	uint32_t lifetime_s;      /* 0: permanent (forever) */
	int64_t preferred_lft;    /* seconds (capped at lifetime_s); -1: not given */
};

/* The spec of an address line (virtual or static) on ifindex: brd - / +
 * computed, every flag copied, permanent (lifetime_s 0). */
void vip_spec_from(struct vip_spec *v, const struct ipaddr_item *it, int ifindex);

/* One rtnetlink socket for address changes; NULL with *err set on failure. */
struct nl_sock *vip_socket_open(int *err);
void vip_socket_close(struct nl_sock *sk);

/* Add, or replace (which is how a lifetime is refreshed). 0 or a negative
 * libnl error code; vip_strerror() turns it into text. */
int vip_add(struct nl_sock *sk, const struct vip_spec *v);
/* Remove; an address that is already gone is not an error. */
int vip_del(struct nl_sock *sk, const struct vip_spec *v);
const char *vip_strerror(int err);

/* Lifetime for a master's addresses: the kernel counts whole seconds, so
 * Master_Down_Interval is rounded up; the address outlives a missed
 * refresh by at least one second. */
uint32_t vip_lifetime_for(uint64_t master_down_interval_us);

#endif
