/* testutil.c - helpers shared by the Check unit tests; see testutil.h. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef TEST_SRCDIR
#define TEST_SRCDIR "."
#endif

struct config *parse_text_id(const char *text, const char *config_id, struct diags *d)
{
	struct conf_opts o = { config_id, false };
	return conf_load_buffer("test.conf", TEST_SRCDIR "/test/conf", text, strlen(text), &o, d);
}

struct config *parse_text(const char *text, struct diags *d)
{
	return parse_text_id(text, NULL, d);
}

size_t problem_warnings(const struct diags *d)
{
	size_t n = d->nwarnings;
	for (size_t i = 0; i < d->n; i++)
		if (d->msgs[i].sev == DIAG_WARNING &&
		    strstr(d->msgs[i].text, "is accepted but has no effect in vigil: "))
			n--;
	return n;
}

struct config *parse_ok(const char *text, size_t *nwarn)
{
	struct diags d;
	diags_init(&d);
	struct config *cfg = parse_text(text, &d);
	if (!cfg || d.nerrors) {
		diags_print(&d, stderr);
		fprintf(stderr, "--- for this text:\n%s\n---\n", text);
	}
	if (nwarn)
		*nwarn = problem_warnings(&d);
	diags_free(&d);
	ck_assert_msg(cfg != NULL, "configuration should parse without error");
	return cfg;
}

bool diags_at(const struct diags *d, enum diag_sev sev, uint32_t line, uint32_t col,
	      const char *substr)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->msgs[i].sev == sev && d->msgs[i].pos.line == line &&
		    d->msgs[i].pos.col == col && strstr(d->msgs[i].text, substr))
			return true;
	return false;
}

bool diags_has(const struct diags *d, enum diag_sev sev, const char *substr)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->msgs[i].sev == sev && strstr(d->msgs[i].text, substr))
			return true;
	return false;
}

static void expect_msg(const char *text, enum diag_sev sev, const char *substr)
{
	struct diags d;
	diags_init(&d);
	struct config *cfg = parse_text(text, &d);
	bool found = diags_has(&d, sev, substr);
	if (!found) {
		fprintf(stderr, "expected %s containing '%s'; got:\n",
			sev == DIAG_ERROR ? "an error" : "a warning", substr);
		diags_print(&d, stderr);
	}
	if (sev == DIAG_ERROR)
		ck_assert_msg(cfg == NULL, "a configuration with errors must not load");
	else
		ck_assert_msg(cfg != NULL, "a warning alone must not stop the load");
	conf_unref(cfg);
	diags_free(&d);
	ck_assert_msg(found, "missing message '%s'", substr);
}

void expect_error(const char *text, const char *substr)
{
	expect_msg(text, DIAG_ERROR, substr);
}

void expect_warning(const char *text, const char *substr)
{
	expect_msg(text, DIAG_WARNING, substr);
}

char *dump_string(const struct config *cfg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	conf_dump(f, cfg);
	fclose(f);
	return buf;
}

void assert_roundtrip(const struct config *cfg)
{
	char *text = dump_string(cfg);
	struct diags d;
	diags_init(&d);
	struct config *again = parse_text(text, &d);
	bool same = again && conf_equal(cfg, again);
	if (!same) {
		fprintf(stderr, "round trip failed; dump was:\n%s\n", text);
		diags_print(&d, stderr);
		if (again) {
			char *text2 = dump_string(again);
			fprintf(stderr, "dump of the re-parsed model:\n%s\n", text2);
			free(text2);
		}
	}
	conf_unref(again);
	diags_free(&d);
	free(text);
	ck_assert_msg(same, "parse(dump(model)) must equal model");
}

int run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

int run_suite_or_skip(Suite *s, const char *skip_reason)
{
	int rc = run_suite(s);
	if (rc != EXIT_SUCCESS || !skip_reason)
		return rc;
	printf("SKIP: %s\n", skip_reason);
	return 77;
}
