/* guest.c — guest check-in at an open session: one question, one big
 * button. The guest event is recorded without a name (nothing to store).
 * Must not: ask for personal data. */
#include "ui.h"

void ui_screen_guest(struct ui *u, const struct ui_view *v)
{
	char body[PR_TITLE_MAX + 64];

	ui_trf(u, body, sizeof(body), "Join %s as a guest?", v->session, NULL);
	ui_message_layout(u, UI_COL_BG, UI_COL_TEXT, "guest",
	    ui_tr(u, "Welcome!"), body, v->room, 1);
	ui_button(u, ui_bottom_button(u, 2, 0, 0), ui_tr(u, "Back"),
	    UI_BTN_SECONDARY, UI_ACT_HOME, 0);
	ui_button(u, ui_bottom_button(u, 2, 1, 0), ui_tr(u, "Yes, join"),
	    UI_BTN_OK, UI_ACT_GUEST_OK, 0);
}
