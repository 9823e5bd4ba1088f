/* fifo.c - the checker's lines on the notify FIFOs; see fifo.h. */
#include "fifo.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "notify_fifo.h"
#include "scriptsec.h"
#include "user.h"

/* The users a FIFO setting names, keepalived's rule: its own, else the
 * default script user. false (logged) when they do not exist. */
static bool ids_of(const struct run_as *r, const struct global_defs *g, const char *what,
		   uid_t *uid, gid_t *gid)
{
	char why[160];
	if (user_resolve_script(r->user, r->group, g->script_user.user, g->script_user.group,
				uid, gid, why, sizeof(why)))
		return true;
	log_msg(LOG_ERR, "invalid user/group for %s %s - ignoring (%s)", what, r->path, why);
	return false;
}

static struct notify_fifo *open_one(uv_loop_t *loop, const struct global_defs *g,
				    const char *setting, const struct run_as *fifo,
				    const struct run_as *script, const struct check_fifos *prev)
{
	struct notify_fifo_spec spec = { .setting = setting, .path = fifo->path };
	if (!ids_of(fifo, g, setting, &spec.owner_uid, &spec.owner_gid))
		return NULL;
	if (script && script->path) {
		uid_t uid;
		gid_t gid;
		char why[512];
		if (!ids_of(script, g, setting, &uid, &gid)) {
			/* logged: the FIFO is made without its reader */
		} else if (g->enable_script_security &&
			   !script_command_is_secure(script->path, uid, gid, why, sizeof(why))) {
			log_msg(LOG_ERR, "SECURITY VIOLATION - %s_script '%s' not started: %s",
				setting, script->path, why);
		} else {
			spec.script = script->path;
			spec.uid = uid;
			spec.gid = gid;
		}
	}
	return notify_fifo_reuse(loop, &spec, prev ? prev->f : NULL, prev ? 2 : 0);
}

void check_fifos_open(struct check_fifos *cf, uv_loop_t *loop, const struct config *cfg,
		      bool own_global, const struct check_fifos *prev)
{
	const struct global_defs *g = &cfg->global;
	if (g->notify_fifo.path)
		cf->f[0] = open_one(loop, g, "notify_fifo", &g->notify_fifo,
				    own_global ? &g->notify_fifo_script : NULL, prev);
	if (g->lvs_notify_fifo.path && g->notify_fifo.path &&
	    !strcmp(g->lvs_notify_fifo.path, g->notify_fifo.path))
		log_msg(LOG_INFO, "notify FIFO %s is both notify_fifo and lvs_notify_fifo - "
			"ignoring lvs_notify_fifo", g->lvs_notify_fifo.path);
	else if (g->lvs_notify_fifo.path)
		cf->f[1] = open_one(loop, g, "lvs_notify_fifo", &g->lvs_notify_fifo,
				    &g->lvs_notify_fifo_script, prev);
}

void check_fifos_close(struct check_fifos *cf)
{
	for (int k = 0; k < 2; k++) {
		notify_fifo_release(cf->f[k]);
		cf->f[k] = NULL;
	}
}

static void write_line(struct check_fifos *cf, const char *line, int len)
{
	if (len < 0)
		return;
	for (int k = 0; k < 2; k++) {
		if (!cf->f[k])
			continue;
		/* Too long for one atomic write: notify_fifo_write() refuses it. */
		if (len < PIPE_BUF && notify_fifo_write(cf->f[k], line, (size_t)len))
			cf->lines++;
		else
			cf->dropped++;
	}
}

void check_fifos_vs(struct check_fifos *cf, const char *vs, bool up)
{
	char line[PIPE_BUF];
	write_line(cf, line, snprintf(line, sizeof(line), "VS %s %s\n", vs, up ? "UP" : "DOWN"));
}

void check_fifos_rs(struct check_fifos *cf, const char *rs, const char *vs, bool up)
{
	char line[PIPE_BUF];
	write_line(cf, line, snprintf(line, sizeof(line), "RS %s %s %s\n", rs, vs,
				      up ? "UP" : "DOWN"));
}
