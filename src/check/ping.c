/* ping.c - PING_CHECK: one ICMP (or ICMPv6) echo request, one reply.
 *
 * keepalived 2.2.7's check_ping.c uses an ICMP datagram socket
 * (SOCK_DGRAM, IPPROTO_ICMP/ICMPV6: "ping sockets") and, to be allowed
 * one, widens net.ipv4.ping_group_range for the whole host. vigil does
 * not touch a host-wide sysctl: it uses a ping socket when the kernel
 * lets it have one and a raw socket (vigil runs as root) otherwise.
 *   - ping socket: the kernel picks the echo id, delivers only the
 *     replies to it and computes the checksum; we match the sequence.
 *   - raw socket: it sees all ICMP to the host (filtered down to echo
 *     replies and destination unreachables), so the id (random per
 *     probe) and the sequence are matched, and an IPv4 datagram arrives
 *     with its IP header.
 * The reply decides: an echo reply with our id/sequence is up; an ICMP
 * destination unreachable about our request (raw) or the socket error it
 * causes (ping socket: EHOSTUNREACH) is down; silence until the deadline
 * (connect_timeout) is down. keepalived also fails on any other ICMP
 * type arriving on its ping socket; with a ping socket only echo replies
 * arrive, so this is the same.
 * The sequence number advances with every attempt, so a late reply to
 * the previous attempt cannot pass for this one's.
 */
#include <errno.h>
#include <linux/icmp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <stdio.h>
#include <syslog.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "attempt.h"
#include "health.h"
#include "icmpecho.h"

struct ping_attempt {
	struct probe_attempt a;
	uint16_t seq;
	uint8_t request[ICMP_ECHO_LEN];
};

struct ping_probe {
	struct socket_probe s;
	bool v6;
	bool raw;                 /* no ping socket for us: a raw one */
	uint16_t id;              /* raw sockets' echo id */
	uint16_t seq;
};

static int icmp_proto(bool v6)
{
	return v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
}

/* Pass only what can concern us up a raw socket: a raw ICMP socket
 * otherwise wakes up for every ICMP packet the host receives. */
static void raw_filter(int fd, bool v6)
{
	if (v6) {
		struct icmp6_filter f;
		ICMP6_FILTER_SETBLOCKALL(&f);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
		ICMP6_FILTER_SETPASS(ICMP6_DST_UNREACH, &f);
		setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f));
	} else {
		struct icmp_filter f = { .data = ~((1u << ICMP_ECHOREPLY) | (1u << ICMP_DEST_UNREACH)) };
		setsockopt(fd, SOL_RAW, ICMP_FILTER, &f, sizeof(f));
	}
}

static void receive(struct probe_attempt *a)
{
	struct ping_attempt *pa = (struct ping_attempt *)a;
	struct ping_probe *pp = (struct ping_probe *)(void *)pa->a.p;
	uint8_t buf[1500];

	for (;;) {
		ssize_t n = recv(pa->a.fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0) {
			int err = errno;
			probe_attempt_fail(&pa->a, probe_status_of_errno(err), "recv ICMP%s packet error: %s",
					   pp->v6 ? "v6" : "", strerror(err));
			return;
		}
		switch (icmp_echo_match(buf, (size_t)n, pp->v6, pp->raw && !pp->v6, pp->raw,
					pp->id, pa->seq)) {
		case ICMP_REPLY_MATCH:
			probe_attempt_succeed(&pa->a);
			return;
		case ICMP_REPLY_UNREACHABLE:
			probe_attempt_fail(&pa->a, PROBE_UNREACHABLE, "ICMP%s destination unreachable",
					   pp->v6 ? "v6" : "");
			return;
		case ICMP_REPLY_OTHER:
		case ICMP_REPLY_SHORT:
			break;   /* not ours: wait on */
		}
	}
}

static void on_deadline(struct probe_attempt *a)
{
	probe_attempt_fail(a, PROBE_TIMEOUT, "no echo reply within %llu ms", probe_timeout_ms(a->p));
}

static int ping_init(struct probe *p, char *err, size_t errlen)
{
	struct ping_probe *pp = (struct ping_probe *)(void *)p;

	if (p->dst.ss_family != AF_INET && p->dst.ss_family != AF_INET6) {
		snprintf(err, errlen, "PING_CHECK needs an IPv4 or IPv6 address");
		return -1;
	}
	pp->v6 = p->dst.ss_family == AF_INET6;
	/* Whether the kernel gives us a ping socket (ping_group_range). */
	int fd = socket(p->dst.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, icmp_proto(pp->v6));
	if (fd >= 0)
		close(fd);
	else
		pp->raw = true;
	if (getrandom(&pp->id, sizeof(pp->id), GRND_NONBLOCK) != (ssize_t)sizeof(pp->id))
		pp->id = (uint16_t)(uv_hrtime() >> 10);
	pp->seq = pp->id ^ 0x5a5a;     /* any start; it only has to advance */
	return 0;
}

static void ping_start(struct probe *p)
{
	struct ping_probe *pp = (struct ping_probe *)(void *)p;
	struct ping_attempt *pa = probe_attempt_open(p, &pp->s.running, sizeof(*pa),
						     pp->raw ? SOCK_RAW : SOCK_DGRAM,
						     icmp_proto(pp->v6), probe_exchange_io, on_deadline);
	if (!pa)
		return;
	if (pp->raw)
		raw_filter(pa->a.fd, pp->v6);
	pa->seq = ++pp->seq;
	icmp_echo_build(pa->request, pp->v6, pp->id, pa->seq);
	probe_exchange_start(&pa->a, pa->request, sizeof(pa->request),
			     pp->v6 ? "send ICMPv6 packet fail" : "send ICMP packet fail", receive);
}

/* keepalived 2.2.7's words (check_ping.c icmp_epilog): its "failed after
 * N retries" line also names the virtual server. */
static int ping_line(const struct probe *p, const struct probe_result *r, bool up, bool first,
		     uint32_t retries, char *buf, size_t len)
{
	char vs[128];
	(void)r;
	(void)first;
	if (up)
		snprintf(buf, len, "ICMP connection to %s success.", p->name);
	else if (retries)
		snprintf(buf, len, "ICMP CHECK on service %s of %s failed after %u retries.", p->name,
			 health_vs_fmt(p->vs, vs, sizeof(vs)), (unsigned)retries);
	else
		snprintf(buf, len, "ICMP CHECK on service %s failed.", p->name);
	return LOG_INFO;
}

const struct probe_ops probe_ping_ops = {
	.keyword = "PING_CHECK",
	.size = sizeof(struct ping_probe),
	.init = ping_init,
	.start = ping_start,
	.cancel = socket_probe_cancel,
	.ctx_fini = probe_poller_fini,
	.up_fmt = "ICMP connection to %s success.",
	.down_fmt = "ICMP CHECK on service %s failed.",
	.down_retries_fmt = "ICMP CHECK on service %s failed after %u retries.",
	.transition_line = ping_line,
};
