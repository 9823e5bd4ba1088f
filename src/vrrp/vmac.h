/* vmac.h - use_vmac: the VRRP virtual MAC (RFC 5798 7.3) on a macvlan
 * interface over the instance's interface, as keepalived does it.
 *
 * Why: with the virtual MAC the clients' neighbour entry for a VIP
 * outlives a failover (the new master answers from the same MAC), so a
 * client whose cache missed the gratuitous ARPs still reaches the VIP.
 *
 * The macvlan is in bridge mode, where keepalived uses private: in
 * private mode the kernel hands a multicast frame whose source MAC is a
 * local macvlan's to that macvlan alone, so a backup hears the master's
 * adverts (sent with the virtual MAC, which its own vmac has too) only on
 * its vmac, must join the VRRP group there, and the vmac then sends IGMP
 * reports with the virtual MAC: the switch moves the VIP's traffic to
 * the backup until the master's next advert. In bridge mode the frame
 * also reaches the base interface, where vigil receives, and a backup's
 * vmac sends nothing. It is created down, given its settings, then
 * brought up; it is deleted at stop. One left by a killed
 * daemon (same name, same MAC, same base) is adopted, not duplicated.
 *
 * Ownership: the instance owns its vmac interface (struct vrrp_rt.vmac)
 * and removes it when it goes; this module keeps no state.
 */
#ifndef VIGIL_VRRP_VMAC_H
#define VIGIL_VRRP_VMAC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model_vrrp.h"

struct nl_sock;

/* The MAC of use_vmac: the configured one (5 bytes: the VRID completes
 * it), else 00:00:5e:00:01:VRID for IPv4, 00:00:5e:00:02:VRID for IPv6. */
void vmac_address(const struct vmac *cfg, int vrid, int family, uint8_t mac[6]);
/* The interface name: the configured one, else PREFIX.VRID (keepalived's
 * vmac_prefix, "vrrp" by default). false when it does not fit IFNAMSIZ. */
bool vmac_name(char *buf, size_t len, const struct vmac *cfg, const char *prefix, int vrid);

/* Create (or adopt) the macvlan name over base_ifindex with mac, down.
 * *ifindex gets its index, *adopted whether it was there already. A
 * macvlan of that name on another base or with another MAC is replaced;
 * any other interface of that name is never touched (-EEXIST). 0 or a
 * negative errno / libnl code (vmac_strerror). */
int vmac_create(struct nl_sock *sk, const char *name, int base_ifindex, const uint8_t mac[6],
		int *ifindex, bool *adopted);
/* use_ipvlan: an ipvlan in L2 mode (it answers ARP and neighbour
 * solicitations itself; no MAC of its own: the base's) with flags 0
 * (bridge), IPVLAN_F_PRIVATE or IPVLAN_F_VEPA, created or adopted as
 * vmac_create() does (an ipvlan of that name on the base is adopted). */
int vmac_create_ipvlan(struct nl_sock *sk, const char *name, int base_ifindex, int flags,
		       int *ifindex, bool *adopted);
/* IPv6 on an IPv6 vmac: no address generated from the virtual MAC
 * (RFC 5798 7.4: the router's own link-local address is the source). */
int vmac_no_addr_gen(struct nl_sock *sk, int ifindex);
int vmac_set_up(struct nl_sock *sk, int ifindex, bool up);
/* Delete; an interface already gone is not an error. */
int vmac_delete(struct nl_sock *sk, int ifindex);
const char *vmac_strerror(int err);

#endif
