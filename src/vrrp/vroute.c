/* vroute.c - virtual routes over rtnetlink; see vroute.h. */
#include "vroute.h"
#include "vrule.h"

#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/link/vrf.h>
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
		       int weight, bool onlink, uint32_t realms)
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
	if (realms)
		rtnl_route_nh_set_realms(nh, realms);
	rtnl_route_add_nexthop(rt, nh);
	return 0;
}

/* Route metrics as ip(8) sends them, in one RTA_METRICS nest written
 * here rather than by libnl (whose metrics are numbers only, and the
 * congestion control algorithm is a string): rtt in 1/8 ms, rttvar in
 * 1/4 ms, the rest as written; "lock" sets the metric's bit in
 * RTAX_LOCK. Only in an add: the kernel matches a delete without them. */
static int put_metrics(struct nl_msg *m, const struct route_item *r)
{
	const struct { const struct rt_metric *m; int rtax; uint32_t scale; } tab[] = {
		{ &r->mtu, RTAX_MTU, 1 }, { &r->hoplimit, RTAX_HOPLIMIT, 1 },
		{ &r->advmss, RTAX_ADVMSS, 1 }, { &r->rtt, RTAX_RTT, 8 },
		{ &r->rttvar, RTAX_RTTVAR, 4 }, { &r->reordering, RTAX_REORDERING, 1 },
		{ &r->window, RTAX_WINDOW, 1 }, { &r->cwnd, RTAX_CWND, 1 },
		{ &r->ssthresh, RTAX_SSTHRESH, 1 }, { &r->rto_min, RTAX_RTO_MIN, 1 },
		{ &r->initcwnd, RTAX_INITCWND, 1 }, { &r->initrwnd, RTAX_INITRWND, 1 },
	};
	uint32_t lock = 0;
	bool any = r->features_ecn || r->quickack >= 0 || r->fastopen_no_cookie >= 0 ||
		   r->congctl.name;
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		any = any || tab[i].m->set;
	if (!any)
		return 0;
	struct nlattr *nest = nla_nest_start(m, RTA_METRICS);
	if (!nest)
		return -NLE_NOMEM;
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (!tab[i].m->set)
			continue;
		if (nla_put_u32(m, tab[i].rtax, tab[i].m->value * tab[i].scale) < 0)
			return -NLE_NOMEM;
		if (tab[i].m->lock)
			lock |= 1u << tab[i].rtax;
	}
	if (r->features_ecn && nla_put_u32(m, RTAX_FEATURES, RTAX_FEATURE_ECN) < 0)
		return -NLE_NOMEM;
	if (r->quickack >= 0 && nla_put_u32(m, RTAX_QUICKACK, (uint32_t)r->quickack) < 0)
		return -NLE_NOMEM;
	if (r->fastopen_no_cookie >= 0 &&
	    nla_put_u32(m, RTAX_FASTOPEN_NO_COOKIE, (uint32_t)r->fastopen_no_cookie) < 0)
		return -NLE_NOMEM;
	if (r->congctl.name) {
		if (nla_put_string(m, RTAX_CC_ALGO, r->congctl.name) < 0)
			return -NLE_NOMEM;
		if (r->congctl.lock)
			lock |= 1u << RTAX_CC_ALGO;
	}
	if (lock && nla_put_u32(m, RTAX_LOCK, lock) < 0)
		return -NLE_NOMEM;
	nla_nest_end(m, nest);
	return 0;
}

/* "realms [FROM/]TO" as the kernel packs it; 0 when not given. */
static bool realms_of(const struct rt_realms *rl, uint32_t *out)
{
	uint32_t from = 0, to = 0;
	*out = 0;
	if (!rl->to.set)
		return true;
	if ((rl->from.set && !rtid_resolve(&rl->from, RTID_REALM, &from)) ||
	    !rtid_resolve(&rl->to, RTID_REALM, &to))
		return false;
	*out = (from << 16) | (to & 0xffff);
	return true;
}

/* "vrf NAME": the table of that VRF device, as ip(8) resolves it. */
static int vrf_table(struct nl_sock *sk, const char *name, uint32_t *table)
{
	struct rtnl_link *link = NULL;
	int err = rtnl_link_get_kernel(sk, 0, name, &link);
	if (err < 0)
		return err;
	err = rtnl_link_is_vrf(link) ? rtnl_link_vrf_get_tableid(link, table) : -NLE_INVAL;
	rtnl_link_put(link);
	return err;
}

static struct rtnl_route *build(struct nl_sock *sk, const struct route_item *r,
				int default_ifindex, int *err)
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
	uint32_t table = RT_TABLE_MAIN, proto = RTPROT_BOOT;
	/* A name iproute2's files do not list: the route is not installed
	 * (in another table than the one meant, it would do harm). */
	*err = -NLE_INVAL;
	if ((r->table.set && !rtid_resolve(&r->table, RTID_TABLE, &table)) ||
	    (r->protocol.set && !rtid_resolve(&r->protocol, RTID_PROTO, &proto)))
		goto fail;
	if (r->vrf && (*err = vrf_table(sk, r->vrf, &table)) < 0)
		goto fail;
	rtnl_route_set_table(rt, table);
	rtnl_route_set_protocol(rt, (uint8_t)proto);
	uint32_t realms;
	if (!realms_of(&r->realms, &realms))
		goto fail;
	if (r->metric >= 0)
		rtnl_route_set_priority(rt, (uint32_t)r->metric);
	if (r->scope >= 0)
		rtnl_route_set_scope(rt, (uint8_t)r->scope);
	if (r->tos)
		rtnl_route_set_tos(rt, (uint8_t)r->tos);
	if (r->type == RT_TYPE_UNICAST || r->type == RT_TYPE_LOCAL) {
		if (r->nexthops.n) {
			for (const struct node *n = r->nexthops.first; n; n = n->next) {
				const struct rt_nexthop *h = (const struct rt_nexthop *)n;
				uint32_t nh_realms;
				*err = -NLE_INVAL;
				if (!realms_of(&h->realms, &nh_realms))
					goto fail;
				if ((*err = add_nexthop(rt, &h->via, ifindex_of(h->dev, default_ifindex),
							h->weight, h->onlink, nh_realms)) < 0)
					goto fail;
			}
		} else {
			int ifindex = ifindex_of(r->dev, default_ifindex);
			if ((*err = add_nexthop(rt, &r->via, ifindex, 0, r->onlink, realms)) < 0)
				goto fail;
			/* "or ADDR" (keepalived's older spelling): a second path. */
			if (vaddr_is_set(&r->or_via) &&
			    (*err = add_nexthop(rt, &r->or_via, ifindex, 0, r->onlink, realms)) < 0)
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

/* Attributes rtnl_route has no setter for, appended to its message:
 * the metrics (above), RTA_PREF (IPv6 router preference), RTA_EXPIRES (IPv6, seconds) and
 * RTA_TTL_PROPAGATE (MPLS). */
static int put_extra(struct nl_msg *m, const struct route_item *r)
{
	int err = put_metrics(m, r);
	if (err < 0)
		return err;
	if (r->pref >= 0 && nla_put_u8(m, RTA_PREF, (uint8_t)r->pref) < 0)
		return -NLE_NOMEM;
	if (r->expires >= 0 && nla_put_u32(m, RTA_EXPIRES, (uint32_t)r->expires) < 0)
		return -NLE_NOMEM;
	if (r->ttl_propagate >= 0 &&
	    nla_put_u8(m, RTA_TTL_PROPAGATE, (uint8_t)r->ttl_propagate) < 0)
		return -NLE_NOMEM;
	return 0;
}

static int send_route(struct nl_sock *sk, const struct route_item *r, int default_ifindex,
		      bool add)
{
	int err;
	struct nl_msg *m = NULL;
	struct rtnl_route *rt = build(sk, r, default_ifindex, &err);
	if (!rt)
		return err;
	err = add ? rtnl_route_build_add_request(rt, r->append ? NLM_F_APPEND : NLM_F_REPLACE, &m)
		  : rtnl_route_build_del_request(rt, 0, &m);
	rtnl_route_put(rt);
	if (err < 0)
		return err;
	if (add && (err = put_extra(m, r)) < 0) {
		nlmsg_free(m);
		return err;
	}
	/* nl_send_sync frees m and waits for the kernel's answer. */
	return nl_send_sync(sk, m);
}

int vroute_add(struct nl_sock *sk, const struct route_item *r, int default_ifindex)
{
	return send_route(sk, r, default_ifindex, true);
}

int vroute_del(struct nl_sock *sk, const struct route_item *r, int default_ifindex)
{
	int err = send_route(sk, r, default_ifindex, false);
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
#undef UNSUP
	return o ? buf : NULL;
}
