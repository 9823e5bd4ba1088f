/* privs.h - each vigild process keeps only the capabilities it needs.
 *
 * vigild runs as root. Once a process has started (the supervisor: pid
 * files locked, configuration read, daemonised; a worker: before its loop
 * runs, so before any thread exists, since capabilities are per thread)
 * it calls privs_drop() with its role: its effective set becomes the
 * role's row of the table in privs.c, its permitted set that plus the few
 * the role keeps permitted only, its inheritable set is emptied, and
 * nothing outside the permitted set can ever be raised again, so the set
 * kept is what the process needs for its whole life, reloads included (a
 * reload may open sockets on new interfaces, create a notify FIFO, start
 * scripts as another user), not only at start.
 *
 * The bounding set is left as it is (systemd's CapabilityBoundingSet
 * narrows it). That is deliberate: the workers are started by exec as
 * root, and a root exec gives the new program the whole bounding set
 * again (under no_new_privs, only its parent's permitted set: so the
 * supervisor keeps the workers' capabilities permitted); and a notify,
 * track or MISC_CHECK script run as root gets the bounding set too, as it
 * would under keepalived (under no_new_privs, its worker's permitted
 * set). A script run as a user other than root gets no capability.
 * (vigild(8), CAPABILITIES, says it for operators.)
 */
#ifndef VIGIL_PRIVS_H
#define VIGIL_PRIVS_H

#include <stdbool.h>
#include <stddef.h>

enum privs_role {
	PRIVS_SUPERVISOR,
	PRIVS_VRRP,
	PRIVS_CHECK,
};

/* Keep the role's capabilities (those of them the process has) in the
 * effective and permitted sets, those it keeps permitted only in the
 * permitted set, drop every other, empty the inheritable set; the
 * bounding set is not touched. On success, 0, and kept (when not NULL)
 * names what was kept ("cap_net_admin, cap_net_raw; permitted only:
 * cap_dac_override" or "none"). netns: the configuration has
 * net_namespace_ipvs, so CAP_SYS_ADMIN stays permitted for netns_call().
 * On failure -1 and why says what
 * failed; the process then runs with the capabilities it had. */
int privs_drop(enum privs_role role, bool netns, char *kept, size_t keptlen, char *why,
	       size_t whylen);

/* Make cap (CAP_* of <linux/capability.h>) effective on this thread for
 * one call, when it is permitted but not effective. True when it raised
 * it: call privs_lower(cap) right after the call. False when there was
 * nothing to do (already effective, as in a process that dropped
 * nothing) or it could not (not permitted): make the call anyway; it
 * fails as it would have. */
bool privs_raise(unsigned int cap);
void privs_lower(unsigned int cap);

#endif
