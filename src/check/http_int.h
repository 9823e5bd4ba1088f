/* http_int.h - what HTTP_GET/SSL_GET's two transports share (inside
 * src/check only).
 *
 * http.c holds the probe (its urls, compiled regexes), the judging in
 * keepalived's order (status, digest, regex) and the libcurl transport,
 * which SSL_GET uses; http_plain.c is the transport of plain HTTP_GET:
 * one request and its reply on a socket attempt (attempt.c), as cheap as
 * a TCP_CHECK plus the bytes. See http_plain.c for why it is not libcurl.
 */
#ifndef VIGIL_CHECK_HTTP_INT_H
#define VIGIL_CHECK_HTTP_INT_H

#include <regex.h>
#include <stdbool.h>
#include <stdint.h>

#include "md5.h"
#include "probe.h"

/* The part of a body the regex sees (from regex_min_offset on). */
#define HTTP_REGEX_WINDOW (64 * 1024)

/* The longest reply head (status line and headers, through the blank
 * line) HTTP_GET, SSL_GET and vigil-genhash accept: keepalived reads 4 KiB,
 * which a long Content-Security-Policy header alone can pass; libcurl
 * allows far more. One limit for all three, so genhash never prints a
 * digest for a page the checker cannot pass. genhash.c keeps a copy
 * (GENHASH_HEAD_MAX): keep them equal. */
#define HTTP_HEAD_MAX (64 * 1024)

struct http_url {
	const struct check_url *conf;
	regex_t re;
	bool has_re;
	/* Content-Length minus the bytes received when the last reply on this
	 * url was cut short (0: none), so each new mismatch is logged once. */
	int64_t len_mismatch;
};

struct http_attempt;      /* http.c: a libcurl transfer */
struct http_plain;        /* http_plain.c: a socket attempt */

struct http_probe {
	struct probe p;
	bool tls;
	size_t n_urls;
	struct http_url *urls;
	struct http_attempt *a;        /* running libcurl attempt, NULL when idle */
	struct http_plain *plain;      /* running plain attempt, NULL when idle */
};

/* What the judge needs of a body, gathered as it streams in. */
struct http_body {
	struct md5_ctx md5;
	uint64_t bytes;
	char *window;                  /* HTTP_REGEX_WINDOW + 1, or NULL */
	size_t window_len;
};

const struct http_check *http_conf_of(const struct probe *p);
/* The Host: name: url, checker, real server, virtual server; NULL: none. */
const char *http_virtualhost_of(const struct probe *p, const struct check_url *u);
/* "192.0.2.1" or "[2001:db8::1]" (url: with "%25<scope>"); returns the port. */
uint16_t http_format_dst(const struct probe *p, bool url, char *buf, size_t len);

/* A fresh body for url hu (the regex window allocated if it needs one):
 * 0, or -1 when out of memory. */
int http_body_start(struct http_body *b, const struct http_url *hu);
void http_body_feed(struct http_body *b, const struct http_url *hu, const char *data, size_t n);
void http_body_free(struct http_body *b);
/* keepalived's verdict on a complete reply: status, then digest, then
 * regex. True when the url passed; else r says why. */
bool http_judge(const struct http_url *hu, long code, struct http_body *b,
		struct probe_result *r);

/* A reply on url hu ended (the peer closed) after got of its length
 * Content-Length bytes: keepalived's line "http_check for RS ... VS ...
 * url ...: content_length (N) does not match received bytes (M)", logged
 * once for each new difference on that url. */
void http_log_short_reply(const struct http_probe *hp, struct http_url *hu, int64_t length,
			  uint64_t got);

/* http_plain.c: start an attempt of hp (plain HTTP, all its urls in
 * turn); cancel it. */
void http_plain_start(struct http_probe *hp);
void http_plain_cancel(struct http_probe *hp);

#endif
