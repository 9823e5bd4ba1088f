/* test_check_tcp.c - TCP_CHECK's probe: success, refusal, timeout, cancel. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <unistd.h>

#include "probetest.h"

#define MS 1000ULL

START_TEST(connect_ok)
{
	struct probetest t;
	uint16_t port = 0;
	int lfd = probetest_listen_tcp(&port, 16);
	probetest_init(&t, &probe_tcp_ops, NULL, "127.0.0.1", port, 1000 * MS);
	ck_assert_int_eq(probetest_attempt(&t)->status, PROBE_OK);
	ck_assert_int_eq(t.r.weight, -1);
	/* Attempts repeat on the same probe. */
	ck_assert_int_eq(probetest_attempt(&t)->status, PROBE_OK);
	probetest_fini(&t);
	close(lfd);
}
END_TEST

START_TEST(connect_ok_v6)
{
	struct probetest t;
	int lfd = socket(AF_INET6, SOCK_STREAM, 0);
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	socklen_t len = sizeof(a);
	ck_assert_int_eq(bind(lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(lfd, 4), 0);
	ck_assert_int_eq(getsockname(lfd, (struct sockaddr *)&a, &len), 0);
	probetest_init(&t, &probe_tcp_ops, NULL, "::1", ntohs(a.sin6_port), 1000 * MS);
	ck_assert_int_eq(probetest_attempt(&t)->status, PROBE_OK);
	probetest_fini(&t);
	close(lfd);
}
END_TEST

START_TEST(refused)
{
	struct probetest t;
	probetest_init(&t, &probe_tcp_ops, NULL, "127.0.0.1", probetest_closed_port(), 1000 * MS);
	const struct probe_result *r = probetest_attempt(&t);
	ck_assert_msg(r->status == PROBE_REFUSED, "status %d: %s", r->status, r->detail);
	ck_assert_msg(r->detail[0], "a refusal says why");
	probetest_fini(&t);
}
END_TEST

/* A listener whose accept queue is full drops further SYNs: the
 * connect hangs, and the deadline ends the attempt. */
static int full_listener(uint16_t *port, int *c1, int *c2)
{
	int lfd = probetest_listen_tcp(port, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(*port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	*c1 = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	*c2 = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	connect(*c1, (struct sockaddr *)&a, sizeof(a));
	connect(*c2, (struct sockaddr *)&a, sizeof(a));
	usleep(50000);
	return lfd;
}

START_TEST(timeout)
{
	struct probetest t;
	uint16_t port = 0;
	int c1, c2, lfd = full_listener(&port, &c1, &c2);
	probetest_init(&t, &probe_tcp_ops, NULL, "127.0.0.1", port, 300 * MS);
	uint64_t t0 = uv_hrtime();
	ck_assert_int_eq(probetest_attempt(&t)->status, PROBE_TIMEOUT);
	uint64_t ms = (uv_hrtime() - t0) / 1000000;
	ck_assert_msg(ms >= 290 && ms < 2000, "timed out after %llu ms", (unsigned long long)ms);
	probetest_fini(&t);
	close(c1);
	close(c2);
	close(lfd);
}
END_TEST

START_TEST(cancel_running)
{
	struct probetest t;
	uint16_t port = 0;
	int c1, c2, lfd = full_listener(&port, &c1, &c2);
	probetest_init(&t, &probe_tcp_ops, NULL, "127.0.0.1", port, 1000 * MS);
	probetest_cancel_after(&t, 50);
	probetest_fini(&t);
	close(c1);
	close(c2);
	close(lfd);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("check_tcp");
	TCase *tc = tcase_create("tcp");
	tcase_add_test(tc, connect_ok);
	tcase_add_test(tc, connect_ok_v6);
	tcase_add_test(tc, refused);
	tcase_add_test(tc, timeout);
	tcase_add_test(tc, cancel_running);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
