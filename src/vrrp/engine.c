/* engine.c - the VRRP worker's set-up, receive path, reload and shutdown.
 *
 * Sockets are shared per (interface, family); a readable socket is
 * drained (boundedly) and each packet goes through the validation layers:
 * IP header (packet.c) -> VRRP message (packet.c) -> instance (by
 * destination and VRID on that socket, find_instance()) -> acceptance
 * (instance.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "log.h"
#include "tab.h"
#include "status.h"
#include "vrrp.h"

/* Packets read per wake-up, so one busy socket cannot starve timers. */
#define RX_BUDGET 64
/* How long the notify scripts and emails of a stopping engine (or of the
 * model a reload replaced) may still run. */
#define NOTIFY_DRAIN_US (3 * 1000000ULL)

static bool is_multicast(const struct vaddr *a)
{
	if (a->family == AF_INET)
		return IN_MULTICAST(ntohl(a->u.v4.s_addr));
	return a->family == AF_INET6 && IN6_IS_ADDR_MULTICAST(&a->u.v6);
}

static bool is_peer_of(const struct vrrp_rt *rt, const struct vaddr *src)
{
	for (const struct node *n = rt->cfg->unicast_peers.first; n; n = n->next) {
		struct vaddr p = ((const struct unicast_peer *)n)->addr;
		p.has_prefix = false;
		if (vaddr_equal(&p, src))
			return true;
	}
	return false;
}

/* The instance an advert for vrid is meant for. Several instances of a
 * socket may share a VRID when their destinations differ (keepalived
 * allows it too): an advert to a multicast group belongs to the multicast
 * instance of that group, a unicast advert (to one of our addresses; the
 * kernel delivers no other) to the unicast instance that has its sender
 * as a peer. Without such a match, a unicast advert still goes to an
 * instance with the VRID, unicast first, so that its acceptance checks
 * name what is wrong (an unknown peer); a multicast advert to a group no
 * instance with that VRID uses is nobody's. */
static struct vrrp_rt *find_instance(struct vrrp_engine *e, const struct vrrp_sock *s,
				     uint8_t vrid, const struct vrrp_rx_meta *m)
{
	bool mcast = is_multicast(&m->dst);
	struct vrrp_rt *fallback = NULL, *fallback_ucast = NULL;
	for (size_t i = 0; i < e->nrts; i++) {
		struct vrrp_rt *rt = e->rts[i];
		if (rt->fd != s->fd || rt->cfg->vrid != vrid || rt->state == VRRP_STATE_INIT)
			continue;
		if (mcast) {
			struct vaddr g = rt->mcast_dst;
			g.has_prefix = false;
			if (!rt->unicast && vaddr_equal(&g, &m->dst))
				return rt;
			continue;
		}
		if (rt->unicast && is_peer_of(rt, &m->src))
			return rt;
		if (!fallback)
			fallback = rt;
		if (rt->unicast && !fallback_ucast)
			fallback_ucast = rt;
	}
	return fallback_ucast ? fallback_ucast : fallback;
}

static void engine_drop(struct vrrp_engine *e, enum vrrp_drop why, const char *detail)
{
	vrrp_note_drop(e->drops, e->drop_rl, uv_now(e->loop), why, "", detail);
}

static void handle_packet(struct vrrp_sock *s, const uint8_t *buf, size_t len,
			  struct vrrp_rx_meta *m)
{
	struct vrrp_engine *e = s->eng;
	struct vrrp_advert a;
	char detail[200];
	const uint8_t *msg = buf;
	size_t msglen = len;

	if (s->family == AF_INET) {
		struct vrrp_ipv4_datagram d;
		enum vrrp_ip_err ie = vrrp_ipv4_unwrap(buf, len, &d);
		if (ie != VRRP_IP_OK) {
			engine_drop(e, VRRP_DROP_IP, vrrp_ip_err_format(detail, sizeof(detail),
									 ie, buf, len));
			return;
		}
		m->src.family = m->dst.family = AF_INET;
		m->src.u.v4 = d.src;
		m->dst.u.v4 = d.dst;
		m->ttl = d.ttl;
		msg = d.payload;
		msglen = d.payload_len;
	}
	enum vrrp_pkt_err pe = vrrp_advert_parse(msg, msglen, s->family, m->src.u.bytes,
						 m->dst.u.bytes, &a);
	if (pe != VRRP_PKT_OK) {
		char from[VADDR_STRLEN];
		vrrp_pkt_err_format(detail, sizeof(detail), pe, msg, msglen, s->family,
				    m->src.u.bytes, m->dst.u.bytes);
		size_t n = strlen(detail);
		snprintf(detail + n, sizeof(detail) - n, " from %s",
			 vaddr_format(&m->src, from, sizeof(from)));
		engine_drop(e, VRRP_DROP_MALFORMED, detail);
		return;
	}
	struct vrrp_rt *rt = find_instance(e, s, a.vrid, m);
	if (!rt) {
		/* Other VRIDs on a shared segment are normal: counted, and
		 * logged at the same modest rate as any other drop. */
		char to[VADDR_STRLEN];
		snprintf(detail, sizeof(detail), "VRID %u to %s", a.vrid,
			 vaddr_format(&m->dst, to, sizeof(to)));
		engine_drop(e, VRRP_DROP_NO_INSTANCE, detail);
		return;
	}
	vrrp_rt_receive(rt, &a, m);
}

static void on_readable(uv_poll_t *p, int status, int events)
{
	struct vrrp_sock *s = p->data;
	uint8_t buf[2048];
	(void)events;
	if (status < 0)
		return;
	for (int i = 0; i < RX_BUDGET; i++) {
		struct vrrp_rx_meta m;
		ssize_t n = vrrp_socket_recv(s->fd, s->family, buf, sizeof(buf), &m);
		if (n == -EAGAIN || n == -EWOULDBLOCK)
			break;
		if (n < 0) {
			if (n == -EMSGSIZE)
				engine_drop(s->eng, VRRP_DROP_MALFORMED, "oversized datagram");
			continue;
		}
		handle_packet(s, buf, (size_t)n, &m);
	}
}

static void *grow(void *arr, size_t n, size_t elem)
{
	void *p = realloc(arr, (n + 1) * elem);
	if (!p) {
		log_msg(LOG_ERR, "VRRP: out of memory");
		abort();
	}
	return p;
}

/* Join group on s unless it is joined already. */
static int join_group(struct vrrp_sock *s, const struct vaddr *group)
{
	struct vaddr g = *group;
	g.has_prefix = false;
	for (size_t i = 0; i < s->ngroups; i++)
		if (vaddr_equal(&s->groups[i], &g))
			return 0;
	int err = vrrp_socket_join(s->fd, s->ifindex, &g);
	if (err < 0 && err != -EADDRINUSE)
		return err;
	s->groups = grow(s->groups, s->ngroups, sizeof(*s->groups));
	s->groups[s->ngroups++] = g;
	return 0;
}

/* The socket for (family, ifindex), opened on first use, joined to rt's
 * multicast group. Every instance joins its group, a unicast one too:
 * cheap, and the receive path tells the destinations apart. */
static int socket_for(struct vrrp_engine *e, struct vrrp_rt *rt)
{
	struct vrrp_sock *s = NULL;
	/* use_vmac too: adverts are received on the base interface (the
	 * macvlan is in bridge mode, see vmac.h). */
	int ifindex = rt->ifi.ifindex;
	const char *ifname = rt->ifname;
	for (size_t i = 0; i < e->nsocks && !s; i++)
		if (e->socks[i]->family == rt->family && e->socks[i]->ifindex == ifindex)
			s = e->socks[i];
	if (!s) {
		int fd = vrrp_socket_open(rt->family, ifindex, ifname, NULL);
		if (fd < 0) {
			log_msg(LOG_ERR, "(%s) cannot open the VRRP socket on %s: %s", rt->name,
				ifname, strerror(-fd));
			return -1;
		}
		s = calloc(1, sizeof(*s));
		if (!s) {
			close(fd);
			return -1;
		}
		s->eng = e;
		s->family = rt->family;
		s->ifindex = ifindex;
		s->fd = fd;
		uv_poll_init(e->loop, &s->poll, fd);
		s->poll.data = s;
		uv_poll_start(&s->poll, UV_READABLE, on_readable);
		e->socks = grow(e->socks, e->nsocks, sizeof(*e->socks));
		e->socks[e->nsocks++] = s;
	}
	int err = join_group(s, &rt->mcast_dst);
	if (err < 0) {
		char g[VADDR_STRLEN];
		log_msg(LOG_ERR, "(%s) cannot join multicast group %s on %s: %s", rt->name,
			vaddr_format(&rt->mcast_dst, g, sizeof(g)), ifname, strerror(-err));
		return -1;
	}
	return s->fd;
}

static void free_closed_instance(uv_handle_t *h)
{
	free(h->data);
}

/* An initialised instance for cfg, or NULL with *err: vrrp_rt_init()'s
 * -ENODEV or -EADDRNOTAVAIL (not logged: the caller waits), else -1
 * after logging why. */
static struct vrrp_rt *new_instance(struct vrrp_engine *e, const struct vrrp_instance *cfg,
				    int *err)
{
	struct vrrp_rt *rt = calloc(1, sizeof(*rt));
	*err = -1;
	if (!rt)
		return NULL;
	*err = vrrp_rt_init(rt, e, cfg);
	if (*err < 0) {
		vrrp_rt_release(rt);
		free(rt);
		return NULL;
	}
	rt->fd = socket_for(e, rt);
	if (rt->fd < 0) {
		vrrp_rt_close(rt, free_closed_instance);
		return NULL;
	}
	rt->nq = notify_queue_new(e->notifier, "INSTANCE", rt->name);
	return rt;
}

/* ---- instances waiting for their interface ---- */

/* keepalived refuses to start when an instance's interface is missing;
 * vigil runs the others and starts this one when the interface (with an
 * address to send from) appears: an interface created after the daemon
 * (a VLAN, a bond, a veth of a container) is common, and a director that
 * will not start at all holds no VIP either. */
static void wait_for_interface(struct vrrp_engine *e, const struct vrrp_instance *vi, int err)
{
	const char *ifname = vi->interface ? vi->interface
			   : e->cfg->global.default_interface ? e->cfg->global.default_interface
			   : "eth0";
	if (err == -ENODEV)
		log_msg(LOG_WARNING, "(%s) interface %s does not exist; the instance starts "
			"when it appears", vi->hdr.name, ifname);
	else
		log_msg(LOG_WARNING, "(%s) interface %s has no address to send adverts from; "
			"the instance starts when it has one", vi->hdr.name, ifname);
	e->waiting = grow(e->waiting, e->nwaiting, sizeof(*e->waiting));
	e->waiting[e->nwaiting++] = vi;
}

static void start_new_instance(struct vrrp_engine *e, struct vrrp_rt *rt);

/* Try every waiting instance once more. */
static void retry_waiting(struct vrrp_engine *e)
{
	size_t keep = 0;
	for (size_t i = 0; i < e->nwaiting; i++) {
		int err;
		struct vrrp_rt *rt = new_instance(e, e->waiting[i], &err);
		if (rt) {
			log_msg(LOG_INFO, "(%s) interface %s is there now; starting the instance",
				rt->name, rt->ifname);
			start_new_instance(e, rt);
		} else if (err == -ENODEV || err == -EADDRNOTAVAIL) {
			e->waiting[keep++] = e->waiting[i];
		}
	}
	e->nwaiting = keep;
	if (!keep)
		uv_timer_stop(&e->waiting_timer);
}

static void on_waiting_timer(uv_timer_t *t)
{
	retry_waiting(t->data);
}

/* ---- events from rtnetlink ---- */

static void free_closed_socket(uv_handle_t *h);

/* Close the sockets no instance uses any more (their interface was
 * deleted and its instances moved to the new one). */
static void close_unused_sockets(struct vrrp_engine *e)
{
	size_t keep = 0;
	for (size_t i = 0; i < e->nsocks; i++) {
		struct vrrp_sock *s = e->socks[i];
		bool used = false;
		for (size_t j = 0; j < e->nrts && !used; j++)
			used = e->rts[j]->fd == s->fd;
		if (used)
			e->socks[keep++] = s;
		else
			uv_close((uv_handle_t *)&s->poll, free_closed_socket);
	}
	e->nsocks = keep;
}

/* An instance's interface was deleted and created again (a VLAN or bond
 * brought down and up, a NIC re-plugged): the kernel gave it a new index,
 * so the instance re-reads it and gets a socket bound to the new one (a
 * socket keeps the index it was bound to). The interface is followed by
 * name, as keepalived does. */
static bool follow_recreated(struct vrrp_engine *e, int ifindex, const char *ifname)
{
	bool moved = false;
	for (size_t i = 0; i < e->nrts; i++) {
		struct vrrp_rt *rt = e->rts[i];
		if (rt->ifi.ifindex == ifindex || strcmp(rt->ifname, ifname) != 0)
			continue;
		vrrp_rt_iface_recreated(rt, ifindex);
		if (rt->ifi.ifindex != ifindex)
			continue;
		int fd = socket_for(e, rt);
		if (fd >= 0)
			rt->fd = fd;
		moved = true;
	}
	if (moved)
		close_unused_sockets(e);
	return moved;
}

static void on_link(void *data, int ifindex, const char *ifname, bool up, bool exists)
{
	struct vrrp_engine *e = data;
	bool changed = false;
	/* Its link state was re-read too: tracking is evaluated again. */
	if (exists && ifname[0])
		changed = follow_recreated(e, ifindex, ifname);
	for (size_t i = 0; i < e->nrts; i++) {
		struct vrrp_rt *rt = e->rts[i];
		if (!exists && rt->ifi.ifindex == ifindex && strcmp(rt->ifname, ifname) == 0)
			log_msg(LOG_INFO, "(%s) interface %s was deleted; the instance follows it "
				"when an interface of that name appears", rt->name, rt->ifname);
		if (rt->ifi.ifindex != ifindex || rt->ifi.up == up)
			continue;
		rt->ifi.up = up;
		changed = true;
		log_msg(LOG_INFO, "(%s) Interface %s is %s", rt->name, rt->ifname, up ? "up" : "down");
	}
	track_link_event(e, ifindex, ifname, up);
	if (changed)
		vrrp_engine_tracking_changed(e);
	if (e->nwaiting)
		retry_waiting(e);
	if (!exists || !up)
		static_link_lost(&e->statics, ifname);
	if (exists)
		static_retry(&e->statics);
}

static void on_addr_deleted(void *data, int ifindex, const struct vaddr *addr)
{
	struct vrrp_engine *e = data;
	for (size_t i = 0; i < e->nrts; i++)
		vrrp_rt_addr_event(e->rts[i], ifindex, addr, false);
	for (size_t i = 0; i < e->nrts; i++)
		if (vrrp_rt_vip_deleted(e->rts[i], ifindex, addr))
			return;
}

static void on_addr_added(void *data, int ifindex, const struct vaddr *addr)
{
	struct vrrp_engine *e = data;
	for (size_t i = 0; i < e->nrts; i++)
		vrrp_rt_addr_event(e->rts[i], ifindex, addr, true);
	/* An instance waiting for an address to send from may start now. */
	if (e->nwaiting)
		retry_waiting(e);
	/* A static route whose gateway this address makes reachable. */
	static_retry(&e->statics);
}

void vrrp_engine_tracking_changed(struct vrrp_engine *e)
{
	/* First each instance's own verdict, then sync groups: one member
	 * in Fault puts the whole group in Fault (keepalived's rule). */
	for (size_t i = 0; i < e->nrts; i++) {
		struct vrrp_rt *rt = e->rts[i];
		int delta;
		track_evaluate(rt->links, rt->nlinks, &delta, &rt->own_faults);
		if (!rt->ifi.up && !rt->cfg->dont_track_primary)
			rt->own_faults++;
	}
	for (size_t i = 0; i < e->nrts; i++) {
		struct vrrp_rt *rt = e->rts[i];
		unsigned faults = rt->own_faults;
		int delta;
		unsigned ignored;
		for (size_t m = 0; rt->group && !faults && m < rt->group->nmembers; m++)
			faults += rt->group->members[m]->own_faults > 0;
		track_evaluate(rt->links, rt->nlinks, &delta, &ignored);
		if (rt->fd >= 0)
			vrrp_rt_set_tracking(rt, delta, faults);
	}
}

static void release_groups(struct vrrp_engine *e)
{
	for (size_t i = 0; i < e->ngroups; i++) {
		free(e->groups[i].members);
		notify_queue_retire(e->groups[i].nq);
	}
	free(e->groups);
	e->groups = NULL;
	e->ngroups = 0;
	for (size_t i = 0; i < e->nrts; i++)
		e->rts[i]->group = NULL;
}

/* Sync groups at run time, rebuilt on every (re)load. */
static void build_groups(struct vrrp_engine *e)
{
	release_groups(e);
	e->groups = calloc(e->cfg->vrrp_sync_groups.n + 1, sizeof(*e->groups));
	if (!e->groups)
		abort();
	for (const struct node *n = e->cfg->vrrp_sync_groups.first; n; n = n->next) {
		const struct vrrp_sync_group *gc = (const struct vrrp_sync_group *)n;
		struct vrrp_group *g = &e->groups[e->ngroups++];
		g->cfg = gc;
		g->state = VRRP_STATE_INIT;
		g->nq = notify_queue_new(e->notifier, "GROUP", gc->hdr.name);
		g->members = calloc(gc->members.n + 1, sizeof(*g->members));
		if (!g->members)
			abort();
		for (const struct node *m = gc->members.first; m; m = m->next) {
			const char *name = ((const struct name_item *)m)->name;
			for (size_t i = 0; i < e->nrts; i++) {
				if (strcmp(e->rts[i]->name, name) == 0) {
					g->members[g->nmembers++] = e->rts[i];
					e->rts[i]->group = g;
				}
			}
		}
	}
}

static void write_status(uv_timer_t *t)
{
	struct vrrp_engine *e = t->data;
	int err = vrrp_status_write(e, e->status_path);
	if (err < 0 && err != -ENOENT)
		log_msg(LOG_WARNING, "cannot write %s: %s", e->status_path, strerror(-err));
}

void vrrp_engine_state_changed(struct vrrp_engine *e)
{
	if (e->status_path && !e->stopping && !uv_is_active((uv_handle_t *)&e->status_soon))
		uv_timer_start(&e->status_soon, write_status, 0, 0);
}

#define STATUS_PERIOD_MS 2000

int vrrp_engine_start(struct vrrp_engine *e, uv_loop_t *loop, const struct config *cfg,
		      const char *status_path)
{
	int err;

	memset(e, 0, sizeof(*e));
	e->loop = loop;
	e->status_path = status_path;
	uv_timer_init(loop, &e->status_timer);
	uv_timer_init(loop, &e->status_soon);
	uv_timer_init(loop, &e->waiting_timer);
	e->status_timer.data = e->status_soon.data = e->waiting_timer.data = e;
	if (status_path)
		uv_timer_start(&e->status_timer, write_status, STATUS_PERIOD_MS, STATUS_PERIOD_MS);
	e->nl = vip_socket_open(&err);
	if (!e->nl) {
		log_msg(LOG_ERR, "cannot open rtnetlink: %s", vip_strerror(err));
		return -1;
	}
	err = garp_open(&e->garp);
	garp_pace_init(&e->garp_pace, loop, &e->garp);
	if (err < 0)
		log_msg(LOG_WARNING, "cannot open the socket for gratuitous ARP/NA: %s; "
			"new masters will not announce themselves", strerror(-err));
	struct monitor_cbs cbs = { .link = on_link, .addr_deleted = on_addr_deleted,
				   .addr_added = on_addr_added, .data = e };
	err = vrrp_monitor_open(&e->mon, loop, &cbs);
	if (err < 0)
		log_msg(LOG_WARNING, "cannot watch interfaces and addresses (netlink: %s); "
			"link changes and removed VIPs will go unnoticed", vip_strerror(err));
	if (cfg->global.vrrp_startup_delay) {
		uv_update_time(loop);
		e->startup_hold_ms = uv_now(loop) + cfg->global.vrrp_startup_delay / 1000;
		log_msg(LOG_INFO, "Delaying startup for %g seconds",
			(double)cfg->global.vrrp_startup_delay / 1e6);
	}
	vrrp_engine_reload(e, cfg);
	return 0;
}

/* Shut an instance down and free it once libuv is done with its timers. */
static void retire_instance(struct vrrp_rt *rt)
{
	vrrp_rt_shutdown(rt);
	/* Queued notifications (STOP among them) still run: the queue is
	 * released by the notifier once idle or at its own free. */
	if (rt->nq && !rt->eng->stopping)
		notify_queue_retire(rt->nq);
	rt->nq = NULL;
	vrrp_rt_close(rt, free_closed_instance);
}

static void free_notifier(void *n)
{
	vrrp_notifier_free(n);
}

/* The running instance vi may stay on: same name, same block, and the
 * same settings resolved from the new global_defs. Taken out of e->rts. */
static struct vrrp_rt *take_unchanged(struct vrrp_engine *e, const struct vrrp_instance *vi,
				      const struct global_defs *g)
{
	for (size_t i = 0; i < e->nrts; i++) {
		struct vrrp_rt *rt = e->rts[i];
		if (rt && strcmp(rt->name, vi->hdr.name) == 0 &&
		    block_eq(&desc_vrrp_instance, rt->cfg, vi) && vrrp_rt_same_under(rt, vi, g)) {
			e->rts[i] = NULL;
			return rt;
		}
	}
	return NULL;
}

/* A running instance that vi changes but that stays the same virtual
 * router. Taken out of e->rts. */
static struct vrrp_rt *take_same_identity(struct vrrp_engine *e, const struct vrrp_instance *vi,
					  const struct global_defs *g)
{
	for (size_t i = 0; i < e->nrts; i++) {
		struct vrrp_rt *rt = e->rts[i];
		if (rt && vrrp_rt_same_identity(rt, vi, g)) {
			e->rts[i] = NULL;
			return rt;
		}
	}
	return NULL;
}

/* A reload gets a notifier for the new model. The old one keeps running
 * the scripts already queued (a STOP for a removed instance, a
 * notify_master that just started) and is freed once idle; it holds its
 * own reference on the model it came from. */
static void switch_notifier(struct vrrp_engine *e)
{
	struct vrrp_notifier *old = e->notifier;
	e->notifier = vrrp_notifier_new(e->loop, e->cfg, old);
	if (!old)
		return;
	for (size_t i = 0; i < e->nrts; i++) {
		notify_queue_retire(e->rts[i]->nq);
		e->rts[i]->nq = notify_queue_new(e->notifier, "INSTANCE", e->rts[i]->name);
	}
	vrrp_notifier_drain(old, NOTIFY_DRAIN_US, free_notifier, old);
}

static bool is_kept(struct vrrp_rt *const *kept, size_t nkept, const char *name)
{
	for (size_t i = 0; i < nkept; i++)
		if (strcmp(kept[i]->name, name) == 0)
			return true;
	return false;
}

void vrrp_engine_reload(struct vrrp_engine *e, const struct config *cfg)
{
	size_t n = cfg->vrrp_instances.n, kept = 0;
	struct vrrp_rt **next = calloc(n ? n : 1, sizeof(*next));
	const struct config *old_cfg = e->cfg;   /* NULL at start */

	if (!next)
		abort();
	/* From here on everything new is resolved against the new model;
	 * the old one stays alive for whatever still holds it. */
	e->cfg = conf_ref(cfg);
	/* Static items first, whatever the instances do: keepalived installs
	 * them before its instances start. */
	static_apply(&e->statics, e->nl, cfg);
	/* Unchanged instances carry over untouched, on their own model;
	 * changed ones that are still the same virtual router (name,
	 * interface, VRID, family, ...) move to the new model in place,
	 * keeping their state (keepalived does the same: a reload that adds
	 * a VIP must not cost the master its VIPs for a Master_Down_Interval)... */
	size_t updated = 0;
	for (const struct node *node = cfg->vrrp_instances.first; node; node = node->next) {
		const struct vrrp_instance *vi = (const struct vrrp_instance *)node;
		struct vrrp_rt *rt = old_cfg ? take_unchanged(e, vi, &cfg->global) : NULL;
		if (!rt && old_cfg && (rt = take_same_identity(e, vi, &cfg->global))) {
			vrrp_rt_update(rt, vi);
			updated++;
		}
		if (rt)
			next[kept++] = rt;
	}
	/* ...the rest stop (notifying STOP through the old notifier)... */
	for (size_t i = 0; i < e->nrts; i++)
		if (e->rts[i])
			retire_instance(e->rts[i]);
	free(e->rts);
	e->rts = next;
	e->nrts = kept;
	release_groups(e);
	switch_notifier(e);
	/* ...and new or changed ones start, or wait for their interface. */
	e->nwaiting = 0;
	for (const struct node *node = cfg->vrrp_instances.first; node; node = node->next) {
		const struct vrrp_instance *vi = (const struct vrrp_instance *)node;
		int err;
		if (is_kept(e->rts, kept, vi->hdr.name))
			continue;
		struct vrrp_rt *rt = new_instance(e, vi, &err);
		if (rt)
			e->rts[e->nrts++] = rt;
		else if (err == -ENODEV || err == -EADDRNOTAVAIL)
			wait_for_interface(e, vi, err);
	}
	if (e->nwaiting)
		uv_timer_start(&e->waiting_timer, on_waiting_timer, 1000, 1000);
	else
		uv_timer_stop(&e->waiting_timer);
	if (old_cfg) {
		vrrp_syncd_reload(&e->syncd, cfg);
		for (size_t i = 0; i < e->nrts; i++)
			if (e->rts[i]->state != VRRP_STATE_INIT)
				vrrp_syncd_follow(&e->syncd, e->rts[i]->name, e->rts[i]->state);
	} else {
		vrrp_syncd_start(&e->syncd, cfg);
	}
	track_restart(e);
	build_groups(e);
	for (size_t i = 0; i < e->nrts; i++)
		vrrp_rt_link_tracking(e->rts[i]);
	vrrp_engine_tracking_changed(e);
	for (size_t i = 0; i < e->nrts; i++)
		if (e->rts[i]->state == VRRP_STATE_INIT && e->rts[i]->fd >= 0)
			vrrp_rt_start(e->rts[i]);
	if (kept - updated)
		log_msg(LOG_INFO, "VRRP: %zu unchanged instance(s) kept running", kept - updated);
	if (updated)
		log_msg(LOG_INFO, "VRRP: %zu changed instance(s) updated in place", updated);
	/* Groups, syncd and tracking now point into the new model. */
	conf_unref(old_cfg);
}

/* An instance that waited for its interface joins the running ones as a
 * reload would start it. */
static void start_new_instance(struct vrrp_engine *e, struct vrrp_rt *rt)
{
	e->rts = grow(e->rts, e->nrts, sizeof(*e->rts));
	e->rts[e->nrts++] = rt;
	build_groups(e);
	vrrp_rt_link_tracking(rt);
	vrrp_engine_tracking_changed(e);
	if (rt->fd >= 0)
		vrrp_rt_start(rt);
	vrrp_engine_state_changed(e);
}

static void free_closed_socket(uv_handle_t *h)
{
	struct vrrp_sock *s = h->data;
	close(s->fd);
	free(s->groups);
	free(s);
}

void vrrp_engine_stop(struct vrrp_engine *e)
{
	e->stopping = true;
	for (size_t i = 0; i < e->nrts; i++)
		retire_instance(e->rts[i]);
	track_stop(e);
	/* After the instances: their VIPs and virtual routes went first. */
	static_stop(&e->statics);
	vrrp_monitor_close(&e->mon);
	vrrp_syncd_stop(&e->syncd);
	/* STOP notifications were queued by the shutdowns above: let them
	 * run (boundedly) before the notifier goes. */
	vrrp_notifier_drain(e->notifier, NOTIFY_DRAIN_US, free_notifier, e->notifier);
	e->notifier = NULL;
	uv_close((uv_handle_t *)&e->status_timer, NULL);
	uv_close((uv_handle_t *)&e->status_soon, NULL);
	uv_close((uv_handle_t *)&e->waiting_timer, NULL);
	free(e->waiting);
	e->waiting = NULL;
	e->nwaiting = 0;
	if (e->status_path)
		unlink(e->status_path);
	release_groups(e);
	/* Sockets and instances are freed by their close callbacks, once the
	 * loop has finished with them (uv_run must not be re-entered here). */
	for (size_t i = 0; i < e->nsocks; i++)
		uv_close((uv_handle_t *)&e->socks[i]->poll, free_closed_socket);
	garp_pace_close(&e->garp_pace);
	garp_close(&e->garp);
	vip_socket_close(e->nl);
	e->nl = NULL;
	free(e->rts);
	free(e->socks);
	e->rts = NULL;
	e->socks = NULL;
	e->nrts = e->nsocks = 0;
	ifsysctl_restore(&e->sysctls);
	fw_close(&e->fw);
	conf_unref(e->cfg);
	e->cfg = NULL;
}
