/* ui.c — the frame: sets up the drawing context, picks the screen's language
 * and direction, dispatches to the screen's draw function, and answers
 * which action a touch or a key means on the frame last drawn.
 * Must not: change the view or call anything outside kiosk/ui and i18n. */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "icons.h"
#include "text.h"

int ui_create(SDL_Renderer *ren, const struct i18n *tr, const char *font_dir,
    const char *icon_dir, struct ui **out, char *err, size_t errlen)
{
	struct ui *u;
	int w = 0, h = 0;

	*out = NULL;
	u = calloc(1, sizeof(*u));
	if (!u) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	u->ren = ren;
	u->tr = tr;
	u->lang = "nl";
	if (ui_text_open(font_dir, &u->text, err, errlen) != 0) {
		free(u);
		return -1;
	}
	if (ui_icons_open(icon_dir, &u->icons) != 0) {
		snprintf(err, errlen, "out of memory");
		ui_text_close(u->text);
		free(u);
		return -1;
	}
	if (SDL_GetRendererOutputSize(ren, &w, &h) != 0)
		w = UI_DESIGN_W, h = UI_DESIGN_H;
	ui_layout_resize(u, w, h);
	*out = u;
	return 0;
}

void ui_destroy(struct ui *u)
{
	if (!u)
		return;
	ui_icons_close(u->icons);
	ui_text_close(u->text);
	ui_trace_free(u);
	free(u);
}

const char *ui_tr(const struct ui *u, const char *msgid)
{
	return i18n_get(u->tr, u->lang, msgid);
}

const char *ui_trf(const struct ui *u, char *buf, size_t len, const char *msgid,
    const char *a, const char *b)
{
	const char *args[2] = {a, b};

	i18n_format(buf, len, ui_tr(u, msgid), args, 2);
	return buf;
}

static enum ui_text_align visual_align(const struct ui *u, unsigned flags)
{
	if (flags & UI_ALIGN_C)
		return UI_TA_CENTER;
	if (flags & UI_ALIGN_END)
		return u->rtl ? UI_TA_LEFT : UI_TA_RIGHT;
	return u->rtl ? UI_TA_RIGHT : UI_TA_LEFT;
}

/* The cached block for s at width maxw with the direction rules of
 * ui_text; NULL for nothing to draw. */
static SDL_Texture *text_block(struct ui *u, int maxw, const char *s,
    int size, unsigned flags, struct ui_text_info *info)
{
	enum ui_text_align a = visual_align(u, flags);
	int rtl = u->rtl && !(flags & UI_LTR);
	int max_lines = (flags & UI_ONELINE) ? 1 : (flags & UI_TWOLINES) ? 2 : 0;
	int first;

	memset(info, 0, sizeof(*info));
	if (!s || !*s || maxw <= 0)
		return NULL;
	/* Text takes the direction of its first letter (data such as Latin
	 * names and titles inside an Arabic screen reads left to right, an
	 * Arabic name inside a Dutch screen right to left); where it sits
	 * follows the screen. */
	first = ui_text_first_strong(s);
	if (!(flags & UI_LTR) && first >= 0)
		rtl = first;
	return ui_text_get(u->text, u->ren, s, ui_px(u, size),
	    (flags & UI_BOLD) != 0, rtl, maxw, max_lines, a, info);
}

/* Words in s (runs of non-blank bytes): what a reader has to read. */
static int count_words(const char *s)
{
	int n = 0, in = 0;

	for (; *s; s++) {
		int blank = *s == ' ' || *s == '\n' || *s == '\t';
		if (!blank && !in)
			n++;
		in = !blank;
	}
	return n;
}

void ui_full_stop(char *buf, size_t len)
{
	size_t n = strlen(buf);

	if (n > 0 && buf[n - 1] != '.' && buf[n - 1] != '!' && buf[n - 1] != '?' &&
	    n + 1 < len) {
		buf[n] = '.';
		buf[n + 1] = '\0';
	}
}

void ui_two_sentences(struct ui *u, char *buf, size_t len, const char *msgid,
    const char *arg, const char *then)
{
	size_t n;

	ui_trf(u, buf, len, msgid, arg, NULL);
	ui_full_stop(buf, len);
	n = strlen(buf);
	snprintf(buf + n, len - n, " %s", ui_tr(u, then));
}

int ui_text(struct ui *u, SDL_Rect r, const char *s, int size, unsigned flags,
    SDL_Color c)
{
	SDL_Texture *tex;
	SDL_Rect m = ui_mirror(u, r), dst, ink;
	enum ui_text_align a = visual_align(u, flags);
	struct ui_text_info ti;
	int w, h;

	tex = text_block(u, r.w, s, size, flags, &ti);
	if (!tex)
		return 0;
	u->words += count_words(s);
	dst.w = w = ti.w;
	dst.h = h = ti.h;
	dst.x = a == UI_TA_LEFT ? m.x : a == UI_TA_CENTER ? m.x + (m.w - w) / 2
	    : m.x + m.w - w;
	dst.y = (flags & UI_VCENTER) ? m.y + (m.h - h) / 2 : m.y;
	SDL_SetTextureColorMod(tex, c.r, c.g, c.b);
	SDL_SetTextureAlphaMod(tex, c.a);
	SDL_RenderCopy(u->ren, tex, NULL, &dst);
	ink = ti.ink;
	ink.x += dst.x;
	ink.y += dst.y;
	ui_trace_text(u, m, ink, ti.cut, s);
	return h;
}

int ui_text_box(struct ui *u, int maxw, const char *s, int size,
    unsigned flags, int *w, int *h, int *cut)
{
	struct ui_text_info ti;

	*w = *h = 0;
	if (cut)
		*cut = 0;
	if (!text_block(u, maxw, s, size, flags, &ti))
		return -1;
	*w = ti.w;
	*h = ti.h;
	if (cut)
		*cut = ti.cut;
	return 0;
}

int ui_text_measure(struct ui *u, const char *s, int size, unsigned flags,
    int *w, int *h)
{
	return ui_text_size(u->text, s, ui_px(u, size), (flags & UI_BOLD) != 0,
	    u->rtl && !(flags & UI_LTR), w, h);
}

typedef void (*screen_fn)(struct ui *, const struct ui_view *);

static const screen_fn screens[UI_SCREEN_COUNT] = {
	[UI_HOME] = ui_screen_home,
	[UI_WELCOME] = ui_screen_welcome,
	[UI_PIN] = ui_screen_pin,
	[UI_CHOOSE] = ui_screen_choose,
	[UI_ALREADY] = ui_screen_already,
	[UI_CHECKOUT] = ui_screen_checkout,
	[UI_UNKNOWN] = ui_screen_unknown,
	[UI_GUEST] = ui_screen_guest,
	[UI_ROSTER] = ui_screen_roster,
	[UI_COORD] = ui_screen_coord,
	[UI_MESSAGE] = ui_screen_message,
	[UI_NEWCOMER] = ui_screen_newcomer,
};

void ui_draw(struct ui *u, const struct ui_view *v)
{
	int w = 0, h = 0;

	if (SDL_GetRendererOutputSize(u->ren, &w, &h) == 0 &&
	    (w != u->w || h != u->h))
		ui_layout_resize(u, w, h);
	ui_text_frame(u->text);
	ui_trace_frame(u);
	u->n_hits = 0;
	u->home_pages = 0;
	u->words = 0;
	u->lang = i18n_lang_index(v->lang) >= 0 ? v->lang : "nl";
	u->rtl = i18n_is_rtl(u->lang);
	SDL_SetRenderDrawBlendMode(u->ren, SDL_BLENDMODE_BLEND);
	SDL_SetRenderDrawColor(u->ren, UI_COL_BG.r, UI_COL_BG.g, UI_COL_BG.b, 255);
	SDL_RenderClear(u->ren);
	if ((unsigned)v->screen < UI_SCREEN_COUNT && screens[v->screen])
		screens[v->screen](u, v);
}

const char *ui_action_name(int action)
{
	static const char *const names[UI_ACT_COUNT] = {
		"none", "home", "pin", "roster", "lang", "digit", "backspace",
		"pin_ok", "choose", "guest", "guest_ok", "coord", "char", "pick",
		"leave", "page", "new", "new_lang", "new_next", "new_yes", "new_no"
	};

	return action >= 0 && action < UI_ACT_COUNT ? names[action] : "?";
}

int ui_hit(const struct ui *u, int x, int y, int *arg)
{
	size_t i = u->n_hits;
	SDL_Point p = {x, y};

	while (i-- > 0) {
		if (SDL_PointInRect(&p, &u->hits[i].r)) {
			*arg = u->hits[i].arg;
			return u->hits[i].action;
		}
	}
	*arg = 0;
	return UI_ACT_NONE;
}

static int digit_of(SDL_Keycode k)
{
	if (k >= SDLK_0 && k <= SDLK_9)
		return (int)(k - SDLK_0);
	if (k >= SDLK_KP_1 && k <= SDLK_KP_9)
		return (int)(k - SDLK_KP_1) + 1;
	if (k == SDLK_KP_0)
		return 0;
	return -1;
}

int ui_key(const struct ui_view *v, SDL_Keycode k, int *arg)
{
	int d = digit_of(k);
	int enter = k == SDLK_RETURN || k == SDLK_KP_ENTER;

	*arg = 0;
	switch (v->screen) {
	case UI_HOME:
		if (k == SDLK_p)
			return UI_ACT_PIN;
		if (k == SDLK_r)
			return UI_ACT_ROSTER;
		if (k == SDLK_PAGEDOWN) {
			*arg = v->home_page + 1;    /* the app wraps it */
			return UI_ACT_PAGE;
		}
		return UI_ACT_NONE;
	case UI_PIN:
		if (d >= 0 && v->lock_left <= 0) {
			*arg = d;
			return UI_ACT_DIGIT;
		}
		if (k == SDLK_BACKSPACE)
			return UI_ACT_BACKSPACE;
		if (enter && v->lock_left <= 0)
			return UI_ACT_PIN_OK;
		break;
	case UI_CHOOSE:
		if (d >= 1 && (size_t)d <= v->n_choices) {
			*arg = d - 1;
			return UI_ACT_CHOOSE;
		}
		break;
	case UI_GUEST:
		if (enter)
			return UI_ACT_GUEST_OK;
		break;
	case UI_NEWCOMER:
		if (v->new_page == UI_NP_NAME || v->new_page == UI_NP_INITIAL) {
			if (k >= SDLK_a && k <= SDLK_z) {
				*arg = 'a' + (int)(k - SDLK_a);
				return UI_ACT_CHAR;
			}
			if (k == SDLK_SPACE) {
				*arg = ' ';
				return UI_ACT_CHAR;
			}
			if (k == SDLK_BACKSPACE)
				return UI_ACT_BACKSPACE;
			if (enter)
				return UI_ACT_NEW_NEXT;
		}
		return k == SDLK_ESCAPE ? UI_ACT_HOME : UI_ACT_NONE;
	case UI_COORD:
		if (v->coord_page == UI_CP_FIND) {
			if (k >= SDLK_a && k <= SDLK_z) {
				*arg = 'a' + (int)(k - SDLK_a);
				return UI_ACT_CHAR;
			}
			if (k == SDLK_SPACE) {
				*arg = ' ';
				return UI_ACT_CHAR;
			}
			if (k == SDLK_BACKSPACE)
				return UI_ACT_BACKSPACE;
		}
		if (k == SDLK_ESCAPE) {
			*arg = UI_CP_MENU;
			return v->coord_page == UI_CP_MENU ? UI_ACT_HOME : UI_ACT_COORD;
		}
		return UI_ACT_NONE;
	default:
		if (enter)
			return UI_ACT_HOME;
		break;
	}
	return k == SDLK_ESCAPE ? UI_ACT_HOME : UI_ACT_NONE;
}
