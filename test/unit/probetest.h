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
