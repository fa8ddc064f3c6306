/* dash_coordinators.c — POST /v1/dash/coordinators/{id}/revoke: end every
 * bearer token and dashboard session of a coordinator of the caller's
 * organisation (svc/logout.c, audited "logout.all" by the caller), for
 * the coordinator themself or an admin of the organisation.
 * Must not: reach a coordinator of another organisation (404). */
#include "hub/dash/dash.h"

#include <string.h>

#include "hub/db/db.h"
#include "hub/http/http.h"
#include "hub/svc/logout.h"

void dash_coordinators(struct dash_call *c)
{
	struct hub_actor by = { c->who.org_id, c->who.id, c->who.email };
	const char *id = c->seg[1];
	int64_t tokens = 0, sessions = 0, n = 0;
	int rc;

	if (dash_expect(c, "POST", 3) != 0)
		return;
	if (strcmp(c->seg[2], "revoke") != 0 || !dash_id_ok(id)) {
		hub_resp_error(c->rs, 404, "not_found", "no such endpoint");
		return;
	}
	if (strcmp(id, c->who.id) != 0 && !c->who.admin) {
		hub_resp_error(c->rs, 403, "forbidden", "only an admin ends another coordinator's logins");
		return;
	}
	rc = hub_db_int(c->db, "SELECT COUNT(*) FROM coordinators WHERE id = $1 AND org_id = $2", 2,
	    (struct hub_param[]){ HP_S(id), HP_S(c->who.org_id) }, &n);
	if (rc >= 0 && n == 0) {
		hub_resp_error(c->rs, 404, "not_found", "no such coordinator");
		return;
	}
	if (rc >= 0)
		rc = hub_logout_all(c->db, id, c->who.org_id, &by, &tokens, &sessions);
	if (rc < 0) {
		hub_resp_dberr(c->rs, rc);
		return;
	}
	dash_json(c->rs, 200, json_pack("{s:I,s:I}", "tokens", (json_int_t)tokens,
	    "sessions", (json_int_t)sessions));
}
