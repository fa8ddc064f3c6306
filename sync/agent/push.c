/* push.c — POST /v1/events in batches, then mark delivered up to acked_seq.
 * Owns: the loop "read batch (read txn) -> send (no lock held) -> mark
 * (one short write txn)", shrinking batches the hub refuses so that every
 * event before a refused one still gets through, and the pipeline: with a
 * second client (agent_push.ahead) the next batch is read, encoded and sent
 * while the hub still commits the one before (AGENT_PUSH_WINDOW in flight),
 * each request on its own thread and client; answers are taken in order.
 * Must not: skip an event, reorder events, treat a malformed answer as an
 * acknowledgement, or touch the store from a request thread. */
#include "push.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

#define PUSH_HEAD_MAX 64   /* {"device_seq_from":N,"events":[ */

static json_t *str_or_null(const char *s)
{
	return s[0] != '\0' ? json_string(s) : json_null();
}

/* One event as compact JSON text, malloc'd, or NULL. */
static char *event_json(const struct store_event *e)
{
	json_t *o, *payload = NULL;
	char *txt = NULL;

	if (e->payload != NULL && e->payload[0] != '\0')
		payload = json_loads(e->payload, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(payload)) {         /* the store validates; never block the queue */
		json_decref(payload);
		payload = json_object();
	}
	o = json_object();
	if (o == NULL || payload == NULL)
		goto out;
	if (json_object_set_new(o, "uuid", json_string(e->uuid)) ||
	    json_object_set_new(o, "seq", json_integer(e->seq)) ||
	    json_object_set_new(o, "kind", json_string(e->kind)) ||
	    json_object_set_new(o, "person_id", str_or_null(e->person_id)) ||
	    json_object_set_new(o, "session_id", str_or_null(e->session_id)) ||
	    json_object_set_new(o, "role", str_or_null(e->role)) ||
	    json_object_set_new(o, "wall_ms", json_integer(e->wall_ms)) ||
	    json_object_set_new(o, "boot_id", json_string(e->boot_id)) ||
	    json_object_set_new(o, "boottime_ns", json_integer(e->boottime_ns)) ||
	    json_object_set_new(o, "clock_synced", json_boolean(e->clock_synced)) ||
	    json_object_set(o, "payload", payload))
		goto out;
	txt = json_dumps(o, JSON_COMPACT);
out:
	json_decref(payload);
	json_decref(o);
	return txt;
}

char *agent_push_body(const struct store_event *evs, size_t n, size_t max_bytes,
    size_t *len, size_t *used)
{
	char **parts = NULL, *body = NULL, head[PUSH_HEAD_MAX];
	size_t *lens = NULL, i, k = 0, total, off;
	int hn;

	*len = 0;
	*used = 0;
	if (n == 0)
		return NULL;
	hn = snprintf(head, sizeof(head), "{\"device_seq_from\":%lld,\"events\":[",
	    (long long)evs[0].seq);
	if (hn < 0 || (size_t)hn >= sizeof(head))
		return NULL;
	parts = calloc(n, sizeof(*parts));
	lens = calloc(n, sizeof(*lens));
	if (parts == NULL || lens == NULL)
		goto out;
	total = (size_t)hn + 2;                     /* "]}" */
	for (k = 0; k < n; k++) {
		parts[k] = event_json(&evs[k]);
		if (parts[k] == NULL)
			goto out;
		lens[k] = strlen(parts[k]);
		if (total + lens[k] + (k > 0) > max_bytes) {
			free(parts[k]);
			parts[k] = NULL;
			break;
		}
		total += lens[k] + (k > 0);
	}
	if (k == 0)
		goto out;
	body = malloc(total + 1);
	if (body == NULL)
		goto out;
	memcpy(body, head, (size_t)hn);
	off = (size_t)hn;
	for (i = 0; i < k; i++) {
		if (i > 0)
			body[off++] = ',';
		memcpy(body + off, parts[i], lens[i]);
		off += lens[i];
	}
	memcpy(body + off, "]}", 3);
	*len = off + 2;
	*used = k;
out:
	if (parts != NULL)
		for (i = 0; i < n; i++)
			free(parts[i]);
	free(parts);
	free(lens);
	return body;
}

/* One request of the pipeline: its batch's seqs, its body and its answer.
 * A request thread touches only http, body, call and resp. */
struct flight {
	struct agent_http *http;
	char *body;
	size_t len, used;
	int64_t first, last;         /* seqs of the batch's first and last event */
	char kind[STORE_KIND_MAX];   /* and its kind, for a refusal */
	int call;                    /* agent_http_call's return */
	struct agent_http_resp resp;
	pthread_t tid;
	int threaded;                /* tid must be joined */
};

static void *flight_main(void *arg)
{
	struct flight *f = arg;

	f->call = agent_http_call(f->http, "POST", "/v1/events", f->body, f->len, &f->resp);
	return NULL;
}

/* Send f's body: on a thread when others may be in flight, else here. */
static void flight_start(struct flight *f, int threaded)
{
	memset(&f->resp, 0, sizeof(f->resp));
	f->threaded = threaded && pthread_create(&f->tid, NULL, flight_main, f) == 0;
	if (!f->threaded)
		flight_main(f);
}

/* Wait for f's answer and free its body; the answer stays in f->resp. */
static void flight_finish(struct flight *f)
{
	if (f->threaded)
		pthread_join(f->tid, NULL);
	f->threaded = 0;
	free(f->body);
	f->body = NULL;
}

/* Wait for f and forget its answer: its events are re-sent later (the hub
 * takes a re-sent event as a duplicate). */
static void flight_drop(struct flight *f)
{
	flight_finish(f);
	agent_http_resp_free(&f->resp);
}

int agent_push_all(struct store *db, struct agent_http *http, struct agent_push *st,
    int (*should_stop)(void *), void *stop_arg, struct agent_result *r)
{
	struct store_event *evs;
	struct agent_ack ack;
	struct flight fl[AGENT_PUSH_WINDOW], *f;
	char err[AGENT_WIRE_ERR_MAX];
	size_t n = 0, head = 0, busy = 0, window;
	int64_t after = 0;       /* read events after this seq (0: every undelivered one) */
	int64_t acked = -1;      /* the highest acked_seq answered in this call */
	int stalls = 0, rc = -1, drained = 0;

	agent_result_init(r);
	memset(fl, 0, sizeof(fl));
	window = st->ahead != NULL ? AGENT_PUSH_WINDOW : 1;
	evs = calloc(PR_BATCH_EVENTS_MAX, sizeof(*evs));
	if (evs == NULL) {
		agent_result_set(r, AGENT_LOCAL, "out of memory");
		return -1;
	}
	if (st->limit == 0 || st->limit > PR_BATCH_EVENTS_MAX)
		st->limit = PR_BATCH_EVENTS_MAX;
	for (;;) {
		if (busy < window && !drained) {             /* send one more batch */
			if (should_stop != NULL && should_stop(stop_arg)) {
				agent_result_set(r, AGENT_STOPPED, "stopping");
				goto out;
			}
			store_outbox_free(evs, n);
			if (store_outbox_read(db, after, st->limit, evs, &n) < 0) {
				agent_result_set(r, AGENT_LOCAL, "reading events from the store: %s",
				    store_errmsg(db));
				goto out;
			}
			if (n == 0) {
				drained = 1;
				continue;
			}
			f = &fl[(head + busy) % AGENT_PUSH_WINDOW];    /* slot 0 or 1: its own client */
			f->http = f == &fl[0] || st->ahead == NULL ? http : st->ahead;
			f->body = agent_push_body(evs, n, PR_BODY_MAX, &f->len, &f->used);
			if (f->body == NULL) {
				agent_result_set(r, AGENT_LOCAL, f->used == 0 && n > 0 ?
				    "event seq %lld does not fit in one request" :
				    "out of memory (seq %lld)", (long long)evs[0].seq);
				goto out;
			}
			f->first = evs[0].seq;
			snprintf(f->kind, sizeof(f->kind), "%s", evs[0].kind);
			after = f->last = evs[f->used - 1].seq;
			flight_start(f, window > 1);
			busy++;
			st->batches++;
			st->sent += (int64_t)f->used;
			continue;
		}
		if (busy == 0)
			break;
		f = &fl[head];                                /* the oldest answer */
		flight_finish(f);
		head = (head + 1) % AGENT_PUSH_WINDOW;
		busy--;
		if (f->call == 0 && f->resp.status == 200) {
			if (agent_wire_ack(f->resp.body, f->resp.len, &ack, err, sizeof(err)) < 0) {
				agent_result_set(r, AGENT_TRANSIENT, "POST /v1/events: malformed answer: %s", err);
				agent_http_resp_free(&f->resp);
				goto out;
			}
			agent_http_resp_free(&f->resp);
			if (ack.acked_seq > st->acked)
				st->acked = ack.acked_seq;
			if (ack.acked_seq > acked)
				acked = ack.acked_seq;
			/* A batch sent after this one may have been committed first:
			 * then an earlier answer already covers this batch. */
			if (acked >= f->first) {
				if (store_outbox_mark_delivered(db, acked) < 0) {
					agent_result_set(r, AGENT_LOCAL, "marking events delivered: %s",
					    store_errmsg(db));
					goto out;
				}
				stalls = 0;
				if (acked < f->last) {
					/* Part of the batch is not held (never seen from a
					 * sound hub): send the rest again, in order. */
					for (; busy > 0; busy--, head = (head + 1) % AGENT_PUSH_WINDOW)
						flight_drop(&fl[head]);
					drained = 0;
					after = 0;
				}
				if (st->limit < PR_BATCH_EVENTS_MAX)
					st->limit = st->limit * 2 > PR_BATCH_EVENTS_MAX ?
					    PR_BATCH_EVENTS_MAX : st->limit * 2;
				continue;
			}
			/* The hub's contiguous prefix ends before this batch: it lost
			 * events (restored from a backup?). Resend from acked_seq + 1,
			 * one request at a time. */
			for (; busy > 0; busy--, head = (head + 1) % AGENT_PUSH_WINDOW)
				flight_drop(&fl[head]);
			window = 1;
			drained = 0;
			after = 0;
			acked = -1;
			if (++stalls > AGENT_PUSH_STALLS_MAX) {
				agent_result_set(r, AGENT_TRANSIENT, "POST /v1/events: the hub holds "
				    "events only up to seq %lld and does not take seq %lld",
				    (long long)ack.acked_seq, (long long)f->first);
				goto out;
			}
			if (store_outbox_unmark_after(db, ack.acked_seq) < 0) {
				agent_result_set(r, AGENT_LOCAL, "re-queueing events: %s", store_errmsg(db));
				goto out;
			}
			continue;
		}
		agent_result_from_http(r, f->call, &f->resp, "POST /v1/events");
		agent_http_resp_free(&f->resp);
		/* Whatever was sent after a failed batch is sent again, in order,
		 * one request at a time. */
		for (; busy > 0; busy--, head = (head + 1) % AGENT_PUSH_WINDOW)
			flight_drop(&fl[head]);
		window = 1;
		drained = 0;
		after = 0;
		acked = -1;
		if (r->status == AGENT_REFUSED && f->used > 1) {
			/* Find the event the hub refuses: everything before it still goes. */
			st->limit = f->used / 2;
			agent_result_init(r);
			continue;
		}
		if (r->status == AGENT_REFUSED) {
			char why[AGENT_ERR_MAX];
			snprintf(why, sizeof(why), "%s", r->msg);
			agent_result_set(r, AGENT_REFUSED, "event seq %lld (%s): %s",
			    (long long)f->first, f->kind, why);
		}
		goto out;
	}
	rc = 0;
out:
	for (; busy > 0; busy--, head = (head + 1) % AGENT_PUSH_WINDOW)
		flight_drop(&fl[head]);
	store_outbox_free(evs, n);
	free(evs);
	return rc;
}
