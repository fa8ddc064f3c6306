/* dash_ical.c — the "Agenda-link" of a person or a programme:
 * GET /v1/dash/ical/KIND/ID (is there a live link), POST (issue a new one;
 * the old stops working; the answer is the only place the token is ever
 * shown), DELETE (revoke). KIND is "person" or "programme". The feed itself
 * is api/api_ical.c.
 * Must not: store or log a token in the clear, or touch another
 * organisation's links (every statement binds the caller's org). */
#include "hub/dash/dash.h"

#include <stdio.h>
#include <string.h>

#include "hub/base/htime.h"
#include "hub/db/db.h"
#include "hub/http/http.h"
#include "hub/svc/token.h"

#define DASH_ICAL_PATH_MAX (sizeof("/v1/ical/.ics") + HUB_TOKEN_STR)

/* The table behind kind, or NULL if kind is not one. */
static const char *table_of(const char *kind)
{
	if (strcmp(kind, "person") == 0)
		return "people";
	if (strcmp(kind, "programme") == 0)
		return "programmes";
	return NULL;
}

static void state(struct dash_call *c, const char *kind, const char *id)
{
	struct hub_res *r = NULL;
	json_t *created = json_null();
	int rc;

	rc = hub_db_query(c->db, "SELECT created_ms FROM ical_feeds WHERE org_id = $1 AND kind = $2"
	    " AND target_id = $3", 3, (struct hub_param[]){ HP_S(c->who.org_id), HP_S(kind), HP_S(id) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		json_decref(created);
		created = dash_iso(hub_res_int(r, 0));
	}
	hub_res_free(r);
	if (rc < 0) {
		json_decref(created);
		dash_fail(c, rc);
		return;
	}
	dash_json(c->rs, 200, json_pack("{s:b,s:o}", "active", !json_is_null(created), "created", created));
}

static void issue(struct dash_call *c, const char *kind, const char *id)
{
	char tok[HUB_TOKEN_STR], hash[HUB_HASH_HEX], path[DASH_ICAL_PATH_MAX];
	int rc;

	if (hub_token_new(tok) != 0) {
		hub_resp_error(c->rs, 500, "internal", "no random token");
		return;
	}
	hub_hash_hex(tok, strlen(tok), hash);
	rc = hub_db_begin(c->db, 1);
	if (rc == HUB_DB_OK)
		rc = hub_db_exec(c->db, "DELETE FROM ical_feeds WHERE org_id = $1 AND kind = $2 AND target_id = $3",
		    3, (struct hub_param[]){ HP_S(c->who.org_id), HP_S(kind), HP_S(id) }, NULL);
	if (rc == HUB_DB_OK)
		rc = hub_db_exec(c->db, "INSERT INTO ical_feeds (token_hash, org_id, kind, target_id, created_ms,"
		    " coordinator_id) VALUES ($1, $2, $3, $4, $5, $6)", 6, (struct hub_param[]){ HP_S(hash),
		    HP_S(c->who.org_id), HP_S(kind), HP_S(id), HP_I(hub_now_ms()), HP_S(c->who.id) }, NULL);
	if (rc == HUB_DB_OK)
		rc = dash_audit(c->db, &c->who, "ical.issue", id, kind);
	if (rc == HUB_DB_OK)
		rc = hub_db_commit(c->db);
	if (rc != HUB_DB_OK) {
		dash_fail(c, rc);
		return;
	}
	snprintf(path, sizeof(path), "/v1/ical/%s.ics", tok);
	dash_json(c->rs, 201, json_pack("{s:s,s:b}", "path", path, "active", 1));
}

static void revoke(struct dash_call *c, const char *kind, const char *id)
{
	int64_t n = 0;
	int rc = hub_db_begin(c->db, 1);

	if (rc == HUB_DB_OK)
		rc = hub_db_exec(c->db, "DELETE FROM ical_feeds WHERE org_id = $1 AND kind = $2 AND target_id = $3",
		    3, (struct hub_param[]){ HP_S(c->who.org_id), HP_S(kind), HP_S(id) }, &n);
	if (rc == HUB_DB_OK && n > 0)
		rc = dash_audit(c->db, &c->who, "ical.revoke", id, kind);
	if (rc == HUB_DB_OK)
		rc = hub_db_commit(c->db);
	if (rc != HUB_DB_OK) {
		dash_fail(c, rc);
		return;
	}
	if (n == 0)
		hub_resp_error(c->rs, 404, "not_found", "no agenda link to revoke");
	else
		dash_added_or_removed(c, 0, NULL);
}

void dash_ical(struct dash_call *c)
{
	const char *m = c->rq->method, *table = c->nseg == 3 ? table_of(c->seg[1]) : NULL;
	int rc;

	if (table == NULL) {
		hub_resp_error(c->rs, 404, "not_found", "no such endpoint");
		return;
	}
	rc = dash_exists(c, table, c->seg[2]);
	if (rc < 0) {
		dash_fail(c, rc);
		return;
	}
	if (rc == 0) {
		hub_resp_error(c->rs, 404, "not_found", "no such %s", c->seg[1]);
		return;
	}
	if (strcmp(m, "GET") == 0)
		state(c, c->seg[1], c->seg[2]);
	else if (strcmp(m, "POST") == 0)
		issue(c, c->seg[1], c->seg[2]);
	else if (strcmp(m, "DELETE") == 0)
		revoke(c, c->seg[1], c->seg[2]);
	else
		hub_resp_error(c->rs, 405, "method_not_allowed", "GET, POST or DELETE");
}
