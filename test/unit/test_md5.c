/* test_md5.c - lib/md5.c against RFC 1321's test suite (appendix A.5),
 * fed whole and in every split, and a long input across many blocks. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "md5.h"

static const struct {
	const char *msg, *hex;
} rfc1321[] = {
	{ "", "d41d8cd98f00b204e9800998ecf8427e" },
	{ "a", "0cc175b9c0f1b6a831c399e269772661" },
	{ "abc", "900150983cd24fb0d6963f7d28e17f72" },
	{ "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
	{ "abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b" },
	{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
	  "d174ab98d277d9f5a5611c2c9f419d9f" },
	{ "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
	  "57edf4a22be3c955ac49da2e2107b67a" },
};

START_TEST(rfc1321_suite)
{
	uint8_t d[MD5_DIGEST_LEN];
	char hex[MD5_HEX_LEN];
	md5(rfc1321[_i].msg, strlen(rfc1321[_i].msg), d);
	ck_assert_str_eq(md5_hex(d, hex), rfc1321[_i].hex);
}
END_TEST

/* Every split point of each vector, in two updates, and byte by byte:
 * the buffering of partial blocks must not change the digest. */
START_TEST(incremental)
{
	const char *m = rfc1321[_i].msg;
	size_t len = strlen(m);
	char hex[MD5_HEX_LEN];
	uint8_t d[MD5_DIGEST_LEN];
	struct md5_ctx c;

	for (size_t cut = 0; cut <= len; cut++) {
		md5_init(&c);
		md5_update(&c, m, cut);
		md5_update(&c, m + cut, len - cut);
		md5_final(&c, d);
		ck_assert_str_eq(md5_hex(d, hex), rfc1321[_i].hex);
	}
	md5_init(&c);
	for (size_t i = 0; i < len; i++)
		md5_update(&c, m + i, 1);
	md5_final(&c, d);
	ck_assert_str_eq(md5_hex(d, hex), rfc1321[_i].hex);
}
END_TEST

/* One million 'a' (a well-known vector): many full blocks, odd chunks. */
START_TEST(million_a)
{
	char *buf = malloc(1000000);
	uint8_t d[MD5_DIGEST_LEN];
	char hex[MD5_HEX_LEN];
	struct md5_ctx c;

	ck_assert_ptr_nonnull(buf);
	memset(buf, 'a', 1000000);
	md5_init(&c);
	for (size_t off = 0; off < 1000000; off += 997)
		md5_update(&c, buf + off, 1000000 - off < 997 ? 1000000 - off : 997);
	md5_final(&c, d);
	free(buf);
	ck_assert_str_eq(md5_hex(d, hex), "7707d6ae4e027c70eea2a935c2296f21");
}
END_TEST

/* Lengths around the padding boundary (55, 56, 63, 64, 65 bytes), with
 * digests from coreutils md5sum. */
START_TEST(padding_edges)
{
	static const struct { size_t n; const char *hex; } v[] = {
		{ 55, "ef1772b6dff9a122358552954ad0df65" },
		{ 56, "3b0c8ac703f828b04c6c197006d17218" },
		{ 63, "b06521f39153d618550606be297466d5" },
		{ 64, "014842d480b571495a4a0363793f7367" },
		{ 65, "c743a45e0d2e6a95cb859adae0248435" },
	};
	char buf[65], hex[MD5_HEX_LEN];
	uint8_t d[MD5_DIGEST_LEN];
	memset(buf, 'a', sizeof(buf));
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		md5(buf, v[i].n, d);
		ck_assert_msg(strcmp(md5_hex(d, hex), v[i].hex) == 0, "%zu bytes: %s", v[i].n, hex);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("md5");
	TCase *tc = tcase_create("md5");
	int n = (int)(sizeof(rfc1321) / sizeof(rfc1321[0]));
	tcase_add_loop_test(tc, rfc1321_suite, 0, n);
	tcase_add_loop_test(tc, incremental, 0, n);
	tcase_add_test(tc, million_a);
	tcase_add_test(tc, padding_edges);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
