/* vigild.c - entry point: parse the command line, then either check the
 * configuration (-t) or run the daemon. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "conf.h"
#include "log.h"
#include "netns.h"
#include "options.h"
#include "privs.h"
#include "supervisor.h"
#include "check/worker.h"
#include "json.h"
#include "vrrp/status.h"
#include "vrrp/worker.h"

/* keepalived's default config-id: the node name up to its first dot. */
static const char *default_config_id(char *buf, size_t len)
{
	struct utsname u;
	if (uname(&u) < 0)
		return NULL;
	snprintf(buf, len, "%s", u.nodename);
	buf[strcspn(buf, ".")] = '\0';
	return buf;
}

/* -t: print every message; with --dump, the canonical model on stdout. */
static int config_test(const struct options *o, const char *config_id)
{
	struct conf_opts co = { config_id, true };
	struct diags d;

	diags_init(&d);
	struct config *cfg = conf_load_file(o->config_file, &co, &d);
	diags_print(&d, stderr);
	if (cfg && o->dump)
		conf_dump(stdout, cfg);
	if (!cfg)
		fprintf(stderr, "%s: configuration is not valid: %zu error(s), %zu warning(s)\n",
			o->config_file, d.nerrors, d.nwarnings);
	diags_free(&d);
	conf_unref(cfg);
	return cfg ? 0 : 1;
}

/* Copy one worker's status file to stdout, or print null; true when the
 * file was there. */
static bool print_file(const char *path)
{
	char buf[4096];
	FILE *f = fopen(path, "re");
	if (!f) {
		fputs("null", stdout);
		return false;
	}
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		/* The files end with a newline: keep the document one object. */
		if (n && buf[n - 1] == '\n' && feof(f))
			n--;
		fwrite(buf, 1, n, stdout);
	}
	fclose(f);
	return true;
}

/* --status: what the running daemon's workers last wrote, as
 * {"vrrp": ..., "check": ...} (null for a worker that is not running). */
static int print_status(const struct options *o)
{
	char vpath[4096], cpath[4096];
	vrrp_status_path(o->pidfile, vpath, sizeof(vpath));
	json_status_path(o->pidfile, ".check.json", cpath, sizeof(cpath));
	fputs("{\"vrrp\":", stdout);
	bool v = print_file(vpath);
	fputs(",\"check\":", stdout);
	bool c = print_file(cpath);
	fputs("}\n", stdout);
	if (!v && !c) {
		fprintf(stderr, "vigild: no status at %s or %s (is vigild running with -p %s?)\n",
			vpath, cpath, o->pidfile);
		return 1;
	}
	return 0;
}

/* keepalived's net_namespace (or -s, which wins) and instance: the
 * namespace the whole daemon runs in, and the name its pid files (and so
 * its status files) take, /run/vigild_NAME.pid, unless -p says otherwise,
 * so that two daemons can run on one host. Read from the file before
 * anything else; an unreadable file is left for the supervisor to report.
 * The pid file name is written into buf. */
static void instance_names(struct options *o, const char *config_id, char *buf, size_t len,
			   char *ns, size_t nslen)
{
	struct config *cfg = conf_load_quiet(o->config_file, config_id);
	const char *name = NULL;
	ns[0] = '\0';
	if (o->netns)
		snprintf(ns, nslen, "%s", o->netns);
	else if (cfg && cfg->net_namespace)
		snprintf(ns, nslen, "%s", cfg->net_namespace);
	if (cfg && cfg->instance_name)
		name = cfg->instance_name;
	else if (ns[0])
		name = ns;
	if (name && !o->pidfile_given) {
		snprintf(buf, len, "/run/vigild_%s.pid", name);
		o->pidfile = buf;
	}
	conf_unref(cfg);
}

/* --worker=vrrp|check: a process the supervisor starts. */
static int run_worker(const struct options *o, const char *config_id)
{
	bool vrrp = strcmp(o->worker, "vrrp") == 0;
	char status[4096], cstatus[4096];
	struct vrrp_worker_opts wo = { o->config_file, config_id,
				       vrrp_status_path(o->pidfile, status, sizeof(status)),
				       o->supervisor_pid };
	struct check_worker_opts co_check = {
		o->config_file, config_id, o->keep_ipvs,
		json_status_path(o->pidfile, ".check.json", cstatus, sizeof(cstatus)),
		o->supervisor_pid, o->check_only };
	struct log_opts lo = { vrrp ? "vigild_vrrp" : "vigild_check", o->facility,
			       o->log_console, o->log_detail };
	/* The supervisor passes SIGUSR1/SIGUSR2 on at any time, also while
	 * this process is still starting: they must not kill it before its
	 * loop handles them (lib/signals.c then takes them over). */
	signal(SIGUSR1, SIG_IGN);
	signal(SIGUSR2, SIG_IGN);
	log_open(&lo);
	/* The supervisor's death is watched from the worker's loop on (see
	 * lib/signals.h); a death before that is found there too. */
	struct config *cfg = conf_load_quiet(o->config_file, config_id);
	if (!cfg) {
		log_msg(LOG_ERR, "%s: the configuration does not load", o->worker);
		return 1;
	}
	/* Before anything else that uses a privilege, and before any thread
	 * exists (capabilities are per thread; reading the file made none):
	 * the set kept serves start-up and every reload. */
	char kept[256], why[256];
	if (privs_drop(vrrp ? PRIVS_VRRP : PRIVS_CHECK, cfg->net_namespace_ipvs != NULL, kept,
		       sizeof(kept), why, sizeof(why)) < 0)
		log_msg(LOG_WARNING, "%s: %s; running with every capability", o->worker, why);
	else
		log_msg(LOG_INFO, "%s: capabilities kept: %s (the others dropped)", o->worker, kept);
	umask(cfg->global.umask);      /* the supervisor set it too; a reload may change it */
	int rc = vrrp ? vrrp_worker_run(cfg, &wo) : check_worker_run(cfg, &co_check);
	log_close();
	return rc;
}

int main(int argc, char **argv)
{
	struct options o;
	char idbuf[256];
	const char *err = options_parse(argc, argv, &o);

	if (err) {
		fprintf(stderr, "vigild: %s\n", err);
		options_usage("vigild", stderr);
		return 2;
	}
	if (o.help) {
		options_usage("vigild", stdout);
		return 0;
	}
	if (o.version) {
		printf("vigil " PACKAGE_VERSION "\n");
		return 0;
	}
	const char *config_id = o.config_id ? o.config_id
					    : default_config_id(idbuf, sizeof(idbuf));
	const char *no_snmp = "-x (--snmp) has no effect: vigil has no SNMP subsystem; "
			      "vigild --status gives its state as JSON";
	if (o.config_test) {
		if (o.snmp)
			fprintf(stderr, "vigild: %s\n", no_snmp);
		return config_test(&o, config_id);
	}
	/* Workers are the supervisor's children: already in its namespace,
	 * and given its pid file by -p. */
	if (o.worker)
		return run_worker(&o, config_id);
	char pidbuf[300], ns[256];
	instance_names(&o, config_id, pidbuf, sizeof(pidbuf), ns, sizeof(ns));
	if (o.status)
		return print_status(&o);
	struct log_opts lo = { "vigild", o.facility, o.log_console, o.log_detail };
	log_open(&lo);
	if (o.snmp)
		log_msg(LOG_WARNING, "%s", no_snmp);
	if (ns[0]) {
		int nerr = netns_enter(ns);
		if (nerr < 0) {
			log_msg(LOG_ERR, "cannot enter network namespace %s (/run/netns/%s): %s",
				ns, ns, strerror(-nerr));
			log_close();
			return 1;
		}
		log_msg(LOG_INFO, "running in network namespace %s", ns);
	}
	int rc = supervisor_run(&o, config_id);
	log_close();
	return rc;
}
