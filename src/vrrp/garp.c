/* garp.c - gratuitous ARP and unsolicited NA; see garp.h. */
#include "garp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/icmp6.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

size_t garp_build_arp(uint8_t buf[GARP_ARP_LEN], const uint8_t mac[6], struct in_addr vip)
{
	put16(buf + 0, 1);            /* hardware type: Ethernet */
	put16(buf + 2, ETH_P_IP);     /* protocol type: IPv4 */
	buf[4] = 6;                   /* hardware address length */
	buf[5] = 4;                   /* protocol address length */
	put16(buf + 6, 1);            /* operation: request (RFC 5227 "ARP Announcement") */
	memcpy(buf + 8, mac, 6);      /* sender hardware address */
	memcpy(buf + 14, &vip, 4);    /* sender protocol address */
	memset(buf + 18, 0, 6);       /* target hardware address: ignored, zero */
	memcpy(buf + 24, &vip, 4);    /* target protocol address = sender's */
	return GARP_ARP_LEN;
}

size_t garp_build_na(uint8_t buf[GARP_NA_LEN], const uint8_t mac[6],
		     const struct in6_addr *target, bool router)
{
	memset(buf, 0, GARP_NA_LEN);
	buf[0] = ND_NEIGHBOR_ADVERT;  /* type 136 */
	buf[1] = 0;                   /* code */
	/* bytes 2-3: checksum, computed by the kernel for ICMPv6 raw sockets */
	buf[4] = (uint8_t)((router ? 0x80 : 0) | 0x20);  /* R, S=0 (unsolicited), O=1 */
	memcpy(buf + 8, target, 16);
	buf[24] = ND_OPT_TARGET_LINKADDR;  /* option type 2 */
	buf[25] = 1;                       /* length in units of 8 bytes */
	memcpy(buf + 26, mac, 6);
	return GARP_NA_LEN;
}

int garp_open(struct garp_sockets *s)
{
	int err = 0;
	s->arp_fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ARP));
	if (s->arp_fd < 0)
		err = -errno;
	s->na_fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	if (s->na_fd < 0) {
		err = err ? err : -errno;
	} else {
		/* RFC 4861 7.1.2: a receiver drops an NA whose hop limit is
		 * not 255, so it must leave with 255. */
		int hops = 255;
		setsockopt(s->na_fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops));
		setsockopt(s->na_fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops));
	}
	return err;
}

void garp_close(struct garp_sockets *s)
{
	if (s->arp_fd >= 0)
		close(s->arp_fd);
	if (s->na_fd >= 0)
		close(s->na_fd);
	s->arp_fd = s->na_fd = -1;
}

int garp_send_arp(const struct garp_sockets *s, int ifindex, const uint8_t mac[6],
		  struct in_addr vip)
{
	uint8_t buf[GARP_ARP_LEN];
	struct sockaddr_ll to = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ARP),
		.sll_ifindex = ifindex,
		.sll_halen = 6,
		.sll_addr = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	};
	if (s->arp_fd < 0)
		return -EBADF;
	garp_build_arp(buf, mac, vip);
	if (sendto(s->arp_fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&to,
		   sizeof(to)) < 0)
		return -errno;
	return 0;
}

int garp_send_na(const struct garp_sockets *s, int ifindex, const uint8_t mac[6],
		 const struct in6_addr *target, bool router)
{
	uint8_t buf[GARP_NA_LEN];
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_scope_id = (uint32_t)ifindex };
	if (s->na_fd < 0)
		return -EBADF;
	inet_pton(AF_INET6, "ff02::1", &to.sin6_addr);
	garp_build_na(buf, mac, target, router);
	if (sendto(s->na_fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&to,
		   sizeof(to)) < 0)
		return -errno;
	return 0;
}
