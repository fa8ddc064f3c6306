/* dash_audit.c — GET /v1/dash/audit: the organisation's audit trail
 * (written by svc/audit.c) for its admins, newest first, paged by id.
 * Must not: show another organisation's rows. */
#include "hub/dash/dash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/base/htime.h"
#include "hub/db/db.h"
#include "hub/http/http.h"

#define DASH_AUDIT_PAGE_DEFAULT 100
#define DASH_AUDIT_PAGE_MAX     500

/* A decimal argument in [min, max]; def when absent. Returns 0 or -1. */
static int int_arg(struct hub_req *rq, const char *name, int64_t min, int64_t max, int64_t def,
    int64_t *out)
{
	const char *s = hub_req_arg(rq, name);
	char *end = NULL;
	long long v;

	*out = def;
	if (s == NULL || s[0] == '\0')
		return 0;
	v = strtoll(s, &end, 10);
	if (end == s || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

void dash_audit_list(struct dash_call *c)
{
	struct hub_res *r = NULL;
	json_t *rows = NULL, *j;
	int64_t limit, before, last = 0, n = 0;
	int rc;

	if (strcmp(c->rq->method, "GET") != 0 || c->nseg != 1) {
		hub_resp_error(c->rs, c->nseg != 1 ? 404 : 405, c->nseg != 1 ? "not_found" :
		    "method_not_allowed", "GET /v1/dash/audit only");
		return;
	}
	if (!c->who.admin) {
		hub_resp_error(c->rs, 403, "forbidden", "the audit log is for the organisation's admins");
		return;
	}
	if (int_arg(c->rq, "limit", 1, DASH_AUDIT_PAGE_MAX, DASH_AUDIT_PAGE_DEFAULT, &limit) != 0 ||
	    int_arg(c->rq, "before", 1, INT64_MAX, INT64_MAX, &before) != 0) {
		hub_resp_error(c->rs, 400, "bad_request", "limit: 1..%d; before: an id", DASH_AUDIT_PAGE_MAX);
		return;
	}
	rows = json_array();
	rc = hub_db_query(c->db, "SELECT id, at_ms, email, action, target, detail, row_count"
	    " FROM audit_log"
	    " WHERE org_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3", 3,
	    (struct hub_param[]){ HP_S(c->who.org_id), HP_I(before), HP_I(limit + 1) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		if (n++ >= limit)
			continue;
		last = hub_res_int(r, 0);
		/* "rows": rows a download sent; null for other actions */
		json_array_append_new(rows, json_pack("{s:I,s:o,s:s,s:s,s:s,s:s,s:o}", "id",
		    (json_int_t)last, "at", dash_iso(hub_res_int(r, 1)), "coordinator", hub_res_text(r, 2),
		    "action", hub_res_text(r, 3), "target", hub_res_text(r, 4), "detail", hub_res_text(r, 5),
		    "rows", hub_res_int(r, 6) >= 0 ? json_integer(hub_res_int(r, 6)) : json_null()));
	}
	hub_res_free(r);
	if (rc < 0) {
		json_decref(rows);
		hub_resp_dberr(c->rs, rc);
		return;
	}
	j = json_pack("{s:o}", "rows", rows);
	if (j != NULL && n > limit) {
		char next[24];

		snprintf(next, sizeof(next), "%lld", (long long)last);
		json_object_set_new(j, "next", json_string(next));
	} else if (j != NULL) {
		json_object_set_new(j, "next", json_null());
	}
	dash_json(c->rs, 200, j);
}
