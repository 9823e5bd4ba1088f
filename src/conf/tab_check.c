/* tab_check.c - the health checkers a real_server holds: TCP_CHECK,
 * HTTP_GET, SSL_GET, MISC_CHECK, SMTP_CHECK, DNS_CHECK, UDP_CHECK,
 * PING_CHECK, FILE_CHECK and BFD_CHECK (see model_check.h).
 *
 * The value types with keepalived-specific syntax (status code ranges,
 * MD5 digests, HEX_STR payloads, "weight N [reverse]", ...) are defined
 * here, next to the tables that use them.
 */
#include "tab.h"
#include "why.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- value types ----------------------------------------------------------- */

static bool bytes_eq(const struct kw *k, const void *a, const void *b)
{
	return memcmp(a, b, k->size) == 0;
}

static bool cstr_eq(const char *x, const char *y)
{
	return x == y || (x && y && strcmp(x, y) == 0);
}

/* Seconds with up to 6 decimals, exactly (for range messages and dumps). */
static void usec_text(uint64_t v, char *buf, size_t len)
{
	char frac[8];
	snprintf(frac, sizeof(frac), "%06llu", (unsigned long long)(v % 1000000));
	for (int i = 5; i >= 0 && frac[i] == '0'; i--)
		frac[i] = '\0';
	snprintf(buf, len, "%llu%s%s", (unsigned long long)(v / 1000000),
		 frac[0] ? "." : "", frac);
}

/* A timer like vt_timer, with its range (kw min..max, microseconds) said
 * exactly: keepalived's limits (1 us, 4294.967295 s) do not print well
 * with %g. */
static bool ctimer_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	uint64_t v = 0;
	if (!stmt_nargs(p, s, 1, 1) ||
	    !parse_timer_word(p, &s->args[0], 0, LLONG_MAX, k->name, &v))
		return false;
	if ((long long)v < k->min || (long long)v > k->max) {
		char lo[32], hi[32];
		usec_text((uint64_t)k->min, lo, sizeof(lo));
		usec_text((uint64_t)k->max, hi, sizeof(hi));
		p_error(p, s->args[0].pos, "%s %s is out of range; use %s..%s seconds%s",
			k->name, s->args[0].text, lo, hi,
			k->min > 0 && v == 0 ? " (0 is not allowed here)" : "");
		return false;
	}
	*(uint64_t *)f = v;
	return true;
}

static void ctimer_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	char buf[32];
	usec_text(*(const uint64_t *)f, buf, sizeof(buf));
	out_printf(o, " %s", buf);
}

static const struct vtype vt_ctimer = {
	"a time in seconds", 1, ctimer_parse, ctimer_dump, bytes_eq, VT_VALUE
};

#define KW_CTIMER(n, T, f, lo, hi, E) { n, &vt_ctimer, KW_FIELD(T, f), lo, hi, NULL, 0, NULL, E }


/* An interface name: what fits in IFNAMSIZ (16, with the NUL). */
#define IFNAME_MAX 15

static bool ifname_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	if (!stmt_nargs(p, s, 1, 1))
		return false;
	const struct lex_word *w = &s->args[0];
	if (w->len == 0 || w->len > IFNAME_MAX || strchr(w->text, '/')) {
		p_error(p, w->pos, "%s '%s' is not an interface name; use 1..%d characters "
			"without '/'", k->name, w->text, IFNAME_MAX);
		return false;
	}
	*(char **)f = arena_strndup(p->a, w->text, w->len);
	return true;
}


static bool str_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	return cstr_eq(*(char *const *)a, *(char *const *)b);
}

static const struct vtype vt_ifname = { "an interface name", 1, ifname_parse, kw_str_dump, str_eq, VT_VALUE };

/* A DNS name to query: labels of 1..63 octets, 253 in all (RFC 1035
 * 2.3.4); "." is the root and a final dot is allowed. */
static const char *dns_name_problem(const char *s, size_t len)
{
	if (len == 0)
		return "is empty; use \".\" for the root";
	if (strcmp(s, ".") == 0)
		return NULL;
	if (s[len - 1] == '.')
		len--;
	if (len > 253)
		return "is longer than 253 characters";
	size_t label = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (label == 0)
				return "has an empty label (two dots, or a leading dot)";
			label = 0;
		} else if (++label > 63) {
			return "has a label longer than 63 characters";
		}
	}
	return label == 0 ? "has an empty label (two dots, or a leading dot)" : NULL;
}

static bool dnsname_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	if (!stmt_nargs(p, s, 1, 1))
		return false;
	const struct lex_word *w = &s->args[0];
	const char *why = dns_name_problem(w->text, w->len);
	if (why) {
		p_error(p, w->pos, "%s '%s' %s", k->name, w->text, why);
		return false;
	}
	*(char **)f = arena_strndup(p->a, w->text, w->len);
	return true;
}

static const struct vtype vt_dnsname = { "a domain name", 1, dnsname_parse, kw_str_dump, str_eq, VT_VALUE };

/* status_code 200 201 300-399: codes or ranges, 100..599. Repeated lines
 * add to the set; the first one replaces the default 200-299. Kept
 * sorted and merged, so that equal sets compare equal. */
static const struct check_status_range status_default[] = { { 200, 299 } };

static bool status_word(const char *t, uint16_t *lo, uint16_t *hi)
{
	char *end;
	long a = strtol(t, &end, 10), b;
	if (end == t || !isdigit((unsigned char)*t))
		return false;
	if (*end == '-') {
		const char *t2 = end + 1;
		if (!isdigit((unsigned char)*t2))
			return false;
		b = strtol(t2, &end, 10);
	} else {
		b = a;
	}
	if (*end || a < 100 || b > 599 || a > b)
		return false;
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return true;
}

static int cmp_range(const void *a, const void *b)
{
	const struct check_status_range *x = a, *y = b;
	return (int)x->lo - (int)y->lo;
}

static bool status_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	struct check_status_codes *sc = f;
	if (s->nargs == 0) {
		p_error(p, s->kw->pos, "%s needs at least one code or range, like 200 or 200-299",
			k->name);
		return false;
	}
	size_t old = sc->r == status_default ? 0 : sc->n;
	struct check_status_range *r = arena_zalloc(p->a, (old + s->nargs) * sizeof(*r));
	if (old)
		memcpy(r, sc->r, old * sizeof(*r));
	size_t n = old;
	for (size_t i = 0; i < s->nargs; i++) {
		if (!status_word(s->args[i].text, &r[n].lo, &r[n].hi)) {
			p_error(p, s->args[i].pos, "%s '%s' is not an HTTP status code or range; "
				"use codes 100..599 or ranges like 200-299", k->name,
				s->args[i].text);
			return false;
		}
		n++;
	}
	qsort(r, n, sizeof(*r), cmp_range);
	size_t m = 0;
	for (size_t i = 1; i < n; i++) {
		if (r[i].lo <= r[m].hi + 1) {
			if (r[i].hi > r[m].hi)
				r[m].hi = r[i].hi;
		} else {
			r[++m] = r[i];
		}
	}
	sc->r = r;
	sc->n = (uint32_t)(m + 1);
	return true;
}

static void status_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	const struct check_status_codes *sc = f;
	for (uint32_t i = 0; i < sc->n; i++) {
		if (sc->r[i].lo == sc->r[i].hi)
			out_printf(o, " %u", sc->r[i].lo);
		else
			out_printf(o, " %u-%u", sc->r[i].lo, sc->r[i].hi);
	}
}

static bool status_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	const struct check_status_codes *x = a, *y = b;
	return x->n == y->n && (x->n == 0 || memcmp(x->r, y->r, x->n * sizeof(*x->r)) == 0);
}

static const struct vtype vt_status = {
	"HTTP status codes", -1, status_parse, status_dump, status_eq, VT_VALUE
};

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* digest: the MD5 of the page as 32 hex digits, in any case. */
static bool digest_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	struct check_digest *d = f;
	if (!stmt_nargs(p, s, 1, 1))
		return false;
	const struct lex_word *w = &s->args[0];
	bool ok = w->len == 32;
	for (size_t i = 0; ok && i < 32; i++)
		ok = hexval((unsigned char)w->text[i]) >= 0;
	if (!ok) {
		p_error(p, w->pos, "%s '%s' is not an MD5 sum; use the 32 hex digits that "
			"genhash prints for the page", k->name, w->text);
		return false;
	}
	for (size_t i = 0; i < 16; i++)
		d->md5[i] = (uint8_t)(hexval((unsigned char)w->text[2 * i]) << 4 |
				      hexval((unsigned char)w->text[2 * i + 1]));
	d->set = true;
	return true;
}

static void digest_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	const struct check_digest *d = f;
	out_printf(o, " ");
	for (size_t i = 0; i < 16; i++)
		out_printf(o, "%02x", d->md5[i]);
}

static bool digest_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	const struct check_digest *x = a, *y = b;
	return x->set == y->set && (!x->set || memcmp(x->md5, y->md5, 16) == 0);
}

static const struct vtype vt_digest = { "an MD5 digest", 1, digest_parse, digest_dump, digest_eq, VT_VALUE };

/* regex_options: the PCRE2 compile options keepalived supports, by name. */
static const struct kw_enum regex_opts[] = {
	{ "allow_empty_class", CHECK_RE_ALLOW_EMPTY_CLASS },
	{ "alt_bsux", CHECK_RE_ALT_BSUX },
	{ "auto_callout", CHECK_RE_AUTO_CALLOUT },
	{ "caseless", CHECK_RE_CASELESS },
	{ "dollar_endonly", CHECK_RE_DOLLAR_ENDONLY },
	{ "dotall", CHECK_RE_DOTALL },
	{ "dupnames", CHECK_RE_DUPNAMES },
	{ "extended", CHECK_RE_EXTENDED },
	{ "firstline", CHECK_RE_FIRSTLINE },
	{ "match_unset_backref", CHECK_RE_MATCH_UNSET_BACKREF },
	{ "multiline", CHECK_RE_MULTILINE },
	{ "never_ucp", CHECK_RE_NEVER_UCP },
	{ "never_utf", CHECK_RE_NEVER_UTF },
	{ "no_auto_capture", CHECK_RE_NO_AUTO_CAPTURE },
	{ "no_auto_possess", CHECK_RE_NO_AUTO_POSSESS },
	{ "no_dotstar_anchor", CHECK_RE_NO_DOTSTAR_ANCHOR },
	{ "no_start_optimize", CHECK_RE_NO_START_OPTIMIZE },
	{ "ucp", CHECK_RE_UCP },
	{ "ungreedy", CHECK_RE_UNGREEDY },
	{ "utf", CHECK_RE_UTF },
	{ "never_backslash_c", CHECK_RE_NEVER_BACKSLASH_C },
	{ "alt_circumflex", CHECK_RE_ALT_CIRCUMFLEX },
	{ "alt_verbnames", CHECK_RE_ALT_VERBNAMES },
	{ "use_offset_limit", CHECK_RE_USE_OFFSET_LIMIT },
	{ NULL, 0 }
};

/* Repeated lines add options (KW_REPEAT on the row). */
static bool reopts_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	uint32_t bits = 0;
	if (s->nargs == 0) {
		p_error(p, s->kw->pos, "%s needs at least one option, like caseless", k->name);
		return false;
	}
	for (size_t i = 0; i < s->nargs; i++) {
		int v = 0;
		if (!parse_enum_word(p, &s->args[i], regex_opts, k->name, &v))
			return false;
		bits |= (uint32_t)v;
	}
	*(uint32_t *)f |= bits;
	return true;
}

static void reopts_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	uint32_t bits = *(const uint32_t *)f;
	for (const struct kw_enum *e = regex_opts; e->name; e++)
		if (bits & (uint32_t)e->value)
			out_word(o, e->name);
}

static const struct vtype vt_reopts = { "regex options", -1, reopts_parse, reopts_dump, bytes_eq, VT_VALUE };

/* regex_stack START [MAX]: MAX defaults to START. */
static bool restack_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	struct check_regex_stack *rs = f;
	long long a = 0, b = 0;
	if (!stmt_nargs(p, s, 1, 2) ||
	    !parse_ll(p, &s->args[0], 1, UINT32_MAX, "regex_stack start", &a))
		return false;
	b = a;
	if (s->nargs == 2 && !parse_ll(p, &s->args[1], 1, UINT32_MAX, "regex_stack max", &b))
		return false;
	if (a > b) {
		p_error(p, s->args[1].pos, "%s start %lld is larger than its max %lld; "
			"write START MAX with START <= MAX", k->name, a, b);
		return false;
	}
	rs->start = (uint32_t)a;
	rs->max = (uint32_t)b;
	return true;
}

static void restack_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	const struct check_regex_stack *rs = f;
	out_printf(o, " %u %u", rs->start, rs->max);
}

static const struct vtype vt_restack = { "stack sizes", -1, restack_parse, restack_dump, bytes_eq, VT_VALUE };

/* user USER [GROUP] */
static bool runas_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	(void)k;
	struct check_run_as *u = f;
	if (!stmt_nargs(p, s, 1, 2))
		return false;
	u->user = arena_strndup(p->a, s->args[0].text, s->args[0].len);
	u->group = s->nargs > 1 ? arena_strndup(p->a, s->args[1].text, s->args[1].len) : NULL;
	return true;
}

static void runas_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	const struct check_run_as *u = f;
	out_word(o, u->user ? u->user : "");
	if (u->group)
		out_word(o, u->group);
}

static bool runas_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	const struct check_run_as *x = a, *y = b;
	return cstr_eq(x->user, y->user) && cstr_eq(x->group, y->group);
}

static const struct vtype vt_runas = { "USER [GROUP]", -1, runas_parse, runas_dump, runas_eq, VT_VALUE };

/* HEX_STR: each word is read in pairs of digits, a last single digit
 * being a byte of its own ("Ab12f 3" is AB 12 0F 03). With allow_x, an x
 * digit matches anything (a cleared nibble in the mask). */
#define UDP_PAYLOAD_MAX 65507   /* largest UDP payload over IPv4 */

static bool hex_parse(struct pctx *p, const struct kw *k, const struct stmt *s,
		      bool allow_x, struct check_bytes *out)
{
	size_t n = 0;
	for (size_t i = 0; i < s->nargs; i++)
		n += (s->args[i].len + 1) / 2;
	if (n > UDP_PAYLOAD_MAX) {
		p_error(p, s->kw->pos, "%s is %zu bytes long; a UDP datagram holds at most %d",
			k->name, n, UDP_PAYLOAD_MAX);
		return false;
	}
	uint8_t *data = arena_zalloc(p->a, n ? n : 1);
	uint8_t *mask = arena_zalloc(p->a, n ? n : 1);
	bool any_x = false;
	size_t b = 0;
	for (size_t i = 0; i < s->nargs; i++) {
		const struct lex_word *w = &s->args[i];
		for (size_t j = 0; j < w->len; j += 2) {
			size_t nd = w->len - j >= 2 ? 2 : 1;
			uint8_t v = 0, m = 0;
			for (size_t d = 0; d < nd; d++) {
				int c = (unsigned char)w->text[j + d];
				int h = hexval(c);
				v = (uint8_t)(v << 4);
				m = (uint8_t)(m << 4);
				if (h >= 0) {
					v |= (uint8_t)h;
					m |= 0xf;
				} else if (allow_x && (c == 'x' || c == 'X')) {
					any_x = true;
				} else {
					p_error(p, w->pos, "%s '%s' is not a hex string; write bytes "
						"as hex digits, like 0a1b2c%s", k->name, w->text,
						allow_x ? " (x for a digit that may be anything)" : "");
					return false;
				}
			}
			if (nd == 1)
				m |= 0xf0;   /* a lone digit is the low half of a byte */
			data[b] = v;
			mask[b] = m;
			b++;
		}
	}
	out->data = n ? data : NULL;
	out->mask = any_x ? mask : NULL;
	out->len = (uint32_t)n;
	return true;
}

static void hex_dump(struct out *o, const struct check_bytes *bs)
{
	static const char digits[] = "0123456789abcdef";
	if (!bs->len)
		return;
	out_printf(o, " ");
	for (uint32_t i = 0; i < bs->len; i++) {
		uint8_t m = bs->mask ? bs->mask[i] : 0xff;
		out_printf(o, "%c%c", (m & 0xf0) ? digits[bs->data[i] >> 4] : 'x',
			   (m & 0x0f) ? digits[bs->data[i] & 0xf] : 'x');
	}
}

static bool hexbytes_eq(const struct check_bytes *x, const struct check_bytes *y)
{
	if (x->len != y->len || (x->mask == NULL) != (y->mask == NULL))
		return false;
	return x->len == 0 || (memcmp(x->data, y->data, x->len) == 0 &&
			       (!x->mask || memcmp(x->mask, y->mask, x->len) == 0));
}

static bool payload_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	if (s->nargs == 0) {
		p_error(p, s->kw->pos, "%s needs the bytes to send as hex digits, like 0a1b2c "
			"(leave the keyword out for a random payload)", k->name);
		return false;
	}
	return hex_parse(p, k, s, false, f);
}

static void payload_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	hex_dump(o, f);
}

static bool payload_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	return hexbytes_eq(a, b);
}

static const struct vtype vt_payload = { "a hex string", -1, payload_parse, payload_dump, payload_eq, VT_VALUE };

/* require_reply [HEX_STR] */
static bool reply_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	struct check_udp_reply *r = f;
	struct check_bytes bs = { NULL, NULL, 0 };
	if (!hex_parse(p, k, s, true, &bs))
		return false;
	r->required = true;
	r->expect = bs;
	return true;
}

static void reply_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	hex_dump(o, &((const struct check_udp_reply *)f)->expect);
}

static bool reply_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	const struct check_udp_reply *x = a, *y = b;
	return x->required == y->required && hexbytes_eq(&x->expect, &y->expect);
}

static const struct vtype vt_reply = { "a hex string", -1, reply_parse, reply_dump, reply_eq, VT_VALUE };

/* FILE_CHECK's weight N [reverse]; INT32_MIN is the "not given" marker,
 * which is why keepalived's range stops at -2147483647. */
static bool fweight_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	struct check_file_weight *w = f;
	long long v = 0;
	if (!stmt_nargs(p, s, 1, 2) ||
	    !parse_ll(p, &s->args[0], -2147483647LL, 2147483647LL, k->name, &v))
		return false;
	if (s->nargs == 2 && strcmp(s->args[1].text, "reverse") != 0) {
		p_error(p, s->args[1].pos, "unknown %s option '%s'; the only one is reverse",
			k->name, s->args[1].text);
		return false;
	}
	w->value = (int32_t)v;
	w->reverse = s->nargs == 2;
	return true;
}

static void fweight_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	const struct check_file_weight *w = f;
	out_printf(o, " %d%s", (int)w->value, w->reverse ? " reverse" : "");
}

static bool fweight_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	const struct check_file_weight *x = a, *y = b;
	return x->value == y->value && x->reverse == y->reverse;
}

static const struct vtype vt_fweight = { "a weight", -1, fweight_parse, fweight_dump, fweight_eq, VT_VALUE };

/* ---- shared rows -------------------------------------------------------------
 * P is the path from the table's struct to its struct checker ("c." in a
 * kind struct, empty for the kinds that are a bare struct checker). */

#define TIMER_MAX SEC(4294967295LL)            /* about 136 years: "no limit" */
#define CONNECT_TIMEOUT_MAX 4294967295LL       /* keepalived's limit, 4294.967295 s */

#define CONN_ROWS(T, P) \
	KW_ADDR("connect_ip", T, P conn.connect_ip, ACTS), \
	KW_UINT("connect_port", T, P conn.connect_port, 1, 65535, ACTS), \
	KW_ADDR("bindto", T, P conn.bindto, ACTS), \
	KW_UINT("bind_port", T, P conn.bind_port, 1, 65535, ACTS), \
	KW_TYPE("bind_if", vt_ifname, T, P conn.bind_if, ACTS), \
	KW_CTIMER("connect_timeout", T, P conn.connect_timeout, 1, CONNECT_TIMEOUT_MAX, ACTS), \
	KW_UINT("fwmark", T, P conn.fwmark, 0, UINT32_MAX, ACTS)

#define ALPHA_ROW(T, P, E) { "alpha", &vt_tri, KW_FIELD(T, P alpha), 0, 0, NULL, 0, NULL, E }

#define TIMING_ROWS(T, P) \
	KW_UINT("retry", T, P retry, 0, UINT32_MAX - 1, ACTS), \
	KW_CTIMER("delay_before_retry", T, P delay_before_retry, 0, TIMER_MAX, ACTS), \
	KW_CTIMER("warmup", T, P warmup, 0, TIMER_MAX, ACTS), \
	KW_CTIMER("delay_loop", T, P delay_loop, 1, TIMER_MAX, ACTS), \
	ALPHA_ROW(T, P, ACTS), \
	KW_TYPE("log_all_failures", vt_tri, T, P log_all_failures, ACTS)

static void conn_init(struct check_conn *c)
{
	c->connect_timeout = CHECK_INHERIT_TIMER;
}

static void checker_init(struct checker *c, enum check_kind kind)
{
	conn_init(&c->conn);
	c->delay_loop = CHECK_INHERIT_TIMER;
	c->delay_before_retry = CHECK_INHERIT_TIMER;
	c->warmup = CHECK_INHERIT_TIMER;
	c->retry = CHECK_INHERIT_RETRY;
	c->kind = (uint8_t)kind;
	c->alpha = CHECK_INHERIT_BOOL;
	c->log_all_failures = CHECK_INHERIT_BOOL;
}

/* Is a an IPv6 link-local address (which needs an interface)? */
static bool is_link_local(const struct vaddr *a)
{
	return a->family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&a->u.v6);
}

/* Connection options that contradict each other. target is the address
 * connected to (connect_ip, or the real server's, which check_resolve
 * passes), bind_if the interface in force. */
static void conn_check(struct pctx *p, struct srcpos pos, const char *what,
		       const struct vaddr *target, const struct vaddr *bindto,
		       const char *bind_if)
{
	char t[VADDR_STRLEN], b[VADDR_STRLEN];
	if (!target || !target->family)
		return;
	if (bindto->family && target->family != bindto->family)
		p_error(p, pos, "%s: bindto %s and the address it connects to, %s, are of "
			"different families; make them both IPv4 or both IPv6", what,
			vaddr_format(bindto, b, sizeof(b)), vaddr_format(target, t, sizeof(t)));
	if (is_link_local(target) && !bind_if)
		p_error(p, pos, "%s connects to the link-local address %s, which needs an "
			"interface; add bind_if", what, vaddr_format(target, t, sizeof(t)));
}

static void checker_finish(struct pctx *p, void *obj, struct srcpos pos)
{
	struct checker *c = obj;
	const struct check_conn *cc = &c->conn;
	conn_check(p, pos, c->node.desc->name, cc->connect_ip.family ? &cc->connect_ip : NULL,
		   &cc->bindto, cc->bind_if);
}

/* ---- TCP_CHECK, PING_CHECK ------------------------------------------------- */

#define C struct checker

static void tcp_init(void *obj) { checker_init(obj, CHECK_TCP); }
static void ping_init(void *obj) { checker_init(obj, CHECK_PING); }

static const struct kw tcp_kws[] = {
	CONN_ROWS(C, ),
	TIMING_ROWS(C, ),
	KW_END
};

struct block_desc desc_tcp_check = {
	.name = "TCP_CHECK", .size = sizeof(C), .init = tcp_init, .kws = tcp_kws,
	.finish = checker_finish,
};

struct block_desc desc_ping_check = {
	.name = "PING_CHECK", .size = sizeof(C), .init = ping_init, .kws = tcp_kws,
	.finish = checker_finish,
};

#undef C

/* ---- HTTP_GET, SSL_GET -------------------------------------------------------- */

#define U struct check_url

static void url_init(void *obj)
{
	U *u = obj;
	u->status_codes.r = status_default;
	u->status_codes.n = 1;
}

static const struct kw url_kws[] = {
	KW_STR("path", U, path, ACTS),
	KW_TYPE("digest", vt_digest, U, digest, ACTS),
	{ "status_code", &vt_status, KW_FIELD(U, status_codes), 0, 0, NULL, KW_REPEAT, NULL, ACTS },
	KW_STR("virtualhost", U, virtualhost, ACTS),
	KW_STR("regex", U, regex, ACTS),
	KW_FLAG("regex_no_match", U, regex_no_match, ACTS),
	{ "regex_options", &vt_reopts, KW_FIELD(U, regex_options), 0, 0, NULL, KW_REPEAT, NULL, ACTS },
	KW_TYPE("regex_stack", vt_restack, U, regex_stack,
	  NO_EFFECT("vigil's regular expressions need no stack size")),
	KW_UINT("regex_min_offset", U, regex_min_offset, 0, UINT32_MAX, ACTS),
	KW_UINT("regex_max_offset", U, regex_max_offset, 0, UINT32_MAX, ACTS),
	KW_END
};

static void url_finish(struct pctx *p, void *obj, struct srcpos pos)
{
	U *u = obj;
	if (!u->path)
		p_error(p, pos, "url has no path; add one, like path / "
			"(keepalived ignores such a url)");
	if (!u->regex && (u->regex_no_match || u->regex_options || u->regex_stack.max ||
			  u->regex_min_offset || u->regex_max_offset))
		p_warn(p, pos, "url has regex settings but no regex; they have no effect "
		       "until a regex is given");
	if (u->regex_max_offset && u->regex_min_offset > u->regex_max_offset)
		p_error(p, pos, "url: regex_min_offset %u is beyond regex_max_offset %u, so the "
			"regex could never match; make the minimum smaller",
			u->regex_min_offset, u->regex_max_offset);
}

static struct block_desc desc_url = {
	.name = "url", .size = sizeof(U), .init = url_init, .kws = url_kws,
	.finish = url_finish,
};

#undef U
#define H struct http_check

static void http_init(void *obj) { checker_init(obj, CHECK_HTTP); }
static void ssl_init(void *obj) { checker_init(obj, CHECK_SSL); }

static const struct kw_enum http_protocols[] = {
	{ "1.0", CHECK_HTTP_1_0 },
	{ "1.0C", CHECK_HTTP_1_0C },
	{ "1.1", CHECK_HTTP_1_1 },
	{ NULL, 0 }
};

#define HTTP_ROWS \
	CONN_ROWS(H, c.), \
	TIMING_ROWS(H, c.), \
	{ "nb_get_retry", &vt_uint, KW_FIELD(H, c.retry), 0, UINT32_MAX - 1, NULL, \
	  KW_ALIAS | KW_DEPRECATED, "retry", ACTS }, \
	KW_ENUM("http_protocol", H, http_protocol, http_protocols, ACTS), \
	KW_STR("virtualhost", H, virtualhost, ACTS), \
	KW_FLAG("fast_recovery", H, fast_recovery, NO_EFFECT("vigil checks every url at each " \
		"attempt, which is what fast_recovery asks for while a checker is not up"))

static const struct kw http_kws[] = {
	HTTP_ROWS,
	KW_LIST("url", H, urls, desc_url, ACTS),
	KW_END
};

static const struct kw ssl_kws[] = {
	HTTP_ROWS,
	KW_FLAG("enable_sni", H, enable_sni, ACTS),
	KW_LIST("url", H, urls, desc_url, ACTS),
	KW_END
};

static void http_finish(struct pctx *p, void *obj, struct srcpos pos)
{
	H *h = obj;
	checker_finish(p, obj, pos);
	if (!h->urls.n)
		p_error(p, pos, "%s has no url; add url { path / } (keepalived ignores a "
			"checker without one)", h->c.node.desc->name);
}

struct block_desc desc_http_get = {
	.name = "HTTP_GET", .size = sizeof(H), .init = http_init, .kws = http_kws,
	.finish = http_finish,
};

struct block_desc desc_ssl_get = {
	.name = "SSL_GET", .size = sizeof(H), .init = ssl_init, .kws = ssl_kws,
	.finish = http_finish,
};

#undef H

/* ---- MISC_CHECK ----------------------------------------------------------------- */

#define M struct misc_check

static void misc_init(void *obj) { checker_init(obj, CHECK_MISC); }

/* No connection options: the program decides what it talks to. */
static const struct kw misc_kws[] = {
	TIMING_ROWS(M, c.),
	KW_CMD("misc_path", M, path, ACTS),
	KW_CTIMER("misc_timeout", M, timeout, 0, TIMER_MAX, ACTS),
	KW_FLAG("misc_dynamic", M, dynamic, ACTS),
	KW_TYPE("user", vt_runas, M, user, ACTS),
	KW_END
};

static void misc_finish(struct pctx *p, void *obj, struct srcpos pos)
{
	if (!((M *)obj)->path)
		p_error(p, pos, "MISC_CHECK has no misc_path; add the program to run "
			"(keepalived skips such a checker)");
}

struct block_desc desc_misc_check = {
	.name = "MISC_CHECK", .size = sizeof(M), .init = misc_init, .kws = misc_kws,
	.finish = misc_finish,
};

#undef M

/* ---- SMTP_CHECK ------------------------------------------------------------------ */

#define SH struct smtp_host

static void host_init(void *obj) { conn_init(&((SH *)obj)->conn); }

static const struct kw host_kws[] = {
	CONN_ROWS(SH, ),
	KW_END
};

static struct block_desc desc_smtp_host = {
	.name = "host", .size = sizeof(SH), .init = host_init, .kws = host_kws,
};

#undef SH
#define S struct smtp_check

/* keepalived's HELO name when none is given; never written through. */
static char default_helo[] = "smtpchecker.keepalived.org";

static void smtp_init(void *obj)
{
	checker_init(obj, CHECK_SMTP);
	((S *)obj)->helo_name = default_helo;
}

static const struct kw smtp_kws[] = {
	CONN_ROWS(S, c.),
	TIMING_ROWS(S, c.),
	KW_STR("helo_name", S, helo_name, ACTS),
	KW_LIST("host", S, hosts, desc_smtp_host, ACTS),
	KW_END
};

/* A host's unset options are the checker's, so its checks wait until the
 * whole SMTP_CHECK is read. */
static void smtp_finish(struct pctx *p, void *obj, struct srcpos pos)
{
	S *s = obj;
	const struct check_conn *cc = &s->c.conn;
	checker_finish(p, obj, pos);
	for (const struct node *n = s->hosts.first; n; n = n->next) {
		const struct check_conn *h = &((const struct smtp_host *)(const void *)n)->conn;
		const struct vaddr *target = h->connect_ip.family ? &h->connect_ip :
					     cc->connect_ip.family ? &cc->connect_ip : NULL;
		conn_check(p, n->pos, "SMTP_CHECK host", target,
			   h->bindto.family ? &h->bindto : &cc->bindto,
			   h->bind_if ? h->bind_if : cc->bind_if);
	}
}

struct block_desc desc_smtp_check = {
	.name = "SMTP_CHECK", .size = sizeof(S), .init = smtp_init, .kws = smtp_kws,
	.finish = smtp_finish,
};

#undef S

/* ---- DNS_CHECK ------------------------------------------------------------------- */

#define D struct dns_check

/* keepalived's default query name, the root; never written through. */
static char dns_root[] = ".";

static void dns_init(void *obj)
{
	checker_init(obj, CHECK_DNS);
	((D *)obj)->type = CHECK_DNS_SOA;
	((D *)obj)->name = dns_root;
}

static const struct kw_enum dns_types[] = {
	{ "A", CHECK_DNS_A },
	{ "NS", CHECK_DNS_NS },
	{ "CNAME", CHECK_DNS_CNAME },
	{ "SOA", CHECK_DNS_SOA },
	{ "MX", CHECK_DNS_MX },
	{ "TXT", CHECK_DNS_TXT },
	{ "AAAA", CHECK_DNS_AAAA },
	{ NULL, 0 }
};

static const struct kw dns_kws[] = {
	CONN_ROWS(D, c.),
	TIMING_ROWS(D, c.),
	KW_ENUM("type", D, type, dns_types, ACTS),
	KW_TYPE("name", vt_dnsname, D, name, ACTS),
	KW_END
};

struct block_desc desc_dns_check = {
	.name = "DNS_CHECK", .size = sizeof(D), .init = dns_init, .kws = dns_kws,
	.finish = checker_finish,
};

#undef D

/* ---- UDP_CHECK ------------------------------------------------------------------- */

#define UC struct udp_check

static void udp_init(void *obj)
{
	checker_init(obj, CHECK_UDP);
	((UC *)obj)->max_reply_length = 255;
}

static const struct kw udp_kws[] = {
	CONN_ROWS(UC, c.),
	TIMING_ROWS(UC, c.),
	KW_TYPE("payload", vt_payload, UC, payload, ACTS),
	KW_TYPE("require_reply", vt_reply, UC, reply, ACTS),
	KW_UINT("min_reply_length", UC, min_reply_length, 0, 65535, ACTS),
	KW_UINT("max_reply_length", UC, max_reply_length, 0, 65535, ACTS),
	KW_END
};

static void udp_finish(struct pctx *p, void *obj, struct srcpos pos)
{
	UC *u = obj;
	checker_finish(p, obj, pos);
	if (u->min_reply_length > u->max_reply_length)
		p_error(p, pos, "UDP_CHECK min_reply_length %u is larger than max_reply_length %u, "
			"so every check would fail; raise max_reply_length (default 255)",
			u->min_reply_length, u->max_reply_length);
}

struct block_desc desc_udp_check = {
	.name = "UDP_CHECK", .size = sizeof(UC), .init = udp_init, .kws = udp_kws,
	.finish = udp_finish,
};

#undef UC

/* ---- FILE_CHECK, BFD_CHECK --------------------------------------------------------- */

#define F struct file_check

static void file_init(void *obj)
{
	checker_init(obj, CHECK_FILE);
	((F *)obj)->weight.value = CHECK_INHERIT_WEIGHT;
}

/* None of the common options: the file's value is the result. */
static const struct kw file_kws[] = {
	KW_STR("track_file", F, track_file, ACTS),
	KW_TYPE("weight", vt_fweight, F, weight, ACTS),
	KW_FLAG("dynamic", F, dynamic, ACTS),
	KW_END
};

static void file_finish(struct pctx *p, void *obj, struct srcpos pos)
{
	if (!((F *)obj)->track_file)
		p_error(p, pos, "FILE_CHECK has no track_file; name the track_file block "
			"to watch (keepalived ignores such a checker)");
}

struct block_desc desc_file_check = {
	.name = "FILE_CHECK", .size = sizeof(F), .init = file_init, .kws = file_kws,
	.finish = file_finish,
};

#undef F
#define B struct bfd_check

static void bfd_init(void *obj) { checker_init(obj, CHECK_BFD); }

static const struct kw bfd_kws[] = {
	KW_STR("name", B, name, NO_EFFECT(WHY_INSIDE)),
	ALPHA_ROW(B, c., NO_EFFECT(WHY_INSIDE)),
	KW_END
};

static void bfd_finish(struct pctx *p, void *obj, struct srcpos pos)
{
	if (!((B *)obj)->name)
		p_error(p, pos, "BFD_CHECK has no name; name the bfd_instance to follow "
			"(keepalived skips such a checker)");
}

struct block_desc desc_bfd_check = {
	.name = "BFD_CHECK", .size = sizeof(B), .init = bfd_init, .kws = bfd_kws,
	.finish = bfd_finish,
};

#undef B

/* ---- inheritance ------------------------------------------------------------------ */

static uint64_t timer_of(uint64_t own, uint64_t rs, uint64_t vs, uint64_t dflt)
{
	if (own != CHECK_INHERIT_TIMER)
		return own;
	if (rs != LVS_TIMER_INHERIT)
		return rs;
	return vs != LVS_TIMER_INHERIT ? vs : dflt;
}

void checker_effective(const struct checker *c, const struct real_server *rs,
		       const struct virtual_server *vs, struct check_timing *out)
{
	out->connect_timeout = timer_of(c->conn.connect_timeout, rs->connect_timeout,
					vs->connect_timeout, SEC(5));
	out->delay_loop = timer_of(c->delay_loop, rs->delay_loop, vs->delay_loop, SEC(60));
	uint64_t dbr = c->kind == CHECK_HTTP || c->kind == CHECK_SSL ? SEC(3) :
		       c->kind == CHECK_DNS ? out->delay_loop : SEC(1);
	out->delay_before_retry = timer_of(c->delay_before_retry, rs->delay_before_retry,
					   vs->delay_before_retry, dbr);
	out->warmup = timer_of(c->warmup, rs->warmup, vs->warmup, out->delay_loop);
	if (c->retry != CHECK_INHERIT_RETRY)
		out->retry = c->retry;
	else if (rs->retry != LVS_RETRY_INHERIT)
		out->retry = rs->retry;
	else if (vs->retry != LVS_RETRY_INHERIT)
		out->retry = vs->retry;
	else
		out->retry = c->kind == CHECK_DNS ? 3 : c->kind == CHECK_MISC ? 0 : 1;
	out->alpha = c->alpha != CHECK_INHERIT_BOOL ? c->alpha == 1 :
		     rs->alpha != LVS_TRI_INHERIT ? rs->alpha == 1 : vs->alpha;
}

/* ---- references ------------------------------------------------------------------------ */

static bool named_in(const struct list *l, const char *name)
{
	for (const struct node *n = l->first; n; n = n->next)
		if (cstr_eq(((const struct named *)(const void *)n)->name, name))
			return true;
	return false;
}

/* The real server's address where a checker does not say where to connect. */
static void conn_check_rs(struct pctx *p, struct srcpos pos, const char *what,
			  const struct check_conn *cc, const struct check_conn *parent,
			  const struct real_server *rs)
{
	if (cc->connect_ip.family || (parent && parent->connect_ip.family))
		return;   /* checked at the end of the block */
	const struct vaddr *bindto = cc->bindto.family || !parent ? &cc->bindto : &parent->bindto;
	const char *bind_if = cc->bind_if || !parent ? cc->bind_if : parent->bind_if;
	conn_check(p, pos, what, &rs->addr, bindto, bind_if);
}

/* Checks that need other blocks: the real server a checker connects to
 * by default, and the names FILE_CHECK and BFD_CHECK refer to. */
static void resolve_checkers(struct pctx *p, struct config *cfg, const struct real_server *rs)
{
	for (const struct node *n = rs->checkers.first; n; n = n->next) {
		const struct checker *c = (const struct checker *)(const void *)n;
		bool smtp_hosts = c->kind == CHECK_SMTP &&
				  ((const struct smtp_check *)(const void *)c)->hosts.n;
		/* An SMTP_CHECK with hosts checks those, not the real server. */
		if (c->kind != CHECK_MISC && c->kind != CHECK_FILE && c->kind != CHECK_BFD &&
		    !smtp_hosts)
			conn_check_rs(p, n->pos, n->desc->name, &c->conn, NULL, rs);
		if (c->kind == CHECK_SMTP) {
			const struct smtp_check *s = (const struct smtp_check *)(const void *)c;
			for (const struct node *h = s->hosts.first; h; h = h->next)
				conn_check_rs(p, h->pos, "SMTP_CHECK host",
					      &((const struct smtp_host *)(const void *)h)->conn,
					      &c->conn, rs);
		} else if (c->kind == CHECK_FILE) {
			const struct file_check *f = (const struct file_check *)(const void *)c;
			if (f->track_file && !named_in(&cfg->track_files, f->track_file))
				p_error(p, n->pos, "FILE_CHECK: no track_file block is named '%s'; "
					"define track_file %s { file PATH } or fix the name",
					f->track_file, f->track_file);
		} else if (c->kind == CHECK_BFD) {
			const struct bfd_check *b = (const struct bfd_check *)(const void *)c;
			if (b->name && !named_in(&cfg->bfd_instances, b->name))
				p_error(p, n->pos, "BFD_CHECK: no bfd_instance is named '%s'; "
					"define bfd_instance %s { } or fix the name", b->name, b->name);
		}
	}
}

void check_resolve(struct pctx *p, struct config *cfg)
{
	for (LIST_EACH(struct virtual_server, vs, &cfg->virtual_servers))
		for (LIST_EACH(struct real_server, rs, &vs->real_servers))
			resolve_checkers(p, cfg, rs);
}
