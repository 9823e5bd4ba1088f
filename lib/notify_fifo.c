/* notify_fifo.c - a notify FIFO and its reader; see notify_fifo.h.
 *
 * Ownership: refs counts the notifiers holding the object; pending counts
 * what libuv still owes it (the reader's exit callback while it runs, the
 * grace timer until closed). The memory goes when both reach zero, always
 * from a libuv callback (or from the last release when nothing was
 * pending). */
#include "notify_fifo.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/capability.h>

#include "arena.h"
#include "log.h"
#include "privs.h"
#include "script.h"

#define FIFO_DROP_LOG_MS 10000   /* at most one "FIFO full" line per 10 s */

struct notify_fifo {
	uv_loop_t *loop;
	unsigned refs;
	unsigned pending;
	const char *setting;
	char *path;
	int fd;
	bool created;                 /* we mkfifo()ed it: unlink at the end */
	bool owner_set;               /* its owner and mode are set (fifo_set_owner) */
	dev_t dev;
	ino_t ino;
	int open_errno;               /* last failure logged, 0: none */
	uint64_t dropped_unlogged;
	uint64_t last_drop_log;       /* uv_now() */
	uid_t owner_uid;
	gid_t owner_gid;
	char *script;                 /* the reader's command, NULL: none */
	uid_t uid;
	gid_t gid;
	struct script_job job;
	bool script_running;
	uv_timer_t grace;             /* after the last release: EOF, then SIGKILL */
};

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static void fifo_free_if_done(struct notify_fifo *f)
{
	if (f->refs || f->pending)
		return;
	free(f->path);
	free(f->script);
	free(f);
}

static void on_grace_closed(uv_handle_t *h)
{
	struct notify_fifo *f = h->data;
	f->pending--;
	fifo_free_if_done(f);
}

static void close_grace(struct notify_fifo *f)
{
	if (!uv_is_closing((uv_handle_t *)&f->grace))
		uv_close((uv_handle_t *)&f->grace, on_grace_closed);
}

static void on_script_done(struct script_job *job, const struct script_result *r, void *data)
{
	struct notify_fifo *f = data;
	char d[160];
	(void)job;

	f->script_running = false;
	log_msg(f->refs ? LOG_WARNING : LOG_INFO, "%s_script '%s' ended: %s", f->setting,
		f->script, script_result_describe(r, d, sizeof(d)));
	/* Gone after the last release: no need to wait out the grace. */
	if (!f->refs)
		close_grace(f);
	f->pending--;
	fifo_free_if_done(f);
}

/* Who may own a FIFO vigil writes root's notifications to: root, the
 * FIFO's configured user, or its reader's user. Nobody else may write to
 * it (a forged line would reach a reader that may act on it as root). */
static bool fifo_owner_ok(const struct notify_fifo *f, const struct stat *st)
{
	bool owner = st->st_uid == 0 ||
		     (f->owner_uid != (uid_t)-1 && st->st_uid == f->owner_uid) ||
		     (f->script && st->st_uid == f->uid);
	return owner && !(st->st_mode & S_IWOTH);
}

/* A FIFO we made: its owner and mode set on the descriptor, never by
 * path (the name may have been swapped meanwhile). 0600 for its owner
 * (root, or the configured user); 0660 with the reader's group when the
 * reader runs as someone else, so that it can open it. */
static void fifo_set_owner(struct notify_fifo *f, int fd)
{
	uid_t owner = f->owner_uid != (uid_t)-1 ? f->owner_uid : geteuid();
	gid_t group = f->owner_uid != (uid_t)-1 ? f->owner_gid : (gid_t)-1;
	mode_t mode = S_IRUSR | S_IWUSR;

	if (f->script && f->uid != owner) {
		group = f->gid;
		mode |= S_IRGRP | S_IWGRP;
	}
	/* The mode first: once the FIFO is another user's, changing it would
	 * take CAP_FOWNER, which the worker does not keep (lib/privs.c). */
	if (fchmod(fd, mode) < 0)
		log_warn("cannot set the mode of %s %s", f->setting, f->path);
	if ((owner != geteuid() || group != (gid_t)-1) && fchown(fd, owner, group) < 0)
		log_warn("cannot give %s %s to uid %u", f->setting, f->path, (unsigned)owner);
}

static bool fifo_open(struct notify_fifo *f)
{
	struct stat st;
	/* A FIFO that belongs to its user (0600 or 0660) is not root's to
	 * open by its mode: CAP_DAC_OVERRIDE, which the VRRP worker keeps
	 * permitted for this call only (lib/privs.c). What is opened is then
	 * checked below as before: a FIFO, owned by root or one of its users,
	 * not writable by others. */
	bool raised = privs_raise(CAP_DAC_OVERRIDE);
	int fd = open(f->path, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
	int e = errno;
	if (raised)
		privs_lower(CAP_DAC_OVERRIDE);

	if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode))) {
		e = ENOTSUP;
	} else if (fd >= 0 && f->created && !f->owner_set) {
		/* What we just made: still ours, or someone swapped it. */
		if (st.st_uid != geteuid())
			e = EPERM;
	} else if (fd >= 0 && !fifo_owner_ok(f, &st)) {
		e = EPERM;
	}
	if (fd >= 0 && (e == ENOTSUP || e == EPERM)) {
		close(fd);
		fd = -1;
	}
	if (fd < 0) {
		if (e != f->open_errno) {     /* log each new reason once */
			if (e == ENOTSUP)
				log_msg(LOG_ERR, "%s %s is not a FIFO: not writing to it", f->setting,
					f->path);
			else if (e == EPERM)
				log_msg(LOG_ERR, "%s %s is owned by uid %u (mode %04o): only root, the "
					"FIFO's user or its reader's may own it, and nobody else write "
					"to it; not writing to it (remove it: vigil creates it)",
					f->setting, f->path, (unsigned)st.st_uid,
					(unsigned)(st.st_mode & 07777));
			else if (e == ELOOP)
				log_msg(LOG_ERR, "%s %s is a symbolic link: not writing through it",
					f->setting, f->path);
			else
				log_msg(LOG_ERR, "cannot open %s %s: %s; will retry at the next "
					"transition", f->setting, f->path, strerror(e));
			f->open_errno = e;
		}
		return false;
	}
	if (f->created && !f->owner_set) {
		fifo_set_owner(f, fd);
		f->owner_set = true;
	}
	if (f->open_errno)
		log_msg(LOG_INFO, "%s %s is open again", f->setting, f->path);
	f->open_errno = 0;
	f->fd = fd;
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	return true;
}

struct notify_fifo *notify_fifo_new(uv_loop_t *loop, const struct notify_fifo_spec *spec)
{
	struct notify_fifo *f = xcalloc(1, sizeof(*f));
	f->loop = loop;
	f->refs = 1;
	f->pending = 1;               /* the grace timer, until closed */
	f->setting = spec->setting;
	f->path = xstrdup(spec->path);
	f->fd = -1;
	f->owner_uid = spec->owner_uid;
	f->owner_gid = spec->owner_gid;
	f->uid = spec->uid;
	f->gid = spec->gid;
	script_job_init(&f->job);
	uv_timer_init(loop, &f->grace);
	f->grace.data = f;

	/* Created 0600 and opened at once, so its owner and mode are set on
	 * the descriptor before the reader starts (fifo_set_owner). */
	if (mkfifo(f->path, S_IRUSR | S_IWUSR) == 0) {
		f->created = true;
		fifo_open(f);
	} else if (errno != EEXIST) {
		log_warn("cannot create %s %s", f->setting, f->path);
	}

	/* The reader first, as keepalived: it gets the path as its last
	 * argument and opens the FIFO whenever it is ready. */
	if (spec->script) {
		const char *args[] = { f->path, NULL };
		struct script_spec ss = {
			.command = spec->script, .extra_args = args,
			.uid = spec->uid, .gid = spec->gid, .timeout_us = 0,
		};
		f->script = xstrdup(spec->script);
		if (script_run(loop, &f->job, &ss, on_script_done, f) == 0) {
			f->script_running = true;
			f->pending++;
		}
	}
	if (f->fd < 0)
		fifo_open(f);
	return f;
}

bool notify_fifo_matches(const struct notify_fifo *f, const struct notify_fifo_spec *spec)
{
	return same_str(f->path, spec->path) && same_str(f->script, spec->script) &&
	       f->owner_uid == spec->owner_uid && f->owner_gid == spec->owner_gid &&
	       (!f->script || (f->uid == spec->uid && f->gid == spec->gid));
}

void notify_fifo_take_path(struct notify_fifo *f, struct notify_fifo *old)
{
	if (old && old != f && same_str(f->path, old->path) && old->created) {
		f->created = true;
		f->owner_set = true;          /* old made it and set it */
		f->dev = old->dev;
		f->ino = old->ino;
		old->created = false;
	}
}

struct notify_fifo *notify_fifo_ref(struct notify_fifo *f)
{
	f->refs++;
	return f;
}

struct notify_fifo *notify_fifo_reuse(uv_loop_t *loop, const struct notify_fifo_spec *spec,
				      struct notify_fifo *const *prev, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (prev[k] && notify_fifo_matches(prev[k], spec))
			return notify_fifo_ref(prev[k]);
	struct notify_fifo *f = notify_fifo_new(loop, spec);
	for (size_t k = 0; k < n; k++)
		notify_fifo_take_path(f, prev[k]);
	return f;
}

static void on_grace(uv_timer_t *t)
{
	struct notify_fifo *f = t->data;
	if (f->script_running)
		script_cancel(&f->job);
	close_grace(f);
}

void notify_fifo_release(struct notify_fifo *f)
{
	struct stat st;

	if (!f || --f->refs > 0)
		return;
	/* Unlink only the FIFO we made, and only if it is still ours: the
	 * reader then sees EOF once it has read what is left. */
	if (f->created && lstat(f->path, &st) == 0 && S_ISFIFO(st.st_mode) &&
	    (f->fd < 0 || (st.st_dev == f->dev && st.st_ino == f->ino)))
		unlink(f->path);
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	if (f->script_running)
		uv_timer_start(&f->grace, on_grace, NOTIFY_FIFO_GRACE_US / 1000, 0);
	else
		close_grace(f);
}

bool notify_fifo_write(struct notify_fifo *f, const char *line, size_t len)
{
	if (f->fd < 0 && !fifo_open(f))
		return false;
	if (len > PIPE_BUF) {
		log_msg(LOG_WARNING, "%s %s: line of %zu bytes not written", f->setting, f->path, len);
		return false;
	}
	ssize_t w = write(f->fd, line, len);
	if (w == (ssize_t)len)
		return true;
	if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
		uint64_t now = uv_now(f->loop);
		f->dropped_unlogged++;
		if (f->last_drop_log == 0 || now - f->last_drop_log >= FIFO_DROP_LOG_MS) {
			log_msg(LOG_WARNING, "%s %s is full (nobody reads it?): %llu line(s) dropped "
				"since the last report", f->setting, f->path,
				(unsigned long long)f->dropped_unlogged);
			f->dropped_unlogged = 0;
			f->last_drop_log = now ? now : 1;
		}
		return false;
	}
	log_warn("%s %s: write failed; reopening at the next transition", f->setting, f->path);
	close(f->fd);
	f->fd = -1;
	return false;
}
