/* schema_dash.c — the dashboard's own tables, migrated after the hub's
 * (schema_core.c) with versions from HUB_SCHEMA_DASH_BASE in the same
 * schema_migrations table: browser sessions with their CSRF token, org
 * admins, roles with default slots, slots per session, follow-up marks,
 * pending card links, kiosk status reports and the audit log (with the
 * number of rows a download sent, 1002).
 * Must not: change the hub's tables beyond adding indexes. */
#include "hub/db/schema.h"

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

/* 1002: how many rows a download sent (-1: not a download) */
#define DASH_AUDIT_ROWS "ALTER TABLE audit_log ADD COLUMN row_count BIGINT NOT NULL DEFAULT -1;"

static const char *const mig_sqlite[] = {
	DASH_TABLES("INTEGER PRIMARY KEY"),
	DASH_AUDIT_ROWS,
};
static const char *const mig_pg[] = {
	DASH_TABLES("BIGSERIAL PRIMARY KEY"),
	DASH_AUDIT_ROWS,
};
const struct hub_migration_set hub_schema_dash = {
	.name = "dashboard", .base = HUB_SCHEMA_DASH_BASE,
	.sqlite = mig_sqlite, .pg = mig_pg,
	.n = (int)(sizeof(mig_sqlite) / sizeof(mig_sqlite[0])),
};
