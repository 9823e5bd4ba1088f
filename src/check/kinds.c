/* kinds.c - which probe kind runs which checker keyword. */
#include "probe.h"

const struct probe_ops *probe_ops_for(enum check_kind kind)
{
	switch (kind) {
	case CHECK_TCP: return &probe_tcp_ops;
	case CHECK_HTTP: return &probe_http_ops;
	case CHECK_SSL: return &probe_ssl_ops;
	case CHECK_MISC: return &probe_misc_ops;
	case CHECK_FILE: return &probe_file_ops;
	case CHECK_SMTP: return &probe_smtp_ops;
	case CHECK_DNS: return &probe_dns_ops;
	case CHECK_UDP: return &probe_udp_ops;
	case CHECK_PING: return &probe_ping_ops;
	default: return NULL;
	}
}
