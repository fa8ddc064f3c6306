/* dash_funder.c — the coarse fields a funder asks for (issue 14 point 15,
 * docs/DASHBOARD.md "Funder fields"): the organisation's switch (off by
 * default, admins only; switching off clears every value), a person's age
 * band and 4-digit postcode area (only while on and only with the person's
 * consent; withdrawing consent clears both), and the report of persons
 * present (reports/presence.h) by band and by area with every cell under
 * DASH_SUPPRESS_BELOW shown as "<5" and no totals. All changes audited.
 * Must not: accept anything finer than a band or 4 digits, put a value into
 * the audit (field names only), or answer the report while the switch is off. */
#include "hub/dash/dash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/base/calendar.h"
#include "hub/base/htime.h"
#include "hub/db/db.h"
#include "hub/http/http.h"
#include "hub/reports/csvout.h"
#include "hub/reports/presence.h"

#define FUNDER_AREA_MIN   1000        /* 4-digit postcode areas, [1000, 9999] */
#define FUNDER_AREA_N     9000
#define FUNDER_AREA_STR   5
#define FUNDER_DAYS_MAX   1830        /* days of one report (five years) */
#define FUNDER_CSV_MAX    (1 << 20)   /* bytes of the CSV (9 000 areas fit) */
#define FUNDER_CELL_MAX   24
#define FUNDER_UNKNOWN    "unknown"   /* no consent or no value */

/* The fixed age bands, the only values people.age_band takes. */
static const char *const bands[] = { "0-17", "18-26", "27-45", "46-66", "67+" };
#define FUNDER_NBANDS ((int)(sizeof(bands) / sizeof(bands[0])))

static int band_index(const char *s)
{
	for (int i = 0; i < FUNDER_NBANDS; i++)
		if (strcmp(s, bands[i]) == 0)
			return i;
	return -1;
}

/* 1 if s is a postcode area: ^[1-9][0-9]{3}$ (never the letters). */
static int area_ok(const char *s)
{
	return strlen(s) == 4 && s[0] >= '1' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' &&
	    s[2] >= '0' && s[2] <= '9' && s[3] >= '0' && s[3] <= '9';
}

/* The organisation's switch into *on (0 if the row is missing). */
static int enabled_get(struct dash_call *c, int *on)
{
	int64_t v = 0;
	int rc = hub_db_int(c->db, "SELECT funder_fields FROM organisations WHERE id = $1", 1,
	    (struct hub_param[]){ HP_S(c->who.org_id) }, &v);

	*on = rc > 0 && v != 0;
	return rc < 0 ? rc : HUB_DB_OK;
}

/* A cell: "<5" under the threshold (0 too), else the number. */
static void cell(int64_t n, char out[FUNDER_CELL_MAX])
{
	if (n < DASH_SUPPRESS_BELOW)
		snprintf(out, FUNDER_CELL_MAX, "<%d", DASH_SUPPRESS_BELOW);
	else
		snprintf(out, FUNDER_CELL_MAX, "%lld", (long long)n);
}

/* GET /v1/dash/funder: the switch and the bands. */
static void setting_get(struct dash_call *c)
{
	json_t *arr = json_array();
	int on = 0, rc = enabled_get(c, &on);

	if (rc < 0) {
		json_decref(arr);
		dash_fail(c, rc);
		return;
	}
	for (int i = 0; i < FUNDER_NBANDS; i++)
		json_array_append_new(arr, json_string(bands[i]));
	dash_json(c->rs, 200, json_pack("{s:b,s:o,s:i}", "enabled", on, "age_bands", arr,
	    "suppress_below", DASH_SUPPRESS_BELOW));
}

/* PUT /v1/dash/funder/setting {"enabled": bool}: admins only. Off clears
 * every person's values and consent (nothing kept that is not collected). */
static void setting_put(struct dash_call *c)
{
	json_t *j, *v;
	int rc, on;

	if (!c->who.admin) {
		hub_resp_error(c->rs, 403, "forbidden", "only an admin switches the funder fields");
		return;
	}
	j = dash_body(c);
	if (j == NULL)
		return;
	v = json_object_get(j, "enabled");
	if (v == NULL || !json_is_boolean(v)) {
		json_decref(j);
		hub_resp_error(c->rs, 400, "bad_request", "enabled: true or false");
		return;
	}
	on = json_is_true(v);
	json_decref(j);
	rc = hub_db_begin(c->db, 1);
	if (rc == HUB_DB_OK)
		rc = hub_db_exec(c->db, "UPDATE organisations SET funder_fields = $2 WHERE id = $1", 2,
		    (struct hub_param[]){ HP_S(c->who.org_id), HP_I(on) }, NULL);
	if (rc == HUB_DB_OK && !on)
		rc = hub_db_exec(c->db, "UPDATE people SET age_band = NULL, postcode_area = NULL,"
		    " funder_consent_ms = NULL WHERE org_id = $1 AND funder_consent_ms IS NOT NULL", 1,
		    (struct hub_param[]){ HP_S(c->who.org_id) }, NULL);
	if (rc == HUB_DB_OK)
		rc = dash_audit(c->db, &c->who, "funder.setting", "organisation",
		    on ? "enabled=yes" : "enabled=no");
	if (rc == HUB_DB_OK)
		rc = hub_db_commit(c->db);
	if (rc != HUB_DB_OK) {
		dash_fail(c, rc);
		return;
	}
	dash_json(c->rs, 200, json_pack("{s:b}", "enabled", on));
}

/* GET /v1/dash/people/{id}/funder. */
static void person_get(struct dash_call *c, const char *id)
{
	struct hub_res *r = NULL;
	json_t *out = NULL;
	int on = 0, rc = enabled_get(c, &on);

	if (rc >= 0 && dash_id_ok(id))
		rc = hub_db_query(c->db, "SELECT COALESCE(age_band, ''), COALESCE(postcode_area, ''),"
		    " COALESCE(funder_consent_ms, -1) FROM people WHERE org_id = $1 AND id = $2", 2,
		    (struct hub_param[]){ HP_S(c->who.org_id), HP_S(id) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		const char *b = hub_res_text(r, 0), *a = hub_res_text(r, 1);
		int64_t ms = hub_res_int(r, 2);

		json_decref(out);
		out = json_pack("{s:b,s:b,s:o,s:o,s:o}", "enabled", on, "consent", ms >= 0,
		    "consent_at", dash_iso(ms), "age_band", b[0] ? json_string(b) : json_null(),
		    "postcode_area", a[0] ? json_string(a) : json_null());
	}
	hub_res_free(r);
	if (rc < 0) {
		json_decref(out);
		dash_fail(c, rc);
		return;
	}
	if (out == NULL) {
		hub_resp_error(c->rs, 404, "not_found", "no such person");
		return;
	}
	dash_json(c->rs, 200, out);
}

/* A field of the PUT body: absent/null -> *out NULL; else it must be a
 * string that ok() accepts. Returns 0, or -1 with a 400 in c->rs. */
static int field(struct dash_call *c, json_t *j, const char *name, int (*ok)(const char *),
    const char *what, const char **out)
{
	json_t *v = json_object_get(j, name);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v) || !ok(json_string_value(v))) {
		hub_resp_error(c->rs, 400, "bad_request", "%s: %s", name, what);
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

static int band_ok(const char *s) { return band_index(s) >= 0; }

/* PUT /v1/dash/people/{id}/funder {"consent": bool, "age_band", "postcode_area"}. */
static void person_put(struct dash_call *c, const char *id)
{
	json_t *j, *cv;
	const char *band = NULL, *area = NULL;
	char detail[DASH_AUDIT_DETAIL_MAX];
	int on = 0, consent, rc;
	int64_t changed = 0;

	rc = enabled_get(c, &on);
	if (rc < 0) {
		dash_fail(c, rc);
		return;
	}
	if (!on) {
		hub_resp_error(c->rs, 400, "funder_fields_off",
		    "the funder fields are off for this organisation (an admin switches them on)");
		return;
	}
	j = dash_body(c);
	if (j == NULL)
		return;
	cv = json_object_get(j, "consent");
	if (cv == NULL || !json_is_boolean(cv)) {
		json_decref(j);
		hub_resp_error(c->rs, 400, "bad_request", "consent: true or false");
		return;
	}
	consent = json_is_true(cv);
	if (field(c, j, "age_band", band_ok, "one of 0-17, 18-26, 27-45, 46-66, 67+, or null", &band) != 0 ||
	    field(c, j, "postcode_area", area_ok, "4 digits (1000-9999, no letters), or null", &area) != 0) {
		json_decref(j);
		return;
	}
	if (!consent && (band != NULL || area != NULL)) {
		json_decref(j);
		hub_resp_error(c->rs, 400, "consent_required",
		    "age_band and postcode_area are kept only with the person's consent");
		return;
	}
	rc = hub_db_begin(c->db, 1);
	if (rc == HUB_DB_OK)
		rc = hub_db_exec(c->db, consent ?
		    "UPDATE people SET age_band = $3, postcode_area = $4,"
		    " funder_consent_ms = COALESCE(funder_consent_ms, $5) WHERE org_id = $1 AND id = $2"
		    " AND EXISTS (SELECT 1 FROM organisations o WHERE o.id = $1 AND o.funder_fields = 1)" :
		    "UPDATE people SET age_band = NULL, postcode_area = NULL, funder_consent_ms = NULL"
		    " WHERE org_id = $1 AND id = $2", consent ? 5 : 2,
		    (struct hub_param[]){ HP_S(c->who.org_id), HP_S(id),
		    band ? HP_S(band) : HP_NULL, area ? HP_S(area) : HP_NULL, HP_I(hub_now_ms()) }, &changed);
	json_decref(j);   /* band and area point into j: not used after this */
	if (rc == HUB_DB_OK && changed == 0) {
		hub_db_rollback(c->db);
		hub_resp_error(c->rs, 404, "not_found", "no such person");
		return;
	}
	/* field names only, never values (svc/audit.h) */
	snprintf(detail, sizeof(detail), consent ? "consent=yes;fields=age_band,postcode_area" :
	    "consent=withdrawn;cleared=age_band,postcode_area");
	if (rc == HUB_DB_OK)
		rc = dash_audit(c->db, &c->who, "person.funder", id, detail);
	if (rc == HUB_DB_OK)
		rc = hub_db_commit(c->db);
	if (rc != HUB_DB_OK) {
		dash_fail(c, rc);
		return;
	}
	person_get(c, id);
}

void dash_person_funder(struct dash_call *c, const char *id)
{
	if (strcmp(c->rq->method, "PUT") == 0)
		person_put(c, id);
	else
		person_get(c, id);
}

/* The persons present in [lo, hi) at location loc (one presence definition,
 * presence.h), each once, their band and area. */
static const char sql_present[] =
	"SELECT DISTINCT x.pid, CASE WHEN p.funder_consent_ms IS NULL THEN '' ELSE COALESCE(p.age_band, '') END,"
	" CASE WHEN p.funder_consent_ms IS NULL THEN '' ELSE COALESCE(p.postcode_area, '') END"
	" FROM (" HUB_PRESENCE_SELECT("e.org_id = $1 AND e.location_id = $2 AND e.t_ms >= $5 AND e.t_ms < $6")
	") x JOIN people p ON p.org_id = x.org_id AND p.id = x.pid"
	" WHERE x.anon = 0 AND x.t_in >= $3 AND x.t_in < $4";

/* The report as CSV (csvout.h) into c->rs, audited as an export. */
static void report_csv(struct dash_call *c, json_t *body, const char *detail)
{
	struct hub_buf b = { malloc(FUNDER_CSV_MAX), 0, FUNDER_CSV_MAX };
	static const char *const parts[][2] = { { "age_bands", "age_band" }, { "postcode_areas", "postcode_area" } };
	static const char *const words[] = { "leeftijd", "postcode" };
	int bad = b.p == NULL || hub_buf_str(&b, HUB_CSV_BOM) != 0 || hub_csv_cell(&b, "indeling", 1) != 0 ||
	    hub_csv_cell(&b, "waarde", 0) != 0 || hub_csv_cell(&b, "personen", 0) != 0 ||
	    hub_buf_str(&b, "\r\n") != 0;
	int64_t rows = 0;

	for (int k = 0; !bad && k < 2; k++) {
		size_t i;
		json_t *row;

		json_array_foreach(json_object_get(body, parts[k][0]), i, row) {
			if (hub_csv_cell(&b, words[k], 1) != 0 ||
			    hub_csv_cell(&b, json_string_value(json_object_get(row, parts[k][1])), 0) != 0 ||
			    hub_csv_cell(&b, json_string_value(json_object_get(row, "count")), 0) != 0 ||
			    hub_buf_str(&b, "\r\n") != 0) {
				bad = 1;
				break;
			}
			rows++;
		}
	}
	json_decref(body);
	if (bad) {
		free(b.p);
		hub_resp_error(c->rs, 500, "internal", "the report failed");
		return;
	}
	dash_send_csv(c, &b, "funder.csv", detail, rows, "financier.csv");
}

/* Count the persons of the range [f, t] (local days of each location) into
 * nb[band or FUNDER_NBANDS unknown] and na[area - FUNDER_AREA_MIN or
 * FUNDER_AREA_N unknown]; each person once however many locations. */
static int count(struct dash_call *c, const char *f, const char *t, int64_t *nb, int64_t *na)
{
	struct dash_loc *locs = NULL;
	json_t *seen = json_object();
	int nl = 0, rc = dash_locations(c->db, c->who.org_id, &locs, &nl);

	for (int i = 0; rc >= 0 && i < nl; i++) {
		int64_t lo, hi, dummy;
		struct hub_res *r = NULL;

		if (hub_cal_day(locs[i].tz, f, &lo, &dummy) != 0 || hub_cal_day(locs[i].tz, t, &dummy, &hi) != 0) {
			rc = HUB_DB_ERROR;
			break;
		}
		rc = hub_db_query(c->db, sql_present, 6, (struct hub_param[]){ HP_S(c->who.org_id),
		    HP_S(locs[i].id), HP_I(lo), HP_I(hi), HP_I(lo - HUB_DAY_MS), HP_I(hi + HUB_DAY_MS) }, 0, &r);
		while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
			const char *pid = hub_res_text(r, 0), *band = hub_res_text(r, 1), *area = hub_res_text(r, 2);
			int bi = band_index(band);

			if (json_object_get(seen, pid) != NULL)
				continue;
			json_object_set_new(seen, pid, json_true());
			nb[bi >= 0 ? bi : FUNDER_NBANDS]++;
			na[area_ok(area) ? (int)strtol(area, NULL, 10) - FUNDER_AREA_MIN : FUNDER_AREA_N]++;
		}
		hub_res_free(r);
	}
	json_decref(seen);
	free(locs);
	return rc < 0 ? rc : HUB_DB_OK;
}

/* GET /v1/dash/funder/report[.csv]?from=YYYY-MM-DD&to=YYYY-MM-DD. */
static void report(struct dash_call *c, int csv)
{
	const char *from = hub_req_arg(c->rq, "from"), *to = hub_req_arg(c->rq, "to");
	char f[HUB_DATE_STR], t[HUB_DATE_STR], detail[64], s[FUNDER_CELL_MAX];
	int on = 0, y, m, d, rc;
	int64_t nb[FUNDER_NBANDS + 1] = { 0 }, *na, lo, hi, dummy;
	json_t *jb, *ja;

	rc = hub_db_begin_snapshot(c->db);
	if (rc == HUB_DB_OK)
		rc = enabled_get(c, &on);
	if (rc == HUB_DB_OK && !on) {
		hub_db_rollback(c->db);
		hub_resp_error(c->rs, 404, "funder_fields_off", "the funder fields are off for this organisation");
		return;
	}
	if (rc != HUB_DB_OK) {
		dash_fail(c, rc);
		return;
	}
	if (from == NULL || to == NULL || strlen(from) != 10 || strlen(to) != 10 ||
	    hub_cal_parse_date(from, &y, &m, &d) != 0 || hub_cal_parse_date(to, &y, &m, &d) != 0 ||
	    strcmp(from, to) > 0 || hub_cal_day("UTC", from, &lo, &dummy) != 0 ||
	    hub_cal_day("UTC", to, &dummy, &hi) != 0 || (hi - lo) / HUB_DAY_MS > FUNDER_DAYS_MAX) {
		hub_db_rollback(c->db);
		hub_resp_error(c->rs, 400, "bad_request", "from, to: YYYY-MM-DD with from <= to, at most %d days",
		    FUNDER_DAYS_MAX);
		return;
	}
	snprintf(f, sizeof(f), "%s", from);
	snprintf(t, sizeof(t), "%s", to);
	na = calloc(FUNDER_AREA_N + 1, sizeof(*na));
	rc = na == NULL ? HUB_DB_ERROR : count(c, f, t, nb, na);
	hub_db_rollback(c->db);
	if (rc != HUB_DB_OK) {
		free(na);
		hub_resp_error(c->rs, 500, "internal", "the report failed");
		return;
	}
	/* every band always (a missing row would say 0); areas with anyone */
	jb = json_array();
	for (int i = 0; i <= FUNDER_NBANDS; i++) {
		cell(nb[i], s);
		json_array_append_new(jb, json_pack("{s:s,s:s}", "age_band",
		    i < FUNDER_NBANDS ? bands[i] : FUNDER_UNKNOWN, "count", s));
	}
	ja = json_array();
	for (int i = 0; i <= FUNDER_AREA_N; i++) {
		char area[FUNDER_AREA_STR + 8];

		if (na[i] == 0)
			continue;
		snprintf(area, sizeof(area), "%d", FUNDER_AREA_MIN + i);
		cell(na[i], s);
		json_array_append_new(ja, json_pack("{s:s,s:s}", "postcode_area",
		    i < FUNDER_AREA_N ? area : FUNDER_UNKNOWN, "count", s));
	}
	free(na);
	snprintf(detail, sizeof(detail), "from=%s;to=%s", f, t);
	{
		json_t *body = json_pack("{s:s,s:s,s:i,s:s,s:o,s:o}", "from", f, "to", t,
		    "suppress_below", DASH_SUPPRESS_BELOW, "totals", "omitted",
		    "age_bands", jb, "postcode_areas", ja);

		if (csv)
			report_csv(c, body, detail);
		else
			dash_json(c->rs, 200, body);
	}
}

void dash_funder(struct dash_call *c)
{
	const char *m = c->rq->method;

	if (c->nseg == 1 && strcmp(m, "GET") == 0)
		setting_get(c);
	else if (c->nseg == 2 && strcmp(c->seg[1], "setting") == 0 && strcmp(m, "PUT") == 0)
		setting_put(c);
	else if (c->nseg == 2 && strcmp(c->seg[1], "report") == 0 && strcmp(m, "GET") == 0)
		report(c, 0);
	else if (c->nseg == 2 && strcmp(c->seg[1], "report.csv") == 0 && strcmp(m, "GET") == 0)
		report(c, 1);
	else if (c->nseg <= 2)
		hub_resp_error(c->rs, 405, "method_not_allowed", "%s is not allowed here", m);
	else
		hub_resp_error(c->rs, 404, "not_found", "no such endpoint");
}
