/* vip.c - virtual addresses over rtnetlink (libnl-route); see vip.h. */
#include "vip.h"

#include <errno.h>
#include <linux/if_addr.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <string.h>
#include <sys/socket.h>

struct nl_sock *vip_socket_open(int *err)
{
	struct nl_sock *sk = nl_socket_alloc();
	if (!sk) {
		*err = -NLE_NOMEM;
		return NULL;
	}
	*err = nl_connect(sk, NETLINK_ROUTE);
	if (*err < 0) {
		nl_socket_free(sk);
		return NULL;
	}
	return sk;
}

void vip_socket_close(struct nl_sock *sk)
{
	if (sk)
		nl_socket_free(sk);
}

/* "brd -" / "brd +": the address with its host bits cleared / set. */
static struct vaddr broadcast_of(const struct ipaddr_item *it)
{
	struct vaddr b = { 0 };
	if (it->brd.mode == IP_BRD_ADDR)
		return it->brd.addr;
	if (it->brd.mode == IP_BRD_NONE || it->addr.family != AF_INET)
		return b;
	b = it->addr;
	b.has_prefix = false;
	unsigned prefix = it->addr.has_prefix ? it->addr.prefix : 32;
	for (unsigned i = prefix; i < 32; i++) {
		uint8_t bit = (uint8_t)(0x80 >> (i % 8));
		if (it->brd.mode == IP_BRD_SET)
			b.u.bytes[i / 8] |= bit;
		else
			b.u.bytes[i / 8] &= (uint8_t)~bit;
	}
	return b;
}

void vip_spec_from(struct vip_spec *v, const struct ipaddr_item *it, int ifindex)
{
	memset(v, 0, sizeof(*v));
	v->ifindex = ifindex;
	v->addr = it->addr;
	v->peer = it->peer;
	v->brd = broadcast_of(it);
	v->label = it->label;
	v->scope = it->scope;
	v->home = it->home;
	v->nodad = it->nodad;
	v->noprefixroute = it->noprefixroute;
	v->mngtmpaddr = it->mngtmpaddr;
	v->autojoin = it->autojoin;
	v->preferred_lft = it->preferred_lft;
}

static struct nl_addr *to_nl_addr(const struct vaddr *a)
{
	return nl_addr_build(a->family, a->u.bytes, a->family == AF_INET ? 4 : 16);
}

/* The rtnl_addr for v; NULL on allocation failure. */
static struct rtnl_addr *build_addr(const struct vip_spec *v)
{
	struct rtnl_addr *ra = rtnl_addr_alloc();
	struct nl_addr *local = to_nl_addr(&v->addr);
	unsigned default_prefix = v->addr.family == AF_INET ? 32 : 128;

	if (!ra || !local)
		goto fail;
	rtnl_addr_set_ifindex(ra, v->ifindex);
	rtnl_addr_set_family(ra, v->addr.family);
	if (rtnl_addr_set_local(ra, local) < 0)
		goto fail;
	rtnl_addr_set_prefixlen(ra, v->addr.has_prefix ? v->addr.prefix : default_prefix);
	if (vaddr_is_set(&v->peer)) {
		struct nl_addr *peer = to_nl_addr(&v->peer);
		if (!peer || rtnl_addr_set_peer(ra, peer) < 0) {
			nl_addr_put(peer);
			goto fail;
		}
		nl_addr_put(peer);
	}
	if (vaddr_is_set(&v->brd)) {
		struct nl_addr *brd = to_nl_addr(&v->brd);
		if (!brd || rtnl_addr_set_broadcast(ra, brd) < 0) {
			nl_addr_put(brd);
			goto fail;
		}
		nl_addr_put(brd);
	}
	if (v->label)
		rtnl_addr_set_label(ra, v->label);
	if (v->scope >= 0)
		rtnl_addr_set_scope(ra, v->scope);
	unsigned flags = 0;
	if (v->nodad)
		flags |= IFA_F_NODAD;
	if (v->noprefixroute)
		flags |= IFA_F_NOPREFIXROUTE;
	if (v->home)
		flags |= IFA_F_HOMEADDRESS;
	if (v->mngtmpaddr)
		flags |= IFA_F_MANAGETEMPADDR;
	if (v->autojoin)
		flags |= IFA_F_MCAUTOJOIN;
	if (flags)
		rtnl_addr_set_flags(ra, flags);
	if (v->lifetime_s) {
		/* "preferred_lft 0" keeps a VIP from being chosen as a source
		 * address; never beyond the master's lifetime. */
		uint32_t pref = v->lifetime_s;
		if (v->preferred_lft >= 0 && v->preferred_lft < pref)
			pref = (uint32_t)v->preferred_lft;
		rtnl_addr_set_valid_lifetime(ra, v->lifetime_s);
		rtnl_addr_set_preferred_lifetime(ra, pref);
	} else if (v->preferred_lft >= 0) {
		/* "preferred_lft 0" deprecates the address (ip(8)); it stays valid. */
		rtnl_addr_set_valid_lifetime(ra, 0xffffffffU);
		rtnl_addr_set_preferred_lifetime(ra, (uint32_t)v->preferred_lft);
	}
	nl_addr_put(local);
	return ra;
fail:
	nl_addr_put(local);
	rtnl_addr_put(ra);
	return NULL;
}

int vip_add(struct nl_sock *sk, const struct vip_spec *v)
{
	struct rtnl_addr *ra = build_addr(v);
	if (!ra)
		return -NLE_NOMEM;
	int err = rtnl_addr_add(sk, ra, NLM_F_REPLACE);
	rtnl_addr_put(ra);
	return err;
}

int vip_del(struct nl_sock *sk, const struct vip_spec *v)
{
	struct rtnl_addr *ra = build_addr(v);
	if (!ra)
		return -NLE_NOMEM;
	int err = rtnl_addr_delete(sk, ra, 0);
	rtnl_addr_put(ra);
	/* Gone already (deleted by hand, or expired): the goal is reached. */
	if (err == -NLE_NOADDR || err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV)
		return 0;
	return err;
}

const char *vip_strerror(int err)
{
	return nl_geterror(err);
}

uint32_t vip_lifetime_for(uint64_t master_down_interval_us)
{
	uint64_t s = (master_down_interval_us + 999999) / 1000000;
	return (uint32_t)(s < 1 ? 1 : s);
}
