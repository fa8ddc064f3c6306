/* export.h — attendance and presentielijst exports as a byte stream (CSV
 * for Dutch Excel or JSON), produced row by row from a streamed query so
 * memory does not grow with the number of rows. Used by the HTTP endpoints
 * and by `presentie-hub export`.
 * Must not: read rows of another organisation when org_id is set. */
#ifndef PRESENTIE_HUB_EXPORT_H
#define PRESENTIE_HUB_EXPORT_H

#include <stdint.h>
#include <sys/types.h>

#include "limits.h"

#define HUB_EXPORT_ROW_MAX  (16 * 1024)   /* one formatted row, worst case escaped */

enum hub_export_kind { HUB_EXPORT_ATTENDANCE = 1, HUB_EXPORT_PRESENTIELIJST };
enum hub_export_fmt { HUB_FMT_CSV = 1, HUB_FMT_JSON };

struct hub_export_q {
	enum hub_export_kind kind;
	enum hub_export_fmt fmt;
	const char *org_id;      /* NULL: every organisation (operator's CLI only) */
	int64_t from_ms;         /* [from_ms, to_ms) on the corrected time */
	int64_t to_ms;
	const char *programme;   /* NULL or "": any */
	const char *location;    /* NULL or "": any */
	const char *session;     /* presentielijst: required */
	const char *programme_of_session; /* presentielijst: filled by the caller */
};

struct hub_db;
struct hub_export;

/* Start an export on db (which it uses until close; the caller keeps
 * ownership). Returns 0 and *out, or a db error code. */
int hub_export_open(struct hub_db *db, const struct hub_export_q *q, struct hub_export **out);
/* Next bytes into buf: > 0 bytes, 0 at the end, -1 on error. */
ssize_t hub_export_read(struct hub_export *x, char *buf, size_t max);
/* Rows written so far. */
int64_t hub_export_rows(const struct hub_export *x);
void hub_export_close(struct hub_export *x);

#endif
