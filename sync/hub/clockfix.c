/* clockfix.c — see clockfix.h. One UPDATE with a correlated subquery per
 * (device, boot) touched by a batch; the events_boot index makes the anchor
 * lookup a range scan. Integer division truncates toward zero on both
 * backends, like hub_clock_corrected_ms. */
#include "clockfix.h"

#include "db.h"

int64_t hub_clock_corrected_ms(int64_t anchor_wall_ms, int64_t anchor_boottime_ns,
    int64_t event_boottime_ns)
{
	return anchor_wall_ms - (anchor_boottime_ns - event_boottime_ns) / 1000000;
}

int hub_clock_correct(struct hub_db *db, const char *device_id, const char *boot_id,
    int64_t new_anchor_ns)
{
	return hub_db_exec(db,
	    "UPDATE events SET"
	    " t_ms = COALESCE((SELECT a.wall_ms - (a.boottime_ns - events.boottime_ns) / 1000000"
	    "   FROM events a WHERE a.device_id = events.device_id AND a.boot_id = events.boot_id"
	    "   AND a.clock_synced = 1 AND a.boottime_ns > events.boottime_ns"
	    "   ORDER BY a.boottime_ns LIMIT 1), wall_ms),"
	    " correction = CASE WHEN EXISTS (SELECT 1 FROM events a"
	    "   WHERE a.device_id = events.device_id AND a.boot_id = events.boot_id"
	    "   AND a.clock_synced = 1 AND a.boottime_ns > events.boottime_ns)"
	    "   THEN 'yes' ELSE 'uncorrectable' END"
	    " WHERE device_id = $1 AND boot_id = $2 AND clock_synced = 0"
	    " AND (correction = 'uncorrectable' OR boottime_ns < $3)",
	    3, (struct hub_param[]){ HP_S(device_id), HP_S(boot_id), HP_I(new_anchor_ns) }, NULL);
}
