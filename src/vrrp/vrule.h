/* vrule.h - routing policy rules (static_rules, virtual_rules) over
 * rtnetlink, and the names of tables, protocols and realms.
 *
 * libnl-route 3.7's rtnl_rule has no setter for "not", uidrange,
 * suppress_prefixlength or suppress_ifgroup, so the RTM_NEWRULE /
 * RTM_DELRULE message is built here directly (fib_rule_hdr plus FRA_*
 * attributes): every option the parser accepts reaches the kernel.
 */
#ifndef VIGIL_VRRP_VRULE_H
#define VIGIL_VRRP_VRULE_H

#include <stdbool.h>
#include <stdint.h>

#include "conf.h"

struct nl_sock;
struct nl_msg;

/* Which iproute2 file names an id: rt_tables, rt_protos, rt_realms. */
enum rtid_kind { RTID_TABLE, RTID_PROTO, RTID_REALM };

/* The number of id: its own number, or its name looked up in
 * /etc/iproute2/<file>, then /usr/share/iproute2/<file> (where Debian's
 * iproute2 keeps the defaults). false when the name is in neither. */
bool rtid_resolve(const struct rt_id *id, enum rtid_kind kind, uint32_t *out);

/* The message that adds (add true) or deletes r; NULL with *why set
 * (a table, protocol or realm name that no file knows, or no memory). */
struct nl_msg *vrule_build(const struct rule_item *r, bool add, const char **why);

/* Add (an identical rule already there counts as added: the kernel
 * refuses a duplicate with NLM_F_EXCL, which keeps reloads from stacking
 * copies) or delete (already gone is fine). 0 or a negative libnl error;
 * -NLE_INVAL with *why for a name that does not resolve. */
int vrule_add(struct nl_sock *sk, const struct rule_item *r, const char **why);
int vrule_del(struct nl_sock *sk, const struct rule_item *r, const char **why);

#endif
