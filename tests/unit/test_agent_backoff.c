/* test_agent_backoff.c — backoff.h: the ceiling doubles from 2 s to the 5 min
 * cap without overflow; full-jitter draws stay in [1 s, ceiling] and really
 * spread over it; Retry-After as delta-seconds and as each of the three
 * HTTP-date forms, clamping, and rejection of everything else. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "agent/backoff.h"

#define SAMPLES 20000

static void test_ceiling(void **state)
{
	(void)state;
	assert_int_equal(agent_backoff_ceiling_ms(0), 2000);
	assert_int_equal(agent_backoff_ceiling_ms(1), 2000);
	assert_int_equal(agent_backoff_ceiling_ms(2), 4000);
	assert_int_equal(agent_backoff_ceiling_ms(3), 8000);
	assert_int_equal(agent_backoff_ceiling_ms(8), 256000);
	assert_int_equal(agent_backoff_ceiling_ms(9), AGENT_BACKOFF_CAP_MS);
	assert_int_equal(agent_backoff_ceiling_ms(64), AGENT_BACKOFF_CAP_MS);
	assert_int_equal(agent_backoff_ceiling_ms(4000000000u), AGENT_BACKOFF_CAP_MS);
}

/* Draws stay within bounds, cover both ends, and average near the middle. */
static void check_spread(unsigned failures)
{
	int64_t ceil = agent_backoff_ceiling_ms(failures);
	int64_t lo = INT64_MAX, hi = 0, d, span = ceil - AGENT_BACKOFF_BASE_MS;
	double sum = 0, mean, mid = (double)(AGENT_BACKOFF_BASE_MS + ceil) / 2;
	int i;

	for (i = 0; i < SAMPLES; i++) {
		d = agent_backoff_delay_ms(failures);
		assert_true(d >= AGENT_BACKOFF_BASE_MS);
		assert_true(d <= ceil);
		if (d < lo)
			lo = d;
		if (d > hi)
			hi = d;
		sum += (double)d;
	}
	mean = sum / SAMPLES;
	assert_true(lo <= AGENT_BACKOFF_BASE_MS + span / 50);
	assert_true(hi >= ceil - span / 50);
	assert_true(mean > mid - (double)span * 0.03 && mean < mid + (double)span * 0.03);
}

static void test_jitter_bounds(void **state)
{
	(void)state;
	check_spread(1);
	check_spread(4);
	check_spread(9);
	check_spread(200);
}

/* Two runs of draws are not the same sequence (randomness, not a counter). */
static void test_jitter_random(void **state)
{
	int64_t a[16], b[16];
	int i;

	(void)state;
	for (i = 0; i < 16; i++)
		a[i] = agent_backoff_delay_ms(9);
	for (i = 0; i < 16; i++)
		b[i] = agent_backoff_delay_ms(9);
	assert_memory_not_equal(a, b, sizeof(a));
}

static int64_t ra(const char *v, int64_t now)
{
	int64_t d = -777;

	if (agent_retry_after_parse(v, now, &d) < 0) {
		assert_int_equal(d, -777);          /* untouched on failure */
		return -1;
	}
	return d;
}

static void test_retry_after_seconds(void **state)
{
	(void)state;
	assert_int_equal(ra("120", 0), 120);
	assert_int_equal(ra("0", 0), 0);
	assert_int_equal(ra(" 7\t", 0), 7);
	assert_int_equal(ra("3600", 0), 3600);
	assert_int_equal(ra("3601", 0), AGENT_RETRY_AFTER_MAX_S);
	assert_int_equal(ra("99999999999999999999999999999", 0), AGENT_RETRY_AFTER_MAX_S);
	assert_int_equal(ra("-1", 0), -1);
	assert_int_equal(ra("+5", 0), -1);
	assert_int_equal(ra("1.5", 0), -1);
	assert_int_equal(ra("5s", 0), -1);
	assert_int_equal(ra("1 2", 0), -1);
	assert_int_equal(ra("", 0), -1);
	assert_int_equal(ra("   ", 0), -1);
	assert_int_equal(ra("0x10", 0), -1);
	assert_int_equal(ra(NULL, 0), -1);
}

/* RFC 9110's example instant: Sun, 06 Nov 1994 08:49:37 GMT = 784111777. */
#define EXAMPLE_T 784111777

static void test_retry_after_dates(void **state)
{
	(void)state;
	assert_int_equal(ra("Sun, 06 Nov 1994 08:49:37 GMT", EXAMPLE_T - 30), 30);
	assert_int_equal(ra("Sunday, 06-Nov-94 08:49:37 GMT", EXAMPLE_T - 30), 30);
	assert_int_equal(ra("Sun Nov  6 08:49:37 1994", EXAMPLE_T - 30), 30);
	assert_int_equal(ra("  Sun, 06 Nov 1994 08:49:37 GMT ", EXAMPLE_T), 0);
	/* past: 0; far future: clamped */
	assert_int_equal(ra("Sun, 06 Nov 1994 08:49:37 GMT", EXAMPLE_T + 500), 0);
	assert_int_equal(ra("Sun, 06 Nov 1994 08:49:37 GMT", EXAMPLE_T - 86400), AGENT_RETRY_AFTER_MAX_S);
	/* leap day and year boundaries */
	assert_int_equal(ra("Thu, 29 Feb 2024 00:00:10 GMT", 1709164800), 10);
	assert_int_equal(ra("Thu, 01 Jan 2026 00:00:05 GMT", 1767225600), 5);
	assert_int_equal(ra("Fri, 31 Dec 2027 23:59:59 GMT", 1830297599 - 1), 1);
}

static void test_retry_after_bad_dates(void **state)
{
	static const char *const bad[] = {
		"Sun, 06 Nov 1994 08:49:37 UTC",
		"Sun, 06 Nov 1994 08:49:37",
		"Sun, 06 Nov 1994 08:49:37 GMT x",
		"Sun, 6 Nov 1994 08:49:37 GMT",
		"Sun, 06 November 1994 08:49:37 GMT",
		"Sun, 31 Feb 1994 08:49:37 GMT",
		"Sat, 29 Feb 2025 08:49:37 GMT",
		"Sun, 06 Nov 1994 24:49:37 GMT",
		"Sun, 06 Nov 1994 08:60:37 GMT",
		"Sun, 06 Nov 1994 08:49:61 GMT",
		"Sun, 06 Foo 1994 08:49:37 GMT",
		"Xyz, 06 Nov 1994 08:49:37 GMT",
		"Sun,06 Nov 1994 08:49:37 GMT",
		"Sunday, 06-Nov-1994 08:49:37 GMT",
		"Sun Nov 6 08:49:37 1994",
		"Sun Nov  6 08:49:37 94",
		"2026-11-22T13:52:07Z",
		"Sun, 00 Nov 1994 08:49:37 GMT",
		"Sun, 06 Nov 1994 08:49:37 GMT Sun, 06 Nov 1994 08:49:37 GMT Sun, 06",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (ra(bad[i], EXAMPLE_T) != -1)
			fail_msg("accepted bad Retry-After '%s'", bad[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ceiling),
		cmocka_unit_test(test_jitter_bounds),
		cmocka_unit_test(test_jitter_random),
		cmocka_unit_test(test_retry_after_seconds),
		cmocka_unit_test(test_retry_after_dates),
		cmocka_unit_test(test_retry_after_bad_dates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
