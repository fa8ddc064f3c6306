/* unknown.c — a card nobody holds, kindly: "ask a coordinator", and at an
 * open session a guest check-in and, where newcomers may register, "I am
 * new" (the card becomes theirs once a coordinator approves). A random-UID card (phones, some bank
 * cards) gets "this card cannot be used" and the PIN pad instead.
 * Must not: blame the person or show any card number. */
#include "ui.h"

void ui_screen_unknown(struct ui *u, const struct ui_view *v)
{
	int n = 0, i = 0;

	if (v->random_uid) {
		ui_message_layout(u, UI_COL_WARN_BG, UI_COL_WARN, "card-x",
		    ui_tr(u, "This card cannot be used"),
		    ui_tr(u, "Use your own card or your PIN code."),
		    ui_tr(u, "Ask a coordinator for help."), 1);
		ui_button(u, ui_bottom_button(u, 2, 0, 0), ui_tr(u, "Back"),
		    UI_BTN_SECONDARY, UI_ACT_HOME, 0);
		ui_button(u, ui_bottom_button(u, 2, 1, 0), ui_tr(u, "PIN code"),
		    UI_BTN_PRIMARY, UI_ACT_PIN, 0);
		return;
	}
	ui_message_layout(u, UI_COL_WARN_BG, UI_COL_WARN, "card-question",
	    ui_tr(u, "We do not know this card yet"),
	    ui_tr(u, "Ask a coordinator for help."),
	    v->guest_ok ? ui_tr(u, "You can also join as a guest.") : "", 1);
	n = 1 + (v->guest_ok != 0) + (v->newcomer_ok != 0);
	ui_button(u, ui_bottom_button(u, n, i++, 0), ui_tr(u, "Back"),
	    UI_BTN_SECONDARY, UI_ACT_HOME, 0);
	if (v->guest_ok)
		ui_button(u, ui_bottom_button(u, n, i++, 0),
		    ui_tr(u, "Join as a guest"), UI_BTN_PRIMARY, UI_ACT_GUEST, 0);
	if (v->newcomer_ok)
		ui_button(u, ui_bottom_button(u, n, i, 0), ui_tr(u, "I am new"),
		    UI_BTN_OK, UI_ACT_NEW, 1);
}
