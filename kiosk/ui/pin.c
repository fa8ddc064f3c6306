/* pin.c — the PIN pad: one dot per digit typed, a 3x4 keypad (touch; the
 * keyboard works too, see ui_key) whose keys keep their size and labels
 * when locked, "wrong PIN" with the tries left, and the lockout with its
 * countdown and what to do instead (the card, or a coordinator).
 * Must not: ever show the digits, or how long the PIN should be; the view
 * only holds how many were typed. */
#include "ui.h"

#include <stdio.h>
#include <string.h>

/* One dot per digit typed (no empty slots: they would tell how long a PIN
 * is, and a 6-digit PIN would outgrow them); a short line where the first
 * digit will appear while none is typed. */
static void draw_dots(struct ui *u, const struct ui_view *v, SDL_Rect box)
{
	size_t slots = v->pin_len, i;
	int d = ui_px(u, 22), g = ui_px(u, 14), x;

	ui_rrect(u, box, ui_px(u, 12), UI_COL_PANEL);
	ui_trace_mark(u, "pin_dots", (long)slots);
	if (slots == 0) {
		SDL_Rect line = {box.x + (box.w - 3 * d) / 2, box.y + box.h / 2 + d / 2,
		    3 * d, ui_px(u, 3)};
		ui_rrect(u, line, 0, UI_COL_LINE);
		return;
	}
	x = box.x + (box.w - (int)slots * d - ((int)slots - 1) * g) / 2;
	for (i = 0; i < slots; i++) {
		SDL_Rect c = {x + (int)i * (d + g), box.y + (box.h - d) / 2, d, d};
		ui_rrect(u, c, d / 2, UI_COL_TEXT);
	}
}

static void draw_keypad(struct ui *u, const struct ui_view *v, SDL_Rect pad)
{
	static const char *const labels[12] = {
		"1", "2", "3", "4", "5", "6", "7", "8", "9", NULL, "0", NULL
	};
	int g = ui_px(u, 10), r, c, locked = v->lock_left > 0;

	for (r = 0; r < 4; r++) {
		SDL_Rect row = ui_row(pad, 4, r, g);
		for (c = 0; c < 3; c++) {
			/* a keypad keeps 1-2-3 from left to right, also in Arabic */
			SDL_Rect k = ui_col(row, 3, u->rtl ? 2 - c : c, g);
			int idx = r * 3 + c, act = UI_ACT_DIGIT, arg = 0;
			const char *label = labels[idx];
			enum ui_style st = UI_BTN_SECONDARY;
			if (idx == 9) {
				label = ui_tr(u, "Erase");
				act = UI_ACT_BACKSPACE;
			} else if (idx == 11) {
				label = ui_tr(u, "OK");
				act = UI_ACT_PIN_OK;
				st = UI_BTN_OK;
			} else {
				arg = label[0] - '0';
			}
			if (locked) {
				/* greyed, same sizes as when it works */
				ui_rrect(u, k, ui_px(u, 10), UI_COL_LINE);
				ui_text(u, act == UI_ACT_DIGIT ? k : ui_inset(k, ui_px(u, 8)), label,
				    act == UI_ACT_DIGIT ? 32 : k.h < ui_px(u, 50) ? 18 : 22,
				    UI_BOLD | UI_ALIGN_C | UI_VCENTER | UI_TWOLINES |
				    (act == UI_ACT_DIGIT ? UI_LTR : 0), UI_COL_MUTED);
				continue;
			}
			if (act != UI_ACT_DIGIT) {
				ui_button(u, k, label, st, act, arg);
				continue;
			}
			/* digits: larger than a button's label */
			ui_rrect(u, k, ui_px(u, 10), UI_COL_PRIMARY);
			ui_rrect(u, ui_inset(k, ui_px(u, 2)), ui_px(u, 9), UI_COL_PANEL);
			ui_text(u, k, label, 32, UI_BOLD | UI_ALIGN_C | UI_VCENTER | UI_LTR,
			    UI_COL_PRIMARY);
			ui_hit_add(u, k, act, arg);
		}
	}
}

void ui_screen_pin(struct ui *u, const struct ui_view *v)
{
	int m = ui_px(u, 14), top, bottom, bh = ui_px(u, 64);
	SDL_Rect left, pad, box, msg, back;
	char text[320], num[24];

	ui_topbar(u, v, ui_tr(u, "Type your PIN code"));
	ui_statusline(u, v);
	top = ui_topbar_h(u) + m;
	bottom = u->h - ui_statusline_h(u) - m;
	left.x = m;
	left.y = top;
	left.w = (u->w - 3 * m) * 42 / 100;
	left.h = bottom - top;
	pad = left;
	pad.x = left.x + left.w + m;
	pad.w = u->w - pad.x - m;

	box = left;
	box.h = ui_px(u, 76);
	draw_dots(u, v, box);
	msg = left;
	msg.y = box.y + box.h + m;
	msg.h = bottom - bh - m - msg.y;
	if (v->lock_left > 0) {
		snprintf(num, sizeof(num), "%ld", v->lock_left);
		ui_two_sentences(u, text, sizeof(text), "Too many wrong tries. Wait %s seconds",
		    num, "Or use your card, or ask a coordinator.");
		ui_rrect(u, msg, ui_px(u, 12), UI_COL_WARN_BG);
		ui_text(u, ui_inset(msg, ui_px(u, 12)), text, 22,
		    UI_BOLD | UI_ALIGN_C | UI_VCENTER, UI_COL_WARN);
	} else if (v->pin_wrong) {
		char more[160];

		snprintf(num, sizeof(num), "%d", v->pin_tries_left);
		if (v->pin_tries_left == 1)
			snprintf(more, sizeof(more), "%s", ui_tr(u, "You can try once more."));
		else
			ui_trf(u, more, sizeof(more), "You can try %s more times.", num, NULL);
		snprintf(text, sizeof(text), "%s %s", ui_tr(u, "This PIN code is not right."),
		    more);
		ui_rrect(u, msg, ui_px(u, 12), UI_COL_WARN_BG);
		ui_text(u, ui_inset(msg, ui_px(u, 12)), text, 22,
		    UI_BOLD | UI_ALIGN_C | UI_VCENTER, UI_COL_ERROR);
	} else {
		ui_text(u, ui_inset(msg, ui_px(u, 8)),
		    ui_tr(u, "Type your PIN code and press OK."), 22,
		    UI_ALIGN_C | UI_VCENTER, UI_COL_MUTED);
	}
	back = left;
	back.y = bottom - bh;
	back.h = bh;
	ui_button(u, back, ui_tr(u, "Back"), UI_BTN_SECONDARY, UI_ACT_HOME, 0);
	draw_keypad(u, v, pad);
}
