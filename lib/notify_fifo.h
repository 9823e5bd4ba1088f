/* notify_fifo.h - a notify FIFO and its reader script (notify_fifo,
 * vrrp_notify_fifo and lvs_notify_fifo, with their _script settings),
 * for the VRRP worker (src/vrrp/notify.c) and the checker (src/check/fifo.c).
 *
 * vigil creates the FIFO if it does not exist: mode 0600, owned by the
 * FIFO's user when one is given, else root; 0660 with the reader's group
 * when the reader runs as another user. Owner and mode are set on the
 * open descriptor, never by path. An existing FIFO is used only if root,
 * the FIFO's user or the reader's user owns it and others cannot write to
 * it; never through a symbolic link. vigil starts the reader script with
 * the FIFO's path as its last argument (no timeout), and keeps the FIFO
 * open O_RDWR | O_NONBLOCK like keepalived: holding a read end means an open never fails
 * for want of a reader, a write never raises SIGPIPE, and lines written
 * while no one reads wait in the pipe. A full pipe drops the line, counted
 * and logged at most every 10 s, rather than wait.
 *
 * Lifetime: a FIFO object outlives the notifier that made it when the next
 * one needs it. Each notifier that writes to it holds a reference
 * (notify_fifo_new() returns one, notify_fifo_ref() adds one,
 * notify_fifo_release() drops one). A reload makes the new notifier before
 * the old one drains; when the new configuration names the same FIFO with
 * the same reader (notify_fifo_matches()), the new notifier shares the old
 * one's object, so the FIFO is neither unlinked nor re-created across a
 * reload and its reader runs on undisturbed, as keepalived's does. When
 * the last reference goes, the FIFO is closed (unlinked if vigil made it
 * and it is still the same file); the reader gets NOTIFY_FIFO_GRACE_US to
 * read what is left and exit, then SIGKILL. The memory goes from the loop
 * once the script has called back and the timer has closed.
 */
#ifndef VIGIL_NOTIFY_FIFO_H
#define VIGIL_NOTIFY_FIFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <uv.h>

#define NOTIFY_FIFO_GRACE_US 1000000ULL  /* reader: EOF, then SIGKILL */

struct notify_fifo;

/* What one FIFO setting asks for, users already resolved. */
struct notify_fifo_spec {
	const char *setting;          /* "notify_fifo", "vrrp_notify_fifo" (static) */
	const char *path;
	uid_t owner_uid;              /* (uid_t)-1: leave the owner as created */
	gid_t owner_gid;
	const char *script;           /* NULL: no reader to start */
	uid_t uid;                    /* the reader's user and group */
	gid_t gid;
};

/* Create (when missing) and open the FIFO, start its reader. Never fails
 * but for memory: what cannot be done is logged, and the open is retried
 * at the next write. Returns holding one reference. */
struct notify_fifo *notify_fifo_new(uv_loop_t *loop, const struct notify_fifo_spec *spec);
/* Whether f is what spec asks for: same path, same reader, same users. */
bool notify_fifo_matches(const struct notify_fifo *f, const struct notify_fifo_spec *spec);
/* A new object for the path an older one (old, may be NULL) still holds
 * with another reader: the duty to unlink the FIFO at the end passes to
 * f, so that old's release does not remove the FIFO f uses. */
void notify_fifo_take_path(struct notify_fifo *f, struct notify_fifo *old);
struct notify_fifo *notify_fifo_ref(struct notify_fifo *f);
/* What a notifier (re)made by a reload wants for spec: the one of
 * prev[0..n) (entries may be NULL) that matches it, with one reference
 * more, else a new object that takes over any path of theirs it names
 * (notify_fifo_take_path()). The one way both workers open a FIFO. */
struct notify_fifo *notify_fifo_reuse(uv_loop_t *loop, const struct notify_fifo_spec *spec,
				      struct notify_fifo *const *prev, size_t n);
/* Drop one reference (f may be NULL); see the lifetime above. */
void notify_fifo_release(struct notify_fifo *f);

/* Write one whole line (at most PIPE_BUF bytes: longer ones are refused,
 * as they would not be atomic). true when written whole. */
bool notify_fifo_write(struct notify_fifo *f, const char *line, size_t len);

#endif
