/* login.c — e-mail + password to a coordinator account under the lockout
 * (login.h): count the attempt, then check. The password check is
 * hub_auth_password_ok (argon2id, libsodium), which takes as long for an
 * unknown address. */
#include "hub/svc/login.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "hub/base/jsonv.h"
#include "hub/db/db.h"
#include "hub/svc/audit.h"
#include "hub/svc/auth.h"
#include "hub/svc/ratelimit.h"

json_t *hub_login_body(const char *body, size_t len, const char **email, const char **pw,
    char *err, size_t errlen)
{
	json_t *j = hub_jv_parse(body, len, err, errlen);

	if (j != NULL && (hub_jv_str(j, "", "email", 1, HUB_EMAIL_MAX, email, err, errlen) != 0 ||
	    hub_jv_str(j, "", "password", 1, HUB_PASSWORD_MAX, pw, err, errlen) != 0)) {
		json_decref(j);
		return NULL;
	}
	return j;
}

void hub_login_lower(const char *in, char *out, size_t n)
{
	size_t i;

	for (i = 0; in[i] != '\0' && i + 1 < n; i++) {
		char ch = in[i];

		out[i] = (char)((ch >= 'A' && ch <= 'Z') ? ch - 'A' + 'a' : ch);
	}
	out[i] = '\0';
}

/* The account of email into out (found: *hash set; not found: *hash "",
 * out's ids ""). Returns HUB_DB_OK or a db error code. */
static int account(struct hub_db *db, const char *email, struct hub_login *out, char *hash,
    size_t hashlen)
{
	struct hub_res *r = NULL;
	int rc = hub_db_query(db, "SELECT c.id, c.org_id, c.pwhash, o.name, c.email FROM coordinators c"
	    " JOIN organisations o ON o.id = c.org_id WHERE c.email = $1", 1,
	    (struct hub_param[]){ HP_S(email) }, 0, &r);

	hash[0] = '\0';
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		snprintf(out->coordinator_id, sizeof(out->coordinator_id), "%s", hub_res_text(r, 0));
		snprintf(out->org_id, sizeof(out->org_id), "%s", hub_res_text(r, 1));
		snprintf(hash, hashlen, "%s", hub_res_text(r, 2));
		snprintf(out->org_name, sizeof(out->org_name), "%s", hub_res_text(r, 3));
		snprintf(out->email, sizeof(out->email), "%s", hub_res_text(r, 4));
	}
	hub_res_free(r);
	return rc < 0 ? rc : HUB_DB_OK;
}

/* Audit action for the account in a (if there is one). Best effort: the
 * answer to a failed login does not change with the audit's fate. */
static void audit_failure(struct hub_db *db, const struct hub_login *a, const char *action,
    const char *via)
{
	struct hub_actor who = { a->org_id, a->coordinator_id, a->email };

	if (a->coordinator_id[0] != '\0')
		(void)hub_audit(db, &who, action, a->email, via);
}

/* Count one attempt of the client address. Returns HUB_DB_OK (go on),
 * HUB_LOGIN_LOCKED or HUB_LOGIN_BUSY (*retry_s set), or a db error code. */
static int take_address(struct hub_db *db, const char *client, int64_t window_ms, int *retry_s)
{
	int64_t n = 0;
	int rc;

	if (client == NULL || client[0] == '\0')
		return HUB_DB_OK;
	rc = hub_rate_take(db, HUB_LOGIN_ADDR_CLASS, client, window_ms, &n, retry_s);
	if (rc < 0)
		return rc;
	if (rc == HUB_RATE_FULL)
		return HUB_LOGIN_BUSY;
	return n > HUB_LOGIN_ADDR_FAIL_MAX ? HUB_LOGIN_LOCKED : HUB_DB_OK;
}

int hub_login_check(struct hub_db *db, const char *email, const char *pw, const char *via,
    const char *client, int fail_max, int64_t window_ms, struct hub_login *out, int *retry_s)
{
	char typed[HUB_EMAIL_MAX], hash[crypto_pwhash_STRBYTES];
	int64_t n = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	hub_login_lower(email, typed, sizeof(typed));
	rc = take_address(db, client, window_ms, retry_s);
	if (rc != HUB_DB_OK)
		return rc;
	rc = hub_rate_take(db, HUB_LOGIN_RATE_CLASS, typed, window_ms, &n, retry_s);
	if (rc < 0)
		return rc;
	if (rc == HUB_RATE_FULL)
		return HUB_LOGIN_BUSY;
	rc = HUB_DB_OK;
	if (n > fail_max) {
		/* Not checked. The first refusal of a window is audited. */
		if (n == (int64_t)fail_max + 1 && (rc = account(db, typed, out, hash, sizeof(hash))) ==
		    HUB_DB_OK)
			audit_failure(db, out, "login.locked", via);
		memset(out, 0, sizeof(*out));
		return rc != HUB_DB_OK ? rc : HUB_LOGIN_LOCKED;
	}
	rc = account(db, typed, out, hash, sizeof(hash));
	if (rc != HUB_DB_OK)
		return rc;
	if (!hub_auth_password_ok(hash, pw)) {
		audit_failure(db, out, "login.failed", via);
		memset(out, 0, sizeof(*out));
		return HUB_LOGIN_WRONG;
	}
	(void)hub_rate_reset(db, HUB_LOGIN_RATE_CLASS, typed);
	if (client != NULL && client[0] != '\0')   /* a success is not a failed attempt */
		(void)hub_rate_untake(db, HUB_LOGIN_ADDR_CLASS, client);
	return HUB_LOGIN_OK;
}

int hub_login_token(char token[HUB_TOKEN_STR], char hash[HUB_HASH_HEX])
{
	if (hub_token_new(token) != 0)
		return -1;
	hub_hash_hex(token, strlen(token), hash);
	return 0;
}
