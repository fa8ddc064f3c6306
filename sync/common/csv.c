/* csv.c — the strict, bounded CSV reader of csv.h: RFC 4180 quoting, the
 * separator (';' or ',') detected from the header line, optional UTF-8 BOM,
 * LF or CRLF, fields found by header name (ASCII case-insensitive).
 * Every error names the file and line and the reader resynchronises at the
 * next line, so an importer can list all errors. Must not: allocate per
 * record, read more than PR_CSV_LINE_MAX bytes into one record, or accept a
 * NUL byte or invalid UTF-8. */
#include "csv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "errf.h"

#define CSV_NAME_MAX 64
#define CSV_PENDING_MAX (PR_CSV_LINE_MAX + 2)   /* header line with CRLF */

struct csv {
	FILE *fp;
	char name[CSV_NAME_MAX];
	char sep;
	long line;                  /* physical line of the next character */
	long rec_line;              /* line where the current record started */
	char pending[CSV_PENDING_MAX];
	size_t pending_len, pending_pos;
	char buf[PR_CSV_LINE_MAX + 1];
	size_t off[PR_CSV_FIELDS_MAX];
	size_t nfields;
	char hdr[PR_CSV_LINE_MAX + 1];
	size_t hoff[PR_CSV_FIELDS_MAX];
	size_t nhdr;
};

enum csv_state { CSV_FIELD_START, CSV_UNQUOTED, CSV_QUOTED, CSV_AFTER_QUOTE };

static int csv_getc(struct csv *c)
{
	if (c->pending_pos < c->pending_len)
		return (unsigned char)c->pending[c->pending_pos++];
	return getc(c->fp);
}

/* Strict UTF-8 (no overlongs, surrogates or > U+10FFFF). If no_ctl, C0
 * controls except TAB, DEL and C1 controls are refused too. */
static int utf8_check(const unsigned char *s, size_t len, int no_ctl)
{
	size_t i = 0;

	while (i < len) {
		unsigned char b = s[i];
		uint32_t cp;
		size_t n, k;

		if (b < 0x80) {
			if (b == 0 || (no_ctl && ((b < 0x20 && b != '\t') || b == 0x7f)))
				return 0;
			i++;
			continue;
		}
		if (b >= 0xc2 && b <= 0xdf) {
			n = 1; cp = b & 0x1f;
		} else if (b >= 0xe0 && b <= 0xef) {
			n = 2; cp = b & 0x0f;
		} else if (b >= 0xf0 && b <= 0xf4) {
			n = 3; cp = b & 0x07;
		} else {
			return 0;
		}
		if (n >= len - i)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		if (no_ctl && cp >= 0x80 && cp <= 0x9f)
			return 0;
		i += n + 1;
	}
	return 1;
}

int csv_utf8_ok(const char *s)
{
	return s != NULL && utf8_check((const unsigned char *)s, strlen(s), 1);
}

/* Consume the rest of the physical line after an error. */
static void csv_skip_line(struct csv *c)
{
	int ch;

	while ((ch = csv_getc(c)) != EOF && ch != '\n')
		;
	if (ch == '\n')
		c->line++;
}

/* Close the field that ends at len. Returns 0 or -1 (too many fields or
 * too long; err set). */
static int csv_end_field(struct csv *c, size_t *len, size_t *nf, char *err,
    size_t errlen)
{
	if (*nf >= PR_CSV_FIELDS_MAX) {
		pr_errf_at(err, errlen, c->name, c->rec_line, "more than %d fields", PR_CSV_FIELDS_MAX);
		return -1;
	}
	if (*len + 1 > sizeof c->buf) {
		pr_errf_at(err, errlen, c->name, c->rec_line, "record longer than %d bytes",
		    PR_CSV_LINE_MAX);
		return -1;
	}
	c->buf[(*len)++] = '\0';
	(*nf)++;
	if (*nf < PR_CSV_FIELDS_MAX)
		c->off[*nf] = *len;
	return 0;
}

/* Parse one record into c->buf / c->off. Returns 1, 0 at EOF, -1 on error
 * (then the rest of the offending line has been consumed). */
static int csv_read_record(struct csv *c, char *err, size_t errlen)
{
	enum csv_state st = CSV_FIELD_START;
	size_t len = 0, nf = 0, i;
	long quote_line = 0;
	int ch;

	c->nfields = 0;
	c->off[0] = 0;
	c->rec_line = c->line;
	for (;;) {
		ch = csv_getc(c);
		if (ch == '\r' && st != CSV_QUOTED) {
			ch = csv_getc(c);
			if (ch != '\n' && ch != EOF) {
				pr_errf_at(err, errlen, c->name, c->line,
				    "carriage return without line feed");
				goto fail;
			}
		}
		if (ch == EOF) {
			if (st == CSV_QUOTED) {
				pr_errf_at(err, errlen, c->name, quote_line,
				    "the quote opened on line %ld is never closed "
				    "(end of file on line %ld)", quote_line, c->line);
				return -1;
			}
			if (st == CSV_FIELD_START && nf == 0)
				return 0;
			break;
		}
		if (ch == '\0') {
			pr_errf_at(err, errlen, c->name, c->line, "contains a NUL byte");
			goto fail;
		}
		if (ch == '\n') {
			c->line++;
			if (st != CSV_QUOTED) {
				if (st == CSV_FIELD_START && nf == 0) {
					c->rec_line = c->line;      /* blank line */
					continue;
				}
				break;
			}
		} else if (st == CSV_FIELD_START && ch == '"') {
			st = CSV_QUOTED;
			quote_line = c->line;
			continue;
		} else if (st == CSV_QUOTED && ch == '"') {
			st = CSV_AFTER_QUOTE;
			continue;
		} else if (st == CSV_AFTER_QUOTE && ch == '"') {
			st = CSV_QUOTED;                     /* "" is a quote */
		} else if (st != CSV_QUOTED && ch == c->sep) {
			if (csv_end_field(c, &len, &nf, err, errlen) != 0)
				goto fail;
			st = CSV_FIELD_START;
			continue;
		} else if (st == CSV_AFTER_QUOTE) {
			pr_errf_at(err, errlen, c->name, c->line,
			    "unexpected character after a closing quote");
			goto fail;
		} else if (ch == '"') {
			pr_errf_at(err, errlen, c->name, c->line,
			    "a quote inside an unquoted field (quote the whole field)");
			goto fail;
		} else if (st == CSV_FIELD_START) {
			st = CSV_UNQUOTED;
		}
		if (len + 2 > sizeof c->buf) {
			pr_errf_at(err, errlen, c->name, c->line, "record longer than %d bytes",
			    PR_CSV_LINE_MAX);
			goto fail;
		}
		c->buf[len++] = (char)ch;
	}
	/* at end of line or file */
	if (csv_end_field(c, &len, &nf, err, errlen) != 0)
		return -1;
	for (i = 0; i < nf; i++) {
		const char *f = c->buf + c->off[i];

		if (!utf8_check((const unsigned char *)f, strlen(f), 0)) {
			pr_errf_at(err, errlen, c->name, c->rec_line,
			    "field %zu is not valid UTF-8", i + 1);
			return -1;
		}
	}
	c->nfields = nf;
	return 1;
fail:
	csv_skip_line(c);
	return -1;
}

static int csv_name_eq(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

/* Read the first physical line into c->pending (bounded), drop a BOM and
 * pick the separator from it. Returns 0, or -1 (err set). */
static int csv_detect(struct csv *c, char *err, size_t errlen)
{
	size_t n = 0, semi = 0, comma = 0, i;
	int ch, inq = 0;

	while ((ch = getc(c->fp)) != EOF) {
		if (n >= sizeof c->pending) {
			pr_errf_at(err, errlen, c->name, 1, "header line longer than %d bytes",
			    PR_CSV_LINE_MAX);
			return -1;
		}
		c->pending[n++] = (char)ch;
		if (ch == '\n')
			break;
	}
	if (n == 0) {
		pr_errf_at(err, errlen, c->name, 1, "the file is empty (expected a header line)");
		return -1;
	}
	c->pending_len = n;
	c->pending_pos = 0;
	if (n >= 3 && memcmp(c->pending, "\xef\xbb\xbf", 3) == 0)
		c->pending_pos = 3;
	for (i = c->pending_pos; i < n; i++) {
		if (c->pending[i] == '"')
			inq = !inq;
		else if (!inq && c->pending[i] == ';')
			semi++;
		else if (!inq && c->pending[i] == ',')
			comma++;
	}
	c->sep = (comma > semi) ? ',' : ';';
	return 0;
}

static void csv_trim(char *s)
{
	size_t a = 0, b = strlen(s);

	while (s[a] == ' ' || s[a] == '\t')
		a++;
	while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
		b--;
	memmove(s, s + a, b - a);
	s[b - a] = '\0';
}

struct csv *csv_open(FILE *fp, const char *name, char *err, size_t errlen)
{
	struct csv *c;
	size_t i, j;
	int rc;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (fp == NULL)
		return NULL;
	c = calloc(1, sizeof *c);
	if (c == NULL) {
		if (err != NULL && errlen > 0)
			pr_errf(err, errlen, "%s: out of memory", name ? name : "csv");
		return NULL;
	}
	c->fp = fp;
	c->line = 1;
	c->sep = ';';
	if (snprintf(c->name, sizeof c->name, "%s", name ? name : "csv") < 0)
		c->name[0] = '\0';
	if (csv_detect(c, err, errlen) != 0)
		goto fail;
	rc = csv_read_record(c, err, errlen);
	if (rc == 0) {
		pr_errf_at(err, errlen, c->name, 1, "the file is empty (expected a header line)");
		goto fail;
	}
	if (rc < 0)
		goto fail;
	memcpy(c->hdr, c->buf, sizeof c->hdr);
	memcpy(c->hoff, c->off, sizeof c->hoff);
	c->nhdr = c->nfields;
	for (i = 0; i < c->nhdr; i++) {
		char *h = c->hdr + c->hoff[i];

		csv_trim(h);
		if (h[0] == '\0' || !csv_utf8_ok(h)) {
			pr_errf_at(err, errlen, c->name, c->rec_line,
			    "column %zu of the header has no usable name", i + 1);
			goto fail;
		}
		for (j = 0; j < i; j++) {
			if (csv_name_eq(h, c->hdr + c->hoff[j])) {
				pr_errf_at(err, errlen, c->name, c->rec_line,
				    "column '%s' appears twice in the header", h);
				goto fail;
			}
		}
	}
	c->nfields = 0;
	return c;
fail:
	free(c);
	return NULL;
}

void csv_close(struct csv *c)
{
	free(c);
}

int csv_next(struct csv *c, char *err, size_t errlen)
{
	int rc;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	rc = csv_read_record(c, err, errlen);
	if (rc == 1 && c->nfields > c->nhdr) {
		pr_errf_at(err, errlen, c->name, c->rec_line,
		    "%zu fields, but the header has %zu", c->nfields, c->nhdr);
		c->nfields = 0;
		return -1;
	}
	return rc;
}

const char *csv_get(const struct csv *c, const char *col)
{
	size_t i;

	for (i = 0; i < c->nhdr; i++) {
		if (csv_name_eq(col, c->hdr + c->hoff[i]))
			return i < c->nfields ? c->buf + c->off[i] : "";
	}
	return NULL;
}

long csv_line(const struct csv *c)
{
	return c->rec_line;
}
