/* syncd.h - the kernel's IPVS connection synchronisation daemon
 * (global_defs lvs_sync_daemon), following VRRP state: on the director
 * whose named instance is master it runs as master (sending connection
 * state), elsewhere as backup (receiving it), so that a failover keeps
 * established connections. Without an instance both run all the time.
 *
 * It lives in the VRRP worker because that is where the state changes;
 * it only talks to IPVS's sync-daemon commands, never to the table.
 */
#ifndef VIGIL_VRRP_SYNCD_H
#define VIGIL_VRRP_SYNCD_H

#include <stdbool.h>

#include "conf.h"
#include "fsm.h"
#include "ipvs/netlink.h"

struct vrrp_syncd {
	const struct lvs_syncd *cfg;    /* NULL: not configured */
	struct ipvs_nl nl;
	bool have_nl;
	bool master_on, backup_on;      /* what we started in the kernel */
	int vrid;                       /* of the followed instance, for syncid -1 */
};

/* Start from cfg: nothing unless lvs_sync_daemon is set; both daemons
 * when it names no instance; a backup daemon until the instance says
 * otherwise. Logs and carries on when IPVS is not there. */
void vrrp_syncd_start(struct vrrp_syncd *s, const struct config *cfg);
/* Instance name went to state. */
void vrrp_syncd_follow(struct vrrp_syncd *s, const char *name, enum vrrp_state state);
/* After a reload: unchanged settings keep the running daemons (the
 * caller then calls vrrp_syncd_follow for the instance's state). */
void vrrp_syncd_reload(struct vrrp_syncd *s, const struct config *cfg);
/* Stop both daemons and close. */
void vrrp_syncd_stop(struct vrrp_syncd *s);

#endif
