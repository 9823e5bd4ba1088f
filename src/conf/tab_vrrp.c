/* tab_vrrp.c - the VRRP blocks of keepalived's language: vrrp_script,
 * vrrp_track_process, bfd_instance, vrrp_sync_group, garp_group and
 * vrrp_instance, as tables for the keyword engine (kw.h), plus the value
 * types their unusual syntax needs and vrrp_resolve(), which checks what
 * can only be checked once the whole file is read (names, duplicates,
 * virtual router ids).
 *
 * Ranges follow keepalived.conf(5) of keepalived 2.2.7. Where keepalived
 * logs a bad value and carries on with a default, vigil reports an error
 * instead: a value that is silently replaced is a surprise in production.
 */
#include "tab.h"
#include "strict.h"
#include "why.h"

#include <arpa/inet.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

/* ---- small helpers ------------------------------------------------------ */

static char *word_dup(struct pctx *p, const struct lex_word *w)
{
	return arena_strndup(p->a, w->text, w->len);
}

static bool str_same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* "line 12", or "other.conf:12" when pos is in another file than here. */
static const char *where(const struct pctx *p, struct srcpos pos, struct srcpos here,
			 char *buf, size_t len)
{
	if (pos.file == here.file)
		snprintf(buf, len, "line %u", (unsigned)pos.line);
	else
		snprintf(buf, len, "%s:%u", diags_file_name(p->d, pos.file), (unsigned)pos.line);
	return buf;
}

static const char *family_name(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

/* ---- value types of the VRRP blocks --------------------------------------- */

/* "SCRIPT [USER [GROUP]]": the command is one word, quoted when it has
 * arguments, as keepalived reads it. */
static void notify_fill(struct pctx *p, const struct lex_word *w, size_t n,
			struct notify_script *ns)
{
	ns->cmd = word_dup(p, &w[0]);
	ns->pos = w[0].pos;
	ns->user = n > 1 ? word_dup(p, &w[1]) : NULL;
	ns->group = n > 2 ? word_dup(p, &w[2]) : NULL;
}

static bool notify_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	(void)k;
	if (!stmt_nargs(p, s, 1, 3))
		return false;
	notify_fill(p, s->args, s->nargs, f);
	return true;
}

static void notify_dump_words(struct out *o, const struct notify_script *ns)
{
	out_word(o, ns->cmd ? ns->cmd : "");
	if (ns->user)
		out_word(o, ns->user);
	if (ns->group)
		out_word(o, ns->group);
}

static void notify_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	notify_dump_words(o, f);
}

static bool notify_same(const struct notify_script *a, const struct notify_script *b)
{
	return str_same(a->cmd, b->cmd) && str_same(a->user, b->user) &&
	       str_same(a->group, b->group);
}

static bool notify_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	return notify_same(a, b);
}

const struct vtype vt_notify = {
	"a script [user [group]]", -1, notify_parse, notify_dump, notify_eq, VT_VALUE
};

/* notify_deleted alone switches the DELETED report on; a script is optional. */
static bool notify_deleted_parse(struct pctx *p, const struct kw *k, const struct stmt *s,
				 void *f)
{
	struct notify_deleted *nd = f;
	(void)k;
	if (!stmt_nargs(p, s, 0, 3))
		return false;
	nd->on = true;
	nd->script = (struct notify_script){ 0 };
	if (s->nargs)
		notify_fill(p, s->args, s->nargs, &nd->script);
	return true;
}

static void notify_deleted_dump(struct out *o, const struct kw *k, const void *f)
{
	const struct notify_deleted *nd = f;
	(void)k;
	if (nd->script.cmd)
		notify_dump_words(o, &nd->script);
}

static bool notify_deleted_eq(const struct kw *k, const void *a, const void *b)
{
	const struct notify_deleted *x = a, *y = b;
	(void)k;
	return x->on == y->on && notify_same(&x->script, &y->script);
}

const struct vtype vt_notify_deleted = {
	"[a script [user [group]]]", -1, notify_deleted_parse, notify_deleted_dump,
	notify_deleted_eq, VT_VALUE
};

/* "user USER [GROUP]" */
static bool script_user_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	struct script_user *r = f;
	(void)k;
	if (!stmt_nargs(p, s, 1, 2))
		return false;
	r->user = word_dup(p, &s->args[0]);
	r->group = s->nargs > 1 ? word_dup(p, &s->args[1]) : NULL;
	return true;
}

static void script_user_dump(struct out *o, const struct kw *k, const void *f)
{
	const struct script_user *r = f;
	(void)k;
	out_word(o, r->user ? r->user : "");
	if (r->group)
		out_word(o, r->group);
}

static bool script_user_eq(const struct kw *k, const void *a, const void *b)
{
	const struct script_user *x = a, *y = b;
	(void)k;
	return str_same(x->user, y->user) && str_same(x->group, y->group);
}

static const struct vtype vt_script_user = {
	"a user [group]", -1, script_user_parse, script_user_dump, script_user_eq, VT_VALUE
};

/* "weight N [reverse|noreverse]" into struct vrrp_weight, N in k->min..max */
static bool weight_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	struct vrrp_weight *w = f;
	long long v = 0;
	bool reverse = false;

	if (!stmt_nargs(p, s, 1, 2) || !parse_ll(p, &s->args[0], k->min, k->max, k->name, &v))
		return false;
	if (s->nargs == 2) {
		const char *opt = s->args[1].text;
		if (strcmp(opt, "reverse") == 0)
			reverse = true;
		else if (strcmp(opt, "noreverse") != 0 && strcmp(opt, "no_reverse") != 0) {
			p_error(p, s->args[1].pos, "after weight %lld, '%s' is not known; "
				"use reverse or noreverse", v, opt);
			return false;
		}
	}
	w->value = (int)v;
	w->reverse = reverse;
	return true;
}

static void weight_dump(struct out *o, const struct kw *k, const void *f)
{
	const struct vrrp_weight *w = f;
	(void)k;
	out_printf(o, " %d%s", w->value, w->reverse ? " reverse" : "");
}

static bool weight_eq(const struct kw *k, const void *a, const void *b)
{
	const struct vrrp_weight *x = a, *y = b;
	(void)k;
	return x->value == y->value && x->reverse == y->reverse;
}

static const struct vtype vt_weight = {
	"a weight [reverse]", -1, weight_parse, weight_dump, weight_eq, VT_VALUE
};


/* A bare keyword that stores k->min in an int field: two keywords sharing
 * one tri-state (accept / no_accept). Each row compares only "is the field
 * my value", so each dumps only its own state and the pair still tells
 * all three states apart. */
static bool setto_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	if (!stmt_nargs(p, s, 0, 0))
		return false;
	*(int *)f = (int)k->min;
	return true;
}

static void setto_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)o;
	(void)k;
	(void)f;
}

static bool setto_eq(const struct kw *k, const void *a, const void *b)
{
	return (*(const int *)a == k->min) == (*(const int *)b == k->min);
}

static const struct vtype vt_setto = { "nothing", 0, setto_parse, setto_dump, setto_eq, VT_VALUE };

/* state MASTER|BACKUP. keepalived 2.2.7 compares case-sensitively and
 * reads "master" as BACKUP; vigil takes the evident intent and says so. */
static const struct kw_enum start_states[] = {
	{ "BACKUP", VRRP_START_BACKUP }, { "MASTER", VRRP_START_MASTER }, { NULL, 0 }
};

static bool state_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	int v = 0;
	(void)k;
	if (!stmt_nargs(p, s, 1, 1))
		return false;
	const struct kw_enum *e = start_states;
	while (e->name && strcasecmp(e->name, s->args[0].text) != 0)
		e++;
	/* keepalived 2.2.7: "unknown state 'SLAVE', defaulting to BACKUP", and
	 * it runs. So does vigil. */
	if (!e->name) {
		p_warn(p, s->args[0].pos, "state '%s' is not known; taken as BACKUP, as keepalived "
		       "does; write BACKUP or MASTER", s->args[0].text);
		*(int *)f = VRRP_START_BACKUP;
		return true;
	}
	v = e->value;
	const char *canon = enum_name(start_states, v);
	if (strcmp(s->args[0].text, canon) != 0)
		p_warn(p, s->args[0].pos, "state '%s' taken as %s; write %s (keepalived reads "
		       "anything but upper-case MASTER as BACKUP)", s->args[0].text, canon, canon);
	*(int *)f = v;
	return true;
}

static void state_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	out_word(o, enum_name(start_states, *(const int *)f));
}

static bool int_field_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	return *(const int *)a == *(const int *)b;
}

static const struct vtype vt_state = { "MASTER|BACKUP", 1, state_parse, state_dump,
				       int_field_eq, VT_VALUE };

/* nopreempt [WORD]: keepalived 2.2.7 takes no value and ignores any word
 * after it, so "nopreempt off" and "nopreempt 1" both set nopreempt. vigil
 * does the same and says so. The field is vrrp_instance.preempt; where
 * the keyword was is kept for instance_finish's MASTER check. */
static bool nopreempt_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	struct vrrp_instance *v = (struct vrrp_instance *)(void *)((char *)f -
		offsetof(struct vrrp_instance, preempt));
	if (s->nargs)
		p_warn(p, s->args[0].pos, "'%s %s': keepalived ignores the value and sets %s, and "
		       "so does vigil; write %s alone, or remove it to preempt", k->name,
		       s->args[0].text, k->name, k->name);
	*(bool *)f = false;
	v->nopreempt_pos = s->kw->pos;
	return true;
}

static void nopreempt_dump(struct out *o, const struct kw *k, const void *f)
{
	vt_flag.dump(o, k, f);
}

static bool nopreempt_eq(const struct kw *k, const void *a, const void *b)
{
	return vt_flag.eq(k, a, b);
}

static const struct vtype vt_nopreempt = { "a flag", -1, nopreempt_parse, nopreempt_dump,
					   nopreempt_eq, VT_VALUE };

/* mcast_src_ip / unicast_src_ip ADDR: keepalived drops a prefix length. */
static bool src_ip_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	return stmt_nargs(p, s, 1, 1) && parse_addr_drop_prefix(p, &s->args[0], k->name, f);
}

static const struct vtype vt_src_ip = { "an address", 1, src_ip_parse, kw_addr_dump,
					kw_addr_eq, VT_VALUE };

/* BFD intervals: milliseconds with up to 3 decimals (keepalived's
 * resolution is one microsecond), kept in microseconds. */
static bool msec_parse_word(struct pctx *p, const struct kw *k, const struct lex_word *w,
			    uint64_t *usec)
{
	const char *s = w->text;
	uint64_t whole = 0, frac = 0;
	int fdigits = 0;
	bool digits = false;

	for (; *s >= '0' && *s <= '9'; s++, digits = true)
		if ((whole = whole * 10 + (uint64_t)(*s - '0')) > UINT32_MAX)
			break;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9' && fdigits < 3; s++, fdigits++, digits = true)
			frac = frac * 10 + (uint64_t)(*s - '0');
	if (!digits || *s) {
		p_error(p, w->pos, "%s must be milliseconds with at most 3 decimals "
			"(like 10 or 3.312), not '%s'", k->name, w->text);
		return false;
	}
	for (; fdigits < 3; fdigits++)
		frac *= 10;
	uint64_t v = whole * 1000 + frac;
	if ((long long)v < k->min || (long long)v > k->max) {
		p_error(p, w->pos, "%s %s is out of range; use %lld..%lld ms", k->name, w->text,
			k->min / 1000, k->max / 1000);
		return false;
	}
	*usec = v;
	return true;
}

static bool msec_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	return stmt_nargs(p, s, 1, 1) && msec_parse_word(p, k, &s->args[0], f);
}

static void msec_dump(struct out *o, const struct kw *k, const void *f)
{
	uint64_t v = *(const uint64_t *)f;
	char frac[4];
	(void)k;
	snprintf(frac, sizeof(frac), "%03u", (unsigned)(v % 1000));
	for (int i = 2; i >= 0 && frac[i] == '0'; i--)
		frac[i] = '\0';
	out_printf(o, " %llu%s%s", (unsigned long long)(v / 1000), frac[0] ? "." : "", frac);
}

static bool u64_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	return *(const uint64_t *)a == *(const uint64_t *)b;
}

static const struct vtype vt_msec = { "milliseconds", 1, msec_parse, msec_dump, u64_eq, VT_VALUE };

/* "delay X" of vrrp_track_process sets fork_delay and terminate_delay. */
static bool delay_both_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	uint64_t v = 0;
	uint64_t *pair = f;
	if (!stmt_nargs(p, s, 1, 1) || !parse_timer_word(p, &s->args[0], k->min, k->max, k->name, &v))
		return false;
	pair[0] = pair[1] = v;
	return true;
}

/* Only ever used on KW_ALIAS rows: the two fields dump themselves. */
static const struct vtype vt_delay_both = { "a time in seconds", 1, delay_both_parse, NULL,
					    NULL, VT_VALUE };

/* "process NAME [PARAM...]": kept as words, because keepalived matches the
 * name and each parameter exactly (a quoted word with spaces is one). */
static bool argv_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	struct proc_argv *a = f;
	(void)k;
	if (!stmt_nargs(p, s, 1, SIZE_MAX))
		return false;
	a->argv = arena_zalloc(p->a, s->nargs * sizeof(*a->argv));
	for (size_t i = 0; i < s->nargs; i++)
		a->argv[i] = word_dup(p, &s->args[i]);
	a->argc = s->nargs;
	return true;
}

static void argv_dump(struct out *o, const struct kw *k, const void *f)
{
	const struct proc_argv *a = f;
	(void)k;
	for (size_t i = 0; i < a->argc; i++)
		out_word(o, a->argv[i]);
}

static bool argv_eq(const struct kw *k, const void *x, const void *y)
{
	const struct proc_argv *a = x, *b = y;
	(void)k;
	if (a->argc != b->argc)
		return false;
	for (size_t i = 0; i < a->argc; i++)
		if (strcmp(a->argv[i], b->argv[i]) != 0)
			return false;
	return true;
}

static const struct vtype vt_argv = { "a name [parameters]", -1, argv_parse, argv_dump,
				      argv_eq, VT_VALUE };

/* MAC addresses of use_vmac: 5 octets (the VRID completes them) or 6. */
static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static bool mac_parse(const char *s, uint8_t mac[6], uint8_t *len)
{
	unsigned n = 0;
	for (;;) {
		int hi = hexval(s[0]), lo = hi < 0 ? -1 : hexval(s[1]);
		if (hi < 0 || n == 6)
			return false;
		/* one or two hex digits per octet, as ether_aton takes them */
		mac[n++] = (uint8_t)(lo < 0 ? hi : hi * 16 + lo);
		s += lo < 0 ? 1 : 2;
		if (*s != ':')
			break;
		s++;
	}
	*len = (uint8_t)n;
	return *s == '\0' && n >= 5;
}

static bool vmac_mac(struct pctx *p, const struct lex_word *w, struct vmac *vm)
{
	static const uint8_t rfc5798[5] = { 0x00, 0x00, 0x5e, 0x00, 0x01 };
	if (!mac_parse(w->text, vm->mac, &vm->mac_len)) {
		p_error(p, w->pos, "'%s' is not a MAC address; use 5 or 6 hex octets "
			"like 02:00:00:00:01 (the virtual_router_id completes 5)", w->text);
		return false;
	}
	if (vm->mac[0] & 1) {
		p_error(p, w->pos, "VMAC address %s is a multicast address; use a unicast "
			"one (first octet even, e.g. 02:...)", w->text);
		return false;
	}
	if (memcmp(vm->mac, rfc5798, sizeof(rfc5798)) == 0) {
		p_error(p, w->pos, "VMAC address %s is in the RFC 5798 range, which "
			"use_vmac uses by default; leave the address out or pick another", w->text);
		return false;
	}
	return true;
}

static bool vmac_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	struct vmac vm = { .on = true };
	(void)k;
	if (!stmt_nargs(p, s, 0, 2))
		return false;
	for (size_t i = 0; i < s->nargs; i++) {
		const struct lex_word *w = &s->args[i];
		/* Linux interface names cannot hold ':', MAC addresses always do. */
		if (strchr(w->text, ':')) {
			if (!vmac_mac(p, w, &vm))
				return false;
		} else if (i == 0 && w->len < 16) {
			vm.ifname = word_dup(p, w);
		} else {
			p_error(p, w->pos, "'%s' is neither an interface name (at most 15 "
				"characters, first) nor a MAC address", w->text);
			return false;
		}
	}
	*(struct vmac *)f = vm;
	return true;
}

static void vmac_dump(struct out *o, const struct kw *k, const void *f)
{
	const struct vmac *vm = f;
	(void)k;
	if (vm->ifname)
		out_word(o, vm->ifname);
	for (unsigned i = 0; i < vm->mac_len; i++)
		out_printf(o, "%s%02x", i ? ":" : " ", vm->mac[i]);
}

static bool vmac_eq(const struct kw *k, const void *a, const void *b)
{
	const struct vmac *x = a, *y = b;
	(void)k;
	return x->on == y->on && str_same(x->ifname, y->ifname) && x->mac_len == y->mac_len &&
	       memcmp(x->mac, y->mac, x->mac_len) == 0;
}

static const struct vtype vt_vmac = { "[ifname] [MAC]", -1, vmac_parse, vmac_dump, vmac_eq,
				      VT_VALUE };

/* use_ipvlan [IFNAME] [ADDR[/N]] [bridge|private|vepa], in that order. */
static const struct kw_enum ipvlan_modes[] = {
	{ "bridge", CONF_IPVLAN_BRIDGE }, { "private", CONF_IPVLAN_PRIVATE }, { "vepa", CONF_IPVLAN_VEPA },
	{ NULL, 0 }
};

static bool ipvlan_word(struct pctx *p, const struct lex_word *w, size_t i, struct ipvlan *iv)
{
	for (const struct kw_enum *e = ipvlan_modes; e->name; e++)
		if (strcmp(w->text, e->name) == 0) {
			iv->mode = e->value;
			return true;
		}
	struct vaddr a;
	if (!vaddr_parse(w->text, true, &a)) {
		iv->addr = a;
		return true;
	}
	if (i == 0 && w->len < 16) {
		iv->ifname = word_dup(p, w);
		return true;
	}
	p_error(p, w->pos, "'%s' is not an interface name (first), an address or a mode "
		"(bridge|private|vepa)", w->text);
	return false;
}

static bool ipvlan_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	struct ipvlan iv = { .on = true, .mode = CONF_IPVLAN_BRIDGE };
	(void)k;
	if (!stmt_nargs(p, s, 0, 3))
		return false;
	for (size_t i = 0; i < s->nargs; i++)
		if (!ipvlan_word(p, &s->args[i], i, &iv))
			return false;
	*(struct ipvlan *)f = iv;
	return true;
}

static void ipvlan_dump(struct out *o, const struct kw *k, const void *f)
{
	const struct ipvlan *iv = f;
	char buf[VADDR_STRLEN];
	(void)k;
	if (iv->ifname)
		out_word(o, iv->ifname);
	if (vaddr_is_set(&iv->addr))
		out_word(o, vaddr_format(&iv->addr, buf, sizeof(buf)));
	if (iv->mode != CONF_IPVLAN_BRIDGE)
		out_word(o, enum_name(ipvlan_modes, iv->mode));
}

static bool ipvlan_eq(const struct kw *k, const void *a, const void *b)
{
	const struct ipvlan *x = a, *y = b;
	(void)k;
	return x->on == y->on && str_same(x->ifname, y->ifname) &&
	       vaddr_equal(&x->addr, &y->addr) && x->mode == y->mode;
}

static const struct vtype vt_ipvlan = { "[ifname] [address] [mode]", -1, ipvlan_parse,
					ipvlan_dump, ipvlan_eq, VT_VALUE };

/* garp_extra_if [all] SECONDS: whole seconds, 0..86400 as in keepalived. */
static bool garp_extra_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	struct vrrp_garp_extra_if g = { 0, false };
	long long secs = 0;
	size_t i = 0;
	(void)k;
	if (!stmt_nargs(p, s, 1, 2))
		return false;
	if (s->nargs == 2) {
		if (strcmp(s->args[0].text, "all") != 0) {
			p_error(p, s->args[0].pos, "garp_extra_if takes [all] SECONDS; "
				"'%s' is not 'all'", s->args[0].text);
			return false;
		}
		g.all = true;
		i = 1;
	}
	if (!parse_ll(p, &s->args[i], 0, 86400, "garp_extra_if", &secs))
		return false;
	g.interval = (uint64_t)SEC(secs);
	*(struct vrrp_garp_extra_if *)f = g;
	return true;
}

static void garp_extra_dump(struct out *o, const struct kw *k, const void *f)
{
	const struct vrrp_garp_extra_if *g = f;
	(void)k;
	out_printf(o, "%s %llu", g->all ? " all" : "", (unsigned long long)(g->interval / 1000000));
}

static bool garp_extra_eq(const struct kw *k, const void *a, const void *b)
{
	const struct vrrp_garp_extra_if *x = a, *y = b;
	(void)k;
	return x->interval == y->interval && x->all == y->all;
}

static const struct vtype vt_garp_extra_if = { "[all] seconds", -1, garp_extra_parse,
					       garp_extra_dump, garp_extra_eq, VT_VALUE };

/* old_unicast_checksum [never] */
static bool old_chksum_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	(void)k;
	if (!stmt_nargs(p, s, 0, 1))
		return false;
	if (s->nargs && strcmp(s->args[0].text, "never") != 0) {
		p_error(p, s->args[0].pos, "old_unicast_checksum takes nothing or 'never', "
			"not '%s'", s->args[0].text);
		return false;
	}
	*(int *)f = s->nargs ? OLD_CHKSUM_NEVER : OLD_CHKSUM_ON;
	return true;
}

static void old_chksum_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	if (*(const int *)f == OLD_CHKSUM_NEVER)
		out_printf(o, " never");
}

static const struct vtype vt_old_chksum = { "[never]", -1, old_chksum_parse, old_chksum_dump,
					    int_field_eq, VT_VALUE };

/* auth_pass: keepalived sends only 8 characters (RFC 2338 5.3.10), so a
 * longer one would not match a peer configured with the full string. */
static bool auth_pass_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	if (!vt_str.parse(p, k, s, f))
		return false;
	if (s->args[0].len > 8)
		p_warn(p, s->args[0].pos, "auth_pass has %zu characters; only the first 8 are "
		       "used", s->args[0].len);
	return true;
}

static void auth_pass_dump(struct out *o, const struct kw *k, const void *f)
{
	vt_str.dump(o, k, f);
}

static bool auth_pass_eq(const struct kw *k, const void *a, const void *b)
{
	return vt_str.eq(k, a, b);
}

static const struct vtype vt_auth_pass = { "a password", 1, auth_pass_parse, auth_pass_dump,
					   auth_pass_eq, VT_VALUE };

#define KW_WEIGHT(n, T, f, lo, hi, E) { n, &vt_weight, KW_FIELD(T, f), lo, hi, NULL, 0, NULL, E }
#define KW_TRI(n, T, f, E)            { n, &vt_tri, KW_FIELD(T, f), 0, 0, NULL, 0, NULL, E }
#define KW_NOTIFY(n, T, f, E)         { n, &vt_notify, KW_FIELD(T, f), 0, 0, NULL, 0, NULL, E }
#define KW_MSEC(n, T, f, lo, hi, E)   { n, &vt_msec, KW_FIELD(T, f), lo, hi, NULL, 0, NULL, E }
#define KW_SETTO(n, T, f, v, E)       { n, &vt_setto, KW_FIELD(T, f), v, 0, NULL, 0, NULL, E }
#define KW_ALIAS_OF(n, ty, T, f, E)   { n, &ty, KW_FIELD(T, f), 0, 0, NULL, KW_ALIAS, NULL, E }

/* ---- item lines: tracked objects, peers, names ------------------------------- */

/* "NAME [weight N] [reverse|noreverse]". The man page gives -253..253 for
 * interfaces, scripts and BFD, -254..254 for files and processes. */
#define TRACK_OPTS(lo, hi) { \
	KW_INT("weight", struct track_ref, weight, lo, hi, ACTS), \
	KW_FLAG("reverse", struct track_ref, reverse, ACTS), \
	{ "noreverse", &vt_flag, KW_FIELD(struct track_ref, reverse), 0, 0, NULL, \
	  KW_ALIAS | KW_INVERT, NULL, ACTS }, \
	{ "no_reverse", &vt_flag, KW_FIELD(struct track_ref, reverse), 0, 0, NULL, \
	  KW_ALIAS | KW_INVERT, NULL, ACTS }, \
	KW_END }

static const struct kw track253_opts[] = TRACK_OPTS(-253, 253);
static const struct kw track254_opts[] = TRACK_OPTS(-254, 254);

static void track_init(void *item)
{
	((struct track_ref *)item)->weight = TRACK_WEIGHT_UNSET;
}

static bool track_parse(struct pctx *p, struct track_ref *t, const struct stmt *s,
			const struct kw *opts)
{
	t->name = word_dup(p, s->kw);
	if (!parse_options(p, opts, t, s->args, s->nargs))
		return false;
	/* keepalived ignores "reverse" without a weight; honouring it would
	 * turn "fault when down" into "fault when up". */
	if (t->reverse && t->weight == TRACK_WEIGHT_UNSET) {
		p_error(p, s->kw->pos, "%s: reverse needs a weight; write %s weight N reverse",
			t->name, t->name);
		return false;
	}
	return true;
}

static bool track253_parse(struct pctx *p, void *item, const struct stmt *s)
{
	return track_parse(p, item, s, track253_opts);
}

static bool track254_parse(struct pctx *p, void *item, const struct stmt *s)
{
	return track_parse(p, item, s, track254_opts);
}

static void track_dump(struct out *o, const void *item)
{
	const struct track_ref *t = item;
	const struct node *n = item;
	out_lead_word(o, t->name);
	dump_options(o, track253_opts, t, block_template(n->desc));
}

static bool track_eq(const void *a, const void *b)
{
	const struct track_ref *x = a, *y = b;
	return str_same(x->name, y->name) && fields_eq(track253_opts, x, y);
}

#define TRACK_DESC(var, nm, parse, opt) struct block_desc var = { .name = nm, \
	.size = sizeof(struct track_ref), .init = track_init, .parse_item = parse, \
	.dump_item = track_dump, .item_eq = track_eq, \
	.opts = (const struct kw *const[]){ opt, NULL } }

static TRACK_DESC(desc_track_if_item, "track_interface", track253_parse, track253_opts);
static TRACK_DESC(desc_track_script_item, "track_script", track253_parse, track253_opts);
static TRACK_DESC(desc_track_bfd_item, "track_bfd", track253_parse, track253_opts);
static TRACK_DESC(desc_track_file_item, "track_file", track254_parse, track254_opts);
static TRACK_DESC(desc_track_process_item, "track_process", track254_parse, track254_opts);

/* A bare name per word: group { VI_1 VI_2 }, interfaces { eth0 eth1 }. */
static bool name_parse(struct pctx *p, void *item, const struct stmt *s)
{
	((struct name_item *)item)->name = word_dup(p, s->kw);
	return true;
}

static void name_dump(struct out *o, const void *item)
{
	out_lead_word(o, ((const struct name_item *)item)->name);
}

static bool name_eq(const void *a, const void *b)
{
	return str_same(((const struct name_item *)a)->name, ((const struct name_item *)b)->name);
}

static struct block_desc desc_sync_member_item = {
	.name = "group", .size = sizeof(struct name_item), .parse_item = name_parse,
	.dump_item = name_dump, .item_eq = name_eq, .per_word = true,
};

static struct block_desc desc_garp_if_item = {
	.name = "interfaces", .size = sizeof(struct name_item), .parse_item = name_parse,
	.dump_item = name_dump, .item_eq = name_eq, .per_word = true,
};

/* unicast_peer { ADDR [min_ttl N] [max_ttl N] } */
static const struct kw peer_opts[] = {
	KW_INT("min_ttl", struct unicast_peer, min_ttl, 0, 255, ACTS),
	KW_INT("max_ttl", struct unicast_peer, max_ttl, 0, 255, ACTS),
	KW_END
};

static void peer_init(void *item)
{
	struct unicast_peer *u = item;
	u->min_ttl = VRRP_UNSET;
	u->max_ttl = VRRP_UNSET;
}

static bool peer_parse(struct pctx *p, void *item, const struct stmt *s)
{
	struct unicast_peer *u = item;
	if (!parse_addr_drop_prefix(p, s->kw, "unicast_peer", &u->addr) ||
	    !parse_options(p, peer_opts, u, s->args, s->nargs))
		return false;
	if (u->min_ttl != VRRP_UNSET && u->max_ttl != VRRP_UNSET && u->min_ttl > u->max_ttl) {
		p_error(p, s->kw->pos, "unicast peer %s: min_ttl %d is above max_ttl %d; "
			"swap them", s->kw->text, u->min_ttl, u->max_ttl);
		return false;
	}
	return true;
}

static void peer_dump(struct out *o, const void *item)
{
	const struct unicast_peer *u = item;
	char buf[VADDR_STRLEN];
	out_printf(o, "%s", vaddr_format(&u->addr, buf, sizeof(buf)));
	dump_options(o, peer_opts, u, block_template(u->node.desc));
}

static bool peer_eq(const void *a, const void *b)
{
	const struct unicast_peer *x = a, *y = b;
	return vaddr_equal(&x->addr, &y->addr) && fields_eq(peer_opts, x, y);
}

static struct block_desc desc_unicast_peer_item = {
	.name = "unicast_peer", .size = sizeof(struct unicast_peer), .init = peer_init,
	.parse_item = peer_parse, .dump_item = peer_dump, .item_eq = peer_eq,
	.opts = (const struct kw *const[]){ peer_opts, NULL },
};

/* ---- vrrp_script -------------------------------------------------------------- */

#define S struct vrrp_script

static void script_init(void *obj)
{
	S *s = obj;
	s->interval = SEC(1);
	s->rise = 1;
	s->fall = 1;
}

static const struct kw script_kws[] = {
	KW_CMD("script", S, script, ACTS),
	/* keepalived takes whole seconds 1..4294; fractions are honoured here. */
	KW_TIMER("interval", S, interval, 1, SEC(4294), ACTS),
	KW_TIMER("timeout", S, timeout, 1, SEC(4294), ACTS),
	KW_WEIGHT("weight", S, weight, -253, 253, ACTS),
	KW_INT("rise", S, rise, 1, INT_MAX, ACTS),
	KW_INT("fall", S, fall, 1, INT_MAX, ACTS),
	KW_TYPE("user", vt_script_user, S, user, ACTS),
	KW_FLAG("init_fail", S, init_fail, ACTS),
	KW_END
};

struct block_desc desc_vrrp_script = {
	.name = "vrrp_script", .size = sizeof(S), .init = script_init, .kws = script_kws,
	.head = head_name, .dump_head = dump_head_name, .head_eq = head_eq_name,
};

#undef S

/* ---- vrrp_track_process ---------------------------------------------------------- */

#define P struct track_process

static const struct kw_enum param_matches[] = {
	{ "partial", PARAM_MATCH_PARTIAL }, { "initial", PARAM_MATCH_INITIAL }, { NULL, 0 }
};

static void process_init(void *obj)
{
	P *t = obj;
	t->weight.value = 1;
	t->quorum = 1;
	t->quorum_max = VRRP_UNSET;
}

static void process_finish(struct pctx *p, void *obj, struct srcpos pos)
{
	P *t = obj;
	if (!t->process.argc)
		p_error(p, pos, "vrrp_track_process %s has no process line; add: process NAME "
			"[ARGS...]", t->hdr.name ? t->hdr.name : "");
	if (t->quorum_max != VRRP_UNSET && t->quorum_max < t->quorum)
		p_error(p, pos, "vrrp_track_process %s: quorum_max %d is below quorum %d; "
			"raise quorum_max or lower quorum", t->hdr.name ? t->hdr.name : "",
			t->quorum_max, t->quorum);
}

static const struct kw process_kws[] = {
	KW_TYPE("process", vt_argv, P, process, ACTS),
	KW_ENUM("param_match", P, param_match, param_matches, ACTS),
	KW_WEIGHT("weight", P, weight, -254, 254, ACTS),
	KW_INT("quorum", P, quorum, 1, 65535, ACTS),
	KW_INT("quorum_max", P, quorum_max, 0, 65535, ACTS),
	KW_TIMER("fork_delay", P, delay.fork, 1, SEC(3600), ACTS),
	KW_TIMER("terminate_delay", P, delay.terminate, 1, SEC(3600), ACTS),
	{ "delay", &vt_delay_both, KW_FIELD(P, delay), 1, SEC(3600), NULL, KW_ALIAS, NULL,
	  ACTS },
	KW_FLAG("full_command", P, full_command, ACTS),
	KW_END
};

struct block_desc desc_track_process = {
	.name = "vrrp_track_process", .size = sizeof(P), .init = process_init,
	.kws = process_kws, .finish = process_finish,
	.head = head_name, .dump_head = dump_head_name, .head_eq = head_eq_name,
};

#undef P

/* ---- bfd_instance ------------------------------------------------------------------ */

#define B struct bfd_instance

static void bfd_init(void *obj)
{
	B *b = obj;
	b->min_rx = 10000;
	b->min_tx = 10000;
	b->idle_tx = 1000000;
	b->multiplier = 5;
	b->ttl = 255;
	b->hoplimit = 64;
}

static void bfd_finish(struct pctx *p, void *obj, struct srcpos pos)
{
	B *b = obj;
	const char *name = b->hdr.name ? b->hdr.name : "";
	if (!vaddr_is_set(&b->neighbor_ip)) {
		p_error(p, pos, "bfd_instance %s has no neighbor_ip; add: neighbor_ip ADDRESS", name);
		return;
	}
	if (vaddr_is_set(&b->source_ip) && b->source_ip.family != b->neighbor_ip.family) {
		p_error(p, pos, "bfd_instance %s: source_ip is %s but neighbor_ip is %s; use "
			"one family", name, family_name(b->source_ip.family),
			family_name(b->neighbor_ip.family));
		return;
	}
	int limit = b->neighbor_ip.family == AF_INET6 ? b->hoplimit : b->ttl;
	if (b->max_hops > limit && b->max_hops != 255)
		p_warn(p, pos, "bfd_instance %s: max_hops %d exceeds the %s %d sent; keepalived "
		       "lowers it to %d", name, b->max_hops,
		       b->neighbor_ip.family == AF_INET6 ? "hoplimit" : "ttl", limit, limit);
}

static const struct kw bfd_kws[] = {
	KW_ADDR("neighbor_ip", B, neighbor_ip, NO_EFFECT(WHY_INSIDE)),
	KW_ALIAS_OF("neighbour_ip", vt_addr, B, neighbor_ip, NO_EFFECT(WHY_INSIDE)),
	KW_ADDR("source_ip", B, source_ip, NO_EFFECT(WHY_INSIDE)),
	KW_MSEC("min_rx", B, min_rx, 1000, 4294967000LL, NO_EFFECT(WHY_INSIDE)),
	KW_MSEC("min_tx", B, min_tx, 1000, 4294967000LL, NO_EFFECT(WHY_INSIDE)),
	KW_MSEC("idle_tx", B, idle_tx, 1000, 4294967000LL, NO_EFFECT(WHY_INSIDE)),
	KW_INT("multiplier", B, multiplier, 1, 255, NO_EFFECT(WHY_INSIDE)),
	KW_FLAG("passive", B, passive, NO_EFFECT(WHY_INSIDE)),
	KW_INT("ttl", B, ttl, 1, 255, NO_EFFECT(WHY_INSIDE)),
	KW_INT("hoplimit", B, hoplimit, 1, 255, NO_EFFECT(WHY_INSIDE)),
	KW_INT("max_hops", B, max_hops, -1, 255, NO_EFFECT(WHY_INSIDE)),
	KW_WEIGHT("weight", B, weight, -253, 253, NO_EFFECT(WHY_INSIDE)),
	KW_FLAG("vrrp", B, vrrp_only, NO_EFFECT(WHY_INSIDE)),
	KW_FLAG("checker", B, checker_only, NO_EFFECT(WHY_INSIDE)),
	KW_END
};

struct block_desc desc_bfd_instance = {
	.name = "bfd_instance", .size = sizeof(B), .init = bfd_init, .kws = bfd_kws,
	.finish = bfd_finish,
	.head = head_name, .dump_head = dump_head_name, .head_eq = head_eq_name,
};

#undef B

/* ---- vrrp_sync_group ------------------------------------------------------------------ */

#define G struct vrrp_sync_group

static void sync_group_init(void *obj)
{
	G *g = obj;
	g->notify_priority_changes = TRI_UNSET;
	g->smtp_alert = TRI_UNSET;
}

static bool bare_member(struct pctx *p, void *obj, const struct stmt *s);

static const struct kw sync_group_kws[] = {
	KW_ITEMS("group", G, members, desc_sync_member_item, ACTS),
	KW_ITEMS("track_interface", G, track_interfaces, desc_track_if_item, ACTS),
	KW_ITEMS("track_script", G, track_scripts, desc_track_script_item, ACTS),
	KW_ITEMS("track_file", G, track_files, desc_track_file_item, ACTS),
	KW_ITEMS("track_process", G, track_processes, desc_track_process_item, ACTS),
	KW_ITEMS("track_bfd", G, track_bfds, desc_track_bfd_item, NO_EFFECT(WHY_BFD)),
	KW_NOTIFY("notify_master", G, notify_master, ACTS),
	KW_NOTIFY("notify_backup", G, notify_backup, ACTS),
	KW_NOTIFY("notify_fault", G, notify_fault, ACTS),
	KW_NOTIFY("notify_stop", G, notify_stop, ACTS),
	KW_NOTIFY("notify", G, notify, ACTS),
	KW_TRI("notify_priority_changes", G, notify_priority_changes, ACTS),
	KW_TRI("smtp_alert", G, smtp_alert, ACTS),
	KW_FLAG("sync_group_tracking_weight", G, sync_group_tracking_weight,
	  NO_EFFECT(WHY_SYNC_TRACKING)),
	/* keepalived reads the deprecated global_tracking as
	 * sync_group_tracking_weight. */
	{ "global_tracking", &vt_flag, KW_FIELD(G, sync_group_tracking_weight), 0, 0, NULL,
	  KW_ALIAS | KW_DEPRECATED, "track_interface/track_script/track_file on the sync "
	  "group (read as sync_group_tracking_weight)", NO_EFFECT(WHY_SYNC_TRACKING) },
	KW_END
};

struct block_desc desc_vrrp_sync_group = {
	.name = "vrrp_sync_group", .size = sizeof(G), .init = sync_group_init,
	.kws = sync_group_kws, .unknown = bare_member,
	.head = head_name, .dump_head = dump_head_name, .head_eq = head_eq_name,
};

#undef G

/* ---- garp_group ------------------------------------------------------------------------ */

#define GG struct garp_group

static void garp_group_finish(struct pctx *p, void *obj, struct srcpos pos)
{
	GG *g = obj;
	if (g->interface && g->interfaces.n)
		p_error(p, pos, "garp_group has both interface and interfaces; use interface "
			"for one link, interfaces { } for links sharing a switch");
	else if (!g->interface && !g->interfaces.n)
		p_warn(p, pos, "garp_group names no interface; it has no effect (add interface "
		       "IFNAME or interfaces { ... })");
	if (!g->garp_interval && !g->gna_interval)
		p_warn(p, pos, "garp_group sets neither garp_interval nor gna_interval; it has "
		       "no effect");
}

static const struct kw garp_group_kws[] = {
	KW_TIMER("garp_interval", GG, garp_interval, 0, 2147483647LL, ACTS),
	KW_TIMER("gna_interval", GG, gna_interval, 0, 2147483647LL, ACTS),
	KW_STR("interface", GG, interface, ACTS),
	KW_ITEMS("interfaces", GG, interfaces, desc_garp_if_item, ACTS),
	KW_END
};

struct block_desc desc_garp_group = {
	.name = "garp_group", .size = sizeof(GG), .kws = garp_group_kws,
	.finish = garp_group_finish,
};

#undef GG

/* ---- vrrp_instance ------------------------------------------------------------------------ */

#define A struct vrrp_auth

static const struct kw_enum auth_types[] = {
	{ "PASS", CONF_AUTH_PASS }, { "AH", CONF_AUTH_AH }, { NULL, 0 }
};

/* auth_type: keepalived's names, but AH is refused. vigil does not
 * implement IPsec AH (RFC 2338 section 5.3.6.3): accepting it would run
 * the instance with no authentication at all, so an unauthenticated
 * advert of priority 254 could take the addresses while the operator
 * believes the adverts are authenticated. */
static bool auth_type_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	int v = *(int *)f;
	if (!vt_enum.parse(p, k, s, &v))
		return false;
	if (v == CONF_AUTH_AH) {
		p_error(p, s->args[0].pos, "auth_type AH: vigil has no IPsec AH, and running "
			"without it would accept unauthenticated adverts; use auth_type PASS, or "
			"remove the authentication block (VRRPv3 has none)");
		/* Kept, though the file is refused: the block's check should
		 * not add "auth_pass but no auth_type" to this error. */
		*(int *)f = v;
		return false;
	}
	*(int *)f = v;
	return true;
}

static void auth_type_dump(struct out *o, const struct kw *k, const void *f)
{
	vt_enum.dump(o, k, f);
}

static bool auth_type_eq(const struct kw *k, const void *a, const void *b)
{
	return vt_enum.eq(k, a, b);
}

static const struct vtype vt_auth_type = {
	"PASS", 1, auth_type_parse, auth_type_dump, auth_type_eq, VT_VALUE
};

static void auth_finish(struct pctx *p, void *obj, struct srcpos pos)
{
	A *a = obj;
	if (a->type != CONF_AUTH_NONE && !a->pass)
		p_warn(p, pos, "authentication has auth_type but no auth_pass; keepalived "
		       "ignores it (add auth_pass)");
	else if (a->type == CONF_AUTH_NONE && a->pass)
		p_warn(p, pos, "authentication has auth_pass but no auth_type; it has no effect "
		       "(add auth_type PASS)");
}

static const struct kw auth_kws[] = {
	{ "auth_type", &vt_auth_type, KW_FIELD(A, type), 0, 0, auth_types, 0, NULL, ACTS },
	{ "auth_pass", &vt_auth_pass, KW_FIELD(A, pass), 0, 0, NULL, 0, NULL, ACTS },
	KW_END
};

static struct block_desc desc_vrrp_auth = {
	.name = "authentication", .size = sizeof(A), .kws = auth_kws, .finish = auth_finish,
};

#undef A

#define I struct vrrp_instance

static void instance_init(void *obj)
{
	I *v = obj;
	v->state = VRRP_START_BACKUP;
	v->priority = 100;
	v->advert_int = SEC(1);
	v->version = VRRP_UNSET;
	v->preempt = true;
	v->unicast_ttl = 255;
	v->accept = TRI_UNSET;
	v->check_unicast_src = TRI_UNSET;
	v->check_unicast_ttl = TRI_UNSET;
	v->skip_check_adv_addr = TRI_UNSET;
	v->strict_mode = TRI_UNSET;
	v->garp_master_delay = VRRP_UNSET_TIMER;
	v->garp_master_repeat = VRRP_UNSET;
	v->garp_master_refresh = VRRP_UNSET_TIMER;
	v->garp_master_refresh_repeat = VRRP_UNSET;
	v->garp_lower_prio_delay = VRRP_UNSET_TIMER;
	v->garp_lower_prio_repeat = VRRP_UNSET;
	v->garp_extra_if.interval = VRRP_UNSET_TIMER;
	v->down_timer_adverts = VRRP_UNSET;
	v->lower_prio_no_advert = TRI_UNSET;
	v->higher_prio_send_advert = TRI_UNSET;
	v->notify_priority_changes = TRI_UNSET;
	v->smtp_alert = TRI_UNSET;
}

/* interface IFNAME. A loopback cannot carry VRRP: every advert sent
 * there comes straight back to the sender, which then hears only itself
 * (issue 14: a storm of answers). keepalived ignores such an instance;
 * vigil refuses the file, so that -t says so before anything runs. The
 * name is what -t can know; the VRRP engine also refuses any interface
 * the kernel flags IFF_LOOPBACK. */
static bool vrrp_iface_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	(void)k;
	if (!stmt_nargs(p, s, 1, 1))
		return false;
	if (s->args[0].len == 2 && memcmp(s->args[0].text, "lo", 2) == 0) {
		p_error(p, stmt_pos(s, 0), "cannot use a loopback interface (lo) for vrrp; name "
			"the interface that faces the other routers");
		return false;
	}
	*(char **)f = arena_strndup(p->a, s->args[0].text, s->args[0].len);
	return true;
}

static const struct vtype vt_vrrp_iface = { "an interface name", 1, vrrp_iface_parse,
					    kw_str_dump, kw_str_eq, VT_VALUE };

static void instance_finish(struct pctx *p, void *obj, struct srcpos pos);

static const struct kw instance_kws[] = {
	{ "state", &vt_state, KW_FIELD(I, state), 0, 0, NULL, 0, NULL, ACTS },
	KW_TYPE("interface", vt_vrrp_iface, I, interface, ACTS),
	KW_STR("vrf", I, vrf,
	  NO_EFFECT("vigil does not bind an instance's sockets to a VRF device; run vigild in the VRF with 'ip vrf exec NAME vigild'")),
	KW_TYPE("use_vmac", vt_vmac, I, use_vmac, ACTS),
	KW_FLAG("use_vmac_addr", I, use_vmac_addr,
	  NO_EFFECT("vigil makes the instance's own VMAC (use_vmac) only; a VIP on another interface keeps that interface's MAC")),
	KW_FLAG("vmac_xmit_base", I, vmac_xmit_base, ACTS),
	KW_TYPE("use_ipvlan", vt_ipvlan, I, use_ipvlan, ACTS),
	KW_FLAG("native_ipv6", I, native_ipv6,
	  NO_EFFECT("vigil takes an instance's address family from its first virtual_ipaddress (else its source address); put an IPv6 address first")),
	KW_FLAG("dont_track_primary", I, dont_track_primary, ACTS),
	KW_ITEMS("track_interface", I, track_interfaces, desc_track_if_item, ACTS),
	KW_ITEMS("track_script", I, track_scripts, desc_track_script_item, ACTS),
	KW_ITEMS("track_file", I, track_files, desc_track_file_item, ACTS),
	KW_ITEMS("track_process", I, track_processes, desc_track_process_item, ACTS),
	KW_ITEMS("track_bfd", I, track_bfds, desc_track_bfd_item, NO_EFFECT(WHY_BFD)),
	/* keepalived keeps one source address whichever name sets it. The
	 * dump says mcast_src_ip: keepalived reads unicast_src_ip without
	 * unicast_peer as a unicast setting and warns, the other way round
	 * it says nothing. */
	KW_TYPE("mcast_src_ip", vt_src_ip, I, src_ip, ACTS),
	KW_ALIAS_OF("unicast_src_ip", vt_src_ip, I, src_ip, ACTS),
	KW_ADDR("mcast_dst_ip", I, mcast_dst_ip, ACTS),
	KW_FLAG("track_src_ip", I, track_src_ip,
	  NO_EFFECT("vigil does not fault an instance when its source address goes away")),
	KW_ITEMS("unicast_peer", I, unicast_peers, desc_unicast_peer_item, ACTS),
	KW_FLAG("unicast_fault_no_peer", I, unicast_fault_no_peer,
	  NO_EFFECT("vigil does not fault a unicast instance that has no peers")),
	KW_TRI("check_unicast_src", I, check_unicast_src, ACTS),
	/* vigil: RFC 5798's TTL 255 rule for unicast adverts from peers on
	 * the link (issue 15); keepalived would report it as unknown. */
	KW_TRI("check_unicast_ttl", I, check_unicast_ttl, ACTS),
	KW_INT("unicast_ttl", I, unicast_ttl, 0, 255, ACTS),
	KW_TYPE("old_unicast_checksum", vt_old_chksum, I, old_unicast_checksum,
	  NO_EFFECT("vigil computes the unicast advert checksum as RFC 5798 says (keepalived 2.2.7's default)")),
	KW_INT("virtual_router_id", I, vrid, 1, 255, ACTS),
	KW_INT("priority", I, priority, 1, 255, ACTS),
	/* 0.01 s is VRRPv3's unit; 255 s the largest VRRPv2 Adver Int. */
	KW_TIMER("advert_int", I, advert_int, 10000, SEC(255), ACTS),
	KW_INT("version", I, version, 2, 3, ACTS),
	KW_BLOCK("authentication", I, auth, desc_vrrp_auth, ACTS),
	KW_ITEMS("virtual_ipaddress", I, vips, desc_ipaddress_item, ACTS),
	KW_ITEMS("virtual_ipaddress_excluded", I, evips, desc_ipaddress_item, ACTS),
	KW_ITEMS("virtual_routes", I, vroutes, desc_route_item, ACTS),
	KW_ITEMS("virtual_rules", I, vrules, desc_rule_item, ACTS),
	KW_FLAG("promote_secondaries", I, promote_secondaries, ACTS),
	KW_SETTO("accept", I, accept, TRI_ON, ACTS),
	KW_SETTO("no_accept", I, accept, TRI_OFF, ACTS),
	{ "nopreempt", &vt_nopreempt, KW_FIELD(I, preempt), 0, 0, NULL, KW_INVERT, NULL, ACTS },
	KW_ALIAS_OF("preempt", vt_flag, I, preempt, ACTS),
	KW_TIMER("preempt_delay", I, preempt_delay, 0, SEC(1000), ACTS),
	KW_TRI("skip_check_adv_addr", I, skip_check_adv_addr, NO_EFFECT(WHY_SKIP_ADV)),
	KW_TRI("strict_mode", I, strict_mode, ACTS),
	KW_INT("debug", I, debug, 0, 4,
	  NO_EFFECT("vigil has no per-instance debug level; start it with -D for detailed logs")),
	KW_TIMER("garp_master_delay", I, garp_master_delay, 0, SEC(4294), ACTS),
	KW_INT("garp_master_repeat", I, garp_master_repeat, 1, INT_MAX, ACTS),
	KW_TIMER("garp_master_refresh", I, garp_master_refresh, 0, SEC(4294967), ACTS),
	KW_INT("garp_master_refresh_repeat", I, garp_master_refresh_repeat, 1, INT_MAX, ACTS),
	KW_TIMER("garp_lower_prio_delay", I, garp_lower_prio_delay, 0, SEC(4294), ACTS),
	KW_INT("garp_lower_prio_repeat", I, garp_lower_prio_repeat, 0, INT_MAX, ACTS),
	KW_TYPE("garp_extra_if", vt_garp_extra_if, I, garp_extra_if, NO_EFFECT(WHY_EXTRA_IF)),
	KW_INT("down_timer_adverts", I, down_timer_adverts, 1, 100, ACTS),
	KW_TRI("lower_prio_no_advert", I, lower_prio_no_advert, ACTS),
	KW_TRI("higher_prio_send_advert", I, higher_prio_send_advert, NO_EFFECT(WHY_HIGHER_PRIO)),
	KW_NOTIFY("notify_master", I, notify_master, ACTS),
	KW_NOTIFY("notify_backup", I, notify_backup, ACTS),
	KW_NOTIFY("notify_fault", I, notify_fault, ACTS),
	KW_NOTIFY("notify_stop", I, notify_stop, ACTS),
	KW_NOTIFY("notify", I, notify, ACTS),
	KW_NOTIFY("notify_master_rx_lower_pri", I, notify_master_rx_lower_pri, ACTS),
	KW_TYPE("notify_deleted", vt_notify_deleted, I, notify_deleted, ACTS),
	KW_TRI("notify_priority_changes", I, notify_priority_changes, ACTS),
	KW_TRI("smtp_alert", I, smtp_alert, ACTS),
	KW_UINT("kernel_rx_buf_size", I, kernel_rx_buf_size, 0, LLONG_MAX, NO_EFFECT(WHY_BUFFERS)),
	{ "linkbeat_use_polling", &vt_flag, KW_FIELD(I, linkbeat_use_polling), 0, 0, NULL,
	  KW_DEPRECATED, "a top-level linkbeat_interfaces { IFNAME } block",
	    NO_EFFECT(WHY_LINKBEAT) },
	{ "lvs_sync_daemon_interface", &vt_str, KW_FIELD(I, lvs_sync_daemon_interface), 0, 0,
	  NULL, KW_DEPRECATED, "global_defs lvs_sync_daemon IFNAME VRRP_INSTANCE", NO_EFFECT("vigil does not start a sync daemon from this keyword; use global_defs lvs_sync_daemon IFNAME VRRP_INSTANCE") },
	KW_END
};

struct block_desc desc_vrrp_instance = {
	.name = "vrrp_instance", .size = sizeof(I), .init = instance_init, .kws = instance_kws,
	.finish = instance_finish,
	.head = head_name, .dump_head = dump_head_name, .head_eq = head_eq_name,
};

/* The address family the instance advertises for, as keepalived decides
 * it: native_ipv6, else the first VIP, else the source or a peer. */
static int instance_family(const I *v)
{
	if (v->native_ipv6)
		return AF_INET6;
	if (v->vips.first)
		return ((const struct ipaddr_item *)(const void *)v->vips.first)->addr.family;
	if (vaddr_is_set(&v->src_ip))
		return v->src_ip.family;
	if (v->unicast_peers.first)
		return ((const struct unicast_peer *)(const void *)v->unicast_peers.first)->addr.family;
	return AF_INET;
}

static const char *iname(const I *v)
{
	return v->hdr.name ? v->hdr.name : "";
}

/* RFC 3768 carries whole seconds (8 bits), RFC 5798 centiseconds (12 bits). */
static void check_advert_int(struct pctx *p, const I *v, struct srcpos pos, int family)
{
	int version = v->version != VRRP_UNSET ? v->version : family == AF_INET6 ? 3 : 0;

	if (version == 3 && v->advert_int > 40950000)
		p_error(p, pos, "(%s) advert_int %.2f s is too long for VRRPv3, which sends "
			"centiseconds in 12 bits; use at most 40.95", iname(v),
			(double)v->advert_int / 1e6);
	else if (version != 3 && v->advert_int % 1000000)
		p_warn(p, pos, "(%s) advert_int %.6g s is not whole seconds; VRRPv2%s sends "
		       "whole seconds and keepalived rounds it (write version 3 for "
		       "fractions)", iname(v), (double)v->advert_int / 1e6,
		       version ? "" : " (the default unless global_defs vrrp_version is 3)");
	else if (version == 3 && v->advert_int % 10000)
		p_warn(p, pos, "(%s) advert_int %.6g s is sent in centiseconds; the rest is "
		       "dropped", iname(v), (double)v->advert_int / 1e6);
}

/* Every address the instance talks to must be of its family. */
static void check_families(struct pctx *p, const I *v, int family)
{
	char buf[VADDR_STRLEN];
	struct srcpos pos = v->hdr.node.pos;

	if (vaddr_is_set(&v->src_ip) && v->src_ip.family != family)
		p_error(p, pos, "(%s) source address %s is %s but the instance is %s; use an "
			"address of the instance's family", iname(v),
			vaddr_format(&v->src_ip, buf, sizeof(buf)), family_name(v->src_ip.family),
			family_name(family));
	if (vaddr_is_set(&v->mcast_dst_ip) && (v->mcast_dst_ip.family != family ||
	    (family == AF_INET ? !IN_MULTICAST(ntohl(v->mcast_dst_ip.u.v4.s_addr))
			       : !IN6_IS_ADDR_MULTICAST(&v->mcast_dst_ip.u.v6))))
		p_error(p, pos, "(%s) mcast_dst_ip %s is not an %s multicast address",
			iname(v), vaddr_format(&v->mcast_dst_ip, buf, sizeof(buf)),
			family_name(family));
	for (LIST_EACH(const struct unicast_peer, u, &v->unicast_peers))
		if (u->addr.family != family)
			p_error(p, u->node.pos, "(%s) unicast peer %s is %s but the instance is "
				"%s", iname(v), vaddr_format(&u->addr, buf, sizeof(buf)),
				family_name(u->addr.family), family_name(family));
	for (LIST_EACH(const struct ipaddr_item, a, &v->vips))
		if (a->addr.family != family)
			p_warn(p, a->node.pos, "(%s) %s is %s but the instance is %s; keepalived "
			       "ignores it (move it to virtual_ipaddress_excluded)", iname(v),
			       vaddr_format(&a->addr, buf, sizeof(buf)),
			       family_name(a->addr.family), family_name(family));
}

/* Combinations keepalived accepts with a warning and then ignores a part of. */
static void check_combinations(struct pctx *p, const I *v, struct srcpos pos, int family)
{
	if (v->vmac_xmit_base && !v->use_vmac.on)
		p_warn(p, pos, "(%s) vmac_xmit_base is only meaningful with use_vmac", iname(v));
	if (v->use_vmac.on && v->unicast_peers.n && !v->vmac_xmit_base)
		p_warn(p, pos, "(%s) use_vmac with unicast_peer needs vmac_xmit_base", iname(v));
	if (v->interface && v->vrf)
		p_warn(p, pos, "(%s) vrf is for unicast without an interface; keepalived "
		       "ignores it when interface is set", iname(v));
	/* keepalived: "Cannot use unicast_ttl without unicast peers". The
	 * default (255) cannot be told from a written 255: that one passes. */
	if (!v->unicast_peers.n && v->unicast_ttl != 255)
		p_warn(p, pos, "(%s) unicast_ttl %d has no effect without unicast_peer: "
		       "multicast adverts always leave with TTL 255", iname(v), v->unicast_ttl);
	if (!v->unicast_peers.n && v->check_unicast_ttl == TRI_ON)
		p_warn(p, pos, "(%s) check_unicast_ttl has no effect without unicast_peer: "
		       "multicast adverts are always checked for TTL 255", iname(v));
	if (v->unicast_peers.n && v->unicast_ttl == 0)
		p_warn(p, pos, "(%s) unicast_ttl 0 is sent as 1: Linux does not send a "
		       "TTL of 0", iname(v));
	if (v->auth.type == CONF_AUTH_NONE)
		return;
	if (v->version == 3 || family == AF_INET6)
		p_warn(p, pos, "(%s) VRRPv3 has no authentication; keepalived ignores it",
		       iname(v));
	else if (v->strict_mode == TRI_ON)
		p_warn(p, pos, "(%s) strict_mode does not allow authentication; keepalived "
		       "ignores it", iname(v));
}

static void instance_finish(struct pctx *p, void *obj, struct srcpos pos)
{
	I *v = obj;
	int family = instance_family(v);

	if (!v->vrid)
		p_error(p, pos, "(%s) has no virtual_router_id; add virtual_router_id 1..255, "
			"the same on every router of this virtual router", iname(v));
	if (!v->vips.n && !v->evips.n)
		p_warn(p, pos, "(%s) has no virtual_ipaddress; it will not move any address",
		       iname(v));
	check_advert_int(p, v, pos, family);
	check_families(p, v, family);
	check_combinations(p, v, pos, family);
	strict_check_instance(p, v, pos, family);
	/* keepalived 2.2.7: "nopreempt will not work with initial state MASTER
	 * - clearing". vigil runs the same settings. */
	if (v->state == VRRP_START_MASTER && !v->preempt) {
		p_warn(p, v->nopreempt_pos.line ? v->nopreempt_pos : pos, "(%s) nopreempt does "
		       "not work with state MASTER: keepalived clears it, and so does vigil (this "
		       "instance preempts); write state BACKUP to keep nopreempt", iname(v));
		v->preempt = true;
	}
}

#undef I

/* ---- a vrrp_sync_group written keepalived-1.x style ---------------------------------- */

static bool kws_have(const struct kw *kws, const char *w)
{
	for (const struct kw *k = kws; k->name; k++)
		if (strcmp(k->name, w) == 0)
			return true;
	return false;
}

/* A keyword of a VRRP block is a misplaced keyword, never a member name. */
static bool is_vrrp_keyword(const char *w)
{
	return kws_have(instance_kws, w) || kws_have(script_kws, w) ||
	       kws_have(process_kws, w) || kws_have(bfd_kws, w) || kws_have(garp_group_kws, w);
}

static void add_member(struct pctx *p, struct vrrp_sync_group *g, const struct lex_word *w)
{
	struct name_item *m = arena_zalloc(p->a, sizeof(*m));
	m->node.desc = &desc_sync_member_item;
	m->node.pos = w->pos;
	m->name = word_dup(p, w);
	list_append(&g->members, &m->node);
}

/* keepalived 1.x took instance names straight inside vrrp_sync_group;
 * keepalived 2 warns "Unknown keyword" and drops them, which silently
 * unsyncs the instances. The intent is plain, so the words of such a line
 * are taken as members (vrrp_resolve then checks that they are instances). */
static bool bare_member(struct pctx *p, void *obj, const struct stmt *s)
{
	char names[256];
	size_t o = 0;

	if (is_vrrp_keyword(s->kw->text))
		return false;
	add_member(p, obj, s->kw);
	o += (size_t)snprintf(names, sizeof(names), "%s", s->kw->text);
	for (size_t i = 0; i < s->nargs; i++) {
		add_member(p, obj, &s->args[i]);
		if (o < sizeof(names))
			o += (size_t)snprintf(names + o, sizeof(names) - o, " %s", s->args[i].text);
	}
	p_warn(p, s->kw->pos, "'%s' directly in vrrp_sync_group is taken as %s of its "
	       "group { } (keepalived 2 ignores it as an unknown keyword); write: group { %s }",
	       names, s->nargs ? "members" : "a member", names);
	return true;
}

/* ---- vrrp_resolve: names, duplicates, virtual router ids ------------------------------ */

static struct named *find_named(const struct list *l, const char *name)
{
	for (LIST_EACH(struct named, n, l))
		if (n->name && strcmp(n->name, name) == 0)
			return n;
	return NULL;
}

/* Two blocks of one kind with one name: the second is reported. */
static void check_unique(struct pctx *p, const struct list *l, const char *what)
{
	char buf[256];
	for (LIST_EACH(struct named, n, l)) {
		struct named *first = find_named(l, n->name);
		if (first != n)
			p_error(p, n->node.pos, "%s %s is defined twice (first at %s); rename "
				"or remove one", what, n->name,
				where(p, first->node.pos, n->node.pos, buf, sizeof(buf)));
	}
}

static void list_unlink(struct list *l, struct node *prev, struct node *n)
{
	if (prev)
		prev->next = n->next;
	else
		l->first = n->next;
	if (l->last == n)
		l->last = prev;
	n->next = NULL;
	l->n--;
}

/* keepalived removes a vrrp_script without a script ("No script set for
 * vrrp_script X - removing"), and then ignores references to it. vigil does
 * the same, keeping the removed ones in *dropped so that references to
 * them are warnings, not unknown names. */
static void drop_scriptless(struct pctx *p, struct list *scripts, struct list *dropped)
{
	struct node *prev = NULL, *n = scripts->first;
	while (n) {
		struct node *next = n->next;
		struct vrrp_script *s = (struct vrrp_script *)(void *)n;
		if (s->script) {
			prev = n;
		} else {
			p_warn(p, n->pos, "vrrp_script %s has no script line, so it is removed "
			       "(as keepalived does); add: script COMMAND", s->hdr.name);
			list_unlink(scripts, prev, n);
			list_append(dropped, n);
		}
		n = next;
	}
}

/* What a track_* list refers to, for resolve_refs. */
struct ref_kind {
	const char *list_kw;        /* "track_script" */
	const char *target_kw;      /* "vrrp_script" */
	const struct list *targets;
	const struct list *dropped; /* removed targets: references warn; may be NULL */
};

/* Check every name of refs against its targets; references to dropped
 * targets are removed with a warning. owner is "(VI_1)" or "sync group G". */
static void resolve_refs(struct pctx *p, struct list *refs, const struct ref_kind *rk,
			 const char *owner)
{
	struct node *prev = NULL, *n = refs->first;
	while (n) {
		struct node *next = n->next;
		const struct track_ref *t = (const struct track_ref *)(const void *)n;
		if (find_named(rk->targets, t->name)) {
			prev = n;
		} else if (rk->dropped && find_named(rk->dropped, t->name)) {
			p_warn(p, n->pos, "%s %s %s: that %s was removed, so this is ignored",
			       owner, rk->list_kw, t->name, rk->target_kw);
			list_unlink(refs, prev, n);
		} else {
			/* keepalived 2.2.7: "track script X not found, ignoring...",
			 * and it runs without it. So does vigil. */
			p_warn(p, n->pos, "%s %s %s: there is no %s %s, so this is ignored (as "
			       "keepalived does); define it or correct the name", owner,
			       rk->list_kw, t->name, rk->target_kw, t->name);
			list_unlink(refs, prev, n);
		}
		n = next;
	}
}

/* The five track_* lists of an instance or sync group share one layout
 * and order in both structs; they are passed one by one. */
static void resolve_tracks(struct pctx *p, struct config *cfg, const struct list *dropped,
			   struct list *scripts, struct list *files, struct list *processes,
			   struct list *bfds, const char *owner)
{
	const struct ref_kind sk = { "track_script", "vrrp_script", &cfg->vrrp_scripts, dropped };
	const struct ref_kind fk = { "track_file", "track_file", &cfg->track_files, NULL };
	const struct ref_kind pk = { "track_process", "vrrp_track_process",
				     &cfg->vrrp_track_processes, NULL };
	const struct ref_kind bk = { "track_bfd", "bfd_instance", &cfg->bfd_instances, NULL };
	resolve_refs(p, scripts, &sk, owner);
	resolve_refs(p, files, &fk, owner);
	resolve_refs(p, processes, &pk, owner);
	resolve_refs(p, bfds, &bk, owner);
}

/* The sync group an instance already belongs to, and where it was listed. */
struct membership {
	const struct vrrp_instance *vi;
	const struct vrrp_sync_group *group;
	struct srcpos pos;
};

struct memberships {
	struct membership *v;    /* one per instance at most */
	size_t n;
};

/* A member must be an instance, and in no other group (nor twice here).
 * A name that is no instance is dropped: keepalived 2.2.7 ignores it
 * ("Virtual router X specified in sync group G doesn't exist - ignoring"),
 * met in real files whose instance was commented out or is in an include
 * that is missing. Returns whether m stays in the group. */
static bool check_member(struct pctx *p, const struct config *cfg, struct memberships *ms,
			 const struct vrrp_sync_group *g, const struct name_item *m)
{
	char buf[256];
	const struct vrrp_instance *vi = (const struct vrrp_instance *)(const void *)
		find_named(&cfg->vrrp_instances, m->name);
	size_t i = 0;

	if (!vi) {
		p_warn(p, m->node.pos, "sync group %s: member %s is not a vrrp_instance; ignored "
		       "(keepalived does the same); define it or remove it from the group",
		       g->hdr.name, m->name);
		return false;
	}
	while (i < ms->n && ms->v[i].vi != vi)
		i++;
	if (i < ms->n) {
		p_error(p, m->node.pos, "sync group %s: %s is already a member of sync group %s "
			"(%s); an instance can be in one sync group", g->hdr.name, m->name,
			ms->v[i].group->hdr.name, where(p, ms->v[i].pos, m->node.pos, buf, sizeof(buf)));
		return true;
	}
	ms->v[ms->n++] = (struct membership){ vi, g, m->node.pos };
	return true;
}

/* A group whose every member was dropped is removed, as keepalived
 * removes it ("no matching virtual router found in group declaration -
 * removing"); one written with no members keeps its warning below. */
static void check_sync_groups(struct pctx *p, struct config *cfg)
{
	struct memberships ms = { xcalloc(cfg->vrrp_instances.n + 1, sizeof(*ms.v)), 0 };
	struct node *gprev = NULL, *gn = cfg->vrrp_sync_groups.first;
	while (gn) {
		struct node *gnext = gn->next;
		struct vrrp_sync_group *g = (struct vrrp_sync_group *)(void *)gn;
		size_t written = g->members.n;
		struct node *prev = NULL, *n = g->members.first;
		while (n) {
			struct node *next = n->next;
			if (check_member(p, cfg, &ms, g, (const struct name_item *)(const void *)n))
				prev = n;
			else
				list_unlink(&g->members, prev, n);
			n = next;
		}
		if (written && !g->members.n) {
			p_warn(p, g->hdr.node.pos, "sync group %s: none of its members is a "
			       "vrrp_instance, so it is removed (as keepalived does)", g->hdr.name);
			list_unlink(&cfg->vrrp_sync_groups, gprev, gn);
			gn = gnext;
			continue;
		}
		gprev = gn;
		gn = gnext;
		if (g->members.n < 2)
			p_warn(p, g->hdr.node.pos, "sync group %s has %s; a sync group keeps two "
			       "or more instances in step", g->hdr.name,
			       g->members.n ? "only one member" : "no members");
	}
	free(ms.v);
}

/* Instances share a socket, and so must differ in VRID, when they use the
 * same interface, family and mode (multicast group, or overlapping
 * unicast peers): keepalived.conf(5), virtual_router_id. */
static bool peers_overlap(const struct vrrp_instance *a, const struct vrrp_instance *b)
{
	for (LIST_EACH(const struct unicast_peer, x, &a->unicast_peers))
		for (LIST_EACH(const struct unicast_peer, y, &b->unicast_peers))
			if (vaddr_equal(&x->addr, &y->addr))
				return true;
	return false;
}

/* The interface an instance runs on, as the VRRP engine resolves it. */
static const char *instance_ifname(const struct config *cfg, const struct vrrp_instance *v)
{
	if (v->interface)
		return v->interface;
	return cfg->global.default_interface ? cfg->global.default_interface : "eth0";
}

/* The group a multicast instance sends to, as the engine resolves it. */
static struct vaddr instance_group(const struct config *cfg, const struct vrrp_instance *v)
{
	if (vaddr_is_set(&v->mcast_dst_ip))
		return v->mcast_dst_ip;
	return instance_family(v) == AF_INET6 ? cfg->global.vrrp_mcast_group6
					      : cfg->global.vrrp_mcast_group4;
}

/* Resolved, not as written: an instance without an interface line is on
 * default_interface, one without mcast_dst_ip on vrrp_mcast_group4/6, and
 * the receive path could not tell such twins apart. */
static bool same_channel(const struct config *cfg, const struct vrrp_instance *a,
			 const struct vrrp_instance *b)
{
	if (a->vrid != b->vrid || strcmp(instance_ifname(cfg, a), instance_ifname(cfg, b)) != 0 ||
	    instance_family(a) != instance_family(b))
		return false;
	if (!a->unicast_peers.n != !b->unicast_peers.n)
		return false;
	if (a->unicast_peers.n)
		return peers_overlap(a, b);
	struct vaddr ga = instance_group(cfg, a), gb = instance_group(cfg, b);
	return vaddr_equal(&ga, &gb);
}

static void check_vrids(struct pctx *p, const struct config *cfg)
{
	char buf[256];
	for (LIST_EACH(const struct vrrp_instance, b, &cfg->vrrp_instances)) {
		if (!b->vrid)
			continue;
		for (LIST_EACH(const struct vrrp_instance, a, &cfg->vrrp_instances)) {
			if (a == b)
				break;
			if (!same_channel(cfg, a, b))
				continue;
			p_error(p, b->hdr.node.pos, "(%s) virtual_router_id %d is already used by "
				"vrrp_instance %s (%s) on %s%s for %s; give one another "
				"virtual_router_id", iname(b), b->vrid, iname(a),
				where(p, a->hdr.node.pos, b->hdr.node.pos, buf, sizeof(buf)),
				b->interface ? "interface " : "the default interface ",
				instance_ifname(cfg, b), family_name(instance_family(b)));
			break;
		}
	}
}

static void check_bfd_peers(struct pctx *p, const struct config *cfg)
{
	char buf[256], addr[VADDR_STRLEN];
	for (LIST_EACH(const struct bfd_instance, b, &cfg->bfd_instances))
		for (LIST_EACH(const struct bfd_instance, a, &cfg->bfd_instances)) {
			if (a == b)
				break;
			if (vaddr_is_set(&b->neighbor_ip) &&
			    vaddr_equal(&a->neighbor_ip, &b->neighbor_ip) &&
			    vaddr_equal(&a->source_ip, &b->source_ip)) {
				p_error(p, b->hdr.node.pos, "bfd_instance %s has the same neighbor_ip "
					"%s and source_ip as bfd_instance %s (%s); one session per "
					"neighbor", b->hdr.name,
					vaddr_format(&b->neighbor_ip, addr, sizeof(addr)), a->hdr.name,
					where(p, a->hdr.node.pos, b->hdr.node.pos, buf, sizeof(buf)));
				break;
			}
		}
}

/* A garp_group's limits are per interface: one group per interface. */
static const struct garp_group *garp_owner(const struct config *cfg,
					   const struct garp_group *upto, const char *ifname)
{
	for (LIST_EACH(const struct garp_group, g, &cfg->garp_groups)) {
		if (g == upto)
			break;
		if (str_same(g->interface, ifname))
			return g;
		for (LIST_EACH(const struct name_item, n, &g->interfaces))
			if (strcmp(n->name, ifname) == 0)
				return g;
	}
	return NULL;
}

static void check_garp_if(struct pctx *p, const struct config *cfg,
			  const struct garp_group *g, const char *ifname, struct srcpos pos)
{
	char buf[256];
	const struct garp_group *first = garp_owner(cfg, g, ifname);
	if (first)
		p_error(p, pos, "interface %s is already in the garp_group at %s; an interface "
			"can be in one garp_group", ifname,
			where(p, first->node.pos, pos, buf, sizeof(buf)));
}

static void check_garp_groups(struct pctx *p, const struct config *cfg)
{
	for (LIST_EACH(const struct garp_group, g, &cfg->garp_groups)) {
		if (g->interface)
			check_garp_if(p, cfg, g, g->interface, g->node.pos);
		for (LIST_EACH(const struct name_item, n, &g->interfaces))
			check_garp_if(p, cfg, g, n->name, n->node.pos);
	}
}

void vrrp_resolve(struct pctx *p, struct config *cfg)
{
	struct list dropped = { NULL, NULL, 0 };
	char owner[300];

	check_unique(p, &cfg->vrrp_scripts, "vrrp_script");
	check_unique(p, &cfg->vrrp_track_processes, "vrrp_track_process");
	check_unique(p, &cfg->bfd_instances, "bfd_instance");
	check_unique(p, &cfg->vrrp_sync_groups, "vrrp_sync_group");
	check_unique(p, &cfg->vrrp_instances, "vrrp_instance");
	drop_scriptless(p, &cfg->vrrp_scripts, &dropped);

	for (LIST_EACH(struct vrrp_instance, v, &cfg->vrrp_instances)) {
		snprintf(owner, sizeof(owner), "(%s)", iname(v));
		resolve_tracks(p, cfg, &dropped, &v->track_scripts, &v->track_files,
			       &v->track_processes, &v->track_bfds, owner);
	}
	for (LIST_EACH(struct vrrp_sync_group, g, &cfg->vrrp_sync_groups)) {
		snprintf(owner, sizeof(owner), "sync group %s:", g->hdr.name);
		resolve_tracks(p, cfg, &dropped, &g->track_scripts, &g->track_files,
			       &g->track_processes, &g->track_bfds, owner);
	}

	check_sync_groups(p, cfg);
	check_vrids(p, cfg);
	check_bfd_peers(p, cfg);
	check_garp_groups(p, cfg);
}
