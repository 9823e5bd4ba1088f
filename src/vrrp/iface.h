/* iface.h - what VRRP needs to know about an interface: index, MAC,
 * whether its link is up, and the addresses an advert is sent from
 * (the primary IPv4 address; the IPv6 link-local address, RFC 5798 5.1.2.2). */
#ifndef VIGIL_VRRP_IFACE_H
#define VIGIL_VRRP_IFACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

struct iface_info {
	int ifindex;              /* 0 when the interface does not exist */
	uint8_t mac[6];
	bool up;                  /* IFF_UP and IFF_RUNNING (carrier) */
	bool loopback;            /* IFF_LOOPBACK: no place for VRRP */
	struct vaddr primary4;    /* family 0 when none */
	struct vaddr linklocal6;  /* family 0 when none */
};

/* Fill info for ifname; returns 0 or -errno (-ENODEV when absent). */
int iface_lookup(const char *ifname, struct iface_info *info);
/* The addresses of family on ifname, in the kernel's order (primaries
 * before secondaries), at most max of them; IPv6 gives only link-local
 * ones (the only valid advert source, RFC 5798 5.1.2.2). Returns how
 * many were written. */
size_t iface_addrs(const char *ifname, int family, struct vaddr *out, size_t max);
/* Is addr (without prefix) configured on ifindex right now? */
bool iface_has_addr(int ifindex, const struct vaddr *addr);
/* Is addr (without prefix) configured on any interface of this node?
 * The answer comes from a list of the node's addresses read from the
 * kernel at most once a second (now_ms is the caller's monotonic clock),
 * so that a flood of packets asking costs one read a second. */
bool iface_addr_is_local(const struct vaddr *addr, uint64_t now_ms);
/* Is addr on ifname's link: an IPv6 link-local address, or inside the
 * prefix of an address configured on ifname (the far end of a
 * point-to-point address)? From the same once-a-second list. */
bool iface_on_link(const char *ifname, const struct vaddr *addr, uint64_t now_ms);

#endif
