/* udpreply.c - see udpreply.h. */
#include "udpreply.h"

const char *udp_reply_verdict_str(enum udp_reply_verdict v)
{
	switch (v) {
	case UDP_REPLY_OK: return "ok";
	case UDP_REPLY_TOO_SHORT: return "reply too short";
	case UDP_REPLY_TOO_LONG: return "reply too long";
	case UDP_REPLY_MISMATCH: return "reply data mismatch";
	}
	return "unknown";
}

enum udp_reply_verdict udp_reply_judge(const uint8_t *data, size_t len,
				       const struct check_bytes *expect,
				       uint16_t min_len, uint16_t max_len, size_t *at)
{
	if (len < min_len)
		return UDP_REPLY_TOO_SHORT;
	if (len > max_len)
		return UDP_REPLY_TOO_LONG;
	size_t n = expect->len < len ? expect->len : len;
	for (size_t i = 0; i < n; i++) {
		uint8_t must = expect->mask ? expect->mask[i] : 0xff;
		if ((data[i] ^ expect->data[i]) & must) {
			if (at)
				*at = i;
			return UDP_REPLY_MISMATCH;
		}
	}
	return UDP_REPLY_OK;
}
