/* coord.c — coordinator mode: the menu, today's headcount per session, the
 * card number of the card on the reader (support), reader and sync status,
 * and the steps of linking a new card after the person is found
 * (coord_find.c). The app closes it after a minute untouched.
 * Must not: show a card number except on the support page. */
#include "ui.h"

#include <stdio.h>
#include <string.h>

#include <stdio.h>

#include "reader.h"

static void menu(struct ui *u, const struct ui_view *v, SDL_Rect area)
{
	struct item { const char *label; int act, arg; enum ui_style st; } items[6];
	int n = 0, i, g = ui_px(u, 12);

	items[n++] = (struct item){ ui_tr(u, "How many are here today"),
	    UI_ACT_COORD, UI_CP_HEADCOUNT, UI_BTN_PRIMARY };
	items[n++] = (struct item){ ui_tr(u, "Link a new card"),
	    UI_ACT_COORD, UI_CP_FIND, UI_BTN_PRIMARY };
	items[n++] = (struct item){ ui_tr(u, "Show card number"),
	    UI_ACT_COORD, UI_CP_CARDNO, UI_BTN_PRIMARY };
	items[n++] = (struct item){ ui_tr(u, "Reader and sync status"),
	    UI_ACT_COORD, UI_CP_STATUS, UI_BTN_PRIMARY };
	if (v->allow_leave)
		items[n++] = (struct item){ ui_tr(u, "Leave kiosk mode"),
		    UI_ACT_LEAVE, 0, UI_BTN_DANGER };
	items[n++] = (struct item){ ui_tr(u, "Close"), UI_ACT_HOME, 0,
	    UI_BTN_SECONDARY };
	for (i = 0; i < n; i++) {
		SDL_Rect cell = ui_col(ui_row(area, 3, i / 2, g), 2, i % 2, g);
		ui_button(u, cell, items[i].label, items[i].st, items[i].act,
		    items[i].arg);
	}
}

/* Today's sessions, each with how many people are in: the number and the
 * word under it ("2 / aanwezig"), under a header that says what the column
 * counts. */
static void headcount(struct ui *u, const struct ui_view *v, SDL_Rect area)
{
	int rh = ui_px(u, 56), cw = ui_px(u, 110), hh = ui_px(u, 30), y;
	SDL_Rect head;
	size_t i;
	char num[24];

	ui_rrect(u, area, ui_px(u, 12), UI_COL_PANEL);
	area = ui_inset(area, ui_px(u, 8));
	if (v->n_today == 0) {
		ui_text(u, area, ui_tr(u, "No sessions today"), 22,
		    UI_ALIGN_C | UI_VCENTER, UI_COL_MUTED);
		return;
	}
	{
		/* the count column is as wide as its header needs */
		int w = 0, h = 0, cut = 0;
		if (ui_text_box(u, area.w / 2, ui_tr(u, "Present now"), 18, UI_BOLD, &w, &h,
		    &cut) == 0 && w + ui_px(u, 8) > cw)
			cw = w + ui_px(u, 8);
	}
	head = (SDL_Rect){area.x, area.y, area.w - cw, hh};
	ui_text(u, head, ui_tr(u, "Sessions today"), 18, UI_BOLD | UI_VCENTER, UI_COL_MUTED);
	head = (SDL_Rect){area.x + area.w - cw, area.y, cw, hh};
	ui_text(u, head, ui_tr(u, "Present now"), 18, UI_BOLD | UI_ALIGN_END | UI_VCENTER,
	    UI_COL_MUTED);
	y = area.y + hh;
	for (i = 0; i < v->n_today && y + rh <= area.y + area.h; i++, y += rh) {
		SDL_Rect row = {area.x, y, area.w - cw, rh - ui_px(u, 4)};
		SDL_Rect cnt = {area.x + area.w - cw, y, cw, rh - ui_px(u, 4) - ui_px(u, 24)};
		SDL_Rect word = {cnt.x, cnt.y + cnt.h, cw, rh - ui_px(u, 4) - cnt.h};
		ui_session_row(u, row, &v->today[i], 1);
		snprintf(num, sizeof(num), "%d", v->today[i].count);
		ui_text(u, cnt, num, 26, UI_BOLD | UI_ALIGN_END | UI_VCENTER | UI_LTR,
		    UI_COL_TEXT);
		ui_text(u, word, ui_tr(u, v->today[i].count == 1 ? "person" : "people"), 15,
		    UI_ALIGN_END | UI_ONELINE, UI_COL_MUTED);
	}
}

static void cardno(struct ui *u, const struct ui_view *v, SDL_Rect area)
{
	char grouped[3 * PR_UID_MAX_BYTES + 1];
	size_t i, n = 0;

	ui_rrect(u, area, ui_px(u, 12), UI_COL_PANEL);
	area = ui_inset(area, ui_px(u, 16));
	if (!v->card_hex[0]) {
		ui_text(u, area, ui_tr(u, "No card on the reader. Hold a card "
		    "against the reader."), 26, UI_ALIGN_C | UI_VCENTER, UI_COL_MUTED);
		return;
	}
	for (i = 0; v->card_hex[i] && n + 3 < sizeof(grouped); i++) {
		if (i > 0 && i % 2 == 0)
			grouped[n++] = ' ';
		grouped[n++] = (char)(v->card_hex[i] >= 'a' && v->card_hex[i] <= 'f'
		    ? v->card_hex[i] - 'a' + 'A' : v->card_hex[i]);
	}
	grouped[n] = '\0';
	area.h /= 2;
	ui_text(u, area, ui_tr(u, "Card number"), 24, UI_ALIGN_C | UI_VCENTER,
	    UI_COL_MUTED);
	area.y += area.h;
	ui_text(u, area, grouped, 44, UI_BOLD | UI_ALIGN_C | UI_LTR, UI_COL_TEXT);
}

static void status(struct ui *u, const struct ui_view *v, SDL_Rect area)
{
	const char *labels[5], *reader;
	char vals[5][200];
	int i, lh = ui_px(u, 44), lw;

	switch (v->reader_state) {
	case READER_READY: reader = "Card reader ready"; break;
	case READER_CONNECTING: reader = "Connecting to the card reader"; break;
	case READER_DISCONNECTED: reader = "Card reader not connected"; break;
	default: reader = "No card reader"; break;
	}
	labels[0] = ui_tr(u, "Card reader");
	snprintf(vals[0], sizeof(vals[0]), "%s", ui_tr(u, reader));
	labels[1] = ui_tr(u, "Waiting to send");
	snprintf(vals[1], sizeof(vals[1]), "%ld", v->pending < 0 ? 0 : v->pending);
	labels[2] = ui_tr(u, "Last sync");
	snprintf(vals[2], sizeof(vals[2]), "%s",
	    v->last_sync[0] ? v->last_sync : ui_tr(u, "Not synced yet"));
	labels[3] = ui_tr(u, "Last problem");
	snprintf(vals[3], sizeof(vals[3]), "%s",
	    v->sync_error_text[0] ? v->sync_error_text : "\xE2\x80\x94");
	labels[4] = ui_tr(u, "Device");
	snprintf(vals[4], sizeof(vals[4]), "%s",
	    v->device_id[0] ? v->device_id : "\xE2\x80\x94");
	ui_rrect(u, area, ui_px(u, 12), UI_COL_PANEL);
	area = ui_inset(area, ui_px(u, 16));
	lw = area.w * 38 / 100;
	for (i = 0; i < 5; i++) {
		SDL_Rect l = {area.x, area.y + i * lh, lw, lh};
		SDL_Rect r = {area.x + lw, area.y + i * lh, area.w - lw, lh};
		ui_text(u, l, labels[i], 20, UI_BOLD | UI_ONELINE | UI_VCENTER,
		    UI_COL_MUTED);
		ui_text(u, r, vals[i], 20, UI_ONELINE | UI_VCENTER, UI_COL_TEXT);
	}
}

static void link_step(struct ui *u, const struct ui_view *v, SDL_Rect area)
{
	char text[2 * PR_NAME_MAX + 256];
	SDL_Rect ic = area, t;
	int isz = area.h * 40 / 100;
	const char *icon = "card";

	if (v->coord_page == UI_CP_LINK_DONE)
		icon = "check-dark";
	else if (v->coord_page == UI_CP_LINK_TAKEN)
		icon = "card-x";
	ui_rrect(u, area, ui_px(u, 12), UI_COL_PANEL);
	ic.h = ic.w = isz;
	ic.x = area.x + (area.w - isz) / 2;
	ic.y = area.y + ui_px(u, 12);
	ui_icon(u, icon, ic);
	t = ui_inset(area, ui_px(u, 16));
	t.y = ic.y + isz + ui_px(u, 12);
	t.h = area.y + area.h - t.y;
	switch (v->coord_page) {
	case UI_CP_LINK_DONE:
		ui_two_sentences(u, text, sizeof(text), "The card is linked to %s", v->link_name,
		    "It works everywhere after the next sync.");
		break;
	case UI_CP_LINK_TAKEN:
		ui_two_sentences(u, text, sizeof(text), "This card already belongs to %s",
		    v->link_owner, "It was not linked. Hold another card, or move this card "
		    "on the dashboard (People).");
		break;
	case UI_CP_LINK_HAS:
		ui_two_sentences(u, text, sizeof(text), "This card is already the card of %s",
		    v->link_owner, "Nothing was changed.");
		break;
	default:
		ui_trf(u, text, sizeof(text), "Hold the new card for %s against "
		    "the reader.", v->link_name, NULL);
		break;
	}
	ui_text(u, t, text, 26, UI_BOLD | UI_ALIGN_C, UI_COL_TEXT);
}

void ui_screen_coord(struct ui *u, const struct ui_view *v)
{
	int m = ui_px(u, 14), top, bottom, bh = ui_px(u, 64);
	SDL_Rect area;
	char title[PR_NAME_MAX + 64];

	if (v->coord_page == UI_CP_FIND) {
		ui_screen_coord_find(u, v);
		return;
	}
	ui_trf(u, title, sizeof(title), "Coordinator: %s", v->coord_name, NULL);
	ui_topbar(u, v, title);
	ui_statusline(u, v);
	top = ui_topbar_h(u) + m;
	bottom = u->h - ui_statusline_h(u) - m;
	area.x = m;
	area.y = top;
	area.w = u->w - 2 * m;
	area.h = bottom - top;
	if (v->coord_page == UI_CP_MENU) {
		menu(u, v, area);
		return;
	}
	area.h -= bh + m;
	switch (v->coord_page) {
	case UI_CP_HEADCOUNT: headcount(u, v, area); break;
	case UI_CP_CARDNO: cardno(u, v, area); break;
	case UI_CP_STATUS: status(u, v, area); break;
	default: link_step(u, v, area); break;
	}
	area.y = bottom - bh;
	area.h = bh;
	area.w = u->w / 3;
	area.x = (u->w - area.w) / 2;
	ui_button(u, area, ui_tr(u, v->coord_page == UI_CP_LINK_TAP ? "Cancel"
	    : "Back"), UI_BTN_SECONDARY, UI_ACT_COORD, UI_CP_MENU);
}
