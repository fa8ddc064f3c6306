/* change.h — the per-organisation change counters behind GET /v1/changes
 * (table org_changes). Every write to an organisation's master data takes
 * the next value of that organisation's counter for the row it touches; the
 * counter row stays locked until commit, so values become visible in order
 * and a reader's cursor never skips a row committed late. One organisation's
 * writes never move another's counter (no activity side channel).
 * Must not: be called outside a write transaction. */
#ifndef PRESENTIE_HUB_CHANGE_H
#define PRESENTIE_HUB_CHANGE_H

#include <stdint.h>

struct hub_db;

/* Next counter value of organisation org into *v (the counter row is made,
 * from 0, if the organisation has none yet). Returns HUB_DB_OK or a db
 * error code (the caller's transaction then rolls back). */
int hub_chg_next(struct hub_db *db, const char *org, int64_t *v);

/* The counter's current value of org into *v (0 if it has none). For
 * readers inside their snapshot. Returns HUB_DB_OK or a db error code. */
int hub_chg_current(struct hub_db *db, const char *org, int64_t *v);

#endif
