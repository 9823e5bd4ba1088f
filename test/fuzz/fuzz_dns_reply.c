/* fuzz_dns_reply.c - libFuzzer target for dnsmsg.c: any bytes must give
 * a parse result and a verdict, never a crash, a read out of bounds or
 * undefined behaviour. Also:
 *   - the parser never claims to have read past the end (m.end <= len);
 *   - every prefix shorter than the header is DNS_PARSE_SHORT and skipped;
 *   - the input read as a name: a query built from it either fails with
 *     a named reason or parses back as one question, QR clear (skipped by
 *     the judge), its id intact, ending exactly where the builder did.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/dnsmsg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_dns_reply: %s\n", what);
	abort();
}

static void as_reply(const uint8_t *data, size_t size)
{
	struct dns_msg m;
	enum dns_parse_result r = dns_reply_parse(data, size, &m);
	if (r != DNS_PARSE_SHORT && m.end > size)
		fail("end past the message");
	if ((size < DNS_HEADER_LEN) != (r == DNS_PARSE_SHORT))
		fail("SHORT not exactly for less than a header");
	enum dns_verdict v = dns_reply_judge(r, &m, size >= 2 ? (uint16_t)(data[0] << 8 | data[1]) : 0);
	if (r == DNS_PARSE_SHORT && v != DNS_VERDICT_SKIP_SHORT)
		fail("a short message not skipped");
	(void)dns_parse_result_str(r);
	(void)dns_verdict_str(v);
}

static void as_name(const uint8_t *data, size_t size)
{
	char name[512];
	uint8_t q[DNS_QUERY_MAX];
	size_t n = size < sizeof(name) - 1 ? size : sizeof(name) - 1, len = 0;
	memcpy(name, data, n);
	name[n] = '\0';
	uint16_t id = size >= 2 ? (uint16_t)(data[0] << 8 | data[1]) : 7;
	enum dns_build_result b = dns_query_build(q, sizeof(q), id, name, 1, &len);
	if (b != DNS_BUILD_OK) {
		(void)dns_build_result_str(b);
		return;
	}
	struct dns_msg m;
	if (len > sizeof(q) || dns_reply_parse(q, len, &m) != DNS_PARSE_OK)
		fail("a built query does not parse");
	if (m.id != id || m.qr || m.qdcount != 1 || m.ancount || m.end != len)
		fail("a built query reads back wrong");
	if (dns_reply_judge(DNS_PARSE_OK, &m, id) != DNS_VERDICT_SKIP_QUERY)
		fail("a query not skipped");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	as_reply(data, size);
	as_name(data, size);
	return 0;
}
