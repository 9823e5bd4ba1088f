/* tab_lvs.c - the LVS blocks: virtual_server_group, virtual_server and
 * real_server, as keepalived.conf(5) 2.2.7 describes them (its "LVS
 * CONFIGURATION" section), with keepalived's defaults and ranges.
 *
 * Value types of this file (beside the engine's in kw.c):
 *   vt_lvs_fwd      "NAT|DR|TUN [type ipip|gue port N|gre] [nocsum|csum|remcsum]"
 *   vt_lvs_script   "SCRIPT [username [groupname]]" into a struct lvs_script *
 *   vt_lvs_persist  persistence_timeout with its optional value
 *   vt_lvs_pgran    persistence_granularity: an IPv4 netmask or IPv6 length
 *   vt_lvs_dest     "IP [PORT]" (sorry_server)
 *   vt_vsg_entries  the bare lines of a virtual_server_group, for dump and
 *                   equality; the lines are parsed by the group's unknown hook
 *
 * The checks that need the whole file (duplicates, group names, address
 * families) are in lvs_resolve() at the end; they use hash tables, because
 * a configuration may hold tens of thousands of virtual servers.
 */
#include "tab.h"
#include "why.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#define V struct virtual_server
#define R struct real_server

/* keepalived reads timers up to 2^64-1 microseconds; anything that large
 * is a mistake, and 2^63-1 keeps the engine's signed bounds valid. */
#define LVS_TIMER_MAX   INT64_MAX
/* connect_timeout is at most 2^32-1 microseconds in keepalived. */
#define LVS_CONNECT_MAX 4294967295LL
/* IPVS weights are non-negative ints. */
#define LVS_WEIGHT_MAX  2147483647LL

/* ---- small helpers -------------------------------------------------------- */

static bool parse_port(struct pctx *p, const struct lex_word *w, long long lo, uint16_t *out)
{
	long long v = 0;
	if (!parse_ll(p, w, lo, 65535, "port", &v))
		return false;
	*out = (uint16_t)v;
	return true;
}

static size_t addr_len(const struct vaddr *a)
{
	return a->family == AF_INET ? 4 : 16;
}

/* "file:line:col" of pos, for messages that name a second place. */
static const char *where(const struct pctx *p, struct srcpos pos, char *buf, size_t len)
{
	diags_where(p->d, pos, buf, len);
	size_t n = strlen(buf);
	if (n >= 2 && buf[n - 2] == ':')
		buf[n - 2] = '\0';
	return buf;
}

static const char *family_name(int af)
{
	return af == AF_INET ? "IPv4" : af == AF_INET6 ? "IPv6" : "no";
}

static bool str_same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* ---- vt_lvs_fwd: lvs_method ----------------------------------------------- */

static const struct kw_enum fwd_methods[] = {
	{ "NAT", LVS_FWD_NAT }, { "DR", LVS_FWD_DR }, { "TUN", LVS_FWD_TUN }, { NULL, 0 }
};
static const struct kw_enum tun_types[] = {
	{ "ipip", LVS_TUN_IPIP }, { "gue", LVS_TUN_GUE }, { "gre", LVS_TUN_GRE }, { NULL, 0 }
};
static const struct kw_enum tun_csums[] = {
	{ "nocsum", LVS_CSUM_NONE }, { "csum", LVS_CSUM_CSUM }, { "remcsum", LVS_CSUM_REMCSUM },
	{ NULL, 0 }
};

static bool fwd_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	struct lvs_fwd v = { 0 };
	int m = 0, t = 0;

	(void)k;
	if (s->nargs == 0) {
		p_error(p, s->kw->pos, "%s needs NAT, DR or TUN [type ipip|gue port N|gre] "
			"[nocsum|csum|remcsum]", s->kw->text);
		return false;
	}
	if (!parse_enum_word(p, &s->args[0], fwd_methods, "forwarding method", &m))
		return false;
	/* keepalived 2.2.7 knows the methods in upper case only: "lb_kind dr"
	 * is "unknown [dr] routing method" to it, and the service runs with
	 * the default, NAT. A drop-in must run the same system, so vigil
	 * ignores the line too, but says loudly what it means. */
	if (strcmp(s->args[0].text, enum_name(fwd_methods, m)) != 0) {
		p_warn(p, s->args[0].pos, "%s '%s' is ignored: keepalived knows only upper-case "
		       "NAT, DR and TUN and runs this with the default (NAT for a virtual server, "
		       "the virtual server's method for a real server), and so does vigil; if %s "
		       "is meant, write %s %s", s->kw->text, s->args[0].text,
		       enum_name(fwd_methods, m), s->kw->text, enum_name(fwd_methods, m));
		return true;
	}
	v.method = (uint8_t)m;
	for (size_t i = 1; i < s->nargs; i++) {
		const struct lex_word *w = &s->args[i];
		if (v.method != LVS_FWD_TUN) {
			p_error(p, w->pos, "'%s': only TUN takes tunnel options", w->text);
			return false;
		}
		if (strcmp(w->text, "type") == 0 || strcmp(w->text, "port") == 0) {
			if (i + 1 >= s->nargs) {
				p_error(p, w->pos, "tunnel option '%s' needs a value", w->text);
				return false;
			}
			if (w->text[0] == 't') {
				if (!parse_enum_word(p, &s->args[i + 1], tun_types,
						     "tunnel type", &t))
					return false;
				v.tun_type = (uint8_t)t;
			} else if (!parse_port(p, &s->args[i + 1], 1, &v.tun_port)) {
				return false;
			}
			i++;
		} else {
			const struct kw_enum *c = tun_csums;
			while (c->name && strcmp(c->name, w->text) != 0)
				c++;
			if (!c->name) {
				p_error(p, w->pos, "unknown tunnel option '%s'; use type "
					"ipip|gue|gre, port N, nocsum, csum or remcsum", w->text);
				return false;
			}
			v.tun_csum = (uint8_t)c->value;
		}
	}
	if ((v.tun_type == LVS_TUN_GUE) != (v.tun_port != 0)) {
		p_error(p, s->kw->pos, "a gue tunnel needs 'port N', and only gue takes a port");
		return false;
	}
	if (v.tun_type == LVS_TUN_IPIP && v.tun_csum != LVS_CSUM_NONE) {
		p_error(p, s->kw->pos, "ipip tunnels take no checksum option; use type gue or gre");
		return false;
	}
	if (v.tun_type == LVS_TUN_GRE && v.tun_csum == LVS_CSUM_REMCSUM) {
		p_error(p, s->kw->pos, "gre tunnels do not support remcsum; use csum or nocsum");
		return false;
	}
	*(struct lvs_fwd *)f = v;
	return true;
}

static void fwd_dump(struct out *o, const struct kw *k, const void *f)
{
	const struct lvs_fwd *v = f;
	(void)k;
	out_word(o, enum_name(fwd_methods, v->method));
	if (v->method != LVS_FWD_TUN)
		return;
	if (v->tun_type != LVS_TUN_IPIP) {
		out_word(o, "type");
		out_word(o, enum_name(tun_types, v->tun_type));
	}
	if (v->tun_port)
		out_printf(o, " port %u", v->tun_port);
	if (v->tun_csum != LVS_CSUM_NONE)
		out_word(o, enum_name(tun_csums, v->tun_csum));
}

static bool fwd_eq(const struct kw *k, const void *a, const void *b)
{
	const struct lvs_fwd *x = a, *y = b;
	(void)k;
	return x->method == y->method && x->tun_type == y->tun_type &&
	       x->tun_csum == y->tun_csum && x->tun_port == y->tun_port;
}

static const struct vtype vt_lvs_fwd = {
	"a forwarding method", -1, fwd_parse, fwd_dump, fwd_eq, VT_VALUE
};

/* ---- vt_lvs_script: notify_up, quorum_up, ... ----------------------------- */

static bool script_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	(void)k;
	if (s->nargs == 0) {
		p_error(p, s->kw->pos, "%s needs a script: %s SCRIPT [username [groupname]]",
			s->kw->text, s->kw->text);
		return false;
	}
	if (s->nargs > 3) {
		p_error(p, s->args[3].pos, "%s takes a script, a user and a group; unexpected '%s' "
			"(quote a script that has arguments: \"%s %s ...\")", s->kw->text,
			s->args[3].text, s->args[0].text, s->args[1].text);
		return false;
	}
	struct lvs_script *sc = arena_zalloc(p->a, sizeof(*sc));
	sc->cmd = p_strdup(p, s->args[0].text);
	sc->pos = s->args[0].pos;
	if (s->nargs > 1)
		sc->user = p_strdup(p, s->args[1].text);
	if (s->nargs > 2)
		sc->group = p_strdup(p, s->args[2].text);
	*(struct lvs_script **)f = sc;
	return true;
}

static void script_dump(struct out *o, const struct kw *k, const void *f)
{
	const struct lvs_script *sc = *(struct lvs_script *const *)f;
	(void)k;
	out_word(o, sc->cmd);
	if (sc->user)
		out_word(o, sc->user);
	if (sc->group)
		out_word(o, sc->group);
}

static bool script_eq(const struct kw *k, const void *a, const void *b)
{
	const struct lvs_script *x = *(struct lvs_script *const *)a;
	const struct lvs_script *y = *(struct lvs_script *const *)b;
	(void)k;
	if (!x || !y)
		return x == y;
	return str_same(x->cmd, y->cmd) && str_same(x->user, y->user) &&
	       str_same(x->group, y->group);
}

const struct vtype vt_lvs_script = {
	"a script", -1, script_parse, script_dump, script_eq, VT_VALUE
};


/* ---- vt_lvs_persist: persistence_timeout [SECONDS] ----------------------- */

static bool persist_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	long long v = LVS_PERSISTENCE_DEFAULT;
	(void)k;
	if (!stmt_nargs(p, s, 0, 1) ||
	    (s->nargs && !parse_ll(p, &s->args[0], 1, LVS_PERSISTENCE_MAX, s->kw->text, &v)))
		return false;
	*(uint32_t *)f = (uint32_t)v;
	return true;
}

static void persist_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	out_printf(o, " %u", *(const uint32_t *)f);
}

static bool u32_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	return *(const uint32_t *)a == *(const uint32_t *)b;
}

static const struct vtype vt_lvs_persist = {
	"a time in whole seconds", 1, persist_parse, persist_dump, u32_eq, VT_VALUE
};

/* ---- vt_lvs_pgran: persistence_granularity ------------------------------- */

/* An IPv4 netmask (any mask: ipvsadm and the kernel accept masks that are
 * not contiguous) or an IPv6 prefix length 1..128. */
static bool pgran_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	struct vaddr v = { 0 };
	(void)k;
	if (!stmt_nargs(p, s, 1, 1))
		return false;
	const struct lex_word *w = &s->args[0];
	if (strchr(w->text, '.')) {
		if (inet_pton(AF_INET, w->text, &v.u.v4) != 1) {
			p_error(p, w->pos, "persistence_granularity '%s' is not an IPv4 netmask "
				"(like 255.255.255.0)", w->text);
			return false;
		}
		v.family = AF_INET;
	} else {
		long long len = 0;
		if (!parse_ll(p, w, 1, 128, "persistence_granularity (an IPv6 prefix length)",
			      &len))
			return false;
		v.family = AF_INET6;
		v.has_prefix = true;
		v.prefix = (uint8_t)len;
	}
	*(struct vaddr *)f = v;
	return true;
}

static void pgran_dump(struct out *o, const struct kw *k, const void *f)
{
	const struct vaddr *v = f;
	char buf[VADDR_STRLEN];
	(void)k;
	if (v->family == AF_INET6)
		out_printf(o, " %u", v->prefix);
	else
		out_word(o, vaddr_format(v, buf, sizeof(buf)));
}

static bool vaddr_field_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	return vaddr_equal(a, b);
}

static const struct vtype vt_lvs_pgran = {
	"a netmask or prefix length", 1, pgran_parse, pgran_dump, vaddr_field_eq, VT_VALUE
};

/* ---- vt_lvs_dest: sorry_server IP [PORT] ---------------------------------- */

static bool dest_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	struct lvs_dest d = { 0 };
	(void)k;
	if (!stmt_nargs(p, s, 1, 2) || !parse_addr_word(p, &s->args[0], false, &d.addr))
		return false;
	if (s->nargs > 1 && !parse_port(p, &s->args[1], 0, &d.port))
		return false;
	*(struct lvs_dest *)f = d;
	return true;
}

static void dest_dump(struct out *o, const struct kw *k, const void *f)
{
	const struct lvs_dest *d = f;
	char buf[VADDR_STRLEN];
	(void)k;
	out_word(o, vaddr_format(&d->addr, buf, sizeof(buf)));
	if (d->port)
		out_printf(o, " %u", d->port);
}

static bool dest_eq(const struct kw *k, const void *a, const void *b)
{
	const struct lvs_dest *x = a, *y = b;
	(void)k;
	return vaddr_equal(&x->addr, &y->addr) && x->port == y->port;
}

static const struct vtype vt_lvs_dest = {
	"an IP address and port", -1, dest_parse, dest_dump, dest_eq, VT_VALUE
};

/* ---- virtual_server_group ------------------------------------------------- */

static const struct kw_enum families[] = {
	{ "inet", AF_INET }, { "inet6", AF_INET6 }, { NULL, 0 }
};

/* Compare addresses of one family as unsigned big-endian numbers. */
static int addr_cmp(const struct vaddr *a, const struct vaddr *b)
{
	return memcmp(a->u.bytes, b->u.bytes, addr_len(a));
}

/* The address text of a group line: "A", "A-N", "A-B" or "A/LEN". */
static bool vsg_parse_range(struct pctx *p, const struct lex_word *w, struct vsg_entry *e)
{
	const char *err;
	const char *dash = strchr(w->text, '-');

	if (strchr(w->text, '/')) {
		struct vaddr a;
		if ((err = vaddr_parse(w->text, true, &a))) {
			p_error(p, w->pos, "'%s': %s", w->text, err);
			return false;
		}
		if (vaddr_host_bits_set(&a)) {
			p_error(p, w->pos, "'%s' has bits set after the /%u; write the first "
				"address of the block", w->text, a.prefix);
			return false;
		}
		unsigned bits = (unsigned)addr_len(&a) * 8;
		a.has_prefix = false;
		e->first = e->last = a;
		for (unsigned i = a.prefix; i < bits; i++)
			e->last.u.bytes[i / 8] |= (uint8_t)(0x80u >> (i % 8));
		return true;
	}
	if (dash && strpbrk(dash + 1, ".:")) {
		/* A-B: two whole addresses */
		char buf[VADDR_STRLEN];
		size_t n = (size_t)(dash - w->text);
		if (n >= sizeof(buf)) {
			p_error(p, w->pos, "'%s': address too long", w->text);
			return false;
		}
		memcpy(buf, w->text, n);
		buf[n] = '\0';
		if ((err = vaddr_parse(buf, false, &e->first)) ||
		    (err = vaddr_parse(dash + 1, false, &e->last))) {
			p_error(p, w->pos, "'%s': %s", w->text, err);
			return false;
		}
		if (e->first.family != e->last.family) {
			p_error(p, w->pos, "'%s': the range mixes IPv4 and IPv6", w->text);
			return false;
		}
		if (addr_cmp(&e->first, &e->last) > 0) {
			p_error(p, w->pos, "'%s': the range ends before it starts", w->text);
			return false;
		}
		return true;
	}
	uint32_t end = 0;
	if ((err = vaddr_parse_range(w->text, &e->first, &end))) {
		p_error(p, w->pos, "'%s': %s", w->text, err);
		return false;
	}
	e->last = e->first;
	if (dash) {
		if (e->first.family == AF_INET) {
			e->last.u.bytes[3] = (uint8_t)end;
		} else {
			e->last.u.bytes[14] = (uint8_t)(end >> 8);
			e->last.u.bytes[15] = (uint8_t)end;
		}
	}
	return true;
}

static bool vsg_entry_parse(struct pctx *p, void *item, const struct stmt *s)
{
	struct vsg_entry *e = item;
	long long v = 0;
	int fam = 0;

	if (strcmp(s->kw->text, "fwmark") == 0) {
		if (!stmt_nargs(p, s, 1, 2) ||
		    !parse_ll(p, &s->args[0], 1, UINT32_MAX, "fwmark", &v) ||
		    (s->nargs > 1 &&
		     !parse_enum_word(p, &s->args[1], families, "address family", &fam)))
			return false;
		e->kind = VSG_FWMARK;
		e->fwmark = (uint32_t)v;
		e->fwmark_family = (uint8_t)fam;
		return true;
	}
	if (s->nargs > 1) {
		p_error(p, s->args[1].pos, "a virtual_server_group line is 'IP[-END] [PORT]' or "
			"'fwmark N [inet|inet6]'; unexpected '%s'", s->args[1].text);
		return false;
	}
	e->kind = VSG_ADDR;
	if (!vsg_parse_range(p, s->kw, e))
		return false;
	return s->nargs == 0 || parse_port(p, &s->args[0], 0, &e->port);
}

static void vsg_entry_dump(struct out *o, const void *item)
{
	const struct vsg_entry *e = item;
	char a[VADDR_STRLEN], b[VADDR_STRLEN];

	if (e->kind == VSG_FWMARK) {
		out_printf(o, "fwmark %u", e->fwmark);
		if (e->fwmark_family)
			out_word(o, enum_name(families, e->fwmark_family));
		return;
	}
	vaddr_format(&e->first, a, sizeof(a));
	size_t n = addr_len(&e->first);
	if (vaddr_equal(&e->first, &e->last))
		out_printf(o, "%s", a);
	else if (n == 4 && memcmp(e->first.u.bytes, e->last.u.bytes, 3) == 0)
		out_printf(o, "%s-%u", a, e->last.u.bytes[3]);
	else if (n == 16 && memcmp(e->first.u.bytes, e->last.u.bytes, 14) == 0)
		out_printf(o, "%s-%x", a, vaddr_range_base(&e->last));
	else
		out_printf(o, "%s-%s", a, vaddr_format(&e->last, b, sizeof(b)));
	if (e->port)
		out_printf(o, " %u", e->port);
}

static bool vsg_entry_eq(const void *x, const void *y)
{
	const struct vsg_entry *a = x, *b = y;
	return a->kind == b->kind && a->fwmark == b->fwmark &&
	       a->fwmark_family == b->fwmark_family && a->port == b->port &&
	       vaddr_equal(&a->first, &b->first) && vaddr_equal(&a->last, &b->last);
}

static struct block_desc desc_vsg_entry = {
	.name = "virtual_server_group entry", .size = sizeof(struct vsg_entry),
	.parse_item = vsg_entry_parse, .dump_item = vsg_entry_dump, .item_eq = vsg_entry_eq,
};

/* The lines of a group have no keyword: the group's unknown hook parses
 * each one, and this row (whose empty name no statement has) dumps and
 * compares the whole list. */
static void entries_dump(struct out *o, const struct kw *k, const void *f)
{
	bool first = true;
	(void)k;
	for (const struct node *n = ((const struct list *)f)->first; n; n = n->next) {
		if (!first)
			out_line_start(o);
		first = false;
		vsg_entry_dump(o, n);
	}
}

static bool entries_eq(const struct kw *k, const void *a, const void *b)
{
	const struct list *x = a, *y = b;
	(void)k;
	if (x->n != y->n)
		return false;
	for (const struct node *m = x->first, *n = y->first; m && n; m = m->next, n = n->next)
		if (!vsg_entry_eq(m, n))
			return false;
	return true;
}

static bool entries_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	(void)k;
	(void)f;
	p_error(p, s->kw->pos, "an empty word is not a virtual_server_group entry");
	return false;
}

static const struct vtype vt_vsg_entries = {
	"group entries", -1, entries_parse, entries_dump, entries_eq, VT_VALUE
};

static bool vsg_unknown(struct pctx *p, void *obj, const struct stmt *s)
{
	struct vs_group *g = obj;
	struct vsg_entry *e = arena_zalloc(p->a, sizeof(*e));
	e->node.desc = &desc_vsg_entry;
	e->node.pos = s->kw->pos;
	if (vsg_entry_parse(p, e, s))
		list_append(&g->entries, &e->node);
	return true;
}

static const struct kw vsg_kws[] = {
	{ "", &vt_vsg_entries, KW_FIELD(struct vs_group, entries), 0, 0, NULL, KW_REPEAT, NULL, ACTS },
	KW_END
};

struct block_desc desc_vs_group = {
	.name = "virtual_server_group", .size = sizeof(struct vs_group), .kws = vsg_kws,
	.head = head_name, .dump_head = dump_head_name, .head_eq = head_eq_name,
	.unknown = vsg_unknown,
};

/* ---- real_server ------------------------------------------------------------ */

static void rs_init(void *obj)
{
	R *r = obj;
	r->weight = 1;
	r->inhibit_on_failure = LVS_TRI_INHERIT;
	r->alpha = LVS_TRI_INHERIT;
	r->smtp_alert = LVS_TRI_INHERIT;
	r->retry = LVS_RETRY_INHERIT;
	r->delay_loop = LVS_TIMER_INHERIT;
	r->connect_timeout = LVS_TIMER_INHERIT;
	r->delay_before_retry = LVS_TIMER_INHERIT;
	r->warmup = LVS_TIMER_INHERIT;
}

static bool rs_head(struct pctx *p, void *obj, const struct stmt *s)
{
	R *r = obj;
	if (!stmt_nargs(p, s, 1, 2) || !parse_addr_word(p, &s->args[0], false, &r->addr))
		return false;
	return s->nargs < 2 || parse_port(p, &s->args[1], 0, &r->port);
}

static void rs_dump_head(struct out *o, const void *obj)
{
	const R *r = obj;
	char buf[VADDR_STRLEN];
	out_word(o, vaddr_format(&r->addr, buf, sizeof(buf)));
	if (r->port)
		out_printf(o, " %u", r->port);
}

static bool rs_head_eq(const void *a, const void *b)
{
	const R *x = a, *y = b;
	return vaddr_equal(&x->addr, &y->addr) && x->port == y->port;
}

#define CHECKER(name, d, E) \
	{ name, &vt_list, KW_FIELD(R, checkers), 0, 0, &d, KW_ALIAS | KW_REPEAT, NULL, E }

static const struct kw rs_kws[] = {
	KW_UINT("weight", R, weight, 0, LVS_WEIGHT_MAX, ACTS),
	KW_TYPE("lvs_method", vt_lvs_fwd, R, fwd, ACTS),
	/* keepalived 2.2.7 knows only lvs_method here; without this row the
	 * engine would apply lb_kind to the enclosing virtual_server. */
	{ "lb_kind", &vt_lvs_fwd, KW_FIELD(R, fwd), 0, 0, NULL, KW_ALIAS, NULL, ACTS },
	KW_TYPE("inhibit_on_failure", vt_tri, R, inhibit_on_failure, ACTS),
	KW_TYPE("notify_up", vt_lvs_script, R, notify_up, ACTS),
	KW_TYPE("notify_down", vt_lvs_script, R, notify_down, ACTS),
	KW_UINT("uthreshold", R, uthreshold, 0, UINT32_MAX, ACTS),
	KW_UINT("lthreshold", R, lthreshold, 0, UINT32_MAX, ACTS),
	KW_TYPE("smtp_alert", vt_tri, R, smtp_alert, ACTS),
	KW_STR("virtualhost", R, virtualhost, ACTS),
	KW_STR("snmp_name", R, snmp_name, NO_EFFECT(WHY_SNMP)),
	KW_TYPE("alpha", vt_tri, R, alpha, ACTS),
	KW_TIMER("connect_timeout", R, connect_timeout, 1, LVS_CONNECT_MAX, ACTS),
	KW_UINT("retry", R, retry, 1, UINT32_MAX, ACTS),
	KW_TIMER("delay_before_retry", R, delay_before_retry, 0, LVS_TIMER_MAX, ACTS),
	KW_TIMER("warmup", R, warmup, 0, LVS_TIMER_MAX, ACTS),
	KW_TIMER("delay_loop", R, delay_loop, 1, LVS_TIMER_MAX, ACTS),
	/* One list of checkers of several kinds: the first row dumps and
	 * compares it; each element's node.desc says which block it is. */
	KW_LIST("TCP_CHECK", R, checkers, desc_tcp_check, ACTS),
	CHECKER("HTTP_GET", desc_http_get, ACTS),
	CHECKER("SSL_GET", desc_ssl_get, ACTS),
	CHECKER("MISC_CHECK", desc_misc_check, ACTS),
	CHECKER("SMTP_CHECK", desc_smtp_check, ACTS),
	CHECKER("DNS_CHECK", desc_dns_check, ACTS),
	CHECKER("UDP_CHECK", desc_udp_check, ACTS),
	CHECKER("PING_CHECK", desc_ping_check, ACTS),
	CHECKER("FILE_CHECK", desc_file_check, ACTS),
	/* Not refused: keepalived runs such files, and a real server with no
	 * checker that runs is kept up, as it is without any checker. */
	CHECKER("BFD_CHECK", desc_bfd_check,
	  NO_EFFECT("vigil has no BFD, so this checker never runs and a real server with no "
		    "other checker counts as up; check it with PING_CHECK or TCP_CHECK instead")),
	KW_END
};

static struct block_desc desc_real_server = {
	.name = "real_server", .size = sizeof(R), .init = rs_init, .kws = rs_kws,
	.head = rs_head, .dump_head = rs_dump_head, .head_eq = rs_head_eq,
};

/* ---- virtual_server ------------------------------------------------------- */

static const struct kw_enum schedulers[] = {
	{ "rr", LVS_SCHED_RR }, { "wrr", LVS_SCHED_WRR }, { "lc", LVS_SCHED_LC },
	{ "wlc", LVS_SCHED_WLC }, { "lblc", LVS_SCHED_LBLC }, { "lblcr", LVS_SCHED_LBLCR },
	{ "dh", LVS_SCHED_DH }, { "sh", LVS_SCHED_SH }, { "sed", LVS_SCHED_SED },
	{ "nq", LVS_SCHED_NQ }, { "fo", LVS_SCHED_FO }, { "ovf", LVS_SCHED_OVF },
	{ "mh", LVS_SCHED_MH }, { "twos", LVS_SCHED_TWOS }, { NULL, 0 }
};

/* lvs_sched / lb_algo: a scheduler name keepalived does not know
 * ("lb_algo loadbalance" is met in real files) is ignored by keepalived
 * 2.2.7 with "Invalid lvs_scheduler", and the virtual server keeps its
 * scheduler (wlc unless set before). vigil does the same, with a warning
 * at the word, rather than refuse a file keepalived runs. */
static bool sched_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	if (!stmt_nargs(p, s, 1, 1))
		return false;
	const struct lex_word *w = &s->args[0];
	for (const struct kw_enum *e = schedulers; e->name; e++) {
		if (strcasecmp(e->name, w->text) == 0) {
			*(int *)f = e->value;
			return true;
		}
	}
	p_warn(p, w->pos, "%s '%s' is not a scheduler; ignored, the virtual server keeps "
	       "%s (keepalived does the same); use rr|wrr|lc|wlc|lblc|lblcr|dh|sh|sed|nq|fo|"
	       "ovf|mh|twos", k->name, w->text, enum_name(schedulers, *(int *)f));
	return true;
}

static void sched_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	out_word(o, enum_name(schedulers, *(const int *)f));
}

static bool sched_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	return *(const int *)a == *(const int *)b;
}

static const struct vtype vt_sched = { "a scheduler name", 1, sched_parse, sched_dump,
				       sched_eq, VT_VALUE };

/* quorum: keepalived 2.2.7 sets "quorum 0" to 1 ("Quorum 0 must be in
 * [1, 4294967295]. Setting to 1."), met in a real file that meant "never
 * stop": vigil does the same, with a warning. */
static bool quorum_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	long long v = 0;
	if (!stmt_nargs(p, s, 1, 1) || !parse_ll(p, &s->args[0], 0, k->max, k->name, &v))
		return false;
	if (v == 0) {
		p_warn(p, s->args[0].pos, "quorum 0 is below 1; set to 1 (keepalived does the "
		       "same)");
		v = 1;
	}
	*(uint32_t *)f = (uint32_t)v;
	return true;
}

static void quorum_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	out_printf(o, " %u", (unsigned)*(const uint32_t *)f);
}

static bool quorum_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	return *(const uint32_t *)a == *(const uint32_t *)b;
}

static const struct vtype vt_quorum = { "a whole number", 1, quorum_parse, quorum_dump,
					quorum_eq, VT_VALUE };

static const struct kw_enum protocols[] = {
	{ "TCP", LVS_PROTO_TCP }, { "UDP", LVS_PROTO_UDP }, { "SCTP", LVS_PROTO_SCTP }, { NULL, 0 }
};

static void vs_init(void *obj)
{
	V *v = obj;
	v->delay_loop = SEC(60);
	v->connect_timeout = SEC(5);
	v->delay_before_retry = LVS_TIMER_INHERIT;
	v->warmup = LVS_TIMER_INHERIT;
	v->retry = LVS_RETRY_INHERIT;
	v->sched = LVS_SCHED_WLC;
	v->fwd.method = LVS_FWD_NAT;
	v->smtp_alert = LVS_TRI_INHERIT;
	v->quorum = 1;
	v->weight = 1;
}

static bool vs_head(struct pctx *p, void *obj, const struct stmt *s)
{
	V *v = obj;
	long long mark = 0;

	if (s->nargs == 0) {
		p_error(p, s->kw->pos,
			"virtual_server needs 'IP [PORT]', 'fwmark N' or 'group NAME'");
		return false;
	}
	if (strcmp(s->args[0].text, "fwmark") == 0) {
		if (!stmt_nargs(p, s, 2, 2) ||
		    !parse_ll(p, &s->args[1], 1, UINT32_MAX, "fwmark", &mark))
			return false;
		v->kind = VS_FWMARK;
		v->fwmark = (uint32_t)mark;
		return true;
	}
	if (strcmp(s->args[0].text, "group") == 0) {
		if (!stmt_nargs(p, s, 2, 2))
			return false;
		v->kind = VS_GROUP;
		v->group_name = p_strdup(p, s->args[1].text);
		return true;
	}
	/* keepalived 2.2.7 reads the address and port and ignores any word
	 * after them without a message ("virtual_server 10.0.0.1 53 dev eth0"
	 * is met in real files): vigil ignores them too, and says so. */
	if (s->nargs > 2)
		p_warn(p, s->args[2].pos, "virtual_server %s %s: '%s' and what follows are "
		       "ignored (keepalived ignores them too); a virtual server is an "
		       "address and a port", s->args[0].text, s->args[1].text, s->args[2].text);
	if (!parse_addr_word(p, &s->args[0], false, &v->addr))
		return false;
	if (s->nargs > 1 && !parse_port(p, &s->args[1], 0, &v->port))
		return false;
	v->kind = VS_ADDR;
	return true;
}

static void vs_dump_head(struct out *o, const void *obj)
{
	const V *v = obj;
	char buf[VADDR_STRLEN];

	switch (v->kind) {
	case VS_FWMARK:
		out_printf(o, " fwmark %u", v->fwmark);
		break;
	case VS_GROUP:
		out_word(o, "group");
		out_word(o, v->group_name);
		break;
	default:
		out_word(o, vaddr_format(&v->addr, buf, sizeof(buf)));
		if (v->port)
			out_printf(o, " %u", v->port);
		break;
	}
}

static bool vs_head_eq(const void *a, const void *b)
{
	const V *x = a, *y = b;
	return x->kind == y->kind && x->port == y->port && x->fwmark == y->fwmark &&
	       vaddr_equal(&x->addr, &y->addr) && str_same(x->group_name, y->group_name);
}

/* "virtual_server 10.0.0.1 80", "virtual_server fwmark 1", ... for messages */
static const char *vs_name(const V *v, char *buf, size_t len)
{
	char a[VADDR_STRLEN];
	switch (v->kind) {
	case VS_FWMARK:
		snprintf(buf, len, "virtual_server fwmark %u", v->fwmark);
		break;
	case VS_GROUP:
		snprintf(buf, len, "virtual_server group %s", v->group_name);
		break;
	default:
		snprintf(buf, len, "virtual_server %s %u",
			 vaddr_format(&v->addr, a, sizeof(a)), v->port);
		break;
	}
	return buf;
}

/* The same, into a buffer of NAME_LEN: for use as a message argument,
 * so that the name is only formatted when there is a message. */
#define NAME_LEN 128
static const char *vsn(const V *v, char *buf)
{
	return vs_name(v, buf, NAME_LEN);
}

static uint8_t sorry_method(const V *v)
{
	return v->sorry_server_fwd.method != LVS_FWD_INHERIT ? v->sorry_server_fwd.method
							      : v->fwd.method;
}

static const char *rs_name(const R *r, char *buf, size_t len)
{
	char a[VADDR_STRLEN];
	vaddr_format(&r->addr, a, sizeof(a));
	if (r->port)
		snprintf(buf, len, "real_server %s %u", a, r->port);
	else
		snprintf(buf, len, "real_server %s", a);
	return buf;
}

static uint8_t rs_method(const V *v, const R *r)
{
	return r->fwd.method != LVS_FWD_INHERIT ? r->fwd.method : v->fwd.method;
}

/* Checks and corrections that need the whole virtual_server block but
 * nothing outside it. Where keepalived ignores or adjusts a value, the
 * model gets the value keepalived uses and a warning says so. */
static void vs_finish(struct pctx *p, void *obj, struct srcpos pos)
{
	V *v = obj;
	char n[NAME_LEN], rn[128];

	(void)pos;
	if (!v->kind)
		return;   /* the head was rejected */
	pos = v->node.pos;

	if (v->kind == VS_FWMARK && v->protocol != LVS_PROTO_NONE) {
		p_warn(p, pos, "%s: protocol specified for fwmark - protocol will be ignored",
		       vsn(v, n));
		v->protocol = LVS_PROTO_NONE;
	} else if (v->kind != VS_FWMARK && v->protocol == LVS_PROTO_NONE) {
		p_warn(p, pos, "%s has no protocol; UDP is used, as keepalived 2.2.7 does "
		       "(write protocol TCP|UDP|SCTP)", vsn(v, n));
		v->protocol = LVS_PROTO_UDP;
	}
	if (v->ops && v->kind != VS_FWMARK && v->protocol != LVS_PROTO_UDP) {
		p_warn(p, pos, "%s: one packet scheduling (ops) needs protocol UDP; ignored",
		       vsn(v, n));
		v->ops = false;
	}
	if ((v->sh_port || v->sh_fallback) && v->sched != LVS_SCHED_SH) {
		p_warn(p, pos, "%s: sh-port and sh-fallback only apply to lvs_sched sh; ignored",
		       vsn(v, n));
		v->sh_port = v->sh_fallback = false;
	}
	if ((v->mh_port || v->mh_fallback) && v->sched != LVS_SCHED_MH) {
		p_warn(p, pos, "%s: mh-port and mh-fallback only apply to lvs_sched mh; ignored",
		       vsn(v, n));
		v->mh_port = v->mh_fallback = false;
	}
	if (v->ha_suspend && v->kind == VS_FWMARK) {
		p_warn(p, pos, "%s: ha_suspend cannot be used with a fwmark; ignored", vsn(v, n));
		v->ha_suspend = false;
	}
	/* A granularity implies persistence (keepalived and ipvsadm -M). */
	if (v->persistence_granularity.family && !v->persistence_timeout)
		v->persistence_timeout = LVS_PERSISTENCE_DEFAULT;
	if (v->kind == VS_ADDR && !v->port && !v->persistence_timeout) {
		p_warn(p, pos, "%s: port 0 is only valid for a persistent service; made "
		       "persistent (persistence_timeout %u) as keepalived does", vsn(v, n),
		       LVS_PERSISTENCE_DEFAULT);
		v->persistence_timeout = LVS_PERSISTENCE_DEFAULT;
	}

	if (!v->sorry_server.addr.family) {
		if (v->sorry_server_inhibit || v->sorry_server_fwd.method != LVS_FWD_INHERIT)
			p_warn(p, pos, "%s: sorry_server_inhibit and sorry_server_lvs_method "
			       "have no effect without a sorry_server; ignored", vsn(v, n));
		v->sorry_server_inhibit = false;
		v->sorry_server_fwd = (struct lvs_fwd){ 0 };
	} else if (v->kind == VS_FWMARK && v->sorry_server.port) {
		p_warn(p, pos, "%s: the sorry_server's port is ignored for a fwmark service",
		       vsn(v, n));
		v->sorry_server.port = 0;
	}

	uint64_t total = 0;
	for (LIST_EACH(R, r, &v->real_servers)) {
		total += r->weight;
		if (!r->port)
			continue;
		if (v->kind == VS_FWMARK) {
			p_warn(p, r->node.pos, "%s: %s has a port; it is ignored for a fwmark "
			       "service", vsn(v, n), rs_name(r, rn, sizeof(rn)));
			r->port = 0;
		} else if (v->kind == VS_ADDR && rs_method(v, r) != LVS_FWD_NAT &&
			   r->port != v->port) {
			/* With DR and TUN the packet keeps its destination port. */
			p_warn(p, r->node.pos, "%s: %s uses DR or TUN, so its port must be "
			       "the virtual server's; set to %u", vsn(v, n),
			       rs_name(r, rn, sizeof(rn)), v->port);
			r->port = v->port;
		}
	}
	if (v->real_servers.n && total && v->quorum > total) {
		p_warn(p, pos, "%s: quorum %u exceeds the total weight of its real servers "
		       "(%llu); reduced to %llu as keepalived does", vsn(v, n), v->quorum,
		       (unsigned long long)total, (unsigned long long)total);
		v->quorum = (uint32_t)total;
	}
	if (v->hysteresis >= v->quorum) {
		p_warn(p, pos, "%s: hysteresis %u must be below quorum %u; set to %u",
		       vsn(v, n), v->hysteresis, v->quorum, v->quorum - 1);
		v->hysteresis = v->quorum - 1;
	}
	if (!v->real_servers.n && !v->sorry_server.addr.family)
		p_warn(p, pos, "%s has no real_server (keepalived ignores such a virtual "
		       "server)", vsn(v, n));
}

static const struct kw vs_kws[] = {
	KW_ENUM("ip_family", V, ip_family, families, ACTS),
	KW_TIMER("delay_loop", V, delay_loop, 1, LVS_TIMER_MAX, ACTS),
	KW_TIMER("connect_timeout", V, connect_timeout, 1, LVS_CONNECT_MAX, ACTS),
	KW_TIMER("delay_before_retry", V, delay_before_retry, 0, LVS_TIMER_MAX, ACTS),
	KW_TIMER("warmup", V, warmup, 0, LVS_TIMER_MAX, ACTS),
	KW_UINT("retry", V, retry, 1, UINT32_MAX, ACTS),
	{ "lvs_sched", &vt_sched, KW_FIELD(V, sched), 0, 0, schedulers, 0, NULL, ACTS },
	{ "lb_algo", &vt_sched, KW_FIELD(V, sched), 0, 0, schedulers, KW_ALIAS, NULL, ACTS },
	KW_FLAG("hashed", V, hashed, NO_EFFECT("the kernel sets IPVS's hashed flag itself")),
	KW_FLAG("ops", V, ops, ACTS),
	/* not in keepalived 2.2.7: a spelled-out name for ops */
	{ "one_packet_scheduler", &vt_flag, KW_FIELD(V, ops), 0, 0, NULL, KW_ALIAS, NULL, ACTS },
	KW_FLAG("flag-1", V, flag_1, ACTS),
	KW_FLAG("flag-2", V, flag_2, ACTS),
	KW_FLAG("flag-3", V, flag_3, ACTS),
	KW_FLAG("sh-port", V, sh_port, ACTS),
	KW_FLAG("sh-fallback", V, sh_fallback, ACTS),
	KW_FLAG("mh-port", V, mh_port, ACTS),
	KW_FLAG("mh-fallback", V, mh_fallback, ACTS),
	KW_TYPE("lvs_method", vt_lvs_fwd, V, fwd, ACTS),
	{ "lb_kind", &vt_lvs_fwd, KW_FIELD(V, fwd), 0, 0, NULL, KW_ALIAS, NULL, ACTS },
	KW_STR("persistence_engine", V, persistence_engine, ACTS),
	{ "persistence_timeout", &vt_lvs_persist, KW_FIELD(V, persistence_timeout), 0, 0, NULL,
	  KW_ZERO_DEFAULT, NULL, ACTS },
	KW_TYPE("persistence_granularity", vt_lvs_pgran, V, persistence_granularity, ACTS),
	KW_ENUM("protocol", V, protocol, protocols, ACTS),
	KW_FLAG("ha_suspend", V, ha_suspend,
	  NO_EFFECT("vigil runs the health checks whether or not the virtual address is on this node")),
	KW_TYPE("smtp_alert", vt_tri, V, smtp_alert, ACTS),
	KW_STR("virtualhost", V, virtualhost, ACTS),
	KW_STR("snmp_name", V, snmp_name, NO_EFFECT(WHY_SNMP)),
	KW_FLAG("alpha", V, alpha, ACTS),
	KW_FLAG("omega", V, omega,
	  NO_EFFECT("vigil does not run quorum_down and the real servers' notify_down at shutdown as omega asks")),
	KW_FLAG("inhibit_on_failure", V, inhibit_on_failure, ACTS),
	{ "quorum", &vt_quorum, KW_FIELD(V, quorum), 1, UINT32_MAX, NULL, 0, NULL, ACTS },
	KW_UINT("hysteresis", V, hysteresis, 0, UINT32_MAX, ACTS),
	KW_UINT("weight", V, weight, 1, LVS_WEIGHT_MAX, ACTS),
	KW_TYPE("quorum_up", vt_lvs_script, V, quorum_up, ACTS),
	KW_TYPE("quorum_down", vt_lvs_script, V, quorum_down, ACTS),
	KW_TYPE("sorry_server", vt_lvs_dest, V, sorry_server, ACTS),
	KW_FLAG("sorry_server_inhibit", V, sorry_server_inhibit, ACTS),
	KW_TYPE("sorry_server_lvs_method", vt_lvs_fwd, V, sorry_server_fwd, ACTS),
	KW_LIST("real_server", V, real_servers, desc_real_server, ACTS),
	KW_END
};

struct block_desc desc_virtual_server = {
	.name = "virtual_server", .size = sizeof(V), .init = vs_init, .kws = vs_kws,
	.head = vs_head, .dump_head = vs_dump_head, .head_eq = vs_head_eq,
	.finish = vs_finish,
};

/* ---- lvs_resolve ----------------------------------------------------------- */

/* Open addressing over pointers; the caller supplies hash and equality. */
struct htab {
	const void **slot;
	size_t mask;
};

static void htab_init(struct htab *h, size_t n)
{
	size_t size = 16;
	while (size < n * 2)
		size *= 2;
	h->slot = xcalloc(size, sizeof(*h->slot));
	h->mask = size - 1;
}

/* Insert item, or return the equal item already there. */
static const void *htab_add(struct htab *h, const void *item, uint64_t hash,
			    bool (*eq)(const void *, const void *))
{
	for (size_t i = (size_t)hash & h->mask;; i = (i + 1) & h->mask) {
		if (!h->slot[i]) {
			h->slot[i] = item;
			return NULL;
		}
		if (eq(h->slot[i], item))
			return h->slot[i];
	}
}

static const void *htab_find(const struct htab *h, const void *key, uint64_t hash,
			     bool (*eq)(const void *, const void *))
{
	for (size_t i = (size_t)hash & h->mask; h->slot[i]; i = (i + 1) & h->mask)
		if (eq(h->slot[i], key))
			return h->slot[i];
	return NULL;
}

#define FNV_OFFSET 14695981039346656037ULL

static uint64_t fnv(const void *data, size_t n, uint64_t h)
{
	const unsigned char *c = data;
	for (size_t i = 0; i < n; i++)
		h = (h ^ c[i]) * 1099511628211ULL;
	/* mix the high bits down: the table uses the low ones */
	return h ^ (h >> 29);
}

static uint64_t vsg_hash(const struct vs_group *g)
{
	return fnv(g->hdr.name, strlen(g->hdr.name), FNV_OFFSET);
}

static bool vsg_same_name(const void *a, const void *b)
{
	return strcmp(((const struct vs_group *)a)->hdr.name,
		      ((const struct vs_group *)b)->hdr.name) == 0;
}

/* IPVS keys a service on (family, protocol, address, port) or on
 * (family, fwmark); keepalived allows one virtual server per protocol
 * and family on a group. */
static uint64_t vs_hash(const V *v)
{
	uint64_t h = fnv(&v->kind, 1, FNV_OFFSET);
	h = fnv(&v->af, 1, h);
	switch (v->kind) {
	case VS_FWMARK:
		return fnv(&v->fwmark, sizeof(v->fwmark), h);
	case VS_GROUP:
		h = fnv(&v->protocol, sizeof(v->protocol), h);
		return fnv(v->group_name, strlen(v->group_name), h);
	default:
		h = fnv(&v->protocol, sizeof(v->protocol), h);
		h = fnv(&v->port, sizeof(v->port), h);
		return fnv(v->addr.u.bytes, addr_len(&v->addr), h);
	}
}

static bool vs_same_service(const void *a, const void *b)
{
	const V *x = a, *y = b;
	if (x->kind != y->kind || x->af != y->af)
		return false;
	switch (x->kind) {
	case VS_FWMARK:
		return x->fwmark == y->fwmark;
	case VS_GROUP:
		return x->protocol == y->protocol && strcmp(x->group_name, y->group_name) == 0;
	default:
		return x->protocol == y->protocol && x->port == y->port &&
		       x->addr.family == y->addr.family && addr_cmp(&x->addr, &y->addr) == 0;
	}
}

static uint64_t rs_hash(const R *r)
{
	uint64_t h = fnv(&r->port, sizeof(r->port), FNV_OFFSET);
	return fnv(r->addr.u.bytes, addr_len(&r->addr), h);
}

static bool rs_same(const void *a, const void *b)
{
	const R *x = a, *y = b;
	return x->port == y->port && x->addr.family == y->addr.family &&
	       addr_cmp(&x->addr, &y->addr) == 0;
}

static void resolve_groups(struct pctx *p, struct config *cfg, struct htab *groups)
{
	char w[512];

	htab_init(groups, cfg->vs_groups.n);
	for (LIST_EACH(struct vs_group, g, &cfg->vs_groups)) {
		const struct vs_group *old = htab_add(groups, g, vsg_hash(g), vsg_same_name);
		if (old)
			p_error(p, g->hdr.node.pos, "virtual_server_group %s is defined twice; the "
				"first is at %s; rename or merge them", g->hdr.name,
				where(p, old->hdr.node.pos, w, sizeof(w)));
		for (LIST_EACH(struct vsg_entry, e, &g->entries)) {
			int af = e->kind == VSG_ADDR ? e->first.family : e->fwmark_family;
			g->have_v4 |= af == AF_INET;
			g->have_v6 |= af == AF_INET6;
			g->fwmark_no_family |= e->kind == VSG_FWMARK && !af;
		}
		if (!g->entries.n)
			p_warn(p, g->hdr.node.pos, "virtual_server_group %s has no entries",
			       g->hdr.name);
		else if (g->have_v4 && g->have_v6 && g->fwmark_no_family)
			p_error(p, g->hdr.node.pos, "virtual_server_group %s has IPv4 and IPv6 "
				"entries, so each fwmark needs a family: fwmark N inet|inet6",
				g->hdr.name);
	}
}

/* The address family of the service, per keepalived.conf(5): a real or
 * sorry server that is not tunnelled must have the family of the virtual
 * server; a fwmark service without ip_family takes its servers' family. */
static void resolve_family(struct pctx *p, V *v)
{
	char n[NAME_LEN], rn[128];
	int from_head = 0;       /* family fixed by the address or the group */
	bool mixed_group = false;

	if (v->kind == VS_ADDR)
		from_head = v->addr.family;
	else if (v->kind == VS_GROUP && v->group) {
		if (v->group->have_v4 && v->group->have_v6)
			mixed_group = true;
		else if (v->group->have_v4)
			from_head = AF_INET;
		else if (v->group->have_v6)
			from_head = AF_INET6;
	}
	if (v->ip_family && from_head && v->ip_family != from_head)
		p_error(p, v->node.pos, "%s: ip_family %s conflicts with its %s addresses",
			vsn(v, n), enum_name(families, v->ip_family), family_name(from_head));

	int af = from_head ? from_head : v->ip_family;
	if (!af && !mixed_group) {
		/* fwmarks only: the first server that is not tunnelled decides */
		for (LIST_EACH(R, r, &v->real_servers))
			if (!af && rs_method(v, r) != LVS_FWD_TUN)
				af = r->addr.family;
		if (!af && v->sorry_server.addr.family && sorry_method(v) != LVS_FWD_TUN)
			af = v->sorry_server.addr.family;
	}
	if (!af && !mixed_group) {
		/* all tunnelled: their common family, else IPv4 */
		for (LIST_EACH(R, r, &v->real_servers))
			af = !af || af == r->addr.family ? r->addr.family : -1;
		if (af <= 0)
			af = AF_INET;
	}
	v->af = (uint8_t)af;

	for (LIST_EACH(R, r, &v->real_servers)) {
		if (rs_method(v, r) == LVS_FWD_TUN)
			continue;
		if (mixed_group)
			p_error(p, r->node.pos, "%s: its group %s has IPv4 and IPv6 addresses, so "
				"%s must use lvs_method TUN", vsn(v, n), v->group_name,
				rs_name(r, rn, sizeof(rn)));
		else if (r->addr.family != af)
			p_error(p, r->node.pos, "%s is %s but %s is %s; only tunnelled (lvs_method "
				"TUN) real servers may differ", rs_name(r, rn, sizeof(rn)),
				family_name(r->addr.family), vsn(v, n), family_name(af));
	}
	if (v->sorry_server.addr.family && sorry_method(v) != LVS_FWD_TUN &&
	    (mixed_group || v->sorry_server.addr.family != af))
		p_error(p, v->node.pos, "%s: its sorry_server is %s but the service is %s; only "
			"a tunnelled sorry server may differ", vsn(v, n),
			family_name(v->sorry_server.addr.family),
			mixed_group ? "both" : family_name(af));
	if (v->persistence_granularity.family && !mixed_group &&
	    v->persistence_granularity.family != af)
		p_error(p, v->node.pos, "%s: persistence_granularity is for %s but the service is "
			"%s; use a netmask for IPv4, a prefix length for IPv6", vsn(v, n),
			family_name(v->persistence_granularity.family), family_name(af));
}

void lvs_resolve(struct pctx *p, struct config *cfg)
{
	struct htab groups, services, reals = { NULL, 0 };
	size_t reals_cap = 0;
	char n[NAME_LEN], rn[128], w[512];

	resolve_groups(p, cfg, &groups);
	htab_init(&services, cfg->virtual_servers.n);
	for (LIST_EACH(V, v, &cfg->virtual_servers)) {
		if (v->kind == VS_GROUP) {
			struct vs_group key = { .hdr.name = v->group_name };
			v->group = (struct vs_group *)htab_find(&groups, &key, vsg_hash(&key),
								vsg_same_name);
			if (!v->group)
				p_error(p, v->node.pos, "%s: there is no virtual_server_group %s; "
					"define it or correct the name", vsn(v, n), v->group_name);
		}
		resolve_family(p, v);

		const V *old = htab_add(&services, v, vs_hash(v), vs_same_service);
		if (old)
			p_error(p, v->node.pos, "%s%s%s is defined twice; the first is at %s",
				vsn(v, n), v->protocol ? " " : "",
				v->protocol ? enum_name(protocols, v->protocol) : "",
				where(p, old->node.pos, w, sizeof(w)));

		/* real servers: one table per virtual server, reused */
		size_t need = 16;
		while (need < v->real_servers.n * 2)
			need *= 2;
		if (need > reals_cap) {
			free(reals.slot);
			reals.slot = xcalloc(need, sizeof(*reals.slot));
			reals_cap = need;
		} else {
			memset(reals.slot, 0, need * sizeof(*reals.slot));
		}
		reals.mask = need - 1;
		for (LIST_EACH(R, r, &v->real_servers)) {
			const R *dup = htab_add(&reals, r, rs_hash(r), rs_same);
			if (dup)
				p_error(p, r->node.pos, "%s: %s is given twice; the first is at %s",
					vsn(v, n), rs_name(r, rn, sizeof(rn)),
					where(p, dup->node.pos, w, sizeof(w)));
		}
	}
	free(reals.slot);
	free(services.slot);
	free(groups.slot);
}
