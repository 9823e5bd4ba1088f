/* strict.c - vrrp_strict / strict_mode at -t; see strict.h. */
#include "strict.h"

#include <sys/socket.h>

static const char *name_of(const struct vrrp_instance *v)
{
	return v->hdr.name ? v->hdr.name : "";
}

void strict_check_instance(struct pctx *p, const struct vrrp_instance *v, struct srcpos pos,
			   int family)
{
	bool strict = v->strict_mode != TRI_UNSET ? v->strict_mode == TRI_ON
						  : p->cfg->global.vrrp_strict;
	const char *n = name_of(v);
	if (!strict)
		return;
	/* Refused: keepalived does not run the instance. */
	if (!v->vips.n)
		p_error(p, pos, "(%s) No VIP specified; at least one is required (strict mode)", n);
	if (v->unicast_peers.n)
		p_error(p, pos, "(%s) Unicast peers are not supported in strict mode", n);
	/* Reset, with keepalived's words. */
	if (family == AF_INET6 && v->version == 2)
		p_warn(p, pos, "(%s) cannot use IPv6 with VRRP version 2; setting version 3", n);
	if (v->state == VRRP_START_MASTER && v->priority != 255)
		p_warn(p, pos, "(%s) State MASTER must match being address owner", n);
	/* tab_vrrp.c says this one when strict_mode is in the block itself. */
	if (v->auth.type != CONF_AUTH_NONE && v->strict_mode != TRI_ON)
		p_warn(p, pos, "(%s) Strict mode does not support authentication. Ignoring.", n);
	if (v->preempt_delay)
		p_warn(p, pos, "(%s) preempt_delay is incompatible with strict mode - resetting", n);
	int version = v->version != VRRP_UNSET ? v->version : p->cfg->global.vrrp_version;
	if (v->accept == TRI_ON && v->priority != 255 && version == 2 && family != AF_INET6)
		p_warn(p, pos, "(%s) warning - accept mode for VRRP version 2 does not comply "
		       "with RFC3768 - resetting", n);
	if (v->garp_lower_prio_repeat > 0)
		p_warn(p, pos, "(%s) Strict mode requires no repeat garps - resetting", n);
	if (v->garp_lower_prio_delay != VRRP_UNSET_TIMER && v->garp_lower_prio_delay)
		p_warn(p, pos, "(%s) Strict mode requires no repeat garp delay - resetting", n);
	if (v->lower_prio_no_advert == TRI_OFF)
		p_warn(p, pos, "(%s) Strict mode requires no lower priority advert - resetting", n);
	if (v->higher_prio_send_advert == TRI_ON)
		p_warn(p, pos, "(%s) strict mode requires higher_prio_send_advert to be clear - "
		       "resetting", n);
	if (v->vmac_xmit_base)
		p_warn(p, pos, "(%s) xmit_base is incompatible with strict mode - resetting", n);
}
