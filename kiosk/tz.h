/* tz.h — local time in a location's IANA zone, for display and day bounds.
 * Owns: the process's TZ environment variable (set with setenv + tzset, the
 * last zone cached) and every UTC <-> local conversion of the kiosk.
 * Must not: be called from more than one thread. setenv/tzset/localtime_r
 * are not thread-safe together: call tz_* from the UI (main) thread only, and
 * no other code may use localtime/mktime or change TZ. Times are UTC seconds. */
#ifndef PRESENTIE_TZ_H
#define PRESENTIE_TZ_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "limits.h"

#define TZ_DEFAULT_ZONE   "Europe/Amsterdam"
#define TZ_HM_LEN         6                      /* "13:52" + NUL */

/* What tz_from_local found at the asked wall-clock time (all are success). */
enum tz_local_kind {
	TZ_LOCAL_EXACT = 0,   /* the time exists exactly once */
	TZ_LOCAL_GAP = 1,     /* skipped by a forward jump (spring): the result is
	                         the wall time read with the offset in force before
	                         the jump, i.e. moved forward by the gap
	                         (02:30 on 29 Mar 2026 Amsterdam -> 03:30 CEST) */
	TZ_LOCAL_OVERLAP = 2  /* occurs twice (autumn): the result is the earlier
	                         instant (02:30 CEST, not 02:30 CET) */
};

/* Whether zone names a readable tzdata file: 1 or 0. NULL is the default
 * zone. Names are bounded (PR_TZ_MAX), relative, without "..". */
int tz_valid(const char *zone);

/* Local broken-down time of t in zone (NULL: TZ_DEFAULT_ZONE); tm_gmtoff
 * and tm_isdst are set. Returns 0, or -1 (zone invalid, t out of range for
 * time_t) leaving *out untouched. */
int tz_local(const char *zone, int64_t t, struct tm *out);

/* "HH:MM" (24 h, local) of t into buf. Returns 0, or -1 if the zone or t
 * is invalid or len < TZ_HM_LEN (buf then holds "" when len > 0). */
int tz_format_hm(const char *zone, int64_t t, char *buf, size_t len);

/* The local day containing t: [*start_utc, *end_utc), local midnight to the
 * next local midnight. 86400 s long, except 82800 (23 h) on the spring and
 * 90000 (25 h) on the autumn transition day. Returns 0, or -1 leaving the
 * outputs untouched. */
int tz_day_bounds(const char *zone, int64_t t, int64_t *start_utc, int64_t *end_utc);

/* UTC time of local y-m-d h:min:00 in zone (m 1..12, d 1..31, h 0..23,
 * min 0..59; d is not checked against the month: 31 Apr is 1 May, as
 * mktime would). Returns a tz_local_kind (>= 0) and sets *t, or -1 if an
 * argument is out of range or the zone invalid (*t untouched). */
int tz_from_local(const char *zone, int y, int m, int d, int h, int min, int64_t *t);

/* Seconds east of UTC in force at t in zone (3600 CET, 7200 CEST).
 * Returns 0 and sets *off_s, or -1. */
int tz_offset(const char *zone, int64_t t, long *off_s);

#endif
