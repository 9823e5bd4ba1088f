/* lex.h - keepalived configuration lexer.
 *
 * Turns files into a stream of events for the parser:
 *   LEX_STMT   a keyword and its arguments (words up to the end of the
 *              line, or up to a '{' or '}' on the same line)
 *   LEX_OPEN   '{'         LEX_CLOSE  '}'         LEX_EOF
 *
 * Handled here, so the parser never sees them: comments ('#' or '!' to the
 * end of the line, anywhere outside quotes), quoting ("..." with escapes,
 * '...' verbatim, joined to adjacent text like the shell), conditional
 * lines ('@id' / '@^id' against the config-id), parameter definitions
 * ('$NAME=value', multi-line with '\') and substitution ('$NAME', '${NAME}'),
 * and 'include' (and includer/includem/includew/includeb/includea) with
 * glob patterns resolved against the including file's folder.
 *
 * Problems go to the diags given at open time; the lexer never prints.
 */
#ifndef VIGIL_LEX_H
#define VIGIL_LEX_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

enum lex_ev { LEX_STMT, LEX_OPEN, LEX_CLOSE, LEX_EOF };

struct lex_word {
	const char *text;    /* NUL-terminated, quotes removed */
	size_t len;
	struct srcpos pos;
	bool quoted;         /* some part of it was quoted */
};

struct lex_event {
	enum lex_ev ev;
	struct srcpos pos;          /* of the first word, or of the brace */
	const struct lex_word *words;  /* LEX_STMT only; valid until next call */
	size_t nwords;
};

struct lex_opts {
	const char *config_id;      /* for '@id' lines; NULL matches nothing */
	unsigned max_include_depth; /* 0 means the default (32) */
	/* Sizes in bytes; 0 means the defaults of file.h (32 MiB a file,
	 * 128 MiB for the main file and all its includes together). */
	size_t max_file_size, max_total_size;
};

struct lexer;

/* Open the file at path. NULL (with a diag) when it cannot be read. Only
 * regular files are read, main or included (never a FIFO or a device),
 * within the size limits of lex_opts; a file someone other than root (or
 * the user running this) could write draws a warning. */
struct lexer *lex_open_file(const char *path, const struct lex_opts *opts,
			    struct diags *d);
/* Lex a buffer named name (for messages); relative includes resolve
 * against base_dir (NULL: the current directory). buf is copied. */
struct lexer *lex_open_buffer(const char *name, const char *base_dir,
			      const char *buf, size_t len,
			      const struct lex_opts *opts, struct diags *d);
void lex_next(struct lexer *lx, struct lex_event *out);
void lex_close(struct lexer *lx);

#endif
