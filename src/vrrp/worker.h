/* worker.h - the VRRP worker process: runs the engine on its own loop
 * until SIGTERM, reloads on SIGHUP. Started by the supervisor with fork(),
 * so it begins with the model the supervisor parsed and validated. */
#ifndef VIGIL_VRRP_WORKER_H
#define VIGIL_VRRP_WORKER_H

#include "conf.h"

struct vrrp_worker_opts {
	const char *config_file;   /* re-read on SIGHUP */
	const char *config_id;
	const char *status_path;   /* JSON status file; NULL: none */
};

/* Runs until SIGTERM; returns the exit code. Takes ownership of cfg. */
int vrrp_worker_run(struct config *cfg, const struct vrrp_worker_opts *o);
/* Remove every VIP the configuration names, from every interface: the
 * supervisor calls it when the worker died without cleaning up. */
void vrrp_remove_all_vips(const struct config *cfg);

#endif
