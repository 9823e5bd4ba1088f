/* vmacrt.c - use_vmac for one running instance: its macvlan (vmac.h), the
 * kernel settings that make the virtual MAC the only one a client ever
 * learns for a VIP, and adverts sent from it.
 *
 * The settings, set through ifsysctl (the operator's values come back at
 * stop), for an IPv4 instance as keepalived sets them:
 *   vmac: arp_ignore=1 (answer ARP only for its own addresses: the VIPs),
 *         accept_local=1, rp_filter=0 (traffic to a VIP arrives on the
 *         vmac while the route back to the sender is the base's),
 *         promote_secondaries=1, IPv6 off (disable_ipv6=1: a backup's
 *         vmac must send nothing, not even IPv6 router solicitations or
 *         MLD reports, with the virtual MAC the master uses; kept on
 *         when IPv6 virtual_ipaddress_excluded go on the vmac);
 *   base: arp_ignore=1 and arp_filter=1 (the base never answers for a
 *         VIP, which lives on the vmac);
 *   all.rp_filter=0 when it is not (the kernel uses the larger of "all"
 *         and the interface's value), after raising default and every
 *         interface below it to its value, so nothing else changes.
 * Adverts go out from the vmac on a send-only socket (their source MAC is
 * the virtual one, so switches learn where the master is), unless
 * vmac_xmit_base sends them from the base with its own MAC; they are
 * received on the base interface, whose socket holds the multicast
 * membership: the vmac joins no group, so a backup's vmac sends no IGMP
 * report (which would carry the virtual MAC and draw the clients'
 * traffic to the backup until the master's next advert).
 * use_ipvlan (setup_ipvlan) puts the VIPs on an ipvlan instead: no MAC
 * of its own, no settings changed.
 * And one keepalived does not set: arp_announce=2 on the base. Without
 * it the base resolves a client's address (to answer a ping to the VIP)
 * with an ARP request whose sender address is the VIP and sender MAC the
 * base's: the client's entry for the VIP turns to the real MAC, and the
 * next failover needs new ARPs (keepalived 2.2.7 does this; issue 10).
 * An IPv6 instance gets no address generated on the vmac (RFC 5798 7.4)
 * and the base's link-local address, the advert source, on it while it
 * is master (vrrp_vmac_master).
 */
#include <dirent.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "vmac.h"
#include "vrrp.h"

_Static_assert(sizeof(((struct vrrp_rt *)0)->vmac.ifname) == IFNAMSIZ, "vmac name size");

int vrrp_addr_ifindex(const struct vrrp_rt *rt)
{
	return rt->vmac.ifindex ? rt->vmac.ifindex : rt->ifi.ifindex;
}

static void set(struct vrrp_rt *rt, const char *proto, const char *ifname, const char *name,
		const char *value)
{
	int err = ifsysctl_set(&rt->eng->sysctls, proto, ifname, name, value);
	if (err < 0)
		log_msg(LOG_WARNING, "(%s) cannot set net.%s.conf.%s.%s to %s: %s", rt->name, proto,
			ifname, name, value, strerror(-err));
}

/* all.rp_filter to 0 without loosening any interface (see the top). */
static void clear_all_rp_filter(struct vrrp_rt *rt)
{
	struct ifsysctl_set *s = &rt->eng->sysctls;
	char v[64];
	if (ifsysctl_get(s, "ipv4", "all", "rp_filter", v, sizeof(v)) < 0 || !strcmp(v, "0"))
		return;
	int all = atoi(v);
	char allv[16], dir[300];
	snprintf(allv, sizeof(allv), "%d", all);
	snprintf(dir, sizeof(dir), "%s/ipv4/conf", s->root ? s->root : "/proc/sys/net");
	DIR *d = opendir(dir);
	for (struct dirent *de; d && (de = readdir(d));) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "all"))
			continue;
		if (ifsysctl_get(s, "ipv4", de->d_name, "rp_filter", v, sizeof(v)) == 0 &&
		    atoi(v) < all)
			set(rt, "ipv4", de->d_name, "rp_filter", allv);
	}
	if (d)
		closedir(d);
	log_msg(LOG_INFO, "(%s) setting net.ipv4.conf.all.rp_filter from %d to 0 for use_vmac "
		"(default and every interface keep %d)", rt->name, all, all);
	set(rt, "ipv4", "all", "rp_filter", "0");
}

static void apply_settings4(struct vrrp_rt *rt)
{
	const char *vm = rt->vmac.ifname;
	clear_all_rp_filter(rt);
	set(rt, "ipv4", vm, "arp_ignore", "1");
	set(rt, "ipv4", vm, "accept_local", "1");
	set(rt, "ipv4", vm, "rp_filter", "0");
	set(rt, "ipv4", vm, "promote_secondaries", "1");
	/* ...unless IPv6 addresses (virtual_ipaddress_excluded) go on it
	 * too, as keepalived decides. */
	bool v6 = false;
	for (size_t i = 0; i < rt->nvips; i++)
		v6 |= rt->vips[i].addr.family == AF_INET6 && rt->vips[i].ifindex == rt->ifi.ifindex;
	if (!v6)
		set(rt, "ipv6", vm, "disable_ipv6", "1");
	set(rt, "ipv4", rt->ifname, "arp_ignore", "1");
	set(rt, "ipv4", rt->ifname, "arp_filter", "1");
	set(rt, "ipv4", rt->ifname, "arp_announce", "2");
}

/* The advert source must be an address of the interface adverts leave
 * from (a link-local one is checked against it): the base's, on an IPv6
 * vmac while the instance is master only. A backup's vmac holds no IPv6
 * address, so it joins no solicited-node group and sends no MLD report
 * with the virtual MAC. */
void vrrp_vmac_master(struct vrrp_rt *rt, bool master)
{
	char buf[VADDR_STRLEN];
	if (!rt->vmac.ifindex || rt->vmac.ipvlan || rt->family != AF_INET6 ||
	    rt->ifi.linklocal6.family != AF_INET6)
		return;
	struct vip_spec ll = { .ifindex = rt->vmac.ifindex, .addr = rt->ifi.linklocal6,
			       .scope = -1, .nodad = true };
	ll.addr.has_prefix = true;
	ll.addr.prefix = 64;
	int err = master ? vip_add(rt->eng->nl, &ll) : vip_del(rt->eng->nl, &ll);
	if (err < 0)
		log_msg(LOG_WARNING, "(%s) cannot %s %s %s %s: %s", rt->name,
			master ? "add" : "remove", vaddr_format(&ll.addr, buf, sizeof(buf)),
			master ? "to" : "from", rt->vmac.ifname, vip_strerror(err));
}

/* The VIPs without a dev of their own go on the new interface. */
static void move_vips(struct vrrp_rt *rt)
{
	for (size_t i = 0; i < rt->nvips; i++)
		if (rt->vips[i].ifindex == rt->ifi.ifindex)
			rt->vips[i].ifindex = rt->vmac.ifindex;
}

/* use_ipvlan: the VIPs on an ipvlan (L2 mode) over the base, which has
 * the base's MAC: no virtual MAC, adverts on the base, and the
 * configured address on it. */
static int setup_ipvlan(struct vrrp_rt *rt)
{
	const struct ipvlan *iv = &rt->cfg->use_ipvlan;
	char buf[VADDR_STRLEN];
	struct vmac named = { .on = true, .ifname = iv->ifname };
	int flags = iv->mode == CONF_IPVLAN_PRIVATE ? 0x01   /* IPVLAN_F_PRIVATE */
		  : iv->mode == CONF_IPVLAN_VEPA ? 0x02 : 0;  /* IPVLAN_F_VEPA */
	if (!vmac_name(rt->vmac.ifname, sizeof(rt->vmac.ifname), &named,
		       rt->eng->cfg->global.vmac_prefix, rt->cfg->vrid)) {
		log_msg(LOG_ERR, "(%s) use_ipvlan: interface name too long; instance not started",
			rt->name);
		return -1;
	}
	rt->vmac.ipvlan = true;
	memcpy(rt->vmac.mac, rt->ifi.mac, sizeof(rt->vmac.mac));
	int err = vmac_create_ipvlan(rt->eng->nl, rt->vmac.ifname, rt->ifi.ifindex, flags,
				     &rt->vmac.ifindex, &rt->vmac.adopted);
	if (err < 0) {
		log_msg(LOG_ERR, "(%s) cannot create ipvlan interface %s on %s: %s; instance not "
			"started", rt->name, rt->vmac.ifname, rt->ifname, vmac_strerror(err));
		rt->vmac.ifindex = 0;
		return -1;
	}
	if (vaddr_is_set(&iv->addr)) {
		struct vip_spec a = { .ifindex = rt->vmac.ifindex, .addr = iv->addr, .scope = -1,
				      .nodad = iv->addr.family == AF_INET6 };
		err = vip_add(rt->eng->nl, &a);
		if (err < 0)
			log_msg(LOG_WARNING, "(%s) cannot add %s to %s: %s", rt->name,
				vaddr_format(&iv->addr, buf, sizeof(buf)), rt->vmac.ifname,
				vip_strerror(err));
	}
	err = vmac_set_up(rt->eng->nl, rt->vmac.ifindex, true);
	if (err < 0) {
		log_msg(LOG_ERR, "(%s) cannot bring ipvlan interface %s up: %s; instance not "
			"started", rt->name, rt->vmac.ifname, vmac_strerror(err));
		vrrp_vmac_teardown(rt);
		return -1;
	}
	move_vips(rt);
	log_msg(LOG_INFO, "(%s) %s ipvlan interface %s on %s", rt->name,
		rt->vmac.adopted ? "adopted the existing" : "created", rt->vmac.ifname, rt->ifname);
	return 0;
}

int vrrp_vmac_setup(struct vrrp_rt *rt)
{
	const struct vrrp_instance *c = rt->cfg;
	int err;
	if (c->use_vmac.on && c->use_ipvlan.on)
		log_msg(LOG_WARNING, "(%s) both use_vmac and use_ipvlan: use_vmac is used, "
			"use_ipvlan ignored", rt->name);
	if (!c->use_vmac.on)
		return c->use_ipvlan.on ? setup_ipvlan(rt) : 0;
	if (!vmac_name(rt->vmac.ifname, sizeof(rt->vmac.ifname), &c->use_vmac,
		       rt->eng->cfg->global.vmac_prefix, c->vrid)) {
		log_msg(LOG_ERR, "(%s) use_vmac: interface name too long; instance not started",
			rt->name);
		return -1;
	}
	vmac_address(&c->use_vmac, c->vrid, rt->family, rt->vmac.mac);
	err = vmac_create(rt->eng->nl, rt->vmac.ifname, rt->ifi.ifindex, rt->vmac.mac,
			  &rt->vmac.ifindex, &rt->vmac.adopted);
	if (err < 0) {
		log_msg(LOG_ERR, "(%s) cannot create VMAC interface %s on %s: %s; instance not "
			"started (without it the VIPs would carry %s's own MAC)", rt->name,
			rt->vmac.ifname, rt->ifname, vmac_strerror(err), rt->ifname);
		rt->vmac.ifindex = 0;
		return -1;
	}
	if (rt->family == AF_INET) {
		apply_settings4(rt);
	} else {
		err = vmac_no_addr_gen(rt->eng->nl, rt->vmac.ifindex);
		if (err < 0)
			log_msg(LOG_WARNING, "(%s) cannot stop address generation on %s: %s",
				rt->name, rt->vmac.ifname, vmac_strerror(err));
	}
	err = vmac_set_up(rt->eng->nl, rt->vmac.ifindex, true);
	if (err < 0) {
		log_msg(LOG_ERR, "(%s) cannot bring VMAC interface %s up: %s; instance not "
			"started", rt->name, rt->vmac.ifname, vmac_strerror(err));
		vrrp_vmac_teardown(rt);
		return -1;
	}
	if (!c->vmac_xmit_base) {
		rt->vmac.xmit_fd = vrrp_socket_open_tx(rt->family, rt->vmac.ifindex,
						       rt->vmac.ifname);
		if (rt->vmac.xmit_fd < 0) {
			log_msg(LOG_ERR, "(%s) cannot open a socket on %s: %s; instance not started",
				rt->name, rt->vmac.ifname, strerror(-rt->vmac.xmit_fd));
			rt->vmac.xmit_fd = -1;
			vrrp_vmac_teardown(rt);
			return -1;
		}
	}
	move_vips(rt);
	log_msg(LOG_INFO, "(%s) %s VMAC interface %s (%02x:%02x:%02x:%02x:%02x:%02x) on %s%s",
		rt->name, rt->vmac.adopted ? "adopted the existing" : "created", rt->vmac.ifname,
		rt->vmac.mac[0], rt->vmac.mac[1], rt->vmac.mac[2], rt->vmac.mac[3], rt->vmac.mac[4],
		rt->vmac.mac[5], rt->ifname, c->vmac_xmit_base ? "; adverts from the base" : "");
	return 0;
}

void vrrp_vmac_teardown(struct vrrp_rt *rt)
{
	if (rt->vmac.xmit_fd >= 0)
		close(rt->vmac.xmit_fd);
	rt->vmac.xmit_fd = -1;
	if (!rt->vmac.ifindex || !rt->eng || !rt->eng->nl)
		return;
	int err = vmac_delete(rt->eng->nl, rt->vmac.ifindex);
	if (err < 0)
		log_msg(LOG_WARNING, "(%s) cannot remove %s interface %s: %s", rt->name,
			rt->vmac.ipvlan ? "ipvlan" : "VMAC", rt->vmac.ifname, vmac_strerror(err));
	else
		log_msg(LOG_INFO, "(%s) removed %s interface %s", rt->name,
			rt->vmac.ipvlan ? "ipvlan" : "VMAC", rt->vmac.ifname);
	rt->vmac.ifindex = 0;
}

void vrrp_vmac_base_recreated(struct vrrp_rt *rt)
{
	int old = rt->vmac.ifindex;
	if (!rt->cfg->use_vmac.on && !rt->cfg->use_ipvlan.on)
		return;
	/* The kernel deleted the macvlan with its base: nothing to remove. */
	if (rt->vmac.xmit_fd >= 0)
		close(rt->vmac.xmit_fd);
	rt->vmac.xmit_fd = -1;
	rt->vmac.ifindex = 0;
	for (size_t i = 0; i < rt->nvips; i++)
		if (old && rt->vips[i].ifindex == old)
			rt->vips[i].ifindex = rt->ifi.ifindex;
	if (vrrp_vmac_setup(rt) < 0)
		log_msg(LOG_ERR, "(%s) no VMAC/ipvlan interface after %s came back: the VIPs go on %s "
			"itself", rt->name, rt->ifname, rt->ifname);
}
