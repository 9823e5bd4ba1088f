/* socket.h - the raw IP sockets VRRP adverts travel on (protocol 112).
 *
 * One socket per (interface, address family), shared by every instance on
 * that interface: it joins every multicast group those instances use, the
 * kernel hands it every VRRP packet of the interface, and the receive path
 * demultiplexes by destination (group, or unicast from a configured peer)
 * and VRID. Adverts leave
 * with TTL / hop limit 255 (RFC 5798 5.1.1.3, 5.1.2.3; a unicast instance's
 * unicast_ttl instead) and the instance's own source address, both set
 * per packet with ancillary data.
 */
#ifndef VIGIL_VRRP_SOCKET_H
#define VIGIL_VRRP_SOCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "addr.h"
#include "packet.h"

#define VRRP_MCAST4 "224.0.0.18"
#define VRRP_MCAST6 "ff02::12"

/* What the kernel told us about a received packet. */
struct vrrp_rx_meta {
	struct vaddr src, dst;
	int ttl;             /* IPv4 TTL or IPv6 hop limit; -1 when unknown */
	int ifindex;
};

/* Open a socket for family on ifindex/ifname; join group unless it is
 * NULL (unicast only). Returns the fd or -errno. */
int vrrp_socket_open(int family, int ifindex, const char *ifname, const struct vaddr *group);
/* A socket that only sends, on ifindex/ifname (use_vmac's macvlan:
 * adverts leave with the virtual MAC); it receives nothing. fd or -errno. */
int vrrp_socket_open_tx(int family, int ifindex, const char *ifname);
/* Join one more multicast group on a socket from vrrp_socket_open().
 * 0 or -errno (-EADDRINUSE: already joined). */
int vrrp_socket_join(int fd, int ifindex, const struct vaddr *group);
/* Send a VRRP message (no IP header) from src to dst. ttl 1..255 sets
 * this packet's TTL / hop limit (unicast_ttl; IP_TTL / IPV6_HOPLIMIT
 * ancillary data, the socket being shared), 0 leaves the socket's 255.
 * 0 or -errno. */
int vrrp_socket_send(int fd, int ifindex, const void *buf, size_t len,
		     const struct vaddr *src, const struct vaddr *dst, int ttl);
/* Receive one packet without blocking. IPv4 sockets deliver the IP
 * header too (unwrap it with packet.c); IPv6 sockets deliver the VRRP
 * message and meta carries addresses and hop limit. Returns the length,
 * or -errno (-EAGAIN when there is nothing to read). */
ssize_t vrrp_socket_recv(int fd, int family, uint8_t *buf, size_t len,
			 struct vrrp_rx_meta *meta);

#endif
