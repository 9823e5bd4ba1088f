/* model_ip.h - address, route and rule lines (static_* and virtual_*).
 *
 * Each line is one item with typed fields, named after the options of
 * "ip address/route/rule add". "Not given" is a sentinel (-1, false,
 * family 0) so that the kernel's own default applies, as with ip(8).
 */
#ifndef VIGIL_CONF_MODEL_IP_H
#define VIGIL_CONF_MODEL_IP_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "list.h"

/* A table, protocol or realm: a number, or a name. Built-in names
 * (main, kernel, ...) are stored as their number; other names are kept
 * as written and looked up in iproute2's rt_tables, rt_protos or
 * rt_realms when the route is installed, since the parser reads no
 * system files. */
struct rt_id {
	bool set;
	uint32_t num;
	char *name;              /* NULL: num is the id */
};

/* "realms [FROM/]TO" */
struct rt_realms {
	struct rt_id from;       /* from.set false: only TO was given */
	struct rt_id to;
};

/* ---- addresses --------------------------------------------------------- */

enum ip_brd_mode {
	IP_BRD_NONE,
	IP_BRD_ADDR,             /* brd ADDR */
	IP_BRD_CLEAR,            /* brd -   host bits clear */
	IP_BRD_SET,              /* brd +   host bits set */
};

struct ip_brd {
	int mode;                /* enum ip_brd_mode */
	struct vaddr addr;       /* IP_BRD_ADDR only */
};

/* preferred_lft "forever", as the kernel spells infinity. */
#define IP_LFT_FOREVER 0xffffffffLL

/* IPADDR[/MASK] [brd ADDR|-|+] [dev IF] [scope SCOPE] [label LABEL]
 * [peer ADDR] [home] [-nodad] [mngtmpaddr] [noprefixroute] [autojoin]
 * [use_vmac] [no_track] [track_group GROUP] [preferred_lft N|forever] */
struct ipaddr_item {
	struct node node;
	struct vaddr addr;
	struct ip_brd brd;
	char *dev;               /* NULL: the instance's interface, or default_interface */
	int scope;               /* 0..255, default 0 (global) */
	char *label;
	struct vaddr peer;
	bool home, nodad, mngtmpaddr, noprefixroute, autojoin;
	bool use_vmac;           /* virtual_ipaddress only */
	bool no_track;
	char *track_group;       /* static_ipaddress only */
	int64_t preferred_lft;   /* -1: not given; IP_LFT_FOREVER */
};

/* ---- routes ------------------------------------------------------------ */

/* Route types, numbered as the kernel's RTN_* values. */
enum rt_type {
	RT_TYPE_UNICAST = 1,
	RT_TYPE_LOCAL,
	RT_TYPE_BROADCAST,
	RT_TYPE_ANYCAST,
	RT_TYPE_MULTICAST,
	RT_TYPE_BLACKHOLE,
	RT_TYPE_UNREACHABLE,
	RT_TYPE_PROHIBIT,
	RT_TYPE_THROW,
	RT_TYPE_NAT,
	RT_TYPE_XRESOLVE,
};

/* A route metric: "mtu [lock] N". rtt, rttvar and rto_min are in ms. */
struct rt_metric {
	bool set;
	bool lock;               /* the kernel must not change it */
	uint32_t value;
};

/* "congctl [lock] NAME" */
struct rt_congctl {
	char *name;
	bool lock;
};

enum rt_encap_type {
	RT_ENCAP_NONE,
	RT_ENCAP_MPLS,
	RT_ENCAP_IP,
	RT_ENCAP_IP6,
	RT_ENCAP_ILA,
};

#define RT_MPLS_MAX_LABELS 16

/* "encap mpls L[/L...]", "encap ip|ip6 [id N] [dst A] [src A] [ttl|hoplimit N]
 * [tos|tc N]", "encap ila LOCATOR" */
struct rt_encap {
	int type;                /* enum rt_encap_type */
	uint8_t nlabels;
	uint32_t labels[RT_MPLS_MAX_LABELS];
	bool has_id;
	uint64_t id;
	struct vaddr src, dst;
	int ttl;                 /* hoplimit for ip6; -1: not given */
	int tos;                 /* tc for ip6; -1: not given */
	uint64_t locator;        /* ila: 64 bits written as 4 hex groups */
};

/* One "nexthop via ADDR dev IF weight N onlink realms R encap ..." */
struct rt_nexthop {
	struct node node;
	struct vaddr via;
	char *dev;
	int weight;              /* 1..256; 0: not given (the kernel's 1) */
	bool onlink;
	struct rt_realms realms;
	struct rt_encap encap;
};

struct route_item {
	struct node node;
	int type;                /* enum rt_type, default unicast */
	struct vaddr dst;        /* "default" is stored as 0.0.0.0/0, or ::/0 after inet6 */
	struct vaddr src;
	struct vaddr via;        /* also "gw" (deprecated) */
	struct vaddr or_via;     /* "or ADDR" (deprecated: use nexthop) */
	char *dev;               /* also "oif" */
	struct rt_id table;
	int64_t metric;          /* also priority, preference; -1: not given */
	int tos;                 /* 0..255, also dsfield */
	struct rt_id protocol;
	int scope;               /* 0..255; -1: the kernel's choice */
	struct rt_metric mtu, hoplimit, advmss, rtt, rttvar, reordering, window;
	struct rt_metric cwnd, ssthresh, rto_min, initcwnd, initrwnd;
	struct rt_congctl congctl;
	bool features_ecn;
	int quickack;            /* 0|1; -1: not given */
	int fastopen_no_cookie;  /* 0|1; -1: not given */
	struct rt_realms realms;
	int pref;                /* IPv6 router preference; -1: not given */
	int64_t expires;         /* IPv6, seconds; -1: not given */
	int ttl_propagate;       /* 0 disabled, 1 enabled; -1: not given */
	struct rt_encap encap;
	char *vrf;
	bool onlink;
	bool append;             /* "ip route append" instead of prepend */
	bool no_track;
	char *track_group;       /* static_routes only */
	struct list nexthops;    /* struct rt_nexthop */
};

/* ---- rules ------------------------------------------------------------- */

struct rt_range {
	bool set;
	uint32_t lo, hi;
};

struct rt_fwmark {
	bool set;
	uint32_t mark;
	uint32_t mask;           /* default 0xffffffff */
};

/* One rule. It has exactly one action: table, goto, nop, blackhole,
 * unreachable, prohibit or l3mdev. */
struct rule_item {
	struct node node;
	bool inet6;              /* an IPv6 rule without from/to (they give the family) */
	bool invert;             /* "not" */
	struct vaddr from, to;   /* family 0: all */
	int64_t priority;        /* also preference, order; -1: keepalived picks */
	int tos;                 /* 0..255, also dsfield */
	struct rt_fwmark fwmark;
	struct rt_realms realms;
	char *iif;               /* also "dev" */
	char *oif;
	struct rt_id table;      /* also "lookup" */
	int64_t goto_target;     /* -1: none */
	bool nop, blackhole, unreachable, prohibit, l3mdev;
	int suppress_prefixlength;  /* -1: not given */
	int64_t suppress_ifgroup;   /* -1: not given */
	struct rt_range uidrange;
	struct rt_id protocol;
	int ip_proto;            /* -1: any */
	struct rt_range sport, dport;
	bool no_track;
	char *track_group;       /* static_rules only */
};

#endif
