/* procwatch.h - vrrp_track_process: how many processes match a
 * description, watched so that an exit counts at once.
 *
 * keepalived uses the kernel's process events connector, which only
 * reports in the initial network namespace (a director that runs
 * keepalived in a namespace gets no events). vigil watches each matching
 * process through a pidfd instead, which works in any namespace: the
 * exit of a tracked process wakes the loop at once and the counts are
 * taken again then. New processes are found by a scan of /proc, at start
 * and every PROCWATCH_SCAN_MS; a scan reads each process's comm (and its
 * command line only where a description needs it).
 *
 * Matching (keepalived's rules): the process name is comm (at most 15
 * characters, so a longer configured name matches its first 15), or
 * with full_command argv[0] as written; parameters given after the name
 * must be all of argv[1..] (param_match exact, the default), its first
 * ones (initial), or appear in it in order, next to each other
 * (partial). A description without parameters matches any.
 *
 * Ownership: the engine holds one procwatch; procwatch_stop() closes its
 * handles and frees it from the loop. */
#ifndef VIGIL_VRRP_PROCWATCH_H
#define VIGIL_VRRP_PROCWATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <uv.h>

#include "conf.h"

#define PROCWATCH_SCAN_MS 1000

struct procwatch;

/* counts[i] is the number of processes matching descs[i] now; called
 * after every scan that changed a count. */
typedef void (*procwatch_fn)(const size_t *counts, void *data);

/* Watch for descs[0..n) (pointers into a model the caller keeps alive
 * until procwatch_stop()); the first scan runs before this returns. NULL
 * when there is nothing to watch or no memory. */
struct procwatch *procwatch_start(uv_loop_t *loop, const struct track_process *const *descs,
				  size_t n, procwatch_fn changed, void *data);
/* The counts of the last scan (n entries). */
const size_t *procwatch_counts(const struct procwatch *w);
void procwatch_stop(struct procwatch *w);

/* ---- pure (unit tested) ---- */
/* Does a process with this comm and command line (argv, NUL-separated,
 * len bytes) match d? */
bool procwatch_match(const struct track_process *d, const char *comm, const char *cmdline,
		     size_t len);

#endif
