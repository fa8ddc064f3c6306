/* test_dash_tz.c — unit tests of sync/hub/dash_tz.c, the dashboard's local
 * time: session times typed as "14:00" on a date become the right UTC across
 * both 2026 DST changes of Europe/Amsterdam (weekly workshops stay at 14:00
 * local), day bounds are 23 h / 25 h on those days, strict date and time
 * parsing, hostile zone names, and conversions from many threads at once
 * (the mutex around TZ). Must not: depend on the machine's own TZ. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hub/base/calendar.h"

#define AMS "Europe/Amsterdam"
#define H   3600000LL

/* ms of a UTC date-time */
static int64_t utc(int y, int mo, int d, int h, int mi)
{
	struct tm tm = { 0 };

	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	return (int64_t)timegm(&tm) * 1000;
}

static void test_weekly_across_autumn(void **state)
{
	int64_t ms;

	(void)state;
	/* Tuesday 20 Oct 2026 14:00 CEST = 12:00Z; Tuesday 27 Oct 14:00 CET = 13:00Z */
	assert_int_equal(hub_cal_to_utc(AMS, 2026, 10, 20, 14, 0, &ms), 0);
	assert_int_equal(ms, utc(2026, 10, 20, 12, 0));
	assert_int_equal(hub_cal_to_utc(AMS, 2026, 10, 27, 14, 0, &ms), 0);
	assert_int_equal(ms, utc(2026, 10, 27, 13, 0));
}

static void test_spring_and_other_zones(void **state)
{
	int64_t ms;

	(void)state;
	assert_int_equal(hub_cal_to_utc(AMS, 2026, 3, 28, 14, 0, &ms), 0);
	assert_int_equal(ms, utc(2026, 3, 28, 13, 0));
	assert_int_equal(hub_cal_to_utc(AMS, 2026, 3, 29, 14, 0, &ms), 0);
	assert_int_equal(ms, utc(2026, 3, 29, 12, 0));
	assert_int_equal(hub_cal_to_utc("America/New_York", 2026, 7, 1, 9, 30, &ms), 0);
	assert_int_equal(ms, utc(2026, 7, 1, 13, 30));
	assert_int_equal(hub_cal_to_utc("UTC", 2026, 1, 1, 0, 0, &ms), 0);
	assert_int_equal(ms, utc(2026, 1, 1, 0, 0));
}

static void test_day_bounds(void **state)
{
	int64_t a, b;
	char d[HUB_DATE_STR];

	(void)state;
	assert_int_equal(hub_cal_day(AMS, "2026-03-29", &a, &b), 0);
	assert_int_equal(a, utc(2026, 3, 28, 23, 0));
	assert_int_equal(b - a, 23 * H);
	assert_int_equal(hub_cal_day(AMS, "2026-10-25", &a, &b), 0);
	assert_int_equal(b - a, 25 * H);
	assert_int_equal(hub_cal_day(AMS, "2026-11-22", &a, &b), 0);
	assert_int_equal(b - a, 24 * H);
	/* 23:30Z on 21 Nov is already the 22nd in Amsterdam */
	assert_int_equal(hub_cal_date(AMS, utc(2026, 11, 21, 23, 30), d), 0);
	assert_string_equal(d, "2026-11-22");
	assert_int_equal(hub_cal_date("UTC", utc(2026, 11, 21, 23, 30), d), 0);
	assert_string_equal(d, "2026-11-21");
	assert_int_equal(hub_cal_day(AMS, "2026-13-01", &a, &b), -1);
}

static void test_parse(void **state)
{
	int y, m, d, h, mi;

	(void)state;
	assert_int_equal(hub_cal_parse_date("2026-12-01", &y, &m, &d), 0);
	assert_true(y == 2026 && m == 12 && d == 1);
	assert_int_equal(hub_cal_parse_date("2028-02-29", &y, &m, &d), 0);
	assert_int_equal(hub_cal_parse_date("2026-02-29", &y, &m, &d), -1);
	assert_int_equal(hub_cal_parse_date("2026-04-31", &y, &m, &d), -1);
	assert_int_equal(hub_cal_parse_date("2026-1-01", &y, &m, &d), -1);
	assert_int_equal(hub_cal_parse_date("2026-01-01x", &y, &m, &d), -1);
	assert_int_equal(hub_cal_parse_date("", &y, &m, &d), -1);
	assert_int_equal(hub_cal_parse_date(NULL, &y, &m, &d), -1);
	assert_int_equal(hub_cal_parse_date("1969-12-31", &y, &m, &d), -1);
	assert_int_equal(hub_cal_parse_hm("14:00", &h, &mi), 0);
	assert_true(h == 14 && mi == 0);
	assert_int_equal(hub_cal_parse_hm("23:59", &h, &mi), 0);
	assert_int_equal(hub_cal_parse_hm("24:00", &h, &mi), -1);
	assert_int_equal(hub_cal_parse_hm("9:00", &h, &mi), -1);
	assert_int_equal(hub_cal_parse_hm("12:60", &h, &mi), -1);
	assert_int_equal(hub_cal_parse_hm("12:00:00", &h, &mi), -1);
}

static void test_zone_names(void **state)
{
	int64_t ms = 7;

	(void)state;
	assert_true(hub_cal_name_ok(AMS));
	assert_true(hub_cal_name_ok("Etc/GMT+2"));
	assert_false(hub_cal_name_ok("../../etc/passwd"));
	assert_false(hub_cal_name_ok("/etc/localtime"));
	assert_false(hub_cal_name_ok(""));
	assert_false(hub_cal_name_ok("Europe/Amsterdam;rm"));
	assert_false(hub_cal_name_ok(NULL));
	assert_int_equal(hub_cal_to_utc("../x", 2026, 1, 1, 0, 0, &ms), -1);
	assert_int_equal(ms, 7);
}

struct job {
	const char *zone;
	int64_t want;
	int bad;
};

static void *worker(void *arg)
{
	struct job *j = arg;

	for (int i = 0; i < 2000; i++) {
		int64_t ms = 0;

		if (hub_cal_to_utc(j->zone, 2026, 7, 1, 12, 0, &ms) != 0 || ms != j->want)
			j->bad++;
	}
	return NULL;
}

static void test_threads(void **state)
{
	struct job jobs[4] = {
		{ AMS, 0, 0 }, { "America/New_York", 0, 0 }, { "Asia/Tokyo", 0, 0 }, { "UTC", 0, 0 },
	};
	pthread_t t[4];

	(void)state;
	jobs[0].want = utc(2026, 7, 1, 10, 0);
	jobs[1].want = utc(2026, 7, 1, 16, 0);
	jobs[2].want = utc(2026, 7, 1, 3, 0);
	jobs[3].want = utc(2026, 7, 1, 12, 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, worker, &jobs[i]), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(jobs[i].bad, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weekly_across_autumn),
		cmocka_unit_test(test_spring_and_other_zones),
		cmocka_unit_test(test_day_bounds),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_zone_names),
		cmocka_unit_test(test_threads),
	};

	unsetenv("TZ");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
