/* devstatus.h — what a kiosk's agent says about itself on every request
 * ("Presentie-Device-Status: waiting=N; clock-synced=0|1", sync/PROTOCOL.md),
 * kept in device_status for the dashboard's Today page.
 * Must not: fail the request it rides on: a bad or missing header is ignored. */
#ifndef PRESENTIE_HUB_DEVSTATUS_H
#define PRESENTIE_HUB_DEVSTATUS_H

#include <stdint.h>

struct hub_db;

#define HUB_DEVSTATUS_WAITING_MAX 100000000LL  /* more than any kiosk holds */
#define HUB_DEVSTATUS_REFRESH_MS  30000        /* rewrite an unchanged row this often */

/* Parse the header value strictly. Returns 0 and fills waiting and synced, or
 * -1 (NULL, malformed, out of range). */
int hub_devstatus_parse(const char *value, int64_t *waiting, int *synced);

/* Note the status of device_id if value parses; writes only when it changed
 * or the row is older than HUB_DEVSTATUS_REFRESH_MS. Errors are ignored. */
void hub_devstatus_note(struct hub_db *db, const char *device_id, const char *value,
    int64_t now_ms);

#endif
