/* ical.c — the iCalendar writer (ical.h): escaping, folding, CRLF, UTC
 * times. Must not: read the db or the clock. */
#include "hub/reports/ical.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ICAL_PRODID   "-//Presentie//presentie-hub//NL"
#define ICAL_TIME_STR 17   /* "YYYYMMDDTHHMMSSZ" + NUL */

static void put(struct hub_ical *ic, const char *s, size_t n)
{
	if (ic->failed)
		return;
	if (ic->len + n + 1 > HUB_ICAL_BYTES_MAX) {
		ic->failed = 1;
		return;
	}
	if (ic->len + n + 1 > ic->cap) {
		size_t cap = ic->cap ? ic->cap : 4096;
		char *b;

		while (cap < ic->len + n + 1)
			cap *= 2;
		b = realloc(ic->buf, cap);
		if (b == NULL) {
			ic->failed = 1;
			return;
		}
		ic->buf = b;
		ic->cap = cap;
	}
	memcpy(ic->buf + ic->len, s, n);
	ic->len += n;
	ic->buf[ic->len] = '\0';
}

/* Octets of the UTF-8 sequence that starts with lead byte c (1 for a
 * stray continuation byte, so folding always moves on). */
static size_t seq_len(unsigned char c)
{
	if (c >= 0xf0 && c < 0xf8)
		return 4;
	if (c >= 0xe0)
		return c < 0xf0 ? 3 : 1;
	if (c >= 0xc0)
		return 2;
	return 1;
}

/* Append line (n octets, no CRLF) folded: at most HUB_ICAL_LINE_OCTETS
 * octets per physical line, continuation lines start with one space; an
 * escape pair ("\\,") and a UTF-8 sequence are never split (allowed, but
 * some readers unescape before they unfold). */
static void fold(struct hub_ical *ic, const char *line, size_t n)
{
	size_t i = 0, room = HUB_ICAL_LINE_OCTETS;

	while (i < n) {
		size_t take = 0;

		while (i + take < n) {
			size_t k = line[i + take] == '\\' ? 2 : seq_len((unsigned char)line[i + take]);

			if (i + take + k > n)
				k = n - i - take;
			if (take + k > room)
				break;
			take += k;
		}
		put(ic, line + i, take);
		i += take;
		put(ic, "\r\n", 2);
		if (i < n) {
			put(ic, " ", 1);
			room = HUB_ICAL_LINE_OCTETS - 1;
		}
	}
	if (n == 0)
		put(ic, "\r\n", 2);
}

void hub_ical_prop(struct hub_ical *ic, const char *name, const char *value, int text)
{
	struct hub_ical line = { 0 };

	put(&line, name, strlen(name));
	put(&line, ":", 1);
	for (const char *p = value ? value : ""; text && *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '\\' || c == ';' || c == ',') {
			put(&line, "\\", 1);
			put(&line, p, 1);
		} else if (c == '\n') {
			put(&line, "\\n", 2);
		} else if (c == '\r') {
			if (p[1] != '\n')
				put(&line, "\\n", 2);
		} else if ((c < 0x20 && c != '\t') || c == 0x7f) {
			continue;   /* not allowed in TEXT (RFC 5545 3.3.11) */
		} else {
			put(&line, p, 1);
		}
	}
	if (!text && value != NULL)
		put(&line, value, strlen(value));
	if (line.failed)
		ic->failed = 1;
	else
		fold(ic, line.buf, line.len);
	free(line.buf);
}

static void utc(int64_t ms, char out[ICAL_TIME_STR])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(out, ICAL_TIME_STR, "%Y%m%dT%H%M%SZ", &tm) == 0)
		snprintf(out, ICAL_TIME_STR, "19700101T000000Z");
}

void hub_ical_begin(struct hub_ical *ic, const char *name)
{
	memset(ic, 0, sizeof(*ic));
	hub_ical_prop(ic, "BEGIN", "VCALENDAR", 0);
	hub_ical_prop(ic, "VERSION", "2.0", 0);
	hub_ical_prop(ic, "PRODID", ICAL_PRODID, 0);
	hub_ical_prop(ic, "CALSCALE", "GREGORIAN", 0);
	hub_ical_prop(ic, "METHOD", "PUBLISH", 0);
	hub_ical_prop(ic, "X-WR-CALNAME", name, 1);
}

void hub_ical_event(struct hub_ical *ic, const struct hub_ical_event *ev)
{
	char t[ICAL_TIME_STR];

	hub_ical_prop(ic, "BEGIN", "VEVENT", 0);
	hub_ical_prop(ic, "UID", ev->uid, 1);
	utc(ev->stamp_ms, t);
	hub_ical_prop(ic, "DTSTAMP", t, 0);
	utc(ev->start_ms, t);
	hub_ical_prop(ic, "DTSTART", t, 0);
	utc(ev->end_ms, t);
	hub_ical_prop(ic, "DTEND", t, 0);
	hub_ical_prop(ic, "SUMMARY", ev->summary, 1);
	if (ev->location != NULL && ev->location[0] != '\0')
		hub_ical_prop(ic, "LOCATION", ev->location, 1);
	if (ev->description != NULL && ev->description[0] != '\0')
		hub_ical_prop(ic, "DESCRIPTION", ev->description, 1);
	hub_ical_prop(ic, "STATUS", ev->cancelled ? "CANCELLED" : "CONFIRMED", 0);
	hub_ical_prop(ic, "END", "VEVENT", 0);
}

int hub_ical_end(struct hub_ical *ic)
{
	hub_ical_prop(ic, "END", "VCALENDAR", 0);
	if (ic->failed || ic->buf == NULL) {
		hub_ical_free(ic);
		return -1;
	}
	return 0;
}

void hub_ical_free(struct hub_ical *ic)
{
	free(ic->buf);
	ic->buf = NULL;
	ic->len = ic->cap = 0;
}
