/* ifsysctl.c - per-interface kernel settings, put back at stop; see ifsysctl.h. */
#include "ifsysctl.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

#define DEFAULT_ROOT "/proc/sys/net"

bool ifsysctl_path(char *buf, size_t len, const char *root, const char *proto,
		  const char *ifname, const char *name)
{
	size_t n = strlen(ifname);
	if (n == 0 || n >= IFNAMSIZ || strchr(ifname, '/') || !strcmp(ifname, ".") ||
	    !strcmp(ifname, ".."))
		return false;
	int w = snprintf(buf, len, "%s/%s/conf/%s/%s", root ? root : DEFAULT_ROOT, proto,
			 ifname, name);
	return w > 0 && (size_t)w < len;
}

/* The file's first line without its newline, or -errno. */
static int read_value(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t r = read(fd, buf, len - 1);
	int err = errno;
	close(fd);
	if (r < 0)
		return -err;
	buf[r] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int write_value(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	size_t n = strlen(value);
	ssize_t w = write(fd, value, n);
	int err = errno;
	close(fd);
	if (w < 0)
		return -err;
	return (size_t)w == n ? 0 : -EIO;
}

static bool remembered(const struct ifsysctl_set *s, const char *path)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].path, path))
			return true;
	return false;
}

int ifsysctl_set(struct ifsysctl_set *s, const char *proto, const char *ifname,
		 const char *name, const char *value)
{
	char path[256], old[64];
	if (!ifsysctl_path(path, sizeof(path), s->root, proto, ifname, name))
		return -EINVAL;
	int err = read_value(path, old, sizeof(old));
	if (err < 0)
		return err;
	if (!strcmp(old, value))
		return 0;
	if (!remembered(s, path)) {
		struct ifsysctl_saved *v = realloc(s->v, (s->n + 1) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		s->v = v;
		v[s->n].path = strdup(path);
		v[s->n].old = strdup(old);
		if (!v[s->n].path || !v[s->n].old) {
			free(v[s->n].path);
			free(v[s->n].old);
			return -ENOMEM;
		}
		s->n++;
	}
	return write_value(path, value);
}

int ifsysctl_get(const struct ifsysctl_set *s, const char *proto, const char *ifname,
		 const char *name, char *buf, size_t len)
{
	char path[256];
	if (!ifsysctl_path(path, sizeof(path), s->root, proto, ifname, name))
		return -EINVAL;
	return read_value(path, buf, len);
}

void ifsysctl_restore(struct ifsysctl_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		int err = write_value(s->v[i].path, s->v[i].old);
		if (err < 0 && err != -ENOENT)
			log_msg(LOG_WARNING, "cannot put %s back to %s: %s", s->v[i].path,
				s->v[i].old, strerror(-err));
		free(s->v[i].path);
		free(s->v[i].old);
	}
	free(s->v);
	s->v = NULL;
	s->n = 0;
}
