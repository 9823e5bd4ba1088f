/* notify.c - notify scripts, FIFO lines and email alerts of VRRP
 * transitions; see notify.h for the behaviour and keepalived's.
 *
 * Ownership: the notifier counts what still needs it (refs): itself
 * until vrrp_notifier_free(), each queue until its memory goes, each
 * FIFO script while it runs, each timer handle until closed. The memory
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
#include "script.h"
#include "smtp.h"

#define FIFO_DROP_LOG_MS 10000   /* at most one "FIFO full" line per 10 s */

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

/* One script run waiting (or running) in a queue. */
struct item {
	struct item *next;
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
	struct item *running;
	struct script_job job;
	char last_email[16];          /* state of the last email, "" none */
	unsigned warned;              /* bits: a skipped script was logged */
	bool freeing;
	bool retiring;                /* free once what waits has run */
};

struct fifo {
	const char *setting;          /* "notify_fifo", "vrrp_notify_fifo" */
	char *path;                   /* NULL: not configured (or ignored) */
	int fd;
	bool created;                 /* we mkfifo()ed it: unlink at the end */
	dev_t dev;
	ino_t ino;
	int open_errno;               /* last failure logged, 0: none */
	uint64_t dropped_unlogged;
	uint64_t last_drop_log;       /* uv_now() */
	char *script;                 /* the FIFO script command, NULL: none */
	struct script_job job;
	uid_t uid;
	gid_t gid;
	bool script_running;
};

struct vrrp_notifier {
	uv_loop_t *loop;
	const struct config *cfg;
	const struct global_defs *g;
	int refs;
	bool dying;
	uint64_t script_timeout_us;

	struct ids *ids;              /* cache of resolved names */
	struct ids dflt;              /* scripts without a user */
	struct verdict *verdicts;

	struct notify_queue *queues;
	struct fifo fifo[2];
	uv_timer_t grace;             /* FIFO scripts: EOF, then SIGKILL */
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
	for (int i = 0; i < 2; i++) {
		free(n->fifo[i].path);
		free(n->fifo[i].script);
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
	char **argv = NULL;
	const char *err = NULL;

	v->cmd = xstrdup(cmd);
	v->uid = uid;
	v->gid = gid;
	if (cmdline_split(cmd, &argv, &err) < 0) {
		v->ok = true;         /* script_run() reports the bad text */
	} else if (cmdline_needs_shell(cmd)) {
		v->ok = script_is_secure("/bin/sh", uid, gid, why, sizeof(why)) &&
			(!strchr(argv[0], '/') || script_is_secure(argv[0], uid, gid, why, sizeof(why)));
	} else {
		v->ok = script_is_secure(argv[0], uid, gid, why, sizeof(why));
	}
	free(argv);
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

static bool fifo_open(struct vrrp_notifier *n, struct fifo *f)
{
	struct stat st;
	int fd = open(f->path, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
	int e = errno;

	if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode))) {
		close(fd);
		fd = -1;
		e = ENOTSUP;
	}
	if (fd < 0) {
		if (e != f->open_errno) {     /* log each new reason once */
			if (e == ENOTSUP)
				log_msg(LOG_ERR, "%s %s is not a FIFO: not writing to it", f->setting,
					f->path);
			else
				log_msg(LOG_ERR, "cannot open %s %s: %s; will retry at the next "
					"transition", f->setting, f->path, strerror(e));
			f->open_errno = e;
		}
		return false;
	}
	if (f->open_errno)
		log_msg(LOG_INFO, "%s %s is open again", f->setting, f->path);
	f->open_errno = 0;
	f->fd = fd;
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	(void)n;
	return true;
}

static void on_fifo_script_done(struct script_job *job, const struct script_result *r, void *data)
{
	struct vrrp_notifier *n = data;
	struct fifo *f = job == &n->fifo[0].job ? &n->fifo[0] : &n->fifo[1];
	char d[160];

	f->script_running = false;
	log_msg(n->dying ? LOG_INFO : LOG_WARNING, "%s_script '%s' ended: %s", f->setting,
		f->script, script_result_describe(r, d, sizeof(d)));
	/* Shutting down and every FIFO script gone: no need to wait out the grace. */
	if (n->dying && !n->fifo[0].script_running && !n->fifo[1].script_running &&
	    !uv_is_closing((uv_handle_t *)&n->grace))
		uv_close((uv_handle_t *)&n->grace, on_timer_closed);
	notifier_unref(n);
}

static void fifo_setup(struct vrrp_notifier *n, struct fifo *f, const char *setting,
		       const struct run_as *fifo, const struct run_as *script)
{
	f->setting = setting;
	f->fd = -1;
	script_job_init(&f->job);
	if (!fifo->path)
		return;

	/* The FIFO belongs to its user, else to the default script user
	 * (keepalived: "Failed to set default user for ... fifo"). */
	const struct ids *owner = resolve(n, fifo->user, fifo->group);
	if (!owner->ok) {
		log_msg(LOG_ERR, "invalid user/group for %s %s - ignoring", setting, fifo->path);
		return;
	}
	f->path = xstrdup(fifo->path);
	if (mkfifo(f->path, S_IRUSR | S_IWUSR | S_IRGRP | S_IROTH) == 0) {
		f->created = true;
		if (owner->uid != (uid_t)-1 && chown(f->path, owner->uid, owner->gid) < 0)
			log_warn("cannot give %s %s to uid %u", setting, f->path,
				 (unsigned)owner->uid);
	} else if (errno != EEXIST) {
		log_warn("cannot create %s %s", setting, f->path);
	}

	/* The reader first, as keepalived: it gets the path as its last
	 * argument and opens the FIFO whenever it is ready. */
	if (script && script->path) {
		const struct ids *i = resolve(n, script->user, script->group);
		const char *args[] = { f->path, NULL };
		if (!i->ok) {
			log_msg(LOG_ERR, "%s_script '%s' not started: its user does not exist",
				setting, script->path);
		} else if (secure(n, script->path, i->uid, i->gid)) {
			struct script_spec spec = {
				.command = script->path, .extra_args = args,
				.uid = i->uid, .gid = i->gid, .timeout_us = 0,
			};
			f->script = xstrdup(script->path);
			if (script_run(n->loop, &f->job, &spec, on_fifo_script_done, n) == 0) {
				f->script_running = true;
				n->refs++;
			}
		}
	}
	fifo_open(n, f);
}

static void fifo_write(struct vrrp_notifier *n, struct fifo *f, const char *line, size_t len)
{
	if (!f->path)
		return;
	if (f->fd < 0 && !fifo_open(n, f)) {
		n->st.fifo_dropped++;
		return;
	}
	if (len > PIPE_BUF) {         /* longer lines would not be atomic */
		log_msg(LOG_WARNING, "%s %s: line of %zu bytes not written", f->setting, f->path, len);
		n->st.fifo_dropped++;
		return;
	}
	ssize_t w = write(f->fd, line, len);
	if (w == (ssize_t)len) {
		n->st.fifo_lines++;
		return;
	}
	n->st.fifo_dropped++;
	if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
		uint64_t now = uv_now(n->loop);
		f->dropped_unlogged++;
		if (f->last_drop_log == 0 || now - f->last_drop_log >= FIFO_DROP_LOG_MS) {
			log_msg(LOG_WARNING, "%s %s is full (nobody reads it?): %llu line(s) dropped "
				"since the last report", f->setting, f->path,
				(unsigned long long)f->dropped_unlogged);
			f->dropped_unlogged = 0;
			f->last_drop_log = now ? now : 1;
		}
		return;
	}
	log_warn("%s %s: write failed; reopening at the next transition", f->setting, f->path);
	close(f->fd);
	f->fd = -1;
}

static void fifo_close(struct fifo *f)
{
	struct stat st;

	if (f->fd >= 0) {
		/* Unlink only the FIFO we made, and only if it is still ours. */
		if (f->created && stat(f->path, &st) == 0 && st.st_dev == f->dev &&
		    st.st_ino == f->ino)
			unlink(f->path);
		close(f->fd);
		f->fd = -1;
	} else if (f->created && f->path) {
		unlink(f->path);
	}
}

static void on_grace(uv_timer_t *t)
{
	struct vrrp_notifier *n = t->data;
	for (int i = 0; i < 2; i++)
		if (n->fifo[i].script_running)
			script_cancel(&n->fifo[i].job);
	uv_close((uv_handle_t *)t, on_timer_closed);
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

static void on_script_done(struct script_job *job, const struct script_result *r, void *data)
{
	struct notify_queue *q = data;
	struct vrrp_notifier *n = q->n;
	struct item *it = q->running;
	char d[160];

	(void)job;
	q->running = NULL;
	n->st.scripts_run++;
	if (r->status == SCRIPT_TIMED_OUT)
		n->st.scripts_timed_out++;
	if (r->status == SCRIPT_CANCELLED) {
		log_msg(LOG_INFO, "(%s) %s '%s' cancelled", q->name, it->what, it->cmd);
	} else if (!script_result_ok(r)) {
		char first[128] = "";
		n->st.scripts_failed++;
		if (r->output_len) {
			size_t l = strcspn(r->output, "\n");
			snprintf(first, sizeof(first), "; it said: %.*s", (int)(l < 100 ? l : 100),
				 r->output);
		}
		log_msg(LOG_WARNING, "(%s) %s '%s' %s%s", q->name, it->what, it->cmd,
			script_result_describe(r, d, sizeof(d)), first);
	} else {
		log_debug("(%s) %s '%s' done in %llu ms", q->name, it->what, it->cmd,
			  (unsigned long long)(r->runtime_us / 1000));
	}
	item_free(it);
	if (q->freeing) {
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

static void start_next(struct notify_queue *q)
{
	struct vrrp_notifier *n = q->n;

	while (!q->running && q->head) {
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
			.capture = true,
		};
		q->running = it;
		if (script_run(n->loop, &q->job, &spec, on_script_done, q) != 0) {
			q->running = NULL;     /* cannot happen: the job is idle here */
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
		fifo_write(n, &n->fifo[i], line, (size_t)len);
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
	script_job_init(&q->job);
	q->next = n->queues;
	if (n->queues)
		n->queues->prev = q;
	n->queues = q;
	n->refs++;
	return q;
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
		script_cancel(&q->job);     /* on_script_done() releases q */
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

struct vrrp_notifier *vrrp_notifier_new(uv_loop_t *loop, const struct config *cfg)
{
	struct vrrp_notifier *n = xcalloc(1, sizeof(*n));
	const struct global_defs *g = &cfg->global;

	n->loop = loop;
	n->cfg = conf_ref(cfg);        /* scripts, FIFO and mail settings */
	n->g = g;
	n->refs = 1;
	n->script_timeout_us = NOTIFY_SCRIPT_TIMEOUT_US;
	uv_timer_init(loop, &n->grace);
	n->grace.data = n;
	uv_timer_init(loop, &n->drain_timer);
	n->drain_timer.data = n;
	n->refs += 2;

	resolve_default(n);
	prepare_scripts(n);
	mailer_init(&n->mail, n->loop, n->g);
	fifo_setup(n, &n->fifo[0], "notify_fifo", &g->notify_fifo, &g->notify_fifo_script);
	if (g->vrrp_notify_fifo.path && g->notify_fifo.path &&
	    !strcmp(g->vrrp_notify_fifo.path, g->notify_fifo.path)) {
		/* keepalived: the same FIFO twice would get every line twice */
		log_msg(LOG_INFO, "notify FIFO %s is both notify_fifo and vrrp_notify_fifo - "
			"ignoring vrrp_notify_fifo", g->vrrp_notify_fifo.path);
		fifo_setup(n, &n->fifo[1], "vrrp_notify_fifo", &(struct run_as){ 0 }, NULL);
	} else {
		fifo_setup(n, &n->fifo[1], "vrrp_notify_fifo", &g->vrrp_notify_fifo,
			   &g->vrrp_notify_fifo_script);
	}
	return n;
}

void vrrp_notifier_set_script_timeout(struct vrrp_notifier *n, uint64_t timeout_us)
{
	n->script_timeout_us = timeout_us;
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
			script_cancel(&q->job);
		} else {
			free(q->type);
			free(q->name);
			free(q);
			n->refs--;             /* cannot reach 0: n holds its own */
		}
	}
	smtp_client_free(n->mail.smtp);   /* on_email_done() runs now */
	n->mail.smtp = NULL;
	for (int i = 0; i < 2; i++)
		fifo_close(&n->fifo[i]);
	uv_close((uv_handle_t *)&n->drain_timer, on_timer_closed);
	if (n->fifo[0].script_running || n->fifo[1].script_running)
		uv_timer_start(&n->grace, on_grace, NOTIFY_FIFO_GRACE_US / 1000, 0);
	else
		uv_close((uv_handle_t *)&n->grace, on_timer_closed);
	notifier_unref(n);
}
