/* csvout.c — see csvout.h. */
#include "hub/reports/csvout.h"

#include <stdio.h>
#include <string.h>

int hub_buf_add(struct hub_buf *b, const char *s, size_t n)
{
	if (n > b->cap - b->len)
		return -1;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	return 0;
}

int hub_buf_str(struct hub_buf *b, const char *s)
{
	return hub_buf_add(b, s, strlen(s));
}

int hub_csv_cell(struct hub_buf *b, const char *s, int first)
{
	size_t start = b->len;
	char sep = HUB_CSV_SEP;
	int quote = 0;

	if (!first && hub_buf_add(b, &sep, 1) != 0)
		return -1;
	for (const char *p = s; *p; p++)
		if (*p == HUB_CSV_SEP || *p == '"' || *p == '\n' || *p == '\r' || *p == ',')
			quote = 1;
	if (quote && hub_buf_add(b, "\"", 1) != 0)
		goto full;
	if (strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0' && hub_buf_add(b, "'", 1) != 0)
		goto full;
	for (const char *p = s; *p; p++) {
		if (*p == '"' && hub_buf_add(b, "\"", 1) != 0)
			goto full;
		if (hub_buf_add(b, p, 1) != 0)
			goto full;
	}
	if (quote && hub_buf_add(b, "\"", 1) != 0)
		goto full;
	return 0;
full:
	b->len = start;
	return -1;
}

int hub_json_str(struct hub_buf *b, const char *s)
{
	size_t start = b->len;

	if (hub_buf_add(b, "\"", 1) != 0)
		return -1;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		char esc[8];
		int rc;

		if (*p == '"' || *p == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*p;
			rc = hub_buf_add(b, esc, 2);
		} else if (*p < 0x20 || *p == 0x7f) {
			snprintf(esc, sizeof(esc), "\\u%04x", *p);
			rc = hub_buf_add(b, esc, 6);
		} else {
			rc = hub_buf_add(b, (const char *)p, 1);
		}
		if (rc != 0) {
			b->len = start;
			return -1;
		}
	}
	if (hub_buf_add(b, "\"", 1) != 0) {
		b->len = start;
		return -1;
	}
	return 0;
}
