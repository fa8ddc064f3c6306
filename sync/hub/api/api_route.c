/* api_route.c — the URL table of the device protocol and the coordinator
 * API of sync/PROTOCOL.md (/v1/enrol, /v1/events, /v1/changes, /v1/login,
 * /v1/logout-all, /v1/export/..., /v1/health).
 * Must not: hold handler logic (the api_*.c files do). */
#include "hub/api/api.h"

#include "hub/http/router.h"

static void att_csv(struct hub_req *rq, struct hub_resp *rs) { hub_api_export(rq, rs, "attendance", 0); }
static void att_json(struct hub_req *rq, struct hub_resp *rs) { hub_api_export(rq, rs, "attendance", 1); }
static void pl_csv(struct hub_req *rq, struct hub_resp *rs) { hub_api_export(rq, rs, "presentielijst", 0); }
static void pl_json(struct hub_req *rq, struct hub_resp *rs) { hub_api_export(rq, rs, "presentielijst", 1); }

static const struct hub_route routes[] = {
	{ "POST", "/v1/enrol", hub_api_enrol },
	{ "POST", "/v1/events", hub_api_events },
	{ "GET", "/v1/changes", hub_api_changes },
	{ "POST", "/v1/login", hub_api_login },
	{ "DELETE", "/v1/login", hub_api_logout },
	{ "POST", "/v1/logout-all", hub_api_logout_all },
	{ "GET", "/v1/export/attendance.csv", att_csv },
	{ "GET", "/v1/export/attendance.json", att_json },
	{ "GET", "/v1/export/presentielijst.csv", pl_csv },
	{ "GET", "/v1/export/presentielijst.json", pl_json },
	{ "GET", "/v1/health", hub_api_health },
};

int hub_api_route(struct hub_req *rq, struct hub_resp *rs)
{
	if (hub_api_ical(rq, rs))
		return 1;
	return hub_route_table(routes, sizeof(routes) / sizeof(routes[0]), rq, rs);
}
