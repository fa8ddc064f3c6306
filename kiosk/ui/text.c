/* text.c — fonts, lines of direction runs (bidi.c) laid out in visual
 * order, each run shaped by HarfBuzz through SDL2_ttf
 * (TTF_SetFontDirection/ScriptName), blocks of wrapped lines (where lines
 * break: text_wrap.c) and the texture cache.
 * Must not: know about screens or languages. */
#include "text.h"

#include <SDL_ttf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bidi.h"
#include "limits.h"
#include "text_int.h"

#define RUNS_MAX   64          /* direction runs in one line */
static const char ELLIPSIS[] = TEXT_ELLIPSIS;

struct font_slot {
	TTF_Font *f;
	int px, bold, arab;
	unsigned last;
};

struct block {
	char *s;
	uint32_t hash;
	int px, bold, rtl, maxw, max_lines, align;
	SDL_Texture *tex;
	int w, h;
	int cut;                /* a line ends in an ellipsis */
	SDL_Rect ink;           /* the pixels that are not transparent */
	size_t bytes;
	unsigned last;
};

struct ui_text {
	char path[4][PR_PATH_MAX];        /* latin reg, latin bold, arab reg, arab bold */
	struct font_slot fonts[UI_TEXT_FONTS_MAX];
	struct block cache[UI_TEXT_CACHE_MAX];
	size_t n_cache, bytes;
	unsigned tick;
};

/* --- fonts ---------------------------------------------------------------- */

static TTF_Font *font_get(struct ui_text *t, int px, int bold, int arab)
{
	struct font_slot *slot = NULL;
	size_t i, oldest = 0;
	TTF_Font *f;

	if (px < 4)
		px = 4;
	for (i = 0; i < UI_TEXT_FONTS_MAX; i++) {
		struct font_slot *fs = &t->fonts[i];
		if (fs->f && fs->px == px && fs->bold == bold && fs->arab == arab) {
			fs->last = t->tick;
			return fs->f;
		}
		if (!fs->f && !slot)
			slot = fs;
		if (t->fonts[i].last < t->fonts[oldest].last)
			oldest = i;
	}
	if (!slot) {
		slot = &t->fonts[oldest];
		TTF_CloseFont(slot->f);
		slot->f = NULL;
	}
	f = TTF_OpenFont(t->path[(arab ? 2 : 0) + (bold ? 1 : 0)], px);
	if (!f)
		return NULL;
	TTF_SetFontHinting(f, TTF_HINTING_LIGHT);
	if (arab) {
		TTF_SetFontDirection(f, TTF_DIRECTION_RTL);
		TTF_SetFontScriptName(f, "Arab");
	} else {
		TTF_SetFontDirection(f, TTF_DIRECTION_LTR);
		TTF_SetFontScriptName(f, "Latn");
	}
	slot->f = f;
	slot->px = px;
	slot->bold = bold;
	slot->arab = arab;
	slot->last = t->tick;
	return f;
}

int ui_text_open(const char *font_dir, struct ui_text **out, char *err,
    size_t errlen)
{
	static const char *const names[4] = {
		"NotoSans-Regular.ttf", "NotoSans-Bold.ttf",
		"NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"
	};
	struct ui_text *t;
	int i, n;

	*out = NULL;
	t = calloc(1, sizeof(*t));
	if (!t) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < 4; i++) {
		TTF_Font *f;
		n = snprintf(t->path[i], sizeof(t->path[i]), "%s/%s", font_dir,
		    names[i]);
		if (n < 0 || (size_t)n >= sizeof(t->path[i])) {
			snprintf(err, errlen, "font folder path too long");
			free(t);
			return -1;
		}
		f = TTF_OpenFont(t->path[i], 16);
		if (!f) {
			snprintf(err, errlen, "cannot open font %s (install "
			    "fonts-noto-core): %s", t->path[i], TTF_GetError());
			free(t);
			return -1;
		}
		TTF_CloseFont(f);
	}
	*out = t;
	return 0;
}

static void block_free(struct ui_text *t, size_t i)
{
	struct block *b = &t->cache[i];

	if (b->tex)
		SDL_DestroyTexture(b->tex);
	free(b->s);
	t->bytes -= b->bytes;
	t->cache[i] = t->cache[--t->n_cache];
	memset(&t->cache[t->n_cache], 0, sizeof(t->cache[0]));
}

void ui_text_flush(struct ui_text *t)
{
	size_t i;

	if (!t)
		return;
	while (t->n_cache)
		block_free(t, t->n_cache - 1);
	for (i = 0; i < UI_TEXT_FONTS_MAX; i++) {
		if (t->fonts[i].f)
			TTF_CloseFont(t->fonts[i].f);
		memset(&t->fonts[i], 0, sizeof(t->fonts[i]));
	}
}

void ui_text_close(struct ui_text *t)
{
	if (!t)
		return;
	ui_text_flush(t);
	free(t);
}

void ui_text_frame(struct ui_text *t)
{
	t->tick++;
}

size_t ui_text_cached(const struct ui_text *t)
{
	return t->n_cache;
}

/* --- lines --------------------------------------------------------------- */

int ui_text_line_size(struct ui_text *t, const char *s, size_t len, int px,
    int bold, int rtl, int *w, int *h)
{
	struct run runs[RUNS_MAX];
	char buf[UI_TEXT_MAX + 1];
	size_t nr, i;
	int tw = 0, th = 0;

	nr = bidi_split(s, len, rtl, font_get(t, px, bold, 1), runs, RUNS_MAX);
	for (i = 0; i < nr; i++) {
		TTF_Font *f = font_get(t, px, bold, runs[i].arab);
		int rw = 0, rh = 0;
		if (!f)
			return -1;
		memcpy(buf, s + runs[i].off, runs[i].len);
		buf[runs[i].len] = '\0';
		if (TTF_SizeUTF8(f, buf, &rw, &rh) != 0)
			return -1;
		tw += rw;
		if (TTF_FontHeight(f) > th)
			th = TTF_FontHeight(f);
	}
	*w = tw;
	*h = th;
	return 0;
}

/* The smallest rectangle of surf (ARGB8888) holding every pixel that is
 * not fully transparent; {0,0,0,0} if there is none. */
static SDL_Rect ink_of(SDL_Surface *surf)
{
	SDL_Rect r = {0, 0, 0, 0};
	int x, y, x0 = surf->w, x1 = -1, y0 = surf->h, y1 = -1;

	if (SDL_LockSurface(surf) != 0)
		return r;
	for (y = 0; y < surf->h; y++) {
		const Uint32 *row = (const Uint32 *)((const Uint8 *)surf->pixels +
		    (size_t)y * (size_t)surf->pitch);
		for (x = 0; x < surf->w; x++) {
			if ((row[x] >> 24) == 0)
				continue;
			if (x < x0)
				x0 = x;
			if (x > x1)
				x1 = x;
			if (y < y0)
				y0 = y;
			y1 = y;
		}
	}
	SDL_UnlockSurface(surf);
	if (x1 >= 0) {
		r.x = x0;
		r.y = y0;
		r.w = x1 - x0 + 1;
		r.h = y1 - y0 + 1;
	}
	return r;
}

/* Render one line (white) into a new surface with runs in visual order.
 * The line box is the Latin font's (ascent + descent), grown only as far
 * as the ink needs: the Arabic font's own box is half as tall again as its
 * letters, which would space Arabic lines out and put their baseline lower
 * than that of Latin text beside them. */
static SDL_Surface *line_render(struct ui_text *t, const char *s, size_t len,
    int px, int bold, int rtl)
{
	struct run runs[RUNS_MAX];
	SDL_Surface *parts[RUNS_MAX] = {0}, *out = NULL, *full = NULL;
	int asc[RUNS_MAX];
	char buf[UI_TEXT_MAX + 1];
	size_t nr, i;
	int tw = 0, max_asc = 0, max_desc = 0, x, top, bottom;
	SDL_Rect ink;
	const SDL_Color white = {255, 255, 255, 255};
	TTF_Font *latin = font_get(t, px, bold, 0);

	if (!latin)
		return NULL;
	nr = bidi_split(s, len, rtl, font_get(t, px, bold, 1), runs, RUNS_MAX);
	for (i = 0; i < nr; i++) {
		TTF_Font *f = font_get(t, px, bold, runs[i].arab);
		if (!f)
			goto out;
		memcpy(buf, s + runs[i].off, runs[i].len);
		buf[runs[i].len] = '\0';
		asc[i] = TTF_FontAscent(f);
		if (asc[i] > max_asc)
			max_asc = asc[i];
		if (-TTF_FontDescent(f) > max_desc)
			max_desc = -TTF_FontDescent(f);
		parts[i] = TTF_RenderUTF8_Blended(f, buf, white);
		if (parts[i])
			tw += parts[i]->w;
	}
	if (tw <= 0)
		goto out;
	full = SDL_CreateRGBSurfaceWithFormat(0, tw, max_asc + max_desc + 1, 32,
	    SDL_PIXELFORMAT_ARGB8888);
	if (!full)
		goto out;
	SDL_FillRect(full, NULL, 0);
	x = rtl ? tw : 0;
	for (i = 0; i < nr; i++) {
		SDL_Rect dst;
		if (!parts[i])
			continue;
		SDL_SetSurfaceBlendMode(parts[i], SDL_BLENDMODE_NONE);
		if (rtl)
			x -= parts[i]->w;
		dst.x = x;
		dst.y = max_asc - asc[i];
		dst.w = parts[i]->w;
		dst.h = parts[i]->h;
		SDL_BlitSurface(parts[i], NULL, full, &dst);
		if (!rtl)
			x += parts[i]->w;
	}
	/* rows [top, bottom) of full: the Latin box around the baseline, and
	 * whatever ink lies beyond it */
	top = max_asc - TTF_FontAscent(latin);
	bottom = max_asc - TTF_FontDescent(latin) + 1;
	if (top < 0)
		top = 0;
	if (bottom > full->h)
		bottom = full->h;
	ink = ink_of(full);
	if (ink.h > 0) {
		if (ink.y < top)
			top = ink.y;
		if (ink.y + ink.h > bottom)
			bottom = ink.y + ink.h;
	}
	if (top == 0 && bottom == full->h) {
		out = full;
		full = NULL;
	} else {
		SDL_Rect src = {0, top, tw, bottom - top};
		out = SDL_CreateRGBSurfaceWithFormat(0, tw, bottom - top, 32,
		    SDL_PIXELFORMAT_ARGB8888);
		if (out) {
			SDL_SetSurfaceBlendMode(full, SDL_BLENDMODE_NONE);
			SDL_BlitSurface(full, &src, out, NULL);
		}
	}
out:
	for (i = 0; i < nr; i++)
		SDL_FreeSurface(parts[i]);
	SDL_FreeSurface(full);
	return out;
}



static SDL_Surface *block_render(struct ui_text *t, const char *s, int px,
    int bold, int rtl, int maxw, int max_lines, enum ui_text_align align,
    int *cut)
{
	struct span lines[TEXT_LINES_MAX];
	SDL_Surface *ls[TEXT_LINES_MAX] = {0}, *out = NULL;
	char buf[UI_TEXT_MAX + 8];
	size_t n, i;
	int bw = 0, bh = 0, skip, y;
	TTF_Font *f = font_get(t, px, bold, 0);

	if (!f)
		return NULL;
	skip = TTF_FontLineSkip(f);
	n = ui_text_wrap(t, s, px, bold, rtl, maxw, max_lines, lines);
	*cut = 0;
	for (i = 0; i < n; i++) {
		memcpy(buf, s + lines[i].off, lines[i].len);
		buf[lines[i].len] = '\0';
		if (lines[i].ellipsis) {
			memcpy(buf + lines[i].len, ELLIPSIS, sizeof(ELLIPSIS));
			*cut = 1;
		}
		if (buf[0])
			ls[i] = line_render(t, buf, strlen(buf), px, bold, rtl);
		if (ls[i] && ls[i]->w > bw)
			bw = ls[i]->w;
	}
	if (bw == 0 || n == 0)
		goto out;
	/* a line taller than the line skip (ink beyond the box) pushes the
	 * next one down rather than into it */
	for (i = 0, y = 0; i < n; i++) {
		int lh = ls[i] ? ls[i]->h : skip;
		bh = y + lh;
		y += lh > skip ? lh : skip;
	}
	out = SDL_CreateRGBSurfaceWithFormat(0, bw, bh, 32,
	    SDL_PIXELFORMAT_ARGB8888);
	if (!out)
		goto out;
	SDL_FillRect(out, NULL, 0);
	for (i = 0, y = 0; i < n; i++) {
		int lh = ls[i] ? ls[i]->h : skip;
		SDL_Rect dst;
		if (!ls[i]) {
			y += lh > skip ? lh : skip;
			continue;
		}
		dst.w = ls[i]->w;
		dst.h = ls[i]->h;
		dst.y = y;
		dst.x = align == UI_TA_LEFT ? 0 : align == UI_TA_CENTER
		    ? (bw - dst.w) / 2 : bw - dst.w;
		SDL_SetSurfaceBlendMode(ls[i], SDL_BLENDMODE_NONE);
		SDL_BlitSurface(ls[i], NULL, out, &dst);
		y += lh > skip ? lh : skip;
	}
out:
	for (i = 0; i < n; i++)
		SDL_FreeSurface(ls[i]);
	return out;
}

/* --- the cache -------------------------------------------------------------- */

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static void evict(struct ui_text *t, size_t need)
{
	while (t->n_cache > 0 && (t->n_cache >= UI_TEXT_CACHE_MAX ||
	    t->bytes + need > UI_TEXT_CACHE_BYTES)) {
		size_t i, old = 0;
		for (i = 1; i < t->n_cache; i++)
			if (t->cache[i].last < t->cache[old].last)
				old = i;
		block_free(t, old);
	}
}

SDL_Texture *ui_text_get(struct ui_text *t, SDL_Renderer *ren, const char *s,
    int px, int bold, int rtl, int maxw, int max_lines,
    enum ui_text_align align, struct ui_text_info *info)
{
	struct block *b;
	SDL_Surface *surf;
	SDL_Texture *tex;
	uint32_t hash;
	size_t i, bytes;
	int was_cut = 0;

	memset(info, 0, sizeof(*info));
	if (!s || !*s || strlen(s) >= UI_TEXT_MAX)
		return NULL;
	hash = fnv1a(s);
	for (i = 0; i < t->n_cache; i++) {
		b = &t->cache[i];
		if (b->hash == hash && b->px == px && b->bold == bold &&
		    b->rtl == rtl && b->maxw == maxw && b->max_lines == max_lines &&
		    b->align == (int)align && strcmp(b->s, s) == 0) {
			b->last = t->tick;
			info->w = b->w;
			info->h = b->h;
			info->cut = b->cut;
			info->ink = b->ink;
			return b->tex;
		}
	}
	surf = block_render(t, s, px, bold, rtl, maxw, max_lines, align, &was_cut);
	if (!surf)
		return NULL;
	bytes = (size_t)surf->w * (size_t)surf->h * 4;
	evict(t, bytes);
	tex = SDL_CreateTextureFromSurface(ren, surf);
	if (!tex) {
		SDL_FreeSurface(surf);
		return NULL;
	}
	SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
	b = &t->cache[t->n_cache];
	b->s = strdup(s);
	if (!b->s) {
		SDL_DestroyTexture(tex);
		SDL_FreeSurface(surf);
		return NULL;
	}
	t->n_cache++;
	b->hash = hash;
	b->px = px;
	b->bold = bold;
	b->rtl = rtl;
	b->maxw = maxw;
	b->max_lines = max_lines;
	b->align = (int)align;
	b->tex = tex;
	b->w = surf->w;
	b->h = surf->h;
	b->cut = was_cut;
	b->ink = ink_of(surf);
	b->bytes = bytes;
	b->last = t->tick;
	t->bytes += bytes;
	info->w = b->w;
	info->h = b->h;
	info->cut = b->cut;
	info->ink = b->ink;
	SDL_FreeSurface(surf);
	return tex;
}

int ui_text_size(struct ui_text *t, const char *s, int px, int bold, int rtl,
    int *w, int *h)
{
	*w = *h = 0;
	if (!s || !*s)
		return 0;
	if (strlen(s) >= UI_TEXT_MAX)
		return -1;
	return ui_text_line_size(t, s, strlen(s), px, bold, rtl, w, h);
}
