/* test_signals.c - lib/signals: which stop a worker sees, and that
 * SIGUSR1/SIGUSR2 and a second SIGTERM never kill it (issue 9). Each test
 * runs in Check's own forked process, so raise() only reaches that one. */
#include <signal.h>
#include <unistd.h>

#include "signals.h"
#include "testutil.h"

struct seen {
	struct worker_signals sig;
	int stops, reloads, statuses;
	enum worker_stop why;
	int last_status_signal;
	uv_timer_t after;           /* sends the next signal from the loop */
	int plan[4];                /* signals to raise, one per loop turn; 0 ends */
	int next;
};

static void on_stop(void *data, enum worker_stop why)
{
	struct seen *s = data;
	s->stops++;
	s->why = why;
}

static void on_reload(void *data)
{
	((struct seen *)data)->reloads++;
}

static void on_status(void *data, int signum)
{
	struct seen *s = data;
	s->statuses++;
	s->last_status_signal = signum;
}

static const struct worker_signal_ops ops = { on_stop, on_reload, on_status };

static void on_after(uv_timer_t *t)
{
	struct seen *s = t->data;
	if (s->plan[s->next]) {
		raise(s->plan[s->next++]);
		return;
	}
	uv_close((uv_handle_t *)t, NULL);
}

/* Run a loop that raises plan's signals, 20 ms apart, then ends. */
static void run_plan(struct seen *s, pid_t supervisor, const int *plan)
{
	uv_loop_t loop;
	uv_loop_init(&loop);
	for (int i = 0; i < 3 && plan[i]; i++)
		s->plan[i] = plan[i];
	worker_signals_start(&s->sig, &loop, supervisor, &ops, s);
	uv_timer_init(&loop, &s->after);
	s->after.data = s;
	uv_timer_start(&s->after, on_after, 20, 20);
	uv_run(&loop, UV_RUN_DEFAULT);
	worker_signals_close(&s->sig);
	uv_run(&loop, UV_RUN_DEFAULT);
	ck_assert_int_eq(uv_loop_close(&loop), 0);
}

START_TEST(term_from_a_living_supervisor_is_asked)
{
	struct seen s = { 0 };
	const int plan[] = { SIGUSR1, SIGTERM, SIGTERM, 0 };
	run_plan(&s, getppid(), plan);
	ck_assert_int_eq(s.stops, 1);              /* the second SIGTERM is ignored */
	ck_assert_int_eq(s.why, WORKER_STOP_ASKED);
	ck_assert_int_eq(s.statuses, 1);
	ck_assert_int_eq(s.last_status_signal, SIGUSR1);
}
END_TEST

START_TEST(usr_signals_and_hup_never_stop)
{
	struct seen s = { 0 };
	const int plan[] = { SIGUSR2, SIGHUP, SIGINT, 0 };
	run_plan(&s, 0, plan);   /* 0: the parent at start */
	ck_assert_int_eq(s.statuses, 1);
	ck_assert_int_eq(s.last_status_signal, SIGUSR2);
	ck_assert_int_eq(s.reloads, 1);
	ck_assert_int_eq(s.stops, 1);
	ck_assert_int_eq(s.why, WORKER_STOP_ASKED);
}
END_TEST

/* A supervisor that is not our parent any more died before the worker
 * could ask for its death signal: the orphaned stop comes by itself. */
START_TEST(supervisor_dead_before_start_is_seen)
{
	struct seen s = { 0 };
	const int plan[] = { 0 };
	pid_t gone = getppid() == 1 ? 2 : 1;   /* not our parent */
	run_plan(&s, gone, plan);
	ck_assert_int_eq(s.stops, 1);
	ck_assert_int_eq(s.why, WORKER_STOP_ORPHANED);
}
END_TEST

/* SIGTERM once the supervisor is gone (systemd signalling what is left of
 * the service) is the supervisor's death, not a request. */
START_TEST(term_after_the_supervisor_died_is_orphaned)
{
	struct seen s = { 0 };
	const int plan[] = { SIGTERM, 0 };
	/* Our parent is alive, but it is not the supervisor we were given:
	 * as after a re-parenting. The queued ORPHAN signal and SIGTERM race;
	 * either way there is one stop and it is the orphaned one. */
	run_plan(&s, getppid() == 1 ? 2 : 1, plan);
	ck_assert_int_eq(s.stops, 1);
	ck_assert_int_eq(s.why, WORKER_STOP_ORPHANED);
}
END_TEST

/* The ORPHAN signal sent by hand while the supervisor lives is no death. */
START_TEST(stray_orphan_signal_is_ignored)
{
	struct seen s = { 0 };
	const int plan[] = { WORKER_SIG_ORPHAN, SIGTERM, 0 };
	run_plan(&s, getppid(), plan);
	ck_assert_int_eq(s.stops, 1);
	ck_assert_int_eq(s.why, WORKER_STOP_ASKED);
}
END_TEST

/* After close, the signals are ignored, not fatal. */
START_TEST(signals_after_close_are_ignored)
{
	struct seen s = { 0 };
	const int plan[] = { SIGTERM, 0 };
	run_plan(&s, getppid(), plan);
	raise(SIGUSR1);
	raise(SIGUSR2);
	raise(SIGTERM);
	raise(SIGHUP);
	raise(WORKER_SIG_ORPHAN);
	ck_assert_int_eq(s.stops, 1);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("signals");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, term_from_a_living_supervisor_is_asked);
	tcase_add_test(tc, usr_signals_and_hup_never_stop);
	tcase_add_test(tc, supervisor_dead_before_start_is_seen);
	tcase_add_test(tc, term_after_the_supervisor_died_is_orphaned);
	tcase_add_test(tc, stray_orphan_signal_is_ignored);
	tcase_add_test(tc, signals_after_close_are_ignored);
	suite_add_tcase(su, tc);
	return run_suite(su);
}
