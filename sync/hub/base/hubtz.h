/* hubtz.h — every UTC <-> local time conversion of the hub, thread-safe.
 * Owns: the process's TZ variable inside the hub, touched only while a zone
 * is first loaded (under one mutex, TZ restored to its exact previous value
 * afterwards). Each zone's UTC offsets are read once from glibc into an
 * immutable table of transitions; conversions then only read that table and
 * call gmtime_r, so they need no lock and never depend on TZ. Why: glibc's
 * localtime_r/mktime read the one process-wide zone, and the hub converts
 * from many libmicrohttpd threads at once; per-thread setenv would race.
 * `serve` loads every location's zone before its threads start, so TZ is
 * normally never touched while requests run.
 * Must not: be bypassed: no other hub code may call localtime/mktime or set
 * TZ (a second owner with its own lock would race with the loads here). */
#ifndef PRESENTIE_HUB_HUBTZ_H
#define PRESENTIE_HUB_HUBTZ_H

#include <stdint.h>
#include <time.h>

#include "limits.h"

#define HUB_TZ_ZONE_DEFAULT "Europe/Amsterdam"
#define HUB_TZ_ZONES_MAX    64       /* distinct zones loaded per process */
#define HUB_TZ_LOCAL_MAX    32       /* "2026-11-22T21:07:25+01:00" + NUL, with room */
#define HUB_TZ_OFFSET_MAX   8        /* "+01:00" + NUL */

struct hub_tz;   /* a loaded zone; immutable, lives until the process ends */

/* The zone named name (IANA, e.g. "Europe/Amsterdam"; NULL or "" = the
 * default zone), loading it on first use. Safe from any thread. Returns the
 * zone, or NULL if the name is not a readable tzdata zone or the cache is
 * full (HUB_TZ_ZONES_MAX). The first call per zone takes some milliseconds:
 * call it for the usual zone before starting threads. */
const struct hub_tz *hub_tz_get(const char *name);

/* The zone's name as given to hub_tz_get (never NULL). */
const char *hub_tz_name(const struct hub_tz *z);

/* Seconds east of UTC in force in z at UTC ms. */
long hub_tz_offset(const struct hub_tz *z, int64_t ms);

/* Local broken-down time of UTC ms in z (tm_gmtoff set, tm_zone NULL).
 * Returns 0, or -1 if ms is outside 1970..9999 (*out untouched). */
int hub_tz_local(const struct hub_tz *z, int64_t ms, struct tm *out);

/* Local calendar day number (days since 1970-01-01 of the local date) of
 * UTC ms in z. */
int64_t hub_tz_day(const struct hub_tz *z, int64_t ms);

/* "YYYY-MM-DD" sep "HH:MM:SS" of the wall-clock seconds s (the fields of s
 * read as UTC; no zone involved), without snprintf: exports call it
 * millions of times. Returns 0, or -1 if the year is outside 1..9999 ("" then). */
int hub_tz_fmt(int64_t s, char sep, char out[HUB_TZ_LOCAL_MAX]);

/* "YYYY-MM-DD HH:MM:SS" local (for spreadsheets). Returns 0 or -1 ("" then). */
int hub_tz_sheet(const struct hub_tz *z, int64_t ms, char out[HUB_TZ_LOCAL_MAX]);

/* "YYYY-MM-DDTHH:MM:SS+01:00" (ISO 8601, local with offset). 0 or -1 (""). */
int hub_tz_iso(const struct hub_tz *z, int64_t ms, char out[HUB_TZ_LOCAL_MAX]);

/* "+01:00" / "-03:30": the offset in force at ms. */
void hub_tz_offset_str(const struct hub_tz *z, int64_t ms, char out[HUB_TZ_OFFSET_MAX]);

/* UTC ms of the local wall time naive_s (the local fields read as if UTC,
 * i.e. timegm of them) in z. A wall time skipped by a forward jump is read
 * with the offset before the jump (02:30 -> 03:30 CEST); one that occurs
 * twice gives the earlier instant (02:30 CEST). Returns 0 or -1. */
int hub_tz_from_naive(const struct hub_tz *z, int64_t naive_s, int64_t *ms);

/* UTC ms of local midnight starting local day number day in z. 0 or -1. */
int hub_tz_day_start(const struct hub_tz *z, int64_t day, int64_t *ms);

#endif
