/* netlink.h - talking to the kernel's "IPVS" generic netlink family.
 *
 * Three layers, so that all but the last can be tested without a kernel:
 *
 *  1. Builders write one request into an empty struct nl_msg that the
 *     caller allocated (nlmsg_alloc(), or nlmsg_alloc_size() to test what
 *     happens when it is too small). They are pure: no socket, no log, no
 *     global. Each returns 0, -EMSGSIZE when the message has no room left,
 *     or -EINVAL when the object cannot be expressed (unknown family, a
 *     name longer than the kernel accepts). On error the message is
 *     half-written: free it.
 *  2. Parsers read one reply message (a dump part or a GET reply) into a
 *     struct. They return NULL or a static string saying what is wrong.
 *  3. The ipvs_nl_* functions send a request over a connected generic
 *     netlink socket and wait for the kernel's answer. They return 0 or
 *     -errno as the kernel reported it in NLMSG_ERROR (not libnl's
 *     NLE_* codes, which merge ENOENT and ESRCH), so that the caller can
 *     log one line naming the object: ipvs_strerror() says what the
 *     errno means for that command.
 *
 * Kernel ABI notes (net/netfilter/ipvs/ip_vs_ctl.c):
 *  - service and destination ports, and the tunnel port, are big-endian
 *    u16 attributes; the sync daemon's port is host order.
 *  - the persistence netmask is a be32 mask for IPv4 and a plain prefix
 *    length (host order) for IPv6.
 *  - flags travel as struct ip_vs_flags {flags, mask}; we always send
 *    mask = ~0 so the kernel's flags become exactly ours.
 *  - NEW/SET_SERVICE need AF, (FWMARK | PROTOCOL+ADDR+PORT), SCHED_NAME,
 *    FLAGS, TIMEOUT and NETMASK; every other command that names a
 *    service needs only its identity. NEW/SET_DEST need ADDR, PORT,
 *    FWD_METHOD, WEIGHT, U_THRESH and L_THRESH; DEL_DEST ADDR and PORT.
 */
#ifndef VIGIL_IPVS_NETLINK_H
#define VIGIL_IPVS_NETLINK_H

#include <linux/ip_vs.h>   /* IPVS_CMD_*, for ipvs_strerror() */
#include <stddef.h>
#include <stdint.h>

#include "ipvs.h"

struct nl_msg;
struct nl_sock;
struct nlmsghdr;

/* ---- 1. builders ------------------------------------------------------ */

/* IPVS_CMD_NEW_SERVICE / SET_SERVICE: the full service. */
int ipvs_msg_new_service(struct nl_msg *msg, int family, const struct ipvs_service *s);
int ipvs_msg_edit_service(struct nl_msg *msg, int family, const struct ipvs_service *s);
/* IPVS_CMD_DEL_SERVICE: the identity only (the kernel deletes its dests). */
int ipvs_msg_del_service(struct nl_msg *msg, int family, const struct ipvs_service *s);
/* IPVS_CMD_NEW_DEST / SET_DEST: service identity + the full dest. */
int ipvs_msg_new_dest(struct nl_msg *msg, int family, const struct ipvs_service *s,
		      const struct ipvs_dest *d);
int ipvs_msg_edit_dest(struct nl_msg *msg, int family, const struct ipvs_service *s,
		       const struct ipvs_dest *d);
/* IPVS_CMD_DEL_DEST: service identity + dest identity. */
int ipvs_msg_del_dest(struct nl_msg *msg, int family, const struct ipvs_service *s,
		      const struct ipvs_dest *d);
/* IPVS_CMD_FLUSH: every service and destination in this namespace. */
int ipvs_msg_flush(struct nl_msg *msg, int family);
/* IPVS_CMD_GET_SERVICE with NLM_F_DUMP: every service. */
int ipvs_msg_get_services(struct nl_msg *msg, int family);
/* IPVS_CMD_GET_DEST with NLM_F_DUMP: the dests of one service. */
int ipvs_msg_get_dests(struct nl_msg *msg, int family, const struct ipvs_service *s);
/* IPVS_CMD_GET_CONFIG / SET_CONFIG. Zero timeouts are not sent (the
 * kernel would leave them unchanged anyway). */
int ipvs_msg_get_timeouts(struct nl_msg *msg, int family);
int ipvs_msg_set_timeouts(struct nl_msg *msg, int family, const struct ipvs_timeouts *t);
/* IPVS_CMD_NEW_DAEMON: state, interface and syncid always; maxlen, group,
 * port and ttl when non-zero. IPVS_CMD_DEL_DAEMON: the state only. */
int ipvs_msg_new_daemon(struct nl_msg *msg, int family, const struct ipvs_daemon *d);
int ipvs_msg_del_daemon(struct nl_msg *msg, int family, uint32_t state);
/* IPVS_CMD_GET_INFO */
int ipvs_msg_get_info(struct nl_msg *msg, int family);

/* ---- 2. parsers --------------------------------------------------------- */

/* An IPVS_CMD_NEW_SERVICE message (a dump part or a GET_SERVICE reply).
 * Statistics come from STATS64 when present, else from the 32-bit STATS
 * block, else stay zero. */
const char *ipvs_parse_service(struct nlmsghdr *nlh, struct ipvs_service *out);
/* An IPVS_CMD_NEW_DEST dump part. Kernels before 3.18 send no address
 * family: svc_af (the service's) is used then. */
const char *ipvs_parse_dest(struct nlmsghdr *nlh, uint16_t svc_af, struct ipvs_dest *out);
/* The IPVS_CMD_SET_INFO reply to GET_INFO. */
const char *ipvs_parse_info(struct nlmsghdr *nlh, struct ipvs_info *out);
/* The IPVS_CMD_SET_CONFIG reply to GET_CONFIG (a value the kernel was
 * built without stays 0). */
const char *ipvs_parse_timeouts(struct nlmsghdr *nlh, struct ipvs_timeouts *out);

/* ---- 3. requests over a socket ------------------------------------------ */

struct ipvs_nl {
	struct nl_sock *sk;      /* connected NETLINK_GENERIC socket */
	int family;              /* the "IPVS" family id */
	uint64_t ops;            /* IPVS requests handed to the kernel (a dump
				  * counts once; resolving the family and
				  * builder refusals do not count) */
	const char *parse_err;   /* last reply a parser refused, for -EBADMSG */
	unsigned own_sk : 1;     /* ipvs_nl_open() allocated sk */
};

/* Over a socket the caller connected (genl_connect()) and keeps owning:
 * resolve the family. 0, -EPROTONOSUPPORT when there is no IPVS family
 * (the module is not loaded), or another -errno. Enables MSG_PEEK on sk
 * so that dump parts of any size are read whole. */
int ipvs_nl_init(struct ipvs_nl *h, struct nl_sock *sk);
/* Allocate and connect a socket of our own, then ipvs_nl_init(). */
int ipvs_nl_open(struct ipvs_nl *h);
/* Free the socket if ipvs_nl_open() made it. */
void ipvs_nl_close(struct ipvs_nl *h);

/* Called for each reply message; returns 0 or -errno. */
typedef int (*ipvs_nl_msg_fn)(struct nlmsghdr *nlh, void *arg);

/* Send msg (always consumed, even on error) and read its answer: every
 * reply message goes to on_msg (may be NULL); a request (any builder's
 * message without NLM_F_DUMP) ends with the kernel's ACK or error, a
 * dump with NLMSG_DONE. A dump is read to its end even after on_msg
 * failed, so that the socket stays in step. Returns 0, the kernel's
 * -errno, or else the first error on_msg returned. */
int ipvs_nl_call(struct ipvs_nl *h, struct nl_msg *msg, ipvs_nl_msg_fn on_msg, void *arg);
/* ipvs_nl_call() without a reply handler. */
int ipvs_nl_exec(struct ipvs_nl *h, struct nl_msg *msg);

/* Build-and-exec shortcuts; 0 or -errno (see ipvs_strerror()). The two
 * getters answer -ENODATA if the kernel ACKed without a reply and
 * -EBADMSG if the reply did not parse (h->parse_err). */
int ipvs_nl_new_service(struct ipvs_nl *h, const struct ipvs_service *s);
int ipvs_nl_edit_service(struct ipvs_nl *h, const struct ipvs_service *s);
int ipvs_nl_del_service(struct ipvs_nl *h, const struct ipvs_service *s);
int ipvs_nl_new_dest(struct ipvs_nl *h, const struct ipvs_service *s, const struct ipvs_dest *d);
int ipvs_nl_edit_dest(struct ipvs_nl *h, const struct ipvs_service *s, const struct ipvs_dest *d);
int ipvs_nl_del_dest(struct ipvs_nl *h, const struct ipvs_service *s, const struct ipvs_dest *d);
int ipvs_nl_flush(struct ipvs_nl *h);
int ipvs_nl_set_timeouts(struct ipvs_nl *h, const struct ipvs_timeouts *t);
int ipvs_nl_get_timeouts(struct ipvs_nl *h, struct ipvs_timeouts *out);
int ipvs_nl_new_daemon(struct ipvs_nl *h, const struct ipvs_daemon *d);
int ipvs_nl_del_daemon(struct ipvs_nl *h, uint32_t state);
int ipvs_nl_get_info(struct ipvs_nl *h, struct ipvs_info *out);

/* Growable arrays the caller owns: start zeroed, free(v) when done. A
 * dump appends to them. */
struct ipvs_service_vec {
	struct ipvs_service *v;
	size_t len, cap;
};
struct ipvs_dest_vec {
	struct ipvs_dest *v;
	size_t len, cap;
};

/* Dump every service into out. 0, -ENOMEM, -EBADMSG (h->parse_err says
 * why), or -errno from the kernel. On error out may hold part of the
 * table: free it all the same. */
int ipvs_nl_dump_services(struct ipvs_nl *h, struct ipvs_service_vec *out);
/* Dump the dests of s into out. The kernel answers an empty dump, not an
 * error, when s does not exist. */
int ipvs_nl_dump_dests(struct ipvs_nl *h, const struct ipvs_service *s, struct ipvs_dest_vec *out);

/* What err (negative) means for cmd (IPVS_CMD_*), in words an operator
 * can act on, e.g. ENOENT on NEW_SERVICE: "scheduler or persistence
 * engine module not found". Falls back to strerror(). */
const char *ipvs_strerror(int cmd, int err);

#endif
