/* md5.c - RFC 1321 MD5; see md5.h.
 *
 * Written from the RFC's description (section 3): 64-byte blocks, four
 * rounds of sixteen steps, each step a = b + ((a + F(b,c,d) + X[k] + T[i])
 * <<< s). T[i] is floor(2^32 * |sin(i)|), tabulated here rather than
 * computed so the result never depends on the libm in use.
 */
#include "md5.h"

#include <string.h>

static const uint32_t T[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
	0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
	0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
	0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
	0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

/* Per-round shift amounts (RFC 1321 3.4: S11..S44). */
static const uint8_t S[4][4] = {
	{ 7, 12, 17, 22 }, { 5, 9, 14, 20 }, { 4, 11, 16, 23 }, { 6, 10, 15, 21 },
};

static uint32_t rotl(uint32_t x, unsigned s)
{
	return (x << s) | (x >> (32 - s));
}

/* The message is little-endian 32-bit words (RFC 1321 2: "low-order
 * byte first"), whatever the host's byte order. */
static uint32_t load_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void store_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void transform(uint32_t state[4], const uint8_t block[64])
{
	uint32_t x[16];
	uint32_t a = state[0], b = state[1], c = state[2], d = state[3];

	for (int i = 0; i < 16; i++)
		x[i] = load_le32(block + 4 * i);
	for (unsigned i = 0; i < 64; i++) {
		uint32_t f;
		unsigned k;
		/* Round functions F, G, H, I and the word order of each round. */
		switch (i / 16) {
		case 0: f = (b & c) | (~b & d); k = i; break;
		case 1: f = (b & d) | (c & ~d); k = (5 * i + 1) % 16; break;
		case 2: f = b ^ c ^ d; k = (3 * i + 5) % 16; break;
		default: f = c ^ (b | ~d); k = (7 * i) % 16; break;
		}
		uint32_t tmp = d;
		d = c;
		c = b;
		b = b + rotl(a + f + x[k] + T[i], S[i / 16][i % 4]);
		a = tmp;
	}
	state[0] += a;
	state[1] += b;
	state[2] += c;
	state[3] += d;
}

void md5_init(struct md5_ctx *c)
{
	/* RFC 1321 3.3: word A = 01 23 45 67 (low-order byte first), ... */
	c->state[0] = 0x67452301;
	c->state[1] = 0xefcdab89;
	c->state[2] = 0x98badcfe;
	c->state[3] = 0x10325476;
	c->bytes = 0;
}

void md5_update(struct md5_ctx *c, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t have = (size_t)(c->bytes % 64);

	c->bytes += len;
	if (have) {
		size_t take = 64 - have < len ? 64 - have : len;
		memcpy(c->block + have, p, take);
		p += take;
		len -= take;
		if (have + take < 64)
			return;
		transform(c->state, c->block);
	}
	for (; len >= 64; p += 64, len -= 64)
		transform(c->state, p);
	if (len)
		memcpy(c->block, p, len);
}

void md5_final(struct md5_ctx *c, uint8_t out[MD5_DIGEST_LEN])
{
	/* RFC 1321 3.1-3.2: a 1 bit, zeros up to 56 mod 64 bytes, then the
	 * length in bits as a 64-bit little-endian number. */
	static const uint8_t pad[64] = { 0x80 };
	uint64_t bits = c->bytes * 8;
	size_t have = (size_t)(c->bytes % 64);
	uint8_t len_le[8];

	for (int i = 0; i < 8; i++)
		len_le[i] = (uint8_t)(bits >> (8 * i));
	md5_update(c, pad, have < 56 ? 56 - have : 120 - have);
	md5_update(c, len_le, sizeof(len_le));
	for (int i = 0; i < 4; i++)
		store_le32(out + 4 * i, c->state[i]);
}

void md5(const void *data, size_t len, uint8_t out[MD5_DIGEST_LEN])
{
	struct md5_ctx c;
	md5_init(&c);
	md5_update(&c, data, len);
	md5_final(&c, out);
}

char *md5_hex(const uint8_t digest[MD5_DIGEST_LEN], char out[MD5_HEX_LEN])
{
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < MD5_DIGEST_LEN; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[2 * MD5_DIGEST_LEN] = '\0';
	return out;
}
