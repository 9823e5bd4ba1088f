/* probetest.h - drive one probe kind in a unit test.
 *
 * probetest_run() runs attempts of a probe on a fresh loop and checks the
 * contract of probe.h on the way: done comes exactly once per start
 * (before start returns is allowed), and after fini and ctx_fini the loop
 * closes with no handle left. Listeners for the tests are plain sockets
 * on 127.0.0.1 / ::1. */
#ifndef VIGIL_PROBETEST_H
#define VIGIL_PROBETEST_H

#include <check.h>
#include <stdint.h>
#include <sys/types.h>

#include "check/probe.h"

struct probetest {
	uv_loop_t loop;
	struct probe_ctx ctx;
	struct probe *p;
	int calls;
	struct probe_result r;
};

/* Set up t with a probe of ops for checker conf (may be NULL for kinds
 * that do not read it; rs and vs may be NULL too), connecting to dst
 * ("127.0.0.1", port) with timeout_us. init is called and must succeed. */
void probetest_init(struct probetest *t, const struct probe_ops *ops,
		    const struct checker *conf, const char *dst, uint16_t port,
		    uint64_t timeout_us);
/* One attempt, run until done (bounded by timeout + 5 s); returns the
 * result (also in t->r). */
const struct probe_result *probetest_attempt(struct probetest *t);
/* Start an attempt, run the loop for run_ms, then cancel: no done may come. */
void probetest_cancel_after(struct probetest *t, unsigned run_ms);
/* fini, ctx_fini, free; the loop must close with no handle open. */
void probetest_fini(struct probetest *t);

/* A TCP listener on 127.0.0.1 (port 0: any); returns the fd, *port set. */
int probetest_listen_tcp(uint16_t *port, int backlog);
/* A UDP socket bound on 127.0.0.1; returns the fd, *port set. */
int probetest_bind_udp(uint16_t *port);
/* A loopback port nothing listens on (bound then closed). */
uint16_t probetest_closed_port(void);

/* ---- kinds without an address (MISC_CHECK, FILE_CHECK) -------------------- */

/* Set up t like probetest_init with no address, with ctx.cfg = cfg (may be
 * NULL), p->rs/p->vs = rs/vs (may be NULL) and name "[127.0.0.2]:tcp:80".
 * Returns what init returned, instead of asserting it: on -1, err holds
 * why, and the probe and the loop are already freed (t is done with). */
int probetest_init_cfg(struct probetest *t, const struct probe_ops *ops,
		       const struct checker *conf, const struct config *cfg,
		       const struct real_server *rs, const struct virtual_server *vs,
		       uint64_t timeout_us, char *err, size_t errlen);
/* probetest_cancel_after for kinds whose cancel leaves work on the loop
 * (a script being killed): after cancel the loop runs until nothing is
 * left in it, at most wait_ms; no done may come. */
void probetest_cancel_after_wait(struct probetest *t, unsigned run_ms, unsigned wait_ms);
/* probetest_fini, letting the loop run until nothing is left in it (at
 * most wait_ms) before it must close. */
void probetest_fini_wait(struct probetest *t, unsigned wait_ms);

/* The same on ::1. */
int probetest_listen_tcp6(uint16_t *port, int backlog);
int probetest_bind_udp6(uint16_t *port);

/* Run fn(arg) in a forked child, a responder for the probe under test:
 * it is killed when the test process ends (PR_SET_PDEATHSIG), so a
 * failing test leaves none behind, and after 30 s at the latest. It
 * exits 0 when fn returns. Returns the child's pid. */
pid_t probetest_spawn(void (*fn)(void *arg), void *arg);
/* Kill a probetest_spawn() child and reap it. */
void probetest_reap(pid_t pid);

/* Another probe like t->p (same ops, conf, rs, vs, addresses, timeout)
 * on t's loop and context, so that several probes share one kind_state;
 * its results go to done with p->data = data. init must succeed. */
struct probe *probetest_clone(struct probetest *t, probe_done_fn done, void *data);
/* cancel, fini and free a probe from probetest_clone. */
void probetest_free_clone(struct probe *p);
/* Run t's loop until *count reaches target or ms have passed; returns
 * *count. */
int probetest_run_until(struct probetest *t, const int *count, int target, unsigned ms);

#endif
