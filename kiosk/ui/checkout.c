/* checkout.c — checked out: goodbye by first name, with the hours since the
 * check-in (volunteer hours are paid per hour). Shown after the commit.
 * Must not: round the hours in a way the hub would not (h:mm, floor). */
#include "ui.h"

#include <stdio.h>

void ui_screen_checkout(struct ui *u, const struct ui_view *v)
{
	char title[PR_NAME_MAX + 64], body[160], body2[PR_ROLE_MAX + PR_TITLE_MAX + 16];
	SDL_Rect all = {0, 0, u->w, u->h};

	ui_trf(u, title, sizeof(title), "Goodbye, %s!", v->first_name, NULL);
	ui_trf(u, body, sizeof(body), "You are checked out. Time: %s hours",
	    v->worked, NULL);
	body2[0] = '\0';
	if (v->role[0])
		snprintf(body2, sizeof(body2), "%s \xC2\xB7 %s",
		    ui_role_name(u, v->role), v->session);
	else
		snprintf(body2, sizeof(body2), "%s", v->session);
	ui_message_layout(u, UI_COL_HEADER, UI_COL_WHITE, "wave", title, body,
	    body2, 0);
	ui_hit_add(u, all, UI_ACT_HOME, 0);
}
