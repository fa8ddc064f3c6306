/* store_outbox.c — the event log's delivery state (store_outbox.h): batches
 * of undelivered events for the sync agent, marking and unmarking delivery,
 * counting what waits, dropping delivered events past the kiosk's bound.
 * Must not: touch any column but delivered and delivered_at, or delete an
 * undelivered event or the newest one. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_int.h"
#include "store_outbox.h"

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void store_outbox_free(struct store_event *evs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(evs[i].payload);
		evs[i].payload = NULL;
	}
}

static int row_event(sqlite3_stmt *s, struct store_event *e)
{
	const unsigned char *p;

	memset(e, 0, sizeof *e);
	e->seq = sqlite3_column_int64(s, 0);
	store_col_text(s, 1, e->uuid, sizeof e->uuid);
	store_col_text(s, 2, e->kind, sizeof e->kind);
	store_col_text(s, 3, e->person_id, sizeof e->person_id);
	store_col_text(s, 4, e->session_id, sizeof e->session_id);
	store_col_text(s, 5, e->role, sizeof e->role);
	p = sqlite3_column_text(s, 6);
	if (p != NULL && (e->payload = strdup((const char *)p)) == NULL)
		return -1;
	e->wall_ms = sqlite3_column_int64(s, 7);
	store_col_text(s, 8, e->boot_id, sizeof e->boot_id);
	e->boottime_ns = sqlite3_column_int64(s, 9);
	e->clock_synced = sqlite3_column_int(s, 10) != 0;
	return 0;
}

int store_outbox_read(struct store *st, int64_t after, size_t max,
    struct store_event *evs, size_t *n)
{
	sqlite3_stmt *s;
	int rc = SQLITE_DONE;

	*n = 0;
	if (store_begin(st, 0) < 0)
		return -1;
	s = store_stmt(st, SQ_OUTBOX_READ);
	if (s == NULL || sqlite3_bind_int64(s, 1, after) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, (sqlite3_int64)max) != SQLITE_OK) {
		store_note(st, "reading events");
		goto fail;
	}
	while (*n < max && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (row_event(s, &evs[*n]) < 0) {
			pr_errf(st->err, sizeof st->err, "out of memory");
			goto fail;
		}
		(*n)++;
	}
	if (*n < max && rc != SQLITE_DONE) {
		store_note(st, "reading events");
		goto fail;
	}
	sqlite3_reset(s);
	if (store_commit(st) < 0) {
		store_outbox_free(evs, *n);
		*n = 0;
		return -1;
	}
	return 0;
fail:
	sqlite3_reset(s);
	store_outbox_free(evs, *n);
	*n = 0;
	store_rollback(st);
	return -1;
}

/* One write transaction around statement id bound to (seq[, now ms]);
 * *changed (may be NULL) gets the number of rows it changed. */
static int set_delivery(struct store *st, enum store_stmt_id id, int64_t seq,
    int with_time, const char *what, int64_t *changed)
{
	sqlite3_stmt *s;
	int64_t n;

	if (changed != NULL)
		*changed = 0;
	if (store_begin(st, 1) < 0)
		return -1;
	s = store_stmt(st, id);
	if (s != NULL && (sqlite3_bind_int64(s, 1, seq) != SQLITE_OK ||
	    (with_time && sqlite3_bind_int64(s, 2, now_ms()) != SQLITE_OK))) {
		store_note(st, what);
		s = NULL;
	}
	if (store_step(st, s, what) < 0) {
		store_rollback(st);
		return -1;
	}
	n = sqlite3_changes(st->db);
	if (store_commit(st) < 0)
		return -1;
	if (changed != NULL)
		*changed = n;
	return 0;
}

int store_outbox_mark_delivered(struct store *st, int64_t acked_seq)
{
	return set_delivery(st, SQ_OUTBOX_MARK, acked_seq, 1, "marking delivered", NULL);
}

int store_outbox_unmark_after(struct store *st, int64_t acked_seq)
{
	return set_delivery(st, SQ_OUTBOX_UNMARK, acked_seq, 0, "re-queueing events", NULL);
}

int store_outbox_requeue(struct store *st, int64_t acked_seq, int64_t *requeued)
{
	return set_delivery(st, SQ_OUTBOX_REQUEUE, acked_seq, 0, "re-queueing events", requeued);
}

int store_outbox_purge(struct store *st, int64_t before_ms, int64_t *deleted)
{
	sqlite3_stmt *s;

	if (deleted != NULL)
		*deleted = 0;
	if (store_begin(st, 1) < 0)
		return -1;
	s = store_stmt(st, SQ_OUTBOX_PURGE);
	if (s != NULL && sqlite3_bind_int64(s, 1, before_ms) != SQLITE_OK) {
		store_note(st, "dropping old events");
		s = NULL;
	}
	if (store_step(st, s, "dropping old events") < 0) {
		store_rollback(st);
		return -1;
	}
	if (deleted != NULL)
		*deleted = sqlite3_changes(st->db);
	return store_commit(st);
}

int store_outbox_pending(struct store *st, int64_t *count, int64_t *first_seq)
{
	sqlite3_stmt *s = store_stmt(st, SQ_OUTBOX_PENDING);
	int rc;

	if (s == NULL)
		return -1;
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		store_note(st, "counting events");
		sqlite3_reset(s);
		return -1;
	}
	*count = sqlite3_column_int64(s, 0);
	*first_seq = sqlite3_column_int64(s, 1);
	sqlite3_reset(s);
	return 0;
}

int store_pending_count(struct store *st, int64_t *n)
{
	int64_t first;

	*n = 0;
	return store_outbox_pending(st, n, &first);
}
