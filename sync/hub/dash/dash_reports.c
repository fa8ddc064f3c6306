/* dash_reports.c — reports for funders and the municipality, as JSON and
 * as Dutch-Excel CSV (csvout.h: ';', BOM, CRLF, formula guard): the
 * presentielijst of a session, attendance per participant over a programme,
 * reach (unique participants and visits) and guests per local month and
 * location, volunteer hours per person per month. Counts 1..4 can be
 * suppressed (null / "<5"). Every CSV download is audited.
 * Must not: count rows of another organisation (every query binds org_id). */
#include "hub/dash/dash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hub/base/calendar.h"
#include "hub/base/htime.h"
#include "hub/base/jfigure.h"
#include "hub/db/db.h"
#include "hub/http/http.h"
#include "hub/reports/csvout.h"
#include "hub/reports/presence.h"

#define DASH_CSV_MAX      (8 << 20)   /* bytes of one CSV report */
#define DASH_MONTHS_MAX   60          /* months of one period report */
#define DASH_CELL_MAX     64

enum col_type { C_STR, C_INT, C_COUNT, C_HOURS, C_BOOL, C_PCT };

struct col {
	const char *key, *header;
	enum col_type type;
};

/* Rows (JSON objects) to CSV in a malloc'd buffer. Returns 0 or -1. */
static int to_csv(json_t *rows, const struct col *cols, struct hub_buf *b)
{
	size_t i;
	json_t *row;

	b->cap = DASH_CSV_MAX;
	b->len = 0;
	b->p = malloc(b->cap);
	if (b->p == NULL || hub_buf_str(b, HUB_CSV_BOM) != 0)
		return -1;
	for (int k = 0; cols[k].key; k++)
		if (hub_csv_cell(b, cols[k].header, k == 0) != 0)
			return -1;
	if (hub_buf_str(b, "\r\n") != 0)
		return -1;
	json_array_foreach(rows, i, row) {
		for (int k = 0; cols[k].key; k++) {
			json_t *v = json_object_get(row, cols[k].key);
			char cell[DASH_CELL_MAX] = "";
			const char *s = cell;

			if (cols[k].type == C_STR)
				s = json_is_string(v) ? json_string_value(v) : "";
			else if (cols[k].type == C_BOOL)
				s = json_is_true(v) ? "ja" : "nee";
			else if (json_is_null(v) || v == NULL)
				s = cols[k].type == C_COUNT ? "<5" : "";
			else if (cols[k].type == C_HOURS || cols[k].type == C_PCT) {
				char *dot;

				snprintf(cell, sizeof(cell), cols[k].type == C_PCT ? "%.0f" : "%.2f",
				    json_number_value(v));
				dot = strchr(cell, '.');
				if (dot != NULL)
					*dot = ',';
			} else
				snprintf(cell, sizeof(cell), "%lld", (long long)json_integer_value(v));
			if (hub_csv_cell(b, s, k == 0) != 0)
				return -1;
		}
		if (hub_buf_str(b, "\r\n") != 0)
			return -1;
	}
	return 0;
}

/* The presentielijst's "handmatig" cell for a row's "manual" (NULL: none). */
static const char *manual_nl(const char *m)
{
	if (m == NULL)
		return "";
	if (strcmp(m, "check_in") == 0)
		return "binnenkomst";
	if (strcmp(m, "check_out") == 0)
		return "vertrektijd";
	return "binnenkomst en vertrektijd";
}

/* Answer rows as CSV named name (audited with detail), or JSON body j. */
static void answer(struct dash_call *c, int csv, const char *name, const char *detail,
    json_t *j, json_t *rows, const struct col *cols)
{
	struct hub_buf b = { 0 };
	char target[48];

	if (!csv) {
		dash_json(c->rs, 200, j);
		return;
	}
	if (to_csv(rows, cols, &b) != 0) {
		free(b.p);
		json_decref(j);
		hub_resp_error(c->rs, 413, "too_large", "the report is larger than %d MiB; choose a shorter period",
		    DASH_CSV_MAX >> 20);
		return;
	}
	json_decref(j);
	snprintf(target, sizeof(target), "%s.csv", name);
	dash_send_csv(c, &b, target, detail, (int64_t)json_array_size(rows), target);
}

static void local_hm(const char *tz, int64_t ms, char out[8])
{
	struct tm tm;

	out[0] = '\0';
	if (ms >= 0 && hub_cal_local(tz, ms, &tm) == 0)
		snprintf(out, 8, "%02d:%02d", tm.tm_hour, tm.tm_min);
}

static int64_t iso_to_ms(json_t *v)
{
	struct tm tm = { 0 };
	const char *s = json_string_value(v), *end;

	if (s == NULL || (end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm)) == NULL || *end != '\0')
		return -1;
	return (int64_t)timegm(&tm) * 1000;
}

static void presentielijst(struct dash_call *c, int csv)
{
	static const struct col cols[] = {
		{ "nr", "nr", C_INT }, { "display_name", "naam", C_STR }, { "role", "rol", C_STR },
		{ "expected", "verwacht", C_BOOL }, { "present", "aanwezig", C_BOOL },
		{ "in", "binnen", C_STR }, { "out", "weg", C_STR }, { "hours", "uren", C_HOURS },
		{ "out_state", "uitgecheckt", C_STR }, { "manual_nl", "handmatig", C_STR },
		{ "sign", "handtekening", C_STR },
		{ NULL, NULL, C_STR },
	};
	const char *sid = hub_req_arg(c->rq, "session");
	char prog[PR_ID_MAX] = "", ptitle[PR_TITLE_MAX] = "", detail[96];
	struct hub_res *r = NULL;
	json_t *rows = json_array(), *s = NULL;
	int64_t start = 0, end = 0;
	int rc, found = 0, expected = 0, present = 0;
	char title[PR_TITLE_MAX] = "", room[PR_ROOM_MAX] = "", kind[PR_ROLE_MAX] = "";
	char lid[PR_ID_MAX] = "", lname[PR_NAME_MAX] = "", tz[PR_TZ_MAX] = "";

	if (sid == NULL || !dash_id_ok(sid)) {
		json_decref(rows);
		hub_resp_error(c->rs, sid ? 404 : 400, sid ? "not_found" : "bad_request", "session: a session id");
		return;
	}
	rc = hub_db_query(c->db, "SELECT s.title, s.room, s.kind, s.start_ms, s.end_ms,"
	    " COALESCE(s.programme_id, ''), COALESCE(g.title, ''), l.id, l.name, l.timezone FROM sessions s"
	    " JOIN locations l ON l.id = s.location_id AND l.org_id = s.org_id LEFT JOIN programmes g"
	    " ON g.org_id = s.org_id AND g.id = s.programme_id WHERE s.org_id = $1 AND s.id = $2", 2,
	    (struct hub_param[]){ HP_S(c->who.org_id), HP_S(sid) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		snprintf(title, sizeof(title), "%s", hub_res_text(r, 0));
		snprintf(room, sizeof(room), "%s", hub_res_text(r, 1));
		snprintf(kind, sizeof(kind), "%s", hub_res_text(r, 2));
		start = hub_res_int(r, 3);
		end = hub_res_int(r, 4);
		snprintf(prog, sizeof(prog), "%s", hub_res_text(r, 5));
		snprintf(ptitle, sizeof(ptitle), "%s", hub_res_text(r, 6));
		snprintf(lid, sizeof(lid), "%s", hub_res_text(r, 7));
		snprintf(lname, sizeof(lname), "%s", hub_res_text(r, 8));
		snprintf(tz, sizeof(tz), "%s", hub_res_text(r, 9));
		found = 1;
	}
	hub_res_free(r);
	if (rc >= 0 && found)
		rc = dash_session_people(c->db, c->who.org_id, sid, prog, end, rows, &expected, &present);
	if (rc < 0 || !found) {
		json_decref(rows);
		if (rc < 0)
			dash_fail(c, rc);
		else
			hub_resp_error(c->rs, 404, "not_found", "no such session");
		return;
	}
	{
		size_t i;
		json_t *row;

		json_array_foreach(rows, i, row) {
			char in[8], out[8];

			local_hm(tz, iso_to_ms(json_object_get(row, "check_in")), in);
			local_hm(tz, iso_to_ms(json_object_get(row, "check_out")), out);
			json_object_set_new(row, "nr", json_integer((json_int_t)i + 1));
			if (csv) {
				const char *st = json_string_value(json_object_get(row, "checked_out"));

				json_object_set_new(row, "in", json_string(in));
				json_object_set_new(row, "out", json_string(out));
				/* the flag beside the hours (presence.h): blank hours while "nog bezig" */
				json_object_set_new(row, "out_state", json_string(st == NULL ? "" :
				    strcmp(st, "yes") == 0 ? "ja" : strcmp(st, "open") == 0 ? "nog bezig" : "nee"));
				json_object_set_new(row, "manual_nl", json_string(manual_nl(json_string_value(
				    json_object_get(row, "manual")))));
			}
		}
	}
	s = json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:{s:s,s:s},s:o}", "id", sid, "title", title,
	    "room", room, "kind", kind, "start", dash_iso(start), "end", dash_iso(end), "timezone", tz,
	    "location", "id", lid, "name", lname, "programme", prog[0] ? json_pack("{s:s,s:s}", "id", prog,
	    "title", ptitle) : json_null());
	snprintf(detail, sizeof(detail), "session=%s", sid);
	answer(c, csv, "presentielijst", detail, json_pack("{s:o,s:i,s:i,s:O}", "session", s,
	    "expected", expected, "present", present, "rows", rows), rows, cols);
	json_decref(rows);
}

static void attendance(struct dash_call *c, int csv)
{
	static const struct col cols[] = {
		{ "display_name", "naam", C_STR }, { "attended", "aanwezig", C_INT }, { "of", "van", C_INT },
		{ "percent", "percentage", C_PCT }, { NULL, NULL, C_STR },
	};
	const char *prog = hub_req_arg(c->rq, "programme");
	char title[PR_TITLE_MAX] = "", detail[96];
	struct hub_res *r = NULL;
	json_t *rows = json_array();
	int64_t now = hub_now_ms(), held = 0;
	int rc, found = 0;

	if (prog == NULL || !dash_id_ok(prog)) {
		json_decref(rows);
		hub_resp_error(c->rs, prog ? 404 : 400, prog ? "not_found" : "bad_request", "programme: an id");
		return;
	}
	rc = dash_programme_title(c, prog, title, sizeof(title));
	found = rc == 1;
	if (rc >= 0 && found)
		rc = hub_db_int(c->db, "SELECT COUNT(*) FROM sessions WHERE org_id = $1 AND programme_id = $2"
		    " AND cancelled = 0 AND start_ms <= $3", 3, (struct hub_param[]){ HP_S(c->who.org_id),
		    HP_S(prog), HP_I(now) }, &held);
	if (rc >= 0 && found)
		rc = hub_db_query(c->db, "SELECT x.pid, p.display_name, COUNT(DISTINCT x.sid) FROM ("
		    " SELECT en.person_id AS pid, CAST(NULL AS TEXT) AS sid FROM enrolments en"
		    "  WHERE en.org_id = $1 AND en.programme_id = $2 AND en.active = 1"
		    " UNION ALL SELECT e.person_id, e.session_id FROM events e JOIN sessions s"
		    "  ON s.org_id = e.org_id AND s.id = e.session_id WHERE e.org_id = $1"
		    "  AND s.programme_id = $2 AND s.cancelled = 0 AND s.start_ms <= $3"
		    "  AND e.kind = 'check_in' AND e.person_id IS NOT NULL AND COALESCE(e.role, '') = ''"
		    " ) x JOIN people p ON p.org_id = $1 AND p.id = x.pid"
		    " GROUP BY x.pid, p.display_name ORDER BY p.display_name, x.pid", 3,
		    (struct hub_param[]){ HP_S(c->who.org_id), HP_S(prog), HP_I(now) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		int64_t n = hub_res_int(r, 2);

		json_array_append_new(rows, json_pack("{s:s,s:s,s:I,s:I,s:o}", "person_id", hub_res_text(r, 0),
		    "display_name", hub_res_text(r, 1), "attended", (json_int_t)n, "of", (json_int_t)held,
		    "percent", hub_json_figure(held ? 100.0 * (double)n / (double)held : 0.0,
		    HUB_PERCENT_DECIMALS)));
	}
	hub_res_free(r);
	if (rc < 0 || !found) {
		json_decref(rows);
		if (rc < 0)
			dash_fail(c, rc);
		else
			hub_resp_error(c->rs, 404, "not_found", "no such programme");
		return;
	}
	snprintf(detail, sizeof(detail), "programme=%s", prog);
	answer(c, csv, "aanwezigheid", detail, json_pack("{s:{s:s,s:s},s:I,s:O}", "programme", "id", prog,
	    "title", title, "sessions", (json_int_t)held, "rows", rows), rows, cols);
	json_decref(rows);
}

/* Period reports: what = "reach", "guests" or "hours". */

/* One presence of a volunteer into per_person (person id -> row of the
 * month): shifts, hundredths of hours (presence.h's hub_presence_centi, the
 * figure of the export's row; "final": how many presences have one), and
 * forgotten and open check-outs, and "manual": how many were (partly)
 * entered by hand on the dashboard. */
static void hours_row(json_t *per_person, struct hub_res *r, const char *month, int64_t now_ms,
    enum hub_checkout_rule rule)
{
	const char *pid = hub_res_text(r, 0);
	json_t *cur = json_object_get(per_person, pid);
	struct hub_presence_t pt = {
		.t_in = hub_res_int(r, 2), .t_out = hub_res_is_null(r, 3) ? -1 : hub_res_int(r, 3),
		.s_end = hub_res_is_null(r, 4) ? -1 : hub_res_int(r, 4), .volunteer = 1, .rule = rule,
		.now = now_ms,
	};
	enum hub_checkout_state st;
	int64_t centi;

	st = hub_presence_centi(&pt, &centi);
	if (cur == NULL) {
		cur = json_pack("{s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I}", "person_id", pid, "display_name",
		    hub_res_text(r, 1), "month", month, "sessions", (json_int_t)0, "centi", (json_int_t)0,
		    "final", (json_int_t)0, "not_checked_out", (json_int_t)0, "still_checked_in", (json_int_t)0);
		json_object_set_new(cur, "manual", json_integer(0));
		json_object_set_new(per_person, pid, cur);
	}
#define ADD(key, n) json_object_set_new(cur, key, json_integer(json_integer_value(json_object_get(cur, key)) + (n)))
	ADD("sessions", 1);
	ADD("centi", centi > 0 ? centi : 0);
	ADD("final", centi >= 0);
	ADD("not_checked_out", st == HUB_OUT_FORGOTTEN);
	ADD("still_checked_in", st == HUB_OUT_OPEN);
	ADD("manual", hub_res_int(r, 5) != 0);
#undef ADD
}
enum period { P_REACH, P_GUESTS, P_HOURS };

/* Counts are of presences (reports/presence.h): one per person per
 * session however many kiosks saw them. The events window is one day wider
 * on each side ($5, $6) so a presence sees all its taps; it counts in the
 * month of its first tap in ($3, $4). */
#define PERIOD_PRESENCES \
	"(" HUB_PRESENCE_SELECT("e.org_id = $1 AND e.location_id = $2 AND e.t_ms >= $5 AND e.t_ms < $6") ") x"
static const char sql_reach[] =
	"SELECT COALESCE(s.programme_id, ''), COALESCE(g.title, ''),"
	" COUNT(DISTINCT CASE WHEN x.anon = 0 THEN x.pid END), COUNT(*)"
	" FROM " PERIOD_PRESENCES " LEFT JOIN sessions s ON s.org_id = x.org_id AND s.id = x.session_id"
	" LEFT JOIN programmes g ON g.org_id = s.org_id AND g.id = s.programme_id"
	" WHERE x.kind = 'check_in' AND x.role = '' AND x.t_in >= $3 AND x.t_in < $4"
	" GROUP BY COALESCE(s.programme_id, ''), COALESCE(g.title, '') ORDER BY 2, 1";
static const char sql_guests[] =
	"SELECT '', '', COUNT(*), COUNT(*) FROM events e WHERE e.org_id = $1 AND e.location_id = $2"
	" AND e.kind = 'guest' AND e.t_ms >= $3 AND e.t_ms < $4 HAVING COUNT(*) > 0";
/* A volunteer's presences, each with what presence.h needs for its hours. */
static const char sql_hours[] =
	"SELECT x.pid, COALESCE(p.display_name, ''), x.t_in, x.t_out, s.end_ms, x.manual"
	" FROM " PERIOD_PRESENCES " LEFT JOIN sessions s ON s.org_id = x.org_id AND s.id = x.session_id"
	" LEFT JOIN people p ON p.org_id = x.org_id AND p.id = x.pid"
	" WHERE x.kind = 'check_in' AND x.anon = 0 AND x.t_in >= $3 AND x.t_in < $4"
	" AND (x.role <> '' OR EXISTS (SELECT 1 FROM assignments a WHERE a.org_id = x.org_id"
	" AND a.session_id = x.session_id AND a.person_id = x.pid AND a.active = 1))"
	" ORDER BY 2, 1, 3";

static json_t *count_or_null(int64_t n, int suppress)
{
	return suppress && n > 0 && n < DASH_SUPPRESS_BELOW ? json_null() : json_integer((json_int_t)n);
}

static void period(struct dash_call *c, enum period what, int csv)
{
	static const struct col reach_cols[] = {
		{ "month", "maand", C_STR }, { "programme", "programma", C_STR }, { "location", "locatie", C_STR },
		{ "unique", "unieke_deelnemers", C_COUNT }, { "visits", "bezoeken", C_COUNT }, { NULL, NULL, C_STR },
	};
	static const struct col guest_cols[] = {
		{ "month", "maand", C_STR }, { "location", "locatie", C_STR }, { "guests", "gasten", C_COUNT },
		{ NULL, NULL, C_STR },
	};
	static const struct col hour_cols[] = {
		{ "display_name", "naam", C_STR }, { "month", "maand", C_STR }, { "sessions", "diensten", C_INT },
		{ "hours", "uren", C_HOURS }, { "not_checked_out", "niet_uitgecheckt", C_INT },
		{ "still_checked_in", "nog_ingecheckt", C_INT }, { "manual", "handmatig", C_INT },
		{ NULL, NULL, C_STR },
	};
	static const char *const names[] = { "bereik", "gasten", "vrijwilligersuren" };
	const char *from = hub_req_arg(c->rq, "from"), *to = hub_req_arg(c->rq, "to");
	const char *sup = hub_req_arg(c->rq, "suppress");
	int suppress = sup != NULL && strcmp(sup, "1") == 0 && what != P_HOURS;
	struct dash_loc *locs = NULL;
	char f[HUB_DATE_STR], t[HUB_DATE_STR], detail[128];
	int fy, fm, fd, ty, tm_, td, nl = 0, rc, months;
	json_t *rows = json_array();
	time_t now = time(NULL);
	int64_t now_ms = hub_now_ms();
	enum hub_checkout_rule rule = HUB_CHECKOUT_SESSION_END;
	struct tm g;

	gmtime_r(&now, &g);
	strftime(f, sizeof(f), "%Y-01-01", &g);
	strftime(t, sizeof(t), "%Y-%m-%d", &g);
	if (from != NULL && from[0])
		snprintf(f, sizeof(f), "%.10s", from);
	if (to != NULL && to[0])
		snprintf(t, sizeof(t), "%.10s", to);
	if ((from && strlen(from) > 10) || (to && strlen(to) > 10) || hub_cal_parse_date(f, &fy, &fm, &fd) != 0 ||
	    hub_cal_parse_date(t, &ty, &tm_, &td) != 0 || strcmp(f, t) > 0) {
		json_decref(rows);
		hub_resp_error(c->rs, 400, "bad_request", "from, to: YYYY-MM-DD with from <= to");
		return;
	}
	months = (ty - fy) * 12 + (tm_ - fm) + 1;
	if (months > DASH_MONTHS_MAX) {
		json_decref(rows);
		hub_resp_error(c->rs, 400, "bad_request", "at most %d months", DASH_MONTHS_MAX);
		return;
	}
	rc = hub_db_begin_snapshot(c->db);
	if (rc == HUB_DB_OK)
		rule = dash_checkout_rule(c->db, c->who.org_id);
	if (rc == HUB_DB_OK)
		rc = dash_locations(c->db, c->who.org_id, &locs, &nl);
	for (int k = 0; rc >= 0 && k < months; k++) {
		int y = fy + (fm - 1 + k) / 12, m = (fm - 1 + k) % 12 + 1;
		char month[16];
		json_t *per_person = what == P_HOURS ? json_object() : NULL;

		snprintf(month, sizeof(month), "%04d-%02d", y, m);
		for (int i = 0; rc >= 0 && i < nl; i++) {
			int64_t a, b, lo, hi, dummy;
			struct hub_res *r = NULL;

			/* [month start, next month start) clipped to [from, to + 1 day), local */
			if (hub_cal_to_utc(locs[i].tz, y, m, 1, 0, 0, &a) != 0 ||
			    hub_cal_to_utc(locs[i].tz, m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1, 0, 0, &b) != 0 ||
			    hub_cal_day(locs[i].tz, f, &lo, &dummy) != 0 || hub_cal_day(locs[i].tz, t, &dummy, &hi) != 0) {
				rc = HUB_DB_ERROR;
				break;
			}
			if (a < lo)
				a = lo;
			if (b > hi)
				b = hi;
			if (a >= b)
				continue;
			rc = hub_db_query(c->db, what == P_REACH ? sql_reach : what == P_GUESTS ? sql_guests :
			    sql_hours, what == P_GUESTS ? 4 : 6, (struct hub_param[]){ HP_S(c->who.org_id), HP_S(locs[i].id), HP_I(a),
			    HP_I(b), HP_I(a - HUB_DAY_MS), HP_I(b + HUB_DAY_MS) }, 0, &r);
			while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
				if (what == P_REACH)
					json_array_append_new(rows, json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o}",
					    "month", month, "programme_id", hub_res_text(r, 0), "programme",
					    hub_res_text(r, 1), "location_id", locs[i].id, "location", locs[i].name,
					    "unique", count_or_null(hub_res_int(r, 2), suppress),
					    "visits", count_or_null(hub_res_int(r, 3), suppress)));
				else if (what == P_GUESTS)
					json_array_append_new(rows, json_pack("{s:s,s:s,s:s,s:o}", "month", month,
					    "location_id", locs[i].id, "location", locs[i].name,
					    "guests", count_or_null(hub_res_int(r, 2), suppress)));
				else
					hours_row(per_person, r, month, now_ms, rule);
			}
			hub_res_free(r);
		}
		if (per_person != NULL) {
			const char *key;
			json_t *v;

			json_object_foreach(per_person, key, v) {
				int64_t centi = json_integer_value(json_object_get(v, "centi"));
				int final = json_integer_value(json_object_get(v, "final")) > 0;

				json_object_del(v, "centi");
				json_object_del(v, "final");
				/* null: none of the month's presences has hours yet (still in) */
				json_object_set_new(v, "hours", final ? hub_json_figure((double)centi / 100.0,
				    HUB_HOURS_DECIMALS) : json_null());
				json_array_append(rows, v);
			}
			json_decref(per_person);
		}
	}
	hub_db_rollback(c->db);
	free(locs);
	if (rc < 0) {
		json_decref(rows);
		hub_resp_error(c->rs, 500, "internal", "the report failed");
		return;
	}
	snprintf(detail, sizeof(detail), "from=%s;to=%s%s", f, t, suppress ? ";suppress=1" : "");
	{
		json_t *body = json_pack("{s:s,s:s,s:b,s:O}", "from", f, "to", t, "suppressed", suppress,
		    "rows", rows);

		if (what == P_HOURS)
			json_object_set_new(body, "checkout_rule", json_string(hub_checkout_rule_name(rule)));
		answer(c, csv, names[what], detail, body, rows, what == P_REACH ? reach_cols :
		    what == P_GUESTS ? guest_cols : hour_cols);
	}
	json_decref(rows);
}

void dash_reports(struct dash_call *c)
{
	char name[32];
	size_t n;
	int csv;

	if (dash_expect(c, "GET", 2) != 0)
		return;
	n = strlen(c->seg[1]);
	csv = n > 4 && strcmp(c->seg[1] + n - 4, ".csv") == 0;
	snprintf(name, sizeof(name), "%.*s", (int)(csv ? n - 4 : n), c->seg[1]);
	if (strcmp(name, "presentielijst") == 0)
		presentielijst(c, csv);
	else if (strcmp(name, "attendance") == 0)
		attendance(c, csv);
	else if (strcmp(name, "reach") == 0)
		period(c, P_REACH, csv);
	else if (strcmp(name, "guests") == 0)
		period(c, P_GUESTS, csv);
	else if (strcmp(name, "hours") == 0)
		period(c, P_HOURS, csv);
	else
		hub_resp_error(c->rs, 404, "not_found", "no such report");
}
