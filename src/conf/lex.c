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
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"

#define DEFAULT_MAX_INCLUDE_DEPTH 32
/* Bounds on parameter substitution: a definition that refers to itself
 * must end in an error, not in an endless loop or an exhausted heap. */
#define MAX_SUBST_PASSES 64
#define MAX_EXPANDED_LEN (1024 * 1024)

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
	size_t ndefs;
	struct def *collecting;      /* multi-line definition being read */
	size_t collecting_len;
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

/* Whole file into memory. Returns an errno value, 0 on success. */
static int slurp(const char *path, char **buf, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return errno;
	if (fstat(fd, &st) < 0 || S_ISDIR(st.st_mode)) {
		int e = S_ISDIR(st.st_mode) ? EISDIR : errno;
		close(fd);
		return e;
	}
	size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096, n = 0;
	char *b = xmalloc(cap);
	for (;;) {
		if (n == cap) {
			cap *= 2;
			b = xrealloc(b, cap);
		}
		ssize_t r = read(fd, b + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(b);
			close(fd);
			return e;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	*buf = b;
	*len = n;
	return 0;
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
	int err;

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
	err = slurp(path, &buf, &len);
	if (err) {
		diag_error(lx->d, at, "cannot read include file %s: %s", path, strerror(err));
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

static struct def *find_def(struct lexer *lx, const char *name, size_t len)
{
	for (size_t i = 0; i < lx->ndefs; i++)
		if (strlen(lx->defs[i].name) == len && memcmp(lx->defs[i].name, name, len) == 0)
			return &lx->defs[i];
	return NULL;
}

static void set_def(struct lexer *lx, const char *name, size_t nlen,
		    const char *value, size_t vlen)
{
	struct def *d = find_def(lx, name, nlen);
	if (!d) {
		lx->defs = xrealloc(lx->defs, (lx->ndefs + 1) * sizeof(*lx->defs));
		d = &lx->defs[lx->ndefs++];
		d->name = xmalloc(nlen + 1);
		memcpy(d->name, name, nlen);
		d->name[nlen] = '\0';
	} else {
		free(d->value);
	}
	d->value = xmalloc(vlen + 1);
	memcpy(d->value, value, vlen);
	d->value[vlen] = '\0';
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
	set_def(lx, l->s + i + 1, n - i - 1, l->s + v, e - v);
	if (multiline) {
		lx->collecting = find_def(lx, l->s + i + 1, n - i - 1);
		lx->collecting_len = strlen(lx->collecting->value);
	}
	return true;
}

/* Continuation line of a multi-line definition. */
static void collect_definition_line(struct lexer *lx, const char *s, size_t len)
{
	while (len && is_space(s[len - 1]))
		len--;
	bool more = len && s[len - 1] == '\\';
	if (more)
		len--;
	struct def *d = lx->collecting;
	size_t old = lx->collecting_len;
	d->value = xrealloc(d->value, old + len + 2);
	if (old)
		d->value[old++] = '\n';
	memcpy(d->value + old, s, len);
	d->value[old + len] = '\0';
	lx->collecting_len = old + len;
	if (!more)
		lx->collecting = NULL;
}

struct expansion {
	char *s;
	uint32_t *col;
	size_t len, cap;
};

static void exp_put(struct expansion *x, const char *s, size_t n, uint32_t col, bool same_col)
{
	if (x->len + n + 1 > x->cap) {
		while (x->len + n + 1 > x->cap)
			x->cap = x->cap ? x->cap * 2 : 128;
		x->s = xrealloc(x->s, x->cap);
		x->col = xrealloc(x->col, x->cap * sizeof(uint32_t));
	}
	memcpy(x->s + x->len, s, n);
	for (size_t k = 0; k < n; k++)
		x->col[x->len + k] = same_col ? col : col + (uint32_t)k;
	x->len += n;
	x->s[x->len] = '\0';
}

/* One pass of substitution of in into out; returns substitutions made. */
static size_t subst_pass(struct lexer *lx, const struct line *in, struct expansion *out)
{
	size_t made = 0, i = 0;

	out->len = 0;
	while (i < in->len) {
		const char *s = in->s;
		if (s[i] == '$' && i + 1 < in->len) {
			size_t ns, ne, after;
			bool braced = s[i + 1] == '{';
			ns = i + 1 + braced;
			ne = ns;
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
			struct def *d = ok ? find_def(lx, s + ns, ne - ns) : NULL;
			if (d) {
				exp_put(out, d->value, strlen(d->value), line_pos(in, i).col, true);
				i = after;
				made++;
				continue;
			}
		}
		exp_put(out, s + i, 1, line_pos(in, i).col, false);
		i++;
	}
	return made;
}

static void handle_logical(struct lexer *lx, const struct line *l, bool allow_def);

/* Substitute parameters until none is left; split multi-line results. */
static void expand_and_handle(struct lexer *lx, const struct line *l)
{
	struct expansion a = { 0 }, b = { 0 };
	struct line cur = *l;
	int passes = 0;

	while (subst_pass(lx, &cur, &a) > 0) {
		if (++passes > MAX_SUBST_PASSES || a.len > MAX_EXPANDED_LEN) {
			diag_error(lx->d, line_pos(l, 0),
				   "parameter substitution does not end (a definition refers to itself?)");
			free(a.s); free(a.col); free(b.s); free(b.col);
			return;
		}
		struct expansion t = a; a = b; b = t;
		cur.s = b.s;
		cur.len = b.len;
		cur.colmap = b.col;
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
			handle_logical(lx, &part, false);
			start = i + 1;
		}
	}
	free(a.s); free(a.col); free(b.s); free(b.col);
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
	return lx;
}

struct lexer *lex_open_file(const char *path, const struct lex_opts *opts,
			    struct diags *d)
{
	char *buf;
	size_t len;
	int err = slurp(path, &buf, &len);

	if (err) {
		diag_error(d, (struct srcpos){ diags_file(d, path), 0, 0 },
			   "cannot read configuration: %s", strerror(err));
		return NULL;
	}
	struct lexer *lx = lexer_new(opts, d);
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
	free(lx->stack);
	free(lx->toks);
	free(lx->scratch);
	free(lx->words);
	free(lx->config_id);
	free(lx);
}
