/* test_uuid.c — UUIDv7 (uuid7.h) format, version/variant bits, embedded
 * timestamp, ordering across and within milliseconds, and the validator;
 * plus clockinfo sampling and its test overrides. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clockinfo.h"
#include "uuid7.h"

static int64_t ts_of(const char *u)
{
	char hex[13];
	int j = 0;

	for (int i = 0; i < 13 && j < 12; i++)
		if (u[i] != '-')
			hex[j++] = u[i];
	hex[12] = '\0';
	return strtoll(hex, NULL, 16);
}

static void test_format(void **state)
{
	char u[PR_UUID_STR];
	const int64_t ms = 1727272727123LL;

	(void)state;
	assert_int_equal(uuid7_make(ms, u), 0);
	assert_int_equal(strlen(u), 36);
	assert_true(uuid_is_valid(u));
	assert_int_equal(u[14], '7');                     /* version */
	assert_non_null(strchr("89ab", u[19]));           /* variant 10xx */
	assert_int_equal(ts_of(u), ms);
	for (int i = 0; i < 36; i++)                      /* lower case */
		assert_false(u[i] >= 'A' && u[i] <= 'F');
}

static void test_ordering(void **state)
{
	char prev[PR_UUID_STR], cur[PR_UUID_STR];

	(void)state;
	assert_int_equal(uuid7_make(1000, prev), 0);
	for (int i = 1; i < 3000; i++) {
		/* 1000 ids in each of three milliseconds, then later ones */
		assert_int_equal(uuid7_make(1000 + i / 1000, cur), 0);
		assert_true(strcmp(prev, cur) < 0);
		memcpy(prev, cur, sizeof cur);
	}
	assert_int_equal(uuid7_make(1LL << 47, cur), 0);
	assert_true(strcmp(prev, cur) < 0);
}

static void test_unique(void **state)
{
	char a[PR_UUID_STR], b[PR_UUID_STR];

	(void)state;
	assert_int_equal(uuid7_make(5, a), 0);
	assert_int_equal(uuid7_make(6, b), 0);
	assert_int_equal(uuid7_make(5, b), 0);            /* back in time: random again */
	assert_string_not_equal(a, b);
}

static void test_validator(void **state)
{
	(void)state;
	assert_true(uuid_is_valid("0192c9d3-1a2b-7c3d-8e4f-0123456789ab"));
	assert_true(uuid_is_valid("0192C9D3-1A2B-7C3D-8E4F-0123456789AB"));
	assert_false(uuid_is_valid(""));
	assert_false(uuid_is_valid(NULL));
	assert_false(uuid_is_valid("0192c9d3-1a2b-7c3d-8e4f-0123456789a"));
	assert_false(uuid_is_valid("0192c9d3-1a2b-7c3d-8e4f-0123456789abc"));
	assert_false(uuid_is_valid("0192c9d3x1a2b-7c3d-8e4f-0123456789ab"));
	assert_false(uuid_is_valid("0192c9d3-1a2b-7c3d-8e4f-0123456789ag"));
	assert_false(uuid_is_valid("{192c9d3-1a2b-7c3d-8e4f-0123456789ab"));
}

static void test_clockinfo(void **state)
{
	struct clockinfo a, b;

	(void)state;
	unsetenv("PRESENTIE_FAKE_UNSYNCED");
	unsetenv("PRESENTIE_FAKE_SYNCED");
	unsetenv("PRESENTIE_FAKE_WALL_OFFSET_S");
	assert_int_equal(clockinfo_now(&a), 0);
	assert_true(uuid_is_valid(a.boot_id));
	assert_true(a.wall_ms > 1600000000000LL);
	assert_true(a.boottime_ns > 0);
	assert_true(a.synced == 0 || a.synced == 1);

	setenv("PRESENTIE_FAKE_UNSYNCED", "1", 1);
	setenv("PRESENTIE_FAKE_WALL_OFFSET_S", "-86400", 1);
	assert_int_equal(clockinfo_now(&b), 0);
	assert_int_equal(b.synced, 0);
	assert_true(b.wall_ms < a.wall_ms - 86000000LL);
	assert_true(b.wall_ms > a.wall_ms - 87000000LL);
	assert_true(b.boottime_ns >= a.boottime_ns);
	assert_string_equal(a.boot_id, b.boot_id);

	setenv("PRESENTIE_FAKE_WALL_OFFSET_S", "12abc", 1);  /* ignored, not half-parsed */
	assert_int_equal(clockinfo_now(&b), 0);
	assert_true(b.wall_ms >= a.wall_ms && b.wall_ms < a.wall_ms + 60000);
	setenv("PRESENTIE_FAKE_SYNCED", "1", 1);     /* UNSYNCED still wins */
	assert_int_equal(clockinfo_now(&b), 0);
	assert_int_equal(b.synced, 0);
	unsetenv("PRESENTIE_FAKE_UNSYNCED");
	assert_int_equal(clockinfo_now(&b), 0);
	assert_int_equal(b.synced, 1);
	unsetenv("PRESENTIE_FAKE_SYNCED");
	unsetenv("PRESENTIE_FAKE_WALL_OFFSET_S");

	int64_t m1 = clockinfo_mono_ms(), m2 = clockinfo_mono_ms();
	assert_true(m2 >= m1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_ordering),
		cmocka_unit_test(test_unique),
		cmocka_unit_test(test_validator),
		cmocka_unit_test(test_clockinfo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
