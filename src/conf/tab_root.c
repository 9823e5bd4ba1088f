/* tab_root.c - the top level of a configuration file: which blocks may
 * stand there, plus the few settings keepalived keeps outside global_defs. */
#include "tab.h"

#define R struct config

static void root_init(void *obj)
{
	R *c = obj;
	c->child_wait_time = SEC(5);
}

static const struct kw root_kws[] = {
	KW_STR("net_namespace", R, net_namespace),
	KW_STR("net_namespace_ipvs", R, net_namespace_ipvs),
	KW_FLAG("namespace_with_ipsets", R, namespace_with_ipsets),
	KW_STR("instance", R, instance_name),
	KW_FLAG("use_pid_dir", R, use_pid_dir),
	KW_FLAG("linkbeat_use_polling", R, linkbeat_use_polling),
	KW_TIMER("child_wait_time", R, child_wait_time, 0, SEC(3600)),

	KW_BLOCK("global_defs", R, global, desc_global_defs),
	KW_BLOCK("SSL", R, ssl, desc_ssl),
	KW_ITEMS("linkbeat_interfaces", R, linkbeat_interfaces, desc_linkbeat_if_item),
	KW_LIST("track_group", R, track_groups, desc_track_group),
	KW_ITEMS("static_ipaddress", R, static_addresses, desc_ipaddress_item),
	KW_ITEMS("static_routes", R, static_routes, desc_route_item),
	KW_ITEMS("static_rules", R, static_rules, desc_rule_item),
	KW_LIST("track_file", R, track_files, desc_track_file),
	/* keepalived's older name for track_file; same block. */
	{ "vrrp_track_file", &vt_list, KW_FIELD(R, track_files), 0, 0, &desc_track_file,
	  KW_ALIAS | KW_REPEAT, NULL },

	KW_LIST("vrrp_script", R, vrrp_scripts, desc_vrrp_script),
	KW_LIST("vrrp_track_process", R, vrrp_track_processes, desc_track_process),
	KW_LIST("bfd_instance", R, bfd_instances, desc_bfd_instance),
	KW_LIST("vrrp_sync_group", R, vrrp_sync_groups, desc_vrrp_sync_group),
	KW_LIST("garp_group", R, garp_groups, desc_garp_group),
	KW_LIST("vrrp_instance", R, vrrp_instances, desc_vrrp_instance),

	KW_LIST("virtual_server_group", R, vs_groups, desc_vs_group),
	KW_LIST("virtual_server", R, virtual_servers, desc_virtual_server),
	KW_END
};

struct block_desc desc_root = {
	.name = "the top level",
	.size = sizeof(R),
	.init = root_init,
	.kws = root_kws,
};
