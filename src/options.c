/* options.c - command-line parsing; see options.h. */
#include "options.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

enum { OPT_DUMP = 256, OPT_WORKER, OPT_STATUS, OPT_SUPERVISOR };

static const struct option long_opts[] = {
	{ "use-file", required_argument, NULL, 'f' },
	{ "config-test", no_argument, NULL, 't' },
	{ "dump", no_argument, NULL, OPT_DUMP },
	{ "config-id", required_argument, NULL, 'i' },
	{ "dont-fork", no_argument, NULL, 'n' },
	{ "log-console", no_argument, NULL, 'l' },
	{ "log-detail", no_argument, NULL, 'D' },
	{ "log-facility", required_argument, NULL, 'S' },
	{ "pid", required_argument, NULL, 'p' },
	{ "namespace", required_argument, NULL, 's' },
	{ "vrrp", no_argument, NULL, 'P' },
	{ "check", no_argument, NULL, 'C' },
	{ "dont-release-ipvs", no_argument, NULL, 'I' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'v' },
	{ "worker", required_argument, NULL, OPT_WORKER },
	{ "status", no_argument, NULL, OPT_STATUS },
	{ "supervisor-pid", required_argument, NULL, OPT_SUPERVISOR },
	/* keepalived's, accepted so that its unit files start vigild */
	{ "checkers_pid", required_argument, NULL, 'c' },
	{ "vrrp_pid", required_argument, NULL, 'r' },
	{ "dump-conf", no_argument, NULL, 'd' },
	{ "dont-respawn", no_argument, NULL, 'R' },
	{ "snmp", no_argument, NULL, 'x' },
	{ NULL, 0, NULL, 0 },
};

const char *options_parse(int argc, char **argv, struct options *o)
{
	static char msg[256];
	int c;

	memset(o, 0, sizeof(*o));
	o->config_file = VIGIL_DEFAULT_CONFIG;
	o->pidfile = VIGIL_DEFAULT_PIDFILE;
	o->facility = LOG_DAEMON;
	optind = 0;     /* full re-initialisation, so tests can call us twice */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "f:ti:nlDS:p:s:PCIhvc:r:dRx", long_opts, NULL)) != -1) {
		switch (c) {
		case 'f': o->config_file = optarg; break;
		case 't': o->config_test = true; break;
		case OPT_DUMP: o->dump = true; break;
		case 'i': o->config_id = optarg; break;
		case 'n': o->foreground = true; break;
		case 'l': o->log_console = true; break;
		case 'D': o->log_detail = true; break;
		case 'S':
			o->facility = log_facility_by_name(optarg);
			o->facility_arg = optarg;
			if (o->facility < 0) {
				snprintf(msg, sizeof(msg), "unknown log facility '%s' "
					 "(use 0..7 for local0..local7, or a name like daemon)", optarg);
				return msg;
			}
			break;
		case 'p': o->pidfile = optarg; o->pidfile_given = true; break;
		case 's': o->netns = optarg; break;
		case 'P': o->vrrp_only = true; break;
		case 'C': o->check_only = true; break;
		case 'I': o->keep_ipvs = true; break;
		case 'h': o->help = true; break;
		case 'v': o->version = true; break;
		case OPT_STATUS: o->status = true; break;
		case 'c': o->checkers_pidfile = optarg; break;
		case 'r': o->vrrp_pidfile = optarg; break;
		case 'd': o->dump_conf = true; break;
		case 'R': o->dont_respawn = true; break;
		case 'x': o->snmp = true; break;
		case OPT_SUPERVISOR: {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end || v <= 0 || v > 0x7fffffff) {
				snprintf(msg, sizeof(msg), "bad --supervisor-pid '%s'", optarg);
				return msg;
			}
			o->supervisor_pid = (int)v;
			break;
		}
		case OPT_WORKER:
			if (strcmp(optarg, "vrrp") != 0 && strcmp(optarg, "check") != 0) {
				snprintf(msg, sizeof(msg), "unknown worker '%s'", optarg);
				return msg;
			}
			o->worker = optarg;
			break;
		default:
			if (optopt && strchr("fiSpscr", optopt))
				snprintf(msg, sizeof(msg), "option -%c needs a value", optopt);
			else
				snprintf(msg, sizeof(msg), "unknown option '%s'", argv[optind - 1]);
			return msg;
		}
	}
	if (optind < argc) {
		snprintf(msg, sizeof(msg), "unexpected argument '%s'", argv[optind]);
		return msg;
	}
	if (o->vrrp_only && o->check_only)
		return "-P (VRRP only) and -C (checkers only) exclude each other";
	if (o->dump && !o->config_test)
		return "--dump goes with -t (check the configuration and print it)";
	/* keepalived's -d with -t: print what was parsed, as --dump does. */
	if (o->dump_conf && o->config_test)
		o->dump = true;
	return NULL;
}

void options_usage(const char *prog, FILE *out)
{
	fprintf(out,
		"Usage: %s [OPTION]...\n"
		"High-availability daemon for Linux load-balancer directors (VRRP, IPVS, health checks).\n"
		"\n"
		"  -f, --use-file=FILE     configuration file (default " VIGIL_DEFAULT_CONFIG ")\n"
		"  -t, --config-test       check the configuration and exit: 0 valid, 1 not\n"
		"      --dump              with -t: print the configuration in canonical form\n"
		"  -i, --config-id=ID      select '@ID' lines (default: the short host name)\n"
		"  -n, --dont-fork         stay in the foreground\n"
		"  -l, --log-console       log to the console as well as syslog\n"
		"  -D, --log-detail        detailed log messages\n"
		"  -S, --log-facility=F    syslog facility: 0..7 (local0..local7) or a name\n"
		"  -p, --pid=FILE          pid file (default " VIGIL_DEFAULT_PIDFILE ";\n"
		"                          /run/vigild_NAME.pid with an instance or namespace)\n"
		"  -s, --namespace=NAME    run in network namespace NAME (/run/netns/NAME),\n"
		"                          as global net_namespace\n"
		"  -P, --vrrp              run VRRP only\n"
		"  -C, --check             run the checkers and IPVS only\n"
		"  -I, --dont-release-ipvs leave the IPVS entries in place on stop\n"
		"  -R, --dont-respawn      stop when a worker process dies, instead of restarting it\n"
		"  -d, --dump-conf         log the configuration at start (with -t: as --dump)\n"
		"  -r, --vrrp_pid=FILE     write the VRRP worker's pid to FILE\n"
		"  -c, --checkers_pid=FILE write the checker worker's pid to FILE\n"
		"  -x, --snmp              accepted for keepalived's unit files; no effect\n"
		"      --status            print the running daemon's state as JSON (with -p)\n"
		"  -h, --help              this help\n"
		"  -v, --version           version\n", prog);
}
