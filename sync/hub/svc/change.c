/* change.c — see change.h. */
#include "hub/svc/change.h"

#include "hub/db/db.h"

int hub_chg_next(struct hub_db *db, int64_t *v)
{
	int rc = hub_db_int(db, "UPDATE change_counter SET value = value + 1 WHERE id = 1"
	    " RETURNING value", 0, NULL, v);

	if (rc == 1)
		return HUB_DB_OK;
	return rc < 0 ? rc : HUB_DB_ERROR;
}
