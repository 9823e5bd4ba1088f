/* ifsysctl.h - per-interface kernel settings (net.ipv4.conf.IF.X,
 * net.ipv6.conf.IF.X) that the VRRP engine changes for the operator
 * (promote_secondaries; use_vmac's arp_ignore, arp_filter, arp_announce,
 * rp_filter and accept_local, see vmacrt.c), each put back at stop.
 *
 * Why remember and restore: the operator's own setting is what the node
 * had before vigil and must have after it (keepalived restores
 * promote_secondaries the same way). The first value seen for a path is
 * the one restored, however many instances set it.
 *
 * Ownership: the set owns its array and the strings in it;
 * ifsysctl_restore() frees them. The engine holds one set. */
#ifndef VIGIL_VRRP_IFSYSCTL_H
#define VIGIL_VRRP_IFSYSCTL_H

#include <stdbool.h>
#include <stddef.h>

struct ifsysctl_saved {
	char *path;
	char *old;        /* the value read before the first write, no newline */
};

struct ifsysctl_set {
	const char *root; /* "/proc/sys/net" (NULL); a directory of files in tests */
	struct ifsysctl_saved *v;
	size_t n;
};

/* The file of setting name for ifname under root ("ipv4" or "ipv6" as
 * proto). Pure: false when ifname could not be an interface name (empty,
 * longer than IFNAMSIZ - 1, ".", "..", or with a '/') or the result does
 * not fit. */
bool ifsysctl_path(char *buf, size_t len, const char *root, const char *proto,
		  const char *ifname, const char *name);

/* Write value, remembering the old one the first time this path is set.
 * 0 when written (or already that value), else -errno. */
int ifsysctl_set(struct ifsysctl_set *s, const char *proto, const char *ifname,
		 const char *name, const char *value);

/* Read the current value (first line, no newline) into buf. 0 or -errno. */
int ifsysctl_get(const struct ifsysctl_set *s, const char *proto, const char *ifname,
		 const char *name, char *buf, size_t len);

/* Put back every remembered value (an interface gone since is skipped
 * quietly) and forget them all. */
void ifsysctl_restore(struct ifsysctl_set *s);

#endif
