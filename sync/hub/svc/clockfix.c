/* clockfix.c — see clockfix.h for which rows a batch can change and why.
 * Both statements are index range scans (events (device_id, seq) and
 * events_boot (device_id, boot_id, clock_synced, boottime_ns)); each row's
 * anchor is one probe of events_boot. "Has an anchor" is written as the
 * scalar subquery IS NOT NULL, not EXISTS: PostgreSQL turns EXISTS into a
 * semi-join, which without fresh statistics became a sequential scan of
 * events per batch (the O(n) per batch this file exists to avoid).
 * Integer division truncates toward zero on both backends, like
 * hub_clock_corrected_ms.
 * Every row a statement writes is marked clock_due = 1: its local_day and
 * its meaning are then redone by svc/reeval.c in the same transaction,
 * which clears the mark (so it never outlives the transaction).
 * Must not: update synchronised events (every statement has clock_synced = 0). */
#include "hub/svc/clockfix.h"

#include "hub/db/db.h"

/* The anchor of the row being updated: its first later synchronised sample. */
#define ANCHOR_FROM \
	" FROM events a WHERE a.device_id = events.device_id AND a.boot_id = events.boot_id" \
	" AND a.clock_synced = 1 AND a.boottime_ns > events.boottime_ns"
#define ANCHOR_MS \
	"(SELECT a.wall_ms - (a.boottime_ns - events.boottime_ns) / 1000000" ANCHOR_FROM \
	" ORDER BY a.boottime_ns LIMIT 1)"

int64_t hub_clock_corrected_ms(int64_t anchor_wall_ms, int64_t anchor_boottime_ns,
    int64_t event_boottime_ns)
{
	return anchor_wall_ms - (anchor_boottime_ns - event_boottime_ns) / 1000000;
}

int hub_clock_correct_new(struct hub_db *db, const char *device_id, int64_t seq_lo,
    int64_t seq_hi, int64_t *touched)
{
	return hub_db_exec(db,
	    "UPDATE events SET t_ms = " ANCHOR_MS ", correction = 'yes', clock_due = 1"
	    " WHERE device_id = $1 AND seq >= $2 AND seq <= $3 AND clock_synced = 0"
	    " AND correction = 'uncorrectable' AND " ANCHOR_MS " IS NOT NULL",
	    3, (struct hub_param[]){ HP_S(device_id), HP_I(seq_lo), HP_I(seq_hi) }, touched);
}

int hub_clock_reanchor(struct hub_db *db, const char *device_id, const char *boot_id,
    int64_t first_ns, int64_t last_ns, int64_t *touched)
{
	/* Every row below last_ns has an anchor (the event at last_ns at least). */
	return hub_db_exec(db,
	    "UPDATE events SET t_ms = " ANCHOR_MS ", correction = 'yes', clock_due = 1"
	    " WHERE device_id = $1 AND boot_id = $2 AND clock_synced = 0 AND boottime_ns < $4"
	    " AND boottime_ns >= COALESCE((SELECT MAX(p.boottime_ns) FROM events p"
	    "   WHERE p.device_id = $1 AND p.boot_id = $2 AND p.clock_synced = 1"
	    "   AND p.boottime_ns < $3), 0)",
	    4, (struct hub_param[]){ HP_S(device_id), HP_S(boot_id), HP_I(first_ns),
	    HP_I(last_ns) }, touched);
}
