/* tz.c — UTC <-> local time in an IANA zone through glibc and the system tzdata.
 * Owns: the TZ variable of the process (cached: setenv + tzset only when the
 * zone changes). Must not: be used from two threads (see tz.h), parse tzdata
 * itself, or fall back silently to UTC for an unknown zone. */
#include "tz.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tzname.h"

#define TZ_DAY_S      86400
#define TZ_YEAR_MIN   1900
#define TZ_YEAR_MAX   9999

static char cur_zone[PR_TZ_MAX];  /* zone TZ is set to now, "" if none */

int tz_valid(const char *zone)
{
	if (zone == NULL)
		zone = TZ_DEFAULT_ZONE;
	return pr_tz_name_ok(zone) && pr_tz_file_ok(zone);
}

/* Make zone the one localtime_r uses. Returns 0 or -1 (invalid zone). */
static int use_zone(const char *zone)
{
	char val[PR_TZ_MAX + 1];
	int n;

	if (zone == NULL)
		zone = TZ_DEFAULT_ZONE;
	if (cur_zone[0] != '\0' && strcmp(cur_zone, zone) == 0)
		return 0;
	if (!tz_valid(zone))
		return -1;
	n = snprintf(val, sizeof(val), ":%s", zone);  /* ':' = a tzdata file name */
	if (n < 0 || (size_t)n >= sizeof(val))
		return -1;
	if (setenv("TZ", val, 1) != 0)
		return -1;
	tzset();
	memcpy(cur_zone, zone, strlen(zone) + 1);  /* tz_valid: < PR_TZ_MAX */
	return 0;
}

static int to_time_t(int64_t t, time_t *out)
{
	time_t tt = (time_t)t;

	if ((int64_t)tt != t)
		return -1;   /* 32-bit time_t (armhf bookworm) beyond 2038 */
	*out = tt;
	return 0;
}

/* localtime_r in the current zone. */
static int local_now(int64_t t, struct tm *out)
{
	time_t tt;

	if (to_time_t(t, &tt) != 0 || localtime_r(&tt, out) == NULL)
		return -1;
	return 0;
}

int tz_local(const char *zone, int64_t t, struct tm *out)
{
	struct tm tm;

	if (out == NULL || use_zone(zone) != 0 || local_now(t, &tm) != 0)
		return -1;
	*out = tm;
	return 0;
}

int tz_offset(const char *zone, int64_t t, long *off_s)
{
	struct tm tm;

	if (off_s == NULL || tz_local(zone, t, &tm) != 0)
		return -1;
	*off_s = tm.tm_gmtoff;
	return 0;
}

int tz_format_hm(const char *zone, int64_t t, char *buf, size_t len)
{
	struct tm tm;
	int n;

	if (buf == NULL || len == 0)
		return -1;
	buf[0] = '\0';
	if (len < TZ_HM_LEN || tz_local(zone, t, &tm) != 0)
		return -1;
	n = snprintf(buf, len, "%02d:%02d", tm.tm_hour, tm.tm_min);
	if (n < 0 || (size_t)n >= len) {
		buf[0] = '\0';
		return -1;
	}
	return 0;
}

/* The wall-clock fields read as if they were UTC ("naive" seconds). */
static int naive_seconds(int y, int m, int d, int h, int min, int64_t *out)
{
	struct tm tm;
	time_t tt;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = min;
	tt = timegm(&tm);
	if (tt == (time_t)-1)
		return -1;   /* seconds are 0, so -1 is never a real result */
	*out = (int64_t)tt;
	return 0;
}

/* Offset in force at t in the current zone into *off. Returns 0 or -1. */
static int offset_at(int64_t t, long *off)
{
	struct tm tm;

	if (local_now(t, &tm) != 0)
		return -1;
	*off = tm.tm_gmtoff;
	return 0;
}

/* UTC of the naive wall time in the current zone; see tz_local_kind. */
static int from_naive(int64_t naive, int64_t *t)
{
	int64_t cand[2];
	long offs[2], off_check;
	size_t n = 0, i;

	/* Zones change offset at most once within a day either side of a
	 * wall time (true of every zone in tzdata since 1970), so the offsets a
	 * day before and after are the only candidates. */
	if (offset_at(naive - TZ_DAY_S, &offs[0]) != 0 ||
	    offset_at(naive + TZ_DAY_S, &offs[1]) != 0)
		return -1;
	for (i = 0; i < 2; i++) {
		int64_t c = naive - offs[i];
		if (i == 1 && offs[1] == offs[0])
			break;
		if (offset_at(c, &off_check) != 0)
			return -1;
		if (off_check == offs[i])
			cand[n++] = c;   /* c shows the asked wall time */
	}
	if (n == 0) {            /* the gap: read with the offset before it */
		*t = naive - offs[0];
		return TZ_LOCAL_GAP;
	}
	if (n == 2) {            /* the overlap: the earlier instant */
		*t = cand[0] < cand[1] ? cand[0] : cand[1];
		return TZ_LOCAL_OVERLAP;
	}
	*t = cand[0];
	return TZ_LOCAL_EXACT;
}

int tz_from_local(const char *zone, int y, int m, int d, int h, int min, int64_t *t)
{
	int64_t naive;

	if (t == NULL || y < TZ_YEAR_MIN || y > TZ_YEAR_MAX || m < 1 || m > 12 ||
	    d < 1 || d > 31 || h < 0 || h > 23 || min < 0 || min > 59)
		return -1;
	if (use_zone(zone) != 0 || naive_seconds(y, m, d, h, min, &naive) != 0)
		return -1;
	return from_naive(naive, t);
}

int tz_day_bounds(const char *zone, int64_t t, int64_t *start_utc, int64_t *end_utc)
{
	struct tm tm;
	int64_t naive, s, e;

	if (start_utc == NULL || end_utc == NULL || tz_local(zone, t, &tm) != 0)
		return -1;
	if (naive_seconds(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, 0, 0, &naive) != 0)
		return -1;
	/* local midnight, and the next one: naive days are always 86400 s */
	if (from_naive(naive, &s) < 0 || from_naive(naive + TZ_DAY_S, &e) < 0)
		return -1;
	if (!(s <= t && t < e))
		return -1;   /* only a zone whose midnight repeats could get here */
	*start_utc = s;
	*end_utc = e;
	return 0;
}
