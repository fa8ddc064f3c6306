/* db_pg.c — the PostgreSQL backend of the db interface (libpq): statements
 * prepared once per connection under generated names, parameters sent as
 * text, big results streamed in single-row mode so memory stays flat.
 * SQLSTATE 40001/40P01/23505 map to HUB_DB_RETRY (the caller reruns the tx).
 * Must not: be used by two threads at once (the pool lends it to one). */
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/db/db_impl.h"

#define PG_INT_STR 24   /* an int64 as text */

struct pg_cache {
	const char *key;
	char name[16];
};

struct pg_db {
	struct hub_db base;
	PGconn *c;
	struct pg_cache cache[HUB_DB_STMT_CACHE];
	int ncache;
	int nextname;
	int streaming;   /* a single-row-mode result is still open */
};

struct pg_res {
	struct hub_res base;
	struct pg_db *db;
	PGresult *res;   /* whole result, or the current single row */
	int stream;
	int row;         /* current row in a whole result; -1 before first */
	int done;
	int64_t changes;
};

static void seterr(struct pg_db *d, const PGresult *res)
{
	const char *m = res ? PQresultErrorMessage(res) : PQerrorMessage(d->c);
	size_t n;

	snprintf(d->base.err, sizeof(d->base.err), "%s", m ? m : "?");
	n = strlen(d->base.err);
	while (n > 0 && (d->base.err[n - 1] == '\n' || d->base.err[n - 1] == ' '))
		d->base.err[--n] = '\0';
}

static int map_res(struct pg_db *d, const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	seterr(d, res);
	if (PQstatus(d->c) != CONNECTION_OK)
		return HUB_DB_UNAVAILABLE;
	if (state != NULL && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	    strcmp(state, "23505") == 0 || strcmp(state, "55P03") == 0))
		return HUB_DB_RETRY;
	if (state != NULL && strncmp(state, "08", 2) == 0)
		return HUB_DB_UNAVAILABLE;
	return HUB_DB_ERROR;
}

static void notice_quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static int pg_open(const char *url, struct hub_db **out, char *err, size_t errlen)
{
	struct pg_db *d = calloc(1, sizeof(*d));

	if (d == NULL) {
		snprintf(err, errlen, "out of memory");
		return HUB_DB_ERROR;
	}
	d->base.ops = &hub_db_pg_ops;
	d->c = PQconnectdb(url);
	if (d->c == NULL || PQstatus(d->c) != CONNECTION_OK) {
		snprintf(err, errlen, "postgresql: %s", d->c ? PQerrorMessage(d->c) : "out of memory");
		PQfinish(d->c);
		free(d);
		return HUB_DB_UNAVAILABLE;
	}
	PQsetNoticeProcessor(d->c, notice_quiet, NULL);
	*out = &d->base;
	return HUB_DB_OK;
}

static void pg_close(struct hub_db *db)
{
	struct pg_db *d = (struct pg_db *)db;

	PQfinish(d->c);
	free(d);
}

static int pg_exec_script(struct hub_db *db, const char *sql)
{
	struct pg_db *d = (struct pg_db *)db;
	PGresult *res = PQexec(d->c, sql);
	int rc = HUB_DB_OK;
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = map_res(d, res);
	PQclear(res);
	return rc;
}

/* The prepared name for sql, preparing it on first use. */
static int stmt_name(struct pg_db *d, const char *sql, int n, const char **name)
{
	struct pg_cache *ent = NULL;
	PGresult *res;
	int rc;

	for (int i = 0; i < d->ncache; i++) {
		if (d->cache[i].key == sql || strcmp(d->cache[i].key, sql) == 0) {
			*name = d->cache[i].name;
			return HUB_DB_OK;
		}
	}
	if (d->ncache < HUB_DB_STMT_CACHE) {
		ent = &d->cache[d->ncache];
		snprintf(ent->name, sizeof(ent->name), "s%d", d->nextname++);
	} else {
		/* Cache full: the unnamed statement, re-prepared each time. */
		static char unnamed[1] = "";
		*name = unnamed;
	}
	res = PQprepare(d->c, ent ? ent->name : "", sql, n, NULL);
	if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
		rc = map_res(d, res);
		PQclear(res);
		return rc;
	}
	PQclear(res);
	if (ent != NULL) {
		ent->key = sql;
		d->ncache++;
		*name = ent->name;
	}
	return HUB_DB_OK;
}

static int pg_query(struct hub_db *db, const char *sql, int n,
    const struct hub_param *p, int stream, struct hub_res **out)
{
	struct pg_db *d = (struct pg_db *)db;
	char ints[HUB_DB_PARAMS_MAX][PG_INT_STR];
	const char *vals[HUB_DB_PARAMS_MAX];
	const char *name = NULL;
	struct pg_res *r;
	int rc;

	if (d->streaming) {
		snprintf(d->base.err, sizeof(d->base.err), "connection busy streaming");
		return HUB_DB_ERROR;
	}
	rc = stmt_name(d, sql, n, &name);
	if (rc != HUB_DB_OK)
		return rc;
	for (int i = 0; i < n; i++) {
		if (p[i].type == HUB_P_TEXT) {
			vals[i] = p[i].s;
		} else if (p[i].type == HUB_P_INT) {
			snprintf(ints[i], sizeof(ints[i]), "%" PRId64, p[i].i);
			vals[i] = ints[i];
		} else {
			vals[i] = NULL;
		}
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return HUB_DB_ERROR;
	r->base.ops = &hub_db_pg_ops;
	r->db = d;
	r->row = -1;
	if (stream) {
		if (!PQsendQueryPrepared(d->c, name, n, vals, NULL, NULL, 0) ||
		    !PQsetSingleRowMode(d->c)) {
			rc = map_res(d, NULL);
			free(r);
			return rc;
		}
		r->stream = 1;
		d->streaming = 1;
	} else {
		ExecStatusType st;

		r->res = PQexecPrepared(d->c, name, n, vals, NULL, NULL, 0);
		st = r->res ? PQresultStatus(r->res) : PGRES_FATAL_ERROR;
		if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
			rc = map_res(d, r->res);
			PQclear(r->res);
			free(r);
			return rc;
		}
		r->changes = strtoll(PQcmdTuples(r->res)[0] ? PQcmdTuples(r->res) : "0", NULL, 10);
	}
	*out = &r->base;
	return HUB_DB_OK;
}

/* Read and drop what is left of a streamed result. */
static void drain(struct pg_res *r)
{
	PGresult *res;

	while ((res = PQgetResult(r->db->c)) != NULL)
		PQclear(res);
	r->db->streaming = 0;
}

static int pg_next(struct hub_res *res)
{
	struct pg_res *r = (struct pg_res *)res;
	ExecStatusType st;

	if (r->done)
		return 0;
	if (!r->stream) {
		if (++r->row < PQntuples(r->res))
			return 1;
		r->done = 1;
		return 0;
	}
	PQclear(r->res);
	r->res = PQgetResult(r->db->c);
	st = r->res ? PQresultStatus(r->res) : PGRES_COMMAND_OK;
	if (st == PGRES_SINGLE_TUPLE) {
		r->row = 0;
		return 1;
	}
	r->done = 1;
	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
		PQclear(r->res);
		r->res = NULL;
		drain(r);
		return 0;
	}
	{
		int rc = map_res(r->db, r->res);

		PQclear(r->res);
		r->res = NULL;
		drain(r);
		return rc;
	}
}

static const char *pg_text(struct hub_res *res, int col)
{
	struct pg_res *r = (struct pg_res *)res;

	if (r->res == NULL || r->row < 0 || col >= PQnfields(r->res))
		return NULL;
	return PQgetvalue(r->res, r->row, col);
}

static int pg_is_null(struct hub_res *res, int col)
{
	struct pg_res *r = (struct pg_res *)res;

	if (r->res == NULL || r->row < 0 || col >= PQnfields(r->res))
		return 1;
	return PQgetisnull(r->res, r->row, col);
}

static int64_t pg_changes(struct hub_res *res)
{
	return ((struct pg_res *)res)->changes;
}

static void pg_res_free(struct hub_res *res)
{
	struct pg_res *r = (struct pg_res *)res;

	PQclear(r->res);
	if (r->stream && !r->done) {
		/* Stopped early (client went away): cancel rather than read on. */
		PGcancel *cn = PQgetCancel(r->db->c);
		char buf[256];

		if (cn != NULL) {
			(void)PQcancel(cn, buf, sizeof(buf));
			PQfreeCancel(cn);
		}
		drain(r);
	}
	free(r);
}

static const char *pg_errmsg(struct hub_db *db)
{
	return db->err;
}

static int pg_ping(struct hub_db *db)
{
	struct pg_db *d = (struct pg_db *)db;

	if (PQstatus(d->c) != CONNECTION_OK || d->streaming ||
	    PQtransactionStatus(d->c) != PQTRANS_IDLE)
		return HUB_DB_UNAVAILABLE;
	return HUB_DB_OK;
}

const struct hub_db_ops hub_db_pg_ops = {
	.kind = HUB_DB_PG,
	.open = pg_open,
	.close = pg_close,
	.exec_script = pg_exec_script,
	.query = pg_query,
	.next = pg_next,
	.text = pg_text,
	.is_null = pg_is_null,
	.changes = pg_changes,
	.res_free = pg_res_free,
	.errmsg = pg_errmsg,
	.ping = pg_ping,
};
