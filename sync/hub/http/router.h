/* router.h — method + path to handler; 404/405 for the rest.
 * Must not: parse bodies or touch the db. */
#ifndef PRESENTIE_HUB_ROUTER_H
#define PRESENTIE_HUB_ROUTER_H

struct hub_req;
struct hub_resp;

void hub_route(struct hub_req *rq, struct hub_resp *rs);

#endif
