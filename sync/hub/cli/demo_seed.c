/* demo_seed.c — see demo_seed.h. One transaction for the master data
 * (upserts, so running it again re-places the sessions around "now"). */
#include "hub/cli/demo_seed.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cred.h"
#include "demo.h"
#include "hub/db/db.h"
#include "hub/svc/admin.h"
#include "hub/svc/master.h"

#ifndef PRESENTIE_DATADIR
#define PRESENTIE_DATADIR "/usr/local/share/presentie"
#endif

static const char *demo_dir(void)
{
	const char *env = getenv(HUB_DEMO_DIR_ENV);

	if (env != NULL && env[0] != '\0')
		return env;
	if (access("assets/demo/demo.conf", R_OK) == 0)
		return "assets/demo";
	return PRESENTIE_DATADIR "/demo";
}

static int seed_tx(struct hub_db *db, const struct demo_org *o)
{
	char hex[2 * PR_ORG_KEY_BYTES + 1], mac[PR_MAC_HEX];
	int rc;

	cred_hex(o->key, PR_ORG_KEY_BYTES, hex);
	rc = hub_db_exec(db, "INSERT INTO organisations (id, name, org_key, created_ms)"
	    " VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
	    " org_key = excluded.org_key", 4, (struct hub_param[]){ HP_S(o->org_id),
	    HP_S(o->org_name), HP_S(hex), HP_I((int64_t)time(NULL) * 1000) }, NULL);
	if (rc == HUB_DB_OK)
		rc = hub_db_exec(db, "INSERT INTO locations (id, org_id, name, timezone)"
		    " VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
		    " timezone = excluded.timezone", 4, (struct hub_param[]){ HP_S(o->location_id),
		    HP_S(o->org_id), HP_S(o->location_name), HP_S(o->tz) }, NULL);
	for (size_t i = 0; rc == HUB_DB_OK && i < o->n_people; i++) {
		const struct demo_person *p = &o->people[i];
		struct hub_person_in in = { .id = p->id, .display_name = p->display_name,
			.first_name = p->first_name, .lang = p->lang,
			.consent_version = p->consent_version, .consent_ms = -1,
			.coordinator = p->is_coordinator };
		struct tm tm = { 0 };
		int y, m, d;

		if (p->consent_date[0] != '\0' && demo_parse_date(p->consent_date, &y, &m, &d) == 0) {
			tm.tm_year = y - 1900;
			tm.tm_mon = m - 1;
			tm.tm_mday = d;
			in.consent_ms = (int64_t)timegm(&tm) * 1000;
		}
		rc = hub_master_person(db, o->org_id, &in);
	}
	for (size_t i = 0; rc == HUB_DB_OK && i < o->n_programmes; i++)
		rc = hub_master_programme(db, o->org_id, o->programmes[i].id, o->programmes[i].title);
	for (size_t i = 0; rc == HUB_DB_OK && i < o->n_sessions; i++) {
		const struct demo_session *s = &o->sessions[i];
		struct hub_session_in in = { .id = s->id,
			.programme_id = s->programme_id[0] ? s->programme_id : NULL,
			.location_id = o->location_id, .title = s->title, .room = s->room,
			.kind = s->kind, .start_ms = s->start * 1000, .end_ms = s->end * 1000 };

		rc = hub_master_session(db, o->org_id, &in);
	}
	for (size_t i = 0; rc == HUB_DB_OK && i < o->n_enrolments; i++)
		rc = hub_master_enrolment(db, o->org_id, o->enrolments[i].person_id,
		    o->enrolments[i].programme_id, 1);
	for (size_t i = 0; rc == HUB_DB_OK && i < o->n_assignments; i++)
		rc = hub_master_assignment(db, o->org_id, o->assignments[i].session_id,
		    o->assignments[i].person_id, o->assignments[i].role, 1);
	for (size_t i = 0; rc == HUB_DB_OK && i < o->n_credentials; i++) {
		const struct demo_credential *c = &o->credentials[i];

		cred_hex(c->mac, PR_MAC_BYTES, mac);
		rc = hub_master_credential(db, o->org_id, c->person_id,
		    c->kind == DEMO_CRED_PIN ? "pin" : "card", mac, 1);
	}
	return rc;
}

int hub_demo_seed(struct hub_db *db, FILE *out, char code[16], char *err, size_t errlen)
{
	struct demo_org *o = NULL;
	char dev[PR_ID_MAX], coord[PR_ID_MAX], why[512];
	int64_t v = 0;
	int rc = -1;

	if (demo_load(demo_dir(), &o, err, errlen) != 0)
		return -1;
	if (demo_place(o, (int64_t)time(NULL), err, errlen) != 0)
		goto out;
	if (hub_db_begin(db, 1) != HUB_DB_OK || seed_tx(db, o) != HUB_DB_OK ||
	    hub_db_commit(db) != HUB_DB_OK) {
		snprintf(err, errlen, "seeding: %s", hub_db_errmsg(db));
		hub_db_rollback(db);
		goto out;
	}
	fprintf(out, "demo organisation %s (%s), location %s: %zu people, %zu sessions\n",
	    o->org_id, o->org_name, o->location_id, o->n_people, o->n_sessions);
	if (hub_db_int(db, "SELECT 1 FROM coordinators WHERE email = $1", 1,
	    (struct hub_param[]){ HP_S(HUB_DEMO_COORD_EMAIL) }, &v) == 0) {
		if (hub_admin_coordinator_create(db, o->org_id, HUB_DEMO_COORD_EMAIL,
		    HUB_DEMO_COORD_PASSWORD, coord, why, sizeof(why)) != 0) {
			snprintf(err, errlen, "%s", why);
			goto out;
		}
	}
	fprintf(out, "demo coordinator: %s / %s (DEMO ONLY)\n", HUB_DEMO_COORD_EMAIL,
	    HUB_DEMO_COORD_PASSWORD);
	if (hub_admin_device_create(db, o->location_id, "Demo kiosk", HUB_CODE_TTL_MS, dev, code,
	    why, sizeof(why)) != 0) {
		snprintf(err, errlen, "%s", why);
		goto out;
	}
	fprintf(out, "demo kiosk %s: enrolment code (single use, 24 h) on the next line\n", dev);
	rc = 0;
out:
	demo_free(o);
	return rc;
}
