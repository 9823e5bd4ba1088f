/* test_check_udp.c - UDP_CHECK: the reply judgement, and the probe
 * against responders on 127.0.0.1 / ::1: an echo, one that answers with
 * other bytes or lengths, a silent one, a closed port (ICMP port
 * unreachable), the deadline, cancellation. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check/udpreply.h"
#include "probetest.h"

#define MS 1000ULL

/* ---- the judgement ------------------------------------------------------- */

START_TEST(judge_bytes_and_mask)
{
	uint8_t want[] = { 0xab, 0x12, 0x0f };
	uint8_t mask[] = { 0xff, 0xf0, 0xff };    /* "ab1x0f" */
	struct check_bytes e = { want, NULL, 3 };
	struct check_bytes em = { want, mask, 3 };
	uint8_t got[] = { 0xab, 0x12, 0x0f, 0x99 };
	size_t at = 99;
	ck_assert_int_eq(udp_reply_judge(got, 4, &e, 0, 255, &at), UDP_REPLY_OK);
	got[1] = 0x1c;
	ck_assert_int_eq(udp_reply_judge(got, 4, &e, 0, 255, &at), UDP_REPLY_MISMATCH);
	ck_assert_uint_eq(at, 1);
	ck_assert_int_eq(udp_reply_judge(got, 4, &em, 0, 255, &at), UDP_REPLY_OK);
	got[1] = 0x2c;
	ck_assert_int_eq(udp_reply_judge(got, 4, &em, 0, 255, &at), UDP_REPLY_MISMATCH);
	/* As keepalived: a shorter reply is compared on what it has... */
	got[1] = 0x12;
	ck_assert_int_eq(udp_reply_judge(got, 2, &e, 0, 255, NULL), UDP_REPLY_OK);
	/* ...and min_reply_length is what makes it too short. */
	ck_assert_int_eq(udp_reply_judge(got, 2, &e, 3, 255, NULL), UDP_REPLY_TOO_SHORT);
	ck_assert_int_eq(udp_reply_judge(got, 4, &e, 0, 3, NULL), UDP_REPLY_TOO_LONG);
	struct check_bytes none = { NULL, NULL, 0 };
	ck_assert_int_eq(udp_reply_judge(got, 0, &none, 0, 255, NULL), UDP_REPLY_OK);
	ck_assert_int_eq(udp_reply_judge(got, 0, &none, 1, 255, NULL), UDP_REPLY_TOO_SHORT);
}
END_TEST

/* ---- responders -------------------------------------------------------------- */

enum udp_mode { R_ECHO, R_FIXED, R_SILENT };

struct responder {
	int fd;
	enum udp_mode mode;
	const uint8_t *reply;
	size_t reply_len;
};

static void udp_responder(void *arg)
{
	const struct responder *r = arg;
	for (;;) {
		uint8_t b[2048];
		struct sockaddr_storage from;
		socklen_t flen = sizeof(from);
		ssize_t n = recvfrom(r->fd, b, sizeof(b), 0, (struct sockaddr *)&from, &flen);
		if (n < 0)
			continue;
		if (r->mode == R_ECHO)
			sendto(r->fd, b, (size_t)n, 0, (struct sockaddr *)&from, flen);
		else if (r->mode == R_FIXED)
			sendto(r->fd, r->reply, r->reply_len, 0, (struct sockaddr *)&from, flen);
	}
}

struct ucase {
	struct responder r;
	pid_t pid;
	struct probetest t;
};

static void ustart(struct ucase *k, const struct udp_check *c, enum udp_mode mode,
		   const uint8_t *reply, size_t reply_len, bool v6, uint64_t timeout_us)
{
	uint16_t port = 0;
	k->r.fd = v6 ? probetest_bind_udp6(&port) : probetest_bind_udp(&port);
	k->r.mode = mode;
	k->r.reply = reply;
	k->r.reply_len = reply_len;
	k->pid = probetest_spawn(udp_responder, &k->r);
	probetest_init(&k->t, &probe_udp_ops, c ? &c->c : NULL, v6 ? "::1" : "127.0.0.1", port,
		       timeout_us);
}

static void uend(struct ucase *k)
{
	probetest_fini(&k->t);
	probetest_reap(k->pid);
	close(k->r.fd);
}

static void conf(struct udp_check *c, uint8_t *payload, uint32_t plen, bool required,
		 uint8_t *expect, uint8_t *mask, uint32_t elen)
{
	memset(c, 0, sizeof(*c));
	c->c.kind = CHECK_UDP;
	c->payload.data = payload;
	c->payload.len = plen;
	c->reply.required = required;
	c->reply.expect.data = expect;
	c->reply.expect.mask = mask;
	c->reply.expect.len = elen;
	c->max_reply_length = 255;
}

static uint8_t ping_bytes[] = { 'p', 'i', 'n', 'g', 0x00, 0xff };

START_TEST(echo_matches)
{
	struct udp_check c;
	struct ucase k;
	conf(&c, ping_bytes, sizeof(ping_bytes), true, ping_bytes, NULL, sizeof(ping_bytes));
	ustart(&k, &c, R_ECHO, NULL, 0, false, 1000 * MS);
	for (int i = 0; i < 2; i++)
		ck_assert_msg(probetest_attempt(&k.t)->status == PROBE_OK, "%s", k.t.r.detail);
	uend(&k);
}
END_TEST

START_TEST(echo_v6_masked)
{
	struct udp_check c;
	struct ucase k;
	uint8_t expect[] = { 'p', 'X', 'n', 'g' };
	uint8_t mask[] = { 0xff, 0x00, 0xff, 0xff };
	conf(&c, ping_bytes, sizeof(ping_bytes), true, expect, mask, sizeof(expect));
	ustart(&k, &c, R_ECHO, NULL, 0, true, 1000 * MS);
	ck_assert_msg(probetest_attempt(&k.t)->status == PROBE_OK, "%s", k.t.r.detail);
	uend(&k);
}
END_TEST

/* No payload configured: 32 octets go out (keepalived's size), and any
 * reply is fine when require_reply has no bytes. */
START_TEST(default_payload)
{
	struct udp_check c;
	struct ucase k;
	conf(&c, NULL, 0, true, NULL, NULL, 0);
	c.min_reply_length = 32;
	c.max_reply_length = 32;
	ustart(&k, &c, R_ECHO, NULL, 0, false, 1000 * MS);
	ck_assert_msg(probetest_attempt(&k.t)->status == PROBE_OK, "%s", k.t.r.detail);
	uend(&k);
}
END_TEST

START_TEST(wrong_bytes)
{
	struct udp_check c;
	struct ucase k;
	static const uint8_t pong[] = { 'p', 'o', 'n', 'g', 0, 0xff };
	conf(&c, ping_bytes, sizeof(ping_bytes), true, ping_bytes, NULL, sizeof(ping_bytes));
	ustart(&k, &c, R_FIXED, pong, sizeof(pong), false, 1000 * MS);
	ck_assert_int_eq(probetest_attempt(&k.t)->status, PROBE_BAD_REPLY);
	ck_assert_msg(strstr(k.t.r.detail, "mismatch at octet 1"), "%s", k.t.r.detail);
	uend(&k);
}
END_TEST

START_TEST(wrong_lengths)
{
	struct udp_check c;
	struct ucase k;
	static uint8_t big[300];
	memset(big, 'p', sizeof(big));
	conf(&c, ping_bytes, sizeof(ping_bytes), true, NULL, NULL, 0);
	c.min_reply_length = 4;
	ustart(&k, &c, R_FIXED, big, 3, false, 1000 * MS);
	ck_assert_int_eq(probetest_attempt(&k.t)->status, PROBE_BAD_REPLY);
	ck_assert_msg(strstr(k.t.r.detail, "too short"), "%s", k.t.r.detail);
	uend(&k);
	/* 300 octets > the default max_reply_length 255, though only the
	 * expected octets are kept. */
	uint8_t p1[] = { 'p' };
	conf(&c, ping_bytes, sizeof(ping_bytes), true, p1, NULL, 1);
	ustart(&k, &c, R_FIXED, big, sizeof(big), false, 1000 * MS);
	ck_assert_int_eq(probetest_attempt(&k.t)->status, PROBE_BAD_REPLY);
	ck_assert_msg(strstr(k.t.r.detail, "too long: 300"), "%s", k.t.r.detail);
	uend(&k);
}
END_TEST

/* keepalived: without require_reply, silence until the timeout is up. */
START_TEST(silence_is_up_without_require_reply)
{
	struct udp_check c;
	struct ucase k;
	conf(&c, ping_bytes, sizeof(ping_bytes), false, NULL, NULL, 0);
	ustart(&k, &c, R_SILENT, NULL, 0, false, 300 * MS);
	uint64_t t0 = uv_hrtime();
	ck_assert_msg(probetest_attempt(&k.t)->status == PROBE_OK, "%s", k.t.r.detail);
	uint64_t ms = (uv_hrtime() - t0) / 1000000;
	ck_assert_msg(ms >= 290 && ms < 2000, "took %llu ms", (unsigned long long)ms);
	uend(&k);
	/* And an answer, whatever it says, is up at once. */
	ustart(&k, NULL, R_FIXED, ping_bytes, 1, false, 3000 * MS);
	t0 = uv_hrtime();
	ck_assert_int_eq(probetest_attempt(&k.t)->status, PROBE_OK);
	ck_assert_msg((uv_hrtime() - t0) / 1000000 < 1000, "the answer did not end the attempt");
	uend(&k);
}
END_TEST

START_TEST(silence_times_out_with_require_reply)
{
	struct udp_check c;
	struct ucase k;
	conf(&c, ping_bytes, sizeof(ping_bytes), true, NULL, NULL, 0);
	ustart(&k, &c, R_SILENT, NULL, 0, false, 300 * MS);
	uint64_t t0 = uv_hrtime();
	ck_assert_int_eq(probetest_attempt(&k.t)->status, PROBE_TIMEOUT);
	uint64_t ms = (uv_hrtime() - t0) / 1000000;
	ck_assert_msg(ms >= 290 && ms < 2000, "took %llu ms", (unsigned long long)ms);
	uend(&k);
}
END_TEST

static void closed_port_case(const char *addr, bool required)
{
	struct udp_check c;
	struct probetest t;
	uint16_t port = 0;
	int fd = strchr(addr, ':') ? probetest_bind_udp6(&port) : probetest_bind_udp(&port);
	close(fd);
	conf(&c, ping_bytes, sizeof(ping_bytes), required, NULL, NULL, 0);
	probetest_init(&t, &probe_udp_ops, &c.c, addr, port, 2000 * MS);
	uint64_t t0 = uv_hrtime();
	const struct probe_result *r = probetest_attempt(&t);
	ck_assert_msg(r->status == PROBE_REFUSED, "%s required %d: %d %s", addr, required,
		      r->status, r->detail);
	ck_assert_msg(strstr(r->detail, "unreachable"), "%s", r->detail);
	ck_assert_msg((uv_hrtime() - t0) / 1000000 < 1000, "the ICMP error did not end the attempt");
	probetest_fini(&t);
}

START_TEST(closed_port_is_down)
{
	closed_port_case("127.0.0.1", false);
	closed_port_case("127.0.0.1", true);
	closed_port_case("::1", false);
}
END_TEST

START_TEST(cancel_mid_attempt)
{
	struct udp_check c;
	struct ucase k;
	conf(&c, ping_bytes, sizeof(ping_bytes), true, NULL, NULL, 0);
	ustart(&k, &c, R_SILENT, NULL, 0, false, 1000 * MS);
	probetest_cancel_after(&k.t, 50);
	probetest_cancel_after(&k.t, 5);
	uend(&k);
}
END_TEST

START_TEST(log_formats)
{
	char buf[256];
	snprintf(buf, sizeof(buf), probe_udp_ops.up_fmt, "[10.0.0.2]:udp:53");
	ck_assert_str_eq(buf, "UDP connection to [10.0.0.2]:udp:53 success.");
	snprintf(buf, sizeof(buf), probe_udp_ops.down_retries_fmt, "[10.0.0.2]:udp:53", 2u);
	ck_assert_str_eq(buf, "UDP_CHECK on service [10.0.0.2]:udp:53 failed after 2 retries.");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("check_udp");
	TCase *tp = tcase_create("udpreply");
	tcase_add_test(tp, judge_bytes_and_mask);
	suite_add_tcase(s, tp);
	TCase *tc = tcase_create("probe");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, echo_matches);
	tcase_add_test(tc, echo_v6_masked);
	tcase_add_test(tc, default_payload);
	tcase_add_test(tc, wrong_bytes);
	tcase_add_test(tc, wrong_lengths);
	tcase_add_test(tc, silence_is_up_without_require_reply);
	tcase_add_test(tc, silence_times_out_with_require_reply);
	tcase_add_test(tc, closed_port_is_down);
	tcase_add_test(tc, cancel_mid_attempt);
	tcase_add_test(tc, log_formats);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
