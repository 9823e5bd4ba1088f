/* fuzz_smtp_reply.c - libFuzzer target for the two readers of an SMTP
 * server's reply: SMTP_CHECK's smtp_reply_parse() (src/check/smtpreply.c)
 * and the alert client's smtp_reply_line() (lib/smtpline.c). Any bytes a
 * server sends must give a result, never a crash, a read out of bounds
 * (the input is an exact-size buffer, so ASan sees any byte read past it)
 * or undefined behaviour. Also, as the checker reads a reply as it
 * arrives:
 *   - COMPLETE: len within the input and ending in LF, the code that of
 *     its first line's digits, the text within the reply; every prefix
 *     shorter than len NEED_MORE, every longer one COMPLETE the same way;
 *   - MALFORMED: bad_at within the input; the bytes before it are
 *     NEED_MORE, and with three more (a code that differs from the
 *     reply's is reported at its first digit) MALFORMED at the same byte;
 *   - NEED_MORE: no line of the input is a final reply line;
 *   - each line of a COMPLETE reply, as the alert client reads it (line
 *     end removed), has the same code and says "more" on all but the last
 *     (where the two readers differ on what they accept, only the
 *     checker's own invariants apply).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/smtpreply.h"
#include "smtpline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_smtp_reply: %s\n", what);
	abort();
}

/* Parse the first n bytes in a buffer of exactly n bytes. */
static enum smtp_reply_status parse_prefix(const char *b, size_t n, struct smtp_reply *r)
{
	char *copy = malloc(n ? n : 1);
	if (!copy)
		abort();
	memcpy(copy, b, n);
	enum smtp_reply_status s = smtp_reply_parse(copy, n, r);
	free(copy);
	return s;
}

static void check_lines(const char *b, const struct smtp_reply *r)
{
	size_t pos = 0;
	while (pos < r->len) {
		const char *nl = memchr(b + pos, '\n', r->len - pos);
		if (!nl)
			fail("a complete reply's line without its LF");
		size_t n = (size_t)(nl - (b + pos));
		bool last = (size_t)(nl - b) + 1 == r->len;
		if (n && b[pos + n - 1] == '\r')
			n--;
		bool more;
		int code = smtp_reply_line(b + pos, n, &more);
		if (code >= 0 && (code != r->code || more == last))
			fail("the alert client reads a line of the reply otherwise");
		if (code < 0 && n > 3 && (b[pos + 3] == ' ' || b[pos + 3] == '-'))
			fail("the alert client refuses a well-formed reply line");
		pos = (size_t)(nl - b) + 1;
	}
}

static void check_parse(const char *b, size_t size)
{
	struct smtp_reply r, p;
	enum smtp_reply_status s = smtp_reply_parse(b, size, &r);
	(void)smtp_reply_status_str(s);
	switch (s) {
	case SMTP_REPLY_COMPLETE:
		if (!r.len || r.len > size || b[r.len - 1] != '\n')
			fail("complete reply's length wrong");
		if (r.code != (b[0] - '0') * 100 + (b[1] - '0') * 10 + (b[2] - '0'))
			fail("code is not the first line's");
		if (r.text > r.len || r.text_len > r.len - r.text)
			fail("text outside the reply");
		if (parse_prefix(b, r.len - 1, &p) != SMTP_REPLY_NEED_MORE)
			fail("a prefix of a complete reply is not NEED_MORE");
		if (parse_prefix(b, r.len, &p) != SMTP_REPLY_COMPLETE || p.len != r.len ||
		    p.code != r.code || p.text != r.text || p.text_len != r.text_len)
			fail("the reply alone reads otherwise");
		check_lines(b, &r);
		break;
	case SMTP_REPLY_MALFORMED:
		if (r.bad_at >= size)
			fail("bad_at past the input");
		if (parse_prefix(b, r.bad_at, &p) != SMTP_REPLY_NEED_MORE)
			fail("the bytes before the bad one are not NEED_MORE");
		size_t through = r.bad_at + 3 < size ? r.bad_at + 3 : size;
		if (parse_prefix(b, through, &p) != SMTP_REPLY_MALFORMED || p.bad_at != r.bad_at)
			fail("the bytes through the bad one are not MALFORMED there");
		break;
	case SMTP_REPLY_NEED_MORE:
		if (size && parse_prefix(b, size / 2, &p) != SMTP_REPLY_NEED_MORE)
			fail("a prefix of an incomplete reply is not NEED_MORE");
		break;
	}
}

/* The alert client on each line of the input, whatever the checker says. */
static void check_client_lines(const char *b, size_t size)
{
	size_t pos = 0;
	while (pos < size) {
		const char *nl = memchr(b + pos, '\n', size - pos);
		size_t n = nl ? (size_t)(nl - (b + pos)) : size - pos;
		char *line = malloc(n ? n : 1);
		if (!line)
			abort();
		memcpy(line, b + pos, n);
		bool more;
		int code = smtp_reply_line(line, n, &more);
		if (code > 999 || code < -1 || (code == -1 && more))
			fail("alert client's line result out of range");
		free(line);
		pos += n + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *b = (const char *)data;
	check_parse(b, size);
	check_client_lines(b, size);
	return 0;
}
