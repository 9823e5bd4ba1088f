/* netns.c - network namespaces by name; see netns.h. */
#include "netns.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "privs.h"

bool netns_path(char *buf, size_t len, const char *name)
{
	if (!*name)
		return snprintf(buf, len, "/proc/1/ns/net") < (int)len;
	if (strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	int n = snprintf(buf, len, "/run/netns/%s", name);
	return n > 0 && (size_t)n < len;
}

int netns_open(const char *name)
{
	char path[256];
	if (!netns_path(path, sizeof(path), name))
		return -EINVAL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* Is fd the namespace this thread is in already? */
static bool already_in(int fd)
{
	struct stat a, b;
	return fstat(fd, &a) == 0 && stat("/proc/thread-self/ns/net", &b) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int netns_enter(const char *name)
{
	int fd = netns_open(name);
	if (fd < 0)
		return fd;
	/* Started there already (systemd's NetworkNamespacePath=, ip netns
	 * exec): no setns, so no CAP_SYS_ADMIN needed. */
	int rc = already_in(fd) ? 0 : setns(fd, CLONE_NEWNET) < 0 ? -errno : 0;
	close(fd);
	return rc;
}

int netns_call(int fd, int (*fn)(void *data), void *data)
{
	int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return -errno;
	/* A worker keeps CAP_SYS_ADMIN permitted only (lib/privs.c). */
	bool raised = privs_raise(CAP_SYS_ADMIN);
	if (setns(fd, CLONE_NEWNET) < 0) {
		int err = -errno;
		if (raised)
			privs_lower(CAP_SYS_ADMIN);
		close(self);
		return err;
	}
	int rc = fn(data);
	if (setns(self, CLONE_NEWNET) < 0) {
		/* Nothing after this may open a socket in the wrong place. */
		log_msg(LOG_ERR, "cannot return to the daemon's network namespace: %s",
			strerror(errno));
		rc = -errno;
	}
	if (raised)
		privs_lower(CAP_SYS_ADMIN);
	close(self);
	return rc;
}
