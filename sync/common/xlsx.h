/* xlsx.h — the first worksheet of an Office Open XML workbook (.xlsx, as
 * Excel and LibreOffice save it) turned into CSV text, so that an import
 * reads a spreadsheet through the same csv.h reader and the same checks as
 * a .csv file. Bounded: zip entry sizes, shared strings, rows, columns and
 * cell length (limits.h PR_XLSX_*). Why our own: Debian bookworm has no
 * libxlsxio and freexl reads only the old .xls; libzip + expat are enough.
 * Must not: write outside the caller's FILE, follow DTDs or entities. */
#ifndef PRESENTIE_XLSX_H
#define PRESENTIE_XLSX_H

#include <stddef.h>
#include <stdio.h>

#include "limits.h"

/* 1 if buf starts like a zip file ("PK\3\4"). */
int xlsx_sniff(const void *buf, size_t len);

/* Write the first worksheet of the .xlsx in buf (len bytes, not kept) to
 * out as CSV: ',' separated, every field quoted, one line per sheet row so
 * that CSV line N is sheet row N (rows Excel leaves out become empty lines,
 * which csv.h skips). Cell values: shared/inline strings as text, numbers
 * and dates as their stored number (a date cell is its serial number: say
 * so to the user), booleans 1/0. Returns the number of the last sheet row
 * written (0: an empty sheet), or -1 with err ("sheet row 7, column C:
 * ..." or "not an .xlsx file: ..."); out may then hold part of the rows. */
long xlsx_to_csv(const void *buf, size_t len, FILE *out, char *err, size_t errlen);

#endif
