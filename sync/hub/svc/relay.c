/* relay.c — see relay.h. One indexed range read per page (events by
 * location and id, core migration 8), filtered here so that the cursor also
 * passes the events it does not relay (this kiosk's own, enrolments, old or
 * anonymised ones): a fast pull that finds nothing new reads nothing.
 * Must not: write, or relay anything of another location or organisation. */
#include "hub/svc/relay.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/db/db.h"
#include "hub/svc/auth.h"

#define HUB_RELAY_AHEAD_MS (10LL * 60 * 1000)   /* a tap this far in the future is a wrong clock */

/* Where a fresh (or stale) cursor starts: before the smallest id among the
 * organisation's events of the relay window (index events_time), else
 * after the newest event. PostgreSQL gets the range read fenced off with
 * OFFSET 0: otherwise it walks the primary key from the oldest event looking
 * for the first match (57 ms instead of 2 ms on 200 000 events); SQLite
 * reads the covering index as it is (and has no OFFSET without LIMIT). */
static const char sql_start_sqlite[] =
	"SELECT COALESCE((SELECT MIN(id) - 1 FROM events WHERE org_id = $1 AND t_ms >= $2),"
	" (SELECT MAX(id) FROM events), 0)";
static const char sql_start_pg[] =
	"SELECT COALESCE((SELECT MIN(w.id) - 1 FROM (SELECT id FROM events WHERE org_id = $1"
	" AND t_ms >= $2 OFFSET 0) w), (SELECT MAX(id) FROM events), 0)";
static const char sql_max[] = "SELECT MAX(id) FROM events";
static const char sql_scan[] =
	"SELECT e.id, e.uuid, e.kind, COALESCE(e.person_id, ''), COALESCE(e.session_id, ''),"
	" COALESCE(e.role, ''), e.t_ms, e.received_ms, e.device_id, e.anonymised,"
	" CASE WHEN e.person_id IS NULL THEN 1 WHEN EXISTS (SELECT 1 FROM people p"
	"  WHERE p.org_id = e.org_id AND p.id = e.person_id AND p.consent_ms IS NOT NULL)"
	"  THEN 1 ELSE 0 END"
	" FROM events e WHERE e.location_id = $1 AND e.id > $2 AND e.org_id = $3"
	" ORDER BY e.id LIMIT $4";

static const char *const relayed[] = { "check_in", "check_out", "guest", "drop_in" };

static int digits(const char *s, const char *end)
{
	if (s == end || end - s > 19)
		return 0;
	for (; s < end; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

int hub_relay_cursor_parse(const char *s, int64_t *id, int64_t *issued_ms)
{
	const char *dot;
	char *end = NULL;
	long long a, b;

	*id = *issued_ms = 0;
	if (s == NULL || strlen(s) >= HUB_RELAY_CURSOR_MAX)
		return -1;
	if (strcmp(s, "0") == 0)
		return 0;
	dot = strchr(s, '.');
	if (dot == NULL || !digits(s, dot) || !digits(dot + 1, s + strlen(s)))
		return -1;
	errno = 0;
	a = strtoll(s, &end, 10);
	if (errno != 0 || end != dot)
		return -1;
	b = strtoll(dot + 1, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*id = a;
	*issued_ms = b;
	return 0;
}

static int is_relayed(const char *kind)
{
	for (size_t i = 0; i < sizeof(relayed) / sizeof(relayed[0]); i++)
		if (strcmp(kind, relayed[i]) == 0)
			return 1;
	return 0;
}

static json_t *text_or_null(const char *s)
{
	return s[0] ? json_string(s) : json_null();
}

/* One scanned row: appended to taps if it is relayed to device self (its
 * id). 0, or -1 (memory). */
static int take_row(struct hub_res *r, const char *self, int64_t now, json_t *taps)
{
	int64_t t = hub_res_int(r, 6);
	json_t *o;

	if (strcmp(hub_res_text(r, 8), self) == 0 || !is_relayed(hub_res_text(r, 2)) ||
	    hub_res_int(r, 9) != 0 || hub_res_int(r, 10) != 1 || t < now - HUB_RELAY_AGE_MS ||
	    t > now + HUB_RELAY_AHEAD_MS)
		return 0;
	o = json_pack("{s:s,s:s,s:o,s:o,s:o,s:I}", "uuid", hub_res_text(r, 1),
	    "kind", hub_res_text(r, 2), "person_id", text_or_null(hub_res_text(r, 3)),
	    "session_id", text_or_null(hub_res_text(r, 4)), "role", text_or_null(hub_res_text(r, 5)),
	    "t_ms", (json_int_t)t);
	return o != NULL && json_array_append_new(taps, o) == 0 ? 0 : -1;
}

/* Read one page after id: appends taps, *safe = the highest id every event
 * up to which has been seen, *scanned = rows read. */
static int scan(struct hub_db *db, const struct hub_device *dev, int64_t id, int64_t now,
    json_t *taps, int64_t *safe, int *scanned)
{
	int64_t settle = hub_db_kind(db) == HUB_DB_PG ? HUB_RELAY_SETTLE_MS : 0;
	char self[PR_ID_MAX];        /* a copy: the row loop compares with it */
	struct hub_res *r = NULL;
	int rc;

	*safe = id;
	*scanned = 0;
	snprintf(self, sizeof(self), "%s", dev->id);
	rc = hub_db_query(db, sql_scan, 4, (struct hub_param[]){ HP_S(dev->location_id), HP_I(id),
	    HP_S(dev->org_id), HP_I(HUB_RELAY_SCAN_MAX) }, 0, &r);
	if (rc != HUB_DB_OK)
		return rc;
	while ((rc = hub_res_next(r)) == 1) {
		int64_t row = hub_res_int(r, 0);

		(*scanned)++;
		if (hub_res_int(r, 7) <= now - settle && row > *safe)
			*safe = row;
		if (take_row(r, self, now, taps) != 0) {
			rc = HUB_DB_ERROR;
			break;
		}
	}
	hub_res_free(r);
	return rc < 0 ? rc : HUB_DB_OK;
}

int hub_relay_page(struct hub_db *db, const struct hub_device *dev, int64_t id,
    int64_t issued_ms, int64_t now, json_t *taps, char *cursor, int *more)
{
	int fresh = issued_ms <= 0 || issued_ms < now - HUB_RELAY_AGE_MS ||
	    issued_ms > now + HUB_RELAY_AGE_MS;     /* "0", stale, or the hub's clock went back */
	const char *start = hub_db_kind(db) == HUB_DB_PG ? sql_start_pg : sql_start_sqlite;
	int64_t safe = 0, max = 0;
	int rc, scanned = 0, n;

	*more = 0;
	for (int round = 0; round < 2; round++) {
		if (fresh) {
			rc = hub_db_int(db, start, 2, (struct hub_param[]){ HP_S(dev->org_id),
			    HP_I(now - HUB_RELAY_AGE_MS) }, &id);
			if (rc < 0)
				return rc;
			if (rc == 0)
				id = 0;
			issued_ms = now;
		}
		rc = scan(db, dev, id, now, taps, &safe, &scanned);
		if (rc != HUB_DB_OK)
			return rc;
		if (scanned > 0 || fresh)
			break;
		/* Nothing after the cursor: is it beyond the newest event (a restored
		 * database gives out smaller ids again)? Then start afresh. */
		rc = hub_db_int(db, sql_max, 0, NULL, &max);
		if (rc < 0)
			return rc;
		if (max >= id)
			break;
		fresh = 1;
	}
	if (safe != id)
		issued_ms = now;          /* the cursor moved: it is new as of now */
	*more = scanned == HUB_RELAY_SCAN_MAX && safe != id;
	n = snprintf(cursor, HUB_RELAY_CURSOR_MAX, "%lld.%lld", (long long)safe, (long long)issued_ms);
	return n > 0 && n < HUB_RELAY_CURSOR_MAX ? HUB_DB_OK : HUB_DB_ERROR;
}
