/* calendar.h — local calendar and clock of a location's zone for the
 * dashboard and reports (calendar.c, hub_cal_*), on top of hubtz.h. Thread-safe.
 * Must not: be used with a zone name that failed hub_cal_name_ok. */
#ifndef PRESENTIE_HUB_CALENDAR_H
#define PRESENTIE_HUB_CALENDAR_H

#include <stdint.h>
#include <time.h>

#include "limits.h"

#define HUB_DATE_STR 11   /* "2026-11-22" + NUL */

/* 1 if zone is a plausible IANA name (no "..", no leading '/'). */
int hub_cal_name_ok(const char *zone);
/* Local wall time in zone to UTC ms (a time in a DST gap moves forward,
 * an ambiguous one is the earlier instant; see hub_tz_from_naive). Returns 0 or -1. */
int hub_cal_to_utc(const char *zone, int y, int mo, int d, int h, int mi, int64_t *ms);
/* Local broken-down time of ms in zone. Returns 0 or -1. */
int hub_cal_local(const char *zone, int64_t ms, struct tm *out);
/* [from, to) of the local day "YYYY-MM-DD" in zone. Returns 0 or -1. */
int hub_cal_day(const char *zone, const char *date, int64_t *from, int64_t *to);
/* Local date of ms in zone as "YYYY-MM-DD". Returns 0 or -1. */
int hub_cal_date(const char *zone, int64_t ms, char out[HUB_DATE_STR]);
/* Strict "YYYY-MM-DD" (a real date) and "HH:MM". Return 0 or -1. */
int hub_cal_parse_date(const char *s, int *y, int *mo, int *d);
int hub_cal_parse_hm(const char *s, int *h, int *mi);

#endif
