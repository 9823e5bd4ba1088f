/* supervisor.c - the parent process; see supervisor.h.
 *
 * It parses and validates the configuration, starts the VRRP worker and
 * the checker worker as separate processes (vigild --worker=vrrp and
 * --worker=check, so that a slow checker or script can never delay an
 * advert, and a crash of one never takes down the other), restarts a
 * worker that dies (or, with -R, stops: keepalived's --dont-respawn), and
 * removes a dead VRRP worker's VIPs at once instead of waiting for their
 * kernel lifetime to run out. The workers watch it in turn: if it dies,
 * they stop without it (lib/signals.h says how; each worker says what it
 * leaves behind).
 */
#include "supervisor.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include "conf.h"
#include "json.h"
#include "log.h"
#include "pidfile.h"
#include "privs.h"
#include "startstop.h"
#include "vrrp/status.h"
#include "vrrp/worker.h"

#define RESTART_DELAY_MS 1000

struct supervisor;

struct child {
	struct supervisor *sup;
	const char *what;            /* "VRRP", "Healthcheck" */
	const char *arg;             /* "--worker=vrrp" */
	const char *pidfile;         /* -r / -c; NULL: none */
	int pidfd;                   /* pidfile, locked for our life; -1: none */
	bool wanted;                 /* -P / -C leave one out */
	uv_process_t proc;
	bool running;
	uv_timer_t restart;
};

struct supervisor {
	const struct options *opts;
	const char *config_id;
	char exe[4096];
	char pid_arg[48];            /* --supervisor-pid=N, for the workers */
	struct config *cfg;          /* the running model, read-only */
	uv_loop_t *loop;
	uv_signal_t sig_hup, sig_term, sig_int, sig_usr1, sig_usr2;
	uv_timer_t stop_timer;
	struct child vrrp, check;
	struct startstop script;     /* startup_script, then shutdown_script */
	bool script_running;
	bool shutdown_done;          /* shutdown_script ran (or there is none) */
	bool stopping;
	int exit_code;               /* 1 when -R stopped us after a worker died */
};

static void begin_stop(struct supervisor *s);

/* Lock a pid file (lib/pidfile.h) or say why not; -1 then. */
static int lock_pidfile(const char *path)
{
	char why[512];
	pid_t stale = 0;
	int fd = pidfile_lock(path, &stale, why, sizeof(why));
	if (fd < 0)
		log_msg(LOG_ERR, "%s; not starting", why);
	else if (stale)
		log_msg(LOG_WARNING, "pid file %s names pid %d, which is not running (it holds no "
			"lock): taking the file over", path, (int)stale);
	return fd;
}

/* -d (keepalived's --dump-conf): the model as vigild -t --dump prints
 * it, one log line per line. */
static void log_config(const struct config *cfg)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return;
	conf_dump(f, cfg);
	if (fclose(f) != 0) {
		free(text);
		return;
	}
	log_info("------< configuration >------");
	for (char *line = text, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		log_info("%s", line);
	}
	log_info("------< end of configuration >------");
	free(text);
}

/* Parse the configuration file; log every message; NULL on error. */
static struct config *load_config(const struct supervisor *s)
{
	struct conf_opts co = { s->config_id, true };
	struct diags d;
	char where[512];

	diags_init(&d);
	struct config *cfg = conf_load_file(s->opts->config_file, &co, &d);
	for (size_t i = 0; i < d.n; i++)
		log_msg(d.msgs[i].sev == DIAG_ERROR ? LOG_ERR : LOG_WARNING, "%s%s",
			diags_where(&d, d.msgs[i].pos, where, sizeof(where)), d.msgs[i].text);
	if (!cfg)
		log_msg(LOG_ERR, "%s: %zu error(s) in configuration", s->opts->config_file,
			d.nerrors);
	diags_free(&d);
	return cfg;
}

static void start_child(struct supervisor *s, struct child *c);

static void on_restart(uv_timer_t *t)
{
	struct child *c = t->data;
	if (!c->sup->stopping)
		start_child(c->sup, c);
}

static void on_shutdown_script_done(void *data)
{
	struct supervisor *s = data;
	s->script_running = false;
	uv_stop(s->loop);
}

/* Once the workers have gone: shutdown_script (keepalived runs it after
 * its children exited), then the loop ends. */
static void maybe_finish(struct supervisor *s)
{
	if (!s->stopping || s->vrrp.running || s->check.running || s->script_running)
		return;
	uv_timer_stop(&s->stop_timer);
	if (!s->shutdown_done) {
		s->shutdown_done = true;
		s->script_running = startstop_run(&s->script, s->loop, &s->cfg->global, false,
						  s->opts->log_detail, on_shutdown_script_done, s);
		if (s->script_running)
			return;
	}
	uv_stop(s->loop);
}

static void on_child_exit(uv_process_t *p, int64_t status, int term_signal)
{
	struct child *c = p->data;
	struct supervisor *s = c->sup;
	c->running = false;
	uv_close((uv_handle_t *)p, NULL);
	/* Empty, not removed: the lock stays ours until vigild stops. */
	if (c->pidfd >= 0 && pidfile_write(c->pidfd, 0) < 0)
		log_warn("cannot empty pid file %s", c->pidfile);
	if (s->stopping || !c->wanted) {
		log_info("%s child process exited", c->what);
		maybe_finish(s);
		return;
	}
	if (term_signal)
		log_msg(LOG_ERR, "%s child process died on signal %d", c->what, term_signal);
	else
		log_msg(LOG_ERR, "%s child process exited with status %lld", c->what,
			(long long)status);
	/* A dead VRRP worker's addresses must not linger on this node
	 * while a backup elsewhere takes over. (A dead checker leaves the
	 * IPVS table as it was: its successor adopts it.) */
	if (c == &s->vrrp)
		vrrp_remove_all_vips(s->cfg);
	if (s->opts->dont_respawn) {
		log_msg(LOG_ERR, "not restarting the %s child process (-R): stopping", c->what);
		s->exit_code = 1;
		begin_stop(s);
		return;
	}
	log_info("restarting %s child process in %d ms", c->what, RESTART_DELAY_MS);
	uv_timer_start(&c->restart, on_restart, RESTART_DELAY_MS, 0);
}

static void start_child(struct supervisor *s, struct child *c)
{
	const char *args[16];
	int n = 0;
	args[n++] = s->exe;
	args[n++] = c->arg;
	args[n++] = "-n";
	args[n++] = "-f";
	args[n++] = s->opts->config_file;
	args[n++] = "-p";
	args[n++] = s->opts->pidfile;
	if (s->config_id) {
		args[n++] = "-i";
		args[n++] = s->config_id;
	}
	if (s->opts->log_console)
		args[n++] = "-l";
	if (s->opts->log_detail)
		args[n++] = "-D";
	if (s->opts->facility_arg) {
		args[n++] = "-S";
		args[n++] = s->opts->facility_arg;
	}
	if (s->opts->keep_ipvs)
		args[n++] = "-I";
	args[n++] = s->pid_arg;
	args[n] = NULL;

	uv_stdio_container_t stdio[3] = {
		{ .flags = UV_IGNORE }, { .flags = UV_INHERIT_FD, .data.fd = 1 },
		{ .flags = UV_INHERIT_FD, .data.fd = 2 },
	};
	uv_process_options_t po = {
		.exit_cb = on_child_exit,
		.file = s->exe,
		.args = (char **)args,
		.stdio_count = 3,
		.stdio = stdio,
	};
	c->proc.data = c;
	int err = uv_spawn(s->loop, &c->proc, &po);
	if (err < 0) {
		log_msg(LOG_ERR, "cannot start the %s child process: %s", c->what, uv_strerror(err));
		uv_timer_start(&c->restart, on_restart, RESTART_DELAY_MS, 0);
		return;
	}
	c->running = true;
	log_info("Starting %s child process, pid=%d", c->what, c->proc.pid);
	if (c->pidfd >= 0 && pidfile_write(c->pidfd, c->proc.pid) < 0)
		log_warn("cannot write pid file %s", c->pidfile);
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Settings a reload cannot apply: the namespace the daemon runs in, the
 * one its IPVS socket was opened in, and the instance name its pid files
 * carry were fixed at start (vigild.c, src/ipvs/engine.c). */
static void warn_start_only(const struct config *old, const struct config *fresh)
{
	static const struct {
		const char *kw;
		size_t off;
	} fields[] = {
		{ "net_namespace", offsetof(struct config, net_namespace) },
		{ "net_namespace_ipvs", offsetof(struct config, net_namespace_ipvs) },
		{ "instance", offsetof(struct config, instance_name) },
	};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const char *a = *(const char *const *)(const void *)((const char *)old + fields[i].off);
		const char *b = *(const char *const *)(const void *)((const char *)fresh + fields[i].off);
		if (!same_str(a, b))
			log_msg(LOG_WARNING, "%s changed (%s -> %s): a reload cannot apply it; restart "
				"vigild for that", fields[i].kw, a ? a : "none", b ? b : "none");
	}
}

static void start_children(struct supervisor *s)
{
	struct child *children[] = { &s->vrrp, &s->check };
	for (size_t i = 0; i < 2; i++)
		if (children[i]->wanted)
			start_child(s, children[i]);
}

static void on_startup_script_done(void *data)
{
	struct supervisor *s = data;
	s->script_running = false;
	if (s->stopping)
		maybe_finish(s);
	else
		start_children(s);
}

static void on_hup(uv_signal_t *h, int signum)
{
	struct supervisor *s = h->data;
	(void)signum;
	log_info("Reloading configuration file %s", s->opts->config_file);
	struct config *fresh = load_config(s);
	if (!fresh) {
		log_msg(LOG_ERR, "Reload failed; keeping the running configuration");
		return;
	}
	warn_start_only(s->cfg, fresh);
	conf_unref(s->cfg);
	s->cfg = fresh;
	umask(s->cfg->global.umask);
	if (s->opts->dump_conf)
		log_config(s->cfg);
	bool want_check = !s->opts->vrrp_only && s->cfg->virtual_servers.n > 0;
	if (want_check && !s->check.running) {
		s->check.wanted = true;
		/* While the startup script runs, it starts with the others. */
		if (!s->script_running)
			start_child(s, &s->check);
	} else if (!want_check && s->check.running) {
		s->check.wanted = false;
		uv_process_kill(&s->check.proc, SIGTERM);
	}
	/* The workers re-read the file themselves: it was just validated. */
	if (s->vrrp.running)
		uv_process_kill(&s->vrrp.proc, SIGHUP);
	if (s->check.running)
		uv_process_kill(&s->check.proc, SIGHUP);
	log_info("Configuration reloaded");
}

/* keepalived writes a data dump on SIGUSR1 and statistics on SIGUSR2,
 * to files in /tmp. vigil's equivalent of both is the JSON status that
 * the workers keep next to the pid file (never in /tmp, where anyone can
 * plant a link): the signal makes them rewrite it now, and the log says
 * where it is. Neither signal ever stops anything. */
static void on_usr(uv_signal_t *h, int signum)
{
	struct supervisor *s = h->data;
	char vpath[4096], cpath[4096];
	if (s->stopping)
		return;
	struct child *children[] = { &s->vrrp, &s->check };
	for (size_t i = 0; i < 2; i++)
		if (children[i]->running)
			uv_process_kill(&children[i]->proc, signum);
	log_info("signal %d: the workers rewrite their status: %s, %s "
		 "(vigild --status -p %s prints both)", signum,
		 vrrp_status_path(s->opts->pidfile, vpath, sizeof(vpath)),
		 json_status_path(s->opts->pidfile, ".check.json", cpath, sizeof(cpath)),
		 s->opts->pidfile);
}

static void on_stop_timeout(uv_timer_t *t)
{
	struct supervisor *s = t->data;
	struct child *children[] = { &s->vrrp, &s->check };
	for (size_t i = 0; i < 2; i++) {
		if (!children[i]->running)
			continue;
		log_msg(LOG_ERR, "%s child process did not stop in time; killing it",
			children[i]->what);
		uv_process_kill(&children[i]->proc, SIGKILL);
	}
	if (s->vrrp.running)
		vrrp_remove_all_vips(s->cfg);
}

static void on_stop(uv_signal_t *h, int signum)
{
	struct supervisor *s = h->data;
	log_info("Stopping on signal %d", signum);
	begin_stop(s);
}

static void begin_stop(struct supervisor *s)
{
	if (s->stopping)
		return;
	s->stopping = true;
	/* Stopped while the startup script runs: the workers never start. */
	if (s->script_running)
		startstop_cancel(&s->script);
	uv_timer_stop(&s->vrrp.restart);
	uv_timer_stop(&s->check.restart);
	if (s->vrrp.running)
		uv_process_kill(&s->vrrp.proc, SIGTERM);
	if (s->check.running)
		uv_process_kill(&s->check.proc, SIGTERM);
	if (s->vrrp.running || s->check.running) {
		uint64_t wait_ms = s->cfg->child_wait_time / 1000;
		uv_timer_start(&s->stop_timer, on_stop_timeout, wait_ms ? wait_ms : 1, 0);
	}
	maybe_finish(s);
}

static int daemonize(void)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid > 0)
		_exit(0);
	if (setsid() < 0)
		return -1;
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	return chdir("/");
}

static void watch_signal(struct supervisor *s, uv_signal_t *h, uv_signal_cb cb, int sig)
{
	uv_signal_init(s->loop, h);
	h->data = s;
	uv_signal_start(h, cb, sig);
}

static void close_walk(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

int supervisor_run(const struct options *o, const char *config_id)
{
	struct supervisor s = { .opts = o, .config_id = config_id };
	size_t exelen = sizeof(s.exe);

	log_info("Starting vigil v" PACKAGE_VERSION);
	/* global_defs umask (keepalived's default 022) for every file vigil
	 * and its workers create, whatever umask vigild was started with: the
	 * default now, for the pid files, and the configured one once it is
	 * read (again at each reload; the workers inherit it, and set it at
	 * their own reloads). */
	umask(022);
	/* One instance per pid file, the workers' included (two VRRP workers
	 * on one node would fight over the addresses): every file is locked
	 * before anything starts, and before daemonising, so a second
	 * vigild says why on the terminal and exits 1. */
	int pidfd = lock_pidfile(o->pidfile);
	if (pidfd < 0)
		return 1;
	const char *child_files[2] = { o->vrrp_pidfile, o->checkers_pidfile };
	int child_fds[2] = { -1, -1 };
	for (size_t i = 0; i < 2; i++) {
		if (child_files[i] && (child_fds[i] = lock_pidfile(child_files[i])) < 0) {
			if (i)
				pidfile_release(child_fds[0], child_files[0]);
			pidfile_release(pidfd, o->pidfile);
			return 1;
		}
	}
	s.cfg = load_config(&s);
	if (!s.cfg) {
		pidfile_release(child_fds[0], child_files[0]);
		pidfile_release(child_fds[1], child_files[1]);
		pidfile_release(pidfd, o->pidfile);
		return 1;
	}
	umask(s.cfg->global.umask);
	if (o->dump_conf)
		log_config(s.cfg);
	if (!o->foreground && daemonize() < 0) {
		log_err("cannot become a daemon");
		conf_unref(s.cfg);
		return 1;
	}
	if (pidfile_write(pidfd, getpid()) < 0)
		log_warn("cannot write pid file %s", o->pidfile);
	snprintf(s.pid_arg, sizeof(s.pid_arg), "--supervisor-pid=%d", (int)getpid());
	/* What needed root is done (the pid files are locked and written);
	 * from here on the supervisor reads the configuration, starts and
	 * signals its workers (same uid) and removes a dead VRRP worker's
	 * VIPs, the one capability it keeps effective; the workers' own stay
	 * permitted, to be passed on by exec (lib/privs.h says why). */
	char kept[256], why[256];
	if (privs_drop(PRIVS_SUPERVISOR, s.cfg->net_namespace_ipvs != NULL, kept, sizeof(kept), why,
		       sizeof(why)) < 0)
		log_msg(LOG_WARNING, "%s; running with every capability", why);
	else
		log_info("capabilities kept: %s (the others dropped)", kept);
	s.loop = uv_default_loop();
	if (uv_exepath(s.exe, &exelen) < 0)
		snprintf(s.exe, sizeof(s.exe), "/proc/self/exe");
	watch_signal(&s, &s.sig_hup, on_hup, SIGHUP);
	watch_signal(&s, &s.sig_term, on_stop, SIGTERM);
	watch_signal(&s, &s.sig_int, on_stop, SIGINT);
	watch_signal(&s, &s.sig_usr1, on_usr, SIGUSR1);
	watch_signal(&s, &s.sig_usr2, on_usr, SIGUSR2);
	uv_timer_init(s.loop, &s.stop_timer);
	s.stop_timer.data = &s;
	s.vrrp = (struct child){ .sup = &s, .what = "VRRP", .arg = "--worker=vrrp",
				 .pidfile = o->vrrp_pidfile, .pidfd = child_fds[0],
				 .wanted = !o->check_only };
	/* Like keepalived, no checker process without virtual servers. */
	s.check = (struct child){ .sup = &s, .what = "Healthcheck", .arg = "--worker=check",
				  .pidfile = o->checkers_pidfile, .pidfd = child_fds[1],
				  .wanted = !o->vrrp_only && s.cfg->virtual_servers.n > 0 };
	struct child *children[] = { &s.vrrp, &s.check };
	for (size_t i = 0; i < 2; i++) {
		uv_timer_init(s.loop, &children[i]->restart);
		children[i]->restart.data = children[i];
	}
	/* startup_script first; the workers start when it has ended. */
	s.script_running = startstop_run(&s.script, s.loop, &s.cfg->global, true,
					 o->log_detail, on_startup_script_done, &s);
	if (!s.script_running)
		start_children(&s);
	uv_run(s.loop, UV_RUN_DEFAULT);

	uv_walk(s.loop, close_walk, NULL);
	uv_run(s.loop, UV_RUN_DEFAULT);
	uv_loop_close(s.loop);
	pidfile_release(s.vrrp.pidfd, s.vrrp.pidfile);
	pidfile_release(s.check.pidfd, s.check.pidfile);
	pidfile_release(pidfd, o->pidfile);
	conf_unref(s.cfg);
	log_info("Stopped vigil v" PACKAGE_VERSION);
	return s.exit_code;
}
