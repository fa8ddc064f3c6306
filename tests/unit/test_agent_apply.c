/* test_agent_apply.c — the sync agent's side of the store library
 * (store_attach, store_apply.h, store_outbox.h, store_meta.h) on a real kiosk
 * store made with store_open: a changes page lands in one transaction and
 * the kiosk's own queries see it (people, card MACs, sessions with role and
 * enrolment); deactivations, cancellations and tombstones delete; a failing
 * page changes nothing, cursor included; a credential before its person is
 * kept; event batches come in seq order, marks cover exactly acked_seq,
 * re-queueing works; the status row and meta keys are written; the
 * organisation's newcomers setting lands in meta (a page without it leaves
 * it alone) and a rejected newcomer's person_registered event is deleted,
 * delivered or not, the other newcomer's kept. */
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

#include "agent/wire.h"
#include "cred.h"
#include "store.h"
#include "store_apply.h"
#include "store_meta.h"
#include "store_outbox.h"

struct fx {
	char dir[256];
	char path[300];
	struct store *st;                /* the kiosk's handle (store_open) */
	struct store *db;                /* the agent's handle (store_attach) */
};

static int teardown(void **state)
{
	struct fx *f = *state;
	char p[400];

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
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_agent_apply.XXXXXX");
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

#define MAC_A "ab00000000000000000000000000000000000000000000000000000000000001"
#define MAC_B "cd00000000000000000000000000000000000000000000000000000000000002"

/* Parse a page (must be valid) and apply it; returns apply's result. */
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

static int by_mac(struct fx *f, const char *hex, struct store_person *out)
{
	uint8_t mac[PR_MAC_BYTES];

	assert_int_equal(cred_unhex(hex, mac, sizeof(mac)), 0);
	return store_person_by_mac(f->st, STORE_CRED_CARD, mac, out);
}

static const char page1[] =
	"{\"cursor\":\"c1\",\"more\":false,"
	"\"location\":{\"id\":\"loc-1\",\"name\":\"De Grubbehoeve\",\"timezone\":\"Europe/Amsterdam\"},"
	"\"people\":[{\"id\":\"p-fatima\",\"display_name\":\"Fatima E.\",\"first_name\":\"Fatima\",\"lang\":\"ar\"},"
	"{\"id\":\"p-daan\",\"display_name\":\"Daan V.\",\"coordinator\":true}],"
	"\"credentials\":[{\"person_id\":\"p-fatima\",\"kind\":\"card\",\"mac\":\"" MAC_A "\",\"active\":true}],"
	"\"programmes\":[{\"id\":\"mjew\",\"title\":\"Maak je eigen Werk\"}],"
	"\"enrolments\":[{\"person_id\":\"p-fatima\",\"programme_id\":\"mjew\",\"active\":true}],"
	"\"sessions\":[{\"id\":\"s-4\",\"programme_id\":\"mjew\",\"title\":\"Workshop 4\",\"room\":\"Zaal 1\","
	"\"start\":\"2026-11-22T13:00:00Z\",\"end\":\"2026-11-22T15:00:00Z\",\"kind\":\"group\"},"
	"{\"id\":\"s-5\",\"programme_id\":\"mjew\",\"title\":\"Workshop 5\","
	"\"start\":\"2026-11-29T13:00:00Z\",\"end\":\"2026-11-29T15:00:00Z\",\"kind\":\"group\"}],"
	"\"assignments\":[{\"session_id\":\"s-4\",\"person_id\":\"p-daan\",\"role\":\"catering\",\"active\":true}]}";

#define T_13 1795352400   /* 2026-11-22T13:00:00Z */

static void test_apply_and_delete(void **state)
{
	struct fx *f = *state;
	struct store_person p;
	struct store_session s[8];
	char buf[128];
	size_t n;

	assert_int_equal(apply(f, page1), 0);
	assert_int_equal(store_person_get(f->st, "p-fatima", &p), 0);
	assert_string_equal(p.first_name, "Fatima");
	assert_string_equal(p.lang, "ar");
	assert_int_equal(store_person_get(f->st, "p-daan", &p), 0);
	assert_int_equal(p.is_coordinator, 1);
	assert_string_equal(p.first_name, "Daan");
	assert_int_equal(by_mac(f, MAC_A, &p), 0);
	assert_string_equal(p.id, "p-fatima");
	assert_int_equal(store_sessions_between(f->st, T_13, T_13 + 3600, "p-fatima", s, 8, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(s[0].id, "s-4");
	assert_string_equal(s[0].room, "Zaal 1");
	assert_int_equal(s[0].enrolled, 1);
	assert_int_equal(store_sessions_between(f->st, T_13, T_13 + 3600, "p-daan", s, 8, &n), 0);
	assert_string_equal(s[0].role, "catering");
	assert_int_equal(s[0].enrolled, 0);
	assert_int_equal(store_meta_get(f->db, AGENT_META_CURSOR, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "c1");
	assert_int_equal(store_meta_get(f->st, "location_name", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "De Grubbehoeve");

	/* Applying the same page again changes nothing (upserts). */
	assert_int_equal(apply(f, page1), 0);
	assert_int_equal(store_sessions_between(f->st, T_13, T_13 + 8 * 86400, NULL, s, 8, &n), 0);
	assert_int_equal(n, 2);

	/* Deactivations, a cancellation and a tombstone. */
	assert_int_equal(apply(f, "{\"cursor\":\"c2\","
	    "\"credentials\":[{\"person_id\":\"p-fatima\",\"kind\":\"card\",\"mac\":\"" MAC_A "\",\"active\":false}],"
	    "\"enrolments\":[{\"person_id\":\"p-fatima\",\"programme_id\":\"mjew\",\"active\":false}],"
	    "\"sessions\":[{\"id\":\"s-5\",\"title\":\"Workshop 5\",\"start\":\"2026-11-29T13:00:00Z\","
	    "\"end\":\"2026-11-29T15:00:00Z\",\"cancelled\":true}],"
	    "\"assignments\":[{\"session_id\":\"s-4\",\"person_id\":\"p-daan\",\"role\":\"catering\",\"active\":false}]}"), 0);
	assert_int_equal(by_mac(f, MAC_A, &p), 1);
	assert_int_equal(store_sessions_between(f->st, T_13, T_13 + 8 * 86400, "p-fatima", s, 8, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(s[0].enrolled, 0);
	assert_int_equal(store_sessions_between(f->st, T_13, T_13 + 3600, "p-daan", s, 8, &n), 0);
	assert_string_equal(s[0].role, "");

	assert_int_equal(apply(f, "{\"cursor\":\"c3\",\"credentials\":[{\"person_id\":\"p-fatima\","
	    "\"kind\":\"card\",\"mac\":\"" MAC_B "\"}],\"tombstones\":[{\"person_id\":\"p-fatima\"}]}"), 0);
	assert_int_equal(store_person_get(f->st, "p-fatima", &p), 1);
	assert_int_equal(by_mac(f, MAC_B, &p), 1);                /* erased with the person */
	assert_int_equal(store_person_get(f->st, "p-daan", &p), 0);
	assert_int_equal(store_meta_get(f->db, AGENT_META_CURSOR, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "c3");
}

/* A credential whose person arrives in a later page is kept, and works then. */
static void test_credential_before_person(void **state)
{
	struct fx *f = *state;
	struct store_person p;

	assert_int_equal(apply(f, "{\"cursor\":\"a\",\"credentials\":[{\"person_id\":\"p-late\","
	    "\"kind\":\"card\",\"mac\":\"" MAC_B "\"}],\"assignments\":[{\"session_id\":\"s-x\","
	    "\"person_id\":\"p-late\",\"role\":\"rolmodel\"}]}"), 0);
	assert_int_equal(by_mac(f, MAC_B, &p), 1);
	assert_int_equal(apply(f, "{\"cursor\":\"b\",\"people\":[{\"id\":\"p-late\","
	    "\"display_name\":\"Late L.\"}]}"), 0);
	assert_int_equal(by_mac(f, MAC_B, &p), 0);
	assert_string_equal(p.id, "p-late");
}

/* A page that fails half-way leaves no trace, the cursor included. */
static void test_failed_page_changes_nothing(void **state)
{
	struct fx *f = *state;
	struct store_person p;
	sqlite3 *other;
	char buf[64];

	assert_int_equal(apply(f, "{\"cursor\":\"before\"}"), 0);
	assert_int_equal(sqlite3_open(f->path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "DROP TABLE role_assignments", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(other);
	assert_int_equal(apply(f, "{\"cursor\":\"after\",\"people\":[{\"id\":\"p-new\","
	    "\"display_name\":\"New N.\"}],\"assignments\":[{\"session_id\":\"s-4\","
	    "\"person_id\":\"p-new\",\"role\":\"catering\"}]}"), -1);
	assert_int_equal(store_person_get(f->st, "p-new", &p), 1);
	assert_int_equal(store_meta_get(f->db, AGENT_META_CURSOR, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "before");
}

static void append(struct fx *f, const char *kind, const char *person, const char *payload)
{
	struct store_event_in in = { kind, person, NULL, NULL, payload, 1763819527120 };
	struct store_event_out out;

	assert_int_equal(store_event_append(f->st, &in, &out), 0);
}

static void test_events(void **state)
{
	struct fx *f = *state;
	struct store_event evs[8];
	int64_t pending, first, n_store;
	size_t n;

	append(f, STORE_EV_CHECK_IN, "p-1", NULL);
	append(f, STORE_EV_CHECK_OUT, "p-1", "{\"check_in_uuid\":\"x\"}");
	append(f, STORE_EV_GUEST, NULL, NULL);
	append(f, STORE_EV_DROP_IN, "p-2", NULL);
	append(f, STORE_EV_CHECK_IN, "p-3", NULL);

	assert_int_equal(store_outbox_read(f->db, 0, 3, evs, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(evs[0].seq, 1);
	assert_int_equal(evs[2].seq, 3);
	assert_string_equal(evs[0].kind, "check_in");
	assert_string_equal(evs[0].person_id, "p-1");
	assert_string_equal(evs[2].person_id, "");               /* null */
	assert_string_equal(evs[1].payload, "{\"check_in_uuid\":\"x\"}");
	assert_int_equal(strlen(evs[0].uuid), 36);
	assert_int_equal(strlen(evs[0].boot_id), 36);
	assert_int_equal(evs[0].wall_ms, 1763819527120);
	store_outbox_free(evs, n);

	assert_int_equal(store_outbox_mark_delivered(f->db, 2), 0);
	assert_int_equal(store_outbox_pending(f->db, &pending, &first), 0);
	assert_int_equal(pending, 3);
	assert_int_equal(first, 3);
	assert_int_equal(store_pending_count(f->st, &n_store), 0);
	assert_int_equal(n_store, 3);
	assert_int_equal(store_outbox_read(f->db, 0, 8, evs, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(evs[0].seq, 3);
	store_outbox_free(evs, n);

	assert_int_equal(store_outbox_unmark_after(f->db, 1), 0);      /* the hub lost 2.. */
	assert_int_equal(store_outbox_pending(f->db, &pending, &first), 0);
	assert_int_equal(pending, 4);
	assert_int_equal(first, 2);
	assert_int_equal(store_outbox_mark_delivered(f->db, 5), 0);
	assert_int_equal(store_outbox_pending(f->db, &pending, &first), 0);
	assert_int_equal(pending, 0);
	assert_int_equal(first, 0);
	assert_int_equal(store_outbox_read(f->db, 0, 8, evs, &n), 0);
	assert_int_equal(n, 0);

	/* The hub's changes answer says it holds only up to 3: 4 and 5 again. */
	assert_int_equal(store_outbox_requeue(f->db, 5, &n_store), 0);   /* it holds all */
	assert_int_equal(n_store, 0);
	assert_int_equal(store_outbox_requeue(f->db, 3, &n_store), 0);
	assert_int_equal(n_store, 2);
	assert_int_equal(store_outbox_pending(f->db, &pending, &first), 0);
	assert_int_equal(pending, 2);
	assert_int_equal(first, 4);
	assert_int_equal(store_outbox_requeue(f->db, 3, &n_store), 0);   /* 4 waits already */
	assert_int_equal(n_store, 0);
	assert_int_equal(store_outbox_mark_delivered(f->db, 5), 0);
	/* Seq 1 dropped (delivered long ago): a hub that lost it cannot get it
	 * from here, so nothing is re-queued. */
	assert_int_equal(store_outbox_purge(f->db, INT64_MAX, &n_store), 0);
	assert_int_equal(n_store, 4);                                    /* all but the newest */
	assert_int_equal(store_outbox_requeue(f->db, 0, &n_store), 0);
	assert_int_equal(n_store, 0);
	assert_int_equal(store_outbox_requeue(f->db, 4, NULL), 0);       /* 5 is here */
	assert_int_equal(store_outbox_pending(f->db, &pending, &first), 0);
	assert_int_equal(pending, 1);
	assert_int_equal(first, 5);
}

static void test_state(void **state)
{
	struct fx *f = *state;
	const char *ok[] = { AGENT_META_LAST_ERROR, "", AGENT_META_WAITING, "4",
		AGENT_META_LAST_OK, "1763819527", AGENT_META_PIN, NULL };
	const char *bad[] = { AGENT_META_LAST_ERROR, "POST /v1/events: the hub could not be reached",
		AGENT_META_WAITING, "7" };
	char buf[128];
	sqlite3 *other;
	sqlite3_stmt *s;

	assert_int_equal(store_meta_set_many(f->db, ok, 4), 0);
	assert_int_equal(store_meta_get(f->st, "sync_waiting", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "4");
	assert_int_equal(store_meta_get(f->db, AGENT_META_PIN, buf, sizeof(buf)), 1);
	assert_int_equal(sqlite3_open(f->path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(other, "SELECT last_ok, last_error IS NULL, waiting "
	    "FROM sync_state WHERE id = 1", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_true(sqlite3_column_int64(s, 0) > 1700000000000LL);       /* ms */
	assert_int_equal(sqlite3_column_int(s, 1), 1);
	assert_int_equal(sqlite3_column_int(s, 2), 4);
	sqlite3_finalize(s);

	assert_int_equal(store_meta_set_many(f->db, bad, 2), 0);
	assert_int_equal(sqlite3_prepare_v2(other, "SELECT last_error, waiting, last_error_at "
	    "FROM sync_state WHERE id = 1", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0),
	    "POST /v1/events: the hub could not be reached");
	assert_int_equal(sqlite3_column_int(s, 1), 7);
	assert_true(sqlite3_column_int64(s, 2) > 1700000000000LL);
	sqlite3_finalize(s);
	sqlite3_close(other);
}

/* card_link (PROTOCOL.md): an object sets meta "card_link" to
 * "EXPIRES_S PERSON_ID" in the page's transaction, null removes it, a page
 * without the key (an older hub) leaves it alone. */
static void test_card_link(void **state)
{
	struct fx *f = *state;
	char v[128];

	assert_int_equal(apply(f, "{\"cursor\":\"c1\",\"card_link\":{\"person_id\":\"p-fatima\","
	    "\"first_name\":\"Fatima\",\"expires\":\"2026-11-22T13:00:00Z\"}}"), 0);
	assert_int_equal(store_meta_get(f->st, "card_link", v, sizeof(v)), 0);
	assert_string_equal(v, "1795352400 p-fatima");
	assert_int_equal(apply(f, "{\"cursor\":\"c2\"}"), 0);
	assert_int_equal(store_meta_get(f->st, "card_link", v, sizeof(v)), 0);
	assert_string_equal(v, "1795352400 p-fatima");
	assert_int_equal(apply(f, "{\"cursor\":\"c3\",\"card_link\":null}"), 0);
	assert_int_equal(store_meta_get(f->st, "card_link", v, sizeof(v)), 1);
	assert_int_equal(store_meta_get(f->db, AGENT_META_CURSOR, v, sizeof(v)), 0);
	assert_string_equal(v, "c3");
}

#define REG_A "0193c0de-0000-7000-8000-0000000000a1"
#define REG_B "0193c0de-0000-7000-8000-0000000000a2"

static void test_newcomers(void **state)
{
	struct fx *f = *state;
	char v[16];
	int64_t pending, first;

	assert_int_equal(store_meta_get(f->st, "newcomers", v, sizeof(v)), 1);   /* not known */
	assert_int_equal(apply(f, "{\"cursor\":\"c1\",\"newcomers\":true}"), 0);
	assert_int_equal(store_meta_get(f->st, "newcomers", v, sizeof(v)), 0);
	assert_string_equal(v, "yes");
	assert_int_equal(apply(f, "{\"cursor\":\"c2\"}"), 0);                /* an older hub */
	assert_int_equal(store_meta_get(f->st, "newcomers", v, sizeof(v)), 0);
	assert_string_equal(v, "yes");
	assert_int_equal(apply(f, "{\"cursor\":\"c3\",\"newcomers\":false}"), 0);
	assert_int_equal(store_meta_get(f->st, "newcomers", v, sizeof(v)), 0);
	assert_string_equal(v, "no");

	append(f, "person_registered", NULL, "{\"id\":\"" REG_A "\",\"display_name\":\"Amina B.\"}");
	append(f, "guest", NULL, NULL);
	append(f, "person_registered", NULL, "{\"id\":\"" REG_B "\",\"display_name\":\"Zeynep K.\"}");
	append(f, "guest", NULL, NULL);
	assert_int_equal(store_outbox_mark_delivered(f->db, 2), 0);   /* A delivered, B not yet marked */
	assert_int_equal(apply(f, "{\"cursor\":\"c4\",\"registrations_rejected\":[{\"id\":\"" REG_A "\"},"
	    "{\"id\":\"" REG_B "\"},{\"id\":\"not-here\"}]}"), 0);
	assert_int_equal(store_outbox_pending(f->db, &pending, &first), 0);
	assert_int_equal(pending, 1);                       /* the last guest only */
	assert_int_equal(first, 4);
	append(f, "person_registered", NULL, "{\"id\":\"0193c0de-0000-7000-8000-0000000000a3\"}");
	assert_int_equal(apply(f, "{\"cursor\":\"c5\",\"registrations_rejected\":[]}"), 0);
	assert_int_equal(store_outbox_pending(f->db, &pending, &first), 0);
	assert_int_equal(pending, 2);                       /* the other newcomer stays */
}

static void test_open_refusals(void **state)
{
	struct fx *f = *state;
	struct store *db = NULL;
	char err[256], p[400];
	sqlite3 *raw;

	(void)f;
	assert_int_equal(store_attach("/nonexistent/kiosk.db", &db, err, sizeof(err)), -1);
	assert_null(db);
	assert_non_null(strstr(err, "does not exist"));
	/* A SQLite file that is not a kiosk store (no WAL, no schema). */
	snprintf(p, sizeof(p), "%s/other.db", f->dir);
	assert_int_equal(sqlite3_open(p, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "CREATE TABLE x (y)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	assert_int_equal(store_attach(p, &db, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "WAL"));
	unlink(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_apply_and_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_credential_before_person, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_page_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_card_link, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newcomers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_refusals, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
