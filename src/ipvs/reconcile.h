/* reconcile.h - the IPVS table vigil wants, and the fewest operations
 * that make the kernel's table equal to it.
 *
 * Two pure steps, no kernel and no logging:
 *   1. ipvs_desired(): from the configuration model and the checkers'
 *      verdicts, the table vigil wants (services with their
 *      destinations): a failed real server is left out, or kept with
 *      weight 0 under inhibit_on_failure; the sorry_server replaces the
 *      real servers when the quorum is lost (quorum, hysteresis);
 *      virtual_server_group entries expand into one service each
 *      (address ranges, fwmarks); alpha makes a real server start down.
 *   2. ipvs_diff(): desired vs a dump of the kernel's table (and the set
 *      of entries vigil owns) into a list of add / edit / delete
 *      operations, in an order the kernel accepts (services before their
 *      destinations when adding, destinations before services when
 *      deleting). Entries that already match are left alone (a restart or
 *      reload adopts them, so live connections survive); entries vigil
 *      does not own are never touched.
 *
 * How keepalived 2.2.7 maps the configuration to IPVS, which ipvs_desired()
 * follows so that a table keepalived left behind is adopted unchanged:
 *  - lvs_sched is the scheduler module name; flag-1/2/3 are
 *    IP_VS_SVC_F_SCHED1/2/3, sh-fallback and mh-fallback SCHED1, sh-port
 *    and mh-port SCHED2; ops is IP_VS_SVC_F_ONEPACKET. "hashed" sets
 *    nothing: IP_VS_SVC_F_HASHED is the kernel's own bookkeeping.
 *  - persistence_timeout sets IP_VS_SVC_F_PERSISTENT and the timeout; the
 *    netmask is persistence_granularity when given (IPv4 a mask, IPv6 a
 *    prefix length), else /32 or /128. persistence_engine is pe_name.
 *  - a virtual_server IP with no port is a port-0 service (the model has
 *    made it persistent); a fwmark service has no protocol, address or
 *    port, and its family is the model's resolved vs->af.
 *  - on an IP service a real server without a port takes the service's
 *    port; so does a DR or TUN sorry server (a NAT one keeps port 0,
 *    which the kernel reads as "the packet's port"). Group services use
 *    the ports as written.
 *  - lvs_method NAT/DR/TUN is the destination's forwarding method; a real
 *    server without one takes the virtual server's (with its tunnel
 *    options), the sorry server sorry_server_lvs_method or else the
 *    virtual server's. TUN carries type ipip/gue/gre, the GUE port and
 *    csum/remcsum flags. The sorry server has weight 1.
 */
#ifndef VIGIL_IPVS_RECONCILE_H
#define VIGIL_IPVS_RECONCILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "ipvs.h"

/* One service with its destinations. */
struct ipvs_entry {
	struct ipvs_service svc;
	struct ipvs_dest *dests;
	size_t ndests;
	const struct virtual_server *vs;  /* where it came from (NULL in a dump) */
	/* The services a virtual_server_group expands into all have the same
	 * destinations: ipvs_desired() gives them one array, owned by the
	 * first of them; the others have shares_dests set, and
	 * ipvs_table_free() leaves their dests alone. A table built from a
	 * dump leaves it false (each entry owns its malloc'd dests). */
	bool shares_dests;
};

struct ipvs_table {
	struct ipvs_entry *entries;
	size_t n;
};

/* The checkers' view of one real server, looked up by the caller's
 * function: is it up, and with what weight (misc_dynamic, FILE_CHECK). */
struct rs_verdict {
	bool up;
	int32_t weight;            /* negative (-1): the configured weight */
};
typedef struct rs_verdict (*rs_verdict_fn)(const struct virtual_server *vs,
					   const struct real_server *rs, void *data);

/* ---- quorum memory ---------------------------------------------------------
 * keepalived's quorum has hysteresis (ipwrapper.c, update_quorum_state()):
 * with W the sum of the weights of the real servers that are up,
 *   - at start-up the quorum is up when W >= quorum + hysteresis;
 *   - an up quorum is lost when W == 0 or W < quorum - hysteresis;
 *   - a lost quorum comes back when W >= quorum + hysteresis.
 * Between those bounds the answer depends on the previous one, so the
 * caller keeps it here from call to call (and over a reload, with
 * ipvs_quorum_carry(), as keepalived copies quorum_state_up to the new
 * virtual server). The state only changes the table when the virtual
 * server has a sorry_server; quorum_up/quorum_down notifications are the
 * caller's, by comparing the state before and after a call. */
enum ipvs_quorum { IPVS_QUORUM_UNKNOWN = 0, IPVS_QUORUM_DOWN, IPVS_QUORUM_UP };

struct ipvs_quorum_state {
	const struct config *cfg;  /* the configuration state[] is for */
	uint8_t *state;            /* enum ipvs_quorum, one per virtual_server in
				    * configuration order (cfg->virtual_servers) */
	size_t n;
};

/* Every virtual server of cfg UNKNOWN. 0 or -ENOMEM. */
int ipvs_quorum_init(struct ipvs_quorum_state *q, const struct config *cfg);
/* For a reload: re-key q from q->cfg (which must still be alive) to cfg.
 * A virtual server of cfg with the same head as one of the old
 * configuration (address, port, protocol and family; fwmark and family;
 * or group name, protocol and family) keeps its state; the others start
 * UNKNOWN. O(n) with hashing. 0, or -ENOMEM (q is then unchanged). */
int ipvs_quorum_carry(struct ipvs_quorum_state *q, const struct config *cfg);
void ipvs_quorum_free(struct ipvs_quorum_state *q);

/* The table the configuration wants; verdict may be NULL: every real
 * server up with its configured weight, except one with a checker whose
 * alpha is on (checker, else real_server, else virtual_server), which
 * starts down, as in keepalived (a real server without checkers is up).
 * Every quorum is judged as at start-up (no memory). Services come in
 * configuration order: virtual servers as written, a group's lines as
 * written, the addresses of a range in ascending order. A service that
 * an earlier virtual server already produced (overlapping groups) is
 * left out: the first wins. A virtual server with neither real servers
 * nor a sorry server is left out, as keepalived ignores it.
 * Returns 0, -ENOMEM, or -E2BIG when one group line covers more than
 * IPVS_GROUP_LINE_MAX addresses (e.g. an IPv6 /64). Free with
 * ipvs_table_free(); out is zeroed on error. */
#define IPVS_GROUP_LINE_MAX (1u << 20)
int ipvs_desired(const struct config *cfg, rs_verdict_fn verdict, void *data,
		 struct ipvs_table *out);
/* The same, with quorum memory: q (NULL: none) must have been made for
 * cfg (else -EINVAL); each virtual server's state is read, and replaced
 * by the new one when the call succeeds. */
int ipvs_desired_quorum(const struct config *cfg, rs_verdict_fn verdict, void *data,
			struct ipvs_quorum_state *q, struct ipvs_table *out);
void ipvs_table_free(struct ipvs_table *t);

enum ipvs_op_kind {
	IPVS_OP_ADD_SERVICE, IPVS_OP_EDIT_SERVICE, IPVS_OP_DEL_SERVICE,
	IPVS_OP_ADD_DEST, IPVS_OP_EDIT_DEST, IPVS_OP_DEL_DEST,
};

struct ipvs_op {
	enum ipvs_op_kind kind;
	struct ipvs_service svc;   /* the service (for dest ops: the one it belongs to) */
	struct ipvs_dest dest;     /* dest ops only (zero otherwise) */
};

struct ipvs_ops {
	struct ipvs_op *ops;
	size_t n;
};

/* Which kernel entries vigil may change or delete: those it created, or
 * adopted because the configuration asks for them. Asked as
 * owned(svc, NULL) about a kernel service that the desired table does
 * not have (delete it?), and as owned(svc, dest) about a destination of
 * a desired service that the desired table does not list (delete it?).
 * NULL: every entry in the desired table's services is vigil's, and
 * services not in the desired table are not (they are left alone). */
typedef bool (*ipvs_owned_fn)(const struct ipvs_service *svc, const struct ipvs_dest *dest,
			      void *data);

/* The operations that turn current into desired. Pure; 0 or -ENOMEM.
 *
 * A service in both tables is adopted whatever owned() says (the
 * configuration asks for it): EDIT_SERVICE when its scheduler, flags,
 * timeout, netmask or persistence engine differ (never delete + add,
 * which would drop its connections); per destination EDIT_DEST when its
 * weight, thresholds or forwarding method differ, ADD_DEST when missing,
 * DEL_DEST when not desired and owned. A service only in current is
 * deleted with one DEL_SERVICE when owned (the kernel deletes its
 * destinations with it, whoever added them); a service only in desired
 * gets ADD_SERVICE and one ADD_DEST per destination. Equal entries give
 * no operation (statistics, connection counts and IPVS_SVC_F_HASHED are
 * not compared).
 *
 * Order: every DEL_DEST, then ADD_SERVICE/EDIT_SERVICE, then
 * ADD_DEST/EDIT_DEST, then every DEL_SERVICE; within each group, desired
 * order (DEL_SERVICE: current order). A key repeated within a table
 * counts once (its first occurrence). O(n) expected, with hashing. */
int ipvs_diff(const struct ipvs_table *desired, const struct ipvs_table *current,
	      ipvs_owned_fn owned, void *data, struct ipvs_ops *out);
void ipvs_ops_free(struct ipvs_ops *ops);
/* One line for the log:
 *   "add service [10.0.0.1]:tcp:80 (wlc)"
 *   "edit service FWM 5 (sh, persistent 300 s)"
 *   "delete service [10.0.0.1]:tcp:80"
 *   "add dest [10.0.0.2]:80 to [10.0.0.1]:tcp:80 (NAT, weight 1)"
 *   "edit dest [10.0.0.2]:80 in [10.0.0.1]:tcp:80 (DR, weight 0)"
 *   "delete dest [10.0.0.2]:80 from [10.0.0.1]:tcp:80"
 * Always NUL-terminates (truncating if len is short); returns buf. */
#define IPVS_OP_STRLEN (IPVS_SERVICE_STRLEN + IPVS_DEST_STRLEN + 64)
const char *ipvs_op_describe(const struct ipvs_op *op, char *buf, size_t len);

/* ---- a set of keys --------------------------------------------------------------
 * Keys (ipvs_service_key / ipvs_dest_key) with a non-zero value each, in
 * a hash table that grows as needed: O(1) lookups for callers that ask
 * about thousands of services. */
struct ipvs_keyset;
struct ipvs_keyset *ipvs_keyset_new(void);               /* NULL: no memory */
/* The key's value, 0 when absent. */
uint32_t ipvs_keyset_get(const struct ipvs_keyset *s, const struct ipvs_key *k);
/* Insert or replace (val != 0). 0 or -ENOMEM. */
int ipvs_keyset_put(struct ipvs_keyset *s, const struct ipvs_key *k, uint32_t val);
void ipvs_keyset_clear(struct ipvs_keyset *s);
size_t ipvs_keyset_size(const struct ipvs_keyset *s);
void ipvs_keyset_free(struct ipvs_keyset *s);

#endif
