/* dash_followup.c — Follow-up: sessions of the last DASH_FOLLOWUP_DAYS days
 * that have ended (a session still running has no no-shows yet),
 * with their no-shows (enrolled in the programme, no
 * check-in), early drop-outs (enrolled people absent from the last two
 * ended sessions of their programme), and the "contacted" marks.
 * Must not: list people of another organisation (every query binds org_id). */
#include "hub/dash/dash.h"

#include <stdio.h>
#include <string.h>

#include "hub/base/htime.h"
#include "hub/db/db.h"
#include "hub/http/http.h"

#define DASH_FOLLOWUP_SESSIONS_MAX 200
#define DASH_PROGRAMMES_MAX        256

static const char sql_recent[] =
	"SELECT s.id, s.title, s.start_ms, l.timezone,"
	" (SELECT COUNT(*) FROM enrolments en JOIN people p ON p.org_id = en.org_id AND p.id = en.person_id"
	"  WHERE en.org_id = s.org_id AND en.programme_id = s.programme_id AND en.active = 1),"
	" (SELECT COUNT(*) FROM enrolments en JOIN people p ON p.org_id = en.org_id AND p.id = en.person_id"
	"  WHERE en.org_id = s.org_id AND en.programme_id = s.programme_id AND en.active = 1"
	"  AND EXISTS (SELECT 1 FROM events e WHERE e.org_id = en.org_id AND e.session_id = s.id"
	"  AND e.person_id = en.person_id AND e.kind = 'check_in'))"
	" FROM sessions s JOIN locations l ON l.id = s.location_id AND l.org_id = s.org_id"
	" WHERE s.org_id = $1 AND s.cancelled = 0 AND s.programme_id IS NOT NULL"
	" AND s.end_ms <= $2 AND s.start_ms > $3 ORDER BY s.start_ms DESC, s.id LIMIT $4";

static const char sql_noshows[] =
	"SELECT en.person_id, p.display_name,"
	" (SELECT MAX(f.contacted_ms) FROM followup_marks f WHERE f.org_id = en.org_id"
	"  AND f.person_id = en.person_id AND f.session_id = $2),"
	" (SELECT MAX(rm.at_ms) FROM reminders rm WHERE rm.org_id = en.org_id AND rm.person_id = en.person_id"
	"  AND rm.session_id = $2 AND rm.state = 'sent')"
	" FROM enrolments en JOIN people p ON p.org_id = en.org_id AND p.id = en.person_id"
	" WHERE en.org_id = $1 AND en.programme_id = $3 AND en.active = 1"
	" AND NOT EXISTS (SELECT 1 FROM events e WHERE e.org_id = en.org_id AND e.session_id = $2"
	" AND e.person_id = en.person_id AND e.kind = 'check_in')"
	" ORDER BY p.display_name, en.person_id";

static const char sql_dropouts[] =
	"SELECT en.person_id, p.display_name,"
	" (SELECT MAX(e.t_ms) FROM events e WHERE e.org_id = en.org_id AND e.person_id = en.person_id"
	"  AND e.kind = 'check_in'),"
	" (SELECT MAX(f.contacted_ms) FROM followup_marks f WHERE f.org_id = en.org_id"
	"  AND f.person_id = en.person_id AND f.session_id = '')"
	" FROM enrolments en JOIN people p ON p.org_id = en.org_id AND p.id = en.person_id"
	" WHERE en.org_id = $1 AND en.programme_id = $2 AND en.active = 1"
	" AND NOT EXISTS (SELECT 1 FROM events e WHERE e.org_id = en.org_id AND e.person_id = en.person_id"
	" AND e.kind = 'check_in' AND e.session_id IN ($3, $4))"
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
	int64_t start[2];
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
	rc = hub_db_query(c->db, sql_dropouts, 4, (struct hub_param[]){ HP_S(c->who.org_id), HP_S(prog),
	    HP_S(sid[0]), HP_S(sid[1]) }, 0, &r);
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
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		int64_t exp = hub_res_int(r, 4), pres = hub_res_int(r, 5);

		json_array_append_new(ses, json_pack("{s:s,s:s,s:o,s:s,s:I,s:I,s:I}", "id", hub_res_text(r, 0),
		    "title", hub_res_text(r, 1), "start", dash_iso(hub_res_int(r, 2)), "timezone",
		    hub_res_text(r, 3), "expected", (json_int_t)exp, "present", (json_int_t)pres,
		    "no_shows", (json_int_t)(exp - pres)));
	}
	hub_res_free(r);
	r = NULL;
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

static void noshows(struct dash_call *c)
{
	const char *sid = hub_req_arg(c->rq, "session");
	char prog[PR_ID_MAX] = "", title[PR_TITLE_MAX] = "", tz[PR_TZ_MAX] = "";
	int64_t start = 0;
	int expected = 0, present = 0, rc, found = 0;
	int64_t enrolled = 0;
	json_t *list = json_array();
	struct hub_res *r = NULL;

	if (sid == NULL || !dash_id_ok(sid)) {
		json_decref(list);
		hub_resp_error(c->rs, sid == NULL ? 400 : 404, sid == NULL ? "bad_request" : "not_found",
		    "session: a session id");
		return;
	}
	rc = hub_db_query(c->db, "SELECT COALESCE(s.programme_id, ''), s.title, s.start_ms, l.timezone"
	    " FROM sessions s JOIN locations l ON l.id = s.location_id AND l.org_id = s.org_id"
	    " WHERE s.org_id = $1 AND s.id = $2", 2, (struct hub_param[]){ HP_S(c->who.org_id),
	    HP_S(sid) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		snprintf(prog, sizeof(prog), "%s", hub_res_text(r, 0));
		snprintf(title, sizeof(title), "%s", hub_res_text(r, 1));
		start = hub_res_int(r, 2);
		snprintf(tz, sizeof(tz), "%s", hub_res_text(r, 3));
		found = 1;
	}
	hub_res_free(r);
	r = NULL;
	if (rc >= 0 && found)
		rc = hub_db_query(c->db, sql_noshows, 3, (struct hub_param[]){ HP_S(c->who.org_id),
		    HP_S(sid), HP_S(prog) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1)
		json_array_append_new(list, json_pack("{s:s,s:s,s:o,s:o}", "person_id", hub_res_text(r, 0),
		    "display_name", hub_res_text(r, 1), "contacted", ms_or_null(r, 2),
		    "reminded", ms_or_null(r, 3)));
	hub_res_free(r);
	if (rc < 0 || !found) {
		json_decref(list);
		if (rc < 0)
			dash_fail(c, rc);
		else
			hub_resp_error(c->rs, 404, "not_found", "no such session");
		return;
	}
	rc = hub_db_int(c->db, "SELECT COUNT(*) FROM enrolments en JOIN people p ON p.org_id = en.org_id"
	    " AND p.id = en.person_id WHERE en.org_id = $1 AND en.programme_id = $2 AND en.active = 1", 2,
	    (struct hub_param[]){ HP_S(c->who.org_id), HP_S(prog) }, &enrolled);
	if (rc < 0) {
		json_decref(list);
		dash_fail(c, rc);
		return;
	}
	expected = (int)enrolled;
	present = expected - (int)json_array_size(list);
	dash_json(c->rs, 200, json_pack("{s:{s:s,s:s,s:o,s:s,s:i,s:i},s:o}", "session", "id", sid,
	    "title", title, "start", dash_iso(start), "timezone", tz, "expected", expected,
	    "present", present, "no_shows", list));
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
