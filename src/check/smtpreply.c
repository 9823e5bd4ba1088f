/* smtpreply.c - see smtpreply.h. */
#include "smtpreply.h"

#include <string.h>

const char *smtp_reply_status_str(enum smtp_reply_status s)
{
	switch (s) {
	case SMTP_REPLY_COMPLETE: return "complete";
	case SMTP_REPLY_NEED_MORE: return "need more";
	case SMTP_REPLY_MALFORMED: return "malformed";
	}
	return "unknown";
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Check what there is of the line at buf[0..n) (n may stop before its
 * end): its code and separator. Returns the offset of a bad byte, or
 * -1 when the line is fine so far. */
static long check_line_start(const char *l, size_t n, int want_code)
{
	size_t i;
	for (i = 0; i < 3 && i < n; i++)
		if (!is_digit(l[i]))
			return (long)i;
	if (n >= 3 && want_code >= 0 &&
	    (l[0] - '0') * 100 + (l[1] - '0') * 10 + (l[2] - '0') != want_code)
		return 0;      /* a continuation must carry the same code */
	if (n > 3 && l[3] != ' ' && l[3] != '-' && l[3] != '\r' && l[3] != '\n')
		return 3;
	return -1;
}

enum smtp_reply_status smtp_reply_parse(const char *buf, size_t len, struct smtp_reply *out)
{
	size_t pos = 0;
	int code = -1;

	memset(out, 0, sizeof(*out));
	for (;;) {
		const char *l = buf + pos;
		size_t rest = len - pos;
		const char *nl = memchr(l, '\n', rest);
		size_t n = nl ? (size_t)(nl - l) + 1 : rest;
		long bad = check_line_start(l, n, code);

		if (bad >= 0) {
			out->bad_at = pos + (size_t)bad;
			return SMTP_REPLY_MALFORMED;
		}
		if (!nl)
			return SMTP_REPLY_NEED_MORE;
		if (n < 4) {            /* "25\n": the line ended inside the code */
			out->bad_at = pos + n - 1;
			return SMTP_REPLY_MALFORMED;
		}
		code = (l[0] - '0') * 100 + (l[1] - '0') * 10 + (l[2] - '0');
		if (l[3] != '-') {
			size_t end = n - 1;                  /* the LF */
			if (end > 3 && l[end - 1] == '\r')
				end--;
			out->code = code;
			out->len = pos + n;
			out->text = pos + (l[3] == ' ' ? 4 : 3);
			out->text_len = end > out->text - pos ? end - (out->text - pos) : 0;
			return SMTP_REPLY_COMPLETE;
		}
		pos += n;
	}
}
