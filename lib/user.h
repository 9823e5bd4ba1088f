/* user.h - the user and group a script runs as.
 *
 * keepalived's rule, shared by vrrp_script, MISC_CHECK and the notify
 * scripts (keepalived.conf(5) "script_user", "user USERNAME [GROUPNAME]"):
 *   1. the object's own "user USER [GROUP]";
 *   2. else global_defs "script_user USER [GROUP]";
 *   3. else the user keepalived_script, if it exists;
 *   4. else root.
 * GROUP, when not given, is the user's primary group. A user or group that
 * is named but does not exist is an error: the caller disables the script
 * rather than run it as root instead.
 *
 * Lookups use getpwnam_r()/getgrnam_r(), so a worker thread may call this
 * while another resolves names. The name service may block (NSS, LDAP):
 * call it when the configuration is loaded, not on every run.
 */
#ifndef VIGIL_USER_H
#define VIGIL_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define SCRIPT_DEFAULT_USER "keepalived_script"

/* Resolve user/group (NULL: not given) with dflt_user/dflt_group (global
 * script_user, NULL: not given) as the fallback. Returns true with *uid,
 * *gid set; false with why ("user 'bob' does not exist") when not NULL. */
bool user_resolve_script(const char *user, const char *group, const char *dflt_user,
			 const char *dflt_group, uid_t *uid, gid_t *gid, char *why,
			 size_t whylen);

#endif
