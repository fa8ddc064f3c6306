/* dash_render.h — drawing for printed cards, badges and the phone pass image:
 * a QR code (libqrencode) and a line of text shaped by HarfBuzz on a Noto
 * font (FreeType through cairo-ft), so Arabic joins and runs right to left.
 * Must not: touch the database or know what a pass means; it draws what it
 * is given and keeps nothing after dash_render_close. */
#ifndef PRESENTIE_HUB_DASH_RENDER_H
#define PRESENTIE_HUB_DASH_RENDER_H

#include <cairo.h>
#include <stddef.h>

#define DASH_FONT_DIR      "/usr/share/fonts/truetype/noto/"
#define DASH_QR_QUIET      4       /* modules of white border a QR needs */
#define DASH_TEXT_MAX      256     /* bytes of one drawn line */

enum dash_align { DASH_ALIGN_LEFT = 0, DASH_ALIGN_CENTER };

struct dash_fonts;   /* opaque: FreeType library and the four Noto faces */

/* The fonts (NotoSans and NotoSansArabic, regular and bold; loaded once per
 * process and kept). Returns the handle, held by this thread until
 * dash_render_close: one drawing at a time in the process (a FreeType face
 * serves one thread), so finish every cairo surface that uses them (PDF:
 * cairo_surface_finish; PNG: written) before closing. NULL if a font is
 * missing (nothing held). */
struct dash_fonts *dash_render_open(void);
void dash_render_close(struct dash_fonts *f);

/* Draw a QR code of text (error correction M, 8-bit mode) as a black-on-
 * white square of side size (quiet zone included) at x, y. Returns 0, or -1
 * if text cannot be encoded (nothing drawn). */
int dash_render_qr(cairo_t *cr, const char *text, double x, double y, double size);

/* Check a QR code round trip: encode text and return the version (1..40)
 * of its symbol and its width in modules, or -1. For tests. */
int dash_render_qr_width(const char *text, int *version);

/* Draw one line of UTF-8 text with its baseline at y, starting at x (or
 * centred on x), in size points, shrunk to fit max_w (0: no limit). An
 * Arabic line takes the Arabic face and is shaped right to left. Returns
 * 0, or -1 (nothing drawn: bad UTF-8 or out of memory). */
int dash_render_text(struct dash_fonts *f, cairo_t *cr, const char *utf8, double x, double y,
    double size, int bold, double max_w, enum dash_align align);

/* What a printed card shows: org (top, small), name (large), note (small,
 * below), and a QR code of qr on the right (none if qr is NULL). */
struct dash_card {
	const char *org, *name, *note, *qr;
};

/* Draw card k in the rectangle x, y, w, h (user units; any scale: mm for
 * the PDF, pixels for the PNG), white with a thin grey border. Returns 0 or
 * -1 (the QR could not be encoded). */
int dash_render_card(struct dash_fonts *f, cairo_t *cr, const struct dash_card *k, double x,
    double y, double w, double h);

#endif
