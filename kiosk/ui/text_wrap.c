/* text_wrap.c — where the lines of a text block break: greedy on spaces,
 * after '-' and '/' inside a word, forced at '\n'; a word wider than a line
 * breaks between letters while more lines are allowed, and only the last
 * line allowed ends in an ellipsis; a paragraph's last line is not left
 * with a single word when the one before can give it one. Must not: render, or know about
 * screens or languages (widths come from ui_text_line_size). */
#include <string.h>

#include "text_int.h"

/* Cut s[off..off+len) from the end until it fits maxw with an ellipsis. */
static void fit_ellipsis(struct ui_text *t, const char *s, struct span *sp,
    int px, int bold, int rtl, int maxw)
{
	char buf[UI_TEXT_MAX + 8];
	int w, h;

	sp->ellipsis = 1;
	while (sp->len > 0) {
		memcpy(buf, s + sp->off, sp->len);
		memcpy(buf + sp->len, TEXT_ELLIPSIS, sizeof(TEXT_ELLIPSIS));
		if (ui_text_line_size(t, buf, strlen(buf), px, bold, rtl, &w,
		    &h) != 0 || w <= maxw)
			return;
		/* drop one UTF-8 character (and trailing spaces) */
		do
			sp->len--;
		while (sp->len > 0 &&
		    (((unsigned char)s[sp->off + sp->len] & 0xC0) == 0x80));
		while (sp->len > 0 && s[sp->off + sp->len - 1] == ' ')
			sp->len--;
	}
}

/* The end of the longest run of whole characters from off (at least one)
 * that fits maxw: where a word too wide for a line is broken. */
static size_t fit_chars(struct ui_text *t, const char *s, size_t off,
    size_t end, int px, int bold, int rtl, int maxw)
{
	size_t k = off, best = off;
	int w, h;

	while (k < end) {
		do
			k++;
		while (k < end && ((unsigned char)s[k] & 0xC0) == 0x80);
		if (best > off && (ui_text_line_size(t, s + off, k - off, px,
		    bold, rtl, &w, &h) != 0 || w > maxw))
			break;
		best = k;
	}
	return best;
}

/* The end of the piece of text that starts at from (spaces, then a word up
 * to a space, or up to and including a '-' or '/' inside the word, where a
 * long name or compound may break: "Anne-" "Marijke"). */
static size_t next_piece(const char *s, size_t from, size_t para_end)
{
	size_t next = from, word;

	while (next < para_end && s[next] == ' ')
		next++;
	word = next;
	while (next < para_end && s[next] != ' ') {
		next++;
		if ((s[next - 1] == '-' || s[next - 1] == '/') && next - 1 > word &&
		    next < para_end && s[next] != ' ')
			break;
	}
	return next;
}

/* No orphan: the last line of a paragraph that would hold a single word
 * takes the previous line's last word with it when it still fits maxw
 * ("... Wacht 60 / seconden." becomes "... Wacht / 60 seconden."). The
 * number of lines stays the same. */
static void no_orphans(struct ui_text *t, const char *s, int px, int bold,
    int rtl, int maxw, struct span *lines, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++) {
		struct span *a = &lines[i - 1], *b = &lines[i];
		size_t end = b->off + b->len, k, word;
		int w, h;

		if (a->ellipsis || b->ellipsis || memchr(s + b->off, ' ', b->len) ||
		    memchr(s + a->off, '\n', b->off - a->off))
			continue;   /* not one word, or another paragraph */
		if (s[end] != '\0' && s[end] != '\n')
			continue;   /* not the paragraph's last line */
		for (k = a->off + a->len; k > a->off && s[k - 1] != ' '; k--)
			;
		if (k <= a->off)
			continue;   /* the line before is one word too */
		word = k;
		while (k > a->off && s[k - 1] == ' ')
			k--;
		if (k == a->off)
			continue;
		if (ui_text_line_size(t, s + word, end - word, px, bold, rtl, &w, &h) != 0 ||
		    w > maxw)
			continue;
		a->len = k - a->off;
		b->off = word;
		b->len = end - word;
	}
}

/* Break s into lines no wider than maxw (greedy on spaces and after '-'
 * and '/', '\n' forced); a word wider than a line is broken between
 * letters unless it is on the last line allowed. */
size_t ui_text_wrap(struct ui_text *t, const char *s, int px, int bold,
    int rtl, int maxw, int max_lines, struct span *lines)
{
	size_t len = strlen(s), pos = 0, n = 0;
	size_t cap = max_lines > 0 && max_lines < TEXT_LINES_MAX ? (size_t)max_lines
	    : TEXT_LINES_MAX;

	while (pos <= len && n < cap) {
		size_t end = pos, best = pos, para_end;
		int w, h, too_wide = 0;
		const char *nl = memchr(s + pos, '\n', len - pos);

		para_end = nl ? (size_t)(nl - s) : len;
		if (maxw <= 0) {
			best = para_end;
		} else {
			while (end < para_end) {
				size_t next = next_piece(s, end, para_end);
				if (ui_text_line_size(t, s + pos, next - pos, px,
				    bold, rtl, &w, &h) != 0)
					return 0;
				if (w > maxw && best > pos)
					break;
				best = next;
				end = next;
				if (w > maxw) {
					too_wide = 1;
					break;
				}
			}
			if (too_wide && n + 1 < cap)
				best = fit_chars(t, s, pos, best, px, bold, rtl,
				    maxw);
		}
		lines[n].off = pos;
		lines[n].len = best - pos;
		lines[n].ellipsis = 0;
		n++;
		pos = best;
		while (pos < para_end && s[pos] == ' ')
			pos++;
		if (pos == para_end) {
			if (!nl)
				break;
			pos++;
		}
		if (n == cap && pos < len) {
			/* text left over: the last line takes it, cut to fit */
			lines[n - 1].len = len - lines[n - 1].off;
			{
				const char *nl2 = memchr(s + lines[n - 1].off, '\n',
				    lines[n - 1].len);
				if (nl2)
					lines[n - 1].len = (size_t)(nl2 - s) - lines[n - 1].off;
			}
			fit_ellipsis(t, s, &lines[n - 1], px, bold, rtl,
			    maxw > 0 ? maxw : 1 << 20);
			return n;
		}
	}
	if (maxw > 0)
		no_orphans(t, s, px, bold, rtl, maxw, lines, n);
	/* a single word wider than maxw still must not overflow */
	if (maxw > 0) {
		size_t i;
		for (i = 0; i < n; i++) {
			int w, h;
			if (ui_text_line_size(t, s + lines[i].off,
			    lines[i].len, px, bold, rtl, &w, &h) == 0 &&
			    w > maxw)
				fit_ellipsis(t, s, &lines[i], px, bold, rtl, maxw);
		}
	}
	return n;
}
