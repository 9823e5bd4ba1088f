/* user.c - the user and group a script runs as; see user.h. */
#include "user.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NSS_BUF_START 1024
#define NSS_BUF_MAX (1024 * 1024)   /* a group with thousands of members */

static void say(char *why, size_t whylen, const char *fmt, const char *name, int err)
{
	if (!why || !whylen)
		return;
	if (err)
		snprintf(why, whylen, "%s '%s': %s", fmt, name, strerror(err));
	else
		snprintf(why, whylen, "%s '%s' does not exist", fmt, name);
}

/* 1: found, 0: no such user, -errno: the lookup failed. */
static int lookup_user(const char *name, uid_t *uid, gid_t *gid)
{
	for (size_t len = NSS_BUF_START; len <= NSS_BUF_MAX; len *= 2) {
		struct passwd pw, *res = NULL;
		char *buf = malloc(len);
		if (!buf)
			return -ENOMEM;
		int err = getpwnam_r(name, &pw, buf, len, &res);
		if (res) {
			*uid = pw.pw_uid;
			*gid = pw.pw_gid;
		}
		free(buf);
		if (err == ERANGE)
			continue;
		/* "Not found" comes back as 0 with no result, or as one of
		 * these, depending on the NSS module. */
		if (err == ENOENT || err == ESRCH || err == EBADF || err == EPERM)
			err = 0;
		return err ? -err : res != NULL;
	}
	return -ERANGE;
}

static int lookup_group(const char *name, gid_t *gid)
{
	for (size_t len = NSS_BUF_START; len <= NSS_BUF_MAX; len *= 2) {
		struct group gr, *res = NULL;
		char *buf = malloc(len);
		if (!buf)
			return -ENOMEM;
		int err = getgrnam_r(name, &gr, buf, len, &res);
		if (res)
			*gid = gr.gr_gid;
		free(buf);
		if (err == ERANGE)
			continue;
		if (err == ENOENT || err == ESRCH || err == EBADF || err == EPERM)
			err = 0;
		return err ? -err : res != NULL;
	}
	return -ERANGE;
}

bool user_resolve_script(const char *user, const char *group, const char *dflt_user,
			 const char *dflt_group, uid_t *uid, gid_t *gid, char *why,
			 size_t whylen)
{
	if (!user && dflt_user) {
		user = dflt_user;
		group = dflt_group;
	}
	*uid = 0;
	*gid = 0;
	int r = lookup_user(user ? user : SCRIPT_DEFAULT_USER, uid, gid);
	if (r < 0 || (r == 0 && user)) {
		say(why, whylen, "user", user ? user : SCRIPT_DEFAULT_USER, r < 0 ? -r : 0);
		return false;
	}
	/* r == 0 without a user named: keepalived_script is optional, root it is. */
	if (group) {
		r = lookup_group(group, gid);
		if (r <= 0) {
			say(why, whylen, "group", group, r < 0 ? -r : 0);
			return false;
		}
	}
	return true;
}
