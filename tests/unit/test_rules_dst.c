/* test_rules_dst.c — the check-in rules (kiosk/rules.c) and local times
 * (kiosk/tz.c) for sessions across both DST transitions of 2026 in
 * Europe/Amsterdam: a night with an hour twice, and one with an hour gone.
 * Must not: use SDL, SQLite or the real clock. */
#include "rules_fixture.h"
#include "tz.h"

/* A session across the autumn transition (25 Oct 2026, 03:00 CEST -> 02:00
 * CET) in Europe/Amsterdam: 01:30-03:30 local is 3 hours. */
static void test_dst_october_session(void **state)
{
	struct rules_session s[1];
	int64_t start, end;
	char hm[TZ_HM_LEN];

	(void)state;
	assert_true(tz_from_local("Europe/Amsterdam", 2026, 10, 25, 1, 30, &start) >= 0);
	assert_true(tz_from_local("Europe/Amsterdam", 2026, 10, 25, 3, 30, &end) >= 0);
	assert_int_equal(end - start, 3 * H);
	s[0] = sess("night", start, end, RULES_KIND_GROUP, 0, "gastheer");
	{
		const struct rules_want rows[] = {
			{ start - 10 * M, RULES_LAST_NONE, 0, NULL, RULES_CHECK_IN },
			{ end + 5 * M, RULES_LAST_IN, start - 10 * M, "night",
			  RULES_CHECK_OUT, .check = WANT_WORKED, .worked_s = 3 * H + 15 * M },
			/* the repeat window across the hour that happens twice */
			{ start + 90 * M + 60, RULES_LAST_IN, start + 90 * M, "night",
			  RULES_ALREADY },
		};

		EXPECT_ROWS(s, 1, rows);
	}
	assert_int_equal(tz_format_hm("Europe/Amsterdam", start - 10 * M, hm, sizeof(hm)), 0);
	assert_string_equal(hm, "01:20");
	assert_int_equal(tz_format_hm("Europe/Amsterdam", end + 5 * M, hm, sizeof(hm)), 0);
	assert_string_equal(hm, "03:35");
}

/* A session across the spring transition (29 Mar 2026, 02:00 CET -> 03:00
 * CEST): 01:30-03:30 local is 1 hour. */
static void test_dst_march_session(void **state)
{
	struct rules_session s[1];
	int64_t start, end;
	char hm[TZ_HM_LEN];

	(void)state;
	assert_true(tz_from_local("Europe/Amsterdam", 2026, 3, 29, 1, 30, &start) >= 0);
	assert_true(tz_from_local("Europe/Amsterdam", 2026, 3, 29, 3, 30, &end) >= 0);
	assert_int_equal(end - start, H);
	s[0] = sess("night", start, end, RULES_KIND_GROUP, 0, "coach");
	{
		const struct rules_want rows[] = {
			{ end, RULES_LAST_IN, start, "night",
			  RULES_CHECK_OUT, .check = WANT_WORKED, .worked_s = H },
		};

		EXPECT_ROWS(s, 1, rows);
	}
	assert_int_equal(tz_format_hm("Europe/Amsterdam", start + 30 * M, hm, sizeof(hm)), 0);
	assert_string_equal(hm, "03:00");
	assert_int_equal(tz_format_hm("Europe/Amsterdam", start + 29 * M, hm, sizeof(hm)), 0);
	assert_string_equal(hm, "01:59");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_dst_october_session, setup),
		cmocka_unit_test_setup(test_dst_march_session, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
