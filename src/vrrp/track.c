/* track.c - tracked interfaces, scripts and files; see track.h. */
#include "track.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iface.h"
#include "log.h"
#include "user.h"
#include "vrrp.h"

#define US_PER_MS 1000ULL

static struct tracked *add_object(struct vrrp_engine *e, enum tracked_kind kind,
				  const char *name)
{
	struct tracked *t = calloc(1, sizeof(*t));
	struct tracked **grown = realloc(e->tracked, (e->ntracked + 1) * sizeof(*grown));
	if (!t || !grown) {
		log_msg(LOG_ERR, "VRRP: out of memory");
		abort();
	}
	e->tracked = grown;
	e->tracked[e->ntracked++] = t;
	t->kind = kind;
	t->model = conf_ref(e->cfg);   /* name, script and file point into it */
	t->name = name;
	t->eng = e;
	t->up = true;
	return t;
}

struct tracked *track_find(struct vrrp_engine *e, enum tracked_kind kind, const char *name)
{
	for (size_t i = 0; i < e->ntracked; i++)
		if (e->tracked[i]->kind == kind && strcmp(e->tracked[i]->name, name) == 0)
			return e->tracked[i];
	return NULL;
}

void track_evaluate(const struct track_link *links, size_t n, int *delta, unsigned *faults)
{
	*delta = 0;
	*faults = 0;
	for (size_t i = 0; i < n; i++) {
		const struct track_link *l = &links[i];
		if (l->obj->kind == TRACKED_FILE) {
			/* keepalived.conf(5) track_file: weight 0 means "non-zero
			 * is a failure"; otherwise value x weight moves the
			 * priority, and below -253 means Fault. */
			long long v = l->obj->value;
			if (l->weight == 0) {
				*faults += l->reverse ? v == 0 : v != 0;
				continue;
			}
			long long r = v * l->weight * (l->reverse ? -1 : 1);
			if (r < -253)
				(*faults)++;
			else
				*delta += (int)(r > 253 ? 253 : r);
			continue;
		}
		bool up = l->reverse ? !l->obj->up : l->obj->up;
		if (l->weight == 0)
			*faults += !up;
		else if (l->weight > 0 && up)
			*delta += l->weight;
		else if (l->weight < 0 && !up)
			*delta += l->weight;
	}
}

/* ---- scripts ---------------------------------------------------------------- */

static void schedule_script(struct tracked *t, uint64_t delay_us);

/* Freed when the last of its handle and its running script is done. */
static void release(struct tracked *t)
{
	if (--t->refs)
		return;
	free(t->dir);
	conf_unref(t->model);
	free(t);
}

static void on_closed(uv_handle_t *h)
{
	release(h->data);
}

static void script_done(struct script_job *job, const struct script_result *r, void *data)
{
	struct tracked *t = data;
	char why[160];
	bool ok = script_result_ok(r);
	(void)job;

	if (t->stopping) {
		release(t);
		return;
	}
	if (ok)
		t->streak = t->streak > 0 ? t->streak + 1 : 1;
	else
		t->streak = t->streak < 0 ? t->streak - 1 : -1;
	bool was = t->up;
	if (!t->up && t->streak >= t->script->rise)
		t->up = true;
	else if (t->up && -t->streak >= t->script->fall)
		t->up = false;
	if (t->up != was) {
		if (t->up)
			log_msg(LOG_INFO, "VRRP_Script(%s) succeeded", t->name);
		else if (r->status == SCRIPT_EXITED)
			log_msg(LOG_INFO, "VRRP_Script(%s) failed (exited with status %d)", t->name,
				r->exit_code);
		else
			log_msg(LOG_INFO, "VRRP_Script(%s) failed (%s)", t->name,
				script_result_describe(r, why, sizeof(why)));
		vrrp_engine_tracking_changed(t->eng);
	}
	schedule_script(t, t->script->interval);
}

static void on_script_timer(uv_timer_t *timer)
{
	struct tracked *t = timer->data;
	const struct vrrp_script *s = t->script;
	struct script_spec spec = {
		.command = s->script,
		.uid = t->uid,
		.gid = t->gid,
		/* keepalived: no timeout means the interval */
		.timeout_us = s->timeout ? s->timeout : s->interval,
	};
	if (script_busy(&t->job))
		return;
	int err = script_run(t->eng->loop, &t->job, &spec, script_done, t);
	if (err < 0)
		schedule_script(t, s->interval);
}

static void schedule_script(struct tracked *t, uint64_t delay_us)
{
	uv_timer_start(&t->timer, on_script_timer, (delay_us + US_PER_MS - 1) / US_PER_MS, 0);
}

static void start_script(struct vrrp_engine *e, struct tracked *t)
{
	const struct vrrp_script *s = t->script;
	char why[512];

	t->up = !s->init_fail;
	t->weight = s->weight.value;
	t->reverse = s->weight.reverse;
	script_job_init(&t->job);
	uv_timer_init(e->loop, &t->timer);
	t->timer.data = t;
	const struct user_group *su = &e->cfg->global.script_user;
	if (!user_resolve_script(s->user.user, s->user.group, su->user, su->group, &t->uid,
				 &t->gid, NULL, 0)) {
		log_msg(LOG_ERR, "VRRP_Script(%s): invalid user/group - ignoring; counted as failed",
			t->name);
		t->disabled = true;
		t->up = false;
		return;
	}
	if (e->cfg->global.enable_script_security &&
	    !script_command_is_secure(s->script, t->uid, t->gid, why, sizeof(why))) {
		log_msg(LOG_ERR, "VRRP_Script(%s): SECURITY VIOLATION - %s; script disabled, "
			"and counted as failed", t->name, why);
		t->disabled = true;
		t->up = false;
		return;
	}
	schedule_script(t, 0);
}

/* ---- files ------------------------------------------------------------------- */

static void read_file_value(struct tracked *t)
{
	char buf[64] = "";
	int fd = open(t->file->file, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	long long v = 0;
	if (fd >= 0) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[n > 0 ? n : 0] = '\0';
		v = strtoll(buf, NULL, 10);
	}
	if (v != t->value || fd < 0) {
		if (v != t->value)
			log_msg(LOG_INFO, "Track file %s: value %lld", t->name, v);
		t->value = v;
		vrrp_engine_tracking_changed(t->eng);
	}
}

static void on_file_event(uv_fs_event_t *h, const char *filename, int events, int status)
{
	struct tracked *t = h->data;
	(void)events;
	if (status == 0 && (!filename || strcmp(filename, t->base) == 0))
		read_file_value(t);
}

/* init_file [VALUE] [overwrite]: never through a symbolic link, and an
 * existing file is truncated only when it is a regular file with one
 * name (a hard link could be another user's way to a root file). */
static void init_file(const struct track_file *f)
{
	int flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW |
		    (f->init_file.overwrite ? 0 : O_EXCL);
	struct stat st;
	int fd = open(f->file, flags, 0644);
	if (fd < 0) {
		if (errno != EEXIST)          /* EEXIST: kept, as asked (no overwrite) */
			log_warn("track_file %s: init_file not written", f->file);
		return;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1 ||
	    ftruncate(fd, 0) < 0) {
		log_msg(LOG_WARNING, "track_file %s: not a regular file with one name; init_file "
			"not written", f->file);
		close(fd);
		return;
	}
	dprintf(fd, "%d\n", f->init_file.value);
	close(fd);
}

static void start_file(struct vrrp_engine *e, struct tracked *t)
{
	const struct track_file *f = t->file;
	t->weight = f->weight.weight;
	t->reverse = f->weight.reverse;
	if (!f->file)
		return;
	if (f->init_file.given)
		init_file(f);
	t->dir = strdup(f->file);
	char *slash = t->dir ? strrchr(t->dir, '/') : NULL;
	if (slash) {
		*slash = '\0';
		t->base = f->file + (slash - t->dir) + 1;
		if (!t->dir[0])
			strcpy(t->dir, "/");
	} else {
		free(t->dir);
		t->dir = strdup(".");
		t->base = f->file;
	}
	uv_fs_event_init(e->loop, &t->fs);
	t->fs.data = t;
	if (uv_fs_event_start(&t->fs, on_file_event, t->dir, 0) < 0)
		log_msg(LOG_WARNING, "Track file %s: cannot watch %s", t->name, t->dir);
	t->value = 0;
	read_file_value(t);
}

/* ---- processes ----------------------------------------------------------------- */

/* up: quorum..quorum_max processes run. */
static bool process_up(const struct tracked *t)
{
	const struct track_process *p = t->proc;
	return t->count >= (size_t)p->quorum &&
	       (p->quorum_max == VRRP_UNSET || t->count <= (size_t)p->quorum_max);
}

static void process_apply(struct tracked *t)
{
	bool up = process_up(t);
	if (up == t->up)
		return;
	t->up = up;
	log_msg(LOG_INFO, "Quorum %s for tracked process %s (%zu running)", up ? "gained" : "lost",
		t->name, t->count);
	vrrp_engine_tracking_changed(t->eng);
}

static void on_process_delay(uv_timer_t *timer)
{
	process_apply(timer->data);
}

/* fork_delay: up only once the quorum held that long; terminate_delay:
 * down only once it was lost that long. */
static void process_count(struct tracked *t, size_t count)
{
	t->count = count;
	bool up = process_up(t);
	if (up == t->up) {
		uv_timer_stop(&t->delay);
		return;
	}
	uint64_t wait = up ? t->proc->delay.fork : t->proc->delay.terminate;
	if (!wait)
		process_apply(t);
	else if (!uv_is_active((uv_handle_t *)&t->delay))
		uv_timer_start(&t->delay, on_process_delay, (wait + US_PER_MS - 1) / US_PER_MS, 0);
}

static void on_counts(const size_t *counts, void *data)
{
	struct vrrp_engine *e = data;
	for (size_t i = 0; i < e->nproc_objs; i++)
		process_count(e->proc_objs[i], counts[i]);
}

static void start_processes(struct vrrp_engine *e)
{
	const struct track_process **descs = calloc(e->ntracked + 1, sizeof(*descs));
	e->proc_objs = calloc(e->ntracked + 1, sizeof(*e->proc_objs));
	if (!descs || !e->proc_objs)
		abort();
	for (size_t i = 0; i < e->ntracked; i++) {
		struct tracked *t = e->tracked[i];
		if (t->kind != TRACKED_PROCESS || !t->proc)
			continue;
		t->weight = t->proc->weight.value;
		t->reverse = t->proc->weight.reverse;
		uv_timer_init(e->loop, &t->delay);
		t->delay.data = t;
		descs[e->nproc_objs] = t->proc;
		e->proc_objs[e->nproc_objs++] = t;
	}
	e->procwatch = procwatch_start(e->loop, descs, e->nproc_objs, on_counts, e);
	free(descs);
	if (!e->procwatch)
		return;
	/* At start the state is what runs now, without the delays. */
	const size_t *counts = procwatch_counts(e->procwatch);
	for (size_t i = 0; i < e->nproc_objs; i++) {
		struct tracked *t = e->proc_objs[i];
		t->count = counts[i];
		t->up = process_up(t);
		log_msg(LOG_INFO, "Tracked process %s: %zu running, %s", t->name, t->count,
			t->up ? "quorum met" : "quorum not met");
	}
}

/* ---- set-up ------------------------------------------------------------------- */

static void add_links_of(struct vrrp_engine *e, const struct list *refs, enum tracked_kind kind)
{
	for (const struct node *n = refs->first; n; n = n->next) {
		const struct track_ref *r = (const struct track_ref *)n;
		if (track_find(e, kind, r->name))
			continue;
		struct tracked *t = add_object(e, kind, r->name);
		if (kind == TRACKED_SCRIPT) {
			for (const struct node *s = e->cfg->vrrp_scripts.first; s; s = s->next)
				if (strcmp(((const struct vrrp_script *)s)->hdr.name, r->name) == 0)
					t->script = (const struct vrrp_script *)s;
		} else if (kind == TRACKED_FILE) {
			for (const struct node *f = e->cfg->track_files.first; f; f = f->next)
				if (strcmp(((const struct track_file *)f)->hdr.name, r->name) == 0)
					t->file = (const struct track_file *)f;
		} else if (kind == TRACKED_PROCESS) {
			for (const struct node *f = e->cfg->vrrp_track_processes.first; f; f = f->next)
				if (strcmp(((const struct track_process *)f)->hdr.name, r->name) == 0)
					t->proc = (const struct track_process *)f;
		} else {
			struct iface_info ifi;
			if (iface_lookup(r->name, &ifi) == 0) {
				t->ifindex = ifi.ifindex;
				t->up = ifi.up;
			} else {
				t->up = false;
				log_msg(LOG_WARNING, "tracked interface %s does not exist; "
					"counted as down", r->name);
			}
		}
	}
}

int track_start(struct vrrp_engine *e)
{
	for (const struct node *n = e->cfg->vrrp_instances.first; n; n = n->next) {
		const struct vrrp_instance *vi = (const struct vrrp_instance *)n;
		add_links_of(e, &vi->track_interfaces, TRACKED_IFACE);
		add_links_of(e, &vi->track_scripts, TRACKED_SCRIPT);
		add_links_of(e, &vi->track_files, TRACKED_FILE);
		add_links_of(e, &vi->track_processes, TRACKED_PROCESS);
	}
	for (const struct node *n = e->cfg->vrrp_sync_groups.first; n; n = n->next) {
		const struct vrrp_sync_group *g = (const struct vrrp_sync_group *)n;
		add_links_of(e, &g->track_interfaces, TRACKED_IFACE);
		add_links_of(e, &g->track_scripts, TRACKED_SCRIPT);
		add_links_of(e, &g->track_files, TRACKED_FILE);
		add_links_of(e, &g->track_processes, TRACKED_PROCESS);
	}
	for (size_t i = 0; i < e->ntracked; i++) {
		struct tracked *t = e->tracked[i];
		if (t->kind == TRACKED_SCRIPT && t->script && t->script->script)
			start_script(e, t);
		else if (t->kind == TRACKED_FILE && t->file)
			start_file(e, t);
	}
	start_processes(e);
	return 0;
}

void track_link_event(struct vrrp_engine *e, int ifindex, const char *ifname, bool up)
{
	bool changed = false;
	for (size_t i = 0; i < e->ntracked; i++) {
		struct tracked *t = e->tracked[i];
		if (t->kind != TRACKED_IFACE)
			continue;
		/* An interface created after start-up, or deleted and created
		 * again (with a new index), is found by its name. */
		if (t->ifindex != ifindex && ifname && strcmp(t->name, ifname) == 0)
			t->ifindex = ifindex;
		if (t->ifindex != ifindex || t->up == up)
			continue;
		t->up = up;
		changed = true;
		log_msg(LOG_INFO, "Netlink reports %s %s", t->name, up ? "up" : "down");
	}
	if (changed)
		vrrp_engine_tracking_changed(e);
}

struct saved_verdict {
	enum tracked_kind kind;
	char *name;
	bool up;
	long long value;
	int streak;
};

void track_restart(struct vrrp_engine *e)
{
	size_t n = e->ntracked;
	struct saved_verdict *saved = calloc(n + 1, sizeof(*saved));
	if (!saved)
		abort();
	for (size_t i = 0; i < n; i++) {
		struct tracked *t = e->tracked[i];
		saved[i] = (struct saved_verdict){ t->kind, strdup(t->name), t->up, t->value, t->streak };
	}
	track_stop(e);
	track_start(e);
	for (size_t i = 0; i < n; i++) {
		struct tracked *t = saved[i].name ? track_find(e, saved[i].kind, saved[i].name) : NULL;
		if (t && t->kind == TRACKED_SCRIPT && !t->disabled) {
			t->up = saved[i].up;
			t->streak = saved[i].streak;
		}
		free(saved[i].name);
	}
	free(saved);
}

void track_stop(struct vrrp_engine *e)
{
	for (size_t i = 0; i < e->ntracked; i++) {
		struct tracked *t = e->tracked[i];
		t->stopping = true;
		t->refs = 1;
		if (t->kind == TRACKED_SCRIPT && t->script && t->script->script) {
			if (script_busy(&t->job)) {
				t->refs++;          /* its callback still comes, once */
				script_cancel(&t->job);
			}
			uv_close((uv_handle_t *)&t->timer, on_closed);
		} else if (t->kind == TRACKED_FILE && t->file && t->file->file) {
			uv_close((uv_handle_t *)&t->fs, on_closed);
		} else if (t->kind == TRACKED_PROCESS && t->proc) {
			uv_close((uv_handle_t *)&t->delay, on_closed);
		} else {
			release(t);
		}
	}
	procwatch_stop(e->procwatch);
	e->procwatch = NULL;
	free(e->proc_objs);
	e->proc_objs = NULL;
	e->nproc_objs = 0;
	free(e->tracked);
	e->tracked = NULL;
	e->ntracked = 0;
}
