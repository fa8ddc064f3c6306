/* ratelimit.c — rate limits in the db (ratelimit.h): HMAC-SHA256 keys under
 * the hub's secret (hub_meta, made on first use with libsodium), one atomic
 * UPDATE ... RETURNING per hit on an existing key, new keys added under a
 * lock (BEGIN IMMEDIATE on SQLite, an advisory lock on PostgreSQL) after
 * counting their class, expired rows swept.
 * Must not: keep the identifier, or delete a row whose window is still open
 * (except hub_rate_reset of that very key). */
#include "hub/svc/ratelimit.h"

#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/base/htime.h"
#include "hub/db/db.h"

#define HUB_RATE_LOCK_KEY   "7723402"     /* PostgreSQL advisory lock of adding keys (SQL text) */
#define HUB_RATE_COUNT_CAP  "1000000000"  /* counts stop here (SQL text; INTEGER column) */
#define SECRET_HEX          (2 * crypto_auth_hmacsha256_KEYBYTES + 1)

/* The same window arithmetic for a hit on an existing row: $2 now, $3 the
 * end of a new window. */
#define BUMP_SET \
	" count = CASE WHEN rate_limits.window_ms <= $2 THEN 1" \
	"   WHEN rate_limits.count < " HUB_RATE_COUNT_CAP " THEN rate_limits.count + 1" \
	"   ELSE rate_limits.count END," \
	" window_ms = CASE WHEN rate_limits.window_ms <= $2 THEN $3 ELSE rate_limits.window_ms END"

static pthread_mutex_t secret_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned char secret_key[crypto_auth_hmacsha256_KEYBYTES];
static int secret_have;
static _Atomic int64_t last_sweep_ms;

int64_t hub_rate_rows_max(void)
{
	static _Atomic int64_t rows;
	int64_t v = atomic_load(&rows);

	if (v == 0) {
		const char *e = getenv(HUB_RATE_ROWS_ENV);
		char *end = NULL;
		long long n = e != NULL ? strtoll(e, &end, 10) : 0;

		v = (e != NULL && end != e && *end == '\0' && n >= HUB_RATE_ROWS_MIN) ? n :
		    HUB_RATE_ROWS_DEFAULT;
		atomic_store(&rows, v);
	}
	return v;
}

/* The hub's secret from hub_meta into secret_key (made and stored if
 * absent; another process may win the insert, then its secret is used).
 * Caller holds secret_mu. Returns HUB_DB_OK or a db error code. */
static int secret_load(struct hub_db *db)
{
	char hex[SECRET_HEX];
	unsigned char fresh[crypto_auth_hmacsha256_KEYBYTES];
	struct hub_res *r = NULL;
	int rc = HUB_DB_OK;

	for (int tries = 0; tries < 2 && rc == HUB_DB_OK; tries++) {
		size_t got = 0;

		rc = hub_db_query(db, "SELECT value FROM hub_meta WHERE name = $1", 1,
		    (struct hub_param[]){ HP_S(HUB_RATE_SECRET_NAME) }, 0, &r);
		hex[0] = '\0';
		while (rc == HUB_DB_OK && (rc = hub_res_next(r)) == 1)
			snprintf(hex, sizeof(hex), "%s", hub_res_text(r, 0));
		hub_res_free(r);
		r = NULL;
		if (rc < 0)
			break;
		if (hex[0] != '\0') {
			if (sodium_hex2bin(secret_key, sizeof(secret_key), hex, strlen(hex), NULL, &got,
			    NULL) != 0 || got != sizeof(secret_key))
				return HUB_DB_ERROR;
			secret_have = 1;
			return HUB_DB_OK;
		}
		randombytes_buf(fresh, sizeof(fresh));
		sodium_bin2hex(hex, sizeof(hex), fresh, sizeof(fresh));
		sodium_memzero(fresh, sizeof(fresh));
		rc = hub_db_exec(db, "INSERT INTO hub_meta (name, value) VALUES ($1, $2)"
		    " ON CONFLICT (name) DO NOTHING", 2,
		    (struct hub_param[]){ HP_S(HUB_RATE_SECRET_NAME), HP_S(hex) }, NULL);
		sodium_memzero(hex, sizeof(hex));
	}
	return rc < 0 ? rc : HUB_DB_ERROR;
}

/* key = cls ":" hex(HMAC-SHA256(secret, cls ":" ident)). Returns HUB_DB_OK
 * or a db error code (key ""). */
static int keyed(struct hub_db *db, const char *cls, const char *ident, char key[HUB_RATE_KEY_MAX])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES], k[crypto_auth_hmacsha256_KEYBYTES];
	crypto_auth_hmacsha256_state st;
	char hex[2 * crypto_auth_hmacsha256_BYTES + 1];
	int rc = HUB_DB_OK, n;

	key[0] = '\0';
	if (strlen(cls) >= HUB_RATE_CLASS_MAX || strchr(cls, ':') != NULL)
		return HUB_DB_ERROR;
	pthread_mutex_lock(&secret_mu);
	if (!secret_have)
		rc = secret_load(db);
	memcpy(k, secret_key, sizeof(k));
	pthread_mutex_unlock(&secret_mu);
	if (rc != HUB_DB_OK)
		return rc;
	crypto_auth_hmacsha256_init(&st, k, sizeof(k));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)cls, strlen(cls));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)":", 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)ident, strlen(ident));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_memzero(k, sizeof(k));
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
	n = snprintf(key, HUB_RATE_KEY_MAX, "%s:%s", cls, hex);
	return (n > 0 && n < HUB_RATE_KEY_MAX) ? HUB_DB_OK : HUB_DB_ERROR;
}

/* Read "count, window_ms" of a RETURNING row. Returns 1 (row), 0 (none), < 0. */
static int returned(struct hub_res *r, int64_t *count, int64_t *end)
{
	int rc = hub_res_next(r), found = rc == 1;

	if (found) {
		*count = hub_res_int(r, 0);
		*end = hub_res_int(r, 1);
		while ((rc = hub_res_next(r)) == 1)
			;
	}
	hub_res_free(r);
	return rc < 0 ? rc : found;
}

/* One hit on an existing key. Returns 1 (counted), 0 (no such key), < 0. */
static int bump(struct hub_db *db, const char *key, int64_t now, int64_t window_ms,
    int64_t *count, int64_t *end)
{
	struct hub_res *r = NULL;
	int rc = hub_db_query(db, "UPDATE rate_limits SET" BUMP_SET " WHERE key = $1"
	    " RETURNING count, window_ms", 3,
	    (struct hub_param[]){ HP_S(key), HP_I(now), HP_I(now + window_ms) }, 0, &r);

	return rc != HUB_DB_OK ? rc : returned(r, count, end);
}

/* The first hit on a new key, in the caller's transaction that holds the
 * lock of adding keys. Returns HUB_RATE_TAKEN, HUB_RATE_FULL (*end: the
 * earliest end of a window of the class), or < 0. */
static int add_locked(struct hub_db *db, const char *cls, const char *key, int64_t now,
    int64_t window_ms, int64_t *count, int64_t *end)
{
	struct hub_res *r = NULL;
	int64_t n = 0;
	int rc;

	for (int pass = 0; pass < 2; pass++) {
		rc = hub_db_int(db, "SELECT COUNT(*) FROM rate_limits WHERE cls = $1", 1,
		    (struct hub_param[]){ HP_S(cls) }, &n);
		if (rc < 0)
			return rc;
		if (n < hub_rate_rows_max())
			break;
		if (pass == 1) {
			rc = hub_db_int(db, "SELECT MIN(window_ms) FROM rate_limits WHERE cls = $1", 1,
			    (struct hub_param[]){ HP_S(cls) }, end);
			return rc < 0 ? rc : HUB_RATE_FULL;
		}
		rc = hub_db_exec(db, "DELETE FROM rate_limits WHERE window_ms <= $1", 1,
		    (struct hub_param[]){ HP_I(now) }, NULL);
		if (rc != HUB_DB_OK)
			return rc;
	}
	rc = hub_db_query(db, "INSERT INTO rate_limits (key, cls, window_ms, count)"
	    " VALUES ($1, $4, $3, 1) ON CONFLICT (key) DO UPDATE SET" BUMP_SET
	    " RETURNING count, window_ms", 4,
	    (struct hub_param[]){ HP_S(key), HP_I(now), HP_I(now + window_ms), HP_S(cls) }, 0, &r);
	if (rc != HUB_DB_OK)
		return rc;
	rc = returned(r, count, end);
	return rc < 0 ? rc : rc == 1 ? HUB_RATE_TAKEN : HUB_DB_ERROR;
}

/* add_locked in its own transaction, retried on conflicts. */
static int add(struct hub_db *db, const char *cls, const char *key, int64_t now,
    int64_t window_ms, int64_t *count, int64_t *end)
{
	int rc = HUB_DB_RETRY;

	for (int tries = 0; tries < HUB_DB_RETRIES && rc == HUB_DB_RETRY; tries++) {
		rc = hub_db_begin(db, 1);
		if (rc == HUB_DB_OK && hub_db_kind(db) == HUB_DB_PG)
			rc = hub_db_exec(db, "SELECT pg_advisory_xact_lock(" HUB_RATE_LOCK_KEY ")", 0,
			    NULL, NULL);
		if (rc == HUB_DB_OK)
			rc = add_locked(db, cls, key, now, window_ms, count, end);
		if (rc == HUB_RATE_TAKEN || rc == HUB_RATE_FULL) {
			/* FULL commits too: the sweep of expired rows stays done. */
			int crc = hub_db_commit(db);

			if (crc == HUB_DB_OK)
				return rc;
			rc = crc;
		}
		hub_db_rollback(db);
	}
	return rc;
}

/* A full sweep when the last one (of this process) is HUB_RATE_SWEEP_MS old. */
static void maybe_sweep(struct hub_db *db, int64_t now)
{
	int64_t last = atomic_load(&last_sweep_ms);

	if (now - last >= HUB_RATE_SWEEP_MS &&
	    atomic_compare_exchange_strong(&last_sweep_ms, &last, now))
		(void)hub_rate_sweep(db, NULL);
}

static int retry_of(int64_t end, int64_t now)
{
	return end > now ? (int)((end - now) / 1000) + 1 : 1;
}

int hub_rate_take(struct hub_db *db, const char *cls, const char *ident, int64_t window_ms,
    int64_t *count, int *retry_s)
{
	char key[HUB_RATE_KEY_MAX];
	int64_t now = hub_now_ms(), end = 0;
	int rc = keyed(db, cls, ident, key);

	*count = 0;
	if (rc != HUB_DB_OK)
		return rc;
	maybe_sweep(db, now);
	rc = bump(db, key, now, window_ms, count, &end);
	if (rc == 1)
		rc = HUB_RATE_TAKEN;
	else if (rc == 0)
		rc = add(db, cls, key, now, window_ms, count, &end);
	if (rc >= 0)
		*retry_s = retry_of(end, now);
	return rc;
}

int hub_rate_hit(struct hub_db *db, const char *key, int64_t window_ms, int max,
    int *retry_s)
{
	char cls[HUB_RATE_CLASS_MAX];
	const char *colon = strchr(key, ':');
	int64_t count = 0;
	int retry = 0, rc;

	if (colon == NULL || (size_t)(colon - key) >= sizeof(cls))
		return HUB_DB_ERROR;
	memcpy(cls, key, (size_t)(colon - key));
	cls[colon - key] = '\0';
	rc = hub_rate_take(db, cls, colon + 1, window_ms, &count, &retry);
	if (rc < 0)
		return rc;
	if (rc == HUB_RATE_FULL || count > max) {
		*retry_s = retry;
		return 1;
	}
	return 0;
}

int hub_rate_reset(struct hub_db *db, const char *cls, const char *ident)
{
	char key[HUB_RATE_KEY_MAX];
	int rc = keyed(db, cls, ident, key);

	if (rc != HUB_DB_OK)
		return rc;
	return hub_db_exec(db, "DELETE FROM rate_limits WHERE key = $1", 1,
	    (struct hub_param[]){ HP_S(key) }, NULL);
}

int hub_rate_untake(struct hub_db *db, const char *cls, const char *ident)
{
	char key[HUB_RATE_KEY_MAX];
	int rc = keyed(db, cls, ident, key);

	if (rc != HUB_DB_OK)
		return rc;
	return hub_db_exec(db, "UPDATE rate_limits SET count = count - 1 WHERE key = $1 AND count > 0",
	    1, (struct hub_param[]){ HP_S(key) }, NULL);
}

int hub_rate_sweep(struct hub_db *db, int64_t *n)
{
	return hub_db_exec(db, "DELETE FROM rate_limits WHERE window_ms <= $1", 1,
	    (struct hub_param[]){ HP_I(hub_now_ms()) }, n);
}
