/* api_login.c — POST /v1/login: coordinator e-mail + password (argon2id,
 * libsodium) for a bearer token scoped to the coordinator's organisation;
 * HUB_LOGIN_FAILS_MAX failures per account per window -> 429.
 * Must not: reveal whether an account exists (same answer and similar time). */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "hub/api/api.h"
#include "hub/svc/auth.h"
#include "hub/db/db.h"
#include "hub/base/htime.h"
#include "hub/http/http.h"
#include "hub/base/jsonv.h"
#include "hub/svc/token.h"

#define HUB_EMAIL_MAX     255
#define HUB_PASSWORD_MAX  256

/* Lower-case ASCII copy of an e-mail address. */
static void lower(const char *in, char *out, size_t n)
{
	size_t i;

	for (i = 0; in[i] && i + 1 < n; i++)
		out[i] = (char)((in[i] >= 'A' && in[i] <= 'Z') ? in[i] - 'A' + 'a' : in[i]);
	out[i] = '\0';
}

void hub_api_login(struct hub_req *rq, struct hub_resp *rs)
{
	char err[HUB_ERRMSG_MAX], email[HUB_EMAIL_MAX], key[HUB_RATE_KEY_MAX];
	char hash[crypto_pwhash_STRBYTES] = "", coord[PR_ID_MAX] = "", org[PR_ID_MAX] = "";
	char orgname[PR_NAME_MAX] = "", token[HUB_TOKEN_STR], thash[HUB_HASH_HEX];
	const char *e, *pw;
	struct hub_db *db = hub_req_db(rq);
	struct hub_res *r = NULL;
	json_t *j = NULL;
	int rc, retry = 0, ok;
	int64_t now = hub_now_ms();

	if (db == NULL) {
		hub_resp_dberr(rs, HUB_DB_UNAVAILABLE);
		return;
	}
	j = hub_jv_parse(rq->body, rq->body_len, err, sizeof(err));
	if (j == NULL || hub_jv_str(j, "", "email", 1, HUB_EMAIL_MAX, &e, err, sizeof(err)) != 0 ||
	    hub_jv_str(j, "", "password", 1, HUB_PASSWORD_MAX, &pw, err, sizeof(err)) != 0) {
		hub_resp_error(rs, 400, "bad_request", "%s", err);
		goto out;
	}
	lower(e, email, sizeof(email));
	if (snprintf(key, sizeof(key), "login:%s", email) >= (int)sizeof(key)) {
		hub_resp_error(rs, 400, "bad_request", "email: too long");
		goto out;
	}
	rc = hub_rate_peek(db, key, rq->ctx->login_fail_max, &retry);
	if (rc < 0) {
		hub_resp_dberr(rs, rc);
		goto out;
	}
	if (rc == 1) {
		hub_resp_error(rs, 429, "rate_limited", "too many failed logins; try again later");
		rs->retry_after = retry;
		goto out;
	}
	rc = hub_db_query(db, "SELECT c.id, c.org_id, c.pwhash, o.name FROM coordinators c"
	    " JOIN organisations o ON o.id = c.org_id WHERE c.email = $1", 1,
	    (struct hub_param[]){ HP_S(email) }, 0, &r);
	if (rc == HUB_DB_OK && (rc = hub_res_next(r)) == 1) {
		snprintf(coord, sizeof(coord), "%s", hub_res_text(r, 0));
		snprintf(org, sizeof(org), "%s", hub_res_text(r, 1));
		snprintf(hash, sizeof(hash), "%s", hub_res_text(r, 2));
		snprintf(orgname, sizeof(orgname), "%s", hub_res_text(r, 3));
		while ((rc = hub_res_next(r)) == 1)
			;
	}
	hub_res_free(r);
	if (rc < 0) {
		hub_resp_dberr(rs, rc);
		goto out;
	}
	ok = hub_auth_password_ok(hash, pw);
	if (!ok) {
		rc = hub_rate_hit(db, key, rq->ctx->login_window_ms, rq->ctx->login_fail_max, &retry);
		if (rc < 0) {
			hub_resp_dberr(rs, rc);
			goto out;
		}
		hub_resp_error(rs, 401, "unauthorized", "e-mail address or password wrong");
		goto out;
	}
	(void)hub_rate_reset(db, key);
	if (hub_token_new(token) != 0) {
		hub_resp_error(rs, 500, "internal", "no randomness");
		goto out;
	}
	hub_hash_hex(token, strlen(token), thash);
	rc = hub_db_exec(db, "INSERT INTO coord_tokens (token_hash, coordinator_id, org_id, expires_ms)"
	    " VALUES ($1, $2, $3, $4)", 4, (struct hub_param[]){ HP_S(thash), HP_S(coord),
	    HP_S(org), HP_I(now + HUB_COORD_TOKEN_TTL_MS) }, NULL);
	if (rc != HUB_DB_OK) {
		hub_resp_dberr(rs, rc);
		goto out;
	}
	(void)hub_db_exec(db, "DELETE FROM coord_tokens WHERE expires_ms < $1", 1,
	    (struct hub_param[]){ HP_I(now) }, NULL);
	{
		char iso[HUB_ISO_MAX];

		hub_iso_ms(now + HUB_COORD_TOKEN_TTL_MS, iso);
		hub_resp_json(rs, 200, json_pack("{s:s,s:s,s:{s:s,s:s}}", "token", token,
		    "expires", iso, "organisation", "id", org, "name", orgname));
	}
	sodium_memzero(token, sizeof(token));
out:
	json_decref(j);
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
