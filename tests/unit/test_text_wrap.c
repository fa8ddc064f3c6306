/* test_text_wrap.c — where the kiosk's lines break (kiosk/ui/text_wrap.c)
 * with the real Noto fonts: no paragraph ends with a single orphan word
 * when the line before can give it one (issue 14, finding 6: "Te vaak
 * fout. Wacht 60 / seconden."), the number of lines stays what the greedy
 * wrap gave, every line still fits, and a text of one word, a forced '\n'
 * and a text that fits on one line are left alone. Needs fonts-noto-core. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <SDL_ttf.h>

#include "ui/text.h"
#include "ui/text_int.h"

#define FONTS "/usr/share/fonts/truetype/noto"
#define PX    24

static struct ui_text *t;

static int setup(void **state)
{
	char err[256];
	(void)state;

	if (TTF_Init() != 0)
		return -1;
	return ui_text_open(FONTS, &t, err, sizeof(err));
}

static int teardown(void **state)
{
	(void)state;
	ui_text_close(t);
	TTF_Quit();
	return 0;
}

static int width(const char *s, size_t len)
{
	int w = 0, h = 0;

	assert_int_equal(ui_text_line_size(t, s, len, PX, 1, 0, &w, &h), 0);
	return w;
}

/* Wrap s at maxw; check every line fits and no paragraph's last line is a
 * lone word while the line before has several and its last word would fit
 * with it. Returns the line count. */
static size_t wrap_checked(const char *s, int maxw)
{
	struct span lines[TEXT_LINES_MAX];
	size_t n = ui_text_wrap(t, s, PX, 1, 0, maxw, 0, lines), i;

	assert_true(n >= 1);
	for (i = 0; i < n; i++) {
		assert_false(lines[i].ellipsis);
		assert_true(width(s + lines[i].off, lines[i].len) <= maxw);
	}
	for (i = 1; i < n; i++) {
		const struct span *a = &lines[i - 1], *b = &lines[i];
		size_t end = b->off + b->len;
		int lone = memchr(s + b->off, ' ', b->len) == NULL;
		int same_para = memchr(s + a->off, '\n', b->off - a->off) == NULL;
		int last = s[end] == '\0' || s[end] == '\n';
		int before_has_two = memchr(s + a->off, ' ', a->len) != NULL;

		size_t k = a->off + a->len;

		if (!(lone && same_para && last && before_has_two))
			continue;
		while (k > a->off && s[k - 1] != ' ')
			k--;     /* the line before's last word starts at k */
		if (width(s + k, end - k) <= maxw)
			fail_msg("orphan '%.*s' after '%.*s' (the word before fits)",
			    (int)b->len, s + b->off, (int)a->len, s + a->off);
	}
	return n;
}

static void test_lock_message(void **state)
{
	static const char msg[] = "Te vaak fout. Wacht 60 seconden. Of gebruik je pas, "
	    "of vraag een co\xC3\xB6rdinator.";
	int maxw;
	(void)state;

	/* every width from one word's width to the whole line */
	for (maxw = width("co\xC3\xB6rdinator.", strlen("co\xC3\xB6rdinator.")) + 40;
	    maxw < width(msg, strlen(msg)) + 10; maxw += 7)
		wrap_checked(msg, maxw);
}

static void test_short_texts(void **state)
{
	struct span lines[TEXT_LINES_MAX];
	(void)state;

	/* "Te vaak fout. Wacht 60" / "seconden." greedily at this width */
	{
		static const char s[] = "Te vaak fout. Wacht 60 seconden.";
		int maxw = width("Te vaak fout. Wacht 60", 22) + 2;
		size_t n = ui_text_wrap(t, s, PX, 1, 0, maxw, 0, lines);
		assert_int_equal(n, 2);
		assert_string_equal(s + lines[1].off, "60 seconden.");
	}
	/* one word: nothing to move */
	assert_int_equal(wrap_checked("Pincode", 400), 1);
	/* a forced break: the second paragraph's word stays alone */
	{
		static const char s[] = "Deze pincode klopt niet.\nOK";
		size_t n = ui_text_wrap(t, s, PX, 1, 0, 1000, 0, lines);
		assert_int_equal(n, 2);
		assert_int_equal(lines[1].len, 2);
	}
	/* fits on one line: unchanged */
	assert_int_equal(wrap_checked("Je bent ingecheckt.", 1000), 1);
}

static void test_many_widths(void **state)
{
	static const char *const texts[] = {
		"Deze pincode klopt niet. Je kunt het nog 3 keer proberen.",
		"Jouw taak vandaag: Catering. Houd je pas weer hier als je weggaat: "
		"dan ben je uitgecheckt.",
		"Deze pas is al van Daan V. Hij is niet gekoppeld. Houd een andere pas "
		"tegen de lezer, of verplaats deze pas op het dashboard (Deelnemers).",
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		for (int maxw = 260; maxw < 1400; maxw += 11)
			wrap_checked(texts[i], maxw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lock_message),
		cmocka_unit_test(test_short_texts),
		cmocka_unit_test(test_many_widths),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
