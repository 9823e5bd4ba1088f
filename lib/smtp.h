/* smtp.h - email alerts that never block the event loop.
 *
 * One client per daemon process (the VRRP worker, the checker) sends
 * plain-text alerts to the configured smtp_server: EHLO (HELO when the
 * server refuses it), MAIL FROM, one RCPT TO per recipient, DATA with
 * dot-stuffing, QUIT. Everything runs on the caller's libuv loop: a
 * uv_tcp_t per alert, uv_getaddrinfo() (libuv's thread pool) when the
 * server is a name, one uv_timer_t per alert for the deadlines.
 *
 * Why not libcurl: its SMTP code waits in blocking mode inside
 * curl_multi_perform()/curl_multi_socket_action() for the reply to the
 * final "." and for the reply to QUIT (smtp_done() and smtp_disconnect()
 * call smtp_block_statemach(); curl issues #4015 and #8555, still so in
 * 7.88). A server that takes 2 s to accept a message would stall the
 * VRRP loop for 2 s. The dialogue an alert needs is a dozen lines, so
 * vigil speaks it itself.
 *
 * Timeouts follow keepalived's smtp_connect_timeout, which bounds the TCP
 * connect and every single wait for a server reply; total_timeout_us caps
 * the whole exchange so a server that trickles never holds an alert (and
 * its memory) for long.
 *
 * Every alert ends in exactly one log line: "SMTP alert to HOST:PORT sent:
 * SUBJECT" (LOG_INFO) or "SMTP alert to HOST:PORT failed (REASON): DETAIL;
 * subject: SUBJECT" (LOG_WARNING), e.g. "failed (timed out): no reply to
 * the greeting within 30 s". Nothing here knows about VRRP or checkers:
 * callers build the subject and body.
 *
 * Not thread-safe: a client and its callbacks belong to one loop thread.
 */
#ifndef VIGIL_SMTP_H
#define VIGIL_SMTP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <uv.h>

struct smtp_opts {
	const char *host;             /* smtp_server HOST: an address or a name
				       * ("[::1]" and "::1" both work) */
	uint16_t port;                /* 0: 25 */
	const char *helo_name;        /* NULL: the host name (uname nodename) */
	uint64_t connect_timeout_us;  /* 0: 30 s (keepalived's default); bounds
				       * the connect and each wait for a reply */
	uint64_t total_timeout_us;    /* 0: 120 s; the whole exchange */
	unsigned max_in_flight;       /* 0: 32; more concurrent alerts are
				       * dropped (logged), so a flapping
				       * object cannot pile up connections */
};

/* One alert. Everything is copied by smtp_send(): nothing needs to
 * outlive the call. CR and LF in from, to and subject become spaces (no
 * header or command injection); the body's line ends are sent as CRLF. */
struct smtp_msg {
	const char *from;             /* envelope sender and From: header */
	const char *const *to;        /* NULL-terminated, at least one */
	const char *subject;
	const char *body;
};

enum smtp_result {
	SMTP_SENT,              /* the server took the message (2xx after the ".") */
	SMTP_RESOLVE_FAILED,    /* the host name did not resolve */
	SMTP_CONNECT_FAILED,    /* refused, unreachable */
	SMTP_TIMEOUT,           /* connect or a reply took too long */
	SMTP_REJECTED,          /* the server answered 4xx/5xx (the log says to what) */
	SMTP_PROTOCOL_ERROR,    /* the connection broke or a reply made no sense */
	SMTP_DROPPED,           /* never tried: max_in_flight reached, bad message */
	SMTP_CANCELLED,         /* smtp_client_free() while in flight */
};

/* "sent", "resolve failed", "connect failed", "timed out", "rejected",
 * "protocol error", "dropped", "cancelled". */
const char *smtp_result_str(enum smtp_result r);

struct smtp_client;

/* Called exactly once per smtp_send(): from the loop (never from inside
 * smtp_send()), once the alert holds no handle any more; or from inside
 * smtp_client_free() before it returns (and never after), with
 * SMTP_CANCELLED - or the result already known (SMTP_SENT when only the
 * QUIT exchange was left, SMTP_DROPPED). A recipient refused while
 * others were accepted still gives SMTP_SENT (the refusal is logged). */
typedef void (*smtp_done_cb)(enum smtp_result r, void *data);

/* opts is copied. Never fails (aborts on out-of-memory like every vigil
 * allocation); a bad host shows up as a failed send. */
struct smtp_client *smtp_client_new(uv_loop_t *loop, const struct smtp_opts *opts);

/* Queue one alert; returns at once. cb may be NULL. */
void smtp_send(struct smtp_client *c, const struct smtp_msg *msg, smtp_done_cb cb, void *data);

/* Alerts being sent now (started, not yet finished). */
unsigned smtp_in_flight(const struct smtp_client *c);

/* Abandon what is in flight (each callback runs now, see above; no QUIT
 * is sent) and close. The client must not be used
 * afterwards; its memory is released once libuv has closed its handles,
 * so the loop must run on (uv_run until it returns) before
 * uv_loop_close(). */
void smtp_client_free(struct smtp_client *c);

/* The text sent after DATA, before dot-stuffing, as one malloc'd string
 * (free() it):
 *   Date: <RFC 5322 date of now, local time>
 *   From: <from>
 *   Subject: <subject>
 *   X-Mailer: vigil
 *   To: <to[0]>, <to[1]>, ...
 *   (empty line)
 *   <body>
 * with CRLF line ends and the header values cleaned as described above.
 * keepalived sends the same headers in the same order (with "X-Mailer:
 * Keepalived"). Pure: for tests. */
char *smtp_format_message(const struct smtp_msg *msg, time_t now);

#endif
