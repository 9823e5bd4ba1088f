/* test_check_http.c - HTTP_GET and SSL_GET probes against servers on
 * loopback started by the test: a forked child answering canned
 * responses by path, and openssl s_server for TLS.
 *
 * Every child gets PR_SET_PDEATHSIG and an alarm, so none outlives a
 * test that fails half-way; teardown kills it too. The TLS certificates
 * live in a temporary directory made and removed by an unchecked fixture
 * (run in the runner's process, so removed even when a test fails). */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check/httphead.h"
#include "md5.h"
#include "probetest.h"

#define MS 1000ULL

/* ---- the canned HTTP server ---------------------------------------------------- */

#define BIG_LEN (1024 * 1024)
#define NEEDLE_AT 1000

static void big_body(char *buf)
{
	memset(buf, 'x', BIG_LEN);
	memcpy(buf + NEEDLE_AT, "NEEDLE", 6);
}

static void send_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
		if (n <= 0)
			return;
		p += n;
		len -= (size_t)n;
	}
}

static void reply(int fd, int code, const char *body, size_t len)
{
	char head[256];
	int n = snprintf(head, sizeof(head), "HTTP/1.0 %d Whatever\r\nContent-Length: %zu\r\n"
			 "Content-Type: text/plain\r\n\r\n", code, len);
	send_all(fd, head, (size_t)n);
	send_all(fd, body, len);
}

/* Read the request head (to the blank line); its length, 0 on error. */
static size_t read_request(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	while (len < cap - 1) {
		ssize_t n = recv(fd, buf + len, cap - 1 - len, 0);
		if (n <= 0)
			return 0;
		len += (size_t)n;
		buf[len] = '\0';
		if (strstr(buf, "\r\n\r\n"))
			return len;
	}
	return len;
}

static void serve_one(int fd, char *big)
{
	char req[8192], path[256] = "";
	size_t len = read_request(fd, req, sizeof(req));
	if (!len || sscanf(req, "GET %255s ", path) != 1)
		return;
	if (!strcmp(path, "/ok")) {
		reply(fd, 200, "hello world\n", 12);
	} else if (!strncmp(path, "/status/", 8)) {
		reply(fd, atoi(path + 8), "status\n", 7);
	} else if (!strcmp(path, "/echo")) {
		reply(fd, 200, req, len);
	} else if (!strcmp(path, "/big")) {
		reply(fd, 200, big, BIG_LEN);
	} else if (!strcmp(path, "/chunked")) {
		static const char r[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
					"5\r\nhello\r\n0\r\n\r\n";
		send_all(fd, r, sizeof(r) - 1);
	} else if (!strcmp(path, "/slow")) {
		sleep(3);
		reply(fd, 200, "late\n", 5);
	} else if (!strcmp(path, "/stall")) {
		static const char r[] = "HTTP/1.0 200 OK\r\nContent-Length: 100000\r\n\r\npartial";
		send_all(fd, r, sizeof(r) - 1);
		sleep(5);
	} else if (!strcmp(path, "/garbage")) {
		send_all(fd, "SPLAT\r\n\r\n", 9);
	} else if (!strcmp(path, "/delay")) {
		usleep(300000);
		reply(fd, 200, "late\n", 5);
	} else if (!strncmp(path, "/long", 5)) {
		/* Reached only when the whole head came (read_request). */
		reply(fd, 200, "long\n", 5);
	} else if (!strcmp(path, "/short")) {
		static const char r[] = "HTTP/1.0 200 OK\r\nContent-Length: 100\r\n\r\n0123456789";
		send_all(fd, r, sizeof(r) - 1);
	} else if (!strcmp(path, "/continue")) {
		static const char r[] = "HTTP/1.1 100 Continue\r\n\r\n"
					"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
		send_all(fd, r, sizeof(r) - 1);
	} else if (!strcmp(path, "/lf")) {
		static const char r[] = "HTTP/1.0 200 OK\nContent-Length: 5\nX-A: b\n\nhello";
		send_all(fd, r, sizeof(r) - 1);
	} else if (!strncmp(path, "/bighead/", 9)) {
		/* A head of about N KiB: one long header, as a big CSP. */
		size_t kib = (size_t)atoi(path + 9);
		char *h = malloc(kib * 1024 + 256);
		if (!h)
			return;
		int n = sprintf(h, "HTTP/1.0 200 OK\r\nContent-Length: 5\r\nContent-Security-Policy: ");
		memset(h + n, 'c', kib * 1024);
		memcpy(h + n + kib * 1024, "\r\n\r\nhello", 9);
		send_all(fd, h, (size_t)n + kib * 1024 + 9);
		free(h);
	} else if (!strcmp(path, "/close")) {
		/* nothing: the connection closes without a reply */
	} else {
		reply(fd, 404, "not found\n", 10);
	}
}

/* The child of a test dies with it, and within a minute regardless. */
static void child_leash(void)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	alarm(60);
}

static pid_t server_pid = -1;

/* Fork a server on listening socket lfd. */
static void server_fork(int lfd)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		child_leash();
		char *big = malloc(BIG_LEN);
		if (!big)
			_exit(1);
		big_body(big);
		for (;;) {
			int fd = accept(lfd, NULL, NULL);
			if (fd < 0)
				continue;
			serve_one(fd, big);
			close(fd);
		}
	}
	close(lfd);
	server_pid = pid;
}

/* A server on 127.0.0.1; returns its port. */
static uint16_t server_start(void)
{
	uint16_t port = 0;
	server_fork(probetest_listen_tcp(&port, 1024));
	return port;
}

/* A server on ::1; returns its port. */
static uint16_t server_start6(void)
{
	int lfd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	socklen_t len = sizeof(a);
	ck_assert_int_ge(lfd, 0);
	ck_assert_int_eq(bind(lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(lfd, 16), 0);
	ck_assert_int_eq(getsockname(lfd, (struct sockaddr *)&a, &len), 0);
	server_fork(lfd);
	return ntohs(a.sin6_port);
}

static void server_stop(void)
{
	if (server_pid > 0) {
		kill(server_pid, SIGKILL);
		waitpid(server_pid, NULL, 0);
		server_pid = -1;
	}
}

/* ---- checker configurations ---------------------------------------------------- */

struct hc_fixture {
	struct http_check hc;
	struct check_url url[3];
};

/* An HTTP_GET with the given paths (NULL-terminated, up to 3). */
static struct http_check *make_check(struct hc_fixture *f, int kind, const char *p1,
				     const char *p2)
{
	memset(f, 0, sizeof(*f));
	f->hc.c.kind = (uint8_t)kind;
	const char *paths[] = { p1, p2 };
	for (int i = 0; i < 2 && paths[i]; i++) {
		f->url[i].path = (char *)paths[i];
		list_append(&f->hc.urls, &f->url[i].node);
	}
	return &f->hc;
}

static const struct probe_result *attempt(struct probetest *t)
{
	const struct probe_result *r = probetest_attempt(t);
	if (r->status != PROBE_OK)
		fprintf(stderr, "  (%s: %s)\n", probe_status_str(r->status), r->detail);
	return r;
}

static void run_one(struct hc_fixture *f, uint16_t port, enum probe_status want)
{
	struct probetest t;
	probetest_init(&t, &probe_http_ops, &f->hc.c, "127.0.0.1", port, 2000 * MS);
	const struct probe_result *r = attempt(&t);
	ck_assert_msg(r->status == want, "status %s, want %s: %s", probe_status_str(r->status),
		      probe_status_str(want), r->detail);
	probetest_fini(&t);
}

/* ---- plain HTTP ---------------------------------------------------------------- */

START_TEST(ok_200)
{
	struct hc_fixture f;
	struct probetest t;
	uint16_t port = server_start();
	make_check(&f, CHECK_HTTP, "/ok", NULL);
	probetest_init(&t, &probe_http_ops, &f.hc.c, "127.0.0.1", port, 2000 * MS);
	ck_assert_int_eq(attempt(&t)->status, PROBE_OK);
	ck_assert_int_eq(t.r.weight, -1);
	/* Attempts repeat on the same probe and the same multi. */
	ck_assert_int_eq(attempt(&t)->status, PROBE_OK);
	probetest_fini(&t);
}
END_TEST

START_TEST(not_found)
{
	struct hc_fixture f;
	struct probetest t;
	uint16_t port = server_start();
	make_check(&f, CHECK_HTTP, "/missing", NULL);
	probetest_init(&t, &probe_http_ops, &f.hc.c, "127.0.0.1", port, 2000 * MS);
	const struct probe_result *r = attempt(&t);
	ck_assert_int_eq(r->status, PROBE_BAD_STATUS);
	ck_assert_msg(strncmp(r->detail, "HTTP status 404", 15) == 0, "detail: %s", r->detail);
	ck_assert_msg(strstr(r->detail, "/missing"), "the url is named: %s", r->detail);
	probetest_fini(&t);
}
END_TEST

START_TEST(status_codes)
{
	static const struct check_status_range only_302[] = { { 302, 302 } };
	static const struct check_status_range ranges[] = { { 200, 204 }, { 400, 404 }, { 500, 599 } };
	struct hc_fixture f;
	uint16_t port = server_start();

	/* The default 200-299. */
	make_check(&f, CHECK_HTTP, "/status/204", NULL);
	run_one(&f, port, PROBE_OK);
	make_check(&f, CHECK_HTTP, "/status/302", NULL);
	run_one(&f, port, PROBE_BAD_STATUS);
	/* A list replaces the default. */
	make_check(&f, CHECK_HTTP, "/status/302", NULL);
	f.url[0].status_codes = (struct check_status_codes){ only_302, 1 };
	run_one(&f, port, PROBE_OK);
	make_check(&f, CHECK_HTTP, "/status/200", NULL);
	f.url[0].status_codes = (struct check_status_codes){ only_302, 1 };
	run_one(&f, port, PROBE_BAD_STATUS);
	/* Ranges, their ends, and the gaps between them. */
	static const struct { const char *path; enum probe_status want; } v[] = {
		{ "/status/200", PROBE_OK }, { "/status/204", PROBE_OK },
		{ "/status/205", PROBE_BAD_STATUS }, { "/status/400", PROBE_OK },
		{ "/status/404", PROBE_OK }, { "/status/405", PROBE_BAD_STATUS },
		{ "/status/503", PROBE_OK },
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		make_check(&f, CHECK_HTTP, v[i].path, NULL);
		f.url[0].status_codes = (struct check_status_codes){ ranges, 3 };
		run_one(&f, port, v[i].want);
	}
}
END_TEST

START_TEST(all_urls_must_pass)
{
	struct hc_fixture f;
	uint16_t port = server_start();
	make_check(&f, CHECK_HTTP, "/ok", "/status/200");
	run_one(&f, port, PROBE_OK);
	make_check(&f, CHECK_HTTP, "/ok", "/status/500");
	run_one(&f, port, PROBE_BAD_STATUS);
	make_check(&f, CHECK_HTTP, "/status/500", "/ok");
	run_one(&f, port, PROBE_BAD_STATUS);
}
END_TEST

static void set_digest(struct check_url *u, const void *body, size_t len)
{
	u->digest.set = true;
	md5(body, len, u->digest.md5);
}

START_TEST(digest)
{
	struct hc_fixture f;
	uint16_t port = server_start();
	char *big = malloc(BIG_LEN);
	ck_assert_ptr_nonnull(big);
	big_body(big);

	make_check(&f, CHECK_HTTP, "/ok", NULL);
	set_digest(&f.url[0], "hello world\n", 12);
	run_one(&f, port, PROBE_OK);
	make_check(&f, CHECK_HTTP, "/ok", NULL);
	set_digest(&f.url[0], "hello world!", 12);
	run_one(&f, port, PROBE_BAD_DIGEST);
	/* A megabyte, hashed as it streams in. */
	make_check(&f, CHECK_HTTP, "/big", NULL);
	set_digest(&f.url[0], big, BIG_LEN);
	run_one(&f, port, PROBE_OK);
	big[BIG_LEN - 1] = 'y';
	make_check(&f, CHECK_HTTP, "/big", NULL);
	set_digest(&f.url[0], big, BIG_LEN);
	run_one(&f, port, PROBE_BAD_DIGEST);
	free(big);
	/* Chunked coding is hashed as sent, as keepalived hashes it. */
	static const char raw[] = "5\r\nhello\r\n0\r\n\r\n";
	make_check(&f, CHECK_HTTP, "/chunked", NULL);
	f.hc.http_protocol = CHECK_HTTP_1_1;
	set_digest(&f.url[0], raw, sizeof(raw) - 1);
	run_one(&f, port, PROBE_OK);
}
END_TEST

START_TEST(regex)
{
	struct hc_fixture f;
	uint16_t port = server_start();

	make_check(&f, CHECK_HTTP, "/ok", NULL);
	f.url[0].regex = "hel+o w.rld";
	run_one(&f, port, PROBE_OK);
	make_check(&f, CHECK_HTTP, "/ok", NULL);
	f.url[0].regex = "goodbye";
	run_one(&f, port, PROBE_BAD_REGEX);
	make_check(&f, CHECK_HTTP, "/ok", NULL);
	f.url[0].regex = "goodbye";
	f.url[0].regex_no_match = true;
	run_one(&f, port, PROBE_OK);
	make_check(&f, CHECK_HTTP, "/ok", NULL);
	f.url[0].regex = "hello";
	f.url[0].regex_no_match = true;
	run_one(&f, port, PROBE_BAD_REGEX);
	make_check(&f, CHECK_HTTP, "/ok", NULL);
	f.url[0].regex = "HELLO";
	run_one(&f, port, PROBE_BAD_REGEX);
	make_check(&f, CHECK_HTTP, "/ok", NULL);
	f.url[0].regex = "HELLO";
	f.url[0].regex_options = CHECK_RE_CASELESS;
	run_one(&f, port, PROBE_OK);
	/* Offsets: NEEDLE starts at byte 1000 of a megabyte of 'x'. */
	static const struct { uint32_t min, max; enum probe_status want; } v[] = {
		{ 0, 0, PROBE_OK }, { 999, 0, PROBE_OK }, { 1000, 0, PROBE_OK },
		{ 1001, 0, PROBE_BAD_REGEX }, { 0, 1000, PROBE_OK }, { 0, 999, PROBE_BAD_REGEX },
		/* max is an offset in the body, not in what follows min */
		{ 900, 1000, PROBE_OK }, { 900, 950, PROBE_BAD_REGEX },
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		make_check(&f, CHECK_HTTP, "/big", NULL);
		f.url[0].regex = "NEEDLE";
		f.url[0].regex_min_offset = v[i].min;
		f.url[0].regex_max_offset = v[i].max;
		run_one(&f, port, v[i].want);
	}
}
END_TEST

START_TEST(bad_regex_fails_init)
{
	struct hc_fixture f;
	struct probe_ctx ctx = { 0 };
	make_check(&f, CHECK_HTTP, "/ok", NULL);
	f.url[0].regex = "(unclosed";
	struct probe *p = calloc(1, probe_http_ops.size);
	ck_assert_ptr_nonnull(p);
	p->ops = &probe_http_ops;
	p->ctx = &ctx;
	p->conf = &f.hc.c;
	char err[256] = "";
	ck_assert_int_eq(probe_http_ops.init(p, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "(unclosed"), "err: %s", err);
	probe_http_ops.fini(p);
	free(p);
	/* No url at all. */
	make_check(&f, CHECK_HTTP, NULL, NULL);
	p = calloc(1, probe_http_ops.size);
	ck_assert_ptr_nonnull(p);
	p->ops = &probe_http_ops;
	p->ctx = &ctx;
	p->conf = &f.hc.c;
	ck_assert_int_eq(probe_http_ops.init(p, err, sizeof(err)), -1);
	probe_http_ops.fini(p);
	free(p);
}
END_TEST

/* The request as the server saw it, checked with regexes over /echo. */
static void expect_request(struct hc_fixture *f, uint16_t port, const struct real_server *rs,
			   const struct virtual_server *vs, const char *re, bool present)
{
	struct probetest t;
	f->url[0].regex = (char *)re;
	f->url[0].regex_no_match = !present;
	probetest_init(&t, &probe_http_ops, &f->hc.c, "127.0.0.1", port, 2000 * MS);
	t.p->rs = rs;
	t.p->vs = vs;
	const struct probe_result *r = attempt(&t);
	ck_assert_msg(r->status == PROBE_OK, "request %s /%s/: %s", present ? "lacks" : "has", re,
		      r->detail);
	probetest_fini(&t);
}

START_TEST(request_and_host)
{
	struct hc_fixture f;
	struct real_server rs = { 0 };
	struct virtual_server vs = { 0 };
	char re[128];
	uint16_t port = server_start();

	/* No virtualhost anywhere: the address and port. */
	make_check(&f, CHECK_HTTP, "/echo", NULL);
	snprintf(re, sizeof(re), "Host: 127\\.0\\.0\\.1:%u[[:space:]]", (unsigned)port);
	expect_request(&f, port, &rs, &vs, re, true);
	expect_request(&f, port, &rs, &vs, "^GET /echo HTTP/1\\.0[[:space:]]", true);
	expect_request(&f, port, &rs, &vs, "User-Agent: KeepAliveClient[[:space:]]", true);
	expect_request(&f, port, &rs, &vs, "Connection:", false);
	expect_request(&f, port, &rs, &vs, "Accept:", false);
	/* 1.0C and 1.1 close the connection. */
	f.hc.http_protocol = CHECK_HTTP_1_0C;
	expect_request(&f, port, &rs, &vs, "^GET /echo HTTP/1\\.0.*Connection: close", true);
	f.hc.http_protocol = CHECK_HTTP_1_1;
	expect_request(&f, port, &rs, &vs, "^GET /echo HTTP/1\\.1.*Connection: close", true);
	f.hc.http_protocol = CHECK_HTTP_1_0;
	/* The fallbacks, nearest first: the connection still goes to the
	 * address (this server), whatever the Host says. */
	vs.virtualhost = "vs.example";
	expect_request(&f, port, &rs, &vs, "Host: vs\\.example[[:space:]]", true);
	rs.virtualhost = "rs.example";
	expect_request(&f, port, &rs, &vs, "Host: rs\\.example[[:space:]]", true);
	f.hc.virtualhost = "www.example.com";
	expect_request(&f, port, &rs, &vs, "Host: www\\.example\\.com[[:space:]]", true);
	f.url[0].virtualhost = "url.example";
	expect_request(&f, port, &rs, &vs, "Host: url\\.example[[:space:]]", true);
}
END_TEST

START_TEST(ipv6)
{
	struct hc_fixture f;
	struct probetest t;
	char re[64];
	uint16_t port = server_start6();
	make_check(&f, CHECK_HTTP, "/echo", NULL);
	/* keepalived writes an IPv6 Host in brackets (RFC 2732). */
	snprintf(re, sizeof(re), "Host: \\[::1\\]:%u[[:space:]]", (unsigned)port);
	f.url[0].regex = re;
	probetest_init(&t, &probe_http_ops, &f.hc.c, "::1", port, 2000 * MS);
	ck_assert_int_eq(attempt(&t)->status, PROBE_OK);
	probetest_fini(&t);
	/* A virtualhost over IPv6: still connects to ::1. */
	f.hc.virtualhost = "v6.example";
	f.url[0].regex = "Host: v6\\.example[[:space:]]";
	probetest_init(&t, &probe_http_ops, &f.hc.c, "::1", port, 2000 * MS);
	ck_assert_int_eq(attempt(&t)->status, PROBE_OK);
	probetest_fini(&t);
}
END_TEST

START_TEST(slow_server_times_out)
{
	struct hc_fixture f;
	struct probetest t;
	uint16_t port = server_start();
	make_check(&f, CHECK_HTTP, "/slow", NULL);
	probetest_init(&t, &probe_http_ops, &f.hc.c, "127.0.0.1", port, 300 * MS);
	uint64_t t0 = uv_hrtime();
	ck_assert_int_eq(attempt(&t)->status, PROBE_TIMEOUT);
	uint64_t ms = (uv_hrtime() - t0) / 1000000;
	ck_assert_msg(ms >= 250 && ms < 1000, "timed out after %llu ms", (unsigned long long)ms);
	probetest_fini(&t);
}
END_TEST

/* A url that does not answer within connect_timeout fails the attempt,
 * naming the url. */
START_TEST(deadline_covers_all_urls)
{
	struct hc_fixture f;
	struct probetest t;
	uint16_t port = server_start();
	make_check(&f, CHECK_HTTP, "/ok", "/slow");
	probetest_init(&t, &probe_http_ops, &f.hc.c, "127.0.0.1", port, 400 * MS);
	uint64_t t0 = uv_hrtime();
	ck_assert_int_eq(attempt(&t)->status, PROBE_TIMEOUT);
	uint64_t ms = (uv_hrtime() - t0) / 1000000;
	ck_assert_msg(ms < 1000, "timed out after %llu ms", (unsigned long long)ms);
	ck_assert_msg(strstr(t.r.detail, "/slow"), "detail: %s", t.r.detail);
	probetest_fini(&t);
}
END_TEST

/* Each url has its own connect_timeout (issue 16): two urls answering in
 * 0.3 s each pass under a 0.45 s timeout, as in keepalived, where one
 * deadline for both failed them every time. */
START_TEST(deadline_per_url)
{
	struct hc_fixture f;
	struct probetest t;
	uint16_t port = server_start();
	make_check(&f, CHECK_HTTP, "/delay", "/delay");
	probetest_init(&t, &probe_http_ops, &f.hc.c, "127.0.0.1", port, 450 * MS);
	ck_assert_int_eq(attempt(&t)->status, PROBE_OK);
	probetest_fini(&t);
}
END_TEST

/* A request longer than any fixed buffer goes out whole (issue 16: 1,023
 * bytes were sent and the server waited for the rest). */
START_TEST(long_request)
{
	struct hc_fixture f;
	char *path = malloc(5001);
	ck_assert_ptr_nonnull(path);
	memcpy(path, "/long?token=", 12);
	memset(path + 12, 'a', 5000 - 12);
	path[5000] = '\0';
	uint16_t port = server_start();
	make_check(&f, CHECK_HTTP, path, NULL);
	run_one(&f, port, PROBE_OK);
	free(path);
}
END_TEST

/* A reply cut short of its Content-Length is judged as received, as
 * keepalived does (which logs the mismatch). */
START_TEST(short_reply_judged)
{
	struct hc_fixture f;
	uint16_t port = server_start();
	make_check(&f, CHECK_HTTP, "/short", NULL);
	set_digest(&f.url[0], "0123456789", 10);
	run_one(&f, port, PROBE_OK);
	make_check(&f, CHECK_HTTP, "/short", NULL);
	set_digest(&f.url[0], "0123456789x", 11);
	run_one(&f, port, PROBE_BAD_DIGEST);
}
END_TEST

/* The reader's rules, libcurl's (SSL_GET, vigil-genhash): interim 1xx
 * heads skipped, bare LF line ends, heads up to HTTP_HEAD_MAX (64 KiB). */
START_TEST(reply_heads)
{
	struct hc_fixture f;
	uint16_t port = server_start();
	static const char *const ok[] = { "/continue", "/lf", "/bighead/5", "/bighead/40" };
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		make_check(&f, CHECK_HTTP, ok[i], NULL);
		set_digest(&f.url[0], "hello", 5);
		run_one(&f, port, PROBE_OK);
	}
	make_check(&f, CHECK_HTTP, "/bighead/80", NULL);
	struct probetest t;
	probetest_init(&t, &probe_http_ops, &f.hc.c, "127.0.0.1", port, 2000 * MS);
	const struct probe_result *r = attempt(&t);
	ck_assert_int_eq(r->status, PROBE_BAD_STATUS);
	ck_assert_msg(strstr(r->detail, "reply head over 65536 bytes"), "%s", r->detail);
	probetest_fini(&t);
}
END_TEST

START_TEST(refused)
{
	struct hc_fixture f;
	make_check(&f, CHECK_HTTP, "/ok", NULL);
	run_one(&f, probetest_closed_port(), PROBE_REFUSED);
}
END_TEST

START_TEST(bad_replies)
{
	struct hc_fixture f;
	uint16_t port = server_start();
	make_check(&f, CHECK_HTTP, "/close", NULL);
	run_one(&f, port, PROBE_CLOSED);
	make_check(&f, CHECK_HTTP, "/garbage", NULL);
	run_one(&f, port, PROBE_BAD_STATUS);
}
END_TEST

START_TEST(cancel_mid_transfer)
{
	struct hc_fixture f;
	struct probetest t;
	uint16_t port = server_start();
	make_check(&f, CHECK_HTTP, "/stall", NULL);
	probetest_init(&t, &probe_http_ops, &f.hc.c, "127.0.0.1", port, 3000 * MS);
	/* Cancelled with the body half read. */
	probetest_cancel_after(&t, 200);
	/* Cancelled before the loop ever ran. */
	probetest_cancel_after(&t, 0);
	/* The probe works on after its cancels (a new server: this one is
	 * still stalled in the first request). */
	server_stop();
	port = server_start();
	f.url[0].path = "/ok";
	((struct sockaddr_in *)&t.p->dst)->sin_port = htons(port);
	ck_assert_int_eq(attempt(&t)->status, PROBE_OK);
	probetest_fini(&t);
}
END_TEST

static void count_done(struct probe *p, const struct probe_result *r)
{
	int *counts = p->data;
	counts[0]++;
	if (r->status == PROBE_OK)
		counts[1]++;
	else
		fprintf(stderr, "  (%s: %s)\n", probe_status_str(r->status), r->detail);
}

START_TEST(many_concurrent)
{
	enum { N = 200 };
	struct hc_fixture f;
	struct probetest t;
	struct probe *p[N];
	int counts[2] = { 0, 0 };
	uint16_t port = server_start();

	make_check(&f, CHECK_HTTP, "/ok", NULL);
	set_digest(&f.url[0], "hello world\n", 12);
	probetest_init(&t, &probe_http_ops, &f.hc.c, "127.0.0.1", port, 10000 * MS);
	for (int i = 0; i < N; i++)
		p[i] = probetest_clone(&t, count_done, counts);
	for (int i = 0; i < N; i++)
		p[i]->ops->start(p[i]);
	ck_assert_int_eq(probetest_run_until(&t, &counts[0], N, 15000), N);
	ck_assert_int_eq(counts[1], N);
	/* Once more on the same multi, and then cancel half-way. */
	counts[0] = counts[1] = 0;
	for (int i = 0; i < N; i++)
		p[i]->ops->start(p[i]);
	ck_assert_int_ge(probetest_run_until(&t, &counts[0], N / 2, 15000), N / 2);
	int before = counts[0];
	for (int i = 0; i < N; i++)
		probetest_free_clone(p[i]);
	/* Nothing reports after a cancel (a late report would also touch a
	 * freed probe, which the sanitizer build catches). */
	probetest_run_until(&t, &counts[0], N + 1, 100);
	ck_assert_int_eq(counts[0], before);
	probetest_fini(&t);
}
END_TEST

/* ---- TLS ------------------------------------------------------------------------ */

static char tls_dir[64];
static char cert_pem[128], key_pem[128], other_pem[128], other_key[128];
static char sni_pem[128], sni_key[128];

/* In a child about to exec: its stdout and stderr to /dev/null (freopen's
 * result must be used under _FORTIFY_SOURCE, which configure now sets). */
static void quiet_stdio(void)
{
	if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
		_exit(126);
}

static int run_quiet(char *const argv[])
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		child_leash();
		quiet_stdio();
		execvp(argv[0], argv);
		_exit(127);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int make_cert(const char *cert, const char *key, const char *cn)
{
	char subj[64];
	snprintf(subj, sizeof(subj), "/CN=%s", cn);
	char *argv[] = { "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", subj,
			 "-days", "1", "-keyout", (char *)key, "-out", (char *)cert, NULL };
	return run_quiet(argv);
}

/* Unchecked fixture: the runner's process, once for the TLS case. */
static void tls_setup(void)
{
	snprintf(tls_dir, sizeof(tls_dir), "/tmp/vigil-http-XXXXXX");
	if (!mkdtemp(tls_dir)) {
		tls_dir[0] = '\0';
		return;
	}
	snprintf(cert_pem, sizeof(cert_pem), "%s/cert.pem", tls_dir);
	snprintf(key_pem, sizeof(key_pem), "%s/key.pem", tls_dir);
	snprintf(other_pem, sizeof(other_pem), "%s/other.pem", tls_dir);
	snprintf(other_key, sizeof(other_key), "%s/other-key.pem", tls_dir);
	snprintf(sni_pem, sizeof(sni_pem), "%s/sni.pem", tls_dir);
	snprintf(sni_key, sizeof(sni_key), "%s/sni-key.pem", tls_dir);
	if (make_cert(cert_pem, key_pem, "localhost") != 0 ||
	    make_cert(other_pem, other_key, "localhost") != 0 ||
	    make_cert(sni_pem, sni_key, "my_host.example") != 0)
		fprintf(stderr, "openssl req failed: the TLS tests will fail\n");
}

static void tls_teardown(void)
{
	const char *files[] = { cert_pem, key_pem, other_pem, other_key, sni_pem, sni_key };
	if (!tls_dir[0])
		return;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		unlink(files[i]);
	rmdir(tls_dir);
}

static bool port_answers(uint16_t port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	bool ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
	if (fd >= 0)
		close(fd);
	return ok;
}

/* openssl s_server -www on 127.0.0.1; returns its port once it accepts.
 * With a servername, a client that sends that name as SNI gets the
 * certificate for my_host.example (sni_pem) instead. */
static uint16_t tls_server_start_sni(const char *servername)
{
	uint16_t port = probetest_closed_port();
	char accept_arg[32];
	snprintf(accept_arg, sizeof(accept_arg), "127.0.0.1:%u", (unsigned)port);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		child_leash();
		quiet_stdio();
		if (servername)
			execlp("openssl", "openssl", "s_server", "-www", "-accept", accept_arg,
			       "-cert", cert_pem, "-key", key_pem, "-servername", servername,
			       "-cert2", sni_pem, "-key2", sni_key, (char *)NULL);
		else
			execlp("openssl", "openssl", "s_server", "-www", "-accept", accept_arg,
			       "-cert", cert_pem, "-key", key_pem, (char *)NULL);
		_exit(127);
	}
	server_pid = pid;
	for (int i = 0; i < 100 && !port_answers(port); i++)
		usleep(50000);
	ck_assert_msg(port_answers(port), "openssl s_server did not start");
	return port;
}

static uint16_t tls_server_start(void)
{
	return tls_server_start_sni(NULL);
}

static void run_tls(struct hc_fixture *f, uint16_t port, const struct config *cfg,
		    enum probe_status want)
{
	struct probetest t;
	probetest_init(&t, &probe_ssl_ops, &f->hc.c, "127.0.0.1", port, 3000 * MS);
	t.ctx.cfg = cfg;
	const struct probe_result *r = attempt(&t);
	ck_assert_msg(r->status == want, "status %s, want %s: %s", probe_status_str(r->status),
		      probe_status_str(want), r->detail);
	probetest_fini(&t);
}

static struct config tls_cfg;

START_TEST(tls_no_verification)
{
	struct hc_fixture f;
	uint16_t port = tls_server_start();
	make_check(&f, CHECK_SSL, "/", NULL);
	run_tls(&f, port, NULL, PROBE_OK);
	memset(&tls_cfg, 0, sizeof(tls_cfg));
	run_tls(&f, port, &tls_cfg, PROBE_OK);
	/* s_server -www answers a status page: a regex sees it. */
	f.url[0].regex = "s_server";
	run_tls(&f, port, NULL, PROBE_OK);
	/* Plain HTTP to a TLS port is no HTTP reply. */
	struct probetest t;
	make_check(&f, CHECK_HTTP, "/", NULL);
	probetest_init(&t, &probe_http_ops, &f.hc.c, "127.0.0.1", port, 1000 * MS);
	ck_assert_int_ne(attempt(&t)->status, PROBE_OK);
	probetest_fini(&t);
}
END_TEST

START_TEST(tls_verification)
{
	struct hc_fixture f;
	uint16_t port = tls_server_start();
	memset(&tls_cfg, 0, sizeof(tls_cfg));
	make_check(&f, CHECK_SSL, "/", NULL);
	/* A CA that did not sign the server's certificate. */
	tls_cfg.ssl.ca = other_pem;
	run_tls(&f, port, &tls_cfg, PROBE_TLS_ERROR);
	/* The right one (self-signed: the certificate is its own CA). */
	tls_cfg.ssl.ca = cert_pem;
	run_tls(&f, port, &tls_cfg, PROBE_OK);
	/* With SNI the name is verified too. */
	f.hc.enable_sni = true;
	f.hc.virtualhost = "localhost";
	run_tls(&f, port, &tls_cfg, PROBE_OK);
	f.hc.virtualhost = "wrong.example";
	run_tls(&f, port, &tls_cfg, PROBE_TLS_ERROR);
	/* Without a CA nothing is verified, as in keepalived. */
	tls_cfg.ssl.ca = NULL;
	run_tls(&f, port, &tls_cfg, PROBE_OK);
}
END_TEST

/* enable_sni with a '_' in the virtualhost: the name goes out as written
 * (issue 16: it was silently not sent). The server answers that name
 * with sni_pem, which the CA check accepts; without SNI it would present
 * cert_pem, which sni_pem did not sign. */
START_TEST(tls_sni_underscore)
{
	struct hc_fixture f;
	uint16_t port = tls_server_start_sni("my_host.example");
	memset(&tls_cfg, 0, sizeof(tls_cfg));
	make_check(&f, CHECK_SSL, "/", NULL);
	f.hc.enable_sni = true;
	f.hc.virtualhost = "my_host.example";
	tls_cfg.ssl.ca = sni_pem;
	run_tls(&f, port, &tls_cfg, PROBE_OK);
	/* Without SNI: the default certificate, not signed by that CA. */
	f.hc.enable_sni = false;
	run_tls(&f, port, &tls_cfg, PROBE_TLS_ERROR);
}
END_TEST

/* ---- the pure head parser (httphead.c) ------------------------------------------- */

static bool head(const char *text, long *code, int64_t *length)
{
	struct http_head h;
	size_t len = strlen(text);
	/* an exact-size copy: ASan sees any read past the head */
	char *copy = malloc(len ? len : 1);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, text, len);
	bool ok = http_head_parse(copy, len, &h);
	free(copy);
	if (ok) {
		*code = h.code;
		*length = h.content_length;
	}
	return ok;
}

START_TEST(head_parser)
{
	long code = 0;
	int64_t len = 0;
	ck_assert(head("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", &code, &len));
	ck_assert_int_eq(code, 200);
	ck_assert_int_eq(len, 5);
	ck_assert(head("HTTP/1.0 404\r\n\r\n", &code, &len));
	ck_assert_int_eq(code, 404);
	ck_assert_int_eq(len, -1);
	ck_assert(head("HTTP/1.0 301", &code, &len));            /* the head's end */
	ck_assert(head("HTTP/1.1\t999 x\ncOnTeNt-LeNgTh:\t +12\n\n", &code, &len));
	ck_assert_int_eq(code, 999);
	ck_assert_int_eq(len, 12);
	/* the first Content-Length counts; a bad one is no length */
	ck_assert(head("HTTP/1.1 200 OK\nContent-Length: x\nContent-Length: 7\n\n", &code, &len));
	ck_assert_int_eq(len, -1);
	ck_assert(head("HTTP/1.1 200 OK\nContent-Length: -3\n\n", &code, &len));
	ck_assert_int_eq(len, -1);
	ck_assert(head("HTTP/1.1 200 OK\nContent-Length: 9223372036854775807\n\n", &code, &len));
	ck_assert_int_eq(len, INT64_MAX);
	ck_assert(head("HTTP/1.1 200 OK\nContent-Length: 9223372036854775808\n\n", &code, &len));
	ck_assert_int_eq(len, -1);
	/* a field name inside another line, or without its colon, is not one */
	ck_assert(head("HTTP/1.1 200 OK\nX-Content-Length: 3\nContent-Length 4\n\n", &code, &len));
	ck_assert_int_eq(len, -1);
	/* the status line itself is not a field */
	ck_assert(head("HTTP/1.1 200 Content-Length: 3\n\n", &code, &len));
	ck_assert_int_eq(len, -1);
	/* not an HTTP reply's status line */
	const char *bad[] = {
		"", "HTTP/1.1", "HTTP/1.1 20", "HTTP/1.1 2000 OK\n\n", "HTTP/1.1 099 x\n\n",
		"HTTP/11.1 200 OK\n\n", "HTTP/1.1  200 OK\n\n", "HTTP/1.1 +20 OK\n\n",
		"http/1.1 200 OK\n\n", "HTTP/1,1 200 OK\n\n", "HTTP/1.1 20x\n\n", "SSH-2.0-x\n\n",
		"HTTP/1.1 200x\n\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!head(bad[i], &code, &len), "accepted \"%s\"", bad[i]);
	/* where the head ends */
	ck_assert_uint_eq(http_head_end("HTTP/1.1 200 OK\r\n\r\nbody", 23), 19);
	ck_assert_uint_eq(http_head_end("HTTP/1.1 200 OK\n\nbody", 21), 17);
	ck_assert_uint_eq(http_head_end("HTTP/1.1 200 OK\r\n\r", 18), 0);
	ck_assert_uint_eq(http_head_end("\n", 1), 0);
}
END_TEST

/* ---- runner ---------------------------------------------------------------------- */

int main(void)
{
	Suite *s = suite_create("check_http");
	TCase *tc = tcase_create("http");
	tcase_add_checked_fixture(tc, NULL, server_stop);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, head_parser);
	tcase_add_test(tc, ok_200);
	tcase_add_test(tc, not_found);
	tcase_add_test(tc, status_codes);
	tcase_add_test(tc, all_urls_must_pass);
	tcase_add_test(tc, digest);
	tcase_add_test(tc, regex);
	tcase_add_test(tc, bad_regex_fails_init);
	tcase_add_test(tc, request_and_host);
	tcase_add_test(tc, ipv6);
	tcase_add_test(tc, slow_server_times_out);
	tcase_add_test(tc, deadline_covers_all_urls);
	tcase_add_test(tc, deadline_per_url);
	tcase_add_test(tc, long_request);
	tcase_add_test(tc, short_reply_judged);
	tcase_add_test(tc, reply_heads);
	tcase_add_test(tc, refused);
	tcase_add_test(tc, bad_replies);
	tcase_add_test(tc, cancel_mid_transfer);
	tcase_add_test(tc, many_concurrent);
	suite_add_tcase(s, tc);

	TCase *tls = tcase_create("tls");
	tcase_add_unchecked_fixture(tls, tls_setup, tls_teardown);
	tcase_add_checked_fixture(tls, NULL, server_stop);
	tcase_set_timeout(tls, 60);
	tcase_add_test(tls, tls_no_verification);
	tcase_add_test(tls, tls_verification);
	tcase_add_test(tls, tls_sni_underscore);
	suite_add_tcase(s, tls);

	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
