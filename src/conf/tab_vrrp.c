/* tab_vrrp.c - VRRP blocks. (placeholder being filled; vrrp_script is the
 * worked example) */
#include "tab.h"

#define S struct vrrp_script

static void script_init(void *obj)
{
	S *s = obj;
	s->interval = SEC(1);
	s->rise = 1;
	s->fall = 1;
}

static const struct kw script_kws[] = {
	KW_CMD("script", S, script),
	KW_TIMER("interval", S, interval, 1, SEC(86400)),
	KW_TIMER("timeout", S, timeout, 0, SEC(86400)),
	KW_INT("weight", S, weight, -254, 254),
	KW_INT("rise", S, rise, 1, 1000000),
	KW_INT("fall", S, fall, 1, 1000000),
	KW_STR("user", S, user),
	KW_FLAG("init_fail", S, init_fail),
	KW_END
};

struct block_desc desc_vrrp_script = {
	.name = "vrrp_script", .size = sizeof(S), .init = script_init, .kws = script_kws,
	.head = head_name, .dump_head = dump_head_name, .head_eq = head_eq_name,
};

static const struct kw empty_kws[] = { KW_END };
#define NAMED_STUB(var, nm, T) struct block_desc var = { .name = nm, .size = sizeof(T), .kws = empty_kws, \
	.head = head_name, .dump_head = dump_head_name, .head_eq = head_eq_name }
NAMED_STUB(desc_track_process, "vrrp_track_process", struct track_process);
NAMED_STUB(desc_bfd_instance, "bfd_instance", struct bfd_instance);
NAMED_STUB(desc_vrrp_sync_group, "vrrp_sync_group", struct vrrp_sync_group);
NAMED_STUB(desc_vrrp_instance, "vrrp_instance", struct vrrp_instance);
struct block_desc desc_garp_group = { .name = "garp_group", .size = sizeof(struct garp_group), .kws = empty_kws };

void vrrp_resolve(struct pctx *p, struct config *cfg) { (void)p; (void)cfg; }
