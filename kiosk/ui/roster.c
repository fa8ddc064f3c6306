/* roster.c — this week's roster: sessions down, roles across, first names
 * in the cells. Must not: show more than first names (AVG), or scroll (a
 * kiosk has no scroll gestures for people with low digital skills: the
 * rows that fit are shown, starting with the app's first row). */
#include "ui.h"

#include <stdio.h>

void ui_screen_roster(struct ui *u, const struct ui_view *v)
{
	int m = ui_px(u, 12), top, bottom, bh = ui_px(u, 64), rh = ui_px(u, 46);
	int hh = ui_px(u, 40), first_w, cw, ncols, y, c;
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
	/* header: role names */
	for (c = 0; c < ncols; c++) {
		cell.x = area.x + first_w + c * cw + ui_px(u, 6);
		cell.y = area.y;
		cell.w = cw - ui_px(u, 12);
		cell.h = hh;
		ui_text(u, cell, ui_role_name(u, v->roster_roles[c]), 15,
		    UI_BOLD | UI_TWOLINES | UI_VCENTER, UI_COL_PRIMARY);
	}
	y = area.y + hh;
	for (i = 0; i < v->n_roster && y + rh <= area.y + area.h; i++, y += rh) {
		const struct ui_session_row *r = &v->roster[i];
		char when[48];
		SDL_Rect line = {area.x, y, area.w, 1};
		ui_fill(u, line, UI_COL_LINE);
		if (r->state == UI_ROW_NOW) {
			SDL_Rect hl = {area.x, y + 1, area.w, rh - 1};
			ui_fill(u, hl, UI_COL_PRIMARY_LIGHT);
		}
		snprintf(when, sizeof(when), "%s %d \xC2\xB7 %s",
		    ui_tr(u, wdays[r->wday % 7]), r->mday, r->from);
		cell.x = area.x + ui_px(u, 6);
		cell.w = first_w - ui_px(u, 12);
		cell.y = y + ui_px(u, 2);
		cell.h = rh / 2;
		ui_text(u, cell, when, 16, UI_BOLD | UI_ONELINE, UI_COL_TEXT);
		cell.y = y + rh / 2;
		ui_text(u, cell, r->title, 15, UI_ONELINE, UI_COL_MUTED);
		for (c = 0; c < ncols; c++) {
			cell.x = area.x + first_w + c * cw + ui_px(u, 6);
			cell.y = y + ui_px(u, 2);
			cell.w = cw - ui_px(u, 12);
			cell.h = rh - ui_px(u, 4);
			ui_text(u, cell, r->cells[c][0] ? r->cells[c] : "\xE2\x80\x94", 16,
			    UI_TWOLINES | UI_VCENTER, UI_COL_TEXT);
		}
	}
back:
	ui_button(u, ui_bottom_button(u, 1, 0, 0), ui_tr(u, "Back"),
	    UI_BTN_SECONDARY, UI_ACT_HOME, 0);
}
