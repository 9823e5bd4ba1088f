/* test_cmdline.c - splitting script command lines like sh, and telling
 * when only sh can run them. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"

/* The words as [w1] [w2] ... for one comparison with a readable diff. */
static char *split_str(const char *s)
{
	char **argv = NULL;
	const char *err = NULL;
	int argc = cmdline_split(s, &argv, &err);
	char *out = malloc(4096);
	size_t len = 0;

	if (argc < 0) {
		snprintf(out, 4096, "error: %s", err);
		return out;
	}
	ck_assert_int_eq(cmdline_split(s, NULL, NULL), argc);
	out[0] = '\0';
	for (int i = 0; i < argc; i++)
		len += (size_t)snprintf(out + len, 4096 - len, "%s[%s]", i ? " " : "", argv[i]);
	ck_assert_ptr_null(argv[argc]);
	free(argv);
	return out;
}

static void expect_split(const char *s, const char *want)
{
	char *got = split_str(s);
	ck_assert_msg(strcmp(got, want) == 0, "split of <%s>: got <%s>, want <%s>", s, got, want);
	free(got);
}

START_TEST(plain_words)
{
	expect_split("/bin/true", "[/bin/true]");
	expect_split("/usr/bin/check --port 80", "[/usr/bin/check] [--port] [80]");
	expect_split("  a \t b  c\t", "[a] [b] [c]");
	expect_split("a\nb", "[a] [b]");
}
END_TEST

START_TEST(quotes_and_escapes)
{
	/* The brief's example, and keepalived.conf(5)'s single quotes. */
	expect_split("\"a b\" 'c d' e\\ f", "[a b] [c d] [e f]");
	expect_split("/x.sh 'param one' two", "[/x.sh] [param one] [two]");
	/* Single quotes: everything literal, backslashes too. */
	expect_split("'a\\b' 'say \"hi\"'", "[a\\b] [say \"hi\"]");
	expect_split("'it''s'", "[its]");
	/* Double quotes: \" \\ \$ \` are escapes, other backslashes stay. */
	expect_split("\"it's\"", "[it's]");
	expect_split("\"q\\\"q\" \"b\\\\s\" \"\\$x\" \"\\`\"", "[q\"q] [b\\s] [$x] [`]");
	expect_split("\"a\\nb\" \"c\\d\"", "[a\\nb] [c\\d]");
	/* Outside quotes a backslash takes the next character. */
	expect_split("a\\\\b a\\'b a\\\"b \\|", "[a\\b] [a'b] [a\"b] [|]");
	expect_split("trailing\\", "[trailing\\]");
	/* Pieces join; empty quotes make empty words. */
	expect_split("a'b c'\"d\"e", "[ab cde]");
	expect_split("a '' \"\" b", "[a] [] [] [b]");
	expect_split("''", "[]");
	/* Backslash-newline is removed, inside a word or between words. */
	expect_split("ab\\\ncd", "[abcd]");
	expect_split("a \\\n b", "[a] [b]");
	expect_split("\"x\\\ny\"", "[xy]");
	/* The dumper's form: "..." with \" and \\ inside. */
	expect_split("/bin/echo \"say \\\"a b\\\" \\\\ done\"", "[/bin/echo] [say \"a b\" \\ done]");
}
END_TEST

START_TEST(errors)
{
	expect_split("", "error: empty command");
	expect_split(" \t \n", "error: empty command");
	expect_split("\\\n", "error: empty command");
	expect_split("/x 'abc", "error: unterminated single quote");
	expect_split("/x \"abc", "error: unterminated double quote");
	expect_split("/x \"abc\\\"", "error: unterminated double quote");
	expect_split("/x 'a\\'", "[/x] [a\\]");

	char **argv = (char **)0x1;
	const char *err = NULL;
	ck_assert_int_eq(cmdline_split("'x", &argv, &err), -1);
	ck_assert_ptr_eq(argv, (char **)0x1);    /* untouched on error */
	ck_assert_str_eq(err, "unterminated single quote");
	ck_assert_int_eq(cmdline_split("'x", NULL, NULL), -1);
}
END_TEST

START_TEST(one_block)
{
	/* Many words, long words: one allocation that free() releases (ASan
	 * reports a leak or an overflow otherwise). */
	char text[8192];
	size_t len = 0;
	for (int i = 0; i < 500; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s'w %d'", i ? " " : "", i);
	char **argv;
	ck_assert_int_eq(cmdline_split(text, &argv, NULL), 500);
	ck_assert_str_eq(argv[0], "w 0");
	ck_assert_str_eq(argv[499], "w 499");
	ck_assert_ptr_null(argv[500]);
	free(argv);
}
END_TEST

static void expect_shell(bool want, const char *s)
{
	ck_assert_msg(cmdline_needs_shell(s) == want, "needs_shell(<%s>) should be %s", s,
		      want ? "true" : "false");
}

START_TEST(needs_shell_no)
{
	expect_shell(false, "/bin/true");
	expect_shell(false, "/usr/bin/check --port 80 -H 10.0.0.1");
	expect_shell(false, "/x.sh 'a b' \"c d\" e\\ f");
	/* Quoted or escaped, shell characters are just characters. */
	expect_shell(false, "check 'a|b' 'x > y' 'a;b' '$HOME' '`id`' '*.sh' '~' '#c'");
	expect_shell(false, "check \"a|b\" \"*\" \"~\" \"#\" \"a;b\" \"\\$x\"");
	expect_shell(false, "check a\\|b a\\$b a\\*b \\~ \\#c a\\;b");
	/* # and ~ only count at the start of a word; = only in the first. */
	expect_shell(false, "check a#b a~b");
	expect_shell(false, "check x=y");
	expect_shell(false, "'A=1' cmd");
	/* Keywords only as the first word, and only unquoted. */
	expect_shell(false, "/bin/echo if then exit");
	expect_shell(false, "'exit' 1");
	expect_shell(false, "exit_helper 1");
}
END_TEST

START_TEST(needs_shell_yes)
{
	expect_shell(true, "echo x | grep -q x");
	expect_shell(true, "a > f");
	expect_shell(true, "a < f");
	expect_shell(true, "a 2>&1");
	expect_shell(true, "a; b");
	expect_shell(true, "a && b");
	expect_shell(true, "a || b");
	expect_shell(true, "a &");
	expect_shell(true, "echo $(id -u)");
	expect_shell(true, "echo `id -u`");
	expect_shell(true, "echo $HOME");
	expect_shell(true, "echo \"$HOME\"");
	expect_shell(true, "echo \"`id`\"");
	expect_shell(true, "echo ${X}");
	expect_shell(true, "ls *.sh");
	expect_shell(true, "ls ?");
	expect_shell(true, "ls [ab]");
	expect_shell(true, "cd ~");
	expect_shell(true, "ls ~/x");
	expect_shell(true, "cmd --dir=~/x");
	expect_shell(true, "echo a #comment");
	expect_shell(true, "FOO=1 cmd");
	expect_shell(true, "FOO='a b' cmd");
	expect_shell(true, "exit 1");
	expect_shell(true, "! /bin/false");
	expect_shell(true, ". /etc/profile");
	expect_shell(true, "if true; then :; fi");
	expect_shell(true, "(a)");
	expect_shell(true, "{ a; }");
	expect_shell(true, "a\nb");
	expect_shell(true, "echo a{b,c}");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cmdline");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, plain_words);
	tcase_add_test(tc, quotes_and_escapes);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, one_block);
	tcase_add_test(tc, needs_shell_no);
	tcase_add_test(tc, needs_shell_yes);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
