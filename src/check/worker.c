/* worker.c - the checker process; see worker.h. */
#include "worker.h"

#include <signal.h>
#include <stdlib.h>
#include <uv.h>

#include "ipvs/engine.h"
#include "log.h"

struct worker {
	const struct check_worker_opts *opts;
	struct config *cfg;
	uv_loop_t loop;
	struct ipvs_engine ipvs;
	uv_signal_t sig_term, sig_int, sig_hup;
};

static void on_term(uv_signal_t *h, int signum)
{
	struct worker *w = h->data;
	(void)signum;
	ipvs_engine_stop(&w->ipvs);
	uv_close((uv_handle_t *)&w->sig_term, NULL);
	uv_close((uv_handle_t *)&w->sig_int, NULL);
	uv_close((uv_handle_t *)&w->sig_hup, NULL);
}

static void on_hup(uv_signal_t *h, int signum)
{
	struct worker *w = h->data;
	struct conf_opts co = { w->opts->config_id };
	struct diags d;
	(void)signum;

	diags_init(&d);
	struct config *fresh = conf_load_file(w->opts->config_file, &co, &d);
	diags_free(&d);
	if (!fresh) {
		log_msg(LOG_ERR, "checker: reload failed; keeping the running configuration");
		return;
	}
	ipvs_engine_reload(&w->ipvs, fresh);
	conf_free(w->cfg);
	w->cfg = fresh;
	log_msg(LOG_INFO, "checker: configuration reloaded");
}

static void watch(struct worker *w, uv_signal_t *h, uv_signal_cb cb, int sig)
{
	uv_signal_init(&w->loop, h);
	h->data = w;
	uv_signal_start(h, cb, sig);
}

int check_worker_run(struct config *cfg, const struct check_worker_opts *o)
{
	struct worker w = { .opts = o, .cfg = cfg };

	uv_loop_init(&w.loop);
	watch(&w, &w.sig_term, on_term, SIGTERM);
	watch(&w, &w.sig_int, on_term, SIGINT);
	watch(&w, &w.sig_hup, on_hup, SIGHUP);
	if (ipvs_engine_start(&w.ipvs, &w.loop, cfg, o->keep_ipvs) < 0) {
		log_msg(LOG_ERR, "checker: cannot start");
		return 1;
	}
	uv_run(&w.loop, UV_RUN_DEFAULT);
	uv_loop_close(&w.loop);
	conf_free(w.cfg);
	return 0;
}
