/* api_export.c — GET /v1/export/attendance.{csv,json} and
 * /v1/export/presentielijst.{csv,json} for a coordinator: filters checked
 * against the coordinator's organisation (403 for an id outside it), then
 * the export streamed on the request's db connection. from/to are local
 * dates of each row's location (export.h).
 * Must not: let a query parameter pick the organisation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/api/api.h"
#include "hub/base/htime.h"
#include "hub/db/db.h"
#include "hub/http/caller.h"
#include "hub/http/http.h"
#include "hub/reports/export.h"
#include "hub/svc/auth.h"

#define HUB_EXPORT_TO_DEFAULT  INT64_MAX

struct stream {
	struct hub_export *x;
	struct hub_pool *pool;
	struct hub_db *db;
};

static ssize_t reader(void *cls, char *buf, size_t max)
{
	struct stream *s = cls;

	return hub_export_read(s->x, buf, max);
}

static void reader_free(void *cls)
{
	struct stream *s = cls;

	hub_export_close(s->x);
	hub_pool_put(s->pool, s->db, 0);
	free(s);
}

/* Is id (of table kind) in org? 1 yes, 0 no, < 0 db error. */
static int owned(struct hub_db *db, const char *sql, const char *org, const char *id,
    char *prog, size_t proglen)
{
	struct hub_res *r = NULL;
	int rc, found = 0;

	rc = hub_db_query(db, sql, 2, (struct hub_param[]){ HP_S(org), HP_S(id) }, 0, &r);
	if (rc != HUB_DB_OK)
		return rc;
	if ((rc = hub_res_next(r)) == 1) {
		found = 1;
		if (prog != NULL)
			snprintf(prog, proglen, "%s", hub_res_text(r, 0));
		while ((rc = hub_res_next(r)) == 1)
			;
	}
	hub_res_free(r);
	return rc < 0 ? rc : found;
}

/* A date argument: 0 absent, 1 valid (*out is it), -1 answered 400. */
static int date_arg(struct hub_req *rq, struct hub_resp *rs, const char *name, const char **out)
{
	const char *v = hub_req_arg(rq, name);
	int64_t ms;

	if (v == NULL || v[0] == '\0')
		return 0;
	if (hub_date_parse(v, &ms) != 0) {
		hub_resp_error(rs, 400, "bad_request", "%s: must be a date YYYY-MM-DD", name);
		return -1;
	}
	*out = v;
	return 1;
}

void hub_api_export(struct hub_req *rq, struct hub_resp *rs, const char *what, int json)
{
	struct hub_export_q q = { 0 };
	struct hub_coord co;
	struct stream *s = NULL;
	char prog[PR_ID_MAX] = "";
	int rc;

	if (hub_req_coord(rq, rs, &co) != 0)
		return;
	q.fmt = json ? HUB_FMT_JSON : HUB_FMT_CSV;
	q.org_id = co.org_id;
	q.from_ms = 0;
	q.to_ms = HUB_EXPORT_TO_DEFAULT;
	q.programme = hub_req_arg(rq, "programme");
	q.location = hub_req_arg(rq, "location");
	/* local days of each row's location, "to" inclusive (export.h) */
	if (date_arg(rq, rs, "from", &q.from_date) < 0 || date_arg(rq, rs, "to", &q.to_date) < 0)
		return;
	if (strcmp(what, "attendance") == 0) {
		q.kind = HUB_EXPORT_ATTENDANCE;
	} else {
		q.kind = HUB_EXPORT_PRESENTIELIJST;
		q.session = hub_req_arg(rq, "session");
		if (q.session == NULL || q.session[0] == '\0' || strlen(q.session) >= PR_ID_MAX) {
			hub_resp_error(rs, 400, "bad_request", "session: required (a session id)");
			return;
		}
	}
	if (q.programme != NULL && q.programme[0] != '\0') {
		rc = owned(rq->db, "SELECT id FROM programmes WHERE org_id = $1 AND id = $2",
		    co.org_id, q.programme, NULL, 0);
		if (rc <= 0)
			goto refused;
	}
	if (q.location != NULL && q.location[0] != '\0') {
		rc = owned(rq->db, "SELECT id FROM locations WHERE org_id = $1 AND id = $2",
		    co.org_id, q.location, NULL, 0);
		if (rc <= 0)
			goto refused;
	}
	if (q.session != NULL) {
		rc = owned(rq->db, "SELECT COALESCE(programme_id, '') FROM sessions"
		    " WHERE org_id = $1 AND id = $2", co.org_id, q.session, prog, sizeof(prog));
		if (rc <= 0)
			goto refused;
		q.programme_of_session = prog;
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		hub_resp_error(rs, 500, "internal", "out of memory");
		return;
	}
	rc = hub_export_open(rq->db, &q, &s->x);
	if (rc != HUB_DB_OK) {
		free(s);
		hub_resp_dberr(rs, rc);
		return;
	}
	s->pool = rq->ctx->pool;
	s->db = hub_req_take_db(rq);
	rs->status = 200;
	rs->ctype = json ? "application/json" : "text/csv; charset=utf-8";
	rs->filename = json ? (q.kind == HUB_EXPORT_ATTENDANCE ? "attendance.json" : "presentielijst.json")
	    : (q.kind == HUB_EXPORT_ATTENDANCE ? "attendance.csv" : "presentielijst.csv");
	rs->reader = reader;
	rs->reader_free = reader_free;
	rs->reader_cls = s;
	return;
refused:
	if (rc < 0)
		hub_resp_dberr(rs, rc);
	else
		hub_resp_error(rs, 403, "forbidden", "not an id of your organisation");
}
