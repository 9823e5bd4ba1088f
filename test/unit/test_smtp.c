/* test_smtp.c - the SMTP alert client: the message text, a delivery to
 * test/tools/smtpsink, a refused connection, a server that never
 * answers, a server slow to accept (the loop must keep running), the
 * in-flight limit and cancellation. Only 127.0.0.1 is contacted; every
 * loop must close with no handle left. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "sinkutil.h"
#include "smtp.h"
#include "smtpline.h"



/* ---- log capture: vigil's syslog lines arrive on a socket of ours -------------- */

static int logfd = -1;
static char logdir[64];
static char logs[65536];
static size_t logs_len;

static void logcap_start(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	snprintf(logdir, sizeof(logdir), "/tmp/vigil-smtp-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(logdir));
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/log", logdir);
	logfd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(logfd, 0);
	ck_assert_int_eq(bind(logfd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	setenv("VIGIL_SYSLOG_SOCKET", sun.sun_path, 1);
	struct log_opts o = { .ident = "test_smtp", .console = getenv("TEST_CONSOLE") != NULL };
	log_open(&o);
	logs_len = 0;
	logs[0] = '\0';
}

static void logcap_drain(void)
{
	char buf[2048];
	ssize_t n;
	while ((n = recv(logfd, buf, sizeof(buf) - 1, MSG_DONTWAIT)) > 0) {
		buf[n] = '\0';
		size_t l = (size_t)n;
		if (logs_len + l + 2 < sizeof(logs)) {
			memcpy(logs + logs_len, buf, l);
			logs_len += l;
			logs[logs_len++] = '\n';
			logs[logs_len] = '\0';
		}
	}
}

static bool logged(const char *substr)
{
	logcap_drain();
	return strstr(logs, substr) != NULL;
}

static void logcap_stop(void)
{
	char path[128];
	log_close();
	close(logfd);
	snprintf(path, sizeof(path), "%s/log", logdir);
	unlink(path);
	rmdir(logdir);
}

/* ---- helpers ------------------------------------------------------------------------ */

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* A port on 127.0.0.1 where nothing listens. */
static int free_port(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
	close(fd);
	return ntohs(sin.sin_port);
}

/* A server that completes the TCP handshake (the kernel does) and never
 * says a word: listening, never accepting. */
static int silent_server(int *port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(listen(fd, 8), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

struct done {
	int calls;
	enum smtp_result r;
	bool in_send;          /* set around smtp_send(): no callback then */
	uint64_t at;
};

static void on_done(enum smtp_result r, void *data)
{
	struct done *d = data;
	ck_assert_msg(!d->in_send, "callback from inside smtp_send()");
	d->calls++;
	d->r = r;
	d->at = now_ms();
}

static const char *const two_rcpts[] = { "ops@example.com", "oncall@example.com", NULL };

static struct smtp_msg alert(void)
{
	struct smtp_msg m = {
		.from = "vigil@router1.example.com",
		.to = two_rcpts,
		.subject = "[router1] VRRP Instance VI_1 - Entering MASTER state",
		.body = "=> VRRP Instance is now owning VRRP VIPs <=\n.a line with a leading dot\n",
	};
	return m;
}

static void send_one(struct smtp_client *c, const struct smtp_msg *m, struct done *d)
{
	d->in_send = true;
	smtp_send(c, m, on_done, d);
	d->in_send = false;
}

/* Run the loop to the end (the client already freed), then close it. */
static void finish_loop(uv_loop_t *loop)
{
	uv_run(loop, UV_RUN_DEFAULT);
	ck_assert_int_eq(uv_loop_close(loop), 0);
}

/* ---- tests ------------------------------------------------------------------------------ */

START_TEST(message_text)
{
	const char *to[] = { "a@x", "b@y\r\nBcc: evil@z", NULL };
	struct smtp_msg m = {
		.from = "me@host",
		.to = to,
		.subject = "hello\r\nBcc: evil@z",
		.body = "line one\nline two\r\nthree\rfour",
	};
	char *t = smtp_format_message(&m, 0);

	ck_assert_msg(!strncmp(t, "Date: ", 6), "%s", t);
	ck_assert_ptr_nonnull(strstr(t, "\r\nFrom: me@host\r\n"));
	ck_assert_ptr_nonnull(strstr(t, "\r\nSubject: hello  Bcc: evil@z\r\n"));
	ck_assert_ptr_nonnull(strstr(t, "\r\nX-Mailer: vigil\r\n"));
	ck_assert_ptr_nonnull(strstr(t, "\r\nTo: a@x, b@y  Bcc: evil@z\r\n\r\n"));
	ck_assert_ptr_nonnull(strstr(t, "\r\n\r\nline one\r\nline two\r\nthree\r\nfour\r\n"));
	ck_assert_ptr_null(strstr(t, "\r\nBcc:"));     /* no injected header */
	/* every LF is part of a CRLF */
	for (const char *p = t; (p = strchr(p, '\n')); p++)
		ck_assert_msg(p > t && p[-1] == '\r', "bare LF in <%s>", t);
	/* the headers of keepalived's alerts, in its order */
	const char *order[] = { "Date:", "From:", "Subject:", "X-Mailer:", "To:" };
	const char *prev = t;
	for (size_t i = 0; i < 5; i++) {
		const char *h = strstr(t, order[i]);
		ck_assert_msg(h && h >= prev, "%s out of order", order[i]);
		prev = h;
	}
	free(t);
	ck_assert_str_eq(smtp_result_str(SMTP_TIMEOUT), "timed out");
	ck_assert_str_eq(smtp_result_str(SMTP_CONNECT_FAILED), "connect failed");
}
END_TEST

START_TEST(delivered)
{
	struct sink s;
	const char *args[] = { "-n", "1", "-t", "10", NULL };
	uv_loop_t loop;
	struct done d = { 0 };
	char host[32];

	logcap_start();
	sink_start(&s, args);
	ck_assert_int_eq(uv_loop_init(&loop), 0);
	snprintf(host, sizeof(host), "127.0.0.1");
	struct smtp_opts o = { .host = host, .port = (uint16_t)s.port, .helo_name = "vigil-test",
			       .connect_timeout_us = 5000000 };
	struct smtp_client *c = smtp_client_new(&loop, &o);
	struct smtp_msg m = alert();
	send_one(c, &m, &d);
	ck_assert_int_eq(smtp_in_flight(c), 1);
	uv_run(&loop, UV_RUN_DEFAULT);
	ck_assert_int_eq(d.calls, 1);
	ck_assert_msg(d.r == SMTP_SENT, "result %s", smtp_result_str(d.r));
	ck_assert_int_eq(smtp_in_flight(c), 0);
	smtp_client_free(c);
	finish_loop(&loop);

	ck_assert_int_eq(sink_wait(&s), 0);
	char *mail = sink_mail(&s);
	ck_assert_msg(strstr(mail, "HELO vigil-test\n"), "%s", mail);
	ck_assert_msg(strstr(mail, "MAIL FROM:<vigil@router1.example.com>\n"), "%s", mail);
	ck_assert_msg(strstr(mail, "RCPT TO:<ops@example.com>\nRCPT TO:<oncall@example.com>\n"),
		      "%s", mail);
	ck_assert_msg(strstr(mail, "\nFrom: vigil@router1.example.com\n"), "%s", mail);
	ck_assert_msg(strstr(mail, "\nSubject: [router1] VRRP Instance VI_1 - Entering MASTER state\n"),
		      "%s", mail);
	ck_assert_msg(strstr(mail, "\nTo: ops@example.com, oncall@example.com\n"), "%s", mail);
	ck_assert_msg(strstr(mail, "\n=> VRRP Instance is now owning VRRP VIPs <=\n"
			     ".a line with a leading dot\n=== end\n"), "%s", mail);
	char want[128];
	snprintf(want, sizeof(want), "SMTP alert to 127.0.0.1:%d sent: [router1] VRRP Instance VI_1",
		 s.port);
	ck_assert_msg(logged(want), "log: %s", logs);
	logcap_stop();
}
END_TEST

START_TEST(refused)
{
	uv_loop_t loop;
	struct done d = { 0 };
	int port = free_port();

	logcap_start();
	ck_assert_int_eq(uv_loop_init(&loop), 0);
	struct smtp_opts o = { .host = "127.0.0.1", .port = (uint16_t)port,
			       .connect_timeout_us = 5000000 };
	struct smtp_client *c = smtp_client_new(&loop, &o);
	struct smtp_msg m = alert();
	uint64_t t0 = now_ms();
	send_one(c, &m, &d);
	uv_run(&loop, UV_RUN_DEFAULT);
	ck_assert_int_eq(d.calls, 1);
	ck_assert_msg(d.r == SMTP_CONNECT_FAILED, "result %s", smtp_result_str(d.r));
	ck_assert_uint_lt(d.at - t0, 2000);
	smtp_client_free(c);
	finish_loop(&loop);
	char want[128];
	snprintf(want, sizeof(want), "SMTP alert to 127.0.0.1:%d failed (connect failed): connect: "
		 "connection refused; subject: [router1]", port);
	ck_assert_msg(logged(want), "log: %s", logs);
	logcap_stop();
}
END_TEST

START_TEST(never_answers)
{
	uv_loop_t loop;
	struct done d = { 0 };
	int port;
	int ls = silent_server(&port);

	logcap_start();
	ck_assert_int_eq(uv_loop_init(&loop), 0);
	struct smtp_opts o = { .host = "127.0.0.1", .port = (uint16_t)port,
			       .connect_timeout_us = 500000 };
	struct smtp_client *c = smtp_client_new(&loop, &o);
	struct smtp_msg m = alert();
	uint64_t t0 = now_ms();
	send_one(c, &m, &d);
	uv_run(&loop, UV_RUN_DEFAULT);
	uint64_t took = d.at - t0;
	ck_assert_int_eq(d.calls, 1);
	ck_assert_msg(d.r == SMTP_TIMEOUT, "result %s", smtp_result_str(d.r));
	ck_assert_msg(took >= 450 && took < 1500, "timed out after %llu ms", (unsigned long long)took);
	smtp_client_free(c);
	finish_loop(&loop);
	ck_assert_msg(logged("failed (timed out): no greeting within 0.5 s"), "log: %s", logs);
	close(ls);
	logcap_stop();
}
END_TEST

/* The total limit ends an exchange whose every single wait is short. */
START_TEST(total_timeout)
{
	uv_loop_t loop;
	struct done d = { 0 };
	int port;
	int ls = silent_server(&port);

	ck_assert_int_eq(uv_loop_init(&loop), 0);
	struct smtp_opts o = { .host = "127.0.0.1", .port = (uint16_t)port,
			       .connect_timeout_us = 5000000, .total_timeout_us = 300000 };
	struct smtp_client *c = smtp_client_new(&loop, &o);
	struct smtp_msg m = alert();
	uint64_t t0 = now_ms();
	send_one(c, &m, &d);
	uv_run(&loop, UV_RUN_DEFAULT);
	ck_assert_msg(d.r == SMTP_TIMEOUT, "result %s", smtp_result_str(d.r));
	ck_assert_uint_lt(d.at - t0, 1500);
	smtp_client_free(c);
	finish_loop(&loop);
	close(ls);
}
END_TEST

struct ticker {
	uint64_t last, worst;
	struct done *d;
};

static void on_tick(uv_timer_t *t)
{
	struct ticker *k = t->data;
	uint64_t now = now_ms();
	if (now - k->last > k->worst)
		k->worst = now - k->last;
	k->last = now;
	if (k->d->calls)
		uv_close((uv_handle_t *)t, NULL);
}

/* A server that takes 1.5 s to accept the message: libcurl would wait
 * for that reply inside curl_multi_perform(); the loop must not. A 10 ms
 * timer keeps ticking meanwhile. */
START_TEST(slow_server_does_not_block)
{
	struct sink s;
	const char *args[] = { "-n", "1", "-t", "10", "-d", "1500", NULL };
	uv_loop_t loop;
	uv_timer_t tick;
	struct done d = { 0 };
	struct ticker k = { .d = &d };

	sink_start(&s, args);
	ck_assert_int_eq(uv_loop_init(&loop), 0);
	struct smtp_opts o = { .host = "127.0.0.1", .port = (uint16_t)s.port,
			       .connect_timeout_us = 5000000 };
	struct smtp_client *c = smtp_client_new(&loop, &o);
	struct smtp_msg m = alert();
	uv_timer_init(&loop, &tick);
	tick.data = &k;
	k.last = now_ms();
	uv_timer_start(&tick, on_tick, 10, 10);
	uint64_t t0 = now_ms();
	send_one(c, &m, &d);
	uv_run(&loop, UV_RUN_DEFAULT);
	ck_assert_msg(d.r == SMTP_SENT, "result %s", smtp_result_str(d.r));
	ck_assert_uint_ge(d.at - t0, 1400);                 /* it did wait for the server */
	ck_assert_msg(k.worst < 300, "the loop stalled for %llu ms", (unsigned long long)k.worst);
	smtp_client_free(c);
	finish_loop(&loop);
	ck_assert_int_eq(sink_wait(&s), 0);
	sink_mail(&s);
}
END_TEST

/* The per-reply limit also covers the reply to the final ".". */
START_TEST(slow_accept_times_out)
{
	struct sink s;
	const char *args[] = { "-n", "1", "-t", "10", "-d", "2000", NULL };
	uv_loop_t loop;
	struct done d = { 0 };

	logcap_start();
	sink_start(&s, args);
	ck_assert_int_eq(uv_loop_init(&loop), 0);
	struct smtp_opts o = { .host = "127.0.0.1", .port = (uint16_t)s.port,
			       .connect_timeout_us = 400000 };
	struct smtp_client *c = smtp_client_new(&loop, &o);
	struct smtp_msg m = alert();
	send_one(c, &m, &d);
	uv_run(&loop, UV_RUN_DEFAULT);
	ck_assert_msg(d.r == SMTP_TIMEOUT, "result %s", smtp_result_str(d.r));
	smtp_client_free(c);
	finish_loop(&loop);
	ck_assert_msg(logged("no reply to the end of the message within 0.4 s"), "log: %s", logs);
	sink_wait(&s);
	sink_mail(&s);
	logcap_stop();
}
END_TEST

static void on_cancel_timer(uv_timer_t *t)
{
	struct smtp_client **c = t->data;
	smtp_client_free(*c);
	*c = NULL;
	uv_close((uv_handle_t *)t, NULL);
}

START_TEST(cancel_and_drop)
{
	uv_loop_t loop;
	uv_timer_t t;
	struct done d1 = { 0 }, d2 = { 0 };
	int port;
	int ls = silent_server(&port);

	logcap_start();
	ck_assert_int_eq(uv_loop_init(&loop), 0);
	struct smtp_opts o = { .host = "127.0.0.1", .port = (uint16_t)port,
			       .connect_timeout_us = 10000000, .max_in_flight = 1 };
	struct smtp_client *c = smtp_client_new(&loop, &o);
	struct smtp_msg m = alert();
	send_one(c, &m, &d1);
	send_one(c, &m, &d2);                  /* over the limit */
	ck_assert_int_eq(d2.calls, 0);         /* not from inside smtp_send() */
	ck_assert_int_eq(smtp_in_flight(c), 1);
	uv_timer_init(&loop, &t);
	t.data = &c;
	uv_timer_start(&t, on_cancel_timer, 200, 0);
	uint64_t t0 = now_ms();
	uv_run(&loop, UV_RUN_DEFAULT);
	ck_assert_ptr_null(c);
	ck_assert_int_eq(d2.calls, 1);
	ck_assert_int_eq(d2.r, SMTP_DROPPED);
	ck_assert_int_eq(d1.calls, 1);
	ck_assert_int_eq(d1.r, SMTP_CANCELLED);
	ck_assert_uint_lt(d1.at - t0, 1000);
	ck_assert_int_eq(uv_loop_close(&loop), 0);
	ck_assert_msg(logged("failed (dropped): too many alerts in flight (1)"), "log: %s", logs);
	ck_assert_msg(logged("cancelled; subject: [router1]"), "log: %s", logs);
	close(ls);
	logcap_stop();
}
END_TEST

START_TEST(bad_messages)
{
	uv_loop_t loop;
	struct done d1 = { 0 }, d2 = { 0 };
	const char *none[] = { NULL };

	ck_assert_int_eq(uv_loop_init(&loop), 0);
	struct smtp_opts o = { .host = "127.0.0.1", .port = 9 };
	struct smtp_client *c = smtp_client_new(&loop, &o);
	struct smtp_msg m = alert();
	m.to = none;
	send_one(c, &m, &d1);
	smtp_client_free(c);                   /* the dropped one calls back now... */
	ck_assert_int_eq(d1.calls, 1);
	ck_assert_int_eq(d1.r, SMTP_DROPPED);
	finish_loop(&loop);
	ck_assert_int_eq(d1.calls, 1);         /* ...and called back once only */

	ck_assert_int_eq(uv_loop_init(&loop), 0);
	struct smtp_opts e = { .host = "" };
	c = smtp_client_new(&loop, &e);
	m = alert();
	send_one(c, &m, &d2);
	uv_run(&loop, UV_RUN_DEFAULT);
	ck_assert_int_eq(d2.calls, 1);
	ck_assert_int_eq(d2.r, SMTP_DROPPED);
	smtp_client_free(c);
	finish_loop(&loop);
}
END_TEST

/* Issue 15, hole 7: a hostile server answers EHLO with "250-" lines that
 * never end. The client must give up after a bounded reply (lines and
 * bytes), at once, not read on until the total timeout with the worker
 * at 100% CPU. The server is a child process of the test, on 127.0.0.1;
 * it reports through a pipe how many bytes it got written before the
 * client hung up. */
static pid_t hostile_server(int *port, int report)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sin);
	int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_eq(bind(ls, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(listen(ls, 1), 0);
	ck_assert_int_eq(getsockname(ls, (struct sockaddr *)&sin, &sl), 0);
	*port = ntohs(sin.sin_port);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid > 0) {
		close(ls);
		return pid;
	}
	/* child: bounded in time (alarm) and in bytes */
	signal(SIGPIPE, SIG_IGN);
	alarm(15);
	int fd = accept(ls, NULL, NULL);
	if (fd < 0)
		_exit(2);
	static const char greet[] = "220 hostile ESMTP\r\n";
	if (write(fd, greet, sizeof(greet) - 1) < 0)
		_exit(3);
	char buf[512];
	if (read(fd, buf, sizeof(buf)) <= 0)       /* EHLO */
		_exit(4);
	static const char line[] = "250-PIPELINING PIPELINING PIPELINING PIPELINING\r\n";
	char block[64 * (sizeof(line) - 1)];
	for (size_t i = 0; i < 64; i++)
		memcpy(block + i * (sizeof(line) - 1), line, sizeof(line) - 1);
	unsigned long long sent = 0;
	while (sent < (1ULL << 30)) {
		ssize_t n = write(fd, block, sizeof(block));
		if (n <= 0)
			break;
		sent += (unsigned long long)n;
	}
	if (write(report, &sent, sizeof(sent)) != sizeof(sent))
		_exit(5);
	_exit(0);
}

START_TEST(endless_continuation_lines)
{
	uv_loop_t loop;
	struct done d = { 0 };
	int port, rep[2];
	ck_assert_int_eq(pipe(rep), 0);
	pid_t srv = hostile_server(&port, rep[1]);
	close(rep[1]);

	logcap_start();
	ck_assert_int_eq(uv_loop_init(&loop), 0);
	struct smtp_opts o = { .host = "127.0.0.1", .port = (uint16_t)port,
			       .connect_timeout_us = 10000000, .total_timeout_us = 10000000 };
	struct smtp_client *c = smtp_client_new(&loop, &o);
	struct smtp_msg m = alert();
	uint64_t t0 = now_ms();
	send_one(c, &m, &d);
	uv_run(&loop, UV_RUN_DEFAULT);
	uint64_t took = d.at - t0;
	ck_assert_int_eq(d.calls, 1);
	ck_assert_msg(d.r == SMTP_PROTOCOL_ERROR, "result %s after %llu ms", smtp_result_str(d.r),
		      (unsigned long long)took);
	ck_assert_msg(took < 1000, "gave up after %llu ms", (unsigned long long)took);
	smtp_client_free(c);
	finish_loop(&loop);
	ck_assert_msg(logged("goes on past 100 lines or 16384 bytes"), "log: %s", logs);

	/* The server wrote what the socket buffers took, and no more. */
	unsigned long long sent = 0;
	ck_assert_int_eq(read(rep[0], &sent, sizeof(sent)), (ssize_t)sizeof(sent));
	close(rep[0]);
	int st;
	ck_assert_int_eq(waitpid(srv, &st, 0), srv);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ck_assert_msg(sent < 64ULL << 20, "the server could push %llu bytes", sent);
	logcap_stop();
}
END_TEST

/* lib/smtp.c's reading of one reply line (its end removed) */
START_TEST(reply_lines)
{
	bool more = true;
	ck_assert_int_eq(smtp_reply_line("250 OK", 6, &more), 250);
	ck_assert(!more);
	ck_assert_int_eq(smtp_reply_line("250-SIZE 1000", 13, &more), 250);
	ck_assert(more);
	ck_assert_int_eq(smtp_reply_line("354", 3, &more), 354);
	ck_assert(!more);
	ck_assert_int_eq(smtp_reply_line("000 x", 5, &more), 0);
	ck_assert_int_eq(smtp_reply_line("999-", 4, &more), 999);
	ck_assert(more);
	/* only len bytes are read: "250" of a longer buffer */
	ck_assert_int_eq(smtp_reply_line("250x", 3, &more), 250);
	const char *bad[] = { "", "2", "25", "25a", "2500", "250x", "250\t", " 250", "-250" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(smtp_reply_line(bad[i], strlen(bad[i]), &more) == -1,
			      "accepted \"%s\"", bad[i]);
		ck_assert(!more);
	}
}
END_TEST

static Suite *smtp_suite(void)
{
	Suite *s = suite_create("smtp");
	TCase *tc = tcase_create("smtp");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, reply_lines);
	tcase_add_test(tc, message_text);
	tcase_add_test(tc, delivered);
	tcase_add_test(tc, refused);
	tcase_add_test(tc, never_answers);
	tcase_add_test(tc, total_timeout);
	tcase_add_test(tc, slow_server_does_not_block);
	tcase_add_test(tc, slow_accept_times_out);
	tcase_add_test(tc, cancel_and_drop);
	tcase_add_test(tc, bad_messages);
	tcase_add_test(tc, endless_continuation_lines);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(smtp_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
