/* kw.h - the table-driven keyword engine behind the configuration parser.
 *
 * Each block of keepalived's language (global_defs, vrrp_instance,
 * real_server, TCP_CHECK, ...) is described once, as data: a block_desc
 * with the struct it fills, a function that sets keepalived's defaults,
 * and a table of keywords, each naming a value type and the field it
 * writes. From that one description the engine derives
 *   - parsing (with range checks, duplicate and misplaced-keyword
 *     warnings, and file:line:col on every message),
 *   - dumping in canonical keepalived syntax (a field is written when it
 *     differs from the defaults), and
 *   - equality of two models (parse(dump(m)) == m is a unit test).
 * Adding a keyword is one table row and one struct field.
 *
 * Value types (struct vtype) are small vtables; the common ones are
 * defined in kw.c (vt_int, vt_timer, vt_str, ...) and blocks with unusual
 * syntax define their own next to their table.
 */
#ifndef VIGIL_CONF_KW_H
#define VIGIL_CONF_KW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "arena.h"
#include "diag.h"
#include "lex.h"
#include "list.h"

struct config;
struct kw;
struct block_desc;

/* One statement: a keyword and the words after it on its line. */
struct stmt {
	const struct lex_word *kw;
	const struct lex_word *args;
	size_t nargs;
};

/* Where the parser is: what it is filling and inside which blocks. */
#define PCTX_MAX_DEPTH 16
struct pctx {
	struct diags *d;
	struct arena *a;
	struct config *cfg;
	struct lexer *lx;
	bool eof;                     /* end of input seen and reported */
	bool have_pushback;
	struct lex_event pushback;
	size_t depth;                 /* entries used in stack[] */
	size_t nsuggest;              /* unknown keywords given a suggestion */
	size_t quiet;                 /* > 0 inside a block opened by a keyword
				       * that has no effect: its own keywords
				       * are not warned about one by one */
	struct {
		const struct block_desc *desc;
		void *obj;
		struct srcpos pos;        /* where the block was opened */
	} stack[PCTX_MAX_DEPTH];
};

/* Canonical output with indentation, for dump. */
struct out {
	FILE *f;
	int indent;
};

struct vtype {
	const char *what;  /* for messages: "a whole number", "a time in seconds" */
	/* How many arguments it takes: n >= 0 exactly (used when a keyword is
	 * an option inside an item line, like "dev eth0"), -1 any number. */
	int arity;
	/* Parse s->args into field. Report problems with p_error() and
	 * return false; the field is then left as it was. */
	bool (*parse)(struct pctx *p, const struct kw *k, const struct stmt *s, void *field);
	/* Write the arguments (not the keyword) with out_word(). */
	void (*dump)(struct out *o, const struct kw *k, const void *field);
	bool (*eq)(const struct kw *k, const void *a, const void *b);
	/* Block-shaped types (vt_block, vt_list, vt_items) are handled by the
	 * engine itself: parse/dump/eq are NULL and kind says which. */
	enum { VT_VALUE, VT_BLOCK, VT_LIST, VT_ITEMS } kind;
};

/* Keyword flags */
#define KW_ALIAS    0x01  /* another name for a field that an earlier row owns:
			   * parsed, never dumped or compared (lb_algo = lvs_sched) */
#define KW_INVERT   0x02  /* a flag that stores false (nopreempt vs preempt) */
#define KW_REPEAT   0x04  /* may appear more than once without a warning */
#define KW_DEPRECATED 0x08 /* accepted with a warning naming the replacement (aux2) */
#define KW_ZERO_DEFAULT 0x20 /* keepalived rejects a value of 0 with a message and
			      * keeps its default: so does vigil, with a warning
			      * (vrrp_garp_interval 0, persistence_timeout 0) */

/* What a keyword does in vigil (issue 10: nothing silently ignored). Every
 * row states one; the zero value is "unmarked", which
 * test/unit/test_kw_effects.c rejects, so a row added without thinking
 * about it fails the unit tests. Rows write it with ACTS, NO_EFFECT(why)
 * or REFUSED(why) as their last macro argument. */
enum kw_effect {
	KW_UNMARKED = 0,
	KW_ACTS,       /* an engine reads what it writes; a test config under test/ uses it */
	KW_NO_EFFECT,  /* parsed and kept for the dump; warns "accepted but has no
			* effect in vigil: <why>" where it appears */
	KW_REFUSED,    /* an error where it appears: running without it would be unsafe */
};
#define ACTS            KW_ACTS, NULL
#define NO_EFFECT(why)  KW_NO_EFFECT, why
#define REFUSED(why)    KW_REFUSED, why

struct kw {
	const char *name;
	const struct vtype *type;
	size_t off;          /* of the field in the block's struct */
	size_t size;         /* of the field, for integer types */
	long long min, max;  /* integer range, or timer range in microseconds */
	const void *aux;     /* enum table, or sub-block desc for blocks/lists */
	unsigned flags;
	const char *note;    /* replacement for KW_DEPRECATED */
	enum kw_effect effect;
	const char *why;     /* for KW_NO_EFFECT and KW_REFUSED: the reason, and
			      * what to use instead where there is something */
};

/* Name/value pairs for vt_enum; the table ends with a NULL name. The
 * first name of a value is the one dump writes. */
struct kw_enum {
	const char *name;
	int value;
};

struct block_desc {
	const char *name;      /* keyword that opens it, e.g. "vrrp_instance" */
	size_t size;           /* of its struct, which starts with struct node
				* when it sits in a list */
	void (*init)(void *obj);               /* keepalived's defaults */
	const struct kw *kws;                  /* ends with a NULL name */
	/* Arguments on the opening line ("vrrp_instance VI_1 {"). NULL: the
	 * block takes none. */
	bool (*head)(struct pctx *p, void *obj, const struct stmt *s);
	void (*dump_head)(struct out *o, const void *obj);
	bool (*head_eq)(const void *a, const void *b);
	/* After the closing brace: checks that need the whole block. */
	void (*finish)(struct pctx *p, void *obj, struct srcpos pos);
	/* Item blocks (virtual_ipaddress { ... }): each line is one item
	 * parsed by parse_item from all its words; dump_item writes one line
	 * and item_eq compares two. With per_word, every word is an item of
	 * its own (notification_email { a@b c@d }). */
	bool (*parse_item)(struct pctx *p, void *item, const struct stmt *s);
	void (*dump_item)(struct out *o, const void *item);
	bool (*item_eq)(const void *a, const void *b);
	bool per_word;
	/* The option table(s) parse_item reads its words with (parse_options),
	 * NULL-terminated, so that walkers of the tables see them too. */
	const struct kw *const *opts;
	/* A statement that is not a keyword of this block: return true when
	 * the block understood it (e.g. a bare instance name directly in a
	 * vrrp_sync_group), having warned as needed. */
	bool (*unknown)(struct pctx *p, void *obj, const struct stmt *s);

	/* Engine-owned caches, built on first use. */
	const void *idx;
	void *tmpl;
};

/* ---- table row helpers ------------------------------------------------ */
#define KW_FIELD(T, f) offsetof(T, f), sizeof(((T *)0)->f)
#define KW_INT(n, T, f, lo, hi, E)   { n, &vt_int, KW_FIELD(T, f), lo, hi, NULL, 0, NULL, E }
#define KW_UINT(n, T, f, lo, hi, E)  { n, &vt_uint, KW_FIELD(T, f), lo, hi, NULL, 0, NULL, E }
/* Timers are seconds with fractions in the file and microseconds (uint64_t)
 * in the model; lo/hi are in microseconds. */
#define KW_TIMER(n, T, f, lo, hi, E) { n, &vt_timer, KW_FIELD(T, f), lo, hi, NULL, 0, NULL, E }
#define KW_FLAG(n, T, f, E)          { n, &vt_flag, KW_FIELD(T, f), 0, 0, NULL, 0, NULL, E }
#define KW_BOOL(n, T, f, E)          { n, &vt_bool, KW_FIELD(T, f), 0, 0, NULL, 0, NULL, E }
#define KW_STR(n, T, f, E)           { n, &vt_str, KW_FIELD(T, f), 0, 0, NULL, 0, NULL, E }
#define KW_CMD(n, T, f, E)           { n, &vt_cmd, KW_FIELD(T, f), 0, 0, NULL, 0, NULL, E }
#define KW_ENUM(n, T, f, tab, E)     { n, &vt_enum, KW_FIELD(T, f), 0, 0, tab, 0, NULL, E }
#define KW_ADDR(n, T, f, E)          { n, &vt_addr, KW_FIELD(T, f), 0, 0, NULL, 0, NULL, E }
#define KW_PREFIX(n, T, f, E)        { n, &vt_prefix, KW_FIELD(T, f), 0, 0, NULL, 0, NULL, E }
#define KW_BLOCK(n, T, f, d, E)      { n, &vt_block, KW_FIELD(T, f), 0, 0, &d, 0, NULL, E }
#define KW_LIST(n, T, f, d, E)       { n, &vt_list, KW_FIELD(T, f), 0, 0, &d, KW_REPEAT, NULL, E }
#define KW_ITEMS(n, T, f, d, E)      { n, &vt_items, KW_FIELD(T, f), 0, 0, &d, KW_REPEAT, NULL, E }
#define KW_TYPE(n, ty, T, f, E)      { n, &ty, KW_FIELD(T, f), 0, 0, NULL, 0, NULL, E }
#define KW_END                    { NULL, NULL, 0, 0, 0, 0, NULL, 0, NULL, KW_UNMARKED, NULL }

#define SEC(x) ((long long)(x) * 1000000LL)   /* timer bounds */

/* ---- common value types ------------------------------------------------ */
extern const struct vtype vt_int;     /* signed integer of kw->size bytes, min..max */
extern const struct vtype vt_uint;    /* unsigned integer, min..max */
extern const struct vtype vt_timer;   /* uint64_t microseconds from "1.5" seconds */
extern const struct vtype vt_flag;    /* bool set by the bare keyword; takes an optional <BOOL> */
extern const struct vtype vt_flag_bare; /* bool set by the keyword; a word after it is ignored
				       * with a warning, as keepalived ignores it */
extern const struct vtype vt_bool;    /* bool from a required <BOOL> */
extern const struct vtype vt_tri;     /* -1 unwritten / 0 / 1 (signed, kw->size bytes): "kw [<BOOL>]" */
extern const struct vtype vt_str;     /* char *, exactly one word */
extern const struct vtype vt_cmd;     /* char *, a command line: all words, re-quoted */
extern const struct vtype vt_enum;    /* int from a kw_enum table */
extern const struct vtype vt_enum_num; /* int: a name of the kw_enum table aux, or a number min..max */
extern const struct vtype vt_addr;    /* struct vaddr without prefix */
extern const struct vtype vt_prefix;  /* struct vaddr with optional /N */
extern const struct vtype vt_block;   /* embedded struct, "kw { ... }" */
extern const struct vtype vt_list;    /* struct list of objects, "kw head { ... }" */
extern const struct vtype vt_items;   /* struct list of items, "kw { item \n item }" */

/* ---- helpers for value types and hooks ---------------------------------- */
void p_error(struct pctx *p, struct srcpos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void p_warn(struct pctx *p, struct srcpos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Where a statement's argument i is, or the keyword when i is past the end. */
struct srcpos stmt_pos(const struct stmt *s, size_t i);
/* "needs N value(s)" check with a message; true when nargs is within lo..hi. */
bool stmt_nargs(struct pctx *p, const struct stmt *s, size_t lo, size_t hi);
char *p_strdup(struct pctx *p, const char *s);
/* Say what a keyword found at pos needs said: deprecated (a warning naming
 * the replacement), no effect (a warning with the reason) or refused (an
 * error). Returns false when refused. The engine calls it for every
 * keyword and option it parses; hooks that look keywords up themselves
 * call it too. */
bool kw_announce(struct pctx *p, const struct kw *k, struct srcpos pos);

/* Parsers for one word; on failure they report at w->pos and return false. */
bool parse_ll(struct pctx *p, const struct lex_word *w, long long lo, long long hi,
	      const char *what, long long *out);
bool parse_timer_word(struct pctx *p, const struct lex_word *w, long long lo,
		      long long hi, const char *what, uint64_t *usec);
bool parse_bool_word(struct pctx *p, const struct lex_word *w, bool *out);
bool parse_addr_word(struct pctx *p, const struct lex_word *w, bool allow_prefix,
		     void *vaddr_out);
bool parse_enum_word(struct pctx *p, const struct lex_word *w, const struct kw_enum *tab,
		     const char *what, int *out);
const char *enum_name(const struct kw_enum *tab, int value);
/* An address where keepalived ignores a prefix length (unicast_src_ip,
 * unicast_peer): "/N" is accepted with a warning and dropped. */
bool parse_addr_drop_prefix(struct pctx *p, const struct lex_word *w, const char *what,
			    void *vaddr_out);

/* Dump and equality of the common field shapes, for custom value types
 * whose parsing is special but whose storage is ordinary. */
void kw_addr_dump(struct out *o, const struct kw *k, const void *field);   /* struct vaddr */
bool kw_addr_eq(const struct kw *k, const void *a, const void *b);
void kw_str_dump(struct out *o, const struct kw *k, const void *field);    /* char * */
bool kw_str_eq(const struct kw *k, const void *a, const void *b);

/* Options after an item's head ("dev eth0 scope link label x"): each word
 * is looked up in kws; its type's arity says how many values follow. */
bool parse_options(struct pctx *p, const struct kw *kws, void *obj,
		   const struct lex_word *w, size_t n);
void dump_options(struct out *o, const struct kw *kws, const void *obj,
		  const void *tmpl);
bool fields_eq(const struct kw *kws, const void *a, const void *b);

/* Output: a word is quoted when it has to be to read back the same. */
void out_word(struct out *o, const char *s);
/* Write s as the first word of a line (an item of a block such as
 * notification_email): bare when the lexer reads it back as the same item,
 * quoted when it would read it as something else (an include, a
 * conditional, a comment). */
void out_lead_word(struct out *o, const char *s);
void out_printf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void out_line_start(struct out *o);   /* newline + indentation */

/* Head hooks for blocks whose struct starts with struct named and whose
 * opening line is "keyword NAME {". */
bool head_name(struct pctx *p, void *obj, const struct stmt *s);
void dump_head_name(struct out *o, const void *obj);
bool head_eq_name(const void *a, const void *b);

/* ---- engine entry points (kw.c) ----------------------------------------- */
/* Parse a block body up to its '}' (or the end of input for the top). */
void parse_block_body(struct pctx *p, const struct block_desc *bd, void *obj,
		      struct srcpos opened, bool top);
void dump_block_body(struct out *o, const struct block_desc *bd, const void *obj);
bool block_eq(const struct block_desc *bd, const void *a, const void *b);
/* Two lists of blocks, element by element (each by its own description). */
bool list_eq(const struct list *a, const struct list *b);
/* Apply bd's defaults to zeroed obj, and those of its embedded blocks. */
void block_init(const struct block_desc *bd, void *obj);
/* A block's default object (block_init applied to zeroed memory). */
const void *block_template(const struct block_desc *bd);
/* Every block reachable from root, for "keyword X belongs in block Y". */
void kw_registry_init(const struct block_desc *root);

#endif
