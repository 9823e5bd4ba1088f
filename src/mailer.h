/* mailer.h - email alerts as global_defs configures them, for both
 * workers (the VRRP worker's transitions, the checker's real servers).
 *
 * From global_defs: router_id (default: the host name) for the subject,
 * notification_email (the recipients), notification_email_from (default
 * user@host), smtp_server, smtp_helo_name and smtp_connect_timeout. No
 * server or no recipient: nothing is sent. Each worker owns its mailer;
 * lib/smtp.c does the sending without blocking the loop.
 */
#ifndef VIGIL_MAILER_H
#define VIGIL_MAILER_H

#include <stdbool.h>
#include <uv.h>

#include "model_global.h"
#include "smtp.h"

struct mailer {
	struct smtp_client *smtp;     /* NULL: no server or no recipient */
	const char **to;              /* NULL-terminated, into the model */
	char *from;
	char *router_id;
};

/* Never fails (aborts on out-of-memory, as every vigil allocation). */
void mailer_init(struct mailer *m, uv_loop_t *loop, const struct global_defs *g);
/* Queue one alert; false (and no callback) when nothing is configured. */
bool mailer_send(struct mailer *m, const char *subject, const char *body, smtp_done_cb cb,
		 void *data);
/* Cancels what is in flight (their callbacks run now) and frees. */
void mailer_free(struct mailer *m);

#endif
