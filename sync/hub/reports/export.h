/* export.h — attendance and presentielijst exports as a byte stream (CSV
 * for Dutch Excel or JSON), produced row by row from a streamed query so
 * memory does not grow with the number of rows. Times are in the local zone
 * of the row's location (hubtz.h). Used by the HTTP endpoints and by
 * `presentie-hub export`.
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
	int64_t from_ms;         /* [from_ms, to_ms) on the corrected time (UTC ms; */
	int64_t to_ms;           /*   0 and INT64_MAX for no bound) */
	const char *from_date;   /* NULL or "YYYY-MM-DD": attendance rows whose local */
	const char *to_date;     /*   date (row's location zone) is in [from, to] */
	const char *programme;   /* NULL or "": any */
	const char *location;    /* NULL or "": any */
	const char *session;     /* presentielijst: required */
	const char *programme_of_session; /* presentielijst: filled by the caller */
};

struct hub_db;
struct hub_export;

/* Start an export on db (which it uses until close; the caller keeps
 * ownership). Returns 0 and *out, or a db error code (HUB_DB_ERROR also for
 * a malformed from_date/to_date or no tzdata for the default zone). */
int hub_export_open(struct hub_db *db, const struct hub_export_q *q, struct hub_export **out);
/* Load the time zone of every location (and the default zone) now, so
 * that the first loads (which set TZ, hubtz.h) happen before the server's
 * threads start. Returns how many location zones loaded, or -1 (no tzdata
 * for the default zone, or a db error). */
int hub_export_preload_zones(struct hub_db *db);
/* Next bytes into buf: > 0 bytes, 0 at the end, -1 on error. */
ssize_t hub_export_read(struct hub_export *x, char *buf, size_t max);
/* Rows written so far. */
int64_t hub_export_rows(const struct hub_export *x);
/* 1 if every byte of the export has been handed out (the stream ended
 * normally), 0 if not (yet), or it failed. */
int hub_export_done(const struct hub_export *x);
void hub_export_close(struct hub_export *x);

#endif
