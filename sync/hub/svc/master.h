/* master.h — writing master data (people, credentials, programmes,
 * sessions, enrolments, role assignments) for one organisation, each row
 * upserted with a fresh change-counter value so kiosks pull it. Shared by
 * the CSV importer and the demo seeder.
 * Must not: open or commit transactions (the caller's one transaction). */
#ifndef PRESENTIE_HUB_MASTER_H
#define PRESENTIE_HUB_MASTER_H

#include <stdint.h>

#define HUB_DEPENDENTS_MAX 4096   /* rows of one person re-sent when consent changes */

struct hub_db;

struct hub_person_in {
	const char *id, *display_name, *first_name, *lang, *consent_version;
	int64_t consent_ms;      /* -1: no consent */
	int coordinator;
};

struct hub_session_in {
	const char *id, *programme_id, *location_id, *title, *room, *kind;
	int64_t start_ms, end_ms;
	int cancelled;
};

/* Upsert a person; if consent appeared or went away, their credentials,
 * enrolments and assignments get new change values (kiosks re-pull them).
 * All return HUB_DB_OK or a db error code. */
int hub_master_person(struct hub_db *db, const char *org, const struct hub_person_in *p);
int hub_master_programme(struct hub_db *db, const char *org, const char *id, const char *title);
int hub_master_session(struct hub_db *db, const char *org, const struct hub_session_in *s);
int hub_master_enrolment(struct hub_db *db, const char *org, const char *person,
    const char *programme, int active);
int hub_master_assignment(struct hub_db *db, const char *org, const char *session,
    const char *person, const char *role, int active);
/* kind "card" or "pin"; mac_hex 64 lower-case hex digits. */
int hub_master_credential(struct hub_db *db, const char *org, const char *person,
    const char *kind, const char *mac_hex, int active);

#endif
