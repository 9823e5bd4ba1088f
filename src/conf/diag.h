/* diag.h - configuration diagnostics: every problem with its position.
 *
 * The parser never prints: it records messages here so that one run
 * reports every problem (not only the first), tests can inspect them, and
 * the caller decides where they go. Messages print as
 * "file:line:col: error: what is wrong; what to do".
 */
#ifndef VIGIL_DIAG_H
#define VIGIL_DIAG_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

/* A place in the configuration. file indexes diags.files; line 0 means
 * "no particular line" (a whole-file or command-line problem). */
struct srcpos {
	uint32_t file;
	uint32_t line;
	uint32_t col;
};

enum diag_sev { DIAG_WARNING, DIAG_ERROR };

struct diag_msg {
	enum diag_sev sev;
	struct srcpos pos;
	char *text;
};

struct diags {
	char **files;
	uint32_t nfiles;
	struct diag_msg *msgs;
	size_t n, cap;
	size_t nerrors, nwarnings;
	size_t limit;       /* messages kept per severity; the rest are only
			     * counted, so warnings never crowd out errors */
	size_t kept[2];     /* by enum diag_sev */
	size_t dropped;
};

void diags_init(struct diags *d);
void diags_free(struct diags *d);
/* Register a file name and return its index (the same name twice gets
 * the same index). */
uint32_t diags_file(struct diags *d, const char *name);
const char *diags_file_name(const struct diags *d, uint32_t file);

void diag_error(struct diags *d, struct srcpos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_warn(struct diags *d, struct srcpos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_vadd(struct diags *d, enum diag_sev sev, struct srcpos pos,
	       const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));

/* "file:line:col: " into buf. */
char *diags_where(const struct diags *d, struct srcpos pos, char *buf, size_t len);
/* Print every message, in the order found, one per line. */
void diags_print(const struct diags *d, FILE *out);

#endif
