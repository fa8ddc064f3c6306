/* dash_render.c — QR codes and shaped text on a cairo surface (see
 * dash_render.h). HarfBuzz shapes on the FreeType face at the requested size;
 * cairo then draws the glyph ids from the same face (cairo-ft).
 * Must not: keep a face or a string between calls beyond the dash_fonts
 * handle, or draw text it could not shape. */
#include "hub/dash/dash_render.h"

#include <cairo-ft.h>
#include <hb-ft.h>
#include <hb.h>
#include <pthread.h>
#include <qrencode.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H

#define FONT_LATIN       DASH_FONT_DIR "NotoSans-Regular.ttf"
#define FONT_LATIN_BOLD  DASH_FONT_DIR "NotoSans-Bold.ttf"
#define FONT_ARABIC      DASH_FONT_DIR "NotoSansArabic-Regular.ttf"
#define FONT_ARABIC_BOLD DASH_FONT_DIR "NotoSansArabic-Bold.ttf"
#define FONT_FACES       4
#define FT_UNITS         64.0      /* 26.6 fixed point */
#define FIT_STEPS        8         /* shrink at most this often to fit */
#define FIT_FACTOR       0.9

struct dash_fonts {
	FT_Library lib;
	FT_Face face[FONT_FACES];              /* latin, latin bold, arabic, arabic bold */
	cairo_font_face_t *cface[FONT_FACES];
};

static const char *const font_path[FONT_FACES] = {
	FONT_LATIN, FONT_LATIN_BOLD, FONT_ARABIC, FONT_ARABIC_BOLD,
};

/* One set of faces for the process, made on first use and never freed:
 * cairo keeps font faces in its caches after a document is done, and a
 * FreeType face may serve one thread at a time (HarfBuzz and cairo both use
 * it), so drawing is serialised by fonts_lock from open to close. */
static struct dash_fonts fonts;
static pthread_once_t fonts_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t fonts_lock = PTHREAD_MUTEX_INITIALIZER;
static int fonts_ok;

static void fonts_load(void)
{
	if (FT_Init_FreeType(&fonts.lib) != 0)
		return;
	for (int i = 0; i < FONT_FACES; i++) {
		if (FT_New_Face(fonts.lib, font_path[i], 0, &fonts.face[i]) != 0)
			return;
		fonts.cface[i] = cairo_ft_font_face_create_for_ft_face(fonts.face[i], 0);
		if (cairo_font_face_status(fonts.cface[i]) != CAIRO_STATUS_SUCCESS)
			return;
	}
	fonts_ok = 1;
}

struct dash_fonts *dash_render_open(void)
{
	pthread_once(&fonts_once, fonts_load);
	if (!fonts_ok)
		return NULL;
	pthread_mutex_lock(&fonts_lock);
	return &fonts;
}

void dash_render_close(struct dash_fonts *f)
{
	if (f == &fonts)
		pthread_mutex_unlock(&fonts_lock);
}

static QRcode *encode(const char *text)
{
	if (text == NULL || text[0] == '\0')
		return NULL;
	return QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
}

int dash_render_qr_width(const char *text, int *version)
{
	QRcode *q = encode(text);
	int w;

	if (q == NULL)
		return -1;
	w = q->width;
	if (version != NULL)
		*version = q->version;
	QRcode_free(q);
	return w;
}

int dash_render_qr(cairo_t *cr, const char *text, double x, double y, double size)
{
	QRcode *q = encode(text);
	double m;

	if (q == NULL)
		return -1;
	m = size / (q->width + 2 * DASH_QR_QUIET);
	cairo_save(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, x, y, size, size);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (int r = 0; r < q->width; r++)
		for (int col = 0; col < q->width; col++)
			if (q->data[r * q->width + col] & 1)
				cairo_rectangle(cr, x + (col + DASH_QR_QUIET) * m, y + (r + DASH_QR_QUIET) * m, m, m);
	cairo_fill(cr);
	cairo_restore(cr);
	QRcode_free(q);
	return 0;
}

/* 1 if s holds a character of the Arabic blocks (U+0600..U+06FF,
 * U+0750..U+077F, U+FB50..U+FDFF, U+FE70..U+FEFF). */
static int has_arabic(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++) {
		uint32_t c;

		if ((p[0] & 0xE0) == 0xC0 && p[1] != '\0')
			c = (uint32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
		else if ((p[0] & 0xF0) == 0xE0 && p[1] != '\0' && p[2] != '\0')
			c = (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
		else
			continue;
		if ((c >= 0x600 && c <= 0x6FF) || (c >= 0x750 && c <= 0x77F) ||
		    (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF))
			return 1;
	}
	return 0;
}

/* Shape utf8 on face at size; *glyphs (caller frees) in visual order from
 * x = 0, *n of them, *width the advance. Returns 0 or -1. */
static int shape(FT_Face face, const char *utf8, double size, cairo_glyph_t **glyphs, int *n,
    double *width)
{
	hb_buffer_t *buf;
	hb_font_t *font;
	hb_glyph_info_t *info;
	hb_glyph_position_t *pos;
	unsigned int count = 0;
	double pen = 0;
	int rc = -1;

	if (FT_Set_Char_Size(face, 0, (FT_F26Dot6)(size * FT_UNITS), 72, 72) != 0)
		return -1;
	font = hb_ft_font_create_referenced(face);
	buf = hb_buffer_create();
	hb_buffer_add_utf8(buf, utf8, -1, 0, -1);
	hb_buffer_guess_segment_properties(buf);   /* Arabic: RTL, visual order out */
	hb_shape(font, buf, NULL, 0);
	info = hb_buffer_get_glyph_infos(buf, &count);
	pos = hb_buffer_get_glyph_positions(buf, &count);
	*glyphs = count > 0 ? calloc(count, sizeof(**glyphs)) : NULL;
	if (count > 0 && *glyphs != NULL && hb_buffer_allocation_successful(buf)) {
		for (unsigned int i = 0; i < count; i++) {
			(*glyphs)[i].index = info[i].codepoint;
			(*glyphs)[i].x = pen + pos[i].x_offset / FT_UNITS;
			(*glyphs)[i].y = -pos[i].y_offset / FT_UNITS;
			pen += pos[i].x_advance / FT_UNITS;
		}
		*n = (int)count;
		*width = pen;
		rc = 0;
	} else {
		free(*glyphs);
		*glyphs = NULL;
	}
	hb_buffer_destroy(buf);
	hb_font_destroy(font);
	return rc;
}

int dash_render_text(struct dash_fonts *f, cairo_t *cr, const char *utf8, double x, double y,
    double size, int bold, double max_w, enum dash_align align)
{
	cairo_glyph_t *g = NULL;
	int n = 0, fi;
	double w = 0, x0;

	if (f == NULL || cr == NULL || utf8 == NULL || strnlen(utf8, DASH_TEXT_MAX) >= DASH_TEXT_MAX)
		return -1;
	if (utf8[0] == '\0')
		return 0;
	fi = (has_arabic(utf8) ? 2 : 0) + (bold ? 1 : 0);
	for (int step = 0; step <= FIT_STEPS; step++) {
		free(g);
		g = NULL;
		if (shape(f->face[fi], utf8, size, &g, &n, &w) != 0)
			return -1;
		if (max_w <= 0 || w <= max_w)
			break;
		size *= FIT_FACTOR;
	}
	x0 = align == DASH_ALIGN_CENTER ? x - w / 2 : x;
	for (int i = 0; i < n; i++) {
		g[i].x += x0;
		g[i].y += y;
	}
	cairo_save(cr);
	cairo_set_font_face(cr, f->cface[fi]);
	cairo_set_font_size(cr, size);
	cairo_show_glyphs(cr, g, n);
	cairo_restore(cr);
	free(g);
	return 0;
}

int dash_render_card(struct dash_fonts *f, cairo_t *cr, const struct dash_card *k, double x,
    double y, double w, double h)
{
	/* a band across the top for the organisation; below it the name on the
	 * left and the QR code on the right, as large as the rest allows */
	double pad = h * 0.07, band = h * 0.2, qr = k->qr != NULL ? h - band - pad : 0;
	double text_w = w - 3 * pad - qr;
	int rc = 0;

	cairo_save(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, x, y, w, h);
	cairo_fill_preserve(cr);
	cairo_set_source_rgb(cr, 0.75, 0.75, 0.75);
	cairo_set_line_width(cr, h * 0.004);
	cairo_stroke(cr);
	if (k->qr != NULL)
		rc = dash_render_qr(cr, k->qr, x + w - pad - qr, y + band, qr);
	cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
	if (k->org != NULL)
		(void)dash_render_text(f, cr, k->org, x + pad, y + band * 0.7, h * 0.08, 0, w - 2 * pad,
		    DASH_ALIGN_LEFT);
	cairo_set_source_rgb(cr, 0, 0, 0);
	if (k->name != NULL)
		(void)dash_render_text(f, cr, k->name, x + pad, y + h * 0.58, h * 0.14, 1, text_w,
		    DASH_ALIGN_LEFT);
	cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
	if (k->note != NULL)
		(void)dash_render_text(f, cr, k->note, x + pad, y + h - pad - h * 0.04, h * 0.07, 0, text_w,
		    DASH_ALIGN_LEFT);
	cairo_restore(cr);
	return rc;
}
