/* bidi.c — direction runs for the text renderer (see bidi.h).
 * Must not: render or allocate. */
#include "bidi.h"

#include <string.h>

size_t bidi_utf8_next(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, i;
	uint32_t c;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xE0) == 0xC0) {
		n = 2;
		c = p[0] & 0x1F;
	} else if ((p[0] & 0xF0) == 0xE0) {
		n = 3;
		c = p[0] & 0x0F;
	} else if ((p[0] & 0xF8) == 0xF0) {
		n = 4;
		c = p[0] & 0x07;
	} else {
		*cp = 0xFFFD;
		return 1;
	}
	if (n > len) {
		*cp = 0xFFFD;
		return 1;
	}
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		c = (c << 6) | (p[i] & 0x3F);
	}
	*cp = c;
	return n;
}

static int is_arabic(uint32_t c)
{
	return (c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) ||
	    (c >= 0x08A0 && c <= 0x08FF) || (c >= 0xFB50 && c <= 0xFDFF) ||
	    (c >= 0xFE70 && c <= 0xFEFF);
}

/* 'R' Arabic, 'L' strong left-to-right (letters, digits), 'N' neutral. */
static char bidi_class(uint32_t c)
{
	if (is_arabic(c))
		return 'R';
	if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z'))
		return 'L';
	if (c < 0xC0 || c == 0xD7 || c == 0xF7 || (c >= 0x2000 && c <= 0x2BFF) ||
	    c == 0xFFFD)
		return 'N';
	return 'L';
}

/* Split s[0..len) into runs of one direction and one font, in logical
 * order. arab (may be NULL) is asked whether it has a glyph: neutrals it
 * lacks (the middle dot, some symbols) are set in the Latin font. */
size_t bidi_split(const char *s, size_t len, int rtl, TTF_Font *arab,
    struct run *runs, size_t max)
{
	char cls[UI_TEXT_MAX];
	uint32_t cps[UI_TEXT_MAX];
	unsigned char afont[UI_TEXT_MAX];
	size_t off[UI_TEXT_MAX + 1];
	size_t n = 0, i, j, nr = 0;
	char base = rtl ? 'R' : 'L';

	for (i = 0; i < len && n < UI_TEXT_MAX;) {
		uint32_t cp;
		size_t k = bidi_utf8_next(s + i, len - i, &cp);
		off[n] = i;
		cps[n] = cp;
		cls[n++] = bidi_class(cp);
		i += k;
	}
	off[n] = i;
	/* Neutrals take the direction of the strong characters on both sides
	 * when they agree, otherwise the base direction; an ellipsis that ends
	 * the text (a cut title) stays with the text it cuts. */
	for (i = 0; i < n;) {
		char before, after, dir;
		if (cls[i] != 'N') {
			i++;
			continue;
		}
		for (j = i; j < n && cls[j] == 'N'; j++)
			;
		/* if/else, not ?: — a ?: of two chars is an int in C */
		before = base;
		if (i > 0)
			before = cls[i - 1];
		after = base;
		if (j < n)
			after = cls[j];
		dir = base;
		if (before == after)
			dir = before;
		if (j == n && i > 0 && cps[n - 1] == 0x2026)
			dir = before;
		while (i < j)
			cls[i++] = (char)(dir | 0x20);
	}
	/* Font per character: Arabic letters, and neutrals inside right-to-left
	 * text the Arabic font has, use it; everything else the Latin font. */
	for (i = 0; i < n; i++)
		afont[i] = cls[i] == 'R' || (cls[i] == 'r' && (!arab ||
		    (cps[i] <= 0xFFFF && TTF_GlyphIsProvided32(arab, cps[i]))));
	for (i = 0; i < n;) {
		int r = (cls[i] | 0x20) == 'r';
		for (j = i; j < n && ((cls[j] | 0x20) == 'r') == r &&
		    afont[j] == afont[i]; j++)
			;
		if (nr == max)
			break;
		runs[nr].off = off[i];
		runs[nr].len = off[j] - off[i];
		runs[nr].rtl = r;
		runs[nr].arab = afont[i];
		nr++;
		i = j;
	}
	return nr;
}

int ui_text_first_strong(const char *s)
{
	size_t len = s ? strlen(s) : 0, i = 0;

	while (i < len) {
		uint32_t cp;
		i += bidi_utf8_next(s + i, len - i, &cp);
		if (is_arabic(cp) && !(cp >= 0x0660 && cp <= 0x0669))
			return 1;
		if (bidi_class(cp) == 'L' && !(cp >= '0' && cp <= '9'))
			return 0;
	}
	return -1;
}

