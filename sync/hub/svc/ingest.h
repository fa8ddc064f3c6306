/* ingest.h — storing one batch of a device's events: one transaction,
 * idempotent (event UUID and device+seq are unique; a replay with the same
 * content is a duplicate, with other content a conflict), references
 * checked against the device's organisation and location, side effects
 * (credential_enrolled, check-out links, clock correction and the
 * re-decision of the taps it moved, svc/reeval.h) applied, and
 * acked_seq computed inside the transaction from the device row (acked_seq,
 * max_seq), scanning events only after a gap. A batch costs a fixed number
 * of statements, not one per event (ingest_rows.c).
 * Must not: trust anything about the device except struct hub_device. */
#ifndef PRESENTIE_HUB_INGEST_H
#define PRESENTIE_HUB_INGEST_H

#include <stdint.h>

#include "hub/base/jsonv.h"
#include "hub/svc/events_parse.h"

#define HUB_ACK_SCAN       1000   /* seqs read per step while computing acked_seq */
#define HUB_RESP_MAX       256

struct hub_db;
struct hub_device;

struct hub_ingest_result {
	int status;                 /* 200, 401, 403, 409, 500, 503 */
	char err[HUB_ERRMSG_MAX];   /* message when status != 200 */
	int64_t acked_seq;
	int stored;
	int duplicates;
	/* Debug counters (tests; not in the answer): rows the clock correction
	 * updated, and acked_seq scans of the events table (0 unless a gap). */
	int64_t clock_rows;
	int ack_scans;
	int64_t reeval_rows;        /* rows svc/reeval.c visited after the correction */
	char body[HUB_RESP_MAX];    /* the 200 answer, JSON */
};

/* Store batch b for dev. If idem_key is non-NULL the pending idempotency
 * row (device, key) is completed with the answer in the same transaction.
 * Always fills res; returns res->status. */
int hub_ingest(struct hub_db *db, const struct hub_device *dev,
    const struct hub_batch *b, const char *idem_key, struct hub_ingest_result *res);

/* acked_seq of a device as stored now (no batch). Returns a db code. */
int hub_ingest_acked(struct hub_db *db, const char *device_id, int64_t *acked);

#endif
