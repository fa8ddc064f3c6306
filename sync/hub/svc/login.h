/* login.h — a coordinator's e-mail address and password to an account,
 * with the lockout after too many failures (svc/ratelimit.h, shared by every
 * hub process) and the audit of logins, for both ways in: POST /v1/login
 * (bearer token) and POST /v1/session (browser cookie). Issuing the token
 * is the caller's.
 * Must not: reveal whether an account exists (same answer, similar time),
 * keep or log the password, or keep a typed address that is no account's. */
#ifndef PRESENTIE_HUB_LOGIN_H
#define PRESENTIE_HUB_LOGIN_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "hub/svc/token.h"
#include "limits.h"

#define HUB_EMAIL_MAX     255   /* e-mail address (RFC 5321: 254) + NUL */
#define HUB_PASSWORD_MAX  256

/* Outcomes of hub_login_check besides db error codes (< 0). */
#define HUB_LOGIN_OK      0
#define HUB_LOGIN_WRONG   1   /* unknown address or wrong password: one failure counted */
#define HUB_LOGIN_LOCKED  2   /* too many attempts in the window: not checked */
#define HUB_LOGIN_BUSY    3   /* the hub's table of login limits is full: not checked */

#define HUB_LOGIN_RATE_CLASS "login"   /* class of the lockout's rate_limits keys */
#define HUB_LOGIN_ADDR_CLASS "loginaddr" /* failed logins per client address */
#define HUB_LOGIN_ADDR_FAIL_MAX 30     /* per client address per window, over all accounts */

struct hub_db;

struct hub_login {
	char email[HUB_EMAIL_MAX];        /* the account's (lower-case) */
	char coordinator_id[PR_ID_MAX];
	char org_id[PR_ID_MAX];
	char org_name[PR_NAME_MAX];
};

/* The login body {"email","password"}: returns the parsed object (the two
 * strings point into it; json_decref it when done), or NULL with err. */
json_t *hub_login_body(const char *body, size_t len, const char **email, const char **pw,
    char *err, size_t errlen);

/* Check email + pw, at most fail_max passwords checked per address per
 * window_ms whatever the concurrency: each attempt is counted first (one
 * atomic statement) and only attempts 1..fail_max of the window are
 * checked; a success forgets the count. The client's address (client, the
 * request's rq->ip, behind a trusted proxy its X-Forwarded-For; NULL or ""
 * for none) is counted the same way over all accounts: past
 * HUB_LOGIN_ADDR_FAIL_MAX attempts in the window that are not successes,
 * nothing is checked (spraying one password over many accounts). A wrong password of an account
 * and its first refused attempt are audited ("login.failed",
 * "login.locked", detail via); an unknown address is not (nothing typed
 * is kept). Returns HUB_LOGIN_OK (out filled), HUB_LOGIN_WRONG,
 * HUB_LOGIN_LOCKED or HUB_LOGIN_BUSY (*retry_s set), or a db error code. */
int hub_login_check(struct hub_db *db, const char *email, const char *pw, const char *via,
    const char *client, int fail_max, int64_t window_ms, struct hub_login *out, int *retry_s);

/* Lower-case ASCII copy of an e-mail address into out (n bytes; cut at
 * n - 1), as accounts are stored. */
void hub_login_lower(const char *in, char *out, size_t n);

/* A new random token and its hash for the db. Returns 0, or -1 (no
 * randomness; nothing to use). */
int hub_login_token(char token[HUB_TOKEN_STR], char hash[HUB_HASH_HEX]);

#endif
