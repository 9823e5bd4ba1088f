/* test_vmac.c - use_vmac's MAC and interface name (src/vrrp/vmac.c). */
#include <check.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>

#include "vrrp/vmac.h"

START_TEST(rfc5798_macs)
{
	struct vmac none = { .on = true };
	uint8_t mac[6];
	vmac_address(&none, 51, AF_INET, mac);
	ck_assert_mem_eq(mac, ((uint8_t[]){ 0x00, 0x00, 0x5e, 0x00, 0x01, 51 }), 6);
	vmac_address(&none, 255, AF_INET6, mac);
	ck_assert_mem_eq(mac, ((uint8_t[]){ 0x00, 0x00, 0x5e, 0x00, 0x02, 255 }), 6);
}
END_TEST

START_TEST(configured_macs)
{
	/* five bytes: the VRID completes them; six: as given */
	struct vmac five = { .on = true, .mac = { 2, 0, 0, 0, 1 }, .mac_len = 5 };
	struct vmac six = { .on = true, .mac = { 2, 0, 0, 0, 1, 9 }, .mac_len = 6 };
	uint8_t mac[6];
	vmac_address(&five, 7, AF_INET6, mac);
	ck_assert_mem_eq(mac, ((uint8_t[]){ 2, 0, 0, 0, 1, 7 }), 6);
	vmac_address(&six, 7, AF_INET, mac);
	ck_assert_mem_eq(mac, ((uint8_t[]){ 2, 0, 0, 0, 1, 9 }), 6);
}
END_TEST

START_TEST(names)
{
	char buf[IFNAMSIZ];
	struct vmac none = { .on = true }, named = { .on = true, .ifname = (char *)"vmac0" };
	ck_assert(vmac_name(buf, sizeof(buf), &none, "vrrp", 51));
	ck_assert_str_eq(buf, "vrrp.51");
	ck_assert(vmac_name(buf, sizeof(buf), &none, NULL, 7));
	ck_assert_str_eq(buf, "vrrp.7");
	ck_assert(vmac_name(buf, sizeof(buf), &none, "vr", 255));
	ck_assert_str_eq(buf, "vr.255");
	ck_assert(vmac_name(buf, sizeof(buf), &named, "vrrp", 51));
	ck_assert_str_eq(buf, "vmac0");
	/* a vmac_prefix that leaves no room for the VRID within IFNAMSIZ */
	ck_assert(!vmac_name(buf, sizeof(buf), &none, "averylongprefix", 51));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vmac");
	TCase *tc = tcase_create("pure");
	tcase_add_test(tc, rfc5798_macs);
	tcase_add_test(tc, configured_macs);
	tcase_add_test(tc, names);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
