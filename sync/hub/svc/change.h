/* change.h — the global change counter behind GET /v1/changes. Every write
 * to master data takes the next value for the row it touches; the counter
 * row stays locked until commit, so values become visible in order and a
 * reader's cursor never skips a row committed late.
 * Must not: be called outside a write transaction. */
#ifndef PRESENTIE_HUB_CHANGE_H
#define PRESENTIE_HUB_CHANGE_H

#include <stdint.h>

struct hub_db;

/* Next counter value into *v. Returns HUB_DB_OK or a db error code. */
int hub_chg_next(struct hub_db *db, int64_t *v);

#endif
