/* test_ipvs_reconcile.c - the desired IPVS table from configuration text,
 * and the operations ipvs_diff() chooses (reconcile.c). No kernel: the
 * "current" tables are copies of desired ones, changed by hand the way a
 * dump would differ. */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ipvs/reconcile.h"
#include "testutil.h"

/* ---- helpers --------------------------------------------------------------- */

static struct config *load(const char *text)
{
	return parse_ok(text, NULL);
}

static void desired_ok(const struct config *cfg, rs_verdict_fn fn, void *data,
		       struct ipvs_table *t)
{
	int err = ipvs_desired(cfg, fn, data, t);
	ck_assert_msg(err == 0, "ipvs_desired: %d", err);
}

/* The entry whose service prints as name ("[10.0.0.1]:tcp:80", "FWM 5"). */
static const struct ipvs_entry *svc_named(const struct ipvs_table *t, const char *name)
{
	char buf[IPVS_SERVICE_STRLEN];
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(ipvs_service_fmt(&t->entries[i].svc, buf, sizeof(buf)), name) == 0)
			return &t->entries[i];
	ck_abort_msg("no service %s in the table", name);
	return NULL;
}

static bool has_svc(const struct ipvs_table *t, const char *name)
{
	char buf[IPVS_SERVICE_STRLEN];
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(ipvs_service_fmt(&t->entries[i].svc, buf, sizeof(buf)), name) == 0)
			return true;
	return false;
}

/* The destination printed as name ("[10.0.0.2]:80"), or NULL. */
static const struct ipvs_dest *dest_named(const struct ipvs_entry *e, const char *name)
{
	char buf[IPVS_DEST_STRLEN];
	for (size_t i = 0; i < e->ndests; i++)
		if (strcmp(ipvs_dest_fmt(&e->dests[i], buf, sizeof(buf)), name) == 0)
			return &e->dests[i];
	return NULL;
}

static const struct ipvs_dest *dest_ok(const struct ipvs_entry *e, const char *name)
{
	const struct ipvs_dest *d = dest_named(e, name);
	ck_assert_msg(d != NULL, "no dest %s", name);
	return d;
}

/* A verdict from a list: addresses that are down, and one weight override. */
struct fake {
	const char *down[8];
	const char *dyn_addr;     /* this real server's weight is dyn_weight */
	int32_t dyn_weight;
};

static struct rs_verdict fake_verdict(const struct virtual_server *vs,
				      const struct real_server *rs, void *data)
{
	const struct fake *f = data;
	char a[VADDR_STRLEN];
	struct rs_verdict v = { true, -1 };

	(void)vs;
	vaddr_format(&rs->addr, a, sizeof(a));
	for (size_t i = 0; i < 8 && f->down[i]; i++)
		if (strcmp(f->down[i], a) == 0)
			v.up = false;
	if (f->dyn_addr && strcmp(f->dyn_addr, a) == 0)
		v.weight = f->dyn_weight;
	return v;
}

/* A kernel dump of t: the same values, plus what the kernel adds
 * (HASHED, counters), each entry owning its dests. */
static void dump_of(const struct ipvs_table *t, struct ipvs_table *out)
{
	out->n = t->n;
	out->entries = calloc(t->n ? t->n : 1, sizeof(*out->entries));
	ck_assert_ptr_nonnull(out->entries);
	for (size_t i = 0; i < t->n; i++) {
		struct ipvs_entry *e = &out->entries[i];
		e->svc = t->entries[i].svc;
		e->svc.flags |= IPVS_SVC_F_HASHED;
		e->svc.stats.conns = 1000 + i;
		e->ndests = t->entries[i].ndests;
		e->dests = calloc(e->ndests ? e->ndests : 1, sizeof(*e->dests));
		ck_assert_ptr_nonnull(e->dests);
		for (size_t j = 0; j < e->ndests; j++) {
			e->dests[j] = t->entries[i].dests[j];
			e->dests[j].active_conns = 5;
			e->dests[j].stats.inbytes = 12345;
		}
	}
}

static void set_svc(struct ipvs_service *s, const char *addr, uint16_t port)
{
	ipvs_service_init(s, AF_INET);
	s->protocol = IPPROTO_TCP;
	s->port = port;
	ck_assert_int_eq(inet_pton(AF_INET, addr, s->addr.bytes), 1);
}

static void set_dest(struct ipvs_dest *d, const char *addr, uint16_t port, int32_t weight)
{
	ipvs_dest_init(d, AF_INET);
	d->port = port;
	d->weight = weight;
	ck_assert_int_eq(inet_pton(AF_INET, addr, d->addr.bytes), 1);
}

/* Append a service with n dests 192.0.2.(first..first+n-1):80 to t. */
static struct ipvs_entry *append(struct ipvs_table *t, const char *addr, uint16_t port,
				 size_t n, int first)
{
	struct ipvs_entry *v = realloc(t->entries, (t->n + 1) * sizeof(*v));
	ck_assert_ptr_nonnull(v);
	t->entries = v;
	struct ipvs_entry *e = &t->entries[t->n++];
	memset(e, 0, sizeof(*e));
	set_svc(&e->svc, addr, port);
	e->dests = calloc(n ? n : 1, sizeof(*e->dests));
	e->ndests = n;
	for (size_t i = 0; i < n; i++) {
		char a[32];
		snprintf(a, sizeof(a), "192.0.2.%d", first + (int)i);
		set_dest(&e->dests[i], a, 80, 1);
	}
	return e;
}

static void diff_ok(const struct ipvs_table *want, const struct ipvs_table *have,
		    ipvs_owned_fn owned, void *data, struct ipvs_ops *ops)
{
	int err = ipvs_diff(want, have, owned, data, ops);
	ck_assert_msg(err == 0, "ipvs_diff: %d", err);
}

static const char *op_text(const struct ipvs_ops *ops, size_t i)
{
	static char buf[IPVS_OP_STRLEN];
	ck_assert_uint_lt(i, ops->n);
	return ipvs_op_describe(&ops->ops[i], buf, sizeof(buf));
}

static void print_ops(const struct ipvs_ops *ops)
{
	for (size_t i = 0; i < ops->n; i++)
		fprintf(stderr, "  op %zu: %s\n", i, op_text(ops, i));
}

static void expect_ops(const struct ipvs_ops *ops, const char *const *want, size_t n)
{
	bool same = ops->n == n;
	for (size_t i = 0; same && i < n; i++)
		same = strcmp(op_text(ops, i), want[i]) == 0;
	if (!same) {
		fprintf(stderr, "expected %zu operations:\n", n);
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, "  want %zu: %s\n", i, want[i]);
		print_ops(ops);
	}
	ck_assert_msg(same, "operations differ (see above)");
}

static bool owned_all(const struct ipvs_service *s, const struct ipvs_dest *d, void *data)
{
	(void)s;
	(void)d;
	(void)data;
	return true;
}

/* Everything except 192.0.2.200 (a destination someone added by hand)
 * and the service 10.99.0.1 (someone else's). */
static bool owned_ours(const struct ipvs_service *s, const struct ipvs_dest *d, void *data)
{
	uint8_t foreign_dest[4] = { 192, 0, 2, 200 }, foreign_svc[4] = { 10, 99, 0, 1 };
	(void)data;
	if (d)
		return memcmp(d->addr.bytes, foreign_dest, 4) != 0;
	return memcmp(s->addr.bytes, foreign_svc, 4) != 0;
}

/* ---- desired: forwarding methods, families, fwmarks ------------------------------- */

START_TEST(nat_ipv4)
{
	struct config *cfg = load(
		"virtual_server 10.0.0.1 80 {\n"
		"  lvs_sched rr\n"
		"  protocol TCP\n"
		"  real_server 10.0.1.1 8080 {\n"
		"    weight 3\n"
		"  }\n"
		"  real_server 10.0.1.2 {\n"
		"    weight 2\n"
		"    uthreshold 100\n"
		"    lthreshold 10\n"
		"  }\n"
		"}\n");
	struct ipvs_table t;
	desired_ok(cfg, NULL, NULL, &t);
	ck_assert_uint_eq(t.n, 1);
	const struct ipvs_entry *e = &t.entries[0];
	ck_assert_ptr_eq(e->vs, cfg->virtual_servers.first);
	ck_assert(!e->shares_dests);
	ck_assert_uint_eq(e->svc.af, AF_INET);
	ck_assert_uint_eq(e->svc.protocol, IPPROTO_TCP);
	ck_assert_uint_eq(e->svc.port, 80);
	ck_assert_uint_eq(e->svc.fwmark, 0);
	ck_assert_mem_eq(e->svc.addr.bytes, "\x0a\x00\x00\x01", 4);
	ck_assert_str_eq(e->svc.sched_name, "rr");
	ck_assert_str_eq(e->svc.pe_name, "");
	ck_assert_uint_eq(e->svc.flags, 0);
	ck_assert_uint_eq(e->svc.timeout, 0);
	ck_assert_uint_eq(e->svc.netmask, 0xffffffffu);
	ck_assert_uint_eq(e->ndests, 2);
	const struct ipvs_dest *d = &e->dests[0];
	ck_assert_uint_eq(d->af, AF_INET);
	ck_assert_mem_eq(d->addr.bytes, "\x0a\x00\x01\x01", 4);
	ck_assert_uint_eq(d->port, 8080);
	ck_assert_uint_eq(d->fwd, IPVS_FWD_MASQ);
	ck_assert_int_eq(d->weight, 3);
	ck_assert_uint_eq(d->u_threshold, 0);
	/* no port on an IP service: the service's */
	d = &e->dests[1];
	ck_assert_uint_eq(d->port, 80);
	ck_assert_int_eq(d->weight, 2);
	ck_assert_uint_eq(d->u_threshold, 100);
	ck_assert_uint_eq(d->l_threshold, 10);
	ipvs_table_free(&t);
	conf_unref(cfg);
}
END_TEST

START_TEST(dr_and_tunnels)
{
	struct config *cfg = load(
		"virtual_server 10.0.0.2 443 {\n"
		"  protocol TCP\n"
		"  lvs_method DR\n"
		"  real_server 10.0.1.3 {\n"
		"    weight 1\n"
		"  }\n"
		"  real_server 10.0.1.4 443 {\n"
		"    lvs_method TUN type gue port 6080 csum\n"
		"  }\n"
		"  real_server 10.0.1.5 443 {\n"
		"    lvs_method TUN type gre csum\n"
		"  }\n"
		"  real_server 10.0.1.6 443 {\n"
		"    lvs_method TUN type gue port 7000 remcsum\n"
		"  }\n"
		"  real_server 2001:db8::6 443 {\n"
		"    lvs_method TUN\n"
		"  }\n"
		"}\n"
		"virtual_server 10.0.0.3 80 {\n"
		"  protocol TCP\n"
		"  lvs_method TUN type gre\n"
		"  real_server 10.0.1.7 80 {\n"
		"    weight 4\n"
		"  }\n"
		"}\n");
	struct ipvs_table t;
	desired_ok(cfg, NULL, NULL, &t);
	ck_assert_uint_eq(t.n, 2);
	const struct ipvs_entry *e = svc_named(&t, "[10.0.0.2]:tcp:443");
	ck_assert_uint_eq(e->ndests, 5);
	const struct ipvs_dest *d = dest_ok(e, "[10.0.1.3]:443");
	ck_assert_uint_eq(d->fwd, IPVS_FWD_DROUTE);
	ck_assert_uint_eq(d->tun_type, 0);
	d = dest_ok(e, "[10.0.1.4]:443");
	ck_assert_uint_eq(d->fwd, IPVS_FWD_TUNNEL);
	ck_assert_uint_eq(d->tun_type, IPVS_TUN_GUE);
	ck_assert_uint_eq(d->tun_port, 6080);
	ck_assert_uint_eq(d->tun_flags, IPVS_TUN_F_CSUM);
	d = dest_ok(e, "[10.0.1.5]:443");
	ck_assert_uint_eq(d->tun_type, IPVS_TUN_GRE);
	ck_assert_uint_eq(d->tun_port, 0);
	ck_assert_uint_eq(d->tun_flags, IPVS_TUN_F_CSUM);
	d = dest_ok(e, "[10.0.1.6]:443");
	ck_assert_uint_eq(d->tun_type, IPVS_TUN_GUE);
	ck_assert_uint_eq(d->tun_port, 7000);
	ck_assert_uint_eq(d->tun_flags, IPVS_TUN_F_REMCSUM);
	/* a tunnelled real server may be of the other family */
	d = dest_ok(e, "[2001:db8::6]:443");
	ck_assert_uint_eq(d->af, AF_INET6);
	ck_assert_uint_eq(d->fwd, IPVS_FWD_TUNNEL);
	ck_assert_uint_eq(d->tun_type, IPVS_TUN_IPIP);
	ck_assert_uint_eq(d->tun_flags, IPVS_TUN_F_NOCSUM);
	/* a real server inherits the method with its tunnel options */
	d = dest_ok(svc_named(&t, "[10.0.0.3]:tcp:80"), "[10.0.1.7]:80");
	ck_assert_uint_eq(d->fwd, IPVS_FWD_TUNNEL);
	ck_assert_uint_eq(d->tun_type, IPVS_TUN_GRE);
	ck_assert_int_eq(d->weight, 4);
	ipvs_table_free(&t);
	conf_unref(cfg);
}
END_TEST

START_TEST(ipv6_and_fwmark)
{
	struct config *cfg = load(
		"virtual_server 2001:db8::1 53 {\n"
		"  protocol UDP\n"
		"  real_server 2001:db8::10 53 {\n"
		"    weight 2\n"
		"  }\n"
		"}\n"
		"virtual_server fwmark 5 {\n"
		"  lvs_sched sh\n"
		"  sh-port\n"
		"  sh-fallback\n"
		"  real_server 10.0.2.1 {\n"
		"    weight 1\n"
		"  }\n"
		"}\n"
		"virtual_server fwmark 6 {\n"
		"  lvs_method DR\n"
		"  real_server 2001:db8::20 {\n"
		"    weight 1\n"
		"  }\n"
		"}\n"
		"virtual_server fwmark 8 {\n"
		"  ip_family inet6\n"
		"  lvs_method TUN\n"
		"  real_server 10.0.2.2 {\n"
		"    weight 1\n"
		"  }\n"
		"}\n"
		"virtual_server 10.0.2.9 80 {\n"
		"  protocol SCTP\n"
		"  lvs_sched mh\n"
		"  mh-fallback\n"
		"  flag-3\n"
		"  real_server 10.0.2.10 80 {\n"
		"    weight 1\n"
		"  }\n"
		"}\n");
	struct ipvs_table t;
	desired_ok(cfg, NULL, NULL, &t);
	ck_assert_uint_eq(t.n, 5);

	const struct ipvs_entry *e = &t.entries[0];
	char buf[IPVS_SERVICE_STRLEN];
	ck_assert_str_eq(ipvs_service_fmt(&e->svc, buf, sizeof(buf)), "[2001:db8::1]:udp:53");
	ck_assert_uint_eq(e->svc.af, AF_INET6);
	ck_assert_uint_eq(e->svc.protocol, IPPROTO_UDP);
	ck_assert_uint_eq(e->svc.netmask, 128);
	const struct ipvs_dest *d = dest_ok(e, "[2001:db8::10]:53");
	ck_assert_uint_eq(d->af, AF_INET6);
	ck_assert_int_eq(d->weight, 2);

	e = &t.entries[1];
	ck_assert_str_eq(ipvs_service_fmt(&e->svc, buf, sizeof(buf)), "FWM 5");
	ck_assert_uint_eq(e->svc.fwmark, 5);
	ck_assert_uint_eq(e->svc.af, AF_INET);
	ck_assert_uint_eq(e->svc.port, 0);
	ck_assert_str_eq(e->svc.sched_name, "sh");
	ck_assert_uint_eq(e->svc.flags, IPVS_SVC_F_SH_PORT | IPVS_SVC_F_SH_FALLBACK);
	ck_assert_uint_eq(dest_ok(e, "[10.0.2.1]:0")->port, 0);

	/* the family of a fwmark service: its servers', or ip_family */
	ck_assert_uint_eq(svc_named(&t, "FWM 6 inet6")->svc.af, AF_INET6);
	ck_assert_uint_eq(svc_named(&t, "FWM 6 inet6")->svc.netmask, 128);
	e = svc_named(&t, "FWM 8 inet6");
	ck_assert_uint_eq(dest_ok(e, "[10.0.2.2]:0")->af, AF_INET);

	e = svc_named(&t, "[10.0.2.9]:sctp:80");
	ck_assert_str_eq(e->svc.sched_name, "mh");
	ck_assert_uint_eq(e->svc.flags, IPVS_SVC_F_MH_FALLBACK | IPVS_SVC_F_SCHED3);
	ipvs_table_free(&t);
	conf_unref(cfg);
}
END_TEST

START_TEST(persistence)
{
	struct config *cfg = load(
		"virtual_server 10.0.7.1 {\n"
		"  protocol TCP\n"
		"  real_server 10.0.8.1 {\n"
		"    weight 1\n"
		"  }\n"
		"}\n"
		"virtual_server 10.0.7.2 80 {\n"
		"  protocol TCP\n"
		"  persistence_timeout 600\n"
		"  persistence_granularity 255.255.255.0\n"
		"  real_server 10.0.8.2 80 {\n"
		"    weight 1\n"
		"  }\n"
		"}\n"
		"virtual_server 2001:db8::7 80 {\n"
		"  protocol TCP\n"
		"  persistence_granularity 64\n"
		"  real_server 2001:db8::8 80 {\n"
		"    weight 1\n"
		"  }\n"
		"}\n"
		"virtual_server 10.0.7.3 5060 {\n"
		"  protocol UDP\n"
		"  ops\n"
		"  hashed\n"
		"  persistence_engine sip\n"
		"  persistence_timeout 30\n"
		"  real_server 10.0.8.3 5060 {\n"
		"    weight 1\n"
		"  }\n"
		"}\n");
	struct ipvs_table t;
	desired_ok(cfg, NULL, NULL, &t);
	ck_assert_uint_eq(t.n, 4);

	/* a port-0 service: persistent with keepalived's default timeout */
	const struct ipvs_entry *e = svc_named(&t, "[10.0.7.1]:tcp:0");
	ck_assert_uint_eq(e->svc.flags, IPVS_SVC_F_PERSISTENT);
	ck_assert_uint_eq(e->svc.timeout, 360);
	ck_assert_uint_eq(e->svc.netmask, 0xffffffffu);
	ck_assert_uint_eq(dest_ok(e, "[10.0.8.1]:0")->port, 0);

	e = svc_named(&t, "[10.0.7.2]:tcp:80");
	ck_assert_uint_eq(e->svc.flags, IPVS_SVC_F_PERSISTENT);
	ck_assert_uint_eq(e->svc.timeout, 600);
	ck_assert_uint_eq(e->svc.netmask, 0xffffff00u);

	e = svc_named(&t, "[2001:db8::7]:tcp:80");
	ck_assert_uint_eq(e->svc.flags, IPVS_SVC_F_PERSISTENT);
	ck_assert_uint_eq(e->svc.timeout, 360);
	ck_assert_uint_eq(e->svc.netmask, 64);

	e = svc_named(&t, "[10.0.7.3]:udp:5060");
	ck_assert_uint_eq(e->svc.flags, IPVS_SVC_F_PERSISTENT | IPVS_SVC_F_ONEPACKET);
	ck_assert_uint_eq(e->svc.timeout, 30);
	ck_assert_str_eq(e->svc.pe_name, "sip");
	ck_assert_str_eq(e->svc.sched_name, "wlc");
	ipvs_table_free(&t);
	conf_unref(cfg);
}
END_TEST

/* ---- desired: groups ------------------------------------------------------------- */

START_TEST(group_ranges)
{
	struct config *cfg = load(
		"virtual_server_group G {\n"
		"  10.0.3.1-3 80\n"
		"  10.0.3.254-10.0.4.1 80\n"
		"  10.0.5.8/30 443\n"
		"  fwmark 7\n"
		"}\n"
		"virtual_server_group G6 {\n"
		"  2001:db8::1-3 80\n"
		"  2001:db8::fffe-2001:db8::1:1 80\n"
		"}\n"
		"virtual_server group G {\n"
		"  protocol TCP\n"
		"  lvs_sched rr\n"
		"  real_server 10.0.6.1 80 {\n"
		"    weight 1\n"
		"  }\n"
		"  real_server 10.0.6.2 {\n"
		"    weight 2\n"
		"  }\n"
		"}\n"
		"virtual_server group G6 {\n"
		"  protocol TCP\n"
		"  real_server 2001:db8::100 80 {\n"
		"    weight 1\n"
		"  }\n"
		"}\n"
		/* already in group G: the group's service stays, this one is left out */
		"virtual_server 10.0.3.2 80 {\n"
		"  protocol TCP\n"
		"  real_server 10.0.9.9 80 {\n"
		"    weight 1\n"
		"  }\n"
		"}\n");
	static const char *const want[] = {
		"[10.0.3.1]:tcp:80", "[10.0.3.2]:tcp:80", "[10.0.3.3]:tcp:80",
		"[10.0.3.254]:tcp:80", "[10.0.3.255]:tcp:80", "[10.0.4.0]:tcp:80",
		"[10.0.4.1]:tcp:80",
		"[10.0.5.8]:tcp:443", "[10.0.5.9]:tcp:443", "[10.0.5.10]:tcp:443",
		"[10.0.5.11]:tcp:443",
		"FWM 7",
		"[2001:db8::1]:tcp:80", "[2001:db8::2]:tcp:80", "[2001:db8::3]:tcp:80",
		"[2001:db8::fffe]:tcp:80", "[2001:db8::ffff]:tcp:80", "[2001:db8::1:0]:tcp:80",
		"[2001:db8::1:1]:tcp:80",
	};
	size_t nwant = sizeof(want) / sizeof(want[0]);
	struct ipvs_table t;
	desired_ok(cfg, NULL, NULL, &t);
	char buf[IPVS_SERVICE_STRLEN];
	for (size_t i = 0; i < t.n && i < nwant; i++)
		ck_assert_str_eq(ipvs_service_fmt(&t.entries[i].svc, buf, sizeof(buf)), want[i]);
	ck_assert_uint_eq(t.n, nwant);

	const struct virtual_server *g = (const void *)cfg->virtual_servers.first;
	for (size_t i = 0; i < 12; i++) {
		const struct ipvs_entry *e = &t.entries[i];
		ck_assert_ptr_eq(e->vs, g);
		ck_assert_str_eq(e->svc.sched_name, "rr");
		ck_assert_uint_eq(e->ndests, 2);
		/* one array for the whole group, owned by its first service */
		ck_assert_ptr_eq(e->dests, t.entries[0].dests);
		ck_assert(e->shares_dests == (i > 0));
		/* group services keep the real server's port as written */
		ck_assert_uint_eq(e->dests[1].port, 0);
	}
	ck_assert_uint_eq(t.entries[11].svc.fwmark, 7);
	ck_assert_uint_eq(t.entries[11].svc.af, AF_INET);
	ck_assert_uint_eq(t.entries[12].svc.af, AF_INET6);
	ck_assert(!t.entries[12].shares_dests);
	ck_assert(t.entries[18].shares_dests);
	ck_assert_uint_eq(t.entries[18].dests[0].af, AF_INET6);
	ipvs_table_free(&t);
	conf_unref(cfg);
}
END_TEST

START_TEST(group_too_large)
{
	struct config *cfg = load(
		"virtual_server_group G {\n"
		"  2001:db8::/64 80\n"
		"}\n"
		"virtual_server group G {\n"
		"  protocol TCP\n"
		"  real_server 2001:db8:1::1 80 {\n"
		"    weight 1\n"
		"  }\n"
		"}\n");
	struct ipvs_table t;
	ck_assert_int_eq(ipvs_desired(cfg, NULL, NULL, &t), -E2BIG);
	ck_assert_uint_eq(t.n, 0);
	ck_assert_ptr_null(t.entries);
	conf_unref(cfg);

	/* 2^21 addresses are refused before anything is allocated */
	cfg = load("virtual_server_group G {\n"
		   "  10.0.0.0/11 80\n"
		   "}\n"
		   "virtual_server group G {\n"
		   "  protocol TCP\n"
		   "  real_server 192.168.0.1 80 {\n"
		   "    weight 1\n"
		   "  }\n"
		   "}\n");
	ck_assert_int_eq(ipvs_desired(cfg, NULL, NULL, &t), -E2BIG);
	conf_unref(cfg);

	/* a /16 is 65,536 services */
	cfg = load("virtual_server_group G {\n"
		   "  10.16.0.0/16 80\n"
		   "}\n"
		   "virtual_server group G {\n"
		   "  protocol TCP\n"
		   "  real_server 192.168.0.1 80 {\n"
		   "    weight 1\n"
		   "  }\n"
		   "}\n");
	ck_assert_int_eq(ipvs_desired(cfg, NULL, NULL, &t), 0);
	ck_assert_uint_eq(t.n, 65536);
	char buf[IPVS_SERVICE_STRLEN];
	ck_assert_str_eq(ipvs_service_fmt(&t.entries[t.n - 1].svc, buf, sizeof(buf)),
			 "[10.16.255.255]:tcp:80");
	ipvs_table_free(&t);
	conf_unref(cfg);
}
END_TEST

/* ---- desired: health, inhibit, alpha, quorum -------------------------------------- */

START_TEST(inhibit_on_failure)
{
	struct config *cfg = load(
		"virtual_server 10.0.8.1 80 {\n"
		"  protocol TCP\n"
		"  inhibit_on_failure\n"
		"  real_server 10.0.8.11 80 {\n"
		"    weight 5\n"
		"  }\n"
		"  real_server 10.0.8.12 80 {\n"
		"    weight 5\n"
		"    inhibit_on_failure off\n"
		"  }\n"
		"  real_server 10.0.8.13 80 {\n"
		"    weight 5\n"
		"  }\n"
		"}\n"
		"virtual_server 10.0.8.2 80 {\n"
		"  protocol TCP\n"
		"  real_server 10.0.8.21 80 {\n"
		"    inhibit_on_failure on\n"
		"  }\n"
		"  real_server 10.0.8.22 80 {\n"
		"    weight 1\n"
		"  }\n"
		"  real_server 10.0.8.23 80 {\n"
		"    weight 1\n"
		"  }\n"
		"}\n");
	struct fake f = { .down = { "10.0.8.11", "10.0.8.12", "10.0.8.21", "10.0.8.22" },
			  "10.0.8.23", 9 };
	struct ipvs_table t;
	desired_ok(cfg, fake_verdict, &f, &t);
	const struct ipvs_entry *e = svc_named(&t, "[10.0.8.1]:tcp:80");
	ck_assert_uint_eq(e->ndests, 2);
	ck_assert_int_eq(dest_ok(e, "[10.0.8.11]:80")->weight, 0);
	ck_assert_ptr_null(dest_named(e, "[10.0.8.12]:80"));
	ck_assert_int_eq(dest_ok(e, "[10.0.8.13]:80")->weight, 5);
	e = svc_named(&t, "[10.0.8.2]:tcp:80");
	ck_assert_uint_eq(e->ndests, 2);
	ck_assert_int_eq(dest_ok(e, "[10.0.8.21]:80")->weight, 0);
	ck_assert_ptr_null(dest_named(e, "[10.0.8.22]:80"));
	/* a checker's dynamic weight */
	ck_assert_int_eq(dest_ok(e, "[10.0.8.23]:80")->weight, 9);
	ipvs_table_free(&t);

	/* all up, no verdict function: everyone with the configured weight */
	desired_ok(cfg, NULL, NULL, &t);
	ck_assert_uint_eq(svc_named(&t, "[10.0.8.1]:tcp:80")->ndests, 3);
	ck_assert_int_eq(dest_ok(svc_named(&t, "[10.0.8.2]:tcp:80"), "[10.0.8.21]:80")->weight, 1);
	ipvs_table_free(&t);
	conf_unref(cfg);
}
END_TEST

START_TEST(alpha)
{
	struct config *cfg = load(
		"virtual_server 10.0.9.1 80 {\n"
		"  protocol TCP\n"
		"  alpha\n"
		"  real_server 10.0.9.11 80 {\n"
		"    TCP_CHECK {\n"
		"      connect_timeout 3\n"
		"    }\n"
		"  }\n"
		"  real_server 10.0.9.12 80 {\n"
		"    weight 2\n"
		"  }\n"
		"  real_server 10.0.9.13 80 {\n"
		"    alpha no\n"
		"    TCP_CHECK {\n"
		"    }\n"
		"  }\n"
		"  real_server 10.0.9.14 80 {\n"
		"    inhibit_on_failure on\n"
		"    TCP_CHECK {\n"
		"    }\n"
		"  }\n"
		"}\n"
		"virtual_server 10.0.9.2 80 {\n"
		"  protocol TCP\n"
		"  real_server 10.0.9.21 80 {\n"
		"    TCP_CHECK {\n"
		"    }\n"
		"    TCP_CHECK {\n"
		"      alpha yes\n"
		"    }\n"
		"  }\n"
		"  real_server 10.0.9.22 80 {\n"
		"    TCP_CHECK {\n"
		"    }\n"
		"  }\n"
		"}\n");
	struct ipvs_table t;
	desired_ok(cfg, NULL, NULL, &t);
	const struct ipvs_entry *e = svc_named(&t, "[10.0.9.1]:tcp:80");
	ck_assert_ptr_null(dest_named(e, "[10.0.9.11]:80"));
	/* no checker, nothing to start down */
	ck_assert_int_eq(dest_ok(e, "[10.0.9.12]:80")->weight, 2);
	ck_assert_int_eq(dest_ok(e, "[10.0.9.13]:80")->weight, 1);
	ck_assert_int_eq(dest_ok(e, "[10.0.9.14]:80")->weight, 0);
	ck_assert_uint_eq(e->ndests, 3);
	e = svc_named(&t, "[10.0.9.2]:tcp:80");
	ck_assert_ptr_null(dest_named(e, "[10.0.9.21]:80"));
	ck_assert_int_eq(dest_ok(e, "[10.0.9.22]:80")->weight, 1);
	ipvs_table_free(&t);
	conf_unref(cfg);
}
END_TEST

static const char quorum_conf[] =
	"virtual_server 10.0.10.1 80 {\n"
	"  protocol TCP\n"
	"  quorum 3\n"
	"  hysteresis 1\n"
	"  sorry_server 10.0.10.99 8080\n"
	"  real_server 10.0.10.11 80 {\n"
	"  }\n"
	"  real_server 10.0.10.12 80 {\n"
	"  }\n"
	"  real_server 10.0.10.13 80 {\n"
	"  }\n"
	"  real_server 10.0.10.14 80 {\n"
	"  }\n"
	"}\n";

/* One step with quorum memory: returns the service's destinations as
 * "a,b,..." (address:weight) for compact asserts. */
static const char *quorum_step(const struct config *cfg, struct ipvs_quorum_state *q,
			       struct fake *f, const char *svc)
{
	static char out[256];
	char d[IPVS_DEST_STRLEN];
	struct ipvs_table t;
	ck_assert_int_eq(ipvs_desired_quorum(cfg, fake_verdict, f, q, &t), 0);
	const struct ipvs_entry *e = svc_named(&t, svc);
	out[0] = '\0';
	for (size_t i = 0; i < e->ndests; i++) {
		size_t n = strlen(out);
		snprintf(out + n, sizeof(out) - n, "%s%s/%d", i ? "," : "",
			 ipvs_dest_fmt(&e->dests[i], d, sizeof(d)), (int)e->dests[i].weight);
	}
	ipvs_table_free(&t);
	return out;
}

START_TEST(quorum_sorry_hysteresis)
{
	struct config *cfg = load(quorum_conf);
	const char *svc = "[10.0.10.1]:tcp:80";
	const char *all = "[10.0.10.11]:80/1,[10.0.10.12]:80/1,[10.0.10.13]:80/1,"
			  "[10.0.10.14]:80/1";
	struct ipvs_quorum_state q;
	ck_assert_int_eq(ipvs_quorum_init(&q, cfg), 0);
	ck_assert_uint_eq(q.n, 1);

	/* 4 >= quorum + hysteresis: up, no sorry server */
	struct fake f = { .down = { NULL } };
	ck_assert_str_eq(quorum_step(cfg, &q, &f, svc), all);
	ck_assert_uint_eq(q.state[0], IPVS_QUORUM_UP);
	/* 2 is not below quorum - hysteresis: still up */
	f = (struct fake){ .down = { "10.0.10.11", "10.0.10.12" } };
	ck_assert_str_eq(quorum_step(cfg, &q, &f, svc), "[10.0.10.13]:80/1,[10.0.10.14]:80/1");
	ck_assert_uint_eq(q.state[0], IPVS_QUORUM_UP);
	/* 1 < 2: lost; the sorry server replaces everyone */
	f = (struct fake){ .down = { "10.0.10.11", "10.0.10.12", "10.0.10.13" } };
	ck_assert_str_eq(quorum_step(cfg, &q, &f, svc), "[10.0.10.99]:8080/1");
	ck_assert_uint_eq(q.state[0], IPVS_QUORUM_DOWN);
	/* 3 < quorum + hysteresis: still lost */
	f = (struct fake){ .down = { "10.0.10.11" } };
	ck_assert_str_eq(quorum_step(cfg, &q, &f, svc), "[10.0.10.99]:8080/1");
	ck_assert_uint_eq(q.state[0], IPVS_QUORUM_DOWN);
	/* 4: back */
	f = (struct fake){ .down = { NULL } };
	ck_assert_str_eq(quorum_step(cfg, &q, &f, svc), all);
	ck_assert_uint_eq(q.state[0], IPVS_QUORUM_UP);

	/* at start-up 3 is not enough (3 < quorum + hysteresis) */
	ipvs_quorum_free(&q);
	ck_assert_int_eq(ipvs_quorum_init(&q, cfg), 0);
	f = (struct fake){ .down = { "10.0.10.14" } };
	ck_assert_str_eq(quorum_step(cfg, &q, &f, svc), "[10.0.10.99]:8080/1");
	/* nor without memory */
	ck_assert_str_eq(quorum_step(cfg, NULL, &f, svc), "[10.0.10.99]:8080/1");
	ipvs_quorum_free(&q);
	conf_unref(cfg);
}
END_TEST

START_TEST(quorum_sorry_inhibit)
{
	struct config *cfg = load(
		"virtual_server 10.0.11.1 80 {\n"
		"  protocol TCP\n"
		"  quorum 2\n"
		"  sorry_server 10.0.11.99\n"
		"  sorry_server_inhibit\n"
		"  sorry_server_lvs_method DR\n"
		"  real_server 10.0.11.11 80 {\n"
		"    inhibit_on_failure on\n"
		"  }\n"
		"  real_server 10.0.11.12 80 {\n"
		"  }\n"
		"}\n"
		"virtual_server 10.0.12.1 80 {\n"
		"  protocol TCP\n"
		"  quorum 2\n"
		"  sorry_server 10.0.12.11 80\n"
		"  real_server 10.0.12.11 80 {\n"
		"    weight 5\n"
		"    lvs_method DR\n"
		"    inhibit_on_failure on\n"
		"  }\n"
		"  real_server 10.0.12.12 80 {\n"
		"  }\n"
		"}\n"
		"virtual_server 10.0.13.1 80 {\n"
		"  protocol TCP\n"
		"  sorry_server 10.0.13.99\n"
		"}\n");
	struct ipvs_quorum_state q;
	ck_assert_int_eq(ipvs_quorum_init(&q, cfg), 0);
	struct fake f = { .down = { NULL } };
	/* up: the sorry server is kept with weight 0; its port (none
	 * written, DR) is the service's */
	ck_assert_str_eq(quorum_step(cfg, &q, &f, "[10.0.11.1]:tcp:80"),
			 "[10.0.11.11]:80/1,[10.0.11.12]:80/1,[10.0.11.99]:80/0");
	/* a sorry server that is a real server: the real server as it is */
	ck_assert_str_eq(quorum_step(cfg, &q, &f, "[10.0.12.1]:tcp:80"),
			 "[10.0.12.11]:80/5,[10.0.12.12]:80/1");
	/* only a sorry server: the quorum is never there; a NAT sorry
	 * server without a port keeps port 0 (as keepalived) */
	ck_assert_str_eq(quorum_step(cfg, &q, &f, "[10.0.13.1]:tcp:80"), "[10.0.13.99]:0/1");
	ck_assert_uint_eq(q.state[2], IPVS_QUORUM_DOWN);

	f = (struct fake){ .down = { "10.0.11.12", "10.0.12.11" } };
	struct ipvs_table t;
	ck_assert_int_eq(ipvs_desired_quorum(cfg, fake_verdict, &f, &q, &t), 0);
	/* lost: the inhibited real server stays with weight 0 although up */
	const struct ipvs_entry *e = svc_named(&t, "[10.0.11.1]:tcp:80");
	ck_assert_uint_eq(e->ndests, 2);
	ck_assert_int_eq(dest_ok(e, "[10.0.11.11]:80")->weight, 0);
	const struct ipvs_dest *d = dest_ok(e, "[10.0.11.99]:80");
	ck_assert_int_eq(d->weight, 1);
	ck_assert_uint_eq(d->fwd, IPVS_FWD_DROUTE);
	/* the duplicate (inhibited, so kept with weight 0) takes the sorry
	 * server's settings: weight 1, NAT */
	e = svc_named(&t, "[10.0.12.1]:tcp:80");
	ck_assert_uint_eq(e->ndests, 1);
	ck_assert_int_eq(e->dests[0].weight, 1);
	ck_assert_uint_eq(e->dests[0].fwd, IPVS_FWD_MASQ);
	ipvs_table_free(&t);
	ipvs_quorum_free(&q);
	conf_unref(cfg);
}
END_TEST

START_TEST(quorum_dynamic_weight)
{
	struct config *cfg = load(
		"virtual_server 10.0.14.1 80 {\n"
		"  protocol TCP\n"
		"  quorum 4\n"
		"  sorry_server 10.0.14.99 80\n"
		"  real_server 10.0.14.11 80 {\n"
		"    weight 2\n"
		"  }\n"
		"  real_server 10.0.14.12 80 {\n"
		"    weight 2\n"
		"  }\n"
		"}\n");
	/* 2 + 1 < 4: the dynamic weight counts, not the configured one */
	struct fake f = { .down = { NULL }, "10.0.14.12", 1 };
	ck_assert_str_eq(quorum_step(cfg, NULL, &f, "[10.0.14.1]:tcp:80"), "[10.0.14.99]:80/1");
	f.dyn_weight = 3;
	ck_assert_str_eq(quorum_step(cfg, NULL, &f, "[10.0.14.1]:tcp:80"),
			 "[10.0.14.11]:80/2,[10.0.14.12]:80/3");
	conf_unref(cfg);
}
END_TEST

START_TEST(quorum_carry_over_reload)
{
	struct config *old = load(quorum_conf);
	char text[2048];
	snprintf(text, sizeof(text),
		 "virtual_server 10.0.20.1 80 {\n"
		 "  protocol TCP\n"
		 "  quorum 2\n"
		 "  sorry_server 10.0.20.99 80\n"
		 "  real_server 10.0.20.11 80 {\n"
		 "  }\n"
		 "}\n%s", quorum_conf);
	struct config *cfg = load(text);
	struct ipvs_quorum_state q;
	struct fake f = { .down = { NULL } };
	ck_assert_int_eq(ipvs_quorum_init(&q, old), 0);
	quorum_step(old, &q, &f, "[10.0.10.1]:tcp:80");
	ck_assert_uint_eq(q.state[0], IPVS_QUORUM_UP);

	/* state made for another configuration */
	struct ipvs_table t;
	ck_assert_int_eq(ipvs_desired_quorum(cfg, NULL, NULL, &q, &t), -EINVAL);

	ck_assert_int_eq(ipvs_quorum_carry(&q, cfg), 0);
	ck_assert_ptr_eq(q.cfg, cfg);
	ck_assert_uint_eq(q.n, 2);
	ck_assert_uint_eq(q.state[0], IPVS_QUORUM_UNKNOWN);
	ck_assert_uint_eq(q.state[1], IPVS_QUORUM_UP);
	/* 3 keeps a quorum that was up, though it would not gain one */
	f = (struct fake){ .down = { "10.0.10.14", "10.0.20.11" } };
	ck_assert_str_eq(quorum_step(cfg, &q, &f, "[10.0.10.1]:tcp:80"),
			 "[10.0.10.11]:80/1,[10.0.10.12]:80/1,[10.0.10.13]:80/1");
	ck_assert_uint_eq(q.state[0], IPVS_QUORUM_DOWN);   /* nothing up */
	ck_assert_uint_eq(q.state[1], IPVS_QUORUM_UP);
	ipvs_quorum_free(&q);
	conf_unref(cfg);
	conf_unref(old);
}
END_TEST

START_TEST(virtual_server_without_servers)
{
	size_t nwarn = 0;
	struct config *cfg = parse_ok(
		"virtual_server 10.0.15.1 80 {\n"
		"  protocol TCP\n"
		"}\n"
		"virtual_server 10.0.15.2 80 {\n"
		"  protocol TCP\n"
		"  real_server 10.0.15.3 80 {\n"
		"  }\n"
		"}\n", &nwarn);
	ck_assert_uint_ge(nwarn, 1);
	struct ipvs_table t;
	desired_ok(cfg, NULL, NULL, &t);
	ck_assert_uint_eq(t.n, 1);
	ck_assert(!has_svc(&t, "[10.0.15.1]:tcp:80"));
	ck_assert(has_svc(&t, "[10.0.15.2]:tcp:80"));
	ipvs_table_free(&t);
	conf_unref(cfg);
}
END_TEST

START_TEST(same_dest_after_port_fill)
{
	/* both are [10.0.16.1]:80 once the omitted port is filled in */
	struct config *cfg = load(
		"virtual_server 10.0.16.100 80 {\n"
		"  protocol TCP\n"
		"  real_server 10.0.16.1 {\n"
		"    weight 3\n"
		"  }\n"
		"  real_server 10.0.16.1 80 {\n"
		"    weight 4\n"
		"  }\n"
		"}\n");
	struct ipvs_table t;
	desired_ok(cfg, NULL, NULL, &t);
	ck_assert_uint_eq(t.entries[0].ndests, 1);
	ck_assert_int_eq(t.entries[0].dests[0].weight, 3);
	ipvs_table_free(&t);
	conf_unref(cfg);
}
END_TEST

/* ---- diff ---------------------------------------------------------------------------- */

static const char diff_conf[] =
	"virtual_server 10.0.30.1 80 {\n"
	"  protocol TCP\n"
	"  lvs_sched rr\n"
	"  real_server 10.0.31.1 80 {\n"
	"    weight 1\n"
	"  }\n"
	"  real_server 10.0.31.2 80 {\n"
	"    weight 2\n"
	"  }\n"
	"  real_server 10.0.31.3 80 {\n"
	"    weight 3\n"
	"  }\n"
	"}\n"
	"virtual_server fwmark 9 {\n"
	"  real_server 10.0.32.1 {\n"
	"    weight 1\n"
	"  }\n"
	"}\n";

START_TEST(diff_equal_is_nothing)
{
	struct config *cfg = load(diff_conf);
	struct ipvs_table want, have;
	struct ipvs_ops ops;
	desired_ok(cfg, NULL, NULL, &want);
	dump_of(&want, &have);
	/* HASHED, counters and statistics differ; nothing else */
	diff_ok(&want, &have, NULL, NULL, &ops);
	ck_assert_uint_eq(ops.n, 0);
	ipvs_ops_free(&ops);
	diff_ok(&want, &have, owned_all, NULL, &ops);
	ck_assert_uint_eq(ops.n, 0);
	ipvs_ops_free(&ops);
	/* empty against empty */
	struct ipvs_table none = { NULL, 0 };
	diff_ok(&none, &none, owned_all, NULL, &ops);
	ck_assert_uint_eq(ops.n, 0);
	ipvs_ops_free(&ops);
	ipvs_table_free(&have);
	ipvs_table_free(&want);
	conf_unref(cfg);
}
END_TEST

START_TEST(diff_one_weight)
{
	struct config *cfg = load(diff_conf);
	struct ipvs_table want, have;
	struct ipvs_ops ops;
	desired_ok(cfg, NULL, NULL, &want);
	dump_of(&want, &have);
	have.entries[0].dests[1].weight = 7;
	diff_ok(&want, &have, owned_all, NULL, &ops);
	static const char *const w[] = {
		"edit dest [10.0.31.2]:80 in [10.0.30.1]:tcp:80 (NAT, weight 2)",
	};
	expect_ops(&ops, w, 1);
	ck_assert_int_eq(ops.ops[0].kind, IPVS_OP_EDIT_DEST);
	ck_assert_int_eq(ops.ops[0].dest.weight, 2);
	ipvs_ops_free(&ops);

	/* thresholds and the forwarding method are edits too */
	have.entries[0].dests[1].weight = 2;
	have.entries[0].dests[0].u_threshold = 50;
	have.entries[1].dests[0].fwd = IPVS_FWD_DROUTE;
	diff_ok(&want, &have, NULL, NULL, &ops);
	static const char *const w2[] = {
		"edit dest [10.0.31.1]:80 in [10.0.30.1]:tcp:80 (NAT, weight 1)",
		"edit dest [10.0.32.1]:0 in FWM 9 (NAT, weight 1)",
	};
	expect_ops(&ops, w2, 2);
	ipvs_ops_free(&ops);
	ipvs_table_free(&have);
	ipvs_table_free(&want);
	conf_unref(cfg);
}
END_TEST

START_TEST(diff_service_edit_not_replace)
{
	struct config *cfg = load(diff_conf);
	struct ipvs_table want, have;
	struct ipvs_ops ops;
	desired_ok(cfg, NULL, NULL, &want);
	dump_of(&want, &have);
	memcpy(have.entries[0].svc.sched_name, "wlc", 4);
	diff_ok(&want, &have, owned_all, NULL, &ops);
	static const char *const w[] = { "edit service [10.0.30.1]:tcp:80 (rr)" };
	expect_ops(&ops, w, 1);
	ck_assert_int_eq(ops.ops[0].kind, IPVS_OP_EDIT_SERVICE);
	ck_assert_str_eq(ops.ops[0].svc.sched_name, "rr");
	ipvs_ops_free(&ops);

	/* persistence, flags and netmask: still one edit */
	memcpy(have.entries[0].svc.sched_name, "rr", 3);
	have.entries[1].svc.flags |= IPVS_SVC_F_PERSISTENT | IPVS_SVC_F_SCHED1;
	have.entries[1].svc.timeout = 300;
	have.entries[1].svc.netmask = 0xffffff00u;
	memcpy(have.entries[1].svc.pe_name, "sip", 4);
	diff_ok(&want, &have, owned_all, NULL, &ops);
	static const char *const w2[] = { "edit service FWM 9 (wlc)" };
	expect_ops(&ops, w2, 1);
	ipvs_ops_free(&ops);
	ipvs_table_free(&have);
	ipvs_table_free(&want);
	conf_unref(cfg);
}
END_TEST

START_TEST(diff_add_and_remove)
{
	struct config *cfg = load(diff_conf);
	struct ipvs_table want, have;
	struct ipvs_ops ops;
	desired_ok(cfg, NULL, NULL, &want);

	/* a real server gone from the configuration: one DEL_DEST */
	dump_of(&want, &have);
	struct ipvs_entry *e = &have.entries[0];
	e->dests = realloc(e->dests, (e->ndests + 1) * sizeof(*e->dests));
	ck_assert_ptr_nonnull(e->dests);
	set_dest(&e->dests[e->ndests++], "10.0.31.9", 80, 1);
	diff_ok(&want, &have, NULL, NULL, &ops);
	static const char *const w[] = { "delete dest [10.0.31.9]:80 from [10.0.30.1]:tcp:80" };
	expect_ops(&ops, w, 1);
	ipvs_ops_free(&ops);
	ipvs_table_free(&have);

	/* a real server missing from the kernel: one ADD_DEST */
	dump_of(&want, &have);
	have.entries[0].ndests = 2;
	diff_ok(&want, &have, NULL, NULL, &ops);
	static const char *const w2[] = {
		"add dest [10.0.31.3]:80 to [10.0.30.1]:tcp:80 (NAT, weight 3)",
	};
	expect_ops(&ops, w2, 1);
	ipvs_ops_free(&ops);

	/* a service gone from the configuration: one DEL_SERVICE (the
	 * kernel removes its destinations) when vigil owns it */
	append(&have, "10.0.40.1", 80, 3, 1);
	have.entries[0].ndests = 3;
	diff_ok(&want, &have, owned_all, NULL, &ops);
	static const char *const w3[] = { "delete service [10.0.40.1]:tcp:80" };
	expect_ops(&ops, w3, 1);
	ipvs_ops_free(&ops);
	/* and nothing at all when ownership is unknown */
	diff_ok(&want, &have, NULL, NULL, &ops);
	ck_assert_uint_eq(ops.n, 0);
	ipvs_ops_free(&ops);
	ipvs_table_free(&have);

	/* an empty kernel: every service, then every destination */
	struct ipvs_table none = { NULL, 0 };
	diff_ok(&want, &none, NULL, NULL, &ops);
	static const char *const w4[] = {
		"add service [10.0.30.1]:tcp:80 (rr)",
		"add service FWM 9 (wlc)",
		"add dest [10.0.31.1]:80 to [10.0.30.1]:tcp:80 (NAT, weight 1)",
		"add dest [10.0.31.2]:80 to [10.0.30.1]:tcp:80 (NAT, weight 2)",
		"add dest [10.0.31.3]:80 to [10.0.30.1]:tcp:80 (NAT, weight 3)",
		"add dest [10.0.32.1]:0 to FWM 9 (NAT, weight 1)",
	};
	expect_ops(&ops, w4, 6);
	ipvs_ops_free(&ops);
	/* an empty configuration: every owned service goes */
	diff_ok(&none, &want, owned_all, NULL, &ops);
	static const char *const w5[] = {
		"delete service [10.0.30.1]:tcp:80",
		"delete service FWM 9",
	};
	expect_ops(&ops, w5, 2);
	ipvs_ops_free(&ops);
	ipvs_table_free(&want);
	conf_unref(cfg);
}
END_TEST

START_TEST(diff_foreign_and_adopted)
{
	struct config *cfg = load(diff_conf);
	struct ipvs_table want, have;
	struct ipvs_ops ops;
	desired_ok(cfg, NULL, NULL, &want);
	dump_of(&want, &have);
	/* someone else's service, and a hand-added destination in ours */
	append(&have, "10.99.0.1", 80, 2, 200);
	struct ipvs_entry *e = &have.entries[0];
	e->dests = realloc(e->dests, (e->ndests + 1) * sizeof(*e->dests));
	ck_assert_ptr_nonnull(e->dests);
	set_dest(&e->dests[e->ndests++], "192.0.2.200", 80, 1);
	diff_ok(&want, &have, owned_ours, NULL, &ops);
	ck_assert_uint_eq(ops.n, 0);
	ipvs_ops_free(&ops);
	/* NULL: the destination belongs to a desired service, so it is ours;
	 * the other service is not desired, so it is not */
	diff_ok(&want, &have, NULL, NULL, &ops);
	static const char *const w[] = {
		"delete dest [192.0.2.200]:80 from [10.0.30.1]:tcp:80",
	};
	expect_ops(&ops, w, 1);
	ipvs_ops_free(&ops);
	ipvs_table_free(&have);

	/* a desired service that exists but is not vigil's is adopted:
	 * edited in place, whatever owned() says about services */
	dump_of(&want, &have);
	memcpy(have.entries[1].svc.sched_name, "lc", 3);
	have.entries[1].dests[0].weight = 4;
	diff_ok(&want, &have, owned_ours, NULL, &ops);
	static const char *const w2[] = {
		"edit service FWM 9 (wlc)",
		"edit dest [10.0.32.1]:0 in FWM 9 (NAT, weight 1)",
	};
	expect_ops(&ops, w2, 2);
	ipvs_ops_free(&ops);
	ipvs_table_free(&have);
	ipvs_table_free(&want);
	conf_unref(cfg);
}
END_TEST

START_TEST(diff_order)
{
	struct config *cfg = load(diff_conf);
	struct ipvs_table want, have;
	struct ipvs_ops ops;
	desired_ok(cfg, NULL, NULL, &want);
	/* the kernel: an old service, ours with a changed scheduler, one
	 * real server too many, one missing and one with another weight;
	 * no fwmark service yet */
	have = (struct ipvs_table){ NULL, 0 };
	append(&have, "10.0.50.1", 80, 1, 1);
	struct ipvs_entry *e = append(&have, "10.0.30.1", 80, 3, 1);
	set_dest(&e->dests[0], "10.0.31.1", 80, 1);
	set_dest(&e->dests[1], "10.0.31.2", 80, 5);
	set_dest(&e->dests[2], "10.0.31.8", 80, 1);
	diff_ok(&want, &have, owned_all, NULL, &ops);
	static const char *const w[] = {
		"delete dest [10.0.31.8]:80 from [10.0.30.1]:tcp:80",
		"edit service [10.0.30.1]:tcp:80 (rr)",
		"add service FWM 9 (wlc)",
		"edit dest [10.0.31.2]:80 in [10.0.30.1]:tcp:80 (NAT, weight 2)",
		"add dest [10.0.31.3]:80 to [10.0.30.1]:tcp:80 (NAT, weight 3)",
		"add dest [10.0.32.1]:0 to FWM 9 (NAT, weight 1)",
		"delete service [10.0.50.1]:tcp:80",
	};
	expect_ops(&ops, w, 7);
	/* the kinds in the order the kernel needs them */
	static const enum ipvs_op_kind kinds[] = {
		IPVS_OP_DEL_DEST, IPVS_OP_EDIT_SERVICE, IPVS_OP_ADD_SERVICE, IPVS_OP_EDIT_DEST,
		IPVS_OP_ADD_DEST, IPVS_OP_ADD_DEST, IPVS_OP_DEL_SERVICE,
	};
	for (size_t i = 0; i < 7; i++)
		ck_assert_int_eq(ops.ops[i].kind, kinds[i]);
	ck_assert_int_eq(ops.ops[6].dest.weight, 0);   /* service ops carry no dest */
	ipvs_ops_free(&ops);
	ipvs_table_free(&have);
	ipvs_table_free(&want);
	conf_unref(cfg);
}
END_TEST

START_TEST(diff_repeated_keys)
{
	/* a table built by hand with a service and a destination twice */
	struct ipvs_table want = { NULL, 0 }, have = { NULL, 0 };
	struct ipvs_ops ops;
	struct ipvs_entry *e = append(&want, "10.0.60.1", 80, 2, 1);
	e->dests[1] = e->dests[0];
	append(&want, "10.0.60.1", 80, 1, 9);
	diff_ok(&want, &have, NULL, NULL, &ops);
	static const char *const w[] = {
		"add service [10.0.60.1]:tcp:80 (wlc)",
		"add dest [192.0.2.1]:80 to [10.0.60.1]:tcp:80 (NAT, weight 1)",
	};
	expect_ops(&ops, w, 2);
	ipvs_ops_free(&ops);
	/* the kernel's twice: compared once, never deleted */
	append(&have, "10.0.60.1", 80, 1, 1);
	append(&have, "10.0.60.1", 80, 1, 1);
	diff_ok(&want, &have, owned_all, NULL, &ops);
	ck_assert_uint_eq(ops.n, 0);
	ipvs_ops_free(&ops);
	ipvs_table_free(&have);
	ipvs_table_free(&want);
}
END_TEST

/* 1,000 services of 10 real servers each, one weight changed by a
 * reload: exactly one operation. (Its speed is measured by the
 * benchmark, not here.) */
START_TEST(diff_large_one_change)
{
	size_t cap = 1000 * 700 + 64, len = 0;
	char *text = malloc(cap);
	ck_assert_ptr_nonnull(text);
	for (int v = 0; v < 1000; v++) {
		len += (size_t)snprintf(text + len, cap - len,
					"virtual_server 10.1.%d.%d 80 {\n  protocol TCP\n",
					v / 250, v % 250 + 1);
		for (int r = 0; r < 10; r++)
			len += (size_t)snprintf(text + len, cap - len,
						"  real_server 10.2.%d.%d 80 {\n    weight %d\n  }\n",
						v / 25, (v % 25) * 10 + r + 1,
						v == 637 && r == 4 ? 9 : 1);
		len += (size_t)snprintf(text + len, cap - len, "}\n");
	}
	struct config *cfg = load(text);
	/* the "old" configuration: the same with that weight at 1 */
	char *p = strstr(text, "weight 9");
	ck_assert_ptr_nonnull(p);
	p[7] = '1';
	struct config *old = load(text);
	free(text);

	struct ipvs_table want, before, have;
	struct ipvs_ops ops;
	desired_ok(cfg, NULL, NULL, &want);
	desired_ok(old, NULL, NULL, &before);
	ck_assert_uint_eq(want.n, 1000);
	dump_of(&before, &have);
	diff_ok(&want, &have, owned_all, NULL, &ops);
	static const char *const w[] = {
		"edit dest [10.2.25.125]:80 in [10.1.2.138]:tcp:80 (NAT, weight 9)",
	};
	expect_ops(&ops, w, 1);
	ipvs_ops_free(&ops);
	ipvs_table_free(&have);
	ipvs_table_free(&before);
	ipvs_table_free(&want);
	conf_unref(old);
	conf_unref(cfg);
}
END_TEST

START_TEST(describe)
{
	struct ipvs_op op;
	char buf[IPVS_OP_STRLEN];
	memset(&op, 0, sizeof(op));
	set_svc(&op.svc, "10.0.0.1", 80);
	set_dest(&op.dest, "10.0.0.2", 80, 0);
	op.dest.fwd = IPVS_FWD_DROUTE;

	op.kind = IPVS_OP_ADD_SERVICE;
	ck_assert_str_eq(ipvs_op_describe(&op, buf, sizeof(buf)), "add service [10.0.0.1]:tcp:80 (wlc)");
	op.kind = IPVS_OP_EDIT_SERVICE;
	op.svc.flags = IPVS_SVC_F_PERSISTENT;
	op.svc.timeout = 300;
	memcpy(op.svc.sched_name, "sh", 3);
	ck_assert_str_eq(ipvs_op_describe(&op, buf, sizeof(buf)),
			 "edit service [10.0.0.1]:tcp:80 (sh, persistent 300 s)");
	op.kind = IPVS_OP_DEL_SERVICE;
	ck_assert_str_eq(ipvs_op_describe(&op, buf, sizeof(buf)), "delete service [10.0.0.1]:tcp:80");
	op.kind = IPVS_OP_ADD_DEST;
	ck_assert_str_eq(ipvs_op_describe(&op, buf, sizeof(buf)),
			 "add dest [10.0.0.2]:80 to [10.0.0.1]:tcp:80 (DR, weight 0)");
	op.kind = IPVS_OP_EDIT_DEST;
	ck_assert_str_eq(ipvs_op_describe(&op, buf, sizeof(buf)),
			 "edit dest [10.0.0.2]:80 in [10.0.0.1]:tcp:80 (DR, weight 0)");
	op.kind = IPVS_OP_DEL_DEST;
	ck_assert_str_eq(ipvs_op_describe(&op, buf, sizeof(buf)),
			 "delete dest [10.0.0.2]:80 from [10.0.0.1]:tcp:80");
	/* truncated, still terminated */
	char small[12];
	ck_assert_str_eq(ipvs_op_describe(&op, small, sizeof(small)), "delete dest");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ipvs_reconcile");
	TCase *d = tcase_create("desired");
	TCase *q = tcase_create("quorum");
	TCase *x = tcase_create("diff");

	tcase_add_test(d, nat_ipv4);
	tcase_add_test(d, dr_and_tunnels);
	tcase_add_test(d, ipv6_and_fwmark);
	tcase_add_test(d, persistence);
	tcase_add_test(d, group_ranges);
	tcase_add_test(d, group_too_large);
	tcase_add_test(d, inhibit_on_failure);
	tcase_add_test(d, alpha);
	tcase_add_test(d, virtual_server_without_servers);
	tcase_add_test(d, same_dest_after_port_fill);
	tcase_set_timeout(d, 60);
	suite_add_tcase(s, d);

	tcase_add_test(q, quorum_sorry_hysteresis);
	tcase_add_test(q, quorum_sorry_inhibit);
	tcase_add_test(q, quorum_dynamic_weight);
	tcase_add_test(q, quorum_carry_over_reload);
	suite_add_tcase(s, q);

	tcase_add_test(x, diff_equal_is_nothing);
	tcase_add_test(x, diff_one_weight);
	tcase_add_test(x, diff_service_edit_not_replace);
	tcase_add_test(x, diff_add_and_remove);
	tcase_add_test(x, diff_foreign_and_adopted);
	tcase_add_test(x, diff_order);
	tcase_add_test(x, diff_repeated_keys);
	tcase_add_test(x, diff_large_one_change);
	tcase_add_test(x, describe);
	tcase_set_timeout(x, 60);
	suite_add_tcase(s, x);

	return run_suite(s);
}
