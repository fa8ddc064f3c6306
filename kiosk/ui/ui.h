/* ui.h — the drawing context every screen shares, and the screens' entry points.
 * Owns: scale and right-to-left mirroring (layout.c), text (text.c), shapes,
 * buttons and icons (draw.c), the hit list a touch is matched against, and
 * one draw function per screen (one file each). Screens draw what the view
 * (view.h) holds and register touch targets; they must not touch the store,
 * the rules or any state outside struct ui. Coordinates given to the drawing
 * calls are left-to-right layout pixels; they mirror them for Arabic. */
#ifndef PRESENTIE_UI_H
#define PRESENTIE_UI_H

#include <SDL.h>
#include <stddef.h>
#include <stdio.h>

#include "view.h"

struct ui_text;
struct ui_icons;
struct ui_trace;
struct i18n;

#define UI_DESIGN_W     800   /* layouts are drawn for this size, then scaled */
#define UI_DESIGN_H     480
#define UI_TARGET_MIN   56    /* design px; 56 px at 800x480 is ~9.8 mm on the 7" Pi panel */
#define UI_HITS_MAX     128   /* touch targets on one screen */
#define UI_TRACE_TEXTS_MAX 256        /* texts one frame's trace keeps */
#define UI_TRACE_BYTES     (64 << 10) /* bytes of text one frame's trace keeps */
#define UI_TRACE_MARKS_MAX 8          /* named figures one frame's trace keeps */

/* Text flags for ui_text(). */
#define UI_BOLD        0x01u
#define UI_ALIGN_C     0x02u  /* centre; default is the start (left, or right in RTL) */
#define UI_ALIGN_END   0x04u  /* end (right, or left in RTL) */
#define UI_VCENTER     0x08u  /* centre vertically in the box; default top */
#define UI_ONELINE     0x10u  /* one line, cut with an ellipsis */
#define UI_TWOLINES    0x20u  /* at most two lines */
#define UI_LTR         0x40u  /* always left-to-right (digits, clock), even in RTL */

/* The palette: high contrast (text on its background >= 7:1 where it matters). */
#define UI_COL_BG       ((SDL_Color){0xF2, 0xF4, 0xF7, 0xFF})
#define UI_COL_PANEL    ((SDL_Color){0xFF, 0xFF, 0xFF, 0xFF})
#define UI_COL_TEXT     ((SDL_Color){0x10, 0x18, 0x20, 0xFF})
#define UI_COL_MUTED    ((SDL_Color){0x3E, 0x4A, 0x56, 0xFF})
#define UI_COL_LINE     ((SDL_Color){0xC9, 0xD1, 0xDA, 0xFF})
#define UI_COL_PRIMARY  ((SDL_Color){0x0B, 0x4F, 0x9C, 0xFF})
#define UI_COL_PRIMARY_LIGHT ((SDL_Color){0xDC, 0xEA, 0xFB, 0xFF})
#define UI_COL_OK       ((SDL_Color){0x12, 0x66, 0x2C, 0xFF})
#define UI_COL_WARN_BG  ((SDL_Color){0xFF, 0xF1, 0xD6, 0xFF})
#define UI_COL_WARN     ((SDL_Color){0x5C, 0x3B, 0x00, 0xFF})
#define UI_COL_ERROR    ((SDL_Color){0xA3, 0x12, 0x1F, 0xFF})
#define UI_COL_WHITE    ((SDL_Color){0xFF, 0xFF, 0xFF, 0xFF})
#define UI_COL_HEADER   ((SDL_Color){0x0E, 0x2A, 0x47, 0xFF})

enum ui_style {
	UI_BTN_PRIMARY = 0,  /* filled blue, white text */
	UI_BTN_SECONDARY,    /* white with a blue border */
	UI_BTN_SELECTED,     /* the chosen one of a group */
	UI_BTN_OK,           /* filled green */
	UI_BTN_DANGER        /* filled red */
};

struct ui_hit {
	SDL_Rect r;          /* window pixels (already mirrored) */
	int action;          /* enum ui_action */
	int arg;
};

struct ui {
	SDL_Renderer *ren;
	int w, h;                 /* output size in pixels */
	float s;                  /* scale: min(w / 800, h / 480) */
	int rtl;                  /* the current screen's language is right-to-left */
	const char *lang;         /* the current screen's language */
	const struct i18n *tr;
	struct ui_text *text;
	struct ui_icons *icons;
	struct ui_hit hits[UI_HITS_MAX];
	size_t n_hits;
	int home_pages;           /* pages the home screen's today panel needs
	                             (set by its draw; 0 on other screens) */
	struct ui_trace *trace;   /* what the frame drew (trace.c), NULL off */
	int words;                /* words of text the last frame drew (the
	                             outcome screens stay long enough to read) */
};

/* --- ui.c: setup and the frame ------------------------------------------ */

/* Create the context for renderer ren (not owned). font_dir holds the Noto
 * fonts, icon_dir the SVG icons. Returns 0 and *out, or -1 (err says why;
 * nothing allocated). */
int ui_create(SDL_Renderer *ren, const struct i18n *tr, const char *font_dir,
    const char *icon_dir, struct ui **out, char *err, size_t errlen);
void ui_destroy(struct ui *u);

/* Draw v completely (all screens go through here) into the back buffer; the
 * caller presents. Clears and refills the hit list. */
void ui_draw(struct ui *u, const struct ui_view *v);

/* A stable name for an action ("home", "pin_ok" ...), for traces and tests. */
const char *ui_action_name(int action);

/* The action under window point (x, y) on the last drawn frame, topmost
 * first. Returns UI_ACT_NONE if nothing is there; *arg is set otherwise. */
int ui_hit(const struct ui *u, int x, int y, int *arg);

/* The action a screen gives a key (SDL keycode), for keyboard users and
 * --feed `key`; UI_ACT_NONE if the key means nothing here. */
int ui_key(const struct ui_view *v, SDL_Keycode k, int *arg);

/* --- trace.c: what the last frame drew (tests, automation) ------------------ */
/* Start recording every text each frame draws. Returns 0, or -1 (out of
 * memory: tracing stays off). ui_destroy frees it. */
int ui_trace_enable(struct ui *u);
void ui_trace_free(struct ui *u);
void ui_trace_frame(struct ui *u);                   /* forget the last frame */
/* A figure of the frame that is not text (the PIN dots drawn): printed as
 * "mark NAME=VALUE"; name must outlive the frame (a literal). */
void ui_trace_mark(struct ui *u, const char *name, long value);
/* Record text s given box whose pixels landed in ink (window pixels); cut:
 * it ends in an ellipsis. A no-op unless tracing; a full frame drops (and
 * counts) the rest. */
void ui_trace_text(struct ui *u, SDL_Rect box, SDL_Rect ink, int cut,
    const char *s);
/* Print the last frame to f: "frame screen=N size=WxH page=P/N texts=N
 * dropped=N", then one line per text "text at=x,y,w,h box=x,y,w,h cut=0|1
 * over=0|1 off=0|1 s=TEXT" (at: its pixels; over: some outside its box;
 * off: some outside the window;
 * TEXT with \n and \\ escaped), then "frame end". */
void ui_trace_print(const struct ui *u, const struct ui_view *v, FILE *f);

/* --- layout.c ------------------------------------------------------------ */
void ui_layout_resize(struct ui *u, int w, int h);
int ui_px(const struct ui *u, int design);           /* design px -> pixels */
SDL_Rect ui_mirror(const struct ui *u, SDL_Rect r);  /* flip x in RTL */
SDL_Rect ui_inset(SDL_Rect r, int d);                /* shrink by d each side */
/* Split r into n equal columns with gap g (pixels); returns column i. */
SDL_Rect ui_col(SDL_Rect r, int n, int i, int g);
SDL_Rect ui_row(SDL_Rect r, int n, int i, int g);    /* rows likewise */

/* --- text.c (via ui.c) ---------------------------------------------------- */
/* Draw s in box r (layout coordinates) at design size `size` with flags
 * UI_*; wraps on spaces to r.w. Returns the height drawn in pixels (0 if
 * nothing). Rendered text is cached; unchanged text is not re-rendered. */
int ui_text(struct ui *u, SDL_Rect r, const char *s, int size, unsigned flags,
    SDL_Color c);
/* Width and height s would take on one line at design size `size`. */
int ui_text_measure(struct ui *u, const char *s, int size, unsigned flags,
    int *w, int *h);
/* The block ui_text would draw for s in a box maxw pixels wide, without
 * drawing it: *w, *h its size in pixels, *cut (may be NULL) 1 if it would
 * end in an ellipsis. Returns 0, or -1 for empty text or an error (*w, *h
 * 0). The rendering is cached, so drawing it next costs nothing. */
int ui_text_box(struct ui *u, int maxw, const char *s, int size,
    unsigned flags, int *w, int *h, int *cut);
/* Translate msgid into the current screen's language. */
const char *ui_tr(const struct ui *u, const char *msgid);
/* Translate msgid and fill its "%s" placeholders with a, then b (either may
 * be NULL) into buf (see i18n_format). Returns buf. */
/* End the sentence in buf with a full stop unless it ends with one (a name
 * ends with its initial's: "Peter D.", never "Peter D.."). */
void ui_full_stop(char *buf, size_t len);
/* buf = msgid with arg for its %s, ended with a full stop, a space, then the
 * translation of then. */
void ui_two_sentences(struct ui *u, char *buf, size_t len, const char *msgid,
    const char *arg, const char *then);
const char *ui_trf(const struct ui *u, char *buf, size_t len, const char *msgid,
    const char *a, const char *b);

/* --- draw.c --------------------------------------------------------------- */
void ui_fill(struct ui *u, SDL_Rect r, SDL_Color c);
void ui_rrect(struct ui *u, SDL_Rect r, int radius, SDL_Color c);  /* radius in px */
/* A button: draws it and registers (action, arg) for touches. */
void ui_button(struct ui *u, SDL_Rect r, const char *label, enum ui_style st,
    int action, int arg);
/* Register a touch target without drawing. */
void ui_hit_add(struct ui *u, SDL_Rect r, int action, int arg);
/* An icon from icon_dir/<name>.svg rendered to fit r (kept square, centred). */
void ui_icon(struct ui *u, const char *name, SDL_Rect r);
/* The frame pieces most screens share: the dark top bar with a title (and
 * clock), and the status line at the bottom. Each returns the bar's rect. */
SDL_Rect ui_topbar(struct ui *u, const struct ui_view *v, const char *title);
SDL_Rect ui_statusline(struct ui *u, const struct ui_view *v);
/* Heights of those bars in pixels. */
int ui_topbar_h(const struct ui *u);
int ui_statusline_h(const struct ui *u);

/* --- rows.c: pieces several screens share ------------------------------- */
/* One session as a two-line row: time (and now/next badge), title and room. */
void ui_session_row(struct ui *u, SDL_Rect r, const struct ui_session_row *s,
    int show_state);
/* The translated name of a role key ("catering" -> "Catering"); unknown
 * keys are shown as they are. */
const char *ui_role_name(const struct ui *u, const char *key);
/* A full-screen message: coloured background, icon, title, body lines;
 * buttons: the screen has a bottom button row (content moves up for it). */
void ui_message_layout(struct ui *u, SDL_Color bg, SDL_Color fg,
    const char *icon, const char *title, const char *body, const char *body2,
    int buttons);
/* A row of buttons at the bottom (above the status line if status != 0):
 * returns the rect for button i of n. */
SDL_Rect ui_bottom_button(const struct ui *u, int n, int i, int status);

/* --- today.c --------------------------------------------------------------- */
/* The home screen's today panel in col: sessions and volunteers, paged
 * (v->home_page; sets u->home_pages). */
void ui_today_panel(struct ui *u, const struct ui_view *v, SDL_Rect col);

/* --- one function per screen (ui/<screen>.c) ------------------------------ */
void ui_screen_home(struct ui *u, const struct ui_view *v);
void ui_screen_welcome(struct ui *u, const struct ui_view *v);
void ui_screen_pin(struct ui *u, const struct ui_view *v);
void ui_screen_choose(struct ui *u, const struct ui_view *v);
void ui_screen_already(struct ui *u, const struct ui_view *v);
void ui_screen_checkout(struct ui *u, const struct ui_view *v);
void ui_screen_unknown(struct ui *u, const struct ui_view *v);
void ui_screen_guest(struct ui *u, const struct ui_view *v);
void ui_screen_roster(struct ui *u, const struct ui_view *v);
void ui_screen_coord(struct ui *u, const struct ui_view *v);
void ui_screen_message(struct ui *u, const struct ui_view *v);
void ui_screen_coord_find(struct ui *u, const struct ui_view *v);
void ui_screen_newcomer(struct ui *u, const struct ui_view *v);
/* The on-screen keyboard inside r (coordinator's person search, a
 * newcomer's name); its Back key registers (back_action, back_arg). */
void ui_keyboard(struct ui *u, SDL_Rect r, int back_action, int back_arg);

#endif
