/* reconcile.c - the IPVS table vigil wants, and the operations that get
 * the kernel there; see reconcile.h for the contract and for the
 * keepalived mapping that ipvs_desired() follows.
 *
 * Both steps index by struct ipvs_key (the kernel's identity of a service
 * or destination) in open-addressing hash tables, so a reload of tens of
 * thousands of services costs time in proportion to their number.
 */
#include "reconcile.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* ---- a set of keys ------------------------------------------------------------
 * Open addressing with linear probing; a slot holds the key and a value
 * (0: empty). The caller sizes it for what it will insert. */

struct kslot {
	struct ipvs_key key;
	uint32_t val;
};

struct kindex {
	struct kslot *slot;
	size_t mask;
	size_t cap;               /* allocated slots; mask + 1 <= cap */
};

static size_t pow2_for(size_t n)
{
	size_t size = 16;
	while (size < n * 2)
		size *= 2;
	return size;
}

/* Make room for n keys and empty the table: reuses the allocation when it
 * is large enough, and clears only the part in use. */
static int kindex_reset(struct kindex *h, size_t n)
{
	size_t size = pow2_for(n);
	if (size > h->cap) {
		struct kslot *s = calloc(size, sizeof(*s));
		if (!s)
			return -ENOMEM;
		free(h->slot);
		h->slot = s;
		h->cap = size;
	} else {
		memset(h->slot, 0, size * sizeof(*h->slot));
	}
	h->mask = size - 1;
	return 0;
}

/* The slot holding k, or the empty slot where k goes (val 0). */
static struct kslot *kindex_slot(const struct kindex *h, const struct ipvs_key *k)
{
	for (size_t i = (size_t)ipvs_key_hash(k) & h->mask;; i = (i + 1) & h->mask)
		if (!h->slot[i].val || ipvs_key_equal(&h->slot[i].key, k))
			return &h->slot[i];
}

static void kindex_free(struct kindex *h)
{
	free(h->slot);
	memset(h, 0, sizeof(*h));
}

/* ---- a growable key set for callers (reconcile.h) ------------------------------- */

struct ipvs_keyset {
	struct kindex idx;
	size_t n;
};

struct ipvs_keyset *ipvs_keyset_new(void)
{
	struct ipvs_keyset *s = calloc(1, sizeof(*s));
	if (s && kindex_reset(&s->idx, 8) < 0) {
		free(s);
		return NULL;
	}
	return s;
}

uint32_t ipvs_keyset_get(const struct ipvs_keyset *s, const struct ipvs_key *k)
{
	return kindex_slot(&s->idx, k)->val;
}

/* Rehash into a table twice the size when half full. */
static int keyset_grow(struct ipvs_keyset *s)
{
	struct kindex bigger = { 0 };
	if (kindex_reset(&bigger, (s->idx.mask + 1)) < 0)
		return -ENOMEM;
	for (size_t i = 0; i <= s->idx.mask; i++)
		if (s->idx.slot[i].val)
			*kindex_slot(&bigger, &s->idx.slot[i].key) = s->idx.slot[i];
	kindex_free(&s->idx);
	s->idx = bigger;
	return 0;
}

int ipvs_keyset_put(struct ipvs_keyset *s, const struct ipvs_key *k, uint32_t val)
{
	if ((s->n + 1) * 2 > s->idx.mask + 1 && keyset_grow(s) < 0)
		return -ENOMEM;
	struct kslot *slot = kindex_slot(&s->idx, k);
	if (!slot->val) {
		slot->key = *k;
		s->n++;
	}
	slot->val = val;
	return 0;
}

void ipvs_keyset_clear(struct ipvs_keyset *s)
{
	memset(s->idx.slot, 0, (s->idx.mask + 1) * sizeof(*s->idx.slot));
	s->n = 0;
}

size_t ipvs_keyset_size(const struct ipvs_keyset *s)
{
	return s->n;
}

void ipvs_keyset_free(struct ipvs_keyset *s)
{
	if (!s)
		return;
	kindex_free(&s->idx);
	free(s);
}

/* ---- configuration -> IPVS values ------------------------------------------------- */

static const char *const sched_names[] = {
	[LVS_SCHED_RR] = "rr", [LVS_SCHED_WRR] = "wrr", [LVS_SCHED_LC] = "lc",
	[LVS_SCHED_WLC] = "wlc", [LVS_SCHED_LBLC] = "lblc", [LVS_SCHED_LBLCR] = "lblcr",
	[LVS_SCHED_DH] = "dh", [LVS_SCHED_SH] = "sh", [LVS_SCHED_SED] = "sed",
	[LVS_SCHED_NQ] = "nq", [LVS_SCHED_FO] = "fo", [LVS_SCHED_OVF] = "ovf",
	[LVS_SCHED_MH] = "mh", [LVS_SCHED_TWOS] = "twos",
};

static const char *sched_name(int sched)
{
	if (sched > 0 && (size_t)sched < sizeof(sched_names) / sizeof(sched_names[0]) &&
	    sched_names[sched])
		return sched_names[sched];
	return "wlc";   /* keepalived's default; the parser allows nothing else */
}

static uint16_t ip_proto(int p)
{
	switch (p) {
	case LVS_PROTO_TCP: return IPPROTO_TCP;
	case LVS_PROTO_SCTP: return IPPROTO_SCTP;
	default: return IPPROTO_UDP;   /* lvs_resolve's default, as keepalived 2.2.7 */
	}
}

static size_t af_len(int af)
{
	return af == AF_INET ? 4 : 16;
}

/* Copy a NUL-terminated name into a fixed buffer, truncating: a name too
 * long for the kernel then fails there, with the service named. */
static void set_name(char *dst, size_t size, const char *src)
{
	size_t n = src ? strlen(src) : 0;
	if (n >= size)
		n = size - 1;
	memcpy(dst, src ? src : "", n);
	dst[n] = '\0';
}

/* What every service of vs shares; the caller sets the identity. */
static void service_base(const struct virtual_server *vs, uint16_t af, struct ipvs_service *s)
{
	ipvs_service_init(s, af);
	set_name(s->sched_name, sizeof(s->sched_name), sched_name(vs->sched));
	set_name(s->pe_name, sizeof(s->pe_name), vs->persistence_engine);
	if (vs->ops)
		s->flags |= IPVS_SVC_F_ONEPACKET;
	if (vs->flag_1 || vs->sh_fallback || vs->mh_fallback)
		s->flags |= IPVS_SVC_F_SCHED1;
	if (vs->flag_2 || vs->sh_port || vs->mh_port)
		s->flags |= IPVS_SVC_F_SCHED2;
	if (vs->flag_3)
		s->flags |= IPVS_SVC_F_SCHED3;
	if (vs->persistence_timeout) {
		const struct vaddr *g = &vs->persistence_granularity;
		s->flags |= IPVS_SVC_F_PERSISTENT;
		s->timeout = vs->persistence_timeout;
		/* A mixed-family group may have services of the other family:
		 * they keep the whole-address default. */
		if (g->family == AF_INET && af == AF_INET)
			s->netmask = ntohl(g->u.v4.s_addr);
		else if (g->family == AF_INET6 && af == AF_INET6)
			s->netmask = g->prefix;
	}
}

static const struct lvs_fwd *rs_fwd(const struct virtual_server *vs, const struct real_server *rs)
{
	return rs->fwd.method != LVS_FWD_INHERIT ? &rs->fwd : &vs->fwd;
}

static const struct lvs_fwd *sorry_fwd(const struct virtual_server *vs)
{
	return vs->sorry_server_fwd.method != LVS_FWD_INHERIT ? &vs->sorry_server_fwd : &vs->fwd;
}

static void make_dest(struct ipvs_dest *d, const struct vaddr *a, uint16_t port,
		      const struct lvs_fwd *f, int32_t weight)
{
	ipvs_dest_init(d, a->family);
	memcpy(d->addr.bytes, a->u.bytes, af_len(a->family));
	d->port = port;
	d->weight = weight;
	switch (f->method) {
	case LVS_FWD_DR:
		d->fwd = IPVS_FWD_DROUTE;
		break;
	case LVS_FWD_TUN:
		d->fwd = IPVS_FWD_TUNNEL;
		d->tun_type = f->tun_type == LVS_TUN_GUE ? IPVS_TUN_GUE :
			      f->tun_type == LVS_TUN_GRE ? IPVS_TUN_GRE : IPVS_TUN_IPIP;
		d->tun_port = f->tun_type == LVS_TUN_GUE ? f->tun_port : 0;
		d->tun_flags = f->tun_csum == LVS_CSUM_CSUM ? IPVS_TUN_F_CSUM :
			       f->tun_csum == LVS_CSUM_REMCSUM ? IPVS_TUN_F_REMCSUM :
			       IPVS_TUN_F_NOCSUM;
		break;
	default:
		d->fwd = IPVS_FWD_MASQ;
		break;
	}
}

static bool tri(int8_t own, bool inherited)
{
	return own == LVS_TRI_INHERIT ? inherited : own == 1;
}

/* keepalived marks every checker with alpha as failed at start, so a real
 * server with one starts down; one without checkers is always up. */
static struct rs_verdict default_verdict(const struct virtual_server *vs,
					 const struct real_server *rs)
{
	struct rs_verdict v = { true, -1 };
	for (LIST_EACH(const struct checker, c, &rs->checkers)) {
		struct check_timing t;
		checker_effective(c, rs, vs, &t);
		if (t.alpha) {
			v.up = false;
			break;
		}
	}
	return v;
}

static uint8_t quorum_next(uint8_t prev, uint64_t sum, const struct virtual_server *vs)
{
	uint64_t gain = (uint64_t)vs->quorum + vs->hysteresis;
	uint64_t lose = vs->quorum > vs->hysteresis ? vs->quorum - vs->hysteresis : 0;

	if (prev == IPVS_QUORUM_UP)
		return sum == 0 || sum < lose ? IPVS_QUORUM_DOWN : IPVS_QUORUM_UP;
	return sum >= gain ? IPVS_QUORUM_UP : IPVS_QUORUM_DOWN;
}

/* ---- ipvs_desired ------------------------------------------------------------------ */

struct rs_state {
	int32_t weight;
	bool up, inhibit;
};

struct desired_ctx {
	rs_verdict_fn verdict;
	void *data;
	struct rs_state *rs;      /* scratch, one per real server of a vs */
	size_t rs_cap;
	struct ipvs_table *out;   /* entries allocated for every service */
	struct kindex seen;       /* service keys already in out */
	struct kindex dests;      /* dest keys of one vs, reused */
};

/* Append d to v, or when v has its identity already (two real servers
 * that differ only in an omitted port, or a sorry server that is also a
 * real server), replace that one (replace) or keep it. idx indexes v. */
static void add_dest(struct kindex *idx, struct ipvs_dest *v, size_t *n,
		     const struct ipvs_dest *d, bool replace)
{
	struct ipvs_key k;
	ipvs_dest_key(d, &k);
	struct kslot *slot = kindex_slot(idx, &k);
	if (slot->val) {
		if (replace)
			v[slot->val - 1] = *d;
		return;
	}
	slot->key = k;
	slot->val = (uint32_t)(*n + 1);
	v[(*n)++] = *d;
}

/* The destinations of every service of vs, and its new quorum state
 * (*q: the previous one in, the new one out). */
static int vs_dests(struct desired_ctx *c, const struct virtual_server *vs, uint8_t *q,
		    struct ipvs_dest **out, size_t *nout)
{
	size_t nrs = vs->real_servers.n, i = 0;
	uint64_t sum = 0;
	bool sorry = vs->sorry_server.addr.family != 0;

	*out = NULL;
	*nout = 0;
	if (nrs > c->rs_cap) {
		struct rs_state *r = realloc(c->rs, nrs * sizeof(*r));
		if (!r)
			return -ENOMEM;
		c->rs = r;
		c->rs_cap = nrs;
	}
	for (LIST_EACH(const struct real_server, rs, &vs->real_servers)) {
		struct rs_verdict v = c->verdict ? c->verdict(vs, rs, c->data)
						 : default_verdict(vs, rs);
		int64_t w = v.weight >= 0 ? v.weight : (int64_t)rs->weight;
		c->rs[i].weight = w > INT32_MAX ? INT32_MAX : (int32_t)w;
		c->rs[i].up = v.up;
		c->rs[i].inhibit = tri(rs->inhibit_on_failure, vs->inhibit_on_failure);
		if (v.up)
			sum += (uint64_t)c->rs[i].weight;
		i++;
	}
	*q = quorum_next(*q, sum, vs);
	/* keepalived: with the quorum lost and a sorry server, every real
	 * server leaves the pool (an inhibited one stays with weight 0) and
	 * the sorry server comes in. Without a sorry server the quorum only
	 * drives notifications. */
	bool sorry_in = sorry && *q == IPVS_QUORUM_DOWN;

	struct ipvs_dest *d = malloc((nrs + 1) * sizeof(*d));
	if (!d || kindex_reset(&c->dests, nrs + 1)) {
		free(d);
		return -ENOMEM;
	}
	size_t n = 0;
	i = 0;
	for (LIST_EACH(const struct real_server, rs, &vs->real_servers)) {
		const struct rs_state *st = &c->rs[i++];
		int32_t w;
		if (st->up && !sorry_in)
			w = st->weight;
		else if (st->inhibit)
			w = 0;
		else
			continue;
		uint16_t port = rs->port;
		if (!port && vs->kind == VS_ADDR)
			port = vs->port;
		struct ipvs_dest x;
		make_dest(&x, &rs->addr, port, rs_fwd(vs, rs), w);
		x.u_threshold = rs->uthreshold;
		x.l_threshold = rs->lthreshold;
		add_dest(&c->dests, d, &n, &x, false);
	}
	if (sorry && (sorry_in || vs->sorry_server_inhibit)) {
		const struct lvs_fwd *f = sorry_fwd(vs);
		uint16_t port = vs->sorry_server.port;
		if (!port && vs->kind == VS_ADDR && f->method != LVS_FWD_NAT)
			port = vs->port;
		struct ipvs_dest x;
		make_dest(&x, &vs->sorry_server.addr, port, f, sorry_in ? 1 : 0);
		/* A sorry server that is also a real server: in, it takes the
		 * real server's place; out, the real server stays as it is. */
		add_dest(&c->dests, d, &n, &x, sorry_in);
	}
	*out = d;
	*nout = n;
	return 0;
}

/* How many addresses first..last (same family, first <= last) holds, or
 * 0 when more than IPVS_GROUP_LINE_MAX. */
static uint64_t range_count(const struct vaddr *first, const struct vaddr *last)
{
	size_t len = af_len(first->family);
	uint8_t diff[16];
	int borrow = 0;

	for (size_t i = len; i-- > 0;) {
		int v = last->u.bytes[i] - first->u.bytes[i] - borrow;
		borrow = v < 0;
		diff[i] = (uint8_t)(v + (borrow ? 256 : 0));
	}
	if (borrow)
		return 0;
	uint64_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (n > (IPVS_GROUP_LINE_MAX >> 8))
			return 0;
		n = (n << 8) | diff[i];
	}
	return n + 1 > IPVS_GROUP_LINE_MAX ? 0 : n + 1;
}

static void addr_next(uint8_t *b, size_t len)
{
	for (size_t i = len; i-- > 0;)
		if (++b[i])
			break;
}

/* How many services vs expands into (before duplicates are left out). */
static int vs_count(const struct virtual_server *vs, size_t *count)
{
	if (vs->kind != VS_GROUP) {
		*count = 1;
		return 0;
	}
	*count = 0;
	if (!vs->group)
		return 0;
	for (LIST_EACH(const struct vsg_entry, e, &vs->group->entries)) {
		if (e->kind == VSG_FWMARK) {
			(*count)++;
			continue;
		}
		uint64_t n = range_count(&e->first, &e->last);
		if (!n)
			return -E2BIG;
		*count += (size_t)n;
	}
	return 0;
}

/* Append s with dests, unless an earlier virtual server has it. *owner:
 * whether dests still needs an owner (the first entry that keeps it). */
static void emit(struct desired_ctx *c, const struct virtual_server *vs,
		 const struct ipvs_service *s, struct ipvs_dest *dests, size_t n, bool *owner)
{
	struct ipvs_key k;
	ipvs_service_key(s, &k);
	struct kslot *slot = kindex_slot(&c->seen, &k);
	if (slot->val)
		return;
	slot->key = k;
	slot->val = 1;

	struct ipvs_entry *e = &c->out->entries[c->out->n++];
	memset(e, 0, sizeof(*e));
	e->svc = *s;
	e->dests = dests;
	e->ndests = n;
	e->vs = vs;
	e->shares_dests = !*owner;
	*owner = false;
}

static void emit_group(struct desired_ctx *c, const struct virtual_server *vs,
		       struct ipvs_dest *dests, size_t n, bool *owner)
{
	if (!vs->group)
		return;
	for (LIST_EACH(const struct vsg_entry, e, &vs->group->entries)) {
		struct ipvs_service s;
		if (e->kind == VSG_FWMARK) {
			uint16_t af = e->fwmark_family ? e->fwmark_family :
				      vs->af ? vs->af : AF_INET;
			service_base(vs, af, &s);
			s.fwmark = e->fwmark;
			emit(c, vs, &s, dests, n, owner);
			continue;
		}
		uint64_t count = range_count(&e->first, &e->last);
		service_base(vs, e->first.family, &s);
		s.protocol = ip_proto(vs->protocol);
		s.port = e->port;
		memcpy(s.addr.bytes, e->first.u.bytes, af_len(e->first.family));
		for (uint64_t i = 0; i < count; i++) {
			emit(c, vs, &s, dests, n, owner);
			addr_next(s.addr.bytes, af_len(e->first.family));
		}
	}
}

static int desired_vs(struct desired_ctx *c, const struct virtual_server *vs, uint8_t *q)
{
	struct ipvs_dest *dests;
	size_t n;
	bool owner = true;

	if (!vs->real_servers.n && !vs->sorry_server.addr.family)
		return 0;
	int err = vs_dests(c, vs, q, &dests, &n);
	if (err)
		return err;
	if (vs->kind == VS_GROUP) {
		emit_group(c, vs, dests, n, &owner);
	} else {
		struct ipvs_service s;
		service_base(vs, vs->af, &s);
		if (vs->kind == VS_FWMARK) {
			s.fwmark = vs->fwmark;
		} else {
			s.protocol = ip_proto(vs->protocol);
			s.port = vs->port;
			memcpy(s.addr.bytes, vs->addr.u.bytes, af_len(vs->af));
		}
		emit(c, vs, &s, dests, n, &owner);
	}
	if (owner)   /* no service kept: nobody took the array */
		free(dests);
	return 0;
}

int ipvs_desired_quorum(const struct config *cfg, rs_verdict_fn verdict, void *data,
			struct ipvs_quorum_state *q, struct ipvs_table *out)
{
	struct desired_ctx c = { .verdict = verdict, .data = data, .out = out };
	size_t nvs = cfg->virtual_servers.n, total = 0, i = 0;
	uint8_t *qs = NULL;
	int err = 0;

	memset(out, 0, sizeof(*out));
	if (q && (q->cfg != cfg || q->n != nvs))
		return -EINVAL;
	for (LIST_EACH(const struct virtual_server, vs, &cfg->virtual_servers)) {
		size_t n;
		if ((err = vs_count(vs, &n)))
			return err;
		total += n;
	}
	qs = calloc(nvs ? nvs : 1, 1);
	out->entries = calloc(total ? total : 1, sizeof(*out->entries));
	if (!qs || !out->entries || (err = kindex_reset(&c.seen, total))) {
		err = -ENOMEM;
		goto done;
	}
	if (q)
		memcpy(qs, q->state, nvs);
	for (LIST_EACH(const struct virtual_server, vs, &cfg->virtual_servers)) {
		if ((err = desired_vs(&c, vs, &qs[i++])))
			goto done;
	}
	if (q)
		memcpy(q->state, qs, nvs);
done:
	if (err)
		ipvs_table_free(out);
	free(qs);
	free(c.rs);
	kindex_free(&c.seen);
	kindex_free(&c.dests);
	return err;
}

int ipvs_desired(const struct config *cfg, rs_verdict_fn verdict, void *data,
		 struct ipvs_table *out)
{
	return ipvs_desired_quorum(cfg, verdict, data, NULL, out);
}

void ipvs_table_free(struct ipvs_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		if (!t->entries[i].shares_dests)
			free(t->entries[i].dests);
	free(t->entries);
	t->entries = NULL;
	t->n = 0;
}

/* ---- quorum memory ------------------------------------------------------------------- */

int ipvs_quorum_init(struct ipvs_quorum_state *q, const struct config *cfg)
{
	size_t n = cfg->virtual_servers.n;
	uint8_t *s = calloc(n ? n : 1, 1);
	if (!s)
		return -ENOMEM;
	q->cfg = cfg;
	q->state = s;
	q->n = n;
	return 0;
}

void ipvs_quorum_free(struct ipvs_quorum_state *q)
{
	free(q->state);
	memset(q, 0, sizeof(*q));
}

/* A virtual server's head, as keepalived's vs_iseq() compares them. */
static uint64_t fnv(const void *p, size_t n, uint64_t h)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

static uint64_t vs_hash(const struct virtual_server *v)
{
	uint64_t h = fnv(&v->kind, sizeof(v->kind), 0xcbf29ce484222325ull);
	h = fnv(&v->af, sizeof(v->af), h);
	switch (v->kind) {
	case VS_FWMARK:
		return fnv(&v->fwmark, sizeof(v->fwmark), h);
	case VS_GROUP:
		h = fnv(&v->protocol, sizeof(v->protocol), h);
		return fnv(v->group_name, strlen(v->group_name), h);
	default:
		h = fnv(&v->protocol, sizeof(v->protocol), h);
		h = fnv(&v->port, sizeof(v->port), h);
		return fnv(v->addr.u.bytes, af_len(v->addr.family), h);
	}
}

static bool vs_same(const struct virtual_server *x, const struct virtual_server *y)
{
	if (x->kind != y->kind || x->af != y->af)
		return false;
	switch (x->kind) {
	case VS_FWMARK:
		return x->fwmark == y->fwmark;
	case VS_GROUP:
		return x->protocol == y->protocol && strcmp(x->group_name, y->group_name) == 0;
	default:
		return x->protocol == y->protocol && x->port == y->port &&
		       x->addr.family == y->addr.family &&
		       memcmp(x->addr.u.bytes, y->addr.u.bytes, af_len(x->addr.family)) == 0;
	}
}

int ipvs_quorum_carry(struct ipvs_quorum_state *q, const struct config *cfg)
{
	size_t n_old = q->cfg ? q->cfg->virtual_servers.n : 0;
	size_t n_new = cfg->virtual_servers.n;
	size_t size = pow2_for(n_old), mask = size - 1, i = 0;
	const struct virtual_server **old = calloc(n_old ? n_old : 1, sizeof(*old));
	uint32_t *slot = calloc(size, sizeof(*slot));    /* old index + 1 */
	uint8_t *s = calloc(n_new ? n_new : 1, 1);

	if (!old || !slot || !s) {
		free(old);
		free(slot);
		free(s);
		return -ENOMEM;
	}
	if (n_old) {
		for (LIST_EACH(const struct virtual_server, v, &q->cfg->virtual_servers)) {
			old[i] = v;
			size_t j = (size_t)vs_hash(v) & mask;
			while (slot[j] && !vs_same(old[slot[j] - 1], v))
				j = (j + 1) & mask;
			if (!slot[j])   /* a duplicate head keeps the first */
				slot[j] = (uint32_t)(i + 1);
			i++;
		}
	}
	i = 0;
	for (LIST_EACH(const struct virtual_server, v, &cfg->virtual_servers)) {
		size_t j = (size_t)vs_hash(v) & mask;
		while (slot[j] && !vs_same(old[slot[j] - 1], v))
			j = (j + 1) & mask;
		if (slot[j] && slot[j] - 1 < q->n)
			s[i] = q->state[slot[j] - 1];
		i++;
	}
	free(old);
	free(slot);
	free(q->state);
	q->cfg = cfg;
	q->state = s;
	q->n = n_new;
	return 0;
}

/* ---- ipvs_diff ------------------------------------------------------------------------ */

struct opvec {
	struct ipvs_op *v;
	size_t n, cap;
};

static int push(struct opvec *o, enum ipvs_op_kind kind, const struct ipvs_service *s,
		const struct ipvs_dest *d)
{
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 16;
		struct ipvs_op *v = realloc(o->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		o->v = v;
		o->cap = cap;
	}
	struct ipvs_op *op = &o->v[o->n++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->svc = *s;
	if (d)
		op->dest = *d;
	return 0;
}

/* Slot values: a current entry is its index + 1; once a desired entry
 * has taken the key, the slot says so and a repeat of the key in desired
 * is skipped. */
#define TAKEN 0x80000000u

struct diff_ctx {
	ipvs_owned_fn owned;
	void *data;
	struct opvec del_dests, svc_ops, dest_ops, del_svcs;
	struct kindex dests;      /* per service, reused */
	bool *dest_seen;          /* per current dest of the service, reused */
	size_t seen_cap;
};

/* Destinations of one desired service d against those of the same
 * service in current (c NULL: the service is new). */
static int diff_dests(struct diff_ctx *x, const struct ipvs_entry *d, const struct ipvs_entry *c)
{
	size_t nc = c ? c->ndests : 0;
	struct ipvs_key k;
	int err;

	if ((err = kindex_reset(&x->dests, nc + d->ndests)))
		return err;
	if (nc > x->seen_cap) {
		bool *s = realloc(x->dest_seen, nc * sizeof(*s));
		if (!s)
			return -ENOMEM;
		x->dest_seen = s;
		x->seen_cap = nc;
	}
	for (size_t i = 0; i < nc; i++) {
		ipvs_dest_key(&c->dests[i], &k);
		struct kslot *slot = kindex_slot(&x->dests, &k);
		/* a repeated key in a dump: only the first is considered */
		x->dest_seen[i] = slot->val != 0;
		if (!slot->val) {
			slot->key = k;
			slot->val = (uint32_t)(i + 1);
		}
	}
	for (size_t i = 0; i < d->ndests; i++) {
		const struct ipvs_dest *dd = &d->dests[i];
		ipvs_dest_key(dd, &k);
		struct kslot *slot = kindex_slot(&x->dests, &k);
		if (slot->val & TAKEN)
			continue;
		if (!slot->val) {
			slot->key = k;
			slot->val = TAKEN;
			err = push(&x->dest_ops, IPVS_OP_ADD_DEST, &d->svc, dd);
		} else {
			size_t ci = slot->val - 1;
			slot->val = TAKEN;
			x->dest_seen[ci] = true;
			err = ipvs_dest_equal(dd, &c->dests[ci]) ? 0 :
			      push(&x->dest_ops, IPVS_OP_EDIT_DEST, &d->svc, dd);
		}
		if (err)
			return err;
	}
	for (size_t i = 0; i < nc; i++) {
		if (x->dest_seen[i])
			continue;
		if (x->owned && !x->owned(&c->svc, &c->dests[i], x->data))
			continue;
		if ((err = push(&x->del_dests, IPVS_OP_DEL_DEST, &c->svc, &c->dests[i])))
			return err;
	}
	return 0;
}

static int concat(struct ipvs_ops *out, struct opvec *const parts[], size_t nparts)
{
	size_t n = 0, at = 0;
	for (size_t i = 0; i < nparts; i++)
		n += parts[i]->n;
	out->ops = malloc((n ? n : 1) * sizeof(*out->ops));
	if (!out->ops)
		return -ENOMEM;
	for (size_t i = 0; i < nparts; i++) {
		if (parts[i]->n)
			memcpy(out->ops + at, parts[i]->v, parts[i]->n * sizeof(*out->ops));
		at += parts[i]->n;
	}
	out->n = n;
	return 0;
}

int ipvs_diff(const struct ipvs_table *desired, const struct ipvs_table *current,
	      ipvs_owned_fn owned, void *data, struct ipvs_ops *out)
{
	struct diff_ctx x = { .owned = owned, .data = data };
	struct kindex svcs = { 0 };
	bool *cur_taken = NULL;
	struct ipvs_key k;
	int err;

	memset(out, 0, sizeof(*out));
	cur_taken = calloc(current->n ? current->n : 1, sizeof(*cur_taken));
	if (!cur_taken || (err = kindex_reset(&svcs, current->n + desired->n))) {
		err = -ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < current->n; i++) {
		ipvs_service_key(&current->entries[i].svc, &k);
		struct kslot *slot = kindex_slot(&svcs, &k);
		if (slot->val) {
			/* the same service twice in a dump: never delete
			 * the second, which is the first */
			cur_taken[i] = true;
			continue;
		}
		slot->key = k;
		slot->val = (uint32_t)(i + 1);
	}
	for (size_t i = 0; i < desired->n; i++) {
		const struct ipvs_entry *d = &desired->entries[i];
		const struct ipvs_entry *c = NULL;
		ipvs_service_key(&d->svc, &k);
		struct kslot *slot = kindex_slot(&svcs, &k);
		if (slot->val & TAKEN)
			continue;
		if (slot->val) {
			c = &current->entries[slot->val - 1];
			cur_taken[slot->val - 1] = true;
			if (!ipvs_service_equal(&d->svc, &c->svc) &&
			    (err = push(&x.svc_ops, IPVS_OP_EDIT_SERVICE, &d->svc, NULL)))
				goto done;
		} else {
			slot->key = k;
			if ((err = push(&x.svc_ops, IPVS_OP_ADD_SERVICE, &d->svc, NULL)))
				goto done;
		}
		slot->val = TAKEN;
		if ((err = diff_dests(&x, d, c)))
			goto done;
	}
	for (size_t i = 0; i < current->n; i++) {
		const struct ipvs_service *s = &current->entries[i].svc;
		if (cur_taken[i] || !owned || !owned(s, NULL, data))
			continue;
		if ((err = push(&x.del_svcs, IPVS_OP_DEL_SERVICE, s, NULL)))
			goto done;
	}
	struct opvec *const parts[] = { &x.del_dests, &x.svc_ops, &x.dest_ops, &x.del_svcs };
	err = concat(out, parts, sizeof(parts) / sizeof(parts[0]));
done:
	free(x.del_dests.v);
	free(x.svc_ops.v);
	free(x.dest_ops.v);
	free(x.del_svcs.v);
	free(x.dest_seen);
	kindex_free(&x.dests);
	kindex_free(&svcs);
	free(cur_taken);
	return err;
}

void ipvs_ops_free(struct ipvs_ops *ops)
{
	if (!ops)
		return;
	free(ops->ops);
	ops->ops = NULL;
	ops->n = 0;
}

const char *ipvs_op_describe(const struct ipvs_op *op, char *buf, size_t len)
{
	char s[IPVS_SERVICE_STRLEN], d[IPVS_DEST_STRLEN], extra[48] = "";

	if (!len)
		return buf;
	ipvs_service_fmt(&op->svc, s, sizeof(s));
	ipvs_dest_fmt(&op->dest, d, sizeof(d));
	if (op->kind == IPVS_OP_ADD_SERVICE || op->kind == IPVS_OP_EDIT_SERVICE) {
		if (op->svc.flags & IPVS_SVC_F_PERSISTENT)
			snprintf(extra, sizeof(extra), " (%.15s, persistent %u s)",
				 op->svc.sched_name, (unsigned)op->svc.timeout);
		else
			snprintf(extra, sizeof(extra), " (%.15s)", op->svc.sched_name);
	} else if (op->kind == IPVS_OP_ADD_DEST || op->kind == IPVS_OP_EDIT_DEST) {
		snprintf(extra, sizeof(extra), " (%s, weight %d)", ipvs_fwd_name(op->dest.fwd),
			 (int)op->dest.weight);
	}
	switch (op->kind) {
	case IPVS_OP_ADD_SERVICE:
		snprintf(buf, len, "add service %s%s", s, extra);
		break;
	case IPVS_OP_EDIT_SERVICE:
		snprintf(buf, len, "edit service %s%s", s, extra);
		break;
	case IPVS_OP_DEL_SERVICE:
		snprintf(buf, len, "delete service %s", s);
		break;
	case IPVS_OP_ADD_DEST:
		snprintf(buf, len, "add dest %s to %s%s", d, s, extra);
		break;
	case IPVS_OP_EDIT_DEST:
		snprintf(buf, len, "edit dest %s in %s%s", d, s, extra);
		break;
	case IPVS_OP_DEL_DEST:
		snprintf(buf, len, "delete dest %s from %s", d, s);
		break;
	default:
		snprintf(buf, len, "unknown operation %d", (int)op->kind);
		break;
	}
	return buf;
}
