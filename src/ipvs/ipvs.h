/* ipvs.h - the Linux Virtual Server table as plain data.
 *
 * One struct per kernel object (service, destination, sync daemon,
 * timeouts), holding the values the kernel stores, in the units it
 * stores them, so that a reconciler can compare "what the config wants"
 * with "what a dump returned" field by field. Addresses are kept as the
 * kernel keeps them (16 bytes, IPv4 in the first 4); ports are in host
 * byte order here and converted by the netlink builders and parsers only.
 *
 * The functions below are pure (no libnl, no I/O); they are implemented
 * in netlink.c beside the builders and parsers.
 */
#ifndef VIGIL_IPVS_IPVS_H
#define VIGIL_IPVS_IPVS_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Name buffers, NUL included (IP_VS_SCHEDNAME_MAXLEN and friends): at
 * most 15 characters, which is what the kernel's policies accept. */
#define IPVS_SCHED_NAME_LEN 16
#define IPVS_PE_NAME_LEN    16
#define IPVS_IFNAME_LEN     16

/* Service flags: the kernel's IP_VS_SVC_F_* bits (netlink.c asserts they
 * match <linux/ip_vs.h>). The sh and mh schedulers reuse the generic
 * scheduler bits, so SH_FALLBACK == MH_FALLBACK and SH_PORT == MH_PORT:
 * which one is meant depends on the scheduler. */
#define IPVS_SVC_F_PERSISTENT  0x0001u
#define IPVS_SVC_F_HASHED      0x0002u  /* kernel-internal: see ipvs_service_equal() */
#define IPVS_SVC_F_ONEPACKET   0x0004u  /* "ops": one-packet scheduling (UDP) */
#define IPVS_SVC_F_SCHED1      0x0008u
#define IPVS_SVC_F_SCHED2      0x0010u
#define IPVS_SVC_F_SCHED3      0x0020u
#define IPVS_SVC_F_SH_FALLBACK IPVS_SVC_F_SCHED1
#define IPVS_SVC_F_SH_PORT     IPVS_SVC_F_SCHED2
#define IPVS_SVC_F_MH_FALLBACK IPVS_SVC_F_SCHED1
#define IPVS_SVC_F_MH_PORT     IPVS_SVC_F_SCHED2

/* Forwarding method: IP_VS_CONN_F_MASQ/LOCALNODE/TUNNEL/DROUTE, the only
 * connection-flag bits a destination carries over netlink. */
enum ipvs_fwd {
	IPVS_FWD_MASQ = 0,       /* NAT */
	IPVS_FWD_LOCAL = 1,      /* local node (the kernel picks it, not users) */
	IPVS_FWD_TUNNEL = 2,     /* TUN */
	IPVS_FWD_DROUTE = 3,     /* DR */
};

/* IP_VS_CONN_F_TUNNEL_TYPE_* */
enum ipvs_tun_type { IPVS_TUN_IPIP = 0, IPVS_TUN_GUE = 1, IPVS_TUN_GRE = 2 };

/* IP_VS_TUNNEL_ENCAP_FLAG_*: "nocsum" is no bit at all. */
#define IPVS_TUN_F_NOCSUM  0x0000u
#define IPVS_TUN_F_CSUM    0x0001u
#define IPVS_TUN_F_REMCSUM 0x0002u

/* IP_VS_STATE_*: one sync daemon of each kind may run. */
enum ipvs_daemon_state { IPVS_DAEMON_MASTER = 1, IPVS_DAEMON_BACKUP = 2 };

union ipvs_addr {
	struct in_addr v4;
	struct in6_addr v6;
	uint8_t bytes[16];
};

/* Counters as a dump returns them. With IPVS_*_ATTR_STATS64 (Linux 4.1+)
 * every field is 64-bit; the older 32-bit block truncates all but the
 * byte counters. Rates are per second, estimated by the kernel every 2 s. */
struct ipvs_stats {
	uint64_t conns;          /* connections scheduled */
	uint64_t inpkts, outpkts;
	uint64_t inbytes, outbytes;
	uint64_t cps;            /* connection rate */
	uint64_t inpps, outpps;  /* packet rates */
	uint64_t inbps, outbps;  /* byte rates */
};

/* A virtual service. Identity: af + fwmark when fwmark != 0, else
 * af + protocol + addr + port. */
struct ipvs_service {
	uint16_t af;             /* AF_INET or AF_INET6 */
	uint16_t protocol;       /* IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP;
				  * ignored for fwmark services (the kernel
				  * stores TCP and dumps no protocol) */
	uint32_t fwmark;         /* 0: an address service */
	union ipvs_addr addr;    /* address services only */
	uint16_t port;           /* host order; 0 = all ports (persistent) */
	uint32_t flags;          /* IPVS_SVC_F_* */
	uint32_t timeout;        /* persistence timeout, s (0 when not persistent) */
	/* persistence_granularity. AF_INET: a mask in host order,
	 * 0xffffffff for /32; AF_INET6: a prefix length, and the kernel
	 * refuses anything outside 1..128 with EINVAL even for services that
	 * are not persistent. ipvs_service_init() sets the defaults. */
	uint32_t netmask;
	char sched_name[IPVS_SCHED_NAME_LEN];  /* "wlc", ...; "none" for none */
	char pe_name[IPVS_PE_NAME_LEN];        /* "" = no persistence engine */
	/* Filled by the dump parser; ignored by builders and equality. */
	struct ipvs_stats stats;
};

/* A real server within a service. Identity: af + addr + port. */
struct ipvs_dest {
	uint16_t af;             /* may differ from the service's (tunnels) */
	union ipvs_addr addr;
	uint16_t port;           /* host order */
	uint32_t fwd;            /* enum ipvs_fwd */
	int32_t weight;          /* 0..INT32_MAX; the kernel answers ERANGE below 0 */
	uint32_t u_threshold;    /* 0: no upper limit */
	uint32_t l_threshold;    /* must not exceed u_threshold (else ERANGE) */
	/* Tunnel settings, sent and compared only when fwd is TUNNEL. */
	uint8_t tun_type;        /* enum ipvs_tun_type */
	uint16_t tun_port;       /* host order; GUE needs it non-zero (else EINVAL) */
	uint16_t tun_flags;      /* IPVS_TUN_F_* */
	/* Filled by the dump parser; ignored by builders and equality. */
	uint32_t active_conns, inact_conns, persist_conns;
	struct ipvs_stats stats;
};

/* Connection timeouts, seconds. Setting 0 leaves that value unchanged. */
struct ipvs_timeouts {
	uint32_t tcp;            /* established TCP */
	uint32_t tcpfin;         /* TCP after FIN */
	uint32_t udp;
};

/* One connection-sync daemon. Optional fields at 0 take the kernel's
 * default (group 224.0.0.81, port 8848, ttl 1, maxlen from the MTU). */
struct ipvs_daemon {
	uint32_t state;          /* enum ipvs_daemon_state */
	char mcast_ifn[IPVS_IFNAME_LEN];
	uint32_t syncid;         /* 0..255 */
	uint16_t sync_maxlen;    /* UDP payload size */
	uint16_t mcast_af;       /* 0: default group; AF_INET or AF_INET6 */
	union ipvs_addr mcast_group;
	uint16_t mcast_port;     /* host order (the kernel wants it so here) */
	uint8_t mcast_ttl;
};

/* IPVS_CMD_GET_INFO */
struct ipvs_info {
	uint32_t version;        /* 0x010201 is 1.2.1 */
	uint32_t conn_tab_size;  /* connection hash table size */
};

/* A service or destination identity as bytes: equal keys mean the same
 * kernel object, so the key can be memcmp'd and hashed. Fields that are
 * not part of the identity are zero. */
struct ipvs_key {
	uint8_t b[24];
};

/* Zero s and set what the kernel needs even when nobody wrote it:
 * af, scheduler "wlc", netmask 0xffffffff (AF_INET) or 128 (AF_INET6). */
void ipvs_service_init(struct ipvs_service *s, uint16_t af);
/* Zero d, af set, weight 1 (keepalived's default), NAT. */
void ipvs_dest_init(struct ipvs_dest *d, uint16_t af);

/* Same kernel object? */
void ipvs_service_key(const struct ipvs_service *s, struct ipvs_key *k);
void ipvs_dest_key(const struct ipvs_dest *d, struct ipvs_key *k);
bool ipvs_key_equal(const struct ipvs_key *a, const struct ipvs_key *b);
/* 64-bit FNV-1a of a key, for hash tables. */
uint64_t ipvs_key_hash(const struct ipvs_key *k);
bool ipvs_service_same(const struct ipvs_service *a, const struct ipvs_service *b);
bool ipvs_dest_same(const struct ipvs_dest *a, const struct ipvs_dest *b);

/* "Already right": same identity and every setting the kernel stores and
 * dumps back is equal. Statistics and connection counts are ignored.
 * Services: IPVS_SVC_F_HASHED is ignored, because the kernel sets it on
 * every service it has in its table and strips it on add. Destinations:
 * tunnel settings count only for TUNNEL (other methods store zeros). */
bool ipvs_service_equal(const struct ipvs_service *a, const struct ipvs_service *b);
bool ipvs_dest_equal(const struct ipvs_dest *a, const struct ipvs_dest *b);

/* Log text in keepalived's style: "[10.0.0.2]:tcp:80",
 * "[2001:db8::1]:udp:53", "FWM 5" (IPv6 fwmark: "FWM 5 inet6").
 * Always NUL-terminates (truncating if len is short); returns buf. */
#define IPVS_SERVICE_STRLEN (INET6_ADDRSTRLEN + 24)
char *ipvs_service_fmt(const struct ipvs_service *s, char *buf, size_t len);
/* "[192.168.1.10]:80", "[2001:db8::10]:80" */
#define IPVS_DEST_STRLEN (INET6_ADDRSTRLEN + 10)
char *ipvs_dest_fmt(const struct ipvs_dest *d, char *buf, size_t len);
/* "tcp", "udp", "sctp"; "?" for anything else. */
const char *ipvs_proto_name(uint16_t protocol);
/* "NAT", "DR", "TUN", "LOCAL", "?" */
const char *ipvs_fwd_name(uint32_t fwd);

#endif
