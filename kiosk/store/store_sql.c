/* store_sql.c — every statement the kiosk and the sync agent run on the kiosk
 * store, in one table indexed by enum store_stmt_id (store_int.h). Besides
 * it only the migrations (store_schema.c), the demo seeding (store_demo.c)
 * and the open-time pragmas (store.c) hold SQL: a schema change is reviewed
 * against these files, all in kiosk/store/.
 * Must not: hold state or logic; the files named in store_int.h run these. */
#include "store_int.h"

#define LOCATION_FILTER(col) \
	"(NOT EXISTS (SELECT 1 FROM meta WHERE key = 'location_id') OR " col \
	" = (SELECT value FROM meta WHERE key = 'location_id'))"

const char *const store_sql[SQ_COUNT] = {
	/* transactions */
	[SQ_BEGIN] = "BEGIN IMMEDIATE",
	[SQ_BEGIN_READ] = "BEGIN DEFERRED",
	[SQ_COMMIT] = "COMMIT",
	[SQ_ROLLBACK] = "ROLLBACK",

	/* key/value state and the sync_state row */
	[SQ_META_GET] = "SELECT value FROM meta WHERE key = ?1",
	[SQ_META_SET] = "INSERT INTO meta (key, value) VALUES (?1, ?2) "
		"ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	[SQ_META_DEL] = "DELETE FROM meta WHERE key = ?1",
	[SQ_CURSOR_GET] = "SELECT cursor FROM sync_state WHERE id = 1",
	[SQ_CURSOR_SET] = "UPDATE sync_state SET cursor = ?1 WHERE id = 1",
	[SQ_STATE_OK] = "UPDATE sync_state SET last_ok = ?1, last_error = NULL, "
		"waiting = ?2 WHERE id = 1",
	[SQ_STATE_ERR] = "UPDATE sync_state SET last_error = ?1, last_error_at = ?2, "
		"waiting = ?3 WHERE id = 1",

	/* master data reads */
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
	[SQ_SESSION_OPEN] = "SELECT EXISTS (SELECT 1 FROM sessions s "
		"WHERE s.start_utc <= ?1 + ?2 AND s.end_utc >= ?1 AND "
		LOCATION_FILTER("s.location_id") ")",
	[SQ_ROSTER_BETWEEN] = "SELECT r.session_id, s.start_utc, r.role, p.first_name "
		"FROM role_assignments r JOIN sessions s ON s.id = r.session_id "
		"JOIN people p ON p.id = r.person_id "
		"WHERE s.start_utc >= ?1 AND s.start_utc < ?2 AND "
		LOCATION_FILTER("s.location_id")
		" ORDER BY s.start_utc, r.role, p.first_name, p.id LIMIT ?3",

	/* the event log */
	/* the person's latest check of this kiosk (by seq) or of a peer (by
	 * time), whichever is later; on a tie this kiosk's own */
	[SQ_LAST_CHECK] = "SELECT kind, at_ms, sess FROM ("
		"SELECT * FROM (SELECT kind, wall_ms AS at_ms, coalesce(session_id, '') AS sess, "
		"1 AS own FROM events WHERE person_id = ?1 AND kind IN ('check_in', "
		"'check_out', 'drop_in') AND wall_ms >= ?2 ORDER BY seq DESC LIMIT 1) "
		"UNION ALL "
		"SELECT * FROM (SELECT kind, t_ms, coalesce(session_id, ''), 0 FROM peer_taps "
		"WHERE person_id = ?1 AND kind IN ('check_in', 'check_out', 'drop_in') "
		"AND t_ms >= ?2 AND t_ms <= ?3 ORDER BY t_ms DESC LIMIT 1)) "
		"ORDER BY at_ms DESC, own DESC LIMIT 1",
	[SQ_NEXT_SEQ] = "SELECT coalesce(max(seq), 0) + 1 FROM events",
	[SQ_EVENT_INSERT] = "INSERT INTO events (uuid, seq, kind, person_id, "
		"session_id, role, payload, wall_ms, boot_id, boottime_ns, clock_synced) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	/* people (guests: each event) checked in here or at a peer kiosk */
	[SQ_HEADCOUNT] = "SELECT count(DISTINCT coalesce(person_id, uuid)) FROM ("
		"SELECT person_id, uuid FROM events WHERE session_id = ?1 "
		"AND kind IN ('check_in', 'guest') UNION ALL "
		"SELECT person_id, uuid FROM peer_taps WHERE session_id = ?1 "
		"AND kind IN ('check_in', 'guest'))",

	/* delivery state of the event log */
	[SQ_OUTBOX_READ] = "SELECT seq, uuid, kind, person_id, session_id, role, payload, "
		"wall_ms, boot_id, boottime_ns, clock_synced FROM events "
		"WHERE delivered = 0 AND seq > ?1 ORDER BY seq LIMIT ?2",
	[SQ_OUTBOX_MARK] = "UPDATE events SET delivered = 1, delivered_at = ?2 "
		"WHERE delivered = 0 AND seq <= ?1",
	[SQ_OUTBOX_UNMARK] = "UPDATE events SET delivered = 0, delivered_at = NULL "
		"WHERE delivered = 1 AND seq > ?1",
	[SQ_OUTBOX_PENDING] = "SELECT count(*), coalesce(min(seq), 0) FROM events "
		"WHERE delivered = 0",
	/* never the newest event: the next seq is max(seq) + 1 (SQ_NEXT_SEQ) */
	[SQ_OUTBOX_PURGE] = "DELETE FROM events WHERE delivered = 1 AND wall_ms < ?1 "
		"AND coalesce(delivered_at, 0) < ?1 "
		"AND seq < (SELECT max(seq) FROM events)",
	/* only if seq ?1 + 1 is here and delivered: the hub lost what we sent */
	[SQ_OUTBOX_REQUEUE] = "UPDATE events SET delivered = 0, delivered_at = NULL "
		"WHERE delivered = 1 AND seq > ?1 AND EXISTS (SELECT 1 FROM events "
		"WHERE seq = ?1 + 1 AND delivered = 1)",

	/* a pulled changes page */
	[SQ_PERSON_UP] = "INSERT INTO people (id, display_name, first_name, lang, "
		"is_coordinator) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (id) DO UPDATE SET "
		"display_name = excluded.display_name, first_name = excluded.first_name, "
		"lang = excluded.lang, is_coordinator = excluded.is_coordinator",
	[SQ_CRED_UP] = "INSERT INTO credentials (person_id, kind, mac, active) "
		"VALUES (?1, ?2, ?3, 1) ON CONFLICT (kind, mac) DO UPDATE SET "
		"person_id = excluded.person_id, active = 1",
	[SQ_CRED_DEL] = "DELETE FROM credentials WHERE kind = ?1 AND mac = ?2",
	[SQ_PROG_UP] = "INSERT INTO programmes (id, title) VALUES (?1, ?2) "
		"ON CONFLICT (id) DO UPDATE SET title = excluded.title",
	[SQ_ENROL_UP] = "INSERT OR IGNORE INTO enrolments (programme_id, person_id) "
		"VALUES (?1, ?2)",
	[SQ_ENROL_DEL] = "DELETE FROM enrolments WHERE programme_id = ?1 AND person_id = ?2",
	[SQ_SESSION_UP] = "INSERT INTO sessions (id, programme_id, title, location_id, "
		"room, start_utc, end_utc, kind) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
		"ON CONFLICT (id) DO UPDATE SET programme_id = excluded.programme_id, "
		"title = excluded.title, location_id = excluded.location_id, "
		"room = excluded.room, start_utc = excluded.start_utc, "
		"end_utc = excluded.end_utc, kind = excluded.kind",
	[SQ_SESSION_DEL] = "DELETE FROM sessions WHERE id = ?1",
	[SQ_SESSION_DEL_ASSIGN] = "DELETE FROM role_assignments WHERE session_id = ?1",
	[SQ_ROLE_UP] = "INSERT OR IGNORE INTO roles (key, label) VALUES (?1, ?1)",
	[SQ_ASSIGN_UP] = "INSERT OR IGNORE INTO role_assignments (session_id, person_id, "
		"role) VALUES (?1, ?2, ?3)",
	[SQ_ASSIGN_DEL] = "DELETE FROM role_assignments WHERE session_id = ?1 AND "
		"person_id = ?2 AND role = ?3",
	[SQ_TOMB_CREDS] = "DELETE FROM credentials WHERE person_id = ?1",
	[SQ_TOMB_ENROL] = "DELETE FROM enrolments WHERE person_id = ?1",
	[SQ_TOMB_ASSIGN] = "DELETE FROM role_assignments WHERE person_id = ?1",
	[SQ_TOMB_PERSON] = "DELETE FROM people WHERE id = ?1",
	[SQ_TOMB_TAPS] = "DELETE FROM peer_taps WHERE person_id = ?1",

	/* the other kiosks' taps (store_apply.c) */
	[SQ_TAP_PUT] = "INSERT INTO peer_taps (uuid, kind, person_id, session_id, role, t_ms) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (uuid) DO UPDATE SET "
		"t_ms = excluded.t_ms WHERE t_ms IS NOT excluded.t_ms",
	[SQ_TAP_PURGE] = "DELETE FROM peer_taps WHERE t_ms < ?1",

	/* a newcomer the coordinator rejected (store_apply.c): the hub holds
	 * the event (it decided on it), so it is delivered, then gone */
	[SQ_REJECT_DELIVERED] = "UPDATE events SET delivered = 1, delivered_at = "
		"COALESCE(delivered_at, CAST(strftime('%s', 'now') AS INTEGER) * 1000) "
		"WHERE kind = 'person_registered' AND json_extract(payload, '$.id') = ?1 "
		"AND delivered = 0",
	[SQ_REJECT_DEL] = "DELETE FROM events WHERE kind = 'person_registered' AND "
		"json_extract(payload, '$.id') = ?1",
};
