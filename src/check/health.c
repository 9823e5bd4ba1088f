/* health.c - the health-check engine; see health.h. */
#include "health.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fifo.h"
#include "json.h"
#include "kw.h"
#include "log.h"
#include "mailer.h"
#include "probe.h"
#include "script.h"
#include "state.h"
#include "user.h"

struct hc_server;

/* One probe of one real server: a checker, or one host of an SMTP_CHECK. */
struct hc_checker {
	struct health *h;
	struct hc_gen *gen;
	struct hc_server *srv;
	struct probe *probe;
	uv_timer_t timer;
	struct check_timing t;
	struct check_progress prog;
	bool log_all_failures;
	bool running;              /* an attempt is out */
	bool carried;              /* a reload gave it an old twin's state */
	/* The weight its last success asked for (misc_dynamic, FILE_CHECK),
	 * -1: none. What it adds to the server's weight is this minus the
	 * configured weight (server_weight()); a reload carries it. */
	int32_t want;
	uint64_t started_ms;       /* loop time of the running attempt's start */
	uint32_t index;            /* position among the server's probes (reload key) */
};

struct hc_server {
	const struct virtual_server *vs;
	const struct real_server *rs;
	struct hc_checker *checks; /* its probes, stored one after another */
	uint32_t nchecks;
	uint32_t ndown;            /* checkers counted down (see checker_down()) */
	bool alive;
	int32_t weight;            /* from its checkers' wants; -1: configured */
};

/* Everything built from one configuration. A reload builds the next
 * generation and retires this one, whose timers close on the loop before
 * its memory goes. */
struct hc_gen {
	struct health *h;
	const struct config *cfg;  /* a reference (conf_ref()), dropped with the memory */
	struct hc_server *servers;
	size_t nservers;
	struct hc_checker *checkers;
	size_t nchecks;
	/* real_server pointer -> index in servers, open addressing */
	uint32_t *slot;
	size_t nslots;
	size_t closing;            /* timers still closing after retirement */
};

struct health {
	uv_loop_t *loop;
	struct probe_ctx ctx;
	health_changed_fn changed;
	void *data;
	struct hc_gen *gen;
	uv_timer_t flush;          /* coalesces verdict changes into one report */
	bool dirty;
	uv_check_t turn;           /* runs once per loop iteration, after the I/O */
	unsigned starts_this_turn; /* attempts started since it last ran */
	struct mailer mail;        /* smtp_alert for checkers */
	struct check_fifos *fifos; /* the worker's; NULL: no FIFO lines */
	struct health_stats stats;
};

/* ---- formatting (keepalived's FMT_VS / FMT_RS / FMT_CHK) ------------------- */

static const char *proto_name(int protocol)
{
	switch (protocol) {
	case LVS_PROTO_UDP: return "udp";
	case LVS_PROTO_SCTP: return "sctp";
	default: return "tcp";
	}
}

static void addr_port_fmt(const struct vaddr *a, int protocol, uint16_t port, char *buf,
			  size_t len)
{
	char s[INET6_ADDRSTRLEN] = "?";
	inet_ntop(a->family, a->u.bytes, s, sizeof(s));
	snprintf(buf, len, "[%s]:%s:%u", s, proto_name(protocol), (unsigned)port);
}

char *health_vs_fmt(const struct virtual_server *vs, char *buf, size_t len)
{
	if (vs->kind == VS_FWMARK)
		snprintf(buf, len, "FWM %u", (unsigned)vs->fwmark);
	else if (vs->kind == VS_GROUP)
		snprintf(buf, len, "[%s]:%s", vs->group_name, proto_name(vs->protocol));
	else
		addr_port_fmt(&vs->addr, vs->protocol, vs->port, buf, len);
	return buf;
}

char *health_rs_fmt(const struct virtual_server *vs, const struct real_server *rs, char *buf,
		    size_t len)
{
	addr_port_fmt(&rs->addr, vs->protocol, rs->port ? rs->port : vs->port, buf, len);
	return buf;
}

/* ---- building the probes ------------------------------------------------------ */

static socklen_t sockaddr_of(const struct vaddr *a, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		memcpy(&s6->sin6_addr, &a->u.v6, sizeof(s6->sin6_addr));
		return sizeof(*s6);
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	s4->sin_family = AF_INET;
	s4->sin_port = htons(port);
	s4->sin_addr = a->u.v4;
	return sizeof(*s4);
}

/* Where the probe connects from and to: the host block's settings, else
 * the checker's, else the real server's address and port (else the
 * virtual server's port). */
static void fill_target(struct probe *p, const struct check_conn *host,
			const struct check_conn *cc, const struct virtual_server *vs,
			const struct real_server *rs, int protocol)
{
	const struct vaddr *ip = host && host->connect_ip.family ? &host->connect_ip :
				 cc->connect_ip.family ? &cc->connect_ip : &rs->addr;
	uint16_t port = host && host->connect_port ? host->connect_port :
			cc->connect_port ? cc->connect_port : rs->port ? rs->port : vs->port;
	const struct vaddr *bind = host && host->bindto.family ? &host->bindto : &cc->bindto;
	uint16_t bport = host && host->bind_port ? host->bind_port : cc->bind_port;

	p->dst_len = sockaddr_of(ip, port, &p->dst);
	if (bind->family || bport) {
		struct vaddr any = { .family = ip->family };
		p->src_len = sockaddr_of(bind->family ? bind : &any, bport, &p->src);
	}
	p->fwmark = host && host->fwmark ? host->fwmark : cc->fwmark;
	p->bind_if = host && host->bind_if ? host->bind_if : cc->bind_if;
	addr_port_fmt(ip, protocol, port, p->name, sizeof(p->name));
}

/* FILE_CHECK follows a file, not a server: it is read at once when
 * inotify reports a change (file.c wakes the checker) and every second
 * besides, for what inotify cannot see (a write on another host of a
 * network file system); a change counts at once, with no retries. */
#define FILE_CHECK_INTERVAL_US 1000000ULL

static void timing_of(struct hc_checker *c, const struct checker *conf)
{
	checker_effective(conf, c->srv->rs, c->srv->vs, &c->t);
	if (conf->kind == CHECK_FILE) {
		c->t.delay_loop = c->t.delay_before_retry = FILE_CHECK_INTERVAL_US;
		c->t.retry = 0;
		c->t.warmup = 0;
	}
}

static uint64_t timeout_of(const struct hc_checker *c, const struct checker *conf)
{
	if (conf->kind == CHECK_MISC) {
		const struct misc_check *m = (const struct misc_check *)(const void *)conf;
		return m->timeout ? m->timeout : c->t.delay_loop;
	}
	return c->t.connect_timeout;
}

static void on_probe_done(struct probe *p, const struct probe_result *r);
static void on_probe_wake(struct probe *p);

/* A probe for conf (and host, for an SMTP_CHECK host); false when the
 * kind cannot run (logged). */
static bool make_probe(struct health *h, struct hc_checker *c, const struct checker *conf,
		       const struct check_conn *host)
{
	const struct probe_ops *ops = probe_ops_for((enum check_kind)conf->kind);
	char rsname[128], vsname[128];

	if (!ops) {
		health_rs_fmt(c->srv->vs, c->srv->rs, rsname, sizeof(rsname));
		health_vs_fmt(c->srv->vs, vsname, sizeof(vsname));
		log_msg(LOG_WARNING, "%s for service %s in VS %s is not supported by vigil; "
			"the checker is ignored", conf->node.desc->name, rsname, vsname);
		return false;
	}
	struct probe *p = calloc(1, ops->size);
	if (!p)
		return false;
	p->ops = ops;
	p->ctx = &h->ctx;
	p->conf = conf;
	p->rs = c->srv->rs;
	p->vs = c->srv->vs;
	p->done = on_probe_done;
	p->wake = on_probe_wake;
	p->data = c;
	timing_of(c, conf);
	p->timeout_us = timeout_of(c, conf);
	if (conf->kind != CHECK_MISC && conf->kind != CHECK_FILE)
		fill_target(p, host, &conf->conn, c->srv->vs, c->srv->rs, c->srv->vs->protocol);
	else
		health_rs_fmt(c->srv->vs, c->srv->rs, p->name, sizeof(p->name));
	char err[256] = "";
	if (ops->init && ops->init(p, err, sizeof(err)) < 0) {
		health_rs_fmt(c->srv->vs, c->srv->rs, rsname, sizeof(rsname));
		health_vs_fmt(c->srv->vs, vsname, sizeof(vsname));
		log_msg(LOG_ERR, "%s for service %s in VS %s: %s; the checker is ignored",
			ops->keyword, rsname, vsname, err);
		free(p);
		return false;
	}
	c->probe = p;
	c->log_all_failures = conf->log_all_failures == 1 ||
			      (conf->log_all_failures == -1 &&
			       h->ctx.cfg->global.checker_log_all_failures);
	c->prog.state = CHECK_STATE_FRESH;
	return true;
}

/* How many probes a checker needs: one per SMTP_CHECK host, else one. */
static size_t probes_of(const struct checker *conf)
{
	if (conf->kind == CHECK_SMTP) {
		const struct smtp_check *s = (const struct smtp_check *)(const void *)conf;
		if (s->hosts.n)
			return s->hosts.n;
	}
	return 1;
}

static size_t count_probes(const struct config *cfg, size_t *nservers)
{
	size_t n = 0;
	*nservers = 0;
	for (const struct node *v = cfg->virtual_servers.first; v; v = v->next) {
		const struct virtual_server *vs = (const void *)v;
		for (const struct node *r = vs->real_servers.first; r; r = r->next) {
			const struct real_server *rs = (const void *)r;
			if (!rs->checkers.n)
				continue;
			(*nservers)++;
			for (const struct node *k = rs->checkers.first; k; k = k->next)
				n += probes_of((const struct checker *)(const void *)k);
		}
	}
	return n;
}

/* ---- real server lookup -------------------------------------------------------- */

static size_t slot_of(const struct hc_gen *g, const struct real_server *rs)
{
	uint64_t x = (uint64_t)(uintptr_t)rs;
	x ^= x >> 17;
	x *= 0x9E3779B97F4A7C15ULL;
	return (size_t)(x >> 29) & (g->nslots - 1);
}

static struct hc_server *server_of(const struct hc_gen *g, const struct real_server *rs)
{
	if (!g || !g->nslots)
		return NULL;
	for (size_t i = slot_of(g, rs);; i = (i + 1) & (g->nslots - 1)) {
		if (g->slot[i] == UINT32_MAX)
			return NULL;
		if (g->servers[g->slot[i]].rs == rs)
			return &g->servers[g->slot[i]];
	}
}

static void index_server(struct hc_gen *g, uint32_t idx)
{
	size_t i = slot_of(g, g->servers[idx].rs);
	while (g->slot[i] != UINT32_MAX)
		i = (i + 1) & (g->nslots - 1);
	g->slot[i] = idx;
}

/* ---- verdicts ---------------------------------------------------------------------- */

/* Down for the server's verdict: DOWN, or not yet judged under alpha. */
static bool checker_down(const struct hc_checker *c)
{
	return c->prog.state == CHECK_STATE_DOWN ||
	       (c->prog.state == CHECK_STATE_FRESH && c->t.alpha);
}

static void mark_dirty(struct health *h);

/* notify_up / notify_down: run and forgotten, as keepalived's
 * notify_exec(); the job frees itself when the script ends. */
static void notify_done(struct script_job *job, const struct script_result *r, void *data)
{
	char why[160];
	if (!script_result_ok(r))
		log_msg(LOG_WARNING, "notify script [%s] %s", (const char *)data,
			script_result_describe(r, why, sizeof(why)));
	free(data);
	free(job);
}

static void run_script(struct health *h, const struct lvs_script *s)
{
	struct script_job *job = malloc(sizeof(*job));
	if (!job)
		return;
	struct script_spec spec = { .command = s->cmd, .uid = (uid_t)-1, .gid = (gid_t)-1 };
	const struct user_group *su = &h->ctx.cfg->global.script_user;
	char why[160];
	/* keepalived's rule (user.h); a user that does not exist: not run. */
	if (!user_resolve_script(s->user, s->group, su->user, su->group, &spec.uid, &spec.gid,
				 why, sizeof(why))) {
		log_msg(LOG_ERR, "notify script [%s] not run: %s", s->cmd, why);
		free(job);
		return;
	}
	/* enable_script_security: the same gate as every other script
	 * (script_command_is_secure), so notify_up/down and quorum_up/down
	 * cannot run what a non-root user planted. */
	char sec[512];
	if (h->ctx.cfg->global.enable_script_security &&
	    !script_command_is_secure(s->cmd, spec.uid, spec.gid, sec, sizeof(sec))) {
		log_msg(LOG_ERR, "SECURITY VIOLATION - notify script [%s] not run: %s", s->cmd,
			sec);
		free(job);
		return;
	}
	/* The callback names the script; a reload may free the model first. */
	char *name = strdup(s->cmd);
	script_job_init(job);
	if (!name || script_run(h->loop, job, &spec, notify_done, name) < 0) {
		free(name);
		free(job);
	}
}

static void run_notify(struct health *h, const struct lvs_script *s, const char *rsname,
		       const char *vsname)
{
	if (!s)
		return;
	log_msg(LOG_INFO, "Executing [%s] for service %s in VS %s", s->cmd, rsname, vsname);
	run_script(h, s);
}

static int32_t weight_of(const struct hc_gen *g, const struct real_server *rs)
{
	const struct hc_server *srv = server_of(g, rs);
	if (srv && !srv->alive)
		return 0;
	return srv && srv->weight >= 0 ? srv->weight : (int32_t)rs->weight;
}

void health_quorum_changed(struct health *h, const struct virtual_server *vs, bool up)
{
	char vsname[128], sorry[128] = "";
	long sum = 0;
	for (const struct node *r = vs->real_servers.first; r; r = r->next)
		sum += weight_of(h->gen, (const struct real_server *)(const void *)r);
	health_vs_fmt(vs, vsname, sizeof(vsname));
	if (vs->sorry_server.addr.family) {
		struct real_server fake = { .addr = vs->sorry_server.addr,
					    .port = vs->sorry_server.port };
		health_rs_fmt(vs, &fake, sorry, sizeof(sorry));
	}
	if (up) {
		log_msg(LOG_INFO, "Gained quorum %u+%u=%ld <= %ld for VS %s", vs->quorum,
			vs->hysteresis, (long)vs->quorum + vs->hysteresis, sum, vsname);
		if (sorry[0])
			log_msg(LOG_INFO, "%s sorry server %s from VS %s",
				vs->sorry_server_inhibit ? "Disabling" : "Removing", sorry, vsname);
	} else {
		log_msg(LOG_INFO, "Lost quorum %u-%u=%ld > %ld for VS %s", vs->quorum,
			vs->hysteresis, (long)vs->quorum - (long)vs->hysteresis, sum, vsname);
		if (sorry[0])
			log_msg(LOG_INFO, "%s sorry server %s to VS %s",
				vs->sorry_server_inhibit ? "Enabling" : "Adding", sorry, vsname);
	}
	if (h->fifos)
		check_fifos_vs(h->fifos, vsname, up);
	const struct lvs_script *s = up ? vs->quorum_up : vs->quorum_down;
	if (s) {
		log_msg(LOG_INFO, "Executing [%s] for VS %s", s->cmd, vsname);
		run_script(h, s);
	}
}

/* The server's verdict after one of its checkers changed. */
static void server_update(struct health *h, struct hc_server *srv)
{
	bool alive = srv->ndown == 0;
	if (alive == srv->alive)
		return;
	srv->alive = alive;
	h->stats.servers_alive += alive ? 1 : (uint64_t)-1;

	char rsname[128], vsname[128];
	health_rs_fmt(srv->vs, srv->rs, rsname, sizeof(rsname));
	health_vs_fmt(srv->vs, vsname, sizeof(vsname));
	bool inhibit = srv->rs->inhibit_on_failure != LVS_TRI_INHERIT ?
		       srv->rs->inhibit_on_failure == 1 : srv->vs->inhibit_on_failure;
	if (alive)
		log_msg(LOG_INFO, "%s service %s to VS %s", inhibit ? "Enabling" : "Adding",
			rsname, vsname);
	else
		log_msg(LOG_INFO, "%s service %s from VS %s", inhibit ? "Disabling" : "Removing",
			rsname, vsname);
	run_notify(h, alive ? srv->rs->notify_up : srv->rs->notify_down, rsname, vsname);
	if (h->fifos)
		check_fifos_rs(h->fifos, rsname, vsname, alive);
	mark_dirty(h);
}

/* The server's weight from its checkers, as keepalived sums them: the
 * configured weight plus, for each checker that asked for one, what it
 * asked minus the configured weight (7 + (3-7) + (8-7) = 4 for two
 * checkers asking 3 and 8 of a weight-7 server), within 0..INT32_MAX; -1
 * when none asked. One sum, so two such checkers never undo each other's
 * weight at each attempt. */
static int32_t server_weight(const struct hc_server *srv)
{
	int64_t w = srv->rs->weight;
	bool any = false;
	for (uint32_t i = 0; i < srv->nchecks; i++) {
		if (srv->checks[i].want < 0)
			continue;
		w += (int64_t)srv->checks[i].want - (int64_t)srv->rs->weight;
		any = true;
	}
	if (!any)
		return -1;
	return w < 0 ? 0 : w > INT32_MAX ? INT32_MAX : (int32_t)w;
}

static void update_weight(struct health *h, struct hc_server *srv)
{
	int32_t next = server_weight(srv);
	int32_t old = srv->weight >= 0 ? srv->weight : (int32_t)srv->rs->weight;
	int32_t weight = next >= 0 ? next : (int32_t)srv->rs->weight;
	srv->weight = next;
	if (weight == old)
		return;
	char rsname[128], vsname[128];
	log_msg(LOG_INFO, "Changing weight from %d to %d for %s service %s of VS %s", old, weight,
		srv->alive ? "active" : "inactive",
		health_rs_fmt(srv->vs, srv->rs, rsname, sizeof(rsname)),
		health_vs_fmt(srv->vs, vsname, sizeof(vsname)));
	mark_dirty(h);
}

static void log_transition(const struct hc_checker *c, const struct probe_result *r,
			   bool first)
{
	const struct probe_ops *ops = c->probe->ops;
	const char *name = c->probe->name;
	bool up = c->prog.state == CHECK_STATE_UP;
	/* A FRESH checker is declared down only once its retries are spent,
	 * so keepalived says "failed after N retries." then too (it omits
	 * the count only before its first attempt has run, i.e. retry 0). */
	uint32_t retries = !up ? c->t.retry : 0;
	if (ops->transition_line) {
		char line[512];
		int prio = ops->transition_line(c->probe, r, up, first, retries, line, sizeof(line));
		if (prio >= 0)
			log_msg(prio, "%s", line);
		return;
	}
	if (up)
		log_msg(LOG_INFO, ops->up_fmt, name);
	else if (retries)
		log_msg(LOG_INFO, ops->down_retries_fmt, name, (unsigned)retries);
	else
		log_msg(LOG_INFO, ops->down_fmt, name);
	if (!up)
		log_msg(LOG_INFO, "%s %s: %s", ops->keyword, name,
			r->detail[0] ? r->detail : probe_status_str(r->status));
}

static void schedule(struct hc_checker *c, uint64_t delay_us);
static void schedule_loop(struct hc_checker *c);

/* smtp_alert: the real server's, else the virtual server's, else
 * global_defs smtp_alert_checker, else smtp_alert. */
static bool alerts_on(const struct health *h, const struct hc_server *srv)
{
	const struct global_defs *g = &h->ctx.cfg->global;
	if (srv->rs->smtp_alert != LVS_TRI_INHERIT)
		return srv->rs->smtp_alert == 1;
	if (srv->vs->smtp_alert != LVS_TRI_INHERIT)
		return srv->vs->smtp_alert == 1;
	if (g->smtp_alert_checker != TRISTATE_UNSET)
		return g->smtp_alert_checker == 1;
	return g->smtp_alert == 1;
}

/* keepalived's checker alert: "[router_id] Realserver [10.0.0.2]:tcp:80
 * of virtual server [10.11.12.99]:tcp:80 - DOWN", body "=> TCP CHECK
 * failed on service <=". Sent when a checker that was up goes down or
 * one that was down comes up; with no_checker_emails only when that
 * changes the server's verdict. */
static void alert(struct health *h, const struct hc_checker *c, bool up, bool server_changed)
{
	if (!h->mail.smtp || !alerts_on(h, c->srv) ||
	    (h->ctx.cfg->global.no_checker_emails && !server_changed))
		return;
	char rsname[128], vsname[128], subject[400], body[96];
	const char *kw = c->probe->ops->keyword;
	size_t kwlen = strcspn(kw, "_");
	snprintf(subject, sizeof(subject), "[%s] Realserver %s of virtual server %s - %s",
		 h->mail.router_id, health_rs_fmt(c->srv->vs, c->srv->rs, rsname, sizeof(rsname)),
		 health_vs_fmt(c->srv->vs, vsname, sizeof(vsname)), up ? "UP" : "DOWN");
	snprintf(body, sizeof(body), "=> %.*s CHECK %s on service <=", (int)kwlen, kw,
		 up ? "succeed" : "failed");
	mailer_send(&h->mail, subject, body, NULL, NULL);
}

static void on_probe_done(struct probe *p, const struct probe_result *r)
{
	struct hc_checker *c = p->data;
	struct health *h = c->h;
	bool ok = r->status == PROBE_OK;
	bool was_down = checker_down(c);
	bool first = c->prog.state == CHECK_STATE_FRESH;

	c->running = false;
	h->stats.attempts++;
	if (!ok) {
		h->stats.failures++;
		if (c->log_all_failures && c->prog.state == CHECK_STATE_UP)
			log_msg(LOG_INFO, "%s %s: %s%s%s", p->ops->keyword, p->name,
				probe_status_str(r->status), r->detail[0] ? ": " : "", r->detail);
	}
	/* A checker that set a weight (misc_dynamic, FILE_CHECK) and now
	 * succeeds without one gives its part back, as keepalived does. */
	if (ok && r->weight != c->want) {
		c->want = r->weight >= 0 ? r->weight : -1;
		update_weight(h, c->srv);
	}

	if (!ok)
		/* Detail (-D): every failed attempt, so the retries are seen. */
		log_msg(LOG_DEBUG, "%s %s: attempt failed (%s%s%s), %u of %u retries used",
			p->ops->keyword, p->name, probe_status_str(r->status),
			r->detail[0] ? ": " : "", r->detail, (unsigned)c->prog.retry_it,
			(unsigned)c->t.retry);
	struct check_step st = check_state_apply(&c->prog, ok, c->t.retry);
	if (st.report) {
		h->stats.transitions++;
		log_transition(c, r, first);
	}
	bool now_down = checker_down(c);
	if (now_down != was_down) {
		bool alive = c->srv->alive;
		c->srv->ndown += now_down ? 1 : (uint32_t)-1;
		server_update(h, c->srv);
		/* A checker's first verdict that only confirms where it
		 * started sends nothing, as in keepalived. */
		alert(h, c, !now_down, alive != c->srv->alive);
	}
	if (st.wait == CHECK_WAIT_LOOP)
		schedule_loop(c);
	else
		schedule(c, c->t.delay_before_retry);
}

/* The kind saw a change between attempts: the next one now. A retry or
 * loop wait is cut short, which only brings the verdict sooner; the
 * retry count is the state table's, as for any attempt. */
static void on_probe_wake(struct probe *p)
{
	struct hc_checker *c = p->data;
	if (!c->running)
		schedule(c, 0);
}

/* How many attempts one loop iteration starts at most. libuv runs every
 * due timer before it looks at the sockets, and starting an attempt is
 * not free (socket, connect: the kernel may run the whole handshake
 * then); a thousand checks due at once on a slow machine would hold the
 * loop for seconds, and the answers to the first ones would wait past
 * their deadlines. So a checker whose turn comes after this many waits a
 * millisecond, and the loop reads its sockets in between. */
#define HC_STARTS_PER_TURN 32

static void on_turn(uv_check_t *chk)
{
	struct health *h = chk->data;
	h->starts_this_turn = 0;
}

static void on_timer(uv_timer_t *t)
{
	struct hc_checker *c = t->data;
	if (c->h->starts_this_turn >= HC_STARTS_PER_TURN) {
		uv_timer_start(t, on_timer, 1, 0);
		return;
	}
	c->h->starts_this_turn++;
	c->running = true;
	c->started_ms = uv_now(t->loop);
	c->probe->ops->start(c->probe);
}

static void schedule(struct hc_checker *c, uint64_t delay_us)
{
	uint64_t ms = (delay_us + 999) / 1000;
	uv_timer_start(&c->timer, on_timer, ms, 0);
}

/* The next regular attempt is due delay_loop after the start of this one
 * (keepalived counts from its end): the checks of a large director then
 * keep the even spread warmup gave them, instead of drifting together
 * as their durations and a busy loop add up. But never sooner than half
 * a delay_loop after this one ended: when checks get slow (an overloaded
 * director, a slow server) they back off instead of running back to
 * back and making it worse, as counting from the end does. */
static void schedule_loop(struct hc_checker *c)
{
	uint64_t loop_ms = (c->t.delay_loop + 999) / 1000;
	uint64_t now = uv_now(c->h->loop);
	uint64_t due = c->started_ms + loop_ms;
	if (due < now + loop_ms / 2)
		due = now + loop_ms / 2;
	uv_timer_start(&c->timer, on_timer, due - now, 0);
}

static void on_flush(uv_timer_t *t)
{
	struct health *h = t->data;
	h->dirty = false;
	if (h->changed)
		h->changed(h->data);
}

static void mark_dirty(struct health *h)
{
	if (h->dirty)
		return;
	h->dirty = true;
	uv_timer_start(&h->flush, on_flush, 0, 0);
}

struct rs_verdict health_verdict(const struct virtual_server *vs, const struct real_server *rs,
				 void *data)
{
	const struct health *h = data;
	const struct hc_server *srv = server_of(h->gen, rs);
	struct rs_verdict v = { .up = true, .weight = -1 };
	(void)vs;
	if (srv) {
		v.up = srv->alive;
		v.weight = srv->weight;
	}
	return v;
}

/* ---- generations ---------------------------------------------------------------------- */

static size_t pow2_at_least(size_t n)
{
	size_t p = 1;
	while (p < n)
		p <<= 1;
	return p;
}

static void gen_free_memory(struct hc_gen *g)
{
	free(g->servers);
	free(g->checkers);
	free(g->slot);
	conf_unref(g->cfg);
	free(g);
}

static struct hc_gen *gen_alloc(struct health *h, const struct config *cfg)
{
	struct hc_gen *g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->h = h;
	/* Servers, checkers and probes point into cfg, and a retired
	 * generation lives on until its timers have closed. */
	g->cfg = conf_ref(cfg);
	size_t nprobes = count_probes(cfg, &g->nservers);
	g->nslots = g->nservers ? pow2_at_least(g->nservers * 2) : 0;
	g->servers = calloc(g->nservers + 1, sizeof(*g->servers));
	g->checkers = calloc(nprobes + 1, sizeof(*g->checkers));
	g->slot = malloc((g->nslots + 1) * sizeof(*g->slot));
	if (!g->servers || !g->checkers || !g->slot) {
		gen_free_memory(g);
		return NULL;
	}
	memset(g->slot, 0xff, (g->nslots + 1) * sizeof(*g->slot));
	return g;
}

/* One hc_checker per probe; those whose kind cannot run get no probe and
 * never count against their server. */
static void gen_build(struct hc_gen *g)
{
	struct health *h = g->h;
	size_t si = 0;
	for (const struct node *v = g->cfg->virtual_servers.first; v; v = v->next) {
		const struct virtual_server *vs = (const void *)v;
		for (const struct node *r = vs->real_servers.first; r; r = r->next) {
			const struct real_server *rs = (const void *)r;
			if (!rs->checkers.n)
				continue;
			struct hc_server *srv = &g->servers[si];
			srv->vs = vs;
			srv->rs = rs;
			srv->weight = -1;
			srv->checks = &g->checkers[g->nchecks];
			index_server(g, (uint32_t)si++);
			uint32_t index = 0;
			for (const struct node *k = rs->checkers.first; k; k = k->next) {
				const struct checker *conf = (const void *)k;
				const struct smtp_check *sc = (const void *)conf;
				const struct node *host = conf->kind == CHECK_SMTP ? sc->hosts.first : NULL;
				for (size_t n = probes_of(conf); n--; index++) {
					struct hc_checker *c = &g->checkers[g->nchecks];
					c->h = h;
					c->srv = srv;
					c->index = index;
					const struct check_conn *hc = host ?
						&((const struct smtp_host *)(const void *)host)->conn : NULL;
					if (host)
						host = host->next;
					c->want = -1;
					if (!make_probe(h, c, conf, hc))
						continue;
					uv_timer_init(h->loop, &c->timer);
					c->timer.data = c;
					g->nchecks++;
					srv->nchecks++;
				}
			}
		}
	}
}

static uint64_t str_hash(const char *s)
{
	uint64_t x = 1469598103934665603ULL;
	while (s && *s)
		x = (x ^ (uint8_t)*s++) * 1099511628211ULL;
	return x;
}

/* The reload key of a checker: its virtual server's head, its real
 * server, its position and kind, as bytes (a group's name by hash; equal
 * keys are then confirmed by name). */
struct checker_key {
	uint8_t vs_kind, protocol, vs_family, rs_family;
	uint16_t vs_port, rs_port;
	uint32_t fwmark, index, kind, pad;
	uint8_t vs_addr[16], rs_addr[16];
	uint64_t group;
};

static void checker_key(const struct hc_checker *c, struct checker_key *k)
{
	const struct virtual_server *vs = c->srv->vs;
	const struct real_server *rs = c->srv->rs;
	memset(k, 0, sizeof(*k));
	k->vs_kind = vs->kind;
	k->protocol = (uint8_t)vs->protocol;
	k->vs_family = vs->addr.family;
	k->vs_port = vs->port;
	k->fwmark = vs->fwmark;
	memcpy(k->vs_addr, vs->addr.u.bytes, 16);
	k->group = str_hash(vs->group_name);
	k->rs_family = rs->addr.family;
	k->rs_port = rs->port;
	memcpy(k->rs_addr, rs->addr.u.bytes, 16);
	k->index = c->index;
	k->kind = c->probe->conf->kind;
}

static uint64_t key_hash(const struct checker_key *k)
{
	uint64_t x = 1469598103934665603ULL;
	const uint8_t *b = (const uint8_t *)k;
	for (size_t i = 0; i < sizeof(*k); i++)
		x = (x ^ b[i]) * 1099511628211ULL;
	return x;
}

static bool same_checker(const struct hc_checker *a, const struct checker_key *ka,
			 const struct hc_checker *b, const struct checker_key *kb)
{
	if (memcmp(ka, kb, sizeof(*ka)))
		return false;
	const char *ga = a->srv->vs->group_name, *gb = b->srv->vs->group_name;
	return (!ga && !gb) || (ga && gb && !strcmp(ga, gb));
}

/* Copy the state of old's checkers to their twins in g. Returns the
 * number carried. */
static size_t gen_carry(struct hc_gen *g, const struct hc_gen *old)
{
	size_t nslots = pow2_at_least(old->nchecks * 2 + 2), carried = 0;
	uint32_t *slot = malloc(nslots * sizeof(*slot));
	struct checker_key *keys = malloc((old->nchecks + 1) * sizeof(*keys));
	struct checker_key key;

	if (!slot || !keys) {
		free(slot);
		free(keys);
		return 0;
	}
	memset(slot, 0xff, nslots * sizeof(*slot));
	for (size_t i = 0; i < old->nchecks; i++) {
		checker_key(&old->checkers[i], &keys[i]);
		size_t j = key_hash(&keys[i]) & (nslots - 1);
		while (slot[j] != UINT32_MAX)
			j = (j + 1) & (nslots - 1);
		slot[j] = (uint32_t)i;
	}
	for (size_t i = 0; i < g->nchecks; i++) {
		struct hc_checker *c = &g->checkers[i];
		checker_key(c, &key);
		for (size_t j = key_hash(&key) & (nslots - 1); slot[j] != UINT32_MAX;
		     j = (j + 1) & (nslots - 1)) {
			const struct hc_checker *o = &old->checkers[slot[j]];
			if (!same_checker(c, &key, o, &keys[slot[j]]))
				continue;
			c->prog = o->prog;
			/* The weight it asked for, unless it can no longer ask
			 * (misc_dynamic taken out): its next success would give
			 * it back anyway. server_weight() then sums the parts
			 * against the new configured weight. */
			c->want = o->want;
			if (c->probe->conf->kind == CHECK_MISC &&
			    !((const struct misc_check *)(const void *)c->probe->conf)->dynamic)
				c->want = -1;
			/* Keep its place in the schedule; one that was
			 * running starts again at once. */
			c->t.warmup = o->running ? 0 : uv_timer_get_due_in(&o->timer) * 1000;
			c->carried = true;
			carried++;
			break;
		}
	}
	free(slot);
	free(keys);
	return carried;
}

/* Each server's verdict from its checkers' states, then the first
 * attempts: carried checkers where they were, new ones spread evenly
 * over their warmup. */
static void gen_start(struct hc_gen *g)
{
	struct health *h = g->h;
	h->stats.checkers = g->nchecks;
	h->stats.servers = g->nservers;
	h->stats.servers_alive = 0;
	for (size_t i = 0; i < g->nchecks; i++)
		if (checker_down(&g->checkers[i]))
			g->checkers[i].srv->ndown++;
	for (size_t i = 0; i < g->nservers; i++) {
		g->servers[i].weight = server_weight(&g->servers[i]);
		g->servers[i].alive = g->servers[i].ndown == 0;
		h->stats.servers_alive += g->servers[i].alive;
	}
	for (size_t i = 0; i < g->nchecks; i++) {
		struct hc_checker *c = &g->checkers[i];
		if (!c->carried) {
			/* keepalived's line for each checker it starts, which log
			 * watchers use to see that a server is checked at all. */
			char vsname[128];
			log_msg(LOG_INFO, "Activating healthchecker for service %s for VS %s",
				c->probe->name, health_vs_fmt(c->srv->vs, vsname, sizeof(vsname)));
		}
		uint64_t first = c->carried ? c->t.warmup :
				 (uint64_t)((double)c->t.warmup * (double)i / (double)g->nchecks);
		schedule(c, first);
	}
}

static void on_timer_closed(uv_handle_t *t)
{
	struct hc_checker *c = t->data;
	struct hc_gen *g = c->gen;
	if (--g->closing == 0)
		gen_free_memory(g);
}

/* Stop every attempt and timer of g; its memory goes when the last timer
 * has closed (at once when it has none). */
static void gen_retire(struct hc_gen *g)
{
	g->closing = g->nchecks;
	for (size_t i = 0; i < g->nchecks; i++) {
		struct hc_checker *c = &g->checkers[i];
		c->probe->ops->cancel(c->probe);
		if (c->probe->ops->fini)
			c->probe->ops->fini(c->probe);
		free(c->probe);
		c->probe = NULL;
		uv_close((uv_handle_t *)&c->timer, on_timer_closed);
	}
	if (!g->nchecks)
		gen_free_memory(g);
}

static struct hc_gen *gen_new(struct health *h, const struct config *cfg)
{
	struct hc_gen *g = gen_alloc(h, cfg);
	if (!g)
		return NULL;
	h->ctx.cfg = cfg;
	gen_build(g);
	for (size_t i = 0; i < g->nchecks; i++)
		g->checkers[i].gen = g;
	return g;
}

static void free_health(uv_handle_t *flush)
{
	free(flush->data);
}

/* libuv finishes closing handles in the reverse order of uv_close(): the
 * one whose callback frees h is closed first, so it is finished last. */
static void close_handles(struct health *h)
{
	uv_close((uv_handle_t *)&h->flush, free_health);
	uv_close((uv_handle_t *)&h->turn, NULL);
}

struct health *health_new(uv_loop_t *loop, const struct config *cfg,
			  health_changed_fn changed, void *data)
{
	struct health *h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->loop = loop;
	h->ctx.loop = loop;
	h->changed = changed;
	h->data = data;
	uv_timer_init(loop, &h->flush);
	h->flush.data = h;
	uv_check_init(loop, &h->turn);
	h->turn.data = h;
	uv_check_start(&h->turn, on_turn);
	uv_unref((uv_handle_t *)&h->turn);
	mailer_init(&h->mail, loop, &cfg->global);
	h->gen = gen_new(h, cfg);
	if (!h->gen) {
		mailer_free(&h->mail);
		close_handles(h);
		return NULL;
	}
	gen_start(h->gen);
	log_msg(LOG_INFO, "Health checks: %zu checker(s) on %zu real server(s)", h->gen->nchecks,
		h->gen->nservers);
	return h;
}

void health_reload(struct health *h, const struct config *cfg)
{
	struct hc_gen *g = gen_new(h, cfg);
	if (!g) {
		log_msg(LOG_ERR, "Health checks: out of memory; keeping the running checkers");
		return;
	}
	struct hc_gen *old = h->gen;
	size_t carried = gen_carry(g, old);
	/* Verdicts the new generation starts with (carried or fresh) may
	 * differ from the old ones: the owner recomputes the table anyway
	 * after a reload. */
	gen_retire(old);
	h->gen = g;
	/* The old mailer's alerts in flight are cancelled (logged). */
	mailer_free(&h->mail);
	mailer_init(&h->mail, h->loop, &cfg->global);
	gen_start(g);
	log_msg(LOG_INFO, "Health checks: %zu checker(s) on %zu real server(s), %zu kept their state",
		g->nchecks, g->nservers, carried);
}

void health_set_fifos(struct health *h, struct check_fifos *fifos)
{
	h->fifos = fifos;
}

void health_free(struct health *h)
{
	if (!h)
		return;
	gen_retire(h->gen);
	mailer_free(&h->mail);
	for (size_t k = 0; k <= CHECK_BFD; k++) {
		const struct probe_ops *ops = probe_ops_for((enum check_kind)k);
		if (ops && ops->ctx_fini)
			ops->ctx_fini(&h->ctx);
	}
	close_handles(h);
}

void health_get_stats(const struct health *h, struct health_stats *out)
{
	*out = h->stats;
}

void health_json(const struct health *h, FILE *f)
{
	const struct health_stats *st = &h->stats;
	const struct hc_gen *g = h->gen;
	char buf[128];

	fprintf(f, "{\"checkers\":%llu,\"real_servers\":%llu,\"alive\":%llu,"
		"\"attempts\":%llu,\"failures\":%llu,\"transitions\":%llu,\"servers\":[",
		(unsigned long long)st->checkers, (unsigned long long)st->servers,
		(unsigned long long)st->servers_alive, (unsigned long long)st->attempts,
		(unsigned long long)st->failures, (unsigned long long)st->transitions);
	size_t ci = 0;
	for (size_t i = 0; i < g->nservers; i++) {
		const struct hc_server *srv = &g->servers[i];
		fprintf(f, "%s{\"vs\":", i ? "," : "");
		json_str(f, health_vs_fmt(srv->vs, buf, sizeof(buf)));
		fprintf(f, ",\"rs\":");
		json_str(f, health_rs_fmt(srv->vs, srv->rs, buf, sizeof(buf)));
		fprintf(f, ",\"alive\":%s,\"weight\":%ld,\"checkers\":[",
			srv->alive ? "true" : "false",
			(long)(srv->weight >= 0 ? srv->weight : (int32_t)srv->rs->weight));
		/* The checkers are stored server after server. */
		for (bool first = true; ci < g->nchecks && g->checkers[ci].srv == srv; ci++) {
			const struct hc_checker *c = &g->checkers[ci];
			fprintf(f, "%s{\"kind\":", first ? "" : ",");
			json_str(f, c->probe->ops->keyword);
			fprintf(f, ",\"target\":");
			json_str(f, c->probe->name);
			fprintf(f, ",\"state\":\"%s\",\"retries_used\":%u}",
				check_state_str((enum check_state)c->prog.state),
				(unsigned)c->prog.retry_it);
			first = false;
		}
		fprintf(f, "]}");
	}
	fprintf(f, "]}");
}
