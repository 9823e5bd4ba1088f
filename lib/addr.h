/* addr.h - IPv4/IPv6 addresses with an optional prefix length.
 *
 * Pure parse/format helpers shared by the configuration parser and the
 * daemons. Parsers return NULL on success or a static string that says
 * what is wrong, so callers can attach a file:line:col.
 */
#ifndef VIGIL_ADDR_H
#define VIGIL_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vaddr {
	uint8_t family;      /* AF_INET, AF_INET6, or 0 when unset */
	uint8_t prefix;      /* prefix length; meaningful when has_prefix */
	bool has_prefix;     /* "/N" was written */
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t bytes[16];
	} u;
};

/* Longest text form of a vaddr, with "/128" and NUL. */
#define VADDR_STRLEN (INET6_ADDRSTRLEN + 5)

/* Parse "A", or "A/N" when allow_prefix. */
const char *vaddr_parse(const char *s, bool allow_prefix, struct vaddr *out);
/* Parse "A-E" where E replaces the last byte (IPv4) or the last 16-bit
 * group (IPv6), as keepalived's virtual_server_group ranges do; *range_end
 * is 0 when there is no range. */
const char *vaddr_parse_range(const char *s, struct vaddr *out, uint32_t *range_end);
/* Canonical text (inet_ntop, plus "/N" when has_prefix). */
char *vaddr_format(const struct vaddr *a, char *buf, size_t len);
bool vaddr_equal(const struct vaddr *a, const struct vaddr *b);
bool vaddr_is_set(const struct vaddr *a);
/* Host bits set beyond the prefix (e.g. 10.0.0.1/8)? */
bool vaddr_host_bits_set(const struct vaddr *a);
/* Do a's first prefix bits equal net's (same family; its own prefix
 * fields are ignored)? False for a prefix longer than the family's. */
bool vaddr_in_prefix(const struct vaddr *a, const struct vaddr *net, unsigned prefix);
/* Last byte (v4) or last 16-bit group (v6): the part a range varies. */
uint32_t vaddr_range_base(const struct vaddr *a);

#endif
