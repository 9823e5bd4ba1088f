/* script.h - run a script without ever blocking the event loop.
 *
 * One runner for vrrp_script tracking, notify scripts and MISC_CHECK. A
 * run is a child process started with libuv (uv_spawn: fork + exec, no
 * shell unless cmdline_needs_shell() says the text needs one), watched by
 * a SIGCHLD handle and a timer, and ended by exactly one callback that
 * says how it went. Nothing waits: the loop keeps sending adverts while
 * a script sleeps. The only synchronous part is libuv's own fork and its
 * wait for the child's exec (microseconds to a millisecond or two).
 *
 * The child gets:
 *   - stdin from /dev/null; stdout and stderr to /dev/null, or, with
 *     spec.capture, both into one pipe of which the first
 *     SCRIPT_OUTPUT_MAX bytes are kept (the rest is read and dropped so a
 *     chatty script never stalls on a full pipe);
 *   - no other descriptor: libuv only closes what it created, so before
 *     each spawn every descriptor >= 3 of the daemon is marked
 *     close-on-exec (close_range(CLOSE_RANGE_CLOEXEC), else a walk of
 *     /proc/self/fd). vigil opens everything O_CLOEXEC anyway; this
 *     catches what a library did not, and nothing in vigil relies on
 *     descriptors inherited implicitly across exec;
 *   - a session and process group of its own (UV_PROCESS_DETACHED:
 *     setsid), so a signal to the group reaches everything it started
 *     in the background, and a Ctrl-C on vigild's terminal does not;
 *   - uid and gid when given (setgroups(0), setgid, setuid by libuv),
 *     default signal dispositions and an empty signal mask;
 *   - the daemon's environment plus spec.env.
 *
 * Timeout: at spec.timeout_us the group gets SIGTERM; if the script is
 * still there min(timeout, 1 s) later, SIGKILL; and when the script
 * process ends, whatever is left of its group gets SIGKILL at once. The
 * result is SCRIPT_TIMED_OUT whatever the exit status, and it is
 * reported when the script process itself has been reaped, so the
 * caller never sees a timed-out script still running (a grandchild that
 * left the group with setsid() is out of reach, as in keepalived).
 *
 * When the script exits on its own, anything it left running in the
 * background is left alone (a notify script may start a service). Its
 * output pipe is closed, so with capture whatever it left behind dies of
 * SIGPIPE at its next write to stdout or stderr: a script that starts
 * services (notify scripts) runs without capture.
 *
 * libuv reaps children from its SIGCHLD handler: nothing else in the
 * process may reap with waitpid(-1) or set SIGCHLD to SIG_IGN.
 */
#ifndef VIGIL_SCRIPT_H
#define VIGIL_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <uv.h>

#include "scriptsec.h"   /* script_is_secure(), script_command_is_secure() */

#define SCRIPT_OUTPUT_MAX 1024    /* bytes of stdout+stderr kept with capture */

struct script_job;

/* What to run. Read during script_run() only: nothing in it needs to
 * outlive that call. */
struct script_spec {
	const char *command;             /* the configured text, see cmdline.h */
	const char *const *extra_args;   /* NULL or NULL-terminated: words appended
					  * to the command (notify parameters);
					  * for a shell command they are added to
					  * the text single-quoted */
	const char *const *env;          /* NULL or NULL-terminated "NAME=value":
					  * set in the child, replacing any
					  * inherited NAME */
	const char *cwd;                 /* NULL: the daemon's */
	uid_t uid;                       /* (uid_t)-1: keep the daemon's */
	gid_t gid;                       /* (gid_t)-1: keep the daemon's; set it
					  * with uid, or the script keeps group 0 */
	uint64_t timeout_us;             /* 0: no timeout */
	bool capture;                    /* keep the start of stdout+stderr */
	/* hold_cb(job, data) is called once, from the loop, when the script
	 * still runs hold_us after its start (0, or not below timeout_us:
	 * never). The run goes on: it ends, or is killed at timeout_us, and
	 * the done callback comes as always. It lets a caller stop waiting
	 * for a script without killing it. hold_cb may cancel the job. */
	uint64_t hold_us;
	void (*hold_cb)(struct script_job *job, void *data);
};

enum script_status {
	SCRIPT_EXITED,        /* exit_code is valid; 0 means success */
	SCRIPT_SIGNALLED,     /* killed by term_signal, not by us */
	SCRIPT_TIMED_OUT,     /* ran past timeout_us; we killed it */
	SCRIPT_SPAWN_FAILED,  /* never ran: error is an errno (ENOENT: no such
			       * program, EACCES: not executable, EPERM:
			       * cannot switch user, EINVAL: the command text
			       * does not split, see cmdline_split()). With
			       * /bin/sh -c a missing program is exit 127. */
	SCRIPT_CANCELLED,     /* script_cancel() was called during the run */
};

struct script_result {
	enum script_status status;
	int exit_code;           /* SCRIPT_EXITED: 0..255, else 0 */
	int term_signal;         /* how the process ended if a signal ended it
				  * (also under TIMED_OUT/CANCELLED), else 0 */
	int error;               /* SCRIPT_SPAWN_FAILED: errno, else 0 */
	pid_t pid;               /* the child (also its process group); 0
				  * when it never started */
	uint64_t runtime_us;     /* from spawn until reaped (or failure) */
	const char *output;      /* capture: NUL-terminated (but may hold NULs
				  * itself), output_len bytes; else "" */
	size_t output_len;
	bool output_truncated;   /* more than SCRIPT_OUTPUT_MAX bytes came */
};

struct script_job;
/* Called exactly once per successful script_run(), always from the loop
 * (never from inside script_run() or script_cancel()), when the job holds
 * no libuv handle any more. r points into the job: copy what you need
 * before reusing the job. Inside the callback the job is idle: the
 * callback may free it, or script_run() it again. */
typedef void (*script_done_cb)(struct script_job *job, const struct script_result *r,
			       void *data);

/* One script run at a time. Embed it in the object that runs the script
 * (a vrrp_script, a MISC_CHECK checker, an instance's notify slot) and
 * script_job_init() it once; a zeroed job is also idle. Fields are
 * private to script.c. A run allocates nothing beyond what libuv and the
 * transient argv need; the job's memory must stay valid, and in place
 * (libuv holds pointers to its handles), from script_run() until its
 * callback has started. */
struct script_job {
	uv_process_t proc;
	uv_timer_t timer;
	uv_pipe_t out;
	script_done_cb cb;
	void *data;
	bool busy;               /* script_run() .. callback */
	bool proc_init;          /* uv_spawn() was called: proc needs closing */
	bool spawned;            /* proc holds a live (or zombie) child */
	bool exited;             /* reaped: never signal pid again */
	bool closing;            /* handles are being closed */
	bool capturing;          /* out is initialised */
	bool timed_out;
	bool cancelled;
	int kill_stage;          /* 0 none, 1 SIGTERM sent, 2 SIGKILL sent */
	int open_handles;        /* closes still to come */
	uint64_t grace_ms;
	uint64_t timeout_ms;     /* 0: none; counted from the spawn */
	uint64_t hold_ms;        /* 0: no hold callback (pending or done) */
	void (*hold_cb)(struct script_job *job, void *data);
	uint64_t started;        /* uv_hrtime() at spawn */
	struct script_result result;
	char output[SCRIPT_OUTPUT_MAX + 1];
	char discard[256];       /* reads past the kept output land here */
};

void script_job_init(struct script_job *job);

/* Start spec on loop. Returns 0, and the callback will follow exactly
 * once, whatever happens: a command that does not split or a program that
 * cannot start is SCRIPT_SPAWN_FAILED, delivered from the loop like any
 * other result, so callers have one code path. Returns -EBUSY, with no
 * callback, when the job's previous run has not called back yet. */
int script_run(uv_loop_t *loop, struct script_job *job, const struct script_spec *spec,
	       script_done_cb cb, void *data);

/* Between script_run() and the start of its callback. */
bool script_busy(const struct script_job *job);

/* Stop a run for shutdown or reload: SIGKILL to the script's process
 * group (if it still runs) and the timer stopped. The callback still
 * comes, once, from the loop, with SCRIPT_CANCELLED (even if the script
 * had already ended but the callback was not delivered yet), so keep the
 * job's memory until then; the usual pattern is to mark the owner dying,
 * cancel, and free it in the callback. Cancelling an idle job, or twice,
 * does nothing. */
void script_cancel(struct script_job *job);

/* "exited", "signalled", "timed out", "spawn failed", "cancelled". */
const char *script_status_str(enum script_status s);

/* One line for the log: "exited with status 1", "killed by signal 9
 * (Killed)", "timed out, killed after 301 ms", "could not start: No such file or
 * directory", "cancelled". Returns buf. */
char *script_result_describe(const struct script_result *r, char *buf, size_t len);

/* Healthy by keepalived's rule: it ran and exited 0. */
static inline bool script_result_ok(const struct script_result *r)
{
	return r->status == SCRIPT_EXITED && r->exit_code == 0;
}

#endif
