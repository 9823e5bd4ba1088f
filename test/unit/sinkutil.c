/* sinkutil.c - see sinkutil.h. */
#include "sinkutil.h"

#include <check.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SMTPSINK
#define SMTPSINK "test/tools/smtpsink"
#endif

static const char *sink_path(void)
{
	const char *p = getenv("SMTPSINK");
	return p ? p : SMTPSINK;
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Start smtpsink with extra arguments (NULL-terminated), read its port. */
void sink_start(struct sink *s, const char *const *extra)
{
	int p[2];
	const char *argv[24];
	int n = 0;

	snprintf(s->dir, sizeof(s->dir), "/tmp/vigil-sink-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(s->dir));
	snprintf(s->file, sizeof(s->file), "%s/mail", s->dir);
	argv[n++] = sink_path();
	argv[n++] = "-o";
	argv[n++] = s->file;
	while (extra && *extra && n < 22)
		argv[n++] = *extra++;
	argv[n] = NULL;

	ck_assert_int_eq(pipe(p), 0);
	s->pid = fork();
	ck_assert_int_ge(s->pid, 0);
	if (s->pid == 0) {
		dup2(p[1], STDOUT_FILENO);
		close(p[0]);
		close(p[1]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(p[1]);
	char buf[64] = "";
	size_t len = 0;
	uint64_t end = now_ms() + 5000;
	while (!memchr(buf, '\n', len) && len < sizeof(buf) - 1 && now_ms() < end) {
		struct pollfd pf = { .fd = p[0], .events = POLLIN };
		if (poll(&pf, 1, 100) <= 0)
			continue;
		ssize_t r = read(p[0], buf + len, sizeof(buf) - 1 - len);
		if (r <= 0)
			break;
		len += (size_t)r;
		buf[len] = '\0';
	}
	close(p[0]);
	ck_assert_msg(sscanf(buf, "PORT %d", &s->port) == 1, "smtpsink (%s) did not start: <%s>",
		      sink_path(), buf);
}

/* Wait (bounded) for the sink to exit; its exit status, or -1 if it had
 * to be killed. */
int sink_wait(struct sink *s)
{
	int st = 0;
	uint64_t end = now_ms() + 5000;
	while (waitpid(s->pid, &st, WNOHANG) == 0) {
		if (now_ms() > end) {
			kill(s->pid, SIGKILL);
			waitpid(s->pid, &st, 0);
			return -1;
		}
		usleep(10000);
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

char *sink_mail(struct sink *s)
{
	static char buf[16384];
	FILE *f = fopen(s->file, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = '\0';
	unlink(s->file);
	rmdir(s->dir);
	return buf;
}

