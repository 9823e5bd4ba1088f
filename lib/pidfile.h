/* pidfile.h - one daemon per pid file.
 *
 * A pid file is also the daemon's lock: it is opened (created with O_EXCL
 * when absent, never through a symbolic link), must be a regular file of
 * ours with one link, and is held with flock(LOCK_EX) for as long as the
 * process lives (the descriptor stays open; it is close-on-exec, so
 * workers and scripts do not inherit it). A second daemon given the same
 * file finds it locked and refuses to start. A file left by a process
 * that died is not locked by anyone: it is taken over (keepalived refuses
 * there, and an operator has to remove it by hand after a crash).
 *
 * flock() locks belong to the open file description, so the lock taken
 * before daemonising (fork) stays held by the child when the parent
 * exits.
 */
#ifndef VIGIL_PIDFILE_H
#define VIGIL_PIDFILE_H

#include <stddef.h>
#include <sys/types.h>

/* Lock path. Returns the descriptor (>= 0) holding the lock, with
 * *stale_pid set to the pid a dead process left in the file (0: none,
 * the file was new or empty). Returns -1 with why set otherwise:
 * "... is locked by a running vigild (pid 1234)", "... is a symbolic
 * link", "... is not a regular file", ... The file's content is left as
 * it was: write it with pidfile_write(). */
int pidfile_lock(const char *path, pid_t *stale_pid, char *why, size_t whylen);

/* Replace the content with "pid\n" (pid 0: empty the file). 0, or -1
 * with errno set. */
int pidfile_write(int fd, pid_t pid);

/* Remove the file while still holding the lock, then release it: the
 * order matters, or a new daemon could lock the file about to go. */
void pidfile_release(int fd, const char *path);

#endif
