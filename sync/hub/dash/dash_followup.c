/* dash_followup.c — Follow-up: sessions of the last DASH_FOLLOWUP_DAYS days
 * that have ended (a session still running has no no-shows yet), with
 * their expected, present and no-shows as Today counts them
 * (dash_session_people, docs/DASHBOARD.md), early drop-outs (enrolled
 * people absent from the last two ended sessions of their programme and
 * not present today), and the "contacted" marks.
 * Must not: list people of another organisation (every query binds org_id),
 * or count expected/present any other way than dash_session_people. */
#include "hub/dash/dash.h"

#include <stdio.h>
#include <string.h>

#include "hub/base/calendar.h"
#include "hub/base/htime.h"
#include "hub/db/db.h"
#include "hub/http/http.h"

#define DASH_FOLLOWUP_SESSIONS_MAX 200
#define DASH_PROGRAMMES_MAX        256

static const char sql_recent[] =
	"SELECT s.id, s.title, s.start_ms, l.timezone, s.programme_id, s.end_ms"
	" FROM sessions s JOIN locations l ON l.id = s.location_id AND l.org_id = s.org_id"
	" WHERE s.org_id = $1 AND s.cancelled = 0 AND s.programme_id IS NOT NULL"
	" AND s.end_ms <= $2 AND s.start_ms > $3 ORDER BY s.start_ms DESC, s.id LIMIT $4";

/* The contacted and reminded marks of session $2's people. */
static const char sql_marks[] =
	"SELECT f.person_id, MAX(f.contacted_ms), 0 FROM followup_marks f WHERE f.org_id = $1"
	" AND f.session_id = $2 GROUP BY f.person_id"
	" UNION ALL SELECT rm.person_id, MAX(rm.at_ms), 1 FROM reminders rm WHERE rm.org_id = $1"
	" AND rm.session_id = $2 AND rm.state = 'sent' GROUP BY rm.person_id";

/* A drop-out is enrolled, has no presence (any tap in, any role) at the
 * last two ended sessions of the programme ($3, $4), and none anywhere in
 * the organisation since $5 (the local day's start): someone present
 * today is never a drop-out. */
static const char sql_dropouts[] =
	"SELECT en.person_id, p.display_name,"
	" (SELECT MAX(e.t_ms) FROM events e WHERE e.org_id = en.org_id AND e.person_id = en.person_id"
	"  AND e.kind = 'check_in'),"
	" (SELECT MAX(f.contacted_ms) FROM followup_marks f WHERE f.org_id = en.org_id"
	"  AND f.person_id = en.person_id AND f.session_id = '')"
	" FROM enrolments en JOIN people p ON p.org_id = en.org_id AND p.id = en.person_id"
	" WHERE en.org_id = $1 AND en.programme_id = $2 AND en.active = 1"
	" AND NOT EXISTS (SELECT 1 FROM events e WHERE e.org_id = en.org_id AND e.person_id = en.person_id"
	" AND e.kind IN ('check_in', 'drop_in', 'guest') AND (e.session_id IN ($3, $4) OR e.t_ms >= $5))"
	" ORDER BY p.display_name, en.person_id";
static json_t *ms_or_null(struct hub_res *r, int col)
{
	return hub_res_is_null(r, col) ? json_null() : dash_iso(hub_res_int(r, col));
}

/* Drop-outs of one programme into out. */
static int dropouts_of(struct dash_call *c, const char *prog, const char *title, int64_t now,
    json_t *out)
{
	char sid[2][PR_ID_MAX], tz[2][PR_TZ_MAX];
	int64_t start[2], day0;
	struct hub_res *r = NULL;
	int n = 0, rc;

	rc = hub_db_query(c->db, "SELECT s.id, s.start_ms, l.timezone FROM sessions s JOIN locations l"
	    " ON l.id = s.location_id WHERE s.org_id = $1 AND s.programme_id = $2 AND s.cancelled = 0"
	    " AND s.end_ms <= $3 ORDER BY s.start_ms DESC LIMIT 2", 3,
	    (struct hub_param[]){ HP_S(c->who.org_id), HP_S(prog), HP_I(now) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1 && n < 2) {
		snprintf(sid[n], sizeof(sid[n]), "%s", hub_res_text(r, 0));
		start[n] = hub_res_int(r, 1);
		snprintf(tz[n], sizeof(tz[n]), "%s", hub_res_text(r, 2));
		n++;
	}
	hub_res_free(r);
	r = NULL;
	if (rc < 0 || n < 2)
		return rc < 0 ? rc : HUB_DB_OK;
	{
		char today[HUB_DATE_STR];
		int64_t day_end;

		if (hub_cal_date(tz[0], now, today) != 0 || hub_cal_day(tz[0], today, &day0, &day_end) != 0)
			day0 = now - HUB_DAY_MS;
	}
	rc = hub_db_query(c->db, sql_dropouts, 5, (struct hub_param[]){ HP_S(c->who.org_id), HP_S(prog),
	    HP_S(sid[0]), HP_S(sid[1]), HP_I(day0) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1)
		json_array_append_new(out, json_pack("{s:s,s:s,s:{s:s,s:s},s:[{s:s,s:o,s:s},{s:s,s:o,s:s}],s:o,s:o}",
		    "person_id", hub_res_text(r, 0), "display_name", hub_res_text(r, 1),
		    "programme", "id", prog, "title", title,
		    "missed", "session_id", sid[1], "start", dash_iso(start[1]), "timezone", tz[1],
		    "session_id", sid[0], "start", dash_iso(start[0]), "timezone", tz[0],
		    "last_present", ms_or_null(r, 2), "contacted", ms_or_null(r, 3)));
	hub_res_free(r);
	return rc < 0 ? rc : HUB_DB_OK;
}

/* How many of a session's people (dash_session_people) are expected and
 * not present: its no-shows. */
static size_t noshow_count(json_t *people)
{
	size_t i, n = 0;
	json_t *p;

	json_array_foreach(people, i, p)
		n += json_is_true(json_object_get(p, "expected")) && !json_is_true(json_object_get(p, "present"));
	return n;
}

static void overview(struct dash_call *c)
{
	char progs[DASH_PROGRAMMES_MAX][2][PR_TITLE_MAX];
	json_t *ses = json_array(), *drop = json_array();
	struct hub_res *r = NULL;
	int64_t now = hub_now_ms();
	int np = 0, rc;

	rc = hub_db_begin_snapshot(c->db);
	if (rc == HUB_DB_OK)
		rc = hub_db_query(c->db, sql_recent, 4, (struct hub_param[]){ HP_S(c->who.org_id), HP_I(now),
		    HP_I(now - DASH_FOLLOWUP_DAYS * HUB_DAY_MS), HP_I(DASH_FOLLOWUP_SESSIONS_MAX) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1)
		json_array_append_new(ses, json_pack("{s:s,s:s,s:o,s:s,s:s,s:I}", "id", hub_res_text(r, 0),
		    "title", hub_res_text(r, 1), "start", dash_iso(hub_res_int(r, 2)), "timezone",
		    hub_res_text(r, 3), "programme_id", hub_res_text(r, 4), "end_ms",
		    (json_int_t)hub_res_int(r, 5)));
	hub_res_free(r);
	r = NULL;
	/* expected, present, no-shows: the figures of Today and the presentielijst */
	{
		size_t i;
		json_t *v;

		json_array_foreach(ses, i, v) {
			int exp = 0, pres = 0;
			json_t *people = json_array();

			if (rc >= 0)
				rc = dash_session_people(c->db, c->who.org_id, json_string_value(json_object_get(v, "id")),
				    json_string_value(json_object_get(v, "programme_id")),
				    json_integer_value(json_object_get(v, "end_ms")), people, &exp, &pres);
			json_object_del(v, "programme_id");
			json_object_del(v, "end_ms");
			json_object_set_new(v, "expected", json_integer(exp));
			json_object_set_new(v, "present", json_integer(pres));
			json_object_set_new(v, "no_shows", json_integer((json_int_t)noshow_count(people)));
			json_decref(people);
		}
	}
	if (rc >= 0)
		rc = hub_db_query(c->db, "SELECT id, title FROM programmes WHERE org_id = $1 ORDER BY title, id",
		    1, (struct hub_param[]){ HP_S(c->who.org_id) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		if (np >= DASH_PROGRAMMES_MAX)
			continue;
		snprintf(progs[np][0], sizeof(progs[np][0]), "%s", hub_res_text(r, 0));
		snprintf(progs[np][1], sizeof(progs[np][1]), "%s", hub_res_text(r, 1));
		np++;
	}
	hub_res_free(r);
	for (int i = 0; rc >= 0 && i < np; i++)
		rc = dropouts_of(c, progs[i][0], progs[i][1], now, drop);
	hub_db_rollback(c->db);
	if (rc < 0) {
		json_decref(ses);
		json_decref(drop);
		dash_fail(c, rc);
		return;
	}
	dash_json(c->rs, 200, json_pack("{s:o,s:o}", "sessions", ses, "dropouts", drop));
}

/* The people of a session (dash_session_people) who are expected and not
 * present into list, volunteers (a role) or participants, with their
 * contacted ("c:ID") and reminded ("r:ID") marks. */
static void append_noshows(json_t *list, json_t *people, json_t *marks, int volunteers)
{
	size_t i;
	json_t *p;

	json_array_foreach(people, i, p) {
		const char *pid = json_string_value(json_object_get(p, "person_id"));
		const char *role = json_string_value(json_object_get(p, "role"));
		char kc[PR_ID_MAX + 2], kr[PR_ID_MAX + 2];
		json_t *mc, *mr;

		if (pid == NULL || !json_is_true(json_object_get(p, "expected")) ||
		    json_is_true(json_object_get(p, "present")) || (role != NULL && role[0] != '\0') != volunteers)
			continue;
		snprintf(kc, sizeof(kc), "c:%s", pid);
		snprintf(kr, sizeof(kr), "r:%s", pid);
		mc = json_object_get(marks, kc);
		mr = json_object_get(marks, kr);
		json_array_append_new(list, json_pack("{s:s,s:O,s:O,s:O,s:O}", "person_id", pid,
		    "display_name", json_object_get(p, "display_name"), "role", json_object_get(p, "role"),
		    "contacted", mc ? mc : json_null(), "reminded", mr ? mr : json_null()));
	}
}

static void noshows(struct dash_call *c)
{
	const char *sid = hub_req_arg(c->rq, "session");
	char prog[PR_ID_MAX] = "", title[PR_TITLE_MAX] = "", tz[PR_TZ_MAX] = "";
	int64_t start = 0, end = 0;
	int expected = 0, present = 0, rc, found = 0;
	json_t *people = json_array(), *list = json_array(), *marks = json_object();
	struct hub_res *r = NULL;

	if (sid == NULL || !dash_id_ok(sid)) {
		hub_resp_error(c->rs, sid == NULL ? 400 : 404, sid == NULL ? "bad_request" : "not_found",
		    "session: a session id");
		goto out;
	}
	rc = hub_db_begin_snapshot(c->db);
	if (rc == HUB_DB_OK)
		rc = hub_db_query(c->db, "SELECT COALESCE(s.programme_id, ''), s.title, s.start_ms, l.timezone,"
		    " s.end_ms FROM sessions s JOIN locations l ON l.id = s.location_id AND l.org_id = s.org_id"
		    " WHERE s.org_id = $1 AND s.id = $2", 2, (struct hub_param[]){ HP_S(c->who.org_id),
		    HP_S(sid) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		snprintf(prog, sizeof(prog), "%s", hub_res_text(r, 0));
		snprintf(title, sizeof(title), "%s", hub_res_text(r, 1));
		start = hub_res_int(r, 2);
		snprintf(tz, sizeof(tz), "%s", hub_res_text(r, 3));
		end = hub_res_int(r, 4);
		found = 1;
	}
	hub_res_free(r);
	r = NULL;
	/* one definition of expected and present: Today's (dash_session_people) */
	if (rc >= 0 && found)
		rc = dash_session_people(c->db, c->who.org_id, sid, prog, end, people, &expected, &present);
	if (rc >= 0 && found)
		rc = hub_db_query(c->db, sql_marks, 2, (struct hub_param[]){ HP_S(c->who.org_id), HP_S(sid) },
		    0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		char key[PR_ID_MAX + 2];

		snprintf(key, sizeof(key), "%c:%s", hub_res_int(r, 2) ? 'r' : 'c', hub_res_text(r, 0));
		if (!hub_res_is_null(r, 1))
			json_object_set_new(marks, key, dash_iso(hub_res_int(r, 1)));
	}
	hub_res_free(r);
	hub_db_rollback(c->db);
	if (rc < 0 || !found) {
		if (rc < 0)
			dash_fail(c, rc);
		else
			hub_resp_error(c->rs, 404, "not_found", "no such session");
		goto out;
	}
	/* participants first, then volunteers, each by name */
	append_noshows(list, people, marks, 0);
	append_noshows(list, people, marks, 1);
	dash_json(c->rs, 200, json_pack("{s:{s:s,s:s,s:o,s:s,s:i,s:i},s:O}", "session", "id", sid,
	    "title", title, "start", dash_iso(start), "timezone", tz, "expected", expected,
	    "present", present, "no_shows", list));
out:
	json_decref(people);
	json_decref(list);
	json_decref(marks);
}

static void contacted(struct dash_call *c)
{
	json_t *j = dash_body(c), *v;
	const char *person = NULL, *sid = NULL;
	int64_t now = hub_now_ms();
	int yes = 1, rc;

	if (j == NULL || dash_str(c, j, "person_id", 1, PR_ID_MAX, 0, &person) != 0 ||
	    dash_str(c, j, "session_id", 0, PR_ID_MAX, 0, &sid) != 0)
		goto out;
	v = json_object_get(j, "contacted");
	if (v != NULL && !json_is_boolean(v)) {
		hub_resp_error(c->rs, 400, "bad_request", "contacted: true or false");
		goto out;
	}
	yes = v == NULL || json_is_true(v);
	rc = hub_db_begin(c->db, 1);
	if (rc == HUB_DB_OK)
		rc = dash_exists(c, "people", person);
	if (rc == 1 && sid != NULL)
		rc = dash_exists(c, "sessions", sid);
	if (rc == 0) {
		hub_db_rollback(c->db);
		hub_resp_error(c->rs, 404, "not_found", "no such person or session");
		goto out;
	}
	if (rc == 1 && yes)
		rc = hub_db_exec(c->db, "INSERT INTO followup_marks (org_id, person_id, session_id,"
		    " contacted_ms, coordinator_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (org_id,"
		    " person_id, session_id) DO UPDATE SET contacted_ms = excluded.contacted_ms,"
		    " coordinator_id = excluded.coordinator_id", 5, (struct hub_param[]){
		    HP_S(c->who.org_id), HP_S(person), HP_S(sid ? sid : ""), HP_I(now), HP_S(c->who.id) }, NULL);
	else if (rc == 1)
		rc = hub_db_exec(c->db, "DELETE FROM followup_marks WHERE org_id = $1 AND person_id = $2"
		    " AND session_id = $3", 3, (struct hub_param[]){ HP_S(c->who.org_id), HP_S(person),
		    HP_S(sid ? sid : "") }, NULL);
	if (rc == HUB_DB_OK)
		rc = dash_audit(c->db, &c->who, "followup.contacted", person, yes ? (sid ? sid : "drop-out") : "undone");
	if (rc == HUB_DB_OK)
		rc = hub_db_commit(c->db);
	if (rc != HUB_DB_OK) {
		dash_fail(c, rc);
		goto out;
	}
	dash_json(c->rs, 200, json_pack("{s:o}", "contacted", yes ? dash_iso(now) : json_null()));
out:
	json_decref(j);
}

void dash_followup(struct dash_call *c)
{
	const char *m = c->rq->method;

	if (c->nseg == 1 && strcmp(m, "GET") == 0)
		overview(c);
	else if (c->nseg == 2 && strcmp(c->seg[1], "noshows") == 0 && strcmp(m, "GET") == 0)
		noshows(c);
	else if (c->nseg == 2 && strcmp(c->seg[1], "contacted") == 0 && strcmp(m, "POST") == 0)
		contacted(c);
	else if (c->nseg == 2 && strcmp(c->seg[1], "remind") == 0 && strcmp(m, "POST") == 0)
		dash_followup_remind(c);
	else if (c->nseg == 2 && strcmp(c->seg[1], "contact") == 0)
		dash_followup_contact(c);
	else
		hub_resp_error(c->rs, 404, "not_found", "no such endpoint");
}
