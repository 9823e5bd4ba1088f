/* dnsmsg.c - see dnsmsg.h. */
#include "dnsmsg.h"

#include <stdio.h>
#include <string.h>

const char *dns_build_result_str(enum dns_build_result r)
{
	switch (r) {
	case DNS_BUILD_OK: return "ok";
	case DNS_BUILD_EMPTY_LABEL: return "empty label";
	case DNS_BUILD_LABEL_TOO_LONG: return "label longer than 63 octets";
	case DNS_BUILD_NAME_TOO_LONG: return "name longer than 255 octets";
	case DNS_BUILD_NO_ROOM: return "buffer too small";
	}
	return "unknown";
}

const char *dns_parse_result_str(enum dns_parse_result r)
{
	switch (r) {
	case DNS_PARSE_OK: return "ok";
	case DNS_PARSE_SHORT: return "shorter than a header";
	case DNS_PARSE_TRUNCATED: return "truncated";
	case DNS_PARSE_BAD_LABEL: return "reserved label type";
	case DNS_PARSE_BAD_POINTER: return "bad compression pointer";
	case DNS_PARSE_NAME_TOO_LONG: return "name longer than 255 octets";
	}
	return "unknown";
}

const char *dns_verdict_str(enum dns_verdict v)
{
	switch (v) {
	case DNS_VERDICT_UP: return "up";
	case DNS_VERDICT_RCODE: return "error rcode";
	case DNS_VERDICT_SKIP_SHORT: return "too short";
	case DNS_VERDICT_SKIP_ID: return "id mismatch";
	case DNS_VERDICT_SKIP_QUERY: return "not a response";
	}
	return "unknown";
}

const char *dns_rcode_str(unsigned rcode, char *buf, size_t len)
{
	static const char *const names[] = { "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
					     "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET",
					     "NXRRSET", "NOTAUTH", "NOTZONE" };
	if (rcode < sizeof(names) / sizeof(names[0]))
		snprintf(buf, len, "%s", names[rcode]);
	else
		snprintf(buf, len, "RCODE%u", rcode);
	return buf;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* name in text form to wire labels at out[0..cap); *n set. "." is the
 * root, one zero octet. */
static enum dns_build_result put_name(uint8_t *out, size_t cap, const char *name, size_t *n)
{
	size_t o = 0;
	if (strcmp(name, ".") != 0 && name[0] != '\0') {
		const char *s = name;
		for (;;) {
			const char *dot = strchr(s, '.');
			size_t l = dot ? (size_t)(dot - s) : strlen(s);
			if (l == 0)
				return DNS_BUILD_EMPTY_LABEL;
			if (l > DNS_LABEL_MAX)
				return DNS_BUILD_LABEL_TOO_LONG;
			if (o + 1 + l + 1 > DNS_NAME_MAX)
				return DNS_BUILD_NAME_TOO_LONG;
			if (o + 1 + l > cap)
				return DNS_BUILD_NO_ROOM;
			out[o++] = (uint8_t)l;
			memcpy(out + o, s, l);
			o += l;
			if (!dot || dot[1] == '\0')   /* "example.com" or "example.com." */
				break;
			s = dot + 1;
		}
	}
	if (o + 1 > cap)
		return DNS_BUILD_NO_ROOM;
	out[o++] = 0;
	*n = o;
	return DNS_BUILD_OK;
}

enum dns_build_result dns_query_build(uint8_t *buf, size_t cap, uint16_t id, const char *name,
				      uint16_t qtype, size_t *len)
{
	size_t n;
	if (cap < DNS_HEADER_LEN)
		return DNS_BUILD_NO_ROOM;
	enum dns_build_result r = put_name(buf + DNS_HEADER_LEN, cap - DNS_HEADER_LEN, name, &n);
	if (r != DNS_BUILD_OK)
		return r;
	if (DNS_HEADER_LEN + n + 4 > cap)
		return DNS_BUILD_NO_ROOM;
	put16(buf, id);
	put16(buf + 2, 0x0100);          /* QR 0, opcode QUERY, RD 1 */
	put16(buf + 4, 1);               /* QDCOUNT */
	put16(buf + 6, 0);
	put16(buf + 8, 0);
	put16(buf + 10, 0);
	put16(buf + DNS_HEADER_LEN + n, qtype);
	put16(buf + DNS_HEADER_LEN + n + 2, DNS_CLASS_IN);
	*len = DNS_HEADER_LEN + n + 4;
	return DNS_BUILD_OK;
}

/* Walk the name at *pos; *pos moves past it (past the first pointer if
 * the name is compressed). Every pointer must go to an offset before the
 * one it is at, so the walk ends; the octets of the name, as it would be
 * uncompressed, are counted against DNS_NAME_MAX. */
static enum dns_parse_result skip_name(const uint8_t *msg, size_t len, size_t *pos)
{
	size_t p = *pos, wire = 0;
	bool jumped = false;

	for (;;) {
		if (p >= len)
			return DNS_PARSE_TRUNCATED;
		uint8_t l = msg[p];
		switch (l & 0xc0) {
		case 0x00:
			wire += 1u + l;
			if (wire > DNS_NAME_MAX)
				return DNS_PARSE_NAME_TOO_LONG;
			if (l == 0) {
				if (!jumped)
					*pos = p + 1;
				return DNS_PARSE_OK;
			}
			if (p + 1 + l > len)
				return DNS_PARSE_TRUNCATED;
			p += 1u + l;
			break;
		case 0xc0: {
			if (p + 2 > len)
				return DNS_PARSE_TRUNCATED;
			size_t to = (size_t)(get16(msg + p) & 0x3fff);
			if (to >= p)
				return DNS_PARSE_BAD_POINTER;
			if (!jumped)
				*pos = p + 2;
			jumped = true;
			p = to;
			break;
		}
		default:
			return DNS_PARSE_BAD_LABEL;
		}
	}
}

enum dns_parse_result dns_reply_parse(const uint8_t *msg, size_t len, struct dns_msg *out)
{
	memset(out, 0, sizeof(*out));
	if (len < DNS_HEADER_LEN)
		return DNS_PARSE_SHORT;

	uint16_t flags = get16(msg + 2);
	out->id = get16(msg);
	out->qr = flags & 0x8000;
	out->opcode = (uint8_t)((flags >> 11) & 0xf);
	out->aa = flags & 0x0400;
	out->tc = flags & 0x0200;
	out->rd = flags & 0x0100;
	out->ra = flags & 0x0080;
	out->rcode = (uint8_t)(flags & 0xf);
	out->qdcount = get16(msg + 4);
	out->ancount = get16(msg + 6);
	out->nscount = get16(msg + 8);
	out->arcount = get16(msg + 10);

	size_t pos = DNS_HEADER_LEN;
	enum dns_parse_result r;
	for (unsigned i = 0; i < out->qdcount; i++) {
		out->end = pos;
		if ((r = skip_name(msg, len, &pos)) != DNS_PARSE_OK)
			return r;
		if (len - pos < 4)               /* QTYPE, QCLASS */
			return DNS_PARSE_TRUNCATED;
		pos += 4;
	}
	unsigned rrs = (unsigned)out->ancount + out->nscount + out->arcount;
	for (unsigned i = 0; i < rrs; i++) {
		out->end = pos;
		if ((r = skip_name(msg, len, &pos)) != DNS_PARSE_OK)
			return r;
		if (len - pos < 10)              /* TYPE, CLASS, TTL, RDLENGTH */
			return DNS_PARSE_TRUNCATED;
		size_t rdlen = get16(msg + pos + 8);
		pos += 10;
		if (len - pos < rdlen)
			return DNS_PARSE_TRUNCATED;
		pos += rdlen;
	}
	out->end = pos;
	return DNS_PARSE_OK;
}

enum dns_verdict dns_reply_judge(enum dns_parse_result pr, const struct dns_msg *m, uint16_t id)
{
	if (pr == DNS_PARSE_SHORT)
		return DNS_VERDICT_SKIP_SHORT;
	if (m->id != id)
		return DNS_VERDICT_SKIP_ID;
	if (!m->qr)
		return DNS_VERDICT_SKIP_QUERY;
	return m->rcode ? DNS_VERDICT_RCODE : DNS_VERDICT_UP;
}
