/* auth.h — who is calling: a device (bearer token -> device, organisation,
 * location) or a coordinator (bearer token from POST /v1/login -> account,
 * organisation), and the password check. The rate limits are
 * svc/ratelimit.h's; the HTTP side (401 answers) is http/caller.c's.
 * Must not: take identity from the body; log tokens; know HTTP. */
#ifndef PRESENTIE_HUB_AUTH_H
#define PRESENTIE_HUB_AUTH_H

#include <stdint.h>

#include "hub/svc/token.h"
#include "limits.h"

#define HUB_LAST_SEEN_EVERY_MS  30000    /* last_seen is written at most this often */
#define HUB_COORD_TOKEN_TTL_MS  (12LL * 3600 * 1000)

/* Outcomes of a token check besides db error codes (< 0). */
#define HUB_AUTH_OK       0
#define HUB_AUTH_MISSING  1   /* no "Bearer TOKEN", or not a well-formed token */
#define HUB_AUTH_UNKNOWN  2   /* no such active device / unexpired coordinator token */

struct hub_db;

struct hub_device {
	char id[PR_ID_MAX];
	char org_id[PR_ID_MAX];
	char location_id[PR_ID_MAX];
};

struct hub_coord {
	char id[PR_ID_MAX];
	char org_id[PR_ID_MAX];
};

/* The device of an Authorization header value ("Bearer TOKEN"): returns
 * HUB_AUTH_OK with dev filled (last_seen bumped, the kiosk's status header
 * value `status` noted; may be NULL), HUB_AUTH_MISSING, HUB_AUTH_UNKNOWN,
 * or a db error code (< 0). */
int hub_auth_device_token(struct hub_db *db, const char *authorization,
    const char *status, struct hub_device *dev);
/* The coordinator of a token from POST /v1/login; same returns. */
int hub_auth_coord_token(struct hub_db *db, const char *authorization, struct hub_coord *co);

/* The hash (hub_hash_hex) of the token of an Authorization header value
 * ("Bearer TOKEN"). Returns 0, or -1 if there is none or it is not a
 * well-formed token. */
int hub_auth_bearer_hash(const char *authorization, char hash[HUB_HASH_HEX]);

/* 1 if pw matches the argon2id hash (crypto_pwhash_str), else 0. An empty
 * hash (no such account) is checked against a dummy hash all the same, so
 * a login takes as long whether or not the e-mail address exists. */
int hub_auth_password_ok(const char *hash, const char *pw);

#endif
