/* syncd.c - IPVS sync daemon following VRRP; see syncd.h. */
#include "syncd.h"

#include <linux/ip_vs.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

static void fill(const struct vrrp_syncd *s, uint32_t state, struct ipvs_daemon *d)
{
	const struct lvs_syncd *c = s->cfg;
	memset(d, 0, sizeof(*d));
	d->state = state;
	snprintf(d->mcast_ifn, sizeof(d->mcast_ifn), "%s", c->ifname);
	d->syncid = (uint32_t)(c->syncid >= 0 ? c->syncid : s->vrid > 0 ? s->vrid : 0);
	d->sync_maxlen = c->maxlen;
	d->mcast_port = c->port;
	d->mcast_ttl = c->ttl;
	if (vaddr_is_set(&c->group)) {
		d->mcast_af = c->group.family;
		memcpy(&d->mcast_group, c->group.u.bytes, c->group.family == AF_INET ? 4 : 16);
	}
}

static void set_daemon(struct vrrp_syncd *s, uint32_t state, bool on)
{
	bool *cur = state == IPVS_DAEMON_MASTER ? &s->master_on : &s->backup_on;
	const char *what = state == IPVS_DAEMON_MASTER ? "master" : "backup";
	struct ipvs_daemon d;
	int err;

	if (!s->have_nl || *cur == on)
		return;
	if (on) {
		fill(s, state, &d);
		err = ipvs_nl_new_daemon(&s->nl, &d);
	} else {
		err = ipvs_nl_del_daemon(&s->nl, state);
	}
	if (err < 0) {
		log_msg(LOG_ERR, "IPVS: cannot %s the %s sync daemon on %s: %s", on ? "start" : "stop",
			what, s->cfg->ifname,
			ipvs_strerror(on ? IPVS_CMD_NEW_DAEMON : IPVS_CMD_DEL_DAEMON, err));
		return;
	}
	*cur = on;
	log_msg(LOG_INFO, "IPVS: %s %s sync daemon (mcast=%s, syncid=%d)", on ? "starting" : "stopping",
		what, s->cfg->ifname, s->cfg->syncid >= 0 ? s->cfg->syncid : s->vrid);
}

void vrrp_syncd_start(struct vrrp_syncd *s, const struct config *cfg)
{
	memset(s, 0, sizeof(*s));
	if (!cfg->global.lvs_sync_daemon.ifname)
		return;
	s->cfg = &cfg->global.lvs_sync_daemon;
	for (const struct node *n = cfg->vrrp_instances.first; n && s->cfg->instance; n = n->next)
		if (strcmp(((const struct vrrp_instance *)n)->hdr.name, s->cfg->instance) == 0)
			s->vrid = ((const struct vrrp_instance *)n)->vrid;
	int err = ipvs_nl_open(&s->nl);
	if (err < 0) {
		log_msg(LOG_ERR, "lvs_sync_daemon: %s; no connection synchronisation",
			ipvs_strerror(0, err));
		return;
	}
	s->have_nl = true;
	/* The kernel may still run daemons from a previous vigil: start from
	 * a known state. */
	ipvs_nl_del_daemon(&s->nl, IPVS_DAEMON_MASTER);
	ipvs_nl_del_daemon(&s->nl, IPVS_DAEMON_BACKUP);
	set_daemon(s, IPVS_DAEMON_BACKUP, true);
	if (!s->cfg->instance)
		set_daemon(s, IPVS_DAEMON_MASTER, true);
}

void vrrp_syncd_follow(struct vrrp_syncd *s, const char *name, enum vrrp_state state)
{
	if (!s->cfg || !s->cfg->instance || strcmp(s->cfg->instance, name) != 0)
		return;
	bool master = state == VRRP_STATE_MASTER;
	/* Stop one before starting the other: the kernel lets each run once. */
	set_daemon(s, master ? IPVS_DAEMON_BACKUP : IPVS_DAEMON_MASTER, false);
	set_daemon(s, master ? IPVS_DAEMON_MASTER : IPVS_DAEMON_BACKUP, true);
}

void vrrp_syncd_stop(struct vrrp_syncd *s)
{
	if (!s->have_nl)
		return;
	set_daemon(s, IPVS_DAEMON_MASTER, false);
	set_daemon(s, IPVS_DAEMON_BACKUP, false);
	ipvs_nl_close(&s->nl);
	s->have_nl = false;
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

void vrrp_syncd_reload(struct vrrp_syncd *s, const struct config *cfg)
{
	const struct lvs_syncd *n = &cfg->global.lvs_sync_daemon;
	const struct lvs_syncd *o = s->cfg;
	if (o && n->ifname && same_str(o->ifname, n->ifname) && same_str(o->instance, n->instance) &&
	    o->syncid == n->syncid && o->maxlen == n->maxlen && o->port == n->port &&
	    o->ttl == n->ttl && vaddr_equal(&o->group, &n->group)) {
		s->cfg = n;    /* unchanged: the running daemons stay */
		return;
	}
	vrrp_syncd_stop(s);
	vrrp_syncd_start(s, cfg);
}
