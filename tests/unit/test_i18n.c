/* test_i18n.c — the kiosk's translations and their PO reader: every message
 * present and non-empty in every language with the same placeholders, the
 * lookup's fallbacks, the expansion without printf, and malformed and
 * naughty PO input (tests/data/blns.txt) handled without a crash.
 * Runs from the project root (tests/run.sh does). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

static struct i18n_catalog *load(const char *lang)
{
	struct i18n_catalog *c = NULL;
	char path[64], err[256];

	snprintf(path, sizeof(path), "assets/i18n/%s.po", lang);
	if (i18n_po_load(path, &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	return c;
}

/* Every msgid of any language is in every language, non-empty, with the
 * same placeholders; English is the msgid itself. */
static void test_complete(void **state)
{
	struct i18n_catalog *cat[I18N_LANGS];
	size_t i, j, k;
	(void)state;

	for (i = 0; i < I18N_LANGS; i++)
		cat[i] = load(i18n_langs[i].code);
	assert_true(i18n_catalog_count(cat[0]) >= 60);
	for (i = 0; i < I18N_LANGS; i++) {
		for (k = 0; k < i18n_catalog_count(cat[i]); k++) {
			const char *id = i18n_catalog_msgid(cat[i], k);
			char want[16], got[16];
			assert_int_equal(i18n_placeholders(id, want, sizeof(want)), 0);
			for (j = 0; j < I18N_LANGS; j++) {
				const char *s = i18n_catalog_find(cat[j], id);
				if (!s)
					fail_msg("[%s] missing \"%s\"", i18n_langs[j].code, id);
				assert_true(s[0] != '\0');
				assert_int_equal(i18n_placeholders(s, got, sizeof(got)), 0);
				if (strcmp(want, got) != 0)
					fail_msg("[%s] \"%s\": placeholders %s, not %s",
					    i18n_langs[j].code, id, got, want);
			}
		}
	}
	for (k = 0; k < i18n_catalog_count(cat[1]); k++)
		assert_string_equal(i18n_catalog_msgid(cat[1], k),
		    i18n_catalog_msgstr(cat[1], k));
	/* Dutch really is Dutch, Arabic really is Arabic */
	assert_string_equal(i18n_catalog_find(cat[0], "Hold your card here"),
	    "Houd je pas hier");
	assert_true((unsigned char)i18n_catalog_find(cat[2], "Back")[0] == 0xD8);
	for (i = 0; i < I18N_LANGS; i++)
		i18n_catalog_free(cat[i]);
}

static void test_lookup(void **state)
{
	struct i18n *t = NULL;
	char err[256];
	(void)state;

	assert_int_equal(i18n_load("assets/i18n", &t, err, sizeof(err)), 0);
	assert_string_equal(i18n_get(t, "nl", "Back"), "Terug");
	assert_string_equal(i18n_get(t, "tr", "Back"), "Geri");
	assert_string_equal(i18n_get(t, "en", "Back"), "Back");
	assert_string_equal(i18n_get(t, "xx", "Back"), "Terug");   /* unknown: Dutch */
	assert_string_equal(i18n_get(t, NULL, "Back"), "Terug");
	assert_string_equal(i18n_get(t, "nl", "no such message"), "no such message");
	assert_true(i18n_is_rtl("ar"));
	assert_false(i18n_is_rtl("nl"));
	assert_false(i18n_is_rtl("x"));
	assert_int_equal(i18n_lang_index("tr"), 3);
	assert_int_equal(i18n_lang_index("turkish"), -1);
	i18n_free(t);
	assert_int_equal(i18n_load("no/such/dir", &t, err, sizeof(err)), -1);
	assert_null(t);
	assert_non_null(strstr(err, "nl.po"));
}

static void test_format(void **state)
{
	const char *args[2] = { "Fatima", "13:52" };
	char out[64], small[8];
	(void)state;

	assert_int_equal(i18n_format(out, sizeof(out), "%s at %s", args, 2), 0);
	assert_string_equal(out, "Fatima at 13:52");
	assert_int_equal(i18n_format(out, sizeof(out), "%s %s %s", args, 2), 0);
	assert_string_equal(out, "Fatima 13:52 ");       /* missing arg: "" */
	assert_int_equal(i18n_format(out, sizeof(out), "100%% %d %n %", args, 2), 0);
	assert_string_equal(out, "100% %d %n %");        /* never interpreted */
	/* truncation keeps whole UTF-8 characters */
	assert_int_equal(i18n_format(small, sizeof(small), "\xC3\xBC\xC3\xBC\xC3\xBC\xC3\xBC",
	    NULL, 0), 1);
	assert_string_equal(small, "\xC3\xBC\xC3\xBC\xC3\xBC");
	assert_int_equal(i18n_placeholders("%s and %s", out, sizeof(out)), 0);
	assert_string_equal(out, "ss");
	assert_int_equal(i18n_placeholders("%d", out, sizeof(out)), -1);
	assert_int_equal(i18n_placeholders("50%%", out, sizeof(out)), 0);
	assert_string_equal(out, "");
}

static int parse(const char *po, char *err, size_t errlen)
{
	struct i18n_catalog *c = NULL;
	int rc = i18n_po_parse(po, strlen(po), &c, err, errlen);

	if (rc == 0)
		assert_non_null(c);
	else
		assert_null(c);
	i18n_catalog_free(c);
	return rc;
}

static void test_po_forms(void **state)
{
	struct i18n_catalog *c = NULL;
	char err[256];
	const char *po =
	    "\xEF\xBB\xBF# comment\r\n"
	    "msgid \"\"\r\nmsgstr \"\"\r\n\"Language: nl\\n\"\r\n\r\n"
	    "#, fuzzy\nmsgid \"Fuzzy\"\nmsgstr \"Vaag\"\n\n"
	    "msgid \"Empty\"\nmsgstr \"\"\n\n"
	    "msgid \"Two\"\n\"lines\"\nmsgstr \"Twee\"\n\"regels \\\"a\\\\b\\\"\\n\"\n\n"
	    "#~ msgid \"Old\"\n#~ msgstr \"Oud\"\n";
	(void)state;

	assert_int_equal(i18n_po_parse(po, strlen(po), &c, err, sizeof(err)), 0);
	assert_int_equal(i18n_catalog_count(c), 1);           /* fuzzy, empty, header skipped */
	assert_string_equal(i18n_catalog_find(c, "Twolines"), "Tweeregels \"a\\b\"\n");
	assert_null(i18n_catalog_find(c, "Fuzzy"));
	assert_null(i18n_catalog_find(c, "Empty"));
	assert_null(i18n_catalog_msgid(c, 5));
	i18n_catalog_free(c);
}

static void test_po_malformed(void **state)
{
	static const char *const bad[] = {
		"msgid \"a\nmsgstr \"b\"\n",                 /* unterminated */
		"msgid \"a\"\nmsgstr \"b\\q\"\n",             /* unknown escape */
		"msgstr \"b\"\n",                             /* no msgid */
		"msgid \"a\"\n",                              /* no msgstr */
		"msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[0] \"b\"\n",
		"msgctxt \"x\"\nmsgid \"a\"\nmsgstr \"b\"\n",
		"msgid \"a\"\nmsgstr \"b\"\nmsgid \"a\"\nmsgstr \"c\"\n", /* duplicate */
		"msgid \"a\"\nmsgstr \"\xFF\"\n",             /* invalid UTF-8 */
		"msgid \"a\"\nmsgstr \"\xC0\xAF\"\n",         /* overlong UTF-8 */
		"msgid \"a\"\nmsgstr \"\xED\xA0\x80\"\n",     /* surrogate */
		"msgid \"a\" x\nmsgstr \"b\"\n",              /* text after quote */
		"msgid \"a\"\nmsgstr \"b\"\nnonsense\n",
		"\"stray\"\n",
		"msgid \"a\"\nmsgstr \"b\"\nmsgstr \"c\"\n",  /* two msgstr */
		"msgid \"a\"\nmsgstr \"b\tc\"\n",              /* raw control char */
	};
	char err[256], *big;
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (parse(bad[i], err, sizeof(err)) != -1)
			fail_msg("accepted bad PO #%zu", i);
		assert_true(err[0] != '\0');
	}
	/* "line N" names the place */
	parse("msgid \"a\"\nmsgstr \"b\"\n\nmsgid \"c\"\nmsgstr \"d\\z\"\n", err,
	    sizeof(err));
	assert_non_null(strstr(err, "line 5"));
	/* NUL byte */
	{
		struct i18n_catalog *c = NULL;
		const char nul[] = "msgid \"a\"\nmsgstr \"b\0\"\n";
		assert_int_equal(i18n_po_parse(nul, sizeof(nul) - 1, &c, err,
		    sizeof(err)), -1);
		assert_null(c);
	}
	/* a string over I18N_STR_MAX */
	big = malloc(I18N_STR_MAX * 2 + 64);
	assert_non_null(big);
	{
		static const char head[] = "msgid \"a\"\nmsgstr \"";
		size_t h = sizeof(head) - 1;
		memcpy(big, head, h);
		memset(big + h, 'x', I18N_STR_MAX);
		memcpy(big + h + I18N_STR_MAX, "\"\n", 3);
	}
	assert_int_equal(parse(big, err, sizeof(err)), -1);
	free(big);
	/* a file over I18N_FILE_MAX */
	{
		struct i18n_catalog *c = NULL;
		char *huge = calloc(1, I18N_FILE_MAX + 2);
		assert_non_null(huge);
		memset(huge, '#', I18N_FILE_MAX + 1);
		assert_int_equal(i18n_po_parse(huge, I18N_FILE_MAX + 1, &c, err,
		    sizeof(err)), -1);
		free(huge);
	}
}

/* Escape s as a PO string body; returns 0, or -1 if it has bytes a PO
 * string cannot carry (control characters other than \n and \t). */
static int po_escape(const char *s, char *out, size_t len)
{
	size_t n = 0;

	for (; *s; s++) {
		const char *e = NULL;
		char one[2] = { *s, '\0' };
		if (*s == '"') e = "\\\"";
		else if (*s == '\\') e = "\\\\";
		else if (*s == '\n') e = "\\n";
		else if (*s == '\t') e = "\\t";
		else if ((unsigned char)*s < 0x20) return -1;
		else e = one;
		if (n + strlen(e) + 1 > len)
			return -1;
		memcpy(out + n, e, strlen(e));
		n += strlen(e);
	}
	out[n] = '\0';
	return 0;
}

/* Every naughty string: as a translation it round-trips exactly (or is
 * refused as invalid UTF-8); as raw PO text it never crashes; as format and
 * as argument it expands safely. */
static void test_naughty(void **state)
{
	FILE *fp = fopen("tests/data/blns.txt", "rb");
	char line[4096], esc[9000], po[9100], err[256], out[256];
	size_t tried = 0, roundtrip = 0;
	(void)state;

	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp)) {
		struct i18n_catalog *c = NULL;
		const char *args[1] = { line };
		size_t l = strlen(line);
		if (l && line[l - 1] == '\n')
			line[--l] = '\0';
		if (l == 0 || line[0] == '#')
			continue;
		tried++;
		/* raw, as if it were PO text */
		if (i18n_po_parse(line, l, &c, err, sizeof(err)) == 0)
			i18n_catalog_free(c);
		c = NULL;
		if (po_escape(line, esc, sizeof(esc)) == 0) {
			snprintf(po, sizeof(po), "msgid \"k\"\nmsgstr \"%s\"\n", esc);
			if (i18n_po_parse(po, strlen(po), &c, err, sizeof(err)) == 0) {
				assert_string_equal(i18n_catalog_find(c, "k"), line);
				roundtrip++;
			}
			i18n_catalog_free(c);
		}
		i18n_format(out, sizeof(out), line, args, 1);
		assert_true(strlen(out) < sizeof(out));
		i18n_format(out, sizeof(out), "Welkom, %s!", args, 1);
		assert_true(strncmp(out, "Welkom, ", 8) == 0);
	}
	fclose(fp);
	assert_true(tried > 400);
	assert_true(roundtrip > 400);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_complete),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_po_forms),
		cmocka_unit_test(test_po_malformed),
		cmocka_unit_test(test_naughty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
