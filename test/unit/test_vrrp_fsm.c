/* test_vrrp_fsm.c - every cell of the VRRP state table, the advert
 * classification and the RFC 5798 timer formulas. */
#include <check.h>
#include <stdlib.h>

#include "vrrp/fsm.h"

#define S_I VRRP_STATE_INIT
#define S_B VRRP_STATE_BACKUP
#define S_M VRRP_STATE_MASTER
#define S_F VRRP_STATE_FAULT

/* The expected next state of every (state, event); -1 where the event
 * means nothing in that state. Written out in full, independently of the
 * table in fsm.c, so that a changed row shows up here. */
static const int expected_next[VRRP_STATE_COUNT][VRRP_EV_COUNT] = {
	/*            STARTUP OWNER SHUT  DOWN  ADVT  PRIO0 HIGH  LOW   FAULT CLEAR */
	[S_I] = {     S_B,    S_M,  -1,   -1,   -1,   -1,   -1,   -1,   S_F,  -1 },
	[S_B] = {     -1,     -1,   S_I,  S_M,  -1,   S_B,  S_B,  S_B,  S_F,  -1 },
	[S_M] = {     -1,     -1,   S_I,  -1,   S_M,  S_M,  S_B,  S_M,  S_F,  -1 },
	[S_F] = {     -1,     -1,   S_I,  -1,   -1,   -1,   -1,   -1,   -1,   S_B },
};

START_TEST(every_cell_has_the_expected_next_state)
{
	for (int s = 0; s < VRRP_STATE_COUNT; s++) {
		for (int e = 0; e < VRRP_EV_COUNT; e++) {
			struct vrrp_transition t = vrrp_fsm_lookup(s, e);
			int want = expected_next[s][e];
			ck_assert_msg(t.handled == (want >= 0), "%s/%s handled",
				      vrrp_state_name(s), vrrp_event_name(e));
			ck_assert_msg((int)t.next == (want >= 0 ? want : s), "%s/%s next %s",
				      vrrp_state_name(s), vrrp_event_name(e), vrrp_state_name(t.next));
			if (!t.handled)
				ck_assert_uint_eq(t.actions, VRRP_ACT_NONE);
		}
	}
}
END_TEST

/* Invariants that keep the VIP where it belongs, whatever the row. */
START_TEST(addresses_follow_mastership)
{
	for (int s = 0; s < VRRP_STATE_COUNT; s++) {
		for (int e = 0; e < VRRP_EV_COUNT; e++) {
			struct vrrp_transition t = vrrp_fsm_lookup(s, e);
			bool enters = t.next == S_M && s != S_M;
			bool leaves = s == S_M && t.next != S_M;
			if (enters)
				ck_assert_uint_eq(t.actions & (VRRP_ACT_ADD_VIPS | VRRP_ACT_SEND_ADVERT |
							       VRRP_ACT_GARP | VRRP_ACT_ADVER_TIMER),
						  VRRP_ACT_ADD_VIPS | VRRP_ACT_SEND_ADVERT |
							  VRRP_ACT_GARP | VRRP_ACT_ADVER_TIMER);
			if (leaves)
				ck_assert(t.actions & VRRP_ACT_DEL_VIPS);
			if (t.next != S_M)
				ck_assert(!(t.actions & (VRRP_ACT_ADD_VIPS | VRRP_ACT_GARP |
							 VRRP_ACT_ADVER_TIMER)));
			if (t.next == S_B && s != S_B)
				ck_assert(t.actions & VRRP_ACT_DOWN_TIMER);
		}
	}
}
END_TEST

START_TEST(resigning_master_sends_priority_zero)
{
	ck_assert(vrrp_fsm_lookup(S_M, VRRP_EV_SHUTDOWN).actions & VRRP_ACT_SEND_PRIO0);
	ck_assert(vrrp_fsm_lookup(S_M, VRRP_EV_FAULT).actions & VRRP_ACT_SEND_PRIO0);
	ck_assert(!(vrrp_fsm_lookup(S_M, VRRP_EV_ADV_HIGHER).actions & VRRP_ACT_SEND_PRIO0));
	/* and a backup that hears it waits only Skew_Time */
	ck_assert(vrrp_fsm_lookup(S_B, VRRP_EV_ADV_PRIO0).actions & VRRP_ACT_SKEW_TIMER);
}
END_TEST

START_TEST(classify)
{
	/* priority 0 always means "the master resigns" */
	ck_assert_int_eq(vrrp_classify_advert(S_B, 100, true, 0, 0), VRRP_EV_ADV_PRIO0);
	ck_assert_int_eq(vrrp_classify_advert(S_M, 100, true, 0, 0), VRRP_EV_ADV_PRIO0);
	/* backup with preemption: equal or higher accepted, lower discarded */
	ck_assert_int_eq(vrrp_classify_advert(S_B, 100, true, 100, -1), VRRP_EV_ADV_HIGHER);
	ck_assert_int_eq(vrrp_classify_advert(S_B, 100, true, 150, 0), VRRP_EV_ADV_HIGHER);
	ck_assert_int_eq(vrrp_classify_advert(S_B, 100, true, 90, 0), VRRP_EV_ADV_LOWER);
	/* nopreempt: a backup accepts any master */
	ck_assert_int_eq(vrrp_classify_advert(S_B, 100, false, 90, 0), VRRP_EV_ADV_HIGHER);
	/* master: higher priority wins; a tie goes to the higher primary address */
	ck_assert_int_eq(vrrp_classify_advert(S_M, 100, true, 150, -1), VRRP_EV_ADV_HIGHER);
	ck_assert_int_eq(vrrp_classify_advert(S_M, 100, true, 90, 1), VRRP_EV_ADV_LOWER);
	ck_assert_int_eq(vrrp_classify_advert(S_M, 100, true, 100, 1), VRRP_EV_ADV_HIGHER);
	ck_assert_int_eq(vrrp_classify_advert(S_M, 100, true, 100, -1), VRRP_EV_ADV_LOWER);
	ck_assert_int_eq(vrrp_classify_advert(S_M, 100, false, 150, -1), VRRP_EV_ADV_HIGHER);
}
END_TEST

START_TEST(rfc5798_timers)
{
	/* priority 100, 1 s: Skew_Time = 156/256 s */
	ck_assert_uint_eq(vrrp_skew_time_us(100, 1000000), 609375);
	ck_assert_uint_eq(vrrp_master_down_interval_us(100, 1000000), 3609375);
	/* priority 255 (owner): Skew_Time = 1/256 of the interval */
	ck_assert_uint_eq(vrrp_skew_time_us(255, 1000000), 3906);
	/* VRRPv3 centisecond intervals: 50 ms, priority 150 */
	ck_assert_uint_eq(vrrp_skew_time_us(150, 50000), 20703);
	ck_assert_uint_eq(vrrp_master_down_interval_us(150, 50000), 170703);
}
END_TEST

START_TEST(names)
{
	ck_assert_str_eq(vrrp_state_name(S_M), "MASTER");
	ck_assert_str_eq(vrrp_state_name(S_B), "BACKUP");
	ck_assert_str_eq(vrrp_state_name(S_F), "FAULT");
	ck_assert_str_eq(vrrp_state_name(VRRP_STATE_COUNT), "?");
	ck_assert_str_eq(vrrp_event_name(VRRP_EV_ADV_PRIO0), "priority 0 advert");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vrrp_fsm");
	TCase *tc = tcase_create("table");
	tcase_add_test(tc, every_cell_has_the_expected_next_state);
	tcase_add_test(tc, addresses_follow_mastership);
	tcase_add_test(tc, resigning_master_sends_priority_zero);
	tcase_add_test(tc, classify);
	tcase_add_test(tc, rfc5798_timers);
	tcase_add_test(tc, names);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
