/* test_hub_devstatus.c — the Presentie-Device-Status header the agent sends
 * and the hub keeps for the dashboard: strict parsing, naughty values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "hub/svc/devstatus.h"

static void test_valid(void **state)
{
	int64_t w = -1;
	int s = -1;

	(void)state;
	assert_int_equal(hub_devstatus_parse("waiting=0; clock-synced=1", &w, &s), 0);
	assert_int_equal(w, 0);
	assert_int_equal(s, 1);
	assert_int_equal(hub_devstatus_parse("waiting=1234; clock-synced=0", &w, &s), 0);
	assert_int_equal(w, 1234);
	assert_int_equal(s, 0);
	assert_int_equal(hub_devstatus_parse("waiting=100000000; clock-synced=0", &w, &s), 0);
}

static void test_invalid(void **state)
{
	static const char *const bad[] = {
		"", "waiting=", "waiting=-1; clock-synced=1", "waiting=+1; clock-synced=1",
		"waiting=100000001; clock-synced=1", "waiting=99999999999999999999; clock-synced=1",
		"waiting=1;clock-synced=1", "waiting=1; clock-synced=2", "waiting=1; clock-synced=1 ",
		"waiting=1; clock-synced=", "waiting=1", "Waiting=1; clock-synced=1",
		"waiting=1x; clock-synced=1", "waiting= 1; clock-synced=1",
		"waiting=1; clock-synced=1; extra=1",
	};
	int64_t w = 7;
	int s = 7;

	(void)state;
	assert_int_equal(hub_devstatus_parse(NULL, &w, &s), -1);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (hub_devstatus_parse(bad[i], &w, &s) != -1)
			fail_msg("accepted: '%s'", bad[i]);
	}
	assert_int_equal(w, 7);   /* a refused header leaves the outputs alone */
	assert_int_equal(s, 7);
}

static void test_naughty(void **state)
{
	char line[4096];
	FILE *fp = fopen("tests/data/blns.txt", "r");
	int64_t w;
	int s, n = 0;

	(void)state;
	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		assert_int_equal(hub_devstatus_parse(line, &w, &s), -1);
		n++;
	}
	fclose(fp);
	assert_true(n > 500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_naughty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
