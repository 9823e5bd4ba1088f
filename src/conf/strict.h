/* strict.h - vrrp_strict (global_defs) and strict_mode (vrrp_instance):
 * what keepalived 2.2.7 enforces for RFC compliance, said at -t with its
 * words. What it refuses stays an error here (an instance it would not
 * run); what it resets is a warning, and the VRRP engine resets the same
 * things (src/vrrp/instance.c resolve_strict). */
#ifndef VIGIL_CONF_STRICT_H
#define VIGIL_CONF_STRICT_H

#include "kw.h"
#include "model.h"

/* For one vrrp_instance at its closing brace. global_defs counts as read
 * so far: a vrrp_strict written after the instance is applied by the
 * engine but not checked here (keepalived's files put global_defs first). */
void strict_check_instance(struct pctx *p, const struct vrrp_instance *v, struct srcpos pos,
			   int family);

#endif
