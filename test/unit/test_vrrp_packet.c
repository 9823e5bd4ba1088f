/* test_vrrp_packet.c - the VRRP advertisement codec (src/vrrp/packet.c).
 *
 * The fixtures are real keepalived 2.2.7 packets: keepalived ran as MASTER
 * in a network namespace on one end of a veth pair, and a second namespace
 * received on the other end with an IPv4 raw socket (protocol 112; 51 for
 * AH) and an IPv6 raw socket with recvmsg() (IPV6_RECVHOPLIMIT,
 * IPV6_RECVPKTINFO), exactly as vigild will. IPv4 fixtures are whole
 * datagrams as recv() returned them; IPv6 fixtures are the payload, with
 * the source, destination and hop limit (255) from the ancillary data.
 * Every fixture must parse, decode to the fields its configuration
 * implies, and be rebuilt byte for byte from the decoded struct.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "vrrp/packet.h"

/* ---- keepalived 2.2.7 fixtures ------------------------------------------ */

/* IPv4 sender 10.9.9.1 -> 224.0.0.18 (TTL 255, TOS 0xc0) unless noted. */
/* V2PASS, vrid 51 prio 150, 1 s, PASS "secret", 10.9.9.100 10.9.9.101 */
static const uint8_t ka_v2_pass[] = {
	0x45, 0xc0, 0x00, 0x2c, 0x00, 0x01, 0x00, 0x00, 0xff, 0x70, 0xc7, 0x84,
	0x0a, 0x09, 0x09, 0x01, 0xe0, 0x00, 0x00, 0x12, 0x21, 0x33, 0x96, 0x02,
	0x01, 0x01, 0xe4, 0xa1, 0x0a, 0x09, 0x09, 0x64, 0x0a, 0x09, 0x09, 0x65,
	0x73, 0x65, 0x63, 0x72, 0x65, 0x74, 0x00, 0x00,
};

/* V2PASS on SIGTERM: priority 0 */
static const uint8_t ka_v2_pass_prio0[] = {
	0x45, 0xc0, 0x00, 0x2c, 0x00, 0x0c, 0x00, 0x00, 0xff, 0x70, 0xc7, 0x79,
	0x0a, 0x09, 0x09, 0x01, 0xe0, 0x00, 0x00, 0x12, 0x21, 0x33, 0x00, 0x02,
	0x01, 0x01, 0x7a, 0xa2, 0x0a, 0x09, 0x09, 0x64, 0x0a, 0x09, 0x09, 0x65,
	0x73, 0x65, 0x63, 0x72, 0x65, 0x74, 0x00, 0x00,
};

/* V2LONG, vrid 53 prio 200, 2 s, auth_pass longpassword123 (sent as "longpass") */
static const uint8_t ka_v2_longpass[] = {
	0x45, 0xc0, 0x00, 0x28, 0x00, 0x01, 0x00, 0x00, 0xff, 0x70, 0xc7, 0x88,
	0x0a, 0x09, 0x09, 0x01, 0xe0, 0x00, 0x00, 0x12, 0x21, 0x35, 0xc8, 0x01,
	0x01, 0x02, 0x43, 0x9a, 0x0a, 0x09, 0x09, 0x78, 0x6c, 0x6f, 0x6e, 0x67,
	0x70, 0x61, 0x73, 0x73,
};

/* V2NONE, vrid 52 prio 100, 3 s, no auth, 10.9.9.110-112 */
static const uint8_t ka_v2_none[] = {
	0x45, 0xc0, 0x00, 0x30, 0x00, 0x01, 0x00, 0x00, 0xff, 0x70, 0xc7, 0x80,
	0x0a, 0x09, 0x09, 0x01, 0xe0, 0x00, 0x00, 0x12, 0x21, 0x34, 0x64, 0x03,
	0x00, 0x03, 0x40, 0x5d, 0x0a, 0x09, 0x09, 0x6e, 0x0a, 0x09, 0x09, 0x6f,
	0x0a, 0x09, 0x09, 0x70, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* V3V4, vrid 61 prio 150, 100 cs, 10.9.9.130 10.9.9.131 */
static const uint8_t ka_v3_v4[] = {
	0x45, 0xc0, 0x00, 0x24, 0x00, 0x01, 0x00, 0x00, 0xff, 0x70, 0xc7, 0x8c,
	0x0a, 0x09, 0x09, 0x01, 0xe0, 0x00, 0x00, 0x12, 0x31, 0x3d, 0x96, 0x02,
	0x00, 0x64, 0x1d, 0xa8, 0x0a, 0x09, 0x09, 0x82, 0x0a, 0x09, 0x09, 0x83,
};

/* V3V4FAST, vrid 62 prio 254, advert_int 0.5 = 50 cs, 10.9.9.140 */
static const uint8_t ka_v3_v4_fast[] = {
	0x45, 0xc0, 0x00, 0x20, 0x00, 0x01, 0x00, 0x00, 0xff, 0x70, 0xc7, 0x90,
	0x0a, 0x09, 0x09, 0x01, 0xe0, 0x00, 0x00, 0x12, 0x31, 0x3e, 0xfe, 0x01,
	0x00, 0x32, 0xc9, 0x5f, 0x0a, 0x09, 0x09, 0x8c,
};

/* V3UNI, vrid 63, unicast 10.9.9.1 -> 10.9.9.2, 10.9.9.150 */
static const uint8_t ka_v3_v4_unicast[] = {
	0x45, 0xc0, 0x00, 0x20, 0x00, 0x01, 0x00, 0x00, 0xff, 0x70, 0x94, 0x98,
	0x0a, 0x09, 0x09, 0x01, 0x0a, 0x09, 0x09, 0x02, 0x31, 0x3f, 0x96, 0x01,
	0x00, 0x64, 0xfe, 0x2a, 0x0a, 0x09, 0x09, 0x96,
};

/* V2AH, vrid 54: IPv4 (proto 51) + 24-byte AH + VRRP, auth type 2 */
static const uint8_t ka_v2_ah[] = {
	0x45, 0xc0, 0x00, 0x40, 0x00, 0x01, 0x00, 0x00, 0xff, 0x33, 0xc7, 0xad,
	0x0a, 0x09, 0x09, 0x01, 0xe0, 0x00, 0x00, 0x12, 0x70, 0x04, 0x00, 0x00,
	0x0a, 0x09, 0x09, 0x01, 0x00, 0x00, 0x00, 0x01, 0xea, 0x4a, 0x62, 0x64,
	0x6d, 0xc8, 0xa5, 0xda, 0xa9, 0xee, 0x95, 0x5e, 0x21, 0x36, 0x96, 0x01,
	0x02, 0x01, 0x33, 0x1e, 0x0a, 0x09, 0x09, 0xa0, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
};

/* V3V6 payload, vrid 71 prio 150, 100 cs, fd00:9::100-102 */
static const uint8_t ka_v3_v6[] = {
	0x31, 0x47, 0x96, 0x03, 0x00, 0x64, 0x44, 0x94, 0xfd, 0x00, 0x00, 0x09,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
	0xfd, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x01, 0x01, 0xfd, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02,
};

/* V3V6 on SIGTERM: priority 0 */
static const uint8_t ka_v3_v6_prio0[] = {
	0x31, 0x47, 0x00, 0x03, 0x00, 0x64, 0xda, 0x94, 0xfd, 0x00, 0x00, 0x09,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
	0xfd, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x01, 0x01, 0xfd, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02,
};

/* V2V6 payload: keepalived's non-standard VRRPv2 over IPv6 (no auth data) */
static const uint8_t ka_v2_v6[] = {
	0x21, 0x48, 0x78, 0x01, 0x00, 0x01, 0x6e, 0x2f, 0xfd, 0x00, 0x00, 0x09,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00,
};


/* IPv6: from keepalived's link-local (fe80::14a0:f3ff:fe48:f474) to
 * ff02::12, hop limit 255. */
#define KA_V6_SRC "fe80::14a0:f3ff:fe48:f474"
#define KA_V6_DST "ff02::12"

/* ---- helpers ------------------------------------------------------------- */

static struct in_addr a4(const char *s)
{
	struct in_addr a;
	ck_assert_int_eq(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static struct in6_addr a6(const char *s)
{
	struct in6_addr a;
	ck_assert_int_eq(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

static uint16_t field16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Recompute the checksum of a VRRP message edited by a test, so that the
 * check under test is reached. */
static void fix_checksum(uint8_t *buf, size_t len, int family, const void *src,
			 const void *dst)
{
	uint16_t ck = vrrp_advert_checksum(buf, len, family, src, dst);
	buf[6] = (uint8_t)(ck >> 8);
	buf[7] = (uint8_t)ck;
}

static const char *describe(const struct vrrp_advert *a)
{
	static char buf[128];
	return vrrp_advert_describe(buf, sizeof(buf), a);
}

/* The VRRP message of an IPv4 fixture, copied so tests may edit it. */
struct msg4 {
	uint8_t b[VRRP_ADVERT_MAX_LEN + 64];
	size_t len;
	struct in_addr src, dst;
};

static void msg4_from(struct msg4 *m, const uint8_t *ip, size_t len)
{
	struct vrrp_ipv4_datagram dg;
	ck_assert_int_eq(vrrp_ipv4_unwrap(ip, len, &dg), VRRP_IP_OK);
	memcpy(m->b, dg.payload, dg.payload_len);
	m->len = dg.payload_len;
	m->src = dg.src;
	m->dst = dg.dst;
}

static enum vrrp_pkt_err parse4(const struct msg4 *m, size_t len, struct vrrp_advert *out)
{
	return vrrp_advert_parse(m->b, len, AF_INET, &m->src, &m->dst, out);
}

/* ---- the fixtures, table driven ---------------------------------------- */

struct fixture {
	const char *name;
	const uint8_t *bytes;
	size_t len;
	int family;           /* AF_INET: whole datagram; AF_INET6: payload */
	const char *dst4;     /* expected IPv4 destination */
	uint8_t version, vrid, priority;
	uint16_t adver_int_cs;
	uint8_t auth_type;
	const char *auth;     /* the 8 auth bytes, NUL padded */
	const char *pass;     /* a password that must match, or NULL */
	uint8_t naddr;
	const char *addrs[3];
};

#define FX(n) #n, n, sizeof(n)

static const struct fixture fixtures[] = {
	{ FX(ka_v2_pass), AF_INET, "224.0.0.18", 2, 51, 150, 100, VRRP_AUTH_PASS,
	  "secret\0\0", "secret", 2, { "10.9.9.100", "10.9.9.101" } },
	{ FX(ka_v2_pass_prio0), AF_INET, "224.0.0.18", 2, 51, 0, 100, VRRP_AUTH_PASS,
	  "secret\0\0", "secret", 2, { "10.9.9.100", "10.9.9.101" } },
	{ FX(ka_v2_longpass), AF_INET, "224.0.0.18", 2, 53, 200, 200, VRRP_AUTH_PASS,
	  "longpass", "longpassword123", 1, { "10.9.9.120" } },
	{ FX(ka_v2_none), AF_INET, "224.0.0.18", 2, 52, 100, 300, VRRP_AUTH_NONE,
	  "\0\0\0\0\0\0\0\0", NULL, 3, { "10.9.9.110", "10.9.9.111", "10.9.9.112" } },
	{ FX(ka_v3_v4), AF_INET, "224.0.0.18", 3, 61, 150, 100, 0, NULL, NULL,
	  2, { "10.9.9.130", "10.9.9.131" } },
	{ FX(ka_v3_v4_fast), AF_INET, "224.0.0.18", 3, 62, 254, 50, 0, NULL, NULL,
	  1, { "10.9.9.140" } },
	{ FX(ka_v3_v4_unicast), AF_INET, "10.9.9.2", 3, 63, 150, 100, 0, NULL, NULL,
	  1, { "10.9.9.150" } },
	{ FX(ka_v3_v6), AF_INET6, NULL, 3, 71, 150, 100, 0, NULL, NULL,
	  3, { "fd00:9::100", "fd00:9::101", "fd00:9::102" } },
	{ FX(ka_v3_v6_prio0), AF_INET6, NULL, 3, 71, 0, 100, 0, NULL, NULL,
	  3, { "fd00:9::100", "fd00:9::101", "fd00:9::102" } },
};

#define NFIXTURES (int)(sizeof(fixtures) / sizeof(fixtures[0]))

START_TEST(test_keepalived_fixture)
{
	const struct fixture *f = &fixtures[_i];
	const uint8_t *msg = f->bytes;
	size_t len = f->len;
	struct in_addr s4, d4;
	struct in6_addr s6 = a6(KA_V6_SRC), d6 = a6(KA_V6_DST);
	const void *src = &s6, *dst = &d6;
	struct vrrp_ipv4_datagram dg;

	if (f->family == AF_INET) {
		ck_assert_int_eq(vrrp_ipv4_unwrap(f->bytes, f->len, &dg), VRRP_IP_OK);
		s4 = a4("10.9.9.1");
		d4 = a4(f->dst4);
		ck_assert_int_eq(dg.src.s_addr, s4.s_addr);
		ck_assert_int_eq(dg.dst.s_addr, d4.s_addr);
		ck_assert_uint_eq(dg.ttl, 255);
		ck_assert_ptr_eq(dg.payload, f->bytes + 20);
		msg = dg.payload;
		len = dg.payload_len;
		src = &dg.src;
		dst = &dg.dst;
	}

	struct vrrp_advert a;
	enum vrrp_pkt_err e = vrrp_advert_parse(msg, len, f->family, src, dst, &a);
	ck_assert_msg(e == VRRP_PKT_OK, "%s: %s", f->name, vrrp_pkt_err_str(e));
	ck_assert_uint_eq(a.version, f->version);
	ck_assert_uint_eq(a.vrid, f->vrid);
	ck_assert_uint_eq(a.priority, f->priority);
	ck_assert_uint_eq(a.adver_int_cs, f->adver_int_cs);
	ck_assert_uint_eq(a.family, (unsigned)f->family);
	ck_assert_uint_eq(a.auth_type, f->auth_type);
	if (f->auth)
		ck_assert_mem_eq(a.auth_data, f->auth, VRRP_AUTH_DATA_LEN);
	else
		ck_assert_mem_eq(a.auth_data, "\0\0\0\0\0\0\0\0", VRRP_AUTH_DATA_LEN);
	ck_assert_uint_eq(a.naddr, f->naddr);
	for (unsigned i = 0; i < f->naddr; i++) {
		if (f->family == AF_INET) {
			struct in_addr x = a4(f->addrs[i]);
			ck_assert_mem_eq(&a.addrs.v4[i], &x, sizeof(x));
		} else {
			struct in6_addr x = a6(f->addrs[i]);
			ck_assert_mem_eq(&a.addrs.v6[i], &x, sizeof(x));
		}
	}
	if (f->pass)
		ck_assert_msg(vrrp_auth_pass_matches(&a, f->pass), "%s: password", f->name);

	/* The checksum helper agrees with keepalived's field. */
	ck_assert_uint_eq(vrrp_advert_checksum(msg, len, f->family, src, dst), field16(msg + 6));

	/* Our builder produces keepalived's bytes from the decoded struct. */
	uint8_t out[VRRP_ADVERT_MAX_LEN];
	ck_assert_uint_eq(vrrp_advert_len(&a), len);
	ssize_t n = vrrp_advert_build(out, sizeof(out), &a, src, dst);
	ck_assert_int_eq(n, (ssize_t)len);
	ck_assert_msg(memcmp(out, msg, len) == 0, "%s: rebuilt bytes differ (%s)", f->name,
		      describe(&a));
}
END_TEST

/* keepalived's IPsec AH (auth_type AH): IPv4 protocol 51, a 24-byte AH
 * header (next header 112, SPI = source address, sequence number, 96-bit
 * HMAC-MD5), then an ordinary VRRPv2 message with auth type 2 and zero
 * auth data. A protocol-112 socket never sees these; the VRRP part still
 * parses as a distinct auth type and rebuilds byte for byte. */
START_TEST(test_keepalived_ah)
{
	struct vrrp_ipv4_datagram dg;
	char msg[96];

	ck_assert_int_eq(vrrp_ipv4_unwrap(ka_v2_ah, sizeof(ka_v2_ah), &dg), VRRP_IP_NOT_VRRP);
	ck_assert_str_eq(vrrp_ip_err_format(msg, sizeof(msg), VRRP_IP_NOT_VRRP, ka_v2_ah,
					    sizeof(ka_v2_ah)),
			 "protocol 51, not VRRP (112)");
	ck_assert_uint_eq(ka_v2_ah[20], VRRP_IPPROTO);   /* AH next header */

	const uint8_t *v = ka_v2_ah + 20 + 24;
	size_t len = sizeof(ka_v2_ah) - 44;
	struct vrrp_advert a;

	ck_assert_int_eq(vrrp_advert_parse(v, len, AF_INET, NULL, NULL, &a), VRRP_PKT_OK);
	ck_assert_uint_eq(a.version, 2);
	ck_assert_uint_eq(a.vrid, 54);
	ck_assert_uint_eq(a.priority, 150);
	ck_assert_uint_eq(a.auth_type, VRRP_AUTH_AH);
	ck_assert_uint_eq(a.adver_int_cs, 100);
	ck_assert_mem_eq(a.auth_data, "\0\0\0\0\0\0\0\0", 8);
	ck_assert(!vrrp_auth_pass_matches(&a, ""));

	uint8_t out[64];
	ck_assert_int_eq(vrrp_advert_build(out, sizeof(out), &a, NULL, NULL), (ssize_t)len);
	ck_assert_mem_eq(out, v, len);
}
END_TEST

/* keepalived without vrrp_strict sends "version 2" IPv6 instances as a
 * v2 header, IPv6 addresses, no auth data, and the kernel's IPv6
 * pseudo-header checksum (IPV6_CHECKSUM). RFC 3768 is IPv4 only: rejected
 * before anything else is looked at. */
START_TEST(test_keepalived_v2_over_ipv6)
{
	struct in6_addr s = a6(KA_V6_SRC), d = a6(KA_V6_DST);
	struct vrrp_advert a;
	char msg[96];

	ck_assert_int_eq(vrrp_advert_parse(ka_v2_v6, sizeof(ka_v2_v6), AF_INET6, &s, &d, &a),
			 VRRP_PKT_V2_OVER_IPV6);
	ck_assert_str_eq(vrrp_pkt_err_format(msg, sizeof(msg), VRRP_PKT_V2_OVER_IPV6, ka_v2_v6,
					     sizeof(ka_v2_v6), AF_INET6, &s, &d),
			 "VRRPv2 over IPv6 (RFC 3768 is IPv4 only)");
	/* What it is, for the record: 8 + 16 bytes and a pseudo-header sum. */
	ck_assert_uint_eq(sizeof(ka_v2_v6), 24);
	ck_assert_uint_eq(ka_v2_v6[0], 0x21);
	uint8_t copy[24];
	memcpy(copy, ka_v2_v6, sizeof(copy));
	copy[0] = 0x31;   /* as if v3: the same pseudo-header rule */
	copy[4] = 0;
	copy[5] = 100;
	uint16_t v3ck = vrrp_advert_checksum(copy, sizeof(copy), AF_INET6, &s, &d);
	fix_checksum(copy, sizeof(copy), AF_INET6, &s, &d);
	ck_assert_uint_eq(field16(copy + 6), v3ck);
}
END_TEST

/* The 224.0.0.18 pseudo-header that keepalived before 1.3.6 used for
 * unicast ("old_unicast_checksum") does not verify a 2.2.7 unicast
 * packet; 2.2.7 uses the real destination. */
START_TEST(test_keepalived_unicast_checksum)
{
	struct msg4 m;
	struct vrrp_advert a;
	struct in_addr mcast = a4("224.0.0.18");
	char msg[96];

	msg4_from(&m, ka_v3_v4_unicast, sizeof(ka_v3_v4_unicast));
	ck_assert_int_eq(parse4(&m, m.len, &a), VRRP_PKT_OK);
	ck_assert_int_eq(vrrp_advert_parse(m.b, m.len, AF_INET, &m.src, &mcast, &a),
			 VRRP_PKT_BAD_CHECKSUM);
	vrrp_pkt_err_format(msg, sizeof(msg), VRRP_PKT_BAD_CHECKSUM, m.b, m.len, AF_INET,
			    &m.src, &mcast);
	ck_assert_str_eq(msg, "checksum mismatch: 0xfe2a in packet, 0x3123 computed");
}
END_TEST

/* ---- round trips ---------------------------------------------------------- */

static void round_trip(const struct vrrp_advert *a, const void *src, const void *dst)
{
	uint8_t buf[VRRP_ADVERT_MAX_LEN];
	struct vrrp_advert b;
	ssize_t n = vrrp_advert_build(buf, sizeof(buf), a, src, dst);

	ck_assert_msg(n > 0, "build failed: %s (%s)", vrrp_pkt_err_str(vrrp_advert_check(a)),
		      describe(a));
	ck_assert_uint_eq((size_t)n, vrrp_advert_len(a));
	enum vrrp_pkt_err e = vrrp_advert_parse(buf, (size_t)n, a->family, src, dst, &b);
	ck_assert_msg(e == VRRP_PKT_OK, "parse: %s", vrrp_pkt_err_str(e));
	ck_assert_msg(vrrp_advert_equal(a, &b), "round trip: %s", describe(a));
}

static void v4_addrs(struct vrrp_advert *a, unsigned n)
{
	a->family = AF_INET;
	a->naddr = (uint8_t)n;
	for (unsigned i = 0; i < n; i++)
		a->addrs.v4[i].s_addr = htonl(0x0a000000u + i + 1);
}

static void v6_addrs(struct vrrp_advert *a, unsigned n)
{
	a->family = AF_INET6;
	a->naddr = (uint8_t)n;
	for (unsigned i = 0; i < n; i++) {
		a->addrs.v6[i] = a6("2001:db8::");
		a->addrs.v6[i].s6_addr[14] = (uint8_t)(i >> 8);
		a->addrs.v6[i].s6_addr[15] = (uint8_t)i;
	}
}

START_TEST(test_round_trip_v2_pass)
{
	struct vrrp_advert a = { .version = 2, .vrid = 51, .priority = 150, .adver_int_cs = 100,
				 .auth_type = VRRP_AUTH_PASS };
	v4_addrs(&a, 2);
	vrrp_auth_pass_encode(a.auth_data, "secret");
	round_trip(&a, NULL, NULL);
	ck_assert(vrrp_auth_pass_matches(&a, "secret"));
	a.adver_int_cs = VRRP_V2_MAX_ADVER_INT_CS;
	a.priority = 255;
	round_trip(&a, NULL, NULL);
}
END_TEST

START_TEST(test_round_trip_v2_none)
{
	struct vrrp_advert a = { .version = 2, .vrid = 1, .priority = 100, .adver_int_cs = 300 };
	v4_addrs(&a, 3);
	round_trip(&a, NULL, NULL);
	/* no addresses: keepalived sends that for a v2 instance without VIPs */
	v4_addrs(&a, 0);
	round_trip(&a, NULL, NULL);
	v4_addrs(&a, VRRP_MAX_ADDRS);
	round_trip(&a, NULL, NULL);
}
END_TEST

START_TEST(test_round_trip_v3_ipv4)
{
	struct in_addr s = a4("192.0.2.1"), d = a4("224.0.0.18");
	struct vrrp_advert a = { .version = 3, .vrid = 200, .priority = 1, .adver_int_cs = 1 };
	v4_addrs(&a, 1);
	round_trip(&a, &s, &d);
	a.adver_int_cs = VRRP_V3_MAX_ADVER_INT_CS;
	v4_addrs(&a, 17);
	round_trip(&a, &s, &d);
}
END_TEST

START_TEST(test_round_trip_v3_ipv6)
{
	struct in6_addr s = a6("fe80::1"), d = a6("ff02::12");
	struct vrrp_advert a = { .version = 3, .vrid = 7, .priority = 254, .adver_int_cs = 25 };
	v6_addrs(&a, 4);
	round_trip(&a, &s, &d);
	v6_addrs(&a, VRRP_MAX_ADDRS);
	round_trip(&a, &s, &d);

	uint8_t buf[VRRP_ADVERT_MAX_LEN];
	ck_assert_int_eq(vrrp_advert_build(buf, sizeof(buf), &a, &s, &d), VRRP_ADVERT_MAX_LEN);
}
END_TEST

/* ---- one test per parse error --------------------------------------------- */

/* Every prefix of a message fails with the error of the field it stops in. */
START_TEST(test_truncated_each_field)
{
	struct msg4 m;
	struct vrrp_advert a;
	char msg[96];

	/* v2: header 0-7, two addresses 8-15, auth data 16-23 */
	msg4_from(&m, ka_v2_pass, sizeof(ka_v2_pass));
	ck_assert_uint_eq(m.len, 24);
	for (size_t n = 0; n < m.len; n++) {
		enum vrrp_pkt_err want = n < 8 ? VRRP_PKT_TRUNCATED_HDR
				       : n < 16 ? VRRP_PKT_TRUNCATED_ADDRS
						: VRRP_PKT_TRUNCATED_AUTH;
		ck_assert_msg(parse4(&m, n, &a) == want, "v2 cut at %zu", n);
	}
	vrrp_pkt_err_format(msg, sizeof(msg), VRRP_PKT_TRUNCATED_ADDRS, m.b, 12, AF_INET, NULL,
			    NULL);
	ck_assert_str_eq(msg, "truncated in the address list: 12 bytes, count 2 needs 16");
	vrrp_pkt_err_format(msg, sizeof(msg), VRRP_PKT_TRUNCATED_AUTH, m.b, 20, AF_INET, NULL,
			    NULL);
	ck_assert_str_eq(msg, "truncated in the authentication data: 20 bytes, need 24");
	vrrp_pkt_err_format(msg, sizeof(msg), VRRP_PKT_TRUNCATED_HDR, m.b, 5, AF_INET, NULL,
			    NULL);
	ck_assert_str_eq(msg, "truncated VRRP header: 5 bytes, need 8");
	ck_assert_int_eq(vrrp_advert_parse(NULL, 0, AF_INET, NULL, NULL, &a),
			 VRRP_PKT_TRUNCATED_HDR);

	/* v3 IPv6: header 0-7, three addresses 8-55, nothing after */
	struct in6_addr s = a6(KA_V6_SRC), d = a6(KA_V6_DST);
	for (size_t n = 0; n < sizeof(ka_v3_v6); n++) {
		enum vrrp_pkt_err want = n < 8 ? VRRP_PKT_TRUNCATED_HDR : VRRP_PKT_TRUNCATED_ADDRS;
		ck_assert_msg(vrrp_advert_parse(ka_v3_v6, n, AF_INET6, &s, &d, &a) == want,
			      "v3 cut at %zu", n);
	}
}
END_TEST

START_TEST(test_bad_version)
{
	struct msg4 m;
	struct vrrp_advert a;
	char msg[96];

	msg4_from(&m, ka_v2_pass, sizeof(ka_v2_pass));
	for (unsigned v = 0; v < 16; v++) {
		if (v == 2 || v == 3)
			continue;
		m.b[0] = (uint8_t)(v << 4 | 1);
		fix_checksum(m.b, m.len, AF_INET, &m.src, &m.dst);
		ck_assert_msg(parse4(&m, m.len, &a) == VRRP_PKT_BAD_VERSION, "version %u", v);
	}
	m.b[0] = 0x41;
	vrrp_pkt_err_format(msg, sizeof(msg), VRRP_PKT_BAD_VERSION, m.b, m.len, AF_INET, NULL,
			    NULL);
	ck_assert_str_eq(msg, "bad version 4");
}
END_TEST

START_TEST(test_bad_type)
{
	struct msg4 m;
	struct vrrp_advert a;
	char msg[96];

	msg4_from(&m, ka_v3_v4, sizeof(ka_v3_v4));
	for (unsigned t = 0; t < 16; t++) {
		if (t == VRRP_TYPE_ADVERTISEMENT)
			continue;
		m.b[0] = (uint8_t)(3 << 4 | t);
		fix_checksum(m.b, m.len, AF_INET, &m.src, &m.dst);
		ck_assert_msg(parse4(&m, m.len, &a) == VRRP_PKT_BAD_TYPE, "type %u", t);
	}
	m.b[0] = 0x32;
	vrrp_pkt_err_format(msg, sizeof(msg), VRRP_PKT_BAD_TYPE, m.b, m.len, AF_INET, &m.src,
			    &m.dst);
	ck_assert_str_eq(msg, "bad type 2");
}
END_TEST

START_TEST(test_v2_over_ipv6)
{
	struct in6_addr s = a6("fe80::1"), d = a6("ff02::12");
	struct vrrp_advert a = { .version = 2, .adver_int_cs = 100 };
	v6_addrs(&a, 1);
	ck_assert_int_eq(vrrp_advert_check(&a), VRRP_PKT_V2_OVER_IPV6);
	uint8_t buf[64];
	ck_assert_int_eq(vrrp_advert_build(buf, sizeof(buf), &a, &s, &d), -1);
	/* A v2 message with auth data sent over IPv6 is rejected too. */
	struct msg4 m;
	msg4_from(&m, ka_v2_pass, sizeof(ka_v2_pass));
	ck_assert_int_eq(vrrp_advert_parse(m.b, m.len, AF_INET6, &s, &d, &a),
			 VRRP_PKT_V2_OVER_IPV6);
}
END_TEST

/* A count larger than the payload: the message ends inside the list, or
 * (v2) the addresses fit but the auth data does not. */
START_TEST(test_count_too_large)
{
	struct msg4 m;
	struct vrrp_advert a;

	msg4_from(&m, ka_v2_pass, sizeof(ka_v2_pass));
	m.b[3] = 3;   /* 8 + 12 fits in 24, 8 + 12 + 8 does not */
	ck_assert_int_eq(parse4(&m, m.len, &a), VRRP_PKT_TRUNCATED_AUTH);
	m.b[3] = 10;
	ck_assert_int_eq(parse4(&m, m.len, &a), VRRP_PKT_TRUNCATED_ADDRS);
	m.b[3] = 255;
	ck_assert_int_eq(parse4(&m, m.len, &a), VRRP_PKT_TRUNCATED_ADDRS);

	uint8_t v6[sizeof(ka_v3_v6)];
	struct in6_addr s = a6(KA_V6_SRC), d = a6(KA_V6_DST);
	memcpy(v6, ka_v3_v6, sizeof(v6));
	v6[3] = 4;
	ck_assert_int_eq(vrrp_advert_parse(v6, sizeof(v6), AF_INET6, &s, &d, &a),
			 VRRP_PKT_TRUNCATED_ADDRS);
	/* An IPv4 count read as IPv6: 2 * 16 > 16 */
	msg4_from(&m, ka_v3_v4, sizeof(ka_v3_v4));
	ck_assert_int_eq(vrrp_advert_parse(m.b, m.len, AF_INET6, &s, &d, &a),
			 VRRP_PKT_TRUNCATED_ADDRS);
}
END_TEST

/* Trailing bytes are rejected (see packet.h): a count smaller than the
 * payload, or bytes appended to a complete message. */
START_TEST(test_trailing_bytes)
{
	struct msg4 m;
	struct vrrp_advert a;
	char msg[96];

	msg4_from(&m, ka_v2_pass, sizeof(ka_v2_pass));
	m.b[m.len] = 0;
	ck_assert_int_eq(parse4(&m, m.len + 1, &a), VRRP_PKT_TRAILING);
	vrrp_pkt_err_format(msg, sizeof(msg), VRRP_PKT_TRAILING, m.b, m.len + 1, AF_INET, NULL,
			    NULL);
	ck_assert_str_eq(msg, "1 bytes after the 24-byte advertisement (count 2)");
	m.b[3] = 1;
	ck_assert_int_eq(parse4(&m, m.len, &a), VRRP_PKT_TRAILING);
	m.b[3] = 0;
	ck_assert_int_eq(parse4(&m, m.len, &a), VRRP_PKT_TRAILING);

	/* v3: an extra address's worth of bytes with the checksum fixed, so
	 * that only the length is wrong */
	msg4_from(&m, ka_v3_v4, sizeof(ka_v3_v4));
	memset(m.b + m.len, 0, 4);
	fix_checksum(m.b, m.len + 4, AF_INET, &m.src, &m.dst);
	ck_assert_int_eq(parse4(&m, m.len + 4, &a), VRRP_PKT_TRAILING);
	/* An IPv6 count read as IPv4 */
	struct in_addr s = a4("10.9.9.1"), d = a4("224.0.0.18");
	ck_assert_int_eq(vrrp_advert_parse(ka_v3_v6, sizeof(ka_v3_v6), AF_INET, &s, &d, &a),
			 VRRP_PKT_TRAILING);
}
END_TEST

/* Flip every bit: nothing parses. Every byte other than version/type (0)
 * and count (3) is covered by the checksum alone. */
START_TEST(test_bad_checksum_bit_flips)
{
	const struct {
		const uint8_t *ip;
		size_t len;
	} cases[] = {
		{ ka_v2_pass, sizeof(ka_v2_pass) },
		{ ka_v2_none, sizeof(ka_v2_none) },
		{ ka_v3_v4, sizeof(ka_v3_v4) },
	};
	struct vrrp_advert a;

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct msg4 m;
		msg4_from(&m, cases[c].ip, cases[c].len);
		for (size_t bit = 0; bit < m.len * 8; bit++) {
			size_t byte = bit / 8;
			m.b[byte] ^= (uint8_t)(1u << (bit % 8));
			enum vrrp_pkt_err e = parse4(&m, m.len, &a);
			ck_assert_msg(e != VRRP_PKT_OK, "case %zu bit %zu accepted", c, bit);
			if (byte != 0 && byte != 3)
				ck_assert_msg(e == VRRP_PKT_BAD_CHECKSUM, "case %zu bit %zu: %s", c,
					      bit, vrrp_pkt_err_str(e));
			m.b[byte] ^= (uint8_t)(1u << (bit % 8));
		}
		ck_assert_int_eq(parse4(&m, m.len, &a), VRRP_PKT_OK);
	}

	/* IPv6, and the pseudo-header: another source or destination */
	uint8_t v6[sizeof(ka_v3_v6)];
	struct in6_addr s = a6(KA_V6_SRC), d = a6(KA_V6_DST), other = a6("fe80::1");
	memcpy(v6, ka_v3_v6, sizeof(v6));
	v6[20] ^= 0x40;
	ck_assert_int_eq(vrrp_advert_parse(v6, sizeof(v6), AF_INET6, &s, &d, &a),
			 VRRP_PKT_BAD_CHECKSUM);
	ck_assert_int_eq(vrrp_advert_parse(ka_v3_v6, sizeof(v6), AF_INET6, &other, &d, &a),
			 VRRP_PKT_BAD_CHECKSUM);
	ck_assert_int_eq(vrrp_advert_parse(ka_v3_v6, sizeof(v6), AF_INET6, &s, &other, &a),
			 VRRP_PKT_BAD_CHECKSUM);

	struct msg4 m;
	char msg[96];
	msg4_from(&m, ka_v2_pass, sizeof(ka_v2_pass));
	m.b[7] ^= 1;
	vrrp_pkt_err_format(msg, sizeof(msg), VRRP_PKT_BAD_CHECKSUM, m.b, m.len, AF_INET, NULL,
			    NULL);
	ck_assert_str_eq(msg, "checksum mismatch: 0xe4a0 in packet, 0xe4a1 computed");
}
END_TEST

/* Both one's complement zeros verify (RFC 1071), as in keepalived. */
START_TEST(test_checksum_negative_zero)
{
	struct msg4 m;
	struct vrrp_advert a;

	msg4_from(&m, ka_v2_none, sizeof(ka_v2_none));
	/* Add the checksum into an address word: the sum of the rest then
	 * becomes 0xffff, and the checksum to send 0x0000. */
	uint32_t w = field16(m.b + 8) + field16(m.b + 6);
	w = (w & 0xffff) + (w >> 16);
	m.b[8] = (uint8_t)(w >> 8);
	m.b[9] = (uint8_t)w;
	m.b[6] = m.b[7] = 0;
	ck_assert_uint_eq(vrrp_advert_checksum(m.b, m.len, AF_INET, NULL, NULL), 0);
	ck_assert_int_eq(parse4(&m, m.len, &a), VRRP_PKT_OK);
	m.b[6] = m.b[7] = 0xff;
	ck_assert_int_eq(parse4(&m, m.len, &a), VRRP_PKT_OK);
}
END_TEST

START_TEST(test_bad_auth_type)
{
	struct msg4 m;
	struct vrrp_advert a;
	char msg[96];

	msg4_from(&m, ka_v2_pass, sizeof(ka_v2_pass));
	for (unsigned t = 0; t < 256; t++) {
		m.b[4] = (uint8_t)t;
		fix_checksum(m.b, m.len, AF_INET, &m.src, &m.dst);
		enum vrrp_pkt_err e = parse4(&m, m.len, &a);
		if (t <= VRRP_AUTH_AH) {
			ck_assert_int_eq(e, VRRP_PKT_OK);
			ck_assert_uint_eq(a.auth_type, t);
		} else {
			ck_assert_msg(e == VRRP_PKT_BAD_AUTH_TYPE, "auth type %u", t);
		}
	}
	m.b[4] = 3;
	vrrp_pkt_err_format(msg, sizeof(msg), VRRP_PKT_BAD_AUTH_TYPE, m.b, m.len, AF_INET, NULL,
			    NULL);
	ck_assert_str_eq(msg, "bad auth type 3");
}
END_TEST

START_TEST(test_zero_interval)
{
	struct msg4 m;
	struct vrrp_advert a;

	msg4_from(&m, ka_v2_pass, sizeof(ka_v2_pass));
	m.b[5] = 0;
	fix_checksum(m.b, m.len, AF_INET, &m.src, &m.dst);
	ck_assert_int_eq(parse4(&m, m.len, &a), VRRP_PKT_ZERO_INTERVAL);

	msg4_from(&m, ka_v3_v4, sizeof(ka_v3_v4));
	m.b[4] = 0;
	m.b[5] = 0;
	fix_checksum(m.b, m.len, AF_INET, &m.src, &m.dst);
	ck_assert_int_eq(parse4(&m, m.len, &a), VRRP_PKT_ZERO_INTERVAL);
	/* reserved bits set, interval 0: still 0 */
	m.b[4] = 0xf0;
	fix_checksum(m.b, m.len, AF_INET, &m.src, &m.dst);
	ck_assert_int_eq(parse4(&m, m.len, &a), VRRP_PKT_ZERO_INTERVAL);
}
END_TEST

/* RFC 5798 5.2.6: reserved bits are ignored on reception and sent as 0. */
START_TEST(test_v3_reserved_bits_ignored)
{
	struct msg4 m;
	struct vrrp_advert a;
	uint8_t out[64];

	msg4_from(&m, ka_v3_v4, sizeof(ka_v3_v4));
	m.b[4] |= 0xf0;
	fix_checksum(m.b, m.len, AF_INET, &m.src, &m.dst);
	ck_assert_int_eq(parse4(&m, m.len, &a), VRRP_PKT_OK);
	ck_assert_uint_eq(a.adver_int_cs, 100);
	ck_assert_int_eq(vrrp_advert_build(out, sizeof(out), &a, &m.src, &m.dst), (ssize_t)m.len);
	ck_assert_uint_eq(out[4], 0x00);
	ck_assert_mem_eq(out, ka_v3_v4 + 20, m.len);
}
END_TEST

START_TEST(test_bad_args)
{
	struct msg4 m;
	struct vrrp_advert a;

	msg4_from(&m, ka_v3_v4, sizeof(ka_v3_v4));
	ck_assert_int_eq(vrrp_advert_parse(m.b, m.len, AF_UNIX, &m.src, &m.dst, &a),
			 VRRP_PKT_BAD_ARGS);
	ck_assert_int_eq(vrrp_advert_parse(m.b, m.len, AF_INET, NULL, &m.dst, &a),
			 VRRP_PKT_BAD_ARGS);
	ck_assert_int_eq(vrrp_advert_parse(m.b, m.len, AF_INET, &m.src, NULL, &a),
			 VRRP_PKT_BAD_ARGS);
	/* v2 needs no pseudo-header */
	msg4_from(&m, ka_v2_pass, sizeof(ka_v2_pass));
	ck_assert_int_eq(vrrp_advert_parse(m.b, m.len, AF_INET, NULL, NULL, &a), VRRP_PKT_OK);
}
END_TEST

/* ---- layer 1: IPv4 ------------------------------------------------------- */

START_TEST(test_ipv4_unwrap_errors)
{
	uint8_t p[128];
	size_t len = sizeof(ka_v2_pass);
	struct vrrp_ipv4_datagram dg;
	char msg[96];

#define RESET() memcpy(p, ka_v2_pass, len)
	RESET();
	ck_assert_int_eq(vrrp_ipv4_unwrap(p, 19, &dg), VRRP_IP_SHORT);
	ck_assert_int_eq(vrrp_ipv4_unwrap(NULL, 0, &dg), VRRP_IP_SHORT);
	ck_assert_str_eq(vrrp_ip_err_format(msg, sizeof(msg), VRRP_IP_SHORT, p, 19),
			 "19 bytes, shorter than an IPv4 header (20)");

	p[0] = 0x65;
	ck_assert_int_eq(vrrp_ipv4_unwrap(p, len, &dg), VRRP_IP_BAD_VERSION);
	ck_assert_str_eq(vrrp_ip_err_format(msg, sizeof(msg), VRRP_IP_BAD_VERSION, p, len),
			 "IP version 6, not 4");

	RESET();
	p[0] = 0x44;
	ck_assert_int_eq(vrrp_ipv4_unwrap(p, len, &dg), VRRP_IP_BAD_HDR_LEN);
	ck_assert_str_eq(vrrp_ip_err_format(msg, sizeof(msg), VRRP_IP_BAD_HDR_LEN, p, len),
			 "IP header length 16 bytes, below 20");

	RESET();
	p[0] = 0x4f;   /* 60 bytes of header in a 44-byte datagram */
	ck_assert_int_eq(vrrp_ipv4_unwrap(p, len, &dg), VRRP_IP_HDR_TRUNCATED);
	ck_assert_str_eq(vrrp_ip_err_format(msg, sizeof(msg), VRRP_IP_HDR_TRUNCATED, p, len),
			 "IP header length 60 bytes, datagram only 44");

	RESET();
	p[3] = 19;
	ck_assert_int_eq(vrrp_ipv4_unwrap(p, len, &dg), VRRP_IP_BAD_TOTAL_LEN);
	ck_assert_str_eq(vrrp_ip_err_format(msg, sizeof(msg), VRRP_IP_BAD_TOTAL_LEN, p, len),
			 "IP total length 19 shorter than its 20-byte header");

	RESET();
	ck_assert_int_eq(vrrp_ipv4_unwrap(p, len - 1, &dg), VRRP_IP_TRUNCATED);
	ck_assert_str_eq(vrrp_ip_err_format(msg, sizeof(msg), VRRP_IP_TRUNCATED, p, len - 1),
			 "datagram truncated: IP total length 44, 43 bytes received");

	p[len] = 0;
	ck_assert_int_eq(vrrp_ipv4_unwrap(p, len + 1, &dg), VRRP_IP_TRAILING);
	ck_assert_str_eq(vrrp_ip_err_format(msg, sizeof(msg), VRRP_IP_TRAILING, p, len + 1),
			 "IP total length 44, but 45 bytes received");

	p[9] = 6;
	ck_assert_int_eq(vrrp_ipv4_unwrap(p, len, &dg), VRRP_IP_NOT_VRRP);
	ck_assert_str_eq(vrrp_ip_err_format(msg, sizeof(msg), VRRP_IP_NOT_VRRP, p, len),
			 "protocol 6, not VRRP (112)");
#undef RESET
}
END_TEST

/* An IPv4 header with options (here a 4-byte Router Alert): the payload
 * starts after IHL * 4 bytes. */
START_TEST(test_ipv4_options)
{
	uint8_t p[64];
	struct vrrp_ipv4_datagram dg;
	struct vrrp_advert a;

	memcpy(p, ka_v3_v4, 20);
	p[0] = 0x46;
	p[3] = (uint8_t)(sizeof(ka_v3_v4) + 4);
	p[20] = 0x94;
	p[21] = 0x04;
	p[22] = p[23] = 0;
	memcpy(p + 24, ka_v3_v4 + 20, sizeof(ka_v3_v4) - 20);
	ck_assert_int_eq(vrrp_ipv4_unwrap(p, sizeof(ka_v3_v4) + 4, &dg), VRRP_IP_OK);
	ck_assert_ptr_eq(dg.payload, p + 24);
	ck_assert_uint_eq(dg.payload_len, sizeof(ka_v3_v4) - 20);
	ck_assert_int_eq(vrrp_advert_parse(dg.payload, dg.payload_len, AF_INET, &dg.src, &dg.dst,
					   &a),
			 VRRP_PKT_OK);
	ck_assert_uint_eq(a.vrid, 61);
}
END_TEST

/* ---- strings ------------------------------------------------------------- */

START_TEST(test_error_strings)
{
	char msg[8];

	for (int i = VRRP_PKT_OK; i <= VRRP_PKT_BAD_INTERVAL; i++) {
		const char *s = vrrp_pkt_err_str((enum vrrp_pkt_err)i);
		ck_assert(s && *s && strstr(s, "unknown") == NULL);
		for (int j = VRRP_PKT_OK; j < i; j++)
			ck_assert_str_ne(s, vrrp_pkt_err_str((enum vrrp_pkt_err)j));
		/* format never fails, whatever the bytes */
		char big[128];
		ck_assert_ptr_nonnull(vrrp_pkt_err_format(big, sizeof(big), (enum vrrp_pkt_err)i,
							  NULL, 0, AF_INET, NULL, NULL));
		ck_assert_str_ne(big, "");
	}
	ck_assert_str_eq(vrrp_pkt_err_str((enum vrrp_pkt_err)99), "unknown VRRP error");
	for (int i = VRRP_IP_OK; i <= VRRP_IP_NOT_VRRP; i++) {
		const char *s = vrrp_ip_err_str((enum vrrp_ip_err)i);
		ck_assert(s && *s && strstr(s, "unknown") == NULL);
		for (int j = VRRP_IP_OK; j < i; j++)
			ck_assert_str_ne(s, vrrp_ip_err_str((enum vrrp_ip_err)j));
		char big[128];
		vrrp_ip_err_format(big, sizeof(big), (enum vrrp_ip_err)i, NULL, 0);
		ck_assert_str_ne(big, "");
	}
	ck_assert_str_eq(vrrp_ip_err_str((enum vrrp_ip_err)99), "unknown IP error");
	/* a small buffer truncates */
	vrrp_pkt_err_format(msg, sizeof(msg), VRRP_PKT_BAD_CHECKSUM, NULL, 0, AF_INET, NULL, NULL);
	ck_assert_str_eq(msg, "checksu");

	struct vrrp_advert a;
	struct msg4 m;
	char d[128];
	msg4_from(&m, ka_v2_pass, sizeof(ka_v2_pass));
	ck_assert_int_eq(parse4(&m, m.len, &a), VRRP_PKT_OK);
	ck_assert_str_eq(vrrp_advert_describe(d, sizeof(d), &a),
			 "v2 vrid 51 prio 150 int 100cs 2 IPv4 addrs auth PASS");
}
END_TEST

/* ---- building ------------------------------------------------------------- */

START_TEST(test_build_errors)
{
	struct in_addr s = a4("10.0.0.1"), d = a4("224.0.0.18");
	struct vrrp_advert a = { .version = 2, .vrid = 1, .priority = 100, .adver_int_cs = 100 };
	uint8_t buf[64];

	v4_addrs(&a, 2);
	ck_assert_int_eq(vrrp_advert_check(&a), VRRP_PKT_OK);
	ck_assert_uint_eq(vrrp_advert_len(&a), 24);
	ck_assert_int_eq(vrrp_advert_build(buf, 23, &a, NULL, NULL), -1);
	ck_assert_int_eq(vrrp_advert_build(NULL, 64, &a, NULL, NULL), -1);
	ck_assert_int_eq(vrrp_advert_build(buf, 24, &a, NULL, NULL), 24);

	a.adver_int_cs = 150;   /* v2 has no half seconds; no silent rounding */
	ck_assert_int_eq(vrrp_advert_check(&a), VRRP_PKT_BAD_INTERVAL);
	ck_assert_int_eq(vrrp_advert_build(buf, sizeof(buf), &a, NULL, NULL), -1);
	a.adver_int_cs = VRRP_V2_MAX_ADVER_INT_CS + 100;
	ck_assert_int_eq(vrrp_advert_check(&a), VRRP_PKT_BAD_INTERVAL);
	a.adver_int_cs = 0;
	ck_assert_int_eq(vrrp_advert_check(&a), VRRP_PKT_ZERO_INTERVAL);
	a.adver_int_cs = 100;
	a.auth_type = 3;
	ck_assert_int_eq(vrrp_advert_check(&a), VRRP_PKT_BAD_AUTH_TYPE);
	a.auth_type = 0;
	a.version = 4;
	ck_assert_int_eq(vrrp_advert_check(&a), VRRP_PKT_BAD_VERSION);
	a.version = 3;
	a.family = 0;
	ck_assert_int_eq(vrrp_advert_check(&a), VRRP_PKT_BAD_ARGS);
	a.family = AF_INET;
	a.adver_int_cs = VRRP_V3_MAX_ADVER_INT_CS + 1;
	ck_assert_int_eq(vrrp_advert_check(&a), VRRP_PKT_BAD_INTERVAL);
	a.adver_int_cs = 150;   /* fine in v3 */
	ck_assert_int_eq(vrrp_advert_check(&a), VRRP_PKT_OK);
	ck_assert_int_eq(vrrp_advert_build(buf, sizeof(buf), &a, NULL, &d), -1);
	ck_assert_int_eq(vrrp_advert_build(buf, sizeof(buf), &a, &s, NULL), -1);
	ck_assert_int_eq(vrrp_advert_build(buf, sizeof(buf), &a, &s, &d), 16);
	ck_assert_int_eq(vrrp_advert_build(buf, sizeof(buf), NULL, &s, &d), -1);
}
END_TEST

/* ---- helpers for the instance ----------------------------------------- */

START_TEST(test_auth_pass)
{
	struct msg4 m;
	struct vrrp_advert a;
	uint8_t enc[VRRP_AUTH_DATA_LEN];

	vrrp_auth_pass_encode(enc, "secret");
	ck_assert_mem_eq(enc, "secret\0\0", 8);
	vrrp_auth_pass_encode(enc, "longpassword123");
	ck_assert_mem_eq(enc, "longpass", 8);
	vrrp_auth_pass_encode(enc, NULL);
	ck_assert_mem_eq(enc, "\0\0\0\0\0\0\0\0", 8);

	msg4_from(&m, ka_v2_pass, sizeof(ka_v2_pass));
	ck_assert_int_eq(parse4(&m, m.len, &a), VRRP_PKT_OK);
	ck_assert(vrrp_auth_pass_matches(&a, "secret"));
	ck_assert(!vrrp_auth_pass_matches(&a, "secret1"));
	ck_assert(!vrrp_auth_pass_matches(&a, "secre"));
	ck_assert(!vrrp_auth_pass_matches(&a, ""));

	/* keepalived truncates auth_pass to 8 characters on both sides */
	msg4_from(&m, ka_v2_longpass, sizeof(ka_v2_longpass));
	ck_assert_int_eq(parse4(&m, m.len, &a), VRRP_PKT_OK);
	ck_assert(vrrp_auth_pass_matches(&a, "longpass"));
	ck_assert(vrrp_auth_pass_matches(&a, "longpassword123"));
	ck_assert(vrrp_auth_pass_matches(&a, "longpass-anything"));
	ck_assert(!vrrp_auth_pass_matches(&a, "longpas"));

	/* only for PASS, only for v2 */
	msg4_from(&m, ka_v2_none, sizeof(ka_v2_none));
	ck_assert_int_eq(parse4(&m, m.len, &a), VRRP_PKT_OK);
	ck_assert(!vrrp_auth_pass_matches(&a, ""));
	msg4_from(&m, ka_v3_v4, sizeof(ka_v3_v4));
	ck_assert_int_eq(parse4(&m, m.len, &a), VRRP_PKT_OK);
	ck_assert(!vrrp_auth_pass_matches(&a, ""));
}
END_TEST

START_TEST(test_advert_equal)
{
	struct vrrp_advert a = { .version = 2, .vrid = 9, .priority = 100, .adver_int_cs = 100,
				 .auth_type = VRRP_AUTH_PASS };
	struct vrrp_advert b;

	v4_addrs(&a, 3);
	vrrp_auth_pass_encode(a.auth_data, "pw");
	b = a;
	ck_assert(vrrp_advert_equal(&a, &b));
	/* unused address slots do not count */
	b.addrs.v4[100].s_addr = 1;
	ck_assert(vrrp_advert_equal(&a, &b));
	b = a; b.vrid++;            ck_assert(!vrrp_advert_equal(&a, &b));
	b = a; b.priority++;        ck_assert(!vrrp_advert_equal(&a, &b));
	b = a; b.adver_int_cs += 100; ck_assert(!vrrp_advert_equal(&a, &b));
	b = a; b.naddr--;           ck_assert(!vrrp_advert_equal(&a, &b));
	b = a; b.addrs.v4[2].s_addr ^= 1; ck_assert(!vrrp_advert_equal(&a, &b));
	b = a; b.auth_type = 0;     ck_assert(!vrrp_advert_equal(&a, &b));
	b = a; b.auth_data[7] = 1;  ck_assert(!vrrp_advert_equal(&a, &b));
	b = a; b.version = 3;       ck_assert(!vrrp_advert_equal(&a, &b));
	/* v3 ignores the auth fields */
	a.version = 3;
	b = a; b.auth_data[0] ^= 1; ck_assert(vrrp_advert_equal(&a, &b));
}
END_TEST

/* ---- layer 3 helper: vrrp_ttl_check() ---------------------------------- */

START_TEST(test_ttl_multicast)
{
	struct vrrp_ttl_rule r = { .unicast = false, .min_ttl = 0, .max_ttl = 255 };
	ck_assert_int_eq(vrrp_ttl_check(&r, 255), VRRP_TTL_OK);
	ck_assert_int_eq(vrrp_ttl_check(&r, 254), VRRP_TTL_NOT_255);
	ck_assert_int_eq(vrrp_ttl_check(&r, 1), VRRP_TTL_NOT_255);
	ck_assert_int_eq(vrrp_ttl_check(&r, 0), VRRP_TTL_NOT_255);
	ck_assert_int_eq(vrrp_ttl_check(&r, -1), VRRP_TTL_NOT_255);
	/* the unicast settings do not apply to a multicast instance */
	r.min_ttl = 10;
	r.max_ttl = 20;
	r.on_link_255 = r.peer_on_link = true;
	ck_assert_int_eq(vrrp_ttl_check(&r, 255), VRRP_TTL_OK);
	ck_assert_int_eq(vrrp_ttl_check(&r, 15), VRRP_TTL_NOT_255);
}
END_TEST

/* keepalived: no TTL check on unicast adverts unless min_ttl/max_ttl */
START_TEST(test_ttl_unicast_default)
{
	struct vrrp_ttl_rule r = { .unicast = true, .min_ttl = 0, .max_ttl = 255 };
	for (int ttl = 0; ttl <= 255; ttl++)
		ck_assert_int_eq(vrrp_ttl_check(&r, ttl), VRRP_TTL_OK);
	/* nothing written: not even an unknown TTL is refused */
	ck_assert_int_eq(vrrp_ttl_check(&r, -1), VRRP_TTL_OK);
	/* check_unicast_ttl for a routed peer: no change */
	r.on_link_255 = true;
	ck_assert_int_eq(vrrp_ttl_check(&r, 61), VRRP_TTL_OK);
}
END_TEST

START_TEST(test_ttl_unicast_range)
{
	struct vrrp_ttl_rule r = { .unicast = true, .min_ttl = 250, .max_ttl = 254 };
	ck_assert_int_eq(vrrp_ttl_check(&r, 249), VRRP_TTL_OUT_OF_RANGE);
	ck_assert_int_eq(vrrp_ttl_check(&r, 250), VRRP_TTL_OK);
	ck_assert_int_eq(vrrp_ttl_check(&r, 254), VRRP_TTL_OK);
	ck_assert_int_eq(vrrp_ttl_check(&r, 255), VRRP_TTL_OUT_OF_RANGE);
	ck_assert_int_eq(vrrp_ttl_check(&r, -1), VRRP_TTL_OUT_OF_RANGE);
	/* min_ttl alone: up to 255 */
	r.max_ttl = 255;
	ck_assert_int_eq(vrrp_ttl_check(&r, 255), VRRP_TTL_OK);
	ck_assert_int_eq(vrrp_ttl_check(&r, 200), VRRP_TTL_OUT_OF_RANGE);
	/* max_ttl alone: from 0 */
	r.min_ttl = 0;
	r.max_ttl = 64;
	ck_assert_int_eq(vrrp_ttl_check(&r, 0), VRRP_TTL_OK);
	ck_assert_int_eq(vrrp_ttl_check(&r, 65), VRRP_TTL_OUT_OF_RANGE);
	/* min above max (-t refuses it): everything out */
	r.min_ttl = 200;
	r.max_ttl = 100;
	ck_assert_int_eq(vrrp_ttl_check(&r, 150), VRRP_TTL_OUT_OF_RANGE);
}
END_TEST

/* vigil's check_unicast_ttl: 255 from a peer on the link */
START_TEST(test_ttl_unicast_on_link)
{
	struct vrrp_ttl_rule r = { .unicast = true, .min_ttl = 0, .max_ttl = 255,
				   .on_link_255 = true, .peer_on_link = true };
	ck_assert_int_eq(vrrp_ttl_check(&r, 255), VRRP_TTL_OK);
	ck_assert_int_eq(vrrp_ttl_check(&r, 254), VRRP_TTL_NOT_255);
	ck_assert_int_eq(vrrp_ttl_check(&r, 64), VRRP_TTL_NOT_255);
	ck_assert_int_eq(vrrp_ttl_check(&r, -1), VRRP_TTL_NOT_255);
	/* the option off: the on-link peer's 254 passes (keepalived) */
	r.on_link_255 = false;
	ck_assert_int_eq(vrrp_ttl_check(&r, 254), VRRP_TTL_OK);
	/* a routed peer with the option on: its range, not 255 */
	r.on_link_255 = true;
	r.peer_on_link = false;
	r.min_ttl = 60;
	ck_assert_int_eq(vrrp_ttl_check(&r, 62), VRRP_TTL_OK);
	ck_assert_int_eq(vrrp_ttl_check(&r, 59), VRRP_TTL_OUT_OF_RANGE);
	/* both apply: the range is judged first, as keepalived does */
	r.peer_on_link = true;
	r.min_ttl = 0;
	r.max_ttl = 100;
	ck_assert_int_eq(vrrp_ttl_check(&r, 254), VRRP_TTL_OUT_OF_RANGE);
	ck_assert_int_eq(vrrp_ttl_check(&r, 64), VRRP_TTL_NOT_255);
}
END_TEST

/* iface_on_link()'s pure part */
START_TEST(test_vaddr_in_prefix)
{
	struct vaddr a, net;
	ck_assert_ptr_null(vaddr_parse("10.11.12.2", false, &a));
	ck_assert_ptr_null(vaddr_parse("10.11.12.1", false, &net));
	ck_assert(vaddr_in_prefix(&a, &net, 24));
	ck_assert(vaddr_in_prefix(&a, &net, 30));
	ck_assert(!vaddr_in_prefix(&a, &net, 31));
	ck_assert(!vaddr_in_prefix(&a, &net, 32));
	ck_assert(vaddr_in_prefix(&a, &net, 0));
	ck_assert(!vaddr_in_prefix(&a, &net, 33));
	ck_assert_ptr_null(vaddr_parse("10.99.0.2", false, &a));
	ck_assert(!vaddr_in_prefix(&a, &net, 24));
	ck_assert(vaddr_in_prefix(&a, &net, 8));
	ck_assert(!vaddr_in_prefix(&a, &net, 9 + 3));
	ck_assert_ptr_null(vaddr_parse("fd00:11:12::9", false, &a));
	ck_assert(!vaddr_in_prefix(&a, &net, 0));     /* another family */
	ck_assert_ptr_null(vaddr_parse("fd00:11:12::1", false, &net));
	ck_assert(vaddr_in_prefix(&a, &net, 64));
	ck_assert(vaddr_in_prefix(&a, &net, 124));
	ck_assert(!vaddr_in_prefix(&a, &net, 125));
	ck_assert(!vaddr_in_prefix(&a, &net, 129));
	memset(&a, 0, sizeof(a));
	ck_assert(!vaddr_in_prefix(&a, &net, 0));     /* unset */
}
END_TEST

static Suite *vrrp_packet_suite(void)
{
	Suite *s = suite_create("vrrp_packet");
	TCase *tc;

	tc = tcase_create("keepalived");
	tcase_add_loop_test(tc, test_keepalived_fixture, 0, NFIXTURES);
	tcase_add_test(tc, test_keepalived_ah);
	tcase_add_test(tc, test_keepalived_v2_over_ipv6);
	tcase_add_test(tc, test_keepalived_unicast_checksum);
	suite_add_tcase(s, tc);

	tc = tcase_create("round_trip");
	tcase_add_test(tc, test_round_trip_v2_pass);
	tcase_add_test(tc, test_round_trip_v2_none);
	tcase_add_test(tc, test_round_trip_v3_ipv4);
	tcase_add_test(tc, test_round_trip_v3_ipv6);
	suite_add_tcase(s, tc);

	tc = tcase_create("parse_errors");
	tcase_add_test(tc, test_truncated_each_field);
	tcase_add_test(tc, test_bad_version);
	tcase_add_test(tc, test_bad_type);
	tcase_add_test(tc, test_v2_over_ipv6);
	tcase_add_test(tc, test_count_too_large);
	tcase_add_test(tc, test_trailing_bytes);
	tcase_add_test(tc, test_bad_checksum_bit_flips);
	tcase_add_test(tc, test_checksum_negative_zero);
	tcase_add_test(tc, test_bad_auth_type);
	tcase_add_test(tc, test_zero_interval);
	tcase_add_test(tc, test_v3_reserved_bits_ignored);
	tcase_add_test(tc, test_bad_args);
	suite_add_tcase(s, tc);

	tc = tcase_create("ipv4");
	tcase_add_test(tc, test_ipv4_unwrap_errors);
	tcase_add_test(tc, test_ipv4_options);
	suite_add_tcase(s, tc);

	tc = tcase_create("api");
	tcase_add_test(tc, test_error_strings);
	tcase_add_test(tc, test_build_errors);
	tcase_add_test(tc, test_auth_pass);
	tcase_add_test(tc, test_advert_equal);
	suite_add_tcase(s, tc);

	tc = tcase_create("ttl");
	tcase_add_test(tc, test_ttl_multicast);
	tcase_add_test(tc, test_ttl_unicast_default);
	tcase_add_test(tc, test_ttl_unicast_range);
	tcase_add_test(tc, test_ttl_unicast_on_link);
	tcase_add_test(tc, test_vaddr_in_prefix);
	suite_add_tcase(s, tc);
	return s;
}

/* Its own main rather than testutil's run_suite(): this test needs only
 * packet.c, not the configuration parser. */
int main(void)
{
	SRunner *sr = srunner_create(vrrp_packet_suite());

	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
