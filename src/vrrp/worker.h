/* worker.h - the VRRP worker process: runs the engine on its own loop
 * until SIGTERM or its supervisor's death (it resigns either way: see
 * worker.c), reloads on SIGHUP, rewrites its status file on SIGUSR1 and
 * SIGUSR2. Started by the supervisor as vigild --worker=vrrp, after the
 * supervisor has validated the configuration. */
#ifndef VIGIL_VRRP_WORKER_H
#define VIGIL_VRRP_WORKER_H

#include <sys/types.h>

#include "conf.h"

struct vrrp_worker_opts {
	const char *config_file;   /* re-read on SIGHUP */
	const char *config_id;
	const char *status_path;   /* JSON status file; NULL: none */
	pid_t supervisor;          /* the parent; 0: whoever it is at start */
};

/* Runs until stopped; returns the exit code. Takes ownership of cfg. */
int vrrp_worker_run(struct config *cfg, const struct vrrp_worker_opts *o);
/* Remove every VIP the configuration names, from every interface: the
 * supervisor calls it when the worker died without cleaning up. */
void vrrp_remove_all_vips(const struct config *cfg);

#endif
