/* test_nfc_faults.c — the libnfc reader thread (nfc_fixture.h) when the
 * chip misbehaves: unplugged and back, silent, corrupt frames, one hiccup
 * under a card, and a slow chip.
 * Must not: wait without a bound; print a UID. */
#include "nfc_fixture.h"

static void
test_unplug_replug(void **state)
{
	size_t from;

	(void)state;
	tap(UID4, NULL, 4);
	from = T.n;
	assert_true(state_after("unplug", READER_DISCONNECTED, DISCONNECT_MS,
	    "unplug -> DISCONNECTED") <= DISCONNECT_MS);
	assert_true(wait_ev(from, EV_GONE, -1, 0) >= 0);  /* card not "on" any more */
	drain(1500);                                      /* retries stay quiet */
	assert_int_equal(count_ev(from, EV_CARD), 0);
	assert_int_equal(count_ev(from, EV_STATE), 1);

	from = T.n;
	state_after("replug", READER_READY, 4000, "replug -> READY");
	/* the card was left on the reader: a fresh presentation after replug */
	assert_true(wait_ev(from, EV_CARD, -1, TAP_MS) >= 0);
	lift();
	tap(UID7, NULL, 7);
	lift();
}

static void
test_silent_chip(void **state)
{
	(void)state;
	/* power lost on a UART PN532: silence */
	assert_true(state_after("mute on", READER_DISCONNECTED, 3000,
	    "silent chip -> DISCONNECTED") <= 3000);
	state_after("mute off", READER_READY, 6000, "chip speaks again -> READY");
	tap(UID10, NULL, 10);
	lift();
}

static void
test_corrupt_frames(void **state)
{
	size_t from;

	(void)state;
	emu("garbage 12");              /* every kind of corruption, twice */
	emu("noise");
	emu("card " UID4);
	drain(3000);
	emu("noise");
	emu("remove");
	drain(1500);
	/* The chip is well again: the reader must be READY and work. */
	from = T.n;
	tap(UID7, NULL, 7);
	lift();
	drain(200);
	assert_int_equal(count_ev(from, EV_CARD), 1);
}

/* One corrupt answer while a card lies on the reader: the thread heals the
 * chip and finds the same card again; that is not a second presentation. */
static void
test_hiccup_is_not_a_new_tap(void **state)
{
	char stats[EMU_CLIENT_LINE_MAX];
	size_t from = T.n;

	(void)state;
	/* MIFARE Classic: libnfc's presence check (a re-select) does not retry
	 * on a bad frame itself, so the error reaches the reader thread. */
	tap(UID4, NULL, 4);
	drain(300);
	emu("garbage 1");
	drain(1500);
	assert_int_equal(emu_client_cmd(&T.emu, "stats", stats, sizeof(stats)), 0);
	assert_non_null(strstr(stats, "corrupted=1"));
	assert_int_equal(count_ev(from, EV_CARD), 1);
	assert_int_equal(count_ev(from, EV_GONE), 0);
	assert_true(wait_ev(from, EV_STATE, READER_DISCONNECTED, 0) < 0);
	lift();
}

static void
test_slow_chip(void **state)
{
	size_t from;

	(void)state;
	emu("slow 120");                /* within libnfc's 350 ms per command */
	tap(UID4, NULL, 4);
	drain(1000);
	lift();
	from = T.n;
	emu("slow 900");                /* beyond it: every command times out */
	drain(4000);
	emu("slow 0");
	if (wait_ev(from, EV_STATE, READER_DISCONNECTED, 0) >= 0)
		assert_true(wait_ev(from, EV_STATE, READER_READY, 6000) >= 0);
	from = T.n;
	tap(UID7, NULL, 7);
	lift();
	assert_int_equal(count_ev(from, EV_CARD), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_unplug_replug, setup, teardown),
		cmocka_unit_test_setup_teardown(test_silent_chip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_frames, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hiccup_is_not_a_new_tap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slow_chip, setup, teardown),
	};

	return nfc_fixture_run("test_nfc_faults", tests, sizeof(tests) / sizeof(tests[0]));
}
