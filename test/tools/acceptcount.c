/* acceptcount.c - a listener for health-check benchmarks: accepts on many
 * ports with epoll, answers (TCP: close at once; -H: a tiny HTTP 200) and
 * counts accepted connections per destination and per 100 ms bucket.
 *
 * Usage:
 *   acceptcount [-B] [-H] [-t SECONDS] [-a ADDR] PORT[-LASTPORT]...
 *       Listens on ADDR (default 0.0.0.0: with a "local" route, e.g.
 *       `ip route add local 10.20.0.0/16 dev lo`, one socket per port
 *       serves every address of the prefix) on each port given. Prints
 *       "acceptcount: listening on N socket(s)" once ready. Exits after
 *       SECONDS (default 600), or on SIGTERM/SIGINT.
 *   -H  HTTP: read the request (up to the blank line, or whatever came
 *       within 2 s), answer "HTTP/1.0 200 OK" with a 2-byte body, close.
 *       Without -H a connection is closed as soon as it is accepted.
 *
 * Signals:
 *   SIGUSR1  start a measurement window: every counter back to zero.
 *   SIGUSR2  print the window's report (one line, "key=value ..."):
 *     window_ms    length of the window
 *     accepts      connections accepted in it
 *     rate         accepts per second
 *     b100_n       complete 100 ms buckets in the window (CLOCK_MONOTONIC)
 *     b100_min, b100_max, b100_ratio
 *                  the fewest and most accepts in one of those buckets,
 *                  and max/min (inf when a bucket was empty)
 *     mod1s        accepts by 100 ms slot of the wall-clock second
 *                  (CLOCK_REALTIME mod 1 s), ten counts, comma-separated
 *     dests        distinct destinations (local address:port) accepted
 *     dest_min, dest_max
 *                  the fewest and most accepts of one of them
 *     http_bad     (-H) connections closed before a request came
 *   and with -B a second line, "b100_series=" and every bucket's count.
 *
 * Only reads and answers what comes to it; sends nothing on its own.
 * Written for bench/check-*.sh: a C program starts in 0.2 s under TCG.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_LISTEN 65536
#define DEST_SLOTS (1u << 17) /* open addressing; > 2 x the destinations */
#define NBUCKETS 36000        /* 100 ms buckets: one hour */
#define HTTP_BUF 2048

static volatile sig_atomic_t got_usr1, got_usr2, got_term;
static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		got_usr1 = 1;
	else if (sig == SIGUSR2)
		got_usr2 = 1;
	else
		got_term = 1;
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static unsigned wall_slot(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (unsigned)(ts.tv_nsec / 100000000);
}

/* per destination (IPv4 address, port) */
static uint64_t dest_key[DEST_SLOTS]; /* 0: empty; else addr<<16|port|1<<48 */
static uint32_t dest_count[DEST_SLOTS];
static uint32_t ndests;

static void count_dest(int fd)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	if (getsockname(fd, (struct sockaddr *)&sa, &len) < 0 || sa.sin_family != AF_INET)
		return;
	uint64_t k = ((uint64_t)ntohl(sa.sin_addr.s_addr) << 16) | ntohs(sa.sin_port) | (1ULL << 48);
	uint64_t h = k * 0x9E3779B97F4A7C15ULL;
	for (uint32_t i = (uint32_t)(h >> 47) & (DEST_SLOTS - 1);; i = (i + 1) & (DEST_SLOTS - 1)) {
		if (dest_key[i] == k) {
			dest_count[i]++;
			return;
		}
		if (!dest_key[i]) {
			if (ndests >= DEST_SLOTS / 2)
				return;
			dest_key[i] = k;
			dest_count[i] = 1;
			ndests++;
			return;
		}
	}
}

static uint32_t buckets[NBUCKETS];
static uint64_t mod1s[10];
static uint64_t accepts, http_bad;
static int series; /* -B */
static int64_t win_start;

static void reset(void)
{
	memset(dest_key, 0, sizeof(dest_key));
	memset(dest_count, 0, sizeof(dest_count));
	memset(buckets, 0, sizeof(buckets));
	memset(mod1s, 0, sizeof(mod1s));
	ndests = 0;
	accepts = http_bad = 0;
	win_start = mono_ms();
}

static void report(void)
{
	int64_t now = mono_ms(), span = now - win_start;
	int64_t nb = span / 100;
	if (nb > NBUCKETS)
		nb = NBUCKETS;
	uint32_t bmin = UINT32_MAX, bmax = 0;
	for (int64_t i = 0; i < nb; i++) {
		if (buckets[i] < bmin)
			bmin = buckets[i];
		if (buckets[i] > bmax)
			bmax = buckets[i];
	}
	if (!nb)
		bmin = 0;
	uint32_t dmin = UINT32_MAX, dmax = 0;
	for (uint32_t i = 0; i < DEST_SLOTS; i++) {
		if (!dest_key[i])
			continue;
		if (dest_count[i] < dmin)
			dmin = dest_count[i];
		if (dest_count[i] > dmax)
			dmax = dest_count[i];
	}
	if (!ndests)
		dmin = 0;
	char ratio[32];
	if (bmin)
		snprintf(ratio, sizeof(ratio), "%.2f", (double)bmax / bmin);
	else
		snprintf(ratio, sizeof(ratio), "inf");
	printf("window_ms=%lld accepts=%llu rate=%.1f b100_n=%lld b100_min=%u b100_max=%u "
	       "b100_ratio=%s mod1s=%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu dests=%u "
	       "dest_min=%u dest_max=%u http_bad=%llu\n",
	       (long long)span, (unsigned long long)accepts,
	       span > 0 ? accepts * 1000.0 / span : 0.0, (long long)nb, bmin, bmax, ratio,
	       (unsigned long long)mod1s[0], (unsigned long long)mod1s[1],
	       (unsigned long long)mod1s[2], (unsigned long long)mod1s[3],
	       (unsigned long long)mod1s[4], (unsigned long long)mod1s[5],
	       (unsigned long long)mod1s[6], (unsigned long long)mod1s[7],
	       (unsigned long long)mod1s[8], (unsigned long long)mod1s[9], ndests, dmin, dmax,
	       (unsigned long long)http_bad);
	if (series) {
		printf("b100_series=");
		for (int64_t i = 0; i < nb; i++)
			printf("%s%u", i ? "," : "", buckets[i]);
		printf("\n");
	}
	fflush(stdout);
}

/* -H: one accepted connection waiting for its request */
struct conn {
	int fd;
	size_t len;
	int64_t deadline;
	char buf[HTTP_BUF];
};

static const char http_reply[] = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n"
				 "Content-Length: 2\r\nConnection: close\r\n\r\nOK";

static void usage(void)
{
	fprintf(stderr, "usage: acceptcount [-B] [-H] [-t SECONDS] [-a ADDR] PORT[-LASTPORT]...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int http = 0, opt;
	long seconds = 600;
	const char *addr = "0.0.0.0";
	while ((opt = getopt(argc, argv, "BHt:a:")) != -1) {
		switch (opt) {
		case 'B': series = 1; break;
		case 'H': http = 1; break;
		case 't': seconds = strtol(optarg, NULL, 10); break;
		case 'a': addr = optarg; break;
		default: usage();
		}
	}
	if (optind >= argc)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);

	struct rlimit rl = { 1 << 20, 1 << 20 };
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		rl.rlim_cur = rl.rlim_max = 65536 + 1024;
		setrlimit(RLIMIT_NOFILE, &rl);
	}

	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	int ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0) {
		perror("acceptcount: epoll_create1");
		return 2;
	}
	struct sockaddr_in sin = { .sin_family = AF_INET };
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		fprintf(stderr, "acceptcount: bad address %s\n", addr);
		return 2;
	}
	int nlisten = 0;
	for (int i = optind; i < argc; i++) {
		char *end;
		long lo = strtol(argv[i], &end, 10), hi = lo;
		if (*end == '-')
			hi = strtol(end + 1, &end, 10);
		if (*end || lo < 1 || hi > 65535 || hi < lo)
			usage();
		for (long port = lo; port <= hi; port++) {
			int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
			int one = 1;
			if (fd < 0) {
				perror("acceptcount: socket");
				return 2;
			}
			setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
			sin.sin_port = htons((uint16_t)port);
			if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(fd, 4096) < 0) {
				fprintf(stderr, "acceptcount: %s:%ld: %s\n", addr, port, strerror(errno));
				return 2;
			}
			struct epoll_event ev = { .events = EPOLLIN,
						  .data.u64 = (uint64_t)fd | (1ULL << 32) };
			epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
			nlisten++;
		}
	}
	reset();
	printf("acceptcount: listening on %d socket(s)%s\n", nlisten, http ? " (HTTP)" : "");

	int64_t end_at = mono_ms() + seconds * 1000;
	struct epoll_event evs[256];
	while (!got_term) {
		if (got_usr1) {
			got_usr1 = 0;
			reset();
		}
		if (got_usr2) {
			got_usr2 = 0;
			report();
		}
		int64_t now = mono_ms();
		if (now >= end_at)
			break;
		int n = epoll_wait(ep, evs, 256, 100);
		if (n < 0 && errno != EINTR) {
			perror("acceptcount: epoll_wait");
			return 2;
		}
		for (int i = 0; i < n; i++) {
			uint64_t d = evs[i].data.u64;
			/* a listener: fd | 1<<32; a connection: its
			 * pointer | 1<<63 (user-space pointers are below 2^47) */
			if (!(d >> 63)) {
				int lfd = (int)(uint32_t)d;
				for (int k = 0; k < 512; k++) {
					int c = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
					if (c < 0)
						break;
					accepts++;
					int64_t b = (mono_ms() - win_start) / 100;
					if (b >= 0 && b < NBUCKETS)
						buckets[b]++;
					mod1s[wall_slot()]++;
					count_dest(c);
					if (!http) {
						close(c);
						continue;
					}
					struct conn *cn = malloc(sizeof(*cn));
					if (!cn) {
						close(c);
						continue;
					}
					cn->fd = c;
					cn->len = 0;
					cn->deadline = mono_ms() + 2000;
					struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP };
					ev.data.u64 = (uint64_t)(uintptr_t)cn | (1ULL << 63);
					epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev);
				}
				continue;
			}
			/* an HTTP connection: bit 63 marks it */
			struct conn *cn = (struct conn *)(uintptr_t)(d & ~(1ULL << 63));
			ssize_t r = read(cn->fd, cn->buf + cn->len, sizeof(cn->buf) - 1 - cn->len);
			int done = 0;
			if (r > 0) {
				cn->len += (size_t)r;
				cn->buf[cn->len] = 0;
				if (strstr(cn->buf, "\r\n\r\n") || strstr(cn->buf, "\n\n") ||
				    cn->len >= sizeof(cn->buf) - 1) {
					ssize_t w = write(cn->fd, http_reply, sizeof(http_reply) - 1);
					(void)w;
					done = 1;
				}
			} else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
				http_bad++;
				done = 1;
			}
			if (!done && mono_ms() > cn->deadline) {
				http_bad++;
				done = 1;
			}
			if (done) {
				close(cn->fd); /* also leaves the epoll set */
				free(cn);
			}
		}
	}
	return 0;
}
