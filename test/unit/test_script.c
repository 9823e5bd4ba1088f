/* test_script.c - the script runner: results, timeouts that kill the
 * whole process group, asynchronous failures, descriptors, users,
 * cancellation, many runs at once, and enable_script_security. Every run
 * uses a loop of its own that must close cleanly (no handle left). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "script.h"

#define SEC 1000000ULL    /* microseconds */

struct run {
	int calls;
	bool in_run;          /* set around script_run(): the callback must not come then */
	struct script_result r;
	char out[SCRIPT_OUTPUT_MAX + 1];
};

static void on_done(struct script_job *job, const struct script_result *r, void *data)
{
	struct run *x = data;
	(void)job;
	ck_assert_msg(!x->in_run, "callback from inside script_run()");
	ck_assert_msg(!script_busy(job), "job still busy in its callback");
	x->calls++;
	x->r = *r;
	memcpy(x->out, r->output, r->output_len + 1);
	x->r.output = NULL;     /* struct run is copied around: use out */
}

static struct script_spec spec_of(const char *command)
{
	struct script_spec s = {
		.command = command, .uid = (uid_t)-1, .gid = (gid_t)-1, .capture = true,
	};
	return s;
}

/* Run spec to completion on a fresh loop; checks the callback came once,
 * from the loop, and that the loop closes with nothing left open. */
static struct run run_spec(const struct script_spec *spec)
{
	uv_loop_t loop;
	struct script_job job;
	struct run x;

	memset(&x, 0, sizeof(x));
	ck_assert_int_eq(uv_loop_init(&loop), 0);
	script_job_init(&job);
	x.in_run = true;
	ck_assert_int_eq(script_run(&loop, &job, spec, on_done, &x), 0);
	x.in_run = false;
	ck_assert_int_eq(x.calls, 0);
	ck_assert(script_busy(&job));
	uv_run(&loop, UV_RUN_DEFAULT);
	ck_assert_int_eq(x.calls, 1);
	ck_assert(!script_busy(&job));
	ck_assert_int_eq(uv_loop_close(&loop), 0);
	return x;
}

static struct run run_cmd(const char *command)
{
	struct script_spec s = spec_of(command);
	return run_spec(&s);
}

static void expect_exit(const char *command, int code)
{
	struct run x = run_cmd(command);
	char d[128];
	ck_assert_msg(x.r.status == SCRIPT_EXITED && x.r.exit_code == code,
		      "<%s>: %s, want exit %d", command, script_result_describe(&x.r, d, sizeof(d)),
		      code);
	ck_assert(script_result_ok(&x.r) == (code == 0));
	ck_assert_int_gt(x.r.pid, 0);
}

/* Not running: gone, or a zombie nobody reaped yet. */
static bool process_running(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' && paren[2] != 'Z' && paren[2] != 'X';
}

START_TEST(exit_codes)
{
	expect_exit("/bin/true", 0);
	expect_exit("/bin/false", 1);
	expect_exit("true", 0);                     /* found in $PATH */
	expect_exit("sh -c 'exit 42'", 42);         /* argv, no shell */
	expect_exit("exit 42", 42);                 /* a shell builtin: sh -c */
	expect_exit("sh -c 'exit 255'", 255);

	struct run x = run_cmd("exit 42");
	char d[128];
	ck_assert_str_eq(script_result_describe(&x.r, d, sizeof(d)), "exited with status 42");
	ck_assert_int_eq(x.r.term_signal, 0);
	ck_assert_int_eq(x.r.error, 0);
}
END_TEST

START_TEST(signalled)
{
	struct run x = run_cmd("sh -c 'kill -TERM $$'");
	char d[128];
	ck_assert_int_eq(x.r.status, SCRIPT_SIGNALLED);
	ck_assert_int_eq(x.r.term_signal, SIGTERM);
	ck_assert_int_eq(x.r.exit_code, 0);
	ck_assert(!script_result_ok(&x.r));
	ck_assert_str_eq(script_result_describe(&x.r, d, sizeof(d)),
			 "killed by signal 15 (Terminated)");
}
END_TEST

START_TEST(output_capture)
{
	struct run x = run_cmd("/bin/echo hello");
	ck_assert_str_eq(x.out, "hello\n");
	ck_assert_uint_eq(x.r.output_len, 6);
	ck_assert(!x.r.output_truncated);

	/* stdout and stderr in one buffer, in order. */
	x = run_cmd("sh -c 'echo out; echo err >&2; echo out2'");
	ck_assert_str_eq(x.out, "out\nerr\nout2\n");

	/* The first SCRIPT_OUTPUT_MAX bytes are kept; a chatty script is
	 * drained, not stalled on a full pipe. */
	x = run_cmd("sh -c 'head -c 300000 /dev/zero | tr \"\\\\0\" x; exit 3'");
	ck_assert_int_eq(x.r.status, SCRIPT_EXITED);
	ck_assert_int_eq(x.r.exit_code, 3);
	ck_assert_uint_eq(x.r.output_len, SCRIPT_OUTPUT_MAX);
	ck_assert(x.r.output_truncated);
	ck_assert_uint_eq(strspn(x.out, "x"), SCRIPT_OUTPUT_MAX);

	/* Without capture the output goes to /dev/null. */
	struct script_spec s = spec_of("/bin/echo hidden");
	s.capture = false;
	x = run_spec(&s);
	ck_assert_int_eq(x.r.status, SCRIPT_EXITED);
	ck_assert_str_eq(x.out, "");
	ck_assert_uint_eq(x.r.output_len, 0);
}
END_TEST

START_TEST(timeout_sigterm)
{
	struct script_spec s = spec_of("sleep 30");
	s.timeout_us = 3 * SEC / 10;
	struct run x = run_spec(&s);
	char d[128];

	ck_assert_int_eq(x.r.status, SCRIPT_TIMED_OUT);
	ck_assert_int_eq(x.r.term_signal, SIGTERM);   /* sleep dies on SIGTERM */
	ck_assert_uint_ge(x.r.runtime_us, 29 * SEC / 100);  /* timers tick in ms */
	ck_assert_uint_lt(x.r.runtime_us, 15 * SEC / 10);
	ck_assert(!script_result_ok(&x.r));
	ck_assert(!process_running(x.r.pid));
	ck_assert_int_eq(kill(x.r.pid, 0), -1);       /* reaped, not a zombie */
	ck_assert_int_eq(errno, ESRCH);
	ck_assert(strncmp(script_result_describe(&x.r, d, sizeof(d)), "timed out", 9) == 0);
}
END_TEST

START_TEST(timeout_kills_group)
{
	/* Orphans come to us, so we can reap the grandchild and see how it
	 * died. Both ignore SIGTERM: only the SIGKILL after the grace ends
	 * them, and it must reach the background process too. */
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), 0);
	struct script_spec s = spec_of("trap '' TERM; sleep 30 & echo $!; wait");
	s.timeout_us = 3 * SEC / 10;
	struct run x = run_spec(&s);

	ck_assert_int_eq(x.r.status, SCRIPT_TIMED_OUT);
	ck_assert_int_eq(x.r.term_signal, SIGKILL);
	ck_assert_uint_ge(x.r.runtime_us, 55 * SEC / 100);   /* 0.3 s + 0.3 s grace */
	ck_assert_uint_lt(x.r.runtime_us, 15 * SEC / 10);
	pid_t grandchild = (pid_t)atoi(x.out);
	ck_assert_msg(grandchild > 0, "no pid in output <%s>", x.out);
	ck_assert_int_ne(grandchild, x.r.pid);

	int status = 0;
	pid_t got = 0;
	for (int i = 0; i < 200 && got == 0; i++) {
		got = waitpid(grandchild, &status, WNOHANG);
		if (got == 0)
			usleep(10000);
	}
	ck_assert_int_eq(got, grandchild);
	ck_assert(WIFSIGNALED(status));
	ck_assert_int_eq(WTERMSIG(status), SIGKILL);
	ck_assert_int_eq(kill(grandchild, 0), -1);
	ck_assert_int_eq(kill(x.r.pid, 0), -1);

	/* The script dies of SIGTERM, its background child ignores it: the
	 * child goes when the script does, without waiting for the grace. */
	s = spec_of("(trap '' TERM; exec sleep 30) & echo $!; wait");
	s.timeout_us = 3 * SEC / 10;
	x = run_spec(&s);
	ck_assert_int_eq(x.r.status, SCRIPT_TIMED_OUT);
	ck_assert_int_eq(x.r.term_signal, SIGTERM);
	ck_assert_uint_lt(x.r.runtime_us, 55 * SEC / 100);
	grandchild = (pid_t)atoi(x.out);
	ck_assert_msg(grandchild > 0, "no pid in output <%s>", x.out);
	got = 0;
	for (int i = 0; i < 200 && got == 0; i++) {
		got = waitpid(grandchild, &status, WNOHANG);
		if (got == 0)
			usleep(10000);
	}
	ck_assert_int_eq(got, grandchild);
	ck_assert(WIFSIGNALED(status));
	ck_assert_int_eq(WTERMSIG(status), SIGKILL);
}
END_TEST

/* hold_cb: once, when the script still runs at hold_us; the run goes on
 * to its own end (or timeout), which is unchanged. */
static int holds;
static uint64_t held_at;
static void on_held(struct script_job *job, void *data)
{
	(void)data;
	ck_assert(script_busy(job));
	holds++;
	held_at = uv_hrtime();
}

START_TEST(hold_callback)
{
	struct script_spec s = spec_of("sleep 0.5");
	s.hold_us = SEC / 10;
	s.hold_cb = on_held;
	s.timeout_us = 3 * SEC;
	holds = 0;
	uint64_t t0 = uv_hrtime();
	struct run x = run_spec(&s);
	ck_assert_int_eq(holds, 1);
	ck_assert_uint_ge((held_at - t0) / 1000, 9 * SEC / 100);
	ck_assert_uint_lt((held_at - t0) / 1000, 4 * SEC / 10);
	ck_assert_int_eq(x.r.status, SCRIPT_EXITED);
	ck_assert_uint_ge(x.r.runtime_us, 45 * SEC / 100);

	/* the timeout still counts from the spawn, not from the hold */
	s.command = "sleep 30";
	s.timeout_us = 3 * SEC / 10;
	holds = 0;
	x = run_spec(&s);
	ck_assert_int_eq(holds, 1);
	ck_assert_int_eq(x.r.status, SCRIPT_TIMED_OUT);
	ck_assert_uint_lt(x.r.runtime_us, 15 * SEC / 10);

	/* a script done before the hold: no call; a hold not below the
	 * timeout: no call either */
	s.command = "true";
	s.timeout_us = 3 * SEC;
	holds = 0;
	x = run_spec(&s);
	ck_assert_int_eq(holds, 0);
	s.command = "sleep 30";
	s.hold_us = s.timeout_us = 2 * SEC / 10;
	x = run_spec(&s);
	ck_assert_int_eq(holds, 0);
	ck_assert_int_eq(x.r.status, SCRIPT_TIMED_OUT);
}
END_TEST

START_TEST(no_timeout_when_fast)
{
	struct script_spec s = spec_of("/bin/true");
	s.timeout_us = 10 * SEC;
	struct run x = run_spec(&s);     /* the timer must not hold the loop */
	ck_assert_int_eq(x.r.status, SCRIPT_EXITED);
	ck_assert_uint_lt(x.r.runtime_us, 5 * SEC);
}
END_TEST

START_TEST(spawn_failures_are_asynchronous)
{
	/* run_spec() checks the callback did not come inside script_run(). */
	struct run x = run_cmd("/nonexistent/vigil-prog --flag");
	char d[128];
	ck_assert_int_eq(x.r.status, SCRIPT_SPAWN_FAILED);
	ck_assert_int_eq(x.r.error, ENOENT);
	ck_assert_int_eq(x.r.pid, 0);
	ck_assert_str_eq(script_result_describe(&x.r, d, sizeof(d)),
			 "could not start: No such file or directory");

	/* A $PATH of our own: a directory we may not search would make
	 * execvp say EACCES. */
	static const char *const path_env[] = { "PATH=/usr/bin:/bin", NULL };
	struct script_spec s = spec_of("vigil-no-such-program-anywhere");
	s.env = path_env;
	x = run_spec(&s);
	ck_assert_int_eq(x.r.status, SCRIPT_SPAWN_FAILED);
	ck_assert_int_eq(x.r.error, ENOENT);

	x = run_cmd("/etc/passwd");                  /* not executable */
	ck_assert_int_eq(x.r.status, SCRIPT_SPAWN_FAILED);
	ck_assert_int_eq(x.r.error, EACCES);

	x = run_cmd("/bin/echo 'unterminated");
	ck_assert_int_eq(x.r.status, SCRIPT_SPAWN_FAILED);
	ck_assert_int_eq(x.r.error, EINVAL);

	x = run_cmd("echo a | grep 'b");             /* shell text must balance too */
	ck_assert_int_eq(x.r.status, SCRIPT_SPAWN_FAILED);
	ck_assert_int_eq(x.r.error, EINVAL);

	x = run_cmd("   ");
	ck_assert_int_eq(x.r.status, SCRIPT_SPAWN_FAILED);
	ck_assert_int_eq(x.r.error, EINVAL);

	s = spec_of("/bin/true");
	s.cwd = "/nonexistent/dir";
	x = run_spec(&s);
	ck_assert_int_eq(x.r.status, SCRIPT_SPAWN_FAILED);
	ck_assert_int_eq(x.r.error, ENOENT);

	/* With sh -c a missing program is sh's exit 127. */
	expect_exit("vigil-no-such-program-anywhere 2>/dev/null", 127);
}
END_TEST

START_TEST(shell_commands)
{
	expect_exit("echo x | grep -q x", 0);
	expect_exit("echo x | grep -q y", 1);      /* a real pipe, not echo's arguments */
	struct run x = run_cmd("echo x | tr x y");
	ck_assert_str_eq(x.out, "y\n");
	x = run_cmd("echo a >/dev/null; echo b");
	ck_assert_str_eq(x.out, "b\n");
	/* Quoted shell characters reach the program as they are. */
	x = run_cmd("/bin/echo 'a|b' \"c > d\" e\\;f");
	ck_assert_str_eq(x.out, "a|b c > d e;f\n");
}
END_TEST

START_TEST(extra_args_and_env)
{
	static const char *const extra[] = { "b c", "it's", NULL };
	static const char *const env[] = { "V=val", "HOME=/override", NULL };

	struct script_spec s = spec_of("/bin/echo a");
	s.extra_args = extra;
	struct run x = run_spec(&s);
	ck_assert_str_eq(x.out, "a b c it's\n");

	/* Through the shell the words arrive intact as well. */
	s = spec_of("printf '%s,' \"$V\"; printf '[%s]'");
	s.extra_args = extra;
	s.env = env;
	x = run_spec(&s);
	ck_assert_str_eq(x.out, "val,[b c][it's]");

	/* An added variable replaces the inherited one, once. */
	setenv("HOME", "/inherited", 1);
	s = spec_of("env | grep -c '^HOME='; echo \"$HOME\"");
	s.env = env;
	x = run_spec(&s);
	ck_assert_str_eq(x.out, "1\n/override\n");

	s = spec_of("/bin/pwd");
	s.cwd = "/";
	x = run_spec(&s);
	ck_assert_str_eq(x.out, "/\n");
}
END_TEST

START_TEST(descriptors)
{
	/* A descriptor the daemon opened without O_CLOEXEC. */
	int fd = open("/dev/null", O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(dup2(fd, 100), 100);
	close(fd);
	ck_assert_int_eq(fcntl(100, F_GETFD) & FD_CLOEXEC, 0);

	struct run x = run_cmd("ls /proc/self/fd");
	ck_assert_int_eq(x.r.status, SCRIPT_EXITED);
	/* 0, 1, 2 and the directory ls reads: nothing of ours. */
	char *save = NULL;
	int n = 0;
	for (char *t = strtok_r(x.out, "\n", &save); t; t = strtok_r(NULL, "\n", &save), n++)
		ck_assert_msg(atoi(t) <= 3, "descriptor %s leaked into the script", t);
	ck_assert_int_ge(n, 3);
	/* Ours still works. */
	ck_assert_int_ge(fcntl(100, F_GETFD), 0);
	close(100);

	x = run_cmd("readlink /proc/self/fd/0");
	ck_assert_str_eq(x.out, "/dev/null\n");
}
END_TEST

START_TEST(own_process_group)
{
	struct run x = run_cmd("ps -o pid=,pgid=,sid= -p $$");
	int pid = 0, pgid = 0, sid = 0;
	if (x.r.status == SCRIPT_EXITED && x.r.exit_code == 0) {
		ck_assert_int_eq(sscanf(x.out, "%d %d %d", &pid, &pgid, &sid), 3);
	} else {
		/* No ps: ask /proc instead. */
		x = run_cmd("cat /proc/self/stat");
		const char *paren = strrchr(x.out, ')');
		ck_assert_ptr_nonnull(paren);
		char state;
		int ppid;
		ck_assert_int_eq(sscanf(paren + 2, "%c %d %d %d", &state, &ppid, &pgid, &sid), 4);
		pid = x.r.pid;
	}
	ck_assert_int_eq(pid, x.r.pid);
	ck_assert_int_eq(pgid, x.r.pid);
	ck_assert_int_eq(sid, x.r.pid);
}
END_TEST

#define MANY 100

struct many {
	int done;
	int bad;
};

static void on_many(struct script_job *job, const struct script_result *r, void *data)
{
	struct many *m = data;
	(void)job;
	m->done++;
	if (r->status != SCRIPT_EXITED)
		m->bad++;
}

START_TEST(many_at_once)
{
	uv_loop_t loop;
	struct script_job *jobs = calloc(MANY, sizeof(*jobs));
	struct many m = { 0, 0 };
	int codes[MANY];

	ck_assert_int_eq(uv_loop_init(&loop), 0);
	for (int i = 0; i < MANY; i++) {
		struct script_spec s = spec_of(i % 2 ? "/bin/echo odd" : "exit 3");
		s.timeout_us = 20 * SEC;
		script_job_init(&jobs[i]);
		ck_assert_int_eq(script_run(&loop, &jobs[i], &s, on_many, &m), 0);
	}
	ck_assert_int_eq(m.done, 0);
	uv_run(&loop, UV_RUN_DEFAULT);
	ck_assert_int_eq(m.done, MANY);
	ck_assert_int_eq(m.bad, 0);
	for (int i = 0; i < MANY; i++) {
		codes[i] = jobs[i].result.exit_code;
		ck_assert_int_eq(codes[i], i % 2 ? 0 : 3);
		ck_assert(!script_busy(&jobs[i]));
	}
	ck_assert_int_eq(uv_loop_close(&loop), 0);
	free(jobs);
}
END_TEST

START_TEST(cancel)
{
	uv_loop_t loop;
	struct script_job job;
	struct run x;
	struct script_spec s = spec_of("sleep 30");

	memset(&x, 0, sizeof(x));
	ck_assert_int_eq(uv_loop_init(&loop), 0);
	script_job_init(&job);
	script_cancel(&job);                          /* idle: nothing */
	ck_assert_int_eq(script_run(&loop, &job, &s, on_done, &x), 0);
	ck_assert_int_eq(script_run(&loop, &job, &s, on_done, &x), -EBUSY);
	script_cancel(&job);
	script_cancel(&job);                          /* idempotent */
	ck_assert_int_eq(x.calls, 0);                 /* never from inside cancel */
	ck_assert(script_busy(&job));
	uv_run(&loop, UV_RUN_DEFAULT);
	ck_assert_int_eq(x.calls, 1);
	ck_assert_int_eq(x.r.status, SCRIPT_CANCELLED);
	ck_assert_int_eq(x.r.term_signal, SIGKILL);
	ck_assert_uint_lt(x.r.runtime_us, 5 * SEC);
	ck_assert(!process_running(x.r.pid));
	ck_assert_str_eq(script_status_str(x.r.status), "cancelled");

	/* Cancelling a spawn failure still reports CANCELLED, once. */
	memset(&x, 0, sizeof(x));
	s = spec_of("/nonexistent/prog");
	ck_assert_int_eq(script_run(&loop, &job, &s, on_done, &x), 0);
	script_cancel(&job);
	uv_run(&loop, UV_RUN_DEFAULT);
	ck_assert_int_eq(x.calls, 1);
	ck_assert_int_eq(x.r.status, SCRIPT_CANCELLED);
	ck_assert_int_eq(uv_loop_close(&loop), 0);
}
END_TEST

/* The owner embeds the job, cancels it on shutdown and frees itself in
 * the callback: ASan catches any touch of the job after that. */
struct owner {
	struct script_job job;
	int *freed;
};

static void on_owner_done(struct script_job *job, const struct script_result *r, void *data)
{
	struct owner *o = data;
	ck_assert_ptr_eq(job, &o->job);
	ck_assert_int_eq(r->status, SCRIPT_CANCELLED);
	(*o->freed)++;
	free(o);
}

static void cancel_later(uv_timer_t *t)
{
	script_cancel(t->data);
	uv_close((uv_handle_t *)t, NULL);
}

START_TEST(free_in_callback)
{
	uv_loop_t loop;
	uv_timer_t t;
	int freed = 0;
	struct owner *o = calloc(1, sizeof(*o));
	struct script_spec s = spec_of("sleep 30");

	o->freed = &freed;
	ck_assert_int_eq(uv_loop_init(&loop), 0);
	script_job_init(&o->job);
	ck_assert_int_eq(script_run(&loop, &o->job, &s, on_owner_done, o), 0);
	/* Cancel from the loop, while the script runs. */
	uv_timer_init(&loop, &t);
	t.data = &o->job;
	uv_timer_start(&t, cancel_later, 100, 0);
	uv_run(&loop, UV_RUN_DEFAULT);
	ck_assert_int_eq(freed, 1);
	ck_assert_int_eq(uv_loop_close(&loop), 0);
}
END_TEST

struct chain {
	uv_loop_t *loop;
	int left;
	int runs;
	struct script_spec spec;
};

static void on_chain(struct script_job *job, const struct script_result *r, void *data)
{
	struct chain *c = data;
	ck_assert_int_eq(r->status, SCRIPT_EXITED);
	c->runs++;
	if (--c->left > 0)
		ck_assert_int_eq(script_run(c->loop, job, &c->spec, on_chain, c), 0);
}

START_TEST(rerun_from_callback)
{
	uv_loop_t loop;
	struct script_job job;
	struct chain c = { &loop, 5, 0, spec_of("/bin/true") };

	ck_assert_int_eq(uv_loop_init(&loop), 0);
	script_job_init(&job);
	ck_assert_int_eq(script_run(&loop, &job, &c.spec, on_chain, &c), 0);
	uv_run(&loop, UV_RUN_DEFAULT);
	ck_assert_int_eq(c.runs, 5);
	ck_assert_int_eq(uv_loop_close(&loop), 0);
}
END_TEST

START_TEST(run_as_nobody)
{
	if (geteuid() != 0) {
		fprintf(stderr, "run_as_nobody: not root, only checking EPERM\n");
		struct script_spec s = spec_of("/bin/true");
		s.uid = 0;
		s.gid = 0;
		struct run x = run_spec(&s);
		ck_assert_int_eq(x.r.status, SCRIPT_SPAWN_FAILED);
		ck_assert_int_eq(x.r.error, EPERM);
		return;
	}
	struct script_spec s = spec_of("id -u; id -g; id -G");
	s.uid = 65534;
	s.gid = 65534;
	struct run x = run_spec(&s);
	ck_assert_int_eq(x.r.status, SCRIPT_EXITED);
	/* Supplementary groups dropped too: no root group left. */
	ck_assert_str_eq(x.out, "65534\n65534\n65534\n");

	/* Descriptors opened as root stay out of reach. */
	s = spec_of("cat /etc/shadow");
	s.uid = 65534;
	s.gid = 65534;
	x = run_spec(&s);
	ck_assert_int_eq(x.r.status, SCRIPT_EXITED);
	ck_assert_int_ne(x.r.exit_code, 0);
}
END_TEST

START_TEST(status_names)
{
	ck_assert_str_eq(script_status_str(SCRIPT_EXITED), "exited");
	ck_assert_str_eq(script_status_str(SCRIPT_SIGNALLED), "signalled");
	ck_assert_str_eq(script_status_str(SCRIPT_TIMED_OUT), "timed out");
	ck_assert_str_eq(script_status_str(SCRIPT_SPAWN_FAILED), "spawn failed");
	ck_assert_str_eq(script_status_str(SCRIPT_CANCELLED), "cancelled");
}
END_TEST

/* ---- enable_script_security ---------------------------------------------- */

static char tmp[64];

static void mk(const char *rel, mode_t mode, bool dir)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", tmp, rel);
	if (dir) {
		ck_assert_int_eq(mkdir(p, mode), 0);
	} else {
		int fd = open(p, O_WRONLY | O_CREAT | O_EXCL, mode);
		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(write(fd, "#!/bin/sh\n", 10), 10);
		close(fd);
	}
	ck_assert_int_eq(chmod(p, mode), 0);
}

static void set_mode(const char *rel, mode_t mode)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", tmp, rel);
	ck_assert_int_eq(chmod(p, mode), 0);
}

static void set_owner(const char *rel, uid_t u, gid_t g)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", tmp, rel);
	ck_assert_int_eq(lchown(p, u, g), 0);
}

static void link_to(const char *rel, const char *target)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", tmp, rel);
	ck_assert_int_eq(symlink(target, p), 0);
}

/* rel is under tmp, or taken as it is after a '='. why must contain
 * want (NULL: secure). */
static void expect_secure(const char *rel, uid_t u, gid_t g, const char *want)
{
	char p[256], why[512] = "untouched";
	if (rel[0] == '=')
		snprintf(p, sizeof(p), "%s", rel + 1);
	else
		snprintf(p, sizeof(p), "%s/%s", tmp, rel);
	bool ok = script_is_secure(p, u, g, why, sizeof(why));
	if (!want) {
		ck_assert_msg(ok, "%s should be secure for %d:%d; got: %s", p, (int)u, (int)g, why);
	} else {
		ck_assert_msg(!ok, "%s should be insecure for %d:%d (%s)", p, (int)u, (int)g, want);
		ck_assert_msg(strstr(why, want) != NULL, "%s: why <%s> lacks <%s>", p, why, want);
		ck_assert_msg(strncmp(why, p, strlen(p)) == 0, "why <%s> should start with %s", why, p);
	}
}

static void rm_tree(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(security_as_root)
{
	if (geteuid() != 0) {
		/* Our own file is not root's: insecure for root, fine for us. */
		snprintf(tmp, sizeof(tmp), "/tmp/vigil-sec-XXXXXX");
		ck_assert_ptr_nonnull(mkdtemp(tmp));
		mk("s.sh", 0755, false);
		expect_secure("s.sh", 0, 0, "owned by uid");
		expect_secure("s.sh", geteuid(), getegid(), NULL);
		rm_tree();
		return;
	}
	snprintf(tmp, sizeof(tmp), "/tmp/vigil-sec-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmp));
	mk("sub", 0755, true);
	mk("sub/ok.sh", 0755, false);
	mk("bad", 0777, true);
	mk("bad/x.sh", 0755, false);

	expect_secure("sub/ok.sh", 0, 0, NULL);
	expect_secure("sub//./ok.sh", 0, 0, NULL);
	/* bad is looked at on the way, like every directory walked through. */
	expect_secure("bad/../sub/ok.sh", 0, 0, "/bad is writable by everyone");

	/* The file: group root may write, another group or everyone not. */
	set_mode("sub/ok.sh", 0775);
	expect_secure("sub/ok.sh", 0, 0, NULL);
	set_owner("sub/ok.sh", 0, 1000);
	expect_secure("sub/ok.sh", 0, 0, "file ");
	expect_secure("sub/ok.sh", 0, 0, "/sub/ok.sh is writable by group 1000 (mode 0775)");
	set_owner("sub/ok.sh", 0, 0);
	set_mode("sub/ok.sh", 0757);
	expect_secure("sub/ok.sh", 0, 0, "writable by everyone (mode 0757)");
	set_mode("sub/ok.sh", 0755);
	set_owner("sub/ok.sh", 1000, 0);
	expect_secure("sub/ok.sh", 0, 0, "owned by uid 1000, not root");
	set_owner("sub/ok.sh", 0, 0);

	/* Any directory on the way. */
	expect_secure("bad/x.sh", 0, 0, "directory ");
	expect_secure("bad/x.sh", 0, 0, "/bad is writable by everyone (mode 0777)");
	set_mode("bad", 01777);                        /* sticky, like /tmp */
	expect_secure("bad/x.sh", 0, 0, NULL);
	set_mode("bad", 0777);
	set_owner("sub", 1000, 1000);
	expect_secure("sub/ok.sh", 0, 0, "/sub is owned by uid 1000");
	set_owner("sub", 0, 0);

	/* Only root's scripts (or set-id root programs) need it. */
	expect_secure("bad/x.sh", 65534, 65534, NULL);
	expect_secure("bad/x.sh", 65534, 0, "writable by everyone");  /* group root */
	expect_secure("bad/x.sh", 0, 65534, "writable by everyone");
	set_mode("bad/x.sh", 04755);
	expect_secure("bad/x.sh", 65534, 65534, "writable by everyone");
	set_mode("bad/x.sh", 0755);

	/* Symbolic links: the target's directories count, and links in
	 * directories only root can write must be root's. */
	link_to("good-link", "sub/ok.sh");
	expect_secure("good-link", 0, 0, NULL);
	link_to("bad-link", "bad/x.sh");
	expect_secure("bad-link", 0, 0, "/bad is writable by everyone");
	link_to("chain1", "chain2");
	link_to("chain2", "good-link");
	expect_secure("chain1", 0, 0, NULL);
	link_to("dirlink", "bad");
	expect_secure("dirlink/x.sh", 0, 0, "/bad is writable by everyone");
	link_to("sub/up", "../bad/x.sh");
	expect_secure("sub/up", 0, 0, "/bad is writable by everyone");
	char abs[128];
	snprintf(abs, sizeof(abs), "%s/sub/ok.sh", tmp);
	link_to("abs-link", abs);
	expect_secure("abs-link", 0, 0, NULL);
	set_owner("good-link", 1000, 1000);
	expect_secure("good-link", 0, 0, "symbolic link");
	expect_secure("good-link", 0, 0, "owned by uid 1000");
	link_to("loop1", "loop2");
	link_to("loop2", "loop1");
	expect_secure("loop1", 0, 0, "Too many levels of symbolic links");

	/* Not there, not a file, found in $PATH, relative. */
	expect_secure("sub/missing.sh", 0, 0, "No such file or directory");
	expect_secure("sub", 0, 0, "not a regular file");
	expect_secure("=sh", 0, 0, NULL);
	expect_secure("=vigil-no-such-program", 0, 0, "not found in $PATH");
	char cwd[512];
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	ck_assert_int_eq(chdir(tmp), 0);
	expect_secure("=./sub/ok.sh", 0, 0, NULL);
	expect_secure("=./bad/x.sh", 0, 0, "/bad is writable by everyone");
	ck_assert_int_eq(chdir(cwd), 0);
	rm_tree();
}
END_TEST

/* script_command_is_secure(): the gate every runner asks (issue 15,
 * holes 1 and 2). Shell syntax run as root is refused whatever follows
 * it, with the reason; as another user it is allowed; a plain command is
 * its program's script_is_secure(). Needs no special file: /bin/true and
 * /bin/sh are root's. */
START_TEST(command_gate)
{
	char why[512];
	static const char *const shell[][2] = {
		{ "/bin/true; /tmp/evil.sh", "uses shell syntax (';')" },
		{ "/bin/true && /tmp/evil.sh", "uses shell syntax ('&')" },
		{ "/bin/true | /tmp/evil.sh", "uses shell syntax ('|')" },
		{ "/bin/true `/tmp/evil.sh`", "uses shell syntax ('`')" },
		{ "/bin/true $(/tmp/evil.sh)", "uses shell syntax ('$')" },
		{ "/bin/true > /etc/passwd", "uses shell syntax ('>')" },
		{ "/bin/true\n/tmp/evil.sh", "uses shell syntax (a newline)" },
		{ "exit 0", "needs a shell (a shell keyword, builtin or assignment)" },
		{ "X=1 /bin/true", "needs a shell" },
	};
	for (size_t i = 0; i < sizeof(shell) / sizeof(shell[0]); i++) {
		ck_assert_msg(!script_command_is_secure(shell[i][0], 0, 0, why, sizeof(why)),
			      "<%s> allowed as root", shell[i][0]);
		ck_assert_msg(strstr(why, shell[i][1]), "<%s>: why <%s> lacks <%s>", shell[i][0],
			      why, shell[i][1]);
		ck_assert_msg(strncmp(why, shell[i][0], strlen(shell[i][0])) == 0,
			      "why <%s> should name the command", why);
		/* group root counts as root */
		ck_assert(!script_command_is_secure(shell[i][0], 65534, 0, NULL, 0));
		/* another user: the shell has that user's power only */
		ck_assert_msg(script_command_is_secure(shell[i][0], 65534, 65534, why, sizeof(why)),
			      "<%s> refused as nobody: %s", shell[i][0], why);
	}
	/* Quoted, the same characters are arguments, not shell syntax. */
	ck_assert_msg(script_command_is_secure("/bin/true ';' '$(x)' \"a|b\"", 0, 0, why,
					       sizeof(why)), "%s", why);
	ck_assert(script_command_is_secure("/bin/true", 0, 0, why, sizeof(why)));
	ck_assert(script_command_is_secure("true --arg", 0, 0, why, sizeof(why)));
	ck_assert(!script_command_is_secure("/vigil/no/such", 0, 0, why, sizeof(why)));
	ck_assert_msg(strstr(why, "No such file or directory"), "%s", why);
	ck_assert(!script_command_is_secure("'unterminated", 0, 0, why, sizeof(why)));
	ck_assert_msg(strstr(why, "unterminated single quote"), "%s", why);
	ck_assert(!script_command_is_secure(NULL, 0, 0, why, sizeof(why)));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("script");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, exit_codes);
	tcase_add_test(tc, signalled);
	tcase_add_test(tc, output_capture);
	tcase_add_test(tc, timeout_sigterm);
	tcase_add_test(tc, timeout_kills_group);
	tcase_add_test(tc, no_timeout_when_fast);
	tcase_add_test(tc, hold_callback);
	tcase_add_test(tc, spawn_failures_are_asynchronous);
	tcase_add_test(tc, shell_commands);
	tcase_add_test(tc, extra_args_and_env);
	tcase_add_test(tc, descriptors);
	tcase_add_test(tc, own_process_group);
	tcase_add_test(tc, many_at_once);
	tcase_add_test(tc, cancel);
	tcase_add_test(tc, free_in_callback);
	tcase_add_test(tc, rerun_from_callback);
	tcase_add_test(tc, run_as_nobody);
	tcase_add_test(tc, status_names);
	tcase_add_test(tc, security_as_root);
	tcase_add_test(tc, command_gate);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
