/* htime.c — wall-clock helpers of the hub (UTC; local zones only through
 * hubtz, e.g. to read coordinators' CSV times in the importer).
 * Must not: be used for timeouts (that is clockinfo_mono_ms), touch TZ. */
#include "hub/base/htime.h"

#include "hub/base/hubtz.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t hub_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void split(int64_t ms, struct tm *tm, int *msec)
{
	int64_t s = ms / 1000;
	int m = (int)(ms % 1000);
	time_t t;

	if (m < 0) {
		m += 1000;
		s--;
	}
	t = (time_t)s;
	gmtime_r(&t, tm);
	*msec = m;
}

void hub_iso_ms(int64_t ms, char out[HUB_ISO_MAX])
{
	struct tm tm;
	int m;

	split(ms, &tm, &m);
	snprintf(out, HUB_ISO_MAX, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, m);
}

void hub_iso_s(int64_t ms, char out[HUB_ISO_MAX])
{
	int64_t s = ms / 1000 - (ms % 1000 < 0);
	struct tm tm;
	int m;

	/* the fast path (exports write three per row); years outside 1..9999 below */
	if (hub_tz_fmt(s, 'T', out) == 0) {
		size_t n = strlen(out);

		out[n] = 'Z';
		out[n + 1] = '\0';
		return;
	}
	split(ms, &tm, &m);
	snprintf(out, HUB_ISO_MAX, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void hub_sheet_time(int64_t ms, char out[HUB_ISO_MAX])
{
	struct tm tm;
	int m;

	split(ms, &tm, &m);
	snprintf(out, HUB_ISO_MAX, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Read exactly n digits. */
static int digits(const char **p, int n, int *v)
{
	int x = 0;

	for (int i = 0; i < n; i++) {
		char c = (*p)[i];

		if (c < '0' || c > '9')
			return -1;
		x = x * 10 + (c - '0');
	}
	*p += n;
	*v = x;
	return 0;
}

static int parse_date(const char **p, struct tm *tm)
{
	int y, mo, d;
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (digits(p, 4, &y) || **p != '-' || (++*p, digits(p, 2, &mo)) || **p != '-' ||
	    (++*p, digits(p, 2, &d)))
		return -1;
	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1])
		return -1;
	if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return -1;
	memset(tm, 0, sizeof(*tm));
	tm->tm_year = y - 1900;
	tm->tm_mon = mo - 1;
	tm->tm_mday = d;
	return 0;
}

int hub_date_parse(const char *s, int64_t *ms)
{
	struct tm tm;
	const char *p = s;

	if (parse_date(&p, &tm) != 0 || *p != '\0')
		return -1;
	*ms = (int64_t)timegm(&tm) * 1000;
	return 0;
}

int hub_time_parse_local(const char *s, const char *tz, int64_t *ms)
{
	struct tm tm;
	const char *p = s;
	int h, mi, sec = 0, oh, om;
	int64_t t;
	const struct hub_tz *zone;

	if (parse_date(&p, &tm) != 0 || (*p != 'T' && *p != ' '))
		return -1;
	p++;
	if (digits(&p, 2, &h) || *p != ':' || (p++, digits(&p, 2, &mi)))
		return -1;
	if (*p == ':' && (p++, digits(&p, 2, &sec)))
		return -1;
	if (h > 23 || mi > 59 || sec > 59)
		return -1;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	if (*p == 'Z' && p[1] == '\0') {
		*ms = (int64_t)timegm(&tm) * 1000;
		return 0;
	}
	if ((*p == '+' || *p == '-') && p[1] != '\0') {
		int sign = *p == '-' ? -1 : 1;

		p++;
		if (digits(&p, 2, &oh) || *p != ':' || (p++, digits(&p, 2, &om)) || *p != '\0' ||
		    oh > 14 || om > 59)
			return -1;
		t = (int64_t)timegm(&tm) - sign * (oh * 3600 + om * 60);
		*ms = t * 1000;
		return 0;
	}
	if (*p != '\0' || tz == NULL || tz[0] == '\0' || (zone = hub_tz_get(tz)) == NULL)
		return -1;
	return hub_tz_from_naive(zone, (int64_t)timegm(&tm), ms);
}
