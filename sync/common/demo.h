/* demo.h — the demo organisation, loaded from the CSV files of assets/demo
 * into plain structs that the kiosk store and the hub both insert, and placed
 * in time so that a workshop is running at the moment of seeding.
 * Owns: parsing and validating those files (ids, references, languages,
 * times), MAC-ing the demo card UIDs and PINs with the demo key (cred.h).
 * Must not: touch a database, keep a raw UID or PIN after loading. */
#ifndef PRESENTIE_DEMO_H
#define PRESENTIE_DEMO_H

#include <stddef.h>
#include <stdint.h>

#include "limits.h"

#define DEMO_ROWS_MAX      10000  /* rows per file */
#define DEMO_DATE_MAX      11     /* "2025-09-25" + NUL */
#define DEMO_CONSENT_MAX   16     /* consent version "v1" */
#define DEMO_ROLES_MAX     96     /* "coordinator,volunteer" */
#define DEMO_KIND_MAX      16     /* "group", "coaching", "open", "intake" */
#define DEMO_EARLY_S       (30 * 60)  /* current workshop started this long ago */
#define DEMO_ROUND_S       (5 * 60)   /* ... counted from now rounded down to this */

enum demo_cred_kind { DEMO_CRED_CARD = 0, DEMO_CRED_PIN = 1 };  /* = store_cred_kind */

struct demo_person {
	char id[PR_ID_MAX];
	char display_name[PR_NAME_MAX];
	char first_name[PR_NAME_MAX];
	char lang[PR_LANG_MAX];
	char consent_date[DEMO_DATE_MAX];
	char consent_version[DEMO_CONSENT_MAX];
	char roles[DEMO_ROLES_MAX];      /* as in the file, comma-separated */
	int is_coordinator;              /* roles contains "coordinator" */
};

struct demo_programme {
	char id[PR_ID_MAX];
	char title[PR_TITLE_MAX];
};

struct demo_session {
	char id[PR_ID_MAX];
	char programme_id[PR_ID_MAX];
	char title[PR_TITLE_MAX];
	char room[PR_ROOM_MAX];
	char kind[DEMO_KIND_MAX];        /* as in the file */
	int kind_code;                   /* = enum rules_session_kind: group 0, coaching 1, open 2, intake 3 */
	char date[DEMO_DATE_MAX];        /* local date in the file */
	int start_min, end_min;          /* local minutes of the day in the file */
	int64_t start, end;              /* UTC seconds, set by demo_place() */
};

struct demo_enrolment {
	char programme_id[PR_ID_MAX];
	char person_id[PR_ID_MAX];
};

struct demo_role {
	char key[PR_ROLE_MAX];
	char label_nl[PR_TITLE_MAX];
	char label_en[PR_TITLE_MAX];
};

struct demo_assignment {
	char session_id[PR_ID_MAX];
	char person_id[PR_ID_MAX];
	char role[PR_ROLE_MAX];
};

struct demo_credential {
	char person_id[PR_ID_MAX];
	enum demo_cred_kind kind;
	uint8_t mac[PR_MAC_BYTES];       /* HMAC under key; the raw value is gone */
};

struct demo_org {
	char org_id[PR_ID_MAX];
	char org_name[PR_TITLE_MAX];
	char location_id[PR_ID_MAX];
	char location_name[PR_TITLE_MAX];
	char city[PR_TITLE_MAX];
	char tz[PR_TZ_MAX];
	uint8_t key[PR_ORG_KEY_BYTES];   /* DEMO ONLY key from demo.conf */
	char current_session[PR_ID_MAX];

	struct demo_person *people;         size_t n_people;
	struct demo_programme *programmes;  size_t n_programmes;
	struct demo_session *sessions;      size_t n_sessions;
	struct demo_enrolment *enrolments;  size_t n_enrolments;
	struct demo_role *roles;            size_t n_roles;
	struct demo_assignment *assignments; size_t n_assignments;
	struct demo_credential *credentials; size_t n_credentials;
};

/* Load and validate every file of dir. Returns 0 and *out (free with
 * demo_free), or -1 with *out NULL and err naming the file and line. Session
 * start/end are 0 until demo_place(). */
int demo_load(const char *dir, struct demo_org **out, char *err, size_t errlen);

/* Place the sessions in time for "now" (UTC seconds): the current session
 * starts at floor(now, DEMO_ROUND_S) - DEMO_EARLY_S and keeps its length;
 * every other session moves by the same whole number of days plus the same
 * change of local time of day (in org->tz), so weekly sessions stay on their
 * weekday and local time across DST. Not thread-safe: sets TZ for mktime
 * and restores it. Returns 0 or -1 (err set; start/end then unspecified). */
int demo_place(struct demo_org *org, int64_t now, char *err, size_t errlen);

/* Strict "YYYY-MM-DD" (a real calendar date, 1970..2200). Returns 0 or -1. */
int demo_parse_date(const char *s, int *y, int *m, int *d);

/* Strict "HH:MM" (00:00..24:00) -> minutes of the day, or -1. */
int demo_parse_hm(const char *s);

/* Index of the session with this id, or -1. */
long demo_session_find(const struct demo_org *org, const char *id);

void demo_free(struct demo_org *org);

#endif
