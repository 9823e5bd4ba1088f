/* cmdline.c - split a command text like sh(1) would; see cmdline.h. */
#include "cmdline.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* Where the words go: the first pass only counts (out == NULL), the
 * second writes into the block the first pass sized. */
struct sink {
	char **argv;     /* NULL when counting */
	char *out;       /* next free byte of the string area */
	size_t bytes;    /* string bytes, NULs included */
	int argc;
};

static void put(struct sink *k, char c)
{
	if (k->argv)
		*k->out++ = c;
	k->bytes++;
}

/* One pass over s. Returns argc or -1 with *err set. */
static int scan(const char *s, struct sink *k, const char **err)
{
	size_t i = 0;

	for (;;) {
		/* Blanks and line continuations between words. */
		while (is_blank(s[i]) || (s[i] == '\\' && s[i + 1] == '\n'))
			i += s[i] == '\\' ? 2 : 1;
		if (!s[i])
			break;
		if (k->argv)
			k->argv[k->argc] = k->out;
		while (s[i] && !is_blank(s[i])) {
			char c = s[i];
			if (c == '\'') {
				for (i++; s[i] && s[i] != '\''; i++)
					put(k, s[i]);
				if (!s[i]) {
					*err = "unterminated single quote";
					return -1;
				}
				i++;
			} else if (c == '"') {
				for (i++; s[i] && s[i] != '"';) {
					if (s[i] == '\\' && s[i + 1] == '\n') {
						i += 2;
					} else if (s[i] == '\\' && s[i + 1] && strchr("\"\\$`", s[i + 1])) {
						put(k, s[i + 1]);
						i += 2;
					} else {
						put(k, s[i++]);
					}
				}
				if (!s[i]) {
					*err = "unterminated double quote";
					return -1;
				}
				i++;
			} else if (c == '\\') {
				if (!s[i + 1]) {
					put(k, '\\');    /* sh keeps a trailing backslash */
					i++;
				} else if (s[i + 1] == '\n') {
					i += 2;
				} else {
					put(k, s[i + 1]);
					i += 2;
				}
			} else {
				put(k, c);
				i++;
			}
		}
		put(k, '\0');
		k->argc++;
	}
	if (k->argc == 0) {
		*err = "empty command";
		return -1;
	}
	return k->argc;
}

int cmdline_split(const char *s, char ***argv_out, const char **err)
{
	const char *dummy;
	struct sink count = { 0 };

	if (!err)
		err = &dummy;
	if (scan(s, &count, err) < 0)
		return -1;
	if (!argv_out)
		return count.argc;

	size_t ptrs = ((size_t)count.argc + 1) * sizeof(char *);
	char **argv = xmalloc(ptrs + count.bytes);
	struct sink fill = { argv, (char *)argv + ptrs, 0, 0 };
	scan(s, &fill, err);
	argv[fill.argc] = NULL;
	*argv_out = argv;
	return fill.argc;
}

/* Words that mean something to sh but name no program (or a program that
 * cannot do the shell's job, like cd), as the first word of a command. */
static const char *const shell_words[] = {
	"!", "case", "do", "done", "elif", "else", "esac", "fi", "for", "function",
	"if", "in", "select", "then", "time", "until", "while",
	".", ":", "alias", "bg", "break", "cd", "command", "continue", "eval",
	"exec", "exit", "export", "fg", "getopts", "hash", "jobs", "local",
	"read", "readonly", "return", "set", "shift", "source", "times", "trap",
	"type", "ulimit", "umask", "unalias", "unset", "wait",
};

static bool is_shell_word(const char *w, size_t len)
{
	for (size_t i = 0; i < sizeof(shell_words) / sizeof(shell_words[0]); i++)
		if (strlen(shell_words[i]) == len && memcmp(shell_words[i], w, len) == 0)
			return true;
	return false;
}

static bool is_name_start(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_name_char(char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

/* NAME=... with NAME written plainly: sh takes it as an assignment. */
static bool is_assignment(const char *w, size_t len)
{
	size_t i = 0;
	if (!len || !is_name_start(w[0]))
		return false;
	while (i < len && is_name_char(w[i]))
		i++;
	return i < len && w[i] == '=';
}

bool cmdline_needs_shell(const char *s)
{
	size_t i = 0;
	bool first = true;

	for (;;) {
		while (s[i] == ' ' || s[i] == '\t' || (s[i] == '\\' && s[i + 1] == '\n'))
			i += s[i] == '\\' ? 2 : 1;
		if (!s[i])
			return false;
		size_t start = i;
		bool plain = true;      /* no quote or escape in this word */
		char prev = 0;          /* previous unquoted character */

		if (s[i] == '#' || s[i] == '~')
			return true;
		while (s[i] && s[i] != ' ' && s[i] != '\t') {
			char c = s[i];
			if (c == '\'') {
				plain = false;
				for (i++; s[i] && s[i] != '\''; i++)
					;
				if (!s[i])
					return false;
				i++;
				prev = 0;
				continue;
			}
			if (c == '"') {
				plain = false;
				for (i++; s[i] && s[i] != '"'; i++) {
					if (s[i] == '$' || s[i] == '`')
						return true;
					if (s[i] == '\\' && s[i + 1])
						i++;
				}
				if (!s[i])
					return false;
				i++;
				prev = 0;
				continue;
			}
			if (c == '\\') {
				plain = false;
				i += s[i + 1] ? 2 : 1;
				prev = 0;
				continue;
			}
			if (strchr("|&;<>(){}*?[`$\n", c))
				return true;
			if (c == '~' && (prev == '=' || prev == ':'))
				return true;
			prev = c;
			i++;
		}
		if (first) {
			const char *w = s + start;
			size_t len = i - start;
			if (plain && is_shell_word(w, len))
				return true;
			if (is_assignment(w, len))
				return true;
			first = false;
		}
	}
}
