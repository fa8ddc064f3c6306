/* store_events.c — the append-only event log (store.h): appending one event
 * durably with its UUIDv7 and gap-free sequence, and the kiosk's reads of the
 * log together with the peers' relayed taps (a person's last check, a
 * session's headcount). Delivery state is store_outbox.c's.
 * Must not: update or delete an event (the schema's triggers refuse it). */
#include <stdint.h>
#include <string.h>

#include "clockinfo.h"
#include "store_int.h"
#include "uuid7.h"

int store_last_check(struct store *st, const char *person_id, int64_t since,
    int64_t until, int *kind, int64_t *at, char *session_buf, size_t session_len)
{
	sqlite3_stmt *s = store_stmt(st, SQ_LAST_CHECK);
	int64_t until_ms = until < INT64_MAX / 1000 ? until * 1000 + 999 : INT64_MAX;
	int rc;

	*kind = 0;
	*at = 0;
	if (session_len > 0)
		session_buf[0] = '\0';
	if (s == NULL || person_id == NULL ||
	    sqlite3_bind_text(s, 1, person_id, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, since * 1000) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 3, until_ms) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(s, 0);

		*kind = (k != NULL && strcmp(k, STORE_EV_CHECK_OUT) == 0) ? 2 : 1;
		*at = sqlite3_column_int64(s, 1) / 1000;
		store_col_text(s, 2, session_buf, session_len);
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

	if (!event_valid(ev))
		return -1;
	clockinfo_now(&ci);                       /* boot id "" if unreadable */
	wall = ev->wall_ms > 0 ? ev->wall_ms : ci.wall_ms;
	if (uuid7_make(wall, uuid) != 0)
		return -1;
	if (store_begin(st, 1) != 0)
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
	if (store_step(st, s, "appending an event") != 0)
		goto fail;
	if (store_commit(st) != 0)
		return -1;                           /* rolled back */
	if (out != NULL) {
		memcpy(out->uuid, uuid, sizeof uuid);
		out->seq = seq;
	}
	return 0;
fail:
	store_rollback(st);
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

