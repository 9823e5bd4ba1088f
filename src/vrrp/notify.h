/* notify.h - telling the world about VRRP transitions.
 *
 * For each transition of an instance (or a sync group): its notify
 * scripts run (notify_<state> first, then the generic notify with its four
 * arguments TYPE NAME STATE PRIORITY, as keepalived calls them), a line
 * goes to the notify FIFO (INSTANCE "VI_1" MASTER 100), and an email
 * alert is sent when enabled.
 *
 * Scripts of one queue run in transition order and never concurrently: a
 * transition that arrives while a script runs waits its turn. Queues are
 * independent, so a slow script of one instance never delays another, and
 * nothing here ever blocks the loop.
 */
#ifndef VIGIL_VRRP_NOTIFY_H
#define VIGIL_VRRP_NOTIFY_H

#include <uv.h>

#include "conf.h"

struct vrrp_notifier;
struct notify_queue;

/* The scripts one object (instance or sync group) has configured; any
 * may be NULL or have a NULL cmd. */
struct notify_set {
	const struct notify_script *master, *backup, *fault, *stop, *any;
};

/* One per VRRP engine: the FIFO, email settings and script user from
 * cfg's global_defs. cfg must outlive the notifier (a reload makes a new
 * notifier). Never fails: a FIFO that cannot be opened is logged and
 * skipped. */
struct vrrp_notifier *vrrp_notifier_new(uv_loop_t *loop, const struct config *cfg);
/* Cancels what is queued, kills what runs, closes the FIFO; the memory is
 * released once libuv has closed the handles. */
void vrrp_notifier_free(struct vrrp_notifier *n);

/* type is "INSTANCE" or "GROUP". The name is copied. */
struct notify_queue *notify_queue_new(struct vrrp_notifier *n, const char *type,
				      const char *name);
void notify_queue_free(struct notify_queue *q);

/* A transition to state ("MASTER", "BACKUP", "FAULT", "STOP") at
 * priority. smtp_alert is the object's tri-state setting (TRI_UNSET: the
 * global smtp_alert_vrrp / smtp_alert / "on when notification_email is
 * set" chain). */
void notify_transition(struct notify_queue *q, const struct notify_set *scripts,
		       int smtp_alert, const char *state, int priority);

#endif
