/* test_script_keywords.c - every keyword that names a script goes through
 * enable_script_security (issue 15, hole 1).
 *
 * The keywords are not listed by hand: the test walks the keyword tables
 * from the root block down and takes every keyword whose value type holds
 * a script (vt_cmd, vt_notify, vt_notify_deleted, vt_lvs_script,
 * vt_run_as). A script keyword added later is found the same way, and
 * fails here until its block has a template below and the configuration
 * check (conf/scripts.c, which asks the same script_command_is_secure()
 * as the runners) refuses it.
 *
 * For each keyword a configuration with enable_script_security names a
 * script in a directory anyone may write: the check must report a
 * SECURITY VIOLATION naming it. The same configuration with a root-owned
 * program must not (so the warning comes from the script, not the block).
 * A shell command (hole 2) is refused for each keyword too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scripts.h"
#include "tab.h"
#include "testutil.h"

/* Paths that are FIFOs vigil creates, not programs it runs. */
static const char *const not_scripts[] = {
	"notify_fifo", "vrrp_notify_fifo", "lvs_notify_fifo", NULL
};

static bool is_script_type(const struct vtype *t)
{
	return t == &vt_cmd || t == &vt_notify || t == &vt_notify_deleted ||
	       t == &vt_lvs_script || t == &vt_run_as;
}

static bool listed(const char *const *v, const char *s)
{
	for (; *v; v++)
		if (!strcmp(*v, s))
			return true;
	return false;
}

struct found {
	const char *block, *kw;
};
static struct found found[128];
static size_t nfound;
static size_t nexempt;

static void walk(const struct block_desc *b, int depth)
{
	ck_assert_int_lt(depth, 10);
	for (const struct kw *k = b->kws; k && k->name; k++) {
		if (k->type->kind != VT_VALUE) {
			if (k->aux)
				walk(k->aux, depth + 1);
			continue;
		}
		if (!is_script_type(k->type))
			continue;
		if (listed(not_scripts, k->name)) {
			nexempt++;
			continue;
		}
		bool dup = false;
		for (size_t i = 0; i < nfound; i++)
			dup |= !strcmp(found[i].block, b->name) && !strcmp(found[i].kw, k->name);
		if (dup)
			continue;
		ck_assert_uint_lt(nfound, sizeof(found) / sizeof(found[0]));
		found[nfound++] = (struct found){ b->name, k->name };
	}
}

#define G "global_defs {\n enable_script_security\n script_user root\n}\n"
#define VI "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n priority 100\n" \
	" virtual_ipaddress {\n  10.9.9.9\n }\n"

/* Where a keyword of each block goes: %s is the keyword line. */
static const struct {
	const char *block, *fmt;
} templates[] = {
	{ "global_defs", "global_defs {\n enable_script_security\n script_user root\n%s\n}\n" },
	{ "vrrp_script", G "vrrp_script chk {\n%s\n}\n" VI " track_script {\n  chk\n }\n}\n" },
	{ "vrrp_instance", G VI "%s\n}\n" },
	{ "vrrp_sync_group", G VI "}\nvrrp_sync_group SG {\n group {\n  VI_1\n }\n%s\n}\n" },
	{ "virtual_server", G "virtual_server 10.0.0.1 80 {\n protocol TCP\n%s\n"
			    " real_server 10.0.0.2 80 {\n }\n}\n" },
	{ "real_server", G "virtual_server 10.0.0.1 80 {\n protocol TCP\n"
			 " real_server 10.0.0.2 80 {\n%s\n }\n}\n" },
	{ "MISC_CHECK", G "virtual_server 10.0.0.1 80 {\n protocol TCP\n"
			" real_server 10.0.0.2 80 {\n  MISC_CHECK {\n%s\n  }\n }\n}\n" },
};

static char tmp[64];
static char bad[128];     /* in a directory anyone may write */

static void setup(void)
{
	char p[128];
	snprintf(tmp, sizeof(tmp), "/tmp/vigil-kwsec-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmp));
	ck_assert_int_eq(chmod(tmp, 0755), 0);
	snprintf(p, sizeof(p), "%s/pub", tmp);
	ck_assert_int_eq(mkdir(p, 0777), 0);
	ck_assert_int_eq(chmod(p, 0777), 0);
	snprintf(bad, sizeof(bad), "%s/pub/evil.sh", tmp);
	FILE *f = fopen(bad, "w");
	ck_assert_ptr_nonnull(f);
	fputs("#!/bin/sh\ntouch /tmp/owned\n", f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(bad, 0755), 0);
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	if (tmp[0] && system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmp);
}

/* The configuration check of the block's template with "kw script". */
static struct diags check(const char *block, const char *kw, const char *script)
{
	const char *fmt = NULL;
	for (size_t i = 0; i < sizeof(templates) / sizeof(templates[0]); i++)
		if (!strcmp(templates[i].block, block))
			fmt = templates[i].fmt;
	ck_assert_msg(fmt, "script keyword %s in block %s: no template here; add one, and make "
		      "conf_check_scripts() and the runner check it", kw, block);
	char line[512], text[2048];
	snprintf(line, sizeof(line), "%s \"%s\"", kw, script);
	snprintf(text, sizeof(text), fmt, line);

	struct diags d;
	diags_init(&d);
	struct conf_opts opts = { .check_scripts = true };
	struct config *cfg = conf_load_buffer("test.conf", NULL, text, strlen(text), &opts, &d);
	if (!cfg || d.nerrors) {
		diags_print(&d, stderr);
		ck_abort_msg("%s %s: the test configuration does not load:\n%s", block, kw, text);
	}
	conf_unref(cfg);
	return d;
}

START_TEST(tables_have_the_script_keywords)
{
	nfound = nexempt = 0;
	walk(&desc_root, 0);
	/* The walk reaches every kind of script: the known ones are there. */
	static const char *const known[][2] = {
		{ "vrrp_instance", "notify_master" }, { "vrrp_sync_group", "notify_fault" },
		{ "vrrp_script", "script" }, { "MISC_CHECK", "misc_path" },
		{ "real_server", "notify_up" }, { "real_server", "notify_down" },
		{ "virtual_server", "quorum_up" }, { "virtual_server", "quorum_down" },
		{ "global_defs", "notify_fifo_script" }, { "vrrp_instance", "notify_deleted" },
	};
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		bool seen = false;
		for (size_t j = 0; j < nfound; j++)
			seen |= !strcmp(found[j].block, known[i][0]) && !strcmp(found[j].kw, known[i][1]);
		ck_assert_msg(seen, "the table walk missed %s %s", known[i][0], known[i][1]);
	}
	ck_assert_uint_eq(nexempt, 3);
}
END_TEST

START_TEST(every_script_keyword_is_checked)
{
	nfound = nexempt = 0;
	walk(&desc_root, 0);
	ck_assert_uint_ge(nfound, 15);
	for (size_t i = 0; i < nfound; i++) {
		const char *b = found[i].block, *k = found[i].kw;
		char want[256];

		/* Planted: refused, named. */
		struct diags d = check(b, k, bad);
		snprintf(want, sizeof(want), "SECURITY VIOLATION - ");
		bool refused = diags_has(&d, DIAG_WARNING, want) &&
			       diags_has(&d, DIAG_WARNING, "/pub is writable by everyone");
		if (!refused)
			diags_print(&d, stderr);
		ck_assert_msg(refused, "%s %s: a script anyone may replace is not refused", b, k);
		diags_free(&d);

		/* A shell command that starts with a safe program: refused. */
		char cmd[256];
		snprintf(cmd, sizeof(cmd), "/bin/true; %s", bad);
		d = check(b, k, cmd);
		ck_assert_msg(diags_has(&d, DIAG_WARNING, "uses shell syntax (';')"),
			      "%s %s: a shell command is not refused", b, k);
		diags_free(&d);

		/* A root-owned program: no complaint. */
		d = check(b, k, "/bin/true");
		if (diags_has(&d, DIAG_WARNING, "SECURITY"))
			diags_print(&d, stderr);
		ck_assert_msg(!diags_has(&d, DIAG_WARNING, "SECURITY"),
			      "%s %s: /bin/true is refused", b, k);
		diags_free(&d);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("script_keywords");
	TCase *tc = tcase_create("keywords");
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_test(tc, tables_have_the_script_keywords);
	tcase_add_test(tc, every_script_keyword_is_checked);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
