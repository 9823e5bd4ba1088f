/* log.h - logging that never blocks the caller.
 *
 * Lines go to syslog (an AF_UNIX datagram sent with MSG_DONTWAIT to
 * /dev/log, or the socket named by $VIGIL_SYSLOG_SOCKET) and, with -l, to
 * stderr. When no syslog daemon listens, a line is dropped and counted
 * rather than waited for: keepalived's fallback to /dev/console stalled
 * its event loop 10-40 ms at a time, which is longer than an advert
 * interval.
 */
#ifndef VIGIL_LOG_H
#define VIGIL_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <syslog.h>

struct log_opts {
	const char *ident;    /* "Keepalived_vrrp"-style program name */
	int facility;         /* LOG_DAEMON by default */
	bool console;         /* -l: also to stderr */
	bool detailed;        /* -D: LOG_DEBUG lines are emitted */
};

void log_open(const struct log_opts *o);
void log_close(void);
void log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* log_warn() and log_err() append ": strerror(errno)". */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define log_info(...)   log_msg(LOG_INFO, __VA_ARGS__)
#define log_notice(...) log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_debug(...)  log_msg(LOG_DEBUG, __VA_ARGS__)
/* Lines that syslog could not take. */
uint64_t log_dropped(void);
/* "daemon", "local0".."local7", ... to LOG_*; -1 when unknown. */
int log_facility_by_name(const char *name);

#endif
