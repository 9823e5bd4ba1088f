/* probetest.c - see probetest.h. */
#include "probetest.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void on_done(struct probe *p, const struct probe_result *r)
{
	struct probetest *t = p->data;
	t->calls++;
	t->r = *r;
}

void probetest_init(struct probetest *t, const struct probe_ops *ops,
		    const struct checker *conf, const char *dst, uint16_t port,
		    uint64_t timeout_us)
{
	memset(t, 0, sizeof(*t));
	ck_assert_int_eq(uv_loop_init(&t->loop), 0);
	t->ctx.loop = &t->loop;
	t->p = calloc(1, ops->size);
	ck_assert_ptr_nonnull(t->p);
	struct probe *p = t->p;
	p->ops = ops;
	p->ctx = &t->ctx;
	p->conf = conf;
	p->timeout_us = timeout_us;
	p->done = on_done;
	p->data = t;
	if (dst) {
		if (strchr(dst, ':')) {
			struct sockaddr_in6 *a = (struct sockaddr_in6 *)&p->dst;
			a->sin6_family = AF_INET6;
			a->sin6_port = htons(port);
			ck_assert_int_eq(inet_pton(AF_INET6, dst, &a->sin6_addr), 1);
			p->dst_len = sizeof(*a);
		} else {
			struct sockaddr_in *a = (struct sockaddr_in *)&p->dst;
			a->sin_family = AF_INET;
			a->sin_port = htons(port);
			ck_assert_int_eq(inet_pton(AF_INET, dst, &a->sin_addr), 1);
			p->dst_len = sizeof(*a);
		}
		snprintf(p->name, sizeof(p->name), "[%s]:tcp:%u", dst, (unsigned)port);
	}
	if (ops->init) {
		char err[256] = "";
		ck_assert_msg(ops->init(p, err, sizeof(err)) == 0, "init failed: %s", err);
	}
}

static void on_bound(uv_timer_t *timer)
{
	uv_stop(timer->loop);
}

const struct probe_result *probetest_attempt(struct probetest *t)
{
	uv_timer_t bound;
	int before = t->calls;

	uv_timer_init(&t->loop, &bound);
	uv_timer_start(&bound, on_bound, t->p->timeout_us / 1000 + 5000, 0);
	t->p->ops->start(t->p);
	while (t->calls == before && uv_timer_get_due_in(&bound) > 0 &&
	       uv_run(&t->loop, UV_RUN_ONCE))
		;
	uv_close((uv_handle_t *)&bound, NULL);
	uv_run(&t->loop, UV_RUN_NOWAIT);
	ck_assert_msg(t->calls == before + 1, "%d results for one attempt", t->calls - before);
	return &t->r;
}

void probetest_cancel_after(struct probetest *t, unsigned run_ms)
{
	uv_timer_t bound;
	int before = t->calls;

	uv_timer_init(&t->loop, &bound);
	uv_timer_start(&bound, on_bound, run_ms, 0);
	t->p->ops->start(t->p);
	if (t->calls == before)
		uv_run(&t->loop, UV_RUN_DEFAULT);
	int after_run = t->calls;
	t->p->ops->cancel(t->p);
	uv_close((uv_handle_t *)&bound, NULL);
	/* What the attempt still had to close, closes now; no result. */
	for (int i = 0; i < 50; i++)
		uv_run(&t->loop, UV_RUN_NOWAIT);
	ck_assert_int_eq(t->calls, after_run);
}

static void walk_report(uv_handle_t *h, void *arg)
{
	(void)arg;
	fprintf(stderr, "handle left open: type %s\n", uv_handle_type_name(h->type));
}

void probetest_fini(struct probetest *t)
{
	t->p->ops->cancel(t->p);
	if (t->p->ops->fini)
		t->p->ops->fini(t->p);
	if (t->p->ops->ctx_fini)
		t->p->ops->ctx_fini(&t->ctx);
	free(t->p);
	for (int i = 0; i < 100 && uv_loop_alive(&t->loop); i++)
		uv_run(&t->loop, UV_RUN_NOWAIT);
	if (uv_loop_close(&t->loop) != 0) {
		uv_walk(&t->loop, walk_report, NULL);
		ck_abort_msg("the loop still has handles after fini");
	}
}

/* A socket of family (AF_INET: 127.0.0.1, AF_INET6: ::1) and type bound
 * to *port (0: any), which gets the port bound. */
static int bound_socket_af(int family, int type, uint16_t *port)
{
	struct sockaddr_storage ss = { .ss_family = (sa_family_t)family };
	struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
	socklen_t len = family == AF_INET6 ? sizeof(*a6) : sizeof(*a4);
	if (family == AF_INET6) {
		a6->sin6_addr = in6addr_loopback;
		a6->sin6_port = htons(*port);
	} else {
		a4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		a4->sin_port = htons(*port);
	}
	int fd = socket(family, type | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&ss, len), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
	*port = ntohs(family == AF_INET6 ? a6->sin6_port : a4->sin_port);
	return fd;
}

static int bound_socket(int type, uint16_t *port)
{
	return bound_socket_af(AF_INET, type, port);
}

int probetest_listen_tcp(uint16_t *port, int backlog)
{
	int fd = bound_socket(SOCK_STREAM, port);
	ck_assert_int_eq(listen(fd, backlog), 0);
	return fd;
}

int probetest_bind_udp(uint16_t *port)
{
	return bound_socket(SOCK_DGRAM, port);
}

uint16_t probetest_closed_port(void)
{
	uint16_t port = 0;
	close(bound_socket(SOCK_STREAM, &port));
	return port;
}

/* ---- kinds without an address ------------------------------------------------ */

int probetest_init_cfg(struct probetest *t, const struct probe_ops *ops,
		       const struct checker *conf, const struct config *cfg,
		       const struct real_server *rs, const struct virtual_server *vs,
		       uint64_t timeout_us, char *err, size_t errlen)
{
	memset(t, 0, sizeof(*t));
	ck_assert_int_eq(uv_loop_init(&t->loop), 0);
	t->ctx.loop = &t->loop;
	t->ctx.cfg = cfg;
	t->p = calloc(1, ops->size);
	ck_assert_ptr_nonnull(t->p);
	struct probe *p = t->p;
	p->ops = ops;
	p->ctx = &t->ctx;
	p->conf = conf;
	p->rs = rs;
	p->vs = vs;
	p->timeout_us = timeout_us;
	p->done = on_done;
	p->data = t;
	snprintf(p->name, sizeof(p->name), "[127.0.0.2]:tcp:80");
	err[0] = '\0';
	if (!ops->init || ops->init(p, err, errlen) == 0)
		return 0;
	ck_assert_msg(err[0], "init failed without saying why");
	free(t->p);
	t->p = NULL;
	ck_assert_int_eq(uv_loop_close(&t->loop), 0);
	return -1;
}

/* Run the loop until nothing is left in it, at most wait_ms: a watchdog
 * timer that does not keep the loop alive by itself wakes it up. */
static void drain(struct probetest *t, unsigned wait_ms)
{
	uv_timer_t watchdog;
	uint64_t until = uv_now(&t->loop) + wait_ms;

	uv_timer_init(&t->loop, &watchdog);
	uv_timer_start(&watchdog, on_bound, wait_ms, 0);
	uv_unref((uv_handle_t *)&watchdog);
	while (uv_loop_alive(&t->loop) && uv_now(&t->loop) < until)
		uv_run(&t->loop, UV_RUN_ONCE);
	uv_close((uv_handle_t *)&watchdog, NULL);
	uv_run(&t->loop, UV_RUN_NOWAIT);
}

void probetest_cancel_after_wait(struct probetest *t, unsigned run_ms, unsigned wait_ms)
{
	uv_timer_t bound;
	int before = t->calls;

	uv_timer_init(&t->loop, &bound);
	uv_timer_start(&bound, on_bound, run_ms, 0);
	t->p->ops->start(t->p);
	if (t->calls == before)
		uv_run(&t->loop, UV_RUN_DEFAULT);
	int after_run = t->calls;
	t->p->ops->cancel(t->p);
	uv_close((uv_handle_t *)&bound, NULL);
	drain(t, wait_ms);
	ck_assert_int_eq(t->calls, after_run);
}

void probetest_fini_wait(struct probetest *t, unsigned wait_ms)
{
	t->p->ops->cancel(t->p);
	if (t->p->ops->fini)
		t->p->ops->fini(t->p);
	if (t->p->ops->ctx_fini)
		t->p->ops->ctx_fini(&t->ctx);
	free(t->p);
	t->p = NULL;
	drain(t, wait_ms);
	if (uv_loop_close(&t->loop) != 0) {
		uv_walk(&t->loop, walk_report, NULL);
		ck_abort_msg("the loop still has handles after fini");
	}
}

static int bound_socket6(int type, uint16_t *port)
{
	return bound_socket_af(AF_INET6, type, port);
}

int probetest_listen_tcp6(uint16_t *port, int backlog)
{
	int fd = bound_socket6(SOCK_STREAM, port);
	ck_assert_int_eq(listen(fd, backlog), 0);
	return fd;
}

int probetest_bind_udp6(uint16_t *port)
{
	return bound_socket6(SOCK_DGRAM, port);
}

pid_t probetest_spawn(void (*fn)(void *arg), void *arg)
{
	pid_t parent = getpid();
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)       /* the test ended before prctl */
			_exit(1);
		alarm(30);
		fn(arg);
		_exit(0);
	}
	return pid;
}

void probetest_reap(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

struct probe *probetest_clone(struct probetest *t, probe_done_fn done, void *data)
{
	const struct probe_ops *ops = t->p->ops;
	struct probe *p = calloc(1, ops->size);
	ck_assert_ptr_nonnull(p);
	/* The shared part only: the kind's own fields start zeroed. */
	*p = *t->p;
	p->done = done;
	p->data = data;
	if (ops->init) {
		char err[256] = "";
		ck_assert_msg(ops->init(p, err, sizeof(err)) == 0, "init failed: %s", err);
	}
	return p;
}

void probetest_free_clone(struct probe *p)
{
	p->ops->cancel(p);
	if (p->ops->fini)
		p->ops->fini(p);
	free(p);
}

int probetest_run_until(struct probetest *t, const int *count, int target, unsigned ms)
{
	uv_timer_t bound;

	uv_timer_init(&t->loop, &bound);
	uv_timer_start(&bound, on_bound, ms, 0);
	while (*count < target && uv_timer_get_due_in(&bound) > 0 && uv_run(&t->loop, UV_RUN_ONCE))
		;
	uv_close((uv_handle_t *)&bound, NULL);
	uv_run(&t->loop, UV_RUN_NOWAIT);
	return *count;
}
