/* export_att.h — the attendance export's rows, streamed in time order
 * without GROUP BY: each tap in, read by the events_time index, probes the
 * other taps of its presence (reports/presence.h: the same grouping, the
 * same columns) by index; hub_att_next reads the packed result and skips a
 * tap in that is not the first of its presence.
 * Must not: define what a presence is differently from presence.h. */
#ifndef PRESENTIE_HUB_EXPORT_ATT_H
#define PRESENTIE_HUB_EXPORT_ATT_H

#include <stddef.h>
#include <stdint.h>

#include "hub/db/db.h"

/* The query's parameters: $1 org ("" all: one_org 0), $2
 * $3 the window of the first tap in [from, to), $4 programme ("" any), $5
 * location ("" any), $6 $7 the window [$7, $6) of the presence's other taps. */
#define HUB_ATT_NPARAMS 7
#define HUB_ATT_TEXT_MAX (16 * 1024)  /* a row's text, all columns together */
#define HUB_ATT_WORD_MAX 64           /* a kind or role (ingest: PR_ROLE_MAX) */

/* Columns of a presence row (the first tap in of the presence). */
enum hub_att_col {
	HUB_ATT_T = 0, HUB_ATT_WALL, HUB_ATT_CORRECTION, HUB_ATT_PERSON, HUB_ATT_NAME,
	HUB_ATT_SESSION, HUB_ATT_SESSION_TITLE, HUB_ATT_PROGRAMME, HUB_ATT_PROGRAMME_TITLE,
	HUB_ATT_LOCATION, HUB_ATT_LOCATION_NAME, HUB_ATT_DEVICE, HUB_ATT_UUID, HUB_ATT_ORG,
	HUB_ATT_TZ, HUB_ATT_SESSION_END, HUB_ATT_RULE, HUB_ATT_ASSIGNED, HUB_ATT_REEVAL,
	HUB_ATT_NCOLS
};

/* The query for a backend; one_org: $1 is the organisation (else "": all). */
const char *hub_att_sql(enum hub_db_kind kind, int one_org);

/* One presence: its first tap's columns (copied: valid until the next call
 * of hub_att_next) and what its taps say together. */
struct hub_att_row {
	const char *text[HUB_ATT_NCOLS];   /* "" for NULL */
	int null[HUB_ATT_NCOLS];
	int64_t id;              /* events.id of the first tap */
	int64_t taps;            /* events behind the presence */
	int has_out;             /* 1: it has a check-out, the last at t_out */
	int64_t t_out;
	int anon;                /* any of its taps anonymised */
	int64_t manual;          /* HUB_MANUAL_* bits: taps entered by hand (presence.h) */
	int64_t earlier;         /* taps in before this one (0: it is the first) */
	char kind[HUB_ATT_WORD_MAX];   /* smallest kind of its taps in */
	char role[HUB_ATT_WORD_MAX];   /* largest role of its taps ("" none) */
	char buf[HUB_ATT_TEXT_MAX];
};

/* Reads presences from the result of hub_att_sql. */
struct hub_res;
struct hub_att_reader {
	struct hub_res *res;
};

/* The next presence into *row. Returns 1, 0 at the end, or -1 (a db error,
 * or a row that does not fit row->buf). */
int hub_att_next(struct hub_att_reader *rd, struct hub_att_row *row);

/* Column col of row as a number (0 for NULL). */
int64_t hub_att_int(const struct hub_att_row *row, enum hub_att_col col);

#endif
