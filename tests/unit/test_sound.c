/* test_sound.c — the success chime generated in code: audible, never
 * clipping, starting and ending near silence (no click), the length the
 * header promises, and bounded by the buffer it is given. No audio device
 * is needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "sound.h"

#define N (SOUND_RATE * SOUND_CHIME_MS / 1000)

static void test_chime(void **state)
{
	int16_t *buf = calloc(N + 100, sizeof(*buf));
	size_t n, i, loud = 0;
	int peak = 0;
	(void)state;

	assert_non_null(buf);
	n = sound_render_chime(buf, N + 100);
	assert_int_equal(n, N);
	for (i = 0; i < n; i++) {
		int a = abs(buf[i]);
		if (a > peak)
			peak = a;
		if (a > 2000)
			loud++;
	}
	assert_true(peak > 8000);              /* audible */
	assert_true(peak < 32000);             /* headroom: no clipping */
	assert_true(loud > n / 20);            /* not a single blip */
	assert_true(abs(buf[0]) < 200);        /* soft attack */
	assert_true(abs(buf[n - 1]) < 2000);   /* decayed by the end */
	assert_int_equal(buf[n], 0);           /* nothing written past n */
	assert_int_equal(sound_render_chime(buf, 10), 10);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_chime) };

	return cmocka_run_group_tests(tests, NULL, NULL);
}
