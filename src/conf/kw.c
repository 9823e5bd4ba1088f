/* kw.c - the table-driven keyword engine; see kw.h for the model. */
#include "kw.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"

/* ---- messages ----------------------------------------------------------- */

void p_error(struct pctx *p, struct srcpos pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(p->d, DIAG_ERROR, pos, fmt, ap);
	va_end(ap);
}

void p_warn(struct pctx *p, struct srcpos pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(p->d, DIAG_WARNING, pos, fmt, ap);
	va_end(ap);
}

struct srcpos stmt_pos(const struct stmt *s, size_t i)
{
	return i < s->nargs ? s->args[i].pos : s->kw->pos;
}

bool stmt_nargs(struct pctx *p, const struct stmt *s, size_t lo, size_t hi)
{
	if (s->nargs >= lo && s->nargs <= hi)
		return true;
	if (s->nargs < lo)
		p_error(p, s->kw->pos, "%s needs %s%zu value%s", s->kw->text,
			lo == hi ? "" : "at least ", lo, lo == 1 ? "" : "s");
	else
		p_error(p, s->args[hi].pos, "%s takes %s%zu value%s; unexpected '%s' "
			"(quote a value that contains spaces)", s->kw->text,
			lo == hi ? "" : "at most ", hi, hi == 1 ? "" : "s",
			s->args[hi].text);
	return false;
}

char *p_strdup(struct pctx *p, const char *s)
{
	return arena_strdup(p->a, s);
}

/* ---- word parsers ------------------------------------------------------- */

bool parse_ll(struct pctx *p, const struct lex_word *w, long long lo, long long hi,
	      const char *what, long long *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(w->text, &end, 10);
	if (w->len == 0 || *end || errno == ERANGE) {
		p_error(p, w->pos, "%s must be a whole number, not '%s'", what, w->text);
		return false;
	}
	if (v < lo || v > hi) {
		p_error(p, w->pos, "%s %lld is out of range; use %lld..%lld", what, v, lo, hi);
		return false;
	}
	*out = v;
	return true;
}

bool parse_timer_word(struct pctx *p, const struct lex_word *w, long long lo,
		      long long hi, const char *what, uint64_t *usec)
{
	const char *s = w->text;
	uint64_t whole = 0, frac = 0;
	int fdigits = 0;
	bool digits = false;

	for (; *s >= '0' && *s <= '9'; s++, digits = true) {
		whole = whole * 10 + (uint64_t)(*s - '0');
		if (whole > UINT64_MAX / 10000000)
			goto bad;
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, digits = true) {
			if (++fdigits > 6) {
				p_error(p, w->pos, "%s '%s' has more than 6 decimals; "
					"the resolution is one microsecond", what, w->text);
				return false;
			}
			frac = frac * 10 + (uint64_t)(*s - '0');
		}
	}
	if (!digits || *s)
		goto bad;
	for (; fdigits < 6; fdigits++)
		frac *= 10;
	uint64_t v = whole * 1000000 + frac;
	if ((long long)v < lo || (long long)v > hi) {
		p_error(p, w->pos, "%s %s is out of range; use %g..%g seconds", what,
			w->text, (double)lo / 1e6, (double)hi / 1e6);
		return false;
	}
	*usec = v;
	return true;
bad:
	p_error(p, w->pos, "%s must be a time in seconds (like 3 or 0.5), not '%s'",
		what, w->text);
	return false;
}

/* <BOOL> is one of on|off|true|false|yes|no; -1 when s is none of them. */
static int bool_value(const char *s)
{
	static const char *const yes[] = { "on", "true", "yes" };
	static const char *const no[] = { "off", "false", "no" };
	for (size_t i = 0; i < 3; i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	}
	return -1;
}

bool parse_bool_word(struct pctx *p, const struct lex_word *w, bool *out)
{
	int v = bool_value(w->text);
	if (v >= 0) {
		*out = v;
		return true;
	}
	p_error(p, w->pos, "'%s' is not a boolean; use on|off|true|false|yes|no", w->text);
	return false;
}

bool parse_addr_word(struct pctx *p, const struct lex_word *w, bool allow_prefix,
		     void *vaddr_out)
{
	const char *err = vaddr_parse(w->text, allow_prefix, vaddr_out);
	if (err)
		p_error(p, w->pos, "'%s': %s", w->text, err);
	return err == NULL;
}

bool parse_addr_drop_prefix(struct pctx *p, const struct lex_word *w, const char *what,
			    void *vaddr_out)
{
	struct vaddr a;
	memset(&a, 0, sizeof(a));
	if (!parse_addr_word(p, w, true, &a))
		return false;
	if (a.has_prefix) {
		p_warn(p, w->pos, "'%s': %s takes an address without a prefix length; keepalived "
		       "ignores the /%u, and so does vigil; write the address alone", w->text,
		       what, a.prefix);
		a.has_prefix = false;
		a.prefix = 0;
	}
	memcpy(vaddr_out, &a, sizeof(a));
	return true;
}

bool parse_enum_word(struct pctx *p, const struct lex_word *w, const struct kw_enum *tab,
		     const char *what, int *out)
{
	char list[512];
	size_t o = 0;

	for (const struct kw_enum *e = tab; e->name; e++) {
		if (strcasecmp(e->name, w->text) == 0) {
			*out = e->value;
			return true;
		}
	}
	list[0] = '\0';
	for (const struct kw_enum *e = tab; e->name && o < sizeof(list); e++)
		o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s", o ? "|" : "", e->name);
	p_error(p, w->pos, "%s '%s' is not known; use %s", what, w->text, list);
	return false;
}

const char *enum_name(const struct kw_enum *tab, int value)
{
	for (const struct kw_enum *e = tab; e->name; e++)
		if (e->value == value)
			return e->name;
	return "?";
}

/* ---- output ------------------------------------------------------------- */

void out_printf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(o->f, fmt, ap);
	va_end(ap);
}

void out_line_start(struct out *o)
{
	fputc('\n', o->f);
	for (int i = 0; i < o->indent; i++)
		fputs("    ", o->f);
}

/* Would the lexer read s back as this same single word? */
static bool word_needs_quotes(const char *s)
{
	if (!*s || *s == '@' || strncmp(s, "include", 7) == 0)
		return true;
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		if (*c <= ' ' || *c == 127 || strchr("{}#!\"'\\$", *c))
			return true;
	return false;
}

/* s as one word, quoted when the lexer would not read it back as itself. */
static void put_word(struct out *o, const char *s)
{
	if (!word_needs_quotes(s)) {
		fputs(s, o->f);
		return;
	}
	fputc('"', o->f);
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(o->f, "\\%c", *c);
		else if (*c < ' ' || *c == 127)
			fprintf(o->f, "\\x%02x", *c);
		else
			fputc(*c, o->f);
	}
	fputc('"', o->f);
}

void out_word(struct out *o, const char *s)
{
	fputc(' ', o->f);
	put_word(o, s);
}

/* Out_word() puts a space before every word; the first word of an item
 * line reads better without one, and names rarely need quotes. A word the
 * lexer would take for a line directive (include..., @conditional) is
 * quoted: the fuzzer found a notification_email item "include" that came
 * back as an include statement. */
void out_lead_word(struct out *o, const char *s)
{
	bool plain = *s && *s != '@' && strncmp(s, "include", 7) != 0;
	for (const char *c = s; *c && plain; c++)
		plain = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
			(*c >= '0' && *c <= '9') || strchr("_-.:/+=,%@", *c);
	if (plain)
		out_printf(o, "%s", s);
	else
		put_word(o, s);
}

/* ---- common value types ------------------------------------------------- */

static long long load_int(const void *f, size_t size, bool sgn)
{
	switch (size) {
	case 1: return sgn ? (long long)*(const int8_t *)f : (long long)*(const uint8_t *)f;
	case 2: return sgn ? (long long)*(const int16_t *)f : (long long)*(const uint16_t *)f;
	case 4: return sgn ? (long long)*(const int32_t *)f : (long long)*(const uint32_t *)f;
	default: return *(const int64_t *)f;
	}
}

static void store_int(void *f, size_t size, long long v)
{
	switch (size) {
	case 1: *(uint8_t *)f = (uint8_t)v; break;
	case 2: *(uint16_t *)f = (uint16_t)v; break;
	case 4: *(uint32_t *)f = (uint32_t)v; break;
	default: *(int64_t *)f = v; break;
	}
}

static bool int_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	long long v = 0;
	if (!stmt_nargs(p, s, 1, 1) || !parse_ll(p, &s->args[0], k->min, k->max, k->name, &v))
		return false;
	store_int(f, k->size, v);
	return true;
}

static void int_dump(struct out *o, const struct kw *k, const void *f)
{
	out_printf(o, " %lld", load_int(f, k->size, true));
}

static void uint_dump(struct out *o, const struct kw *k, const void *f)
{
	out_printf(o, " %lld", load_int(f, k->size, false));
}

static bool mem_eq(const struct kw *k, const void *a, const void *b)
{
	return memcmp(a, b, k->size) == 0;
}

const struct vtype vt_int = { "a whole number", 1, int_parse, int_dump, mem_eq, VT_VALUE };
const struct vtype vt_uint = { "a whole number", 1, int_parse, uint_dump, mem_eq, VT_VALUE };

static bool timer_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	return stmt_nargs(p, s, 1, 1) &&
	       parse_timer_word(p, &s->args[0], k->min, k->max, k->name, f);
}

static void timer_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	uint64_t v = *(const uint64_t *)f;
	char frac[8];
	snprintf(frac, sizeof(frac), "%06llu", (unsigned long long)(v % 1000000));
	for (int i = 5; i >= 0 && frac[i] == '0'; i--)
		frac[i] = '\0';
	out_printf(o, " %llu%s%s", (unsigned long long)(v / 1000000), frac[0] ? "." : "", frac);
}

const struct vtype vt_timer = { "a time in seconds", 1, timer_parse, timer_dump, mem_eq, VT_VALUE };

static bool flag_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	bool v = true;
	if (!stmt_nargs(p, s, 0, 1) || (s->nargs && !parse_bool_word(p, &s->args[0], &v)))
		return false;
	*(bool *)f = (k->flags & KW_INVERT) ? !v : v;
	return true;
}

static void flag_dump(struct out *o, const struct kw *k, const void *f)
{
	bool v = *(const bool *)f;
	if (k->flags & KW_INVERT)
		v = !v;
	if (!v)
		out_printf(o, " false");
}

static bool bool_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	bool v = false;
	if (!stmt_nargs(p, s, 1, 1) || !parse_bool_word(p, &s->args[0], &v))
		return false;
	*(bool *)f = (k->flags & KW_INVERT) ? !v : v;
	return true;
}

static void bool_dump(struct out *o, const struct kw *k, const void *f)
{
	bool v = *(const bool *)f;
	if (k->flags & KW_INVERT)
		v = !v;
	out_printf(o, " %s", v ? "true" : "false");
}

static bool bool_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	return *(const bool *)a == *(const bool *)b;
}

/* A flag that may also be unwritten: -1 (the default: inherit from the
 * enclosing block or global_defs), 0 or 1, in a signed field of kw->size
 * bytes. "kw" or "kw <BOOL>". */
static bool tri_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	bool v = true;
	if (!stmt_nargs(p, s, 0, 1) || (s->nargs && !parse_bool_word(p, &s->args[0], &v)))
		return false;
	store_int(f, k->size, v ? 1 : 0);
	return true;
}

static void tri_dump(struct out *o, const struct kw *k, const void *f)
{
	if (load_int(f, k->size, true) == 0)
		out_printf(o, " false");
}

const struct vtype vt_tri = { "a flag", 0, tri_parse, tri_dump, mem_eq, VT_VALUE };

/* A flag's optional value makes its arity 0 inside option lists, where
 * "home" or "no_track" stand alone. */
const struct vtype vt_flag = { "a flag", 0, flag_parse, flag_dump, bool_eq, VT_VALUE };

/* A flag keepalived takes no value for: it ignores a word after it and
 * sets the flag ("enable_script_security 0" enables it). vigil does the
 * same and says so, rather than read the word as keepalived does not. */
static bool bare_flag_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	if (s->nargs)
		p_warn(p, s->args[0].pos, "'%s %s': keepalived ignores the value and sets %s, and "
		       "so does vigil; write %s alone, or remove it", k->name, s->args[0].text,
		       k->name, k->name);
	*(bool *)f = !(k->flags & KW_INVERT);
	return true;
}

const struct vtype vt_flag_bare = { "a flag", -1, bare_flag_parse, flag_dump, bool_eq, VT_VALUE };
const struct vtype vt_bool = { "on|off", 1, bool_parse, bool_dump, bool_eq, VT_VALUE };

static bool str_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	(void)k;
	if (!stmt_nargs(p, s, 1, 1))
		return false;
	*(char **)f = arena_strndup(p->a, s->args[0].text, s->args[0].len);
	return true;
}

void kw_str_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	const char *s = *(char *const *)f;
	out_word(o, s ? s : "");
}

bool kw_str_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	return x == y || (x && y && strcmp(x, y) == 0);
}

const struct vtype vt_str = { "a word", 1, str_parse, kw_str_dump, kw_str_eq, VT_VALUE };

/* A command line from all the words: a word that holds spaces or quotes
 * is wrapped so that splitting the text later (like a shell, with '...'
 * and "...") gives the same argv back. */
static bool cmd_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	(void)k;
	size_t len = 0;
	if (s->nargs == 0) {
		p_error(p, s->kw->pos, "%s needs a command", s->kw->text);
		return false;
	}
	if (s->nargs == 1) {
		*(char **)f = arena_strndup(p->a, s->args[0].text, s->args[0].len);
		return true;
	}
	for (size_t i = 0; i < s->nargs; i++)
		len += s->args[i].len * 2 + 3;
	char *buf = arena_zalloc(p->a, len + 1), *o = buf;
	for (size_t i = 0; i < s->nargs; i++) {
		const char *w = s->args[i].text;
		bool wrap = strpbrk(w, " \t'\"\\") != NULL || !*w;
		if (i)
			*o++ = ' ';
		if (wrap)
			*o++ = '"';
		for (; *w; w++) {
			if (wrap && (*w == '"' || *w == '\\'))
				*o++ = '\\';
			*o++ = *w;
		}
		if (wrap)
			*o++ = '"';
	}
	*o = '\0';
	*(char **)f = buf;
	return true;
}

const struct vtype vt_cmd = { "a command", -1, cmd_parse, kw_str_dump, kw_str_eq, VT_VALUE };

static bool enum_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	int v = 0;
	if (!stmt_nargs(p, s, 1, 1) || !parse_enum_word(p, &s->args[0], k->aux, k->name, &v))
		return false;
	*(int *)f = v;
	return true;
}

static void enum_dump(struct out *o, const struct kw *k, const void *f)
{
	out_word(o, enum_name(k->aux, *(const int *)f));
}

static bool int_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	return *(const int *)a == *(const int *)b;
}

const struct vtype vt_enum = { "a name", 1, enum_parse, enum_dump, int_eq, VT_VALUE };

/* A name from kw->aux or a number in kw->min..max, like ip(8)'s scopes
 * and protocols: "link" or "253". Dumped by name when it has one. */
static bool enum_num_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	long long v;
	int e = 0;
	if (!stmt_nargs(p, s, 1, 1))
		return false;
	if (s->args[0].text[0] >= '0' && s->args[0].text[0] <= '9') {
		if (!parse_ll(p, &s->args[0], k->min, k->max, k->name, &v))
			return false;
		*(int *)f = (int)v;
		return true;
	}
	if (!parse_enum_word(p, &s->args[0], k->aux, k->name, &e))
		return false;
	*(int *)f = e;
	return true;
}

static void enum_num_dump(struct out *o, const struct kw *k, const void *f)
{
	int v = *(const int *)f;
	const char *n = enum_name(k->aux, v);
	if (strcmp(n, "?") != 0)
		out_word(o, n);
	else
		out_printf(o, " %d", v);
}

const struct vtype vt_enum_num = { "a name or number", 1, enum_num_parse, enum_num_dump, int_eq,
				   VT_VALUE };

static bool addr_parse_any(struct pctx *p, const struct stmt *s, void *f, bool prefix)
{
	return stmt_nargs(p, s, 1, 1) && parse_addr_word(p, &s->args[0], prefix, f);
}

static bool addr_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	(void)k;
	return addr_parse_any(p, s, f, false);
}

static bool prefix_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	(void)k;
	return addr_parse_any(p, s, f, true);
}

void kw_addr_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	char buf[VADDR_STRLEN];
	out_word(o, vaddr_format(f, buf, sizeof(buf)));
}

bool kw_addr_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	return vaddr_equal(a, b);
}

const struct vtype vt_addr = { "an IP address", 1, addr_parse, kw_addr_dump, kw_addr_eq, VT_VALUE };
const struct vtype vt_prefix = { "an IP address[/prefix]", 1, prefix_parse, kw_addr_dump, kw_addr_eq, VT_VALUE };

const struct vtype vt_block = { "a block", 0, NULL, NULL, NULL, VT_BLOCK };
const struct vtype vt_list = { "a block", -1, NULL, NULL, NULL, VT_LIST };
const struct vtype vt_items = { "a block", 0, NULL, NULL, NULL, VT_ITEMS };

/* ---- named heads -------------------------------------------------------- */

bool head_name(struct pctx *p, void *obj, const struct stmt *s)
{
	if (!stmt_nargs(p, s, 1, 1))
		return false;
	((struct named *)obj)->name = arena_strndup(p->a, s->args[0].text, s->args[0].len);
	return true;
}

void dump_head_name(struct out *o, const void *obj)
{
	const char *n = ((const struct named *)obj)->name;
	out_word(o, n ? n : "");
}

bool head_eq_name(const void *a, const void *b)
{
	const char *x = ((const struct named *)a)->name, *y = ((const struct named *)b)->name;
	return x == y || (x && y && strcmp(x, y) == 0);
}

/* ---- keyword index -------------------------------------------------------- */

struct kw_index {
	size_t n;
	const struct kw **rows;   /* sorted by name */
};

static int cmp_kw_rows(const void *a, const void *b)
{
	return strcmp((*(const struct kw *const *)a)->name, (*(const struct kw *const *)b)->name);
}

static const struct kw_index *block_index(const struct block_desc *bd)
{
	if (bd->idx)
		return bd->idx;
	struct kw_index *ix = xcalloc(1, sizeof(*ix));
	for (const struct kw *k = bd->kws; k && k->name; k++)
		ix->n++;
	ix->rows = xcalloc(ix->n, sizeof(*ix->rows));
	for (size_t i = 0; i < ix->n; i++)
		ix->rows[i] = &bd->kws[i];
	qsort(ix->rows, ix->n, sizeof(*ix->rows), cmp_kw_rows);
	/* The index is a cache of constant data, built once per table. */
	((struct block_desc *)bd)->idx = ix;
	return ix;
}

static const struct kw *kw_find(const struct block_desc *bd, const char *name)
{
	const struct kw_index *ix = block_index(bd);
	size_t lo = 0, hi = ix->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, ix->rows[mid]->name);
		if (c == 0)
			return ix->rows[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

void block_init(const struct block_desc *bd, void *obj)
{
	if (bd->init)
		bd->init(obj);
	for (const struct kw *k = bd->kws; k && k->name; k++)
		if (k->type->kind == VT_BLOCK && !(k->flags & KW_ALIAS))
			block_init(k->aux, (char *)obj + k->off);
}

const void *block_template(const struct block_desc *bd)
{
	if (!bd->tmpl) {
		void *t = xcalloc(1, bd->size);
		block_init(bd, t);
		((struct block_desc *)bd)->tmpl = t;
	}
	return bd->tmpl;
}

/* ---- registry: which blocks know a keyword ------------------------------- */

struct reg_entry {
	const char *kw;
	const char *block;
};

static struct {
	struct reg_entry *e;
	size_t n, cap;
	const struct block_desc **seen;
	size_t nseen;
} reg;

static int cmp_reg(const void *a, const void *b)
{
	const struct reg_entry *x = a, *y = b;
	int c = strcmp(x->kw, y->kw);
	return c ? c : strcmp(x->block, y->block);
}

static void reg_walk(const struct block_desc *bd)
{
	for (size_t i = 0; i < reg.nseen; i++)
		if (reg.seen[i] == bd)
			return;
	reg.seen = xrealloc(reg.seen, (reg.nseen + 1) * sizeof(*reg.seen));
	reg.seen[reg.nseen++] = bd;
	for (const struct kw *k = bd->kws; k && k->name; k++) {
		if (reg.n == reg.cap) {
			reg.cap = reg.cap ? reg.cap * 2 : 256;
			reg.e = xrealloc(reg.e, reg.cap * sizeof(*reg.e));
		}
		reg.e[reg.n++] = (struct reg_entry){ k->name, bd->name };
		if (k->type->kind != VT_VALUE && k->aux)
			reg_walk(k->aux);
	}
}

void kw_registry_init(const struct block_desc *root)
{
	if (reg.e)
		return;
	reg_walk(root);
	qsort(reg.e, reg.n, sizeof(*reg.e), cmp_reg);
}

/* "vrrp_instance, virtual_server" for a keyword, or "" */
static void reg_blocks_of(const char *kw, char *out, size_t len)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < reg.n && o < len; i++)
		if (strcmp(reg.e[i].kw, kw) == 0 && !strstr(out, reg.e[i].block))
			o += (size_t)snprintf(out + o, len - o, "%s%s", o ? ", " : "",
					      reg.e[i].block);
}

/* ---- suggestions for an unknown keyword ----------------------------------- */

/* Suggestions cost a pass over every keyword: a file of garbage gets them
 * for its first unknown keywords only. */
#define SUGGEST_MAX 200

/* Levenshtein distance, capped: anything above cap is cap + 1. Keywords
 * are short (under 64 bytes); longer words are not compared. */
static size_t edit_distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[65];
	/* the distance is at least the difference in length */
	if (la > 64 || lb > 64 || (la > lb ? la - lb : lb - la) > cap)
		return cap + 1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0], best = row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t v = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			diag = up;
			if (v < best)
				best = v;
		}
		if (best > cap)
			return cap + 1;
	}
	return row[lb];
}

/* How much of the typed word w a keyword k explains by a shared start and
 * end, in percent: "notify_email" vs "notification_email" shares "notif"
 * and "_email", 11 of 12 characters. Catches a word shortened or
 * lengthened in the middle, which edit distance scores badly. */
static size_t affix_cover(const char *w, const char *k)
{
	size_t lw = strlen(w), lk = strlen(k), pre = 0, suf = 0;
	while (pre < lw && pre < lk && w[pre] == k[pre])
		pre++;
	while (suf < lw - pre && suf < lk - pre && w[lw - 1 - suf] == k[lk - 1 - suf])
		suf++;
	return lw ? (pre + suf) * 100 / lw : 0;
}

/* A typo: within a quarter of the word's length (at least 1). */
static size_t typo_cap(const char *w)
{
	size_t n = strlen(w) / 4;
	return n ? n : 1;
}

/* The keyword of bd closest to w by edit distance, or NULL. */
static const char *suggest_in_block(const struct block_desc *bd, const char *w)
{
	const char *best = NULL;
	size_t bestd = typo_cap(w) + 1;
	for (const struct kw *k = bd->kws; k && k->name; k++) {
		size_t d = edit_distance(w, k->name, typo_cap(w));
		if (k->name[0] && d < bestd) {
			best = k->name;
			bestd = d;
		}
	}
	return best;
}

/* The keyword of any block closest to w: a typo first, else the best
 * shared start and end covering 80% of w. *block gets its block. */
static const char *suggest_anywhere(const char *w, const char **block)
{
	const struct reg_entry *best = NULL;
	size_t bestd = typo_cap(w) + 1, bestc = 79;
	if (strlen(w) < 4)
		return NULL;
	for (size_t i = 0; i < reg.n; i++) {
		if (!reg.e[i].kw[0])
			continue;
		size_t d = edit_distance(w, reg.e[i].kw, typo_cap(w));
		if (d < bestd) {
			best = &reg.e[i];
			bestd = d;
		}
	}
	for (size_t i = 0; !best && i < reg.n; i++) {
		size_t c = affix_cover(w, reg.e[i].kw);
		if (reg.e[i].kw[0] && c > bestc) {
			best = &reg.e[i];
			bestc = c;
		}
	}
	if (!best)
		return NULL;
	*block = best->block;
	return best->kw;
}

/* ---- options inside item lines ------------------------------------------- */

static const struct kw *kw_find_linear(const struct kw *kws, const char *name)
{
	for (const struct kw *k = kws; k->name; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

bool parse_options(struct pctx *p, const struct kw *kws, void *obj,
		   const struct lex_word *w, size_t n)
{
	bool ok = true;
	for (size_t i = 0; i < n;) {
		const struct kw *k = kw_find_linear(kws, w[i].text);
		if (!k) {
			char names[512];
			size_t o = 0;
			names[0] = '\0';
			for (const struct kw *x = kws; x->name && o < sizeof(names); x++)
				if (!(x->flags & KW_ALIAS))
					o += (size_t)snprintf(names + o, sizeof(names) - o, "%s%s",
							      o ? " " : "", x->name);
			p_error(p, w[i].pos, "unknown option '%s'; options here are: %s",
				w[i].text, names);
			return false;
		}
		size_t take = k->type->arity < 0 ? n - i - 1 : (size_t)k->type->arity;
		/* A flag may carry an explicit on/off right after it. */
		if ((k->type == &vt_flag || k->type == &vt_tri) && i + 1 < n &&
		    bool_value(w[i + 1].text) >= 0)
			take = 1;
		if (take > 0 && i + take >= n) {
			p_error(p, w[i].pos, "option '%s' needs a value", w[i].text);
			return false;
		}
		struct stmt s = { &w[i], &w[i + 1], take };
		if (!kw_announce(p, k, w[i].pos))
			ok = false;
		ok = k->type->parse(p, k, &s, (char *)obj + k->off) && ok;
		i += 1 + take;
	}
	return ok;
}

void dump_options(struct out *o, const struct kw *kws, const void *obj, const void *tmpl)
{
	for (const struct kw *k = kws; k->name; k++) {
		if (k->flags & KW_ALIAS)
			continue;
		const void *f = (const char *)obj + k->off;
		if (tmpl && k->type->eq(k, f, (const char *)tmpl + k->off))
			continue;
		out_printf(o, " %s", k->name);
		k->type->dump(o, k, f);
	}
}

bool fields_eq(const struct kw *kws, const void *a, const void *b)
{
	for (const struct kw *k = kws; k->name; k++)
		if (!(k->flags & KW_ALIAS) &&
		    !k->type->eq(k, (const char *)a + k->off, (const char *)b + k->off))
			return false;
	return true;
}

/* ---- the parser ------------------------------------------------------------ */

static void next_event(struct pctx *p, struct lex_event *ev)
{
	if (p->have_pushback) {
		*ev = p->pushback;
		p->have_pushback = false;
		return;
	}
	lex_next(p->lx, ev);
}

static void push_back(struct pctx *p, const struct lex_event *ev)
{
	p->pushback = *ev;
	p->have_pushback = true;
}

/* After '{': skip to its matching '}' without recursion, so nesting
 * 10,000 deep costs a counter, not a stack. */
static void skip_block(struct pctx *p, struct srcpos opened)
{
	struct lex_event ev;
	size_t depth = 1;
	while (depth) {
		next_event(p, &ev);
		if (ev.ev == LEX_OPEN)
			depth++;
		else if (ev.ev == LEX_CLOSE)
			depth--;
		else if (ev.ev == LEX_EOF) {
			if (!p->eof)
				p_error(p, opened, "'{' is never closed; add a '}'");
			p->eof = true;
			push_back(p, &ev);
			return;
		}
	}
}

/* A value keyword takes no block; one that follows is reported and skipped. */
static void reject_block_after(struct pctx *p, const char *kw)
{
	struct lex_event ev;
	next_event(p, &ev);
	if (ev.ev == LEX_OPEN) {
		p_error(p, ev.pos, "'%s' takes no block; the block is skipped", kw);
		skip_block(p, ev.pos);
	} else {
		push_back(p, &ev);
	}
}

/* The '{' that must follow a block keyword. */
static bool expect_open(struct pctx *p, const char *kw, struct srcpos at)
{
	struct lex_event ev;
	next_event(p, &ev);
	if (ev.ev == LEX_OPEN)
		return true;
	p_error(p, at, "'%s' needs a block: %s ... { ... }", kw, kw);
	push_back(p, &ev);
	return false;
}

static void parse_items_body(struct pctx *p, const struct block_desc *id,
			     struct list *l, struct srcpos opened)
{
	struct lex_event ev;
	for (;;) {
		next_event(p, &ev);
		switch (ev.ev) {
		case LEX_EOF:
			if (!p->eof)
				p_error(p, opened, "'%s {' is never closed; add a '}'", id->name);
			p->eof = true;
			push_back(p, &ev);
			return;
		case LEX_CLOSE:
			return;
		case LEX_OPEN:
			p_error(p, ev.pos, "'{' is not allowed inside %s; the block is skipped",
				id->name);
			skip_block(p, ev.pos);
			break;
		case LEX_STMT: {
			size_t per = id->per_word ? 1 : ev.nwords;
			for (size_t i = 0; i < ev.nwords; i += per) {
				struct node *item = arena_zalloc(p->a, id->size);
				block_init(id, item);
				item->desc = id;
				item->pos = ev.words[i].pos;
				struct stmt s = { &ev.words[i], &ev.words[i + 1], per - 1 };
				if (id->parse_item(p, item, &s))
					list_append(l, item);
			}
			break;
		}
		}
	}
}

bool kw_announce(struct pctx *p, const struct kw *k, struct srcpos pos)
{
	if (k->flags & KW_DEPRECATED)
		p_warn(p, pos, "'%s' is deprecated; use %s", k->name, k->note);
	switch (k->effect) {
	case KW_NO_EFFECT:
		if (p->quiet)
			return true;
		p_warn(p, pos, "keyword '%s' is accepted but has no effect in vigil: %s",
		       k->name, k->why);
		return true;
	case KW_REFUSED:
		p_error(p, pos, "keyword '%s' is refused by vigil: %s", k->name, k->why);
		return false;
	case KW_ACTS:
	case KW_UNMARKED:   /* test_kw_effects fails on it; nothing to say here */
		break;
	}
	return true;
}

/* "0", "0.0", "0.000": a zero written as a number */
static bool is_zero_word(const char *t)
{
	return t[0] && strspn(t, "0.") == strlen(t) && strchr(t, '0');
}

static void parse_value(struct pctx *p, const struct kw *k, const struct stmt *s, void *obj)
{
	kw_announce(p, k, s->kw->pos);
	if ((k->flags & KW_ZERO_DEFAULT) && s->nargs == 1 && is_zero_word(s->args[0].text)) {
		p_warn(p, s->args[0].pos, "'%s 0' is out of range; keepalived logs it and keeps "
		       "the default, and so does vigil; remove the line or give a value above 0",
		       k->name);
		reject_block_after(p, k->name);
		return;
	}
	k->type->parse(p, k, s, (char *)obj + k->off);
	reject_block_after(p, k->name);
}

static void parse_sub_body(struct pctx *p, const struct kw *k, const struct stmt *s,
			   void *field, struct srcpos at);

static void parse_sub(struct pctx *p, const struct kw *k, const struct stmt *s, void *obj)
{
	void *field = (char *)obj + k->off;
	struct srcpos at = s->kw->pos;

	kw_announce(p, k, at);
	bool quiet = k->effect == KW_NO_EFFECT;
	p->quiet += quiet;
	parse_sub_body(p, k, s, field, at);
	p->quiet -= quiet;
}

static void parse_sub_body(struct pctx *p, const struct kw *k, const struct stmt *s,
			   void *field, struct srcpos at)
{
	const struct block_desc *sub = k->aux;
	if (k->type->kind == VT_LIST) {
		struct node *child = arena_zalloc(p->a, sub->size);
		block_init(sub, child);
		child->desc = sub;
		child->pos = at;
		bool ok = sub->head ? sub->head(p, child, s) : stmt_nargs(p, s, 0, 0);
		if (!expect_open(p, k->name, at))
			return;
		parse_block_body(p, sub, child, at, false);
		if (ok)
			list_append(field, child);
		return;
	}
	stmt_nargs(p, s, 0, 0);
	if (!expect_open(p, k->name, at))
		return;
	if (k->type->kind == VT_BLOCK)
		parse_block_body(p, sub, field, at, false);
	else
		parse_items_body(p, sub, field, at);
}

/* A value keyword of a singleton sub-block written one level too high
 * ("auth_pass" straight in vrrp_instance): the intent is unambiguous. */
static bool honour_in_child(struct pctx *p, const struct block_desc *bd, void *obj,
			    const struct stmt *s)
{
	for (const struct kw *k = bd->kws; k->name; k++) {
		if (k->type->kind != VT_BLOCK)
			continue;
		const struct kw *ck = kw_find(k->aux, s->kw->text);
		if (ck && ck->type->kind == VT_VALUE) {
			p_warn(p, s->kw->pos, "'%s' belongs inside %s { }; applied to this %s's %s",
			       s->kw->text, k->name, bd->name, k->name);
			parse_value(p, ck, s, (char *)obj + k->off);
			return true;
		}
	}
	return false;
}

/* A value keyword of an enclosing block ("lvs_sched" inside a
 * real_server): apply it to the nearest enclosing block that has it. */
static bool honour_in_ancestor(struct pctx *p, const struct block_desc *bd,
			       const struct stmt *s)
{
	for (size_t i = p->depth - 1; i-- > 0;) {
		const struct kw *k = kw_find(p->stack[i].desc, s->kw->text);
		if (k && k->type->kind == VT_VALUE) {
			p_warn(p, s->kw->pos, "'%s' belongs in %s, not in %s; applied to the "
			       "enclosing %s", s->kw->text, p->stack[i].desc->name, bd->name,
			       p->stack[i].desc->name);
			parse_value(p, k, s, p->stack[i].obj);
			return true;
		}
	}
	return false;
}

static void unknown_keyword(struct pctx *p, const struct block_desc *bd, void *obj,
			    const struct stmt *s)
{
	char where[512];

	if (bd->unknown && bd->unknown(p, obj, s))
		return;
	if (honour_in_child(p, bd, obj, s) || honour_in_ancestor(p, bd, s))
		return;
	reg_blocks_of(s->kw->text, where, sizeof(where));
	const char *near = NULL, *in = NULL;
	if (where[0])
		p_warn(p, s->kw->pos, "keyword '%s' does not belong in %s (it belongs in %s); ignored",
		       s->kw->text, bd->name, where);
	else if (p->nsuggest >= SUGGEST_MAX)
		p_warn(p, s->kw->pos, "unknown keyword '%s' in %s; ignored", s->kw->text, bd->name);
	else if (p->nsuggest++, (near = suggest_in_block(bd, s->kw->text)))
		p_warn(p, s->kw->pos, "unknown keyword '%s' in %s; ignored; did you mean %s?",
		       s->kw->text, bd->name, near);
	else if ((near = suggest_anywhere(s->kw->text, &in)))
		p_warn(p, s->kw->pos, "unknown keyword '%s' in %s; ignored; did you mean %s (%s)?",
		       s->kw->text, bd->name, near, in);
	else
		p_warn(p, s->kw->pos, "unknown keyword '%s' in %s; ignored", s->kw->text, bd->name);
	struct lex_event ev;
	next_event(p, &ev);
	if (ev.ev == LEX_OPEN)
		skip_block(p, ev.pos);
	else
		push_back(p, &ev);
}

#define SEEN_WORDS 8

static void handle_stmt(struct pctx *p, const struct block_desc *bd, void *obj,
			const struct lex_event *ev, uint64_t *seen)
{
	struct stmt s = { &ev->words[0], &ev->words[1], ev->nwords - 1 };
	const struct kw *k = kw_find(bd, s.kw->text);

	if (!k) {
		unknown_keyword(p, bd, obj, &s);
		return;
	}
	if (k->type->kind != VT_VALUE) {
		parse_sub(p, k, &s, obj);
		return;
	}
	size_t row = (size_t)(k - bd->kws);
	if (row < SEEN_WORDS * 64 && !(k->flags & KW_REPEAT)) {
		if (seen[row / 64] & (1ULL << (row % 64)))
			p_warn(p, s.kw->pos, "'%s' is given more than once in this %s; "
			       "the last one is used", k->name, bd->name);
		seen[row / 64] |= 1ULL << (row % 64);
	}
	parse_value(p, k, &s, obj);
}

void parse_block_body(struct pctx *p, const struct block_desc *bd, void *obj,
		      struct srcpos opened, bool top)
{
	uint64_t seen[SEEN_WORDS] = { 0 };
	struct lex_event ev;

	if (p->depth >= PCTX_MAX_DEPTH) {
		p_error(p, opened, "blocks nested too deep");
		skip_block(p, opened);
		return;
	}
	p->stack[p->depth].desc = bd;
	p->stack[p->depth].obj = obj;
	p->stack[p->depth].pos = opened;
	p->depth++;
	for (;;) {
		next_event(p, &ev);
		if (ev.ev == LEX_EOF) {
			if (!top && !p->eof)
				p_error(p, opened, "'%s {' is never closed; add a '}'", bd->name);
			p->eof = true;
			push_back(p, &ev);
			break;
		}
		if (ev.ev == LEX_CLOSE) {
			if (!top)
				break;
			p_error(p, ev.pos, "'}' without a matching '{'; remove it");
			continue;
		}
		if (ev.ev == LEX_OPEN) {
			p_error(p, ev.pos, "'{' without a keyword before it; the block is skipped");
			skip_block(p, ev.pos);
			continue;
		}
		handle_stmt(p, bd, obj, &ev, seen);
	}
	p->depth--;
	if (bd->finish)
		bd->finish(p, obj, opened);
}

/* ---- dump and equality ----------------------------------------------------- */

static void dump_node(struct out *o, const struct node *n)
{
	const struct block_desc *d = n->desc;
	out_line_start(o);
	out_printf(o, "%s", d->name);
	if (d->dump_head)
		d->dump_head(o, n);
	out_printf(o, " {");
	o->indent++;
	dump_block_body(o, d, n);
	o->indent--;
	out_line_start(o);
	out_printf(o, "}");
}

void dump_block_body(struct out *o, const struct block_desc *bd, const void *obj)
{
	const void *tmpl = block_template(bd);

	for (const struct kw *k = bd->kws; k->name; k++) {
		const void *f = (const char *)obj + k->off;
		const void *t = (const char *)tmpl + k->off;
		const struct block_desc *sub = k->aux;
		if (k->flags & KW_ALIAS)
			continue;
		switch (k->type->kind) {
		case VT_VALUE:
			if (k->type->eq(k, f, t))
				break;
			out_line_start(o);
			out_printf(o, "%s", k->name);
			k->type->dump(o, k, f);
			break;
		case VT_BLOCK:
			if (block_eq(sub, f, t))
				break;
			out_line_start(o);
			out_printf(o, "%s {", k->name);
			o->indent++;
			dump_block_body(o, sub, f);
			o->indent--;
			out_line_start(o);
			out_printf(o, "}");
			break;
		case VT_LIST:
			for (const struct node *n = ((const struct list *)f)->first; n; n = n->next)
				dump_node(o, n);
			break;
		case VT_ITEMS: {
			const struct list *l = f;
			if (!l->n)
				break;
			out_line_start(o);
			out_printf(o, "%s {", k->name);
			o->indent++;
			for (const struct node *n = l->first; n; n = n->next) {
				out_line_start(o);
				sub->dump_item(o, n);
			}
			o->indent--;
			out_line_start(o);
			out_printf(o, "}");
			break;
		}
		}
	}
}

bool list_eq(const struct list *a, const struct list *b)
{
	if (a->n != b->n)
		return false;
	for (const struct node *x = a->first, *y = b->first; x && y; x = x->next, y = y->next)
		if (x->desc != y->desc || !block_eq(x->desc, x, y))
			return false;
	return true;
}

bool block_eq(const struct block_desc *bd, const void *a, const void *b)
{
	if (bd->head_eq && !bd->head_eq(a, b))
		return false;
	if (bd->item_eq)
		return bd->item_eq(a, b);
	for (const struct kw *k = bd->kws; k && k->name; k++) {
		const void *x = (const char *)a + k->off, *y = (const char *)b + k->off;
		if (k->flags & KW_ALIAS)
			continue;
		switch (k->type->kind) {
		case VT_VALUE:
			if (!k->type->eq(k, x, y))
				return false;
			break;
		case VT_BLOCK:
			if (!block_eq(k->aux, x, y))
				return false;
			break;
		case VT_LIST:
		case VT_ITEMS:
			if (!list_eq(x, y))
				return false;
			break;
		}
	}
	return true;
}
