/* store_int.h — internals shared by the store library's files (kiosk/store/):
 * the handle, the ids of the cached statements (their SQL is in store_sql.c),
 * transactions, error notes, and the migration entry points.
 * Not for use outside kiosk/store/, apart from the handle's db and the
 * migration entry points, which tests use to build databases of each earlier
 * schema version and to look at rows directly. */
#ifndef PRESENTIE_STORE_INT_H
#define PRESENTIE_STORE_INT_H

#include <stddef.h>

#include <sqlite3.h>

#include "errf.h"
#include "store.h"

#define STORE_BUSY_TIMEOUT_MS 5000    /* the kiosk's wait for the agent's write lock */
#define STORE_PAYLOAD_MAX     4096    /* event payload JSON, bytes */

/* Every statement of the store, prepared once (SQLITE_PREPARE_PERSISTENT)
 * and cached per handle; grouped by the file that runs them. */
enum store_stmt_id {
	/* transactions (store.c) */
	SQ_BEGIN = 0,              /* BEGIN IMMEDIATE: every write */
	SQ_BEGIN_READ,             /* BEGIN DEFERRED: a consistent multi-row read */
	SQ_COMMIT,
	SQ_ROLLBACK,
	/* key/value state and the sync_state row (store_meta.c) */
	SQ_META_GET,
	SQ_META_SET,
	SQ_META_DEL,
	SQ_CURSOR_GET,
	SQ_CURSOR_SET,
	SQ_STATE_OK,
	SQ_STATE_ERR,
	/* master data reads (store_query.c) */
	SQ_PERSON_BY_MAC,
	SQ_PERSON_GET,
	SQ_PEOPLE_FIND,
	SQ_SESSIONS_BETWEEN,
	SQ_SESSION_OPEN,
	SQ_ROSTER_BETWEEN,
	/* the event log (store_events.c) */
	SQ_LAST_CHECK,
	SQ_NEXT_SEQ,
	SQ_EVENT_INSERT,
	SQ_HEADCOUNT,
	/* delivery state of the event log (store_outbox.c) */
	SQ_OUTBOX_READ,
	SQ_OUTBOX_MARK,
	SQ_OUTBOX_UNMARK,
	SQ_OUTBOX_PENDING,
	SQ_OUTBOX_PURGE,
	SQ_OUTBOX_REQUEUE,
	/* a pulled changes page (store_apply.c) */
	SQ_PERSON_UP,
	SQ_CRED_UP,
	SQ_CRED_DEL,
	SQ_PROG_UP,
	SQ_ENROL_UP,
	SQ_ENROL_DEL,
	SQ_SESSION_UP,
	SQ_SESSION_DEL,
	SQ_SESSION_DEL_ASSIGN,
	SQ_ROLE_UP,
	SQ_ASSIGN_UP,
	SQ_ASSIGN_DEL,
	SQ_TOMB_CREDS,
	SQ_TOMB_ENROL,
	SQ_TOMB_ASSIGN,
	SQ_TOMB_PERSON,
	SQ_TOMB_TAPS,
	/* the other kiosks' taps (store_apply.c) */
	SQ_TAP_PUT,
	SQ_TAP_PURGE,
	/* a newcomer the coordinator rejected (store_apply.c) */
	SQ_REJECT_DELIVERED,
	SQ_REJECT_DEL,
	SQ_COUNT
};

/* The SQL of each statement id (store_sql.c). */
extern const char *const store_sql[SQ_COUNT];

struct store {
	sqlite3 *db;
	sqlite3_stmt *stmt[SQ_COUNT];
	char err[STORE_ERR_MAX];          /* the last failure in words, or "" */
};

/* The cached statement id, reset and with bindings cleared; NULL on error
 * (st->err says why). */
sqlite3_stmt *store_stmt(struct store *st, enum store_stmt_id id);

/* Step s (a statement that returns no rows, or whose rows are not wanted)
 * once and reset it. Returns 0, or -1 with st->err = "what: SQLite's
 * message". s may be NULL (store_stmt failed): -1. */
int store_step(struct store *st, sqlite3_stmt *s, const char *what);

/* store_step on the cached statement id with up to three text parameters
 * (?1..?n from the non-NULL leading arguments a, b, c). */
int store_run_text(struct store *st, enum store_stmt_id id, const char *what,
    const char *a, const char *b, const char *c);

/* Transactions. store_begin: write != 0 takes the write lock at once
 * (IMMEDIATE), else DEFERRED. store_commit rolls back when COMMIT fails.
 * store_rollback does nothing outside a transaction. 0 or -1 (st->err). */
int store_begin(struct store *st, int write);
int store_commit(struct store *st);
void store_rollback(struct store *st);

/* st->err = "what: SQLite's last message". */
void store_note(struct store *st, const char *what);

/* Copy text column i into buf, cut at a UTF-8 boundary if it cannot fit;
 * NULL gives "". */
void store_col_text(sqlite3_stmt *s, int i, char *buf, size_t size);

/* Write one meta pair inside the caller's transaction (store_meta.c):
 * AGENT_META_CURSOR goes to the sync_state row, a NULL value deletes the
 * key. 0 or -1 (st->err). */
int store_meta_put(struct store *st, const char *key, const char *value);

/* Run sql (no results) on db. Returns 0 or -1 (err gets SQLite's message). */
int store_exec(sqlite3 *db, const char *sql, char *err, size_t errlen);

/* Bring db from its PRAGMA user_version up to target (each step one
 * transaction). Returns 0, or -1 with err set (that step rolled back).
 * A database newer than STORE_SCHEMA_VERSION is refused. */
int store_schema_migrate(sqlite3 *db, int target, char *err, size_t errlen);

/* PRAGMA user_version of db, or -1. */
int store_schema_version(sqlite3 *db);

#endif
