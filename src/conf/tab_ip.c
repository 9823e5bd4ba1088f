/* tab_ip.c - address, route and rule lines: the items of static_ipaddress,
 * virtual_ipaddress(_excluded), static/virtual_routes and
 * static/virtual_rules.
 *
 * A line is a head (an address, or a route's type and destination)
 * followed by options in any order, as with ip(8). The options are kw
 * rows, so dump_options() and fields_eq() derive the canonical text and
 * equality; parsing has its own loop because some options take a
 * variable number of words ("mtu lock 1400", "via inet6 fe80::1",
 * "encap ip id 1 dst ...", "nexthop ...").
 *
 * keepalived skips a route or rule whose address does not parse (one of
 * its samples has "to 192.168.100./24"), so such a line is dropped with a
 * warning; every other problem is an error.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "tab.h"
#include "why.h"

/* ---- small parsers -------------------------------------------------------- */

/* An unsigned number in C syntax (0x10, 010, 16), as ip(8) reads them. */
static bool num_word(struct pctx *p, const struct lex_word *w, long long lo,
		     long long hi, const char *what, long long *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(w->text, &end, 0);
	if (!isdigit((unsigned char)w->text[0]) || *end || errno == ERANGE) {
		p_error(p, w->pos, "%s must be a number, not '%s'", what, w->text);
		return false;
	}
	if (v > (unsigned long long)hi || (long long)v < lo) {
		p_error(p, w->pos, "%s %s is out of range; use %lld..%lld", what, w->text, lo, hi);
		return false;
	}
	*out = (long long)v;
	return true;
}

static bool is_bool_word(const char *s)
{
	static const char *const words[] = { "on", "off", "true", "false", "yes", "no" };
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(s, words[i]) == 0)
			return true;
	return false;
}

static bool is_family_word(const char *s)
{
	return strcmp(s, "inet") == 0 || strcmp(s, "inet6") == 0;
}

static const char *family_name(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

/* static_* blocks sit at the top level; virtual_* inside a vrrp_instance. */
static bool in_static_block(const struct pctx *p)
{
	return p->depth > 0 && p->stack[p->depth - 1].desc == &desc_root;
}

static void store_num(void *f, size_t size, long long v)
{
	switch (size) {
	case 1: *(uint8_t *)f = (uint8_t)v; break;
	case 2: *(uint16_t *)f = (uint16_t)v; break;
	case 4: *(uint32_t *)f = (uint32_t)v; break;
	default: *(int64_t *)f = v; break;
	}
}

/* Fields of vt_num are int (possibly -1 for "not given") or int64_t. */
static long long load_num(const void *f, size_t size)
{
	return size == 4 ? (long long)*(const int32_t *)f : (long long)*(const int64_t *)f;
}

/* ---- value types ----------------------------------------------------------- */

static bool mem_eq(const struct kw *k, const void *a, const void *b)
{
	return memcmp(a, b, k->size) == 0;
}

static bool str_same(const char *x, const char *y)
{
	return x == y || (x && y && strcmp(x, y) == 0);
}

/* vt_num: an int or int64_t field from a number in C syntax. */
static bool num_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	long long v;
	if (!stmt_nargs(p, s, 1, 1) || !num_word(p, &s->args[0], k->min, k->max, k->name, &v))
		return false;
	store_num(f, k->size, v);
	return true;
}

static void num_dump(struct out *o, const struct kw *k, const void *f)
{
	out_printf(o, " %lld", load_num(f, k->size));
}

static const struct vtype vt_num = { "a number", 1, num_parse, num_dump, mem_eq, VT_VALUE };

/* Scope names of rt_scopes (the "scope" rows use the engine's vt_enum_num). */
static const struct kw_enum scope_names[] = {
	{ "global", 0 }, { "site", 200 }, { "link", 253 }, { "host", 254 }, { "nowhere", 255 },
	{ NULL, 0 }
};


/* vt_rtid: struct rt_id; aux lists the built-in names, min..max the numbers. */
static const struct kw_enum table_names[] = {
	{ "unspec", 0 }, { "default", 253 }, { "main", 254 }, { "local", 255 }, { NULL, 0 }
};

/* iproute2's built-in rt_protos */
static const struct kw_enum proto_names[] = {
	{ "unspec", 0 }, { "redirect", 1 }, { "kernel", 2 }, { "boot", 3 }, { "static", 4 },
	{ "gated", 8 }, { "ra", 9 }, { "mrt", 10 }, { "zebra", 11 }, { "bird", 12 },
	{ "dnrouted", 13 }, { "xorp", 14 }, { "ntk", 15 }, { "dhcp", 16 },
	{ "keepalived", 18 }, { "babel", 42 }, { "openr", 99 }, { "bgp", 186 },
	{ "isis", 187 }, { "ospf", 188 }, { "rip", 189 }, { "eigrp", 192 }, { NULL, 0 }
};

static const struct kw_enum no_names[] = { { NULL, 0 } };

static bool valid_id_name(const char *s)
{
	if (!isalpha((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_-.", *s))
			return false;
	return true;
}

static bool rtid_word(struct pctx *p, const struct kw *k, const struct lex_word *w,
		      struct rt_id *out)
{
	long long v;
	if (isdigit((unsigned char)w->text[0])) {
		if (!num_word(p, w, k->min, k->max, k->name, &v))
			return false;
		*out = (struct rt_id){ true, (uint32_t)v, NULL };
		return true;
	}
	for (const struct kw_enum *e = k->aux; e->name; e++) {
		if (strcmp(e->name, w->text) == 0) {
			*out = (struct rt_id){ true, (uint32_t)e->value, NULL };
			return true;
		}
	}
	if (!valid_id_name(w->text)) {
		p_error(p, w->pos, "%s '%s' is neither a number %lld..%lld nor a name", k->name,
			w->text, k->min, k->max);
		return false;
	}
	*out = (struct rt_id){ true, 0, p_strdup(p, w->text) };
	return true;
}

static bool rtid_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	return stmt_nargs(p, s, 1, 1) && rtid_word(p, k, &s->args[0], f);
}

static void rtid_out(struct out *o, const struct kw_enum *names, const struct rt_id *id)
{
	const char *n = id->name ? id->name : enum_name(names, (int)id->num);
	if (id->name || (strcmp(n, "?") != 0 && id->num <= 255))
		out_word(o, n);
	else
		out_printf(o, " %u", id->num);
}

static void rtid_dump(struct out *o, const struct kw *k, const void *f)
{
	rtid_out(o, k->aux, f);
}

static bool rtid_same(const struct rt_id *a, const struct rt_id *b)
{
	return a->set == b->set && a->num == b->num && str_same(a->name, b->name);
}

static bool rtid_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	return rtid_same(a, b);
}

static const struct vtype vt_rtid = { "a number or a name", 1, rtid_parse, rtid_dump, rtid_eq, VT_VALUE };

/* Protocols are dumped as numbers: keepalived reads names in routes only. */
static void rtid_num_dump(struct out *o, const struct kw *k, const void *f)
{
	rtid_out(o, no_names, f);
	(void)k;
}

static const struct vtype vt_rtid_num = { "a number or a name", 1, rtid_parse, rtid_num_dump, rtid_eq, VT_VALUE };

/* vt_realms: "[FROM/]TO", each a realm number 0..255 or a name of rt_realms. */
static const struct kw realm_kw = { "realm", &vt_rtid, 0, 0, 0, 255, no_names, 0, NULL, ACTS };

static bool realms_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	(void)k;
	struct rt_realms r = { { false, 0, NULL }, { false, 0, NULL } };
	if (!stmt_nargs(p, s, 1, 1))
		return false;
	const struct lex_word *w = &s->args[0];
	const char *slash = strchr(w->text, '/');
	if (slash) {
		struct lex_word from = *w, to = *w;
		char *ftext = p_strdup(p, w->text);
		ftext[slash - w->text] = '\0';
		from.text = ftext;
		from.len = (size_t)(slash - w->text);
		to.text = slash + 1;
		to.len = strlen(slash + 1);
		if (!rtid_word(p, &realm_kw, &from, &r.from) || !rtid_word(p, &realm_kw, &to, &r.to))
			return false;
	} else if (!rtid_word(p, &realm_kw, w, &r.to)) {
		return false;
	}
	*(struct rt_realms *)f = r;
	return true;
}

static void realms_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	const struct rt_realms *r = f;
	char buf[128];
	int n = 0;
	if (r->from.set)
		n = r->from.name ? snprintf(buf, sizeof(buf), "%s/", r->from.name)
				 : snprintf(buf, sizeof(buf), "%u/", r->from.num);
	if (r->to.name)
		snprintf(buf + n, sizeof(buf) - (size_t)n, "%s", r->to.name);
	else
		snprintf(buf + n, sizeof(buf) - (size_t)n, "%u", r->to.num);
	out_word(o, buf);
}

static bool realms_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	const struct rt_realms *x = a, *y = b;
	return rtid_same(&x->from, &y->from) && rtid_same(&x->to, &y->to);
}

static const struct vtype vt_realms = { "[FROM/]TO realms", 1, realms_parse, realms_dump, realms_eq, VT_VALUE };

/* Route metrics, "[lock] N". vt_metric_ms also reads "1.5s" or "200ms". */
static bool ms_word(struct pctx *p, const struct lex_word *w, long long max,
		    const char *what, long long *out)
{
	const char *s = w->text;
	long long whole = 0, frac = 0;
	int fdigits = 0;
	bool digits = false;
	for (; isdigit((unsigned char)*s) && whole < 1000000000LL; s++, digits = true)
		whole = whole * 10 + (*s - '0');
	if (*s == '.')
		for (s++; isdigit((unsigned char)*s) && fdigits < 4; s++, fdigits++, digits = true)
			frac = frac * 10 + (*s - '0');
	bool secs = strcmp(s, "s") == 0 || strcmp(s, "sec") == 0 || strcmp(s, "secs") == 0;
	bool ms = !*s || strcmp(s, "ms") == 0 || strcmp(s, "msec") == 0 || strcmp(s, "msecs") == 0;
	if (!digits || (!secs && !ms) || fdigits > (secs ? 3 : 0)) {
		p_error(p, w->pos, "%s must be milliseconds (like 200 or 200ms) or seconds "
			"with up to 3 decimals (like 1.5s), not '%s'", what, w->text);
		return false;
	}
	for (; secs && fdigits < 3; fdigits++)
		frac *= 10;
	long long v = secs ? whole * 1000 + frac : whole;
	if (v > max) {
		p_error(p, w->pos, "%s %s is out of range; use 0..%lld ms", what, w->text, max);
		return false;
	}
	*out = v;
	return true;
}

static bool metric_parse_any(struct pctx *p, const struct kw *k, const struct stmt *s,
			     void *f, bool ms)
{
	struct rt_metric m = { true, false, 0 };
	long long v;
	if (!stmt_nargs(p, s, 1, 2))
		return false;
	if (s->nargs == 2) {
		if (strcmp(s->args[0].text, "lock") != 0) {
			p_error(p, s->args[0].pos, "%s takes [lock] VALUE; unexpected '%s'",
				k->name, s->args[0].text);
			return false;
		}
		m.lock = true;
	}
	const struct lex_word *w = &s->args[s->nargs - 1];
	if (ms ? !ms_word(p, w, k->max, k->name, &v) : !num_word(p, w, k->min, k->max, k->name, &v))
		return false;
	m.value = (uint32_t)v;
	*(struct rt_metric *)f = m;
	return true;
}

static bool metric_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	return metric_parse_any(p, k, s, f, false);
}

static bool metric_ms_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	return metric_parse_any(p, k, s, f, true);
}

static void metric_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	const struct rt_metric *m = f;
	out_printf(o, "%s %u", m->lock ? " lock" : "", m->value);
}

/* Field by field: memcmp would compare padding bytes. */
static bool metric_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	const struct rt_metric *x = a, *y = b;
	return x->set == y->set && x->lock == y->lock && x->value == y->value;
}

static const struct vtype vt_metric = { "[lock] N", -1, metric_parse, metric_dump, metric_eq, VT_VALUE };
static const struct vtype vt_metric_ms = { "[lock] TIME", -1, metric_ms_parse, metric_dump, metric_eq, VT_VALUE };

/* vt_congctl: "[lock] NAME" */
static bool congctl_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	struct rt_congctl *c = f;
	if (!stmt_nargs(p, s, 1, 2))
		return false;
	if (s->nargs == 2 && strcmp(s->args[0].text, "lock") != 0) {
		p_error(p, s->args[0].pos, "%s takes [lock] ALGORITHM; unexpected '%s'", k->name,
			s->args[0].text);
		return false;
	}
	c->lock = s->nargs == 2;
	c->name = p_strdup(p, s->args[s->nargs - 1].text);
	return true;
}

static void congctl_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	const struct rt_congctl *c = f;
	if (c->lock)
		out_printf(o, " lock");
	out_word(o, c->name ? c->name : "");
}

static bool congctl_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	const struct rt_congctl *x = a, *y = b;
	return x->lock == y->lock && str_same(x->name, y->name);
}

static const struct vtype vt_congctl = { "[lock] ALGORITHM", -1, congctl_parse, congctl_dump, congctl_eq, VT_VALUE };

/* vt_ecn: "features ecn", the one route feature the kernel has. */
static bool ecn_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	if (!stmt_nargs(p, s, 1, 1))
		return false;
	if (strcmp(s->args[0].text, "ecn") != 0) {
		p_error(p, s->args[0].pos, "%s '%s' is not known; use ecn", k->name, s->args[0].text);
		return false;
	}
	*(bool *)f = true;
	return true;
}

static void ecn_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	(void)f;
	out_printf(o, " ecn");
}

static const struct vtype vt_ecn = { "ecn", 1, ecn_parse, ecn_dump, mem_eq, VT_VALUE };

/* Addresses in route and rule lines: an invalid one drops the line with
 * a warning (keepalived does the same). kw->aux names the line's kind. */
static bool rt_addr_word(struct pctx *p, const struct kw *k, const struct lex_word *w,
			 bool prefix, struct vaddr *out)
{
	const char *err = vaddr_parse(w->text, prefix, out);
	if (err)
		p_warn(p, w->pos, "%s '%s': %s; this %s is ignored (as keepalived does); "
		       "fix the address to install it", k->name, w->text, err,
		       (const char *)k->aux);
	return err == NULL;
}

static bool rt_addr_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	return stmt_nargs(p, s, 1, 1) && rt_addr_word(p, k, &s->args[0], false, f);
}

/* Rule selectors also take "all" (the default: any address). */
static bool rt_prefix_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	if (!stmt_nargs(p, s, 1, 1))
		return false;
	if (strcmp(s->args[0].text, "all") == 0 || strcmp(s->args[0].text, "default") == 0) {
		memset(f, 0, sizeof(struct vaddr));
		return true;
	}
	return rt_addr_word(p, k, &s->args[0], true, f);
}



static const struct vtype vt_rt_addr = { "an IP address", 1, rt_addr_parse, kw_addr_dump, kw_addr_eq, VT_VALUE };
static const struct vtype vt_rt_prefix = { "an IP address[/prefix]", 1, rt_prefix_parse, kw_addr_dump, kw_addr_eq, VT_VALUE };

/* vt_via: "[inet|inet6] ADDR" */
static bool via_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	struct vaddr *a = f;
	if (!stmt_nargs(p, s, 1, 2))
		return false;
	if (s->nargs == 2 && !is_family_word(s->args[0].text)) {
		p_error(p, s->args[0].pos, "%s takes [inet|inet6] ADDRESS; unexpected '%s'",
			k->name, s->args[0].text);
		return false;
	}
	if (!rt_addr_word(p, k, &s->args[s->nargs - 1], false, a))
		return false;
	int want = strcmp(s->args[0].text, "inet6") == 0 ? AF_INET6 : AF_INET;
	if (s->nargs == 2 && a->family != want) {
		p_error(p, s->args[1].pos, "%s %s is not an %s address", k->name,
			s->args[1].text, family_name(want));
		return false;
	}
	return true;
}

static const struct vtype vt_via = { "[inet|inet6] ADDRESS", -1, via_parse, kw_addr_dump, kw_addr_eq, VT_VALUE };

/* vt_encap: struct rt_encap. */
static const struct kw_enum encap_types[] = {
	{ "mpls", RT_ENCAP_MPLS }, { "ip", RT_ENCAP_IP }, { "ip6", RT_ENCAP_IP6 },
	{ "ila", RT_ENCAP_ILA }, { NULL, 0 }
};

/* Words of "ip"/"ip6" encapsulation options, each followed by a value. */
static bool encap_ip_option(int type, const char *w)
{
	static const char *const ip[] = { "id", "dst", "src", "ttl", "tos" };
	static const char *const ip6[] = { "id", "dst", "src", "hoplimit", "tc" };
	for (size_t i = 0; i < 5; i++)
		if (strcmp(w, (type == RT_ENCAP_IP ? ip : ip6)[i]) == 0)
			return true;
	return false;
}

static size_t encap_take(const struct lex_word *w, size_t n)
{
	if (n == 0)
		return 1;
	int type = 0;
	for (const struct kw_enum *e = encap_types; e->name; e++)
		if (strcmp(e->name, w[0].text) == 0)
			type = e->value;
	if (type != RT_ENCAP_IP && type != RT_ENCAP_IP6)
		return 2;
	size_t i = 1;
	while (i + 1 < n && encap_ip_option(type, w[i].text))
		i += 2;
	return i;
}

static bool mpls_labels(struct pctx *p, const struct lex_word *w, struct rt_encap *e)
{
	const char *s = w->text;
	e->nlabels = 0;
	for (;;) {
		char *end;
		errno = 0;
		unsigned long v = strtoul(s, &end, 0);
		if (!isdigit((unsigned char)*s) || errno || v > 1048575 ||
		    (*end && *end != '/') || e->nlabels == RT_MPLS_MAX_LABELS) {
			p_error(p, w->pos, "encap mpls '%s' is not a label stack; use up to %d "
				"labels 0..1048575 separated by '/'", w->text, RT_MPLS_MAX_LABELS);
			return false;
		}
		e->labels[e->nlabels++] = (uint32_t)v;
		if (!*end)
			return true;
		s = end + 1;
	}
}

static bool ila_locator(struct pctx *p, const struct lex_word *w, uint64_t *out)
{
	const char *s = w->text;
	uint64_t loc = 0;
	for (int i = 0; i < 4; i++) {
		char *end;
		unsigned long v = strtoul(s, &end, 16);
		if (!isxdigit((unsigned char)*s) || end - s > 4 || v > 0xffff ||
		    (i < 3 ? *end != ':' : *end != '\0')) {
			p_error(p, w->pos, "encap ila locator '%s' is not valid; use four hex "
				"groups like 2001:db8:1:2", w->text);
			return false;
		}
		loc = loc << 16 | v;
		s = end + 1;
	}
	*out = loc;
	return true;
}

static bool encap_ip_value(struct pctx *p, const struct kw *k, struct rt_encap *e,
			   const struct lex_word *opt, const struct lex_word *val)
{
	long long v;
	int family = e->type == RT_ENCAP_IP ? AF_INET : AF_INET6;
	if (strcmp(opt->text, "id") == 0) {
		char *end;
		errno = 0;
		e->id = strtoull(val->text, &end, 0);
		e->has_id = true;
		if (!isdigit((unsigned char)val->text[0]) || *end || errno) {
			p_error(p, val->pos, "encap id must be a number 0..18446744073709551615, "
				"not '%s'", val->text);
			return false;
		}
		return true;
	}
	if (strcmp(opt->text, "dst") == 0 || strcmp(opt->text, "src") == 0) {
		struct vaddr *a = opt->text[0] == 'd' ? &e->dst : &e->src;
		if (!rt_addr_word(p, k, val, false, a))
			return false;
		if (a->family != family) {
			p_error(p, val->pos, "encap %s %s must be an %s address", opt->text,
				val->text, family_name(family));
			return false;
		}
		return true;
	}
	if (!num_word(p, val, 0, 255, opt->text, &v))
		return false;
	if (strcmp(opt->text, "ttl") == 0 || strcmp(opt->text, "hoplimit") == 0)
		e->ttl = (int)v;
	else
		e->tos = (int)v;
	return true;
}

static bool encap_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	struct rt_encap e = { .ttl = -1, .tos = -1 };
	if (s->nargs == 0) {
		p_error(p, s->kw->pos, "encap needs a type: mpls|ip|ip6|ila");
		return false;
	}
	if (!parse_enum_word(p, &s->args[0], encap_types, "encap type", &e.type))
		return false;
	if (e.type == RT_ENCAP_IP || e.type == RT_ENCAP_IP6) {
		for (size_t i = 1; i + 1 < s->nargs; i += 2)
			if (!encap_ip_value(p, k, &e, &s->args[i], &s->args[i + 1]))
				return false;
		if (!vaddr_is_set(&e.dst)) {
			p_error(p, s->kw->pos, "encap %s needs a dst address", s->args[0].text);
			return false;
		}
	} else if (s->nargs != 2) {
		p_error(p, s->kw->pos, "encap %s needs one value", s->args[0].text);
		return false;
	} else if (e.type == RT_ENCAP_MPLS ? !mpls_labels(p, &s->args[1], &e)
					   : !ila_locator(p, &s->args[1], &e.locator)) {
		return false;
	}
	*(struct rt_encap *)f = e;
	return true;
}

static void encap_dump_ip(struct out *o, const struct rt_encap *e)
{
	char buf[VADDR_STRLEN];
	bool v4 = e->type == RT_ENCAP_IP;
	if (e->has_id)
		out_printf(o, " id %llu", (unsigned long long)e->id);
	out_printf(o, " dst %s", vaddr_format(&e->dst, buf, sizeof(buf)));
	if (vaddr_is_set(&e->src))
		out_printf(o, " src %s", vaddr_format(&e->src, buf, sizeof(buf)));
	if (e->ttl >= 0)
		out_printf(o, " %s %d", v4 ? "ttl" : "hoplimit", e->ttl);
	if (e->tos >= 0)
		out_printf(o, " %s %d", v4 ? "tos" : "tc", e->tos);
}

static void encap_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	const struct rt_encap *e = f;
	out_printf(o, " %s", enum_name(encap_types, e->type));
	if (e->type == RT_ENCAP_MPLS) {
		for (uint8_t i = 0; i < e->nlabels; i++)
			out_printf(o, "%c%u", i ? '/' : ' ', e->labels[i]);
	} else if (e->type == RT_ENCAP_ILA) {
		out_printf(o, " %x:%x:%x:%x", (unsigned)(e->locator >> 48 & 0xffff),
			   (unsigned)(e->locator >> 32 & 0xffff), (unsigned)(e->locator >> 16 & 0xffff),
			   (unsigned)(e->locator & 0xffff));
	} else {
		encap_dump_ip(o, e);
	}
}

static bool encap_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	const struct rt_encap *x = a, *y = b;
	return x->type == y->type && x->nlabels == y->nlabels &&
	       memcmp(x->labels, y->labels, sizeof(x->labels)) == 0 &&
	       x->has_id == y->has_id && x->id == y->id && vaddr_equal(&x->src, &y->src) &&
	       vaddr_equal(&x->dst, &y->dst) && x->ttl == y->ttl && x->tos == y->tos &&
	       x->locator == y->locator;
}

static const struct vtype vt_encap = { "an encapsulation", -1, encap_parse, encap_dump, encap_eq, VT_VALUE };

/* ---- the option loop -------------------------------------------------------- */

static const struct vtype vt_nexthops;

static const struct kw *opt_find(const struct kw *kws, const char *name)
{
	for (const struct kw *k = kws; k->name; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

/* How many of the n words after option k's keyword belong to it. */
static size_t opt_take(const struct kw *k, const struct lex_word *w, size_t n)
{
	const struct vtype *t = k->type;
	if (t == &vt_metric || t == &vt_metric_ms || t == &vt_congctl)
		return n > 0 && strcmp(w[0].text, "lock") == 0 ? 2 : 1;
	if (t == &vt_via)
		return n > 0 && is_family_word(w[0].text) ? 2 : 1;
	if (t == &vt_encap)
		return encap_take(w, n);
	if (t == &vt_nexthops) {
		size_t i = 0;
		while (i < n && strcmp(w[i].text, "nexthop") != 0)
			i++;
		return i;
	}
	if (t == &vt_flag)
		return n > 0 && is_bool_word(w[0].text) ? 1 : 0;
	return (size_t)t->arity;
}

/* The row that owns k's field: aliases count as their field's first row. */
static size_t opt_owner(const struct kw *kws, const struct kw *k)
{
	size_t i = 0;
	while (kws[i].off != k->off)
		i++;
	return i;
}

/* Parse the option at w[0]. Returns the words used; 0 when w[0] is not
 * one of kws; SIZE_MAX after an error, which has been reported. */
static size_t opt_one(struct pctx *p, const struct kw *kws, void *obj,
		      const struct lex_word *w, size_t n, uint64_t *seen, const char *what)
{
	const struct kw *k = opt_find(kws, w[0].text);
	if (!k)
		return 0;
	size_t take = opt_take(k, w + 1, n - 1);
	if (take > n - 1) {
		p_error(p, w[0].pos, "'%s' needs a value", w[0].text);
		return SIZE_MAX;
	}
	size_t row = opt_owner(kws, k);
	if (!(k->flags & KW_REPEAT) && row < 64) {
		if (*seen & (1ULL << row))
			p_warn(p, w[0].pos, "'%s' is given more than once in this %s; the last "
			       "one is used", w[0].text, what);
		*seen |= 1ULL << row;
	}
	if (!kw_announce(p, k, w[0].pos))
		return SIZE_MAX;
	struct stmt s = { &w[0], &w[1], take };
	if (!k->type->parse(p, k, &s, (char *)obj + k->off))
		return SIZE_MAX;
	return 1 + take;
}

static void opt_unknown(struct pctx *p, const struct kw *kws, const struct lex_word *w,
			const char *what)
{
	char names[768];
	size_t o = 0;
	names[0] = '\0';
	for (const struct kw *k = kws; k->name && o < sizeof(names); k++)
		if (!(k->flags & KW_ALIAS))
			o += (size_t)snprintf(names + o, sizeof(names) - o, "%s%s", o ? " " : "",
					      k->name);
	p_error(p, w->pos, "unknown %s option '%s'; options are: %s", what, w->text, names);
}

/* Every word an option of kws. */
static bool opts_all(struct pctx *p, const struct kw *kws, void *obj,
		     const struct lex_word *w, size_t n, const char *what)
{
	uint64_t seen = 0;
	for (size_t i = 0; i < n;) {
		size_t used = opt_one(p, kws, obj, w + i, n - i, &seen, what);
		if (used == SIZE_MAX)
			return false;
		if (used == 0) {
			opt_unknown(p, kws, &w[i], what);
			return false;
		}
		i += used;
	}
	return true;
}

/* ---- addresses ----------------------------------------------------------------- */

#define A struct ipaddr_item

/* vt_brd: "brd ADDR|-|+" */
static bool brd_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	(void)k;
	struct ip_brd *b = f;
	if (!stmt_nargs(p, s, 1, 1))
		return false;
	const char *t = s->args[0].text;
	if (strcmp(t, "-") == 0 || strcmp(t, "+") == 0) {
		b->mode = *t == '-' ? IP_BRD_CLEAR : IP_BRD_SET;
		memset(&b->addr, 0, sizeof(b->addr));
		return true;
	}
	if (!parse_addr_word(p, &s->args[0], false, &b->addr))
		return false;
	b->mode = IP_BRD_ADDR;
	return true;
}

static void brd_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	const struct ip_brd *b = f;
	char buf[VADDR_STRLEN];
	if (b->mode == IP_BRD_ADDR)
		out_word(o, vaddr_format(&b->addr, buf, sizeof(buf)));
	else
		out_word(o, b->mode == IP_BRD_CLEAR ? "-" : "+");
}

static bool brd_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	const struct ip_brd *x = a, *y = b;
	return x->mode == y->mode && vaddr_equal(&x->addr, &y->addr);
}

static const struct vtype vt_brd = { "ADDRESS|-|+", 1, brd_parse, brd_dump, brd_eq, VT_VALUE };

/* vt_lft: "preferred_lft N|forever" */
static bool lft_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	long long v;
	if (!stmt_nargs(p, s, 1, 1))
		return false;
	if (strcmp(s->args[0].text, "forever") == 0) {
		*(int64_t *)f = IP_LFT_FOREVER;
		return true;
	}
	if (!num_word(p, &s->args[0], 0, IP_LFT_FOREVER, k->name, &v))
		return false;
	*(int64_t *)f = v;
	return true;
}

static void lft_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	int64_t v = *(const int64_t *)f;
	if (v == IP_LFT_FOREVER)
		out_printf(o, " forever");
	else
		out_printf(o, " %lld", (long long)v);
}

static const struct vtype vt_lft = { "seconds|forever", 1, lft_parse, lft_dump, mem_eq, VT_VALUE };

static void addr_init(void *obj)
{
	A *a = obj;
	a->preferred_lft = -1;
}

static const struct kw addr_kws[] = {
	KW_TYPE("brd", vt_brd, A, brd, ACTS),
	{ "broadcast", &vt_brd, KW_FIELD(A, brd), 0, 0, NULL, KW_ALIAS, NULL, ACTS },
	KW_STR("dev", A, dev, ACTS),
	{ "scope", &vt_enum_num, KW_FIELD(A, scope), 0, 255, scope_names, 0, NULL, ACTS },
	KW_STR("label", A, label, ACTS),
	KW_ADDR("peer", A, peer, ACTS),
	KW_FLAG("home", A, home, ACTS),
	KW_FLAG("-nodad", A, nodad, ACTS),
	KW_FLAG("mngtmpaddr", A, mngtmpaddr, ACTS),
	KW_FLAG("noprefixroute", A, noprefixroute, ACTS),
	KW_FLAG("autojoin", A, autojoin, ACTS),
	KW_FLAG("use_vmac", A, use_vmac, NO_EFFECT(WHY_VMAC)),
	KW_FLAG("no_track", A, no_track, NO_EFFECT(WHY_NO_TRACK)),
	KW_STR("track_group", A, track_group, NO_EFFECT(WHY_TRACK_GROUP_ITEM)),
	KW_TYPE("preferred_lft", vt_lft, A, preferred_lft, ACTS),
	KW_END
};

/* What ip(8) and keepalived refuse to combine. */
static bool addr_check(struct pctx *p, const A *a, struct srcpos pos, bool is_static)
{
	char buf[VADDR_STRLEN];
	const char *s = vaddr_format(&a->addr, buf, sizeof(buf));
	bool ok = true;
	if (vaddr_is_set(&a->peer) && a->addr.has_prefix) {
		p_error(p, pos, "%s: a /prefix cannot be combined with peer; drop the prefix", s);
		ok = false;
	}
	if (vaddr_is_set(&a->peer) && a->brd.mode != IP_BRD_NONE) {
		p_error(p, pos, "%s: brd cannot be combined with peer; remove one of them", s);
		ok = false;
	}
	if (vaddr_is_set(&a->peer) && a->peer.family != a->addr.family) {
		p_error(p, pos, "%s: peer must be an %s address too", s, family_name(a->addr.family));
		ok = false;
	}
	if (a->brd.mode == IP_BRD_ADDR && a->brd.addr.family != a->addr.family) {
		p_error(p, pos, "%s: brd must be an %s address too", s, family_name(a->addr.family));
		ok = false;
	}
	if (a->track_group && !is_static) {
		p_error(p, pos, "%s: track_group applies to static_ipaddress only; use no_track "
			"or remove it", s);
		ok = false;
	}
	if (a->use_vmac && is_static) {
		p_error(p, pos, "%s: use_vmac applies to virtual_ipaddress only; remove it", s);
		ok = false;
	}
	return ok;
}

static bool addr_parse_item(struct pctx *p, void *item, const struct stmt *s)
{
	A *a = item;
	if (!parse_addr_word(p, s->kw, true, &a->addr) ||
	    !opts_all(p, addr_kws, a, s->args, s->nargs, "address"))
		return false;
	return addr_check(p, a, s->kw->pos, in_static_block(p));
}

static void addr_dump_item(struct out *o, const void *item)
{
	char buf[VADDR_STRLEN];
	out_printf(o, "%s", vaddr_format(&((const A *)item)->addr, buf, sizeof(buf)));
	dump_options(o, addr_kws, item, block_template(&desc_ipaddress_item));
}

static bool addr_item_eq(const void *a, const void *b)
{
	return vaddr_equal(&((const A *)a)->addr, &((const A *)b)->addr) &&
	       fields_eq(addr_kws, a, b);
}

struct block_desc desc_ipaddress_item = {
	.name = "static_/virtual_ipaddress", .size = sizeof(A), .init = addr_init,
	.parse_item = addr_parse_item, .dump_item = addr_dump_item, .item_eq = addr_item_eq,
	.opts = (const struct kw *const[]){ addr_kws, NULL },
};

#undef A

/* ---- nexthops -------------------------------------------------------------------- */

#define N struct rt_nexthop

static const struct kw nexthop_kws[] = {
	{ "via", &vt_via, KW_FIELD(N, via), 0, 0, "route", 0, NULL, ACTS },
	KW_STR("dev", N, dev, ACTS),
	{ "weight", &vt_num, KW_FIELD(N, weight), 1, 256, NULL, 0, NULL, ACTS },
	KW_FLAG("onlink", N, onlink, ACTS),
	KW_TYPE("realms", vt_realms, N, realms, ACTS),
	{ "encap", &vt_encap, KW_FIELD(N, encap), 0, 0, "route", 0, NULL,
	  NO_EFFECT("vigil installs no lightweight tunnel encapsulation; the nexthop is installed without it") },
	KW_END
};

static const N nexthop_tmpl = { .encap = { .ttl = -1, .tos = -1 } };

/* vt_nexthops: each "nexthop ..." appends one struct rt_nexthop. */
static bool nexthops_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	(void)k;
	N *nh = arena_zalloc(p->a, sizeof(*nh));
	*nh = nexthop_tmpl;
	nh->node.pos = s->kw->pos;
	if (!opts_all(p, nexthop_kws, nh, s->args, s->nargs, "nexthop"))
		return false;
	if (!vaddr_is_set(&nh->via) && !nh->dev) {
		p_error(p, s->kw->pos, "a nexthop needs via ADDRESS or dev IF");
		return false;
	}
	list_append(f, &nh->node);
	return true;
}

static void nexthops_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	for (const struct node *n = ((const struct list *)f)->first; n; n = n->next) {
		if (n != ((const struct list *)f)->first)
			out_printf(o, " nexthop");
		dump_options(o, nexthop_kws, n, &nexthop_tmpl);
	}
}

static bool nexthops_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	const struct list *x = a, *y = b;
	if (x->n != y->n)
		return false;
	for (const struct node *m = x->first, *n = y->first; m && n; m = m->next, n = n->next)
		if (!fields_eq(nexthop_kws, m, n))
			return false;
	return true;
}

static const struct vtype vt_nexthops = { "nexthop options", -1, nexthops_parse, nexthops_dump, nexthops_eq, VT_VALUE };

#undef N

/* ---- routes ----------------------------------------------------------------------- */

#define R struct route_item

static const struct kw_enum route_types[] = {
	{ "unicast", RT_TYPE_UNICAST }, { "local", RT_TYPE_LOCAL },
	{ "broadcast", RT_TYPE_BROADCAST }, { "anycast", RT_TYPE_ANYCAST },
	{ "multicast", RT_TYPE_MULTICAST }, { "blackhole", RT_TYPE_BLACKHOLE },
	{ "unreachable", RT_TYPE_UNREACHABLE }, { "prohibit", RT_TYPE_PROHIBIT },
	{ "throw", RT_TYPE_THROW }, { "nat", RT_TYPE_NAT }, { "xresolve", RT_TYPE_XRESOLVE },
	{ NULL, 0 }
};

/* ICMPV6_ROUTER_PREF_* */
static const struct kw_enum pref_names[] = {
	{ "low", 3 }, { "medium", 0 }, { "high", 1 }, { NULL, 0 }
};

static const struct kw_enum ttl_propagate_names[] = {
	{ "enabled", 1 }, { "disabled", 0 }, { NULL, 0 }
};

#define METRIC(n, f, hi, E)    { n, &vt_metric, KW_FIELD(R, f), 0, hi, NULL, 0, NULL, E }
#define METRIC_MS(n, f, hi, E) { n, &vt_metric_ms, KW_FIELD(R, f), 0, hi, NULL, 0, NULL, E }
#define RT_ALIAS(n, ty, f, E)  { n, &ty, KW_FIELD(R, f), 0, 0, NULL, KW_ALIAS, NULL, E }

static const struct kw route_kws[] = {
	{ "src", &vt_rt_addr, KW_FIELD(R, src), 0, 0, "route", 0, NULL, ACTS },
	{ "via", &vt_via, KW_FIELD(R, via), 0, 0, "route", 0, NULL, ACTS },
	{ "gw", &vt_via, KW_FIELD(R, via), 0, 0, "route", KW_ALIAS | KW_DEPRECATED, "via", ACTS },
	{ "or", &vt_rt_addr, KW_FIELD(R, or_via), 0, 0, "route", KW_DEPRECATED,
	  "nexthop via ADDR nexthop via ADDR", ACTS },
	KW_STR("dev", R, dev, ACTS),
	RT_ALIAS("oif", vt_str, dev, ACTS),
	{ "table", &vt_rtid, KW_FIELD(R, table), 0, UINT32_MAX, table_names, 0, NULL, ACTS },
	{ "metric", &vt_num, KW_FIELD(R, metric), 0, UINT32_MAX, NULL, 0, NULL, ACTS },
	{ "priority", &vt_num, KW_FIELD(R, metric), 0, UINT32_MAX, NULL, KW_ALIAS, NULL, ACTS },
	{ "preference", &vt_num, KW_FIELD(R, metric), 0, UINT32_MAX, NULL, KW_ALIAS, NULL, ACTS },
	{ "tos", &vt_num, KW_FIELD(R, tos), 0, 255, NULL, 0, NULL, ACTS },
	{ "dsfield", &vt_num, KW_FIELD(R, tos), 0, 255, NULL, KW_ALIAS, NULL, ACTS },
	{ "protocol", &vt_rtid_num, KW_FIELD(R, protocol), 0, 255, proto_names, 0, NULL, ACTS },
	{ "scope", &vt_enum_num, KW_FIELD(R, scope), 0, 255, scope_names, 0, NULL, ACTS },
	METRIC("mtu", mtu, UINT32_MAX, ACTS),
	METRIC("hoplimit", hoplimit, 255, ACTS),
	METRIC("advmss", advmss, UINT32_MAX, ACTS),
	METRIC_MS("rtt", rtt, 960000, ACTS),
	METRIC_MS("rttvar", rttvar, 480000, ACTS),
	METRIC("reordering", reordering, UINT32_MAX, ACTS),
	METRIC("window", window, UINT32_MAX, ACTS),
	METRIC("cwnd", cwnd, UINT32_MAX, ACTS),
	METRIC("ssthresh", ssthresh, UINT32_MAX, ACTS),
	METRIC_MS("rto_min", rto_min, 120000, ACTS),
	METRIC("initcwnd", initcwnd, UINT32_MAX, ACTS),
	METRIC("initrwnd", initrwnd, UINT32_MAX, ACTS),
	KW_TYPE("congctl", vt_congctl, R, congctl, ACTS),
	KW_TYPE("features", vt_ecn, R, features_ecn, ACTS),
	{ "quickack", &vt_num, KW_FIELD(R, quickack), 0, 1, NULL, 0, NULL, ACTS },
	{ "fastopen_no_cookie", &vt_num, KW_FIELD(R, fastopen_no_cookie), 0, 1, NULL, 0, NULL, ACTS },
	KW_TYPE("realms", vt_realms, R, realms, ACTS),
	KW_ENUM("pref", R, pref, pref_names, ACTS),
	{ "expires", &vt_num, KW_FIELD(R, expires), 0, UINT32_MAX, NULL, 0, NULL, ACTS },
	KW_ENUM("ttl-propagate", R, ttl_propagate, ttl_propagate_names, ACTS),
	{ "encap", &vt_encap, KW_FIELD(R, encap), 0, 0, "route", 0, NULL,
	  NO_EFFECT("vigil installs no lightweight tunnel encapsulation; the route is installed without it") },
	KW_STR("vrf", R, vrf, ACTS),
	KW_FLAG("onlink", R, onlink, ACTS),
	KW_FLAG("append", R, append, ACTS),
	{ "prepend", &vt_flag, KW_FIELD(R, append), 0, 0, NULL, KW_ALIAS | KW_INVERT, NULL, ACTS },
	KW_FLAG("no_track", R, no_track, NO_EFFECT(WHY_NO_TRACK)),
	KW_STR("track_group", R, track_group, NO_EFFECT(WHY_TRACK_GROUP_ITEM)),
	/* Last: keepalived reads nexthops at the end of the line. */
	{ "nexthop", &vt_nexthops, KW_FIELD(R, nexthops), 0, 0, NULL, KW_REPEAT, NULL, ACTS },
	KW_END
};

static void route_init(void *obj)
{
	R *r = obj;
	r->type = RT_TYPE_UNICAST;
	r->metric = -1;
	r->scope = -1;
	r->quickack = -1;
	r->fastopen_no_cookie = -1;
	r->pref = -1;
	r->expires = -1;
	r->ttl_propagate = -1;
	r->encap.ttl = -1;
	r->encap.tos = -1;
}

/* What a route line holds besides its options. */
struct route_head {
	int family;              /* from "inet"/"inet6"; 0: not written */
	bool dst_default;        /* default/any/all: the family decides */
	bool have_dst;
};

static bool route_dst(struct pctx *p, R *r, struct route_head *h, const struct lex_word *w)
{
	static const struct kw dst_kw = { "destination", &vt_rt_prefix, 0, 0, 0, 0, "route", 0, NULL, ACTS };
	if (h->have_dst) {
		p_error(p, w->pos, "unknown route option '%s' (the destination is already given)",
			w->text);
		return false;
	}
	h->have_dst = true;
	if (strcmp(w->text, "default") == 0 || strcmp(w->text, "any") == 0 ||
	    strcmp(w->text, "all") == 0) {
		h->dst_default = true;
		return true;
	}
	return rt_addr_word(p, &dst_kw, w, true, &r->dst);
}

/* "as [to] ADDR" sets the MPLS destination, which IP routes cannot have;
 * keepalived ignores it with a warning, and so does vigil. */
static size_t route_as(struct pctx *p, const struct lex_word *w, size_t n)
{
	size_t take = n > 1 && strcmp(w[1].text, "to") == 0 ? 3 : 2;
	if (take > n) {
		p_error(p, w[0].pos, "'as' needs an address");
		return SIZE_MAX;
	}
	p_warn(p, w[0].pos, "'as [to] ADDRESS' applies to MPLS routes only; ignored");
	return take;
}

/* A route type ("blackhole 10.0.0.0/8"), read before the destination. */
static bool route_type_word(R *r, const struct route_head *h, const char *w)
{
	if (h->have_dst || r->type != RT_TYPE_UNICAST)
		return false;
	for (const struct kw_enum *e = route_types; e->name; e++) {
		if (strcmp(e->name, w) == 0) {
			r->type = e->value;
			return true;
		}
	}
	return false;
}

/* Could w be meant as a destination? Otherwise it is a misspelt option. */
static bool looks_like_dst(const char *w)
{
	return strchr(w, '.') || strchr(w, ':') || isdigit((unsigned char)w[0]) ||
	       strcmp(w, "default") == 0 || strcmp(w, "any") == 0 || strcmp(w, "all") == 0;
}

/* One word of a route line that is not an option: returns the words used
 * or SIZE_MAX after an error. */
static size_t route_word(struct pctx *p, R *r, struct route_head *h,
			 const struct lex_word *w, size_t n)
{
	if (is_family_word(w[0].text)) {
		h->family = w[0].text[4] == '6' ? AF_INET6 : AF_INET;
		return 1;
	}
	if (strcmp(w[0].text, "as") == 0)
		return route_as(p, w, n);
	if (strcmp(w[0].text, "to") == 0) {
		if (n < 2) {
			p_error(p, w[0].pos, "'to' needs a destination");
			return SIZE_MAX;
		}
		return route_dst(p, r, h, &w[1]) ? 2 : SIZE_MAX;
	}
	if (route_type_word(r, h, w[0].text))
		return 1;
	if (!h->have_dst && !looks_like_dst(w[0].text)) {
		opt_unknown(p, route_kws, &w[0], "route");
		return SIZE_MAX;
	}
	return route_dst(p, r, h, &w[0]) ? 1 : SIZE_MAX;
}

static bool family_matches(struct pctx *p, struct srcpos pos, const char *what,
			   const struct vaddr *a, int family)
{
	char buf[VADDR_STRLEN];
	if (!vaddr_is_set(a) || a->family == family)
		return true;
	p_error(p, pos, "%s %s is not an %s address like the rest of the line; IPv4 and IPv6 "
		"cannot be mixed", what, vaddr_format(a, buf, sizeof(buf)), family_name(family));
	return false;
}

/* The family: "inet6"/"inet", else the first address written, else IPv4. */
static int route_family(const R *r, const struct route_head *h)
{
	const struct vaddr *cand[] = { &r->dst, &r->src, &r->via, &r->or_via };
	if (h->family)
		return h->family;
	for (size_t i = 0; i < sizeof(cand) / sizeof(cand[0]); i++)
		if (vaddr_is_set(cand[i]))
			return cand[i]->family;
	for (const struct node *n = r->nexthops.first; n; n = n->next)
		if (vaddr_is_set(&((const struct rt_nexthop *)n)->via))
			return ((const struct rt_nexthop *)n)->via.family;
	return AF_INET;
}

static bool route_check(struct pctx *p, R *r, const struct route_head *h, struct srcpos pos,
			bool is_static)
{
	int f = route_family(r, h);
	bool ok = true;
	if (!h->have_dst) {
		p_error(p, pos, "a route needs a destination (ADDRESS[/PREFIX] or default)");
		return false;
	}
	if (h->dst_default) {
		memset(&r->dst, 0, sizeof(r->dst));
		r->dst.family = (uint8_t)f;
		r->dst.has_prefix = true;
	}
	ok = family_matches(p, pos, "destination", &r->dst, f) && ok;
	ok = family_matches(p, pos, "src", &r->src, f) && ok;
	ok = family_matches(p, pos, "via", &r->via, f) && ok;
	ok = family_matches(p, pos, "or", &r->or_via, f) && ok;
	for (const struct node *n = r->nexthops.first; n; n = n->next)
		ok = family_matches(p, n->pos, "nexthop via", &((const struct rt_nexthop *)n)->via, f) && ok;
	if (f != AF_INET6 && (r->pref >= 0 || r->expires >= 0)) {
		p_error(p, pos, "pref and expires apply to IPv6 routes only; remove them");
		ok = false;
	}
	if (r->track_group && !is_static) {
		p_error(p, pos, "track_group applies to static_routes only; remove it");
		ok = false;
	}
	/* Tracking watches the route's interface (nexthop devs do not count). */
	if (ok && !r->dev && !r->no_track) {
		char buf[VADDR_STRLEN];
		p_warn(p, pos, "route %s has no dev, so it cannot be tracked (keepalived does not "
		       "track it either); add dev IF, or no_track to say so",
		       vaddr_format(&r->dst, buf, sizeof(buf)));
	}
	return ok;
}

static bool route_parse_item(struct pctx *p, void *item, const struct stmt *s)
{
	R *r = item;
	struct route_head h = { 0, false, false };
	const struct lex_word *w = s->kw;   /* the line's words are contiguous */
	size_t n = s->nargs + 1;
	uint64_t seen = 0;

	for (size_t i = 0; i < n;) {
		size_t used = opt_one(p, route_kws, r, w + i, n - i, &seen, "route");
		if (used == 0)
			used = route_word(p, r, &h, w + i, n - i);
		if (used == SIZE_MAX)
			return false;
		i += used;
	}
	return route_check(p, r, &h, s->kw->pos, in_static_block(p));
}

static void route_dump_item(struct out *o, const void *item)
{
	const R *r = item;
	char buf[VADDR_STRLEN];
	if (r->type != RT_TYPE_UNICAST)
		out_printf(o, "%s ", enum_name(route_types, r->type));
	out_printf(o, "%s", vaddr_format(&r->dst, buf, sizeof(buf)));
	dump_options(o, route_kws, r, block_template(&desc_route_item));
}

static bool route_item_eq(const void *a, const void *b)
{
	const R *x = a, *y = b;
	return x->type == y->type && vaddr_equal(&x->dst, &y->dst) &&
	       fields_eq(route_kws, a, b);
}

struct block_desc desc_route_item = {
	.name = "static_/virtual_routes", .size = sizeof(R), .init = route_init,
	.parse_item = route_parse_item, .dump_item = route_dump_item, .item_eq = route_item_eq,
	.opts = (const struct kw *const[]){ route_kws, nexthop_kws, NULL },
};

#undef R

/* ---- rules ---------------------------------------------------------------------- */

#define U struct rule_item

/* vt_fwmark: "MARK[/MASK]" */
static bool fwmark_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	struct rt_fwmark m = { true, 0, UINT32_MAX };
	char *end, *end2;
	if (!stmt_nargs(p, s, 1, 1))
		return false;
	const char *t = s->args[0].text;
	errno = 0;
	unsigned long long v = strtoull(t, &end, 0), mask = UINT32_MAX;
	if (*end == '/' && isdigit((unsigned char)end[1]))
		mask = strtoull(end + 1, &end2, 0);
	else
		end2 = end;
	if (!isdigit((unsigned char)*t) || *end2 || errno || v > UINT32_MAX || mask > UINT32_MAX) {
		p_error(p, s->args[0].pos, "%s '%s' is not valid; use MARK[/MASK], numbers "
			"0..0xffffffff", k->name, t);
		return false;
	}
	m.mark = (uint32_t)v;
	m.mask = (uint32_t)mask;
	*(struct rt_fwmark *)f = m;
	return true;
}

static void fwmark_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	const struct rt_fwmark *m = f;
	if (m->mask == UINT32_MAX)
		out_printf(o, " 0x%x", m->mark);
	else
		out_printf(o, " 0x%x/0x%x", m->mark, m->mask);
}

static bool fwmark_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	const struct rt_fwmark *x = a, *y = b;
	return x->set == y->set && x->mark == y->mark && x->mask == y->mask;
}

static const struct vtype vt_fwmark = { "MARK[/MASK]", 1, fwmark_parse, fwmark_dump, fwmark_eq, VT_VALUE };

/* vt_range: "LO-HI" (uidrange), or "LO[-HI]" for ports when k->aux is set;
 * min..max bound both ends. */
static bool range_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	struct rt_range r = { true, 0, 0 };
	if (!stmt_nargs(p, s, 1, 1))
		return false;
	const char *t = s->args[0].text;
	char *end, *end2;
	errno = 0;
	unsigned long long lo = strtoull(t, &end, 10), hi = lo;
	end2 = end;
	if (*end == '-' && isdigit((unsigned char)end[1]))
		hi = strtoull(end + 1, &end2, 10);
	bool single_ok = k->aux != NULL;
	if (!isdigit((unsigned char)*t) || *end2 || errno || (*end != '-' && !single_ok) ||
	    lo > (unsigned long long)k->max || hi > (unsigned long long)k->max || lo > hi) {
		p_error(p, s->args[0].pos, "%s '%s' is not valid; use %s with numbers 0..%lld, "
			"the first not above the second", k->name, t, single_ok ? "N or N-M" : "N-M",
			k->max);
		return false;
	}
	r.lo = (uint32_t)lo;
	r.hi = (uint32_t)hi;
	*(struct rt_range *)f = r;
	return true;
}

/* Always N-M: keepalived 2.2.7 reads a single port as an error. */
static void range_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	const struct rt_range *r = f;
	out_printf(o, " %u-%u", r->lo, r->hi);
}

static bool range_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	const struct rt_range *x = a, *y = b;
	return x->set == y->set && x->lo == y->lo && x->hi == y->hi;
}

static const struct vtype vt_range = { "N-M", 1, range_parse, range_dump, range_eq, VT_VALUE };

/* Protocol names for "ip_proto" (vt_enum_num). */
static const struct kw_enum ip_proto_names[] = {
	{ "icmp", 1 }, { "igmp", 2 }, { "tcp", 6 }, { "udp", 17 }, { "dccp", 33 },
	{ "gre", 47 }, { "esp", 50 }, { "ah", 51 }, { "ipv6-icmp", 58 }, { "ospf", 89 },
	{ "sctp", 132 }, { "udplite", 136 }, { NULL, 0 }
};


static const char port_ranges[] = "ports";

#define U_ALIAS(n, ty, f, lo, hi, aux, E) { n, &ty, KW_FIELD(U, f), lo, hi, aux, KW_ALIAS, NULL, E }

static const struct kw rule_kws[] = {
	/* "from" leads the dumped line, so this row is only read here. */
	U_ALIAS("from", vt_rt_prefix, from, 0, 0, "rule", ACTS),
	{ "to", &vt_rt_prefix, KW_FIELD(U, to), 0, 0, "rule", 0, NULL, ACTS },
	KW_FLAG("not", U, invert, ACTS),
	{ "priority", &vt_num, KW_FIELD(U, priority), 0, UINT32_MAX, NULL, 0, NULL, ACTS },
	U_ALIAS("preference", vt_num, priority, 0, UINT32_MAX, NULL, ACTS),
	U_ALIAS("order", vt_num, priority, 0, UINT32_MAX, NULL, ACTS),
	{ "tos", &vt_num, KW_FIELD(U, tos), 0, 255, NULL, 0, NULL, ACTS },
	U_ALIAS("dsfield", vt_num, tos, 0, 255, NULL, ACTS),
	KW_TYPE("fwmark", vt_fwmark, U, fwmark, ACTS),
	KW_TYPE("realms", vt_realms, U, realms, ACTS),
	KW_STR("iif", U, iif, ACTS),
	U_ALIAS("dev", vt_str, iif, 0, 0, NULL, ACTS),
	KW_STR("oif", U, oif, ACTS),
	{ "table", &vt_rtid, KW_FIELD(U, table), 0, UINT32_MAX, table_names, 0, NULL, ACTS },
	U_ALIAS("lookup", vt_rtid, table, 0, UINT32_MAX, table_names, ACTS),
	{ "goto", &vt_num, KW_FIELD(U, goto_target), 0, UINT32_MAX, NULL, 0, NULL, ACTS },
	KW_FLAG("nop", U, nop, ACTS),
	KW_FLAG("blackhole", U, blackhole, ACTS),
	KW_FLAG("unreachable", U, unreachable, ACTS),
	KW_FLAG("prohibit", U, prohibit, ACTS),
	KW_FLAG("l3mdev", U, l3mdev, ACTS),
	{ "suppress_prefixlength", &vt_num, KW_FIELD(U, suppress_prefixlength), 0, 128, NULL, 0, NULL, ACTS },
	{ "suppress_ifgroup", &vt_num, KW_FIELD(U, suppress_ifgroup), 0, UINT32_MAX, NULL, 0, NULL, ACTS },
	{ "uidrange", &vt_range, KW_FIELD(U, uidrange), 0, UINT32_MAX, NULL, 0, NULL, ACTS },
	{ "protocol", &vt_rtid_num, KW_FIELD(U, protocol), 0, 255, proto_names, 0, NULL, ACTS },
	{ "ip_proto", &vt_enum_num, KW_FIELD(U, ip_proto), 0, 255, ip_proto_names, 0, NULL, ACTS },
	{ "sport", &vt_range, KW_FIELD(U, sport), 0, 65535, port_ranges, 0, NULL, ACTS },
	{ "dport", &vt_range, KW_FIELD(U, dport), 0, 65535, port_ranges, 0, NULL, ACTS },
	KW_FLAG("inet6", U, inet6, ACTS),
	KW_FLAG("no_track", U, no_track, NO_EFFECT(WHY_NO_TRACK)),
	KW_STR("track_group", U, track_group, NO_EFFECT(WHY_TRACK_GROUP_ITEM)),
	KW_END
};

static void rule_init(void *obj)
{
	U *r = obj;
	r->priority = -1;
	r->goto_target = -1;
	r->suppress_prefixlength = -1;
	r->suppress_ifgroup = -1;
	r->ip_proto = -1;
}

static int rule_actions(const U *r, const char **names)
{
	const struct { bool on; const char *name; } act[] = {
		{ r->table.set, "table" }, { r->goto_target >= 0, "goto" }, { r->nop, "nop" },
		{ r->blackhole, "blackhole" }, { r->unreachable, "unreachable" },
		{ r->prohibit, "prohibit" }, { r->l3mdev, "l3mdev" },
	};
	int n = 0;
	for (size_t i = 0; i < sizeof(act) / sizeof(act[0]); i++)
		if (act[i].on && n < 2)
			names[n++] = act[i].name;
	return n;
}

static bool rule_check(struct pctx *p, U *r, struct srcpos pos, bool is_static)
{
	const char *act[2];
	int nact = rule_actions(r, act);
	int f = r->inet6 ? AF_INET6 : vaddr_is_set(&r->from) ? r->from.family
			 : vaddr_is_set(&r->to) ? r->to.family : AF_INET;
	bool ok = family_matches(p, pos, "from", &r->from, f);
	ok = family_matches(p, pos, "to", &r->to, f) && ok;
	if (nact == 0) {
		p_error(p, pos, "a rule needs an action: table, goto, nop, blackhole, unreachable, "
			"prohibit or l3mdev");
		ok = false;
	} else if (nact > 1) {
		p_error(p, pos, "a rule has one action, but this one has %s and %s; keep one of "
			"table, goto, nop, blackhole, unreachable, prohibit, l3mdev", act[0], act[1]);
		ok = false;
	}
	/* They qualify a table lookup; the kernel ignores them otherwise. */
	if (nact == 1 && !r->table.set && !r->l3mdev &&
	    (r->suppress_prefixlength >= 0 || r->suppress_ifgroup >= 0 || r->realms.to.set)) {
		p_error(p, pos, "suppress_prefixlength, suppress_ifgroup and realms apply to "
			"table (or l3mdev) rules only; remove them from this %s rule", act[0]);
		ok = false;
	}
	if (r->goto_target >= 0 && r->priority < 0) {
		p_error(p, pos, "goto needs the rule's own priority (below the target); add priority N");
		ok = false;
	} else if (r->goto_target >= 0 && r->goto_target <= r->priority) {
		p_error(p, pos, "goto %lld must be above the rule's priority %lld; rules are "
			"evaluated in increasing priority", (long long)r->goto_target,
			(long long)r->priority);
		ok = false;
	}
	if (r->track_group && !is_static) {
		p_error(p, pos, "track_group applies to static_rules only; remove it");
		ok = false;
	} else if (r->track_group && !r->iif) {
		p_error(p, pos, "a rule with track_group needs iif (or dev) to be tracked; add it");
		ok = false;
	}
	if (vaddr_is_set(&r->from) || vaddr_is_set(&r->to))
		r->inet6 = false;   /* the addresses carry the family */
	if (ok && r->priority < 0)
		p_warn(p, pos, "rule has no priority, so its place among other rules depends on "
		       "the order of state changes (keepalived picks 16384); add priority N");
	return ok;
}

static bool rule_parse_item(struct pctx *p, void *item, const struct stmt *s)
{
	U *r = item;
	if (!opts_all(p, rule_kws, r, s->kw, s->nargs + 1, "rule"))
		return false;
	return rule_check(p, r, s->kw->pos, in_static_block(p));
}

static void rule_dump_item(struct out *o, const void *item)
{
	const U *r = item;
	char buf[VADDR_STRLEN];
	out_printf(o, "from %s", vaddr_is_set(&r->from) ? vaddr_format(&r->from, buf, sizeof(buf))
						       : "all");
	dump_options(o, rule_kws, r, block_template(&desc_rule_item));
}

static bool rule_item_eq(const void *a, const void *b)
{
	return vaddr_equal(&((const U *)a)->from, &((const U *)b)->from) &&
	       fields_eq(rule_kws, a, b);
}

struct block_desc desc_rule_item = {
	.name = "static_/virtual_rules", .size = sizeof(U), .init = rule_init,
	.parse_item = rule_parse_item, .dump_item = rule_dump_item, .item_eq = rule_item_eq,
	.opts = (const struct kw *const[]){ rule_kws, NULL },
};

#undef U
