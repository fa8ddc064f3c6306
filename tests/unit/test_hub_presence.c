/* test_hub_presence.c — unit tests of sync/hub/reports/presence.c: the one
 * rule for a presence's hours (docs/DASHBOARD.md "Expected, present,
 * hours"): checked out, still in while the session runs (no figure yet),
 * a volunteer's forgotten check-out under each organisation rule, a
 * participant without a check-out, a clock gone wrong, and the rounding to
 * hundredths every page and export shares. Must not: touch a database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "hub/reports/presence.h"

#define MIN_MS (60LL * 1000)
#define T0     1796306360000LL   /* a check-in */

static enum hub_checkout_state centi_of(int64_t t_out, int64_t s_end, int volunteer,
    enum hub_checkout_rule rule, int64_t now, int64_t *centi)
{
	struct hub_presence_t p = { .t_in = T0, .t_out = t_out, .s_end = s_end, .volunteer = volunteer,
	    .rule = rule, .now = now };

	return hub_presence_centi(&p, centi);
}

static void test_checked_out(void **state)
{
	int64_t c;

	(void)state;
	assert_int_equal(centi_of(T0 + 24 * MIN_MS, T0 + 120 * MIN_MS, 1, HUB_CHECKOUT_SESSION_END,
	    T0 + 30 * MIN_MS, &c), HUB_OUT_DONE);
	assert_int_equal(c, 40);                                  /* 24 min = 0.40 h */
	assert_int_equal(centi_of(T0 + 18000, -1, 0, HUB_CHECKOUT_SESSION_END, T0, &c), HUB_OUT_DONE);
	assert_int_equal(c, 1);                                   /* 18 s: half a hundredth rounds up */
	assert_int_equal(centi_of(T0 + 17999, -1, 0, HUB_CHECKOUT_SESSION_END, T0, &c), HUB_OUT_DONE);
	assert_int_equal(c, 0);
}

static void test_still_in_has_no_figure(void **state)
{
	int64_t c;

	(void)state;
	assert_int_equal(centi_of(-1, T0 + 120 * MIN_MS, 1, HUB_CHECKOUT_SESSION_END, T0 + 10 * MIN_MS, &c),
	    HUB_OUT_OPEN);
	assert_int_equal(c, -1);                                  /* not the planned 2.0 h, not 0 */
	assert_int_equal(centi_of(-1, T0 + 120 * MIN_MS, 1, HUB_CHECKOUT_NO_HOURS, T0 + 10 * MIN_MS, &c),
	    HUB_OUT_OPEN);
	assert_int_equal(c, -1);
}

static void test_forgotten_follows_the_rule(void **state)
{
	int64_t c;

	(void)state;
	assert_int_equal(centi_of(-1, T0 + 115 * MIN_MS, 1, HUB_CHECKOUT_SESSION_END, T0 + 200 * MIN_MS, &c),
	    HUB_OUT_FORGOTTEN);
	assert_int_equal(c, 192);                                 /* 1 h 55 min = 1.92 h */
	assert_int_equal(centi_of(-1, T0 + 115 * MIN_MS, 1, HUB_CHECKOUT_NO_HOURS, T0 + 200 * MIN_MS, &c),
	    HUB_OUT_FORGOTTEN);
	assert_int_equal(c, 0);
}

static void test_participant_and_bad_clock(void **state)
{
	int64_t c;

	(void)state;
	assert_int_equal(centi_of(-1, T0 + 60 * MIN_MS, 0, HUB_CHECKOUT_SESSION_END, T0 + 200 * MIN_MS, &c),
	    HUB_OUT_NOT_EXPECTED);
	assert_int_equal(c, -1);
	/* a check-out before the check-in counts as none: a volunteer after the end */
	assert_int_equal(centi_of(T0 - MIN_MS, T0 + 60 * MIN_MS, 1, HUB_CHECKOUT_SESSION_END, T0 + 200 * MIN_MS,
	    &c), HUB_OUT_FORGOTTEN);
	assert_int_equal(c, 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checked_out),
		cmocka_unit_test(test_still_in_has_no_figure),
		cmocka_unit_test(test_forgotten_follows_the_rule),
		cmocka_unit_test(test_participant_and_bad_clock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
