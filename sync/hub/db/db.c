/* db.c — the backend-neutral front of the db interface: URL dispatch,
 * transactions, small query helpers and the server's connection pool.
 * Must not: contain backend-specific calls (those live in db_sqlite.c and
 * db_pg.c) or SQL that depends on input. */
#include "hub/db/db.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hub/db/db_impl.h"

int hub_db_open(const char *url, struct hub_db **out, char *err, size_t errlen)
{
	*out = NULL;
	if (url == NULL || url[0] == '\0') {
		snprintf(err, errlen, "no database URL");
		return HUB_DB_ERROR;
	}
	if (strncmp(url, "sqlite:", 7) == 0)
		return hub_db_sqlite_ops.open(url + 7, out, err, errlen);
	if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0)
		return hub_db_pg_ops.open(url, out, err, errlen);
	snprintf(err, errlen, "database URL must start with sqlite: or postgresql://");
	return HUB_DB_ERROR;
}

void hub_db_close(struct hub_db *db)
{
	if (db != NULL)
		db->ops->close(db);
}

enum hub_db_kind hub_db_kind(const struct hub_db *db)
{
	return db->ops->kind;
}

const char *hub_db_errmsg(struct hub_db *db)
{
	return db->ops->errmsg(db);
}

int hub_db_exec_script(struct hub_db *db, const char *sql)
{
	return db->ops->exec_script(db, sql);
}

static int simple(struct hub_db *db, const char *sql)
{
	return hub_db_exec(db, sql, 0, NULL, NULL);
}

int hub_db_begin(struct hub_db *db, int write)
{
	int rc;

	if (db->ops->kind == HUB_DB_SQLITE)
		rc = simple(db, write ? "BEGIN IMMEDIATE" : "BEGIN");
	else
		rc = simple(db, "BEGIN ISOLATION LEVEL READ COMMITTED");
	if (rc == HUB_DB_OK)
		db->in_tx = 1;
	return rc;
}

int hub_db_begin_snapshot(struct hub_db *db)
{
	int rc;

	if (db->ops->kind == HUB_DB_SQLITE)
		rc = simple(db, "BEGIN");
	else
		rc = simple(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
	if (rc == HUB_DB_OK)
		db->in_tx = 1;
	return rc;
}

int hub_db_commit(struct hub_db *db)
{
	int rc = simple(db, "COMMIT");

	if (rc != HUB_DB_OK)
		hub_db_rollback(db);
	db->in_tx = 0;
	return rc;
}

void hub_db_rollback(struct hub_db *db)
{
	if (!db->in_tx)
		return;
	(void)simple(db, "ROLLBACK");
	db->in_tx = 0;
}

int hub_db_query(struct hub_db *db, const char *sql, int n,
    const struct hub_param *p, int stream, struct hub_res **out)
{
	*out = NULL;
	if (n < 0 || n > HUB_DB_PARAMS_MAX)
		return HUB_DB_ERROR;
	return db->ops->query(db, sql, n, p, stream, out);
}

int hub_db_exec(struct hub_db *db, const char *sql, int n,
    const struct hub_param *p, int64_t *changes)
{
	struct hub_res *r = NULL;
	int rc = hub_db_query(db, sql, n, p, 0, &r);

	if (rc != HUB_DB_OK)
		return rc;
	while ((rc = hub_res_next(r)) == 1)
		;
	if (rc == 0 && changes != NULL)
		*changes = hub_res_changes(r);
	hub_res_free(r);
	return rc < 0 ? rc : HUB_DB_OK;
}

int hub_db_int(struct hub_db *db, const char *sql, int n,
    const struct hub_param *p, int64_t *v)
{
	struct hub_res *r = NULL;
	int rc = hub_db_query(db, sql, n, p, 0, &r);
	int found = 0;

	if (rc != HUB_DB_OK)
		return rc;
	rc = hub_res_next(r);
	if (rc == 1 && !hub_res_is_null(r, 0)) {
		*v = hub_res_int(r, 0);
		found = 1;
	}
	while (rc == 1)
		rc = hub_res_next(r);
	hub_res_free(r);
	return rc < 0 ? rc : found;
}

int hub_res_next(struct hub_res *r)
{
	return r->ops->next(r);
}

const char *hub_res_text(struct hub_res *r, int col)
{
	const char *s = r->ops->text(r, col);

	return s != NULL ? s : "";
}

int hub_res_is_null(struct hub_res *r, int col)
{
	return r->ops->is_null(r, col);
}

int64_t hub_res_int(struct hub_res *r, int col)
{
	const char *s = r->ops->text(r, col);
	char *end = NULL;
	long long v;

	if (s == NULL || *s == '\0')
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s)
		return 0;
	return (int64_t)v;
}

int64_t hub_res_changes(struct hub_res *r)
{
	return r->ops->changes(r);
}

void hub_res_free(struct hub_res *r)
{
	if (r != NULL)
		r->ops->res_free(r);
}

/* ---- pool ---------------------------------------------------------------- */

struct hub_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char *url;
	int size;      /* max open connections */
	int open;      /* connections open (idle + lent) */
	int nidle;
	struct hub_db **idle;
};

struct hub_pool *hub_pool_new(const char *url, int size, char *err, size_t errlen)
{
	struct hub_pool *p = calloc(1, sizeof(*p));
	struct hub_db *db = NULL;

	if (p == NULL || size < 1)
		goto fail;
	p->url = strdup(url);
	/* an array of pointers: sizeof one pointer is meant */
	p->idle = calloc((size_t)size, sizeof(*p->idle)); /* NOLINT(bugprone-sizeof-expression) */
	if (p->url == NULL || p->idle == NULL)
		goto fail;
	p->size = size;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	/* One connection now, so a wrong URL fails at start-up. */
	if (hub_db_open(url, &db, err, errlen) != HUB_DB_OK) {
		pthread_mutex_destroy(&p->mu);
		pthread_cond_destroy(&p->cv);
		goto fail;
	}
	p->idle[p->nidle++] = db;
	p->open = 1;
	return p;
fail:
	if (p != NULL) {
		free(p->url);
		free(p->idle);
	}
	free(p);
	return NULL;
}

struct hub_db *hub_pool_get(struct hub_pool *p, int timeout_ms)
{
	struct timespec until;
	struct hub_db *db = NULL;
	char err[HUB_DB_ERR_MAX];
	int rc = 0;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&p->mu);
	while (p->nidle == 0 && p->open >= p->size && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&p->cv, &p->mu, &until);
	if (p->nidle > 0) {
		db = p->idle[--p->nidle];
		pthread_mutex_unlock(&p->mu);
		return db;
	}
	if (p->open >= p->size) {
		pthread_mutex_unlock(&p->mu);
		return NULL;
	}
	p->open++;   /* reserve the slot, open outside the lock */
	pthread_mutex_unlock(&p->mu);
	if (hub_db_open(p->url, &db, err, sizeof(err)) != HUB_DB_OK) {
		fprintf(stderr, "presentie-hub: database: %s\n", err);
		pthread_mutex_lock(&p->mu);
		p->open--;
		pthread_cond_signal(&p->cv);
		pthread_mutex_unlock(&p->mu);
		return NULL;
	}
	return db;
}

void hub_pool_put(struct hub_pool *p, struct hub_db *db, int broken)
{
	if (db == NULL)
		return;
	hub_db_rollback(db);
	if (!broken && db->ops->ping(db) != HUB_DB_OK)
		broken = 1;
	pthread_mutex_lock(&p->mu);
	if (broken) {
		p->open--;
	} else {
		p->idle[p->nidle++] = db;
		db = NULL;
	}
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
	if (db != NULL)
		hub_db_close(db);
}

void hub_pool_free(struct hub_pool *p)
{
	if (p == NULL)
		return;
	for (int i = 0; i < p->nidle; i++)
		hub_db_close(p->idle[i]);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p->idle);
	free(p->url);
	free(p);
}

int hub_db_write_tx(struct hub_db *db, int (*fn)(struct hub_db *db, void *cls), void *cls)
{
	int rc = HUB_DB_RETRY;

	for (int tries = 0; tries < HUB_DB_RETRIES && rc == HUB_DB_RETRY; tries++) {
		rc = hub_db_begin(db, 1);
		if (rc == HUB_DB_OK)
			rc = fn(db, cls);
		if (rc == HUB_DB_OK)
			rc = hub_db_commit(db);
		if (rc != HUB_DB_OK)
			hub_db_rollback(db);
	}
	return rc;
}
