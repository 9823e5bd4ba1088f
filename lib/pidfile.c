/* pidfile.c - one daemon per pid file; see pidfile.h. */
#include "pidfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static pid_t read_pid(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	long v = strtol(buf, NULL, 10);
	return v > 0 && v < (1L << 22) ? (pid_t)v : 0;
}

/* Open path without following a link, creating it (O_EXCL) when absent. */
static int open_pidfile(const char *path, char *why, size_t whylen)
{
	for (int attempt = 0; attempt < 5; attempt++) {
		int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd >= 0 || errno != EEXIST) {
			if (fd < 0)
				snprintf(why, whylen, "cannot create pid file %s: %s", path,
					 strerror(errno));
			return fd;
		}
		fd = open(path, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd >= 0)
			return fd;
		if (errno == ENOENT)
			continue;                /* removed meanwhile: create it */
		if (errno == ELOOP)
			snprintf(why, whylen, "pid file %s is a symbolic link; refusing to write "
				 "through it (remove it)", path);
		else
			snprintf(why, whylen, "cannot open pid file %s: %s", path, strerror(errno));
		return -1;
	}
	snprintf(why, whylen, "pid file %s keeps disappearing", path);
	return -1;
}

int pidfile_lock(const char *path, pid_t *stale_pid, char *why, size_t whylen)
{
	struct stat st, now;

	*stale_pid = 0;
	for (int attempt = 0; attempt < 5; attempt++) {
		int fd = open_pidfile(path, why, whylen);
		if (fd < 0)
			return -1;
		if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1 ||
		    st.st_uid != geteuid()) {
			snprintf(why, whylen, "pid file %s is not a regular file of uid %u with one "
				 "link; refusing to write to it (remove it)", path,
				 (unsigned)geteuid());
			close(fd);
			return -1;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			int e = errno;
			pid_t holder = read_pid(fd);
			close(fd);
			if (e == EWOULDBLOCK && holder)
				snprintf(why, whylen, "pid file %s is locked by a running vigild (pid "
					 "%d): another instance is running; stop it, or give this one "
					 "other pid files (-p, -r, -c)", path, (int)holder);
			else if (e == EWOULDBLOCK)
				snprintf(why, whylen, "pid file %s is locked by a running vigild: "
					 "another instance is running; stop it, or give this one other "
					 "pid files (-p, -r, -c)", path);
			else
				snprintf(why, whylen, "cannot lock pid file %s: %s", path, strerror(e));
			return -1;
		}
		/* The holder we waited for may have removed the file before
		 * letting go: then this lock is on a name nobody can find. */
		if (stat(path, &now) == 0 && now.st_dev == st.st_dev && now.st_ino == st.st_ino) {
			*stale_pid = read_pid(fd);
			if (*stale_pid == getpid())
				*stale_pid = 0;
			return fd;
		}
		close(fd);
	}
	snprintf(why, whylen, "pid file %s keeps being replaced", path);
	return -1;
}

int pidfile_write(int fd, pid_t pid)
{
	char buf[32];
	int n = pid ? snprintf(buf, sizeof(buf), "%d\n", (int)pid) : 0;
	if (ftruncate(fd, 0) < 0)
		return -1;
	if (n && pwrite(fd, buf, (size_t)n, 0) != n)
		return -1;
	return 0;
}

void pidfile_release(int fd, const char *path)
{
	if (fd < 0)
		return;
	unlink(path);
	close(fd);
}
