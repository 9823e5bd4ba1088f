/* dnsmsg.h - DNS_CHECK's messages (RFC 1035 4.1): the query it sends and
 * the reading of what comes back. Pure: no I/O, no allocation, no
 * globals; dns_reply_parse() takes any bytes (fuzz_dns_reply.c).
 *
 * Two layers, as in STYLE.md: dns_reply_parse() says whether the bytes
 * are a well-formed DNS message and what its header says;
 * dns_reply_judge() says what that means for the check, by keepalived's
 * rules. */
#ifndef VIGIL_CHECK_DNSMSG_H
#define VIGIL_CHECK_DNSMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DNS_HEADER_LEN 12
#define DNS_NAME_MAX 255        /* octets of a name on the wire (RFC 1035 2.3.4) */
#define DNS_LABEL_MAX 63
/* header + longest name + QTYPE + QCLASS */
#define DNS_QUERY_MAX (DNS_HEADER_LEN + DNS_NAME_MAX + 4)

#define DNS_CLASS_IN 1

enum dns_build_result {
	DNS_BUILD_OK,
	DNS_BUILD_EMPTY_LABEL,      /* "a..b", ".a" */
	DNS_BUILD_LABEL_TOO_LONG,   /* a label of more than 63 octets */
	DNS_BUILD_NAME_TOO_LONG,    /* more than 255 octets on the wire */
	DNS_BUILD_NO_ROOM,          /* cap too small */
};

/* A standard query (opcode 0, RD set as keepalived sets it, one
 * question of qtype, class IN) for name in text form ("." or
 * "example.com", a final dot optional) into buf[0..cap); *len set on
 * DNS_BUILD_OK. DNS_QUERY_MAX is always room enough. */
enum dns_build_result dns_query_build(uint8_t *buf, size_t cap, uint16_t id, const char *name,
				      uint16_t qtype, size_t *len);
const char *dns_build_result_str(enum dns_build_result r);

enum dns_parse_result {
	DNS_PARSE_OK,
	DNS_PARSE_SHORT,            /* less than a header */
	DNS_PARSE_TRUNCATED,        /* a section runs past the end */
	DNS_PARSE_BAD_LABEL,        /* label type 01/10 (RFC 6891 obsoleted them) */
	DNS_PARSE_BAD_POINTER,      /* a compression pointer not pointing back */
	DNS_PARSE_NAME_TOO_LONG,    /* a name of more than 255 octets */
};
const char *dns_parse_result_str(enum dns_parse_result r);

/* What a message says. The header fields are valid from DNS_PARSE_OK and
 * for every result but DNS_PARSE_SHORT; end is how far the sections could
 * be read. */
struct dns_msg {
	uint16_t id;
	bool qr;                    /* a response */
	uint8_t opcode;
	bool aa, tc, rd, ra;
	uint8_t rcode;              /* RFC 1035 4.1.1; 0 NOERROR */
	uint16_t qdcount, ancount, nscount, arcount;
	size_t end;
};

/* Parse msg[0..len): the header, then every question and resource
 * record, following compression pointers (which must point to an
 * earlier offset, so a message cannot loop). */
enum dns_parse_result dns_reply_parse(const uint8_t *msg, size_t len, struct dns_msg *out);

enum dns_verdict {
	DNS_VERDICT_UP,             /* the answer to our query, RCODE 0 */
	DNS_VERDICT_RCODE,          /* the answer to our query, with an error RCODE */
	/* Not an answer to our query; keepalived drops it and waits on. */
	DNS_VERDICT_SKIP_SHORT,     /* less than a header */
	DNS_VERDICT_SKIP_ID,        /* another query's id */
	DNS_VERDICT_SKIP_QUERY,     /* QR clear: a query, not a response */
};
const char *dns_verdict_str(enum dns_verdict v);

/* keepalived 2.2.7's DNS_CHECK verdict on one datagram for the query
 * with id: an answer with our id and QR set is up when its RCODE is 0
 * and down otherwise; anything else is skipped. keepalived does not look
 * past the header (answer count, TC, the question echoed), so neither
 * does this: a malformed body after a good header is still up. */
enum dns_verdict dns_reply_judge(enum dns_parse_result pr, const struct dns_msg *m, uint16_t id);

/* "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", ...;
 * "RCODE<n>" for others, into buf. */
const char *dns_rcode_str(unsigned rcode, char *buf, size_t len);

#endif
