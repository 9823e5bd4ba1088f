/* status.c - VRRP state as JSON; see status.h. */
#include "status.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "vrrp.h"

static void instance_json(const struct vrrp_rt *rt, uint64_t now, FILE *f)
{
	char src[VADDR_STRLEN];
	fprintf(f, "{\"name\":");
	json_str(f, rt->name);
	fprintf(f, ",\"state\":\"%s\",\"vrid\":%d,\"interface\":", vrrp_state_name(rt->state),
		rt->cfg->vrid);
	json_str(f, rt->ifname);
	fprintf(f, ",\"version\":%u,\"priority\":%u,\"effective_priority\":%u,"
		"\"advert_int_ms\":%llu,\"source\":\"%s\",\"unicast\":%s,\"faults\":%u,",
		rt->version, rt->base_prio, rt->prio,
		(unsigned long long)(rt->adver_int_us / 1000),
		vaddr_format(&rt->src, src, sizeof(src)), rt->unicast ? "true" : "false", rt->faults);
	if (rt->last_heard_ms)
		fprintf(f, "\"last_advert_heard_ms_ago\":%llu,",
			(unsigned long long)(now - rt->last_heard_ms));
	else
		fprintf(f, "\"last_advert_heard_ms_ago\":null,");
	fprintf(f, "\"never_heard_a_peer\":%s,\"stats\":{\"rx_adverts\":%llu,\"rx_priority0\":%llu,"
		"\"tx_adverts\":%llu,\"tx_priority0\":%llu,\"tx_suppressed\":%llu,"
		"\"transitions\":%llu,\"became_master\":%llu,\"drops\":{",
		rt->peer_silence_reported ? "true" : "false",
		(unsigned long long)rt->st.rx_adverts, (unsigned long long)rt->st.rx_prio0,
		(unsigned long long)rt->st.tx_adverts, (unsigned long long)rt->st.tx_prio0,
		(unsigned long long)rt->st.tx_suppressed, (unsigned long long)rt->st.transitions, (unsigned long long)rt->st.became_master);
	for (int d = 0; d < VRRP_DROP_COUNT; d++) {
		fprintf(f, "%s", d ? "," : "");
		json_str(f, vrrp_drop_name(d));
		fprintf(f, ":%llu", (unsigned long long)rt->st.drops[d]);
	}
	fprintf(f, "}}}");
}

void vrrp_status_json(const struct vrrp_engine *e, FILE *f)
{
	uint64_t now = uv_now(e->loop);
	fprintf(f, "{\"instances\":[");
	for (size_t i = 0; i < e->nrts; i++) {
		fprintf(f, "%s", i ? "," : "");
		instance_json(e->rts[i], now, f);
	}
	/* Instances not running because their interface is missing. */
	fprintf(f, "],\"waiting_for_interface\":[");
	for (size_t i = 0; i < e->nwaiting; i++) {
		fprintf(f, "%s", i ? "," : "");
		json_str(f, e->waiting[i]->hdr.name);
	}
	fprintf(f, "],\"unmatched_drops\":{");
	for (int d = 0; d < VRRP_DROP_COUNT; d++) {
		fprintf(f, "%s", d ? "," : "");
		json_str(f, vrrp_drop_name(d));
		fprintf(f, ":%llu", (unsigned long long)e->drops[d]);
	}
	fprintf(f, "}}\n");
}

static void write_json(const void *e, FILE *f)
{
	vrrp_status_json(e, f);
}

int vrrp_status_write(const struct vrrp_engine *e, const char *path)
{
	return json_write_atomic(path, write_json, e);
}

char *vrrp_status_path(const char *pidfile, char *buf, size_t len)
{
	return json_status_path(pidfile, ".vrrp.json", buf, len);
}
