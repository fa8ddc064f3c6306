/* dash_tz.c — local dates and times of a location's IANA zone for the
 * dashboard (day bounds of Today, session times typed as "14:00", months of
 * reports), via glibc's tzfile reader under one mutex: TZ is process-wide,
 * so every setenv/tzset/mktime/localtime_r of the server runs here.
 * Must not: be bypassed by other server code calling localtime or mktime. */
#include "dash_tz.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;
static char tz_current[PR_TZ_MAX];

int dash_tz_name_ok(const char *zone)
{
	size_t n = zone ? strlen(zone) : 0;

	if (n == 0 || n >= PR_TZ_MAX || zone[0] == '/' || strstr(zone, "..") != NULL)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char ch = zone[i];

		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		    ch == '/' || ch == '_' || ch == '-' || ch == '+'))
			return 0;
	}
	return 1;
}

/* With tz_lock held: make zone the process zone. */
static int use_zone(const char *zone)
{
	if (!dash_tz_name_ok(zone))
		return -1;
	if (strcmp(tz_current, zone) != 0) {
		if (setenv("TZ", zone, 1) != 0)
			return -1;
		tzset();
		snprintf(tz_current, sizeof(tz_current), "%s", zone);
	}
	return 0;
}

int dash_tz_to_utc(const char *zone, int y, int mo, int d, int h, int mi, int64_t *ms)
{
	struct tm tm = { 0 };
	time_t t;
	int rc = -1;

	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_isdst = -1;
	pthread_mutex_lock(&tz_lock);
	if (use_zone(zone) == 0) {
		t = mktime(&tm);
		if (t != (time_t)-1) {
			*ms = (int64_t)t * 1000;
			rc = 0;
		}
	}
	pthread_mutex_unlock(&tz_lock);
	return rc;
}

int dash_tz_local(const char *zone, int64_t ms, struct tm *out)
{
	time_t t = (time_t)(ms / 1000);
	int rc = -1;

	pthread_mutex_lock(&tz_lock);
	if (use_zone(zone) == 0 && localtime_r(&t, out) != NULL)
		rc = 0;
	pthread_mutex_unlock(&tz_lock);
	return rc;
}

int dash_parse_date(const char *s, int *y, int *mo, int *d)
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

int dash_parse_hm(const char *s, int *h, int *mi)
{
	if (s == NULL || strlen(s) != 5 || s[2] != ':' || s[0] < '0' || s[0] > '2' ||
	    s[1] < '0' || s[1] > '9' || s[3] < '0' || s[3] > '5' || s[4] < '0' || s[4] > '9')
		return -1;
	*h = (s[0] - '0') * 10 + (s[1] - '0');
	*mi = (s[3] - '0') * 10 + (s[4] - '0');
	return *h < 24 ? 0 : -1;
}

int dash_tz_day(const char *zone, const char *date, int64_t *from, int64_t *to)
{
	int y, mo, d;
	struct tm tm = { 0 };

	if (dash_parse_date(date, &y, &mo, &d) != 0 || dash_tz_to_utc(zone, y, mo, d, 0, 0, from) != 0)
		return -1;
	/* The next local midnight (days are 23 or 25 hours at DST changes). */
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d + 1;
	tm.tm_hour = 12;
	if (timegm(&tm) == (time_t)-1)
		return -1;
	return dash_tz_to_utc(zone, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, 0, 0, to);
}

int dash_tz_date(const char *zone, int64_t ms, char out[DASH_DATE_STR])
{
	struct tm tm;

	if (dash_tz_local(zone, ms, &tm) != 0)
		return -1;
	return strftime(out, DASH_DATE_STR, "%Y-%m-%d", &tm) == DASH_DATE_STR - 1 ? 0 : -1;
}
