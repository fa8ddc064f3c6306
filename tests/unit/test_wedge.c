/* test_wedge.c — unit tests of the keyboard-wedge decoder (kiosk/wedge.c).
 * A simulated reader types UIDs as a US-layout USB keyboard; the simulated
 * host turns its usage ids into characters as a US or a French/Belgian
 * AZERTY layout would. Covers hex (both cases), decimal (both byte orders),
 * timing, garbage, overflow, configuration parsing and the naughty strings,
 * and a 2D scanner typing a phone pass ("KP1" + 40 digits) on either layout.
 * Must not: depend on SDL or a real keyboard. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "wedge.h"

#define SC_LSHIFT 225
#define MAX_EVENTS 128

enum host { HOST_US, HOST_AZERTY_FR, HOST_AZERTY_BE };

/* What the host layout produces for a usage id with or without Shift. */
static uint32_t host_char(enum host h, uint16_t sc, int shift)
{
	static const uint32_t fr_row[10] = { '&', 0xE9, '"', '\'', '(', '-', 0xE8, '_', 0xE7, 0xE0 };
	static const uint32_t be_row[10] = { '&', 0xE9, '"', '\'', '(', 0xA7, 0xE8, '!', 0xE7, 0xE0 };
	static const char us_shift_row[10] = { '!', '@', '#', '$', '%', '^', '&', '*', '(', ')' };

	if (sc == WEDGE_SC_ENTER)
		return '\r';
	if (sc >= WEDGE_SC_1 && sc <= WEDGE_SC_0) {
		unsigned i = sc - WEDGE_SC_1;
		if (h == HOST_US)
			return shift ? (uint32_t)us_shift_row[i] : (i == 9 ? '0' : '1' + i);
		if (shift)
			return i == 9 ? '0' : '1' + i;
		return h == HOST_AZERTY_FR ? fr_row[i] : be_row[i];
	}
	if (sc == WEDGE_SC_K || sc == WEDGE_SC_P)   /* same place on AZERTY */
		return (uint32_t)(sc == WEDGE_SC_K ? (shift ? 'K' : 'k') : (shift ? 'P' : 'p'));
	if (sc >= WEDGE_SC_A && sc < WEDGE_SC_A + 6) {
		uint32_t c = 'a' + (sc - WEDGE_SC_A);
		if (h != HOST_US && c == 'a')
			c = 'q';   /* the US A position is Q on AZERTY */
		return shift ? c - 'a' + 'A' : c;
	}
	return 0;
}

/* The events a US-layout reader sends for text (digits, hex, '\n'),
 * keys gap_ms apart, as seen on host h. Shift is pressed for uppercase. */
static size_t reader_type(enum host h, const char *text, int64_t t0, int64_t gap_ms,
    int with_scancode, struct wedge_key *ev)
{
	size_t n = 0;
	int64_t t = t0;

	for (; *text != '\0'; text++) {
		char c = *text;
		uint16_t sc;
		int shift = 0;

		if (c == '\n')
			sc = WEDGE_SC_ENTER;
		else if (c >= '1' && c <= '9')
			sc = (uint16_t)(WEDGE_SC_1 + (c - '1'));
		else if (c == '0')
			sc = WEDGE_SC_0;
		else if (c >= 'a' && c <= 'f')
			sc = (uint16_t)(WEDGE_SC_A + (c - 'a'));
		else if (c >= 'A' && c <= 'F') {
			sc = (uint16_t)(WEDGE_SC_A + (c - 'A'));
			shift = 1;
		} else if (c == 'K' || c == 'P') {
			sc = c == 'K' ? WEDGE_SC_K : WEDGE_SC_P;
			shift = 1;
		} else
			sc = 0;
		assert_true(n + 2 < MAX_EVENTS);
		if (shift && with_scancode) {
			memset(&ev[n], 0, sizeof(ev[n]));
			ev[n].scancode = SC_LSHIFT;
			ev[n].t_ms = t;
			n++;
		}
		memset(&ev[n], 0, sizeof(ev[n]));
		ev[n].ch = sc != 0 ? host_char(h, sc, shift) : (uint32_t)(unsigned char)c;
		ev[n].scancode = with_scancode ? sc : 0;
		ev[n].mods = shift ? WEDGE_MOD_SHIFT : 0;
		ev[n].t_ms = t;
		n++;
		t += gap_ms;
	}
	return n;
}

struct result {
	int uids, rejected;
	uint8_t uid[PR_UID_MAX_BYTES];
	size_t len;
};

static struct result run(struct wedge *w, const struct wedge_key *ev, size_t n)
{
	struct result r;
	size_t i;

	memset(&r, 0, sizeof(r));
	for (i = 0; i < n; i++) {
		uint8_t uid[PR_UID_MAX_BYTES];
		size_t len = 0;
		enum wedge_result x = wedge_feed(w, &ev[i], uid, &len);
		if (x == WEDGE_UID) {
			r.uids++;
			memcpy(r.uid, uid, len);
			r.len = len;
		} else if (x == WEDGE_REJECTED) {
			r.rejected++;
		}
	}
	return r;
}

static struct result type_into(struct wedge *w, enum host h, const char *text,
    int64_t t0, int64_t gap_ms, int with_scancode)
{
	struct wedge_key ev[MAX_EVENTS];
	size_t n = reader_type(h, text, t0, gap_ms, with_scancode, ev);

	return run(w, ev, n);
}

static void assert_uid(const struct result *r, const char *hex)
{
	char got[2 * PR_UID_MAX_BYTES + 1];
	size_t i;

	assert_int_equal(r->uids, 1);
	assert_int_equal(r->rejected, 0);
	for (i = 0; i < r->len; i++)
		assert_true(snprintf(got + 2 * i, 3, "%02x", r->uid[i]) == 2);
	got[2 * r->len] = '\0';
	assert_string_equal(got, hex);
}

static void test_us_hex_both_cases(void **state)
{
	struct wedge *w = wedge_new(NULL);
	struct result r;

	(void)state;
	assert_non_null(w);
	r = type_into(w, HOST_US, "04A1B2C3\n", 1000, 8, 1);
	assert_uid(&r, "04a1b2c3");
	r = type_into(w, HOST_US, "04a1b2c3d4e5f6\n", 2000, 8, 1);
	assert_uid(&r, "04a1b2c3d4e5f6");
	r = type_into(w, HOST_US, "04000000000001\n", 3000, 8, 1);
	assert_uid(&r, "04000000000001");
	r = type_into(w, HOST_US, "0102030405060708090A\n", 4000, 8, 1);
	assert_uid(&r, "0102030405060708090a");
	/* keypad Enter ends a burst too */
	{
		struct wedge_key ev[MAX_EVENTS];
		size_t n = reader_type(HOST_US, "DEADBEEF\n", 5000, 5, 1, ev);
		ev[n - 1].scancode = WEDGE_SC_KP_ENTER;
		ev[n - 1].ch = '\r';
		r = run(w, ev, n);
		assert_uid(&r, "deadbeef");
	}
	wedge_free(w);
}

/* AZERTY: the number row types & é " ' ( - è _ ç à without Shift, and the
 * US 'A' position types 'q'. By position, the digits still come out right. */
static void test_azerty_by_scancode(void **state)
{
	struct wedge *w = wedge_new(NULL);
	struct wedge_key ev[MAX_EVENTS];
	struct result r;
	size_t n;

	(void)state;
	n = reader_type(HOST_AZERTY_FR, "1234567890\n", 1000, 5, 1, ev);
	assert_int_equal(ev[0].ch, '&');
	assert_int_equal(ev[1].ch, 0xE9);
	assert_int_equal(ev[9].ch, 0xE0);
	r = run(w, ev, n);
	assert_uid(&r, "499602d2");  /* 1234567890 decimal, AUTO mode */
	r = type_into(w, HOST_AZERTY_FR, "04A1B2C3D4E5F6\n", 2000, 5, 1);
	assert_uid(&r, "04a1b2c3d4e5f6");
	r = type_into(w, HOST_AZERTY_BE, "0A0B0C0D\n", 3000, 5, 1);
	assert_uid(&r, "0a0b0c0d");
	r = type_into(w, HOST_AZERTY_BE, "04000000000006\n", 4000, 5, 1);
	assert_uid(&r, "04000000000006");
	wedge_free(w);
}

/* Text-only events (no scancode): the layout setting decides. */
static void test_azerty_text_only(void **state)
{
	struct wedge_config cfg;
	struct wedge *w;
	struct result r;

	(void)state;
	wedge_config_default(&cfg);
	assert_int_equal(wedge_config_set(&cfg, "wedge_layout", "azerty"), 0);
	w = wedge_new(&cfg);
	assert_non_null(w);
	{
		struct wedge_key ev[MAX_EVENTS];
		size_t n = reader_type(HOST_AZERTY_FR, "04a1b2c3d4e5f6\n", 1000, 5, 1, ev);
		size_t i;
		for (i = 0; i < n; i++)
			ev[i].scancode = 0;   /* lose the positions */
		r = run(w, ev, n);
		assert_uid(&r, "04a1b2c3d4e5f6");
		n = reader_type(HOST_AZERTY_BE, "7890ABCD\n", 2000, 5, 1, ev);
		for (i = 0; i < n; i++)
			ev[i].scancode = 0;
		r = run(w, ev, n);
		assert_uid(&r, "7890abcd");
	}
	wedge_free(w);

	/* the same characters on a QWERTY setting are garbage */
	w = wedge_new(NULL);
	{
		struct wedge_key ev[MAX_EVENTS];
		size_t n = reader_type(HOST_AZERTY_FR, "04a1b2c3\n", 1000, 5, 1, ev);
		size_t i;
		for (i = 0; i < n; i++)
			ev[i].scancode = 0;
		r = run(w, ev, n);
		assert_int_equal(r.uids, 0);
		assert_int_equal(r.rejected, 1);
	}
	/* plain text digits and hex with no scancode work on QWERTY */
	r = type_into(w, HOST_US, "04a1B2c3\n", 3000, 5, 0);
	assert_uid(&r, "04a1b2c3");
	wedge_free(w);
}

/* Decimal readers: 10 digits of a 4-byte UID, both byte orders. */
static void test_decimal(void **state)
{
	struct wedge_config cfg;
	struct wedge *w;
	struct result r;

	(void)state;
	w = wedge_new(NULL);
	r = type_into(w, HOST_US, "0077705923\n", 1000, 5, 1);  /* 0x04A1B2C3 */
	assert_uid(&r, "04a1b2c3");
	r = type_into(w, HOST_US, "4294967295\n", 2000, 5, 1);
	assert_uid(&r, "ffffffff");
	r = type_into(w, HOST_US, "4294967296\n", 3000, 5, 1);  /* > 32 bits */
	assert_int_equal(r.uids, 0);
	assert_int_equal(r.rejected, 1);
	r = type_into(w, HOST_US, "123456789\n", 4000, 5, 1);   /* 9 digits */
	assert_int_equal(r.rejected, 1);
	wedge_free(w);

	wedge_config_default(&cfg);
	assert_int_equal(wedge_config_set(&cfg, "wedge_order", "lsb"), 0);
	assert_int_equal(wedge_config_set(&cfg, "wedge_format", "dec"), 0);
	w = wedge_new(&cfg);
	r = type_into(w, HOST_US, "0077705923\n", 1000, 5, 1);
	assert_uid(&r, "c3b2a104");
	r = type_into(w, HOST_US, "04A1B2C3\n", 2000, 5, 1);    /* hex not accepted */
	assert_int_equal(r.uids, 0);
	assert_int_equal(r.rejected, 1);
	r = type_into(w, HOST_US, "12345678\n", 3000, 5, 1);    /* 8 digits */
	assert_int_equal(r.rejected, 1);
	wedge_free(w);

	/* hex-only: 10 digits is not a UID */
	wedge_config_default(&cfg);
	assert_int_equal(wedge_config_set(&cfg, "wedge_format", "hex"), 0);
	w = wedge_new(&cfg);
	r = type_into(w, HOST_US, "0077705923\n", 1000, 5, 1);
	assert_int_equal(r.rejected, 1);
	r = type_into(w, HOST_US, "12345678\n", 2000, 5, 1);
	assert_uid(&r, "12345678");
	wedge_free(w);
}

/* A person typing is not a reader: keys more than max_gap_ms apart. */
static void test_timing(void **state)
{
	struct wedge *w = wedge_new(NULL);
	struct wedge_key ev[MAX_EVENTS];
	struct result r;
	size_t n;

	(void)state;
	r = type_into(w, HOST_US, "04a1b2c3\n", 1000, 200, 1);   /* slow human */
	assert_int_equal(r.uids, 0);
	assert_int_equal(r.rejected, 0);
	r = type_into(w, HOST_US, "04a1b2c3\n", 5000, 50, 1);    /* 50 ms: still a reader */
	assert_uid(&r, "04a1b2c3");
	r = type_into(w, HOST_US, "04a1b2c3\n", 6000, 51, 1);    /* 51 ms: not */
	assert_int_equal(r.uids, 0);

	/* a pause in the middle drops the first part: the rest is too short */
	n = reader_type(HOST_US, "04a1b2c3\n", 7000, 5, 1, ev);
	ev[4].t_ms += 100;
	ev[5].t_ms += 100; ev[6].t_ms += 100; ev[7].t_ms += 100; ev[8].t_ms += 100;
	r = run(w, ev, n);
	assert_int_equal(r.uids, 0);
	assert_int_equal(r.rejected, 1);

	/* a stray key typed by a person, then a reader burst later: the burst wins */
	r = type_into(w, HOST_US, "7", 9000, 5, 1);
	r = type_into(w, HOST_US, "04a1b2c3\n", 9300, 5, 1);
	assert_uid(&r, "04a1b2c3");

	/* time running backwards ends a burst */
	n = reader_type(HOST_US, "04a1b2c3\n", 12000, 5, 1, ev);
	ev[3].t_ms = 11000;
	r = run(w, ev, n);
	assert_int_equal(r.uids, 0);

	/* Enter after a pause: nothing (the burst was dropped) */
	n = reader_type(HOST_US, "04a1b2c3\n", 13000, 5, 1, ev);
	ev[n - 1].t_ms += 500;
	r = run(w, ev, n);
	assert_int_equal(r.uids, 0);
	assert_int_equal(r.rejected, 0);
	wedge_free(w);
}

static void test_garbage_and_overflow(void **state)
{
	struct wedge *w = wedge_new(NULL);
	struct wedge_key ev[MAX_EVENTS];
	struct result r;
	size_t n;

	(void)state;
	r = type_into(w, HOST_US, "\n", 1000, 5, 1);    /* lone Enter */
	assert_int_equal(r.uids + r.rejected, 0);
	r = type_into(w, HOST_US, "04a1g2c3\n", 2000, 5, 0);  /* 'g' */
	assert_int_equal(r.rejected, 1);
	r = type_into(w, HOST_US, "04a1 2c3\n", 3000, 5, 0);
	assert_int_equal(r.rejected, 1);
	r = type_into(w, HOST_US, "04a1b2c3\n", 4000, 5, 1);  /* recovers */
	assert_uid(&r, "04a1b2c3");
	/* Ctrl held: a shortcut, not a reader */
	n = reader_type(HOST_US, "04a1b2c3\n", 5000, 5, 1, ev);
	ev[2].mods |= WEDGE_MOD_CTRL;
	r = run(w, ev, n);
	assert_int_equal(r.rejected, 1);
	/* an unknown key (F1 = usage 58) in a burst */
	n = reader_type(HOST_US, "04a1b2c3\n", 6000, 5, 1, ev);
	ev[3].scancode = 58;
	r = run(w, ev, n);
	assert_int_equal(r.rejected, 1);
	/* overflow: far more than WEDGE_BUF_MAX hex digits */
	r = type_into(w, HOST_US,
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n",
	    7000, 2, 1);
	assert_int_equal(r.uids, 0);
	assert_int_equal(r.rejected, 1);
	/* wrong lengths: 6 and 12 hex digits */
	r = type_into(w, HOST_US, "04a1b2\n", 8000, 5, 1);
	assert_int_equal(r.rejected, 1);
	r = type_into(w, HOST_US, "04a1b2c3d4e5\n", 9000, 5, 1);
	assert_int_equal(r.rejected, 1);
	/* reset drops a partial burst */
	r = type_into(w, HOST_US, "04a1", 10000, 5, 1);
	wedge_reset(w);
	r = type_into(w, HOST_US, "b2c3\n", 10020, 5, 1);
	assert_int_equal(r.uids, 0);
	assert_int_equal(r.rejected, 1);
	/* NULL arguments */
	assert_int_equal(wedge_feed(NULL, &ev[0], r.uid, &r.len), WEDGE_NONE);
	assert_int_equal(wedge_feed(w, NULL, r.uid, &r.len), WEDGE_NONE);
	wedge_free(w);
	wedge_free(NULL);
}

static void test_config(void **state)
{
	struct wedge_config cfg, before;
	static const char *bad_gap[] = { "", "0", "1001", "-5", "+5", "5 ", " 5",
		"0x10", "99999", "12a", "1e3" };
	size_t i;

	(void)state;
	wedge_config_default(&cfg);
	assert_int_equal(cfg.max_gap_ms, WEDGE_GAP_DEFAULT_MS);
	assert_int_equal(cfg.format, WEDGE_FMT_AUTO);
	assert_int_equal(wedge_config_set(&cfg, "wedge_gap_ms", "80"), 0);
	assert_int_equal(cfg.max_gap_ms, 80);
	assert_int_equal(wedge_config_set(&cfg, "wedge_gap_ms", "1000"), 0);
	before = cfg;
	for (i = 0; i < sizeof(bad_gap) / sizeof(bad_gap[0]); i++) {
		assert_int_equal(wedge_config_set(&cfg, "wedge_gap_ms", bad_gap[i]), -1);
		assert_memory_equal(&cfg, &before, sizeof(cfg));
	}
	assert_int_equal(wedge_config_set(&cfg, "wedge_format", "HEX"), -1);
	assert_int_equal(wedge_config_set(&cfg, "wedge_order", "middle"), -1);
	assert_int_equal(wedge_config_set(&cfg, "wedge_layout", "dvorak"), -1);
	assert_int_equal(wedge_config_set(&cfg, "wedge_speed", "1"), -1);
	assert_int_equal(wedge_config_set(NULL, "wedge_format", "hex"), -1);
	assert_int_equal(wedge_config_set(&cfg, NULL, "hex"), -1);
	assert_int_equal(wedge_config_set(&cfg, "wedge_format", NULL), -1);
	cfg.max_gap_ms = 0;
	assert_null(wedge_new(&cfg));
	cfg.max_gap_ms = 50;
	cfg.format = (enum wedge_format)9;
	assert_null(wedge_new(&cfg));
}

/* Every line of the Big List of Naughty Strings, typed as text at reader
 * speed: only a line that is itself a valid UID may give one; nothing
 * crashes; every config value from it is rejected unless it is valid. */
static void test_naughty_strings(void **state)
{
	FILE *f = fopen("tests/data/blns.txt", "r");
	struct wedge *w = wedge_new(NULL);
	struct wedge_config cfg;
	char line[4096];
	size_t lines = 0;
	int64_t t = 0;

	(void)state;
	assert_non_null(f);
	assert_non_null(w);
	wedge_config_default(&cfg);
	while (fgets(line, sizeof(line), f) != NULL) {
		const unsigned char *p;
		int uids = 0;
		uint8_t uid[PR_UID_MAX_BYTES];
		size_t len;
		struct wedge_key k;

		line[strcspn(line, "\r\n")] = '\0';
		lines++;
		for (p = (const unsigned char *)line; ; p++) {
			memset(&k, 0, sizeof(k));
			k.ch = *p == '\0' ? '\r' : *p;  /* bytes as code points */
			k.t_ms = t;
			t += 3;
			if (wedge_feed(w, &k, uid, &len) == WEDGE_UID)
				uids++;
			if (*p == '\0')
				break;
		}
		assert_int_equal(uids, 0);   /* no blns line is 8/10/14/20 hex */
		t += 1000;
		if (wedge_config_set(&cfg, "wedge_format", line) == 0)
			assert_true(strcmp(line, "auto") == 0 || strcmp(line, "hex") == 0 ||
			    strcmp(line, "dec") == 0);
		(void)wedge_config_set(&cfg, "wedge_gap_ms", line);
		assert_true(cfg.max_gap_ms >= 1 && cfg.max_gap_ms <= WEDGE_GAP_MAX_MS);
	}
	fclose(f);
	assert_true(lines > 500);
	wedge_free(w);
}

#define PASS_TEXT "KP10000066051006743808701348101230202182159"

struct pass_result {
	int passes, rejected, held, none;
	uint8_t bytes[CRED_PASS_BYTES];
};

static struct pass_result run_pass(struct wedge *w, enum host h, const char *text,
    int64_t t0, int64_t gap_ms, int with_scancode)
{
	struct wedge_key ev[MAX_EVENTS];
	size_t n = reader_type(h, text, t0, gap_ms, with_scancode, ev);
	struct pass_result r;

	memset(&r, 0, sizeof(r));
	for (size_t i = 0; i < n; i++) {
		uint8_t uid[PR_UID_MAX_BYTES], pass[CRED_PASS_BYTES];
		size_t len = 0;

		switch (wedge_feed_pass(w, &ev[i], uid, &len, pass)) {
		case WEDGE_PASS:
			r.passes++;
			memcpy(r.bytes, pass, sizeof pass);
			break;
		case WEDGE_REJECTED:
			r.rejected++;
			break;
		case WEDGE_HELD:
			r.held++;
			break;
		default:
			r.none++;
			break;
		}
	}
	return r;
}

static void assert_pass(const struct pass_result *r)
{
	assert_int_equal(r->passes, 1);
	assert_int_equal(r->rejected, 0);
	for (int i = 0; i < CRED_PASS_BYTES; i++)
		assert_int_equal(r->bytes[i], i);
}

/* A scanner types a pass: by position on US and AZERTY hosts, and as text
 * with the layout setting; every key after the K is held from the UI. */
static void test_pass_layouts(void **state)
{
	struct wedge_config cfg;
	struct wedge *w = wedge_new(NULL), *wa;
	struct pass_result r;
	enum host hosts[] = { HOST_US, HOST_AZERTY_FR, HOST_AZERTY_BE };

	(void)state;
	for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++) {
		r = run_pass(w, hosts[i], PASS_TEXT "\n", 1000 + 1000 * (int64_t)i, 4, 1);
		assert_pass(&r);
		/* Shift+K, K are not held; Shift+P, P and 40 digits are */
		assert_int_equal(r.held, 42);
	}
	wedge_config_default(&cfg);
	cfg.layout = WEDGE_LAYOUT_AZERTY;
	wa = wedge_new(&cfg);
	assert_non_null(wa);
	r = run_pass(wa, HOST_AZERTY_FR, PASS_TEXT "\n", 9000, 4, 0);
	assert_pass(&r);
	r = run_pass(wa, HOST_AZERTY_BE, PASS_TEXT "\n", 10000, 4, 0);
	assert_pass(&r);
	r = run_pass(w, HOST_US, PASS_TEXT "\n", 11000, 4, 0);
	assert_pass(&r);
	/* lower case as text works too (a scanner with Caps Lock on) */
	r = run_pass(w, HOST_US, "kp10000066051006743808701348101230202182159\n", 12000, 4, 0);
	assert_pass(&r);
	wedge_free(wa);
	wedge_free(w);
}

/* What is no pass: short, long, a group above 2^32-1, a gap inside it, a
 * decoder without a pass buffer; and a person's lone p still reaches the UI. */
static void test_pass_refused(void **state)
{
	struct wedge *w = wedge_new(NULL);
	struct pass_result r;
	struct result u;

	(void)state;
	r = run_pass(w, HOST_US, "KP1000006605100674380870134810123020218215\n", 1000, 4, 1);
	assert_int_equal(r.passes, 0);
	assert_int_equal(r.rejected, 1);
	r = run_pass(w, HOST_US, PASS_TEXT "0\n", 2000, 4, 1);
	assert_int_equal(r.rejected, 1);
	r = run_pass(w, HOST_US, "KP14294967296429496729542949672954294967295\n", 3000, 4, 1);
	assert_int_equal(r.rejected, 1);
	r = run_pass(w, HOST_US, PASS_TEXT "\n", 4000, WEDGE_GAP_DEFAULT_MS + 1, 1);
	assert_int_equal(r.passes + r.rejected, 0);   /* a person typing: dropped */
	u = type_into(w, HOST_US, PASS_TEXT "\n", 9000, 4, 1);
	assert_int_equal(u.uids, 0);
	assert_int_equal(u.rejected, 1);              /* wedge_feed: no pass buffer */
	r = run_pass(w, HOST_US, "P\n", 12000, 4, 1);
	assert_int_equal(r.held + r.passes, 0);
	assert_int_equal(r.rejected, 1);
	r = run_pass(w, HOST_US, "04A1B2CP\n", 13000, 4, 1);
	assert_int_equal(r.rejected, 1);              /* p inside a hex UID */
	r = run_pass(w, HOST_US, PASS_TEXT "\n", 14000, 4, 1);
	assert_pass(&r);                              /* and the decoder recovered */
	wedge_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_us_hex_both_cases),
		cmocka_unit_test(test_azerty_by_scancode),
		cmocka_unit_test(test_azerty_text_only),
		cmocka_unit_test(test_decimal),
		cmocka_unit_test(test_timing),
		cmocka_unit_test(test_garbage_and_overflow),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_naughty_strings),
		cmocka_unit_test(test_pass_layouts),
		cmocka_unit_test(test_pass_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
