/* test_procwatch.c - which processes a vrrp_track_process describes
 * (src/vrrp/procwatch.c procwatch_match, keepalived's rules). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "vrrp/procwatch.h"

static struct track_process desc(char **argv, size_t argc, int match, bool full)
{
	struct track_process d;
	memset(&d, 0, sizeof(d));
	d.process.argv = argv;
	d.process.argc = argc;
	d.param_match = match;
	d.full_command = full;
	return d;
}

/* A command line as /proc/PID/cmdline has it: NUL after each word. */
#define CMD(s) s, sizeof(s) - 1

START_TEST(name_is_comm_unless_full_command)
{
	char *nginx[] = { "nginx" };
	struct track_process d = desc(nginx, 1, PARAM_MATCH_EXACT, false);
	ck_assert(procwatch_match(&d, "nginx", CMD("nginx: master process\0")));
	ck_assert(procwatch_match(&d, "nginx", CMD("/usr/sbin/nginx\0-g\0daemon off;\0")));
	ck_assert(!procwatch_match(&d, "nginx2", CMD("nginx2\0")));
	ck_assert(!procwatch_match(&d, "ngin", CMD("ngin\0")));
	char *path[] = { "/usr/sbin/nginx" };
	d = desc(path, 1, PARAM_MATCH_EXACT, true);
	ck_assert(procwatch_match(&d, "nginx", CMD("/usr/sbin/nginx\0-g\0x\0")));
	ck_assert(!procwatch_match(&d, "nginx", CMD("nginx\0")));
}
END_TEST

START_TEST(long_names_match_their_first_15_characters)
{
	char *n[] = { "a_very_long_process_name" };
	struct track_process d = desc(n, 1, PARAM_MATCH_EXACT, false);
	ck_assert(procwatch_match(&d, "a_very_long_pro", CMD("x\0")));
	ck_assert(!procwatch_match(&d, "a_very_long_prx", CMD("x\0")));
}
END_TEST

START_TEST(parameters_exact_initial_partial)
{
	char *a[] = { "haproxy", "-f", "/etc/h.cfg" };
	struct track_process d = desc(a, 3, PARAM_MATCH_EXACT, false);
	ck_assert(procwatch_match(&d, "haproxy", CMD("haproxy\0-f\0/etc/h.cfg\0")));
	ck_assert(!procwatch_match(&d, "haproxy", CMD("haproxy\0-f\0/etc/h.cfg\0-D\0")));
	ck_assert(!procwatch_match(&d, "haproxy", CMD("haproxy\0-f\0")));
	d.param_match = PARAM_MATCH_INITIAL;
	ck_assert(procwatch_match(&d, "haproxy", CMD("haproxy\0-f\0/etc/h.cfg\0-D\0")));
	ck_assert(!procwatch_match(&d, "haproxy", CMD("haproxy\0-D\0-f\0/etc/h.cfg\0")));
	d.param_match = PARAM_MATCH_PARTIAL;
	ck_assert(procwatch_match(&d, "haproxy", CMD("haproxy\0-D\0-f\0/etc/h.cfg\0-q\0")));
	ck_assert(!procwatch_match(&d, "haproxy", CMD("haproxy\0-f\0-D\0/etc/h.cfg\0")));
	/* "-f" alone is a whole word, not a prefix of one */
	ck_assert(!procwatch_match(&d, "haproxy", CMD("haproxy\0-fx\0/etc/h.cfg\0")));
}
END_TEST

START_TEST(no_name_matches_nothing)
{
	struct track_process d = desc(NULL, 0, PARAM_MATCH_EXACT, false);
	ck_assert(!procwatch_match(&d, "x", CMD("x\0")));
	char *n[] = { "x" };
	d = desc(n, 1, PARAM_MATCH_EXACT, true);
	ck_assert(!procwatch_match(&d, "x", "", 0));   /* a zombie: empty cmdline */
}
END_TEST

int main(void)
{
	Suite *s = suite_create("procwatch");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, name_is_comm_unless_full_command);
	tcase_add_test(tc, long_names_match_their_first_15_characters);
	tcase_add_test(tc, parameters_exact_initial_partial);
	tcase_add_test(tc, no_name_matches_nothing);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
