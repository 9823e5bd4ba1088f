/* vrrpsend.c - send hand-made VRRP advertisements, well formed or not,
 * for the namespace tests (test/vrrp/malformed.sh).
 *
 * Every field of the advert comes from the command line, so a test can
 * break exactly one rule per packet. IPv4 goes out through a raw socket
 * with IP_HDRINCL: we write the IP header ourselves, so TTL, protocol and
 * source address are the test's (the kernel still fills the IP total
 * length, ID and header checksum; Linux always does for IP_HDRINCL).
 * IPv6 goes out through a raw socket of protocol 112 with the hop limit
 * set by IPV6_UNICAST_HOPS / IPV6_MULTICAST_HOPS; the VRRP checksum is
 * ours in both families (no IPV6_CHECKSUM), so it can be wrong on purpose.
 *
 * Usage: vrrpsend [options]       (all optional; "vrrpsend -h" lists them)
 *   -6                 IPv6 (default IPv4)
 *   -i IFNAME          outgoing interface (default eth0)
 *   -s ADDR            source address (default: the interface's first
 *                      IPv4 / link-local IPv6 address); may be foreign
 *   -d ADDR            destination (default 224.0.0.18 / ff02::12)
 *   -t TTL             IPv4 TTL / IPv6 hop limit (default 255)
 *   -P PROTO           IPv4 protocol field (default 112)
 *   -V VERSION         VRRP version nibble (default 3)
 *   -T TYPE            VRRP type nibble (default 1)
 *   -r VRID            (default 51)
 *   -p PRIO            (default 100)
 *   -n COUNT           the count field (default: the number of -a)
 *   -I INTERVAL        v2: Adver Int in seconds (8 bits, default 1);
 *                      v3: Max Adver Int in centiseconds (12 bits,
 *                      default 100); any other version: as v3
 *   -R BITS            v3 reserved bits (0-15, default 0)
 *   -A AUTHTYPE        v2 auth type byte (default 1 with -k, else 0)
 *   -k PASS            v2 auth data: PASS, zero padded to 8 bytes
 *   -N                 v2: leave the 8 bytes of auth data out
 *   -a ADDR            an address for the list (repeatable, up to 32)
 *   -c ok|bad|VALUE    checksum: correct (default), wrong, or this value
 *   -D ADDR            pseudo-header destination for the v3 checksum
 *                      (default: the real destination)
 *   -x N               truncate the VRRP message to its first N bytes
 *   -e N               append N trailing bytes (0xa5) to the message
 *   -c and -x/-e: the checksum covers the message before -x/-e, as a
 *                      sender that miscounted would have computed it
 *   -C N               send N times (default 1, at most 1000000)
 *   -g USEC            microseconds between sends (default 0)
 *   -H RATE            send RATE packets a second (1-1000000) on an
 *                      absolute schedule: a late wake-up is caught up
 *                      at once, so N packets take N / RATE seconds
 *   -G SEED            garbage mode: each packet is one of several
 *                      broken adverts picked at random (seeded), see
 *                      garbage() below; the other options give the
 *                      base advert
 *   -q                 quiet (no summary line)
 * The summary line (without -q) says how long the sending took.
 * Exit status: 0 when every packet was sent, 1 on a send error, 2 on
 * bad usage.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE     /* IPV6_FREEBIND; the build defines it too */
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define VRRP_PROTO 112
#define MAX_ADDRS 32
#define MAX_MSG (8 + MAX_ADDRS * 16 + 8 + 1024)
#define MAX_COUNT 1000000L

struct opts {
	int family;
	const char *ifname;
	const char *src, *dst, *pseudo_dst;
	int ttl, proto;
	int version, type, vrid, prio, count, interval, rsvd, auth_type;
	const char *pass;
	bool no_auth_data;
	const char *addrs[MAX_ADDRS];
	int naddrs;
	enum { CK_OK, CK_BAD, CK_VALUE } ck;
	unsigned ck_value;
	long truncate_to;       /* -1: no truncation */
	long extra;
	long repeat;
	long gap_us;
	long rate;              /* packets a second, 0: as fast as -g allows */
	bool garbage;
	unsigned seed;
	bool quiet;
};

static void usage(void)
{
	fputs("usage: vrrpsend [-6] [-i IF] [-s SRC] [-d DST] [-t TTL] [-P PROTO] [-V VER]\n"
	      "  [-T TYPE] [-r VRID] [-p PRIO] [-n COUNT] [-I INT] [-R RSVD] [-A AUTHTYPE]\n"
	      "  [-k PASS] [-N] [-a ADDR]... [-c ok|bad|VALUE] [-D PSEUDO_DST] [-x TRUNC]\n"
	      "  [-e EXTRA] [-C TIMES] [-g USEC] [-H RATE] [-G SEED] [-q]\n", stderr);
}

/* A whole number in [lo, hi] from s, or exit(2) naming the option. */
static long num(const char *s, char opt, long lo, long hi)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 0);
	if (errno || *s == '\0' || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "vrrpsend: -%c %s: want a number from %ld to %ld\n", opt, s, lo, hi);
		exit(2);
	}
	return v;
}

static void parse_args(int argc, char **argv, struct opts *o)
{
	int c;
	memset(o, 0, sizeof(*o));
	o->family = AF_INET;
	o->ifname = "eth0";
	o->ttl = 255;
	o->proto = VRRP_PROTO;
	o->version = 3;
	o->type = 1;
	o->vrid = 51;
	o->prio = 100;
	o->count = -1;
	o->interval = -1;
	o->auth_type = -1;
	o->truncate_to = -1;
	o->repeat = 1;
	while ((c = getopt(argc, argv, "6i:s:d:t:P:V:T:r:p:n:I:R:A:k:Na:c:D:x:e:C:g:H:G:qh")) != -1) {
		switch (c) {
		case '6': o->family = AF_INET6; break;
		case 'i': o->ifname = optarg; break;
		case 's': o->src = optarg; break;
		case 'd': o->dst = optarg; break;
		case 't': o->ttl = (int)num(optarg, 't', 0, 255); break;
		case 'P': o->proto = (int)num(optarg, 'P', 0, 255); break;
		case 'V': o->version = (int)num(optarg, 'V', 0, 15); break;
		case 'T': o->type = (int)num(optarg, 'T', 0, 15); break;
		case 'r': o->vrid = (int)num(optarg, 'r', 0, 255); break;
		case 'p': o->prio = (int)num(optarg, 'p', 0, 255); break;
		case 'n': o->count = (int)num(optarg, 'n', 0, 255); break;
		case 'I': o->interval = (int)num(optarg, 'I', 0, 4095); break;
		case 'R': o->rsvd = (int)num(optarg, 'R', 0, 15); break;
		case 'A': o->auth_type = (int)num(optarg, 'A', 0, 255); break;
		case 'k': o->pass = optarg; break;
		case 'N': o->no_auth_data = true; break;
		case 'a':
			if (o->naddrs == MAX_ADDRS) {
				fprintf(stderr, "vrrpsend: at most %d -a\n", MAX_ADDRS);
				exit(2);
			}
			o->addrs[o->naddrs++] = optarg;
			break;
		case 'c':
			if (strcmp(optarg, "ok") == 0) {
				o->ck = CK_OK;
			} else if (strcmp(optarg, "bad") == 0) {
				o->ck = CK_BAD;
			} else {
				o->ck = CK_VALUE;
				o->ck_value = (unsigned)num(optarg, 'c', 0, 0xffff);
			}
			break;
		case 'D': o->pseudo_dst = optarg; break;
		case 'x': o->truncate_to = num(optarg, 'x', 0, MAX_MSG); break;
		case 'e': o->extra = num(optarg, 'e', 0, 1024); break;
		case 'C': o->repeat = num(optarg, 'C', 1, MAX_COUNT); break;
		case 'g': o->gap_us = num(optarg, 'g', 0, 10000000); break;
		case 'H': o->rate = num(optarg, 'H', 1, 1000000); break;
		case 'G': o->garbage = true; o->seed = (unsigned)num(optarg, 'G', 0, 0x7fffffff); break;
		case 'q': o->quiet = true; break;
		default: usage(); exit(c == 'h' ? 0 : 2);
		}
	}
	if (optind != argc) {
		usage();
		exit(2);
	}
	if (o->interval < 0)
		o->interval = o->version == 2 ? 1 : 100;
	if (o->version == 2 && o->interval > 255) {
		fprintf(stderr, "vrrpsend: a v2 interval is one byte (0-255 s)\n");
		exit(2);
	}
	if (o->auth_type < 0)
		o->auth_type = o->pass ? 1 : 0;
	if (o->count < 0)
		o->count = o->naddrs;
}

static void addr_or_die(int family, const char *s, void *out)
{
	if (inet_pton(family, s, out) != 1) {
		fprintf(stderr, "vrrpsend: %s is not an IPv%c address\n", s,
			family == AF_INET ? '4' : '6');
		exit(2);
	}
}

/* The interface's first IPv4 address, or its IPv6 link-local one (what a
 * VRRP router sends from). */
static bool iface_source(int family, const char *ifname, void *out)
{
	struct ifaddrs *list, *i;
	bool found = false;
	if (getifaddrs(&list) < 0)
		return false;
	for (i = list; i && !found; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != family ||
		    strcmp(i->ifa_name, ifname) != 0)
			continue;
		if (family == AF_INET) {
			memcpy(out, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, 4);
			found = true;
		} else {
			const struct in6_addr *a = &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
			if (IN6_IS_ADDR_LINKLOCAL(a)) {
				memcpy(out, a, 16);
				found = true;
			}
		}
	}
	freeifaddrs(list);
	return found;
}

/* RFC 1071 sum of p[0..n) into acc, big-endian words. */
static uint32_t sum16(const uint8_t *p, size_t n, uint32_t acc)
{
	for (; n >= 2; p += 2, n -= 2)
		acc += (uint32_t)(p[0] << 8 | p[1]);
	if (n)
		acc += (uint32_t)p[0] << 8;
	return acc;
}

static uint16_t fold_not(uint32_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

/*
 * The VRRP checksum of msg[0..len) with its checksum field zero: over
 * the message for v2 (RFC 3768 5.3.8), over pseudo-header + message for
 * anything else (RFC 5798 5.2.8), as a v3 receiver computes it.
 */
static uint16_t vrrp_csum(const uint8_t *msg, size_t len, int version, int family,
			  const uint8_t *src, const uint8_t *dst)
{
	uint32_t acc = 0;
	if (version != 2) {
		size_t alen = family == AF_INET ? 4 : 16;
		acc = sum16(src, alen, acc);
		acc = sum16(dst, alen, acc);
		if (family == AF_INET) {
			uint8_t t[4] = { 0, VRRP_PROTO, (uint8_t)(len >> 8), (uint8_t)len };
			acc = sum16(t, 4, acc);
		} else {
			uint8_t t[8] = { (uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
					 (uint8_t)len, 0, 0, 0, VRRP_PROTO };
			acc = sum16(t, 8, acc);
		}
	}
	return fold_not(sum16(msg, len, acc));
}

struct target {
	int family;
	uint8_t src[16], dst[16], pseudo_dst[16];
	int ifindex;
};

/*
 * Build the VRRP message from o into msg; returns its length. The
 * checksum is computed over the message as the count describes it, then
 * -x/-e cut or extend it, so that "truncated" and "trailing bytes"
 * packets are wrong only in their length.
 */
static size_t build(const struct opts *o, const struct target *t, uint8_t *msg)
{
	size_t alen = o->family == AF_INET ? 4 : 16;
	size_t len = 8;
	memset(msg, 0, MAX_MSG);
	msg[0] = (uint8_t)(o->version << 4 | o->type);
	msg[1] = (uint8_t)o->vrid;
	msg[2] = (uint8_t)o->prio;
	msg[3] = (uint8_t)o->count;
	if (o->version == 2) {
		msg[4] = (uint8_t)o->auth_type;
		msg[5] = (uint8_t)o->interval;
	} else {
		msg[4] = (uint8_t)(o->rsvd << 4 | (o->interval >> 8 & 0x0f));
		msg[5] = (uint8_t)o->interval;
	}
	for (int i = 0; i < o->naddrs; i++, len += alen)
		addr_or_die(o->family, o->addrs[i], msg + len);
	if (o->version == 2 && !o->no_auth_data) {
		for (size_t i = 0; o->pass && i < 8 && o->pass[i]; i++)
			msg[len + i] = (uint8_t)o->pass[i];
		len += 8;
	}
	uint16_t ck = vrrp_csum(msg, len, o->version, o->family, t->src, t->pseudo_dst);
	if (o->ck == CK_BAD)
		ck = (uint16_t)(ck ^ 0x5a5a);
	else if (o->ck == CK_VALUE)
		ck = (uint16_t)o->ck_value;
	msg[6] = (uint8_t)(ck >> 8);
	msg[7] = (uint8_t)ck;
	if (o->extra) {
		memset(msg + len, 0xa5, (size_t)o->extra);
		len += (size_t)o->extra;
	}
	if (o->truncate_to >= 0 && (size_t)o->truncate_to < len)
		len = (size_t)o->truncate_to;
	return len;
}

/* xorshift32: a reproducible stream for garbage mode. */
static uint32_t rnd(uint32_t *s)
{
	uint32_t x = *s ? *s : 0x9e3779b9u;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

/*
 * One broken packet, a different rule broken each time, so that a flood
 * reaches every drop reason at once (and every reason's rate limit):
 * random bytes, bad checksum, wrong TTL, unknown VRID, truncated, bad
 * version, trailing bytes. Sets *ttl for the IP header.
 */
static size_t garbage(const struct opts *base, const struct target *t, uint8_t *msg,
		      uint32_t *seed, int *ttl)
{
	struct opts o = *base;
	*ttl = base->ttl;
	switch (rnd(seed) % 7) {
	case 0: {
		size_t n = rnd(seed) % 64;
		for (size_t i = 0; i < n; i++)
			msg[i] = (uint8_t)rnd(seed);
		return n;
	}
	case 1: o.ck = CK_BAD; break;
	case 2: *ttl = 1 + (int)(rnd(seed) % 254); break;
	case 3: o.vrid = 200 + (int)(rnd(seed) % 50); break;
	case 4: o.truncate_to = rnd(seed) % 8; break;
	case 5: o.version = 4 + (int)(rnd(seed) % 12); break;
	default: o.extra = 1 + rnd(seed) % 16; break;
	}
	return build(&o, t, msg);
}

static int open_socket(const struct opts *o, const struct target *t)
{
	int fd, one = 1;
	if (o->family == AF_INET) {
		fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
		if (fd < 0)
			return -1;
		struct ip_mreqn m = { .imr_ifindex = t->ifindex };
		if (setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)) < 0 ||
		    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &m, sizeof(m)) < 0)
			goto fail;
	} else {
		int hops = o->ttl;
		fd = socket(AF_INET6, SOCK_RAW, VRRP_PROTO);
		if (fd < 0)
			return -1;
		/* A foreign source (-s) needs freebind to pass IPV6_PKTINFO. */
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops)) < 0 ||
		    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) < 0 ||
		    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &t->ifindex,
			       sizeof(t->ifindex)) < 0 ||
		    setsockopt(fd, IPPROTO_IPV6, IPV6_FREEBIND, &one, sizeof(one)) < 0)
			goto fail;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, o->ifname,
		       (socklen_t)strlen(o->ifname) + 1) < 0)
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

static int send_v4(int fd, const struct target *t, const uint8_t *msg, size_t len, int ttl,
		   int proto)
{
	uint8_t pkt[20 + MAX_MSG];
	struct sockaddr_in to = { .sin_family = AF_INET };
	memset(pkt, 0, 20);
	pkt[0] = 0x45;
	pkt[1] = 0xc0;          /* internetwork control, as routers send */
	pkt[8] = (uint8_t)ttl;
	pkt[9] = (uint8_t)proto;
	memcpy(pkt + 12, t->src, 4);
	memcpy(pkt + 16, t->dst, 4);
	/* total length, ID and header checksum: filled by the kernel */
	memcpy(pkt + 20, msg, len);
	memcpy(&to.sin_addr, t->dst, 4);
	return sendto(fd, pkt, 20 + len, 0, (struct sockaddr *)&to, sizeof(to)) < 0 ? -1 : 0;
}

static int send_v6(int fd, const struct target *t, const uint8_t *msg, size_t len, int hops)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_scope_id = (uint32_t)t->ifindex };
	struct iovec iov = { (void *)msg, len };
	struct msghdr mh = { .msg_name = &to, .msg_namelen = sizeof(to), .msg_iov = &iov,
			     .msg_iovlen = 1, .msg_control = control.buf,
			     .msg_controllen = sizeof(control.buf) };
	struct in6_pktinfo pi = { .ipi6_ifindex = (unsigned)t->ifindex };
	memset(&control, 0, sizeof(control));
	memcpy(&to.sin6_addr, t->dst, 16);
	memcpy(&pi.ipi6_addr, t->src, 16);
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = IPPROTO_IPV6;
	c->cmsg_type = IPV6_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	/* per packet, so that garbage mode can vary it as for IPv4 */
	c = CMSG_NXTHDR(&mh, c);
	c->cmsg_level = IPPROTO_IPV6;
	c->cmsg_type = IPV6_HOPLIMIT;
	c->cmsg_len = CMSG_LEN(sizeof(hops));
	memcpy(CMSG_DATA(c), &hops, sizeof(hops));
	return sendmsg(fd, &mh, 0) < 0 ? -1 : 0;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Sleep until CLOCK_MONOTONIC reads at_ns (at once if it is past). */
static void sleep_until(uint64_t at_ns)
{
	struct timespec ts = { (time_t)(at_ns / 1000000000ULL), (long)(at_ns % 1000000000ULL) };
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static void pause_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };
	while (us > 0 && nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int main(int argc, char **argv)
{
	struct opts o;
	struct target t;
	uint8_t msg[MAX_MSG];

	parse_args(argc, argv, &o);
	memset(&t, 0, sizeof(t));
	t.family = o.family;
	t.ifindex = (int)if_nametoindex(o.ifname);
	if (!t.ifindex) {
		fprintf(stderr, "vrrpsend: no interface %s\n", o.ifname);
		return 2;
	}
	addr_or_die(o.family, o.dst ? o.dst : o.family == AF_INET ? "224.0.0.18" : "ff02::12",
		    t.dst);
	if (o.src)
		addr_or_die(o.family, o.src, t.src);
	else if (!iface_source(o.family, o.ifname, t.src)) {
		fprintf(stderr, "vrrpsend: %s has no %s address; give -s\n", o.ifname,
			o.family == AF_INET ? "IPv4" : "link-local IPv6");
		return 2;
	}
	if (o.pseudo_dst)
		addr_or_die(o.family, o.pseudo_dst, t.pseudo_dst);
	else
		memcpy(t.pseudo_dst, t.dst, sizeof(t.dst));

	int fd = open_socket(&o, &t);
	if (fd < 0) {
		perror("vrrpsend: socket");
		return 1;
	}
	uint32_t seed = o.seed;
	long sent = 0, failed = 0;
	int first_errno = 0;
	size_t len = build(&o, &t, msg);
	uint64_t t0 = mono_ns();
	for (long i = 0; i < o.repeat; i++) {
		if (o.rate)
			sleep_until(t0 + (uint64_t)i * 1000000000ULL / (uint64_t)o.rate);
		int ttl = o.ttl;
		if (o.garbage)
			len = garbage(&o, &t, msg, &seed, &ttl);
		int r = o.family == AF_INET ? send_v4(fd, &t, msg, len, ttl, o.proto)
					    : send_v6(fd, &t, msg, len, ttl);
		if (r < 0) {
			if (!failed++)
				first_errno = errno;
		} else {
			sent++;
		}
		if (o.gap_us && i + 1 < o.repeat)
			pause_us(o.gap_us);
	}
	double secs = (double)(mono_ns() - t0) / 1e9;
	close(fd);
	if (!o.quiet || failed)
		fprintf(stderr, "vrrpsend: %ld sent, %ld failed%s%s in %.2f s\n", sent, failed,
			failed ? ": " : "", failed ? strerror(first_errno) : "", secs);
	return failed ? 1 : 0;
}
