/* options.h - vigild's command line, keepalived's flags where they overlap. */
#ifndef VIGIL_OPTIONS_H
#define VIGIL_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

#define VIGIL_DEFAULT_CONFIG "/etc/vigil/vigil.conf"
#define VIGIL_DEFAULT_PIDFILE "/run/vigild.pid"

struct options {
	const char *config_file;   /* -f, --use-file */
	bool config_test;          /* -t, --config-test */
	bool dump;                 /* --dump (with -t): print the canonical model */
	const char *config_id;     /* -i, --config-id; default: short host name */
	bool foreground;           /* -n, --dont-fork */
	bool log_console;          /* -l, --log-console */
	bool log_detail;           /* -D, --log-detail */
	int facility;              /* -S, --log-facility */
	const char *facility_arg;  /* as written, to pass on to workers */
	const char *pidfile;       /* -p, --pid */
	bool pidfile_given;        /* -p was given: never renamed after the instance */
	const char *netns;         /* -s, --namespace: run in /run/netns/NAME */
	bool vrrp_only;            /* -P, --vrrp */
	bool check_only;           /* -C, --check */
	bool keep_ipvs;            /* -I, --dont-release-ipvs: leave IPVS entries on stop */
	bool help, version;
	bool status;               /* --status: print the running daemon's state as JSON */
	const char *worker;        /* --worker=vrrp|check: internal, set by the supervisor */
	int supervisor_pid;        /* --supervisor-pid: internal, the worker's parent */
	/* keepalived's flags for its child processes */
	const char *vrrp_pidfile;      /* -r, --vrrp_pid: the VRRP worker's pid file */
	const char *checkers_pidfile;  /* -c, --checkers_pid: the checker worker's pid file */
	bool dump_conf;                /* -d, --dump-conf: log the model at start */
	bool dont_respawn;             /* -R, --dont-respawn: a dead worker stops vigild */
	bool snmp;                     /* -x, --snmp: no effect; the caller warns */
};

/* Fill o from argv. Returns NULL, or a message naming the bad argument
 * (the caller prints it with the usage). Does not print or exit. */
const char *options_parse(int argc, char **argv, struct options *o);
void options_usage(const char *prog, FILE *out);

#endif
