/* test_nfc_cards.c — cards on the libnfc reader (nfc_fixture.h): every
 * card size, a card left on the reader, remove and re-present, a swap
 * without a gap, random UIDs, stopping with a card on, and the identifier
 * lengths reader_post_uid accepts.
 * Must not: wait without a bound; print a UID. */
#include "nfc_fixture.h"

/* The two halves agree on identifier lengths: whatever
 * reader_nfc_card_from_target hands over (ISO 14443A 4/7/10, ISO 14443B
 * PUPI 4, FeliCa IDm 8) reader_post_uid (kiosk/reader.c) turns into a
 * usable card with cred's MAC; other lengths are INVALID. */
static void
test_post_uid_lengths(void **state)
{
	static const struct { size_t len; enum reader_card_status st; } k[] = {
		{ 4, READER_CARD_OK }, { 7, READER_CARD_OK }, { 8, READER_CARD_OK },
		{ 10, READER_CARD_OK }, { 3, READER_CARD_INVALID },
		{ 5, READER_CARD_INVALID }, { 11, READER_CARD_INVALID },
	};
	uint8_t uid[16], want[PR_MAC_BYTES];
	struct reader_nfc_card c;
	nfc_target nt;

	(void)state;
	T.n = 0;
	SDL_FlushEvents(SDL_FIRSTEVENT, SDL_LASTEVENT);
	for (size_t i = 0; i < sizeof(uid); i++)
		uid[i] = (uint8_t)(0x40 + i);
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		long e;
		assert_int_equal(reader_post_uid(T.key, uid, k[i].len), 0);
		e = wait_ev(T.n, EV_CARD, -1, TAP_MS);
		assert_true(e >= 0);
		assert_int_equal(T.log[e].card.status, k[i].st);
		if (k[i].st == READER_CARD_OK) {
			assert_int_equal(cred_mac_card(T.key, uid, k[i].len, want), 0);
			assert_memory_equal(T.log[e].card.mac, want, sizeof(want));
		}
		T.n = 0;
	}
	/* a FeliCa target: its IDm is the identifier, 8 bytes */
	memset(&nt, 0, sizeof(nt));
	nt.nm.nmt = NMT_FELICA;
	nt.nm.nbr = NBR_212;
	memcpy(nt.nti.nfi.abtId, uid, 8);
	assert_int_equal(reader_nfc_card_from_target(&nt, &c), 0);
	assert_int_equal(c.len, 8);
	assert_int_equal(reader_post_uid(T.key, c.uid, c.len), 0);
	assert_true(wait_ev(0, EV_CARD, -1, TAP_MS) == 0);
	assert_int_equal(T.log[0].card.status, READER_CARD_OK);
	reader_post_gone();
	assert_true(wait_ev(0, EV_GONE, -1, TAP_MS) >= 0);
	T.n = 0;
}

static void
test_card_sizes(void **state)
{
	static const struct { const char *uid, *extra; size_t len; } k[] = {
		{ UID4, NULL, 4 },              /* Classic 1k: ATQA 0004 SAK 08 */
		{ UID7, NULL, 7 },              /* NTAG: 0044 / 00 */
		{ UID7D, "0344 20", 7 },        /* DESFire: ISO 14443-4 */
		{ UID10, NULL, 10 },
		{ UID10X, "0084 00", 10 },      /* presence via our re-select */
	};
	(void)state;
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		size_t from = T.n;
		tap(k[i].uid, k[i].extra, k[i].len);
		drain(400);             /* several presence checks */
		assert_int_equal(count_ev(from, EV_CARD), 1);
		assert_int_equal(count_ev(from, EV_GONE), 0);
		lift();
		drain(300);
		assert_int_equal(count_ev(from, EV_CARD), 1);
	}
}

static void
test_card_left_on_reader(void **state)
{
	size_t from = T.n;
	long a, b;
	uint8_t mac[PR_MAC_BYTES];

	(void)state;
	a = tap(UID7, NULL, 7);
	memcpy(mac, T.log[a].card.mac, sizeof(mac));
	drain(10000);
	assert_int_equal(count_ev(from, EV_CARD), 1);
	assert_int_equal(count_ev(from, EV_GONE), 0);
	lift();
	b = tap(UID7, NULL, 7);                 /* re-presented: a new event */
	assert_int_equal(count_ev(from, EV_CARD), 2);
	assert_memory_equal(T.log[b].card.mac, mac, sizeof(mac));
	lift();
	a = tap(UID4, NULL, 4);                 /* another card, another MAC */
	assert_memory_not_equal(T.log[a].card.mac, mac, sizeof(mac));
}

static void
test_card_swap_without_gap(void **state)
{
	size_t from = T.n;

	(void)state;
	tap(UID4, NULL, 4);
	tap(UID7, NULL, 7);                     /* replaced while on the reader */
	assert_true(wait_ev(from, EV_GONE, -1, TAP_MS) >= 0);
	assert_int_equal(count_ev(from, EV_CARD), 2);
}

static void
test_random_uid(void **state)
{
	size_t from = T.n;
	long i;

	(void)state;
	emu("card " UIDRAND);
	i = wait_ev(from, EV_CARD, -1, TAP_MS);
	assert_true(i >= 0);
	assert_int_equal(T.log[i].card.status, READER_CARD_RANDOM);
	assert_int_equal(T.log[i].card.uid_len, 4);
	lift();
}

static void
test_stop_while_card_on(void **state)
{
	(void)state;
	tap(UID7D, "0344 20", 7);
	stop_reader();                  /* asserts it returns promptly */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_post_uid_lengths),
		cmocka_unit_test_setup_teardown(test_card_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_card_left_on_reader, setup, teardown),
		cmocka_unit_test_setup_teardown(test_card_swap_without_gap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_uid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_while_card_on, setup, teardown),
	};

	return nfc_fixture_run("test_nfc_cards", tests, sizeof(tests) / sizeof(tests[0]));
}
