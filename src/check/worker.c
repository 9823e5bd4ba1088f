/* worker.c - the checker process; see worker.h. */
#include "worker.h"

#include <signal.h>
#include <stdlib.h>
#include <uv.h>

#include "ipvs/engine.h"
#include "log.h"
#include "signals.h"

struct worker {
	const struct check_worker_opts *opts;
	struct config *cfg;
	uv_loop_t loop;
	struct ipvs_engine ipvs;
	struct worker_signals sig;
};

static void on_stop(void *data)
{
	struct worker *w = data;
	ipvs_engine_stop(&w->ipvs);
	worker_signals_close(&w->sig);
}

static void on_reload(void *data)
{
	struct worker *w = data;
	struct config *fresh = conf_load_quiet(w->opts->config_file, w->opts->config_id);
	if (!fresh) {
		log_msg(LOG_ERR, "checker: reload failed; keeping the running configuration");
		return;
	}
	ipvs_engine_reload(&w->ipvs, fresh);
	conf_free(w->cfg);
	w->cfg = fresh;
	log_msg(LOG_INFO, "checker: configuration reloaded");
}

int check_worker_run(struct config *cfg, const struct check_worker_opts *o)
{
	struct worker w = { .opts = o, .cfg = cfg };

	uv_loop_init(&w.loop);
	worker_signals_start(&w.sig, &w.loop, &w, on_stop, on_reload);
	if (ipvs_engine_start(&w.ipvs, &w.loop, cfg, o->keep_ipvs) < 0) {
		log_msg(LOG_ERR, "checker: cannot start");
		return 1;
	}
	uv_run(&w.loop, UV_RUN_DEFAULT);
	uv_loop_close(&w.loop);
	conf_free(w.cfg);
	return 0;
}
