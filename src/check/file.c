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
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <syslog.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"

struct file_probe {
	struct probe p;
	const struct track_file *tf;
	int32_t weight;           /* effective: the FILE_CHECK's, else the track_file's */
	bool reverse;
	int64_t value;            /* the last value that was a number in range */
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

/* keepalived 2.2.7 logs "(%s): tracked file %s now FAULT state" and
 * "(%s): tracked file %s leaving FAULT state" with the real server and the
 * track_file's name; with one %s these carry the engine's name only. */
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
	.up_fmt = "(%s): tracked file leaving FAULT state",
	.down_fmt = "(%s): tracked file now FAULT state",
	.down_retries_fmt = "(%s): tracked file now FAULT state after %u retries",
	.transition_line = file_line,
};
