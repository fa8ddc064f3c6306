/* htime.h — time for the hub: now in ms, ISO 8601 output, and the date and
 * time forms coordinators type (exports, CSV imports). Local time is
 * hubtz.h's. Must not: touch TZ or call localtime/mktime. */
#ifndef PRESENTIE_HUB_HTIME_H
#define PRESENTIE_HUB_HTIME_H

#include <stddef.h>
#include <stdint.h>

#define HUB_ISO_MAX   64   /* "2026-11-22T13:52:07.120Z" + NUL, with room for any int year */
#define HUB_DAY_MS    86400000LL

int64_t hub_now_ms(void);
/* "2026-11-22T13:52:07.120Z" */
void hub_iso_ms(int64_t ms, char out[HUB_ISO_MAX]);
/* "2026-11-22T13:00:00Z" (whole seconds) */
void hub_iso_s(int64_t ms, char out[HUB_ISO_MAX]);
/* "2026-11-22 13:52:07" (UTC; local times: hub_tz_sheet) */
void hub_sheet_time(int64_t ms, char out[HUB_ISO_MAX]);

/* Strict "YYYY-MM-DD" to the UTC midnight in ms. Returns 0 or -1. */
int hub_date_parse(const char *s, int64_t *ms);
/* A time as coordinators write it: "YYYY-MM-DDTHH:MM[:SS]Z" / "+HH:MM"
 * (absolute) or "YYYY-MM-DD HH:MM[:SS]" / "...T..." without zone, taken in
 * zone tz (IANA name; see hub_tz_from_naive for DST gaps and overlaps).
 * Thread-safe. Returns 0 and *ms, or -1. */
int hub_time_parse_local(const char *s, const char *tz, int64_t *ms);

#endif
