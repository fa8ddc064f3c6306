/* import.h — the one import service of master data (people, programmes,
 * sessions, enrolments, assignments, cards, pins) for one organisation, used
 * by the CLI (`presentie-hub import`) and the dashboard (POST
 * /v1/dash/import/KIND): CSV rows (csv.h; an .xlsx arrives converted by
 * xlsx.h) are checked, every problem is collected with its line and column,
 * and the rows are applied in ONE transaction that commits only if there is
 * no problem and this is not a dry run. Raw card UIDs and PINs become HMACs
 * under the organisation key on the way in and are never stored or echoed.
 * Must not: leave half an import behind, or take the organisation from the
 * file. */
#ifndef PRESENTIE_HUB_IMPORT_H
#define PRESENTIE_HUB_IMPORT_H

#include <stddef.h>
#include <stdio.h>

#include "errf.h"
#include "limits.h"

#define HUB_IMPORT_PROBLEMS_MAX 200   /* problems listed; more are only counted */
#define HUB_IMPORT_COLS_MAX     12    /* columns a kind knows */
#define HUB_IMPORT_COLNAME_MAX  24
#define HUB_IMPORT_FILE_MAX     (16 << 20)  /* an .xlsx the CLI reads */

struct hub_db;
struct csv;

/* The kinds import understands, NULL-terminated (for usage messages). */
extern const char *const hub_import_kinds[];

/* The columns of kind (NULL-terminated, required ones first: *nrequired of
 * them), or NULL for an unknown kind. */
const char *const *hub_import_columns(const char *kind, int *nrequired);

struct hub_import_problem {
	long line;                              /* 1-based line of the file (0: the whole file) */
	char column[HUB_IMPORT_COLNAME_MAX];    /* "" if not about one column */
	char message[PR_ERR_MSG_MAX];
};

struct hub_import_report {
	long rows;                 /* data rows read (imported if committed) */
	long nproblems;            /* all problems found, listed or not */
	int nlisted;               /* problems[0..nlisted) */
	struct hub_import_problem problems[HUB_IMPORT_PROBLEMS_MAX];
};

/* Called for every data row read (valid or not) with the reader on it. */
typedef void (*hub_import_row_fn)(void *cls, const struct csv *c);

struct hub_import_opts {
	const char *kind;
	const char *name;              /* the file's name in CLI messages */
	const char *default_location;  /* fills an absent location_id of sessions; may be NULL */
	int dry_run;                   /* check everything, then roll back */
	hub_import_row_fn on_row;      /* may be NULL */
	/* Called inside the transaction just before it commits (e.g. the audit
	 * row), may be NULL; a result other than HUB_DB_OK rolls back and is
	 * returned. */
	int (*before_commit)(void *cls, struct hub_db *db, long rows);
	void *cls;
};

/* Import fp into org as o->kind. Returns HUB_DB_OK with rep filled: if
 * rep->nproblems is 0 and not a dry run, the rows are committed; otherwise
 * nothing changed. Returns a db error code (rolled back, rep partial) if the
 * database failed, or HUB_DB_ERROR for an unknown kind or no memory (then
 * rep->problems[0] says why). */
int hub_import_run(struct hub_db *db, const char *org, const struct hub_import_opts *o, FILE *fp,
    struct hub_import_report *rep);

/* A CSV stream of the seekable file fp: fp itself (rewound) if it is not a
 * zip, else a new stream of its .xlsx first sheet converted by xlsx.h (at
 * most HUB_IMPORT_FILE_MAX bytes read); *mem then holds that stream's
 * buffer: fclose the stream (not fp) and free *mem. Returns NULL with err
 * if the .xlsx cannot be read. */
FILE *hub_import_csv_of(FILE *fp, char **mem, char *err, size_t errlen);

/* The CLI's form: import fp (named name in messages) as kind into org.
 * Returns the number of rows imported, or -1 with err naming the file, the
 * line and the first problem ("people.csv line 14: field 'language': ...")
 * and how many more there are. */
long hub_import(struct hub_db *db, const char *org, const char *kind, FILE *fp,
    const char *name, const char *default_location, char *err, size_t errlen);

#endif
