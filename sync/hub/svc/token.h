/* token.h — secrets the hub hands out and how it keeps them: device and
 * coordinator bearer tokens (32 random bytes, base64url), enrolment codes,
 * random ids, and the SHA-256 form that is the only thing stored.
 * Must not: log or store a token or code in the clear. */
#ifndef PRESENTIE_HUB_TOKEN_H
#define PRESENTIE_HUB_TOKEN_H

#include <stddef.h>

#define HUB_TOKEN_BYTES   32
#define HUB_TOKEN_STR     44   /* 43 base64url chars + NUL */
#define HUB_HASH_HEX      65   /* SHA-256 in hex + NUL */
#define HUB_CODE_STR      15   /* "XXXX-XXXX-XXXX" + NUL */
#define HUB_CODE_CHARS    12   /* significant characters of a code */
#define HUB_ID_RAND_BYTES 10   /* random part of a generated id */

/* A new random token. Returns 0, -1 on failure (out is then ""). */
int hub_token_new(char out[HUB_TOKEN_STR]);
/* 1 if s looks like a token (43 base64url characters), else 0. */
int hub_token_well_formed(const char *s);
/* SHA-256 of s as lower-case hex. */
void hub_hash_hex(const char *s, size_t len, char out[HUB_HASH_HEX]);
/* Constant-time comparison of two hex hashes: 1 if equal. */
int hub_hash_equal(const char *a, const char *b);

/* A new enrolment code "XXXX-XXXX-XXXX" (no 0/O/1/I/L/U). */
void hub_code_new(char out[HUB_CODE_STR]);
/* Normalise a typed code (case, dashes, spaces) to its 12 characters.
 * Returns 0, or -1 if it cannot be a code. */
int hub_code_normalise(const char *in, char out[HUB_CODE_CHARS + 1]);

/* prefix + "_" + 20 lower-case hex digits into out. Returns 0 or -1 if too small. */
int hub_id_new(const char *prefix, char *out, size_t outlen);

#endif
