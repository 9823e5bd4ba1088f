/* health.h - the health-check engine: runs every configured checker on
 * its schedule and keeps a verdict per real server.
 *
 * For each checker of each real server it owns one probe (probe.h) and
 * one timer. Attempts follow keepalived's timing: the first after a share
 * of warmup (checkers are spread evenly over it, not fired together, and
 * not at random), then delay_loop after each attempt, or
 * delay_before_retry while retries are being spent (state.h has the rule).
 * A real server is alive when every one of its checkers is up (alpha: a
 * checker counts as down until its first success). A checker that reports
 * a weight (misc_dynamic, FILE_CHECK) adds what it asks minus the
 * configured weight to the server's weight, as keepalived sums them; a
 * reload keeps each checker's request.
 *
 * Every change of a checker's state is logged in keepalived's words
 * ("TCP connection to [10.0.0.2]:tcp:80 success."), every change of a
 * server's verdict too ("Removing service [10.0.0.2]:tcp:80 from VS
 * [10.11.12.99]:tcp:80"), and notify_up / notify_down run. Verdict changes
 * are then reported to the owner once per loop turn (changes that happen
 * together are coalesced): the owner recomputes the IPVS table through
 * health_verdict(). The engine never calls IPVS itself.
 */
#ifndef VIGIL_CHECK_HEALTH_H
#define VIGIL_CHECK_HEALTH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <uv.h>

#include "conf.h"
#include "ipvs/reconcile.h"

struct health;

/* Some real server's verdict (alive or weight) changed. */
typedef void (*health_changed_fn)(void *data);

/* Start checking everything cfg configures. The engine takes its own
 * reference on cfg (conf_ref()) and keeps it as long as any checker of
 * that model runs, across health_reload(). NULL on out of memory. */
struct health *health_new(uv_loop_t *loop, const struct config *cfg,
			  health_changed_fn changed, void *data);

/* ipvs_desired()'s verdict callback (data: the struct health). A real
 * server that the engine does not know (no checker) is up with its
 * configured weight. */
struct rs_verdict health_verdict(const struct virtual_server *vs, const struct real_server *rs,
				 void *data);

/* Switch to cfg. A checker that is the same in both (same virtual server
 * head, real server address and port, checker kind and position) keeps
 * its state and its place in the schedule; the others start afresh. */
void health_reload(struct health *h, const struct config *cfg);

/* A virtual server's quorum changed (the IPVS engine's ipvs_quorum_fn):
 * log it as keepalived does ("Lost quorum 1-0=1 > 0 for VS ...", the
 * sorry server going in or out) and run quorum_up / quorum_down. */
void health_quorum_changed(struct health *h, const struct virtual_server *vs, bool up);

/* Stop every probe and timer and free the engine (the last handles close
 * on the loop, which must run once more). */
void health_free(struct health *h);

/* Where verdict and quorum changes write their FIFO lines (fifo.h); the
 * caller's, which must outlive h or be unset (NULL) first. */
struct check_fifos;
void health_set_fifos(struct health *h, struct check_fifos *fifos);

/* Counters, for status and benchmarks. */
struct health_stats {
	uint64_t checkers;        /* probes configured */
	uint64_t servers;         /* real servers with at least one checker */
	uint64_t servers_alive;
	uint64_t attempts;        /* probe attempts completed */
	uint64_t failures;        /* of which failed */
	uint64_t transitions;     /* checker state changes reported */
};
void health_get_stats(const struct health *h, struct health_stats *out);

/* Counters and every real server with its checkers, as one JSON object
 * (for vigild --status). */
void health_json(const struct health *h, FILE *f);

/* keepalived's FMT_VS and FMT_RS: "[10.11.12.99]:tcp:80", "FWM 5",
 * "[group NAME]:tcp"; "[10.0.0.2]:tcp:80". */
char *health_vs_fmt(const struct virtual_server *vs, char *buf, size_t len);
char *health_rs_fmt(const struct virtual_server *vs, const struct real_server *rs, char *buf,
		    size_t len);

#endif
