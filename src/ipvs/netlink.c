/* netlink.c - IPVS generic netlink builders, parsers and requests; see
 * netlink.h and ipvs.h.
 *
 * Attribute layouts follow net/netfilter/ipvs/ip_vs_ctl.c (the policies
 * ip_vs_svc_policy, ip_vs_dest_policy, ip_vs_daemon_policy and the
 * ip_vs_genl_fill_* functions that produce dumps).
 */
#include "netlink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/ip_vs.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Our names are the kernel's numbers. */
_Static_assert(IPVS_SVC_F_PERSISTENT == IP_VS_SVC_F_PERSISTENT, "svc flag");
_Static_assert(IPVS_SVC_F_HASHED == IP_VS_SVC_F_HASHED, "svc flag");
_Static_assert(IPVS_SVC_F_ONEPACKET == IP_VS_SVC_F_ONEPACKET, "svc flag");
_Static_assert(IPVS_SVC_F_SCHED1 == IP_VS_SVC_F_SCHED1, "svc flag");
_Static_assert(IPVS_SVC_F_SCHED2 == IP_VS_SVC_F_SCHED2, "svc flag");
_Static_assert(IPVS_SVC_F_SCHED3 == IP_VS_SVC_F_SCHED3, "svc flag");
_Static_assert(IPVS_SVC_F_SH_FALLBACK == IP_VS_SVC_F_SCHED_SH_FALLBACK, "svc flag");
_Static_assert(IPVS_SVC_F_SH_PORT == IP_VS_SVC_F_SCHED_SH_PORT, "svc flag");
_Static_assert(IPVS_FWD_MASQ == IP_VS_CONN_F_MASQ, "fwd");
_Static_assert(IPVS_FWD_LOCAL == IP_VS_CONN_F_LOCALNODE, "fwd");
_Static_assert(IPVS_FWD_TUNNEL == IP_VS_CONN_F_TUNNEL, "fwd");
_Static_assert(IPVS_FWD_DROUTE == IP_VS_CONN_F_DROUTE, "fwd");
_Static_assert((int)IPVS_TUN_IPIP == (int)IP_VS_CONN_F_TUNNEL_TYPE_IPIP, "tun");
_Static_assert((int)IPVS_TUN_GUE == (int)IP_VS_CONN_F_TUNNEL_TYPE_GUE, "tun");
_Static_assert((int)IPVS_TUN_GRE == (int)IP_VS_CONN_F_TUNNEL_TYPE_GRE, "tun");
_Static_assert(IPVS_TUN_F_CSUM == IP_VS_TUNNEL_ENCAP_FLAG_CSUM, "tun flag");
_Static_assert(IPVS_TUN_F_REMCSUM == IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM, "tun flag");
_Static_assert(IPVS_DAEMON_MASTER == IP_VS_STATE_MASTER, "daemon");
_Static_assert(IPVS_DAEMON_BACKUP == IP_VS_STATE_BACKUP, "daemon");
_Static_assert(IPVS_SCHED_NAME_LEN == IP_VS_SCHEDNAME_MAXLEN, "name");
_Static_assert(IPVS_PE_NAME_LEN == IP_VS_PENAME_MAXLEN, "name");
_Static_assert(IPVS_IFNAME_LEN == IP_VS_IFNAME_MAXLEN, "name");
_Static_assert(sizeof(union ipvs_addr) == 16, "nf_inet_addr is 16 bytes");

/* ---- plain data ----------------------------------------------------------- */

static size_t addr_len(uint16_t af)
{
	return af == AF_INET ? 4 : af == AF_INET6 ? 16 : 0;
}

void ipvs_service_init(struct ipvs_service *s, uint16_t af)
{
	memset(s, 0, sizeof(*s));
	s->af = af;
	memcpy(s->sched_name, "wlc", 4);
	/* ipvsadm's and keepalived's defaults: the whole address. */
	s->netmask = af == AF_INET6 ? 128 : 0xffffffffu;
}

void ipvs_dest_init(struct ipvs_dest *d, uint16_t af)
{
	memset(d, 0, sizeof(*d));
	d->af = af;
	d->fwd = IPVS_FWD_MASQ;
	d->weight = 1;
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Layout: [0] af, [1] protocol (0xff: fwmark), [2..3] port, [4..7] fwmark,
 * [8..23] address. Bytes past the family's address length stay zero so
 * that garbage there cannot make two equal services differ. */
void ipvs_service_key(const struct ipvs_service *s, struct ipvs_key *k)
{
	memset(k, 0, sizeof(*k));
	k->b[0] = (uint8_t)s->af;
	if (s->fwmark) {
		k->b[1] = 0xff;
		put_be32(k->b + 4, s->fwmark);
		return;
	}
	k->b[1] = (uint8_t)s->protocol;
	put_be16(k->b + 2, s->port);
	memcpy(k->b + 8, s->addr.bytes, addr_len(s->af));
}

void ipvs_dest_key(const struct ipvs_dest *d, struct ipvs_key *k)
{
	memset(k, 0, sizeof(*k));
	k->b[0] = (uint8_t)d->af;
	put_be16(k->b + 2, d->port);
	memcpy(k->b + 8, d->addr.bytes, addr_len(d->af));
}

bool ipvs_key_equal(const struct ipvs_key *a, const struct ipvs_key *b)
{
	return memcmp(a->b, b->b, sizeof(a->b)) == 0;
}

uint64_t ipvs_key_hash(const struct ipvs_key *k)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < sizeof(k->b); i++) {
		h ^= k->b[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

bool ipvs_service_same(const struct ipvs_service *a, const struct ipvs_service *b)
{
	struct ipvs_key ka, kb;
	ipvs_service_key(a, &ka);
	ipvs_service_key(b, &kb);
	return ipvs_key_equal(&ka, &kb);
}

bool ipvs_dest_same(const struct ipvs_dest *a, const struct ipvs_dest *b)
{
	struct ipvs_key ka, kb;
	ipvs_dest_key(a, &ka);
	ipvs_dest_key(b, &kb);
	return ipvs_key_equal(&ka, &kb);
}

bool ipvs_service_equal(const struct ipvs_service *a, const struct ipvs_service *b)
{
	return ipvs_service_same(a, b) &&
	       strncmp(a->sched_name, b->sched_name, IPVS_SCHED_NAME_LEN) == 0 &&
	       strncmp(a->pe_name, b->pe_name, IPVS_PE_NAME_LEN) == 0 &&
	       (a->flags & ~IPVS_SVC_F_HASHED) == (b->flags & ~IPVS_SVC_F_HASHED) &&
	       a->timeout == b->timeout &&
	       a->netmask == b->netmask;
}

bool ipvs_dest_equal(const struct ipvs_dest *a, const struct ipvs_dest *b)
{
	if (!ipvs_dest_same(a, b) || a->fwd != b->fwd || a->weight != b->weight ||
	    a->u_threshold != b->u_threshold || a->l_threshold != b->l_threshold)
		return false;
	if (a->fwd != IPVS_FWD_TUNNEL)
		return true;
	return a->tun_type == b->tun_type && a->tun_port == b->tun_port &&
	       a->tun_flags == b->tun_flags;
}

const char *ipvs_proto_name(uint16_t protocol)
{
	switch (protocol) {
	case IPPROTO_TCP: return "tcp";
	case IPPROTO_UDP: return "udp";
	case IPPROTO_SCTP: return "sctp";
	default: return "?";
	}
}

const char *ipvs_fwd_name(uint32_t fwd)
{
	switch (fwd) {
	case IPVS_FWD_MASQ: return "NAT";
	case IPVS_FWD_DROUTE: return "DR";
	case IPVS_FWD_TUNNEL: return "TUN";
	case IPVS_FWD_LOCAL: return "LOCAL";
	default: return "?";
	}
}

static const char *addr_text(uint16_t af, const union ipvs_addr *a, char *buf, size_t len)
{
	if (!addr_len(af) || !inet_ntop(af, a->bytes, buf, (socklen_t)len))
		return "?";
	return buf;
}

char *ipvs_service_fmt(const struct ipvs_service *s, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (!len)
		return buf;
	if (s->fwmark)
		snprintf(buf, len, "FWM %u%s", (unsigned)s->fwmark,
			 s->af == AF_INET6 ? " inet6" : "");
	else
		snprintf(buf, len, "[%s]:%s:%u", addr_text(s->af, &s->addr, a, sizeof(a)),
			 ipvs_proto_name(s->protocol), (unsigned)s->port);
	return buf;
}

char *ipvs_dest_fmt(const struct ipvs_dest *d, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (len)
		snprintf(buf, len, "[%s]:%u", addr_text(d->af, &d->addr, a, sizeof(a)),
			 (unsigned)d->port);
	return buf;
}

/* ---- 1. builders ------------------------------------------------------------
 * Every nla_put_*() and nest call is checked where it is made: libnl
 * returns -NLE_NOMEM when the message has no room, which we report as
 * -EMSGSIZE (the kernel's word for the same thing). */

static int put_header(struct nl_msg *msg, int family, uint8_t cmd, int flags)
{
	if (family <= 0 || family > UINT16_MAX)
		return -EINVAL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags, cmd,
			 IPVS_GENL_VERSION))
		return -EMSGSIZE;
	return 0;
}

/* A name fits the kernel's NLA_NUL_STRING policy: NUL-terminated within
 * its buffer (at most size - 1 characters). */
static bool name_ok(const char *name, size_t size, bool may_be_empty)
{
	size_t n = strnlen(name, size);
	return n < size && (may_be_empty || n > 0);
}

static bool proto_ok(uint16_t protocol)
{
	return protocol == IPPROTO_TCP || protocol == IPPROTO_UDP || protocol == IPPROTO_SCTP;
}

static int check_service(const struct ipvs_service *s, bool full)
{
	if (!addr_len(s->af))
		return -EINVAL;
	if (!s->fwmark && !proto_ok(s->protocol))
		return -EINVAL;
	if (full && (!name_ok(s->sched_name, sizeof(s->sched_name), false) ||
		     !name_ok(s->pe_name, sizeof(s->pe_name), true)))
		return -EINVAL;
	return 0;
}

/* The 16-byte form the kernel's nla_memcpy() into nf_inet_addr expects:
 * the address, then zeros (only the family's bytes are taken from a). */
static void addr16(uint16_t af, const union ipvs_addr *a, uint8_t out[16])
{
	memset(out, 0, 16);
	memcpy(out, a->bytes, addr_len(af));
}

/* IPVS_CMD_ATTR_SERVICE { AF, FWMARK | PROTOCOL ADDR PORT [, the rest] } */
static int put_service(struct nl_msg *msg, const struct ipvs_service *s, bool full)
{
	uint8_t addr[16];
	struct nlattr *nest;
	int err = check_service(s, full);

	if (err)
		return err;
	nest = nla_nest_start(msg, IPVS_CMD_ATTR_SERVICE);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u16(msg, IPVS_SVC_ATTR_AF, s->af) < 0)
		return -EMSGSIZE;
	if (s->fwmark) {
		/* The kernel takes a fwmark service as TCP whatever we say,
		 * and dumps it without protocol, address or port. */
		if (nla_put_u32(msg, IPVS_SVC_ATTR_FWMARK, s->fwmark) < 0)
			return -EMSGSIZE;
	} else {
		addr16(s->af, &s->addr, addr);
		if (nla_put_u16(msg, IPVS_SVC_ATTR_PROTOCOL, s->protocol) < 0)
			return -EMSGSIZE;
		if (nla_put(msg, IPVS_SVC_ATTR_ADDR, sizeof(addr), addr) < 0)
			return -EMSGSIZE;
		/* nla_get_be16() in the kernel: network byte order. */
		if (nla_put_u16(msg, IPVS_SVC_ATTR_PORT, htons(s->port)) < 0)
			return -EMSGSIZE;
	}
	if (full) {
		/* mask ~0: the service's flags become exactly ours. HASHED is
		 * the kernel's own bookkeeping (stripped on add, forced on
		 * edit), so it is never sent. */
		struct ip_vs_flags flags = {
			.flags = s->flags & ~IPVS_SVC_F_HASHED,
			.mask = ~0u,
		};
		/* nla_get_be32() in the kernel, i.e. taken as is: for IPv4 the
		 * mask in network order, for IPv6 a plain prefix length. */
		uint32_t netmask = s->af == AF_INET ? htonl(s->netmask) : s->netmask;

		if (nla_put_string(msg, IPVS_SVC_ATTR_SCHED_NAME, s->sched_name) < 0)
			return -EMSGSIZE;
		if (s->pe_name[0] && nla_put_string(msg, IPVS_SVC_ATTR_PE_NAME, s->pe_name) < 0)
			return -EMSGSIZE;
		if (nla_put(msg, IPVS_SVC_ATTR_FLAGS, sizeof(flags), &flags) < 0)
			return -EMSGSIZE;
		if (nla_put_u32(msg, IPVS_SVC_ATTR_TIMEOUT, s->timeout) < 0)
			return -EMSGSIZE;
		if (nla_put_u32(msg, IPVS_SVC_ATTR_NETMASK, netmask) < 0)
			return -EMSGSIZE;
	}
	if (nla_nest_end(msg, nest) < 0)
		return -EMSGSIZE;
	return 0;
}

/* IPVS_CMD_ATTR_DEST { ADDR_FAMILY, ADDR, PORT [, the rest] } */
static int put_dest(struct nl_msg *msg, const struct ipvs_dest *d, bool full)
{
	uint8_t addr[16];
	struct nlattr *nest;

	if (!addr_len(d->af) || d->fwd > IPVS_FWD_DROUTE)
		return -EINVAL;
	nest = nla_nest_start(msg, IPVS_CMD_ATTR_DEST);
	if (!nest)
		return -EMSGSIZE;
	addr16(d->af, &d->addr, addr);
	/* Linux 3.18+; older kernels ignore it and use the service's. */
	if (nla_put_u16(msg, IPVS_DEST_ATTR_ADDR_FAMILY, d->af) < 0)
		return -EMSGSIZE;
	if (nla_put(msg, IPVS_DEST_ATTR_ADDR, sizeof(addr), addr) < 0)
		return -EMSGSIZE;
	if (nla_put_u16(msg, IPVS_DEST_ATTR_PORT, htons(d->port)) < 0)
		return -EMSGSIZE;
	if (full) {
		if (nla_put_u32(msg, IPVS_DEST_ATTR_FWD_METHOD, d->fwd) < 0)
			return -EMSGSIZE;
		if (nla_put_u32(msg, IPVS_DEST_ATTR_WEIGHT, (uint32_t)d->weight) < 0)
			return -EMSGSIZE;
		if (nla_put_u32(msg, IPVS_DEST_ATTR_U_THRESH, d->u_threshold) < 0)
			return -EMSGSIZE;
		if (nla_put_u32(msg, IPVS_DEST_ATTR_L_THRESH, d->l_threshold) < 0)
			return -EMSGSIZE;
	}
	if (full && d->fwd == IPVS_FWD_TUNNEL) {
		/* Linux 5.2+ (flags 5.3+). Sent for tunnels only, so that
		 * other methods work on kernels that predate them; the kernel
		 * zeroes them when they are absent. */
		if (nla_put_u8(msg, IPVS_DEST_ATTR_TUN_TYPE, d->tun_type) < 0)
			return -EMSGSIZE;
		if (nla_put_u16(msg, IPVS_DEST_ATTR_TUN_PORT, htons(d->tun_port)) < 0)
			return -EMSGSIZE;
		if (nla_put_u16(msg, IPVS_DEST_ATTR_TUN_FLAGS, d->tun_flags) < 0)
			return -EMSGSIZE;
	}
	if (nla_nest_end(msg, nest) < 0)
		return -EMSGSIZE;
	return 0;
}

static int build_service(struct nl_msg *msg, int family, uint8_t cmd,
			 const struct ipvs_service *s, bool full)
{
	int err = put_header(msg, family, cmd, 0);
	return err ? err : put_service(msg, s, full);
}

int ipvs_msg_new_service(struct nl_msg *msg, int family, const struct ipvs_service *s)
{
	return build_service(msg, family, IPVS_CMD_NEW_SERVICE, s, true);
}

int ipvs_msg_edit_service(struct nl_msg *msg, int family, const struct ipvs_service *s)
{
	return build_service(msg, family, IPVS_CMD_SET_SERVICE, s, true);
}

int ipvs_msg_del_service(struct nl_msg *msg, int family, const struct ipvs_service *s)
{
	return build_service(msg, family, IPVS_CMD_DEL_SERVICE, s, false);
}

/* Destination commands name their service by identity only (the kernel
 * parses it with full_entry = false). */
static int build_dest(struct nl_msg *msg, int family, uint8_t cmd,
		      const struct ipvs_service *s, const struct ipvs_dest *d, bool full)
{
	int err = put_header(msg, family, cmd, 0);
	if (!err)
		err = put_service(msg, s, false);
	if (!err)
		err = put_dest(msg, d, full);
	return err;
}

int ipvs_msg_new_dest(struct nl_msg *msg, int family, const struct ipvs_service *s,
		      const struct ipvs_dest *d)
{
	return build_dest(msg, family, IPVS_CMD_NEW_DEST, s, d, true);
}

int ipvs_msg_edit_dest(struct nl_msg *msg, int family, const struct ipvs_service *s,
		       const struct ipvs_dest *d)
{
	return build_dest(msg, family, IPVS_CMD_SET_DEST, s, d, true);
}

int ipvs_msg_del_dest(struct nl_msg *msg, int family, const struct ipvs_service *s,
		      const struct ipvs_dest *d)
{
	return build_dest(msg, family, IPVS_CMD_DEL_DEST, s, d, false);
}

int ipvs_msg_flush(struct nl_msg *msg, int family)
{
	return put_header(msg, family, IPVS_CMD_FLUSH, 0);
}

int ipvs_msg_get_services(struct nl_msg *msg, int family)
{
	return put_header(msg, family, IPVS_CMD_GET_SERVICE, NLM_F_DUMP);
}

int ipvs_msg_get_dests(struct nl_msg *msg, int family, const struct ipvs_service *s)
{
	int err = put_header(msg, family, IPVS_CMD_GET_DEST, NLM_F_DUMP);
	return err ? err : put_service(msg, s, false);
}

int ipvs_msg_get_timeouts(struct nl_msg *msg, int family)
{
	return put_header(msg, family, IPVS_CMD_GET_CONFIG, 0);
}

int ipvs_msg_set_timeouts(struct nl_msg *msg, int family, const struct ipvs_timeouts *t)
{
	int err = put_header(msg, family, IPVS_CMD_SET_CONFIG, 0);

	if (err)
		return err;
	if (t->tcp && nla_put_u32(msg, IPVS_CMD_ATTR_TIMEOUT_TCP, t->tcp) < 0)
		return -EMSGSIZE;
	if (t->tcpfin && nla_put_u32(msg, IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, t->tcpfin) < 0)
		return -EMSGSIZE;
	if (t->udp && nla_put_u32(msg, IPVS_CMD_ATTR_TIMEOUT_UDP, t->udp) < 0)
		return -EMSGSIZE;
	return 0;
}

int ipvs_msg_new_daemon(struct nl_msg *msg, int family, const struct ipvs_daemon *d)
{
	struct nlattr *nest;
	int err;

	if ((d->state != IPVS_DAEMON_MASTER && d->state != IPVS_DAEMON_BACKUP) ||
	    !name_ok(d->mcast_ifn, sizeof(d->mcast_ifn), false) ||
	    (d->mcast_af && !addr_len(d->mcast_af)))
		return -EINVAL;
	err = put_header(msg, family, IPVS_CMD_NEW_DAEMON, 0);
	if (err)
		return err;
	nest = nla_nest_start(msg, IPVS_CMD_ATTR_DAEMON);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(msg, IPVS_DAEMON_ATTR_STATE, d->state) < 0)
		return -EMSGSIZE;
	if (nla_put_string(msg, IPVS_DAEMON_ATTR_MCAST_IFN, d->mcast_ifn) < 0)
		return -EMSGSIZE;
	if (nla_put_u32(msg, IPVS_DAEMON_ATTR_SYNC_ID, d->syncid) < 0)
		return -EMSGSIZE;
	/* The rest is Linux 4.3+; older kernels ignore it. */
	if (d->sync_maxlen && nla_put_u16(msg, IPVS_DAEMON_ATTR_SYNC_MAXLEN, d->sync_maxlen) < 0)
		return -EMSGSIZE;
	/* nla_get_in_addr(): the four address bytes as they are. */
	if (d->mcast_af == AF_INET &&
	    nla_put(msg, IPVS_DAEMON_ATTR_MCAST_GROUP, 4, d->mcast_group.bytes) < 0)
		return -EMSGSIZE;
	if (d->mcast_af == AF_INET6 &&
	    nla_put(msg, IPVS_DAEMON_ATTR_MCAST_GROUP6, 16, d->mcast_group.bytes) < 0)
		return -EMSGSIZE;
	/* nla_get_u16() in the kernel: host order, unlike service ports. */
	if (d->mcast_port && nla_put_u16(msg, IPVS_DAEMON_ATTR_MCAST_PORT, d->mcast_port) < 0)
		return -EMSGSIZE;
	if (d->mcast_ttl && nla_put_u8(msg, IPVS_DAEMON_ATTR_MCAST_TTL, d->mcast_ttl) < 0)
		return -EMSGSIZE;
	if (nla_nest_end(msg, nest) < 0)
		return -EMSGSIZE;
	return 0;
}

int ipvs_msg_del_daemon(struct nl_msg *msg, int family, uint32_t state)
{
	struct nlattr *nest;
	int err;

	if (state != IPVS_DAEMON_MASTER && state != IPVS_DAEMON_BACKUP)
		return -EINVAL;
	err = put_header(msg, family, IPVS_CMD_DEL_DAEMON, 0);
	if (err)
		return err;
	nest = nla_nest_start(msg, IPVS_CMD_ATTR_DAEMON);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(msg, IPVS_DAEMON_ATTR_STATE, state) < 0)
		return -EMSGSIZE;
	if (nla_nest_end(msg, nest) < 0)
		return -EMSGSIZE;
	return 0;
}

int ipvs_msg_get_info(struct nl_msg *msg, int family)
{
	return put_header(msg, family, IPVS_CMD_GET_INFO, 0);
}

/* ---- 2. parsers ---------------------------------------------------------------
 * The policies check sizes (a u32 attribute shorter than 4 bytes is
 * refused by nla_parse) so the nla_get_*() calls below read in bounds.
 * Types above our maximum are skipped by libnl: newer kernels may add
 * attributes without breaking us. */

static const struct nla_policy cmd_policy[IPVS_CMD_ATTR_MAX + 1] = {
	[IPVS_CMD_ATTR_SERVICE] = { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_DEST] = { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_DAEMON] = { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_TIMEOUT_TCP] = { .type = NLA_U32 },
	[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN] = { .type = NLA_U32 },
	[IPVS_CMD_ATTR_TIMEOUT_UDP] = { .type = NLA_U32 },
};

static const struct nla_policy svc_policy[IPVS_SVC_ATTR_MAX + 1] = {
	[IPVS_SVC_ATTR_AF] = { .type = NLA_U16 },
	[IPVS_SVC_ATTR_PROTOCOL] = { .type = NLA_U16 },
	[IPVS_SVC_ATTR_ADDR] = { .type = NLA_UNSPEC, .minlen = 4 },
	[IPVS_SVC_ATTR_PORT] = { .type = NLA_U16 },
	[IPVS_SVC_ATTR_FWMARK] = { .type = NLA_U32 },
	[IPVS_SVC_ATTR_SCHED_NAME] = { .type = NLA_UNSPEC },
	[IPVS_SVC_ATTR_FLAGS] = { .type = NLA_UNSPEC, .minlen = sizeof(struct ip_vs_flags) },
	[IPVS_SVC_ATTR_TIMEOUT] = { .type = NLA_U32 },
	[IPVS_SVC_ATTR_NETMASK] = { .type = NLA_U32 },
	[IPVS_SVC_ATTR_STATS] = { .type = NLA_NESTED },
	[IPVS_SVC_ATTR_PE_NAME] = { .type = NLA_UNSPEC },
	[IPVS_SVC_ATTR_STATS64] = { .type = NLA_NESTED },
};

static const struct nla_policy dest_policy[IPVS_DEST_ATTR_MAX + 1] = {
	[IPVS_DEST_ATTR_ADDR] = { .type = NLA_UNSPEC, .minlen = 4 },
	[IPVS_DEST_ATTR_PORT] = { .type = NLA_U16 },
	[IPVS_DEST_ATTR_FWD_METHOD] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_WEIGHT] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_U_THRESH] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_L_THRESH] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_ACTIVE_CONNS] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_INACT_CONNS] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_PERSIST_CONNS] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_STATS] = { .type = NLA_NESTED },
	[IPVS_DEST_ATTR_ADDR_FAMILY] = { .type = NLA_U16 },
	[IPVS_DEST_ATTR_STATS64] = { .type = NLA_NESTED },
	[IPVS_DEST_ATTR_TUN_TYPE] = { .type = NLA_U8 },
	[IPVS_DEST_ATTR_TUN_PORT] = { .type = NLA_U16 },
	[IPVS_DEST_ATTR_TUN_FLAGS] = { .type = NLA_U16 },
};

/* The 32-bit block: byte counters were always 64-bit. */
static const struct nla_policy stats32_policy[IPVS_STATS_ATTR_MAX + 1] = {
	[IPVS_STATS_ATTR_CONNS] = { .type = NLA_U32 },
	[IPVS_STATS_ATTR_INPKTS] = { .type = NLA_U32 },
	[IPVS_STATS_ATTR_OUTPKTS] = { .type = NLA_U32 },
	[IPVS_STATS_ATTR_INBYTES] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_OUTBYTES] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_CPS] = { .type = NLA_U32 },
	[IPVS_STATS_ATTR_INPPS] = { .type = NLA_U32 },
	[IPVS_STATS_ATTR_OUTPPS] = { .type = NLA_U32 },
	[IPVS_STATS_ATTR_INBPS] = { .type = NLA_U32 },
	[IPVS_STATS_ATTR_OUTBPS] = { .type = NLA_U32 },
};

static const struct nla_policy stats64_policy[IPVS_STATS_ATTR_MAX + 1] = {
	[IPVS_STATS_ATTR_CONNS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_INPKTS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_OUTPKTS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_INBYTES] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_OUTBYTES] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_CPS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_INPPS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_OUTPPS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_INBPS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_OUTBPS] = { .type = NLA_U64 },
};

static const struct nla_policy info_policy[IPVS_INFO_ATTR_MAX + 1] = {
	[IPVS_INFO_ATTR_VERSION] = { .type = NLA_U32 },
	[IPVS_INFO_ATTR_CONN_TAB_SIZE] = { .type = NLA_U32 },
};

/* Copy a NUL-terminated string attribute into dst[size]: false when the
 * attribute has no NUL or does not fit. */
static bool get_name(const struct nlattr *a, char *dst, size_t size)
{
	const char *s = nla_data(a);
	size_t len = (size_t)nla_len(a);
	size_t n = strnlen(s, len);

	if (n == len || n >= size)
		return false;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return true;
}

/* An address attribute holds at least the family's bytes (the kernel
 * sends all 16 of nf_inet_addr). */
static bool get_addr(const struct nlattr *a, uint16_t af, union ipvs_addr *out)
{
	size_t need = addr_len(af);

	if (!need || (size_t)nla_len(a) < need)
		return false;
	memset(out, 0, sizeof(*out));
	memcpy(out->bytes, nla_data(a), need);
	return true;
}

static const char *get_stats(struct nlattr *nest, bool wide, struct ipvs_stats *st)
{
	static const struct {
		int attr;
		size_t off;
		bool u64_always;    /* 64-bit in the 32-bit block too */
	} fields[] = {
		{ IPVS_STATS_ATTR_CONNS, offsetof(struct ipvs_stats, conns), false },
		{ IPVS_STATS_ATTR_INPKTS, offsetof(struct ipvs_stats, inpkts), false },
		{ IPVS_STATS_ATTR_OUTPKTS, offsetof(struct ipvs_stats, outpkts), false },
		{ IPVS_STATS_ATTR_INBYTES, offsetof(struct ipvs_stats, inbytes), true },
		{ IPVS_STATS_ATTR_OUTBYTES, offsetof(struct ipvs_stats, outbytes), true },
		{ IPVS_STATS_ATTR_CPS, offsetof(struct ipvs_stats, cps), false },
		{ IPVS_STATS_ATTR_INPPS, offsetof(struct ipvs_stats, inpps), false },
		{ IPVS_STATS_ATTR_OUTPPS, offsetof(struct ipvs_stats, outpps), false },
		{ IPVS_STATS_ATTR_INBPS, offsetof(struct ipvs_stats, inbps), false },
		{ IPVS_STATS_ATTR_OUTBPS, offsetof(struct ipvs_stats, outbps), false },
	};
	struct nlattr *a[IPVS_STATS_ATTR_MAX + 1];

	if (nla_parse_nested(a, IPVS_STATS_ATTR_MAX, nest, wide ? stats64_policy : stats32_policy) < 0)
		return "malformed statistics";
	memset(st, 0, sizeof(*st));
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		struct nlattr *f = a[fields[i].attr];
		uint64_t v;

		/* A counter the kernel left out stays 0: statistics are for
		 * display, not worth refusing a whole dump over. */
		if (!f)
			continue;
		v = wide || fields[i].u64_always ? nla_get_u64(f) : nla_get_u32(f);
		memcpy((char *)st + fields[i].off, &v, sizeof(v));
	}
	return NULL;
}

/* Parse the generic netlink header and top-level attributes of a reply
 * that must carry cmd. */
static const char *parse_top(struct nlmsghdr *nlh, uint8_t cmd, struct nlattr **top, int maxtype,
			     const struct nla_policy *policy)
{
	if (genlmsg_parse(nlh, 0, top, maxtype, policy) < 0)
		return "malformed generic netlink message";
	if (genlmsg_hdr(nlh)->cmd != cmd)
		return "unexpected command in reply";
	return NULL;
}

const char *ipvs_parse_service(struct nlmsghdr *nlh, struct ipvs_service *out)
{
	struct nlattr *top[IPVS_CMD_ATTR_MAX + 1];
	struct nlattr *a[IPVS_SVC_ATTR_MAX + 1];
	struct ip_vs_flags flags;
	const char *err;

	err = parse_top(nlh, IPVS_CMD_NEW_SERVICE, top, IPVS_CMD_ATTR_MAX, cmd_policy);
	if (err)
		return err;
	if (!top[IPVS_CMD_ATTR_SERVICE])
		return "no service attribute";
	if (nla_parse_nested(a, IPVS_SVC_ATTR_MAX, top[IPVS_CMD_ATTR_SERVICE], svc_policy) < 0)
		return "malformed service attributes";
	memset(out, 0, sizeof(*out));
	if (!a[IPVS_SVC_ATTR_AF])
		return "service without address family";
	out->af = nla_get_u16(a[IPVS_SVC_ATTR_AF]);
	if (!addr_len(out->af))
		return "service with an unknown address family";
	if (a[IPVS_SVC_ATTR_FWMARK])
		out->fwmark = nla_get_u32(a[IPVS_SVC_ATTR_FWMARK]);
	if (!out->fwmark) {
		if (!a[IPVS_SVC_ATTR_PROTOCOL] || !a[IPVS_SVC_ATTR_ADDR] || !a[IPVS_SVC_ATTR_PORT])
			return "service without fwmark or protocol, address and port";
		out->protocol = nla_get_u16(a[IPVS_SVC_ATTR_PROTOCOL]);
		if (!get_addr(a[IPVS_SVC_ATTR_ADDR], out->af, &out->addr))
			return "service address too short for its family";
		out->port = ntohs(nla_get_u16(a[IPVS_SVC_ATTR_PORT]));
	}
	if (!a[IPVS_SVC_ATTR_SCHED_NAME] || !a[IPVS_SVC_ATTR_FLAGS] ||
	    !a[IPVS_SVC_ATTR_TIMEOUT] || !a[IPVS_SVC_ATTR_NETMASK])
		return "service without scheduler, flags, timeout or netmask";
	if (!get_name(a[IPVS_SVC_ATTR_SCHED_NAME], out->sched_name, sizeof(out->sched_name)))
		return "service scheduler name too long or unterminated";
	if (a[IPVS_SVC_ATTR_PE_NAME] &&
	    !get_name(a[IPVS_SVC_ATTR_PE_NAME], out->pe_name, sizeof(out->pe_name)))
		return "service persistence engine name too long or unterminated";
	nla_memcpy(&flags, a[IPVS_SVC_ATTR_FLAGS], sizeof(flags));
	out->flags = flags.flags & flags.mask;
	out->timeout = nla_get_u32(a[IPVS_SVC_ATTR_TIMEOUT]);
	out->netmask = nla_get_u32(a[IPVS_SVC_ATTR_NETMASK]);
	if (out->af == AF_INET)
		out->netmask = ntohl(out->netmask);
	if (a[IPVS_SVC_ATTR_STATS64])
		return get_stats(a[IPVS_SVC_ATTR_STATS64], true, &out->stats);
	if (a[IPVS_SVC_ATTR_STATS])
		return get_stats(a[IPVS_SVC_ATTR_STATS], false, &out->stats);
	return NULL;
}

const char *ipvs_parse_dest(struct nlmsghdr *nlh, uint16_t svc_af, struct ipvs_dest *out)
{
	struct nlattr *top[IPVS_CMD_ATTR_MAX + 1];
	struct nlattr *a[IPVS_DEST_ATTR_MAX + 1];
	const char *err;

	err = parse_top(nlh, IPVS_CMD_NEW_DEST, top, IPVS_CMD_ATTR_MAX, cmd_policy);
	if (err)
		return err;
	if (!top[IPVS_CMD_ATTR_DEST])
		return "no destination attribute";
	if (nla_parse_nested(a, IPVS_DEST_ATTR_MAX, top[IPVS_CMD_ATTR_DEST], dest_policy) < 0)
		return "malformed destination attributes";
	memset(out, 0, sizeof(*out));
	if (!a[IPVS_DEST_ATTR_ADDR] || !a[IPVS_DEST_ATTR_PORT] || !a[IPVS_DEST_ATTR_FWD_METHOD] ||
	    !a[IPVS_DEST_ATTR_WEIGHT] || !a[IPVS_DEST_ATTR_U_THRESH] || !a[IPVS_DEST_ATTR_L_THRESH])
		return "destination without address, port, method, weight or thresholds";
	out->af = a[IPVS_DEST_ATTR_ADDR_FAMILY] ? nla_get_u16(a[IPVS_DEST_ATTR_ADDR_FAMILY]) : svc_af;
	if (!get_addr(a[IPVS_DEST_ATTR_ADDR], out->af, &out->addr))
		return "destination with an unknown family or a short address";
	out->port = ntohs(nla_get_u16(a[IPVS_DEST_ATTR_PORT]));
	out->fwd = nla_get_u32(a[IPVS_DEST_ATTR_FWD_METHOD]) & IP_VS_CONN_F_FWD_MASK;
	out->weight = (int32_t)nla_get_u32(a[IPVS_DEST_ATTR_WEIGHT]);
	out->u_threshold = nla_get_u32(a[IPVS_DEST_ATTR_U_THRESH]);
	out->l_threshold = nla_get_u32(a[IPVS_DEST_ATTR_L_THRESH]);
	if (a[IPVS_DEST_ATTR_TUN_TYPE])
		out->tun_type = nla_get_u8(a[IPVS_DEST_ATTR_TUN_TYPE]);
	if (a[IPVS_DEST_ATTR_TUN_PORT])
		out->tun_port = ntohs(nla_get_u16(a[IPVS_DEST_ATTR_TUN_PORT]));
	if (a[IPVS_DEST_ATTR_TUN_FLAGS])
		out->tun_flags = nla_get_u16(a[IPVS_DEST_ATTR_TUN_FLAGS]);
	if (a[IPVS_DEST_ATTR_ACTIVE_CONNS])
		out->active_conns = nla_get_u32(a[IPVS_DEST_ATTR_ACTIVE_CONNS]);
	if (a[IPVS_DEST_ATTR_INACT_CONNS])
		out->inact_conns = nla_get_u32(a[IPVS_DEST_ATTR_INACT_CONNS]);
	if (a[IPVS_DEST_ATTR_PERSIST_CONNS])
		out->persist_conns = nla_get_u32(a[IPVS_DEST_ATTR_PERSIST_CONNS]);
	if (a[IPVS_DEST_ATTR_STATS64])
		return get_stats(a[IPVS_DEST_ATTR_STATS64], true, &out->stats);
	if (a[IPVS_DEST_ATTR_STATS])
		return get_stats(a[IPVS_DEST_ATTR_STATS], false, &out->stats);
	return NULL;
}

const char *ipvs_parse_info(struct nlmsghdr *nlh, struct ipvs_info *out)
{
	/* GET_INFO's reply puts IPVS_INFO_ATTR_* at the top level, in an
	 * attribute space of its own. */
	struct nlattr *a[IPVS_INFO_ATTR_MAX + 1];
	const char *err = parse_top(nlh, IPVS_CMD_SET_INFO, a, IPVS_INFO_ATTR_MAX, info_policy);

	if (err)
		return err;
	memset(out, 0, sizeof(*out));
	if (!a[IPVS_INFO_ATTR_VERSION])
		return "info reply without version";
	out->version = nla_get_u32(a[IPVS_INFO_ATTR_VERSION]);
	if (a[IPVS_INFO_ATTR_CONN_TAB_SIZE])
		out->conn_tab_size = nla_get_u32(a[IPVS_INFO_ATTR_CONN_TAB_SIZE]);
	return NULL;
}

const char *ipvs_parse_timeouts(struct nlmsghdr *nlh, struct ipvs_timeouts *out)
{
	struct nlattr *a[IPVS_CMD_ATTR_MAX + 1];
	const char *err = parse_top(nlh, IPVS_CMD_SET_CONFIG, a, IPVS_CMD_ATTR_MAX, cmd_policy);

	if (err)
		return err;
	memset(out, 0, sizeof(*out));
	if (a[IPVS_CMD_ATTR_TIMEOUT_TCP])
		out->tcp = nla_get_u32(a[IPVS_CMD_ATTR_TIMEOUT_TCP]);
	if (a[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN])
		out->tcpfin = nla_get_u32(a[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN]);
	if (a[IPVS_CMD_ATTR_TIMEOUT_UDP])
		out->udp = nla_get_u32(a[IPVS_CMD_ATTR_TIMEOUT_UDP]);
	return NULL;
}

/* ---- 3. requests ------------------------------------------------------------- */

/* libnl's codes for failures of its own (socket, memory) as errno. */
static int nle_errno(int nle)
{
	switch (nle < 0 ? -nle : nle) {
	case NLE_NOMEM: return -ENOMEM;
	case NLE_AGAIN: return -EAGAIN;
	case NLE_INTR: return -EINTR;
	case NLE_BAD_SOCK: return -EBADF;
	case NLE_MSG_TRUNC: return -EMSGSIZE;
	case NLE_MSGSIZE: return -EMSGSIZE;
	case NLE_PERM: return -EPERM;
	case NLE_NOACCESS: return -EACCES;
	case NLE_OBJ_NOTFOUND: return -ENOENT;
	case NLE_SEQ_MISMATCH: return -EPROTO;
	case NLE_DUMP_INTR: return -EAGAIN;
	default: return -EIO;
	}
}

int ipvs_nl_init(struct ipvs_nl *h, struct nl_sock *sk)
{
	int family;

	memset(h, 0, sizeof(*h));
	h->sk = sk;
	/* A dump part can be larger than libnl's page-sized default buffer
	 * when the kernel sizes it after an earlier large recvmsg(). */
	nl_socket_enable_msg_peek(sk);
	family = genl_ctrl_resolve(sk, IPVS_GENL_NAME);
	if (family == -NLE_OBJ_NOTFOUND)
		return -EPROTONOSUPPORT;
	if (family < 0)
		return nle_errno(family);
	h->family = family;
	return 0;
}

int ipvs_nl_open(struct ipvs_nl *h)
{
	struct nl_sock *sk = nl_socket_alloc();
	int err;

	memset(h, 0, sizeof(*h));
	if (!sk)
		return -ENOMEM;
	err = genl_connect(sk);
	if (err < 0) {
		nl_socket_free(sk);
		return nle_errno(err);
	}
	err = ipvs_nl_init(h, sk);
	h->own_sk = 1;
	if (err) {
		ipvs_nl_close(h);
		return err;
	}
	return 0;
}

void ipvs_nl_close(struct ipvs_nl *h)
{
	if (h->own_sk && h->sk)
		nl_socket_free(h->sk);
	h->sk = NULL;
	h->own_sk = 0;
}

/* One request in flight: how its answer is recognised and collected. */
struct req {
	uint32_t seq;
	bool done;               /* ACK, NLMSG_ERROR or NLMSG_DONE seen */
	int err;                 /* the kernel's -errno, 0 */
	int cb_err;              /* first failure of on_msg */
	ipvs_nl_msg_fn on_msg;   /* NULL: replies are ignored */
	void *arg;
};

/* Answers to an earlier request that was abandoned (a failed receive)
 * may still sit in the socket: they carry another sequence number. */
static int cb_seq(struct nl_msg *msg, void *arg)
{
	struct req *r = arg;
	return nlmsg_hdr(msg)->nlmsg_seq == r->seq ? NL_OK : NL_SKIP;
}

static int cb_valid(struct nl_msg *msg, void *arg)
{
	struct req *r = arg;
	int err;

	if (!r->on_msg)
		return NL_OK;
	err = r->on_msg(nlmsg_hdr(msg), r->arg);
	/* Keep reading to the end of a dump even after a failure, so that
	 * the socket is left clean for the next request. */
	if (err && !r->cb_err)
		r->cb_err = err;
	return NL_OK;
}

static int cb_ack(struct nl_msg *msg, void *arg)
{
	struct req *r = arg;
	(void)msg;
	r->done = true;
	return NL_STOP;
}

/* NLMSG_DONE may carry the dump's own error as an int. */
static int cb_finish(struct nl_msg *msg, void *arg)
{
	struct req *r = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int e;

	if (nlmsg_datalen(nlh) >= (int)sizeof(e)) {
		memcpy(&e, nlmsg_data(nlh), sizeof(e));
		if (e < 0)
			r->err = e;
	}
	r->done = true;
	return NL_STOP;
}

static int cb_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct req *r = arg;
	(void)who;
	r->err = e->error;
	r->done = true;
	return NL_STOP;
}

int ipvs_nl_call(struct ipvs_nl *h, struct nl_msg *msg, ipvs_nl_msg_fn on_msg, void *arg)
{
	struct req r = { .on_msg = on_msg, .arg = arg };
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	bool dump = (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	struct nl_cb *cb = NULL;
	int ret;

	if (!h->sk) {
		ret = -EBADF;
		goto out;
	}
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		ret = -ENOMEM;
		goto out;
	}
	if (nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, cb_seq, &r) < 0 ||
	    nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, cb_valid, &r) < 0 ||
	    nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, cb_ack, &r) < 0 ||
	    nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, cb_finish, &r) < 0 ||
	    nl_cb_err(cb, NL_CB_CUSTOM, cb_error, &r) < 0) {
		ret = -EINVAL;
		goto out;
	}
	nl_complete_msg(h->sk, msg);
	/* A request is answered by an ACK (or NLMSG_ERROR) whatever the
	 * socket's auto-ack setting; a dump ends with NLMSG_DONE, and the
	 * kernel never ACKs a dump, so asking would only confuse. */
	if (dump)
		nlh->nlmsg_flags &= (uint16_t)~NLM_F_ACK;
	else
		nlh->nlmsg_flags |= NLM_F_ACK;
	r.seq = nlh->nlmsg_seq;
	ret = nl_send(h->sk, msg);
	if (ret < 0) {
		ret = nle_errno(ret);
		goto out;
	}
	h->ops++;
	while (!r.done) {
		ret = nl_recvmsgs(h->sk, cb);
		if (!r.done && ret < 0) {
			ret = nle_errno(ret);
			goto out;
		}
	}
	ret = r.err ? r.err : r.cb_err;
out:
	nl_cb_put(cb);
	nlmsg_free(msg);
	return ret;
}

int ipvs_nl_exec(struct ipvs_nl *h, struct nl_msg *msg)
{
	return ipvs_nl_call(h, msg, NULL, NULL);
}

/* The shortcuts: msg is a fresh nlmsg_alloc() (NULL when out of memory)
 * and built the builder's answer; send it unless building failed. */
static int send_built(struct ipvs_nl *h, struct nl_msg *msg, int built,
		      ipvs_nl_msg_fn on_msg, void *arg)
{
	if (!msg)
		return -ENOMEM;
	if (built) {
		nlmsg_free(msg);
		return built;
	}
	return ipvs_nl_call(h, msg, on_msg, arg);
}

int ipvs_nl_new_service(struct ipvs_nl *h, const struct ipvs_service *s)
{
	struct nl_msg *msg = nlmsg_alloc();
	int built = msg ? ipvs_msg_new_service(msg, h->family, s) : 0;
	return send_built(h, msg, built, NULL, NULL);
}

int ipvs_nl_edit_service(struct ipvs_nl *h, const struct ipvs_service *s)
{
	struct nl_msg *msg = nlmsg_alloc();
	int built = msg ? ipvs_msg_edit_service(msg, h->family, s) : 0;
	return send_built(h, msg, built, NULL, NULL);
}

int ipvs_nl_del_service(struct ipvs_nl *h, const struct ipvs_service *s)
{
	struct nl_msg *msg = nlmsg_alloc();
	int built = msg ? ipvs_msg_del_service(msg, h->family, s) : 0;
	return send_built(h, msg, built, NULL, NULL);
}

int ipvs_nl_new_dest(struct ipvs_nl *h, const struct ipvs_service *s, const struct ipvs_dest *d)
{
	struct nl_msg *msg = nlmsg_alloc();
	int built = msg ? ipvs_msg_new_dest(msg, h->family, s, d) : 0;
	return send_built(h, msg, built, NULL, NULL);
}

int ipvs_nl_edit_dest(struct ipvs_nl *h, const struct ipvs_service *s, const struct ipvs_dest *d)
{
	struct nl_msg *msg = nlmsg_alloc();
	int built = msg ? ipvs_msg_edit_dest(msg, h->family, s, d) : 0;
	return send_built(h, msg, built, NULL, NULL);
}

int ipvs_nl_del_dest(struct ipvs_nl *h, const struct ipvs_service *s, const struct ipvs_dest *d)
{
	struct nl_msg *msg = nlmsg_alloc();
	int built = msg ? ipvs_msg_del_dest(msg, h->family, s, d) : 0;
	return send_built(h, msg, built, NULL, NULL);
}

int ipvs_nl_flush(struct ipvs_nl *h)
{
	struct nl_msg *msg = nlmsg_alloc();
	int built = msg ? ipvs_msg_flush(msg, h->family) : 0;
	return send_built(h, msg, built, NULL, NULL);
}

int ipvs_nl_set_timeouts(struct ipvs_nl *h, const struct ipvs_timeouts *t)
{
	struct nl_msg *msg = nlmsg_alloc();
	int built = msg ? ipvs_msg_set_timeouts(msg, h->family, t) : 0;
	return send_built(h, msg, built, NULL, NULL);
}

int ipvs_nl_new_daemon(struct ipvs_nl *h, const struct ipvs_daemon *d)
{
	struct nl_msg *msg = nlmsg_alloc();
	int built = msg ? ipvs_msg_new_daemon(msg, h->family, d) : 0;
	return send_built(h, msg, built, NULL, NULL);
}

int ipvs_nl_del_daemon(struct ipvs_nl *h, uint32_t state)
{
	struct nl_msg *msg = nlmsg_alloc();
	int built = msg ? ipvs_msg_del_daemon(msg, h->family, state) : 0;
	return send_built(h, msg, built, NULL, NULL);
}

/* Collectors for replies: each records the parser's complaint in the
 * handle and answers -EBADMSG. */
struct collect {
	struct ipvs_nl *h;
	void *out;
	uint16_t svc_af;
	bool got;
};

static int on_info(struct nlmsghdr *nlh, void *arg)
{
	struct collect *c = arg;
	c->h->parse_err = ipvs_parse_info(nlh, c->out);
	c->got = !c->h->parse_err;
	return c->h->parse_err ? -EBADMSG : 0;
}

static int on_timeouts(struct nlmsghdr *nlh, void *arg)
{
	struct collect *c = arg;
	c->h->parse_err = ipvs_parse_timeouts(nlh, c->out);
	c->got = !c->h->parse_err;
	return c->h->parse_err ? -EBADMSG : 0;
}

int ipvs_nl_get_info(struct ipvs_nl *h, struct ipvs_info *out)
{
	struct collect c = { .h = h, .out = out };
	struct nl_msg *msg = nlmsg_alloc();
	int err = send_built(h, msg, msg ? ipvs_msg_get_info(msg, h->family) : 0, on_info, &c);

	if (!err && !c.got)
		err = -ENODATA;
	return err;
}

int ipvs_nl_get_timeouts(struct ipvs_nl *h, struct ipvs_timeouts *out)
{
	struct collect c = { .h = h, .out = out };
	struct nl_msg *msg = nlmsg_alloc();
	int err = send_built(h, msg, msg ? ipvs_msg_get_timeouts(msg, h->family) : 0,
			     on_timeouts, &c);

	if (!err && !c.got)
		err = -ENODATA;
	return err;
}

/* Make room for one more element of size sz in *v (len, cap). */
static void *grow(void *v, size_t *cap, size_t len, size_t sz)
{
	size_t ncap;
	void *nv;

	if (len < *cap)
		return v;
	ncap = *cap ? *cap * 2 : 64;
	if (ncap < *cap || ncap > SIZE_MAX / sz)
		return NULL;
	nv = realloc(v, ncap * sz);
	if (nv)
		*cap = ncap;
	return nv;
}

static int on_service(struct nlmsghdr *nlh, void *arg)
{
	struct collect *c = arg;
	struct ipvs_service_vec *vec = c->out;
	struct ipvs_service s;
	struct ipvs_service *nv;

	c->h->parse_err = ipvs_parse_service(nlh, &s);
	if (c->h->parse_err)
		return -EBADMSG;
	nv = grow(vec->v, &vec->cap, vec->len, sizeof(*vec->v));
	if (!nv)
		return -ENOMEM;
	vec->v = nv;
	vec->v[vec->len++] = s;
	return 0;
}

static int on_dest(struct nlmsghdr *nlh, void *arg)
{
	struct collect *c = arg;
	struct ipvs_dest_vec *vec = c->out;
	struct ipvs_dest d;
	struct ipvs_dest *nv;

	c->h->parse_err = ipvs_parse_dest(nlh, c->svc_af, &d);
	if (c->h->parse_err)
		return -EBADMSG;
	nv = grow(vec->v, &vec->cap, vec->len, sizeof(*vec->v));
	if (!nv)
		return -ENOMEM;
	vec->v = nv;
	vec->v[vec->len++] = d;
	return 0;
}

int ipvs_nl_dump_services(struct ipvs_nl *h, struct ipvs_service_vec *out)
{
	struct collect c = { .h = h, .out = out };
	struct nl_msg *msg = nlmsg_alloc();

	h->parse_err = NULL;
	return send_built(h, msg, msg ? ipvs_msg_get_services(msg, h->family) : 0, on_service, &c);
}

int ipvs_nl_dump_dests(struct ipvs_nl *h, const struct ipvs_service *s, struct ipvs_dest_vec *out)
{
	struct collect c = { .h = h, .out = out, .svc_af = s->af };
	struct nl_msg *msg = nlmsg_alloc();

	h->parse_err = NULL;
	return send_built(h, msg, msg ? ipvs_msg_get_dests(msg, h->family, s) : 0, on_dest, &c);
}

const char *ipvs_strerror(int cmd, int err)
{
	static const struct {
		int cmd;             /* 0: any command */
		int err;
		const char *text;
	} table[] = {
		{ IPVS_CMD_NEW_SERVICE, EEXIST, "service already exists" },
		{ IPVS_CMD_NEW_SERVICE, ENOENT, "scheduler or persistence engine module not found" },
		{ IPVS_CMD_NEW_SERVICE, EINVAL, "invalid service (an IPv6 persistence prefix must be 1..128)" },
		{ IPVS_CMD_SET_SERVICE, ESRCH, "no such service" },
		{ IPVS_CMD_SET_SERVICE, ENOENT, "scheduler or persistence engine module not found" },
		{ IPVS_CMD_SET_SERVICE, EINVAL, "invalid service (an IPv6 persistence prefix must be 1..128)" },
		{ IPVS_CMD_DEL_SERVICE, ESRCH, "no such service" },
		{ IPVS_CMD_NEW_DEST, ESRCH, "the service does not exist" },
		{ IPVS_CMD_NEW_DEST, EEXIST, "destination already exists" },
		{ IPVS_CMD_NEW_DEST, ERANGE, "weight below 0 or lower threshold above upper threshold" },
		{ IPVS_CMD_NEW_DEST, EINVAL,
		  "invalid destination (not a unicast address, GUE without a port, "
		  "or another family without TUN)" },
		{ IPVS_CMD_SET_DEST, ESRCH, "the service does not exist" },
		{ IPVS_CMD_SET_DEST, ENOENT, "no such destination" },
		{ IPVS_CMD_SET_DEST, ERANGE, "weight below 0 or lower threshold above upper threshold" },
		{ IPVS_CMD_SET_DEST, EINVAL,
		  "invalid destination (GUE without a port, or another family without TUN)" },
		{ IPVS_CMD_DEL_DEST, ESRCH, "the service does not exist" },
		{ IPVS_CMD_DEL_DEST, ENOENT, "no such destination" },
		{ IPVS_CMD_NEW_DAEMON, EEXIST, "a sync daemon of this kind is already running" },
		{ IPVS_CMD_NEW_DAEMON, ENODEV, "no such multicast interface" },
		{ IPVS_CMD_NEW_DAEMON, EINVAL,
		  "invalid sync daemon (group not multicast, or services with mixed families)" },
		{ IPVS_CMD_DEL_DAEMON, ESRCH, "no sync daemon of this kind is running" },
		{ IPVS_CMD_SET_CONFIG, EINVAL, "timeout out of range" },
		{ 0, EPERM, "permission denied (CAP_NET_ADMIN is needed)" },
		{ 0, EPROTONOSUPPORT, "IPVS not available: load the ip_vs kernel module" },
		{ 0, EAFNOSUPPORT, "address family not supported by IPVS (IPv6 disabled?)" },
		{ 0, ENOPROTOOPT, "the ip_vs module is being unloaded" },
		{ 0, EBADMSG, "the kernel sent a reply vigil cannot parse" },
	};
	int e = err < 0 ? -err : err;

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if ((table[i].cmd == 0 || table[i].cmd == cmd) && table[i].err == e)
			return table[i].text;
	return strerror(e);
}
