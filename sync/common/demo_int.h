/* demo_int.h — what the pieces of the demo loader share and nothing else
 * includes: the reader of one demo CSV file (struct demo_rd), the generic
 * row loop, and the loaders of each file. demo.h stays the interface.
 * Must not: be included outside sync/common/demo*.c. */
#ifndef PRESENTIE_DEMO_INT_H
#define PRESENTIE_DEMO_INT_H

#include <stddef.h>
#include <stdio.h>

#include "csv.h"
#include "demo.h"

struct demo_rd {                     /* one open CSV file */
	FILE *fp;
	struct csv *c;
	const char *name;
	char *err;
	size_t errlen;
};

/* Open dir/name and check its header has every column of cols (NULL
 * ended). Returns 0, or -1 with err set and nothing left open. */
int demo_rd_open(struct demo_rd *r, const char *dir, const char *name,
    const char *const *cols, char *err, size_t errlen);
void demo_rd_close(struct demo_rd *r);

/* Next row, counting it in *rows: 1, 0 at the end, -1 on error (err set,
 * also beyond DEMO_ROWS_MAX rows). */
int demo_rd_next(struct demo_rd *r, size_t *rows);

/* Set err to "FILE line N: message" for the current row. Returns -1. */
int demo_rd_fail(struct demo_rd *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Copy field col into buf (size bytes incl. NUL): UTF-8 text without
 * control characters; a required field must not be empty. demo_rd_id also
 * wants an id (demo_id_ok). Return 0 or -1 (err set). */
int demo_rd_text(struct demo_rd *r, const char *col, char *buf, size_t size,
    int required);
int demo_rd_id(struct demo_rd *r, const char *col, char *buf, size_t size);

/* 1 if s is a non-empty id of letters, digits, '-', '_' and '.'. */
int demo_id_ok(const char *s);

/* Index of the element of arr (n elements of elem bytes, each starting with
 * its id as a char array) whose id is id, or -1. */
long demo_find_id(const void *arr, size_t n, size_t elem, const char *id);

/* demo_find_id over one of the arrays of struct demo_org. */
#define DEMO_FIND(arr, n, id) demo_find_id((arr), (n), sizeof *(arr), (id))
_Static_assert(offsetof(struct demo_person, id) == 0, "DEMO_FIND: id first");
_Static_assert(offsetof(struct demo_programme, id) == 0, "DEMO_FIND: id first");
_Static_assert(offsetof(struct demo_session, id) == 0, "DEMO_FIND: id first");
_Static_assert(offsetof(struct demo_role, key) == 0, "DEMO_FIND: key first");

/* Load every row of dir/file (header with cols) into the growing array
 * *arr_p of *n elements of elem bytes: each row gets a zeroed slot, already
 * counted, which row() fills from r and checks against o (ctx is passed
 * on), returning 0 or -1 with the error set. Returns 0 at the end of the
 * file, -1 on any error (err names the file and line; the rows so far stay
 * in the array for demo_free). */
int demo_load_rows(struct demo_org *o, const char *dir, const char *file,
    const char *const *cols, void *arr_p, size_t *n, size_t elem,
    int (*row)(struct demo_org *o, struct demo_rd *r, void *x, const void *ctx),
    const void *ctx, char *err, size_t errlen);

/* The loaders of each file, in the order demo_load calls them (each one
 * checks its references against the files loaded before). Return 0 or -1. */
int demo_load_roles(struct demo_org *o, const char *dir, char *err, size_t el);
int demo_load_programmes(struct demo_org *o, const char *dir, char *err, size_t el);
int demo_load_sessions(struct demo_org *o, const char *dir, char *err, size_t el);
int demo_load_people(struct demo_org *o, const char *dir, char *err, size_t el);
int demo_load_enrolments(struct demo_org *o, const char *dir, char *err, size_t el);
int demo_load_assignments(struct demo_org *o, const char *dir, char *err, size_t el);
int demo_load_creds(struct demo_org *o, const char *dir, enum demo_cred_kind kind,
    char *err, size_t el);

#endif
