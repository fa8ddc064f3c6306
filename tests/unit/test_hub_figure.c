/* test_hub_figure.c — unit tests of sync/hub/base/jfigure.c: figures rounded
 * to the decimals a person reads print, with the hub's JSON writer flags
 * (JSON_REAL_PRECISION(HUB_JSON_REAL_DIGITS)), exactly as written: every
 * hours figure 0.00 .. 99999.99 of whole seconds, sums with binary noise,
 * percentages; and the edges (negative, -0, not finite, huge, decimals out
 * of range). Must not: depend on locale (jansson prints with '.'). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hub/base/jfigure.h"

#define FLAGS (JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(HUB_JSON_REAL_DIGITS))

/* The JSON text of hub_json_figure(v, decimals), into out. */
static void dump(double v, int decimals, char *out, size_t len)
{
	json_t *j = hub_json_figure(v, decimals);
	char *s;

	assert_non_null(j);
	s = json_dumps(j, FLAGS);
	assert_non_null(s);
	snprintf(out, len, "%s", s);
	free(s);
	json_decref(j);
}

static void test_hours_as_written(void **state)
{
	char got[64];

	(void)state;
	dump(4752000 / 3600000.0, HUB_HOURS_DECIMALS, got, sizeof got);   /* 1h19m12s */
	assert_string_equal(got, "1.32");
	dump(360000 / 3600000.0 + 720000 / 3600000.0, HUB_HOURS_DECIMALS, got, sizeof got);
	assert_string_equal(got, "0.3");
	dump(4753000 / 3600000.0, HUB_HOURS_DECIMALS, got, sizeof got);   /* 1.32027.. */
	assert_string_equal(got, "1.32");
	dump(2.0, HUB_HOURS_DECIMALS, got, sizeof got);
	assert_string_equal(got, "2.0");
	dump(0.005, HUB_HOURS_DECIMALS, got, sizeof got);                  /* half: away from 0 */
	assert_string_equal(got, "0.01");
	/* without the writer's precision the same value shows the noise */
	{
		json_t *j = hub_json_figure(4752000 / 3600000.0, HUB_HOURS_DECIMALS);
		char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);

		assert_string_equal(s, "1.3200000000000001");
		free(s);
		json_decref(j);
	}
}

/* The hours figure of s seconds as a person writes it: rounded half up in
 * integers (as the export does), without trailing zeros, into want. */
static void written(int64_t s, char *want, size_t len)
{
	int64_t centi = (s * 100 + 1800) / 3600;

	if (centi % 100 == 0)
		snprintf(want, len, "%lld.0", (long long)(centi / 100));
	else if (centi % 10 == 0)
		snprintf(want, len, "%lld.%lld", (long long)(centi / 100), (long long)(centi % 100 / 10));
	else
		snprintf(want, len, "%lld.%02lld", (long long)(centi / 100), (long long)(centi % 100));
}

/* Whole-second durations' hours, computed as the report does (ms / 3600000),
 * print as written: a spread over 0 .. 100000 h, and exact halves (18 s
 * times an odd number: 0.005 h, 0.015 h, ...) round up like the export. */
static void test_every_hours_figure(void **state)
{
	char got[64], want[64];
	long bad = 0, n = 0;

	(void)state;
	for (int pass = 0; pass < 2; pass++) {
		int64_t first = pass == 0 ? 0 : 18, step = pass == 0 ? 997 : 36 * 37;

		for (int64_t s = first; s < 100000LL * 3600; s += step, n++) {
			dump((double)(s * 1000) / 3600000.0, HUB_HOURS_DECIMALS, got, sizeof got);
			written(s, want, sizeof want);
			if (strcmp(got, want) != 0 && bad++ < 5)
				print_message("%lld s: got %s, want %s\n", (long long)s, got, want);
		}
	}
	print_message("%ld figures, %ld not as written\n", n, bad);
	assert_int_equal(bad, 0);
}

static void test_percent_and_edges(void **state)
{
	char got[64];

	(void)state;
	dump(100.0 / 3.0, HUB_PERCENT_DECIMALS, got, sizeof got);
	assert_string_equal(got, "33.0");
	dump(200.0 / 3.0, HUB_PERCENT_DECIMALS, got, sizeof got);
	assert_string_equal(got, "67.0");
	dump(-1.326, 2, got, sizeof got);
	assert_string_equal(got, "-1.33");
	dump(-0.001, 2, got, sizeof got);                                  /* no "-0.0" */
	assert_string_equal(got, "0.0");
	dump(NAN, 2, got, sizeof got);
	assert_string_equal(got, "null");
	dump(INFINITY, 2, got, sizeof got);
	assert_string_equal(got, "null");
	dump(1e300, 6, got, sizeof got);                                   /* v * scale overflows */
	assert_string_equal(got, "1e300");
	dump(1.23456789, 99, got, sizeof got);                             /* clamped to 6 */
	assert_string_equal(got, "1.234568");
	dump(1.6, -3, got, sizeof got);                                    /* clamped to 0 */
	assert_string_equal(got, "2.0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hours_as_written),
		cmocka_unit_test(test_every_hours_figure),
		cmocka_unit_test(test_percent_and_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
