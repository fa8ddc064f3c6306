/* calendar.c — local dates and times of a location's IANA zone for the
 * dashboard (day bounds of Today, session times typed as "14:00", months of
 * reports). All conversion goes through hubtz.c, the hub's one owner of TZ
 * (lock-free tables after a zone's first load); this file only adds the
 * dashboard's date and time syntax on top.
 * Must not: call localtime/mktime or set TZ itself (see hubtz.h). */
#include "hub/base/calendar.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hub/base/hubtz.h"
#include "tzname.h"

int hub_cal_name_ok(const char *zone)
{
	return pr_tz_name_ok(zone);
}

static const struct hub_tz *zone_get(const char *zone)
{
	return hub_cal_name_ok(zone) ? hub_tz_get(zone) : NULL;
}

int hub_cal_to_utc(const char *zone, int y, int mo, int d, int h, int mi, int64_t *ms)
{
	const struct hub_tz *z = zone_get(zone);
	struct tm tm = { 0 };
	time_t naive;

	if (z == NULL)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	naive = timegm(&tm);       /* the local fields read as UTC: no zone involved */
	if (naive == (time_t)-1)
		return -1;
	return hub_tz_from_naive(z, (int64_t)naive, ms);
}

int hub_cal_local(const char *zone, int64_t ms, struct tm *out)
{
	const struct hub_tz *z = zone_get(zone);

	return z == NULL ? -1 : hub_tz_local(z, ms, out);
}

int hub_cal_parse_date(const char *s, int *y, int *mo, int *d)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	*mo = (s[5] - '0') * 10 + (s[6] - '0');
	*d = (s[8] - '0') * 10 + (s[9] - '0');
	if (*y < 1970 || *y > 2200 || *mo < 1 || *mo > 12 || *d < 1 || *d > mdays[*mo - 1])
		return -1;
	if (*mo == 2 && *d == 29 && !((*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0))
		return -1;
	return 0;
}

int hub_cal_parse_hm(const char *s, int *h, int *mi)
{
	if (s == NULL || strlen(s) != 5 || s[2] != ':' || s[0] < '0' || s[0] > '2' ||
	    s[1] < '0' || s[1] > '9' || s[3] < '0' || s[3] > '5' || s[4] < '0' || s[4] > '9')
		return -1;
	*h = (s[0] - '0') * 10 + (s[1] - '0');
	*mi = (s[3] - '0') * 10 + (s[4] - '0');
	return *h < 24 ? 0 : -1;
}

int hub_cal_day(const char *zone, const char *date, int64_t *from, int64_t *to)
{
	const struct hub_tz *z = zone_get(zone);
	struct tm tm = { 0 };
	int y, mo, d;
	time_t t;
	int64_t day;

	if (z == NULL || hub_cal_parse_date(date, &y, &mo, &d) != 0)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return -1;
	day = (int64_t)t / 86400;
	/* Local midnights: days are 23 or 25 hours long at DST changes. */
	if (hub_tz_day_start(z, day, from) != 0 || hub_tz_day_start(z, day + 1, to) != 0)
		return -1;
	return 0;
}

int hub_cal_date(const char *zone, int64_t ms, char out[HUB_DATE_STR])
{
	struct tm tm;

	if (hub_cal_local(zone, ms, &tm) != 0)
		return -1;
	return strftime(out, HUB_DATE_STR, "%Y-%m-%d", &tm) == HUB_DATE_STR - 1 ? 0 : -1;
}
