/* dash_schema.c — the dashboard's own tables, migrated after the hub's
 * (schema.c) with versions from DASH_SCHEMA_BASE in the same
 * schema_migrations table: browser sessions with their CSRF token, org
 * admins, roles with default slots, slots per session, follow-up marks,
 * pending card links, kiosk status reports and the audit log.
 * Must not: change the hub's tables beyond adding indexes. */
#include "hub/dash/dash.h"

#include <stdio.h>

#include "hub/db/db.h"

#define DASH_SCHEMA_BASE 1000

#define DASH_TABLES(SERIAL) \
	"CREATE TABLE dash_sessions (token_hash TEXT PRIMARY KEY, csrf_hash TEXT NOT NULL," \
	"  coordinator_id TEXT NOT NULL, org_id TEXT NOT NULL, expires_ms BIGINT NOT NULL);" \
	"CREATE TABLE dash_admins (coordinator_id TEXT PRIMARY KEY);" \
	"CREATE TABLE roles (org_id TEXT NOT NULL, role TEXT NOT NULL, label_nl TEXT NOT NULL," \
	"  label_en TEXT NOT NULL, default_slots INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (org_id, role));" \
	"CREATE TABLE session_slots (org_id TEXT NOT NULL, session_id TEXT NOT NULL, role TEXT NOT NULL," \
	"  slots INTEGER NOT NULL, PRIMARY KEY (org_id, session_id, role));" \
	"CREATE TABLE followup_marks (org_id TEXT NOT NULL, person_id TEXT NOT NULL," \
	"  session_id TEXT NOT NULL, contacted_ms BIGINT NOT NULL, coordinator_id TEXT NOT NULL," \
	"  PRIMARY KEY (org_id, person_id, session_id));" \
	"CREATE TABLE card_links (device_id TEXT PRIMARY KEY, org_id TEXT NOT NULL," \
	"  person_id TEXT NOT NULL, started_ms BIGINT NOT NULL, expires_ms BIGINT NOT NULL);" \
	"CREATE TABLE device_status (device_id TEXT PRIMARY KEY, waiting BIGINT," \
	"  clock_synced INTEGER, at_ms BIGINT NOT NULL);" \
	"CREATE TABLE audit_log (id " SERIAL ", org_id TEXT NOT NULL, at_ms BIGINT NOT NULL," \
	"  coordinator_id TEXT NOT NULL, email TEXT NOT NULL, action TEXT NOT NULL," \
	"  target TEXT NOT NULL, detail TEXT NOT NULL);" \
	"CREATE INDEX audit_org ON audit_log (org_id, id);" \
	"CREATE INDEX dash_events_session ON events (session_id, kind);" \
	"CREATE INDEX dash_sessions_org ON sessions (org_id, start_ms);"

static const char *const mig_sqlite[] = { DASH_TABLES("INTEGER PRIMARY KEY") };
static const char *const mig_pg[] = { DASH_TABLES("BIGSERIAL PRIMARY KEY") };
#define NMIG ((int)(sizeof(mig_sqlite) / sizeof(mig_sqlite[0])))

int dash_schema_migrate(struct hub_db *db, char *err, size_t errlen)
{
	int pg = hub_db_kind(db) == HUB_DB_PG;
	const char *const *mig = pg ? mig_pg : mig_sqlite;
	int64_t have = 0;
	int rc = HUB_DB_OK;

	if (pg && hub_db_exec(db, "SELECT pg_advisory_lock(7723402)", 0, NULL, NULL) != HUB_DB_OK)
		goto fail;
	for (int v = 1; v <= NMIG; v++) {
		rc = hub_db_begin(db, 1);
		if (rc != HUB_DB_OK)
			goto fail;
		rc = hub_db_int(db, "SELECT COUNT(*) FROM schema_migrations WHERE version = $1",
		    1, (struct hub_param[]){ HP_I(DASH_SCHEMA_BASE + v) }, &have);
		if (rc < 0)
			goto fail;
		if (have == 0) {
			rc = hub_db_exec_script(db, mig[v - 1]);
			if (rc == HUB_DB_OK)
				rc = hub_db_exec(db, "INSERT INTO schema_migrations (version, applied_ms)"
				    " VALUES ($1, 0)", 1, (struct hub_param[]){ HP_I(DASH_SCHEMA_BASE + v) }, NULL);
			if (rc != HUB_DB_OK)
				goto fail;
		}
		rc = hub_db_commit(db);
		if (rc != HUB_DB_OK)
			goto fail;
	}
	if (pg)
		(void)hub_db_exec(db, "SELECT pg_advisory_unlock(7723402)", 0, NULL, NULL);
	return 0;
fail:
	snprintf(err, errlen, "dashboard schema migration: %s", hub_db_errmsg(db));
	hub_db_rollback(db);
	if (pg)
		(void)hub_db_exec(db, "SELECT pg_advisory_unlock(7723402)", 0, NULL, NULL);
	return -1;
}
