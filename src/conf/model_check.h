/* model_check.h - health checkers inside a real_server.
 *
 * A real_server's checkers are one list of mixed kinds. Every checker
 * struct starts with struct checker (the options all kinds share), so a
 * consumer walks the list as struct checker, switches on kind and casts
 * to the kind's struct; the kind-specific parts are never carried by the
 * kinds that do not use them (a TCP_CHECK is a bare struct checker, which
 * matters when a configuration holds 100,000 of them).
 *
 * "What the file said": options that keepalived inherits from the
 * real_server, then the virtual_server, then a per-kind default hold an
 * INHERIT sentinel when the checker does not set them;
 * checker_effective() resolves the chain for the health-check engine.
 */
#ifndef VIGIL_CONF_MODEL_CHECK_H
#define VIGIL_CONF_MODEL_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "list.h"

enum check_kind {
	CHECK_TCP,       /* TCP_CHECK: connect, then close */
	CHECK_HTTP,      /* HTTP_GET: struct http_check */
	CHECK_SSL,       /* SSL_GET: struct http_check over TLS */
	CHECK_MISC,      /* MISC_CHECK: struct misc_check, run a program */
	CHECK_SMTP,      /* SMTP_CHECK: struct smtp_check */
	CHECK_DNS,       /* DNS_CHECK: struct dns_check */
	CHECK_UDP,       /* UDP_CHECK: struct udp_check */
	CHECK_PING,      /* PING_CHECK: ICMP echo */
	CHECK_FILE,      /* FILE_CHECK: struct file_check, a track_file's value */
	CHECK_BFD,       /* BFD_CHECK: struct bfd_check, a bfd_instance's state */
};

/* "Not set here: use the enclosing block's value" markers. */
#define CHECK_INHERIT_TIMER  UINT64_MAX
#define CHECK_INHERIT_RETRY  UINT32_MAX
#define CHECK_INHERIT_BOOL   ((int8_t)-1)   /* for the int8_t tri-state options */

/* Where a checker connects from and to. Also the body of an SMTP_CHECK
 * host { } block, whose unset fields take the SMTP_CHECK's. */
struct check_conn {
	struct vaddr connect_ip;     /* family 0: the real server's address */
	struct vaddr bindto;         /* family 0: chosen by the kernel */
	uint16_t connect_port;       /* 0: the real server's port */
	uint16_t bind_port;          /* 0: chosen by the kernel */
	uint32_t fwmark;             /* SO_MARK on the socket; 0: none */
	char *bind_if;               /* needed for a link-local connect_ip */
	uint64_t connect_timeout;    /* CHECK_INHERIT_TIMER, else 1 us..4294.967295 s */
};

/* The options every checker has (MISC, FILE and BFD leave the connection
 * ones unused; FILE and BFD leave the timing ones unused, BFD has alpha). */
struct checker {
	struct node node;            /* node.desc is the kind's block_desc */
	struct check_conn conn;
	/* Interval between checks while the result does not change
	 * (keepalived default 60 s). */
	uint64_t delay_loop;         /* CHECK_INHERIT_TIMER or > 0 */
	/* Interval between the retries of a failing check (default 3 s for
	 * HTTP_GET/SSL_GET, delay_loop for DNS_CHECK, 1 s otherwise). */
	uint64_t delay_before_retry; /* CHECK_INHERIT_TIMER or >= 0 */
	/* Random delay up to this before the first check (default
	 * delay_loop; 0 disables it). */
	uint64_t warmup;             /* CHECK_INHERIT_TIMER or >= 0 */
	/* Extra attempts before a failure counts (default 1; DNS_CHECK 3,
	 * MISC_CHECK 0). */
	uint32_t retry;              /* CHECK_INHERIT_RETRY or 0..UINT32_MAX-1 */
	uint8_t kind;                /* enum check_kind */
	int8_t alpha;                /* start as failed: -1 inherit, 0, 1 */
	int8_t log_all_failures;     /* -1: global checker_log_all_failures */
};

/* ---- HTTP_GET and SSL_GET ------------------------------------------------ */

enum check_http_protocol {
	CHECK_HTTP_1_0,              /* "GET path HTTP/1.0" (default) */
	CHECK_HTTP_1_0C,             /* 1.0 with "Connection: close" */
	CHECK_HTTP_1_1,              /* 1.1, which sends "Connection: close" */
};

struct check_status_range {
	uint16_t lo, hi;             /* 100..599, lo <= hi */
};

/* Accepted HTTP status codes: sorted, merged ranges. The default is the
 * one range 200-299 (a static table; the pointer is never written). */
struct check_status_codes {
	const struct check_status_range *r;
	uint32_t n;
};

struct check_digest {
	bool set;
	uint8_t md5[16];             /* of the body, as genhash prints it */
};

/* regex_options, one bit each; the HTTP checker maps them to PCRE2_* flags. */
enum check_regex_opt {
	CHECK_RE_ALLOW_EMPTY_CLASS = 1u << 0,
	CHECK_RE_ALT_BSUX = 1u << 1,
	CHECK_RE_AUTO_CALLOUT = 1u << 2,
	CHECK_RE_CASELESS = 1u << 3,
	CHECK_RE_DOLLAR_ENDONLY = 1u << 4,
	CHECK_RE_DOTALL = 1u << 5,
	CHECK_RE_DUPNAMES = 1u << 6,
	CHECK_RE_EXTENDED = 1u << 7,
	CHECK_RE_FIRSTLINE = 1u << 8,
	CHECK_RE_MATCH_UNSET_BACKREF = 1u << 9,
	CHECK_RE_MULTILINE = 1u << 10,
	CHECK_RE_NEVER_UCP = 1u << 11,
	CHECK_RE_NEVER_UTF = 1u << 12,
	CHECK_RE_NO_AUTO_CAPTURE = 1u << 13,
	CHECK_RE_NO_AUTO_POSSESS = 1u << 14,
	CHECK_RE_NO_DOTSTAR_ANCHOR = 1u << 15,
	CHECK_RE_NO_START_OPTIMIZE = 1u << 16,
	CHECK_RE_UCP = 1u << 17,
	CHECK_RE_UNGREEDY = 1u << 18,
	CHECK_RE_UTF = 1u << 19,
	CHECK_RE_NEVER_BACKSLASH_C = 1u << 20,
	CHECK_RE_ALT_CIRCUMFLEX = 1u << 21,
	CHECK_RE_ALT_VERBNAMES = 1u << 22,
	CHECK_RE_USE_OFFSET_LIMIT = 1u << 23,
};

/* pcre2_jit_stack_create() sizes in bytes; 0/0 when not given. */
struct check_regex_stack {
	uint32_t start, max;         /* start <= max */
};

/* url { ... } inside HTTP_GET / SSL_GET */
struct check_url {
	struct node node;
	char *path;                  /* required: "GET <path>" */
	char *virtualhost;           /* NULL: the checker's, real server's, virtual server's */
	struct check_digest digest;  /* MD5 of the body must match, when set */
	struct check_status_codes status_codes;
	char *regex;                 /* PCRE2 pattern the body must match */
	bool regex_no_match;         /* fail when the regex matches instead */
	uint32_t regex_options;      /* enum check_regex_opt bits */
	struct check_regex_stack regex_stack;
	uint32_t regex_min_offset;   /* where matching starts in the body */
	uint32_t regex_max_offset;   /* last start of a match; 0: no limit */
};

struct http_check {
	struct checker c;
	struct list urls;            /* struct check_url; at least one */
	char *virtualhost;           /* Host: header; NULL: the real server's, then
				      * the virtual server's, then the address */
	int http_protocol;           /* enum check_http_protocol */
	bool fast_recovery;          /* check all urls without delay_loop between them */
	bool enable_sni;             /* SSL_GET only: send SNI (the virtualhost) */
};

/* ---- MISC_CHECK ------------------------------------------------------------ */

struct check_run_as {
	char *user;                  /* NULL: the daemon's default script user */
	char *group;                 /* NULL: the user's group */
};

struct misc_check {
	struct checker c;
	char *path;                  /* misc_path: a command line, split like a shell */
	uint64_t timeout;            /* misc_timeout; 0: delay_loop */
	bool dynamic;                /* misc_dynamic: exit codes 2..255 set the weight */
	struct check_run_as user;
};

/* ---- SMTP_CHECK ------------------------------------------------------------ */

/* host { } : check another address too (keepalived 1.x syntax, still accepted). */
struct smtp_host {
	struct node node;
	struct check_conn conn;      /* unset fields: the SMTP_CHECK's */
};

struct smtp_check {
	struct checker c;
	char *helo_name;             /* default "smtpchecker.keepalived.org" */
	struct list hosts;           /* struct smtp_host */
};

/* ---- DNS_CHECK ------------------------------------------------------------- */

/* Query types, as their RR type numbers (RFC 1035 3.2.2, RFC 3596). */
enum check_dns_type {
	CHECK_DNS_A = 1,
	CHECK_DNS_NS = 2,
	CHECK_DNS_CNAME = 5,
	CHECK_DNS_SOA = 6,           /* default */
	CHECK_DNS_MX = 15,
	CHECK_DNS_TXT = 16,
	CHECK_DNS_AAAA = 28,
};

struct dns_check {
	struct checker c;
	int type;                    /* enum check_dns_type */
	char *name;                  /* default "." */
};

/* ---- UDP_CHECK ------------------------------------------------------------- */

/* Bytes from a HEX_STR ("Ab12f 3" is AB 12 0F 03). */
struct check_bytes {
	uint8_t *data;
	uint8_t *mask;               /* NULL, or per byte the bits that must match
				      * (an 'x' digit in require_reply clears 4) */
	uint32_t len;
};

struct check_udp_reply {
	bool required;               /* require_reply was given */
	struct check_bytes expect;   /* len 0: any reply will do */
};

struct udp_check {
	struct checker c;
	struct check_bytes payload;  /* len 0: a random payload */
	struct check_udp_reply reply;
	uint16_t min_reply_length;   /* default 0 */
	uint16_t max_reply_length;   /* default 255; >= min_reply_length */
};

/* ---- FILE_CHECK and BFD_CHECK ---------------------------------------------- */

#define CHECK_INHERIT_WEIGHT INT32_MIN

struct check_file_weight {
	int32_t value;               /* CHECK_INHERIT_WEIGHT: the track_file's weight */
	bool reverse;
};

struct file_check {
	struct checker c;
	char *track_file;            /* name of a track_file block; required */
	struct check_file_weight weight;
	bool dynamic;                /* add weight x value to the quorum and LVS weight */
};

struct bfd_check {
	struct checker c;
	char *name;                  /* name of a bfd_instance; required */
};

/* ---- effective values ------------------------------------------------------- */

struct real_server;
struct virtual_server;

/* A checker's timing once keepalived's inheritance is applied: the
 * checker's own value, else the real_server's, else the virtual_server's,
 * else the kind's default (see struct checker). */
struct check_timing {
	uint64_t connect_timeout;
	uint64_t delay_loop;
	uint64_t delay_before_retry;
	uint64_t warmup;             /* 0: start at once */
	uint32_t retry;
	bool alpha;
};

/* Fill *out for checker c of real server rs in virtual server vs. Pure;
 * log_all_failures is left to the caller (its fallback is global_defs'
 * checker_log_all_failures). */
void checker_effective(const struct checker *c, const struct real_server *rs,
		       const struct virtual_server *vs, struct check_timing *out);

#endif
