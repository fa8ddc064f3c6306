/* bidi.h — a minimal bidirectional-text pass for the kiosk's screens.
 * Why our own: SDL2_ttf shapes one run with one font and one direction;
 * Noto has no single font with Latin and Arabic, and an Arabic sentence
 * holds Latin names and times. So text is split into runs of one direction
 * (Arabic letters right-to-left; Latin letters and digits left-to-right;
 * spaces and punctuation take the direction around them) and one font.
 * That covers what the kiosk shows (UAX #9 levels 0-2, no explicit
 * embeddings); it is not a full bidi (FriBidi would be, for one call site).
 * Must not: render or allocate. */
#ifndef PRESENTIE_UI_BIDI_H
#define PRESENTIE_UI_BIDI_H

#include <SDL_ttf.h>
#include <stddef.h>
#include <stdint.h>

#include "text.h"

struct run {
	size_t off, len;     /* bytes of the text */
	int rtl;             /* this run reads right to left */
	int arab;            /* set it in the Arabic font */
};

/* Decode one UTF-8 sequence at s (len bytes left); invalid bytes come back
 * as U+FFFD with length 1. Returns the length consumed (>= 1). */
size_t bidi_utf8_next(const char *s, size_t len, uint32_t *cp);

/* Split s[0..len) (at most UI_TEXT_MAX characters) into runs in logical
 * order for base direction rtl. arab (may be NULL) is asked whether it has
 * a glyph: neutrals it lacks are set in the Latin font. Returns the number
 * of runs written (<= max). */
size_t bidi_split(const char *s, size_t len, int rtl, TTF_Font *arab,
    struct run *runs, size_t max);

#endif
