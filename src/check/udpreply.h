/* udpreply.h - UDP_CHECK's judgement of a reply (require_reply,
 * min_reply_length, max_reply_length). Pure. */
#ifndef VIGIL_CHECK_UDPREPLY_H
#define VIGIL_CHECK_UDPREPLY_H

#include <stddef.h>
#include <stdint.h>

#include "model_check.h"

enum udp_reply_verdict {
	UDP_REPLY_OK,
	UDP_REPLY_TOO_SHORT,    /* fewer octets than min_reply_length */
	UDP_REPLY_TOO_LONG,     /* more octets than max_reply_length */
	UDP_REPLY_MISMATCH,     /* an octet differs from require_reply under its mask */
};

const char *udp_reply_verdict_str(enum udp_reply_verdict v);

/* Judge a reply of len octets (data holds its first min(len, expect->len)
 * at least) against expect (len 0: any content) and the length bounds.
 * As keepalived 2.2.7's check_udp_reply(): only the first
 * min(len, expect->len) octets are compared, so a reply shorter than
 * expect matches on what it has (min_reply_length is what rules that
 * out). A mask bit set means the bit must match (an 'x' digit clears
 * four). *at, if not NULL, gets the offset of the first mismatch. */
enum udp_reply_verdict udp_reply_judge(const uint8_t *data, size_t len,
				       const struct check_bytes *expect,
				       uint16_t min_len, uint16_t max_len, size_t *at);

#endif
