/* monitor.c - rtnetlink link and address events; see monitor.h. */
#include "monitor.h"

#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <string.h>

#include "log.h"

static void link_msg(struct vrrp_monitor *m, struct nlmsghdr *h)
{
	struct ifinfomsg *ifi = nlmsg_data(h);
	char name[IFNAMSIZ] = "";
	struct nlattr *tb[IFLA_MAX + 1];

	if (nlmsg_parse(h, sizeof(*ifi), tb, IFLA_MAX, NULL) < 0)
		return;
	if (tb[IFLA_IFNAME])
		nla_strlcpy(name, tb[IFLA_IFNAME], sizeof(name));
	/* IFF_LOWER_UP is the carrier; IFF_UP the administrative state.
	 * A deleted interface is down. */
	bool up = h->nlmsg_type == RTM_NEWLINK && (ifi->ifi_flags & IFF_UP) &&
		  (ifi->ifi_flags & IFF_LOWER_UP);
	if (m->cbs.link)
		m->cbs.link(m->cbs.data, ifi->ifi_index, name, up, h->nlmsg_type == RTM_NEWLINK);
}

static void addr_msg(struct vrrp_monitor *m, struct nlmsghdr *h)
{
	struct ifaddrmsg *ifa = nlmsg_data(h);
	struct nlattr *tb[IFA_MAX + 1];
	struct vaddr a = { 0 };

	if (nlmsg_parse(h, sizeof(*ifa), tb, IFA_MAX, NULL) < 0)
		return;
	/* IFA_LOCAL is the address for IPv4 point-to-point and ordinary
	 * addresses alike; IPv6 only sends IFA_ADDRESS. */
	struct nlattr *at = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	size_t len = ifa->ifa_family == AF_INET ? 4 : 16;
	if (!at || (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6) ||
	    (size_t)nla_len(at) < len)
		return;
	a.family = ifa->ifa_family;
	memcpy(a.u.bytes, nla_data(at), len);
	if (h->nlmsg_type == RTM_DELADDR && m->cbs.addr_deleted)
		m->cbs.addr_deleted(m->cbs.data, (int)ifa->ifa_index, &a);
	else if (h->nlmsg_type == RTM_NEWADDR && m->cbs.addr_added)
		m->cbs.addr_added(m->cbs.data, (int)ifa->ifa_index, &a);
}

static int on_message(struct nl_msg *msg, void *arg)
{
	struct vrrp_monitor *m = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	switch (h->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		link_msg(m, h);
		break;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		addr_msg(m, h);
		break;
	}
	return NL_OK;
}

static void on_readable(uv_poll_t *p, int status, int events)
{
	struct vrrp_monitor *m = p->data;
	(void)events;
	if (status < 0)
		return;
	int err = nl_recvmsgs_default(m->sk);
	/* ENOBUFS: the kernel dropped events under load; the engine's
	 * periodic state is still right, so say it and carry on. */
	if (err < 0 && err != -NLE_AGAIN)
		log_msg(LOG_WARNING, "netlink monitor: %s", nl_geterror(err));
}

int vrrp_monitor_open(struct vrrp_monitor *m, uv_loop_t *loop, const struct monitor_cbs *cbs)
{
	int err;
	memset(m, 0, sizeof(*m));
	m->cbs = *cbs;
	m->sk = nl_socket_alloc();
	if (!m->sk)
		return -NLE_NOMEM;
	nl_socket_disable_seq_check(m->sk);
	nl_socket_modify_cb(m->sk, NL_CB_VALID, NL_CB_CUSTOM, on_message, m);
	if ((err = nl_connect(m->sk, NETLINK_ROUTE)) < 0 ||
	    (err = nl_socket_add_memberships(m->sk, RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR,
					     RTNLGRP_IPV6_IFADDR, 0)) < 0 ||
	    (err = nl_socket_set_nonblocking(m->sk)) < 0) {
		nl_socket_free(m->sk);
		m->sk = NULL;
		return err;
	}
	uv_poll_init(loop, &m->poll, nl_socket_get_fd(m->sk));
	m->poll.data = m;
	uv_poll_start(&m->poll, UV_READABLE, on_readable);
	return 0;
}

static void free_socket(uv_handle_t *h)
{
	struct nl_sock *sk = h->data;
	nl_socket_free(sk);
}

void vrrp_monitor_close(struct vrrp_monitor *m)
{
	if (!m->sk)
		return;
	m->poll.data = m->sk;
	uv_close((uv_handle_t *)&m->poll, free_socket);
	m->sk = NULL;
}
