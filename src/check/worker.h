/* worker.h - the checker process: health checkers (issue 5) and the IPVS
 * table they drive, on a loop of their own, so that a slow check can never
 * delay a VRRP advert. Started by the supervisor as vigild --worker=check. */
#ifndef VIGIL_CHECK_WORKER_H
#define VIGIL_CHECK_WORKER_H

#include <stdbool.h>
#include <sys/types.h>

#include "conf.h"

struct check_worker_opts {
	const char *config_file;   /* re-read on SIGHUP */
	const char *config_id;
	bool keep_ipvs;            /* --dont-release-ipvs: leave the table on stop */
	const char *status_path;   /* JSON status written here; NULL: none */
	pid_t supervisor;          /* the parent; 0: whoever it is at start */
	bool owns_notify_fifo;     /* -C: no VRRP worker creates notify_fifo and
				    * starts its reader, so this one does (fifo.h) */
};

/* Runs until SIGTERM, which releases the IPVS services it owns (unless
 * keep_ipvs), or until the supervisor dies, which leaves the table as it
 * is for the next start to adopt. Returns the exit code. Takes ownership
 * of cfg. */
int check_worker_run(struct config *cfg, const struct check_worker_opts *o);

#endif
