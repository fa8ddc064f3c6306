/* roster.c — this week's roster: sessions down, roles across, first names
 * in the cells. Every text wraps to the lines it needs (titles, role names,
 * names: nothing is cut with an ellipsis); each row is as tall as its
 * tallest cell; rows that do not fit go to the next page ("More", then
 * "From the start").
 * Must not: show more than first names (AVG), or scroll (a kiosk has no
 * scroll gestures for people with low digital skills). */
#include "ui.h"

#include <stdio.h>

#define ROSTER_PAD  6    /* px (at 800x480) around a cell's text */

/* Height text s needs in a box w wide at size px (all its lines). */
static int need_h(struct ui *u, int w, const char *s, int size, unsigned flags)
{
	int tw = 0, th = 0, cut = 0;

	if (ui_text_box(u, w, s, size, flags, &tw, &th, &cut) != 0)
		return ui_px(u, size);
	return th;
}

void ui_screen_roster(struct ui *u, const struct ui_view *v)
{
	int m = ui_px(u, 12), top, bottom, bh = ui_px(u, 64), pad = ui_px(u, ROSTER_PAD);
	int hh, first_w, cw, ncols, y, c, h, more = 0;
	SDL_Rect area, cell;
	static const char *const wdays[7] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	size_t i;

	ui_topbar(u, v, ui_tr(u, "Roster this week"));
	top = ui_topbar_h(u) + m;
	bottom = u->h - bh - 2 * m;
	area.x = m;
	area.y = top;
	area.w = u->w - 2 * m;
	area.h = bottom - top;
	ui_rrect(u, area, ui_px(u, 12), UI_COL_PANEL);
	area = ui_inset(area, ui_px(u, 8));
	ncols = (int)v->n_roster_roles;
	if (v->n_roster == 0 || ncols == 0) {
		ui_text(u, area, ui_tr(u, "No roster this week"), 24,
		    UI_ALIGN_C | UI_VCENTER, UI_COL_MUTED);
		goto back;
	}
	first_w = area.w * 32 / 100;
	cw = (area.w - first_w) / ncols;
	/* header: role names, as many lines as the longest needs */
	hh = ui_px(u, 28);
	for (c = 0; c < ncols; c++) {
		h = need_h(u, cw - 2 * pad, ui_role_name(u, v->roster_roles[c]), 15, UI_BOLD);
		if (h + 2 * pad > hh)
			hh = h + 2 * pad;
	}
	for (c = 0; c < ncols; c++) {
		cell.x = area.x + first_w + c * cw + pad;
		cell.y = area.y;
		cell.w = cw - 2 * pad;
		cell.h = hh;
		ui_text(u, cell, ui_role_name(u, v->roster_roles[c]), 15,
		    UI_BOLD | UI_VCENTER, UI_COL_PRIMARY);
	}
	y = area.y + hh;
	for (i = v->roster_first < v->n_roster ? v->roster_first : 0; i < v->n_roster; i++) {
		const struct ui_session_row *r = &v->roster[i];
		char when[48];
		int wh, th, rh;
		SDL_Rect line = {area.x, y, area.w, 1};

		snprintf(when, sizeof(when), "%s %d \xC2\xB7 %s",
		    ui_tr(u, wdays[r->wday % 7]), r->mday, r->from);
		wh = need_h(u, first_w - 2 * pad, when, 16, UI_BOLD);
		th = need_h(u, first_w - 2 * pad, r->title, 15, 0);
		rh = wh + th;
		for (c = 0; c < ncols; c++) {
			h = need_h(u, cw - 2 * pad, r->cells[c][0] ? r->cells[c] : "-", 16, 0);
			if (h > rh)
				rh = h;
		}
		rh += 2 * pad;
		if (y + rh > area.y + area.h && i > v->roster_first) {
			more = (int)i;   /* the next page starts here */
			break;
		}
		ui_fill(u, line, UI_COL_LINE);
		if (r->state == UI_ROW_NOW) {
			SDL_Rect hl = {area.x, y + 1, area.w, rh - 1};
			ui_fill(u, hl, UI_COL_PRIMARY_LIGHT);
		}
		cell.x = area.x + pad;
		cell.w = first_w - 2 * pad;
		cell.y = y + pad;
		cell.h = wh;
		ui_text(u, cell, when, 16, UI_BOLD, UI_COL_TEXT);
		cell.y += wh;
		cell.h = th;
		ui_text(u, cell, r->title, 15, 0, UI_COL_MUTED);
		for (c = 0; c < ncols; c++) {
			cell.x = area.x + first_w + c * cw + pad;
			cell.y = y + pad;
			cell.w = cw - 2 * pad;
			cell.h = rh - 2 * pad;
			ui_text(u, cell, r->cells[c][0] ? r->cells[c] : "\xE2\x80\x94", 16,
			    UI_VCENTER, UI_COL_TEXT);
		}
		y += rh;
	}
	if (more > 0 || v->roster_first > 0) {
		ui_button(u, ui_bottom_button(u, 2, 0, 0), ui_tr(u, "Back"),
		    UI_BTN_SECONDARY, UI_ACT_HOME, 0);
		ui_button(u, ui_bottom_button(u, 2, 1, 0),
		    ui_tr(u, more > 0 ? "More" : "From the start"), UI_BTN_PRIMARY,
		    UI_ACT_ROSTER, more);
		return;
	}
back:
	ui_button(u, ui_bottom_button(u, 1, 0, 0), ui_tr(u, "Back"),
	    UI_BTN_SECONDARY, UI_ACT_HOME, 0);
}
