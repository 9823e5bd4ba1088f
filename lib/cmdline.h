/* cmdline.h - a script's command text to an argv, without a shell.
 *
 * keepalived.conf(5): "For specifying scripts with parameters, unquoted
 * spaces will separate the parameters. If it is required for a parameter
 * to contain a space, it should be enclosed in single quotes". vigil
 * splits exactly as POSIX sh(1) would for the same text, so that a command
 * means the same thing whether it runs directly (argv) or through
 * /bin/sh -c (when cmdline_needs_shell() says it must):
 *
 *   - blanks (space, tab; newline too, see below) separate words;
 *   - '...' keeps everything literally up to the next ', escapes included;
 *   - "..." keeps everything literally except \" \\ \$ \` (the character
 *     after the backslash) and backslash-newline (removed); any other
 *     backslash stays: "a\nb" is the four characters a \ n b;
 *   - outside quotes a backslash takes the next character literally, so
 *     e\ f is one word "e f" and \\ is one backslash; backslash-newline is
 *     removed; a backslash at the very end stays a backslash;
 *   - quoted and unquoted parts join: a'b c'"d" is one word "ab cd";
 *     '' and "" make an empty word.
 *
 * So `"a b" 'c d' e\ f` is [a b] [c d] [e f], and the dumper's "..." with
 * \" and \\ reads back as written. A newline outside quotes separates
 * commands in sh; cmdline_needs_shell() reports it, and a caller that
 * splits anyway gets it treated as a blank.
 */
#ifndef VIGIL_CMDLINE_H
#define VIGIL_CMDLINE_H

#include <stdbool.h>

/* Split s into words. Returns argc (>= 1) and, when argv_out is not NULL,
 * sets *argv_out to a NULL-terminated vector that is ONE allocation (the
 * pointers followed by the strings): free(*argv_out) releases it all.
 * Returns -1 and sets *err (a static string; err may be NULL) on
 * "unterminated single quote", "unterminated double quote" or "empty
 * command" (nothing but blanks); *argv_out is then untouched. With
 * argv_out NULL it only checks and counts: the configuration loader uses
 * that to reject a bad script line at file:line, and script_run() to
 * check text it hands to the shell (quotes must balance for sh too).
 * Aborts on out-of-memory like every vigil allocation. */
int cmdline_split(const char *s, char ***argv_out, const char **err);

/* True when s uses shell syntax that an argv cannot honour, so the
 * caller must run /bin/sh -c s instead: outside quotes any of
 * | & ; < > ( ) { } * ? [ ` $ or a newline, a # or ~ starting a word, a ~
 * after = or :; inside "..." a $ or `; a first word that is a variable
 * assignment (NAME=value cmd) or a shell keyword or builtin without a
 * program of its own (if, !, exit, cd, ., exec, ...). Characters quoted
 * or backslash-escaped as above do not count: check 'a|b' needs no shell.
 * When in doubt it says true: sh runs every text correctly, the argv path
 * only saves a fork. Meaningful only for text cmdline_split() accepts. */
bool cmdline_needs_shell(const char *s);

#endif
