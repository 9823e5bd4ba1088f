/* tcphold.c - hold one long-lived TCP connection and prove it keeps
 * working, for the tests that must show an IPVS change did not break an
 * existing connection.
 *
 * Usage:
 *   tcphold server [-t SECONDS] [ADDR:]PORT
 *       Listens on ADDR:PORT (default address 0.0.0.0; [v6addr]:PORT for
 *       IPv6; PORT 0 picks a free one), accepts any number of connections
 *       and echoes every byte it reads, so every line comes back as sent.
 *       Prints "tcphold: listening on ADDR:PORT" once it accepts, and one
 *       line per connection opened and closed; SIGUSR1 prints
 *       "tcphold: N connection(s) open". Exits 0 on SIGTERM or SIGINT, or
 *       after SECONDS (default 300).
 *
 *   tcphold client [-t SECONDS] [-i MS] [-b MS] ADDR:PORT
 *       Connects to ADDR:PORT (within the bound) and prints
 *       "tcphold: connected LOCAL -> REMOTE". Then sends the line "N\n"
 *       (N = 1, 2, ...) every -i MS (default 100) and expects each back,
 *       in order, within -b MS of sending it (default 2000). It stops at
 *       the first fault, with a message saying which line and what:
 *         tcphold: FAIL: line 37: no echo within 2000 ms (36 lines echoed)
 *         tcphold: FAIL: connection broken: Connection reset by peer ...
 *         tcphold: FAIL: connection closed by the peer ...
 *         tcphold: FAIL: line 37: echoed "12", expected "37" ...
 *       Signals:
 *         SIGUSR1  print "tcphold: N lines echoed" and go on
 *         SIGTERM, SIGINT  stop sending, wait (within the bound) for the
 *                  echoes still due, print "tcphold: done: S lines sent,
 *                  E echoed" and exit
 *       After SECONDS (default 60) it ends as on SIGTERM, saying so: the
 *       limit keeps a forgotten client from running for ever.
 *
 * Exit status: 0 every line sent was echoed (client) or a clean stop
 * (server); 1 a missing or wrong echo or a broken connection; 2 a usage or
 * setup error (cannot listen, cannot connect).
 *
 * Output is line-buffered, so a test reading the file sees each line as it
 * is printed. Written for the IPVS VM tests: a C program starts in 0.2 s
 * under TCG where python takes 10 s.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* ppoll */
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define EXIT_FAULT 1
#define EXIT_SETUP 2
#define MAX_CLIENTS 64
/* Send times of the lines not yet echoed; with the defaults at most
 * 2000 / 100 = 20 are ever outstanding. */
#define RING 4096

static volatile sig_atomic_t got_usr1;
static volatile sig_atomic_t got_term;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		got_usr1 = 1;
	else
		got_term = 1;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void usage(void)
{
	fprintf(stderr, "usage: tcphold server [-t SECONDS] [ADDR:]PORT\n"
			"       tcphold client [-t SECONDS] [-i MS] [-b MS] ADDR:PORT\n");
	exit(EXIT_SETUP);
}

/* The signals are blocked except inside ppoll(), so a signal that arrives
 * between a check of the flags and the wait still ends the wait. */
static void setup_signals(sigset_t *wait_mask)
{
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, wait_mask);
	sigdelset(wait_mask, SIGUSR1);
	sigdelset(wait_mask, SIGTERM);
	sigdelset(wait_mask, SIGINT);
}

/* Waits for fds until at most deadline (monotonic ms); returns poll's
 * count, 0 on timeout or when a signal arrived (the caller reads the
 * flags). */
static int wait_fds(struct pollfd *fds, nfds_t n, int64_t deadline, const sigset_t *mask)
{
	int64_t left = deadline - now_ms();
	struct timespec ts;
	int r;

	if (left < 0)
		left = 0;
	ts.tv_sec = (time_t)(left / 1000);
	ts.tv_nsec = (long)(left % 1000) * 1000000L;
	r = ppoll(fds, n, &ts, mask);
	if (r < 0 && errno != EINTR) {
		perror("tcphold: poll");
		exit(EXIT_SETUP);
	}
	return r < 0 ? 0 : r;
}

static long parse_num(const char *s, long min, long max, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		fprintf(stderr, "tcphold: %s: \"%s\" is not a number from %ld to %ld\n", what, s,
			min, max);
		exit(EXIT_SETUP);
	}
	return v;
}

/* "ADDR:PORT", "[V6ADDR]:PORT", or just "PORT" when port_only_ok (then
 * 0.0.0.0). */
static void parse_endpoint(const char *arg, bool port_only_ok, struct sockaddr_storage *ss,
			   socklen_t *len)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon = strrchr(arg, ':');
	const char *port_s;
	size_t hl;
	long port;

	memset(ss, 0, sizeof *ss);
	if (!colon) {
		if (!port_only_ok)
			goto bad;
		strcpy(host, "0.0.0.0");
		port_s = arg;
	} else {
		hl = (size_t)(colon - arg);
		if (hl >= 2 && arg[0] == '[' && arg[hl - 1] == ']') {
			arg++;
			hl -= 2;
		}
		if (hl == 0 || hl >= sizeof host)
			goto bad;
		memcpy(host, arg, hl);
		host[hl] = '\0';
		port_s = colon + 1;
	}
	port = parse_num(port_s, 0, 65535, "port");

	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
		*len = sizeof *in4;
		return;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		*len = sizeof *in6;
		return;
	}
bad:
	fprintf(stderr, "tcphold: \"%s\": want ADDR:PORT (an IP address, not a name)\n", arg);
	exit(EXIT_SETUP);
}

static const char *fmt_addr(const struct sockaddr_storage *ss, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN];

	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;
		inet_ntop(AF_INET6, &in6->sin6_addr, a, sizeof a);
		snprintf(buf, size, "[%s]:%u", a, ntohs(in6->sin6_port));
	} else {
		const struct sockaddr_in *in4 = (const struct sockaddr_in *)ss;
		inet_ntop(AF_INET, &in4->sin_addr, a, sizeof a);
		snprintf(buf, size, "%s:%u", a, ntohs(in4->sin_port));
	}
	return buf;
}

/* ---- server --------------------------------------------------------------- */

struct peer {
	int fd;
	char name[INET6_ADDRSTRLEN + 8];
	uint64_t lines;
};

static void peer_close(struct peer *p, const char *why)
{
	printf("tcphold: closed %s after %" PRIu64 " lines: %s\n", p->name, p->lines, why);
	close(p->fd);
	p->fd = -1;
}

/* Echoes what one peer sent; false when the peer is gone. A reply that does
 * not fit the socket buffer at once means the peer stopped reading: drop it
 * rather than block every other connection. */
static bool peer_echo(struct peer *p)
{
	char buf[4096];
	ssize_t n = recv(p->fd, buf, sizeof buf, MSG_DONTWAIT);

	if (n == 0) {
		peer_close(p, "end of stream");
		return false;
	}
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return true;
		peer_close(p, strerror(errno));
		return false;
	}
	for (ssize_t i = 0; i < n; i++)
		p->lines += buf[i] == '\n';
	ssize_t w = send(p->fd, buf, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (w != n) {
		peer_close(p, w < 0 ? strerror(errno) : "send buffer full");
		return false;
	}
	return true;
}

static int run_server(int argc, char **argv)
{
	long seconds = 300;
	int opt;
	struct sockaddr_storage ss;
	socklen_t len;
	sigset_t mask;
	char name[INET6_ADDRSTRLEN + 8];
	struct peer peers[MAX_CLIENTS];
	struct pollfd fds[MAX_CLIENTS + 1];
	int one = 1;

	while ((opt = getopt(argc, argv, "+t:")) != -1) {
		if (opt == 't')
			seconds = parse_num(optarg, 1, 86400, "-t");
		else
			usage();
	}
	if (optind != argc - 1)
		usage();
	parse_endpoint(argv[optind], true, &ss, &len);
	setup_signals(&mask);

	int lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0) {
		perror("tcphold: socket");
		return EXIT_SETUP;
	}
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(lfd, (struct sockaddr *)&ss, len) < 0 || listen(lfd, 16) < 0) {
		fprintf(stderr, "tcphold: cannot listen on %s: %s\n", fmt_addr(&ss, name, sizeof name),
			strerror(errno));
		return EXIT_SETUP;
	}
	len = sizeof ss;
	getsockname(lfd, (struct sockaddr *)&ss, &len);
	printf("tcphold: listening on %s\n", fmt_addr(&ss, name, sizeof name));

	for (int i = 0; i < MAX_CLIENTS; i++)
		peers[i].fd = -1;
	int64_t deadline = now_ms() + seconds * 1000;
	while (!got_term) {
		if (now_ms() >= deadline) {
			printf("tcphold: time limit (%ld s) reached: stopping\n", seconds);
			break;
		}
		if (got_usr1) {
			int open = 0;
			got_usr1 = 0;
			for (int i = 0; i < MAX_CLIENTS; i++)
				open += peers[i].fd >= 0;
			printf("tcphold: %d connection(s) open\n", open);
		}
		fds[0] = (struct pollfd){ .fd = lfd, .events = POLLIN };
		for (int i = 0; i < MAX_CLIENTS; i++)
			fds[i + 1] = (struct pollfd){ .fd = peers[i].fd, .events = POLLIN };
		if (wait_fds(fds, MAX_CLIENTS + 1, deadline, &mask) == 0)
			continue;
		for (int i = 0; i < MAX_CLIENTS; i++)
			if (peers[i].fd >= 0 && fds[i + 1].revents)
				peer_echo(&peers[i]);
		if (fds[0].revents & POLLIN) {
			struct sockaddr_storage from;
			socklen_t fl = sizeof from;
			int fd = accept4(lfd, (struct sockaddr *)&from, &fl, SOCK_CLOEXEC);
			if (fd < 0)
				continue;
			int slot = 0;
			while (slot < MAX_CLIENTS && peers[slot].fd >= 0)
				slot++;
			fmt_addr(&from, name, sizeof name);
			if (slot == MAX_CLIENTS) {
				printf("tcphold: refused %s: %d connections open already\n", name, MAX_CLIENTS);
				close(fd);
				continue;
			}
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
			peers[slot].fd = fd;
			peers[slot].lines = 0;
			snprintf(peers[slot].name, sizeof peers[slot].name, "%s", name);
			printf("tcphold: accepted %s\n", name);
		}
	}
	for (int i = 0; i < MAX_CLIENTS; i++)
		if (peers[i].fd >= 0)
			peer_close(&peers[i], "server stopping");
	return EXIT_SUCCESS;
}

/* ---- client --------------------------------------------------------------- */

struct hold {
	uint64_t sent;		/* lines sent: 1..sent */
	uint64_t echoed;	/* lines echoed, in order: 1..echoed */
	int64_t sent_at[RING];	/* send time of line n at [n % RING] */
	char in[64];		/* the echo's partial line */
	size_t in_len;
	long bound_ms;
};

/* Says what went wrong and how far the connection got; EXIT_FAULT. */
static int fault(const struct hold *h, const char *what)
{
	printf("tcphold: FAIL: %s (%" PRIu64 " lines sent, %" PRIu64 " echoed)\n", what, h->sent,
	       h->echoed);
	return EXIT_FAULT;
}

/* Non-blocking connect bounded by bound_ms; the connected fd or -1. */
static int connect_bounded(const struct sockaddr_storage *ss, socklen_t len, long bound_ms,
			   const sigset_t *mask)
{
	char name[INET6_ADDRSTRLEN + 8];
	int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int err = 0;
	socklen_t el = sizeof err;

	if (fd < 0) {
		perror("tcphold: socket");
		return -1;
	}
	if (connect(fd, (const struct sockaddr *)ss, len) < 0) {
		if (errno != EINPROGRESS) {
			err = errno;
			goto fail;
		}
		int64_t deadline = now_ms() + bound_ms;
		struct pollfd p = { .fd = fd, .events = POLLOUT };
		while (wait_fds(&p, 1, deadline, mask) == 0) {
			if (got_term || now_ms() >= deadline) {
				err = ETIMEDOUT;
				goto fail;
			}
		}
		getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el);
		if (err)
			goto fail;
	}
	return fd;
fail:
	fprintf(stderr, "tcphold: cannot connect to %s: %s\n", fmt_addr(ss, name, sizeof name),
		strerror(err));
	close(fd);
	return -1;
}

/* Reads what arrived and checks each complete line against the next number
 * due; EXIT_SUCCESS while all is well, else the fault's exit status. */
static int take_echoes(int fd, struct hold *h)
{
	char buf[4096];
	char want[32], what[128];
	ssize_t n = recv(fd, buf, sizeof buf, 0);

	if (n == 0)
		return fault(h, "connection closed by the peer");
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return EXIT_SUCCESS;
		snprintf(what, sizeof what, "connection broken: %s", strerror(errno));
		return fault(h, what);
	}
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] != '\n') {
			if (h->in_len + 1 >= sizeof h->in)
				return fault(h, "an echoed line longer than any sent");
			h->in[h->in_len++] = buf[i];
			continue;
		}
		h->in[h->in_len] = '\0';
		h->in_len = 0;
		snprintf(want, sizeof want, "%" PRIu64, h->echoed + 1);
		if (h->echoed >= h->sent || strcmp(h->in, want) != 0) {
			snprintf(what, sizeof what, "line %s: echoed \"%.40s\", not the line sent", want,
				 h->in);
			return fault(h, what);
		}
		h->echoed++;
	}
	return EXIT_SUCCESS;
}

static int run_client(int argc, char **argv)
{
	long seconds = 60, interval_ms = 100;
	int opt;
	struct sockaddr_storage ss;
	socklen_t len;
	sigset_t mask;
	char lname[INET6_ADDRSTRLEN + 8], rname[INET6_ADDRSTRLEN + 8];
	char what[128];
	static struct hold h;
	int one = 1;

	h.bound_ms = 2000;
	while ((opt = getopt(argc, argv, "+t:i:b:")) != -1) {
		switch (opt) {
		case 't': seconds = parse_num(optarg, 1, 86400, "-t"); break;
		case 'i': interval_ms = parse_num(optarg, 1, 60000, "-i"); break;
		case 'b': h.bound_ms = parse_num(optarg, 1, 600000, "-b"); break;
		default: usage();
		}
	}
	if (optind != argc - 1)
		usage();
	/* every line that may still be outstanding needs its slot */
	if (h.bound_ms / interval_ms + 2 >= RING) {
		fprintf(stderr, "tcphold: -b / -i must stay below %d\n", RING - 2);
		return EXIT_SETUP;
	}
	parse_endpoint(argv[optind], false, &ss, &len);
	setup_signals(&mask);

	int fd = connect_bounded(&ss, len, h.bound_ms, &mask);
	if (fd < 0)
		return EXIT_SETUP;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	struct sockaddr_storage local;
	socklen_t ll = sizeof local;
	getsockname(fd, (struct sockaddr *)&local, &ll);
	printf("tcphold: connected %s -> %s\n", fmt_addr(&local, lname, sizeof lname),
	       fmt_addr(&ss, rname, sizeof rname));

	int64_t start = now_ms();
	int64_t end_at = start + seconds * 1000;
	int64_t next_send = start;
	bool stopping = false;
	const char *why = NULL;

	for (;;) {
		int64_t now = now_ms();

		if (got_usr1) {
			got_usr1 = 0;
			printf("tcphold: %" PRIu64 " lines echoed\n", h.echoed);
		}
		if (!stopping && (got_term || now >= end_at)) {
			stopping = true;
			why = got_term ? "stopped by a signal" : "time limit reached";
		}
		if (h.echoed < h.sent && now - h.sent_at[(h.echoed + 1) % RING] > h.bound_ms) {
			snprintf(what, sizeof what, "line %" PRIu64 ": no echo within %ld ms",
				 h.echoed + 1, h.bound_ms);
			return fault(&h, what);
		}
		if (stopping && h.echoed == h.sent)
			break;
		if (!stopping && now >= next_send) {
			char line[32];
			int l = snprintf(line, sizeof line, "%" PRIu64 "\n", h.sent + 1);
			ssize_t w = send(fd, line, (size_t)l, MSG_DONTWAIT | MSG_NOSIGNAL);
			if (w < 0 && errno != EAGAIN) {
				snprintf(what, sizeof what, "connection broken: %s", strerror(errno));
				return fault(&h, what);
			}
			if (w != l)
				/* a few bytes a line: the buffer fills only after
				 * a stall far longer than any sane bound */
				return fault(&h, "the send buffer is full: the peer stopped reading");
			h.sent++;
			h.sent_at[h.sent % RING] = now;
			/* keep the cadence; after a stall do not send a burst */
			next_send += interval_ms;
			if (next_send < now)
				next_send = now + interval_ms;
		}

		int64_t deadline = stopping ? end_at + h.bound_ms + 1000 : next_send;
		if (!stopping && end_at < deadline)
			deadline = end_at;
		if (h.echoed < h.sent && h.sent_at[(h.echoed + 1) % RING] + h.bound_ms + 1 < deadline)
			deadline = h.sent_at[(h.echoed + 1) % RING] + h.bound_ms + 1;
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (wait_fds(&p, 1, deadline, &mask) > 0) {
			int rc = take_echoes(fd, &h);
			if (rc != EXIT_SUCCESS)
				return rc;
		}
	}
	printf("tcphold: done: %" PRIu64 " lines sent, %" PRIu64 " echoed, in %.1f s (%s)\n", h.sent,
	       h.echoed, (double)(now_ms() - start) / 1000.0, why);
	close(fd);
	return EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		usage();
	if (strcmp(argv[1], "server") == 0)
		return run_server(argc - 1, argv + 1);
	if (strcmp(argv[1], "client") == 0)
		return run_client(argc - 1, argv + 1);
	usage();
	return EXIT_SETUP;
}
