/* export.c — see export.h. One streamed SELECT (PostgreSQL single-row mode,
 * SQLite stepping) inside a read snapshot; each row is formatted into a
 * fixed buffer and handed out in pieces. Times are UTC ("YYYY-MM-DD
 * HH:MM:SS"), hours with a decimal comma in CSV (Dutch Excel) and as a
 * number in JSON. Erased people appear as "(gewist)" with no id. */
#include "export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvout.h"
#include "db.h"
#include "htime.h"

#define ERASED_NAME "(gewist)"

static const char sql_att_org[] =
	"SELECT e.t_ms, e.wall_ms, e.correction, e.kind, COALESCE(e.person_id, ''), e.anonymised,"
	" COALESCE(p.display_name, ''), COALESCE(e.role, ''), COALESCE(e.session_id, ''),"
	" COALESCE(s.title, ''), COALESCE(s.programme_id, ''), COALESCE(g.title, ''),"
	" e.location_id, COALESCE(l.name, ''), e.device_id, e.uuid, o.t_ms, e.org_id"
	" FROM events e"
	" LEFT JOIN people p ON p.org_id = e.org_id AND p.id = e.person_id"
	" LEFT JOIN sessions s ON s.org_id = e.org_id AND s.id = e.session_id"
	" LEFT JOIN programmes g ON g.org_id = s.org_id AND g.id = s.programme_id"
	" LEFT JOIN locations l ON l.id = e.location_id"
	" LEFT JOIN events o ON o.uuid = e.out_uuid"
	" WHERE e.org_id = $1 AND e.t_ms >= $2 AND e.t_ms < $3"
	" AND e.kind IN ('check_in', 'guest', 'drop_in')"
	" AND (CAST($4 AS TEXT) = '' OR s.programme_id = $4)"
	" AND (CAST($5 AS TEXT) = '' OR e.location_id = $5)"
	" ORDER BY e.org_id, e.t_ms, e.id";

static const char sql_att_all[] =
	"SELECT e.t_ms, e.wall_ms, e.correction, e.kind, COALESCE(e.person_id, ''), e.anonymised,"
	" COALESCE(p.display_name, ''), COALESCE(e.role, ''), COALESCE(e.session_id, ''),"
	" COALESCE(s.title, ''), COALESCE(s.programme_id, ''), COALESCE(g.title, ''),"
	" e.location_id, COALESCE(l.name, ''), e.device_id, e.uuid, o.t_ms, e.org_id"
	" FROM events e"
	" LEFT JOIN people p ON p.org_id = e.org_id AND p.id = e.person_id"
	" LEFT JOIN sessions s ON s.org_id = e.org_id AND s.id = e.session_id"
	" LEFT JOIN programmes g ON g.org_id = s.org_id AND g.id = s.programme_id"
	" LEFT JOIN locations l ON l.id = e.location_id"
	" LEFT JOIN events o ON o.uuid = e.out_uuid"
	" WHERE CAST($1 AS TEXT) = '' AND e.t_ms >= $2 AND e.t_ms < $3"
	" AND e.kind IN ('check_in', 'guest', 'drop_in')"
	" AND (CAST($4 AS TEXT) = '' OR s.programme_id = $4)"
	" AND (CAST($5 AS TEXT) = '' OR e.location_id = $5)"
	" ORDER BY e.org_id, e.t_ms, e.id";

static const char sql_pl[] =
	"SELECT x.pid, MAX(x.expected), MAX(x.present), MAX(x.role), MIN(x.t),"
	" COALESCE(MAX(p.display_name), ''), MAX(x.anon) FROM ("
	" SELECT en.person_id AS pid, 1 AS expected, 0 AS present, '' AS role,"
	"   CAST(NULL AS BIGINT) AS t, 0 AS anon FROM enrolments en"
	"   WHERE en.org_id = $1 AND en.programme_id = $3 AND en.active = 1"
	" UNION ALL SELECT a.person_id, 1, 0, a.role, CAST(NULL AS BIGINT), 0 FROM assignments a"
	"   WHERE a.org_id = $1 AND a.session_id = $2 AND a.active = 1"
	" UNION ALL SELECT COALESCE(e.person_id, 'anon:' || e.uuid), 0, 1, COALESCE(e.role, ''),"
	"   e.t_ms, e.anonymised FROM events e"
	"   WHERE e.org_id = $1 AND e.session_id = $2 AND e.kind = 'check_in'"
	" ) x LEFT JOIN people p ON p.org_id = $1 AND p.id = x.pid"
	" GROUP BY x.pid ORDER BY MAX(x.present) DESC, x.pid";

static const char *const att_cols[] = {
	"date", "check_in", "check_out", "hours", "time_corrected", "device_time", "person_id",
	"display_name", "kind", "role", "session_id", "session", "programme_id", "programme",
	"location_id", "location", "device_id", "event_uuid", "organisation_id", NULL
};
static const char *const pl_cols[] = {
	"session_id", "person_id", "display_name", "role", "expected", "present", "check_in", NULL
};

struct hub_export {
	struct hub_db *db;
	struct hub_res *res;
	enum hub_export_kind kind;
	enum hub_export_fmt fmt;
	char session[PR_ID_MAX];
	int state;               /* 0 header, 1 rows, 2 footer, 3 done */
	int64_t rows;
	struct hub_buf out;      /* pending bytes */
	size_t off;
	char row[HUB_EXPORT_ROW_MAX];
};

int hub_export_open(struct hub_db *db, const struct hub_export_q *q, struct hub_export **out)
{
	struct hub_export *x = calloc(1, sizeof(*x));
	int rc;

	*out = NULL;
	if (x == NULL)
		return HUB_DB_ERROR;
	x->db = db;
	x->kind = q->kind;
	x->fmt = q->fmt;
	x->out.p = x->row;
	x->out.cap = sizeof(x->row);
	snprintf(x->session, sizeof(x->session), "%s", q->session ? q->session : "");
	rc = hub_db_begin_snapshot(db);
	if (rc != HUB_DB_OK)
		goto fail;
	if (q->kind == HUB_EXPORT_ATTENDANCE)
		rc = hub_db_query(db, q->org_id ? sql_att_org : sql_att_all, 5, (struct hub_param[]){
		    HP_S(q->org_id ? q->org_id : ""), HP_I(q->from_ms), HP_I(q->to_ms),
		    HP_S(q->programme ? q->programme : ""), HP_S(q->location ? q->location : "") },
		    1, &x->res);
	else
		rc = hub_db_query(db, sql_pl, 3, (struct hub_param[]){ HP_S(q->org_id ? q->org_id : ""),
		    HP_S(x->session), HP_S(q->programme_of_session ? q->programme_of_session : "") },
		    1, &x->res);
	if (rc != HUB_DB_OK)
		goto fail;
	*out = x;
	return HUB_DB_OK;
fail:
	hub_db_rollback(db);
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
 * numeric[i] = 1 writes v[i] bare in JSON). */
static int emit(struct hub_export *x, const char *const *cols, const char **v,
    const int *numeric, int n)
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
		if (numeric[i] && v[i][0] != '\0') {
			if (hub_buf_str(&x->out, v[i]) != 0)
				return -1;
		} else if (numeric[i]) {
			if (hub_buf_str(&x->out, "null") != 0)
				return -1;
		} else if (hub_json_str(&x->out, v[i]) != 0) {
			return -1;
		}
	}
	return hub_buf_str(&x->out, "}");
}

static int att_row(struct hub_export *x, struct hub_res *r)
{
	char date[HUB_ISO_MAX], in[HUB_ISO_MAX], out[HUB_ISO_MAX] = "", dev[HUB_ISO_MAX];
	char hours[32] = "";
	const char *v[19];
	static const int numeric[19] = { [3] = 1 };
	int64_t t = hub_res_int(r, 0);
	int anon = hub_res_int(r, 5) != 0;

	hub_sheet_time(t, in);
	snprintf(date, sizeof(date), "%.10s", in);
	hub_sheet_time(hub_res_int(r, 1), dev);
	if (!hub_res_is_null(r, 16)) {
		int64_t o = hub_res_int(r, 16);

		hub_sheet_time(o, out);
		if (o >= t) {
			int64_t centi = (o - t + 18000) / 36000;   /* hours, 2 decimals, rounded */

			snprintf(hours, sizeof(hours), "%lld%c%02lld", (long long)(centi / 100),
			    x->fmt == HUB_FMT_CSV ? ',' : '.', (long long)(centi % 100));
		}
	}
	v[0] = date;
	v[1] = in;
	v[2] = out;
	v[3] = hours;
	v[4] = hub_res_text(r, 2);
	v[5] = dev;
	v[6] = anon ? "" : hub_res_text(r, 4);
	v[7] = anon ? ERASED_NAME : hub_res_text(r, 6);
	v[8] = hub_res_text(r, 3);
	v[9] = hub_res_text(r, 7);
	v[10] = hub_res_text(r, 8);
	v[11] = hub_res_text(r, 9);
	v[12] = hub_res_text(r, 10);
	v[13] = hub_res_text(r, 11);
	v[14] = hub_res_text(r, 12);
	v[15] = hub_res_text(r, 13);
	v[16] = hub_res_text(r, 14);
	v[17] = hub_res_text(r, 15);
	v[18] = hub_res_text(r, 17);
	return emit(x, att_cols, v, numeric, 19);
}

static int pl_row(struct hub_export *x, struct hub_res *r)
{
	char in[HUB_ISO_MAX] = "";
	const char *v[7];
	static const int numeric[7] = { 0 };
	const char *pid = hub_res_text(r, 0);
	int anon = hub_res_int(r, 6) != 0 || strncmp(pid, "anon:", 5) == 0;

	if (!hub_res_is_null(r, 4))
		hub_sheet_time(hub_res_int(r, 4), in);
	v[0] = x->session;
	v[1] = anon ? "" : pid;
	v[2] = anon ? ERASED_NAME : hub_res_text(r, 5);
	v[3] = hub_res_text(r, 3);
	v[4] = hub_res_int(r, 1) ? "yes" : "no";
	v[5] = hub_res_int(r, 2) ? "yes" : "no";
	v[6] = in;
	return emit(x, pl_cols, v, numeric, 7);
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
		rc = hub_res_next(x->res);
		if (rc == 1) {
			rc = x->kind == HUB_EXPORT_ATTENDANCE ? att_row(x, x->res) : pl_row(x, x->res);
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

void hub_export_close(struct hub_export *x)
{
	if (x == NULL)
		return;
	hub_res_free(x->res);
	hub_db_rollback(x->db);
	free(x);
}
