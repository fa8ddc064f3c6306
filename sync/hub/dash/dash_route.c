/* dash_route.c — the dashboard's part of the URL space: static files at /,
 * /v1/session, and /v1/dash/NAME/... split into segments and handed to the
 * handler of NAME after authentication; plus the small JSON helpers the
 * dash_*.c handlers share.
 * Must not: decide anything about tenancy (dash_auth does, from the session). */
#include "hub/dash/dash.h"

#include <stdio.h>
#include <string.h>

#include "hub/db/db.h"
#include "hub/base/htime.h"
#include "hub/http/http.h"
#include "hub/base/jsonv.h"

#define DASH_PREFIX "/v1/dash/"

struct dash_handler {
	const char *name;
	void (*fn)(struct dash_call *c);
};

static const struct dash_handler handlers[] = {
	{ "setup", dash_setup },
	{ "today", dash_today },
	{ "programmes", dash_programmes },
	{ "sessions", dash_sessions },
	{ "people", dash_people },
	{ "followup", dash_followup },
	{ "reports", dash_reports },
	{ "audit", dash_audit_list },
};

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

/* Split what follows /v1/dash/ into segments. Returns 0, or -1 if a segment
 * is empty, too long or not printable. */
static int split(const char *p, struct dash_call *c)
{
	c->nseg = 0;
	while (*p != '\0') {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);

		if (n == 0 || n >= sizeof(c->seg[0]) || c->nseg >= DASH_SEGS_MAX)
			return -1;
		memcpy(c->seg[c->nseg], p, n);
		c->seg[c->nseg][n] = '\0';
		if (!hub_jv_text_ok(c->seg[c->nseg]))
			return -1;
		c->nseg++;
		p += n;
		if (*p == '/')
			p++;
	}
	return c->nseg > 0 ? 0 : -1;
}

int dash_route(struct hub_req *rq, struct hub_resp *rs)
{
	static struct dash_call zero;
	struct dash_call c = zero;

	if (strncmp(rq->path, "/v1/", 4) != 0) {
		if (strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "HEAD") != 0)
			return 0;
		return dash_static(rq, rs);
	}
	if (strcmp(rq->path, "/v1/session") == 0) {
		dash_session_api(rq, rs);
		dash_security_headers(rs);
		return 1;
	}
	if (strncmp(rq->path, DASH_PREFIX, strlen(DASH_PREFIX)) != 0)
		return 0;
	dash_security_headers(rs);
	if (split(rq->path + strlen(DASH_PREFIX), &c) != 0) {
		hub_resp_error(rs, 404, "not_found", "no such endpoint");
		return 1;
	}
	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++) {
		if (strcmp(handlers[i].name, c.seg[0]) != 0)
			continue;
		if (dash_auth(rq, rs, &c.who) != 0)
			return 1;
		c.rq = rq;
		c.rs = rs;
		c.db = hub_req_db(rq);
		if (c.db == NULL) {
			hub_resp_dberr(rs, HUB_DB_UNAVAILABLE);
			return 1;
		}
		handlers[i].fn(&c);
		return 1;
	}
	hub_resp_error(rs, 404, "not_found", "no such endpoint");
	return 1;
}
