/* engine.h - keeps the kernel's IPVS table equal to what vigil wants.
 *
 * At start it adopts the entries that already match (no flush: live
 * connections through unchanged services survive a restart) and applies
 * the difference against a dump of the kernel's table. After that, a
 * change of the checkers' verdicts or a reload is applied as the
 * difference between the table vigil wanted before and the one it wants
 * now, without reading the kernel back (a reload of 1,000 services that
 * changes one destination sends one netlink message and reads nothing).
 * The kernel is re-read every IPVS_RESYNC_MS to repair drift: an entry
 * someone changed or deleted by hand is put back, with a log line saying
 * what was restored. Each re-read dumps the list of services, and the
 * destinations of at most IPVS_RESYNC_DEST_BATCH of vigil's services, in
 * turn: with up to that many services every destination is compared every
 * period; with more, a missing or changed service is still found at the
 * next period, a destination within ceil(n / batch) periods. Entries vigil
 * does not own are left alone. On stop it removes what it owns, unless
 * told to keep it (vigild --dont-release-ipvs, as keepalived's -I, or a
 * checker whose supervisor died).
 *
 * The checkers' verdicts come in through a rs_verdict_fn (reconcile.h);
 * the engine keeps each virtual server's quorum state and says when one
 * changes, so that the caller logs it and runs quorum_up/quorum_down.
 */
#ifndef VIGIL_IPVS_ENGINE_H
#define VIGIL_IPVS_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "conf.h"
#include "netlink.h"
#include "reconcile.h"

/* How often the kernel's table is re-read for drift, and how many
 * services have their destinations dumped each time. */
#define IPVS_RESYNC_MS 3000
#define IPVS_RESYNC_DEST_BATCH 100

/* A virtual server's quorum changed (up: gained; else lost). */
typedef void (*ipvs_quorum_fn)(const struct virtual_server *vs, bool up, void *data);

struct ipvs_engine {
	uv_loop_t *loop;
	const struct config *cfg;     /* a reference (conf_ref()), until the next reload or stop */
	struct ipvs_nl nl;
	bool have_nl;                 /* false: IPVS not available (retried) */
	bool keep_on_stop;
	rs_verdict_fn verdict;        /* NULL: every real server up */
	void *verdict_data;
	ipvs_quorum_fn on_quorum;
	void *quorum_data;
	struct ipvs_quorum_state quorum;
	struct ipvs_table desired;
	struct ipvs_keyset *desired_ix;  /* service key -> index in desired + 1 */
	struct ipvs_keyset *owned;    /* services vigil manages */
	struct ipvs_keyset *failing;  /* services whose change the kernel refused:
				       * logged once, retried quietly until a reload */
	size_t resync_cursor;         /* next desired service whose dests are dumped */
	uv_timer_t resync;
	uint64_t ops_applied;         /* netlink operations sent to change the table */
	uint64_t ops_failed;
};

/* Where verdicts come from and where quorum changes go; call before
 * ipvs_engine_start(). */
void ipvs_engine_set_hooks(struct ipvs_engine *e, rs_verdict_fn verdict, void *verdict_data,
			   ipvs_quorum_fn on_quorum, void *quorum_data);
/* 0, or -1 after logging why (the engine then retries every resync). */
int ipvs_engine_start(struct ipvs_engine *e, uv_loop_t *loop, const struct config *cfg,
		      bool keep_on_stop);
/* The verdicts changed: recompute the table and apply the difference
 * (without reading the kernel). Returns the operations applied. */
size_t ipvs_engine_update(struct ipvs_engine *e);
/* Apply cfg's table; entries of the old configuration that cfg no longer
 * wants are removed. cfg must outlive the engine or the next reload. */
void ipvs_engine_reload(struct ipvs_engine *e, const struct config *cfg);
/* Re-read the kernel's table (all of it) and apply the difference now;
 * returns the number of operations applied. */
size_t ipvs_engine_sync(struct ipvs_engine *e, const char *why);
/* Close the engine. The services it owns are removed, unless it was
 * started with keep_on_stop (-I) or leave_table is set: the checker sets
 * it when its supervisor died, so that the next start adopts the table
 * with no change instead of finding it empty. */
void ipvs_engine_stop(struct ipvs_engine *e, bool leave_table);

#endif
