/* store.c — the store's connection (store.h): opening the file for the kiosk
 * (store_open: create, check, migrate) or next to it for the sync agent
 * (store_attach: existing file only), the per-handle statement cache,
 * transactions and error notes shared by the other files of kiosk/store/.
 * An open that fails on a full or failing disk says so (free space from
 * statvfs of the store's folder), never "damaged".
 * The SQL is in store_sql.c, the migrations in store_schema.c.
 * Must not: see raw UIDs or PINs (only MACs arrive here), talk to the
 * network, or block longer than one short transaction. One handle is used by
 * one thread at a time (the statement cache is per handle). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "store_int.h"

#define STORE_DISK_LOW_BYTES (1024 * 1024)  /* less free than this at a failure: full */
#define STORE_MB             (1024 * 1024)

/* --- a full or failing disk, in an operator's words --------------------------- */

/* The folder of the file path into dir ("." without a slash). */
static void folder_of(const char *path, char *dir, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		pr_errf(dir, len, ".");
	else if (slash == path)
		pr_errf(dir, len, "/");
	else
		pr_errf(dir, len, "%.*s", (int)(slash - path), path);
}

/* Bytes an ordinary writer may still use in folder dir, or -1 if unknown. */
static int64_t free_bytes(const char *dir)
{
	struct statvfs sv;

	if (statvfs(dir, &sv) != 0)
		return -1;
	return (int64_t)sv.f_bavail * (int64_t)sv.f_frsize;
}

/* "0.3 MB" below 10 MB, else "12 MB" (MB = 2^20 bytes), into out. */
static void mb_words(int64_t bytes, char *out, size_t len)
{
	int64_t tenths = bytes * 10 / STORE_MB;

	if (tenths < 100)
		pr_errf(out, len, "%lld.%lld MB", (long long)(tenths / 10), (long long)(tenths % 10));
	else
		pr_errf(out, len, "%lld MB", (long long)(bytes / STORE_MB));
}

/* 1 if a failure with extended result code and errno sys (SQLite keeps it
 * for I/O and open errors only), fb bytes being free (-1: unknown), means the
 * disk is full: SQLITE_FULL; an I/O or open error with ENOSPC or EDQUOT; an
 * I/O error with less than STORE_DISK_LOW_BYTES free. any: also a failure
 * whose code says nothing (a step that rolled back) on a nearly full disk.
 * Never for a damaged file. */
static int is_disk_full(int code, int sys, int64_t fb, int any)
{
	int low = fb >= 0 && fb < STORE_DISK_LOW_BYTES;

	switch (code & 0xff) {
	case SQLITE_FULL: return 1;
	case SQLITE_IOERR: return sys == ENOSPC || sys == EDQUOT || low;
	case SQLITE_CANTOPEN: return sys == ENOSPC || sys == EDQUOT;
	case SQLITE_CORRUPT: case SQLITE_NOTADB: return 0;
	default: return any && low;
	}
}

/* If the last failure on db (the store at path) is a full disk or a disk
 * I/O error, say so and what to do into err and return 1; else 0 (err
 * untouched). any: see is_disk_full. Nothing was written by the failed step:
 * SQLite rolls a failed write back whole. */
static int disk_trouble(sqlite3 *db, const char *path, int any, char *err, size_t errlen)
{
	char dir[PR_PATH_MAX], amount[32];
	int code = sqlite3_extended_errcode(db);
	int64_t fb;

	folder_of(path, dir, sizeof dir);
	fb = free_bytes(dir);
	if (is_disk_full(code, sqlite3_system_errno(db), fb, any)) {
		mb_words(fb > 0 ? fb : 0, amount, sizeof amount);
		pr_errf(err, errlen, "the disk is full: %s free for the store %s. Nothing "
		    "recorded is lost: free up space on that disk (old logs, backups), then "
		    "start again", amount, path);
		return 1;
	}
	if ((code & 0xff) == SQLITE_IOERR) {
		pr_errf(err, errlen, "the store %s could not be read or written (%s): the "
		    "disk or SD card may be failing or gone. Check it (dmesg) before you move "
		    "the file aside, then start again", path, sqlite3_errmsg(db));
		return 1;
	}
	return 0;
}

void store_note(struct store *st, const char *what)
{
	pr_errf(st->err, sizeof st->err, "%s: %s", what, sqlite3_errmsg(st->db));
}

const char *store_errmsg(struct store *st)
{
	return st->err[0] ? st->err : "no error";
}

/* Prepare statement id into the cache (once). 0 or -1 (st->err). */
static int prepare(struct store *st, enum store_stmt_id id)
{
	if (st->stmt[id] != NULL)
		return 0;
	if (sqlite3_prepare_v3(st->db, store_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
	    &st->stmt[id], NULL) == SQLITE_OK)
		return 0;
	store_note(st, "preparing a statement");
	return -1;
}

sqlite3_stmt *store_stmt(struct store *st, enum store_stmt_id id)
{
	sqlite3_stmt *s;

	if (prepare(st, id) != 0)
		return NULL;
	s = st->stmt[id];
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

int store_step(struct store *st, sqlite3_stmt *s, const char *what)
{
	int rc;

	if (s == NULL)
		return -1;
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		store_note(st, what);
		return -1;
	}
	return 0;
}

int store_run_text(struct store *st, enum store_stmt_id id, const char *what,
    const char *a, const char *b, const char *c)
{
	const char *v[3] = { a, b, c };
	sqlite3_stmt *s = store_stmt(st, id);

	for (int i = 0; s != NULL && i < 3 && v[i] != NULL; i++)
		if (sqlite3_bind_text(s, i + 1, v[i], -1, SQLITE_STATIC) != SQLITE_OK) {
			store_note(st, what);
			return -1;
		}
	return store_step(st, s, what);
}

int store_begin(struct store *st, int write)
{
	return store_step(st, store_stmt(st, write ? SQ_BEGIN : SQ_BEGIN_READ), "begin");
}

int store_commit(struct store *st)
{
	if (store_step(st, store_stmt(st, SQ_COMMIT), "commit") == 0)
		return 0;
	store_step(st, store_stmt(st, SQ_ROLLBACK), "rollback");
	return -1;
}

void store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		store_step(st, store_stmt(st, SQ_ROLLBACK), "rollback");
}

void store_col_text(sqlite3_stmt *s, int i, char *buf, size_t size)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	size_t n = t ? (size_t)sqlite3_column_bytes(s, i) : 0;

	if (size == 0)
		return;
	if (n >= size) {
		n = size - 1;
		while (n > 0 && (t[n] & 0xc0) == 0x80)
			n--;
	}
	if (n > 0)
		memcpy(buf, t, n);
	buf[n] = '\0';
}

/* --- opening ---------------------------------------------------------------- */

/* A pragma that returns one text row, into out. 0, or -1 (out = ""). */
static int pragma_text(sqlite3 *db, const char *sql, char *out, size_t len)
{
	sqlite3_stmt *s = NULL;
	int rc = -1;

	out[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) != NULL) {
		pr_errf(out, len, "%s", (const char *)sqlite3_column_text(s, 0));
		rc = 0;
	}
	sqlite3_finalize(s);
	return rc;
}

/* A pragma that returns one text row; 0 if it equals want (case-insensitive). */
static int pragma_expect(sqlite3 *db, const char *sql, const char *want)
{
	char val[32];

	if (pragma_text(db, sql, val, sizeof val) != 0)
		return -1;
	return strcasecmp(val, want) == 0 ? 0 : -1;
}

static int quick_check(sqlite3 *db, const char *path, char *err, size_t errlen)
{
	sqlite3_stmt *s = NULL;
	const char *why = NULL;
	char first[256] = "";
	int rc;

	rc = sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &s, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			const unsigned char *t = sqlite3_column_text(s, 0);

			if (t != NULL && strcmp((const char *)t, "ok") == 0) {
				sqlite3_finalize(s);
				return 0;
			}
			const char *m = t ? (const char *)t : "?";
			size_t o = 0;

			/* first problem only, on one line: "On tree page 45 cell 20: ..." */
			if (strncmp(m, "*** in database main ***\n", 25) == 0)
				m += 25;
			while (*m && *m != '\n' && o < sizeof first - 1)
				first[o++] = *m++;
			first[o] = '\0';
			why = first;
		}
	}
	if (why == NULL && disk_trouble(db, path, 0, err, errlen)) {
		sqlite3_finalize(s);
		return -1;
	}
	if (why == NULL && (sqlite3_errcode(db) != SQLITE_CORRUPT &&
	    sqlite3_errcode(db) != SQLITE_NOTADB)) {
		/* busy, locked, no permission...: not a verdict on the file */
		pr_errf(err, errlen, "cannot check the store %s: %s", path, sqlite3_errmsg(db));
		sqlite3_finalize(s);
		return -1;
	}
	if (why == NULL)
		why = sqlite3_errmsg(db);
	pr_errf(err, errlen, "the store %s is damaged (%s). Stop the kiosk, move "
	    "the file aside (sqlite3 FILE .recover may rescue check-ins not yet sent) "
	    "and start again: it fetches its lists from the hub.", path, why);
	sqlite3_finalize(s);
	return -1;
}

/* The one way a handle comes to be: allocate it and open path with flags and
 * busy_ms. On failure *out is NULL, err is set and nothing is left open. */
static int open_handle(const char *path, int flags, int busy_ms, struct store **out,
    char *err, size_t errlen)
{
	struct store *st;

	*out = NULL;
	st = calloc(1, sizeof *st);
	if (st == NULL) {
		pr_errf(err, errlen, "out of memory opening the store %s", path);
		return -1;
	}
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
		if (st->db == NULL || !disk_trouble(st->db, path, 0, err, errlen))
			pr_errf(err, errlen, "cannot open the store %s: %s", path,
			    st->db ? sqlite3_errmsg(st->db) : "out of memory");
		store_close(st);
		return -1;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, busy_ms);
	*out = st;
	return 0;
}

int store_open(const char *path, struct store **out, char *err, size_t errlen)
{
	struct store *st;
	char why[512], ver[32];
	int migrating;

	*out = NULL;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (open_handle(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	    SQLITE_OPEN_FULLMUTEX, STORE_BUSY_TIMEOUT_MS, &st, err, errlen) != 0)
		return -1;
	if (quick_check(st->db, path, err, errlen) != 0)
		goto fail;
	/* The steps below fail on a (nearly) full disk for want of room: then
	 * that is what the message says, not the step. */
	if (pragma_expect(st->db, "PRAGMA journal_mode = WAL", "wal") != 0) {
		if (!disk_trouble(st->db, path, 1, err, errlen))
			pr_errf(err, errlen, "the store %s cannot use WAL mode: %s", path,
			    sqlite3_errmsg(st->db));
		goto fail;
	}
	if (store_exec(st->db, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON",
	    why, sizeof why) != 0 ||
	    pragma_expect(st->db, "PRAGMA foreign_keys", "1") != 0 ||
	    pragma_expect(st->db, "PRAGMA synchronous", "2") != 0) {
		if (!disk_trouble(st->db, path, 1, err, errlen))
			pr_errf(err, errlen, "the store %s: cannot set synchronous/foreign_keys",
			    path);
		goto fail;
	}
	migrating = pragma_text(st->db, "PRAGMA user_version", ver, sizeof ver) == 0 &&
	    strtol(ver, NULL, 10) < STORE_SCHEMA_VERSION;   /* SQLite's own decimal output */
	if (store_schema_migrate(st->db, STORE_SCHEMA_VERSION, why, sizeof why) != 0) {
		/* a failed migration rolled back: its result code is gone */
		if (!disk_trouble(st->db, path, migrating, err, errlen))
			pr_errf(err, errlen, "the store %s: %s", path, why);
		goto fail;
	}
	*out = st;
	return 0;
fail:
	store_close(st);
	return -1;
}

int store_attach(const char *path, struct store **out, char *err, size_t errlen)
{
	struct store *st;
	struct stat sb;
	char val[32];
	int i, v;

	*out = NULL;
	if (stat(path, &sb) != 0) {
		pr_errf(err, errlen, "the store %s does not exist; start the kiosk once "
		    "first", path);
		return -1;
	}
	if (open_handle(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
	    STORE_AGENT_BUSY_MS, &st, err, errlen) != 0)
		return -1;
	if (pragma_text(st->db, "PRAGMA journal_mode", val, sizeof val) < 0) {
		if (!disk_trouble(st->db, path, 0, err, errlen))
			pr_errf(err, errlen, "cannot read the store %s: %s", path,
			    sqlite3_errmsg(st->db));
		goto fail;
	}
	if (strcmp(val, "wal") != 0) {
		pr_errf(err, errlen, "the store %s is not in WAL mode (%s); start the "
		    "kiosk once first", path, val);
		goto fail;
	}
	if (pragma_text(st->db, "PRAGMA user_version", val, sizeof val) < 0) {
		if (!disk_trouble(st->db, path, 0, err, errlen))
			pr_errf(err, errlen, "cannot read the store %s: %s", path,
			    sqlite3_errmsg(st->db));
		goto fail;
	}
	v = (int)strtol(val, NULL, 10);                 /* SQLite's own decimal output */
	if (v != STORE_SCHEMA_VERSION) {
		pr_errf(err, errlen, "the store %s has schema version %d, this agent "
		    "knows %d: %s", path, v, STORE_SCHEMA_VERSION, v < STORE_SCHEMA_VERSION ?
		    "start the kiosk once first" :
		    "install the same Presentie version as the kiosk");
		goto fail;
	}
	if (sqlite3_exec(st->db, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF;"
	    " PRAGMA secure_delete = ON",
	    NULL, NULL, NULL) != SQLITE_OK) {
		if (!disk_trouble(st->db, path, 0, err, errlen))
			pr_errf(err, errlen, "cannot configure the store connection: %s",
			    sqlite3_errmsg(st->db));
		goto fail;
	}
	for (i = 0; i < SQ_COUNT; i++) {
		if (prepare(st, (enum store_stmt_id)i) != 0) {
			if (!disk_trouble(st->db, path, 0, err, errlen))
				pr_errf(err, errlen, "the store %s does not have the expected "
				    "tables (%s)", path, sqlite3_errmsg(st->db));
			goto fail;
		}
	}
	st->err[0] = '\0';
	*out = st;
	return 0;
fail:
	store_close(st);
	return -1;
}

void store_close(struct store *st)
{
	if (st == NULL)
		return;
	for (int i = 0; i < SQ_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	sqlite3_close_v2(st->db);
	free(st);
}
