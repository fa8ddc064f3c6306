/* csv.h — a strict, bounded reader for the CSV files coordinators import
 * (RFC 4180 quoting, ';' or ',' detected from the header line, UTF-8 with or
 * without BOM, CRLF or LF). Used by the hub's importer and the demo seeder.
 * Why our own: the few C CSV libraries in Debian (libcsv) neither detect the
 * separator nor report line numbers the way a coordinator needs them.
 * Errors name the line: "people.csv line 14: field 'language' ...". */
#ifndef PRESENTIE_CSV_H
#define PRESENTIE_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "limits.h"

struct csv;

/* Open a reader over fp (not closed by csv_close). The first record is the
 * header; fields are then found by header name. Returns NULL on allocation
 * failure or if the header cannot be read (err says why). */
struct csv *csv_open(FILE *fp, const char *name, char *err, size_t errlen);
void csv_close(struct csv *c);

/* Read the next record. Returns 1 for a record, 0 at end of file, -1 on a
 * malformed record (unterminated quote, > PR_CSV_LINE_MAX bytes,
 * > PR_CSV_FIELDS_MAX fields, invalid UTF-8, NUL byte); err names the line. */
int csv_next(struct csv *c, char *err, size_t errlen);

/* The field named col in the current record ("" if the record is short),
 * or NULL if the header has no such column. Valid until the next csv_next. */
const char *csv_get(const struct csv *c, const char *col);

/* Line number (1-based) where the current record started. */
long csv_line(const struct csv *c);

/* 1 if s is valid UTF-8 without control characters other than TAB. */
int csv_utf8_ok(const char *s);

#endif
