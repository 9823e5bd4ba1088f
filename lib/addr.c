/* addr.c - address parsing and formatting; see addr.h. */
#include "addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static const char *parse_plain(const char *s, size_t len, struct vaddr *out)
{
	char buf[INET6_ADDRSTRLEN + 1];

	if (len == 0)
		return "empty address";
	if (len >= sizeof(buf))
		return "address too long";
	memcpy(buf, s, len);
	buf[len] = '\0';
	memset(out, 0, sizeof(*out));
	if (memchr(buf, ':', len)) {
		if (inet_pton(AF_INET6, buf, &out->u.v6) != 1)
			return "not a valid IPv6 address";
		out->family = AF_INET6;
	} else {
		if (inet_pton(AF_INET, buf, &out->u.v4) != 1)
			return "not a valid IPv4 address";
		out->family = AF_INET;
	}
	return NULL;
}

static const char *parse_prefix(const char *p, unsigned max, uint8_t *out)
{
	char *end;
	unsigned long v;

	if (*p < '0' || *p > '9')
		return "prefix length must be a number";
	errno = 0;
	v = strtoul(p, &end, 10);
	if (errno || *end || v > max)
		return max == 32 ? "IPv4 prefix length must be 0..32"
				 : "IPv6 prefix length must be 0..128";
	*out = (uint8_t)v;
	return NULL;
}

const char *vaddr_parse(const char *s, bool allow_prefix, struct vaddr *out)
{
	const char *slash = strchr(s, '/');
	const char *err;

	if (slash && !allow_prefix)
		return "a prefix length is not allowed here";
	err = parse_plain(s, slash ? (size_t)(slash - s) : strlen(s), out);
	if (err || !slash)
		return err;
	out->has_prefix = true;
	return parse_prefix(slash + 1, out->family == AF_INET ? 32 : 128, &out->prefix);
}

uint32_t vaddr_range_base(const struct vaddr *a)
{
	if (a->family == AF_INET)
		return a->u.bytes[3];
	return (uint32_t)a->u.bytes[14] << 8 | a->u.bytes[15];
}

const char *vaddr_parse_range(const char *s, struct vaddr *out, uint32_t *range_end)
{
	const char *dash = strchr(s, '-');
	const char *err;
	char *end;
	unsigned long v;

	*range_end = 0;
	err = parse_plain(s, dash ? (size_t)(dash - s) : strlen(s), out);
	if (err || !dash)
		return err;
	errno = 0;
	if (out->family == AF_INET) {
		v = strtoul(dash + 1, &end, 10);
		if (errno || end == dash + 1 || *end || v > 255)
			return "IPv4 range end must be a number 0..255 (the last byte)";
	} else {
		v = strtoul(dash + 1, &end, 16);
		if (errno || end == dash + 1 || *end || v > 0xffff)
			return "IPv6 range end must be a hex number 0..ffff (the last group)";
	}
	if (v < vaddr_range_base(out))
		return "range end is below its start";
	*range_end = (uint32_t)v;
	return NULL;
}

char *vaddr_format(const struct vaddr *a, char *buf, size_t len)
{
	if (!a->family) {
		snprintf(buf, len, "(none)");
		return buf;
	}
	inet_ntop(a->family, a->u.bytes, buf, (socklen_t)len);
	if (a->has_prefix) {
		size_t n = strlen(buf);
		snprintf(buf + n, len - n, "/%u", a->prefix);
	}
	return buf;
}

bool vaddr_equal(const struct vaddr *a, const struct vaddr *b)
{
	size_t n = a->family == AF_INET ? 4 : 16;

	if (a->family != b->family || a->has_prefix != b->has_prefix)
		return false;
	if (a->has_prefix && a->prefix != b->prefix)
		return false;
	return !a->family || memcmp(a->u.bytes, b->u.bytes, n) == 0;
}

bool vaddr_is_set(const struct vaddr *a)
{
	return a->family != 0;
}

bool vaddr_host_bits_set(const struct vaddr *a)
{
	unsigned bits = a->family == AF_INET ? 32 : 128;

	if (!a->has_prefix)
		return false;
	for (unsigned i = a->prefix; i < bits; i++)
		if (a->u.bytes[i / 8] & (0x80 >> (i % 8)))
			return true;
	return false;
}

bool vaddr_in_prefix(const struct vaddr *a, const struct vaddr *net, unsigned prefix)
{
	unsigned bits = net->family == AF_INET ? 32 : 128;

	if (!a->family || a->family != net->family || prefix > bits)
		return false;
	for (unsigned i = 0; i < prefix; i++) {
		uint8_t m = (uint8_t)(0x80 >> (i % 8));
		if ((a->u.bytes[i / 8] & m) != (net->u.bytes[i / 8] & m))
			return false;
	}
	return true;
}
