/* message.c — a problem the person must know about, in plain words: the
 * check-in could not be saved (so it is not confirmed), a card link failed,
 * a card could not be read; and one piece of good news, a card linked from
 * the dashboard. Must not: show technical detail (that goes to
 * the log). */
#include "ui.h"

void ui_screen_message(struct ui *u, const struct ui_view *v)
{
	const char *title, *body;

	if (v->message == UI_MSG_CARD_LINKED) {
		char text[PR_NAME_MAX + 96];

		ui_trf(u, text, sizeof(text), "This card is now the card of %s.",
		    v->first_name, NULL);
		ui_message_layout(u, UI_COL_OK, UI_COL_WHITE, "check",
		    ui_tr(u, "Card linked"), text, "", 0);
		ui_hit_add(u, (SDL_Rect){ 0, 0, u->w, u->h }, UI_ACT_HOME, 0);
		return;
	}
	switch (v->message) {
	case UI_MSG_LINK_FAILED:
		title = ui_tr(u, "The card was not linked");
		body = ui_tr(u, "Please try again.");
		break;
	case UI_MSG_CARD_UNREADABLE:
		title = ui_tr(u, "The card could not be read");
		body = ui_tr(u, "Hold your card still against the reader.");
		break;
	case UI_MSG_NOT_SAVED:
	default:
		title = ui_tr(u, "Something went wrong");
		body = ui_tr(u, "You are not checked in. Please try again.");
		break;
	}
	ui_message_layout(u, UI_COL_WARN_BG, UI_COL_ERROR, "alert", title, body,
	    ui_tr(u, "Ask a coordinator for help."), 1);
	ui_button(u, ui_bottom_button(u, 1, 0, 0), ui_tr(u, "OK"),
	    UI_BTN_PRIMARY, UI_ACT_HOME, 0);
}
