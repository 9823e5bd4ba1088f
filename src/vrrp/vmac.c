/* vmac.c - the virtual MAC's macvlan interface over rtnetlink (libnl-route); see vmac.h. */
#include "vmac.h"

#include <errno.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/route/link/inet6.h>
#include <netlink/route/link/ipvlan.h>
#include <netlink/route/link/macvlan.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

void vmac_address(const struct vmac *cfg, int vrid, int family, uint8_t mac[6])
{
	static const uint8_t rfc5798[5] = { 0x00, 0x00, 0x5e, 0x00, 0x01 };
	memcpy(mac, rfc5798, sizeof(rfc5798));
	if (family == AF_INET6)
		mac[4] = 0x02;
	if (cfg->mac_len >= 5)
		memcpy(mac, cfg->mac, cfg->mac_len);
	if (cfg->mac_len < 6)
		mac[5] = (uint8_t)vrid;
}

bool vmac_name(char *buf, size_t len, const struct vmac *cfg, const char *prefix, int vrid)
{
	int n = cfg->ifname ? snprintf(buf, len, "%s", cfg->ifname)
			    : snprintf(buf, len, "%s.%d", prefix ? prefix : "vrrp", vrid);
	return n > 0 && (size_t)n < len && (size_t)n < IFNAMSIZ;
}

/* libnl codes are positive NLE_*; errno values from here are negated
 * and offset so vmac_strerror can tell them apart. */
#define ERRNO_BASE 100000

const char *vmac_strerror(int err)
{
	if (err <= -ERRNO_BASE)
		return strerror(-err - ERRNO_BASE);
	return nl_geterror(err);
}

static bool same_mac(struct rtnl_link *l, const uint8_t mac[6])
{
	struct nl_addr *a = rtnl_link_get_addr(l);
	return a && nl_addr_get_len(a) == 6 && memcmp(nl_addr_get_binary_addr(a), mac, 6) == 0;
}

static int link_index(struct nl_sock *sk, const char *name, int *ifindex)
{
	struct rtnl_link *l = NULL;
	int err = rtnl_link_get_kernel(sk, 0, name, &l);
	if (err < 0)
		return err;
	*ifindex = rtnl_link_get_ifindex(l);
	rtnl_link_put(l);
	return 0;
}

int vmac_create(struct nl_sock *sk, const char *name, int base_ifindex, const uint8_t mac[6],
		int *ifindex, bool *adopted)
{
	struct rtnl_link *old = NULL;
	*adopted = false;
	if (rtnl_link_get_kernel(sk, 0, name, &old) >= 0) {
		/* Never take over or delete an interface vigil did not make:
		 * only a macvlan can be a vmac left behind. */
		if (!rtnl_link_is_macvlan(old)) {
			rtnl_link_put(old);
			return -ERRNO_BASE - EEXIST;
		}
		if (rtnl_link_get_link(old) == base_ifindex && same_mac(old, mac) &&
		    rtnl_link_macvlan_get_mode(old) == MACVLAN_MODE_BRIDGE) {
			*ifindex = rtnl_link_get_ifindex(old);
			*adopted = true;
			rtnl_link_put(old);
			return 0;
		}
		int err = rtnl_link_delete(sk, old);
		rtnl_link_put(old);
		if (err < 0)
			return err;
	}
	struct rtnl_link *l = rtnl_link_macvlan_alloc();
	struct nl_addr *a = nl_addr_build(AF_LLC, mac, 6);
	int err = -NLE_NOMEM;
	if (l && a) {
		rtnl_link_set_name(l, name);
		rtnl_link_set_link(l, base_ifindex);
		rtnl_link_set_addr(l, a);
		/* Bridge, not keepalived's private: see vmac.h. */
		rtnl_link_macvlan_set_mode(l, MACVLAN_MODE_BRIDGE);
		err = rtnl_link_add(sk, l, NLM_F_CREATE | NLM_F_EXCL);
	}
	nl_addr_put(a);
	rtnl_link_put(l);
	if (err < 0)
		return err;
	return link_index(sk, name, ifindex);
}

/* The ipvlan flags (private, vepa) are not settable through libnl 3.7's
 * ipvlan API: the request is built here. */
static int add_ipvlan(struct nl_sock *sk, const char *name, int base_ifindex, int flags)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	if (!msg)
		return -NLE_NOMEM;
	struct nlattr *info, *data;
	if (nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    nla_put_string(msg, IFLA_IFNAME, name) < 0 ||
	    nla_put_u32(msg, IFLA_LINK, (uint32_t)base_ifindex) < 0 ||
	    !(info = nla_nest_start(msg, IFLA_LINKINFO)) ||
	    nla_put_string(msg, IFLA_INFO_KIND, "ipvlan") < 0 ||
	    !(data = nla_nest_start(msg, IFLA_INFO_DATA)) ||
	    nla_put_u16(msg, IFLA_IPVLAN_MODE, IPVLAN_MODE_L2) < 0 ||
	    nla_put_u16(msg, IFLA_IPVLAN_FLAGS, (uint16_t)flags) < 0) {
		nlmsg_free(msg);
		return -NLE_NOMEM;
	}
	nla_nest_end(msg, data);
	nla_nest_end(msg, info);
	return nl_send_sync(sk, msg);   /* frees msg */
}

int vmac_create_ipvlan(struct nl_sock *sk, const char *name, int base_ifindex, int flags,
		       int *ifindex, bool *adopted)
{
	struct rtnl_link *old = NULL;
	*adopted = false;
	if (rtnl_link_get_kernel(sk, 0, name, &old) >= 0) {
		bool ours = rtnl_link_is_ipvlan(old);
		bool same = ours && rtnl_link_get_link(old) == base_ifindex;
		if (same)
			*ifindex = rtnl_link_get_ifindex(old);
		int err = ours && !same ? rtnl_link_delete(sk, old) : 0;
		rtnl_link_put(old);
		if (!ours)
			return -ERRNO_BASE - EEXIST;
		if (same) {
			*adopted = true;
			return 0;
		}
		if (err < 0)
			return err;
	}
	int err = add_ipvlan(sk, name, base_ifindex, flags);
	if (err < 0)
		return err;
	return link_index(sk, name, ifindex);
}

/* Apply change to ifindex. */
static int change(struct nl_sock *sk, int ifindex, struct rtnl_link *chg)
{
	struct rtnl_link *l = rtnl_link_alloc();
	if (!l)
		return -NLE_NOMEM;
	rtnl_link_set_ifindex(l, ifindex);
	int err = rtnl_link_change(sk, l, chg, 0);
	rtnl_link_put(l);
	return err;
}

int vmac_no_addr_gen(struct nl_sock *sk, int ifindex)
{
	struct rtnl_link *chg = rtnl_link_alloc();
	if (!chg)
		return -NLE_NOMEM;
	int err = rtnl_link_inet6_set_addr_gen_mode(chg, IN6_ADDR_GEN_MODE_NONE);
	if (err >= 0)
		err = change(sk, ifindex, chg);
	rtnl_link_put(chg);
	return err;
}

int vmac_set_up(struct nl_sock *sk, int ifindex, bool up)
{
	struct rtnl_link *chg = rtnl_link_alloc();
	if (!chg)
		return -NLE_NOMEM;
	if (up)
		rtnl_link_set_flags(chg, IFF_UP);
	else
		rtnl_link_unset_flags(chg, IFF_UP);
	int err = change(sk, ifindex, chg);
	rtnl_link_put(chg);
	return err;
}

int vmac_delete(struct nl_sock *sk, int ifindex)
{
	struct rtnl_link *l = rtnl_link_alloc();
	if (!l)
		return -NLE_NOMEM;
	rtnl_link_set_ifindex(l, ifindex);
	int err = rtnl_link_delete(sk, l);
	rtnl_link_put(l);
	return err == -NLE_NODEV || err == -NLE_OBJ_NOTFOUND ? 0 : err;
}
