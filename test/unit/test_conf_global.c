/* test_conf_global.c - the global blocks of the configuration language. */
#include <string.h>

#include "testutil.h"

START_TEST(empty_config_parses)
{
	struct config *cfg = parse_ok("", NULL);
	assert_roundtrip(cfg);
	conf_free(cfg);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("conf_global");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, empty_config_parses);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
