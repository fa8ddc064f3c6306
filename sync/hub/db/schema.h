/* schema.h — the hub's schema: sets of migrations (the core tables of
 * schema_core.c, the dashboard's of schema_dash.c) and the one runner that
 * applies them (migrate.c), for SQLite and PostgreSQL alike.
 * Must not: change a migration once released; add a new one instead. */
#ifndef PRESENTIE_HUB_SCHEMA_H
#define PRESENTIE_HUB_SCHEMA_H

#include <stddef.h>

#define HUB_SCHEMA_CORE_BASE  0      /* core versions 1..n */
#define HUB_SCHEMA_DASH_BASE  1000   /* dashboard versions 1001..1000+n */
#define HUB_SCHEMA_LOCK_KEY   "7723401" /* PostgreSQL advisory lock of migrating (SQL text) */

struct hub_db;

/* One numbered series of migrations: version base+i+1 is script i, one
 * text per backend (the same tables; only generated key types differ). */
struct hub_migration_set {
	const char *name;                 /* for error messages */
	int base;
	const char *const *sqlite;
	const char *const *pg;
	int n;
};

extern const struct hub_migration_set hub_schema_core;
extern const struct hub_migration_set hub_schema_dash;

/* Bring the schema of db to the newest version of every set, in one
 * transaction per migration, recorded in schema_migrations. Several
 * processes may call this at once (PostgreSQL: advisory lock; SQLite:
 * BEGIN IMMEDIATE). Returns 0, or -1 with err filled (the failed migration
 * rolled back, those before it kept). */
int hub_schema_migrate(struct hub_db *db, char *err, size_t errlen);

/* The newest core schema version this build knows. */
int hub_schema_version(void);

#endif
