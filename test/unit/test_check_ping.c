/* test_check_ping.c - PING_CHECK: the echo builder and reply matcher,
 * and the probe: 127.0.0.1 and ::1 answer (up); the cases that need a
 * host that does not answer run in a forked child inside a network
 * namespace of its own (unshare(CLONE_NEWNET), as root), so nothing
 * outside the test sees them: loopback down (unreachable), echo replies
 * switched off (timeout, cancel), ping sockets forbidden
 * (ping_group_range "1 0": the raw-socket path). Where namespaces are
 * not allowed those cases say so and pass without running. */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check/icmpecho.h"
#include "probetest.h"

#define MS 1000ULL

/* ---- builder and matcher ------------------------------------------------- */

START_TEST(echo_build_v4)
{
	uint8_t b[ICMP_ECHO_LEN];
	icmp_echo_build(b, false, 0x1234, 0x0102);
	ck_assert_uint_eq(b[0], 8);
	ck_assert_uint_eq(b[1], 0);
	ck_assert_uint_eq(b[4], 0x12);
	ck_assert_uint_eq(b[5], 0x34);
	ck_assert_uint_eq(b[6], 0x01);
	ck_assert_uint_eq(b[7], 0x02);
	/* A correct checksum sums to 0 over the whole message. */
	ck_assert_uint_eq(icmp_checksum(b, sizeof(b)), 0);
	icmp_echo_build(b, true, 1, 2);
	ck_assert_uint_eq(b[0], 128);
	ck_assert_uint_eq(b[2] | b[3], 0);
}
END_TEST

START_TEST(echo_match)
{
	uint8_t b[20 + ICMP_ECHO_LEN];
	uint8_t *icmp = b + 20;
	memset(b, 0, sizeof(b));
	icmp_echo_build(icmp, false, 7, 9);
	icmp[0] = 0;                                  /* echo reply */
	ck_assert_int_eq(icmp_echo_match(icmp, ICMP_ECHO_LEN, false, false, false, 0, 9), ICMP_REPLY_MATCH);
	ck_assert_int_eq(icmp_echo_match(icmp, ICMP_ECHO_LEN, false, false, false, 0, 8), ICMP_REPLY_OTHER);
	ck_assert_int_eq(icmp_echo_match(icmp, ICMP_ECHO_LEN, false, false, true, 6, 9), ICMP_REPLY_OTHER);
	ck_assert_int_eq(icmp_echo_match(icmp, ICMP_ECHO_LEN, false, false, true, 7, 9), ICMP_REPLY_MATCH);
	/* With an IP header (a raw IPv4 socket). */
	b[0] = 0x45;
	ck_assert_int_eq(icmp_echo_match(b, sizeof(b), false, true, true, 7, 9), ICMP_REPLY_MATCH);
	b[0] = 0x4f;                                  /* header longer than the datagram */
	ck_assert_int_eq(icmp_echo_match(b, 40, false, true, true, 7, 9), ICMP_REPLY_SHORT);
	ck_assert_int_eq(icmp_echo_match(icmp, 7, false, false, false, 0, 9), ICMP_REPLY_SHORT);
	/* Our own request, seen by a raw socket on loopback: not a reply. */
	icmp[0] = 8;
	ck_assert_int_eq(icmp_echo_match(icmp, ICMP_ECHO_LEN, false, false, true, 7, 9), ICMP_REPLY_OTHER);
	/* v6 reply. */
	icmp_echo_build(icmp, true, 7, 9);
	icmp[0] = 129;
	ck_assert_int_eq(icmp_echo_match(icmp, ICMP_ECHO_LEN, true, false, true, 7, 9), ICMP_REPLY_MATCH);
}
END_TEST

START_TEST(unreachable_quoting_us)
{
	/* ICMP dest unreachable: 8 octets, then the quoted IPv4 header and
	 * the first 8 octets of our echo request. */
	uint8_t big[8 + 20 + ICMP_ECHO_LEN];
	memset(big, 0, sizeof(big));
	big[0] = 3;
	big[8] = 0x45;
	big[8 + 9] = 1;                               /* protocol ICMP */
	icmp_echo_build(big + 28, false, 7, 9);
	ck_assert_int_eq(icmp_echo_match(big, 36, false, false, true, 7, 9), ICMP_REPLY_UNREACHABLE);
	ck_assert_int_eq(icmp_echo_match(big, 36, false, false, true, 8, 9), ICMP_REPLY_OTHER);
	ck_assert_int_eq(icmp_echo_match(big, 35, false, false, true, 7, 9), ICMP_REPLY_OTHER);
}
END_TEST

/* ---- on loopback ------------------------------------------------------------- */

static void ping_once(const char *addr, uint64_t timeout_us, enum probe_status want)
{
	struct probetest t;
	probetest_init(&t, &probe_ping_ops, NULL, addr, 0, timeout_us);
	for (int i = 0; i < 3; i++) {
		const struct probe_result *r = probetest_attempt(&t);
		ck_assert_msg(r->status == want, "%s attempt %d: %s (%s)", addr, i,
			      probe_status_str(r->status), r->detail);
	}
	probetest_fini(&t);
}

START_TEST(loopback_v4_up)
{
	ping_once("127.0.0.1", 1000 * MS, PROBE_OK);
}
END_TEST

START_TEST(loopback_v6_up)
{
	ping_once("::1", 1000 * MS, PROBE_OK);
}
END_TEST

/* ---- in a network namespace of its own ------------------------------------------ */

static bool write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok;
}

static bool lo_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	bool ok = fd >= 0 && ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 &&
		  (ifr.ifr_flags |= IFF_UP, ioctl(fd, SIOCSIFFLAGS, &ifr) == 0);
	if (fd >= 0)
		close(fd);
	return ok;
}

enum ns_setup { NS_LO_DOWN, NS_NO_ECHO, NS_NO_PING_SOCKETS };

#define NS_SETUP_FAILED 77

/* Can this process make a network namespace (root, or CAP_SYS_ADMIN)?
 * Asked once in main(), in a child so that the test's own namespace
 * stays as it is. */
static bool can_unshare_net(void)
{
	pid_t pid = fork();
	if (pid < 0)
		return false;
	if (pid == 0)
		_exit(unshare(CLONE_NEWNET) == 0 ? 0 : 1);
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* In a forked child and a new network namespace, set up as asked, run
 * fn and exit with its status. These cases are registered only where
 * can_unshare_net() holds, so a namespace that cannot be set up is a
 * failure (NS_SETUP_FAILED), never a skip. The parent waits at most 15 s. */
static int in_netns(enum ns_setup setup, int (*fn)(void))
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		alarm(15);
		if (unshare(CLONE_NEWNET) < 0)
			_exit(NS_SETUP_FAILED);
		bool ok = true;
		if (setup != NS_LO_DOWN)
			ok = lo_up();
		if (ok && setup == NS_NO_ECHO)
			ok = write_file("/proc/sys/net/ipv4/icmp_echo_ignore_all", "1");
		if (ok && setup == NS_NO_PING_SOCKETS)
			ok = write_file("/proc/sys/net/ipv4/ping_group_range", "1\t0");
		if (!ok)
			_exit(NS_SETUP_FAILED);
		_exit(fn());
	}
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	ck_assert_msg(WIFEXITED(st), "the namespace child died of signal %d", WTERMSIG(st));
	ck_assert_msg(WEXITSTATUS(st) != NS_SETUP_FAILED, "could not set up the network namespace");
	return WEXITSTATUS(st);
}

/* The child's checks: exit 0 when all hold, else a code saying which. */
static int unreachable_body(void)
{
	struct probetest t;
	probetest_init(&t, &probe_ping_ops, NULL, "127.0.0.1", 0, 500 * MS);
	const struct probe_result *r = probetest_attempt(&t);
	int rc = r->status == PROBE_UNREACHABLE ? 0 : 10 + r->status;
	probetest_fini(&t);
	return rc;
}

static int timeout_body(void)
{
	struct probetest t;
	probetest_init(&t, &probe_ping_ops, NULL, "127.0.0.1", 0, 300 * MS);
	uint64_t t0 = uv_hrtime();
	const struct probe_result *r = probetest_attempt(&t);
	uint64_t ms = (uv_hrtime() - t0) / 1000000;
	int rc = r->status != PROBE_TIMEOUT ? 10 + r->status : ms < 290 || ms >= 2000 ? 2 : 0;
	/* Cancel while the request waits for a reply that will not come. */
	probetest_cancel_after(&t, 50);
	probetest_fini(&t);
	return rc;
}

static int raw_body(void)
{
	/* The probe must find ping sockets forbidden here. */
	int fd = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	if (fd >= 0) {
		close(fd);
		return 3;
	}
	struct probetest t;
	probetest_init(&t, &probe_ping_ops, NULL, "127.0.0.1", 0, 1000 * MS);
	int rc = 0;
	for (int i = 0; i < 3 && !rc; i++) {
		const struct probe_result *r = probetest_attempt(&t);
		if (r->status != PROBE_OK)
			rc = 10 + r->status;
	}
	probetest_fini(&t);
	return rc;
}

START_TEST(loopback_down_unreachable)
{
	int rc = in_netns(NS_LO_DOWN, unreachable_body);
	ck_assert_msg(rc == 0, "child check failed: %d", rc);
}
END_TEST

START_TEST(no_echo_reply_times_out)
{
	int rc = in_netns(NS_NO_ECHO, timeout_body);
	ck_assert_msg(rc == 0, "child check failed: %d", rc);
}
END_TEST

START_TEST(raw_socket_fallback)
{
	int rc = in_netns(NS_NO_PING_SOCKETS, raw_body);
	ck_assert_msg(rc == 0, "child check failed: %d", rc);
}
END_TEST

START_TEST(log_formats)
{
	char buf[256];
	snprintf(buf, sizeof(buf), probe_ping_ops.up_fmt, "[10.0.0.2]:tcp:80");
	ck_assert_str_eq(buf, "ICMP connection to [10.0.0.2]:tcp:80 success.");
	snprintf(buf, sizeof(buf), probe_ping_ops.down_fmt, "[10.0.0.2]:tcp:80");
	ck_assert_str_eq(buf, "ICMP CHECK on service [10.0.0.2]:tcp:80 failed.");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("check_ping");
	TCase *tp = tcase_create("icmpecho");
	tcase_add_test(tp, echo_build_v4);
	tcase_add_test(tp, echo_match);
	tcase_add_test(tp, unreachable_quoting_us);
	suite_add_tcase(s, tp);
	TCase *tc = tcase_create("probe");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, loopback_v4_up);
	tcase_add_test(tc, loopback_v6_up);
	/* Check has no per-case skip: without a network namespace (not
	 * root) the namespace cases are left out and the binary exits 77,
	 * which automake reports as SKIP and CI=true fails. */
	bool netns = can_unshare_net();
	if (netns) {
		tcase_add_test(tc, loopback_down_unreachable);
		tcase_add_test(tc, no_echo_reply_times_out);
		tcase_add_test(tc, raw_socket_fallback);
	}
	tcase_add_test(tc, log_formats);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (failed)
		return 1;
	if (!netns) {
		printf("SKIP: cannot make a network namespace (not root?): "
		       "the three namespace cases were left out\n");
		return 77;
	}
	return 0;
}
