/* json.h - the little JSON the status files need. */
#ifndef VIGIL_JSON_H
#define VIGIL_JSON_H

#include <stdio.h>

/* s as a JSON string, quoted and escaped (NULL: ""). */
void json_str(FILE *f, const char *s);
/* Write what fn prints to path atomically (a temporary file beside it,
 * then rename), so a reader never sees half a document. The temporary
 * file has a random name (mkstemp) and the result is mode 0644 whatever
 * was at path: a symbolic link planted at path or at a guessable
 * temporary name is replaced, never written through. 0 or -errno. */
int json_write_atomic(const char *path, void (*fn)(const void *data, FILE *f), const void *data);
/* "/run/vigild.pid" + ".vrrp.json" -> "/run/vigild.vrrp.json" into buf. */
char *json_status_path(const char *pidfile, const char *suffix, char *buf, size_t len);

#endif
