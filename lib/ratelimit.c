/* ratelimit.c - log and transmit rate limiters; see ratelimit.h. */
#include "ratelimit.h"

void ratelimit_init(struct ratelimit *r, uint64_t interval_ms, unsigned burst)
{
	r->interval_ms = interval_ms;
	r->burst = burst ? burst : 1;
	r->start_ms = 0;
	r->reports = 0;
	r->suppressed = 0;
	r->open = false;
}

bool ratelimit_event(struct ratelimit *r, uint64_t now_ms, uint64_t *suppressed)
{
	unsigned burst = r->burst ? r->burst : 1;
	/* A clock that went backwards (a test, a fresh loop) opens a new
	 * window rather than suppressing until it catches up. */
	if (!r->open || now_ms < r->start_ms || now_ms - r->start_ms >= r->interval_ms) {
		r->open = true;
		r->start_ms = now_ms;
		r->reports = 0;
	}
	if (r->reports >= burst) {
		r->suppressed++;
		return false;
	}
	r->reports++;
	if (suppressed)
		*suppressed = r->suppressed;
	r->suppressed = 0;
	return true;
}

/* One token is worth period_us units of credit and each microsecond
 * earns rate units: integer arithmetic, no rounding loss at any rate. */
static void refill(struct tokenbucket *b, uint64_t now_us)
{
	uint64_t full = b->rate * b->period_us;
	if (now_us > b->last_us) {
		uint64_t earned = (now_us - b->last_us) * b->rate;
		/* A long idle time would overflow nothing: clamp first. */
		if (now_us - b->last_us >= b->period_us || earned >= full - b->credit)
			b->credit = full;
		else
			b->credit += earned;
	}
	b->last_us = now_us > b->last_us ? now_us : b->last_us;
}

void tokenbucket_init(struct tokenbucket *b, uint64_t rate, uint64_t period_us, uint64_t now_us)
{
	b->rate = rate ? rate : 1;
	b->period_us = period_us ? period_us : 1;
	b->credit = b->rate * b->period_us;
	b->last_us = now_us;
}

bool tokenbucket_take(struct tokenbucket *b, uint64_t now_us, uint64_t reserve)
{
	refill(b, now_us);
	if (b->credit / b->period_us < reserve + 1)
		return false;
	b->credit -= b->period_us;
	return true;
}

uint64_t tokenbucket_level(struct tokenbucket *b, uint64_t now_us)
{
	refill(b, now_us);
	return b->credit / b->period_us;
}
