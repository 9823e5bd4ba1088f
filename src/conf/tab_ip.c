/* tab_ip.c - address, route and rule lines. (placeholder being filled) */
#include "tab.h"

static bool ip_parse(struct pctx *p, void *item, const struct stmt *s)
{
	struct ipaddr_item *it = item;
	return parse_addr_word(p, s->kw, true, &it->addr);
}

static void ip_dump(struct out *o, const void *item)
{
	char buf[VADDR_STRLEN];
	out_printf(o, "%s", vaddr_format(&((const struct ipaddr_item *)item)->addr, buf, sizeof(buf)));
}

static bool ip_eq(const void *a, const void *b)
{
	return vaddr_equal(&((const struct ipaddr_item *)a)->addr, &((const struct ipaddr_item *)b)->addr);
}

struct block_desc desc_ipaddress_item = { .name = "address", .size = sizeof(struct ipaddr_item),
	.parse_item = ip_parse, .dump_item = ip_dump, .item_eq = ip_eq };
struct block_desc desc_route_item = { .name = "route", .size = sizeof(struct ipaddr_item),
	.parse_item = ip_parse, .dump_item = ip_dump, .item_eq = ip_eq };
struct block_desc desc_rule_item = { .name = "rule", .size = sizeof(struct ipaddr_item),
	.parse_item = ip_parse, .dump_item = ip_dump, .item_eq = ip_eq };
