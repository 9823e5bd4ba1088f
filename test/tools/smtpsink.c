/* smtpsink.c - a tiny SMTP server for the tests: takes mail, delivers
 * nothing.
 *
 * Usage: smtpsink [-p PORT] [-n COUNT] [-t SECONDS] [-o FILE] [-d MS] [-s]
 *   -p PORT     listen on 127.0.0.1:PORT; 0 (the default) picks a free
 *               port. Either way the first line on stdout is "PORT <n>".
 *   -n COUNT    exit 0 after COUNT messages (default 1), once that
 *               client has said QUIT or hung up.
 *   -t SECONDS  exit 1 after this long whatever happened (default 10).
 *   -o FILE     append each message to FILE (default: stdout).
 *   -d MS       wait MS milliseconds before accepting a message (the
 *               reply to the final "."), as a content-scanning server does.
 *   -s          silent: accept connections and never say anything.
 *
 * Single-threaded: one connection at a time, the next waits in the
 * listen backlog. Only 127.0.0.1 is ever bound. Each message is written
 * as:
 *   === message N
 *   HELO <the EHLO/HELO argument>
 *   MAIL FROM:<...>
 *   RCPT TO:<...>            (one line per recipient)
 *   --- data
 *   <the message, dot-unstuffed, LF line ends>
 *   === end
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int64_t deadline_ms;
static int out_fd = STDOUT_FILENO;

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void timed_out(int received)
{
	fprintf(stderr, "smtpsink: time limit reached after %d message(s)\n", received);
	exit(1);
}

/* Wait until fd is readable or the deadline; false at the deadline. */
static bool wait_readable(int fd)
{
	for (;;) {
		int64_t left = deadline_ms - now_ms();
		if (left <= 0)
			return false;
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int n = poll(&p, 1, (int)left);
		if (n > 0)
			return true;
		if (n < 0 && errno != EINTR)
			return false;
	}
}

static void say(int fd, const char *s)
{
	size_t len = strlen(s);
	while (len) {
		ssize_t n = send(fd, s, len, MSG_NOSIGNAL);
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

struct conn {
	int fd;
	char buf[8192];
	size_t len;
};

/* The next line without its line end into line; false on EOF, error or
 * the deadline. */
static bool get_line(struct conn *c, char *line, size_t max)
{
	for (;;) {
		char *nl = memchr(c->buf, '\n', c->len);
		if (nl) {
			size_t n = (size_t)(nl - c->buf);
			size_t used = n + 1;
			if (n && c->buf[n - 1] == '\r')
				n--;
			if (n >= max)
				n = max - 1;
			memcpy(line, c->buf, n);
			line[n] = '\0';
			memmove(c->buf, c->buf + used, c->len - used);
			c->len -= used;
			return true;
		}
		if (c->len == sizeof(c->buf))
			c->len = 0;           /* an absurd line: drop it */
		if (!wait_readable(c->fd))
			return false;
		ssize_t n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, 0);
		if (n <= 0)
			return false;
		c->len += (size_t)n;
	}
}

static void out(const char *s)
{
	size_t len = strlen(s);
	while (len) {
		ssize_t n = write(out_fd, s, len);
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

/* Serve one connection; returns the messages it delivered. */
static int serve(int fd, int first_number, int delay_ms)
{
	struct conn c = { .fd = fd };
	char line[2048], helo[2048] = "", env[8192] = "";
	int got = 0;

	say(fd, "220 smtpsink ESMTP ready\r\n");
	while (get_line(&c, line, sizeof(line))) {
		if (!strncasecmp(line, "EHLO ", 5) || !strncasecmp(line, "HELO ", 5)) {
			memcpy(helo, line + 5, strlen(line + 5) + 1);
			say(fd, !strncasecmp(line, "EHLO", 4) ? "250-smtpsink\r\n250 8BITMIME\r\n"
							      : "250 smtpsink\r\n");
		} else if (!strncasecmp(line, "MAIL FROM:", 10)) {
			size_t l = strlen(line);
			memcpy(env, line, l);      /* line is shorter than env */
			memcpy(env + l, "\n", 2);
			say(fd, "250 2.1.0 ok\r\n");
		} else if (!strncasecmp(line, "RCPT TO:", 8)) {
			size_t l = strlen(env), n = strlen(line);
			if (l + n + 2 <= sizeof(env)) {
				memcpy(env + l, line, n);
				memcpy(env + l + n, "\n", 2);
			}
			say(fd, "250 2.1.5 ok\r\n");
		} else if (!strcasecmp(line, "DATA")) {
			char head[64];
			say(fd, "354 end with <CRLF>.<CRLF>\r\n");
			snprintf(head, sizeof(head), "=== message %d\n", first_number + got);
			out(head);
			out("HELO ");
			out(helo);
			out("\n");
			out(env);
			out("--- data\n");
			bool ended = false;
			while (get_line(&c, line, sizeof(line))) {
				if (!strcmp(line, ".")) {
					ended = true;
					break;
				}
				out(line[0] == '.' ? line + 1 : line);
				out("\n");
			}
			if (!ended)
				return got;
			out("=== end\n");
			got++;
			if (delay_ms > 0)
				usleep((useconds_t)delay_ms * 1000);
			say(fd, "250 2.0.0 queued\r\n");
		} else if (!strcasecmp(line, "RSET") || !strcasecmp(line, "NOOP")) {
			say(fd, "250 ok\r\n");
		} else if (!strcasecmp(line, "QUIT")) {
			say(fd, "221 bye\r\n");
			return got;
		} else {
			say(fd, "502 5.5.2 not implemented\r\n");
		}
	}
	return got;
}

int main(int argc, char **argv)
{
	int port = 0, count = 1, seconds = 10, delay_ms = 0, opt;
	bool silent = false;
	const char *file = NULL;

	while ((opt = getopt(argc, argv, "p:n:t:o:d:s")) != -1) {
		switch (opt) {
		case 'p': port = atoi(optarg); break;
		case 'n': count = atoi(optarg); break;
		case 't': seconds = atoi(optarg); break;
		case 'o': file = optarg; break;
		case 'd': delay_ms = atoi(optarg); break;
		case 's': silent = true; break;
		default:
			fprintf(stderr, "usage: smtpsink [-p PORT] [-n COUNT] [-t SECONDS] "
				"[-o FILE] [-d MS] [-s]\n");
			return 2;
		}
	}
	if (port < 0 || port > 65535 || count < 1 || seconds < 1 || seconds > 3600) {
		fprintf(stderr, "smtpsink: bad argument\n");
		return 2;
	}
	deadline_ms = now_ms() + (int64_t)seconds * 1000;
	if (file) {
		out_fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (out_fd < 0) {
			perror(file);
			return 2;
		}
	}

	int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sin);
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ls < 0 || bind(ls, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(ls, 16) < 0 ||
	    getsockname(ls, (struct sockaddr *)&sin, &sl) < 0) {
		perror("smtpsink: listen");
		return 2;
	}
	printf("PORT %u\n", (unsigned)ntohs(sin.sin_port));
	fflush(stdout);

	int received = 0;
	int held[64], nheld = 0;         /* silent mode keeps connections open */
	while (received < count) {
		if (!wait_readable(ls))
			timed_out(received);
		int fd = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		if (silent) {
			if (nheld < 64)
				held[nheld++] = fd;
			else
				close(fd);
			continue;
		}
		received += serve(fd, received + 1, delay_ms);
		close(fd);
	}
	(void)held;
	return 0;
}
