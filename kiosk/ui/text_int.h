/* text_int.h — private to text.c and text_wrap.c: the spans a block's text
 * breaks into and the one measurement line breaking needs.
 * Must not: be included outside kiosk/ui/text*.c. */
#ifndef PRESENTIE_UI_TEXT_INT_H
#define PRESENTIE_UI_TEXT_INT_H

#include <stddef.h>

#include "text.h"

#define TEXT_LINES_MAX  16                /* lines in one block */
#define TEXT_ELLIPSIS   "\xE2\x80\xA6"     /* U+2026 */

/* One line of a block: bytes [off, off + len) of the text, then an
 * ellipsis if set. */
struct span {
	size_t off, len;
	int ellipsis;
};

/* Width and height of s[0..len) on one line (text.c). Returns 0, or -1 on
 * error. */
int ui_text_line_size(struct ui_text *t, const char *s, size_t len, int px,
    int bold, int rtl, int *w, int *h);

/* Break s into at most max_lines lines (0: TEXT_LINES_MAX) no wider than
 * maxw pixels (0: no limit) into lines[] (TEXT_LINES_MAX of them). Returns
 * the number of lines, 0 on a measuring error. */
size_t ui_text_wrap(struct ui_text *t, const char *s, int px, int bold,
    int rtl, int maxw, int max_lines, struct span *lines);

#endif
