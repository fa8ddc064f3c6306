/* schema.h — the hub's schema migrations for SQLite and PostgreSQL.
 * Must not: change a migration once released; add a new one instead. */
#ifndef PRESENTIE_HUB_SCHEMA_H
#define PRESENTIE_HUB_SCHEMA_H

#include <stddef.h>

struct hub_db;

/* Bring the schema of db to the newest version, in one transaction per
 * migration; several processes may call this at once (PostgreSQL: advisory
 * lock; SQLite: BEGIN IMMEDIATE). Returns 0, or -1 with err filled. */
int hub_schema_migrate(struct hub_db *db, char *err, size_t errlen);

/* The newest schema version this build knows. */
int hub_schema_version(void);

#endif
