/* tab_root.c - the top level of a configuration file: which blocks may
 * stand there, plus the few settings keepalived keeps outside global_defs. */
#include <string.h>

#include "tab.h"
#include "why.h"

#define R struct config

/* "net_namespace_ipvs [NAME]": without NAME, IPVS goes to the default
 * namespace; that is stored as "" so that NULL can still mean "not given". */
static bool opt_name_parse(struct pctx *p, const struct kw *k, const struct stmt *s, void *f)
{
	(void)k;
	if (!stmt_nargs(p, s, 0, 1))
		return false;
	*(char **)f = p_strdup(p, s->nargs ? s->args[0].text : "");
	return true;
}

static void opt_name_dump(struct out *o, const struct kw *k, const void *f)
{
	(void)k;
	const char *v = *(char *const *)f;
	if (v && *v)
		out_word(o, v);
}

static bool opt_name_eq(const struct kw *k, const void *a, const void *b)
{
	(void)k;
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	return x == y || (x && y && strcmp(x, y) == 0);
}

static const struct vtype vt_opt_name = { "[NAME]", -1, opt_name_parse, opt_name_dump, opt_name_eq, VT_VALUE };

static void root_init(void *obj)
{
	R *c = obj;
	c->child_wait_time = SEC(5);
}

static const struct kw root_kws[] = {
	KW_STR("net_namespace", R, net_namespace, ACTS),
	KW_TYPE("net_namespace_ipvs", vt_opt_name, R, net_namespace_ipvs, ACTS),
	KW_FLAG("namespace_with_ipsets", R, namespace_with_ipsets, NO_EFFECT(WHY_FIREWALL)),
	KW_STR("instance", R, instance_name, ACTS),
	KW_FLAG("use_pid_dir", R, use_pid_dir,
	  NO_EFFECT("vigil names its pid files from its command-line options")),
	KW_FLAG("linkbeat_use_polling", R, linkbeat_use_polling, NO_EFFECT(WHY_LINKBEAT)),
	{ "child_wait_time", &vt_seconds, KW_FIELD(R, child_wait_time), 0, SEC(4294967295LL),
	  NULL, 0, NULL, ACTS },

	KW_BLOCK("global_defs", R, global, desc_global_defs, ACTS),
	KW_BLOCK("SSL", R, ssl, desc_ssl, ACTS),
	KW_ITEMS("linkbeat_interfaces", R, linkbeat_interfaces, desc_linkbeat_if_item,
	  NO_EFFECT(WHY_LINKBEAT)),
	KW_ITEMS("interface_up_down_delays", R, global.if_up_down_delays, desc_if_delay_item,
	  NO_EFFECT("vigil acts on a link change at once")),
	KW_LIST("track_group", R, track_groups, desc_track_group, NO_EFFECT(WHY_TRACK_GROUP)),
	KW_ITEMS("static_ipaddress", R, static_addresses, desc_ipaddress_item, ACTS),
	KW_ITEMS("static_routes", R, static_routes, desc_route_item, ACTS),
	KW_ITEMS("static_rules", R, static_rules, desc_rule_item, ACTS),
	KW_LIST("track_file", R, track_files, desc_track_file, ACTS),
	/* keepalived's older name for track_file; same block. */
	{ "vrrp_track_file", &vt_list, KW_FIELD(R, track_files), 0, 0, &desc_track_file,
	  KW_ALIAS | KW_REPEAT, NULL, ACTS },

	KW_LIST("vrrp_script", R, vrrp_scripts, desc_vrrp_script, ACTS),
	KW_LIST("vrrp_track_process", R, vrrp_track_processes, desc_track_process, ACTS),
	KW_LIST("bfd_instance", R, bfd_instances, desc_bfd_instance, NO_EFFECT(WHY_BFD)),
	KW_LIST("vrrp_sync_group", R, vrrp_sync_groups, desc_vrrp_sync_group, ACTS),
	KW_LIST("garp_group", R, garp_groups, desc_garp_group, ACTS),
	KW_LIST("vrrp_instance", R, vrrp_instances, desc_vrrp_instance, ACTS),

	KW_LIST("virtual_server_group", R, vs_groups, desc_vs_group, ACTS),
	KW_LIST("virtual_server", R, virtual_servers, desc_virtual_server, ACTS),
	KW_END
};

struct block_desc desc_root = {
	.name = "the top level",
	.size = sizeof(R),
	.init = root_init,
	.kws = root_kws,
};
