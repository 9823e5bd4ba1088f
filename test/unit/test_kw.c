/* test_kw.c - the keyword engine on a small synthetic grammar, so that
 * what it promises (ranges, duplicates, misplaced keywords, skipped
 * blocks, canonical dump, equality) is tested apart from keepalived's
 * tables. */
#include <stdlib.h>
#include <string.h>

#include "kw.h"
#include "testutil.h"

struct leaf {
	struct named hdr;
	int weight;
	uint64_t delay;
	bool flag;
	char *cmd;
};

struct auth {
	char *pass;
	int type;
};

struct top {
	int level;
	struct vaddr addr;
	struct auth auth;
	struct list leaves;
};

static void leaf_init(void *o)
{
	((struct leaf *)o)->weight = 1;
	((struct leaf *)o)->delay = SEC(3);
}

static const struct kw leaf_kws[] = {
	KW_INT("weight", struct leaf, weight, -10, 10, ACTS),
	KW_TIMER("delay", struct leaf, delay, 0, SEC(60), ACTS),
	KW_FLAG("flag", struct leaf, flag, ACTS),
	{ "noflag", &vt_flag, KW_FIELD(struct leaf, flag), 0, 0, NULL, KW_ALIAS | KW_INVERT, NULL, ACTS },
	KW_CMD("cmd", struct leaf, cmd, ACTS),
	KW_END
};

static struct block_desc leaf_desc = {
	.name = "leaf", .size = sizeof(struct leaf), .init = leaf_init, .kws = leaf_kws,
	.head = head_name, .dump_head = dump_head_name, .head_eq = head_eq_name,
};

static const struct kw_enum auth_types[] = { { "PASS", 1 }, { "AH", 2 }, { NULL, 0 } };
static const struct kw auth_kws[] = {
	KW_STR("pass", struct auth, pass, ACTS),
	KW_ENUM("type", struct auth, type, auth_types, ACTS),
	KW_END
};
static struct block_desc auth_desc = { .name = "auth", .size = sizeof(struct auth), .kws = auth_kws };

static const struct kw top_kws[] = {
	KW_INT("level", struct top, level, 0, 5, ACTS),
	KW_ADDR("addr", struct top, addr, ACTS),
	KW_BLOCK("auth", struct top, auth, auth_desc, ACTS),
	KW_LIST("leaf", struct top, leaves, leaf_desc, ACTS),
	KW_END
};
static struct block_desc top_desc = { .name = "top", .size = sizeof(struct top), .kws = top_kws };

struct parsed {
	struct arena a;
	struct diags d;
	struct top top;
};

static struct parsed *parse(const char *text)
{
	struct parsed *r = calloc(1, sizeof(*r));
	struct lex_opts lo = { .config_id = NULL };
	arena_init(&r->a);
	diags_init(&r->d);
	block_init(&top_desc, &r->top);
	kw_registry_init(&top_desc);
	struct pctx p = { .d = &r->d, .a = &r->a };
	p.lx = lex_open_buffer("k.conf", NULL, text, strlen(text), &lo, &r->d);
	parse_block_body(&p, &top_desc, &r->top, (struct srcpos){ 0, 0, 0 }, true);
	lex_close(p.lx);
	return r;
}

static void release(struct parsed *r)
{
	arena_free(&r->a);
	diags_free(&r->d);
	free(r);
}

static char *dump(const struct top *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct out o = { f, 0 };
	dump_block_body(&o, &top_desc, t);
	fclose(f);
	return buf;
}

START_TEST(values_and_defaults)
{
	struct parsed *r = parse("level 3\naddr 10.0.0.1\nleaf a {\n weight -2\n delay 0.25\n flag\n}\nleaf b {\n}\n");
	ck_assert_uint_eq(r->d.nerrors, 0);
	ck_assert_int_eq(r->top.level, 3);
	ck_assert_uint_eq(r->top.leaves.n, 2);
	struct leaf *a = (struct leaf *)r->top.leaves.first;
	struct leaf *b = (struct leaf *)a->hdr.node.next;
	ck_assert_str_eq(a->hdr.name, "a");
	ck_assert_int_eq(a->weight, -2);
	ck_assert_uint_eq(a->delay, 250000);
	ck_assert(a->flag);
	ck_assert_int_eq(b->weight, 1);          /* default */
	ck_assert_uint_eq(b->delay, SEC(3));     /* default */
	ck_assert_uint_eq(a->hdr.node.pos.line, 3);
	release(r);
}
END_TEST

START_TEST(range_and_type_errors)
{
	struct parsed *r = parse("level 9\naddr 10.0.0.300\nleaf a {\n weight x\n delay -1\n}\n");
	ck_assert_uint_eq(r->d.nerrors, 4);
	ck_assert(diags_has(&r->d, DIAG_ERROR, "level 9 is out of range; use 0..5"));
	ck_assert(diags_has(&r->d, DIAG_ERROR, "not a valid IPv4 address"));
	ck_assert(diags_has(&r->d, DIAG_ERROR, "weight must be a whole number, not 'x'"));
	ck_assert(diags_has(&r->d, DIAG_ERROR, "delay must be a time in seconds"));
	/* every message has a line and a column */
	for (size_t i = 0; i < r->d.n; i++)
		ck_assert(r->d.msgs[i].pos.line > 0 && r->d.msgs[i].pos.col > 0);
	release(r);
}
END_TEST

START_TEST(duplicate_scalar_warns_last_wins)
{
	struct parsed *r = parse("level 1\nlevel 2\n");
	ck_assert_int_eq(r->top.level, 2);
	ck_assert(diags_has(&r->d, DIAG_WARNING, "'level' is given more than once"));
	release(r);
}
END_TEST

START_TEST(unknown_keyword_names_its_block_and_skips_its_block)
{
	struct parsed *r = parse("bogus 1 {\n a { b }\n}\nlevel 2\n");
	ck_assert_uint_eq(r->d.nerrors, 0);
	ck_assert(diags_has(&r->d, DIAG_WARNING, "unknown keyword 'bogus' in top"));
	ck_assert_int_eq(r->top.level, 2);
	release(r);
}
END_TEST

START_TEST(misplaced_keyword_named_and_honoured)
{
	/* a keyword of the enclosing block, written inside a child */
	struct parsed *r = parse("leaf a {\n level 4\n}\n");
	ck_assert(diags_has(&r->d, DIAG_WARNING, "'level' belongs in top, not in leaf; applied"));
	ck_assert_int_eq(r->top.level, 4);
	release(r);
	/* a keyword of a singleton child block, written one level up */
	r = parse("pass secret\n");
	ck_assert(diags_has(&r->d, DIAG_WARNING, "'pass' belongs inside auth { }"));
	ck_assert_str_eq(r->top.auth.pass, "secret");
	release(r);
	/* a keyword that belongs in a block that is not around it: named, not applied */
	r = parse("auth {\n weight 3\n}\n");
	ck_assert(diags_has(&r->d, DIAG_WARNING, "does not belong in auth (it belongs in leaf)"));
	release(r);
}
END_TEST

START_TEST(structure_errors)
{
	struct parsed *r = parse("leaf a {\n weight 1\n");
	ck_assert(diags_has(&r->d, DIAG_ERROR, "'leaf {' is never closed"));
	release(r);
	r = parse("}\nlevel 1\n");
	ck_assert(diags_has(&r->d, DIAG_ERROR, "'}' without a matching '{'"));
	ck_assert_int_eq(r->top.level, 1);
	release(r);
	r = parse("level 1 {\n x\n}\n");
	ck_assert(diags_has(&r->d, DIAG_ERROR, "'level' takes no block"));
	release(r);
	r = parse("leaf a\nlevel 2\n");
	ck_assert(diags_has(&r->d, DIAG_ERROR, "'leaf' needs a block"));
	ck_assert_int_eq(r->top.level, 2);
	release(r);
	r = parse("leaf {\n}\n");
	ck_assert(diags_has(&r->d, DIAG_ERROR, "leaf needs 1 value"));
	release(r);
}
END_TEST

START_TEST(deep_nesting_is_bounded)
{
	size_t depth = 10000;
	char *text = malloc(depth * 8 + 64);
	char *p = text;
	for (size_t i = 0; i < depth; i++)
		p += sprintf(p, "x {\n");
	for (size_t i = 0; i < depth; i++)
		p += sprintf(p, "}\n");
	strcpy(p, "level 3\n");
	struct parsed *r = parse(text);
	ck_assert_int_eq(r->top.level, 3);
	ck_assert_uint_eq(r->d.nerrors, 0);
	release(r);
	/* and unclosed */
	text[depth * 4] = '\0';
	r = parse(text);
	ck_assert(diags_has(&r->d, DIAG_ERROR, "never closed"));
	release(r);
	free(text);
}
END_TEST

START_TEST(dump_is_canonical_and_round_trips)
{
	struct parsed *r = parse("leaf a {\n weight 1\n delay 1.5\n noflag\n cmd /bin/x 'a b' c\n}\n"
				 "auth {\n type ah\n pass \"p w\"\n}\naddr fe80::1\n");
	ck_assert_uint_eq(r->d.nerrors, 0);
	char *text = dump(&r->top);
	/* defaults are not written; names are canonical; quoting as needed */
	ck_assert_ptr_null(strstr(text, "weight"));
	ck_assert_ptr_nonnull(strstr(text, "delay 1.5"));
	ck_assert_ptr_nonnull(strstr(text, "type AH"));
	ck_assert_ptr_nonnull(strstr(text, "pass \"p w\""));
	ck_assert_ptr_nonnull(strstr(text, "cmd \"/bin/x \\\"a b\\\" c\""));
	struct parsed *again = parse(text);
	ck_assert_uint_eq(again->d.nerrors, 0);
	ck_assert(block_eq(&top_desc, &r->top, &again->top));
	/* and equality sees a change */
	((struct leaf *)again->top.leaves.first)->weight = 7;
	ck_assert(!block_eq(&top_desc, &r->top, &again->top));
	free(text);
	release(again);
	release(r);
}
END_TEST

START_TEST(errors_are_not_crowded_out_by_warnings)
{
	size_t n = 1500;
	char *text = malloc(n * 16 + 64);
	char *p = text;
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "bog\x01us%zu x\n", i);
	strcpy(p, "level 99\n");
	struct parsed *r = parse(text);
	ck_assert_uint_eq(r->d.nwarnings, n);
	ck_assert_uint_eq(r->d.nerrors, 1);
	ck_assert(diags_has(&r->d, DIAG_ERROR, "level 99 is out of range"));
	/* control bytes from the input never reach the message text */
	for (size_t i = 0; i < r->d.n; i++)
		for (const char *c = r->d.msgs[i].text; *c; c++)
			ck_assert((unsigned char)*c >= ' ');
	release(r);
	free(text);
}
END_TEST

static Suite *kw_suite(void)
{
	Suite *s = suite_create("kw");
	TCase *tc = tcase_create("engine");
	tcase_add_test(tc, values_and_defaults);
	tcase_add_test(tc, range_and_type_errors);
	tcase_add_test(tc, duplicate_scalar_warns_last_wins);
	tcase_add_test(tc, unknown_keyword_names_its_block_and_skips_its_block);
	tcase_add_test(tc, misplaced_keyword_named_and_honoured);
	tcase_add_test(tc, structure_errors);
	tcase_add_test(tc, deep_nesting_is_bounded);
	tcase_add_test(tc, dump_is_canonical_and_round_trips);
	tcase_add_test(tc, errors_are_not_crowded_out_by_warnings);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(kw_suite());
}
