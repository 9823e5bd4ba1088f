/* log.c - non-blocking syslog and console logging; see log.h. */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* Module state: the one logging channel of the process. */
static struct {
	char ident[64];
	int facility;
	bool console;
	bool detailed;
	int fd;                  /* syslog socket, -1 when not connected */
	time_t last_attempt;     /* reconnect at most once a second */
	uint64_t dropped;
} L = { "vigild", LOG_DAEMON, false, false, -1, 0, 0 };

static void syslog_connect(void)
{
	const char *path = getenv("VIGIL_SYSLOG_SOCKET");
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	time_t now = time(NULL);

	if (L.fd >= 0 || now == L.last_attempt)
		return;
	L.last_attempt = now;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path ? path : "/dev/log");
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		close(fd);
		return;
	}
	L.fd = fd;
}

void log_open(const struct log_opts *o)
{
	snprintf(L.ident, sizeof(L.ident), "%s", o->ident ? o->ident : "vigild");
	L.facility = o->facility ? o->facility : LOG_DAEMON;
	L.console = o->console;
	L.detailed = o->detailed;
	L.last_attempt = 0;
	if (L.fd >= 0)
		close(L.fd);
	L.fd = -1;
	syslog_connect();
}

void log_close(void)
{
	if (L.fd >= 0)
		close(L.fd);
	L.fd = -1;
}

uint64_t log_dropped(void)
{
	return L.dropped;
}

static void emit(int prio, const char *msg)
{
	char line[2048];
	struct timespec ts;
	struct tm tm;

	if (prio == LOG_DEBUG && !L.detailed)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	if (L.console) {
		char stamp[32];
		strftime(stamp, sizeof(stamp), "%a %b %e %H:%M:%S", &tm);
		int n = snprintf(line, sizeof(line), "%s.%03ld %s\n", stamp,
				 ts.tv_nsec / 1000000, msg);
		if (n > 0 && write(STDERR_FILENO, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1) < 0)
			L.dropped++;
	}
	syslog_connect();
	if (L.fd < 0) {
		L.dropped++;
		return;
	}
	char stamp[32];
	strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", &tm);
	int n = snprintf(line, sizeof(line), "<%d>%s %s[%d]: %s", L.facility | prio, stamp,
			 L.ident, (int)getpid(), msg);
	if (n < 0)
		return;
	if (send(L.fd, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1,
		 MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
		L.dropped++;
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOBUFS) {
			close(L.fd);
			L.fd = -1;
		}
	}
}

void log_msg(int prio, const char *fmt, ...)
{
	char msg[1536];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	emit(prio, msg);
}

static void log_with_errno(int prio, const char *fmt, va_list ap)
{
	char msg[1536];
	int e = errno;
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n >= 0 && (size_t)n < sizeof(msg))
		snprintf(msg + n, sizeof(msg) - (size_t)n, ": %s", strerror(e));
	emit(prio, msg);
	errno = e;
}

void log_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_with_errno(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void log_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_with_errno(LOG_ERR, fmt, ap);
	va_end(ap);
}

int log_facility_by_name(const char *name)
{
	static const struct { const char *n; int f; } tab[] = {
		{ "daemon", LOG_DAEMON }, { "user", LOG_USER }, { "local0", LOG_LOCAL0 },
		{ "local1", LOG_LOCAL1 }, { "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 },
		{ "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 }, { "local6", LOG_LOCAL6 },
		{ "local7", LOG_LOCAL7 },
	};
	/* keepalived's -S takes 0..7 for local0..local7 */
	if (name[0] >= '0' && name[0] <= '7' && name[1] == '\0')
		return LOG_LOCAL0 + ((name[0] - '0') << 3);
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcasecmp(tab[i].n, name) == 0)
			return tab[i].f;
	return -1;
}
