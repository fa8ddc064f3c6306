/* migrate.c — the one migration runner of the hub: applies each set of
 * schema.h in order (core, then dashboard), each version in its own
 * transaction, recorded in schema_migrations.
 * Must not: hold table definitions (schema_core.c, schema_dash.c do). */
#include "hub/db/schema.h"

#include <stdint.h>
#include <stdio.h>

#include "hub/db/db.h"

static const struct hub_migration_set *const sets[] = {
	&hub_schema_core, &hub_schema_dash,
};

int hub_schema_version(void)
{
	return hub_schema_core.base + hub_schema_core.n;
}

/* Apply the missing versions of one set. Returns HUB_DB_OK or an error
 * code (the failing transaction rolled back by the caller). */
static int apply_set(struct hub_db *db, const struct hub_migration_set *set, int pg)
{
	const char *const *mig = pg ? set->pg : set->sqlite;
	int64_t have = 0;
	int rc;

	for (int i = 0; i < set->n; i++) {
		int v = set->base + i + 1;

		rc = hub_db_begin(db, 1);
		if (rc != HUB_DB_OK)
			return rc;
		rc = hub_db_int(db, "SELECT COUNT(*) FROM schema_migrations WHERE version = $1",
		    1, (struct hub_param[]){ HP_I(v) }, &have);
		if (rc < 0)
			return rc;
		if (have == 0) {
			rc = hub_db_exec_script(db, mig[i]);
			if (rc == HUB_DB_OK)
				rc = hub_db_exec(db, "INSERT INTO schema_migrations (version, applied_ms)"
				    " VALUES ($1, 0)", 1, (struct hub_param[]){ HP_I(v) }, NULL);
			if (rc != HUB_DB_OK)
				return rc;
		}
		rc = hub_db_commit(db);
		if (rc != HUB_DB_OK)
			return rc;
	}
	return HUB_DB_OK;
}

int hub_schema_migrate(struct hub_db *db, char *err, size_t errlen)
{
	int pg = hub_db_kind(db) == HUB_DB_PG;
	const char *what = "hub";
	int rc;

	/* PostgreSQL: one migrating process at a time (session lock, so that
	 * CREATE TABLE IF NOT EXISTS cannot race either). */
	if (pg && hub_db_exec(db, "SELECT pg_advisory_lock(" HUB_SCHEMA_LOCK_KEY ")", 0, NULL,
	    NULL) != HUB_DB_OK)
		goto fail;
	rc = hub_db_exec_script(db, "CREATE TABLE IF NOT EXISTS schema_migrations"
	    " (version INTEGER PRIMARY KEY, applied_ms BIGINT NOT NULL)");
	if (rc != HUB_DB_OK)
		goto fail;
	for (size_t s = 0; s < sizeof(sets) / sizeof(sets[0]); s++) {
		what = sets[s]->name;
		if (apply_set(db, sets[s], pg) != HUB_DB_OK)
			goto fail;
	}
	if (pg)
		(void)hub_db_exec(db, "SELECT pg_advisory_unlock(" HUB_SCHEMA_LOCK_KEY ")", 0,
		    NULL, NULL);
	return 0;
fail:
	snprintf(err, errlen, "%s schema migration: %s", what, hub_db_errmsg(db));
	hub_db_rollback(db);
	if (pg)
		(void)hub_db_exec(db, "SELECT pg_advisory_unlock(" HUB_SCHEMA_LOCK_KEY ")", 0,
		    NULL, NULL);
	return -1;
}
