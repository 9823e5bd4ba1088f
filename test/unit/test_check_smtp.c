/* test_check_smtp.c - SMTP_CHECK: the reply parser, and the probe
 * against responders on 127.0.0.1 / ::1 (forked children speaking plain
 * sockets): a server that greets 220 and answers HELO 250 (in one line,
 * in multi-line replies, in dribbles), one that greets 554, one that
 * rejects HELO, one that hangs, one that closes, one that talks
 * nonsense; a refused connection, the deadline, cancellation. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "check/smtpreply.h"
#include "probetest.h"

#define MS 1000ULL

/* ---- the parser ---------------------------------------------------------- */

static enum smtp_reply_status parse(const char *s, struct smtp_reply *r)
{
	return smtp_reply_parse(s, strlen(s), r);
}

START_TEST(reply_single_line)
{
	struct smtp_reply r;
	ck_assert_int_eq(parse("220 mail.example ESMTP\r\n", &r), SMTP_REPLY_COMPLETE);
	ck_assert_int_eq(r.code, 220);
	ck_assert_uint_eq(r.len, strlen("220 mail.example ESMTP\r\n"));
	ck_assert_uint_eq(r.text, 4);
	ck_assert_uint_eq(r.text_len, strlen("mail.example ESMTP"));
	/* Bare LF, no text, and bytes after the reply left alone. */
	ck_assert_int_eq(parse("250\nxyz", &r), SMTP_REPLY_COMPLETE);
	ck_assert_int_eq(r.code, 250);
	ck_assert_uint_eq(r.len, 4);
	ck_assert_uint_eq(r.text_len, 0);
	ck_assert_int_eq(parse("221\r\n", &r), SMTP_REPLY_COMPLETE);
	ck_assert_uint_eq(r.text_len, 0);
}
END_TEST

START_TEST(reply_multi_line)
{
	struct smtp_reply r;
	const char *m = "250-mail.example\r\n250-SIZE 1000\r\n250 HELP\r\n";
	ck_assert_int_eq(parse(m, &r), SMTP_REPLY_COMPLETE);
	ck_assert_int_eq(r.code, 250);
	ck_assert_uint_eq(r.len, strlen(m));
	ck_assert_int_eq(memcmp(m + r.text, "HELP", 4), 0);
	/* Every prefix of it needs more. */
	for (size_t n = 0; n < strlen(m); n++)
		ck_assert_msg(smtp_reply_parse(m, n, &r) == SMTP_REPLY_NEED_MORE, "prefix %zu", n);
}
END_TEST

START_TEST(reply_malformed)
{
	struct smtp_reply r;
	ck_assert_int_eq(parse("hello\r\n", &r), SMTP_REPLY_MALFORMED);
	ck_assert_uint_eq(r.bad_at, 0);
	ck_assert_int_eq(parse("22x ", &r), SMTP_REPLY_MALFORMED);   /* early, no line end yet */
	ck_assert_uint_eq(r.bad_at, 2);
	ck_assert_int_eq(parse("220_x\r\n", &r), SMTP_REPLY_MALFORMED);
	ck_assert_uint_eq(r.bad_at, 3);
	ck_assert_int_eq(parse("25\r\n", &r), SMTP_REPLY_MALFORMED);
	ck_assert_int_eq(parse("25\n", &r), SMTP_REPLY_MALFORMED);
	/* A continuation with another code. */
	ck_assert_int_eq(parse("250-a\r\n251 b\r\n", &r), SMTP_REPLY_MALFORMED);
	ck_assert_uint_eq(r.bad_at, 7);
	ck_assert_int_eq(parse("", &r), SMTP_REPLY_NEED_MORE);
	ck_assert_int_eq(parse("2", &r), SMTP_REPLY_NEED_MORE);
	ck_assert_int_eq(parse("220 no line end yet", &r), SMTP_REPLY_NEED_MORE);
}
END_TEST

/* ---- responders ------------------------------------------------------------ */

struct script {
	int lfd;
	const char *greeting;     /* NULL: say nothing, hold the connection */
	bool close_at_once;       /* accept, then close */
	const char *helo_reply;   /* to the expected HELO */
	const char *expect_helo;  /* the line HELO must be; another gets 501 */
	bool dribble;             /* write a byte at a time */
	bool no_quit_reply;       /* close instead of answering QUIT */
};

static void put(int fd, const char *s, bool dribble)
{
	size_t n = strlen(s);
	if (!dribble) {
		(void)!write(fd, s, n);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		(void)!write(fd, s + i, 1);
		usleep(2000);
	}
}

/* One line, CRLF included; "" on EOF or after 5 s. */
static void get_line(int fd, char *buf, size_t len)
{
	size_t o = 0;
	while (o + 1 < len) {
		char c;
		if (read(fd, &c, 1) != 1)
			break;
		buf[o++] = c;
		if (c == '\n')
			break;
	}
	buf[o] = '\0';
}

static void smtp_responder(void *arg)
{
	const struct script *s = arg;
	for (;;) {
		int c = accept(s->lfd, NULL, NULL);
		if (c < 0)
			continue;
		struct timeval tv = { .tv_sec = 5 };
		setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		if (s->close_at_once) {
			close(c);
			continue;
		}
		if (!s->greeting) {
			pause();
			continue;
		}
		char line[600];
		put(c, s->greeting, s->dribble);
		get_line(c, line, sizeof(line));
		if (!line[0]) {
			close(c);
			continue;
		}
		if (strcmp(line, s->expect_helo) != 0) {
			put(c, "501 unexpected HELO line\r\n", false);
			close(c);
			continue;
		}
		put(c, s->helo_reply, s->dribble);
		get_line(c, line, sizeof(line));
		if (strcmp(line, "QUIT\r\n") == 0 && !s->no_quit_reply)
			put(c, "221 bye\r\n", s->dribble);
		close(c);
	}
}

static const char default_helo[] = "HELO smtpchecker.keepalived.org\r\n";

/* One attempt of a probe with conf against a responder running script s
 * on 127.0.0.1; returns the status, the detail in t->r. */
static enum probe_status run_script(struct script *s, const struct checker *conf,
				    uint64_t timeout_us, struct probe_result *out)
{
	struct probetest t;
	uint16_t port = 0;
	s->lfd = probetest_listen_tcp(&port, 16);
	if (!s->expect_helo)
		s->expect_helo = default_helo;
	pid_t pid = probetest_spawn(smtp_responder, s);
	probetest_init(&t, &probe_smtp_ops, conf, "127.0.0.1", port, timeout_us);
	*out = *probetest_attempt(&t);
	probetest_fini(&t);
	probetest_reap(pid);
	close(s->lfd);
	return out->status;
}

START_TEST(up)
{
	struct script s = { .greeting = "220 test ESMTP\r\n", .helo_reply = "250 hello\r\n" };
	struct probe_result r;
	ck_assert_msg(run_script(&s, NULL, 2000 * MS, &r) == PROBE_OK, "%d: %s", r.status, r.detail);
	ck_assert_int_eq(r.weight, -1);
}
END_TEST

START_TEST(up_multi_line_dribbled)
{
	struct script s = { .greeting = "220-first\r\n220-second\r\n220 ready\r\n",
			    .helo_reply = "250-hello\r\n250-SIZE 100\r\n250 HELP\r\n",
			    .dribble = true };
	struct probe_result r;
	ck_assert_msg(run_script(&s, NULL, 3000 * MS, &r) == PROBE_OK, "%d: %s", r.status, r.detail);
}
END_TEST

START_TEST(up_helo_name_and_repeat)
{
	struct smtp_check c;
	memset(&c, 0, sizeof(c));
	c.c.kind = CHECK_SMTP;
	c.helo_name = "probe.example.net";
	struct script s = { .greeting = "220 x\r\n", .helo_reply = "250 ok\r\n",
			    .expect_helo = "HELO probe.example.net\r\n" };
	struct probetest t;
	uint16_t port = 0;
	s.lfd = probetest_listen_tcp(&port, 16);
	pid_t pid = probetest_spawn(smtp_responder, &s);
	probetest_init(&t, &probe_smtp_ops, &c.c, "127.0.0.1", port, 2000 * MS);
	for (int i = 0; i < 3; i++)
		ck_assert_msg(probetest_attempt(&t)->status == PROBE_OK, "attempt %d: %s", i, t.r.detail);
	probetest_fini(&t);
	probetest_reap(pid);
	close(s.lfd);
}
END_TEST

START_TEST(up_v6)
{
	struct script s = { .greeting = "220 v6\r\n", .helo_reply = "250 ok\r\n",
			    .expect_helo = default_helo };
	struct probetest t;
	uint16_t port = 0;
	s.lfd = probetest_listen_tcp6(&port, 4);
	pid_t pid = probetest_spawn(smtp_responder, &s);
	probetest_init(&t, &probe_smtp_ops, NULL, "::1", port, 2000 * MS);
	ck_assert_msg(probetest_attempt(&t)->status == PROBE_OK, "%s", t.r.detail);
	probetest_fini(&t);
	probetest_reap(pid);
	close(s.lfd);
}
END_TEST

START_TEST(bad_greeting)
{
	struct script s = { .greeting = "554 go away\r\n", .helo_reply = "250 ok\r\n" };
	struct probe_result r;
	ck_assert_int_eq(run_script(&s, NULL, 2000 * MS, &r), PROBE_BAD_REPLY);
	ck_assert_msg(strstr(r.detail, "554 go away"), "detail: %s", r.detail);
}
END_TEST

START_TEST(bad_helo_reply)
{
	struct script s = { .greeting = "220 x\r\n", .helo_reply = "502 no HELO here\r\n" };
	struct probe_result r;
	ck_assert_int_eq(run_script(&s, NULL, 2000 * MS, &r), PROBE_BAD_REPLY);
	ck_assert_msg(strstr(r.detail, "HELO") && strstr(r.detail, "502"), "detail: %s", r.detail);
}
END_TEST

START_TEST(not_smtp)
{
	struct script s = { .greeting = "SSH-2.0-OpenSSH\r\n", .helo_reply = "250 ok\r\n" };
	struct probe_result r;
	ck_assert_int_eq(run_script(&s, NULL, 2000 * MS, &r), PROBE_BAD_REPLY);
}
END_TEST

START_TEST(closed_at_once)
{
	struct script s = { .close_at_once = true };
	struct probe_result r;
	ck_assert_msg(run_script(&s, NULL, 2000 * MS, &r) == PROBE_CLOSED, "%d: %s", r.status, r.detail);
}
END_TEST

/* keepalived waits for the reply to QUIT; a drop before it fails. */
START_TEST(closed_before_quit_reply)
{
	struct script s = { .greeting = "220 x\r\n", .helo_reply = "250 ok\r\n", .no_quit_reply = true };
	struct probe_result r;
	ck_assert_msg(run_script(&s, NULL, 2000 * MS, &r) == PROBE_CLOSED, "%d: %s", r.status, r.detail);
}
END_TEST

START_TEST(refused)
{
	struct probetest t;
	probetest_init(&t, &probe_smtp_ops, NULL, "127.0.0.1", probetest_closed_port(), 1000 * MS);
	ck_assert_int_eq(probetest_attempt(&t)->status, PROBE_REFUSED);
	probetest_fini(&t);
}
END_TEST

START_TEST(hang_times_out)
{
	struct script s = { .greeting = NULL };
	struct probe_result r;
	uint64_t t0 = uv_hrtime();
	ck_assert_int_eq(run_script(&s, NULL, 300 * MS, &r), PROBE_TIMEOUT);
	uint64_t ms = (uv_hrtime() - t0) / 1000000;
	ck_assert_msg(ms >= 290 && ms < 2000, "timed out after %llu ms", (unsigned long long)ms);
	ck_assert_msg(strstr(r.detail, "greeting"), "detail: %s", r.detail);
}
END_TEST

/* The deadline covers the whole exchange, not each read: a server that
 * answers every line slowly but within any one-read timeout fails. */
START_TEST(one_deadline_for_all)
{
	struct script s = { .greeting = "220-a\r\n220-b\r\n220-c\r\n220-d\r\n220 e\r\n",
			    .helo_reply = "250-a\r\n250-b\r\n250-c\r\n250 d\r\n", .dribble = true };
	struct probe_result r;
	/* About 90 bytes at 2 ms each: well over 100 ms in all. */
	ck_assert_int_eq(run_script(&s, NULL, 100 * MS, &r), PROBE_TIMEOUT);
}
END_TEST

/* Issue 15, hole 7, the checker's side: a reply of endless "250-" lines
 * ends the attempt as a bad reply once SMTP_REPLY_MAX (4096) bytes are in,
 * well before the check's deadline, instead of reading on. */
START_TEST(endless_continuation_lines)
{
	static char helo[8192];
	size_t n = 0;
	while (n + 8 < sizeof(helo)) {
		memcpy(helo + n, "250-xyz\r\n", 9);
		n += 9;
	}
	helo[n] = '\0';
	struct script s = { .greeting = "220 x\r\n", .helo_reply = helo };
	struct probe_result r;
	ck_assert_int_eq(run_script(&s, NULL, 5000 * MS, &r), PROBE_BAD_REPLY);
	ck_assert_msg(strstr(r.detail, "longer than 4096 bytes"), "detail: %s", r.detail);
}
END_TEST

START_TEST(cancel_mid_attempt)
{
	struct script s = { .greeting = NULL };
	struct probetest t;
	uint16_t port = 0;
	s.lfd = probetest_listen_tcp(&port, 16);
	pid_t pid = probetest_spawn(smtp_responder, &s);
	probetest_init(&t, &probe_smtp_ops, NULL, "127.0.0.1", port, 1000 * MS);
	probetest_cancel_after(&t, 50);
	/* The probe is usable again after a cancel. */
	probetest_cancel_after(&t, 20);
	probetest_fini(&t);
	probetest_reap(pid);
	close(s.lfd);
}
END_TEST

START_TEST(helo_name_with_line_break)
{
	struct smtp_check c;
	memset(&c, 0, sizeof(c));
	c.helo_name = "a\r\nMAIL FROM:<x>";
	struct probe *p = calloc(1, probe_smtp_ops.size);
	char err[128] = "";
	p->conf = &c.c;
	ck_assert_int_eq(probe_smtp_ops.init(p, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "line break"), "%s", err);
	free(p);
}
END_TEST

START_TEST(log_formats)
{
	char buf[256];
	snprintf(buf, sizeof(buf), probe_smtp_ops.up_fmt, "[10.0.0.2]:tcp:25");
	ck_assert_str_eq(buf, "Remote SMTP server [10.0.0.2]:tcp:25 succeed on service.");
	snprintf(buf, sizeof(buf), probe_smtp_ops.down_retries_fmt, "[10.0.0.2]:tcp:25", 3u);
	ck_assert_str_eq(buf, "SMTP_CHECK on service [10.0.0.2]:tcp:25 failed after 3 retries.");
	ck_assert_str_eq(probe_smtp_ops.keyword, "SMTP_CHECK");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("check_smtp");
	TCase *tp = tcase_create("parser");
	tcase_add_test(tp, reply_single_line);
	tcase_add_test(tp, reply_multi_line);
	tcase_add_test(tp, reply_malformed);
	suite_add_tcase(s, tp);
	TCase *tc = tcase_create("probe");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, up);
	tcase_add_test(tc, up_multi_line_dribbled);
	tcase_add_test(tc, up_helo_name_and_repeat);
	tcase_add_test(tc, up_v6);
	tcase_add_test(tc, bad_greeting);
	tcase_add_test(tc, bad_helo_reply);
	tcase_add_test(tc, not_smtp);
	tcase_add_test(tc, closed_at_once);
	tcase_add_test(tc, closed_before_quit_reply);
	tcase_add_test(tc, refused);
	tcase_add_test(tc, hang_times_out);
	tcase_add_test(tc, one_deadline_for_all);
	tcase_add_test(tc, endless_continuation_lines);
	tcase_add_test(tc, cancel_mid_attempt);
	tcase_add_test(tc, helo_name_with_line_break);
	tcase_add_test(tc, log_formats);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
