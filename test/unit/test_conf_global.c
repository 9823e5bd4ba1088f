/* test_conf_global.c - the global blocks of the configuration language:
 * top-level settings, global_defs, SSL, linkbeat_interfaces,
 * interface_up_down_delays, track_group, track_file, and the address,
 * route and rule lines shared by static_* and virtual_*. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "testutil.h"

/* A vrrp_instance for track_group members and virtual_* lines to refer to. */
#define VI_1 "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n priority 100\n" \
	     " virtual_ipaddress {\n  10.0.0.1\n }\n}\n"

static void assert_addr(const struct vaddr *a, const char *text)
{
	char buf[VADDR_STRLEN];
	ck_assert_str_eq(vaddr_format(a, buf, sizeof(buf)), text);
}

static const struct node *nth(const struct list *l, size_t i)
{
	const struct node *n = l->first;
	while (n && i--)
		n = n->next;
	ck_assert_ptr_nonnull(n);
	return n;
}

static bool cpu_in(const struct cpuset *c, int cpu)
{
	return (c->bits[cpu / 64] >> (cpu % 64)) & 1;
}

/* ---- defaults ------------------------------------------------------------- */

START_TEST(empty_config_has_keepalived_defaults)
{
	struct config *cfg = parse_ok("", NULL);
	const struct global_defs *g = &cfg->global;

	ck_assert_uint_eq(cfg->child_wait_time, 5000000);
	ck_assert_ptr_null(cfg->net_namespace_ipvs);
	ck_assert_ptr_null(g->router_id);
	ck_assert_str_eq(g->default_interface, "eth0");
	ck_assert_uint_eq(g->startup_script_timeout, 10000000);
	ck_assert_uint_eq(g->umask, 022);
	ck_assert_int_eq(g->random_seed, -1);
	ck_assert_uint_eq(g->smtp_server.port, 25);
	ck_assert_ptr_null(g->smtp_server.host);
	ck_assert_uint_eq(g->smtp_connect_timeout, 30000000);
	ck_assert_int_eq(g->smtp_alert, TRISTATE_UNSET);
	ck_assert_int_eq(g->smtp_alert_checker, TRISTATE_UNSET);
	ck_assert_ptr_null(g->lvs_sync_daemon.ifname);
	ck_assert_uint_eq(g->lvs_sync_daemon.port, 8848);
	ck_assert_int_eq(g->lvs_sync_daemon.syncid, -1);
	assert_addr(&g->lvs_sync_daemon.group, "224.0.0.81");
	ck_assert_int_eq(g->lvs_flush_on_stop, LVS_FLUSH_STOP_NONE);
	assert_addr(&g->vrrp_mcast_group4, "224.0.0.18");
	assert_addr(&g->vrrp_mcast_group6, "ff02::12");
	ck_assert_uint_eq(g->vrrp_garp_master_delay, 5000000);
	ck_assert_uint_eq(g->vrrp_garp_master_repeat, 5);
	ck_assert(g->vrrp_garp_lower_prio_delay == TIMER_INHERIT);
	ck_assert_int_eq(g->vrrp_garp_lower_prio_repeat, -1);
	ck_assert_uint_eq(g->vrrp_garp_master_refresh, 0);
	ck_assert_uint_eq(g->vrrp_garp_master_refresh_repeat, 1);
	ck_assert_uint_eq(g->vrrp_garp_interval, 0);
	ck_assert_uint_eq(g->vrrp_garp_extra_if.interval, 0);
	ck_assert_int_eq(g->vrrp_down_timer_adverts, 3);
	ck_assert_uint_eq(g->vrrp_notify_script_hold, 5000000);
	ck_assert_int_eq(g->vrrp_version, 2);
	ck_assert(!g->vrrp_strict);
	ck_assert_str_eq(g->vmac_prefix, "vrrp");
	ck_assert_ptr_null(g->vmac_addr_prefix);
	ck_assert(!g->nftables.given);
	ck_assert_int_eq(g->nftables_priority, -1);
	ck_assert_uint_eq(g->nftables_ipvs_start_fwmark, 1000);
	ck_assert_int_eq(g->max_auto_priority, 0);
	ck_assert_uint_eq(g->min_auto_priority_delay, 1000000);
	ck_assert_uint_eq(g->vrrp_rlimit_rttime, 10000);
	ck_assert_uint_eq(g->bfd_rlimit_rttime, 10000);
	ck_assert_int_eq(g->vrrp_rt_priority, 0);
	ck_assert(!cpu_in(&g->vrrp_cpu_affinity, 0));
	ck_assert_str_eq(g->snmp_socket, "unix:/var/agentx/master");
	ck_assert_str_eq(g->dbus_service_name, "org.keepalived.Vrrp1");
	ck_assert_int_eq(g->dynamic_interfaces, DYNAMIC_IFS_OFF);
	ck_assert_int_eq(g->vrrp_rx_bufs_policy.policy, RX_BUFS_SYSTEM);
	ck_assert_uint_eq(g->vrrp_rx_bufs_multiplier, 3);
	ck_assert_uint_eq(g->include_check, 0);
	ck_assert_ptr_null(cfg->ssl.password);
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

/* ---- every keyword, parsed and dumped ---------------------------------------- */

static const char every_keyword[] =
	"net_namespace ns1\n"
	"net_namespace_ipvs\n"
	"namespace_with_ipsets\n"
	"instance inst1\n"
	"use_pid_dir\n"
	"linkbeat_use_polling\n"
	"child_wait_time 7\n"
	"global_defs {\n"
	" tmp_config_directory /tmp/kcfg\n"
	" config_save_dir /var/save\n"
	" process_names\n"
	" process_name kp\n"
	" vrrp_process_name kv\n"
	" checker_process_name kc\n"
	" bfd_process_name kb\n"
	" startup_script \"/bin/start --now\" root wheel\n"
	" startup_script_timeout 20\n"
	" shutdown_script /bin/stop\n"
	" shutdown_script_timeout 1000\n"
	" umask IWGRP | IWOTH|IROTH\n"
	" random_seed 4294967295\n"
	" reload_check_config /var/log/check.log\n"
	" include_check readable -match +brace_match\n"
	" reload_time_file /run/reload_at\n"
	" reload_repeat\n"
	" reload_file\n"
	" data_use_instance\n"
	" notification_email {\n  a@example.com b@example.com\n  c@example.com\n }\n"
	" notification_email_from kd@example.com\n"
	" smtp_server mail.example.com 587\n"
	" smtp_helo_name helo.example.com\n"
	" smtp_connect_timeout 45\n"
	" smtp_alert\n"
	" smtp_alert_vrrp off\n"
	" smtp_alert_checker yes\n"
	" checker_log_all_failures\n"
	" no_email_faults\n"
	" no_checker_emails\n"
	" rs_init_notifies\n"
	" router_id r1\n"
	" default_interface bond0\n"
	" lvs_sync_daemon eth1 inst VI_1 id 7 maxlen 1400 port 9000 ttl 2 group ff02::99\n"
	" lvs_timeouts tcp 900 tcpfin 120 udp 300\n"
	" lvs_flush\n"
	" lvs_flush_on_stop VS\n"
	" vrrp_mcast_group4 224.0.0.19\n"
	" vrrp_mcast_group6 ff02::13\n"
	" vrrp_garp_master_delay 10\n"
	" vrrp_garp_master_repeat 3\n"
	" vrrp_garp_lower_prio_delay 0\n"
	" vrrp_garp_lower_prio_repeat 2\n"
	" vrrp_garp_master_refresh 60\n"
	" vrrp_garp_master_refresh_repeat 4\n"
	" vrrp_garp_interval 0.001\n"
	" vrrp_gna_interval 0.000002\n"
	" vrrp_min_garp\n"
	" vrrp_garp_extra_if 100 all\n"
	" vrrp_down_timer_adverts 5\n"
	" vrrp_lower_prio_no_advert\n"
	" vrrp_higher_prio_send_advert true\n"
	" vrrp_version 3\n"
	" vrrp_check_unicast_src\n"
	" vrrp_check_unicast_ttl\n"
	" vrrp_skip_check_adv_addr\n"
	" vrrp_strict\n"
	" vrrp_notify_priority_changes\n"
	" log_unknown_vrids\n"
	" vrrp_startup_delay 5.5\n"
	" vrrp_notify_script_hold 0.5\n"
	" vmac_prefix vm\n"
	" vmac_addr_prefix va\n"
	" disable_local_igmp\n"
	" nftables kpd\n"
	" nftables_priority -5\n"
	" nftables_counters\n"
	" nftables_ifindex\n"
	" nftables_ipvs\n"
	" nftables_ipvs_priority 3\n"
	" nftables_ipvs_start_fwmark 2000\n"
	" vrrp_iptables kin kout\n"
	" vrrp_ipsets s1 s2 s3 s4 s5\n"
	" max_auto_priority\n"
	" min_auto_priority_delay 500000\n"
	" vrrp_priority -5\n"
	" checker_priority 10\n"
	" bfd_priority 19\n"
	" vrrp_no_swap\n"
	" checker_no_swap\n"
	" bfd_no_swap\n"
	" vrrp_cpu_affinity 0 2 65\n"
	" checker_cpu_affinity 1\n"
	" bfd_cpu_affinity 1023\n"
	" vrrp_rt_priority 50\n"
	" checker_rt_priority 1\n"
	" bfd_rt_priority 99\n"
	" vrrp_rlimit_rttime 20000\n"
	" checker_rlimit_rttime 2\n"
	" bfd_rlimit_rtime 30000\n"
	" snmp_socket udp:1.2.3.4:705\n"
	" enable_snmp_keepalived\n"
	" enable_snmp_checker\n"
	" enable_snmp_rfc\n"
	" enable_snmp_rfcv2\n"
	" enable_snmp_rfcv3\n"
	" enable_traps\n"
	" enable_dbus\n"
	" dbus_service_name org.example.V\n"
	" script_user nobody nogroup\n"
	" enable_script_security\n"
	" notify_fifo /run/f1\n"
	" notify_fifo_script /bin/f1 u1\n"
	" vrrp_notify_fifo /run/f2 u2 g2\n"
	" vrrp_notify_fifo_script \"/bin/f2 arg\"\n"
	" lvs_notify_fifo /run/f3\n"
	" lvs_notify_fifo_script /bin/f3 u3 g3\n"
	" fifo_write_vrrp_states_on_reload\n"
	" dynamic_interfaces allow_if_changes\n"
	" vrrp_netlink_cmd_rcv_bufs 100000\n"
	" vrrp_netlink_cmd_rcv_bufs_force\n"
	" vrrp_netlink_monitor_rcv_bufs 200000\n"
	" vrrp_netlink_monitor_rcv_bufs_force on\n"
	" lvs_netlink_cmd_rcv_bufs 300000\n"
	" lvs_netlink_cmd_rcv_bufs_force\n"
	" lvs_netlink_monitor_rcv_bufs 400000\n"
	" lvs_netlink_monitor_rcv_bufs_force\n"
	" process_monitor_rcv_bufs 500000\n"
	" process_monitor_rcv_bufs_force\n"
	" vrrp_rx_bufs_policy 65536\n"
	" vrrp_rx_bufs_multiplier 4\n"
	"}\n"
	"SSL {\n password secret\n ca /etc/ca.pem\n certificate /etc/cert.pem\n key /etc/key.pem\n}\n"
	"linkbeat_interfaces {\n eth0\n eth1 ETHTOOL\n}\n"
	"interface_up_down_delays {\n eth0 1.5\n eth1 2 0.25\n}\n"
	"track_group G1 {\n group {\n  VI_1\n }\n}\n"
	"track_file F1 {\n file \"/run/track f1\"\n weight -300 reverse\n init_file 7 overwrite\n}\n"
	"vrrp_track_file F2 {\n file /run/f2\n init_file\n}\n"
	VI_1;

START_TEST(every_global_keyword)
{
	struct config *cfg = parse_ok(every_keyword, NULL);
	const struct global_defs *g = &cfg->global;

	ck_assert_str_eq(cfg->net_namespace, "ns1");
	ck_assert_str_eq(cfg->net_namespace_ipvs, "");   /* given, default namespace */
	ck_assert(cfg->namespace_with_ipsets);
	ck_assert_str_eq(cfg->instance_name, "inst1");
	ck_assert(cfg->use_pid_dir && cfg->linkbeat_use_polling);
	ck_assert_uint_eq(cfg->child_wait_time, 7000000);

	ck_assert_str_eq(g->tmp_config_directory, "/tmp/kcfg");
	ck_assert_str_eq(g->config_save_dir, "/var/save");
	ck_assert(g->process_names);
	ck_assert_str_eq(g->process_name, "kp");
	ck_assert_str_eq(g->vrrp_process_name, "kv");
	ck_assert_str_eq(g->checker_process_name, "kc");
	ck_assert_str_eq(g->bfd_process_name, "kb");
	ck_assert_str_eq(g->startup_script.path, "/bin/start --now");
	ck_assert_str_eq(g->startup_script.user, "root");
	ck_assert_str_eq(g->startup_script.group, "wheel");
	ck_assert_uint_eq(g->startup_script_timeout, 20000000);
	ck_assert_str_eq(g->shutdown_script.path, "/bin/stop");
	ck_assert_ptr_null(g->shutdown_script.user);
	ck_assert_uint_eq(g->shutdown_script_timeout, 1000000000);
	ck_assert_uint_eq(g->umask, 026);
	ck_assert_int_eq(g->random_seed, 4294967295LL);
	ck_assert(g->reload_check_config.given);
	ck_assert_str_eq(g->reload_check_config.w[0], "/var/log/check.log");
	ck_assert_uint_eq(g->include_check, INCLUDE_CHECK_READABLE | INCLUDE_CHECK_BRACE_MATCH);
	ck_assert_str_eq(g->reload_time_file, "/run/reload_at");
	ck_assert(g->reload_repeat);
	ck_assert(g->reload_file.given);
	ck_assert_uint_eq(g->reload_file.n, 0);
	ck_assert(g->data_use_instance);

	ck_assert_uint_eq(g->notification_email.n, 3);
	ck_assert_str_eq(((const struct email_addr *)nth(&g->notification_email, 1))->addr,
			 "b@example.com");
	ck_assert_str_eq(((const struct email_addr *)nth(&g->notification_email, 2))->addr,
			 "c@example.com");
	ck_assert_str_eq(g->notification_email_from, "kd@example.com");
	ck_assert_str_eq(g->smtp_server.host, "mail.example.com");
	ck_assert_uint_eq(g->smtp_server.port, 587);
	ck_assert_uint_eq(g->smtp_server.addr.family, 0);
	ck_assert_str_eq(g->smtp_helo_name, "helo.example.com");
	ck_assert_uint_eq(g->smtp_connect_timeout, 45000000);
	ck_assert_int_eq(g->smtp_alert, 1);
	ck_assert_int_eq(g->smtp_alert_vrrp, 0);
	ck_assert_int_eq(g->smtp_alert_checker, 1);
	ck_assert(g->checker_log_all_failures && g->no_email_faults);
	ck_assert(g->no_checker_emails && g->rs_init_notifies);
	ck_assert_str_eq(g->router_id, "r1");
	ck_assert_str_eq(g->default_interface, "bond0");

	ck_assert_str_eq(g->lvs_sync_daemon.ifname, "eth1");
	ck_assert_str_eq(g->lvs_sync_daemon.instance, "VI_1");
	ck_assert_int_eq(g->lvs_sync_daemon.syncid, 7);
	ck_assert_uint_eq(g->lvs_sync_daemon.maxlen, 1400);
	ck_assert_uint_eq(g->lvs_sync_daemon.port, 9000);
	ck_assert_uint_eq(g->lvs_sync_daemon.ttl, 2);
	assert_addr(&g->lvs_sync_daemon.group, "ff02::99");
	ck_assert_uint_eq(g->lvs_timeouts.tcp, 900000000);
	ck_assert_uint_eq(g->lvs_timeouts.tcpfin, 120000000);
	ck_assert_uint_eq(g->lvs_timeouts.udp, 300000000);
	ck_assert(g->lvs_flush);
	ck_assert_int_eq(g->lvs_flush_on_stop, LVS_FLUSH_STOP_VS);

	assert_addr(&g->vrrp_mcast_group4, "224.0.0.19");
	assert_addr(&g->vrrp_mcast_group6, "ff02::13");
	ck_assert_uint_eq(g->vrrp_garp_master_delay, 10000000);
	ck_assert_uint_eq(g->vrrp_garp_master_repeat, 3);
	ck_assert_uint_eq(g->vrrp_garp_lower_prio_delay, 0);
	ck_assert_int_eq(g->vrrp_garp_lower_prio_repeat, 2);
	ck_assert_uint_eq(g->vrrp_garp_master_refresh, 60000000);
	ck_assert_uint_eq(g->vrrp_garp_master_refresh_repeat, 4);
	ck_assert_uint_eq(g->vrrp_garp_interval, 1000);
	ck_assert_uint_eq(g->vrrp_gna_interval, 2);
	ck_assert(g->vrrp_min_garp);
	ck_assert_uint_eq(g->vrrp_garp_extra_if.interval, 100000000);
	ck_assert(g->vrrp_garp_extra_if.all);
	ck_assert_int_eq(g->vrrp_down_timer_adverts, 5);
	ck_assert(g->vrrp_lower_prio_no_advert && g->vrrp_higher_prio_send_advert);
	ck_assert_int_eq(g->vrrp_version, 3);
	ck_assert(g->vrrp_check_unicast_src && g->vrrp_skip_check_adv_addr && g->vrrp_strict);
	ck_assert(g->vrrp_check_unicast_ttl);
	ck_assert(g->vrrp_notify_priority_changes && g->log_unknown_vrids);
	ck_assert_uint_eq(g->vrrp_startup_delay, 5500000);
	ck_assert_uint_eq(g->vrrp_notify_script_hold, 500000);
	ck_assert_str_eq(g->vmac_prefix, "vm");
	ck_assert_str_eq(g->vmac_addr_prefix, "va");
	ck_assert(g->disable_local_igmp);

	ck_assert(g->nftables.given);
	ck_assert_str_eq(g->nftables.w[0], "kpd");
	ck_assert_int_eq(g->nftables_priority, -5);
	ck_assert(g->nftables_counters && g->nftables_ifindex);
	ck_assert(g->nftables_ipvs.given);
	ck_assert_uint_eq(g->nftables_ipvs.n, 0);
	ck_assert_int_eq(g->nftables_ipvs_priority, 3);
	ck_assert_uint_eq(g->nftables_ipvs_start_fwmark, 2000);
	ck_assert_uint_eq(g->vrrp_iptables.n, 2);
	ck_assert_str_eq(g->vrrp_iptables.w[1], "kout");
	ck_assert_uint_eq(g->vrrp_ipsets.n, 5);
	ck_assert_str_eq(g->vrrp_ipsets.w[4], "s5");

	ck_assert_int_eq(g->max_auto_priority, 99);
	ck_assert_uint_eq(g->min_auto_priority_delay, 500000);
	ck_assert_int_eq(g->vrrp_priority, -5);
	ck_assert_int_eq(g->checker_priority, 10);
	ck_assert_int_eq(g->bfd_priority, 19);
	ck_assert(g->vrrp_no_swap && g->checker_no_swap && g->bfd_no_swap);
	ck_assert(cpu_in(&g->vrrp_cpu_affinity, 0) && cpu_in(&g->vrrp_cpu_affinity, 2));
	ck_assert(cpu_in(&g->vrrp_cpu_affinity, 65) && !cpu_in(&g->vrrp_cpu_affinity, 1));
	ck_assert(cpu_in(&g->checker_cpu_affinity, 1));
	ck_assert(cpu_in(&g->bfd_cpu_affinity, 1023));
	ck_assert_int_eq(g->vrrp_rt_priority, 50);
	ck_assert_int_eq(g->checker_rt_priority, 1);
	ck_assert_int_eq(g->bfd_rt_priority, 99);
	ck_assert_uint_eq(g->vrrp_rlimit_rttime, 20000);
	ck_assert_uint_eq(g->checker_rlimit_rttime, 2);
	ck_assert_uint_eq(g->bfd_rlimit_rttime, 30000);

	ck_assert_str_eq(g->snmp_socket, "udp:1.2.3.4:705");
	ck_assert(g->enable_snmp_vrrp && g->enable_snmp_checker && g->enable_snmp_rfc);
	ck_assert(g->enable_snmp_rfcv2 && g->enable_snmp_rfcv3 && g->enable_traps);
	ck_assert(g->enable_dbus);
	ck_assert_str_eq(g->dbus_service_name, "org.example.V");

	ck_assert_str_eq(g->script_user.user, "nobody");
	ck_assert_str_eq(g->script_user.group, "nogroup");
	ck_assert(g->enable_script_security);
	ck_assert_str_eq(g->notify_fifo.path, "/run/f1");
	ck_assert_str_eq(g->notify_fifo_script.user, "u1");
	ck_assert_ptr_null(g->notify_fifo_script.group);
	ck_assert_str_eq(g->vrrp_notify_fifo.group, "g2");
	ck_assert_str_eq(g->vrrp_notify_fifo_script.path, "/bin/f2 arg");
	ck_assert_str_eq(g->lvs_notify_fifo.path, "/run/f3");
	ck_assert_str_eq(g->lvs_notify_fifo_script.group, "g3");
	ck_assert(g->fifo_write_vrrp_states_on_reload);

	ck_assert_int_eq(g->dynamic_interfaces, DYNAMIC_IFS_ALLOW_CHANGES);
	ck_assert_uint_eq(g->vrrp_netlink_cmd_rcv_bufs, 100000);
	ck_assert_uint_eq(g->vrrp_netlink_monitor_rcv_bufs, 200000);
	ck_assert_uint_eq(g->lvs_netlink_cmd_rcv_bufs, 300000);
	ck_assert_uint_eq(g->lvs_netlink_monitor_rcv_bufs, 400000);
	ck_assert_uint_eq(g->process_monitor_rcv_bufs, 500000);
	ck_assert(g->vrrp_netlink_cmd_rcv_bufs_force && g->vrrp_netlink_monitor_rcv_bufs_force);
	ck_assert(g->lvs_netlink_cmd_rcv_bufs_force && g->lvs_netlink_monitor_rcv_bufs_force);
	ck_assert(g->process_monitor_rcv_bufs_force);
	ck_assert_int_eq(g->vrrp_rx_bufs_policy.policy, RX_BUFS_SIZE);
	ck_assert_uint_eq(g->vrrp_rx_bufs_policy.size, 65536);
	ck_assert_uint_eq(g->vrrp_rx_bufs_multiplier, 4);

	ck_assert_str_eq(cfg->ssl.password, "secret");
	ck_assert_str_eq(cfg->ssl.ca, "/etc/ca.pem");
	ck_assert_str_eq(cfg->ssl.certificate, "/etc/cert.pem");
	ck_assert_str_eq(cfg->ssl.key, "/etc/key.pem");

	const struct linkbeat_if *lb = (const struct linkbeat_if *)nth(&cfg->linkbeat_interfaces, 1);
	ck_assert_uint_eq(cfg->linkbeat_interfaces.n, 2);
	ck_assert_str_eq(lb->ifname, "eth1");
	ck_assert_int_eq(lb->type, LINKBEAT_ETHTOOL);
	ck_assert_int_eq(((const struct linkbeat_if *)cfg->linkbeat_interfaces.first)->type,
			 LINKBEAT_AUTO);

	const struct if_delay *d0 = (const struct if_delay *)nth(&g->if_up_down_delays, 0);
	const struct if_delay *d1 = (const struct if_delay *)nth(&g->if_up_down_delays, 1);
	ck_assert_str_eq(d0->ifname, "eth0");
	ck_assert_uint_eq(d0->down, 1500000);
	ck_assert_uint_eq(d0->up, 1500000);   /* the down delay when not given */
	ck_assert_uint_eq(d1->down, 2000000);
	ck_assert_uint_eq(d1->up, 250000);

	const struct track_group *tg = (const struct track_group *)cfg->track_groups.first;
	ck_assert_str_eq(tg->hdr.name, "G1");
	ck_assert_uint_eq(tg->group.n, 1);
	ck_assert_str_eq(((const struct track_group_member *)tg->group.first)->instance, "VI_1");

	ck_assert_uint_eq(cfg->track_files.n, 2);
	const struct track_file *f1 = (const struct track_file *)nth(&cfg->track_files, 0);
	const struct track_file *f2 = (const struct track_file *)nth(&cfg->track_files, 1);
	ck_assert_str_eq(f1->file, "/run/track f1");
	ck_assert_int_eq(f1->weight.weight, -300);
	ck_assert(f1->weight.reverse);
	ck_assert(f1->init_file.given && f1->init_file.overwrite);
	ck_assert_int_eq(f1->init_file.value, 7);
	ck_assert_str_eq(f2->hdr.name, "F2");
	ck_assert_int_eq(f2->weight.weight, 1);   /* default */
	ck_assert(f2->init_file.given && !f2->init_file.overwrite);
	ck_assert_int_eq(f2->init_file.value, 0);

	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

START_TEST(dump_is_canonical)
{
	struct config *cfg = parse_ok(every_keyword, NULL);
	char *text = dump_string(cfg);
	ck_assert_ptr_nonnull(strstr(text, "umask 026"));
	ck_assert_ptr_nonnull(strstr(text, "vrrp_garp_extra_if all 100"));
	ck_assert_ptr_nonnull(strstr(text, "bfd_rlimit_rttime 30000"));   /* alias written by its name */
	ck_assert_ptr_nonnull(strstr(text, "enable_snmp_vrrp"));
	ck_assert_ptr_nonnull(strstr(text, "lvs_sync_daemon eth1 inst VI_1 id 7 maxlen 1400 port 9000 ttl 2 group ff02::99"));
	ck_assert_ptr_nonnull(strstr(text, "vrrp_cpu_affinity 0 2 65"));
	ck_assert_ptr_nonnull(strstr(text, "startup_script \"/bin/start --now\" root wheel"));
	ck_assert_ptr_nonnull(strstr(text, "eth1 2 0.25"));
	ck_assert_ptr_null(strstr(text, "vrrp_track_file"));
	ck_assert_ptr_null(strstr(text, "snmp_socket unix"));              /* a default */
	free(text);
	conf_unref(cfg);
}
END_TEST

/* ---- address, route and rule lines --------------------------------------- */

static const char static_lines[] =
	"track_group G1 {\n group {\n  VI_1\n }\n}\n"
	"static_ipaddress {\n"
	" 192.168.1.1/24 brd + dev eth0 scope link label eth0:1 home -nodad mngtmpaddr"
	" noprefixroute autojoin no_track track_group G1 preferred_lft forever\n"
	" 2001:db8::1/64 dev eth1 scope 7\n"
	" 10.1.1.1 peer 10.1.1.2 preferred_lft 30\n"
	" 10.2.2.2/24 broadcast 10.2.2.255\n"
	"}\n"
	"static_routes {\n"
	" 192.168.2.0/24 via 192.168.1.100 dev eth0 track_group G1\n"
	" 192.168.100.0/24 table 6909 nexthop via 192.168.101.1 dev wlan0 onlink weight 1"
	" nexthop via 192.168.101.2 dev wlan0 onlink weight 2 realms 3\n"
	" 192.168.200.0/24 dev p33p1.2 table 6909 tos 0x04 protocol bird scope link priority 12"
	" mtu 1000 hoplimit 100 advmss 101 rtt 102 rttvar 103 reordering 104 window 105 cwnd 106"
	" ssthresh lock 107 realms PQA/0x14 rto_min 108 initcwnd 109 initrwnd 110 vrf blue"
	" features ecn append\n"
	" 2001:470:69e9:1:2::4 dev p33p1.2 table 6909 protocol 200 fastopen_no_cookie 1"
	" pref high expires 30 rtt 1.5s\n"
	" src 10.0.0.1 to 10.9.0.0/16 via inet 10.0.0.254 congctl lock cubic quickack 1"
	" ttl-propagate disabled onlink no_track oif eth3\n"
	" blackhole 10.66.0.0/16\n"
	" inet6 default via fe80::1 dev eth0 metric 1024\n"
	" 10.7.0.0/16 dev eth0 encap mpls 100/200\n"
	" 10.8.0.0/16 dev eth0 encap ip id 5 dst 10.1.1.1 ttl 9 tos 2 table main\n"
	" 10.5.0.0/16 dev eth0 encap ip6 dst 2001::1 hoplimit 3 tc 1\n"
	" 10.4.0.0/16 dev eth0 encap ila 1:2:3:ab\n"
	" unreachable 10.99.0.0/16 prepend\n"
	"}\n"
	"static_rules {\n"
	" from 192.168.2.0/24 table 1 priority 10 iif eth0 track_group G1\n"
	" from 192.168.28.0/24 to 192.168.29.0/26 table small iif p33p1 oif wlan0 tos 22"
	" fwmark 24/12 preference 39 realms 30/20\n"
	" from 10.0.0.0/8 priority 40 goto 50\n"
	" to 1:2:3:4:5:6:7:0/112 from 7:6:5:4:3:2::/96 table 6908 uidrange 10000-19999 priority 60\n"
	" to 1:2:3:4:6:6:7:0/112 from 8:6:5:4:3:2::/96 l3mdev protocol 12 ip_proto UDP"
	" sport 10-20 dport 20-30 priority 70\n"
	" not from all table 7 priority 80 suppress_prefixlength 8 suppress_ifgroup 3\n"
	" inet6 unreachable priority 90 no_track\n"
	" from 10.2.0.0/16 prohibit order 110 dev eth2 fwmark 0x10\n"
	" from 10.3.0.0/16 lookup main priority 120 sport 443\n"
	" from 10.4.0.0/16 nop priority 130\n"
	" from 10.5.0.0/16 blackhole priority 140\n"
	"}\n"
	VI_1;

START_TEST(static_addresses)
{
	struct config *cfg = parse_ok(static_lines, NULL);
	const struct list *l = &cfg->static_addresses;
	ck_assert_uint_eq(l->n, 4);

	const struct ipaddr_item *a = (const struct ipaddr_item *)nth(l, 0);
	assert_addr(&a->addr, "192.168.1.1/24");
	ck_assert_int_eq(a->brd.mode, IP_BRD_SET);
	ck_assert_str_eq(a->dev, "eth0");
	ck_assert_int_eq(a->scope, 253);
	ck_assert_str_eq(a->label, "eth0:1");
	ck_assert(a->home && a->nodad && a->mngtmpaddr && a->noprefixroute && a->autojoin);
	ck_assert(a->no_track && !a->use_vmac);
	ck_assert_str_eq(a->track_group, "G1");
	ck_assert_int_eq(a->preferred_lft, IP_LFT_FOREVER);

	a = (const struct ipaddr_item *)nth(l, 1);
	assert_addr(&a->addr, "2001:db8::1/64");
	ck_assert_int_eq(a->scope, 7);
	ck_assert_int_eq(a->preferred_lft, -1);   /* not given */
	ck_assert(!a->home);
	ck_assert_int_eq(a->brd.mode, IP_BRD_NONE);

	a = (const struct ipaddr_item *)nth(l, 2);
	assert_addr(&a->peer, "10.1.1.2");
	ck_assert_int_eq(a->preferred_lft, 30);
	ck_assert_int_eq(a->scope, 0);            /* global */
	ck_assert_ptr_null(a->dev);

	a = (const struct ipaddr_item *)nth(l, 3);
	ck_assert_int_eq(a->brd.mode, IP_BRD_ADDR);
	assert_addr(&a->brd.addr, "10.2.2.255");
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

static const struct route_item *route(const struct config *cfg, size_t i)
{
	return (const struct route_item *)nth(&cfg->static_routes, i);
}

START_TEST(static_routes)
{
	struct config *cfg = parse_ok(static_lines, NULL);
	ck_assert_uint_eq(cfg->static_routes.n, 12);

	const struct route_item *r = route(cfg, 0);
	ck_assert_int_eq(r->type, RT_TYPE_UNICAST);
	assert_addr(&r->dst, "192.168.2.0/24");
	assert_addr(&r->via, "192.168.1.100");
	ck_assert_str_eq(r->dev, "eth0");
	ck_assert_str_eq(r->track_group, "G1");
	ck_assert(!r->table.set);
	ck_assert_int_eq(r->metric, -1);
	ck_assert_int_eq(r->scope, -1);

	r = route(cfg, 1);
	ck_assert(r->table.set && r->table.num == 6909 && !r->table.name);
	ck_assert_uint_eq(r->nexthops.n, 2);
	const struct rt_nexthop *nh = (const struct rt_nexthop *)nth(&r->nexthops, 1);
	assert_addr(&nh->via, "192.168.101.2");
	ck_assert_str_eq(nh->dev, "wlan0");
	ck_assert(nh->onlink);
	ck_assert_int_eq(nh->weight, 2);
	ck_assert(nh->realms.to.set && !nh->realms.from.set);
	ck_assert_uint_eq(nh->realms.to.num, 3);

	r = route(cfg, 2);
	ck_assert_int_eq(r->tos, 4);
	ck_assert(r->protocol.set && r->protocol.num == 12);
	ck_assert_int_eq(r->scope, 253);
	ck_assert_int_eq(r->metric, 12);
	ck_assert(r->mtu.set && !r->mtu.lock && r->mtu.value == 1000);
	ck_assert_uint_eq(r->hoplimit.value, 100);
	ck_assert_uint_eq(r->advmss.value, 101);
	ck_assert_uint_eq(r->rtt.value, 102);
	ck_assert_uint_eq(r->rttvar.value, 103);
	ck_assert_uint_eq(r->reordering.value, 104);
	ck_assert_uint_eq(r->window.value, 105);
	ck_assert_uint_eq(r->cwnd.value, 106);
	ck_assert(r->ssthresh.lock && r->ssthresh.value == 107);
	ck_assert_str_eq(r->realms.from.name, "PQA");   /* resolved when installed */
	ck_assert_uint_eq(r->realms.to.num, 20);
	ck_assert_uint_eq(r->rto_min.value, 108);
	ck_assert_uint_eq(r->initcwnd.value, 109);
	ck_assert_uint_eq(r->initrwnd.value, 110);
	ck_assert_str_eq(r->vrf, "blue");
	ck_assert(r->features_ecn && r->append);

	r = route(cfg, 3);
	ck_assert_uint_eq(r->dst.family, AF_INET6);
	ck_assert_uint_eq(r->protocol.num, 200);
	ck_assert_int_eq(r->fastopen_no_cookie, 1);
	ck_assert_int_eq(r->pref, 1);
	ck_assert_int_eq(r->expires, 30);
	ck_assert_uint_eq(r->rtt.value, 1500);    /* milliseconds */

	r = route(cfg, 4);
	assert_addr(&r->src, "10.0.0.1");
	assert_addr(&r->dst, "10.9.0.0/16");
	assert_addr(&r->via, "10.0.0.254");
	ck_assert_str_eq(r->congctl.name, "cubic");
	ck_assert(r->congctl.lock);
	ck_assert_int_eq(r->quickack, 1);
	ck_assert_int_eq(r->ttl_propagate, 0);
	ck_assert(r->onlink && r->no_track);
	ck_assert_str_eq(r->dev, "eth3");

	r = route(cfg, 5);
	ck_assert_int_eq(r->type, RT_TYPE_BLACKHOLE);
	r = route(cfg, 6);
	assert_addr(&r->dst, "::/0");   /* default after inet6 */
	ck_assert_int_eq(r->metric, 1024);

	r = route(cfg, 7);
	ck_assert_int_eq(r->encap.type, RT_ENCAP_MPLS);
	ck_assert_uint_eq(r->encap.nlabels, 2);
	ck_assert_uint_eq(r->encap.labels[1], 200);
	r = route(cfg, 8);
	ck_assert_int_eq(r->encap.type, RT_ENCAP_IP);
	ck_assert(r->encap.has_id && r->encap.id == 5);
	assert_addr(&r->encap.dst, "10.1.1.1");
	ck_assert_int_eq(r->encap.ttl, 9);
	ck_assert_int_eq(r->encap.tos, 2);
	ck_assert_uint_eq(r->table.num, 254);     /* main */
	r = route(cfg, 9);
	ck_assert_int_eq(r->encap.type, RT_ENCAP_IP6);
	ck_assert_int_eq(r->encap.ttl, 3);
	ck_assert_int_eq(r->encap.tos, 1);
	r = route(cfg, 10);
	ck_assert_int_eq(r->encap.type, RT_ENCAP_ILA);
	ck_assert(r->encap.locator == 0x00010002000300abULL);
	r = route(cfg, 11);
	ck_assert_int_eq(r->type, RT_TYPE_UNREACHABLE);
	ck_assert(!r->append);
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

static const struct rule_item *rule(const struct config *cfg, size_t i)
{
	return (const struct rule_item *)nth(&cfg->static_rules, i);
}

START_TEST(static_rules)
{
	struct config *cfg = parse_ok(static_lines, NULL);
	ck_assert_uint_eq(cfg->static_rules.n, 11);

	const struct rule_item *u = rule(cfg, 0);
	assert_addr(&u->from, "192.168.2.0/24");
	ck_assert_uint_eq(u->to.family, 0);
	ck_assert_uint_eq(u->table.num, 1);
	ck_assert_int_eq(u->priority, 10);
	ck_assert_str_eq(u->iif, "eth0");
	ck_assert_str_eq(u->track_group, "G1");

	u = rule(cfg, 1);
	assert_addr(&u->to, "192.168.29.0/26");
	ck_assert_str_eq(u->table.name, "small");
	ck_assert_str_eq(u->oif, "wlan0");
	ck_assert_int_eq(u->tos, 22);
	ck_assert(u->fwmark.set && u->fwmark.mark == 24 && u->fwmark.mask == 12);
	ck_assert_int_eq(u->priority, 39);
	ck_assert_uint_eq(u->realms.from.num, 30);
	ck_assert_uint_eq(u->realms.to.num, 20);

	u = rule(cfg, 2);
	ck_assert_int_eq(u->goto_target, 50);
	ck_assert(!u->table.set);

	u = rule(cfg, 3);
	ck_assert_uint_eq(u->from.family, AF_INET6);
	ck_assert(u->uidrange.set && u->uidrange.lo == 10000 && u->uidrange.hi == 19999);

	u = rule(cfg, 4);
	ck_assert(u->l3mdev);
	ck_assert_uint_eq(u->protocol.num, 12);
	ck_assert_int_eq(u->ip_proto, 17);
	ck_assert(u->sport.lo == 10 && u->sport.hi == 20);
	ck_assert(u->dport.lo == 20 && u->dport.hi == 30);

	u = rule(cfg, 5);
	ck_assert(u->invert && !u->blackhole);
	ck_assert_uint_eq(u->table.num, 7);
	ck_assert_uint_eq(u->from.family, 0);
	ck_assert_int_eq(u->suppress_prefixlength, 8);
	ck_assert_int_eq(u->suppress_ifgroup, 3);

	u = rule(cfg, 6);
	ck_assert(u->inet6 && u->unreachable && u->no_track);
	ck_assert_int_eq(u->ip_proto, -1);

	u = rule(cfg, 7);
	ck_assert(u->prohibit);
	ck_assert_int_eq(u->priority, 110);
	ck_assert_str_eq(u->iif, "eth2");
	ck_assert(u->fwmark.mark == 16 && u->fwmark.mask == 0xffffffff);

	u = rule(cfg, 8);
	ck_assert(!u->nop && u->sport.lo == 443 && u->sport.hi == 443);
	ck_assert_uint_eq(u->table.num, 254);
	ck_assert(rule(cfg, 9)->nop);
	ck_assert(rule(cfg, 10)->blackhole);
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

START_TEST(virtual_lines_share_the_syntax)
{
	struct config *cfg = parse_ok(
		"vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n priority 100\n"
		" virtual_ipaddress {\n  10.0.0.1/24 dev eth1 use_vmac no_track label eth1:3\n }\n"
		" virtual_routes {\n  10.1.0.0/16 via 10.0.0.254 no_track\n }\n"
		" virtual_rules {\n  from 10.1.0.0/16 table 5 priority 100\n }\n}\n", NULL);
	char *text = dump_string(cfg);
	ck_assert_ptr_nonnull(strstr(text, "10.0.0.1/24 dev eth1 label eth1:3 use_vmac no_track"));
	ck_assert_ptr_nonnull(strstr(text, "10.1.0.0/16 via 10.0.0.254 no_track"));
	ck_assert_ptr_nonnull(strstr(text, "from 10.1.0.0/16 priority 100 table 5"));
	free(text);
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

START_TEST(route_and_rule_dump_is_canonical)
{
	struct config *cfg = parse_ok(static_lines, NULL);
	char *text = dump_string(cfg);
	ck_assert_ptr_nonnull(strstr(text, "192.168.100.0/24 table 6909 nexthop via 192.168.101.1 "
				     "dev wlan0 weight 1 onlink nexthop via 192.168.101.2 dev wlan0 "
				     "weight 2 onlink realms 3"));
	ck_assert_ptr_nonnull(strstr(text, "ssthresh lock 107"));
	ck_assert_ptr_nonnull(strstr(text, "realms PQA/20"));
	ck_assert_ptr_nonnull(strstr(text, "tos 4 protocol 12 scope link"));
	ck_assert_ptr_nonnull(strstr(text, "    ::/0 via fe80::1"));
	ck_assert_ptr_nonnull(strstr(text, "encap ip id 5 dst 10.1.1.1 ttl 9 tos 2"));
	ck_assert_ptr_nonnull(strstr(text, "encap ila 1:2:3:ab"));
	ck_assert_ptr_nonnull(strstr(text, "unreachable 10.99.0.0/16\n"));
	ck_assert_ptr_nonnull(strstr(text, "from all not priority 80 table 7 suppress_prefixlength 8"));
	ck_assert_ptr_nonnull(strstr(text, "protocol 12 ip_proto udp sport 10-20 dport 20-30"));
	ck_assert_ptr_nonnull(strstr(text, "sport 443-443"));
	ck_assert_ptr_nonnull(strstr(text, "from all priority 90 unreachable inet6 no_track"));
	ck_assert_ptr_nonnull(strstr(text, "fwmark 0x18/0xc"));
	free(text);
	conf_unref(cfg);
}
END_TEST

/* Equality must see every field: a lenient eq would pass the round trip. */
START_TEST(equality_sees_changes)
{
	struct config *a = parse_ok(static_lines, NULL), *b = parse_ok(static_lines, NULL);
	struct config *c = parse_ok(every_keyword, NULL), *d = parse_ok(every_keyword, NULL);
	ck_assert(conf_equal(a, b) && conf_equal(c, d));

	struct route_item *r = (struct route_item *)(void *)nth(&b->static_routes, 2);
	r->mtu.value++;
	ck_assert(!conf_equal(a, b));
	r->mtu.value--;
	r->ssthresh.lock = false;
	ck_assert(!conf_equal(a, b));
	r->ssthresh.lock = true;
	((struct rt_nexthop *)(void *)nth(&route(b, 1)->nexthops, 1))->weight = 9;
	ck_assert(!conf_equal(a, b));
	((struct rt_nexthop *)(void *)nth(&route(b, 1)->nexthops, 1))->weight = 2;
	((struct route_item *)(void *)route(b, 8))->encap.ttl = 10;
	ck_assert(!conf_equal(a, b));
	((struct route_item *)(void *)route(b, 8))->encap.ttl = 9;
	((struct rule_item *)(void *)rule(b, 1))->fwmark.mask = 13;
	ck_assert(!conf_equal(a, b));
	((struct rule_item *)(void *)rule(b, 1))->fwmark.mask = 12;
	((struct rule_item *)(void *)rule(b, 3))->uidrange.hi = 1;
	ck_assert(!conf_equal(a, b));
	((struct rule_item *)(void *)rule(b, 3))->uidrange.hi = 19999;
	((struct ipaddr_item *)(void *)b->static_addresses.first)->brd.mode = IP_BRD_CLEAR;
	ck_assert(!conf_equal(a, b));
	((struct ipaddr_item *)(void *)b->static_addresses.first)->brd.mode = IP_BRD_SET;
	ck_assert(conf_equal(a, b));

	d->global.vrrp_garp_extra_if.all = false;
	ck_assert(!conf_equal(c, d));
	d->global.vrrp_garp_extra_if.all = true;
	d->global.lvs_sync_daemon.port = 1;
	ck_assert(!conf_equal(c, d));
	d->global.lvs_sync_daemon.port = 9000;
	d->global.vrrp_rx_bufs_policy.size = 1;
	ck_assert(!conf_equal(c, d));
	d->global.vrrp_rx_bufs_policy.size = 65536;
	struct track_file *f = (struct track_file *)(void *)d->track_files.first;
	f->weight.reverse = false;
	ck_assert(!conf_equal(c, d));
	f->weight.reverse = true;
	f->init_file.value = 8;
	ck_assert(!conf_equal(c, d));
	f->init_file.value = 7;
	((struct if_delay *)(void *)nth(&d->global.if_up_down_delays, 1))->up = 1;
	ck_assert(!conf_equal(c, d));
	((struct if_delay *)(void *)nth(&d->global.if_up_down_delays, 1))->up = 250000;
	((struct linkbeat_if *)(void *)d->linkbeat_interfaces.first)->type = LINKBEAT_MII;
	ck_assert(!conf_equal(c, d));
	((struct linkbeat_if *)(void *)d->linkbeat_interfaces.first)->type = LINKBEAT_AUTO;
	ck_assert(conf_equal(c, d));
	conf_unref(a);
	conf_unref(b);
	conf_unref(c);
	conf_unref(d);
}
END_TEST

/* ---- errors --------------------------------------------------------------------- */

static void global_error(const char *line, const char *substr)
{
	char text[512];
	snprintf(text, sizeof(text), "global_defs {\n %s\n}\n", line);
	expect_error(text, substr);
}

/* keepalived 2.2.7 logs "vrrp_garp_interval '0' is invalid" and keeps its
 * default; vigil does the same (issue 10 section 3). */
/* keepalived 2.2.7 ignores a word after enable_script_security and
 * enables it: "enable_script_security 0" (met in a real file) must not
 * turn script security off. */
START_TEST(enable_script_security_ignores_its_argument)
{
	struct diags d;
	diags_init(&d);
	struct config *c = parse_text("global_defs {\n enable_script_security 0\n}\n", &d);
	ck_assert_ptr_nonnull(c);
	ck_assert(c->global.enable_script_security);
	ck_assert(diags_at(&d, DIAG_WARNING, 2, 25, "'enable_script_security 0': keepalived "
			   "ignores the value and sets enable_script_security, and so does vigil"));
	assert_roundtrip(c);
	conf_unref(c);
	diags_free(&d);
}
END_TEST

START_TEST(zero_garp_intervals_keep_the_default)
{
	struct diags d;
	diags_init(&d);
	struct config *c = parse_text("global_defs {\n vrrp_garp_interval 0\n"
				      " vrrp_gna_interval 0.000\n}\n", &d);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(d.nerrors, 0);
	struct config *dflt = parse_ok("global_defs {\n}\n", NULL);
	ck_assert_uint_eq(c->global.vrrp_garp_interval, dflt->global.vrrp_garp_interval);
	ck_assert_uint_eq(c->global.vrrp_gna_interval, dflt->global.vrrp_gna_interval);
	conf_unref(dflt);
	ck_assert(diags_at(&d, DIAG_WARNING, 2, 21, "'vrrp_garp_interval 0' is out of range; "
			   "keepalived logs it and keeps the default, and so does vigil"));
	ck_assert(diags_at(&d, DIAG_WARNING, 3, 20, "'vrrp_gna_interval 0' is out of range"));
	/* the keyword acts (garp_pace.c): no "no effect" warning */
	ck_assert(!diags_has(&d, DIAG_WARNING, "keyword 'vrrp_garp_interval' is accepted but "
			     "has no effect in vigil"));
	assert_roundtrip(c);
	conf_unref(c);
	diags_free(&d);
}
END_TEST

START_TEST(global_range_errors)
{
	global_error("vrrp_version 4", "vrrp_version 4 is out of range; use 2..3");
	global_error("vrrp_down_timer_adverts 0", "out of range; use 1..100");
	global_error("startup_script_timeout 1001", "out of range; use 1..1000");
	global_error("smtp_connect_timeout 1.5", "smtp_connect_timeout is in whole seconds");
	global_error("smtp_connect_timeout 0", "out of range");
	global_error("vrrp_garp_master_delay 1.5", "whole seconds");
	global_error("vrrp_garp_master_repeat 0", "out of range");
	global_error("vrrp_garp_interval 4295", "out of range");
	global_error("vrrp_startup_delay 0", "out of range");
	global_error("vrrp_notify_script_hold 0", "out of range");
	global_error("vrrp_notify_script_hold 61", "out of range");
	global_error("vrrp_priority -21", "out of range; use -20..19");
	global_error("vrrp_rt_priority 0", "out of range; use 1..99");
	global_error("vrrp_rlimit_rttime 1", "out of range");
	global_error("max_auto_priority 100", "out of range; use -1..99");
	global_error("min_auto_priority_delay 10000001", "out of range");
	global_error("vrrp_cpu_affinity 1024", "CPU number 1024 is out of range");
	global_error("vrrp_cpu_affinity", "needs one or more CPU numbers");
	global_error("nftables_ipvs_start_fwmark 0", "out of range");
	global_error("vrrp_rx_bufs_multiplier 0", "out of range");
	global_error("random_seed -1", "out of range");
	global_error("umask 01000", "umask '01000' is not valid");
	global_error("vrrp_garp_extra_if 0", "out of range; use 1..86400");
	global_error("vrrp_garp_extra_if all", "needs an interval");
	global_error("vrrp_garp_extra_if 10 20", "unexpected '20'");
	global_error("lvs_timeouts tcp 2678401", "out of range");
	global_error("lvs_timeouts", "lvs_timeouts needs one or more");
	global_error("lvs_sync_daemon eth0 id 256", "id 256 is out of range");
	global_error("lvs_sync_daemon eth0 maxlen 65508", "out of range");
	global_error("lvs_sync_daemon eth0 ttl 0", "out of range");
	global_error("lvs_sync_daemon eth0 port 0", "out of range");
	global_error("lvs_sync_daemon", "needs an interface");
	global_error("smtp_server 1.2.3.4 65536", "smtp_server port 65536 is out of range");
	global_error("nftables a b", "takes at most 1 value");
	global_error("vrrp_iptables a b c", "takes at most 2 values");
	global_error("notify_fifo /f u g x", "takes at most 3 values");
}
END_TEST

/* keepalived 2.2.7 runs without an smtp_server it cannot read ("Invalid
 * smtp server"): placeholders like "smtp_server **" are met in real files.
 * vigil warns and leaves it unset. */
START_TEST(bad_smtp_server_is_ignored_with_a_warning)
{
	static const char *const bad[] = { "**", "bad..name", "1.2.3.256" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[128];
		snprintf(text, sizeof(text), "global_defs {\n smtp_server %s\n"
			 " notification_email_from a@b.c\n}\n", bad[i]);
		char want[128];
		snprintf(want, sizeof(want), "smtp_server '%s' is neither an IP address nor a "
			 "host name; ignored", bad[i]);
		expect_warning(text, want);
		struct config *cfg = parse_ok(text, NULL);
		ck_assert_ptr_null(cfg->global.smtp_server.host);
		assert_roundtrip(cfg);
		conf_unref(cfg);
	}
}
END_TEST

START_TEST(global_bad_words)
{
	global_error("vrrp_mcast_group4 10.0.0.1", "not an IPv4 multicast address");
	global_error("vrrp_mcast_group4 ff02::1", "not an IPv4 multicast address");
	global_error("vrrp_mcast_group6 224.0.0.1", "not an IPv6 multicast address");
	global_error("vrrp_mcast_group4 bad", "not a valid IPv4 address");
	global_error("lvs_sync_daemon eth0 group 10.0.0.1", "not a multicast address");
	global_error("lvs_sync_daemon eth0 VI_1 bogus 1", "unknown lvs_sync_daemon option 'bogus'");
	global_error("lvs_sync_daemon eth0 id", "needs a value");
	global_error("lvs_timeouts tcp 1.5", "must be a whole number");
	global_error("lvs_timeouts foo 3", "unknown lvs_timeouts option 'foo'");
	global_error("lvs_flush_on_stop vs", "'vs' is not known; use VS");
	global_error("dynamic_interfaces x", "is not known; use allow_if_changes");
	global_error("umask IWGRP|IWXX", "umask bit 'IWXX' is not known");
	global_error("vrrp_rx_bufs_policy foo", "use MTU, ADVERT or a size in bytes");
	global_error("smtp_alert maybe", "'maybe' is not a boolean");
	global_error("vrrp_strict xx", "'xx' is not a boolean");
	global_error("include_check foo", "include_check 'foo' is not known");
	global_error("vrrp_cpu_affinity 0-3", "must be a whole number");
	expect_error("SSL {\n password\n}\n", "password needs 1 value");
	expect_error("linkbeat_interfaces {\n eth0 mii\n}\n", "'mii' is not known; use MII");
	expect_error("linkbeat_interfaces {\n eth0 MII x\n}\n", "unexpected 'x'");
	expect_error("interface_up_down_delays {\n eth0 256\n}\n", "out of range");
	expect_error("interface_up_down_delays {\n eth0\n}\n", "IF DOWN_DELAY [UP_DELAY]");
	expect_error("interface_up_down_delays {\n eth0 1 2 3\n}\n", "IF DOWN_DELAY [UP_DELAY]");
	expect_error("net_namespace_ipvs a b\n", "takes at most 1 value");
	expect_error("child_wait_time 1.5\n", "whole seconds");
}
END_TEST

START_TEST(track_file_errors)
{
	expect_error("track_file F1 {\n}\n", "track_file F1 has no file; add file PATH");
	expect_error("track_file F1 {\n file /f\n weight 5 foo\n}\n", "unexpected 'foo'");
	expect_error("track_file F1 {\n file /f\n weight 2147483648\n}\n", "out of range");
	expect_error("track_file F1 {\n file /f\n init_file x\n}\n", "must be a whole number");
	expect_error("track_file F1 {\n file /f\n init_file 1 overwrite x\n}\n",
		     "takes at most 2 values");
	expect_error("track_file F1 {\n file /f\n init_file overwrite 3\n}\n", "unexpected '3'");
	expect_error("track_file {\n file /f\n}\n", "track_file needs 1 value");
}
END_TEST

START_TEST(duplicate_names)
{
	expect_error("track_group G1 {\n group {\n  VI_1\n }\n}\n"
		     "track_group G1 {\n group {\n  VI_1\n }\n}\n" VI_1,
		     "track_group G1 is already defined at line 1");
	expect_error("track_file F1 {\n file /a\n}\n\nvrrp_track_file F1 {\n file /b\n}\n",
		     "track_file F1 is already defined at line 1");
}
END_TEST

START_TEST(unknown_references)
{
	expect_error("static_ipaddress {\n 10.0.0.1 track_group NOPE\n}\n",
		     "static address uses track_group NOPE, which is not defined");
	expect_error("static_routes {\n 10.0.0.0/8 dev eth0 track_group NOPE\n}\n",
		     "static route uses track_group NOPE");
	expect_error("static_rules {\n from 10.0.0.0/8 iif eth0 table 1 priority 5 track_group NOPE\n}\n",
		     "static rule uses track_group NOPE");
	expect_error("track_group G1 {\n group {\n  VI_9\n }\n}\n" VI_1,
		     "track_group G1 lists vrrp_instance VI_9, which is not defined");
	expect_error("global_defs {\n lvs_sync_daemon eth0 VI_9\n}\n" VI_1,
		     "lvs_sync_daemon names vrrp_instance VI_9, which is not defined");
}
END_TEST

static void line_error(const char *block, const char *line, const char *substr)
{
	char text[1024];
	snprintf(text, sizeof(text), "%s {\n %s\n}\n", block, line);
	expect_error(text, substr);
}

START_TEST(address_line_errors)
{
	const char *b = "static_ipaddress";
	line_error(b, "10.0.0.256", "not a valid IPv4 address");   /* an error here, not a warning */
	line_error(b, "10.0.0.1/33", "IPv4 prefix length must be 0..32");
	line_error(b, "10.0.0.1 scope foo", "scope 'foo' is not known");
	line_error(b, "10.0.0.1 scope 256", "out of range");
	line_error(b, "10.0.0.1/24 brd x", "not a valid IPv4 address");
	line_error(b, "10.0.0.1/24 brd 2001::1", "brd must be an IPv4 address too");
	line_error(b, "10.0.0.1/24 peer 10.0.0.2", "a /prefix cannot be combined with peer");
	line_error(b, "10.0.0.1 peer 10.0.0.2/24", "a prefix length is not allowed here");
	line_error(b, "10.0.0.1 peer 2001::1", "peer must be an IPv4 address too");
	line_error(b, "10.0.0.1 brd 10.0.0.255 peer 10.0.0.2", "brd cannot be combined with peer");
	line_error(b, "10.0.0.1 dev", "'dev' needs a value");
	line_error(b, "10.0.0.1 label", "'label' needs a value");
	line_error(b, "10.0.0.1 foo", "unknown address option 'foo'");
	line_error(b, "10.0.0.1 nodad", "unknown address option 'nodad'");
	line_error(b, "10.0.0.1 preferred_lft x", "must be a number");
	line_error(b, "10.0.0.1 preferred_lft 4294967296", "out of range");
	line_error(b, "10.0.0.1 use_vmac", "use_vmac applies to virtual_ipaddress only");
	expect_error("track_group G1 {\n group {\n  VI_1\n }\n}\n"
		     "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n priority 100\n"
		     " virtual_ipaddress {\n  10.0.0.1 track_group G1\n }\n}\n",
		     "track_group applies to static_ipaddress only");
}
END_TEST

START_TEST(route_line_errors)
{
	const char *b = "static_routes";
	line_error(b, "10.0.0.0/24 dev eth0 hoplimit 256", "hoplimit 256 is out of range; use 0..255");
	line_error(b, "10.0.0.0/24 dev eth0 tos 300", "tos 300 is out of range");
	line_error(b, "10.0.0.0/24 dev eth0 protocol 256", "out of range");
	line_error(b, "10.0.0.0/24 dev eth0 protocol 1x", "protocol must be a number, not '1x'");
	line_error(b, "10.0.0.0/24 dev eth0 protocol bi+rd", "protocol 'bi+rd' is neither a number");
	line_error(b, "10.0.0.0/24 dev eth0 table 4294967296", "out of range");
	line_error(b, "10.0.0.0/24 dev eth0 scope foo", "scope 'foo' is not known");
	line_error(b, "10.0.0.0/24 dev eth0 metric -1", "must be a number");
	line_error(b, "10.0.0.0/24 dev eth0 rtt 1.2", "must be milliseconds");
	line_error(b, "10.0.0.0/24 dev eth0 rtt 961s", "out of range");
	line_error(b, "10.0.0.0/24 dev eth0 rto_min 120001", "out of range");
	line_error(b, "10.0.0.0/24 dev eth0 window lock", "'window' needs a value");
	line_error(b, "10.0.0.0/24 dev eth0 mtu lock lock 5", "must be a number");
	line_error(b, "10.0.0.0/24 dev eth0 features foo", "features 'foo' is not known; use ecn");
	line_error(b, "10.0.0.0/24 dev eth0 quickack 2", "out of range; use 0..1");
	line_error(b, "10.0.0.0/24 dev eth0 realms 300", "out of range");
	line_error(b, "10.0.0.0/24 dev eth0 pref high", "pref and expires apply to IPv6 routes only");
	line_error(b, "2001::/64 dev eth0 pref foo", "pref 'foo' is not known");
	line_error(b, "10.0.0.0/24 dev eth0 ttl-propagate foo", "is not known; use enabled|disabled");
	line_error(b, "10.0.0.0/24 via inet6 fe80::1", "IPv4 and IPv6 cannot be mixed");
	line_error(b, "10.0.0.0/24 via inet 2001::1", "is not an IPv4 address");
	line_error(b, "10.0.0.0/24 src 2001::1 dev eth0", "IPv4 and IPv6 cannot be mixed");
	line_error(b, "inet6 10.0.0.0/24 dev eth0", "IPv4 and IPv6 cannot be mixed");
	line_error(b, "10.0.0.0/24 nexthop via 10.0.0.1 weight 257", "out of range; use 1..256");
	line_error(b, "10.0.0.0/24 nexthop via 10.0.0.1 table 5", "unknown nexthop option 'table'");
	line_error(b, "10.0.0.0/24 nexthop onlink", "a nexthop needs via ADDRESS or dev IF");
	line_error(b, "10.0.0.0/24 dev eth0 encap mpls 1048576", "is not a label stack");
	line_error(b, "10.0.0.0/24 dev eth0 encap ip dst 2001::1", "must be an IPv4 address");
	line_error(b, "10.0.0.0/24 dev eth0 encap ip ttl 3", "encap ip needs a dst address");
	line_error(b, "10.0.0.0/24 dev eth0 encap ila 1:2:3", "locator '1:2:3' is not valid");
	line_error(b, "10.0.0.0/24 dev eth0 encap seg6 x", "encap type 'seg6' is not known");
	line_error(b, "10.0.0.0/24 dev eth0 foo 1", "unknown route option 'foo'");
	line_error(b, "foo 10.0.0.0/8", "unknown route option 'foo'; options are: src via or dev");
	line_error(b, "dev eth0", "a route needs a destination");
	line_error(b, "inet6 dev eth0", "a route needs a destination");
	line_error(b, "10.0.0.0/24 dev eth0 local", "the destination is already given");
	expect_error("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n priority 100\n"
		     " virtual_ipaddress {\n  10.0.0.1\n }\n"
		     " virtual_routes {\n  10.1.0.0/16 dev eth0 track_group G1\n }\n}\n"
		     "track_group G1 {\n group {\n  VI_1\n }\n}\n",
		     "track_group applies to static_routes only");
}
END_TEST

START_TEST(rule_line_errors)
{
	const char *b = "static_rules";
	line_error(b, "from 10.0.0.1 table 1 goto 5 priority 1", "has table and goto");
	line_error(b, "from 10.0.0.1 blackhole l3mdev priority 1", "has blackhole and l3mdev");
	line_error(b, "from 10.0.0.1 goto 40", "goto needs the rule's own priority");
	line_error(b, "from 10.0.0.1 priority 5", "a rule needs an action");
	line_error(b, "from 10.0.0.1 priority 5 goto 6 realms 3", "apply to table (or l3mdev) rules only");
	line_error(b, "from 10.0.0.1 priority 5 blackhole suppress_prefixlength 3", "remove them from this blackhole rule");
	line_error(b, "from 10.0.0.1 priority 5 goto 5", "goto 5 must be above the rule's priority 5");
	line_error(b, "from 10.0.0.1 to 2001::/16 table 1 priority 5", "IPv4 and IPv6 cannot be mixed");
	line_error(b, "from 10.0.0.1 inet6 table 1 priority 5", "IPv4 and IPv6 cannot be mixed");
	line_error(b, "from 10.0.0.1 table 1 priority 4294967296", "out of range");
	line_error(b, "from 10.0.0.1 table 1 priority 5 fwmark 0x5/0xfffffffff", "fwmark '0x5/0xfffffffff' is not valid");
	line_error(b, "from 10.0.0.1 table 1 priority 5 fwmark x", "is not valid");
	line_error(b, "from 10.0.0.1 table 1 priority 5 uidrange 5", "use N-M");
	line_error(b, "from 10.0.0.1 table 1 priority 5 uidrange 6-5", "the first not above the second");
	line_error(b, "from 10.0.0.1 table 1 priority 5 sport 70000", "is not valid; use N or N-M");
	line_error(b, "from 10.0.0.1 table 1 priority 5 realms 256/1", "out of range");
	line_error(b, "from 10.0.0.1 table 1 priority 5 tos 256", "out of range");
	line_error(b, "from 10.0.0.1 table 1 priority 5 ip_proto foo", "ip_proto 'foo' is not known");
	line_error(b, "from 10.0.0.1 table 1 priority 5 suppress_prefixlength 129", "out of range");
	line_error(b, "from 10.0.0.1 table 1 priority 5 pref 5", "unknown rule option 'pref'");
	line_error(b, "from 10.0.0.1 table 1 priority 5 track_group G1",
		   "a rule with track_group needs iif");
}
END_TEST

/* ---- warnings ----------------------------------------------------------------- */

START_TEST(bad_address_drops_route_or_rule_with_warning)
{
	/* As in keepalived's sample keepalived.conf.vrrp.rules */
	size_t nwarn = 0;
	struct config *cfg = parse_ok("static_rules {\n from 192.168.100.0/24 table 1 priority 1\n"
				      " to 192.168.100./24 table 1 priority 2\n}\n"
				      "static_routes {\n 10.0.0.0/8 via 10.0.0.300\n"
				      " 10.1.0.0/16 dev eth0\n 10.2.0.0/16 nexthop via 10.0.0.1"
				      " nexthop via x\n 10.3.0.0/16 dev eth0 encap ip dst 1.2.3\n}\n",
				      &nwarn);
	ck_assert_uint_eq(cfg->static_rules.n, 1);
	ck_assert_uint_eq(cfg->static_routes.n, 1);
	assert_addr(&((const struct route_item *)cfg->static_routes.first)->dst, "10.1.0.0/16");
	/* Four problems; encap's "no effect" warning is not one (parse_ok
	 * counts problem_warnings()). */
	ck_assert_uint_eq(nwarn, 4);
	conf_unref(cfg);
	expect_warning("static_rules {\n to 192.168.100./24 table 1 priority 2\n}\n",
		       "to '192.168.100./24': not a valid IPv4 address; this rule is ignored");
	expect_warning("static_routes {\n 192.168.100./24 dev eth0\n}\n",
		       "this route is ignored");
}
END_TEST

START_TEST(warnings)
{
	expect_warning("static_rules {\n from 10.0.0.0/8 table 1\n}\n", "rule has no priority");
	expect_warning("static_routes {\n 10.0.0.0/8 via 10.0.0.1\n}\n",
		       "route 10.0.0.0/8 has no dev, so it cannot be tracked");
	expect_warning("static_routes {\n 10.0.0.0/8 gw 10.0.0.1\n}\n", "'gw' is deprecated; use via");
	expect_warning("static_routes {\n 10.0.0.0/8 via 10.0.0.1 or 10.0.0.2\n}\n",
		       "'or' is deprecated; use nexthop");
	expect_warning("static_routes {\n 10.0.0.0/8 dev eth0 as to 10.1.1.1\n}\n",
		       "applies to MPLS routes only; ignored");
	expect_warning("static_ipaddress {\n 10.0.0.1 dev eth0 dev eth1\n}\n",
		       "'dev' is given more than once in this address");
	expect_warning("global_defs {\n vrrp_vmac_garp_intvl 10\n}\n",
		       "'vrrp_vmac_garp_intvl' is deprecated; use vrrp_garp_extra_if");
	expect_warning("global_defs {\n include_check\n}\n", "has no effect in vigil");
	expect_warning("global_defs {\n vrrp_mcast_group6 ff05::1\n}\n",
		       "is not a link-local multicast address");
	expect_warning("track_group G1 {\n}\n", "track_group G1 has no vrrp_instance");
	expect_warning("global_defs {\n router_id a\n router_id b\n}\n", "given more than once");
}
END_TEST

START_TEST(quiet_lines_have_no_warnings)
{
	size_t nwarn = 1;
	struct config *cfg = parse_ok("static_routes {\n 10.0.0.0/8 via 10.0.0.1 no_track\n"
				      " 10.1.0.0/16 dev eth0\n}\n"
				      "static_rules {\n inet6 from 2001::/16 table 1 priority 5\n}\n",
				      &nwarn);
	ck_assert_uint_eq(nwarn, 0);
	/* the address gives the family, so inet6 is not kept beside it */
	ck_assert(!((const struct rule_item *)cfg->static_rules.first)->inet6);
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

START_TEST(deprecated_aliases_set_the_same_field)
{
	struct config *cfg = parse_ok("global_defs {\n vrrp_vmac_garp_intvl 30\n lvs_flush_onstop\n"
				      " lvs_process_name chk\n checker_rlimit_rtime 77\n}\n"
				      "static_routes {\n 10.0.0.0/8 gw 10.0.0.1 dsfield 8 oif eth1\n}\n", NULL);
	ck_assert_uint_eq(cfg->global.vrrp_garp_extra_if.interval, 30000000);
	ck_assert(!cfg->global.vrrp_garp_extra_if.all);
	ck_assert_int_eq(cfg->global.lvs_flush_on_stop, LVS_FLUSH_STOP_ALL);
	ck_assert_str_eq(cfg->global.checker_process_name, "chk");
	ck_assert_uint_eq(cfg->global.checker_rlimit_rttime, 77);
	const struct route_item *r = (const struct route_item *)cfg->static_routes.first;
	assert_addr(&r->via, "10.0.0.1");
	ck_assert_int_eq(r->tos, 8);
	ck_assert_str_eq(r->dev, "eth1");
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

START_TEST(smtp_server_forms)
{
	struct config *cfg = parse_ok("global_defs {\n smtp_server ::1 26\n umask 0x12\n"
				      " vrrp_rx_bufs_policy mtu\n smtp_alert_vrrp\n}\n", NULL);
	assert_addr(&cfg->global.smtp_server.addr, "::1");
	ck_assert_uint_eq(cfg->global.smtp_server.port, 26);
	ck_assert_uint_eq(cfg->global.umask, 022);
	ck_assert_int_eq(cfg->global.vrrp_rx_bufs_policy.policy, RX_BUFS_MTU);
	ck_assert_int_eq(cfg->global.smtp_alert_vrrp, 1);
	ck_assert_int_eq(cfg->global.smtp_alert, TRISTATE_UNSET);
	assert_roundtrip(cfg);
	conf_unref(cfg);
	cfg = parse_ok("global_defs {\n smtp_server 127.0.0.1\n}\n", NULL);
	assert_addr(&cfg->global.smtp_server.addr, "127.0.0.1");
	ck_assert_uint_eq(cfg->global.smtp_server.port, 25);
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

START_TEST(lvs_sync_daemon_without_inst_keyword)
{
	struct config *cfg = parse_ok("global_defs {\n lvs_sync_daemon eth0 VI_1 id 3\n}\n" VI_1, NULL);
	ck_assert_str_eq(cfg->global.lvs_sync_daemon.instance, "VI_1");
	ck_assert_int_eq(cfg->global.lvs_sync_daemon.syncid, 3);
	ck_assert_uint_eq(cfg->global.lvs_sync_daemon.port, 8848);
	assert_roundtrip(cfg);
	conf_unref(cfg);
}
END_TEST

static Suite *global_suite(void)
{
	Suite *s = suite_create("conf_global");
	TCase *tc = tcase_create("global");
	tcase_add_test(tc, empty_config_has_keepalived_defaults);
	tcase_add_test(tc, every_global_keyword);
	tcase_add_test(tc, dump_is_canonical);
	tcase_add_test(tc, global_range_errors);
	tcase_add_test(tc, zero_garp_intervals_keep_the_default);
	tcase_add_test(tc, enable_script_security_ignores_its_argument);
	tcase_add_test(tc, bad_smtp_server_is_ignored_with_a_warning);
	tcase_add_test(tc, global_bad_words);
	tcase_add_test(tc, track_file_errors);
	tcase_add_test(tc, duplicate_names);
	tcase_add_test(tc, unknown_references);
	tcase_add_test(tc, warnings);
	tcase_add_test(tc, quiet_lines_have_no_warnings);
	tcase_add_test(tc, deprecated_aliases_set_the_same_field);
	tcase_add_test(tc, smtp_server_forms);
	tcase_add_test(tc, lvs_sync_daemon_without_inst_keyword);
	suite_add_tcase(s, tc);
	TCase *ip = tcase_create("ip");
	tcase_add_test(ip, static_addresses);
	tcase_add_test(ip, static_routes);
	tcase_add_test(ip, static_rules);
	tcase_add_test(ip, virtual_lines_share_the_syntax);
	tcase_add_test(ip, route_and_rule_dump_is_canonical);
	tcase_add_test(ip, equality_sees_changes);
	tcase_add_test(ip, address_line_errors);
	tcase_add_test(ip, route_line_errors);
	tcase_add_test(ip, rule_line_errors);
	tcase_add_test(ip, bad_address_drops_route_or_rule_with_warning);
	suite_add_tcase(s, ip);
	return s;
}

int main(void)
{
	return run_suite(global_suite());
}
