/* test_rules_pin.c — the PIN lockout of kiosk/rules.c (rule 7): five wrong
 * PINs within 60 s lock the pad for 60 s; the window's edges, a right PIN,
 * and a clock that steps back.
 * Must not: use SDL, SQLite or the real clock. */
#include "rules_fixture.h"

/* Rule 7: 5 wrong PINs within 60 s lock for 60 s. */
static void test_pin_lockout(void **state)
{
	struct rules_pin_guard g;
	int i;

	(void)state;
	memset(&g, 0, sizeof(g));
	for (i = 0; i < 4; i++)
		assert_int_equal(rules_pin_fail(&g, 1000 + i * 10), 0);
	assert_int_equal(rules_pin_locked(&g, 1040), 0);
	assert_int_equal(rules_pin_fail(&g, 1059), 60);  /* 5th within 59 s */
	assert_int_equal(rules_pin_locked(&g, 1059), 60);
	assert_int_equal(rules_pin_locked(&g, 1118), 1);
	assert_int_equal(rules_pin_locked(&g, 1119), 0);  /* exactly 60 s later */
	/* a wrong PIN while locked neither counts nor extends */
	memset(&g, 0, sizeof(g));
	for (i = 0; i < 5; i++)
		rules_pin_fail(&g, 2000);
	assert_int_equal(rules_pin_fail(&g, 2030), 30);
	assert_int_equal(rules_pin_locked(&g, 2060), 0);
	/* after the lock, it takes 5 fresh failures again */
	for (i = 0; i < 4; i++)
		assert_int_equal(rules_pin_fail(&g, 2060 + i), 0);
	assert_int_equal(rules_pin_fail(&g, 2064), 60);
}

static void test_pin_window_edge(void **state)
{
	struct rules_pin_guard g;
	int i;

	(void)state;
	memset(&g, 0, sizeof(g));
	/* the first of five is exactly 60 s old: outside the window, no lock */
	for (i = 0; i < 4; i++)
		assert_int_equal(rules_pin_fail(&g, 3000 + i * 15), 0);
	assert_int_equal(rules_pin_fail(&g, 3060), 0);
	assert_int_equal(rules_pin_locked(&g, 3060), 0);
	/* the next one makes five within 60 s (3015..3061) */
	assert_int_equal(rules_pin_fail(&g, 3061), 60);
	/* a right PIN clears the count */
	memset(&g, 0, sizeof(g));
	for (i = 0; i < 4; i++)
		rules_pin_fail(&g, 4000 + i);
	rules_pin_ok(&g);
	assert_int_equal(rules_pin_fail(&g, 4005), 0);
	assert_int_equal(g.n_fails, 1);
}

static void test_pin_clock_step_back(void **state)
{
	struct rules_pin_guard g;
	int i;

	(void)state;
	memset(&g, 0, sizeof(g));
	for (i = 0; i < 5; i++)
		rules_pin_fail(&g, 10000);
	assert_int_equal(rules_pin_locked(&g, 10000 - 5), 0);   /* 65 s left: void */
	assert_int_equal(rules_pin_locked(&g, 10000 - 0), 60);
	/* failures "from the future" are dropped, not counted */
	memset(&g, 0, sizeof(g));
	for (i = 0; i < 4; i++)
		rules_pin_fail(&g, 20000);
	assert_int_equal(rules_pin_fail(&g, 19000), 0);
	assert_int_equal(g.n_fails, 1);
	assert_int_equal(rules_pin_locked(NULL, 1), 0);
	assert_int_equal(rules_pin_fail(NULL, 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_pin_lockout, setup),
		cmocka_unit_test_setup(test_pin_window_edge, setup),
		cmocka_unit_test_setup(test_pin_clock_step_back, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
