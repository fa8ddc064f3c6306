/* dash_call.c — what every dashboard handler uses: JSON answers and
 * bodies, field checks, the method/segment check of a sub-route table, db
 * failures, "does this id belong to the organisation", and the security
 * headers. Must not: route (dash_route.c) or authenticate (dash_auth.c). */
#include "hub/dash/dash.h"

#include <stdio.h>
#include <string.h>

#include "hub/base/htime.h"
#include "hub/base/jsonv.h"
#include "hub/db/db.h"
#include "hub/http/http.h"
#include "hub/reports/csvout.h"

void dash_security_headers(struct hub_resp *rs)
{
	(void)hub_resp_header(rs, "Content-Security-Policy", "default-src 'self'; img-src 'self' data:;"
	    " object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
	(void)hub_resp_header(rs, "Referrer-Policy", "no-referrer");
	(void)hub_resp_header(rs, "X-Frame-Options", "DENY");
}

void dash_json(struct hub_resp *rs, int status, json_t *j)
{
	if (j == NULL) {
		hub_resp_error(rs, 500, "internal", "out of memory");
		return;
	}
	if (hub_resp_json(rs, status, j) != 0)
		hub_resp_error(rs, 500, "internal", "out of memory");
}

json_t *dash_body(struct dash_call *c)
{
	char err[HUB_ERRMSG_MAX];
	json_t *j = hub_jv_parse(c->rq->body, c->rq->body_len, err, sizeof(err));

	if (j == NULL)
		hub_resp_error(c->rs, 400, "bad_request", "%s", err);
	return j;
}

json_t *dash_iso(int64_t ms)
{
	char iso[HUB_ISO_MAX];

	if (ms < 0)
		return json_null();
	hub_iso_s(ms, iso);
	return json_string(iso);
}

int dash_str(struct dash_call *c, json_t *j, const char *field, int required, size_t max,
    int allow_empty, const char **out)
{
	char err[HUB_ERRMSG_MAX];
	json_t *v = json_object_get(j, field);

	if (allow_empty && json_is_string(v) && json_string_length(v) == 0) {
		*out = "";
		return 0;
	}
	if (hub_jv_str(j, "", field, required, max, out, err, sizeof(err)) != 0) {
		hub_resp_error(c->rs, 400, "bad_request", "%s", err);
		return -1;
	}
	return 0;
}

int dash_id_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n >= PR_ID_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];

		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		    ch == '.' || ch == '_' || ch == ':' || ch == '-'))
			return 0;
	}
	return 1;
}

int dash_expect(struct dash_call *c, const char *m, int n)
{
	if (c->nseg != n) {
		hub_resp_error(c->rs, 404, "not_found", "no such endpoint");
		return -1;
	}
	if (strcmp(c->rq->method, m) != 0) {
		hub_resp_error(c->rs, 405, "method_not_allowed", "%s is not allowed here", c->rq->method);
		return -1;
	}
	return 0;
}

void dash_fail(struct dash_call *c, int rc)
{
	hub_db_rollback(c->db);
	if (rc == HUB_DB_UNAVAILABLE)
		c->rq->db_broken = 1;
	hub_resp_dberr(c->rs, rc);
}

int dash_exists(struct dash_call *c, const char *table, const char *id)
{
	static const char *const sql[][2] = {
		{ "people", "SELECT 1 FROM people WHERE org_id = $1 AND id = $2" },
		{ "programmes", "SELECT 1 FROM programmes WHERE org_id = $1 AND id = $2" },
		{ "sessions", "SELECT 1 FROM sessions WHERE org_id = $1 AND id = $2" },
		{ "locations", "SELECT 1 FROM locations WHERE org_id = $1 AND id = $2" },
		{ "devices", "SELECT 1 FROM devices WHERE org_id = $1 AND id = $2" },
	};
	int64_t v = 0;

	if (!dash_id_ok(id))
		return 0;
	for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++)
		if (strcmp(sql[i][0], table) == 0)
			return hub_db_int(c->db, sql[i][1], 2,
			    (struct hub_param[]){ HP_S(c->who.org_id), HP_S(id) }, &v);
	return HUB_DB_ERROR;
}

int dash_dispatch(struct dash_call *c, const struct dash_sub *t, size_t n, int maxseg)
{
	const char *m = c->rq->method;

	for (size_t i = 0; i < n; i++) {
		if (t[i].nseg != c->nseg || strcmp(t[i].method, m) != 0)
			continue;
		if (t[i].seg2 != NULL && strcmp(c->seg[2], t[i].seg2) != 0)
			continue;
		t[i].fn(c);
		return 0;
	}
	if (c->nseg <= maxseg)
		hub_resp_error(c->rs, 405, "method_not_allowed", "%s is not allowed here", m);
	else
		hub_resp_error(c->rs, 404, "not_found", "no such endpoint");
	return -1;
}

void dash_added_or_removed(struct dash_call *c, int add, json_t *added)
{
	if (add) {
		dash_json(c->rs, 201, added);
		return;
	}
	json_decref(added);
	(void)hub_resp_json(c->rs, 204, json_object());
	c->rs->len = 0;
}

int dash_programme_title(struct dash_call *c, const char *id, char *title, size_t n)
{
	struct hub_res *r = NULL;
	int rc = hub_db_query(c->db, "SELECT title FROM programmes WHERE org_id = $1 AND id = $2", 2,
	    (struct hub_param[]){ HP_S(c->who.org_id), HP_S(id) }, 0, &r);
	int found = 0;

	title[0] = '\0';
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		snprintf(title, n, "%s", hub_res_text(r, 0));
		found = 1;
	}
	hub_res_free(r);
	return rc < 0 ? rc : found;
}

void dash_send_csv(struct dash_call *c, struct hub_buf *b, const char *target,
    const char *detail, int64_t rows, const char *filename)
{
	struct hub_actor a = { c->who.org_id, c->who.id, c->who.email };
	char cd[96];
	int rc = hub_audit_rows(c->db, &a, "export", target, detail, rows);

	if (rc != HUB_DB_OK) {
		free(b->p);
		b->p = NULL;
		dash_fail(c, rc);
		return;
	}
	free(c->rs->body);
	c->rs->body = b->p;
	c->rs->len = b->len;
	b->p = NULL;
	c->rs->status = 200;
	c->rs->ctype = "text/csv; charset=utf-8";
	snprintf(cd, sizeof(cd), "attachment; filename=\"%s\"", filename);
	(void)hub_resp_header(c->rs, "Content-Disposition", cd);
}
