/* newcomer.c — a newcomer registers at an open session, one question per
 * page (v->new_page): the language (each name in its own script), the
 * first name and the first letter of the last name on the on-screen
 * keyboard (drawing mirrors itself in Arabic), then consent in plain
 * words with a pictogram per line (what we
 * keep, how long, who sees it, that they can ask us to delete it), and,
 * after "no", that nothing was kept with the guest check-in offered.
 * Must not: show more than the newcomer's own first name and initial, or
 * keep anything itself (kiosk/newcomer.c decides what is recorded). */
#include "ui.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"

/* "amina", 'b' -> "Amina B." (the first letter of each word capitalised). */
static void shown_name(const struct ui_view *v, char *out, size_t n)
{
	size_t k = 0, i;

	for (i = 0; v->new_name[i] && k + 1 < n; i++) {
		char c = v->new_name[i];

		if ((i == 0 || v->new_name[i - 1] == ' ') && c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		out[k++] = c;
	}
	if (v->new_initial && k + 4 < n) {
		out[k++] = ' ';
		out[k++] = (char)(v->new_initial - 'a' + 'A');
		out[k++] = '.';
	}
	out[k] = '\0';
}

static void langs(struct ui *u, SDL_Rect area)
{
	int g = ui_px(u, 16), i, rows = (I18N_LANGS + 1) / 2;

	for (i = 0; i < I18N_LANGS; i++) {
		SDL_Rect b = ui_col(ui_row(area, rows, i / 2, g), 2, i % 2, g);
		int rtl = u->rtl;

		if (i == I18N_LANGS - 1 && i % 2 == 0)   /* an odd last one: centred */
			b.x = area.x + (area.w - b.w) / 2;

		ui_rrect(u, b, ui_px(u, 14), UI_COL_PRIMARY);
		u->rtl = i18n_langs[i].rtl;
		/* ui_text mirrors in RTL: keep the button where it is */
		if (u->rtl != rtl)
			b.x = u->w - b.x - b.w;
		ui_text(u, ui_inset(b, ui_px(u, 8)), i18n_langs[i].name, 34,
		    UI_BOLD | UI_ALIGN_C | UI_VCENTER | UI_ONELINE, UI_COL_WHITE);
		u->rtl = rtl;
		if (u->rtl != i18n_langs[i].rtl)
			b.x = u->w - b.x - b.w;
		ui_hit_add(u, b, UI_ACT_NEW_LANG, i);
	}
}

/* The name field with "Next" beside it, and the keyboard below. */
static void typing(struct ui *u, const struct ui_view *v, const char *title,
    int ready)
{
	int m = ui_px(u, 10), fh = ui_px(u, 64), top;
	SDL_Rect field, next, kb;
	char name[UI_NEW_NAME_MAX + 8];

	ui_topbar(u, v, title);
	top = ui_topbar_h(u) + m;
	field.x = m;
	field.y = top;
	field.w = (u->w - 3 * m) * 68 / 100;
	field.h = fh;
	next = field;
	next.x = field.x + field.w + m;
	next.w = u->w - next.x - m;
	ui_rrect(u, field, ui_px(u, 10), UI_COL_PRIMARY);
	ui_rrect(u, ui_inset(field, ui_px(u, 2)), ui_px(u, 9),
	    UI_COL_PANEL);
	shown_name(v, name, sizeof(name));
	if (v->new_page == UI_NP_INITIAL && !v->new_initial)
		snprintf(name + strlen(name), sizeof(name) - strlen(name), " _");
	else if (v->new_page == UI_NP_NAME)
		snprintf(name + strlen(name), sizeof(name) - strlen(name), "|");
	ui_text(u, ui_inset(field, ui_px(u, 8)), name, 30,
	    UI_BOLD | UI_VCENTER | UI_ONELINE | UI_LTR, UI_COL_TEXT);
	ui_button(u, next, ui_tr(u, "Continue"),
	    ready ? UI_BTN_OK : UI_BTN_SECONDARY,
	    ready ? UI_ACT_NEW_NEXT : UI_ACT_NONE, 0);
	kb.x = m;
	kb.y = field.y + fh + m;
	kb.w = u->w - 2 * m;
	kb.h = u->h - kb.y - m;
	ui_keyboard(u, kb, UI_ACT_HOME, 0);
}

/* One line of the consent page: a pictogram and a sentence. */
static void consent_line(struct ui *u, SDL_Rect r, const char *icon,
    const char *text)
{
	SDL_Rect ic = r, t = r;
	int isz = r.h < ui_px(u, 64) ? r.h : ui_px(u, 64);

	ic.w = ic.h = isz;
	ic.y = r.y + (r.h - isz) / 2;
	ui_rrect(u, ic, isz / 2, UI_COL_PRIMARY);
	ui_icon(u, icon, ui_inset(ic, isz / 8));
	t.x = r.x + isz + ui_px(u, 14);
	t.w = r.w - isz - ui_px(u, 14);
	ui_text(u, t, text, 22, UI_VCENTER | UI_TWOLINES, UI_COL_TEXT);
}

static void consent(struct ui *u, const struct ui_view *v)
{
	static const char *const icons[4] = { "keep", "clock", "eye", "erase" };
	const char *lines[4];
	char title[UI_NEW_NAME_MAX + 64], name[UI_NEW_NAME_MAX + 8];
	int m = ui_px(u, 12), top, bottom, i;
	SDL_Rect area;

	shown_name(v, name, sizeof(name));
	ui_trf(u, title, sizeof(title), "May we keep your name, %s?", name, NULL);
	ui_topbar(u, v, title);
	lines[0] = ui_tr(u, "We keep: your first name and first letter, your language and your visits.");
	lines[1] = ui_tr(u, "How long: as long as this organisation's rules say. Then we delete it.");
	lines[2] = ui_tr(u, "Who sees it: only the coordinators of this organisation.");
	lines[3] = ui_tr(u, "You can always ask us to delete it.");
	top = ui_topbar_h(u) + m;
	bottom = ui_bottom_button(u, 2, 0, 0).y - m;
	area.x = 2 * m;
	area.w = u->w - 4 * m;
	for (i = 0; i < 4; i++) {
		area.y = top + (bottom - top) * i / 4;
		area.h = (bottom - top) / 4 - m / 2;
		consent_line(u, area, icons[i], lines[i]);
	}
	ui_button(u, ui_bottom_button(u, 2, 0, 0), ui_tr(u, "No"),
	    UI_BTN_SECONDARY, UI_ACT_NEW_NO, 0);
	ui_button(u, ui_bottom_button(u, 2, 1, 0), ui_tr(u, "Yes, that is fine"),
	    UI_BTN_OK, UI_ACT_NEW_YES, 0);
}

void ui_screen_newcomer(struct ui *u, const struct ui_view *v)
{
	SDL_Rect area;
	int m = ui_px(u, 16), top;

	switch (v->new_page) {
	case UI_NP_LANG:
		ui_topbar(u, v, ui_tr(u, "Welcome! Which language do you speak?"));
		top = ui_topbar_h(u) + m;
		area.x = m;
		area.y = top;
		area.w = u->w - 2 * m;
		area.h = ui_bottom_button(u, 1, 0, 0).y - m - top;
		langs(u, area);
		ui_button(u, ui_bottom_button(u, 1, 0, 0), ui_tr(u, "Back"),
		    UI_BTN_SECONDARY, UI_ACT_HOME, 0);
		break;
	case UI_NP_NAME:
		typing(u, v, ui_tr(u, "What is your first name?"), v->new_name[0] != '\0');
		break;
	case UI_NP_INITIAL:
		typing(u, v, ui_tr(u, "The first letter of your last name?"),
		    v->new_initial != 0);
		break;
	case UI_NP_CONSENT:
		consent(u, v);
		break;
	case UI_NP_DECLINED:
	default:
		ui_message_layout(u, UI_COL_WARN_BG, UI_COL_WARN, "info",
		    ui_tr(u, "We did not keep your name"),
		    v->guest_ok ? ui_tr(u, "You can join as a guest.") : "",
		    ui_tr(u, "Ask a coordinator for help."), 1);
		ui_button(u, ui_bottom_button(u, v->guest_ok ? 2 : 1, 0, 0),
		    ui_tr(u, "Back"), UI_BTN_SECONDARY, UI_ACT_HOME, 0);
		if (v->guest_ok)
			ui_button(u, ui_bottom_button(u, 2, 1, 0),
			    ui_tr(u, "Join as a guest"), UI_BTN_PRIMARY, UI_ACT_GUEST, 0);
		break;
	}
}
