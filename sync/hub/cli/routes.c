/* routes.c — the hub's whole URL space: the dashboard's (dash_route.c:
 * pages, /v1/session, /v1/dash/...) first, then the protocol's
 * (api_route.c), else 404. `serve` hands hub_routes to the server.
 * Must not: hold any handler. */
#include "hub/cli/routes.h"

#include <string.h>

#include "hub/api/api.h"
#include "hub/dash/dash.h"
#include "hub/http/http.h"
#include "hub/http/router.h"

void hub_routes(struct hub_req *rq, struct hub_resp *rs)
{
	if (dash_route(rq, rs))
		return;
	if (hub_api_route(rq, rs))
		return;
	hub_route_not_found(rs);
}

int hub_routes_offload(const struct hub_req *rq)
{
	return strcmp(rq->method, "POST") == 0 &&
	    (strcmp(rq->path, "/v1/login") == 0 || strcmp(rq->path, "/v1/session") == 0);
}
