/* engine.c - the IPVS table reconciled to the configuration; see engine.h. */
#include "engine.h"

#include <errno.h>
#include <linux/ip_vs.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* ---- what vigil owns ------------------------------------------------------- */

/* Sets of services as arrays of keys, searched linearly: about 5 % of a
 * reload's CPU at 1,000 services (bench/README-ipvs.md); a hash set is
 * the next step for larger tables. */
static bool key_in(const struct ipvs_key *keys, size_t n, const struct ipvs_service *svc)
{
	struct ipvs_key k;
	ipvs_service_key(svc, &k);
	for (size_t i = 0; i < n; i++)
		if (ipvs_key_equal(&keys[i], &k))
			return true;
	return false;
}

static void key_append(struct ipvs_key **keys, size_t *n, const struct ipvs_service *svc)
{
	struct ipvs_key *grown = realloc(*keys, (*n + 1) * sizeof(*grown));
	if (!grown)
		abort();
	*keys = grown;
	ipvs_service_key(svc, &grown[(*n)++]);
}

static bool is_owned(const struct ipvs_engine *e, const struct ipvs_service *svc)
{
	return key_in(e->owned, e->nowned, svc);
}

static bool owned_cb(const struct ipvs_service *svc, const struct ipvs_dest *dest, void *data)
{
	(void)dest;
	return is_owned(data, svc);
}

static void own(struct ipvs_engine *e, const struct ipvs_service *svc)
{
	if (!is_owned(e, svc))
		key_append(&e->owned, &e->nowned, svc);
}

/* Remember a refused service; true the first time (log it then). */
static bool note_failing(struct ipvs_engine *e, const struct ipvs_service *svc)
{
	if (key_in(e->failing, e->nfailing, svc))
		return false;
	key_append(&e->failing, &e->nfailing, svc);
	return true;
}

/* After a sync, vigil owns exactly the services it wants. */
static void own_desired_only(struct ipvs_engine *e)
{
	e->nowned = 0;
	for (size_t i = 0; i < e->desired.n; i++)
		own(e, &e->desired.entries[i].svc);
}

/* ---- reading the kernel's table --------------------------------------------- */

static bool is_desired(const struct ipvs_engine *e, const struct ipvs_service *svc)
{
	for (size_t i = 0; i < e->desired.n; i++)
		if (ipvs_service_same(&e->desired.entries[i].svc, svc))
			return true;
	return false;
}

static int read_kernel(struct ipvs_engine *e, struct ipvs_table *cur)
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
	for (size_t i = 0; i < sv.len; i++) {
		struct ipvs_entry *en = &cur->entries[cur->n++];
		struct ipvs_dest_vec dv = { 0 };
		en->svc = sv.v[i];
		/* Only services vigil may change (or adopts) need their
		 * destinations. */
		bool mine = is_owned(e, &en->svc) || is_desired(e, &en->svc);
		if (mine && (err = ipvs_nl_dump_dests(&e->nl, &en->svc, &dv)) < 0) {
			free(dv.v);
			free(sv.v);
			return err;
		}
		en->dests = dv.v;
		en->ndests = dv.len;
	}
	free(sv.v);
	return 0;
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

/* keepalived's words where it has them ("Adding service [10.0.0.2]:tcp:80
 * to VS [10.11.12.99]:tcp:80"), vigil's otherwise. */
static void log_op(const struct ipvs_op *op, const char *why, int err, bool quiet)
{
	char s[128], d[128], what[320];
	ipvs_service_fmt(&op->svc, s, sizeof(s));
	ipvs_dest_fmt(&op->dest, d, sizeof(d));
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

size_t ipvs_engine_sync(struct ipvs_engine *e, const char *why)
{
	struct ipvs_table cur;
	struct ipvs_ops ops = { 0 };
	size_t applied = 0;

	if (!e->have_nl)
		return 0;
	int err = read_kernel(e, &cur);
	if (err < 0) {
		log_msg(LOG_ERR, "IPVS: cannot read the kernel's table: %s",
			ipvs_strerror(IPVS_CMD_GET_SERVICE, err));
		ipvs_table_free(&cur);
		return 0;
	}
	err = ipvs_diff(&e->desired, &cur, owned_cb, e, &ops);
	ipvs_table_free(&cur);
	if (err < 0) {
		log_msg(LOG_ERR, "IPVS: out of memory computing the difference");
		return 0;
	}
	/* Services the kernel refused in this round: their destinations
	 * would only fail too (ESRCH), so they wait for the service. */
	struct ipvs_key *refused = calloc(ops.n + 1, sizeof(*refused));
	size_t nrefused = 0;
	if (!refused)
		abort();
	for (size_t i = 0; i < ops.n; i++) {
		const struct ipvs_op *op = &ops.ops[i];
		bool dest_op = op->kind == IPVS_OP_ADD_DEST || op->kind == IPVS_OP_EDIT_DEST;
		if (dest_op && key_in(refused, nrefused, &op->svc))
			continue;
		int rc = apply(e, op);
		bool first = rc >= 0 || note_failing(e, &op->svc);
		log_op(op, why, rc, !first);
		if (rc < 0) {
			e->ops_failed++;
			if (op->kind == IPVS_OP_ADD_SERVICE)
				ipvs_service_key(&op->svc, &refused[nrefused++]);
		} else {
			applied++;
		}
	}
	free(refused);
	e->ops_applied += applied;
	ipvs_ops_free(&ops);
	return applied;
}

static void on_resync(uv_timer_t *t)
{
	struct ipvs_engine *e = t->data;
	if (!e->have_nl) {
		int err = ipvs_nl_open(&e->nl);
		if (err < 0)
			return;
		e->have_nl = true;
		log_msg(LOG_INFO, "IPVS is available now");
		ipvs_engine_sync(e, NULL);
		own_desired_only(e);
		return;
	}
	/* Anything to do here was changed behind vigil's back. */
	ipvs_engine_sync(e, "restored: the kernel's table had drifted");
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

int ipvs_engine_start(struct ipvs_engine *e, uv_loop_t *loop, const struct config *cfg,
		      bool keep_on_stop)
{
	memset(e, 0, sizeof(*e));
	e->loop = loop;
	e->cfg = cfg;
	e->keep_on_stop = keep_on_stop;
	uv_timer_init(loop, &e->resync);
	e->resync.data = e;
	if (ipvs_desired(cfg, NULL, NULL, &e->desired) < 0)
		return -1;
	/* What the configuration wants is vigil's, including entries that
	 * already exist: they are adopted, not recreated. */
	own_desired_only(e);
	int err = ipvs_nl_open(&e->nl);
	if (err < 0) {
		log_msg(LOG_ERR, "IPVS: %s; retrying every %d s", ipvs_strerror(0, err),
			IPVS_RESYNC_MS / 1000);
	} else {
		e->have_nl = true;
		set_timeouts(e);
		size_t n = ipvs_engine_sync(e, NULL);
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
	if (ipvs_desired(cfg, NULL, NULL, &fresh) < 0) {
		log_msg(LOG_ERR, "IPVS: out of memory; keeping the running table");
		return;
	}
	/* Owned: the old services (so that dropped ones are removed) and
	 * the new ones (adopted if they exist). */
	ipvs_table_free(&e->desired);
	e->desired = fresh;
	e->cfg = cfg;
	/* A reload is the operator's answer to a refused change: say it
	 * again if it still fails. */
	e->nfailing = 0;
	for (size_t i = 0; i < e->desired.n; i++)
		own(e, &e->desired.entries[i].svc);
	set_timeouts(e);
	size_t n = ipvs_engine_sync(e, NULL);
	own_desired_only(e);
	log_msg(LOG_INFO, "IPVS: reload applied %zu change(s)", n);
}

void ipvs_engine_stop(struct ipvs_engine *e)
{
	uv_close((uv_handle_t *)&e->resync, NULL);
	if (e->have_nl && !e->keep_on_stop) {
		/* Nothing wanted: every owned service goes. */
		ipvs_table_free(&e->desired);
		memset(&e->desired, 0, sizeof(e->desired));
		size_t n = ipvs_engine_sync(e, NULL);
		log_msg(LOG_INFO, "IPVS: stopping: %zu change(s) applied", n);
	}
	if (e->have_nl)
		ipvs_nl_close(&e->nl);
	ipvs_table_free(&e->desired);
	free(e->owned);
	free(e->failing);
	e->owned = NULL;
	e->failing = NULL;
	e->nowned = e->nfailing = 0;
}
