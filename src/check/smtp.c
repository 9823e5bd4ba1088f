/* smtp.c - SMTP_CHECK: greeting, HELO, QUIT.
 *
 * As keepalived's check_smtp.c: connect, read the greeting and require
 * code 220, send "HELO <helo_name>", require 250, send QUIT and read
 * its reply (whatever it says: the server has passed by then, but a
 * connection dropped before the QUIT reply fails, as in keepalived).
 * Unlike keepalived 2.2.7, which reads only up to the first line end, a
 * multi-line reply ("250-a" ... "250 b") is read whole and its code
 * taken from the last line: keepalived fails a server that greets with
 * "220-" lines, vigil does not. One deadline (connect_timeout) bounds
 * the whole exchange, where keepalived restarts it for every read.
 *
 * SMTP_CHECK's host { } blocks: keepalived 2.2.7 checks each host in
 * turn inside one checker. vigil's engine creates one probe per host,
 * with p->dst (and bindto, port, fwmark) set from that host's block, so
 * this probe checks exactly p->dst and knows nothing of hosts.
 *
 * The reply parsing is pure and separate (smtpreply.c).
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "attempt.h"
#include "smtpreply.h"

#define SMTP_DEFAULT_HELO "smtpchecker.keepalived.org"
/* A reply longer than this is not one a health check needs to read
 * (RFC 5321 4.5.3.1.5: 512 bytes a line; a few lines of EHLO-like
 * continuation fit easily). */
#define SMTP_REPLY_MAX 4096

enum smtp_stage {
	SMTP_CONNECTING,
	SMTP_WAIT_GREETING,
	SMTP_SEND_HELO,
	SMTP_WAIT_HELO,
	SMTP_SEND_QUIT,
	SMTP_WAIT_QUIT,
};

static const char *const stage_wait[] = {
	[SMTP_CONNECTING] = "the connection",
	[SMTP_WAIT_GREETING] = "the greeting",
	[SMTP_SEND_HELO] = "sending HELO",
	[SMTP_WAIT_HELO] = "the reply to HELO",
	[SMTP_SEND_QUIT] = "sending QUIT",
	[SMTP_WAIT_QUIT] = "the reply to QUIT",
};

struct smtp_attempt {
	struct probe_attempt a;
	enum smtp_stage stage;
	const char *out;          /* the command being sent */
	size_t out_len, out_done;
	size_t in_len;
	char in[SMTP_REPLY_MAX];
};

struct smtp_probe {
	struct socket_probe s;
	char *helo;               /* "HELO <name>\r\n" */
	size_t helo_len;
};

static const char quit_cmd[] = "QUIT\r\n";

/* The reply's last line, printable and short, for a detail. */
static void reply_excerpt(const struct smtp_attempt *s, const struct smtp_reply *rp,
			  char *buf, size_t len)
{
	size_t n = rp->text_len < 60 ? rp->text_len : 60, o = 0;
	for (size_t i = 0; i < n && o + 1 < len; i++) {
		unsigned char c = (unsigned char)s->in[rp->text + i];
		buf[o++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	buf[o] = '\0';
}

static void send_command(struct smtp_attempt *s, enum smtp_stage stage, const char *cmd, size_t len)
{
	s->stage = stage;
	s->out = cmd;
	s->out_len = len;
	s->out_done = 0;
	s->in_len = 0;          /* nothing the server said before counts for this command */
	if (probe_attempt_watch(&s->a, UV_WRITABLE) < 0)
		probe_attempt_fail(&s->a, PROBE_SOCKET_ERROR, "cannot watch the socket");
}

/* A whole reply r arrived while in stage s->stage. */
static void on_reply(struct smtp_attempt *s, const struct smtp_reply *rp)
{
	struct smtp_probe *sp = (struct smtp_probe *)(void *)s->a.p;
	char text[64];

	switch (s->stage) {
	case SMTP_WAIT_GREETING:
		if (rp->code != 220) {
			reply_excerpt(s, rp, text, sizeof(text));
			probe_attempt_fail(&s->a, PROBE_BAD_REPLY, "Bad greeting banner: %03d %s",
					   rp->code, text);
			return;
		}
		send_command(s, SMTP_SEND_HELO, sp->helo, sp->helo_len);
		return;
	case SMTP_WAIT_HELO:
		if (rp->code != 250) {
			reply_excerpt(s, rp, text, sizeof(text));
			probe_attempt_fail(&s->a, PROBE_BAD_REPLY, "Bad HELO response: %03d %s",
					   rp->code, text);
			return;
		}
		send_command(s, SMTP_SEND_QUIT, quit_cmd, sizeof(quit_cmd) - 1);
		return;
	default:
		probe_attempt_succeed(&s->a);
		return;
	}
}

static void read_reply(struct smtp_attempt *s)
{
	for (;;) {
		if (s->in_len == sizeof(s->in)) {
			probe_attempt_fail(&s->a, PROBE_BAD_REPLY, "%s is longer than %d bytes",
					   stage_wait[s->stage], SMTP_REPLY_MAX);
			return;
		}
		ssize_t n = recv(s->a.fd, s->in + s->in_len, sizeof(s->in) - s->in_len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0) {
			int err = errno;
			probe_attempt_fail(&s->a, probe_status_of_errno(err), "Read failure waiting for %s: %s",
					   stage_wait[s->stage], strerror(err));
			return;
		}
		if (n == 0) {
			probe_attempt_fail(&s->a, PROBE_CLOSED, "connection closed before %s",
					   stage_wait[s->stage]);
			return;
		}
		s->in_len += (size_t)n;

		struct smtp_reply rp;
		switch (smtp_reply_parse(s->in, s->in_len, &rp)) {
		case SMTP_REPLY_NEED_MORE:
			continue;
		case SMTP_REPLY_COMPLETE:
			on_reply(s, &rp);
			return;
		case SMTP_REPLY_MALFORMED:
			if (s->stage == SMTP_WAIT_QUIT) {
				/* keepalived takes any line as the end of the
				 * exchange; HELO has already been answered. */
				probe_attempt_succeed(&s->a);
			} else {
				probe_attempt_fail(&s->a, PROBE_BAD_REPLY,
						   "%s is not an SMTP reply (bad byte at %zu)",
						   stage_wait[s->stage], rp.bad_at);
			}
			return;
		}
	}
}

static void write_command(struct smtp_attempt *s)
{
	while (s->out_done < s->out_len) {
		ssize_t n = send(s->a.fd, s->out + s->out_done, s->out_len - s->out_done, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0) {
			int err = errno;
			probe_attempt_fail(&s->a, probe_status_of_errno(err), "Write failure %s: %s",
					   stage_wait[s->stage], strerror(err));
			return;
		}
		s->out_done += (size_t)n;
	}
	s->stage = s->stage == SMTP_SEND_HELO ? SMTP_WAIT_HELO : SMTP_WAIT_QUIT;
	if (probe_attempt_watch(&s->a, UV_READABLE) < 0)
		probe_attempt_fail(&s->a, PROBE_SOCKET_ERROR, "cannot watch the socket");
}

static void connected(struct smtp_attempt *s, int status)
{
	int err = probe_attempt_socket_error(&s->a, status);
	if (err) {
		probe_attempt_fail(&s->a, probe_status_of_errno(err), "Error connecting: %s",
				   strerror(err));
		return;
	}
	s->stage = SMTP_WAIT_GREETING;
	if (probe_attempt_watch(&s->a, UV_READABLE) < 0)
		probe_attempt_fail(&s->a, PROBE_SOCKET_ERROR, "cannot watch the socket");
}

static void on_io(struct probe_attempt *a, int status, int events)
{
	struct smtp_attempt *s = (struct smtp_attempt *)a;
	(void)events;
	switch (s->stage) {
	case SMTP_CONNECTING:
		connected(s, status);
		break;
	case SMTP_SEND_HELO:
	case SMTP_SEND_QUIT:
		write_command(s);
		break;
	default:
		/* On POLLERR too: recv() reports the error or the EOF. */
		read_reply(s);
		break;
	}
	/* A POLLERR stopped the poll; if the attempt goes on, watch again. */
	if (a->p && status < 0)
		probe_attempt_watch(a, s->stage == SMTP_SEND_HELO || s->stage == SMTP_SEND_QUIT ?
				    UV_WRITABLE : UV_READABLE);
}

static void on_deadline(struct probe_attempt *a)
{
	struct smtp_attempt *s = (struct smtp_attempt *)a;
	probe_attempt_fail(a, PROBE_TIMEOUT, "no progress past %s within %llu ms",
			   stage_wait[s->stage], probe_timeout_ms(a->p));
}

static int smtp_init(struct probe *p, char *err, size_t errlen)
{
	struct smtp_probe *sp = (struct smtp_probe *)(void *)p;
	const struct smtp_check *c = (const struct smtp_check *)(const void *)p->conf;
	const char *name = c && c->helo_name ? c->helo_name : SMTP_DEFAULT_HELO;

	/* A line end in the name would smuggle a command of its own. */
	if (strpbrk(name, "\r\n")) {
		snprintf(err, errlen, "helo_name contains a line break");
		return -1;
	}
	size_t len = strlen("HELO \r\n") + strlen(name);
	if (len > 512) {        /* RFC 5321 4.5.3.1.4: a command line is at most 512 */
		snprintf(err, errlen, "helo_name is %zu bytes long; at most 505 fit in a HELO line",
			 strlen(name));
		return -1;
	}
	sp->helo = malloc(len + 1);
	if (!sp->helo) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(sp->helo, len + 1, "HELO %s\r\n", name);
	sp->helo_len = len;
	return 0;
}

static void smtp_start(struct probe *p)
{
	struct smtp_probe *sp = (struct smtp_probe *)(void *)p;
	struct smtp_attempt *s = probe_attempt_open(p, &sp->s.running, sizeof(*s), SOCK_STREAM,
						    IPPROTO_TCP, on_io, on_deadline);
	if (!s)
		return;
	s->a.reset_on_close = true;   /* as TCP_CHECK: no TIME_WAIT left per check */
	s->stage = SMTP_CONNECTING;
	if (probe_attempt_watch(&s->a, UV_WRITABLE) < 0)
		probe_attempt_fail(&s->a, PROBE_SOCKET_ERROR, "cannot watch the socket");
}

static void smtp_fini(struct probe *p)
{
	struct smtp_probe *sp = (struct smtp_probe *)(void *)p;
	free(sp->helo);
	sp->helo = NULL;
}

/* keepalived 2.2.7 logs "Remote SMTP server [ip]:port succeed on service."
 * when the checker comes up. Going down it logs the cause
 * ("SMTP_CHECK Bad greeting banner from server [ip]:port"), which vigil
 * carries in the result's detail; the line itself takes the wording of
 * keepalived's other checkers. */
const struct probe_ops probe_smtp_ops = {
	.keyword = "SMTP_CHECK",
	.size = sizeof(struct smtp_probe),
	.init = smtp_init,
	.start = smtp_start,
	.cancel = socket_probe_cancel,
	.ctx_fini = probe_poller_fini,
	.fini = smtp_fini,
	.up_fmt = "Remote SMTP server %s succeed on service.",
	.down_fmt = "SMTP_CHECK on service %s failed.",
	.down_retries_fmt = "SMTP_CHECK on service %s failed after %u retries.",
};
