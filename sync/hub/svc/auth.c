/* auth.c — bearer tokens to identities and password checks.
 * Must not: compare secrets with memcmp/strcmp (sodium_memcmp only). */
#include "hub/svc/auth.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "hub/base/htime.h"
#include "hub/db/db.h"
#include "hub/svc/devstatus.h"
#include "hub/svc/token.h"

int hub_auth_bearer_hash(const char *h, char hash[HUB_HASH_HEX])
{
	if (h == NULL || strncmp(h, "Bearer ", 7) != 0)
		return -1;
	h += 7;
	if (!hub_token_well_formed(h))
		return -1;
	hub_hash_hex(h, strlen(h), hash);
	return 0;
}

static int copy(char *dst, size_t n, const char *src)
{
	int w = snprintf(dst, n, "%s", src);

	return (w < 0 || (size_t)w >= n) ? -1 : 0;
}

int hub_auth_device_token(struct hub_db *db, const char *authorization,
    const char *status, struct hub_device *dev)
{
	char hash[HUB_HASH_HEX];
	struct hub_res *r = NULL;
	int rc, ok = 0;
	int64_t now = hub_now_ms();

	if (hub_auth_bearer_hash(authorization, hash) != 0)
		return HUB_AUTH_MISSING;
	rc = hub_db_query(db, "SELECT id, org_id, location_id, token_hash FROM devices"
	    " WHERE token_hash = $1 AND status = 'active'", 1,
	    (struct hub_param[]){ HP_S(hash) }, 0, &r);
	if (rc == HUB_DB_OK && (rc = hub_res_next(r)) == 1) {
		ok = hub_hash_equal(hash, hub_res_text(r, 3)) &&
		    copy(dev->id, sizeof(dev->id), hub_res_text(r, 0)) == 0 &&
		    copy(dev->org_id, sizeof(dev->org_id), hub_res_text(r, 1)) == 0 &&
		    copy(dev->location_id, sizeof(dev->location_id), hub_res_text(r, 2)) == 0;
		rc = HUB_DB_OK;
	}
	hub_res_free(r);
	if (rc < 0)
		return rc;
	if (!ok)
		return HUB_AUTH_UNKNOWN;
	/* Throttled: a no-op UPDATE unless the last write is old. */
	(void)hub_db_exec(db, "UPDATE devices SET last_seen_ms = $1 WHERE id = $2"
	    " AND (last_seen_ms IS NULL OR last_seen_ms < $3)", 3,
	    (struct hub_param[]){ HP_I(now), HP_S(dev->id), HP_I(now - HUB_LAST_SEEN_EVERY_MS) },
	    NULL);
	hub_devstatus_note(db, dev->id, status, now);
	return HUB_AUTH_OK;
}

int hub_auth_coord_token(struct hub_db *db, const char *authorization, struct hub_coord *co)
{
	char hash[HUB_HASH_HEX];
	struct hub_res *r = NULL;
	int rc, ok = 0;

	if (hub_auth_bearer_hash(authorization, hash) != 0)
		return HUB_AUTH_MISSING;
	rc = hub_db_query(db, "SELECT t.coordinator_id, t.org_id, t.token_hash FROM coord_tokens t"
	    " JOIN coordinators c ON c.id = t.coordinator_id AND c.org_id = t.org_id"
	    " WHERE t.token_hash = $1 AND t.expires_ms > $2", 2,
	    (struct hub_param[]){ HP_S(hash), HP_I(hub_now_ms()) }, 0, &r);
	if (rc == HUB_DB_OK && (rc = hub_res_next(r)) == 1) {
		ok = hub_hash_equal(hash, hub_res_text(r, 2)) &&
		    copy(co->id, sizeof(co->id), hub_res_text(r, 0)) == 0 &&
		    copy(co->org_id, sizeof(co->org_id), hub_res_text(r, 1)) == 0;
		rc = HUB_DB_OK;
	}
	hub_res_free(r);
	if (rc < 0)
		return rc;
	return ok ? HUB_AUTH_OK : HUB_AUTH_UNKNOWN;
}

static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
	if (crypto_pwhash_str(dummy_hash, "no such account", 15, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		dummy_hash[0] = '\0';
}

int hub_auth_password_ok(const char *hash, const char *pw)
{
	if (hash == NULL || hash[0] == '\0') {
		pthread_once(&dummy_once, make_dummy);
		/* same work as a real check, result irrelevant: no such account */
		(void)!crypto_pwhash_str_verify(dummy_hash, pw, strlen(pw));
		return 0;
	}
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}
