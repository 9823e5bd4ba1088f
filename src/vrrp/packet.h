/* packet.h - VRRP advertisements: bytes <-> struct.
 *
 * VRRPv2 (RFC 3768, IPv4 only) and VRRPv3 (RFC 5798, IPv4 and IPv6),
 * byte-compatible with keepalived 2.2.7. A pure module: nothing here
 * logs, counts, allocates or touches a socket or a global, so every
 * function can be unit tested and fuzzed.
 *
 * Receiving is validated in layers (FRR vrrpd, OpenBSD ospfd):
 *   1. the IP layer  - vrrp_ipv4_unwrap() for what an IPv4 raw socket
 *      (IPPROTO_VRRP) returns; IPv6 raw sockets return the payload only,
 *      and src/dst/hop limit come from recvmsg() ancillary data;
 *   2. well-formedness - vrrp_advert_parse(): "is this a VRRP
 *      advertisement at all?" (RFC 3768 7.1 / RFC 5798 7.1: version,
 *      complete packet, checksum);
 *   3. acceptance - TTL/hop limit, VRID, authentication, address list,
 *      interval: the instance's business, not this module's
 *      (vrrp_ttl_check() and vrrp_auth_pass_matches() are its pure
 *      helpers).
 *
 * Wire format (the 8-byte header is common to both versions):
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   |Version| Type  | Virtual Rtr ID|   Priority    | Count IP Addrs|
 *   v2: |   Auth Type   |   Adver Int   |          Checksum             |
 *   v3: |(rsvd) |     Max Adver Int     |          Checksum             |
 *   |            Count x IPv4 (4 bytes) or IPv6 (16 bytes) address   |
 *   v2 only: |   Authentication Data (8 bytes)                       |
 */
#ifndef VIGIL_VRRP_PACKET_H
#define VIGIL_VRRP_PACKET_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define VRRP_IPPROTO 112              /* IANA protocol number (IPPROTO_VRRP) */
#define VRRP_TYPE_ADVERTISEMENT 1     /* the only type in both RFCs */
#define VRRP_HDR_LEN 8
#define VRRP_AUTH_DATA_LEN 8          /* RFC 3768 5.3.10, v2 only */
#define VRRP_MAX_ADDRS 255            /* the count field is 8 bits */
#define VRRP_V2_MAX_ADVER_INT_CS (255 * 100)   /* 8-bit seconds */
#define VRRP_V3_MAX_ADVER_INT_CS 4095          /* 12-bit centiseconds */
/* Largest message: v3, 255 IPv6 addresses (v2 with 255 IPv4 addresses
 * and auth data is 8 + 1020 + 8 = 1036). */
#define VRRP_ADVERT_MAX_LEN (VRRP_HDR_LEN + VRRP_MAX_ADDRS * 16)

/* RFC 3768 5.3.6 defines only 0; 1 and 2 are "reserved" there for
 * compatibility with RFC 2338, which keepalived still sends. */
enum vrrp_auth_type {
	VRRP_AUTH_NONE = 0,
	VRRP_AUTH_PASS = 1,   /* simple text password in the auth data */
	VRRP_AUTH_AH = 2,     /* IPsec AH (legacy): the datagram carries an AH
			       * header before the VRRP message; parsed as a
			       * distinct type, the AH header itself is not
			       * built or checked here */
};

/*
 * One advertisement, decoded.
 *
 * The addresses are copied into a fixed array rather than pointing into
 * the receive buffer: the struct then owns its data (it can outlive the
 * buffer, be compared and be built from a config without a buffer), and
 * no one reads a struct in_addr at an unaligned offset of a datagram
 * whose IPv4 header length varies. The count field is 8 bits, so 255
 * addresses is a hard bound; the struct is about 4 KB, which is fine on
 * a stack and once per instance.
 */
struct vrrp_advert {
	uint8_t version;        /* 2 or 3 */
	uint8_t vrid;           /* 1-255 by RFC; 0 is not rejected here */
	uint8_t priority;       /* 0: the master is resigning; 255: owner */
	/*
	 * Advertisement interval in centiseconds, the one unit for both
	 * versions:
	 *   v2: RFC 3768 5.3.7 "Adver Int", 8 bits, seconds:
	 *       adver_int_cs = Adver Int * 100 (100..25500);
	 *   v3: RFC 5798 5.2.7 "Max Adver Int", 12 bits, centiseconds:
	 *       adver_int_cs = Max Adver Int (1..4095).
	 * Never 0 in a parsed advert.
	 */
	uint16_t adver_int_cs;
	/* v2 only (RFC 3768 5.3.6 and 5.3.10); 0 and zeros for v3. */
	uint8_t auth_type;      /* enum vrrp_auth_type */
	uint8_t auth_data[VRRP_AUTH_DATA_LEN];  /* as on the wire, any type */
	uint8_t family;         /* AF_INET or AF_INET6 */
	uint8_t naddr;          /* Count IP Addrs / Count IPvX Addr */
	union {
		struct in_addr v4[VRRP_MAX_ADDRS];
		struct in6_addr v6[VRRP_MAX_ADDRS];
	} addrs;                /* naddr entries of family */
};

/* ---- layer 1: the IPv4 header ------------------------------------------ */

enum vrrp_ip_err {
	VRRP_IP_OK = 0,
	VRRP_IP_SHORT,             /* fewer bytes than a 20-byte IPv4 header */
	VRRP_IP_BAD_VERSION,       /* IP version is not 4 */
	VRRP_IP_BAD_HDR_LEN,       /* IHL below 5 (20 bytes) */
	VRRP_IP_HDR_TRUNCATED,     /* IHL (options) runs past the bytes received */
	VRRP_IP_BAD_TOTAL_LEN,     /* total length shorter than the header */
	VRRP_IP_TRUNCATED,         /* total length > bytes received */
	VRRP_IP_TRAILING,          /* total length < bytes received */
	VRRP_IP_NOT_VRRP,          /* protocol is not 112 */
};

/* What the IP header said, and where the VRRP message is. */
struct vrrp_ipv4_datagram {
	struct in_addr src, dst;
	uint8_t ttl;               /* RFC 3768/5798 7.1: 255, checked by the
				    * instance (keepalived relaxes it for
				    * unicast peers) */
	const uint8_t *payload;    /* points into the caller's buffer */
	size_t payload_len;
};

/*
 * Split what recv() on an IPv4 raw socket (protocol 112, no IP_HDRINCL)
 * returned, pkt[0..len), into header fields and payload. Checks the IP
 * version, header length, that the total length equals len exactly, and
 * protocol 112. The header checksum is not checked: the kernel's
 * ip_rcv() has already dropped datagrams whose header checksum is wrong,
 * and it reassembles fragments before raw delivery. On VRRP_IP_OK, *out
 * is filled and out->payload aliases pkt; otherwise *out is unspecified.
 */
enum vrrp_ip_err vrrp_ipv4_unwrap(const uint8_t *pkt, size_t len,
				  struct vrrp_ipv4_datagram *out);

/* A short, static phrase for err ("protocol is not VRRP (112)"). */
const char *vrrp_ip_err_str(enum vrrp_ip_err err);
/* The phrase with the offending values read back from pkt, e.g.
 * "protocol 6, not VRRP (112)", into msg; returns msg. pkt/len must be
 * what was passed to vrrp_ipv4_unwrap(). */
const char *vrrp_ip_err_format(char *msg, size_t msglen, enum vrrp_ip_err err,
			       const uint8_t *pkt, size_t len);

/* ---- layer 2: the VRRP message ----------------------------------------- */

enum vrrp_pkt_err {
	VRRP_PKT_OK = 0,
	VRRP_PKT_BAD_ARGS,         /* family not AF_INET/AF_INET6, or src/dst
				    * missing where a pseudo-header needs them */
	VRRP_PKT_TRUNCATED_HDR,    /* fewer than 8 bytes */
	VRRP_PKT_BAD_VERSION,      /* version not 2 or 3 */
	VRRP_PKT_V2_OVER_IPV6,     /* version 2 in an IPv6 datagram */
	VRRP_PKT_BAD_TYPE,         /* type not 1 (ADVERTISEMENT) */
	VRRP_PKT_TRUNCATED_ADDRS,  /* ends inside the address list */
	VRRP_PKT_TRUNCATED_AUTH,   /* v2: ends inside the authentication data */
	VRRP_PKT_TRAILING,         /* bytes after the message that count implies */
	VRRP_PKT_BAD_CHECKSUM,     /* checksum mismatch */
	VRRP_PKT_BAD_AUTH_TYPE,    /* v2 auth type not 0, 1 or 2 */
	VRRP_PKT_ZERO_INTERVAL,    /* advertisement interval 0 */
	/* Only from vrrp_advert_check() (building): */
	VRRP_PKT_BAD_INTERVAL,     /* interval not representable in the version:
				    * v2 whole seconds 1-255, v3 1-4095 cs */
};

/*
 * Is buf[0..len) a well-formed VRRP advertisement? family is AF_INET or
 * AF_INET6; src and dst are the datagram's addresses (struct in_addr * or
 * struct in6_addr *), used for the v3 pseudo-header checksum (RFC 5798
 * 5.2.8) and ignored for v2 (checksum over the message only, RFC 3768
 * 5.3.8), where they may be NULL.
 *
 * Checks, in order: header present, version 2 or 3, v2 only over IPv4
 * (RFC 3768 is IPv4 only; keepalived sends a non-standard v2-over-IPv6
 * without auth data when vrrp_strict is off - rejected), type 1, length
 * exactly what the count implies (header + count * address size, + 8
 * bytes of auth data for v2), checksum, v2 auth type 0/1/2, interval not
 * zero. The v3 reserved bits are ignored (RFC 5798 5.2.6). A count of 0
 * is well-formed (keepalived sends it for a v2 instance without VIPs);
 * whether it matches the configured addresses is the instance's check.
 *
 * Trailing bytes are rejected. RFC 3768/5798 7.1 only require that the
 * packet "contains the complete VRRP packet", but the IP layer already
 * delimits the datagram, so extra bytes mean the count disagrees with
 * what was sent, and the v3 checksum covers a length the count cannot
 * explain; keepalived ("packet length mismatch against expected") and
 * FRR reject them too.
 *
 * For keepalived's pre-1.3.6 VRRPv3 unicast checksum ("old_unicast_
 * checksum", computed with 224.0.0.18 as the pseudo-header destination)
 * the caller may retry with that dst after VRRP_PKT_BAD_CHECKSUM.
 *
 * On VRRP_PKT_OK *out is filled (auth fields zero for v3); on error it is
 * unspecified. Never logs; the caller reports the error once.
 */
enum vrrp_pkt_err vrrp_advert_parse(const uint8_t *buf, size_t len, int family,
				    const void *src, const void *dst,
				    struct vrrp_advert *out);

/* A short, static phrase for err ("checksum mismatch"). */
const char *vrrp_pkt_err_str(enum vrrp_pkt_err err);
/* The phrase with the offending values read back from the packet, e.g.
 * "bad version 4", "checksum mismatch: 0x1234 in packet, 0xe4a1 computed",
 * into msg; returns msg. Arguments as given to vrrp_advert_parse(). */
const char *vrrp_pkt_err_format(char *msg, size_t msglen, enum vrrp_pkt_err err,
				const uint8_t *buf, size_t len, int family,
				const void *src, const void *dst);

/* ---- building ------------------------------------------------------------ */

/* Can a be sent as it is? VRRP_PKT_OK, or why not: BAD_ARGS (family),
 * BAD_VERSION, V2_OVER_IPV6, BAD_AUTH_TYPE (v2), ZERO_INTERVAL or
 * BAD_INTERVAL. Building does not round intervals: a v2 interval must
 * be whole seconds. */
enum vrrp_pkt_err vrrp_advert_check(const struct vrrp_advert *a);

/* Bytes of the VRRP message for a: 8 + naddr * (4 or 16) (+ 8 for v2). */
size_t vrrp_advert_len(const struct vrrp_advert *a);

/*
 * Write the VRRP message for a (no IP header: the kernel adds it) into
 * buf[0..len), with its checksum. For v3, src and dst are the addresses
 * the datagram will carry (struct in_addr * or struct in6_addr *, by
 * a->family) - the pseudo-header; keepalived uses 224.0.0.18 / ff02::12
 * or the unicast peer. v2 ignores them. v2 copies a->auth_data as is
 * (zero it for VRRP_AUTH_NONE; vrrp_auth_pass_encode() for PASS); with
 * VRRP_AUTH_AH the result is the message keepalived puts after its AH
 * header, which this module does not build. v3 writes the reserved bits
 * as zero and ignores the auth fields.
 *
 * Returns the bytes written (vrrp_advert_len(a)), or -1 when
 * vrrp_advert_check(a) fails, a v3 src/dst is NULL, or len is too small.
 */
ssize_t vrrp_advert_build(uint8_t *buf, size_t len, const struct vrrp_advert *a,
			  const void *src, const void *dst);

/*
 * The checksum buf[0..len) should carry (host order), computed with the
 * checksum field taken as zero: over the message for v2, over the
 * pseudo-header (src, dst, zero, 112, len) and the message for v3. The
 * version is read from buf[0]; family is AF_INET or AF_INET6, and src and
 * dst must not be NULL when buf is v3. For the instance's incremental
 * needs (keepalived's old unicast checksum) and for tests; parse and
 * build call it themselves.
 */
uint16_t vrrp_advert_checksum(const uint8_t *buf, size_t len, int family,
			      const void *src, const void *dst);

/* ---- helpers for the instance ----------------------------------------- */

/* The 8 bytes keepalived sends for auth_pass: the first 8 characters,
 * zero padded (keepalived truncates longer passwords with a warning). */
void vrrp_auth_pass_encode(uint8_t out[VRRP_AUTH_DATA_LEN], const char *pass);

/* Does a v2 advert carry PASS authentication with this password? Compares
 * all 8 bytes against vrrp_auth_pass_encode(pass), as keepalived does, so
 * "secret" matches "secret\0\0" and "longpassword" matches "longpass". */
bool vrrp_auth_pass_matches(const struct vrrp_advert *a, const char *pass);

/* Same advert? Compares the fields that reach the wire: version, vrid,
 * priority, interval, family, the naddr addresses, and for v2 the auth
 * type and data. */
bool vrrp_advert_equal(const struct vrrp_advert *a, const struct vrrp_advert *b);

/* "v3 vrid 51 prio 150 int 100cs 2 addrs" (+ " auth PASS" for v2) into
 * buf; returns buf. For debug logs and test failures. */
const char *vrrp_advert_describe(char *buf, size_t len, const struct vrrp_advert *a);

/* ---- layer 3 helper: the TTL / hop limit an advert must arrive with ---- */

/* What one received advert is judged against. RFC 5798 7.1 (RFC 3768
 * 7.1): a multicast advert must arrive with TTL / hop limit 255, proof
 * that it was sent on the link and not routed in. keepalived exempts
 * unicast adverts (their peers may be routed) and checks instead the
 * range a unicast_peer entry gives with min_ttl / max_ttl (0 and 255
 * when not written: anything passes). vigil's check_unicast_ttl adds
 * RFC 5798's rule for unicast adverts from a peer on the instance's own
 * link, which no router can have decremented. */
struct vrrp_ttl_rule {
	bool unicast;          /* the instance advertises to unicast peers */
	int min_ttl, max_ttl;  /* the sending peer's range (unicast only) */
	bool on_link_255;      /* check_unicast_ttl is on */
	bool peer_on_link;     /* the sender's address is on the instance's link */
};

enum vrrp_ttl_verdict {
	VRRP_TTL_OK = 0,
	VRRP_TTL_NOT_255,      /* multicast, or check_unicast_ttl on the link */
	VRRP_TTL_OUT_OF_RANGE, /* outside the peer's min_ttl..max_ttl */
};

/* Judge ttl (the received TTL / hop limit; -1 when the kernel did not
 * say, which fails every check that applies) against r. The range is
 * checked before the on-link rule, as keepalived checks it. Pure. */
enum vrrp_ttl_verdict vrrp_ttl_check(const struct vrrp_ttl_rule *r, int ttl);

#endif
