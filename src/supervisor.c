/* supervisor.c - daemon main loop; see supervisor.h. */
#include "supervisor.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include "conf.h"
#include "log.h"

struct supervisor {
	const struct options *opts;
	const char *config_id;
	struct config *cfg;          /* the running model, read-only */
	uv_loop_t *loop;
	uv_signal_t sig_hup, sig_term, sig_int;
};

/* Parse the configuration file; log every message; NULL on error. */
static struct config *load_config(const struct supervisor *s)
{
	struct conf_opts co = { s->config_id };
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
	conf_free(s->cfg);
	s->cfg = fresh;
	log_info("Configuration reloaded");
}

static void on_stop(uv_signal_t *h, int signum)
{
	struct supervisor *s = h->data;
	log_info("Stopping on signal %d", signum);
	uv_stop(s->loop);
}

static int write_pidfile(const char *path)
{
	char buf[32];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	int n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	ssize_t w = write(fd, buf, (size_t)n);
	close(fd);
	return w == n ? 0 : -1;
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

int supervisor_run(const struct options *o, const char *config_id)
{
	struct supervisor s = { .opts = o, .config_id = config_id };

	log_info("Starting vigil v" PACKAGE_VERSION);
	s.cfg = load_config(&s);
	if (!s.cfg)
		return 1;
	if (!o->foreground && daemonize() < 0) {
		log_err("cannot become a daemon");
		conf_free(s.cfg);
		return 1;
	}
	if (write_pidfile(o->pidfile) < 0)
		log_warn("cannot write pid file %s", o->pidfile);
	s.loop = uv_default_loop();
	watch_signal(&s, &s.sig_hup, on_hup, SIGHUP);
	watch_signal(&s, &s.sig_term, on_stop, SIGTERM);
	watch_signal(&s, &s.sig_int, on_stop, SIGINT);
	uv_run(s.loop, UV_RUN_DEFAULT);

	uv_close((uv_handle_t *)&s.sig_hup, NULL);
	uv_close((uv_handle_t *)&s.sig_term, NULL);
	uv_close((uv_handle_t *)&s.sig_int, NULL);
	uv_run(s.loop, UV_RUN_NOWAIT);
	uv_loop_close(s.loop);
	unlink(o->pidfile);
	conf_free(s.cfg);
	log_info("Stopped vigil v" PACKAGE_VERSION);
	return 0;
}
