/* model_global.h - global_defs, SSL, linkbeat_interfaces,
 * interface_up_down_delays, track_group, track_file.
 *
 * Conventions as in model.h. Where keepalived's default is "inherit
 * another setting" or "leave the system alone", the field holds a named
 * sentinel rather than a copy, so the model still says what the file said.
 */
#ifndef VIGIL_CONF_MODEL_GLOBAL_H
#define VIGIL_CONF_MODEL_GLOBAL_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "list.h"

/* A timer whose default is another timer's value. */
#define TIMER_INHERIT UINT64_MAX

/* "PROGRAM [USER [GROUP]]": startup/shutdown scripts, notify FIFOs and
 * their scripts. path is one word (quote it to pass arguments); user and
 * group are NULL when not given (keepalived then uses script_user). */
struct run_as {
	char *path;
	char *user;
	char *group;
};

/* "USER [GROUP]"; group NULL: the user's group. */
struct user_group {
	char *user;
	char *group;
};

/* "KEYWORD [WORD ...]" with a small maximum (kw->max): the keyword alone
 * switches the feature on with keepalived's default names. */
#define OPT_WORDS_MAX 5
struct opt_words {
	bool given;
	uint8_t n;
	char *w[OPT_WORDS_MAX];
};

/* "smtp_server HOST [PORT]": HOST is an address or a domain name. */
struct smtp_server {
	char *host;              /* NULL: no SMTP server */
	struct vaddr addr;       /* family 0 when host is a name */
	uint16_t port;           /* default 25 */
};

/* lvs_sync_daemon IF [[inst] VRRP_INSTANCE] [id N] [maxlen N] [port N]
 *                [ttl N] [group ADDR] */
struct lvs_syncd {
	char *ifname;            /* NULL: no sync daemon */
	char *instance;          /* NULL: both daemons run all the time */
	int syncid;              /* 0..255; -1: the instance's VRID (or 0) */
	uint16_t maxlen;         /* 1..65507; 0: the kernel's */
	uint16_t port;           /* default 8848 */
	uint8_t ttl;             /* 1..255; 0: the kernel's */
	struct vaddr group;      /* multicast; default 224.0.0.81 */
	struct srcpos pos;       /* for messages; not part of equality */
};

/* lvs_timeouts: 0 leaves the kernel's value unchanged (as ipvsadm --set). */
struct lvs_timeouts {
	uint64_t tcp, tcpfin, udp;
};

enum lvs_flush_on_stop {
	LVS_FLUSH_STOP_NONE,
	LVS_FLUSH_STOP_ALL,      /* bare keyword: delete each service */
	LVS_FLUSH_STOP_VS,       /* "VS": delete services, the kernel drops servers */
};

/* vrrp_garp_extra_if [all] SECS */
struct garp_extra_if {
	uint64_t interval;       /* 0: off */
	bool all;                /* every interface, not only VMACs */
};

enum dynamic_ifs {
	DYNAMIC_IFS_OFF,
	DYNAMIC_IFS_ON,
	DYNAMIC_IFS_ALLOW_CHANGES,   /* "allow_if_changes" */
};

enum rx_bufs_policy {
	RX_BUFS_SYSTEM,          /* not given: the system's rmem_default */
	RX_BUFS_MTU,
	RX_BUFS_ADVERT,
	RX_BUFS_SIZE,            /* a number of bytes */
};

struct rx_bufs {
	int policy;              /* enum rx_bufs_policy */
	uint32_t size;           /* RX_BUFS_SIZE only */
};

/* A CPU set for sched_setaffinity(); empty: no affinity. */
#define CPUSET_MAX 1024
struct cpuset {
	uint64_t bits[CPUSET_MAX / 64];
};

/* smtp_alert & co: unset means "inherit" (smtp_alert, then on when
 * notification_email is configured). */
#define TRISTATE_UNSET (-1)

/* include_check bits */
enum include_check {
	INCLUDE_CHECK_READABLE = 1,
	INCLUDE_CHECK_MATCH = 2,
	INCLUDE_CHECK_WILDCARD_MATCH = 4,
	INCLUDE_CHECK_BRACE_MATCH = 8,
};

struct global_defs {
	/* files and processes */
	char *tmp_config_directory;
	char *config_save_dir;
	bool process_names;          /* name processes keepalived_vrrp etc. */
	char *process_name, *vrrp_process_name, *checker_process_name, *bfd_process_name;
	struct run_as startup_script, shutdown_script;
	uint64_t startup_script_timeout;     /* 1..1000 s, default 10 */
	uint64_t shutdown_script_timeout;    /* 1..1000 s, default 10 */
	unsigned umask;                      /* default 022 (IWGRP|IWOTH) */
	int64_t random_seed;                 /* -1: seeded from the time */
	struct opt_words reload_check_config;  /* [LOG_FILE] */
	unsigned include_check;              /* enum include_check bits */
	char *reload_time_file;
	bool reload_repeat;
	struct opt_words reload_file;        /* [PATH]; default PID dir/keepalived.reload */
	bool data_use_instance;

	/* email alerts */
	struct list notification_email;      /* struct email_addr */
	char *notification_email_from;       /* NULL: keepalived@<hostname> */
	struct smtp_server smtp_server;
	char *smtp_helo_name;                /* NULL: the host name */
	uint64_t smtp_connect_timeout;       /* default 30 s */
	int smtp_alert, smtp_alert_vrrp, smtp_alert_checker;  /* TRISTATE_UNSET, 0, 1 */
	bool checker_log_all_failures;
	bool no_email_faults;
	bool no_checker_emails;
	bool rs_init_notifies;

	char *router_id;                     /* NULL: the host name */
	char *default_interface;             /* default "eth0" */

	/* LVS */
	struct lvs_syncd lvs_sync_daemon;
	struct lvs_timeouts lvs_timeouts;
	bool lvs_flush;
	int lvs_flush_on_stop;               /* enum lvs_flush_on_stop */

	/* VRRP defaults for instances */
	struct vaddr vrrp_mcast_group4;      /* default 224.0.0.18 */
	struct vaddr vrrp_mcast_group6;      /* default ff02::12 */
	uint64_t vrrp_garp_master_delay;     /* whole seconds, default 5 */
	uint32_t vrrp_garp_master_repeat;    /* default 5 */
	uint64_t vrrp_garp_lower_prio_delay; /* TIMER_INHERIT: vrrp_garp_master_delay */
	int64_t vrrp_garp_lower_prio_repeat; /* -1: vrrp_garp_master_repeat */
	uint64_t vrrp_garp_master_refresh;   /* whole seconds, 0: no refresh */
	uint32_t vrrp_garp_master_refresh_repeat;  /* default 1 */
	uint64_t vrrp_garp_interval;         /* between GARPs on one interface, default 0 */
	uint64_t vrrp_gna_interval;          /* between unsolicited NAs, default 0 */
	bool vrrp_min_garp;
	struct garp_extra_if vrrp_garp_extra_if;
	int vrrp_down_timer_adverts;         /* 1..100, default 3 */
	bool vrrp_lower_prio_no_advert;
	bool vrrp_higher_prio_send_advert;
	int vrrp_version;                    /* 2 or 3, default 2 */
	bool vrrp_check_unicast_src;
	bool vrrp_check_unicast_ttl;         /* vigil: check_unicast_ttl's default */
	bool vrrp_skip_check_adv_addr;
	bool vrrp_strict;
	bool vrrp_notify_priority_changes;
	bool log_unknown_vrids;
	uint64_t vrrp_notify_script_hold;    /* vigil: how long a notify script holds
					      * back the next ones; default 5 s */
	uint64_t vrrp_startup_delay;
	char *vmac_prefix;                   /* default "vrrp" */
	char *vmac_addr_prefix;              /* NULL: vmac_prefix */
	bool disable_local_igmp;

	/* firewall */
	struct opt_words nftables;           /* [TABLE]; default table "keepalived" */
	int nftables_priority;               /* default -1 */
	bool nftables_counters;
	bool nftables_ifindex;
	struct opt_words nftables_ipvs;      /* [TABLE] */
	int nftables_ipvs_priority;          /* default -1 */
	uint32_t nftables_ipvs_start_fwmark; /* default 1000 */
	struct opt_words vrrp_iptables;      /* [IN_CHAIN [OUT_CHAIN]]; default INPUT/OUTPUT */
	struct opt_words vrrp_ipsets;        /* up to 5 set names */

	/* scheduling of the child processes */
	int max_auto_priority;               /* -1..99, default 0 (off) */
	uint64_t min_auto_priority_delay;    /* microseconds, default 1 s */
	int vrrp_priority, checker_priority, bfd_priority;        /* nice, -20..19 */
	bool vrrp_no_swap, checker_no_swap, bfd_no_swap;
	struct cpuset vrrp_cpu_affinity, checker_cpu_affinity, bfd_cpu_affinity;
	int vrrp_rt_priority, checker_rt_priority, bfd_rt_priority;  /* 1..99; 0: none */
	uint64_t vrrp_rlimit_rttime, checker_rlimit_rttime, bfd_rlimit_rttime;  /* us, default 10000 */

	/* SNMP and D-Bus */
	char *snmp_socket;                   /* default "unix:/var/agentx/master" */
	bool enable_snmp_vrrp, enable_snmp_checker;
	bool enable_snmp_rfc, enable_snmp_rfcv2, enable_snmp_rfcv3;
	bool enable_traps;
	bool enable_dbus;
	char *dbus_service_name;             /* default "org.keepalived.Vrrp1" */

	/* scripts and notify FIFOs */
	struct user_group script_user;       /* NULL user: keepalived_script, else root */
	bool enable_script_security;
	struct run_as notify_fifo, notify_fifo_script;
	struct run_as vrrp_notify_fifo, vrrp_notify_fifo_script;
	struct run_as lvs_notify_fifo, lvs_notify_fifo_script;
	bool fifo_write_vrrp_states_on_reload;

	/* interfaces and netlink */
	int dynamic_interfaces;              /* enum dynamic_ifs */
	uint32_t vrrp_netlink_cmd_rcv_bufs, vrrp_netlink_monitor_rcv_bufs;   /* 0: system */
	bool vrrp_netlink_cmd_rcv_bufs_force, vrrp_netlink_monitor_rcv_bufs_force;
	uint32_t lvs_netlink_cmd_rcv_bufs, lvs_netlink_monitor_rcv_bufs;
	bool lvs_netlink_cmd_rcv_bufs_force, lvs_netlink_monitor_rcv_bufs_force;
	uint32_t process_monitor_rcv_bufs;
	bool process_monitor_rcv_bufs_force;
	struct rx_bufs vrrp_rx_bufs_policy;
	uint32_t vrrp_rx_bufs_multiplier;    /* default 3 */

	/* The top-level interface_up_down_delays block. It is not part of
	 * global_defs { } (the root table owns the keyword); it lives here
	 * because struct config has no field for it yet. */
	struct list if_up_down_delays;       /* struct if_delay */
};

/* One address of notification_email { }. */
struct email_addr {
	struct node node;
	char *addr;
};

/* SSL { } for SSL_GET checkers. */
struct ssl_conf {
	char *password;
	char *ca;
	char *certificate;
	char *key;
};

enum linkbeat_type {
	LINKBEAT_AUTO,           /* MII, else ETHTOOL, else IOCTL */
	LINKBEAT_MII,
	LINKBEAT_ETHTOOL,
	LINKBEAT_IOCTL,
};

/* A line of linkbeat_interfaces { IF [MII|ETHTOOL|IOCTL] }. */
struct linkbeat_if {
	struct node node;
	char *ifname;
	int type;                /* enum linkbeat_type */
};

/* A line of interface_up_down_delays { IF DOWN [UP] }. */
struct if_delay {
	struct node node;
	char *ifname;
	uint64_t down;           /* 0..255 s */
	uint64_t up;             /* default: the down delay */
};

/* A member of a track_group's group { } block. */
struct track_group_member {
	struct node node;
	char *instance;          /* a vrrp_instance name */
};

/* track_group NAME { group { VI_1 VI_2 } } */
struct track_group {
	struct named hdr;
	struct list group;       /* struct track_group_member */
};

/* "weight N [reverse]" */
struct track_weight {
	int weight;
	bool reverse;
};

/* "init_file [VALUE] [overwrite]" */
struct track_init {
	bool given;
	int value;               /* default 0 */
	bool overwrite;
};

/* track_file NAME { file PATH  weight N [reverse]  init_file [V] [overwrite] } */
struct track_file {
	struct named hdr;
	char *file;
	struct track_weight weight;  /* default 1 */
	struct track_init init_file;
};

#endif
