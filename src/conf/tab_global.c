/* tab_global.c - global_defs, SSL, linkbeat_interfaces,
 * interface_up_down_delays, track_group and track_file, and the checks
 * that need the whole model (global_resolve).
 *
 * Value syntaxes that only these blocks use (smtp_server HOST [PORT],
 * lvs_sync_daemon, a CPU list, umask bits, ...) are value types defined
 * here, next to the rows that use them.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "tab.h"
#include "why.h"

/* ---- shared helpers --------------------------------------------------------- */

static bool str_same(const char *x, const char *y)
{
	return x == y || (x && y && strcmp(x, y) == 0);
}

static bool mem_eq(const struct kw *k, const void *a, const void *b)
{
	return memcmp(a, b, k->size) == 0;
}

static bool is_word(const struct lex_word *w, const char *s)
{
	return strcmp(w->text, s) == 0;
}

/* vt_seconds: a uint64_t microsecond timer written in whole seconds, for
 * the settings keepalived reads as integers (it rejects "1.5" there).
 * min/max are in microseconds like KW_TIMER's. */
static bool seconds_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	long long v;
	if (!stmt_nargs(p, s, 1, 1))
		return false;
	if (strchr(s->args[0].text, '.')) {
		p_error(p, s->args[0].pos, "%s is in whole seconds, not '%s'", k->name,
			s->args[0].text);
		return false;
	}
	if (!parse_ll(p, &s->args[0], k->min / 1000000, k->max / 1000000, k->name, &v))
		return false;
	*(uint64_t *)f = (uint64_t)SEC(v);
	return true;
}

static void seconds_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	out_printf(o, " %llu", (unsigned long long)(*(const uint64_t *)f / 1000000));
}

const struct vtype vt_seconds = { "whole seconds", 1, seconds_parse, seconds_dump, mem_eq, VT_VALUE };

/* vt_run_as: struct run_as from "PROGRAM [USER [GROUP]]". */
static bool run_as_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	(void)k;
	struct run_as *r = f;
	if (!stmt_nargs(p, s, 1, 3))
		return false;
	r->path = p_strdup(p, s->args[0].text);
	r->user = s->nargs > 1 ? p_strdup(p, s->args[1].text) : NULL;
	r->group = s->nargs > 2 ? p_strdup(p, s->args[2].text) : NULL;
	return true;
}

static void run_as_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	const struct run_as *r = f;
	out_word(o, r->path ? r->path : "");
	if (r->user)
		out_word(o, r->user);
	if (r->group)
		out_word(o, r->group);
}

static bool run_as_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	const struct run_as *x = a, *y = b;
	return str_same(x->path, y->path) && str_same(x->user, y->user) &&
	       str_same(x->group, y->group);
}

const struct vtype vt_run_as = { "PROGRAM [USER [GROUP]]", 3, run_as_parse, run_as_dump, run_as_eq, VT_VALUE };

/* vt_user_group: struct user_group from "USER [GROUP]". */
static bool user_group_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	(void)k;
	struct user_group *u = f;
	if (!stmt_nargs(p, s, 1, 2))
		return false;
	u->user = p_strdup(p, s->args[0].text);
	u->group = s->nargs > 1 ? p_strdup(p, s->args[1].text) : NULL;
	return true;
}

static void user_group_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	const struct user_group *u = f;
	out_word(o, u->user ? u->user : "");
	if (u->group)
		out_word(o, u->group);
}

static bool user_group_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	const struct user_group *x = a, *y = b;
	return str_same(x->user, y->user) && str_same(x->group, y->group);
}

static const struct vtype vt_user_group = { "USER [GROUP]", 2, user_group_parse, user_group_dump, user_group_eq, VT_VALUE };

/* vt_opt_words: struct opt_words, 0..kw->max words. */
static bool opt_words_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	struct opt_words *ow = f;
	if (!stmt_nargs(p, s, 0, (size_t)k->max))
		return false;
	memset(ow, 0, sizeof(*ow));
	ow->given = true;
	ow->n = (uint8_t)s->nargs;
	for (size_t i = 0; i < s->nargs; i++)
		ow->w[i] = p_strdup(p, s->args[i].text);
	return true;
}

static void opt_words_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	const struct opt_words *ow = f;
	for (uint8_t i = 0; i < ow->n; i++)
		out_word(o, ow->w[i]);
}

static bool opt_words_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	const struct opt_words *x = a, *y = b;
	if (x->given != y->given || x->n != y->n)
		return false;
	for (uint8_t i = 0; i < x->n; i++)
		if (!str_same(x->w[i], y->w[i]))
			return false;
	return true;
}

static const struct vtype vt_opt_words = { "[NAME ...]", -1, opt_words_parse, opt_words_dump, opt_words_eq, VT_VALUE };

/* vt_opt_enum: int from "KEYWORD [WORD]"; aux is a struct opt_enum. */
struct opt_enum {
	int bare;                       /* the keyword alone */
	const struct kw_enum *words;
};

/* Case matters: keepalived rejects "vs" for "VS". */
static bool opt_enum_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	const struct opt_enum *oe = k->aux;
	const struct kw_enum *e = oe->words;
	if (!stmt_nargs(p, s, 0, 1))
		return false;
	if (s->nargs == 0) {
		*(int *)f = oe->bare;
		return true;
	}
	while (e->name && strcmp(e->name, s->args[0].text) != 0)
		e++;
	if (!e->name) {
		p_error(p, s->args[0].pos, "%s '%s' is not known; use %s or nothing", k->name,
			s->args[0].text, oe->words[0].name);
		return false;
	}
	*(int *)f = e->value;
	return true;
}

static void opt_enum_dump(struct out *o, const struct kw *k, const void *f)
{
	const struct opt_enum *oe = k->aux;
	int v = *(const int *)f;
	if (v != oe->bare)
		out_word(o, enum_name(oe->words, v));
}

static bool int_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	return *(const int *)a == *(const int *)b;
}

static const struct vtype vt_opt_enum = { "[NAME]", -1, opt_enum_parse, opt_enum_dump, int_eq, VT_VALUE };


/* vt_opt_int: int from "KEYWORD [N]"; the keyword alone means kw->max. */
static bool opt_int_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	long long v = k->max;
	if (!stmt_nargs(p, s, 0, 1) ||
	    (s->nargs && !parse_ll(p, &s->args[0], k->min, k->max, k->name, &v)))
		return false;
	*(int *)f = (int)v;
	return true;
}

static void opt_int_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	out_printf(o, " %d", *(const int *)f);
}

static const struct vtype vt_opt_int = { "[N]", -1, opt_int_parse, opt_int_dump, int_eq, VT_VALUE };

/* vt_mcast: a multicast group of family kw->min (AF_INET or AF_INET6). */
static bool is_multicast(const struct vaddr *a)
{
	return a->family == AF_INET ? (a->u.bytes[0] & 0xf0) == 0xe0 : a->u.bytes[0] == 0xff;
}

static bool mcast_word(struct pctx *p, const char *what, int family,
		       const struct lex_word *w, struct vaddr *out)
{
	struct vaddr a;
	if (!parse_addr_word(p, w, false, &a))
		return false;
	if ((family && a.family != family) || !is_multicast(&a)) {
		p_error(p, w->pos, "%s %s is not a%s multicast address; use one in %s", what,
			w->text, family == AF_INET ? "n IPv4" : family == AF_INET6 ? "n IPv6" : "",
			family == AF_INET ? "224.0.0.0/4" : family == AF_INET6 ? "ff00::/8"
			: "224.0.0.0/4 or ff00::/8");
		return false;
	}
	*out = a;
	return true;
}

static bool mcast_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	if (!stmt_nargs(p, s, 1, 1) || !mcast_word(p, k->name, (int)k->min, &s->args[0], f))
		return false;
	/* VRRPv3 adverts are link-local (RFC 5798 5.1.2.2); keepalived warns too. */
	const struct vaddr *a = f;
	if (a->family == AF_INET6 && (a->u.bytes[1] & 0x0f) != 2)
		p_warn(p, s->args[0].pos, "%s %s is not a link-local multicast address (ff02::/16)",
		       k->name, s->args[0].text);
	return true;
}



static const struct vtype vt_mcast = { "a multicast address", 1, mcast_parse, kw_addr_dump, kw_addr_eq, VT_VALUE };

/* ---- value types of single keywords --------------------------------------------- */

/* smtp_server HOST [PORT] */
static bool valid_hostname(const char *s)
{
	size_t label = 0, len = strlen(s);
	if (len == 0 || len > 253)
		return false;
	for (; *s; s++) {
		if (*s == '.') {
			if (label == 0)
				return false;
			label = 0;
		} else if (isalnum((unsigned char)*s) || (*s == '-' && label > 0)) {
			if (++label > 63)
				return false;
		} else {
			return false;
		}
	}
	return label > 0;
}

static bool smtp_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	struct smtp_server *m = f;
	long long port = 25;
	struct vaddr a = { 0 };
	if (!stmt_nargs(p, s, 1, 2))
		return false;
	const struct lex_word *h = &s->args[0];
	bool literal = strchr(h->text, ':') || strspn(h->text, "0123456789.") == h->len;
	/* keepalived 2.2.7 says "Invalid smtp server" and runs without one
	 * (placeholders like "smtp_server **" are met in real files): so does
	 * vigil, with a warning, rather than refuse the file. */
	if (literal ? vaddr_parse(h->text, false, &a) != NULL : !valid_hostname(h->text)) {
		p_warn(p, h->pos, "%s '%s' is neither an IP address nor a host name; ignored, "
		       "no mail is sent (keepalived does the same)", k->name, h->text);
		return true;
	}
	if (s->nargs == 2 && !parse_ll(p, &s->args[1], 1, 65535, "smtp_server port", &port))
		return false;
	m->host = p_strdup(p, h->text);
	m->addr = a;
	m->port = (uint16_t)port;
	return true;
}

static void smtp_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	const struct smtp_server *m = f;
	out_word(o, m->host ? m->host : "");
	if (m->port != 25)
		out_printf(o, " %u", m->port);
}

static bool smtp_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	const struct smtp_server *x = a, *y = b;
	return str_same(x->host, y->host) && x->port == y->port && vaddr_equal(&x->addr, &y->addr);
}

static const struct vtype vt_smtp = { "HOST [PORT]", 2, smtp_parse, smtp_dump, smtp_eq, VT_VALUE };

/* lvs_sync_daemon IF [[inst] VI] [id N] [maxlen N] [port N] [ttl N] [group ADDR] */
static bool syncd_option(struct pctx *p, struct lvs_syncd *d, const struct lex_word *opt,
			 const struct lex_word *val)
{
	static const struct { const char *name; long long lo, hi; } nums[] = {
		{ "id", 0, 255 }, { "maxlen", 1, 65507 }, { "port", 1, 65535 }, { "ttl", 1, 255 },
	};
	long long v;
	if (is_word(opt, "group"))
		return mcast_word(p, "lvs_sync_daemon group", 0, val, &d->group);
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		if (!is_word(opt, nums[i].name))
			continue;
		if (!parse_ll(p, val, nums[i].lo, nums[i].hi, opt->text, &v))
			return false;
		switch (i) {
		case 0: d->syncid = (int)v; break;
		case 1: d->maxlen = (uint16_t)v; break;
		case 2: d->port = (uint16_t)v; break;
		default: d->ttl = (uint8_t)v; break;
		}
		return true;
	}
	p_error(p, opt->pos, "unknown lvs_sync_daemon option '%s'; options are: inst id maxlen "
		"port ttl group", opt->text);
	return false;
}

static bool is_syncd_option(const struct lex_word *w)
{
	static const char *const names[] = { "id", "maxlen", "port", "ttl", "group" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (is_word(w, names[i]))
			return true;
	return false;
}

static void syncd_init(struct lvs_syncd *d)
{
	memset(d, 0, sizeof(*d));
	d->syncid = -1;
	d->port = 8848;
	vaddr_parse("224.0.0.81", false, &d->group);
}

static bool syncd_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	struct lvs_syncd d;
	size_t i = 1;
	(void)k;
	if (s->nargs == 0) {
		p_error(p, s->kw->pos, "lvs_sync_daemon needs an interface");
		return false;
	}
	syncd_init(&d);
	d.pos = s->kw->pos;
	d.ifname = p_strdup(p, s->args[0].text);
	/* "inst" may be left out before the instance name (keepalived < 2.0) */
	if (s->nargs > 2 && is_word(&s->args[1], "inst")) {
		d.instance = p_strdup(p, s->args[2].text);
		i = 3;
	} else if (s->nargs > 1 && !is_syncd_option(&s->args[1]) && !is_word(&s->args[1], "inst")) {
		d.instance = p_strdup(p, s->args[1].text);
		i = 2;
	}
	for (; i < s->nargs; i += 2) {
		if (i + 1 == s->nargs) {
			p_error(p, s->args[i].pos, "lvs_sync_daemon option '%s' needs a value",
				s->args[i].text);
			return false;
		}
		if (!syncd_option(p, &d, &s->args[i], &s->args[i + 1]))
			return false;
	}
	*(struct lvs_syncd *)f = d;
	return true;
}

static void syncd_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	const struct lvs_syncd *d = f;
	struct lvs_syncd def;
	char buf[VADDR_STRLEN];
	syncd_init(&def);
	out_word(o, d->ifname ? d->ifname : "");
	if (d->instance) {
		out_printf(o, " inst");
		out_word(o, d->instance);
	}
	if (d->syncid >= 0)
		out_printf(o, " id %d", d->syncid);
	if (d->maxlen)
		out_printf(o, " maxlen %u", d->maxlen);
	if (d->port != def.port)
		out_printf(o, " port %u", d->port);
	if (d->ttl)
		out_printf(o, " ttl %u", d->ttl);
	if (!vaddr_equal(&d->group, &def.group))
		out_printf(o, " group %s", vaddr_format(&d->group, buf, sizeof(buf)));
}

static bool syncd_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	const struct lvs_syncd *x = a, *y = b;
	return str_same(x->ifname, y->ifname) && str_same(x->instance, y->instance) &&
	       x->syncid == y->syncid && x->maxlen == y->maxlen && x->port == y->port &&
	       x->ttl == y->ttl && vaddr_equal(&x->group, &y->group);
}

static const struct vtype vt_syncd = { "IF [inst VI] [options]", -1, syncd_parse, syncd_dump, syncd_eq, VT_VALUE };

/* lvs_timeouts [tcp SECS] [tcpfin SECS] [udp SECS] */
#define LVS_TIMEOUT_MAX 2678400   /* 31 days, as ipvsadm and keepalived allow */

static bool timeouts_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	struct lvs_timeouts t = *(struct lvs_timeouts *)f;
	long long v;
	(void)k;
	if (s->nargs == 0 || s->nargs % 2) {
		p_error(p, s->kw->pos, "lvs_timeouts needs one or more of: tcp SECS, tcpfin SECS, "
			"udp SECS");
		return false;
	}
	for (size_t i = 0; i < s->nargs; i += 2) {
		const struct lex_word *w = &s->args[i];
		uint64_t *slot = is_word(w, "tcp") ? &t.tcp : is_word(w, "tcpfin") ? &t.tcpfin
			       : is_word(w, "udp") ? &t.udp : NULL;
		if (!slot) {
			p_error(p, w->pos, "unknown lvs_timeouts option '%s'; use tcp, tcpfin or udp",
				w->text);
			return false;
		}
		if (!parse_ll(p, &s->args[i + 1], 0, LVS_TIMEOUT_MAX, w->text, &v))
			return false;
		*slot = (uint64_t)SEC(v);
	}
	*(struct lvs_timeouts *)f = t;
	return true;
}

static void timeouts_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	const struct lvs_timeouts *t = f;
	if (t->tcp)
		out_printf(o, " tcp %llu", (unsigned long long)(t->tcp / 1000000));
	if (t->tcpfin)
		out_printf(o, " tcpfin %llu", (unsigned long long)(t->tcpfin / 1000000));
	if (t->udp)
		out_printf(o, " udp %llu", (unsigned long long)(t->udp / 1000000));
}

static const struct vtype vt_timeouts = { "[tcp N] [tcpfin N] [udp N]", -1, timeouts_parse, timeouts_dump, mem_eq, VT_VALUE };

/* vrrp_garp_extra_if [all] SECS (the words in either order, as keepalived) */
static bool extra_if_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	struct garp_extra_if g = { 0, false };
	long long v = -1;
	if (!stmt_nargs(p, s, 1, 2))
		return false;
	for (size_t i = 0; i < s->nargs; i++) {
		const struct lex_word *w = &s->args[i];
		if (is_word(w, "all") && !g.all) {
			g.all = true;
			continue;
		}
		if (v >= 0) {
			p_error(p, w->pos, "%s takes [all] SECONDS; unexpected '%s'", k->name, w->text);
			return false;
		}
		if (!parse_ll(p, w, 1, 86400, k->name, &v))
			return false;
	}
	if (v < 0) {
		p_error(p, s->kw->pos, "%s needs an interval in seconds (1..86400)", k->name);
		return false;
	}
	g.interval = (uint64_t)SEC(v);
	*(struct garp_extra_if *)f = g;
	return true;
}

static void extra_if_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	const struct garp_extra_if *g = f;
	out_printf(o, "%s %llu", g->all ? " all" : "", (unsigned long long)(g->interval / 1000000));
}

/* Field by field: memcmp would compare padding bytes. */
static bool extra_if_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	const struct garp_extra_if *x = a, *y = b;
	return x->interval == y->interval && x->all == y->all;
}

static const struct vtype vt_extra_if = { "[all] SECONDS", -1, extra_if_parse, extra_if_dump, extra_if_eq, VT_VALUE };

/* A list of CPU numbers for *_cpu_affinity. */
static bool cpuset_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	struct cpuset c;
	long long v;
	if (s->nargs == 0) {
		p_error(p, s->kw->pos, "%s needs one or more CPU numbers", k->name);
		return false;
	}
	memset(&c, 0, sizeof(c));
	for (size_t i = 0; i < s->nargs; i++) {
		if (!parse_ll(p, &s->args[i], 0, CPUSET_MAX - 1, "CPU number", &v))
			return false;
		c.bits[v / 64] |= 1ULL << (v % 64);
	}
	*(struct cpuset *)f = c;
	return true;
}

static void cpuset_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	const struct cpuset *c = f;
	for (int i = 0; i < CPUSET_MAX; i++)
		if (c->bits[i / 64] & (1ULL << (i % 64)))
			out_printf(o, " %d", i);
}

static const struct vtype vt_cpuset = { "CPU numbers", -1, cpuset_parse, cpuset_dump, mem_eq, VT_VALUE };

/* vrrp_rx_bufs_policy MTU|ADVERT|BYTES */
static bool rx_bufs_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	struct rx_bufs r = { RX_BUFS_SIZE, 0 };
	long long v;
	if (!stmt_nargs(p, s, 1, 1))
		return false;
	const struct lex_word *w = &s->args[0];
	if (strcasecmp(w->text, "MTU") == 0) {
		r.policy = RX_BUFS_MTU;
	} else if (strcasecmp(w->text, "ADVERT") == 0) {
		r.policy = RX_BUFS_ADVERT;
	} else if (isdigit((unsigned char)w->text[0])) {
		if (!parse_ll(p, w, 0, UINT32_MAX, k->name, &v))
			return false;
		r.size = (uint32_t)v;
	} else {
		p_error(p, w->pos, "%s '%s' is not known; use MTU, ADVERT or a size in bytes",
			k->name, w->text);
		return false;
	}
	*(struct rx_bufs *)f = r;
	return true;
}

static void rx_bufs_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	const struct rx_bufs *r = f;
	if (r->policy == RX_BUFS_SIZE)
		out_printf(o, " %u", r->size);
	else
		out_printf(o, " %s", r->policy == RX_BUFS_MTU ? "MTU" : "ADVERT");
}

static bool rx_bufs_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	const struct rx_bufs *x = a, *y = b;
	return x->policy == y->policy && x->size == y->size;
}

static const struct vtype vt_rx_bufs = { "MTU|ADVERT|BYTES", 1, rx_bufs_parse, rx_bufs_dump, rx_bufs_eq, VT_VALUE };

/* umask NUMBER | BITS: "022", "0x12", or "IWGRP|IWOTH" (spaces allowed
 * around the '|', so the words are joined first). */
static const struct kw_enum umask_bits[] = {
	{ "IRUSR", 0400 }, { "IWUSR", 0200 }, { "IXUSR", 0100 },
	{ "IRGRP", 040 }, { "IWGRP", 020 }, { "IXGRP", 010 },
	{ "IROTH", 04 }, { "IWOTH", 02 }, { "IXOTH", 01 }, { NULL, 0 }
};

static bool umask_bits_parse(struct pctx *p, const struct stmt *s, unsigned *out)
{
	char buf[256];
	size_t o = 0;
	for (size_t i = 0; i < s->nargs && o < sizeof(buf); i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s", s->args[i].text);
	*out = 0;
	for (char *save = NULL, *t = strtok_r(buf, "|", &save); t; t = strtok_r(NULL, "|", &save)) {
		int v = -1;
		for (const struct kw_enum *e = umask_bits; e->name; e++)
			if (strcmp(e->name, t) == 0)
				v = e->value;
		if (v < 0) {
			p_error(p, s->args[0].pos, "umask bit '%s' is not known; use a number or "
				"bits like IWGRP|IWOTH (I{R|W|X}{USR|GRP|OTH})", t);
			return false;
		}
		*out |= (unsigned)v;
	}
	return true;
}

static bool umask_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	unsigned v = 0;
	if (s->nargs == 0) {
		p_error(p, s->kw->pos, "umask needs a number (like 022) or bits (like IWGRP|IWOTH)");
		return false;
	}
	if (isdigit((unsigned char)s->args[0].text[0])) {
		char *end;
		errno = 0;
		unsigned long n = strtoul(s->args[0].text, &end, 0);
		if (s->nargs > 1 || *end || errno || n > 0777) {
			p_error(p, s->args[0].pos, "%s '%s' is not valid; use 0..0777 (octal with a "
				"leading 0, hex with 0x)", k->name, s->args[0].text);
			return false;
		}
		v = (unsigned)n;
	} else if (!umask_bits_parse(p, s, &v)) {
		return false;
	}
	*(unsigned *)f = v;
	return true;
}

static void umask_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	out_printf(o, " 0%o", *(const unsigned *)f);
}

static const struct vtype vt_umask = { "a umask", -1, umask_parse, umask_dump, mem_eq, VT_VALUE };

/* include_check [[+|-]readable|match|wildcard_match|brace_match ...]:
 * unsigned enum include_check bits. A word with '+' or '-' changes the
 * current value; plain words replace it; no word means all checks. */
static const struct kw_enum include_checks[] = {
	{ "readable", INCLUDE_CHECK_READABLE }, { "match", INCLUDE_CHECK_MATCH },
	{ "wildcard_match", INCLUDE_CHECK_WILDCARD_MATCH },
	{ "brace_match", INCLUDE_CHECK_BRACE_MATCH }, { NULL, 0 }
};

#define INCLUDE_CHECK_ALL 15u

static bool include_check_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	unsigned v = s->nargs ? *(unsigned *)f : INCLUDE_CHECK_ALL;
	bool replaced = false;
	for (size_t i = 0; i < s->nargs; i++) {
		struct lex_word w = s->args[i];
		char sign = (w.text[0] == '+' || w.text[0] == '-') ? w.text[0] : 0;
		int bit;
		if (sign)
			w.text++, w.len--;
		if (!parse_enum_word(p, &w, include_checks, k->name, &bit))
			return false;
		if (!sign && !replaced)
			v = 0, replaced = true;
		if (sign == '-')
			v &= ~(unsigned)bit;
		else
			v |= (unsigned)bit;
	}
	*(unsigned *)f = v;
	return true;
}

static void include_check_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	unsigned v = *(const unsigned *)f;
	if (v == INCLUDE_CHECK_ALL)
		return;
	for (const struct kw_enum *e = include_checks; e->name; e++)
		if (v & (unsigned)e->value)
			out_word(o, e->name);
}

static const struct vtype vt_include_check = { "[checks]", -1, include_check_parse, include_check_dump, mem_eq, VT_VALUE };

/* ---- notification_email { } ---------------------------------------------------- */

static bool email_parse(struct pctx *p, void *item, const struct stmt *s)
{
	((struct email_addr *)item)->addr = p_strdup(p, s->kw->text);
	return true;
}

static void email_dump(struct out *o, const void *item)
{
	out_lead_word(o, ((const struct email_addr *)item)->addr);
}

static bool email_eq(const void *a, const void *b)
{
	return str_same(((const struct email_addr *)a)->addr, ((const struct email_addr *)b)->addr);
}

static struct block_desc desc_email_item = {
	.name = "notification_email", .size = sizeof(struct email_addr),
	.parse_item = email_parse, .dump_item = email_dump, .item_eq = email_eq, .per_word = true,
};

/* ---- global_defs ------------------------------------------------------------------- */

#define G struct global_defs

static void global_init(void *obj)
{
	G *g = obj;
	g->startup_script_timeout = SEC(10);
	g->shutdown_script_timeout = SEC(10);
	g->umask = 022;
	g->random_seed = -1;
	g->smtp_server.port = 25;
	g->smtp_connect_timeout = SEC(30);
	g->smtp_alert = g->smtp_alert_vrrp = g->smtp_alert_checker = TRISTATE_UNSET;
	g->default_interface = (char *)"eth0";
	syncd_init(&g->lvs_sync_daemon);
	vaddr_parse("224.0.0.18", false, &g->vrrp_mcast_group4);
	vaddr_parse("ff02::12", false, &g->vrrp_mcast_group6);
	g->vrrp_garp_master_delay = SEC(5);
	g->vrrp_garp_master_repeat = 5;
	g->vrrp_garp_lower_prio_delay = TIMER_INHERIT;
	g->vrrp_garp_lower_prio_repeat = -1;
	g->vrrp_garp_master_refresh_repeat = 1;
	g->vrrp_down_timer_adverts = 3;
	g->vrrp_notify_script_hold = SEC(5);
	g->vrrp_version = 2;
	g->vmac_prefix = (char *)"vrrp";
	g->nftables_priority = -1;
	g->nftables_ipvs_priority = -1;
	g->nftables_ipvs_start_fwmark = 1000;
	g->min_auto_priority_delay = 1000000;
	g->vrrp_rlimit_rttime = g->checker_rlimit_rttime = g->bfd_rlimit_rttime = 10000;
	g->snmp_socket = (char *)"unix:/var/agentx/master";
	g->dbus_service_name = (char *)"org.keepalived.Vrrp1";
	g->vrrp_rx_bufs_multiplier = 3;
}

static const struct kw_enum flush_on_stop_words[] = { { "VS", LVS_FLUSH_STOP_VS }, { NULL, 0 } };
static const struct opt_enum flush_on_stop = { LVS_FLUSH_STOP_ALL, flush_on_stop_words };

static const struct kw_enum dynamic_ifs_words[] = {
	{ "allow_if_changes", DYNAMIC_IFS_ALLOW_CHANGES }, { NULL, 0 }
};
static const struct opt_enum dynamic_ifs = { DYNAMIC_IFS_ON, dynamic_ifs_words };

#define SECONDS(n, f, lo, hi, E)  { n, &vt_seconds, KW_FIELD(G, f), SEC(lo), SEC(hi), NULL, 0, NULL, E }
#define TYPE_MAX(n, ty, f, mx, E) { n, &ty, KW_FIELD(G, f), 0, mx, NULL, 0, NULL, E }
#define ALIAS(n, ty, f, lo, hi, aux, E) { n, &ty, KW_FIELD(G, f), lo, hi, aux, KW_ALIAS, NULL, E }
#define RCV_BUFS(n, f, E)      { n, &vt_uint, KW_FIELD(G, f), 0, UINT32_MAX, NULL, 0, NULL, E }
#define USEC_MAX               4294967295LL   /* keepalived's timer limit, in us */

static const struct kw global_kws[] = {
	KW_STR("tmp_config_directory", G, tmp_config_directory,
	  NO_EFFECT("vigil writes no temporary copies of the configuration")),
	KW_STR("config_save_dir", G, config_save_dir,
	  NO_EFFECT("vigil does not save copies of the configuration")),
	KW_FLAG("process_names", G, process_names, NO_EFFECT(WHY_PROCESS_NAMES)),
	KW_STR("process_name", G, process_name, NO_EFFECT(WHY_PROCESS_NAMES)),
	KW_STR("vrrp_process_name", G, vrrp_process_name, NO_EFFECT(WHY_PROCESS_NAMES)),
	KW_STR("checker_process_name", G, checker_process_name, NO_EFFECT(WHY_PROCESS_NAMES)),
	ALIAS("lvs_process_name", vt_str, checker_process_name, 0, 0, NULL,
	  NO_EFFECT(WHY_PROCESS_NAMES)),
	KW_STR("bfd_process_name", G, bfd_process_name, NO_EFFECT(WHY_PROCESS_NAMES)),
	KW_TYPE("startup_script", vt_run_as, G, startup_script, ACTS),
	SECONDS("startup_script_timeout", startup_script_timeout, 1, 1000, ACTS),
	KW_TYPE("shutdown_script", vt_run_as, G, shutdown_script, ACTS),
	SECONDS("shutdown_script_timeout", shutdown_script_timeout, 1, 1000, ACTS),
	KW_TYPE("umask", vt_umask, G, umask, ACTS),
	KW_INT("random_seed", G, random_seed, 0, UINT32_MAX,
	  NO_EFFECT("vigil's randomness needs no seed")),
	TYPE_MAX("reload_check_config", vt_opt_words, reload_check_config, 1,
	  NO_EFFECT("vigil always checks a new configuration on reload and keeps the running one when it has errors")),
	{ "include_check", &vt_include_check, KW_FIELD(G, include_check), 0, 0, NULL, 0,
	  NULL, NO_EFFECT("vigil decides by the include variant (includer, includem, ...)") },
	KW_STR("reload_time_file", G, reload_time_file, NO_EFFECT(WHY_RELOAD)),
	KW_FLAG("reload_repeat", G, reload_repeat, NO_EFFECT(WHY_RELOAD)),
	TYPE_MAX("reload_file", vt_opt_words, reload_file, 1, NO_EFFECT(WHY_RELOAD)),
	KW_FLAG("data_use_instance", G, data_use_instance, NO_EFFECT(WHY_INSTANCE)),

	KW_ITEMS("notification_email", G, notification_email, desc_email_item, ACTS),
	KW_STR("notification_email_from", G, notification_email_from, ACTS),
	KW_TYPE("smtp_server", vt_smtp, G, smtp_server, ACTS),
	KW_STR("smtp_helo_name", G, smtp_helo_name, ACTS),
	SECONDS("smtp_connect_timeout", smtp_connect_timeout, 1, 4294, ACTS),
	KW_TYPE("smtp_alert", vt_tri, G, smtp_alert, ACTS),
	KW_TYPE("smtp_alert_vrrp", vt_tri, G, smtp_alert_vrrp, ACTS),
	KW_TYPE("smtp_alert_checker", vt_tri, G, smtp_alert_checker, ACTS),
	KW_FLAG("checker_log_all_failures", G, checker_log_all_failures, ACTS),
	KW_FLAG("no_email_faults", G, no_email_faults, ACTS),
	KW_FLAG("no_checker_emails", G, no_checker_emails, ACTS),
	KW_FLAG("rs_init_notifies", G, rs_init_notifies,
	  NO_EFFECT("vigil sends no notification for a real server's initial state, only for changes")),
	KW_STR("router_id", G, router_id, ACTS),
	KW_STR("default_interface", G, default_interface, ACTS),

	KW_TYPE("lvs_sync_daemon", vt_syncd, G, lvs_sync_daemon, ACTS),
	KW_TYPE("lvs_timeouts", vt_timeouts, G, lvs_timeouts, ACTS),
	KW_FLAG("lvs_flush", G, lvs_flush, ACTS),
	{ "lvs_flush_on_stop", &vt_opt_enum, KW_FIELD(G, lvs_flush_on_stop), 0, 0, &flush_on_stop, 0, NULL,
	  ACTS },
	ALIAS("lvs_flush_onstop", vt_opt_enum, lvs_flush_on_stop, 0, 0, &flush_on_stop, ACTS),

	{ "vrrp_mcast_group4", &vt_mcast, KW_FIELD(G, vrrp_mcast_group4), AF_INET, 0, NULL, 0, NULL, ACTS },
	{ "vrrp_mcast_group6", &vt_mcast, KW_FIELD(G, vrrp_mcast_group6), AF_INET6, 0, NULL, 0, NULL, ACTS },
	SECONDS("vrrp_garp_master_delay", vrrp_garp_master_delay, 0, 4294, ACTS),
	KW_UINT("vrrp_garp_master_repeat", G, vrrp_garp_master_repeat, 1, UINT32_MAX, ACTS),
	SECONDS("vrrp_garp_lower_prio_delay", vrrp_garp_lower_prio_delay, 0, 4294, ACTS),
	KW_INT("vrrp_garp_lower_prio_repeat", G, vrrp_garp_lower_prio_repeat, 0, UINT32_MAX, ACTS),
	SECONDS("vrrp_garp_master_refresh", vrrp_garp_master_refresh, 0, UINT32_MAX, ACTS),
	KW_UINT("vrrp_garp_master_refresh_repeat", G, vrrp_garp_master_refresh_repeat, 1, UINT32_MAX, ACTS),
	{ "vrrp_garp_interval", &vt_timer, KW_FIELD(G, vrrp_garp_interval), 1, USEC_MAX, NULL,
	  KW_ZERO_DEFAULT, NULL, ACTS },
	{ "vrrp_gna_interval", &vt_timer, KW_FIELD(G, vrrp_gna_interval), 1, USEC_MAX, NULL,
	  KW_ZERO_DEFAULT, NULL, ACTS },
	KW_FLAG("vrrp_min_garp", G, vrrp_min_garp,
	  NO_EFFECT("set garp_master_repeat and garp_master_refresh instead")),
	KW_TYPE("vrrp_garp_extra_if", vt_extra_if, G, vrrp_garp_extra_if, NO_EFFECT(WHY_EXTRA_IF)),
	{ "vrrp_vmac_garp_intvl", &vt_extra_if, KW_FIELD(G, vrrp_garp_extra_if), 0, 0, NULL,
	  KW_ALIAS | KW_DEPRECATED, "vrrp_garp_extra_if", NO_EFFECT(WHY_EXTRA_IF) },
	KW_INT("vrrp_down_timer_adverts", G, vrrp_down_timer_adverts, 1, 100, ACTS),
	KW_FLAG("vrrp_lower_prio_no_advert", G, vrrp_lower_prio_no_advert, ACTS),
	KW_FLAG("vrrp_higher_prio_send_advert", G, vrrp_higher_prio_send_advert,
	  NO_EFFECT(WHY_HIGHER_PRIO)),
	KW_INT("vrrp_version", G, vrrp_version, 2, 3, ACTS),
	KW_FLAG("vrrp_check_unicast_src", G, vrrp_check_unicast_src, ACTS),
	/* vigil: check_unicast_ttl for every instance (issue 15) */
	KW_FLAG("vrrp_check_unicast_ttl", G, vrrp_check_unicast_ttl, ACTS),
	KW_FLAG("vrrp_skip_check_adv_addr", G, vrrp_skip_check_adv_addr, NO_EFFECT(WHY_SKIP_ADV)),
	KW_FLAG("vrrp_strict", G, vrrp_strict, ACTS),
	KW_FLAG("vrrp_notify_priority_changes", G, vrrp_notify_priority_changes, ACTS),
	KW_FLAG("log_unknown_vrids", G, log_unknown_vrids,
	  NO_EFFECT("vigil always logs adverts for VRIDs it does not run, at most once a second, with a count")),
	KW_TIMER("vrrp_startup_delay", G, vrrp_startup_delay, 1000, USEC_MAX, ACTS),
	/* vigil: a notify script running longer no longer holds back the next
	 * transition's scripts (notify.h); 0.01 s to the 60 s script timeout */
	KW_TIMER("vrrp_notify_script_hold", G, vrrp_notify_script_hold, 10000, SEC(60), ACTS),
	KW_STR("vmac_prefix", G, vmac_prefix, ACTS),
	KW_STR("vmac_addr_prefix", G, vmac_addr_prefix,
	  NO_EFFECT("it names use_vmac_addr's interfaces, which vigil does not make")),
	KW_FLAG("disable_local_igmp", G, disable_local_igmp,
	  NO_EFFECT("vigil's VMACs (macvlan in bridge mode) join no multicast group, so they send no IGMP reports to disable")),

	TYPE_MAX("nftables", vt_opt_words, nftables, 1, ACTS),
	KW_INT("nftables_priority", G, nftables_priority, INT32_MIN, INT32_MAX, ACTS),
	KW_FLAG("nftables_counters", G, nftables_counters, ACTS),
	KW_FLAG("nftables_ifindex", G, nftables_ifindex, NO_EFFECT(WHY_NFT_IFINDEX)),
	TYPE_MAX("nftables_ipvs", vt_opt_words, nftables_ipvs, 1, NO_EFFECT(WHY_FIREWALL)),
	KW_INT("nftables_ipvs_priority", G, nftables_ipvs_priority, INT32_MIN, INT32_MAX,
	  NO_EFFECT(WHY_FIREWALL)),
	KW_UINT("nftables_ipvs_start_fwmark", G, nftables_ipvs_start_fwmark, 1, UINT32_MAX,
	  NO_EFFECT(WHY_FIREWALL)),
	TYPE_MAX("vrrp_iptables", vt_opt_words, vrrp_iptables, 2, NO_EFFECT(WHY_FIREWALL)),
	TYPE_MAX("vrrp_ipsets", vt_opt_words, vrrp_ipsets, OPT_WORDS_MAX, NO_EFFECT(WHY_FIREWALL)),

	{ "max_auto_priority", &vt_opt_int, KW_FIELD(G, max_auto_priority), -1, 99, NULL, 0, NULL,
	  NO_EFFECT(WHY_SCHEDULING) },
	KW_UINT("min_auto_priority_delay", G, min_auto_priority_delay, 1, 10000000,
	  NO_EFFECT(WHY_SCHEDULING)),
	KW_INT("vrrp_priority", G, vrrp_priority, -20, 19, NO_EFFECT(WHY_SCHEDULING)),
	KW_INT("checker_priority", G, checker_priority, -20, 19, NO_EFFECT(WHY_SCHEDULING)),
	KW_INT("bfd_priority", G, bfd_priority, -20, 19, NO_EFFECT(WHY_SCHEDULING)),
	KW_FLAG("vrrp_no_swap", G, vrrp_no_swap, NO_EFFECT(WHY_SCHEDULING)),
	KW_FLAG("checker_no_swap", G, checker_no_swap, NO_EFFECT(WHY_SCHEDULING)),
	KW_FLAG("bfd_no_swap", G, bfd_no_swap, NO_EFFECT(WHY_SCHEDULING)),
	KW_TYPE("vrrp_cpu_affinity", vt_cpuset, G, vrrp_cpu_affinity, NO_EFFECT(WHY_SCHEDULING)),
	KW_TYPE("checker_cpu_affinity", vt_cpuset, G, checker_cpu_affinity,
	  NO_EFFECT(WHY_SCHEDULING)),
	KW_TYPE("bfd_cpu_affinity", vt_cpuset, G, bfd_cpu_affinity, NO_EFFECT(WHY_SCHEDULING)),
	KW_INT("vrrp_rt_priority", G, vrrp_rt_priority, 1, 99, NO_EFFECT(WHY_SCHEDULING)),
	KW_INT("checker_rt_priority", G, checker_rt_priority, 1, 99, NO_EFFECT(WHY_SCHEDULING)),
	KW_INT("bfd_rt_priority", G, bfd_rt_priority, 1, 99, NO_EFFECT(WHY_SCHEDULING)),
	KW_UINT("vrrp_rlimit_rttime", G, vrrp_rlimit_rttime, 2, UINT32_MAX,
	  NO_EFFECT(WHY_SCHEDULING)),
	KW_UINT("checker_rlimit_rttime", G, checker_rlimit_rttime, 2, UINT32_MAX,
	  NO_EFFECT(WHY_SCHEDULING)),
	KW_UINT("bfd_rlimit_rttime", G, bfd_rlimit_rttime, 2, UINT32_MAX,
	  NO_EFFECT(WHY_SCHEDULING)),
	/* keepalived still reads the misspelt names of older versions */
	ALIAS("vrrp_rlimit_rtime", vt_uint, vrrp_rlimit_rttime, 2, UINT32_MAX, NULL,
	  NO_EFFECT(WHY_SCHEDULING)),
	ALIAS("checker_rlimit_rtime", vt_uint, checker_rlimit_rttime, 2, UINT32_MAX, NULL,
	  NO_EFFECT(WHY_SCHEDULING)),
	ALIAS("bfd_rlimit_rtime", vt_uint, bfd_rlimit_rttime, 2, UINT32_MAX, NULL,
	  NO_EFFECT(WHY_SCHEDULING)),

	KW_STR("snmp_socket", G, snmp_socket, NO_EFFECT(WHY_SNMP)),
	KW_FLAG("enable_snmp_vrrp", G, enable_snmp_vrrp, NO_EFFECT(WHY_SNMP)),
	ALIAS("enable_snmp_keepalived", vt_flag, enable_snmp_vrrp, 0, 0, NULL, NO_EFFECT(WHY_SNMP)),
	KW_FLAG("enable_snmp_checker", G, enable_snmp_checker, NO_EFFECT(WHY_SNMP)),
	KW_FLAG("enable_snmp_rfc", G, enable_snmp_rfc, NO_EFFECT(WHY_SNMP)),
	KW_FLAG("enable_snmp_rfcv2", G, enable_snmp_rfcv2, NO_EFFECT(WHY_SNMP)),
	KW_FLAG("enable_snmp_rfcv3", G, enable_snmp_rfcv3, NO_EFFECT(WHY_SNMP)),
	KW_FLAG("enable_traps", G, enable_traps, NO_EFFECT(WHY_SNMP)),
	KW_FLAG("enable_dbus", G, enable_dbus, NO_EFFECT(WHY_DBUS)),
	KW_STR("dbus_service_name", G, dbus_service_name, NO_EFFECT(WHY_DBUS)),

	KW_TYPE("script_user", vt_user_group, G, script_user, ACTS),
	KW_TYPE("enable_script_security", vt_flag_bare, G, enable_script_security, ACTS),
	KW_TYPE("notify_fifo", vt_run_as, G, notify_fifo, ACTS),
	KW_TYPE("notify_fifo_script", vt_run_as, G, notify_fifo_script, ACTS),
	KW_TYPE("vrrp_notify_fifo", vt_run_as, G, vrrp_notify_fifo, ACTS),
	KW_TYPE("vrrp_notify_fifo_script", vt_run_as, G, vrrp_notify_fifo_script, ACTS),
	KW_TYPE("lvs_notify_fifo", vt_run_as, G, lvs_notify_fifo, ACTS),
	KW_TYPE("lvs_notify_fifo_script", vt_run_as, G, lvs_notify_fifo_script, ACTS),
	KW_FLAG("fifo_write_vrrp_states_on_reload", G, fifo_write_vrrp_states_on_reload,
	  NO_EFFECT("vigil does not write the VRRP states to the FIFO again on reload")),

	{ "dynamic_interfaces", &vt_opt_enum, KW_FIELD(G, dynamic_interfaces), 0, 0, &dynamic_ifs, 0, NULL,
	  NO_EFFECT("vigil always follows interfaces that are deleted and created again, as if this were set") },
	RCV_BUFS("vrrp_netlink_cmd_rcv_bufs", vrrp_netlink_cmd_rcv_bufs, NO_EFFECT(WHY_BUFFERS)),
	KW_FLAG("vrrp_netlink_cmd_rcv_bufs_force", G, vrrp_netlink_cmd_rcv_bufs_force,
	  NO_EFFECT(WHY_BUFFERS)),
	RCV_BUFS("vrrp_netlink_monitor_rcv_bufs", vrrp_netlink_monitor_rcv_bufs,
	  NO_EFFECT(WHY_BUFFERS)),
	KW_FLAG("vrrp_netlink_monitor_rcv_bufs_force", G, vrrp_netlink_monitor_rcv_bufs_force,
	  NO_EFFECT(WHY_BUFFERS)),
	RCV_BUFS("lvs_netlink_cmd_rcv_bufs", lvs_netlink_cmd_rcv_bufs, NO_EFFECT(WHY_BUFFERS)),
	KW_FLAG("lvs_netlink_cmd_rcv_bufs_force", G, lvs_netlink_cmd_rcv_bufs_force,
	  NO_EFFECT(WHY_BUFFERS)),
	RCV_BUFS("lvs_netlink_monitor_rcv_bufs", lvs_netlink_monitor_rcv_bufs,
	  NO_EFFECT(WHY_BUFFERS)),
	KW_FLAG("lvs_netlink_monitor_rcv_bufs_force", G, lvs_netlink_monitor_rcv_bufs_force,
	  NO_EFFECT(WHY_BUFFERS)),
	RCV_BUFS("process_monitor_rcv_bufs", process_monitor_rcv_bufs, NO_EFFECT(WHY_BUFFERS)),
	KW_FLAG("process_monitor_rcv_bufs_force", G, process_monitor_rcv_bufs_force,
	  NO_EFFECT(WHY_BUFFERS)),
	KW_TYPE("vrrp_rx_bufs_policy", vt_rx_bufs, G, vrrp_rx_bufs_policy, NO_EFFECT(WHY_BUFFERS)),
	KW_UINT("vrrp_rx_bufs_multiplier", G, vrrp_rx_bufs_multiplier, 1, UINT32_MAX,
	  NO_EFFECT(WHY_BUFFERS)),
	KW_END
};

struct block_desc desc_global_defs = {
	.name = "global_defs", .size = sizeof(G), .init = global_init, .kws = global_kws,
};

#undef G

/* ---- SSL { } ------------------------------------------------------------------------- */

static const struct kw ssl_kws[] = {
	KW_STR("password", struct ssl_conf, password, ACTS),
	KW_STR("ca", struct ssl_conf, ca, ACTS),
	KW_STR("certificate", struct ssl_conf, certificate, ACTS),
	KW_STR("key", struct ssl_conf, key, ACTS),
	KW_END
};

struct block_desc desc_ssl = { .name = "SSL", .size = sizeof(struct ssl_conf), .kws = ssl_kws };

/* ---- linkbeat_interfaces { IF [MII|ETHTOOL|IOCTL] } ------------------------------------- */

/* Case matters: keepalived rejects "mii". */
static const struct kw_enum linkbeat_types[] = {
	{ "MII", LINKBEAT_MII }, { "ETHTOOL", LINKBEAT_ETHTOOL }, { "IOCTL", LINKBEAT_IOCTL },
	{ NULL, 0 }
};

static bool lb_parse(struct pctx *p, void *item, const struct stmt *s)
{
	struct linkbeat_if *l = item;
	if (s->nargs > 1) {
		p_error(p, s->args[1].pos, "a linkbeat interface line is IF [MII|ETHTOOL|IOCTL]; "
			"unexpected '%s'", s->args[1].text);
		return false;
	}
	if (s->nargs == 1) {
		const struct kw_enum *e = linkbeat_types;
		while (e->name && strcmp(e->name, s->args[0].text) != 0)
			e++;
		if (!e->name) {
			p_error(p, s->args[0].pos, "linkbeat type '%s' is not known; use MII, ETHTOOL "
				"or IOCTL (in capitals)", s->args[0].text);
			return false;
		}
		l->type = e->value;
	}
	l->ifname = p_strdup(p, s->kw->text);
	return true;
}

static void lb_dump(struct out *o, const void *item)
{
	const struct linkbeat_if *l = item;
	out_lead_word(o, l->ifname);
	if (l->type != LINKBEAT_AUTO)
		out_printf(o, " %s", enum_name(linkbeat_types, l->type));
}

static bool lb_eq(const void *a, const void *b)
{
	const struct linkbeat_if *x = a, *y = b;
	return str_same(x->ifname, y->ifname) && x->type == y->type;
}

struct block_desc desc_linkbeat_if_item = {
	.name = "linkbeat_interfaces", .size = sizeof(struct linkbeat_if),
	.parse_item = lb_parse, .dump_item = lb_dump, .item_eq = lb_eq,
};

/* ---- interface_up_down_delays { IF DOWN [UP] } ---------------------------------------- */

static bool delay_parse(struct pctx *p, void *item, const struct stmt *s)
{
	struct if_delay *d = item;
	if (s->nargs < 1 || s->nargs > 2) {
		p_error(p, s->kw->pos, "an interface_up_down_delays line is IF DOWN_DELAY "
			"[UP_DELAY], in seconds");
		return false;
	}
	if (!parse_timer_word(p, &s->args[0], 0, SEC(255), "down delay", &d->down))
		return false;
	d->up = d->down;
	if (s->nargs == 2 && !parse_timer_word(p, &s->args[1], 0, SEC(255), "up delay", &d->up))
		return false;
	d->ifname = p_strdup(p, s->kw->text);
	return true;
}

static void delay_dump(struct out *o, const void *item)
{
	static const struct kw timer = { "delay", &vt_timer, 0, 8, 0, 0, NULL, 0, NULL, ACTS };
	const struct if_delay *d = item;
	out_lead_word(o, d->ifname);
	vt_timer.dump(o, &timer, &d->down);
	if (d->up != d->down)
		vt_timer.dump(o, &timer, &d->up);
}

static bool delay_eq(const void *a, const void *b)
{
	const struct if_delay *x = a, *y = b;
	return str_same(x->ifname, y->ifname) && x->down == y->down && x->up == y->up;
}

struct block_desc desc_if_delay_item = {
	.name = "interface_up_down_delays", .size = sizeof(struct if_delay),
	.parse_item = delay_parse, .dump_item = delay_dump, .item_eq = delay_eq,
};

/* ---- track_group NAME { group { VI_1 VI_2 } } ------------------------------------------ */

static bool member_parse(struct pctx *p, void *item, const struct stmt *s)
{
	((struct track_group_member *)item)->instance = p_strdup(p, s->kw->text);
	return true;
}

static void member_dump(struct out *o, const void *item)
{
	out_lead_word(o, ((const struct track_group_member *)item)->instance);
}

static bool member_eq(const void *a, const void *b)
{
	return str_same(((const struct track_group_member *)a)->instance,
			((const struct track_group_member *)b)->instance);
}

static struct block_desc desc_track_group_member = {
	.name = "group", .size = sizeof(struct track_group_member),
	.parse_item = member_parse, .dump_item = member_dump, .item_eq = member_eq,
	.per_word = true,
};

static const struct kw track_group_kws[] = {
	KW_ITEMS("group", struct track_group, group, desc_track_group_member,
	  NO_EFFECT(WHY_INSIDE)),
	KW_END
};

static void track_group_finish(struct pctx *p, void *obj, struct srcpos pos)
{
	const struct track_group *t = obj;
	if (t->group.n == 0)
		p_warn(p, pos, "track_group %s has no vrrp_instance in group { }; it tracks nothing",
		       t->hdr.name ? t->hdr.name : "");
}

struct block_desc desc_track_group = {
	.name = "track_group", .size = sizeof(struct track_group), .kws = track_group_kws,
	.head = head_name, .dump_head = dump_head_name, .head_eq = head_eq_name,
	.finish = track_group_finish,
};

/* ---- track_file NAME { file PATH  weight N [reverse]  init_file [V] [overwrite] } ---- */

/* vt_weight: struct track_weight from "N [reverse]", N in min..max. */
static bool weight_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	struct track_weight w = { 0, false };
	long long v;
	if (!stmt_nargs(p, s, 1, 2) || !parse_ll(p, &s->args[0], k->min, k->max, k->name, &v))
		return false;
	if (s->nargs == 2 && !is_word(&s->args[1], "reverse")) {
		p_error(p, s->args[1].pos, "weight takes N [reverse]; unexpected '%s'", s->args[1].text);
		return false;
	}
	w.weight = (int)v;
	w.reverse = s->nargs == 2;
	*(struct track_weight *)f = w;
	return true;
}

static void weight_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	const struct track_weight *w = f;
	out_printf(o, " %d%s", w->weight, w->reverse ? " reverse" : "");
}

static bool weight_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	const struct track_weight *x = a, *y = b;
	return x->weight == y->weight && x->reverse == y->reverse;
}

static const struct vtype vt_weight = { "N [reverse]", -1, weight_parse, weight_dump, weight_eq, VT_VALUE };

/* vt_track_init: struct track_init from "[VALUE] [overwrite]". */
static bool track_init_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	struct track_init t = { true, 0, false };
	long long v;
	size_t i = 0;
	if (!stmt_nargs(p, s, 0, 2))
		return false;
	if (i < s->nargs && !is_word(&s->args[i], "overwrite")) {
		if (!parse_ll(p, &s->args[i], INT32_MIN, INT32_MAX, k->name, &v))
			return false;
		t.value = (int)v;
		i++;
	}
	if (i < s->nargs && is_word(&s->args[i], "overwrite")) {
		t.overwrite = true;
		i++;
	}
	if (i < s->nargs) {
		p_error(p, s->args[i].pos, "init_file takes [VALUE] [overwrite]; unexpected '%s'",
			s->args[i].text);
		return false;
	}
	*(struct track_init *)f = t;
	return true;
}

static void track_init_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	const struct track_init *t = f;
	if (t->value)
		out_printf(o, " %d", t->value);
	if (t->overwrite)
		out_printf(o, " overwrite");
}

static bool track_init_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	const struct track_init *x = a, *y = b;
	return x->given == y->given && x->value == y->value && x->overwrite == y->overwrite;
}

static const struct vtype vt_track_init = { "[VALUE] [overwrite]", -1, track_init_parse, track_init_dump, track_init_eq, VT_VALUE };

#define F struct track_file

static void track_file_init(void *obj)
{
	((F *)obj)->weight.weight = 1;
}

static const struct kw track_file_kws[] = {
	KW_STR("file", F, file, ACTS),
	/* keepalived 2.2.7 itself stops at +-254; its manual gives this range */
	{ "weight", &vt_weight, KW_FIELD(F, weight), -2147483647LL, 2147483647LL, NULL, 0, NULL, ACTS },
	KW_TYPE("init_file", vt_track_init, F, init_file, ACTS),
	KW_END
};

static void track_file_finish(struct pctx *p, void *obj, struct srcpos pos)
{
	const F *t = obj;
	if (!t->file)
		p_error(p, pos, "track_file %s has no file; add file PATH",
			t->hdr.name ? t->hdr.name : "");
}

struct block_desc desc_track_file = {
	.name = "track_file", .size = sizeof(F), .init = track_file_init, .kws = track_file_kws,
	.head = head_name, .dump_head = dump_head_name, .head_eq = head_eq_name,
	.finish = track_file_finish,
};

#undef F

/* ---- whole-model checks --------------------------------------------------------------- */

static const struct named *find_named(const struct list *l, const char *name,
				      const struct node *before)
{
	for (const struct node *n = l->first; n && n != before; n = n->next)
		if (str_same(((const struct named *)n)->name, name))
			return (const struct named *)n;
	return NULL;
}

static void check_unique(struct pctx *p, const struct list *l, const char *what)
{
	for (const struct node *n = l->first; n; n = n->next) {
		const struct named *dup = find_named(l, ((const struct named *)n)->name, n);
		if (dup)
			p_error(p, n->pos, "%s %s is already defined at line %u; rename one of them",
				what, ((const struct named *)n)->name, dup->node.pos.line);
	}
}

static void check_track_group_refs(struct pctx *p, const struct config *cfg,
				   const struct list *items, size_t off, const char *what)
{
	for (const struct node *n = items->first; n; n = n->next) {
		const char *g = *(char *const *)((const char *)n + off);
		if (g && !find_named(&cfg->track_groups, g, NULL))
			p_error(p, n->pos, "%s uses track_group %s, which is not defined; define "
				"track_group %s { group { ... } } or remove it", what, g, g);
	}
}

void global_resolve(struct pctx *p, struct config *cfg)
{
	check_unique(p, &cfg->track_groups, "track_group");
	check_unique(p, &cfg->track_files, "track_file");
	check_track_group_refs(p, cfg, &cfg->static_addresses,
			       offsetof(struct ipaddr_item, track_group), "static address");
	check_track_group_refs(p, cfg, &cfg->static_routes,
			       offsetof(struct route_item, track_group), "static route");
	check_track_group_refs(p, cfg, &cfg->static_rules,
			       offsetof(struct rule_item, track_group), "static rule");
	for (LIST_EACH(struct track_group, tg, &cfg->track_groups))
		for (LIST_EACH(struct track_group_member, m, &tg->group))
			if (!find_named(&cfg->vrrp_instances, m->instance, NULL))
				p_error(p, m->node.pos, "track_group %s lists vrrp_instance %s, which "
					"is not defined", tg->hdr.name, m->instance);
	const char *vi = cfg->global.lvs_sync_daemon.instance;
	if (vi && !find_named(&cfg->vrrp_instances, vi, NULL))
		p_error(p, cfg->global.lvs_sync_daemon.pos, "lvs_sync_daemon names vrrp_instance "
			"%s, which is not defined; fix the name or leave it out", vi);
}
