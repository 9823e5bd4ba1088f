/* tcp.c - TCP_CHECK: connect, and close.
 *
 * One attempt is a non-blocking connect watched for writability, under
 * one deadline (connect_timeout); the verdict is SO_ERROR. The connection
 * is closed with an RST (SO_LINGER 0), as HAProxy's checks do: a health
 * check has nothing to say after the handshake, and an RST leaves no
 * TIME_WAIT behind on the director for each of thousands of checks a
 * second. The attempt's lifecycle is attempt.c's.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "attempt.h"
#include "probe.h"

static void on_writable(struct probe_attempt *a, int status, int events)
{
	(void)events;
	int err = probe_attempt_socket_error(a, status);
	if (err) {
		probe_attempt_fail(a, probe_status_of_errno(err), "%s", strerror(err));
		return;
	}
	probe_attempt_succeed(a);
}

static void on_deadline(struct probe_attempt *a)
{
	probe_attempt_fail(a, PROBE_TIMEOUT, "no answer within %llu ms", probe_timeout_ms(a->p));
}

static void tcp_start(struct probe *p)
{
	struct socket_probe *sp = (struct socket_probe *)(void *)p;
	struct probe_attempt *a = probe_attempt_open(p, &sp->running, sizeof(*a), SOCK_STREAM,
						     IPPROTO_TCP, on_writable, on_deadline);
	if (!a)
		return;
	a->reset_on_close = true;
	if (probe_attempt_watch(a, UV_WRITABLE) < 0)
		probe_attempt_fail(a, PROBE_SOCKET_ERROR, "cannot watch the socket");
}

const struct probe_ops probe_tcp_ops = {
	.keyword = "TCP_CHECK",
	.size = sizeof(struct socket_probe),
	.start = tcp_start,
	.cancel = socket_probe_cancel,
	.ctx_fini = probe_poller_fini,
	.up_fmt = "TCP connection to %s success.",
	.down_fmt = "TCP_CHECK on service %s failed.",
	.down_retries_fmt = "TCP_CHECK on service %s failed after %u retries.",
};
