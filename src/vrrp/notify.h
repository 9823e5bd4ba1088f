/* notify.h - telling the world about VRRP transitions.
 *
 * For each transition of an instance (or a sync group): its notify
 * scripts run (notify_<state> first, then the generic notify with its four
 * arguments TYPE NAME STATE PRIORITY, as keepalived calls them), a line
 * goes to the notify FIFO (INSTANCE "VI_1" MASTER 100), and an email
 * alert is sent when enabled.
 *
 * Scripts of one queue run in transition order: a transition that arrives
 * while a script runs waits its turn, for at most vrrp_notify_script_hold
 * (global_defs, default 5 s); a script still running then is logged and
 * left to run on (until its timeout) beside the ones that follow. Queues
 * are independent, so a slow script of one instance never delays another,
 * and nothing here ever blocks the loop.
 *
 * What keepalived does, and where vigil differs (keepalived 2.2.7,
 * keepalived/vrrp/vrrp_notify.c, lib/notify.c, keepalived/core/smtp.c):
 *
 *   Scripts. notify_<state> is called as configured, the generic notify
 *   with TYPE ("INSTANCE"/"GROUP"), NAME, STATE ("MASTER", "BACKUP",
 *   "FAULT", "STOP", "DELETED") and PRIORITY appended; a group's priority
 *   is always 0. keepalived forks both at once and never waits; vigil
 *   runs them one after the other per queue (the order operators assume)
 *   and kills one that runs longer than the script timeout (60 s unless
 *   vrrp_notifier_set_script_timeout() says otherwise; keepalived has no
 *   limit, except 1 s for the STOP scripts of a shutdown).
 *
 *   Users. A script runs as its "USER [GROUP]", else as global_defs
 *   script_user, else as keepalived_script if that user exists, else as
 *   the daemon's own user (root). A user or group that does not exist
 *   disables the script - keepalived: "Invalid user/group for notify
 *   script ... - ignoring" - it is never run as root instead; likewise
 *   every script without a user of its own when script_user names an
 *   unknown user. Names are looked up (getpwnam_r, which may wait on NSS)
 *   when the notifier is created, for every script of the configuration;
 *   a script seen later (not from cfg) is looked up once, then cached.
 *   With enable_script_security, a script that would run as root from a
 *   path a non-root user could change is disabled (script_is_secure()).
 *
 *   FIFO. notify_fifo and vrrp_notify_fifo (both when both are set and
 *   differ) get one line per transition: TYPE "NAME" STATE PRIORITY and a
 *   newline. How the FIFO is made, opened and read, and how it and its
 *   reader script survive a reload: notify_fifo.h.
 *
 *   Email. Sent when the object's smtp_alert, else global smtp_alert_vrrp,
 *   else smtp_alert, is on (default off, as in keepalived - a
 *   notification_email list alone does not enable it), smtp_server is set
 *   and notification_email lists someone; never for FAULT with
 *   no_email_faults; never twice in a row for the same state. Subject
 *   "[<router_id>] VRRP Instance VI_1 - Entering MASTER state" ("VRRP
 *   Group G1" for a group; "Stopping" for STOP), body as keepalived's
 *   (see notify_email_text()). From notification_email_from, else
 *   <the daemon's user name>@<host name> (keepalived's code; its manual
 *   says keepalived@<host>). router_id defaults to the host name (uname
 *   nodename: vigil does not ask DNS for a canonical name, as keepalived
 *   does, since that could block).
 */
#ifndef VIGIL_VRRP_NOTIFY_H
#define VIGIL_VRRP_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "conf.h"

#define NOTIFY_SCRIPT_TIMEOUT_US (60ULL * 1000000)   /* default kill time */
#define NOTIFY_QUEUE_MAX 64        /* scripts waiting in one queue; beyond,
				    * the oldest waiting one is dropped */

struct vrrp_notifier;
struct notify_queue;

/* The scripts one object (instance or sync group) has configured; any
 * may be NULL or have a NULL cmd. */
struct notify_set {
	const struct notify_script *master, *backup, *fault, *stop, *any;
};

/* One per VRRP engine: the FIFO, email settings and script user from
 * cfg's global_defs. The notifier holds a reference on cfg until its
 * memory goes (a reload makes a new notifier and drains the old one).
 * prev (may be NULL) is the notifier a reload replaces: the new one
 * shares its FIFOs where the configuration names the same FIFO and reader,
 * so they are neither re-created nor restarted. Never fails: a FIFO that
 * cannot be created or opened is logged and skipped. May block briefly: user and group look-ups
 * (NSS), mkfifo(), and the script security checks happen here, once. */
struct vrrp_notifier *vrrp_notifier_new(uv_loop_t *loop, const struct config *cfg,
				       const struct vrrp_notifier *prev);

/* Kill notify scripts that run longer than this (0: never). For tests
 * and a future global setting; applies to the runs started afterwards. */
void vrrp_notifier_set_script_timeout(struct vrrp_notifier *n, uint64_t timeout_us);

/* How long the scripts of a queue wait for the one before them (0: until
 * it ends); global_defs vrrp_notify_script_hold sets it at creation. */
void vrrp_notifier_set_script_hold(struct vrrp_notifier *n, uint64_t hold_us);

/* Call cb(data) once, from the loop, when every queue is empty and idle
 * and no email is in flight - or after timeout_us, whichever is first.
 * For a shutdown: send STOP transitions, drain, then free. A second
 * drain replaces the first (which is then never called back);
 * vrrp_notifier_free() cancels it. */
void vrrp_notifier_drain(struct vrrp_notifier *n, uint64_t timeout_us,
			 void (*cb)(void *data), void *data);

/* Frees every queue not yet freed (as notify_queue_free()), kills the
 * running notify scripts (script_cancel: SIGKILL to the process group),
 * abandons the emails in flight, and lets go of its FIFOs (closed, with
 * their readers, unless a newer notifier shares them: notify_fifo.h). Returns at once;
 * n and its queues must not be used afterwards, and the memory is
 * released from the loop once every script callback has come and every
 * handle is closed - so the loop must run on (until uv_run() returns)
 * before uv_loop_close(). No callback of the caller's is made after this
 * returns. */
void vrrp_notifier_free(struct vrrp_notifier *n);

/* type is "INSTANCE" or "GROUP". The name is copied. */
struct notify_queue *notify_queue_new(struct vrrp_notifier *n, const char *type,
				      const char *name);
/* Drops what waits, kills what runs (SCRIPT_CANCELLED, logged); q must not
 * be used afterwards. Its memory goes when the running script has called
 * back (at once when none runs). */
void notify_queue_free(struct notify_queue *q);
/* Like notify_queue_free(), but what is queued (a STOP of an instance
 * that a reload removes) still runs first; q must not be used after. */
void notify_queue_retire(struct notify_queue *q);

/* A transition to state ("MASTER", "BACKUP", "FAULT", "STOP"; "DELETED"
 * and other words run only the generic script and write the FIFO line)
 * at priority (0 for a group, as keepalived). smtp_alert is the object's
 * tri-state setting (TRI_UNSET: the global chain, see above). Queues the
 * scripts, writes the FIFO line and starts the email now; returns at
 * once. scripts and the strings it points to are copied as needed. */
void notify_transition(struct notify_queue *q, const struct notify_set *scripts,
		       int smtp_alert, const char *state, int priority);

/* An event that is not a state change: "MASTER_RX_LOWER_PRI" (with the
 * notify_master_rx_lower_pri script, run as configured without extra
 * arguments), "MASTER_PRIORITY", "BACKUP_PRIORITY" (notify_priority_changes,
 * no script). Writes the FIFO line, queues script (may be NULL). */
void notify_event(struct notify_queue *q, const struct notify_script *script,
		  const char *event, int priority);

/* Counters since vrrp_notifier_new(). */
struct notify_stats {
	uint64_t scripts_run;        /* called back, whatever the outcome */
	uint64_t scripts_failed;     /* not exit 0 (timeouts included) */
	uint64_t scripts_timed_out;
	uint64_t scripts_skipped;    /* disabled: unknown user, insecure */
	uint64_t scripts_dropped;    /* NOTIFY_QUEUE_MAX overflow */
	uint64_t scripts_held;       /* ran past the hold: the next ones went on */
	uint64_t fifo_lines;         /* written whole */
	uint64_t fifo_dropped;       /* pipe full, FIFO not open, write error */
	uint64_t emails_sent;
	uint64_t emails_failed;
};
void vrrp_notifier_stats(const struct vrrp_notifier *n, struct notify_stats *s);

/* ---- pure parts (unit tested) ------------------------------------------ */

/* keepalived's rule: the object's setting, else smtp_alert_vrrp, else
 * smtp_alert, else off. object is an enum tri; the globals hold
 * TRISTATE_UNSET (-1), 0 or 1. Says nothing about whether a server and
 * recipients are configured. */
bool notify_smtp_enabled(int object, const struct global_defs *g);

/* The FIFO line for an event, with its newline: INSTANCE "VI_1" MASTER 100.
 * Returns the length as snprintf() does. */
int notify_fifo_line(char *buf, size_t len, const char *type, const char *name,
		     const char *state, int priority);

/* keepalived's email for a transition: subject "[router_id] VRRP Instance
 * NAME - Entering MASTER state" (or "VRRP Group NAME"; "- Stopping" for
 * STOP) into subject, and *body one of "=> VRRP Instance is now owning
 * VRRP VIPs <=", "=> VRRP Instance is no longer owning VRRP VIPs <="
 * (BACKUP and FAULT), "=> VRRP Instance stopping <=", "=> All VRRP group
 * instances are now in MASTER state <=" (and BACKUP, FAULT), "=> All VRRP
 * group instances are now stopping <=". false when the state has no
 * email (anything but MASTER, BACKUP, FAULT, STOP). */
bool notify_email_text(const char *router_id, const char *type, const char *name,
		       const char *state, char *subject, size_t subject_len,
		       const char **body);

#endif
