/* api_login.c — POST /v1/login: coordinator e-mail + password (argon2id,
 * libsodium) for a bearer token scoped to the coordinator's organisation
 * (the lockout: svc/login.c), audited; DELETE /v1/login ends that token;
 * POST /v1/logout-all ends every token and dashboard session of its
 * coordinator (svc/logout.c). Also GET /v1/health.
 * Must not: reveal whether an account exists (same answer and similar time). */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/api/api.h"
#include "hub/base/htime.h"
#include "hub/base/jsonv.h"
#include "hub/db/db.h"
#include "hub/http/caller.h"
#include "hub/http/http.h"
#include "hub/svc/audit.h"
#include "hub/svc/auth.h"
#include "hub/svc/login.h"
#include "hub/svc/logout.h"

void hub_api_login(struct hub_req *rq, struct hub_resp *rs)
{
	char token[HUB_TOKEN_STR] = "", thash[HUB_HASH_HEX], iso[HUB_ISO_MAX];
	struct hub_db *db = hub_req_db(rq);
	struct hub_login lg;
	int rc;
	int64_t now = hub_now_ms();

	if (db == NULL) {
		hub_resp_dberr(rs, HUB_DB_UNAVAILABLE);
		return;
	}
	if (hub_req_login(rq, rs, db, &lg, token, thash) != 0)
		goto out;
	rc = hub_db_exec(db, "INSERT INTO coord_tokens (token_hash, coordinator_id, org_id, expires_ms)"
	    " VALUES ($1, $2, $3, $4)", 4, (struct hub_param[]){ HP_S(thash), HP_S(lg.coordinator_id),
	    HP_S(lg.org_id), HP_I(now + HUB_COORD_TOKEN_TTL_MS) }, NULL);
	if (rc == HUB_DB_OK) {
		struct hub_actor who = { lg.org_id, lg.coordinator_id, lg.email };

		rc = hub_audit(db, &who, "login", lg.email, "token");
	}
	if (rc != HUB_DB_OK) {
		(void)hub_db_exec(db, "DELETE FROM coord_tokens WHERE token_hash = $1", 1,
		    (struct hub_param[]){ HP_S(thash) }, NULL);
		hub_resp_dberr(rs, rc);
		goto out;
	}
	(void)hub_db_exec(db, "DELETE FROM coord_tokens WHERE expires_ms < $1", 1,
	    (struct hub_param[]){ HP_I(now) }, NULL);
	hub_iso_ms(now + HUB_COORD_TOKEN_TTL_MS, iso);
	hub_resp_json(rs, 200, json_pack("{s:s,s:s,s:{s:s,s:s}}", "token", token,
	    "expires", iso, "organisation", "id", lg.org_id, "name", lg.org_name));
out:
	sodium_memzero(token, sizeof(token));
}

void hub_api_logout(struct hub_req *rq, struct hub_resp *rs)
{
	char thash[HUB_HASH_HEX];
	struct hub_coord co;
	int rc, revoked = 0;

	if (hub_req_coord(rq, rs, &co) != 0)
		return;
	if (hub_auth_bearer_hash(hub_req_header(rq, "Authorization"), thash) != 0) {
		hub_resp_error(rs, 401, "unauthorized", "a coordinator token is required");
		return;
	}
	rc = hub_logout_token(hub_req_db(rq), thash, co.id, co.org_id, &revoked);
	if (rc != HUB_DB_OK) {
		hub_resp_dberr(rs, rc);
		return;
	}
	if (!revoked) {   /* revoked by another request meanwhile */
		hub_resp_error(rs, 401, "unauthorized", "unknown or expired coordinator token");
		return;
	}
	rs->status = 204;
	rs->body = strdup("");
	rs->len = 0;
}

void hub_api_logout_all(struct hub_req *rq, struct hub_resp *rs)
{
	struct hub_coord co;
	int64_t tokens = 0, sessions = 0;
	int rc;

	if (hub_req_coord(rq, rs, &co) != 0)
		return;
	rc = hub_logout_all(hub_req_db(rq), co.id, co.org_id, NULL, &tokens, &sessions);
	if (rc != HUB_DB_OK) {
		hub_resp_dberr(rs, rc);
		return;
	}
	hub_resp_json(rs, 200, json_pack("{s:I,s:I}", "tokens", (json_int_t)tokens,
	    "sessions", (json_int_t)sessions));
}

void hub_api_health(struct hub_req *rq, struct hub_resp *rs)
{
	struct hub_db *db = hub_req_db(rq);
	int64_t v = 0;
	int rc;

	if (db == NULL) {
		hub_resp_dberr(rs, HUB_DB_UNAVAILABLE);
		return;
	}
	rc = hub_db_int(db, "SELECT 1", 0, NULL, &v);
	if (rc < 0) {
		rq->db_broken = 1;
		hub_resp_dberr(rs, rc);
		return;
	}
	hub_resp_json(rs, 200, json_pack("{s:b}", "ok", 1));
}
