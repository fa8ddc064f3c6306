/* audit.c — appends rows to audit_log (audit.h). Reading them is the
 * dashboard's (dash/dash_audit.c). */
#include "hub/svc/audit.h"

#include "hub/base/htime.h"
#include "hub/db/db.h"

int hub_audit(struct hub_db *db, const struct hub_actor *who, const char *action,
    const char *target, const char *detail)
{
	return hub_audit_rows(db, who, action, target, detail, HUB_AUDIT_NO_ROWS);
}

int hub_audit_rows(struct hub_db *db, const struct hub_actor *who, const char *action,
    const char *target, const char *detail, int64_t rows)
{
	return hub_db_exec(db, "INSERT INTO audit_log (org_id, at_ms, coordinator_id, email, action,"
	    " target, detail, row_count) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", 8,
	    (struct hub_param[]){ HP_S(who->org_id), HP_I(hub_now_ms()), HP_S(who->coordinator_id),
	    HP_S(who->email), HP_S(action), HP_S(target ? target : ""), HP_S(detail ? detail : ""),
	    HP_I(rows < 0 ? HUB_AUDIT_NO_ROWS : rows) }, NULL);
}
