/* cred.c — credential MACs (see cred.h): HMAC-SHA256 under the organisation
 * key with a "card:" / "pin:" domain prefix, UID hex parsing and formatting.
 * Must not: keep, print or return the raw UID or PIN; every temporary copy of
 * one is wiped (sodium_memzero) before returning. */
#include "cred.h"

#include <pthread.h>
#include <string.h>

#include <sodium.h>

#define CRED_DOMAIN_CARD "card:"
#define CRED_DOMAIN_PIN  "pin:"
#define CRED_DOMAIN_PASS "pass:"

static pthread_once_t cred_once = PTHREAD_ONCE_INIT;
static int cred_sodium_rc = -1;

static void cred_init_once(void)
{
	cred_sodium_rc = sodium_init() < 0 ? -1 : 0;
}

/* HMAC-SHA256(key, domain || msg). Returns 0 or -1 (libsodium unusable). */
static int cred_mac(const uint8_t key[PR_ORG_KEY_BYTES], const char *domain,
    const uint8_t *msg, size_t len, uint8_t out[PR_MAC_BYTES])
{
	crypto_auth_hmacsha256_state st;
	int rc = -1;

	pthread_once(&cred_once, cred_init_once);
	if (cred_sodium_rc != 0)
		return -1;
	if (crypto_auth_hmacsha256_init(&st, key, PR_ORG_KEY_BYTES) != 0)
		goto out;
	if (crypto_auth_hmacsha256_update(&st, (const unsigned char *)domain,
	    strlen(domain)) != 0)
		goto out;
	if (crypto_auth_hmacsha256_update(&st, msg, len) != 0)
		goto out;
	if (crypto_auth_hmacsha256_final(&st, out) != 0)
		goto out;
	rc = 0;
out:
	sodium_memzero(&st, sizeof st);
	return rc;
}

int cred_mac_card(const uint8_t key[PR_ORG_KEY_BYTES], const uint8_t *uid,
    size_t len, uint8_t out[PR_MAC_BYTES])
{
	uint8_t tmp[PR_MAC_BYTES];

	if (key == NULL || uid == NULL || out == NULL)
		return -1;
	if (len < PR_UID_MIN_BYTES || len > PR_UID_MAX_BYTES)
		return -1;
	if (cred_mac(key, CRED_DOMAIN_CARD, uid, len, tmp) != 0)
		return -1;
	memcpy(out, tmp, sizeof tmp);
	return 0;
}

int cred_mac_pin(const uint8_t key[PR_ORG_KEY_BYTES], const char *digits,
    uint8_t out[PR_MAC_BYTES])
{
	uint8_t tmp[PR_MAC_BYTES];
	size_t n = 0;

	if (key == NULL || digits == NULL || out == NULL)
		return -1;
	while (n <= PR_PIN_MAX_DIGITS && digits[n] >= '0' && digits[n] <= '9')
		n++;
	if (digits[n] != '\0' || n < PR_PIN_MIN_DIGITS || n > PR_PIN_MAX_DIGITS)
		return -1;
	if (cred_mac(key, CRED_DOMAIN_PIN, (const uint8_t *)digits, n, tmp) != 0)
		return -1;
	memcpy(out, tmp, sizeof tmp);
	return 0;
}

int cred_mac_pass(const uint8_t key[PR_ORG_KEY_BYTES], const uint8_t bytes[CRED_PASS_BYTES],
    uint8_t out[PR_MAC_BYTES])
{
	uint8_t tmp[PR_MAC_BYTES];

	if (key == NULL || bytes == NULL || out == NULL)
		return -1;
	if (cred_mac(key, CRED_DOMAIN_PASS, bytes, CRED_PASS_BYTES, tmp) != 0)
		return -1;
	memcpy(out, tmp, sizeof tmp);
	return 0;
}

void cred_pass_format(const uint8_t bytes[CRED_PASS_BYTES], char out[CRED_PASS_STR])
{
	size_t o = CRED_PASS_PREFIX_LEN;

	memcpy(out, CRED_PASS_PREFIX, CRED_PASS_PREFIX_LEN);
	for (size_t g = 0; g < CRED_PASS_GROUPS; g++) {
		uint32_t v = (uint32_t)bytes[4 * g] << 24 | (uint32_t)bytes[4 * g + 1] << 16 |
		    (uint32_t)bytes[4 * g + 2] << 8 | bytes[4 * g + 3];

		for (size_t d = CRED_PASS_GROUP_DIGITS; d > 0; d--) {
			out[o + d - 1] = (char)('0' + v % 10);
			v /= 10;
		}
		o += CRED_PASS_GROUP_DIGITS;
	}
	out[o] = '\0';
}

int cred_pass_parse(const char *s, uint8_t bytes[CRED_PASS_BYTES])
{
	uint8_t tmp[CRED_PASS_BYTES];
	size_t i;
	int rc = -1;

	if (s == NULL || bytes == NULL)
		return -1;
	for (i = 0; i < CRED_PASS_PREFIX_LEN; i++) {
		char c = s[i];

		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c != CRED_PASS_PREFIX[i])
			return -1;
	}
	for (size_t g = 0; g < CRED_PASS_GROUPS; g++) {
		uint64_t v = 0;

		for (size_t d = 0; d < CRED_PASS_GROUP_DIGITS; d++, i++) {
			if (s[i] < '0' || s[i] > '9')
				goto out;
			v = v * 10 + (uint64_t)(s[i] - '0');
		}
		if (v > UINT32_MAX)
			goto out;
		for (size_t b = 0; b < 4; b++)
			tmp[4 * g + b] = (uint8_t)(v >> (8 * (3 - b)));
	}
	if (s[i] != '\0')
		goto out;
	memcpy(bytes, tmp, sizeof tmp);
	rc = 0;
out:
	sodium_memzero(tmp, sizeof tmp);
	return rc;
}

static int cred_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int cred_uid_parse(const char *hex, uint8_t *uid, size_t max, size_t *len)
{
	uint8_t tmp[PR_UID_MAX_BYTES];
	size_t n = 0, i = 0;
	int colons = -1;          /* unknown until the first byte boundary */
	int rc = -1;

	if (hex == NULL || uid == NULL || len == NULL)
		return -1;
	for (;;) {
		int hi, lo;

		if (n >= PR_UID_MAX_BYTES)
			goto out;
		hi = cred_hexval(hex[i]);
		lo = hi < 0 ? -1 : cred_hexval(hex[i + 1]);
		if (hi < 0 || lo < 0)
			goto out;
		tmp[n++] = (uint8_t)(hi << 4 | lo);
		i += 2;
		if (hex[i] == '\0')
			break;
		if (colons < 0)
			colons = hex[i] == ':';
		if (colons) {
			if (hex[i] != ':')
				goto out;
			i++;
		}
	}
	if (n != 4 && n != 7 && n != 10)
		goto out;
	if (n > max)
		goto out;
	memcpy(uid, tmp, n);
	*len = n;
	rc = 0;
out:
	sodium_memzero(tmp, sizeof tmp);
	return rc;
}

int cred_uid_is_random(const uint8_t *uid, size_t len)
{
	return uid != NULL && len == 4 && uid[0] == 0x08;
}

void cred_hex(const uint8_t *bytes, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[bytes[i] >> 4];
		out[2 * i + 1] = digits[bytes[i] & 0x0f];
	}
	out[2 * n] = '\0';
}

int cred_unhex(const char *hex, uint8_t *out, size_t n)
{
	size_t i;

	if (hex == NULL || out == NULL)
		return -1;
	for (i = 0; i < 2 * n; i++)
		if (cred_hexval(hex[i]) < 0)
			return -1;
	if (hex[2 * n] != '\0')
		return -1;
	for (i = 0; i < n; i++) {
		int hi = cred_hexval(hex[2 * i]), lo = cred_hexval(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)   /* validated above; keeps the shift defined */
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}
