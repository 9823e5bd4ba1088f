/* privs.c - the capabilities each vigild process keeps; see privs.h.
 *
 * One row per capability any process keeps, with the processes that keep
 * it and why. Each was measured (test/conf/cli.sh runs the daemon with
 * these sets: without a row, the feature it names fails).
 *
 * CAP_DAC_OVERRIDE for one open() only: a notify FIFO belongs to its user
 * (keepalived's rule), mode 0600, and the VRRP worker that reopens it (a
 * restarted worker, or the next transition after the reader went away) is
 * not that user. It stays permitted, not effective, and notify_fifo.c
 * raises it for that call. Not CAP_DAC_READ_SEARCH: every other file
 * vigil reads or writes after start-up (the configuration and its
 * includes on reload, status files beside the pid file, track_file and
 * FILE_CHECK files) is reached through its permission bits as uid 0, which
 * owns /etc and /run; a file only a capability could open is an
 * operator's mistake that vigil reports, not one it overrides. Not
 * CAP_SYS_NICE, CAP_IPC_LOCK or CAP_SYS_RESOURCE: *_rt_priority,
 * *_no_swap and *_rlimit_rttime have no effect in vigil (the parser says
 * so). CAP_SYS_ADMIN only with net_namespace_ipvs (privs_drop's netns):
 * permitted, raised by lib/netns.c around the two setns() calls that open
 * the IPVS socket in that namespace (net_namespace itself is entered in
 * main(), before any drop).
 *
 * The supervisor keeps the workers' capabilities permitted (never
 * effective): a root exec gives a worker the bounding set, except under
 * no_new_privs (systemd's NoNewPrivileges=, etc/vigil.service.d), where
 * exec gives no more than the parent's permitted set; without them there
 * a worker could not open a raw socket.
 */
#include "privs.h"

#include <cap-ng.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <linux/capability.h>

#define SUP   (1u << PRIVS_SUPERVISOR)
#define VRRP  (1u << PRIVS_VRRP)
#define CHECK (1u << PRIVS_CHECK)

/* eff: the processes that keep it effective (and permitted); prm: those
 * that keep it permitted only (privs_raise() makes it effective for one
 * call; the supervisor passes it on across exec). */
static const struct {
	unsigned int cap;
	unsigned int eff;
	unsigned int prm;
	const char *why;
	bool netns_only;       /* kept only when privs_drop() is asked to */
} needs[] = {
	{ CAP_NET_ADMIN, SUP | VRRP | CHECK, 0,
	  "VIPs and routes (rtnetlink), IPVS and its sync daemon (generic netlink, "
	  "GENL_ADMIN_PERM), SO_MARK for a checker's fwmark; the supervisor removes "
	  "a dead VRRP worker's VIPs", false },
	{ CAP_NET_RAW, VRRP | CHECK, SUP,
	  "VRRP's raw IP sockets, gratuitous ARP (AF_PACKET), unsolicited NA (raw "
	  "ICMPv6), SO_BINDTODEVICE; PING_CHECK's raw ICMP sockets", false },
	{ CAP_NET_BIND_SERVICE, CHECK, SUP,
	  "a checker's bind_port below 1024", false },
	{ CAP_SETUID, SUP | VRRP | CHECK, 0,
	  "scripts run as script_user (or a MISC_CHECK's user): setuid in the child; "
	  "the supervisor's startup_script and shutdown_script", false },
	{ CAP_SETGID, SUP | VRRP | CHECK, 0,
	  "the same scripts: setgroups and setgid in the child", false },
	{ CAP_KILL, SUP | VRRP | CHECK, 0,
	  "a script of another user killed at its timeout, and its process group", false },
	{ CAP_CHOWN, VRRP | CHECK, SUP,
	  "a notify FIFO given to its user (fchown): vrrp_notify_fifo, notify_fifo, "
	  "lvs_notify_fifo", false },
	{ CAP_DAC_OVERRIDE, 0, SUP | VRRP | CHECK,
	  "reopening a notify FIFO that belongs to its user (open, raised for that call)", false },
	{ CAP_SYS_ADMIN, 0, SUP | CHECK,
	  "net_namespace_ipvs: setns() into its namespace to open the IPVS socket there "
	  "(lib/netns.c raises it for those calls)", true },
};

/* Append the names of the rows marked in which ("cap_kill, cap_chown"),
 * after lead when there is any. */
static void append_names(char *buf, size_t size, size_t *len, const bool *which, const char *lead)
{
	const char *sep = lead;
	for (size_t i = 0; i < sizeof(needs) / sizeof(needs[0]); i++) {
		if (!which[i] || *len >= size)
			continue;
		*len += (size_t)snprintf(buf + *len, size - *len, "%scap_%s", sep,
					 capng_capability_to_name(needs[i].cap));
		sep = ", ";
	}
}

int privs_drop(enum privs_role role, bool netns, char *kept, size_t keptlen, char *why,
	       size_t whylen)
{
	const unsigned int mask = 1u << role;
	const size_t n = sizeof(needs) / sizeof(needs[0]);
	bool keep[sizeof(needs) / sizeof(needs[0])], held[sizeof(needs) / sizeof(needs[0])];

	if (capng_get_caps_process() < 0) {
		snprintf(why, whylen, "cannot read this process's capabilities");
		return -1;
	}
	/* A capability the process does not have cannot be kept: asking
	 * for it would make capset() refuse the whole drop. */
	for (size_t i = 0; i < n; i++) {
		bool have = capng_have_capability(CAPNG_PERMITTED, needs[i].cap) &&
			    (!needs[i].netns_only || netns);
		keep[i] = have && (needs[i].eff & mask);
		held[i] = have && (needs[i].prm & mask);
	}
	capng_clear(CAPNG_SELECT_CAPS);     /* effective, permitted, inheritable */
	for (size_t i = 0; i < n; i++) {
		int rc = 0;
		if (keep[i])
			rc = capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED, needs[i].cap);
		else if (held[i])
			rc = capng_update(CAPNG_ADD, CAPNG_PERMITTED, needs[i].cap);
		if (rc < 0) {
			snprintf(why, whylen, "cannot keep %s",
				 capng_capability_to_name(needs[i].cap));
			return -1;
		}
	}
	/* CAPNG_SELECT_CAPS: capset() on this thread only; the bounding set
	 * (CAPNG_SELECT_BOUNDS) stays as it is, see privs.h. */
	if (capng_apply(CAPNG_SELECT_CAPS) < 0) {
		snprintf(why, whylen, "capset() refused the reduced set");
		return -1;
	}
	if (kept && keptlen) {
		size_t len = 0;
		kept[0] = '\0';
		append_names(kept, keptlen, &len, keep, "");
		append_names(kept, keptlen, &len, held, len ? "; permitted only: " : "permitted only: ");
		if (!len)
			snprintf(kept, keptlen, "none");
	}
	return 0;
}

/* One capability in or out of the effective set, the rest as it is. */
static int set_effective(unsigned int cap, capng_act_t act)
{
	if (capng_get_caps_process() < 0 || capng_update(act, CAPNG_EFFECTIVE, cap) < 0)
		return -1;
	return capng_apply(CAPNG_SELECT_CAPS);
}

bool privs_raise(unsigned int cap)
{
	if (capng_get_caps_process() < 0 || capng_have_capability(CAPNG_EFFECTIVE, cap) ||
	    !capng_have_capability(CAPNG_PERMITTED, cap))
		return false;
	return set_effective(cap, CAPNG_ADD) == 0;
}

void privs_lower(unsigned int cap)
{
	set_effective(cap, CAPNG_DROP);
}
