/* clockfix.h — re-anchoring events recorded while the kiosk clock was not
 * synchronised (PROTOCOL.md "Clock correction"):
 *   corrected_ms = anchor.wall_ms - (anchor.boottime_ns - event.boottime_ns) / 1e6
 * with the anchor the first later synchronised event of the same device and
 * boot. Synchronised events keep their wall time ("no"); unsynchronised ones
 * without an anchor stay "uncorrectable" until one arrives.
 * Must not: change synchronised events. */
#ifndef PRESENTIE_HUB_CLOCKFIX_H
#define PRESENTIE_HUB_CLOCKFIX_H

#include <stdint.h>

struct hub_db;

/* Recompute the unsynchronised events of (device, boot) that are still
 * uncorrectable, or recorded before new_anchor_ns (the latest boottime of a
 * synchronised event just stored, -1 if none). Inside the caller's
 * transaction. Returns HUB_DB_OK or a db error code. */
int hub_clock_correct(struct hub_db *db, const char *device_id, const char *boot_id,
    int64_t new_anchor_ns);

/* The formula, for tests and for callers that hold both samples. */
int64_t hub_clock_corrected_ms(int64_t anchor_wall_ms, int64_t anchor_boottime_ns,
    int64_t event_boottime_ns);

#endif
