/* dash_sessions.c — Plan, part two: sessions (one-off or a weekly series at
 * the same local time, across DST), their volunteer slots per role and the
 * role assignments that fill them (409 when full). Master-data writes go
 * through master.h, so each change gets a change value and reaches kiosks.
 * Must not: touch rows of another organisation (ids are looked up with the
 * session's org_id; unknown or foreign ids are 404). */
#include "hub/dash/dash.h"
#include "hub/dash/dash_plan.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hub/base/calendar.h"
#include "hub/base/htime.h"
#include "hub/base/jsonv.h"
#include "hub/db/db.h"
#include "hub/http/http.h"
#include "hub/svc/master.h"
#include "hub/svc/token.h"

static const char *const kinds[] = { "group", "coaching", "open", "intake" };

/* "2026-11-22T13:00:00Z" (as dash_iso writes) back to ms; 0 if malformed. */
static int64_t iso_ms(const char *s)
{
	struct tm tm = { 0 };
	const char *end;

	if (s == NULL || (end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm)) == NULL || *end != '\0')
		return 0;
	return (int64_t)timegm(&tm) * 1000;
}


static int kind_ok(const char *k)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i], k) == 0)
			return 1;
	return 0;
}

/* Replace the slots of session sid with body's "slots" object (0 removes). */
static int write_slots(struct dash_call *c, const char *sid, json_t *slots, json_t *roles)
{
	const char *role;
	json_t *v;
	int rc = HUB_DB_OK;

	json_object_foreach(slots, role, v) {
		json_int_t n = json_integer_value(v);

		if (rc != HUB_DB_OK)
			break;
		if (n == 0)
			rc = hub_db_exec(c->db, "DELETE FROM session_slots WHERE org_id = $1 AND"
			    " session_id = $2 AND role = $3", 3, (struct hub_param[]){ HP_S(c->who.org_id),
			    HP_S(sid), HP_S(role) }, NULL);
		else if (dash_role_known(roles, role))
			rc = hub_db_exec(c->db, "INSERT INTO session_slots (org_id, session_id, role, slots)"
			    " VALUES ($1, $2, $3, $4) ON CONFLICT (org_id, session_id, role) DO UPDATE"
			    " SET slots = excluded.slots", 4, (struct hub_param[]){ HP_S(c->who.org_id),
			    HP_S(sid), HP_S(role), HP_I(n) }, NULL);
	}
	return rc;
}

/* Validate a "slots" object: role -> 0..DASH_SLOTS_MAX of known roles. */
static int check_slots(struct dash_call *c, json_t *slots, json_t *roles)
{
	const char *role;
	json_t *v;

	if (slots == NULL || json_is_null(slots))
		return 0;
	if (!json_is_object(slots)) {
		hub_resp_error(c->rs, 400, "bad_request", "slots: an object role -> number");
		return -1;
	}
	json_object_foreach(slots, role, v) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > DASH_SLOTS_MAX) {
			hub_resp_error(c->rs, 400, "bad_request", "slots.%.32s: 0..%d", role, DASH_SLOTS_MAX);
			return -1;
		}
		if (json_integer_value(v) > 0 && !dash_role_known(roles, role)) {
			hub_resp_error(c->rs, 400, "bad_request", "slots.%.32s: unknown role", role);
			return -1;
		}
	}
	return 0;
}

/* The organisation's roles into roles and the body's checked "slots"
 * (borrowed from j; NULL if absent). Returns 0, or -1 with rs filled. */
static int slots_input(struct dash_call *c, json_t *j, json_t *roles, json_t **slots)
{
	int rc = dash_roles_json(c, roles);

	if (rc != HUB_DB_OK) {
		dash_fail(c, rc);
		return -1;
	}
	*slots = json_object_get(j, "slots");
	return check_slots(c, *slots, roles);
}

/* Local date d0 + 7*week at h:m in zone, to UTC ms. */
static int occurrence(const char *tz, int y, int mo, int d, int week, int h, int mi, int64_t *ms)
{
	struct tm tm = { 0 };
	time_t t;

	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d + 7 * week;
	tm.tm_hour = 12;
	t = timegm(&tm);
	if (t == (time_t)-1 || gmtime_r(&t, &tm) == NULL)
		return -1;
	return hub_cal_to_utc(tz, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, h, mi, ms);
}

static void session_create(struct dash_call *c)
{
	json_t *j = dash_body(c), *roles = json_array(), *slots, *made = json_array();
	const char *prog = NULL, *loc = NULL, *title = NULL, *room = NULL, *kind = NULL;
	const char *date = NULL, *start = NULL, *end = NULL;
	char tz[PR_TZ_MAX] = "", err[128];
	int64_t weeks = 1;
	int y, mo, d, h1, m1, h2, m2, rc;
	struct hub_res *r = NULL;

	if (j == NULL)
		goto out;
	if (dash_str(c, j, "programme_id", 0, PR_ID_MAX, 0, &prog) != 0 ||
	    dash_str(c, j, "location_id", 1, PR_ID_MAX, 0, &loc) != 0 ||
	    dash_str(c, j, "title", 1, PR_TITLE_MAX, 0, &title) != 0 ||
	    dash_str(c, j, "room", 0, PR_ROOM_MAX, 1, &room) != 0 ||
	    dash_str(c, j, "kind", 0, PR_ROLE_MAX, 0, &kind) != 0 ||
	    dash_str(c, j, "date", 1, HUB_DATE_STR, 0, &date) != 0 ||
	    dash_str(c, j, "start", 1, 6, 0, &start) != 0 || dash_str(c, j, "end", 1, 6, 0, &end) != 0)
		goto out;
	if (json_object_get(j, "repeat_weekly") != NULL && hub_jv_int(j, "", "repeat_weekly",
	    1, DASH_SERIES_MAX, &weeks, err, sizeof(err)) != 0) {
		hub_resp_error(c->rs, 400, "bad_request", "repeat_weekly: 1..%d", DASH_SERIES_MAX);
		goto out;
	}
	if (kind == NULL)
		kind = "group";
	if (room == NULL)
		room = "";
	if (!kind_ok(kind) || hub_cal_parse_date(date, &y, &mo, &d) != 0 ||
	    hub_cal_parse_hm(start, &h1, &m1) != 0 || hub_cal_parse_hm(end, &h2, &m2) != 0 ||
	    h2 * 60 + m2 <= h1 * 60 + m1) {
		hub_resp_error(c->rs, 400, "bad_request", "kind: group|coaching|open|intake; date: YYYY-MM-DD;"
		    " start/end: HH:MM with end after start");
		goto out;
	}
	if (slots_input(c, j, roles, &slots) != 0)
		goto out;
	rc = hub_db_begin(c->db, 1);
	if (rc == HUB_DB_OK && prog != NULL)
		rc = dash_exists(c, "programmes", prog);
	if (rc == 0) {
		hub_db_rollback(c->db);
		hub_resp_error(c->rs, 404, "not_found", "no such programme");
		goto out;
	}
	if (rc >= 0)
		rc = hub_db_query(c->db, "SELECT timezone FROM locations WHERE org_id = $1 AND id = $2", 2,
		    (struct hub_param[]){ HP_S(c->who.org_id), HP_S(loc) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1)
		snprintf(tz, sizeof(tz), "%s", hub_res_text(r, 0));
	hub_res_free(r);
	if (rc < 0) {
		dash_fail(c, rc);
		goto out;
	}
	if (tz[0] == '\0' || !hub_cal_name_ok(tz)) {
		hub_db_rollback(c->db);
		hub_resp_error(c->rs, 404, "not_found", "no such location");
		goto out;
	}
	rc = HUB_DB_OK;
	for (int w = 0; rc == HUB_DB_OK && w < weeks; w++) {
		char id[PR_ID_MAX], t[PR_TITLE_MAX + 8];
		struct hub_session_in in = { .programme_id = prog, .location_id = loc, .room = room,
			.kind = kind };

		if (hub_id_new("ses", id, sizeof(id)) != 0 ||
		    occurrence(tz, y, mo, d, w, h1, m1, &in.start_ms) != 0 ||
		    occurrence(tz, y, mo, d, w, h2, m2, &in.end_ms) != 0) {
			rc = HUB_DB_ERROR;
			break;
		}
		if (weeks > 1)
			snprintf(t, sizeof(t), "%.*s %d", PR_TITLE_MAX - 8, title, w + 1);
		else
			snprintf(t, sizeof(t), "%s", title);
		in.id = id;
		in.title = t;
		rc = hub_master_session(c->db, c->who.org_id, &in);
		if (rc == HUB_DB_OK && json_is_object(slots))
			rc = write_slots(c, id, slots, roles);
		if (rc == HUB_DB_OK)
			json_array_append_new(made, json_string(id));
	}
	if (rc == HUB_DB_OK)
		rc = hub_db_commit(c->db);
	if (rc != HUB_DB_OK) {
		dash_fail(c, rc);
		goto out;
	}
	{
		json_t *arr = json_array();
		size_t i;
		json_t *idv;

		json_array_foreach(made, i, idv) {
			json_t *s = NULL;

			if (dash_one_session(c, json_string_value(idv), &s) == HUB_DB_OK && s != NULL)
				json_array_append_new(arr, s);
		}
		dash_json(c->rs, 201, json_pack("{s:o}", "sessions", arr));
	}
out:
	json_decref(made);
	json_decref(roles);
	json_decref(j);
}

static void session_get(struct dash_call *c, const char *sid)
{
	json_t *s = NULL, *as = json_array();
	struct hub_res *r = NULL;
	int rc = dash_one_session(c, sid, &s);

	if (rc == HUB_DB_OK && s != NULL)
		rc = hub_db_query(c->db, "SELECT a.person_id, COALESCE(p.display_name, ''), a.role"
		    " FROM assignments a LEFT JOIN people p ON p.org_id = a.org_id AND p.id = a.person_id"
		    " WHERE a.org_id = $1 AND a.session_id = $2 AND a.active = 1"
		    " ORDER BY a.role, p.display_name, a.person_id", 2,
		    (struct hub_param[]){ HP_S(c->who.org_id), HP_S(sid) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1)
		json_array_append_new(as, json_pack("{s:s,s:s,s:s}", "person_id", hub_res_text(r, 0),
		    "display_name", hub_res_text(r, 1), "role", hub_res_text(r, 2)));
	hub_res_free(r);
	if (rc < 0 || s == NULL) {
		json_decref(as);
		json_decref(s);
		if (rc < 0)
			dash_fail(c, rc);
		else
			hub_resp_error(c->rs, 404, "not_found", "no such session");
		return;
	}
	json_object_set_new(s, "assignments", as);
	dash_json(c->rs, 200, s);
}

static void session_list(struct dash_call *c)
{
	const char *from = hub_req_arg(c->rq, "from"), *to = hub_req_arg(c->rq, "to");
	const char *prog = hub_req_arg(c->rq, "programme");
	int64_t now = hub_now_ms(), f = now - 60 * HUB_DAY_MS, t = now + 14 * HUB_DAY_MS;
	json_t *arr = json_array();
	int rc;

	if ((from != NULL && from[0] && hub_date_parse(from, &f) != 0) ||
	    (to != NULL && to[0] && hub_date_parse(to, &t) != 0)) {
		json_decref(arr);
		hub_resp_error(c->rs, 400, "bad_request", "from, to: YYYY-MM-DD");
		return;
	}
	if (to != NULL && to[0])
		t += 2 * HUB_DAY_MS;   /* inclusive, and any zone east of UTC */
	if (from != NULL && from[0])
		f -= HUB_DAY_MS;
	rc = dash_sessions_json(c, "SELECT " SESSION_COLS SESSION_FROM " WHERE s.org_id = $1"
	    " AND s.start_ms >= $2 AND s.start_ms < $3 AND (CAST($4 AS TEXT) = '' OR s.programme_id = $4)"
	    " ORDER BY s.start_ms, s.id", 4, (struct hub_param[]){ HP_S(c->who.org_id), HP_I(f), HP_I(t),
	    HP_S(prog ? prog : "") }, arr);
	if (rc != HUB_DB_OK) {
		json_decref(arr);
		dash_fail(c, rc);
		return;
	}
	dash_json(c->rs, 200, json_pack("{s:o}", "sessions", arr));
}

static void session_patch(struct dash_call *c, const char *sid)
{
	json_t *j = dash_body(c), *roles = json_array(), *slots = NULL, *cur = NULL;
	const char *title = NULL, *room = NULL, *kind = NULL, *date = NULL, *start = NULL, *end = NULL;
	struct hub_session_in in = { 0 };
	char ptitle[PR_TITLE_MAX], proom[PR_ROOM_MAX], pkind[PR_ROLE_MAX], pprog[PR_ID_MAX];
	char ploc[PR_ID_MAX], ptz[PR_TZ_MAX];
	int cancelled = -1, rc;
	json_t *cv;

	if (j == NULL)
		goto out;
	if (dash_str(c, j, "title", 0, PR_TITLE_MAX, 0, &title) != 0 ||
	    dash_str(c, j, "room", 0, PR_ROOM_MAX, 1, &room) != 0 ||
	    dash_str(c, j, "kind", 0, PR_ROLE_MAX, 0, &kind) != 0 ||
	    dash_str(c, j, "date", 0, HUB_DATE_STR, 0, &date) != 0 ||
	    dash_str(c, j, "start", 0, 6, 0, &start) != 0 || dash_str(c, j, "end", 0, 6, 0, &end) != 0)
		goto out;
	cv = json_object_get(j, "cancelled");
	if (cv != NULL && !json_is_null(cv)) {
		if (!json_is_boolean(cv)) {
			hub_resp_error(c->rs, 400, "bad_request", "cancelled: true or false");
			goto out;
		}
		cancelled = json_is_true(cv);
	}
	if (kind != NULL && !kind_ok(kind)) {
		hub_resp_error(c->rs, 400, "bad_request", "kind: group|coaching|open|intake");
		goto out;
	}
	if ((date || start || end) && !(date && start && end)) {
		hub_resp_error(c->rs, 400, "bad_request", "date, start and end go together");
		goto out;
	}
	if (slots_input(c, j, roles, &slots) != 0)
		goto out;
	rc = hub_db_begin(c->db, 1);
	if (rc == HUB_DB_OK)
		rc = dash_one_session(c, sid, &cur);
	if (rc != HUB_DB_OK) {
		dash_fail(c, rc);
		goto out;
	}
	if (cur == NULL) {
		hub_db_rollback(c->db);
		hub_resp_error(c->rs, 404, "not_found", "no such session");
		goto out;
	}
	snprintf(ptitle, sizeof(ptitle), "%s", title ? title : json_string_value(json_object_get(cur, "title")));
	snprintf(proom, sizeof(proom), "%s", room ? room : json_string_value(json_object_get(cur, "room")));
	snprintf(pkind, sizeof(pkind), "%s", kind ? kind : json_string_value(json_object_get(cur, "kind")));
	{
		json_t *p = json_object_get(cur, "programme"), *l = json_object_get(cur, "location");

		snprintf(pprog, sizeof(pprog), "%s", json_is_object(p) ?
		    json_string_value(json_object_get(p, "id")) : "");
		snprintf(ploc, sizeof(ploc), "%s", json_string_value(json_object_get(l, "id")));
		snprintf(ptz, sizeof(ptz), "%s", json_string_value(json_object_get(l, "timezone")));
	}
	in.id = sid;
	in.programme_id = pprog[0] ? pprog : NULL;
	in.location_id = ploc;
	in.title = ptitle;
	in.room = proom;
	in.kind = pkind;
	in.cancelled = cancelled >= 0 ? cancelled : json_is_true(json_object_get(cur, "cancelled"));
	if (date != NULL) {
		int y, mo, d, h1, m1, h2, m2;

		if (hub_cal_parse_date(date, &y, &mo, &d) != 0 || hub_cal_parse_hm(start, &h1, &m1) != 0 ||
		    hub_cal_parse_hm(end, &h2, &m2) != 0 || h2 * 60 + m2 <= h1 * 60 + m1 ||
		    hub_cal_to_utc(ptz, y, mo, d, h1, m1, &in.start_ms) != 0 ||
		    hub_cal_to_utc(ptz, y, mo, d, h2, m2, &in.end_ms) != 0) {
			hub_db_rollback(c->db);
			hub_resp_error(c->rs, 400, "bad_request", "date: YYYY-MM-DD; start/end: HH:MM, end after start");
			goto out;
		}
	} else {
		in.start_ms = iso_ms(json_string_value(json_object_get(cur, "start")));
		in.end_ms = iso_ms(json_string_value(json_object_get(cur, "end")));
	}
	rc = hub_master_session(c->db, c->who.org_id, &in);
	if (rc == HUB_DB_OK && json_is_object(slots))
		rc = write_slots(c, sid, slots, roles);
	if (rc == HUB_DB_OK)
		rc = hub_db_commit(c->db);
	if (rc != HUB_DB_OK) {
		dash_fail(c, rc);
		goto out;
	}
	session_get(c, sid);
out:
	json_decref(cur);
	json_decref(roles);
	json_decref(j);
}

/* Add (POST .../assignments, body person_id + role) or remove (DELETE
 * .../assignments/PERSON/ROLE) an assignment of session seg[1]. */
static void assignment(struct dash_call *c, int add)
{
	const char *sid = c->seg[1];
	json_t *j = NULL;
	const char *person = add ? NULL : c->seg[3], *role = add ? NULL : c->seg[4];
	int64_t slots = 0, filled = 0, have = 0;
	int rc;

	if (add) {
		j = dash_body(c);
		if (j == NULL || dash_str(c, j, "person_id", 1, PR_ID_MAX, 0, &person) != 0 ||
		    dash_str(c, j, "role", 1, PR_ROLE_MAX, 0, &role) != 0)
			goto out;
	}
	rc = hub_db_begin(c->db, 1);
	if (rc == HUB_DB_OK)
		rc = dash_exists(c, "sessions", sid);
	if (rc == 1)
		rc = dash_exists(c, "people", person);
	if (rc == 1)
		rc = hub_db_int(c->db, "SELECT COUNT(*) FROM assignments WHERE org_id = $1 AND session_id = $2"
		    " AND person_id = $3 AND role = $4 AND active = 1", 4, (struct hub_param[]){
		    HP_S(c->who.org_id), HP_S(sid), HP_S(person), HP_S(role) }, &have) >= 0 ? 1 : HUB_DB_ERROR;
	if (rc == 1 && !add && have == 0)
		rc = 0;
	if (rc == 0) {
		hub_db_rollback(c->db);
		hub_resp_error(c->rs, 404, "not_found", "no such session, person or assignment");
		goto out;
	}
	if (rc == 1 && add) {
		if (hub_db_int(c->db, "SELECT slots FROM session_slots WHERE org_id = $1 AND session_id = $2"
		    " AND role = $3", 3, (struct hub_param[]){ HP_S(c->who.org_id), HP_S(sid), HP_S(role) },
		    &slots) < 0 || hub_db_int(c->db, "SELECT COUNT(*) FROM assignments WHERE org_id = $1"
		    " AND session_id = $2 AND role = $3 AND active = 1", 3, (struct hub_param[]){
		    HP_S(c->who.org_id), HP_S(sid), HP_S(role) }, &filled) < 0)
			rc = HUB_DB_ERROR;
		else if (slots == 0) {
			hub_db_rollback(c->db);
			hub_resp_error(c->rs, 400, "bad_request", "role: this session has no %.32s slots", role);
			goto out;
		} else if (have == 0 && filled >= slots) {
			hub_db_rollback(c->db);
			hub_resp_error(c->rs, 409, "conflict", "all %lld %.32s slots of this session are filled",
			    (long long)slots, role);
			goto out;
		}
	}
	if (rc == 1)
		rc = hub_master_assignment(c->db, c->who.org_id, sid, person, role, add);
	if (rc == HUB_DB_OK)
		rc = dash_audit(c->db, &c->who, add ? "assignment.add" : "assignment.remove", person, role);
	if (rc == HUB_DB_OK)
		rc = hub_db_commit(c->db);
	if (rc != HUB_DB_OK) {
		dash_fail(c, rc);
		goto out;
	}
	dash_added_or_removed(c, add, add ? json_pack("{s:s,s:s,s:s}", "session_id", sid,
	    "person_id", person, "role", role) : NULL);
out:
	json_decref(j);
}

static void ses_get(struct dash_call *c) { session_get(c, c->seg[1]); }
static void ses_patch(struct dash_call *c) { session_patch(c, c->seg[1]); }
static void assign_add(struct dash_call *c) { assignment(c, 1); }
static void assign_remove(struct dash_call *c) { assignment(c, 0); }

static const struct dash_sub session_subs[] = {
	{ "GET", 1, NULL, session_list },
	{ "POST", 1, NULL, session_create },
	{ "GET", 2, NULL, ses_get },
	{ "PATCH", 2, NULL, ses_patch },
	{ "POST", 3, "assignments", assign_add },
	{ "DELETE", 5, "assignments", assign_remove },
};

void dash_sessions(struct dash_call *c)
{
	(void)dash_dispatch(c, session_subs, sizeof(session_subs) / sizeof(session_subs[0]), 5);
}
