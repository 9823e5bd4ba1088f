/* tab_global.c - global_defs and friends. (placeholder being filled) */
#include "tab.h"

static const struct kw global_kws[] = {
	KW_STR("router_id", struct global_defs, router_id),
	KW_END
};
struct block_desc desc_global_defs = { .name = "global_defs", .size = sizeof(struct global_defs), .kws = global_kws };

static const struct kw ssl_kws[] = { KW_STR("password", struct ssl_conf, password), KW_END };
struct block_desc desc_ssl = { .name = "SSL", .size = sizeof(struct ssl_conf), .kws = ssl_kws };

static bool lb_parse(struct pctx *p, void *item, const struct stmt *s)
{
	((struct linkbeat_if *)item)->ifname = p_strdup(p, s->kw->text);
	return true;
}
static void lb_dump(struct out *o, const void *item) { out_printf(o, "%s", ((const struct linkbeat_if *)item)->ifname); }
static bool lb_eq(const void *a, const void *b) { (void)a; (void)b; return true; }
struct block_desc desc_linkbeat_if_item = { .name = "linkbeat_interfaces", .size = sizeof(struct linkbeat_if),
	.parse_item = lb_parse, .dump_item = lb_dump, .item_eq = lb_eq };

static const struct kw empty_kws[] = { KW_END };
struct block_desc desc_track_group = { .name = "track_group", .size = sizeof(struct track_group), .kws = empty_kws,
	.head = head_name, .dump_head = dump_head_name, .head_eq = head_eq_name };
static const struct kw tf_kws[] = { KW_STR("file", struct track_file, file), KW_END };
struct block_desc desc_track_file = { .name = "track_file", .size = sizeof(struct track_file), .kws = tf_kws,
	.head = head_name, .dump_head = dump_head_name, .head_eq = head_eq_name };

void global_resolve(struct pctx *p, struct config *cfg) { (void)p; (void)cfg; }
