/* model_ip.h - address, route and rule lines (static_* and virtual_*). */
#ifndef VIGIL_CONF_MODEL_IP_H
#define VIGIL_CONF_MODEL_IP_H

#include "addr.h"
#include "list.h"

struct ipaddr_item {
	struct node node;
	struct vaddr addr;
	char *dev;
};

struct route_item {
	struct node node;
	struct vaddr dst;
};

struct rule_item {
	struct node node;
	struct vaddr from;
};

#endif
