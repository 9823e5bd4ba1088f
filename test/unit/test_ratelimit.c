/* test_ratelimit.c - lib/ratelimit.c: the log limiter's first line and
 * summaries, and the token bucket's cap, refill and reserve. */
#include <check.h>
#include <stdlib.h>

#include "ratelimit.h"

START_TEST(first_event_reported)
{
	struct ratelimit r;
	uint64_t n = 99;
	ratelimit_init(&r, 5000, 1);
	/* time 0 is a valid first instant */
	ck_assert(ratelimit_event(&r, 0, &n));
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(flood_summarised)
{
	struct ratelimit r;
	uint64_t n = 0, lines = 0, summed = 0;
	ratelimit_init(&r, 5000, 1);
	/* 10,000 events a second for 12 s: one line at 0, 5 and 10 s */
	for (uint64_t t = 0; t < 12000; t++) {
		for (int k = 0; k < 10; k++) {
			if (ratelimit_event(&r, 1000 + t, &n)) {
				lines++;
				summed += n;
			}
		}
	}
	ck_assert_uint_eq(lines, 3);
	/* every event is either a line or counted in one: the last 2 s wait */
	ck_assert_uint_eq(lines + summed + r.suppressed, 120000);
	ck_assert_uint_eq(summed, 2 * 50000 - 2);
}
END_TEST

START_TEST(quiet_then_again)
{
	struct ratelimit r;
	uint64_t n = 7;
	ratelimit_init(&r, 1000, 1);
	ck_assert(ratelimit_event(&r, 100, NULL));
	ck_assert(!ratelimit_event(&r, 1099, NULL));
	ck_assert(ratelimit_event(&r, 1100, &n));
	ck_assert_uint_eq(n, 1);
	ck_assert(ratelimit_event(&r, 50000, &n));
	ck_assert_uint_eq(n, 0);
	/* a clock that goes back does not silence the limiter for good */
	ck_assert(ratelimit_event(&r, 10, &n));
}
END_TEST

/* burst 3 per 5 s: a quick pair of lines passes, a flood does not */
START_TEST(burst_then_summary)
{
	struct ratelimit r;
	uint64_t n = 0, lines = 0, summed = 0;
	ratelimit_init(&r, 5000, 3);
	ck_assert(ratelimit_event(&r, 10, &n));
	ck_assert(ratelimit_event(&r, 20, &n));
	ck_assert(ratelimit_event(&r, 30, &n));
	ck_assert(!ratelimit_event(&r, 40, &n));
	ck_assert(!ratelimit_event(&r, 5009, &n));
	ck_assert(ratelimit_event(&r, 5010, &n));
	ck_assert_uint_eq(n, 2);
	ck_assert(ratelimit_event(&r, 5011, &n));
	ck_assert_uint_eq(n, 0);
	for (uint64_t t = 20000; t < 25000; t++)
		if (ratelimit_event(&r, t, &n)) {
			lines++;
			summed += n;
		}
	ck_assert_uint_eq(lines, 3);
	ck_assert_uint_eq(summed, 0);
	ck_assert_uint_eq(r.suppressed, 4997);
}
END_TEST

START_TEST(zeroed_reports_all)
{
	struct ratelimit r = { 0 };
	for (int i = 0; i < 10; i++)
		ck_assert(ratelimit_event(&r, 100, NULL));
}
END_TEST

START_TEST(bucket_caps_burst)
{
	struct tokenbucket b;
	tokenbucket_init(&b, 4, 1000000, 0);
	ck_assert_uint_eq(tokenbucket_level(&b, 0), 4);
	int got = 0;
	for (int i = 0; i < 100; i++)
		got += tokenbucket_take(&b, 0, 0);
	ck_assert_int_eq(got, 4);
	/* a quarter period earns one token */
	ck_assert(!tokenbucket_take(&b, 249999, 0));
	ck_assert(tokenbucket_take(&b, 250000, 0));
	ck_assert(!tokenbucket_take(&b, 250000, 0));
	/* a long idle time fills it, never beyond rate */
	ck_assert_uint_eq(tokenbucket_level(&b, 100000000), 4);
}
END_TEST

/* The transmit cap's use: replies leave one token, the scheduled send
 * may take the last: under a reply flood the schedule still goes out
 * every period, and the total stays within rate per period. */
START_TEST(bucket_reserve_protects_schedule)
{
	struct tokenbucket b;
	const uint64_t period = 1000000;
	tokenbucket_init(&b, 4, period, 0);
	int scheduled = 0, replies = 0;
	for (uint64_t t = 0; t < 10 * period; t += 100) {   /* 10,000 replies a second */
		if (t % period == 0)
			scheduled += tokenbucket_take(&b, t, 0);
		replies += tokenbucket_take(&b, t, 1);
	}
	ck_assert_int_eq(scheduled, 10);
	/* 3 at the start, then at most 3 a period on top of the schedule */
	ck_assert_int_le(replies, 3 + 3 * 10);
	ck_assert_int_ge(replies, 3 * 9);
}
END_TEST

START_TEST(bucket_fast_rate)
{
	struct tokenbucket b;
	/* 4 per 10 ms (advert_int 0.01) with microsecond steps */
	tokenbucket_init(&b, 4, 10000, 5);
	int got = 0;
	for (uint64_t t = 5; t < 5 + 1000000; t++)
		got += tokenbucket_take(&b, t, 0);
	ck_assert_int_ge(got, 400);
	ck_assert_int_le(got, 404);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ratelimit");
	TCase *tc = tcase_create("ratelimit");
	tcase_add_test(tc, first_event_reported);
	tcase_add_test(tc, flood_summarised);
	tcase_add_test(tc, quiet_then_again);
	tcase_add_test(tc, burst_then_summary);
	tcase_add_test(tc, zeroed_reports_all);
	tcase_add_test(tc, bucket_caps_burst);
	tcase_add_test(tc, bucket_reserve_protects_schedule);
	tcase_add_test(tc, bucket_fast_rate);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
