/* logout.h — ending a coordinator's logins: one bearer token (DELETE
 * /v1/login), or every bearer token and every dashboard session of the
 * coordinator (POST /v1/logout-all, `presentie-hub coordinator revoke`),
 * each in one transaction with its audit row. A revoked token or cookie
 * answers 401 on its next use (nothing is cached).
 * Must not: touch another coordinator's logins; keep or log a token. */
#ifndef PRESENTIE_HUB_LOGOUT_H
#define PRESENTIE_HUB_LOGOUT_H

#include <stdint.h>

#include "hub/svc/audit.h"
#include "hub/svc/login.h"
#include "limits.h"

#define HUB_LOGOUT_OPERATOR "operator"   /* the audit's actor for the command line */

struct hub_db;

/* The coordinator of an e-mail address (any case) into id, org and email.
 * Returns 1 found, 0 not (all ""), or a db error code. */
int hub_logout_find(struct hub_db *db, const char *email, char id[PR_ID_MAX],
    char org[PR_ID_MAX], char mail[HUB_EMAIL_MAX]);

/* Revoke the bearer token whose hash is thash if it is coordinator
 * coord's of org; audited "logout" (detail "token"). Returns HUB_DB_OK
 * (*revoked 1, or 0 if there was no such token) or a db error code
 * (nothing changed). */
int hub_logout_token(struct hub_db *db, const char *thash, const char *coord, const char *org,
    int *revoked);

/* Revoke every bearer token and dashboard session of coordinator coord of
 * org; audited "logout.all" with target the coordinator's address, by
 * `by` (NULL: the coordinator themself; the command line passes an actor
 * with email HUB_LOGOUT_OPERATOR). Returns HUB_DB_OK with *tokens and
 * *sessions (how many ended), or a db error code (nothing changed;
 * HUB_DB_ERROR if org has no such coordinator). */
int hub_logout_all(struct hub_db *db, const char *coord, const char *org,
    const struct hub_actor *by, int64_t *tokens, int64_t *sessions);

#endif
