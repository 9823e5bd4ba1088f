/* startstop.h - global_defs startup_script and shutdown_script, run by the
 * supervisor.
 *
 * keepalived 2.2 (core/main.c) runs startup_script in its parent before
 * it starts any child process, and starts them when the script has ended,
 * whatever its result: failed, timed out (SIGTERM, then SIGKILL to its
 * process group) or not runnable. It runs shutdown_script after its
 * children have exited at stop, and exits when the script has ended. The
 * startup script is not run again at a reload; the shutdown script is
 * the one of the configuration running at stop. Both run as the script
 * user (the script's own "USER [GROUP]", else script_user, else
 * keepalived_script, else root) and must pass enable_script_security,
 * like every other script; a refused one is not run, and the daemon goes
 * on without it. vigil does the same through lib/script.c.
 */
#ifndef VIGIL_STARTSTOP_H
#define VIGIL_STARTSTOP_H

#include <stdbool.h>
#include <uv.h>

#include "conf.h"
#include "script.h"

struct startstop {
	struct script_job job;
	bool startup;
	bool log_detail;                 /* -D: say when it succeeded too */
	void (*done)(void *data);
	void *data;
};

/* Run the startup (startup true) or shutdown script of g on loop; done
 * is called from the loop when it has ended, once. Returns false, and
 * never calls done, when there is nothing to run (none configured, or
 * refused: logged): the caller goes on at once. */
bool startstop_run(struct startstop *ss, uv_loop_t *loop, const struct global_defs *g,
		   bool startup, bool log_detail, void (*done)(void *data), void *data);

/* Stop a running script (vigild is stopping while the startup script
 * runs); done still comes. */
void startstop_cancel(struct startstop *ss);

#endif
