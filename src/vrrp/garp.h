/* garp.h - announcing a virtual address after becoming master.
 *
 * IPv4: a gratuitous ARP request (sender and target protocol address are
 * the VIP) broadcast on the interface, so switches and neighbours learn
 * the new owner's MAC. IPv6: an unsolicited neighbour advertisement
 * (RFC 4861 7.2.6, Override set) to all-nodes ff02::1.
 *
 * The builders are pure and tested byte for byte; the senders are thin
 * wrappers over one packet socket and one ICMPv6 socket per worker.
 */
#ifndef VIGIL_VRRP_GARP_H
#define VIGIL_VRRP_GARP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GARP_ARP_LEN 28         /* ARP payload for Ethernet/IPv4 */
#define GARP_NA_LEN 32          /* NA with a target link-layer address option */

/* ARP payload (no Ethernet header) announcing vip at mac. */
size_t garp_build_arp(uint8_t buf[GARP_ARP_LEN], const uint8_t mac[6], struct in_addr vip);
/* ICMPv6 NA (checksum left 0: the kernel fills it on ICMPv6 raw sockets). */
size_t garp_build_na(uint8_t buf[GARP_NA_LEN], const uint8_t mac[6],
		     const struct in6_addr *target, bool router);

struct garp_sockets {
	int arp_fd;       /* AF_PACKET/SOCK_DGRAM, ETH_P_ARP; -1 when closed */
	int na_fd;        /* AF_INET6/SOCK_RAW/IPPROTO_ICMPV6; -1 when closed */
};

/* Open both sockets (either may fail: the error is returned as -errno and
 * that family's announcements are then skipped with a log line). */
int garp_open(struct garp_sockets *s);
void garp_close(struct garp_sockets *s);
/* Send one announcement; 0 or -errno. */
int garp_send_arp(const struct garp_sockets *s, int ifindex, const uint8_t mac[6],
		  struct in_addr vip);
int garp_send_na(const struct garp_sockets *s, int ifindex, const uint8_t mac[6],
		 const struct in6_addr *target, bool router);

#endif
