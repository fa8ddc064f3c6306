/* caller.h — who sent a request, as the endpoints ask it: the device or
 * the coordinator of its bearer token (svc/auth.c checks the token), with
 * the 401/503 answer when there is none, and the answer to a failed login.
 * Must not: take identity from anywhere but the Authorization header. */
#ifndef PRESENTIE_HUB_CALLER_H
#define PRESENTIE_HUB_CALLER_H

#include "hub/svc/login.h"
#include "hub/svc/token.h"

struct hub_req;
struct hub_resp;
struct hub_db;
struct hub_device;
struct hub_coord;

/* The device of rq's bearer token. Returns 0 with dev filled (last_seen
 * and the kiosk's Presentie-Device-Status noted), or -1 with rs filled
 * (401, 503, 500). */
int hub_req_device(struct hub_req *rq, struct hub_resp *rs, struct hub_device *dev);
/* The coordinator of rq's bearer token (POST /v1/login). Same returns. */
int hub_req_coord(struct hub_req *rq, struct hub_resp *rs, struct hub_coord *co);

/* The login of rq's body {"email","password"} (svc/login.h; audited
 * failures name the way in: "token" for POST /v1/login, else "session")
 * and a new token for it. Returns 0 with lg, token and its hash filled,
 * or -1 with rs filled: 400, 401 (wrong), 429 + Retry-After (locked, or
 * the hub's table of login limits full), 500, 503. */
int hub_req_login(struct hub_req *rq, struct hub_resp *rs, struct hub_db *db,
    struct hub_login *lg, char token[HUB_TOKEN_STR], char thash[HUB_HASH_HEX]);

#endif
