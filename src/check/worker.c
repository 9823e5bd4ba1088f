/* worker.c - the checker process; see worker.h.
 *
 * Two engines on one loop: health.c runs the checkers and keeps a verdict
 * per real server; ipvs/engine.c keeps the kernel's table equal to what
 * the configuration and those verdicts want. They meet here only: a
 * verdict change makes the IPVS engine recompute and apply the
 * difference, and the IPVS engine's quorum changes go back to the health
 * engine, which logs them and runs the quorum scripts. */
#include "worker.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include "check/fifo.h"
#include "check/health.h"
#include "ipvs/engine.h"
#include "json.h"
#include "log.h"
#include "signals.h"

struct worker {
	const struct check_worker_opts *opts;
	struct config *cfg;
	uv_loop_t loop;
	struct ipvs_engine ipvs;
	struct health *health;
	struct check_fifos fifos;     /* notify_fifo and lvs_notify_fifo lines */
	struct worker_signals sig;
	uv_timer_t status;            /* rewrites the status file */
};

/* ---- status: <pidfile>.check.json, for vigild --status ---------------------------------- */

#define STATUS_PERIOD_MS 5000

static void status_json(const void *data, FILE *f)
{
	const struct worker *w = data;
	const struct ipvs_engine *e = &w->ipvs;
	fprintf(f, "{\"ipvs\":{\"available\":%s,\"services\":%zu,\"operations\":%llu,"
		"\"failed_operations\":%llu},\"health\":",
		e->have_nl ? "true" : "false", e->desired.n, (unsigned long long)e->ops_applied,
		(unsigned long long)e->ops_failed);
	health_json(w->health, f);
	fprintf(f, "}\n");
}

static void write_status(struct worker *w)
{
	if (!w->opts->status_path || !w->health)
		return;
	int err = json_write_atomic(w->opts->status_path, status_json, w);
	if (err < 0)
		log_msg(LOG_WARNING, "cannot write %s: %s", w->opts->status_path, strerror(-err));
}

static void on_status_timer(uv_timer_t *t)
{
	write_status(t->data);
}

static void on_verdicts_changed(void *data)
{
	struct worker *w = data;
	ipvs_engine_update(&w->ipvs);
	write_status(w);
}

static void on_quorum(const struct virtual_server *vs, bool up, void *data)
{
	struct worker *w = data;
	health_quorum_changed(w->health, vs, up);
}

/* Asked to stop, the checker releases the services it owns (unless -I).
 * Left alone by a dead supervisor (OOM killer, a crash, kill -9), it must
 * not: connections through the director would break for nothing, and the
 * daemon that systemd starts next adopts the table as it is. */
static void on_stop(void *data, enum worker_stop why)
{
	struct worker *w = data;
	bool orphaned = why == WORKER_STOP_ORPHANED;
	if (orphaned)
		log_msg(LOG_WARNING, "checker: the supervisor died; leaving the IPVS table "
			"as it is for the next start to adopt");
	uv_close((uv_handle_t *)&w->status, NULL);
	if (w->opts->status_path)
		unlink(w->opts->status_path);
	health_free(w->health);
	w->health = NULL;
	ipvs_engine_stop(&w->ipvs, orphaned);
	check_fifos_close(&w->fifos);
}

/* SIGUSR1/SIGUSR2, keepalived's data and stats dumps: our dump is the
 * status file, which vigild --status reads; write it now. */
static void on_status(void *data, int signum)
{
	struct worker *w = data;
	write_status(w);
	if (w->opts->status_path)
		log_msg(LOG_INFO, "checker: signal %d: status written to %s", signum,
			w->opts->status_path);
}

static void on_reload(void *data)
{
	struct worker *w = data;
	struct config *fresh = conf_load_quiet(w->opts->config_file, w->opts->config_id);
	if (!fresh) {
		log_msg(LOG_ERR, "checker: reload failed; keeping the running configuration");
		return;
	}
	/* The FIFOs first, sharing those the new file names again. */
	struct check_fifos old = w->fifos;
	memset(&w->fifos, 0, sizeof(w->fifos));
	check_fifos_open(&w->fifos, &w->loop, fresh, w->opts->owns_notify_fifo, &old);
	check_fifos_close(&old);
	/* Checkers next: the table is then computed from their carried
	 * verdicts for the new model. */
	health_reload(w->health, fresh);
	ipvs_engine_reload(&w->ipvs, fresh);
	conf_unref(w->cfg);
	w->cfg = fresh;
	umask(w->cfg->global.umask);      /* as the supervisor does */
	log_msg(LOG_INFO, "checker: configuration reloaded");
}

int check_worker_run(struct config *cfg, const struct check_worker_opts *o)
{
	struct worker w = { .opts = o, .cfg = cfg };

	uv_loop_init(&w.loop);
	static const struct worker_signal_ops ops = { on_stop, on_reload, on_status };
	worker_signals_start(&w.sig, &w.loop, o->supervisor, &ops, &w);
	w.health = health_new(&w.loop, cfg, on_verdicts_changed, &w);
	if (!w.health) {
		log_msg(LOG_ERR, "checker: out of memory");
		return 1;
	}
	check_fifos_open(&w.fifos, &w.loop, cfg, o->owns_notify_fifo, NULL);
	health_set_fifos(w.health, &w.fifos);
	ipvs_engine_set_hooks(&w.ipvs, health_verdict, w.health, on_quorum, &w);
	if (ipvs_engine_start(&w.ipvs, &w.loop, cfg, o->keep_ipvs) < 0) {
		log_msg(LOG_ERR, "checker: cannot start");
		return 1;
	}
	uv_timer_init(&w.loop, &w.status);
	w.status.data = &w;
	write_status(&w);
	uv_timer_start(&w.status, on_status_timer, STATUS_PERIOD_MS, STATUS_PERIOD_MS);
	uv_run(&w.loop, UV_RUN_DEFAULT);
	worker_signals_close(&w.sig);
	uv_run(&w.loop, UV_RUN_DEFAULT);
	uv_loop_close(&w.loop);
	conf_unref(w.cfg);
	return 0;
}
