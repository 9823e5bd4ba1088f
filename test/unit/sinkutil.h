/* sinkutil.h - run test/tools/smtpsink (a local SMTP server on 127.0.0.1
 * that writes what it receives to a file) for the unit tests that send
 * email alerts. */
#ifndef VIGIL_SINKUTIL_H
#define VIGIL_SINKUTIL_H

#include <sys/types.h>

struct sink {
	pid_t pid;
	int port;
	char file[128];
	char dir[64];
};

/* Start smtpsink ($SMTPSINK, else the SMTPSINK the build defines) with
 * extra arguments (NULL-terminated, may be NULL) and read its port; fails
 * the test when it does not start within 5 s. */
void sink_start(struct sink *s, const char *const *extra);
/* Wait (at most 5 s) for the sink to exit: its exit status, or -1 when
 * it had to be killed. */
int sink_wait(struct sink *s);
/* What it received (a static buffer); removes its file and directory. */
char *sink_mail(struct sink *s);

#endif
