/* test_store.c — the kiosk store (kiosk/store/store.h) on real SQLite files:
 * migrations from empty and from each earlier version, constraints and the
 * append-only triggers, durable gap-free event append across reopen, the
 * queries (sessions, roster, last check, people search with naughty names)
 * and quick_check on corrupted files. Demo seeding: test_demo.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cred.h"
#include "demo.h"
#include "store.h"
#include "store_int.h"
#include "store_meta.h"
#include "store_outbox.h"
#include "uuid7.h"

#define FIXTURE_STORE_TMP "/tmp/presentie-test-store-XXXXXX"
#include "fixture_store.h"

/* --- migrations ----------------------------------------------------------- */

static void test_migrate_from_empty(void **state)
{
	char path[PR_PATH_MAX];
	struct store *st;
	sqlite3_stmt *s;

	(void)state;
	new_path(path, sizeof path);
	st = open_ok(path);
	assert_int_equal(store_schema_version(st->db), STORE_SCHEMA_VERSION);
	assert_int_equal(sqlite3_prepare_v2(st->db, "PRAGMA journal_mode", -1, &s, NULL), 0);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
	sqlite3_finalize(s);
	assert_int_equal(scalar(st->db, "PRAGMA foreign_keys"), 1);
	assert_int_equal(scalar(st->db, "PRAGMA synchronous"), 2);
	assert_int_equal(scalar(st->db, "SELECT count(*) FROM sqlite_schema WHERE type = "
	    "'table' AND name IN ('meta', 'people', 'credentials', 'programmes', "
	    "'enrolments', 'sessions', 'roles', 'role_assignments', 'events', 'sync_state')"), 10);
	assert_int_equal(scalar(st->db, "SELECT count(*) FROM sync_state"), 1);
	store_close(st);
	st = open_ok(path);                             /* reopen: nothing to do */
	assert_int_equal(store_schema_version(st->db), STORE_SCHEMA_VERSION);
	store_close(st);
}

static void test_migrate_from_each_version(void **state)
{
	(void)state;
	for (int k = 0; k < STORE_SCHEMA_VERSION; k++) {
		char path[PR_PATH_MAX], err[256];
		sqlite3 *db = NULL;
		struct store *st;

		new_path(path, sizeof path);
		assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
		assert_int_equal(exec(db, "PRAGMA journal_mode = WAL"), 0);
		assert_int_equal(store_schema_migrate(db, k, err, sizeof err), 0);
		assert_int_equal(store_schema_version(db), k);
		if (k >= 1)    /* data written by version k must survive */
			assert_int_equal(exec(db, "INSERT INTO meta VALUES ('device_id', 'd1')"), 0);
		sqlite3_close(db);
		st = open_ok(path);
		assert_int_equal(store_schema_version(st->db), STORE_SCHEMA_VERSION);
		if (k >= 1) {
			char v[16];

			assert_int_equal(store_meta_get(st, "device_id", v, sizeof v), 0);
			assert_string_equal(v, "d1");
		}
		store_close(st);
	}
}

static void test_newer_schema_refused(void **state)
{
	char path[PR_PATH_MAX], err[512], sql[64];
	sqlite3 *db = NULL;
	struct store *st = (struct store *)&st;

	(void)state;
	new_path(path, sizeof path);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", STORE_SCHEMA_VERSION + 1);
	assert_int_equal(exec(db, sql), 0);
	sqlite3_close(db);
	assert_int_equal(store_open(path, &st, err, sizeof err), -1);
	assert_null(st);
	assert_non_null(strstr(err, "newer than this program knows"));
}

/* --- constraints ---------------------------------------------------------- */

static void test_constraints(void **state)
{
	char path[PR_PATH_MAX];
	struct store *st;
	struct store_event_out o1, o2;
	struct store_event_in ev = { STORE_EV_CHECK_IN, "p1", "s1", NULL, NULL, 0 };
	sqlite3 *db;
	char sql[512];

	(void)state;
	new_path(path, sizeof path);
	st = open_ok(path);
	db = st->db;
	assert_int_equal(store_event_append(st, &ev, &o1), 0);
	assert_int_equal(store_event_append(st, &ev, &o2), 0);

	/* duplicate uuid, duplicate seq, seq 0 */
	snprintf(sql, sizeof sql, "INSERT INTO events (uuid, seq, kind, wall_ms, boot_id, "
	    "boottime_ns, clock_synced) VALUES ('%s', 99, 'check_in', 1, '', 1, 1)", o1.uuid);
	assert_int_equal(exec(db, sql), -1);
	assert_int_equal(exec(db, "INSERT INTO events (uuid, seq, kind, wall_ms, boot_id, "
	    "boottime_ns, clock_synced) VALUES ('0192c9d3-1a2b-7c3d-8e4f-0123456789ab', 2, "
	    "'check_in', 1, '', 1, 1)"), -1);
	assert_int_equal(exec(db, "INSERT INTO events (uuid, seq, kind, wall_ms, boot_id, "
	    "boottime_ns, clock_synced) VALUES ('0192c9d3-1a2b-7c3d-8e4f-0123456789ab', 0, "
	    "'check_in', 1, '', 1, 1)"), -1);
	assert_int_equal(exec(db, "INSERT INTO events (uuid, seq, kind, wall_ms, boot_id, "
	    "boottime_ns, clock_synced, payload) VALUES ('0192c9d3-1a2b-7c3d-8e4f-0123456789ab', "
	    "3, 'check_in', 1, '', 1, 1, '{not json')"), -1);

	/* append-only: no update of content, no delete while undelivered */
	assert_int_equal(exec(db, "UPDATE events SET kind = 'check_out' WHERE seq = 1"), -1);
	assert_non_null(strstr(sqlite3_errmsg(db), "append-only"));
	assert_int_equal(exec(db, "UPDATE events SET wall_ms = wall_ms + 1 WHERE seq = 1"), -1);
	assert_int_equal(exec(db, "UPDATE events SET person_id = NULL WHERE seq = 1"), -1);
	assert_int_equal(exec(db, "UPDATE events SET seq = 7 WHERE seq = 1"), -1);
	assert_int_equal(exec(db, "DELETE FROM events WHERE seq = 1"), -1);
	assert_non_null(strstr(sqlite3_errmsg(db), "undelivered"));
	assert_int_equal(exec(db, "UPDATE events SET delivered = 1, delivered_at = 5 "
	    "WHERE seq = 1"), 0);                       /* delivery state may change */
	assert_int_equal(exec(db, "DELETE FROM events WHERE seq = 1"), 0);
	assert_int_equal(scalar(db, "SELECT count(*) FROM events"), 1);

	/* foreign keys and credential shape */
	assert_int_equal(exec(db, "INSERT INTO credentials (person_id, kind, mac) VALUES "
	    "('nobody', 0, zeroblob(32))"), -1);
	assert_int_equal(exec(db, "INSERT INTO people (id, display_name, first_name) VALUES "
	    "('p1', 'Fatima E.', 'Fatima')"), 0);
	assert_int_equal(exec(db, "INSERT INTO credentials (person_id, kind, mac) VALUES "
	    "('p1', 0, zeroblob(31))"), -1);
	assert_int_equal(exec(db, "INSERT INTO credentials (person_id, kind, mac) VALUES "
	    "('p1', 0, '0123456789012345678901234567890X')"), -1);  /* text, not blob */
	assert_int_equal(exec(db, "INSERT INTO credentials (person_id, kind, mac) VALUES "
	    "('p1', 2, zeroblob(32))"), -1);
	assert_int_equal(exec(db, "INSERT INTO credentials (person_id, kind, mac) VALUES "
	    "('p1', 0, zeroblob(32))"), 0);
	assert_int_equal(exec(db, "INSERT INTO credentials (person_id, kind, mac) VALUES "
	    "('p1', 0, zeroblob(32))"), -1);            /* UNIQUE(kind, mac) */
	assert_int_equal(exec(db, "INSERT INTO credentials (person_id, kind, mac) VALUES "
	    "('p1', 1, zeroblob(32))"), 0);             /* other kind: fine */
	assert_int_equal(exec(db, "INSERT INTO sessions (id, title, location_id, start_utc, "
	    "end_utc, kind) VALUES ('s1', 'x', 'l', 10, 10, 0)"), -1);   /* start < end */
	assert_int_equal(exec(db, "INSERT INTO sessions (id, programme_id, title, location_id, "
	    "start_utc, end_utc, kind) VALUES ('s1', 'nope', 'x', 'l', 10, 20, 0)"), -1);
	assert_int_equal(exec(db, "INSERT INTO role_assignments VALUES ('s9', 'p1', 'x')"), -1);
	assert_int_equal(exec(db, "DELETE FROM people WHERE id = 'p1'"), 0);   /* cascades */
	assert_int_equal(scalar(db, "SELECT count(*) FROM credentials"), 0);
	store_close(st);
}

/* --- events ---------------------------------------------------------------- */

static void test_append_sequence_durable(void **state)
{
	char path[PR_PATH_MAX], prev[PR_UUID_STR] = "";
	struct store *st;
	struct store_event_out o;
	struct store_event_in ev = { STORE_EV_CHECK_IN, "p1", "s1", "catering",
		"{\"source\":\"card\"}", 0 };
	int64_t n = -1;

	(void)state;
	new_path(path, sizeof path);
	st = open_ok(path);
	for (int i = 1; i <= 200; i++) {
		assert_int_equal(store_event_append(st, &ev, &o), 0);
		assert_int_equal(o.seq, i);
		assert_true(uuid_is_valid(o.uuid));
		assert_true(strcmp(prev, o.uuid) < 0);
		memcpy(prev, o.uuid, sizeof prev);
	}
	/* refused appends write nothing and leave no gap */
	ev.payload_json = "{broken";
	assert_int_equal(store_event_append(st, &ev, &o), -1);
	ev.payload_json = NULL;
	ev.kind = "Check In";
	assert_int_equal(store_event_append(st, &ev, &o), -1);
	ev.kind = "";
	assert_int_equal(store_event_append(st, &ev, &o), -1);
	ev.kind = STORE_EV_GUEST;
	ev.person_id = NULL;
	ev.role = NULL;
	setenv("PRESENTIE_FAKE_UNSYNCED", "1", 1);
	ev.wall_ms = 1000;                               /* a wrong wall clock */
	assert_int_equal(store_event_append(st, &ev, &o), 0);
	unsetenv("PRESENTIE_FAKE_UNSYNCED");
	assert_int_equal(o.seq, 201);
	assert_int_equal(store_pending_count(st, &n), 0);
	assert_int_equal(n, 201);
	assert_int_equal(scalar(st->db, "SELECT clock_synced FROM events WHERE seq = 201"), 0);
	assert_int_equal(scalar(st->db, "SELECT wall_ms FROM events WHERE seq = 201"), 1000);
	assert_int_equal(scalar(st->db, "SELECT count(*) FROM events WHERE length(boot_id) = 36 "
	    "AND boottime_ns > 0"), 201);
	store_close(st);

	st = open_ok(path);                              /* durable across reopen */
	assert_int_equal(store_pending_count(st, &n), 0);
	assert_int_equal(n, 201);
	assert_int_equal(scalar(st->db, "SELECT max(seq) - min(seq) + 1 - count(*) FROM events"), 0);
	ev.kind = STORE_EV_CHECK_OUT;
	assert_int_equal(store_event_append(st, &ev, &o), 0);
	assert_int_equal(o.seq, 202);
	store_close(st);
}

/* Two handles on one file (kiosk and sync agent): sequences stay gap-free. */
static void test_two_handles(void **state)
{
	char path[PR_PATH_MAX];
	struct store *a, *b;
	struct store_event_out o;
	struct store_event_in ev = { STORE_EV_DROP_IN, "p2", NULL, NULL, NULL, 0 };

	(void)state;
	new_path(path, sizeof path);
	a = open_ok(path);
	b = open_ok(path);
	for (int i = 0; i < 20; i++) {
		assert_int_equal(store_event_append(i % 2 ? a : b, &ev, &o), 0);
		assert_int_equal(o.seq, i + 1);
	}
	assert_int_equal(exec(b->db, "UPDATE events SET delivered = 1 WHERE seq <= 10"), 0);
	int64_t n = 0;
	assert_int_equal(store_pending_count(a, &n), 0);
	assert_int_equal(n, 10);
	store_close(a);
	store_close(b);
}

/* --- queries ---------------------------------------------------------------- */

static void test_queries(void **state)
{
	char path[PR_PATH_MAX], sess[PR_ID_MAX], v[PR_TITLE_MAX];
	const int64_t now = 1790000000;                  /* 2026-09-21 */
	struct store *st = seeded(now, path, sizeof path);
	struct store_session ss[PR_SESSIONS_DAY_MAX];
	struct store_assignment ra[PR_ROSTER_MAX];
	struct store_person p[8];
	struct store_event_out o;
	size_t n = 0;
	int kind = -1, count = -1;
	int64_t at = -1;

	(void)state;
	assert_int_equal(store_meta_get(st, "location_name", v, sizeof v), 0);
	assert_string_equal(v, "Buurthuis De Grubbehoeve");
	assert_int_equal(store_meta_get(st, "location_tz", v, sizeof v), 0);
	assert_string_equal(v, "Europe/Amsterdam");
	assert_int_equal(store_meta_get(st, "no_such_key", v, sizeof v), 1);
	assert_string_equal(v, "");
	assert_int_equal(store_meta_get(st, "location_name", v, 5), -1);   /* never cut */

	/* Fatima: the running workshop (enrolled) and the open meeting (not) */
	assert_int_equal(store_sessions_between(st, now, now + 1, "p01", ss, 64, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(ss[0].id, "win-01");
	assert_int_equal(ss[0].enrolled, 0);
	assert_int_equal(ss[0].kind, 2);
	assert_string_equal(ss[1].id, "ws-04");
	assert_int_equal(ss[1].enrolled, 1);
	assert_string_equal(ss[1].role, "");
	assert_string_equal(ss[1].room, "Grote zaal");
	assert_string_equal(ss[1].programme_id, "mjew-najaar");
	assert_true(ss[1].start <= now && now < ss[1].end);
	/* Ingrid: catering at the workshop */
	assert_int_equal(store_sessions_between(st, now, now + 1, "p05", ss, 64, &n), 0);
	assert_string_equal(ss[1].role, "catering");
	assert_int_equal(ss[1].enrolled, 0);
	/* max is respected */
	assert_int_equal(store_sessions_between(st, 0, INT64_MAX, NULL, ss, 3, &n), 0);
	assert_int_equal(n, 3);
	assert_true(ss[0].start <= ss[1].start && ss[1].start <= ss[2].start);
	/* another location sees nothing */
	assert_int_equal(store_meta_set(st, "location_id", "loc-elsewhere"), 0);
	assert_int_equal(store_sessions_between(st, 0, INT64_MAX, NULL, ss, 64, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_meta_set(st, "location_id", "loc-grubbehoeve"), 0);

	/* roster of the day: ordered by start, then role */
	assert_int_equal(store_roster_between(st, now - 12 * 3600, now + 12 * 3600, ra,
	    PR_ROSTER_MAX, &n), 0);
	assert_true(n >= 9);          /* win: 2, ws-04: 2 catering + 5 rolmodel, coach */
	for (size_t i = 1; i < n; i++) {
		assert_true(ra[i - 1].start <= ra[i].start);
		if (ra[i - 1].start == ra[i].start && strcmp(ra[i - 1].session_id,
		    ra[i].session_id) == 0)
			assert_true(strcmp(ra[i - 1].role, ra[i].role) <= 0);
	}
	{
		int catering = 0, rolmodel = 0;

		for (size_t i = 0; i < n; i++) {
			if (strcmp(ra[i].session_id, "ws-04") != 0)
				continue;
			catering += strcmp(ra[i].role, "catering") == 0;
			rolmodel += strcmp(ra[i].role, "rolmodel") == 0;
		}
		assert_int_equal(catering, 2);
		assert_int_equal(rolmodel, 5);
	}

	/* last check and headcount */
	assert_int_equal(store_last_check(st, "p01", now - 3600, now + 86400, &kind, &at, sess,
	    sizeof sess), 0);
	assert_int_equal(kind, 0);
	struct store_event_in in = { STORE_EV_CHECK_IN, "p01", "ws-04", NULL, NULL,
		now * 1000 };
	assert_int_equal(store_event_append(st, &in, &o), 0);
	in.person_id = NULL;
	in.kind = STORE_EV_GUEST;
	assert_int_equal(store_event_append(st, &in, &o), 0);
	assert_int_equal(store_event_append(st, &in, &o), 0);
	assert_int_equal(store_last_check(st, "p01", now - 3600, now + 86400, &kind, &at, sess,
	    sizeof sess), 0);
	assert_int_equal(kind, 1);
	assert_int_equal(at, now);
	assert_string_equal(sess, "ws-04");
	assert_int_equal(store_headcount(st, "ws-04", &count), 0);
	assert_int_equal(count, 3);
	in.kind = STORE_EV_CHECK_IN;                    /* same person twice: one head */
	in.person_id = "p01";
	assert_int_equal(store_event_append(st, &in, &o), 0);
	assert_int_equal(store_headcount(st, "ws-04", &count), 0);
	assert_int_equal(count, 3);
	in.kind = STORE_EV_CHECK_OUT;
	in.wall_ms = (now + 5400) * 1000;
	assert_int_equal(store_event_append(st, &in, &o), 0);
	assert_int_equal(store_last_check(st, "p01", now, now + 86400, &kind, &at, sess, sizeof sess), 0);
	assert_int_equal(kind, 2);
	assert_int_equal(at, now + 5400);
	assert_int_equal(store_last_check(st, "p01", now + 6000, now + 86400, &kind, &at, sess,
	    sizeof sess), 0);
	assert_int_equal(kind, 0);
	in.kind = STORE_EV_DROP_IN;
	in.session_id = NULL;
	in.person_id = "p02";
	assert_int_equal(store_event_append(st, &in, &o), 0);
	assert_int_equal(store_last_check(st, "p02", now, now + 86400, &kind, &at, sess, sizeof sess), 0);
	assert_int_equal(kind, 1);
	assert_string_equal(sess, "");

	/* people */
	assert_int_equal(store_people_find(st, "fAt", p, 8, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(p[0].id, "p01");
	assert_string_equal(p[0].first_name, "Fatima");
	assert_string_equal(p[0].lang, "ar");
	assert_int_equal(store_people_find(st, "", p, 8, &n), 0);
	assert_int_equal(n, 8);                          /* max respected */
	assert_true(strcmp(p[0].display_name, p[1].display_name) <= 0);
	assert_int_equal(store_people_find(st, "%", p, 8, &n), 0);
	assert_int_equal(n, 0);                          /* wildcards are literal */
	assert_int_equal(store_people_find(st, "_", p, 8, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_people_find(st, "Ö", p, 8, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(p[0].first_name, "Kemal");
	assert_int_equal(store_person_get(st, "p08", &p[0]), 0);
	assert_int_equal(p[0].is_coordinator, 1);
	assert_int_equal(store_person_get(st, "p01", &p[0]), 0);
	assert_int_equal(p[0].is_coordinator, 0);
	assert_int_equal(store_person_get(st, "nobody", &p[0]), 1);
	store_close(st);
}

/* Every naughty string as a display name and as a search needle. */
static void test_people_naughty(void **state)
{
	static char line[8192];
	char path[PR_PATH_MAX];
	struct store *st;
	struct store_person p[4];
	sqlite3_stmt *ins;
	FILE *f = fopen("tests/data/blns.txt", "rb");
	int id = 0, searched = 0;
	size_t n;

	(void)state;
	assert_non_null(f);
	new_path(path, sizeof path);
	st = open_ok(path);
	assert_int_equal(sqlite3_prepare_v2(st->db, "INSERT INTO people (id, display_name, "
	    "first_name) VALUES (?1, ?2, ?2)", -1, &ins, NULL), SQLITE_OK);
	while (fgets(line, sizeof line, f) != NULL) {
		char pid[16];
		size_t len = strlen(line);

		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len == 0 || line[0] == '#' || len >= PR_NAME_MAX)
			continue;
		snprintf(pid, sizeof pid, "n%d", ++id);
		sqlite3_bind_text(ins, 1, pid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 2, line, -1, SQLITE_TRANSIENT);
		assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
		sqlite3_reset(ins);
	}
	sqlite3_finalize(ins);
	rewind(f);
	while (fgets(line, sizeof line, f) != NULL) {
		size_t len = strlen(line);

		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		assert_int_equal(store_people_find(st, line, p, 4, &n), 0);
		if (len < PR_NAME_MAX && strlen(line) == len) {
			/* the name itself is stored, so it must be found */
			assert_true(n >= 1);
		}
		searched++;
	}
	fclose(f);
	assert_true(searched > 400);
	store_close(st);
}

/* --- damaged files ----------------------------------------------------------- */

static void corrupt(const char *path, long off, size_t len)
{
	FILE *f = fopen(path, "r+b");
	unsigned char junk[4096];

	assert_non_null(f);
	memset(junk, 0xa5, sizeof junk);
	assert_int_equal(fseek(f, off, SEEK_SET), 0);
	assert_int_equal(fwrite(junk, 1, len, f), len);
	fclose(f);
}

static void test_quick_check_fails(void **state)
{
	char path[PR_PATH_MAX], err[1024];
	struct store *st;
	const int64_t now = 1790000000;

	(void)state;
	/* a file that is not a database at all */
	new_path(path, sizeof path);
	st = open_ok(path);
	store_close(st);
	corrupt(path, 0, 100);
	st = (struct store *)&st;
	assert_int_equal(store_open(path, &st, err, sizeof err), -1);
	assert_null(st);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "is damaged"));
	assert_non_null(strstr(err, "move the file aside"));

	/* a database whose inner pages are damaged */
	st = seeded(now, path, sizeof path);
	for (int i = 0; i < 300; i++) {
		struct store_event_in ev = { STORE_EV_CHECK_IN, "p01", "ws-04", NULL,
			"{\"pad\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}", 0 };
		struct store_event_out o;

		assert_int_equal(store_event_append(st, &ev, &o), 0);
	}
	long pages = (long)scalar(st->db, "PRAGMA page_count");
	long psize = (long)scalar(st->db, "PRAGMA page_size");
	store_close(st);                                 /* checkpoints the WAL */
	assert_true(pages > 6);
	corrupt(path, psize * (pages - 3) + 8, 512);     /* an inner page */
	corrupt(path, psize * 2 + 8, 512);
	assert_int_equal(store_open(path, &st, err, sizeof err), -1);
	assert_non_null(strstr(err, "is damaged"));
	print_message("quick_check message: %s\n", err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrate_from_empty),
		cmocka_unit_test(test_migrate_from_each_version),
		cmocka_unit_test(test_newer_schema_refused),
		cmocka_unit_test(test_constraints),
		cmocka_unit_test(test_append_sequence_durable),
		cmocka_unit_test(test_two_handles),
		cmocka_unit_test(test_queries),
		cmocka_unit_test(test_people_naughty),
		cmocka_unit_test(test_quick_check_fails),
	};
	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
