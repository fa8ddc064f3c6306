/* test_tz.c — unit tests of kiosk/tz.c against the system tzdata:
 * both 2026 DST transitions of Europe/Amsterdam (day bounds 23 h / 25 h,
 * "HH:MM" around the jumps, gap and overlap rules of tz_from_local), other
 * zones, and hostile zone names. Must not: depend on the machine's own TZ. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tz.h"

#define AMS "Europe/Amsterdam"
/* 2026-03-29 01:00:00Z = 02:00 CET -> 03:00 CEST */
#define SPRING INT64_C(1774746000)
/* 2026-10-25 01:00:00Z = 03:00 CEST -> 02:00 CET */
#define AUTUMN INT64_C(1792890000)

static void assert_hm(const char *zone, int64_t t, const char *want)
{
	char buf[TZ_HM_LEN];

	assert_int_equal(tz_format_hm(zone, t, buf, sizeof(buf)), 0);
	assert_string_equal(buf, want);
}

static void test_format_around_spring(void **state)
{
	(void)state;
	assert_hm(AMS, SPRING - 1, "01:59");
	assert_hm(AMS, SPRING, "03:00");
	assert_hm(NULL, SPRING + 52 * 60, "03:52");   /* NULL: default zone */
	assert_hm(AMS, SPRING - 3600, "01:00");
}

static void test_format_around_autumn(void **state)
{
	struct tm tm;

	(void)state;
	assert_hm(AMS, AUTUMN - 3600, "02:00");       /* CEST, first time */
	assert_hm(AMS, AUTUMN - 1, "02:59");
	assert_hm(AMS, AUTUMN, "02:00");              /* CET, second time */
	assert_hm(AMS, AUTUMN + 3600, "03:00");
	assert_int_equal(tz_local(AMS, AUTUMN - 1, &tm), 0);
	assert_int_equal(tm.tm_isdst, 1);
	assert_int_equal(tm.tm_gmtoff, 7200);
	assert_int_equal(tz_local(AMS, AUTUMN, &tm), 0);
	assert_int_equal(tm.tm_isdst, 0);
	assert_int_equal(tm.tm_gmtoff, 3600);
	assert_int_equal(tm.tm_mday, 25);
	assert_int_equal(tm.tm_mon, 9);
	assert_int_equal(tm.tm_year, 126);
}

static void test_day_bounds(void **state)
{
	int64_t s, e;

	(void)state;
	/* spring: 23 h, from 28 Mar 23:00Z to 29 Mar 22:00Z */
	assert_int_equal(tz_day_bounds(AMS, SPRING + 5 * 3600, &s, &e), 0);
	assert_int_equal(s, INT64_C(1774738800));
	assert_int_equal(e - s, 23 * 3600);
	assert_hm(AMS, s, "00:00");
	assert_hm(AMS, e, "00:00");
	/* autumn: 25 h, from 24 Oct 22:00Z to 25 Oct 23:00Z */
	assert_int_equal(tz_day_bounds(AMS, AUTUMN, &s, &e), 0);
	assert_int_equal(s, INT64_C(1792879200));
	assert_int_equal(e - s, 25 * 3600);
	/* the first and last second of the day */
	assert_int_equal(tz_day_bounds(AMS, INT64_C(1792879200), &s, &e), 0);
	assert_int_equal(s, INT64_C(1792879200));
	assert_int_equal(tz_day_bounds(AMS, INT64_C(1792879199), &s, &e), 0);
	assert_int_equal(e, INT64_C(1792879200));
	assert_int_equal(e - s, 24 * 3600);
	/* an ordinary summer day: 24 h, midnight 22:00Z */
	assert_int_equal(tz_day_bounds(AMS, INT64_C(1781258400), &s, &e), 0);
	assert_int_equal(e - s, 24 * 3600);
	assert_int_equal(s % 86400, 22 * 3600);
	/* month and year ends */
	assert_int_equal(tz_day_bounds(AMS, INT64_C(1798757999), &s, &e), 0);
	assert_int_equal(e, INT64_C(1798758000));   /* 2027-01-01 00:00 CET */
	assert_int_equal(tz_day_bounds(AMS, 0, NULL, &e), -1);
}

static void test_from_local(void **state)
{
	int64_t t;

	(void)state;
	assert_int_equal(tz_from_local(AMS, 2026, 6, 1, 12, 0, &t), TZ_LOCAL_EXACT);
	assert_int_equal(t, INT64_C(1780308000));  /* 10:00Z */
	assert_int_equal(tz_from_local(AMS, 2026, 1, 15, 9, 30, &t), TZ_LOCAL_EXACT);
	assert_hm("UTC", t, "08:30");
	/* the gap: 02:30 on 29 Mar does not exist -> 03:30 CEST (01:30Z) */
	assert_int_equal(tz_from_local(AMS, 2026, 3, 29, 2, 30, &t), TZ_LOCAL_GAP);
	assert_int_equal(t, SPRING + 30 * 60);
	assert_hm(AMS, t, "03:30");
	assert_int_equal(tz_from_local(AMS, 2026, 3, 29, 2, 0, &t), TZ_LOCAL_GAP);
	assert_int_equal(t, SPRING);
	assert_int_equal(tz_from_local(AMS, 2026, 3, 29, 3, 0, &t), TZ_LOCAL_EXACT);
	assert_int_equal(t, SPRING);
	assert_int_equal(tz_from_local(AMS, 2026, 3, 29, 1, 59, &t), TZ_LOCAL_EXACT);
	assert_int_equal(t, SPRING - 60);
	/* the overlap: 02:30 on 25 Oct happens twice -> the earlier (CEST) */
	assert_int_equal(tz_from_local(AMS, 2026, 10, 25, 2, 30, &t), TZ_LOCAL_OVERLAP);
	assert_int_equal(t, AUTUMN - 30 * 60);
	assert_int_equal(tz_from_local(AMS, 2026, 10, 25, 2, 0, &t), TZ_LOCAL_OVERLAP);
	assert_int_equal(t, AUTUMN - 3600);
	assert_int_equal(tz_from_local(AMS, 2026, 10, 25, 3, 0, &t), TZ_LOCAL_EXACT);
	assert_int_equal(t, AUTUMN + 3600);
	assert_int_equal(tz_from_local(AMS, 2026, 10, 25, 1, 59, &t), TZ_LOCAL_EXACT);
	assert_int_equal(t, AUTUMN - 3600 - 60);
	/* a weekly repeat across the transition keeps the wall time */
	assert_int_equal(tz_from_local(AMS, 2026, 10, 20, 10, 0, &t), TZ_LOCAL_EXACT);
	assert_hm(AMS, t, "10:00");
	assert_int_equal(tz_from_local(AMS, 2026, 10, 27, 10, 0, &t), TZ_LOCAL_EXACT);
	assert_hm(AMS, t, "10:00");
	/* 31 April normalises to 1 May */
	assert_int_equal(tz_from_local(AMS, 2026, 4, 31, 10, 0, &t), TZ_LOCAL_EXACT);
	assert_int_equal(tz_from_local(AMS, 2026, 5, 1, 10, 0, &t), TZ_LOCAL_EXACT);
}

static void test_from_local_bad_args(void **state)
{
	int64_t t = 42;

	(void)state;
	assert_int_equal(tz_from_local(AMS, 2026, 0, 1, 0, 0, &t), -1);
	assert_int_equal(tz_from_local(AMS, 2026, 13, 1, 0, 0, &t), -1);
	assert_int_equal(tz_from_local(AMS, 2026, 1, 0, 0, 0, &t), -1);
	assert_int_equal(tz_from_local(AMS, 2026, 1, 32, 0, 0, &t), -1);
	assert_int_equal(tz_from_local(AMS, 2026, 1, 1, 24, 0, &t), -1);
	assert_int_equal(tz_from_local(AMS, 2026, 1, 1, 0, 60, &t), -1);
	assert_int_equal(tz_from_local(AMS, 2026, 1, 1, -1, 0, &t), -1);
	assert_int_equal(tz_from_local(AMS, 10000, 1, 1, 0, 0, &t), -1);
	assert_int_equal(tz_from_local(AMS, 2026, 1, 1, 0, 0, NULL), -1);
	assert_int_equal(tz_from_local("Nowhere/City", 2026, 1, 1, 0, 0, &t), -1);
	assert_int_equal(t, 42);
}

static void test_other_zones(void **state)
{
	int64_t s, e, t;

	(void)state;
	/* America/New_York: spring 8 Mar 2026 02:00 -> 03:00 */
	assert_int_equal(tz_from_local("America/New_York", 2026, 3, 8, 12, 0, &t), TZ_LOCAL_EXACT);
	assert_int_equal(tz_day_bounds("America/New_York", t, &s, &e), 0);
	assert_int_equal(e - s, 23 * 3600);
	assert_hm("America/New_York", s, "00:00");
	/* switching zones back and forth keeps each right (cache) */
	assert_hm("UTC", INT64_C(1780308000), "10:00");
	assert_hm(AMS, INT64_C(1780308000), "12:00");
	assert_hm("Asia/Kolkata", INT64_C(1780308000), "15:30");
	assert_hm(AMS, INT64_C(1780308000), "12:00");
	assert_int_equal(tz_day_bounds("UTC", INT64_C(1780308000), &s, &e), 0);
	assert_int_equal(s, INT64_C(1780272000));
	assert_int_equal(e - s, 86400);
}

static void test_hostile_zone_names(void **state)
{
	static const char *bad[] = {
		"", "/etc/passwd", "../../etc/passwd", "Europe/../../etc/passwd",
		"Europe/Amsterdam\n", "Europe/Amsterdam;rm", "Nowhere/City",
		"Europe/Amsterdam ", "%s%s%s%n", ":Europe/Amsterdam", "Europe",
		"EST5EDT,M3.2.0,M11.1.0",
	};
	char longname[PR_TZ_MAX + 8];
	char buf[TZ_HM_LEN];
	struct tm tm;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(tz_valid(bad[i]), 0);
		assert_int_equal(tz_local(bad[i], 0, &tm), -1);
		assert_int_equal(tz_format_hm(bad[i], 0, buf, sizeof(buf)), -1);
		assert_string_equal(buf, "");
	}
	memset(longname, 'A', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(tz_valid(longname), 0);
	assert_int_equal(tz_valid(AMS), 1);
	assert_int_equal(tz_valid(NULL), 1);
	/* a bad name does not disturb the zone in use */
	assert_hm(AMS, AUTUMN, "02:00");
}

static void test_format_buffer(void **state)
{
	char buf[TZ_HM_LEN];
	long off;

	(void)state;
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(tz_format_hm(AMS, AUTUMN, buf, TZ_HM_LEN - 1), -1);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(tz_format_hm(AMS, AUTUMN, NULL, 6), -1);
	assert_int_equal(tz_format_hm(AMS, AUTUMN, buf, 0), -1);
	assert_int_equal(tz_offset(AMS, SPRING, &off), 0);
	assert_int_equal(off, 7200);
	assert_int_equal(tz_offset(AMS, SPRING - 1, &off), 0);
	assert_int_equal(off, 3600);
	assert_int_equal(tz_local(AMS, 0, NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_around_spring),
		cmocka_unit_test(test_format_around_autumn),
		cmocka_unit_test(test_day_bounds),
		cmocka_unit_test(test_from_local),
		cmocka_unit_test(test_from_local_bad_args),
		cmocka_unit_test(test_other_zones),
		cmocka_unit_test(test_hostile_zone_names),
		cmocka_unit_test(test_format_buffer),
	};

	/* the machine's own zone must not matter */
	setenv("TZ", "Pacific/Auckland", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
