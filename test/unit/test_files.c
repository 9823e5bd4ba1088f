/* test_files.c - the files a root daemon writes, attacked the way issue
 * 15 (hole 3) describes: symbolic links planted at the name vigil writes
 * or at the temporary name it used to use, a hard link, and a second
 * instance on a locked pid file (hole 4). Each attack aims at a root-owned
 * 0600 file that must come out unchanged. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "json.h"
#include "pidfile.h"

static char dir[64];

static const char *at(const char *name)
{
	static char buf[4][128];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, name);
	return buf[k];
}

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/vigil-files-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
}

static void write_text(const char *p, const char *text, mode_t mode)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, mode);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	ck_assert_int_eq(fchmod(fd, mode), 0);
	close(fd);
}

static char *read_text(const char *p)
{
	static char buf[256];
	int fd = open(p, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ck_assert_int_ge(n, 0);
	buf[n] = '\0';
	return buf;
}

/* The victim: still "secret\n", mode 0600. */
static void victim_intact(const char *p)
{
	struct stat st;
	ck_assert_int_eq(lstat(p, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(st.st_mode & 07777, 0600);
	ck_assert_str_eq(read_text(p), "secret\n");
}

static void doc(const void *data, FILE *f)
{
	fprintf(f, "{\"x\": %s}\n", (const char *)data);
}

START_TEST(json_never_through_a_link)
{
	const char *status = at("vigild.vrrp.json"), *victim = at("shadow");
	struct stat st;

	write_text(victim, "secret\n", 0600);
	/* The fixed temporary name of before, planted. */
	ck_assert_int_eq(symlink(victim, at("vigild.vrrp.json.tmp")), 0);
	ck_assert_int_eq(json_write_atomic(status, doc, "1"), 0);
	victim_intact(victim);
	ck_assert_str_eq(read_text(status), "{\"x\": 1}\n");

	/* The name itself, planted: replaced by the document, not followed. */
	unlink(status);
	ck_assert_int_eq(symlink(victim, status), 0);
	ck_assert_int_eq(json_write_atomic(status, doc, "2"), 0);
	victim_intact(victim);
	ck_assert_int_eq(lstat(status, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(st.st_mode & 07777, 0644);
	ck_assert_str_eq(read_text(status), "{\"x\": 2}\n");

	/* No temporary file is left behind. */
	char cmd[192];
	snprintf(cmd, sizeof(cmd), "ls '%s' | grep -c 'vigild.vrrp.json.' | grep -qx 1", dir);
	ck_assert_msg(system(cmd) == 0, "a temporary file was left in %s", dir);
}
END_TEST

START_TEST(pidfile_one_instance)
{
	const char *pf = at("vigild.pid");
	char why[512];
	pid_t stale = -1;

	int fd = pidfile_lock(pf, &stale, why, sizeof(why));
	ck_assert_msg(fd >= 0, "%s", why);
	ck_assert_int_eq(stale, 0);
	ck_assert_int_eq(pidfile_write(fd, getpid()), 0);

	/* A second instance (another process: flock is per open file, so a
	 * second open in this process conflicts too; a child shows it as the
	 * second daemon would see it). */
	pid_t child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		char w[512];
		pid_t s2;
		int fd2 = pidfile_lock(pf, &s2, w, sizeof(w));
		char want[64];
		snprintf(want, sizeof(want), "locked by a running vigild (pid %d)", (int)getppid());
		_exit(fd2 < 0 && strstr(w, want) ? 0 : 1);
	}
	int st;
	ck_assert_int_eq(waitpid(child, &st, 0), child);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the second instance was not refused");
	pidfile_release(fd, pf);
	ck_assert_int_eq(access(pf, F_OK), -1);
}
END_TEST

START_TEST(pidfile_stale_taken_over)
{
	const char *pf = at("vigild.pid");
	char why[512];
	pid_t stale = 0;

	/* A pid that is not running: a child that has exited and been reaped. */
	pid_t dead = fork();
	ck_assert_int_ge(dead, 0);
	if (dead == 0)
		_exit(0);
	ck_assert_int_eq(waitpid(dead, NULL, 0), dead);
	char text[32];
	snprintf(text, sizeof(text), "%d\n", (int)dead);
	write_text(pf, text, 0644);

	int fd = pidfile_lock(pf, &stale, why, sizeof(why));
	ck_assert_msg(fd >= 0, "%s", why);
	ck_assert_int_eq(stale, dead);
	ck_assert_int_eq(pidfile_write(fd, getpid()), 0);
	snprintf(text, sizeof(text), "%d\n", (int)getpid());
	ck_assert_str_eq(read_text(pf), text);
	pidfile_release(fd, pf);
}
END_TEST

START_TEST(pidfile_planted_links)
{
	const char *pf = at("vigild.pid"), *victim = at("shadow");
	char why[512];
	pid_t stale;

	write_text(victim, "secret\n", 0600);
	ck_assert_int_eq(symlink(victim, pf), 0);
	ck_assert_int_eq(pidfile_lock(pf, &stale, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "is a symbolic link"), "%s", why);
	victim_intact(victim);
	unlink(pf);

	/* A hard link to the victim: a second name of a file that is not
	 * ours to truncate. */
	ck_assert_int_eq(link(victim, pf), 0);
	ck_assert_int_eq(pidfile_lock(pf, &stale, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "with one link"), "%s", why);
	victim_intact(victim);
	unlink(pf);

	/* A directory, a FIFO: not a regular file. */
	ck_assert_int_eq(mkfifo(pf, 0600), 0);
	ck_assert_int_eq(pidfile_lock(pf, &stale, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "not a regular file"), "%s", why);
	unlink(pf);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("files");
	TCase *tc = tcase_create("files");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, json_never_through_a_link);
	tcase_add_test(tc, pidfile_one_instance);
	tcase_add_test(tc, pidfile_stale_taken_over);
	tcase_add_test(tc, pidfile_planted_links);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
