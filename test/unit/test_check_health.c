/* test_check_health.c - the health engine with real TCP probes on
 * loopback: verdicts, keepalived's retry count, alpha, coalesced change
 * reports, reload carrying state, spreading over warmup, clean shutdown. */
#include <check.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check/health.h"
#include "probetest.h"
#include "testutil.h"

struct lab {
	uv_loop_t loop;
	struct config *cfg;
	struct health *h;
	int changes;              /* reports from the engine */
	uint64_t failures_at_down;
	const struct real_server *watch;   /* the server whose first down is timed */
	bool watch_down;
};

static void on_changed(void *data)
{
	struct lab *l = data;
	l->changes++;
	if (l->watch && !l->watch_down &&
	    !health_verdict(NULL, l->watch, l->h).up) {
		struct health_stats st;
		health_get_stats(l->h, &st);
		l->failures_at_down = st.failures;
		l->watch_down = true;
	}
}

static const struct real_server *rs_at(const struct config *cfg, int vs_i, int rs_i)
{
	const struct node *v = cfg->virtual_servers.first;
	while (vs_i--)
		v = v->next;
	const struct node *r = ((const struct virtual_server *)(const void *)v)->real_servers.first;
	while (rs_i--)
		r = r->next;
	return (const struct real_server *)(const void *)r;
}

static void on_bound(uv_timer_t *t)
{
	uv_stop(t->loop);
}

/* Run the loop for ms milliseconds. */
static void run_for(struct lab *l, unsigned ms)
{
	uv_timer_t t;
	uv_timer_init(&l->loop, &t);
	uv_timer_start(&t, on_bound, ms, 0);
	uv_run(&l->loop, UV_RUN_DEFAULT);
	uv_close((uv_handle_t *)&t, NULL);
	uv_run(&l->loop, UV_RUN_NOWAIT);
}

static char *conf_text(uint16_t up_port, uint16_t dead_port, const char *extra_rs)
{
	char *s = NULL;
	int n = asprintf(&s,
		"virtual_server 10.11.12.99 80 {\n"
		"  delay_loop 0.2\n  lb_kind NAT\n  protocol TCP\n  warmup 0\n"
		"  real_server 127.0.0.1 %u {\n"
		"    TCP_CHECK {\n      connect_timeout 1\n    }\n  }\n"
		"  real_server 127.0.0.1 %u {\n"
		"    TCP_CHECK {\n      connect_timeout 1\n      retry 2\n"
		"      delay_before_retry 0.1\n    }\n  }\n"
		"%s"
		"}\n", (unsigned)up_port, (unsigned)dead_port, extra_rs);
	ck_assert_int_gt(n, 0);
	return s;
}

static void lab_start(struct lab *l, const char *text)
{
	memset(l, 0, sizeof(*l));
	ck_assert_int_eq(uv_loop_init(&l->loop), 0);
	l->cfg = parse_ok(text, NULL);
	l->h = health_new(&l->loop, l->cfg, on_changed, l);
	ck_assert_ptr_nonnull(l->h);
}

static void lab_stop(struct lab *l)
{
	health_free(l->h);
	/* Killed scripts are reaped on the loop: up to 3 s for them. */
	for (int i = 0; i < 300 && uv_loop_alive(&l->loop); i++) {
		uv_run(&l->loop, UV_RUN_NOWAIT);
		if (uv_loop_alive(&l->loop))
			usleep(10000);
	}
	ck_assert_int_eq(uv_loop_close(&l->loop), 0);
	conf_unref(l->cfg);
}

START_TEST(verdicts_and_retry_count)
{
	uint16_t up = 0;
	int lfd = probetest_listen_tcp(&up, 64);
	uint16_t dead = probetest_closed_port();
	char *text = conf_text(up, dead, "");
	struct lab l;
	lab_start(&l, text);
	l.watch = rs_at(l.cfg, 0, 1);

	/* Before any verdict: both up (no alpha). */
	ck_assert(health_verdict(NULL, rs_at(l.cfg, 0, 0), l.h).up);
	ck_assert(health_verdict(NULL, l.watch, l.h).up);
	run_for(&l, 1500);
	ck_assert(health_verdict(NULL, rs_at(l.cfg, 0, 0), l.h).up);
	ck_assert(!health_verdict(NULL, l.watch, l.h).up);
	/* retry 2: down at the third failed attempt in a row, not before. */
	ck_assert_msg(l.watch_down, "the dead server was never reported down");
	ck_assert_uint_eq(l.failures_at_down, 3);
	ck_assert_int_eq(l.changes, 1);
	struct health_stats st;
	health_get_stats(l.h, &st);
	ck_assert_uint_eq(st.checkers, 2);
	ck_assert_uint_eq(st.servers, 2);
	ck_assert_uint_eq(st.servers_alive, 1);
	/* ~1.5 s at 0.2 s: several attempts each, far from a busy loop. */
	ck_assert_msg(st.attempts >= 8 && st.attempts <= 20, "%llu attempts",
		      (unsigned long long)st.attempts);
	lab_stop(&l);
	free(text);
	close(lfd);
}
END_TEST

START_TEST(alpha_starts_down_until_success)
{
	uint16_t up = 0, up2 = 0;
	int lfd = probetest_listen_tcp(&up, 64), lfd2 = probetest_listen_tcp(&up2, 64);
	char extra[256];
	snprintf(extra, sizeof(extra),
		 "  real_server 127.0.0.1 %u {\n    alpha\n    TCP_CHECK {\n"
		 "      connect_timeout 1\n      warmup 0.5\n    }\n  }\n", (unsigned)up2);
	char *text = conf_text(up, probetest_closed_port(), extra);
	struct lab l;
	lab_start(&l, text);
	const struct real_server *a = rs_at(l.cfg, 0, 2);
	ck_assert(!health_verdict(NULL, a, l.h).up);
	run_for(&l, 1200);
	ck_assert(health_verdict(NULL, a, l.h).up);
	lab_stop(&l);
	free(text);
	close(lfd);
	close(lfd2);
}
END_TEST

START_TEST(listener_killed_then_back)
{
	uint16_t port = 0;
	int lfd = probetest_listen_tcp(&port, 64);
	char *text = conf_text(port, probetest_closed_port(), "");
	struct lab l;
	lab_start(&l, text);
	const struct real_server *a = rs_at(l.cfg, 0, 0);
	run_for(&l, 500);
	ck_assert(health_verdict(NULL, a, l.h).up);
	close(lfd);
	/* retry 1 (the default) at delay_loop 0.2 and delay_before_retry 1 s:
	 * down within 0.2 + 1 s and a bit. */
	run_for(&l, 1800);
	ck_assert(!health_verdict(NULL, a, l.h).up);
	int again = probetest_listen_tcp(&port, 64);
	run_for(&l, 600);
	ck_assert(health_verdict(NULL, a, l.h).up);
	lab_stop(&l);
	free(text);
	close(again);
}
END_TEST

START_TEST(reload_carries_state)
{
	uint16_t up = 0;
	int lfd = probetest_listen_tcp(&up, 64);
	uint16_t dead = probetest_closed_port();
	char *text = conf_text(up, dead, "");
	struct lab l;
	lab_start(&l, text);
	run_for(&l, 1500);
	ck_assert(!health_verdict(NULL, rs_at(l.cfg, 0, 1), l.h).up);

	/* The same servers in a new model (a weight changed elsewhere): the
	 * dead one is still down at once, before any new attempt. */
	char *text2 = conf_text(up, dead, "  real_server 10.0.0.7 80 {\n    weight 5\n  }\n");
	struct config *fresh = parse_ok(text2, NULL);
	health_reload(l.h, fresh);
	conf_unref(l.cfg);
	l.cfg = fresh;
	ck_assert(!health_verdict(NULL, rs_at(l.cfg, 0, 1), l.h).up);
	ck_assert(health_verdict(NULL, rs_at(l.cfg, 0, 0), l.h).up);
	/* A server without checkers is up. */
	ck_assert(health_verdict(NULL, rs_at(l.cfg, 0, 2), l.h).up);
	run_for(&l, 300);
	ck_assert(!health_verdict(NULL, rs_at(l.cfg, 0, 1), l.h).up);
	lab_stop(&l);
	free(text);
	free(text2);
	close(lfd);
}
END_TEST


/* ---- dynamic weights and MISC_CHECK programs (issue 16) -------------------------- */

static char sdir[64];

/* sdir/name: a script that exits with the number in sdir/name.rc. */
static void rc_script(const char *name, int rc)
{
	char path[128], body[256];
	snprintf(path, sizeof(path), "%s/%s.rc", sdir, name);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "%d\n", rc);
	ck_assert_int_eq(fclose(f), 0);
	snprintf(path, sizeof(path), "%s/%s", sdir, name);
	if (access(path, X_OK) == 0)
		return;
	snprintf(body, sizeof(body), "#!/bin/sh\nexit $(cat %s/%s.rc)\n", sdir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(body, f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(path, 0755), 0);
}

static void sdir_make(void)
{
	snprintf(sdir, sizeof(sdir), "/tmp/vigil-hc-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(sdir));
	ck_assert_int_eq(chmod(sdir, 0755), 0);
}

static void sdir_remove(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", sdir);
	ck_assert_int_eq(system(cmd), 0);
}

/* The weight IPVS would be given: the verdict's, else the configured. */
static long eff_weight(struct lab *l, const struct real_server *rs)
{
	struct rs_verdict v = health_verdict(NULL, rs, l->h);
	return v.weight >= 0 ? v.weight : (long)rs->weight;
}

static char *misc_text(const char *rs_body)
{
	char *s = NULL;
	int n = asprintf(&s,
		"virtual_server 10.11.12.99 80 {\n"
		"  delay_loop 0.2\n  lb_kind NAT\n  protocol TCP\n  warmup 0\n"
		"  real_server 10.0.0.2 80 {\n    weight 7\n%s  }\n"
		"}\n", rs_body);
	ck_assert_int_gt(n, 0);
	return s;
}

static char *misc_text_dyn(const char *name, bool dynamic, unsigned weight)
{
	char body[512], *s = NULL;
	snprintf(body, sizeof(body), "    MISC_CHECK {\n      misc_path %s/%s\n%s    }\n", sdir,
		 name, dynamic ? "      misc_dynamic\n" : "");
	int n = asprintf(&s,
		"virtual_server 10.11.12.99 80 {\n"
		"  delay_loop 0.2\n  lb_kind NAT\n  protocol TCP\n  warmup 0\n"
		"  real_server 10.0.0.2 80 {\n    weight %u\n%s  }\n"
		"}\n", weight, body);
	ck_assert_int_gt(n, 0);
	return s;
}

static void reload_text(struct lab *l, const char *text)
{
	struct config *fresh = parse_ok(text, NULL);
	health_reload(l->h, fresh);
	conf_unref(l->cfg);
	l->cfg = fresh;
}

/* Exit 2 (weight 0), a reload, exit 0: the configured weight comes back.
 * Before the fix the reload carried the weight but not that a checker had
 * set it, and it stayed 0 for ever. */
START_TEST(dynamic_weight_given_back_after_reload)
{
	sdir_make();
	rc_script("dyn", 2);
	char *text = misc_text_dyn("dyn", true, 7);
	struct lab l;
	lab_start(&l, text);
	run_for(&l, 600);
	ck_assert_int_eq(eff_weight(&l, rs_at(l.cfg, 0, 0)), 0);
	ck_assert(health_verdict(NULL, rs_at(l.cfg, 0, 0), l.h).up);

	reload_text(&l, text);
	ck_assert_int_eq(eff_weight(&l, rs_at(l.cfg, 0, 0)), 0);   /* carried */
	rc_script("dyn", 0);
	run_for(&l, 600);
	ck_assert_int_eq(eff_weight(&l, rs_at(l.cfg, 0, 0)), 7);

	/* The weight edited while a checker holds its part: the part is
	 * what it asked for, against the new weight. */
	rc_script("dyn", 5);                                          /* weight 3 */
	run_for(&l, 600);
	ck_assert_int_eq(eff_weight(&l, rs_at(l.cfg, 0, 0)), 3);
	char *text10 = misc_text_dyn("dyn", true, 10);
	reload_text(&l, text10);
	ck_assert_int_eq(eff_weight(&l, rs_at(l.cfg, 0, 0)), 3);
	rc_script("dyn", 0);
	run_for(&l, 600);
	ck_assert_int_eq(eff_weight(&l, rs_at(l.cfg, 0, 0)), 10);

	/* misc_dynamic taken out by a reload: its weight goes with it. */
	rc_script("dyn", 2);
	reload_text(&l, text);
	run_for(&l, 600);
	ck_assert_int_eq(eff_weight(&l, rs_at(l.cfg, 0, 0)), 0);
	char *plain = misc_text_dyn("dyn", false, 7);
	rc_script("dyn", 0);
	reload_text(&l, plain);
	ck_assert_int_eq(eff_weight(&l, rs_at(l.cfg, 0, 0)), 7);
	run_for(&l, 400);
	ck_assert_int_eq(eff_weight(&l, rs_at(l.cfg, 0, 0)), 7);
	ck_assert(health_verdict(NULL, rs_at(l.cfg, 0, 0), l.h).up);
	lab_stop(&l);
	free(text);
	free(text10);
	free(plain);
	sdir_remove();
}
END_TEST

/* Two dynamic checkers asking 3 and 8 of a weight-7 server: keepalived's
 * sum 7 + (3-7) + (8-7) = 4, set once, not a flap at every attempt. */
START_TEST(two_dynamic_checkers_sum)
{
	sdir_make();
	rc_script("five", 5);
	rc_script("ten", 10);
	char body[512];
	snprintf(body, sizeof(body),
		 "    MISC_CHECK {\n      misc_path %s/five\n      misc_dynamic\n    }\n"
		 "    MISC_CHECK {\n      misc_path %s/ten\n      misc_dynamic\n    }\n",
		 sdir, sdir);
	char *text = misc_text(body);
	struct lab l;
	lab_start(&l, text);
	run_for(&l, 600);
	ck_assert_int_eq(eff_weight(&l, rs_at(l.cfg, 0, 0)), 4);
	int changes = l.changes;
	/* ~8 more attempts of each at 0.2 s: no change at all. */
	for (int i = 0; i < 8; i++) {
		run_for(&l, 200);
		ck_assert_int_eq(eff_weight(&l, rs_at(l.cfg, 0, 0)), 4);
	}
	ck_assert_int_eq(l.changes, changes);
	struct health_stats st;
	health_get_stats(l.h, &st);
	ck_assert_uint_ge(st.attempts, 12);
	lab_stop(&l);
	free(text);
	sdir_remove();
}
END_TEST

/* A misc_path that is not there leaves its checker out (keepalived's
 * "Disabling misc script"): its server stays in service, and one with
 * another checker is judged by that one alone. */
START_TEST(missing_misc_path_keeps_servers)
{
	uint16_t dead = probetest_closed_port();
	char text[2048];
	snprintf(text, sizeof(text),
		 "virtual_server 10.11.12.99 80 {\n"
		 "  delay_loop 0.2\n  lb_kind NAT\n  protocol TCP\n  warmup 0\n"
		 "  real_server 10.0.0.2 80 {\n"
		 "    MISC_CHECK {\n      misc_path /nonexistent/vigil-check.sh\n    }\n  }\n"
		 "  real_server 10.0.0.3 80 {\n"
		 "    MISC_CHECK {\n      misc_path \"/nonexistent/vigil-check.sh arg\"\n    }\n"
		 "    MISC_CHECK {\n      misc_path /bin/true\n    }\n  }\n"
		 "  real_server 127.0.0.1 %u {\n"
		 "    MISC_CHECK {\n      misc_path /nonexistent/vigil-check.sh\n    }\n"
		 "    TCP_CHECK {\n      connect_timeout 1\n      retry 0\n    }\n  }\n"
		 "}\n", (unsigned)dead);
	struct lab l;
	lab_start(&l, text);
	run_for(&l, 800);
	ck_assert(health_verdict(NULL, rs_at(l.cfg, 0, 0), l.h).up);
	ck_assert(health_verdict(NULL, rs_at(l.cfg, 0, 1), l.h).up);
	ck_assert(!health_verdict(NULL, rs_at(l.cfg, 0, 2), l.h).up);
	struct health_stats st;
	health_get_stats(l.h, &st);
	ck_assert_uint_eq(st.checkers, 2);                 /* /bin/true and the TCP_CHECK */
	lab_stop(&l);
}
END_TEST

/* Issue 15, hole 1: notify_up/notify_down and quorum_up/quorum_down run
 * from the engine; under enable_script_security a script anyone may
 * replace must not run as root from there either. The same scripts run
 * without the option, so the test sees a run when there is one. */
static char *lvs_scripts_text(const char *global, const char *script, const char *ran,
			      uint16_t dead_port)
{
	char *s = NULL;
	int n = asprintf(&s,
		"global_defs {\n  script_user root\n%s}\n"
		"virtual_server 10.11.12.99 80 {\n"
		"  delay_loop 0.2\n  lb_kind NAT\n  protocol TCP\n  warmup 0\n  quorum 1\n"
		"  quorum_up \"%s quorum_up %s\"\n  quorum_down \"%s quorum_down %s\"\n"
		"  real_server 127.0.0.1 %u {\n"
		"    notify_up \"%s notify_up %s\"\n    notify_down \"%s notify_down %s\"\n"
		"    TCP_CHECK {\n      connect_timeout 1\n      retry 0\n    }\n  }\n"
		"}\n", global, script, ran, script, ran, (unsigned)dead_port, script, ran, script,
		ran);
	ck_assert_int_gt(n, 0);
	return s;
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 4096);
	ck_assert_ptr_nonnull(buf);
	if (f) {
		size_t n = fread(buf, 1, 4095, f);
		buf[n] = '\0';
		fclose(f);
	}
	return buf;
}

START_TEST(lvs_scripts_obey_script_security)
{
	char tmp[] = "/tmp/vigil-hsec-XXXXXX", pub[64], evil[96], ran[96], cmd[128];
	ck_assert_ptr_nonnull(mkdtemp(tmp));
	snprintf(pub, sizeof(pub), "%s/pub", tmp);
	ck_assert_int_eq(mkdir(pub, 0777), 0);
	ck_assert_int_eq(chmod(pub, 0777), 0);          /* anyone may plant here */
	snprintf(evil, sizeof(evil), "%s/evil.sh", pub);
	snprintf(ran, sizeof(ran), "%s/ran", tmp);
	FILE *f = fopen(evil, "w");
	ck_assert_ptr_nonnull(f);
	fputs("#!/bin/sh\necho \"$1\" >> \"$2\"\n", f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(evil, 0755), 0);

	static const char *const globals[] = { "", "  enable_script_security\n" };
	for (int secure = 0; secure < 2; secure++) {
		unlink(ran);
		char *text = lvs_scripts_text(globals[secure], evil, ran, probetest_closed_port());
		struct lab l;
		lab_start(&l, text);
		const struct virtual_server *vs =
			(const void *)l.cfg->virtual_servers.first;
		run_for(&l, 800);              /* the server goes down: notify_down */
		ck_assert(!health_verdict(NULL, rs_at(l.cfg, 0, 0), l.h).up);
		health_quorum_changed(l.h, vs, false);
		health_quorum_changed(l.h, vs, true);
		run_for(&l, 700);              /* the scripts have run, if they may */
		lab_stop(&l);
		free(text);
		char *got = read_all(ran);
		if (secure)
			ck_assert_msg(!got[0], "a planted LVS script ran as root under "
				      "enable_script_security: <%s>", got);
		else
			ck_assert_msg(strstr(got, "notify_down") && strstr(got, "quorum_down") &&
				      strstr(got, "quorum_up"), "without the option the scripts "
				      "should run: <%s>", got);
		free(got);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("check_health");
	TCase *tc = tcase_create("engine");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, verdicts_and_retry_count);
	tcase_add_test(tc, alpha_starts_down_until_success);
	tcase_add_test(tc, listener_killed_then_back);
	tcase_add_test(tc, reload_carries_state);
	tcase_add_test(tc, dynamic_weight_given_back_after_reload);
	tcase_add_test(tc, two_dynamic_checkers_sum);
	tcase_add_test(tc, missing_misc_path_keeps_servers);
	tcase_add_test(tc, lvs_scripts_obey_script_security);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
