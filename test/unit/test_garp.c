/* test_garp.c - gratuitous ARP and unsolicited NA, byte for byte. */
#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "vrrp/garp.h"

static const uint8_t mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30 };

START_TEST(arp_announcement)
{
	uint8_t buf[GARP_ARP_LEN];
	struct in_addr vip;
	inet_pton(AF_INET, "10.11.12.100", &vip);
	ck_assert_uint_eq(garp_build_arp(buf, mac, vip), 28);
	static const uint8_t want[28] = {
		0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01,          /* Ethernet, IPv4, request */
		0x02, 0x00, 0x5e, 0x10, 0x20, 0x30, 10, 11, 12, 100, /* sender = us, VIP */
		0, 0, 0, 0, 0, 0, 10, 11, 12, 100,                   /* target = VIP */
	};
	ck_assert_mem_eq(buf, want, sizeof(want));
}
END_TEST

START_TEST(unsolicited_na)
{
	uint8_t buf[GARP_NA_LEN];
	struct in6_addr t;
	inet_pton(AF_INET6, "2001:db8::10", &t);
	ck_assert_uint_eq(garp_build_na(buf, mac, &t, false), 32);
	ck_assert_uint_eq(buf[0], 136);          /* neighbour advertisement */
	ck_assert_uint_eq(buf[1], 0);
	ck_assert_uint_eq(buf[4], 0x20);         /* Override only: not solicited, not a router */
	ck_assert_mem_eq(buf + 8, &t, 16);
	ck_assert_uint_eq(buf[24], 2);           /* target link-layer address option */
	ck_assert_uint_eq(buf[25], 1);
	ck_assert_mem_eq(buf + 26, mac, 6);
	garp_build_na(buf, mac, &t, true);
	ck_assert_uint_eq(buf[4], 0xa0);         /* Router + Override */
}
END_TEST

int main(void)
{
	Suite *s = suite_create("garp");
	TCase *tc = tcase_create("build");
	tcase_add_test(tc, arp_announcement);
	tcase_add_test(tc, unsolicited_na);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
