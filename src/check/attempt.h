/* attempt.h - the running attempt of a socket probe (TCP, HTTP, SMTP, DNS,
 * UDP, PING).
 *
 * probe.h's rules for an attempt, written once: the attempt owns its
 * socket, a uv_poll_t on it and a uv_timer_t for the one deadline
 * (p->timeout_us from start to verdict). It lives apart from struct
 * probe, which the engine may free right after ops->cancel: cancel
 * detaches the attempt (back pointer to NULL) and the handles finish
 * closing on the loop, after which the attempt frees itself. Nothing is
 * reported after cancel, and a result is reported exactly once.
 *
 * A kind allocates its attempt as a struct that starts with struct
 * probe_attempt, keeps a pointer to it in its probe (the "slot", which
 * the attempt clears when it ends) and gets callbacks for socket events
 * and for the deadline. Inside those callbacks a->p is never NULL.
 */
#ifndef VIGIL_CHECK_ATTEMPT_H
#define VIGIL_CHECK_ATTEMPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "probe.h"

struct probe_attempt;
/* status: libuv's (UV_EBADF when the socket reported POLLERR, which also
 * stops the poll); events: UV_READABLE/UV_WRITABLE. */
typedef void (*probe_attempt_io_fn)(struct probe_attempt *a, int status, int events);
typedef void (*probe_attempt_deadline_fn)(struct probe_attempt *a);

struct probe_attempt {
	struct probe *p;                   /* NULL once ended or cancelled */
	struct probe_attempt **slot;       /* the kind's running-attempt pointer */
	uv_timer_t deadline;
	int fd;
	int open_handles;
	int watching;                      /* the events last asked for */
	bool registered;                   /* in the epoll set */
	bool reset_on_close;               /* SO_LINGER 0: no TIME_WAIT (TCP) */
	probe_attempt_io_fn on_io;
	probe_attempt_deadline_fn on_deadline;
	/* Optional: release what the kind's part of the attempt holds, just
	 * before the attempt is freed (after its end or cancel). */
	void (*on_free)(struct probe_attempt *a);
	/* A datagram exchange (probe_exchange_start): the request until it
	 * is out (NULL after), what a failed send is called, and the kind's
	 * reader of replies. */
	const void *request;
	size_t request_len;
	const char *send_what;
	void (*on_reply)(struct probe_attempt *a);
};

/* The head of a socket kind's probe: the probe and its running attempt
 * (the slot; NULL when idle). A kind's probe struct starts with it, and
 * socket_probe_cancel is then its ops->cancel. */
struct socket_probe {
	struct probe p;
	struct probe_attempt *running;
};

void socket_probe_cancel(struct probe *p);

/* Start an attempt of p on the socket fd (which it now owns): allocate
 * size bytes (>= sizeof(struct probe_attempt), zeroed), start the
 * deadline and set *slot. The poll is not started: call
 * probe_attempt_watch(). On failure the fd is closed, p->done is called
 * with PROBE_SOCKET_ERROR and NULL returned. */
void *probe_attempt_new(struct probe *p, struct probe_attempt **slot, size_t size, int fd,
			probe_attempt_io_fn on_io, probe_attempt_deadline_fn on_deadline);

/* The same with a deadline of timeout_ms instead of p->timeout_us (an
 * attempt that spends the rest of a longer one). */
void *probe_attempt_new_ms(struct probe *p, struct probe_attempt **slot, size_t size, int fd,
			   probe_attempt_io_fn on_io, probe_attempt_deadline_fn on_deadline,
			   uint64_t timeout_ms);

/* Watch the socket for events (UV_READABLE, UV_WRITABLE or both); also
 * after a POLLERR stopped the poll. 0, or a libuv error. */
int probe_attempt_watch(struct probe_attempt *a, int events);

/* End the attempt: close the socket and the handles and report r
 * (unless cancelled). Idempotent. Neither a nor p may be used after it
 * (done may free p; a is freed once its handles are closed). */
void probe_attempt_end(struct probe_attempt *a, const struct probe_result *r);

/* probe_attempt_end() with success. */
void probe_attempt_succeed(struct probe_attempt *a);

/* probe_attempt_end() with a failure of the given status. */
void probe_attempt_fail(struct probe_attempt *a, enum probe_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ops->ctx_fini for kinds built on this: the shared epoll set goes
 * (after every attempt has been cancelled). Idempotent. */
void probe_poller_fini(struct probe_ctx *ctx);

/* ops->cancel for kinds built on this: end *slot's attempt, if any,
 * without a result. */
void probe_attempt_cancel(struct probe_attempt **slot);

/* Report a failure for an attempt that never got as far as
 * probe_attempt_new() (p->done, possibly before start returns). */
void probe_report_fail(struct probe *p, enum probe_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* probe_socket_connect() + probe_attempt_new(): a socket of that type
 * connected to p->dst, as an attempt. NULL, with p->done called, when
 * the socket cannot be made. */
void *probe_attempt_open(struct probe *p, struct probe_attempt **slot, size_t size, int type,
			 int protocol, probe_attempt_io_fn on_io,
			 probe_attempt_deadline_fn on_deadline);

void *probe_attempt_open_ms(struct probe *p, struct probe_attempt **slot, size_t size, int type,
			    int protocol, probe_attempt_io_fn on_io,
			    probe_attempt_deadline_fn on_deadline, uint64_t timeout_ms);

/* A datagram exchange (DNS, UDP, ICMP echo): one request out, then every
 * reply the socket gets goes to on_reply, which reads it and ends the
 * attempt with a verdict or waits on (a datagram that was not its
 * answer). Open the attempt with probe_exchange_io as its io callback,
 * then start the exchange: the request (buf, which must live as long as
 * the attempt) goes out at once; only a full socket buffer makes it wait
 * for writability. A failed send ends the attempt ("WHAT: why"). */
void probe_exchange_start(struct probe_attempt *a, const void *buf, size_t len,
			  const char *what, void (*on_reply)(struct probe_attempt *a));
void probe_exchange_io(struct probe_attempt *a, int status, int events);

/* The error a connecting socket reports (SO_ERROR, else the poll's
 * status), 0 when it is connected. */
int probe_attempt_socket_error(const struct probe_attempt *a, int status);

/* The deadline in whole milliseconds, rounded up, at least 1: for the
 * timeout details ("no reply within 300 ms"). */
unsigned long long probe_timeout_ms(const struct probe *p);

#endif
