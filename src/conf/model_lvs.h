/* model_lvs.h - virtual_server_group, virtual_server, real_server. */
#ifndef VIGIL_CONF_MODEL_LVS_H
#define VIGIL_CONF_MODEL_LVS_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "list.h"

struct vs_group {
	struct named hdr;
};

struct virtual_server {
	struct node node;
};

#endif
