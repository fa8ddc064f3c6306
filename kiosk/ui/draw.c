/* draw.c — the drawing primitives screens share: filled and rounded
 * rectangles (with soft edges), buttons that register their touch target,
 * icons, and the top bar and status line that frame most screens.
 * Must not: decide what a screen shows; coordinates in are layout pixels. */
#include "ui.h"

#include <math.h>
#include <stdio.h>

#include "icons.h"
#include "reader.h"

#define TOPBAR_H      56   /* design px */
#define STATUSLINE_H  30

void ui_fill(struct ui *u, SDL_Rect r, SDL_Color c)
{
	SDL_Rect m = ui_mirror(u, r);

	SDL_SetRenderDrawColor(u->ren, c.r, c.g, c.b, c.a);
	SDL_RenderFillRect(u->ren, &m);
}

/* Rounded rectangle in window pixels; edge pixels get partial alpha. */
static void rrect_px(SDL_Renderer *ren, SDL_Rect m, int rad, SDL_Color c)
{
	SDL_Rect mid;
	int dy;

	if (rad * 2 > m.h)
		rad = m.h / 2;
	if (rad * 2 > m.w)
		rad = m.w / 2;
	SDL_SetRenderDrawColor(ren, c.r, c.g, c.b, c.a);
	mid.x = m.x;
	mid.y = m.y + rad;
	mid.w = m.w;
	mid.h = m.h - 2 * rad;
	SDL_RenderFillRect(ren, &mid);
	for (dy = 0; dy < rad; dy++) {
		double yc = rad - dy - 0.5;
		double edge = rad - sqrt((double)rad * rad - yc * yc);
		int full = (int)ceil(edge);
		double cover = full - edge;
		SDL_Rect row[2];
		int k;
		row[0].x = m.x + full;
		row[0].w = m.w - 2 * full;
		row[0].h = 1;
		row[0].y = m.y + dy;
		row[1] = row[0];
		row[1].y = m.y + m.h - 1 - dy;
		SDL_SetRenderDrawColor(ren, c.r, c.g, c.b, c.a);
		SDL_RenderFillRects(ren, row, 2);
		if (full > 0 && cover > 0.05) {
			SDL_SetRenderDrawColor(ren, c.r, c.g, c.b,
			    (Uint8)(c.a * cover));
			for (k = 0; k < 2; k++) {
				SDL_RenderDrawPoint(ren, m.x + full - 1, row[k].y);
				SDL_RenderDrawPoint(ren, m.x + m.w - full, row[k].y);
			}
		}
	}
}

void ui_rrect(struct ui *u, SDL_Rect r, int radius, SDL_Color c)
{
	rrect_px(u->ren, ui_mirror(u, r), radius, c);
}

void ui_hit_add(struct ui *u, SDL_Rect r, int action, int arg)
{
	if (u->n_hits == UI_HITS_MAX)
		return;
	u->hits[u->n_hits].r = ui_mirror(u, r);
	u->hits[u->n_hits].action = action;
	u->hits[u->n_hits].arg = arg;
	u->n_hits++;
}

void ui_button(struct ui *u, SDL_Rect r, const char *label, enum ui_style st,
    int action, int arg)
{
	SDL_Color fill = UI_COL_PRIMARY, fg = UI_COL_WHITE;
	int rad = ui_px(u, 10), size = 22;
	SDL_Rect t;

	switch (st) {
	case UI_BTN_PRIMARY: break;
	case UI_BTN_OK: fill = UI_COL_OK; break;
	case UI_BTN_DANGER: fill = UI_COL_ERROR; break;
	case UI_BTN_SECONDARY:
	case UI_BTN_SELECTED:
		fg = UI_COL_PRIMARY;
		break;
	}
	ui_rrect(u, r, rad, fill);
	if (st == UI_BTN_SECONDARY)
		ui_rrect(u, ui_inset(r, ui_px(u, 2)), rad, UI_COL_PANEL);
	else if (st == UI_BTN_SELECTED)
		ui_rrect(u, ui_inset(r, ui_px(u, 4)), rad, UI_COL_PRIMARY_LIGHT);
	if (r.h < ui_px(u, 50))
		size = 18;
	t = ui_inset(r, ui_px(u, 8));
	ui_text(u, t, label, size, UI_BOLD | UI_ALIGN_C | UI_VCENTER | UI_TWOLINES,
	    fg);
	if (action != UI_ACT_NONE)
		ui_hit_add(u, r, action, arg);
}

void ui_icon(struct ui *u, const char *name, SDL_Rect r)
{
	int px = r.w < r.h ? r.w : r.h;
	SDL_Texture *t = ui_icons_get(u->icons, u->ren, name, px);
	SDL_Rect m = ui_mirror(u, r), dst;

	if (!t)
		return;
	dst.w = dst.h = px;
	dst.x = m.x + (m.w - px) / 2;
	dst.y = m.y + (m.h - px) / 2;
	SDL_RenderCopy(u->ren, t, NULL, &dst);
}

int ui_topbar_h(const struct ui *u)
{
	return ui_px(u, TOPBAR_H);
}

int ui_statusline_h(const struct ui *u)
{
	return ui_px(u, STATUSLINE_H);
}

SDL_Rect ui_topbar(struct ui *u, const struct ui_view *v, const char *title)
{
	SDL_Rect bar = {0, 0, u->w, ui_topbar_h(u)};
	SDL_Rect t = ui_inset(bar, ui_px(u, 8));
	int pad = ui_px(u, 16), clock_w = ui_px(u, 110);

	ui_fill(u, bar, UI_COL_HEADER);
	t.x = pad;
	t.w = u->w - 2 * pad - clock_w;
	ui_text(u, t, title ? title : v->location, 24, UI_BOLD | UI_VCENTER |
	    UI_ONELINE, UI_COL_WHITE);
	t.x = u->w - pad - clock_w;
	t.w = clock_w;
	ui_text(u, t, v->clock, 30, UI_BOLD | UI_VCENTER | UI_ALIGN_END | UI_LTR,
	    UI_COL_WHITE);
	return bar;
}

SDL_Rect ui_statusline(struct ui *u, const struct ui_view *v)
{
	SDL_Rect bar = {0, u->h - ui_statusline_h(u), u->w, ui_statusline_h(u)};
	SDL_Rect dot, t;
	SDL_Color dc = UI_COL_MUTED;
	const char *reader;
	char line[320], waiting[96], synced[96];
	int d = ui_px(u, 12), pad = ui_px(u, 16);

	switch (v->reader_state) {
	case READER_READY:
		reader = ui_tr(u, "Card reader ready");
		dc = UI_COL_OK;
		break;
	case READER_CONNECTING:
		reader = ui_tr(u, "Connecting to the card reader");
		dc = UI_COL_WARN;
		break;
	case READER_DISCONNECTED:
		reader = ui_tr(u, "Card reader not connected");
		dc = UI_COL_ERROR;
		break;
	default:
		reader = ui_tr(u, "No card reader");
		break;
	}
	if (v->pending > 0) {
		char num[24];
		snprintf(num, sizeof(num), "%ld", v->pending);
		ui_trf(u, waiting, sizeof(waiting), "%s waiting to send", num, NULL);
	}
	else if (v->pending == 0)
		snprintf(waiting, sizeof(waiting), "%s", ui_tr(u, "All sent"));
	else
		waiting[0] = '\0';
	if (v->sync_error)
		snprintf(synced, sizeof(synced), "%s", ui_tr(u, "Sync failed"));
	else if (v->last_sync[0])
		ui_trf(u, synced, sizeof(synced), "Last sync %s", v->last_sync,
		    NULL);
	else
		snprintf(synced, sizeof(synced), "%s", ui_tr(u, "Not synced yet"));
	if (snprintf(line, sizeof(line), "%s  \xC2\xB7  %s  \xC2\xB7  %s", reader,
	    waiting, synced) >= (int)sizeof(line))
		line[sizeof(line) - 1] = '\0';

	ui_fill(u, bar, UI_COL_LINE);
	dot.x = pad;
	dot.y = bar.y + (bar.h - d) / 2;
	dot.w = dot.h = d;
	ui_rrect(u, dot, d / 2, dc);
	t = bar;
	t.x = pad + d + ui_px(u, 8);
	t.w = u->w - t.x - pad;
	ui_text(u, t, line, 15, UI_VCENTER | UI_ONELINE, UI_COL_TEXT);
	return bar;
}
