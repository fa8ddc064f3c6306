/* store_demo.c — store_seed_demo(): replaces the store's master data with
 * the demo organisation (sync/common/demo.c), placed in time so a workshop
 * runs at `now`, in one transaction. The event log is left alone.
 * Must not: see raw demo UIDs or PINs (demo.c hands over MACs only). */
#include <string.h>

#include "cred.h"
#include "demo.h"
#include "store_int.h"

static const char *const demo_clear_sql =
	"DELETE FROM role_assignments; DELETE FROM enrolments; DELETE FROM credentials;"
	"DELETE FROM sessions; DELETE FROM programmes; DELETE FROM roles;"
	"DELETE FROM people;";

enum { INS_PERSON, INS_PROG, INS_SESSION, INS_ENROL, INS_ROLE, INS_ASSIGN, INS_CRED,
	INS_COUNT };

static const char *const demo_ins_sql[INS_COUNT] = {
	[INS_PERSON] = "INSERT INTO people (id, display_name, first_name, lang, "
		"consent_date, consent_version, roles, is_coordinator) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[INS_PROG] = "INSERT INTO programmes (id, title) VALUES (?1, ?2)",
	[INS_SESSION] = "INSERT INTO sessions (id, programme_id, title, location_id, "
		"room, start_utc, end_utc, kind) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[INS_ENROL] = "INSERT INTO enrolments (programme_id, person_id) VALUES (?1, ?2)",
	[INS_ROLE] = "INSERT INTO roles (key, label) VALUES (?1, ?2)",
	[INS_ASSIGN] = "INSERT INTO role_assignments (session_id, person_id, role) "
		"VALUES (?1, ?2, ?3)",
	[INS_CRED] = "INSERT INTO credentials (person_id, kind, mac, active) "
		"VALUES (?1, ?2, ?3, 1)",
};

#define T(i, v) (sqlite3_bind_text(s, (i), (v), -1, SQLITE_STATIC) != SQLITE_OK)
#define I(i, v) (sqlite3_bind_int64(s, (i), (v)) != SQLITE_OK)

/* Step s once and reset it; 0 or -1. */
static int step(sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int insert_all(sqlite3_stmt **q, const struct demo_org *o)
{
	sqlite3_stmt *s;
	size_t i;

	for (i = 0, s = q[INS_PERSON]; i < o->n_people; i++) {
		const struct demo_person *p = &o->people[i];

		if (T(1, p->id) || T(2, p->display_name) || T(3, p->first_name) ||
		    T(4, p->lang) || T(5, p->consent_date) || T(6, p->consent_version) ||
		    T(7, p->roles) || I(8, p->is_coordinator) || step(s))
			return -1;
	}
	for (i = 0, s = q[INS_PROG]; i < o->n_programmes; i++)
		if (T(1, o->programmes[i].id) || T(2, o->programmes[i].title) || step(s))
			return -1;
	for (i = 0, s = q[INS_ROLE]; i < o->n_roles; i++)
		if (T(1, o->roles[i].key) || T(2, o->roles[i].label_nl) || step(s))
			return -1;
	for (i = 0, s = q[INS_SESSION]; i < o->n_sessions; i++) {
		const struct demo_session *x = &o->sessions[i];

		if (T(1, x->id) || T(2, x->programme_id) || T(3, x->title) ||
		    T(4, o->location_id) || T(5, x->room) || I(6, x->start) ||
		    I(7, x->end) || I(8, x->kind_code) || step(s))
			return -1;
	}
	for (i = 0, s = q[INS_ENROL]; i < o->n_enrolments; i++)
		if (T(1, o->enrolments[i].programme_id) ||
		    T(2, o->enrolments[i].person_id) || step(s))
			return -1;
	for (i = 0, s = q[INS_ASSIGN]; i < o->n_assignments; i++)
		if (T(1, o->assignments[i].session_id) || T(2, o->assignments[i].person_id) ||
		    T(3, o->assignments[i].role) || step(s))
			return -1;
	for (i = 0, s = q[INS_CRED]; i < o->n_credentials; i++) {
		const struct demo_credential *c = &o->credentials[i];

		if (T(1, c->person_id) || I(2, c->kind == DEMO_CRED_PIN ? 1 : 0) ||
		    sqlite3_bind_blob(s, 3, c->mac, PR_MAC_BYTES, SQLITE_STATIC) != SQLITE_OK ||
		    step(s))
			return -1;
	}
	return 0;
}

static int set_meta(sqlite3 *db, const struct demo_org *o)
{
	char keyhex[2 * PR_ORG_KEY_BYTES + 1];
	const char *kv[][2] = {
		{ "org_key", keyhex },
		{ "org_id", o->org_id },
		{ "org_name", o->org_name },
		{ "location_id", o->location_id },
		{ "location_name", o->location_name },
		{ "location_tz", o->tz },
	};
	sqlite3_stmt *s = NULL;
	int rc = -1;

	cred_hex(o->key, sizeof o->key, keyhex);
	if (sqlite3_prepare_v2(db, "INSERT INTO meta (key, value) VALUES (?1, ?2) "
	    "ON CONFLICT (key) DO UPDATE SET value = excluded.value", -1, &s, NULL)
	    != SQLITE_OK)
		goto out;
	for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++)
		if (T(1, kv[i][0]) || T(2, kv[i][1]) || step(s))
			goto out;
	rc = 0;
out:
	sqlite3_finalize(s);
	return rc;
}

int store_seed_demo(struct store *st, const char *dir, int64_t now,
    char *err, size_t errlen)
{
	struct demo_org *o = NULL;
	sqlite3_stmt *q[INS_COUNT] = { 0 };
	char why[256];
	int rc = -1, in_tx = 0;

	if (demo_load(dir, &o, err, errlen) != 0)
		return -1;
	if (demo_place(o, now, err, errlen) != 0)
		goto out;
	for (int i = 0; i < INS_COUNT; i++) {
		if (sqlite3_prepare_v2(st->db, demo_ins_sql[i], -1, &q[i], NULL) != SQLITE_OK) {
			pr_errf(err, errlen, "demo: %s", sqlite3_errmsg(st->db));
			goto out;
		}
	}
	if (store_exec(st->db, "BEGIN IMMEDIATE", why, sizeof why) != 0) {
		pr_errf(err, errlen, "demo: %s", why);
		goto out;
	}
	in_tx = 1;
	if (store_exec(st->db, demo_clear_sql, why, sizeof why) != 0) {
		pr_errf(err, errlen, "demo: clearing master data: %s", why);
		goto out;
	}
	if (insert_all(q, o) != 0 || set_meta(st->db, o) != 0) {
		pr_errf(err, errlen, "demo: inserting: %s", sqlite3_errmsg(st->db));
		goto out;
	}
	if (store_exec(st->db, "COMMIT", why, sizeof why) != 0) {
		pr_errf(err, errlen, "demo: commit: %s", why);
		goto out;
	}
	in_tx = 0;
	rc = 0;
out:
	if (in_tx)
		store_exec(st->db, "ROLLBACK", NULL, 0);
	for (int i = 0; i < INS_COUNT; i++)
		sqlite3_finalize(q[i]);
	demo_free(o);
	return rc;
}
