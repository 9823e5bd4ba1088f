/* model_global.h - global_defs, SSL, linkbeat_interfaces, track_group,
 * track_file. */
#ifndef VIGIL_CONF_MODEL_GLOBAL_H
#define VIGIL_CONF_MODEL_GLOBAL_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "list.h"

struct global_defs {
	char *router_id;
};

struct ssl_conf {
	char *password;
};

struct linkbeat_if {
	struct node node;
	char *ifname;
};

struct track_group {
	struct named hdr;
};

struct track_file {
	struct named hdr;
	char *file;
};

#endif
