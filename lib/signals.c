/* signals.c - stop and reload signals of a worker; see signals.h. */
#include "signals.h"

#include <signal.h>
#include <stdlib.h>

struct signal_ctx {
	void *data;
	void (*on_stop)(void *data);
	void (*on_reload)(void *data);
};

static void on_signal(uv_signal_t *h, int signum)
{
	const struct signal_ctx *c = h->data;
	if (signum == SIGHUP)
		c->on_reload(c->data);
	else
		c->on_stop(c->data);
}

static void free_ctx(uv_handle_t *h)
{
	free(h->data);
}

void worker_signals_start(struct worker_signals *s, uv_loop_t *loop, void *data,
			  void (*on_stop)(void *data), void (*on_reload)(void *data))
{
	uv_signal_t *hs[] = { &s->term, &s->intr, &s->hup };
	const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	for (int i = 0; i < 3; i++) {
		struct signal_ctx *c = malloc(sizeof(*c));
		if (!c)
			abort();
		*c = (struct signal_ctx){ data, on_stop, on_reload };
		uv_signal_init(loop, hs[i]);
		hs[i]->data = c;
		uv_signal_start(hs[i], on_signal, sigs[i]);
	}
}

void worker_signals_close(struct worker_signals *s)
{
	uv_close((uv_handle_t *)&s->term, free_ctx);
	uv_close((uv_handle_t *)&s->intr, free_ctx);
	uv_close((uv_handle_t *)&s->hup, free_ctx);
}
