/* audit.h — the audit trail's writer: one row per bulk read of personal
 * data, per login and per change to people (who, when, what, which record,
 * which fields), for every part of the hub that acts for a coordinator.
 * Must not: record values of personal fields (names, PINs, card numbers):
 * the detail names fields and parameters only. */
#ifndef PRESENTIE_HUB_AUDIT_H
#define PRESENTIE_HUB_AUDIT_H

#include <stdint.h>

#define HUB_AUDIT_NO_ROWS  (-1)   /* row_count of an action that sends no rows */

struct hub_db;

/* Who acted: a coordinator of an organisation. */
struct hub_actor {
	const char *org_id;
	const char *coordinator_id;
	const char *email;
};

/* Append an audit row in its own statement (inside the caller's
 * transaction if one is open). target and detail may be NULL ("").
 * Returns HUB_DB_OK or a db error code (a failure is returned, not hidden). */
int hub_audit(struct hub_db *db, const struct hub_actor *who, const char *action,
    const char *target, const char *detail);
/* hub_audit with the number of rows of personal data sent (a download);
 * rows HUB_AUDIT_NO_ROWS when not applicable. Same returns. */
int hub_audit_rows(struct hub_db *db, const struct hub_actor *who, const char *action,
    const char *target, const char *detail, int64_t rows);

#endif
