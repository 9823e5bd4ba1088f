/* lex.c - keepalived configuration lexer; see lex.h for what it handles.
 *
 * Pipeline for one physical line:
 *   multi-line definition collection -> conditional '@id' prefix ->
 *   '$NAME=' definition -> '$NAME' substitution (which may yield several
 *   lines, each going through the conditional step again) -> include ->
 *   tokenizer, which appends WORD/OPEN/CLOSE/EOL tokens to a queue that
 *   lex_next() turns into events.
 */
#include "lex.h"

#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "file.h"

#define DEFAULT_MAX_INCLUDE_DEPTH 32
/* Bounds on parameter substitution: a definition that refers to itself
 * must end in an error, not in an endless loop or an exhausted heap; and
 * since a value that uses another twice doubles at each level, twenty
 * short lines can ask for a megabyte per use: the work of all passes of
 * all lines is bounded too, so that the cost of a file stays linear in
 * its size whatever it defines. Work is counted as the bytes a pass
 * produces plus SUBST_WORK for each substitution (a lookup costs about as
 * much as copying that many bytes); the last pass of a line, which finds
 * nothing to replace, only reads its input and is not counted. */
#define MAX_SUBST_PASSES 64
#define MAX_EXPANDED_LEN ((size_t)1 << 20)
#define MAX_EXPANSION_WORK ((size_t)128 << 20)
#define SUBST_WORK 16

struct source {
	char *name;          /* as shown in messages */
	char *real;          /* canonical path, for include loop detection */
	char *dir;           /* folder that relative includes resolve against */
	char *buf;
	size_t len, off;
	uint32_t file;       /* diags file index */
	uint32_t line;       /* current physical line, 1-based */
	char **pending;      /* remaining matches of an include from here */
	size_t npending, ipending;
	struct srcpos include_pos;  /* where the pending include was written */
};

struct def {
	char *name;
	char *value;
	size_t nlen, vlen, vcap;
};

/* A line being substituted, with the source column of every byte. */
struct expansion {
	char *s;
	uint32_t *col;
	size_t len, cap;
};

enum tok_kind { T_WORD, T_OPEN, T_CLOSE, T_EOL };

struct tok {
	enum tok_kind kind;
	struct srcpos pos;
	size_t off, len;     /* word text in scratch */
	bool quoted;
};

struct lexer {
	struct diags *d;
	char *config_id;
	unsigned max_depth;

	struct source *stack;
	size_t depth, cap;

	struct def *defs;
	size_t ndefs, capdefs;
	uint32_t *defidx;            /* hash of names: index + 1 into defs, 0 free */
	size_t ndefidx;              /* slots, a power of two */
	struct def *collecting;      /* multi-line definition being read (set
				      * only while no definition can be added) */
	size_t expand_left;          /* of MAX_EXPANSION_WORK */
	bool expand_exhausted;       /* reported; lines with parameters are dropped */
	struct expansion xa, xb;     /* the two buffers passes alternate between,
				      * kept from line to line (a megabyte line
				      * would otherwise be mapped and unmapped
				      * at each pass) */

	size_t max_file, total_max;  /* file size limits (lex_opts) */
	size_t total_left;           /* of total_max, for the next file */
	bool skipping_continuation;  /* inside a multi-line definition whose
				      * '@id' line was not selected */

	struct tok *toks;
	size_t ntoks, itoks, captoks;
	char *scratch;
	size_t scratch_len, scratch_cap;
	struct lex_word *words;
	size_t capwords;
};

/* ---- small helpers ---------------------------------------------------- */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_name_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool is_name_char(char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

static void scratch_put(struct lexer *lx, char c)
{
	if (lx->scratch_len == lx->scratch_cap) {
		lx->scratch_cap = lx->scratch_cap ? lx->scratch_cap * 2 : 256;
		lx->scratch = xrealloc(lx->scratch, lx->scratch_cap);
	}
	lx->scratch[lx->scratch_len++] = c;
}

static struct tok *tok_push(struct lexer *lx, enum tok_kind kind, struct srcpos pos)
{
	if (lx->ntoks == lx->captoks) {
		lx->captoks = lx->captoks ? lx->captoks * 2 : 32;
		lx->toks = xrealloc(lx->toks, lx->captoks * sizeof(*lx->toks));
	}
	struct tok *t = &lx->toks[lx->ntoks++];
	t->kind = kind;
	t->pos = pos;
	t->off = lx->scratch_len;
	t->len = 0;
	t->quoted = false;
	return t;
}

/* Text of one logical line, with the source column of each byte: either
 * a base column (col[i] = base + i) or an explicit map after substitution. */
struct line {
	const char *s;
	size_t len;
	uint32_t file, lineno;
	uint32_t base_col;
	const uint32_t *colmap;
};

static struct srcpos line_pos(const struct line *l, size_t i)
{
	struct srcpos p = { l->file, l->lineno, 0 };
	if (l->colmap)
		p.col = i < l->len ? l->colmap[i] : (l->len ? l->colmap[l->len - 1] + 1 : 1);
	else
		p.col = l->base_col + (uint32_t)i;
	return p;
}

/* ---- tokenizer -------------------------------------------------------- */

static unsigned hexval(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (unsigned)(c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (unsigned)(c - 'A' + 10);
	return 16;
}

/* One backslash escape inside double quotes, as keepalived.conf(5)
 * documents: \a \b \E \f \n \r \t \v, \ooo (octal), \x with two hex digits,
 * \cC (control), else \C = C.
 * Returns the index after the escape. */
static size_t read_escape(struct lexer *lx, const struct line *l, size_t i)
{
	const char *s = l->s;
	size_t n = l->len;

	if (i >= n) {
		scratch_put(lx, '\\');
		return i;
	}
	char c = s[i++];
	switch (c) {
	case 'a': scratch_put(lx, '\a'); break;
	case 'b': scratch_put(lx, '\b'); break;
	case 'E': scratch_put(lx, 27); break;
	case 'f': scratch_put(lx, '\f'); break;
	case 'n': scratch_put(lx, '\n'); break;
	case 'r': scratch_put(lx, '\r'); break;
	case 't': scratch_put(lx, '\t'); break;
	case 'v': scratch_put(lx, '\v'); break;
	case 'x': {
		unsigned v = 0, digits = 0;
		while (i < n && digits < 2 && hexval(s[i]) < 16) {
			v = v * 16 + hexval(s[i++]);
			digits++;
		}
		scratch_put(lx, digits ? (char)v : 'x');
		break;
	}
	case 'c':
		if (i < n)
			scratch_put(lx, (char)(s[i++] & 0x1f));
		else
			scratch_put(lx, 'c');
		break;
	default:
		if (c >= '0' && c <= '7') {
			unsigned v = (unsigned)(c - '0'), digits = 1;
			while (i < n && digits < 3 && s[i] >= '0' && s[i] <= '7') {
				v = v * 8 + (unsigned)(s[i++] - '0');
				digits++;
			}
			scratch_put(lx, (char)v);
		} else {
			scratch_put(lx, c);
		}
	}
	return i;
}

/* Read one word starting at i; returns the index after it and sets
 * *comment when a comment character ended it. */
static size_t read_word(struct lexer *lx, const struct line *l, size_t i,
			struct tok *t, bool *comment)
{
	const char *s = l->s;
	size_t n = l->len;

	while (i < n) {
		char c = s[i];
		if (is_space(c) || c == '{' || c == '}')
			break;
		if (c == '#' || c == '!') {
			*comment = true;
			break;
		}
		if (c == '"' || c == '\'') {
			size_t open = i++;
			t->quoted = true;
			while (i < n && s[i] != c) {
				if (c == '"' && s[i] == '\\')
					i = read_escape(lx, l, i + 1);
				else
					scratch_put(lx, s[i++]);
			}
			if (i >= n)
				diag_error(lx->d, line_pos(l, open),
					   "unterminated %s-quoted string; add the closing %c",
					   c == '"' ? "double" : "single", c);
			else
				i++;
			continue;
		}
		if (c == '$' && i + 1 < n && s[i + 1] == '{') {
			/* An undefined ${NAME} stays as written, braces and all. */
			size_t e = i + 2;
			while (e < n && is_name_char(s[e]))
				e++;
			const char *close = e < n && s[e] == '}' ? s + e : NULL;
			if (close) {
				while (s + i <= close)
					scratch_put(lx, s[i++]);
				continue;
			}
		}
		scratch_put(lx, c);
		i++;
	}
	return i;
}

static void tokenize(struct lexer *lx, const struct line *l)
{
	size_t i = 0;
	bool comment = false;

	while (i < l->len && !comment) {
		char c = l->s[i];
		if (is_space(c)) {
			i++;
		} else if (c == '#' || c == '!') {
			break;
		} else if (c == '{' || c == '}') {
			tok_push(lx, c == '{' ? T_OPEN : T_CLOSE, line_pos(l, i));
			i++;
		} else {
			struct tok *t = tok_push(lx, T_WORD, line_pos(l, i));
			size_t tidx = lx->ntoks - 1;
			i = read_word(lx, l, i, t, &comment);
			t = &lx->toks[tidx];
			t->len = lx->scratch_len - t->off;
			scratch_put(lx, '\0');
		}
	}
	tok_push(lx, T_EOL, line_pos(l, l->len));
}

/* ---- sources and includes --------------------------------------------- */

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	char *d = xmalloc((size_t)(slash - path) + 1);
	memcpy(d, path, (size_t)(slash - path));
	d[slash - path] = '\0';
	return d;
}

/* Binary garbage is reported once per file and read as blanks, so the
 * rest of the file still gets checked and nothing reads past a NUL. */
static void blank_nuls(struct lexer *lx, struct source *src)
{
	char *p = memchr(src->buf, '\0', src->len);
	if (!p)
		return;
	uint32_t line = 1;
	for (char *q = src->buf; q < p; q++)
		line += *q == '\n';
	diag_error(lx->d, (struct srcpos){ src->file, line, 1 },
		   "NUL byte in configuration: this is not a text file");
	for (; p < src->buf + src->len; p++)
		if (*p == '\0')
			*p = ' ';
}

static struct source *push_source(struct lexer *lx, char *name, char *real,
				  char *dir, char *buf, size_t len)
{
	if (lx->depth == lx->cap) {
		lx->cap = lx->cap ? lx->cap * 2 : 4;
		lx->stack = xrealloc(lx->stack, lx->cap * sizeof(*lx->stack));
	}
	struct source *src = &lx->stack[lx->depth++];
	memset(src, 0, sizeof(*src));
	src->name = name;
	src->real = real;
	src->dir = dir;
	src->buf = buf;
	src->len = len;
	src->file = diags_file(lx->d, name);
	blank_nuls(lx, src);
	return src;
}

static void free_source(struct source *src)
{
	for (size_t i = src->ipending; i < src->npending; i++)
		free(src->pending[i]);
	free(src->pending);
	free(src->name);
	free(src->real);
	free(src->dir);
	free(src->buf);
}

/* "32 MiB", or "100 bytes" for a limit a test set. */
static const char *size_text(size_t n, char *buf, size_t len)
{
	if (n && n % ((size_t)1 << 20) == 0)
		snprintf(buf, len, "%zu MiB", n >> 20);
	else
		snprintf(buf, len, "%zu bytes", n);
	return buf;
}

/* Read a file the configuration names, within the limits; at is the
 * include that names it, or a whole-file position for the main file.
 * false when it was refused (reported). Warns when someone other than
 * root could have written it. */
static bool read_config_file(struct lexer *lx, const char *path, struct srcpos at,
			     bool main_file, char **buf, size_t *len)
{
	const char *what = main_file ? "configuration" : "include file";
	size_t max = lx->max_file < lx->total_left ? lx->max_file : lx->total_left;
	struct conf_file f;
	char who[96], limit[32];

	switch (conf_file_read(path, max, &f)) {
	case CONF_READ_OK:
		break;
	case CONF_READ_ERRNO:
		if (main_file)
			diag_error(lx->d, at, "cannot read configuration: %s", strerror(f.err));
		else
			diag_error(lx->d, at, "cannot read include file %s: %s", path,
				   strerror(f.err));
		return false;
	case CONF_READ_NOT_REGULAR:
		diag_error(lx->d, at, "cannot read %s %s: it is %s, and only regular files "
			   "are read (a FIFO or a device could block vigild or never end); "
			   "name a regular file", what, path, conf_file_kind(f.st.st_mode));
		return false;
	case CONF_READ_TOO_BIG:
		if (max < lx->max_file)
			diag_error(lx->d, at, "cannot read %s %s: the configuration and its "
				   "includes would be larger than %s in all", what, path,
				   size_text(lx->total_max, limit, sizeof(limit)));
		else
			diag_error(lx->d, at, "cannot read %s %s: it is larger than %s, "
				   "the most a configuration file may be", what, path,
				   size_text(lx->max_file, limit, sizeof(limit)));
		return false;
	}
	if (conf_file_writers(f.st.st_uid, f.st.st_gid, f.st.st_mode, geteuid(),
			      getegid(), who, sizeof(who)))
		diag_warn(lx->d, at, "%s %s is %s: a local user could change what vigild "
			  "runs as root; make it owned by root and not writable by group or "
			  "others (chown root:root, chmod go-w)",
			  main_file ? "configuration file" : "included file", path, who);
	lx->total_left -= f.len;
	*buf = f.buf;
	*len = f.len;
	return true;
}

/* The chain "a -> b -> c" of files being read, for a loop message. */
static void include_chain(struct lexer *lx, const char *last, char *out, size_t len)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < lx->depth && o < len; i++)
		o += (size_t)snprintf(out + o, len - o, "%s -> ", lx->stack[i].name);
	if (o < len)
		snprintf(out + o, len - o, "%s", last);
}

/* Open the next pending match of the include written in the top source. */
static void open_next_include(struct lexer *lx)
{
	struct source *top = &lx->stack[lx->depth - 1];
	char *path = top->pending[top->ipending];
	struct srcpos at = top->include_pos;
	char *buf, *real;
	size_t len;

	top->pending[top->ipending++] = NULL;
	real = realpath(path, NULL);
	if (!real) {
		diag_error(lx->d, at, "cannot include %s: %s", path, strerror(errno));
		free(path);
		return;
	}
	for (size_t i = 0; i < lx->depth; i++) {
		if (lx->stack[i].real && strcmp(lx->stack[i].real, real) == 0) {
			char chain[2048];
			include_chain(lx, path, chain, sizeof(chain));
			diag_error(lx->d, at, "include loop: %s; remove one of these includes", chain);
			free(real);
			free(path);
			return;
		}
	}
	if (lx->depth >= lx->max_depth) {
		diag_error(lx->d, at, "includes nested deeper than %u levels at %s",
			   lx->max_depth, path);
		free(real);
		free(path);
		return;
	}
	if (!read_config_file(lx, path, at, false, &buf, &len)) {
		free(real);
		free(path);
		return;
	}
	push_source(lx, path, real, dir_of(path), buf, len);
}

static bool has_glob_chars(const char *s)
{
	return strpbrk(s, "*?[{") != NULL;
}

/* An include line: variants differ in which failures are errors (see
 * keepalived.conf(5)); vigil errs on the safe side and makes a missing
 * literal file an error for every variant except 'includer'. */
static void do_include(struct lexer *lx, const char *variant, const char *pattern,
		       struct srcpos at)
{
	struct source *top = &lx->stack[lx->depth - 1];
	bool lenient_missing = strcmp(variant, "includer") == 0;
	bool strict_match = strcmp(variant, "includem") == 0 ||
			    strcmp(variant, "includea") == 0;
	char *full;
	glob_t g;

	if (pattern[0] == '/') {
		full = xstrdup(pattern);
	} else {
		full = xmalloc(strlen(top->dir) + strlen(pattern) + 2);
		sprintf(full, "%s/%s", top->dir, pattern);
	}
	int rc = glob(full, GLOB_BRACE | GLOB_TILDE, NULL, &g);
	if (rc != 0 || g.gl_pathc == 0) {
		if (has_glob_chars(pattern) && !strict_match)
			diag_warn(lx->d, at, "%s pattern %s matched no file", variant, full);
		else if (has_glob_chars(pattern))
			diag_error(lx->d, at, "%s pattern %s matched no file", variant, full);
		else if (lenient_missing)
			diag_warn(lx->d, at, "cannot include %s: no such file", full);
		else
			diag_error(lx->d, at, "cannot include %s: no such file; fix the path or remove the include", full);
		if (rc == 0)
			globfree(&g);
		free(full);
		return;
	}
	free(full);
	for (size_t i = top->ipending; i < top->npending; i++)
		free(top->pending[i]);
	free(top->pending);
	top->pending = xmalloc(g.gl_pathc * sizeof(char *));
	top->npending = g.gl_pathc;
	top->ipending = 0;
	top->include_pos = at;
	for (size_t i = 0; i < g.gl_pathc; i++)
		top->pending[i] = xstrdup(g.gl_pathv[i]);
	globfree(&g);
	open_next_include(lx);
}

static const char *include_variant(const char *s, size_t len)
{
	static const char *const variants[] = {
		"include", "includer", "includem", "includew", "includeb", "includea",
	};
	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++)
		if (strlen(variants[i]) == len && memcmp(variants[i], s, len) == 0)
			return variants[i];
	return NULL;
}

/* If the line is an include, handle it and return true. */
static bool try_include(struct lexer *lx, const struct line *l, size_t i)
{
	size_t start = i;
	while (i < l->len && !is_space(l->s[i]))
		i++;
	const char *variant = include_variant(l->s + start, i - start);
	if (!variant)
		return false;
	while (i < l->len && is_space(l->s[i]))
		i++;
	size_t pstart = i;
	char quote = 0;
	if (i < l->len && (l->s[i] == '"' || l->s[i] == '\''))
		quote = l->s[i++], pstart = i;
	size_t pend = pstart;
	while (pend < l->len && (quote ? l->s[pend] != quote
				       : (l->s[pend] != '#' && l->s[pend] != '!')))
		pend++;
	while (!quote && pend > pstart && is_space(l->s[pend - 1]))
		pend--;
	if (pend == pstart) {
		diag_error(lx->d, line_pos(l, start), "%s needs a file name or pattern", variant);
		return true;
	}
	char *pattern = xmalloc(pend - pstart + 1);
	memcpy(pattern, l->s + pstart, pend - pstart);
	pattern[pend - pstart] = '\0';
	do_include(lx, variant, pattern, line_pos(l, start));
	free(pattern);
	return true;
}

/* ---- parameters ------------------------------------------------------- */

/* Definitions are found through a hash of their names (FNV-1a, open
 * addressing), so a file with thousands of them is not quadratic. */
static uint32_t name_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* The slot of name: its definition's, or the free slot it would take. */
static size_t def_slot(const struct lexer *lx, const char *name, size_t len)
{
	size_t mask = lx->ndefidx - 1;
	for (size_t i = name_hash(name, len) & mask;; i = (i + 1) & mask) {
		uint32_t k = lx->defidx[i];
		if (!k)
			return i;
		const struct def *d = &lx->defs[k - 1];
		if (d->nlen == len && memcmp(d->name, name, len) == 0)
			return i;
	}
}

static struct def *find_def(struct lexer *lx, const char *name, size_t len)
{
	if (!lx->ndefs)
		return NULL;
	uint32_t k = lx->defidx[def_slot(lx, name, len)];
	return k ? &lx->defs[k - 1] : NULL;
}

static void defs_rehash(struct lexer *lx)
{
	free(lx->defidx);
	lx->ndefidx = lx->ndefidx ? lx->ndefidx * 2 : 64;
	lx->defidx = xcalloc(lx->ndefidx, sizeof(*lx->defidx));
	for (size_t i = 0; i < lx->ndefs; i++)
		lx->defidx[def_slot(lx, lx->defs[i].name, lx->defs[i].nlen)] = (uint32_t)i + 1;
}

static struct def *set_def(struct lexer *lx, const char *name, size_t nlen,
			   const char *value, size_t vlen)
{
	struct def *d = find_def(lx, name, nlen);
	if (!d) {
		if ((lx->ndefs + 1) * 2 > lx->ndefidx)
			defs_rehash(lx);
		if (lx->ndefs == lx->capdefs) {
			lx->capdefs = lx->capdefs ? lx->capdefs * 2 : 16;
			lx->defs = xrealloc(lx->defs, lx->capdefs * sizeof(*lx->defs));
		}
		d = &lx->defs[lx->ndefs];
		memset(d, 0, sizeof(*d));
		d->name = xmalloc(nlen + 1);
		memcpy(d->name, name, nlen);
		d->name[nlen] = '\0';
		d->nlen = nlen;
		lx->defidx[def_slot(lx, name, nlen)] = (uint32_t)++lx->ndefs;
	}
	if (vlen + 1 > d->vcap) {
		d->vcap = vlen + 1;
		d->value = xrealloc(d->value, d->vcap);
	}
	memcpy(d->value, value, vlen);
	d->value[vlen] = '\0';
	d->vlen = vlen;
	return d;
}

/* "$NAME=value" at i? Defines it (or starts a multi-line one). */
static bool try_definition(struct lexer *lx, const struct line *l, size_t i)
{
	if (i >= l->len || l->s[i] != '$' || i + 1 >= l->len || !is_name_start(l->s[i + 1]))
		return false;
	size_t n = i + 1;
	while (n < l->len && is_name_char(l->s[n]))
		n++;
	if (n >= l->len || l->s[n] != '=')
		return false;
	size_t v = n + 1, e = l->len;
	while (v < e && is_space(l->s[v]))
		v++;
	while (e > v && is_space(l->s[e - 1]))
		e--;
	bool multiline = e > v && l->s[e - 1] == '\\';
	if (multiline)
		e--;
	while (e > v && is_space(l->s[e - 1]))
		e--;
	struct def *d = set_def(lx, l->s + i + 1, n - i - 1, l->s + v, e - v);
	if (multiline)
		lx->collecting = d;
	return true;
}

/* Continuation line of a multi-line definition. The value grows by
 * doubling, so a long one is not copied once per line. */
static void collect_definition_line(struct lexer *lx, const char *s, size_t len)
{
	while (len && is_space(s[len - 1]))
		len--;
	bool more = len && s[len - 1] == '\\';
	if (more)
		len--;
	struct def *d = lx->collecting;
	size_t need = d->vlen + len + 2;
	if (need > d->vcap) {
		d->vcap = need > d->vcap * 2 ? need : d->vcap * 2;
		d->value = xrealloc(d->value, d->vcap);
	}
	if (d->vlen)
		d->value[d->vlen++] = '\n';
	memcpy(d->value + d->vlen, s, len);
	d->vlen += len;
	d->value[d->vlen] = '\0';
	if (!more)
		lx->collecting = NULL;
}

/* Room for n more bytes without going past limit; false when they would
 * not fit (nothing is allocated then). */
static bool exp_room(struct expansion *x, size_t n, size_t limit)
{
	if (n > limit - x->len)
		return false;
	if (x->len + n + 1 > x->cap) {
		size_t cap = x->cap ? x->cap : 128;
		while (cap < x->len + n + 1)
			cap *= 2;
		x->s = xrealloc(x->s, cap);
		x->col = xrealloc(x->col, cap * sizeof(*x->col));
		x->cap = cap;
	}
	return true;
}

/* n bytes of in from i, each with its own column. */
static bool exp_copy(struct expansion *x, const struct line *in, size_t i, size_t n,
		     size_t limit)
{
	if (!exp_room(x, n, limit))
		return false;
	memcpy(x->s + x->len, in->s + i, n);
	uint32_t *c = x->col + x->len;
	if (in->colmap)
		memcpy(c, in->colmap + i, n * sizeof(*c));
	else
		for (size_t k = 0; k < n; k++)
			c[k] = in->base_col + (uint32_t)(i + k);
	x->len += n;
	x->s[x->len] = '\0';
	return true;
}

/* A parameter's value, every byte at the column of the reference. */
static bool exp_value(struct expansion *x, const struct def *d, uint32_t col, size_t limit)
{
	if (!exp_room(x, d->vlen, limit))
		return false;
	memcpy(x->s + x->len, d->value, d->vlen);
	for (size_t k = 0; k < d->vlen; k++)
		x->col[x->len + k] = col;
	x->len += d->vlen;
	x->s[x->len] = '\0';
	return true;
}

/* One pass of substitution of in into out: every reference to a defined
 * parameter in in is replaced (the values are not looked at again in this
 * pass). Text between references is copied in bulk. *made counts the
 * substitutions; false when out would grow past limit. */
static bool subst_pass(struct lexer *lx, const struct line *in, struct expansion *out,
		       size_t limit, size_t *made)
{
	const char *s = in->s;
	size_t i = 0;

	out->len = 0;
	*made = 0;
	if (!exp_room(out, 0, limit))
		return false;
	while (i < in->len) {
		const char *dollar = memchr(s + i, '$', in->len - i);
		size_t stop = dollar ? (size_t)(dollar - s) : in->len;
		if (!exp_copy(out, in, i, stop - i, limit))
			return false;
		i = stop;
		if (i >= in->len)
			break;
		struct def *d = NULL;
		size_t after = i + 1;
		if (i + 1 < in->len) {
			bool braced = s[i + 1] == '{';
			size_t ns = i + 1 + braced, ne = ns;
			while (ne < in->len && is_name_char(s[ne]))
				ne++;
			bool ok = ne > ns && is_name_start(s[ns]);
			if (braced) {
				ok = ok && ne < in->len && s[ne] == '}';
				after = ne + 1;
			} else {
				ok = ok && (ne == in->len || is_space(s[ne]));
				after = ne;
			}
			d = ok ? find_def(lx, s + ns, ne - ns) : NULL;
		}
		if (d) {
			if (!exp_value(out, d, line_pos(in, i).col, limit))
				return false;
			i = after;
			(*made)++;
		} else {
			if (!exp_copy(out, in, i, 1, limit))
				return false;
			i++;
		}
	}
	return true;
}

static void handle_logical(struct lexer *lx, const struct line *l, bool allow_def);

/* Take the work of a pass from the budget of the whole input; false
 * (reported once) when the budget is spent. */
static bool charge_expansion(struct lexer *lx, size_t produced, size_t made,
			     const struct line *l)
{
	size_t work = produced + made * SUBST_WORK;
	if (work <= lx->expand_left) {
		lx->expand_left -= work;
		return true;
	}
	lx->expand_left = 0;
	lx->expand_exhausted = true;
	diag_error(lx->d, line_pos(l, 0),
		   "parameters expand to too much text in all (more than %zu MiB, "
		   "counting each substitution as %d bytes); the lines with parameters "
		   "from here on are not read (does a definition use another several "
		   "times, so that each level multiplies the length?)",
		   MAX_EXPANSION_WORK >> 20, SUBST_WORK);
	return false;
}

/* Substitute parameters until none is left; split multi-line results.
 * Cost: each pass is linear in the text it reads and produces, and the
 * work of all the passes of all lines is bounded by MAX_EXPANSION_WORK. */
static void expand_and_handle(struct lexer *lx, const struct line *l)
{
	struct expansion *a = &lx->xa, *b = &lx->xb;
	struct line cur = *l;
	int passes = 0;
	size_t made;

	if (lx->expand_exhausted)
		return;
	for (;;) {
		bool fits = subst_pass(lx, &cur, a, MAX_EXPANDED_LEN, &made);
		if ((!fits || made) && !charge_expansion(lx, a->len, made, l))
			return;
		if (!fits) {
			diag_error(lx->d, line_pos(l, 0),
				   "parameters make this line longer than %zu MiB (a definition "
				   "that refers to itself, or uses another several times at each "
				   "level?)", MAX_EXPANDED_LEN >> 20);
			return;
		}
		if (!made)
			break;
		if (++passes > MAX_SUBST_PASSES) {
			diag_error(lx->d, line_pos(l, 0),
				   "parameter substitution does not end (a definition refers to itself?)");
			return;
		}
		struct expansion *t = a; a = b; b = t;
		cur.s = b->s;
		cur.len = b->len;
		cur.colmap = b->col;
	}
	/* cur is the final text (b, or the original line if nothing was
	 * substituted); split it at the newlines of multi-line definitions. */
	size_t start = 0;
	for (size_t i = 0; i <= cur.len; i++) {
		if (i == cur.len || cur.s[i] == '\n') {
			struct line part = cur;
			part.s = cur.s + start;
			part.len = i - start;
			if (cur.colmap)
				part.colmap = cur.colmap + start;
			else
				part.base_col = cur.base_col + (uint32_t)start;
			/* never back here: allow_def false does not expand */
			handle_logical(lx, &part, false);
			start = i + 1;
		}
	}
}

/* ---- the line pipeline ------------------------------------------------ */

/* "@id rest" or "@^id rest": does the line apply to this config-id? On
 * true, *i points at "rest". */
static bool conditional_selects(struct lexer *lx, const struct line *l, size_t *i)
{
	size_t k = *i + 1;
	bool negate = k < l->len && l->s[k] == '^';
	k += negate;
	size_t idstart = k;
	while (k < l->len && !is_space(l->s[k]))
		k++;
	size_t idlen = k - idstart;
	bool match = lx->config_id && strlen(lx->config_id) == idlen &&
		     memcmp(lx->config_id, l->s + idstart, idlen) == 0;
	while (k < l->len && is_space(l->s[k]))
		k++;
	*i = k;
	return negate ? !match : match;
}

static bool ends_with_backslash(const char *s, size_t len)
{
	while (len && is_space(s[len - 1]))
		len--;
	return len && s[len - 1] == '\\';
}

static void handle_logical(struct lexer *lx, const struct line *l, bool allow_def)
{
	size_t i = 0;

	while (i < l->len && is_space(l->s[i]))
		i++;
	if (i < l->len && l->s[i] == '@' && !conditional_selects(lx, l, &i)) {
		/* "@other $X= \": the continuation lines belong to the
		 * dropped definition and go with it. */
		lx->skipping_continuation = allow_def && ends_with_backslash(l->s, l->len) &&
					    i < l->len && l->s[i] == '$';
		return;
	}
	if (allow_def && try_definition(lx, l, i))
		return;
	struct line rest = *l;
	rest.s = l->s + i;
	rest.len = l->len - i;
	if (l->colmap)
		rest.colmap = l->colmap + i;
	else
		rest.base_col = l->base_col + (uint32_t)i;
	if (allow_def && memchr(rest.s, '$', rest.len) && lx->ndefs) {
		expand_and_handle(lx, &rest);
		return;
	}
	if (rest.len >= 7 && memcmp(rest.s, "include", 7) == 0 && try_include(lx, &rest, 0))
		return;
	tokenize(lx, &rest);
}

/* Read the next physical line of the top source into the token queue.
 * Returns false at the end of all input. */
static bool read_next_line(struct lexer *lx)
{
	while (lx->depth) {
		struct source *src = &lx->stack[lx->depth - 1];
		if (src->off >= src->len) {
			if (src->ipending < src->npending) {
				open_next_include(lx);
				continue;
			}
			free_source(src);
			lx->depth--;
			lx->collecting = NULL;
			continue;
		}
		const char *s = src->buf + src->off;
		const char *nl = memchr(s, '\n', src->len - src->off);
		size_t len = nl ? (size_t)(nl - s) : src->len - src->off;
		src->off += len + (nl != NULL);
		src->line++;
		if (lx->collecting) {
			collect_definition_line(lx, s, len);
			return true;
		}
		if (lx->skipping_continuation) {
			lx->skipping_continuation = ends_with_backslash(s, len);
			return true;
		}
		struct line l = { s, len, src->file, src->line, 1, NULL };
		handle_logical(lx, &l, true);
		return true;
	}
	return false;
}

/* ---- public ----------------------------------------------------------- */

static struct lexer *lexer_new(const struct lex_opts *opts, struct diags *d)
{
	struct lexer *lx = xcalloc(1, sizeof(*lx));
	lx->d = d;
	lx->config_id = opts && opts->config_id ? xstrdup(opts->config_id) : NULL;
	lx->max_depth = opts && opts->max_include_depth ? opts->max_include_depth
							: DEFAULT_MAX_INCLUDE_DEPTH;
	lx->max_file = opts && opts->max_file_size ? opts->max_file_size : CONF_FILE_MAX_SIZE;
	lx->total_max = opts && opts->max_total_size ? opts->max_total_size
						      : CONF_TOTAL_MAX_SIZE;
	lx->total_left = lx->total_max;
	lx->expand_left = MAX_EXPANSION_WORK;
	return lx;
}

struct lexer *lex_open_file(const char *path, const struct lex_opts *opts,
			    struct diags *d)
{
	char *buf;
	size_t len;
	struct lexer *lx = lexer_new(opts, d);

	if (!read_config_file(lx, path, (struct srcpos){ diags_file(d, path), 0, 0 }, true,
			      &buf, &len)) {
		lex_close(lx);
		return NULL;
	}
	push_source(lx, xstrdup(path), realpath(path, NULL), dir_of(path), buf, len);
	return lx;
}

struct lexer *lex_open_buffer(const char *name, const char *base_dir,
			      const char *buf, size_t len,
			      const struct lex_opts *opts, struct diags *d)
{
	struct lexer *lx = lexer_new(opts, d);
	char *copy = xmalloc(len + 1);
	memcpy(copy, buf, len);
	copy[len] = '\0';
	push_source(lx, xstrdup(name), NULL, xstrdup(base_dir ? base_dir : "."), copy, len);
	return lx;
}

void lex_next(struct lexer *lx, struct lex_event *out)
{
	memset(out, 0, sizeof(*out));
	for (;;) {
		while (lx->itoks < lx->ntoks) {
			struct tok *t = &lx->toks[lx->itoks];
			if (t->kind == T_EOL) {
				lx->itoks++;
				continue;
			}
			out->pos = t->pos;
			if (t->kind != T_WORD) {
				lx->itoks++;
				out->ev = t->kind == T_OPEN ? LEX_OPEN : LEX_CLOSE;
				return;
			}
			size_t n = 0;
			while (lx->itoks + n < lx->ntoks && lx->toks[lx->itoks + n].kind == T_WORD)
				n++;
			if (n > lx->capwords) {
				lx->capwords = n * 2;
				lx->words = xrealloc(lx->words, lx->capwords * sizeof(*lx->words));
			}
			for (size_t k = 0; k < n; k++) {
				struct tok *w = &lx->toks[lx->itoks + k];
				lx->words[k] = (struct lex_word){ lx->scratch + w->off, w->len,
								  w->pos, w->quoted };
			}
			lx->itoks += n;
			out->ev = LEX_STMT;
			out->words = lx->words;
			out->nwords = n;
			return;
		}
		lx->ntoks = lx->itoks = 0;
		lx->scratch_len = 0;
		if (!read_next_line(lx)) {
			out->ev = LEX_EOF;
			return;
		}
	}
}

void lex_close(struct lexer *lx)
{
	if (!lx)
		return;
	while (lx->depth)
		free_source(&lx->stack[--lx->depth]);
	for (size_t i = 0; i < lx->ndefs; i++) {
		free(lx->defs[i].name);
		free(lx->defs[i].value);
	}
	free(lx->defs);
	free(lx->defidx);
	free(lx->xa.s);
	free(lx->xa.col);
	free(lx->xb.s);
	free(lx->xb.col);
	free(lx->stack);
	free(lx->toks);
	free(lx->scratch);
	free(lx->words);
	free(lx->config_id);
	free(lx);
}
