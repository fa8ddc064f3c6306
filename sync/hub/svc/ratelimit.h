/* ratelimit.h — the hub's rate limits, kept in the db (table rate_limits) so
 * that every hub process counts together: fixed windows per key, counted
 * atomically, keyed by an HMAC-SHA256 under a per-hub secret (hub_meta), so
 * the table never holds what a client typed or its address; rows expire
 * with their window and each class of key ("login", "enrol") is bounded.
 * Must not: store the identifier in the clear, or evict a live row to make
 * room (a full class refuses new keys instead). */
#ifndef PRESENTIE_HUB_RATELIMIT_H
#define PRESENTIE_HUB_RATELIMIT_H

#include <stdint.h>

#define HUB_RATE_KEY_MAX       320     /* "class:" + identifier (an e-mail address) */
#define HUB_RATE_CLASS_MAX     16      /* "login", "enrol" */
#define HUB_RATE_ROWS_DEFAULT  100000  /* live rows per class (about 10 MB) */
#define HUB_RATE_ROWS_MIN      10
#define HUB_RATE_ROWS_ENV      "PRESENTIE_HUB_RATE_ROWS" /* overrides the default */
#define HUB_RATE_SWEEP_MS      60000   /* a full sweep of expired rows at most this often */
#define HUB_RATE_SECRET_NAME   "rate_key" /* its hub_meta row */

/* hub_rate_take: besides db error codes (< 0) */
#define HUB_RATE_TAKEN  0   /* counted: *count is this attempt's number in the window */
#define HUB_RATE_FULL   1   /* a new key and its class is at its bound: not counted */

struct hub_db;

/* Count one attempt on "class:ident" in a fixed window of window_ms (one
 * atomic statement per existing key; new keys are added one at a time
 * under a lock so the class stays within its bound). Returns
 * HUB_RATE_TAKEN with *count (1 for the first in a window) and *retry_s
 * (seconds until the window ends), HUB_RATE_FULL with *retry_s (until the
 * earliest window of the class ends), or a db error code (nothing counted).
 * Must be called outside a transaction. */
int hub_rate_take(struct hub_db *db, const char *cls, const char *ident, int64_t window_ms,
    int64_t *count, int *retry_s);

/* The old interface for a "class:ident" key: count one hit; 1 if the key
 * is over max hits in the window or the class is full (*retry_s set), 0 if
 * allowed, < 0 db error code. */
int hub_rate_hit(struct hub_db *db, const char *key, int64_t window_ms, int max,
    int *retry_s);

/* Forget "class:ident" (after a successful login). Returns HUB_DB_OK or a
 * db error code. */
int hub_rate_reset(struct hub_db *db, const char *cls, const char *ident);

/* Take back one counted attempt of "class:ident" (a success that is not
 * to count), never below 0. Returns HUB_DB_OK or a db error code. */
int hub_rate_untake(struct hub_db *db, const char *cls, const char *ident);

/* Delete every row whose window has passed. Returns HUB_DB_OK (*n rows
 * deleted; n may be NULL) or a db error code. */
int hub_rate_sweep(struct hub_db *db, int64_t *n);

/* The bound of live rows per class: HUB_RATE_ROWS_ENV if set to a number
 * >= HUB_RATE_ROWS_MIN, else HUB_RATE_ROWS_DEFAULT (read once). */
int64_t hub_rate_rows_max(void);

#endif
