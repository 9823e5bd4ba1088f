/* model.h - the typed configuration model: what the file said.
 *
 * One struct per keepalived block, with keepalived's defaults applied by
 * the block's init function (see the tab_*.c files). The model is
 * read-only once conf_load() returns it: daemons keep their runtime
 * state beside it, and a reload builds a fresh model and diffs the two.
 *
 * Conventions: timers are uint64_t microseconds; strings are char * (NULL
 * when not given); addresses are struct vaddr (family 0 when not given);
 * anything that repeats is a struct list of structs that start with
 * struct node (or struct named when they have a name).
 */
#ifndef VIGIL_CONF_MODEL_H
#define VIGIL_CONF_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "arena.h"
#include "list.h"
#include "model_ip.h"
#include "model_global.h"
#include "model_vrrp.h"
#include "model_check.h"
#include "model_lvs.h"

struct config {
	struct arena arena;          /* owns every object and string below */
	unsigned refs;               /* holders; see conf_ref() in conf.h */

	/* Top-level settings written outside global_defs. */
	char *net_namespace;
	char *net_namespace_ipvs;
	bool namespace_with_ipsets;
	char *instance_name;         /* "instance NAME" */
	bool use_pid_dir;
	bool linkbeat_use_polling;
	uint64_t child_wait_time;    /* default 5 s */

	struct global_defs global;
	struct ssl_conf ssl;         /* "SSL { }" for SSL_GET */
	struct list linkbeat_interfaces;   /* struct linkbeat_if */
	struct list track_groups;          /* struct track_group */
	struct list static_addresses;      /* struct ipaddr_item */
	struct list static_routes;         /* struct route_item */
	struct list static_rules;          /* struct rule_item */
	struct list track_files;           /* struct track_file */

	struct list vrrp_scripts;          /* struct vrrp_script */
	struct list vrrp_track_processes;  /* struct track_process */
	struct list bfd_instances;         /* struct bfd_instance */
	struct list vrrp_sync_groups;      /* struct vrrp_sync_group */
	struct list garp_groups;           /* struct garp_group */
	struct list vrrp_instances;        /* struct vrrp_instance */

	struct list vs_groups;             /* struct vs_group */
	struct list virtual_servers;       /* struct virtual_server */

	/* The files read, indexed by srcpos.file (in the arena), so that
	 * run-time messages can name a line as file:line:col. */
	char **files;
	uint32_t nfiles;
};

#endif
