/* scripts.h - warn about scripts that cannot run, before they have to.
 *
 * keepalived reports a notify or tracking script that does not exist or is
 * not executable when it starts; without this an operator learns it at the
 * first failover, when the script is needed. These checks look at the file
 * system, so they are not part of parsing (which stays pure and
 * fuzzable): vigild -t and the daemon's own load (at start and on every
 * reload) ask for them through conf_opts.check_scripts. Each problem is a
 * warning at the script's file:line:col, never an error: keepalived runs
 * with such a script too, and the script may appear later.
 */
#ifndef VIGIL_CONF_SCRIPTS_H
#define VIGIL_CONF_SCRIPTS_H

#include "diag.h"

struct config;

/* Every script of the VRRP instances and sync groups (notify_*),
 * vrrp_scripts, and the virtual and real servers (quorum_*, notify_*,
 * MISC_CHECK misc_path). */
void conf_check_scripts(const struct config *cfg, struct diags *d);
/* One command line: its program is looked up as it will be run (a bare
 * name in the scripts' PATH); what names the keyword in the message. */
void conf_check_script(struct diags *d, struct srcpos pos, const char *what, const char *cmd);

#endif
