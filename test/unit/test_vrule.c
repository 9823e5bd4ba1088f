/* test_vrule.c - policy rule messages, parsed back without a kernel; and
 * the "no effect" warnings of route options vigil does not install. */
#include <arpa/inet.h>
#include <check.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <string.h>

#include "conf.h"
#include "testutil.h"
#include "vrrp/vrule.h"

/* The one rule of a static_rules block. */
static struct config *one_rule(const char *line, const struct rule_item **r)
{
	char text[512];
	snprintf(text, sizeof(text), "static_rules {\n %s\n}\n", line);
	struct config *cfg = parse_ok(text, NULL);
	ck_assert_uint_eq(cfg->static_rules.n, 1);
	*r = (const struct rule_item *)cfg->static_rules.first;
	return cfg;
}

static struct nl_msg *build_parse(const struct rule_item *r, bool add, struct nlattr **tb,
				  struct fib_rule_hdr **h)
{
	const char *why = "unset";
	struct nl_msg *m = vrule_build(r, add, &why);
	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_null(why);
	struct nlmsghdr *nh = nlmsg_hdr(m);
	ck_assert_int_eq(nh->nlmsg_type, add ? RTM_NEWRULE : RTM_DELRULE);
	if (add)
		ck_assert_int_eq(nh->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL),
				 NLM_F_CREATE | NLM_F_EXCL);
	ck_assert_int_eq(nlmsg_parse(nh, sizeof(struct fib_rule_hdr), tb, FRA_MAX, NULL), 0);
	*h = nlmsg_data(nh);
	return m;
}

START_TEST(table_rule_every_selector)
{
	const struct rule_item *r;
	struct config *cfg = one_rule("not from 10.1.0.0/16 to 10.2.3.4 priority 100 tos 8 "
				      "fwmark 0x10/0xf0 iif eth0 oif eth1 table 1000 "
				      "suppress_prefixlength 0 uidrange 10-20 ip_proto tcp "
				      "sport 1000-2000 dport 80 protocol 18 realms 2/3", &r);
	struct nlattr *tb[FRA_MAX + 1];
	struct fib_rule_hdr *h;
	struct nl_msg *m = build_parse(r, true, tb, &h);
	ck_assert_uint_eq(h->family, AF_INET);
	ck_assert_uint_eq(h->src_len, 16);
	ck_assert_uint_eq(h->dst_len, 32);
	ck_assert_uint_eq(h->tos, 8);
	ck_assert_uint_eq(h->action, FR_ACT_TO_TBL);
	ck_assert_uint_eq(h->flags & FIB_RULE_INVERT, FIB_RULE_INVERT);
	ck_assert_uint_eq(h->table, RT_TABLE_UNSPEC);      /* > 255: FRA_TABLE only */
	ck_assert_uint_eq(nla_get_u32(tb[FRA_TABLE]), 1000);
	ck_assert_uint_eq(nla_get_u32(tb[FRA_PRIORITY]), 100);
	ck_assert_uint_eq(nla_get_u32(tb[FRA_FWMARK]), 0x10);
	ck_assert_uint_eq(nla_get_u32(tb[FRA_FWMASK]), 0xf0);
	ck_assert_str_eq(nla_get_string(tb[FRA_IIFNAME]), "eth0");
	ck_assert_str_eq(nla_get_string(tb[FRA_OIFNAME]), "eth1");
	ck_assert_uint_eq(nla_get_u32(tb[FRA_SUPPRESS_PREFIXLEN]), 0);
	ck_assert_uint_eq(nla_get_u8(tb[FRA_IP_PROTO]), 6);
	ck_assert_uint_eq(nla_get_u8(tb[FRA_PROTOCOL]), 18);
	ck_assert_uint_eq(nla_get_u32(tb[FRA_FLOW]), (2u << 16) | 3);
	struct fib_rule_uid_range u;
	memcpy(&u, nla_data(tb[FRA_UID_RANGE]), sizeof(u));
	ck_assert_uint_eq(u.start, 10);
	ck_assert_uint_eq(u.end, 20);
	struct fib_rule_port_range p;
	memcpy(&p, nla_data(tb[FRA_SPORT_RANGE]), sizeof(p));
	ck_assert_uint_eq(p.start, 1000);
	ck_assert_uint_eq(p.end, 2000);
	memcpy(&p, nla_data(tb[FRA_DPORT_RANGE]), sizeof(p));
	ck_assert_uint_eq(p.start, 80);
	ck_assert_uint_eq(p.end, 80);
	uint8_t want_src[4] = { 10, 1, 0, 0 };
	ck_assert_mem_eq(nla_data(tb[FRA_SRC]), want_src, 4);
	ck_assert_ptr_null(tb[FRA_GOTO]);
	nlmsg_free(m);
	conf_unref(cfg);
}
END_TEST

START_TEST(actions_and_family)
{
	const struct rule_item *r;
	struct nlattr *tb[FRA_MAX + 1];
	struct fib_rule_hdr *h;
	struct config *cfg = one_rule("inet6 priority 5 blackhole", &r);
	struct nl_msg *m = build_parse(r, false, tb, &h);
	ck_assert_uint_eq(h->family, AF_INET6);
	ck_assert_uint_eq(h->action, FR_ACT_BLACKHOLE);
	ck_assert_ptr_null(tb[FRA_TABLE]);
	ck_assert_ptr_null(tb[FRA_SRC]);
	nlmsg_free(m);
	conf_unref(cfg);

	cfg = one_rule("from all priority 10 goto 20", &r);
	m = build_parse(r, true, tb, &h);
	ck_assert_uint_eq(h->action, FR_ACT_GOTO);
	ck_assert_uint_eq(nla_get_u32(tb[FRA_GOTO]), 20);
	ck_assert_uint_eq(h->src_len, 0);
	nlmsg_free(m);
	conf_unref(cfg);

	/* A table of 255 or less also goes in the header, as ip(8) sends it. */
	cfg = one_rule("from 10.0.0.1 lookup main priority 3", &r);
	m = build_parse(r, true, tb, &h);
	ck_assert_uint_eq(h->table, RT_TABLE_MAIN);
	ck_assert_uint_eq(nla_get_u32(tb[FRA_TABLE]), RT_TABLE_MAIN);
	nlmsg_free(m);
	conf_unref(cfg);
}
END_TEST

START_TEST(unknown_table_name_is_refused)
{
	const struct rule_item *r;
	const char *why = NULL;
	struct config *cfg = one_rule("from 10.0.0.1 table no_such_table_vigil priority 3", &r);
	ck_assert_ptr_null(vrule_build(r, true, &why));
	ck_assert_ptr_nonnull(strstr(why, "rt_tables"));
	conf_unref(cfg);
}
END_TEST

START_TEST(route_options_without_effect_warn)
{
	size_t nwarn = 0;
	struct config *cfg = parse_ok("static_routes {\n 10.1.0.0/16 dev eth0 congctl cubic\n"
				      " 10.2.0.0/16 dev eth0 vrf red\n"
				      " 10.3.0.0/16 dev eth0 mtu lock 1400 realms 1 rtt 10ms\n"
				      " 10.4.0.0/16 dev eth0 encap mpls 100\n}\n",
				      &nwarn);
	/* No problem in the text (parse_ok does not count "no effect"
	 * warnings: encap's is checked below); congctl, vrf, mtu, realms and
	 * rtt are installed. */
	ck_assert_uint_eq(nwarn, 0);
	conf_unref(cfg);
	expect_warning("static_routes {\n 10.1.0.0/16 dev eth0 encap mpls 100\n}\n",
		       "'encap' is accepted but has no effect in vigil");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vrule");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, table_rule_every_selector);
	tcase_add_test(tc, actions_and_family);
	tcase_add_test(tc, unknown_table_name_is_refused);
	tcase_add_test(tc, route_options_without_effect_warn);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
