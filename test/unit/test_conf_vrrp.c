/* test_conf_vrrp.c - the VRRP blocks of the configuration language:
 * vrrp_script, vrrp_track_process, bfd_instance, vrrp_sync_group,
 * garp_group and vrrp_instance (tables in tab_vrrp.c). */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "tab.h"
#include "testutil.h"

/* ---- helpers ---------------------------------------------------------- */

static void *nth(const struct list *l, size_t i)
{
	struct node *n = l->first;
	while (n && i--)
		n = n->next;
	ck_assert_ptr_nonnull(n);
	return n;
}

static struct vrrp_instance *instance(const struct config *c, const char *name)
{
	for (LIST_EACH(struct vrrp_instance, v, &c->vrrp_instances))
		if (strcmp(v->hdr.name, name) == 0)
			return v;
	ck_abort_msg("no vrrp_instance %s", name);
	return NULL;
}

static const struct track_ref *ref(const struct list *l, size_t i)
{
	return nth(l, i);
}

static const char *addr_text(const struct vaddr *a)
{
	static char buf[VADDR_STRLEN];
	return vaddr_format(a, buf, sizeof(buf));
}

/* Wrap instance lines into a valid instance so that only they vary. */
#define INST(body) "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n" \
	" virtual_ipaddress {\n  10.0.0.1/24\n }\n" body "}\n"

static void expect_clean(const char *text)
{
	size_t nwarn = 99;
	struct config *cfg = parse_ok(text, &nwarn);
	ck_assert_msg(nwarn == 0, "expected no warning, got %zu", nwarn);
	conf_unref(cfg);
}

/* ---- every keyword --------------------------------------------------------- */

static const char full_conf[] =
	"track_file tf {\n file /run/tf\n}\n"
	"vrrp_script chk {\n"
	"    script \"/usr/bin/check --fast\"\n"
	"    interval 2.5\n"
	"    timeout 3\n"
	"    weight -20 reverse\n"
	"    rise 3\n"
	"    fall 4\n"
	"    user nobody nogroup\n"
	"    init_fail\n"
	"}\n"
	"vrrp_track_process proc {\n"
	"    process haproxy -f \"/etc/ha proxy.cfg\"\n"
	"    param_match partial\n"
	"    weight 10 reverse\n"
	"    quorum 2\n"
	"    quorum_max 4\n"
	"    fork_delay 0.5\n"
	"    terminate_delay 1.5\n"
	"    full_command\n"
	"}\n"
	"vrrp_track_process proc2 {\n"
	"    process nginx\n"
	"    param_match initial\n"
	"    delay 2\n"
	"}\n"
	"bfd_instance bfd1 {\n"
	"    neighbour_ip 192.168.0.2\n"
	"    source_ip 192.168.0.1\n"
	"    min_rx 3.312\n"
	"    min_tx 20\n"
	"    idle_tx 2000\n"
	"    multiplier 3\n"
	"    passive\n"
	"    ttl 64\n"
	"    hoplimit 32\n"
	"    max_hops 2\n"
	"    weight 30 reverse\n"
	"    vrrp\n"
	"    checker\n"
	"}\n"
	"bfd_instance bfd2 {\n"
	"    neighbor_ip fe80::2\n"
	"}\n"
	"vrrp_sync_group G1 {\n"
	"    group {\n"
	"        VI_1 VI_2\n"
	"    }\n"
	"    track_interface {\n"
	"        eth3 weight -10 reverse\n"
	"        eth4\n"
	"    }\n"
	"    track_script {\n"
	"        chk weight 5\n"
	"    }\n"
	"    track_file {\n"
	"        tf weight -254\n"
	"    }\n"
	"    track_process {\n"
	"        proc noreverse\n"
	"    }\n"
	"    track_bfd {\n"
	"        bfd1\n"
	"    }\n"
	"    notify_master \"/bin/m a\" root wheel\n"
	"    notify_backup /bin/b root\n"
	"    notify_fault /bin/f\n"
	"    notify_stop /bin/s\n"
	"    notify /bin/n\n"
	"    notify_priority_changes\n"
	"    smtp_alert false\n"
	"    sync_group_tracking_weight\n"
	"}\n"
	"garp_group {\n"
	"    garp_interval 0.002\n"
	"    gna_interval 0.003\n"
	"    interfaces {\n"
	"        eth0 eth1\n"
	"    }\n"
	"}\n"
	"garp_group {\n"
	"    gna_interval 1\n"
	"    interface eth2\n"
	"}\n"
	"vrrp_instance VI_1 {\n"
	"    state BACKUP\n"
	"    interface eth0\n"
	"    use_vmac vrrp51 02:00:00:00:01\n"
	"    use_vmac_addr\n"
	"    vmac_xmit_base\n"
	"    dont_track_primary\n"
	"    track_interface {\n"
	"        eth1\n"
	"        eth2 weight 20 reverse\n"
	"    }\n"
	"    track_script {\n"
	"        chk\n"
	"    }\n"
	"    track_file {\n"
	"        tf weight 254\n"
	"    }\n"
	"    track_process {\n"
	"        proc weight -254\n"
	"        proc2\n"
	"    }\n"
	"    track_bfd {\n"
	"        bfd1 weight -253\n"
	"    }\n"
	"    unicast_src_ip 10.0.0.1\n"
	"    unicast_peer {\n"
	"        10.0.0.2 min_ttl 10 max_ttl 250\n"
	"        10.0.0.3\n"
	"    }\n"
	"    unicast_fault_no_peer\n"
	"    check_unicast_src\n"
	"    check_unicast_ttl\n"
	"    unicast_ttl 64\n"
	"    old_unicast_checksum never\n"
	"    virtual_router_id 51\n"
	"    priority 150\n"
	"    advert_int 2\n"
	"    version 2\n"
	"    authentication {\n"
	"        auth_type PASS\n"
	"        auth_pass secret\n"
	"    }\n"
	"    virtual_ipaddress {\n"
	"        10.0.0.100/24\n"
	"    }\n"
	"    virtual_ipaddress_excluded {\n"
	"        10.0.1.100/24\n"
	"        2001:db8::100/64\n"
	"    }\n"
	"    virtual_routes {\n"
	"        192.168.110.0/24 dev eth1\n"
	"    }\n"
	"    promote_secondaries\n"
	"    no_accept\n"
	"    nopreempt\n"
	"    preempt_delay 2.5\n"
	"    skip_check_adv_addr off\n"
	"    strict_mode false\n"
	"    debug 2\n"
	"    garp_master_delay 10\n"
	"    garp_master_repeat 3\n"
	"    garp_master_refresh 60\n"
	"    garp_master_refresh_repeat 2\n"
	"    garp_lower_prio_delay 7\n"
	"    garp_lower_prio_repeat 0\n"
	"    garp_extra_if all 100\n"
	"    down_timer_adverts 4\n"
	"    lower_prio_no_advert\n"
	"    higher_prio_send_advert false\n"
	"    notify_master /bin/m\n"
	"    notify_backup \"/bin/b x\" alice\n"
	"    notify_fault /bin/f alice staff\n"
	"    notify_stop /bin/s\n"
	"    notify /bin/n\n"
	"    notify_master_rx_lower_pri /bin/rx\n"
	"    notify_deleted /bin/d\n"
	"    notify_priority_changes on\n"
	"    smtp_alert\n"
	"    kernel_rx_buf_size 65536\n"
	"}\n"
	"vrrp_instance VI_2 {\n"
	"    vrf blue\n"
	"    native_ipv6\n"
	"    use_ipvlan ipvl0 2001:db8::5/64 private\n"
	"    mcast_src_ip fe80::1\n"
	"    mcast_dst_ip ff02::1:12\n"
	"    track_src_ip\n"
	"    virtual_router_id 52\n"
	"    priority 255\n"
	"    advert_int 0.05\n"
	"    version 3\n"
	"    accept\n"
	"    preempt\n"
	"    strict_mode\n"
	"    virtual_ipaddress {\n"
	"        2001:db8::1/64\n"
	"    }\n"
	"}\n"
	"vrrp_instance VI_3 {\n"
	"    interface eth9\n"
	"    virtual_router_id 53\n"
	"    use_vmac\n"
	"    use_ipvlan\n"
	"    old_unicast_checksum\n"
	"    notify_deleted\n"
	"    garp_extra_if 0\n"
	"    skip_check_adv_addr\n"
	"    virtual_ipaddress {\n"
	"        10.0.3.1\n"
	"    }\n"
	"}\n";

START_TEST(every_keyword_is_parsed)
{
	size_t nwarn = 99;
	struct config *c = parse_ok(full_conf, &nwarn);
	/* use_vmac_addr's "no effect" warning is not a problem of the text */
	ck_assert_uint_eq(nwarn, 0);

	const struct vrrp_script *s = nth(&c->vrrp_scripts, 0);
	ck_assert_str_eq(s->hdr.name, "chk");
	ck_assert_str_eq(s->script, "/usr/bin/check --fast");
	ck_assert_uint_eq(s->interval, 2500000);
	ck_assert_uint_eq(s->timeout, SEC(3));
	ck_assert_int_eq(s->weight.value, -20);
	ck_assert(s->weight.reverse);
	ck_assert_int_eq(s->rise, 3);
	ck_assert_int_eq(s->fall, 4);
	ck_assert_str_eq(s->user.user, "nobody");
	ck_assert_str_eq(s->user.group, "nogroup");
	ck_assert(s->init_fail);

	const struct track_process *tp = nth(&c->vrrp_track_processes, 0);
	ck_assert_uint_eq(tp->process.argc, 3);
	ck_assert_str_eq(tp->process.argv[0], "haproxy");
	ck_assert_str_eq(tp->process.argv[2], "/etc/ha proxy.cfg");
	ck_assert_int_eq(tp->param_match, PARAM_MATCH_PARTIAL);
	ck_assert_int_eq(tp->weight.value, 10);
	ck_assert(tp->weight.reverse);
	ck_assert_int_eq(tp->quorum, 2);
	ck_assert_int_eq(tp->quorum_max, 4);
	ck_assert_uint_eq(tp->delay.fork, 500000);
	ck_assert_uint_eq(tp->delay.terminate, 1500000);
	ck_assert(tp->full_command);
	const struct track_process *tp2 = nth(&c->vrrp_track_processes, 1);
	ck_assert_int_eq(tp2->param_match, PARAM_MATCH_INITIAL);
	ck_assert_uint_eq(tp2->delay.fork, SEC(2));      /* "delay" sets both */
	ck_assert_uint_eq(tp2->delay.terminate, SEC(2));

	const struct bfd_instance *b = nth(&c->bfd_instances, 0);
	ck_assert_str_eq(addr_text(&b->neighbor_ip), "192.168.0.2");
	ck_assert_str_eq(addr_text(&b->source_ip), "192.168.0.1");
	ck_assert_uint_eq(b->min_rx, 3312);
	ck_assert_uint_eq(b->min_tx, 20000);
	ck_assert_uint_eq(b->idle_tx, 2000000);
	ck_assert_int_eq(b->multiplier, 3);
	ck_assert(b->passive);
	ck_assert_int_eq(b->ttl, 64);
	ck_assert_int_eq(b->hoplimit, 32);
	ck_assert_int_eq(b->max_hops, 2);
	ck_assert_int_eq(b->weight.value, 30);
	ck_assert(b->weight.reverse && b->vrrp_only && b->checker_only);

	const struct vrrp_sync_group *g = nth(&c->vrrp_sync_groups, 0);
	ck_assert_uint_eq(g->members.n, 2);
	ck_assert_str_eq(((struct name_item *)nth(&g->members, 1))->name, "VI_2");
	ck_assert_str_eq(ref(&g->track_interfaces, 0)->name, "eth3");
	ck_assert_int_eq(ref(&g->track_interfaces, 0)->weight, -10);
	ck_assert(ref(&g->track_interfaces, 0)->reverse);
	ck_assert_int_eq(ref(&g->track_interfaces, 1)->weight, TRACK_WEIGHT_UNSET);
	ck_assert_int_eq(ref(&g->track_scripts, 0)->weight, 5);
	ck_assert_int_eq(ref(&g->track_files, 0)->weight, -254);
	ck_assert(!ref(&g->track_processes, 0)->reverse);
	ck_assert_str_eq(ref(&g->track_bfds, 0)->name, "bfd1");
	ck_assert_str_eq(g->notify_master.cmd, "/bin/m a");
	ck_assert_str_eq(g->notify_master.user, "root");
	ck_assert_str_eq(g->notify_master.group, "wheel");
	ck_assert_str_eq(g->notify_backup.user, "root");
	ck_assert_ptr_null(g->notify_backup.group);
	ck_assert_str_eq(g->notify_fault.cmd, "/bin/f");
	ck_assert_ptr_null(g->notify_fault.user);
	ck_assert_str_eq(g->notify_stop.cmd, "/bin/s");
	ck_assert_str_eq(g->notify.cmd, "/bin/n");
	ck_assert_int_eq(g->notify_priority_changes, TRI_ON);
	ck_assert_int_eq(g->smtp_alert, TRI_OFF);
	ck_assert(g->sync_group_tracking_weight);

	const struct garp_group *gg = nth(&c->garp_groups, 0);
	ck_assert_uint_eq(gg->garp_interval, 2000);
	ck_assert_uint_eq(gg->gna_interval, 3000);
	ck_assert_uint_eq(gg->interfaces.n, 2);
	ck_assert_str_eq(((const struct garp_group *)nth(&c->garp_groups, 1))->interface, "eth2");

	const struct vrrp_instance *v = instance(c, "VI_1");
	ck_assert_int_eq(v->state, VRRP_START_BACKUP);
	ck_assert_str_eq(v->interface, "eth0");
	ck_assert(v->use_vmac.on);
	ck_assert_str_eq(v->use_vmac.ifname, "vrrp51");
	ck_assert_uint_eq(v->use_vmac.mac_len, 5);
	ck_assert_uint_eq(v->use_vmac.mac[0], 2);
	ck_assert_uint_eq(v->use_vmac.mac[4], 1);
	ck_assert(v->use_vmac_addr && v->vmac_xmit_base && v->dont_track_primary);
	ck_assert_uint_eq(v->track_interfaces.n, 2);
	ck_assert_int_eq(ref(&v->track_interfaces, 1)->weight, 20);
	ck_assert(ref(&v->track_interfaces, 1)->reverse);
	ck_assert_int_eq(ref(&v->track_scripts, 0)->weight, TRACK_WEIGHT_UNSET);
	ck_assert_int_eq(ref(&v->track_files, 0)->weight, 254);
	ck_assert_int_eq(ref(&v->track_processes, 0)->weight, -254);
	ck_assert_str_eq(ref(&v->track_processes, 1)->name, "proc2");
	ck_assert_int_eq(ref(&v->track_bfds, 0)->weight, -253);
	ck_assert_str_eq(addr_text(&v->src_ip), "10.0.0.1");
	const struct unicast_peer *u = nth(&v->unicast_peers, 0);
	ck_assert_str_eq(addr_text(&u->addr), "10.0.0.2");
	ck_assert_int_eq(u->min_ttl, 10);
	ck_assert_int_eq(u->max_ttl, 250);
	u = nth(&v->unicast_peers, 1);
	ck_assert_int_eq(u->min_ttl, VRRP_UNSET);
	ck_assert_int_eq(u->max_ttl, VRRP_UNSET);
	ck_assert(v->unicast_fault_no_peer);
	ck_assert_int_eq(v->check_unicast_src, TRI_ON);
	ck_assert_int_eq(v->check_unicast_ttl, TRI_ON);
	ck_assert_int_eq(v->unicast_ttl, 64);
	ck_assert_int_eq(v->old_unicast_checksum, OLD_CHKSUM_NEVER);
	ck_assert_int_eq(v->vrid, 51);
	ck_assert_int_eq(v->priority, 150);
	ck_assert_uint_eq(v->advert_int, SEC(2));
	ck_assert_int_eq(v->version, 2);
	ck_assert_int_eq(v->auth.type, CONF_AUTH_PASS);
	ck_assert_str_eq(v->auth.pass, "secret");
	ck_assert_uint_eq(v->vips.n, 1);
	ck_assert_uint_eq(v->evips.n, 2);
	ck_assert_uint_eq(v->vroutes.n, 1);
	ck_assert(v->promote_secondaries);
	ck_assert_int_eq(v->accept, TRI_OFF);
	ck_assert(!v->preempt);
	ck_assert_uint_eq(v->preempt_delay, 2500000);
	ck_assert_int_eq(v->skip_check_adv_addr, TRI_OFF);
	ck_assert_int_eq(v->strict_mode, TRI_OFF);
	ck_assert_int_eq(v->debug, 2);
	ck_assert_uint_eq(v->garp_master_delay, SEC(10));
	ck_assert_int_eq(v->garp_master_repeat, 3);
	ck_assert_uint_eq(v->garp_master_refresh, SEC(60));
	ck_assert_int_eq(v->garp_master_refresh_repeat, 2);
	ck_assert_uint_eq(v->garp_lower_prio_delay, SEC(7));
	ck_assert_int_eq(v->garp_lower_prio_repeat, 0);
	ck_assert(v->garp_extra_if.all);
	ck_assert_uint_eq(v->garp_extra_if.interval, SEC(100));
	ck_assert_int_eq(v->down_timer_adverts, 4);
	ck_assert_int_eq(v->lower_prio_no_advert, TRI_ON);
	ck_assert_int_eq(v->higher_prio_send_advert, TRI_OFF);
	ck_assert_str_eq(v->notify_master.cmd, "/bin/m");
	ck_assert_str_eq(v->notify_backup.cmd, "/bin/b x");
	ck_assert_str_eq(v->notify_backup.user, "alice");
	ck_assert_str_eq(v->notify_fault.group, "staff");
	ck_assert_str_eq(v->notify_stop.cmd, "/bin/s");
	ck_assert_str_eq(v->notify.cmd, "/bin/n");
	ck_assert_str_eq(v->notify_master_rx_lower_pri.cmd, "/bin/rx");
	ck_assert(v->notify_deleted.on);
	ck_assert_str_eq(v->notify_deleted.script.cmd, "/bin/d");
	ck_assert_int_eq(v->notify_priority_changes, TRI_ON);
	ck_assert_int_eq(v->smtp_alert, TRI_ON);
	ck_assert_uint_eq(v->kernel_rx_buf_size, 65536);

	v = instance(c, "VI_2");
	ck_assert_ptr_null(v->interface);
	ck_assert_str_eq(v->vrf, "blue");
	ck_assert(v->native_ipv6);
	ck_assert(v->use_ipvlan.on);
	ck_assert_str_eq(v->use_ipvlan.ifname, "ipvl0");
	ck_assert_str_eq(addr_text(&v->use_ipvlan.addr), "2001:db8::5/64");
	ck_assert_int_eq(v->use_ipvlan.mode, CONF_IPVLAN_PRIVATE);
	ck_assert_str_eq(addr_text(&v->src_ip), "fe80::1");
	ck_assert_str_eq(addr_text(&v->mcast_dst_ip), "ff02::1:12");
	ck_assert(v->track_src_ip);
	ck_assert_int_eq(v->priority, 255);
	ck_assert_uint_eq(v->advert_int, 50000);
	ck_assert_int_eq(v->version, 3);
	ck_assert_int_eq(v->accept, TRI_ON);
	ck_assert(v->preempt);
	ck_assert_int_eq(v->strict_mode, TRI_ON);

	v = instance(c, "VI_3");
	ck_assert(v->use_vmac.on);
	ck_assert_ptr_null(v->use_vmac.ifname);
	ck_assert_uint_eq(v->use_vmac.mac_len, 0);
	ck_assert(v->use_ipvlan.on);
	ck_assert_int_eq(v->use_ipvlan.mode, CONF_IPVLAN_BRIDGE);
	ck_assert_int_eq(v->old_unicast_checksum, OLD_CHKSUM_ON);
	ck_assert(v->notify_deleted.on);
	ck_assert_ptr_null(v->notify_deleted.script.cmd);
	ck_assert_uint_eq(v->garp_extra_if.interval, 0);
	ck_assert(!v->garp_extra_if.all);
	ck_assert_int_eq(v->skip_check_adv_addr, TRI_ON);

	assert_roundtrip(c);
	conf_unref(c);
}
END_TEST

START_TEST(dump_is_canonical)
{
	struct config *c = parse_ok(full_conf, NULL);
	char *text = dump_string(c);
	static const char *const lines[] = {
		"weight -20 reverse", "user nobody nogroup", "nopreempt", "no_accept",
		"notify_master \"/bin/m a\" root wheel", "use_vmac vrrp51 02:00:00:00:01",
		"min_rx 3.312", "eth2 weight 20 reverse", "10.0.0.2 min_ttl 10 max_ttl 250",
		"strict_mode false", "old_unicast_checksum never", "garp_extra_if all 100",
		"group {\n        VI_1\n        VI_2\n", "use_ipvlan ipvl0 2001:db8::5/64 private",
		"mcast_src_ip 10.0.0.1", "process haproxy -f \"/etc/ha proxy.cfg\"\n",
		"delay {", NULL
	};
	for (size_t i = 0; lines[i]; i++) {
		bool want = strcmp(lines[i], "delay {") != 0;
		ck_assert_msg((strstr(text, lines[i]) != NULL) == want,
			      "dump %s '%s':\n%s", want ? "lacks" : "has", lines[i], text);
	}
	/* unset inherited settings and defaults are not written */
	ck_assert_ptr_null(strstr(text, "priority 100"));
	ck_assert_ptr_null(strstr(text, "unicast_src_ip"));
	free(text);
	conf_unref(c);
}
END_TEST

/* ---- defaults ---------------------------------------------------------------- */

START_TEST(instance_defaults_are_keepalived_s)
{
	struct config *c = parse_ok("vrrp_instance VI_1 {\n virtual_router_id 1\n"
				    " virtual_ipaddress {\n  10.0.0.1\n }\n}\n", NULL);
	const struct vrrp_instance *v = instance(c, "VI_1");
	ck_assert_int_eq(v->state, VRRP_START_BACKUP);
	ck_assert_ptr_null(v->interface);        /* global default_interface */
	ck_assert_int_eq(v->priority, 100);
	ck_assert_uint_eq(v->advert_int, SEC(1));
	ck_assert(v->preempt);
	ck_assert_uint_eq(v->preempt_delay, 0);
	ck_assert_int_eq(v->version, VRRP_UNSET);
	ck_assert_int_eq(v->unicast_ttl, 255);
	ck_assert_int_eq(v->auth.type, CONF_AUTH_NONE);
	ck_assert_int_eq(v->accept, TRI_UNSET);
	ck_assert_int_eq(v->strict_mode, TRI_UNSET);
	ck_assert_int_eq(v->smtp_alert, TRI_UNSET);
	ck_assert_int_eq(v->check_unicast_src, TRI_UNSET);
	ck_assert_int_eq(v->check_unicast_ttl, TRI_UNSET);
	ck_assert_int_eq(v->old_unicast_checksum, OLD_CHKSUM_AUTO);
	ck_assert(!v->use_vmac.on && !v->use_ipvlan.on && !v->notify_deleted.on);
	ck_assert_ptr_null(v->notify_master.cmd);
	/* the GARP settings come from global_defs unless the instance says */
	ck_assert_uint_eq(v->garp_master_delay, VRRP_UNSET_TIMER);
	ck_assert_int_eq(v->garp_master_repeat, VRRP_UNSET);
	ck_assert_uint_eq(v->garp_master_refresh, VRRP_UNSET_TIMER);
	ck_assert_int_eq(v->garp_master_refresh_repeat, VRRP_UNSET);
	ck_assert_uint_eq(v->garp_lower_prio_delay, VRRP_UNSET_TIMER);
	ck_assert_int_eq(v->garp_lower_prio_repeat, VRRP_UNSET);
	ck_assert_uint_eq(v->garp_extra_if.interval, VRRP_UNSET_TIMER);
	ck_assert_int_eq(v->down_timer_adverts, VRRP_UNSET);
	/* ... whose own defaults are keepalived's */
	ck_assert_uint_eq(VRRP_DFL_GARP_MASTER_DELAY, SEC(5));
	ck_assert_int_eq(VRRP_DFL_GARP_MASTER_REPEAT, 5);
	ck_assert_int_eq(VRRP_DFL_GARP_MASTER_REFRESH_REPEAT, 1);
	ck_assert_int_eq(VRRP_DFL_DOWN_TIMER_ADVERTS, 3);
	ck_assert_int_eq(VRRP_DFL_VERSION, 2);
	assert_roundtrip(c);
	conf_unref(c);
}
END_TEST

START_TEST(process_words_are_kept_apart)
{
	/* keepalived.conf(5): a quoted first word is the command name */
	struct config *c = parse_ok("vrrp_track_process p {\n process \"/tmp/a b\" param1 "
				    "\"param 2\"\n}\n", NULL);
	const struct track_process *t = nth(&c->vrrp_track_processes, 0);
	ck_assert_uint_eq(t->process.argc, 3);
	ck_assert_str_eq(t->process.argv[0], "/tmp/a b");
	ck_assert_str_eq(t->process.argv[1], "param1");
	ck_assert_str_eq(t->process.argv[2], "param 2");
	assert_roundtrip(c);
	conf_unref(c);
}
END_TEST

START_TEST(other_block_defaults)
{
	struct config *c = parse_ok("vrrp_script s {\n script /bin/true\n}\n"
				    "vrrp_track_process p {\n process x\n}\n"
				    "bfd_instance b {\n neighbor_ip 10.0.0.9\n}\n", NULL);
	const struct vrrp_script *s = nth(&c->vrrp_scripts, 0);
	ck_assert_uint_eq(s->interval, SEC(1));
	ck_assert_uint_eq(s->timeout, 0);
	ck_assert_int_eq(s->weight.value, 0);
	ck_assert(!s->weight.reverse);
	ck_assert_int_eq(s->rise, 1);
	ck_assert_int_eq(s->fall, 1);
	ck_assert_ptr_null(s->user.user);
	const struct track_process *p = nth(&c->vrrp_track_processes, 0);
	ck_assert_int_eq(p->weight.value, 1);
	ck_assert_int_eq(p->quorum, 1);
	ck_assert_int_eq(p->quorum_max, VRRP_UNSET);
	ck_assert_int_eq(p->param_match, PARAM_MATCH_EXACT);
	ck_assert_uint_eq(p->delay.fork, 0);
	const struct bfd_instance *b = nth(&c->bfd_instances, 0);
	ck_assert_uint_eq(b->min_rx, 10000);
	ck_assert_uint_eq(b->min_tx, 10000);
	ck_assert_uint_eq(b->idle_tx, 1000000);
	ck_assert_int_eq(b->multiplier, 5);
	ck_assert_int_eq(b->ttl, 255);
	ck_assert_int_eq(b->hoplimit, 64);
	ck_assert_int_eq(b->max_hops, 0);
	ck_assert_int_eq(b->weight.value, 0);
	assert_roundtrip(c);
	conf_unref(c);
}
END_TEST

/* ---- ranges and values ------------------------------------------------------------ */

START_TEST(ranges_are_errors)
{
	expect_error(INST(" priority 0\n"), "priority 0 is out of range; use 1..255");
	/* issue 14: a loopback only ever hears itself */
	expect_error("vrrp_instance VI_1 {\n interface lo\n virtual_router_id 51\n}\n",
		     "cannot use a loopback interface (lo) for vrrp");
	expect_error(INST(" priority 256\n"), "priority 256 is out of range");
	expect_error("vrrp_instance VI_1 {\n virtual_router_id 0\n}\n",
		     "virtual_router_id 0 is out of range; use 1..255");
	expect_error("vrrp_instance VI_1 {\n virtual_router_id 256\n}\n",
		     "virtual_router_id 256 is out of range");
	expect_error(INST(" version 4\n"), "version 4 is out of range; use 2..3");
	expect_error(INST(" advert_int 0\n"), "advert_int 0 is out of range");
	expect_error(INST(" advert_int 256\n"), "advert_int 256 is out of range");
	expect_error(INST(" version 3\n advert_int 41\n"), "too long for VRRPv3");
	expect_error(INST(" preempt_delay 1001\n"), "preempt_delay 1001 is out of range");
	expect_error(INST(" debug 5\n"), "debug 5 is out of range");
	expect_error(INST(" down_timer_adverts 0\n"), "down_timer_adverts 0 is out of range");
	expect_error(INST(" garp_master_repeat 0\n"), "garp_master_repeat 0 is out of range");
	expect_error(INST(" unicast_ttl 256\n"), "unicast_ttl 256 is out of range");
	expect_error(INST(" garp_extra_if 86401\n"), "garp_extra_if 86401 is out of range");
	expect_error(INST(" garp_extra_if some 5\n"), "'some' is not 'all'");
	expect_error(INST(" old_unicast_checksum always\n"), "takes nothing or 'never'");
	expect_error(INST(" smtp_alert maybe\n"), "'maybe' is not a boolean");
	expect_error(INST(" accept yes\n"), "accept takes 0 values");
	expect_error(INST(" notify_master /bin/x root root extra\n"),
		     "notify_master takes at most 3 values; unexpected 'extra'");
	expect_error(INST(" notify_master\n"), "notify_master needs at least 1 value");
	/* weights, per the man page of each */
	expect_error("vrrp_script s {\n script x\n weight 254\n}\n",
		     "weight 254 is out of range; use -253..253");
	expect_error("vrrp_script s {\n script x\n weight 5 backwards\n}\n",
		     "'backwards' is not known; use reverse or noreverse");
	expect_error("vrrp_script s {\n script x\n rise 0\n}\n", "rise 0 is out of range");
	expect_error("vrrp_script s {\n script x\n timeout 0\n}\n", "timeout 0 is out of range");
	expect_error("vrrp_script s {\n script x\n user\n}\n", "user needs at least 1 value");
	expect_error("vrrp_track_process p {\n process x\n weight 255\n}\n",
		     "weight 255 is out of range; use -254..254");
	expect_error("vrrp_track_process p {\n process x\n quorum 0\n}\n", "quorum 0 is out of range");
	expect_error("vrrp_track_process p {\n process x\n fork_delay 3601\n}\n",
		     "fork_delay 3601 is out of range");
	expect_error("vrrp_track_process p {\n process x\n param_match prefix\n}\n",
		     "param_match 'prefix' is not known");
	expect_error("bfd_instance b {\n neighbor_ip 10.0.0.2\n weight -254\n}\n",
		     "weight -254 is out of range; use -253..253");
	expect_error("bfd_instance b {\n neighbor_ip 10.0.0.2\n min_rx 0\n}\n",
		     "min_rx 0 is out of range; use 1..4294967 ms");
	expect_error("bfd_instance b {\n neighbor_ip 10.0.0.2\n min_tx 3.3125\n}\n",
		     "at most 3 decimals");
	expect_error("bfd_instance b {\n neighbor_ip 10.0.0.2\n multiplier 256\n}\n",
		     "multiplier 256 is out of range");
	expect_error("bfd_instance b {\n neighbor_ip 10.0.0.2\n ttl 0\n}\n", "ttl 0 is out of range");
	expect_error("bfd_instance b {\n neighbor_ip 10.0.0.2\n max_hops 256\n}\n",
		     "max_hops 256 is out of range");
	expect_error("garp_group {\n garp_interval 2148\n interface eth0\n}\n",
		     "garp_interval 2148 is out of range");
}
END_TEST

START_TEST(track_weights_per_list)
{
	const char *scr = "vrrp_script chk {\n script x\n}\n";
	char buf[512];
	snprintf(buf, sizeof(buf), "%s" INST(" track_script {\n  chk weight 254\n }\n"), scr);
	expect_error(buf, "weight 254 is out of range; use -253..253");
	expect_error(INST(" track_interface {\n  eth1 weight -254\n }\n"),
		     "weight -254 is out of range; use -253..253");
	expect_error(INST(" track_bfd {\n  b weight 254\n }\n"), "use -253..253");
	expect_error(INST(" track_process {\n  p weight 255\n }\n"), "use -254..254");
	expect_error(INST(" track_file {\n  f weight -255\n }\n"), "use -254..254");
	expect_error(INST(" track_interface {\n  eth1 bogus\n }\n"),
		     "unknown option 'bogus'; options here are: weight reverse");
	expect_error(INST(" track_interface {\n  eth1 reverse\n }\n"),
		     "eth1: reverse needs a weight; write eth1 weight N reverse");
	snprintf(buf, sizeof(buf), "%s" INST(" track_script {\n  chk weight 3 no_reverse\n }\n"),
		 scr);
	expect_clean(buf);
}
END_TEST

START_TEST(addresses_are_checked)
{
	expect_error(INST(" mcast_src_ip 10.0.0.300\n"), "'10.0.0.300': not a valid IPv4 address");
	expect_error(INST(" unicast_peer {\n  10.0.0.300\n }\n"), "not a valid IPv4 address");
	expect_error(INST(" unicast_peer {\n  10.0.0.2 min_ttl 256\n }\n"),
		     "min_ttl 256 is out of range");
	expect_error(INST(" unicast_peer {\n  10.0.0.2 min_ttl 200 max_ttl 100\n }\n"),
		     "min_ttl 200 is above max_ttl 100");
	expect_error(INST(" unicast_peer {\n  10.0.0.2 ttl 5\n }\n"), "unknown option 'ttl'");
	expect_error(INST(" unicast_peer {\n  fe80::2\n }\n"),
		     "unicast peer fe80::2 is IPv6 but the instance is IPv4");
	expect_error(INST(" mcast_src_ip fe80::1\n"), "source address fe80::1 is IPv6");
	expect_error(INST(" mcast_dst_ip 10.0.0.3\n"), "mcast_dst_ip 10.0.0.3 is not an IPv4 multicast");
	expect_error(INST(" use_vmac vrrp1 01:00:00:00:00:01\n"), "is a multicast address");
	expect_error(INST(" use_vmac vrrp1 00:00:5e:00:01\n"), "RFC 5798 range");
	expect_error(INST(" use_vmac vrrp1 zz:00:00:00:01\n"), "not a MAC address");
	expect_error(INST(" use_vmac 02:00:00:00:00:01 vrrp1\n"), "neither an interface name");
	expect_error(INST(" use_ipvlan ip0 10.0.0.5 vepa extra\n"), "takes at most 3 values");
	expect_error(INST(" use_ipvlan ip0 ip1\n"), "'ip1' is not an interface name (first)");
	expect_error("bfd_instance b {\n neighbor_ip 10.0.0.400\n}\n", "not a valid IPv4 address");
	expect_error("bfd_instance b {\n source_ip 10.0.0.1\n}\n",
		     "bfd_instance b has no neighbor_ip; add: neighbor_ip ADDRESS");
	expect_error("bfd_instance b {\n neighbor_ip 10.0.0.2\n source_ip fe80::1\n}\n",
		     "source_ip is IPv6 but neighbor_ip is IPv4");
	/* a VIP of the other family is ignored by keepalived: a warning */
	expect_warning(INST(" virtual_ipaddress {\n  fe80::9\n }\n"),
		       "fe80::9 is IPv6 but the instance is IPv4");
}
END_TEST

START_TEST(block_level_checks)
{
	expect_error("vrrp_instance VI_1 {\n interface eth0\n}\n",
		     "(VI_1) has no virtual_router_id; add virtual_router_id 1..255");
	expect_error("vrrp_track_process p {\n weight 3\n}\n",
		     "vrrp_track_process p has no process line");
	expect_error("vrrp_track_process p {\n process x\n quorum 3\n quorum_max 2\n}\n",
		     "quorum_max 2 is below quorum 3");
	expect_error("garp_group {\n garp_interval 1\n interface eth0\n interfaces {\n  eth1\n }\n}\n",
		     "garp_group has both interface and interfaces");
	expect_warning("garp_group {\n interface eth0\n}\n", "sets neither garp_interval nor");
	expect_warning("garp_group {\n garp_interval 1\n}\n", "garp_group names no interface");
	expect_warning("bfd_instance b {\n neighbor_ip 10.0.0.2\n ttl 10\n max_hops 20\n}\n",
		       "max_hops 20 exceeds the ttl 10 sent");
	expect_warning("vrrp_instance VI_1 {\n virtual_router_id 5\n}\n", "has no virtual_ipaddress");
	expect_warning(INST(" authentication {\n  auth_type PASS\n }\n"),
		       "has auth_type but no auth_pass");
	expect_warning(INST(" authentication {\n  auth_type PASS\n  auth_pass 123456789\n }\n"),
		       "auth_pass has 9 characters; only the first 8 are used");
	expect_warning(INST(" vmac_xmit_base\n"), "vmac_xmit_base is only meaningful with use_vmac");
	expect_warning(INST(" vrf red\n"), "keepalived ignores it when interface is set");
	/* the unicast TTL settings need unicast peers (keepalived: "Cannot
	 * use unicast_ttl without unicast peers") */
	expect_warning(INST(" unicast_ttl 64\n"), "unicast_ttl 64 has no effect without unicast_peer");
	expect_warning(INST(" check_unicast_ttl\n"),
		       "check_unicast_ttl has no effect without unicast_peer");
	expect_warning(INST(" unicast_peer {\n  10.0.0.2\n }\n unicast_ttl 0\n"),
		       "unicast_ttl 0 is sent as 1");
	expect_clean(INST(" unicast_peer {\n  10.0.0.2\n }\n unicast_ttl 1\n check_unicast_ttl\n"));
	expect_clean(INST(" check_unicast_ttl off\n"));
	expect_warning(INST(" version 3\n authentication {\n  auth_type PASS\n  auth_pass x\n }\n"),
		       "VRRPv3 has no authentication");
}
END_TEST

START_TEST(advert_int_and_version)
{
	/* VRRPv2 carries whole seconds */
	expect_warning(INST(" version 2\n advert_int 1.5\n"), "not whole seconds; VRRPv2 sends");
	expect_warning(INST(" advert_int 0.5\n"), "unless global_defs vrrp_version is 3");
	/* VRRPv3 carries centiseconds, up to 40.95 s; IPv6 means VRRPv3 */
	expect_clean(INST(" version 3\n advert_int 40.95\n"));
	expect_clean("vrrp_instance V6 {\n virtual_router_id 9\n advert_int 0.25\n"
		     " virtual_ipaddress {\n  2001:db8::1\n }\n}\n");
	expect_error("vrrp_instance V6 {\n virtual_router_id 9\n advert_int 50\n"
		     " virtual_ipaddress {\n  2001:db8::1\n }\n}\n", "too long for VRRPv3");
	expect_warning(INST(" version 3\n advert_int 0.015\n"), "sent in centiseconds");
}
END_TEST

START_TEST(warnings_keepalived_also_gives)
{
	expect_warning(INST(" lvs_sync_daemon_interface eth1\n"),
		       "'lvs_sync_daemon_interface' is deprecated; use global_defs lvs_sync_daemon");
	expect_warning(INST(" linkbeat_use_polling\n"),
		       "'linkbeat_use_polling' is deprecated; use a top-level linkbeat_interfaces");
	expect_warning("vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n global_tracking\n}\n"
		       INST("") "vrrp_instance VI_2 {\n virtual_router_id 2\n"
		       " virtual_ipaddress {\n  10.0.0.2\n }\n}\n",
		       "'global_tracking' is deprecated");
	expect_warning(INST(" state master\n"), "state 'master' taken as MASTER; write MASTER");
	/* keepalived's own misplaced-keyword handling still applies */
	expect_warning(INST(" auth_pass secret\n"), "'auth_pass' belongs inside authentication { }");
	expect_warning(INST(" garp_interval 1\n"),
		       "keyword 'garp_interval' does not belong in vrrp_instance (it belongs in "
		       "garp_group)");
}
END_TEST

/* Issue 15, hole 5: vigil has no IPsec AH, and keepalived's AH instance
 * ran here with no authentication at all (an unauthenticated advert of
 * priority 254 took the address). Refused at -t, at the value. */
START_TEST(auth_type_ah_refused)
{
	struct diags d;
	char where[256];
	diags_init(&d);
	struct config *cfg = parse_text(INST(" state BACKUP\n authentication {\n  auth_type AH\n"
					     "  auth_pass x\n }\n"), &d);
	ck_assert_ptr_null(cfg);
	ck_assert(diags_has(&d, DIAG_ERROR, "auth_type AH: vigil has no IPsec AH"));
	ck_assert(diags_has(&d, DIAG_ERROR, "use auth_type PASS"));
	/* file:line:col of the word AH */
	for (size_t i = 0; i < d.n; i++)
		if (d.msgs[i].sev == DIAG_ERROR && strstr(d.msgs[i].text, "auth_type AH"))
			ck_assert_str_eq(diags_where(&d, d.msgs[i].pos, where, sizeof(where)),
					 "test.conf:9:13: ");
	diags_free(&d);
	expect_error(INST(" authentication {\n  auth_type ah\n }\n"), "auth_type AH: vigil has no");
	/* PASS is still fine. */
	expect_clean(INST(" authentication {\n  auth_type PASS\n  auth_pass x\n }\n"));
}
END_TEST

START_TEST(global_tracking_is_sync_group_tracking_weight)
{
	struct config *c = parse_ok("vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n"
				    " global_tracking\n}\n" INST("")
				    "vrrp_instance VI_2 {\n virtual_router_id 2\n"
				    " virtual_ipaddress {\n  10.0.0.2\n }\n}\n", NULL);
	ck_assert(((struct vrrp_sync_group *)nth(&c->vrrp_sync_groups, 0))->sync_group_tracking_weight);
	char *text = dump_string(c);
	ck_assert_ptr_nonnull(strstr(text, "sync_group_tracking_weight"));
	ck_assert_ptr_null(strstr(text, "global_tracking"));
	free(text);
	assert_roundtrip(c);
	conf_unref(c);
}
END_TEST

START_TEST(accept_is_three_states)
{
	/* unset, accept, no_accept: each survives the round trip */
	static const char *const bodies[] = { INST(""), INST(" accept\n"), INST(" no_accept\n"),
					      INST(" no_accept\n accept\n") };
	static const int want[] = { TRI_UNSET, TRI_ON, TRI_OFF, TRI_ON };
	for (size_t i = 0; i < 4; i++) {
		struct config *c = parse_ok(bodies[i], NULL);
		ck_assert_int_eq(instance(c, "VI_1")->accept, want[i]);
		assert_roundtrip(c);
		conf_unref(c);
	}
	/* and equality tells them apart */
	struct config *a = parse_ok(INST(" accept\n"), NULL);
	struct config *b = parse_ok(INST(" no_accept\n"), NULL);
	struct config *n = parse_ok(INST(""), NULL);
	ck_assert(!conf_equal(a, b));
	ck_assert(!conf_equal(a, n));
	ck_assert(!conf_equal(b, n));
	conf_unref(a);
	conf_unref(b);
	conf_unref(n);
}
END_TEST

/* ---- names and references ------------------------------------------------------------ */

START_TEST(duplicate_names_are_errors)
{
	expect_error(INST("") "\n" INST(""),
		     "vrrp_instance VI_1 is defined twice (first at line 1)");
	expect_error("vrrp_script chk {\n script a\n}\nvrrp_script chk {\n script b\n}\n",
		     "vrrp_script chk is defined twice (first at line 1)");
	expect_error("vrrp_track_process p {\n process a\n}\nvrrp_track_process p {\n process b\n}\n",
		     "vrrp_track_process p is defined twice");
	expect_error("bfd_instance b {\n neighbor_ip 10.0.0.2\n}\n"
		     "bfd_instance b {\n neighbor_ip 10.0.0.3\n}\n", "bfd_instance b is defined twice");
	expect_error("vrrp_sync_group G {\n group {\n  VI_1\n }\n}\n"
		     "vrrp_sync_group G {\n group {\n  VI_1\n }\n}\n" INST(""),
		     "vrrp_sync_group G is defined twice");
	/* the error points at the second definition */
	struct diags d;
	diags_init(&d);
	struct config *c = parse_text("vrrp_script chk {\n script a\n}\n\nvrrp_script chk {\n"
				      " script b\n}\n", &d);
	ck_assert_ptr_null(c);
	ck_assert_uint_eq(d.nerrors, 1);
	ck_assert_uint_eq(d.msgs[0].pos.line, 5);
	diags_free(&d);
}
END_TEST

/* keepalived 2.2.7 ignores a sync group member that is no instance
 * ("doesn't exist - ignoring"), and removes a group left with none: met in
 * real files (an instance commented out, or in an include that is
 * missing). vigil does the same, with a warning at the name. */
START_TEST(sync_group_member_that_is_no_instance_is_ignored)
{
	const char *text = "vrrp_sync_group G {\n group {\n  VI_1\n  VI_9\n }\n}\n" INST("");
	expect_warning(text, "sync group G: member VI_9 is not a vrrp_instance; ignored");
	struct config *c = parse_ok(text, NULL);
	const struct vrrp_sync_group *g = nth(&c->vrrp_sync_groups, 0);
	ck_assert_uint_eq(g->members.n, 1);
	ck_assert_str_eq(((struct name_item *)nth(&g->members, 0))->name, "VI_1");
	assert_roundtrip(c);
	conf_unref(c);
	/* none left: the group goes, the instance stays */
	text = "vrrp_sync_group G {\n group {\n  VI_8\n  VI_9\n }\n}\n"
	       "vrrp_sync_group H {\n group {\n  VI_1\n }\n}\n" INST("");
	expect_warning(text, "sync group G: none of its members is a vrrp_instance, so it is "
		       "removed");
	c = parse_ok(text, NULL);
	ck_assert_uint_eq(c->vrrp_sync_groups.n, 1);
	ck_assert_str_eq(((struct vrrp_sync_group *)nth(&c->vrrp_sync_groups, 0))->hdr.name, "H");
	ck_assert_uint_eq(c->vrrp_instances.n, 1);
	assert_roundtrip(c);
	conf_unref(c);
}
END_TEST

/* keepalived 2.2.7 logs "track script X not found, ignoring..." (and the
 * same for track_file, track_process, track_bfd) and runs without it. */
START_TEST(unknown_references_are_dropped)
{
	expect_warning(INST(" track_process {\n  nosuch weight 2\n }\n"),
		       "(VI_1) track_process nosuch: there is no vrrp_track_process nosuch, so "
		       "this is ignored (as keepalived does)");
	expect_warning(INST(" track_bfd {\n  nosuch\n }\n"), "there is no bfd_instance nosuch");
	expect_warning(INST(" track_file {\n  nosuch\n }\n"), "there is no track_file nosuch");
	expect_warning("vrrp_sync_group G {\n group {\n  VI_1\n  VI_9\n }\n track_script {\n  x\n }\n}\n"
		       INST(""), "sync group G: member VI_9 is not a vrrp_instance; ignored");
	expect_warning("vrrp_sync_group G {\n group {\n  VI_1\n }\n track_script {\n  x\n }\n}\n"
		       INST(""), "sync group G: track_script x: there is no vrrp_script x, so this "
		       "is ignored");
	/* the warning is where the name was written; the reference is gone */
	struct diags d;
	diags_init(&d);
	struct config *c = parse_text(INST(" track_script {\n  nosuch\n  chk\n }\n")
				      "vrrp_script chk {\n script /bin/true\n}\n", &d);
	ck_assert_ptr_nonnull(c);
	ck_assert(diags_at(&d, DIAG_WARNING, 8, 3, "(VI_1) track_script nosuch: there is no "
			   "vrrp_script nosuch, so this is ignored (as keepalived does); define it "
			   "or correct the name"));
	const struct vrrp_instance *v = instance(c, "VI_1");
	ck_assert_uint_eq(v->track_scripts.n, 1);
	ck_assert_str_eq(((const struct track_ref *)(const void *)v->track_scripts.first)->name,
			 "chk");
	assert_roundtrip(c);
	conf_unref(c);
	diags_free(&d);
}
END_TEST

/* Issue 10 section 3: what keepalived 2.2.7 runs with a fallback, vigil
 * runs with the same settings, warning at the line. Each case: the
 * model, the warning at file:line:col, and the round trip. */
static struct config *fallback(const char *text, struct diags *d)
{
	diags_init(d);
	struct config *c = parse_text(text, d);
	if (!c)
		diags_print(d, stderr);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(d->nerrors, 0);
	assert_roundtrip(c);
	return c;
}

START_TEST(keepalived_fallbacks)
{
	struct diags d;
	struct config *c;

	/* nopreempt WORD: keepalived ignores the word and sets nopreempt */
	c = fallback(INST(" nopreempt 1\n"), &d);
	ck_assert(!instance(c, "VI_1")->preempt);
	ck_assert(diags_at(&d, DIAG_WARNING, 7, 12, "'nopreempt 1': keepalived ignores the value "
			   "and sets nopreempt, and so does vigil"));
	conf_unref(c);
	diags_free(&d);
	c = fallback(INST(" nopreempt off\n"), &d);
	ck_assert(!instance(c, "VI_1")->preempt);
	ck_assert(diags_at(&d, DIAG_WARNING, 7, 12, "'nopreempt off': keepalived ignores"));
	conf_unref(c);
	diags_free(&d);

	/* state MASTER with nopreempt: keepalived clears nopreempt */
	c = fallback(INST(" state MASTER\n nopreempt\n"), &d);
	ck_assert(instance(c, "VI_1")->preempt);
	ck_assert(diags_at(&d, DIAG_WARNING, 8, 2, "(VI_1) nopreempt does not work with state "
			   "MASTER: keepalived clears it, and so does vigil"));
	conf_unref(c);
	diags_free(&d);
	c = fallback(INST(" state BACKUP\n nopreempt\n"), &d);
	ck_assert(!instance(c, "VI_1")->preempt);
	ck_assert_uint_eq(d.n, 0);
	conf_unref(c);
	diags_free(&d);

	/* a prefix length on the source and on a peer: dropped */
	c = fallback(INST(" unicast_src_ip 192.168.0.91/24\n unicast_peer {\n"
			  "  192.168.0.92/24\n }\n"), &d);
	const struct vrrp_instance *v = instance(c, "VI_1");
	char buf[VADDR_STRLEN];
	ck_assert(!v->src_ip.has_prefix);
	ck_assert_str_eq(vaddr_format(&v->src_ip, buf, sizeof(buf)), "192.168.0.91");
	const struct unicast_peer *peer = (const void *)v->unicast_peers.first;
	ck_assert(!peer->addr.has_prefix);
	ck_assert_str_eq(vaddr_format(&peer->addr, buf, sizeof(buf)), "192.168.0.92");
	ck_assert(diags_at(&d, DIAG_WARNING, 7, 17, "'192.168.0.91/24': unicast_src_ip takes an "
			   "address without a prefix length; keepalived ignores the /24, and so "
			   "does vigil"));
	ck_assert(diags_at(&d, DIAG_WARNING, 9, 3, "'192.168.0.92/24': unicast_peer takes an "
			   "address without a prefix length"));
	conf_unref(c);
	diags_free(&d);

	/* state SLAVE: keepalived "unknown state 'SLAVE', defaulting to BACKUP" */
	c = fallback(INST(" state SLAVE\n"), &d);
	ck_assert_int_eq(instance(c, "VI_1")->state, VRRP_START_BACKUP);
	ck_assert(diags_at(&d, DIAG_WARNING, 7, 8, "state 'SLAVE' is not known; taken as BACKUP, "
			   "as keepalived does"));
	conf_unref(c);
	diags_free(&d);

	/* a keyword in the wrong block, misspelt: the nearest keyword */
	c = fallback(INST(" notify_email root@example.com\n"), &d);
	ck_assert(diags_at(&d, DIAG_WARNING, 7, 2, "unknown keyword 'notify_email' in "
			   "vrrp_instance; ignored; did you mean notification_email (global_defs)?"));
	conf_unref(c);
	diags_free(&d);
	c = fallback(INST(" priorty 100\n"), &d);
	ck_assert(diags_at(&d, DIAG_WARNING, 7, 2, "did you mean priority?"));
	conf_unref(c);
	diags_free(&d);
	c = fallback(INST(" vrrp_strict\n"), &d);
	ck_assert(diags_at(&d, DIAG_WARNING, 7, 2, "keyword 'vrrp_strict' does not belong in "
			   "vrrp_instance (it belongs in global_defs)"));
	conf_unref(c);
	diags_free(&d);
}
END_TEST

START_TEST(names_resolve_in_any_order)
{
	/* instances before the blocks they use, and a group before both */
	struct config *c = parse_ok(
		"vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n}\n"
		INST(" track_script {\n  chk\n }\n track_process {\n  p\n }\n"
		     " track_bfd {\n  b\n }\n track_file {\n  f\n }\n")
		"vrrp_instance VI_2 {\n virtual_router_id 2\n virtual_ipaddress {\n  10.0.0.2\n }\n}\n"
		"vrrp_script chk {\n script /bin/true\n}\n"
		"vrrp_track_process p {\n process x\n}\n"
		"bfd_instance b {\n neighbor_ip 10.0.0.9\n}\n"
		"track_file f {\n file /run/f\n}\n", NULL);
	ck_assert_uint_eq(instance(c, "VI_1")->track_scripts.n, 1);
	assert_roundtrip(c);
	conf_unref(c);
}
END_TEST

START_TEST(scriptless_script_is_dropped_with_warnings)
{
	/* keepalived.conf.conditional_conf without -i: no "script" line
	 * survives, keepalived drops the script and ignores the reference. */
	static const char text[] =
		"vrrp_script check_VI_0 {\n@high script /bin/high\n interval 1\n timeout 10\n"
		" rise 3\n fall 3\n}\n"
		"vrrp_instance VI_0 {\n state BACKUP\n interface eth0\n virtual_router_id 1\n"
		"@high priority 170\n advert_int 12\n version 3\n use_vmac\n"
		" track_script {\n  check_VI_0\n }\n track_interface {\n  eth3\n  eth2 weight 20\n }\n"
		" virtual_ipaddress {\n  10.1.0.254/32\n }\n}\n";
	struct diags d;
	diags_init(&d);
	struct config *c = parse_text(text, &d);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(d.nerrors, 0);
	ck_assert_uint_eq(problem_warnings(&d), 2);   /* and use_vmac: no effect */
	ck_assert(diags_has(&d, DIAG_WARNING, "vrrp_script check_VI_0 has no script line, so it "
			    "is removed"));
	ck_assert(diags_has(&d, DIAG_WARNING, "(VI_0) track_script check_VI_0: that vrrp_script "
			    "was removed, so this is ignored"));
	ck_assert_uint_eq(c->vrrp_scripts.n, 0);
	ck_assert_uint_eq(instance(c, "VI_0")->track_scripts.n, 0);
	ck_assert_uint_eq(instance(c, "VI_0")->track_interfaces.n, 2);
	assert_roundtrip(c);
	conf_unref(c);
	diags_free(&d);
	/* with -i high the script is there and nothing is said */
	diags_init(&d);
	c = parse_text_id(text, "high", &d);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(problem_warnings(&d), 0);
	ck_assert_int_eq(instance(c, "VI_0")->priority, 170);
	ck_assert_uint_eq(instance(c, "VI_0")->track_scripts.n, 1);
	conf_unref(c);
	diags_free(&d);
	/* the sync group's references are dropped the same way */
	expect_warning("vrrp_script s {\n interval 2\n}\n"
		       "vrrp_sync_group G {\n group {\n  VI_1\n }\n track_script {\n  s\n }\n}\n"
		       INST(""), "sync group G: track_script s: that vrrp_script was removed");
}
END_TEST

/* ---- sync groups ------------------------------------------------------------------------ */

START_TEST(bare_sync_group_members_are_taken_with_a_warning)
{
	/* keepalived.conf.vrrp.lvs_syncd, keepalived 1.x style */
	static const char text[] =
		"vrrp_sync_group VG1 {\n  VI_2\n  VI_3\n}\n"
		"vrrp_instance VI_2 {\n interface eth0\n virtual_router_id 52\n"
		" virtual_ipaddress {\n  192.168.200.19\n }\n}\n"
		"vrrp_instance VI_3 {\n interface eth1\n virtual_router_id 53\n"
		" virtual_ipaddress {\n  192.168.201.19\n }\n}\n";
	expect_warning(text, "'VI_2' directly in vrrp_sync_group is taken as a member of its "
		       "group { } (keepalived 2 ignores it as an unknown keyword); write: group { VI_2 }");
	size_t nwarn = 0;
	struct config *c = parse_ok(text, &nwarn);
	ck_assert_uint_eq(nwarn, 2);
	const struct vrrp_sync_group *g = nth(&c->vrrp_sync_groups, 0);
	ck_assert_uint_eq(g->members.n, 2);
	ck_assert_str_eq(((struct name_item *)nth(&g->members, 1))->name, "VI_3");
	/* the dump writes the proper form, which reads back without a warning */
	char *dump = dump_string(c);
	ck_assert_ptr_nonnull(strstr(dump, "group {"));
	expect_clean(dump);
	free(dump);
	assert_roundtrip(c);
	conf_unref(c);
	/* a bare word that is no instance is then ignored, like any member */
	expect_warning("vrrp_sync_group VG1 {\n  VI_1\n  VI_X\n}\n" INST(""),
		       "sync group VG1: member VI_X is not a vrrp_instance; ignored");
	/* several on a line */
	c = parse_ok("vrrp_sync_group VG1 {\n  VI_1 VI_2\n}\n" INST("")
		     "vrrp_instance VI_2 {\n virtual_router_id 2\n virtual_ipaddress {\n"
		     "  10.0.0.2\n }\n}\n", NULL);
	g = nth(&c->vrrp_sync_groups, 0);
	ck_assert_uint_eq(g->members.n, 2);
	ck_assert_str_eq(((struct name_item *)nth(&g->members, 1))->name, "VI_2");
	conf_unref(c);
	expect_warning("vrrp_sync_group VG1 {\n  VI_1 VI_2\n}\n" INST("")
		       "vrrp_instance VI_2 {\n virtual_router_id 2\n virtual_ipaddress {\n"
		       "  10.0.0.2\n }\n}\n", "'VI_1 VI_2' directly in vrrp_sync_group is taken "
		       "as members of its group { }");
	/* a misplaced instance keyword is not mistaken for a member */
	expect_warning("vrrp_sync_group VG1 {\n group {\n  VI_1\n  VI_2\n }\n nopreempt\n}\n"
		       INST("") "vrrp_instance VI_2 {\n virtual_router_id 2\n"
		       " virtual_ipaddress {\n  10.0.0.2\n }\n}\n",
		       "keyword 'nopreempt' does not belong in vrrp_sync_group");
}
END_TEST

START_TEST(sync_group_membership_rules)
{
	expect_error("vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n}\n"
		     "vrrp_sync_group H {\n group {\n  VI_1\n  VI_2\n }\n}\n"
		     INST("") "vrrp_instance VI_2 {\n virtual_router_id 2\n"
		     " virtual_ipaddress {\n  10.0.0.2\n }\n}\n",
		     "sync group H: VI_1 is already a member of sync group G (line 3)");
	expect_error("vrrp_sync_group G {\n group {\n  VI_1 VI_1\n }\n}\n" INST(""),
		     "VI_1 is already a member of sync group G");
	expect_warning("vrrp_sync_group G {\n group {\n  VI_1\n }\n}\n" INST(""),
		       "sync group G has only one member");
	expect_warning("vrrp_sync_group G {\n smtp_alert\n}\n", "sync group G has no members");
}
END_TEST

/* ---- virtual router ids -------------------------------------------------------------------- */

START_TEST(vrid_must_be_unique_per_interface_and_family)
{
	static const char two[] =
		"vrrp_instance A {\n interface eth0\n virtual_router_id 5\n"
		" virtual_ipaddress {\n  10.0.0.1\n }\n}\n"
		"vrrp_instance B {\n interface %s\n virtual_router_id %d\n%s"
		" virtual_ipaddress {\n  %s\n }\n}\n";
	char buf[512];

	snprintf(buf, sizeof(buf), two, "eth0", 5, "", "10.0.0.2");
	expect_error(buf, "(B) virtual_router_id 5 is already used by vrrp_instance A (line 1) "
		     "on interface eth0 for IPv4");
	/* another interface, another VRID or another family is fine */
	snprintf(buf, sizeof(buf), two, "eth1", 5, "", "10.0.0.2");
	expect_clean(buf);
	snprintf(buf, sizeof(buf), two, "eth0", 6, "", "10.0.0.2");
	expect_clean(buf);
	snprintf(buf, sizeof(buf), two, "eth0", 5, "", "2001:db8::2");
	expect_clean(buf);
	/* another multicast group is another socket */
	snprintf(buf, sizeof(buf), two, "eth0", 5, " mcast_dst_ip 224.0.0.19\n", "10.0.0.2");
	expect_clean(buf);
	/* unicast and multicast do not share a socket either */
	snprintf(buf, sizeof(buf), two, "eth0", 5, " unicast_peer {\n  10.0.0.7\n }\n", "10.0.0.2");
	expect_clean(buf);
	/* two instances without an interface both use default_interface */
	expect_error("vrrp_instance A {\n virtual_router_id 5\n virtual_ipaddress {\n  10.0.0.1\n }\n}\n"
		     "vrrp_instance B {\n virtual_router_id 5\n virtual_ipaddress {\n  10.0.0.2\n }\n}\n",
		     "on the default interface eth0 for IPv4");
	/* issue 17 (6c): no interface line means default_interface, and the
	 * default multicast group is vrrp_mcast_group4, written or not */
	expect_error("vrrp_instance A {\n interface eth0\n virtual_router_id 5\n"
		     " virtual_ipaddress {\n  10.0.0.1\n }\n}\n"
		     "vrrp_instance B {\n virtual_router_id 5\n virtual_ipaddress {\n  10.0.0.2\n }\n}\n",
		     "(B) virtual_router_id 5 is already used by vrrp_instance A (line 1) on the "
		     "default interface eth0 for IPv4");
	expect_error("global_defs {\n default_interface eth1\n}\n"
		     "vrrp_instance A {\n interface eth1\n virtual_router_id 5\n"
		     " virtual_ipaddress {\n  10.0.0.1\n }\n}\n"
		     "vrrp_instance B {\n virtual_router_id 5\n virtual_ipaddress {\n  10.0.0.2\n }\n}\n",
		     "on the default interface eth1 for IPv4");
	expect_clean("global_defs {\n default_interface eth1\n}\n"
		     "vrrp_instance A {\n interface eth0\n virtual_router_id 5\n"
		     " virtual_ipaddress {\n  10.0.0.1\n }\n}\n"
		     "vrrp_instance B {\n virtual_router_id 5\n virtual_ipaddress {\n  10.0.0.2\n }\n}\n");
	snprintf(buf, sizeof(buf), two, "eth0", 5, " mcast_dst_ip 224.0.0.18\n", "10.0.0.2");
	expect_error(buf, "(B) virtual_router_id 5 is already used by vrrp_instance A");
}
END_TEST

START_TEST(vrid_may_repeat_with_disjoint_unicast_peers)
{
	static const char text[] =
		"vrrp_instance A {\n interface eth0\n virtual_router_id 5\n"
		" unicast_peer {\n  10.0.0.7\n }\n virtual_ipaddress {\n  10.0.0.1\n }\n}\n"
		"vrrp_instance B {\n interface eth0\n virtual_router_id 5\n"
		" unicast_peer {\n  %s\n }\n virtual_ipaddress {\n  10.0.0.2\n }\n}\n";
	char buf[512];
	snprintf(buf, sizeof(buf), text, "10.0.0.8");
	expect_clean(buf);
	snprintf(buf, sizeof(buf), text, "10.0.0.7");
	expect_error(buf, "virtual_router_id 5 is already used by vrrp_instance A");
}
END_TEST

START_TEST(garp_group_interfaces_are_unique)
{
	expect_error("garp_group {\n garp_interval 1\n interface eth0\n}\n"
		     "garp_group {\n gna_interval 1\n interfaces {\n  eth1 eth0\n }\n}\n",
		     "interface eth0 is already in the garp_group at line 1");
	expect_error("bfd_instance a {\n neighbor_ip 10.0.0.2\n}\n"
		     "bfd_instance b {\n neighbor_ip 10.0.0.2\n}\n",
		     "bfd_instance b has the same neighbor_ip 10.0.0.2");
}
END_TEST

START_TEST(item_blocks_use_the_ip_tables)
{
	/* The item syntax is tab_ip.c's; here only the wiring is checked. */
	static const char *const kws[] = { "virtual_ipaddress", "virtual_ipaddress_excluded",
					   "virtual_routes", "virtual_rules" };
	const struct block_desc *descs[] = { &desc_ipaddress_item, &desc_ipaddress_item,
					     &desc_route_item, &desc_rule_item };
	static const char *const items[] = { "10.0.0.7/24", "10.0.0.8/24",
					     "192.168.110.0/24 dev eth1", "from 10.0.0.0/24 table 1" };
	for (size_t i = 0; i < 4; i++) {
		char buf[512];
		struct diags d;
		snprintf(buf, sizeof(buf), INST(" %s {\n  %s\n }\n"), kws[i], items[i]);
		diags_init(&d);
		struct config *c = parse_text(buf, &d);
		ck_assert_msg(!diags_has(&d, DIAG_WARNING, kws[i]), "%s is not a keyword", kws[i]);
		if (c) {
			const struct vrrp_instance *v = instance(c, "VI_1");
			const struct list *l[] = { &v->vips, &v->evips, &v->vroutes, &v->vrules };
			const struct node *last = l[i]->last;
			ck_assert_ptr_nonnull(last);
			ck_assert_ptr_eq(last->desc, descs[i]);
		}
		conf_unref(c);
		diags_free(&d);
	}
}
END_TEST

static Suite *vrrp_suite(void)
{
	Suite *s = suite_create("conf_vrrp");
	TCase *tc = tcase_create("keywords");
	tcase_add_test(tc, every_keyword_is_parsed);
	tcase_add_test(tc, dump_is_canonical);
	tcase_add_test(tc, instance_defaults_are_keepalived_s);
	tcase_add_test(tc, other_block_defaults);
	tcase_add_test(tc, process_words_are_kept_apart);
	tcase_add_test(tc, ranges_are_errors);
	tcase_add_test(tc, track_weights_per_list);
	tcase_add_test(tc, addresses_are_checked);
	tcase_add_test(tc, block_level_checks);
	tcase_add_test(tc, advert_int_and_version);
	tcase_add_test(tc, warnings_keepalived_also_gives);
	tcase_add_test(tc, auth_type_ah_refused);
	tcase_add_test(tc, global_tracking_is_sync_group_tracking_weight);
	tcase_add_test(tc, accept_is_three_states);
	suite_add_tcase(s, tc);
	tc = tcase_create("resolve");
	tcase_add_test(tc, duplicate_names_are_errors);
	tcase_add_test(tc, unknown_references_are_dropped);
	tcase_add_test(tc, keepalived_fallbacks);
	tcase_add_test(tc, sync_group_member_that_is_no_instance_is_ignored);
	tcase_add_test(tc, names_resolve_in_any_order);
	tcase_add_test(tc, scriptless_script_is_dropped_with_warnings);
	tcase_add_test(tc, bare_sync_group_members_are_taken_with_a_warning);
	tcase_add_test(tc, sync_group_membership_rules);
	tcase_add_test(tc, vrid_must_be_unique_per_interface_and_family);
	tcase_add_test(tc, vrid_may_repeat_with_disjoint_unicast_peers);
	tcase_add_test(tc, garp_group_interfaces_are_unique);
	tcase_add_test(tc, item_blocks_use_the_ip_tables);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(vrrp_suite());
}
