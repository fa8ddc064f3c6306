/* purge.h — `presentie-hub purge` and `org set --retention-days`: the
 * operator's side of retention (svc/retention.h), with a report on stdout.
 * Must not: decide what a purge removes (svc/retention.c does). */
#ifndef PRESENTIE_HUB_PURGE_H
#define PRESENTIE_HUB_PURGE_H

#include <stddef.h>

struct hub_db;
struct hub_cli;

/* purge --db URL [--org ID] [--dry-run]: one line per organisation on
 * stdout. Returns 0, or -1 with err. */
int hub_cli_purge(struct hub_db *db, const struct hub_cli *c, char *err, size_t errlen);

/* org set --db URL --id ORG --retention-days N. Returns 0, or -1 with err. */
int hub_cli_org_set(struct hub_db *db, const struct hub_cli *c, char *err, size_t errlen);

#endif
