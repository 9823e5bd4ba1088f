/* testutil.h - helpers shared by the Check unit tests. */
#ifndef VIGIL_TESTUTIL_H
#define VIGIL_TESTUTIL_H

#include <check.h>
#include <stdbool.h>
#include <stdint.h>

#include "conf.h"

/* Parse text named "test.conf" (relative includes resolve against
 * test/conf/ in the source tree). d must be diags_init()ed; the caller
 * frees both. NULL when there were errors. */
struct config *parse_text(const char *text, struct diags *d);
/* Same, with a config-id for '@id' lines. */
struct config *parse_text_id(const char *text, const char *config_id, struct diags *d);
/* Warnings other than "keyword 'X' is accepted but has no effect in
 * vigil" (issue 10): the ones that point at a problem in the text. */
size_t problem_warnings(const struct diags *d);
/* Parse text that must be valid: fails the test (printing every message)
 * otherwise. Warnings are allowed; *nwarn gets the count of
 * problem_warnings() when not NULL (a keyword without effect is not a
 * problem of the text). */
struct config *parse_ok(const char *text, size_t *nwarn);
/* Is there a message of this severity that contains substr? */
bool diags_has(const struct diags *d, enum diag_sev sev, const char *substr);
/* Is there a message of this severity at line:col that contains substr? */
bool diags_at(const struct diags *d, enum diag_sev sev, uint32_t line, uint32_t col,
	      const char *substr);
/* Parse text that must fail with an error containing substr. */
void expect_error(const char *text, const char *substr);
/* Parse text that must succeed with a warning containing substr. */
void expect_warning(const char *text, const char *substr);
/* The canonical dump as a malloc'd string. */
char *dump_string(const struct config *cfg);
/* dump, parse the dump, compare: fails the test with both texts if the
 * models differ or the dump does not parse. */
void assert_roundtrip(const struct config *cfg);
/* Run a suite and return the process exit code. */
int run_suite(Suite *s);
/* The exit code for a test binary that left out cases it cannot run here
 * (Check has no per-case skip): 1 if any case failed, else 77 with
 * "SKIP: reason" printed when skip_reason is set (automake reports the
 * binary as SKIP, and scripts/test.sh fails a skip under CI=true), else 0.
 * A case that is left out must not be registered at all: a case that
 * returns early would read as a pass. */
int run_suite_or_skip(Suite *s, const char *skip_reason);

#endif
