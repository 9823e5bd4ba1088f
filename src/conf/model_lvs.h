/* model_lvs.h - virtual_server_group, virtual_server, real_server.
 *
 * What keepalived.conf(5) 2.2.7 calls "LVS CONFIGURATION", as plain data.
 * Parsing fills these from the tables in tab_lvs.c; lvs_resolve() then
 * checks references and duplicates over the whole file, fills the fields
 * marked "resolved", and applies keepalived's own corrections (each one
 * with a warning that says what was changed), so a daemon reads values it
 * can use as they are.
 *
 * "Inherit" values: where keepalived lets a setting fall through from
 * virtual_server to real_server to checker (retry, delay_before_retry,
 * warmup, delay_loop, connect_timeout, alpha, inhibit_on_failure,
 * smtp_alert, lvs_method), a level that did not write it holds
 * LVS_TIMER_INHERIT, LVS_RETRY_INHERIT, LVS_TRI_INHERIT or
 * LVS_FWD_INHERIT, and the nearest level that did write it wins.
 *
 * Keeping IPVS entries on shutdown: there is deliberately no keyword here.
 * keepalived removes each real and virtual server it added when it stops,
 * unless started with -I/--dont-release-ipvs (keep everything), and
 * global_defs has lvs_flush (flush IPVS at start-up) and
 * lvs_flush_on_stop [VS] (flush at shutdown instead of deleting one by
 * one). vigil follows the same split: the global_defs keywords belong to
 * global_defs, and keeping the entries is the command-line option.
 */
#ifndef VIGIL_CONF_MODEL_LVS_H
#define VIGIL_CONF_MODEL_LVS_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "list.h"

#define LVS_TIMER_INHERIT UINT64_MAX   /* timer not written at this level */
#define LVS_RETRY_INHERIT 0            /* retry not written (keepalived's range is 1..) */
#define LVS_TRI_INHERIT   (-1)         /* tri-state flag not written; else 0 or 1 */

/* ---- virtual_server_group NAME { ... } ---------------------------------- */

enum vsg_kind { VSG_ADDR = 1, VSG_FWMARK = 2 };

/* One line of a group: "IP[-END] [PORT]", "IP/LEN [PORT]" or
 * "fwmark N [inet|inet6]". Ranges are kept as first and last address
 * (both included); "10.0.0.8/29" is stored as 10.0.0.8..10.0.0.15. */
struct vsg_entry {
	struct node node;
	uint8_t kind;              /* enum vsg_kind */
	uint8_t fwmark_family;     /* AF_INET, AF_INET6, or 0 when not written */
	uint16_t port;             /* 0: none written */
	uint32_t fwmark;           /* 1..2^32-1 */
	struct vaddr first, last;  /* VSG_ADDR; last == first for one address */
};

struct vs_group {
	struct named hdr;
	struct list entries;       /* struct vsg_entry */
	/* resolved */
	bool have_v4, have_v6;     /* addresses or fwmarks of that family */
	bool fwmark_no_family;     /* some fwmark has no family */
};

/* ---- forwarding method: lvs_method NAT|DR|TUN [type ...] [csum] -------- */

enum lvs_fwd_method { LVS_FWD_INHERIT = 0, LVS_FWD_NAT, LVS_FWD_DR, LVS_FWD_TUN };
enum lvs_tun_type { LVS_TUN_IPIP = 0, LVS_TUN_GUE, LVS_TUN_GRE };
enum lvs_tun_csum { LVS_CSUM_NONE = 0, LVS_CSUM_CSUM, LVS_CSUM_REMCSUM };

struct lvs_fwd {
	uint8_t method;            /* enum lvs_fwd_method */
	uint8_t tun_type;          /* enum lvs_tun_type, TUN only */
	uint8_t tun_csum;          /* enum lvs_tun_csum ("nocsum" is NONE), TUN only */
	uint16_t tun_port;         /* GUE's UDP port, 1..65535; 0 otherwise */
};

/* A script with the user and group to run it as:
 * "notify_up <SCRIPT> [username [groupname]]" (also quorum_up/down). */
struct lvs_script {
	char *cmd;                 /* one word: quote a script that has arguments */
	struct srcpos pos;         /* of the command, for messages (not compared) */
	char *user, *group;        /* NULL when not written */
};

/* "IP [PORT]" for sorry_server */
struct lvs_dest {
	struct vaddr addr;         /* family 0: none */
	uint16_t port;             /* 0: none written */
};

/* ---- real_server IP [PORT] { ... } --------------------------------------
 * Kept small: a benchmark loads 100,000 of them. */
struct real_server {
	struct node node;
	struct vaddr addr;
	uint16_t port;             /* 0: not written (fwmark services) */
	struct lvs_fwd fwd;        /* method INHERIT: the virtual server's */
	int8_t inhibit_on_failure; /* LVS_TRI_INHERIT: the virtual server's */
	int8_t alpha;              /* LVS_TRI_INHERIT: the virtual server's */
	int8_t smtp_alert;         /* LVS_TRI_INHERIT: global smtp_alert(_checker) */
	uint32_t weight;           /* 0..2^31-1, default 1 */
	uint32_t uthreshold;       /* max connections, 0: no limit */
	uint32_t lthreshold;       /* 0: none */
	uint32_t retry;            /* LVS_RETRY_INHERIT or 1.. */
	uint64_t delay_loop;       /* microseconds, or LVS_TIMER_INHERIT (all four) */
	uint64_t connect_timeout;
	uint64_t delay_before_retry;
	uint64_t warmup;
	struct lvs_script *notify_up, *notify_down;   /* NULL: none */
	char *virtualhost;
	char *snmp_name;
	/* TCP_CHECK, HTTP_GET, ...: each element's node.desc says which. */
	struct list checkers;
};

/* ---- virtual_server IP [PORT] | fwmark N | group NAME { ... } ----------- */

enum vs_kind { VS_ADDR = 1, VS_FWMARK = 2, VS_GROUP = 3 };

enum lvs_sched {
	LVS_SCHED_RR = 1, LVS_SCHED_WRR, LVS_SCHED_LC, LVS_SCHED_WLC,
	LVS_SCHED_LBLC, LVS_SCHED_LBLCR, LVS_SCHED_DH, LVS_SCHED_SH,
	LVS_SCHED_SED, LVS_SCHED_NQ, LVS_SCHED_FO, LVS_SCHED_OVF,
	LVS_SCHED_MH, LVS_SCHED_TWOS,
};

/* PROTO_NONE: not written. After lvs_resolve only fwmark services have
 * it (keepalived ignores a protocol there); others got UDP as keepalived
 * 2.2.7 does, with a warning. */
enum lvs_proto { LVS_PROTO_NONE = 0, LVS_PROTO_TCP, LVS_PROTO_UDP, LVS_PROTO_SCTP };

#define LVS_PERSISTENCE_DEFAULT 360      /* s: "persistence_timeout" alone */
#define LVS_PERSISTENCE_MAX     2678400  /* s: 31 days, the IPVS limit */

struct virtual_server {
	struct node node;
	/* the head */
	uint8_t kind;                  /* enum vs_kind */
	uint16_t port;                 /* VS_ADDR; 0: none (persistent services) */
	struct vaddr addr;             /* VS_ADDR */
	uint32_t fwmark;               /* VS_FWMARK: 1..2^32-1 */
	char *group_name;              /* VS_GROUP */

	int ip_family;                 /* AF_INET, AF_INET6, 0: not written */
	uint64_t delay_loop;           /* default 60 s */
	uint64_t connect_timeout;      /* default 5 s */
	uint64_t delay_before_retry;   /* LVS_TIMER_INHERIT: the checker's default */
	uint64_t warmup;               /* LVS_TIMER_INHERIT: up to delay_loop */
	uint32_t retry;                /* LVS_RETRY_INHERIT: the checker's default */
	int sched;                     /* enum lvs_sched, default wlc */
	bool hashed, ops;
	bool flag_1, flag_2, flag_3;
	bool sh_port, sh_fallback, mh_port, mh_fallback;
	struct lvs_fwd fwd;            /* default NAT */
	char *persistence_engine;      /* "sip" */
	uint32_t persistence_timeout;  /* seconds, as IPVS takes it; 0: not persistent */
	/* IPv4: the netmask as an address; IPv6: family AF_INET6 with
	 * has_prefix and the prefix length, address all zero. Family 0: none. */
	struct vaddr persistence_granularity;
	int protocol;                  /* enum lvs_proto */
	bool ha_suspend;
	int8_t smtp_alert;             /* LVS_TRI_INHERIT: global smtp_alert(_checker) */
	char *virtualhost;
	char *snmp_name;
	bool alpha, omega;
	bool inhibit_on_failure;
	uint32_t quorum;               /* >= 1, default 1 */
	uint32_t hysteresis;           /* default 0 */
	uint32_t weight;               /* undocumented in keepalived.conf(5); 1.., default 1 */
	struct lvs_script *quorum_up, *quorum_down;
	struct lvs_dest sorry_server;
	bool sorry_server_inhibit;
	struct lvs_fwd sorry_server_fwd;   /* method INHERIT: the virtual server's */
	struct list real_servers;      /* struct real_server */

	/* resolved */
	struct vs_group *group;        /* VS_GROUP */
	uint8_t af;                    /* address family of the service (see
					* keepalived.conf(5) on tunnelled servers) */
};

#endif
