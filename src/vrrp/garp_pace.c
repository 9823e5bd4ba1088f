/* garp_pace.c - spacing gratuitous ARPs and NAs per interface; see garp_pace.h. */
#include "garp_pace.h"

#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "log.h"

struct pending {
	uint8_t mac[6];
	struct vaddr addr;
};

struct garp_pace_if {
	struct garp_pace_if *next;
	struct garp_pacer *p;          /* NULL once closing */
	int ifindex;
	int family;
	uint64_t interval_us;
	uint64_t last_ms;              /* uv_now() of the last send; 0: none yet */
	bool sent;
	struct pending *q;             /* ring of cap entries */
	size_t head, n, cap;
	uv_timer_t timer;
};

uint64_t garp_pace_interval(const struct config *cfg, const char *ifname, int family)
{
	for (const struct node *n = cfg->garp_groups.first; n; n = n->next) {
		const struct garp_group *g = (const struct garp_group *)n;
		bool named = g->interface && !strcmp(g->interface, ifname);
		for (const struct node *i = g->interfaces.first; i && !named; i = i->next)
			named = !strcmp(((const struct name_item *)i)->name, ifname);
		if (named)
			return family == AF_INET6 ? g->gna_interval : g->garp_interval;
	}
	return family == AF_INET6 ? cfg->global.vrrp_gna_interval : cfg->global.vrrp_garp_interval;
}

static int send_now(struct garp_pacer *p, int ifindex, const uint8_t mac[6],
		    const struct vaddr *a)
{
	return a->family == AF_INET ? garp_send_arp(p->socks, ifindex, mac, a->u.v4)
				    : garp_send_na(p->socks, ifindex, mac, &a->u.v6, false);
}

static uint64_t ms_of(uint64_t us)
{
	return (us + 999) / 1000;
}

static void on_timer(uv_timer_t *t)
{
	struct garp_pace_if *f = t->data;
	if (!f->p || !f->n)
		return;
	struct pending *x = &f->q[f->head];
	send_now(f->p, f->ifindex, x->mac, &x->addr);
	f->head = (f->head + 1) % f->cap;
	f->n--;
	f->last_ms = uv_now(f->p->loop);
	f->sent = true;
	if (f->n)
		uv_timer_start(&f->timer, on_timer, ms_of(f->interval_us), 0);
}

static struct garp_pace_if *iface(struct garp_pacer *p, int ifindex, int family)
{
	for (struct garp_pace_if *f = p->ifs; f; f = f->next)
		if (f->ifindex == ifindex && f->family == family)
			return f;
	struct garp_pace_if *f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->p = p;
	f->ifindex = ifindex;
	f->family = family;
	uv_timer_init(p->loop, &f->timer);
	f->timer.data = f;
	f->next = p->ifs;
	p->ifs = f;
	return f;
}

static bool push(struct garp_pacer *p, struct garp_pace_if *f, const uint8_t mac[6],
		 const struct vaddr *a)
{
	if (f->n == f->cap) {
		if (f->cap == GARP_PACE_QUEUE_MAX) {
			f->head = (f->head + 1) % f->cap;   /* the oldest goes */
			f->n--;
			p->dropped++;
		} else {
			size_t cap = f->cap ? f->cap * 2 : 16;
			struct pending *q = malloc(cap * sizeof(*q));
			if (!q)
				return false;
			for (size_t i = 0; i < f->n; i++)
				q[i] = f->q[(f->head + i) % f->cap];
			free(f->q);
			f->q = q;
			f->head = 0;
			f->cap = cap;
		}
	}
	struct pending *x = &f->q[(f->head + f->n) % f->cap];
	memcpy(x->mac, mac, 6);
	x->addr = *a;
	f->n++;
	return true;
}

int garp_pace_send(struct garp_pacer *p, const struct config *cfg, int ifindex,
		   const uint8_t mac[6], const struct vaddr *addr)
{
	char ifname[IF_NAMESIZE] = "";
	if (cfg->garp_groups.n && !if_indextoname((unsigned)ifindex, ifname))
		ifname[0] = '\0';
	uint64_t interval = garp_pace_interval(cfg, ifname, addr->family);
	if (!interval)
		return send_now(p, ifindex, mac, addr);
	struct garp_pace_if *f = iface(p, ifindex, addr->family);
	if (!f)
		return send_now(p, ifindex, mac, addr);
	f->interval_us = interval;
	uint64_t now = uv_now(p->loop);
	if (!f->n && (!f->sent || now - f->last_ms >= ms_of(interval))) {
		f->last_ms = now;
		f->sent = true;
		return send_now(p, ifindex, mac, addr);
	}
	if (!push(p, f, mac, addr))
		return send_now(p, ifindex, mac, addr);
	if (!uv_is_active((uv_handle_t *)&f->timer)) {
		uint64_t since = now - f->last_ms, wait = ms_of(interval);
		uv_timer_start(&f->timer, on_timer, since >= wait ? 0 : wait - since, 0);
	}
	return 0;
}

static void on_closed(uv_handle_t *h)
{
	struct garp_pace_if *f = h->data;
	free(f->q);
	free(f);
}

void garp_pace_init(struct garp_pacer *p, uv_loop_t *loop, const struct garp_sockets *socks)
{
	memset(p, 0, sizeof(*p));
	p->loop = loop;
	p->socks = socks;
}

void garp_pace_close(struct garp_pacer *p)
{
	struct garp_pace_if *f = p->ifs;
	while (f) {
		struct garp_pace_if *next = f->next;
		f->p = NULL;
		uv_close((uv_handle_t *)&f->timer, on_closed);
		f = next;
	}
	p->ifs = NULL;
	if (p->dropped)
		log_msg(LOG_WARNING, "gratuitous ARP/NA pacing: %llu message(s) dropped from full "
			"queues", (unsigned long long)p->dropped);
}
