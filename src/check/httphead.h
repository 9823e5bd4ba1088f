/* httphead.h - the head of an HTTP reply (status line and header fields,
 * RFC 9112 4 and 5), as HTTP_GET's plain transport reads it: from the
 * bytes a server sent. Pure: no I/O, no allocation, no globals; fuzzed
 * by test/fuzz/fuzz_http_head.c.
 *
 * Lines end with CRLF or a bare LF (servers send both); the head ends at
 * its first empty line. Of the fields only Content-Length matters: the
 * body is read up to it, else to the connection's end.
 */
#ifndef VIGIL_CHECK_HTTPHEAD_H
#define VIGIL_CHECK_HTTPHEAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The length of the head at the start of buf[0..len) (through its blank
 * line: LF LF, or LF CR LF), 0 while it is not complete. */
size_t http_head_end(const char *buf, size_t len);

struct http_head {
	long code;                 /* 100..999 */
	int64_t content_length;    /* -1: not given (or not a number) */
};

/*
 * Read the head buf[0..len) (as delimited by http_head_end(); it need not
 * be NUL-terminated, and a NUL in it is an ordinary byte). The status
 * line must start "HTTP/D.D C" - one digit each for the version, a space
 * or tab, a three-digit status code 100..999 - and the code must be
 * followed by a space, a tab, the line's end or the head's end. The
 * first Content-Length field (name case-insensitive, at a line's start)
 * gives the body's length: optional spaces and tabs, an optional '+',
 * digits; anything else, or a number over INT64_MAX, counts as not
 * given. False when the status line is not an HTTP reply's; *out is then
 * unspecified.
 */
bool http_head_parse(const char *buf, size_t len, struct http_head *out);

#endif
