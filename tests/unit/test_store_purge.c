/* test_store_purge.c — the kiosk drops delivered events past its bound
 * (store_outbox_purge, kiosk/store/store_outbox.h): old delivered events
 * go; undelivered ones, recent ones and ones delivered recently stay; the
 * newest event always stays, so the next seq keeps counting up even when
 * every event was old and delivered (the hub would take a restarted seq
 * for duplicates). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "store.h"
#include "store_int.h"
#include "store_outbox.h"

#define FIXTURE_STORE_TMP "/tmp/presentie-test-purge-XXXXXX"
#include "fixture_store.h"

#define DAY_MS (86400LL * 1000)

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Append n check-ins with wall time wall; returns the last seq. */
static int64_t append(struct store *st, int n, int64_t wall)
{
	struct store_event_in ev = { STORE_EV_CHECK_IN, "p1", "s1", NULL, NULL, wall };
	struct store_event_out o = { 0 };

	for (int i = 0; i < n; i++)
		assert_int_equal(store_event_append(st, &ev, &o), 0);
	return o.seq;
}

/* Mark seq <= upto delivered, delivery at delivered_at. */
static void deliver(struct store *st, int64_t upto, int64_t delivered_at)
{
	char sql[128];

	assert_int_equal(store_outbox_mark_delivered(st, upto), 0);
	snprintf(sql, sizeof sql, "UPDATE events SET delivered_at = %lld WHERE seq <= %lld",
	    (long long)delivered_at, (long long)upto);
	assert_int_equal(exec(st->db, sql), 0);
}

static void test_purge_keeps_what_it_must(void **state)
{
	char path[PR_PATH_MAX];
	int64_t now = now_ms(), old = now - 40 * DAY_MS, bound = now - STORE_EVENT_KEEP_DAYS * DAY_MS;
	int64_t n = -1, pending = 0, first = 0;
	struct store *st;

	(void)state;
	new_path(path, sizeof path);
	st = open_ok(path);
	append(st, 20, old);                     /* 1..20 old */
	deliver(st, 15, old);                    /* 1..15 delivered long ago */
	append(st, 5, now);                      /* 21..25 recent */
	deliver(st, 25, old);                    /* 16..25 delivered, marked old */
	assert_int_equal(exec(st->db, "UPDATE events SET delivered_at = "
	    "(SELECT max(wall_ms) FROM events) WHERE seq BETWEEN 16 AND 18"), 0);  /* just delivered */
	append(st, 3, old - DAY_MS);             /* 26..28 ancient, undelivered */
	assert_int_equal(store_outbox_purge(st, bound, &n), 0);
	assert_int_equal(n, 17);                 /* 1..15 and 19..20 */
	assert_int_equal(scalar(st->db, "SELECT count(*) FROM events WHERE seq <= 20"), 3);
	assert_int_equal(scalar(st->db, "SELECT min(seq) FROM events"), 16);
	assert_int_equal(scalar(st->db, "SELECT count(*) FROM events WHERE seq BETWEEN 21 AND 25"), 5);
	assert_int_equal(store_outbox_pending(st, &pending, &first), 0);
	assert_int_equal(pending, 3);            /* undelivered never dropped */
	assert_int_equal(first, 26);
	assert_int_equal(store_outbox_purge(st, bound, &n), 0);
	assert_int_equal(n, 0);                  /* a second run does nothing */
	store_close(st);
}

static void test_purge_all_keeps_sequence(void **state)
{
	char path[PR_PATH_MAX];
	int64_t now = now_ms(), old = now - 40 * DAY_MS, bound = now - STORE_EVENT_KEEP_DAYS * DAY_MS;
	int64_t n = -1;
	struct store *st;

	(void)state;
	new_path(path, sizeof path);
	st = open_ok(path);
	assert_int_equal(append(st, 10, old), 10);
	deliver(st, 10, old);                    /* every event old and delivered */
	assert_int_equal(store_outbox_purge(st, bound, &n), 0);
	assert_int_equal(n, 9);                  /* all but the newest */
	assert_int_equal(scalar(st->db, "SELECT group_concat(seq) FROM events"), 10);
	assert_int_equal(append(st, 1, 0), 11);  /* the sequence continues */
	store_close(st);

	st = open_ok(path);                      /* and after a reopen */
	deliver(st, 11, old);
	assert_int_equal(store_outbox_purge(st, now + DAY_MS, &n), 0);
	assert_int_equal(n, 1);                  /* 10 is no longer the newest */
	assert_int_equal(scalar(st->db, "SELECT count(*) FROM events"), 1);
	assert_int_equal(append(st, 1, 0), 12);
	assert_int_equal(scalar(st->db, "SELECT max(seq) - min(seq) FROM events"), 1);
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_purge_keeps_what_it_must),
		cmocka_unit_test(test_purge_all_keeps_sequence),
	};

	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
