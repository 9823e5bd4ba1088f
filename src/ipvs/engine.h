/* engine.h - keeps the kernel's IPVS table equal to what vigil wants.
 *
 * At start it adopts the entries that already match (no flush: live
 * connections through unchanged services survive a restart), applies the
 * difference, and re-reads the kernel's table periodically so that an
 * entry someone changed or deleted by hand is put back (with a log line
 * saying what was restored). A reload applies only the difference between
 * the old and the new configuration. Entries vigil does not own are left
 * alone. On stop it removes what it owns, unless told to keep it
 * (vigild --dont-release-ipvs, as keepalived's -I).
 */
#ifndef VIGIL_IPVS_ENGINE_H
#define VIGIL_IPVS_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "conf.h"
#include "netlink.h"
#include "reconcile.h"

/* How often the kernel's table is re-read for drift. */
#define IPVS_RESYNC_MS 3000

struct ipvs_engine {
	uv_loop_t *loop;
	const struct config *cfg;
	struct ipvs_nl nl;
	bool have_nl;                 /* false: IPVS not available (retried) */
	bool keep_on_stop;
	struct ipvs_table desired;
	struct ipvs_key *owned;       /* services vigil manages */
	size_t nowned;
	struct ipvs_key *failing;     /* services whose change the kernel refused:
				       * logged once, retried quietly until a reload */
	size_t nfailing;
	uv_timer_t resync;
	uint64_t ops_applied;         /* netlink operations sent to change the table */
	uint64_t ops_failed;
};

/* 0, or -1 after logging why (the engine then retries every resync). */
int ipvs_engine_start(struct ipvs_engine *e, uv_loop_t *loop, const struct config *cfg,
		      bool keep_on_stop);
/* Apply cfg's table; entries of the old configuration that cfg no longer
 * wants are removed. cfg must outlive the engine or the next reload. */
void ipvs_engine_reload(struct ipvs_engine *e, const struct config *cfg);
/* Re-read the kernel's table and apply the difference now; returns the
 * number of operations applied. */
size_t ipvs_engine_sync(struct ipvs_engine *e, const char *why);
void ipvs_engine_stop(struct ipvs_engine *e);

#endif
