/* misc.c - MISC_CHECK: run a program, judge by its exit status.
 *
 * One attempt is one run of misc_path through lib/script.c: an argv (a
 * shell only when cmdline_needs_shell() says the text needs one), as the
 * checker's user, in a session of its own, killed with its whole process
 * group at p->timeout_us (misc_timeout, else delay_loop, set by the
 * engine). Nothing blocks the loop.
 *
 * Verdict, as keepalived 2.2.7's misc_check_child_thread():
 *   exit 0                      up, weight unchanged (under misc_dynamic
 *                               keepalived restores the configured weight:
 *                               result.weight -1 says exactly that);
 *   exit 1..255                 down (PROBE_SCRIPT_FAILED), except that
 *   exit 2..255, misc_dynamic   up with weight exit - 2 (0..253);
 *   ran past its timeout        down (PROBE_SCRIPT_TIMEOUT);
 *   killed by a signal          down, "due to signal N" (keepalived's words);
 *   could not start             down, "could not start: <strerror>".
 *
 * Who runs it (init): "user USER [GROUP]", else global_defs script_user,
 * else keepalived_script if that user exists, else root (lib/user.c, the
 * rule vrrp_script follows too). A named user or group that does not exist
 * leaves the checker out, as keepalived does. So does a program that is not
 * there or not executable when the checker starts (at start-up and on
 * every reload), with keepalived's "Disabling misc script ... since not
 * found/accessible": a typo in a misc_path shared by a whole virtual
 * server must not take every real server out of service (the servers keep
 * their other checkers, or stay in service when it was the only one; vigild
 * -t warns about it at the misc_path's line). With enable_script_security a
 * program that would run as root while a non-root user could change it
 * (script_is_secure) leaves the checker out too, with the culprit named.
 *
 * Memory: a script_job must stay in place until its callback, but the
 * engine may free the probe as soon as cancel returns. So each attempt is
 * a struct misc_attempt of its own holding the job; cancel detaches it
 * (back pointer NULL) and kills the script, and the callback, which
 * script.c always delivers, frees it.
 */
#include <stdio.h>
#include <syslog.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmdline.h"
#include "health.h"
#include "probe.h"
#include "script.h"
#include "user.h"

struct misc_probe;

struct misc_attempt {
	struct misc_probe *mp;    /* NULL once cancelled */
	struct script_job job;
};

struct misc_probe {
	struct probe p;
	uid_t uid;
	gid_t gid;
	struct misc_attempt *a;   /* the running attempt, NULL when idle */
};

static const struct misc_check *misc_conf(const struct probe *p)
{
	return (const struct misc_check *)(const void *)p->conf;
}

/* enable_script_security: the one gate every script runner uses
 * (script_command_is_secure(): no shell syntax as root, the program's
 * path owned and writable by root only). */
static bool misc_is_secure(const char *text, uid_t uid, gid_t gid, char *why, size_t whylen)
{
	return script_command_is_secure(text, uid, gid, why, whylen);
}

/* The directories a bare program name is looked for in: the PATH scripts
 * run with (lib/script.c), as src/conf/scripts.c looks for it at -t. */
static const char *const misc_search[] = {
	"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin", NULL
};

static bool runnable(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       (st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH));
}

/* Whether the program the text starts exists and is executable. A shell
 * command whose first word is not a path (a builtin, a keyword) cannot
 * be judged before it runs: it passes. */
static bool misc_found(const char *text)
{
	char **argv = NULL;
	char where[4096];
	bool ok = true;

	if (cmdline_split(text, &argv, NULL) < 0)
		return true;            /* refused earlier, for what it is */
	bool shell = cmdline_needs_shell(text);
	if (shell)
		argv[0][strcspn(argv[0], ";&|<>()")] = '\0';
	if (strchr(argv[0], '/')) {
		ok = runnable(argv[0]);
	} else if (!shell) {
		ok = false;
		for (size_t i = 0; misc_search[i] && !ok; i++) {
			snprintf(where, sizeof(where), "%s/%s", misc_search[i], argv[0]);
			ok = runnable(where);
		}
	}
	free(argv);
	return ok;
}

static int misc_init(struct probe *p, char *err, size_t errlen)
{
	struct misc_probe *mp = (struct misc_probe *)(void *)p;
	const struct misc_check *mc = misc_conf(p);
	const struct global_defs *g = p->ctx->cfg ? &p->ctx->cfg->global : NULL;
	const char *why = NULL;
	char reason[512];

	if (!mc || mc->c.kind != CHECK_MISC || !mc->path) {
		snprintf(err, errlen, "MISC_CHECK without misc_path");
		return -1;
	}
	if (cmdline_split(mc->path, NULL, &why) < 0) {
		snprintf(err, errlen, "MISC_CHECK misc_path <%s>: %s", mc->path, why);
		return -1;
	}
	if (!misc_found(mc->path)) {
		/* keepalived's words; the engine adds that the checker is left out. */
		snprintf(err, errlen, "Disabling misc script %s since not found/accessible",
			 mc->path);
		return -1;
	}
	if (!user_resolve_script(mc->user.user, mc->user.group, g ? g->script_user.user : NULL,
				 g ? g->script_user.group : NULL, &mp->uid, &mp->gid, reason,
				 sizeof(reason))) {
		snprintf(err, errlen, "MISC_CHECK %s: cannot run as %s; create it, or name another "
			 "with user USER [GROUP] (or global_defs script_user)", mc->path, reason);
		return -1;
	}
	if (g && g->enable_script_security &&
	    !misc_is_secure(mc->path, mp->uid, mp->gid, reason, sizeof(reason))) {
		snprintf(err, errlen, "MISC_CHECK %s: SECURITY VIOLATION - it would run as uid %u "
			 "gid %u, and %s; let only root write it and its directories, or run it "
			 "as another user (user USER)", mc->path, (unsigned)mp->uid,
			 (unsigned)mp->gid, reason);
		return -1;
	}
	return 0;
}

/* keepalived's verdict on one run; see the top of the file. */
static void misc_judge(const struct script_result *sr, bool dynamic, struct probe_result *r)
{
	char d[128];

	switch (sr->status) {
	case SCRIPT_EXITED:
		if (sr->exit_code == 0) {
			probe_result_ok(r);
		} else if (dynamic && sr->exit_code >= 2) {
			probe_result_ok(r);
			r->weight = sr->exit_code - 2;
		} else {
			probe_result_fail(r, PROBE_SCRIPT_FAILED, "exited with status %d",
					  sr->exit_code);
		}
		return;
	case SCRIPT_TIMED_OUT:
		probe_result_fail(r, PROBE_SCRIPT_TIMEOUT, "%s",
				  script_result_describe(sr, d, sizeof(d)));
		return;
	case SCRIPT_SIGNALLED:
		probe_result_fail(r, PROBE_SCRIPT_FAILED, "due to signal %d", sr->term_signal);
		return;
	case SCRIPT_SPAWN_FAILED:
	case SCRIPT_CANCELLED:
	default:
		probe_result_fail(r, PROBE_SCRIPT_FAILED, "%s",
				  script_result_describe(sr, d, sizeof(d)));
		return;
	}
}

static void misc_ran(struct script_job *job, const struct script_result *sr, void *data)
{
	struct misc_attempt *a = data;
	struct misc_probe *mp = a->mp;
	struct probe_result r;

	(void)job;
	probe_result_ok(&r);
	if (mp) {
		misc_judge(sr, misc_conf(&mp->p)->dynamic, &r);
		mp->a = NULL;
	}
	/* The job holds no handle any more (script.h): the attempt may go. */
	free(a);
	if (mp)
		mp->p.done(&mp->p, &r);
}

static void misc_start(struct probe *p)
{
	struct misc_probe *mp = (struct misc_probe *)(void *)p;
	struct probe_result r;
	struct script_spec spec = {
		.command = misc_conf(p)->path,
		.uid = mp->uid,
		.gid = mp->gid,
		.timeout_us = p->timeout_us,
	};
	struct misc_attempt *a = calloc(1, sizeof(*a));

	if (!a) {
		probe_result_fail(&r, PROBE_SCRIPT_FAILED, "could not start: out of memory");
		p->done(p, &r);
		return;
	}
	a->mp = mp;
	script_job_init(&a->job);
	int err = script_run(p->ctx->loop, &a->job, &spec, misc_ran, a);
	if (err < 0) {
		/* Only -EBUSY, which a fresh job cannot be; no callback follows. */
		free(a);
		probe_result_fail(&r, PROBE_SCRIPT_FAILED, "could not start: %s", strerror(-err));
		p->done(p, &r);
		return;
	}
	mp->a = a;
}

static void misc_cancel(struct probe *p)
{
	struct misc_probe *mp = (struct misc_probe *)(void *)p;
	struct misc_attempt *a = mp->a;

	if (!a)
		return;
	mp->a = NULL;
	a->mp = NULL;
	/* SIGKILL to the group; misc_ran() still comes, and frees a. */
	script_cancel(&a->job);
}

/* keepalived 2.2.7 words it "Misc check for [<rs> VS <vs>] by [<argv0>]
 * succeeded." and "... failed[ after N retries] (exited with status N)." /
 * "(due to signal N)." / "... timed out[ after N retries]."; with one %s
 * the engine's name stands for everything between the brackets. */
/* keepalived 2.2.7's lines: "Misc check for [RS VS VS] by [PROGRAM]
 * succeeded.", "... failed[ after N retries] (exited with status 1).",
 * "... failed (due to signal 9).", "... timed out[ after N retries]." */
static int misc_line(const struct probe *p, const struct probe_result *r, bool up, bool first,
		     uint32_t retries, char *buf, size_t len)
{
	char vs[128], after[48] = "";
	const char *path = misc_conf(p)->path;
	(void)first;
	int plen = (int)strcspn(path, " \t");
	health_vs_fmt(p->vs, vs, sizeof(vs));
	if (retries)
		snprintf(after, sizeof(after), " after %u retries", (unsigned)retries);
	if (up)
		snprintf(buf, len, "Misc check for [%s VS %s] by [%.*s] succeeded.", p->name, vs,
			 plen, path);
	else if (r->status == PROBE_SCRIPT_TIMEOUT)
		snprintf(buf, len, "Misc check for [%s VS %s] by [%.*s] timed out%s.", p->name, vs,
			 plen, path, after);
	else
		snprintf(buf, len, "Misc check for [%s VS %s] by [%.*s] failed%s (%s).", p->name,
			 vs, plen, path, after, r->detail);
	return LOG_INFO;
}

const struct probe_ops probe_misc_ops = {
	.keyword = "MISC_CHECK",
	.size = sizeof(struct misc_probe),
	.init = misc_init,
	.start = misc_start,
	.cancel = misc_cancel,
	.up_fmt = "Misc check for [%s] succeeded.",
	.down_fmt = "Misc check for [%s] failed.",
	.down_retries_fmt = "Misc check for [%s] failed after %u retries.",
	.transition_line = misc_line,
};
