/* fuzz_http_head.c - libFuzzer target for httphead.c, HTTP_GET's reading
 * of a reply head: any bytes a server sends must give a result, never a
 * crash, a read out of bounds (libFuzzer's input is an exact-size
 * buffer, so ASan sees any byte read past it) or undefined behaviour.
 * Also:
 *   - http_head_end() is within the input and ends on a blank line, the
 *     first one: every shorter prefix is incomplete, every longer one
 *     ends at the same place (the reader calls it as bytes arrive);
 *   - a parsed head has a code 100..999 and a length of -1 or more, and
 *     the same verdict whatever follows the head (the bytes of the body
 *     that came with it are not read);
 *   - the input as a whole parses the same way as a copy of it does
 *     (no hidden state).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/httphead.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_http_head: %s\n", what);
	abort();
}

static void check_end(const char *b, size_t size)
{
	size_t end = http_head_end(b, size);
	if (end > size)
		fail("head end past the input");
	if (!end)
		return;
	if (end < 2 || b[end - 1] != '\n' ||
	    !(b[end - 2] == '\n' || (end >= 3 && b[end - 2] == '\r' && b[end - 3] == '\n')))
		fail("head does not end on a blank line");
	if (http_head_end(b, end - 1) != 0)
		fail("a shorter prefix is complete too");
	if (http_head_end(b, end) != end)
		fail("the head alone ends elsewhere");
}

static void check_parse(const char *b, size_t size)
{
	struct http_head h, h2;
	bool ok = http_head_parse(b, size, &h);
	if (ok && (h.code < 100 || h.code > 999 || h.content_length < -1))
		fail("parsed values out of range");
	size_t end = http_head_end(b, size);
	if (end) {
		/* the head alone, in a buffer of its own size */
		char *head = malloc(end);
		if (!head)
			return;
		memcpy(head, b, end);
		bool ok2 = http_head_parse(head, end, &h2);
		free(head);
		/* the bytes after the blank line may only add a field the
		 * head did not have: same status line, same verdict */
		if (ok2 != ok)
			fail("the verdict depends on bytes after the head");
		if (ok && h.code != h2.code)
			fail("the code depends on bytes after the head");
		if (ok && h2.content_length != -1 && h2.content_length != h.content_length)
			fail("a length in the head changed by bytes after it");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *b = (const char *)data;
	check_end(b, size);
	check_parse(b, size);
	return 0;
}
