/* demo_place.c — puts the demo organisation's sessions in time (demo.h
 * demo_place): the current workshop starts 30 minutes before "now" (rounded
 * down to 5 minutes), every other session moves by whole days plus the same
 * change of local time of day, computed in the location's zone via TZ and
 * mktime. Also the strict date/time parsers the loader uses.
 * Must not: leave TZ changed; read files. */
#include "demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "civil.h"
#include "errf.h"

/* "YYYY-MM-DD" with a real calendar date. */
int demo_parse_date(const char *s, int *y, int *m, int *d)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	*d = (s[8] - '0') * 10 + (s[9] - '0');
	if (*y < 1970 || *y > 2200 || *m < 1 || *m > 12 || *d < 1 || *d > mdays[*m - 1])
		return -1;
	if (*m == 2 && *d == 29 && !((*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0))
		return -1;
	return 0;
}

/* "HH:MM" -> minutes of the day (00:00 .. 24:00). */
int demo_parse_hm(const char *s)
{
	int h, m;

	if (strlen(s) != 5 || s[2] != ':' || s[0] < '0' || s[0] > '9' ||
	    s[1] < '0' || s[1] > '9' || s[3] < '0' || s[3] > '5' || s[4] < '0' || s[4] > '9')
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 24 || (h == 24 && m != 0))
		return -1;
	return h * 60 + m;
}

/* --- placing in time ----------------------------------------------------- */

/* Local (y, m, d + dd, minute) in the current TZ -> UTC; mktime normalises. */
static int64_t local_to_utc(int y, int m, int d, int64_t dd, int64_t minute)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d + (int)dd;
	tm.tm_hour = 0;
	tm.tm_min = (int)minute;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

int demo_place(struct demo_org *o, int64_t now, char *err, size_t errlen)
{
	char *old_tz = NULL;
	const char *cur_tz = getenv("TZ");
	struct demo_session *anchor;
	struct tm lt;
	time_t target_t;
	int64_t target, day_shift, min_shift;
	int ay, am, ad, rc = -1;
	long ai = demo_session_find(o, o->current_session);

	if (ai < 0) {
		pr_errf(err, errlen, "current session '%s' not found", o->current_session);
		return -1;
	}
	anchor = &o->sessions[ai];
	if (cur_tz != NULL && (old_tz = strdup(cur_tz)) == NULL) {
		pr_errf(err, errlen, "out of memory");
		return -1;
	}
	if (setenv("TZ", o->tz, 1) != 0) {
		pr_errf(err, errlen, "cannot set TZ");
		goto out;
	}
	tzset();
	target = now - (now % DEMO_ROUND_S + DEMO_ROUND_S) % DEMO_ROUND_S - DEMO_EARLY_S;
	target_t = (time_t)target;
	if (localtime_r(&target_t, &lt) == NULL) {
		pr_errf(err, errlen, "cannot compute the local time in %s", o->tz);
		goto out;
	}
	if (demo_parse_date(anchor->date, &ay, &am, &ad) != 0)
		goto bad_date;
	day_shift = pr_days_from_civil(lt.tm_year + 1900, lt.tm_mon + 1, lt.tm_mday) -
	    pr_days_from_civil(ay, am, ad);
	min_shift = (int64_t)(lt.tm_hour * 60 + lt.tm_min) - anchor->start_min;
	for (size_t i = 0; i < o->n_sessions; i++) {
		struct demo_session *s = &o->sessions[i];
		int y, m, d;
		int64_t os, oe;

		if (demo_parse_date(s->date, &y, &m, &d) != 0)
			goto bad_date;
		os = local_to_utc(y, m, d, 0, s->start_min);
		oe = local_to_utc(y, m, d, 0, s->end_min);
		if (os == -1 || oe <= os) {
			pr_errf(err, errlen, "session %s: cannot place %s in %s", s->id,
			    s->date, o->tz);
			goto out;
		}
		if ((long)i == ai)
			s->start = target;
		else
			s->start = local_to_utc(y, m, d, day_shift, s->start_min + min_shift);
		s->end = s->start + (oe - os);
	}
	rc = 0;
	goto out;
bad_date:
	pr_errf(err, errlen, "a session has a bad date");
out:
	if (old_tz != NULL)
		setenv("TZ", old_tz, 1);
	else
		unsetenv("TZ");
	tzset();
	free(old_tz);
	return rc;
}
