/* db.c — the agent's SQL on the kiosk's store (schema: kiosk/store_schema.c).
 * Owns: the agent's connection (WAL file shared with the kiosk, busy
 * timeout, synchronous=NORMAL) and its prepared statements. Writes are short
 * BEGIN IMMEDIATE transactions; reads of a batch are one read transaction.
 * Foreign keys are OFF on this connection on purpose: a changes page may
 * carry a credential or assignment before the page that carries its person
 * (the hub orders by change, not by table), and a dangling row is harmless
 * to the kiosk's joins, while refusing it would lose it for good. So the
 * cascades of the schema are done here explicitly (tombstones, cancelled
 * sessions). synchronous=NORMAL: losing the agent's last commit on power
 * loss only means resending (idempotent) or re-pulling; the kiosk's own
 * connection stays FULL. Must not: create or migrate the schema, or hold
 * a transaction across anything slow. */
#include "db.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cred.h"
#include "store.h"

enum q {
	Q_BEGIN_W, Q_BEGIN_R, Q_COMMIT, Q_ROLLBACK,
	Q_META_GET, Q_META_SET, Q_META_DEL,
	Q_BATCH, Q_MARK, Q_UNMARK, Q_PENDING,
	Q_CURSOR_GET, Q_CURSOR_SET, Q_STATE_OK, Q_STATE_ERR,
	Q_PERSON_UP, Q_CRED_UP, Q_CRED_DEL, Q_PROG_UP, Q_ENROL_UP, Q_ENROL_DEL,
	Q_SESSION_UP, Q_SESSION_DEL, Q_SESSION_DEL_ASSIGN, Q_ROLE_UP, Q_ASSIGN_UP,
	Q_ASSIGN_DEL, Q_TOMB_CREDS, Q_TOMB_ENROL, Q_TOMB_ASSIGN, Q_TOMB_PERSON,
	Q_COUNT
};

static const char *const k_sql[Q_COUNT] = {
	[Q_BEGIN_W] = "BEGIN IMMEDIATE",
	[Q_BEGIN_R] = "BEGIN DEFERRED",
	[Q_COMMIT] = "COMMIT",
	[Q_ROLLBACK] = "ROLLBACK",
	[Q_META_GET] = "SELECT value FROM meta WHERE key = ?1",
	[Q_META_SET] = "INSERT INTO meta (key, value) VALUES (?1, ?2) "
	    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	[Q_META_DEL] = "DELETE FROM meta WHERE key = ?1",
	[Q_BATCH] = "SELECT seq, uuid, kind, person_id, session_id, role, payload, wall_ms, "
	    "boot_id, boottime_ns, clock_synced FROM events "
	    "WHERE delivered = 0 AND seq > ?1 ORDER BY seq LIMIT ?2",
	[Q_MARK] = "UPDATE events SET delivered = 1, delivered_at = ?2 "
	    "WHERE delivered = 0 AND seq <= ?1",
	[Q_UNMARK] = "UPDATE events SET delivered = 0, delivered_at = NULL "
	    "WHERE delivered = 1 AND seq > ?1",
	[Q_PENDING] = "SELECT count(*), coalesce(min(seq), 0) FROM events WHERE delivered = 0",
	[Q_CURSOR_GET] = "SELECT cursor FROM sync_state WHERE id = 1",
	[Q_CURSOR_SET] = "UPDATE sync_state SET cursor = ?1 WHERE id = 1",
	[Q_STATE_OK] = "UPDATE sync_state SET last_ok = ?1, last_error = NULL, waiting = ?2 "
	    "WHERE id = 1",
	[Q_STATE_ERR] = "UPDATE sync_state SET last_error = ?1, last_error_at = ?2, waiting = ?3 "
	    "WHERE id = 1",
	[Q_PERSON_UP] = "INSERT INTO people (id, display_name, first_name, lang, is_coordinator) "
	    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (id) DO UPDATE SET "
	    "display_name = excluded.display_name, first_name = excluded.first_name, "
	    "lang = excluded.lang, is_coordinator = excluded.is_coordinator",
	[Q_CRED_UP] = "INSERT INTO credentials (person_id, kind, mac, active) VALUES (?1, ?2, ?3, 1) "
	    "ON CONFLICT (kind, mac) DO UPDATE SET person_id = excluded.person_id, active = 1",
	[Q_CRED_DEL] = "DELETE FROM credentials WHERE kind = ?1 AND mac = ?2",
	[Q_PROG_UP] = "INSERT INTO programmes (id, title) VALUES (?1, ?2) "
	    "ON CONFLICT (id) DO UPDATE SET title = excluded.title",
	[Q_ENROL_UP] = "INSERT OR IGNORE INTO enrolments (programme_id, person_id) VALUES (?1, ?2)",
	[Q_ENROL_DEL] = "DELETE FROM enrolments WHERE programme_id = ?1 AND person_id = ?2",
	[Q_SESSION_UP] = "INSERT INTO sessions (id, programme_id, title, location_id, room, "
	    "start_utc, end_utc, kind) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
	    "ON CONFLICT (id) DO UPDATE SET programme_id = excluded.programme_id, "
	    "title = excluded.title, location_id = excluded.location_id, room = excluded.room, "
	    "start_utc = excluded.start_utc, end_utc = excluded.end_utc, kind = excluded.kind",
	[Q_SESSION_DEL] = "DELETE FROM sessions WHERE id = ?1",
	[Q_SESSION_DEL_ASSIGN] = "DELETE FROM role_assignments WHERE session_id = ?1",
	[Q_ROLE_UP] = "INSERT OR IGNORE INTO roles (key, label) VALUES (?1, ?1)",
	[Q_ASSIGN_UP] = "INSERT OR IGNORE INTO role_assignments (session_id, person_id, role) "
	    "VALUES (?1, ?2, ?3)",
	[Q_ASSIGN_DEL] = "DELETE FROM role_assignments WHERE session_id = ?1 AND person_id = ?2 "
	    "AND role = ?3",
	[Q_TOMB_CREDS] = "DELETE FROM credentials WHERE person_id = ?1",
	[Q_TOMB_ENROL] = "DELETE FROM enrolments WHERE person_id = ?1",
	[Q_TOMB_ASSIGN] = "DELETE FROM role_assignments WHERE person_id = ?1",
	[Q_TOMB_PERSON] = "DELETE FROM people WHERE id = ?1",
};

struct agent_db {
	sqlite3 *db;
	sqlite3_stmt *q[Q_COUNT];
	char err[AGENT_ERR_MAX];
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void note(struct agent_db *d, const char *what)
{
	snprintf(d->err, sizeof(d->err), "%s: %s", what, sqlite3_errmsg(d->db));
}

const char *agent_db_errmsg(struct agent_db *d)
{
	return d->err[0] ? d->err : "no error";
}

static sqlite3_stmt *stmt(struct agent_db *d, enum q id)
{
	sqlite3_stmt *s = d->q[id];

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

/* Run a statement without results. 0 or -1. */
static int run(struct agent_db *d, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		note(d, what);
		return -1;
	}
	return 0;
}

static int begin(struct agent_db *d, int write)
{
	return run(d, stmt(d, write ? Q_BEGIN_W : Q_BEGIN_R), "begin");
}

static int commit(struct agent_db *d)
{
	if (run(d, stmt(d, Q_COMMIT), "commit") == 0)
		return 0;
	run(d, stmt(d, Q_ROLLBACK), "rollback");
	return -1;
}

static void rollback(struct agent_db *d)
{
	if (!sqlite3_get_autocommit(d->db))
		run(d, stmt(d, Q_ROLLBACK), "rollback");
}

static int pragma_text(sqlite3 *db, const char *sql, char *out, size_t len)
{
	sqlite3_stmt *s = NULL;
	int rc = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) != NULL) {
		snprintf(out, len, "%s", (const char *)sqlite3_column_text(s, 0));
		rc = 0;
	}
	sqlite3_finalize(s);
	return rc;
}

int agent_db_open(const char *path, struct agent_db **out, char *err, size_t errlen)
{
	struct agent_db *d;
	struct stat sb;
	char val[32];
	int i, v;

	*out = NULL;
	if (stat(path, &sb) != 0) {
		snprintf(err, errlen, "the store %s does not exist; start the kiosk once first", path);
		return -1;
	}
	d = calloc(1, sizeof(*d));
	if (d == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (sqlite3_open_v2(path, &d->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open the store %s: %s", path,
		    d->db ? sqlite3_errmsg(d->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(d->db, AGENT_DB_BUSY_MS);
	sqlite3_extended_result_codes(d->db, 1);
	if (pragma_text(d->db, "PRAGMA journal_mode", val, sizeof(val)) < 0 ||
	    strcmp(val, "wal") != 0) {
		snprintf(err, errlen, "the store %s is not in WAL mode (%s); start the kiosk once "
		    "first", path, val);
		goto fail;
	}
	if (pragma_text(d->db, "PRAGMA user_version", val, sizeof(val)) < 0) {
		snprintf(err, errlen, "cannot read the store %s: %s", path, sqlite3_errmsg(d->db));
		goto fail;
	}
	v = (int)strtol(val, NULL, 10);                 /* SQLite's own decimal output */
	if (v != STORE_SCHEMA_VERSION) {
		snprintf(err, errlen, "the store %s has schema version %d, this agent knows %d: %s",
		    path, v, STORE_SCHEMA_VERSION, v < STORE_SCHEMA_VERSION ?
		    "start the kiosk once first" : "install the same Presentie version as the kiosk");
		goto fail;
	}
	if (sqlite3_exec(d->db, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF",
	    NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot configure the store connection: %s", sqlite3_errmsg(d->db));
		goto fail;
	}
	for (i = 0; i < Q_COUNT; i++) {
		if (sqlite3_prepare_v3(d->db, k_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &d->q[i],
		    NULL) != SQLITE_OK) {
			snprintf(err, errlen, "the store %s does not have the expected tables (%s)",
			    path, sqlite3_errmsg(d->db));
			goto fail;
		}
	}
	*out = d;
	return 0;
fail:
	agent_db_close(d);
	return -1;
}

void agent_db_close(struct agent_db *d)
{
	int i;

	if (d == NULL)
		return;
	for (i = 0; i < Q_COUNT; i++)
		sqlite3_finalize(d->q[i]);
	sqlite3_close_v2(d->db);
	free(d);
}

/* --- meta -------------------------------------------------------------------- */

int agent_db_meta_get(struct agent_db *d, const char *key, char *buf, size_t len)
{
	sqlite3_stmt *s = stmt(d, Q_META_GET);
	int rc, n;

	buf[0] = '\0';
	if (strcmp(key, AGENT_META_CURSOR) == 0)       /* lives in sync_state */
		s = stmt(d, Q_CURSOR_GET);
	else
		sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return 1;
	}
	if (rc != SQLITE_ROW) {
		note(d, "reading meta");
		sqlite3_reset(s);
		return -1;
	}
	n = sqlite3_column_bytes(s, 0);
	if (sqlite3_column_text(s, 0) == NULL || (size_t)n >= len) {
		snprintf(d->err, sizeof(d->err), "meta %s: value missing or too long", key);
		sqlite3_reset(s);
		return -1;
	}
	memcpy(buf, sqlite3_column_text(s, 0), (size_t)n + 1);
	sqlite3_reset(s);
	return 0;
}

/* Within a transaction. */
static int meta_put(struct agent_db *d, const char *key, const char *value)
{
	sqlite3_stmt *s;

	if (strcmp(key, AGENT_META_CURSOR) == 0) {
		s = stmt(d, Q_CURSOR_SET);
		sqlite3_bind_text(s, 1, value ? value : "", -1, SQLITE_STATIC);
	} else if (value == NULL) {
		s = stmt(d, Q_META_DEL);
		sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	} else {
		s = stmt(d, Q_META_SET);
		sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
	}
	return run(d, s, "writing meta");
}

/* The sync_state row mirrors the meta keys the kiosk's status line reads. */
static int state_put(struct agent_db *d, const char *const *kv, size_t n)
{
	const char *err = NULL, *waiting = NULL, *ok = NULL;
	sqlite3_stmt *s;
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(kv[2 * i], AGENT_META_LAST_ERROR) == 0)
			err = kv[2 * i + 1];
		else if (strcmp(kv[2 * i], AGENT_META_WAITING) == 0)
			waiting = kv[2 * i + 1];
		else if (strcmp(kv[2 * i], AGENT_META_LAST_OK) == 0)
			ok = kv[2 * i + 1];
	}
	if (waiting == NULL || err == NULL)
		return 0;
	if (err[0] == '\0' && ok != NULL) {
		s = stmt(d, Q_STATE_OK);
		sqlite3_bind_int64(s, 1, now_ms());
		sqlite3_bind_int64(s, 2, strtoll(waiting, NULL, 10));
	} else {
		s = stmt(d, Q_STATE_ERR);
		sqlite3_bind_text(s, 1, err, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, now_ms());
		sqlite3_bind_int64(s, 3, strtoll(waiting, NULL, 10));
	}
	return run(d, s, "writing sync_state");
}

int agent_db_meta_set(struct agent_db *d, const char *const *kv, size_t n)
{
	size_t i;

	if (begin(d, 1) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (meta_put(d, kv[2 * i], kv[2 * i + 1]) < 0)
			goto fail;
	if (state_put(d, kv, n) < 0)
		goto fail;
	return commit(d);
fail:
	rollback(d);
	return -1;
}

/* --- events -------------------------------------------------------------------- */

static void col_text(sqlite3_stmt *s, int col, char *buf, size_t len)
{
	const unsigned char *t = sqlite3_column_text(s, col);

	snprintf(buf, len, "%s", t ? (const char *)t : "");
}

void agent_events_clear(struct agent_event *evs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(evs[i].payload);
		evs[i].payload = NULL;
	}
}

int agent_db_read_batch(struct agent_db *d, int64_t after, size_t max,
    struct agent_event *evs, size_t *n)
{
	sqlite3_stmt *s;
	struct agent_event *e;
	const unsigned char *p;
	int rc = SQLITE_DONE;

	*n = 0;
	if (begin(d, 0) < 0)
		return -1;
	s = stmt(d, Q_BATCH);
	sqlite3_bind_int64(s, 1, after);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)max);
	while (*n < max && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		e = &evs[*n];
		memset(e, 0, sizeof(*e));
		e->seq = sqlite3_column_int64(s, 0);
		col_text(s, 1, e->uuid, sizeof(e->uuid));
		col_text(s, 2, e->kind, sizeof(e->kind));
		col_text(s, 3, e->person_id, sizeof(e->person_id));
		col_text(s, 4, e->session_id, sizeof(e->session_id));
		col_text(s, 5, e->role, sizeof(e->role));
		p = sqlite3_column_text(s, 6);
		if (p != NULL && (e->payload = strdup((const char *)p)) == NULL) {
			snprintf(d->err, sizeof(d->err), "out of memory");
			goto fail;
		}
		e->wall_ms = sqlite3_column_int64(s, 7);
		col_text(s, 8, e->boot_id, sizeof(e->boot_id));
		e->boottime_ns = sqlite3_column_int64(s, 9);
		e->clock_synced = sqlite3_column_int(s, 10) != 0;
		(*n)++;
	}
	if (*n < max && rc != SQLITE_DONE) {
		note(d, "reading events");
		goto fail;
	}
	sqlite3_reset(s);
	if (commit(d) < 0) {
		agent_events_clear(evs, *n);
		*n = 0;
		return -1;
	}
	return 0;
fail:
	sqlite3_reset(s);
	agent_events_clear(evs, *n);
	*n = 0;
	rollback(d);
	return -1;
}

int agent_db_mark_delivered(struct agent_db *d, int64_t acked_seq)
{
	sqlite3_stmt *s;

	if (begin(d, 1) < 0)
		return -1;
	s = stmt(d, Q_MARK);
	sqlite3_bind_int64(s, 1, acked_seq);
	sqlite3_bind_int64(s, 2, now_ms());
	if (run(d, s, "marking delivered") < 0) {
		rollback(d);
		return -1;
	}
	return commit(d);
}

int agent_db_unmark_after(struct agent_db *d, int64_t acked_seq)
{
	sqlite3_stmt *s;

	if (begin(d, 1) < 0)
		return -1;
	s = stmt(d, Q_UNMARK);
	sqlite3_bind_int64(s, 1, acked_seq);
	if (run(d, s, "re-queueing events") < 0) {
		rollback(d);
		return -1;
	}
	return commit(d);
}

int agent_db_pending(struct agent_db *d, int64_t *count, int64_t *first_seq)
{
	sqlite3_stmt *s = stmt(d, Q_PENDING);
	int rc = sqlite3_step(s);

	if (rc != SQLITE_ROW) {
		note(d, "counting events");
		sqlite3_reset(s);
		return -1;
	}
	*count = sqlite3_column_int64(s, 0);
	*first_seq = sqlite3_column_int64(s, 1);
	sqlite3_reset(s);
	return 0;
}

/* --- changes ---------------------------------------------------------------------- */

static int bind_mac(sqlite3_stmt *s, int col, const char *hex, uint8_t mac[PR_MAC_BYTES])
{
	if (cred_unhex(hex, mac, PR_MAC_BYTES) < 0)
		return -1;
	return sqlite3_bind_blob(s, col, mac, PR_MAC_BYTES, SQLITE_STATIC) == SQLITE_OK ? 0 : -1;
}

static int text_or_null(sqlite3_stmt *s, int col, const char *v)
{
	return v[0] ? sqlite3_bind_text(s, col, v, -1, SQLITE_STATIC) : sqlite3_bind_null(s, col);
}

/* Delete everything of one person (tombstone). */
static int erase_person(struct agent_db *d, const char *id)
{
	static const enum q steps[] = { Q_TOMB_CREDS, Q_TOMB_ENROL, Q_TOMB_ASSIGN, Q_TOMB_PERSON };
	sqlite3_stmt *s;
	size_t i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		s = stmt(d, steps[i]);
		sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
		if (run(d, s, "erasing a person") < 0)
			return -1;
	}
	return 0;
}

static int apply_rows(struct agent_db *d, const struct agent_page *p, const char *loc_id)
{
	uint8_t mac[PR_MAC_BYTES];
	sqlite3_stmt *s;
	size_t i;

	for (i = 0; i < p->n_people; i++) {
		const struct agent_person *r = &p->people[i];
		s = stmt(d, Q_PERSON_UP);
		sqlite3_bind_text(s, 1, r->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, r->display_name, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, r->first_name, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, r->lang, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 5, r->coordinator);
		if (run(d, s, "people") < 0)
			return -1;
	}
	for (i = 0; i < p->n_programmes; i++) {
		s = stmt(d, Q_PROG_UP);
		sqlite3_bind_text(s, 1, p->programmes[i].id, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, p->programmes[i].title, -1, SQLITE_STATIC);
		if (run(d, s, "programmes") < 0)
			return -1;
	}
	for (i = 0; i < p->n_sessions; i++) {
		const struct agent_session *r = &p->sessions[i];
		if (r->cancelled) {
			s = stmt(d, Q_SESSION_DEL_ASSIGN);
			sqlite3_bind_text(s, 1, r->id, -1, SQLITE_STATIC);
			if (run(d, s, "sessions") < 0)
				return -1;
			s = stmt(d, Q_SESSION_DEL);
			sqlite3_bind_text(s, 1, r->id, -1, SQLITE_STATIC);
		} else {
			s = stmt(d, Q_SESSION_UP);
			sqlite3_bind_text(s, 1, r->id, -1, SQLITE_STATIC);
			text_or_null(s, 2, r->programme_id);
			sqlite3_bind_text(s, 3, r->title, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 4, loc_id, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 5, r->room, -1, SQLITE_STATIC);
			sqlite3_bind_int64(s, 6, r->start);
			sqlite3_bind_int64(s, 7, r->end);
			sqlite3_bind_int(s, 8, r->kind);
		}
		if (run(d, s, "sessions") < 0)
			return -1;
	}
	for (i = 0; i < p->n_creds; i++) {
		const struct agent_cred *r = &p->creds[i];
		s = stmt(d, r->active ? Q_CRED_UP : Q_CRED_DEL);
		if (r->active) {
			sqlite3_bind_text(s, 1, r->person_id, -1, SQLITE_STATIC);
			sqlite3_bind_int(s, 2, r->kind);
			if (bind_mac(s, 3, r->mac_hex, mac) < 0)
				return -1;
		} else {
			sqlite3_bind_int(s, 1, r->kind);
			if (bind_mac(s, 2, r->mac_hex, mac) < 0)
				return -1;
		}
		if (run(d, s, "credentials") < 0)
			return -1;
	}
	for (i = 0; i < p->n_enrolments; i++) {
		const struct agent_enrolment *r = &p->enrolments[i];
		s = stmt(d, r->active ? Q_ENROL_UP : Q_ENROL_DEL);
		sqlite3_bind_text(s, 1, r->programme_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, r->person_id, -1, SQLITE_STATIC);
		if (run(d, s, "enrolments") < 0)
			return -1;
	}
	for (i = 0; i < p->n_assignments; i++) {
		const struct agent_assignment *r = &p->assignments[i];
		if (r->active) {
			s = stmt(d, Q_ROLE_UP);
			sqlite3_bind_text(s, 1, r->role, -1, SQLITE_STATIC);
			if (run(d, s, "roles") < 0)
				return -1;
		}
		s = stmt(d, r->active ? Q_ASSIGN_UP : Q_ASSIGN_DEL);
		sqlite3_bind_text(s, 1, r->session_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, r->person_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, r->role, -1, SQLITE_STATIC);
		if (run(d, s, "assignments") < 0)
			return -1;
	}
	for (i = 0; i < p->n_tombstones; i++)
		if (erase_person(d, p->tombstones[i].person_id) < 0)
			return -1;
	return 0;
}

/* The hub's pending card link for this kiosk into meta (kiosk/model.c reads
 * it); a page without the key (an older hub) leaves it alone. */
static int put_card_link(struct agent_db *d, const struct agent_page *p)
{
	char val[PR_ID_MAX + 24];
	int n;

	if (!p->has_card_link)
		return 0;
	if (p->card_link_person[0] == '\0')
		return meta_put(d, AGENT_META_CARD_LINK, NULL);
	n = snprintf(val, sizeof(val), "%lld %s", (long long)p->card_link_expires,
	    p->card_link_person);
	if (n < 0 || (size_t)n >= sizeof(val)) {
		snprintf(d->err, sizeof(d->err), "card_link: value too long");
		return -1;
	}
	return meta_put(d, AGENT_META_CARD_LINK, val);
}

int agent_db_apply_page(struct agent_db *d, const struct agent_page *p,
    char *err, size_t errlen)
{
	char loc[PR_ID_MAX];

	if (p->has_location) {
		snprintf(loc, sizeof(loc), "%s", p->location_id);
	} else if (agent_db_meta_get(d, AGENT_META_LOC_ID, loc, sizeof(loc)) != 0) {
		snprintf(err, errlen, "the store has no location id (enrol first)");
		return -1;
	}
	if (begin(d, 1) < 0)
		goto fail;
	if (apply_rows(d, p, loc) < 0 || put_card_link(d, p) < 0 ||
	    meta_put(d, AGENT_META_CURSOR, p->cursor) < 0)
		goto fail;
	if (p->has_location &&
	    (meta_put(d, AGENT_META_LOC_ID, p->location_id) < 0 ||
	     (p->location_name[0] && meta_put(d, AGENT_META_LOC_NAME, p->location_name) < 0) ||
	     (p->location_tz[0] && meta_put(d, AGENT_META_LOC_TZ, p->location_tz) < 0)))
		goto fail;
	if (commit(d) < 0)
		goto fail;
	return 0;
fail:
	rollback(d);
	snprintf(err, errlen, "%s", agent_db_errmsg(d));
	return -1;
}
