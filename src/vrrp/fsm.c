/* fsm.c - the VRRP state table; see fsm.h. */
#include "fsm.h"

#include <stddef.h>

/* Becoming master (RFC 5798 6.4.1 and 6.4.2 "Master_Down_Timer fires"):
 * the addresses go up before the first advert and the gratuitous ARPs, so
 * that traffic the ARP attracts finds the address already in place. */
#define BECOME_MASTER (VRRP_ACT_STOP_TIMERS | VRRP_ACT_ADD_VIPS | VRRP_ACT_SEND_ADVERT | \
		       VRRP_ACT_GARP | VRRP_ACT_ADVER_TIMER)
/* Leaving master for backup on a better advert (6.4.3). */
#define YIELD_TO_MASTER (VRRP_ACT_STOP_TIMERS | VRRP_ACT_DEL_VIPS | VRRP_ACT_LEARN_MASTER | \
			 VRRP_ACT_DOWN_TIMER)
/* Leaving master on shutdown or fault: resign with priority 0 so that the
 * backup takes over after Skew_Time instead of Master_Down_Interval. */
#define RESIGN (VRRP_ACT_STOP_TIMERS | VRRP_ACT_SEND_PRIO0 | VRRP_ACT_DEL_VIPS)

struct row {
	enum vrrp_state state;
	enum vrrp_event event;
	unsigned actions;
	enum vrrp_state next;
};

static const struct row table[] = {
	/* Initialize (6.4.1) */
	{ VRRP_STATE_INIT, VRRP_EV_STARTUP_OWNER, BECOME_MASTER, VRRP_STATE_MASTER },
	{ VRRP_STATE_INIT, VRRP_EV_STARTUP, VRRP_ACT_DOWN_TIMER, VRRP_STATE_BACKUP },
	{ VRRP_STATE_INIT, VRRP_EV_FAULT, VRRP_ACT_NONE, VRRP_STATE_FAULT },

	/* Backup (6.4.2) */
	{ VRRP_STATE_BACKUP, VRRP_EV_MASTER_DOWN, BECOME_MASTER, VRRP_STATE_MASTER },
	{ VRRP_STATE_BACKUP, VRRP_EV_ADV_PRIO0, VRRP_ACT_SKEW_TIMER, VRRP_STATE_BACKUP },
	{ VRRP_STATE_BACKUP, VRRP_EV_ADV_HIGHER, VRRP_ACT_LEARN_MASTER | VRRP_ACT_DOWN_TIMER,
	  VRRP_STATE_BACKUP },
	/* A lower advert is discarded: with preemption our Master_Down_Timer
	 * runs out and we take over. */
	{ VRRP_STATE_BACKUP, VRRP_EV_ADV_LOWER, VRRP_ACT_NONE, VRRP_STATE_BACKUP },
	{ VRRP_STATE_BACKUP, VRRP_EV_SHUTDOWN, VRRP_ACT_STOP_TIMERS, VRRP_STATE_INIT },
	{ VRRP_STATE_BACKUP, VRRP_EV_FAULT, VRRP_ACT_STOP_TIMERS, VRRP_STATE_FAULT },

	/* Master (6.4.3) */
	{ VRRP_STATE_MASTER, VRRP_EV_ADVER_TIMER, VRRP_ACT_SEND_ADVERT | VRRP_ACT_ADVER_TIMER,
	  VRRP_STATE_MASTER },
	/* Another master resigned: answer at once so that its backups see us. */
	{ VRRP_STATE_MASTER, VRRP_EV_ADV_PRIO0, VRRP_ACT_SEND_ADVERT | VRRP_ACT_ADVER_TIMER,
	  VRRP_STATE_MASTER },
	{ VRRP_STATE_MASTER, VRRP_EV_ADV_HIGHER, YIELD_TO_MASTER, VRRP_STATE_BACKUP },
	/* A lower master exists (after a partition heals): RFC 5798 discards
	 * the advert; our next advert makes it yield. */
	{ VRRP_STATE_MASTER, VRRP_EV_ADV_LOWER, VRRP_ACT_NONE, VRRP_STATE_MASTER },
	{ VRRP_STATE_MASTER, VRRP_EV_SHUTDOWN, RESIGN, VRRP_STATE_INIT },
	{ VRRP_STATE_MASTER, VRRP_EV_FAULT, RESIGN, VRRP_STATE_FAULT },

	/* Fault (keepalived): no adverts, no addresses, until it clears. */
	{ VRRP_STATE_FAULT, VRRP_EV_FAULT_CLEARED, VRRP_ACT_DOWN_TIMER, VRRP_STATE_BACKUP },
	{ VRRP_STATE_FAULT, VRRP_EV_SHUTDOWN, VRRP_ACT_NONE, VRRP_STATE_INIT },
};

struct vrrp_transition vrrp_fsm_lookup(enum vrrp_state s, enum vrrp_event e)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].state == s && table[i].event == e)
			return (struct vrrp_transition){ table[i].actions, table[i].next, true };
	return (struct vrrp_transition){ VRRP_ACT_NONE, s, false };
}

enum vrrp_event vrrp_classify_advert(enum vrrp_state s, uint8_t our_prio, bool preempt,
				     uint8_t adv_prio, int addr_cmp)
{
	if (adv_prio == 0)
		return VRRP_EV_ADV_PRIO0;
	if (s == VRRP_STATE_MASTER)
		return adv_prio > our_prio || (adv_prio == our_prio && addr_cmp > 0)
			       ? VRRP_EV_ADV_HIGHER : VRRP_EV_ADV_LOWER;
	return !preempt || adv_prio >= our_prio ? VRRP_EV_ADV_HIGHER : VRRP_EV_ADV_LOWER;
}

uint64_t vrrp_skew_time_us(uint8_t priority, uint64_t master_adver_int_us)
{
	return ((256 - (uint64_t)priority) * master_adver_int_us) / 256;
}

uint64_t vrrp_master_down_interval_us(uint8_t priority, uint64_t master_adver_int_us)
{
	return 3 * master_adver_int_us + vrrp_skew_time_us(priority, master_adver_int_us);
}

const char *vrrp_state_name(enum vrrp_state s)
{
	static const char *const names[] = { "INIT", "BACKUP", "MASTER", "FAULT" };
	return (unsigned)s < VRRP_STATE_COUNT ? names[s] : "?";
}

const char *vrrp_event_name(enum vrrp_event e)
{
	static const char *const names[] = {
		"startup", "startup as address owner", "shutdown", "master down timer",
		"advert timer", "priority 0 advert", "higher advert", "lower advert",
		"fault", "fault cleared",
	};
	return (unsigned)e < VRRP_EV_COUNT ? names[e] : "?";
}
