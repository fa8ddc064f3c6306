/* already.c — a second tap within the repeat window: "you are already
 * checked in at 13:52" (or out); nothing is recorded. Touch goes home.
 * Must not: suggest something went wrong; it is a friendly note. */
#include "ui.h"

void ui_screen_already(struct ui *u, const struct ui_view *v)
{
	char title[PR_NAME_MAX + 64], body[160];
	SDL_Rect all = {0, 0, u->w, u->h};

	ui_trf(u, title, sizeof(title), "Hello, %s!", v->first_name, NULL);
	if (v->already_out)
		ui_trf(u, body, sizeof(body), "You already checked out at %s.",
		    v->at, NULL);
	else
		ui_trf(u, body, sizeof(body), "You are already checked in at %s.",
		    v->at, NULL);
	ui_message_layout(u, UI_COL_PRIMARY, UI_COL_WHITE, "info", title, body,
	    v->session, 0);
	ui_hit_add(u, all, UI_ACT_HOME, 0);
}
