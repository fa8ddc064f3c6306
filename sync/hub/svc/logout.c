/* logout.c — revoking coordinators' bearer tokens (coord_tokens) and
 * dashboard sessions (dash_sessions, the dashboard's table: ending a login
 * is this file's, whichever way it was made), with the audit (logout.h).
 * Must not: delete rows of another coordinator. */
#include "hub/svc/logout.h"

#include <stdio.h>
#include <string.h>

#include "hub/db/db.h"
#include "hub/svc/audit.h"

#define LOGOUT_DETAIL_MAX 96

int hub_logout_find(struct hub_db *db, const char *email, char id[PR_ID_MAX],
    char org[PR_ID_MAX], char mail[HUB_EMAIL_MAX])
{
	char low[HUB_EMAIL_MAX];
	struct hub_res *r = NULL;
	int rc, found = 0;

	hub_login_lower(email, low, sizeof(low));
	id[0] = org[0] = mail[0] = '\0';
	rc = hub_db_query(db, "SELECT id, org_id, email FROM coordinators WHERE email = $1", 1,
	    (struct hub_param[]){ HP_S(low) }, 0, &r);
	while (rc == HUB_DB_OK && (rc = hub_res_next(r)) == 1) {
		snprintf(id, PR_ID_MAX, "%s", hub_res_text(r, 0));
		snprintf(org, PR_ID_MAX, "%s", hub_res_text(r, 1));
		snprintf(mail, HUB_EMAIL_MAX, "%s", hub_res_text(r, 2));
		found = 1;
	}
	hub_res_free(r);
	return rc < 0 ? rc : found;
}

/* The e-mail address of coordinator coord of org into mail (in the
 * caller's transaction). Returns HUB_DB_OK, or HUB_DB_ERROR if none. */
static int email_of(struct hub_db *db, const char *coord, const char *org, char mail[HUB_EMAIL_MAX])
{
	struct hub_res *r = NULL;
	int rc = hub_db_query(db, "SELECT email FROM coordinators WHERE id = $1 AND org_id = $2", 2,
	    (struct hub_param[]){ HP_S(coord), HP_S(org) }, 0, &r);

	mail[0] = '\0';
	while (rc == HUB_DB_OK && (rc = hub_res_next(r)) == 1)
		snprintf(mail, HUB_EMAIL_MAX, "%s", hub_res_text(r, 0));
	hub_res_free(r);
	if (rc < 0)
		return rc;
	return mail[0] != '\0' ? HUB_DB_OK : HUB_DB_ERROR;
}

/* One attempt of hub_logout_token inside an open transaction. */
static int token_tx(struct hub_db *db, const char *thash, const char *coord, const char *org,
    int *revoked)
{
	char mail[HUB_EMAIL_MAX];
	struct hub_actor who = { org, coord, mail };
	int64_t n = 0;
	int rc = email_of(db, coord, org, mail);

	if (rc == HUB_DB_OK)
		rc = hub_db_exec(db, "DELETE FROM coord_tokens WHERE token_hash = $1"
		    " AND coordinator_id = $2 AND org_id = $3", 3,
		    (struct hub_param[]){ HP_S(thash), HP_S(coord), HP_S(org) }, &n);
	*revoked = n > 0;
	if (rc == HUB_DB_OK && n > 0)
		rc = hub_audit(db, &who, "logout", mail, "token");
	return rc;
}

/* One attempt of hub_logout_all inside an open transaction. */
static int all_tx(struct hub_db *db, const char *coord, const char *org,
    const struct hub_actor *by, int64_t *tokens, int64_t *sessions)
{
	char mail[HUB_EMAIL_MAX], detail[LOGOUT_DETAIL_MAX];
	struct hub_actor self = { org, coord, mail };
	int rc = email_of(db, coord, org, mail);

	if (rc == HUB_DB_OK)
		rc = hub_db_exec(db, "DELETE FROM coord_tokens WHERE coordinator_id = $1 AND org_id = $2",
		    2, (struct hub_param[]){ HP_S(coord), HP_S(org) }, tokens);
	if (rc == HUB_DB_OK)
		rc = hub_db_exec(db, "DELETE FROM dash_sessions WHERE coordinator_id = $1 AND org_id = $2",
		    2, (struct hub_param[]){ HP_S(coord), HP_S(org) }, sessions);
	if (rc == HUB_DB_OK) {
		snprintf(detail, sizeof(detail), "tokens=%lld sessions=%lld",
		    (long long)*tokens, (long long)*sessions);
		rc = hub_audit(db, by != NULL ? by : &self, "logout.all", mail, detail);
	}
	return rc;
}

/* The two transactions' arguments, for hub_db_write_tx (the tx functions
 * zero their counts first: they may run again on HUB_DB_RETRY). */
struct token_args {
	const char *thash, *coord, *org;
	int *revoked;
};

struct all_args {
	const char *coord, *org;
	const struct hub_actor *by;
	int64_t *tokens, *sessions;
};

static int token_run(struct hub_db *db, void *cls)
{
	struct token_args *a = cls;

	*a->revoked = 0;
	return token_tx(db, a->thash, a->coord, a->org, a->revoked);
}

static int all_run(struct hub_db *db, void *cls)
{
	struct all_args *a = cls;

	*a->tokens = *a->sessions = 0;
	return all_tx(db, a->coord, a->org, a->by, a->tokens, a->sessions);
}

int hub_logout_token(struct hub_db *db, const char *thash, const char *coord, const char *org,
    int *revoked)
{
	struct token_args a = { thash, coord, org, revoked };
	int rc = hub_db_write_tx(db, token_run, &a);

	if (rc != HUB_DB_OK)
		*revoked = 0;
	return rc;
}

int hub_logout_all(struct hub_db *db, const char *coord, const char *org,
    const struct hub_actor *by, int64_t *tokens, int64_t *sessions)
{
	struct all_args a = { coord, org, by, tokens, sessions };
	int rc = hub_db_write_tx(db, all_run, &a);

	if (rc != HUB_DB_OK)
		*tokens = *sessions = 0;
	return rc;
}
