/* scriptsec.c - enable_script_security: may this script run as these ids; see scriptsec.h. */
#include "scriptsec.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmdline.h"

/* ---- enable_script_security -------------------------------------------- */

struct why {
	char *buf;
	size_t len;
	const char *path;    /* as the caller named it */
};

/* "path: reason" into the caller's buffer; returns false for the caller
 * to return. */
__attribute__((format(printf, 2, 3)))
static bool refuse(const struct why *w, const char *fmt, ...)
{
	va_list ap;

	if (!w->buf || !w->len)
		return false;
	int n = snprintf(w->buf, w->len, "%s: ", w->path);
	if (n >= 0 && (size_t)n < w->len) {
		va_start(ap, fmt);
		vsnprintf(w->buf + n, w->len - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return false;
}

static const char *kind(const struct stat *st)
{
	if (S_ISLNK(st->st_mode))
		return "symbolic link";
	return S_ISDIR(st->st_mode) ? "directory" : "file";
}

/* keepalived's rule for one path element. */
static bool element_ok(const struct why *w, const char *name, const struct stat *st)
{
	unsigned mode = (unsigned)(st->st_mode & 07777);

	if (st->st_uid != 0)
		return refuse(w, "%s %s is owned by uid %u, not root", kind(st), name,
			      (unsigned)st->st_uid);
	if (S_ISLNK(st->st_mode))
		return true;    /* its mode bits mean nothing */
	if (S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX))
		return true;    /* nobody can replace root's entries in it */
	if (st->st_gid != 0 && (st->st_mode & S_IWGRP))
		return refuse(w, "%s %s is writable by group %u (mode %04o)", kind(st), name,
			      (unsigned)st->st_gid, mode);
	if (st->st_mode & S_IWOTH)
		return refuse(w, "%s %s is writable by everyone (mode %04o)", kind(st), name, mode);
	return true;
}

/* execvp's search, as far as deciding which file would run. */
static bool search_path(const char *name, char *found, size_t len)
{
	const char *p = getenv("PATH");

	if (!p)
		p = "/bin:/usr/bin";
	for (;;) {
		size_t dl = strcspn(p, ":");
		struct stat st;
		int n = snprintf(found, len, "%.*s/%s", (int)(dl ? dl : 1), dl ? p : ".", name);
		if (n > 0 && (size_t)n < len && stat(found, &st) == 0 && S_ISREG(st.st_mode) &&
		    (st.st_mode & 0111))
			return true;
		if (!p[dl])
			return false;
		p += dl + 1;
	}
}

/* Walk path from /, one element at a time, following symbolic links by
 * splicing their target into what is left to walk, so every directory
 * that takes part in finding the file is looked at. */
static bool walk_secure(const struct why *w, const char *path)
{
	char remaining[2 * PATH_MAX], next[2 * PATH_MAX], cur[PATH_MAX], link[PATH_MAX];
	size_t curlen = 0;      /* cur is "" for "/" */
	int links = 0;
	struct stat st;
	char *rest;

	if (path[0] == '/') {
		if ((size_t)snprintf(remaining, sizeof(remaining), "%s", path) >= sizeof(remaining))
			return refuse(w, "%s", strerror(ENAMETOOLONG));
	} else {
		if (!getcwd(cur, sizeof(cur)))
			return refuse(w, "working directory: %s", strerror(errno));
		if ((size_t)snprintf(remaining, sizeof(remaining), "%s/%s", cur, path) >= sizeof(remaining))
			return refuse(w, "%s", strerror(ENAMETOOLONG));
	}
	if (stat("/", &st) < 0)
		return refuse(w, "/: %s", strerror(errno));
	if (!element_ok(w, "/", &st))
		return false;
	cur[0] = '\0';

	rest = remaining;
	for (;;) {
		while (*rest == '/')
			rest++;
		if (!*rest)
			break;
		size_t clen = strcspn(rest, "/");
		const char *comp = rest;
		rest += clen;
		while (*rest == '/')
			rest++;
		if (clen == 1 && comp[0] == '.')
			continue;
		if (clen == 2 && comp[0] == '.' && comp[1] == '.') {
			char *slash = strrchr(cur, '/');
			curlen = slash ? (size_t)(slash - cur) : 0;
			cur[curlen] = '\0';
			continue;
		}
		if (curlen + 1 + clen >= sizeof(cur))
			return refuse(w, "%s", strerror(ENAMETOOLONG));
		cur[curlen] = '/';
		memcpy(cur + curlen + 1, comp, clen);
		cur[curlen + 1 + clen] = '\0';
		if (lstat(cur, &st) < 0)
			return refuse(w, "%s: %s", cur, strerror(errno));
		if (!element_ok(w, cur, &st))
			return false;
		if (S_ISLNK(st.st_mode)) {
			if (++links > 40)
				return refuse(w, "%s: %s", cur, strerror(ELOOP));
			ssize_t n = readlink(cur, link, sizeof(link) - 1);
			if (n < 0)
				return refuse(w, "%s: %s", cur, strerror(errno));
			link[n] = '\0';
			if ((size_t)snprintf(next, sizeof(next), "%s%s%s", link, *rest ? "/" : "",
					     rest) >= sizeof(next))
				return refuse(w, "%s", strerror(ENAMETOOLONG));
			memcpy(remaining, next, strlen(next) + 1);
			rest = remaining;
			/* A relative target continues from the link's directory. */
			cur[curlen] = '\0';
			if (link[0] == '/')
				curlen = 0, cur[0] = '\0';
			continue;
		}
		if (*rest && !S_ISDIR(st.st_mode))
			return refuse(w, "%s: %s", cur, strerror(ENOTDIR));
		curlen += 1 + clen;
	}
	if (curlen == 0 || !S_ISREG(st.st_mode))
		return refuse(w, "%s is not a regular file", curlen ? cur : "/");
	return true;
}

bool script_is_secure(const char *path, uid_t uid, gid_t gid, char *why, size_t whylen)
{
	char found[PATH_MAX];
	struct why w = { why, whylen, path ? path : "" };
	struct stat st;

	if (why && whylen)
		why[0] = '\0';
	if (!path || !*path)
		return refuse(&w, "empty program name");
	if (uid == (uid_t)-1)
		uid = geteuid();
	if (gid == (gid_t)-1)
		gid = getegid();
	if (!strchr(path, '/')) {
		if (!search_path(path, found, sizeof(found)))
			return refuse(&w, "not found in $PATH");
		path = found;
	}
	if (stat(path, &st) < 0)
		return refuse(&w, "%s", strerror(errno));
	/* Set-id root runs with root's power whoever starts it. */
	bool setid_root = (st.st_uid == 0 && (st.st_mode & S_ISUID) && (st.st_mode & S_IXUSR)) ||
			  (st.st_gid == 0 && (st.st_mode & S_ISGID) && (st.st_mode & S_IXGRP));
	if (uid != 0 && gid != 0 && !setid_root)
		return true;
	return walk_secure(&w, path);
}

/* The first character that makes cmdline_needs_shell() say yes, for the
 * message; a keyword or an assignment has none. */
static char shell_char(const char *cmd)
{
	const char *c = cmd + strcspn(cmd, "|&;<>(){}*?[`$\n~#");
	return *c ? *c : 0;
}

bool script_command_is_secure(const char *command, uid_t uid, gid_t gid, char *why,
			      size_t whylen)
{
	char **argv = NULL;
	const char *err = NULL;
	struct why w = { why, whylen, command ? command : "" };

	if (why && whylen)
		why[0] = '\0';
	if (!command || cmdline_split(command, &argv, &err) < 0)
		return refuse(&w, "%s", err ? err : "empty command");
	if (uid == (uid_t)-1)
		uid = geteuid();
	if (gid == (gid_t)-1)
		gid = getegid();
	if ((uid == 0 || gid == 0) && cmdline_needs_shell(command)) {
		char c = shell_char(command);
		free(argv);
		if (c == '\n')
			return refuse(&w, "uses shell syntax (a newline), which runs programs no check "
				      "can see; with enable_script_security a script run as root must "
				      "be one program and its arguments: put the commands in a script "
				      "file");
		if (c)
			return refuse(&w, "uses shell syntax ('%c'), which runs programs no check can "
				      "see; with enable_script_security a script run as root must be "
				      "one program and its arguments: put the commands in a script "
				      "file", c);
		return refuse(&w, "needs a shell (a shell keyword, builtin or assignment), which "
			      "runs programs no check can see; with enable_script_security a "
			      "script run as root must be one program and its arguments: put the "
			      "commands in a script file");
	}
	/* Not root: the shell and whatever it starts run with the script
	 * user's power only, and the first word of a shell text ("a.sh;")
	 * need not name a file. */
	bool ok = cmdline_needs_shell(command) ||
		  script_is_secure(argv[0], uid, gid, why, whylen);
	free(argv);
	return ok;
}
