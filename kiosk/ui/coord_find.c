/* coord_find.c — coordinator: find the person a new card goes to. A search
 * field, up to UI_FOUND_MAX names as buttons, and the on-screen keyboard.
 * Must not: list names before at least one letter is typed (no browsing
 * the whole list of people on a public screen). */
#include "ui.h"

#include <stdio.h>

void ui_screen_coord_find(struct ui *u, const struct ui_view *v)
{
	int m = ui_px(u, 10), top, fh = ui_px(u, 56), rh = ui_px(u, 56);
	SDL_Rect field, results, kb;
	char shown[UI_SEARCH_MAX + 8];
	size_t i;

	ui_topbar(u, v, ui_tr(u, "Link a new card: who is it for?"));
	top = ui_topbar_h(u) + m;
	field.x = m;
	field.y = top;
	field.w = u->w - 2 * m;
	field.h = fh;
	ui_rrect(u, field, ui_px(u, 10), UI_COL_PRIMARY);
	ui_rrect(u, ui_inset(field, ui_px(u, 2)), ui_px(u, 9), UI_COL_PANEL);
	snprintf(shown, sizeof(shown), "%s|", v->search);
	ui_text(u, ui_inset(field, ui_px(u, 12)),
	    v->search[0] ? shown : ui_tr(u, "Type a name"), 24,
	    UI_VCENTER | UI_ONELINE | UI_LTR,
	    v->search[0] ? UI_COL_TEXT : UI_COL_MUTED);
	results = field;
	results.y = field.y + fh + m;
	results.h = rh;
	if (v->search[0] && v->n_found == 0)
		ui_text(u, results, ui_tr(u, "Nobody found"), 20,
		    UI_VCENTER | UI_ONELINE, UI_COL_MUTED);
	for (i = 0; i < v->n_found && i < 3; i++)
		ui_button(u, ui_col(results, 3, (int)i, m), v->found[i],
		    UI_BTN_PRIMARY, UI_ACT_PICK, (int)i);
	kb = results;
	kb.y = results.y + rh + m;
	kb.h = u->h - kb.y - m;
	ui_keyboard(u, kb, UI_ACT_COORD, UI_CP_MENU);
}
