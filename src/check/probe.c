/* probe.c - what every probe kind shares; see probe.h. */
#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

const char *probe_status_str(enum probe_status s)
{
	static const char *const names[PROBE_STATUS_COUNT] = {
		[PROBE_OK] = "ok",
		[PROBE_TIMEOUT] = "timeout",
		[PROBE_REFUSED] = "connection refused",
		[PROBE_UNREACHABLE] = "unreachable",
		[PROBE_SOCKET_ERROR] = "socket error",
		[PROBE_CLOSED] = "connection closed",
		[PROBE_BAD_STATUS] = "bad status code",
		[PROBE_BAD_DIGEST] = "digest mismatch",
		[PROBE_BAD_REGEX] = "regex mismatch",
		[PROBE_TLS_ERROR] = "TLS error",
		[PROBE_BAD_REPLY] = "bad reply",
		[PROBE_SCRIPT_FAILED] = "script failed",
		[PROBE_SCRIPT_TIMEOUT] = "script timed out",
		[PROBE_FILE_DOWN] = "file says down",
	};
	return (unsigned)s < PROBE_STATUS_COUNT && names[s] ? names[s] : "unknown";
}

void probe_result_ok(struct probe_result *r)
{
	r->status = PROBE_OK;
	r->weight = -1;
	r->detail[0] = '\0';
}

void probe_result_vfail(struct probe_result *r, enum probe_status status, const char *fmt,
			va_list ap)
{
	r->status = status;
	r->weight = -1;
	vsnprintf(r->detail, sizeof(r->detail), fmt, ap);
}

void probe_result_fail(struct probe_result *r, enum probe_status status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	probe_result_vfail(r, status, fmt, ap);
	va_end(ap);
}

enum probe_status probe_status_of_errno(int err)
{
	switch (err) {
	case ECONNREFUSED: return PROBE_REFUSED;
	case ETIMEDOUT: return PROBE_TIMEOUT;
	case EHOSTUNREACH: case ENETUNREACH: case ENETDOWN: case EHOSTDOWN:
		return PROBE_UNREACHABLE;
	case ECONNRESET: case EPIPE: return PROBE_CLOSED;
	default: return PROBE_SOCKET_ERROR;
	}
}

static int fail(int fd, int err, enum probe_status *status, char *detail, size_t len,
		const char *what)
{
	if (fd >= 0)
		close(fd);
	*status = probe_status_of_errno(err);
	snprintf(detail, len, "%s: %s", what, strerror(err));
	return -err;
}

int probe_socket_connect(const struct probe *p, int type, int protocol,
			 enum probe_status *status, char *detail, size_t len)
{
	int fd = socket(p->dst.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
	if (fd < 0)
		return fail(-1, errno, status, detail, len, "socket");
	if (p->fwmark && setsockopt(fd, SOL_SOCKET, SO_MARK, &p->fwmark, sizeof(p->fwmark)) < 0)
		return fail(fd, errno, status, detail, len, "SO_MARK");
	if (p->bind_if && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, p->bind_if,
				     (socklen_t)strnlen(p->bind_if, IF_NAMESIZE)) < 0)
		return fail(fd, errno, status, detail, len, "SO_BINDTODEVICE");
	if (p->src_len) {
		int one = 1;
		/* A fixed bind_port is reused every attempt; without this the
		 * previous attempt's TIME_WAIT would refuse the bind. */
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (const struct sockaddr *)&p->src, p->src_len) < 0)
			return fail(fd, errno, status, detail, len, "bind");
	}
	if (connect(fd, (const struct sockaddr *)&p->dst, p->dst_len) < 0 && errno != EINPROGRESS)
		return fail(fd, errno, status, detail, len, "connect");
	return fd;
}
