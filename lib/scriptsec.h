/* scriptsec.h - enable_script_security, the one decision every script
 * runner asks before it runs a script: apart from the runner (script.c) so
 * that the configuration check (vigild -t) can ask it without libuv. */
#ifndef VIGIL_SCRIPTSEC_H
#define VIGIL_SCRIPTSEC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* enable_script_security: may a script run with these ids without a
 * non-root user being able to change what runs? keepalived.conf(5):
 * "Don't run scripts configured to be run as root if any part of the
 * path is writable by a non-root user."
 *
 * path is the program (argv[0] of cmdline_split(); for a shell command
 * the caller checks /bin/sh and, best effort, the first word). A name
 * without '/' is looked up in $PATH like execvp(). It needs checking when
 * uid or gid is 0 ((uid_t)-1 / (gid_t)-1 mean geteuid() / getegid()), or
 * when the file is set-uid or set-gid root; otherwise it is secure.
 *
 * Checked is every directory from / down to the file and the file
 * itself, resolving symbolic links one at a time, so the directories
 * holding each link and each link target are checked too. Each must be
 * owned by root and not writable by group (unless the group is root) or
 * others; a directory with the sticky bit (/tmp) may be writable, as in
 * keepalived, since nobody can replace a root-owned entry in it. A
 * symbolic link must be owned by root. The file must be a regular file.
 * POSIX ACLs are not looked at.
 *
 * Returns true when secure. Otherwise false with the reason in why (when
 * not NULL), naming the culprit: "/etc/vigil/check.sh: directory
 * /etc/vigil is writable by group 1000 (mode 0775)". Reads only the file
 * system (and $PATH, the working directory for a relative path). */
bool script_is_secure(const char *path, uid_t uid, gid_t gid, char *why, size_t whylen);

/* enable_script_security for a whole command text, as every runner
 * (vrrp_script, VRRP notify_*, MISC_CHECK, LVS notify_up/down and
 * quorum_up/down) must apply it: the one gate, so that no script path can
 * skip it.
 *
 * A command that would run as root (uid or gid 0, as script_is_secure()
 * counts them) and needs a shell (cmdline_needs_shell(): ; | & $ ` ...) is
 * refused: the shell would run programs no check has seen ("/ok.sh;
 * /pub/evil.sh"), and keepalived runs scripts without a shell. Put such a
 * command in a script file. Otherwise the program (argv[0]) must pass
 * script_is_secure(); a shell command run as another user runs with that
 * user's power only and is allowed. A command that does not split is
 * refused.
 *
 * Returns true when it may run; else false with why set, e.g. "uses shell
 * syntax (';'), which runs programs no check can see; with
 * enable_script_security a script run as root must be one program and its
 * arguments: put the commands in a script file". */
bool script_command_is_secure(const char *command, uid_t uid, gid_t gid, char *why,
			      size_t whylen);

#endif
