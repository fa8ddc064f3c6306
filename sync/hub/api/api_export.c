/* api_export.c — GET /v1/export/attendance.{csv,json} and
 * /v1/export/presentielijst.{csv,json} for a coordinator: filters checked
 * against the coordinator's organisation (403 for an id outside it), then
 * the export streamed on an export slot's own db connection (slots.h: 429
 * or 503 + Retry-After when none is free; a stalled reader is closed after
 * HUB_EXPORT_STALL_S), and one audit row written when the stream ends,
 * with the rows sent and whether it was cut short. from/to are local dates
 * of each row's location (export.h).
 * Must not: let a query parameter pick the organisation, or stream on a
 * connection of the shared request pool. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/api/api.h"
#include "hub/base/htime.h"
#include "hub/db/db.h"
#include "hub/http/caller.h"
#include "hub/http/http.h"
#include "hub/http/slots.h"
#include "hub/reports/export.h"
#include "hub/svc/audit.h"
#include "hub/svc/auth.h"

#define HUB_EXPORT_TO_DEFAULT  INT64_MAX
#define EXPORT_DETAIL_MAX      256   /* the audit row's detail */
#define EXPORT_EMAIL_MAX       320

struct stream {
	struct hub_export *x;
	struct hub_slot slot;
	int64_t until_ms;        /* the stream is cut short after this (HUB_EXPORT_MAX_S) */
	int failed;
	char org[PR_ID_MAX], coord[PR_ID_MAX], email[EXPORT_EMAIL_MAX];
	char target[32], detail[EXPORT_DETAIL_MAX];
};

static ssize_t reader(void *cls, char *buf, size_t max)
{
	struct stream *s = cls;
	ssize_t n;

	if (hub_now_ms() > s->until_ms) {
		s->failed = 1;
		return -1;
	}
	n = hub_export_read(s->x, buf, max);
	if (n < 0)
		s->failed = 1;
	return n;
}

/* The end of the stream (sent whole, failed, or the client went away):
 * audit it on the slot's connection, then give the slot back. */
static void reader_free(void *cls)
{
	struct stream *s = cls;
	struct hub_actor who = { s->org, s->coord, s->email };
	int64_t rows = hub_export_rows(s->x);
	int whole = !s->failed && hub_export_done(s->x);
	char detail[EXPORT_DETAIL_MAX + 64];
	int rc;

	hub_export_close(s->x);
	if (whole)
		snprintf(detail, sizeof(detail), "%s", s->detail);
	else
		snprintf(detail, sizeof(detail), "%s%scut short after %lld rows", s->detail,
		    s->detail[0] ? "; " : "", (long long)rows);
	rc = hub_audit_rows(s->slot.db, &who, "export", s->target, detail, rows);
	if (rc != HUB_DB_OK)
		fprintf(stderr, "presentie-hub: audit of an export (%s, %s) failed: %s\n", s->org,
		    s->target, hub_db_errmsg(s->slot.db));
	hub_slot_give(&s->slot, rc == HUB_DB_UNAVAILABLE);
	free(s);
}

/* "name=value" appended to d (n bytes) if value is set. */
static void detail_add(char *d, size_t n, const char *name, const char *value)
{
	size_t len = strlen(d);

	if (value == NULL || value[0] == '\0' || len >= n)
		return;
	snprintf(d + len, n - len, "%s%s=%s", len ? " " : "", name, value);
}

/* The coordinator's e-mail address (for the audit row) into out. */
static int coord_email(struct hub_db *db, const struct hub_coord *co, char *out, size_t n)
{
	struct hub_res *r = NULL;
	int rc;

	out[0] = '\0';
	rc = hub_db_query(db, "SELECT email FROM coordinators WHERE id = $1 AND org_id = $2", 2,
	    (struct hub_param[]){ HP_S(co->id), HP_S(co->org_id) }, 0, &r);
	if (rc != HUB_DB_OK)
		return rc;
	while ((rc = hub_res_next(r)) == 1)
		snprintf(out, n, "%s", hub_res_text(r, 0));
	hub_res_free(r);
	return rc < 0 ? rc : HUB_DB_OK;
}

/* Answer a refused slot: 429 (the organisation's slots) or 503. */
static void no_slot(struct hub_resp *rs, int rc)
{
	if (rc == HUB_SLOT_ORG_BUSY)
		hub_resp_error(rs, 429, "rate_limited", "your organisation already runs %d exports;"
		    " try again when one has finished", HUB_EXPORT_SLOTS_PER_ORG);
	else
		hub_resp_error(rs, 503, "unavailable", "the hub runs as many exports as it can;"
		    " try again shortly");
	rs->retry_after = HUB_EXPORT_RETRY_S;
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
	rc = coord_email(rq->db, &co, s->email, sizeof(s->email));
	if (rc != HUB_DB_OK) {
		free(s);
		hub_resp_dberr(rs, rc);
		return;
	}
	snprintf(s->org, sizeof(s->org), "%s", co.org_id);
	snprintf(s->coord, sizeof(s->coord), "%s", co.id);
	snprintf(s->target, sizeof(s->target), "%s.%s", what, json ? "json" : "csv");
	detail_add(s->detail, sizeof(s->detail), "session", q.session);
	detail_add(s->detail, sizeof(s->detail), "programme", q.programme);
	detail_add(s->detail, sizeof(s->detail), "location", q.location);
	detail_add(s->detail, sizeof(s->detail), "from", q.from_date);
	detail_add(s->detail, sizeof(s->detail), "to", q.to_date);
	rc = hub_slot_take(rq->ctx->slots, co.org_id, &s->slot);
	if (rc != HUB_SLOT_OK) {
		free(s);
		no_slot(rs, rc);
		return;
	}
	rc = hub_export_open(s->slot.db, &q, &s->x);
	if (rc != HUB_DB_OK) {
		hub_slot_give(&s->slot, rc == HUB_DB_UNAVAILABLE);
		free(s);
		hub_resp_dberr(rs, rc);
		return;
	}
	s->until_ms = hub_now_ms() + HUB_EXPORT_MAX_S * 1000LL;
	/* a reader that stops reading frees its slot after this */
	hub_req_set_timeout(rq, HUB_EXPORT_STALL_S);
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
