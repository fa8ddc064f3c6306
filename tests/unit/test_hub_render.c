/* test_hub_render.c — the hub's drawing for passes and printed sheets
 * (sync/hub/dash/dash_render.c): the QR code drawn on a surface is the
 * symbol libqrencode made for the pass, module by module, with its quiet
 * zone (a round trip through the pixels; no QR decoder is installed), a pass
 * fits QR version 3, and text in Latin and Arabic draws ink within its box.
 * Must not: need a display or the network. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <qrencode.h>

#include "cred.h"
#include "hub/dash/dash_render.h"

#define PX_PER_MODULE 6

/* 1 if the pixel at x, y of an RGB24 surface is dark. */
static int dark(cairo_surface_t *s, int x, int y)
{
	const unsigned char *d = cairo_image_surface_get_data(s);
	uint32_t px;

	memcpy(&px, d + (size_t)y * (size_t)cairo_image_surface_get_stride(s) + (size_t)x * 4, 4);
	return ((px >> 8) & 0xff) < 128;
}

static void test_qr_round_trip(void **state)
{
	uint8_t b[CRED_PASS_BYTES];
	char pass[CRED_PASS_STR];
	int version = 0, w, side, diff = 0, quiet_ink = 0;
	QRcode *q;
	cairo_surface_t *s;
	cairo_t *cr;

	(void)state;
	for (int i = 0; i < CRED_PASS_BYTES; i++)
		b[i] = (uint8_t)(0xff - 17 * i);
	cred_pass_format(b, pass);
	w = dash_render_qr_width(pass, &version);
	/* "KP" alphanumeric + 41 digits numeric, level M: version 2 (25 modules),
	 * big modules even on a small printed card */
	assert_int_equal(version, 2);
	assert_int_equal(w, 25);
	side = (w + 2 * DASH_QR_QUIET) * PX_PER_MODULE;
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, side, side);
	cr = cairo_create(s);
	cairo_set_source_rgb(cr, 0.5, 0.2, 0.2);   /* not white: the QR must paint its own */
	cairo_paint(cr);
	assert_int_equal(dash_render_qr(cr, pass, 0, 0, side), 0);
	cairo_surface_flush(s);
	q = QRcode_encodeString(pass, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	assert_non_null(q);
	for (int r = 0; r < w + 2 * DASH_QR_QUIET; r++)
		for (int c = 0; c < w + 2 * DASH_QR_QUIET; c++) {
			int px = dark(s, c * PX_PER_MODULE + PX_PER_MODULE / 2, r * PX_PER_MODULE + PX_PER_MODULE / 2);
			int in = r >= DASH_QR_QUIET && r < w + DASH_QR_QUIET && c >= DASH_QR_QUIET &&
			    c < w + DASH_QR_QUIET;

			if (!in)
				quiet_ink += px;
			else if (px != (q->data[(r - DASH_QR_QUIET) * w + c - DASH_QR_QUIET] & 1))
				diff++;
		}
	assert_int_equal(diff, 0);
	assert_int_equal(quiet_ink, 0);
	QRcode_free(q);
	assert_int_equal(dash_render_qr(cr, "", 0, 0, side), -1);
	cairo_destroy(cr);
	cairo_surface_destroy(s);
}

/* Ink inside the box, none outside it. Returns the dark pixels. */
static int ink(cairo_surface_t *s, int x0, int y0, int x1, int y1, int *outside)
{
	int n = 0;

	*outside = 0;
	for (int y = 0; y < cairo_image_surface_get_height(s); y++)
		for (int x = 0; x < cairo_image_surface_get_width(s); x++) {
			int d = dark(s, x, y);

			if (x >= x0 && x < x1 && y >= y0 && y < y1)
				n += d;
			else
				*outside += d;
		}
	return n;
}

static void test_text(void **state)
{
	static const char *lines[] = { "Fatima E.", "فاطمة الزهراء", "Kemal Ö." };
	struct dash_fonts *f = dash_render_open();

	(void)state;
	assert_non_null(f);
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 400, 100);
		cairo_t *cr = cairo_create(s);
		int outside, n;

		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_paint(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		/* 40 px text shrunk to fit 150 px, from x = 20, baseline 60 */
		assert_int_equal(dash_render_text(f, cr, lines[i], 20, 60, 40, 1, 150, DASH_ALIGN_LEFT), 0);
		cairo_surface_flush(s);
		n = ink(s, 18, 10, 172, 80, &outside);
		assert_true(n > 200);
		assert_int_equal(outside, 0);
		cairo_destroy(cr);
		cairo_surface_destroy(s);
	}
	dash_render_close(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qr_round_trip),
		cmocka_unit_test(test_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
