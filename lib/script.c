/* script.c - asynchronous script runner on libuv; see script.h. */
#include "script.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "arena.h"
#include "cmdline.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

#define KILL_GRACE_MS 1000        /* SIGTERM -> SIGKILL, at most */
#define DRAIN_AT_EXIT (64 * 1024) /* bytes read after exit, at most */

extern char **environ;

void script_job_init(struct script_job *job)
{
	memset(job, 0, sizeof(*job));
}

bool script_busy(const struct script_job *job)
{
	return job->busy;
}

/* ---- the command line the child gets ---------------------------------- */

/* Everything script_run() allocates for one spawn, freed before it
 * returns: libuv copies nothing, but the child has exec'd (or failed)
 * by the time uv_spawn() returns. */
struct launch {
	char **words;    /* cmdline_split() block */
	char **args;     /* argv handed to uv_spawn */
	char *text;      /* shell text with extra args appended */
	char **env;      /* environ + spec->env */
};

static void launch_free(struct launch *l)
{
	free(l->words);
	free(l->args);
	free(l->text);
	free(l->env);
}

static size_t count_strings(const char *const *v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	return n;
}

/* text + " 'arg'"... with ' written as '\'' : sh reads the words back
 * exactly, whatever they contain. */
static char *shell_text(const char *command, const char *const *extra)
{
	size_t len = strlen(command) + 1;
	for (size_t i = 0; extra && extra[i]; i++)
		len += 3 + 4 * strlen(extra[i]);
	char *t = xmalloc(len);
	char *o = t + strlen(command);
	memcpy(t, command, strlen(command));
	for (size_t i = 0; extra && extra[i]; i++) {
		*o++ = ' ';
		*o++ = '\'';
		for (const char *c = extra[i]; *c; c++) {
			if (*c == '\'') {
				memcpy(o, "'\\''", 4);
				o += 4;
			} else {
				*o++ = *c;
			}
		}
		*o++ = '\'';
	}
	*o = '\0';
	return t;
}

/* The inherited environment with spec->env laid over it. */
static char **merge_env(const char *const *add)
{
	size_t nadd = count_strings(add), nenv = count_strings((const char *const *)environ);
	char **env = xmalloc((nenv + nadd + 1) * sizeof(char *));
	size_t n = 0;

	for (size_t i = 0; i < nenv; i++) {
		const char *eq = strchr(environ[i], '=');
		size_t namelen = eq ? (size_t)(eq - environ[i]) : strlen(environ[i]);
		bool replaced = false;
		for (size_t j = 0; j < nadd && !replaced; j++)
			replaced = strncmp(add[j], environ[i], namelen) == 0 && add[j][namelen] == '=';
		if (!replaced)
			env[n++] = environ[i];
	}
	for (size_t j = 0; j < nadd; j++)
		env[n++] = (char *)add[j];
	env[n] = NULL;
	return env;
}

/* Fill l for spec; returns 0 or an errno (EINVAL: the text does not split). */
static int launch_prepare(struct launch *l, const struct script_spec *spec)
{
	const char *err;
	size_t nextra = count_strings(spec->extra_args);

	/* Quotes must balance for the shell too: check before choosing. */
	if (!spec->command || cmdline_split(spec->command, NULL, &err) < 0)
		return EINVAL;
	if (cmdline_needs_shell(spec->command)) {
		l->text = shell_text(spec->command, spec->extra_args);
		l->args = xmalloc(4 * sizeof(char *));
		l->args[0] = "/bin/sh";
		l->args[1] = "-c";
		l->args[2] = l->text;
		l->args[3] = NULL;
	} else {
		int argc = cmdline_split(spec->command, &l->words, &err);
		l->args = xmalloc(((size_t)argc + nextra + 1) * sizeof(char *));
		memcpy(l->args, l->words, (size_t)argc * sizeof(char *));
		for (size_t i = 0; i < nextra; i++)
			l->args[(size_t)argc + i] = (char *)spec->extra_args[i];
		l->args[(size_t)argc + nextra] = NULL;
		if (!l->args[0][0])
			return ENOENT;     /* '' as the program: execvp would say so */
	}
	if (spec->env)
		l->env = merge_env(spec->env);
	return 0;
}

/* libuv closes only the descriptors it created; anything else the
 * daemon holds without O_CLOEXEC would reach the script. Marking
 * instead of closing leaves the daemon's own descriptors working. */
static void mark_fds_cloexec(void)
{
#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return;
#endif
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		char *end;
		long fd = strtol(e->d_name, &end, 10);
		if (*end || end == e->d_name || fd < 3 || fd == dirfd(d))
			continue;
		int fl = fcntl((int)fd, F_GETFD);
		if (fl >= 0 && !(fl & FD_CLOEXEC))
			fcntl((int)fd, F_SETFD, fl | FD_CLOEXEC);
	}
	closedir(d);
}

/* ---- the run ------------------------------------------------------------ */

static void deliver(struct script_job *job)
{
	struct script_result *r = &job->result;
	script_done_cb cb = job->cb;
	void *data = job->data;

	if (job->cancelled)
		r->status = SCRIPT_CANCELLED;
	if (r->status != SCRIPT_EXITED)
		r->exit_code = 0;
	if (job->capturing) {
		job->output[r->output_len] = '\0';
		r->output = job->output;
	} else {
		r->output = "";
		r->output_len = 0;
	}
	job->busy = false;
	job->closing = false;
	/* The callback may free or restart the job: it is the last touch. */
	cb(job, r, data);
}

static void on_closed(uv_handle_t *h)
{
	struct script_job *job = h->data;
	if (--job->open_handles == 0)
		deliver(job);
}

/* The one way out of a run: close what is open; the last close
 * delivers, so the callback always comes from the loop. */
static void finish(struct script_job *job)
{
	if (job->closing)
		return;
	job->closing = true;
	uv_close((uv_handle_t *)&job->timer, on_closed);
	if (job->capturing)
		uv_close((uv_handle_t *)&job->out, on_closed);
	if (job->proc_init)
		uv_close((uv_handle_t *)&job->proc, on_closed);
}

static void signal_group(struct script_job *job, int sig)
{
	/* Until exit_cb the child is at worst a zombie, so neither its pid
	 * nor its process group id can have been reused. The second kill
	 * reaches a script that moved itself to another group. */
	if (!job->spawned || job->exited)
		return;
	kill(-job->result.pid, sig);
	kill(job->result.pid, sig);
}

static void take_output(struct script_job *job, const char *p, size_t n)
{
	if (p == job->discard)
		job->result.output_truncated = true;
	else
		job->result.output_len += n;
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct script_job *job = h->data;
	size_t len = job->result.output_len;
	(void)suggested;
	if (len < SCRIPT_OUTPUT_MAX)
		*buf = uv_buf_init(job->output + len, (unsigned)(SCRIPT_OUTPUT_MAX - len));
	else
		*buf = uv_buf_init(job->discard, sizeof(job->discard));
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct script_job *job = s->data;
	if (nread > 0)
		take_output(job, buf->base, (size_t)nread);
	else if (nread < 0)
		uv_read_stop(s);    /* EOF or error: keep it until finish() */
}

/* What the script wrote before it exited is in the pipe even when the
 * exit is seen first. Bounded: a background process may still write. */
static void drain_output(struct script_job *job)
{
	uv_os_fd_t fd;
	size_t budget = DRAIN_AT_EXIT;

	if (!job->capturing)
		return;
	uv_read_stop((uv_stream_t *)&job->out);
	if (uv_fileno((uv_handle_t *)&job->out, &fd) != 0)
		return;
	while (budget) {
		uv_buf_t b;
		on_alloc((uv_handle_t *)&job->out, 0, &b);
		ssize_t n = read(fd, b.base, b.len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		take_output(job, b.base, (size_t)n);
		budget -= (size_t)n < budget ? (size_t)n : budget;
	}
}

static void on_child_exit(uv_process_t *p, int64_t exit_status, int term_signal)
{
	struct script_job *job = p->data;
	struct script_result *r = &job->result;

	/* After a timeout or a cancel, what is left of the group goes too: a
	 * background process that ignored SIGTERM while the script itself
	 * died of it. The group id cannot name anyone else yet: Linux keeps
	 * the number taken while a member lives and hands out pids in
	 * sequence. */
	if (job->timed_out || job->cancelled)
		kill(-job->result.pid, SIGKILL);
	job->exited = true;
	r->runtime_us = (uv_hrtime() - job->started) / 1000;
	r->exit_code = (int)exit_status;
	r->term_signal = term_signal;
	if (job->timed_out)
		r->status = SCRIPT_TIMED_OUT;
	else if (term_signal)
		r->status = SCRIPT_SIGNALLED;
	else
		r->status = SCRIPT_EXITED;
	drain_output(job);
	finish(job);
}

static void on_timer(uv_timer_t *t);

/* hold_us has passed and the script still runs: tell the caller, then
 * wait for the rest of the timeout. */
static void on_hold(uv_timer_t *t)
{
	struct script_job *job = t->data;
	void (*cb)(struct script_job *, void *) = job->hold_cb;
	uint64_t held = job->hold_ms;

	job->hold_cb = NULL;
	job->hold_ms = 0;
	if (job->timeout_ms)
		uv_timer_start(t, on_timer, job->timeout_ms - held, 0);
	cb(job, job->data);     /* may cancel: that stops the timer */
}

static void on_timer(uv_timer_t *t)
{
	struct script_job *job = t->data;

	if (job->kill_stage == 0) {
		job->timed_out = true;
		job->kill_stage = 1;
		signal_group(job, SIGTERM);
		uv_timer_start(t, on_timer, job->grace_ms, 0);
	} else {
		job->kill_stage = 2;
		signal_group(job, SIGKILL);
	}
}

static void spawn_failed(struct script_job *job, int err)
{
	job->result.status = SCRIPT_SPAWN_FAILED;
	job->result.error = err;
	job->result.runtime_us = (uv_hrtime() - job->started) / 1000;
	finish(job);
}

/* The child's stdout and stderr: one pipe, read end in job->out. Returns
 * the write end for the child, or -errno. */
static int open_capture(uv_loop_t *loop, struct script_job *job)
{
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	uv_pipe_init(loop, &job->out, 0);
	job->out.data = job;
	job->capturing = true;
	job->open_handles++;
	int rc = uv_pipe_open(&job->out, fds[0]);
	if (rc < 0) {
		close(fds[0]);
		close(fds[1]);
		return rc;
	}
	return fds[1];
}

int script_run(uv_loop_t *loop, struct script_job *job, const struct script_spec *spec,
	       script_done_cb cb, void *data)
{
	struct launch l = { 0 };
	uv_process_options_t o;
	uv_stdio_container_t stdio[3];
	int wfd = -1, rc;

	if (job->busy)
		return -EBUSY;
	job->cb = cb;
	job->data = data;
	job->busy = true;
	job->proc_init = job->spawned = job->exited = job->closing = job->capturing = false;
	job->timed_out = job->cancelled = false;
	job->kill_stage = 0;
	job->timeout_ms = job->hold_ms = 0;
	job->hold_cb = NULL;
	memset(&job->result, 0, sizeof(job->result));
	job->started = uv_hrtime();

	/* The timer exists in every run, so even a failure before the spawn
	 * has a handle whose close callback delivers the result. */
	uv_timer_init(loop, &job->timer);
	job->timer.data = job;
	job->open_handles = 1;

	rc = launch_prepare(&l, spec);
	if (rc) {
		launch_free(&l);
		spawn_failed(job, rc);
		return 0;
	}
	if (spec->capture) {
		wfd = open_capture(loop, job);
		if (wfd < 0) {
			launch_free(&l);
			spawn_failed(job, -wfd);
			return 0;
		}
	}

	memset(&o, 0, sizeof(o));
	o.exit_cb = on_child_exit;
	o.file = l.args[0];
	o.args = l.args;
	o.env = l.env;
	o.cwd = spec->cwd;
	o.flags = UV_PROCESS_DETACHED;
	if (spec->uid != (uid_t)-1) {
		o.flags |= UV_PROCESS_SETUID;
		o.uid = spec->uid;
	}
	if (spec->gid != (gid_t)-1) {
		o.flags |= UV_PROCESS_SETGID;
		o.gid = spec->gid;
	}
	stdio[0].flags = UV_IGNORE;     /* libuv opens /dev/null for 0..2 */
	for (int i = 1; i < 3; i++) {
		if (wfd >= 0) {
			stdio[i].flags = UV_INHERIT_FD;
			stdio[i].data.fd = wfd;
		} else {
			stdio[i].flags = UV_IGNORE;
		}
	}
	o.stdio = stdio;
	o.stdio_count = 3;

	mark_fds_cloexec();
	job->proc.data = job;
	job->proc_init = true;          /* by uv_spawn, even when it fails */
	job->open_handles++;
	job->started = uv_hrtime();
	rc = uv_spawn(loop, &job->proc, &o);
	if (wfd >= 0)
		close(wfd);                 /* else EOF never comes */
	launch_free(&l);
	if (rc < 0) {
		spawn_failed(job, -rc);
		return 0;
	}
	job->spawned = true;
	job->result.pid = job->proc.pid;
	if (job->capturing)
		uv_read_start((uv_stream_t *)&job->out, on_alloc, on_read);
	uv_update_time(loop);   /* deadlines count from the spawn */
	if (spec->timeout_us) {
		uint64_t ms = spec->timeout_us / 1000 + (spec->timeout_us % 1000 != 0);
		job->grace_ms = ms < KILL_GRACE_MS ? ms : KILL_GRACE_MS;
		job->timeout_ms = ms;
	}
	uint64_t hold_ms = spec->hold_us / 1000 + (spec->hold_us % 1000 != 0);
	if (spec->hold_cb && hold_ms && (!job->timeout_ms || hold_ms < job->timeout_ms)) {
		job->hold_ms = hold_ms;
		job->hold_cb = spec->hold_cb;
		uv_timer_start(&job->timer, on_hold, hold_ms, 0);
	} else if (job->timeout_ms) {
		uv_timer_start(&job->timer, on_timer, job->timeout_ms, 0);
	}
	return 0;
}

void script_cancel(struct script_job *job)
{
	if (!job->busy || job->cancelled)
		return;
	job->cancelled = true;
	if (job->closing)
		return;             /* already over; the callback is on its way */
	uv_timer_stop(&job->timer);
	job->kill_stage = 2;
	signal_group(job, SIGKILL);
}

const char *script_status_str(enum script_status s)
{
	switch (s) {
	case SCRIPT_EXITED: return "exited";
	case SCRIPT_SIGNALLED: return "signalled";
	case SCRIPT_TIMED_OUT: return "timed out";
	case SCRIPT_SPAWN_FAILED: return "spawn failed";
	case SCRIPT_CANCELLED: return "cancelled";
	}
	return "unknown";
}

char *script_result_describe(const struct script_result *r, char *buf, size_t len)
{
	switch (r->status) {
	case SCRIPT_EXITED:
		snprintf(buf, len, "exited with status %d", r->exit_code);
		break;
	case SCRIPT_SIGNALLED:
		snprintf(buf, len, "killed by signal %d (%s)", r->term_signal,
			 strsignal(r->term_signal));
		break;
	case SCRIPT_TIMED_OUT:
		snprintf(buf, len, "timed out, killed after %llu ms",
			 (unsigned long long)(r->runtime_us / 1000));
		break;
	case SCRIPT_SPAWN_FAILED:
		snprintf(buf, len, "could not start: %s", strerror(r->error));
		break;
	default:
		snprintf(buf, len, "%s", script_status_str(r->status));
	}
	return buf;
}
