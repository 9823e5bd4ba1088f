/* test_check_misc.c - MISC_CHECK's probe: exit codes with and without
 * misc_dynamic, timeouts that kill the script's whole group, programs
 * that cannot start or die of a signal, cancellation, users, and
 * enable_script_security.
 *
 * Scripts live in a temporary directory made (and removed, with any
 * process a script recorded in a .pid file there) by an unchecked fixture,
 * which runs in the test runner itself, so it cleans up even after a
 * test failed or timed out in its forked child. Every script that waits
 * sleeps 30 s at most. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probetest.h"
#include "testutil.h"

#define MS 1000ULL

static char tmp[64];

/* ---- fixture and helpers ------------------------------------------------------ */

static bool process_running(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' && paren[2] != 'Z' && paren[2] != 'X';
}

static pid_t read_pid(const char *name)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/%s", tmp, name);
	FILE *f = fopen(path, "r");
	int pid = 0;
	if (f) {
		if (fscanf(f, "%d", &pid) != 1)
			pid = 0;
		fclose(f);
	}
	return (pid_t)pid;
}

static void setup(void)
{
	snprintf(tmp, sizeof(tmp), "/tmp/vigil-misc-XXXXXX");
	if (!mkdtemp(tmp) || chmod(tmp, 0755) != 0) {
		perror("vigil-misc temp dir");
		abort();
	}
}

/* Kill what a failed test may have left (the script's group and its
 * background child, by the pids they wrote), then remove the files. */
static void teardown(void)
{
	DIR *d = opendir(tmp);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".pid") != 0)
			continue;
		pid_t pid = read_pid(e->d_name);
		if (pid > 1 && pid != getpid() && process_running(pid)) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
		}
	}
	if (d)
		closedir(d);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmp);
}

/* tmp/rel holding "#!/bin/sh" and body, mode 0755; returns its path
 * (static buffer). */
static const char *script(const char *rel, const char *body)
{
	static char path[128];
	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "#!/bin/sh\n%s\n", body);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(path, 0755), 0);
	return path;
}

static void mkdir_mode(const char *rel, mode_t mode)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	ck_assert_int_eq(chmod(path, mode), 0);
}

/* One MISC_CHECK on a real server of weight 7, with global_defs body. */
struct misc_fixture {
	struct config *cfg;
	const struct virtual_server *vs;
	const struct real_server *rs;
	const struct checker *c;
};

static struct misc_fixture load(const char *global, const char *misc_body)
{
	static const char fmt[] =
		"global_defs {\n%s\n}\n"
		"virtual_server 10.0.0.1 80 {\n protocol TCP\n"
		" real_server 10.0.0.2 80 {\n  weight 7\n  MISC_CHECK {\n%s\n  }\n }\n}\n";
	char text[2048];
	struct misc_fixture f;
	ck_assert_int_lt(snprintf(text, sizeof(text), fmt, global, misc_body), (int)sizeof(text));
	f.cfg = parse_ok(text, NULL);
	f.vs = (const struct virtual_server *)(const void *)f.cfg->virtual_servers.first;
	f.rs = (const struct real_server *)(const void *)f.vs->real_servers.first;
	f.c = (const struct checker *)(const void *)f.rs->checkers.first;
	ck_assert_int_eq(f.c->kind, CHECK_MISC);
	return f;
}

/* Set up t for a MISC_CHECK whose body is misc_body; init must succeed. */
static struct misc_fixture start_probe(struct probetest *t, const char *global,
				       const char *misc_body, uint64_t timeout_us)
{
	char err[512];
	struct misc_fixture f = load(global, misc_body);
	int rc = probetest_init_cfg(t, &probe_misc_ops, f.c, f.cfg, f.rs, f.vs, timeout_us, err,
				    sizeof(err));
	ck_assert_msg(rc == 0, "init refused <%s>: %s", misc_body, err);
	return f;
}

/* init must refuse, with an error containing want. */
static void expect_refused(const char *global, const char *misc_body, const char *want)
{
	struct probetest t;
	char err[512];
	struct misc_fixture f = load(global, misc_body);
	int rc = probetest_init_cfg(&t, &probe_misc_ops, f.c, f.cfg, f.rs, f.vs, 1000 * MS, err,
				    sizeof(err));
	ck_assert_msg(rc == -1, "init accepted <%s>, want <%s>", misc_body, want);
	ck_assert_msg(strstr(err, want), "init error <%s> lacks <%s>", err, want);
	conf_unref(f.cfg);
}

/* One attempt of a MISC_CHECK with this body; returns the result. */
static struct probe_result attempt(const char *global, const char *misc_body)
{
	struct probetest t;
	struct misc_fixture f = start_probe(&t, global, misc_body, 5000 * MS);
	struct probe_result r = *probetest_attempt(&t);
	probetest_fini_wait(&t, 2000);
	conf_unref(f.cfg);
	return r;
}

static void expect_in(const char *global, const char *misc_body, enum probe_status st,
		      int32_t weight, const char *detail)
{
	struct probe_result r = attempt(global, misc_body);
	ck_assert_msg(r.status == st && r.weight == weight,
		      "<%s>: status %s weight %d (%s), want %s weight %d", misc_body,
		      probe_status_str(r.status), (int)r.weight, r.detail, probe_status_str(st),
		      (int)weight);
	if (detail)
		ck_assert_msg(strstr(r.detail, detail), "<%s>: detail <%s> lacks <%s>", misc_body,
			      r.detail, detail);
}

static void expect(const char *misc_body, enum probe_status st, int32_t weight,
		   const char *detail)
{
	expect_in("", misc_body, st, weight, detail);
}

/* ---- verdicts ------------------------------------------------------------------ */

START_TEST(exit_codes)
{
	expect("misc_path /bin/true", PROBE_OK, -1, NULL);
	expect("misc_path /bin/false", PROBE_SCRIPT_FAILED, -1, "exited with status 1");
	expect("misc_path \"sh -c 'exit 3'\"", PROBE_SCRIPT_FAILED, -1, "exited with status 3");
	expect("misc_path \"exit 255\"", PROBE_SCRIPT_FAILED, -1, "exited with status 255");
	/* Arguments reach the program as words, quotes taken off. */
	const char *s = script("args.sh", "[ \"$#\" = 2 ] && [ \"$1\" = 'a b' ] && [ \"$2\" = c ]");
	char body[256];
	snprintf(body, sizeof(body), "misc_path \"%s 'a b' c\"", s);
	expect(body, PROBE_OK, -1, NULL);
	snprintf(body, sizeof(body), "misc_path \"%s a b c\"", s);
	expect(body, PROBE_SCRIPT_FAILED, -1, "exited with status 1");

	/* Attempts repeat on one probe. */
	struct probetest t;
	struct misc_fixture f = start_probe(&t, "", "misc_path /bin/true", 2000 * MS);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(probetest_attempt(&t)->status, PROBE_OK);
	probetest_fini_wait(&t, 2000);
	conf_unref(f.cfg);
}
END_TEST

START_TEST(dynamic)
{
	expect("misc_path /bin/true\n misc_dynamic", PROBE_OK, -1, NULL);
	expect("misc_path /bin/false\n misc_dynamic", PROBE_SCRIPT_FAILED, -1,
	       "exited with status 1");
	expect("misc_path \"exit 2\"\n misc_dynamic", PROBE_OK, 0, NULL);
	expect("misc_path \"exit 3\"\n misc_dynamic", PROBE_OK, 1, NULL);
	expect("misc_path \"exit 12\"\n misc_dynamic", PROBE_OK, 10, NULL);
	expect("misc_path \"exit 255\"\n misc_dynamic", PROBE_OK, 253, NULL);
	/* Without misc_dynamic the same codes are failures. */
	expect("misc_path \"exit 12\"", PROBE_SCRIPT_FAILED, -1, "exited with status 12");
}
END_TEST

START_TEST(signalled_and_missing)
{
	char body[256];
	const char *s = script("suicide.sh", "kill -9 $$");
	snprintf(body, sizeof(body), "misc_path %s", s);
	expect(body, PROBE_SCRIPT_FAILED, -1, "due to signal 9");

	/* A program that is not there, or not executable, when the checker
	 * starts leaves the checker out, in keepalived's words (issue 16). */
	snprintf(body, sizeof(body), "misc_path %s/no-such-program", tmp);
	expect_refused("", body, "Disabling misc script");
	expect_refused("", body, "since not found/accessible");
	expect_refused("", "misc_path vigil-no-such-program-in-path",
		       "Disabling misc script vigil-no-such-program-in-path since not "
		       "found/accessible");
	snprintf(body, sizeof(body), "misc_path \"%s/no-such-program arg; true\"", tmp);
	expect_refused("", body, "since not found/accessible");
	s = script("noexec.sh", "exit 0");
	ck_assert_int_eq(chmod(s, 0644), 0);
	snprintf(body, sizeof(body), "misc_path %s", s);
	expect_refused("", body, "since not found/accessible");

	/* One that goes away after the start fails when it should run. */
	s = script("gone.sh", "exit 0");
	snprintf(body, sizeof(body), "misc_path %s", s);
	struct probetest t;
	struct misc_fixture f = start_probe(&t, "", body, 5000 * MS);
	ck_assert_int_eq(unlink(s), 0);
	const struct probe_result *r = probetest_attempt(&t);
	ck_assert_int_eq(r->status, PROBE_SCRIPT_FAILED);
	ck_assert_msg(strstr(r->detail, "No such file or directory"), "%s", r->detail);
	probetest_fini_wait(&t, 2000);
	conf_unref(f.cfg);
}
END_TEST

/* ---- timeouts and cancellation -------------------------------------------------- */

START_TEST(timeout_kills_group)
{
	char body[256], text[512];
	/* Both the script and its background child ignore SIGTERM: only the
	 * SIGKILL to the group after the grace ends them. */
	snprintf(text, sizeof(text),
		 "trap '' TERM\necho $$ > %s/hang.pid\nsleep 30 &\necho $! > %s/hang-child.pid\n"
		 "wait", tmp, tmp);
	snprintf(body, sizeof(body), "misc_path %s", script("hang.sh", text));

	struct probetest t;
	struct misc_fixture f = start_probe(&t, "", body, 300 * MS);
	uint64_t t0 = uv_hrtime();
	const struct probe_result *r = probetest_attempt(&t);
	uint64_t ms = (uv_hrtime() - t0) / 1000000;
	ck_assert_msg(r->status == PROBE_SCRIPT_TIMEOUT, "status %s (%s)",
		      probe_status_str(r->status), r->detail);
	ck_assert_msg(strstr(r->detail, "timed out"), "detail <%s>", r->detail);
	ck_assert_msg(ms >= 290 && ms < 1300, "ended after %llu ms", (unsigned long long)ms);

	pid_t sh = read_pid("hang.pid"), child = read_pid("hang-child.pid");
	ck_assert_int_gt(sh, 1);
	ck_assert_int_gt(child, 1);
	ck_assert_msg(!process_running(sh), "the script %d still runs", (int)sh);
	for (int i = 0; i < 100 && process_running(child); i++)
		usleep(10000);
	ck_assert_msg(!process_running(child), "its child %d still runs", (int)child);
	probetest_fini_wait(&t, 2000);
	conf_unref(f.cfg);

	/* A plain sleeper dies of the SIGTERM, at the timeout. */
	f = start_probe(&t, "", "misc_path \"sleep 30\"", 200 * MS);
	t0 = uv_hrtime();
	ck_assert_int_eq(probetest_attempt(&t)->status, PROBE_SCRIPT_TIMEOUT);
	ms = (uv_hrtime() - t0) / 1000000;
	ck_assert_msg(ms >= 190 && ms < 1200, "ended after %llu ms", (unsigned long long)ms);
	probetest_fini_wait(&t, 2000);
	conf_unref(f.cfg);
}
END_TEST

START_TEST(cancel_running)
{
	char body[256], text[512];
	snprintf(text, sizeof(text),
		 "echo $$ > %s/cancel.pid\nsleep 30 &\necho $! > %s/cancel-child.pid\nwait", tmp,
		 tmp);
	snprintf(body, sizeof(body), "misc_path %s", script("cancel.sh", text));

	struct probetest t;
	struct misc_fixture f = start_probe(&t, "", body, 20000 * MS);
	probetest_cancel_after_wait(&t, 300, 3000);
	pid_t sh = read_pid("cancel.pid"), child = read_pid("cancel-child.pid");
	ck_assert_int_gt(sh, 1);
	ck_assert_int_gt(child, 1);
	ck_assert_msg(!process_running(sh), "the script %d still runs", (int)sh);
	for (int i = 0; i < 100 && process_running(child); i++)
		usleep(10000);
	ck_assert_msg(!process_running(child), "its child %d still runs", (int)child);

	/* A cancel when idle is harmless. */
	probe_misc_ops.cancel(t.p);
	ck_assert_int_eq(t.calls, 0);
	probetest_fini_wait(&t, 3000);
	conf_unref(f.cfg);

	/* fini in the middle of a run: the script goes, no result comes. */
	f = start_probe(&t, "", body, 20000 * MS);
	probe_misc_ops.start(t.p);
	pid_t sh2 = 0;
	for (int i = 0; i < 200 && ((sh2 = read_pid("cancel.pid")) <= 1 || sh2 == sh); i++) {
		uv_run(&t.loop, UV_RUN_NOWAIT);
		usleep(10000);
	}
	ck_assert_msg(sh2 > 1 && sh2 != sh, "the second run did not start");
	sh = sh2;
	probetest_fini_wait(&t, 3000);
	ck_assert_int_eq(t.calls, 0);
	ck_assert_msg(!process_running(sh), "the script %d still runs", (int)sh);
	conf_unref(f.cfg);
}
END_TEST

/* ---- users and security -------------------------------------------------------------- */

START_TEST(users)
{
	/* getpwnam() answers in one static buffer: copy before the next. */
	struct passwd *pw = getpwnam("nobody");
	bool have_nobody = pw != NULL;
	unsigned u = pw ? (unsigned)pw->pw_uid : 0, g = pw ? (unsigned)pw->pw_gid : 0;
	char body[512], who[256];
	const char *s = script("whoami.sh", "[ \"$(id -u)\" = \"$1\" ] && [ \"$(id -g)\" = \"$2\" ]");

	/* Nobody named: keepalived_script if it exists, else root. */
	struct passwd *ks = getpwnam("keepalived_script");
	snprintf(body, sizeof(body), "misc_path \"%s %u %u\"", s, ks ? (unsigned)ks->pw_uid : 0u,
		 ks ? (unsigned)ks->pw_gid : 0u);
	if (geteuid() == 0 || ks)
		expect(body, PROBE_OK, -1, NULL);

	/* Not root: main() leaves script_security out and reports the whole
	 * binary as skipped, so checking only the refusals here is visible. */
	if (geteuid() == 0) {
		ck_assert_msg(have_nobody, "root but no user 'nobody' to run a script as");
		struct group *nogroup = getgrgid(g);
		snprintf(who, sizeof(who), "%s %u %u", s, u, g);
		/* The checker's user, with its primary group. */
		snprintf(body, sizeof(body), "misc_path \"%s\"\n user nobody", who);
		expect_in("", body, PROBE_OK, -1, NULL);
		/* global_defs script_user when the checker names none. */
		snprintf(body, sizeof(body), "misc_path \"%s\"", who);
		expect_in("script_user nobody", body, PROBE_OK, -1, NULL);
		/* The checker's user wins over script_user. */
		snprintf(body, sizeof(body), "misc_path \"%s 0 0\"\n user root", s);
		expect_in("script_user nobody", body, PROBE_OK, -1, NULL);
		/* A group given by name. */
		snprintf(body, sizeof(body), "misc_path \"%s %u 0\"\n user nobody root", s, u);
		expect_in("", body, PROBE_OK, -1, NULL);
		if (nogroup) {
			snprintf(body, sizeof(body), "misc_path \"%s\"\n user nobody %s", who,
				 nogroup->gr_name);
			expect_in("", body, PROBE_OK, -1, NULL);
		}
		/* And the check really compares. */
		snprintf(body, sizeof(body), "misc_path \"%s 0 0\"\n user nobody", s);
		expect_in("", body, PROBE_SCRIPT_FAILED, -1, NULL);
	}

	expect_refused("", "misc_path /bin/true\n user vigil_no_such_user",
		       "user 'vigil_no_such_user' does not exist");
	expect_refused("", "misc_path /bin/true\n user root vigil_no_such_group",
		       "group 'vigil_no_such_group' does not exist");
	expect_refused("script_user vigil_no_such_user", "misc_path /bin/true",
		       "user 'vigil_no_such_user' does not exist");
}
END_TEST

START_TEST(script_security)
{
	/* Registered only when root (see main()): a case that returned early
	 * here would read as a pass. */
	char body[256];
	static const char sec[] = "enable_script_security\n script_user root";
	mkdir_mode("ww", 0777);                        /* anyone may replace what is in it */
	char rel[64];
	snprintf(rel, sizeof(rel), "ww/s.sh");
	const char *s = script(rel, "exit 0");

	snprintf(body, sizeof(body), "misc_path %s", s);
	expect_refused(sec, body, "SECURITY VIOLATION");
	expect_refused(sec, body, "/ww is writable by everyone");
	/* Shell syntax run as root is refused whatever it names: the shell
	 * would run programs no check has seen (issue 15, hole 2). */
	snprintf(body, sizeof(body), "misc_path \"%s; true\"", s);
	expect_refused(sec, body, "uses shell syntax (';')");
	/* Without the option it runs. */
	snprintf(body, sizeof(body), "misc_path %s", s);
	expect_in("script_user root", body, PROBE_OK, -1, NULL);
	/* As another user, nothing to protect: it runs. */
	if (getpwnam("nobody")) {
		snprintf(body, sizeof(body), "misc_path %s\n user nobody", s);
		expect_in(sec, body, PROBE_OK, -1, NULL);
	}
	/* Made safe, it runs as root. */
	char dir[128];
	snprintf(dir, sizeof(dir), "%s/ww", tmp);
	ck_assert_int_eq(chmod(dir, 0755), 0);
	snprintf(body, sizeof(body), "misc_path %s", s);
	expect_in(sec, body, PROBE_OK, -1, NULL);
	/* The attack: a safe program first, then one anyone may plant, by
	 * every shell operator. Refused before anything runs. */
	mkdir_mode("pub", 0777);
	char okp[128], evil[128];
	snprintf(okp, sizeof(okp), "%s", s);
	snprintf(evil, sizeof(evil), "%s", script("pub/evil.sh", "touch \"$0.ran\""));
	static const char *const forms[][2] = {
		{ "%s; %s", ";" }, { "%s && %s", "&" }, { "%s | %s", "|" },
		{ "%s `%s`", "`" }, { "%s $(%s)", "$" },
	};
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		char cmd[200], want[64];
		snprintf(cmd, sizeof(cmd), forms[i][0], okp, evil);
		snprintf(body, sizeof(body), "misc_path \"%s\"", cmd);
		snprintf(want, sizeof(want), "uses shell syntax ('%s')", forms[i][1]);
		expect_refused(sec, body, want);
	}
	char ran[160];
	snprintf(ran, sizeof(ran), "%s.ran", evil);
	ck_assert_msg(access(ran, F_OK) != 0, "the planted script ran as root");
	/* As another user the shell is harmless to root: it runs. */
	if (getpwnam("nobody")) {
		snprintf(body, sizeof(body), "misc_path \"%s; true\"\n user nobody", okp);
		expect_in(sec, body, PROBE_OK, -1, NULL);
	}
	/* A program that is not there is refused up front. */
	snprintf(body, sizeof(body), "misc_path %s/ww/missing.sh", tmp);
	expect_refused(sec, body, "since not found/accessible");
}
END_TEST

START_TEST(formats)
{
	ck_assert_str_eq(probe_misc_ops.keyword, "MISC_CHECK");
	ck_assert_str_eq(probe_misc_ops.up_fmt, "Misc check for [%s] succeeded.");
	ck_assert_str_eq(probe_misc_ops.down_fmt, "Misc check for [%s] failed.");
	ck_assert_str_eq(probe_misc_ops.down_retries_fmt,
			 "Misc check for [%s] failed after %u retries.");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("check_misc");
	TCase *tc = tcase_create("misc");
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, exit_codes);
	tcase_add_test(tc, dynamic);
	tcase_add_test(tc, signalled_and_missing);
	tcase_add_test(tc, timeout_kills_group);
	tcase_add_test(tc, cancel_running);
	tcase_add_test(tc, users);
	/* Running scripts as other users, and the security checks that
	 * only matter for root, need root: without it those parts are left
	 * out and the binary exits 77 (SKIP), which CI=true fails. */
	bool root = geteuid() == 0;
	if (root)
		tcase_add_test(tc, script_security);
	tcase_add_test(tc, formats);
	suite_add_tcase(s, tc);
	return run_suite_or_skip(s, root ? NULL : "not root: script_security and the "
				 "run-as-user cases of users were left out");
}
