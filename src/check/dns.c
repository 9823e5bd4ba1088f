/* dns.c - DNS_CHECK: one UDP query, judged as keepalived does.
 *
 * A connected UDP socket (so only the server's own datagrams arrive,
 * and an ICMP port unreachable comes back as ECONNREFUSED) sends one
 * query of `type` for `name` (SOA for "." by default) with a random id
 * and RD set, as keepalived 2.2.7's check_dns.c. Each datagram is read
 * with dnsmsg.c and judged by keepalived's rule: our id and QR set, then
 * RCODE 0 is up and any other RCODE down; a datagram shorter than a
 * header, with another id, or without QR is dropped and the wait goes
 * on, until the one deadline (connect_timeout) for the attempt.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "attempt.h"
#include "dnsmsg.h"

#define DNS_DEFAULT_NAME "."
/* RFC 1035 4.2.1: a UDP answer is at most 512 octets without EDNS, which
 * the query does not offer; a larger datagram is read truncated (its
 * header is all the verdict needs). */
#define DNS_REPLY_MAX 512

struct dns_attempt {
	struct probe_attempt a;
	uint16_t id;
	unsigned skipped;              /* datagrams that were not our answer */
	enum dns_verdict last_skip;
	size_t query_len;
	uint8_t query[DNS_QUERY_MAX];
};

struct dns_probe {
	struct socket_probe s;
	const char *name;
	uint16_t type;
};

static uint16_t random_id(void)
{
	uint16_t id;
	if (getrandom(&id, sizeof(id), GRND_NONBLOCK) == (ssize_t)sizeof(id))
		return id;
	/* No entropy yet (early boot): the id only has to differ from
	 * other queries' often enough; the clock will do. */
	return (uint16_t)(uv_hrtime() ^ (uv_hrtime() >> 16));
}

static void judge(struct dns_attempt *d, const uint8_t *buf, size_t len)
{
	struct dns_msg m;
	char rc[16];
	enum dns_parse_result pr = dns_reply_parse(buf, len, &m);
	enum dns_verdict v = dns_reply_judge(pr, &m, d->id);

	switch (v) {
	case DNS_VERDICT_UP:
		probe_attempt_succeed(&d->a);
		return;
	case DNS_VERDICT_RCODE:
		probe_attempt_fail(&d->a, PROBE_BAD_REPLY, "read error occurred (rcode = %u, %s)",
				   m.rcode, dns_rcode_str(m.rcode, rc, sizeof(rc)));
		return;
	default:
		d->skipped++;
		d->last_skip = v;
		return;
	}
}

static void receive(struct probe_attempt *a)
{
	struct dns_attempt *d = (struct dns_attempt *)a;
	uint8_t buf[DNS_REPLY_MAX];
	while (d->a.p) {
		ssize_t n = recv(d->a.fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0) {
			int err = errno;
			probe_attempt_fail(&d->a, probe_status_of_errno(err),
					   "failed to read socket: %s", strerror(err));
			return;
		}
		judge(d, buf, (size_t)n);
	}
}

static void on_deadline(struct probe_attempt *a)
{
	struct dns_attempt *d = (struct dns_attempt *)a;
	if (d->skipped)
		probe_attempt_fail(a, PROBE_TIMEOUT,
				   "read timeout from socket after %llu ms (%u datagram%s dropped, last: %s)",
				   probe_timeout_ms(a->p), d->skipped, d->skipped == 1 ? "" : "s",
				   dns_verdict_str(d->last_skip));
	else
		probe_attempt_fail(a, PROBE_TIMEOUT, "read timeout from socket after %llu ms",
				   probe_timeout_ms(a->p));
}

static int dns_init(struct probe *p, char *err, size_t errlen)
{
	struct dns_probe *dp = (struct dns_probe *)(void *)p;
	const struct dns_check *c = (const struct dns_check *)(const void *)p->conf;
	uint8_t buf[DNS_QUERY_MAX];
	size_t len;

	dp->name = c && c->name ? c->name : DNS_DEFAULT_NAME;
	dp->type = c && c->type ? (uint16_t)c->type : CHECK_DNS_SOA;
	/* The parser has checked the name; build once so that a name that
	 * cannot be sent is reported now, not at every attempt. */
	enum dns_build_result r = dns_query_build(buf, sizeof(buf), 0, dp->name, dp->type, &len);
	if (r != DNS_BUILD_OK) {
		snprintf(err, errlen, "DNS_CHECK name '%s': %s", dp->name, dns_build_result_str(r));
		return -1;
	}
	return 0;
}

static void dns_start(struct probe *p)
{
	struct dns_probe *dp = (struct dns_probe *)(void *)p;
	struct dns_attempt *d = probe_attempt_open(p, &dp->s.running, sizeof(*d), SOCK_DGRAM,
						   IPPROTO_UDP, probe_exchange_io, on_deadline);
	if (!d)
		return;
	d->id = random_id();
	/* Checked by init: cannot fail here. */
	dns_query_build(d->query, sizeof(d->query), d->id, dp->name, dp->type, &d->query_len);
	probe_exchange_start(&d->a, d->query, d->query_len, "failed to write socket", receive);
}

/* keepalived 2.2.7 logs no line of its own when DNS_CHECK succeeds (it
 * sends the alert "=> DNS_CHECK: succeed on service <="), and on failure
 * "DNS_CHECK (<checker>) <cause>[ after N retries]", the cause being in
 * vigil's detail. These lines keep its "DNS_CHECK (%s)" prefix. */
const struct probe_ops probe_dns_ops = {
	.keyword = "DNS_CHECK",
	.size = sizeof(struct dns_probe),
	.init = dns_init,
	.start = dns_start,
	.cancel = socket_probe_cancel,
	.ctx_fini = probe_poller_fini,
	.up_fmt = "DNS_CHECK (%s) succeed on service.",
	.down_fmt = "DNS_CHECK (%s) failed on service.",
	.down_retries_fmt = "DNS_CHECK (%s) failed on service after %u retries.",
};
