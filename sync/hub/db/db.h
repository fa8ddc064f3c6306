/* db.h — the hub's database interface: one connection (struct hub_db) over
 * SQLite or PostgreSQL behind a table of backend ops, parameterised statements
 * only ($1..$n placeholders, bound as text or int64), row iteration that
 * streams (PostgreSQL single-row mode), and a connection pool for the server.
 * Must not: build SQL from input (every value is a parameter) or keep state
 * that other hub processes would need to see (all of that is in the db). */
#ifndef PRESENTIE_HUB_DB_H
#define PRESENTIE_HUB_DB_H

#include <stddef.h>
#include <stdint.h>

#define HUB_DB_ERR_MAX      256   /* last error message of a connection */
#define HUB_DB_PARAMS_MAX   24    /* parameters of one statement */
#define HUB_DB_STMT_CACHE   96    /* prepared statements cached per connection */
#define HUB_DB_RETRIES      8     /* transaction retries on conflict */
#define HUB_DB_BUSY_MS      10000 /* SQLite busy timeout */

enum hub_db_kind { HUB_DB_SQLITE = 1, HUB_DB_PG = 2 };

/* Result codes of every db call. */
enum hub_db_rc {
	HUB_DB_OK = 0,
	HUB_DB_ERROR = -1,       /* bad SQL, constraint the caller did not expect, ... */
	HUB_DB_RETRY = -2,       /* serialisation failure, deadlock, unique race, busy: retry the tx */
	HUB_DB_UNAVAILABLE = -3, /* connection lost or server unreachable */
};

enum hub_param_type { HUB_P_NULL = 0, HUB_P_TEXT, HUB_P_INT };

struct hub_param {
	enum hub_param_type type;
	const char *s;
	int64_t i;
};

/* A text parameter; NULL binds SQL NULL. */
static inline struct hub_param hub_param_text(const char *s)
{
	struct hub_param p = { .type = s ? HUB_P_TEXT : HUB_P_NULL, .s = s };

	return p;
}

#define HP_S(x)   hub_param_text(x)
#define HP_I(x)   ((struct hub_param){ .type = HUB_P_INT, .i = (int64_t)(x) })
#define HP_NULL   ((struct hub_param){ .type = HUB_P_NULL })

struct hub_db;
struct hub_res;

/* Backend ops; each backend file defines one table. */
struct hub_db_ops {
	enum hub_db_kind kind;
	int (*open)(const char *target, struct hub_db **out, char *err, size_t errlen);
	void (*close)(struct hub_db *db);
	int (*exec_script)(struct hub_db *db, const char *sql);
	int (*query)(struct hub_db *db, const char *sql, int n,
	    const struct hub_param *p, int stream, struct hub_res **out);
	int (*next)(struct hub_res *r);
	const char *(*text)(struct hub_res *r, int col);
	int (*is_null)(struct hub_res *r, int col);
	int64_t (*changes)(struct hub_res *r);
	void (*res_free)(struct hub_res *r);
	const char *(*errmsg)(struct hub_db *db);
	int (*ping)(struct hub_db *db);
};

extern const struct hub_db_ops hub_db_sqlite_ops;
extern const struct hub_db_ops hub_db_pg_ops;

/* Open a connection from a URL: "sqlite:PATH" or "postgresql://..." /
 * "postgres://...". Returns HUB_DB_OK and *out, or an error code with err
 * filled (nothing left open). */
int hub_db_open(const char *url, struct hub_db **out, char *err, size_t errlen);
void hub_db_close(struct hub_db *db);
enum hub_db_kind hub_db_kind(const struct hub_db *db);
const char *hub_db_errmsg(struct hub_db *db);

/* Run a constant multi-statement script (schema only; never input). */
int hub_db_exec_script(struct hub_db *db, const char *sql);

/* Transactions. begin(write=1) takes the write lock at once on SQLite
 * (BEGIN IMMEDIATE); on PostgreSQL it is READ COMMITTED (callers lock rows
 * they depend on with the lock helpers below). begin_snapshot gives a
 * consistent read snapshot (REPEATABLE READ READ ONLY on PostgreSQL). */
int hub_db_begin(struct hub_db *db, int write);
int hub_db_begin_snapshot(struct hub_db *db);
int hub_db_commit(struct hub_db *db);
/* Roll back; safe to call when no transaction is open. */
void hub_db_rollback(struct hub_db *db);
/* Run fn(db, cls) in a write transaction (hub_db_begin(db, 1)) and commit,
 * again from the start up to HUB_DB_RETRIES times while something answers
 * HUB_DB_RETRY (fn must be safe to run again: it only writes through db).
 * Returns HUB_DB_OK (committed), or the last error code (rolled back). */
int hub_db_write_tx(struct hub_db *db, int (*fn)(struct hub_db *db, void *cls), void *cls);

/* Prepare (cached per connection) and run sql with n parameters.
 * stream=1 delivers rows one by one (memory flat for big results).
 * Returns HUB_DB_OK and *out (free with hub_res_free), or an error code. */
int hub_db_query(struct hub_db *db, const char *sql, int n,
    const struct hub_param *p, int stream, struct hub_res **out);
/* Run a statement and drop its rows; *changes (may be NULL) gets the number
 * of rows inserted/updated/deleted. */
int hub_db_exec(struct hub_db *db, const char *sql, int n,
    const struct hub_param *p, int64_t *changes);
/* Run a query expected to give at most one row, column 0 as int64.
 * Returns 1 (found, *v set), 0 (no row or NULL), or an error code. */
int hub_db_int(struct hub_db *db, const char *sql, int n,
    const struct hub_param *p, int64_t *v);

/* Rows: 1 = a row is current, 0 = done, < 0 error code. */
int hub_res_next(struct hub_res *r);
/* Column text of the current row ("" for NULL); valid until the next call. */
const char *hub_res_text(struct hub_res *r, int col);
int hub_res_is_null(struct hub_res *r, int col);
/* Column as int64 (0 for NULL or non-numbers). */
int64_t hub_res_int(struct hub_res *r, int col);
int64_t hub_res_changes(struct hub_res *r);
void hub_res_free(struct hub_res *r);

/* A pool of connections for the server; get blocks up to timeout_ms.
 * Returns NULL if no connection could be had (then answer 503). */
struct hub_pool;
struct hub_pool *hub_pool_new(const char *url, int size, char *err, size_t errlen);
struct hub_db *hub_pool_get(struct hub_pool *pool, int timeout_ms);
/* Give a connection back; broken=1 closes it (a new one is opened later). */
void hub_pool_put(struct hub_pool *pool, struct hub_db *db, int broken);
void hub_pool_free(struct hub_pool *pool);

#endif
