/* icmpecho.h - ICMP / ICMPv6 echo requests and the reading of replies,
 * for PING_CHECK. Pure: no I/O, no globals. */
#ifndef VIGIL_CHECK_ICMPECHO_H
#define VIGIL_CHECK_ICMPECHO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ICMP_ECHO_HDR_LEN 8
#define ICMP_ECHO_DATA_LEN 56     /* as ping(8) sends */
#define ICMP_ECHO_LEN (ICMP_ECHO_HDR_LEN + ICMP_ECHO_DATA_LEN)

/* An echo request (type 8, or 128 for v6) of ICMP_ECHO_LEN octets into
 * buf, with id, seq and a data pattern. The ICMPv4 checksum is filled
 * in (RFC 792); for ICMPv6 it is left 0, as the kernel computes it over
 * the pseudo-header (RFC 4443 2.3). */
void icmp_echo_build(uint8_t buf[ICMP_ECHO_LEN], bool v6, uint16_t id, uint16_t seq);

/* The Internet checksum (RFC 1071) of buf[0..len). */
uint16_t icmp_checksum(const uint8_t *buf, size_t len);

enum icmp_reply_verdict {
	ICMP_REPLY_MATCH,         /* the echo reply to our request */
	ICMP_REPLY_UNREACHABLE,   /* a destination unreachable quoting our request */
	ICMP_REPLY_OTHER,         /* anything else: someone else's, or not a reply */
	ICMP_REPLY_SHORT,         /* too short to be ICMP */
};

/* Read one datagram from an ICMP socket. with_ip: an IPv4 raw socket's
 * datagram, which starts with the IP header. check_id: compare the id
 * (a raw socket sees every host's ICMP; an ICMP datagram socket has the
 * kernel choose the id and deliver only its replies). */
enum icmp_reply_verdict icmp_echo_match(const uint8_t *buf, size_t len, bool v6, bool with_ip,
					bool check_id, uint16_t id, uint16_t seq);

#endif
