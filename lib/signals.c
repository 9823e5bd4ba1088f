/* signals.c - a worker's signals and its supervisor's death; see signals.h. */
#include "signals.h"

#include <sys/prctl.h>
#include <unistd.h>

#include "log.h"

static bool orphaned(const struct worker_signals *s)
{
	/* The kernel re-parents an orphan (to init or a subreaper) before it
	 * sends the parent-death signal, so getppid() already tells. */
	return getppid() != s->supervisor;
}

static void on_signal(uv_signal_t *h, int signum)
{
	struct worker_signals *s = h->data;
	if (s->stopping)
		return;
	if (signum == SIGHUP) {
		s->ops->reload(s->data);
	} else if (signum == SIGUSR1 || signum == SIGUSR2) {
		s->ops->status(s->data, signum);
	} else {
		/* A stray ORPHAN signal (sent by hand) while the supervisor
		 * lives is not a death. */
		if (signum == WORKER_SIG_ORPHAN && !orphaned(s))
			return;
		enum worker_stop why = orphaned(s) ? WORKER_STOP_ORPHANED : WORKER_STOP_ASKED;
		s->stopping = true;
		for (int i = 0; i < WORKER_NSIGNALS; i++)
			uv_unref((uv_handle_t *)&s->h[i]);
		s->ops->stop(s->data, why);
	}
}

static int signal_at(int i)
{
	const int sigs[WORKER_NSIGNALS - 1] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2 };
	return i < WORKER_NSIGNALS - 1 ? sigs[i] : WORKER_SIG_ORPHAN;
}

void worker_signals_start(struct worker_signals *s, uv_loop_t *loop, pid_t supervisor,
			  const struct worker_signal_ops *ops, void *data)
{
	*s = (struct worker_signals){ .supervisor = supervisor ? supervisor : getppid(),
				      .ops = ops, .data = data };
	for (int i = 0; i < WORKER_NSIGNALS; i++) {
		uv_signal_init(loop, &s->h[i]);
		s->h[i].data = s;
		uv_signal_start(&s->h[i], on_signal, signal_at(i));
	}
	/* The handler first: the signal's default action would kill us. */
	if (prctl(PR_SET_PDEATHSIG, WORKER_SIG_ORPHAN) < 0)
		log_warn("cannot ask for the supervisor's death signal");
	/* The supervisor may have died before the request: the kernel will
	 * not send the signal for a death that is past. Send it ourselves;
	 * uv delivers it on the loop, like the kernel's. */
	if (orphaned(s))
		raise(WORKER_SIG_ORPHAN);
}

void worker_signals_close(struct worker_signals *s)
{
	for (int i = 0; i < WORKER_NSIGNALS; i++) {
		int sig = signal_at(i);
		if (!uv_is_closing((uv_handle_t *)&s->h[i]))
			uv_close((uv_handle_t *)&s->h[i], NULL);
		/* Closing restored the default action, which for all of these is
		 * to die; the worker is on its way out with status 0. */
		signal(sig, SIG_IGN);
	}
}
