/* state.h - keepalived's rule for when a checker changes its mind.
 *
 * A checker is FRESH until its first verdict, then UP or DOWN. Each
 * attempt's result is an event:
 *   OK           the attempt succeeded;
 *   FAIL_RETRY   it failed and retries are left (retry_it < retry);
 *   FAIL_FINAL   it failed with no retry left.
 * The table below gives, per (state, event), the next state, whether that
 * is a change to report, and when the next attempt runs:
 *
 *   state \ event | OK                   | FAIL_RETRY           | FAIL_FINAL
 *   FRESH         | UP, report, loop     | FRESH, retry         | DOWN, report, loop
 *   UP            | UP, loop             | UP, retry            | DOWN, report, loop
 *   DOWN          | UP, report, loop     | DOWN, retry          | DOWN, loop
 *
 * "loop" waits delay_loop and resets the retry count; "retry" waits
 * delay_before_retry and counts one retry. A FRESH checker reports its
 * first verdict even when it matches the state it started in (alpha or
 * not), as keepalived logs its first "success"/"failed" line. So with
 * retry R a server that stops answering is reported DOWN at the (R+1)th
 * failed attempt in a row, and one success brings it back.
 */
#ifndef VIGIL_CHECK_STATE_H
#define VIGIL_CHECK_STATE_H

#include <stdbool.h>
#include <stdint.h>

enum check_state { CHECK_STATE_FRESH, CHECK_STATE_UP, CHECK_STATE_DOWN };
enum check_event { CHECK_EV_OK, CHECK_EV_FAIL_RETRY, CHECK_EV_FAIL_FINAL };
enum check_wait { CHECK_WAIT_LOOP, CHECK_WAIT_RETRY };

struct check_progress {
	uint8_t state;        /* enum check_state */
	uint32_t retry_it;    /* failed attempts counted as retries so far */
};

struct check_step {
	uint8_t next;         /* enum check_state */
	bool report;          /* a verdict to log and pass on */
	uint8_t wait;         /* enum check_wait */
};

/* The table's cell. Pure. */
struct check_step check_state_cell(enum check_state s, enum check_event ev);

/* Apply one attempt's result to p with retry allowed retries; returns the
 * cell that was applied (p->state is its next, p->retry_it updated). */
struct check_step check_state_apply(struct check_progress *p, bool ok, uint32_t retry);

const char *check_state_str(enum check_state s);   /* "fresh", "up", "down" */

#endif
