/* test_csv.c — the strict CSV reader (csv.h): both separators, BOM, CRLF,
 * quoting, line numbers, every malformed-input error and resynchronisation,
 * and every line of the Big List of Naughty Strings as a field value
 * (tests/data/blns.txt), quoted and, where legal, unquoted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csv.h"

static FILE *mem(const char *s, size_t n)
{
	FILE *fp = tmpfile();

	assert_non_null(fp);
	assert_int_equal(fwrite(s, 1, n, fp), n);
	rewind(fp);
	return fp;
}
#define MEM(lit) mem(lit, sizeof(lit) - 1)

static void test_semicolon_bom_crlf(void **state)
{
	char err[256];
	FILE *fp = MEM("\xef\xbb\xbfid;Name;lang\r\np1;Fatima E.;ar\r\n\r\np2;\"Daan; V.\";nl\r\n");
	struct csv *c = csv_open(fp, "people.csv", err, sizeof err);

	(void)state;
	assert_non_null(c);
	assert_int_equal(csv_next(c, err, sizeof err), 1);
	assert_string_equal(csv_get(c, "id"), "p1");
	assert_string_equal(csv_get(c, "name"), "Fatima E.");   /* case-insensitive */
	assert_string_equal(csv_get(c, "LANG"), "ar");
	assert_null(csv_get(c, "email"));
	assert_int_equal(csv_line(c), 2);
	assert_int_equal(csv_next(c, err, sizeof err), 1);       /* blank line skipped */
	assert_string_equal(csv_get(c, "Name"), "Daan; V.");
	assert_int_equal(csv_line(c), 4);
	assert_int_equal(csv_next(c, err, sizeof err), 0);
	assert_int_equal(csv_next(c, err, sizeof err), 0);
	csv_close(c);
	fclose(fp);
}

static void test_comma_quotes(void **state)
{
	char err[256];
	FILE *fp = MEM("a,b,c\n\"x,1\",\"say \"\"hi\"\"\",\"two\nlines\"\nlast,,\n4,5");
	struct csv *c = csv_open(fp, "t.csv", err, sizeof err);

	(void)state;
	assert_non_null(c);
	assert_int_equal(csv_next(c, err, sizeof err), 1);
	assert_string_equal(csv_get(c, "a"), "x,1");
	assert_string_equal(csv_get(c, "b"), "say \"hi\"");
	assert_string_equal(csv_get(c, "c"), "two\nlines");
	assert_int_equal(csv_line(c), 2);
	assert_int_equal(csv_next(c, err, sizeof err), 1);
	assert_int_equal(csv_line(c), 4);                         /* after the 2-line field */
	assert_string_equal(csv_get(c, "a"), "last");
	assert_string_equal(csv_get(c, "b"), "");
	assert_string_equal(csv_get(c, "c"), "");
	assert_int_equal(csv_next(c, err, sizeof err), 1);        /* no final newline, short */
	assert_string_equal(csv_get(c, "a"), "4");
	assert_string_equal(csv_get(c, "b"), "5");
	assert_string_equal(csv_get(c, "c"), "");
	assert_int_equal(csv_next(c, err, sizeof err), 0);
	csv_close(c);
	fclose(fp);
}

static void test_more_semicolons_than_commas(void **state)
{
	char err[256];
	FILE *fp = MEM("\"a,b\";c\n1,5;2\n");
	struct csv *c = csv_open(fp, "t.csv", err, sizeof err);

	(void)state;
	assert_non_null(c);
	assert_int_equal(csv_next(c, err, sizeof err), 1);
	assert_string_equal(csv_get(c, "a,b"), "1,5");
	assert_string_equal(csv_get(c, "c"), "2");
	csv_close(c);
	fclose(fp);
}

/* One malformed record between two good ones: the error names its line and
 * the reader resumes at the next line. */
static void expect_error(const char *body, size_t n, const char *needle, long good_line)
{
	char err[256];
	FILE *fp = mem(body, n);
	struct csv *c = csv_open(fp, "x.csv", err, sizeof err);

	assert_non_null(c);
	assert_int_equal(csv_next(c, err, sizeof err), 1);
	assert_string_equal(csv_get(c, "a"), "1");
	assert_int_equal(csv_next(c, err, sizeof err), -1);
	if (strstr(err, needle) == NULL)
		fail_msg("error '%s' lacks '%s'", err, needle);
	if (strstr(err, "x.csv line 3") == NULL)
		fail_msg("error '%s' names the wrong line", err);
	if (good_line > 0) {
		assert_int_equal(csv_next(c, err, sizeof err), 1);
		assert_string_equal(csv_get(c, "a"), "ok");
		assert_int_equal(csv_line(c), good_line);
	}
	csv_close(c);
	fclose(fp);
}
#define EXPECT_ERROR(lit, needle, good) expect_error(lit, sizeof(lit) - 1, needle, good)

static void test_malformed(void **state)
{
	char big[PR_CSV_LINE_MAX + 64];
	size_t n;

	(void)state;
	EXPECT_ERROR("a;b\n1;2\nx\"y;2\nok;1\n", "quote inside an unquoted", 4);
	EXPECT_ERROR("a;b\n1;2\n\"x\"y;2\nok;1\n", "after a closing quote", 4);
	EXPECT_ERROR("a;b\n1;2\nx;2;3\nok;1\n", "3 fields, but the header has 2", 4);
	EXPECT_ERROR("a;b\n1;2\nx\0y;2\nok;1\n", "NUL byte", 4);
	EXPECT_ERROR("a;b\n1;2\n\xff\xfe;2\nok;1\n", "not valid UTF-8", 4);
	EXPECT_ERROR("a;b\n1;2\n\xc0\xaf;2\nok;1\n", "not valid UTF-8", 4);      /* overlong '/' */
	EXPECT_ERROR("a;b\n1;2\n\xed\xa0\x80;2\nok;1\n", "not valid UTF-8", 4);  /* surrogate */
	EXPECT_ERROR("a;b\n1;2\nx\xe2\x82;2\nok;1\n", "not valid UTF-8", 4);     /* truncated */
	EXPECT_ERROR("a;b\n1;2\nx\ry;2\nok;1\n", "carriage return", 4);
	EXPECT_ERROR("a;b\n1;2\n\"never closed;2\nok;1\n", "quote opened on line 3", 0);
	EXPECT_ERROR("a;b\n1;2\n1;2;3;4;5;6;7;8;9;10;11;12;13;14;15;16;17;18;19;20;"
	    "21;22;23;24;25;26;27;28;29;30;31;32;33\nok;1\n", "more than 32 fields", 4);

	n = (size_t)snprintf(big, sizeof big, "a;b\n1;2\n");
	memset(big + n, 'x', PR_CSV_LINE_MAX + 10);
	n += PR_CSV_LINE_MAX + 10;
	memcpy(big + n, "\nok;1\n", sizeof "\nok;1\n");   /* with its NUL */
	n += sizeof "\nok;1\n" - 1;
	expect_error(big, n, "longer than 4096", 4);
}

static void test_bad_headers(void **state)
{
	static const struct { const char *body; const char *needle; } cases[] = {
		{ "", "empty" },
		{ "a;A\n", "appears twice" },
		{ "a;;b\n", "no usable name" },
		{ "\"a\nb\";c\n", "no usable name" },
		{ "\"unterminated;b\n", "never closed" },
	};
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		FILE *fp = mem(cases[i].body, strlen(cases[i].body));
		struct csv *c = csv_open(fp, "h.csv", err, sizeof err);

		assert_null(c);
		if (strstr(err, cases[i].needle) == NULL || strstr(err, "h.csv line") == NULL)
			fail_msg("case %zu: '%s'", i, err);
		fclose(fp);
	}
}

static void test_utf8_ok(void **state)
{
	(void)state;
	assert_true(csv_utf8_ok("Fatima E."));
	assert_true(csv_utf8_ok("فاطمة"));
	assert_true(csv_utf8_ok("Öztürk\tx"));
	assert_true(csv_utf8_ok(""));
	assert_false(csv_utf8_ok("a\nb"));
	assert_false(csv_utf8_ok("a\x7f"));
	assert_false(csv_utf8_ok("\xc2\x85"));          /* C1 NEL */
	assert_false(csv_utf8_ok("\xf4\x90\x80\x80"));  /* > U+10FFFF */
	assert_false(csv_utf8_ok(NULL));
}

/* Quote a value RFC 4180 style. Returns bytes written. */
static size_t quote(const char *v, char *out)
{
	size_t o = 0;

	out[o++] = '"';
	for (; *v; v++) {
		if (*v == '"')
			out[o++] = '"';
		out[o++] = *v;
	}
	out[o++] = '"';
	return o;
}

static void test_naughty_strings(void **state)
{
	static char line[8192], row[20000];
	FILE *blns = fopen("tests/data/blns.txt", "rb");
	int tested = 0, unquoted = 0;

	(void)state;
	assert_non_null(blns);
	while (fgets(line, sizeof line, blns) != NULL) {
		char err[256];
		size_t n = strlen(line), r;
		FILE *fp;
		struct csv *c;

		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		(void)csv_utf8_ok(line);
		/* quoted: must come back byte for byte */
		r = (size_t)snprintf(row, sizeof row, "id;name\n1;");
		r += quote(line, row + r);
		row[r++] = '\n';
		fp = mem(row, r);
		c = csv_open(fp, "blns.csv", err, sizeof err);
		assert_non_null(c);
		assert_int_equal(csv_next(c, err, sizeof err), 1);
		assert_string_equal(csv_get(c, "name"), line);
		assert_string_equal(csv_get(c, "id"), "1");
		assert_int_equal(csv_next(c, err, sizeof err), 0);
		csv_close(c);
		fclose(fp);
		tested++;
		/* unquoted, where the string needs no quoting: same */
		if (strpbrk(line, "\";\r\n") == NULL) {
			r = (size_t)snprintf(row, sizeof row, "id;name\n1;%s\n", line);
			fp = mem(row, r);
			c = csv_open(fp, "blns.csv", err, sizeof err);
			assert_non_null(c);
			assert_int_equal(csv_next(c, err, sizeof err), 1);
			assert_string_equal(csv_get(c, "name"), line);
			csv_close(c);
			fclose(fp);
			unquoted++;
		}
	}
	fclose(blns);
	assert_true(tested > 400);
	print_message("%d naughty strings quoted, %d unquoted\n", tested, unquoted);
	assert_true(unquoted > 250);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_semicolon_bom_crlf),
		cmocka_unit_test(test_comma_quotes),
		cmocka_unit_test(test_more_semicolons_than_commas),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_utf8_ok),
		cmocka_unit_test(test_naughty_strings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
