/* vrrp.h - the VRRP engine: every vrrp_instance of the configuration,
 * run on one libuv loop in the VRRP worker process.
 *
 * Ownership: the engine owns its sockets and the runtime state of each
 * instance (struct vrrp_rt); the configuration model it reads is
 * read-only and outlives the engine. Each timer lives in the object it
 * belongs to. Nothing here is shared with the checkers.
 */
#ifndef VIGIL_VRRP_H
#define VIGIL_VRRP_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "conf.h"
#include "fsm.h"
#include "garp.h"
#include "garp_pace.h"
#include "iface.h"
#include "firewall.h"
#include "ifsysctl.h"
#include "procwatch.h"
#include "monitor.h"
#include "notify.h"
#include "packet.h"
#include "ratelimit.h"
#include "socket.h"
#include "static.h"
#include "syncd.h"
#include "track.h"
#include "vip.h"

/* Why a received packet was dropped: counted per instance (or per
 * engine when no instance matched) and logged once per reason per
 * second at most (an advert from our own address: once a minute). */
enum vrrp_drop {
	VRRP_DROP_IP,           /* IPv4 header malformed */
	VRRP_DROP_MALFORMED,    /* not a well-formed advertisement (packet.c) */
	VRRP_DROP_NO_INSTANCE,  /* no instance with that VRID on the interface */
	VRRP_DROP_TTL,          /* TTL / hop limit not 255 (RFC 5798 7.1; unicast:
				 * check_unicast_ttl, a peer on the link) */
	VRRP_DROP_TTL_RANGE,    /* unicast: outside the peer's min_ttl..max_ttl */
	VRRP_DROP_VERSION,      /* another VRRP version than ours */
	VRRP_DROP_AUTH,         /* VRRPv2 authentication mismatch */
	VRRP_DROP_INTERVAL,     /* VRRPv2 advertisement interval differs */
	VRRP_DROP_ADDRESSES,    /* address list differs: a VRID collision */
	VRRP_DROP_PEER,         /* unicast advert from an unconfigured peer */
	VRRP_DROP_OWN_ADDRESS,  /* sent from one of this node's own addresses */
	VRRP_DROP_COUNT
};
const char *vrrp_drop_name(enum vrrp_drop d);

/* Per-packet log lines of an instance that any sender can provoke at line
 * rate: each is rate-limited on its own (ratelimit.h). */
enum vrrp_rxlog {
	VRRP_RXLOG_LOWER_MASTER,   /* "... lower priority ..., forcing new election" */
	VRRP_RXLOG_LOWER_BACKUP,   /* "received lower priority (N) advert ... - discarding" */
	VRRP_RXLOG_PRIO0_MASTER,   /* "Master received priority 0 message" */
	VRRP_RXLOG_PRIO0_BACKUP,   /* "Backup received priority 0 advertisement" */
	VRRP_RXLOG_COUNT
};
#define VRRP_RXLOG_INTERVAL_MS 5000
#define VRRP_RXLOG_BURST 3

/* An instance sends at most this many adverts per advert interval: one
 * by schedule, the rest answers to adverts (RFC 5798 6.4.3 lets a master
 * answer a lower priority at once). */
#define VRRP_TX_PER_INTERVAL 4

struct vrrp_stats {
	uint64_t rx_adverts;           /* accepted */
	uint64_t rx_prio0;
	uint64_t tx_adverts;
	uint64_t tx_prio0;
	uint64_t tx_suppressed;        /* adverts the transmit cap held back */
	uint64_t drops[VRRP_DROP_COUNT];
	uint64_t transitions;
	uint64_t became_master;
};

struct vrrp_engine;

/* The runtime of one vrrp_instance.
 *
 * Owned by the engine (e->rts); freed by the close callback given to
 * vrrp_rt_close(). It holds a reference on the model it was built from
 * (model): cfg, name, ifname and the labels in vips point into that
 * model, which therefore lives as long as the instance, even when a
 * reload keeps the instance running on a newer model (an unchanged
 * instance is not rebuilt, so nothing it resolved is re-read). */
struct vrrp_rt {
	const struct config *model;    /* a reference, dropped by vrrp_rt_release() */
	const struct vrrp_instance *cfg;
	struct vrrp_engine *eng;
	const char *name;

	enum vrrp_state state;
	uint8_t version;               /* 2 or 3, resolved against global_defs */
	int family;                    /* of the VIPs and adverts */
	const char *ifname;
	struct iface_info ifi;
	int fd;                        /* the shared raw socket of ifname/family */
	struct vaddr src;              /* advert source */
	bool src_lost;                 /* src left the interface and no other
					* address was there to replace it:
					* adverts wait for one (addresses
					* followed unless unicast_src_ip) */
	struct vaddr mcast_dst;        /* multicast destination */
	/* use_vmac: the macvlan with the virtual MAC that the VIPs live on
	 * (vmac.h, vmacrt.c), or use_ipvlan's ipvlan (the base's MAC);
	 * ifindex 0 when not in use or not there. */
	struct {
		char ifname[16];           /* IFNAMSIZ */
		int ifindex;
		uint8_t mac[6];
		int xmit_fd;               /* adverts leave from the vmac on this
					    * send-only socket; -1: from the base
					    * (vmac_xmit_base), on fd */
		bool adopted;              /* left by a previous daemon */
		bool ipvlan;               /* use_ipvlan's ipvlan, not a macvlan */
	} vmac;
	bool unicast;
	bool check_unicast_ttl;        /* resolved: TTL 255 from peers on the link */
	struct vaddr *peers;           /* unicast_peer minus our own addresses; owned,
					* freed by vrrp_rt_close() */
	size_t npeers;

	/* Settings resolved against global_defs (instance, else global). */
	struct {
		uint64_t garp_delay;       /* garp_master_delay */
		int garp_repeat;           /* garp_master_repeat */
		uint64_t garp_refresh;     /* garp_master_refresh, 0: none */
		int garp_refresh_repeat;
		bool lower_prio_no_advert;
		uint64_t garp_lp_delay;    /* garp_lower_prio_delay */
		int garp_lp_repeat;        /* garp_lower_prio_repeat, 0: none */
		int down_timer_adverts;    /* RFC 5798's 3, keepalived-tunable */
		bool strict;               /* strict_mode, else global vrrp_strict */
		bool filter;               /* Accept_Mode off and not the owner: as
					    * master, traffic to the VIPs is dropped
					    * (firewall.h) */
	} set;
	bool fw_on;                    /* this instance's VIPs are in the drop sets */

	uint8_t base_prio;             /* configured Priority */
	int prio_delta;                /* sum of tracked weights */
	unsigned faults;               /* tracked objects down that mean Fault */
	uint8_t prio;                  /* effective priority, 1..255 */
	bool preempt;
	uint64_t preempt_after_ms;     /* uv_now() before which we don't preempt */

	uint64_t adver_int_us;         /* our Advertisement_Interval */
	uint64_t master_adver_int_us;  /* Master_Adver_Interval (learned, v3) */
	struct vrrp_advert advert;     /* what we send, priority filled per send */

	struct vip_spec *vips;         /* virtual_ipaddress, then _excluded, resolved */
	size_t nvips;
	size_t nadvertised;            /* the first ones: those in the adverts */
	uint32_t vip_lifetime_s;

	uv_timer_t adver_timer;        /* Adver_Timer (master) */
	uv_timer_t down_timer;         /* Master_Down_Timer (backup) */
	uv_timer_t garp_timer;         /* second GARP burst / refresh */
	uv_timer_t lifetime_timer;     /* VIP lifetime refresh (master) */
	unsigned garp_bursts_done;
	/* A master hearing a lower priority (a split brain healing): one
	 * GARP/NA burst now and one after garp_lower_prio_delay, once per
	 * episode: not again before max(advert interval, that delay). */
	uv_timer_t lp_garp_timer;
	uint64_t lp_garp_ms;           /* uv_now() of the last such burst; 0: none */
	uint64_t rx_lower_ms;          /* uv_now() of the last MASTER_RX_LOWER_PRI; 0: none */

	struct track_link *links;      /* what this instance (and its group) tracks */
	size_t nlinks;
	struct vrrp_group *group;      /* its vrrp_sync_group, or NULL */
	struct notify_queue *nq;       /* its notify scripts, in transition order */
	unsigned own_faults;           /* faults of its own tracking, before the group's */

	uint64_t last_heard_ms;        /* last accepted advert; 0: never */
	bool peer_silence_reported;    /* became master having heard nobody */
	struct ratelimit drop_rl[VRRP_DROP_COUNT];
	struct ratelimit rx_rl[VRRP_RXLOG_COUNT];
	/* The transmit cap: VRRP_TX_PER_INTERVAL adverts per advert
	 * interval, the last token kept for the scheduled ones. */
	struct tokenbucket tx_bucket;
	struct vrrp_stats st;
};

/* A raw socket shared by the instances of one interface and family. */
struct vrrp_sock {
	struct vrrp_engine *eng;
	int family;
	int ifindex;
	int fd;
	uv_poll_t poll;
	struct vaddr *groups;          /* multicast groups joined; owned */
	size_t ngroups;
};

/* A vrrp_sync_group at run time: its members change state together. */
struct vrrp_group {
	const struct vrrp_sync_group *cfg;
	struct vrrp_rt **members;
	size_t nmembers;
	bool syncing;                  /* guards against re-entry while members follow */
	struct notify_queue *nq;
	enum vrrp_state state;         /* last state notified for the group */
};

/* Ownership: the worker owns the engine. The engine holds a reference
 * on its current model (cfg) from vrrp_engine_start() or the last
 * vrrp_engine_reload() until the next reload or vrrp_engine_stop();
 * sync groups and syncd point into it and are rebuilt by every reload.
 * Instances, tracked objects and notifiers hold references of their own
 * (see conf_ref() for the rule). */
struct vrrp_engine {
	uv_loop_t *loop;
	const struct config *cfg;      /* a reference */
	struct nl_sock *nl;            /* rtnetlink, for addresses */
	struct garp_sockets garp;
	struct garp_pacer garp_pace;   /* vrrp_garp_interval, garp_group (garp_pace.h) */
	/* Arrays of pointers: libuv handles live inside these objects and
	 * must never move in memory. */
	struct vrrp_rt **rts;
	size_t nrts;
	/* Instances of cfg whose interface (or its address) is missing: tried
	 * again on every link event and every second, started once it is
	 * there. Rebuilt by every reload. */
	const struct vrrp_instance **waiting;
	size_t nwaiting;
	uv_timer_t waiting_timer;
	struct vrrp_sock **socks;
	size_t nsocks;
	struct vrrp_group *groups;
	size_t ngroups;
	struct tracked **tracked;      /* objects tracked by some instance */
	size_t ntracked;
	struct procwatch *procwatch;   /* counts for the TRACKED_PROCESS ones, in
					* the order of proc_objs */
	struct tracked **proc_objs;
	size_t nproc_objs;
	struct vrrp_monitor mon;
	struct vrrp_notifier *notifier;
	struct vrrp_syncd syncd;       /* lvs_sync_daemon, following its instance */
	struct vrrp_static statics;    /* static_ipaddress / _routes / _rules */
	/* vrrp_startup_delay: the uv_now() at which it ends; 0: none. A
	 * backup whose Master_Down_Timer runs out before then waits a whole
	 * Master_Down_Interval after it (keepalived's rule), and the address
	 * owner starts as backup. Set at start only: a reload does not delay
	 * anything, as in keepalived. */
	uint64_t startup_hold_ms;
	const char *status_path;       /* JSON status file, or NULL */
	uv_timer_t status_timer;       /* periodic rewrite */
	uv_timer_t status_soon;        /* coalesced rewrite after a transition */
	uint64_t drops[VRRP_DROP_COUNT];   /* packets no instance took */
	struct ifsysctl_set sysctls;   /* interface settings changed, restored at stop */
	struct vrrp_firewall fw;       /* no_accept's nftables table (firewall.h) */
	struct ratelimit drop_rl[VRRP_DROP_COUNT];
	bool stopping;
};

/* ---- vmacrt.c ---- */
/* use_vmac for rt (after its interface was looked up and its VIPs
 * resolved): create or adopt the macvlan, its settings, bring it up, move
 * the VIPs of the instance's interface onto it. 0, or -1 after logging. */
int vrrp_vmac_setup(struct vrrp_rt *rt);
/* Remove rt's macvlan and its transmit socket (idempotent). */
void vrrp_vmac_teardown(struct vrrp_rt *rt);
/* The interface the instance's own addresses and routes go on: the vmac
 * when there is one, else the instance's interface. */
int vrrp_addr_ifindex(const struct vrrp_rt *rt);
/* An IPv6 instance's vmac gets the advert source (the base's link-local
 * address) on becoming master and loses it on leaving. */
void vrrp_vmac_master(struct vrrp_rt *rt, bool master);
/* The base interface was recreated: a new macvlan over it (the kernel
 * deleted the old one with it), the VIPs following. */
void vrrp_vmac_base_recreated(struct vrrp_rt *rt);

/* ---- engine.c ---- */
/* Set up every instance of cfg on loop; 0, or -1 after logging why. */
int vrrp_engine_start(struct vrrp_engine *e, uv_loop_t *loop, const struct config *cfg,
		      const char *status_path);
/* Resign every master (priority 0 advert), remove every VIP, close
 * everything; the loop then runs out of handles. */
void vrrp_engine_stop(struct vrrp_engine *e);
/* Switch to a new model: an instance whose configuration is unchanged
 * (its block, and the global_defs settings it resolved) keeps running
 * untouched on its old model (no election, no VIP churn); changed and
 * removed instances shut down; new ones start. The engine takes its own
 * reference on cfg; the caller keeps (and may drop) its own. */
void vrrp_engine_reload(struct vrrp_engine *e, const struct config *cfg);

/* An instance changed state: rewrite the status file soon. */
void vrrp_engine_state_changed(struct vrrp_engine *e);
/* Some tracked object changed: every instance recomputes its priority
 * and fault state. */
void vrrp_engine_tracking_changed(struct vrrp_engine *e);

/* ---- instance.c ---- */
/* Resolve one instance against the configuration and the system: 0;
 * -ENODEV when its interface does not exist and -EADDRNOTAVAIL when the
 * interface has no address to send adverts from (the engine waits for
 * them, nothing logged here); -1 after logging why otherwise. */
int vrrp_rt_init(struct vrrp_rt *rt, struct vrrp_engine *e, const struct vrrp_instance *cfg);
void vrrp_rt_start(struct vrrp_rt *rt);
void vrrp_rt_shutdown(struct vrrp_rt *rt);
/* Close the instance's timers and release what it holds
 * (vrrp_rt_release()); last (may be NULL) runs once libuv is done with
 * all of them, when the struct may be freed. */
void vrrp_rt_close(struct vrrp_rt *rt, uv_close_cb last);
/* Free what the instance allocated and drop its model reference; for
 * vrrp_rt_close() and for an instance whose vrrp_rt_init() failed. */
void vrrp_rt_release(struct vrrp_rt *rt);
/* Whether cfg, resolved against g, is the same virtual router as rt: name,
 * interface, VRID, family, version, multicast group or unicast. Such an
 * instance is updated in place by a reload, never restarted. */
bool vrrp_rt_same_identity(const struct vrrp_rt *rt, const struct vrrp_instance *cfg,
			   const struct global_defs *g);
/* Move a running instance to cfg (same identity, the engine's current
 * model) keeping its state: priority, timers, peers, authentication and
 * settings change; a master removes the addresses that went, adds and
 * announces those that came, and leaves the others alone. */
void vrrp_rt_update(struct vrrp_rt *rt, const struct vrrp_instance *cfg);
/* Whether cfg (whose block equals rt's), resolved against g, would give
 * the instance the same interface, version, multicast group and
 * global-defaulted settings: the condition for keeping it on reload. */
bool vrrp_rt_same_under(const struct vrrp_rt *rt, const struct vrrp_instance *cfg,
			const struct global_defs *g);
/* A well-formed advert for this instance (VRID and family matched). */
void vrrp_rt_receive(struct vrrp_rt *rt, const struct vrrp_advert *a,
		     const struct vrrp_rx_meta *m);
/* Tracking: a weight change or a fault appearing/clearing. */
void vrrp_rt_set_tracking(struct vrrp_rt *rt, int prio_delta, unsigned faults);
/* Build rt->links from the configuration (after track_start). */
void vrrp_rt_link_tracking(struct vrrp_rt *rt);
/* An address came to / left ifindex: the advert source follows (a
 * removed source is replaced by another address of the interface; an
 * interface without one gets the first added), logged. */
void vrrp_rt_addr_event(struct vrrp_rt *rt, int ifindex, const struct vaddr *addr, bool added);
/* The instance's interface exists again under its name with ifindex:
 * re-read its index, MAC, link state and advert source; the caller
 * gives the instance a socket on the new index. */
void vrrp_rt_iface_recreated(struct vrrp_rt *rt, int ifindex);
/* A VIP of this instance was deleted by someone else: restore it when
 * we are master. Returns true when the address was one of ours. */
bool vrrp_rt_vip_deleted(struct vrrp_rt *rt, int ifindex, const struct vaddr *addr);
/* A sync group member changed state; the others follow. */
void vrrp_group_follow(struct vrrp_rt *leader, enum vrrp_state from, enum vrrp_state to);
/* Count a drop and log it at most once a second per reason (once a
 * minute for VRRP_DROP_OWN_ADDRESS); limits[] may start zeroed. */
void vrrp_note_drop(uint64_t *counters, struct ratelimit *limits, uint64_t now_ms,
		    enum vrrp_drop why, const char *who, const char *detail);

#endif
