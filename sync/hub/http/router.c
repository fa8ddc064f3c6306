/* router.c — the hub's URL table. */
#include "hub/http/router.h"

#include <string.h>

#include "hub/api/api.h"
#include "hub/dash/dash.h"
#include "hub/http/http.h"

struct route {
	const char *method;
	const char *path;
	void (*fn)(struct hub_req *, struct hub_resp *);
};

static void att_csv(struct hub_req *rq, struct hub_resp *rs) { hub_api_export(rq, rs, "attendance", 0); }
static void att_json(struct hub_req *rq, struct hub_resp *rs) { hub_api_export(rq, rs, "attendance", 1); }
static void pl_csv(struct hub_req *rq, struct hub_resp *rs) { hub_api_export(rq, rs, "presentielijst", 0); }
static void pl_json(struct hub_req *rq, struct hub_resp *rs) { hub_api_export(rq, rs, "presentielijst", 1); }

static const struct route routes[] = {
	{ "POST", "/v1/enrol", hub_api_enrol },
	{ "POST", "/v1/events", hub_api_events },
	{ "GET", "/v1/changes", hub_api_changes },
	{ "POST", "/v1/login", hub_api_login },
	{ "GET", "/v1/export/attendance.csv", att_csv },
	{ "GET", "/v1/export/attendance.json", att_json },
	{ "GET", "/v1/export/presentielijst.csv", pl_csv },
	{ "GET", "/v1/export/presentielijst.json", pl_json },
	{ "GET", "/v1/health", hub_api_health },
};

void hub_route(struct hub_req *rq, struct hub_resp *rs)
{
	int path_known = 0;

	if (dash_route(rq, rs))
		return;

	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (strcmp(routes[i].path, rq->path) != 0)
			continue;
		path_known = 1;
		if (strcmp(routes[i].method, rq->method) == 0) {
			routes[i].fn(rq, rs);
			return;
		}
	}
	if (path_known)
		hub_resp_error(rs, 405, "method_not_allowed", "%s is not allowed here", rq->method);
	else
		hub_resp_error(rs, 404, "not_found", "no such endpoint");
}
