/* routes.h — the handler `serve` gives the HTTP server: every URL of the hub.
 * Must not: be included below cli/ (it knows every endpoint room). */
#ifndef PRESENTIE_HUB_ROUTES_H
#define PRESENTIE_HUB_ROUTES_H

struct hub_req;
struct hub_resp;

/* Route rq to the dashboard or the protocol; fills rs (404 if nothing). */
void hub_routes(struct hub_req *rq, struct hub_resp *rs);
/* 1 for the requests that check a password (POST /v1/login, the
 * dashboard's POST /v1/session): the server runs them on its
 * password-check workers (http/offload.h). */
int hub_routes_offload(const struct hub_req *rq);

#endif
