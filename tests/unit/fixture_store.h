/* fixture_store.h — the fixture the store's unit tests share (test_store.c,
 * test_demo.c): one scratch folder per test program, a fresh database path
 * per test, store_open (and demo seeding) that fails the test with the
 * store's sentence, and two raw SQLite helpers for looking at or tampering
 * with rows.
 * Include after <cmocka.h>. A test may define FIXTURE_STORE_TMP (a mkdtemp
 * template) before including it. Must not: be linked into anything but a
 * test program (its state is static, one copy per test program). */
#ifndef PRESENTIE_FIXTURE_STORE_H
#define PRESENTIE_FIXTURE_STORE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <sqlite3.h>

#include "limits.h"
#include "store.h"

#ifndef FIXTURE_STORE_TMP
#define FIXTURE_STORE_TMP "/tmp/presentie-test-XXXXXX"
#endif
#define DEMO_DIR "assets/demo"

#define FIXTURE_UNUSED __attribute__((unused))

static char tmpdir[256];
static int dbno;

/* Group setup: create the scratch folder. */
FIXTURE_UNUSED static int setup_dir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "%s", FIXTURE_STORE_TMP);
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

/* Group teardown: remove the scratch folder and everything in it. */
FIXTURE_UNUSED static int teardown_dir(void **state)
{
	char cmd[PR_PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A database path in the scratch folder not used before. */
FIXTURE_UNUSED static void new_path(char *buf, size_t len)
{
	snprintf(buf, len, "%s/store-%d.db", tmpdir, ++dbno);
}

/* store_open, failing the test with the store's sentence. */
FIXTURE_UNUSED static struct store *open_ok(const char *path)
{
	struct store *st = NULL;
	char err[512];

	if (store_open(path, &st, err, sizeof err) != 0)
		fail_msg("store_open: %s", err);
	return st;
}

/* A new store (its path into path) seeded with the demo organisation placed
 * around now, failing the test with the seeding's sentence. */
FIXTURE_UNUSED static struct store *seeded(int64_t now, char *path, size_t len)
{
	struct store *st;
	char err[512];

	new_path(path, len);
	st = open_ok(path);
	if (store_seed_demo(st, DEMO_DIR, now, err, sizeof err) != 0)
		fail_msg("seed: %s", err);
	return st;
}

/* The first column of the first row of sql, or -1. */
FIXTURE_UNUSED static int64_t scalar(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	int64_t v = -1;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* Run sql without results: 0 or -1. */
FIXTURE_UNUSED static int exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

#endif
