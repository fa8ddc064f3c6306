/* test_hub_clock.c — the hub's ingest against a real database (a SQLite file;
 * also PostgreSQL when HUB_TEST_PG_URL names an empty database, as
 * tests/integration/hub_clock.sh does): clock correction exactly as
 * PROTOCOL.md says for mixed synchronised/unsynchronised sequences, across
 * batches, with out-of-order anchors and several boots; the work of a batch
 * (rows the correction updates, acked_seq scans) not growing with earlier
 * uncorrectable events; acked_seq over gaps; duplicates, 409 and 403. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "hub/db/db.h"
#include "hub/db/schema.h"
#include "hub/svc/auth.h"
#include "hub/svc/clockfix.h"
#include "hub/svc/events_parse.h"
#include "hub/svc/ingest.h"

#define BOOT_A "aaaaaaaa-0000-4000-8000-000000000001"
#define BOOT_B "bbbbbbbb-0000-4000-8000-000000000002"
#define SEC    1000000000LL         /* ns */
#define W0     1763820000000LL      /* a synchronised wall time, ms */
#define WRONG  1000LL               /* an unsynchronised (wrong) wall time, ms */
#define MAXEV  600

struct fx {
	struct hub_db *db;
	char path[64];
	int ndev;
};

/* One event of a test batch. */
struct tev {
	int64_t seq;
	int64_t boottime_ns;
	int synced;
	const char *boot;
	int64_t wall_ms;
};

static int seed(struct hub_db *db)
{
	char err[256];

	if (hub_schema_migrate(db, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return hub_db_exec_script(db,
	    "INSERT INTO organisations (id, name, org_key, created_ms) VALUES ('o1', 'O', 'k', 0);"
	    "INSERT INTO locations (id, org_id, name, timezone) VALUES ('l1', 'o1', 'L', 'UTC');"
	    "INSERT INTO locations (id, org_id, name, timezone) VALUES ('l2', 'o1', 'L2', 'UTC');"
	    "INSERT INTO people (org_id, id, display_name, first_name, chg) VALUES ('o1', 'p1', 'P', 'P', 1);"
	    "INSERT INTO tombstones (org_id, person_id, chg, erased_ms) VALUES ('o1', 'gone', 2, 0);"
	    "INSERT INTO sessions (org_id, id, location_id, title, start_ms, end_ms, chg)"
	    " VALUES ('o1', 's1', 'l1', 'S', 0, 1, 3);"
	    "INSERT INTO sessions (org_id, id, location_id, title, start_ms, end_ms, chg)"
	    " VALUES ('o1', 's2', 'l2', 'S2', 0, 1, 4);") == HUB_DB_OK ? 0 : -1;
}

static int setup_sqlite(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char url[96], err[256];
	int fd;

	if (f == NULL)
		return -1;
	*state = f;
	snprintf(f->path, sizeof(f->path), "/tmp/test_hub_clock.XXXXXX");
	fd = mkstemp(f->path);
	if (fd < 0) {
		f->path[0] = '\0';
		return -1;
	}
	close(fd);
	snprintf(url, sizeof(url), "sqlite:%s", f->path);
	if (hub_db_open(url, &f->db, err, sizeof(err)) != HUB_DB_OK || seed(f->db) != 0)
		return -1;
	return 0;
}

static int setup_pg(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	const char *url = getenv("HUB_TEST_PG_URL");
	char err[256];

	if (f == NULL)
		return -1;
	*state = f;
	err[0] = '\0';
	if (url == NULL || hub_db_open(url, &f->db, err, sizeof(err)) != HUB_DB_OK ||
	    seed(f->db) != 0) {
		fprintf(stderr, "postgresql: %s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char p[96];

	if (f == NULL)
		return 0;
	if (f->db != NULL)
		hub_db_close(f->db);
	if (f->path[0] != '\0') {
		unlink(f->path);
		snprintf(p, sizeof(p), "%s-wal", f->path);
		unlink(p);
		snprintf(p, sizeof(p), "%s-shm", f->path);
		unlink(p);
	}
	free(f);
	return 0;
}

/* A new active device of location l1 for one test. */
static void new_device(struct fx *f, struct hub_device *dev)
{
	memset(dev, 0, sizeof(*dev));
	snprintf(dev->id, sizeof(dev->id), "d%d", ++f->ndev);
	snprintf(dev->org_id, sizeof(dev->org_id), "o1");
	snprintf(dev->location_id, sizeof(dev->location_id), "l1");
	assert_int_equal(hub_db_exec(f->db, "INSERT INTO devices (id, org_id, location_id, status,"
	    " created_ms) VALUES ($1, 'o1', 'l1', 'active', 0)", 1,
	    (struct hub_param[]){ HP_S(dev->id) }, NULL), HUB_DB_OK);
}

static void fill_event(struct hub_event *e, const struct hub_device *dev, const struct tev *t)
{
	memset(e, 0, sizeof(*e));
	/* the device number in the uuid keeps uuids unique across devices */
	snprintf(e->uuid, sizeof(e->uuid), "0193a1b2-%04x-7e4f-8a9b-%012llx",
	    (unsigned)strtoul(dev->id + 1, NULL, 10), (unsigned long long)t->seq);
	e->seq = t->seq;
	snprintf(e->kind, sizeof(e->kind), "check_in");
	snprintf(e->person_id, sizeof(e->person_id), "p1");
	snprintf(e->session_id, sizeof(e->session_id), "s1");
	e->wall_ms = t->wall_ms;
	snprintf(e->boot_id, sizeof(e->boot_id), "%s", t->boot ? t->boot : BOOT_A);
	e->boottime_ns = t->boottime_ns;
	e->clock_synced = t->synced;
	snprintf(e->payload, sizeof(e->payload), "{}");
}

/* Push n events; returns the HTTP-like status, res filled. */
static int push(struct fx *f, const struct hub_device *dev, const struct tev *t, int n,
    struct hub_ingest_result *res)
{
	struct hub_batch b = { .n = n };
	int st;

	b.ev = calloc((size_t)(n > 0 ? n : 1), sizeof(*b.ev));
	assert_non_null(b.ev);
	for (int i = 0; i < n; i++)
		fill_event(&b.ev[i], dev, &t[i]);
	st = hub_ingest(f->db, dev, &b, NULL, res);
	free(b.ev);
	return st;
}

static void push_ok(struct fx *f, const struct hub_device *dev, const struct tev *t, int n,
    struct hub_ingest_result *res)
{
	int st = push(f, dev, t, n, res);

	if (st != 200)
		fail_msg("ingest %d: %s", st, res->err);
}

/* t_ms and correction of (device, seq). */
static void stored(struct fx *f, const struct hub_device *dev, int64_t seq, int64_t *t_ms,
    char *corr, size_t corrlen)
{
	struct hub_res *r = NULL;

	assert_int_equal(hub_db_query(f->db, "SELECT t_ms, correction FROM events"
	    " WHERE device_id = $1 AND seq = $2", 2,
	    (struct hub_param[]){ HP_S(dev->id), HP_I(seq) }, 0, &r), HUB_DB_OK);
	assert_int_equal(hub_res_next(r), 1);
	*t_ms = hub_res_int(r, 0);
	snprintf(corr, corrlen, "%s", hub_res_text(r, 1));
	while (hub_res_next(r) == 1)
		;
	hub_res_free(r);
}

static void expect(struct fx *f, const struct hub_device *dev, int64_t seq,
    const char *corr, int64_t t_ms)
{
	char c[32];
	int64_t t;

	stored(f, dev, seq, &t, c, sizeof(c));
	if (strcmp(c, corr) != 0 || t != t_ms)
		fail_msg("seq %lld: %s %lld, expected %s %lld", (long long)seq, c, (long long)t,
		    corr, (long long)t_ms);
}

/* One batch: unsynced, unsynced, synced, unsynced, synced, unsynced. */
static void test_mixed_one_batch(void **state)
{
	struct fx *f = *state;
	struct hub_device d;
	struct hub_ingest_result res;
	const struct tev t[] = {
		{ 1, 1 * SEC + 1234567, 0, NULL, WRONG },
		{ 2, 2 * SEC + 500000000, 0, NULL, WRONG + 1 },
		{ 3, 10 * SEC, 1, NULL, W0 },
		{ 4, 11 * SEC + 999999, 0, NULL, WRONG + 2 },
		{ 5, 20 * SEC, 1, NULL, W0 + 60000 },
		{ 6, 30 * SEC, 0, NULL, WRONG + 3 },
	};

	new_device(f, &d);
	push_ok(f, &d, t, 6, &res);
	assert_int_equal(res.stored, 6);
	assert_int_equal(res.acked_seq, 6);
	/* (10 s - 1.001234567 s) = 8998.765433 ms -> truncated to 8998 */
	expect(f, &d, 1, "yes", W0 - 8998);
	assert_int_equal(hub_clock_corrected_ms(W0, 10 * SEC, 1 * SEC + 1234567), W0 - 8998);
	expect(f, &d, 2, "yes", W0 - 7500);
	expect(f, &d, 3, "no", W0);
	expect(f, &d, 4, "yes", W0 + 60000 - 8999);   /* 8.999000001 s before seq 5 */
	expect(f, &d, 5, "no", W0 + 60000);
	expect(f, &d, 6, "uncorrectable", WRONG + 3);
}

/* Unsynced events over three batches, the anchor in a fourth. */
static void test_across_batches(void **state)
{
	struct fx *f = *state;
	struct hub_device d;
	struct hub_ingest_result res;
	struct tev t[5];

	new_device(f, &d);
	for (int i = 0; i < 5; i++)
		t[i] = (struct tev){ i + 1, (i + 1) * SEC, 0, NULL, WRONG + i };
	push_ok(f, &d, t, 2, &res);
	push_ok(f, &d, t + 2, 2, &res);
	expect(f, &d, 3, "uncorrectable", WRONG + 2);
	push_ok(f, &d, t + 4, 1, &res);
	for (int i = 1; i <= 5; i++)
		expect(f, &d, i, "uncorrectable", WRONG + i - 1);
	t[0] = (struct tev){ 6, 100 * SEC, 1, NULL, W0 };
	t[1] = (struct tev){ 7, 101 * SEC, 0, NULL, WRONG };
	push_ok(f, &d, t, 2, &res);
	assert_int_equal(res.clock_rows, 5);      /* exactly the five waiting ones */
	for (int i = 1; i <= 5; i++)
		expect(f, &d, i, "yes", W0 - (100 - i) * 1000);
	expect(f, &d, 6, "no", W0);
	expect(f, &d, 7, "uncorrectable", WRONG);
	/* the same batch again changes nothing */
	push_ok(f, &d, t, 2, &res);
	assert_int_equal(res.stored, 0);
	assert_int_equal(res.duplicates, 2);
	assert_int_equal(res.clock_rows, 0);
	expect(f, &d, 1, "yes", W0 - 99000);
}

/* After a gap: the later batch (with an anchor) comes first, the earlier one
 * brings an earlier anchor that takes over; the earlier batch's own
 * unsynchronised events after its anchor get the later, older-held anchor. */
static void test_out_of_order(void **state)
{
	struct fx *f = *state;
	struct hub_device d;
	struct hub_ingest_result res;
	const struct tev first[] = {
		{ 1, 1 * SEC, 0, NULL, WRONG },
		{ 2, 2 * SEC, 0, NULL, WRONG },
	};
	const struct tev late[] = {
		{ 6, 50 * SEC, 1, NULL, W0 },
		{ 7, 51 * SEC, 0, NULL, WRONG },
	};
	const struct tev gap[] = {
		{ 3, 3 * SEC, 1, NULL, W0 - 500000 },
		{ 4, 4 * SEC, 0, NULL, WRONG },
		{ 5, 5 * SEC, 0, NULL, WRONG },
	};

	new_device(f, &d);
	push_ok(f, &d, first, 2, &res);
	push_ok(f, &d, late, 2, &res);
	assert_int_equal(res.acked_seq, 2);       /* 3..5 missing */
	assert_int_equal(res.ack_scans, 1);
	expect(f, &d, 1, "yes", W0 - 49000);
	expect(f, &d, 2, "yes", W0 - 48000);
	expect(f, &d, 7, "uncorrectable", WRONG);
	push_ok(f, &d, gap, 3, &res);
	assert_int_equal(res.acked_seq, 7);       /* the gap is filled */
	expect(f, &d, 1, "yes", W0 - 500000 - 2000);   /* re-anchored to seq 3 */
	expect(f, &d, 2, "yes", W0 - 500000 - 1000);
	expect(f, &d, 3, "no", W0 - 500000);
	expect(f, &d, 4, "yes", W0 - 46000);      /* anchored to seq 6, held before */
	expect(f, &d, 5, "yes", W0 - 45000);
	expect(f, &d, 6, "no", W0);
	expect(f, &d, 7, "uncorrectable", WRONG);
}

/* Boots do not anchor each other; an event at exactly an anchor's boottime
 * is not anchored by it (strictly later), but by the next one. */
static void test_boots_and_ties(void **state)
{
	struct fx *f = *state;
	struct hub_device d;
	struct hub_ingest_result res;
	const struct tev a[] = {
		{ 1, 1 * SEC, 0, BOOT_A, WRONG },
		{ 2, 2 * SEC, 0, BOOT_B, WRONG },
		{ 3, 5 * SEC, 1, BOOT_A, W0 },
		{ 4, 5 * SEC, 0, BOOT_A, WRONG },      /* same boottime as seq 3 */
	};
	const struct tev b[] = {
		{ 5, 9 * SEC, 1, BOOT_A, W0 + 10000 },
		{ 6, 3 * SEC, 1, BOOT_B, W0 + 20000 },
	};

	new_device(f, &d);
	push_ok(f, &d, a, 4, &res);
	expect(f, &d, 1, "yes", W0 - 4000);
	expect(f, &d, 2, "uncorrectable", WRONG);   /* boot B has no anchor yet */
	expect(f, &d, 4, "uncorrectable", WRONG);
	push_ok(f, &d, b, 2, &res);
	expect(f, &d, 1, "yes", W0 - 4000);          /* seq 3 still comes first */
	expect(f, &d, 2, "yes", W0 + 20000 - 1000);
	expect(f, &d, 4, "yes", W0 + 10000 - 4000);
}

/* The O(n^2) of before: every batch rewrote every waiting event. Now a batch
 * without an anchor writes nothing, and the anchor writes each waiting event
 * once; acked_seq needs no scan while batches are contiguous. */
static void test_work_per_batch(void **state)
{
	struct fx *f = *state;
	struct hub_device d;
	struct hub_ingest_result res;
	static struct tev t[MAXEV];
	int64_t seq = 1;

	new_device(f, &d);
	for (int k = 0; k < 20; k++) {
		for (int i = 0; i < 100; i++, seq++)
			t[i] = (struct tev){ seq, seq * SEC, 0, NULL, WRONG + seq };
		push_ok(f, &d, t, 100, &res);
		assert_int_equal(res.stored, 100);
		assert_int_equal(res.clock_rows, 0);
		assert_int_equal(res.ack_scans, 0);
		assert_int_equal(res.acked_seq, seq - 1);
	}
	t[0] = (struct tev){ seq, seq * SEC, 1, NULL, W0 };
	push_ok(f, &d, t, 1, &res);
	assert_int_equal(res.clock_rows, 2000);
	expect(f, &d, 1, "yes", W0 - 2000 * 1000);
	expect(f, &d, 2000, "yes", W0 - 1000);
	seq++;
	for (int k = 0; k < 3; k++) {
		for (int i = 0; i < 100; i++, seq++)
			t[i] = (struct tev){ seq, seq * SEC, 0, NULL, WRONG };
		push_ok(f, &d, t, 100, &res);
		assert_int_equal(res.clock_rows, 0);
	}
	/* a synced anchor only re-anchors what lies before it since the last one */
	t[0] = (struct tev){ seq, seq * SEC, 1, NULL, W0 + 1000000 };
	push_ok(f, &d, t, 1, &res);
	assert_int_equal(res.clock_rows, 300);
}

/* acked_seq is the contiguous high-water mark, also over gaps and resends. */
static void test_acked_gaps(void **state)
{
	struct fx *f = *state;
	struct hub_device d;
	struct hub_ingest_result res;
	struct tev t[10];

	new_device(f, &d);
	for (int i = 0; i < 10; i++)
		t[i] = (struct tev){ i + 1, (i + 1) * SEC, 1, NULL, W0 + i };
	push_ok(f, &d, t, 5, &res);                 /* 1..5 */
	assert_int_equal(res.acked_seq, 5);
	push_ok(f, &d, t + 7, 3, &res);             /* 8..10 */
	assert_int_equal(res.acked_seq, 5);
	push_ok(f, &d, t + 5, 1, &res);             /* 6 */
	assert_int_equal(res.acked_seq, 6);
	push_ok(f, &d, t + 3, 4, &res);             /* 4..7: resend + the missing 7 */
	assert_int_equal(res.acked_seq, 10);
	assert_int_equal(res.stored, 1);
	assert_int_equal(res.duplicates, 3);
	push_ok(f, &d, t, 0, &res);                 /* empty: just the answer */
	assert_int_equal(hub_ingest_acked(f->db, d.id, &res.acked_seq), HUB_DB_OK);
	assert_int_equal(res.acked_seq, 10);
}

/* The set-based checks still answer 403/409 with the event named. */
static void test_refusals(void **state)
{
	struct fx *f = *state;
	struct hub_device d;
	struct hub_ingest_result res;
	struct hub_batch b = { .n = 3 };
	struct hub_event ev[3];
	int64_t n = -1;

	new_device(f, &d);
	for (int i = 0; i < 3; i++)
		fill_event(&ev[i], &d, &(struct tev){ i + 1, (i + 1) * SEC, 1, NULL, W0 });
	b.ev = ev;
	snprintf(ev[2].session_id, sizeof(ev[2].session_id), "s2");   /* other location */
	assert_int_equal(hub_ingest(f->db, &d, &b, NULL, &res), 403);
	assert_non_null(strstr(res.err, "events[2].session_id"));
	snprintf(ev[2].session_id, sizeof(ev[2].session_id), "s1");
	snprintf(ev[1].person_id, sizeof(ev[1].person_id), "nobody");
	assert_int_equal(hub_ingest(f->db, &d, &b, NULL, &res), 403);
	assert_non_null(strstr(res.err, "events[1].person_id"));
	assert_int_equal(hub_db_int(f->db, "SELECT COUNT(*) FROM events WHERE device_id = $1", 1,
	    (struct hub_param[]){ HP_S(d.id) }, &n), 1);
	assert_int_equal(n, 0);                                         /* nothing stored */
	snprintf(ev[1].person_id, sizeof(ev[1].person_id), "gone");    /* erased: anonymised */
	assert_int_equal(hub_ingest(f->db, &d, &b, NULL, &res), 200);
	assert_int_equal(res.stored, 3);
	assert_int_equal(hub_db_int(f->db, "SELECT COUNT(*) FROM events WHERE device_id = $1"
	    " AND anonymised = 1 AND person_id IS NULL", 1, (struct hub_param[]){ HP_S(d.id) }, &n), 1);
	assert_int_equal(n, 1);
	assert_int_equal(hub_ingest(f->db, &d, &b, NULL, &res), 200);   /* replay */
	assert_int_equal(res.duplicates, 3);
	ev[2].wall_ms++;                                                /* same uuid, other content */
	assert_int_equal(hub_ingest(f->db, &d, &b, NULL, &res), 409);
	assert_non_null(strstr(res.err, "events[2]"));
}

#define CASES \
	cmocka_unit_test(test_mixed_one_batch), \
	cmocka_unit_test(test_across_batches), \
	cmocka_unit_test(test_out_of_order), \
	cmocka_unit_test(test_boots_and_ties), \
	cmocka_unit_test(test_work_per_batch), \
	cmocka_unit_test(test_acked_gaps), \
	cmocka_unit_test(test_refusals)

int main(void)
{
	const struct CMUnitTest tests[] = { CASES };
	int rc = cmocka_run_group_tests_name("hub ingest on sqlite", tests, setup_sqlite, teardown);

	if (getenv("HUB_TEST_PG_URL") != NULL)
		rc |= cmocka_run_group_tests_name("hub ingest on postgresql", tests, setup_pg, teardown);
	return rc;
}
