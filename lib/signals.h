/* signals.h - the signals every vigil worker process handles, and how it
 * learns that its supervisor died.
 *
 *   SIGTERM, SIGINT  stop (WORKER_STOP_ASKED, or WORKER_STOP_ORPHANED when
 *                    the supervisor is already gone: systemd or an operator
 *                    signalling what is left of a dead daemon)
 *   SIGHUP           reload
 *   SIGUSR1, SIGUSR2 write the status file now (keepalived's data and stats
 *                    dumps); never fatal
 *   WORKER_SIG_ORPHAN the parent-death signal (PR_SET_PDEATHSIG): stop with
 *                    WORKER_STOP_ORPHANED
 *
 * A distinct parent-death signal, not SIGTERM, because the two stops must
 * differ: asked to stop, the checker releases the IPVS services it owns;
 * left alone by a dead supervisor it must leave the table for the next
 * start to adopt. The stop callback runs once; signals that arrive while
 * the worker winds down are ignored (a second SIGTERM must not kill it
 * halfway through its cleanup: the supervisor escalates with SIGKILL). One
 * struct, one start, one close, so each worker states only what its
 * callbacks mean. */
#ifndef VIGIL_SIGNALS_H
#define VIGIL_SIGNALS_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>
#include <uv.h>

/* The parent-death signal; a real-time one, which nothing else sends. */
#define WORKER_SIG_ORPHAN (SIGRTMIN + 2)

enum worker_stop {
	WORKER_STOP_ASKED,      /* SIGTERM/SIGINT from a living supervisor */
	WORKER_STOP_ORPHANED,   /* the supervisor that started us is dead */
};

struct worker_signal_ops {
	void (*stop)(void *data, enum worker_stop why);   /* once */
	void (*reload)(void *data);
	void (*status)(void *data, int signum);             /* SIGUSR1/SIGUSR2 */
};

#define WORKER_NSIGNALS 6

struct worker_signals {
	uv_signal_t h[WORKER_NSIGNALS];
	pid_t supervisor;
	const struct worker_signal_ops *ops;
	void *data;
	bool stopping;
};

/* Watch the signals on loop, then ask the kernel for WORKER_SIG_ORPHAN
 * when the parent dies. supervisor is the pid of the process that started
 * this one (0: the parent at this moment). If it has died already (before
 * the request could be made), the orphaned stop is queued at once, so
 * there is no window in which its death goes unseen. The callbacks get
 * data. Once stop has run, the handles no longer keep the loop alive. */
void worker_signals_start(struct worker_signals *s, uv_loop_t *loop, pid_t supervisor,
			  const struct worker_signal_ops *ops, void *data);
/* After uv_run has returned: close the handles and ignore these signals
 * for the rest of the process. The caller runs the loop once more to
 * finish the closes before uv_loop_close(). */
void worker_signals_close(struct worker_signals *s);

#endif
