/* test_agent_taps.c — the other kiosks' taps on the kiosk side
 * (sync/PROTOCOL.md "Taps of the other kiosks"): the agent's wire validation
 * of "taps", "taps_cursor" and "server_time" field by field; the pull path
 * with both cursors; store_apply_page keeping taps with their cursor (a
 * re-sent UUID once), dropping those a day older than the hub's time and
 * those of a tombstoned person, and changing nothing on failure; the
 * kiosk's reads on a real store: a person's last check is the later of its
 * own and the peers', the headcount counts each person once over every
 * kiosk; the agent pulls fast only while a session is open. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "agent/pace.h"
#include "agent/pull.h"
#include "agent/wire.h"
#include "store.h"
#include "store_apply.h"
#include "store_int.h"
#include "store_meta.h"

#define T_13    1795352400LL            /* 2026-11-22T13:00:00Z */
#define T_13_MS (T_13 * 1000)
#define U1 "0193a1b2-7c3d-7e4f-8a9b-000000000001"
#define U2 "0193a1b2-7c3d-7e4f-8a9b-000000000002"
#define U3 "0193a1b2-7c3d-7e4f-8a9b-000000000003"

/* --- wire ------------------------------------------------------------------ */

static const char good[] =
	"{\"cursor\":\"7.0\",\"server_time\":\"2026-11-22T13:10:00.120Z\",\"taps_cursor\":\"42.1795352400000\","
	"\"taps\":[{\"uuid\":\"0193A1B2-7C3D-7E4F-8A9B-000000000001\",\"kind\":\"check_in\","
	"\"person_id\":\"p-daan\",\"session_id\":\"s-4\",\"role\":null,\"t_ms\":1795353120000},"
	"{\"uuid\":\"" U2 "\",\"kind\":\"guest\",\"person_id\":null,\"session_id\":\"s-4\","
	"\"role\":null,\"t_ms\":1795353130000},"
	"{\"uuid\":\"" U3 "\",\"kind\":\"check_out\",\"person_id\":\"p-kemal\",\"session_id\":\"s-4\","
	"\"role\":\"catering\",\"t_ms\":1795353140000}]}";

static void test_wire_good(void **state)
{
	struct store_page p;
	char err[AGENT_WIRE_ERR_MAX];

	(void)state;
	if (agent_wire_page(good, sizeof(good) - 1, &p, err, sizeof(err)) != 0)
		fail_msg("good page refused: %s", err);
	assert_int_equal(p.has_taps, 1);
	assert_string_equal(p.taps_cursor, "42.1795352400000");
	assert_int_equal(p.server_ms, (T_13 + 600) * 1000);
	assert_int_equal(p.n_taps, 3);
	assert_string_equal(p.taps[0].uuid, U1);                 /* lower case */
	assert_string_equal(p.taps[0].kind, "check_in");
	assert_string_equal(p.taps[0].person_id, "p-daan");
	assert_string_equal(p.taps[0].role, "");
	assert_int_equal(p.taps[0].t_ms, 1795353120000);
	assert_string_equal(p.taps[1].person_id, "");           /* a guest */
	assert_string_equal(p.taps[2].role, "catering");
	agent_page_free(&p);

	/* An older hub: no taps, no server time. */
	assert_int_equal(agent_wire_page("{\"cursor\":\"\"}", 13, &p, err, sizeof(err)), 0);
	assert_int_equal(p.has_taps, 0);
	assert_int_equal(p.server_ms, 0);
	agent_page_free(&p);
	/* "taps": null is no relay either. */
	assert_int_equal(agent_wire_page("{\"cursor\":\"\",\"taps\":null}", 25, &p, err,
	    sizeof(err)), 0);
	assert_int_equal(p.has_taps, 0);
	agent_page_free(&p);
}

static void bad(const char *from, const char *to, const char *field)
{
	char body[sizeof(good) + 256], err[AGENT_WIRE_ERR_MAX];
	const char *at = strstr(good, from);
	struct store_page p;
	int n;

	assert_non_null(at);
	n = snprintf(body, sizeof(body), "%.*s%s%s", (int)(at - good), good, to, at + strlen(from));
	assert_true(n > 0 && (size_t)n < sizeof(body));
	err[0] = '\0';
	if (agent_wire_page(body, (size_t)n, &p, err, sizeof(err)) != -1)
		fail_msg("accepted: %s -> %s", from, to);
	if (strstr(err, field) == NULL)
		fail_msg("error '%s' does not name '%s'", err, field);
	assert_null(p.taps);
	assert_int_equal(p.n_taps, 0);
}

static void test_wire_bad_fields(void **state)
{
	(void)state;
	bad("\"taps_cursor\":\"42.1795352400000\",", "", "taps_cursor");
	bad("\"taps_cursor\":\"42.1795352400000\"", "\"taps_cursor\":42", "taps_cursor");
	bad("\"taps_cursor\":\"42.1795352400000\"", "\"taps_cursor\":\"4 2\"", "taps_cursor");
	bad("\"taps\":[", "\"taps\":{\"a\":1},\"x\":[", "taps");
	bad("\"taps\":[{", "\"taps\":[7,{", "taps[0]");
	bad("\"uuid\":\"0193A1B2", "\"uuid\":\"X193A1B2", "taps[0].uuid");
	bad("-000000000001\"", "-0000000000012\"", "taps[0].uuid");
	bad("\"uuid\":\"0193A1B2-7C3D-7E4F-8A9B-000000000001\",", "", "taps[0].uuid");
	bad("\"kind\":\"check_in\"", "\"kind\":\"credential_enrolled\"", "taps[0].kind");
	bad("\"kind\":\"check_in\"", "\"kind\":null", "taps[0].kind");
	bad("\"person_id\":\"p-daan\"", "\"person_id\":null", "taps[0].person_id");
	bad("\"person_id\":\"p-daan\"", "\"person_id\":\"p daan\"", "taps[0].person_id");
	bad("\"person_id\":\"p-kemal\"", "\"person_id\":7", "taps[2].person_id");
	bad("\"session_id\":\"s-4\"", "\"session_id\":\"s\\n4\"", "taps[0].session_id");
	bad("\"role\":\"catering\"", "\"role\":\"catering-and-cleaning-up-afterwards\"", "taps[2].role");
	bad("\"t_ms\":1795353120000", "\"t_ms\":-1", "taps[0].t_ms");
	bad("\"t_ms\":1795353120000", "\"t_ms\":1795353120000.5", "taps[0].t_ms");
	bad("\"t_ms\":1795353120000", "\"t_ms\":\"1795353120000\"", "taps[0].t_ms");
	bad("\"t_ms\":1795353120000", "\"t_ms\":253402300800000", "taps[0].t_ms");
	bad(",\"t_ms\":1795353120000", "", "taps[0].t_ms");
	bad("\"server_time\":\"2026-11-22T13:10:00.120Z\"", "\"server_time\":\"today\"", "server_time");
	bad("\"server_time\":\"2026-11-22T13:10:00.120Z\"", "\"server_time\":1", "server_time");
}

static void test_wire_tap_limit(void **state)
{
	size_t n = PR_RELAY_PAGE_MAX + 1, i, cap = 128 + n * 160, off;
	char *body = malloc(cap), err[AGENT_WIRE_ERR_MAX];
	struct store_page p;

	(void)state;
	assert_non_null(body);
	off = (size_t)snprintf(body, cap, "{\"cursor\":\"x\",\"taps_cursor\":\"1.2\",\"taps\":[");
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(body + off, cap - off, "%s{\"uuid\":\"0193a1b2-7c3d-7e4f-8a9b-%012zu\","
		    "\"kind\":\"check_in\",\"person_id\":\"p%zu\",\"t_ms\":1}", i ? "," : "", i, i);
	off += (size_t)snprintf(body + off, cap - off, "]}");
	assert_true(off < cap);
	assert_int_equal(agent_wire_page(body, off, &p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "taps"));
	/* exactly the limit is fine */
	off = (size_t)(strrchr(body, '{') - body) - 1;
	off += (size_t)snprintf(body + off, cap - off, "]}");
	assert_int_equal(agent_wire_page(body, off, &p, err, sizeof(err)), 0);
	assert_int_equal(p.n_taps, PR_RELAY_PAGE_MAX);
	agent_page_free(&p);
	free(body);
}

static void test_pull_path(void **state)
{
	char out[128];

	(void)state;
	assert_int_equal(agent_pull_path_taps("", "", out, sizeof(out)), 0);
	assert_string_equal(out, "/v1/changes?cursor=&taps=0");
	assert_int_equal(agent_pull_path_taps("12.3", "42.17&x", out, sizeof(out)), 0);
	assert_string_equal(out, "/v1/changes?cursor=12.3&taps=42.17%26x");
	assert_int_equal(agent_pull_path_taps("12.3", "42.1795352400000", out, 30), -1);
}

/* --- store ------------------------------------------------------------------ */

struct fx {
	char dir[64];
	char path[128];
	struct store *st;                /* the kiosk's handle (store_open) */
	struct store *db;                /* the agent's handle (store_attach) */
};

static int teardown(void **state)
{
	struct fx *f = *state;
	char p[200];

	store_close(f->db);
	store_close(f->st);
	snprintf(p, sizeof(p), "%s/kiosk.db", f->dir); unlink(p);
	snprintf(p, sizeof(p), "%s/kiosk.db-wal", f->dir); unlink(p);
	snprintf(p, sizeof(p), "%s/kiosk.db-shm", f->dir); unlink(p);
	rmdir(f->dir);
	free(f);
	return 0;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char err[256];

	if (f == NULL)
		return -1;
	*state = f;
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_agent_taps.XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/kiosk.db", f->dir);
	if (store_open(f->path, &f->st, err, sizeof(err)) != 0 ||
	    store_meta_set(f->st, "location_id", "loc-1") != 0 ||
	    store_attach(f->path, &f->db, err, sizeof(err)) != 0) {
		fprintf(stderr, "setup: %s\n", err);
		teardown(state);
		return -1;
	}
	return 0;
}

static int apply(struct fx *f, const char *json)
{
	struct store_page p;
	char err[256];
	int rc;

	if (agent_wire_page(json, strlen(json), &p, err, sizeof(err)) != 0)
		fail_msg("test page invalid: %s", err);
	rc = store_apply_page(f->db, &p, err, sizeof(err));
	agent_page_free(&p);
	return rc;
}

static int64_t count(struct fx *f, const char *sql)
{
	sqlite3_stmt *s;
	int64_t n = -1;

	assert_int_equal(sqlite3_prepare_v2(f->st->db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

static void meta(struct fx *f, const char *key, const char *want)
{
	char buf[128];

	assert_int_equal(store_meta_get(f->db, key, buf, sizeof(buf)), want[0] ? 0 : 1);
	assert_string_equal(buf, want);
}

static void test_apply_resend_purge(void **state)
{
	struct fx *f = *state;
	char page[512];

	assert_int_equal(apply(f, good), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM peer_taps"), 3);
	meta(f, AGENT_META_TAP_CURSOR, "42.1795352400000");
	assert_int_equal(count(f, "SELECT count(*) FROM peer_taps WHERE person_id IS NULL"
	    " AND kind = 'guest' AND role IS NULL"), 1);
	/* Sent again (PostgreSQL's settle window), one with a corrected time. */
	snprintf(page, sizeof(page), "{\"cursor\":\"7.0\",\"taps_cursor\":\"42.1795352400001\","
	    "\"taps\":[{\"uuid\":\"" U1 "\",\"kind\":\"check_in\",\"person_id\":\"p-daan\","
	    "\"t_ms\":1795353121000}]}");
	assert_int_equal(apply(f, page), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM peer_taps"), 3);
	assert_int_equal(count(f, "SELECT t_ms FROM peer_taps WHERE uuid = '" U1 "'"), 1795353121000);
	meta(f, AGENT_META_TAP_CURSOR, "42.1795352400001");
	/* A page of a hub without the relay keeps table and cursor. */
	assert_int_equal(apply(f, "{\"cursor\":\"8.0\"}"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM peer_taps"), 3);
	meta(f, AGENT_META_TAP_CURSOR, "42.1795352400001");
	/* A day and a bit later by the hub's clock: the taps are gone, all but a
	 * new one exactly STORE_TAP_KEEP_MS old. */
	snprintf(page, sizeof(page), "{\"cursor\":\"9.0\",\"server_time\":\"2026-11-23T13:13:00Z\","
	    "\"taps_cursor\":\"50.1\",\"taps\":[{\"uuid\":\"0193a1b2-7c3d-7e4f-8a9b-000000000009\","
	    "\"kind\":\"drop_in\",\"person_id\":\"p-emre\",\"t_ms\":%lld}]}",
	    (long long)(T_13_MS + 13 * 60000));
	assert_int_equal(apply(f, page), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM peer_taps"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM peer_taps WHERE person_id = 'p-emre'"), 1);
	meta(f, AGENT_META_TAP_CURSOR, "50.1");
}

static void test_tombstone_and_failure(void **state)
{
	struct fx *f = *state;
	sqlite3 *other;

	assert_int_equal(apply(f, good), 0);
	/* A tombstone removes the person's taps, also one in the same page. */
	assert_int_equal(apply(f, "{\"cursor\":\"8.0\",\"taps_cursor\":\"43.1\",\"taps\":[{\"uuid\":"
	    "\"0193a1b2-7c3d-7e4f-8a9b-00000000000a\",\"kind\":\"check_out\",\"person_id\":\"p-daan\","
	    "\"t_ms\":1795353999000}],\"tombstones\":[{\"person_id\":\"p-daan\"}]}"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM peer_taps WHERE person_id = 'p-daan'"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM peer_taps"), 2);
	/* A page failing half-way keeps the taps and the tap cursor as they were. */
	assert_int_equal(sqlite3_open(f->path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "DROP TABLE role_assignments", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(other);
	assert_int_equal(apply(f, "{\"cursor\":\"9.0\",\"taps_cursor\":\"44.1\",\"taps\":[{\"uuid\":"
	    "\"0193a1b2-7c3d-7e4f-8a9b-00000000000b\",\"kind\":\"check_in\",\"person_id\":\"p-x\","
	    "\"t_ms\":1795353999000}],\"tombstones\":[{\"person_id\":\"p-kemal\"}]}"), -1);
	assert_int_equal(count(f, "SELECT count(*) FROM peer_taps"), 2);
	meta(f, AGENT_META_TAP_CURSOR, "43.1");
}

static void own(struct fx *f, const char *kind, const char *person, const char *session,
    int64_t wall_ms)
{
	struct store_event_in in = { kind, person, session, NULL, NULL, wall_ms };
	struct store_event_out out;

	assert_int_equal(store_event_append(f->st, &in, &out), 0);
}

static void peer(struct fx *f, const char *uuid, const char *kind, const char *person,
    const char *session, int64_t t_ms)
{
	char page[512], who[PR_ID_MAX + 2], what[PR_ID_MAX + 2];

	snprintf(who, sizeof(who), person ? "\"%s\"" : "null", person);
	snprintf(what, sizeof(what), session[0] ? "\"%s\"" : "null", session);
	snprintf(page, sizeof(page), "{\"cursor\":\"1.0\",\"taps_cursor\":\"1.1\",\"taps\":[{"
	    "\"uuid\":\"%s\",\"kind\":\"%s\",\"person_id\":%s,\"session_id\":%s,\"t_ms\":%lld}]}",
	    uuid, kind, who, what, (long long)t_ms);
	assert_int_equal(apply(f, page), 0);
}

static void last(struct fx *f, const char *person, int64_t since, int kind, int64_t at,
    const char *session)
{
	char sess[PR_ID_MAX];
	int64_t got_at = -1;
	int got = -1;

	assert_int_equal(store_last_check(f->st, person, since, T_13 + 86400, &got, &got_at, sess,
	    sizeof(sess)), 0);
	assert_int_equal(got, kind);
	assert_int_equal(got_at, at);
	assert_string_equal(sess, session);
}

static void test_last_check(void **state)
{
	struct fx *f = *state;

	/* Only a peer's check-in at 13:52: "already checked in at 13:52". */
	peer(f, U1, "check_in", "p-daan", "s-4", T_13_MS + 52 * 60000);
	last(f, "p-daan", T_13, 1, T_13 + 52 * 60, "s-4");
	/* ... out of the lookback: nothing. */
	last(f, "p-daan", T_13 + 53 * 60, 0, 0, "");
	/* Kemal checks in here at 13:05, out at a peer at 15:10: out. */
	own(f, "check_in", "p-kemal", "s-4", T_13_MS + 5 * 60000);
	last(f, "p-kemal", T_13, 1, T_13 + 5 * 60, "s-4");
	peer(f, U2, "check_out", "p-kemal", "s-4", T_13_MS + 130 * 60000);
	last(f, "p-kemal", T_13, 2, T_13 + 130 * 60, "s-4");
	/* ... and back in here at 15:20: in again (own, later). */
	own(f, "check_in", "p-kemal", "s-4", T_13_MS + 140 * 60000);
	last(f, "p-kemal", T_13, 1, T_13 + 140 * 60, "s-4");
	/* The same second here and at a peer: our own counts. */
	own(f, "check_out", "p-emre", "s-4", T_13_MS + 1000);
	peer(f, U3, "check_in", "p-emre", "s-4", T_13_MS + 1000);
	last(f, "p-emre", T_13, 2, T_13 + 1, "s-4");
	/* A peer's drop-in is an open visit without a session; a guest is nobody. */
	peer(f, "0193a1b2-7c3d-7e4f-8a9b-00000000000c", "drop_in", "p-sarah", "", T_13_MS);
	last(f, "p-sarah", T_13, 1, T_13, "");
	/* A peer's tap after `until` (our clock is behind) does not hide ours. */
	own(f, "check_in", "p-joyce", "s-4", T_13_MS);
	peer(f, "0193a1b2-7c3d-7e4f-8a9b-00000000000f", "check_out", "p-joyce", "s-4",
	    T_13_MS + 86401000);
	last(f, "p-joyce", T_13, 1, T_13, "s-4");
}

static void test_headcount(void **state)
{
	struct fx *f = *state;
	int n = -1;

	own(f, "check_in", "p-daan", "s-4", T_13_MS);
	peer(f, U1, "check_in", "p-daan", "s-4", T_13_MS + 1000);     /* the same person */
	peer(f, U2, "check_in", "p-fatima", "s-4", T_13_MS + 2000);
	peer(f, U3, "guest", NULL, "s-4", T_13_MS + 3000);
	peer(f, "0193a1b2-7c3d-7e4f-8a9b-00000000000d", "check_in", "p-x", "s-5", T_13_MS);
	peer(f, "0193a1b2-7c3d-7e4f-8a9b-00000000000e", "check_out", "p-y", "s-4", T_13_MS);
	own(f, "guest", NULL, "s-4", T_13_MS + 4000);
	assert_int_equal(store_headcount(f->st, "s-4", &n), 0);
	assert_int_equal(n, 4);     /* Daan once, Fatima, two guests */
}

static void test_pace(void **state)
{
	struct fx *f = *state;

	assert_int_equal(apply(f, "{\"cursor\":\"1.0\",\"sessions\":[{\"id\":\"s-4\",\"title\":\"W\","
	    "\"start\":\"2026-11-22T13:00:00Z\",\"end\":\"2026-11-22T15:00:00Z\"}]}"), 0);
	assert_int_equal(store_session_open(f->st, T_13 - AGENT_FAST_EARLY_S - 1, AGENT_FAST_EARLY_S), 0);
	assert_int_equal(store_session_open(f->st, T_13 - AGENT_FAST_EARLY_S, AGENT_FAST_EARLY_S), 1);
	assert_int_equal(store_session_open(f->st, T_13 + 7200, AGENT_FAST_EARLY_S), 1);
	assert_int_equal(store_session_open(f->st, T_13 + 7201, AGENT_FAST_EARLY_S), 0);
	assert_int_equal(agent_pace_pull_ms(f->db, T_13 + 60, 60000, 3000), 3000);
	assert_int_equal(agent_pace_pull_ms(f->db, T_13 - 7200, 60000, 3000), 60000);
	assert_int_equal(agent_pace_pull_ms(f->db, T_13 + 60, 60000, -1), 60000);   /* off */
	assert_int_equal(agent_pace_pull_ms(f->db, T_13 + 60, 2000, 3000), 2000);   /* never slower */
	/* Another location's session does not count. */
	assert_int_equal(store_meta_set(f->st, "location_id", "loc-2"), 0);
	assert_int_equal(store_session_open(f->st, T_13 + 60, AGENT_FAST_EARLY_S), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wire_good),
		cmocka_unit_test(test_wire_bad_fields),
		cmocka_unit_test(test_wire_tap_limit),
		cmocka_unit_test(test_pull_path),
		cmocka_unit_test_setup_teardown(test_apply_resend_purge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tombstone_and_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_last_check, setup, teardown),
		cmocka_unit_test_setup_teardown(test_headcount, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pace, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
