/* test_ifsysctl.c - per-interface settings written and put back
 * (src/vrrp/ifsysctl.c), against a directory laid out as /proc/sys/net. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "vrrp/ifsysctl.h"

static char root[64];
static char path[256];

static void put(const char *file, const char *value)
{
	FILE *f = fopen(file, "w");
	ck_assert_ptr_nonnull(f);
	fputs(value, f);
	fclose(f);
}

static const char *get(const char *file)
{
	static char buf[64];
	FILE *f = fopen(file, "r");
	ck_assert_ptr_nonnull(f);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

static void setup(void)
{
	char d[128];
	snprintf(root, sizeof(root), "/tmp/vigil-ifsysctl.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(root));
	snprintf(d, sizeof(d), "%s/ipv4", root);
	ck_assert_int_eq(mkdir(d, 0700), 0);
	snprintf(d, sizeof(d), "%s/ipv4/conf", root);
	ck_assert_int_eq(mkdir(d, 0700), 0);
	snprintf(d, sizeof(d), "%s/ipv4/conf/eth0", root);
	ck_assert_int_eq(mkdir(d, 0700), 0);
	snprintf(path, sizeof(path), "%s/ipv4/conf/eth0/promote_secondaries", root);
	put(path, "0\n");   /* as the kernel shows it: with a newline */
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(path_refuses_what_is_no_interface_name)
{
	char b[128];
	ck_assert(ifsysctl_path(b, sizeof(b), "/r", "ipv4", "eth0", "rp_filter"));
	ck_assert_str_eq(b, "/r/ipv4/conf/eth0/rp_filter");
	ck_assert(ifsysctl_path(b, sizeof(b), NULL, "ipv6", "bond0.10", "accept_dad"));
	ck_assert_str_eq(b, "/proc/sys/net/ipv6/conf/bond0.10/accept_dad");
	ck_assert(!ifsysctl_path(b, sizeof(b), "/r", "ipv4", "", "x"));
	ck_assert(!ifsysctl_path(b, sizeof(b), "/r", "ipv4", ".", "x"));
	ck_assert(!ifsysctl_path(b, sizeof(b), "/r", "ipv4", "..", "x"));
	ck_assert(!ifsysctl_path(b, sizeof(b), "/r", "ipv4", "../../x", "x"));
	ck_assert(!ifsysctl_path(b, sizeof(b), "/r", "ipv4", "sixteen_chars_xx", "x"));
	ck_assert(!ifsysctl_path(b, 10, "/r", "ipv4", "eth0", "promote_secondaries"));
}
END_TEST

START_TEST(set_then_restore_puts_the_first_value_back)
{
	struct ifsysctl_set s = { .root = root };
	ck_assert_int_eq(ifsysctl_set(&s, "ipv4", "eth0", "promote_secondaries", "1"), 0);
	ck_assert_str_eq(get(path), "1");
	ck_assert_uint_eq(s.n, 1);
	/* A second instance on the interface: still one value to restore,
	 * the operator's, not the one vigil wrote. */
	ck_assert_int_eq(ifsysctl_set(&s, "ipv4", "eth0", "promote_secondaries", "1"), 0);
	put(path, "1\n");
	ck_assert_int_eq(ifsysctl_set(&s, "ipv4", "eth0", "promote_secondaries", "2"), 0);
	ck_assert_uint_eq(s.n, 1);
	ifsysctl_restore(&s);
	ck_assert_str_eq(get(path), "0");
	ck_assert_uint_eq(s.n, 0);
	ck_assert_ptr_null(s.v);
}
END_TEST

START_TEST(a_value_already_set_is_not_remembered)
{
	struct ifsysctl_set s = { .root = root };
	put(path, "1\n");
	ck_assert_int_eq(ifsysctl_set(&s, "ipv4", "eth0", "promote_secondaries", "1"), 0);
	ck_assert_uint_eq(s.n, 0);
	ifsysctl_restore(&s);
	ck_assert_str_eq(get(path), "1");
}
END_TEST

START_TEST(missing_interface_and_links_are_errors)
{
	struct ifsysctl_set s = { .root = root };
	ck_assert_int_eq(ifsysctl_set(&s, "ipv4", "eth9", "promote_secondaries", "1"), -ENOENT);
	ck_assert_int_eq(ifsysctl_set(&s, "ipv4", "../x", "promote_secondaries", "1"), -EINVAL);
	/* Never written through a link. */
	char target[256], link[256];
	snprintf(target, sizeof(target), "%s/target", root);
	put(target, "0\n");
	snprintf(link, sizeof(link), "%s/ipv4/conf/eth0/rp_filter", root);
	ck_assert_int_eq(symlink(target, link), 0);
	ck_assert_int_eq(ifsysctl_set(&s, "ipv4", "eth0", "rp_filter", "2"), -ELOOP);
	ck_assert_str_eq(get(target), "0");
	ck_assert_uint_eq(s.n, 0);
	/* The interface gone by the time of the restore: skipped quietly. */
	ck_assert_int_eq(ifsysctl_set(&s, "ipv4", "eth0", "promote_secondaries", "1"), 0);
	ck_assert_int_eq(unlink(path), 0);
	ifsysctl_restore(&s);
	ck_assert_uint_eq(s.n, 0);
}
END_TEST

START_TEST(get_reads_the_value_without_newline)
{
	struct ifsysctl_set s = { .root = root };
	char v[16];
	ck_assert_int_eq(ifsysctl_get(&s, "ipv4", "eth0", "promote_secondaries", v, sizeof(v)), 0);
	ck_assert_str_eq(v, "0");
	ck_assert_int_eq(ifsysctl_get(&s, "ipv4", "eth9", "rp_filter", v, sizeof(v)), -ENOENT);
	ck_assert_int_eq(ifsysctl_get(&s, "ipv4", "..", "rp_filter", v, sizeof(v)), -EINVAL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ifsysctl");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, path_refuses_what_is_no_interface_name);
	tcase_add_test(tc, set_then_restore_puts_the_first_value_back);
	tcase_add_test(tc, a_value_already_set_is_not_remembered);
	tcase_add_test(tc, missing_interface_and_links_are_errors);
	tcase_add_test(tc, get_reads_the_value_without_newline);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
