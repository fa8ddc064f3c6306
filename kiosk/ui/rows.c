/* rows.c — pieces several screens share: a session row, role names, the
 * full-screen message layout (welcome, already, unknown ...) and the bottom
 * button row. Must not: hold state or know which screen calls it. */
#include "ui.h"

#include <stdio.h>
#include <string.h>

void ui_session_row(struct ui *u, SDL_Rect r, const struct ui_session_row *s,
    int show_state)
{
	SDL_Rect l1 = r, l2, bar = r;
	char when[2 * UI_HM + 8], line2[PR_TITLE_MAX + PR_ROOM_MAX + 8];
	const char *badge = NULL;
	int pad = ui_px(u, 10);
	SDL_Color fg = UI_COL_TEXT;

	if (show_state && s->state == UI_ROW_NOW) {
		ui_rrect(u, r, ui_px(u, 8), UI_COL_PRIMARY_LIGHT);
		bar.w = ui_px(u, 6);
		ui_fill(u, bar, UI_COL_PRIMARY);
		badge = ui_tr(u, "Now");
	} else if (show_state && s->state == UI_ROW_NEXT) {
		badge = ui_tr(u, "Next");
	} else if (show_state && s->state == UI_ROW_PAST) {
		fg = UI_COL_MUTED;
	}
	snprintf(when, sizeof(when), "%s\xE2\x80\x93%s", s->from, s->to);
	if (s->room[0])
		snprintf(line2, sizeof(line2), "%s \xC2\xB7 %s", s->title, s->room);
	else
		snprintf(line2, sizeof(line2), "%s", s->title);
	l1.x += pad + ui_px(u, 6);
	l1.w -= 2 * pad + ui_px(u, 6);
	l1.h = r.h / 2;
	l1.y += ui_px(u, 3);
	l2 = l1;
	l2.y = r.y + r.h / 2;
	ui_text(u, l1, when, 18, UI_BOLD | UI_ONELINE | UI_LTR, fg);
	if (badge)
		ui_text(u, l1, badge, 16, UI_BOLD | UI_ALIGN_END | UI_ONELINE,
		    s->state == UI_ROW_NOW ? UI_COL_PRIMARY : UI_COL_MUTED);
	ui_text(u, l2, line2, 17, UI_ONELINE, fg);
}

const char *ui_role_name(const struct ui *u, const char *key)
{
	static const char *const roles[][2] = {
		{ "catering", "Catering" },
		{ "rolmodel", "Role model" },
		{ "coach", "Coach" },
		{ "gastvrouw", "Host" },
		{ "gastheer", "Host" },
		{ "host", "Host" },
		{ "begeleider", "Supervisor" },
		{ "vrijwilliger", "Volunteer" },
	};
	size_t i;

	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(key, roles[i][0]) == 0)
			return ui_tr(u, roles[i][1]);
	return key;
}

void ui_message_layout(struct ui *u, SDL_Color bg, SDL_Color fg,
    const char *icon, const char *title, const char *body, const char *body2,
    int buttons)
{
	SDL_Rect all = {0, 0, u->w, u->h}, ic, t;
	int pad = ui_px(u, 40), y, isz = ui_px(u, 120), btn = ui_px(u, 84);

	ui_fill(u, all, bg);
	ic.w = ic.h = isz;
	ic.x = (u->w - isz) / 2;
	ic.y = ui_px(u, buttons ? 28 : 64);
	if (icon)
		ui_icon(u, icon, ic);
	y = ic.y + isz + ui_px(u, 16);
	t.x = pad;
	t.w = u->w - 2 * pad;
	t.y = y;
	t.h = u->h - y - btn;
	y += ui_text(u, t, title, 44, UI_BOLD | UI_ALIGN_C | UI_TWOLINES, fg);
	t.y = y + ui_px(u, 12);
	y = t.y + ui_text(u, t, body, 26, UI_ALIGN_C | UI_TWOLINES, fg);
	t.y = y + ui_px(u, 8);
	ui_text(u, t, body2, 24, UI_ALIGN_C | UI_TWOLINES, fg);
}

SDL_Rect ui_bottom_button(const struct ui *u, int n, int i, int status)
{
	int m = ui_px(u, 16), h = ui_px(u, 64);
	SDL_Rect row;

	row.x = m;
	row.w = u->w - 2 * m;
	row.h = h;
	row.y = u->h - h - m - (status ? ui_statusline_h(u) : 0);
	if (n <= 1) {
		/* a lone button: centred, a third of the width */
		row.w = u->w / 3 > ui_px(u, 220) ? u->w / 3 : ui_px(u, 220);
		row.x = (u->w - row.w) / 2;
		return row;
	}
	return ui_col(row, n, i, m);
}
