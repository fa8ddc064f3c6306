/* api.h — the endpoint handlers of PROTOCOL.md, one file per group.
 * Each fills rs completely (status, JSON body or a stream).
 * Must not: write to the response connection themselves (http.c does). */
#ifndef PRESENTIE_HUB_API_H
#define PRESENTIE_HUB_API_H

struct hub_req;
struct hub_resp;

void hub_api_enrol(struct hub_req *rq, struct hub_resp *rs);       /* POST /v1/enrol */
void hub_api_events(struct hub_req *rq, struct hub_resp *rs);      /* POST /v1/events */
void hub_api_changes(struct hub_req *rq, struct hub_resp *rs);     /* GET /v1/changes */
void hub_api_login(struct hub_req *rq, struct hub_resp *rs);       /* POST /v1/login */
void hub_api_logout(struct hub_req *rq, struct hub_resp *rs);      /* DELETE /v1/login */
void hub_api_logout_all(struct hub_req *rq, struct hub_resp *rs);  /* POST /v1/logout-all */
/* GET /v1/export/attendance.{csv,json}, /v1/export/presentielijst.{csv,json};
 * what is "attendance" or "presentielijst", json 1 for .json. */
void hub_api_export(struct hub_req *rq, struct hub_resp *rs, const char *what, int json);
void hub_api_health(struct hub_req *rq, struct hub_resp *rs);      /* GET /v1/health */

/* Route rq if its path is one of the above: returns 1 with rs filled
 * (405 for another method), else 0 (api_route.c). */
int hub_api_route(struct hub_req *rq, struct hub_resp *rs);
/* GET /v1/ical/TOKEN.ics (api_ical.c): 1 with rs filled if rq is under
 * /v1/ical/, else 0. */
int hub_api_ical(struct hub_req *rq, struct hub_resp *rs);

#endif
