/* file.h - reading one configuration file: the lexer's only reads.
 *
 * A configuration names files that root then reads, so the reader trusts
 * nothing about them: only a regular file is read (a FIFO would block the
 * daemon, /dev/zero would never end), never more than a given size, and
 * the caller learns who could have written it.
 */
#ifndef VIGIL_CONF_FILE_H
#define VIGIL_CONF_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

/* Limits the lexer applies when its options leave them at 0: one file,
 * and the main file with everything it includes (each include counted
 * every time it is read). The largest benchmark configuration (10,000
 * virtual servers of 10 real servers) is 12.8 MB. */
#define CONF_FILE_MAX_SIZE  ((size_t)32 << 20)
#define CONF_TOTAL_MAX_SIZE ((size_t)128 << 20)

enum conf_read_status {
	CONF_READ_OK,
	CONF_READ_ERRNO,        /* err holds the errno value */
	CONF_READ_NOT_REGULAR,  /* st.st_mode says what it is */
	CONF_READ_TOO_BIG,      /* more than max bytes */
};

struct conf_file {
	char *buf;          /* malloc'd, NUL-terminated; the caller frees it */
	size_t len;
	struct stat st;     /* of the open file: owner and mode */
	int err;
};

/* Read path whole into f. Anything that is not a regular file is refused
 * before it is opened, and again after (fstat of the descriptor, in case
 * the path was swapped meanwhile); the open itself is O_NONBLOCK|O_NOCTTY,
 * so nothing here can wait for a writer. At most max + 1 bytes are ever
 * read. On any status but CONF_READ_OK, f->buf is NULL. */
enum conf_read_status conf_file_read(const char *path, size_t max, struct conf_file *f);

/* "a FIFO", "a character device", ...: what a non-regular file is. */
const char *conf_file_kind(mode_t mode);

/* Can someone other than root, or the user vigild runs as (self_uid,
 * self_gid), write a file with this owner and mode? When so, say who in
 * buf ("writable by uid 1000", "writable by group 100", "writable by
 * every user") and return true. Pure: the caller passes the ids. */
bool conf_file_writers(uid_t uid, gid_t gid, mode_t mode, uid_t self_uid,
		       gid_t self_gid, char *buf, size_t len);

#endif
