/* welcome.c — the confirmation after a check-in (or guest, or drop-in):
 * greets by first name in the person's own language, names the session and
 * the volunteer role. Shown only once the event is committed (app.c).
 * A touch anywhere goes home; the app also goes home after a few seconds.
 * Must not: show anything but the first name. */
#include "ui.h"

#include <stdio.h>

void ui_screen_welcome(struct ui *u, const struct ui_view *v)
{
	char title[PR_NAME_MAX + 64], body[PR_TITLE_MAX + PR_ROOM_MAX + 64];
	char body2[PR_TITLE_MAX + 256];
	SDL_Rect all = {0, 0, u->w, u->h};

	if (v->guest && !v->newcomer)
		ui_trf(u, title, sizeof(title), "Welcome, guest!", NULL, NULL);
	else
		ui_trf(u, title, sizeof(title), "Welcome, %s!", v->first_name, NULL);
	body[0] = body2[0] = '\0';
	if (v->session[0] && v->room[0])
		snprintf(body, sizeof(body), "%s \xC2\xB7 %s", v->session, v->room);
	else if (v->session[0])
		snprintf(body, sizeof(body), "%s", v->session);
	if (v->newcomer) {
		ui_trf(u, body2, sizeof(body2), "A coordinator will confirm your registration.",
		    NULL, NULL);
	} else if (v->role[0]) {
		/* a volunteer's hours count until the check-out: say how */
		ui_two_sentences(u, body2, sizeof(body2), "Today you are: %s",
		    ui_role_name(u, v->role), "When you leave, tap your card again: "
		    "that checks you out.");
	} else if (v->dropin) {
		if (v->next_at[0])
			ui_trf(u, body2, sizeof(body2), "No session now. Next: %s %s",
			    v->next_at, v->next_title);
		else
			ui_trf(u, body2, sizeof(body2), "No session now. You are welcome!",
			    NULL, NULL);
	} else {
		ui_trf(u, body2, sizeof(body2), "You are checked in.", NULL, NULL);
	}
	ui_message_layout(u, UI_COL_OK, UI_COL_WHITE, "check", title, body, body2, 0);
	ui_hit_add(u, all, UI_ACT_HOME, 0);
}
