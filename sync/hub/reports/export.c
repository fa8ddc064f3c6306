/* export.c — see export.h. One streamed SELECT (PostgreSQL single-row mode,
 * SQLite stepping) inside a read snapshot; each row is formatted into a
 * fixed buffer and handed out in pieces. Times are local to the row's
 * location (CSV "YYYY-MM-DD HH:MM:SS"; JSON ISO 8601 with offset, plus UTC),
 * and the date filter is the local day: the query reads a UTC window one
 * day wider on each side and rows outside the local days are skipped here.
 * Hours with a decimal comma in CSV (Dutch Excel) and as a number in JSON.
 * Erased people appear as "(gewist)" with no id.
 * Must not: convert times other than through hubtz. */
#include "hub/reports/export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/base/htime.h"
#include "hub/base/hubtz.h"
#include "hub/db/db.h"
#include "hub/reports/csvout.h"
#include "hub/reports/export_att.h"
#include "hub/reports/presence.h"

#define ERASED_NAME "(gewist)"

static const char sql_pl[] =
	"SELECT x.pid, MAX(x.expected), MAX(x.present), MAX(x.role), MIN(x.t),"
	" COALESCE(MAX(p.display_name), ''), MAX(x.anon), MAX(x.manual) FROM ("
	" SELECT en.person_id AS pid, 1 AS expected, 0 AS present, '' AS role,"
	"   CAST(NULL AS BIGINT) AS t, 0 AS anon, 0 AS manual FROM enrolments en"
	"   WHERE en.org_id = $1 AND en.programme_id = $3 AND en.active = 1"
	" UNION ALL SELECT a.person_id, 1, 0, a.role, CAST(NULL AS BIGINT), 0, 0 FROM assignments a"
	"   WHERE a.org_id = $1 AND a.session_id = $2 AND a.active = 1"
	" UNION ALL SELECT x.pid, 0, 1, x.role, x.t_in, x.anon, x.manual FROM ("
	    HUB_PRESENCE_SELECT("e.org_id = $1 AND e.session_id = $2") ") x WHERE x.kind = 'check_in'"
	" ) x LEFT JOIN people p ON p.org_id = $1 AND p.id = x.pid"
	" GROUP BY x.pid ORDER BY MAX(x.present) DESC, x.pid";

/* CSV header (and JSON keys, in this order, with *_utc after their time) */
static const char *const att_cols[] = {
	"date", "check_in", "check_out", "hours", "checked_out", "taps", "time_corrected", "redecided", "device_time", "person_id",
	"display_name", "kind", "role", "session_id", "session", "programme_id", "programme",
	"location_id", "location", "device_id", "event_uuid", "organisation_id", "timezone",
	"utc_offset", "manual", NULL
};
#define ATT_NCOLS 25
#define ATT_JSON_NCOLS (ATT_NCOLS + 3)
static const char *const pl_cols[] = {
	"session_id", "person_id", "display_name", "role", "expected", "present", "check_in", "manual",
	NULL
};
#define PL_NCOLS 8

/* How emit writes a value in JSON. */
enum jkind { J_STR = 0, J_NUM, J_STR_NULL };   /* J_NUM and J_STR_NULL: "" is null */
struct hub_export {
	struct hub_db *db;
	struct hub_res *res;
	enum hub_export_kind kind;
	enum hub_export_fmt fmt;
	char session[PR_ID_MAX];
	int state;               /* 0 header, 1 rows, 2 footer, 3 done */
	int64_t rows;
	int day_filter;          /* rows limited to local days [from_day, to_day] */
	int64_t now;             /* for "still checked in" (presence.h) */
	int64_t from_day, to_day;
	const struct hub_tz *deflt;  /* default zone: unknown or unreadable zones */
	const struct hub_tz *zone;   /* zone of the last row, named last_tz */
	char last_tz[PR_TZ_MAX];
	struct hub_att_reader rd;   /* attendance: presences from res */
	struct hub_att_row *arow;   /* attendance: the current presence */
	struct hub_buf out;      /* pending bytes */
	size_t off;
	char row[HUB_EXPORT_ROW_MAX];
};

int hub_export_preload_zones(struct hub_db *db)
{
	struct hub_res *r = NULL;
	int rc, n = 0;

	if (hub_tz_get(NULL) == NULL)
		return -1;
	rc = hub_db_query(db, "SELECT DISTINCT timezone FROM locations", 0, NULL, 0, &r);
	if (rc != HUB_DB_OK)
		return -1;
	while ((rc = hub_res_next(r)) == 1)
		if (hub_tz_get(hub_res_text(r, 0)) != NULL)
			n++;
	hub_res_free(r);
	return rc < 0 ? -1 : n;
}

/* Local day number of a "YYYY-MM-DD" (NULL: none). 1 set, 0 none, -1 bad. */
static int day_of(const char *date, int64_t *day)
{
	int64_t ms;

	if (date == NULL || date[0] == '\0')
		return 0;
	if (hub_date_parse(date, &ms) != 0)
		return -1;
	*day = ms / HUB_DAY_MS;   /* a UTC midnight: exact */
	return 1;
}

/* The zone of the session (presentielijst) into x->zone. */
static int session_zone(struct hub_export *x, const char *org)
{
	struct hub_res *r = NULL;
	int rc;

	rc = hub_db_query(x->db, "SELECT COALESCE(l.timezone, '') FROM sessions s"
	    " LEFT JOIN locations l ON l.id = s.location_id WHERE s.org_id = $1 AND s.id = $2", 2,
	    (struct hub_param[]){ HP_S(org), HP_S(x->session) }, 0, &r);
	if (rc != HUB_DB_OK)
		return rc;
	while ((rc = hub_res_next(r)) == 1)
		if (x->zone == x->deflt && hub_res_text(r, 0)[0] != '\0') {
			const struct hub_tz *z = hub_tz_get(hub_res_text(r, 0));

			if (z != NULL)
				x->zone = z;
		}
	hub_res_free(r);
	return rc < 0 ? rc : HUB_DB_OK;
}

int hub_export_open(struct hub_db *db, const struct hub_export_q *q, struct hub_export **out)
{
	struct hub_export *x = calloc(1, sizeof(*x));
	int64_t from_ms = q->from_ms, to_ms = q->to_ms;
	int rc, f, t;

	*out = NULL;
	if (x == NULL)
		return HUB_DB_ERROR;
	x->db = db;
	x->kind = q->kind;
	x->fmt = q->fmt;
	x->out.p = x->row;
	x->out.cap = sizeof(x->row);
	x->from_day = INT64_MIN;
	x->to_day = INT64_MAX;
	x->deflt = hub_tz_get(NULL);
	x->zone = x->deflt;
	f = day_of(q->from_date, &x->from_day);
	t = day_of(q->to_date, &x->to_day);
	if (x->deflt == NULL || f < 0 || t < 0) {
		free(x);
		return HUB_DB_ERROR;
	}
	x->day_filter = f || t;
	/* local days span UTC - 14 h .. UTC + 12 h: one day either side covers them */
	if (f && (x->from_day - 1) * HUB_DAY_MS > from_ms)
		from_ms = (x->from_day - 1) * HUB_DAY_MS;
	if (t && (x->to_day + 2) * HUB_DAY_MS < to_ms)
		to_ms = (x->to_day + 2) * HUB_DAY_MS;
	snprintf(x->session, sizeof(x->session), "%s", q->session ? q->session : "");
	rc = hub_db_begin_snapshot(db);
	if (rc != HUB_DB_OK)
		goto fail;
	if (q->kind == HUB_EXPORT_ATTENDANCE) {
		x->arow = malloc(sizeof(*x->arow));
		if (x->arow == NULL)
			rc = HUB_DB_ERROR;
		/* the plan's cost starts PostgreSQL's JIT, which then compiles
		 * for seconds what runs in less */
		else if (hub_db_kind(db) == HUB_DB_PG)
			rc = hub_db_exec(db, "SET LOCAL jit = off", 0, NULL, NULL);
		if (rc == HUB_DB_OK)
			rc = hub_db_query(db, hub_att_sql(hub_db_kind(db), q->org_id != NULL), HUB_ATT_NPARAMS,
		    (struct hub_param[]){
		    HP_S(q->org_id ? q->org_id : ""), HP_I(from_ms), HP_I(to_ms),
		    HP_S(q->programme ? q->programme : ""), HP_S(q->location ? q->location : ""),
		    HP_I(to_ms < INT64_MAX - HUB_DAY_MS ? to_ms + HUB_DAY_MS : INT64_MAX),
		    HP_I(from_ms > INT64_MIN + HUB_DAY_MS ? from_ms - HUB_DAY_MS : INT64_MIN) },
		    1, &x->res);
		x->rd.res = x->res;
		x->now = hub_now_ms();
	} else {
		rc = session_zone(x, q->org_id ? q->org_id : "");
		if (rc == HUB_DB_OK)
			rc = hub_db_query(db, sql_pl, 3, (struct hub_param[]){
			    HP_S(q->org_id ? q->org_id : ""), HP_S(x->session),
			    HP_S(q->programme_of_session ? q->programme_of_session : "") }, 1, &x->res);
	}
	if (rc != HUB_DB_OK)
		goto fail;
	*out = x;
	return HUB_DB_OK;
fail:
	hub_db_rollback(db);
	free(x->arow);
	free(x);
	return rc;
}

static int header(struct hub_export *x)
{
	const char *const *cols = x->kind == HUB_EXPORT_ATTENDANCE ? att_cols : pl_cols;

	if (x->fmt == HUB_FMT_JSON)
		return hub_buf_str(&x->out, "[");
	if (hub_buf_str(&x->out, HUB_CSV_BOM) != 0)
		return -1;
	for (int i = 0; cols[i]; i++)
		if (hub_csv_cell(&x->out, cols[i], i == 0) != 0)
			return -1;
	return hub_buf_str(&x->out, "\r\n");
}

/* Emit one row of n cells (names in cols, already-formatted values in v;
 * jk[i] says how JSON writes v[i]). */
static int emit(struct hub_export *x, const char *const *cols, const char **v,
    const enum jkind *jk, int n)
{
	if (x->fmt == HUB_FMT_CSV) {
		for (int i = 0; i < n; i++)
			if (hub_csv_cell(&x->out, v[i], i == 0) != 0)
				return -1;
		return hub_buf_str(&x->out, "\r\n");
	}
	if (hub_buf_str(&x->out, x->rows > 0 ? ",\n{" : "\n{") != 0)
		return -1;
	for (int i = 0; i < n; i++) {
		if ((i > 0 && hub_buf_str(&x->out, ",") != 0) || hub_json_str(&x->out, cols[i]) != 0 ||
		    hub_buf_str(&x->out, ":") != 0)
			return -1;
		if (jk[i] != J_STR && v[i][0] == '\0') {
			if (hub_buf_str(&x->out, "null") != 0)
				return -1;
		} else if (jk[i] == J_NUM) {
			if (hub_buf_str(&x->out, v[i]) != 0)
				return -1;
		} else if (hub_json_str(&x->out, v[i]) != 0) {
			return -1;
		}
	}
	return hub_buf_str(&x->out, "}");
}

/* The zone of a row whose location has zone name tz ("" or unknown: the
 * default). Cached: consecutive rows mostly share it. */
static const struct hub_tz *row_zone(struct hub_export *x, const char *tz)
{
	const struct hub_tz *z;

	if (strcmp(tz, x->last_tz) == 0)
		return x->zone;
	z = tz[0] != '\0' ? hub_tz_get(tz) : NULL;
	x->zone = z != NULL ? z : x->deflt;
	snprintf(x->last_tz, sizeof(x->last_tz), "%s", tz);
	return x->zone;
}

/* A time cell: local for a spreadsheet, ISO with offset in JSON (utc: the
 * same instant as "...Z"). */
static void time_cells(struct hub_export *x, const struct hub_tz *z, int64_t ms,
    char local[HUB_TZ_LOCAL_MAX], char utc[HUB_ISO_MAX])
{
	if (x->fmt == HUB_FMT_CSV)
		hub_tz_sheet(z, ms, local);
	else
		hub_tz_iso(z, ms, local);
	hub_iso_s(ms, utc);
}

/* One attendance row: presence a. */
static int att_row(struct hub_export *x, const struct hub_att_row *a)
{
	char date[HUB_TZ_LOCAL_MAX], in[HUB_TZ_LOCAL_MAX], out[HUB_TZ_LOCAL_MAX] = "";
	char dev[HUB_TZ_LOCAL_MAX], in_u[HUB_ISO_MAX], out_u[HUB_ISO_MAX] = "", dev_u[HUB_ISO_MAX];
	char hours[32] = "", taps[24], off[HUB_TZ_OFFSET_MAX], utc_off[HUB_TZ_OFFSET_MAX + 3];
	enum hub_checkout_state state;
	const char *v[ATT_JSON_NCOLS], *jc[ATT_JSON_NCOLS];
	enum jkind jk[ATT_JSON_NCOLS];
	int64_t t = hub_att_int(a, HUB_ATT_T);
	const struct hub_tz *z = row_zone(x, a->text[HUB_ATT_TZ]);
	int n = 0;

	time_cells(x, z, t, in, in_u);
	memcpy(date, in, 10);   /* "YYYY-MM-DD" of either form ("" stays "") */
	date[in[0] != '\0' ? 10 : 0] = '\0';
	time_cells(x, z, hub_att_int(a, HUB_ATT_WALL), dev, dev_u);
	/* "UTC+01:00": a cell starting with + or - would be quoted as a formula */
	hub_tz_offset_str(z, t, off);
	utc_off[0] = 'U';
	utc_off[1] = 'T';
	utc_off[2] = 'C';
	memcpy(utc_off + 3, off, strnlen(off, sizeof(off) - 1) + 1);
	if (a->has_out)
		time_cells(x, z, a->t_out, out, out_u);
	{
		struct hub_presence_t pt = {
			.t_in = t, .t_out = a->has_out ? a->t_out : -1,
			.s_end = a->null[HUB_ATT_SESSION_END] ? -1 : hub_att_int(a, HUB_ATT_SESSION_END),
			.volunteer = a->role[0] != '\0' || hub_att_int(a, HUB_ATT_ASSIGNED) != 0,
			.now = x->now,
		};
		int64_t centi;

		if (hub_checkout_rule_parse(a->text[HUB_ATT_RULE], &pt.rule) != 0)
			pt.rule = HUB_CHECKOUT_SESSION_END;
		state = hub_presence_centi(&pt, &centi);   /* the hours everywhere (presence.h) */
		if (centi >= 0) {
			snprintf(hours, sizeof(hours), "%lld%c%02lld", (long long)(centi / 100),
			    x->fmt == HUB_FMT_CSV ? ',' : '.', (long long)(centi % 100));
		}
	}
	snprintf(taps, sizeof(taps), "%lld", (long long)a->taps);
#define COL(name, val, kind) do { jc[n] = (name); v[n] = (val); jk[n] = (kind); n++; } while (0)
	COL("date", date, J_STR);
	COL("check_in", in, J_STR);
	if (x->fmt == HUB_FMT_JSON)
		COL("check_in_utc", in_u, J_STR);
	COL("check_out", out, J_STR_NULL);
	if (x->fmt == HUB_FMT_JSON)
		COL("check_out_utc", out_u, J_STR_NULL);
	COL("hours", hours, J_NUM);
	COL("checked_out", hub_checkout_state_word(state), J_STR);
	COL("taps", taps, J_NUM);
	COL("time_corrected", a->text[HUB_ATT_CORRECTION], J_STR);
	COL("redecided", a->text[HUB_ATT_REEVAL], J_STR);
	COL("device_time", dev, J_STR);
	if (x->fmt == HUB_FMT_JSON)
		COL("device_time_utc", dev_u, J_STR);
	COL("person_id", a->anon ? "" : a->text[HUB_ATT_PERSON], J_STR);
	COL("display_name", a->anon ? ERASED_NAME : a->text[HUB_ATT_NAME], J_STR);
	COL("kind", a->kind, J_STR);
	COL("role", a->role, J_STR);
	COL("session_id", a->text[HUB_ATT_SESSION], J_STR);
	COL("session", a->text[HUB_ATT_SESSION_TITLE], J_STR);
	COL("programme_id", a->text[HUB_ATT_PROGRAMME], J_STR);
	COL("programme", a->text[HUB_ATT_PROGRAMME_TITLE], J_STR);
	COL("location_id", a->text[HUB_ATT_LOCATION], J_STR);
	COL("location", a->text[HUB_ATT_LOCATION_NAME], J_STR);
	COL("device_id", a->text[HUB_ATT_DEVICE], J_STR);
	COL("event_uuid", a->text[HUB_ATT_UUID], J_STR);
	COL("organisation_id", a->text[HUB_ATT_ORG], J_STR);
	COL("timezone", hub_tz_name(z), J_STR);
	COL("utc_offset", utc_off, J_STR);
	COL("manual", hub_manual_word(a->manual), J_STR);   /* entered by hand (presence.h) */
#undef COL
	return emit(x, jc, v, jk, n);
}

static int pl_row(struct hub_export *x, struct hub_res *r)
{
	char in[HUB_TZ_LOCAL_MAX] = "", in_u[HUB_ISO_MAX] = "";
	const char *v[PL_NCOLS + 1];
	static const char *const jcols[PL_NCOLS + 1] = { "session_id", "person_id",
		"display_name", "role", "expected", "present", "check_in", "check_in_utc", "manual" };
	static const enum jkind jk[PL_NCOLS + 1] = { [6] = J_STR_NULL, [7] = J_STR_NULL };
	const char *pid = hub_res_text(r, 0);
	int anon = hub_res_int(r, 6) != 0 || strncmp(pid, "anon:", 5) == 0;

	if (!hub_res_is_null(r, 4))
		time_cells(x, x->zone, hub_res_int(r, 4), in, in_u);
	v[0] = x->session;
	v[1] = anon ? "" : pid;
	v[2] = anon ? ERASED_NAME : hub_res_text(r, 5);
	v[3] = hub_res_text(r, 3);
	v[4] = hub_res_int(r, 1) ? "yes" : "no";
	v[5] = hub_res_int(r, 2) ? "yes" : "no";
	v[6] = in;
	if (x->fmt == HUB_FMT_JSON) {
		v[7] = in_u;
		v[8] = hub_manual_word(hub_res_int(r, 7));
	} else
		v[7] = hub_manual_word(hub_res_int(r, 7));
	return emit(x, x->fmt == HUB_FMT_JSON ? jcols : pl_cols, v, jk,
	    x->fmt == HUB_FMT_JSON ? PL_NCOLS + 1 : PL_NCOLS);
}

/* 1 if presence a is inside the asked local days. */
static int in_days(struct hub_export *x, const struct hub_att_row *a)
{
	int64_t day;

	if (!x->day_filter)
		return 1;
	day = hub_tz_day(row_zone(x, a->text[HUB_ATT_TZ]), hub_att_int(a, HUB_ATT_T));
	return day >= x->from_day && day <= x->to_day;
}

/* Refill x->out with the next piece. 1 = something pending, 0 = end, -1 error
 * (sticky: the stream stays failed). */
static int refill(struct hub_export *x)
{
	int rc;

	if (x->state == 4)
		return -1;

	x->out.len = 0;
	x->off = 0;
	switch (x->state) {
	case 0:
		x->state = 1;
		return header(x) == 0 ? 1 : -1;
	case 1:
		if (x->kind == HUB_EXPORT_ATTENDANCE)
			while ((rc = hub_att_next(&x->rd, x->arow)) == 1 && !in_days(x, x->arow))
				;
		else
			rc = hub_res_next(x->res);
		if (rc == 1) {
			if (x->kind == HUB_EXPORT_ATTENDANCE)
				rc = att_row(x, x->arow);
			else
				rc = pl_row(x, x->res);
			if (rc != 0) {
				x->state = 4;
				return -1;
			}
			x->rows++;
			return 1;
		}
		if (rc < 0) {
			x->state = 4;
			return -1;
		}
		x->state = 2;
		/* fall through */
	case 2:
		x->state = 3;
		if (x->fmt == HUB_FMT_JSON)
			return hub_buf_str(&x->out, "\n]\n") == 0 ? 1 : -1;
		return 0;
	default:
		return 0;
	}
}

ssize_t hub_export_read(struct hub_export *x, char *buf, size_t max)
{
	size_t n = 0;

	while (n < max) {
		size_t take;

		if (x->off == x->out.len) {
			int rc = refill(x);

			if (rc < 0)
				return n > 0 ? (ssize_t)n : -1;
			if (rc == 0)
				break;
		}
		take = x->out.len - x->off;
		if (take > max - n)
			take = max - n;
		memcpy(buf + n, x->out.p + x->off, take);
		x->off += take;
		n += take;
	}
	return (ssize_t)n;
}

int64_t hub_export_rows(const struct hub_export *x)
{
	return x->rows;
}

int hub_export_done(const struct hub_export *x)
{
	return x->state == 3 && x->off == x->out.len;
}

void hub_export_close(struct hub_export *x)
{
	if (x == NULL)
		return;
	hub_res_free(x->res);
	hub_db_rollback(x->db);
	free(x->arow);
	free(x);
}
