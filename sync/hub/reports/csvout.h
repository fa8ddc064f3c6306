/* csvout.h — writing cells of the exports into a bounded row buffer:
 * CSV for Dutch Excel (';', RFC 4180 quoting, CRLF by the caller, cells
 * starting with = + - @ TAB CR prefixed with an apostrophe against formula
 * injection) and JSON strings.
 * Must not: grow without bound (every append checks the capacity). */
#ifndef PRESENTIE_HUB_CSVOUT_H
#define PRESENTIE_HUB_CSVOUT_H

#include <stddef.h>

#define HUB_CSV_SEP   ';'
#define HUB_CSV_BOM   "\xEF\xBB\xBF"

struct hub_buf {
	char *p;
	size_t len;
	size_t cap;
};

/* Append n bytes. Returns 0, or -1 if it would not fit (buffer unchanged). */
int hub_buf_add(struct hub_buf *b, const char *s, size_t n);
int hub_buf_str(struct hub_buf *b, const char *s);

/* Append one CSV cell, preceded by the separator unless first. */
int hub_csv_cell(struct hub_buf *b, const char *s, int first);
/* Append s as a JSON string literal (quotes included). */
int hub_json_str(struct hub_buf *b, const char *s);

#endif
