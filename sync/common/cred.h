/* cred.h — credential MACs: what a card UID or a PIN becomes before anything
 * stores, logs or sends it. HMAC-SHA256 (libsodium) under the organisation key,
 * with a domain prefix per kind so a card UID and a PIN never collide.
 * Used by the kiosk's readers and PIN pad and by the hub's CSV import.
 * Must not: keep, print or return the raw input anywhere. */
#ifndef PRESENTIE_CRED_H
#define PRESENTIE_CRED_H

#include <stddef.h>
#include <stdint.h>

#include "limits.h"

/* MAC of a card UID (PR_UID_MIN_BYTES..PR_UID_MAX_BYTES bytes).
 * Returns 0, or -1 if the length is out of range (out untouched). */
int cred_mac_card(const uint8_t key[PR_ORG_KEY_BYTES], const uint8_t *uid,
    size_t len, uint8_t out[PR_MAC_BYTES]);

/* MAC of a PIN: PR_PIN_MIN_DIGITS..PR_PIN_MAX_DIGITS ASCII digits, NUL-ended.
 * Returns 0, or -1 if digits is not such a string. */
int cred_mac_pin(const uint8_t key[PR_ORG_KEY_BYTES], const char *digits,
    uint8_t out[PR_MAC_BYTES]);

/* A phone pass (a QR code the dashboard issues, read by a 2D scanner that
 * types it like a keyboard): CRED_PASS_PREFIX then CRED_PASS_GROUPS groups of
 * CRED_PASS_GROUP_DIGITS decimal digits, each the big-endian value of 4 of the
 * CRED_PASS_BYTES random bytes. Only a letter that is no kiosk hotkey and sits
 * in the same place on QWERTY and AZERTY (K), then P, then digits: the
 * scanner types it right on either layout. */
#define CRED_PASS_PREFIX        "KP1"
#define CRED_PASS_PREFIX_LEN    3
#define CRED_PASS_BYTES         16
#define CRED_PASS_GROUPS        4
#define CRED_PASS_GROUP_DIGITS  10
#define CRED_PASS_CHARS         (CRED_PASS_PREFIX_LEN + CRED_PASS_GROUPS * CRED_PASS_GROUP_DIGITS)
#define CRED_PASS_STR           (CRED_PASS_CHARS + 1)

/* MAC of a pass's random bytes (domain "pass:", never equal to a card's).
 * Returns 0, or -1 (libsodium unusable; out untouched). */
int cred_mac_pass(const uint8_t key[PR_ORG_KEY_BYTES], const uint8_t bytes[CRED_PASS_BYTES],
    uint8_t out[PR_MAC_BYTES]);

/* Format bytes as a pass string into out (CRED_PASS_STR bytes). */
void cred_pass_format(const uint8_t bytes[CRED_PASS_BYTES], char out[CRED_PASS_STR]);

/* Parse a pass string (prefix case-insensitive, exactly CRED_PASS_CHARS
 * characters, NUL-ended) into bytes. Returns 0, or -1 (bytes untouched). */
int cred_pass_parse(const char *s, uint8_t bytes[CRED_PASS_BYTES]);

/* Parse hex ("04A1B2C3", "04:a1:b2:c3" also accepted) into uid.
 * Returns 0 and sets *len, or -1 if not hex, odd, or not 4, 7 or 10 bytes. */
int cred_uid_parse(const char *hex, uint8_t *uid, size_t max, size_t *len);

/* A random (non-unique) UID: 4 bytes starting 0x08 (ISO 14443-3 RID), as
 * phones and some cards present. Such a UID cannot identify a person. */
int cred_uid_is_random(const uint8_t *uid, size_t len);

/* Lower-case hex of n bytes into out (2n+1 bytes). */
void cred_hex(const uint8_t *bytes, size_t n, char *out);
/* Parse exactly n bytes of hex. Returns 0 or -1. */
int cred_unhex(const char *hex, uint8_t *out, size_t n);

#endif
