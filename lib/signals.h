/* signals.h - the three signals every vigil worker process handles:
 * SIGTERM and SIGINT stop it, SIGHUP reloads it. One struct, one start,
 * one close, so each worker states only what stop and reload mean. */
#ifndef VIGIL_SIGNALS_H
#define VIGIL_SIGNALS_H

#include <uv.h>

struct worker_signals {
	uv_signal_t term, intr, hup;
};

/* Watch the signals on loop; the callbacks get data. */
void worker_signals_start(struct worker_signals *s, uv_loop_t *loop, void *data,
			  void (*on_stop)(void *data), void (*on_reload)(void *data));
/* Stop watching (the handles close on the next loop turn). */
void worker_signals_close(struct worker_signals *s);

#endif
