/* http_plain.c - HTTP_GET without TLS: one request, one reply, on a
 * socket attempt (attempt.c).
 *
 * Why not libcurl here, as for SSL_GET: a check is "GET path HTTP/1.0",
 * a status line, headers and a small body, and libcurl's machinery per
 * transfer (an easy handle, URL parsing, its resolver, connection cache
 * and header handling) cost 7 times keepalived's own HTTP client in user
 * CPU per check, and 2.5 times its memory, in the benchmark of 1,000
 * HTTP_GETs (bench/README-check.md). On the shared socket attempt a plain
 * check costs what a TCP_CHECK costs, plus the bytes. libcurl stays where
 * it earns its keep: TLS (SSL_GET).
 *
 * What goes on the wire is what keepalived sends and what the libcurl
 * transport sent: "GET <path> HTTP/1.0" (1.1 under http_protocol 1.1),
 * Host:, User-Agent: KeepAliveClient, and Connection: close except for
 * plain 1.0. The request is built to its length: a url may be as long as
 * the configuration allows.
 *
 * The reply, by the rules libcurl applies for SSL_GET and vigil-genhash
 * (so the digest genhash prints is one this reader can pass): a head of up
 * to HTTP_HEAD_MAX bytes, lines ended by CRLF or a bare LF, interim 1xx
 * heads ("100 Continue") skipped. The body is read up to its
 * Content-Length, else to the connection's end, and taken as it comes (a
 * chunked body is hashed with its framing, as keepalived does). A body cut
 * short of its Content-Length by the peer's close is logged and judged as
 * received, as keepalived does; the verdict is http_judge()'s. Each url is
 * its own connection with its own connect_timeout deadline (keepalived's
 * timeout is per connection too).
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "attempt.h"
#include "http_int.h"
#include "httphead.h"

struct http_plain {
	struct probe_attempt a;        /* first: attempt.c allocates it */
	struct http_probe *hp;
	size_t url;
	char *req;                     /* malloc'd, req_len bytes */
	size_t req_len, req_sent;
	char *head;                    /* grows up to HTTP_HEAD_MAX; NUL-terminated */
	size_t head_len, head_cap;
	bool head_done;
	long code;
	int64_t content_length;        /* -1: not given, read to the end */
	struct http_body body;
};

static const struct check_url *url_conf(const struct http_plain *h)
{
	return h->hp->urls[h->url].conf;
}

/* 0, or -1 when out of memory. */
static int build_request(struct http_plain *h)
{
	const struct probe *p = &h->hp->p;
	const struct http_check *hc = http_conf_of(p);
	const struct check_url *u = url_conf(h);
	const char *vhost = http_virtualhost_of(p, u);
	char host[300], addr[INET6_ADDRSTRLEN + 16];

	if (vhost) {
		snprintf(host, sizeof(host), "%s", vhost);
	} else {
		uint16_t port = http_format_dst(p, false, addr, sizeof(addr));
		snprintf(host, sizeof(host), "%s:%u", addr, (unsigned)port);
	}
	int n = asprintf(&h->req,
			 "GET %s HTTP/1.%d\r\nHost: %s\r\nUser-Agent: KeepAliveClient\r\n%s\r\n",
			 u->path, hc->http_protocol == CHECK_HTTP_1_1 ? 1 : 0, host,
			 hc->http_protocol != CHECK_HTTP_1_0 ? "Connection: close\r\n" : "");
	if (n < 0) {
		h->req = NULL;
		return -1;
	}
	h->req_len = (size_t)n;
	h->req_sent = 0;
	return 0;
}

/* ---- the reply's head ----------------------------------------------------------- */

/* Parse the complete head (its first head_bytes bytes): false when it is
 * not an HTTP reply. */
static bool parse_head(struct http_plain *h, size_t head_bytes)
{
	struct http_head hd;
	if (!http_head_parse(h->head, head_bytes, &hd))
		return false;
	h->code = hd.code;
	h->content_length = hd.content_length;
	return true;
}

/* ---- one url ---------------------------------------------------------------------- */

static void url_begin(struct http_probe *hp, size_t url);

/* The reply of this url is complete (or ended by the peer): judge it,
 * and go on to the next url or report. */
static void reply_complete(struct http_plain *h)
{
	struct http_probe *hp = h->hp;
	struct probe_result r;
	bool ok = http_judge(&hp->urls[h->url], h->code, &h->body, &r);
	size_t next = h->url + 1;

	if (ok && next < hp->n_urls) {
		/* End this connection quietly, then the next url. */
		probe_attempt_cancel((struct probe_attempt **)(void *)&hp->plain);
		url_begin(hp, next);
		return;
	}
	probe_attempt_end(&h->a, &r);
}

/* The peer closed before Content-Length bytes came: keepalived logs the
 * mismatch and judges the reply as received; so do we. */
static void short_reply(struct http_plain *h)
{
	http_log_short_reply(h->hp, &h->hp->urls[h->url], h->content_length, h->body.bytes);
	reply_complete(h);
}

static void take_body(struct http_plain *h, const char *data, size_t n)
{
	if (h->content_length >= 0 && h->body.bytes + n > (uint64_t)h->content_length)
		n = (size_t)((uint64_t)h->content_length - h->body.bytes);
	http_body_feed(&h->body, &h->hp->urls[h->url], data, n);
}

static bool body_complete(const struct http_plain *h)
{
	return h->content_length >= 0 && h->body.bytes >= (uint64_t)h->content_length;
}

/* Append up to n bytes of data to the head buffer, growing it up to
 * HTTP_HEAD_MAX (a thousand checks in flight should not hold 64 KiB each
 * for the usual few hundred bytes); returns how many were taken, 0 when
 * out of memory. */
static size_t head_append(struct http_plain *h, const char *data, size_t n)
{
	size_t room = HTTP_HEAD_MAX - h->head_len;
	size_t take = n < room ? n : room;
	if (h->head_len + take + 1 > h->head_cap) {
		size_t cap = h->head_cap ? h->head_cap : 1024;
		while (cap < h->head_len + take + 1)
			cap *= 2;
		if (cap > HTTP_HEAD_MAX + 1)
			cap = HTTP_HEAD_MAX + 1;
		char *nh = realloc(h->head, cap);
		if (!nh)
			return 0;
		h->head = nh;
		h->head_cap = cap;
	}
	memcpy(h->head + h->head_len, data, take);
	h->head_len += take;
	h->head[h->head_len] = '\0';
	return take;
}

/* Bytes of the head came in; more may have come with them. */
static void take_head(struct http_plain *h, const char *data, size_t n)
{
	while (h->a.p && !h->head_done) {
		size_t take = head_append(h, data, n);
		if (n && !take && h->head_len < HTTP_HEAD_MAX) {
			probe_attempt_fail(&h->a, PROBE_SOCKET_ERROR, "out of memory");
			return;
		}
		data += take;
		n -= take;
		size_t head_bytes = http_head_end(h->head, h->head_len);
		if (!head_bytes) {
			if (h->head_len == HTTP_HEAD_MAX)
				probe_attempt_fail(&h->a, PROBE_BAD_STATUS, "reply head over %u bytes "
						   "on url(%s)", (unsigned)HTTP_HEAD_MAX,
						   url_conf(h)->path);
			else if (strncmp(h->head, "HTTP/", h->head_len < 5 ? h->head_len : 5))
				probe_attempt_fail(&h->a, PROBE_BAD_STATUS,
						   "not an HTTP reply on url(%s)", url_conf(h)->path);
			return;
		}
		if (!parse_head(h, head_bytes)) {
			probe_attempt_fail(&h->a, PROBE_BAD_STATUS, "not an HTTP reply on url(%s)",
					   url_conf(h)->path);
			return;
		}
		if (h->code < 200) {
			/* An interim reply ("100 Continue", "103 Early Hints"):
			 * the final one follows on the same connection. */
			memmove(h->head, h->head + head_bytes, h->head_len - head_bytes + 1);
			h->head_len -= head_bytes;
			continue;
		}
		h->head_done = true;
		/* What came after the head is body: the part copied into the
		 * head buffer, then the part that did not fit. */
		if (h->head_len > head_bytes)
			take_body(h, h->head + head_bytes, h->head_len - head_bytes);
		if (n)
			take_body(h, data, n);
	}
}

static void on_readable(struct http_plain *h)
{
	char buf[16384];
	for (int i = 0; i < 64 && h->a.p; i++) {
		ssize_t n = recv(h->a.fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0) {
			int err = errno;
			probe_attempt_fail(&h->a, probe_status_of_errno(err), "%s on url(%s)",
					   strerror(err), url_conf(h)->path);
			return;
		}
		if (n == 0) {
			if (!h->head_len)
				probe_attempt_fail(&h->a, PROBE_CLOSED, "no data received on url(%s)",
						   url_conf(h)->path);
			else if (!h->head_done)
				probe_attempt_fail(&h->a, PROBE_BAD_STATUS,
						   "not an HTTP reply on url(%s)", url_conf(h)->path);
			else if (h->content_length >= 0 && !body_complete(h))
				short_reply(h);
			else
				reply_complete(h);
			return;
		}
		if (!h->head_done)
			take_head(h, buf, (size_t)n);
		else
			take_body(h, buf, (size_t)n);
		if (h->a.p && h->head_done && body_complete(h)) {
			reply_complete(h);
			return;
		}
	}
}

static void send_request(struct http_plain *h)
{
	while (h->req_sent < h->req_len) {
		ssize_t n = send(h->a.fd, h->req + h->req_sent, h->req_len - h->req_sent,
				 MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;             /* still watching for writability */
		if (n < 0) {
			int err = errno;
			probe_attempt_fail(&h->a, probe_status_of_errno(err), "%s on url(%s)",
					   strerror(err), url_conf(h)->path);
			return;
		}
		h->req_sent += (size_t)n;
	}
	if (probe_attempt_watch(&h->a, UV_READABLE) < 0)
		probe_attempt_fail(&h->a, PROBE_SOCKET_ERROR, "cannot watch the socket");
}

static void on_io(struct probe_attempt *a, int status, int events)
{
	struct http_plain *h = (struct http_plain *)(void *)a;
	if (h->req_sent < h->req_len) {
		/* Connecting, or the request did not fit the socket buffer. */
		int err = h->req_sent ? 0 : probe_attempt_socket_error(a, status);
		if (err) {
			probe_attempt_fail(a, probe_status_of_errno(err), "%s", strerror(err));
			return;
		}
		if (events & UV_WRITABLE)
			send_request(h);
		return;
	}
	on_readable(h);
}

/* attempt.c frees the attempt once its handles are closed. */
static void on_free(struct probe_attempt *a)
{
	struct http_plain *h = (struct http_plain *)(void *)a;
	http_body_free(&h->body);
	free(h->req);
	free(h->head);
}

static void on_deadline(struct probe_attempt *a)
{
	struct http_plain *h = (struct http_plain *)(void *)a;
	probe_attempt_fail(a, PROBE_TIMEOUT, "no answer within %llu ms on url(%s)",
			   probe_timeout_ms(a->p), url_conf(h)->path);
}

/* Connect for url, with its own connect_timeout. */
static void url_begin(struct http_probe *hp, size_t url)
{
	struct probe *p = &hp->p;
	uint64_t ms = probe_timeout_ms(p);
	struct http_plain *h = probe_attempt_open_ms(p, (struct probe_attempt **)(void *)&hp->plain,
						     sizeof(*h), SOCK_STREAM, IPPROTO_TCP, on_io,
						     on_deadline, ms ? ms : 1);
	if (!h)
		return;
	h->a.on_free = on_free;
	h->hp = hp;
	h->url = url;
	h->a.reset_on_close = true;   /* as TCP_CHECK: no TIME_WAIT per check */
	if (build_request(h) < 0 || http_body_start(&h->body, &hp->urls[url]) < 0) {
		probe_attempt_fail(&h->a, PROBE_SOCKET_ERROR, "out of memory");
		return;
	}
	if (probe_attempt_watch(&h->a, UV_WRITABLE) < 0)
		probe_attempt_fail(&h->a, PROBE_SOCKET_ERROR, "cannot watch the socket");
}

void http_plain_start(struct http_probe *hp)
{
	url_begin(hp, 0);
}

void http_plain_cancel(struct http_probe *hp)
{
	probe_attempt_cancel((struct probe_attempt **)(void *)&hp->plain);
}
