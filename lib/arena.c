/* arena.c - bump allocator; see arena.h for the why. */
#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_MIN (64 * 1024)

struct arena_chunk {
	struct arena_chunk *prev;
	size_t size;   /* usable bytes in data[] */
	size_t off;    /* next free byte */
	alignas(max_align_t) unsigned char data[];
};

static void out_of_memory(size_t size)
{
	fprintf(stderr, "vigil: out of memory allocating %zu bytes\n", size);
	abort();
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		out_of_memory(size);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		out_of_memory(n * size);
	return p;
}

void *xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);
	if (!q)
		out_of_memory(size);
	return q;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->used = 0;
}

static struct arena_chunk *chunk_new(struct arena_chunk *prev, size_t need)
{
	size_t size = need > CHUNK_MIN ? need : CHUNK_MIN;
	struct arena_chunk *c = xmalloc(sizeof(*c) + size);
	c->prev = prev;
	c->size = size;
	c->off = 0;
	return c;
}

void *arena_zalloc(struct arena *a, size_t size)
{
	const size_t align = alignof(max_align_t);
	size_t need = (size + align - 1) & ~(align - 1);
	struct arena_chunk *c = a->head;

	if (!c || c->size - c->off < need) {
		/* A huge request gets a chunk of its own and does not waste
		 * the free space left in the current one. */
		if (c && need > CHUNK_MIN / 4) {
			struct arena_chunk *big = chunk_new(c->prev, need);
			c->prev = big;
			a->used += need;
			return memset(big->data, 0, size);
		}
		c = a->head = chunk_new(c, need);
	}
	void *p = c->data + c->off;
	c->off += need;
	a->used += need;
	return memset(p, 0, size);
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
	char *p = arena_zalloc(a, len + 1);
	memcpy(p, s, len);
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

void arena_free(struct arena *a)
{
	struct arena_chunk *c = a->head;
	while (c) {
		struct arena_chunk *prev = c->prev;
		free(c);
		c = prev;
	}
	a->head = NULL;
	a->used = 0;
}
