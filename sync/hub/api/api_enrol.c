/* api_enrol.c — POST /v1/enrol: a single-use, expiring enrolment code for
 * the device's bearer token (shown once, stored hashed), organisation key
 * and location; rate-limited per client address in the db. "name" renames
 * the device; "hostname" names it only if it has no name yet.
 * Must not: tell apart unknown, used and expired codes (one 401 for all). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "hub/api/api.h"
#include "hub/base/htime.h"
#include "hub/base/jsonv.h"
#include "hub/db/db.h"
#include "hub/http/http.h"
#include "hub/svc/auth.h"
#include "hub/svc/ratelimit.h"
#include "hub/svc/token.h"

struct enrolled {
	char device_id[PR_ID_MAX];
	json_t *answer;
};

/* One attempt; 0 ok (answer set), 1 code refused, < 0 db error. name (or
 * NULL) replaces the device's name, host (or NULL) fills an empty one. */
static int enrol_tx(struct hub_db *db, const char *code_hash, const char *name,
    const char *host, const char *token_hash, const char *token, struct enrolled *out)
{
	struct hub_res *r = NULL;
	int64_t now = hub_now_ms(), changes = 0;
	char iso[HUB_ISO_MAX];
	int rc;

	rc = hub_db_begin(db, 1);
	if (rc != HUB_DB_OK)
		return rc;
	rc = hub_db_query(db, "UPDATE enrol_codes SET used_ms = $1 WHERE code_hash = $2"
	    " AND used_ms IS NULL AND expires_ms > $1 RETURNING device_id", 2,
	    (struct hub_param[]){ HP_I(now), HP_S(code_hash) }, 0, &r);
	if (rc != HUB_DB_OK)
		return rc;
	out->device_id[0] = '\0';
	if ((rc = hub_res_next(r)) == 1) {
		snprintf(out->device_id, sizeof(out->device_id), "%s", hub_res_text(r, 0));
		while ((rc = hub_res_next(r)) == 1)
			;
	}
	hub_res_free(r);
	if (rc < 0)
		return rc;
	if (out->device_id[0] == '\0')
		return 1;
	rc = hub_db_exec(db, "UPDATE devices SET token_hash = $1, status = 'active',"
	    " name = COALESCE($2, CASE WHEN COALESCE(name, '') = '' THEN $5 END, name),"
	    " last_seen_ms = $3 WHERE id = $4 AND status = 'pending'", 5,
	    (struct hub_param[]){ HP_S(token_hash), HP_S(name), HP_I(now), HP_S(out->device_id),
	    HP_S(host) }, &changes);
	if (rc != HUB_DB_OK)
		return rc;
	if (changes != 1)
		return 1;   /* revoked before it was enrolled */
	rc = hub_db_query(db, "SELECT o.id, o.name, o.org_key, l.id, l.name, l.timezone"
	    " FROM devices d JOIN organisations o ON o.id = d.org_id"
	    " JOIN locations l ON l.id = d.location_id WHERE d.id = $1", 1,
	    (struct hub_param[]){ HP_S(out->device_id) }, 0, &r);
	if (rc != HUB_DB_OK)
		return rc;
	if ((rc = hub_res_next(r)) == 1) {
		hub_iso_ms(now, iso);
		out->answer = json_pack("{s:s,s:s,s:{s:s,s:s},s:{s:s,s:s,s:s},s:s,s:s}",
		    "device_id", out->device_id, "token", token,
		    "organisation", "id", hub_res_text(r, 0), "name", hub_res_text(r, 1),
		    "location", "id", hub_res_text(r, 3), "name", hub_res_text(r, 4),
		    "timezone", hub_res_text(r, 5),
		    "org_key", hub_res_text(r, 2), "server_time", iso);
		while ((rc = hub_res_next(r)) == 1)
			;
	}
	hub_res_free(r);
	if (rc < 0)
		return rc;
	if (out->answer == NULL)
		return HUB_DB_ERROR;
	rc = hub_db_commit(db);
	if (rc != HUB_DB_OK) {
		json_decref(out->answer);
		out->answer = NULL;
	}
	return rc;
}

void hub_api_enrol(struct hub_req *rq, struct hub_resp *rs)
{
	char err[HUB_ERRMSG_MAX], key[HUB_RATE_KEY_MAX], norm[HUB_CODE_CHARS + 1];
	char code_hash[HUB_HASH_HEX], token[HUB_TOKEN_STR], token_hash[HUB_HASH_HEX];
	struct enrolled out = { 0 };
	struct hub_db *db = hub_req_db(rq);
	const char *code, *name, *host, *agent;
	json_t *j = NULL;
	int rc, retry = 0;

	if (db == NULL) {
		hub_resp_dberr(rs, HUB_DB_UNAVAILABLE);
		return;
	}
	snprintf(key, sizeof(key), "enrol:%s", rq->ip);
	rc = hub_rate_hit(db, key, 60000, rq->ctx->enrol_per_min, &retry);
	if (rc < 0) {
		hub_resp_dberr(rs, rc);
		return;
	}
	if (rc == 1) {
		hub_resp_error(rs, 429, "rate_limited", "too many enrolment attempts; try again later");
		rs->retry_after = retry;
		return;
	}
	j = hub_jv_parse(rq->body, rq->body_len, err, sizeof(err));
	if (j == NULL || hub_jv_str(j, "", "code", 1, 64, &code, err, sizeof(err)) != 0 ||
	    hub_jv_str(j, "", "name", 0, PR_NAME_MAX, &name, err, sizeof(err)) != 0 ||
	    hub_jv_str(j, "", "hostname", 0, PR_NAME_MAX, &host, err, sizeof(err)) != 0 ||
	    hub_jv_str(j, "", "agent", 0, PR_NAME_MAX, &agent, err, sizeof(err)) != 0) {
		hub_resp_error(rs, 400, "bad_request", "%s", err);
		goto out;
	}
	if (hub_code_normalise(code, norm) != 0) {
		hub_resp_error(rs, 401, "unauthorized", "enrolment code unknown, used or expired");
		goto out;
	}
	hub_hash_hex(norm, strlen(norm), code_hash);
	if (hub_token_new(token) != 0) {
		hub_resp_error(rs, 500, "internal", "no randomness");
		goto out;
	}
	hub_hash_hex(token, strlen(token), token_hash);
	for (int tries = 0; tries < HUB_DB_RETRIES; tries++) {
		rc = enrol_tx(db, code_hash, name, host, token_hash, token, &out);
		if (rc != HUB_DB_RETRY)
			break;
		hub_db_rollback(db);
	}
	hub_db_rollback(db);
	if (rc == 1)
		hub_resp_error(rs, 401, "unauthorized", "enrolment code unknown, used or expired");
	else if (rc != HUB_DB_OK)
		hub_resp_dberr(rs, rc);
	else
		hub_resp_json(rs, 200, out.answer);
out:
	json_decref(j);
}
