/* test_conf_check.c - the check blocks of the configuration language:
 * every keyword of every checker, keepalived's defaults and inheritance,
 * range and reference errors, and parse(dump(m)) == m. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tab.h"
#include "testutil.h"

/* A virtual server with one real server holding the given checkers. */
static char *vs_with(const char *rs_body)
{
	static const char fmt[] =
		"track_file tf1 {\n file /tmp/tf1\n}\n"
		"virtual_server 10.0.0.1 80 {\n protocol TCP\n"
		" real_server 10.0.0.2 80 {\n%s\n }\n}\n";
	size_t len = sizeof(fmt) + strlen(rs_body);
	char *s = malloc(len);
	snprintf(s, len, fmt, rs_body);
	return s;
}

static struct config *parse_rs(const char *rs_body, size_t *nwarn)
{
	char *text = vs_with(rs_body);
	struct config *cfg = parse_ok(text, nwarn);
	free(text);
	return cfg;
}

static void rs_error(const char *rs_body, const char *substr)
{
	char *text = vs_with(rs_body);
	expect_error(text, substr);
	free(text);
}

static void rs_warning(const char *rs_body, const char *substr)
{
	char *text = vs_with(rs_body);
	expect_warning(text, substr);
	free(text);
}

static struct virtual_server *first_vs(struct config *cfg)
{
	return (struct virtual_server *)(void *)cfg->virtual_servers.first;
}

static struct real_server *first_rs(struct config *cfg)
{
	return (struct real_server *)(void *)first_vs(cfg)->real_servers.first;
}

/* The i-th checker of the first real server. */
static void *checker_at(struct config *cfg, size_t i)
{
	struct node *n = first_rs(cfg)->checkers.first;
	while (n && i--)
		n = n->next;
	ck_assert_ptr_nonnull(n);
	return n;
}

static struct vaddr addr(const char *s)
{
	struct vaddr a;
	ck_assert_ptr_null(vaddr_parse(s, false, &a));
	return a;
}

/* Two real-server bodies parse to different models. */
static void assert_differ(const char *a, const char *b)
{
	struct config *x = parse_rs(a, NULL), *y = parse_rs(b, NULL);
	ck_assert_msg(!conf_equal(x, y), "models should differ:\n%s\n---\n%s", a, b);
	ck_assert(conf_equal(x, x));
	conf_unref(x);
	conf_unref(y);
}

/* ---- common options ------------------------------------------------------ */

START_TEST(tcp_every_keyword)
{
	size_t nwarn = 0;
	struct config *cfg = parse_rs(
		"TCP_CHECK {\n"
		" connect_ip 10.0.0.3\n connect_port 8080\n bindto 10.0.0.9\n"
		" bind_port 5000\n bind_if eth0\n connect_timeout 2.5\n fwmark 7\n"
		" retry 0\n delay_before_retry 0\n warmup 0\n delay_loop 0.5\n"
		" alpha\n log_all_failures off\n}\n", &nwarn);
	ck_assert_uint_eq(nwarn, 0);
	ck_assert_uint_eq(first_rs(cfg)->checkers.n, 1);
	struct checker *c = checker_at(cfg, 0);
	ck_assert_ptr_eq(c->node.desc, &desc_tcp_check);
	ck_assert_int_eq(c->kind, CHECK_TCP);
	struct vaddr a3 = addr("10.0.0.3"), a9 = addr("10.0.0.9");
	ck_assert(vaddr_equal(&c->conn.connect_ip, &a3));
	ck_assert(vaddr_equal(&c->conn.bindto, &a9));
	ck_assert_uint_eq(c->conn.connect_port, 8080);
	ck_assert_uint_eq(c->conn.bind_port, 5000);
	ck_assert_str_eq(c->conn.bind_if, "eth0");
	ck_assert_uint_eq(c->conn.connect_timeout, 2500000);
	ck_assert_uint_eq(c->conn.fwmark, 7);
	ck_assert_uint_eq(c->retry, 0);
	ck_assert_uint_eq(c->delay_before_retry, 0);
	ck_assert_uint_eq(c->warmup, 0);
	ck_assert_uint_eq(c->delay_loop, 500000);
	ck_assert_int_eq(c->alpha, 1);
	ck_assert_int_eq(c->log_all_failures, 0);
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

START_TEST(tcp_defaults_inherit)
{
	struct config *cfg = parse_rs("TCP_CHECK {\n}\nPING_CHECK {\n}\n", NULL);
	struct checker *c = checker_at(cfg, 0);
	ck_assert_int_eq(c->kind, CHECK_TCP);
	ck_assert_uint_eq(c->conn.connect_ip.family, 0);
	ck_assert_uint_eq(c->conn.bindto.family, 0);
	ck_assert_uint_eq(c->conn.connect_port, 0);
	ck_assert_uint_eq(c->conn.bind_port, 0);
	ck_assert_ptr_null(c->conn.bind_if);
	ck_assert_uint_eq(c->conn.fwmark, 0);
	ck_assert_uint_eq(c->conn.connect_timeout, CHECK_INHERIT_TIMER);
	ck_assert_uint_eq(c->delay_loop, CHECK_INHERIT_TIMER);
	ck_assert_uint_eq(c->delay_before_retry, CHECK_INHERIT_TIMER);
	ck_assert_uint_eq(c->warmup, CHECK_INHERIT_TIMER);
	ck_assert_uint_eq(c->retry, CHECK_INHERIT_RETRY);
	ck_assert_int_eq(c->alpha, CHECK_INHERIT_BOOL);
	ck_assert_int_eq(c->log_all_failures, CHECK_INHERIT_BOOL);
	struct checker *ping = checker_at(cfg, 1);
	ck_assert_ptr_eq(ping->node.desc, &desc_ping_check);
	ck_assert_int_eq(ping->kind, CHECK_PING);

	/* keepalived's defaults when nobody says anything */
	struct check_timing t;
	checker_effective(c, first_rs(cfg), first_vs(cfg), &t);
	ck_assert_uint_eq(t.connect_timeout, SEC(5));
	ck_assert_uint_eq(t.delay_loop, SEC(60));
	ck_assert_uint_eq(t.delay_before_retry, SEC(1));
	ck_assert_uint_eq(t.warmup, SEC(60));
	ck_assert_uint_eq(t.retry, 1);
	ck_assert(!t.alpha);
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

START_TEST(inheritance_chain)
{
	/* checker beats real_server beats virtual_server beats the kind's default */
	struct config *cfg = parse_ok(
		"virtual_server 10.0.0.1 80 {\n protocol TCP\n delay_loop 20\n retry 4\n"
		" connect_timeout 7\n alpha\n"
		" real_server 10.0.0.2 80 {\n delay_loop 10\n delay_before_retry 2\n"
		"  TCP_CHECK {\n   delay_loop 3\n  }\n"
		"  HTTP_GET {\n   url {\n    path /\n   }\n   alpha off\n  }\n"
		" }\n"
		" real_server 10.0.0.3 80 {\n"
		"  HTTP_GET {\n   url {\n    path /\n   }\n  }\n"
		"  DNS_CHECK {\n  }\n"
		"  MISC_CHECK {\n   misc_path /bin/true\n  }\n"
		" }\n}\n", NULL);
	struct virtual_server *vs = first_vs(cfg);
	struct real_server *rs1 = first_rs(cfg);
	struct real_server *rs2 = (struct real_server *)(void *)rs1->node.next;
	struct check_timing t;

	checker_effective((struct checker *)(void *)rs1->checkers.first, rs1, vs, &t);
	ck_assert_uint_eq(t.delay_loop, SEC(3));
	ck_assert_uint_eq(t.warmup, SEC(3));            /* follows the checker's delay_loop */
	ck_assert_uint_eq(t.delay_before_retry, SEC(2)); /* the real server's */
	ck_assert_uint_eq(t.retry, 4);                  /* the virtual server's */
	ck_assert_uint_eq(t.connect_timeout, SEC(7));
	ck_assert(t.alpha);

	checker_effective((struct checker *)(void *)rs1->checkers.first->next, rs1, vs, &t);
	ck_assert_uint_eq(t.delay_loop, SEC(10));
	ck_assert(!t.alpha);                            /* the checker's own "alpha off" */

	/* per-kind defaults of delay_before_retry and retry */
	struct virtual_server plain = *vs;
	plain.retry = LVS_RETRY_INHERIT;
	struct node *n = rs2->checkers.first;
	checker_effective((struct checker *)(void *)n, rs2, &plain, &t);
	ck_assert_uint_eq(t.delay_before_retry, SEC(3)); /* HTTP_GET */
	ck_assert_uint_eq(t.retry, 1);
	checker_effective((struct checker *)(void *)n->next, rs2, &plain, &t);
	ck_assert_uint_eq(t.delay_before_retry, SEC(20)); /* DNS_CHECK: its delay_loop */
	ck_assert_uint_eq(t.retry, 3);
	checker_effective((struct checker *)(void *)n->next->next, rs2, &plain, &t);
	ck_assert_uint_eq(t.delay_before_retry, SEC(1));
	ck_assert_uint_eq(t.retry, 0);                  /* MISC_CHECK */
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

START_TEST(common_range_errors)
{
	rs_error("TCP_CHECK {\n connect_port 0\n}", "connect_port 0 is out of range; use 1..65535");
	rs_error("TCP_CHECK {\n connect_port 65536\n}", "connect_port 65536 is out of range");
	rs_error("TCP_CHECK {\n bind_port 0\n}", "bind_port 0 is out of range; use 1..65535");
	rs_error("TCP_CHECK {\n connect_timeout 0\n}",
		 "connect_timeout 0 is out of range; use 0.000001..4294.967295 seconds");
	rs_error("TCP_CHECK {\n connect_timeout 4294.967296\n}", "connect_timeout 4294.967296 is out of range");
	rs_error("TCP_CHECK {\n delay_loop 0\n}", "delay_loop 0 is out of range");
	rs_error("TCP_CHECK {\n delay_loop x\n}", "delay_loop must be a time in seconds");
	rs_error("TCP_CHECK {\n warmup -1\n}", "warmup must be a time in seconds");
	rs_error("TCP_CHECK {\n retry -1\n}", "retry -1 is out of range; use 0..4294967294");
	rs_error("TCP_CHECK {\n fwmark 4294967296\n}", "fwmark 4294967296 is out of range");
	rs_error("TCP_CHECK {\n connect_ip 10.0.0.300\n}", "10.0.0.300");
	rs_error("TCP_CHECK {\n connect_ip host.example.com\n}", "host.example.com");
	rs_error("TCP_CHECK {\n bindto 10.0.0.1/24\n}", "10.0.0.1/24");
	rs_error("TCP_CHECK {\n bind_if verylonginterfacename0\n}",
		 "bind_if 'verylonginterfacename0' is not an interface name; use 1..15 characters");
	rs_error("TCP_CHECK {\n alpha maybe\n}", "'maybe' is not a boolean");
	rs_error("PING_CHECK {\n connect_timeout 0\n}", "connect_timeout 0 is out of range");
}
END_TEST

START_TEST(address_family_and_link_local)
{
	rs_error("TCP_CHECK {\n connect_ip 10.0.0.3\n bindto 2001:db8::1\n}",
		 "bindto 2001:db8::1 and the address it connects to, 10.0.0.3, are of different families");
	/* the real server's address when there is no connect_ip (checked after parsing) */
	rs_error("TCP_CHECK {\n bindto 2001:db8::1\n}",
		 "bindto 2001:db8::1 and the address it connects to, 10.0.0.2, are of different families");
	rs_error("UDP_CHECK {\n connect_ip fe80::1\n}",
		 "connects to the link-local address fe80::1, which needs an interface; add bind_if");
	size_t nwarn = 0;
	struct config *cfg = parse_rs("TCP_CHECK {\n connect_ip fe80::1\n bind_if eth0\n"
				      " bindto fe80::2\n}", &nwarn);
	ck_assert_uint_eq(nwarn, 0);
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

/* ---- HTTP_GET / SSL_GET ---------------------------------------------------- */

START_TEST(http_every_keyword)
{
	size_t nwarn = 0;
	struct config *cfg = parse_rs(
		"HTTP_GET {\n connect_port 8080\n retry 4\n http_protocol 1.0c\n"
		" virtualhost www.example.com\n fast_recovery\n"
		" url {\n  path /index.html\n  digest 9B3A0C85A887A256D6939DA88AABD8CD\n"
		"  status_code 404 200-299 300 302\n  status_code 500 501-503\n"
		"  virtualhost x.example.com\n  regex \"^ok$\"\n  regex_no_match\n"
		"  regex_options caseless dotall\n  regex_options utf\n"
		"  regex_stack 1024 65536\n  regex_min_offset 2\n  regex_max_offset 100\n }\n"
		" url {\n  path /\n }\n}\n", &nwarn);
	ck_assert_uint_eq(nwarn, 0);
	struct http_check *h = checker_at(cfg, 0);
	ck_assert_ptr_eq(h->c.node.desc, &desc_http_get);
	ck_assert_int_eq(h->c.kind, CHECK_HTTP);
	ck_assert_uint_eq(h->c.conn.connect_port, 8080);
	ck_assert_uint_eq(h->c.retry, 4);
	ck_assert_int_eq(h->http_protocol, CHECK_HTTP_1_0C);
	ck_assert_str_eq(h->virtualhost, "www.example.com");
	ck_assert(h->fast_recovery);
	ck_assert(!h->enable_sni);
	ck_assert_uint_eq(h->urls.n, 2);

	struct check_url *u = (struct check_url *)(void *)h->urls.first;
	ck_assert_str_eq(u->path, "/index.html");
	static const uint8_t md5[16] = { 0x9b, 0x3a, 0x0c, 0x85, 0xa8, 0x87, 0xa2, 0x56,
					 0xd6, 0x93, 0x9d, 0xa8, 0x8a, 0xab, 0xd8, 0xcd };
	ck_assert(u->digest.set);
	ck_assert_mem_eq(u->digest.md5, md5, 16);
	/* sorted and merged: 200-300, 302, 404, 500-503 */
	ck_assert_uint_eq(u->status_codes.n, 4);
	ck_assert_uint_eq(u->status_codes.r[0].lo, 200);
	ck_assert_uint_eq(u->status_codes.r[0].hi, 300);
	ck_assert_uint_eq(u->status_codes.r[1].lo, 302);
	ck_assert_uint_eq(u->status_codes.r[1].hi, 302);
	ck_assert_uint_eq(u->status_codes.r[2].lo, 404);
	ck_assert_uint_eq(u->status_codes.r[3].lo, 500);
	ck_assert_uint_eq(u->status_codes.r[3].hi, 503);
	ck_assert_str_eq(u->virtualhost, "x.example.com");
	ck_assert_str_eq(u->regex, "^ok$");
	ck_assert(u->regex_no_match);
	ck_assert_uint_eq(u->regex_options, CHECK_RE_CASELESS | CHECK_RE_DOTALL | CHECK_RE_UTF);
	ck_assert_uint_eq(u->regex_stack.start, 1024);
	ck_assert_uint_eq(u->regex_stack.max, 65536);
	ck_assert_uint_eq(u->regex_min_offset, 2);
	ck_assert_uint_eq(u->regex_max_offset, 100);

	/* url defaults */
	struct check_url *u2 = (struct check_url *)(void *)u->node.next;
	ck_assert_str_eq(u2->path, "/");
	ck_assert(!u2->digest.set);
	ck_assert_uint_eq(u2->status_codes.n, 1);
	ck_assert_uint_eq(u2->status_codes.r[0].lo, 200);
	ck_assert_uint_eq(u2->status_codes.r[0].hi, 299);
	ck_assert_ptr_null(u2->virtualhost);
	ck_assert_ptr_null(u2->regex);
	ck_assert(!u2->regex_no_match);
	ck_assert_uint_eq(u2->regex_options, 0);
	ck_assert_uint_eq(u2->regex_stack.max, 0);
	ck_assert_uint_eq(u2->regex_max_offset, 0);

	char *text = dump_string(cfg);
	ck_assert_ptr_nonnull(strstr(text, "digest 9b3a0c85a887a256d6939da88aabd8cd"));
	ck_assert_ptr_nonnull(strstr(text, "status_code 200-300 302 404 500-503"));
	ck_assert_ptr_nonnull(strstr(text, "regex_options caseless dotall utf"));
	ck_assert_ptr_nonnull(strstr(text, "http_protocol 1.0C"));
	ck_assert_ptr_null(strstr(text, "status_code 200-299"));   /* the default */
	free(text);
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

START_TEST(http_defaults_and_ssl)
{
	size_t nwarn = 0;
	struct config *cfg = parse_rs(
		"HTTP_GET {\n url {\n  path /\n }\n}\n"
		"SSL_GET {\n enable_sni\n http_protocol 1.1\n url {\n  path /x\n"
		"  regex_stack 4096\n  regex x\n }\n}\n", &nwarn);
	ck_assert_uint_eq(nwarn, 0);
	struct http_check *h = checker_at(cfg, 0), *s = checker_at(cfg, 1);
	ck_assert_int_eq(h->http_protocol, CHECK_HTTP_1_0);
	ck_assert_ptr_null(h->virtualhost);
	ck_assert(!h->fast_recovery);
	ck_assert_uint_eq(h->c.retry, CHECK_INHERIT_RETRY);
	ck_assert_ptr_eq(s->c.node.desc, &desc_ssl_get);
	ck_assert_int_eq(s->c.kind, CHECK_SSL);
	ck_assert(s->enable_sni);
	ck_assert_int_eq(s->http_protocol, CHECK_HTTP_1_1);
	struct check_url *u = (struct check_url *)(void *)s->urls.first;
	ck_assert_uint_eq(u->regex_stack.start, 4096);   /* one size: start = max */
	ck_assert_uint_eq(u->regex_stack.max, 4096);
	assert_roundtrip(cfg);
	conf_unref(cfg);

	/* status_code written as the default is still the default */
	cfg = parse_rs("HTTP_GET {\n url {\n  path /\n  status_code 200-250 251-299\n }\n}\n", NULL);
	u = (struct check_url *)(void *)((struct http_check *)checker_at(cfg, 0))->urls.first;
	ck_assert_uint_eq(u->status_codes.n, 1);
	ck_assert_uint_eq(u->status_codes.r[0].hi, 299);
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

START_TEST(http_deprecated_and_misplaced)
{
	struct config *cfg = NULL;
	rs_warning("HTTP_GET {\n nb_get_retry 3\n url {\n  path /\n }\n}",
		   "'nb_get_retry' is deprecated; use retry");
	cfg = parse_rs("HTTP_GET {\n nb_get_retry 3\n url {\n  path /\n }\n}", NULL);
	ck_assert_uint_eq(((struct checker *)checker_at(cfg, 0))->retry, 3);
	char *text = dump_string(cfg);
	ck_assert_ptr_nonnull(strstr(text, "retry 3"));
	ck_assert_ptr_null(strstr(text, "nb_get_retry"));
	free(text);
	assert_roundtrip(cfg);
	conf_unref(cfg);
	rs_warning("HTTP_GET {\n enable_sni\n url {\n  path /\n }\n}",
		   "keyword 'enable_sni' does not belong in HTTP_GET (it belongs in SSL_GET)");
	rs_warning("HTTP_GET {\n path /\n url {\n  path /\n }\n}",
		   "keyword 'path' does not belong in HTTP_GET (it belongs in url)");
	rs_warning("TCP_CHECK {\n nb_get_retry 3\n}", "nb_get_retry");
	rs_warning("HTTP_GET {\n url {\n  path /\n  regex_no_match\n }\n}",
		   "url has regex settings but no regex");
}
END_TEST

START_TEST(http_errors)
{
	rs_error("HTTP_GET {\n}", "HTTP_GET has no url; add url { path / }");
	rs_error("SSL_GET {\n connect_timeout 3\n}", "SSL_GET has no url");
	rs_error("HTTP_GET {\n url {\n  digest 9b3a0c85a887a256d6939da88aabd8cd\n }\n}",
		 "url has no path; add one");
	rs_error("HTTP_GET {\n url {\n  path /\n  digest 123\n }\n}",
		 "digest '123' is not an MD5 sum; use the 32 hex digits");
	rs_error("HTTP_GET {\n url {\n  path /\n  digest 9b3a0c85a887a256d6939da88aabd8cg\n }\n}",
		 "is not an MD5 sum");
	rs_error("HTTP_GET {\n url {\n  path /\n  digest 9b3a0c85a887a256d6939da88aabd8cd0\n }\n}",
		 "is not an MD5 sum");
	static const char *const bad_codes[] = { "99", "600", "300-200", "200-", "abc", "-200",
						 "200-600", "2x0", "+200" };
	for (size_t i = 0; i < sizeof(bad_codes) / sizeof(bad_codes[0]); i++) {
		char body[256];
		snprintf(body, sizeof(body), "HTTP_GET {\n url {\n  path /\n  status_code 200 %s\n }\n}",
			 bad_codes[i]);
		char want[128];
		snprintf(want, sizeof(want), "status_code '%s' is not an HTTP status code or range; "
			 "use codes 100..599", bad_codes[i]);
		rs_error(body, want);
	}
	rs_error("HTTP_GET {\n url {\n  path /\n  status_code\n }\n}", "status_code needs at least one");
	rs_error("HTTP_GET {\n http_protocol 2\n url {\n  path /\n }\n}",
		 "http_protocol '2' is not known; use 1.0|1.0C|1.1");
	rs_error("HTTP_GET {\n url {\n  path /\n  regex x\n  regex_options caseless bogus\n }\n}",
		 "regex_options 'bogus' is not known");
	rs_error("HTTP_GET {\n url {\n  path /\n  regex x\n  regex_stack 65536 1024\n }\n}",
		 "regex_stack start 65536 is larger than its max 1024");
	rs_error("HTTP_GET {\n url {\n  path /\n  regex x\n  regex_stack 0\n }\n}",
		 "regex_stack start 0 is out of range");
	rs_error("HTTP_GET {\n url {\n  path /\n  regex x\n  regex_min_offset 10\n"
		 "  regex_max_offset 5\n }\n}", "regex_min_offset 10 is beyond regex_max_offset 5");
	rs_error("HTTP_GET {\n url {\n  path /a b\n }\n}", "path takes 1 value");
}
END_TEST

/* ---- MISC_CHECK ------------------------------------------------------------ */

START_TEST(misc_every_keyword)
{
	size_t nwarn = 0;
	struct config *cfg = parse_rs(
		"MISC_CHECK {\n misc_path \"/usr/bin/check 'a b' c\"\n misc_timeout 3\n"
		" misc_dynamic\n user nobody nogroup\n retry 2\n delay_before_retry 4\n"
		" warmup 1\n delay_loop 9\n alpha\n log_all_failures\n}\n"
		"MISC_CHECK {\n misc_path /bin/echo hello world\n user nobody\n}\n", &nwarn);
	ck_assert_uint_eq(nwarn, 0);
	struct misc_check *m = checker_at(cfg, 0);
	ck_assert_ptr_eq(m->c.node.desc, &desc_misc_check);
	ck_assert_int_eq(m->c.kind, CHECK_MISC);
	ck_assert_str_eq(m->path, "/usr/bin/check 'a b' c");
	ck_assert_uint_eq(m->timeout, SEC(3));
	ck_assert(m->dynamic);
	ck_assert_str_eq(m->user.user, "nobody");
	ck_assert_str_eq(m->user.group, "nogroup");
	ck_assert_uint_eq(m->c.retry, 2);
	ck_assert_uint_eq(m->c.delay_before_retry, SEC(4));
	ck_assert_uint_eq(m->c.warmup, SEC(1));
	ck_assert_uint_eq(m->c.delay_loop, SEC(9));
	ck_assert_int_eq(m->c.alpha, 1);
	ck_assert_int_eq(m->c.log_all_failures, 1);
	struct misc_check *m2 = checker_at(cfg, 1);
	ck_assert_str_eq(m2->path, "/bin/echo hello world");
	ck_assert_str_eq(m2->user.user, "nobody");
	ck_assert_ptr_null(m2->user.group);
	ck_assert_uint_eq(m2->timeout, 0);        /* default: delay_loop */
	ck_assert(!m2->dynamic);
	ck_assert_uint_eq(m2->c.retry, CHECK_INHERIT_RETRY);
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

START_TEST(misc_errors)
{
	rs_error("MISC_CHECK {\n misc_timeout 3\n}", "MISC_CHECK has no misc_path");
	rs_error("MISC_CHECK {\n misc_path /bin/true\n user\n}", "user needs at least 1 value");
	rs_error("MISC_CHECK {\n misc_path /bin/true\n user a b c\n}", "user takes at most 2 values");
	rs_error("MISC_CHECK {\n misc_path /bin/true\n misc_timeout -1\n}",
		 "misc_timeout must be a time in seconds");
	rs_error("MISC_CHECK {\n misc_path\n}", "misc_path needs a command");
	/* MISC_CHECK has no connection options */
	rs_warning("MISC_CHECK {\n misc_path /bin/true\n connect_ip 10.0.0.3\n}",
		   "'connect_ip' does not belong in MISC_CHECK");
}
END_TEST

/* ---- SMTP_CHECK ------------------------------------------------------------ */

START_TEST(smtp_every_keyword)
{
	size_t nwarn = 0;
	struct config *cfg = parse_rs(
		"SMTP_CHECK {\n connect_timeout 30\n retry 2\n delay_before_retry 5\n"
		" helo_name \"foo.bar.com\"\n"
		" host {\n  connect_ip 10.0.0.5\n  connect_port 587\n  bindto 10.0.0.9\n"
		"  bind_port 2500\n  bind_if eth1\n  connect_timeout 3\n  fwmark 9\n }\n"
		" host {\n  connect_ip 10.0.0.6\n }\n}\n"
		"SMTP_CHECK {\n}\n", &nwarn);
	ck_assert_uint_eq(nwarn, 0);
	struct smtp_check *s = checker_at(cfg, 0);
	ck_assert_ptr_eq(s->c.node.desc, &desc_smtp_check);
	ck_assert_int_eq(s->c.kind, CHECK_SMTP);
	ck_assert_uint_eq(s->c.conn.connect_timeout, SEC(30));
	ck_assert_uint_eq(s->c.retry, 2);
	ck_assert_uint_eq(s->c.delay_before_retry, SEC(5));
	ck_assert_str_eq(s->helo_name, "foo.bar.com");
	ck_assert_uint_eq(s->hosts.n, 2);
	struct smtp_host *h = (struct smtp_host *)(void *)s->hosts.first;
	struct vaddr a5 = addr("10.0.0.5"), a9 = addr("10.0.0.9"), a6 = addr("10.0.0.6");
	ck_assert(vaddr_equal(&h->conn.connect_ip, &a5));
	ck_assert_uint_eq(h->conn.connect_port, 587);
	ck_assert(vaddr_equal(&h->conn.bindto, &a9));
	ck_assert_uint_eq(h->conn.bind_port, 2500);
	ck_assert_str_eq(h->conn.bind_if, "eth1");
	ck_assert_uint_eq(h->conn.connect_timeout, SEC(3));
	ck_assert_uint_eq(h->conn.fwmark, 9);
	struct smtp_host *h2 = (struct smtp_host *)(void *)h->node.next;
	ck_assert(vaddr_equal(&h2->conn.connect_ip, &a6));
	ck_assert_uint_eq(h2->conn.connect_port, 0);
	ck_assert_uint_eq(h2->conn.connect_timeout, CHECK_INHERIT_TIMER);
	struct smtp_check *s2 = checker_at(cfg, 1);
	ck_assert_str_eq(s2->helo_name, "smtpchecker.keepalived.org");
	ck_assert_uint_eq(s2->hosts.n, 0);
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

START_TEST(smtp_host_rules)
{
	/* a timing option inside host is the checker's, as in keepalived */
	struct config *cfg = NULL;
	rs_warning("SMTP_CHECK {\n host {\n  connect_ip 10.0.0.5\n  retry 7\n }\n}",
		   "'retry' belongs in SMTP_CHECK, not in host; applied to the enclosing SMTP_CHECK");
	cfg = parse_rs("SMTP_CHECK {\n host {\n  connect_ip 10.0.0.5\n  retry 7\n }\n}", NULL);
	ck_assert_uint_eq(((struct checker *)checker_at(cfg, 0))->retry, 7);
	conf_unref(cfg);
	rs_error("SMTP_CHECK {\n host {\n  connect_port 0\n }\n}", "connect_port 0 is out of range");
	/* a host inherits the checker's bindto and bind_if */
	rs_error("SMTP_CHECK {\n bindto 10.0.0.9\n host {\n  connect_ip 2001:db8::5\n }\n}",
		 "SMTP_CHECK host: bindto 10.0.0.9 and the address it connects to, 2001:db8::5");
	rs_error("SMTP_CHECK {\n host {\n  connect_ip fe80::5\n }\n}",
		 "SMTP_CHECK host connects to the link-local address fe80::5");
	cfg = parse_rs("SMTP_CHECK {\n bind_if eth0\n host {\n  connect_ip fe80::5\n }\n}", NULL);
	conf_unref(cfg);
	/* and the real server's address when neither says */
	rs_error("SMTP_CHECK {\n host {\n  bindto 2001:db8::9\n }\n}",
		 "bindto 2001:db8::9 and the address it connects to, 10.0.0.2");
}
END_TEST

/* ---- DNS_CHECK ------------------------------------------------------------- */

START_TEST(dns_every_keyword)
{
	size_t nwarn = 0;
	struct config *cfg = parse_rs(
		"DNS_CHECK {\n type aaaa\n name example.com.\n connect_port 53\n retry 1\n}\n"
		"DNS_CHECK {\n}\n", &nwarn);
	ck_assert_uint_eq(nwarn, 0);
	struct dns_check *d = checker_at(cfg, 0), *d2 = checker_at(cfg, 1);
	ck_assert_ptr_eq(d->c.node.desc, &desc_dns_check);
	ck_assert_int_eq(d->c.kind, CHECK_DNS);
	ck_assert_int_eq(d->type, CHECK_DNS_AAAA);
	ck_assert_int_eq(d->type, 28);
	ck_assert_str_eq(d->name, "example.com.");
	ck_assert_uint_eq(d->c.conn.connect_port, 53);
	ck_assert_int_eq(d2->type, CHECK_DNS_SOA);
	ck_assert_str_eq(d2->name, ".");
	char *text = dump_string(cfg);
	ck_assert_ptr_nonnull(strstr(text, "type AAAA"));
	free(text);
	assert_roundtrip(cfg);
	conf_unref(cfg);

	static const char *const types[] = { "A", "NS", "CNAME", "SOA", "MX", "TXT", "AAAA" };
	static const int values[] = { 1, 2, 5, 6, 15, 16, 28 };
	for (size_t i = 0; i < 7; i++) {
		char body[64];
		snprintf(body, sizeof(body), "DNS_CHECK {\n type %s\n}", types[i]);
		cfg = parse_rs(body, NULL);
		ck_assert_int_eq(((struct dns_check *)checker_at(cfg, 0))->type, values[i]);
		assert_roundtrip(cfg);
		conf_unref(cfg);
	}
}
END_TEST

START_TEST(dns_errors)
{
	rs_error("DNS_CHECK {\n type PTR\n}", "type 'PTR' is not known; use A|NS|CNAME|SOA|MX|TXT|AAAA");
	rs_error("DNS_CHECK {\n name a..b\n}", "name 'a..b' has an empty label");
	rs_error("DNS_CHECK {\n name \"\"\n}", "is empty; use \".\" for the root");
	char body[256];
	snprintf(body, sizeof(body), "DNS_CHECK {\n name %0*d.com\n}", 64, 0);
	rs_error(body, "has a label longer than 63 characters");
}
END_TEST

/* ---- UDP_CHECK ------------------------------------------------------------- */

START_TEST(udp_every_keyword)
{
	size_t nwarn = 0;
	struct config *cfg = parse_rs(
		"UDP_CHECK {\n payload Ab12f 3 456 546443123\n require_reply 01xX ff 3\n"
		" min_reply_length 2\n max_reply_length 1000\n connect_port 5353\n}\n"
		"UDP_CHECK {\n require_reply\n}\n"
		"UDP_CHECK {\n}\n", &nwarn);
	ck_assert_uint_eq(nwarn, 0);
	struct udp_check *u = checker_at(cfg, 0);
	ck_assert_ptr_eq(u->c.node.desc, &desc_udp_check);
	ck_assert_int_eq(u->c.kind, CHECK_UDP);
	/* the man page's example: AB 12 0F 03 45 06 54 64 43 12 03 */
	static const uint8_t want[] = { 0xab, 0x12, 0x0f, 0x03, 0x45, 0x06, 0x54, 0x64,
					0x43, 0x12, 0x03 };
	ck_assert_uint_eq(u->payload.len, sizeof(want));
	ck_assert_mem_eq(u->payload.data, want, sizeof(want));
	ck_assert_ptr_null(u->payload.mask);
	ck_assert(u->reply.required);
	ck_assert_uint_eq(u->reply.expect.len, 4);
	static const uint8_t rdata[] = { 0x01, 0x00, 0xff, 0x03 };
	static const uint8_t rmask[] = { 0xff, 0x00, 0xff, 0xff };
	ck_assert_mem_eq(u->reply.expect.data, rdata, 4);
	ck_assert_ptr_nonnull(u->reply.expect.mask);
	ck_assert_mem_eq(u->reply.expect.mask, rmask, 4);
	ck_assert_uint_eq(u->min_reply_length, 2);
	ck_assert_uint_eq(u->max_reply_length, 1000);

	struct udp_check *u2 = checker_at(cfg, 1), *u3 = checker_at(cfg, 2);
	ck_assert(u2->reply.required);
	ck_assert_uint_eq(u2->reply.expect.len, 0);
	ck_assert(!u3->reply.required);
	ck_assert_uint_eq(u3->payload.len, 0);
	ck_assert_uint_eq(u3->min_reply_length, 0);
	ck_assert_uint_eq(u3->max_reply_length, 255);

	char *text = dump_string(cfg);
	ck_assert_ptr_nonnull(strstr(text, "payload ab120f0345065464431203"));
	ck_assert_ptr_nonnull(strstr(text, "require_reply 01xxff03"));
	free(text);
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

START_TEST(udp_errors)
{
	rs_error("UDP_CHECK {\n payload xyz\n}", "payload 'xyz' is not a hex string");
	rs_error("UDP_CHECK {\n payload 0x\n}", "payload '0x' is not a hex string");
	rs_error("UDP_CHECK {\n payload\n}", "payload needs the bytes to send");
	rs_error("UDP_CHECK {\n require_reply 0g\n}", "require_reply '0g' is not a hex string");
	rs_error("UDP_CHECK {\n min_reply_length -1\n}", "min_reply_length -1 is out of range; use 0..65535");
	rs_error("UDP_CHECK {\n max_reply_length 65536\n}", "max_reply_length 65536 is out of range");
	rs_error("UDP_CHECK {\n min_reply_length 20\n max_reply_length 10\n}",
		 "min_reply_length 20 is larger than max_reply_length 10");
	rs_error("UDP_CHECK {\n min_reply_length 300\n}",
		 "min_reply_length 300 is larger than max_reply_length 255");
	/* longer than a datagram */
	size_t n = 65508 * 2;
	char *big = malloc(n + 64);
	strcpy(big, "UDP_CHECK {\n payload ");
	size_t o = strlen(big);
	memset(big + o, 'a', n);
	strcpy(big + o + n, "\n}");
	rs_error(big, "payload is 65508 bytes long; a UDP datagram holds at most 65507");
	free(big);
}
END_TEST

/* ---- FILE_CHECK and BFD_CHECK ---------------------------------------------- */

START_TEST(file_every_keyword)
{
	size_t nwarn = 0;
	struct config *cfg = parse_rs(
		"FILE_CHECK {\n track_file tf1\n weight -3 reverse\n dynamic\n}\n"
		"FILE_CHECK {\n track_file tf1\n weight 2147483647\n}\n"
		"FILE_CHECK {\n track_file tf1\n}\n", &nwarn);
	ck_assert_uint_eq(nwarn, 0);
	struct file_check *f = checker_at(cfg, 0);
	ck_assert_ptr_eq(f->c.node.desc, &desc_file_check);
	ck_assert_int_eq(f->c.kind, CHECK_FILE);
	ck_assert_str_eq(f->track_file, "tf1");
	ck_assert_int_eq(f->weight.value, -3);
	ck_assert(f->weight.reverse);
	ck_assert(f->dynamic);
	struct file_check *f2 = checker_at(cfg, 1), *f3 = checker_at(cfg, 2);
	ck_assert_int_eq(f2->weight.value, 2147483647);
	ck_assert(!f2->weight.reverse);
	ck_assert_int_eq(f3->weight.value, CHECK_INHERIT_WEIGHT);
	ck_assert(!f3->dynamic);
	assert_roundtrip(cfg);
	conf_unref(cfg);

	/* the track_file may come after the checker that names it */
	cfg = parse_ok("virtual_server 10.0.0.1 80 {\n protocol TCP\n real_server 10.0.0.2 80 {\n"
		       "  FILE_CHECK {\n   track_file later\n  }\n }\n}\n"
		       "track_file later {\n file /tmp/x\n}\n", NULL);
	conf_unref(cfg);
}
END_TEST

START_TEST(file_errors)
{
	rs_error("FILE_CHECK {\n track_file nosuch\n}",
		 "FILE_CHECK: no track_file block is named 'nosuch'");
	rs_error("FILE_CHECK {\n weight 2\n}", "FILE_CHECK has no track_file");
	rs_error("FILE_CHECK {\n track_file tf1\n weight -2147483648\n}",
		 "weight -2147483648 is out of range; use -2147483647..2147483647");
	rs_error("FILE_CHECK {\n track_file tf1\n weight 3 bogus\n}",
		 "unknown weight option 'bogus'; the only one is reverse");
	rs_error("FILE_CHECK {\n track_file tf1\n weight\n}", "weight needs at least 1 value");
	/* none of the common options */
	rs_warning("FILE_CHECK {\n track_file tf1\n connect_port 80\n}",
		   "'connect_port' does not belong in FILE_CHECK");
}
END_TEST

/* BFD_CHECK's table, on its own: the real_server table must list it for
 * the full-config test below to run. */
struct bfd_top {
	struct list checks;
};

static const struct kw bfd_top_kws[] = {
	KW_LIST("BFD_CHECK", struct bfd_top, checks, desc_bfd_check, ACTS),
	KW_END
};

static struct block_desc bfd_top_desc = {
	.name = "top", .size = sizeof(struct bfd_top), .kws = bfd_top_kws,
};

START_TEST(bfd_table)
{
	static const char text[] = "BFD_CHECK {\n name bfd1\n alpha off\n}\nBFD_CHECK {\n}\n";
	struct arena a;
	struct diags d;
	struct bfd_top top = { { NULL, NULL, 0 } };
	struct lex_opts lo = { .config_id = NULL };
	arena_init(&a);
	diags_init(&d);
	struct pctx p = { .d = &d, .a = &a };
	p.lx = lex_open_buffer("bfd.conf", NULL, text, strlen(text), &lo, &d);
	parse_block_body(&p, &bfd_top_desc, &top, (struct srcpos){ 0, 0, 0 }, true);
	lex_close(p.lx);
	ck_assert_uint_eq(top.checks.n, 2);
	struct bfd_check *b = (struct bfd_check *)(void *)top.checks.first;
	ck_assert_int_eq(b->c.kind, CHECK_BFD);
	ck_assert_str_eq(b->name, "bfd1");
	ck_assert_int_eq(b->c.alpha, 0);
	ck_assert_uint_eq(d.nerrors, 1);
	ck_assert(diags_has(&d, DIAG_ERROR, "BFD_CHECK has no name"));

	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct out o = { f, 0 };
	dump_block_body(&o, &bfd_top_desc, &top);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "BFD_CHECK {\n    name bfd1\n    alpha false\n}"));
	free(buf);
	arena_free(&a);
	diags_free(&d);
}
END_TEST

START_TEST(bfd_in_real_server)
{
	/* real_server has a BFD_CHECK row (tab_lvs.c): an unknown-keyword
	 * warning here is a failure, not a reason to skip. */
	struct diags d;
	diags_init(&d);
	char *text = vs_with("BFD_CHECK {\n name nosuch\n}");
	struct config *cfg = parse_text(text, &d);
	ck_assert_msg(!diags_has(&d, DIAG_WARNING, "keyword 'BFD_CHECK' does not belong") &&
		      !diags_has(&d, DIAG_WARNING, "unknown keyword 'BFD_CHECK'"),
		      "real_server has no BFD_CHECK row");
	ck_assert(diags_has(&d, DIAG_WARNING, "keyword 'BFD_CHECK' is accepted but has no "
			    "effect in vigil: vigil has no BFD"));
	conf_unref(cfg);
	diags_free(&d);
	expect_error(text, "BFD_CHECK: no bfd_instance is named 'nosuch'");
	free(text);
	cfg = parse_ok("bfd_instance b1 {\n neighbor_ip 10.0.0.9\n}\nvirtual_server 10.0.0.1 80 {\n protocol TCP\n"
		       " real_server 10.0.0.2 80 {\n  BFD_CHECK {\n   name b1\n  }\n }\n}\n", NULL);
	struct bfd_check *b = checker_at(cfg, 0);
	ck_assert_ptr_eq(b->c.node.desc, &desc_bfd_check);
	ck_assert_str_eq(b->name, "b1");
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

/* ---- the model as a whole ----------------------------------------------------- */

START_TEST(equality_sees_every_value_type)
{
	static const char *const pairs[][2] = {
		{ "TCP_CHECK {\n alpha\n}", "TCP_CHECK {\n alpha off\n}" },
		{ "TCP_CHECK {\n}", "TCP_CHECK {\n alpha off\n}" },
		{ "TCP_CHECK {\n connect_timeout 1\n}", "TCP_CHECK {\n connect_timeout 1.000001\n}" },
		{ "TCP_CHECK {\n bind_if eth0\n}", "TCP_CHECK {\n bind_if eth1\n}" },
		{ "TCP_CHECK {\n}", "PING_CHECK {\n}" },
		{ "HTTP_GET {\n url {\n  path /\n }\n}", "SSL_GET {\n url {\n  path /\n }\n}" },
		{ "HTTP_GET {\n url {\n  path /\n  status_code 200\n }\n}",
		  "HTTP_GET {\n url {\n  path /\n  status_code 201\n }\n}" },
		{ "HTTP_GET {\n url {\n  path /\n  status_code 200-299\n }\n}",
		  "HTTP_GET {\n url {\n  path /\n  status_code 200-298\n }\n}" },
		{ "HTTP_GET {\n url {\n  path /\n  digest 9b3a0c85a887a256d6939da88aabd8cd\n }\n}",
		  "HTTP_GET {\n url {\n  path /\n  digest 9b3a0c85a887a256d6939da88aabd8ce\n }\n}" },
		{ "HTTP_GET {\n url {\n  path /\n }\n}",
		  "HTTP_GET {\n url {\n  path /\n  digest 00000000000000000000000000000000\n }\n}" },
		{ "HTTP_GET {\n url {\n  path /\n  regex x\n  regex_options caseless\n }\n}",
		  "HTTP_GET {\n url {\n  path /\n  regex x\n  regex_options ucp\n }\n}" },
		{ "HTTP_GET {\n url {\n  path /\n  regex x\n  regex_stack 1 2\n }\n}",
		  "HTTP_GET {\n url {\n  path /\n  regex x\n  regex_stack 1 3\n }\n}" },
		{ "HTTP_GET {\n url {\n  path /\n }\n}",
		  "HTTP_GET {\n url {\n  path /\n }\n url {\n  path /\n }\n}" },
		{ "MISC_CHECK {\n misc_path x\n user a\n}", "MISC_CHECK {\n misc_path x\n user a b\n}" },
		{ "SMTP_CHECK {\n host {\n  connect_port 25\n }\n}",
		  "SMTP_CHECK {\n host {\n  connect_port 26\n }\n}" },
		{ "DNS_CHECK {\n type A\n}", "DNS_CHECK {\n type AAAA\n}" },
		{ "UDP_CHECK {\n payload 01\n}", "UDP_CHECK {\n payload 0102\n}" },
		{ "UDP_CHECK {\n require_reply 0x\n}", "UDP_CHECK {\n require_reply 00\n}" },
		{ "UDP_CHECK {\n}", "UDP_CHECK {\n require_reply\n}" },
		{ "FILE_CHECK {\n track_file tf1\n weight 2\n}",
		  "FILE_CHECK {\n track_file tf1\n weight 2 reverse\n}" },
	};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		assert_differ(pairs[i][0], pairs[i][1]);
}
END_TEST

START_TEST(every_kind_round_trips_together)
{
	size_t nwarn = 0;
	struct config *cfg = parse_rs(
		"TCP_CHECK {\n connect_port 81\n}\n"
		"HTTP_GET {\n url {\n  path /\n  digest ff20ad2481f97b1754ef3e12ecd3a9cc\n }\n}\n"
		"SSL_GET {\n enable_sni\n url {\n  path /s\n }\n}\n"
		"MISC_CHECK {\n misc_path \"/bin/sh -c 'exit 0'\"\n}\n"
		"SMTP_CHECK {\n helo_name x\n host {\n  connect_ip 10.0.0.7\n }\n}\n"
		"DNS_CHECK {\n name example.org\n}\n"
		"UDP_CHECK {\n payload 00\n}\n"
		"PING_CHECK {\n}\n"
		"FILE_CHECK {\n track_file tf1\n}\n", &nwarn);
	ck_assert_uint_eq(nwarn, 0);
	ck_assert_uint_eq(first_rs(cfg)->checkers.n, 9);
	static const int kinds[] = { CHECK_TCP, CHECK_HTTP, CHECK_SSL, CHECK_MISC, CHECK_SMTP,
				     CHECK_DNS, CHECK_UDP, CHECK_PING, CHECK_FILE };
	for (size_t i = 0; i < 9; i++)
		ck_assert_int_eq(((struct checker *)checker_at(cfg, i))->kind, kinds[i]);
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

START_TEST(tcp_check_stays_small)
{
	/* 100,000 real servers with a TCP_CHECK each must parse in well under
	 * 71 MB: a TCP_CHECK is a bare struct checker. */
	ck_assert_uint_le(sizeof(struct checker), 128);
	ck_assert_uint_eq(desc_tcp_check.size, sizeof(struct checker));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("conf_check");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, tcp_every_keyword);
	tcase_add_test(tc, tcp_defaults_inherit);
	tcase_add_test(tc, inheritance_chain);
	tcase_add_test(tc, common_range_errors);
	tcase_add_test(tc, address_family_and_link_local);
	tcase_add_test(tc, http_every_keyword);
	tcase_add_test(tc, http_defaults_and_ssl);
	tcase_add_test(tc, http_deprecated_and_misplaced);
	tcase_add_test(tc, http_errors);
	tcase_add_test(tc, misc_every_keyword);
	tcase_add_test(tc, misc_errors);
	tcase_add_test(tc, smtp_every_keyword);
	tcase_add_test(tc, smtp_host_rules);
	tcase_add_test(tc, dns_every_keyword);
	tcase_add_test(tc, dns_errors);
	tcase_add_test(tc, udp_every_keyword);
	tcase_add_test(tc, udp_errors);
	tcase_add_test(tc, file_every_keyword);
	tcase_add_test(tc, file_errors);
	tcase_add_test(tc, bfd_table);
	tcase_add_test(tc, bfd_in_real_server);
	tcase_add_test(tc, equality_sees_every_value_type);
	tcase_add_test(tc, every_kind_round_trips_together);
	tcase_add_test(tc, tcp_check_stays_small);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
