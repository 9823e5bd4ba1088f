/* vroute.c - virtual routes over rtnetlink; see vroute.h. */
#include "vroute.h"

#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/route.h>
#include <stdio.h>
#include <string.h>

static struct nl_addr *to_nl(const struct vaddr *a)
{
	struct nl_addr *n = nl_addr_build(a->family, a->u.bytes, a->family == AF_INET ? 4 : 16);
	if (n)
		nl_addr_set_prefixlen(n, a->has_prefix ? a->prefix : (a->family == AF_INET ? 32 : 128));
	return n;
}

static int ifindex_of(const char *dev, int dflt)
{
	return dev ? (int)if_nametoindex(dev) : dflt;
}

static int add_nexthop(struct rtnl_route *rt, const struct vaddr *via, int ifindex,
		       int weight, bool onlink)
{
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	if (!nh)
		return -NLE_NOMEM;
	if (ifindex > 0)
		rtnl_route_nh_set_ifindex(nh, ifindex);
	if (vaddr_is_set(via)) {
		struct vaddr plain = *via;
		plain.has_prefix = false;
		struct nl_addr *gw = to_nl(&plain);
		if (!gw) {
			rtnl_route_nh_free(nh);
			return -NLE_NOMEM;
		}
		rtnl_route_nh_set_gateway(nh, gw);
		nl_addr_put(gw);
	}
	if (weight > 0)
		rtnl_route_nh_set_weight(nh, (uint8_t)(weight - 1));
	if (onlink)
		rtnl_route_nh_set_flags(nh, RTNH_F_ONLINK);
	rtnl_route_add_nexthop(rt, nh);
	return 0;
}

static struct rtnl_route *build(const struct route_item *r, int default_ifindex, int *err)
{
	struct rtnl_route *rt = rtnl_route_alloc();
	struct nl_addr *dst = to_nl(&r->dst);
	*err = -NLE_NOMEM;
	if (!rt || !dst)
		goto fail;
	rtnl_route_set_family(rt, r->dst.family);
	if ((*err = rtnl_route_set_dst(rt, dst)) < 0)
		goto fail;
	if (vaddr_is_set(&r->src)) {
		struct nl_addr *src = to_nl(&r->src);
		if (src) {
			rtnl_route_set_pref_src(rt, src);
			nl_addr_put(src);
		}
	}
	rtnl_route_set_type(rt, (uint8_t)r->type);
	rtnl_route_set_table(rt, r->table.set && !r->table.name ? r->table.num : RT_TABLE_MAIN);
	rtnl_route_set_protocol(rt, r->protocol.set && !r->protocol.name ? (uint8_t)r->protocol.num
									  : RTPROT_BOOT);
	if (r->metric >= 0)
		rtnl_route_set_priority(rt, (uint32_t)r->metric);
	if (r->scope >= 0)
		rtnl_route_set_scope(rt, (uint8_t)r->scope);
	if (r->tos)
		rtnl_route_set_tos(rt, (uint8_t)r->tos);
	if (r->mtu.set)
		rtnl_route_set_metric(rt, RTAX_MTU, r->mtu.value);
	if (r->type == RT_TYPE_UNICAST || r->type == RT_TYPE_LOCAL) {
		if (r->nexthops.n) {
			for (const struct node *n = r->nexthops.first; n; n = n->next) {
				const struct rt_nexthop *h = (const struct rt_nexthop *)n;
				if ((*err = add_nexthop(rt, &h->via, ifindex_of(h->dev, default_ifindex),
							h->weight, h->onlink)) < 0)
					goto fail;
			}
		} else if ((*err = add_nexthop(rt, &r->via, ifindex_of(r->dev, default_ifindex),
					       0, r->onlink)) < 0) {
			goto fail;
		}
	}
	nl_addr_put(dst);
	return rt;
fail:
	nl_addr_put(dst);
	rtnl_route_put(rt);
	return NULL;
}

int vroute_add(struct nl_sock *sk, const struct route_item *r, int default_ifindex)
{
	int err;
	struct rtnl_route *rt = build(r, default_ifindex, &err);
	if (!rt)
		return err;
	err = rtnl_route_add(sk, rt, r->append ? NLM_F_APPEND : NLM_F_REPLACE);
	rtnl_route_put(rt);
	return err;
}

int vroute_del(struct nl_sock *sk, const struct route_item *r, int default_ifindex)
{
	int err;
	struct rtnl_route *rt = build(r, default_ifindex, &err);
	if (!rt)
		return err;
	err = rtnl_route_delete(sk, rt, 0);
	rtnl_route_put(rt);
	/* Already gone (its interface went down, or someone removed it). */
	return err == -NLE_OBJ_NOTFOUND || err == -NLE_NOADDR ? 0 : err;
}

const char *vroute_unsupported(const struct route_item *r, char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = '\0';
#define UNSUP(cond, name) \
	if ((cond) && o < len) \
		o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? ", " : "", name)
	UNSUP(r->encap.type != RT_ENCAP_NONE, "encap");
	UNSUP(r->congctl.name, "congctl");
	UNSUP(r->hoplimit.set || r->advmss.set || r->rtt.set || r->rttvar.set ||
	      r->reordering.set || r->window.set || r->cwnd.set || r->ssthresh.set ||
	      r->rto_min.set || r->initcwnd.set || r->initrwnd.set, "metrics other than mtu");
	UNSUP(r->features_ecn || r->quickack >= 0 || r->fastopen_no_cookie >= 0, "features");
	UNSUP(r->realms.to.set, "realms");
	UNSUP(r->pref >= 0 || r->expires >= 0 || r->ttl_propagate >= 0, "pref/expires/ttl-propagate");
	UNSUP(r->vrf, "vrf");
	UNSUP(vaddr_is_set(&r->or_via), "or");
	UNSUP((r->table.set && r->table.name) || (r->protocol.set && r->protocol.name),
	      "table/protocol names (use numbers)");
#undef UNSUP
	return o ? buf : NULL;
}
