/* test_lex.c - the lexer: quoting, comments, braces, conditionals,
 * parameters and includes, each seen as the event stream it produces. */
#include <stdlib.h>
#include <string.h>

#include "lex.h"
#include "testutil.h"

#ifndef TEST_SRCDIR
#define TEST_SRCDIR "."
#endif

/* Events as text: words joined by ',', statements in [], braces as { }. */
static char *events(const char *text, const char *config_id, struct diags *d)
{
	struct lex_opts o = { .config_id = config_id };
	struct lexer *lx = lex_open_buffer("t.conf", TEST_SRCDIR "/test/conf/inc", text,
					   strlen(text), &o, d);
	size_t cap = 4096, len = 0;
	char *out = calloc(1, cap);
	struct lex_event ev;

	for (;;) {
		lex_next(lx, &ev);
		char piece[1024] = "";
		if (ev.ev == LEX_EOF)
			break;
		if (ev.ev == LEX_OPEN)
			strcpy(piece, "{ ");
		else if (ev.ev == LEX_CLOSE)
			strcpy(piece, "} ");
		else {
			size_t o2 = 0;
			o2 += (size_t)snprintf(piece + o2, sizeof(piece) - o2, "[");
			for (size_t i = 0; i < ev.nwords; i++)
				o2 += (size_t)snprintf(piece + o2, sizeof(piece) - o2, "%s%s",
						       i ? "," : "", ev.words[i].text);
			snprintf(piece + o2, sizeof(piece) - o2, "] ");
		}
		size_t pl = strlen(piece);
		if (len + pl + 1 > cap)
			out = realloc(out, cap = (len + pl + 1) * 2);
		memcpy(out + len, piece, pl + 1);
		len += pl;
	}
	lex_close(lx);
	return out;
}

static void expect_events(const char *text, const char *config_id, const char *want)
{
	struct diags d;
	diags_init(&d);
	char *got = events(text, config_id, &d);
	if (strcmp(got, want) != 0 || d.nerrors)
		diags_print(&d, stderr);
	ck_assert_str_eq(got, want);
	ck_assert_uint_eq(d.nerrors, 0);
	free(got);
	diags_free(&d);
}

START_TEST(words_and_braces)
{
	expect_events("a b c\n", NULL, "[a,b,c] ");
	expect_events("blk {\n x 1\n}\n", NULL, "[blk] { [x,1] } ");
	expect_events("blk { x 1 } y\n", NULL, "[blk] { [x,1] } [y] ");
	expect_events("blk\n{\n}\n", NULL, "[blk] { } ");
	expect_events("\n\n   \t\n", NULL, "");
	expect_events("a\r\nb\r\n", NULL, "[a] [b] ");
	expect_events("no newline at end", NULL, "[no,newline,at,end] ");
}
END_TEST

START_TEST(comments)
{
	expect_events("# whole line\n! also\na b # tail\nc!tail\n", NULL, "[a,b] [c] ");
	expect_events("a \"b # not a comment\" c\n", NULL, "[a,b # not a comment,c] ");
}
END_TEST

START_TEST(quoting)
{
	expect_events("a \"b c\" d\n", NULL, "[a,b c,d] ");
	expect_events("x 'single \\n kept'\n", NULL, "[x,single \\n kept] ");
	expect_events("x \"tab\\there\"\n", NULL, "[x,tab\there] ");
	expect_events("x ab\"cd ef\"gh\n", NULL, "[x,abcd efgh] ");
	expect_events("x \"q\\\"q\"\n", NULL, "[x,q\"q] ");
	expect_events("x \"\\x41\\101\"\n", NULL, "[x,AA] ");
	expect_events("x \"{ }\"\n", NULL, "[x,{ }] ");
}
END_TEST

START_TEST(unterminated_quote_is_an_error)
{
	struct diags d;
	diags_init(&d);
	char *got = events("a \"open\nb\n", NULL, &d);
	ck_assert_str_eq(got, "[a,open] [b] ");
	ck_assert(diags_has(&d, DIAG_ERROR, "unterminated double-quoted string"));
	ck_assert_uint_eq(d.msgs[0].pos.line, 1);
	ck_assert_uint_eq(d.msgs[0].pos.col, 3);
	free(got);
	diags_free(&d);
}
END_TEST

START_TEST(positions)
{
	struct diags d;
	diags_init(&d);
	struct lex_opts o = { .config_id = NULL };
	const char *text = "\n  key  value\n";
	struct lexer *lx = lex_open_buffer("p.conf", NULL, text, strlen(text), &o, &d);
	struct lex_event ev;
	lex_next(lx, &ev);
	ck_assert_int_eq(ev.ev, LEX_STMT);
	ck_assert_uint_eq(ev.words[0].pos.line, 2);
	ck_assert_uint_eq(ev.words[0].pos.col, 3);
	ck_assert_uint_eq(ev.words[1].pos.col, 8);
	lex_close(lx);
	diags_free(&d);
}
END_TEST

START_TEST(conditionals)
{
	const char *text = "@main a\n@backup b\n@^main c\n@^backup d\ne\n";
	expect_events(text, "main", "[a] [d] [e] ");
	expect_events(text, "backup", "[b] [c] [e] ");
	expect_events(text, NULL, "[c] [d] [e] ");
}
END_TEST

START_TEST(parameters)
{
	expect_events("$A=1\nx $A\n", NULL, "[x,1] ");
	expect_events("$A=1\nx ${A}0\n", NULL, "[x,10] ");
	/* undefined parameters stay as they are */
	expect_events("$A=1\nx $B ${C}\n", NULL, "[x,$B,${C}] ");
	/* replacement is recursive and happens at use time */
	expect_events("$BASE=10.2.${SUB}\n$SUB=0\n${BASE}.1\n$SUB=10\n${BASE}.1\n", NULL,
		      "[10.2.0.1] [10.2.10.1] ");
	/* a parameter can hold a conditional */
	expect_events("$IF=@main\n$IF priority 240\n", "main", "[priority,240] ");
	expect_events("$IF=@main\n$IF priority 240\n", "other", "");
	/* conditional definitions */
	expect_events("@a $P=1\n@b $P=2\nx $P\n", "b", "[x,2] ");
}
END_TEST

START_TEST(multiline_parameters)
{
	const char *text =
		"$BLOCK= \\\n"
		"blk_${N} { \\\n"
		"   @hi v 1 \\\n"
		"   @lo v 2 \\\n"
		"}\n"
		"$N=7\n"
		"$BLOCK\n";
	expect_events(text, "hi", "[blk_7] { [v,1] } ");
	expect_events(text, "lo", "[blk_7] { [v,2] } ");
	/* a multi-line definition on an unselected '@id' line is dropped whole */
	expect_events("@other $X= \\\n  a \\\n  b\nc\n", "main", "[c] ");
	expect_events("@main $X= \\\n  a \\\n  b\n$X\n", "main", "[a] [b] ");
}
END_TEST

START_TEST(self_reference_terminates)
{
	struct diags d;
	diags_init(&d);
	char *got = events("$A=x${A}\ny $A\n", NULL, &d);
	ck_assert(diags_has(&d, DIAG_ERROR, "does not end"));
	free(got);
	diags_free(&d);
}
END_TEST

START_TEST(includes)
{
	expect_events("include a.conf\nlast\n", NULL,
		      "[vrrp_script,from_a] { [script,/bin/true] } "
		      "[vrrp_script,from_b] { [script,/bin/true] } [last] ");
	/* glob, in sorted order */
	expect_events("include d/*.conf\n", NULL,
		      "[vrrp_script,d1] { [script,/bin/true] } "
		      "[vrrp_script,d2] { [script,/bin/true] } ");
	/* csh brace expressions */
	expect_events("include d/{20-two,10-one}.conf\n", NULL,
		      "[vrrp_script,d2] { [script,/bin/true] } "
		      "[vrrp_script,d1] { [script,/bin/true] } ");
}
END_TEST

START_TEST(include_loop_names_the_chain)
{
	struct diags d;
	diags_init(&d);
	char *got = events("include loop1.conf\n", NULL, &d);
	ck_assert(diags_has(&d, DIAG_ERROR, "include loop"));
	ck_assert(diags_has(&d, DIAG_ERROR, "loop1.conf -> "));
	ck_assert(diags_has(&d, DIAG_ERROR, "loop2.conf -> "));
	free(got);
	diags_free(&d);
}
END_TEST

START_TEST(missing_include)
{
	struct diags d;
	diags_init(&d);
	free(events("include nothere.conf\n", NULL, &d));
	ck_assert(diags_has(&d, DIAG_ERROR, "nothere.conf: no such file"));
	diags_free(&d);
	diags_init(&d);
	free(events("include nothere/*.conf\n", NULL, &d));
	ck_assert_uint_eq(d.nerrors, 0);
	ck_assert(diags_has(&d, DIAG_WARNING, "matched no file"));
	diags_free(&d);
	diags_init(&d);
	free(events("includea nothere/*.conf\n", NULL, &d));
	ck_assert(diags_has(&d, DIAG_ERROR, "matched no file"));
	diags_free(&d);
}
END_TEST

START_TEST(nul_bytes)
{
	struct diags d;
	diags_init(&d);
	struct lex_opts o = { .config_id = NULL };
	const char text[] = "a\0b\nc\n";
	struct lexer *lx = lex_open_buffer("bin", NULL, text, sizeof(text) - 1, &o, &d);
	struct lex_event ev;
	lex_next(lx, &ev);
	ck_assert_int_eq(ev.ev, LEX_STMT);
	ck_assert_uint_eq(ev.nwords, 2);
	lex_close(lx);
	ck_assert(diags_has(&d, DIAG_ERROR, "NUL byte"));
	diags_free(&d);
}
END_TEST

START_TEST(huge_token)
{
	size_t n = 100 * 1024;
	char *text = malloc(n + 8);
	memcpy(text, "k ", 2);
	memset(text + 2, 'x', n);
	strcpy(text + 2 + n, "\n");
	struct diags d;
	diags_init(&d);
	struct lex_opts o = { .config_id = NULL };
	struct lexer *lx = lex_open_buffer("big", NULL, text, strlen(text), &o, &d);
	struct lex_event ev;
	lex_next(lx, &ev);
	ck_assert_uint_eq(ev.nwords, 2);
	ck_assert_uint_eq(ev.words[1].len, n);
	lex_close(lx);
	diags_free(&d);
	free(text);
}
END_TEST

static Suite *lex_suite(void)
{
	Suite *s = suite_create("lex");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, words_and_braces);
	tcase_add_test(tc, comments);
	tcase_add_test(tc, quoting);
	tcase_add_test(tc, unterminated_quote_is_an_error);
	tcase_add_test(tc, positions);
	tcase_add_test(tc, conditionals);
	tcase_add_test(tc, parameters);
	tcase_add_test(tc, multiline_parameters);
	tcase_add_test(tc, self_reference_terminates);
	tcase_add_test(tc, includes);
	tcase_add_test(tc, include_loop_names_the_chain);
	tcase_add_test(tc, missing_include);
	tcase_add_test(tc, nul_bytes);
	tcase_add_test(tc, huge_token);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(lex_suite());
}
