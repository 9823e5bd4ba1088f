/* tcp.c - TCP_CHECK: connect, and close.
 *
 * One attempt is a non-blocking connect watched by uv_poll for
 * writability, under one deadline (connect_timeout). The verdict is
 * SO_ERROR. The connection is closed with an RST (SO_LINGER 0), as
 * HAProxy's checks do: a health check has nothing to say after the
 * handshake, and an RST leaves no TIME_WAIT behind on the director for
 * each of thousands of checks a second.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"

struct tcp_attempt {
	struct probe *p;          /* NULL once cancelled */
	uv_poll_t poll;
	uv_timer_t deadline;
	int fd;
	int open_handles;
};

struct tcp_probe {
	struct probe p;
	struct tcp_attempt *a;    /* the running attempt, NULL when idle */
};

static void attempt_freed(uv_handle_t *h)
{
	struct tcp_attempt *a = h->data;
	if (--a->open_handles == 0)
		free(a);
}

/* Close the socket and the handles; report r unless cancelled. */
static void attempt_end(struct tcp_attempt *a, const struct probe_result *r)
{
	struct probe *p = a->p;

	if (a->fd >= 0) {
		struct linger lg = { .l_onoff = 1, .l_linger = 0 };
		setsockopt(a->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(a->fd);
		a->fd = -1;
	}
	uv_close((uv_handle_t *)&a->poll, attempt_freed);
	uv_close((uv_handle_t *)&a->deadline, attempt_freed);
	if (p) {
		((struct tcp_probe *)(void *)p)->a = NULL;
		a->p = NULL;
		p->done(p, r);
	}
}

static void on_writable(uv_poll_t *h, int status, int events)
{
	struct tcp_attempt *a = h->data;
	struct probe_result r;
	int err = 0;
	socklen_t len = sizeof(err);

	(void)events;
	/* libuv reports POLLERR as status UV_EBADF: the socket's own error
	 * (ECONNREFUSED, EHOSTUNREACH) is the one that tells what happened. */
	if (getsockopt(a->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	else if (!err && status < 0)
		err = -status;
	if (err)
		probe_result_fail(&r, probe_status_of_errno(err), "%s", strerror(err));
	else
		probe_result_ok(&r);
	uv_poll_stop(h);
	attempt_end(a, &r);
}

static void on_deadline(uv_timer_t *t)
{
	struct tcp_attempt *a = t->data;
	struct probe_result r;
	probe_result_fail(&r, PROBE_TIMEOUT, "no answer within %llu ms",
			  (unsigned long long)(a->p ? a->p->timeout_us / 1000 : 0));
	uv_poll_stop(&a->poll);
	attempt_end(a, &r);
}

static void tcp_start(struct probe *p)
{
	struct tcp_probe *tp = (struct tcp_probe *)(void *)p;
	struct probe_result r;
	enum probe_status st;

	int fd = probe_socket_connect(p, SOCK_STREAM, IPPROTO_TCP, &st, r.detail, sizeof(r.detail));
	if (fd < 0) {
		r.status = st;
		r.weight = -1;
		p->done(p, &r);
		return;
	}
	struct tcp_attempt *a = calloc(1, sizeof(*a));
	if (!a || uv_poll_init_socket(p->ctx->loop, &a->poll, fd) < 0) {
		free(a);
		close(fd);
		probe_result_fail(&r, PROBE_SOCKET_ERROR, "out of memory or descriptors");
		p->done(p, &r);
		return;
	}
	a->p = p;
	a->fd = fd;
	a->open_handles = 2;
	a->poll.data = a;
	a->deadline.data = a;
	uv_timer_init(p->ctx->loop, &a->deadline);
	tp->a = a;
	uv_poll_start(&a->poll, UV_WRITABLE, on_writable);
	uint64_t ms = (p->timeout_us + 999) / 1000;
	uv_timer_start(&a->deadline, on_deadline, ms ? ms : 1, 0);
}

static void tcp_cancel(struct probe *p)
{
	struct tcp_probe *tp = (struct tcp_probe *)(void *)p;
	struct tcp_attempt *a = tp->a;
	if (!a)
		return;
	tp->a = NULL;
	a->p = NULL;
	uv_poll_stop(&a->poll);
	uv_timer_stop(&a->deadline);
	attempt_end(a, NULL);
}

const struct probe_ops probe_tcp_ops = {
	.keyword = "TCP_CHECK",
	.size = sizeof(struct tcp_probe),
	.start = tcp_start,
	.cancel = tcp_cancel,
	.up_fmt = "TCP connection to %s success.",
	.down_fmt = "TCP_CHECK on service %s failed.",
	.down_retries_fmt = "TCP_CHECK on service %s failed after %u retries.",
};
