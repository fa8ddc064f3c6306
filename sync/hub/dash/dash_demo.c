/* dash_demo.c — what `presentie-hub demo` adds for the dashboard: the demo
 * coordinator demo@presentie.test / presentie-demo (an admin of the demo
 * organisation; DEMO ONLY, the password is public), the default roles and
 * volunteer slots on the demo's group sessions (catering x2, rolmodel x5).
 * Must not: run against a real organisation (it only touches org_id). */
#include "hub/dash/dash.h"

#include <stdio.h>

#include "hub/db/db.h"
#include "hub/svc/admin.h"

int dash_demo_seed(struct hub_db *db, const char *org_id, char *err, size_t errlen)
{
	char id[PR_ID_MAX] = "", why[256];
	struct hub_res *r = NULL;
	int rc;

	rc = hub_db_query(db, "SELECT id FROM coordinators WHERE email = $1 AND org_id = $2", 2,
	    (struct hub_param[]){ HP_S(DASH_DEMO_EMAIL), HP_S(org_id) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1)
		snprintf(id, sizeof(id), "%s", hub_res_text(r, 0));
	hub_res_free(r);
	if (rc < 0)
		goto dberr;
	if (id[0] == '\0' && hub_admin_coordinator_create(db, org_id, DASH_DEMO_EMAIL,
	    DASH_DEMO_PASSWORD, id, why, sizeof(why)) != 0) {
		snprintf(err, errlen, "demo coordinator: %s", why);
		return -1;
	}
	rc = hub_db_begin(db, 1);
	if (rc == HUB_DB_OK)
		rc = hub_db_exec(db, "INSERT INTO dash_admins (coordinator_id) VALUES ($1)"
		    " ON CONFLICT (coordinator_id) DO NOTHING", 1, (struct hub_param[]){ HP_S(id) }, NULL);
	if (rc == HUB_DB_OK)
		rc = dash_roles_seed(db, org_id);
	if (rc == HUB_DB_OK)
		rc = hub_db_exec(db, "INSERT INTO session_slots (org_id, session_id, role, slots)"
		    " SELECT s.org_id, s.id, r.role, r.default_slots FROM sessions s JOIN roles r"
		    " ON r.org_id = s.org_id AND r.default_slots > 0 WHERE s.org_id = $1 AND s.kind = 'group'"
		    " ON CONFLICT (org_id, session_id, role) DO NOTHING", 1,
		    (struct hub_param[]){ HP_S(org_id) }, NULL);
	/* Roles assigned by the import but without slots get as many as assigned. */
	if (rc == HUB_DB_OK)
		rc = hub_db_exec(db, "INSERT INTO session_slots (org_id, session_id, role, slots)"
		    " SELECT org_id, session_id, role, COUNT(*) FROM assignments WHERE org_id = $1"
		    " AND active = 1 GROUP BY org_id, session_id, role"
		    " ON CONFLICT (org_id, session_id, role) DO NOTHING", 1,
		    (struct hub_param[]){ HP_S(org_id) }, NULL);
	if (rc == HUB_DB_OK)
		rc = hub_db_commit(db);
	if (rc != HUB_DB_OK)
		goto dberr;
	return 0;
dberr:
	snprintf(err, errlen, "dashboard demo data: %s", hub_db_errmsg(db));
	hub_db_rollback(db);
	return -1;
}
