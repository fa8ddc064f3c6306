/* store_int.h — internals shared by the store's files (store.c: open, queries,
 * events; store_schema.c: migrations; store_demo.c: demo seeding).
 * Not for use outside kiosk/store*.c, apart from the migration entry point,
 * which tests call to build databases of each earlier schema version. */
#ifndef PRESENTIE_STORE_INT_H
#define PRESENTIE_STORE_INT_H

#include <stddef.h>

#include <sqlite3.h>

#include "store.h"

#define STORE_BUSY_TIMEOUT_MS 5000
#define STORE_KIND_MAX        32      /* event kind, incl. NUL */
#define STORE_PAYLOAD_MAX     4096    /* event payload JSON, bytes */

/* Hot statements, prepared once (SQLITE_PREPARE_PERSISTENT) and cached. */
enum store_stmt_id {
	SQ_META_GET = 0,
	SQ_META_SET,
	SQ_PERSON_BY_MAC,
	SQ_PERSON_GET,
	SQ_PEOPLE_FIND,
	SQ_SESSIONS_BETWEEN,
	SQ_ROSTER_BETWEEN,
	SQ_LAST_CHECK,
	SQ_NEXT_SEQ,
	SQ_EVENT_INSERT,
	SQ_HEADCOUNT,
	SQ_PENDING,
	SQ_BEGIN,
	SQ_COMMIT,
	SQ_ROLLBACK,
	SQ_COUNT
};

struct store {
	sqlite3 *db;
	sqlite3_stmt *stmt[SQ_COUNT];
};

/* The cached statement id, reset and with bindings cleared; NULL on error. */
sqlite3_stmt *store_stmt(struct store *st, enum store_stmt_id id);

/* snprintf into err (if non-NULL), never failing loudly on truncation. */
void store_errf(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Run sql (no results) on db. Returns 0 or -1 (err gets SQLite's message). */
int store_exec(sqlite3 *db, const char *sql, char *err, size_t errlen);

/* Bring db from its PRAGMA user_version up to target (each step one
 * transaction). Returns 0, or -1 with err set (that step rolled back).
 * A database newer than STORE_SCHEMA_VERSION is refused. */
int store_schema_migrate(sqlite3 *db, int target, char *err, size_t errlen);

/* PRAGMA user_version of db, or -1. */
int store_schema_version(sqlite3 *db);

#endif
