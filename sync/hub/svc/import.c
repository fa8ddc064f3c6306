/* import.c — see import.h. Column names are those of assets/demo (the shape
 * coordinators export from Excel); every field is checked and a problem
 * names line and column, never the raw value of a card UID or PIN. Rows are
 * applied as they are read, inside one transaction: a later row sees an
 * earlier one, and the end decides commit (no problem, not a dry run) or
 * rollback. */
#include "hub/svc/import.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cred.h"
#include "csv.h"
#include "hub/base/htime.h"
#include "hub/base/jsonv.h"
#include "hub/db/db.h"
#include "hub/svc/admin.h"
#include "hub/svc/master.h"
#include "xlsx.h"

const char *const hub_import_kinds[] = {
	"people", "programmes", "sessions", "enrolments", "assignments", "cards", "pins", NULL
};

/* Per kind: the number of required columns, then the columns. */
static const struct {
	int nrequired;
	const char *cols[HUB_IMPORT_COLS_MAX + 1];
} kind_cols[] = {
	{ 2, { "person_id", "display_name", "first_name", "language", "consent_date",
	    "consent_version", "roles", NULL } },
	{ 2, { "programme_id", "title", NULL } },
	{ 5, { "session_id", "title", "date", "start", "end", "programme_id", "room", "kind",
	    "location_id", "cancelled", NULL } },
	{ 2, { "programme_id", "person_id", "active", NULL } },
	{ 3, { "session_id", "person_id", "role", "active", NULL } },
	{ 2, { "person_id", "card_uid", "active", NULL } },
	{ 2, { "person_id", "pin", "active", NULL } },
};

struct imp {
	struct hub_db *db;
	const char *org;
	const char *default_location;
	struct csv *csv;
	uint8_t key[PR_ORG_KEY_BYTES];
	struct hub_import_report *rep;
	int dbrc;                 /* a database failure: stop */
};

static int kind_index(const char *kind)
{
	int k;

	for (k = 0; hub_import_kinds[k] && strcmp(hub_import_kinds[k], kind) != 0; k++)
		;
	return hub_import_kinds[k] ? k : -1;
}

const char *const *hub_import_columns(const char *kind, int *nrequired)
{
	int k = kind ? kind_index(kind) : -1;

	if (k < 0)
		return NULL;
	if (nrequired)
		*nrequired = kind_cols[k].nrequired;
	return kind_cols[k].cols;
}

static void vproblem(struct hub_import_report *rep, long line, const char *col, const char *fmt,
    va_list ap) __attribute__((format(printf, 4, 0)));

static void vproblem(struct hub_import_report *rep, long line, const char *col, const char *fmt,
    va_list ap)
{
	struct hub_import_problem *p;

	rep->nproblems++;
	if (rep->nlisted >= HUB_IMPORT_PROBLEMS_MAX)
		return;
	p = &rep->problems[rep->nlisted++];
	p->line = line;
	snprintf(p->column, sizeof(p->column), "%s", col ? col : "");
	if (vsnprintf(p->message, sizeof(p->message), fmt, ap) < 0)
		p->message[0] = '\0';
}

static void problem(struct hub_import_report *rep, long line, const char *col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void problem(struct hub_import_report *rep, long line, const char *col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vproblem(rep, line, col, fmt, ap);
	va_end(ap);
}

/* A problem of the current row about column col (NULL: the row). Returns -1. */
static int errc(struct imp *im, const char *col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int errc(struct imp *im, const char *col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vproblem(im->rep, csv_line(im->csv), col, fmt, ap);
	va_end(ap);
	return -1;
}

/* The database failed with rc: note it (the import stops). Returns -1. */
static int dberr(struct imp *im, int rc)
{
	im->dbrc = rc < 0 ? rc : HUB_DB_ERROR;
	return errc(im, NULL, "database: %s", hub_db_errmsg(im->db));
}

/* A field: required (non-empty) or optional (NULL if absent or empty). */
static int field(struct imp *im, const char *col, int required, size_t max, const char **out)
{
	const char *v = csv_get(im->csv, col);

	*out = NULL;
	if (v == NULL || v[0] == '\0') {
		if (required)
			return errc(im, col, "required");
		return 0;
	}
	if (strlen(v) >= max)
		return errc(im, col, "longer than %zu bytes", max - 1);
	if (!hub_jv_text_ok(v))
		return errc(im, col, "control characters or invalid UTF-8 are not allowed");
	*out = v;
	return 0;
}

static int id_field(struct imp *im, const char *col, int required, const char **out)
{
	if (field(im, col, required, PR_ID_MAX, out) != 0)
		return -1;
	if (*out != NULL && strpbrk(*out, " \t") != NULL)
		return errc(im, col, "an id has no spaces");
	return 0;
}

/* 0 if the row exists (sql with $1 org, $2 id), else -1 (a problem about
 * column col). */
static int exists(struct imp *im, const char *sql, const char *id, const char *what, const char *col)
{
	int64_t v;
	int rc = hub_db_int(im->db, sql, 2, (struct hub_param[]){ HP_S(im->org), HP_S(id) }, &v);

	if (rc < 0)
		return dberr(im, rc);
	if (rc == 0)
		return errc(im, col, "%s '%s' not found in this organisation", what, id);
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
	return errc(im, "active", "1/0, yes/no or ja/nee");
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
		return errc(im, "language", "a language code like nl, en, ar, tr");
	if (date != NULL && hub_date_parse(date, &p.consent_ms) != 0)
		return errc(im, "consent_date", "a date YYYY-MM-DD (empty: no consent)");
	if (first == NULL) {   /* the first word of the display name */
		size_t n = strcspn(p.display_name, " ");

		snprintf(firstbuf, sizeof(firstbuf), "%.*s", (int)n, p.display_name);
		first = firstbuf;
	}
	p.first_name = first;
	p.lang = lang;
	p.coordinator = roles != NULL && strstr(roles, "coordinator") != NULL;
	return hub_master_person(im->db, im->org, &p) == HUB_DB_OK ? 0 :
	    dberr(im, HUB_DB_ERROR);
}

static int row_programmes(struct imp *im)
{
	const char *id, *title;

	if (id_field(im, "programme_id", 1, &id) || field(im, "title", 1, PR_TITLE_MAX, &title))
		return -1;
	return hub_master_programme(im->db, im->org, id, title) == HUB_DB_OK ? 0 :
	    dberr(im, HUB_DB_ERROR);
}

/* Local "date" + "HH:MM" in tz to UTC ms ("24:00" is the end of the day). */
static int local_time(struct imp *im, const char *date, const char *hm, const char *tz,
    const char *col, int64_t *ms)
{
	char buf[32];
	int end_of_day = strcmp(hm, "24:00") == 0;

	if (snprintf(buf, sizeof(buf), "%s %s", date, end_of_day ? "00:00" : hm) >= (int)sizeof(buf) ||
	    hub_time_parse_local(buf, tz, ms) != 0)
		return errc(im, col, "a time HH:MM on a date YYYY-MM-DD");
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
		return errc(im, "location_id", "required (or give --location)");
	if (s.kind == NULL)
		s.kind = "group";
	for (k = 0; kinds[k] && strcmp(kinds[k], s.kind) != 0; k++)
		;
	if (kinds[k] == NULL)
		return errc(im, "kind", "group, coaching, open or intake");
	s.cancelled = cancel != NULL && (strcmp(cancel, "1") == 0 || strcmp(cancel, "yes") == 0 ||
	    strcmp(cancel, "ja") == 0);
	if (s.programme_id != NULL && exists(im, "SELECT 1 FROM programmes WHERE org_id = $1 AND id = $2",
	    s.programme_id, "programme", "programme_id") != 0)
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
		return dberr(im, HUB_DB_ERROR);
	if (tz[0] == '\0')
		return errc(im, "location_id", "location '%s' not found in this organisation", s.location_id);
	if (local_time(im, date, start, tz, "start", &s.start_ms) ||
	    local_time(im, date, end, tz, "end", &s.end_ms))
		return -1;
	if (s.end_ms <= s.start_ms)
		return errc(im, "end", "must be after start");
	return hub_master_session(im->db, im->org, &s) == HUB_DB_OK ? 0 :
	    dberr(im, HUB_DB_ERROR);
}

static int row_enrolments(struct imp *im)
{
	const char *person, *prog;
	int active;

	if (id_field(im, "programme_id", 1, &prog) || id_field(im, "person_id", 1, &person) ||
	    active_field(im, &active) || exists(im, PERSON_SQL, person, "person", "person_id") ||
	    exists(im, "SELECT 1 FROM programmes WHERE org_id = $1 AND id = $2", prog, "programme", "programme_id"))
		return -1;
	return hub_master_enrolment(im->db, im->org, person, prog, active) == HUB_DB_OK ? 0 :
	    dberr(im, HUB_DB_ERROR);
}

static int row_assignments(struct imp *im)
{
	const char *person, *session, *role;
	int active;

	if (id_field(im, "session_id", 1, &session) || id_field(im, "person_id", 1, &person) ||
	    id_field(im, "role", 1, &role) || active_field(im, &active))
		return -1;
	if (role == NULL || strlen(role) >= PR_ROLE_MAX)   /* required: never NULL here */
		return errc(im, "role", "longer than %d bytes", PR_ROLE_MAX - 1);
	if (exists(im, PERSON_SQL, person, "person", "person_id") ||
	    exists(im, "SELECT 1 FROM sessions WHERE org_id = $1 AND id = $2", session, "session", "session_id"))
		return -1;
	return hub_master_assignment(im->db, im->org, session, person, role, active) == HUB_DB_OK ? 0 :
	    dberr(im, HUB_DB_ERROR);
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
		return errc(im, pin ? "pin" : "card_uid", "required");
	if (pin) {
		if (cred_mac_pin(im->key, raw, mac) != 0)
			return errc(im, "pin", "%d to %d digits", PR_PIN_MIN_DIGITS, PR_PIN_MAX_DIGITS);
	} else {
		if (cred_uid_parse(raw, uid, sizeof(uid), &len) != 0)
			return errc(im, "card_uid", "hex of a 4, 7 or 10 byte card UID");
		if (cred_uid_is_random(uid, len)) {
			sodium_memzero(uid, sizeof(uid));
			return errc(im, "card_uid", "a random UID (phone or privacy card) cannot "
			    "identify a person");
		}
		rc = cred_mac_card(im->key, uid, len, mac);
		sodium_memzero(uid, sizeof(uid));
		if (rc != 0)
			return errc(im, "card_uid", "hex of a 4, 7 or 10 byte card UID");
	}
	if (exists(im, PERSON_SQL, person, "person", "person_id") != 0)
		return -1;
	cred_hex(mac, sizeof(mac), hex);
	return hub_master_credential(im->db, im->org, person, pin ? "pin" : "card", hex, active)
	    == HUB_DB_OK ? 0 : dberr(im, HUB_DB_ERROR);
}

static int row_cards(struct imp *im) { return row_cred(im, 0); }
static int row_pins(struct imp *im) { return row_cred(im, 1); }

/* A csv.h error "NAME line N: message" (or "NAME: message") as a problem. */
static void csv_problem(struct hub_import_report *rep, const char *name, const char *err)
{
	size_t n = strlen(name);
	long line = 0;
	const char *m = err;

	if (strncmp(err, name, n) == 0) {
		m = err + n;
		if (strncmp(m, " line ", 6) == 0) {
			char *end;

			line = strtol(m + 6, &end, 10);
			m = end;
		}
		if (m[0] == ':')
			m++;
		while (*m == ' ')
			m++;
	}
	problem(rep, line, NULL, "%s", m);
}

/* The header has every required column of kind k? Problems if not. */
static int header_ok(struct imp *im, int k)
{
	int ok = 1;

	for (int i = 0; i < kind_cols[k].nrequired; i++) {
		const char *col = kind_cols[k].cols[i];

		if (csv_get(im->csv, col) == NULL) {
			problem(im->rep, 1, col, "column '%s' is missing from the first line", col);
			ok = 0;
		}
	}
	return ok;
}

int hub_import_run(struct hub_db *db, const char *org, const struct hub_import_opts *o, FILE *fp,
    struct hub_import_report *rep)
{
	static int (*const rows[])(struct imp *) = {
		row_people, row_programmes, row_sessions, row_enrolments, row_assignments,
		row_cards, row_pins,
	};
	struct imp im = { .db = db, .org = org, .default_location = o->default_location, .rep = rep };
	const char *name = o->name ? o->name : "import";
	char err[PR_ERR_MSG_MAX + 128];
	int k = kind_index(o->kind), rc;

	memset(rep, 0, sizeof(*rep));
	if (k < 0) {
		problem(rep, 0, NULL, "unknown kind '%s' (people, programmes, sessions, enrolments, "
		    "assignments, cards, pins)", o->kind);
		return HUB_DB_ERROR;
	}
	if (hub_admin_org_key(db, org, im.key, err, sizeof(err)) != 0) {
		problem(rep, 0, NULL, "%s", err);
		return HUB_DB_ERROR;
	}
	im.csv = csv_open(fp, name, err, sizeof(err));
	if (im.csv == NULL) {
		csv_problem(rep, name, err);
		sodium_memzero(im.key, sizeof(im.key));
		return HUB_DB_OK;
	}
	if (!header_ok(&im, k))
		goto done;
	rc = hub_db_begin(db, 1);
	if (rc != HUB_DB_OK) {
		im.dbrc = rc;
		problem(rep, 0, NULL, "database: %s", hub_db_errmsg(db));
		goto done;
	}
	while (im.dbrc == HUB_DB_OK && (rc = csv_next(im.csv, err, sizeof(err))) != 0) {
		if (rc < 0) {
			csv_problem(rep, name, err);
			rep->rows++;
			continue;
		}
		rep->rows++;
		if (o->on_row != NULL)
			o->on_row(o->cls, im.csv);
		(void)rows[k](&im);
	}
	if (im.dbrc == HUB_DB_OK && rep->nproblems == 0 && !o->dry_run) {
		rc = o->before_commit ? o->before_commit(o->cls, db, rep->rows) : HUB_DB_OK;
		if (rc == HUB_DB_OK)
			rc = hub_db_commit(db);
		else
			hub_db_rollback(db);
		if (rc != HUB_DB_OK) {
			im.dbrc = rc;
			problem(rep, 0, NULL, "database: %s", hub_db_errmsg(db));
		}
	} else {
		hub_db_rollback(db);
	}
done:
	csv_close(im.csv);
	sodium_memzero(im.key, sizeof(im.key));
	return im.dbrc;
}

long hub_import(struct hub_db *db, const char *org, const char *kind, FILE *fp,
    const char *name, const char *default_location, char *err, size_t errlen)
{
	static struct hub_import_report zero;
	struct hub_import_report *rep = malloc(sizeof(*rep));
	struct hub_import_opts o = { .kind = kind, .name = name, .default_location = default_location };
	const struct hub_import_problem *p;
	long n;
	int rc;

	if (rep == NULL) {
		pr_errf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	*rep = zero;
	rc = hub_import_run(db, org, &o, fp, rep);
	n = rep->rows;
	if (rc != HUB_DB_OK || rep->nproblems > 0) {
		p = &rep->problems[0];   /* nlisted > 0: every failure notes a problem */
		pr_errf_at(err, errlen, name, p->line, "%s%s%s%s (%ld problem%s, nothing imported)",
		    p->column[0] ? "field '" : "", p->column, p->column[0] ? "': " : "", p->message,
		    rep->nproblems, rep->nproblems == 1 ? "" : "s");
		n = -1;
	}
	free(rep);
	return n;
}

FILE *hub_import_csv_of(FILE *fp, char **mem, char *err, size_t errlen)
{
	char head[4], *buf = NULL;
	size_t n = 0, clen = 0;
	FILE *out, *in = NULL;
	long rc;

	*mem = NULL;
	n = fread(head, 1, sizeof(head), fp);
	if (fseek(fp, 0, SEEK_SET) != 0) {
		pr_errf(err, errlen, "cannot rewind the file");
		return NULL;
	}
	if (!xlsx_sniff(head, n))
		return fp;
	buf = malloc((size_t)HUB_IMPORT_FILE_MAX + 1);
	if (buf == NULL) {
		pr_errf(err, errlen, "out of memory");
		return NULL;
	}
	n = fread(buf, 1, (size_t)HUB_IMPORT_FILE_MAX + 1, fp);
	if (n > (size_t)HUB_IMPORT_FILE_MAX) {
		pr_errf(err, errlen, "an .xlsx larger than %d MiB", HUB_IMPORT_FILE_MAX >> 20);
		free(buf);
		return NULL;
	}
	out = open_memstream(mem, &clen);
	rc = out == NULL ? -1 : xlsx_to_csv(buf, n, out, err, errlen);
	if (out != NULL && fclose(out) != 0)
		rc = -1;
	if (rc == 0)
		pr_errf(err, errlen, "the sheet is empty (expected the column names on row 1)");
	if (rc <= 0 || clen == 0 || (in = fmemopen(*mem, clen, "r")) == NULL) {
		if (rc > 0 && clen > 0)
			pr_errf(err, errlen, "out of memory");
		free(buf);
		free(*mem);
		*mem = NULL;
		return NULL;
	}
	free(buf);
	return in;
}
