/* tab.h - the block descriptions of keepalived's language, one extern per
 * block, defined in the tab_*.c file of its domain, and each domain's
 * pass over the whole model once everything is parsed (names resolve in
 * any order because references are checked only here).
 */
#ifndef VIGIL_CONF_TAB_H
#define VIGIL_CONF_TAB_H

#include "kw.h"
#include "model.h"

/* The value types that hold a script to run (with vt_cmd of kw.h): a
 * test walks the tables for them to prove every script keyword goes
 * through enable_script_security (test/unit/test_script_keywords.c). */
extern const struct vtype vt_run_as;          /* tab_global.c: PROGRAM [USER [GROUP]] */
extern const struct vtype vt_notify;          /* tab_vrrp.c: notify_* */
extern const struct vtype vt_notify_deleted;  /* tab_vrrp.c */
extern const struct vtype vt_lvs_script;      /* tab_lvs.c: notify_up, quorum_up, ... */

/* tab_root.c */
extern struct block_desc desc_root;

/* tab_ip.c: address, route and rule lines (static_* and virtual_*) */
extern struct block_desc desc_ipaddress_item;
extern struct block_desc desc_route_item;
extern struct block_desc desc_rule_item;

/* tab_global.c */
extern const struct vtype vt_seconds;     /* a timer written as whole seconds */
extern struct block_desc desc_if_delay_item;
extern struct block_desc desc_global_defs;
extern struct block_desc desc_ssl;
extern struct block_desc desc_linkbeat_if_item;
extern struct block_desc desc_track_group;
extern struct block_desc desc_track_file;
void global_resolve(struct pctx *p, struct config *cfg);

/* tab_vrrp.c */
extern struct block_desc desc_vrrp_script;
extern struct block_desc desc_track_process;
extern struct block_desc desc_bfd_instance;
extern struct block_desc desc_vrrp_sync_group;
extern struct block_desc desc_garp_group;
extern struct block_desc desc_vrrp_instance;
void vrrp_resolve(struct pctx *p, struct config *cfg);

/* tab_lvs.c */
extern struct block_desc desc_vs_group;
extern struct block_desc desc_virtual_server;
void lvs_resolve(struct pctx *p, struct config *cfg);

/* tab_check.c: the checkers a real_server can hold (one list, several kinds) */
extern struct block_desc desc_tcp_check;
extern struct block_desc desc_http_get;
extern struct block_desc desc_ssl_get;
extern struct block_desc desc_misc_check;
extern struct block_desc desc_smtp_check;
extern struct block_desc desc_dns_check;
extern struct block_desc desc_udp_check;
extern struct block_desc desc_ping_check;
extern struct block_desc desc_file_check;
extern struct block_desc desc_bfd_check;
void check_resolve(struct pctx *p, struct config *cfg);

#endif
