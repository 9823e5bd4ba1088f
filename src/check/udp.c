/* udp.c - UDP_CHECK: send a datagram, listen for an answer or an ICMP error.
 *
 * keepalived 2.2.7's check_udp.c, step by step:
 *   - a connected UDP socket with IP_RECVERR / IPV6_RECVERR, so that
 *     every ICMP error about the datagram reaches the socket's error
 *     queue (without it Linux reports only "hard" errors on UDP);
 *   - it sends `payload`, or 32 octets when there is none (keepalived's
 *     UDP_BUFSIZE; vigil fills them with random octets);
 *   - an ICMP destination unreachable (port unreachable from a host with
 *     nothing on the port, or host/net unreachable) is down; other ICMP
 *     errors (time exceeded, ...) are not a verdict and the wait goes on;
 *   - without require_reply, any datagram back is up, and so is the
 *     deadline passing in silence: "no ICMP error before the timeout";
 *   - with require_reply, the first datagram back decides (udpreply.c),
 *     and silence until the deadline is down.
 * One difference: keepalived 2.2.7 applies min/max_reply_length only
 * when require_reply has a hex string; vigil applies them to every
 * required reply, as keepalived's documentation describes them.
 */
#include <errno.h>
#include <time.h>             /* before linux/errqueue.h, which needs struct timespec */
#include <linux/errqueue.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "attempt.h"
#include "udpreply.h"

#define UDP_DEFAULT_PAYLOAD_LEN 32   /* keepalived's UDP_BUFSIZE */

struct udp_attempt {
	struct probe_attempt a;
};

struct udp_probe {
	struct socket_probe s;
	const uint8_t *payload;
	size_t payload_len;
	uint8_t random_payload[UDP_DEFAULT_PAYLOAD_LEN];
	bool require_reply;
	const struct check_bytes *expect;
	struct check_bytes no_expect;
	uint16_t min_len, max_len;
	uint8_t *rbuf;                /* room for the octets compared with expect */
	size_t rcap;
};

/* An ICMP error from the error queue: PROBE_OK when it is not a verdict
 * (keepalived looks at destination unreachable only). */
static enum probe_status icmp_error_status(const struct sock_extended_err *ee, char *why, size_t len)
{
	if (ee->ee_origin == SO_EE_ORIGIN_ICMP && ee->ee_type == ICMP_DEST_UNREACH) {
		snprintf(why, len, "ICMP destination unreachable (code %u)", ee->ee_code);
		return ee->ee_code == ICMP_PORT_UNREACH ? PROBE_REFUSED : PROBE_UNREACHABLE;
	}
	if (ee->ee_origin == SO_EE_ORIGIN_ICMP6 && ee->ee_type == ICMP6_DST_UNREACH) {
		snprintf(why, len, "ICMPv6 destination unreachable (code %u)", ee->ee_code);
		return ee->ee_code == ICMP6_DST_UNREACH_NOPORT ? PROBE_REFUSED : PROBE_UNREACHABLE;
	}
	return PROBE_OK;
}

/* Read the error queue; end the attempt on a destination unreachable.
 * Returns true when it did. */
static bool drain_errors(struct udp_attempt *u)
{
	for (;;) {
		char control[512] __attribute__((aligned(__alignof__(struct cmsghdr))));
		uint8_t quoted[64];
		struct iovec iov = { .iov_base = quoted, .iov_len = sizeof(quoted) };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
				      .msg_control = control, .msg_controllen = sizeof(control) };
		if (recvmsg(u->a.fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
			break;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
			if (!((c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
			      (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR)))
				continue;
			struct sock_extended_err ee;
			char why[96];
			memcpy(&ee, CMSG_DATA(c), sizeof(ee));
			enum probe_status st = icmp_error_status(&ee, why, sizeof(why));
			if (st != PROBE_OK) {
				probe_attempt_fail(&u->a, st, "%s: %s", why, strerror((int)ee.ee_errno));
				return true;
			}
		}
	}
	/* The queued error is also the socket's pending error; it has been
	 * judged above, so clear it before recv() reports it again. */
	int err;
	socklen_t elen = sizeof(err);
	getsockopt(u->a.fd, SOL_SOCKET, SO_ERROR, &err, &elen);
	return false;
}

static void judge(struct udp_attempt *u, size_t len)
{
	struct udp_probe *up = (struct udp_probe *)(void *)u->a.p;
	size_t at = 0;

	if (!up->require_reply) {
		probe_attempt_succeed(&u->a);
		return;
	}
	enum udp_reply_verdict v = udp_reply_judge(up->rbuf, len, up->expect, up->min_len,
						   up->max_len, &at);
	switch (v) {
	case UDP_REPLY_OK:
		probe_attempt_succeed(&u->a);
		return;
	case UDP_REPLY_TOO_SHORT:
		probe_attempt_fail(&u->a, PROBE_BAD_REPLY, "%s: %zu octets, min_reply_length %u",
				   udp_reply_verdict_str(v), len, up->min_len);
		return;
	case UDP_REPLY_TOO_LONG:
		probe_attempt_fail(&u->a, PROBE_BAD_REPLY, "%s: %zu octets, max_reply_length %u",
				   udp_reply_verdict_str(v), len, up->max_len);
		return;
	case UDP_REPLY_MISMATCH:
		probe_attempt_fail(&u->a, PROBE_BAD_REPLY, "%s at octet %zu", udp_reply_verdict_str(v), at);
		return;
	}
}

static void receive(struct probe_attempt *a)
{
	struct udp_attempt *u = (struct udp_attempt *)a;
	struct udp_probe *up = (struct udp_probe *)(void *)u->a.p;
	for (;;) {
		if (drain_errors(u))
			return;
		/* MSG_TRUNC: the datagram's real length, for max_reply_length,
		 * though only the octets compared are kept. */
		ssize_t n = recv(u->a.fd, up->rbuf, up->rcap, MSG_TRUNC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0) {
			int err = errno;
			/* An error the queue did not explain (ECONNREFUSED
			 * without a queued ICMP, which IP_RECVERR makes rare). */
			probe_attempt_fail(&u->a, probe_status_of_errno(err), "UDP receive: %s",
					   strerror(err));
			return;
		}
		judge(u, (size_t)n);
		return;
	}
}

static void on_deadline(struct probe_attempt *a)
{
	struct udp_probe *up = (struct udp_probe *)(void *)a->p;
	if (up->require_reply) {
		probe_attempt_fail(a, PROBE_TIMEOUT, "no reply within %llu ms", probe_timeout_ms(a->p));
		return;
	}
	/* keepalived: silence is success unless a reply is required. */
	probe_attempt_succeed(a);
}

static int udp_init(struct probe *p, char *err, size_t errlen)
{
	struct udp_probe *up = (struct udp_probe *)(void *)p;
	const struct udp_check *c = (const struct udp_check *)(const void *)p->conf;

	up->expect = &up->no_expect;
	up->max_len = UINT16_MAX;
	if (c) {
		up->require_reply = c->reply.required;
		up->expect = &c->reply.expect;
		up->min_len = c->min_reply_length;
		up->max_len = c->max_reply_length;
	}
	if (c && c->payload.len) {
		up->payload = c->payload.data;
		up->payload_len = c->payload.len;
	} else {
		up->payload = up->random_payload;
		up->payload_len = sizeof(up->random_payload);
	}
	up->rcap = up->expect->len ? up->expect->len : 1;
	up->rbuf = malloc(up->rcap);
	if (!up->rbuf) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

static void udp_start(struct probe *p)
{
	struct udp_probe *up = (struct udp_probe *)(void *)p;
	int on = 1;

	if (up->payload == up->random_payload &&
	    getrandom(up->random_payload, sizeof(up->random_payload), GRND_NONBLOCK) < 0) {
		/* Early boot without entropy: any octets will do. */
		uint64_t t = uv_hrtime();
		for (size_t i = 0; i < sizeof(up->random_payload); i++)
			up->random_payload[i] = (uint8_t)(t >> (8 * (i % 8))) ^ (uint8_t)i;
	}
	struct udp_attempt *u = probe_attempt_open(p, &up->s.running, sizeof(*u), SOCK_DGRAM,
						   IPPROTO_UDP, probe_exchange_io, on_deadline);
	if (!u)
		return;
	if (p->dst.ss_family == AF_INET6 ?
	    setsockopt(u->a.fd, SOL_IPV6, IPV6_RECVERR, &on, sizeof(on)) :
	    setsockopt(u->a.fd, SOL_IP, IP_RECVERR, &on, sizeof(on))) {
		probe_attempt_fail(&u->a, PROBE_SOCKET_ERROR, "IP_RECVERR: %s", strerror(errno));
		return;
	}
	probe_exchange_start(&u->a, up->payload, up->payload_len, "UDP send", receive);
}

static void udp_fini(struct probe *p)
{
	struct udp_probe *up = (struct udp_probe *)(void *)p;
	free(up->rbuf);
	up->rbuf = NULL;
}

/* keepalived 2.2.7's words (check_udp.c udp_epilog). */
const struct probe_ops probe_udp_ops = {
	.keyword = "UDP_CHECK",
	.size = sizeof(struct udp_probe),
	.init = udp_init,
	.start = udp_start,
	.cancel = socket_probe_cancel,
	.ctx_fini = probe_poller_fini,
	.fini = udp_fini,
	.up_fmt = "UDP connection to %s success.",
	.down_fmt = "UDP_CHECK on service %s failed.",
	.down_retries_fmt = "UDP_CHECK on service %s failed after %u retries.",
};
