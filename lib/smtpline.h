/* smtpline.h - one line of an SMTP server's reply (RFC 5321 4.2), as the
 * alert client (smtp.c) reads it. Pure: no I/O, no allocation, no
 * globals; fuzzed by test/fuzz/fuzz_smtp_reply.c beside SMTP_CHECK's
 * reader (src/check/smtpreply.c), which reads a whole reply at once. */
#ifndef VIGIL_SMTPLINE_H
#define VIGIL_SMTPLINE_H

#include <stdbool.h>
#include <stddef.h>

/* One line of a reply, its line end removed: returns its code (0..999)
 * and sets *more when the reply goes on ("250-SIZE"), or returns -1 when
 * the line is not a reply line (fewer than three digits, or after them
 * something else than a space, a '-' or the line's end). */
int smtp_reply_line(const char *line, size_t len, bool *more);

#endif
