/* test_options.c - vigild's command line. */
#include <string.h>
#include <syslog.h>

#include "options.h"
#include "testutil.h"

static const char *parse(struct options *o, int argc, const char **argv)
{
	return options_parse(argc, (char **)argv, o);
}

START_TEST(defaults)
{
	struct options o;
	const char *argv[] = { "vigild" };
	ck_assert_ptr_null(parse(&o, 1, argv));
	ck_assert_str_eq(o.config_file, VIGIL_DEFAULT_CONFIG);
	ck_assert(!o.config_test && !o.foreground && !o.vrrp_only && !o.check_only);
	ck_assert_int_eq(o.facility, LOG_DAEMON);
}
END_TEST

START_TEST(keepalived_flags)
{
	struct options o;
	const char *argv[] = { "vigild", "-f", "/x.conf", "-t", "--dump", "-i", "main", "-n",
			       "-l", "-D", "-S", "3", "-p", "/run/x.pid", "-P" };
	ck_assert_ptr_null(parse(&o, 15, argv));
	ck_assert_str_eq(o.config_file, "/x.conf");
	ck_assert(o.config_test && o.dump && o.foreground && o.log_console && o.log_detail);
	ck_assert_str_eq(o.config_id, "main");
	ck_assert_int_eq(o.facility, LOG_LOCAL3);
	ck_assert_str_eq(o.pidfile, "/run/x.pid");
	ck_assert(o.vrrp_only);
	const char *argv2[] = { "vigild", "--use-file=/y.conf", "--check", "--log-facility", "daemon",
				"-I" };
	ck_assert_ptr_null(parse(&o, 6, argv2));
	ck_assert_str_eq(o.config_file, "/y.conf");
	ck_assert(o.check_only && o.keep_ipvs);
	const char *argv3[] = { "vigild", "--worker=check", "--status" };
	ck_assert_ptr_null(parse(&o, 3, argv3));
	ck_assert_str_eq(o.worker, "check");
	ck_assert(o.status);
	const char *argv4[] = { "vigild", "--worker=other" };
	ck_assert_ptr_nonnull(strstr(parse(&o, 2, argv4), "unknown worker"));
}
END_TEST

START_TEST(bad_arguments_say_why)
{
	struct options o;
	const char *a1[] = { "vigild", "-Z" };
	ck_assert_ptr_nonnull(strstr(parse(&o, 2, a1), "unknown option"));
	const char *a2[] = { "vigild", "-f" };
	ck_assert_ptr_nonnull(strstr(parse(&o, 2, a2), "-f needs a value"));
	const char *a3[] = { "vigild", "-P", "-C" };
	ck_assert_ptr_nonnull(strstr(parse(&o, 3, a3), "exclude each other"));
	const char *a4[] = { "vigild", "-S", "nosuch" };
	ck_assert_ptr_nonnull(strstr(parse(&o, 3, a4), "unknown log facility"));
	const char *a5[] = { "vigild", "--dump" };
	ck_assert_ptr_nonnull(strstr(parse(&o, 2, a5), "--dump goes with -t"));
	const char *a6[] = { "vigild", "stray" };
	ck_assert_ptr_nonnull(strstr(parse(&o, 2, a6), "unexpected argument"));
	const char *a7[] = { "vigild", "-r" };
	ck_assert_ptr_nonnull(strstr(parse(&o, 2, a7), "-r needs a value"));
	const char *a8[] = { "vigild", "--worker=vrrp", "--supervisor-pid=12x" };
	ck_assert_ptr_nonnull(strstr(parse(&o, 3, a8), "bad --supervisor-pid"));
}
END_TEST

/* keepalived's options for its child processes: a unit file written for
 * keepalived must start vigild (issue 9). */
START_TEST(keepalived_child_flags)
{
	struct options o;
	const char *argv[] = { "vigild", "-c", "/run/c.pid", "-r", "/run/r.pid", "-d", "-R", "-x" };
	ck_assert_ptr_null(parse(&o, 8, argv));
	ck_assert_str_eq(o.checkers_pidfile, "/run/c.pid");
	ck_assert_str_eq(o.vrrp_pidfile, "/run/r.pid");
	ck_assert(o.dump_conf && o.dont_respawn && o.snmp);
	ck_assert(!o.dump);   /* -d logs the model at start; it prints only with -t */
	const char *argv2[] = { "vigild", "--checkers_pid=/a", "--vrrp_pid", "/b", "--dump-conf",
				"--dont-respawn", "--snmp" };
	ck_assert_ptr_null(parse(&o, 7, argv2));
	ck_assert_str_eq(o.checkers_pidfile, "/a");
	ck_assert_str_eq(o.vrrp_pidfile, "/b");
	ck_assert(o.dump_conf && o.dont_respawn && o.snmp);
	const char *argv3[] = { "vigild", "-t", "-d" };
	ck_assert_ptr_null(parse(&o, 3, argv3));
	ck_assert(o.dump);    /* with -t, -d prints as --dump does */
	const char *argv4[] = { "vigild", "--worker=check", "--supervisor-pid=4242" };
	ck_assert_ptr_null(parse(&o, 3, argv4));
	ck_assert_int_eq(o.supervisor_pid, 4242);
	const char *argv5[] = { "vigild" };
	ck_assert_ptr_null(parse(&o, 1, argv5));
	ck_assert(!o.dump_conf && !o.dont_respawn && !o.snmp && !o.supervisor_pid);
	ck_assert_ptr_null(o.vrrp_pidfile);
	ck_assert_ptr_null(o.checkers_pidfile);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("options");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, defaults);
	tcase_add_test(tc, keepalived_flags);
	tcase_add_test(tc, bad_arguments_say_why);
	tcase_add_test(tc, keepalived_child_flags);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
