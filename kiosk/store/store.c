/* store.c — the kiosk's local SQLite store (store.h): opening with the
 * durability and integrity pragmas, the cached prepared statements, master
 * data queries and the append-only event log. Migrations live in
 * store_schema.c, demo seeding in store_demo.c.
 * Must not: see raw UIDs or PINs (only MACs arrive here), talk to the
 * network, or block longer than one short transaction. One handle is used by
 * one thread at a time (the statement cache is per handle). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clockinfo.h"
#include "store_int.h"
#include "uuid7.h"

#define LOCATION_FILTER(col) \
	"(NOT EXISTS (SELECT 1 FROM meta WHERE key = 'location_id') OR " col \
	" = (SELECT value FROM meta WHERE key = 'location_id'))"

static const char *const store_sql[SQ_COUNT] = {
	[SQ_META_GET] = "SELECT value FROM meta WHERE key = ?1",
	[SQ_META_SET] = "INSERT INTO meta (key, value) VALUES (?1, ?2) "
		"ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	[SQ_PERSON_BY_MAC] = "SELECT p.id, p.display_name, p.first_name, p.lang, "
		"p.is_coordinator FROM credentials c JOIN people p ON p.id = c.person_id "
		"WHERE c.kind = ?1 AND c.mac = ?2 AND c.active = 1",
	[SQ_PERSON_GET] = "SELECT id, display_name, first_name, lang, is_coordinator "
		"FROM people WHERE id = ?1",
	[SQ_PEOPLE_FIND] = "SELECT id, display_name, first_name, lang, is_coordinator "
		"FROM people WHERE display_name LIKE ?1 ESCAPE '\\' "
		"ORDER BY display_name COLLATE NOCASE, id LIMIT ?2",
	[SQ_SESSIONS_BETWEEN] = "SELECT s.id, coalesce(s.programme_id, ''), s.title, "
		"s.room, s.start_utc, s.end_utc, s.kind, "
		"CASE WHEN ?3 IS NULL THEN 0 ELSE EXISTS (SELECT 1 FROM enrolments e "
		"  WHERE e.programme_id = s.programme_id AND e.person_id = ?3) END, "
		"coalesce((SELECT min(r.role) FROM role_assignments r "
		"  WHERE r.session_id = s.id AND r.person_id = ?3), '') "
		"FROM sessions s WHERE s.start_utc < ?2 AND s.end_utc > ?1 AND "
		LOCATION_FILTER("s.location_id") " ORDER BY s.start_utc, s.id LIMIT ?4",
	[SQ_ROSTER_BETWEEN] = "SELECT r.session_id, s.start_utc, r.role, p.first_name "
		"FROM role_assignments r JOIN sessions s ON s.id = r.session_id "
		"JOIN people p ON p.id = r.person_id "
		"WHERE s.start_utc >= ?1 AND s.start_utc < ?2 AND "
		LOCATION_FILTER("s.location_id")
		" ORDER BY s.start_utc, r.role, p.first_name, p.id LIMIT ?3",
	[SQ_LAST_CHECK] = "SELECT kind, wall_ms, coalesce(session_id, '') FROM events "
		"WHERE person_id = ?1 AND kind IN ('check_in', 'check_out', 'drop_in') "
		"AND wall_ms >= ?2 ORDER BY seq DESC LIMIT 1",
	[SQ_NEXT_SEQ] = "SELECT coalesce(max(seq), 0) + 1 FROM events",
	[SQ_EVENT_INSERT] = "INSERT INTO events (uuid, seq, kind, person_id, "
		"session_id, role, payload, wall_ms, boot_id, boottime_ns, clock_synced) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[SQ_HEADCOUNT] = "SELECT count(DISTINCT coalesce(person_id, uuid)) FROM events "
		"WHERE session_id = ?1 AND kind IN ('check_in', 'guest')",
	[SQ_PENDING] = "SELECT count(*) FROM events WHERE delivered = 0",
	[SQ_BEGIN] = "BEGIN IMMEDIATE",
	[SQ_COMMIT] = "COMMIT",
	[SQ_ROLLBACK] = "ROLLBACK",
};

void store_errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	if (n < 0)
		err[0] = '\0';
}

sqlite3_stmt *store_stmt(struct store *st, enum store_stmt_id id)
{
	sqlite3_stmt *s = st->stmt[id];

	if (s == NULL) {
		if (sqlite3_prepare_v3(st->db, store_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
		    &s, NULL) != SQLITE_OK)
			return NULL;
		st->stmt[id] = s;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

/* Step a cached statement that returns no rows. 0 or -1. */
static int run(struct store *st, enum store_stmt_id id)
{
	sqlite3_stmt *s = store_stmt(st, id);
	int rc;

	if (s == NULL)
		return -1;
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Copy text column i into buf, cut at a UTF-8 boundary if it cannot fit. */
static void col_text(sqlite3_stmt *s, int i, char *buf, size_t size)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	size_t n = t ? (size_t)sqlite3_column_bytes(s, i) : 0;

	if (size == 0)
		return;
	if (n >= size) {
		n = size - 1;
		while (n > 0 && (t[n] & 0xc0) == 0x80)
			n--;
	}
	if (n > 0)
		memcpy(buf, t, n);
	buf[n] = '\0';
}

static void row_person(sqlite3_stmt *s, struct store_person *p)
{
	memset(p, 0, sizeof *p);
	col_text(s, 0, p->id, sizeof p->id);
	col_text(s, 1, p->display_name, sizeof p->display_name);
	col_text(s, 2, p->first_name, sizeof p->first_name);
	col_text(s, 3, p->lang, sizeof p->lang);
	p->is_coordinator = sqlite3_column_int(s, 4) != 0;
}

static int quick_check(sqlite3 *db, const char *path, char *err, size_t errlen)
{
	sqlite3_stmt *s = NULL;
	const char *why = NULL;
	char first[256] = "";
	int rc;

	rc = sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &s, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			const unsigned char *t = sqlite3_column_text(s, 0);

			if (t != NULL && strcmp((const char *)t, "ok") == 0) {
				sqlite3_finalize(s);
				return 0;
			}
			const char *m = t ? (const char *)t : "?";
			size_t o = 0;

			/* first problem only, on one line: "On tree page 45 cell 20: ..." */
			if (strncmp(m, "*** in database main ***\n", 25) == 0)
				m += 25;
			while (*m && *m != '\n' && o < sizeof first - 1)
				first[o++] = *m++;
			first[o] = '\0';
			why = first;
		}
	}
	if (why == NULL)
		why = sqlite3_errmsg(db);
	store_errf(err, errlen, "the store %s is damaged (%s). Stop the kiosk, move "
	    "the file aside (sqlite3 FILE .recover may rescue check-ins not yet sent) "
	    "and start again: it fetches its lists from the hub.", path, why);
	sqlite3_finalize(s);
	return -1;
}

/* A pragma that returns one text row; 0 if it equals want (case-insensitive). */
static int pragma_expect(sqlite3 *db, const char *sql, const char *want)
{
	sqlite3_stmt *s = NULL;
	int ok = 0;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(s, 0);

		ok = t != NULL && strcasecmp(t, want) == 0;
	}
	sqlite3_finalize(s);
	return ok ? 0 : -1;
}

int store_open(const char *path, struct store **out, char *err, size_t errlen)
{
	struct store *st;
	char why[512];

	*out = NULL;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	st = calloc(1, sizeof *st);
	if (st == NULL) {
		store_errf(err, errlen, "out of memory opening the store %s", path);
		return -1;
	}
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	    SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
		store_errf(err, errlen, "cannot open the store %s: %s", path,
		    st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
	if (quick_check(st->db, path, err, errlen) != 0)
		goto fail;
	if (pragma_expect(st->db, "PRAGMA journal_mode = WAL", "wal") != 0) {
		store_errf(err, errlen, "the store %s cannot use WAL mode: %s", path,
		    sqlite3_errmsg(st->db));
		goto fail;
	}
	if (store_exec(st->db, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON",
	    why, sizeof why) != 0 ||
	    pragma_expect(st->db, "PRAGMA foreign_keys", "1") != 0 ||
	    pragma_expect(st->db, "PRAGMA synchronous", "2") != 0) {
		store_errf(err, errlen, "the store %s: cannot set synchronous/foreign_keys",
		    path);
		goto fail;
	}
	if (store_schema_migrate(st->db, STORE_SCHEMA_VERSION, why, sizeof why) != 0) {
		store_errf(err, errlen, "the store %s: %s", path, why);
		goto fail;
	}
	*out = st;
	return 0;
fail:
	store_close(st);
	return -1;
}

void store_close(struct store *st)
{
	if (st == NULL)
		return;
	for (int i = 0; i < SQ_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	sqlite3_close(st->db);
	free(st);
}

int store_meta_get(struct store *st, const char *key, char *buf, size_t len)
{
	sqlite3_stmt *s;
	int rc;

	if (len == 0 || key == NULL)
		return -1;
	buf[0] = '\0';
	s = store_stmt(st, SQ_META_GET);
	if (s == NULL || sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return 1;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return -1;
	}
	if ((size_t)sqlite3_column_bytes(s, 0) >= len) {
		sqlite3_reset(s);
		return -1;                           /* never hand out a cut value */
	}
	col_text(s, 0, buf, len);
	sqlite3_reset(s);
	return 0;
}

int store_meta_set(struct store *st, const char *key, const char *value)
{
	sqlite3_stmt *s;
	int rc;

	if (key == NULL || value == NULL)
		return -1;
	s = store_stmt(st, SQ_META_SET);
	if (s == NULL || sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Run a person query bound to its first parameter(s): 0 found, 1 not. */
static int one_person(sqlite3_stmt *s, struct store_person *out)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW) {
		row_person(s, out);
		sqlite3_reset(s);
		return 0;
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 1 : -1;
}

int store_person_by_mac(struct store *st, enum store_cred_kind kind,
    const uint8_t mac[PR_MAC_BYTES], struct store_person *out)
{
	sqlite3_stmt *s = store_stmt(st, SQ_PERSON_BY_MAC);

	if (s == NULL || mac == NULL || sqlite3_bind_int(s, 1, (int)kind) != SQLITE_OK ||
	    sqlite3_bind_blob(s, 2, mac, PR_MAC_BYTES, SQLITE_STATIC) != SQLITE_OK)
		return -1;
	return one_person(s, out);
}

int store_person_get(struct store *st, const char *id, struct store_person *out)
{
	sqlite3_stmt *s = store_stmt(st, SQ_PERSON_GET);

	if (s == NULL || id == NULL ||
	    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC) != SQLITE_OK)
		return -1;
	return one_person(s, out);
}

int store_people_find(struct store *st, const char *needle,
    struct store_person *out, size_t max, size_t *n)
{
	char pat[2 * PR_NAME_MAX + 3];
	size_t o = 0;
	sqlite3_stmt *s;
	int rc;

	*n = 0;
	if (needle == NULL)
		return -1;
	if (strlen(needle) >= PR_NAME_MAX || max == 0)
		return 0;                          /* no name is that long */
	pat[o++] = '%';
	for (const char *p = needle; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			pat[o++] = '\\';
		pat[o++] = *p;
	}
	pat[o++] = '%';
	pat[o] = '\0';
	s = store_stmt(st, SQ_PEOPLE_FIND);
	if (s == NULL || sqlite3_bind_text(s, 1, pat, (int)o, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, (sqlite3_int64)max) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < max)
		row_person(s, &out[(*n)++]);
	sqlite3_reset(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

int store_sessions_between(struct store *st, int64_t from, int64_t to,
    const char *person_id, struct store_session *out, size_t max, size_t *n)
{
	sqlite3_stmt *s = store_stmt(st, SQ_SESSIONS_BETWEEN);
	int rc = SQLITE_DONE;

	*n = 0;
	if (s == NULL || sqlite3_bind_int64(s, 1, from) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, to) != SQLITE_OK ||
	    (person_id != NULL &&
	     sqlite3_bind_text(s, 3, person_id, -1, SQLITE_STATIC) != SQLITE_OK) ||
	    sqlite3_bind_int64(s, 4, (sqlite3_int64)max) != SQLITE_OK)
		return -1;
	while (*n < max && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_session *x = &out[(*n)++];

		memset(x, 0, sizeof *x);
		col_text(s, 0, x->id, sizeof x->id);
		col_text(s, 1, x->programme_id, sizeof x->programme_id);
		col_text(s, 2, x->title, sizeof x->title);
		col_text(s, 3, x->room, sizeof x->room);
		x->start = sqlite3_column_int64(s, 4);
		x->end = sqlite3_column_int64(s, 5);
		x->kind = sqlite3_column_int(s, 6);
		x->enrolled = sqlite3_column_int(s, 7) != 0;
		col_text(s, 8, x->role, sizeof x->role);
	}
	if (*n < max && rc != SQLITE_DONE) {
		sqlite3_reset(s);
		return -1;
	}
	sqlite3_reset(s);
	return 0;
}

int store_roster_between(struct store *st, int64_t from, int64_t to,
    struct store_assignment *out, size_t max, size_t *n)
{
	sqlite3_stmt *s = store_stmt(st, SQ_ROSTER_BETWEEN);
	int rc = SQLITE_DONE;

	*n = 0;
	if (s == NULL || sqlite3_bind_int64(s, 1, from) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, to) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 3, (sqlite3_int64)max) != SQLITE_OK)
		return -1;
	while (*n < max && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_assignment *x = &out[(*n)++];

		memset(x, 0, sizeof *x);
		col_text(s, 0, x->session_id, sizeof x->session_id);
		x->start = sqlite3_column_int64(s, 1);
		col_text(s, 2, x->role, sizeof x->role);
		col_text(s, 3, x->first_name, sizeof x->first_name);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

int store_last_check(struct store *st, const char *person_id, int64_t since,
    int *kind, int64_t *at, char *session_buf, size_t session_len)
{
	sqlite3_stmt *s = store_stmt(st, SQ_LAST_CHECK);
	int rc;

	*kind = 0;
	*at = 0;
	if (session_len > 0)
		session_buf[0] = '\0';
	if (s == NULL || person_id == NULL ||
	    sqlite3_bind_text(s, 1, person_id, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, since * 1000) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(s, 0);

		*kind = (k != NULL && strcmp(k, STORE_EV_CHECK_OUT) == 0) ? 2 : 1;
		*at = sqlite3_column_int64(s, 1) / 1000;
		col_text(s, 2, session_buf, session_len);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static int event_valid(const struct store_event_in *ev)
{
	if (ev == NULL || ev->kind == NULL)
		return 0;
	if (strlen(ev->kind) == 0 || strlen(ev->kind) >= STORE_KIND_MAX)
		return 0;
	for (const char *p = ev->kind; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || *p == '_'))
			return 0;
	if (ev->person_id != NULL && strlen(ev->person_id) >= PR_ID_MAX)
		return 0;
	if (ev->session_id != NULL && strlen(ev->session_id) >= PR_ID_MAX)
		return 0;
	if (ev->role != NULL && strlen(ev->role) >= PR_ROLE_MAX)
		return 0;
	if (ev->payload_json != NULL && strlen(ev->payload_json) > STORE_PAYLOAD_MAX)
		return 0;
	return 1;
}

static int bind_opt(sqlite3_stmt *s, int i, const char *v)
{
	return v ? sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(s, i);
}

int store_event_append(struct store *st, const struct store_event_in *ev,
    struct store_event_out *out)
{
	struct clockinfo ci;
	char uuid[PR_UUID_STR];
	sqlite3_stmt *s;
	int64_t seq, wall;
	int rc;

	if (!event_valid(ev))
		return -1;
	clockinfo_now(&ci);                       /* boot id "" if unreadable */
	wall = ev->wall_ms > 0 ? ev->wall_ms : ci.wall_ms;
	if (uuid7_make(wall, uuid) != 0)
		return -1;
	if (run(st, SQ_BEGIN) != 0)
		return -1;
	s = store_stmt(st, SQ_NEXT_SEQ);
	if (s == NULL || sqlite3_step(s) != SQLITE_ROW)
		goto fail;
	seq = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	s = store_stmt(st, SQ_EVENT_INSERT);
	if (s == NULL ||
	    sqlite3_bind_text(s, 1, uuid, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, seq) != SQLITE_OK ||
	    sqlite3_bind_text(s, 3, ev->kind, -1, SQLITE_STATIC) != SQLITE_OK ||
	    bind_opt(s, 4, ev->person_id) != SQLITE_OK ||
	    bind_opt(s, 5, ev->session_id) != SQLITE_OK ||
	    bind_opt(s, 6, ev->role) != SQLITE_OK ||
	    bind_opt(s, 7, ev->payload_json) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 8, wall) != SQLITE_OK ||
	    sqlite3_bind_text(s, 9, ci.boot_id, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 10, ci.boottime_ns) != SQLITE_OK ||
	    sqlite3_bind_int(s, 11, ci.synced ? 1 : 0) != SQLITE_OK)
		goto fail;
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		goto fail;
	if (run(st, SQ_COMMIT) != 0)
		goto fail;
	if (out != NULL) {
		memcpy(out->uuid, uuid, sizeof uuid);
		out->seq = seq;
	}
	return 0;
fail:
	run(st, SQ_ROLLBACK);
	return -1;
}

int store_headcount(struct store *st, const char *session_id, int *count)
{
	sqlite3_stmt *s = store_stmt(st, SQ_HEADCOUNT);
	int rc;

	*count = 0;
	if (s == NULL || session_id == NULL ||
	    sqlite3_bind_text(s, 1, session_id, -1, SQLITE_STATIC) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*count = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

int store_pending_count(struct store *st, int64_t *n)
{
	sqlite3_stmt *s = store_stmt(st, SQ_PENDING);
	int rc;

	*n = 0;
	if (s == NULL)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : -1;
}
