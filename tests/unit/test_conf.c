/* test_conf.c — the `key = value` reader (conf.h): typed values, comments,
 * quotes, bounds, line-numbered errors for unknown/repeated keys and bad
 * values, overlong lines, NUL bytes, a missing file; and the logger's level
 * parsing and credential tag (log.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "conf.h"
#include "log.h"

struct vals {
	int64_t early;
	int all;
	char db[64];
	struct conf_item items[3];
};

static void vals_init(struct vals *v)
{
	memset(v, 0, sizeof *v);
	v->early = 1800;
	snprintf(v->db, sizeof v->db, "default.db");
	v->items[0] = (struct conf_item){ "early_s", CONF_INT, &v->early, 0, 0, 7200, 0 };
	v->items[1] = (struct conf_item){ "checkout_all", CONF_BOOL, &v->all, 0, 0, 0, 0 };
	v->items[2] = (struct conf_item){ "db", CONF_STR, v->db, sizeof v->db, 0, 0, 0 };
}

static int load(struct vals *v, const char *text, size_t n, char *err, size_t errlen)
{
	FILE *fp = tmpfile();
	int rc;

	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, n, fp), n);
	rewind(fp);
	rc = conf_load_fp(fp, "kiosk.conf", v->items, 3, err, errlen);
	fclose(fp);
	return rc;
}
#define LOAD(v, lit, err) load(v, lit, sizeof(lit) - 1, err, sizeof(err))

static void test_good(void **state)
{
	struct vals v;
	char err[256];

	(void)state;
	vals_init(&v);
	assert_int_equal(LOAD(&v, "# kiosk\n\n  early_s = 900\r\ncheckout_all=Yes\n"
	    "db = \" /var/lib/presentie/kiosk.db \"\n", err), 0);
	assert_int_equal(v.early, 900);
	assert_int_equal(v.all, 1);
	assert_string_equal(v.db, " /var/lib/presentie/kiosk.db ");
	assert_int_equal(v.items[0].seen, 1);

	vals_init(&v);
	assert_int_equal(LOAD(&v, "checkout_all = off", err), 0);   /* no final newline */
	assert_int_equal(v.all, 0);
	assert_int_equal(v.early, 1800);                              /* default kept */
	assert_int_equal(v.items[0].seen, 0);
}

static void test_errors(void **state)
{
	static const struct { const char *text; const char *needle; } cases[] = {
		{ "early_s = 900\ncolour = red\n", "kiosk.conf line 2: unknown key 'colour'" },
		{ "\n\nearly_s = 9000\n", "line 3: 'early_s' must be a whole number from 0 to 7200" },
		{ "early_s = -1\n", "line 1: 'early_s' must be" },
		{ "early_s = 12abc\n", "must be a whole number" },
		{ "early_s = 0x10\n", "must be a whole number" },
		{ "early_s = \n", "must be a whole number" },
		{ "early_s = 1 2\n", "must be a whole number" },
		{ "early_s = 99999999999999999999999\n", "must be a whole number" },
		{ "checkout_all = maybe\n", "'checkout_all' must be yes or no" },
		{ "early_s = 1\nearly_s = 2\n", "line 2: 'early_s' is set twice" },
		{ "just words\n", "line 1: expected 'key = value'" },
		{ " = 5\n", "missing key" },
		{ "db = \"open\n", "unterminated quote" },
		{ "db = \"a\"b\"\n", "quote inside" },
		{ "db = 0123456789012345678901234567890123456789012345678901234567890123456789\n",
		  "longer than 63 bytes" },
		{ "db = a\x01" "b\n", "not valid UTF-8" },
		{ "db = \xff\n", "not valid UTF-8" },
	};
	struct vals v;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		vals_init(&v);
		assert_int_equal(load(&v, cases[i].text, strlen(cases[i].text), err, sizeof err), -1);
		if (strstr(err, cases[i].needle) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, err, cases[i].needle);
	}
	vals_init(&v);
	assert_int_equal(LOAD(&v, "db = a\0b\n", err), -1);
	assert_non_null(strstr(err, "NUL"));
}

static void test_long_line(void **state)
{
	static char text[PR_CONF_LINE_MAX + 100];
	struct vals v;
	char err[256];
	size_t n;

	(void)state;
	n = (size_t)snprintf(text, sizeof text, "early_s = 5\n# ");
	memset(text + n, 'x', PR_CONF_LINE_MAX);
	n += PR_CONF_LINE_MAX;
	text[n++] = '\n';
	vals_init(&v);
	assert_int_equal(load(&v, text, n, err, sizeof err), -1);
	assert_non_null(strstr(err, "line 2: line longer than 1024"));
}

static void test_missing_file(void **state)
{
	struct vals v;
	char err[256];

	(void)state;
	vals_init(&v);
	assert_int_equal(conf_load("/nonexistent/presentie/kiosk.conf", v.items, 3,
	    err, sizeof err), 1);
	assert_non_null(strstr(err, "No such file"));
	assert_int_equal(v.early, 1800);
}

static void test_parse_int(void **state)
{
	int64_t out = 7;

	(void)state;
	assert_int_equal(conf_parse_int("-5", -10, 10, &out), 0);
	assert_int_equal(out, -5);
	assert_int_equal(conf_parse_int("+5", -10, 10, &out), -1);
	assert_int_equal(conf_parse_int(" 5", -10, 10, &out), -1);
	assert_int_equal(conf_parse_int("11", -10, 10, &out), -1);
	assert_int_equal(conf_parse_int("-", -10, 10, &out), -1);
	assert_int_equal(conf_parse_int("9223372036854775807", 0, INT64_MAX, &out), 0);
	assert_int_equal(out, INT64_MAX);
	assert_int_equal(conf_parse_int("9223372036854775808", 0, INT64_MAX, &out), -1);
	assert_int_equal(out, INT64_MAX);
}

static void test_log(void **state)
{
	enum log_level l = LOG_LVL_ERROR;
	uint8_t mac[PR_MAC_BYTES];
	char tag[LOG_TAG_MAX];

	(void)state;
	assert_int_equal(log_level_parse("DEBUG", &l), 0);
	assert_int_equal(l, LOG_LVL_DEBUG);
	assert_int_equal(log_level_parse("loud", &l), -1);
	for (int i = 0; i < PR_MAC_BYTES; i++)
		mac[i] = (uint8_t)(0xa0 + i);
	log_mac_tag(mac, tag);
	assert_string_equal(tag, "mac:a0a1a2a3");
	log_init("test_conf", LOG_LVL_INFO);
	log_info("a line from the test, %s", tag);
	log_debug("this one is below the threshold and not printed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_parse_int),
		cmocka_unit_test(test_log),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
