/* mailer.c - see mailer.h. */
#include "mailer.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

static char *dup_or_die(const char *s)
{
	char *d = strdup(s);
	if (!d)
		abort();
	return d;
}

static char *host_name(void)
{
	struct utsname u;
	return dup_or_die(uname(&u) == 0 && u.nodename[0] ? u.nodename : "localhost");
}

/* keepalived's default sender: the daemon's user at the host name. */
static char *default_from(void)
{
	char buf[16384], *host = host_name();
	struct passwd pw, *res = NULL;
	const char *user = getpwuid_r(getuid(), &pw, buf, sizeof(buf), &res) == 0 && res
				   ? pw.pw_name : "root";
	size_t len = strlen(user) + strlen(host) + 2;
	char *from = malloc(len);
	if (!from)
		abort();
	snprintf(from, len, "%s@%s", user, host);
	free(host);
	return from;
}

void mailer_init(struct mailer *m, uv_loop_t *loop, const struct global_defs *g)
{
	size_t k = 0;

	memset(m, 0, sizeof(*m));
	m->router_id = g->router_id ? dup_or_die(g->router_id) : host_name();
	if (!g->smtp_server.host || !g->notification_email.n)
		return;
	m->to = calloc(g->notification_email.n + 1, sizeof(char *));
	if (!m->to)
		abort();
	for (LIST_EACH(struct email_addr, e, &g->notification_email))
		m->to[k++] = e->addr;
	m->from = g->notification_email_from ? dup_or_die(g->notification_email_from)
					     : default_from();
	struct smtp_opts o = {
		.host = g->smtp_server.host,
		.port = g->smtp_server.port,
		.helo_name = g->smtp_helo_name,
		.connect_timeout_us = g->smtp_connect_timeout,
	};
	m->smtp = smtp_client_new(loop, &o);
}

bool mailer_send(struct mailer *m, const char *subject, const char *body, smtp_done_cb cb,
		 void *data)
{
	if (!m->smtp)
		return false;
	struct smtp_msg msg = { .from = m->from, .to = m->to, .subject = subject, .body = body };
	smtp_send(m->smtp, &msg, cb, data);
	return true;
}

void mailer_free(struct mailer *m)
{
	smtp_client_free(m->smtp);
	free(m->to);
	free(m->from);
	free(m->router_id);
	memset(m, 0, sizeof(*m));
}
