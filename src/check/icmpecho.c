/* icmpecho.c - see icmpecho.h. */
#include "icmpecho.h"

#include <string.h>

enum {
	ICMP4_ECHO_REPLY = 0,
	ICMP4_DEST_UNREACH = 3,
	ICMP4_ECHO_REQUEST = 8,
	ICMP6_DEST_UNREACH_TYPE = 1,
	ICMP6_ECHO_REQUEST_TYPE = 128,
	ICMP6_ECHO_REPLY_TYPE = 129,
	IPV6_HDR_LEN = 40,
};

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

uint16_t icmp_checksum(const uint8_t *buf, size_t len)
{
	uint32_t sum = 0;
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += get16(buf + i);
	if (len & 1)
		sum += (uint32_t)buf[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

void icmp_echo_build(uint8_t buf[ICMP_ECHO_LEN], bool v6, uint16_t id, uint16_t seq)
{
	memset(buf, 0, ICMP_ECHO_LEN);
	buf[0] = v6 ? ICMP6_ECHO_REQUEST_TYPE : ICMP4_ECHO_REQUEST;
	buf[4] = (uint8_t)(id >> 8);
	buf[5] = (uint8_t)id;
	buf[6] = (uint8_t)(seq >> 8);
	buf[7] = (uint8_t)seq;
	for (size_t i = 0; i < ICMP_ECHO_DATA_LEN; i++)
		buf[ICMP_ECHO_HDR_LEN + i] = (uint8_t)(0x10 + i);
	if (!v6) {
		uint16_t c = icmp_checksum(buf, ICMP_ECHO_LEN);
		buf[2] = (uint8_t)(c >> 8);
		buf[3] = (uint8_t)c;
	}
}

static bool ids_match(const uint8_t *echo, bool check_id, uint16_t id, uint16_t seq)
{
	return (!check_id || get16(echo + 4) == id) && get16(echo + 6) == seq;
}

/* The IPv4 header's length, or 0 when it is not a sane header in buf. */
static size_t ipv4_hdr_len(const uint8_t *buf, size_t len)
{
	if (len < 20 || (buf[0] >> 4) != 4)
		return 0;
	size_t hl = (size_t)(buf[0] & 0xf) * 4;
	return hl >= 20 && hl <= len ? hl : 0;
}

enum icmp_reply_verdict icmp_echo_match(const uint8_t *buf, size_t len, bool v6, bool with_ip,
					bool check_id, uint16_t id, uint16_t seq)
{
	if (with_ip && !v6) {
		size_t hl = ipv4_hdr_len(buf, len);
		if (!hl)
			return ICMP_REPLY_SHORT;
		buf += hl;
		len -= hl;
	}
	if (len < ICMP_ECHO_HDR_LEN)
		return ICMP_REPLY_SHORT;

	uint8_t reply = v6 ? ICMP6_ECHO_REPLY_TYPE : ICMP4_ECHO_REPLY;
	uint8_t unreach = v6 ? ICMP6_DEST_UNREACH_TYPE : ICMP4_DEST_UNREACH;
	if (buf[0] == reply)
		return ids_match(buf, check_id, id, seq) ? ICMP_REPLY_MATCH : ICMP_REPLY_OTHER;
	if (buf[0] != unreach)
		return ICMP_REPLY_OTHER;

	/* The error quotes the datagram that caused it: IP header, then at
	 * least the first 8 octets of our echo request (RFC 792, RFC 4443). */
	const uint8_t *q = buf + ICMP_ECHO_HDR_LEN;
	size_t qlen = len - ICMP_ECHO_HDR_LEN, qhl;
	if (v6)
		qhl = qlen >= IPV6_HDR_LEN && (q[0] >> 4) == 6 && q[6] == 58 /* ICMPv6 */
			? IPV6_HDR_LEN : 0;
	else
		qhl = ipv4_hdr_len(q, qlen) && q[9] == 1 /* ICMP */ ? ipv4_hdr_len(q, qlen) : 0;
	if (!qhl || qlen - qhl < ICMP_ECHO_HDR_LEN)
		return ICMP_REPLY_OTHER;
	const uint8_t *echo = q + qhl;
	uint8_t request = v6 ? ICMP6_ECHO_REQUEST_TYPE : ICMP4_ECHO_REQUEST;
	if (echo[0] != request || !ids_match(echo, check_id, id, seq))
		return ICMP_REPLY_OTHER;
	return ICMP_REPLY_UNREACHABLE;
}
