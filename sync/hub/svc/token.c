/* token.c — random tokens, codes and ids (libsodium) and their hashes.
 * Must not: print, log or keep a secret beyond the caller's buffer. */
#include "hub/svc/token.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char code_alpha[] = "ABCDEFGHJKMNPQRSTVWXYZ23456789";

int hub_token_new(char out[HUB_TOKEN_STR])
{
	unsigned char raw[HUB_TOKEN_BYTES];

	out[0] = '\0';
	randombytes_buf(raw, sizeof(raw));
	if (sodium_bin2base64(out, HUB_TOKEN_STR, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) == NULL)
		return -1;
	sodium_memzero(raw, sizeof(raw));
	return 0;
}

int hub_token_well_formed(const char *s)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++) {
		char c = s[n];

		if (n >= HUB_TOKEN_STR - 1)
			return 0;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return 0;
	}
	return n == HUB_TOKEN_STR - 1;
}

void hub_hash_hex(const char *s, size_t len, char out[HUB_HASH_HEX])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)s, len);
	sodium_bin2hex(out, HUB_HASH_HEX, h, sizeof(h));
}

int hub_hash_equal(const char *a, const char *b)
{
	if (strlen(a) != HUB_HASH_HEX - 1 || strlen(b) != HUB_HASH_HEX - 1)
		return 0;
	return sodium_memcmp(a, b, HUB_HASH_HEX - 1) == 0;
}

void hub_code_new(char out[HUB_CODE_STR])
{
	size_t o = 0;

	for (int i = 0; i < HUB_CODE_CHARS; i++) {
		if (i > 0 && i % 4 == 0)
			out[o++] = '-';
		out[o++] = code_alpha[randombytes_uniform(sizeof(code_alpha) - 1)];
	}
	out[o] = '\0';
}

int hub_code_normalise(const char *in, char out[HUB_CODE_CHARS + 1])
{
	size_t o = 0;

	for (size_t i = 0; in[i] != '\0'; i++) {
		char c = in[i];

		if (c == '-' || c == ' ')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (o >= HUB_CODE_CHARS || strchr(code_alpha, c) == NULL || c == '\0')
			return -1;
		out[o++] = c;
		if (i > 64)
			return -1;
	}
	out[o] = '\0';
	return o == HUB_CODE_CHARS ? 0 : -1;
}

int hub_id_new(const char *prefix, char *out, size_t outlen)
{
	unsigned char raw[HUB_ID_RAND_BYTES];
	char hex[2 * HUB_ID_RAND_BYTES + 1];
	int n;

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
	n = snprintf(out, outlen, "%s_%s", prefix, hex);
	return (n < 0 || (size_t)n >= outlen) ? -1 : 0;
}
