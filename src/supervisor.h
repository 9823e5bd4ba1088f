/* supervisor.h - the long-running daemon: owns the configuration model,
 * runs the VRRP and checker workers as child processes (restarting one
 * that dies, or with -R stopping), reloads on SIGHUP (a new model
 * replaces the old only when it parses without error), has the workers
 * rewrite their status on SIGUSR1/SIGUSR2 and stops on SIGTERM/SIGINT. */
#ifndef VIGIL_SUPERVISOR_H
#define VIGIL_SUPERVISOR_H

#include "options.h"

/* Runs until asked to stop; returns the process exit code (0, or 1 when
 * the configuration does not load or -R stopped it after a worker died). */
int supervisor_run(const struct options *o, const char *config_id);

#endif
