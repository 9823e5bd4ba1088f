/* smtpreply.h - an SMTP reply, from the bytes a server sent (RFC 5321
 * 4.2). Pure: no I/O, no allocation, no globals; fuzzable.
 *
 * A reply is one or more lines. Every line starts with the same
 * three-digit code; all but the last continue it with '-' ("250-SIZE"),
 * the last has a space, or nothing, before its end ("250 OK", "250").
 * Lines end in CRLF; a bare LF is accepted too, as servers send it. */
#ifndef VIGIL_CHECK_SMTPREPLY_H
#define VIGIL_CHECK_SMTPREPLY_H

#include <stddef.h>

enum smtp_reply_status {
	SMTP_REPLY_COMPLETE,   /* *out holds a whole reply */
	SMTP_REPLY_NEED_MORE,  /* well-formed so far, the last line has not ended */
	SMTP_REPLY_MALFORMED,  /* not an SMTP reply (out->bad_at says where) */
};

struct smtp_reply {
	int code;              /* 0..999: the reply code */
	size_t len;            /* bytes of buf the reply takes, its last line end included */
	size_t text;           /* offset and length of the last line's text, after the */
	size_t text_len;       /* code and separator and without the line end: for logs */
	size_t bad_at;         /* MALFORMED: offset of the offending byte */
};

/* Read the reply at the start of buf[0..len). Bytes after the reply are
 * left alone (out->len says where it ends). */
enum smtp_reply_status smtp_reply_parse(const char *buf, size_t len, struct smtp_reply *out);

/* "complete", "need more", "malformed" */
const char *smtp_reply_status_str(enum smtp_reply_status s);

#endif
