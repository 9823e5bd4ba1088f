/* test_notify.c - VRRP notifications: script order and arguments, one
 * script at a time per queue and queues in parallel, the FIFO line and
 * the FIFO script, a FIFO nobody reads, scripts killed at their timeout,
 * users, cancellation, and the email alerts (delivered to
 * test/tools/smtpsink on 127.0.0.1). Each test runs its own loop, which
 * must close with no handle left. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "notify.h"
#include "sinkutil.h"
#include "testutil.h"


#define SEC 1000000ULL

/* ---- log capture: vigil's syslog lines arrive on a socket of ours -------------- */

static int logfd = -1;
static char logs[1 << 18];
static size_t logs_len;
static char dir[64];            /* this test's scratch directory */

static void logcap_drain(void)
{
	char buf[2048];
	ssize_t n;
	while ((n = recv(logfd, buf, sizeof(buf) - 1, MSG_DONTWAIT)) > 0) {
		size_t l = (size_t)n;
		if (logs_len + l + 2 < sizeof(logs)) {
			memcpy(logs + logs_len, buf, l);
			logs_len += l;
			logs[logs_len++] = '\n';
			logs[logs_len] = '\0';
		}
	}
}

static bool logged(const char *substr)
{
	logcap_drain();
	return strstr(logs, substr) != NULL;
}

static int count_logged(const char *substr)
{
	int k = 0;
	logcap_drain();
	for (const char *p = logs; (p = strstr(p, substr)); p++)
		k++;
	return k;
}

static void setup(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	snprintf(dir, sizeof(dir), "/tmp/vigil-notify-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	chmod(dir, 0755);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/log", dir);
	logfd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(logfd, 0);
	ck_assert_int_eq(bind(logfd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	int big = 1 << 20;
	setsockopt(logfd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	setenv("VIGIL_SYSLOG_SOCKET", sun.sun_path, 1);
	struct log_opts o = { .ident = "test_notify", .console = getenv("TEST_CONSOLE") != NULL };
	log_open(&o);
	logs_len = 0;
	logs[0] = '\0';
}

static void teardown(void)
{
	char cmd[128];
	log_close();
	close(logfd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

/* ---- helpers ---------------------------------------------------------------------- */

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* DIR/name in one of a few rotating buffers: copy it (LOCAL_PATH) to keep it. */
static const char *path(const char *name)
{
	static char buf[4][256];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, name);
	return buf[k];
}

#define LOCAL_PATH(var, name) \
	char var[256]; \
	snprintf(var, sizeof(var), "%s", path(name))

static void write_file(const char *p, const char *text, mode_t mode)
{
	FILE *f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	chmod(p, mode);
}

static char *read_file(const char *p)
{
	static char buf[1 << 16];
	FILE *f = fopen(p, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = '\0';
	return buf;
}

static int count_lines(const char *p)
{
	int k = 0;
	for (const char *s = read_file(p); *s; s++)
		k += *s == '\n';
	return k;
}

/* rec.sh OUT SECONDS WORDS...: "start WORDS", sleep, "end WORDS". */
static void write_recorder(void)
{
	write_file(path("rec.sh"),
		   "#!/bin/sh\n"
		   "out=$1; s=$2; shift 2\n"
		   "echo \"start $*\" >> \"$out\"\n"
		   "sleep \"$s\"\n"
		   "echo \"end $*\" >> \"$out\"\n", 0755);
}

static struct notify_script script_of(const char *cmd)
{
	struct notify_script s = { .cmd = (char *)cmd };
	return s;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	static char buf[8][512];
	static int k;
	va_list ap;
	k = (k + 1) % 8;
	va_start(ap, f);
	vsnprintf(buf[k], sizeof(buf[k]), f, ap);
	va_end(ap);
	return buf[k];
}

struct run {
	uv_loop_t loop;
	struct config *cfg;
	struct vrrp_notifier *n;
	bool drained;
	uint64_t t0, drained_at;
	struct notify_stats st;
};

static void start(struct run *r, const char *conf_text)
{
	memset(r, 0, sizeof(*r));
	ck_assert_int_eq(uv_loop_init(&r->loop), 0);
	r->cfg = parse_ok(conf_text, NULL);
	r->n = vrrp_notifier_new(&r->loop, r->cfg, NULL);
	r->t0 = now_ms();
}

static void on_drained(void *data)
{
	struct run *r = data;
	r->drained = true;
	r->drained_at = now_ms();
	vrrp_notifier_stats(r->n, &r->st);
	vrrp_notifier_free(r->n);
	r->n = NULL;
}

/* Let every queued script and email finish (bounded), free the notifier
 * and run the loop until nothing is left. */
static void drain_and_finish(struct run *r, uint64_t timeout_us)
{
	vrrp_notifier_drain(r->n, timeout_us, on_drained, r);
	uv_run(&r->loop, UV_RUN_DEFAULT);
	ck_assert_msg(r->drained, "drain never called back");
	ck_assert_ptr_null(r->n);
	ck_assert_int_eq(uv_loop_close(&r->loop), 0);
	conf_unref(r->cfg);
}

static const char *const base_conf = "global_defs {\n router_id r1\n}\n";

/* ---- pure parts ---------------------------------------------------------------------- */

START_TEST(pure_parts)
{
	struct global_defs g;
	char line[128], subj[256];
	const char *body;

	memset(&g, 0, sizeof(g));
	g.smtp_alert = g.smtp_alert_vrrp = g.smtp_alert_checker = TRISTATE_UNSET;
	ck_assert(!notify_smtp_enabled(TRI_UNSET, &g));           /* keepalived: off */
	ck_assert(notify_smtp_enabled(TRI_ON, &g));
	g.smtp_alert = 1;
	ck_assert(notify_smtp_enabled(TRI_UNSET, &g));
	ck_assert(!notify_smtp_enabled(TRI_OFF, &g));
	g.smtp_alert_vrrp = 0;                                     /* more specific wins */
	ck_assert(!notify_smtp_enabled(TRI_UNSET, &g));
	ck_assert(notify_smtp_enabled(TRI_ON, &g));
	g.smtp_alert = 0;
	g.smtp_alert_vrrp = 1;
	ck_assert(notify_smtp_enabled(TRI_UNSET, &g));

	ck_assert_int_eq(notify_fifo_line(line, sizeof(line), "INSTANCE", "VI_1", "MASTER", 100), 27);
	ck_assert_str_eq(line, "INSTANCE \"VI_1\" MASTER 100\n");
	notify_fifo_line(line, sizeof(line), "GROUP", "G 1", "BACKUP", 0);
	ck_assert_str_eq(line, "GROUP \"G 1\" BACKUP 0\n");

	ck_assert(notify_email_text("r1", "INSTANCE", "VI_1", "MASTER", subj, sizeof(subj), &body));
	ck_assert_str_eq(subj, "[r1] VRRP Instance VI_1 - Entering MASTER state");
	ck_assert_str_eq(body, "=> VRRP Instance is now owning VRRP VIPs <=");
	ck_assert(notify_email_text("r1", "INSTANCE", "VI_1", "BACKUP", subj, sizeof(subj), &body));
	ck_assert_str_eq(subj, "[r1] VRRP Instance VI_1 - Entering BACKUP state");
	ck_assert_str_eq(body, "=> VRRP Instance is no longer owning VRRP VIPs <=");
	ck_assert(notify_email_text("r1", "INSTANCE", "VI_1", "FAULT", subj, sizeof(subj), &body));
	ck_assert_str_eq(subj, "[r1] VRRP Instance VI_1 - Entering FAULT state");
	ck_assert_str_eq(body, "=> VRRP Instance is no longer owning VRRP VIPs <=");
	ck_assert(notify_email_text("r1", "INSTANCE", "VI_1", "STOP", subj, sizeof(subj), &body));
	ck_assert_str_eq(subj, "[r1] VRRP Instance VI_1 - Stopping");
	ck_assert_str_eq(body, "=> VRRP Instance stopping <=");
	ck_assert(notify_email_text("r1", "GROUP", "G1", "MASTER", subj, sizeof(subj), &body));
	ck_assert_str_eq(subj, "[r1] VRRP Group G1 - Entering MASTER state");
	ck_assert_str_eq(body, "=> All VRRP group instances are now in MASTER state <=");
	ck_assert(notify_email_text("r1", "GROUP", "G1", "FAULT", subj, sizeof(subj), &body));
	ck_assert_str_eq(body, "=> All VRRP group instances are now in FAULT state <=");
	ck_assert(notify_email_text("r1", "GROUP", "G1", "STOP", subj, sizeof(subj), &body));
	ck_assert_str_eq(subj, "[r1] VRRP Group G1 - Stopping");
	ck_assert_str_eq(body, "=> All VRRP group instances are now stopping <=");
	ck_assert(!notify_email_text("r1", "INSTANCE", "VI_1", "DELETED", subj, sizeof(subj), &body));
}
END_TEST

/* ---- scripts ---------------------------------------------------------------------------- */

/* Three transitions at once on one queue: notify_<state> then notify with
 * its four arguments, each run whole before the next starts. */
START_TEST(order_and_arguments)
{
	struct run r;
	write_recorder();
	LOCAL_PATH(out, "out");
	struct notify_script m = script_of(fmt("%s %s 0.2 master", path("rec.sh"), out)),
			     b = script_of(fmt("%s %s 0.2 backup", path("rec.sh"), out)),
			     f = script_of(fmt("%s %s 0.2 fault", path("rec.sh"), out)),
			     any = script_of(fmt("%s %s 0.2 any", path("rec.sh"), out));
	struct notify_set set = { .master = &m, .backup = &b, .fault = &f, .any = &any };

	start(&r, base_conf);
	struct notify_queue *q = notify_queue_new(r.n, "INSTANCE", "VI_1");
	notify_transition(q, &set, TRI_UNSET, "MASTER", 100);
	notify_transition(q, &set, TRI_UNSET, "BACKUP", 100);
	notify_transition(q, &set, TRI_UNSET, "FAULT", 90);
	drain_and_finish(&r, 20 * SEC);

	ck_assert_str_eq(read_file(out),
			 "start master\nend master\n"
			 "start any INSTANCE VI_1 MASTER 100\nend any INSTANCE VI_1 MASTER 100\n"
			 "start backup\nend backup\n"
			 "start any INSTANCE VI_1 BACKUP 100\nend any INSTANCE VI_1 BACKUP 100\n"
			 "start fault\nend fault\n"
			 "start any INSTANCE VI_1 FAULT 90\nend any INSTANCE VI_1 FAULT 90\n");
	ck_assert_uint_ge(r.drained_at - r.t0, 6 * 200);            /* one at a time */
	ck_assert_int_eq(r.st.scripts_run, 6);
	ck_assert_int_eq(r.st.scripts_failed, 0);
}
END_TEST

/* A command that needs a shell gets the four arguments appended to its
 * text, each quoted (as keepalived's system() of the joined words); a
 * group reports priority 0; DELETED runs only the generic script. */
START_TEST(shell_command_and_group)
{
	struct run r;
	LOCAL_PATH(out, "out");
	struct notify_script any = script_of(fmt("printf '%%s|' >> %s", out));
	struct notify_script stop = script_of(fmt("echo stop >> %s", out));
	struct notify_set set = { .stop = &stop, .any = &any };

	start(&r, base_conf);
	struct notify_queue *g = notify_queue_new(r.n, "GROUP", "G 1");
	notify_transition(g, &set, TRI_UNSET, "STOP", 0);
	notify_transition(g, &set, TRI_UNSET, "DELETED", 0);
	drain_and_finish(&r, 10 * SEC);
	ck_assert_str_eq(read_file(out), "stop\nGROUP|G 1|STOP|0|GROUP|G 1|DELETED|0|");
}
END_TEST

/* Two queues run side by side: both scripts start before either ends. */
START_TEST(queues_in_parallel)
{
	struct run r;
	write_recorder();
	LOCAL_PATH(out, "out");
	struct notify_script a = script_of(fmt("%s %s 0.5 A", path("rec.sh"), out));
	struct notify_script b = script_of(fmt("%s %s 0.5 B", path("rec.sh"), out));
	struct notify_set sa = { .master = &a }, sb = { .master = &b };

	start(&r, base_conf);
	struct notify_queue *qa = notify_queue_new(r.n, "INSTANCE", "VI_A");
	struct notify_queue *qb = notify_queue_new(r.n, "INSTANCE", "VI_B");
	notify_transition(qa, &sa, TRI_UNSET, "MASTER", 100);
	notify_transition(qb, &sb, TRI_UNSET, "MASTER", 100);
	drain_and_finish(&r, 10 * SEC);

	const char *t = read_file(out);
	const char *sA = strstr(t, "start A"), *sB = strstr(t, "start B");
	const char *eA = strstr(t, "end A"), *eB = strstr(t, "end B");
	ck_assert_msg(sA && sB && eA && eB, "%s", t);
	ck_assert_msg(sA < eA && sA < eB && sB < eA && sB < eB, "not in parallel: %s", t);
	ck_assert_uint_lt(r.drained_at - r.t0, 950);
}
END_TEST

/* A script that hangs is killed at the timeout; the queue goes on. */
START_TEST(hung_script_killed)
{
	struct run r;
	write_recorder();
	LOCAL_PATH(out, "out");
	struct notify_script m = script_of("sleep 30");
	struct notify_script any = script_of(fmt("%s %s 0 any", path("rec.sh"), out));
	struct notify_set set = { .master = &m, .any = &any };

	start(&r, base_conf);
	vrrp_notifier_set_script_timeout(r.n, 300000);
	struct notify_queue *q = notify_queue_new(r.n, "INSTANCE", "VI_1");
	notify_transition(q, &set, TRI_UNSET, "MASTER", 100);
	drain_and_finish(&r, 10 * SEC);

	uint64_t took = r.drained_at - r.t0;
	ck_assert_msg(took >= 280 && took < 3000, "took %llu ms", (unsigned long long)took);
	ck_assert_int_eq(r.st.scripts_timed_out, 1);
	ck_assert_int_eq(r.st.scripts_failed, 1);
	ck_assert_str_eq(read_file(out), "start any INSTANCE VI_1 MASTER 100\nend any INSTANCE VI_1 MASTER 100\n");
	ck_assert_msg(logged("(VI_1) notify_master 'sleep 30' timed out, killed after"), "%s", logs);
}
END_TEST

/* issue 17 (7): a notify_master hung on the network holds back the next
 * transition's notify_fault for vrrp_notify_script_hold only, not until
 * its timeout kills it; it runs on meanwhile, and is logged. */
START_TEST(hung_script_stops_holding_back)
{
	struct run r;
	LOCAL_PATH(out, "out");
	struct notify_script m = script_of(fmt("sleep 1; echo master-1s >> %s; sleep 30", out));
	struct notify_script f = script_of(fmt("echo fault >> %s", out));
	struct notify_set set = { .master = &m, .fault = &f };

	start(&r, "global_defs {\n vrrp_notify_script_hold 0.2\n}\n");
	vrrp_notifier_set_script_timeout(r.n, 3 * SEC);
	struct notify_queue *q = notify_queue_new(r.n, "INSTANCE", "VI_1");
	notify_transition(q, &set, TRI_UNSET, "MASTER", 100);
	notify_transition(q, &set, TRI_UNSET, "FAULT", 100);
	drain_and_finish(&r, 10 * SEC);

	/* fault ran at ~0.2 s, while master still ran (it wrote at 1 s) */
	ck_assert_str_eq(read_file(out), "fault\nmaster-1s\n");
	ck_assert_int_eq(r.st.scripts_held, 1);
	ck_assert_int_eq(r.st.scripts_timed_out, 1);     /* its timeout still applies */
	ck_assert_int_eq(r.st.scripts_run, 2);
	ck_assert_msg(logged("(VI_1) notify_master 'sleep 1; echo master-1s >> "), "%s", logs);
	ck_assert_msg(logged("still running after 0.2 s (vrrp_notify_script_hold); the next "
			     "notify scripts no longer wait for it, it is killed at 3 s"), "%s", logs);
}
END_TEST

/* issue 17 (8): what a notify script starts in the background outlives
 * it and may write to its stdout and stderr (no pipe closed under it:
 * SIGPIPE killed it at its first write). */
START_TEST(background_child_lives_on)
{
	struct run r;
	LOCAL_PATH(out, "out");
	struct notify_script m = script_of(fmt("(sleep 0.3; echo to stdout; echo to stderr >&2; "
					       "echo alive >> %s) &", out));
	struct notify_set set = { .master = &m };

	start(&r, base_conf);
	struct notify_queue *q = notify_queue_new(r.n, "INSTANCE", "VI_1");
	notify_transition(q, &set, TRI_UNSET, "MASTER", 100);
	drain_and_finish(&r, 10 * SEC);
	ck_assert_int_eq(r.st.scripts_failed, 0);
	for (int i = 0; i < 100 && access(out, F_OK) != 0; i++)
		usleep(20000);
	ck_assert_msg(access(out, F_OK) == 0, "the background child died before writing");
	ck_assert_str_eq(read_file(out), "alive\n");
}
END_TEST

/* Freeing cancels: the running script is killed, the waiting ones never
 * run, and nothing is left once the loop ends. */
START_TEST(free_cancels)
{
	uv_loop_t loop;
	write_recorder();
	LOCAL_PATH(out, "out");
	struct notify_script m = script_of("sleep 30");
	struct notify_script any = script_of(fmt("%s %s 0 any", path("rec.sh"), out));
	struct notify_set set = { .master = &m, .any = &any };

	ck_assert_int_eq(uv_loop_init(&loop), 0);
	struct config *cfg = parse_ok(base_conf, NULL);
	struct vrrp_notifier *n = vrrp_notifier_new(&loop, cfg, NULL);
	struct notify_queue *q1 = notify_queue_new(n, "INSTANCE", "VI_1");
	struct notify_queue *q2 = notify_queue_new(n, "INSTANCE", "VI_2");
	struct notify_queue *q3 = notify_queue_new(n, "INSTANCE", "VI_3");
	notify_transition(q1, &set, TRI_UNSET, "MASTER", 100);
	notify_transition(q2, &set, TRI_UNSET, "MASTER", 100);
	uv_run(&loop, UV_RUN_NOWAIT);            /* the scripts start */
	notify_queue_free(q2);                  /* one queue alone */
	notify_queue_free(q3);                  /* an idle one */
	uint64_t t0 = now_ms();
	vrrp_notifier_free(n);                  /* the rest */
	uv_run(&loop, UV_RUN_DEFAULT);
	ck_assert_uint_lt(now_ms() - t0, 2000);
	ck_assert_int_eq(uv_loop_close(&loop), 0);
	conf_unref(cfg);
	ck_assert_str_eq(read_file(out), "");   /* "notify" never ran */
	ck_assert_int_eq(count_logged("notify_master 'sleep 30' cancelled"), 2);
}
END_TEST

/* Users: unknown names disable the script (logged once), a known one
 * runs the script as that user. */
START_TEST(users)
{
	struct run r;
	LOCAL_PATH(out, "uid");
	struct notify_script bad = script_of(fmt("touch %s", path("bad")));
	bad.user = "no_such_user_vigil";
	struct notify_script badgrp = script_of(fmt("touch %s", path("badgrp")));
	badgrp.user = "root";
	badgrp.group = "no_such_group_vigil";
	struct notify_script who = script_of(fmt("sh -c 'id -u > %s; id -g >> %s'", out, out));
	struct passwd *pw = getpwnam("nobody");
	bool as_nobody = geteuid() == 0 && pw;
	if (as_nobody) {
		who.user = "nobody";
		chmod(dir, 0777);
	}
	struct notify_set set = { .master = &bad, .backup = &badgrp, .any = &who };

	start(&r, base_conf);
	struct notify_queue *q = notify_queue_new(r.n, "INSTANCE", "VI_1");
	notify_transition(q, &set, TRI_UNSET, "MASTER", 100);
	notify_transition(q, &set, TRI_UNSET, "MASTER", 100);
	notify_transition(q, &set, TRI_UNSET, "BACKUP", 100);
	drain_and_finish(&r, 10 * SEC);

	ck_assert_int_eq(access(path("bad"), F_OK), -1);
	ck_assert_int_eq(access(path("badgrp"), F_OK), -1);
	ck_assert_int_eq(r.st.scripts_skipped, 3);
	ck_assert_int_eq(count_logged("script user 'no_such_user_vigil' does not exist"), 1);
	ck_assert_int_eq(count_logged("script group 'no_such_group_vigil' does not exist"), 1);
	ck_assert_int_eq(count_logged("(VI_1) notify_master"), 1);          /* once per slot */
	if (as_nobody) {
		char want[64];
		snprintf(want, sizeof(want), "%u\n%u\n", (unsigned)pw->pw_uid, (unsigned)pw->pw_gid);
		const char *got = read_file(out);
		ck_assert_msg(!strncmp(got, want, strlen(want)), "ran as <%s>, want <%s>", got, want);
	}
}
END_TEST

/* script_user naming an unknown user disables the scripts without a
 * user of their own (keepalived: "Failed to set default user"). */
START_TEST(unknown_script_user)
{
	struct run r;
	struct notify_script s = script_of(fmt("touch %s", path("ran")));
	struct notify_set set = { .master = &s };

	start(&r, "global_defs {\n script_user no_such_user_vigil\n}\n");
	struct notify_queue *q = notify_queue_new(r.n, "INSTANCE", "VI_1");
	notify_transition(q, &set, TRI_UNSET, "MASTER", 100);
	drain_and_finish(&r, 5 * SEC);
	ck_assert_int_eq(access(path("ran"), F_OK), -1);
	ck_assert_msg(logged("script_user no_such_user_vigil does not exist"), "%s", logs);
}
END_TEST

/* enable_script_security without keepalived_script (or script_user):
 * keepalived will not run scripts as root by default, nor will vigil. */
START_TEST(security_needs_a_user)
{
	struct run r;
	struct notify_script s = script_of(fmt("touch %s", path("ran")));
	struct notify_set set = { .master = &s };

	if (getpwnam("keepalived_script"))
		return;                     /* the rule needs the user to be missing */
	start(&r, "global_defs {\n enable_script_security\n}\n");
	struct notify_queue *q = notify_queue_new(r.n, "INSTANCE", "VI_1");
	notify_transition(q, &set, TRI_UNSET, "MASTER", 100);
	drain_and_finish(&r, 5 * SEC);
	ck_assert_int_eq(access(path("ran"), F_OK), -1);
	ck_assert_msg(logged("unable to set default user keepalived_script"), "%s", logs);
}
END_TEST

/* Scripts of the configuration are looked up at creation. */
START_TEST(config_scripts_prepared)
{
	struct run r;
	start(&r, "global_defs {\n router_id r1\n}\n"
		  "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
		  " notify_master /bin/true no_such_user_vigil\n}\n");
	/* logged before any transition */
	ck_assert_msg(logged("script user 'no_such_user_vigil' does not exist"), "%s", logs);
	drain_and_finish(&r, SEC);
}
END_TEST

/* ---- FIFO ----------------------------------------------------------------------------- */

START_TEST(fifo_lines)
{
	struct run r;
	char buf[512];
	struct stat st;
	LOCAL_PATH(fifo, "fifo");

	start(&r, fmt("global_defs {\n vrrp_notify_fifo %s\n}\n", fifo));
	ck_assert_int_eq(stat(fifo, &st), 0);
	ck_assert(S_ISFIFO(st.st_mode));                    /* made by the notifier */
	struct notify_queue *q = notify_queue_new(r.n, "INSTANCE", "VI_1");
	struct notify_queue *g = notify_queue_new(r.n, "GROUP", "G1");
	notify_transition(q, NULL, TRI_UNSET, "MASTER", 100);
	notify_transition(g, NULL, TRI_UNSET, "BACKUP", 0);
	notify_event(q, NULL, "MASTER_RX_LOWER_PRI", 100);
	notify_transition(q, NULL, TRI_UNSET, "FAULT", 0);

	/* The lines wait in the pipe for a reader that comes later. */
	int fd = open(fifo, O_RDONLY | O_NONBLOCK);
	ck_assert_int_ge(fd, 0);
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	close(fd);
	ck_assert_str_eq(buf, "INSTANCE \"VI_1\" MASTER 100\n"
			      "GROUP \"G1\" BACKUP 0\n"
			      "INSTANCE \"VI_1\" MASTER_RX_LOWER_PRI 100\n"
			      "INSTANCE \"VI_1\" FAULT 0\n");
	drain_and_finish(&r, SEC);
	ck_assert_int_eq(r.st.fifo_lines, 4);
	ck_assert_int_eq(stat(fifo, &st), -1);            /* it made it, it removed it */
}
END_TEST

struct poll_file {
	const char *file;
	int lines;
	struct vrrp_notifier **n;
	uint64_t deadline;
};

static void on_poll_file(uv_timer_t *t)
{
	struct poll_file *p = t->data;
	if (count_lines(p->file) >= p->lines || now_ms() > p->deadline) {
		vrrp_notifier_free(*p->n);
		*p->n = NULL;
		uv_close((uv_handle_t *)t, NULL);
	}
}

/* A FIFO made for "vrrp_notify_fifo PATH USER" belongs to USER. */
START_TEST(fifo_owner)
{
	struct run r;
	struct stat st;
	struct passwd *pw = getpwnam("nobody");
	LOCAL_PATH(fifo, "fifo");

	if (geteuid() != 0 || !pw)
		return;
	uid_t uid = pw->pw_uid;
	start(&r, fmt("global_defs {\n vrrp_notify_fifo %s nobody\n}\n", fifo));
	ck_assert_int_eq(stat(fifo, &st), 0);
	ck_assert_int_eq(st.st_uid, uid);
	/* 0600: nobody but its user reads root's notifications. */
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	drain_and_finish(&r, SEC);
}
END_TEST

/* Issue 15, hole 3: a symbolic link planted where the FIFO goes, to a
 * root-owned file. The notifier must not write through it, nor change
 * the file's owner or mode. */
START_TEST(fifo_planted_link)
{
	struct run r;
	struct stat st;
	char buf[64];
	LOCAL_PATH(fifo, "fifo");
	LOCAL_PATH(victim, "victim");

	write_file(victim, "precious\n", 0600);
	ck_assert_int_eq(symlink(victim, fifo), 0);
	start(&r, fmt("global_defs {\n vrrp_notify_fifo %s nobody\n}\n", fifo));
	struct notify_queue *q = notify_queue_new(r.n, "INSTANCE", "VI_1");
	notify_transition(q, NULL, TRI_UNSET, "MASTER", 100);
	drain_and_finish(&r, SEC);
	ck_assert_int_eq(r.st.fifo_lines, 0);
	ck_assert_msg(logged("is a symbolic link: not writing through it"), "%s", logs);
	ck_assert_int_eq(stat(victim, &st), 0);
	ck_assert_int_eq(st.st_uid, geteuid());
	ck_assert_int_eq(st.st_mode & 07777, 0600);
	FILE *f = fopen(victim, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
	fclose(f);
	ck_assert_str_eq(buf, "precious\n");
	ck_assert_int_eq(lstat(fifo, &st), 0);       /* the link is not ours to remove */
	ck_assert(S_ISLNK(st.st_mode));
	unlink(fifo);
}
END_TEST

/* An existing FIFO is used only when root (or the FIFO's or reader's
 * user) owns it and others cannot write to it: a FIFO another user
 * planted, or one anyone may write to, would carry forged lines to a
 * reader. */
START_TEST(fifo_foreign_refused)
{
	struct run r;
	struct passwd *pw = getpwnam("nobody");
	LOCAL_PATH(fifo, "fifo");

	/* Writable by everyone, root's: refused. */
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert_int_eq(chmod(fifo, 0666), 0);
	start(&r, fmt("global_defs {\n vrrp_notify_fifo %s\n}\n", fifo));
	notify_transition(notify_queue_new(r.n, "INSTANCE", "VI_1"), NULL, TRI_UNSET, "MASTER",
			  100);
	drain_and_finish(&r, SEC);
	ck_assert_int_eq(r.st.fifo_lines, 0);
	ck_assert_msg(logged("(mode 0666): only root, the FIFO's user or its reader's may own it"),
		      "%s", logs);
	/* Made safe, it is used (and, not ours, left in place). */
	ck_assert_int_eq(chmod(fifo, 0644), 0);
	start(&r, fmt("global_defs {\n vrrp_notify_fifo %s\n}\n", fifo));
	notify_transition(notify_queue_new(r.n, "INSTANCE", "VI_1"), NULL, TRI_UNSET, "MASTER",
			  100);
	drain_and_finish(&r, SEC);
	ck_assert_int_eq(r.st.fifo_lines, 1);
	if (geteuid() == 0 && pw) {
		/* Owned by another user than root or the FIFO's: refused. */
		ck_assert_int_eq(chown(fifo, pw->pw_uid, pw->pw_gid), 0);
		start(&r, fmt("global_defs {\n vrrp_notify_fifo %s\n}\n", fifo));
		notify_transition(notify_queue_new(r.n, "INSTANCE", "VI_1"), NULL, TRI_UNSET,
				  "MASTER", 100);
		drain_and_finish(&r, SEC);
		ck_assert_int_eq(r.st.fifo_lines, 0);
		ck_assert_msg(logged("is owned by uid"), "%s", logs);
		/* ... unless it is the FIFO's user. */
		start(&r, fmt("global_defs {\n vrrp_notify_fifo %s nobody\n}\n", fifo));
		notify_transition(notify_queue_new(r.n, "INSTANCE", "VI_1"), NULL, TRI_UNSET,
				  "MASTER", 100);
		drain_and_finish(&r, SEC);
		ck_assert_int_eq(r.st.fifo_lines, 1);
	}
	unlink(fifo);
}
END_TEST

/* vrrp_notify_fifo_script reads the FIFO: started once, with the FIFO
 * path as its last argument; it sees EOF when the notifier goes. Both
 * FIFOs get the lines. */
START_TEST(fifo_script)
{
	struct run r;
	uv_timer_t t;
	LOCAL_PATH(got, "got");
	LOCAL_PATH(fifo, "vfifo");
	LOCAL_PATH(gfifo, "gfifo");
	write_file(path("reader.sh"),
		   "#!/bin/sh\n"
		   "out=$1; fifo=$2\n"
		   "while read -r line; do echo \"$line\" >> \"$out\"; done < \"$fifo\"\n", 0755);

	start(&r, fmt("global_defs {\n vrrp_notify_fifo %s\n vrrp_notify_fifo_script \"%s %s\"\n"
		      " notify_fifo %s\n}\n", fifo, path("reader.sh"), got, gfifo));
	struct notify_queue *q = notify_queue_new(r.n, "INSTANCE", "VI_1");
	notify_transition(q, NULL, TRI_UNSET, "BACKUP", 100);
	notify_transition(q, NULL, TRI_UNSET, "MASTER", 100);
	notify_transition(q, NULL, TRI_UNSET, "STOP", 100);
	struct vrrp_notifier *n = r.n;
	struct poll_file p = { got, 3, &n, now_ms() + 5000 };
	uv_timer_init(&r.loop, &t);
	t.data = &p;
	uv_timer_start(&t, on_poll_file, 20, 20);
	uv_run(&r.loop, UV_RUN_DEFAULT);
	ck_assert_int_eq(uv_loop_close(&r.loop), 0);
	conf_unref(r.cfg);
	/* the script saw EOF and ended on its own, well before the grace */
	ck_assert_uint_lt(now_ms() - r.t0, 900);
	ck_assert_str_eq(read_file(got), "INSTANCE \"VI_1\" BACKUP 100\n"
					 "INSTANCE \"VI_1\" MASTER 100\n"
					 "INSTANCE \"VI_1\" STOP 100\n");
	ck_assert_msg(logged("vrrp_notify_fifo_script '"), "%s", logs);
	ck_assert_msg(logged("ended: exited with status 0"), "%s", logs);
	struct stat st;
	ck_assert_int_eq(stat(gfifo, &st), -1);
	ck_assert_int_eq(stat(fifo, &st), -1);
}
END_TEST

/* Five reloads in a row: each new notifier shares the FIFO and its
 * reader with the one it replaces, so the FIFO is never unlinked, the
 * reader is started once and gets every line; a reload that changes the
 * reader keeps the FIFO too. Only the last notifier removes it. */
START_TEST(fifo_survives_reloads)
{
	uv_loop_t loop;
	uv_timer_t t;
	struct stat st;
	LOCAL_PATH(got, "got");
	LOCAL_PATH(starts, "starts");
	LOCAL_PATH(fifo, "vfifo");
	write_file(path("reader.sh"),
		   "#!/bin/sh\n"
		   "out=$1; starts=$2; fifo=$3\n"
		   "echo start >> \"$starts\"\n"
		   "while read -r line; do echo \"$line\" >> \"$out\"; done < \"$fifo\"\n", 0755);
	const char *text = fmt("global_defs {\n vrrp_notify_fifo %s\n"
			       " vrrp_notify_fifo_script \"%s %s %s\"\n}\n",
			       fifo, path("reader.sh"), got, starts);
	ck_assert_int_eq(uv_loop_init(&loop), 0);
	struct vrrp_notifier *n = NULL;
	ino_t ino = 0;
	for (int i = 0; i < 5; i++) {
		struct config *cfg = parse_ok(text, NULL);
		struct vrrp_notifier *next = vrrp_notifier_new(&loop, cfg, n);
		conf_unref(cfg);                     /* the notifier holds its own */
		vrrp_notifier_free(n);
		n = next;
		for (int k = 0; k < 5; k++)
			uv_run(&loop, UV_RUN_NOWAIT);
		ck_assert_int_eq(stat(fifo, &st), 0);
		ck_assert(S_ISFIFO(st.st_mode));
		if (i == 0)
			ino = st.st_ino;
		ck_assert_int_eq(st.st_ino, ino);   /* never re-created */
		struct notify_queue *q = notify_queue_new(n, "INSTANCE", "VI_1");
		notify_transition(q, NULL, TRI_UNSET, i % 2 ? "MASTER" : "BACKUP", 100);
		notify_queue_free(q);
	}
	struct poll_file p = { got, 5, &n, now_ms() + 5000 };
	uv_timer_init(&loop, &t);
	t.data = &p;
	uv_timer_start(&t, on_poll_file, 20, 20);
	uv_run(&loop, UV_RUN_DEFAULT);
	ck_assert_int_eq(uv_loop_close(&loop), 0);
	ck_assert_str_eq(read_file(got), "INSTANCE \"VI_1\" BACKUP 100\n"
					 "INSTANCE \"VI_1\" MASTER 100\n"
					 "INSTANCE \"VI_1\" BACKUP 100\n"
					 "INSTANCE \"VI_1\" MASTER 100\n"
					 "INSTANCE \"VI_1\" BACKUP 100\n");
	ck_assert_str_eq(read_file(starts), "start\n");   /* one reader for all five */
	ck_assert_int_eq(count_logged("ended: "), 1);
	ck_assert_int_eq(stat(fifo, &st), -1);            /* the last one removed it */

	/* Another reader on the same FIFO: the old object's release must not
	 * unlink the FIFO the new one uses. */
	ck_assert_int_eq(uv_loop_init(&loop), 0);
	struct config *c1 = parse_ok(text, NULL);
	struct config *c2 = parse_ok(fmt("global_defs {\n vrrp_notify_fifo %s\n"
					 " vrrp_notify_fifo_script \"%s %s.2 %s\"\n}\n",
					 fifo, path("reader.sh"), got, starts), NULL);
	struct vrrp_notifier *a = vrrp_notifier_new(&loop, c1, NULL);
	struct vrrp_notifier *b = vrrp_notifier_new(&loop, c2, a);
	vrrp_notifier_free(a);
	ck_assert_int_eq(stat(fifo, &st), 0);
	vrrp_notifier_free(b);
	ck_assert_int_eq(stat(fifo, &st), -1);
	uv_run(&loop, UV_RUN_DEFAULT);
	ck_assert_int_eq(uv_loop_close(&loop), 0);
	conf_unref(c1);
	conf_unref(c2);
}
END_TEST

/* Nobody reads: the pipe fills, lines are dropped and counted, the loop
 * never waits, and the drops are logged (not once per line). */
START_TEST(fifo_no_reader)
{
	struct run r;
	LOCAL_PATH(fifo, "fifo");
	start(&r, fmt("global_defs {\n notify_fifo %s\n}\n", fifo));
	struct notify_queue *q = notify_queue_new(r.n, "INSTANCE", "VI_1");
	uint64_t t0 = now_ms();
	for (int i = 0; i < 5000; i++)
		notify_transition(q, NULL, TRI_UNSET, i % 2 ? "MASTER" : "BACKUP", 100);
	ck_assert_uint_lt(now_ms() - t0, 2000);
	drain_and_finish(&r, SEC);
	ck_assert_int_eq(r.st.fifo_lines + r.st.fifo_dropped, 5000);
	ck_assert_int_gt(r.st.fifo_dropped, 0);
	ck_assert_int_gt(r.st.fifo_lines, 1000);       /* 64 KiB of lines got in */
	ck_assert_int_eq(count_logged("is full (nobody reads it?)"), 1);
}
END_TEST

/* A FIFO that cannot be made or opened is logged once and retried. */
START_TEST(fifo_retry)
{
	struct run r;
	char sub[256], fifo[300], buf[256];
	snprintf(sub, sizeof(sub), "%s", path("later"));
	snprintf(fifo, sizeof(fifo), "%s/fifo", sub);

	start(&r, fmt("global_defs {\n vrrp_notify_fifo %s\n}\n", fifo));
	struct notify_queue *q = notify_queue_new(r.n, "INSTANCE", "VI_1");
	notify_transition(q, NULL, TRI_UNSET, "BACKUP", 100);
	notify_transition(q, NULL, TRI_UNSET, "MASTER", 100);
	ck_assert_int_eq(count_logged("cannot open vrrp_notify_fifo"), 1);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	notify_transition(q, NULL, TRI_UNSET, "FAULT", 0);
	ck_assert_msg(logged("is open again"), "%s", logs);
	int fd = open(fifo, O_RDONLY | O_NONBLOCK);
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	close(fd);
	ck_assert_str_eq(buf, "INSTANCE \"VI_1\" FAULT 0\n");
	drain_and_finish(&r, SEC);
	ck_assert_int_eq(r.st.fifo_dropped, 2);
	struct stat st;
	ck_assert_int_eq(stat(fifo, &st), 0);        /* not ours: left in place */
}
END_TEST

/* ---- email ------------------------------------------------------------------------------ */

START_TEST(email_alerts)
{
	struct run r;
	struct sink s;

	sink_start(&s, (const char *const[]){ "-n", "3", "-t", "15", NULL });
	start(&r, fmt("global_defs {\n router_id r1\n notification_email {\n  ops@example.com\n"
		      "  oncall@example.com\n }\n notification_email_from vigil@r1.example.com\n"
		      " smtp_server 127.0.0.1 %d\n smtp_connect_timeout 5\n no_email_faults\n"
		      " smtp_helo_name r1.example.com\n}\n", s.port));
	struct notify_queue *q = notify_queue_new(r.n, "INSTANCE", "VI_1");
	struct notify_queue *g = notify_queue_new(r.n, "GROUP", "G1");
	notify_transition(q, NULL, TRI_ON, "MASTER", 100);
	notify_transition(q, NULL, TRI_ON, "MASTER", 100);     /* same state: no second email */
	notify_transition(q, NULL, TRI_ON, "FAULT", 0);        /* no_email_faults */
	notify_transition(g, NULL, TRI_UNSET, "BACKUP", 0);    /* default off */
	notify_transition(g, NULL, TRI_ON, "BACKUP", 0);
	notify_transition(q, NULL, TRI_ON, "STOP", 100);
	drain_and_finish(&r, 10 * SEC);
	ck_assert_int_eq(sink_wait(&s), 0);
	ck_assert_int_eq(r.st.emails_sent, 3);
	ck_assert_int_eq(r.st.emails_failed, 0);

	const char *mail = sink_mail(&s);
	ck_assert_msg(strstr(mail, "\nSubject: [r1] VRRP Instance VI_1 - Entering MASTER state\n"),
		      "%s", mail);
	ck_assert_msg(strstr(mail, "\n=> VRRP Instance is now owning VRRP VIPs <=\n"), "%s", mail);
	ck_assert_msg(strstr(mail, "\nSubject: [r1] VRRP Group G1 - Entering BACKUP state\n"),
		      "%s", mail);
	ck_assert_msg(strstr(mail, "\n=> All VRRP group instances are now in BACKUP state <=\n"),
		      "%s", mail);
	ck_assert_msg(strstr(mail, "\nSubject: [r1] VRRP Instance VI_1 - Stopping\n"), "%s", mail);
	ck_assert_msg(strstr(mail, "\n=> VRRP Instance stopping <=\n"), "%s", mail);
	ck_assert_msg(!strstr(mail, "FAULT"), "%s", mail);
	ck_assert_msg(strstr(mail, "\nFrom: vigil@r1.example.com\n"), "%s", mail);
	ck_assert_msg(strstr(mail, "\nTo: ops@example.com, oncall@example.com\n"), "%s", mail);
	ck_assert_msg(strstr(mail, "HELO r1.example.com\nMAIL FROM:<vigil@r1.example.com>\n"
			     "RCPT TO:<ops@example.com>\nRCPT TO:<oncall@example.com>\n"), "%s", mail);
	ck_assert_msg(!strstr(mail, "=== message 4"), "%s", mail);
}
END_TEST

/* A server nobody listens on: logged, counted, and the drain still comes. */
START_TEST(email_server_down)
{
	struct run r;
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
	close(fd);

	start(&r, fmt("global_defs {\n notification_email {\n  ops@example.com\n }\n"
		      " smtp_server 127.0.0.1 %d\n smtp_alert_vrrp on\n}\n", ntohs(sin.sin_port)));
	struct notify_queue *q = notify_queue_new(r.n, "INSTANCE", "VI_1");
	notify_transition(q, NULL, TRI_UNSET, "MASTER", 100);
	drain_and_finish(&r, 10 * SEC);
	ck_assert_uint_lt(r.drained_at - r.t0, 2000);
	ck_assert_int_eq(r.st.emails_failed, 1);
	ck_assert_msg(logged("failed (connect failed): connect: connection refused; subject: ["),
		      "%s", logs);
	ck_assert_msg(logged("VRRP Instance VI_1 - Entering MASTER state"), "%s", logs);
}
END_TEST

static Suite *notify_suite(void)
{
	Suite *s = suite_create("notify");
	TCase *tc = tcase_create("notify");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, pure_parts);
	tcase_add_test(tc, order_and_arguments);
	tcase_add_test(tc, shell_command_and_group);
	tcase_add_test(tc, queues_in_parallel);
	tcase_add_test(tc, hung_script_killed);
	tcase_add_test(tc, background_child_lives_on);
	tcase_add_test(tc, hung_script_stops_holding_back);
	tcase_add_test(tc, free_cancels);
	tcase_add_test(tc, users);
	tcase_add_test(tc, unknown_script_user);
	tcase_add_test(tc, security_needs_a_user);
	tcase_add_test(tc, config_scripts_prepared);
	tcase_add_test(tc, fifo_lines);
	tcase_add_test(tc, fifo_owner);
	tcase_add_test(tc, fifo_planted_link);
	tcase_add_test(tc, fifo_foreign_refused);
	tcase_add_test(tc, fifo_script);
	tcase_add_test(tc, fifo_survives_reloads);
	tcase_add_test(tc, fifo_no_reader);
	tcase_add_test(tc, fifo_retry);
	tcase_add_test(tc, email_alerts);
	tcase_add_test(tc, email_server_down);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(notify_suite());
}
