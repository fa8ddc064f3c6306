/* store_schema.c — the kiosk store's schema as a list of migrations, applied
 * in order by PRAGMA user_version; each step runs in one transaction.
 * To change the schema append a step (never edit a released one), raise
 * STORE_SCHEMA_VERSION in store.h and adapt the statements in store_sql.c
 * (the kiosk's and the agent's alike); test_store checks every path to the end.
 * Must not: hold statements or state; know about the store's queries. */
#include <stdio.h>

#include "store_int.h"

/* Version 1: master data, the append-only event log, sync state. */
static const char store_migration_1[] =
	"CREATE TABLE meta ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL);"
	"CREATE TABLE people ("
	"  id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 63),"
	"  display_name TEXT NOT NULL CHECK (length(CAST(display_name AS BLOB)) < 128),"
	"  first_name TEXT NOT NULL CHECK (length(CAST(first_name AS BLOB)) < 128),"
	"  lang TEXT NOT NULL DEFAULT 'nl' CHECK (length(lang) BETWEEN 2 AND 7),"
	"  consent_date TEXT,"
	"  consent_version TEXT,"
	"  roles TEXT NOT NULL DEFAULT '',"
	"  is_coordinator INTEGER NOT NULL DEFAULT 0 CHECK (is_coordinator IN (0, 1)));"
	"CREATE TABLE credentials ("
	"  id INTEGER PRIMARY KEY,"
	"  person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
	"  kind INTEGER NOT NULL CHECK (kind IN (0, 1)),"       /* 0 card, 1 PIN */
	"  mac BLOB NOT NULL CHECK (typeof(mac) = 'blob' AND length(mac) = 32),"
	"  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
	"  UNIQUE (kind, mac));"
	"CREATE INDEX credentials_person ON credentials(person_id);"
	"CREATE TABLE programmes ("
	"  id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 63),"
	"  title TEXT NOT NULL);"
	"CREATE TABLE enrolments ("
	"  programme_id TEXT NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,"
	"  person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
	"  PRIMARY KEY (programme_id, person_id)) WITHOUT ROWID;"
	"CREATE INDEX enrolments_person ON enrolments(person_id);"
	"CREATE TABLE sessions ("
	"  id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 63),"
	"  programme_id TEXT REFERENCES programmes(id) ON DELETE CASCADE,"
	"  title TEXT NOT NULL,"
	"  location_id TEXT NOT NULL,"
	"  room TEXT NOT NULL DEFAULT '',"
	"  start_utc INTEGER NOT NULL,"
	"  end_utc INTEGER NOT NULL,"
	"  kind INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 3),"  /* rules_session_kind */
	"  CHECK (start_utc < end_utc));"
	"CREATE INDEX sessions_start ON sessions(start_utc);"
	"CREATE TABLE roles ("
	"  key TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 31),"
	"  label TEXT NOT NULL);"
	"CREATE TABLE role_assignments ("
	"  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,"
	"  person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
	"  role TEXT NOT NULL REFERENCES roles(key),"
	"  PRIMARY KEY (session_id, person_id, role)) WITHOUT ROWID;"
	"CREATE INDEX role_assignments_person ON role_assignments(person_id);"
	/* Events keep person and session ids as text without foreign keys: the
	 * hub may erase a person or drop an old session while an event about
	 * them still waits to be delivered. */
	"CREATE TABLE events ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
	"  seq INTEGER NOT NULL UNIQUE CHECK (seq >= 1),"
	"  kind TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 31),"
	"  person_id TEXT,"
	"  session_id TEXT,"
	"  role TEXT,"
	"  payload TEXT CHECK (payload IS NULL OR json_valid(payload)),"
	"  wall_ms INTEGER NOT NULL,"
	"  boot_id TEXT NOT NULL,"
	"  boottime_ns INTEGER NOT NULL,"
	"  clock_synced INTEGER NOT NULL CHECK (clock_synced IN (0, 1)),"
	"  delivered INTEGER NOT NULL DEFAULT 0 CHECK (delivered IN (0, 1)),"
	"  delivered_at INTEGER);"
	"CREATE INDEX events_person ON events(person_id, seq);"
	"CREATE INDEX events_session ON events(session_id);"
	"CREATE INDEX events_undelivered ON events(seq) WHERE delivered = 0;"
	"CREATE TRIGGER events_append_only BEFORE UPDATE ON events"
	"  WHEN NEW.id IS NOT OLD.id OR NEW.uuid IS NOT OLD.uuid"
	"    OR NEW.seq IS NOT OLD.seq OR NEW.kind IS NOT OLD.kind"
	"    OR NEW.person_id IS NOT OLD.person_id OR NEW.session_id IS NOT OLD.session_id"
	"    OR NEW.role IS NOT OLD.role OR NEW.payload IS NOT OLD.payload"
	"    OR NEW.wall_ms IS NOT OLD.wall_ms OR NEW.boot_id IS NOT OLD.boot_id"
	"    OR NEW.boottime_ns IS NOT OLD.boottime_ns"
	"    OR NEW.clock_synced IS NOT OLD.clock_synced"
	"  BEGIN SELECT RAISE(ABORT, 'events are append-only: only delivery state may change'); END;"
	"CREATE TRIGGER events_keep_undelivered BEFORE DELETE ON events"
	"  WHEN OLD.delivered = 0"
	"  BEGIN SELECT RAISE(ABORT, 'an undelivered event cannot be deleted'); END;"
	"CREATE TABLE sync_state ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  cursor TEXT NOT NULL DEFAULT '',"
	"  last_ok INTEGER,"                   /* UTC ms of the last good exchange */
	"  last_error TEXT,"
	"  last_error_at INTEGER,"
	"  waiting INTEGER NOT NULL DEFAULT 0);"  /* undelivered events at last run */
	"INSERT INTO sync_state (id) VALUES (1);";

/* Version 2: the taps of the other kiosks of this location, relayed by the
 * hub on the agent's pull (sync/PROTOCOL.md "Taps of the other kiosks"),
 * so a person's last check-in counts at every kiosk of the location. Not
 * the kiosk's own events: never delivered, never counted as this device's.
 * t_ms is the hub's corrected time (UTC ms). Kept a day (store_apply.c). */
static const char store_migration_2[] =
	"CREATE TABLE peer_taps ("
	"  uuid TEXT PRIMARY KEY CHECK (length(uuid) = 36),"
	"  kind TEXT NOT NULL CHECK (kind IN ('check_in', 'check_out', 'guest', 'drop_in')),"
	"  person_id TEXT CHECK (person_id IS NULL OR length(person_id) BETWEEN 1 AND 63),"
	"  session_id TEXT CHECK (session_id IS NULL OR length(session_id) BETWEEN 1 AND 63),"
	"  role TEXT CHECK (role IS NULL OR length(role) BETWEEN 1 AND 31),"
	"  t_ms INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX peer_taps_person ON peer_taps(person_id, t_ms);"
	"CREATE INDEX peer_taps_session ON peer_taps(session_id);"
	"CREATE INDEX peer_taps_time ON peer_taps(t_ms);";

static const char *const store_migrations[] = {
	store_migration_1,
	store_migration_2,
	/* store_migration_3, ... append here */
};

_Static_assert(sizeof store_migrations / sizeof store_migrations[0] ==
    STORE_SCHEMA_VERSION, "one migration per schema version");

int store_exec(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	pr_errf(err, errlen, "%s", msg ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	return -1;
}

int store_schema_version(sqlite3 *db)
{
	sqlite3_stmt *s = NULL;
	int v = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

int store_schema_migrate(sqlite3 *db, int target, char *err, size_t errlen)
{
	char sql[64], why[256];
	int v = store_schema_version(db);

	if (v < 0) {
		pr_errf(err, errlen, "cannot read the schema version: %s",
		    sqlite3_errmsg(db));
		return -1;
	}
	if (v > STORE_SCHEMA_VERSION) {
		pr_errf(err, errlen, "the store has schema version %d, newer than this "
		    "program knows (%d): install the newer Presentie again", v,
		    STORE_SCHEMA_VERSION);
		return -1;
	}
	if (target > STORE_SCHEMA_VERSION)
		target = STORE_SCHEMA_VERSION;
	while (v < target) {
		int n = snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);

		if (n < 0 || (size_t)n >= sizeof sql)
			return -1;
		if (store_exec(db, "BEGIN IMMEDIATE", why, sizeof why) != 0)
			goto fail;
		if (store_exec(db, store_migrations[v], why, sizeof why) != 0 ||
		    store_exec(db, sql, why, sizeof why) != 0 ||
		    store_exec(db, "COMMIT", why, sizeof why) != 0) {
			store_exec(db, "ROLLBACK", NULL, 0);
			goto fail;
		}
		v++;
	}
	return 0;
fail:
	pr_errf(err, errlen, "migration to schema version %d failed: %s", v + 1, why);
	return -1;
}
