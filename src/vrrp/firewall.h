/* firewall.h - RFC 5798's Accept_Mode off: a master that is not the
 * address owner must not accept packets addressed to its VIPs (6.4.3).
 * keepalived's no_accept (the default under vrrp_strict) does it with
 * nftables; vigil too, through libnftables, in a table of its own:
 *
 *   table inet NAME {                    NAME: global_defs "nftables NAME",
 *     set vips4 { type ipv4_addr; }      else "vigil"
 *     set vips6 { type ipv6_addr; }
 *     chain in  { type filter hook input priority P; policy accept;
 *                 icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept
 *                 ip daddr @vips4 drop
 *                 ip6 daddr @vips6 drop }
 *     chain out { type filter hook output priority P; policy accept;
 *                 icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept
 *                 ip saddr @vips4 drop
 *                 ip6 saddr @vips6 drop }
 *   }
 *
 * P is nftables_priority (default -1, as keepalived); nftables_counters
 * adds a counter to each drop. ARP is not IP and passes; neighbour
 * discovery passes, so the VIPs stay reachable at layer 2. A VIP is in
 * its set while its instance is master without accept mode (an address
 * owner always accepts). vigil creates the table on first need, after
 * deleting one of the same name a killed daemon left behind, and deletes
 * it at stop; it never touches another table.
 *
 * Ownership: the engine holds one vrrp_firewall; fw_close() frees it all. */
#ifndef VIGIL_VRRP_FIREWALL_H
#define VIGIL_VRRP_FIREWALL_H

#include <stdbool.h>
#include <stddef.h>

#include "addr.h"

struct nft_ctx;

struct vrrp_firewall {
	struct nft_ctx *nft;       /* NULL until the first use */
	char table[64];
	int priority;
	bool counters;
	bool ready;                /* the table is in place */
	bool failed;               /* setting it up failed: said once, not retried */
};

/* Settings from global_defs; applies to a table not yet made. */
void fw_configure(struct vrrp_firewall *fw, const char *table, int priority, bool counters);

/* Start or stop dropping traffic to and from a; 0 or -1 (logged). */
int fw_block(struct vrrp_firewall *fw, const struct vaddr *a);
int fw_unblock(struct vrrp_firewall *fw, const struct vaddr *a);

/* Delete the table if vigil made it, free everything. */
void fw_close(struct vrrp_firewall *fw);

/* ---- pure parts (unit tested) ---- */
/* The commands that (re)create the table; false when they do not fit. */
bool fw_setup_cmds(char *buf, size_t len, const char *table, int priority, bool counters);
/* "add element inet T vips4 { 10.0.0.1 }" or the delete; false when a
 * is not an address or the command does not fit. */
bool fw_element_cmd(char *buf, size_t len, const char *table, bool add, const struct vaddr *a);

#endif
