/* devstatus.c — see devstatus.h. One upsert that is a no-op unless the
 * values changed or the row is stale, so a busy kiosk costs no extra writes. */
#include "hub/svc/devstatus.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hub/db/db.h"

int hub_devstatus_parse(const char *value, int64_t *waiting, int *synced)
{
	static const char k1[] = "waiting=", k2[] = "; clock-synced=";
	const char *p;
	char *end;
	long long w;

	if (value == NULL || strncmp(value, k1, sizeof(k1) - 1) != 0)
		return -1;
	p = value + sizeof(k1) - 1;
	if (*p < '0' || *p > '9')
		return -1;
	errno = 0;
	w = strtoll(p, &end, 10);
	if (errno != 0 || w < 0 || w > HUB_DEVSTATUS_WAITING_MAX)
		return -1;
	if (strncmp(end, k2, sizeof(k2) - 1) != 0)
		return -1;
	p = end + sizeof(k2) - 1;
	if ((p[0] != '0' && p[0] != '1') || p[1] != '\0')
		return -1;
	*waiting = (int64_t)w;
	*synced = p[0] == '1';
	return 0;
}

void hub_devstatus_note(struct hub_db *db, const char *device_id, const char *value,
    int64_t now_ms)
{
	int64_t waiting;
	int synced;

	if (hub_devstatus_parse(value, &waiting, &synced) != 0)
		return;
	(void)hub_db_exec(db,
	    "INSERT INTO device_status (device_id, waiting, clock_synced, at_ms)"
	    " VALUES ($1, $2, $3, $4) ON CONFLICT (device_id) DO UPDATE SET"
	    " waiting = excluded.waiting, clock_synced = excluded.clock_synced, at_ms = excluded.at_ms"
	    " WHERE device_status.waiting IS NULL OR device_status.waiting <> excluded.waiting"
	    " OR device_status.clock_synced <> excluded.clock_synced OR device_status.at_ms < $5",
	    5, (struct hub_param[]){ HP_S(device_id), HP_I(waiting), HP_I(synced), HP_I(now_ms),
	    HP_I(now_ms - HUB_DEVSTATUS_REFRESH_MS) }, NULL);
}
