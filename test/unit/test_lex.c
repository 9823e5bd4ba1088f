/* test_lex.c - the lexer: quoting, comments, braces, conditionals,
 * parameters and includes, each seen as the event stream it produces. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "file.h"
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


/* ---- files root must not trust (issue 15, hole 8) ------------------------ */

/* A folder of its own for each case; tmp_rm() removes it and what the
 * case made in it (the names it passes). */
static char tmpdir[64];

static void tmp_make(void)
{
	strcpy(tmpdir, "/tmp/vigil-lex.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static const char *tmp_path(const char *name)
{
	static char path[4][128];
	static int next;
	char *p = path[next++ % 4];
	snprintf(p, sizeof(path[0]), "%s/%s", tmpdir, name);
	return p;
}

static void tmp_write(const char *name, const char *text)
{
	FILE *f = fopen(tmp_path(name), "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(tmp_path(name), 0644), 0);
}

static void tmp_rm(const char *const *names)
{
	for (; *names; names++)
		unlink(tmp_path(*names));
	rmdir(tmpdir);
}

/* Events of the file at path, read with lex_open_file; "(null)" when it
 * could not be opened. */
static char *file_events(const char *path, const struct lex_opts *o, struct diags *d)
{
	struct lexer *lx = lex_open_file(path, o, d);
	if (!lx)
		return strdup("(null)");
	size_t cap = 4096, len = 0;
	char *out = calloc(1, cap);
	struct lex_event ev;
	for (;;) {
		lex_next(lx, &ev);
		if (ev.ev == LEX_EOF)
			break;
		for (size_t i = 0; i < (ev.ev == LEX_STMT ? ev.nwords : 1); i++) {
			const char *w = ev.ev == LEX_OPEN ? "{" : ev.ev == LEX_CLOSE ? "}"
								   : ev.words[i].text;
			size_t wl = strlen(w);
			if (len + wl + 2 > cap)
				out = realloc(out, cap = (len + wl + 2) * 2);
			memcpy(out + len, w, wl);
			len += wl;
			out[len++] = ' ';
			out[len] = '\0';
		}
	}
	lex_close(lx);
	return out;
}

START_TEST(include_of_a_fifo_is_refused)
{
	/* The old reader opened it O_RDONLY and waited for a writer forever
	 * (this case then ends at Check's timeout). */
	tmp_make();
	ck_assert_int_eq(mkfifo(tmp_path("fifo"), 0600), 0);
	char text[256];
	snprintf(text, sizeof(text), "a\ninclude %s\nlast\n", tmp_path("fifo"));
	struct diags d;
	diags_init(&d);
	char *got = events(text, NULL, &d);
	ck_assert_str_eq(got, "[a] [last] ");
	ck_assert(diags_has(&d, DIAG_ERROR, "it is a FIFO, and only regular files are read"));
	ck_assert_uint_eq(d.msgs[0].pos.line, 2);
	ck_assert_uint_eq(d.msgs[0].pos.col, 1);
	free(got);
	diags_free(&d);

	/* the main file itself */
	diags_init(&d);
	got = file_events(tmp_path("fifo"), NULL, &d);
	ck_assert_str_eq(got, "(null)");
	ck_assert(diags_has(&d, DIAG_ERROR, "cannot read configuration"));
	ck_assert(diags_has(&d, DIAG_ERROR, "it is a FIFO"));
	ck_assert_str_eq(diags_file_name(&d, d.msgs[0].pos.file), tmp_path("fifo"));
	free(got);
	diags_free(&d);

	/* one match of a glob among regular files */
	ck_assert_int_eq(mkdir(tmp_path("d"), 0755), 0);
	tmp_write("d/a.conf", "from_a\n");
	ck_assert_int_eq(mkfifo(tmp_path("d/b.conf"), 0600), 0);
	tmp_write("d/c.conf", "from_c\n");
	snprintf(text, sizeof(text), "include %s/*.conf\n", tmp_path("d"));
	diags_init(&d);
	got = events(text, NULL, &d);
	ck_assert_str_eq(got, "[from_a] [from_c] ");
	ck_assert_uint_eq(d.nerrors, 1);
	ck_assert(diags_has(&d, DIAG_ERROR, "d/b.conf: it is a FIFO"));
	free(got);
	diags_free(&d);
	tmp_rm((const char *const[]){ "fifo", "d/a.conf", "d/b.conf", "d/c.conf", "d", NULL });
}
END_TEST

START_TEST(include_of_a_device_is_refused)
{
	/* The old reader read /dev/zero until the heap gave out. */
	struct diags d;
	diags_init(&d);
	char *got = events("include /dev/zero\nlast\n", NULL, &d);
	ck_assert_str_eq(got, "[last] ");
	ck_assert(diags_has(&d, DIAG_ERROR,
			    "cannot read include file /dev/zero: it is a character device"));
	free(got);
	diags_free(&d);
	diags_init(&d);
	got = file_events("/dev/zero", NULL, &d);
	ck_assert_str_eq(got, "(null)");
	ck_assert(diags_has(&d, DIAG_ERROR, "it is a character device"));
	free(got);
	diags_free(&d);
	/* a folder */
	diags_init(&d);
	free(events("include /tmp\n", NULL, &d));
	ck_assert(diags_has(&d, DIAG_ERROR, "it is a directory"));
	diags_free(&d);
}
END_TEST

START_TEST(file_size_limits)
{
	tmp_make();
	/* Larger than the default 32 MiB: refused from its size alone (a
	 * sparse file; nothing is read). */
	int fd = open(tmp_path("huge"), O_CREAT | O_WRONLY, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)CONF_FILE_MAX_SIZE + 1), 0);
	close(fd);
	struct diags d;
	diags_init(&d);
	char *got = file_events(tmp_path("huge"), NULL, &d);
	ck_assert_str_eq(got, "(null)");
	ck_assert(diags_has(&d, DIAG_ERROR, "it is larger than 32 MiB"));
	free(got);
	diags_free(&d);

	/* Small limits: one file, then all files together. */
	char text[512];
	memset(text, 0, sizeof(text));
	for (int i = 0; i < 10; i++)
		strcat(text, "word word\n");            /* 100 bytes */
	tmp_write("hundred", text);
	struct lex_opts o = { .max_file_size = 99 };
	diags_init(&d);
	free(file_events(tmp_path("hundred"), &o, &d));
	ck_assert(diags_has(&d, DIAG_ERROR, "it is larger than 99 bytes"));
	diags_free(&d);

	snprintf(text, sizeof(text), "include %s\ninclude %s\nend\n", tmp_path("hundred"),
		 tmp_path("hundred"));
	tmp_write("main", text);
	size_t mainlen = strlen(text);
	struct lex_opts o2 = { .max_total_size = mainlen + 150 };
	diags_init(&d);
	got = file_events(tmp_path("main"), &o2, &d);
	ck_assert_uint_eq(d.nerrors, 1);
	ck_assert(diags_has(&d, DIAG_ERROR, "its includes would be larger than"));
	ck_assert_uint_eq(d.msgs[0].pos.line, 2);
	/* the first include was read, the second was not */
	ck_assert_ptr_nonnull(strstr(got, "word end"));
	ck_assert_ptr_null(strstr(got, "word word word word word word word word word word "
				       "word word word word word word word word word word word"));
	free(got);
	diags_free(&d);
	tmp_rm((const char *const[]){ "huge", "hundred", "main", NULL });
}
END_TEST

START_TEST(writers_other_than_root)
{
	char who[96];
	/* owner */
	ck_assert(!conf_file_writers(0, 0, 0644, 0, 0, who, sizeof(who)));
	ck_assert(conf_file_writers(1000, 0, 0644, 0, 0, who, sizeof(who)));
	ck_assert_str_eq(who, "writable by uid 1000 (its owner)");
	/* read-only for its owner still counts: the owner can chmod it */
	ck_assert(conf_file_writers(1000, 0, 0444, 0, 0, who, sizeof(who)));
	/* the user running vigild (a test, an unprivileged -t) */
	ck_assert(!conf_file_writers(1000, 1000, 0644, 1000, 1000, who, sizeof(who)));
	/* group */
	ck_assert(!conf_file_writers(0, 0, 0664, 0, 0, who, sizeof(who)));
	ck_assert(conf_file_writers(0, 50, 0664, 0, 0, who, sizeof(who)));
	ck_assert_str_eq(who, "writable by group 50 (mode 0664)");
	ck_assert(!conf_file_writers(0, 50, 0644, 0, 0, who, sizeof(who)));
	/* others */
	ck_assert(conf_file_writers(0, 0, 0666, 0, 0, who, sizeof(who)));
	ck_assert_str_eq(who, "writable by every user (mode 0666)");
	ck_assert(conf_file_writers(0, 0, 0602, 0, 0, who, sizeof(who)));

	/* Through the lexer: the main file named, an include at its line. */
	tmp_make();
	tmp_write("open.conf", "x\n");
	ck_assert_int_eq(chmod(tmp_path("open.conf"), 0666), 0);
	char text[256];
	snprintf(text, sizeof(text), "a\n  include %s\n", tmp_path("open.conf"));
	tmp_write("main.conf", text);
	struct diags d;
	diags_init(&d);
	char *got = file_events(tmp_path("main.conf"), NULL, &d);
	ck_assert_str_eq(got, "a x ");
	ck_assert_uint_eq(d.nerrors, 0);
	ck_assert_uint_eq(d.nwarnings, 1);
	ck_assert(diags_has(&d, DIAG_WARNING, "included file"));
	ck_assert(diags_has(&d, DIAG_WARNING, "open.conf is writable by every user (mode 0666)"));
	ck_assert_uint_eq(d.msgs[0].pos.line, 2);
	ck_assert_uint_eq(d.msgs[0].pos.col, 3);
	free(got);
	diags_free(&d);
	ck_assert_int_eq(chmod(tmp_path("main.conf"), 0646), 0);
	diags_init(&d);
	free(file_events(tmp_path("main.conf"), NULL, &d));
	ck_assert_uint_eq(d.nwarnings, 2);
	ck_assert(diags_has(&d, DIAG_WARNING, "configuration file"));
	ck_assert(diags_has(&d, DIAG_WARNING, "main.conf is writable by every user (mode 0646)"));
	ck_assert_uint_eq(d.msgs[0].pos.line, 0);
	diags_free(&d);
	tmp_rm((const char *const[]){ "open.conf", "main.conf", NULL });
}
END_TEST

/* ---- parameter substitution: results and cost ------------------------------ */

START_TEST(parameters_nested_and_redefined)
{
	/* three levels, braced and bare, looked up at use time */
	expect_events("$C=c\n$B=b${C}\n$A=[${B}] $C\nx $A\n$C=z\nx $A\n", NULL,
		      "[x,[bc],c] [x,[bz],z] ");
	/* a redefinition replaces the value from its line on */
	expect_events("$P=1\nx $P\n$P=2\nx $P\n$P=\nx $P y\n", NULL, "[x,1] [x,2] [x,y] ");
	/* undefined ones stay as written, with no message */
	expect_events("$A=1\nx $UNDEF ${UNDEF} $A$B\n", NULL, "[x,$UNDEF,${UNDEF},$A$B] ");
	/* many definitions: each found (they are hashed) */
	size_t n = 5000, cap = n * 40, len = 0;
	char *text = malloc(cap), *want = malloc(cap);
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len, "$P_%zu=v%zu\n", i, i * 7);
	size_t wl = 0;
	for (size_t i = 0; i < n; i += 97) {
		len += (size_t)snprintf(text + len, cap - len, "k ${P_%zu}\n", i);
		wl += (size_t)snprintf(want + wl, cap - wl, "[k,v%zu] ", i * 7);
	}
	expect_events(text, NULL, want);
	free(text);
	free(want);
}
END_TEST

START_TEST(long_multiline_parameter)
{
	/* 20,000 continuation lines, used once: every line comes out. */
	size_t n = 20000, cap = n * 16 + 64, len = 0;
	char *text = malloc(cap);
	len += (size_t)snprintf(text + len, cap - len, "$M= \\\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len, "w%zu%s\n", i, i + 1 < n ? " \\" : "");
	snprintf(text + len, cap - len, "$M\n");
	struct diags d;
	diags_init(&d);
	char *got = events(text, NULL, &d);
	ck_assert_uint_eq(d.nerrors, 0);
	ck_assert_ptr_nonnull(strstr(got, "[w0] [w1] "));
	ck_assert_ptr_nonnull(strstr(got, "[w19999] "));
	free(got);
	free(text);
	diags_free(&d);
}
END_TEST

/* "$A0=x", "$A1=$A0 $A0", ...: $A<levels> is 2^levels words. */
static size_t doubling_defs(char *text, size_t cap, int levels)
{
	size_t len = (size_t)snprintf(text, cap, "$A0=x\n");
	for (int i = 1; i <= levels; i++)
		len += (size_t)snprintf(text + len, cap - len, "$A%d=$A%d $A%d\n", i, i - 1, i - 1);
	return len;
}

START_TEST(doubling_parameter_is_refused_quickly)
{
	/* The attack of issue 15: 2,000 uses of a value that doubles at each
	 * of 19 levels (a megabyte each). The old lexer spent about 55 ms a
	 * line (110 s in all) before it said "does not end" for each; this
	 * case has a 30 s timeout (ASan included) and asks for 10 s of CPU
	 * at most. */
	size_t cap = 64 * 1024, len;
	char *text = malloc(cap);
	len = doubling_defs(text, cap, 19);
	for (int i = 0; i < 2000; i++)
		len += (size_t)snprintf(text + len, cap - len, "$A19\n");
	struct diags d;
	diags_init(&d);
	clock_t t0 = clock();
	char *got = events(text, NULL, &d);
	double cpu = (double)(clock() - t0) / CLOCKS_PER_SEC;
	ck_assert_msg(cpu < 10.0, "2,000 doubling lines took %.1f s of CPU", cpu);
	ck_assert(diags_has(&d, DIAG_ERROR, "longer than 1 MiB"));
	ck_assert(diags_has(&d, DIAG_ERROR, "expand to too much text in all"));
	/* one error a line until the budget is spent, then one */
	ck_assert_uint_lt(d.nerrors, 200);
	free(got);

	/* One use of a value just under the line limit is still expanded. */
	len = doubling_defs(text, cap, 17);
	snprintf(text + len, cap - len, "$A17\n");
	diags_free(&d);
	diags_init(&d);
	struct lex_opts o = { .config_id = NULL };
	struct lexer *lx = lex_open_buffer("t.conf", NULL, text, strlen(text), &o, &d);
	struct lex_event ev;
	lex_next(lx, &ev);
	ck_assert_int_eq(ev.ev, LEX_STMT);
	ck_assert_uint_eq(ev.nwords, (size_t)1 << 17);
	lex_next(lx, &ev);
	ck_assert_int_eq(ev.ev, LEX_EOF);
	lex_close(lx);
	ck_assert_uint_eq(d.nerrors, 0);
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
	tcase_add_test(tc, include_of_a_fifo_is_refused);
	tcase_add_test(tc, include_of_a_device_is_refused);
	tcase_add_test(tc, file_size_limits);
	tcase_add_test(tc, writers_other_than_root);
	tcase_add_test(tc, parameters_nested_and_redefined);
	tcase_add_test(tc, long_multiline_parameter);
	suite_add_tcase(s, tc);
	/* Cases about cost: a timeout of their own, long enough for ASan,
	 * far shorter than the old lexer took. */
	TCase *cost = tcase_create("cost");
	tcase_set_timeout(cost, 30);
	tcase_add_test(cost, doubling_parameter_is_refused_quickly);
	suite_add_tcase(s, cost);
	return s;
}

int main(void)
{
	return run_suite(lex_suite());
}
