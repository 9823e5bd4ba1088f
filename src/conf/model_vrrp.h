/* model_vrrp.h - VRRP blocks: vrrp_script, vrrp_track_process,
 * bfd_instance, vrrp_sync_group, garp_group, vrrp_instance.
 *
 * Many vrrp_instance settings default to a global_defs value in keepalived
 * (garp_master_delay to vrrp_garp_master_delay, strict_mode to vrrp_strict,
 * ...). Those fields hold an "unset" marker (VRRP_UNSET_TIMER, VRRP_UNSET,
 * TRI_UNSET) when the instance does not say, so a global setting is not
 * shadowed by a copy of its default; the VRRP_DFL_* constants are
 * keepalived's values when global_defs does not say either. vrrp_resolve()
 * guarantees that every name a block refers to exists.
 */
#ifndef VIGIL_CONF_MODEL_VRRP_H
#define VIGIL_CONF_MODEL_VRRP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "list.h"

/* "Not given here: use the global_defs value". */
#define VRRP_UNSET (-1)
#define VRRP_UNSET_TIMER UINT64_MAX

/* A boolean that may also be unset (inherit from global_defs). */
enum tri { TRI_UNSET = -1, TRI_OFF = 0, TRI_ON = 1 };

/* keepalived's built-in defaults for the inherited settings. */
#define VRRP_DFL_VERSION 2
#define VRRP_DFL_GARP_MASTER_DELAY 5000000ULL     /* 5 s */
#define VRRP_DFL_GARP_MASTER_REPEAT 5
#define VRRP_DFL_GARP_MASTER_REFRESH 0ULL         /* no periodic refresh */
#define VRRP_DFL_GARP_MASTER_REFRESH_REPEAT 1
#define VRRP_DFL_DOWN_TIMER_ADVERTS 3             /* RFC 5798 6.1: 3 * interval */

/* A command with the user and group to run it as:
 * "notify_master SCRIPT [USER [GROUP]]". */
struct notify_script {
	char *cmd;             /* NULL: not given */
	struct srcpos pos;     /* of the command, for messages (not compared) */
	char *user;            /* NULL: global_defs script_user */
	char *group;           /* NULL: the user's primary group */
};

/* "user USER [GROUP]" of a vrrp_script */
struct script_user {
	char *user;            /* NULL: global_defs script_user */
	char *group;           /* NULL: the user's primary group */
};

/* "weight N [reverse]": N is added to the priority of tracking instances
 * when the object is up (N > 0) or subtracted when it is down (N < 0);
 * reverse swaps up and down. Weight 0 means "fault when down". */
struct vrrp_weight {
	int value;
	bool reverse;
};

/* A line of track_interface/track_script/track_file/track_process/
 * track_bfd: "NAME [weight N] [reverse]". */
#define TRACK_WEIGHT_UNSET INT32_MIN   /* use the tracked object's weight */
struct track_ref {
	struct node node;      /* pos: where the name was written */
	char *name;
	int weight;            /* TRACK_WEIGHT_UNSET when not given (0 for interfaces) */
	bool reverse;
};

/* A bare name in a list (sync group members, garp_group interfaces). */
struct name_item {
	struct node node;
	char *name;
};

/* vrrp_script NAME { ... } */
struct vrrp_script {
	struct named hdr;
	char *script;            /* command line, split like a shell at run time;
				  * vrrp_resolve drops a script without one */
	uint64_t interval;       /* default 1 s */
	uint64_t timeout;        /* 0: not given (keepalived then uses the interval) */
	struct vrrp_weight weight;  /* -253..253, default 0 */
	int rise, fall;          /* consecutive results to change state; default 1 each */
	struct script_user user;      /* "user USER [GROUP]" */
	bool init_fail;          /* start in the failed state */
};

enum param_match { PARAM_MATCH_EXACT, PARAM_MATCH_PARTIAL, PARAM_MATCH_INITIAL };

/* vrrp_track_process NAME { ... } */
struct track_process {
	struct named hdr;
	/* Name and optional parameters as written: a quoted word is one
	 * element, so "process '/tmp/a b' x" is the program "/tmp/a b". */
	struct proc_argv {
		size_t argc;     /* 0: not given */
		char **argv;
	} process;
	int param_match;         /* enum param_match */
	struct vrrp_weight weight;  /* -254..254, default 1 */
	int quorum;              /* least processes for "up", default 1 */
	int quorum_max;          /* most processes for "up"; VRRP_UNSET: no limit */
	struct {
		uint64_t fork;       /* up only after quorum held this long */
		uint64_t terminate;  /* down only after quorum lost this long */
	} delay;                 /* "delay X" sets both; default 0 */
	bool full_command;       /* match /proc/PID/cmdline, not the name */
};

/* bfd_instance NAME { ... }: RFC 5880 session parameters. */
struct bfd_instance {
	struct named hdr;
	struct vaddr neighbor_ip;   /* required */
	struct vaddr source_ip;
	uint64_t min_rx;         /* Required Min RX Interval, us; default 10 ms */
	uint64_t min_tx;         /* Desired Min TX Interval, us; default 10 ms */
	uint64_t idle_tx;        /* Desired Min TX Interval when down, us; default 1 s */
	int multiplier;          /* Detect Mult, 1..255, default 5 */
	bool passive;
	int ttl;                 /* IPv4 TTL sent, default 255 */
	int hoplimit;            /* IPv6 hop limit sent, default 64 */
	int max_hops;            /* accepted TTL reduction, default 0; 255: no check */
	struct vrrp_weight weight;  /* -253..253, default 0 */
	bool vrrp_only;          /* "vrrp": notify only the VRRP process */
	bool checker_only;       /* "checker": notify only the checker process */
};

/* vrrp_sync_group NAME { ... } */
struct vrrp_sync_group {
	struct named hdr;
	struct list members;          /* struct name_item: vrrp_instance names */
	struct list track_interfaces; /* struct track_ref, and likewise below */
	struct list track_scripts;
	struct list track_files;
	struct list track_processes;
	struct list track_bfds;
	struct notify_script notify_master, notify_backup, notify_fault, notify_stop;
	struct notify_script notify;  /* any transition, with 4 more arguments */
	enum tri notify_priority_changes;
	enum tri smtp_alert;          /* unset: global smtp_alert_vrrp/smtp_alert */
	bool sync_group_tracking_weight;  /* members may use differing weights */
};

/* garp_group { ... }: pacing of gratuitous ARPs / unsolicited NAs. */
struct garp_group {
	struct node node;
	uint64_t garp_interval;       /* between gratuitous ARPs; 0: none given */
	uint64_t gna_interval;        /* between unsolicited NAs; 0: none given */
	char *interface;              /* the one interface the limits apply to */
	struct list interfaces;       /* struct name_item: or a set sharing them */
};

enum vrrp_start_state { VRRP_START_BACKUP, VRRP_START_MASTER };
/* RFC 2338 5.3.6 Auth Type codes, the same values as VRRP_AUTH_* of the
 * packet layer (src/vrrp/packet.h), which this header must not include. */
enum conf_auth_type { CONF_AUTH_NONE = 0, CONF_AUTH_PASS = 1, CONF_AUTH_AH = 2 };
enum conf_ipvlan_mode { CONF_IPVLAN_BRIDGE, CONF_IPVLAN_PRIVATE, CONF_IPVLAN_VEPA };
enum old_chksum { OLD_CHKSUM_AUTO, OLD_CHKSUM_ON, OLD_CHKSUM_NEVER };

/* authentication { } (RFC 2338 only; removed by RFC 3768) */
struct vrrp_auth {
	int type;                     /* enum conf_auth_type */
	char *pass;                   /* only the first 8 characters count */
};

/* use_vmac [IFNAME] [MAC] */
struct vmac {
	bool on;
	char *ifname;                 /* NULL: keepalived's vrrp.VRID */
	uint8_t mac[6];
	uint8_t mac_len;              /* 0: RFC 5798 7.3 00-00-5E-00-01-{VRID};
				       * 5: VRID is the last byte; 6: as given */
};

/* use_ipvlan [IFNAME] [ADDR[/N]] [bridge|private|vepa] */
struct ipvlan {
	bool on;
	char *ifname;
	struct vaddr addr;
	int mode;                     /* enum conf_ipvlan_mode, default bridge */
};

/* garp_extra_if [all] SECONDS */
struct vrrp_garp_extra_if {
	uint64_t interval;            /* VRRP_UNSET_TIMER: global vrrp_garp_extra_if; 0: off */
	bool all;                     /* also interfaces of VIPs on the instance's interface */
};

/* notify_deleted [SCRIPT [USER [GROUP]]]: report DELETED, not FAULT, for
 * an instance removed by a reload, and optionally run a script. */
struct notify_deleted {
	bool on;
	struct notify_script script;
};

/* unicast_peer { ADDR [min_ttl N] [max_ttl N] } */
struct unicast_peer {
	struct node node;
	struct vaddr addr;
	int min_ttl, max_ttl;         /* VRRP_UNSET: not checked */
};

/* vrrp_instance NAME { ... } */
struct vrrp_instance {
	struct named hdr;
	int state;                    /* enum vrrp_start_state, default BACKUP */
	char *interface;              /* NULL: global default_interface */
	char *vrf;                    /* unicast without an interface: VRF to use */
	struct vmac use_vmac;
	bool use_vmac_addr;           /* a VMAC for each other interface of a VIP */
	bool vmac_xmit_base;          /* adverts on the base interface, not the VMAC */
	struct ipvlan use_ipvlan;
	bool native_ipv6;             /* deprecated: the VIPs give the family */
	bool dont_track_primary;      /* ignore faults of the instance's interface */
	struct list track_interfaces; /* struct track_ref */
	struct list track_scripts;
	struct list track_files;
	struct list track_processes;
	struct list track_bfds;
	struct vaddr src_ip;          /* mcast_src_ip / unicast_src_ip (one setting) */
	struct vaddr mcast_dst_ip;    /* unset: 224.0.0.18 / ff02::12 */
	bool track_src_ip;            /* fault when src_ip disappears */
	struct list unicast_peers;    /* struct unicast_peer */
	bool unicast_fault_no_peer;
	enum tri check_unicast_src;   /* unset: global vrrp_check_unicast_src */
	/* vigil: a unicast advert from a peer on the instance's link must
	 * arrive with TTL/hop limit 255 (RFC 5798 7.1, as multicast ones);
	 * unset: global vrrp_check_unicast_ttl */
	enum tri check_unicast_ttl;
	int unicast_ttl;              /* TTL/hop limit of unicast adverts, default 255 */
	int old_unicast_checksum;     /* enum old_chksum */
	int vrid;                     /* RFC 5798 VRID, 1..255; required */
	int priority;                 /* RFC 5798 Priority, 1..255 (255: address owner); default 100 */
	/* RFC 5798 Advertisement_Interval in us, default 1 s; sent as
	 * centiseconds (12 bits: 0.01..40.95 s) by VRRPv3 and as whole
	 * seconds (RFC 3768 Adver Int, 8 bits) by VRRPv2. */
	uint64_t advert_int;
	int version;                  /* 2 or 3; VRRP_UNSET: global vrrp_version (IPv6: 3) */
	struct vrrp_auth auth;
	struct list vips;             /* struct ipaddr_item: virtual_ipaddress */
	struct list evips;            /* struct ipaddr_item: virtual_ipaddress_excluded */
	struct list vroutes;          /* struct route_item */
	struct list vrules;           /* struct rule_item */
	bool promote_secondaries;
	enum tri accept;              /* RFC 5798 Accept_Mode; unset: on unless strict */
	bool preempt;                 /* RFC 5798 Preempt_Mode, default on */
	struct srcpos nopreempt_pos;  /* where nopreempt was written, for messages
				       * (not compared, not dumped) */
	uint64_t preempt_delay;       /* 0..1000 s, default 0 */
	enum tri skip_check_adv_addr; /* unset: global vrrp_skip_check_adv_addr */
	enum tri strict_mode;         /* unset: global vrrp_strict */
	int debug;                    /* 0..4, unused by keepalived too */
	/* Gratuitous ARP / unsolicited NA after becoming master, and later.
	 * Unset: the global_defs vrrp_garp_* values (VRRP_DFL_* without). */
	uint64_t garp_master_delay;   /* delay before the second burst */
	int garp_master_repeat;       /* messages per burst */
	uint64_t garp_master_refresh; /* period of refresh bursts (0: none) */
	int garp_master_refresh_repeat;
	uint64_t garp_lower_prio_delay;  /* after a lower priority advert; unset: master delay */
	int garp_lower_prio_repeat;      /* unset: garp_master_repeat */
	struct vrrp_garp_extra_if garp_extra_if;
	int down_timer_adverts;       /* Master_Down_Interval in adverts; unset: global (3) */
	enum tri lower_prio_no_advert;
	enum tri higher_prio_send_advert;
	struct notify_script notify_master, notify_backup, notify_fault, notify_stop;
	struct notify_script notify;  /* any transition */
	struct notify_script notify_master_rx_lower_pri;
	struct notify_deleted notify_deleted;
	enum tri notify_priority_changes;
	enum tri smtp_alert;          /* unset: global smtp_alert_vrrp/smtp_alert */
	uint64_t kernel_rx_buf_size;  /* 0: global vrrp_rx_bufs_policy */
	bool linkbeat_use_polling;    /* deprecated: linkbeat_interfaces */
	char *lvs_sync_daemon_interface;  /* deprecated: global lvs_sync_daemon */
};

#endif
