/* test_check_dns.c - DNS_CHECK: the message builder and parser, and the
 * probe against a DNS responder on 127.0.0.1 / ::1 (a forked child that
 * checks the query it gets and answers canned replies): a good answer,
 * answers with another id, without QR, too short, with an error RCODE;
 * a closed port (ICMP port unreachable), the deadline, cancellation. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check/dnsmsg.h"
#include "probetest.h"

#define MS 1000ULL

/* ---- builder ------------------------------------------------------------- */

START_TEST(build_root_soa)
{
	uint8_t b[DNS_QUERY_MAX];
	size_t n = 0;
	static const uint8_t want[] = { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
					0, 0, 6, 0, 1 };
	ck_assert_int_eq(dns_query_build(b, sizeof(b), 0x1234, ".", CHECK_DNS_SOA, &n), DNS_BUILD_OK);
	ck_assert_uint_eq(n, sizeof(want));
	ck_assert_int_eq(memcmp(b, want, n), 0);
}
END_TEST

START_TEST(build_names)
{
	uint8_t b[DNS_QUERY_MAX], c[DNS_QUERY_MAX];
	size_t n = 0, m = 0;
	static const uint8_t qname[] = { 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
					 0, 28, 0, 1 };
	ck_assert_int_eq(dns_query_build(b, sizeof(b), 1, "example.com", CHECK_DNS_AAAA, &n), DNS_BUILD_OK);
	ck_assert_uint_eq(n, DNS_HEADER_LEN + sizeof(qname));
	ck_assert_int_eq(memcmp(b + DNS_HEADER_LEN, qname, sizeof(qname)), 0);
	/* A final dot changes nothing. */
	ck_assert_int_eq(dns_query_build(c, sizeof(c), 1, "example.com.", CHECK_DNS_AAAA, &m), DNS_BUILD_OK);
	ck_assert_uint_eq(m, n);
	ck_assert_int_eq(memcmp(b, c, n), 0);

	ck_assert_int_eq(dns_query_build(b, sizeof(b), 1, "a..b", 1, &n), DNS_BUILD_EMPTY_LABEL);
	ck_assert_int_eq(dns_query_build(b, sizeof(b), 1, ".a", 1, &n), DNS_BUILD_EMPTY_LABEL);
	char label[80];
	memset(label, 'a', 64);
	label[64] = '\0';
	ck_assert_int_eq(dns_query_build(b, sizeof(b), 1, label, 1, &n), DNS_BUILD_LABEL_TOO_LONG);
	label[63] = '\0';
	ck_assert_int_eq(dns_query_build(b, sizeof(b), 1, label, 1, &n), DNS_BUILD_OK);
	/* 4 labels of 63 = 256 octets on the wire with the root: too long. */
	char name[400];
	snprintf(name, sizeof(name), "%s.%s.%s.%s", label, label, label, label);
	ck_assert_int_eq(dns_query_build(b, sizeof(b), 1, name, 1, &n), DNS_BUILD_NAME_TOO_LONG);
	name[strlen(name) - 2] = '\0';   /* 254 + root = 255: fits */
	ck_assert_int_eq(dns_query_build(b, sizeof(b), 1, name, 1, &n), DNS_BUILD_OK);
	ck_assert_uint_eq(n, DNS_QUERY_MAX);
	ck_assert_int_eq(dns_query_build(b, 20, 1, "example.com", 1, &n), DNS_BUILD_NO_ROOM);
}
END_TEST

/* ---- parser and verdict ------------------------------------------------------- */

/* A response to "example.com A" with one answer whose owner is a
 * compression pointer to the question's name. */
static size_t good_answer(uint8_t *b, uint16_t id)
{
	size_t n;
	ck_assert_int_eq(dns_query_build(b, DNS_QUERY_MAX, id, "example.com", 1, &n), DNS_BUILD_OK);
	b[2] = 0x81;                     /* QR, RD */
	b[3] = 0x80;                     /* RA, NOERROR */
	b[7] = 1;                        /* ANCOUNT */
	static const uint8_t rr[] = { 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1 };
	memcpy(b + n, rr, sizeof(rr));
	return n + sizeof(rr);
}

START_TEST(parse_good)
{
	uint8_t b[DNS_QUERY_MAX + 32];
	struct dns_msg m;
	size_t n = good_answer(b, 0xbeef);
	ck_assert_int_eq(dns_reply_parse(b, n, &m), DNS_PARSE_OK);
	ck_assert_uint_eq(m.id, 0xbeef);
	ck_assert(m.qr && m.rd && m.ra && !m.tc);
	ck_assert_uint_eq(m.rcode, 0);
	ck_assert_uint_eq(m.qdcount, 1);
	ck_assert_uint_eq(m.ancount, 1);
	ck_assert_uint_eq(m.end, n);
	ck_assert_int_eq(dns_reply_judge(DNS_PARSE_OK, &m, 0xbeef), DNS_VERDICT_UP);
	ck_assert_int_eq(dns_reply_judge(DNS_PARSE_OK, &m, 0xbeee), DNS_VERDICT_SKIP_ID);
	/* Every truncation of it is truncated or short, never a crash. */
	for (size_t k = 0; k < n; k++) {
		enum dns_parse_result r = dns_reply_parse(b, k, &m);
		ck_assert_msg(r == (k < DNS_HEADER_LEN ? DNS_PARSE_SHORT : DNS_PARSE_TRUNCATED),
			      "length %zu: %s", k, dns_parse_result_str(r));
	}
}
END_TEST

START_TEST(parse_bad_pointers)
{
	uint8_t b[DNS_QUERY_MAX + 32];
	struct dns_msg m;
	size_t n = good_answer(b, 7);
	b[n - 16 + 1] = (uint8_t)(n - 16);    /* the answer's owner points at itself */
	ck_assert_int_eq(dns_reply_parse(b, n, &m), DNS_PARSE_BAD_POINTER);
	b[n - 16 + 1] = 200;                  /* forward */
	ck_assert_int_eq(dns_reply_parse(b, n, &m), DNS_PARSE_BAD_POINTER);
	b[n - 16] = 0x80;                     /* label type 10 */
	ck_assert_int_eq(dns_reply_parse(b, n, &m), DNS_PARSE_BAD_LABEL);
	/* The header still judges: keepalived reads no further. */
	ck_assert_int_eq(dns_reply_judge(DNS_PARSE_BAD_LABEL, &m, 7), DNS_VERDICT_UP);
}
END_TEST

START_TEST(parse_pointer_chain)
{
	/* A long chain of pointers, each link one pair back: legal, and the
	 * walk ends. The links sit in the RDATA of a first answer; the
	 * second answer's owner is the chain's last link. */
	uint8_t c[1200];
	struct dns_msg m;
	memset(c, 0, sizeof(c));
	c[2] = 0x80;
	c[5] = 1;                              /* QDCOUNT */
	c[7] = 2;                              /* ANCOUNT */
	size_t o = 12;
	c[o++] = 3; c[o++] = 'f'; c[o++] = 'o'; c[o++] = 'o'; c[o++] = 0;   /* foo. at 12 */
	o += 4;                                /* QTYPE, QCLASS */
	c[o++] = 0;                            /* answer 1: owner the root */
	o += 8;                                /* TYPE, CLASS, TTL */
	c[o++] = 600 >> 8;                     /* RDLENGTH 600 */
	c[o++] = 600 & 0xff;
	size_t prev = 12;
	for (int i = 0; i < 300; i++) {
		c[o] = (uint8_t)(0xc0 | (prev >> 8));
		c[o + 1] = (uint8_t)prev;
		prev = o;
		o += 2;
	}
	c[o] = (uint8_t)(0xc0 | (prev >> 8));  /* answer 2: owner the last link */
	c[o + 1] = (uint8_t)prev;
	o += 2 + 10;                           /* TYPE..RDLENGTH 0 */
	ck_assert_int_eq(dns_reply_parse(c, o, &m), DNS_PARSE_OK);
	ck_assert_uint_eq(m.end, o);
	ck_assert_int_eq(dns_reply_parse(c, o - 1, &m), DNS_PARSE_TRUNCATED);

	/* A pointer to itself. */
	uint8_t q[32];
	memset(q, 0, sizeof(q));
	q[2] = 0x80;
	q[5] = 1;
	q[12] = 0xc0;
	q[13] = 12;
	ck_assert_int_eq(dns_reply_parse(q, 18, &m), DNS_PARSE_BAD_POINTER);
	/* A name longer than 255 octets. */
	uint8_t l[600];
	memset(l, 0, sizeof(l));
	o = 12;
	for (int i = 0; i < 5; i++) {          /* 5 labels of 60: 305 octets */
		l[o] = 60;
		memset(l + o + 1, 'a', 60);
		o += 61;
	}
	l[o++] = 0;
	l[5] = 1;
	ck_assert_int_eq(dns_reply_parse(l, o + 4, &m), DNS_PARSE_NAME_TOO_LONG);
}
END_TEST

START_TEST(judge_rules)
{
	struct dns_msg m;
	uint8_t b[DNS_HEADER_LEN] = { 0, 9, 0x80, 0x02, 0, 0, 0, 0, 0, 0, 0, 0 };
	char rc[16];
	ck_assert_int_eq(dns_reply_parse(b, sizeof(b), &m), DNS_PARSE_OK);
	ck_assert_int_eq(dns_reply_judge(DNS_PARSE_OK, &m, 9), DNS_VERDICT_RCODE);
	ck_assert_str_eq(dns_rcode_str(m.rcode, rc, sizeof(rc)), "SERVFAIL");
	ck_assert_str_eq(dns_rcode_str(12, rc, sizeof(rc)), "RCODE12");
	b[2] = 0x00;                      /* a query */
	ck_assert_int_eq(dns_reply_parse(b, sizeof(b), &m), DNS_PARSE_OK);
	ck_assert_int_eq(dns_reply_judge(DNS_PARSE_OK, &m, 9), DNS_VERDICT_SKIP_QUERY);
	ck_assert_int_eq(dns_reply_parse(b, 11, &m), DNS_PARSE_SHORT);
	ck_assert_int_eq(dns_reply_judge(DNS_PARSE_SHORT, &m, 0), DNS_VERDICT_SKIP_SHORT);
	/* TC set, no answers: keepalived counts it as up. */
	b[2] = 0x82;
	b[3] = 0;
	ck_assert_int_eq(dns_reply_parse(b, sizeof(b), &m), DNS_PARSE_OK);
	ck_assert_int_eq(dns_reply_judge(DNS_PARSE_OK, &m, 9), DNS_VERDICT_UP);
}
END_TEST

/* ---- the responder ------------------------------------------------------------ */

enum dns_mode {
	ANSWER,                /* a good answer */
	WRONG_ID_THEN_ANSWER,
	WRONG_ID_ONLY,
	SHORT_THEN_ANSWER,
	SHORT_ONLY,
	QUERY_ECHO,            /* QR clear */
	SERVFAIL,
	SILENT,
};

struct responder {
	int fd;
	enum dns_mode mode;
	const char *name;      /* what the query must ask */
	uint16_t type;
};

static void dns_responder(void *arg)
{
	const struct responder *r = arg;
	for (;;) {
		uint8_t q[600], want[DNS_QUERY_MAX], a[700];
		struct sockaddr_storage from;
		socklen_t flen = sizeof(from);
		ssize_t n = recvfrom(r->fd, q, sizeof(q), 0, (struct sockaddr *)&from, &flen);
		if (n < DNS_HEADER_LEN)
			continue;
		size_t wn;
		uint16_t id = (uint16_t)(q[0] << 8 | q[1]);
		dns_query_build(want, sizeof(want), id, r->name, r->type, &wn);
		bool as_expected = (size_t)n == wn && memcmp(q, want, wn) == 0;
		memcpy(a, q, (size_t)n);
		a[2] = 0x81;
		a[3] = as_expected ? 0x80 : 0x85;   /* REFUSED when the query is not the one expected */
		size_t an = (size_t)n;
		const struct sockaddr *to = (const struct sockaddr *)&from;
		switch (r->mode) {
		case SILENT:
			continue;
		case QUERY_ECHO:
			sendto(r->fd, q, (size_t)n, 0, to, flen);
			continue;
		case SERVFAIL:
			a[3] = 0x82;
			break;
		case WRONG_ID_THEN_ANSWER:
		case WRONG_ID_ONLY:
			a[1] ^= 1;
			sendto(r->fd, a, an, 0, to, flen);
			a[1] ^= 1;
			if (r->mode == WRONG_ID_ONLY)
				continue;
			usleep(20000);
			break;
		case SHORT_THEN_ANSWER:
		case SHORT_ONLY:
			sendto(r->fd, a, 5, 0, to, flen);
			if (r->mode == SHORT_ONLY)
				continue;
			usleep(20000);
			break;
		case ANSWER:
			break;
		}
		sendto(r->fd, a, an, 0, to, flen);
	}
}

struct dns_case {
	struct responder r;
	pid_t pid;
	struct probetest t;
	struct dns_check c;
};

static void start_case(struct dns_case *k, enum dns_mode mode, const char *name, int type,
		       bool v6, uint64_t timeout_us)
{
	uint16_t port = 0;
	memset(&k->c, 0, sizeof(k->c));
	k->c.c.kind = CHECK_DNS;
	k->c.name = (char *)name;
	k->c.type = type;
	k->r.fd = v6 ? probetest_bind_udp6(&port) : probetest_bind_udp(&port);
	k->r.mode = mode;
	k->r.name = name ? name : ".";
	k->r.type = type ? (uint16_t)type : CHECK_DNS_SOA;
	k->pid = probetest_spawn(dns_responder, &k->r);
	probetest_init(&k->t, &probe_dns_ops, &k->c.c, v6 ? "::1" : "127.0.0.1", port, timeout_us);
}

static void end_case(struct dns_case *k)
{
	probetest_fini(&k->t);
	probetest_reap(k->pid);
	close(k->r.fd);
}

static enum probe_status one(enum dns_mode mode, uint64_t timeout_us, struct probe_result *out)
{
	struct dns_case k;
	start_case(&k, mode, NULL, 0, false, timeout_us);
	*out = *probetest_attempt(&k.t);
	end_case(&k);
	return out->status;
}

START_TEST(up_default_query)
{
	struct probe_result r;
	ck_assert_msg(one(ANSWER, 1000 * MS, &r) == PROBE_OK, "%d: %s", r.status, r.detail);
}
END_TEST

START_TEST(up_named_query_v6_repeated)
{
	struct dns_case k;
	start_case(&k, ANSWER, "www.example.org", CHECK_DNS_AAAA, true, 1000 * MS);
	for (int i = 0; i < 3; i++)
		ck_assert_msg(probetest_attempt(&k.t)->status == PROBE_OK, "attempt %d: %d %s", i,
			      k.t.r.status, k.t.r.detail);
	end_case(&k);
}
END_TEST

/* The responder answers REFUSED to a query it does not expect: the
 * builder's bytes are checked end to end. */
START_TEST(wrong_query_is_refused)
{
	struct responder r = { .mode = ANSWER, .name = "example.net", .type = CHECK_DNS_A };
	uint16_t port = 0;
	struct probetest t;
	struct dns_check c;
	memset(&c, 0, sizeof(c));
	c.name = "example.com";
	c.type = CHECK_DNS_A;
	r.fd = probetest_bind_udp(&port);
	pid_t pid = probetest_spawn(dns_responder, &r);
	probetest_init(&t, &probe_dns_ops, &c.c, "127.0.0.1", port, 1000 * MS);
	ck_assert_int_eq(probetest_attempt(&t)->status, PROBE_BAD_REPLY);
	ck_assert_msg(strstr(t.r.detail, "REFUSED"), "%s", t.r.detail);
	probetest_fini(&t);
	probetest_reap(pid);
	close(r.fd);
}
END_TEST

START_TEST(wrong_id_skipped)
{
	struct probe_result r;
	ck_assert_msg(one(WRONG_ID_THEN_ANSWER, 1000 * MS, &r) == PROBE_OK, "%s", r.detail);
	ck_assert_int_eq(one(WRONG_ID_ONLY, 300 * MS, &r), PROBE_TIMEOUT);
	ck_assert_msg(strstr(r.detail, "id mismatch"), "%s", r.detail);
}
END_TEST

START_TEST(short_skipped)
{
	struct probe_result r;
	ck_assert_msg(one(SHORT_THEN_ANSWER, 1000 * MS, &r) == PROBE_OK, "%s", r.detail);
	ck_assert_int_eq(one(SHORT_ONLY, 300 * MS, &r), PROBE_TIMEOUT);
	ck_assert_msg(strstr(r.detail, "too short"), "%s", r.detail);
}
END_TEST

START_TEST(query_echo_skipped)
{
	struct probe_result r;
	ck_assert_int_eq(one(QUERY_ECHO, 300 * MS, &r), PROBE_TIMEOUT);
	ck_assert_msg(strstr(r.detail, "not a response"), "%s", r.detail);
}
END_TEST

START_TEST(rcode_down)
{
	struct probe_result r;
	ck_assert_int_eq(one(SERVFAIL, 1000 * MS, &r), PROBE_BAD_REPLY);
	ck_assert_msg(strstr(r.detail, "rcode = 2") && strstr(r.detail, "SERVFAIL"), "%s", r.detail);
}
END_TEST

START_TEST(silent_times_out)
{
	struct probe_result r;
	uint64_t t0 = uv_hrtime();
	ck_assert_int_eq(one(SILENT, 300 * MS, &r), PROBE_TIMEOUT);
	uint64_t ms = (uv_hrtime() - t0) / 1000000;
	ck_assert_msg(ms >= 290 && ms < 2000, "timed out after %llu ms", (unsigned long long)ms);
}
END_TEST

START_TEST(closed_port_refused)
{
	struct probetest t;
	uint16_t port = 0;
	close(probetest_bind_udp(&port));
	probetest_init(&t, &probe_dns_ops, NULL, "127.0.0.1", port, 1000 * MS);
	const struct probe_result *r = probetest_attempt(&t);
	ck_assert_msg(r->status == PROBE_REFUSED, "%d: %s", r->status, r->detail);
	probetest_fini(&t);
}
END_TEST

START_TEST(cancel_mid_attempt)
{
	struct dns_case k;
	start_case(&k, SILENT, NULL, 0, false, 1000 * MS);
	probetest_cancel_after(&k.t, 50);
	probetest_cancel_after(&k.t, 10);
	end_case(&k);
}
END_TEST

START_TEST(bad_name_fails_init)
{
	struct dns_check c;
	memset(&c, 0, sizeof(c));
	c.name = "a..b";
	struct probe *p = calloc(1, probe_dns_ops.size);
	char err[128] = "";
	p->conf = &c.c;
	ck_assert_int_eq(probe_dns_ops.init(p, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "empty label"), "%s", err);
	free(p);
}
END_TEST

START_TEST(log_formats)
{
	char buf[256];
	snprintf(buf, sizeof(buf), probe_dns_ops.down_retries_fmt, "[10.0.0.2]:udp:53", 3u);
	ck_assert_str_eq(buf, "DNS_CHECK ([10.0.0.2]:udp:53) failed on service after 3 retries.");
	ck_assert_str_eq(probe_dns_ops.keyword, "DNS_CHECK");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("check_dns");
	TCase *tp = tcase_create("dnsmsg");
	tcase_add_test(tp, build_root_soa);
	tcase_add_test(tp, build_names);
	tcase_add_test(tp, parse_good);
	tcase_add_test(tp, parse_bad_pointers);
	tcase_add_test(tp, parse_pointer_chain);
	tcase_add_test(tp, judge_rules);
	suite_add_tcase(s, tp);
	TCase *tc = tcase_create("probe");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, up_default_query);
	tcase_add_test(tc, up_named_query_v6_repeated);
	tcase_add_test(tc, wrong_query_is_refused);
	tcase_add_test(tc, wrong_id_skipped);
	tcase_add_test(tc, short_skipped);
	tcase_add_test(tc, query_echo_skipped);
	tcase_add_test(tc, rcode_down);
	tcase_add_test(tc, silent_times_out);
	tcase_add_test(tc, closed_port_refused);
	tcase_add_test(tc, cancel_mid_attempt);
	tcase_add_test(tc, bad_name_fails_init);
	tcase_add_test(tc, log_formats);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
