/* router.c — dispatch over a route table (router.h). */
#include "hub/http/router.h"

#include <string.h>

int hub_route_table(const struct hub_route *table, size_t n, struct hub_req *rq,
    struct hub_resp *rs)
{
	int path_known = 0;

	for (size_t i = 0; i < n; i++) {
		if (strcmp(table[i].path, rq->path) != 0)
			continue;
		path_known = 1;
		if (strcmp(table[i].method, rq->method) == 0) {
			table[i].fn(rq, rs);
			return 1;
		}
	}
	if (!path_known)
		return 0;
	hub_resp_error(rs, 405, "method_not_allowed", "%s is not allowed here", rq->method);
	return 1;
}

void hub_route_not_found(struct hub_resp *rs)
{
	hub_resp_error(rs, 404, "not_found", "no such endpoint");
}
