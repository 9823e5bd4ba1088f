/* worker.c - the VRRP worker process; see worker.h. */
#include "worker.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"
#include "signals.h"
#include "tab.h"
#include "vrrp.h"

struct worker {
	const struct vrrp_worker_opts *opts;
	struct config *cfg;
	uv_loop_t loop;
	struct vrrp_engine eng;
	struct worker_signals sig;
};

/* Asked to stop, or left alone by a dead supervisor, the worker does the
 * same: it resigns (priority 0, so a backup takes over after its
 * Skew_Time rather than Master_Down_Interval) and removes its VIPs, so
 * the address is never on two nodes and the supervisor that systemd
 * starts next begins as backup on a clean node, with no second VRRP
 * speaker for the same router here. Letting the VIPs expire instead
 * would leave the router without adverts for Master_Down_Interval and
 * then the address on both nodes until its lifetime ran out; the
 * lifetime remains the safety net when this process cannot run either
 * (SIGKILL, which systemd sends to what a dead main process left). */
static void on_stop(void *data, enum worker_stop why)
{
	struct worker *w = data;
	if (why == WORKER_STOP_ORPHANED)
		log_msg(LOG_WARNING, "VRRP: the supervisor died; resigning (priority 0) and "
			"removing the VIPs so that a backup takes over at once");
	vrrp_engine_stop(&w->eng);
}

/* SIGUSR1/SIGUSR2, keepalived's data and stats dumps: our dump is the
 * status file, which vigild --status reads; write it now. */
static void on_status(void *data, int signum)
{
	struct worker *w = data;
	if (!w->opts->status_path) {
		log_msg(LOG_INFO, "VRRP: signal %d: no status file to write", signum);
		return;
	}
	vrrp_engine_state_changed(&w->eng);
	log_msg(LOG_INFO, "VRRP: signal %d: writing the status to %s", signum,
		w->opts->status_path);
}

/* A reload switches the engine to the new model: unchanged instances
 * keep running. The worker holds one reference on its current model; the
 * engine and what it runs hold their own, so the old model goes when the
 * last of them lets go (conf.h). */
static void on_reload(void *data)
{
	struct worker *w = data;
	struct config *fresh = conf_load_quiet(w->opts->config_file, w->opts->config_id);
	if (!fresh) {
		log_msg(LOG_ERR, "VRRP: reload failed; keeping the running configuration");
		return;
	}
	vrrp_engine_reload(&w->eng, fresh);
	conf_unref(w->cfg);
	w->cfg = fresh;
	umask(w->cfg->global.umask);      /* as the supervisor does */
	log_msg(LOG_INFO, "VRRP: configuration reloaded");
}

int vrrp_worker_run(struct config *cfg, const struct vrrp_worker_opts *o)
{
	struct worker w = { .opts = o, .cfg = cfg };

	/* The supervisor's loop came with fork(); this process runs its own. */
	uv_loop_init(&w.loop);
	static const struct worker_signal_ops ops = { on_stop, on_reload, on_status };
	worker_signals_start(&w.sig, &w.loop, o->supervisor, &ops, &w);
	if (vrrp_engine_start(&w.eng, &w.loop, cfg, o->status_path) < 0) {
		log_msg(LOG_ERR, "VRRP: cannot start");
		return 1;
	}
	uv_run(&w.loop, UV_RUN_DEFAULT);
	worker_signals_close(&w.sig);
	uv_run(&w.loop, UV_RUN_DEFAULT);
	uv_loop_close(&w.loop);
	conf_unref(w.cfg);
	return 0;
}

void vrrp_remove_all_vips(const struct config *cfg)
{
	int err;
	struct nl_sock *nl = vip_socket_open(&err);
	if (!nl)
		return;
	for (const struct node *n = cfg->vrrp_instances.first; n; n = n->next) {
		const struct vrrp_instance *vi = (const struct vrrp_instance *)n;
		struct iface_info ifi;
		if (iface_lookup(vi->interface ? vi->interface : "eth0", &ifi) < 0)
			continue;
		for (const struct node *a = vi->vips.first; a; a = a->next) {
			const struct ipaddr_item *it = (const struct ipaddr_item *)a;
			struct vip_spec v = { .ifindex = ifi.ifindex, .addr = it->addr, .scope = -1,
					       .preferred_lft = -1 };
			struct iface_info other;
			if (it->dev && iface_lookup(it->dev, &other) == 0)
				v.ifindex = other.ifindex;
			vip_del(nl, &v);
		}
	}
	vip_socket_close(nl);
}
