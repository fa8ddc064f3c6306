/* today.c — the home screen's today panel: today's sessions still to come
 * (time, room, title; now/next marked) and today's volunteers by role (a
 * table: role, then everyone holding it). Every item is measured first and
 * flowed onto pages the height of the panel; long text wraps, nothing is
 * cut. With more than one page, dots show which page is up and the panel
 * is one touch target that turns it; v->home_page picks the page and
 * u->home_pages tells the app how many there are.
 * Must not: keep state, decide when a page turns (the app does), or show
 * more than first names. */
#include "ui.h"

#include <stdio.h>
#include <string.h>

/* design px */
#define PAD          12   /* panel edge to content */
#define HEAD_SIZE    20   /* "Today", "Volunteers today" */
#define HEAD_GAP     4    /* below a heading */
#define SECTION_GAP  14   /* between the two sections on one page */
#define ITEM_GAP     6    /* between items */
#define TIME_SIZE    18
#define BADGE_SIZE   16
#define ROOM_SIZE    16
#define TITLE_SIZE   17
#define ROW_PAD_X    16   /* session row: start edge (after the bar) */
#define ROW_PAD_END  10
#define ROW_PAD_Y    5
#define LINE_GAP     8    /* between pieces on one line */
#define ROLE_SIZE    17
#define NAMES_SIZE   17
#define ROLE_COL_PCT 40   /* the role column takes at most this much */
#define ROLE_GAP     12   /* role column to names */
#define DOT          10   /* page dots */
#define DOT_GAP      8
#define DOTS_H       26   /* the strip the dots take at the bottom */

#define ITEMS_MAX  (PR_SESSIONS_DAY_MAX + UI_ROLES_MAX + 1)
#define PLACES_MAX (2 * ITEMS_MAX)   /* items and the headings they bring */

enum sec { SEC_TODAY = 0, SEC_VOLUNTEERS, SEC_COUNT };
enum kind { K_HEAD = 0, K_SESSION, K_EMPTY, K_ROLE };

struct item {
	enum kind kind;
	enum sec sec;
	size_t idx;       /* into v->today or v->roles */
	int h;            /* pixels */
};

struct place {
	enum kind kind;
	enum sec sec;
	size_t idx;
	int page, y, h;   /* y from the top of the page's content */
};

static const char *const heads[SEC_COUNT] = { "Today", "Volunteers today" };

/* One session: time, room (on the time's line if it fits there, else
 * below the title), the now/next badge at the end, the title wrapped.
 * Draws it at r (r.h ignored) if draw; returns its height in pixels. */
static int session_item(struct ui *u, SDL_Rect r,
    const struct ui_session_row *s, int draw)
{
	char when[2 * UI_HM + 8];
	const char *badge = NULL;
	SDL_Color fg = UI_COL_TEXT, badge_c = UI_COL_MUTED;
	SDL_Rect in = r, box;
	int tw, th, bw = 0, bh = 0, rw = 0, rh = 0, tiw, tih, l1, avail, cut;
	int room_inline = 0, gap = ui_px(u, LINE_GAP), y;

	if (s->state == UI_ROW_NOW) {
		badge = ui_tr(u, "Now");
		badge_c = UI_COL_PRIMARY;
	} else if (s->state == UI_ROW_NEXT) {
		badge = ui_tr(u, "Next");
	} else if (s->state == UI_ROW_PAST) {
		fg = UI_COL_MUTED;
	}
	snprintf(when, sizeof(when), "%s\xE2\x80\x93%s", s->from, s->to);
	in.x += ui_px(u, ROW_PAD_X);
	in.w -= ui_px(u, ROW_PAD_X) + ui_px(u, ROW_PAD_END);
	if (ui_text_box(u, in.w, when, TIME_SIZE, UI_BOLD | UI_LTR, &tw, &th,
	    NULL) != 0)
		return 0;
	if (badge)
		ui_text_box(u, in.w / 3, badge, BADGE_SIZE, UI_BOLD, &bw, &bh, NULL);
	avail = in.w - tw - gap - (badge ? bw + gap : 0);
	if (s->room[0] && avail > 0 && ui_text_box(u, avail, s->room, ROOM_SIZE,
	    UI_ONELINE, &rw, &rh, &cut) == 0 && !cut)
		room_inline = 1;
	l1 = th > bh ? th : bh;
	if (room_inline && rh > l1)
		l1 = rh;
	ui_text_box(u, in.w, s->title, TITLE_SIZE, 0, &tiw, &tih, NULL);
	if (s->room[0] && !room_inline)
		ui_text_box(u, in.w, s->room, ROOM_SIZE, 0, &rw, &rh, NULL);
	r.h = ui_px(u, ROW_PAD_Y) + l1 + tih + (room_inline ? 0 : rh) +
	    ui_px(u, ROW_PAD_Y) + ui_px(u, 2);
	if (!draw)
		return r.h;

	if (s->state == UI_ROW_NOW) {
		SDL_Rect bar = r;
		ui_rrect(u, r, ui_px(u, 8), UI_COL_PRIMARY_LIGHT);
		bar.w = ui_px(u, 6);
		ui_fill(u, bar, UI_COL_PRIMARY);
	}
	y = r.y + ui_px(u, ROW_PAD_Y);
	box = in;
	box.y = y;
	box.w = tw;
	box.h = l1;
	ui_text(u, box, when, TIME_SIZE, UI_BOLD | UI_LTR, fg);
	/* smaller text on the time's line shares its baseline (the ascent is
	 * about 4/5 of a Noto line) */
	if (badge) {
		box = in;
		box.y = y + (th - bh) * 4 / 5;
		box.h = bh;
		ui_text(u, box, badge, BADGE_SIZE, UI_BOLD | UI_ALIGN_END, badge_c);
	}
	if (room_inline) {
		box.x = in.x + tw + gap;
		box.y = y + (th - rh) * 4 / 5;
		box.w = avail;
		box.h = rh;
		ui_text(u, box, s->room, ROOM_SIZE, UI_ONELINE, UI_COL_MUTED);
	}
	y += l1;
	box = in;
	box.y = y;
	box.h = tih;
	ui_text(u, box, s->title, TITLE_SIZE, 0, fg);
	if (s->room[0] && !room_inline) {
		box.y = y + tih;
		box.h = rh;
		ui_text(u, box, s->room, ROOM_SIZE, 0, UI_COL_MUTED);
	}
	return r.h;
}

/* 1 if role name `name` is one word wider than w: it could only be broken
 * between letters there. */
static int one_long_word(struct ui *u, const char *name, int w)
{
	int nw, nh;

	return !strpbrk(name, " -/") && ui_text_measure(u, name, ROLE_SIZE,
	    UI_BOLD, &nw, &nh) == 0 && nw > w;
}

/* The width of the role column: the widest role name as wrapped to
 * ROLE_COL_PCT of w. A name that is one word wider than that gets a line of
 * its own (role_item), so it does not widen the column. */
static int role_col(struct ui *u, const struct ui_view *v, int w)
{
	int max = w * ROLE_COL_PCT / 100, col = 0, rw, rh;
	size_t i;

	for (i = 0; i < v->n_roles; i++) {
		const char *name = ui_role_name(u, v->roles[i].role);
		if (one_long_word(u, name, max))
			continue;
		if (ui_text_box(u, max, name, ROLE_SIZE, UI_BOLD, &rw, &rh,
		    NULL) == 0 && rw > col)
			col = rw;
	}
	return col > 0 ? col : max;
}

/* One role: its name in the role column, who holds it beside it; a name
 * too long for the column takes the whole width, the names go below it. */
static int role_item(struct ui *u, SDL_Rect r, int col,
    const struct ui_role_row *role, int draw)
{
	const char *name = ui_role_name(u, role->role);
	char names[UI_DAY_NAMES_MAX + 16];
	SDL_Rect a = r, b = r;
	int aw, ah, bw, bh, gap = ui_px(u, ROLE_GAP);
	int own_line = one_long_word(u, name, col);

	if (role->n_more > 0)
		snprintf(names, sizeof(names), "%s +%d", role->names, role->n_more);
	else
		snprintf(names, sizeof(names), "%s", role->names);
	if (!own_line)
		a.w = col;
	b.x = r.x + col + gap;
	b.w = r.w - col - gap;
	if (ui_text_box(u, a.w, name, ROLE_SIZE, UI_BOLD, &aw, &ah, NULL) != 0)
		ah = 0;
	if (ui_text_box(u, b.w, names, NAMES_SIZE, 0, &bw, &bh, NULL) != 0)
		bh = 0;
	if (own_line)
		b.y = r.y + ah;
	if (draw) {
		a.h = ah;
		b.h = bh;
		ui_text(u, a, name, ROLE_SIZE, UI_BOLD, UI_COL_TEXT);
		ui_text(u, b, names, NAMES_SIZE, 0, UI_COL_TEXT);
	}
	return own_line ? ah + bh : ah > bh ? ah : bh;
}

/* Height of a heading, or draws it. */
static int head_item(struct ui *u, SDL_Rect r, enum sec sec, int draw)
{
	const char *s;
	int w, h;

	if ((unsigned)sec >= SEC_COUNT)
		return 0;
	s = ui_tr(u, heads[sec]);
	if (ui_text_box(u, r.w, s, HEAD_SIZE, UI_BOLD, &w, &h, NULL) != 0)
		return 0;
	if (draw) {
		r.h = h;
		ui_text(u, r, s, HEAD_SIZE, UI_BOLD, UI_COL_TEXT);
	}
	return h;
}

/* Gaps in pixels for paginate. */
struct gaps {
	int head, section, item;
};

/* Flow the items onto pages page_h pixels high: an item that does not fit
 * the rest of a page starts the next one, and a section's heading goes
 * with its first item on every page the section is on (never alone at the
 * bottom). Returns the places filled (at most 2n) and the number of pages
 * in *pages (at least 1). */
static size_t paginate(const struct item *it, size_t n, const int head_h[],
    const struct gaps *g, int page_h, struct place *pl, int *pages)
{
	size_t i, np = 0;
	int page = 0, y = 0, sec_on_page = -1;

	for (i = 0; i < n; i++) {
		int new_sec = (int)it[i].sec != sec_on_page;
		int need = it[i].h + (new_sec ? head_h[it[i].sec] + g->head +
		    (y > 0 ? g->section : 0) : g->item);
		if (y > 0 && y + need > page_h) {
			page++;
			y = 0;
			new_sec = 1;
		}
		if (new_sec) {
			if (y > 0)
				y += g->section;
			pl[np].kind = K_HEAD;
			pl[np].sec = it[i].sec;
			pl[np].idx = 0;
			pl[np].page = page;
			pl[np].y = y;
			pl[np].h = head_h[it[i].sec];
			np++;
			y += head_h[it[i].sec] + g->head;
			sec_on_page = (int)it[i].sec;
		} else {
			y += g->item;
		}
		pl[np].kind = it[i].kind;
		pl[np].sec = it[i].sec;
		pl[np].idx = it[i].idx;
		pl[np].page = page;
		pl[np].y = y;
		pl[np].h = it[i].h;
		np++;
		y += it[i].h;
	}
	*pages = page + 1;
	return np;
}

static void draw_dots(struct ui *u, SDL_Rect strip, int pages, int page)
{
	int d = ui_px(u, DOT), g = ui_px(u, DOT_GAP), i;
	SDL_Rect dot;

	dot.w = dot.h = d;
	dot.y = strip.y + (strip.h - d) / 2;
	dot.x = strip.x + (strip.w - (pages * d + (pages - 1) * g)) / 2;
	for (i = 0; i < pages; i++) {
		/* layout order: the first page at the start (right in Arabic) */
		SDL_Rect m = dot;
		m.x = dot.x + i * (d + g);
		ui_rrect(u, m, d / 2, i == page ? UI_COL_PRIMARY : UI_COL_LINE);
	}
}

void ui_today_panel(struct ui *u, const struct ui_view *v, SDL_Rect col)
{
	struct item it[ITEMS_MAX];
	struct place pl[PLACES_MAX];
	struct gaps g;
	SDL_Rect c = ui_inset(col, ui_px(u, PAD)), r;
	size_t n = 0, np, i, first = 0;
	int head_h[SEC_COUNT], pages, page, rcol = 0, s;

	ui_rrect(u, col, ui_px(u, 14), UI_COL_PANEL);
	/* Past sessions give way to what is still to come. */
	while (first < v->n_today && v->today[first].state == UI_ROW_PAST &&
	    v->n_today - first > 1)
		first++;
	for (i = first; i < v->n_today && n < ITEMS_MAX; i++) {
		it[n].kind = K_SESSION;
		it[n].sec = SEC_TODAY;
		it[n].idx = i;
		it[n].h = session_item(u, c, &v->today[i], 0);
		n++;
	}
	if (v->n_today == 0) {
		int w;
		it[n].kind = K_EMPTY;
		it[n].sec = SEC_TODAY;
		it[n].idx = 0;
		if (ui_text_box(u, c.w, ui_tr(u, "No sessions today"), TITLE_SIZE,
		    0, &w, &it[n].h, NULL) != 0)
			it[n].h = 0;
		n++;
	}
	if (v->n_roles)
		rcol = role_col(u, v, c.w);
	for (i = 0; i < v->n_roles && n < ITEMS_MAX; i++) {
		it[n].kind = K_ROLE;
		it[n].sec = SEC_VOLUNTEERS;
		it[n].idx = i;
		it[n].h = role_item(u, c, rcol, &v->roles[i], 0);
		n++;
	}
	for (s = 0; s < SEC_COUNT; s++)
		head_h[s] = head_item(u, c, (enum sec)s, 0);
	g.head = ui_px(u, HEAD_GAP);
	g.section = ui_px(u, SECTION_GAP);
	g.item = ui_px(u, ITEM_GAP);
	np = paginate(it, n, head_h, &g, c.h, pl, &pages);
	if (pages > 1)           /* room for the dots */
		np = paginate(it, n, head_h, &g, c.h - ui_px(u, DOTS_H), pl,
		    &pages);
	page = v->home_page > 0 ? v->home_page % pages : 0;
	u->home_pages = pages;
	for (i = 0; i < np; i++) {
		if (pl[i].page != page)
			continue;
		r = c;
		r.y = c.y + pl[i].y;
		r.h = pl[i].h;
		switch (pl[i].kind) {
		case K_HEAD:
			head_item(u, r, pl[i].sec, 1);
			break;
		case K_SESSION:
			session_item(u, r, &v->today[pl[i].idx], 1);
			break;
		case K_EMPTY:
			ui_text(u, r, ui_tr(u, "No sessions today"), TITLE_SIZE, 0,
			    UI_COL_MUTED);
			break;
		case K_ROLE:
			role_item(u, r, rcol, &v->roles[pl[i].idx], 1);
			break;
		}
	}
	if (pages > 1) {
		SDL_Rect strip = c;
		strip.y = c.y + c.h - ui_px(u, DOTS_H);
		strip.h = ui_px(u, DOTS_H);
		draw_dots(u, strip, pages, page);
		ui_hit_add(u, col, UI_ACT_PAGE, (page + 1) % pages);
	}
}
