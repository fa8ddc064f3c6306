/* import.c — see import.h. Column names are those of assets/demo (the shape
 * coordinators export from Excel); every field is checked and an error
 * names file, line and column, never the raw value of a card UID or PIN. */
#include "hub/cli/import.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cred.h"
#include "csv.h"
#include "errf.h"
#include "hub/base/htime.h"
#include "hub/base/jsonv.h"
#include "hub/db/db.h"
#include "hub/svc/admin.h"
#include "hub/svc/master.h"

const char *const hub_import_kinds[] = {
	"people", "programmes", "sessions", "enrolments", "assignments", "cards", "pins", NULL
};

struct imp {
	struct hub_db *db;
	const char *org;
	const char *name;
	const char *default_location;
	struct csv *csv;
	uint8_t key[PR_ORG_KEY_BYTES];
	char *err;
	size_t errlen;
};

static int errf(struct imp *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int errf(struct imp *im, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pr_verrf_at(im->err, im->errlen, im->name, csv_line(im->csv), fmt, ap);
	va_end(ap);
	return -1;
}

/* A field: required (non-empty) or optional (NULL if absent or empty). */
static int field(struct imp *im, const char *col, int required, size_t max, const char **out)
{
	const char *v = csv_get(im->csv, col);

	*out = NULL;
	if (v == NULL || v[0] == '\0') {
		if (required)
			return errf(im, "field '%s': required", col);
		return 0;
	}
	if (strlen(v) >= max)
		return errf(im, "field '%s': longer than %zu bytes", col, max - 1);
	if (!hub_jv_text_ok(v))
		return errf(im, "field '%s': control characters are not allowed", col);
	*out = v;
	return 0;
}

static int id_field(struct imp *im, const char *col, int required, const char **out)
{
	if (field(im, col, required, PR_ID_MAX, out) != 0)
		return -1;
	if (*out != NULL && strpbrk(*out, " \t") != NULL)
		return errf(im, "field '%s': an id has no spaces", col);
	return 0;
}

/* 1 if the row exists (sql with $1 org, $2 id), else an error. */
static int exists(struct imp *im, const char *sql, const char *id, const char *what)
{
	int64_t v;
	int rc = hub_db_int(im->db, sql, 2, (struct hub_param[]){ HP_S(im->org), HP_S(id) }, &v);

	if (rc < 0)
		return errf(im, "database: %s", hub_db_errmsg(im->db));
	if (rc == 0)
		return errf(im, "%s '%s' not found in organisation '%s'", what, id, im->org);
	return 0;
}

#define PERSON_SQL "SELECT 1 FROM people WHERE org_id = $1 AND id = $2"

static int active_field(struct imp *im, int *active)
{
	const char *v = csv_get(im->csv, "active");

	*active = 1;
	if (v == NULL || v[0] == '\0' || strcmp(v, "1") == 0 || strcmp(v, "yes") == 0 ||
	    strcmp(v, "ja") == 0)
		return 0;
	if (strcmp(v, "0") == 0 || strcmp(v, "no") == 0 || strcmp(v, "nee") == 0) {
		*active = 0;
		return 0;
	}
	return errf(im, "field 'active': 1/0, yes/no or ja/nee");
}

static int row_people(struct imp *im)
{
	struct hub_person_in p = { .consent_ms = -1 };
	const char *roles, *date, *lang, *first;
	char firstbuf[PR_NAME_MAX];

	if (id_field(im, "person_id", 1, &p.id) || field(im, "display_name", 1, PR_NAME_MAX, &p.display_name) ||
	    field(im, "first_name", 0, PR_NAME_MAX, &first) || field(im, "language", 0, PR_LANG_MAX, &lang) ||
	    field(im, "consent_date", 0, 16, &date) || field(im, "consent_version", 0, 16, &p.consent_version) ||
	    field(im, "roles", 0, 96, &roles))
		return -1;
	if (lang == NULL)
		lang = "nl";
	if (strspn(lang, "abcdefghijklmnopqrstuvwxyz") != strlen(lang) || strlen(lang) < 2)
		return errf(im, "field 'language': a language code like nl, en, ar, tr");
	if (date != NULL && hub_date_parse(date, &p.consent_ms) != 0)
		return errf(im, "field 'consent_date': a date YYYY-MM-DD (empty: no consent)");
	if (first == NULL) {   /* the first word of the display name */
		size_t n = strcspn(p.display_name, " ");

		snprintf(firstbuf, sizeof(firstbuf), "%.*s", (int)n, p.display_name);
		first = firstbuf;
	}
	p.first_name = first;
	p.lang = lang;
	p.coordinator = roles != NULL && strstr(roles, "coordinator") != NULL;
	return hub_master_person(im->db, im->org, &p) == HUB_DB_OK ? 0 :
	    errf(im, "database: %s", hub_db_errmsg(im->db));
}

static int row_programmes(struct imp *im)
{
	const char *id, *title;

	if (id_field(im, "programme_id", 1, &id) || field(im, "title", 1, PR_TITLE_MAX, &title))
		return -1;
	return hub_master_programme(im->db, im->org, id, title) == HUB_DB_OK ? 0 :
	    errf(im, "database: %s", hub_db_errmsg(im->db));
}

/* Local "date" + "HH:MM" in tz to UTC ms ("24:00" is the end of the day). */
static int local_time(struct imp *im, const char *date, const char *hm, const char *tz,
    const char *col, int64_t *ms)
{
	char buf[32];
	int end_of_day = strcmp(hm, "24:00") == 0;

	if (snprintf(buf, sizeof(buf), "%s %s", date, end_of_day ? "00:00" : hm) >= (int)sizeof(buf) ||
	    hub_time_parse_local(buf, tz, ms) != 0)
		return errf(im, "field '%s': a time HH:MM on a date YYYY-MM-DD", col);
	if (end_of_day)
		*ms += HUB_DAY_MS;   /* (a DST day is 23 or 25 h: close enough for "end of day") */
	return 0;
}

static int row_sessions(struct imp *im)
{
	static const char *const kinds[] = { "group", "coaching", "open", "intake", NULL };
	struct hub_session_in s = { 0 };
	const char *date, *start, *end, *cancel;
	char tz[PR_TZ_MAX] = "";
	struct hub_res *r = NULL;
	int k, rc;

	if (id_field(im, "session_id", 1, &s.id) || id_field(im, "programme_id", 0, &s.programme_id) ||
	    field(im, "title", 1, PR_TITLE_MAX, &s.title) || field(im, "date", 1, 16, &date) ||
	    field(im, "start", 1, 8, &start) || field(im, "end", 1, 8, &end) ||
	    field(im, "room", 0, PR_ROOM_MAX, &s.room) || field(im, "kind", 0, 16, &s.kind) ||
	    id_field(im, "location_id", 0, &s.location_id) || field(im, "cancelled", 0, 8, &cancel))
		return -1;
	if (s.location_id == NULL)
		s.location_id = im->default_location;
	if (s.location_id == NULL)
		return errf(im, "field 'location_id': required (or give --location)");
	if (s.kind == NULL)
		s.kind = "group";
	for (k = 0; kinds[k] && strcmp(kinds[k], s.kind) != 0; k++)
		;
	if (kinds[k] == NULL)
		return errf(im, "field 'kind': group, coaching, open or intake");
	s.cancelled = cancel != NULL && (strcmp(cancel, "1") == 0 || strcmp(cancel, "yes") == 0 ||
	    strcmp(cancel, "ja") == 0);
	if (s.programme_id != NULL && exists(im, "SELECT 1 FROM programmes WHERE org_id = $1 AND id = $2",
	    s.programme_id, "programme") != 0)
		return -1;
	rc = hub_db_query(im->db, "SELECT timezone FROM locations WHERE org_id = $1 AND id = $2", 2,
	    (struct hub_param[]){ HP_S(im->org), HP_S(s.location_id) }, 0, &r);
	if (rc == HUB_DB_OK && (rc = hub_res_next(r)) == 1) {
		snprintf(tz, sizeof(tz), "%s", hub_res_text(r, 0));
		while ((rc = hub_res_next(r)) == 1)
			;
	}
	hub_res_free(r);
	if (rc < 0)
		return errf(im, "database: %s", hub_db_errmsg(im->db));
	if (tz[0] == '\0')
		return errf(im, "location '%s' not found in organisation '%s'", s.location_id, im->org);
	if (local_time(im, date, start, tz, "start", &s.start_ms) ||
	    local_time(im, date, end, tz, "end", &s.end_ms))
		return -1;
	if (s.end_ms <= s.start_ms)
		return errf(im, "field 'end': must be after start");
	return hub_master_session(im->db, im->org, &s) == HUB_DB_OK ? 0 :
	    errf(im, "database: %s", hub_db_errmsg(im->db));
}

static int row_enrolments(struct imp *im)
{
	const char *person, *prog;
	int active;

	if (id_field(im, "programme_id", 1, &prog) || id_field(im, "person_id", 1, &person) ||
	    active_field(im, &active) || exists(im, PERSON_SQL, person, "person") ||
	    exists(im, "SELECT 1 FROM programmes WHERE org_id = $1 AND id = $2", prog, "programme"))
		return -1;
	return hub_master_enrolment(im->db, im->org, person, prog, active) == HUB_DB_OK ? 0 :
	    errf(im, "database: %s", hub_db_errmsg(im->db));
}

static int row_assignments(struct imp *im)
{
	const char *person, *session, *role;
	int active;

	if (id_field(im, "session_id", 1, &session) || id_field(im, "person_id", 1, &person) ||
	    id_field(im, "role", 1, &role) || active_field(im, &active))
		return -1;
	if (role == NULL || strlen(role) >= PR_ROLE_MAX)   /* required: never NULL here */
		return errf(im, "field 'role': longer than %d bytes", PR_ROLE_MAX - 1);
	if (exists(im, PERSON_SQL, person, "person") ||
	    exists(im, "SELECT 1 FROM sessions WHERE org_id = $1 AND id = $2", session, "session"))
		return -1;
	return hub_master_assignment(im->db, im->org, session, person, role, active) == HUB_DB_OK ? 0 :
	    errf(im, "database: %s", hub_db_errmsg(im->db));
}

static int row_cred(struct imp *im, int pin)
{
	uint8_t uid[PR_UID_MAX_BYTES], mac[PR_MAC_BYTES];
	char hex[PR_MAC_HEX];
	const char *person, *raw;
	size_t len = 0;
	int active, rc;

	if (id_field(im, "person_id", 1, &person) || active_field(im, &active))
		return -1;
	raw = csv_get(im->csv, pin ? "pin" : "card_uid");
	if (raw == NULL || raw[0] == '\0')
		return errf(im, "field '%s': required", pin ? "pin" : "card_uid");
	if (pin) {
		if (cred_mac_pin(im->key, raw, mac) != 0)
			return errf(im, "field 'pin': %d to %d digits", PR_PIN_MIN_DIGITS, PR_PIN_MAX_DIGITS);
	} else {
		if (cred_uid_parse(raw, uid, sizeof(uid), &len) != 0)
			return errf(im, "field 'card_uid': hex of a 4, 7 or 10 byte card UID");
		if (cred_uid_is_random(uid, len)) {
			sodium_memzero(uid, sizeof(uid));
			return errf(im, "field 'card_uid': a random UID (phone or privacy card) cannot "
			    "identify a person");
		}
		rc = cred_mac_card(im->key, uid, len, mac);
		sodium_memzero(uid, sizeof(uid));
		if (rc != 0)
			return errf(im, "field 'card_uid': hex of a 4, 7 or 10 byte card UID");
	}
	if (exists(im, PERSON_SQL, person, "person") != 0)
		return -1;
	cred_hex(mac, sizeof(mac), hex);
	return hub_master_credential(im->db, im->org, person, pin ? "pin" : "card", hex, active)
	    == HUB_DB_OK ? 0 : errf(im, "database: %s", hub_db_errmsg(im->db));
}

static int row_cards(struct imp *im) { return row_cred(im, 0); }
static int row_pins(struct imp *im) { return row_cred(im, 1); }

long hub_import(struct hub_db *db, const char *org, const char *kind, FILE *fp,
    const char *name, const char *default_location, char *err, size_t errlen)
{
	static int (*const rows[])(struct imp *) = {
		row_people, row_programmes, row_sessions, row_enrolments, row_assignments,
		row_cards, row_pins,
	};
	struct imp im = { .db = db, .org = org, .name = name,
		.default_location = default_location, .err = err, .errlen = errlen };
	long n = 0;
	int k, rc;

	for (k = 0; hub_import_kinds[k] && strcmp(hub_import_kinds[k], kind) != 0; k++)
		;
	if (hub_import_kinds[k] == NULL) {
		snprintf(err, errlen, "import: unknown kind '%s' (people, programmes, sessions, "
		    "enrolments, assignments, cards, pins)", kind);
		return -1;
	}
	if (hub_admin_org_key(db, org, im.key, err, errlen) != 0)
		return -1;
	im.csv = csv_open(fp, name, err, errlen);
	if (im.csv == NULL)
		goto fail_nocsv;
	if (hub_db_begin(db, 1) != HUB_DB_OK) {
		snprintf(err, errlen, "%s: database: %s", name, hub_db_errmsg(db));
		goto fail;
	}
	while ((rc = csv_next(im.csv, err, errlen)) == 1) {
		if (rows[k](&im) != 0)
			goto fail;
		n++;
	}
	if (rc < 0)
		goto fail;
	if (hub_db_commit(db) != HUB_DB_OK) {
		snprintf(err, errlen, "%s: database: %s", name, hub_db_errmsg(db));
		goto fail;
	}
	csv_close(im.csv);
	sodium_memzero(im.key, sizeof(im.key));
	return n;
fail:
	hub_db_rollback(db);
	csv_close(im.csv);
fail_nocsv:
	sodium_memzero(im.key, sizeof(im.key));
	return -1;
}
