/* test_cred.c — credential MACs (cred.h): known HMAC-SHA256 vectors computed
 * independently (Python hmac), domain separation, length checks, UID parsing
 * and the random-UID test, the phone pass string and its MAC. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cred.h"

static void key_seq(uint8_t key[PR_ORG_KEY_BYTES])
{
	for (int i = 0; i < PR_ORG_KEY_BYTES; i++)
		key[i] = (uint8_t)i;
}

static void test_known_vectors(void **state)
{
	uint8_t key[PR_ORG_KEY_BYTES], uid[PR_UID_MAX_BYTES], mac[PR_MAC_BYTES];
	char hex[PR_MAC_HEX];
	size_t len = 0;

	(void)state;
	key_seq(key);
	assert_int_equal(cred_uid_parse("04000000000001", uid, sizeof uid, &len), 0);
	assert_int_equal(len, 7);
	assert_int_equal(cred_mac_card(key, uid, len, mac), 0);
	cred_hex(mac, sizeof mac, hex);
	/* python3: hmac.new(bytes(range(32)), b'card:'+bytes.fromhex('04000000000001'), sha256) */
	assert_string_equal(hex, "d7fe3c93db91d38b8573ce35d0cd645a598e731704cf0f1f58f562b9999e5507");
	assert_int_equal(cred_mac_pin(key, "1234", mac), 0);
	cred_hex(mac, sizeof mac, hex);
	assert_string_equal(hex, "0a45ea8a30602868a9fb40188d9558c9dadf42d5d8f143ced23ea8b63edb9dde");
}

static void test_domain_separation(void **state)
{
	uint8_t key[PR_ORG_KEY_BYTES], a[PR_MAC_BYTES], b[PR_MAC_BYTES];
	const uint8_t uid[4] = { '1', '2', '3', '4' };   /* same bytes as PIN "1234" */

	(void)state;
	key_seq(key);
	assert_int_equal(cred_mac_card(key, uid, sizeof uid, a), 0);
	assert_int_equal(cred_mac_pin(key, "1234", b), 0);
	assert_memory_not_equal(a, b, sizeof a);
	key[0] ^= 1;                                     /* other organisation */
	assert_int_equal(cred_mac_pin(key, "1234", a), 0);
	assert_memory_not_equal(a, b, sizeof a);
}

static void test_bad_lengths(void **state)
{
	uint8_t key[PR_ORG_KEY_BYTES], uid[16] = { 0 }, mac[PR_MAC_BYTES], keep[PR_MAC_BYTES];

	(void)state;
	key_seq(key);
	memset(mac, 0xaa, sizeof mac);
	memcpy(keep, mac, sizeof mac);
	assert_int_equal(cred_mac_card(key, uid, 3, mac), -1);
	assert_int_equal(cred_mac_card(key, uid, 11, mac), -1);
	assert_int_equal(cred_mac_card(key, uid, 0, mac), -1);
	assert_memory_equal(mac, keep, sizeof mac);      /* out untouched */
	assert_int_equal(cred_mac_card(key, uid, 4, mac), 0);
	assert_int_equal(cred_mac_card(key, uid, 10, mac), 0);

	assert_int_equal(cred_mac_pin(key, "123", mac), -1);
	assert_int_equal(cred_mac_pin(key, "123456789", mac), -1);
	assert_int_equal(cred_mac_pin(key, "12a4", mac), -1);
	assert_int_equal(cred_mac_pin(key, "", mac), -1);
	assert_int_equal(cred_mac_pin(key, " 1234", mac), -1);
	assert_int_equal(cred_mac_pin(key, "1234 ", mac), -1);
	assert_int_equal(cred_mac_pin(key, "12345678", mac), 0);
	assert_int_equal(cred_mac_pin(key, NULL, mac), -1);
}

static void test_uid_parse(void **state)
{
	uint8_t uid[PR_UID_MAX_BYTES];
	size_t len = 0;
	static const char *bad[] = {
		"", "0", "04A1B2", "04A1B2C3D5", "04a1b2c3x0", "04:a1b2c3", ":04a1b2c3",
		"04:a1:b2:c3:", "04::a1:b2:c3", "04 a1 b2 c3", "04A1B2C3D4E5F6A7B8C9D0",
		"0x04a1b2c3", "04a1b2c", "04A1B2C30", "04a1b2c3d4e5f6a7b8c9d0e1",
	};

	(void)state;
	assert_int_equal(cred_uid_parse("04A1B2C3", uid, sizeof uid, &len), 0);
	assert_int_equal(len, 4);
	assert_int_equal(uid[0], 0x04);
	assert_int_equal(uid[3], 0xc3);
	assert_int_equal(cred_uid_parse("04:a1:b2:c3:d4:e5:f6", uid, sizeof uid, &len), 0);
	assert_int_equal(len, 7);
	assert_int_equal(uid[6], 0xf6);
	assert_int_equal(cred_uid_parse("04a1b2c3d4e5f6a7b8c9", uid, sizeof uid, &len), 0);
	assert_int_equal(len, 10);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(cred_uid_parse(bad[i], uid, sizeof uid, &len), -1);
	/* too small a buffer */
	assert_int_equal(cred_uid_parse("04a1b2c3d4e5f6", uid, 4, &len), -1);
}

static void test_random_uid(void **state)
{
	uint8_t uid[PR_UID_MAX_BYTES];
	size_t len = 0;

	(void)state;
	assert_int_equal(cred_uid_parse("08123456", uid, sizeof uid, &len), 0);
	assert_true(cred_uid_is_random(uid, len));
	assert_int_equal(cred_uid_parse("04123456", uid, sizeof uid, &len), 0);
	assert_false(cred_uid_is_random(uid, len));
	assert_int_equal(cred_uid_parse("08123456789abc", uid, sizeof uid, &len), 0);
	assert_false(cred_uid_is_random(uid, len));      /* 7-byte UIDs are unique */
}

static void test_hex_roundtrip(void **state)
{
	uint8_t in[PR_ORG_KEY_BYTES], out[PR_ORG_KEY_BYTES];
	char hex[2 * PR_ORG_KEY_BYTES + 1];

	(void)state;
	key_seq(in);
	cred_hex(in, sizeof in, hex);
	assert_int_equal(strlen(hex), 64);
	assert_int_equal(cred_unhex(hex, out, sizeof out), 0);
	assert_memory_equal(in, out, sizeof in);
	hex[63] = '\0';
	assert_int_equal(cred_unhex(hex, out, sizeof out), -1);   /* short */
	assert_int_equal(cred_unhex("zz", out, 1), -1);
	assert_int_equal(cred_unhex("0a0b", out, 1), -1);          /* long */
	assert_int_equal(cred_unhex("0A", out, 1), 0);
	assert_int_equal(out[0], 0x0a);
}

/* The pass string: a fixed vector (python3 '%010d' of each big-endian 4-byte
 * group), the all-ones edge, round trips, and what a parser must refuse. */
static void test_pass_format(void **state)
{
	uint8_t b[CRED_PASS_BYTES], back[CRED_PASS_BYTES], key[PR_ORG_KEY_BYTES], mac[PR_MAC_BYTES];
	char s[CRED_PASS_STR], hex[PR_MAC_HEX];
	static const char *bad[] = {
		"", "KP1", "KP2000006605100674380870134810123020218215",
		"KP1000006605100674380870134810123020218215",     /* 39 digits */
		"KP100000660510067438087013481012302021821590",   /* 41 digits */
		"KP14294967296429496729542949672954294967295",    /* a group > 2^32-1 */
		"KP1000006605100674380870134810123020218215x",
		"XP10000066051006743808701348101230202182159",
		"KP1 000066051006743808701348101230202182159",
	};

	(void)state;
	for (int i = 0; i < CRED_PASS_BYTES; i++)
		b[i] = (uint8_t)i;
	cred_pass_format(b, s);
	assert_string_equal(s, "KP10000066051006743808701348101230202182159");
	assert_int_equal(strlen(s), CRED_PASS_CHARS);
	assert_int_equal(cred_pass_parse(s, back), 0);
	assert_memory_equal(b, back, sizeof b);
	assert_int_equal(cred_pass_parse("kp10000066051006743808701348101230202182159", back), 0);
	assert_memory_equal(b, back, sizeof b);
	key_seq(key);
	assert_int_equal(cred_mac_pass(key, b, mac), 0);
	cred_hex(mac, sizeof mac, hex);
	/* python3: hmac.new(bytes(range(32)), b'pass:'+bytes(range(16)), sha256) */
	assert_string_equal(hex, "42d61ba499b9daa9b6eb4f6c1fac551eb9b3f19ffb622f049f9a3a7fbcc8b447");
	memset(b, 0xff, sizeof b);
	cred_pass_format(b, s);
	assert_string_equal(s, "KP14294967295429496729542949672954294967295");
	memset(back, 0, sizeof back);
	assert_int_equal(cred_pass_parse(s, back), 0);
	assert_memory_equal(b, back, sizeof b);
	memset(back, 0x5a, sizeof back);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(cred_pass_parse(bad[i], back), -1);
	assert_int_equal(back[0], 0x5a);   /* untouched */
	assert_int_equal(cred_pass_parse(NULL, back), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_vectors),
		cmocka_unit_test(test_domain_separation),
		cmocka_unit_test(test_bad_lengths),
		cmocka_unit_test(test_uid_parse),
		cmocka_unit_test(test_random_uid),
		cmocka_unit_test(test_hex_roundtrip),
		cmocka_unit_test(test_pass_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
