/* test_check_file.c - FILE_CHECK's probe: a track_file's value judged with
 * weight 0, weights, reverse and dynamic, as keepalived 2.2.7 judges it;
 * missing, empty and malformed files; the checks init makes; and the
 * inotify watch that wakes the engine when the file changes.
 *
 * The value file lives in a temporary directory that an unchecked fixture
 * (run by the test runner itself, so also after a failed test) removes. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probetest.h"
#include "testutil.h"

static char tmp[64];
static char value_path[128];

static void setup(void)
{
	snprintf(tmp, sizeof(tmp), "/tmp/vigil-file-XXXXXX");
	if (!mkdtemp(tmp)) {
		perror("vigil-file temp dir");
		abort();
	}
	snprintf(value_path, sizeof(value_path), "%s/value", tmp);
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmp);
}

/* The file holds text exactly; NULL: no file. */
static void set_value(const char *text)
{
	unlink(value_path);
	if (!text)
		return;
	FILE *f = fopen(value_path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* track_file tf { file <value_path> <tf_body> } and one FILE_CHECK
 * { track_file tf <fc_body> } on a real server of weight 10. */
struct file_fixture {
	struct config *cfg;
	struct probetest t;
};

static void load(struct file_fixture *f, const char *tf_body, const char *fc_body)
{
	static const char fmt[] =
		"track_file tf {\n file \"%s\"\n %s\n}\n"
		"virtual_server 10.0.0.1 80 {\n protocol TCP\n"
		" real_server 10.0.0.2 80 {\n  weight 10\n"
		"  FILE_CHECK {\n   track_file tf\n   %s\n  }\n }\n}\n";
	char text[1024], err[256];
	ck_assert_int_lt(snprintf(text, sizeof(text), fmt, value_path, tf_body, fc_body),
			 (int)sizeof(text));
	f->cfg = parse_ok(text, NULL);
	const struct virtual_server *vs = (const void *)f->cfg->virtual_servers.first;
	const struct real_server *rs = (const void *)vs->real_servers.first;
	const struct checker *c = (const void *)rs->checkers.first;
	ck_assert_int_eq(c->kind, CHECK_FILE);
	int rc = probetest_init_cfg(&f->t, &probe_file_ops, c, f->cfg, rs, vs, 1000000, err,
				    sizeof(err));
	ck_assert_msg(rc == 0, "init refused: %s", err);
}

static void unload(struct file_fixture *f)
{
	probetest_fini_wait(&f->t, 1000);   /* an inotify watch closes on the loop */
	conf_unref(f->cfg);
}

/* With the file holding text: status st and weight w. */
static void expect(struct file_fixture *f, const char *text, enum probe_status st, int32_t w)
{
	set_value(text);
	const struct probe_result *r = probetest_attempt(&f->t);
	ck_assert_msg(r->status == st && r->weight == w,
		      "file <%s>: %s weight %d (%s), want %s weight %d", text ? text : "(none)",
		      probe_status_str(r->status), (int)r->weight, r->detail,
		      probe_status_str(st), (int)w);
	if (st != PROBE_OK)
		ck_assert_msg(strstr(r->detail, "track_file tf"), "detail <%s>", r->detail);
}

START_TEST(weight_zero)
{
	struct file_fixture f;
	/* weight 0: any non-zero value is a failure. */
	load(&f, "weight 0", "");
	expect(&f, "0\n", PROBE_OK, -1);
	expect(&f, "1\n", PROBE_FILE_DOWN, -1);
	expect(&f, "-7", PROBE_FILE_DOWN, -1);
	expect(&f, "0", PROBE_OK, -1);
	expect(&f, NULL, PROBE_OK, -1);           /* missing: 0 */
	expect(&f, "", PROBE_OK, -1);             /* empty: 0 */
	expect(&f, "up\n", PROBE_OK, -1);         /* not a number: 0 */
	unload(&f);

	/* weight 0 reverse: zero is the failure. */
	load(&f, "weight 0 reverse", "");
	expect(&f, "0\n", PROBE_FILE_DOWN, -1);
	expect(&f, "3\n", PROBE_OK, -1);
	expect(&f, NULL, PROBE_FILE_DOWN, -1);
	ck_assert_msg(strstr(f.t.r.detail, "No such file"), "detail <%s>", f.t.r.detail);
	unload(&f);
}
END_TEST

START_TEST(weighted)
{
	struct file_fixture f;
	/* The default weight 1: up unless value x weight saturates at the
	 * fault value; without dynamic the LVS weight is left alone. */
	load(&f, "", "");
	expect(&f, "0", PROBE_OK, -1);
	expect(&f, "5", PROBE_OK, -1);
	expect(&f, "-254", PROBE_OK, -1);
	expect(&f, "-2147483647", PROBE_OK, -1);
	expect(&f, "-2147483648", PROBE_FILE_DOWN, -1);
	expect(&f, "2147483648", PROBE_OK, -1);   /* keepalived's upper bound */
	unload(&f);

	/* The FILE_CHECK's weight wins over the track_file's, reverse too. */
	load(&f, "weight 0 reverse", "weight 2");
	expect(&f, "0", PROBE_OK, -1);
	expect(&f, "3", PROBE_OK, -1);
	expect(&f, "-1073741823", PROBE_OK, -1);
	expect(&f, "-1073741824", PROBE_FILE_DOWN, -1);   /* x 2 = INT32_MIN */
	unload(&f);

	load(&f, "weight 3", "weight 2 reverse");
	expect(&f, "1073741824", PROBE_FILE_DOWN, -1);    /* x -2 = INT32_MIN */
	expect(&f, "-5", PROBE_OK, -1);
	unload(&f);

	/* Inherited from the track_file: number and reverse. */
	load(&f, "weight 1 reverse", "");
	expect(&f, "2147483648", PROBE_FILE_DOWN, -1);
	expect(&f, "-2147483648", PROBE_OK, -1);
	unload(&f);
}
END_TEST

START_TEST(dynamic)
{
	struct file_fixture f;
	/* Real server weight 10 plus value x weight, within 0..INT32_MAX. */
	load(&f, "", "dynamic");
	expect(&f, "0", PROBE_OK, 10);
	expect(&f, "5\n", PROBE_OK, 15);
	expect(&f, "-3", PROBE_OK, 7);
	expect(&f, "-20", PROBE_OK, 0);
	expect(&f, "0x10", PROBE_OK, 26);          /* strtol base 0, as keepalived */
	expect(&f, "010", PROBE_OK, 18);
	expect(&f, "  7 apples\n", PROBE_OK, 17);
	expect(&f, "2147483647", PROBE_OK, 2147483647);
	expect(&f, NULL, PROBE_OK, 10);
	/* Out of range: ignored, the last good value stays. */
	expect(&f, "4", PROBE_OK, 14);
	expect(&f, "99999999999", PROBE_OK, 14);
	expect(&f, "-99999999999999999999999", PROBE_OK, 14);
	expect(&f, "-2147483648", PROBE_FILE_DOWN, -1);
	unload(&f);

	load(&f, "weight 5", "weight -3 reverse\n dynamic");
	expect(&f, "2", PROBE_OK, 16);              /* 10 + 2 x -3 x -1 */
	expect(&f, "-4", PROBE_OK, 0);              /* 10 - 12, at least 0 */
	unload(&f);

	/* weight 0 has no weight to give. */
	load(&f, "weight 0", "dynamic");
	expect(&f, "0", PROBE_OK, -1);
	expect(&f, "2", PROBE_FILE_DOWN, -1);
	unload(&f);
}
END_TEST

START_TEST(init_checks)
{
	struct probetest t;
	char err[256];
	struct file_check fc;

	memset(&fc, 0, sizeof(fc));
	fc.c.kind = CHECK_FILE;
	fc.track_file = "nope";
	fc.weight.value = CHECK_INHERIT_WEIGHT;
	/* No configuration, or no such track_file: refused. */
	ck_assert_int_eq(probetest_init_cfg(&t, &probe_file_ops, &fc.c, NULL, NULL, NULL, 1000000,
					    err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "no track_file block named 'nope'"), "err <%s>", err);
	char text[256];
	snprintf(text, sizeof(text), "track_file other {\n file \"%s/other\"\n}\n", tmp);
	struct config *cfg = parse_ok(text, NULL);
	ck_assert_int_eq(probetest_init_cfg(&t, &probe_file_ops, &fc.c, cfg, NULL, NULL, 1000000,
					    err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "'nope'"), "err <%s>", err);

	/* Found by name; without a real server a dynamic weight starts at 0. */
	fc.track_file = "other";
	fc.dynamic = true;
	ck_assert_int_eq(probetest_init_cfg(&t, &probe_file_ops, &fc.c, cfg, NULL, NULL, 1000000,
					    err, sizeof(err)), 0);
	ck_assert_int_eq(probetest_attempt(&t)->status, PROBE_OK);   /* missing: 0 */
	ck_assert_int_eq(t.r.weight, 0);
	/* Cancel has nothing to stop. */
	probe_file_ops.cancel(t.p);
	probetest_fini(&t);
	conf_unref(cfg);
}
END_TEST

static int wakes;

static void count_wake(struct probe *p)
{
	(void)p;
	wakes++;
}

static void write_file(const char *path, const char *text)
{
	FILE *w = fopen(path, "w");
	ck_assert_ptr_nonnull(w);
	fputs(text, w);
	ck_assert_int_eq(fclose(w), 0);
}

/* The engine is woken when the file changes, however it changes, and not
 * for other files of its folder; the next attempt reads the new value. */
START_TEST(a_change_wakes_the_engine)
{
	struct file_fixture f;
	char path[192];

	load(&f, "weight 0", "");
	f.t.p->wake = count_wake;
	wakes = 0;
	expect(&f, "0", PROBE_OK, -1);   /* the first attempt starts the watch */

	snprintf(path, sizeof(path), "%s/other", tmp);
	write_file(path, "1");
	ck_assert_int_eq(probetest_run_until(&f.t, &wakes, 1, 300), 0);

	write_file(value_path, "1");   /* written in place */
	ck_assert_int_ge(probetest_run_until(&f.t, &wakes, 1, 5000), 1);
	ck_assert_int_eq(probetest_attempt(&f.t)->status, PROBE_FILE_DOWN);

	wakes = 0;
	snprintf(path, sizeof(path), "%s/value.new", tmp);
	write_file(path, "0");
	ck_assert_int_eq(probetest_run_until(&f.t, &wakes, 1, 300), 0);
	ck_assert_int_eq(rename(path, value_path), 0);   /* replaced */
	ck_assert_int_ge(probetest_run_until(&f.t, &wakes, 1, 5000), 1);
	ck_assert_int_eq(probetest_attempt(&f.t)->status, PROBE_OK);

	wakes = 0;
	ck_assert_int_eq(unlink(value_path), 0);   /* removed */
	ck_assert_int_ge(probetest_run_until(&f.t, &wakes, 1, 5000), 1);
	unload(&f);
}
END_TEST

/* A file in a folder that does not exist: no watch, and the file is
 * still read at every attempt. */
START_TEST(missing_folder_is_polled)
{
	struct file_fixture f;
	char saved[128];

	memcpy(saved, value_path, sizeof(saved));
	snprintf(value_path, sizeof(value_path), "%s/no/such/folder/value", tmp);
	load(&f, "weight 0", "");
	f.t.p->wake = count_wake;
	ck_assert_int_eq(probetest_attempt(&f.t)->status, PROBE_OK);   /* missing: 0 */
	unload(&f);
	memcpy(value_path, saved, sizeof(saved));
}
END_TEST

START_TEST(formats)
{
	ck_assert_str_eq(probe_file_ops.keyword, "FILE_CHECK");
	ck_assert_str_eq(probe_file_ops.up_fmt, "(%s): tracked file leaving FAULT state");
	ck_assert_str_eq(probe_file_ops.down_fmt, "(%s): tracked file now FAULT state");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("check_file");
	TCase *tc = tcase_create("file");
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, weight_zero);
	tcase_add_test(tc, weighted);
	tcase_add_test(tc, dynamic);
	tcase_add_test(tc, init_checks);
	tcase_add_test(tc, formats);
	tcase_add_test(tc, a_change_wakes_the_engine);
	tcase_add_test(tc, missing_folder_is_polled);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
