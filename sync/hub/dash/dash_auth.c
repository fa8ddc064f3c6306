/* dash_auth.c — who is calling /v1/dash: a coordinator by bearer token or
 * by the session cookie, whose changes must carry the CSRF token (SHA-256
 * of "csrf:" + the cookie value: only a page that can read our answers
 * knows it) and a same-origin Origin.
 * Must not: store or log the cookie value (only its SHA-256), or accept a
 * change by cookie without the CSRF token. */
#include "hub/dash/dash.h"

#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "hub/base/htime.h"
#include "hub/db/db.h"
#include "hub/http/caller.h"
#include "hub/http/http.h"
#include "hub/svc/auth.h"
#include "hub/svc/token.h"

#define DASH_ORIGIN_MAX     300

void dash_csrf_of(const char *token, char out[HUB_HASH_HEX])
{
	char buf[HUB_TOKEN_STR + 8];
	int n = snprintf(buf, sizeof(buf), "csrf:%s", token);

	hub_hash_hex(buf, n > 0 ? (size_t)n : 0, out);
	sodium_memzero(buf, sizeof(buf));
}

/* Fill who->email and who->admin for who->id. */
int dash_who_load(struct hub_db *db, struct dash_who *who)
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
const char *dash_cookie_token(struct hub_req *rq)
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
	if (found && (rc = dash_who_load(db, who)) != HUB_DB_OK)
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

		if (hub_req_coord(rq, rs, &co) != 0)
			return -1;
		snprintf(who->id, sizeof(who->id), "%s", co.id);
		snprintf(who->org_id, sizeof(who->org_id), "%s", co.org_id);
		rc = dash_who_load(hub_req_db(rq), who);
		if (rc != HUB_DB_OK) {
			hub_resp_dberr(rs, rc);
			return -1;
		}
		return 0;
	}
	tok = dash_cookie_token(rq);
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
		dash_csrf_of(tok, want);
		got = hub_req_header(rq, "X-CSRF-Token");
		if (got == NULL || strlen(got) != HUB_HASH_HEX - 1 || !hub_hash_equal(want, got) ||
		    !origin_ok(rq)) {
			hub_resp_error(rs, 403, "forbidden", "CSRF token missing or wrong");
			return -1;
		}
	}
	return 0;
}
