/* api_login.c — POST /v1/login: coordinator e-mail + password (argon2id,
 * libsodium) for a bearer token scoped to the coordinator's organisation;
 * HUB_LOGIN_FAILS_MAX failures per account per window -> 429.
 * Must not: reveal whether an account exists (same answer and similar time). */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "hub/api/api.h"
#include "hub/base/htime.h"
#include "hub/base/jsonv.h"
#include "hub/db/db.h"
#include "hub/http/caller.h"
#include "hub/http/http.h"
#include "hub/svc/auth.h"
#include "hub/svc/login.h"

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
	if (rc != HUB_DB_OK) {
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
