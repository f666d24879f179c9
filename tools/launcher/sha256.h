/* SHA-256 (FIPS 180-4), enough for the launcher to check what it unpacks. */
#ifndef TRACEE_LAUNCHER_SHA256_H
#define TRACEE_LAUNCHER_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32
#define SHA256_HEX_LEN 64

struct sha256 {
	uint32_t h[8];
	uint64_t total; /* bytes hashed so far */
	uint8_t block[64];
	size_t used; /* bytes waiting in block */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final(struct sha256 *s, uint8_t out[SHA256_LEN]);

/* Lower-case hex of a digest, NUL-terminated (hex has SHA256_HEX_LEN + 1 bytes). */
void sha256_hex(const uint8_t digest[SHA256_LEN], char *hex);

#endif
