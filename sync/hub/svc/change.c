/* change.c — see change.h. */
#include "hub/svc/change.h"

#include "hub/db/db.h"

static const char sql_bump[] =
	"UPDATE org_changes SET value = value + 1 WHERE org_id = $1 RETURNING value";

int hub_chg_next(struct hub_db *db, const char *org, int64_t *v)
{
	int rc = hub_db_int(db, sql_bump, 1, (struct hub_param[]){ HP_S(org) }, v);

	if (rc == 0) {   /* an organisation without its row yet: start it at 0 */
		rc = hub_db_exec(db, "INSERT INTO org_changes (org_id, value) VALUES ($1, 0)"
		    " ON CONFLICT (org_id) DO NOTHING", 1, (struct hub_param[]){ HP_S(org) }, NULL);
		if (rc == HUB_DB_OK)
			rc = hub_db_int(db, sql_bump, 1, (struct hub_param[]){ HP_S(org) }, v);
	}
	if (rc == 1)
		return HUB_DB_OK;
	return rc < 0 ? rc : HUB_DB_ERROR;
}

int hub_chg_current(struct hub_db *db, const char *org, int64_t *v)
{
	int rc = hub_db_int(db, "SELECT value FROM org_changes WHERE org_id = $1", 1,
	    (struct hub_param[]){ HP_S(org) }, v);

	if (rc == 0)
		*v = 0;
	return rc < 0 ? rc : HUB_DB_OK;
}
