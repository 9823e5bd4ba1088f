/* httphead.c - see httphead.h. */
#include "httphead.h"

#include <string.h>

size_t http_head_end(const char *buf, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (buf[i + 1] == '\n')
			return i + 2;
		if (buf[i + 1] == '\r' && i + 2 < len && buf[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* "HTTP/1.1 200 OK": 12 bytes of fixed shape, then a separator. */
static bool status_line(const char *b, size_t len, long *code)
{
	if (len < 12 || memcmp(b, "HTTP/", 5) != 0 || !is_digit(b[5]) || b[6] != '.' ||
	    !is_digit(b[7]) || (b[8] != ' ' && b[8] != '\t') ||
	    !is_digit(b[9]) || !is_digit(b[10]) || !is_digit(b[11]))
		return false;
	if (len > 12 && b[12] != ' ' && b[12] != '\t' && b[12] != '\r' && b[12] != '\n')
		return false;
	*code = (b[9] - '0') * 100 + (b[10] - '0') * 10 + (b[11] - '0');
	return *code >= 100;
}

/* The value of field name (lower case) on the line at b[0..len), or
 * NULL; *vlen is what remains of the line after the colon. */
static const char *field(const char *b, size_t len, const char *name, size_t *vlen)
{
	size_t n = strlen(name);
	if (len <= n || b[n] != ':')
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (lower(b[i]) != name[i])
			return NULL;
	*vlen = len - n - 1;
	return b + n + 1;
}

static int64_t length_value(const char *v, size_t n)
{
	size_t i = 0;
	int64_t x = 0;
	while (i < n && (v[i] == ' ' || v[i] == '\t'))
		i++;
	if (i < n && v[i] == '+')
		i++;
	if (i == n || !is_digit(v[i]))
		return -1;
	for (; i < n && is_digit(v[i]); i++) {
		int d = v[i] - '0';
		if (x > (INT64_MAX - d) / 10)
			return -1;
		x = x * 10 + d;
	}
	return x;
}

bool http_head_parse(const char *buf, size_t len, struct http_head *out)
{
	out->content_length = -1;
	if (!status_line(buf, len, &out->code))
		return false;
	/* The fields: every line after the status line. */
	const char *nl = memchr(buf, '\n', len);
	while (nl) {
		const char *l = nl + 1;
		size_t rest = len - (size_t)(l - buf);
		nl = memchr(l, '\n', rest);
		size_t llen = nl ? (size_t)(nl - l) : rest;
		size_t vlen;
		const char *v = field(l, llen, "content-length", &vlen);
		if (v) {
			out->content_length = length_value(v, vlen);
			break;
		}
	}
	return true;
}
