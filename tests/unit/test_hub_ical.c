/* test_hub_ical.c — the iCalendar writer (hub/reports/ical.h): CRLF,
 * folding at 75 octets without splitting UTF-8, escaping of \ ; , and
 * newlines, dropped control characters, UTC times, STATUS:CANCELLED, and
 * every line of the Big List of Naughty Strings surviving unfold+unescape. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hub/reports/ical.h"

#define LINE_MAX_TEST 8192

/* Check the physical lines of buf: each ends in CRLF, none longer than 75
 * octets, none splits a UTF-8 sequence at its start. */
static void check_lines(const char *buf, size_t len)
{
	size_t i = 0;

	while (i < len) {
		const char *crlf = strstr(buf + i, "\r\n");
		size_t n;

		assert_non_null(crlf);
		n = (size_t)(crlf - (buf + i));
		assert_true(n <= HUB_ICAL_LINE_OCTETS);
		assert_null(memchr(buf + i, '\n', n));
		if (buf[i] == ' ' && n > 1)   /* a continuation never starts mid-sequence */
			assert_false(((unsigned char)buf[i + 1] & 0xc0) == 0x80);
		i += n + 2;
	}
}

/* Unfold and unescape the value of property name in buf into out. */
static void value_of(const char *buf, const char *name, char *out, size_t outlen)
{
	char key[64];
	const char *p;
	size_t o = 0;

	snprintf(key, sizeof key, "\r\n%s:", name);
	char raw[LINE_MAX_TEST];
	size_t r = 0;

	p = strstr(buf, key);
	assert_non_null(p);
	p += strlen(key);
	while (*p != '\0' && r + 1 < sizeof raw) {   /* unfold first (RFC 5545 3.1) */
		if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
			p += 3;
			continue;
		}
		if (p[0] == '\r' && p[1] == '\n')
			break;
		raw[r++] = *p++;
	}
	raw[r] = '\0';
	p = raw;
	while (*p != '\0' && o + 1 < outlen) {
		if (p[0] == '\\' && p[1] != '\0') {
			if (p[1] == 'n' || p[1] == 'N')
				out[o++] = '\n';
			else
				out[o++] = p[1];
			p += 2;
			continue;
		}
		out[o++] = *p++;
	}
	out[o] = '\0';
}

static void test_escape_fold(void **state)
{
	struct hub_ical ic;
	char v[LINE_MAX_TEST];
	const char *title = "Catering; soep, brood \\ koffie\nTweede regel — ééééééééééééééééééééééééééééééé"
	    "ééééééééééééééééééééééééé 🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉";

	(void)state;
	hub_ical_begin(&ic, "Agenda");
	hub_ical_prop(&ic, "SUMMARY", title, 1);
	assert_int_equal(hub_ical_end(&ic), 0);
	assert_true(strncmp(ic.buf, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30) == 0);
	assert_non_null(strstr(ic.buf, "SUMMARY:Catering\\; soep\\, brood \\\\ koffie\\nTweede"));
	check_lines(ic.buf, ic.len);
	value_of(ic.buf, "SUMMARY", v, sizeof v);
	assert_string_equal(v, title);
	assert_true(ic.len >= 15 && strcmp(ic.buf + ic.len - 15, "END:VCALENDAR\r\n") == 0);
	hub_ical_free(&ic);
}

static void test_exactly_75(void **state)
{
	struct hub_ical ic;
	char v[200];

	(void)state;
	memset(v, 'a', 75 - 8);   /* "SUMMARY:" + 67 = 75 octets: no fold */
	v[75 - 8] = '\0';
	memset(&ic, 0, sizeof ic);
	hub_ical_prop(&ic, "SUMMARY", v, 1);
	assert_int_equal(ic.len, 77);
	hub_ical_free(&ic);
	v[75 - 8] = 'b';          /* 76: one fold, " b" on the next line */
	v[75 - 7] = '\0';
	hub_ical_prop(&ic, "SUMMARY", v, 1);
	assert_int_equal(ic.len, 77 + 4);
	assert_string_equal(ic.buf + 77, " b\r\n");
	hub_ical_free(&ic);
}

static void test_controls_and_event(void **state)
{
	struct hub_ical ic;
	struct hub_ical_event ev = { .uid = "a@presentie", .start_ms = 1774530000000LL,
		.end_ms = 1774537200000LL, .stamp_ms = 0, .summary = "x\001y\x7fz\r\nw",
		.location = "Buurthuis, zaal 2", .cancelled = 1 };
	char v[100];

	(void)state;
	hub_ical_begin(&ic, "A");
	hub_ical_event(&ic, &ev);
	assert_int_equal(hub_ical_end(&ic), 0);
	value_of(ic.buf, "SUMMARY", v, sizeof v);
	assert_string_equal(v, "xyz\nw");
	assert_non_null(strstr(ic.buf, "\r\nDTSTART:20260326T130000Z\r\n"));
	assert_non_null(strstr(ic.buf, "\r\nDTEND:20260326T150000Z\r\n"));
	assert_non_null(strstr(ic.buf, "\r\nDTSTAMP:19700101T000000Z\r\n"));
	assert_non_null(strstr(ic.buf, "\r\nLOCATION:Buurthuis\\, zaal 2\r\n"));
	assert_non_null(strstr(ic.buf, "\r\nSTATUS:CANCELLED\r\n"));
	check_lines(ic.buf, ic.len);
	hub_ical_free(&ic);
}

static void test_naughty(void **state)
{
	FILE *blns = fopen("tests/data/blns.txt", "rb");
	char line[LINE_MAX_TEST], want[LINE_MAX_TEST], got[LINE_MAX_TEST];
	int n = 0;

	(void)state;
	assert_non_null(blns);
	while (fgets(line, sizeof line, blns) != NULL) {
		struct hub_ical ic;
		size_t w = 0;

		line[strcspn(line, "\n")] = '\0';
		for (const char *p = line; *p != '\0'; p++)   /* what survives: no controls */
			if (!(((unsigned char)*p < 0x20 && *p != '\t') || *p == 0x7f))
				want[w++] = *p;
		want[w] = '\0';
		memset(&ic, 0, sizeof ic);
		hub_ical_prop(&ic, "X", "y", 0);
		hub_ical_prop(&ic, "SUMMARY", line, 1);
		assert_false(ic.failed);
		check_lines(ic.buf, ic.len);
		value_of(ic.buf, "SUMMARY", got, sizeof got);
		assert_string_equal(got, want);
		hub_ical_free(&ic);
		n++;
	}
	fclose(blns);
	assert_true(n > 500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_fold),
		cmocka_unit_test(test_exactly_75),
		cmocka_unit_test(test_controls_and_event),
		cmocka_unit_test(test_naughty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
