/* fuzz_vrrp_packet.c - libFuzzer target for the VRRP codec: any bytes
 * must give an error or an advert, never a crash, a read out of bounds or
 * undefined behaviour. An advert that parses must survive
 * build -> parse -> equal, and the rebuilt bytes must be the input except
 * for what the builder is allowed to normalise (the v3 reserved bits and,
 * with them, the checksum).
 *
 * The input is read four ways:
 *   - as an IPv4 datagram: vrrp_ipv4_unwrap(), then vrrp_advert_parse();
 *   - the same, with the VRRP checksum fixed up before parsing;
 *   - as an IPv6 payload from fixed addresses;
 *   - the same, with the checksum fixed up.
 * The fixed-up variants let the fuzzer past the checksum, which it would
 * otherwise almost never satisfy, so the checks after it are explored.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "vrrp/packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const struct vrrp_advert *a)
{
	char d[128];

	fprintf(stderr, "fuzz_vrrp_packet: %s (%s)\n", what, vrrp_advert_describe(d, sizeof(d), a));
	abort();
}

/* msg parsed into a; check the round trip. */
static void round_trip(const uint8_t *msg, size_t len, const struct vrrp_advert *a,
		       const void *src, const void *dst)
{
	uint8_t buf[VRRP_ADVERT_MAX_LEN];
	struct vrrp_advert b;
	char why[160];

	if (vrrp_advert_check(a) != VRRP_PKT_OK)
		fail("a parsed advert does not pass vrrp_advert_check", a);
	if (vrrp_advert_len(a) != len)
		fail("vrrp_advert_len differs from the parsed length", a);
	ssize_t n = vrrp_advert_build(buf, sizeof(buf), a, src, dst);
	if (n != (ssize_t)len)
		fail("rebuild failed or has another length", a);
	enum vrrp_pkt_err e = vrrp_advert_parse(buf, (size_t)n, a->family, src, dst, &b);
	if (e != VRRP_PKT_OK) {
		vrrp_pkt_err_format(why, sizeof(why), e, buf, (size_t)n, a->family, src, dst);
		fprintf(stderr, "re-parse: %s\n", why);
		fail("the rebuilt advert does not parse", a);
	}
	if (!vrrp_advert_equal(a, &b))
		fail("re-parsed advert differs", a);

	/* Byte identity, but for the v3 reserved bits and the checksum (the
	 * input may also carry 0xffff where we compute 0x0000). */
	for (size_t i = 0; i < len; i++) {
		uint8_t x = msg[i], y = buf[i];
		if (i == 6 || i == 7)
			continue;
		if (i == 4 && a->version == 3) {
			x &= 0x0f;
			y &= 0x0f;
		}
		if (x != y)
			fail("rebuilt bytes differ from the input", a);
	}
	if (a->version == 2 || (msg[4] & 0xf0) == 0) {
		uint16_t in = (uint16_t)(msg[6] << 8 | msg[7]);
		uint16_t out = (uint16_t)(buf[6] << 8 | buf[7]);
		if (in != out && !(in == 0xffff && out == 0))
			fail("rebuilt checksum differs", a);
	}
}

static void parse_one(const uint8_t *msg, size_t len, int family, const void *src,
		      const void *dst)
{
	struct vrrp_advert a;
	char why[160];
	enum vrrp_pkt_err e = vrrp_advert_parse(msg, len, family, src, dst, &a);

	/* exercise the error formatter on every outcome */
	vrrp_pkt_err_format(why, sizeof(why), e, msg, len, family, src, dst);
	if (e == VRRP_PKT_OK)
		round_trip(msg, len, &a, src, dst);
}

/* Copy msg, patch its checksum for (family, src, dst), and parse that. */
static void parse_fixed(const uint8_t *msg, size_t len, int family, const void *src,
			const void *dst)
{
	uint8_t copy[VRRP_ADVERT_MAX_LEN + 16];

	if (len < VRRP_HDR_LEN || len > sizeof(copy))
		return;
	memcpy(copy, msg, len);
	uint16_t ck = vrrp_advert_checksum(copy, len, family, src, dst);
	copy[6] = (uint8_t)(ck >> 8);
	copy[7] = (uint8_t)ck;
	parse_one(copy, len, family, src, dst);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vrrp_ipv4_datagram dg;
	char why[160];
	enum vrrp_ip_err ie = vrrp_ipv4_unwrap(data, size, &dg);

	vrrp_ip_err_format(why, sizeof(why), ie, data, size);
	if (ie == VRRP_IP_OK) {
		if (dg.payload < data || dg.payload + dg.payload_len > data + size)
			abort();
		parse_one(dg.payload, dg.payload_len, AF_INET, &dg.src, &dg.dst);
		parse_fixed(dg.payload, dg.payload_len, AF_INET, &dg.src, &dg.dst);
	}

	static const struct in6_addr src6 = { { { 0xfe, 0x80, 0, 0, 0, 0, 0, 0,
						  0, 0, 0, 0, 0, 0, 0, 1 } } };
	static const struct in6_addr dst6 = { { { 0xff, 0x02, 0, 0, 0, 0, 0, 0,
						  0, 0, 0, 0, 0, 0, 0, 0x12 } } };
	parse_one(data, size, AF_INET6, &src6, &dst6);
	parse_fixed(data, size, AF_INET6, &src6, &dst6);
	return 0;
}
