/* db_sqlite.c — the SQLite backend of the db interface: one file in WAL mode,
 * statements prepared once per connection and cached, "$n" placeholders
 * rewritten to SQLite's "?n". Writers serialise on BEGIN IMMEDIATE with a
 * busy handler, so a conflicting writer waits instead of failing: it looks
 * again every SQ_BUSY_POLL_US for HUB_DB_BUSY_MS, so it starts at most that
 * long after the writer before it commits (sqlite3_busy_timeout sleeps up to
 * 100 ms between looks: two batches of one kiosk in flight, the agent's
 * pipeline, waited longer than the commit they queued behind).
 * Must not: be used by two threads at once (the pool lends it to one). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hub/db/db_impl.h"

#define SQL_REWRITE_MAX 8192   /* longest statement the hub uses, rewritten */
#define SQ_BUSY_POLL_US 250    /* a waiting writer looks again this often */

struct cache_ent {
	const char *key;       /* the caller's (static) SQL string */
	sqlite3_stmt *st;
	int busy;
};

struct sq_db {
	struct hub_db base;
	sqlite3 *h;
	struct cache_ent cache[HUB_DB_STMT_CACHE];
	int ncache;
	struct timespec busy_since;   /* CLOCK_MONOTONIC: the current wait began */
};

/* SQLite's busy handler: 1 to look again after SQ_BUSY_POLL_US, 0 (give up:
 * SQLITE_BUSY) once the wait is HUB_DB_BUSY_MS long. */
static int sq_busy(void *arg, int count)
{
	struct sq_db *d = arg;
	struct timespec now, nap = { 0, SQ_BUSY_POLL_US * 1000L };
	int64_t waited_ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (count == 0)
		d->busy_since = now;
	waited_ms = (int64_t)(now.tv_sec - d->busy_since.tv_sec) * 1000 +
	    (now.tv_nsec - d->busy_since.tv_nsec) / 1000000;
	if (waited_ms >= HUB_DB_BUSY_MS)
		return 0;
	nanosleep(&nap, NULL);
	return 1;
}

struct sq_res {
	struct hub_res base;
	struct sq_db *db;
	sqlite3_stmt *st;
	struct cache_ent *ent;   /* NULL if not cached (finalise on free) */
	int64_t changes;
	int done;
};

static int map_rc(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return HUB_DB_RETRY;
	case SQLITE_CANTOPEN:
	case SQLITE_IOERR:
	case SQLITE_FULL:
		return HUB_DB_UNAVAILABLE;
	default:
		return HUB_DB_ERROR;
	}
}

static void seterr(struct sq_db *d)
{
	snprintf(d->base.err, sizeof(d->base.err), "%s", sqlite3_errmsg(d->h));
}

static int sq_open(const char *path, struct hub_db **out, char *err, size_t errlen)
{
	struct sq_db *d = calloc(1, sizeof(*d));
	int rc;

	if (d == NULL) {
		snprintf(err, errlen, "out of memory");
		return HUB_DB_ERROR;
	}
	d->base.ops = &hub_db_sqlite_ops;
	rc = sqlite3_open_v2(path, &d->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	    SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "sqlite %s: %s", path, d->h ? sqlite3_errmsg(d->h) : "cannot open");
		goto fail;
	}
	sqlite3_busy_handler(d->h, sq_busy, d);
	sqlite3_extended_result_codes(d->h, 1);
	rc = sqlite3_exec(d->h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	    "PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF;", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "sqlite %s: %s", path, sqlite3_errmsg(d->h));
		goto fail;
	}
	*out = &d->base;
	return HUB_DB_OK;
fail:
	sqlite3_close(d->h);
	free(d);
	return HUB_DB_UNAVAILABLE;
}

static void sq_close(struct hub_db *db)
{
	struct sq_db *d = (struct sq_db *)db;

	for (int i = 0; i < d->ncache; i++)
		sqlite3_finalize(d->cache[i].st);
	sqlite3_close(d->h);
	free(d);
}

static int sq_exec_script(struct hub_db *db, const char *sql)
{
	struct sq_db *d = (struct sq_db *)db;
	int rc = sqlite3_exec(d->h, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK) {
		seterr(d);
		return map_rc(rc);
	}
	return HUB_DB_OK;
}

/* "$12" -> "?12" outside quotes. Returns 0, or -1 if too long. */
static int rewrite(const char *sql, char *out, size_t max)
{
	size_t o = 0;
	char q = 0;

	for (const char *s = sql; *s; s++) {
		char c = *s;

		if (q) {
			if (c == q)
				q = 0;
		} else if (c == '\'' || c == '"') {
			q = c;
		} else if (c == '$' && s[1] >= '0' && s[1] <= '9') {
			c = '?';
		}
		if (o + 1 >= max)
			return -1;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

static int prepare(struct sq_db *d, const char *sql, sqlite3_stmt **st)
{
	char buf[SQL_REWRITE_MAX];
	int rc;

	if (rewrite(sql, buf, sizeof(buf)) != 0) {
		snprintf(d->base.err, sizeof(d->base.err), "statement too long");
		return HUB_DB_ERROR;
	}
	rc = sqlite3_prepare_v3(d->h, buf, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
	if (rc != SQLITE_OK) {
		seterr(d);
		return map_rc(rc);
	}
	return HUB_DB_OK;
}

static int sq_query(struct hub_db *db, const char *sql, int n,
    const struct hub_param *p, int stream, struct hub_res **out)
{
	struct sq_db *d = (struct sq_db *)db;
	struct cache_ent *ent = NULL;
	sqlite3_stmt *st = NULL;
	struct sq_res *r;
	int rc;

	(void)stream;   /* SQLite steps row by row anyway */
	for (int i = 0; i < d->ncache; i++) {
		if (d->cache[i].key == sql || strcmp(d->cache[i].key, sql) == 0) {
			if (!d->cache[i].busy)
				ent = &d->cache[i];
			break;
		}
	}
	if (ent == NULL) {
		rc = prepare(d, sql, &st);
		if (rc != HUB_DB_OK)
			return rc;
		if (d->ncache < HUB_DB_STMT_CACHE) {
			int dup = 0;

			for (int i = 0; i < d->ncache; i++)
				dup |= strcmp(d->cache[i].key, sql) == 0;
			if (!dup) {
				ent = &d->cache[d->ncache++];
				ent->key = sql;
				ent->st = st;
			}
		}
	} else {
		st = ent->st;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	for (int i = 0; i < n; i++) {
		if (p[i].type == HUB_P_TEXT)
			rc = sqlite3_bind_text(st, i + 1, p[i].s, -1, SQLITE_TRANSIENT);
		else if (p[i].type == HUB_P_INT)
			rc = sqlite3_bind_int64(st, i + 1, p[i].i);
		else
			rc = sqlite3_bind_null(st, i + 1);
		if (rc != SQLITE_OK) {
			seterr(d);
			if (ent == NULL)
				sqlite3_finalize(st);
			return HUB_DB_ERROR;
		}
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL) {
		if (ent == NULL)
			sqlite3_finalize(st);
		return HUB_DB_ERROR;
	}
	r->base.ops = &hub_db_sqlite_ops;
	r->db = d;
	r->st = st;
	r->ent = ent;
	if (ent != NULL)
		ent->busy = 1;
	*out = &r->base;
	return HUB_DB_OK;
}

static int sq_next(struct hub_res *res)
{
	struct sq_res *r = (struct sq_res *)res;
	int rc;

	if (r->done)
		return 0;
	rc = sqlite3_step(r->st);
	if (rc == SQLITE_ROW)
		return 1;
	r->done = 1;
	if (rc == SQLITE_DONE) {
		r->changes = sqlite3_changes(r->db->h);
		return 0;
	}
	seterr(r->db);
	return map_rc(rc);
}

static const char *sq_text(struct hub_res *res, int col)
{
	struct sq_res *r = (struct sq_res *)res;

	return (const char *)sqlite3_column_text(r->st, col);
}

static int sq_is_null(struct hub_res *res, int col)
{
	struct sq_res *r = (struct sq_res *)res;

	return sqlite3_column_type(r->st, col) == SQLITE_NULL;
}

static int64_t sq_changes(struct hub_res *res)
{
	return ((struct sq_res *)res)->changes;
}

static void sq_res_free(struct hub_res *res)
{
	struct sq_res *r = (struct sq_res *)res;

	if (r->ent != NULL) {
		sqlite3_reset(r->st);
		sqlite3_clear_bindings(r->st);
		r->ent->busy = 0;
	} else {
		sqlite3_finalize(r->st);
	}
	free(r);
}

static const char *sq_errmsg(struct hub_db *db)
{
	return db->err;
}

static int sq_ping(struct hub_db *db)
{
	(void)db;
	return HUB_DB_OK;
}

const struct hub_db_ops hub_db_sqlite_ops = {
	.kind = HUB_DB_SQLITE,
	.open = sq_open,
	.close = sq_close,
	.exec_script = sq_exec_script,
	.query = sq_query,
	.next = sq_next,
	.text = sq_text,
	.is_null = sq_is_null,
	.changes = sq_changes,
	.res_free = sq_res_free,
	.errmsg = sq_errmsg,
	.ping = sq_ping,
};
