/* state.c - see state.h. */
#include "state.h"

static const struct check_step table[3][3] = {
	[CHECK_STATE_FRESH] = {
		[CHECK_EV_OK] = { CHECK_STATE_UP, true, CHECK_WAIT_LOOP },
		[CHECK_EV_FAIL_RETRY] = { CHECK_STATE_FRESH, false, CHECK_WAIT_RETRY },
		[CHECK_EV_FAIL_FINAL] = { CHECK_STATE_DOWN, true, CHECK_WAIT_LOOP },
	},
	[CHECK_STATE_UP] = {
		[CHECK_EV_OK] = { CHECK_STATE_UP, false, CHECK_WAIT_LOOP },
		[CHECK_EV_FAIL_RETRY] = { CHECK_STATE_UP, false, CHECK_WAIT_RETRY },
		[CHECK_EV_FAIL_FINAL] = { CHECK_STATE_DOWN, true, CHECK_WAIT_LOOP },
	},
	[CHECK_STATE_DOWN] = {
		[CHECK_EV_OK] = { CHECK_STATE_UP, true, CHECK_WAIT_LOOP },
		[CHECK_EV_FAIL_RETRY] = { CHECK_STATE_DOWN, false, CHECK_WAIT_RETRY },
		[CHECK_EV_FAIL_FINAL] = { CHECK_STATE_DOWN, false, CHECK_WAIT_LOOP },
	},
};

struct check_step check_state_cell(enum check_state s, enum check_event ev)
{
	return table[s][ev];
}

struct check_step check_state_apply(struct check_progress *p, bool ok, uint32_t retry)
{
	enum check_event ev = ok ? CHECK_EV_OK :
			      p->retry_it < retry ? CHECK_EV_FAIL_RETRY : CHECK_EV_FAIL_FINAL;
	struct check_step st = check_state_cell((enum check_state)p->state, ev);
	p->state = st.next;
	if (st.wait == CHECK_WAIT_RETRY)
		p->retry_it++;
	else
		p->retry_it = 0;
	return st;
}

const char *check_state_str(enum check_state s)
{
	static const char *const names[] = { "fresh", "up", "down" };
	return (unsigned)s < 3 ? names[s] : "?";
}
