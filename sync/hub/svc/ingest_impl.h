/* ingest_impl.h — what ingest.c and ingest_rows.c share and nothing else
 * sees: the state of one ingest attempt.
 * Must not: be included outside the ingest files. */
#ifndef PRESENTIE_HUB_INGEST_IMPL_H
#define PRESENTIE_HUB_INGEST_IMPL_H

#include <stdint.h>

#include "hub/svc/ingest.h"

struct hub_tz;

struct hub_ingest_ctx {
	struct hub_db *db;
	const struct hub_device *dev;
	const struct hub_tz *zone;  /* the device's location's zone (local_day) */
	const struct hub_batch *b;
	struct hub_ingest_result *res;
	unsigned char *anon;        /* per event: person erased -> store anonymised */
	unsigned char *stored;      /* per event: newly stored in this attempt */
};

/* Record a refusal decided inside the transaction (status, message);
 * returns 1 (not a db code). */
int hub_ingest_fail(struct hub_ingest_result *res, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Check every session and person the batch names, each distinct id once, in
 * one query per kind; fills c->anon. Returns 0, 1 (403 filled) or a db code. */
int hub_ingest_check_refs(struct hub_ingest_ctx *c);

/* Insert the batch (ON CONFLICT DO NOTHING) with local_day of its wall
 * time in c->zone, mark c->stored and count stored/duplicates in c->res; an
 * event already held with other content (what the device said: orig_* of a
 * re-decided row) is 409. Returns 0, 1 (409 filled) or a db code. */
int hub_ingest_insert(struct hub_ingest_ctx *c, int64_t now);

#endif
