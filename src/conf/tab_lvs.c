/* tab_lvs.c - LVS blocks. (placeholder being filled) */
#include "tab.h"

static const struct kw empty_kws[] = { KW_END };
struct block_desc desc_vs_group = { .name = "virtual_server_group", .size = sizeof(struct vs_group), .kws = empty_kws,
	.head = head_name, .dump_head = dump_head_name, .head_eq = head_eq_name };
struct block_desc desc_virtual_server = { .name = "virtual_server", .size = sizeof(struct virtual_server), .kws = empty_kws };
void lvs_resolve(struct pctx *p, struct config *cfg) { (void)p; (void)cfg; }
