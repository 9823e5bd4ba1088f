/* json.c - see json.h. */
#include "json.h"

#include <errno.h>
#include <string.h>
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
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "we");
	if (!f)
		return -errno;
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
