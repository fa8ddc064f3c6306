/* choose.c — several sessions are open and the person is enrolled in none
 * (or several): ask which one, with big rows. Must not: pick one itself. */
#include "ui.h"

#include <stdio.h>

void ui_screen_choose(struct ui *u, const struct ui_view *v)
{
	int m = ui_px(u, 14), top, bottom, bh = ui_px(u, 64), cols, rows, i;
	SDL_Rect area, head;
	char title[PR_NAME_MAX + 64];
	size_t n = v->n_choices > 8 ? 8 : v->n_choices;

	ui_trf(u, title, sizeof(title), "Hello, %s! Which session?", v->first_name,
	    NULL);
	ui_topbar(u, v, title);
	top = ui_topbar_h(u) + m;
	bottom = u->h - bh - 2 * m;
	head.x = m;
	head.y = top;
	head.w = u->w - 2 * m;
	head.h = ui_px(u, 34);
	ui_text(u, head, ui_tr(u, "Tap the session you are here for."), 22,
	    UI_ONELINE | UI_VCENTER, UI_COL_TEXT);
	area = head;
	area.y = head.y + head.h + m;
	area.h = bottom - area.y;
	cols = n > 4 ? 2 : 1;
	rows = (int)((n + (size_t)cols - 1) / (size_t)cols);
	if (rows < 3)
		rows = 3;
	for (i = 0; i < (int)n; i++) {
		SDL_Rect cell = ui_col(ui_row(area, rows, i / cols, m), cols, i % cols, m);
		ui_rrect(u, cell, ui_px(u, 12), UI_COL_PRIMARY);
		ui_rrect(u, ui_inset(cell, ui_px(u, 2)), ui_px(u, 11), UI_COL_PANEL);
		ui_session_row(u, ui_inset(cell, ui_px(u, 4)), &v->choices[i], 0);
		ui_hit_add(u, cell, UI_ACT_CHOOSE, i);
	}
	ui_button(u, ui_bottom_button(u, 1, 0, 0), ui_tr(u, "Back"),
	    UI_BTN_SECONDARY, UI_ACT_HOME, 0);
}
