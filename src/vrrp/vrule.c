/* vrule.c - policy rules over rtnetlink, and iproute2's id names; see vrule.h. */
#include "vrule.h"

#include <ctype.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* ---- names ------------------------------------------------------------------ */

static bool lookup_in(const char *path, const char *name, uint32_t *out)
{
	FILE *f = fopen(path, "re");
	char line[256];
	bool found = false;
	if (!f)
		return false;
	/* "NUMBER NAME" lines; '#' starts a comment, as iproute2 reads them. */
	while (!found && fgets(line, sizeof(line), f)) {
		char *p = line, *end;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '#' || !isdigit((unsigned char)*p))
			continue;
		unsigned long v = strtoul(p, &end, 0);
		if (end == p || !isspace((unsigned char)*end) || v > UINT32_MAX)
			continue;
		char word[128];
		if (sscanf(end, " %127s", word) == 1 && strcmp(word, name) == 0) {
			*out = (uint32_t)v;
			found = true;
		}
	}
	fclose(f);
	return found;
}

bool rtid_resolve(const struct rt_id *id, enum rtid_kind kind, uint32_t *out)
{
	static const char *const files[] = { "rt_tables", "rt_protos", "rt_realms" };
	char path[128];
	if (!id->name) {
		*out = id->num;
		return true;
	}
	snprintf(path, sizeof(path), "/etc/iproute2/%s", files[kind]);
	if (lookup_in(path, id->name, out))
		return true;
	snprintf(path, sizeof(path), "/usr/share/iproute2/%s", files[kind]);
	return lookup_in(path, id->name, out);
}

/* ---- the message ----------------------------------------------------------- */

static int family_of(const struct rule_item *r)
{
	if (vaddr_is_set(&r->from))
		return r->from.family;
	if (vaddr_is_set(&r->to))
		return r->to.family;
	return r->inet6 ? AF_INET6 : AF_INET;
}

static unsigned addr_len(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

static unsigned prefix_of(const struct vaddr *a)
{
	return a->has_prefix ? a->prefix : addr_len(a->family) * 8;
}

static uint8_t action_of(const struct rule_item *r)
{
	if (r->goto_target >= 0)
		return FR_ACT_GOTO;
	if (r->nop)
		return FR_ACT_NOP;
	if (r->blackhole)
		return FR_ACT_BLACKHOLE;
	if (r->unreachable)
		return FR_ACT_UNREACHABLE;
	if (r->prohibit)
		return FR_ACT_PROHIBIT;
	return FR_ACT_TO_TBL;      /* table N, or l3mdev */
}

static bool realms_value(const struct rt_realms *rl, uint32_t *out, const char **why)
{
	uint32_t from = 0, to = 0;
	if (rl->from.set && !rtid_resolve(&rl->from, RTID_REALM, &from)) {
		*why = "a realm name that rt_realms does not list";
		return false;
	}
	if (!rtid_resolve(&rl->to, RTID_REALM, &to)) {
		*why = "a realm name that rt_realms does not list";
		return false;
	}
	*out = (from << 16) | (to & 0xffff);
	return true;
}

#define PUT(expr) do { if ((expr) < 0) goto nomem; } while (0)

struct nl_msg *vrule_build(const struct rule_item *r, bool add, const char **why)
{
	int family = family_of(r);
	uint32_t table = 0, proto = 0, realms = 0;
	*why = NULL;
	if (r->table.set && !rtid_resolve(&r->table, RTID_TABLE, &table)) {
		*why = "its table name is not in rt_tables (/etc/iproute2 or /usr/share/iproute2)";
		return NULL;
	}
	if (r->protocol.set && !rtid_resolve(&r->protocol, RTID_PROTO, &proto)) {
		*why = "its protocol name is not in rt_protos";
		return NULL;
	}
	if (r->realms.to.set && !realms_value(&r->realms, &realms, why))
		return NULL;

	struct nl_msg *m = nlmsg_alloc_simple(add ? RTM_NEWRULE : RTM_DELRULE,
					      add ? NLM_F_CREATE | NLM_F_EXCL : 0);
	if (!m)
		goto nomem_nomsg;
	struct fib_rule_hdr h = {
		.family = (uint8_t)family,
		.tos = (uint8_t)r->tos,
		.action = action_of(r),
		.flags = r->invert ? FIB_RULE_INVERT : 0,
		/* A table above 255 goes in FRA_TABLE only. */
		.table = (uint8_t)(table < 256 ? table : RT_TABLE_UNSPEC),
	};
	if (vaddr_is_set(&r->from))
		h.src_len = (uint8_t)prefix_of(&r->from);
	if (vaddr_is_set(&r->to))
		h.dst_len = (uint8_t)prefix_of(&r->to);
	PUT(nlmsg_append(m, &h, sizeof(h), NLMSG_ALIGNTO));
	if (vaddr_is_set(&r->from))
		PUT(nla_put(m, FRA_SRC, (int)addr_len(family), r->from.u.bytes));
	if (vaddr_is_set(&r->to))
		PUT(nla_put(m, FRA_DST, (int)addr_len(family), r->to.u.bytes));
	if (r->priority >= 0)
		PUT(nla_put_u32(m, FRA_PRIORITY, (uint32_t)r->priority));
	if (r->fwmark.set) {
		PUT(nla_put_u32(m, FRA_FWMARK, r->fwmark.mark));
		PUT(nla_put_u32(m, FRA_FWMASK, r->fwmark.mask));
	}
	if (r->realms.to.set)
		PUT(nla_put_u32(m, FRA_FLOW, realms));
	if (r->iif)
		PUT(nla_put_string(m, FRA_IIFNAME, r->iif));
	if (r->oif)
		PUT(nla_put_string(m, FRA_OIFNAME, r->oif));
	if (r->table.set)
		PUT(nla_put_u32(m, FRA_TABLE, table));
	if (r->goto_target >= 0)
		PUT(nla_put_u32(m, FRA_GOTO, (uint32_t)r->goto_target));
	if (r->l3mdev)
		PUT(nla_put_u8(m, FRA_L3MDEV, 1));
	if (r->suppress_prefixlength >= 0)
		PUT(nla_put_u32(m, FRA_SUPPRESS_PREFIXLEN, (uint32_t)r->suppress_prefixlength));
	if (r->suppress_ifgroup >= 0)
		PUT(nla_put_u32(m, FRA_SUPPRESS_IFGROUP, (uint32_t)r->suppress_ifgroup));
	if (r->uidrange.set) {
		struct fib_rule_uid_range u = { r->uidrange.lo, r->uidrange.hi };
		PUT(nla_put(m, FRA_UID_RANGE, sizeof(u), &u));
	}
	if (r->protocol.set)
		PUT(nla_put_u8(m, FRA_PROTOCOL, (uint8_t)proto));
	if (r->ip_proto >= 0)
		PUT(nla_put_u8(m, FRA_IP_PROTO, (uint8_t)r->ip_proto));
	if (r->sport.set) {
		struct fib_rule_port_range p = { (uint16_t)r->sport.lo, (uint16_t)r->sport.hi };
		PUT(nla_put(m, FRA_SPORT_RANGE, sizeof(p), &p));
	}
	if (r->dport.set) {
		struct fib_rule_port_range p = { (uint16_t)r->dport.lo, (uint16_t)r->dport.hi };
		PUT(nla_put(m, FRA_DPORT_RANGE, sizeof(p), &p));
	}
	return m;
nomem:
	nlmsg_free(m);
nomem_nomsg:
	*why = "out of memory";
	return NULL;
}

#undef PUT

static int send_rule(struct nl_sock *sk, const struct rule_item *r, bool add, const char **why)
{
	struct nl_msg *m = vrule_build(r, add, why);
	if (!m)
		return -NLE_INVAL;
	/* nl_send_sync frees m and waits for the kernel's answer. */
	return nl_send_sync(sk, m);
}

int vrule_add(struct nl_sock *sk, const struct rule_item *r, const char **why)
{
	int err = send_rule(sk, r, true, why);
	return err == -NLE_EXIST ? 0 : err;
}

int vrule_del(struct nl_sock *sk, const struct rule_item *r, const char **why)
{
	int err = send_rule(sk, r, false, why);
	/* Already gone: the goal is reached. */
	return err == -NLE_OBJ_NOTFOUND || err == -NLE_NOADDR ? 0 : err;
}
