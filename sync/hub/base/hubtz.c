/* hubtz.c — see hubtz.h. A zone is loaded once: under the mutex TZ is set to
 * it, glibc's localtime_r is sampled day by day from 1970 to 2438 (binary
 * search to the second at each change of offset) and TZ is put back exactly
 * as it was. After 2038 tzdata zones follow their yearly POSIX rule, which
 * repeats with the 400-year Gregorian cycle, so later times are folded back
 * into 2038..2438. Must not: call localtime/mktime outside zone_load. */
#include "hub/base/hubtz.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tzname.h"

#define TZ_DAY_S         86400LL
#define TZ_CYCLE_START_S 2145916800LL            /* 2038-01-01T00:00:00Z */
#define TZ_CYCLE_S       (146097LL * TZ_DAY_S)   /* 400 Gregorian years */
#define TZ_TABLE_END_S   (TZ_CYCLE_START_S + TZ_CYCLE_S)
#define TZ_ENV_MAX       (PR_PATH_MAX + 2)
#define TZ_UNSET_VALUE   ":/etc/localtime"       /* what glibc reads when TZ is unset */
#define TZ_LOAD_TRIES    3                       /* scans when TZ changed under us */

struct hub_tz {
	char name[PR_TZ_MAX];
	size_t n;          /* transitions; at[0] is the start of the table */
	int64_t *at;       /* UTC seconds from which off[i] is in force, ascending */
	int32_t *off;      /* seconds east of UTC */
};

static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;
static struct hub_tz *zones[HUB_TZ_ZONES_MAX];
static size_t nzones;

/* With tz_lock held and TZ set: offset at t. */
static int32_t glibc_off(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL)
		return 0;
	return (int32_t)tm.tm_gmtoff;
}

static int push(struct hub_tz *z, size_t *cap, int64_t at, int32_t off)
{
	if (z->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		int64_t *a = realloc(z->at, nc * sizeof(*a));

		if (a == NULL)
			return -1;
		z->at = a;
		int32_t *o = realloc(z->off, nc * sizeof(*o));

		if (o == NULL)
			return -1;
		z->off = o;
		*cap = nc;
	}
	z->at[z->n] = at;
	z->off[z->n] = off;
	z->n++;
	return 0;
}

/* With tz_lock held and TZ set to the zone: fill z's table. 0 or -1. */
static int scan(struct hub_tz *z)
{
	size_t cap = 0;
	int64_t t = 0;
	int32_t cur = glibc_off(0);

	if (push(z, &cap, 0, cur) != 0)
		return -1;
	while (t < TZ_TABLE_END_S) {
		int64_t next = t + TZ_DAY_S, lo = t, hi = next;
		int32_t o;

		if ((int64_t)(time_t)next != next)
			break;   /* 32-bit time_t: later times keep the last offset */
		o = glibc_off(next);

		if (o != cur) {
			/* first second in (lo, hi] with the new offset */
			while (hi - lo > 1) {
				int64_t mid = lo + (hi - lo) / 2;

				if (glibc_off(mid) == cur)
					lo = mid;
				else
					hi = mid;
			}
			cur = glibc_off(hi);
			if (push(z, &cap, hi, cur) != 0)
				return -1;
		}
		t = next;
	}
	return 0;
}

/* With tz_lock held: a new zone table, TZ restored after. NULL on failure.
 * Code outside the hub that sets TZ under its own lock (it should not
 * exist; see hubtz.h) is detected by TZ no longer holding our value after
 * the scan: the table is then rebuilt and TZ left as the other code set it. */
static struct hub_tz *zone_load(const char *name)
{
	struct hub_tz *z = NULL;
	char saved[TZ_ENV_MAX], val[TZ_ENV_MAX];
	const char *old = getenv("TZ");
	int n, ok = 0;

	/* An unset TZ is kept as its equivalent ":/etc/localtime" so that later
	 * loads only replace the value (no realloc of environ under other
	 * threads' getenv). */
	n = snprintf(saved, sizeof(saved), "%s", old != NULL ? old : TZ_UNSET_VALUE);
	if (n < 0 || (size_t)n >= sizeof(saved))
		return NULL;
	n = snprintf(val, sizeof(val), ":%s", name);
	if (n < 0 || (size_t)n >= sizeof(val))
		return NULL;
	z = calloc(1, sizeof(*z));
	if (z == NULL)
		return NULL;
	memcpy(z->name, name, strlen(name) + 1);   /* pr_tz_name_ok: < PR_TZ_MAX */
	for (int tries = 0; tries < TZ_LOAD_TRIES && !ok; tries++) {
		const char *now;

		z->n = 0;
		if (setenv("TZ", val, 1) != 0)
			break;
		tzset();
		if (scan(z) != 0)
			break;
		now = getenv("TZ");
		if (now != NULL && strcmp(now, val) == 0) {
			setenv("TZ", saved, 1);
			tzset();
			ok = 1;
		}
	}
	if (!ok) {
		free(z->at);
		free(z->off);
		free(z);
		return NULL;
	}
	return z;
}

const struct hub_tz *hub_tz_get(const char *name)
{
	struct hub_tz *z = NULL;

	if (name == NULL || name[0] == '\0')
		name = HUB_TZ_ZONE_DEFAULT;
	if (!pr_tz_name_ok(name))
		return NULL;
	pthread_mutex_lock(&tz_lock);
	for (size_t i = 0; i < nzones; i++)
		if (strcmp(zones[i]->name, name) == 0) {
			z = zones[i];
			goto out;
		}
	if (nzones == HUB_TZ_ZONES_MAX || !pr_tz_file_ok(name))
		goto out;
	z = zone_load(name);
	if (z != NULL)
		zones[nzones++] = z;
out:
	pthread_mutex_unlock(&tz_lock);
	return z;
}

const char *hub_tz_name(const struct hub_tz *z)
{
	return z->name;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Offset at UTC seconds t. */
static long off_at(const struct hub_tz *z, int64_t t)
{
	size_t lo = 0, hi = z->n;

	if (t >= TZ_TABLE_END_S)
		t = TZ_CYCLE_START_S + (t - TZ_CYCLE_START_S) % TZ_CYCLE_S;
	/* the last i with at[i] <= t (at[0] = 0; earlier times use off[0]) */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (z->at[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return z->off[lo];
}

long hub_tz_offset(const struct hub_tz *z, int64_t ms)
{
	return off_at(z, floor_div(ms, 1000));
}

int hub_tz_local(const struct hub_tz *z, int64_t ms, struct tm *out)
{
	int64_t s = floor_div(ms, 1000);
	long off = off_at(z, s);
	time_t t = (time_t)(s + off);
	struct tm tm;

	if ((int64_t)t != s + off || gmtime_r(&t, &tm) == NULL || tm.tm_year + 1900 < 1 ||
	    tm.tm_year + 1900 > 9999)
		return -1;
	tm.tm_gmtoff = off;
	tm.tm_zone = NULL;
	tm.tm_isdst = -1;
	*out = tm;
	return 0;
}

int64_t hub_tz_day(const struct hub_tz *z, int64_t ms)
{
	int64_t s = floor_div(ms, 1000);

	return floor_div(s + off_at(z, s), TZ_DAY_S);
}

/* Civil date of a day number (days since 1970-01-01), proleptic Gregorian
 * (H. Hinnant's days_from_civil inverse). */
static void civil(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static char *put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

int hub_tz_fmt(int64_t s, char sep, char out[HUB_TZ_LOCAL_MAX])
{
	int64_t day = floor_div(s, TZ_DAY_S), sod = s - day * TZ_DAY_S, y;
	int m, d;
	char *p = out;

	civil(day, &y, &m, &d);
	out[0] = '\0';
	if (y < 1 || y > 9999)
		return -1;
	p = put2(p, (int)(y / 100));
	p = put2(p, (int)(y % 100));
	*p++ = '-';
	p = put2(p, m);
	*p++ = '-';
	p = put2(p, d);
	*p++ = sep;
	p = put2(p, (int)(sod / 3600));
	*p++ = ':';
	p = put2(p, (int)(sod / 60 % 60));
	*p++ = ':';
	p = put2(p, (int)(sod % 60));
	*p = '\0';
	return 0;
}

int hub_tz_sheet(const struct hub_tz *z, int64_t ms, char out[HUB_TZ_LOCAL_MAX])
{
	int64_t s = floor_div(ms, 1000);

	return hub_tz_fmt(s + off_at(z, s), ' ', out);
}

static void fmt_off(long off, char out[HUB_TZ_OFFSET_MAX])
{
	long a = off < 0 ? -off : off;
	char *p = out;

	/* |offset| < 24 h in every zone: 2 digits each */
	*p++ = off < 0 ? '-' : '+';
	p = put2(p, (int)(a / 3600 % 100));
	*p++ = ':';
	p = put2(p, (int)(a / 60 % 60));
	*p = '\0';
}

void hub_tz_offset_str(const struct hub_tz *z, int64_t ms, char out[HUB_TZ_OFFSET_MAX])
{
	fmt_off(hub_tz_offset(z, ms), out);
}

int hub_tz_iso(const struct hub_tz *z, int64_t ms, char out[HUB_TZ_LOCAL_MAX])
{
	int64_t s = floor_div(ms, 1000);
	long off = off_at(z, s);

	if (hub_tz_fmt(s + off, 'T', out) != 0)
		return -1;
	fmt_off(off, out + strlen(out));   /* 19 + 6 + NUL < HUB_TZ_LOCAL_MAX */
	return 0;
}

int hub_tz_from_naive(const struct hub_tz *z, int64_t naive, int64_t *ms)
{
	long offs[2];
	int64_t cand[2], best;
	size_t n = 0;

	/* Zones change offset at most once within a day either side of a wall
	 * time (true of every zone since 1970), so the offsets a day before and
	 * after are the only candidates. */
	offs[0] = off_at(z, naive - TZ_DAY_S);
	offs[1] = off_at(z, naive + TZ_DAY_S);
	for (size_t i = 0; i < 2; i++) {
		int64_t c = naive - offs[i];

		if (i == 1 && offs[1] == offs[0])
			break;
		if (off_at(z, c) == offs[i])
			cand[n++] = c;   /* c shows the asked wall time */
	}
	if (n == 0)
		best = naive - offs[0];   /* the gap: read with the offset before it */
	else if (n == 2)
		best = cand[0] < cand[1] ? cand[0] : cand[1];   /* overlap: the earlier */
	else
		best = cand[0];
	if (best > INT64_MAX / 1000 || best < INT64_MIN / 1000)
		return -1;
	*ms = (int64_t)best * 1000;
	return 0;
}

int hub_tz_day_start(const struct hub_tz *z, int64_t day, int64_t *ms)
{
	if (day > INT64_MAX / TZ_DAY_S || day < INT64_MIN / TZ_DAY_S)
		return -1;
	return hub_tz_from_naive(z, day * TZ_DAY_S, ms);
}
