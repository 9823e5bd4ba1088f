/* arena.h - bump allocator for data that lives and dies together.
 *
 * The configuration model is built once, read many times and freed as a
 * whole, so every object and string of one model comes from one arena:
 * allocation is a pointer bump, freeing is one call, and a parse that
 * fails half way leaks nothing.
 */
#ifndef VIGIL_ARENA_H
#define VIGIL_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;   /* chunk being filled */
	size_t used;                /* bytes handed out, for statistics */
};

void arena_init(struct arena *a);
/* Zeroed memory aligned for any object; aborts on out-of-memory like
 * every allocation in vigil (there is no sensible way to continue). */
void *arena_zalloc(struct arena *a, size_t size);
/* Copy of s[0..len) with a NUL after it. */
char *arena_strndup(struct arena *a, const char *s, size_t len);
char *arena_strdup(struct arena *a, const char *s);
void arena_free(struct arena *a);

/* xmalloc & co: abort with a message instead of returning NULL. */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);

#endif
