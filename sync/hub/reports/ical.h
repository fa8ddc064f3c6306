/* ical.h — an iCalendar (RFC 5545) writer: VCALENDAR with VEVENTs, times in
 * UTC ("Z", so DST is the reader's zone table's job), TEXT escaped (\ ; ,
 * newline), control characters dropped, lines folded at 75 octets without
 * splitting a UTF-8 sequence, CRLF line ends. Pure: no db, no clock.
 * Must not: decide which events a feed holds (api/api_ical.c does). */
#ifndef PRESENTIE_HUB_ICAL_H
#define PRESENTIE_HUB_ICAL_H

#include <stddef.h>
#include <stdint.h>

#define HUB_ICAL_LINE_OCTETS 75             /* RFC 5545 3.1, without the CRLF */
#define HUB_ICAL_BYTES_MAX   (4u << 20)      /* one feed, all of it */

struct hub_ical {
	char *buf;       /* malloc'd, NUL-terminated while ok */
	size_t len, cap;
	int failed;      /* out of memory or over HUB_ICAL_BYTES_MAX: every call is a no-op */
};

struct hub_ical_event {
	const char *uid;           /* unique and stable per event */
	int64_t start_ms, end_ms;  /* UTC */
	int64_t stamp_ms;          /* DTSTAMP */
	const char *summary;       /* plain text, escaped here */
	const char *location;      /* plain text or NULL */
	const char *description;   /* plain text or NULL */
	int cancelled;             /* STATUS:CANCELLED instead of CONFIRMED */
};

/* Start a calendar named name (X-WR-CALNAME) into ic (zeroed first). */
void hub_ical_begin(struct hub_ical *ic, const char *name);
/* Append one VEVENT. */
void hub_ical_event(struct hub_ical *ic, const struct hub_ical_event *ev);
/* Close the calendar. Returns 0, or -1 if any step failed (ic->buf is then
 * freed). On 0 the caller owns ic->buf (ic->len bytes). */
int hub_ical_end(struct hub_ical *ic);
/* Free what ic holds (after a failure path that did not call end). */
void hub_ical_free(struct hub_ical *ic);

/* Append the content line "name:value" (value escaped as TEXT when
 * text is 1, else verbatim), folded, with CRLF. Exposed for the unit test. */
void hub_ical_prop(struct hub_ical *ic, const char *name, const char *value, int text);

#endif
