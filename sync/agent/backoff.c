/* backoff.c — exponential backoff with full jitter, and Retry-After parsing.
 * Owns: the arithmetic of "how long to wait"; the HTTP-date grammar of
 * RFC 9110 §5.6.7, parsed strictly by hand (strptime is locale-dependent and
 * lenient about widths). Must not: sleep, read clocks or do I/O. */
#include "backoff.h"

#include <sodium.h>
#include <string.h>

#include "civil.h"

int64_t agent_backoff_ceiling_ms(unsigned failures)
{
	int64_t ceil = AGENT_BACKOFF_BASE_MS;
	unsigned i;

	if (failures == 0)
		failures = 1;
	for (i = 0; i < failures && ceil < AGENT_BACKOFF_CAP_MS; i++)
		ceil *= 2;
	return ceil > AGENT_BACKOFF_CAP_MS ? AGENT_BACKOFF_CAP_MS : ceil;
}

int64_t agent_backoff_delay_ms(unsigned failures)
{
	int64_t ceil = agent_backoff_ceiling_ms(failures);
	int64_t span = ceil - AGENT_BACKOFF_BASE_MS;

	if (sodium_init() < 0)
		return -1;
	/* randombytes_uniform(n) is uniform in [0, n), without modulo bias. */
	return AGENT_BACKOFF_BASE_MS + (int64_t)randombytes_uniform((uint32_t)span + 1);
}

/* --- HTTP-date ------------------------------------------------------------ */

static const char *const k_days[7] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char *const k_days_long[7] = { "Sunday", "Monday", "Tuesday",
	"Wednesday", "Thursday", "Friday", "Saturday" };
static const char *const k_months[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* Read exactly n digits at *p; advance. Returns the value or -1. */
static int digits(const char **p, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*p += n;
	return v;
}

static int lit(const char **p, const char *s)
{
	size_t n = strlen(s);

	if (strncmp(*p, s, n) != 0)
		return -1;
	*p += n;
	return 0;
}

static int word(const char **p, const char *const *table, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (lit(p, table[i]) == 0)
			return i;
	return -1;
}

/* "HH:MM:SS" */
static int hms(const char **p, int *h, int *m, int *s)
{
	*h = digits(p, 2);
	if (*h < 0 || lit(p, ":") < 0)
		return -1;
	*m = digits(p, 2);
	if (*m < 0 || lit(p, ":") < 0)
		return -1;
	*s = digits(p, 2);
	if (*s < 0 || *h > 23 || *m > 59 || *s > 60)
		return -1;
	return 0;
}

static int month_days(int y, int m)
{
	static const int k[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return k[m] + (m == 1 && leap);
}

/* Parse one of the three HTTP-date forms covering all of s. Returns 0/-1. */
static int http_date(const char *s, int64_t *unix_s)
{
	const char *p = s;
	int y = -1, mon = -1, d = -1, h, mi, sec;

	if (word(&p, k_days_long, 7) >= 0) {            /* RFC 850 */
		if (lit(&p, ", ") < 0 || (d = digits(&p, 2)) < 0 || lit(&p, "-") < 0 ||
		    (mon = word(&p, k_months, 12)) < 0 || lit(&p, "-") < 0 ||
		    (y = digits(&p, 2)) < 0 || lit(&p, " ") < 0 ||
		    hms(&p, &h, &mi, &sec) < 0 || lit(&p, " GMT") < 0)
			return -1;
		y += y < 70 ? 2000 : 1900;
	} else if (word(&p, k_days, 7) >= 0) {
		if (*p == ',') {                             /* IMF-fixdate */
			if (lit(&p, ", ") < 0 || (d = digits(&p, 2)) < 0 || lit(&p, " ") < 0 ||
			    (mon = word(&p, k_months, 12)) < 0 || lit(&p, " ") < 0 ||
			    (y = digits(&p, 4)) < 0 || lit(&p, " ") < 0 ||
			    hms(&p, &h, &mi, &sec) < 0 || lit(&p, " GMT") < 0)
				return -1;
		} else {                                     /* asctime */
			if (lit(&p, " ") < 0 || (mon = word(&p, k_months, 12)) < 0 ||
			    lit(&p, " ") < 0)
				return -1;
			if (*p == ' ') {
				p++;
				d = digits(&p, 1);
			} else {
				d = digits(&p, 2);
			}
			if (d < 0 || lit(&p, " ") < 0 || hms(&p, &h, &mi, &sec) < 0 ||
			    lit(&p, " ") < 0 || (y = digits(&p, 4)) < 0)
				return -1;
		}
	} else {
		return -1;
	}
	if (*p != '\0' || d < 1 || d > month_days(y, mon))
		return -1;
	*unix_s = pr_days_from_civil(y, mon + 1, d) * 86400 + h * 3600 + mi * 60 + sec;
	return 0;
}

int agent_retry_after_parse(const char *value, int64_t now_s, int64_t *delay_s)
{
	char buf[AGENT_RETRY_AFTER_LEN_MAX];
	size_t n, b = 0, e;
	int64_t v = 0, at;

	if (value == NULL)
		return -1;
	n = strnlen(value, sizeof(buf));
	if (n >= sizeof(buf))
		return -1;
	e = n;
	while (b < e && (value[b] == ' ' || value[b] == '\t'))
		b++;
	while (e > b && (value[e - 1] == ' ' || value[e - 1] == '\t'))
		e--;
	if (b == e)
		return -1;
	memcpy(buf, value + b, e - b);
	buf[e - b] = '\0';

	if (buf[0] >= '0' && buf[0] <= '9') {            /* delta-seconds */
		const char *p;
		for (p = buf; *p; p++) {
			if (*p < '0' || *p > '9')
				return -1;
			if (v <= AGENT_RETRY_AFTER_MAX_S)       /* stop growing, keep checking */
				v = v * 10 + (*p - '0');
		}
	} else {
		if (http_date(buf, &at) < 0)
			return -1;
		v = at - now_s;
		if (v < 0)
			v = 0;
	}
	*delay_s = v > AGENT_RETRY_AFTER_MAX_S ? AGENT_RETRY_AFTER_MAX_S : v;
	return 0;
}
