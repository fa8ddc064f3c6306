/* test_sound.c — the success chime generated in code: audible, never
 * clipping, starting and ending near silence (no click), the length the
 * header promises, and bounded by the buffer it is given. And played: on
 * alsa-lib's file plugin (no sound card needed) a chime asked twice is
 * handed to the device whole; "off" and an unknown device are silent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void test_play(void **state)
{
	char dir[] = "/tmp/presentie-sound-XXXXXX", raw[64], dev[96], err[256];
	struct sound *s = NULL;
	int i;
	(void)state;

	assert_int_equal(sound_open("off", 0, &s, err, sizeof(err)), -1);
	assert_null(s);
	/* a device that is not there: silent, tried again at each chime */
	assert_int_equal(sound_open("nosuchpcm", 0, &s, err, sizeof(err)), 0);
	assert_non_null(s);
	assert_true(err[0] != '\0');
	assert_int_equal(sound_chime(s, mono_ns()), 1);
	sound_close(s);
	s = NULL;
	assert_int_equal(sound_chime(NULL, mono_ns()), 0);   /* silent no-op */
	sound_close(NULL);

	assert_non_null(mkdtemp(dir));
	snprintf(raw, sizeof(raw), "%s/chime.raw", dir);
	snprintf(dev, sizeof(dev), "file:FILE=%s", raw);
	assert_int_equal(sound_open(dev, 0, &s, err, sizeof(err)), 0);
	assert_non_null(s);
	assert_string_equal(err, "");
	assert_int_equal(sound_chime(s, mono_ns()), 1);
	/* the null device behind the file plugin plays at once: wait (at most
	 * 10 s) for the whole chime, then ask again */
	for (i = 0; i < 1000 && file_size(raw) < (long)(N * 2); i++)
		usleep(10000);
	assert_int_equal(file_size(raw), (long)(N * 2));
	assert_int_equal(sound_chime(s, mono_ns()), 1);
	for (i = 0; i < 1000 && file_size(raw) < (long)(N * 4); i++)
		usleep(10000);
	assert_int_equal(file_size(raw), (long)(N * 4));
	sound_close(s);
	unlink(raw);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chime),
		cmocka_unit_test(test_play),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
