/* json.c - see json.h. */
#include "json.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

int json_write_atomic(const char *path, void (*fn)(const void *data, FILE *f), const void *data)
{
	/* A fresh name in the target's directory (mkstemp: O_EXCL, never
	 * through a link another user planted as "<path>.tmp"), mode set on
	 * the descriptor, then rename(), which replaces path itself even if
	 * it is a symbolic link: root never writes through one. */
	/* mkostemp's template: six X the call replaces. */
	static const char six_x[] = { 'X', 'X', 'X', 'X', 'X', 'X', '\0' };
	char tmp[4096];
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.%s", path, six_x) >= sizeof(tmp))
		return -ENAMETOOLONG;
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	FILE *f = fchmod(fd, 0644) == 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		int err = -errno;
		close(fd);
		unlink(tmp);
		return err;
	}
	fn(data, f);
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		int err = -errno;
		unlink(tmp);
		return err;
	}
	return 0;
}

char *json_status_path(const char *pidfile, const char *suffix, char *buf, size_t len)
{
	size_t n = strlen(pidfile);
	if (n > 4 && strcmp(pidfile + n - 4, ".pid") == 0)
		n -= 4;
	snprintf(buf, len, "%.*s%s", (int)n, pidfile, suffix);
	return buf;
}
