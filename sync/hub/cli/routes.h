/* routes.h — the handler `serve` gives the HTTP server: every URL of the hub.
 * Must not: be included below cli/ (it knows every endpoint room). */
#ifndef PRESENTIE_HUB_ROUTES_H
#define PRESENTIE_HUB_ROUTES_H

struct hub_req;
struct hub_resp;

/* Route rq to the dashboard or the protocol; fills rs (404 if nothing). */
void hub_routes(struct hub_req *rq, struct hub_resp *rs);

#endif
