/* procwatch.c - counting the processes a vrrp_track_process describes; see procwatch.h. */
#include "procwatch.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"

#define COMM_MAX 15                /* TASK_COMM_LEN - 1 */
#define CMDLINE_MAX 4096

struct watched {
	pid_t pid;
	int fd;                        /* pidfd: readable when the process exits */
	uv_poll_t poll;
	struct procwatch *w;           /* NULL once closing */
	bool matched;                  /* in this scan */
};

struct procwatch {
	uv_loop_t *loop;
	const struct track_process **descs;
	size_t n;
	size_t *counts;
	procwatch_fn changed;
	void *data;
	uv_timer_t scan;
	struct watched **pids;
	size_t npids;
	bool need_cmdline;
	bool pidfd_failed;             /* said once: exits then count at the next scan */
};

/* ---- matching ------------------------------------------------------------------ */

/* The i-th NUL-separated word of cmdline (len bytes), or NULL. */
static const char *word_at(const char *cmdline, size_t len, size_t i, size_t *wlen)
{
	size_t pos = 0;
	for (size_t k = 0; pos < len; k++) {
		const char *w = cmdline + pos;
		size_t l = strnlen(w, len - pos);
		if (k == i) {
			*wlen = l;
			return w;
		}
		pos += l + 1;
	}
	return NULL;
}

static size_t count_words(const char *cmdline, size_t len)
{
	size_t n = 0, l;
	while (word_at(cmdline, len, n, &l))
		n++;
	return n;
}

static bool word_is(const char *w, size_t wlen, const char *s)
{
	return w && strlen(s) == wlen && memcmp(w, s, wlen) == 0;
}

/* Do the configured parameters params[0..np) sit at argv index at? */
static bool params_at(const char *cmdline, size_t len, size_t at, char *const *params,
		      size_t np)
{
	for (size_t i = 0; i < np; i++) {
		size_t wl;
		const char *w = word_at(cmdline, len, at + i, &wl);
		if (!word_is(w, wl, params[i]))
			return false;
	}
	return true;
}

bool procwatch_match(const struct track_process *d, const char *comm, const char *cmdline,
		     size_t len)
{
	if (!d->process.argc)
		return false;
	const char *name = d->process.argv[0];
	if (d->full_command) {
		size_t wl;
		const char *w = word_at(cmdline, len, 0, &wl);
		if (!word_is(w, wl, name))
			return false;
	} else if (strncmp(comm, name, COMM_MAX) != 0 ||
		   (strlen(name) < COMM_MAX && strlen(comm) != strlen(name))) {
		return false;
	}
	size_t np = d->process.argc - 1;
	if (!np)
		return true;
	char *const *params = d->process.argv + 1;
	size_t nargs = count_words(cmdline, len);   /* argv[0] included */
	switch (d->param_match) {
	case PARAM_MATCH_INITIAL:
		return nargs >= np + 1 && params_at(cmdline, len, 1, params, np);
	case PARAM_MATCH_PARTIAL:
		for (size_t at = 1; at + np <= nargs; at++)
			if (params_at(cmdline, len, at, params, np))
				return true;
		return false;
	default:
		return nargs == np + 1 && params_at(cmdline, len, 1, params, np);
	}
}

/* ---- reading /proc ------------------------------------------------------------------- */

static ssize_t read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t r = read(fd, buf, len);
	close(fd);
	return r;
}

static void on_closed(uv_handle_t *h)
{
	struct watched *x = h->data;
	close(x->fd);
	free(x);
}

static void unwatch(struct watched *x)
{
	x->w = NULL;
	uv_poll_stop(&x->poll);
	uv_close((uv_handle_t *)&x->poll, on_closed);
}

static void scan(struct procwatch *w);

static void on_exit_event(uv_poll_t *p, int status, int events)
{
	struct watched *x = p->data;
	(void)status;
	(void)events;
	if (x->w)
		scan(x->w);   /* the exited process is gone from /proc now */
}

static struct watched *find(struct procwatch *w, pid_t pid)
{
	for (size_t i = 0; i < w->npids; i++)
		if (w->pids[i]->pid == pid)
			return w->pids[i];
	return NULL;
}

/* Watch pid's exit; false when no pidfd can be had (then the next scan
 * notices it). */
static void watch(struct procwatch *w, pid_t pid)
{
	struct watched *x = find(w, pid);
	if (x) {
		x->matched = true;
		return;
	}
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd < 0) {
		if (errno != ESRCH && !w->pidfd_failed) {
			log_msg(LOG_WARNING, "track_process: cannot watch process %d (%s); exits "
				"count within %d ms", (int)pid, strerror(errno), PROCWATCH_SCAN_MS);
			w->pidfd_failed = true;
		}
		return;
	}
	struct watched **grown = realloc(w->pids, (w->npids + 1) * sizeof(*grown));
	x = calloc(1, sizeof(*x));
	if (!grown || !x) {
		free(x);
		close(fd);
		if (grown)
			w->pids = grown;
		return;
	}
	w->pids = grown;
	*x = (struct watched){ .pid = pid, .fd = fd, .w = w, .matched = true };
	uv_poll_init(w->loop, &x->poll, fd);
	x->poll.data = x;
	uv_poll_start(&x->poll, UV_READABLE, on_exit_event);
	w->pids[w->npids++] = x;
}

static void scan(struct procwatch *w)
{
	size_t *now = calloc(w->n + 1, sizeof(*now));
	DIR *d = opendir("/proc");
	if (!now || !d) {
		free(now);
		if (d)
			closedir(d);
		return;
	}
	for (size_t i = 0; i < w->npids; i++)
		w->pids[i]->matched = false;
	struct dirent *de;
	pid_t self = getpid();
	while ((de = readdir(d))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		pid_t pid = (pid_t)atoi(de->d_name);
		if (pid == self)
			continue;
		char path[64], comm[COMM_MAX + 2], cmd[CMDLINE_MAX];
		snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
		ssize_t cl = read_small(path, comm, sizeof(comm) - 1);
		if (cl <= 0)
			continue;
		comm[cl] = '\0';
		comm[strcspn(comm, "\n")] = '\0';
		ssize_t len = 0;
		if (w->need_cmdline) {
			snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
			len = read_small(path, cmd, sizeof(cmd));
			if (len < 0)
				len = 0;
		}
		bool any = false;
		for (size_t i = 0; i < w->n; i++)
			if (procwatch_match(w->descs[i], comm, cmd, (size_t)len)) {
				now[i]++;
				any = true;
			}
		if (any)
			watch(w, pid);
	}
	closedir(d);
	/* Processes that exited, or that exec'ed into something else. */
	size_t k = 0;
	for (size_t i = 0; i < w->npids; i++) {
		if (w->pids[i]->matched)
			w->pids[k++] = w->pids[i];
		else
			unwatch(w->pids[i]);
	}
	w->npids = k;
	bool differ = memcmp(now, w->counts, w->n * sizeof(*now)) != 0;
	free(w->counts);
	w->counts = now;
	if (differ && w->changed)
		w->changed(w->counts, w->data);
}

static void on_scan_timer(uv_timer_t *t)
{
	scan(t->data);
}

struct procwatch *procwatch_start(uv_loop_t *loop, const struct track_process *const *descs,
				  size_t n, procwatch_fn changed, void *data)
{
	if (!n)
		return NULL;
	struct procwatch *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->descs = calloc(n, sizeof(*w->descs));
	w->counts = calloc(n + 1, sizeof(*w->counts));
	if (!w->descs || !w->counts) {
		free(w->descs);
		free(w->counts);
		free(w);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		w->descs[i] = descs[i];
		if (descs[i]->full_command || descs[i]->process.argc > 1)
			w->need_cmdline = true;
	}
	w->loop = loop;
	w->n = n;
	w->changed = NULL;      /* the first scan only sets the counts */
	uv_timer_init(loop, &w->scan);
	w->scan.data = w;
	scan(w);
	w->changed = changed;
	w->data = data;
	uv_timer_start(&w->scan, on_scan_timer, PROCWATCH_SCAN_MS, PROCWATCH_SCAN_MS);
	return w;
}

const size_t *procwatch_counts(const struct procwatch *w)
{
	return w->counts;
}

static void on_timer_closed(uv_handle_t *h)
{
	struct procwatch *w = h->data;
	free(w->descs);
	free(w->counts);
	free(w);
}

void procwatch_stop(struct procwatch *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->npids; i++)
		unwatch(w->pids[i]);
	free(w->pids);
	w->pids = NULL;
	w->npids = 0;
	uv_close((uv_handle_t *)&w->scan, on_timer_closed);
}
