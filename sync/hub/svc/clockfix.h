/* clockfix.h — re-anchoring events recorded while the kiosk clock was not
 * synchronised (PROTOCOL.md "Clock correction"):
 *   corrected_ms = anchor.wall_ms - (anchor.boottime_ns - event.boottime_ns) / 1e6
 * with the anchor the first later synchronised event of the same device and
 * boot (smallest boottime_ns strictly greater). Synchronised events keep
 * their wall time ("no"); unsynchronised ones without an anchor stay
 * "uncorrectable" (t_ms = wall_ms) until one arrives.
 * Must not: change synchronised events, or touch events a batch cannot
 * have changed (the work of a batch must not grow with the history).
 *
 * Which events can a batch change? Only anchors move results. Take one
 * (device, boot) and let the batch store synchronised events with boottimes
 * B1 <= ... <= Bk, and let P be the largest boottime of a synchronised event
 * of that boot held before B1 (none: P = 0). For an unsynchronised event at
 * boottime t:
 *  - t < P: its anchor is some synchronised event in (t, P], which existed
 *    before and still is the first one after t (new ones are >= B1 > P).
 *    Unchanged. (So no uncorrectable event lies below P either: P anchors it.)
 *  - t >= Bk: new anchors are <= Bk <= t, so none of them is "later". Unchanged.
 *  - P <= t < Bk: its anchor before was either none (uncorrectable) or a
 *    synchronised event later than B1 that the batch may now undercut (the
 *    "corrected ones whose current anchor is later than B" of the brief);
 *    these are recomputed. t = P is included: an event at exactly P's
 *    boottime is not anchored by P (strictly later), so B1 may be its anchor.
 * That is hub_clock_reanchor: one range scan of the events_boot index
 * (device, boot, clock_synced = 0, boottime in [P, Bk)) per boot the batch
 * brought a synchronised event to, each row given its anchor by an index
 * probe. Kiosks push in sequence order and boottime grows with seq within a
 * boot, so [P, Bk) holds exactly the events whose anchor changes; with
 * out-of-order boottimes (a broken device) the result is still exact, only
 * rows whose anchor is an older synchronised event inside (B1, Bk) are
 * rewritten with the value they had.
 * The batch's own unsynchronised events were inserted as uncorrectable; an
 * anchor may already be held for them (a batch arriving after a later one,
 * after a gap): hub_clock_correct_new gives those theirs, probing the
 * anchor per event of the batch's seq range and writing only the ones that
 * have one, so a batch without anchors writes nothing. Neither statement
 * looks at uncorrectable events outside its range: 100 000 of them waiting
 * for an NTP sync cost nothing per batch until the sync arrives, which then
 * corrects them once.
 * Both statements mark what they write (events.clock_due = 1) for
 * hub_reeval_due (svc/reeval.h): exactly these rows get their local_day
 * and their meaning (kind, session, role) redone, in the same transaction. */
#ifndef PRESENTIE_HUB_CLOCKFIX_H
#define PRESENTIE_HUB_CLOCKFIX_H

#include <stdint.h>

struct hub_db;

/* Give the unsynchronised events of device with seq in [seq_lo, seq_hi]
 * that are still uncorrectable their anchor, where one is held now. Inside
 * the caller's transaction, after the batch's inserts. *touched (may be
 * NULL) gets the rows updated. Returns HUB_DB_OK or a db error code. */
int hub_clock_correct_new(struct hub_db *db, const char *device_id, int64_t seq_lo,
    int64_t seq_hi, int64_t *touched);

/* A batch stored synchronised events of (device, boot) with boottimes in
 * [first_ns, last_ns]: recompute the unsynchronised events of that boot in
 * [P, last_ns) (P as above). Inside the caller's transaction, after the
 * inserts. *touched (may be NULL) gets the rows updated. Returns HUB_DB_OK
 * or a db error code. */
int hub_clock_reanchor(struct hub_db *db, const char *device_id, const char *boot_id,
    int64_t first_ns, int64_t last_ns, int64_t *touched);

/* The formula, for tests and for callers that hold both samples. */
int64_t hub_clock_corrected_ms(int64_t anchor_wall_ms, int64_t anchor_boottime_ns,
    int64_t event_boottime_ns);

#endif
