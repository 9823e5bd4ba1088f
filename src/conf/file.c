/* file.c - reading one configuration file; see file.h. */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "arena.h"

const char *conf_file_kind(mode_t mode)
{
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISREG(mode))
		return "a regular file";
	return "not a regular file";
}

static enum conf_read_status fail_errno(struct conf_file *f, int fd, int err)
{
	if (fd >= 0)
		close(fd);
	free(f->buf);
	f->buf = NULL;
	f->err = err;
	return CONF_READ_ERRNO;
}

enum conf_read_status conf_file_read(const char *path, size_t max, struct conf_file *f)
{
	struct stat before;

	f->buf = NULL;
	f->len = 0;
	f->err = 0;
	/* stat first: opening a device can itself do something (a tape
	 * rewinds), and a FIFO is not even opened. */
	if (stat(path, &before) < 0)
		return fail_errno(f, -1, errno);
	f->st = before;
	if (!S_ISREG(before.st_mode))
		return CONF_READ_NOT_REGULAR;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return fail_errno(f, -1, errno);
	if (fstat(fd, &f->st) < 0)
		return fail_errno(f, fd, errno);
	if (!S_ISREG(f->st.st_mode)) {
		close(fd);
		return CONF_READ_NOT_REGULAR;
	}
	if (f->st.st_size < 0 || (unsigned long long)f->st.st_size > max) {
		close(fd);
		return CONF_READ_TOO_BIG;
	}
	/* The size may change while we read (a file being written): read
	 * with a bound all the same, one byte past max to see it grew. */
	size_t cap = (size_t)f->st.st_size + 1, n = 0;
	f->buf = xmalloc(cap + 1);
	for (;;) {
		if (n == cap) {
			if (n > max)
				break;
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			f->buf = xrealloc(f->buf, cap + 1);
		}
		ssize_t r = read(fd, f->buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return fail_errno(f, fd, errno);
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (n > max) {
		free(f->buf);
		f->buf = NULL;
		return CONF_READ_TOO_BIG;
	}
	f->buf[n] = '\0';
	f->len = n;
	return CONF_READ_OK;
}

bool conf_file_writers(uid_t uid, gid_t gid, mode_t mode, uid_t self_uid,
		       gid_t self_gid, char *buf, size_t len)
{
	/* Root can write anything anyway; the user vigild runs as already
	 * is vigild. Anyone else who can write the file can change what it
	 * runs. */
	if (uid != 0 && uid != self_uid)
		snprintf(buf, len, "writable by uid %lu (its owner)", (unsigned long)uid);
	else if ((mode & S_IWGRP) && gid != 0 && gid != self_gid)
		snprintf(buf, len, "writable by group %lu (mode %04o)", (unsigned long)gid,
			 (unsigned)(mode & 07777));
	else if (mode & S_IWOTH)
		snprintf(buf, len, "writable by every user (mode %04o)", (unsigned)(mode & 07777));
	else
		return false;
	return true;
}
