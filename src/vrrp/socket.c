/* socket.c - raw VRRP sockets; see socket.h. */
#include "socket.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/filter.h>
#include <unistd.h>

static int set_int(int fd, int level, int opt, int v)
{
	return setsockopt(fd, level, opt, &v, sizeof(v));
}

static int setup_v4(int fd, int ifindex)
{
	if (set_int(fd, IPPROTO_IP, IP_MULTICAST_TTL, 255) < 0 ||
	    set_int(fd, IPPROTO_IP, IP_TTL, 255) < 0 ||
	    set_int(fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0) < 0)
		return -errno;
	struct ip_mreqn m = { .imr_ifindex = ifindex };
	if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &m, sizeof(m)) < 0)
		return -errno;
	return 0;
}

static int setup_v6(int fd, int ifindex)
{
	if (set_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, 255) < 0 ||
	    set_int(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, 255) < 0 ||
	    set_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0) < 0 ||
	    set_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, ifindex) < 0 ||
	    set_int(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1) < 0 ||
	    set_int(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1) < 0)
		return -errno;
	return 0;
}

int vrrp_socket_join(int fd, int ifindex, const struct vaddr *group)
{
	if (group->family == AF_INET) {
		struct ip_mreqn m = { .imr_ifindex = ifindex };
		m.imr_multiaddr = group->u.v4;
		if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof(m)) < 0)
			return -errno;
		return 0;
	}
	struct ipv6_mreq m6 = { .ipv6mr_interface = (unsigned)ifindex };
	m6.ipv6mr_multiaddr = group->u.v6;
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &m6, sizeof(m6)) < 0)
		return -errno;
	return 0;
}

int vrrp_socket_open(int family, int ifindex, const char *ifname, const struct vaddr *group)
{
	int fd = socket(family, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, VRRP_IPPROTO);
	if (fd < 0)
		return -errno;
	/* Bound to the interface, so a packet for another interface's
	 * instance with the same VRID is never mistaken for ours. */
	int err = 0;
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname) + 1) < 0)
		err = -errno;
	if (!err)
		err = family == AF_INET ? setup_v4(fd, ifindex) : setup_v6(fd, ifindex);
	if (!err && group)
		err = vrrp_socket_join(fd, ifindex, group);
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

int vrrp_socket_open_tx(int family, int ifindex, const char *ifname)
{
	int fd = vrrp_socket_open(family, ifindex, ifname, NULL);
	if (fd < 0)
		return fd;
	/* Receiving stays with the base interface's socket: this one would
	 * only queue copies nobody reads. A filter that accepts nothing. */
	struct sock_filter none = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_fprog prog = { .len = 1, .filter = &none };
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

int vrrp_socket_send(int fd, int ifindex, const void *buf, size_t len,
		     const struct vaddr *src, const struct vaddr *dst, int ttl)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct sockaddr_storage to;
	struct iovec iov = { (void *)buf, len };
	struct msghdr msg = { .msg_name = &to, .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = control.buf };

	memset(&to, 0, sizeof(to));
	memset(&control, 0, sizeof(control));
	struct cmsghdr *c = (struct cmsghdr *)control.buf;
	if (dst->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&to;
		sin->sin_family = AF_INET;
		sin->sin_addr = dst->u.v4;
		msg.msg_namelen = sizeof(*sin);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
		struct in_pktinfo pi = { .ipi_ifindex = ifindex, .ipi_spec_dst = src->u.v4 };
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		msg.msg_controllen = CMSG_SPACE(sizeof(struct in_pktinfo));
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&to;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = dst->u.v6;
		sin6->sin6_scope_id = (uint32_t)ifindex;
		msg.msg_namelen = sizeof(*sin6);
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(struct in6_pktinfo));
		struct in6_pktinfo pi = { .ipi6_ifindex = (unsigned)ifindex };
		pi.ipi6_addr = src->u.v6;
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		msg.msg_controllen = CMSG_SPACE(sizeof(struct in6_pktinfo));
	}
	if (ttl > 0 && ttl <= 255) {
		/* IP_TTL as ancillary data: Linux 4.6 and later (raw sockets
		 * included); IPV6_HOPLIMIT: RFC 3542 6.3. */
		c = (struct cmsghdr *)(control.buf + msg.msg_controllen);
		c->cmsg_level = dst->family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
		c->cmsg_type = dst->family == AF_INET ? IP_TTL : IPV6_HOPLIMIT;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &ttl, sizeof(ttl));
		msg.msg_controllen += CMSG_SPACE(sizeof(int));
	}
	if (sendmsg(fd, &msg, MSG_DONTWAIT) < 0)
		return -errno;
	return 0;
}

ssize_t vrrp_socket_recv(int fd, int family, uint8_t *buf, size_t len,
			 struct vrrp_rx_meta *meta)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct sockaddr_storage from;
	struct iovec iov = { buf, len };
	struct msghdr msg = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov,
			      .msg_iovlen = 1, .msg_control = control.buf,
			      .msg_controllen = sizeof(control.buf) };

	memset(meta, 0, sizeof(*meta));
	meta->ttl = -1;
	ssize_t n = recvmsg(fd, &msg, MSG_DONTWAIT);
	if (n < 0)
		return -errno;
	if (msg.msg_flags & MSG_TRUNC)
		return -EMSGSIZE;
	if (family == AF_INET) {
		/* src, dst and TTL are in the IP header the caller unwraps. */
		return n;
	}
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&from;
	meta->src.family = AF_INET6;
	meta->src.u.v6 = sin6->sin6_addr;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != IPPROTO_IPV6)
			continue;
		if (c->cmsg_type == IPV6_HOPLIMIT) {
			int h;
			memcpy(&h, CMSG_DATA(c), sizeof(h));
			meta->ttl = h;
		} else if (c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			meta->dst.family = AF_INET6;
			meta->dst.u.v6 = pi.ipi6_addr;
			meta->ifindex = (int)pi.ipi6_ifindex;
		}
	}
	return n;
}
