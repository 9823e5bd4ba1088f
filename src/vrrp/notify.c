/* notify.c - notify scripts, FIFO lines and email alerts of VRRP
 * transitions; see notify.h for the behaviour and keepalived's.
 *
 * Ownership: the notifier counts what still needs it (refs): itself
 * until vrrp_notifier_free(), each queue until its memory goes, its
 * timer handle until closed. Its FIFOs are objects of their own
 * (notify_fifo.h), shared with the next notifier across a reload. The memory
 * goes when the count reaches zero, always from a libuv callback or from
 * vrrp_notifier_free() itself when nothing was pending. The notifier
 * holds a reference on the model it was made from (conf_ref()), so a
 * notifier that a reload retired may finish its queued scripts and mails
 * after the worker has moved on to the new model.
 */
#include "notify.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "cmdline.h"
#include "log.h"
#include "mailer.h"
#include "notify_fifo.h"
#include "script.h"
#include "smtp.h"


/* ---- pure parts ------------------------------------------------------------------ */

bool notify_smtp_enabled(int object, const struct global_defs *g)
{
	if (object != TRI_UNSET)
		return object != TRI_OFF;
	if (g->smtp_alert_vrrp != TRISTATE_UNSET)
		return g->smtp_alert_vrrp != 0;
	if (g->smtp_alert != TRISTATE_UNSET)
		return g->smtp_alert != 0;
	return false;
}

int notify_fifo_line(char *buf, size_t len, const char *type, const char *name,
		     const char *state, int priority)
{
	return snprintf(buf, len, "%s \"%s\" %s %d\n", type, name, state, priority);
}

bool notify_email_text(const char *router_id, const char *type, const char *name,
		       const char *state, char *subject, size_t subject_len,
		       const char **body)
{
	bool group = !strcmp(type, "GROUP");
	const char *what;

	if (!strcmp(state, "MASTER")) {
		what = "Entering MASTER state";
		*body = group ? "=> All VRRP group instances are now in MASTER state <="
			      : "=> VRRP Instance is now owning VRRP VIPs <=";
	} else if (!strcmp(state, "BACKUP")) {
		what = "Entering BACKUP state";
		*body = group ? "=> All VRRP group instances are now in BACKUP state <="
			      : "=> VRRP Instance is no longer owning VRRP VIPs <=";
	} else if (!strcmp(state, "FAULT")) {
		what = "Entering FAULT state";
		*body = group ? "=> All VRRP group instances are now in FAULT state <="
			      : "=> VRRP Instance is no longer owning VRRP VIPs <=";
	} else if (!strcmp(state, "STOP")) {
		what = "Stopping";
		*body = group ? "=> All VRRP group instances are now stopping <="
			      : "=> VRRP Instance stopping <=";
	} else {
		return false;
	}
	snprintf(subject, subject_len, "[%s] VRRP %s %s - %s", router_id,
		 group ? "Group" : "Instance", name, what);
	return true;
}

/* ---- state ------------------------------------------------------------------------- */

/* A resolved "USER [GROUP]". */
struct ids {
	struct ids *next;
	char *user, *group;           /* the names; NULL user: the default */
	uid_t uid;                    /* (uid_t)-1: the daemon's own */
	gid_t gid;
	bool ok;                      /* false: unknown name, never run */
};

/* enable_script_security's verdict on a command run with some ids. */
struct verdict {
	struct verdict *next;
	char *cmd;
	uid_t uid;
	gid_t gid;
	bool ok;
};

/* One script run waiting (or running) in a queue. A running item is on
 * its queue's running list until its callback, which frees it. */
struct item {
	struct item *next;            /* waiting list, then running list */
	struct notify_queue *q;
	struct script_job job;
	const char *what;             /* "notify_master", "notify", ... */
	char *cmd;
	char *args[5];                /* extra arguments, NULL-terminated */
	uid_t uid;
	gid_t gid;
};

struct notify_queue {
	struct notify_queue *next, *prev;
	struct vrrp_notifier *n;
	char *type, *name;
	struct item *head, *tail;     /* waiting */
	size_t waiting;
	struct item *running;         /* started, not called back yet */
	struct item *holding;         /* the running one later scripts wait
				       * for; NULL once it ran past the hold */
	char last_email[16];          /* state of the last email, "" none */
	unsigned warned;              /* bits: a skipped script was logged */
	bool freeing;
	bool retiring;                /* free once what waits has run */
};


struct vrrp_notifier {
	uv_loop_t *loop;
	const struct config *cfg;
	const struct global_defs *g;
	int refs;
	bool dying;
	uint64_t script_timeout_us;
	uint64_t script_hold_us;      /* vrrp_notify_script_hold */

	struct ids *ids;              /* cache of resolved names */
	struct ids dflt;              /* scripts without a user */
	struct verdict *verdicts;

	struct notify_queue *queues;
	struct notify_fifo *fifo[2];  /* references; NULL: none */
	uv_timer_t drain_timer;
	void (*drain_cb)(void *);
	void *drain_data;

	struct mailer mail;
	unsigned emails_in_flight;

	struct notify_stats st;
};

static void notifier_unref(struct vrrp_notifier *n)
{
	if (--n->refs > 0)
		return;
	for (struct ids *i = n->ids, *nx; i; i = nx) {
		nx = i->next;
		free(i->user);
		free(i->group);
		free(i);
	}
	for (struct verdict *v = n->verdicts, *nx; v; v = nx) {
		nx = v->next;
		free(v->cmd);
		free(v);
	}
	mailer_free(&n->mail);
	conf_unref(n->cfg);
	free(n);
}

static void on_timer_closed(uv_handle_t *h)
{
	notifier_unref(h->data);
}

/* ---- users and groups ------------------------------------------------------------------- */

static bool lookup_user(const char *user, uid_t *uid, gid_t *gid)
{
	char buf[16384];
	struct passwd pw, *res = NULL;
	int rc = getpwnam_r(user, &pw, buf, sizeof(buf), &res);
	if (rc || !res)
		return false;
	*uid = pw.pw_uid;
	*gid = pw.pw_gid;
	return true;
}

static bool lookup_group(const char *group, gid_t *gid)
{
	char buf[16384];
	struct group gr, *res = NULL;
	int rc = getgrnam_r(group, &gr, buf, sizeof(buf), &res);
	if (rc || !res)
		return false;
	*gid = gr.gr_gid;
	return true;
}

/* The daemon's own ids are passed as -1: script_run() then changes
 * nothing (and needs no privilege). */
static void own_ids(struct ids *i)
{
	if (i->uid == geteuid() && i->gid == getegid()) {
		i->uid = (uid_t)-1;
		i->gid = (gid_t)-1;
	}
}

static void resolve_default(struct vrrp_notifier *n)
{
	const struct user_group *su = &n->g->script_user;
	struct ids *d = &n->dflt;

	d->uid = (uid_t)-1;
	d->gid = (gid_t)-1;
	d->ok = true;
	if (su->user) {
		if (!lookup_user(su->user, &d->uid, &d->gid) ||
		    (su->group && !lookup_group(su->group, &d->gid))) {
			log_msg(LOG_ERR, "script_user %s%s%s does not exist: notify scripts without "
				"a user of their own will not run", su->user, su->group ? " " : "",
				su->group ? su->group : "");
			d->ok = false;
			return;
		}
	} else if (!lookup_user("keepalived_script", &d->uid, &d->gid)) {
		d->uid = (uid_t)-1;
		d->gid = (gid_t)-1;
		/* keepalived: ourselves (root), unless script security forbids it */
		if (n->g->enable_script_security) {
			log_msg(LOG_ERR, "unable to set default user keepalived_script for scripts "
				"(it does not exist, and enable_script_security forbids root): notify "
				"scripts without a user of their own will not run");
			d->ok = false;
		} else {
			log_msg(LOG_INFO, "default user 'keepalived_script' for script execution "
				"does not exist - scripts without a user run as the daemon's user");
		}
		return;
	}
	own_ids(d);
}

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* The ids for "USER [GROUP]", looked up once. */
static const struct ids *resolve(struct vrrp_notifier *n, const char *user, const char *group)
{
	if (!user)
		return &n->dflt;
	for (struct ids *i = n->ids; i; i = i->next)
		if (!strcmp(i->user, user) && same(i->group, group))
			return i;

	struct ids *i = xcalloc(1, sizeof(*i));
	i->user = xstrdup(user);
	i->group = group ? xstrdup(group) : NULL;
	i->ok = lookup_user(user, &i->uid, &i->gid);
	if (!i->ok)
		log_msg(LOG_ERR, "script user '%s' does not exist: scripts to run as %s will not run",
			user, user);
	else if (group && !(i->ok = lookup_group(group, &i->gid)))
		log_msg(LOG_ERR, "script group '%s' does not exist: scripts to run as %s:%s will "
			"not run", group, user, group);
	if (i->ok)
		own_ids(i);
	i->next = n->ids;
	n->ids = i;
	return i;
}

/* enable_script_security: may cmd run with these ids? Looked up once per
 * command and ids. */
static bool secure(struct vrrp_notifier *n, const char *cmd, uid_t uid, gid_t gid)
{
	if (!n->g->enable_script_security)
		return true;
	for (struct verdict *v = n->verdicts; v; v = v->next)
		if (v->uid == uid && v->gid == gid && !strcmp(v->cmd, cmd))
			return v->ok;

	struct verdict *v = xcalloc(1, sizeof(*v));
	char why[512] = "";

	v->cmd = xstrdup(cmd);
	v->uid = uid;
	v->gid = gid;
	v->ok = script_command_is_secure(cmd, uid, gid, why, sizeof(why));
	if (!v->ok)
		log_msg(LOG_ERR, "SECURITY VIOLATION - notify script '%s' disabled: %s", cmd, why);
	v->next = n->verdicts;
	n->verdicts = v;
	return v->ok;
}

/* Look up every script of the configuration now, so that no transition
 * waits on NSS or stat(). */
static void prepare_script(struct vrrp_notifier *n, const struct notify_script *s)
{
	if (!s || !s->cmd)
		return;
	const struct ids *i = resolve(n, s->user, s->group);
	if (i->ok)
		secure(n, s->cmd, i->uid, i->gid);
}

static void prepare_scripts(struct vrrp_notifier *n)
{
	for (LIST_EACH(struct vrrp_instance, vi, &n->cfg->vrrp_instances)) {
		prepare_script(n, &vi->notify_master);
		prepare_script(n, &vi->notify_backup);
		prepare_script(n, &vi->notify_fault);
		prepare_script(n, &vi->notify_stop);
		prepare_script(n, &vi->notify);
		prepare_script(n, &vi->notify_master_rx_lower_pri);
		prepare_script(n, &vi->notify_deleted.script);
	}
	for (LIST_EACH(struct vrrp_sync_group, sg, &n->cfg->vrrp_sync_groups)) {
		prepare_script(n, &sg->notify_master);
		prepare_script(n, &sg->notify_backup);
		prepare_script(n, &sg->notify_fault);
		prepare_script(n, &sg->notify_stop);
		prepare_script(n, &sg->notify);
	}
}

/* ---- the FIFOs -------------------------------------------------------------------------- */

/* The FIFO a setting asks for, as an object: prev's when it matches (a
 * reload: the FIFO stays and its reader runs on), else a new one. NULL
 * when the setting is not configured or its users do not exist. */
static struct notify_fifo *fifo_for(struct vrrp_notifier *n, const char *setting,
				    const struct run_as *fifo, const struct run_as *script,
				    struct notify_fifo *const prev[2])
{
	if (!fifo->path)
		return NULL;
	/* The FIFO belongs to its user, else to the default script user
	 * (keepalived: "Failed to set default user for ... fifo"). */
	const struct ids *owner = resolve(n, fifo->user, fifo->group);
	if (!owner->ok) {
		log_msg(LOG_ERR, "invalid user/group for %s %s - ignoring", setting, fifo->path);
		return NULL;
	}
	struct notify_fifo_spec spec = {
		.setting = setting, .path = fifo->path,
		.owner_uid = owner->uid, .owner_gid = owner->gid,
	};
	if (script && script->path) {
		const struct ids *i = resolve(n, script->user, script->group);
		if (!i->ok)
			log_msg(LOG_ERR, "%s_script '%s' not started: its user does not exist",
				setting, script->path);
		else if (secure(n, script->path, i->uid, i->gid))
			spec = (struct notify_fifo_spec){ setting, fifo->path, owner->uid, owner->gid,
							  script->path, i->uid, i->gid };
	}
	return notify_fifo_reuse(n->loop, &spec, prev, 2);
}

static void fifo_write(struct vrrp_notifier *n, struct notify_fifo *f, const char *line,
		       size_t len)
{
	if (!f)
		return;
	if (notify_fifo_write(f, line, len))
		n->st.fifo_lines++;
	else
		n->st.fifo_dropped++;
}

/* ---- draining ------------------------------------------------------------------------------ */

static bool idle(const struct vrrp_notifier *n)
{
	if (n->emails_in_flight)
		return false;
	for (const struct notify_queue *q = n->queues; q; q = q->next)
		if (q->running || q->head)
			return false;
	return true;
}

static void on_drain_timer(uv_timer_t *t)
{
	struct vrrp_notifier *n = t->data;
	void (*cb)(void *) = n->drain_cb;

	n->drain_cb = NULL;
	if (cb)
		cb(n->drain_data);
}

static void check_drain(struct vrrp_notifier *n)
{
	if (n->drain_cb && !n->dying && idle(n))
		uv_timer_start(&n->drain_timer, on_drain_timer, 0, 0);
}

void vrrp_notifier_drain(struct vrrp_notifier *n, uint64_t timeout_us,
			 void (*cb)(void *data), void *data)
{
	n->drain_cb = cb;
	n->drain_data = data;
	uv_timer_start(&n->drain_timer, on_drain_timer, (timeout_us + 999) / 1000, 0);
	check_drain(n);
}

/* ---- email ------------------------------------------------------------------------------------ */

static void on_email_done(enum smtp_result r, void *data)
{
	struct vrrp_notifier *n = data;
	n->emails_in_flight--;
	if (r == SMTP_SENT)
		n->st.emails_sent++;
	else
		n->st.emails_failed++;
	check_drain(n);
}

static void send_email(struct notify_queue *q, int smtp_alert, const char *state)
{
	struct vrrp_notifier *n = q->n;
	char subject[512];
	const char *body;

	if (!n->mail.smtp || !notify_smtp_enabled(smtp_alert, n->g))
		return;
	if (n->g->no_email_faults && !strcmp(state, "FAULT"))
		return;
	if (!strcmp(q->last_email, state))
		return;               /* keepalived: one email per state entered */
	if (!notify_email_text(n->mail.router_id, q->type, q->name, state, subject, sizeof(subject),
			       &body))
		return;
	snprintf(q->last_email, sizeof(q->last_email), "%s", state);
	n->emails_in_flight++;
	mailer_send(&n->mail, subject, body, on_email_done, n);
}

/* ---- queues and scripts ---------------------------------------------------------------------- */

static void item_free(struct item *it)
{
	free(it->cmd);
	for (int i = 0; it->args[i]; i++)
		free(it->args[i]);
	free(it);
}

static void queue_release(struct notify_queue *q)
{
	struct vrrp_notifier *n = q->n;

	if (q->prev)
		q->prev->next = q->next;
	else
		n->queues = q->next;
	if (q->next)
		q->next->prev = q->prev;
	free(q->type);
	free(q->name);
	free(q);
	check_drain(n);
	notifier_unref(n);
}

static void start_next(struct notify_queue *q);

static void unlink_running(struct notify_queue *q, struct item *it)
{
	for (struct item **pp = &q->running; *pp; pp = &(*pp)->next)
		if (*pp == it) {
			*pp = it->next;
			break;
		}
	it->next = NULL;
	if (q->holding == it)
		q->holding = NULL;
}

static void on_script_done(struct script_job *job, const struct script_result *r, void *data)
{
	struct item *it = data;
	struct notify_queue *q = it->q;
	struct vrrp_notifier *n = q->n;
	char d[160];

	(void)job;
	unlink_running(q, it);
	n->st.scripts_run++;
	if (r->status == SCRIPT_TIMED_OUT)
		n->st.scripts_timed_out++;
	if (r->status == SCRIPT_CANCELLED) {
		log_msg(LOG_INFO, "(%s) %s '%s' cancelled", q->name, it->what, it->cmd);
	} else if (!script_result_ok(r)) {
		n->st.scripts_failed++;
		log_msg(LOG_WARNING, "(%s) %s '%s' %s", q->name, it->what, it->cmd,
			script_result_describe(r, d, sizeof(d)));
	} else {
		log_debug("(%s) %s '%s' done in %llu ms", q->name, it->what, it->cmd,
			  (unsigned long long)(r->runtime_us / 1000));
	}
	item_free(it);
	if (q->freeing) {
		if (!q->running)
			queue_release(q);
		return;
	}
	start_next(q);
	if (q->retiring && !q->running && !q->head) {
		queue_release(q);
		return;
	}
	check_drain(n);
}

/* A script ran past vrrp_notify_script_hold: the next transition's
 * scripts no longer wait for it (a notify_master hung on the network must
 * not hold back notify_fault for the whole script timeout). It runs on
 * until it ends or its timeout kills it. */
static void on_script_held(struct script_job *job, void *data)
{
	struct item *it = data;
	struct notify_queue *q = it->q;
	struct vrrp_notifier *n = q->n;

	(void)job;
	if (q->holding != it || q->freeing)
		return;
	q->holding = NULL;
	n->st.scripts_held++;
	log_msg(LOG_WARNING, "(%s) %s '%s' still running after %.1f s "
		"(vrrp_notify_script_hold); the next notify scripts no longer wait for it, "
		"it is killed at %.0f s", q->name, it->what, it->cmd,
		(double)n->script_hold_us / 1e6, (double)n->script_timeout_us / 1e6);
	start_next(q);
}

static void start_next(struct notify_queue *q)
{
	struct vrrp_notifier *n = q->n;

	while (!q->holding && q->head) {
		struct item *it = q->head;
		q->head = it->next;
		if (!q->head)
			q->tail = NULL;
		q->waiting--;
		struct script_spec spec = {
			.command = it->cmd,
			.extra_args = it->args[0] ? (const char *const *)it->args : NULL,
			.uid = it->uid, .gid = it->gid,
			.timeout_us = n->script_timeout_us,
			/* stdout and stderr to /dev/null, as keepalived: a
			 * captured pipe is closed when the script exits, and
			 * what it started in the background (the usual job of
			 * a notify_master) would die of SIGPIPE at its first
			 * write. */
			.capture = false,
			.hold_us = n->script_hold_us,
			.hold_cb = on_script_held,
		};
		it->next = q->running;
		q->running = it;
		q->holding = it;
		if (script_run(n->loop, &it->job, &spec, on_script_done, it) != 0) {
			unlink_running(q, it);  /* cannot happen: the job is new */
			item_free(it);
		}
	}
}

/* Which script slot, for the "logged once" bits. */
static unsigned slot_bit(const char *what)
{
	static const char *const names[] = { "notify_master", "notify_backup", "notify_fault",
					     "notify_stop", "notify", "notify_master_rx_lower_pri" };
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(names[i], what))
			return 1u << i;
	return 1u << 31;
}

static void enqueue(struct notify_queue *q, const char *what, const struct notify_script *s,
		    const char *const *extra)
{
	struct vrrp_notifier *n = q->n;

	if (!s || !s->cmd)
		return;
	const struct ids *i = resolve(n, s->user, s->group);
	if (!i->ok || !secure(n, s->cmd, i->uid, i->gid)) {
		n->st.scripts_skipped++;
		if (!(q->warned & slot_bit(what))) {
			q->warned |= slot_bit(what);
			log_msg(LOG_WARNING, "(%s) %s '%s' is disabled (%s): not run", q->name, what,
				s->cmd, i->ok ? "insecure" : "unknown user or group");
		}
		return;
	}
	if (q->waiting >= NOTIFY_QUEUE_MAX) {
		struct item *old = q->head;
		q->head = old->next;
		if (!q->head)
			q->tail = NULL;
		q->waiting--;
		n->st.scripts_dropped++;
		log_msg(LOG_WARNING, "(%s) %d notify scripts waiting: %s '%s' dropped unrun", q->name,
			NOTIFY_QUEUE_MAX, old->what, old->cmd);
		item_free(old);
	}

	struct item *it = xcalloc(1, sizeof(*it));
	it->q = q;
	script_job_init(&it->job);
	it->what = what;
	it->cmd = xstrdup(s->cmd);
	for (int k = 0; extra && extra[k] && k < 4; k++)
		it->args[k] = xstrdup(extra[k]);
	it->uid = i->uid;
	it->gid = i->gid;
	if (q->tail)
		q->tail->next = it;
	else
		q->head = it;
	q->tail = it;
	q->waiting++;
}

static void write_fifos(struct notify_queue *q, const char *state, int priority)
{
	struct vrrp_notifier *n = q->n;
	char line[PIPE_BUF + 64];
	int len = notify_fifo_line(line, sizeof(line), q->type, q->name, state, priority);

	if (len < 0)
		return;
	if ((size_t)len >= sizeof(line))
		len = (int)sizeof(line);       /* too long: fifo_write() refuses it */
	for (int i = 0; i < 2; i++)
		fifo_write(n, n->fifo[i], line, (size_t)len);
}

void notify_transition(struct notify_queue *q, const struct notify_set *scripts,
		       int smtp_alert, const char *state, int priority)
{
	static const struct notify_set none;
	const struct notify_set *s = scripts ? scripts : &none;
	char prio[16];

	if (q->freeing)
		return;
	snprintf(prio, sizeof(prio), "%d", priority);
	if (!strcmp(state, "MASTER"))
		enqueue(q, "notify_master", s->master, NULL);
	else if (!strcmp(state, "BACKUP"))
		enqueue(q, "notify_backup", s->backup, NULL);
	else if (!strcmp(state, "FAULT"))
		enqueue(q, "notify_fault", s->fault, NULL);
	else if (!strcmp(state, "STOP"))
		enqueue(q, "notify_stop", s->stop, NULL);
	const char *extra[] = { q->type, q->name, state, prio, NULL };
	enqueue(q, "notify", s->any, extra);
	start_next(q);

	write_fifos(q, state, priority);
	send_email(q, smtp_alert, state);
}

void notify_event(struct notify_queue *q, const struct notify_script *script,
		  const char *event, int priority)
{
	if (q->freeing)
		return;
	enqueue(q, "notify_master_rx_lower_pri", script, NULL);
	start_next(q);
	write_fifos(q, event, priority);
}

struct notify_queue *notify_queue_new(struct vrrp_notifier *n, const char *type,
				      const char *name)
{
	struct notify_queue *q = xcalloc(1, sizeof(*q));
	q->n = n;
	q->type = xstrdup(type);
	q->name = xstrdup(name);
	q->next = n->queues;
	if (n->queues)
		n->queues->prev = q;
	n->queues = q;
	n->refs++;
	return q;
}

/* Each callback may free its item (never another): take the next first. */
static void cancel_running(struct notify_queue *q)
{
	for (struct item *it = q->running, *nx; it; it = nx) {
		nx = it->next;
		script_cancel(&it->job);
	}
}

void notify_queue_free(struct notify_queue *q)
{
	if (!q || q->freeing)
		return;
	q->freeing = true;
	while (q->head) {
		struct item *it = q->head;
		q->head = it->next;
		item_free(it);
	}
	q->tail = NULL;
	q->waiting = 0;
	if (q->running)
		cancel_running(q);          /* the last on_script_done() releases q */
	else
		queue_release(q);
}

void notify_queue_retire(struct notify_queue *q)
{
	if (!q || q->freeing || q->retiring)
		return;
	q->retiring = true;
	if (!q->running && !q->head)
		queue_release(q);
}

/* ---- the notifier -------------------------------------------------------------------------------- */

struct vrrp_notifier *vrrp_notifier_new(uv_loop_t *loop, const struct config *cfg,
				       const struct vrrp_notifier *prev)
{
	struct vrrp_notifier *n = xcalloc(1, sizeof(*n));
	const struct global_defs *g = &cfg->global;

	n->loop = loop;
	n->cfg = conf_ref(cfg);        /* scripts, FIFO and mail settings */
	n->g = g;
	n->refs = 1;
	n->script_timeout_us = NOTIFY_SCRIPT_TIMEOUT_US;
	n->script_hold_us = g->vrrp_notify_script_hold;
	uv_timer_init(loop, &n->drain_timer);
	n->drain_timer.data = n;
	n->refs++;

	resolve_default(n);
	prepare_scripts(n);
	mailer_init(&n->mail, n->loop, n->g);
	struct notify_fifo *const none[2] = { NULL, NULL };
	struct notify_fifo *const *old = prev ? prev->fifo : none;
	n->fifo[0] = fifo_for(n, "notify_fifo", &g->notify_fifo, &g->notify_fifo_script, old);
	if (g->vrrp_notify_fifo.path && g->notify_fifo.path &&
	    !strcmp(g->vrrp_notify_fifo.path, g->notify_fifo.path)) {
		/* keepalived: the same FIFO twice would get every line twice */
		log_msg(LOG_INFO, "notify FIFO %s is both notify_fifo and vrrp_notify_fifo - "
			"ignoring vrrp_notify_fifo", g->vrrp_notify_fifo.path);
	} else {
		n->fifo[1] = fifo_for(n, "vrrp_notify_fifo", &g->vrrp_notify_fifo,
				      &g->vrrp_notify_fifo_script, old);
	}
	return n;
}

void vrrp_notifier_set_script_timeout(struct vrrp_notifier *n, uint64_t timeout_us)
{
	n->script_timeout_us = timeout_us;
}

void vrrp_notifier_set_script_hold(struct vrrp_notifier *n, uint64_t hold_us)
{
	n->script_hold_us = hold_us;
}

void vrrp_notifier_stats(const struct vrrp_notifier *n, struct notify_stats *s)
{
	*s = n->st;
}

void vrrp_notifier_free(struct vrrp_notifier *n)
{
	if (!n || n->dying)
		return;
	n->dying = true;
	n->drain_cb = NULL;
	while (n->queues) {
		struct notify_queue *q = n->queues;
		/* A queue with a running script stays listed until its
		 * callback; take it off the list so the loop ends. */
		n->queues = q->next;
		if (n->queues)
			n->queues->prev = NULL;
		q->next = q->prev = NULL;
		if (q->freeing)
			continue;              /* already waiting for its callback */
		q->freeing = true;
		while (q->head) {
			struct item *it = q->head;
			q->head = it->next;
			item_free(it);
		}
		q->tail = NULL;
		q->waiting = 0;
		if (q->running) {
			cancel_running(q);
		} else {
			free(q->type);
			free(q->name);
			free(q);
			n->refs--;             /* cannot reach 0: n holds its own */
		}
	}
	smtp_client_free(n->mail.smtp);   /* on_email_done() runs now */
	n->mail.smtp = NULL;
	for (int i = 0; i < 2; i++) {
		notify_fifo_release(n->fifo[i]);   /* shared with a newer notifier, or closing */
		n->fifo[i] = NULL;
	}
	uv_close((uv_handle_t *)&n->drain_timer, on_timer_closed);
	notifier_unref(n);
}
