/* model_vrrp.h - VRRP blocks: vrrp_script, vrrp_track_process,
 * bfd_instance, vrrp_sync_group, garp_group, vrrp_instance. */
#ifndef VIGIL_CONF_MODEL_VRRP_H
#define VIGIL_CONF_MODEL_VRRP_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "list.h"

/* vrrp_script NAME { ... } */
struct vrrp_script {
	struct named hdr;
	char *script;            /* command line, split like a shell at run time */
	uint64_t interval;       /* default 1 s */
	uint64_t timeout;        /* 0: the interval */
	int weight;              /* -254..254, default 0 */
	bool weight_reverse;
	int rise, fall;          /* default 1 each */
	char *user, *group;      /* "user USER [GROUP]" */
	bool init_fail;
};

struct track_process {
	struct named hdr;
};

struct bfd_instance {
	struct named hdr;
};

struct vrrp_sync_group {
	struct named hdr;
};

struct garp_group {
	struct node node;
};

struct vrrp_instance {
	struct named hdr;
};

#endif
