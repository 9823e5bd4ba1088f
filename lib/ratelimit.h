/* ratelimit.h - two small rate limiters, pure (the caller passes the
 * time; no clock, no allocation, no I/O), for paths that any input can
 * drive at line rate.
 *
 * struct ratelimit: for log lines, as the kernel's printk_ratelimit: at
 * most `burst` reports per window of interval_ms, the window opening at
 * the first event after the previous one closed. Events beyond the burst
 * are only counted, and the first report of the next window says how
 * many were not reported. A flood of N events in T ms thus costs about
 * burst * T / interval_ms lines, however large N is.
 *
 * struct tokenbucket: for transmissions. It earns `rate` tokens per
 * `period_us`, holds at most `rate`, and each take spends one. A taker
 * may ask to leave `reserve` tokens in the bucket, so that optional sends
 * (replies) can never starve the scheduled ones that share it.
 */
#ifndef VIGIL_RATELIMIT_H
#define VIGIL_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct ratelimit {
	uint64_t interval_ms;   /* window length */
	unsigned burst;         /* reports per window (0 is taken as 1) */
	uint64_t start_ms;      /* when the current window opened */
	unsigned reports;       /* made in the current window */
	uint64_t suppressed;    /* events counted, not reported, since the last report */
	bool open;              /* false until the first event */
};

/* A limiter allowing burst reports per interval_ms. A zeroed struct is
 * valid too: it reports every event until initialised. */
void ratelimit_init(struct ratelimit *r, uint64_t interval_ms, unsigned burst);
/* One event at now_ms: true when the caller should report it now, with
 * *suppressed (may be NULL) set to the number of events since the last
 * report that were not reported (non-zero only on a window's first
 * report); false when it was only counted. */
bool ratelimit_event(struct ratelimit *r, uint64_t now_ms, uint64_t *suppressed);

struct tokenbucket {
	uint64_t period_us;     /* rate tokens are earned per period */
	uint64_t rate;
	uint64_t credit;        /* in token * period_us / rate units */
	uint64_t last_us;
};

/* A full bucket of rate tokens per period_us (both > 0), at now_us. */
void tokenbucket_init(struct tokenbucket *b, uint64_t rate, uint64_t period_us,
		      uint64_t now_us);
/* Spend one token at now_us if at least reserve + 1 are there: true, or
 * false (nothing spent). now_us may not go backwards. */
bool tokenbucket_take(struct tokenbucket *b, uint64_t now_us, uint64_t reserve);
/* Whole tokens in the bucket at now_us (for tests and status). */
uint64_t tokenbucket_level(struct tokenbucket *b, uint64_t now_us);

#endif
