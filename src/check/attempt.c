/* attempt.c - see attempt.h. */
#include "attempt.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

unsigned long long probe_timeout_ms(const struct probe *p)
{
	unsigned long long ms = (p->timeout_us + 999) / 1000;
	return ms ? ms : 1;
}

static void handle_closed(uv_handle_t *h)
{
	struct probe_attempt *a = h->data;
	if (--a->open_handles)
		return;
	if (a->on_free)
		a->on_free(a);
	free(a);
}

/* ---- one epoll set for every probe socket -----------------------------------
 * A uv_poll per attempt costs five or six epoll_ctl calls and an ioctl
 * per check (libuv adds, modifies, deletes, and deletes again on close),
 * twice the system calls of the check itself. The attempts' sockets go
 * into one epoll set of our own instead, which libuv watches as a single
 * descriptor: one EPOLL_CTL_ADD per check, and close() takes the socket
 * out. Attempts are freed only in libuv's close phase, after this
 * dispatch, so an event for an attempt that ended earlier in the same
 * batch finds its memory intact and a->p NULL. */

struct probe_poller {
	int epfd;
	uv_poll_t watch;
};

#define POLLER_BATCH 256

static void on_ready(uv_poll_t *h, int status, int events)
{
	struct probe_poller *pl = h->data;
	struct epoll_event ev[POLLER_BATCH];
	(void)status;
	(void)events;
	int n = epoll_wait(pl->epfd, ev, POLLER_BATCH, 0);
	for (int i = 0; i < n; i++) {
		struct probe_attempt *a = ev[i].data.ptr;
		if (!a->p)
			continue;
		uint32_t e = ev[i].events;
		int uv_events = (e & (EPOLLIN | EPOLLHUP) ? UV_READABLE : 0) |
				(e & EPOLLOUT ? UV_WRITABLE : 0);
		/* As libuv reports POLLERR: status UV_EBADF, the socket's
		 * own error (SO_ERROR, the error queue) says what it was. */
		if (e & EPOLLERR)
			a->on_io(a, UV_EBADF, a->watching);
		else
			a->on_io(a, 0, uv_events & a->watching);
	}
}

static struct probe_poller *poller_get(struct probe_ctx *ctx)
{
	struct probe_poller *pl = ctx->poller;
	if (pl)
		return pl;
	pl = calloc(1, sizeof(*pl));
	if (!pl)
		return NULL;
	pl->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (pl->epfd < 0 || uv_poll_init(ctx->loop, &pl->watch, pl->epfd) < 0) {
		if (pl->epfd >= 0)
			close(pl->epfd);
		free(pl);
		return NULL;
	}
	pl->watch.data = pl;
	uv_poll_start(&pl->watch, UV_READABLE, on_ready);
	ctx->poller = pl;
	return pl;
}

static void poller_closed(uv_handle_t *h)
{
	struct probe_poller *pl = h->data;
	close(pl->epfd);
	free(pl);
}

void probe_poller_fini(struct probe_ctx *ctx)
{
	struct probe_poller *pl = ctx->poller;
	if (!pl)
		return;
	ctx->poller = NULL;
	uv_close((uv_handle_t *)&pl->watch, poller_closed);
}

/* The deadline. A loop that is behind runs its timers before it looks
 * at the sockets, so an answer may be waiting, unseen, when the deadline
 * fires: look first (a zero-timeout poll), and only then call it a
 * timeout. Under load this is what keeps a busy director from declaring
 * healthy servers dead. */
static void on_timer(uv_timer_t *t)
{
	struct probe_attempt *a = t->data;
	if (!a->p)
		return;
	struct pollfd pfd = { .fd = a->fd, .events = 0 };
	if (a->watching & UV_READABLE)
		pfd.events |= POLLIN;
	if (a->watching & UV_WRITABLE)
		pfd.events |= POLLOUT;
	if (pfd.events && a->fd >= 0 && poll(&pfd, 1, 0) == 1 && pfd.revents) {
		int events = (pfd.revents & (POLLIN | POLLERR | POLLHUP) ? UV_READABLE : 0) |
			     (pfd.revents & (POLLOUT | POLLERR | POLLHUP) ? UV_WRITABLE : 0);
		a->on_io(a, 0, events & a->watching);
		if (!a->p)
			return;       /* that answer was the verdict */
	}
	a->on_deadline(a);
}

void *probe_attempt_new(struct probe *p, struct probe_attempt **slot, size_t size, int fd,
			probe_attempt_io_fn on_io, probe_attempt_deadline_fn on_deadline)
{
	return probe_attempt_new_ms(p, slot, size, fd, on_io, on_deadline, probe_timeout_ms(p));
}

void *probe_attempt_new_ms(struct probe *p, struct probe_attempt **slot, size_t size, int fd,
			   probe_attempt_io_fn on_io, probe_attempt_deadline_fn on_deadline,
			   uint64_t timeout_ms)
{
	struct probe_attempt *a = calloc(1, size);
	if (!a || !poller_get(p->ctx)) {
		free(a);
		close(fd);
		probe_report_fail(p, PROBE_SOCKET_ERROR, "out of memory or descriptors");
		return NULL;
	}
	a->p = p;
	a->slot = slot;
	a->fd = fd;
	a->on_io = on_io;
	a->on_deadline = on_deadline;
	a->deadline.data = a;
	uv_timer_init(p->ctx->loop, &a->deadline);
	a->open_handles = 1;
	*slot = a;
	/* The loop's clock was read when this iteration began, which may be
	 * long ago on a busy loop: a deadline counted from it would be short. */
	uv_update_time(p->ctx->loop);
	uv_timer_start(&a->deadline, on_timer, timeout_ms ? timeout_ms : 1, 0);
	return a;
}

int probe_attempt_watch(struct probe_attempt *a, int events)
{
	struct probe_poller *pl = a->p->ctx->poller;
	struct epoll_event ev = {
		.events = (events & UV_READABLE ? EPOLLIN : 0) | (events & UV_WRITABLE ? EPOLLOUT : 0),
		.data.ptr = a,
	};
	if (epoll_ctl(pl->epfd, a->registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, a->fd, &ev) < 0)
		return -errno;
	a->registered = true;
	a->watching = events;
	return 0;
}

static void attempt_close(struct probe_attempt *a)
{
	uv_timer_stop(&a->deadline);
	if (a->fd >= 0) {
		if (a->reset_on_close) {
			struct linger lg = { .l_onoff = 1, .l_linger = 0 };
			setsockopt(a->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		}
		close(a->fd);         /* also takes it out of the epoll set */
		a->fd = -1;
	}
	uv_close((uv_handle_t *)&a->deadline, handle_closed);
}

void probe_attempt_end(struct probe_attempt *a, const struct probe_result *r)
{
	struct probe *p = a->p;
	if (!p)
		return;
	a->p = NULL;
	if (*a->slot == a)
		*a->slot = NULL;
	attempt_close(a);
	p->done(p, r);
}

void probe_attempt_succeed(struct probe_attempt *a)
{
	struct probe_result r;
	probe_result_ok(&r);
	probe_attempt_end(a, &r);
}

void probe_attempt_fail(struct probe_attempt *a, enum probe_status status, const char *fmt, ...)
{
	struct probe_result r;
	va_list ap;
	va_start(ap, fmt);
	probe_result_vfail(&r, status, fmt, ap);
	va_end(ap);
	probe_attempt_end(a, &r);
}

void socket_probe_cancel(struct probe *p)
{
	probe_attempt_cancel(&((struct socket_probe *)(void *)p)->running);
}

void probe_attempt_cancel(struct probe_attempt **slot)
{
	struct probe_attempt *a = *slot;
	if (!a)
		return;
	*slot = NULL;
	a->p = NULL;
	attempt_close(a);
}

void probe_report_fail(struct probe *p, enum probe_status status, const char *fmt, ...)
{
	struct probe_result r;
	va_list ap;
	va_start(ap, fmt);
	probe_result_vfail(&r, status, fmt, ap);
	va_end(ap);
	p->done(p, &r);
}

void *probe_attempt_open(struct probe *p, struct probe_attempt **slot, size_t size, int type,
			 int protocol, probe_attempt_io_fn on_io,
			 probe_attempt_deadline_fn on_deadline)
{
	return probe_attempt_open_ms(p, slot, size, type, protocol, on_io, on_deadline,
				     probe_timeout_ms(p));
}

void *probe_attempt_open_ms(struct probe *p, struct probe_attempt **slot, size_t size, int type,
			    int protocol, probe_attempt_io_fn on_io,
			    probe_attempt_deadline_fn on_deadline, uint64_t timeout_ms)
{
	enum probe_status st;
	char why[128];
	int fd = probe_socket_connect(p, type, protocol, &st, why, sizeof(why));
	if (fd < 0) {
		probe_report_fail(p, st, "%s", why);
		return NULL;
	}
	return probe_attempt_new_ms(p, slot, size, fd, on_io, on_deadline, timeout_ms);
}

static void exchange_send(struct probe_attempt *a)
{
	ssize_t n;
	do
		n = send(a->fd, a->request, a->request_len, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
		if (probe_attempt_watch(a, UV_WRITABLE) < 0)
			probe_attempt_fail(a, PROBE_SOCKET_ERROR, "cannot watch the socket");
		return;
	}
	if (n < 0) {
		int err = errno;
		probe_attempt_fail(a, probe_status_of_errno(err), "%s: %s", a->send_what,
				   strerror(err));
		return;
	}
	if ((size_t)n != a->request_len) {
		probe_attempt_fail(a, PROBE_SOCKET_ERROR, "%s: %zd of %zu octets sent", a->send_what,
				   n, a->request_len);
		return;
	}
	a->request = NULL;
	if (probe_attempt_watch(a, UV_READABLE) < 0)
		probe_attempt_fail(a, PROBE_SOCKET_ERROR, "cannot watch the socket");
}

void probe_exchange_start(struct probe_attempt *a, const void *buf, size_t len,
			  const char *what, void (*on_reply)(struct probe_attempt *a))
{
	a->request = buf;
	a->request_len = len;
	a->send_what = what;
	a->on_reply = on_reply;
	exchange_send(a);
}

void probe_exchange_io(struct probe_attempt *a, int status, int events)
{
	(void)events;
	if (a->request)
		exchange_send(a);
	else
		a->on_reply(a);   /* on POLLERR too: recv() returns the socket's error */
	if (a->p && status < 0)   /* POLLERR stopped the poll; the error was not a verdict */
		probe_attempt_watch(a, a->request ? UV_WRITABLE : UV_READABLE);
}

int probe_attempt_socket_error(const struct probe_attempt *a, int status)
{
	int err = 0;
	socklen_t len = sizeof(err);
	/* libuv reports POLLERR as status UV_EBADF: the socket's own error
	 * (ECONNREFUSED, EHOSTUNREACH) is the one that tells what happened. */
	if (getsockopt(a->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return errno;
	return err ? err : status < 0 ? -status : 0;
}
