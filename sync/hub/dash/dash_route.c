/* dash_route.c — the dashboard's part of the URL space: static files at /,
 * /v1/session, and /v1/dash/NAME/... split into segments and handed to the
 * handler of NAME after authentication (helpers for the handlers:
 * dash_call.c).
 * Must not: decide anything about tenancy (dash_auth does, from the session). */
#include "hub/dash/dash.h"

#include <stdio.h>
#include <string.h>

#include "hub/base/htime.h"
#include "hub/base/jsonv.h"
#include "hub/db/db.h"
#include "hub/http/http.h"

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
	{ "coordinators", dash_coordinators },
	{ "import", dash_import },
	{ "print", dash_print },
	{ "registrations", dash_registrations },
	{ "ical", dash_ical },
	{ "funder", dash_funder },
	{ "manual", dash_manual },
};

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
