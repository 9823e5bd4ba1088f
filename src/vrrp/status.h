/* status.h - the VRRP worker's state as JSON, for operators and tools.
 *
 * Written atomically (temporary file + rename) beside the pid file, as
 * <pidfile minus .pid>.vrrp.json, whenever an instance changes state and
 * every few seconds otherwise; `vigild --status` prints it. */
#ifndef VIGIL_VRRP_STATUS_H
#define VIGIL_VRRP_STATUS_H

#include <stdio.h>

struct vrrp_engine;

/* JSON for the engine's current state on f. */
void vrrp_status_json(const struct vrrp_engine *e, FILE *f);
/* Write it to path atomically; 0 or -errno. */
int vrrp_status_write(const struct vrrp_engine *e, const char *path);
/* "/run/vigild.pid" -> "/run/vigild.vrrp.json" into buf. */
char *vrrp_status_path(const char *pidfile, char *buf, size_t len);

#endif
