/* text.h — text for the screens: Noto fonts through SDL2_ttf (HarfBuzz), a
 * minimal bidi pass so Arabic is shaped and runs right-to-left while Latin
 * names and digits inside it stay left-to-right, word wrapping, and a cache
 * of rendered textures so unchanged text is never rendered twice.
 * Must not: know about screens, languages or the view. */
#ifndef PRESENTIE_UI_TEXT_H
#define PRESENTIE_UI_TEXT_H

#include <SDL.h>
#include <stddef.h>

#define UI_TEXT_MAX          1024        /* bytes of one text block */
#define UI_TEXT_CACHE_MAX    256         /* cached blocks */
#define UI_TEXT_CACHE_BYTES  (24 << 20)  /* pixel bytes the cache may hold */
#define UI_TEXT_FONTS_MAX    24          /* open (size, weight, script) fonts */

struct ui_text;

enum ui_text_align { UI_TA_LEFT = 0, UI_TA_CENTER, UI_TA_RIGHT };

/* Open the fonts in font_dir (NotoSans-{Regular,Bold}.ttf and
 * NotoSansArabic-{Regular,Bold}.ttf). TTF_Init must have been called.
 * Returns 0 and *out, or -1 with err naming the missing file. */
int ui_text_open(const char *font_dir, struct ui_text **out, char *err,
    size_t errlen);
void ui_text_close(struct ui_text *t);

/* Drop every cached texture and font (call when the renderer changes). */
void ui_text_flush(struct ui_text *t);

/* Start a new frame: blocks used in this frame are kept over older ones. */
void ui_text_frame(struct ui_text *t);

/* What ui_text_get rendered. */
struct ui_text_info {
	int w, h;           /* the block (line boxes) in pixels */
	int cut;            /* 1: a line ends in an ellipsis (text is missing) */
	SDL_Rect ink;       /* within the block: the pixels actually drawn */
};

/* The white texture for s (tint it with SDL_SetTextureColorMod): px pixel
 * size, bold, base direction rtl, wrapped to maxw pixels (0: one line, no
 * limit; a word wider than maxw is broken between letters while more lines
 * are allowed), at most max_lines lines (0: no limit; the last is cut with
 * an ellipsis), lines aligned within the block by align. The texture belongs
 * to the cache and stays valid until the next ui_text_get or flush. Returns
 * NULL for empty text or on error (*info zeroed), else fills *info. */
SDL_Texture *ui_text_get(struct ui_text *t, SDL_Renderer *ren, const char *s,
    int px, int bold, int rtl, int maxw, int max_lines,
    enum ui_text_align align, struct ui_text_info *info);

/* Size of s on one line, without rendering. Returns 0, or -1 on error. */
int ui_text_size(struct ui_text *t, const char *s, int px, int bold, int rtl,
    int *w, int *h);

/* The direction of s by its first strong letter (UAX #9 rules P2-P3:
 * digits and punctuation do not count): 1 right-to-left, 0 left-to-right,
 * -1 if s has no letter. */
int ui_text_first_strong(const char *s);

/* Number of blocks in the cache (tests, bench). */
size_t ui_text_cached(const struct ui_text *t);

#endif
