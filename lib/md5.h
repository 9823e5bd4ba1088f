/* md5.h - MD5 message digest (RFC 1321), incremental.
 *
 * HTTP_GET's digest and vigil-genhash hash a response body as it
 * arrives, so the API is init / update (any number of times, any sizes)
 * / final. Pure: no allocation, no globals, no I/O. Our own code so the
 * checker does not depend on OpenSSL's headers (OpenSSL 3 deprecates its
 * MD5_* functions) nor on which TLS backend libcurl was built with.
 */
#ifndef VIGIL_MD5_H
#define VIGIL_MD5_H

#include <stddef.h>
#include <stdint.h>

#define MD5_DIGEST_LEN 16
#define MD5_HEX_LEN    (2 * MD5_DIGEST_LEN + 1)   /* with the NUL */

struct md5_ctx {
	uint32_t state[4];   /* A, B, C, D of RFC 1321 3.3 */
	uint64_t bytes;      /* message length so far, in bytes */
	uint8_t block[64];   /* a partial block waiting for more input */
};

void md5_init(struct md5_ctx *c);
void md5_update(struct md5_ctx *c, const void *data, size_t len);
/* Pad, write the 16-byte digest to out; c must be re-initialised before
 * it is used again. */
void md5_final(struct md5_ctx *c, uint8_t out[MD5_DIGEST_LEN]);
/* One-shot convenience. */
void md5(const void *data, size_t len, uint8_t out[MD5_DIGEST_LEN]);
/* Lower-case hex, as md5sum(1) and genhash print it; returns out. */
char *md5_hex(const uint8_t digest[MD5_DIGEST_LEN], char out[MD5_HEX_LEN]);

#endif
