/* packet.c - VRRP advertisement codec; see packet.h.
 *
 * Everything works on byte offsets with explicit big-endian reads and
 * writes: no packed structs are laid over the buffer, so alignment and
 * host byte order never matter and a short buffer cannot be over-read
 * through a struct.
 */
#include "packet.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#define IPV4_MIN_HDR_LEN 20

/* ---- checksum (RFC 1071) ------------------------------------------------ */

/* Add p[0..n) to acc as big-endian 16-bit words; an odd last byte is
 * padded with zero. 64 bits cannot overflow for any buffer that fits in
 * memory, so folding waits until the end. */
static uint64_t sum16(const uint8_t *p, size_t n, uint64_t acc)
{
	for (; n >= 2; p += 2, n -= 2)
		acc += (uint32_t)p[0] << 8 | p[1];
	if (n)
		acc += (uint32_t)p[0] << 8;
	return acc;
}

static uint16_t fold(uint64_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)acc;
}

/*
 * The one's complement sum of the pseudo-header (v3 only) and
 * buf[0..len) with the checksum field (bytes 6-7) left out, i.e. taken as
 * zero. Both versions' rules:
 *   v2, RFC 3768 5.3.8: over the VRRP message only.
 *   v3, RFC 5798 5.2.8: over a pseudo-header and the message. For IPv6
 *     the RFC 2460 8.1 pseudo-header (src, dst, 32-bit upper-layer
 *     length, 3 zero bytes, next header 112); for IPv4 the TCP/UDP-style
 *     one (src, dst, zero, protocol 112, 16-bit length). keepalived 2.2.7
 *     computes the IPv4 one itself with dst 224.0.0.18 (or the unicast
 *     peer) and lets the kernel fill the IPv6 one (IPV6_CHECKSUM).
 */
static uint64_t message_sum(const uint8_t *buf, size_t len, int family,
			    const void *src, const void *dst)
{
	uint64_t acc = 0;

	if (len == 0)
		return 0;
	if (buf[0] >> 4 == 3) {
		if (family == AF_INET) {
			uint8_t tail[4] = { 0, VRRP_IPPROTO, (uint8_t)(len >> 8), (uint8_t)len };

			acc = sum16(src, 4, acc);
			acc = sum16(dst, 4, acc);
			acc = sum16(tail, sizeof(tail), acc);
		} else {
			uint8_t tail[8] = { (uint8_t)(len >> 24), (uint8_t)(len >> 16),
					    (uint8_t)(len >> 8), (uint8_t)len,
					    0, 0, 0, VRRP_IPPROTO };

			acc = sum16(src, 16, acc);
			acc = sum16(dst, 16, acc);
			acc = sum16(tail, sizeof(tail), acc);
		}
	}
	/* Guarded so that a short buffer cannot be over-read; parse and build
	 * only get here with the whole message. */
	acc = sum16(buf, len < 6 ? len : 6, acc);
	if (len > VRRP_HDR_LEN)
		acc = sum16(buf + VRRP_HDR_LEN, len - VRRP_HDR_LEN, acc);
	return acc;
}

uint16_t vrrp_advert_checksum(const uint8_t *buf, size_t len, int family,
			      const void *src, const void *dst)
{
	return (uint16_t)~fold(message_sum(buf, len, family, src, dst));
}

/* Valid when the sum with the transmitted checksum is all ones. This
 * accepts both one's complement zeros (0x0000 and 0xffff) in the field,
 * as keepalived's and the kernel's checks do. */
static bool checksum_ok(const uint8_t *buf, size_t len, int family,
			const void *src, const void *dst)
{
	uint64_t acc = message_sum(buf, len, family, src, dst);

	acc += (uint32_t)buf[6] << 8 | buf[7];
	return fold(acc) == 0xffff;
}

/* ---- layer 1: IPv4 ------------------------------------------------------ */

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

enum vrrp_ip_err vrrp_ipv4_unwrap(const uint8_t *pkt, size_t len,
				  struct vrrp_ipv4_datagram *out)
{
	if (!pkt || len < IPV4_MIN_HDR_LEN)
		return VRRP_IP_SHORT;
	if (pkt[0] >> 4 != 4)
		return VRRP_IP_BAD_VERSION;

	size_t hlen = (size_t)(pkt[0] & 0x0f) * 4;
	size_t total = get16(pkt + 2);

	if (hlen < IPV4_MIN_HDR_LEN)
		return VRRP_IP_BAD_HDR_LEN;
	if (hlen > len)
		return VRRP_IP_HDR_TRUNCATED;
	if (total < hlen)
		return VRRP_IP_BAD_TOTAL_LEN;
	/* Linux trims link-layer padding to the total length before raw
	 * delivery, so any difference means a short read or a lying header. */
	if (total > len)
		return VRRP_IP_TRUNCATED;
	if (total < len)
		return VRRP_IP_TRAILING;
	if (pkt[9] != VRRP_IPPROTO)
		return VRRP_IP_NOT_VRRP;

	memcpy(&out->src, pkt + 12, 4);
	memcpy(&out->dst, pkt + 16, 4);
	out->ttl = pkt[8];
	out->payload = pkt + hlen;
	out->payload_len = total - hlen;
	return VRRP_IP_OK;
}

const char *vrrp_ip_err_str(enum vrrp_ip_err err)
{
	switch (err) {
	case VRRP_IP_OK:            return "ok";
	case VRRP_IP_SHORT:         return "shorter than an IPv4 header";
	case VRRP_IP_BAD_VERSION:   return "IP version is not 4";
	case VRRP_IP_BAD_HDR_LEN:   return "IP header length below 20 bytes";
	case VRRP_IP_HDR_TRUNCATED: return "IP header longer than the datagram";
	case VRRP_IP_BAD_TOTAL_LEN: return "IP total length shorter than its header";
	case VRRP_IP_TRUNCATED:     return "datagram truncated (IP total length > bytes received)";
	case VRRP_IP_TRAILING:      return "bytes after the IP total length";
	case VRRP_IP_NOT_VRRP:      return "protocol is not VRRP (112)";
	}
	return "unknown IP error";
}

const char *vrrp_ip_err_format(char *msg, size_t msglen, enum vrrp_ip_err err,
			       const uint8_t *pkt, size_t len)
{
	if (!msg || msglen == 0)
		return msg;
	/* Read the fields back only when the bytes are there: the caller may
	 * pass an error that does not belong to these bytes. */
	bool hdr = pkt && len >= IPV4_MIN_HDR_LEN;
	unsigned hlen = hdr ? (pkt[0] & 0x0fu) * 4 : 0;
	unsigned total = hdr ? get16(pkt + 2) : 0;

	switch (err) {
	case VRRP_IP_SHORT:
		snprintf(msg, msglen, "%zu bytes, shorter than an IPv4 header (20)", len);
		return msg;
	case VRRP_IP_BAD_VERSION:
		if (!hdr)
			break;
		snprintf(msg, msglen, "IP version %u, not 4", pkt[0] >> 4);
		return msg;
	case VRRP_IP_BAD_HDR_LEN:
		if (!hdr)
			break;
		snprintf(msg, msglen, "IP header length %u bytes, below 20", hlen);
		return msg;
	case VRRP_IP_HDR_TRUNCATED:
		if (!hdr)
			break;
		snprintf(msg, msglen, "IP header length %u bytes, datagram only %zu", hlen, len);
		return msg;
	case VRRP_IP_BAD_TOTAL_LEN:
		if (!hdr)
			break;
		snprintf(msg, msglen, "IP total length %u shorter than its %u-byte header",
			 total, hlen);
		return msg;
	case VRRP_IP_TRUNCATED:
		if (!hdr)
			break;
		snprintf(msg, msglen, "datagram truncated: IP total length %u, %zu bytes received",
			 total, len);
		return msg;
	case VRRP_IP_TRAILING:
		if (!hdr)
			break;
		snprintf(msg, msglen, "IP total length %u, but %zu bytes received", total, len);
		return msg;
	case VRRP_IP_NOT_VRRP:
		if (!hdr)
			break;
		snprintf(msg, msglen, "protocol %u, not VRRP (112)", pkt[9]);
		return msg;
	case VRRP_IP_OK:
		break;
	}
	snprintf(msg, msglen, "%s", vrrp_ip_err_str(err));
	return msg;
}

/* ---- layer 2: the VRRP message ----------------------------------------- */

static size_t addr_size(int family)
{
	return family == AF_INET ? sizeof(struct in_addr) : sizeof(struct in6_addr);
}

/* Where the address list ends, and where the message ends. */
static size_t addrs_end(int family, unsigned naddr)
{
	return VRRP_HDR_LEN + naddr * addr_size(family);
}

static size_t message_len(int version, int family, unsigned naddr)
{
	return addrs_end(family, naddr) + (version == 2 ? VRRP_AUTH_DATA_LEN : 0);
}

/* The interval in centiseconds, from header bytes 4-5. */
static uint16_t wire_interval_cs(const uint8_t *buf)
{
	if (buf[0] >> 4 == 2)
		return (uint16_t)(buf[5] * 100);   /* RFC 3768 5.3.7: seconds */
	/* RFC 5798 5.2.6/5.2.7: 4 reserved bits, ignored on reception, then
	 * 12 bits of centiseconds. */
	return (uint16_t)((buf[4] & 0x0f) << 8 | buf[5]);
}

enum vrrp_pkt_err vrrp_advert_parse(const uint8_t *buf, size_t len, int family,
				    const void *src, const void *dst,
				    struct vrrp_advert *out)
{
	if (family != AF_INET && family != AF_INET6)
		return VRRP_PKT_BAD_ARGS;
	if (!buf || len < VRRP_HDR_LEN)
		return VRRP_PKT_TRUNCATED_HDR;

	unsigned version = buf[0] >> 4;

	if (version != 2 && version != 3)
		return VRRP_PKT_BAD_VERSION;
	if (version == 2 && family == AF_INET6)
		return VRRP_PKT_V2_OVER_IPV6;
	if ((buf[0] & 0x0f) != VRRP_TYPE_ADVERTISEMENT)
		return VRRP_PKT_BAD_TYPE;

	unsigned naddr = buf[3];
	size_t want = message_len((int)version, family, naddr);

	if (len < addrs_end(family, naddr))
		return VRRP_PKT_TRUNCATED_ADDRS;
	if (len < want)
		return VRRP_PKT_TRUNCATED_AUTH;
	if (len > want)
		return VRRP_PKT_TRAILING;

	if (version == 3 && (!src || !dst))
		return VRRP_PKT_BAD_ARGS;
	if (!checksum_ok(buf, len, family, src, dst))
		return VRRP_PKT_BAD_CHECKSUM;

	/* In v3 byte 4 is the reserved bits and the top of the interval, not
	 * an auth type. */
	if (version == 2 && buf[4] > VRRP_AUTH_AH)
		return VRRP_PKT_BAD_AUTH_TYPE;

	uint16_t interval = wire_interval_cs(buf);

	if (interval == 0)
		return VRRP_PKT_ZERO_INTERVAL;

	memset(out, 0, sizeof(*out));
	out->version = (uint8_t)version;
	out->vrid = buf[1];
	out->priority = buf[2];
	out->naddr = (uint8_t)naddr;
	out->adver_int_cs = interval;
	out->family = (uint8_t)family;
	if (version == 2) {
		out->auth_type = buf[4];
		memcpy(out->auth_data, buf + addrs_end(family, naddr), VRRP_AUTH_DATA_LEN);
	}
	if (family == AF_INET)
		memcpy(out->addrs.v4, buf + VRRP_HDR_LEN, naddr * sizeof(struct in_addr));
	else
		memcpy(out->addrs.v6, buf + VRRP_HDR_LEN, naddr * sizeof(struct in6_addr));
	return VRRP_PKT_OK;
}

const char *vrrp_pkt_err_str(enum vrrp_pkt_err err)
{
	switch (err) {
	case VRRP_PKT_OK:              return "ok";
	case VRRP_PKT_BAD_ARGS:        return "bad arguments (family, or no src/dst for the v3 pseudo-header)";
	case VRRP_PKT_TRUNCATED_HDR:   return "truncated VRRP header";
	case VRRP_PKT_BAD_VERSION:     return "bad version (not 2 or 3)";
	case VRRP_PKT_V2_OVER_IPV6:    return "VRRPv2 over IPv6 (RFC 3768 is IPv4 only)";
	case VRRP_PKT_BAD_TYPE:        return "bad type (not 1, ADVERTISEMENT)";
	case VRRP_PKT_TRUNCATED_ADDRS: return "truncated in the address list";
	case VRRP_PKT_TRUNCATED_AUTH:  return "truncated in the authentication data";
	case VRRP_PKT_TRAILING:        return "trailing bytes after the advertisement";
	case VRRP_PKT_BAD_CHECKSUM:    return "checksum mismatch";
	case VRRP_PKT_BAD_AUTH_TYPE:   return "bad auth type (not 0, 1 or 2)";
	case VRRP_PKT_ZERO_INTERVAL:   return "advertisement interval 0";
	case VRRP_PKT_BAD_INTERVAL:    return "interval not representable (v2: whole seconds 1-255, v3: 1-4095 cs)";
	}
	return "unknown VRRP error";
}

const char *vrrp_pkt_err_format(char *msg, size_t msglen, enum vrrp_pkt_err err,
				const uint8_t *buf, size_t len, int family,
				const void *src, const void *dst)
{
	if (!msg || msglen == 0)
		return msg;
	/* As for IPv4: read fields back only when they are there and make
	 * sense for this error, else fall back to the static phrase. */
	bool hdr = buf && len >= VRRP_HDR_LEN;
	bool fam = family == AF_INET || family == AF_INET6;
	unsigned version = hdr ? buf[0] >> 4u : 0;
	unsigned naddr = hdr ? buf[3] : 0;

	switch (err) {
	case VRRP_PKT_TRUNCATED_HDR:
		snprintf(msg, msglen, "truncated VRRP header: %zu bytes, need %d", len, VRRP_HDR_LEN);
		return msg;
	case VRRP_PKT_BAD_VERSION:
		if (!hdr)
			break;
		snprintf(msg, msglen, "bad version %u", version);
		return msg;
	case VRRP_PKT_BAD_TYPE:
		if (!hdr)
			break;
		snprintf(msg, msglen, "bad type %u", buf[0] & 0x0fu);
		return msg;
	case VRRP_PKT_TRUNCATED_ADDRS:
		if (!hdr || !fam)
			break;
		snprintf(msg, msglen, "truncated in the address list: %zu bytes, count %u needs %zu",
			 len, naddr, addrs_end(family, naddr));
		return msg;
	case VRRP_PKT_TRUNCATED_AUTH:
		if (!hdr || !fam)
			break;
		snprintf(msg, msglen, "truncated in the authentication data: %zu bytes, need %zu",
			 len, message_len((int)version, family, naddr));
		return msg;
	case VRRP_PKT_TRAILING: {
		if (!hdr || !fam || (version != 2 && version != 3))
			break;
		size_t want = message_len((int)version, family, naddr);
		if (len <= want)
			break;
		snprintf(msg, msglen, "%zu bytes after the %zu-byte advertisement (count %u)",
			 len - want, want, naddr);
		return msg;
	}
	case VRRP_PKT_BAD_CHECKSUM:
		if (!hdr)
			break;
		if (fam && (version == 2 || (src && dst)))
			snprintf(msg, msglen, "checksum mismatch: 0x%04x in packet, 0x%04x computed",
				 get16(buf + 6), vrrp_advert_checksum(buf, len, family, src, dst));
		else
			snprintf(msg, msglen, "checksum mismatch: 0x%04x in packet", get16(buf + 6));
		return msg;
	case VRRP_PKT_BAD_AUTH_TYPE:
		if (!hdr)
			break;
		snprintf(msg, msglen, "bad auth type %u", buf[4]);
		return msg;
	case VRRP_PKT_OK:
	case VRRP_PKT_BAD_ARGS:
	case VRRP_PKT_V2_OVER_IPV6:
	case VRRP_PKT_ZERO_INTERVAL:
	case VRRP_PKT_BAD_INTERVAL:
		break;
	}
	snprintf(msg, msglen, "%s", vrrp_pkt_err_str(err));
	return msg;
}

/* ---- building ------------------------------------------------------------ */

enum vrrp_pkt_err vrrp_advert_check(const struct vrrp_advert *a)
{
	if (a->family != AF_INET && a->family != AF_INET6)
		return VRRP_PKT_BAD_ARGS;
	if (a->version != 2 && a->version != 3)
		return VRRP_PKT_BAD_VERSION;
	if (a->version == 2 && a->family == AF_INET6)
		return VRRP_PKT_V2_OVER_IPV6;
	if (a->adver_int_cs == 0)
		return VRRP_PKT_ZERO_INTERVAL;
	if (a->version == 2) {
		if (a->adver_int_cs % 100 || a->adver_int_cs > VRRP_V2_MAX_ADVER_INT_CS)
			return VRRP_PKT_BAD_INTERVAL;
		if (a->auth_type > VRRP_AUTH_AH)
			return VRRP_PKT_BAD_AUTH_TYPE;
	} else if (a->adver_int_cs > VRRP_V3_MAX_ADVER_INT_CS) {
		return VRRP_PKT_BAD_INTERVAL;
	}
	return VRRP_PKT_OK;
}

size_t vrrp_advert_len(const struct vrrp_advert *a)
{
	return message_len(a->version, a->family, a->naddr);
}

ssize_t vrrp_advert_build(uint8_t *buf, size_t len, const struct vrrp_advert *a,
			  const void *src, const void *dst)
{
	if (!a || vrrp_advert_check(a) != VRRP_PKT_OK)
		return -1;
	if (a->version == 3 && (!src || !dst))
		return -1;

	size_t need = vrrp_advert_len(a);

	if (!buf || len < need)
		return -1;

	buf[0] = (uint8_t)(a->version << 4 | VRRP_TYPE_ADVERTISEMENT);
	buf[1] = a->vrid;
	buf[2] = a->priority;
	buf[3] = a->naddr;
	if (a->version == 2) {
		buf[4] = a->auth_type;
		buf[5] = (uint8_t)(a->adver_int_cs / 100);
	} else {
		buf[4] = (uint8_t)(a->adver_int_cs >> 8);   /* reserved bits zero */
		buf[5] = (uint8_t)a->adver_int_cs;
	}
	buf[6] = buf[7] = 0;
	if (a->family == AF_INET)
		memcpy(buf + VRRP_HDR_LEN, a->addrs.v4, a->naddr * sizeof(struct in_addr));
	else
		memcpy(buf + VRRP_HDR_LEN, a->addrs.v6, a->naddr * sizeof(struct in6_addr));
	/* RFC 3768 5.3.10: the auth data is there even with auth type 0;
	 * keepalived sends zeros then, and the password for PASS. */
	if (a->version == 2)
		memcpy(buf + addrs_end(a->family, a->naddr), a->auth_data, VRRP_AUTH_DATA_LEN);

	uint16_t ck = vrrp_advert_checksum(buf, need, a->family, src, dst);

	buf[6] = (uint8_t)(ck >> 8);
	buf[7] = (uint8_t)ck;
	return (ssize_t)need;
}

/* ---- helpers ------------------------------------------------------------- */

void vrrp_auth_pass_encode(uint8_t out[VRRP_AUTH_DATA_LEN], const char *pass)
{
	memset(out, 0, VRRP_AUTH_DATA_LEN);
	for (size_t i = 0; pass && i < VRRP_AUTH_DATA_LEN && pass[i]; i++)
		out[i] = (uint8_t)pass[i];
}

bool vrrp_auth_pass_matches(const struct vrrp_advert *a, const char *pass)
{
	uint8_t want[VRRP_AUTH_DATA_LEN];

	if (a->version != 2 || a->auth_type != VRRP_AUTH_PASS)
		return false;
	vrrp_auth_pass_encode(want, pass);
	return memcmp(want, a->auth_data, VRRP_AUTH_DATA_LEN) == 0;
}

bool vrrp_advert_equal(const struct vrrp_advert *a, const struct vrrp_advert *b)
{
	if (a->version != b->version || a->vrid != b->vrid || a->priority != b->priority ||
	    a->adver_int_cs != b->adver_int_cs || a->family != b->family ||
	    a->naddr != b->naddr)
		return false;
	if (a->version == 2 &&
	    (a->auth_type != b->auth_type ||
	     memcmp(a->auth_data, b->auth_data, VRRP_AUTH_DATA_LEN) != 0))
		return false;
	if (a->family == AF_INET)
		return memcmp(a->addrs.v4, b->addrs.v4, a->naddr * sizeof(struct in_addr)) == 0;
	return memcmp(a->addrs.v6, b->addrs.v6, a->naddr * sizeof(struct in6_addr)) == 0;
}

const char *vrrp_advert_describe(char *buf, size_t len, const struct vrrp_advert *a)
{
	static const char *const auth_names[] = { "none", "PASS", "AH" };

	if (!buf || len == 0)
		return buf;
	int n = snprintf(buf, len, "v%u vrid %u prio %u int %ucs %u %s addrs", a->version,
			 a->vrid, a->priority, a->adver_int_cs, a->naddr,
			 a->family == AF_INET6 ? "IPv6" : "IPv4");
	if (a->version == 2 && n > 0 && (size_t)n < len) {
		if (a->auth_type <= VRRP_AUTH_AH)
			snprintf(buf + n, len - (size_t)n, " auth %s", auth_names[a->auth_type]);
		else
			snprintf(buf + n, len - (size_t)n, " auth %u", a->auth_type);
	}
	return buf;
}

enum vrrp_ttl_verdict vrrp_ttl_check(const struct vrrp_ttl_rule *r, int ttl)
{
	if (!r->unicast)
		return ttl == 255 ? VRRP_TTL_OK : VRRP_TTL_NOT_255;
	/* 0..255 (nothing written) is no check at all, not even of an
	 * unknown TTL. */
	bool ranged = r->min_ttl > 0 || r->max_ttl < 255;
	if (ranged && (ttl < 0 || ttl < r->min_ttl || ttl > r->max_ttl))
		return VRRP_TTL_OUT_OF_RANGE;
	if (r->on_link_255 && r->peer_on_link && ttl != 255)
		return VRRP_TTL_NOT_255;
	return VRRP_TTL_OK;
}
