/* test_firewall.c - the nftables commands of no_accept (src/vrrp/firewall.c). */
#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "vrrp/firewall.h"

START_TEST(setup_replaces_a_leftover_table_in_one_transaction)
{
	char b[4096];
	ck_assert(fw_setup_cmds(b, sizeof(b), "vigil", -1, false));
	/* add, delete, add: a table a killed daemon left goes, none is no error */
	const char *first = strstr(b, "add table inet vigil\n");
	ck_assert_ptr_nonnull(first);
	ck_assert_ptr_nonnull(strstr(first, "delete table inet vigil\nadd table inet vigil\n"));
	ck_assert_ptr_nonnull(strstr(b, "hook input priority -1;"));
	ck_assert_ptr_nonnull(strstr(b, "add rule inet vigil in ip daddr @vips4 drop\n"));
	ck_assert_ptr_nonnull(strstr(b, "add rule inet vigil out ip6 saddr @vips6 drop\n"));
	ck_assert_ptr_null(strstr(b, "counter"));
	ck_assert(fw_setup_cmds(b, sizeof(b), "t2", 5, true));
	ck_assert_ptr_nonnull(strstr(b, "hook output priority 5;"));
	ck_assert_ptr_nonnull(strstr(b, "ip daddr @vips4 counter drop\n"));
	ck_assert(!fw_setup_cmds(b, 100, "vigil", -1, false));
}
END_TEST

START_TEST(elements_by_family)
{
	char b[256];
	struct vaddr a = { 0 };
	a.family = AF_INET;
	inet_pton(AF_INET, "10.0.0.1", a.u.bytes);
	ck_assert(fw_element_cmd(b, sizeof(b), "vigil", true, &a));
	ck_assert_str_eq(b, "add element inet vigil vips4 { 10.0.0.1 }\n");
	a.family = AF_INET6;
	inet_pton(AF_INET6, "fd00::1", a.u.bytes);
	ck_assert(fw_element_cmd(b, sizeof(b), "vigil", false, &a));
	ck_assert_str_eq(b, "delete element inet vigil vips6 { fd00::1 }\n");
	a.family = 0;
	ck_assert(!fw_element_cmd(b, sizeof(b), "vigil", true, &a));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("firewall");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, setup_replaces_a_leftover_table_in_one_transaction);
	tcase_add_test(tc, elements_by_family);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
