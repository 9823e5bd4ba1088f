/* engine.c - the IPVS table reconciled to the configuration; see engine.h. */
#include "engine.h"

#include <errno.h>
#include <linux/ip_vs.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "netns.h"

/* ---- what vigil owns -------------------------------------------------------- */

static bool key_in(const struct ipvs_keyset *set, const struct ipvs_service *svc)
{
	struct ipvs_key k;
	ipvs_service_key(svc, &k);
	return ipvs_keyset_get(set, &k) != 0;
}

static void key_put(struct ipvs_keyset *set, const struct ipvs_service *svc, uint32_t val)
{
	struct ipvs_key k;
	ipvs_service_key(svc, &k);
	if (ipvs_keyset_put(set, &k, val) < 0)
		abort();   /* a few bytes per service: as for every other allocation */
}

static bool is_owned(const struct ipvs_engine *e, const struct ipvs_service *svc)
{
	return key_in(e->owned, svc);
}

static bool owned_cb(const struct ipvs_service *svc, const struct ipvs_dest *dest, void *data)
{
	(void)dest;
	return is_owned(data, svc);
}

/* Diffing one wanted table against the previous one: everything in the
 * previous one is vigil's. */
static bool all_owned(const struct ipvs_service *svc, const struct ipvs_dest *dest, void *data)
{
	(void)svc;
	(void)dest;
	(void)data;
	return true;
}

/* Remember a refused service; true the first time (log it then). */
static bool note_failing(struct ipvs_engine *e, const struct ipvs_service *svc)
{
	if (key_in(e->failing, svc))
		return false;
	key_put(e->failing, svc, 1);
	return true;
}

static void own_desired_too(struct ipvs_engine *e)
{
	for (size_t i = 0; i < e->desired.n; i++)
		key_put(e->owned, &e->desired.entries[i].svc, 1);
}

/* After a sync, vigil owns exactly the services it wants. */
static void own_desired_only(struct ipvs_engine *e)
{
	ipvs_keyset_clear(e->owned);
	own_desired_too(e);
}

/* Replace the wanted table (and its index). */
static void set_desired(struct ipvs_engine *e, struct ipvs_table *fresh)
{
	ipvs_table_free(&e->desired);
	e->desired = *fresh;
	memset(fresh, 0, sizeof(*fresh));
	ipvs_keyset_clear(e->desired_ix);
	for (size_t i = 0; i < e->desired.n; i++)
		key_put(e->desired_ix, &e->desired.entries[i].svc, (uint32_t)i + 1);
	if (e->resync_cursor >= e->desired.n)
		e->resync_cursor = 0;
}

static const struct ipvs_entry *desired_entry(const struct ipvs_engine *e,
					      const struct ipvs_service *svc)
{
	struct ipvs_key k;
	ipvs_service_key(svc, &k);
	uint32_t v = ipvs_keyset_get(e->desired_ix, &k);
	return v ? &e->desired.entries[v - 1] : NULL;
}

/* The table the configuration and the verdicts want, with the quorum
 * changes reported. 0 or -errno (logged). */
static int compute_desired(struct ipvs_engine *e, const struct config *cfg,
			   struct ipvs_table *out)
{
	size_t n = e->quorum.n;
	uint8_t *before = n ? malloc(n) : NULL;
	if (n && !before)
		return -ENOMEM;
	if (n)
		memcpy(before, e->quorum.state, n);
	int err = ipvs_desired_quorum(cfg, e->verdict, e->verdict_data, &e->quorum, out);
	if (err < 0) {
		log_msg(LOG_ERR, "IPVS: cannot compute the table: %s", strerror(-err));
	} else if (e->on_quorum) {
		size_t i = 0;
		for (const struct node *v = cfg->virtual_servers.first; v && i < n; v = v->next, i++)
			if (before[i] != e->quorum.state[i] && before[i] != IPVS_QUORUM_UNKNOWN)
				e->on_quorum((const struct virtual_server *)(const void *)v,
					     e->quorum.state[i] == IPVS_QUORUM_UP, e->quorum_data);
	}
	free(before);
	return err;
}

/* ---- the socket ------------------------------------------------------------------ */

static int open_cb(void *nl)
{
	return ipvs_nl_open(nl);
}

/* The generic netlink socket, in the namespace net_namespace_ipvs names
 * ("" for the default one) when it is set: a socket stays in the
 * namespace it was made in, so only the open moves there and back. A
 * reload keeps the socket it has. */
static int open_nl(struct ipvs_engine *e)
{
	const char *ns = e->cfg->net_namespace_ipvs;
	if (!ns)
		return ipvs_nl_open(&e->nl);
	int fd = netns_open(ns);
	if (fd < 0) {
		log_msg(LOG_ERR, "IPVS: cannot open network namespace %s for net_namespace_ipvs: %s",
			*ns ? ns : "(default)", strerror(-fd));
		return fd;
	}
	int err = netns_call(fd, open_cb, &e->nl);
	close(fd);
	if (err >= 0)
		log_msg(LOG_INFO, "IPVS: using the table of network namespace %s",
			*ns ? ns : "(default)");
	return err;
}

/* ---- reading the kernel's table --------------------------------------------- */

/* Is this service's destination list dumped in this round? Services vigil
 * does not want are never dumped (they are deleted whole, or not vigil's);
 * with full, every wanted one is; otherwise a window of
 * IPVS_RESYNC_DEST_BATCH wanted services starting at the cursor. */
static bool dump_dests_now(const struct ipvs_engine *e, size_t desired_index, bool full)
{
	if (full || e->desired.n <= IPVS_RESYNC_DEST_BATCH)
		return true;
	size_t off = (desired_index + e->desired.n - e->resync_cursor) % e->desired.n;
	return off < IPVS_RESYNC_DEST_BATCH;
}

/* A kernel service's destinations for the diff: dumped, or, outside this
 * round's window, taken to be what vigil wants (no operation). */
static int kernel_dests(struct ipvs_engine *e, struct ipvs_entry *en, bool full)
{
	const struct ipvs_entry *want = desired_entry(e, &en->svc);
	if (!want)
		return 0;
	size_t idx = (size_t)(want - e->desired.entries);
	if (!dump_dests_now(e, idx, full)) {
		en->dests = malloc((want->ndests + 1) * sizeof(*en->dests));
		if (!en->dests)
			return -ENOMEM;
		memcpy(en->dests, want->dests, want->ndests * sizeof(*en->dests));
		en->ndests = want->ndests;
		return 0;
	}
	struct ipvs_dest_vec dv = { 0 };
	int err = ipvs_nl_dump_dests(&e->nl, &en->svc, &dv);
	en->dests = dv.v;
	en->ndests = dv.len;
	return err;
}

static int read_kernel(struct ipvs_engine *e, struct ipvs_table *cur, bool full)
{
	struct ipvs_service_vec sv = { 0 };
	int err = ipvs_nl_dump_services(&e->nl, &sv);
	memset(cur, 0, sizeof(*cur));
	if (err < 0) {
		free(sv.v);
		return err;
	}
	cur->entries = calloc(sv.len ? sv.len : 1, sizeof(*cur->entries));
	if (!cur->entries) {
		free(sv.v);
		return -ENOMEM;
	}
	for (size_t i = 0; i < sv.len && err >= 0; i++) {
		struct ipvs_entry *en = &cur->entries[cur->n++];
		en->svc = sv.v[i];
		err = kernel_dests(e, en, full);
	}
	free(sv.v);
	if (!full && e->desired.n > IPVS_RESYNC_DEST_BATCH)
		e->resync_cursor = (e->resync_cursor + IPVS_RESYNC_DEST_BATCH) % e->desired.n;
	return err;
}

/* ---- applying operations ------------------------------------------------------- */

static int op_cmd(enum ipvs_op_kind k)
{
	static const int cmds[] = {
		[IPVS_OP_ADD_SERVICE] = IPVS_CMD_NEW_SERVICE, [IPVS_OP_EDIT_SERVICE] = IPVS_CMD_SET_SERVICE,
		[IPVS_OP_DEL_SERVICE] = IPVS_CMD_DEL_SERVICE, [IPVS_OP_ADD_DEST] = IPVS_CMD_NEW_DEST,
		[IPVS_OP_EDIT_DEST] = IPVS_CMD_SET_DEST, [IPVS_OP_DEL_DEST] = IPVS_CMD_DEL_DEST,
	};
	return cmds[k];
}

static int apply(struct ipvs_engine *e, const struct ipvs_op *op)
{
	switch (op->kind) {
	case IPVS_OP_ADD_SERVICE: return ipvs_nl_new_service(&e->nl, &op->svc);
	case IPVS_OP_EDIT_SERVICE: return ipvs_nl_edit_service(&e->nl, &op->svc);
	case IPVS_OP_DEL_SERVICE: return ipvs_nl_del_service(&e->nl, &op->svc);
	case IPVS_OP_ADD_DEST: return ipvs_nl_new_dest(&e->nl, &op->svc, &op->dest);
	case IPVS_OP_EDIT_DEST: return ipvs_nl_edit_dest(&e->nl, &op->svc, &op->dest);
	case IPVS_OP_DEL_DEST: return ipvs_nl_del_dest(&e->nl, &op->svc, &op->dest);
	}
	return -EINVAL;
}

/* keepalived's FMT_RS: the destination with its service's protocol,
 * "[10.0.0.2]:tcp:80" (a fwmark service has none: "[10.0.0.2]:80"). */
static void dest_fmt(const struct ipvs_op *op, char *buf, size_t len)
{
	char a[IPVS_DEST_STRLEN];
	ipvs_dest_fmt(&op->dest, a, sizeof(a));
	char *colon = strrchr(a, ':');
	if (op->svc.fwmark || !colon)
		snprintf(buf, len, "%s", a);
	else
		snprintf(buf, len, "%.*s:%s%s", (int)(colon - a), a,
			 ipvs_proto_name(op->svc.protocol), colon);
}

/* keepalived's words where it has them ("Adding service [10.0.0.2]:tcp:80
 * to VS [10.11.12.99]:tcp:80"), vigil's otherwise. */
static void log_op(const struct ipvs_op *op, const char *why, int err, bool quiet)
{
	char s[128], d[128], what[320];
	ipvs_service_fmt(&op->svc, s, sizeof(s));
	dest_fmt(op, d, sizeof(d));
	switch (op->kind) {
	case IPVS_OP_ADD_SERVICE: snprintf(what, sizeof(what), "Adding virtual server %s", s); break;
	case IPVS_OP_EDIT_SERVICE: snprintf(what, sizeof(what), "Updating virtual server %s", s); break;
	case IPVS_OP_DEL_SERVICE: snprintf(what, sizeof(what), "Removing virtual server %s", s); break;
	case IPVS_OP_ADD_DEST:
		snprintf(what, sizeof(what), "Adding service %s to VS %s", d, s);
		break;
	case IPVS_OP_EDIT_DEST:
		snprintf(what, sizeof(what), "Updating service %s in VS %s (weight %d)", d, s,
			 op->dest.weight);
		break;
	case IPVS_OP_DEL_DEST:
		snprintf(what, sizeof(what), "Removing service %s from VS %s", d, s);
		break;
	}
	if (err < 0)
		log_msg(quiet ? LOG_DEBUG : LOG_ERR, "%s failed: %s", what,
			ipvs_strerror(op_cmd(op->kind), err));
	else if (why)
		log_msg(LOG_INFO, "%s (%s)", what, why);
	else
		/* Start-up, reload and stop apply many operations at once and
		 * say so in one summary line; each is detail (-D), as with
		 * keepalived, which logs none of them. */
		log_msg(LOG_DEBUG, "%s", what);
}

/* Send ops to the kernel in order; returns how many were applied. */
static size_t apply_ops(struct ipvs_engine *e, const struct ipvs_ops *ops, const char *why)
{
	size_t applied = 0;
	/* Services the kernel refused in this round: their destinations
	 * would only fail too (ESRCH), so they wait for the service. */
	struct ipvs_keyset *refused = ipvs_keyset_new();
	if (!refused)
		abort();
	for (size_t i = 0; i < ops->n; i++) {
		const struct ipvs_op *op = &ops->ops[i];
		bool dest_op = op->kind == IPVS_OP_ADD_DEST || op->kind == IPVS_OP_EDIT_DEST;
		if (dest_op && key_in(refused, &op->svc))
			continue;
		int rc = apply(e, op);
		bool first = rc >= 0 || note_failing(e, &op->svc);
		log_op(op, why, rc, !first);
		if (rc < 0) {
			e->ops_failed++;
			if (op->kind == IPVS_OP_ADD_SERVICE)
				key_put(refused, &op->svc, 1);
		} else {
			applied++;
		}
	}
	ipvs_keyset_free(refused);
	e->ops_applied += applied;
	return applied;
}

/* Re-read the kernel (all destinations, or this round's window) and
 * apply the difference. owned says which of the kernel's services are
 * vigil's to change: owned_cb, or all_owned for lvs_flush and
 * lvs_flush_on_stop, where the operator gave vigil the whole table. */
static size_t sync_kernel(struct ipvs_engine *e, const char *why, bool full,
			  ipvs_owned_fn owned)
{
	struct ipvs_table cur;
	struct ipvs_ops ops = { 0 };

	if (!e->have_nl)
		return 0;
	int err = read_kernel(e, &cur, full);
	if (err < 0) {
		log_msg(LOG_ERR, "IPVS: cannot read the kernel's table: %s",
			ipvs_strerror(IPVS_CMD_GET_SERVICE, err));
		ipvs_table_free(&cur);
		return 0;
	}
	err = ipvs_diff(&e->desired, &cur, owned, e, &ops);
	ipvs_table_free(&cur);
	if (err < 0) {
		log_msg(LOG_ERR, "IPVS: out of memory computing the difference");
		return 0;
	}
	size_t applied = apply_ops(e, &ops, why);
	ipvs_ops_free(&ops);
	return applied;
}

size_t ipvs_engine_sync(struct ipvs_engine *e, const char *why)
{
	return sync_kernel(e, why, true, owned_cb);
}

/* Make fresh the wanted table, sending the difference from the previous
 * one (which the kernel is taken to hold; the resync repairs it if not). */
static size_t switch_desired(struct ipvs_engine *e, struct ipvs_table *fresh)
{
	struct ipvs_ops ops = { 0 };
	size_t applied = 0;

	if (e->have_nl) {
		if (ipvs_diff(fresh, &e->desired, all_owned, NULL, &ops) < 0) {
			log_msg(LOG_ERR, "IPVS: out of memory computing the difference");
			ipvs_table_free(fresh);
			return 0;
		}
		applied = apply_ops(e, &ops, NULL);
		ipvs_ops_free(&ops);
	}
	set_desired(e, fresh);
	own_desired_only(e);
	return applied;
}

size_t ipvs_engine_update(struct ipvs_engine *e)
{
	struct ipvs_table fresh;
	if (compute_desired(e, e->cfg, &fresh) < 0)
		return 0;
	return switch_desired(e, &fresh);
}

static void on_resync(uv_timer_t *t)
{
	struct ipvs_engine *e = t->data;
	if (!e->have_nl) {
		int err = open_nl(e);
		if (err < 0)
			return;
		e->have_nl = true;
		log_msg(LOG_INFO, "IPVS is available now");
		sync_kernel(e, NULL, true, owned_cb);
		own_desired_only(e);
		return;
	}
	/* Anything to do here was changed behind vigil's back. */
	sync_kernel(e, "restored: the kernel's table had drifted", false, owned_cb);
}

static void set_timeouts(struct ipvs_engine *e)
{
	const struct lvs_timeouts *t = &e->cfg->global.lvs_timeouts;
	/* The model keeps timers in microseconds; the kernel takes seconds. */
	struct ipvs_timeouts k = { (uint32_t)(t->tcp / 1000000), (uint32_t)(t->tcpfin / 1000000),
				   (uint32_t)(t->udp / 1000000) };
	if (!e->have_nl || (!k.tcp && !k.tcpfin && !k.udp))
		return;
	int err = ipvs_nl_set_timeouts(&e->nl, &k);
	if (err < 0)
		log_msg(LOG_ERR, "IPVS: cannot set lvs_timeouts: %s",
			ipvs_strerror(IPVS_CMD_SET_CONFIG, err));
}

void ipvs_engine_set_hooks(struct ipvs_engine *e, rs_verdict_fn verdict, void *verdict_data,
			   ipvs_quorum_fn on_quorum, void *quorum_data)
{
	e->verdict = verdict;
	e->verdict_data = verdict_data;
	e->on_quorum = on_quorum;
	e->quorum_data = quorum_data;
}

int ipvs_engine_start(struct ipvs_engine *e, uv_loop_t *loop, const struct config *cfg,
		      bool keep_on_stop)
{
	/* Only the hooks survive from before. */
	struct ipvs_engine hooks = *e;
	memset(e, 0, sizeof(*e));
	ipvs_engine_set_hooks(e, hooks.verdict, hooks.verdict_data, hooks.on_quorum,
			      hooks.quorum_data);
	e->loop = loop;
	e->cfg = conf_ref(cfg);
	e->keep_on_stop = keep_on_stop;
	uv_timer_init(loop, &e->resync);
	e->resync.data = e;
	e->owned = ipvs_keyset_new();
	e->failing = ipvs_keyset_new();
	e->desired_ix = ipvs_keyset_new();
	struct ipvs_table fresh;
	if (!e->owned || !e->failing || !e->desired_ix || ipvs_quorum_init(&e->quorum, cfg) < 0 ||
	    compute_desired(e, cfg, &fresh) < 0)
		return -1;
	set_desired(e, &fresh);
	/* What the configuration wants is vigil's, including entries that
	 * already exist: they are adopted, not recreated. */
	own_desired_only(e);
	log_msg(LOG_INFO, "Initializing ipvs");   /* keepalived's start line */
	int err = open_nl(e);
	if (err < 0) {
		log_msg(LOG_ERR, "IPVS: %s; retrying every %d s", ipvs_strerror(0, err),
			IPVS_RESYNC_MS / 1000);
	} else {
		e->have_nl = true;
		set_timeouts(e);
		/* lvs_flush: services the configuration does not name go too
		 * (keepalived flushes the whole table and programs it again;
		 * vigil keeps what is already right, so the connections of
		 * the services it names survive the restart). */
		bool flush = cfg->global.lvs_flush;
		if (flush)
			log_msg(LOG_INFO, "IPVS: lvs_flush: removing every service the "
				"configuration does not name");
		size_t n = sync_kernel(e, NULL, true, flush ? all_owned : owned_cb);
		log_msg(LOG_INFO, "IPVS: %zu service(s) configured, %zu change(s) applied",
			e->desired.n, n);
	}
	/* The first sync may have taken a while: count the period from now. */
	uv_update_time(loop);
	uv_timer_start(&e->resync, on_resync, IPVS_RESYNC_MS, IPVS_RESYNC_MS);
	return 0;
}

void ipvs_engine_reload(struct ipvs_engine *e, const struct config *cfg)
{
	struct ipvs_table fresh;
	/* Quorum states follow their virtual servers into the new model. */
	if (ipvs_quorum_carry(&e->quorum, cfg) < 0 || compute_desired(e, cfg, &fresh) < 0) {
		log_msg(LOG_ERR, "IPVS: out of memory; keeping the running table");
		return;
	}
	conf_unref(e->cfg);
	e->cfg = conf_ref(cfg);
	/* A reload is the operator's answer to a refused change: say it
	 * again if it still fails. */
	ipvs_keyset_clear(e->failing);
	set_timeouts(e);
	size_t n = switch_desired(e, &fresh);
	log_msg(LOG_INFO, "IPVS: reload applied %zu change(s)", n);
}

void ipvs_engine_stop(struct ipvs_engine *e, bool leave_table)
{
	uv_close((uv_handle_t *)&e->resync, NULL);
	if (e->have_nl && (e->keep_on_stop || leave_table)) {
		log_msg(LOG_INFO, "IPVS: stopping: leaving the %zu service(s) in place",
			e->desired.n);
	} else if (e->have_nl) {
		/* Nothing wanted: every owned service goes, whole (the kernel
		 * drops its destinations: what keepalived's lvs_flush_on_stop
		 * VS does, and the end state of its default). A full re-read,
		 * so that what drifted since the last one goes too. With
		 * lvs_flush_on_stop alone, every service goes, vigil's or not. */
		bool all = e->cfg->global.lvs_flush_on_stop == LVS_FLUSH_STOP_ALL;
		if (all)
			log_msg(LOG_INFO, "IPVS: stopping: lvs_flush_on_stop: removing every "
				"service, vigil's or not");
		struct ipvs_table none = { 0 };
		set_desired(e, &none);
		size_t n = sync_kernel(e, NULL, true, all ? all_owned : owned_cb);
		log_msg(LOG_INFO, "IPVS: stopping: %zu change(s) applied", n);
	}
	if (e->have_nl)
		ipvs_nl_close(&e->nl);
	ipvs_table_free(&e->desired);
	ipvs_quorum_free(&e->quorum);
	ipvs_keyset_free(e->owned);
	ipvs_keyset_free(e->failing);
	ipvs_keyset_free(e->desired_ix);
	e->owned = e->failing = e->desired_ix = NULL;
	conf_unref(e->cfg);
	e->cfg = NULL;
}
