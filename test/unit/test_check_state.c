/* test_check_state.c - every cell of the checker state table, and the
 * retry counts that follow from it. */
#include <check.h>

#include "check/state.h"

struct cell { enum check_state s; enum check_event ev; struct check_step want; };

START_TEST(every_cell)
{
	static const struct cell cells[] = {
		{ CHECK_STATE_FRESH, CHECK_EV_OK, { CHECK_STATE_UP, true, CHECK_WAIT_LOOP } },
		{ CHECK_STATE_FRESH, CHECK_EV_FAIL_RETRY, { CHECK_STATE_FRESH, false, CHECK_WAIT_RETRY } },
		{ CHECK_STATE_FRESH, CHECK_EV_FAIL_FINAL, { CHECK_STATE_DOWN, true, CHECK_WAIT_LOOP } },
		{ CHECK_STATE_UP, CHECK_EV_OK, { CHECK_STATE_UP, false, CHECK_WAIT_LOOP } },
		{ CHECK_STATE_UP, CHECK_EV_FAIL_RETRY, { CHECK_STATE_UP, false, CHECK_WAIT_RETRY } },
		{ CHECK_STATE_UP, CHECK_EV_FAIL_FINAL, { CHECK_STATE_DOWN, true, CHECK_WAIT_LOOP } },
		{ CHECK_STATE_DOWN, CHECK_EV_OK, { CHECK_STATE_UP, true, CHECK_WAIT_LOOP } },
		{ CHECK_STATE_DOWN, CHECK_EV_FAIL_RETRY, { CHECK_STATE_DOWN, false, CHECK_WAIT_RETRY } },
		{ CHECK_STATE_DOWN, CHECK_EV_FAIL_FINAL, { CHECK_STATE_DOWN, false, CHECK_WAIT_LOOP } },
	};
	for (unsigned i = 0; i < sizeof(cells) / sizeof(cells[0]); i++) {
		struct check_step got = check_state_cell(cells[i].s, cells[i].ev);
		ck_assert_msg(got.next == cells[i].want.next && got.report == cells[i].want.report &&
			      got.wait == cells[i].want.wait, "cell %u (%s, %d)", i,
			      check_state_str(cells[i].s), cells[i].ev);
	}
}
END_TEST

/* With retry R, an UP checker goes DOWN at exactly the (R+1)th failure in
 * a row, waiting delay_before_retry R times in between. */
START_TEST(down_after_retry_plus_one_failures)
{
	for (uint32_t retry = 0; retry <= 4; retry++) {
		struct check_progress p = { CHECK_STATE_UP, 0 };
		unsigned retries = 0;
		for (uint32_t n = 1; n <= retry + 1; n++) {
			struct check_step st = check_state_apply(&p, false, retry);
			if (n <= retry) {
				ck_assert(!st.report && st.wait == CHECK_WAIT_RETRY);
				ck_assert_int_eq(p.state, CHECK_STATE_UP);
				retries++;
			} else {
				ck_assert(st.report && st.wait == CHECK_WAIT_LOOP);
				ck_assert_int_eq(p.state, CHECK_STATE_DOWN);
			}
		}
		ck_assert_uint_eq(retries, retry);
		ck_assert_uint_eq(p.retry_it, 0);
		/* One success brings it back at once. */
		struct check_step st = check_state_apply(&p, true, retry);
		ck_assert(st.report);
		ck_assert_int_eq(p.state, CHECK_STATE_UP);
	}
}
END_TEST

/* One lost probe in the middle of successes never flaps (retry >= 1). */
START_TEST(no_flap_on_one_loss)
{
	struct check_progress p = { CHECK_STATE_UP, 0 };
	ck_assert(!check_state_apply(&p, false, 1).report);
	ck_assert(!check_state_apply(&p, true, 1).report);
	ck_assert_uint_eq(p.retry_it, 0);
	ck_assert(!check_state_apply(&p, false, 1).report);
	ck_assert_int_eq(p.state, CHECK_STATE_UP);
}
END_TEST

START_TEST(fresh_reports_first_verdict)
{
	struct check_progress p = { CHECK_STATE_FRESH, 0 };
	ck_assert(check_state_apply(&p, true, 3).report);
	struct check_progress q = { CHECK_STATE_FRESH, 0 };
	ck_assert(!check_state_apply(&q, false, 1).report);
	ck_assert(check_state_apply(&q, false, 1).report);
	ck_assert_int_eq(q.state, CHECK_STATE_DOWN);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("check_state");
	TCase *tc = tcase_create("table");
	tcase_add_test(tc, every_cell);
	tcase_add_test(tc, down_after_retry_plus_one_failures);
	tcase_add_test(tc, no_flap_on_one_loss);
	tcase_add_test(tc, fresh_reports_first_verdict);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
