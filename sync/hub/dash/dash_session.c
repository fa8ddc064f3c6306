/* dash_session.c — browser sessions of coordinators: POST/GET/DELETE
 * /v1/session (argon2id password check, lockout shared with POST
 * /v1/login), the session cookie (HttpOnly, SameSite=Strict, Secure behind
 * TLS), the CSRF token (SHA-256 of "csrf:" + the cookie value: only a page
 * that can read our answers knows it), and dash_auth for every /v1/dash call.
 * Must not: store or log the cookie value (only its SHA-256), or accept a
 * change by cookie without the CSRF token. */
#include "hub/dash/dash.h"

#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/svc/auth.h"
#include "hub/db/db.h"
#include "hub/base/htime.h"
#include "hub/http/http.h"
#include "hub/base/jsonv.h"
#include "hub/svc/token.h"

#define DASH_PASSWORD_MAX   256
#define DASH_COOKIE_HDR_MAX 256
#define DASH_ORIGIN_MAX     300
#define DASH_SECURE_ENV     "PRESENTIE_HUB_SECURE_COOKIES"

void dash_security_headers(struct hub_resp *rs)
{
	(void)hub_resp_header(rs, "Content-Security-Policy", "default-src 'self'; img-src 'self' data:;"
	    " object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
	(void)hub_resp_header(rs, "Referrer-Policy", "no-referrer");
	(void)hub_resp_header(rs, "X-Frame-Options", "DENY");
}

static void csrf_of(const char *token, char out[HUB_HASH_HEX])
{
	char buf[HUB_TOKEN_STR + 8];
	int n = snprintf(buf, sizeof(buf), "csrf:%s", token);

	hub_hash_hex(buf, n > 0 ? (size_t)n : 0, out);
	sodium_memzero(buf, sizeof(buf));
}

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

static void lower(const char *in, char *out, size_t n)
{
	size_t i;

	for (i = 0; in[i] != '\0' && i + 1 < n; i++) {
		char ch = in[i];

		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		out[i] = ch;
	}
	out[i] = '\0';
}

/* Fill who->email and who->admin for who->id. */
static int load_who(struct hub_db *db, struct dash_who *who)
{
	struct hub_res *r = NULL;
	int rc = hub_db_query(db, "SELECT c.email, CASE WHEN EXISTS (SELECT 1 FROM dash_admins a"
	    " WHERE a.coordinator_id = c.id) OR c.id = (SELECT f.id FROM coordinators f"
	    " WHERE f.org_id = c.org_id ORDER BY f.created_ms, f.id LIMIT 1) THEN 1 ELSE 0 END"
	    " FROM coordinators c WHERE c.id = $1 AND c.org_id = $2", 2,
	    (struct hub_param[]){ HP_S(who->id), HP_S(who->org_id) }, 0, &r);

	if (rc != HUB_DB_OK)
		return rc;
	rc = hub_res_next(r);
	if (rc == 1) {
		snprintf(who->email, sizeof(who->email), "%s", hub_res_text(r, 0));
		who->admin = hub_res_int(r, 1) != 0;
		while ((rc = hub_res_next(r)) == 1)
			;
	} else if (rc == 0) {
		rc = HUB_DB_ERROR;
	}
	hub_res_free(r);
	return rc < 0 ? rc : HUB_DB_OK;
}

/* The cookie's token if well formed, else NULL. */
static const char *cookie_token(struct hub_req *rq)
{
	const char *v = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, DASH_COOKIE);

	return (v != NULL && hub_token_well_formed(v)) ? v : NULL;
}

/* Look up a session by cookie. Returns 1 found, 0 not, < 0 db error. */
static int by_cookie(struct hub_db *db, const char *token, struct dash_who *who)
{
	char hash[HUB_HASH_HEX];
	struct hub_res *r = NULL;
	int rc, found = 0;

	hub_hash_hex(token, strlen(token), hash);
	rc = hub_db_query(db, "SELECT s.coordinator_id, s.org_id, s.token_hash FROM dash_sessions s"
	    " JOIN coordinators c ON c.id = s.coordinator_id AND c.org_id = s.org_id"
	    " WHERE s.token_hash = $1 AND s.expires_ms > $2", 2,
	    (struct hub_param[]){ HP_S(hash), HP_I(hub_now_ms()) }, 0, &r);
	if (rc != HUB_DB_OK)
		return rc;
	while ((rc = hub_res_next(r)) == 1) {
		if (hub_hash_equal(hash, hub_res_text(r, 2))) {
			snprintf(who->id, sizeof(who->id), "%s", hub_res_text(r, 0));
			snprintf(who->org_id, sizeof(who->org_id), "%s", hub_res_text(r, 1));
			found = 1;
		}
	}
	hub_res_free(r);
	if (rc < 0)
		return rc;
	if (found && (rc = load_who(db, who)) != HUB_DB_OK)
		return rc;
	return found;
}

/* Same-origin check: an Origin header, when sent, must be this host. */
static int origin_ok(struct hub_req *rq)
{
	const char *o = hub_req_header(rq, "Origin");
	const char *host = hub_req_header(rq, "Host");
	char a[DASH_ORIGIN_MAX], b[DASH_ORIGIN_MAX];
	int n1, n2;

	if (o == NULL)
		return 1;
	if (host == NULL)
		return 0;
	n1 = snprintf(a, sizeof(a), "http://%s", host);
	n2 = snprintf(b, sizeof(b), "https://%s", host);
	if (n1 < 0 || n2 < 0 || (size_t)n2 >= sizeof(b))
		return 0;
	return strcmp(o, a) == 0 || strcmp(o, b) == 0;
}

static int is_change(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

int dash_auth(struct hub_req *rq, struct hub_resp *rs, struct dash_who *who)
{
	struct hub_db *db;
	const char *tok;
	char want[HUB_HASH_HEX];
	const char *got;
	int rc;

	memset(who, 0, sizeof(*who));
	if (hub_req_header(rq, "Authorization") != NULL) {
		struct hub_coord co;

		if (hub_auth_coord(rq, rs, &co) != 0)
			return -1;
		snprintf(who->id, sizeof(who->id), "%s", co.id);
		snprintf(who->org_id, sizeof(who->org_id), "%s", co.org_id);
		rc = load_who(hub_req_db(rq), who);
		if (rc != HUB_DB_OK) {
			hub_resp_dberr(rs, rc);
			return -1;
		}
		return 0;
	}
	tok = cookie_token(rq);
	if (tok == NULL) {
		hub_resp_error(rs, 401, "unauthorized", "log in first (POST /v1/session)");
		return -1;
	}
	db = hub_req_db(rq);
	if (db == NULL) {
		hub_resp_dberr(rs, HUB_DB_UNAVAILABLE);
		return -1;
	}
	rc = by_cookie(db, tok, who);
	if (rc < 0) {
		rq->db_broken = rc == HUB_DB_UNAVAILABLE;
		hub_resp_dberr(rs, rc);
		return -1;
	}
	if (rc == 0) {
		hub_resp_error(rs, 401, "unauthorized", "the session has expired; log in again");
		return -1;
	}
	who->cookie = 1;
	if (is_change(rq->method)) {
		csrf_of(tok, want);
		got = hub_req_header(rq, "X-CSRF-Token");
		if (got == NULL || strlen(got) != HUB_HASH_HEX - 1 || !hub_hash_equal(want, got) ||
		    !origin_ok(rq)) {
			hub_resp_error(rs, 403, "forbidden", "CSRF token missing or wrong");
			return -1;
		}
	}
	return 0;
}

static void session_body(struct hub_resp *rs, const struct dash_who *who, const char *token,
    int64_t expires, const char *orgname)
{
	char csrf[HUB_HASH_HEX], iso[HUB_ISO_MAX];

	csrf_of(token, csrf);
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
	char err[HUB_ERRMSG_MAX], email[DASH_EMAIL_MAX], key[HUB_RATE_KEY_MAX];
	char hash[crypto_pwhash_STRBYTES] = "", token[HUB_TOKEN_STR], thash[HUB_HASH_HEX];
	char name[PR_NAME_MAX];
	struct dash_who who;
	const char *e, *pw;
	struct hub_res *r = NULL;
	json_t *j;
	int rc, retry = 0, ok;
	int64_t now = hub_now_ms();

	memset(&who, 0, sizeof(who));
	j = hub_jv_parse(rq->body, rq->body_len, err, sizeof(err));
	if (j == NULL || hub_jv_str(j, "", "email", 1, DASH_EMAIL_MAX, &e, err, sizeof(err)) != 0 ||
	    hub_jv_str(j, "", "password", 1, DASH_PASSWORD_MAX, &pw, err, sizeof(err)) != 0) {
		hub_resp_error(rs, 400, "bad_request", "%s", err);
		goto out;
	}
	lower(e, email, sizeof(email));
	snprintf(key, sizeof(key), "login:%.*s", (int)(sizeof(key) - 8), email);
	rc = hub_rate_peek(db, key, rq->ctx->login_fail_max, &retry);
	if (rc == 1) {
		hub_resp_error(rs, 429, "rate_limited", "too many failed logins; try again later");
		rs->retry_after = retry;
		goto out;
	}
	if (rc == HUB_DB_OK)
		rc = hub_db_query(db, "SELECT id, org_id, pwhash FROM coordinators WHERE email = $1", 1,
		    (struct hub_param[]){ HP_S(email) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		snprintf(who.id, sizeof(who.id), "%s", hub_res_text(r, 0));
		snprintf(who.org_id, sizeof(who.org_id), "%s", hub_res_text(r, 1));
		snprintf(hash, sizeof(hash), "%s", hub_res_text(r, 2));
	}
	hub_res_free(r);
	if (rc < 0) {
		hub_resp_dberr(rs, rc);
		goto out;
	}
	ok = hub_auth_password_ok(hash, pw);
	if (!ok) {
		rc = hub_rate_hit(db, key, rq->ctx->login_window_ms, rq->ctx->login_fail_max, &retry);
		if (rc < 0)
			hub_resp_dberr(rs, rc);
		else if (rc == 1) {
			hub_resp_error(rs, 429, "rate_limited", "too many failed logins; try again later");
			rs->retry_after = retry;
		} else
			hub_resp_error(rs, 401, "unauthorized", "e-mail address or password wrong");
		goto out;
	}
	(void)hub_rate_reset(db, key);
	if (hub_token_new(token) != 0) {
		hub_resp_error(rs, 500, "internal", "no randomness");
		goto out;
	}
	hub_hash_hex(token, strlen(token), thash);
	rc = hub_db_exec(db, "INSERT INTO dash_sessions (token_hash, csrf_hash, coordinator_id, org_id,"
	    " expires_ms) VALUES ($1, '', $2, $3, $4)", 4, (struct hub_param[]){ HP_S(thash),
	    HP_S(who.id), HP_S(who.org_id), HP_I(now + DASH_SESSION_TTL_MS) }, NULL);
	if (rc == HUB_DB_OK)
		rc = load_who(db, &who);
	if (rc == HUB_DB_OK)
		rc = org_name(db, who.org_id, name, sizeof(name));
	if (rc == HUB_DB_OK)
		rc = dash_audit(db, &who, "login", who.email, "");
	if (rc != HUB_DB_OK) {
		hub_resp_dberr(rs, rc);
		goto out;
	}
	(void)hub_db_exec(db, "DELETE FROM dash_sessions WHERE expires_ms < $1", 1,
	    (struct hub_param[]){ HP_I(now) }, NULL);
	set_cookie(rq, rs, token, DASH_SESSION_TTL_MS / 1000);
	session_body(rs, &who, token, now + DASH_SESSION_TTL_MS, name);
out:
	sodium_memzero(token, sizeof(token));
	json_decref(j);
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
	tok = cookie_token(rq);
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
