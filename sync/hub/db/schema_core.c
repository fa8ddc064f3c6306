/* schema_core.c — the hub's core tables (versions from HUB_SCHEMA_CORE_BASE),
 * for both backends; migrate.c runs them. The tables are the same on both;
 * only types of generated keys differ. Every master-data row carries `chg`,
 * a value of its organisation's change counter (table org_changes since
 * migration 4; the global change_counter before), which makes GET
 * /v1/changes a simple "chg > cursor" scan. Booleans are INTEGER 0/1 on
 * both backends so the code reads them the same way.
 * Must not: hold queries of the API (they live with their handlers). */
#include "hub/db/schema.h"

#define COMMON_TABLES(SERIAL) \
	"CREATE TABLE change_counter (id INTEGER PRIMARY KEY CHECK (id = 1), value BIGINT NOT NULL);" \
	"INSERT INTO change_counter (id, value) VALUES (1, 0);" \
	"CREATE TABLE organisations (id TEXT PRIMARY KEY, name TEXT NOT NULL," \
	"  org_key TEXT NOT NULL, retention_days INTEGER NOT NULL DEFAULT 0, created_ms BIGINT NOT NULL);" \
	"CREATE TABLE locations (id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES organisations(id)," \
	"  name TEXT NOT NULL, timezone TEXT NOT NULL);" \
	"CREATE INDEX locations_org ON locations (org_id);" \
	"CREATE TABLE devices (id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES organisations(id)," \
	"  location_id TEXT NOT NULL REFERENCES locations(id), name TEXT NOT NULL DEFAULT ''," \
	"  token_hash TEXT UNIQUE, status TEXT NOT NULL DEFAULT 'pending'," \
	"  acked_seq BIGINT NOT NULL DEFAULT 0, last_seen_ms BIGINT, created_ms BIGINT NOT NULL);" \
	"CREATE TABLE enrol_codes (code_hash TEXT PRIMARY KEY, device_id TEXT NOT NULL REFERENCES devices(id)," \
	"  expires_ms BIGINT NOT NULL, used_ms BIGINT);" \
	"CREATE TABLE coordinators (id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES organisations(id)," \
	"  email TEXT NOT NULL UNIQUE, pwhash TEXT NOT NULL, created_ms BIGINT NOT NULL);" \
	"CREATE TABLE coord_tokens (token_hash TEXT PRIMARY KEY," \
	"  coordinator_id TEXT NOT NULL REFERENCES coordinators(id), org_id TEXT NOT NULL," \
	"  expires_ms BIGINT NOT NULL);" \
	"CREATE TABLE rate_limits (key TEXT PRIMARY KEY, window_ms BIGINT NOT NULL, count INTEGER NOT NULL);" \
	"CREATE TABLE idem_keys (device_id TEXT NOT NULL, key TEXT NOT NULL, body_hash TEXT NOT NULL," \
	"  state TEXT NOT NULL, status INTEGER NOT NULL DEFAULT 0, response TEXT, created_ms BIGINT NOT NULL," \
	"  PRIMARY KEY (device_id, key));" \
	"CREATE TABLE people (org_id TEXT NOT NULL REFERENCES organisations(id), id TEXT NOT NULL," \
	"  display_name TEXT NOT NULL, first_name TEXT NOT NULL, lang TEXT NOT NULL DEFAULT 'nl'," \
	"  consent_ms BIGINT, consent_version TEXT, coordinator INTEGER NOT NULL DEFAULT 0," \
	"  chg BIGINT NOT NULL, PRIMARY KEY (org_id, id));" \
	"CREATE INDEX people_chg ON people (org_id, chg);" \
	"CREATE TABLE credentials (org_id TEXT NOT NULL, mac TEXT NOT NULL, person_id TEXT NOT NULL," \
	"  kind TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1, chg BIGINT NOT NULL," \
	"  PRIMARY KEY (org_id, mac));" \
	"CREATE INDEX credentials_chg ON credentials (org_id, chg);" \
	"CREATE INDEX credentials_person ON credentials (org_id, person_id);" \
	"CREATE TABLE programmes (org_id TEXT NOT NULL, id TEXT NOT NULL, title TEXT NOT NULL," \
	"  chg BIGINT NOT NULL, PRIMARY KEY (org_id, id));" \
	"CREATE INDEX programmes_chg ON programmes (org_id, chg);" \
	"CREATE TABLE enrolments (org_id TEXT NOT NULL, person_id TEXT NOT NULL, programme_id TEXT NOT NULL," \
	"  active INTEGER NOT NULL DEFAULT 1, chg BIGINT NOT NULL," \
	"  PRIMARY KEY (org_id, person_id, programme_id));" \
	"CREATE INDEX enrolments_chg ON enrolments (org_id, chg);" \
	"CREATE INDEX enrolments_prog ON enrolments (org_id, programme_id);" \
	"CREATE TABLE sessions (org_id TEXT NOT NULL, id TEXT NOT NULL, programme_id TEXT," \
	"  location_id TEXT NOT NULL, title TEXT NOT NULL, room TEXT NOT NULL DEFAULT ''," \
	"  start_ms BIGINT NOT NULL, end_ms BIGINT NOT NULL, kind TEXT NOT NULL DEFAULT 'group'," \
	"  cancelled INTEGER NOT NULL DEFAULT 0, chg BIGINT NOT NULL, PRIMARY KEY (org_id, id));" \
	"CREATE INDEX sessions_chg ON sessions (org_id, chg);" \
	"CREATE INDEX sessions_loc ON sessions (location_id, start_ms);" \
	"CREATE TABLE assignments (org_id TEXT NOT NULL, session_id TEXT NOT NULL, person_id TEXT NOT NULL," \
	"  role TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1, chg BIGINT NOT NULL," \
	"  PRIMARY KEY (org_id, session_id, person_id, role));" \
	"CREATE INDEX assignments_chg ON assignments (org_id, chg);" \
	"CREATE INDEX assignments_person ON assignments (org_id, person_id);" \
	"CREATE TABLE tombstones (org_id TEXT NOT NULL, person_id TEXT NOT NULL, chg BIGINT NOT NULL," \
	"  erased_ms BIGINT NOT NULL, PRIMARY KEY (org_id, person_id));" \
	"CREATE INDEX tombstones_chg ON tombstones (org_id, chg);" \
	"CREATE TABLE events (id " SERIAL ", uuid TEXT NOT NULL UNIQUE," \
	"  device_id TEXT NOT NULL REFERENCES devices(id), seq BIGINT NOT NULL," \
	"  org_id TEXT NOT NULL, location_id TEXT NOT NULL, kind TEXT NOT NULL," \
	"  person_id TEXT, session_id TEXT, role TEXT, wall_ms BIGINT NOT NULL," \
	"  boot_id TEXT NOT NULL, boottime_ns BIGINT NOT NULL, clock_synced INTEGER NOT NULL," \
	"  payload TEXT NOT NULL, t_ms BIGINT NOT NULL, correction TEXT NOT NULL," \
	"  out_uuid TEXT, anonymised INTEGER NOT NULL DEFAULT 0, received_ms BIGINT NOT NULL," \
	"  UNIQUE (device_id, seq));" \
	"CREATE INDEX events_time ON events (org_id, t_ms);" \
	"CREATE INDEX events_boot ON events (device_id, boot_id, clock_synced, boottime_ns);" \
	"CREATE INDEX events_person ON events (org_id, person_id, session_id);"

/* 2: devices.max_seq, the highest seq held, so that acked_seq moves
 * without scanning events unless there is a gap (ingest.c). On PostgreSQL
 * also the foreign key events.device_id -> devices goes: its per-row check
 * (a trigger running SELECT ... FOR KEY SHARE per inserted event) was a
 * sixth of the server's time in the drain bench, and it guards nothing the
 * ingest does not: events are written only by ingest.c, inside the
 * transaction that holds the device row FOR UPDATE, and devices are never
 * deleted (revoked ones stay). SQLite keeps it (an in-process index probe). */
#define MIGRATION_2 \
	"ALTER TABLE devices ADD COLUMN max_seq BIGINT NOT NULL DEFAULT 0;" \
	"UPDATE devices SET max_seq = COALESCE((SELECT MAX(e.seq) FROM events e" \
	"  WHERE e.device_id = devices.id), 0);"

/* 3: accounts and limits (docs/SECURITY.md). hub_meta holds the hub's own
 * settings, first the secret of the rate limits' keyed hashes (made on
 * first use by svc/ratelimit.c). rate_limits is made anew: its keys were
 * the typed e-mail and client addresses (the open windows are forgotten
 * once, at the upgrade); now "class:" + HMAC-SHA256, with the class in a
 * column to bound each class. coord_tokens gets an index for revoking
 * every token of a coordinator. */
#define MIGRATION_3 \
	"CREATE TABLE hub_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);" \
	"DROP TABLE rate_limits;" \
	"CREATE TABLE rate_limits (key TEXT PRIMARY KEY, cls TEXT NOT NULL, window_ms BIGINT NOT NULL," \
	"  count INTEGER NOT NULL);" \
	"CREATE INDEX rate_limits_cls ON rate_limits (cls, window_ms);" \
	"CREATE INDEX coord_tokens_coord ON coord_tokens (coordinator_id);"

/* 4: one change counter per organisation (svc/change.c), so that the
 * /v1/changes cursor and the dashboard's Today ETag no longer show one
 * organisation when another is active. Every organisation starts at the
 * global counter's value now: every cursor already handed out is <= it and
 * every later change gets a larger number, so kiosks keep pulling from
 * where they were (nothing lost, nothing repeated). change_counter stays
 * (unused) for a hub binary of before this migration. Organisations made
 * later start at 0 (hub_chg_next adds their row). */
#define MIGRATION_4 \
	"CREATE TABLE org_changes (org_id TEXT PRIMARY KEY, value BIGINT NOT NULL);" \
	"INSERT INTO org_changes (org_id, value) SELECT o.id," \
	"  (SELECT c.value FROM change_counter c WHERE c.id = 1) FROM organisations o;"

/* 5: retention (svc/retention.c): the day the daily purge last ran, claimed
 * by one hub process of several (UPDATE ... WHERE last_ms <= now - a day). */
#define MIGRATION_5 \
	"CREATE TABLE retention_runs (id INTEGER PRIMARY KEY CHECK (id = 1), last_ms BIGINT NOT NULL);" \
	"INSERT INTO retention_runs (id, last_ms) VALUES (1, 0);"

/* 6: decisions taken with a wrong clock are revisited (svc/reeval.c,
 * PROTOCOL.md "Clock correction"). kind/session_id/role are the meaning
 * every report uses; when the hub re-decides an event after correcting its
 * time, orig_kind/orig_session_id/orig_role keep what the device said
 * (NULL: never re-decided) and reeval says what the re-decision was
 * ('check_in', 'drop_in', 'choose', 'check_out', 'kept'). clock_due marks
 * the rows whose t_ms the clock correction changed inside the running
 * ingest transaction (1; NULL otherwise, so it is never set after a commit):
 * the partial index holds only those, so finding them costs nothing in the
 * usual batch. local_day is the day number (days since 1970-01-01) of t_ms
 * in the location's zone, set at insert and whenever t_ms changes; NULL for
 * rows stored before this migration. */
#define MIGRATION_6 \
	"ALTER TABLE events ADD COLUMN orig_kind TEXT;" \
	"ALTER TABLE events ADD COLUMN orig_session_id TEXT;" \
	"ALTER TABLE events ADD COLUMN orig_role TEXT;" \
	"ALTER TABLE events ADD COLUMN reeval TEXT;" \
	"ALTER TABLE events ADD COLUMN clock_due INTEGER;" \
	"ALTER TABLE events ADD COLUMN local_day BIGINT;" \
	"CREATE INDEX events_clock_due ON events (device_id, id) WHERE clock_due = 1;"

/* 7: presences (reports/presence.h). What an organisation's volunteers
 * who did not check out count as: "session_end" (hours until the session's
 * end, flagged) or "no_hours" (flagged, no hours). events.anon_key keeps
 * an anonymised person's presence one presence (svc/presencekey.h); events
 * anonymised before this version each stay a presence of their own.
 * events_out finds the check-in a check-out closes (a presence without a
 * session, svc/presencekey.h); partial: most rows have no out_uuid. */
#define MIGRATION_7 \
	"ALTER TABLE organisations ADD COLUMN checkout_rule TEXT NOT NULL DEFAULT 'session_end';" \
	"ALTER TABLE events ADD COLUMN anon_key TEXT;" \
	"CREATE INDEX events_out ON events (out_uuid) WHERE out_uuid IS NOT NULL;"

/* 8: the tap relay (svc/relay.c): a kiosk's pull reads the events of its
 * location after its tap cursor, "location_id = L AND id > C ORDER BY id",
 * one index range that is empty when nothing new came in. */
#define MIGRATION_8 \
	"CREATE INDEX IF NOT EXISTS events_location_id ON events (location_id, id);"

/* 9: newcomers who registered themselves at a kiosk (PROTOCOL.md
 * "Newcomers", svc/ingest.c, dash/dash_registrations.c). A row is made
 * from a person_registered event and waits ('pending') until a coordinator
 * approves it (the person and the card credential are made; 'approved') or
 * rejects it ('rejected': names, card MAC and the event's payload are
 * blanked, so nothing identifying stays). id is the person id the kiosk
 * drew, also the person's id once approved. */
#define MIGRATION_9 \
	"CREATE TABLE registrations (org_id TEXT NOT NULL, id TEXT NOT NULL, event_uuid TEXT NOT NULL," \
	"  device_id TEXT NOT NULL, location_id TEXT NOT NULL, display_name TEXT NOT NULL," \
	"  first_name TEXT NOT NULL, lang TEXT NOT NULL, consent_version TEXT NOT NULL," \
	"  consent_ms BIGINT NOT NULL, card_mac TEXT, status TEXT NOT NULL DEFAULT 'pending'," \
	"  received_ms BIGINT NOT NULL, decided_ms BIGINT, PRIMARY KEY (org_id, id));" \
	"CREATE INDEX registrations_status ON registrations (org_id, status, received_ms);"

/* 10: private calendar feeds and no-show reminders (issue 12). ical_feeds:
 * one live link per person or programme (kind 'person' | 'programme'),
 * only the SHA-256 of its token stored; revoking deletes the row, re-issuing
 * replaces it. reminders: at most one per no-show per session (the primary
 * key makes sending idempotent); state 'sending' (claimed), 'sent', or
 * 'failed' (may be tried again). contact_email: where a no-show's reminder
 * goes, the programme's if set, else the organisation's. */
#define MIGRATION_10 \
	"CREATE TABLE ical_feeds (token_hash TEXT PRIMARY KEY, org_id TEXT NOT NULL," \
	"  kind TEXT NOT NULL, target_id TEXT NOT NULL, created_ms BIGINT NOT NULL," \
	"  coordinator_id TEXT NOT NULL);" \
	"CREATE UNIQUE INDEX ical_feeds_target ON ical_feeds (org_id, kind, target_id);" \
	"CREATE TABLE reminders (org_id TEXT NOT NULL, person_id TEXT NOT NULL, session_id TEXT NOT NULL," \
	"  to_addr TEXT NOT NULL, state TEXT NOT NULL, at_ms BIGINT NOT NULL, coordinator_id TEXT NOT NULL," \
	"  PRIMARY KEY (org_id, person_id, session_id));" \
	"ALTER TABLE organisations ADD COLUMN contact_email TEXT;" \
	"ALTER TABLE programmes ADD COLUMN contact_email TEXT;"

/* 11: whether newcomers may register at the organisation's kiosks
 * (organisations.newcomers, 0/1, off by default; a coordinator sets it on
 * the People page, dash/dash_registrations.c; every GET /v1/changes page
 * carries it). registrations.chg: the change counter value a rejection
 * took, so the registering kiosk learns on its pull to delete what it still
 * holds of the newcomer (PROTOCOL.md "Newcomers"). */
#define MIGRATION_11 \
	"ALTER TABLE organisations ADD COLUMN newcomers INTEGER NOT NULL DEFAULT 0;" \
	"ALTER TABLE registrations ADD COLUMN chg BIGINT;" \
	"CREATE INDEX registrations_chg ON registrations (org_id, chg) WHERE chg IS NOT NULL;"

/* 12: coarse fields a funder asks for (issue 14 point 15), optional and off
 * by default per organisation (organisations.funder_fields, 0/1), each only
 * with the person's consent (people.funder_consent_ms; NULL: none, and then
 * both fields are NULL): people.age_band (one of DASH_FUNDER_BANDS) and
 * people.postcode_area (4 digits, never the letters). dash/dash_funder.c. */
#define MIGRATION_12 \
	"ALTER TABLE organisations ADD COLUMN funder_fields INTEGER NOT NULL DEFAULT 0;" \
	"ALTER TABLE people ADD COLUMN age_band TEXT;" \
	"ALTER TABLE people ADD COLUMN postcode_area TEXT;" \
	"ALTER TABLE people ADD COLUMN funder_consent_ms BIGINT;"

/* 13: presence marked by hand on the dashboard (issue 14 point 14,
 * dash/dash_manual.c): events.manual is 0 for a kiosk's tap, 1 for a check-in
 * a coordinator entered ("handmatig aanwezig"), 2 for a forgotten check-out
 * a coordinator filled in. Such events come from the organisation's
 * pseudo-device (devices.status 'manual', no token: it never syncs), so the
 * one presence rule (reports/presence.h) and the tap relay count them like
 * any tap and every export flags them. */
#define MIGRATION_13 \
	"ALTER TABLE events ADD COLUMN manual INTEGER NOT NULL DEFAULT 0;"

/* 14: events_person gains t_ms (same prefix, so every (org, person[,
 * session]) lookup still uses it; one index replaced by one, so ingest
 * writes no more index entries): the attendance export asks whether a tap in
 * has an earlier tap of its presence (reports/export_att.c), and with t_ms
 * in the key that is a range from the presence's first tap, not a walk over
 * its taps in arrival order (quadratic for a presence of thousands of taps
 * that arrived in reverse time order). */
#define MIGRATION_14 \
	"DROP INDEX IF EXISTS events_person;" \
	"CREATE INDEX events_person ON events (org_id, person_id, session_id, t_ms);"

static const char *const migrations_sqlite[] = {
	COMMON_TABLES("INTEGER PRIMARY KEY"),
	MIGRATION_2,
	MIGRATION_3,
	MIGRATION_4,
	MIGRATION_5,
	MIGRATION_6,
	MIGRATION_7,
	MIGRATION_8,
	MIGRATION_9,
	MIGRATION_10,
	MIGRATION_11,
	MIGRATION_12,
	MIGRATION_13,
	MIGRATION_14,
};

static const char *const migrations_pg[] = {
	COMMON_TABLES("BIGSERIAL PRIMARY KEY"),
	MIGRATION_2 "ALTER TABLE events DROP CONSTRAINT IF EXISTS events_device_id_fkey;",
	MIGRATION_3,
	MIGRATION_4,
	MIGRATION_5,
	MIGRATION_6,
	MIGRATION_7,
	MIGRATION_8,
	MIGRATION_9,
	MIGRATION_10,
	MIGRATION_11,
	MIGRATION_12,
	MIGRATION_13,
	MIGRATION_14,
};

const struct hub_migration_set hub_schema_core = {
	.name = "hub", .base = HUB_SCHEMA_CORE_BASE,
	.sqlite = migrations_sqlite, .pg = migrations_pg,
	.n = (int)(sizeof(migrations_sqlite) / sizeof(migrations_sqlite[0])),
};
