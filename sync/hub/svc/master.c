/* master.c — see master.h. */
#include "hub/svc/master.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/db/db.h"
#include "hub/svc/change.h"
#include "limits.h"

/* Give every row of person in one dependent table a fresh change value. */
static int rebump(struct hub_db *db, const char *org, const char *person,
    const char *select_keys, const char *update_one, int nkeys)
{
	struct hub_res *r = NULL;
	char (*keys)[2][PR_ID_MAX + PR_MAC_HEX] = NULL;
	int n = 0, rc;

	keys = calloc(HUB_DEPENDENTS_MAX, sizeof(*keys));
	if (keys == NULL)
		return HUB_DB_ERROR;
	rc = hub_db_query(db, select_keys, 2, (struct hub_param[]){ HP_S(org), HP_S(person) }, 0, &r);
	if (rc != HUB_DB_OK)
		goto out;
	while ((rc = hub_res_next(r)) == 1 && n < HUB_DEPENDENTS_MAX) {
		for (int k = 0; k < nkeys; k++)
			snprintf(keys[n][k], sizeof(keys[n][k]), "%s", hub_res_text(r, k));
		n++;
	}
	hub_res_free(r);
	if (rc < 0)
		goto out;
	rc = HUB_DB_OK;
	for (int i = 0; i < n && rc == HUB_DB_OK; i++) {
		int64_t chg;

		rc = hub_chg_next(db, org, &chg);
		if (rc == HUB_DB_OK)
			rc = hub_db_exec(db, update_one, 3 + nkeys, (struct hub_param[]){ HP_I(chg),
			    HP_S(org), HP_S(person), HP_S(keys[i][0]), HP_S(keys[i][1]) }, NULL);
	}
out:
	free(keys);
	return rc;
}

/* Take the next change number of the organisation p[0] and run sql with it
 * as the last of its n parameters (p[n - 1] is overwritten). Returns
 * HUB_DB_OK or an error code. */
static int upsert(struct hub_db *db, const char *sql, int n, struct hub_param *p)
{
	int64_t chg;
	int rc = hub_chg_next(db, p[0].s, &chg);

	if (rc != HUB_DB_OK)
		return rc;
	p[n - 1] = HP_I(chg);
	return hub_db_exec(db, sql, n, p, NULL);
}

int hub_master_person(struct hub_db *db, const char *org, const struct hub_person_in *p)
{
	int64_t chg, had = -1;
	int rc;

	rc = hub_db_int(db, "SELECT CASE WHEN consent_ms IS NULL THEN 0 ELSE 1 END FROM people"
	    " WHERE org_id = $1 AND id = $2", 2, (struct hub_param[]){ HP_S(org), HP_S(p->id) }, &had);
	if (rc < 0)
		return rc;
	rc = hub_chg_next(db, org, &chg);
	if (rc != HUB_DB_OK)
		return rc;
	rc = hub_db_exec(db, "INSERT INTO people (org_id, id, display_name, first_name, lang,"
	    " consent_ms, consent_version, coordinator, chg) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
	    " ON CONFLICT (org_id, id) DO UPDATE SET display_name = excluded.display_name,"
	    " first_name = excluded.first_name, lang = excluded.lang, consent_ms = excluded.consent_ms,"
	    " consent_version = excluded.consent_version, coordinator = excluded.coordinator,"
	    " chg = excluded.chg", 9, (struct hub_param[]){ HP_S(org), HP_S(p->id),
	    HP_S(p->display_name), HP_S(p->first_name), HP_S(p->lang),
	    p->consent_ms >= 0 ? HP_I(p->consent_ms) : HP_NULL, HP_S(p->consent_version),
	    HP_I(p->coordinator), HP_I(chg) }, NULL);
	if (rc != HUB_DB_OK)
		return rc;
	/* a removed tombstone: the person is back (re-imported after erasure) */
	rc = hub_db_exec(db, "DELETE FROM tombstones WHERE org_id = $1 AND person_id = $2", 2,
	    (struct hub_param[]){ HP_S(org), HP_S(p->id) }, NULL);
	if (rc != HUB_DB_OK || had < 0 || had == (p->consent_ms >= 0))
		return rc;
	rc = rebump(db, org, p->id, "SELECT mac FROM credentials WHERE org_id = $1 AND person_id = $2",
	    "UPDATE credentials SET chg = $1 WHERE org_id = $2 AND person_id = $3 AND mac = $4", 1);
	if (rc == HUB_DB_OK)
		rc = rebump(db, org, p->id, "SELECT programme_id FROM enrolments WHERE org_id = $1"
		    " AND person_id = $2", "UPDATE enrolments SET chg = $1 WHERE org_id = $2"
		    " AND person_id = $3 AND programme_id = $4", 1);
	if (rc == HUB_DB_OK)
		rc = rebump(db, org, p->id, "SELECT session_id, role FROM assignments WHERE org_id = $1"
		    " AND person_id = $2", "UPDATE assignments SET chg = $1 WHERE org_id = $2"
		    " AND person_id = $3 AND session_id = $4 AND role = $5", 2);
	return rc;
}

int hub_master_programme(struct hub_db *db, const char *org, const char *id, const char *title)
{
	return upsert(db, "INSERT INTO programmes (org_id, id, title, chg) VALUES ($1, $2, $3, $4)"
	    " ON CONFLICT (org_id, id) DO UPDATE SET title = excluded.title, chg = excluded.chg", 4,
	    (struct hub_param[]){ HP_S(org), HP_S(id), HP_S(title), HP_NULL });
}

int hub_master_session(struct hub_db *db, const char *org, const struct hub_session_in *s)
{
	return upsert(db, "INSERT INTO sessions (org_id, id, programme_id, location_id, title,"
	    " room, start_ms, end_ms, kind, cancelled, chg) VALUES ($1, $2, $3, $4, $5, $6, $7, $8,"
	    " $9, $10, $11) ON CONFLICT (org_id, id) DO UPDATE SET programme_id = excluded.programme_id,"
	    " location_id = excluded.location_id, title = excluded.title, room = excluded.room,"
	    " start_ms = excluded.start_ms, end_ms = excluded.end_ms, kind = excluded.kind,"
	    " cancelled = excluded.cancelled, chg = excluded.chg", 11,
	    (struct hub_param[]){ HP_S(org), HP_S(s->id), HP_S(s->programme_id), HP_S(s->location_id),
	    HP_S(s->title), HP_S(s->room ? s->room : ""), HP_I(s->start_ms), HP_I(s->end_ms),
	    HP_S(s->kind), HP_I(s->cancelled), HP_NULL });
}

int hub_master_enrolment(struct hub_db *db, const char *org, const char *person,
    const char *programme, int active)
{
	return upsert(db, "INSERT INTO enrolments (org_id, person_id, programme_id, active, chg)"
	    " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (org_id, person_id, programme_id) DO UPDATE SET"
	    " active = excluded.active, chg = excluded.chg", 5,
	    (struct hub_param[]){ HP_S(org),
	    HP_S(person), HP_S(programme), HP_I(active), HP_NULL });
}

int hub_master_assignment(struct hub_db *db, const char *org, const char *session,
    const char *person, const char *role, int active)
{
	return upsert(db, "INSERT INTO assignments (org_id, session_id, person_id, role, active, chg)"
	    " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (org_id, session_id, person_id, role)"
	    " DO UPDATE SET active = excluded.active, chg = excluded.chg", 6,
	    (struct hub_param[]){ HP_S(org), HP_S(session), HP_S(person), HP_S(role), HP_I(active),
	    HP_NULL });
}

int hub_master_credential(struct hub_db *db, const char *org, const char *person,
    const char *kind, const char *mac_hex, int active)
{
	return upsert(db, "INSERT INTO credentials (org_id, mac, person_id, kind, active, chg)"
	    " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (org_id, mac) DO UPDATE SET"
	    " person_id = excluded.person_id, kind = excluded.kind, active = excluded.active,"
	    " chg = excluded.chg", 6,
	    (struct hub_param[]){ HP_S(org), HP_S(mac_hex), HP_S(person),
	    HP_S(kind), HP_I(active), HP_NULL });
}
