/* iface.c - interface facts from the kernel; see iface.h. */
#include "iface.h"

#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static void read_addresses(const char *ifname, struct iface_info *info)
{
	struct ifaddrs *all, *a;
	if (getifaddrs(&all) < 0)
		return;
	for (a = all; a; a = a->ifa_next) {
		if (!a->ifa_addr || strcmp(a->ifa_name, ifname) != 0)
			continue;
		if (a->ifa_addr->sa_family == AF_INET && !info->primary4.family) {
			info->primary4.family = AF_INET;
			info->primary4.u.v4 = ((struct sockaddr_in *)a->ifa_addr)->sin_addr;
		} else if (a->ifa_addr->sa_family == AF_INET6 && !info->linklocal6.family) {
			struct in6_addr *v6 = &((struct sockaddr_in6 *)a->ifa_addr)->sin6_addr;
			if (IN6_IS_ADDR_LINKLOCAL(v6)) {
				info->linklocal6.family = AF_INET6;
				info->linklocal6.u.v6 = *v6;
			}
		}
	}
	freeifaddrs(all);
}

int iface_lookup(const char *ifname, struct iface_info *info)
{
	struct ifreq ifr;
	int fd, err = 0;

	memset(info, 0, sizeof(*info));
	if (strlen(ifname) >= IFNAMSIZ)
		return -ENAMETOOLONG;
	info->ifindex = (int)if_nametoindex(ifname);
	if (!info->ifindex)
		return -ENODEV;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) == 0)
		memcpy(info->mac, ifr.ifr_hwaddr.sa_data, 6);
	else
		err = -errno;
	if (!err && ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		info->up = (ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING);
		info->loopback = ifr.ifr_flags & IFF_LOOPBACK;
	}
	close(fd);
	read_addresses(ifname, info);
	return err;
}

size_t iface_addrs(const char *ifname, int family, struct vaddr *out, size_t max)
{
	struct ifaddrs *all, *a;
	size_t n = 0;
	if (getifaddrs(&all) < 0)
		return 0;
	for (a = all; a && n < max; a = a->ifa_next) {
		if (!a->ifa_addr || a->ifa_addr->sa_family != family ||
		    strcmp(a->ifa_name, ifname) != 0)
			continue;
		struct vaddr *v = &out[n];
		memset(v, 0, sizeof(*v));
		v->family = family;
		if (family == AF_INET) {
			v->u.v4 = ((struct sockaddr_in *)a->ifa_addr)->sin_addr;
		} else {
			v->u.v6 = ((struct sockaddr_in6 *)a->ifa_addr)->sin6_addr;
			if (!IN6_IS_ADDR_LINKLOCAL(&v->u.v6))
				continue;
		}
		n++;
	}
	freeifaddrs(all);
	return n;
}

bool iface_has_addr(int ifindex, const struct vaddr *addr)
{
	struct ifaddrs *all, *a;
	bool found = false;
	char name[IF_NAMESIZE];

	if (!if_indextoname((unsigned)ifindex, name) || getifaddrs(&all) < 0)
		return false;
	for (a = all; a && !found; a = a->ifa_next) {
		if (!a->ifa_addr || a->ifa_addr->sa_family != addr->family ||
		    strcmp(a->ifa_name, name) != 0)
			continue;
		const void *p = addr->family == AF_INET
			? (const void *)&((struct sockaddr_in *)a->ifa_addr)->sin_addr
			: (const void *)&((struct sockaddr_in6 *)a->ifa_addr)->sin6_addr;
		found = memcmp(p, addr->u.bytes, addr->family == AF_INET ? 4 : 16) == 0;
	}
	freeifaddrs(all);
	return found;
}

/* The node's addresses, as last read. Module state on purpose: one list
 * per process serves every instance, and nothing else writes it. A node
 * with more addresses than fit keeps the first ones; the advert source of
 * each instance is compared on its own before this list is consulted.
 * Each entry keeps its interface and prefix for iface_on_link(). */
#define LOCAL_MAX 256
#define LOCAL_MAX_AGE_MS 1000
struct local_addr {
	struct vaddr addr;         /* prefix = the netmask's length */
	struct vaddr peer;         /* point-to-point far end; family 0: none */
	char ifname[IF_NAMESIZE];
};
static struct {
	struct local_addr addrs[LOCAL_MAX];
	size_t n;
	uint64_t read_ms;
	bool valid;
} local;

static unsigned mask_len(const struct sockaddr *mask, int family)
{
	const uint8_t *b;
	size_t n;
	unsigned len = 0;
	if (!mask || mask->sa_family != family)
		return family == AF_INET ? 32 : 128;
	if (family == AF_INET) {
		b = (const uint8_t *)&((const struct sockaddr_in *)mask)->sin_addr;
		n = 4;
	} else {
		b = (const uint8_t *)&((const struct sockaddr_in6 *)mask)->sin6_addr;
		n = 16;
	}
	for (size_t i = 0; i < n; i++)
		for (uint8_t m = 0x80; m && (b[i] & m); m >>= 1)
			len++;
	return len;
}

static bool to_vaddr(const struct sockaddr *sa, struct vaddr *v)
{
	memset(v, 0, sizeof(*v));
	if (!sa)
		return false;
	if (sa->sa_family == AF_INET) {
		v->family = AF_INET;
		v->u.v4 = ((const struct sockaddr_in *)sa)->sin_addr;
	} else if (sa->sa_family == AF_INET6) {
		v->family = AF_INET6;
		v->u.v6 = ((const struct sockaddr_in6 *)sa)->sin6_addr;
	} else {
		return false;
	}
	return true;
}

static void read_local(uint64_t now_ms)
{
	struct ifaddrs *all, *a;
	local.n = 0;
	local.read_ms = now_ms;
	local.valid = true;
	if (getifaddrs(&all) < 0)
		return;
	for (a = all; a && local.n < LOCAL_MAX; a = a->ifa_next) {
		struct local_addr *l = &local.addrs[local.n];
		if (!to_vaddr(a->ifa_addr, &l->addr))
			continue;
		l->addr.prefix = (uint8_t)mask_len(a->ifa_netmask, l->addr.family);
		if (!(a->ifa_flags & IFF_POINTOPOINT) || !to_vaddr(a->ifa_dstaddr, &l->peer))
			memset(&l->peer, 0, sizeof(l->peer));
		snprintf(l->ifname, sizeof(l->ifname), "%s", a->ifa_name);
		local.n++;
	}
	freeifaddrs(all);
}

static void refresh_local(uint64_t now_ms)
{
	if (!local.valid || now_ms < local.read_ms || now_ms - local.read_ms >= LOCAL_MAX_AGE_MS)
		read_local(now_ms);
}

static bool same_addr(const struct vaddr *a, const struct vaddr *b)
{
	return a->family == b->family &&
	       memcmp(a->u.bytes, b->u.bytes, a->family == AF_INET ? 4 : 16) == 0;
}

bool iface_addr_is_local(const struct vaddr *addr, uint64_t now_ms)
{
	refresh_local(now_ms);
	for (size_t i = 0; i < local.n; i++)
		if (same_addr(&local.addrs[i].addr, addr))
			return true;
	return false;
}

bool iface_on_link(const char *ifname, const struct vaddr *addr, uint64_t now_ms)
{
	/* fe80::/10 never crosses a router (RFC 4291 2.5.6). */
	if (addr->family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&addr->u.v6))
		return true;
	refresh_local(now_ms);
	for (size_t i = 0; i < local.n; i++) {
		const struct local_addr *l = &local.addrs[i];
		if (strcmp(l->ifname, ifname) != 0 || l->addr.family != addr->family)
			continue;
		if (l->peer.family ? same_addr(&l->peer, addr)
				   : vaddr_in_prefix(addr, &l->addr, l->addr.prefix))
			return true;
	}
	return false;
}
