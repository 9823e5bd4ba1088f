/* file.c - FILE_CHECK: a track_file's value says whether the server is up.
 *
 * The file holds an integer (written by an operator or another program).
 * One attempt reads it and judges it, as keepalived 2.2.7 does for a
 * checker tracking a file (track_file.c process_track_file(),
 * update_track_file_status(), process_update_checker_track_file_status()):
 *
 *   value   the first 127 bytes, strtoll(base 0: "0x10" and "010" are
 *           hexadecimal and octal); an empty file, text that is not a
 *           number, a file that is missing or cannot be opened count as
 *           0 (keepalived: "The file has disappeared. Treat as though the
 *           value is 0"); a number outside INT32_MIN..INT32_MAX+1 is
 *           ignored and the previous value kept (0 at first);
 *   weight  the FILE_CHECK's "weight W [reverse]", else the track_file's
 *           (default 1), both the number and reverse; m = -1 with
 *           reverse, else 1;
 *   W == 0  down when the value is not 0 (reverse: when it is 0);
 *   W != 0  s = value x W x m, saturated to int32; down when s reaches
 *           INT32_MIN (keepalived's IPVS_WEIGHT_FAULT), else up;
 *   dynamic (keepalived.conf(5): "the value from the file is used to
 *           dynamically adjust the weight by adding the weight to the
 *           quorum and the LVS weight") up with result.weight = the real
 *           server's configured weight + s, within 0..INT32_MAX; without
 *           dynamic, or with W == 0, the weight is left alone (-1).
 *   Down is PROBE_FILE_DOWN.
 *
 * The read is a plain open()+read() on the loop, with O_NONBLOCK so that
 * a FIFO put in the file's place cannot stall it: a track file is a few
 * bytes on a local file system, and reading it costs microseconds, less
 * than the uv_fs round trip through the thread pool would. (A track file
 * on a hung network file system would block; keepalived reads it the
 * same way.) The verdict is delivered before start returns, as probe.h
 * allows; there is nothing to cancel.
 *
 * Like keepalived, a change is seen at once: the first attempt starts an
 * inotify watch (libuv's uv_fs_event) on the file's folder, so that the
 * file being created, written, replaced by a rename or removed all show,
 * and an event naming the file wakes the engine for an attempt now. The
 * engine also reads the file every second, which covers what inotify
 * cannot see. A folder that cannot be watched (missing) leaves the
 * polling alone, with a detail-level line saying so.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <syslog.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "probe.h"

/* The watch lives apart from the probe: the engine frees the probe right
 * after fini, while the handle still has to finish closing on the loop. */
struct file_watch {
	uv_fs_event_t ev;
	struct probe *p;          /* NULL once the probe is finished */
	char name[];              /* the file's name inside the watched folder */
};

struct file_probe {
	struct probe p;
	const struct track_file *tf;
	int32_t weight;           /* effective: the FILE_CHECK's, else the track_file's */
	bool reverse;
	bool watch_tried;         /* the watch is started once, at the first attempt */
	int64_t value;            /* the last value that was a number in range */
	struct file_watch *watch;
};

static const struct file_check *file_conf(const struct probe *p)
{
	return (const struct file_check *)(const void *)p->conf;
}

static int file_init(struct probe *p, char *err, size_t errlen)
{
	struct file_probe *fp = (struct file_probe *)(void *)p;
	const struct file_check *fc = file_conf(p);

	if (!fc || fc->c.kind != CHECK_FILE || !fc->track_file) {
		snprintf(err, errlen, "FILE_CHECK without track_file");
		return -1;
	}
	if (p->ctx->cfg) {
		for (LIST_EACH(const struct track_file, tf, &p->ctx->cfg->track_files))
			if (tf->hdr.name && strcmp(tf->hdr.name, fc->track_file) == 0) {
				fp->tf = tf;
				break;
			}
	}
	if (!fp->tf || !fp->tf->file) {
		snprintf(err, errlen, "FILE_CHECK: no track_file block named '%s' with a file; "
			 "define track_file %s { file PATH }", fc->track_file, fc->track_file);
		return -1;
	}
	if (fc->weight.value == CHECK_INHERIT_WEIGHT) {
		fp->weight = fp->tf->weight.weight;
		fp->reverse = fp->tf->weight.reverse;
	} else {
		fp->weight = fc->weight.value;
		fp->reverse = fc->weight.reverse;
	}
	fp->value = 0;
	return 0;
}

/* The file's value, or the previous one; see the top of the file. Writes
 * why into note when the value is not simply what the file says. */
static int64_t read_value(struct file_probe *fp, char *note, size_t notelen)
{
	char buf[128];
	int fd = open(fp->tf->file, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

	note[0] = '\0';
	if (fd < 0) {
		snprintf(note, notelen, " (%s: counted as 0)", strerror(errno));
		return 0;
	}
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	int read_errno = errno;
	close(fd);
	if (n <= 0) {
		if (n < 0)
			snprintf(note, notelen, " (%s: counted as 0)", strerror(read_errno));
		return 0;
	}
	buf[n] = '\0';
	errno = 0;
	long long v = strtoll(buf, NULL, 0);
	if (errno || v < INT32_MIN || v > (long long)INT32_MAX + 1) {
		snprintf(note, notelen, " (not a number in range, previous value %lld kept)",
			 (long long)fp->value);
		return fp->value;
	}
	fp->value = v;
	return v;
}

static void on_folder_event(uv_fs_event_t *ev, const char *filename, int events, int status)
{
	struct file_watch *w = ev->data;
	(void)events;
	/* No name (or an error such as an overflowed inotify queue): any
	 * file may have changed, ours included. */
	if (w->p && (status < 0 || !filename || strcmp(filename, w->name) == 0))
		w->p->wake(w->p);
}

static void free_watch(uv_handle_t *h)
{
	free(h->data);
}

static void start_watch(struct file_probe *fp)
{
	const char *path = fp->tf->file;
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;
	size_t dirlen = slash ? (slash == path ? 1 : (size_t)(slash - path)) : 1;
	char dir[4096];

	fp->watch_tried = true;
	if (!fp->p.wake || !*name || dirlen >= sizeof(dir))
		return;
	memcpy(dir, slash ? path : ".", dirlen);
	dir[dirlen] = '\0';
	struct file_watch *w = malloc(sizeof(*w) + strlen(name) + 1);
	if (!w)
		return;
	strcpy(w->name, name);
	w->p = &fp->p;
	uv_fs_event_init(fp->p.ctx->loop, &w->ev);
	w->ev.data = w;
	int rc = uv_fs_event_start(&w->ev, on_folder_event, dir, 0);
	if (rc < 0) {
		log_msg(LOG_DEBUG, "FILE_CHECK %s: cannot watch %s (%s); the file is read "
			"every second", fp->p.name, dir, uv_strerror(rc));
		w->p = NULL;
		uv_close((uv_handle_t *)&w->ev, free_watch);
		return;
	}
	fp->watch = w;
}

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void file_start(struct probe *p)
{
	struct file_probe *fp = (struct file_probe *)(void *)p;
	struct probe_result r;
	char note[96];
	int64_t v = read_value(fp, note, sizeof(note));
	const char *rev = fp->reverse ? " reverse" : "";

	if (!fp->watch_tried)
		start_watch(fp);
	if (fp->weight == 0) {
		bool down = fp->reverse ? v == 0 : v != 0;
		if (down)
			probe_result_fail(&r, PROBE_FILE_DOWN,
					  "track_file %s holds %lld%s, with weight 0%s", fp->tf->hdr.name,
					  (long long)v, note, rev);
		else
			probe_result_ok(&r);
		p->done(p, &r);
		return;
	}
	/* |v| <= 2^31 and |weight| < 2^31: the product fits in 63 bits. */
	int64_t s = clamp64(v * fp->weight * (fp->reverse ? -1 : 1), INT32_MIN, INT32_MAX);
	if (s == INT32_MIN) {
		probe_result_fail(&r, PROBE_FILE_DOWN,
				  "track_file %s holds %lld%s, times weight %d%s is the fault value",
				  fp->tf->hdr.name, (long long)v, note, (int)fp->weight, rev);
	} else {
		probe_result_ok(&r);
		if (file_conf(p)->dynamic)
			r.weight = (int32_t)clamp64((p->rs ? (int64_t)p->rs->weight : 0) + s, 0,
						    INT32_MAX);
	}
	p->done(p, &r);
}

static void file_cancel(struct probe *p)
{
	(void)p;              /* every attempt ends inside file_start() */
}

static void file_fini(struct probe *p)
{
	struct file_probe *fp = (struct file_probe *)(void *)p;
	if (!fp->watch)
		return;
	fp->watch->p = NULL;
	uv_close((uv_handle_t *)&fp->watch->ev, free_watch);
	fp->watch = NULL;
}

/* keepalived 2.2.7 logs a tracked file's changes at detail level only
 * ("(RS): tracked file NAME now FAULT state", "... leaving FAULT
 * state"), and its first reading not at all. */
static int file_line(const struct probe *p, const struct probe_result *r, bool up, bool first,
		     uint32_t retries, char *buf, size_t len)
{
	const struct file_probe *fp = (const struct file_probe *)(const void *)p;
	(void)r;
	(void)retries;
	if (first)
		return -1;
	snprintf(buf, len, "(%s): tracked file %s %s FAULT state", p->name, fp->tf->hdr.name,
		 up ? "leaving" : "now");
	return LOG_DEBUG;
}

const struct probe_ops probe_file_ops = {
	.keyword = "FILE_CHECK",
	.size = sizeof(struct file_probe),
	.init = file_init,
	.start = file_start,
	.cancel = file_cancel,
	.fini = file_fini,
	.up_fmt = "(%s): tracked file leaving FAULT state",
	.down_fmt = "(%s): tracked file now FAULT state",
	.down_retries_fmt = "(%s): tracked file now FAULT state after %u retries",
	.transition_line = file_line,
};
