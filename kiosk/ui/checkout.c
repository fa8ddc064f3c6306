/* checkout.c — checked out: goodbye by first name, with the time since the
 * check-in in words ("5 minutes", "1 hour and 20 minutes"; volunteer hours
 * are paid per hour). Shown after the commit.
 * Must not: round the time in a way the hub would not (whole minutes, floor). */
#include "ui.h"

#include <stdio.h>

/* n with its unit: "1 minute", "5 minutes" (one_id or many_id). */
static void amount(struct ui *u, char *buf, size_t len, int n, const char *one_id,
    const char *many_id)
{
	char num[16];

	snprintf(num, sizeof(num), "%d", n);
	if (n == 1)
		snprintf(buf, len, "%s", ui_tr(u, one_id));
	else
		ui_trf(u, buf, len, many_id, num, NULL);
}

/* Minutes in words: "0 minutes", "2 hours", "1 hour and 20 minutes". */
static void duration(struct ui *u, int minutes, char *buf, size_t len)
{
	char h[48], m[48];
	int hours = minutes / 60;

	amount(u, h, sizeof(h), hours, "1 hour", "%s hours");
	amount(u, m, sizeof(m), minutes % 60, "1 minute", "%s minutes");
	if (hours == 0)
		snprintf(buf, len, "%s", m);
	else if (minutes % 60 == 0)
		snprintf(buf, len, "%s", h);
	else
		ui_trf(u, buf, len, "%s and %s", h, m);
}

void ui_screen_checkout(struct ui *u, const struct ui_view *v)
{
	char title[PR_NAME_MAX + 64], body[256], body2[PR_ROLE_MAX + PR_TITLE_MAX + 16];
	char spent[120];
	SDL_Rect all = {0, 0, u->w, u->h};

	ui_trf(u, title, sizeof(title), "Goodbye, %s!", v->first_name, NULL);
	duration(u, v->worked_min, spent, sizeof(spent));
	ui_trf(u, body, sizeof(body), "You are checked out. Time: %s", spent, NULL);
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
