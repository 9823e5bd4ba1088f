/* scripts.c - the scripts a configuration names, checked on this system;
 * see scripts.h. */
#include "scripts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmdline.h"
#include "model.h"
#include "scriptsec.h"
#include "user.h"

/* Where a bare command name is looked for: the PATH scripts run with
 * (lib/script.c gives them this one, not the daemon's). */
static const char *const script_path[] = {
	"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin", NULL
};

enum found { FOUND_OK, FOUND_MISSING, FOUND_NOT_EXEC, FOUND_NOT_FILE };

static enum found look_at(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return FOUND_MISSING;
	if (!S_ISREG(st.st_mode))
		return FOUND_NOT_FILE;
	if (!(st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)))
		return FOUND_NOT_EXEC;
	return FOUND_OK;
}

/* The program a command line starts, as it will be found at run time. */
static enum found find_program(const char *prog, char *where, size_t len)
{
	if (strchr(prog, '/')) {
		snprintf(where, len, "%s", prog);
		return look_at(prog);
	}
	enum found best = FOUND_MISSING;
	for (size_t i = 0; script_path[i]; i++) {
		snprintf(where, len, "%s/%s", script_path[i], prog);
		enum found f = look_at(where);
		if (f == FOUND_OK)
			return f;
		if (f != FOUND_MISSING)
			best = f;
	}
	snprintf(where, len, "%s", prog);
	return best;
}

static void check_script(struct diags *d, struct srcpos pos, const char *what, const char *cmd,
			 const char *then)
{
	char **argv;
	char where[4096];

	if (!cmd || cmdline_split(cmd, &argv, NULL) < 0)
		return;                  /* the parser has said what is wrong */
	/* A command run through the shell may start with a keyword or a
	 * builtin: only a path can be checked there. */
	if (!cmdline_needs_shell(cmd) || strchr(argv[0], '/')) {
		switch (find_program(argv[0], where, sizeof(where))) {
		case FOUND_OK:
			break;
		case FOUND_MISSING:
			diag_warn(d, pos, "%s '%s' does not exist; %s", what, where, then);
			break;
		case FOUND_NOT_EXEC:
			diag_warn(d, pos, "%s '%s' is not executable; %s", what, where, then);
			break;
		case FOUND_NOT_FILE:
			diag_warn(d, pos, "%s '%s' is not a regular file; %s", what, where, then);
			break;
		}
	}
	free(argv);
}

void conf_check_script(struct diags *d, struct srcpos pos, const char *what, const char *cmd)
{
	check_script(d, pos, what, cmd, "it fails each time it should run");
}

/* enable_script_security, as the daemon will apply it when the script
 * should run (the same script_command_is_secure()), told at the script's
 * file:line:col now. A warning, as keepalived only disables the script;
 * the line says it will not run. */
static void check_secure(const struct config *cfg, struct diags *d, struct srcpos pos,
			 const char *what, const char *cmd, const char *user, const char *group)
{
	const struct user_group *su = &cfg->global.script_user;
	uid_t uid;
	gid_t gid;
	char why[512];

	if (!cfg->global.enable_script_security || !cmd ||
	    cmdline_split(cmd, NULL, NULL) < 0 ||
	    !user_resolve_script(user, group, su->user, su->group, &uid, &gid, NULL, 0))
		return;
	if (!script_command_is_secure(cmd, uid, gid, why, sizeof(why)))
		diag_warn(d, pos, "SECURITY VIOLATION - %s will not run: %s", what, why);
}

/* Every script the configuration can run: checked as a file, and against
 * enable_script_security. */
static void check_one(const struct config *cfg, struct diags *d, struct srcpos pos,
		      const char *what, const char *cmd, const char *user, const char *group)
{
	if (!cmd)
		return;
	size_t before = d->nwarnings;
	conf_check_script(d, pos, what, cmd);
	/* A missing program is said once; shell syntax is a warning of its own. */
	if (d->nwarnings == before || cmdline_needs_shell(cmd))
		check_secure(cfg, d, pos, what, cmd, user, group);
}

static void check_notify(const struct config *cfg, struct diags *d, const char *kw,
			 const struct notify_script *ns)
{
	check_one(cfg, d, ns->pos, kw, ns->cmd, ns->user, ns->group);
}

static void check_notify_set(const struct config *cfg, struct diags *d,
			     const struct notify_script *master, const struct notify_script *backup,
			     const struct notify_script *fault, const struct notify_script *stop,
			     const struct notify_script *any)
{
	check_notify(cfg, d, "notify_master", master);
	check_notify(cfg, d, "notify_backup", backup);
	check_notify(cfg, d, "notify_fault", fault);
	check_notify(cfg, d, "notify_stop", stop);
	check_notify(cfg, d, "notify", any);
}

static void check_lvs(const struct config *cfg, struct diags *d, const char *kw,
		      const struct lvs_script *s)
{
	if (s)
		check_one(cfg, d, s->pos, kw, s->cmd, s->user, s->group);
}

static void check_run_as(const struct config *cfg, struct diags *d, const char *kw,
			      const struct run_as *r, struct srcpos pos)
{
	check_one(cfg, d, pos, kw, r->path, r->user, r->group);
}

void conf_check_scripts(const struct config *cfg, struct diags *d)
{
	const struct global_defs *g = &cfg->global;
	struct srcpos gpos = { 0 };     /* global_defs keeps no position */

	check_run_as(cfg, d, "startup_script", &g->startup_script, gpos);
	check_run_as(cfg, d, "shutdown_script", &g->shutdown_script, gpos);
	check_run_as(cfg, d, "notify_fifo_script", &g->notify_fifo_script, gpos);
	check_run_as(cfg, d, "vrrp_notify_fifo_script", &g->vrrp_notify_fifo_script, gpos);
	check_run_as(cfg, d, "lvs_notify_fifo_script", &g->lvs_notify_fifo_script, gpos);
	for (LIST_EACH(struct vrrp_script, vs, &cfg->vrrp_scripts))
		check_one(cfg, d, vs->hdr.node.pos, "vrrp_script script", vs->script,
			  vs->user.user, vs->user.group);
	for (LIST_EACH(struct vrrp_instance, vi, &cfg->vrrp_instances)) {
		check_notify_set(cfg, d, &vi->notify_master, &vi->notify_backup, &vi->notify_fault,
				 &vi->notify_stop, &vi->notify);
		check_notify(cfg, d, "notify_master_rx_lower_pri", &vi->notify_master_rx_lower_pri);
		check_notify(cfg, d, "notify_deleted", &vi->notify_deleted.script);
	}
	for (LIST_EACH(struct vrrp_sync_group, sg, &cfg->vrrp_sync_groups))
		check_notify_set(cfg, d, &sg->notify_master, &sg->notify_backup, &sg->notify_fault,
				 &sg->notify_stop, &sg->notify);
	for (LIST_EACH(struct virtual_server, vs, &cfg->virtual_servers)) {
		check_lvs(cfg, d, "quorum_up", vs->quorum_up);
		check_lvs(cfg, d, "quorum_down", vs->quorum_down);
		for (LIST_EACH(struct real_server, rs, &vs->real_servers)) {
			check_lvs(cfg, d, "notify_up", rs->notify_up);
			check_lvs(cfg, d, "notify_down", rs->notify_down);
			for (LIST_EACH(struct checker, c, &rs->checkers)) {
				if (c->kind != CHECK_MISC)
					continue;
				const struct misc_check *m = (const void *)c;
				/* A missing misc_path leaves its checker out at run
				 * time (misc.c, keepalived's "Disabling misc script"). */
				size_t before = d->nwarnings;
				check_script(d, c->node.pos, "MISC_CHECK misc_path", m->path,
					     "the checker is left out when it starts "
					     "(keepalived's \"Disabling misc script\"), "
					     "and its real server is judged without it");
				if (d->nwarnings == before || cmdline_needs_shell(m->path))
					check_secure(cfg, d, c->node.pos, "misc_path", m->path,
						     m->user.user, m->user.group);
			}
		}
	}
}
