/* test_hub_reeval.c — decisions taken with a wrong clock are revisited
 * (svc/reeval.c). First the mapping without a database: the hub's rows
 * (sessions of the day, enrolment, role) -> struct rules_input ->
 * rules_decide -> kind/session/role, for every outcome a fresh tap can have
 * and the window's edges. Then the pass inside the ingest against a real
 * database (a SQLite file; also PostgreSQL when HUB_TEST_PG_URL names an
 * empty database, as tests/integration/hub_reeval.sh does): unsynchronised
 * taps re-decided once a synchronised sample corrects them, the device's
 * words kept in orig_* (also across a second correction), local_day, the
 * check-out following its check-in, cancelled sessions and inactive
 * enrolments/assignments ignored, guests and erased people left alone,
 * replays still duplicates, more rows than one round, and no work for a
 * batch that corrects nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "hub/base/hubtz.h"
#include "hub/db/db.h"
#include "hub/db/schema.h"
#include "hub/svc/auth.h"
#include "hub/svc/events_parse.h"
#include "hub/svc/ingest.h"
#include "hub/svc/reeval.h"

#define MIN_MS    60000LL
#define SEC       1000000000LL          /* ns */
#define H14       1773147600000LL       /* 2026-03-10 14:00 Europe/Amsterdam (13:00Z) */
#define DAY       20522                 /* its local day number */
#define WS_START  H14                   /* ws: 14:00-16:00, programme A, group */
#define WS_END    (H14 + 120 * MIN_MS)
#define WIN_START (H14 - 30 * MIN_MS)   /* win: 13:30-17:00, programme W, open */
#define WIN_END   (H14 + 180 * MIN_MS)
#define DAY3      (3 * 24 * 60 * MIN_MS)
#define BOOT      "cccccccc-0000-4000-8000-000000000003"
#define MANY      600                   /* > HUB_REEVAL_CHUNK: several rounds */

/* ---- the mapping, no database ------------------------------------------ */

static const struct hub_reeval_session two[] = {
	{ "ws", WS_START, WS_END, "group", 0, NULL },
	{ "win", WIN_START, WIN_END, "open", 0, NULL },
};

static void decide(const struct hub_reeval_session *s, size_t n, int64_t t,
    const char *kind, const char *session, const char *role, const char *reeval)
{
	struct hub_reeval_meaning m;

	assert_int_equal(hub_reeval_decide(NULL, t, s, n, &m), 0);
	assert_string_equal(m.kind, kind);
	assert_string_equal(m.reeval, reeval);
	if (session == NULL)
		assert_null(m.session_id);
	else
		assert_string_equal(m.session_id, session);
	if (role == NULL)
		assert_null(m.role);
	else
		assert_string_equal(m.role, role);
}

static void test_map_outcomes(void **state)
{
	struct hub_reeval_session s[2];
	int64_t t = H14 + 20 * MIN_MS;

	(void)state;
	/* the only candidate: check-in, enrolled or not */
	decide(two, 1, t, "check_in", "ws", NULL, "check_in");
	/* a role in one of two: a volunteer check-in with the role */
	memcpy(s, two, sizeof(s));
	s[0].role = "catering";
	s[1].enrolled = 1;
	decide(s, 2, t, "check_in", "ws", "catering", "check_in");
	/* no role, enrolled in one of two: that one */
	memcpy(s, two, sizeof(s));
	s[0].enrolled = 1;
	decide(s, 2, t, "check_in", "ws", NULL, "check_in");
	/* enrolled in none of two: the kiosk would ask; the hub does not guess */
	decide(two, 2, t, "drop_in", NULL, NULL, "choose");
	/* roles in both: ask, too */
	memcpy(s, two, sizeof(s));
	s[0].role = "catering";
	s[1].role = "gastvrouw";
	decide(s, 2, t, "drop_in", NULL, NULL, "choose");
	/* sessions that day, none open at t: a drop-in */
	decide(two, 2, WIN_END + 1000, "drop_in", NULL, NULL, "drop_in");
	decide(NULL, 0, t, "drop_in", NULL, NULL, "drop_in");
}

/* The window is the kiosk's: start - 30 min .. end, both inclusive, in whole
 * seconds (t_ms is floored to the second as the kiosk's clock reads it). */
static void test_map_window(void **state)
{
	(void)state;
	decide(two, 1, WS_START - 30 * MIN_MS, "check_in", "ws", NULL, "check_in");
	decide(two, 1, WS_START - 30 * MIN_MS - 1, "drop_in", NULL, NULL, "drop_in");
	decide(two, 1, WS_END, "check_in", "ws", NULL, "check_in");
	decide(two, 1, WS_END + 999, "check_in", "ws", NULL, "check_in");
	decide(two, 1, WS_END + 1000, "drop_in", NULL, NULL, "drop_in");
}

/* Input the rules refuse: the device's meaning is kept, flagged. */
static void test_map_refused(void **state)
{
	struct hub_reeval_session bad = { "b", WS_START, WS_START, "group", 0, NULL };
	struct hub_reeval_session many[RULES_MAX_CHOICES + 1];
	struct hub_reeval_meaning m;

	(void)state;
	assert_int_equal(hub_reeval_decide(NULL, H14, &bad, 1, &m), -1);
	assert_null(m.kind);
	assert_string_equal(m.reeval, "kept");
	for (size_t i = 0; i < RULES_MAX_CHOICES + 1; i++)
		many[i] = two[0];
	assert_int_equal(hub_reeval_decide(NULL, H14, many, RULES_MAX_CHOICES + 1, &m), -1);
	assert_null(m.kind);
	assert_int_equal(hub_reeval_decide(NULL, -DAY3, two, 2, &m), -1);   /* before 1970 */
}

/* ---- the pass inside the ingest ----------------------------------------- */

struct fx {
	struct hub_db *db;
	char path[64];
	int ndev;
};

static int seed(struct hub_db *db)
{
	char err[256], sql[4096];
	int n;

	if (hub_schema_migrate(db, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	n = snprintf(sql, sizeof(sql),
	    "INSERT INTO organisations (id, name, org_key, created_ms) VALUES ('o1', 'O', 'k', 0);"
	    "INSERT INTO locations (id, org_id, name, timezone) VALUES ('l1', 'o1', 'L', 'Europe/Amsterdam');"
	    "INSERT INTO people (org_id, id, display_name, first_name, chg) VALUES"
	    " ('o1', 'pv', 'V', 'V', 1), ('o1', 'pe', 'E', 'E', 1), ('o1', 'pn', 'N', 'N', 1),"
	    " ('o1', 'pc', 'C', 'C', 1);"
	    "INSERT INTO tombstones (org_id, person_id, chg, erased_ms) VALUES ('o1', 'gone', 2, 0);"
	    "INSERT INTO programmes (org_id, id, title, chg) VALUES ('o1', 'A', 'A', 1), ('o1', 'W', 'W', 1);"
	    "INSERT INTO sessions (org_id, id, programme_id, location_id, title, start_ms, end_ms,"
	    " kind, cancelled, chg) VALUES"
	    " ('o1', 'ws', 'A', 'l1', 'WS', %lld, %lld, 'group', 0, 1),"
	    " ('o1', 'win', 'W', 'l1', 'WIN', %lld, %lld, 'open', 0, 1),"
	    " ('o1', 'xc', 'A', 'l1', 'XC', %lld, %lld, 'group', 1, 1),"
	    " ('o1', 'old', 'A', 'l1', 'OLD', %lld, %lld, 'group', 0, 1);"
	    "INSERT INTO enrolments (org_id, person_id, programme_id, active, chg) VALUES"
	    " ('o1', 'pe', 'A', 1, 1), ('o1', 'pn', 'A', 0, 1);"
	    "INSERT INTO assignments (org_id, session_id, person_id, role, active, chg) VALUES"
	    " ('o1', 'ws', 'pv', 'catering', 1, 1), ('o1', 'win', 'pv', 'rolmodel', 0, 1),"
	    " ('o1', 'xc', 'pc', 'coach', 1, 1);",
	    (long long)WS_START, (long long)WS_END, (long long)WIN_START, (long long)WIN_END,
	    (long long)WS_START, (long long)(WS_START + 60 * MIN_MS),
	    (long long)(WS_START - DAY3), (long long)(WS_END - DAY3));
	if (n < 0 || (size_t)n >= sizeof(sql))
		return -1;
	return hub_db_exec_script(db, sql) == HUB_DB_OK ? 0 : -1;
}

static int setup_sqlite(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char url[96], err[256];
	int fd;

	if (f == NULL)
		return -1;
	*state = f;
	snprintf(f->path, sizeof(f->path), "/tmp/test_hub_reeval.XXXXXX");
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

/* One tap: seq, kind, person ("" none), session ("" none), boot time (s),
 * synchronised?, wall ms. */
struct tap {
	int64_t seq;
	const char *kind, *person, *session;
	int64_t boot_s;
	int synced;
	int64_t wall_ms;
};

static void fill(struct hub_event *e, const struct hub_device *dev, const struct tap *t)
{
	memset(e, 0, sizeof(*e));
	snprintf(e->uuid, sizeof(e->uuid), "0193beef-%04x-7e4f-8a9b-%012llx",
	    (unsigned)strtoul(dev->id + 1, NULL, 10), (unsigned long long)t->seq);
	e->seq = t->seq;
	snprintf(e->kind, sizeof(e->kind), "%s", t->kind);
	snprintf(e->person_id, sizeof(e->person_id), "%s", t->person);
	snprintf(e->session_id, sizeof(e->session_id), "%s", t->session);
	e->wall_ms = t->wall_ms;
	snprintf(e->boot_id, sizeof(e->boot_id), BOOT);
	e->boottime_ns = t->boot_s * SEC;
	e->clock_synced = t->synced;
	snprintf(e->payload, sizeof(e->payload), "{\"n\":%lld}", (long long)t->seq);
}

static int push(struct fx *f, const struct hub_device *dev, const struct tap *t, int n,
    struct hub_ingest_result *res)
{
	struct hub_batch b = { .n = n };
	int st;

	b.ev = calloc((size_t)(n > 0 ? n : 1), sizeof(*b.ev));
	assert_non_null(b.ev);
	for (int i = 0; i < n; i++)
		fill(&b.ev[i], dev, &t[i]);
	st = hub_ingest(f->db, dev, &b, NULL, res);
	free(b.ev);
	return st;
}

static void push_ok(struct fx *f, const struct hub_device *dev, const struct tap *t, int n,
    struct hub_ingest_result *res)
{
	int st = push(f, dev, t, n, res);

	if (st != 200)
		fail_msg("ingest %d: %s", st, res->err);
}

/* "kind|session|role|reeval|orig_kind|orig_session|orig_role|local_day|t_ms"
 * of (device, seq), NULL as "-". */
static void row(struct fx *f, const struct hub_device *dev, int64_t seq, char *out, size_t len)
{
	struct hub_res *r = NULL;

	assert_int_equal(hub_db_query(f->db, "SELECT kind, COALESCE(session_id, '-'),"
	    " COALESCE(role, '-'), COALESCE(reeval, '-'), COALESCE(orig_kind, '-'),"
	    " COALESCE(orig_session_id, '-'), COALESCE(orig_role, '-'), COALESCE(local_day, -1),"
	    " t_ms FROM events WHERE device_id = $1 AND seq = $2", 2,
	    (struct hub_param[]){ HP_S(dev->id), HP_I(seq) }, 0, &r), HUB_DB_OK);
	assert_int_equal(hub_res_next(r), 1);
	snprintf(out, len, "%s|%s|%s|%s|%s|%s|%s|%lld|%lld", hub_res_text(r, 0),
	    hub_res_text(r, 1), hub_res_text(r, 2), hub_res_text(r, 3), hub_res_text(r, 4),
	    hub_res_text(r, 5), hub_res_text(r, 6), (long long)hub_res_int(r, 7),
	    (long long)hub_res_int(r, 8));
	while (hub_res_next(r) == 1)
		;
	hub_res_free(r);
}

static void expect(struct fx *f, const struct hub_device *dev, int64_t seq, const char *want)
{
	char got[512];

	row(f, dev, seq, got, sizeof(got));
	if (strcmp(got, want) != 0)
		fail_msg("seq %lld: %s, expected %s", (long long)seq, got, want);
}

static int64_t count(struct fx *f, const char *sql, const char *dev_id)
{
	int64_t n = -1;

	assert_int_equal(hub_db_int(f->db, sql, 1, (struct hub_param[]){ HP_S(dev_id) }, &n), 1);
	return n;
}

/* Taps 3 days slow (3 days back only 'old' runs, 14:00-16:00), corrected
 * by a synchronised anchor at boot 5000 s = 14:40 and another at 20000 s. */
static void test_redecided(void **state)
{
	struct fx *f = *state;
	struct hub_device d;
	struct hub_ingest_result res;
	const int64_t a1 = H14 + 40 * MIN_MS, w = a1 - DAY3, a2 = a1 + 15000 * 1000LL;
	const struct tap t[] = {
		{ 1, "drop_in", "pv", "", 4000, 0, w - 1000 * 1000 },
		{ 2, "drop_in", "pe", "", 4010, 0, w - 990 * 1000 },
		{ 3, "drop_in", "pn", "", 4020, 0, w - 980 * 1000 },
		{ 4, "check_in", "pc", "old", 4030, 0, w - 970 * 1000 },
		{ 5, "guest", "", "win", 4040, 0, w - 960 * 1000 },
		{ 6, "check_in", "gone", "old", 4050, 0, w - 950 * 1000 },
		{ 7, "check_out", "pv", "", 4900, 0, w - 100 * 1000 },
		{ 8, "check_in", "pe", "old", 15000, 0, w + 10000 * 1000 },
		{ 9, "check_in", "pe", "ws", 5000, 1, a1 },
		{ 10, "check_in", "pv", "ws", 20000, 1, a2 },
	};
	char want[256];
	int64_t u = H14 + 40 * MIN_MS - 1000 * 1000;   /* tap 1's true time: 14:23:20 */

	new_device(f, &d);
	push_ok(f, &d, t, 8, &res);
	assert_int_equal(res.reeval_rows, 0);
	/* before: as the device said, local_day of the wrong wall time */
	snprintf(want, sizeof(want), "drop_in|-|-|-|-|-|-|%d|%lld", DAY - 3,
	    (long long)(w - 1000 * 1000));
	expect(f, &d, 1, want);
	push_ok(f, &d, t + 8, 2, &res);
	assert_int_equal(res.clock_rows, 8);
	assert_int_equal(res.reeval_rows, 8);
	/* the volunteer: catering in ws (the inactive role in win does not count) */
	snprintf(want, sizeof(want), "check_in|ws|catering|check_in|drop_in|-|-|%d|%lld", DAY,
	    (long long)u);
	expect(f, &d, 1, want);
	/* enrolled in ws's programme, win open too: ws */
	snprintf(want, sizeof(want), "check_in|ws|-|check_in|drop_in|-|-|%d|%lld", DAY,
	    (long long)u + 10000);
	expect(f, &d, 2, want);
	/* an inactive enrolment is none: two candidates, enrolled in none */
	snprintf(want, sizeof(want), "drop_in|-|-|choose|drop_in|-|-|%d|%lld", DAY,
	    (long long)u + 20000);
	expect(f, &d, 3, want);
	/* the device's check-in to 'old' (3 days back); the cancelled xc with a role
	 * is no candidate: the rules would ask */
	snprintf(want, sizeof(want), "drop_in|-|-|choose|check_in|old|-|%d|%lld", DAY,
	    (long long)u + 30000);
	expect(f, &d, 4, want);
	/* a guest and an erased person's tap: time and day only */
	snprintf(want, sizeof(want), "guest|win|-|-|-|-|-|%d|%lld", DAY, (long long)u + 40000);
	expect(f, &d, 5, want);
	snprintf(want, sizeof(want), "check_in|old|-|-|-|-|-|%d|%lld", DAY, (long long)u + 50000);
	expect(f, &d, 6, want);
	/* the check-out follows the check-in it closes, and is linked to it */
	snprintf(want, sizeof(want), "check_out|ws|catering|check_out|check_out|-|-|%d|%lld", DAY,
	    (long long)(a1 - 100 * 1000));
	expect(f, &d, 7, want);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM events WHERE device_id = $1 AND seq = 1"
	    " AND out_uuid = (SELECT uuid FROM events WHERE device_id = $1 AND seq = 7)", d.id), 1);
	/* 17:26:40, after every session: a drop-in */
	snprintf(want, sizeof(want), "drop_in|-|-|drop_in|check_in|old|-|%d|%lld", DAY,
	    (long long)(a2 - 5000 * 1000));
	expect(f, &d, 8, want);
	/* synchronised rows: local_day at insert, never re-decided */
	snprintf(want, sizeof(want), "check_in|ws|-|-|-|-|-|%d|%lld", DAY, (long long)a1);
	expect(f, &d, 9, want);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM events WHERE device_id = $1"
	    " AND clock_due IS NOT NULL", d.id), 0);

	/* a replay is a duplicate: compared with what the device said */
	push_ok(f, &d, t, 8, &res);
	assert_int_equal(res.duplicates, 8);
	assert_int_equal(res.stored, 0);
	{
		struct tap other = t[0];

		other.kind = "check_in";   /* the hub's meaning is not the device's */
		other.session = "ws";
		assert_int_equal(push(f, &d, &other, 1, &res), 409);
	}

	/* a batch that corrects nothing re-decides nothing */
	{
		const struct tap more[] = {
			{ 11, "drop_in", "pn", "", 30000, 1, a2 + 10000 * 1000 },
			{ 12, "drop_in", "pn", "", 31000, 0, w },
		};

		push_ok(f, &d, more, 2, &res);
		assert_int_equal(res.clock_rows, 0);
		assert_int_equal(res.reeval_rows, 0);
	}
}

/* A second correction (an anchor earlier in boot time arriving later)
 * re-decides again; orig_* keep the device's words, not the first answer. */
static void test_second_correction(void **state)
{
	struct fx *f = *state;
	struct hub_device d;
	struct hub_ingest_result res;
	const int64_t late = H14 + 210 * MIN_MS;   /* 17:30 */
	const struct tap t[] = {
		{ 1, "drop_in", "pv", "", 1000, 0, 1000 },
		{ 2, "check_in", "pn", "win", 5000, 1, late },
		{ 3, "check_in", "pn", "ws", 2000, 1, H14 + 40 * MIN_MS },
	};
	char want[256];

	new_device(f, &d);
	push_ok(f, &d, t, 2, &res);
	/* 16:23:20: ws is over, only win is open (pv's role there is inactive) */
	snprintf(want, sizeof(want), "check_in|win|-|check_in|drop_in|-|-|%d|%lld", DAY,
	    (long long)(late - 4000 * 1000));
	expect(f, &d, 1, want);
	push_ok(f, &d, t + 2, 1, &res);
	assert_int_equal(res.reeval_rows, 1);
	snprintf(want, sizeof(want), "check_in|ws|catering|check_in|drop_in|-|-|%d|%lld", DAY,
	    (long long)(H14 + 40 * MIN_MS - 1000 * 1000));
	expect(f, &d, 1, want);
}

/* More corrected rows than one round: every one re-decided, no mark left. */
static void test_many(void **state)
{
	struct fx *f = *state;
	struct hub_device d;
	struct hub_ingest_result res;
	struct tap *t = calloc(MANY, sizeof(*t));
	const struct tap anchor = { MANY + 1, "check_in", "pe", "ws", 10000, 1,
		H14 + 40 * MIN_MS };

	assert_non_null(t);
	new_device(f, &d);
	for (int i = 0; i < MANY; i++)
		t[i] = (struct tap){ i + 1, "drop_in", "pv", "", 9000 + i, 0, 5000 + i };
	push_ok(f, &d, t, MANY / 2, &res);
	push_ok(f, &d, t + MANY / 2, MANY / 2, &res);
	push_ok(f, &d, &anchor, 1, &res);
	free(t);
	assert_int_equal(res.clock_rows, MANY);
	assert_int_equal(res.reeval_rows, MANY);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM events WHERE device_id = $1"
	    " AND kind = 'check_in' AND session_id = 'ws' AND role = 'catering'"
	    " AND reeval = 'check_in' AND orig_kind = 'drop_in' AND local_day = 20522", d.id), MANY);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM events WHERE device_id = $1"
	    " AND clock_due IS NOT NULL", d.id), 0);
}

#define DB_CASES \
	cmocka_unit_test(test_redecided), \
	cmocka_unit_test(test_second_correction), \
	cmocka_unit_test(test_many)

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_map_outcomes),
		cmocka_unit_test(test_map_window),
		cmocka_unit_test(test_map_refused),
	};
	const struct CMUnitTest db[] = { DB_CASES };
	int rc = 0;

	if (getenv("HUB_TEST_PG_URL") == NULL) {
		rc |= cmocka_run_group_tests_name("re-decision mapping", pure, NULL, NULL);
		rc |= cmocka_run_group_tests_name("re-decision on sqlite", db, setup_sqlite, teardown);
	} else {
		rc |= cmocka_run_group_tests_name("re-decision on postgresql", db, setup_pg, teardown);
	}
	return rc;
}
