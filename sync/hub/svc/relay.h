/* relay.h — the tap relay: the recent check_in, check_out, guest and drop_in
 * events of the OTHER kiosks of a device's organisation and location, for
 * GET /v1/changes?taps=CURSOR (sync/PROTOCOL.md "Taps of the other kiosks"),
 * so that the rules of DESIGN.md hold per person across every kiosk of a
 * location. Must not: take the location from anything but the device (its
 * token); relay an anonymised event or a person without consent; write. */
#ifndef PRESENTIE_HUB_RELAY_H
#define PRESENTIE_HUB_RELAY_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "limits.h"

struct hub_db;
struct hub_device;

#define HUB_RELAY_CURSOR_MAX 48                  /* "ID.ISSUED_MS" + NUL */
#define HUB_RELAY_AGE_MS     ((int64_t)PR_RELAY_AGE_S * 1000)
#define HUB_RELAY_SCAN_MAX   PR_RELAY_PAGE_MAX   /* events of the location read per page */
/* PostgreSQL only: a serial id is taken at INSERT but seen at COMMIT, so a
 * smaller id may appear after a larger one. The cursor passes an event only
 * once it was received this long ago; younger ones are sent again (the agent
 * ignores a UUID it holds). Safe while an ingest transaction takes less than
 * half of it (docs in PROTOCOL.md). SQLite commits in id order: 0. */
#define HUB_RELAY_SETTLE_MS  15000

/* Parse a tap cursor as the agent sends it: "0" (start: the last
 * HUB_RELAY_AGE_MS) or "ID.ISSUED_MS" as hub_relay_page made it. Returns 0
 * with *id and *issued_ms set ("0": both 0), or -1 (not a cursor). */
int hub_relay_cursor_parse(const char *s, int64_t *id, int64_t *issued_ms);

/* One page of relayed taps for dev after cursor (id, issued_ms), inside the
 * caller's read snapshot, now = the hub's time taken before the snapshot.
 * Appends tap objects to taps ({"uuid", "kind", "person_id", "session_id",
 * "role", "t_ms"}), writes the next cursor into cursor[HUB_RELAY_CURSOR_MAX]
 * and sets *more when a full page moved the cursor (ask again now). A cursor
 * that is 0, older than HUB_RELAY_AGE_MS or beyond the newest event (a
 * restored database) starts again from the last HUB_RELAY_AGE_MS. Reads at
 * most HUB_RELAY_SCAN_MAX events. Returns HUB_DB_OK or a db error code
 * (taps may then hold part of a page: the caller drops the answer). */
int hub_relay_page(struct hub_db *db, const struct hub_device *dev, int64_t id,
    int64_t issued_ms, int64_t now, json_t *taps, char *cursor, int *more);

#endif
