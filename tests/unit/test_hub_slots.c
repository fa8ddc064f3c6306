/* test_hub_slots.c — the export budget (http/slots.h): per organisation
 * (429) before per process (503), a given-back slot is free again, and
 * every slot has a connection of its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "hub/http/slots.h"

static void test_budget(void **state)
{
	struct hub_slot a1, a2, a3, b1, c1, d1;
	char err[256];
	struct hub_slots *s = hub_slots_new("sqlite::memory:", 3, 2, err, sizeof(err));

	(void)state;
	assert_non_null(s);
	assert_int_equal(hub_slot_take(s, "org-a", &a1), HUB_SLOT_OK);
	assert_int_equal(hub_slot_take(s, "org-a", &a2), HUB_SLOT_OK);
	assert_ptr_not_equal(a1.db, a2.db);
	assert_int_equal(hub_slot_take(s, "org-a", &a3), HUB_SLOT_ORG_BUSY);
	assert_null(a3.db);
	assert_int_equal(hub_slot_take(s, "org-b", &b1), HUB_SLOT_OK);
	assert_int_equal(hub_slots_used(s), 3);
	assert_int_equal(hub_slot_take(s, "org-c", &c1), HUB_SLOT_ALL_BUSY);
	assert_int_equal(hub_slot_take(s, "org-a", &a3), HUB_SLOT_ORG_BUSY);  /* 429 first */
	hub_slot_give(&a1, 0);
	assert_null(a1.db);
	assert_int_equal(hub_slots_used(s), 2);
	assert_int_equal(hub_slot_take(s, "org-c", &c1), HUB_SLOT_OK);
	assert_int_equal(hub_slot_take(s, "org-d", &d1), HUB_SLOT_ALL_BUSY);
	hub_slot_give(&a2, 1);   /* a broken connection is replaced */
	assert_int_equal(hub_slot_take(s, "org-d", &d1), HUB_SLOT_OK);
	assert_non_null(d1.db);
	hub_slot_give(&b1, 0);
	hub_slot_give(&c1, 0);
	hub_slot_give(&d1, 0);
	assert_int_equal(hub_slots_used(s), 0);
	hub_slots_free(s);
}

static void test_bad_sizes(void **state)
{
	char err[256];

	(void)state;
	assert_null(hub_slots_new("sqlite::memory:", 0, 1, err, sizeof(err)));
	assert_null(hub_slots_new("sqlite::memory:", HUB_EXPORT_SLOTS_MAX + 1, 1, err, sizeof(err)));
	assert_null(hub_slots_new("sqlite::memory:", 2, 3, err, sizeof(err)));
	assert_null(hub_slots_new("nosuch:x", 2, 1, err, sizeof(err)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_bad_sizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
