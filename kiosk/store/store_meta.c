/* store_meta.c — the store's key/value state (store_meta.h): one reader and
 * one writer for both programs. The changes cursor lives in the sync_state
 * row, and a sync status write (sync_last_error + sync_waiting) updates that
 * row as well, so the row and the meta keys never disagree.
 * Must not: log values; hold a transaction past store_meta_set_many. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_int.h"
#include "store_meta.h"

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int store_meta_get(struct store *st, const char *key, char *buf, size_t len)
{
	sqlite3_stmt *s;
	int rc, n;

	if (len == 0 || key == NULL)
		return -1;
	buf[0] = '\0';
	if (strcmp(key, AGENT_META_CURSOR) == 0) {         /* lives in sync_state */
		s = store_stmt(st, SQ_CURSOR_GET);
	} else {
		s = store_stmt(st, SQ_META_GET);
		if (s != NULL && sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC) != SQLITE_OK) {
			store_note(st, "reading meta");
			return -1;
		}
	}
	if (s == NULL)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return 1;
	}
	if (rc != SQLITE_ROW) {
		store_note(st, "reading meta");
		sqlite3_reset(s);
		return -1;
	}
	n = sqlite3_column_bytes(s, 0);
	if (sqlite3_column_text(s, 0) == NULL || (size_t)n >= len) {
		snprintf(st->err, sizeof st->err, "meta %s: value missing or too long", key);
		sqlite3_reset(s);
		return -1;                                 /* never hand out a cut value */
	}
	memcpy(buf, sqlite3_column_text(s, 0), (size_t)n + 1);
	sqlite3_reset(s);
	return 0;
}

int store_meta_put(struct store *st, const char *key, const char *value)
{
	sqlite3_stmt *s;
	int bad;

	if (strcmp(key, AGENT_META_CURSOR) == 0) {
		s = store_stmt(st, SQ_CURSOR_SET);
		bad = s == NULL ||
		    sqlite3_bind_text(s, 1, value ? value : "", -1, SQLITE_STATIC) != SQLITE_OK;
	} else if (value == NULL) {
		s = store_stmt(st, SQ_META_DEL);
		bad = s == NULL || sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC) != SQLITE_OK;
	} else {
		s = store_stmt(st, SQ_META_SET);
		bad = s == NULL || sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC) != SQLITE_OK ||
		    sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC) != SQLITE_OK;
	}
	if (bad) {
		store_note(st, "writing meta");
		return -1;
	}
	return store_step(st, s, "writing meta");
}

int store_meta_set(struct store *st, const char *key, const char *value)
{
	if (key == NULL || value == NULL)
		return -1;
	return store_meta_put(st, key, value);
}

/* The sync_state row mirrors the meta keys the kiosk's status line reads.
 * Within the caller's transaction. */
static int state_put(struct store *st, const char *const *kv, size_t n)
{
	const char *err = NULL, *waiting = NULL, *ok = NULL;
	sqlite3_stmt *s;
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(kv[2 * i], AGENT_META_LAST_ERROR) == 0)
			err = kv[2 * i + 1];
		else if (strcmp(kv[2 * i], AGENT_META_WAITING) == 0)
			waiting = kv[2 * i + 1];
		else if (strcmp(kv[2 * i], AGENT_META_LAST_OK) == 0)
			ok = kv[2 * i + 1];
	}
	if (waiting == NULL || err == NULL)
		return 0;
	if (err[0] == '\0' && ok != NULL) {
		s = store_stmt(st, SQ_STATE_OK);
		if (s != NULL) {
			sqlite3_bind_int64(s, 1, now_ms());
			sqlite3_bind_int64(s, 2, strtoll(waiting, NULL, 10));
		}
	} else {
		s = store_stmt(st, SQ_STATE_ERR);
		if (s != NULL) {
			sqlite3_bind_text(s, 1, err, -1, SQLITE_STATIC);
			sqlite3_bind_int64(s, 2, now_ms());
			sqlite3_bind_int64(s, 3, strtoll(waiting, NULL, 10));
		}
	}
	return store_step(st, s, "writing sync_state");
}

int store_meta_set_many(struct store *st, const char *const *kv, size_t n)
{
	size_t i;

	if (store_begin(st, 1) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (kv[2 * i] == NULL || store_meta_put(st, kv[2 * i], kv[2 * i + 1]) < 0)
			goto fail;
	if (state_put(st, kv, n) < 0)
		goto fail;
	return store_commit(st);
fail:
	store_rollback(st);
	return -1;
}
