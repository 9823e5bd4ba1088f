/* probe.h - one attempt of one health check, and what came of it.
 *
 * A probe kind (tcp.c, http.c, misc.c, smtp.c, dns.c, udp.c, ping.c,
 * file.c) knows how to ask a real server once whether it is healthy:
 * connect, send, read, judge. It knows nothing of retries, delay_loop,
 * IPVS or logging of state changes: the health engine (health.c) owns the
 * schedule, applies keepalived's retry rule, logs the transitions in
 * keepalived's words, and tells the IPVS reconciler (relayd's hce: one
 * reporting point; a checker never calls IPVS).
 *
 * Life of a probe:
 *   1. The engine allocates ops->size bytes (zeroed), fills struct probe
 *      (which the kind's own struct starts with) and calls ops->init once.
 *   2. Every attempt is ops->start(p). The kind calls p->done(p, &result)
 *      exactly once per start, possibly before start returns (a connect
 *      refused at once), never twice, and never after ops->cancel.
 *      Everything the attempt needs (sockets, timers, curl handles) is
 *      allocated per attempt or lives in p; the kind enforces one deadline
 *      for the whole attempt: p->timeout_us (connect_timeout, or
 *      misc_timeout for MISC_CHECK) from start to verdict. HTTP_GET and
 *      SSL_GET give each url's connection its own p->timeout_us, as
 *      keepalived's timeout is per connection.
 *   3. ops->cancel(p) abandons the running attempt, if any: after it
 *      returns, p->done is not called for it and the engine may free p at
 *      once. Per-attempt libuv handles therefore must not live in p: the
 *      kind detaches the attempt from p and lets it finish its closes on
 *      the loop (an attempt struct with a back pointer set to NULL).
 *   4. ops->fini(p), on an idle probe, frees what init allocated. Then the
 *      engine frees p.
 * Kinds keep state shared by all their probes (one curl multi handle for
 * every HTTP check) in ctx->kind_state[kind], created on first use and
 * freed by ops->ctx_fini at shutdown.
 *
 * No probe blocks the loop: sockets are non-blocking and watched with
 * uv_poll, programs run through lib/script.c.
 */
#ifndef VIGIL_CHECK_PROBE_H
#define VIGIL_CHECK_PROBE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <uv.h>

#include "conf.h"

/* Why an attempt ended as it did. One enum for every kind, so the engine
 * and the status output name results the same way (relayd's HCE_*). */
enum probe_status {
	PROBE_OK = 0,
	PROBE_TIMEOUT,        /* the attempt's deadline passed */
	PROBE_REFUSED,        /* connection refused (RST, ICMP port unreachable) */
	PROBE_UNREACHABLE,    /* no route, host unreachable, network down */
	PROBE_SOCKET_ERROR,   /* socket, bind or another local failure (detail says) */
	PROBE_CLOSED,         /* the peer closed before the exchange was complete */
	PROBE_BAD_STATUS,     /* HTTP status code not accepted */
	PROBE_BAD_DIGEST,     /* HTTP body MD5 differs from url { digest } */
	PROBE_BAD_REGEX,      /* HTTP body did (not) match url { regex } */
	PROBE_TLS_ERROR,      /* handshake or certificate verification failed */
	PROBE_BAD_REPLY,      /* SMTP, DNS or UDP answer not what is required */
	PROBE_SCRIPT_FAILED,  /* MISC_CHECK exited non-zero (or 1 under misc_dynamic) */
	PROBE_SCRIPT_TIMEOUT, /* MISC_CHECK killed at its timeout */
	PROBE_FILE_DOWN,      /* FILE_CHECK: the tracked file says down */
	PROBE_STATUS_COUNT
};

/* "ok", "timeout", "connection refused", ... (static strings). */
const char *probe_status_str(enum probe_status s);

struct probe_result {
	enum probe_status status;
	/* A weight the check asks for (misc_dynamic exit 2..255 gives
	 * exit - 2; FILE_CHECK with weight); -1: none, keep the configured
	 * weight. Meaningful with PROBE_OK only. */
	int32_t weight;
	/* Detail for the log, may be empty: "HTTP status 404",
	 * "Connection refused", "exited with status 3". */
	char detail[160];
};

/* Set r to PROBE_OK/no weight/no detail, or to status with a printf'd
 * detail. */
void probe_result_ok(struct probe_result *r);
void probe_result_fail(struct probe_result *r, enum probe_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void probe_result_vfail(struct probe_result *r, enum probe_status status, const char *fmt,
			va_list ap) __attribute__((format(printf, 3, 0)));

struct probe;
typedef void (*probe_done_fn)(struct probe *p, const struct probe_result *r);

/* What all probes of a worker share. Owned by the engine. */
struct probe_ctx {
	uv_loop_t *loop;
	const struct config *cfg;       /* global_defs: script_user, security, ... */
	void *kind_state[CHECK_BFD + 1];/* per kind, see ops->ctx_fini */
	void *poller;                   /* attempt.c's epoll set for socket kinds */
};

/* One configured checker of one real server, as the kind sees it. */
struct probe {
	const struct probe_ops *ops;
	struct probe_ctx *ctx;
	const struct checker *conf;     /* cast to the kind's struct by kind */
	const struct real_server *rs;
	const struct virtual_server *vs;
	/* Where to connect: connect_ip/connect_port, else the real
	 * server's address and port (else the virtual server's port). */
	struct sockaddr_storage dst;
	socklen_t dst_len;              /* 0: no address (MISC, FILE) */
	/* bindto/bind_port; src_len 0: let the kernel choose. */
	struct sockaddr_storage src;
	socklen_t src_len;
	uint32_t fwmark;                /* SO_MARK, 0: none */
	const char *bind_if;            /* SO_BINDTODEVICE, NULL: none */
	uint64_t timeout_us;            /* the attempt's deadline */
	/* keepalived's FMT_CHK: "[10.0.0.2]:tcp:80" (the address and port
	 * checked, with the virtual server's protocol). */
	char name[96];
	probe_done_fn done;
	/* Optional, the engine's: a kind that learns between attempts that
	 * the answer may have changed (FILE_CHECK's inotify watch) calls it
	 * to have the next attempt now instead of at its turn. */
	void (*wake)(struct probe *p);
	void *data;                     /* the engine's */
};

struct probe_ops {
	const char *keyword;            /* "TCP_CHECK" */
	size_t size;                    /* of the kind's struct (starts with struct probe) */
	/* Optional. Prepare what every attempt needs (compile a regex,
	 * build a request). 0, or -1 with why in err: the checker is then
	 * left out, with a log line naming it. */
	int (*init)(struct probe *p, char *err, size_t errlen);
	void (*start)(struct probe *p);
	void (*cancel)(struct probe *p);
	void (*fini)(struct probe *p);  /* optional */
	void (*ctx_fini)(struct probe_ctx *ctx);  /* optional */
	/* keepalived's lines when the checker's state changes, each with
	 * one %s for p->name (and down_retries a %u for retry):
	 *   TCP_CHECK: "TCP connection to %s success.",
	 *              "TCP_CHECK on service %s failed.",
	 *              "TCP_CHECK on service %s failed after %u retries." */
	const char *up_fmt, *down_fmt, *down_retries_fmt;
	/* Optional, for kinds whose keepalived line says more than the name
	 * (MISC_CHECK names the virtual server, the script and how it
	 * ended): write the line for a change to up or down into buf and
	 * return the syslog priority to log it at, or -1 for no line;
	 * retries is 0, or the retry count for "failed after N retries";
	 * first: the checker's first verdict since it started. */
	int (*transition_line)(const struct probe *p, const struct probe_result *r, bool up,
			       bool first, uint32_t retries, char *buf, size_t len);
};

/* The kinds, defined in their files; NULL-safe lookup by kind. */
extern const struct probe_ops probe_tcp_ops, probe_http_ops, probe_ssl_ops, probe_misc_ops,
	probe_smtp_ops, probe_dns_ops, probe_udp_ops, probe_ping_ops, probe_file_ops;
const struct probe_ops *probe_ops_for(enum check_kind kind);

/* ---- helpers for socket kinds (probe.c) ------------------------------------ */

/* A non-blocking, close-on-exec socket of p->dst's family and the given
 * type/protocol, with SO_MARK, SO_BINDTODEVICE and bind(p->src) applied,
 * and connect(p->dst) started. Returns the fd (connect in progress or
 * done), or -errno with *status and detail filled for the result
 * (PROBE_REFUSED for a connect refused at once, PROBE_SOCKET_ERROR for a
 * local failure). */
int probe_socket_connect(const struct probe *p, int type, int protocol,
			 enum probe_status *status, char *detail, size_t len);
/* The status for a socket error number (ECONNREFUSED -> PROBE_REFUSED,
 * ETIMEDOUT -> PROBE_TIMEOUT, EHOSTUNREACH/ENETUNREACH -> UNREACHABLE,
 * else SOCKET_ERROR). */
enum probe_status probe_status_of_errno(int err);

#endif
