/* smtp.c - a non-blocking SMTP client for alerts; see smtp.h.
 *
 * Each alert is a small state machine of its own (struct smtp_xfer): it
 * resolves the server (uv_getaddrinfo, only for a name), connects
 * (trying each address in turn), then sends one command at a time and
 * waits for its reply - no pipelining, so a reply always answers the
 * command of the current state. A reply is one or more lines "NNN-text"
 * ending with "NNN text" (RFC 5321 4.2.1); only the final code counts.
 *
 * One timer per alert carries both deadlines: at each wait it is armed
 * for min(connect_timeout, what is left of total_timeout).
 *
 * Lifecycle: xfer_close() starts closing the alert's handles (timer,
 * TCP, a pending getaddrinfo); xfer_release() runs when the last one has
 * called back, delivers the callback and frees. The client is freed by
 * the last release after smtp_client_free().
 */
#include "smtp.h"

#include <ctype.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>

#include "arena.h"
#include "log.h"
#include "smtpline.h"

#define DFL_PORT 25
#define DFL_CONNECT_TIMEOUT_US 30000000ULL    /* keepalived's smtp_connect_timeout */
#define DFL_TOTAL_TIMEOUT_US 120000000ULL
#define DFL_MAX_IN_FLIGHT 32
#define REPLY_LINE_MAX 1024                   /* RFC 5321 4.5.3.1.5: 512 */
/* A reply's lines and bytes, at most. RFC 5321 sets no limit on
 * continuation lines, but a real EHLO reply has a dozen or two; a server
 * that streams "250-" lines without end would otherwise keep the worker
 * (the VRRP worker sends alerts) busy reading until the total timeout. */
#define REPLY_LINES_MAX 100
#define REPLY_BYTES_MAX (16 * 1024)

enum xstate {
	X_RESOLVE,
	X_CONNECT,
	X_GREETING,
	X_EHLO,
	X_HELO,
	X_MAIL,
	X_RCPT,
	X_DATA,
	X_BODY,
	X_QUIT,
};

/* What the alert waits for in each state, for the log. */
static const char *const wait_name[] = {
	[X_RESOLVE] = "the name resolution",
	[X_CONNECT] = "the connection",
	[X_GREETING] = "the greeting",
	[X_EHLO] = "EHLO",
	[X_HELO] = "HELO",
	[X_MAIL] = "MAIL FROM",
	[X_RCPT] = "RCPT TO",
	[X_DATA] = "DATA",
	[X_BODY] = "the end of the message",
	[X_QUIT] = "QUIT",
};

struct smtp_client {
	uv_loop_t *loop;
	char *host;                   /* without brackets */
	char *label;                  /* "127.0.0.1:25", "[::1]:25" for logs */
	char port_str[8];
	uint16_t port;
	char *helo;
	struct sockaddr_storage addr; /* when host is an address literal */
	bool literal;
	uint64_t wait_ms, total_ms;
	unsigned max_in_flight, in_flight;
	struct smtp_xfer *xfers;      /* every alert not yet released */
	bool dying;
};

struct smtp_xfer {
	struct smtp_xfer *next, *prev;
	struct smtp_client *c;
	enum xstate state;
	enum smtp_result result;
	bool decided;                 /* result is final (and logged) */
	bool closing;
	bool counted;                 /* in c->in_flight */
	bool cb_done;
	bool retrying;                /* tcp closes to try the next address */
	smtp_done_cb cb;
	void *data;

	int handles;                  /* open handles + pending getaddrinfo */
	uv_timer_t timer;
	uv_getaddrinfo_t gai;
	bool gai_pending;
	struct addrinfo *ai, *ai_next;
	uv_tcp_t tcp;
	bool tcp_open;
	uv_connect_t conn;
	uint64_t deadline;            /* uv_now() of the total timeout */

	char *from;
	char **to;
	size_t nto, rcpt_i, rcpt_ok;
	char *wire;                   /* dot-stuffed message and ".\r\n" */
	size_t wire_len;
	char *subject;
	char rbuf[REPLY_LINE_MAX];
	size_t rlen;
	unsigned reply_lines;         /* of the reply being read, so far */
	size_t reply_bytes;
	char last[160];               /* the last reply line, for the log */
};

struct wreq {
	uv_write_t req;
	struct smtp_xfer *x;
	char data[];
};

const char *smtp_result_str(enum smtp_result r)
{
	switch (r) {
	case SMTP_SENT: return "sent";
	case SMTP_RESOLVE_FAILED: return "resolve failed";
	case SMTP_CONNECT_FAILED: return "connect failed";
	case SMTP_TIMEOUT: return "timed out";
	case SMTP_REJECTED: return "rejected";
	case SMTP_PROTOCOL_ERROR: return "protocol error";
	case SMTP_DROPPED: return "dropped";
	case SMTP_CANCELLED: return "cancelled";
	}
	return "unknown";
}

/* ---- the message text ------------------------------------------------------ */

/* A header value or envelope address: CR and LF would end the line and
 * start a header (or an SMTP command) of the sender's choosing. */
static char *clean_value(const char *s)
{
	char *r = xstrdup(s ? s : "");
	for (char *p = r; *p; p++)
		if (*p == '\r' || *p == '\n')
			*p = ' ';
	return r;
}

struct sbuf {
	char *p;
	size_t len, cap;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_str(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void sb_header(struct sbuf *b, const char *name, const char *value)
{
	char *v = clean_value(value);
	sb_str(b, name);
	sb_str(b, ": ");
	sb_str(b, v);
	sb_str(b, "\r\n");
	free(v);
}

char *smtp_format_message(const struct smtp_msg *msg, time_t now)
{
	struct sbuf b = { 0 };
	char date[64];
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S %z", &tm);
	sb_header(&b, "Date", date);
	sb_header(&b, "From", msg->from);
	sb_header(&b, "Subject", msg->subject);
	sb_header(&b, "X-Mailer", "vigil");
	sb_str(&b, "To: ");
	for (size_t i = 0; msg->to && msg->to[i]; i++) {
		char *v = clean_value(msg->to[i]);
		if (i)
			sb_str(&b, ", ");
		sb_str(&b, v);
		free(v);
	}
	sb_str(&b, "\r\n\r\n");

	/* The body with every line end (LF, CR or CRLF) as CRLF, ending in one. */
	const char *s = msg->body ? msg->body : "";
	while (*s) {
		size_t n = strcspn(s, "\r\n");
		sb_add(&b, s, n);
		sb_str(&b, "\r\n");
		s += n;
		if (*s == '\r' && s[1] == '\n')
			s += 2;
		else if (*s)
			s++;
	}
	return b.p;
}

/* RFC 5321 4.5.2: a line starting with "." gets another "."; then the
 * terminating ".". text ends with CRLF. */
static char *dot_stuff(const char *text, size_t *len)
{
	struct sbuf b = { 0 };
	const char *s = text;
	while (*s) {
		const char *nl = strstr(s, "\r\n");
		size_t n = nl ? (size_t)(nl - s) + 2 : strlen(s);
		if (*s == '.')
			sb_str(&b, ".");
		sb_add(&b, s, n);
		s += n;
	}
	sb_str(&b, ".\r\n");
	*len = b.len;
	return b.p;
}

/* ---- lifecycle ------------------------------------------------------------------- */

static void client_release(struct smtp_client *c)
{
	free(c->host);
	free(c->label);
	free(c->helo);
	free(c);
}

static void xfer_free(struct smtp_xfer *x)
{
	if (x->ai)
		uv_freeaddrinfo(x->ai);
	free(x->from);
	for (size_t i = 0; x->to && i < x->nto; i++)
		free(x->to[i]);
	free(x->to);
	free(x->wire);
	free(x->subject);
	free(x);
}

/* Every handle has called back: unlink, free, then the callback last, so
 * that it may call smtp_send() or smtp_client_free() freely. */
static void xfer_release(struct smtp_xfer *x)
{
	struct smtp_client *c = x->c;
	smtp_done_cb cb = x->cb_done ? NULL : x->cb;
	void *data = x->data;
	enum smtp_result r = x->result;

	if (x->prev)
		x->prev->next = x->next;
	else
		c->xfers = x->next;
	if (x->next)
		x->next->prev = x->prev;
	if (x->counted)
		c->in_flight--;
	xfer_free(x);
	if (c->dying) {
		if (!c->xfers)
			client_release(c);
		return;               /* callbacks were delivered by smtp_client_free() */
	}
	if (cb)
		cb(r, data);
}

static void maybe_release(struct smtp_xfer *x)
{
	if (x->closing && x->handles == 0)
		xfer_release(x);
}

static void on_timer_closed(uv_handle_t *h)
{
	struct smtp_xfer *x = h->data;
	x->handles--;
	maybe_release(x);
}

static void connect_next(struct smtp_xfer *x);

static void on_tcp_closed(uv_handle_t *h)
{
	struct smtp_xfer *x = h->data;
	x->handles--;
	x->tcp_open = false;
	if (x->retrying && !x->closing) {
		x->retrying = false;
		connect_next(x);
		return;
	}
	maybe_release(x);
}

static void xfer_close(struct smtp_xfer *x)
{
	if (x->closing)
		return;
	x->closing = true;
	if (x->gai_pending)
		uv_cancel((uv_req_t *)&x->gai);   /* its callback still comes */
	if (x->tcp_open && !uv_is_closing((uv_handle_t *)&x->tcp))
		uv_close((uv_handle_t *)&x->tcp, on_tcp_closed);
	uv_close((uv_handle_t *)&x->timer, on_timer_closed);
}

static void xfer_log_fail(struct smtp_xfer *x, enum smtp_result r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Decide the result (once), log it, close. */
static void xfer_log_fail(struct smtp_xfer *x, enum smtp_result r, const char *fmt, ...)
{
	char detail[512];
	va_list ap;

	if (!x->decided) {
		x->decided = true;
		x->result = r;
		va_start(ap, fmt);
		vsnprintf(detail, sizeof(detail), fmt, ap);
		va_end(ap);
		log_msg(LOG_WARNING, "SMTP alert to %s failed (%s): %s; subject: %s", x->c->label,
			smtp_result_str(r), detail, x->subject);
	}
	xfer_close(x);
}

/* ---- timers ------------------------------------------------------------------------- */

static void fmt_ms(char *buf, size_t len, uint64_t ms)
{
	if (ms % 1000 == 0)
		snprintf(buf, len, "%llu s", (unsigned long long)(ms / 1000));
	else
		snprintf(buf, len, "%.1f s", (double)ms / 1000.0);
}

static void on_timer(uv_timer_t *t)
{
	struct smtp_xfer *x = t->data;
	struct smtp_client *c = x->c;
	char span[32];

	if (x->closing)
		return;
	if (x->state == X_QUIT) {          /* the alert was sent: just hang up */
		xfer_close(x);
		return;
	}
	if (uv_now(c->loop) >= x->deadline) {
		fmt_ms(span, sizeof(span), c->total_ms);
		xfer_log_fail(x, SMTP_TIMEOUT, "still waiting for %s after %s (the limit for one alert)",
			      wait_name[x->state], span);
		return;
	}
	fmt_ms(span, sizeof(span), c->wait_ms);
	if (x->state == X_RESOLVE)
		xfer_log_fail(x, SMTP_TIMEOUT, "%s not resolved within %s", c->host, span);
	else if (x->state == X_CONNECT)
		xfer_log_fail(x, SMTP_TIMEOUT, "not connected within %s", span);
	else if (x->state == X_GREETING)
		xfer_log_fail(x, SMTP_TIMEOUT, "no greeting within %s", span);
	else
		xfer_log_fail(x, SMTP_TIMEOUT, "no reply to %s within %s", wait_name[x->state], span);
}

/* Wait for the next event of the current state. */
static void arm(struct smtp_xfer *x)
{
	uint64_t now = uv_now(x->c->loop);
	uint64_t left = x->deadline > now ? x->deadline - now : 0;
	uint64_t ms = x->c->wait_ms < left ? x->c->wait_ms : left;
	uv_timer_start(&x->timer, on_timer, ms, 0);
}

/* ---- sending ------------------------------------------------------------------------- */

static void on_written(uv_write_t *req, int status)
{
	struct wreq *w = (struct wreq *)req;
	struct smtp_xfer *x = w->x;

	free(w);
	if (status < 0 && status != UV_ECANCELED && !x->closing)
		xfer_log_fail(x, SMTP_PROTOCOL_ERROR, "sending %s: %s", wait_name[x->state],
			      uv_strerror(status));
}

static void send_bytes(struct smtp_xfer *x, const char *s, size_t n)
{
	struct wreq *w = xmalloc(sizeof(*w) + n);
	w->x = x;
	memcpy(w->data, s, n);
	uv_buf_t b = uv_buf_init(w->data, (unsigned)n);
	int rc = uv_write(&w->req, (uv_stream_t *)&x->tcp, &b, 1, on_written);
	if (rc < 0) {
		free(w);
		xfer_log_fail(x, SMTP_PROTOCOL_ERROR, "sending %s: %s", wait_name[x->state],
			      uv_strerror(rc));
		return;
	}
	arm(x);
}

static void send_cmd(struct smtp_xfer *x, enum xstate next, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void send_cmd(struct smtp_xfer *x, enum xstate next, const char *fmt, ...)
{
	char line[1200];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line) - 2, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line) - 2) {
		xfer_log_fail(x, SMTP_DROPPED, "command too long for %s", wait_name[next]);
		return;
	}
	memcpy(line + n, "\r\n", 2);
	x->state = next;
	send_bytes(x, line, (size_t)n + 2);
}

static void send_rcpt_or_data(struct smtp_xfer *x)
{
	if (x->rcpt_i < x->nto) {
		send_cmd(x, X_RCPT, "RCPT TO:<%s>", x->to[x->rcpt_i]);
		return;
	}
	if (x->rcpt_ok == 0) {
		xfer_log_fail(x, SMTP_REJECTED, "every recipient was refused (last reply: %s)", x->last);
		return;
	}
	send_cmd(x, X_DATA, "DATA");
}

/* ---- replies ------------------------------------------------------------------------- */

static void on_reply(struct smtp_xfer *x, int code)
{
	struct smtp_client *c = x->c;
	bool ok = code >= 200 && code < 300;

	switch (x->state) {
	case X_GREETING:
		if (code != 220)
			xfer_log_fail(x, SMTP_REJECTED, "greeting was \"%s\"", x->last);
		else
			send_cmd(x, X_EHLO, "EHLO %s", c->helo);
		break;
	case X_EHLO:
		if (ok)
			send_cmd(x, X_MAIL, "MAIL FROM:<%s>", x->from);
		else if (code >= 500)      /* an RFC 821 server: HELO it is */
			send_cmd(x, X_HELO, "HELO %s", c->helo);
		else
			xfer_log_fail(x, SMTP_REJECTED, "EHLO answered \"%s\"", x->last);
		break;
	case X_HELO:
		if (ok)
			send_cmd(x, X_MAIL, "MAIL FROM:<%s>", x->from);
		else
			xfer_log_fail(x, SMTP_REJECTED, "HELO answered \"%s\"", x->last);
		break;
	case X_MAIL:
		if (ok)
			send_rcpt_or_data(x);
		else
			xfer_log_fail(x, SMTP_REJECTED, "MAIL FROM:<%s> answered \"%s\"", x->from,
				      x->last);
		break;
	case X_RCPT:
		if (ok)
			x->rcpt_ok++;
		else
			log_msg(LOG_WARNING, "SMTP alert to %s: recipient <%s> refused: \"%s\"", c->label,
				x->to[x->rcpt_i], x->last);
		x->rcpt_i++;
		send_rcpt_or_data(x);
		break;
	case X_DATA:
		if (code != 354) {
			xfer_log_fail(x, SMTP_REJECTED, "DATA answered \"%s\"", x->last);
			break;
		}
		x->state = X_BODY;
		send_bytes(x, x->wire, x->wire_len);
		break;
	case X_BODY:
		if (!ok) {
			xfer_log_fail(x, SMTP_REJECTED, "the message was refused: \"%s\"", x->last);
			break;
		}
		x->decided = true;
		x->result = SMTP_SENT;
		log_msg(LOG_INFO, "SMTP alert to %s sent: %s", c->label, x->subject);
		send_cmd(x, X_QUIT, "QUIT");
		break;
	case X_QUIT:
		xfer_close(x);
		break;
	case X_RESOLVE:
	case X_CONNECT:
		break;                 /* not reading yet */
	}
}

/* One complete line (without its line end). */
static void on_line(struct smtp_xfer *x, char *line, size_t len)
{
	size_t n = len < sizeof(x->last) - 1 ? len : sizeof(x->last) - 1;
	for (size_t i = 0; i < n; i++)
		x->last[i] = isprint((unsigned char)line[i]) ? line[i] : '?';
	x->last[n] = '\0';

	bool more;
	int code = smtp_reply_line(line, len, &more);
	if (code < 0) {
		xfer_log_fail(x, SMTP_PROTOCOL_ERROR, "malformed reply to %s: \"%s\"",
			      wait_name[x->state], x->last);
		return;
	}
	if (more) {
		/* More lines of this reply follow: up to a point. */
		if (++x->reply_lines >= REPLY_LINES_MAX || x->reply_bytes > REPLY_BYTES_MAX)
			xfer_log_fail(x, SMTP_PROTOCOL_ERROR, "reply to %s goes on past %u lines or "
				      "%d bytes; giving up on this server", wait_name[x->state],
				      REPLY_LINES_MAX, REPLY_BYTES_MAX);
		return;
	}
	x->reply_lines = 0;
	x->reply_bytes = 0;
	on_reply(x, code);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct smtp_xfer *x = h->data;
	(void)suggested;
	*buf = uv_buf_init(x->rbuf + x->rlen, (unsigned)(sizeof(x->rbuf) - x->rlen));
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct smtp_xfer *x = s->data;
	(void)buf;

	if (x->closing)
		return;
	if (nread == UV_EOF) {
		if (x->state == X_QUIT)
			xfer_close(x);
		else
			xfer_log_fail(x, SMTP_PROTOCOL_ERROR,
				      "the server closed the connection while we waited for %s%s%s",
				      wait_name[x->state], x->last[0] ? "; last reply: " : "", x->last);
		return;
	}
	if (nread == UV_ENOBUFS) {
		xfer_log_fail(x, SMTP_PROTOCOL_ERROR, "reply line to %s longer than %d bytes",
			      wait_name[x->state], REPLY_LINE_MAX);
		return;
	}
	if (nread < 0) {
		xfer_log_fail(x, SMTP_PROTOCOL_ERROR, "reading the reply to %s: %s",
			      wait_name[x->state], uv_strerror((int)nread));
		return;
	}
	x->rlen += (size_t)nread;
	char *nl;
	while (!x->closing && (nl = memchr(x->rbuf, '\n', x->rlen))) {
		size_t len = (size_t)(nl - x->rbuf);
		size_t used = len + 1;
		if (len && x->rbuf[len - 1] == '\r')
			len--;
		x->rbuf[len] = '\0';
		x->reply_bytes += used;
		on_line(x, x->rbuf, len);
		memmove(x->rbuf, x->rbuf + used, x->rlen - used);
		x->rlen -= used;
	}
	if (!x->closing && x->rlen == sizeof(x->rbuf))
		xfer_log_fail(x, SMTP_PROTOCOL_ERROR, "reply line to %s longer than %d bytes",
			      wait_name[x->state], REPLY_LINE_MAX);
}

/* ---- connecting ---------------------------------------------------------------------- */

static void on_connect(uv_connect_t *req, int status)
{
	struct smtp_xfer *x = req->data;
	struct smtp_client *c = x->c;

	if (x->closing)
		return;
	if (status < 0) {
		if (x->ai_next) {             /* another address of the name */
			log_msg(LOG_DEBUG, "SMTP alert to %s: connect: %s; trying the next address",
				c->label, uv_strerror(status));
			x->retrying = true;
			uv_close((uv_handle_t *)&x->tcp, on_tcp_closed);
			return;
		}
		xfer_log_fail(x, SMTP_CONNECT_FAILED, "connect: %s", uv_strerror(status));
		return;
	}
	x->state = X_GREETING;
	int rc = uv_read_start((uv_stream_t *)&x->tcp, on_alloc, on_read);
	if (rc < 0) {
		xfer_log_fail(x, SMTP_PROTOCOL_ERROR, "reading: %s", uv_strerror(rc));
		return;
	}
	arm(x);
}

static void connect_next(struct smtp_xfer *x)
{
	struct smtp_client *c = x->c;
	const struct sockaddr *sa;

	if (c->literal) {
		sa = (const struct sockaddr *)&c->addr;
	} else {
		sa = x->ai_next->ai_addr;
		x->ai_next = x->ai_next->ai_next;
	}
	x->state = X_CONNECT;
	uv_tcp_init(c->loop, &x->tcp);
	x->tcp.data = x;
	x->tcp_open = true;
	x->handles++;
	x->conn.data = x;
	int rc = uv_tcp_connect(&x->conn, &x->tcp, sa, on_connect);
	if (rc < 0) {
		xfer_log_fail(x, SMTP_CONNECT_FAILED, "connect: %s", uv_strerror(rc));
		return;
	}
	arm(x);
}

static void on_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
	struct smtp_xfer *x = req->data;

	x->gai_pending = false;
	x->handles--;
	if (x->closing) {
		if (res)
			uv_freeaddrinfo(res);
		maybe_release(x);
		return;
	}
	if (status < 0 || !res) {
		if (res)
			uv_freeaddrinfo(res);
		xfer_log_fail(x, SMTP_RESOLVE_FAILED, "cannot resolve %s: %s", x->c->host,
			      uv_strerror(status));
		return;
	}
	x->ai = x->ai_next = res;
	connect_next(x);
}

/* ---- the client ----------------------------------------------------------------------- */

struct smtp_client *smtp_client_new(uv_loop_t *loop, const struct smtp_opts *o)
{
	struct smtp_client *c = xcalloc(1, sizeof(*c));
	const char *h = o->host ? o->host : "";
	size_t hl = strlen(h);
	char label[300];

	c->loop = loop;
	if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
		c->host = xmalloc(hl - 1);
		memcpy(c->host, h + 1, hl - 2);
		c->host[hl - 2] = '\0';
	} else {
		c->host = xstrdup(h);
	}
	c->port = o->port ? o->port : DFL_PORT;
	snprintf(c->port_str, sizeof(c->port_str), "%u", (unsigned)c->port);

	struct sockaddr_in *s4 = (struct sockaddr_in *)&c->addr;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&c->addr;
	if (uv_ip4_addr(c->host, c->port, s4) == 0) {
		c->literal = true;
	} else if (strchr(c->host, ':') && uv_ip6_addr(c->host, c->port, s6) == 0) {
		c->literal = true;
	}
	if (strchr(c->host, ':'))
		snprintf(label, sizeof(label), "[%s]:%u", c->host, (unsigned)c->port);
	else
		snprintf(label, sizeof(label), "%s:%u", c->host, (unsigned)c->port);
	c->label = xstrdup(label);

	if (o->helo_name && *o->helo_name) {
		c->helo = clean_value(o->helo_name);
	} else {
		struct utsname u;
		c->helo = xstrdup(uname(&u) == 0 && u.nodename[0] ? u.nodename : "localhost");
	}
	c->wait_ms = ((o->connect_timeout_us ? o->connect_timeout_us : DFL_CONNECT_TIMEOUT_US) + 999) / 1000;
	c->total_ms = ((o->total_timeout_us ? o->total_timeout_us : DFL_TOTAL_TIMEOUT_US) + 999) / 1000;
	c->max_in_flight = o->max_in_flight ? o->max_in_flight : DFL_MAX_IN_FLIGHT;
	return c;
}

unsigned smtp_in_flight(const struct smtp_client *c)
{
	return c->in_flight;
}

void smtp_send(struct smtp_client *c, const struct smtp_msg *msg, smtp_done_cb cb, void *data)
{
	struct smtp_xfer *x = xcalloc(1, sizeof(*x));
	const char *why = NULL;

	if (c->dying) {                     /* a use after smtp_client_free() */
		log_msg(LOG_ERR, "SMTP alert to %s after the client was freed: ignored", c->label);
		free(x);
		return;
	}
	x->c = c;
	x->cb = cb;
	x->data = data;
	x->subject = clean_value(msg->subject);
	x->next = c->xfers;
	if (c->xfers)
		c->xfers->prev = x;
	c->xfers = x;
	uv_timer_init(c->loop, &x->timer);
	x->timer.data = x;
	x->handles = 1;
	x->deadline = uv_now(c->loop) + c->total_ms;

	while (msg->to && msg->to[x->nto])
		x->nto++;
	if (!c->host[0])
		why = "no SMTP server";
	else if (x->nto == 0)
		why = "no recipient";
	else if (c->in_flight >= c->max_in_flight)
		why = "too many alerts in flight";
	if (why) {
		char n[16] = "";
		if (c->in_flight >= c->max_in_flight)
			snprintf(n, sizeof(n), " (%u)", c->in_flight);
		xfer_log_fail(x, SMTP_DROPPED, "%s%s", why, n);   /* the close delivers it */
		return;
	}

	x->counted = true;
	c->in_flight++;
	x->from = clean_value(msg->from);
	x->to = xcalloc(x->nto, sizeof(char *));
	for (size_t i = 0; i < x->nto; i++)
		x->to[i] = clean_value(msg->to[i]);
	char *text = smtp_format_message(msg, time(NULL));
	x->wire = dot_stuff(text, &x->wire_len);
	free(text);

	if (c->literal) {
		connect_next(x);
		return;
	}
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_ADDRCONFIG };
	x->state = X_RESOLVE;
	x->gai.data = x;
	int rc = uv_getaddrinfo(c->loop, &x->gai, on_resolved, c->host, c->port_str, &hints);
	if (rc < 0) {
		xfer_log_fail(x, SMTP_RESOLVE_FAILED, "cannot resolve %s: %s", c->host, uv_strerror(rc));
		return;
	}
	x->gai_pending = true;
	x->handles++;
	arm(x);
}

void smtp_client_free(struct smtp_client *c)
{
	if (!c)
		return;
	c->dying = true;
	for (struct smtp_xfer *x = c->xfers; x; x = x->next) {
		if (!x->decided) {
			x->decided = true;
			x->result = SMTP_CANCELLED;
			log_msg(LOG_INFO, "SMTP alert to %s cancelled; subject: %s", c->label, x->subject);
		}
		if (!x->cb_done) {
			x->cb_done = true;
			if (x->cb)
				x->cb(x->result, x->data);
		}
		xfer_close(x);
	}
	if (!c->xfers)
		client_release(c);
}
