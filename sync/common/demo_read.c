/* demo_read.c — reading one CSV file of assets/demo (demo_int.h): required
 * columns, rows bounded by DEMO_ROWS_MAX, text and id fields checked, errors
 * as "FILE line N: ...", and the row loop every file's loader shares.
 * Must not: know what any one file holds (demo.c, demo_schedule.c and
 * demo_people.c do); print. */
#include "demo_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "errf.h"

int demo_rd_open(struct demo_rd *r, const char *dir, const char *name,
    const char *const *cols, char *err, size_t errlen)
{
	char path[PR_PATH_MAX];
	int n = snprintf(path, sizeof path, "%s/%s", dir, name);

	memset(r, 0, sizeof *r);
	r->name = name;
	r->err = err;
	r->errlen = errlen;
	if (n < 0 || (size_t)n >= sizeof path) {
		pr_errf(err, errlen, "%s: path too long", name);
		return -1;
	}
	r->fp = fopen(path, "rb");
	if (r->fp == NULL) {
		pr_errf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	r->c = csv_open(r->fp, name, err, errlen);
	if (r->c == NULL)
		goto fail;
	for (; *cols != NULL; cols++) {
		if (csv_get(r->c, *cols) == NULL) {
			pr_errf_at(err, errlen, name, 1, "the header has no column '%s'",
			    *cols);
			goto fail;
		}
	}
	return 0;
fail:
	csv_close(r->c);
	fclose(r->fp);
	r->c = NULL;
	r->fp = NULL;
	return -1;
}

void demo_rd_close(struct demo_rd *r)
{
	csv_close(r->c);
	if (r->fp != NULL)
		fclose(r->fp);
	r->c = NULL;
	r->fp = NULL;
}

int demo_rd_next(struct demo_rd *r, size_t *rows)
{
	int rc = csv_next(r->c, r->err, r->errlen);

	if (rc == 1 && ++*rows > DEMO_ROWS_MAX) {
		pr_errf_at(r->err, r->errlen, r->name, csv_line(r->c),
		    "more than %d rows", DEMO_ROWS_MAX);
		return -1;
	}
	return rc;
}

int demo_rd_fail(struct demo_rd *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pr_verrf_at(r->err, r->errlen, r->name, csv_line(r->c), fmt, ap);
	va_end(ap);
	return -1;
}

int demo_rd_text(struct demo_rd *r, const char *col, char *buf, size_t size,
    int required)
{
	const char *v = csv_get(r->c, col);
	size_t len;

	if (v == NULL)
		return demo_rd_fail(r, "no column '%s'", col);
	len = strlen(v);
	if (!csv_utf8_ok(v))
		return demo_rd_fail(r, "field '%s' contains control characters", col);
	if (len + 1 > size)
		return demo_rd_fail(r, "field '%s' is longer than %zu bytes", col,
		    size - 1);
	if (required && len == 0)
		return demo_rd_fail(r, "field '%s' is empty", col);
	memcpy(buf, v, len + 1);
	return 0;
}

int demo_id_ok(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++) {
		char ch = *s;

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.'))
			return 0;
	}
	return 1;
}

int demo_rd_id(struct demo_rd *r, const char *col, char *buf, size_t size)
{
	if (demo_rd_text(r, col, buf, size, 1) != 0)
		return -1;
	if (!demo_id_ok(buf))
		return demo_rd_fail(r,
		    "field '%s' must be letters, digits, '-', '_' or '.'", col);
	return 0;
}

long demo_find_id(const void *arr, size_t n, size_t elem, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp((const char *)arr + i * elem, id) == 0)
			return (long)i;
	return -1;
}

/* Grow *arr (of elem bytes) to hold one more; returns the new slot zeroed. */
static void *push(void *arr_p, size_t *n, size_t elem)
{
	void **arr = arr_p;
	void *p;

	if ((*n & (*n - 1)) == 0) {          /* 0, 1, 2, 4, ...: double */
		size_t cap = *n == 0 ? 1 : *n * 2;

		p = realloc(*arr, cap * elem);
		if (p == NULL)
			return NULL;
		*arr = p;
	}
	p = (char *)*arr + *n * elem;
	memset(p, 0, elem);
	(*n)++;
	return p;
}

int demo_load_rows(struct demo_org *o, const char *dir, const char *file,
    const char *const *cols, void *arr_p, size_t *n, size_t elem,
    int (*row)(struct demo_org *o, struct demo_rd *r, void *x, const void *ctx),
    const void *ctx, char *err, size_t errlen)
{
	struct demo_rd r;
	size_t rows = 0;
	int rc = -1, k;

	if (demo_rd_open(&r, dir, file, cols, err, errlen) != 0)
		return -1;
	while ((k = demo_rd_next(&r, &rows)) == 1) {
		void *x = push(arr_p, n, elem);

		if (x == NULL) {
			pr_errf(err, errlen, "%s: out of memory", file);
			goto out;
		}
		if (row(o, &r, x, ctx) != 0)
			goto out;
	}
	rc = k;
out:
	demo_rd_close(&r);
	return rc;
}
