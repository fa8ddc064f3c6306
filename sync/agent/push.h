/* push.h — send the store's undelivered events to the hub, in order.
 * Owns: batching (<= PR_BATCH_EVENTS_MAX events, <= PR_BODY_MAX bytes), the
 * JSON of POST /v1/events, and what an answer means for the delivered marks.
 * Must not: hold a store transaction while the request is in flight, or
 * mark anything delivered that the hub's acked_seq does not cover. */
#ifndef PRESENTIE_AGENT_PUSH_H
#define PRESENTIE_AGENT_PUSH_H

#include <stddef.h>
#include <stdint.h>

#include "http.h"
#include "result.h"
#include "store_outbox.h"

#define AGENT_PUSH_STALLS_MAX 2   /* answers without progress before giving up a cycle */
#define AGENT_PUSH_WINDOW     2   /* requests in flight at once with a second client */

/* Carried between calls (nothing in it matters after a crash). */
struct agent_push {
	size_t limit;           /* current batch size; 0 = PR_BATCH_EVENTS_MAX */
	int64_t sent;           /* events sent in this process (counters for logs) */
	int64_t acked;          /* highest acked_seq seen */
	int64_t batches;
	/* A second client to the same hub, or NULL: with it, the next batch is
	 * sent while the hub still answers the one before (the caller's
	 * should_stop is then called from the request threads too, and the
	 * http clients' should_abort hooks must be thread-safe). */
	struct agent_http *ahead;
};

/* Build the body of POST /v1/events for evs[0..n): as many events as fit in
 * max_bytes (at least one, unless that one alone is too big). Returns a
 * malloc'd NUL-terminated body and sets *len and *used, or NULL (out of
 * memory, or evs[0] alone exceeds max_bytes: then *used = 0). */
char *agent_push_body(const struct store_event *evs, size_t n, size_t max_bytes,
    size_t *len, size_t *used);

/* Push until the store has no undelivered event, or an exchange fails.
 * Returns 0 with r->status DONE, or -1 with r filled (TRANSIENT, REFUSED,
 * AUTH, LOCAL, STOPPED). Events the hub acknowledged stay marked even then. */
int agent_push_all(struct store *db, struct agent_http *http, struct agent_push *st,
    int (*should_stop)(void *), void *stop_arg, struct agent_result *r);

#endif
