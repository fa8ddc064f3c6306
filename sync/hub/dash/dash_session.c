/* dash_session.c — browser sessions of coordinators: POST/GET/DELETE
 * /v1/session (the login of svc/login.c, lockout shared with POST
 * /v1/login; login and logout audited) and the session cookie (HttpOnly, SameSite=Strict, Secure
 * behind TLS). Checking a session on each call is dash_auth.c's.
 * Must not: store or log the cookie value (only its SHA-256), or accept a
 * change by cookie without the CSRF token. */
#include "hub/dash/dash.h"

#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/base/htime.h"
#include "hub/base/jsonv.h"
#include "hub/db/db.h"
#include "hub/http/caller.h"
#include "hub/http/http.h"
#include "hub/svc/auth.h"
#include "hub/svc/token.h"

#define DASH_COOKIE_HDR_MAX 256
#define DASH_SECURE_ENV     "PRESENTIE_HUB_SECURE_COOKIES"

static int secure_request(struct hub_req *rq)
{
	const char *p = hub_req_header(rq, "X-Forwarded-Proto");
	const char *env = getenv(DASH_SECURE_ENV);

	return (p != NULL && strcmp(p, "https") == 0) || (env != NULL && strcmp(env, "1") == 0);
}

static void set_cookie(struct hub_req *rq, struct hub_resp *rs, const char *token, int64_t max_age_s)
{
	char v[DASH_COOKIE_HDR_MAX];
	int n = snprintf(v, sizeof(v), "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s",
	    DASH_COOKIE, token, (long long)max_age_s, secure_request(rq) ? "; Secure" : "");

	if (n > 0 && (size_t)n < sizeof(v))
		(void)hub_resp_header(rs, "Set-Cookie", v);
	sodium_memzero(v, sizeof(v));
}

static void session_body(struct hub_resp *rs, const struct dash_who *who, const char *token,
    int64_t expires, const char *orgname)
{
	char csrf[HUB_HASH_HEX], iso[HUB_ISO_MAX];

	dash_csrf_of(token, csrf);
	hub_iso_ms(expires, iso);
	dash_json(rs, 200, json_pack("{s:s,s:s,s:{s:s,s:s,s:b},s:{s:s,s:s}}", "csrf", csrf,
	    "expires", iso, "coordinator", "id", who->id, "email", who->email, "admin", who->admin,
	    "organisation", "id", who->org_id, "name", orgname));
}

static int org_name(struct hub_db *db, const char *org, char *out, size_t n)
{
	struct hub_res *r = NULL;
	int rc = hub_db_query(db, "SELECT name FROM organisations WHERE id = $1", 1,
	    (struct hub_param[]){ HP_S(org) }, 0, &r);

	out[0] = '\0';
	if (rc != HUB_DB_OK)
		return rc;
	while ((rc = hub_res_next(r)) == 1)
		snprintf(out, n, "%s", hub_res_text(r, 0));
	hub_res_free(r);
	return rc;
}

static void login(struct hub_req *rq, struct hub_resp *rs, struct hub_db *db)
{
	char token[HUB_TOKEN_STR] = "", thash[HUB_HASH_HEX];
	struct dash_who who;
	struct hub_login lg;
	int rc;
	int64_t now = hub_now_ms();

	memset(&who, 0, sizeof(who));
	if (hub_req_login(rq, rs, db, &lg, token, thash) != 0)
		goto out;
	snprintf(who.id, sizeof(who.id), "%s", lg.coordinator_id);
	snprintf(who.org_id, sizeof(who.org_id), "%s", lg.org_id);
	rc = hub_db_exec(db, "INSERT INTO dash_sessions (token_hash, csrf_hash, coordinator_id, org_id,"
	    " expires_ms) VALUES ($1, '', $2, $3, $4)", 4, (struct hub_param[]){ HP_S(thash),
	    HP_S(who.id), HP_S(who.org_id), HP_I(now + DASH_SESSION_TTL_MS) }, NULL);
	if (rc == HUB_DB_OK)
		rc = dash_who_load(db, &who);
	if (rc == HUB_DB_OK)
		rc = dash_audit(db, &who, "login", who.email, "session");
	if (rc != HUB_DB_OK) {
		hub_resp_dberr(rs, rc);
		goto out;
	}
	(void)hub_db_exec(db, "DELETE FROM dash_sessions WHERE expires_ms < $1", 1,
	    (struct hub_param[]){ HP_I(now) }, NULL);
	set_cookie(rq, rs, token, DASH_SESSION_TTL_MS / 1000);
	session_body(rs, &who, token, now + DASH_SESSION_TTL_MS, lg.org_name);
out:
	sodium_memzero(token, sizeof(token));
}

void dash_session_api(struct hub_req *rq, struct hub_resp *rs)
{
	struct hub_db *db = hub_req_db(rq);
	struct dash_who who;
	const char *tok;
	char name[PR_NAME_MAX], hash[HUB_HASH_HEX];
	int rc;

	if (db == NULL) {
		hub_resp_dberr(rs, HUB_DB_UNAVAILABLE);
		return;
	}
	if (strcmp(rq->method, "POST") == 0) {
		login(rq, rs, db);
		return;
	}
	if (strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "DELETE") != 0) {
		hub_resp_error(rs, 405, "method_not_allowed", "%s is not allowed here", rq->method);
		return;
	}
	tok = dash_cookie_token(rq);
	if (tok == NULL || hub_req_header(rq, "Authorization") != NULL) {
		hub_resp_error(rs, 401, "unauthorized", "no session");
		return;
	}
	if (dash_auth(rq, rs, &who) != 0)
		return;
	if (strcmp(rq->method, "DELETE") == 0) {
		hub_hash_hex(tok, strlen(tok), hash);
		rc = hub_db_exec(db, "DELETE FROM dash_sessions WHERE token_hash = $1", 1,
		    (struct hub_param[]){ HP_S(hash) }, NULL);
		if (rc == HUB_DB_OK)
			rc = dash_audit(db, &who, "logout", who.email, "session");
		if (rc != HUB_DB_OK) {
			hub_resp_dberr(rs, rc);
			return;
		}
		set_cookie(rq, rs, "", 0);
		rs->status = 204;
		rs->body = strdup("");
		rs->len = 0;
		return;
	}
	rc = org_name(db, who.org_id, name, sizeof(name));
	if (rc != HUB_DB_OK) {
		hub_resp_dberr(rs, rc);
		return;
	}
	{
		int64_t exp = 0;

		hub_hash_hex(tok, strlen(tok), hash);
		(void)hub_db_int(db, "SELECT expires_ms FROM dash_sessions WHERE token_hash = $1", 1,
		    (struct hub_param[]){ HP_S(hash) }, &exp);
		session_body(rs, &who, tok, exp, name);
	}
}
