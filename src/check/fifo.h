/* fifo.h - the checker's lines on the notify FIFOs: lvs_notify_fifo, and
 * the global notify_fifo, which the VRRP worker writes too.
 *
 * keepalived's lines, one per event, on both FIFOs when both are set:
 *   VS [10.0.0.1]:tcp:80 UP          a virtual server gained its quorum
 *   VS [10.0.0.1]:tcp:80 DOWN        ... lost it
 *   RS [10.0.0.2]:tcp:80 [10.0.0.1]:tcp:80 UP    a real server came up
 *   RS [10.0.0.2]:tcp:80 [10.0.0.1]:tcp:80 DOWN  ... went down
 *
 * Who makes the global FIFO: the VRRP worker creates notify_fifo and
 * starts notify_fifo_script whenever it runs (every mode but -C); the
 * checker then opens the same FIFO to write its lines and starts no
 * reader. Under -C the checker is the only writer and does both. The
 * checker always owns lvs_notify_fifo and its lvs_notify_fifo_script.
 * How a FIFO is created, checked, opened and kept across a reload:
 * src/vrrp/notify_fifo.h, which this uses.
 *
 * Ownership: the set holds one reference on each FIFO object;
 * check_fifos_close() drops them. A reload opens the new set with the old
 * one as prev, so a FIFO the new configuration names again, with the same
 * reader, is shared (not re-created, its reader undisturbed), and then
 * closes the old set. */
#ifndef VIGIL_CHECK_FIFO_H
#define VIGIL_CHECK_FIFO_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "conf.h"

struct notify_fifo;

struct check_fifos {
	struct notify_fifo *f[2];   /* notify_fifo, lvs_notify_fifo; NULL: none */
	uint64_t lines, dropped;
};

/* Open the FIFOs cfg names into cf (zeroed by the caller). own_global:
 * this process creates notify_fifo and starts its reader (-C). prev may
 * be NULL. Never fails: what cannot be opened is logged and skipped. */
void check_fifos_open(struct check_fifos *cf, uv_loop_t *loop, const struct config *cfg,
		      bool own_global, const struct check_fifos *prev);
void check_fifos_close(struct check_fifos *cf);

/* One event; vs and rs are keepalived's FMT_VS / FMT_RS strings. */
void check_fifos_vs(struct check_fifos *cf, const char *vs, bool up);
void check_fifos_rs(struct check_fifos *cf, const char *rs, const char *vs, bool up);

#endif
