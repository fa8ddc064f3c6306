/* import.h — CSV imports of master data (people, programmes, sessions,
 * enrolments, assignments, cards, pins) for one organisation: UTF-8, ';' or
 * ',', errors that name file and line, and all or nothing (one
 * transaction). Raw card UIDs and PINs are turned into HMACs under the
 * organisation key on the way in and never stored or printed.
 * Must not: leave half an import behind. */
#ifndef PRESENTIE_HUB_IMPORT_H
#define PRESENTIE_HUB_IMPORT_H

#include <stddef.h>
#include <stdio.h>

struct hub_db;

/* The kinds import understands, NULL-terminated (for usage messages). */
extern const char *const hub_import_kinds[];

/* Import fp (named name in messages) as kind into org; default_location
 * (may be NULL) fills an absent location_id of sessions. Returns the
 * number of rows imported, or -1 with err ("people.csv line 14: ..."). */
long hub_import(struct hub_db *db, const char *org, const char *kind, FILE *fp,
    const char *name, const char *default_location, char *err, size_t errlen);

#endif
