/* test_kiosk_input.c — the kiosk's two text inputs besides PO files: the
 * --feed line parser and the kiosk.conf / command-line reader. Valid lines
 * give exactly the command or setting; bad and naughty lines
 * (tests/data/blns.txt) are refused with a message and never crash; card
 * errors never echo the UID. Runs from the project root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "feed.h"
#include "kconf.h"
#include "reader.h"

static int fparse(const char *line, struct feed_cmd *c, char *err, size_t n)
{
	uint8_t uid[PR_UID_MAX_BYTES];
	size_t len = 0;

	return feed_parse(line, c, uid, &len, err, n);
}

static void test_feed_valid(void **state)
{
	struct feed_cmd c;
	uint8_t uid[PR_UID_MAX_BYTES];
	size_t len = 0;
	char err[128];
	(void)state;

	assert_int_equal(feed_parse("card 04000000000002", &c, uid, &len, err,
	    sizeof(err)), 1);
	assert_int_equal(c.kind, FEED_CARD);
	assert_int_equal(len, 7);
	assert_int_equal(uid[0], 0x04);
	assert_int_equal(uid[6], 0x02);
	assert_int_equal(fparse("  pin 2580\r", &c, err, sizeof(err)), 1);
	assert_int_equal(c.kind, FEED_PIN);
	assert_string_equal(c.text, "2580");
	assert_int_equal(fparse("touch 12 480", &c, err, sizeof(err)), 1);
	assert_int_equal(c.kind, FEED_TOUCH);
	assert_int_equal(c.x, 12);
	assert_int_equal(c.y, 480);
	assert_int_equal(fparse("key Escape", &c, err, sizeof(err)), 1);
	assert_string_equal(c.text, "Escape");
	assert_int_equal(fparse("wait 250", &c, err, sizeof(err)), 1);
	assert_int_equal(c.x, 250);
	assert_int_equal(fparse("screenshot /tmp/a.png", &c, err, sizeof(err)), 1);
	assert_string_equal(c.text, "/tmp/a.png");
	assert_int_equal(fparse("quit", &c, err, sizeof(err)), 1);
	assert_int_equal(c.kind, FEED_QUIT);
	assert_int_equal(fparse("", &c, err, sizeof(err)), 0);
	assert_int_equal(fparse("   ", &c, err, sizeof(err)), 0);
	assert_int_equal(fparse("# a comment", &c, err, sizeof(err)), 0);
}

static void test_feed_bad(void **state)
{
	static const char *const bad[] = {
		"card", "card 0400", "card 04000000000002 extra", "card zz000000000002",
		"card 040000000000021", "pin", "pin 12a4", "pin 123456789",
		"touch 1", "touch -1 5", "touch 1 100001", "touch 0x10 5", "touch 1 2 3",
		"wait", "wait -5", "wait 600001", "wait 1e3", "key", "key a b",
		"key 0123456789012345678901234567890123", "screenshot", "quit now",
		"tap 1 2", "CARD 04000000000002", "card\x01 04000000000002",
	};
	struct feed_cmd c;
	char err[128];
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (fparse(bad[i], &c, err, sizeof(err)) != -1)
			fail_msg("accepted bad feed line #%zu", i);
		assert_true(err[0] != '\0');
	}
	/* the error for a card line never repeats the UID */
	fparse("card 04AABBCCDDEEF", &c, err, sizeof(err));
	assert_null(strstr(err, "AABB"));
	/* an overlong line */
	{
		char *l = malloc(PR_FEED_LINE_MAX + 10);
		assert_non_null(l);
		memset(l, 'k', PR_FEED_LINE_MAX + 9);
		l[PR_FEED_LINE_MAX + 9] = '\0';
		assert_int_equal(fparse(l, &c, err, sizeof(err)), -1);
		free(l);
	}
}

static void test_kconf(void **state)
{
	struct kconf c;
	char err[256], path[] = "/tmp/presentie-kconf-XXXXXX";
	FILE *fp;
	int fd;
	(void)state;

	kconf_defaults(&c);
	assert_string_equal(c.lang, "nl");
	assert_int_equal(c.win_w, 0);
	assert_string_equal(c.sound, "default");
	assert_int_equal(kconf_set(&c, "sound", "file:FILE=/tmp/x.raw", err, sizeof(err)), 0);
	assert_string_equal(c.sound, "file:FILE=/tmp/x.raw");
	assert_int_equal(kconf_set(&c, "sound", "", err, sizeof(err)), -1);
	{
		char longname[KCONF_SOUND_MAX + 8];
		memset(longname, 'a', sizeof(longname) - 1);
		longname[sizeof(longname) - 1] = '\0';
		assert_int_equal(kconf_set(&c, "sound", longname, err, sizeof(err)), -1);
	}
	assert_int_equal(kconf_set(&c, "sound", "off", err, sizeof(err)), 0);
	assert_int_equal(kconf_set(&c, "windowed", "1920x1080", err, sizeof(err)), 0);
	assert_int_equal(c.win_w, 1920);
	assert_int_equal(c.win_h, 1080);
	assert_int_equal(kconf_set(&c, "windowed", "19x1080", err, sizeof(err)), -1);
	assert_int_equal(kconf_set(&c, "windowed", "800x", err, sizeof(err)), -1);
	assert_int_equal(kconf_set(&c, "lang", "ar", err, sizeof(err)), 0);
	assert_int_equal(kconf_set(&c, "lang", "de", err, sizeof(err)), -1);
	assert_string_equal(c.lang, "ar");
	assert_int_equal(kconf_set(&c, "wedge", "azerty", err, sizeof(err)), 0);
	assert_int_equal(c.wedge, KCONF_WEDGE_AZERTY);
	assert_int_equal(kconf_set(&c, "allow_leave", "maybe", err, sizeof(err)), -1);
	assert_int_equal(kconf_set(&c, "repeat_seconds", "3601", err, sizeof(err)), -1);
	assert_int_equal(kconf_set(&c, "nosuch", "1", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown"));
	assert_int_equal(c.nfc_modulations, 1);   /* ISO 14443A by default */
	assert_int_equal(kconf_set(&c, "nfc_modulations", "a, b,FeliCa", err, sizeof(err)), 0);
	assert_int_equal(c.nfc_modulations, 7);
	assert_int_equal(kconf_set(&c, "nfc_modulations", "b", err, sizeof(err)), 0);
	assert_int_equal(c.nfc_modulations, 2);
	assert_int_equal(kconf_set(&c, "nfc_modulations", "a,iso15693", err, sizeof(err)), -1);
	assert_int_equal(kconf_set(&c, "nfc_modulations", " , ", err, sizeof(err)), -1);
	assert_int_equal(c.nfc_modulations, 2);   /* a refused value changes nothing */
	kconf_set(&c, "nfc_modulations", "naughty\xff\x01string", err, sizeof(err));
	/* issue 13: the poll mode and the gap between list rounds */
	assert_int_equal(c.nfc_poll_mode, READER_NFC_POLL_WAIT);
	assert_int_equal(c.nfc_poll_gap_ms, READER_NFC_GAP_DEFAULT_MS);
	assert_int_equal(kconf_set(&c, "nfc_poll", "autopoll", err, sizeof(err)), 0);
	assert_int_equal(c.nfc_poll_mode, READER_NFC_POLL_AUTO);
	assert_int_equal(kconf_set(&c, "nfc_poll", "fast", err, sizeof(err)), -1);
	assert_int_equal(c.nfc_poll_mode, READER_NFC_POLL_AUTO);
	assert_int_equal(kconf_set(&c, "nfc_poll", "list", err, sizeof(err)), 0);
	assert_int_equal(c.nfc_poll_mode, READER_NFC_POLL_LIST);
	assert_int_equal(kconf_set(&c, "nfc_poll", "wait", err, sizeof(err)), 0);
	assert_int_equal(c.nfc_poll_mode, READER_NFC_POLL_WAIT);
	assert_int_equal(kconf_set(&c, "nfc_poll_gap_ms", "25", err, sizeof(err)), 0);
	assert_int_equal(c.nfc_poll_gap_ms, 25);
	assert_int_equal(kconf_set(&c, "nfc_poll_gap_ms", "4", err, sizeof(err)), -1);
	assert_int_equal(kconf_set(&c, "nfc_poll_gap_ms", "1001", err, sizeof(err)), -1);
	assert_int_equal(c.nfc_poll_gap_ms, 25);
	assert_int_equal(c.nfc_poll_idle_s, 0);   /* never, by default */
	assert_int_equal(kconf_set(&c, "nfc_poll_idle_s", "600", err, sizeof(err)), 0);
	assert_int_equal(c.nfc_poll_idle_s, 600);
	assert_int_equal(kconf_set(&c, "nfc_poll_idle_s", "-1", err, sizeof(err)), -1);
	assert_int_equal(kconf_set(&c, "nfc_poll_idle_s", "86401", err, sizeof(err)), -1);
	assert_int_equal(c.nfc_poll_idle_s, 600);

	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	fprintf(fp, "# kiosk\n\ndb = /tmp/x.db\n  lang=tr  \nwindowed = 800x480\n"
	    "early_minutes = forty\n");
	fclose(fp);
	kconf_defaults(&c);
	assert_int_equal(kconf_load(&c, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "line 6"));
	assert_string_equal(c.lang, "tr");              /* lines before it applied */
	fp = fopen(path, "w");
	fprintf(fp, "db = /tmp/y.db\nallow_leave = yes\n");
	fclose(fp);
	assert_int_equal(kconf_load(&c, path, err, sizeof(err)), 0);
	assert_string_equal(c.db, "/tmp/y.db");
	assert_int_equal(c.allow_leave, 1);
	{
		char *argv[] = { "k", "--config", path, "--db", "/tmp/z.db",
			"--windowed", "1024x600", "--set", "lang=en", NULL };
		assert_int_equal(kconf_from_args(&c, 9, argv, err, sizeof(err)), 0);
		assert_string_equal(c.db, "/tmp/z.db");      /* argv beats the file */
		assert_int_equal(c.allow_leave, 1);          /* the file beats defaults */
		assert_int_equal(c.win_w, 1024);
		assert_string_equal(c.lang, "en");
	}
	{
		char *argv[] = { "k", "--bogus", NULL };
		assert_int_equal(kconf_from_args(&c, 2, argv, err, sizeof(err)), -1);
	}
	{
		char *argv[] = { "k", "--config", "/nonexistent/kiosk.conf", NULL };
		assert_int_equal(kconf_from_args(&c, 3, argv, err, sizeof(err)), -1);
	}
	unlink(path);
	assert_int_equal(kconf_load(&c, path, err, sizeof(err)), 1);  /* absent */
}

/* Naughty strings as feed lines, feed arguments, config values and whole
 * config lines: refused or taken, never a crash or an overrun. */
static void test_naughty(void **state)
{
	FILE *fp = fopen("tests/data/blns.txt", "rb"), *cf;
	char line[4096], buf[4200], err[256], path[] = "/tmp/presentie-kconf-XXXXXX";
	struct feed_cmd c;
	struct kconf k;
	size_t n = 0;
	int fd;
	(void)state;

	assert_non_null(fp);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	while (fgets(line, sizeof(line), fp)) {
		size_t l = strlen(line);
		if (l && line[l - 1] == '\n')
			line[--l] = '\0';
		n++;
		fparse(line, &c, err, sizeof(err));
		snprintf(buf, sizeof(buf), "key %s", line);
		if (fparse(buf, &c, err, sizeof(err)) == 1)
			assert_true(strlen(c.text) < FEED_KEY_NAME_MAX);
		snprintf(buf, sizeof(buf), "card %s", line);
		fparse(buf, &c, err, sizeof(err));
		snprintf(buf, sizeof(buf), "touch %s 1", line);
		if (fparse(buf, &c, err, sizeof(err)) == 1)
			assert_true(c.x >= 0 && c.x <= FEED_COORD_MAX);
		kconf_defaults(&k);
		if (kconf_set(&k, "lang", line, err, sizeof(err)) == 0)
			assert_true(strlen(k.lang) == 2);
		kconf_set(&k, "db", line, err, sizeof(err));
		kconf_set(&k, "windowed", line, err, sizeof(err));
		kconf_set(&k, line, "1", err, sizeof(err));
		cf = fopen(path, "w");
		assert_non_null(cf);
		fprintf(cf, "%s\nlang = %s\n", line, line);
		fclose(cf);
		kconf_load(&k, path, err, sizeof(err));
		assert_true(strlen(k.db) < sizeof(k.db));
	}
	fclose(fp);
	unlink(path);
	assert_true(n > 400);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_feed_valid),
		cmocka_unit_test(test_feed_bad),
		cmocka_unit_test(test_kconf),
		cmocka_unit_test(test_naughty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
