/* test_hubtz.c — the hub's local time (sync/hub/hubtz.c): DST in both
 * directions in Europe/Amsterdam, gaps and overlaps read back, local day
 * bounds, agreement with glibc's localtime_r over many random instants in
 * several zones (also past 2038, where the table is folded by 400 years),
 * bad zone names, and use from several threads at once.
 * Must not: need a network or anything outside the system tzdata. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hub/base/htime.h"
#include "hub/base/hubtz.h"

#define AMS "Europe/Amsterdam"
#define RANDOM_SAMPLES 20000
#define THREADS 4

static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm = { 0 };

	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return (int64_t)timegm(&tm) * 1000;
}

static void iso_is(const struct hub_tz *z, int64_t ms, const char *want)
{
	char out[HUB_TZ_LOCAL_MAX];

	assert_int_equal(hub_tz_iso(z, ms, out), 0);
	assert_string_equal(out, want);
}

static void test_autumn(void **state)
{
	const struct hub_tz *z = hub_tz_get(AMS);
	char out[HUB_TZ_LOCAL_MAX], off[HUB_TZ_OFFSET_MAX];

	(void)state;
	assert_non_null(z);
	/* last Sunday of October 2026: 03:00 CEST -> 02:00 CET at 01:00Z */
	iso_is(z, utc(2026, 10, 25, 0, 30, 0), "2026-10-25T02:30:00+02:00");
	iso_is(z, utc(2026, 10, 25, 0, 59, 59), "2026-10-25T02:59:59+02:00");
	iso_is(z, utc(2026, 10, 25, 1, 0, 0), "2026-10-25T02:00:00+01:00");
	iso_is(z, utc(2026, 10, 25, 1, 30, 0), "2026-10-25T02:30:00+01:00");
	assert_int_equal(hub_tz_sheet(z, utc(2026, 10, 25, 1, 30, 0), out), 0);
	assert_string_equal(out, "2026-10-25 02:30:00");
	hub_tz_offset_str(z, utc(2026, 10, 25, 1, 30, 0), off);
	assert_string_equal(off, "+01:00");
	/* the evening of the 22nd November: 20:07:25Z is 21:07:25 local */
	iso_is(z, utc(2026, 11, 22, 20, 7, 25), "2026-11-22T21:07:25+01:00");
	/* milliseconds are cut, not rounded; before the epoch second too */
	iso_is(z, utc(2026, 11, 22, 20, 7, 25) + 999, "2026-11-22T21:07:25+01:00");
}

static void test_spring(void **state)
{
	const struct hub_tz *z = hub_tz_get(AMS);

	(void)state;
	/* last Sunday of March 2026: 02:00 CET -> 03:00 CEST at 01:00Z */
	iso_is(z, utc(2026, 3, 29, 0, 59, 59), "2026-03-29T01:59:59+01:00");
	iso_is(z, utc(2026, 3, 29, 1, 0, 0), "2026-03-29T03:00:00+02:00");
	assert_int_equal(hub_tz_offset(z, utc(2026, 7, 1, 12, 0, 0)), 7200);
	assert_int_equal(hub_tz_offset(z, utc(2026, 1, 1, 12, 0, 0)), 3600);
}

static void test_from_local(void **state)
{
	const struct hub_tz *z = hub_tz_get(AMS);
	int64_t ms;

	(void)state;
	/* in the spring gap 02:30 does not exist: read as 03:30 CEST = 01:30Z */
	assert_int_equal(hub_tz_from_naive(z, utc(2026, 3, 29, 2, 30, 0) / 1000, &ms), 0);
	assert_int_equal(ms, utc(2026, 3, 29, 1, 30, 0));
	/* in the autumn overlap 02:30 exists twice: the earlier, CEST = 00:30Z */
	assert_int_equal(hub_tz_from_naive(z, utc(2026, 10, 25, 2, 30, 0) / 1000, &ms), 0);
	assert_int_equal(ms, utc(2026, 10, 25, 0, 30, 0));
	assert_int_equal(hub_tz_from_naive(z, utc(2026, 11, 22, 21, 7, 25) / 1000, &ms), 0);
	assert_int_equal(ms, utc(2026, 11, 22, 20, 7, 25));
	/* the importer's parser goes through the same code */
	assert_int_equal(hub_time_parse_local("2026-10-25 02:30", AMS, &ms), 0);
	assert_int_equal(ms, utc(2026, 10, 25, 0, 30, 0));
	assert_int_equal(hub_time_parse_local("2026-07-01T14:00", AMS, &ms), 0);
	assert_int_equal(ms, utc(2026, 7, 1, 12, 0, 0));
	assert_int_equal(hub_time_parse_local("2026-07-01 14:00", "No/Such_Zone", &ms), -1);
}

static void test_days(void **state)
{
	const struct hub_tz *z = hub_tz_get(AMS);
	int64_t d, s, e;

	(void)state;
	/* 23:30Z on the 22nd is 00:30 on the 23rd in Amsterdam */
	d = hub_tz_day(z, utc(2026, 11, 22, 23, 30, 0));
	assert_int_equal(d, utc(2026, 11, 23, 0, 0, 0) / HUB_DAY_MS);
	assert_int_equal(hub_tz_day(z, utc(2026, 11, 22, 22, 59, 59)), d - 1);
	assert_int_equal(hub_tz_day(z, utc(2026, 11, 22, 23, 0, 0)), d);
	/* the autumn day is 25 h, the spring day 23 h */
	d = utc(2026, 10, 25, 0, 0, 0) / HUB_DAY_MS;
	assert_int_equal(hub_tz_day_start(z, d, &s), 0);
	assert_int_equal(hub_tz_day_start(z, d + 1, &e), 0);
	assert_int_equal(s, utc(2026, 10, 24, 22, 0, 0));
	assert_int_equal(e - s, 25 * 3600000LL);
	d = utc(2026, 3, 29, 0, 0, 0) / HUB_DAY_MS;
	assert_int_equal(hub_tz_day_start(z, d, &s), 0);
	assert_int_equal(hub_tz_day_start(z, d + 1, &e), 0);
	assert_int_equal(e - s, 23 * 3600000LL);
}

static void test_format_edges(void **state)
{
	char out[HUB_ISO_MAX];

	(void)state;
	assert_int_equal(hub_tz_fmt(0, 'T', out), 0);
	assert_string_equal(out, "1970-01-01T00:00:00");
	assert_int_equal(hub_tz_fmt(-1, ' ', out), 0);
	assert_string_equal(out, "1969-12-31 23:59:59");
	assert_int_equal(hub_tz_fmt(951782400, 'T', out), 0);        /* leap day 2000 */
	assert_string_equal(out, "2000-02-29T00:00:00");
	assert_int_equal(hub_tz_fmt(253402300799LL, 'T', out), 0);   /* the last second of 9999 */
	assert_string_equal(out, "9999-12-31T23:59:59");
	assert_int_equal(hub_tz_fmt(253402300800LL, 'T', out), -1);
	assert_string_equal(out, "");
	hub_iso_s(-1, out);                                           /* floors, not truncates */
	assert_string_equal(out, "1969-12-31T23:59:59Z");
	hub_iso_s(1795386600999LL, out);
	assert_string_equal(out, "2026-11-22T22:30:00Z");
}

static void test_names(void **state)
{
	(void)state;
	assert_null(hub_tz_get("No/Such_Zone"));
	assert_null(hub_tz_get("../../etc/passwd"));
	assert_null(hub_tz_get("/etc/localtime"));
	assert_null(hub_tz_get("Europe"));          /* a folder, not a zone */
	assert_null(hub_tz_get("Europe/Amsterdam; rm"));
	assert_ptr_equal(hub_tz_get(NULL), hub_tz_get(AMS));
	assert_ptr_equal(hub_tz_get(""), hub_tz_get(AMS));
	assert_string_equal(hub_tz_name(hub_tz_get(NULL)), AMS);
}

/* The test's own TZ (single-threaded here): glibc as the reference. */
static void set_tz(const char *zone)
{
	char val[128];

	snprintf(val, sizeof(val), ":%s", zone);
	setenv("TZ", val, 1);
	tzset();
}

static void test_matches_glibc(void **state)
{
	static const char *const zones[] = { AMS, "America/New_York", "Australia/Lord_Howe",
		"Asia/Kolkata", "America/Sao_Paulo", "Pacific/Apia", "UTC", NULL };
	unsigned seed = 4;

	(void)state;
	for (int zi = 0; zones[zi]; zi++) {
		const struct hub_tz *z = hub_tz_get(zones[zi]);

		assert_non_null(z);
		set_tz(zones[zi]);
		for (int i = 0; i < RANDOM_SAMPLES; i++) {
			/* 1970..2099 mostly, a fifth in 2100..2999 (the folded part) */
			int64_t span = (i % 5 == 4) ? 32503680000LL - 4102444800LL : 4102444800LL;
			int64_t base = (i % 5 == 4) ? 4102444800LL : 0;
			int64_t s = base + (int64_t)(((uint64_t)rand_r(&seed) << 31 ^ (uint64_t)rand_r(&seed)) %
			    (uint64_t)span);
			struct tm a, b;
			time_t t = (time_t)s;
			char want[HUB_TZ_LOCAL_MAX], got[HUB_TZ_LOCAL_MAX];

			assert_non_null(localtime_r(&t, &a));
			/* the fast formatter against strftime of glibc's answer */
			assert_int_equal(strftime(want, sizeof(want), "%Y-%m-%d %H:%M:%S", &a), 19);
			assert_int_equal(hub_tz_sheet(z, s * 1000 + i % 1000, got), 0);
			assert_string_equal(got, want);
			assert_int_equal(hub_tz_local(z, s * 1000, &b), 0);
			if (a.tm_gmtoff != b.tm_gmtoff || a.tm_hour != b.tm_hour || a.tm_mday != b.tm_mday ||
			    a.tm_min != b.tm_min || a.tm_year != b.tm_year)
				fail_msg("%s at %lld: glibc %ld, hubtz %ld", zones[zi], (long long)s,
				    a.tm_gmtoff, b.tm_gmtoff);
		}
		unsetenv("TZ");
		tzset();
	}
}

struct job {
	const char *zone;
	int64_t ms;
	char want[HUB_TZ_LOCAL_MAX];
	int bad;
};

static void *worker(void *arg)
{
	struct job *j = arg;

	for (int i = 0; i < 2000; i++) {
		const struct hub_tz *z = hub_tz_get(j->zone);
		char out[HUB_TZ_LOCAL_MAX];

		if (z == NULL || hub_tz_iso(z, j->ms, out) != 0 || strcmp(out, j->want) != 0)
			j->bad++;
	}
	return NULL;
}

static void test_threads(void **state)
{
	/* zones not loaded before: the first loads race with conversions */
	struct job jobs[THREADS] = {
		{ "Europe/Lisbon", 1792891800000LL, "2026-10-25T01:30:00+00:00", 0 },
		{ "Asia/Tokyo", 1792891800000LL, "2026-10-25T10:30:00+09:00", 0 },
		{ "America/Chicago", 1792891800000LL, "2026-10-24T20:30:00-05:00", 0 },
		{ AMS, 1792891800000LL, "2026-10-25T02:30:00+01:00", 0 },
	};
	pthread_t th[THREADS];

	(void)state;
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, worker, &jobs[i]), 0);
	for (int i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(jobs[i].bad, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_autumn),
		cmocka_unit_test(test_spring),
		cmocka_unit_test(test_from_local),
		cmocka_unit_test(test_days),
		cmocka_unit_test(test_format_edges),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_matches_glibc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
