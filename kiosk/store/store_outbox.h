/* store_outbox.h — the event log's delivery state: the events the hub does
 * not hold yet, read in batches for the sync agent to send, marked delivered
 * up to the hub's acknowledged sequence, or queued again when the hub turns
 * out to hold less (restored from a backup). Reads of a batch are one read
 * transaction, every write one short IMMEDIATE transaction.
 * Delivered events older than the kiosk's bound are dropped (store_outbox_purge).
 * Must not: change anything of an event but its delivery state (the schema's
 * triggers refuse it), drop an undelivered event or the newest one, or hold
 * a transaction across a network call. */
#ifndef PRESENTIE_STORE_OUTBOX_H
#define PRESENTIE_STORE_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "limits.h"
#include "store.h"

/* One event as stored, ready to be sent. Empty strings stand for null. */
struct store_event {
	int64_t seq;
	char uuid[PR_UUID_STR];
	char kind[STORE_KIND_MAX];
	char person_id[PR_ID_MAX];
	char session_id[PR_ID_MAX];
	char role[PR_ROLE_MAX];
	char *payload;                   /* JSON object text, malloc'd, or NULL */
	int64_t wall_ms;
	char boot_id[PR_UUID_STR];
	int64_t boottime_ns;
	int clock_synced;
};

/* Up to max undelivered events after seq `after`, in sequence order, read
 * in one read transaction. evs has room for max; *n gets the count. Free
 * the payloads with store_outbox_free. Returns 0 or -1 (*n = 0, nothing to
 * free; store_errmsg says why). */
int store_outbox_read(struct store *st, int64_t after, size_t max,
    struct store_event *evs, size_t *n);

/* Free the payloads of evs[0..n) and set them to NULL. */
void store_outbox_free(struct store_event *evs, size_t n);

/* Mark every event with seq <= acked_seq delivered, in one short write
 * transaction. Returns 0 or -1 (nothing changed). */
int store_outbox_mark_delivered(struct store *st, int64_t acked_seq);

/* The hub holds less than we thought (restored from a backup): mark every
 * event with seq > acked_seq undelivered again. Returns 0 or -1. */
int store_outbox_unmark_after(struct store *st, int64_t acked_seq);

/* The hub says (in its changes answer) it holds every event of this kiosk
 * only up to acked_seq: if this store still holds seq acked_seq + 1 and
 * marked it delivered, the hub lost it (restored from a backup), so that
 * event and every later one become undelivered again, in one short write
 * transaction. Nothing changes when acked_seq + 1 is undelivered (the push
 * sends it anyway) or no longer here (dropped by store_outbox_purge: the
 * gap cannot be closed from this kiosk). *requeued (may be NULL) gets the
 * count. Returns 0 or -1 (nothing changed). */
int store_outbox_requeue(struct store *st, int64_t acked_seq, int64_t *requeued);

/* Number of undelivered events, and the lowest undelivered seq (0 if none).
 * Returns 0 or -1 (outputs unchanged). */
int store_outbox_pending(struct store *st, int64_t *count, int64_t *first_seq);

/* Drop delivered events whose wall time and delivery time are both before
 * before_ms, in one short write transaction; undelivered events are never
 * dropped (a trigger refuses it too), nor the newest event, so the next
 * seq (max + 1) keeps counting up and the hub never sees a seq twice.
 * *deleted (may be NULL) gets the count. Returns 0 or -1 (nothing changed). */
#define STORE_EVENT_KEEP_DAYS 30    /* delivered events kept on the kiosk */
int store_outbox_purge(struct store *st, int64_t before_ms, int64_t *deleted);

/* Events not yet delivered to the hub (the kiosk's status line). Returns 0
 * or -1 (*n = 0). */
int store_pending_count(struct store *st, int64_t *n);

#endif
