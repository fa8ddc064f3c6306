/* home.c — the home screen: location and clock, the big "hold your card
 * here" prompt with the card pictogram (or, while a card link started on
 * the dashboard waits, "hold the new card of <first name> here"; when no
 * card can be read, what to do instead: the PIN, a coordinator), the PIN
 * and roster buttons, "I am new" at an open session where newcomers may
 * register, the today panel (today.c: sessions and volunteers),
 * the language choice and the status line.
 * Must not: show more than first names (AVG). */
#include "ui.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "reader.h"

/* The card prompt's share of the width; the today panel (today.c) gets the
 * rest: names and titles wrap less there, so fewer pages turn. */
#define PROMPT_PCT 46

static void draw_langs(struct ui *u, const struct ui_view *v, SDL_Rect row)
{
	int i, g = ui_px(u, 10);

	for (i = 0; i < I18N_LANGS; i++) {
		SDL_Rect b = ui_col(row, I18N_LANGS, i, g);
		int sel = strcmp(v->home_lang, i18n_langs[i].code) == 0;
		int rtl = u->rtl;   /* each name in its own direction */
		ui_rrect(u, b, ui_px(u, 10), sel ? UI_COL_PRIMARY : UI_COL_LINE);
		if (!sel)
			ui_rrect(u, ui_inset(b, ui_px(u, 2)), ui_px(u, 9), UI_COL_PANEL);
		u->rtl = i18n_langs[i].rtl;
		/* keep the button where the screen's direction put it */
		if (u->rtl != rtl)
			b.x = u->w - b.x - b.w;
		ui_text(u, ui_inset(b, ui_px(u, 6)), i18n_langs[i].name, 21,
		    UI_BOLD | UI_ALIGN_C | UI_VCENTER | UI_ONELINE,
		    sel ? UI_COL_WHITE : UI_COL_PRIMARY);
		u->rtl = rtl;
		if (u->rtl != i18n_langs[i].rtl)
			b.x = u->w - b.x - b.w;
		ui_hit_add(u, b, UI_ACT_LANG, i);
	}
}

/* No card can be read here: a configured reader that does not work, or no
 * reader at all (no NFC, wedge, terminal or feed card source). */
static int no_reader(const struct ui_view *v)
{
	return v->reader_state == READER_DISCONNECTED ||
	    (v->reader_state == READER_NONE && !v->card_source);
}

/* The prompt's panel when no card can be read: what to do instead, in big
 * words (the PIN), and who helps; a touch on it opens the PIN pad. */
static void draw_no_reader(struct ui *u, SDL_Rect panel)
{
	SDL_Rect ic, t;
	int isz = panel.h * 32 / 100;

	ui_rrect(u, panel, ui_px(u, 14), UI_COL_WARN_BG);
	ic.w = ic.h = isz;
	ic.x = panel.x + (panel.w - isz) / 2;
	ic.y = panel.y + ui_px(u, 12);
	ui_icon(u, "card-x", ic);
	t = ui_inset(panel, ui_px(u, 14));
	t.y = ic.y + isz + ui_px(u, 6);
	t.h = (panel.y + panel.h - t.y) * 45 / 100;
	ui_text(u, t, ui_tr(u, "The card reader does not work"), 26,
	    UI_BOLD | UI_ALIGN_C | UI_VCENTER, UI_COL_WARN);
	t.y += t.h;
	t.h = panel.y + panel.h - ui_px(u, 10) - t.y;
	ui_text(u, t, ui_tr(u, "Use your PIN code. Ask a coordinator for help."), 22,
	    UI_ALIGN_C | UI_VCENTER, UI_COL_TEXT);
	ui_hit_add(u, panel, UI_ACT_PIN, 0);
}

static void draw_prompt(struct ui *u, const struct ui_view *v, SDL_Rect col)
{
	SDL_Rect panel = col, ic, t, b;
	int m = ui_px(u, 12), bh = ui_px(u, 64), isz;
	char text[PR_NAME_MAX + 96];

	panel.h = col.h - bh - m;
	if (v->newcomer_ok)           /* an open session, newcomers welcome */
		panel.h -= bh + m;
	if (no_reader(v)) {
		draw_no_reader(u, panel);
	} else if (v->link_first[0]) {       /* a card link from the dashboard waits */
		ui_rrect(u, panel, ui_px(u, 14), UI_COL_PRIMARY);
		panel = ui_inset(panel, ui_px(u, 4));
		ui_rrect(u, panel, ui_px(u, 11), UI_COL_PRIMARY_LIGHT);
		ui_trf(u, text, sizeof(text), "Hold the new card of %s here",
		    v->link_first, NULL);
	} else {
		ui_rrect(u, panel, ui_px(u, 14), UI_COL_PANEL);
		snprintf(text, sizeof(text), "%s", ui_tr(u, "Hold your card here"));
	}
	if (!no_reader(v)) {
		isz = panel.h * 45 / 100;
		ic.w = ic.h = isz;
		ic.x = panel.x + (panel.w - isz) / 2;
		ic.y = panel.y + ui_px(u, 14);
		ui_icon(u, "card", ic);
		t = ui_inset(panel, ui_px(u, 16));
		t.y = ic.y + isz + ui_px(u, 8);
		t.h = panel.y + panel.h - t.y;
		ui_text(u, t, text, 34,
		    UI_BOLD | UI_ALIGN_C | UI_VCENTER | UI_TWOLINES, UI_COL_TEXT);
	}

	b = col;
	b.y = col.y + col.h - bh;
	b.h = bh;
	if (v->newcomer_ok) {
		SDL_Rect nb = b;

		nb.y = b.y - bh - m;
		ui_button(u, nb, ui_tr(u, "I am new"), UI_BTN_OK, UI_ACT_NEW, 0);
	}
	ui_button(u, ui_col(b, 2, 0, m), ui_tr(u, "PIN code"), UI_BTN_PRIMARY,
	    UI_ACT_PIN, 0);
	ui_button(u, ui_col(b, 2, 1, m), ui_tr(u, "This week"), UI_BTN_SECONDARY,
	    UI_ACT_ROSTER, 0);
}

void ui_screen_home(struct ui *u, const struct ui_view *v)
{
	int m = ui_px(u, 12), top, lang_h = ui_px(u, 68), bottom;
	SDL_Rect left, right, langs;

	ui_topbar(u, v, v->location[0] ? v->location : "Presentie");
	ui_statusline(u, v);
	top = ui_topbar_h(u) + m;
	bottom = u->h - ui_statusline_h(u) - lang_h;
	left.x = m;
	left.y = top;
	left.w = (u->w - 3 * m) * PROMPT_PCT / 100;
	left.h = bottom - top - m;
	right = left;
	right.x = left.x + left.w + m;
	right.w = u->w - right.x - m;
	draw_prompt(u, v, left);
	ui_today_panel(u, v, right);
	langs.x = m;
	langs.w = u->w - 2 * m;
	langs.y = bottom;
	langs.h = lang_h - m;
	draw_langs(u, v, langs);
}
