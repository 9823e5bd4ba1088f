/* test_kw_effects.c - every keyword says what it does in vigil (issue 10,
 * "nothing silently ignored").
 *
 * The test walks the keyword tables from the root block down (sub-blocks,
 * lists, item blocks and the option tables of item lines, block_desc.opts)
 * and checks, for every row:
 *   - it has an effect (src/conf/kw.h enum kw_effect): a row nobody marked
 *     fails here;
 *   - "no effect" and "refused" rows carry a reason, "acts" rows none;
 *   - an "acts" row is used by some configuration under test/: a
 *     keyword's first word on a line of a *.conf file, a shell script or a
 *     C test (configurations are embedded in both), or, for an option of
 *     an item line ("dev eth0"), a word anywhere on such a line. The files
 *     are found at run time under TEST_SRCDIR/test, so a new test counts
 *     without touching this one. test/fuzz (inputs, not tests) and this
 *     file are left out.
 *   - man/vigil.conf.5 holds, between its "keyword-effects" markers, the
 *     list this file prints with --man (so the manual cannot drift from the
 *     tables: regenerate with scripts/gen-man-effects.sh).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tab.h"
#include "testutil.h"

#ifndef TEST_SRCDIR
#define TEST_SRCDIR "."
#endif

/* The walk also runs outside a Check test (--man): no ck_assert there. */
static void need(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "test_kw_effects: %s\n", what);
		exit(1);
	}
}

struct row {
	const struct block_desc *block;
	const struct kw *kw;
	bool option;            /* of an item line, not a statement */
};

static struct row *rows;
static size_t nrows;
static const struct block_desc *seen[256];
static size_t nseen;

static void add_table(const struct block_desc *b, const struct kw *kws, bool option);

static void walk(const struct block_desc *b)
{
	for (size_t i = 0; i < nseen; i++)
		if (seen[i] == b)
			return;
	need(nseen < sizeof(seen) / sizeof(seen[0]), "more blocks than seen[] holds");
	seen[nseen++] = b;
	add_table(b, b->kws, false);
	for (const struct kw *const *o = b->opts; o && *o; o++)
		add_table(b, *o, true);
}

static void add_table(const struct block_desc *b, const struct kw *kws, bool option)
{
	for (const struct kw *k = kws; k && k->name; k++) {
		bool dup = false;
		for (size_t i = 0; i < nrows && !dup; i++)
			dup = rows[i].kw == k;
		if (!dup) {
			rows = realloc(rows, (nrows + 1) * sizeof(*rows));
			need(rows != NULL, "out of memory");
			rows[nrows++] = (struct row){ b, k, option };
		}
		if (k->type->kind != VT_VALUE && k->aux)
			walk(k->aux);
	}
}

static void walk_all(void)
{
	if (!nrows)
		walk(&desc_root);
}

/* ---- words used by the test configurations ------------------------------ */

static char **lead, **any;      /* first words of lines; every word */
static size_t nlead, nany, caplead, capany;

static void add_word(char ***v, size_t *n, size_t *cap, const char *w, size_t len)
{
	if (!len || len > 64)
		return;
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 4096;
		*v = realloc(*v, *cap * sizeof(**v));
		ck_assert_ptr_nonnull(*v);
	}
	(*v)[(*n)++] = strndup(w, len);
}

/* Skip blanks, quotes and C escapes (\t \n) that may precede a
 * configuration word in a test file. */
static const char *skip_noise(const char *p)
{
	for (;;) {
		if (*p == ' ' || *p == '\t' || *p == '"' || *p == '\'')
			p++;
		else if (p[0] == '\\' && (p[1] == 't' || p[1] == 'n'))
			p += 2;
		else
			return p;
	}
}

static size_t word_len(const char *p)
{
	size_t n = strcspn(p, " \t\"'\\{}\n;,)");
	return n;
}

static void scan_line(const char *line)
{
	const char *p = skip_noise(line);
	add_word(&lead, &nlead, &caplead, p, word_len(p));
	while (*p) {
		size_t n = word_len(p);
		add_word(&any, &nany, &capany, p, n);
		p += n;
		if (*p)
			p = skip_noise(p + 1);
	}
}

static bool wanted_file(const char *name)
{
	static const char *const ext[] = { ".conf", ".sh", ".c", ".h", ".in", NULL };
	if (!strcmp(name, "test_kw_effects.c"))
		return false;
	size_t n = strlen(name);
	for (size_t i = 0; ext[i]; i++) {
		size_t e = strlen(ext[i]);
		if (n > e && !strcmp(name + n - e, ext[i]))
			return true;
	}
	return !strchr(name, '.');     /* test/conf files without a suffix */
}

static void scan_dir(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	ck_assert_msg(d, "cannot open %s", dir);
	ck_assert_int_lt(depth, 8);
	struct dirent *e;
	while ((e = readdir(d))) {
		char path[4096];
		struct stat st;
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (strcmp(e->d_name, "fuzz"))
				scan_dir(path, depth + 1);
			continue;
		}
		if (!S_ISREG(st.st_mode) || st.st_size > 4 << 20 || !wanted_file(e->d_name))
			continue;
		FILE *f = fopen(path, "re");
		if (!f)
			continue;
		char *line = NULL;
		size_t cap = 0;
		while (getline(&line, &cap, f) > 0)
			scan_line(line);
		free(line);
		fclose(f);
	}
	closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void scan_tests(void)
{
	if (nlead)
		return;
	scan_dir(TEST_SRCDIR "/test", 0);
	qsort(lead, nlead, sizeof(*lead), cmp_str);
	qsort(any, nany, sizeof(*any), cmp_str);
}

static bool has(char **v, size_t n, const char *w)
{
	return bsearch(&w, v, n, sizeof(*v), cmp_str) != NULL;
}

/* ---- the manual's list ---------------------------------------------------- */

static int cmp_row(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int c = strcmp(x->kw->name, y->kw->name);
	if (!c)
		c = (int)x->kw->effect - (int)y->kw->effect;
	if (!c)
		c = strcmp(x->kw->why, y->kw->why);
	return c ? c : strcmp(x->block->name, y->block->name);
}

static bool same_entry(const struct row *x, const struct row *y)
{
	return !strcmp(x->kw->name, y->kw->name) && x->kw->effect == y->kw->effect &&
	       !strcmp(x->kw->why, y->kw->why);
}

static void man_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '-')
			fputs("\\-", f);
		else if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '\'' && s[1] == '\0')
			fputs("\\(aq", f);
		else
			fputc(*s, f);
	}
}

/* One entry per keyword and reason, naming the blocks it is in. */
static void print_man(FILE *f)
{
	walk_all();
	struct row *v = calloc(nrows, sizeof(*v));
	need(v != NULL, "out of memory");
	size_t n = 0;
	for (size_t i = 0; i < nrows; i++)
		if (rows[i].kw->effect == KW_NO_EFFECT || rows[i].kw->effect == KW_REFUSED)
			v[n++] = rows[i];
	qsort(v, n, sizeof(*v), cmp_row);
	fputs(".\\\" BEGIN keyword-effects: generated by test/unit/test_kw_effects --man\n", f);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && same_entry(&v[i], &v[j]))
			j++;
		fputs(".TP\n.B ", f);
		man_escape(f, v[i].kw->name);
		fputs("\n(", f);
		for (size_t x = i; x < j; x++) {
			if (x > i && v[x].block == v[x - 1].block)
				continue;
			fputs(x > i ? ", " : "", f);
			man_escape(f, v[x].block->name);
		}
		fputs(v[i].kw->effect == KW_REFUSED ? "; refused: an error) " : ") ", f);
		man_escape(f, v[i].kw->why);
		fputs(".\n", f);
		i = j;
	}
	fputs(".\\\" END keyword-effects\n", f);
	free(v);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	ck_assert_msg(f, "cannot open %s", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	long n = ftell(f);
	ck_assert_int_ge(n, 0);
	rewind(f);
	char *buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* ---- tests ---------------------------------------------------------------- */

START_TEST(walk_reaches_every_kind_of_table)
{
	walk_all();
	static const char *const some[][2] = {
		{ "global_defs", "vrrp_strict" }, { "vrrp_instance", "priority" },
		{ "real_server", "weight" }, { "static_/virtual_ipaddress", "dev" },
		{ "static_/virtual_routes", "encap" }, { "track_interface", "weight" },
		{ "unicast_peer", "min_ttl" }, { "url", "regex_stack" },
		{ "bfd_instance", "min_rx" },
	};
	for (size_t i = 0; i < sizeof(some) / sizeof(some[0]); i++) {
		bool found = false;
		for (size_t j = 0; j < nrows; j++)
			found |= !strcmp(rows[j].block->name, some[i][0]) &&
				 !strcmp(rows[j].kw->name, some[i][1]);
		ck_assert_msg(found, "the walk missed %s %s", some[i][0], some[i][1]);
	}
	ck_assert_uint_gt(nrows, 500);
}
END_TEST

START_TEST(every_keyword_has_an_effect)
{
	walk_all();
	size_t bad = 0;
	for (size_t i = 0; i < nrows; i++) {
		const struct kw *k = rows[i].kw;
		const char *b = rows[i].block->name;
		if (k->effect == KW_UNMARKED) {
			fprintf(stderr, "%s %s: no effect marked; end its row with ACTS, "
				"NO_EFFECT(why) or REFUSED(why)\n", b, k->name);
			bad++;
		} else if (k->effect == KW_ACTS && k->why) {
			fprintf(stderr, "%s %s: acts, but carries a reason\n", b, k->name);
			bad++;
		} else if (k->effect != KW_ACTS && (!k->why || strlen(k->why) < 10)) {
			fprintf(stderr, "%s %s: no effect or refused without a reason\n", b, k->name);
			bad++;
		}
	}
	ck_assert_msg(!bad, "%zu keyword rows without a proper effect (listed above)", bad);
}
END_TEST

START_TEST(every_acting_keyword_is_used_by_a_test)
{
	walk_all();
	scan_tests();
	ck_assert_uint_gt(nlead, 1000);
	size_t bad = 0;
	for (size_t i = 0; i < nrows; i++) {
		const struct kw *k = rows[i].kw;
		/* "": the entry lines of virtual_server_group, not a word */
		if (k->effect != KW_ACTS || !k->name[0])
			continue;
		bool used = rows[i].option ? has(any, nany, k->name) : has(lead, nlead, k->name);
		if (!used) {
			fprintf(stderr, "%s %s: marked as acting, but no configuration under "
				"test/ uses it\n", rows[i].block->name, k->name);
			bad++;
		}
	}
	ck_assert_msg(!bad, "%zu acting keywords no test uses (listed above)", bad);
}
END_TEST

START_TEST(warning_says_no_effect_at_the_line)
{
	struct diags d;
	diags_init(&d);
	struct config *cfg = parse_text("global_defs {\n  router_id x\n  vrrp_iptables\n}\n"
					"namespace_with_ipsets\n", &d);
	ck_assert_ptr_nonnull(cfg);
	ck_assert(diags_has(&d, DIAG_WARNING, "keyword 'vrrp_iptables' is accepted but has no "
			    "effect in vigil: vigil filters with nftables only"));
	ck_assert(diags_has(&d, DIAG_WARNING, "keyword 'namespace_with_ipsets' is accepted but "
			    "has no effect in vigil: "));
	bool at = false;
	for (size_t i = 0; i < d.n; i++)
		at |= d.msgs[i].pos.line == 3 && d.msgs[i].pos.col == 3 &&
		      strstr(d.msgs[i].text, "vrrp_iptables");
	ck_assert_msg(at, "the warning is not at 3:3");
	ck_assert_uint_eq(d.nwarnings, 2);
	conf_unref(cfg);
	diags_free(&d);

	/* A block without effect warns once, not for each of its lines. */
	diags_init(&d);
	cfg = parse_text("bfd_instance b1 {\n  neighbor_ip 10.0.0.1\n  min_rx 100\n}\n", &d);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_uint_eq(d.nwarnings, 1);
	ck_assert(diags_has(&d, DIAG_WARNING, "keyword 'bfd_instance' is accepted but has no "
			    "effect in vigil: vigil has no BFD"));
	conf_unref(cfg);
	diags_free(&d);

	/* An option of an item line. */
	diags_init(&d);
	cfg = parse_text("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
			 " priority 100\n virtual_ipaddress {\n  10.0.0.1/24\n }\n"
			 " virtual_routes {\n  10.1.0.0/16 via 10.0.0.254 no_track\n }\n}\n", &d);
	ck_assert_ptr_nonnull(cfg);
	ck_assert(diags_has(&d, DIAG_WARNING, "keyword 'no_track' is accepted but has no effect"));
	conf_unref(cfg);
	diags_free(&d);
}
END_TEST

START_TEST(manual_lists_every_keyword_without_effect)
{
	char *man = slurp(TEST_SRCDIR "/man/vigil.conf.5");
	char *want = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&want, &len);
	print_man(m);
	fclose(m);
	const char *b = strstr(man, ".\\\" BEGIN keyword-effects");
	const char *e = b ? strstr(b, ".\\\" END keyword-effects\n") : NULL;
	ck_assert_msg(b && e, "man/vigil.conf.5 has no keyword-effects markers");
	e += strlen(".\\\" END keyword-effects\n");
	bool same = (size_t)(e - b) == len && !memcmp(b, want, len);
	ck_assert_msg(same, "man/vigil.conf.5's list of keywords without effect differs from "
		      "the tables: run scripts/gen-man-effects.sh");
	free(want);
	free(man);
}
END_TEST

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--man")) {
		print_man(stdout);
		return 0;
	}
	Suite *s = suite_create("kw_effects");
	TCase *tc = tcase_create("tables");
	tcase_add_test(tc, walk_reaches_every_kind_of_table);
	tcase_add_test(tc, every_keyword_has_an_effect);
	tcase_add_test(tc, every_acting_keyword_is_used_by_a_test);
	tcase_add_test(tc, warning_says_no_effect_at_the_line);
	tcase_add_test(tc, manual_lists_every_keyword_without_effect);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
