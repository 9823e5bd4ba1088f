/* attempt.c - see attempt.h. */
#include "attempt.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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
	if (--a->open_handles == 0)
		free(a);
}

static void on_poll(uv_poll_t *h, int status, int events)
{
	struct probe_attempt *a = h->data;
	if (a->p)
		a->on_io(a, status, events);
}

static void on_timer(uv_timer_t *t)
{
	struct probe_attempt *a = t->data;
	if (a->p)
		a->on_deadline(a);
}

void *probe_attempt_new(struct probe *p, struct probe_attempt **slot, size_t size, int fd,
			probe_attempt_io_fn on_io, probe_attempt_deadline_fn on_deadline)
{
	struct probe_attempt *a = calloc(1, size);
	if (!a || uv_poll_init_socket(p->ctx->loop, &a->poll, fd) < 0) {
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
	a->poll.data = a;
	a->deadline.data = a;
	uv_timer_init(p->ctx->loop, &a->deadline);
	a->open_handles = 2;
	*slot = a;
	uv_timer_start(&a->deadline, on_timer, probe_timeout_ms(p), 0);
	return a;
}

int probe_attempt_watch(struct probe_attempt *a, int events)
{
	return uv_poll_start(&a->poll, events, on_poll);
}

static void attempt_close(struct probe_attempt *a)
{
	uv_poll_stop(&a->poll);       /* takes the fd out of epoll before it is closed */
	uv_timer_stop(&a->deadline);
	if (a->fd >= 0) {
		if (a->reset_on_close) {
			struct linger lg = { .l_onoff = 1, .l_linger = 0 };
			setsockopt(a->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		}
		close(a->fd);
		a->fd = -1;
	}
	uv_close((uv_handle_t *)&a->poll, handle_closed);
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

void probe_attempt_fail(struct probe_attempt *a, enum probe_status status, const char *fmt, ...)
{
	struct probe_result r;
	va_list ap;
	r.status = status;
	r.weight = -1;
	va_start(ap, fmt);
	vsnprintf(r.detail, sizeof(r.detail), fmt, ap);
	va_end(ap);
	probe_attempt_end(a, &r);
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
	r.status = status;
	r.weight = -1;
	va_start(ap, fmt);
	vsnprintf(r.detail, sizeof(r.detail), fmt, ap);
	va_end(ap);
	p->done(p, &r);
}
