/* supervisor.h - the long-running daemon: owns the configuration model,
 * reloads it on SIGHUP (a new model replaces the old only when it parses
 * without error) and stops on SIGTERM/SIGINT. The VRRP engine and the
 * checkers attach here as worker processes in later stages. */
#ifndef VIGIL_SUPERVISOR_H
#define VIGIL_SUPERVISOR_H

#include "options.h"

/* Runs until asked to stop; returns the process exit code. */
int supervisor_run(const struct options *o, const char *config_id);

#endif
