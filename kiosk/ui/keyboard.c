/* keyboard.c — the on-screen keyboard for the coordinator's person search
 * and a newcomer's name:
 * letters A-Z (QWERTY rows), space and erase, each key a touch target of
 * at least the minimum size where the screen allows. Must not: keep state
 * (the typed text lives in the view). */
#include "ui.h"

#include <string.h>

void ui_keyboard(struct ui *u, SDL_Rect r, int back_action, int back_arg)
{
	static const char *const rows[3] = { "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM" };
	int g = ui_px(u, 6), i, k;

	for (i = 0; i < 4; i++) {
		SDL_Rect row = ui_row(r, 4, i, g);
		if (i < 3) {
			int n = (int)strlen(rows[i]);
			/* rows keep the width of a 10-key row, centred */
			int kw = (row.w - 9 * g) / 10;
			int x0 = row.x + (row.w - (n * kw + (n - 1) * g)) / 2;
			for (k = 0; k < n; k++) {
				char label[2] = { rows[i][k], '\0' };
				SDL_Rect key = { x0 + k * (kw + g), row.y, kw, row.h };
				/* keys stay in QWERTY order in Arabic too */
				if (u->rtl)
					key.x = u->w - key.x - key.w;
				ui_button(u, key, label, UI_BTN_SECONDARY, UI_ACT_CHAR,
				    rows[i][k] - 'A' + 'a');
			}
		} else {
			ui_button(u, ui_col(row, 3, 0, g), ui_tr(u, "Space"),
			    UI_BTN_SECONDARY, UI_ACT_CHAR, ' ');
			ui_button(u, ui_col(row, 3, 1, g), ui_tr(u, "Erase"),
			    UI_BTN_SECONDARY, UI_ACT_BACKSPACE, 0);
			ui_button(u, ui_col(row, 3, 2, g), ui_tr(u, "Back"),
			    UI_BTN_SECONDARY, back_action, back_arg);
		}
	}
}
