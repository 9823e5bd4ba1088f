/* startstop.c - startup_script and shutdown_script; see startstop.h. */
#include "startstop.h"

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "user.h"

static const char *what(const struct startstop *ss)
{
	return ss->startup ? "startup script" : "shutdown script";
}

/* keepalived's lines: "... timed out", "... failed, status N" (it writes
 * "startup script script failed": the doubled word is left out here),
 * "... succeeded" with -D. */
static void on_done(struct script_job *job, const struct script_result *r, void *data)
{
	struct startstop *ss = data;
	char buf[256];
	(void)job;
	switch (r->status) {
	case SCRIPT_EXITED:
		if (r->exit_code)
			log_msg(LOG_INFO, "%s failed, status %d", what(ss), r->exit_code);
		else if (ss->log_detail)
			log_msg(LOG_INFO, "%s succeeded", what(ss));
		break;
	case SCRIPT_TIMED_OUT:
		log_msg(LOG_INFO, "%s timed out (%s)", what(ss),
			script_result_describe(r, buf, sizeof(buf)));
		break;
	case SCRIPT_SPAWN_FAILED:
		log_msg(LOG_INFO, "Call of %s failed: %s", what(ss),
			script_result_describe(r, buf, sizeof(buf)));
		break;
	case SCRIPT_SIGNALLED:
	case SCRIPT_CANCELLED:
		log_msg(LOG_INFO, "%s %s", what(ss), script_result_describe(r, buf, sizeof(buf)));
		break;
	}
	ss->done(ss->data);
}

bool startstop_run(struct startstop *ss, uv_loop_t *loop, const struct global_defs *g,
		   bool startup, bool log_detail, void (*done)(void *data), void *data)
{
	const struct run_as *ra = startup ? &g->startup_script : &g->shutdown_script;
	char why[512];
	uid_t uid;
	gid_t gid;

	ss->startup = startup;
	ss->log_detail = log_detail;
	ss->done = done;
	ss->data = data;
	if (!ra->path)
		return false;
	if (!user_resolve_script(ra->user, ra->group, g->script_user.user, g->script_user.group,
				 &uid, &gid, why, sizeof(why))) {
		log_msg(LOG_ERR, "%s %s will not run: %s", what(ss), ra->path, why);
		return false;
	}
	if (g->enable_script_security &&
	    !script_command_is_secure(ra->path, uid, gid, why, sizeof(why))) {
		log_msg(LOG_ERR, "SECURITY VIOLATION - %s %s will not run: %s", what(ss), ra->path,
			why);
		return false;
	}
	struct script_spec spec = {
		.command = ra->path,
		.uid = uid,
		.gid = gid,
		.timeout_us = startup ? g->startup_script_timeout : g->shutdown_script_timeout,
	};
	if (log_detail)
		log_msg(LOG_INFO, "Running %s %s", what(ss), ra->path);
	script_job_init(&ss->job);
	if (script_run(loop, &ss->job, &spec, on_done, ss) < 0) {
		log_msg(LOG_INFO, "Call of %s %s failed", what(ss), ra->path);
		return false;
	}
	return true;
}

void startstop_cancel(struct startstop *ss)
{
	script_cancel(&ss->job);
}
