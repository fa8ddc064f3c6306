/* xlsx.c — see xlsx.h. libzip opens the workbook from memory; expat
 * streams, in this order, xl/workbook.xml (the first <sheet>'s r:id),
 * xl/_rels/workbook.xml.rels (that id's target), xl/sharedStrings.xml
 * (the string table) and the worksheet, each read in chunks and never more
 * than PR_XLSX_ENTRY_MAX bytes whatever the zip directory claims.
 * Must not: trust sizes, indexes or row numbers from the file; accept a
 * DOCTYPE (no entity expansion at all). */
#include "xlsx.h"

#include <expat.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "errf.h"

#define XL_CHUNK      16384
#define XL_NAME_MAX   256      /* a zip entry name we look up */
#define XL_RID_MAX    64
#define XL_CELL_MAX   PR_CSV_LINE_MAX   /* bytes of one cell's text */
#define XL_NS_SEP     '|'

struct xl_buf {
	char *p;
	size_t len, cap;
};

struct xl {
	XML_Parser p;
	char *err;
	size_t errlen;
	int failed;
	/* workbook + rels */
	char rid[XL_RID_MAX];
	char target[XL_NAME_MAX];
	/* shared strings */
	struct xl_buf sst;
	size_t *soff;
	size_t nsst, capsst;
	int in_si, in_rph;
	/* worksheet */
	FILE *out;
	long row, last_row;
	int col, in_row, in_c, in_v, in_is, in_t, ctype_s;
	struct xl_buf text;
	char *cell[PR_XLSX_COL_MAX];
	int ncells;
};

/* The local part of an expat namespace-qualified name. */
static const char *local(const char *name)
{
	const char *s = strrchr(name, XL_NS_SEP);

	return s ? s + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
	for (int i = 0; atts[i] != NULL; i += 2)
		if (strcmp(local(atts[i]), name) == 0)
			return atts[i + 1];
	return NULL;
}

static void fail(struct xl *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(struct xl *x, const char *fmt, ...)
{
	va_list ap;

	if (!x->failed) {
		va_start(ap, fmt);
		pr_verrf_at(x->err, x->errlen, "", 0, fmt, ap);
		va_end(ap);
		/* pr_verrf_at with name "" gives ": message": drop the prefix */
		if (x->errlen > 2 && x->err[0] == ':' && x->err[1] == ' ')
			memmove(x->err, x->err + 2, strlen(x->err + 2) + 1);
	}
	x->failed = 1;
	if (x->p != NULL)
		(void)XML_StopParser(x->p, XML_FALSE);
}

/* Append n bytes to b, keeping it NUL-terminated. Returns 0, or -1 if it
 * would grow beyond max bytes or memory runs out. */
static int buf_add(struct xl_buf *b, const char *s, size_t n, size_t max)
{
	if (n > max || b->len > max - n)
		return -1;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		char *q;

		while (cap < b->len + n + 1)
			cap *= 2;
		q = realloc(b->p, cap);
		if (q == NULL)
			return -1;
		b->p = q;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

static void col_name(int col, char out[4])
{
	if (col < 26) {
		out[0] = (char)('A' + col);
		out[1] = '\0';
	} else {
		out[0] = (char)('A' + col / 26 - 1);
		out[1] = (char)('A' + col % 26);
		out[2] = '\0';
	}
}

/* ---- workbook.xml and its rels ----------------------------------------- */

static void XMLCALL wb_start(void *ud, const char *name, const char **atts)
{
	struct xl *x = ud;
	const char *id;

	if (x->rid[0] != '\0' || strcmp(local(name), "sheet") != 0)
		return;
	id = attr(atts, "id");
	if (id == NULL || strlen(id) >= sizeof(x->rid))
		fail(x, "not an .xlsx file: the first sheet has no usable r:id");
	else
		memcpy(x->rid, id, strlen(id) + 1);
}

static void XMLCALL rels_start(void *ud, const char *name, const char **atts)
{
	struct xl *x = ud;
	const char *id, *t;
	int n;

	if (x->target[0] != '\0' || strcmp(local(name), "Relationship") != 0)
		return;
	id = attr(atts, "Id");
	t = attr(atts, "Target");
	if (id == NULL || t == NULL || strcmp(id, x->rid) != 0)
		return;
	if (t[0] == '/')
		n = snprintf(x->target, sizeof(x->target), "%s", t + 1);
	else
		n = snprintf(x->target, sizeof(x->target), "xl/%s", t);
	if (n < 0 || (size_t)n >= sizeof(x->target)) {
		x->target[0] = '\0';
		fail(x, "not an .xlsx file: the first sheet's name is too long");
	}
}

/* ---- sharedStrings.xml --------------------------------------------------- */

static void XMLCALL sst_start(void *ud, const char *name, const char **atts)
{
	struct xl *x = ud;
	const char *l = local(name);

	(void)atts;
	if (strcmp(l, "si") == 0) {
		if (x->nsst >= PR_XLSX_STRINGS_MAX) {
			fail(x, "more than %d different texts in the workbook", PR_XLSX_STRINGS_MAX);
			return;
		}
		if (x->nsst + 1 > x->capsst) {
			size_t cap = x->capsst ? x->capsst * 2 : 256;
			size_t *q = realloc(x->soff, cap * sizeof(*q));

			if (q == NULL) {
				fail(x, "out of memory");
				return;
			}
			x->soff = q;
			x->capsst = cap;
		}
		x->soff[x->nsst] = x->sst.len;
		x->in_si = 1;
	} else if (strcmp(l, "rPh") == 0) {
		x->in_rph = 1;   /* phonetic hints: not part of the text */
	} else if (strcmp(l, "t") == 0 && x->in_si && !x->in_rph) {
		x->in_t = 1;
	}
}

static void XMLCALL sst_end(void *ud, const char *name)
{
	struct xl *x = ud;
	const char *l = local(name);

	if (strcmp(l, "si") == 0 && x->in_si) {
		if (buf_add(&x->sst, "", 1, PR_XLSX_ENTRY_MAX) != 0) {   /* the string's NUL */
			fail(x, "the workbook's texts are too large");
			return;
		}
		x->nsst++;
		x->in_si = 0;
	} else if (strcmp(l, "rPh") == 0) {
		x->in_rph = 0;
	} else if (strcmp(l, "t") == 0) {
		x->in_t = 0;
	}
}

static void XMLCALL sst_text(void *ud, const char *s, int n)
{
	struct xl *x = ud;

	if (!x->in_t || x->failed)
		return;
	if (x->sst.len - x->soff[x->nsst] + (size_t)n > XL_CELL_MAX ||
	    buf_add(&x->sst, s, (size_t)n, PR_XLSX_ENTRY_MAX) != 0)
		fail(x, "text %zu of the workbook is longer than %d bytes", x->nsst + 1, XL_CELL_MAX);
}

/* ---- the worksheet ------------------------------------------------------- */

/* Parse a cell reference "B12" into a 0-based column; -1 if malformed. */
static int ref_col(const char *r)
{
	int col = 0, n = 0;

	while (*r >= 'A' && *r <= 'Z' && n < 3) {
		col = col * 26 + (*r - 'A' + 1);
		r++;
		n++;
	}
	if (n == 0 || *r < '1' || *r > '9')
		return -1;
	return col - 1;
}

/* Strict decimal (no sign, no spaces) up to max; -1 if not. */
static long strict_num(const char *s, long max)
{
	long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (max - (*s - '0')) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

static void row_clear(struct xl *x)
{
	for (int i = 0; i < x->ncells; i++) {
		free(x->cell[i]);
		x->cell[i] = NULL;
	}
	x->ncells = 0;
}

static void XMLCALL sh_start(void *ud, const char *name, const char **atts)
{
	struct xl *x = ud;
	const char *l = local(name), *v;

	if (strcmp(l, "row") == 0) {
		long r = x->row + 1;

		v = attr(atts, "r");
		if (v != NULL && (r = strict_num(v, PR_XLSX_ROWS_MAX + 1L)) < 0)
			r = PR_XLSX_ROWS_MAX + 1L;
		if (r > PR_XLSX_ROWS_MAX) {
			fail(x, "the sheet has more than %d rows", PR_XLSX_ROWS_MAX);
			return;
		}
		if (r <= x->row) {
			fail(x, "sheet row %ld: rows out of order", r);
			return;
		}
		x->row = r;
		x->col = -1;
		x->in_row = 1;
		row_clear(x);
	} else if (strcmp(l, "c") == 0 && x->in_row) {
		const char *t = attr(atts, "t");

		v = attr(atts, "r");
		x->col = v ? ref_col(v) : x->col + 1;
		if (x->col < 0) {
			fail(x, "sheet row %ld: a malformed cell reference", x->row);
			return;
		}
		x->ctype_s = t != NULL && strcmp(t, "s") == 0;
		x->in_c = 1;
		x->text.len = 0;
		if (x->text.p)
			x->text.p[0] = '\0';
	} else if (x->in_c && strcmp(l, "v") == 0) {
		x->in_v = 1;
	} else if (x->in_c && strcmp(l, "is") == 0) {
		x->in_is = 1;
	} else if (x->in_is && strcmp(l, "rPh") == 0) {
		x->in_rph = 1;
	} else if (x->in_is && !x->in_rph && strcmp(l, "t") == 0) {
		x->in_t = 1;
	}
}

/* The finished cell x->text at x->col into the row. */
static void cell_end(struct xl *x)
{
	char cn[4];
	const char *val = x->text.p ? x->text.p : "";
	long i;

	if (x->ctype_s) {
		i = strict_num(val, (long)PR_XLSX_STRINGS_MAX);
		if (i < 0 || (size_t)i >= x->nsst) {
			fail(x, "sheet row %ld: a cell refers to a text that is not there", x->row);
			return;
		}
		val = x->sst.p + x->soff[i];
	}
	if (val[0] == '\0')
		return;
	col_name(x->col < PR_XLSX_COL_MAX ? x->col : PR_XLSX_COL_MAX, cn);
	if (x->col >= PR_XLSX_COL_MAX) {
		fail(x, "sheet row %ld: more than %d columns", x->row, PR_XLSX_COL_MAX);
		return;
	}
	if (strpbrk(val, "\r\n") != NULL) {
		fail(x, "sheet row %ld, column %s: a line break in a cell", x->row, cn);
		return;
	}
	if (x->cell[x->col] != NULL) {
		fail(x, "sheet row %ld, column %s: the cell appears twice", x->row, cn);
		return;
	}
	x->cell[x->col] = strdup(val);
	if (x->cell[x->col] == NULL) {
		fail(x, "out of memory");
		return;
	}
	if (x->col + 1 > x->ncells)
		x->ncells = x->col + 1;
}

/* Write the finished row: blank lines for rows left out, then the cells. */
static void row_end(struct xl *x)
{
	if (x->row > 1 && x->last_row == 0) {
		fail(x, "sheet row 1 must hold the column names (it is empty)");
		return;
	}
	if (x->ncells == 0 && x->row == 1) {
		fail(x, "sheet row 1 must hold the column names (it is empty)");
		return;
	}
	for (long r = x->last_row + 1; r < x->row; r++)
		(void)fputc('\n', x->out);
	for (int i = 0; i < x->ncells; i++) {
		const char *s = x->cell[i] ? x->cell[i] : "";

		if (i > 0)
			(void)fputc(',', x->out);
		(void)fputc('"', x->out);
		for (; *s; s++) {
			if (*s == '"')
				(void)fputc('"', x->out);
			(void)fputc(*s, x->out);
		}
		(void)fputc('"', x->out);
	}
	(void)fputc('\n', x->out);
	x->last_row = x->row;
	row_clear(x);
}

static void XMLCALL sh_end(void *ud, const char *name)
{
	struct xl *x = ud;
	const char *l = local(name);

	if (strcmp(l, "row") == 0 && x->in_row) {
		row_end(x);
		x->in_row = 0;
	} else if (strcmp(l, "c") == 0 && x->in_c) {
		cell_end(x);
		x->in_c = 0;
	} else if (strcmp(l, "v") == 0) {
		x->in_v = 0;
	} else if (strcmp(l, "is") == 0) {
		x->in_is = 0;
	} else if (strcmp(l, "rPh") == 0) {
		x->in_rph = 0;
	} else if (strcmp(l, "t") == 0) {
		x->in_t = 0;
	}
}

static void XMLCALL sh_text(void *ud, const char *s, int n)
{
	struct xl *x = ud;

	if (x->failed || !(x->in_v || (x->in_is && x->in_t)))
		return;
	if (buf_add(&x->text, s, (size_t)n, XL_CELL_MAX) != 0)
		fail(x, "sheet row %ld: a cell longer than %d bytes", x->row, XL_CELL_MAX);
}

/* ---- driving expat over a zip entry -------------------------------------- */

static void XMLCALL no_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int has_internal)
{
	(void)name; (void)sysid; (void)pubid; (void)has_internal;
	fail(ud, "not an .xlsx file: a DOCTYPE in its XML");
}

/* Stream entry name of za through a fresh parser with handlers start, end,
 * text. Returns 1 parsed, 0 if the entry is absent and optional, -1 failed
 * (x->err set). */
static int parse_entry(struct xl *x, zip_t *za, const char *name, int optional,
    XML_StartElementHandler start, XML_EndElementHandler end, XML_CharacterDataHandler text)
{
	char chunk[XL_CHUNK];
	zip_stat_t st;
	zip_file_t *zf;
	zip_int64_t n;
	size_t total = 0;
	int rc = -1;

	zip_stat_init(&st);
	if (zip_stat(za, name, 0, &st) != 0) {
		if (optional)
			return 0;
		fail(x, "not an .xlsx file: %s is missing", name);
		return -1;
	}
	if ((st.valid & ZIP_STAT_SIZE) && st.size > PR_XLSX_ENTRY_MAX) {
		fail(x, "the file is too large once unpacked (more than %d MiB in %s)",
		    PR_XLSX_ENTRY_MAX >> 20, name);
		return -1;
	}
	zf = zip_fopen(za, name, 0);
	x->p = XML_ParserCreateNS(NULL, XL_NS_SEP);
	if (zf == NULL || x->p == NULL) {
		fail(x, zf == NULL ? "not an .xlsx file: cannot open %s" : "out of memory (%s)", name);
		goto out;
	}
	XML_SetUserData(x->p, x);
	XML_SetElementHandler(x->p, start, end);
	XML_SetCharacterDataHandler(x->p, text);
	XML_SetStartDoctypeDeclHandler(x->p, no_doctype);
	while ((n = zip_fread(zf, chunk, sizeof(chunk))) > 0) {
		total += (size_t)n;
		if (total > PR_XLSX_ENTRY_MAX) {
			fail(x, "the file is too large once unpacked (more than %d MiB in %s)",
			    PR_XLSX_ENTRY_MAX >> 20, name);
			goto out;
		}
		if (XML_Parse(x->p, chunk, (int)n, 0) != XML_STATUS_OK)
			break;
	}
	if (n < 0)
		fail(x, "not an .xlsx file: %s is damaged", name);
	if (!x->failed && XML_Parse(x->p, "", 0, 1) != XML_STATUS_OK)
		fail(x, "not an .xlsx file: %s line %lu: %s", name,
		    (unsigned long)XML_GetCurrentLineNumber(x->p), XML_ErrorString(XML_GetErrorCode(x->p)));
	rc = x->failed ? -1 : 1;
out:
	if (x->p != NULL)
		XML_ParserFree(x->p);
	x->p = NULL;
	if (zf != NULL)
		zip_fclose(zf);
	return rc;
}

int xlsx_sniff(const void *buf, size_t len)
{
	return len >= 4 && memcmp(buf, "PK\3\4", 4) == 0;
}

long xlsx_to_csv(const void *buf, size_t len, FILE *out, char *err, size_t errlen)
{
	struct xl x = { .err = err, .errlen = errlen, .out = out };
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za = NULL;
	long rc = -1;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	zip_error_init(&ze);
	src = zip_source_buffer_create(buf, len, 0, &ze);
	if (src != NULL && (za = zip_open_from_source(src, ZIP_RDONLY, &ze)) == NULL)
		zip_source_free(src);
	zip_error_fini(&ze);
	if (za == NULL) {
		fail(&x, "not an .xlsx file (not a zip archive)");
		return -1;
	}
	if (parse_entry(&x, za, "xl/workbook.xml", 0, wb_start, NULL, NULL) < 0)
		goto out;
	if (x.rid[0] == '\0') {
		fail(&x, "not an .xlsx file: the workbook has no sheet");
		goto out;
	}
	if (parse_entry(&x, za, "xl/_rels/workbook.xml.rels", 0, rels_start, NULL, NULL) < 0)
		goto out;
	if (x.target[0] == '\0') {
		fail(&x, "not an .xlsx file: the first sheet is not in the file");
		goto out;
	}
	if (parse_entry(&x, za, "xl/sharedStrings.xml", 1, sst_start, sst_end, sst_text) < 0)
		goto out;
	x.in_si = x.in_t = x.in_rph = 0;
	if (parse_entry(&x, za, x.target, 0, sh_start, sh_end, sh_text) < 0)
		goto out;
	rc = x.last_row;
out:
	row_clear(&x);
	free(x.text.p);
	free(x.sst.p);
	free(x.soff);
	zip_discard(za);
	return rc;
}
