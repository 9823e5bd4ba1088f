/* fsm.h - the VRRP state machine of RFC 5798 section 6.4, plus keepalived's
 * Fault state, as data.
 *
 * The table maps (state, event) to a set of actions and a next state. It
 * decides nothing else: the instance code classifies a received
 * advertisement into an event (vrrp_classify_advert), asks the table what
 * to do, performs the actions in a fixed order and moves every transition
 * through one function that logs and counts it. Keeping the table pure
 * lets a unit test walk every cell.
 */
#ifndef VIGIL_VRRP_FSM_H
#define VIGIL_VRRP_FSM_H

#include <stdbool.h>
#include <stdint.h>

enum vrrp_state {
	VRRP_STATE_INIT,       /* RFC "Initialize" */
	VRRP_STATE_BACKUP,
	VRRP_STATE_MASTER,
	VRRP_STATE_FAULT,      /* keepalived: a tracked interface/script failed */
	VRRP_STATE_COUNT
};

enum vrrp_event {
	VRRP_EV_STARTUP,        /* Startup, priority < 255 */
	VRRP_EV_STARTUP_OWNER,  /* Startup as the address owner (priority 255) */
	VRRP_EV_SHUTDOWN,
	VRRP_EV_MASTER_DOWN,    /* Master_Down_Timer fired */
	VRRP_EV_ADVER_TIMER,    /* Adver_Timer fired */
	VRRP_EV_ADV_PRIO0,      /* an advert with priority 0: the master resigns */
	VRRP_EV_ADV_HIGHER,     /* an advert that wins over us (see vrrp_classify_advert) */
	VRRP_EV_ADV_LOWER,      /* an advert that we win over */
	VRRP_EV_FAULT,          /* a tracked object failed */
	VRRP_EV_FAULT_CLEARED,  /* every tracked object is fine again */
	VRRP_EV_COUNT
};

/* Actions, performed by the instance in the order of the bits. */
enum vrrp_action {
	VRRP_ACT_NONE            = 0,
	VRRP_ACT_STOP_TIMERS     = 1 << 0,  /* cancel Adver_Timer and Master_Down_Timer */
	VRRP_ACT_LEARN_MASTER    = 1 << 1,  /* Master_Adver_Interval := the advert's interval */
	VRRP_ACT_SEND_PRIO0      = 1 << 2,  /* advert with priority 0 (resign) */
	VRRP_ACT_DEL_VIPS        = 1 << 3,
	VRRP_ACT_ADD_VIPS        = 1 << 4,
	VRRP_ACT_SEND_ADVERT     = 1 << 5,
	VRRP_ACT_GARP            = 1 << 6,  /* gratuitous ARP / unsolicited NA */
	VRRP_ACT_ADVER_TIMER     = 1 << 7,  /* Adver_Timer := Advertisement_Interval */
	VRRP_ACT_DOWN_TIMER      = 1 << 8,  /* Master_Down_Timer := Master_Down_Interval */
	VRRP_ACT_SKEW_TIMER      = 1 << 9,  /* Master_Down_Timer := Skew_Time */
};

struct vrrp_transition {
	unsigned actions;          /* VRRP_ACT_* bits */
	enum vrrp_state next;
	bool handled;              /* false: the event means nothing in this state */
};

/* The table lookup. An unhandled (state, event) keeps the state and does
 * nothing; vrrp_fsm_lookup reports it so the caller can count it. */
struct vrrp_transition vrrp_fsm_lookup(enum vrrp_state s, enum vrrp_event e);

/* Which event a received advert is, given our state (RFC 5798 6.4.2/6.4.3):
 *   priority 0                                   -> VRRP_EV_ADV_PRIO0
 *   Backup: !preempt or advert priority >= ours  -> VRRP_EV_ADV_HIGHER
 *   Master: advert priority > ours, or equal and the sender's primary
 *           address is greater than ours (addr_cmp > 0) -> VRRP_EV_ADV_HIGHER
 *   otherwise                                    -> VRRP_EV_ADV_LOWER */
enum vrrp_event vrrp_classify_advert(enum vrrp_state s, uint8_t our_prio, bool preempt,
				     uint8_t adv_prio, int addr_cmp);

/* RFC 5798 6.1, in microseconds:
 *   Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256
 *   Master_Down_Interval = (3 * Master_Adver_Interval) + Skew_Time */
uint64_t vrrp_skew_time_us(uint8_t priority, uint64_t master_adver_int_us);
uint64_t vrrp_master_down_interval_us(uint8_t priority, uint64_t master_adver_int_us);

/* "MASTER", "BACKUP", "FAULT", "INIT": keepalived's words in its log lines. */
const char *vrrp_state_name(enum vrrp_state s);
const char *vrrp_event_name(enum vrrp_event e);

#endif
