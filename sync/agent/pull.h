/* pull.h — fetch master data from the hub and apply it to the store.
 * Owns: the GET /v1/changes loop (cursor from the store, follow "more",
 * each page applied with its cursor in one transaction). Must not: apply a
 * page that failed validation, or keep the cursor anywhere but the store. */
#ifndef PRESENTIE_AGENT_PULL_H
#define PRESENTIE_AGENT_PULL_H

#include <stddef.h>
#include <stdint.h>

#include "http.h"
#include "result.h"
#include "store.h"

#define AGENT_PULL_PAGES_MAX 1000   /* pages in one cycle; the rest waits for the next */

/* "/v1/changes?cursor=<percent-encoded cursor>" into out. Returns 0 or -1
 * (does not fit). */
int agent_pull_path(const char *cursor, char *out, size_t outlen);
/* "/v1/changes?cursor=<cursor>&taps=<taps, "0" when empty>", both
 * percent-encoded. Returns 0 or -1 (does not fit). */
int agent_pull_path_taps(const char *cursor, const char *taps, char *out, size_t outlen);

/* Pull pages until the hub says more=false (or AGENT_PULL_PAGES_MAX pages),
 * asking for the other kiosks' taps after the stored tap cursor ("0": the
 * hub's last 16 h; also whenever the changes cursor is empty). If the hub
 * answers 400 to a non-empty stored cursor, the walk restarts once from the
 * empty cursors (everything), and the store's cursors follow.
 * Returns 0 (r DONE, *pages = pages applied, *acked = the hub's acked_seq
 * from the last page, -1 if it sent none) or -1 with r filled; pages
 * applied before the failure stay applied. */
int agent_pull_all(struct store *db, struct agent_http *http,
    int (*should_stop)(void *), void *stop_arg, size_t *pages, int64_t *acked,
    struct agent_result *r);

#endif
