/* rusage.c - run a command; print its wall time and peak resident set.
 *
 *   rusage [-t SECONDS] [-o FILE] COMMAND [ARG]...
 *
 * Prints one line on stderr (or appends it to FILE with -o):
 *   wall_s=0.412 maxrss_kb=45312 status=0
 * status is the command's exit status, 128+N when killed by signal N, or
 * "timeout" when -t expired (the whole process group is then killed).
 *
 * Wall time is CLOCK_MONOTONIC from just before fork() to the moment the
 * last process of the command has been reaped. Peak RSS is ru_maxrss of
 * getrusage(RUSAGE_CHILDREN): the largest resident set of any descendant
 * that was waited for. This process makes itself a child subreaper, so a
 * command that forks and lets its parent exit (keepalived can) still has
 * every descendant reaped here and counted. The command's stdout and
 * stderr are left alone: redirect them around this program.
 *
 * Built by bench/conf-parse.sh with the system cc; plain POSIX plus Linux
 * prctl, so there is no dependency on GNU time.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(void)
{
	fprintf(stderr, "usage: rusage [-t SECONDS] [-o FILE] COMMAND [ARG]...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned timeout = 0;
	const char *outfile = NULL;
	int c;

	while ((c = getopt(argc, argv, "+t:o:")) != -1) {
		switch (c) {
		case 't': timeout = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'o': outfile = optarg; break;
		default: usage();
		}
	}
	if (optind >= argc)
		usage();

	/* Orphaned descendants come to us, so their usage is counted. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0)
		perror("rusage: prctl(PR_SET_CHILD_SUBREAPER)");

	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;     /* no SA_RESTART: waitpid returns EINTR */
	sigaction(SIGALRM, &sa, NULL);

	double t0 = now();
	pid_t pid = fork();
	if (pid < 0) {
		perror("rusage: fork");
		return 1;
	}
	if (pid == 0) {
		setpgid(0, 0);        /* a group of its own, to kill on timeout */
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "rusage: cannot run %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	if (timeout)
		alarm(timeout);

	/* Reap the command and every descendant handed to us, until none is
	 * left. On timeout: kill the command's process group, then give the
	 * stragglers 5 more seconds before giving up on them. */
	int status = 0, wst;
	int timed_out = 0;
	for (;;) {
		pid_t w = waitpid(-1, &wst, 0);
		if (w == pid)
			status = wst;
		if (w >= 0)
			continue;
		if (errno != EINTR || alarms > 1)
			break;        /* ECHILD: all reaped; or stragglers given up */
		if (alarms == 1 && !timed_out) {
			timed_out = 1;
			kill(-pid, SIGKILL);
			alarm(5);
		}
	}
	double wall = now() - t0;

	struct rusage ru;
	getrusage(RUSAGE_CHILDREN, &ru);

	char st[32];
	if (timed_out)
		snprintf(st, sizeof(st), "timeout");
	else if (WIFSIGNALED(status))
		snprintf(st, sizeof(st), "%d", 128 + WTERMSIG(status));
	else
		snprintf(st, sizeof(st), "%d", WEXITSTATUS(status));

	FILE *out = stderr;
	if (outfile && !(out = fopen(outfile, "a"))) {
		perror(outfile);
		return 1;
	}
	fprintf(out, "wall_s=%.3f maxrss_kb=%ld status=%s\n", wall, ru.ru_maxrss, st);
	if (out != stderr)
		fclose(out);
	return 0;
}
