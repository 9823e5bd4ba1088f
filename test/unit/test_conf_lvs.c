/* test_conf_lvs.c - the lvs blocks of the configuration language:
 * virtual_server_group, virtual_server, real_server (tab_lvs.c). */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "tab.h"
#include "testutil.h"

static struct virtual_server *vs_at(const struct config *cfg, size_t i)
{
	struct node *n = cfg->virtual_servers.first;
	while (n && i--)
		n = n->next;
	ck_assert_ptr_nonnull(n);
	return (struct virtual_server *)(void *)n;
}

static struct real_server *rs_at(const struct virtual_server *v, size_t i)
{
	struct node *n = v->real_servers.first;
	while (n && i--)
		n = n->next;
	ck_assert_ptr_nonnull(n);
	return (struct real_server *)(void *)n;
}

static struct vsg_entry *entry_at(const struct vs_group *g, size_t i)
{
	struct node *n = g->entries.first;
	while (n && i--)
		n = n->next;
	ck_assert_ptr_nonnull(n);
	return (struct vsg_entry *)(void *)n;
}

static void assert_addr(const struct vaddr *a, const char *text)
{
	char buf[VADDR_STRLEN];
	ck_assert_str_eq(vaddr_format(a, buf, sizeof(buf)), text);
}

/* Parse two texts that must both load and must differ as models. */
static void assert_differ(const char *a, const char *b)
{
	struct config *x = parse_ok(a, NULL), *y = parse_ok(b, NULL);
	ck_assert_msg(!conf_equal(x, y), "models should differ:\n%s\n---\n%s", a, b);
	ck_assert(conf_equal(x, x));
	conf_unref(x);
	conf_unref(y);
}

/* A config that must load with no warning at all. */
static struct config *parse_clean(const char *text)
{
	size_t nwarn = 99;
	struct config *cfg = parse_ok(text, &nwarn);
	if (nwarn) {
		struct diags d;
		diags_init(&d);
		conf_unref(parse_text(text, &d));
		diags_print(&d, stderr);
		diags_free(&d);
	}
	ck_assert_uint_eq(nwarn, 0);
	return cfg;
}

#define RS1 " real_server 10.0.0.2 80 {\n }\n"
/* a TCP service with body, and one whose real server has body */
#define VS(body) "virtual_server 10.0.0.1 80 {\n protocol TCP\n" body RS1 "}\n"
#define RS(body) "virtual_server 10.0.0.1 80 {\n protocol TCP\n real_server 10.0.0.2 80 {\n" \
	body " }\n}\n"

/* keepalived 2.2.7 falls back and runs (issue 10 section 3); so does
 * vigil, warning at the word. */
START_TEST(keepalived_fallbacks)
{
	struct diags d;
	diags_init(&d);
	/* "unknown [dr] routing method": the service runs with NAT, the real
	 * server with the service's method */
	struct config *c = parse_text("virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_kind dr\n"
				      " persistence_timeout 0\n real_server 10.0.0.2 80 {\n"
				      "  lvs_method dr\n }\n}\n", &d);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(d.nerrors, 0);
	const struct virtual_server *v = (const void *)c->virtual_servers.first;
	const struct real_server *r = (const void *)v->real_servers.first;
	ck_assert_uint_eq(v->fwd.method, LVS_FWD_NAT);
	ck_assert_uint_eq(r->fwd.method, LVS_FWD_INHERIT);
	ck_assert_uint_eq(v->persistence_timeout, 0);
	ck_assert(diags_at(&d, DIAG_WARNING, 3, 10, "lb_kind 'dr' is ignored: keepalived knows only "
			   "upper-case NAT, DR and TUN and runs this with the default"));
	ck_assert(diags_at(&d, DIAG_WARNING, 3, 10, "if DR is meant, write lb_kind DR"));
	ck_assert(diags_at(&d, DIAG_WARNING, 6, 14, "lvs_method 'dr' is ignored"));
	ck_assert(diags_at(&d, DIAG_WARNING, 4, 22, "'persistence_timeout 0' is out of range; "
			   "keepalived logs it and keeps the default, and so does vigil"));
	assert_roundtrip(c);
	conf_unref(c);
	diags_free(&d);
	/* upper case is the method */
	c = parse_ok(VS("lb_kind DR\n"), NULL);
	ck_assert_uint_eq(((const struct virtual_server *)(const void *)
			   c->virtual_servers.first)->fwd.method, LVS_FWD_DR);
	conf_unref(c);
}
END_TEST

START_TEST(empty_config_parses)
{
	struct config *cfg = parse_ok("", NULL);
	ck_assert_uint_eq(cfg->virtual_servers.n, 0);
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

START_TEST(virtual_server_defaults)
{
	struct config *cfg = parse_clean("virtual_server 10.0.0.1 80 {\n protocol TCP\n"
					 " real_server 10.0.0.2 8080 {\n }\n}\n");
	struct virtual_server *v = vs_at(cfg, 0);
	ck_assert_int_eq(v->kind, VS_ADDR);
	assert_addr(&v->addr, "10.0.0.1");
	ck_assert_uint_eq(v->port, 80);
	ck_assert_uint_eq(v->af, AF_INET);
	ck_assert_int_eq(v->ip_family, 0);
	ck_assert_uint_eq(v->delay_loop, SEC(60));
	ck_assert_uint_eq(v->connect_timeout, SEC(5));
	ck_assert_uint_eq(v->delay_before_retry, LVS_TIMER_INHERIT);
	ck_assert_uint_eq(v->warmup, LVS_TIMER_INHERIT);
	ck_assert_uint_eq(v->retry, LVS_RETRY_INHERIT);
	ck_assert_int_eq(v->sched, LVS_SCHED_WLC);
	ck_assert_int_eq(v->fwd.method, LVS_FWD_NAT);
	ck_assert_int_eq(v->protocol, LVS_PROTO_TCP);
	ck_assert_uint_eq(v->persistence_timeout, 0);
	ck_assert_uint_eq(v->persistence_granularity.family, 0);
	ck_assert_ptr_null(v->persistence_engine);
	ck_assert_int_eq(v->smtp_alert, LVS_TRI_INHERIT);
	ck_assert(!v->alpha && !v->omega && !v->inhibit_on_failure && !v->ha_suspend);
	ck_assert(!v->ops && !v->hashed && !v->flag_1 && !v->sh_port && !v->mh_fallback);
	ck_assert_uint_eq(v->quorum, 1);
	ck_assert_uint_eq(v->hysteresis, 0);
	ck_assert_uint_eq(v->weight, 1);
	ck_assert_ptr_null(v->quorum_up);
	ck_assert_ptr_null(v->virtualhost);
	ck_assert_uint_eq(v->sorry_server.addr.family, 0);
	ck_assert_int_eq(v->sorry_server_fwd.method, LVS_FWD_INHERIT);

	ck_assert_uint_eq(v->real_servers.n, 1);
	struct real_server *r = rs_at(v, 0);
	assert_addr(&r->addr, "10.0.0.2");
	ck_assert_uint_eq(r->port, 8080);
	ck_assert_uint_eq(r->weight, 1);
	ck_assert_int_eq(r->fwd.method, LVS_FWD_INHERIT);
	ck_assert_int_eq(r->inhibit_on_failure, LVS_TRI_INHERIT);
	ck_assert_int_eq(r->alpha, LVS_TRI_INHERIT);
	ck_assert_int_eq(r->smtp_alert, LVS_TRI_INHERIT);
	ck_assert_uint_eq(r->uthreshold, 0);
	ck_assert_uint_eq(r->lthreshold, 0);
	ck_assert_uint_eq(r->retry, LVS_RETRY_INHERIT);
	ck_assert_uint_eq(r->delay_loop, LVS_TIMER_INHERIT);
	ck_assert_uint_eq(r->connect_timeout, LVS_TIMER_INHERIT);
	ck_assert_uint_eq(r->delay_before_retry, LVS_TIMER_INHERIT);
	ck_assert_uint_eq(r->warmup, LVS_TIMER_INHERIT);
	ck_assert_ptr_null(r->notify_up);
	ck_assert_ptr_null(r->notify_down);
	ck_assert_uint_eq(r->checkers.n, 0);

	/* defaults are not written by dump */
	char *text = dump_string(cfg);
	ck_assert_ptr_null(strstr(text, "delay_loop"));
	ck_assert_ptr_null(strstr(text, "weight"));
	ck_assert_ptr_null(strstr(text, "lvs_method"));
	ck_assert_ptr_nonnull(strstr(text, "virtual_server 10.0.0.1 80 {"));
	ck_assert_ptr_nonnull(strstr(text, "real_server 10.0.0.2 8080 {"));
	free(text);
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

static const char every_vs_keyword[] =
	"virtual_server 192.168.1.10 443 {\n"
	"  ip_family inet\n"
	"  delay_loop 6.5\n"
	"  connect_timeout 3\n"
	"  delay_before_retry 0\n"
	"  warmup 2\n"
	"  retry 4\n"
	"  lvs_sched sh\n"
	"  hashed\n"
	"  flag-1\n"
	"  flag-2\n"
	"  flag-3\n"
	"  sh-port\n"
	"  sh-fallback\n"
	"  lvs_method TUN type gue port 6080 csum\n"
	"  persistence_engine sip\n"
	"  persistence_timeout 600\n"
	"  persistence_granularity 255.255.255.0\n"
	"  protocol UDP\n"
	"  ops\n"
	"  ha_suspend\n"
	"  smtp_alert no\n"
	"  virtualhost www.example.com\n"
	"  snmp_name web_vs\n"
	"  alpha\n"
	"  omega\n"
	"  inhibit_on_failure\n"
	"  quorum 3\n"
	"  hysteresis 1\n"
	"  weight 7\n"
	"  quorum_up \"/usr/bin/q up\" nobody nogroup\n"
	"  quorum_down /usr/bin/qdown\n"
	"  sorry_server 192.168.1.99 443\n"
	"  sorry_server_inhibit\n"
	"  sorry_server_lvs_method DR\n"
	"  real_server 192.168.1.20 443 {\n"
	"    weight 2\n"
	"  }\n"
	"  real_server 192.168.1.21 443 {\n"
	"    weight 2\n"
	"  }\n"
	"}\n";

START_TEST(virtual_server_every_keyword)
{
	struct config *cfg = parse_clean(every_vs_keyword);
	struct virtual_server *v = vs_at(cfg, 0);
	ck_assert_int_eq(v->ip_family, AF_INET);
	ck_assert_uint_eq(v->delay_loop, 6500000);
	ck_assert_uint_eq(v->connect_timeout, SEC(3));
	ck_assert_uint_eq(v->delay_before_retry, 0);
	ck_assert_uint_eq(v->warmup, SEC(2));
	ck_assert_uint_eq(v->retry, 4);
	ck_assert_int_eq(v->sched, LVS_SCHED_SH);
	ck_assert(v->hashed && v->flag_1 && v->flag_2 && v->flag_3);
	ck_assert(v->sh_port && v->sh_fallback && !v->mh_port && !v->mh_fallback);
	ck_assert_int_eq(v->fwd.method, LVS_FWD_TUN);
	ck_assert_int_eq(v->fwd.tun_type, LVS_TUN_GUE);
	ck_assert_uint_eq(v->fwd.tun_port, 6080);
	ck_assert_int_eq(v->fwd.tun_csum, LVS_CSUM_CSUM);
	ck_assert_str_eq(v->persistence_engine, "sip");
	ck_assert_uint_eq(v->persistence_timeout, 600);
	ck_assert_uint_eq(v->persistence_granularity.family, AF_INET);
	assert_addr(&v->persistence_granularity, "255.255.255.0");
	ck_assert_int_eq(v->protocol, LVS_PROTO_UDP);
	ck_assert(v->ops && v->ha_suspend);
	ck_assert_int_eq(v->smtp_alert, 0);
	ck_assert_str_eq(v->virtualhost, "www.example.com");
	ck_assert_str_eq(v->snmp_name, "web_vs");
	ck_assert(v->alpha && v->omega && v->inhibit_on_failure);
	ck_assert_uint_eq(v->quorum, 3);
	ck_assert_uint_eq(v->hysteresis, 1);
	ck_assert_uint_eq(v->weight, 7);
	ck_assert_str_eq(v->quorum_up->cmd, "/usr/bin/q up");
	ck_assert_str_eq(v->quorum_up->user, "nobody");
	ck_assert_str_eq(v->quorum_up->group, "nogroup");
	ck_assert_str_eq(v->quorum_down->cmd, "/usr/bin/qdown");
	ck_assert_ptr_null(v->quorum_down->user);
	assert_addr(&v->sorry_server.addr, "192.168.1.99");
	ck_assert_uint_eq(v->sorry_server.port, 443);
	ck_assert(v->sorry_server_inhibit);
	ck_assert_int_eq(v->sorry_server_fwd.method, LVS_FWD_DR);
	ck_assert_uint_eq(v->real_servers.n, 2);
	ck_assert_uint_eq(rs_at(v, 1)->weight, 2);

	char *text = dump_string(cfg);
	ck_assert_ptr_nonnull(strstr(text, "lvs_method TUN type gue port 6080 csum"));
	ck_assert_ptr_nonnull(strstr(text, "quorum_up \"/usr/bin/q up\" nobody nogroup"));
	ck_assert_ptr_nonnull(strstr(text, "smtp_alert false"));
	ck_assert_ptr_nonnull(strstr(text, "delay_loop 6.5"));
	free(text);
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

START_TEST(real_server_every_keyword)
{
	struct config *cfg = parse_clean(
		"virtual_server 10.1.0.1 80 {\n"
		"  protocol TCP\n"
		"  real_server 10.1.0.2 80 {\n"
		"    weight 0\n"
		"    lvs_method TUN type gre csum\n"
		"    inhibit_on_failure off\n"
		"    notify_up /bin/up\n"
		"    notify_down \"/bin/down --now\" alice staff\n"
		"    uthreshold 1000\n"
		"    lthreshold 10\n"
		"    smtp_alert\n"
		"    virtualhost rs.example.com\n"
		"    snmp_name rs_one\n"
		"    alpha yes\n"
		"    connect_timeout 0.5\n"
		"    retry 2\n"
		"    delay_before_retry 0\n"
		"    warmup 0\n"
		"    delay_loop 10\n"
		"  }\n"
		"  real_server 10.1.0.3 80 {\n"
		"    weight 2147483647\n"
		"    lvs_method DR\n"
		"    notify_up /bin/up bob\n"
		"  }\n"
		"}\n");
	struct virtual_server *v = vs_at(cfg, 0);
	struct real_server *r = rs_at(v, 0);
	ck_assert_uint_eq(r->weight, 0);
	ck_assert_int_eq(r->fwd.method, LVS_FWD_TUN);
	ck_assert_int_eq(r->fwd.tun_type, LVS_TUN_GRE);
	ck_assert_int_eq(r->fwd.tun_csum, LVS_CSUM_CSUM);
	ck_assert_uint_eq(r->fwd.tun_port, 0);
	ck_assert_int_eq(r->inhibit_on_failure, 0);
	ck_assert_str_eq(r->notify_up->cmd, "/bin/up");
	ck_assert_ptr_null(r->notify_up->user);
	ck_assert_str_eq(r->notify_down->cmd, "/bin/down --now");
	ck_assert_str_eq(r->notify_down->user, "alice");
	ck_assert_str_eq(r->notify_down->group, "staff");
	ck_assert_uint_eq(r->uthreshold, 1000);
	ck_assert_uint_eq(r->lthreshold, 10);
	ck_assert_int_eq(r->smtp_alert, 1);
	ck_assert_str_eq(r->virtualhost, "rs.example.com");
	ck_assert_str_eq(r->snmp_name, "rs_one");
	ck_assert_int_eq(r->alpha, 1);
	ck_assert_uint_eq(r->connect_timeout, 500000);
	ck_assert_uint_eq(r->retry, 2);
	ck_assert_uint_eq(r->delay_before_retry, 0);
	ck_assert_uint_eq(r->warmup, 0);
	ck_assert_uint_eq(r->delay_loop, SEC(10));
	r = rs_at(v, 1);
	ck_assert_uint_eq(r->weight, 2147483647u);
	ck_assert_int_eq(r->fwd.method, LVS_FWD_DR);
	ck_assert_str_eq(r->notify_up->user, "bob");
	ck_assert_ptr_null(r->notify_up->group);

	char *text = dump_string(cfg);
	ck_assert_ptr_nonnull(strstr(text, "weight 0"));
	ck_assert_ptr_nonnull(strstr(text, "inhibit_on_failure false"));
	ck_assert_ptr_nonnull(strstr(text, "lvs_method TUN type gre csum"));
	ck_assert_ptr_nonnull(strstr(text, "warmup 0\n"));
	free(text);
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

START_TEST(aliases_and_sample_spelling)
{
	struct config *cfg = parse_clean(
		"virtual_server 10.0.0.1 53 {\n lb_algo wrr\n lb_kind DR\n protocol udp\n"
		" one_packet_scheduler\n"
		" real_server 10.0.0.2 53 {\n  lb_kind TUN\n }\n}\n");
	struct virtual_server *v = vs_at(cfg, 0);
	ck_assert_int_eq(v->sched, LVS_SCHED_WRR);
	ck_assert_int_eq(v->fwd.method, LVS_FWD_DR);
	ck_assert_int_eq(v->protocol, LVS_PROTO_UDP);
	ck_assert(v->ops);
	ck_assert_int_eq(rs_at(v, 0)->fwd.method, LVS_FWD_TUN);
	/* the canonical names are written */
	char *text = dump_string(cfg);
	ck_assert_ptr_nonnull(strstr(text, "lvs_sched wrr"));
	ck_assert_ptr_nonnull(strstr(text, "lvs_method DR"));
	ck_assert_ptr_nonnull(strstr(text, "lvs_method TUN"));
	ck_assert_ptr_null(strstr(text, "lb_"));
	ck_assert_ptr_null(strstr(text, "one_packet"));
	free(text);
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

START_TEST(every_scheduler)
{
	static const char *const names[] = { "rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh",
		"sh", "sed", "nq", "fo", "ovf", "mh", "twos" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char text[256];
		snprintf(text, sizeof(text), "virtual_server 10.0.0.1 80 {\n protocol TCP\n"
			 " lvs_sched %s\n" RS1 "}\n", names[i]);
		struct config *cfg = parse_clean(text);
		ck_assert_int_eq(vs_at(cfg, 0)->sched, LVS_SCHED_RR + (int)i);
		char *d = dump_string(cfg);
		if (strcmp(names[i], "wlc") != 0) {
			char want[64];
			snprintf(want, sizeof(want), "lvs_sched %s\n", names[i]);
			ck_assert_msg(strstr(d, want), "%s not in dump", want);
		}
		free(d);
		assert_roundtrip(cfg);
		conf_unref(cfg);
	}
}
END_TEST

/* A scheduler name keepalived does not know ("lb_algo loadbalance", met
 * in a real configuration) is ignored with a warning, as keepalived 2.2.7
 * ignores it ("Invalid lvs_scheduler"): the virtual server keeps wlc, or
 * the scheduler set before. */
START_TEST(unknown_scheduler_is_ignored_with_a_warning)
{
	const char *text = "virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_algo loadbalance\n"
			   RS1 "}\n";
	expect_warning(text, "lb_algo 'loadbalance' is not a scheduler; ignored, the virtual "
		       "server keeps wlc");
	struct config *cfg = parse_ok(text, NULL);
	ck_assert_int_eq(vs_at(cfg, 0)->sched, LVS_SCHED_WLC);
	assert_roundtrip(cfg);
	conf_unref(cfg);
	cfg = parse_ok("virtual_server 10.0.0.1 80 {\n protocol TCP\n lvs_sched sh\n"
		       " lvs_sched rrr\n" RS1 "}\n", NULL);
	ck_assert_int_eq(vs_at(cfg, 0)->sched, LVS_SCHED_SH);
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

/* keepalived 2.2.7 sets quorum 0 to 1 with a message, and ignores words
 * after a virtual server's port without one: both met in one real file
 * ("virtual_server 192.168.100.100 53 dev eth0.53", "quorum 0"). vigil
 * does the same, and warns at each. */
START_TEST(quorum_0_and_words_after_the_port_are_warned_and_ignored)
{
	expect_warning(VS("quorum 0\n"), "quorum 0 is below 1; set to 1");
	struct config *cfg = parse_ok(VS("quorum 0\n"), NULL);
	ck_assert_uint_eq(vs_at(cfg, 0)->quorum, 1);
	assert_roundtrip(cfg);
	conf_unref(cfg);

	const char *text = "virtual_server 10.0.0.1 53 dev eth0.53 {\n protocol UDP\n" RS1 "}\n";
	expect_warning(text, "virtual_server 10.0.0.1 53: 'dev' and what follows are ignored");
	cfg = parse_ok(text, NULL);
	const struct virtual_server *v = vs_at(cfg, 0);
	assert_addr(&v->addr, "10.0.0.1");
	ck_assert_uint_eq(v->port, 53);
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

START_TEST(mh_flags)
{
	struct config *cfg = parse_clean("virtual_server 10.0.0.1 80 {\n protocol TCP\n"
					 " lvs_sched mh\n mh-port\n mh-fallback\n" RS1 "}\n");
	ck_assert(vs_at(cfg, 0)->mh_port && vs_at(cfg, 0)->mh_fallback);
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

START_TEST(tunnel_methods)
{
	struct config *cfg = parse_clean(
		"virtual_server 10.0.0.1 80 {\n protocol TCP\n lvs_method TUN\n"
		" sorry_server_lvs_method TUN type gue port 1 nocsum\n"
		" sorry_server 10.0.0.9 80\n"
		" real_server 10.0.0.2 80 {\n  lvs_method TUN type ipip\n }\n"
		" real_server 10.0.0.3 80 {\n  lvs_method TUN type gue port 5555 remcsum\n }\n"
		" real_server 10.0.0.4 80 {\n  lvs_method TUN type gre\n }\n"
		"}\n");
	struct virtual_server *v = vs_at(cfg, 0);
	ck_assert_int_eq(v->fwd.method, LVS_FWD_TUN);
	ck_assert_int_eq(v->fwd.tun_type, LVS_TUN_IPIP);
	ck_assert_int_eq(v->sorry_server_fwd.tun_type, LVS_TUN_GUE);
	ck_assert_uint_eq(v->sorry_server_fwd.tun_port, 1);
	ck_assert_int_eq(rs_at(v, 0)->fwd.tun_type, LVS_TUN_IPIP);
	ck_assert_int_eq(rs_at(v, 1)->fwd.tun_csum, LVS_CSUM_REMCSUM);
	ck_assert_uint_eq(rs_at(v, 1)->fwd.tun_port, 5555);
	ck_assert_int_eq(rs_at(v, 2)->fwd.tun_type, LVS_TUN_GRE);
	assert_roundtrip(cfg);
	conf_unref(cfg);

#define FWD(m) "virtual_server 10.0.0.1 80 {\n protocol TCP\n lvs_method " m "\n" RS1 "}\n"
	expect_error(FWD("TUN type gue"), "a gue tunnel needs 'port N'");
	expect_error(FWD("TUN type ipip port 80"), "only gue takes a port");
	expect_error(FWD("TUN port 80"), "only gue takes a port");
	expect_error(FWD("TUN csum"), "ipip tunnels take no checksum option");
	expect_error(FWD("TUN type gre remcsum"), "gre tunnels do not support remcsum");
	expect_error(FWD("TUN type vxlan"), "tunnel type 'vxlan' is not known");
	expect_error(FWD("TUN type gue port 0"), "port 0 is out of range");
	expect_error(FWD("TUN type gue port 1 bogus"), "unknown tunnel option 'bogus'");
	expect_error(FWD("TUN type"), "tunnel option 'type' needs a value");
	expect_error(FWD("DR type gue port 1"), "only TUN takes tunnel options");
	expect_error(FWD("MASQ"), "forwarding method 'MASQ' is not known");
	expect_error(FWD(""), "lvs_method needs NAT, DR or TUN");
#undef FWD
}
END_TEST

START_TEST(fwmark_service)
{
	struct config *cfg = parse_clean(
		"virtual_server fwmark 4294967295 {\n delay_loop 6\n persistence_timeout\n"
		" real_server 192.168.201.100 {\n  weight 1\n }\n"
		" real_server 192.168.201.101 {\n }\n}\n"
		"virtual_server fwmark 1 {\n ip_family inet6\n"
		" real_server 10.0.0.1 {\n  lvs_method TUN\n }\n}\n");
	struct virtual_server *v = vs_at(cfg, 0);
	ck_assert_int_eq(v->kind, VS_FWMARK);
	ck_assert_uint_eq(v->fwmark, 4294967295u);
	ck_assert_uint_eq(v->af, AF_INET);
	ck_assert_int_eq(v->protocol, LVS_PROTO_NONE);
	ck_assert_uint_eq(v->persistence_timeout, LVS_PERSISTENCE_DEFAULT);
	ck_assert_uint_eq(rs_at(v, 0)->port, 0);
	/* an all-tunnelled fwmark service takes ip_family */
	v = vs_at(cfg, 1);
	ck_assert_uint_eq(v->af, AF_INET6);
	ck_assert_int_eq(v->ip_family, AF_INET6);
	char *text = dump_string(cfg);
	ck_assert_ptr_nonnull(strstr(text, "virtual_server fwmark 4294967295 {"));
	ck_assert_ptr_nonnull(strstr(text, "persistence_timeout 360"));
	ck_assert_ptr_nonnull(strstr(text, "ip_family inet6"));
	free(text);
	assert_roundtrip(cfg);
	conf_unref(cfg);

	/* tunnelled servers of one family give it to the service */
	cfg = parse_clean("virtual_server fwmark 3 {\n lvs_method TUN\n"
			  " real_server ae00::1 {\n }\n real_server ae00::2 {\n }\n}\n");
	ck_assert_uint_eq(vs_at(cfg, 0)->af, AF_INET6);
	conf_unref(cfg);
	/* of mixed families, IPv4 */
	cfg = parse_clean("virtual_server fwmark 3 {\n lvs_method TUN\n"
			  " real_server ae00::1 {\n }\n real_server 10.0.0.1 {\n }\n}\n");
	ck_assert_uint_eq(vs_at(cfg, 0)->af, AF_INET);
	conf_unref(cfg);

	expect_error("virtual_server fwmark 0 {\n" RS1 "}\n", "fwmark 0 is out of range");
	expect_error("virtual_server fwmark 4294967296 {\n" RS1 "}\n", "out of range");
	expect_error("virtual_server fwmark x {\n" RS1 "}\n", "fwmark must be a whole number");
	expect_error("virtual_server fwmark {\n" RS1 "}\n", "virtual_server needs 2 values");
	expect_error("virtual_server fwmark 1 2 {\n" RS1 "}\n", "unexpected '2'");
}
END_TEST

START_TEST(fwmark_with_protocol_warns)
{
	/* keepalived.conf.fwmark does this; keepalived says the same */
	const char *text = "virtual_server fwmark 1 {\n protocol TCP\n"
			   " real_server 192.168.201.100 {\n }\n}\n";
	expect_warning(text, "protocol specified for fwmark - protocol will be ignored");
	struct config *cfg = parse_ok(text, NULL);
	ck_assert_int_eq(vs_at(cfg, 0)->protocol, LVS_PROTO_NONE);
	assert_roundtrip(cfg);
	conf_unref(cfg);
	/* a real server's port is ignored for a fwmark service */
	text = "virtual_server fwmark 1 {\n real_server 10.0.0.2 80 {\n }\n}\n";
	expect_warning(text, "real_server 10.0.0.2 80 has a port; it is ignored");
	cfg = parse_ok(text, NULL);
	ck_assert_uint_eq(rs_at(vs_at(cfg, 0), 0)->port, 0);
	conf_unref(cfg);
}
END_TEST

static const char group_config[] =
	"virtual_server_group G4 {\n"
	"  10.0.0.1 8080\n"
	"  192.168.200.3-10 80\n"
	"  10.0.0.250-10.0.1.5 80\n"
	"  10.0.2.8/29 80\n"
	"  10.0.3.1\n"
	"  fwmark 1\n"
	"  fwmark 2 inet\n"
	"}\n"
	"virtual_server_group G6 {\n"
	"  ae00::2-9 80\n"
	"  ae00::1 80\n"
	"  ae00::2-ae00::1:9 443\n"
	"  ae00:1::/126 25\n"
	"  fwmark 7 inet6\n"
	"}\n"
	"virtual_server group G4 {\n"
	"  protocol TCP\n"
	"  real_server 10.0.9.1 80 {\n  }\n"
	"}\n"
	"virtual_server group G4 {\n"
	"  protocol UDP\n"
	"  real_server 10.0.9.1 80 {\n  }\n"
	"}\n"
	"virtual_server group G6 {\n"
	"  protocol TCP\n"
	"  persistence_granularity 64\n"
	"  real_server ae00::10 80 {\n  }\n"
	"}\n";

START_TEST(groups_and_ranges)
{
	struct config *cfg = parse_clean(group_config);
	ck_assert_uint_eq(cfg->vs_groups.n, 2);
	struct vs_group *g = (struct vs_group *)(void *)cfg->vs_groups.first;
	ck_assert_str_eq(g->hdr.name, "G4");
	ck_assert_uint_eq(g->entries.n, 7);
	ck_assert(g->have_v4 && !g->have_v6 && g->fwmark_no_family);

	struct vsg_entry *e = entry_at(g, 0);
	ck_assert_int_eq(e->kind, VSG_ADDR);
	assert_addr(&e->first, "10.0.0.1");
	assert_addr(&e->last, "10.0.0.1");
	ck_assert_uint_eq(e->port, 8080);
	e = entry_at(g, 1);
	assert_addr(&e->first, "192.168.200.3");
	assert_addr(&e->last, "192.168.200.10");
	ck_assert_uint_eq(e->port, 80);
	e = entry_at(g, 2);
	assert_addr(&e->first, "10.0.0.250");
	assert_addr(&e->last, "10.0.1.5");
	e = entry_at(g, 3);
	assert_addr(&e->first, "10.0.2.8");
	assert_addr(&e->last, "10.0.2.15");
	e = entry_at(g, 4);
	ck_assert_uint_eq(e->port, 0);
	e = entry_at(g, 5);
	ck_assert_int_eq(e->kind, VSG_FWMARK);
	ck_assert_uint_eq(e->fwmark, 1);
	ck_assert_uint_eq(e->fwmark_family, 0);
	e = entry_at(g, 6);
	ck_assert_uint_eq(e->fwmark, 2);
	ck_assert_uint_eq(e->fwmark_family, AF_INET);

	g = (struct vs_group *)(void *)g->hdr.node.next;
	ck_assert_str_eq(g->hdr.name, "G6");
	ck_assert(!g->have_v4 && g->have_v6 && !g->fwmark_no_family);
	e = entry_at(g, 0);
	assert_addr(&e->first, "ae00::2");
	assert_addr(&e->last, "ae00::9");
	e = entry_at(g, 2);
	assert_addr(&e->last, "ae00::1:9");
	e = entry_at(g, 3);
	assert_addr(&e->first, "ae00:1::");
	assert_addr(&e->last, "ae00:1::3");
	ck_assert_uint_eq(e->port, 25);

	/* the group services: the same group twice with different protocols */
	struct virtual_server *v = vs_at(cfg, 0);
	ck_assert_int_eq(v->kind, VS_GROUP);
	ck_assert_str_eq(v->group_name, "G4");
	ck_assert_ptr_eq(v->group, (void *)cfg->vs_groups.first);
	ck_assert_uint_eq(v->af, AF_INET);
	ck_assert_int_eq(vs_at(cfg, 1)->protocol, LVS_PROTO_UDP);
	v = vs_at(cfg, 2);
	ck_assert_uint_eq(v->af, AF_INET6);
	ck_assert_uint_eq(v->persistence_granularity.prefix, 64);
	ck_assert_uint_eq(v->persistence_timeout, LVS_PERSISTENCE_DEFAULT);

	char *text = dump_string(cfg);
	ck_assert_ptr_nonnull(strstr(text, "\n    192.168.200.3-10 80\n"));
	ck_assert_ptr_nonnull(strstr(text, "\n    10.0.0.250-10.0.1.5 80\n"));
	ck_assert_ptr_nonnull(strstr(text, "\n    10.0.2.8-15 80\n"));
	ck_assert_ptr_nonnull(strstr(text, "\n    10.0.3.1\n"));
	ck_assert_ptr_nonnull(strstr(text, "\n    fwmark 2 inet\n"));
	ck_assert_ptr_nonnull(strstr(text, "\n    ae00::2-9 80\n"));
	ck_assert_ptr_nonnull(strstr(text, "\n    ae00::2-ae00::1:9 443\n"));
	ck_assert_ptr_nonnull(strstr(text, "\n    fwmark 7 inet6\n"));
	ck_assert_ptr_nonnull(strstr(text, "virtual_server group G6 {"));
	ck_assert_ptr_nonnull(strstr(text, "persistence_granularity 64"));
	free(text);
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

#define USE_G "virtual_server group G {\n protocol TCP\n" RS1 "}\n"

/* A group G holding lines, used by a virtual server: must fail with msg. */
static void expect_group_error(const char *lines, const char *msg)
{
	char text[512];
	snprintf(text, sizeof(text), "virtual_server_group G {\n%s}\n" USE_G, lines);
	expect_error(text, msg);
}

START_TEST(group_errors)
{
	expect_group_error(" 10.0.0.300 80\n", "not a valid IPv4 address");
	expect_group_error(" 10.0.0.5-3 80\n", "range end is below its start");
	expect_group_error(" 10.0.0.5-300 80\n", "range end must be");
	expect_group_error(" 10.0.1.5-10.0.0.1 80\n", "the range ends before it starts");
	expect_group_error(" 10.0.0.1-ae00::1 80\n", "mixes IPv4 and IPv6");
	expect_group_error(" 10.0.0.9/29 80\n", "has bits set after the /29");
	expect_group_error(" 10.0.0.1 70000\n", "port 70000 is out of range");
	expect_group_error(" 10.0.0.1 80 extra\n", "unexpected 'extra'");
	expect_group_error(" fwmark 0\n", "fwmark 0 is out of range");
	expect_group_error(" fwmark 1 inet5\n", "address family 'inet5'");
	expect_group_error(" fwmark\n", "fwmark needs at least 1 value");
	expect_group_error(" delay_loop 6\n", "'delay_loop'");
	/* duplicate names, both places named */
	expect_error("virtual_server_group G {\n 10.0.0.1 80\n}\n"
		     "virtual_server_group G {\n 10.0.0.2 80\n}\n" USE_G,
		     "virtual_server_group G is defined twice; the first is at test.conf:1:1");
	/* unknown group */
	expect_error("virtual_server_group G {\n 10.0.0.1 80\n}\n"
		     "virtual_server group H {\n protocol TCP\n" RS1 "}\n",
		     "there is no virtual_server_group H");
	/* IPv4 and IPv6 with a fwmark that has no family */
	expect_error("virtual_server_group G {\n 10.0.0.1 80\n ae00::1 80\n fwmark 1\n}\n",
		     "so each fwmark needs a family");
	expect_warning("virtual_server_group G {\n}\n", "virtual_server_group G has no entries");
	/* a name is needed */
	expect_error("virtual_server_group {\n 10.0.0.1 80\n}\n",
		     "virtual_server_group needs 1 value");
	/* a group used before it is defined resolves */
	struct config *cfg = parse_clean(USE_G "virtual_server_group G {\n 10.0.0.1 80\n}\n");
	ck_assert_ptr_nonnull(vs_at(cfg, 0)->group);
	conf_unref(cfg);
}
END_TEST

START_TEST(group_families)
{
	/* a group of both families: its real servers must be tunnelled */
	const char *mixed = "virtual_server_group M {\n 10.0.0.1 80\n ae00::1 80\n"
			    " fwmark 5 inet\n}\n";
	char text[1024];
	snprintf(text, sizeof(text), "%svirtual_server group M {\n protocol TCP\n"
		 " real_server 10.0.9.1 80 {\n }\n}\n", mixed);
	expect_error(text, "must use lvs_method TUN");
	snprintf(text, sizeof(text), "%svirtual_server group M {\n protocol TCP\n"
		 " lvs_method TUN\n real_server 10.0.9.1 80 {\n }\n"
		 " real_server ae00::9 80 {\n }\n}\n", mixed);
	struct config *cfg = parse_clean(text);
	ck_assert_uint_eq(vs_at(cfg, 0)->af, 0);
	assert_roundtrip(cfg);
	conf_unref(cfg);
	/* a group of one family: the real servers' must match */
	expect_error("virtual_server_group G {\n ae00::1 80\n}\n"
		     "virtual_server group G {\n protocol TCP\n" RS1 "}\n",
		     "real_server 10.0.0.2 80 is IPv4 but virtual_server group G is IPv6");
	expect_error("virtual_server_group G {\n ae00::1 80\n}\n"
		     "virtual_server group G {\n protocol TCP\n ip_family inet\n"
		     " real_server ae00::2 80 {\n }\n}\n",
		     "ip_family inet conflicts with its IPv6 addresses");
	/* fwmarks only: like a fwmark service */
	cfg = parse_clean("virtual_server_group F {\n fwmark 1\n fwmark 2\n}\n"
			  "virtual_server group F {\n protocol TCP\n"
			  " real_server ae00::1 {\n }\n}\n");
	ck_assert_uint_eq(vs_at(cfg, 0)->af, AF_INET6);
	conf_unref(cfg);
}
END_TEST

START_TEST(ipv6_services)
{
	struct config *cfg = parse_clean(
		"virtual_server ae00::1 80 {\n protocol TCP\n persistence_granularity 48\n"
		" sorry_server ae00::99 80\n"
		" real_server ae00::10 80 {\n }\n"
		" real_server 10.0.0.1 80 {\n  lvs_method TUN\n }\n}\n");
	struct virtual_server *v = vs_at(cfg, 0);
	ck_assert_uint_eq(v->af, AF_INET6);
	assert_addr(&v->addr, "ae00::1");
	ck_assert_uint_eq(v->persistence_granularity.family, AF_INET6);
	ck_assert_uint_eq(v->persistence_granularity.prefix, 48);
	ck_assert_uint_eq(v->persistence_timeout, LVS_PERSISTENCE_DEFAULT);
	assert_addr(&rs_at(v, 0)->addr, "ae00::10");
	assert_addr(&v->sorry_server.addr, "ae00::99");
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

START_TEST(family_mismatch_is_an_error)
{
	expect_error("virtual_server 10.0.0.1 80 {\n protocol TCP\n"
		     " real_server ae00::2 80 {\n }\n}\n",
		     "real_server ae00::2 80 is IPv6 but virtual_server 10.0.0.1 80 is IPv4");
	/* the real server's own method counts, and so does the service's */
	expect_error("virtual_server 10.0.0.1 80 {\n protocol TCP\n lvs_method TUN\n"
		     " real_server ae00::2 80 {\n  lvs_method DR\n }\n}\n", "is IPv6 but");
	struct config *cfg = parse_clean("virtual_server 10.0.0.1 80 {\n protocol TCP\n"
					 " lvs_method TUN\n real_server ae00::2 80 {\n }\n}\n");
	conf_unref(cfg);
	expect_error("virtual_server 10.0.0.1 80 {\n protocol TCP\n sorry_server ae00::9 80\n"
		     RS1 "}\n", "its sorry_server is IPv6 but the service is IPv4");
	cfg = parse_clean("virtual_server 10.0.0.1 80 {\n protocol TCP\n sorry_server ae00::9 80\n"
			  " sorry_server_lvs_method TUN\n" RS1 "}\n");
	conf_unref(cfg);
	/* fwmark: the first untunnelled server fixes the family */
	expect_error("virtual_server fwmark 1 {\n real_server 10.0.0.1 {\n }\n"
		     " real_server ae00::1 {\n }\n}\n", "real_server ae00::1 is IPv6 but");
	expect_error("virtual_server fwmark 1 {\n ip_family inet6\n"
		     " real_server 10.0.0.1 {\n }\n}\n",
		     "real_server 10.0.0.1 is IPv4 but virtual_server fwmark 1 is IPv6");
	expect_error("virtual_server 10.0.0.1 80 {\n protocol TCP\n ip_family inet6\n" RS1 "}\n",
		     "ip_family inet6 conflicts with its IPv4 addresses");
	expect_error("virtual_server 10.0.0.1 80 {\n protocol TCP\n persistence_granularity 64\n"
		     RS1 "}\n", "persistence_granularity is for IPv6 but the service is IPv4");
	expect_error("virtual_server ae00::1 80 {\n protocol TCP\n"
		     " persistence_granularity 255.255.0.0\n real_server ae00::2 80 {\n }\n}\n",
		     "persistence_granularity is for IPv4 but the service is IPv6");
}
END_TEST

START_TEST(duplicate_virtual_servers)
{
	expect_error("virtual_server 10.0.0.1 80 {\n protocol TCP\n" RS1 "}\n"
		     "virtual_server 10.0.0.1 80 {\n protocol TCP\n" RS1 "}\n",
		     "virtual_server 10.0.0.1 80 TCP is defined twice; "
		     "the first is at test.conf:1:1");
	/* the second one's own place is where the error is */
	struct diags d;
	diags_init(&d);
	ck_assert_ptr_null(parse_text(VS("") VS(""), &d));
	ck_assert_uint_eq(d.nerrors, 1);
	for (size_t i = 0; i < d.n; i++)
		if (d.msgs[i].sev == DIAG_ERROR)
			ck_assert_uint_eq(d.msgs[i].pos.line, 6);
	diags_free(&d);
	/* other protocol, port or address: different services */
	struct config *cfg = parse_clean(
		"virtual_server 10.0.0.1 80 {\n protocol TCP\n" RS1 "}\n"
		"virtual_server 10.0.0.1 80 {\n protocol UDP\n" RS1 "}\n"
		"virtual_server 10.0.0.1 81 {\n protocol TCP\n" RS1 "}\n"
		"virtual_server 10.0.0.3 80 {\n protocol TCP\n" RS1 "}\n");
	ck_assert_uint_eq(cfg->virtual_servers.n, 4);
	conf_unref(cfg);
	expect_error("virtual_server fwmark 9 {\n" RS1 "}\nvirtual_server fwmark 9 {\n" RS1 "}\n",
		     "virtual_server fwmark 9 is defined twice");
	cfg = parse_clean("virtual_server fwmark 9 {\n ip_family inet\n lvs_method TUN\n"
			  " real_server 10.0.0.2 {\n }\n}\n"
			  "virtual_server fwmark 9 {\n ip_family inet6\n lvs_method TUN\n"
			  " real_server 10.0.0.2 {\n }\n}\n");
	conf_unref(cfg);
	expect_error("virtual_server_group G {\n 10.0.0.1 80\n}\n"
		     "virtual_server group G {\n protocol TCP\n" RS1 "}\n"
		     "virtual_server group G {\n protocol TCP\n" RS1 "}\n",
		     "virtual_server group G TCP is defined twice");
}
END_TEST

START_TEST(duplicate_real_servers)
{
	expect_error("virtual_server 10.0.0.1 80 {\n protocol TCP\n"
		     " real_server 10.0.0.2 80 {\n }\n"
		     " real_server 10.0.0.2 80 {\n  weight 2\n }\n}\n",
		     "real_server 10.0.0.2 80 is given twice; the first is at test.conf:3:2");
	/* another port is another real server; the same one in another
	 * virtual server is fine */
	struct config *cfg = parse_clean(
		"virtual_server 10.0.0.1 80 {\n protocol TCP\n"
		" real_server 10.0.0.2 80 {\n }\n real_server 10.0.0.2 81 {\n }\n}\n"
		"virtual_server 10.0.0.1 81 {\n protocol TCP\n" RS1 "}\n");
	ck_assert_uint_eq(vs_at(cfg, 0)->real_servers.n, 2);
	conf_unref(cfg);
}
END_TEST

START_TEST(ranges)
{
	expect_error(RS("weight -1\n"), "weight -1 is out of range; use 0..2147483647");
	expect_error(RS("weight 2147483648\n"), "out of range");
	expect_error(RS("weight x\n"), "weight must be a whole number");
	expect_error(RS("uthreshold -1\n"), "uthreshold -1 is out of range");
	expect_error(RS("lthreshold 4294967296\n"), "out of range");
	expect_error(RS("retry 0\n"), "retry 0 is out of range");
	expect_error(RS("delay_loop 0\n"), "delay_loop 0 is out of range");
	expect_error(RS("connect_timeout 0\n"), "connect_timeout 0 is out of range");
	expect_error(RS("connect_timeout 4295\n"), "out of range");
	expect_error(RS("warmup -1\n"), "warmup must be a time in seconds");
	expect_error(RS("alpha maybe\n"), "'maybe' is not a boolean");
	expect_error(VS("quorum 4294967296\n"), "out of range");
	expect_error(VS("hysteresis -1\n"), "hysteresis -1 is out of range");
	expect_error(VS("weight 0\n"), "weight 0 is out of range");
	expect_error(VS("retry 0\n"), "retry 0 is out of range");
	expect_error(VS("delay_loop 0\n"), "delay_loop 0 is out of range");
	expect_error(VS("persistence_timeout 2678401\n"), "out of range; use 1..2678400");
	expect_error(VS("persistence_granularity 0\n"), "out of range");
	expect_error(VS("persistence_granularity 129\n"), "out of range");
	expect_error(VS("persistence_granularity 255.255.0\n"), "is not an IPv4 netmask");
	expect_error(VS("ip_family inet4\n"), "ip_family 'inet4' is not known");
	expect_error(VS("protocol ICMP\n"), "protocol 'ICMP' is not known");
	expect_error(VS("smtp_alert perhaps\n"), "'perhaps' is not a boolean");
	expect_error(VS("quorum_up\n"), "quorum_up needs a script");
	expect_error(VS("quorum_down /bin/x a b c\n"), "unexpected 'c'");
	expect_error(RS("notify_up /bin/x a b c\n"), "quote a script that has arguments");
	expect_error(VS("sorry_server 10.0.0.9 65536\n"), "port 65536 is out of range");
	expect_error(VS("sorry_server\n"), "sorry_server needs at least 1 value");
	/* the limits themselves are fine */
	struct config *cfg = parse_clean(
		"virtual_server 10.0.0.1 80 {\n protocol TCP\n quorum 4\n hysteresis 3\n"
		" persistence_timeout 2678400\n connect_timeout 4294.967295\n"
		" real_server 10.0.0.2 80 {\n  weight 4\n  uthreshold 4294967295\n"
		"  connect_timeout 0.000001\n }\n}\n");
	ck_assert_uint_eq(vs_at(cfg, 0)->connect_timeout, 4294967295u);
	ck_assert_uint_eq(rs_at(vs_at(cfg, 0), 0)->uthreshold, 4294967295u);
	ck_assert_uint_eq(rs_at(vs_at(cfg, 0), 0)->connect_timeout, 1);
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

START_TEST(bad_heads_and_addresses)
{
	expect_error("virtual_server 10.0.0.300 80 {\n protocol TCP\n" RS1 "}\n",
		     "'10.0.0.300': not a valid IPv4 address");
	expect_error("virtual_server 10.0.0.1 65536 {\n protocol TCP\n" RS1 "}\n",
		     "port 65536 is out of range");
	/* a word after the port is ignored, as keepalived ignores it */
	expect_warning("virtual_server 10.0.0.1 80 90 {\n protocol TCP\n" RS1 "}\n",
		       "virtual_server 10.0.0.1 80: '90' and what follows are ignored");
	expect_error("virtual_server {\n" RS1 "}\n", "virtual_server needs 'IP [PORT]'");
	expect_error("virtual_server 10.0.0.1/24 80 {\n" RS1 "}\n",
		     "a prefix length is not allowed");
	expect_error("virtual_server group {\n" RS1 "}\n", "virtual_server needs 2 values");
	expect_error("virtual_server 10.0.0.1 80 {\n protocol TCP\n"
		     " real_server ae00::g 80 {\n }\n}\n",
		     "not a valid IPv6 address");
	expect_error("virtual_server 10.0.0.1 80 {\n protocol TCP\n"
		     " real_server 10.0.0.2 -1 {\n }\n}\n",
		     "port -1 is out of range");
	expect_error("virtual_server 10.0.0.1 80 {\n protocol TCP\n real_server {\n }\n}\n",
		     "real_server needs at least 1 value");
	expect_error("virtual_server 10.0.0.1 80 {\n protocol TCP\n sorry_server 10.0.0.256 80\n"
		     RS1 "}\n", "not a valid IPv4 address");
	/* a real server's port 0 is accepted (fwmark services do without) */
	struct config *cfg = parse_clean("virtual_server 10.0.0.1 80 {\n protocol TCP\n"
					 " real_server 10.0.0.2 0 {\n }\n}\n");
	ck_assert_uint_eq(rs_at(vs_at(cfg, 0), 0)->port, 0);
	conf_unref(cfg);
}
END_TEST

START_TEST(keepalived_corrections_warn)
{
	struct config *cfg;

	expect_warning("virtual_server 10.0.0.1 80 {\n" RS1 "}\n",
		       "has no protocol; UDP is used, as keepalived 2.2.7 does");
	cfg = parse_ok("virtual_server 10.0.0.1 80 {\n" RS1 "}\n", NULL);
	ck_assert_int_eq(vs_at(cfg, 0)->protocol, LVS_PROTO_UDP);
	assert_roundtrip(cfg);
	conf_unref(cfg);

	expect_warning(VS("ops\n"), "one packet scheduling (ops) needs protocol UDP");
	cfg = parse_ok(VS("ops\n"), NULL);
	ck_assert(!vs_at(cfg, 0)->ops);
	conf_unref(cfg);
	cfg = parse_clean("virtual_server fwmark 1 {\n ops\n real_server 10.0.0.2 {\n }\n}\n");
	ck_assert(vs_at(cfg, 0)->ops);
	conf_unref(cfg);

	expect_warning(VS("lvs_sched rr\n sh-port\n"),
		       "sh-port and sh-fallback only apply to lvs_sched sh");
	cfg = parse_ok(VS("sh-fallback\n"), NULL);
	ck_assert(!vs_at(cfg, 0)->sh_fallback);
	conf_unref(cfg);
	expect_warning(VS("mh-port\n"), "mh-port and mh-fallback only apply to lvs_sched mh");
	/* the order of lvs_sched and the flag does not matter */
	cfg = parse_clean(VS("sh-port\n lvs_sched sh\n"));
	ck_assert(vs_at(cfg, 0)->sh_port);
	conf_unref(cfg);

	expect_warning("virtual_server fwmark 1 {\n ha_suspend\n real_server 10.0.0.2 {\n }\n}\n",
		       "ha_suspend cannot be used with a fwmark");

	const char *port0 = "virtual_server 10.0.0.1 0 {\n protocol TCP\n"
			    " real_server 10.0.0.2 0 {\n }\n}\n";
	expect_warning(port0, "port 0 is only valid for a persistent service");
	cfg = parse_ok(port0, NULL);
	ck_assert_uint_eq(vs_at(cfg, 0)->persistence_timeout, LVS_PERSISTENCE_DEFAULT);
	assert_roundtrip(cfg);
	conf_unref(cfg);
	cfg = parse_clean("virtual_server 10.0.0.1 {\n protocol TCP\n persistence_timeout 50\n"
			  " real_server 10.0.0.2 {\n }\n}\n");
	ck_assert_uint_eq(vs_at(cfg, 0)->port, 0);
	conf_unref(cfg);

	expect_warning(VS("quorum 5\n hysteresis 5\n"), "quorum 5 exceeds the total weight");
	cfg = parse_ok(VS("quorum 5\n hysteresis 5\n"), NULL);
	ck_assert_uint_eq(vs_at(cfg, 0)->quorum, 1);
	ck_assert_uint_eq(vs_at(cfg, 0)->hysteresis, 0);
	conf_unref(cfg);
	expect_warning("virtual_server 10.0.0.1 80 {\n protocol TCP\n quorum 3\n hysteresis 3\n"
		       " real_server 10.0.0.2 80 {\n  weight 3\n }\n}\n",
		       "hysteresis 3 must be below quorum 3; set to 2");

	expect_warning(VS("sorry_server_inhibit\n"), "have no effect without a sorry_server");
	cfg = parse_ok(VS("sorry_server_lvs_method DR\n"), NULL);
	ck_assert_int_eq(vs_at(cfg, 0)->sorry_server_fwd.method, LVS_FWD_INHERIT);
	conf_unref(cfg);
	expect_warning("virtual_server fwmark 1 {\n sorry_server 10.0.0.9 80\n"
		       " real_server 10.0.0.2 {\n }\n}\n", "the sorry_server's port is ignored");

	const char *dr = "virtual_server 10.0.0.1 80 {\n protocol TCP\n lvs_method DR\n"
			 " real_server 10.0.0.2 8080 {\n }\n}\n";
	expect_warning(dr, "uses DR or TUN, so its port must be the virtual server's; set to 80");
	cfg = parse_ok(dr, NULL);
	ck_assert_uint_eq(rs_at(vs_at(cfg, 0), 0)->port, 80);
	conf_unref(cfg);
	/* NAT maps ports */
	cfg = parse_clean("virtual_server 10.0.0.1 80 {\n protocol TCP\n"
			  " real_server 10.0.0.2 8080 {\n }\n}\n");
	conf_unref(cfg);

	expect_warning("virtual_server 10.0.0.1 80 {\n protocol TCP\n}\n", "has no real_server");
	/* a real server keyword that belongs to the virtual server is applied there */
	expect_warning(RS("omega\n"), "'omega' belongs in virtual_server, not in real_server");
}
END_TEST

START_TEST(checkers_share_one_list)
{
	struct config *cfg = parse_ok(
		"virtual_server 10.0.0.1 80 {\n protocol TCP\n"
		" real_server 10.0.0.2 80 {\n"
		"  TCP_CHECK {\n  }\n"
		"  PING_CHECK {\n  }\n"
		"  TCP_CHECK {\n  }\n"
		" }\n}\n", NULL);
	struct real_server *r = rs_at(vs_at(cfg, 0), 0);
	ck_assert_uint_eq(r->checkers.n, 3);
	ck_assert_ptr_eq(r->checkers.first->desc, &desc_tcp_check);
	ck_assert_ptr_eq(r->checkers.first->next->desc, &desc_ping_check);
	ck_assert_ptr_eq(r->checkers.last->desc, &desc_tcp_check);
	char *text = dump_string(cfg);
	const char *t = strstr(text, "TCP_CHECK");
	ck_assert_ptr_nonnull(t);
	ck_assert_ptr_nonnull(strstr(t, "PING_CHECK"));
	ck_assert_ptr_nonnull(strstr(strstr(t, "PING_CHECK"), "TCP_CHECK"));
	free(text);
	assert_roundtrip(cfg);
	conf_unref(cfg);
	/* the order of kinds is part of the model */
	assert_differ(RS("TCP_CHECK {\n }\n PING_CHECK {\n }\n"),
		      RS("PING_CHECK {\n }\n TCP_CHECK {\n }\n"));
}
END_TEST

START_TEST(every_value_type_takes_part_in_equality)
{
	assert_differ(VS("lvs_method TUN type gue port 1\n"),
		      VS("lvs_method TUN type gue port 2\n"));
	assert_differ(VS("lvs_method TUN type gre\n"), VS("lvs_method TUN type gre csum\n"));
	assert_differ(VS("quorum_up /a u\n"), VS("quorum_up /a v\n"));
	assert_differ(VS("quorum_up /a u g\n"), VS("quorum_up /a u\n"));
	assert_differ(RS("notify_down /a\n"), RS("notify_down /b\n"));
	assert_differ(RS("alpha\n"), RS("alpha off\n"));
	assert_differ(RS("alpha off\n"), RS(""));
	assert_differ(VS("smtp_alert\n"), VS(""));
	assert_differ(VS("persistence_timeout\n"), VS("persistence_timeout 361\n"));
	assert_differ(VS("persistence_granularity 255.255.255.0\n"),
		      VS("persistence_granularity 255.255.0.0\n"));
	assert_differ(VS("sorry_server 10.0.0.9 80\n"), VS("sorry_server 10.0.0.9 81\n"));
	assert_differ(VS("sorry_server 10.0.0.9\n"), VS("sorry_server 10.0.0.8\n"));
	assert_differ(VS("retry 3\n"), VS(""));
	assert_differ(RS("warmup 0\n"), RS(""));
	assert_differ("virtual_server_group G {\n 10.0.0.1-5 80\n}\n",
		      "virtual_server_group G {\n 10.0.0.1-6 80\n}\n");
	assert_differ("virtual_server_group G {\n fwmark 1\n}\n",
		      "virtual_server_group G {\n fwmark 1 inet\n}\n");
	assert_differ("virtual_server_group G {\n 10.0.0.1\n}\n",
		      "virtual_server_group G {\n 10.0.0.1\n 10.0.0.2\n}\n");
	assert_differ("virtual_server fwmark 1 {\n" RS1 "}\n",
		      "virtual_server fwmark 2 {\n" RS1 "}\n");
	assert_differ(RS(""), "virtual_server 10.0.0.1 80 {\n protocol TCP\n"
			      " real_server 10.0.0.2 81 {\n }\n}\n");
}
END_TEST

/* keepalived's samples, LVS parts (checkers left empty: they are another
 * table's business). */
START_TEST(sample_shapes)
{
	struct config *cfg = parse_clean(
		"virtual_server 10.10.10.2 1358 {\n"
		"    delay_loop 6\n    lb_algo rr\n    lb_kind NAT\n"
		"    persistence_timeout 50\n    protocol TCP\n"
		"    sorry_server 192.168.200.200 1358\n"
		"    real_server 192.168.200.2 1358 {\n        weight 1\n"
		"        inhibit_on_failure        ! set weight to 0 instead of removing\n    }\n"
		"    real_server 192.168.200.3 1358 {\n        weight 1\n    }\n"
		"}\n"
		"virtual_server 10.0.1.1 80 {\n"
		"  delay_loop 6\n  lb_algo wrr\n  lb_kind NAT\n  protocol TCP\n"
		"  quorum 5\n  hysteresis 2\n  alpha\n  omega\n"
		"  quorum_up \"/usr/bin/logger UP\"\n  quorum_down \"/usr/bin/logger DOWN\"\n"
		"  real_server 10.0.0.1 8080 {\n    weight 3\n  }\n"
		"  real_server 10.0.0.2 8080 {\n    weight 3\n  }\n"
		"}\n");
	struct virtual_server *v = vs_at(cfg, 0);
	ck_assert_uint_eq(v->persistence_timeout, 50);
	ck_assert_int_eq(rs_at(v, 0)->inhibit_on_failure, 1);
	v = vs_at(cfg, 1);
	ck_assert_uint_eq(v->quorum, 5);
	ck_assert_str_eq(v->quorum_down->cmd, "/usr/bin/logger DOWN");
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("conf_lvs");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, empty_config_parses);
	tcase_add_test(tc, keepalived_fallbacks);
	tcase_add_test(tc, virtual_server_defaults);
	tcase_add_test(tc, virtual_server_every_keyword);
	tcase_add_test(tc, real_server_every_keyword);
	tcase_add_test(tc, aliases_and_sample_spelling);
	tcase_add_test(tc, every_scheduler);
	tcase_add_test(tc, unknown_scheduler_is_ignored_with_a_warning);
	tcase_add_test(tc, quorum_0_and_words_after_the_port_are_warned_and_ignored);
	tcase_add_test(tc, mh_flags);
	tcase_add_test(tc, tunnel_methods);
	tcase_add_test(tc, fwmark_service);
	tcase_add_test(tc, fwmark_with_protocol_warns);
	tcase_add_test(tc, groups_and_ranges);
	tcase_add_test(tc, group_errors);
	tcase_add_test(tc, group_families);
	tcase_add_test(tc, ipv6_services);
	tcase_add_test(tc, family_mismatch_is_an_error);
	tcase_add_test(tc, duplicate_virtual_servers);
	tcase_add_test(tc, duplicate_real_servers);
	tcase_add_test(tc, ranges);
	tcase_add_test(tc, bad_heads_and_addresses);
	tcase_add_test(tc, keepalived_corrections_warn);
	tcase_add_test(tc, checkers_share_one_list);
	tcase_add_test(tc, every_value_type_takes_part_in_equality);
	tcase_add_test(tc, sample_shapes);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
