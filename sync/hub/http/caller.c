/* caller.c — bearer token of a request to a device or a coordinator
 * (caller.h), answering 401 for a missing or unknown token. */
#include "hub/http/caller.h"

#include <string.h>

#include "hub/base/jsonv.h"
#include "hub/db/db.h"
#include "hub/http/http.h"
#include "hub/svc/auth.h"
#include "hub/svc/login.h"

/* Answer the outcome rc of a token check that was not HUB_AUTH_OK. */
static int deny(struct hub_req *rq, struct hub_resp *rs, int rc, const char *missing,
    const char *unknown)
{
	if (rc < 0) {
		rq->db_broken = rc == HUB_DB_UNAVAILABLE;
		hub_resp_dberr(rs, rc);
	} else {
		hub_resp_error(rs, 401, "unauthorized", "%s",
		    rc == HUB_AUTH_MISSING ? missing : unknown);
	}
	return -1;
}

int hub_req_device(struct hub_req *rq, struct hub_resp *rs, struct hub_device *dev)
{
	const char *authz = hub_req_header(rq, "Authorization");
	struct hub_db *db;
	int rc;

	if (authz == NULL)
		return deny(rq, rs, HUB_AUTH_MISSING, "a device token is required", "");
	db = hub_req_db(rq);
	if (db == NULL)
		return deny(rq, rs, HUB_DB_UNAVAILABLE, "", "");
	rc = hub_auth_device_token(db, authz, hub_req_header(rq, "Presentie-Device-Status"), dev);
	if (rc != HUB_AUTH_OK)
		return deny(rq, rs, rc, "a device token is required",
		    "unknown or revoked device token");
	return 0;
}

int hub_req_coord(struct hub_req *rq, struct hub_resp *rs, struct hub_coord *co)
{
	const char *authz = hub_req_header(rq, "Authorization");
	const char *missing = "a coordinator token is required (POST /v1/login)";
	struct hub_db *db;
	int rc;

	if (authz == NULL)
		return deny(rq, rs, HUB_AUTH_MISSING, missing, "");
	db = hub_req_db(rq);
	if (db == NULL)
		return deny(rq, rs, HUB_DB_UNAVAILABLE, "", "");
	rc = hub_auth_coord_token(db, authz, co);
	if (rc != HUB_AUTH_OK)
		return deny(rq, rs, rc, missing, "unknown or expired coordinator token");
	return 0;
}

static void login_denied(struct hub_resp *rs, int rc, int retry_s)
{
	if (rc == HUB_LOGIN_LOCKED) {
		hub_resp_error(rs, 429, "rate_limited", "too many failed logins; try again later");
		rs->retry_after = retry_s;
	} else if (rc == HUB_LOGIN_BUSY) {
		hub_resp_error(rs, 429, "rate_limited", "too many login attempts at this hub; try again later");
		rs->retry_after = retry_s;
	} else if (rc == HUB_LOGIN_WRONG) {
		hub_resp_error(rs, 401, "unauthorized", "e-mail address or password wrong");
	} else {
		hub_resp_dberr(rs, rc);
	}
}

int hub_req_login(struct hub_req *rq, struct hub_resp *rs, struct hub_db *db,
    struct hub_login *lg, char token[HUB_TOKEN_STR], char thash[HUB_HASH_HEX])
{
	char err[HUB_ERRMSG_MAX];
	const char *e, *pw;
	json_t *j = hub_login_body(rq->body, rq->body_len, &e, &pw, err, sizeof(err));
	int rc, retry = 0;

	if (j == NULL) {
		hub_resp_error(rs, 400, "bad_request", "%s", err);
		return -1;
	}
	rc = hub_login_check(db, e, pw, strcmp(rq->path, "/v1/login") == 0 ? "token" : "session",
	    rq->ip, rq->ctx->login_fail_max, rq->ctx->login_window_ms, lg, &retry);
	json_decref(j);
	if (rc != HUB_LOGIN_OK) {
		login_denied(rs, rc, retry);
		return -1;
	}
	if (hub_login_token(token, thash) != 0) {
		hub_resp_error(rs, 500, "internal", "no randomness");
		return -1;
	}
	return 0;
}
