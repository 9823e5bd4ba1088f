/* instance.c - one VRRP instance at run time: timers, the state table's
 * actions, sending adverts and judging received ones.
 *
 * Every state change passes through change_state(), which performs the
 * table's actions in order, logs keepalived's line and counts it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "tab.h"
#include "vmac.h"
#include "vroute.h"
#include "vrule.h"
#include "vrrp.h"

#define US_PER_MS 1000ULL

static uint64_t ms_ceil(uint64_t us)
{
	return (us + US_PER_MS - 1) / US_PER_MS;
}

static char *fmt_addr(const struct vaddr *a, char *buf, size_t len)
{
	struct vaddr plain = *a;
	plain.has_prefix = false;
	return vaddr_format(&plain, buf, len);
}

const char *vrrp_drop_name(enum vrrp_drop d)
{
	static const char *const names[] = {
		"malformed IP header", "malformed advertisement", "no instance for VRID",
		"TTL/hop limit not 255", "TTL/hop limit out of the peer's range",
		"version mismatch", "authentication mismatch",
		"advertisement interval mismatch", "address list mismatch (VRID collision)",
		"unicast advert from unknown peer", "advert from our own address",
	};
	return (unsigned)d < VRRP_DROP_COUNT ? names[d] : "?";
}

void vrrp_note_drop(uint64_t *counters, struct ratelimit *limits, uint64_t now_ms,
		    enum vrrp_drop why, const char *who, const char *detail)
{
	struct ratelimit *rl = &limits[why];
	counters[why]++;
	/* One line per reason per second: a flood of bad packets must not
	 * turn into a flood of log lines (which cost the loop time too). Our
	 * own adverts coming back are one cause repeating itself: said once,
	 * then once a minute with the count. */
	if (!rl->interval_ms)
		ratelimit_init(rl, why == VRRP_DROP_OWN_ADDRESS ? 60000 : 1000, 1);
	if (!ratelimit_event(rl, now_ms, NULL))
		return;
	log_msg(LOG_WARNING, "%s%s: %s (%llu dropped so far)", who, vrrp_drop_name(why),
		detail, (unsigned long long)counters[why]);
}

/* ---- configuration resolved against global_defs and the system ---------- */

static int resolve_version(const struct vrrp_instance *c, const struct global_defs *g,
			   int family)
{
	if (family == AF_INET6)
		return 3;   /* RFC 3768 (v2) is IPv4 only */
	return c->version != VRRP_UNSET ? c->version : g->vrrp_version;
}

/* An instance setting, else the global_defs one (keepalived's rule). */
static void resolve_settings(struct vrrp_rt *rt, const struct global_defs *g)
{
	const struct vrrp_instance *c = rt->cfg;
	rt->set.garp_delay = c->garp_master_delay != VRRP_UNSET_TIMER
		? c->garp_master_delay : g->vrrp_garp_master_delay;
	rt->set.garp_repeat = c->garp_master_repeat != VRRP_UNSET
		? c->garp_master_repeat : (int)g->vrrp_garp_master_repeat;
	rt->set.garp_refresh = c->garp_master_refresh != VRRP_UNSET_TIMER
		? c->garp_master_refresh : g->vrrp_garp_master_refresh;
	rt->set.garp_refresh_repeat = c->garp_master_refresh_repeat != VRRP_UNSET
		? c->garp_master_refresh_repeat : (int)g->vrrp_garp_master_refresh_repeat;
	rt->set.lower_prio_no_advert = c->lower_prio_no_advert != TRI_UNSET
		? c->lower_prio_no_advert == TRI_ON : g->vrrp_lower_prio_no_advert;
	rt->set.down_timer_adverts = c->down_timer_adverts != VRRP_UNSET
		? c->down_timer_adverts : g->vrrp_down_timer_adverts;
	/* keepalived's defaults: the global value, else the master's. */
	rt->set.garp_lp_delay = c->garp_lower_prio_delay != VRRP_UNSET_TIMER
		? c->garp_lower_prio_delay
		: g->vrrp_garp_lower_prio_delay != TIMER_INHERIT ? g->vrrp_garp_lower_prio_delay
		: rt->set.garp_delay;
	rt->set.garp_lp_repeat = c->garp_lower_prio_repeat != VRRP_UNSET
		? c->garp_lower_prio_repeat
		: g->vrrp_garp_lower_prio_repeat >= 0 ? (int)g->vrrp_garp_lower_prio_repeat
		: rt->set.garp_repeat;
}

/* vrrp_strict / strict_mode (RFC compliance, keepalived's rules; -t says
 * what it resets, src/conf/strict.c) and Accept_Mode (RFC 5798 6.1:
 * keepalived's default is on unless strict; VRRPv2 has none, so strict
 * turns it off there). Needs version and base_prio. */
static void resolve_strict(struct vrrp_rt *rt, const struct global_defs *g)
{
	const struct vrrp_instance *c = rt->cfg;
	bool strict = c->strict_mode != TRI_UNSET ? c->strict_mode == TRI_ON : g->vrrp_strict;
	bool accept = c->accept != TRI_UNSET ? c->accept == TRI_ON : !strict;
	if (strict && rt->version == 2)
		accept = false;
	rt->set.strict = strict;
	rt->set.filter = !accept && rt->base_prio != 255;
	if (!strict)
		return;
	rt->set.lower_prio_no_advert = true;
	rt->set.garp_lp_repeat = 0;
	rt->set.garp_lp_delay = 0;
}

static int resolve_family(const struct vrrp_instance *c)
{
	for (const struct node *n = c->vips.first; n; n = n->next)
		return ((const struct ipaddr_item *)n)->addr.family;
	return vaddr_is_set(&c->src_ip) ? c->src_ip.family : AF_INET;
}

static bool add_vip(struct vrrp_rt *rt, const struct ipaddr_item *it)
{
	char buf[VADDR_STRLEN];
	struct vip_spec *v = &rt->vips[rt->nvips];
	vip_spec_from(v, it, rt->ifi.ifindex);
	/* An IPv6 VIP is never subject to duplicate address detection, as
	 * in keepalived: VRRP itself decides who owns it, and a tentative
	 * address would not answer for the second DAD takes (the unsolicited
	 * NA would announce an address that does not work yet). */
	v->nodad = it->nodad || it->addr.family == AF_INET6;
	if (it->dev) {
		struct iface_info other;
		if (iface_lookup(it->dev, &other) < 0) {
			log_msg(LOG_ERR, "(%s) interface %s for %s does not exist; address skipped",
				rt->name, it->dev, vaddr_format(&it->addr, buf, sizeof(buf)));
			return false;
		}
		v->ifindex = other.ifindex;
	}
	rt->nvips++;
	return true;
}

/* virtual_ipaddress (advertised, of the instance's family) first, then
 * virtual_ipaddress_excluded (installed with them, never advertised). */
static int resolve_vips(struct vrrp_rt *rt)
{
	char buf[VADDR_STRLEN];
	size_t n = rt->cfg->vips.n + rt->cfg->evips.n;
	rt->vips = calloc(n ? n : 1, sizeof(*rt->vips));
	if (!rt->vips)
		return -1;
	for (const struct node *node = rt->cfg->vips.first; node; node = node->next) {
		const struct ipaddr_item *it = (const struct ipaddr_item *)node;
		if (it->addr.family != rt->family) {
			log_msg(LOG_ERR, "(%s) virtual_ipaddress %s is not of the instance's "
				"address family; put it in virtual_ipaddress_excluded", rt->name,
				vaddr_format(&it->addr, buf, sizeof(buf)));
			continue;
		}
		add_vip(rt, it);
	}
	rt->nadvertised = rt->nvips;
	for (const struct node *node = rt->cfg->evips.first; node; node = node->next)
		add_vip(rt, (const struct ipaddr_item *)node);
	for (const struct node *node = rt->cfg->vroutes.first; node; node = node->next) {
		char what[256];
		if (vroute_unsupported((const struct route_item *)node, what, sizeof(what)))
			log_msg(LOG_WARNING, "(%s) virtual_routes line %u: %s not installed by vigil; "
				"the route is installed without them", rt->name, node->pos.line, what);
	}
	return 0;
}

/* The advert we send, complete but for the priority. */
static void prepare_advert(struct vrrp_rt *rt)
{
	struct vrrp_advert *a = &rt->advert;
	memset(a, 0, sizeof(*a));
	a->version = rt->version;
	a->vrid = (uint8_t)rt->cfg->vrid;
	a->family = (uint8_t)rt->family;
	if (rt->version == 2) {
		/* RFC 3768 Adver Int is whole seconds */
		uint64_t s = (rt->adver_int_us + 999999) / 1000000;
		a->adver_int_cs = (uint16_t)((s ? s : 1) * 100);
		if (rt->cfg->auth.type == VRRP_AUTH_PASS && rt->cfg->auth.pass && !rt->set.strict) {
			a->auth_type = VRRP_AUTH_PASS;
			vrrp_auth_pass_encode(a->auth_data, rt->cfg->auth.pass);
		}
	} else {
		uint64_t cs = rt->adver_int_us / 10000;
		a->adver_int_cs = (uint16_t)(cs < 1 ? 1 : cs > VRRP_V3_MAX_ADVER_INT_CS
						     ? VRRP_V3_MAX_ADVER_INT_CS : cs);
	}
	for (size_t i = 0; i < rt->nadvertised && a->naddr < VRRP_MAX_ADDRS; i++) {
		if (rt->family == AF_INET)
			a->addrs.v4[a->naddr++] = rt->vips[i].addr.u.v4;
		else
			a->addrs.v6[a->naddr++] = rt->vips[i].addr.u.v6;
	}
	/* The interval actually on the wire is what peers compute with. */
	rt->adver_int_us = (uint64_t)a->adver_int_cs * 10000;
}

/* auth_type AH is refused at -t, but a model built by other means may
 * still carry it: said once at start, so that no intent is dropped
 * silently. (Keywords without effect are warned about by the parser, at
 * their line: src/conf/kw.h enum kw_effect.) */
static void warn_unsupported(const struct vrrp_instance *c)
{
	if (c->auth.type == CONF_AUTH_AH)
		log_msg(LOG_WARNING, "(%s) auth_type AH is not supported by vigil's VRRP engine; "
			"the instance runs without it", c->hdr.name);
}

/* Is a an address of this node: the advert source of rt, or configured
 * on any interface (iface.c looks at the kernel at most once a second)? */
static bool own_address(const struct vrrp_rt *rt, const struct vaddr *a)
{
	struct vaddr plain = *a;
	plain.has_prefix = false;
	return vaddr_equal(&plain, &rt->src) ||
	       iface_addr_is_local(&plain, uv_now(rt->eng->loop));
}

/* unicast_peer without this node's own addresses. Configuration tools
 * write one peer list for every director, each naming all of them; an
 * advert sent to ourselves would come back as a peer's (issue 14). Each
 * such entry is skipped with one warning naming its line. */
static int resolve_peers(struct vrrp_rt *rt)
{
	char buf[VADDR_STRLEN];
	rt->peers = calloc(rt->cfg->unicast_peers.n + 1, sizeof(*rt->peers));
	if (!rt->peers)
		return -1;
	for (const struct node *n = rt->cfg->unicast_peers.first; n; n = n->next) {
		struct vaddr p = ((const struct unicast_peer *)n)->addr;
		p.has_prefix = false;
		if (own_address(rt, &p)) {
			log_msg(LOG_WARNING, "(%s) %s:%u:%u: unicast_peer %s is this node's own "
				"address%s; skipped (a shared peer list is fine)", rt->name,
				conf_file_name(rt->eng->cfg, n->pos.file), n->pos.line, n->pos.col,
				fmt_addr(&p, buf, sizeof(buf)),
				vaddr_equal(&p, &rt->src) ? " (the advert source)" : "");
			continue;
		}
		rt->peers[rt->npeers++] = p;
	}
	if (!rt->npeers)
		log_msg(LOG_WARNING, "(%s) every unicast_peer is this node's own address: the "
			"instance has nobody to advertise to", rt->name);
	return 0;
}

static bool is_vip(const struct vrrp_rt *rt, const struct vaddr *a)
{
	for (size_t i = 0; i < rt->nvips; i++) {
		struct vaddr v = rt->vips[i].addr;
		v.has_prefix = false;
		if (vaddr_equal(&v, a))
			return true;
	}
	return false;
}

/* The address adverts go from when unicast_src_ip does not say: the
 * first address of the interface in the kernel's order (its primary),
 * preferring one that is not among our VIPs (a master holds them beside
 * it, and they leave with mastership); a VIP only when nothing else is
 * there and allow_vip (at start: the address owner's interface address
 * is its VIP). For IPv6 the link-local one. false when there is none. */
static bool pick_source(const struct vrrp_rt *rt, bool allow_vip, struct vaddr *out)
{
	struct vaddr addrs[64];
	size_t n = iface_addrs(rt->ifname, rt->family, addrs, sizeof(addrs) / sizeof(addrs[0]));
	for (size_t i = 0; i < n; i++) {
		if (!is_vip(rt, &addrs[i])) {
			*out = addrs[i];
			return true;
		}
	}
	if (n && allow_vip)
		*out = addrs[0];
	return n > 0 && allow_vip;
}

int vrrp_rt_init(struct vrrp_rt *rt, struct vrrp_engine *e, const struct vrrp_instance *cfg)
{
	char buf[VADDR_STRLEN];

	memset(rt, 0, sizeof(*rt));
	/* cfg lives in e->cfg; the instance may outlive the engine's hold on
	 * that model (a reload keeps it running), so it takes its own. */
	rt->model = conf_ref(e->cfg);
	rt->cfg = cfg;
	rt->eng = e;
	rt->name = cfg->hdr.name;
	rt->fd = -1;
	rt->vmac.xmit_fd = -1;
	rt->state = VRRP_STATE_INIT;
	const struct global_defs *g = &e->cfg->global;
	rt->ifname = cfg->interface ? cfg->interface
		   : g->default_interface ? g->default_interface : "eth0";
	int err = iface_lookup(rt->ifname, &rt->ifi);
	if (err == -ENODEV)
		return -ENODEV;          /* the engine waits for it to appear */
	if (err < 0) {
		log_msg(LOG_ERR, "(%s) interface %s: %s; instance not started", rt->name,
			rt->ifname, strerror(-err));
		return -1;
	}
	/* Adverts on a loopback come straight back to us: an instance there
	 * only ever hears itself (keepalived refuses it for the same reason). */
	if (rt->ifi.loopback) {
		log_msg(LOG_ERR, "(%s) cannot use a loopback interface (%s) for vrrp; instance "
			"not started", rt->name, rt->ifname);
		return -1;
	}
	rt->family = resolve_family(cfg);
	rt->version = (uint8_t)resolve_version(cfg, g, rt->family);
	resolve_settings(rt, g);
	rt->unicast = cfg->unicast_peers.n > 0;
	rt->check_unicast_ttl = cfg->check_unicast_ttl != TRI_UNSET
		? cfg->check_unicast_ttl == TRI_ON : g->vrrp_check_unicast_ttl;
	rt->base_prio = (uint8_t)cfg->priority;
	rt->prio = rt->base_prio;
	rt->preempt = cfg->preempt;
	rt->adver_int_us = cfg->advert_int;
	resolve_strict(rt, g);
	if (resolve_vips(rt) < 0)
		return -1;
	prepare_advert(rt);
	rt->master_adver_int_us = rt->adver_int_us;

	if (vaddr_is_set(&cfg->src_ip))
		rt->src = cfg->src_ip;
	else if (!pick_source(rt, true, &rt->src))
		memset(&rt->src, 0, sizeof(rt->src));
	rt->src.has_prefix = false;
	if (!vaddr_is_set(&rt->src))
		return -EADDRNOTAVAIL;   /* the engine waits for one */
	if (vaddr_is_set(&cfg->mcast_dst_ip))
		rt->mcast_dst = cfg->mcast_dst_ip;
	else
		rt->mcast_dst = rt->family == AF_INET ? g->vrrp_mcast_group4 : g->vrrp_mcast_group6;
	warn_unsupported(cfg);   /* here: not again for each try of a waiting instance */
	log_msg(LOG_INFO, "(%s) VRRPv%u %s on %s, VRID %d, priority %d, advert_int %.2fs, from %s",
		rt->name, rt->version, rt->unicast ? "unicast" : "multicast", rt->ifname,
		cfg->vrid, cfg->priority, (double)rt->adver_int_us / 1e6,
		fmt_addr(&rt->src, buf, sizeof(buf)));

	if (rt->unicast && resolve_peers(rt) < 0)
		return -1;
	if (vrrp_vmac_setup(rt) < 0)
		return -1;
	for (int i = 0; i < VRRP_RXLOG_COUNT; i++)
		ratelimit_init(&rt->rx_rl[i], VRRP_RXLOG_INTERVAL_MS, VRRP_RXLOG_BURST);
	tokenbucket_init(&rt->tx_bucket, VRRP_TX_PER_INTERVAL, rt->adver_int_us,
			 uv_now(e->loop) * US_PER_MS);

	uv_timer_init(e->loop, &rt->adver_timer);
	uv_timer_init(e->loop, &rt->down_timer);
	uv_timer_init(e->loop, &rt->garp_timer);
	uv_timer_init(e->loop, &rt->lifetime_timer);
	uv_timer_init(e->loop, &rt->lp_garp_timer);
	rt->adver_timer.data = rt->down_timer.data = rt->garp_timer.data = rt;
	rt->lifetime_timer.data = rt->lp_garp_timer.data = rt;
	return 0;
}

/* ---- sending -------------------------------------------------------------- */

/* Whether the transmit cap lets one more advert out now. Scheduled
 * adverts (the Adver_Timer, becoming master, resigning) may take the
 * bucket's last token; answers to received adverts must leave it, so no
 * flood of adverts can delay the schedule. The cap holds whatever the
 * cause of the sends: VRRP_TX_PER_INTERVAL per interval at most. */
static bool tx_allowed(struct vrrp_rt *rt, bool reply)
{
	uint64_t now_us = uv_now(rt->eng->loop) * US_PER_MS;
	if (tokenbucket_take(&rt->tx_bucket, now_us, reply ? 1 : 0))
		return true;
	rt->st.tx_suppressed++;
	return false;
}

/* One advert to the multicast group, or to each unicast peer. */
static void send_advert(struct vrrp_rt *rt, uint8_t prio, bool reply)
{
	uint8_t buf[VRRP_ADVERT_MAX_LEN + VRRP_AUTH_DATA_LEN];
	char who[VADDR_STRLEN];
	rt->advert.priority = prio;

	/* Without a source address every send would fail (and log): the
	 * loss was said once, by vrrp_rt_addr_event(). */
	if (rt->fd < 0 || rt->src_lost || !tx_allowed(rt, reply))
		return;
	size_t ndst = rt->unicast ? rt->npeers : 1;
	/* unicast_ttl (default 255; 0, which Linux does not send, as 1);
	 * multicast adverts keep the socket's 255 (RFC 5798 5.1.1.3). */
	int ttl = rt->unicast ? (rt->cfg->unicast_ttl ? rt->cfg->unicast_ttl : 1) : 0;
	/* use_vmac: from the vmac, so that the adverts' source MAC is the
	 * virtual one and switches learn where the master is. */
	int fd = rt->vmac.xmit_fd >= 0 ? rt->vmac.xmit_fd : rt->fd;
	int ifindex = rt->vmac.xmit_fd >= 0 ? rt->vmac.ifindex : rt->ifi.ifindex;
	for (size_t i = 0; i < ndst; i++) {
		const struct vaddr *dst = rt->unicast ? &rt->peers[i] : &rt->mcast_dst;
		ssize_t n = vrrp_advert_build(buf, sizeof(buf), &rt->advert, rt->src.u.bytes,
					      dst->u.bytes);
		int err = n < 0 ? -EINVAL : vrrp_socket_send(fd, ifindex, buf,
							      (size_t)n, &rt->src, dst, ttl);
		if (err < 0)
			log_msg(LOG_WARNING, "(%s) cannot send advert to %s: %s", rt->name,
				fmt_addr(dst, who, sizeof(who)), strerror(-err));
		else if (prio)
			rt->st.tx_adverts++;
		else
			rt->st.tx_prio0++;
	}
}

/* Where the announcements go, for the log: the vmac when there is one. */
static const char *announce_ifname(const struct vrrp_rt *rt)
{
	return rt->vmac.ifindex ? rt->vmac.ifname : rt->ifname;
}

static void announce(struct vrrp_rt *rt)
{
	char buf[VADDR_STRLEN];
	for (size_t i = 0; i < rt->nvips; i++) {
		const struct vip_spec *v = &rt->vips[i];
		/* A VIP on the vmac is announced with the virtual MAC. */
		const uint8_t *mac = rt->vmac.ifindex && v->ifindex == rt->vmac.ifindex
				   ? rt->vmac.mac : rt->ifi.mac;
		/* Spaced out per interface when vrrp_garp_interval / a
		 * garp_group asks for it; at once otherwise. */
		int err = garp_pace_send(&rt->eng->garp_pace, rt->model, v->ifindex, mac, &v->addr);
		if (err < 0)
			log_msg(LOG_WARNING, "(%s) cannot announce %s: %s", rt->name,
				fmt_addr(&v->addr, buf, sizeof(buf)), strerror(-err));
	}
}

/* garp_master_repeat messages now, and again after garp_master_delay
 * (keepalived's defaults: 5 and 5 s), so that a switch that missed the
 * first burst while a link came up still learns the new owner. */
static void on_garp_timer(uv_timer_t *t)
{
	struct vrrp_rt *rt = t->data;
	bool refresh = rt->garp_bursts_done >= 2;
	int n = refresh ? rt->set.garp_refresh_repeat : rt->set.garp_repeat;
	for (int i = 0; i < n; i++)
		announce(rt);
	rt->garp_bursts_done++;
	/* After the two bursts, keepalived's garp_master_refresh repeats
	 * them periodically (off by default). */
	if (rt->garp_bursts_done >= 2 && rt->set.garp_refresh)
		uv_timer_start(&rt->garp_timer, on_garp_timer, ms_ceil(rt->set.garp_refresh), 0);
}

/* The second lower-priority burst, garp_lower_prio_delay after the first. */
static void on_lp_garp_timer(uv_timer_t *t)
{
	struct vrrp_rt *rt = t->data;
	if (rt->state != VRRP_STATE_MASTER)
		return;
	for (int i = 0; i < rt->set.garp_lp_repeat; i++)
		announce(rt);
}

/* A master heard a lower priority: another node believes it is master
 * too (a split brain healing: this node was frozen or cut off, and the
 * clients' ARP/ND caches moved to the other one). Adverts alone make the
 * other yield but leave the caches pointing at it, so announce the VIPs
 * again, as keepalived does with garp_lower_prio_repeat. Not through the
 * advert transmit cap (an answer it held back must not cost the clients
 * their path), but bounded on its own: one episode (a burst now and one
 * after garp_lower_prio_delay) per max(advert interval, that delay),
 * however many lower adverts arrive. */
static void lower_prio_announce(struct vrrp_rt *rt)
{
	char buf[VADDR_STRLEN];
	uint64_t now = uv_now(rt->eng->loop);
	uint64_t every = ms_ceil(rt->adver_int_us);
	if (ms_ceil(rt->set.garp_lp_delay) > every)
		every = ms_ceil(rt->set.garp_lp_delay);
	if (rt->set.garp_lp_repeat <= 0 || (rt->lp_garp_ms && now - rt->lp_garp_ms < every))
		return;
	rt->lp_garp_ms = now ? now : 1;
	for (size_t i = 0; i < rt->nvips; i++)
		log_msg(LOG_INFO, "(%s) Sending %s on %s for %s (lower priority advert heard)",
			rt->name, rt->family == AF_INET ? "gratuitous ARPs" :
			"Unsolicited Neighbour Adverts", announce_ifname(rt),
			fmt_addr(&rt->vips[i].addr, buf, sizeof(buf)));
	for (int i = 0; i < rt->set.garp_lp_repeat; i++)
		announce(rt);
	if (rt->set.garp_lp_delay)
		uv_timer_start(&rt->lp_garp_timer, on_lp_garp_timer, ms_ceil(rt->set.garp_lp_delay), 0);
}

/* notify_master_rx_lower_pri and the FIFO's MASTER_RX_LOWER_PRI line:
 * keepalived's hook for a master that must take back what the other one
 * did while it believed it was master (cloud APIs moving a secondary
 * address). keepalived runs the script for every lower advert; here at
 * most once a second per instance, so a peer stuck at master cannot
 * start a script every advert interval. */
#define RX_LOWER_NOTIFY_MS 1000
static void notify_rx_lower(struct vrrp_rt *rt)
{
	const struct notify_script *s = &rt->cfg->notify_master_rx_lower_pri;
	uint64_t now = uv_now(rt->eng->loop);
	if (!rt->nq || (rt->rx_lower_ms && now - rt->rx_lower_ms < RX_LOWER_NOTIFY_MS))
		return;
	rt->rx_lower_ms = now ? now : 1;
	notify_event(rt->nq, s->cmd ? s : NULL, "MASTER_RX_LOWER_PRI", rt->prio);
}

static void start_announcements(struct vrrp_rt *rt)
{
	char buf[VADDR_STRLEN];
	for (size_t i = 0; i < rt->nvips; i++)
		log_msg(LOG_INFO, "(%s) Sending/queueing %s on %s for %s", rt->name,
			rt->family == AF_INET ? "gratuitous ARPs" : "Unsolicited Neighbour Adverts",
			announce_ifname(rt), fmt_addr(&rt->vips[i].addr, buf, sizeof(buf)));
	rt->garp_bursts_done = 0;
	on_garp_timer(&rt->garp_timer);
	if (rt->set.garp_delay)
		uv_timer_start(&rt->garp_timer, on_garp_timer, ms_ceil(rt->set.garp_delay), 0);
	else if (rt->set.garp_refresh)
		uv_timer_start(&rt->garp_timer, on_garp_timer, ms_ceil(rt->set.garp_refresh), 0);
	if (!rt->set.garp_delay)
		rt->garp_bursts_done = 2;
}

/* ---- addresses -------------------------------------------------------------- */

/* Accept_Mode off: the VIPs into the drop sets, or out of them. */
static void firewall(struct vrrp_rt *rt, bool on)
{
	if (!rt->set.filter || rt->fw_on == on)
		return;
	fw_configure(&rt->eng->fw, rt->model->global.nftables.n ? rt->model->global.nftables.w[0]
			       : NULL, rt->model->global.nftables_priority,
		     rt->model->global.nftables_counters);
	for (size_t i = 0; i < rt->nvips; i++)
		(on ? fw_block : fw_unblock)(&rt->eng->fw, &rt->vips[i].addr);
	rt->fw_on = on;
}

/* virtual_rules: added after the routes a master adds, removed before
 * them (a rule may send traffic to a table those routes fill). */
static void vrules_change(struct vrrp_rt *rt, const struct list *rules, bool add)
{
	for (const struct node *n = rules->first; n; n = n->next) {
		const char *why;
		const struct rule_item *r = (const struct rule_item *)n;
		int err = add ? vrule_add(rt->eng->nl, r, &why) : vrule_del(rt->eng->nl, r, &why);
		if (err < 0)
			log_msg(LOG_ERR, "(%s) cannot %s virtual rule (line %u): %s", rt->name,
				add ? "add" : "remove", n->pos.line, why ? why : vip_strerror(err));
	}
}

static void vips_install(struct vrrp_rt *rt, bool quiet)
{
	char buf[VADDR_STRLEN];
	for (size_t i = 0; i < rt->nvips; i++) {
		rt->vips[i].lifetime_s = rt->vip_lifetime_s;
		int err = vip_add(rt->eng->nl, &rt->vips[i]);
		if (err < 0)
			log_msg(LOG_ERR, "(%s) cannot add %s: %s", rt->name,
				vaddr_format(&rt->vips[i].addr, buf, sizeof(buf)), vip_strerror(err));
	}
	if (quiet)
		return;
	firewall(rt, true);
	vrrp_vmac_master(rt, true);
	log_msg(LOG_INFO, "(%s) setting VIPs.", rt->name);
	for (const struct node *n = rt->cfg->vroutes.first; n; n = n->next) {
		int err = vroute_add(rt->eng->nl, (const struct route_item *)n, vrrp_addr_ifindex(rt));
		if (err < 0)
			log_msg(LOG_ERR, "(%s) cannot add virtual route (line %u): %s", rt->name,
				n->pos.line, vip_strerror(err));
	}
	vrules_change(rt, &rt->cfg->vrules, true);
}

static void vips_remove(struct vrrp_rt *rt)
{
	char buf[VADDR_STRLEN];
	/* Rules, then routes: they may depend on the addresses. */
	vrules_change(rt, &rt->cfg->vrules, false);
	for (const struct node *n = rt->cfg->vroutes.first; n; n = n->next) {
		int err = vroute_del(rt->eng->nl, (const struct route_item *)n, vrrp_addr_ifindex(rt));
		if (err < 0)
			log_msg(LOG_ERR, "(%s) cannot remove virtual route (line %u): %s", rt->name,
				n->pos.line, vip_strerror(err));
	}
	for (size_t i = 0; i < rt->nvips; i++) {
		int err = vip_del(rt->eng->nl, &rt->vips[i]);
		if (err < 0)
			log_msg(LOG_ERR, "(%s) cannot remove %s: %s", rt->name,
				vaddr_format(&rt->vips[i].addr, buf, sizeof(buf)), vip_strerror(err));
	}
	vrrp_vmac_master(rt, false);
	firewall(rt, false);
	log_msg(LOG_INFO, "(%s) removing VIPs.", rt->name);
}

/* The master re-adds its VIPs (NLM_F_REPLACE) three times per lifetime,
 * so one late refresh never lets the kernel expire an address we own. */
static void on_lifetime_timer(uv_timer_t *t)
{
	vips_install(t->data, true);
}

/* ---- the state machine ------------------------------------------------------- */

/* RFC 5798 6.1 with keepalived's down_timer_adverts in place of the 3. */
static uint64_t master_down_interval_us(const struct vrrp_rt *rt)
{
	return (uint64_t)rt->set.down_timer_adverts * rt->master_adver_int_us +
	       vrrp_skew_time_us(rt->prio, rt->master_adver_int_us);
}

static void on_adver_timer(uv_timer_t *t);
static void on_down_timer(uv_timer_t *t);
static void change_state(struct vrrp_rt *rt, enum vrrp_event ev, const char *why);

/* reply: the actions answer a received advert (its SEND_ADVERT is not
 * the schedule's; see tx_allowed). */
static void run_actions(struct vrrp_rt *rt, unsigned act, bool reply)
{
	if (act & VRRP_ACT_STOP_TIMERS) {
		uv_timer_stop(&rt->adver_timer);
		uv_timer_stop(&rt->down_timer);
		uv_timer_stop(&rt->garp_timer);
		uv_timer_stop(&rt->lifetime_timer);
		uv_timer_stop(&rt->lp_garp_timer);
	}
	if (act & VRRP_ACT_SEND_PRIO0) {
		send_advert(rt, 0, false);
		log_msg(LOG_INFO, "(%s) sent 0 priority", rt->name);
	}
	if (act & VRRP_ACT_DEL_VIPS)
		vips_remove(rt);
	if (act & VRRP_ACT_ADD_VIPS) {
		/* Lifetime from the interval we advertise: a backup running
		 * with any priority declares us dead within 4 intervals. */
		rt->vip_lifetime_s = vip_lifetime_for(vrrp_master_down_interval_us(1, rt->adver_int_us));
		vips_install(rt, false);
		uint64_t every = (uint64_t)rt->vip_lifetime_s * 1000 / 3;
		uv_timer_start(&rt->lifetime_timer, on_lifetime_timer, every ? every : 1,
			       every ? every : 1);
	}
	if (act & VRRP_ACT_SEND_ADVERT)
		send_advert(rt, rt->prio, reply);
	if (act & VRRP_ACT_GARP)
		start_announcements(rt);
	uv_update_time(rt->eng->loop);
	if (act & VRRP_ACT_ADVER_TIMER)
		uv_timer_start(&rt->adver_timer, on_adver_timer, ms_ceil(rt->adver_int_us), 0);
	if (act & VRRP_ACT_DOWN_TIMER)
		uv_timer_start(&rt->down_timer, on_down_timer,
			       ms_ceil(master_down_interval_us(rt)), 0);
	if (act & VRRP_ACT_SKEW_TIMER)
		uv_timer_start(&rt->down_timer, on_down_timer,
			       ms_ceil(vrrp_skew_time_us(rt->prio, rt->master_adver_int_us)), 0);
}

/* keepalived's words for a state in notify scripts, FIFO lines and emails. */
static const char *notify_word(enum vrrp_state s)
{
	return s == VRRP_STATE_INIT ? "STOP" : vrrp_state_name(s);
}

static void notify_instance(struct vrrp_rt *rt, enum vrrp_state s)
{
	const struct vrrp_instance *c = rt->cfg;
	struct notify_set set = { &c->notify_master, &c->notify_backup, &c->notify_fault,
				  &c->notify_stop, &c->notify };
	if (rt->nq)
		notify_transition(rt->nq, &set, c->smtp_alert, notify_word(s), rt->prio);
}

static void change_state(struct vrrp_rt *rt, enum vrrp_event ev, const char *why)
{
	struct vrrp_transition t = vrrp_fsm_lookup(rt->state, ev);
	if (!t.handled)
		return;
	enum vrrp_state old = rt->state;
	if (why)
		log_msg(LOG_INFO, "(%s) %s", rt->name, why);
	rt->state = t.next;
	if (t.next != old) {
		rt->st.transitions++;
		if (t.next == VRRP_STATE_MASTER)
			rt->st.became_master++;
		vrrp_engine_state_changed(rt->eng);
		if (t.next != VRRP_STATE_INIT)
			log_msg(LOG_INFO, "(%s) Entering %s STATE%s", rt->name,
				vrrp_state_name(t.next), old == VRRP_STATE_INIT &&
				t.next == VRRP_STATE_BACKUP ? " (init)" : "");
	}
	run_actions(rt, t.actions, ev == VRRP_EV_ADV_PRIO0);
	if (t.next != old) {
		notify_instance(rt, t.next);
		vrrp_syncd_follow(&rt->eng->syncd, rt->name, t.next);
	}
	if (t.next != old && rt->group && !rt->group->syncing)
		vrrp_group_follow(rt, old, t.next);
}

/* A backup never hears another backup, and a healthy master never hears
 * its backups, so silence alone proves nothing. But becoming master by
 * timeout without ever having heard an advert is what both nodes of a
 * pair see when protocol 112 is filtered between them: two masters that
 * each believe they are alone. Say so, once, where the operator looks. */
static void report_if_never_heard(struct vrrp_rt *rt)
{
	if (rt->last_heard_ms || rt->peer_silence_reported)
		return;
	rt->peer_silence_reported = true;
	log_msg(LOG_WARNING, "(%s) became master without hearing any advert since start; if %s "
		"expected on VRID %d, check that protocol 112 reaches this node and that the "
		"peers' version, addresses and authentication match", rt->name,
		rt->unicast ? "the unicast peers are" : "another router is", rt->cfg->vrid);
}

static void on_adver_timer(uv_timer_t *t)
{
	change_state(t->data, VRRP_EV_ADVER_TIMER, NULL);
}

static void on_down_timer(uv_timer_t *t)
{
	struct vrrp_rt *rt = t->data;
	uint64_t now = uv_now(rt->eng->loop);
	/* vrrp_startup_delay: as keepalived, a backup's Master_Down_Timer
	 * that runs out during the delay is due again a whole
	 * Master_Down_Interval after its end. */
	if (now < rt->eng->startup_hold_ms) {
		uv_timer_start(&rt->down_timer, on_down_timer, rt->eng->startup_hold_ms - now +
			       ms_ceil(master_down_interval_us(rt)), 0);
		return;
	}
	change_state(t->data, VRRP_EV_MASTER_DOWN, "Receive advertisement timeout");
	report_if_never_heard(t->data);
}

/* A configured VIP already on its interface at start (left by a daemon
 * killed with SIGKILL during a migration, by an operator, by a network
 * manager) would stay on a node that becomes backup: two nodes
 * answering ARP for it. Removed, as keepalived does; the election gives
 * it to the master, which adds it back. */
static void remove_stale_vips(struct vrrp_rt *rt)
{
	char buf[VADDR_STRLEN];
	/* The address owner's VIPs are its own addresses, and it is master
	 * at once: nothing to take away. */
	if (rt->base_prio == 255)
		return;
	for (size_t i = 0; i < rt->nvips; i++) {
		const struct vip_spec *v = &rt->vips[i];
		struct vaddr plain = v->addr;
		plain.has_prefix = false;
		/* Never the address adverts go from: the interface's own. */
		if (vaddr_equal(&plain, &rt->src) || !iface_has_addr(v->ifindex, &plain))
			continue;
		log_msg(LOG_WARNING, "(%s) VIP %s is already on the interface at start (left by "
			"a previous daemon or someone else); removing it until this node is master",
			rt->name, fmt_addr(&v->addr, buf, sizeof(buf)));
		int err = vip_del(rt->eng->nl, v);
		if (err < 0)
			log_msg(LOG_ERR, "(%s) cannot remove %s: %s; remove it by hand (with its "
				"prefix length)", rt->name, buf, vip_strerror(err));
	}
}

/* promote_secondaries: when the interface's primary address in a subnet
 * goes, the kernel promotes a secondary one (a VIP in the same subnet)
 * instead of deleting them all. Set again when the interface is
 * recreated (a new one has the default); the operator's value comes back
 * at stop (ifsysctl.h). */
static void apply_sysctls(struct vrrp_rt *rt)
{
	if (!rt->cfg->promote_secondaries)
		return;
	int err = ifsysctl_set(&rt->eng->sysctls, "ipv4", rt->ifname, "promote_secondaries", "1");
	if (err < 0)
		log_msg(LOG_WARNING, "(%s) cannot set promote_secondaries on %s: %s", rt->name,
			rt->ifname, strerror(-err));
}

void vrrp_rt_start(struct vrrp_rt *rt)
{
	apply_sysctls(rt);
	remove_stale_vips(rt);
	uv_update_time(rt->eng->loop);
	/* keepalived: "preempt_delay is incompatible with strict mode - resetting" */
	rt->preempt_after_ms = uv_now(rt->eng->loop) +
			       (rt->set.strict ? 0 : rt->cfg->preempt_delay / US_PER_MS);
	if (rt->faults)
		change_state(rt, VRRP_EV_FAULT, NULL);
	/* Only the address owner starts as master (RFC 5798 6.4.1); like
	 * keepalived, "state MASTER" alone still waits for the election. */
	else if (rt->base_prio == 255 && uv_now(rt->eng->loop) >= rt->eng->startup_hold_ms)
		change_state(rt, VRRP_EV_STARTUP_OWNER, NULL);
	else
		change_state(rt, VRRP_EV_STARTUP, NULL);
}

void vrrp_rt_shutdown(struct vrrp_rt *rt)
{
	change_state(rt, VRRP_EV_SHUTDOWN, NULL);
}

void vrrp_rt_close(struct vrrp_rt *rt, uv_close_cb last)
{
	uv_timer_t *timers[] = { &rt->adver_timer, &rt->down_timer, &rt->garp_timer,
				 &rt->lp_garp_timer };
	for (size_t i = 0; i < sizeof(timers) / sizeof(timers[0]); i++)
		uv_close((uv_handle_t *)timers[i], NULL);
	/* Handles close in order, so "last" runs after the others closed. */
	uv_close((uv_handle_t *)&rt->lifetime_timer, last);
	vrrp_rt_release(rt);
}

void vrrp_rt_release(struct vrrp_rt *rt)
{
	vrrp_vmac_teardown(rt);
	free(rt->vips);
	rt->vips = NULL;
	rt->nvips = 0;
	free(rt->links);
	rt->links = NULL;
	rt->nlinks = 0;
	free(rt->peers);
	rt->peers = NULL;
	rt->npeers = 0;
	/* Last: nothing of the instance reads the model after this. */
	conf_unref(rt->model);
	rt->model = NULL;
	rt->cfg = NULL;
}

/* use_vmac is part of the router's identity: its interface, MAC and
 * where adverts leave from cannot change under a running instance. */
static bool same_vmac(const struct vrrp_rt *rt, const struct vrrp_instance *cfg,
		      const struct global_defs *g, int family)
{
	char name[sizeof(rt->vmac.ifname)];
	uint8_t mac[6];
	const struct ipvlan *a = &cfg->use_ipvlan, *b = &rt->cfg->use_ipvlan;
	if (cfg->use_vmac.on != rt->cfg->use_vmac.on || a->on != b->on || a->mode != b->mode ||
	    !vaddr_equal(&a->addr, &b->addr) || (a->ifname == NULL) != (b->ifname == NULL) ||
	    (a->ifname && strcmp(a->ifname, b->ifname) != 0))
		return false;
	if (!cfg->use_vmac.on)
		return true;
	vmac_address(&cfg->use_vmac, cfg->vrid, family, mac);
	return vmac_name(name, sizeof(name), &cfg->use_vmac, g->vmac_prefix, cfg->vrid) &&
	       strcmp(name, rt->vmac.ifname) == 0 && memcmp(mac, rt->vmac.mac, 6) == 0 &&
	       cfg->vmac_xmit_base == rt->cfg->vmac_xmit_base;
}

bool vrrp_rt_same_under(const struct vrrp_rt *rt, const struct vrrp_instance *cfg,
			const struct global_defs *g)
{
	struct vrrp_rt t = { .cfg = cfg };
	resolve_settings(&t, g);
	const char *ifname = cfg->interface ? cfg->interface
			   : g->default_interface ? g->default_interface : "eth0";
	struct vaddr mcast = vaddr_is_set(&cfg->mcast_dst_ip) ? cfg->mcast_dst_ip
			   : rt->family == AF_INET ? g->vrrp_mcast_group4 : g->vrrp_mcast_group6;
	return strcmp(ifname, rt->ifname) == 0 && same_vmac(rt, cfg, g, rt->family) &&
	       resolve_version(cfg, g, rt->family) == rt->version &&
	       vaddr_equal(&mcast, &rt->mcast_dst) &&
	       t.set.garp_delay == rt->set.garp_delay &&
	       t.set.garp_repeat == rt->set.garp_repeat &&
	       t.set.garp_refresh == rt->set.garp_refresh &&
	       t.set.garp_refresh_repeat == rt->set.garp_refresh_repeat &&
	       t.set.lower_prio_no_advert == rt->set.lower_prio_no_advert &&
	       t.set.down_timer_adverts == rt->set.down_timer_adverts &&
	       t.set.garp_lp_delay == rt->set.garp_lp_delay &&
	       t.set.garp_lp_repeat == rt->set.garp_lp_repeat;
}

bool vrrp_rt_same_identity(const struct vrrp_rt *rt, const struct vrrp_instance *cfg,
			   const struct global_defs *g)
{
	const char *ifname = cfg->interface ? cfg->interface
			   : g->default_interface ? g->default_interface : "eth0";
	int family = resolve_family(cfg);
	struct vaddr mcast = vaddr_is_set(&cfg->mcast_dst_ip) ? cfg->mcast_dst_ip
			   : family == AF_INET ? g->vrrp_mcast_group4 : g->vrrp_mcast_group6;
	return strcmp(cfg->hdr.name, rt->name) == 0 && strcmp(ifname, rt->ifname) == 0 &&
	       cfg->vrid == rt->cfg->vrid && family == rt->family &&
	       resolve_version(cfg, g, family) == rt->version &&
	       (cfg->unicast_peers.n > 0) == rt->unicast && vaddr_equal(&mcast, &rt->mcast_dst) &&
	       same_vmac(rt, cfg, g, family);
}

static bool has_vip(const struct vip_spec *v, size_t n, const struct vip_spec *x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].ifindex == x->ifindex && vaddr_equal(&v[i].addr, &x->addr))
			return true;
	return false;
}

/* A master applies the difference between two address sets: what went
 * is removed, what came is added (with the current lifetime) and
 * announced; what stayed is not touched, so its traffic never pauses. */
static void apply_vip_difference(struct vrrp_rt *rt, const struct vip_spec *old, size_t nold,
				 const struct vrrp_instance *old_cfg)
{
	char buf[VADDR_STRLEN];
	bool routes_changed = !list_eq(&old_cfg->vroutes, &rt->cfg->vroutes);
	bool rules_changed = !list_eq(&old_cfg->vrules, &rt->cfg->vrules);
	size_t added = 0;

	if (rules_changed)
		vrules_change(rt, &old_cfg->vrules, false);

	if (routes_changed)
		for (const struct node *n = old_cfg->vroutes.first; n; n = n->next)
			vroute_del(rt->eng->nl, (const struct route_item *)n, vrrp_addr_ifindex(rt));
	for (size_t i = 0; i < nold; i++) {
		if (has_vip(rt->vips, rt->nvips, &old[i]))
			continue;
		int err = vip_del(rt->eng->nl, &old[i]);
		if (rt->fw_on)
			fw_unblock(&rt->eng->fw, &old[i].addr);
		log_msg(err < 0 ? LOG_ERR : LOG_INFO, "(%s) reload: %s %s%s%s", rt->name,
			err < 0 ? "cannot remove" : "removed",
			vaddr_format(&old[i].addr, buf, sizeof(buf)), err < 0 ? ": " : "",
			err < 0 ? vip_strerror(err) : "");
	}
	for (size_t i = 0; i < rt->nvips; i++) {
		rt->vips[i].lifetime_s = rt->vip_lifetime_s;
		/* Every address is written again: one that stayed gets its new
		 * label or flags (a replace, not a removal). */
		int err = vip_add(rt->eng->nl, &rt->vips[i]);
		if (has_vip(old, nold, &rt->vips[i]))
			continue;
		if (rt->fw_on)
			fw_block(&rt->eng->fw, &rt->vips[i].addr);
		added++;
		log_msg(err < 0 ? LOG_ERR : LOG_INFO, "(%s) reload: %s %s%s%s", rt->name,
			err < 0 ? "cannot add" : "added", vaddr_format(&rt->vips[i].addr, buf, sizeof(buf)),
			err < 0 ? ": " : "", err < 0 ? vip_strerror(err) : "");
	}
	if (routes_changed)
		for (const struct node *n = rt->cfg->vroutes.first; n; n = n->next) {
			int err = vroute_add(rt->eng->nl, (const struct route_item *)n, vrrp_addr_ifindex(rt));
			if (err < 0)
				log_msg(LOG_ERR, "(%s) cannot add virtual route (line %u): %s", rt->name,
					n->pos.line, vip_strerror(err));
		}
	if (rules_changed)
		vrules_change(rt, &rt->cfg->vrules, true);
	if (added)
		start_announcements(rt);
}

void vrrp_rt_update(struct vrrp_rt *rt, const struct vrrp_instance *cfg)
{
	const struct global_defs *g = &rt->eng->cfg->global;
	const struct config *old_model = rt->model;
	const struct vrrp_instance *old_cfg = rt->cfg;
	struct vip_spec *old_vips = rt->vips;
	size_t nold = rt->nvips;
	struct vaddr *old_peers = rt->peers;

	rt->model = conf_ref(rt->eng->cfg);
	rt->cfg = cfg;
	rt->name = cfg->hdr.name;
	rt->ifname = cfg->interface ? cfg->interface
		   : g->default_interface ? g->default_interface : "eth0";
	resolve_settings(rt, g);
	rt->base_prio = (uint8_t)cfg->priority;    /* the effective one follows tracking */
	rt->preempt = cfg->preempt;
	rt->adver_int_us = cfg->advert_int;
	rt->vips = NULL;
	rt->nvips = 0;
	if (resolve_vips(rt) < 0) {
		log_msg(LOG_ERR, "VRRP: out of memory");
		abort();
	}
	prepare_advert(rt);
	if (rt->state == VRRP_STATE_MASTER) {
		/* The next advert goes out at the new interval; the addresses'
		 * lifetime follows it (as when entering MASTER). */
		rt->master_adver_int_us = rt->adver_int_us;
		rt->vip_lifetime_s = vip_lifetime_for(vrrp_master_down_interval_us(1, rt->adver_int_us));
		uint64_t every = (uint64_t)rt->vip_lifetime_s * 1000 / 3;
		uv_timer_start(&rt->lifetime_timer, on_lifetime_timer, every ? every : 1,
			       every ? every : 1);
	}
	if (vaddr_is_set(&cfg->src_ip)) {
		rt->src = cfg->src_ip;
		rt->src.has_prefix = false;
	}
	rt->peers = NULL;
	rt->npeers = 0;
	if (rt->unicast && resolve_peers(rt) < 0) {
		log_msg(LOG_ERR, "VRRP: out of memory");
		abort();
	}
	free(old_peers);
	if (rt->state == VRRP_STATE_MASTER)
		apply_vip_difference(rt, old_vips, nold, old_cfg);
	free(old_vips);
	log_msg(LOG_INFO, "(%s) configuration changed: applied in place, staying %s", rt->name,
		vrrp_state_name(rt->state));
	/* Last: old_cfg and the old addresses point into it. */
	conf_unref(old_model);
}

/* A backup's Master_Down_Timer runs with its priority's Skew_Time (RFC
 * 5798 6.1): when the priority changes while it runs (a tracked script
 * failing just after start), the deadline moves by the difference, so
 * the router that is now the lower-priority one does not win the race to
 * master with its old, shorter skew. */
static void move_down_timer(struct vrrp_rt *rt, uint8_t prio)
{
	if (rt->state != VRRP_STATE_BACKUP || !uv_is_active((uv_handle_t *)&rt->down_timer))
		return;
	int64_t due_us = (int64_t)uv_timer_get_due_in(&rt->down_timer) * 1000;
	due_us += (int64_t)vrrp_skew_time_us(prio, rt->master_adver_int_us) -
		  (int64_t)vrrp_skew_time_us(rt->prio, rt->master_adver_int_us);
	uv_timer_start(&rt->down_timer, on_down_timer,
		       due_us > 0 ? ms_ceil((uint64_t)due_us) : 0, 0);
}

/* notify_priority_changes: the instance's setting, else its sync
 * group's, else global_defs vrrp_notify_priority_changes (keepalived's
 * order). */
static bool notify_priority_changes(const struct vrrp_rt *rt)
{
	int v = rt->cfg->notify_priority_changes;
	if (v == TRI_UNSET && rt->group && rt->group->cfg)
		v = rt->group->cfg->notify_priority_changes;
	if (v == TRI_UNSET)
		return rt->model->global.vrrp_notify_priority_changes;
	return v == TRI_ON;
}

void vrrp_rt_set_tracking(struct vrrp_rt *rt, int prio_delta, unsigned faults)
{
	int p = rt->base_prio;
	/* The address owner's priority is fixed at 255 (RFC 5798 5.2.4). */
	if (p != 255) {
		p += prio_delta;
		p = p < 1 ? 1 : p > 254 ? 254 : p;
	}
	if (p != rt->prio) {
		log_msg(LOG_INFO, "(%s) Changing effective priority from %u to %d", rt->name,
			rt->prio, p);
		move_down_timer(rt, (uint8_t)p);
		rt->prio = (uint8_t)p;
		rt->advert.priority = rt->prio;
		/* A FIFO line only, as keepalived: INSTANCE "VI_1" MASTER_PRIORITY 90. */
		if (rt->nq && notify_priority_changes(rt) &&
		    (rt->state == VRRP_STATE_MASTER || rt->state == VRRP_STATE_BACKUP))
			notify_event(rt->nq, NULL, rt->state == VRRP_STATE_MASTER ?
				     "MASTER_PRIORITY" : "BACKUP_PRIORITY", rt->prio);
	}
	rt->prio_delta = prio_delta;
	bool was_fault = rt->faults > 0;
	rt->faults = faults;
	if (faults && !was_fault)
		change_state(rt, VRRP_EV_FAULT, NULL);
	else if (!faults && was_fault)
		change_state(rt, VRRP_EV_FAULT_CLEARED, NULL);
}

/* ---- receiving ---------------------------------------------------------------- */

static bool same_addresses(const struct vrrp_rt *rt, const struct vrrp_advert *a)
{
	size_t len = rt->family == AF_INET ? 4 : 16;
	if (a->naddr != rt->advert.naddr)
		return false;
	/* Order-insensitive: keepalived and others may list them differently. */
	for (unsigned i = 0; i < a->naddr; i++) {
		const void *x = rt->family == AF_INET ? (const void *)&a->addrs.v4[i]
						      : (const void *)&a->addrs.v6[i];
		bool found = false;
		for (unsigned j = 0; j < rt->advert.naddr && !found; j++) {
			const void *y = rt->family == AF_INET ? (const void *)&rt->advert.addrs.v4[j]
							      : (const void *)&rt->advert.addrs.v6[j];
			found = memcmp(x, y, len) == 0;
		}
		if (!found)
			return false;
	}
	return true;
}

static void drop(struct vrrp_rt *rt, enum vrrp_drop why, const char *detail)
{
	char who[128];
	snprintf(who, sizeof(who), "(%s) ", rt->name);
	vrrp_note_drop(rt->st.drops, rt->drop_rl, uv_now(rt->eng->loop), why, who, detail);
}

/* The unicast_peer entry src is, or NULL. */
static const struct unicast_peer *known_peer(const struct vrrp_rt *rt, const struct vaddr *src)
{
	for (const struct node *n = rt->cfg->unicast_peers.first; n; n = n->next) {
		const struct unicast_peer *u = (const struct unicast_peer *)n;
		struct vaddr p = u->addr;
		p.has_prefix = false;
		if (vaddr_equal(&p, src))
			return u;
	}
	return NULL;
}

/* RFC 5798 7.1's TTL 255 for multicast; for unicast, keepalived's
 * min_ttl/max_ttl of the peer and vigil's check_unicast_ttl. */
static bool ttl_acceptable(struct vrrp_rt *rt, const struct unicast_peer *peer,
			   const struct vrrp_rx_meta *m, const char *from)
{
	char detail[160];
	struct vrrp_ttl_rule r = { .unicast = rt->unicast, .min_ttl = 0, .max_ttl = 255 };
	if (peer) {
		if (peer->min_ttl != VRRP_UNSET)
			r.min_ttl = peer->min_ttl;
		if (peer->max_ttl != VRRP_UNSET)
			r.max_ttl = peer->max_ttl;
		r.on_link_255 = rt->check_unicast_ttl;
		r.peer_on_link = r.on_link_255 &&
				 iface_on_link(rt->ifname, &m->src, uv_now(rt->eng->loop));
	}
	switch (vrrp_ttl_check(&r, m->ttl)) {
	case VRRP_TTL_OK:
		return true;
	case VRRP_TTL_NOT_255:
		snprintf(detail, sizeof(detail), "TTL %d from %s%s", m->ttl, from, rt->unicast
			 ? ", a peer on the link (check_unicast_ttl): routed in?" : "");
		drop(rt, VRRP_DROP_TTL, detail);
		return false;
	case VRRP_TTL_OUT_OF_RANGE:
		/* keepalived's wording, and who sent it */
		snprintf(detail, sizeof(detail), "TTL/HL %d not in range %d - %d, from %s",
			 m->ttl, r.min_ttl, r.max_ttl, from);
		drop(rt, VRRP_DROP_TTL_RANGE, detail);
		return false;
	}
	return false;
}

/* A per-packet line, within its rate limit; the first line after a
 * suppressed stretch is preceded by how many were not logged. */
static void rx_log(struct vrrp_rt *rt, enum vrrp_rxlog which, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void rx_log(struct vrrp_rt *rt, enum vrrp_rxlog which, const char *fmt, ...)
{
	static const char *const what[VRRP_RXLOG_COUNT] = {
		"lower priority advert (forcing new election)",
		"lower priority advert (discarding)",
		"priority 0 advert (as master)",
		"priority 0 advert (as backup)",
	};
	char line[320];
	uint64_t skipped = 0;
	va_list ap;

	if (!ratelimit_event(&rt->rx_rl[which], uv_now(rt->eng->loop), &skipped))
		return;
	if (skipped)
		log_msg(LOG_INFO, "(%s) %llu more \"%s\" lines not logged (at most %d per %d s)",
			rt->name, (unsigned long long)skipped, what[which], VRRP_RXLOG_BURST,
			VRRP_RXLOG_INTERVAL_MS / 1000);
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_msg(LOG_INFO, "(%s) %s", rt->name, line);
}

/* Layer 3 of validation (layers 1-2 are packet.c): is this advert, well
 * formed and for our VRID, acceptable to this instance? */
static bool acceptable(struct vrrp_rt *rt, const struct vrrp_advert *a,
		       const struct vrrp_rx_meta *m, const char *from)
{
	char detail[160];

	/* Our own advert came back (a unicast_peer naming this node that we
	 * could not recognise, a loop, a replay): never a peer's. Judged as
	 * one it would make a master answer itself, endlessly. */
	if (own_address(rt, &m->src)) {
		snprintf(detail, sizeof(detail), "from %s, priority %u; not a peer's (a "
			 "unicast_peer or route leading back to this node, or a replay?)", from,
			 a->priority);
		drop(rt, VRRP_DROP_OWN_ADDRESS, detail);
		return false;
	}
	/* keepalived checks this only with check_unicast_src; vigil always
	 * does: an advert from anyone but a configured peer is not one. */
	const struct unicast_peer *peer = rt->unicast ? known_peer(rt, &m->src) : NULL;
	if (rt->unicast && !peer) {
		snprintf(detail, sizeof(detail), "unicast source address %s not a unicast peer",
			 from);
		drop(rt, VRRP_DROP_PEER, detail);
		return false;
	}
	if (!ttl_acceptable(rt, peer, m, from))
		return false;
	if (a->version != rt->version) {
		snprintf(detail, sizeof(detail), "version %u from %s, ours is %u", a->version,
			 from, rt->version);
		drop(rt, VRRP_DROP_VERSION, detail);
		return false;
	}
	if (rt->version == 2) {
		bool ok = rt->advert.auth_type == VRRP_AUTH_PASS
			? a->auth_type == VRRP_AUTH_PASS && vrrp_auth_pass_matches(a, rt->cfg->auth.pass)
			: a->auth_type == rt->advert.auth_type;
		if (!ok) {
			snprintf(detail, sizeof(detail), "from %s (auth type %u)", from, a->auth_type);
			drop(rt, VRRP_DROP_AUTH, detail);
			return false;
		}
		/* RFC 3768 7.1: the interval must match ours. */
		if (a->adver_int_cs != rt->advert.adver_int_cs) {
			snprintf(detail, sizeof(detail), "%us from %s, ours is %us",
				 a->adver_int_cs / 100, from, rt->advert.adver_int_cs / 100);
			drop(rt, VRRP_DROP_INTERVAL, detail);
			return false;
		}
	}
	/* RFC 3768/5798 7.1: a different address list for our VRID is not
	 * our peer; most often another cluster reusing the VRID. The RFCs
	 * let an address owner (priority 255) skip the check, but a stray
	 * owner of another cluster would then take our VIPs away: like
	 * keepalived, vigil checks every advert. */
	if (!same_addresses(rt, a)) {
		snprintf(detail, sizeof(detail), "VRID %u from %s carries %u other address(es); "
			 "another cluster uses this virtual_router_id", a->vrid, from, a->naddr);
		drop(rt, VRRP_DROP_ADDRESSES, detail);
		return false;
	}
	return true;
}

void vrrp_rt_receive(struct vrrp_rt *rt, const struct vrrp_advert *a,
		     const struct vrrp_rx_meta *m)
{
	char from[VADDR_STRLEN], line[256];

	fmt_addr(&m->src, from, sizeof(from));
	if (!acceptable(rt, a, m, from))
		return;
	rt->st.rx_adverts++;
	rt->last_heard_ms = uv_now(rt->eng->loop);
	if (rt->peer_silence_reported) {
		rt->peer_silence_reported = false;
		log_msg(LOG_INFO, "(%s) now hearing adverts from %s", rt->name, from);
	}
	int cmp = memcmp(m->src.u.bytes, rt->src.u.bytes, rt->family == AF_INET ? 4 : 16);
	bool preempt = rt->preempt && uv_now(rt->eng->loop) >= rt->preempt_after_ms;
	enum vrrp_event ev = vrrp_classify_advert(rt->state, rt->prio, preempt, a->priority, cmp);

	if (ev == VRRP_EV_ADV_PRIO0)
		rt->st.rx_prio0++;
	/* RFC 5798 6.4.2: a backup learns the master's interval (v3). */
	if (ev == VRRP_EV_ADV_HIGHER || ev == VRRP_EV_ADV_PRIO0)
		rt->master_adver_int_us = (uint64_t)a->adver_int_cs * 10000;
	if (rt->state == VRRP_STATE_MASTER) {
		if (ev == VRRP_EV_ADV_HIGHER) {
			if (a->priority == rt->prio)
				snprintf(line, sizeof(line), "Master received advert from %s with same "
					 "priority %u but higher IP address than ours", from, a->priority);
			else
				snprintf(line, sizeof(line), "Master received advert from %s with higher "
					 "priority %u, ours %u", from, a->priority, rt->prio);
			change_state(rt, ev, line);
			return;
		}
		if (ev == VRRP_EV_ADV_LOWER) {
			rx_log(rt, VRRP_RXLOG_LOWER_MASTER, "Received advert from %s with lower "
			       "priority %u, ours %u, forcing new election", from, a->priority,
			       rt->prio);
			/* keepalived's default (unless lower_prio_no_advert): answer
			 * at once, so the other master yields without waiting for
			 * our next scheduled advert (within the transmit cap). */
			if (!rt->set.lower_prio_no_advert)
				send_advert(rt, rt->prio, true);
			lower_prio_announce(rt);
			notify_rx_lower(rt);
			return;
		}
		if (ev == VRRP_EV_ADV_PRIO0)
			rx_log(rt, VRRP_RXLOG_PRIO0_MASTER, "Master received priority 0 message");
	} else if (rt->state == VRRP_STATE_BACKUP && ev == VRRP_EV_ADV_PRIO0) {
		rx_log(rt, VRRP_RXLOG_PRIO0_BACKUP, "Backup received priority 0 advertisement");
	} else if (rt->state == VRRP_STATE_BACKUP && ev == VRRP_EV_ADV_LOWER) {
		/* RFC 5798 6.4.2: discarded; our Master_Down_Timer will make
		 * us preempt. */
		rx_log(rt, VRRP_RXLOG_LOWER_BACKUP, "received lower priority (%u) advert from %s - "
		       "discarding", a->priority, from);
	}
	change_state(rt, ev, NULL);
}

/* ---- tracking, sync groups, VIPs removed by others ---------------------------- */

static void link_refs(struct vrrp_rt *rt, const struct list *refs, enum tracked_kind kind)
{
	for (const struct node *n = refs->first; n; n = n->next) {
		const struct track_ref *r = (const struct track_ref *)n;
		struct tracked *obj = track_find(rt->eng, kind, r->name);
		if (!obj)
			continue;
		struct track_link *l = &rt->links[rt->nlinks++];
		l->obj = obj;
		/* A weight on the tracking line overrides the object's own;
		 * interfaces have no weight of their own (0: Fault). */
		bool own = r->weight != TRACK_WEIGHT_UNSET;
		l->weight = own ? r->weight : obj->weight;
		l->reverse = own ? r->reverse : obj->reverse || r->reverse;
	}
}

static size_t count_refs(const struct vrrp_instance *c, const struct vrrp_sync_group *g)
{
	size_t n = c->track_interfaces.n + c->track_scripts.n + c->track_files.n +
		   c->track_processes.n;
	if (g)
		n += g->track_interfaces.n + g->track_scripts.n + g->track_files.n +
		     g->track_processes.n;
	return n;
}

void vrrp_rt_link_tracking(struct vrrp_rt *rt)
{
	const struct vrrp_sync_group *g = rt->group ? rt->group->cfg : NULL;
	free(rt->links);
	rt->nlinks = 0;
	rt->links = calloc(count_refs(rt->cfg, g) + 1, sizeof(*rt->links));
	if (!rt->links)
		abort();
	link_refs(rt, &rt->cfg->track_interfaces, TRACKED_IFACE);
	link_refs(rt, &rt->cfg->track_scripts, TRACKED_SCRIPT);
	link_refs(rt, &rt->cfg->track_files, TRACKED_FILE);
	link_refs(rt, &rt->cfg->track_processes, TRACKED_PROCESS);
	if (g) {
		link_refs(rt, &g->track_interfaces, TRACKED_IFACE);
		link_refs(rt, &g->track_scripts, TRACKED_SCRIPT);
		link_refs(rt, &g->track_files, TRACKED_FILE);
		link_refs(rt, &g->track_processes, TRACKED_PROCESS);
	}
}

static bool same_bytes(const struct vaddr *a, const struct vaddr *b)
{
	return a->family && a->family == b->family &&
	       memcmp(a->u.bytes, b->u.bytes, a->family == AF_INET ? 4 : 16) == 0;
}

/* Is a inside the subnet of net (its prefix length; none: the host)? */
static bool in_subnet(const struct vaddr *a, const struct vaddr *net)
{
	if (!a->family || a->family != net->family)
		return false;
	unsigned bits = net->family == AF_INET ? 32 : 128;
	unsigned plen = net->has_prefix ? net->prefix : bits;
	for (unsigned i = 0; i < plen && i < bits; i++) {
		uint8_t bit = (uint8_t)(0x80 >> (i % 8));
		if ((a->u.bytes[i / 8] & bit) != (net->u.bytes[i / 8] & bit))
			return false;
	}
	return true;
}

/* The kernel removes, with an address, the routes that use it as their
 * source (and those through a gateway only its subnet reached): put back
 * the instance's virtual_routes that depended on the restored VIP v, so
 * traffic does not leave with another source until the next transition. */
static void restore_routes(struct vrrp_rt *rt, const struct vip_spec *v)
{
	char buf[VADDR_STRLEN];
	for (const struct node *n = rt->cfg->vroutes.first; n; n = n->next) {
		const struct route_item *r = (const struct route_item *)n;
		if (!same_bytes(&r->src, &v->addr) && !in_subnet(&r->via, &v->addr))
			continue;
		int err = vroute_add(rt->eng->nl, r, vrrp_addr_ifindex(rt));
		if (err < 0)
			log_msg(LOG_ERR, "(%s) cannot restore virtual route (line %u) after %s: %s",
				rt->name, n->pos.line, fmt_addr(&v->addr, buf, sizeof(buf)),
				vip_strerror(err));
		else
			log_msg(LOG_INFO, "(%s) virtual route (line %u) restored with %s", rt->name,
				n->pos.line, fmt_addr(&v->addr, buf, sizeof(buf)));
	}
}

bool vrrp_rt_vip_deleted(struct vrrp_rt *rt, int ifindex, const struct vaddr *addr)
{
	char buf[VADDR_STRLEN];
	size_t len = addr->family == AF_INET ? 4 : 16;
	for (size_t i = 0; i < rt->nvips; i++) {
		struct vip_spec *v = &rt->vips[i];
		if (v->ifindex != ifindex || v->addr.family != addr->family ||
		    memcmp(v->addr.u.bytes, addr->u.bytes, len) != 0)
			continue;
		if (rt->state != VRRP_STATE_MASTER)
			return true;
		/* Someone (networkd, NetworkManager, an operator) removed an
		 * address this master owns: traffic for it would be dropped
		 * while the backups still see our adverts. Put it back. */
		log_msg(LOG_WARNING, "(%s) VIP %s was removed from %s by someone else; restoring it",
			rt->name, fmt_addr(&v->addr, buf, sizeof(buf)), rt->ifname);
		v->lifetime_s = rt->vip_lifetime_s;
		int err = vip_add(rt->eng->nl, v);
		if (err < 0)
			log_msg(LOG_ERR, "(%s) cannot restore %s: %s", rt->name, buf, vip_strerror(err));
		else
			restore_routes(rt, v);
		return true;
	}
	return false;
}

void vrrp_group_follow(struct vrrp_rt *leader, enum vrrp_state from, enum vrrp_state to)
{
	struct vrrp_group *g = leader->group;
	char why[160];

	g->syncing = true;
	for (size_t i = 0; i < g->nmembers; i++) {
		struct vrrp_rt *m = g->members[i];
		if (m == leader)
			continue;
		snprintf(why, sizeof(why), "sync group %s: following %s to %s", g->cfg->hdr.name,
			 leader->name, vrrp_state_name(to));
		if (to == VRRP_STATE_MASTER && m->state == VRRP_STATE_BACKUP)
			change_state(m, VRRP_EV_MASTER_DOWN, why);
		else if (to == VRRP_STATE_BACKUP && from == VRRP_STATE_MASTER &&
			 m->state == VRRP_STATE_MASTER)
			change_state(m, VRRP_EV_ADV_HIGHER, why);
	}
	g->syncing = false;
	/* The group's own notifications, once per group state (keepalived
	 * reports a group's priority as 0). */
	if (g->nq && to != g->state) {
		const struct vrrp_sync_group *c = g->cfg;
		struct notify_set set = { &c->notify_master, &c->notify_backup, &c->notify_fault,
					  &c->notify_stop, &c->notify };
		g->state = to;
		notify_transition(g->nq, &set, c->smtp_alert, notify_word(to), 0);
	}
}

/* ---- the interface and its addresses changing under the instance ------------- */

void vrrp_rt_addr_event(struct vrrp_rt *rt, int ifindex, const struct vaddr *addr, bool added)
{
	char was[VADDR_STRLEN], now[VADDR_STRLEN];
	struct vaddr next;

	/* unicast_src_ip is the operator's choice: kept, as keepalived does. */
	if (vaddr_is_set(&rt->cfg->src_ip) || ifindex != rt->ifi.ifindex ||
	    addr->family != rt->family)
		return;
	if (!added && same_bytes(addr, &rt->src) && !rt->src_lost) {
		fmt_addr(&rt->src, was, sizeof(was));
		if (pick_source(rt, false, &next)) {
			rt->src = next;
			log_msg(LOG_WARNING, "(%s) advert source %s was removed from %s; sending "
				"adverts from %s now", rt->name, was, rt->ifname,
				fmt_addr(&next, now, sizeof(now)));
		} else {
			rt->src_lost = true;
			log_msg(LOG_WARNING, "(%s) advert source %s was removed from %s and no other "
				"address is there; no adverts until the interface has one", rt->name,
				was, rt->ifname);
		}
	} else if (added && rt->src_lost && pick_source(rt, false, &next)) {
		rt->src = next;
		rt->src_lost = false;
		log_msg(LOG_INFO, "(%s) %s has an address again; sending adverts from %s", rt->name,
			rt->ifname, fmt_addr(&next, now, sizeof(now)));
	}
}

void vrrp_rt_iface_recreated(struct vrrp_rt *rt, int ifindex)
{
	struct iface_info ifi;
	int old = rt->ifi.ifindex;
	char now[VADDR_STRLEN];

	if (iface_lookup(rt->ifname, &ifi) < 0 || ifi.ifindex != ifindex)
		return;   /* gone again already: the next event says more */
	log_msg(LOG_INFO, "(%s) interface %s is back (index %d, was %d)", rt->name, rt->ifname,
		ifindex, old);
	rt->ifi = ifi;
	apply_sysctls(rt);
	/* VIPs without their own dev line live on the instance's interface. */
	for (size_t i = 0; i < rt->nvips; i++)
		if (rt->vips[i].ifindex == old)
			rt->vips[i].ifindex = ifindex;
	vrrp_vmac_base_recreated(rt);
	if (vaddr_is_set(&rt->cfg->src_ip))
		return;
	struct vaddr next;
	rt->src_lost = !pick_source(rt, false, &next);
	if (!rt->src_lost) {
		rt->src = next;
		log_msg(LOG_INFO, "(%s) sending adverts from %s", rt->name,
			fmt_addr(&next, now, sizeof(now)));
	}
}
