/* dash_today.c — GET /v1/dash/today: per location of the coordinator's
 * organisation its kiosks (online, last sync, records waiting, clock) and
 * the sessions of the local day with who is expected and who is present
 * (first check-in, check-out, hours: reports/presence.h's one figure), and
 * the number of guests. One read snapshot. dash_session_people here is the
 * one definition of a session's expected and present people.
 * Must not: show another organisation's rows (every query binds org_id). */
#include "hub/dash/dash.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/base/calendar.h"
#include "hub/base/htime.h"
#include "hub/base/jfigure.h"
#include "hub/db/db.h"
#include "hub/http/http.h"
#include "hub/reports/presence.h"

#define DASH_TODAY_LOC_PAGE 64          /* locations read per query: Today shows all, a page at a time */
#define DASH_LOCATIONS_FIRST 16        /* dash_locations: first allocation, then doubled */
#define DASH_TODAY_CACHE   16          /* answers kept, one per organisation and date */
#define DASH_TODAY_CACHE_MAX (4 << 20) /* bytes of one cached answer */

/* The last answer per (organisation, date), valid while its ETag (read from
 * the database on every request) is unchanged: coordinators of one
 * organisation share the work. Several hub processes each keep their own;
 * none can serve stale data because the fingerprint comes from the db. */
struct cached {
	char org[PR_ID_MAX], date[HUB_DATE_STR], etag[64];
	char *body;
	size_t len;
	uint64_t used;
};
#define DASH_TODAY_CACHE_ENV "PRESENTIE_HUB_TODAY_CACHE"  /* "0" turns the cache off (bench) */
static struct cached cache[DASH_TODAY_CACHE];
static uint64_t cache_tick;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

/* A malloc'd copy of the cached body for (org, date, etag), or NULL. */
static char *cache_get(const char *org, const char *date, const char *etag, size_t *len)
{
	const char *env = getenv(DASH_TODAY_CACHE_ENV);
	char *copy = NULL;

	if (env != NULL && strcmp(env, "0") == 0)
		return NULL;
	pthread_mutex_lock(&cache_lock);
	for (int i = 0; i < DASH_TODAY_CACHE; i++) {
		struct cached *e = &cache[i];

		if (e->body == NULL || strcmp(e->org, org) != 0 || strcmp(e->date, date) != 0 ||
		    strcmp(e->etag, etag) != 0)
			continue;
		copy = malloc(e->len + 1);
		if (copy != NULL) {
			memcpy(copy, e->body, e->len + 1);
			*len = e->len;
			e->used = ++cache_tick;
		}
		break;
	}
	pthread_mutex_unlock(&cache_lock);
	return copy;
}

static void cache_put(const char *org, const char *date, const char *etag, const char *body, size_t len)
{
	struct cached *victim = NULL;
	char *copy;

	if (len > DASH_TODAY_CACHE_MAX || (copy = malloc(len + 1)) == NULL)
		return;
	memcpy(copy, body, len + 1);
	pthread_mutex_lock(&cache_lock);
	for (int i = 0; i < DASH_TODAY_CACHE; i++) {
		struct cached *e = &cache[i];

		if (e->body != NULL && strcmp(e->org, org) == 0 && strcmp(e->date, date) == 0) {
			victim = e;
			break;
		}
		if (victim == NULL || e->body == NULL || (victim->body != NULL && e->used < victim->used))
			victim = e;
	}
	free(victim->body);
	snprintf(victim->org, sizeof(victim->org), "%s", org);
	snprintf(victim->date, sizeof(victim->date), "%s", date);
	snprintf(victim->etag, sizeof(victim->etag), "%s", etag);
	victim->body = copy;
	victim->len = len;
	victim->used = ++cache_tick;
	pthread_mutex_unlock(&cache_lock);
}

struct ses {
	char id[PR_ID_MAX], title[PR_TITLE_MAX], room[PR_ROOM_MAX], kind[PR_ROLE_MAX];
	char prog[PR_ID_MAX], prog_title[PR_TITLE_MAX];
	int64_t start, end;
	int cancelled;
	json_t *people;
	int expected, present;
	int64_t guests;
};

/* Everyone expected in or checked in to the sessions of one location and
 * day, in one statement (sql_people for all of them, by session). */
#define DAY_SESSIONS " FROM sessions s WHERE s.org_id = $1 AND s.location_id = $2" \
	" AND s.start_ms < $4 AND s.end_ms > $3"
static const char sql_people_day[] =
	"SELECT x.sid, x.pid, MAX(x.expected), MAX(x.role), MIN(x.tin), MAX(x.tout),"
	" COALESCE((SELECT p.display_name FROM people p WHERE p.org_id = $1 AND p.id = x.pid), ''),"
	" MAX(x.anon), MAX(x.manual) FROM ("
	" SELECT s.id AS sid, en.person_id AS pid, 1 AS expected, '' AS role, CAST(NULL AS BIGINT) AS tin,"
	"   CAST(NULL AS BIGINT) AS tout, 0 AS anon, 0 AS manual FROM enrolments en JOIN (SELECT s.id,"
	"   s.programme_id" DAY_SESSIONS ") s ON s.programme_id = en.programme_id WHERE en.org_id = $1"
	"   AND en.active = 1"
	" UNION ALL SELECT a.session_id, a.person_id, 1, a.role, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), 0, 0"
	"   FROM assignments a JOIN (SELECT s.id" DAY_SESSIONS ") s ON s.id = a.session_id"
	"   WHERE a.org_id = $1 AND a.active = 1"
	" UNION ALL SELECT x.session_id, x.pid, 0, x.role, x.t_in, x.t_out, x.anon, x.manual FROM ("
	    HUB_PRESENCE_SELECT("e.org_id = $1 AND e.t_ms >= $3 - 86400000 AND e.t_ms < $4 + 86400000"
	    " AND e.session_id IN (SELECT s.id" DAY_SESSIONS ")") ") x WHERE x.kind = 'check_in'"
	" ) x GROUP BY x.sid, x.pid"
	" ORDER BY x.sid, CASE WHEN MIN(x.tin) IS NULL THEN 1 ELSE 0 END, MIN(x.tin), 7, x.pid";
static const char sql_guests_day[] =
	"SELECT e.session_id, COUNT(*) FROM events e JOIN (SELECT s.id" DAY_SESSIONS ") s"
	" ON s.id = e.session_id WHERE e.org_id = $1 AND e.kind = 'guest' GROUP BY e.session_id";

static int find_ses(struct ses *s, int n, const char *id, int *hint)
{
	if (*hint < n && strcmp(s[*hint].id, id) == 0)
		return *hint;
	for (int i = 0; i < n; i++)
		if (strcmp(s[i].id, id) == 0)
			return *hint = i;
	return -1;
}

/* Names are per-person index lookups, not a join: on fresh tables
 * PostgreSQL estimates 1 row and the join became a nested loop over
 * everyone (measured 5x slower). */
static const char sql_people[] =
	"SELECT x.pid, MAX(x.expected), MAX(x.role), MIN(x.tin), MAX(x.tout),"
	" COALESCE((SELECT p.display_name FROM people p WHERE p.org_id = $1 AND p.id = x.pid), ''),"
	" MAX(x.anon), MAX(x.manual) FROM ("
	" SELECT en.person_id AS pid, 1 AS expected, '' AS role, CAST(NULL AS BIGINT) AS tin,"
	"   CAST(NULL AS BIGINT) AS tout, 0 AS anon, 0 AS manual FROM enrolments en"
	"   WHERE en.org_id = $1 AND en.programme_id = $3 AND en.active = 1"
	" UNION ALL SELECT a.person_id, 1, a.role, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), 0, 0"
	"   FROM assignments a WHERE a.org_id = $1 AND a.session_id = $2 AND a.active = 1"
	" UNION ALL SELECT x.pid, 0, x.role, x.t_in, x.t_out, x.anon, x.manual FROM ("
	    HUB_PRESENCE_SELECT("e.org_id = $1 AND e.session_id = $2") ") x WHERE x.kind = 'check_in'"
	" ) x GROUP BY x.pid"
	" ORDER BY CASE WHEN MIN(x.tin) IS NULL THEN 1 ELSE 0 END, MIN(x.tin), 6, x.pid";

enum hub_checkout_rule dash_checkout_rule(struct hub_db *db, const char *org)
{
	enum hub_checkout_rule rule = HUB_CHECKOUT_SESSION_END;
	struct hub_res *r = NULL;

	if (hub_db_query(db, "SELECT checkout_rule FROM organisations WHERE id = $1", 1,
	    (struct hub_param[]){ HP_S(org) }, 0, &r) == HUB_DB_OK && hub_res_next(r) == 1 &&
	    hub_checkout_rule_parse(hub_res_text(r, 0), &rule) != 0)
		rule = HUB_CHECKOUT_SESSION_END;
	hub_res_free(r);
	return rule;
}

/* Where a person of a session stands with the check-out and their hours
 * (presence.h, the figure every report and export shows), into row:
 * "checked_out": "yes", "open" (still here), "no" (the session ended
 * without one: a volunteer's forgotten check-out, flagged), or null (not
 * checked in, or a participant, for whom it is optional); "hours": the
 * hours to hundredths, or null (not checked in, still in a running
 * session, a participant without a check-out). Columns col_out - 1 (first
 * in) and col_out (last out) of r. */
static void out_fields(json_t *row, int in, struct hub_res *r, int col_out, const char *role,
    int64_t s_end, enum hub_checkout_rule rule)
{
	struct hub_presence_t pt = {
		.t_in = 0, .t_out = hub_res_is_null(r, col_out) ? -1 : hub_res_int(r, col_out),
		.s_end = s_end, .volunteer = role[0] != '\0', .rule = rule, .now = hub_now_ms(),
	};
	enum hub_checkout_state st;
	int64_t centi = -1;

	if (in) {
		pt.t_in = hub_res_int(r, col_out - 1);
		st = hub_presence_centi(&pt, &centi);
		json_object_set_new(row, "checked_out", st == HUB_OUT_NOT_EXPECTED ? json_null() :
		    json_string(hub_checkout_state_word(st)));
	} else
		json_object_set_new(row, "checked_out", json_null());
	json_object_set_new(row, "hours", centi >= 0 ? hub_json_figure((double)centi / 100.0,
	    HUB_HOURS_DECIMALS) : json_null());
}

/* "manual" on row: which of the presence's taps a coordinator entered by
 * hand (hub_manual_word), or null. */
static void manual_field(json_t *row, int64_t bits)
{
	json_object_set_new(row, "manual", bits > 0 ? json_string(hub_manual_word(bits)) : json_null());
}

int dash_session_people(struct hub_db *db, const char *org, const char *session,
    const char *programme, int64_t s_end, json_t *people, int *expected, int *present)
{
	struct hub_res *r = NULL;
	int rc = hub_db_query(db, sql_people, 3, (struct hub_param[]){ HP_S(org), HP_S(session),
	    HP_S(programme) }, 0, &r);

	enum hub_checkout_rule rule = dash_checkout_rule(db, org);

	*expected = *present = 0;
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		int exp = hub_res_int(r, 1) != 0, anon = hub_res_int(r, 6) != 0;
		int in = !hub_res_is_null(r, 3);
		const char *pid = hub_res_text(r, 0);
		json_t *row;

		*expected += exp;
		*present += in;
		row = json_pack("{s:o,s:s,s:s,s:b,s:b,s:o,s:o}",
		    "person_id", anon || strncmp(pid, "anon:", 5) == 0 ? json_null() : json_string(pid),
		    "display_name", hub_res_text(r, 5), "role", hub_res_text(r, 2), "expected", exp,
		    "present", in, "check_in", dash_iso(in ? hub_res_int(r, 3) : -1),
		    "check_out", dash_iso(hub_res_is_null(r, 4) ? -1 : hub_res_int(r, 4)));
		out_fields(row, in, r, 4, hub_res_text(r, 2), s_end, rule);
		manual_field(row, hub_res_int(r, 7));
		json_array_append_new(people, row);
	}
	hub_res_free(r);
	return rc < 0 ? rc : HUB_DB_OK;
}

static int devices(struct dash_call *c, const struct dash_loc *l, int64_t now, json_t *out)
{
	struct hub_res *r = NULL;
	int rc = hub_db_query(c->db, "SELECT d.id, d.name, d.last_seen_ms, s.waiting, s.clock_synced,"
	    " (SELECT e.clock_synced FROM events e WHERE e.device_id = d.id ORDER BY e.seq DESC LIMIT 1)"
	    " FROM devices d LEFT JOIN device_status s ON s.device_id = d.id"
	    " WHERE d.org_id = $1 AND d.location_id = $2 AND d.status = 'active' ORDER BY d.name, d.id",
	    2, (struct hub_param[]){ HP_S(c->who.org_id), HP_S(l->id) }, 0, &r);

	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		int seen = !hub_res_is_null(r, 2);
		int64_t last = seen ? hub_res_int(r, 2) : -1;
		json_t *clock = !hub_res_is_null(r, 4) ? json_boolean(hub_res_int(r, 4)) :
		    !hub_res_is_null(r, 5) ? json_boolean(hub_res_int(r, 5)) : json_null();

		json_array_append_new(out, json_pack("{s:s,s:s,s:b,s:o,s:o,s:o}", "id", hub_res_text(r, 0),
		    "name", hub_res_text(r, 1), "online", seen && now - last <= DASH_ONLINE_MS,
		    "last_seen", dash_iso(last),
		    "waiting", hub_res_is_null(r, 3) ? json_null() : json_integer(hub_res_int(r, 3)),
		    "clock_synced", clock));
	}
	hub_res_free(r);
	return rc < 0 ? rc : HUB_DB_OK;
}

static int sessions(struct dash_call *c, const struct dash_loc *l, int64_t from, int64_t to, json_t *out)
{
	static struct ses zero;
	struct ses s[PR_SESSIONS_DAY_MAX];
	struct hub_res *r = NULL;
	enum hub_checkout_rule rule;
	int n = 0, rc;

	rc = hub_db_query(c->db, "SELECT s.id, s.title, s.room, s.kind, s.start_ms, s.end_ms, s.cancelled,"
	    " COALESCE(s.programme_id, ''), COALESCE(g.title, '') FROM sessions s"
	    " LEFT JOIN programmes g ON g.org_id = s.org_id AND g.id = s.programme_id"
	    " WHERE s.org_id = $1 AND s.location_id = $2 AND s.start_ms < $4 AND s.end_ms > $3"
	    " ORDER BY s.start_ms, s.id", 4, (struct hub_param[]){ HP_S(c->who.org_id), HP_S(l->id),
	    HP_I(from), HP_I(to) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		if (n >= PR_SESSIONS_DAY_MAX)
			continue;
		s[n] = zero;
		snprintf(s[n].id, sizeof(s[n].id), "%s", hub_res_text(r, 0));
		snprintf(s[n].title, sizeof(s[n].title), "%s", hub_res_text(r, 1));
		snprintf(s[n].room, sizeof(s[n].room), "%s", hub_res_text(r, 2));
		snprintf(s[n].kind, sizeof(s[n].kind), "%s", hub_res_text(r, 3));
		s[n].start = hub_res_int(r, 4);
		s[n].end = hub_res_int(r, 5);
		s[n].cancelled = hub_res_int(r, 6) != 0;
		snprintf(s[n].prog, sizeof(s[n].prog), "%s", hub_res_text(r, 7));
		snprintf(s[n].prog_title, sizeof(s[n].prog_title), "%s", hub_res_text(r, 8));
		n++;
	}
	hub_res_free(r);
	r = NULL;
	for (int i = 0; i < n; i++)
		s[i].people = json_array();
	rule = dash_checkout_rule(c->db, c->who.org_id);
	if (rc >= 0 && n > 0)
		rc = hub_db_query(c->db, sql_people_day, 4, (struct hub_param[]){ HP_S(c->who.org_id),
		    HP_S(l->id), HP_I(from), HP_I(to) }, 0, &r);
	{
		int hint = 0;

		while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
			int k = find_ses(s, n, hub_res_text(r, 0), &hint);
			int exp = hub_res_int(r, 2) != 0, anon = hub_res_int(r, 7) != 0, in = !hub_res_is_null(r, 4);
			const char *pid = hub_res_text(r, 1);
			json_t *row;

			if (k < 0)
				continue;
			s[k].expected += exp;
			s[k].present += in;
			row = json_pack("{s:o,s:s,s:s,s:b,s:b,s:o,s:o}",
			    "person_id", anon || strncmp(pid, "anon:", 5) == 0 ? json_null() : json_string(pid),
			    "display_name", hub_res_text(r, 6), "role", hub_res_text(r, 3), "expected", exp,
			    "present", in, "check_in", dash_iso(in ? hub_res_int(r, 4) : -1),
			    "check_out", dash_iso(hub_res_is_null(r, 5) ? -1 : hub_res_int(r, 5)));
			out_fields(row, in, r, 5, hub_res_text(r, 3), s[k].end, rule);
			manual_field(row, hub_res_int(r, 8));
			json_array_append_new(s[k].people, row);
		}
		hub_res_free(r);
		r = NULL;
		if (rc >= 0 && n > 0)
			rc = hub_db_query(c->db, sql_guests_day, 4, (struct hub_param[]){ HP_S(c->who.org_id),
			    HP_S(l->id), HP_I(from), HP_I(to) }, 0, &r);
		while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
			int k = find_ses(s, n, hub_res_text(r, 0), &hint);

			if (k >= 0)
				s[k].guests = hub_res_int(r, 1);
		}
		hub_res_free(r);
	}
	for (int i = 0; i < n; i++)
		json_array_append_new(out, json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:b,s:o,s:{s:i,s:i,s:I},s:o}",
		    "id", s[i].id, "title", s[i].title, "room", s[i].room, "kind", s[i].kind,
		    "start", dash_iso(s[i].start), "end", dash_iso(s[i].end), "cancelled", s[i].cancelled,
		    "programme", s[i].prog[0] ? json_pack("{s:s,s:s}", "id", s[i].prog, "title",
		    s[i].prog_title) : json_null(), "counts", "expected", s[i].expected, "present", s[i].present,
		    "guests", (json_int_t)s[i].guests, "people", s[i].people));
	return rc < 0 ? rc : HUB_DB_OK;
}

int dash_locations(struct hub_db *db, const char *org, struct dash_loc **out, int *n)
{
	struct hub_res *r = NULL;
	int cap = 0, rc = hub_db_query(db, "SELECT id, name, timezone FROM locations WHERE org_id = $1"
	    " ORDER BY name, id", 1, (struct hub_param[]){ HP_S(org) }, 0, &r);

	*out = NULL;
	*n = 0;
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		struct dash_loc *l;

		if (*n == cap) {
			struct dash_loc *grown;

			cap = cap ? cap * 2 : DASH_LOCATIONS_FIRST;
			if ((grown = realloc(*out, (size_t)cap * sizeof(**out))) == NULL) {
				rc = HUB_DB_ERROR;
				break;
			}
			*out = grown;
		}
		l = &(*out)[(*n)++];
		snprintf(l->id, sizeof(l->id), "%s", hub_res_text(r, 0));
		snprintf(l->name, sizeof(l->name), "%s", hub_res_text(r, 1));
		snprintf(l->tz, sizeof(l->tz), "%s", hub_res_text(r, 2));
		if (!hub_cal_name_ok(l->tz))
			snprintf(l->tz, sizeof(l->tz), "Europe/Amsterdam");
	}
	hub_res_free(r);
	if (rc < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
		return rc;
	}
	return HUB_DB_OK;
}

/* The next page of the organisation's locations in Today's order (name,
 * id) after (after_name, after_id) (both NULL: from the first), at most
 * max into out, *n of them. Keyset paging keeps memory at one page however
 * many locations an organisation has. Returns HUB_DB_OK or a db error code
 * (*n then counts what was read). */
static int locations_page(struct hub_db *db, const char *org, const char *after_name,
    const char *after_id, struct dash_loc *out, int max, int *n)
{
	struct hub_res *r = NULL;
	int first = after_name == NULL;
	int rc = hub_db_query(db, "SELECT id, name, timezone FROM locations WHERE org_id = $1"
	    " AND ($2 = 1 OR name > $3 OR (name = $3 AND id > $4)) ORDER BY name, id LIMIT $5", 5,
	    (struct hub_param[]){ HP_S(org), HP_I(first), HP_S(first ? "" : after_name),
	    HP_S(first ? "" : after_id), HP_I(max) }, 0, &r);

	*n = 0;
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		if (*n >= max)
			continue;
		snprintf(out[*n].id, sizeof(out[*n].id), "%s", hub_res_text(r, 0));
		snprintf(out[*n].name, sizeof(out[*n].name), "%s", hub_res_text(r, 1));
		snprintf(out[*n].tz, sizeof(out[*n].tz), "%s", hub_res_text(r, 2));
		if (!hub_cal_name_ok(out[*n].tz))
			snprintf(out[*n].tz, sizeof(out[*n].tz), "Europe/Amsterdam");
		(*n)++;
	}
	hub_res_free(r);
	return rc < 0 ? rc : HUB_DB_OK;
}

/* A validator for the answer: it changes whenever anything the answer is
 * made of can have changed, and is made of this organisation's values only
 * (no global id or counter: another organisation's activity must not move
 * it). New events: every batch a kiosk delivers moves its devices row
 * (max_seq, acked_seq, last_seen_ms; ingest.c); master data and erasure or
 * purge: the organisation's change counter (svc/change.h); kiosks seen; and
 * the minute, for "online". */
static int fingerprint(struct dash_call *c, const char *date, char etag[64])
{
	struct hub_res *r = NULL;
	int64_t minute = hub_now_ms() / 60000;
	int rc = hub_db_query(c->db, "SELECT (SELECT COALESCE(MAX(value), 0) FROM org_changes"
	    " WHERE org_id = $1),"
	    " (SELECT COUNT(*) + COALESCE(SUM(last_seen_ms), 0) FROM devices WHERE org_id = $1"
	    " AND status = 'active'),"
	    " (SELECT COALESCE(SUM(max_seq), 0) || '.' || COALESCE(SUM(acked_seq), 0) || '.'"
	    " || COALESCE(SUM(last_seen_ms), 0) FROM devices WHERE org_id = $1)",
	    1, (struct hub_param[]){ HP_S(c->who.org_id) }, 0, &r);
	unsigned long long h = 1469598103934665603ULL;   /* FNV-1a over the values */

	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1)
		for (int i = 0; i < 3; i++)
			for (const char *p = hub_res_text(r, i); *p; p++)
				h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	hub_res_free(r);
	if (rc < 0)
		return rc;
	for (const char *p = c->who.org_id; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	for (const char *p = date ? date : ""; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	snprintf(etag, 64, "W/\"t%016llx-%llx\"", h, (unsigned long long)minute);
	return HUB_DB_OK;
}

void dash_today(struct dash_call *c)
{
	char etag[64];
	const char *inm;
	struct dash_loc locs[DASH_TODAY_LOC_PAGE];
	const char *date = hub_req_arg(c->rq, "date");
	char day[HUB_DATE_STR] = "";
	int64_t now = hub_now_ms(), from, to;
	json_t *out = NULL, *arr;
	int n = 0, rc, y, m, d;

	if (strcmp(c->rq->method, "GET") != 0 || c->nseg != 1) {
		hub_resp_error(c->rs, c->nseg != 1 ? 404 : 405, c->nseg != 1 ? "not_found" :
		    "method_not_allowed", "GET /v1/dash/today only");
		return;
	}
	if (date != NULL && date[0] != '\0' && hub_cal_parse_date(date, &y, &m, &d) != 0) {
		hub_resp_error(c->rs, 400, "bad_request", "date: YYYY-MM-DD");
		return;
	}
	/* Today only reads: from the replica when the hub has one (--db-read) */
	c->db = hub_req_read_db(c->rq);
	if (c->db == NULL) {
		hub_resp_dberr(c->rs, HUB_DB_UNAVAILABLE);
		return;
	}
	rc = hub_db_begin_snapshot(c->db);
	if (rc == HUB_DB_OK)
		rc = fingerprint(c, date, etag);
	inm = hub_req_header(c->rq, "If-None-Match");
	if (rc == HUB_DB_OK && inm != NULL && strcmp(inm, etag) == 0) {
		hub_db_rollback(c->db);
		(void)hub_resp_header(c->rs, "ETag", etag);
		(void)hub_resp_json(c->rs, 304, json_object());
		c->rs->len = 0;
		return;
	}
	if (rc == HUB_DB_OK) {
		size_t len = 0;
		char *body = cache_get(c->who.org_id, date ? date : "", etag, &len);

		if (body != NULL) {
			hub_db_rollback(c->db);
			free(c->rs->body);
			c->rs->body = body;
			c->rs->len = len;
			c->rs->status = 200;
			c->rs->ctype = "application/json";
			(void)hub_resp_header(c->rs, "ETag", etag);
			return;
		}
	}
	arr = json_array();
	/* every location, a page at a time (a page of 64 was once all there was:
	 * the 65th and later were silently left out) */
	for (int more = 1; rc == HUB_DB_OK && more; ) {
		char after_name[PR_NAME_MAX], after_id[PR_ID_MAX];
		int page = n > 0;

		if (page) {
			snprintf(after_name, sizeof(after_name), "%s", locs[n - 1].name);
			snprintf(after_id, sizeof(after_id), "%s", locs[n - 1].id);
		}
		rc = locations_page(c->db, c->who.org_id, page ? after_name : NULL,
		    page ? after_id : NULL, locs, DASH_TODAY_LOC_PAGE, &n);
		more = n == DASH_TODAY_LOC_PAGE;
		for (int i = 0; rc == HUB_DB_OK && i < n; i++) {
			json_t *devs = json_array(), *ses = json_array();

			if (date != NULL && date[0] != '\0')
				snprintf(day, sizeof(day), "%s", date);
			else if (hub_cal_date(locs[i].tz, now, day) != 0)
				rc = HUB_DB_ERROR;
			if (rc == HUB_DB_OK && hub_cal_day(locs[i].tz, day, &from, &to) != 0)
				rc = HUB_DB_ERROR;
			if (rc == HUB_DB_OK)
				rc = devices(c, &locs[i], now, devs);
			if (rc == HUB_DB_OK)
				rc = sessions(c, &locs[i], from, to, ses);
			json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:o,s:o}", "id", locs[i].id,
			    "name", locs[i].name, "timezone", locs[i].tz, "devices", devs, "sessions", ses));
		}
	}
	hub_db_rollback(c->db);
	if (rc == HUB_DB_UNAVAILABLE && c->db == c->rq->rdb)
		c->rq->rdb_broken = 1;
	else if (rc == HUB_DB_UNAVAILABLE)
		c->rq->db_broken = 1;
	if (rc != HUB_DB_OK) {
		json_decref(arr);
		hub_resp_dberr(c->rs, rc);
		return;
	}
	{
		char iso[HUB_ISO_MAX];

		hub_iso_ms(now, iso);
		out = json_pack("{s:s,s:s,s:o}", "date", day, "server_time", iso, "locations", arr);
		(void)hub_resp_header(c->rs, "ETag", etag);
	}
	dash_json(c->rs, 200, out);
	if (c->rs->status == 200 && c->rs->body != NULL)
		cache_put(c->who.org_id, date ? date : "", etag, c->rs->body, c->rs->len);
}
