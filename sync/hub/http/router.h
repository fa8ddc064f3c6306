/* router.h — method + exact path to a handler, over a table the caller
 * owns; 404/405 answers for the rest. The protocol's table is api/api_route.c;
 * cli/routes.c puts it after the dashboard's own dispatch (dash/dash_route.c).
 * Must not: know any endpoint, parse bodies or touch the db. */
#ifndef PRESENTIE_HUB_ROUTER_H
#define PRESENTIE_HUB_ROUTER_H

#include <stddef.h>

#include "hub/http/http.h"

struct hub_route {
	const char *method;
	const char *path;
	hub_handler_fn fn;
};

/* Dispatch rq by exact path over table[0..n). Returns 1 if the path is in
 * the table (rs filled by its handler, or 405 for another method), 0 if it
 * is not (rs untouched). */
int hub_route_table(const struct hub_route *table, size_t n, struct hub_req *rq,
    struct hub_resp *rs);

/* Fill rs with 404 "no such endpoint". */
void hub_route_not_found(struct hub_resp *rs);

#endif
