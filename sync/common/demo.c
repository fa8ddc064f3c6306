/* demo.c — loads the demo organisation (the CSV files and demo.conf of assets/demo) into
 * the plain structs of demo.h, validating every field and reference, and
 * places its sessions in time (demo_place). Card UIDs and PINs become MACs
 * while loading; the raw values are wiped at once.
 * Must not: touch a database or print; keep TZ changed after returning. */
#include "demo.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "conf.h"
#include "cred.h"
#include "csv.h"

struct rd {                          /* one open CSV file */
	FILE *fp;
	struct csv *c;
	const char *name;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 3, 4)))
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	if (n < 0)
		err[0] = '\0';
}

static int rd_open(struct rd *r, const char *dir, const char *name,
    const char *const *cols, char *err, size_t errlen)
{
	char path[PR_PATH_MAX];
	int n = snprintf(path, sizeof path, "%s/%s", dir, name);

	memset(r, 0, sizeof *r);
	r->name = name;
	r->err = err;
	r->errlen = errlen;
	if (n < 0 || (size_t)n >= sizeof path) {
		set_err(err, errlen, "%s: path too long", name);
		return -1;
	}
	r->fp = fopen(path, "rb");
	if (r->fp == NULL) {
		set_err(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	r->c = csv_open(r->fp, name, err, errlen);
	if (r->c == NULL)
		goto fail;
	for (; *cols != NULL; cols++) {
		if (csv_get(r->c, *cols) == NULL) {
			set_err(err, errlen, "%s line 1: the header has no column '%s'",
			    name, *cols);
			goto fail;
		}
	}
	return 0;
fail:
	csv_close(r->c);
	fclose(r->fp);
	r->c = NULL;
	r->fp = NULL;
	return -1;
}

static void rd_close(struct rd *r)
{
	csv_close(r->c);
	if (r->fp != NULL)
		fclose(r->fp);
	r->c = NULL;
	r->fp = NULL;
}

/* Next row: 1, 0 at the end, -1 on error (err set). */
static int rd_next(struct rd *r, size_t *rows)
{
	int rc = csv_next(r->c, r->err, r->errlen);

	if (rc == 1 && ++*rows > DEMO_ROWS_MAX) {
		set_err(r->err, r->errlen, "%s line %ld: more than %d rows", r->name,
		    csv_line(r->c), DEMO_ROWS_MAX);
		return -1;
	}
	return rc;
}

__attribute__((format(printf, 2, 3)))
static int rd_fail(struct rd *r, const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		msg[0] = '\0';
	set_err(r->err, r->errlen, "%s line %ld: %s", r->name, csv_line(r->c), msg);
	return -1;
}

/* Copy field col into buf (size bytes incl. NUL): UTF-8 text without
 * control characters; required fields must not be empty. */
static int rd_text(struct rd *r, const char *col, char *buf, size_t size, int required)
{
	const char *v = csv_get(r->c, col);
	size_t len;

	if (v == NULL)
		return rd_fail(r, "no column '%s'", col);
	len = strlen(v);
	if (!csv_utf8_ok(v))
		return rd_fail(r, "field '%s' contains control characters", col);
	if (len + 1 > size)
		return rd_fail(r, "field '%s' is longer than %zu bytes", col, size - 1);
	if (required && len == 0)
		return rd_fail(r, "field '%s' is empty", col);
	memcpy(buf, v, len + 1);
	return 0;
}

static int id_ok(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++) {
		char ch = *s;

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.'))
			return 0;
	}
	return 1;
}

static int rd_id(struct rd *r, const char *col, char *buf, size_t size)
{
	if (rd_text(r, col, buf, size, 1) != 0)
		return -1;
	if (!id_ok(buf))
		return rd_fail(r, "field '%s' must be letters, digits, '-', '_' or '.'", col);
	return 0;
}

/* Grow *arr (of elem bytes) to hold one more; returns the new slot zeroed. */
static void *push(void *arr_p, size_t *n, size_t elem)
{
	void **arr = arr_p;
	void *p;

	if ((*n & (*n - 1)) == 0) {          /* 0, 1, 2, 4, ...: double */
		size_t cap = *n == 0 ? 1 : *n * 2;

		p = realloc(*arr, cap * elem);
		if (p == NULL)
			return NULL;
		*arr = p;
	}
	p = (char *)*arr + *n * elem;
	memset(p, 0, elem);
	(*n)++;
	return p;
}

static long find_person(const struct demo_org *o, const char *id)
{
	for (size_t i = 0; i < o->n_people; i++)
		if (strcmp(o->people[i].id, id) == 0)
			return (long)i;
	return -1;
}

static long find_programme(const struct demo_org *o, const char *id)
{
	for (size_t i = 0; i < o->n_programmes; i++)
		if (strcmp(o->programmes[i].id, id) == 0)
			return (long)i;
	return -1;
}

long demo_session_find(const struct demo_org *o, const char *id)
{
	for (size_t i = 0; i < o->n_sessions; i++)
		if (strcmp(o->sessions[i].id, id) == 0)
			return (long)i;
	return -1;
}

static long find_role(const struct demo_org *o, const char *key)
{
	for (size_t i = 0; i < o->n_roles; i++)
		if (strcmp(o->roles[i].key, key) == 0)
			return (long)i;
	return -1;
}

static int load_organisation(struct demo_org *o, const char *dir, char *err, size_t el)
{
	static const char *const cols[] = { "organisation_id", "organisation",
		"location_id", "location", "city", "timezone", NULL };
	struct rd r;
	size_t rows = 0;
	int rc = -1, k;

	if (rd_open(&r, dir, "organisation.csv", cols, err, el) != 0)
		return -1;
	k = rd_next(&r, &rows);
	if (k == 0)
		set_err(err, el, "organisation.csv: no organisation row");
	if (k != 1)
		goto out;
	if (rd_id(&r, "organisation_id", o->org_id, sizeof o->org_id) ||
	    rd_text(&r, "organisation", o->org_name, sizeof o->org_name, 1) ||
	    rd_id(&r, "location_id", o->location_id, sizeof o->location_id) ||
	    rd_text(&r, "location", o->location_name, sizeof o->location_name, 1) ||
	    rd_text(&r, "city", o->city, sizeof o->city, 0) ||
	    rd_text(&r, "timezone", o->tz, sizeof o->tz, 1))
		goto out;
	if (strstr(o->tz, "..") != NULL || o->tz[0] == '/' ||
	    strspn(o->tz, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+-")
	    != strlen(o->tz)) {
		rd_fail(&r, "'%s' is not a time zone name like Europe/Amsterdam", o->tz);
		goto out;
	}
	k = rd_next(&r, &rows);
	if (k == 1)
		rd_fail(&r, "the demo has exactly one organisation and location");
	if (k != 0)
		goto out;
	rc = 0;
out:
	rd_close(&r);
	return rc;
}

static int load_roles(struct demo_org *o, const char *dir, char *err, size_t el)
{
	static const char *const cols[] = { "role", "label_nl", "label_en", NULL };
	struct rd r;
	size_t rows = 0;
	int rc = -1, k;

	if (rd_open(&r, dir, "roles.csv", cols, err, el) != 0)
		return -1;
	while ((k = rd_next(&r, &rows)) == 1) {
		struct demo_role *x = push(&o->roles, &o->n_roles, sizeof *x);

		if (x == NULL) {
			set_err(err, el, "roles.csv: out of memory");
			goto out;
		}
		if (rd_id(&r, "role", x->key, sizeof x->key) ||
		    rd_text(&r, "label_nl", x->label_nl, sizeof x->label_nl, 1) ||
		    rd_text(&r, "label_en", x->label_en, sizeof x->label_en, 1))
			goto out;
		o->n_roles--;
		if (find_role(o, x->key) >= 0) {
			rd_fail(&r, "role '%s' appears twice", x->key);
			goto out;
		}
		o->n_roles++;
	}
	rc = k;
out:
	rd_close(&r);
	return rc;
}

static int load_programmes(struct demo_org *o, const char *dir, char *err, size_t el)
{
	static const char *const cols[] = { "programme_id", "title", NULL };
	struct rd r;
	size_t rows = 0;
	int rc = -1, k;

	if (rd_open(&r, dir, "programmes.csv", cols, err, el) != 0)
		return -1;
	while ((k = rd_next(&r, &rows)) == 1) {
		struct demo_programme *x = push(&o->programmes, &o->n_programmes, sizeof *x);

		if (x == NULL) {
			set_err(err, el, "programmes.csv: out of memory");
			goto out;
		}
		if (rd_id(&r, "programme_id", x->id, sizeof x->id) ||
		    rd_text(&r, "title", x->title, sizeof x->title, 1))
			goto out;
		o->n_programmes--;
		if (find_programme(o, x->id) >= 0) {
			rd_fail(&r, "programme '%s' appears twice", x->id);
			goto out;
		}
		o->n_programmes++;
	}
	rc = k;
out:
	rd_close(&r);
	return rc;
}

static int load_sessions(struct demo_org *o, const char *dir, char *err, size_t el)
{
	static const char *const cols[] = { "session_id", "programme_id", "title",
		"date", "start", "end", "room", "kind", NULL };
	static const char *const kinds[] = { "group", "coaching", "open", "intake" };
	struct rd r;
	size_t rows = 0;
	int rc = -1, k, y, m, d;
	char hm[8];

	if (rd_open(&r, dir, "sessions.csv", cols, err, el) != 0)
		return -1;
	while ((k = rd_next(&r, &rows)) == 1) {
		struct demo_session *x = push(&o->sessions, &o->n_sessions, sizeof *x);

		if (x == NULL) {
			set_err(err, el, "sessions.csv: out of memory");
			goto out;
		}
		if (rd_id(&r, "session_id", x->id, sizeof x->id) ||
		    rd_id(&r, "programme_id", x->programme_id, sizeof x->programme_id) ||
		    rd_text(&r, "title", x->title, sizeof x->title, 1) ||
		    rd_text(&r, "room", x->room, sizeof x->room, 0) ||
		    rd_text(&r, "kind", x->kind, sizeof x->kind, 1) ||
		    rd_text(&r, "date", x->date, sizeof x->date, 1))
			goto out;
		o->n_sessions--;
		if (demo_session_find(o, x->id) >= 0) {
			rd_fail(&r, "session '%s' appears twice", x->id);
			goto out;
		}
		o->n_sessions++;
		if (find_programme(o, x->programme_id) < 0) {
			rd_fail(&r, "programme '%s' is not in programmes.csv", x->programme_id);
			goto out;
		}
		x->kind_code = -1;
		for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
			if (strcmp(x->kind, kinds[i]) == 0)
				x->kind_code = (int)i;
		if (x->kind_code < 0) {
			rd_fail(&r, "field 'kind' must be group, coaching, open or intake");
			goto out;
		}
		if (demo_parse_date(x->date, &y, &m, &d) != 0) {
			rd_fail(&r, "field 'date' must be a date like 2025-09-25");
			goto out;
		}
		if (rd_text(&r, "start", hm, sizeof hm, 1) ||
		    (x->start_min = demo_parse_hm(hm)) < 0 ||
		    rd_text(&r, "end", hm, sizeof hm, 1) ||
		    (x->end_min = demo_parse_hm(hm)) < 0) {
			rd_fail(&r, "fields 'start' and 'end' must be times like 14:00");
			goto out;
		}
		if (x->end_min <= x->start_min) {
			rd_fail(&r, "the session ends before it starts");
			goto out;
		}
	}
	rc = k;
out:
	rd_close(&r);
	return rc;
}

/* 1 if the comma-separated list contains word (spaces around items ignored). */
static int has_word(const char *list, const char *word)
{
	size_t wl = strlen(word);

	while (*list) {
		const char *end = strchr(list, ',');
		size_t len = end ? (size_t)(end - list) : strlen(list);

		while (len > 0 && *list == ' ') {
			list++;
			len--;
		}
		while (len > 0 && list[len - 1] == ' ')
			len--;
		if (len == wl && memcmp(list, word, wl) == 0)
			return 1;
		if (end == NULL)
			break;
		list = end + 1;
	}
	return 0;
}

static int load_people(struct demo_org *o, const char *dir, char *err, size_t el)
{
	static const char *const cols[] = { "person_id", "display_name", "first_name",
		"language", "consent_date", "consent_version", "roles", NULL };
	static const char *const langs[] = { "nl", "en", "ar", "tr" };
	struct rd r;
	size_t rows = 0;
	int rc = -1, k, y, m, d;

	if (rd_open(&r, dir, "people.csv", cols, err, el) != 0)
		return -1;
	while ((k = rd_next(&r, &rows)) == 1) {
		struct demo_person *x = push(&o->people, &o->n_people, sizeof *x);
		int lang_ok = 0;

		if (x == NULL) {
			set_err(err, el, "people.csv: out of memory");
			goto out;
		}
		if (rd_id(&r, "person_id", x->id, sizeof x->id) ||
		    rd_text(&r, "display_name", x->display_name, sizeof x->display_name, 1) ||
		    rd_text(&r, "first_name", x->first_name, sizeof x->first_name, 1) ||
		    rd_text(&r, "language", x->lang, sizeof x->lang, 1) ||
		    rd_text(&r, "consent_date", x->consent_date, sizeof x->consent_date, 1) ||
		    rd_text(&r, "consent_version", x->consent_version,
			sizeof x->consent_version, 1) ||
		    rd_text(&r, "roles", x->roles, sizeof x->roles, 0))
			goto out;
		o->n_people--;
		if (find_person(o, x->id) >= 0) {
			rd_fail(&r, "person '%s' appears twice", x->id);
			goto out;
		}
		o->n_people++;
		for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++)
			lang_ok |= strcmp(x->lang, langs[i]) == 0;
		if (!lang_ok) {
			rd_fail(&r, "field 'language' must be nl, en, ar or tr");
			goto out;
		}
		if (demo_parse_date(x->consent_date, &y, &m, &d) != 0) {
			rd_fail(&r, "field 'consent_date' must be a date like 2025-08-21");
			goto out;
		}
		x->is_coordinator = has_word(x->roles, "coordinator");
	}
	rc = k;
out:
	rd_close(&r);
	return rc;
}

static int load_enrolments(struct demo_org *o, const char *dir, char *err, size_t el)
{
	static const char *const cols[] = { "programme_id", "person_id", NULL };
	struct rd r;
	size_t rows = 0;
	int rc = -1, k;

	if (rd_open(&r, dir, "enrolments.csv", cols, err, el) != 0)
		return -1;
	while ((k = rd_next(&r, &rows)) == 1) {
		struct demo_enrolment *x = push(&o->enrolments, &o->n_enrolments, sizeof *x);

		if (x == NULL) {
			set_err(err, el, "enrolments.csv: out of memory");
			goto out;
		}
		if (rd_id(&r, "programme_id", x->programme_id, sizeof x->programme_id) ||
		    rd_id(&r, "person_id", x->person_id, sizeof x->person_id))
			goto out;
		if (find_programme(o, x->programme_id) < 0) {
			rd_fail(&r, "programme '%s' is not in programmes.csv", x->programme_id);
			goto out;
		}
		if (find_person(o, x->person_id) < 0) {
			rd_fail(&r, "person '%s' is not in people.csv", x->person_id);
			goto out;
		}
		for (size_t i = 0; i + 1 < o->n_enrolments; i++) {
			if (strcmp(o->enrolments[i].programme_id, x->programme_id) == 0 &&
			    strcmp(o->enrolments[i].person_id, x->person_id) == 0) {
				rd_fail(&r, "this enrolment appears twice");
				goto out;
			}
		}
	}
	rc = k;
out:
	rd_close(&r);
	return rc;
}

static int load_assignments(struct demo_org *o, const char *dir, char *err, size_t el)
{
	static const char *const cols[] = { "session_id", "person_id", "role", NULL };
	struct rd r;
	size_t rows = 0;
	int rc = -1, k;

	if (rd_open(&r, dir, "role_assignments.csv", cols, err, el) != 0)
		return -1;
	while ((k = rd_next(&r, &rows)) == 1) {
		struct demo_assignment *x = push(&o->assignments, &o->n_assignments, sizeof *x);

		if (x == NULL) {
			set_err(err, el, "role_assignments.csv: out of memory");
			goto out;
		}
		if (rd_id(&r, "session_id", x->session_id, sizeof x->session_id) ||
		    rd_id(&r, "person_id", x->person_id, sizeof x->person_id) ||
		    rd_id(&r, "role", x->role, sizeof x->role))
			goto out;
		if (demo_session_find(o, x->session_id) < 0) {
			rd_fail(&r, "session '%s' is not in sessions.csv", x->session_id);
			goto out;
		}
		if (find_person(o, x->person_id) < 0) {
			rd_fail(&r, "person '%s' is not in people.csv", x->person_id);
			goto out;
		}
		if (find_role(o, x->role) < 0) {
			rd_fail(&r, "role '%s' is not in roles.csv", x->role);
			goto out;
		}
		for (size_t i = 0; i + 1 < o->n_assignments; i++) {
			const struct demo_assignment *a = &o->assignments[i];

			if (strcmp(a->session_id, x->session_id) == 0 &&
			    strcmp(a->person_id, x->person_id) == 0 &&
			    strcmp(a->role, x->role) == 0) {
				rd_fail(&r, "this assignment appears twice");
				goto out;
			}
		}
	}
	rc = k;
out:
	rd_close(&r);
	return rc;
}

/* cards.csv (kind card, column card_uid) or pins.csv (kind pin, column pin). */
static int load_creds(struct demo_org *o, const char *dir, enum demo_cred_kind kind,
    char *err, size_t el)
{
	static const char *const card_cols[] = { "person_id", "card_uid", NULL };
	static const char *const pin_cols[] = { "person_id", "pin", NULL };
	const char *file = kind == DEMO_CRED_CARD ? "cards.csv" : "pins.csv";
	const char *col = kind == DEMO_CRED_CARD ? "card_uid" : "pin";
	struct rd r;
	size_t rows = 0;
	int rc = -1, k;
	char raw[64];
	uint8_t uid[PR_UID_MAX_BYTES];
	size_t uid_len = 0;

	if (rd_open(&r, dir, file, kind == DEMO_CRED_CARD ? card_cols : pin_cols,
	    err, el) != 0)
		return -1;
	while ((k = rd_next(&r, &rows)) == 1) {
		struct demo_credential *x = push(&o->credentials, &o->n_credentials, sizeof *x);

		if (x == NULL) {
			set_err(err, el, "%s: out of memory", file);
			goto out;
		}
		x->kind = kind;
		if (rd_id(&r, "person_id", x->person_id, sizeof x->person_id) ||
		    rd_text(&r, col, raw, sizeof raw, 1))
			goto out;
		if (find_person(o, x->person_id) < 0) {
			rd_fail(&r, "person '%s' is not in people.csv", x->person_id);
			goto out;
		}
		/* error messages never repeat the raw value */
		if (kind == DEMO_CRED_CARD) {
			if (cred_uid_parse(raw, uid, sizeof uid, &uid_len) != 0) {
				rd_fail(&r, "field 'card_uid' must be 4, 7 or 10 bytes of hex");
				goto out;
			}
			if (cred_uid_is_random(uid, uid_len)) {
				rd_fail(&r, "field 'card_uid' is a random UID (phone): unusable");
				goto out;
			}
			if (cred_mac_card(o->key, uid, uid_len, x->mac) != 0) {
				rd_fail(&r, "cannot compute the card MAC");
				goto out;
			}
		} else if (cred_mac_pin(o->key, raw, x->mac) != 0) {
			rd_fail(&r, "field 'pin' must be %d to %d digits",
			    PR_PIN_MIN_DIGITS, PR_PIN_MAX_DIGITS);
			goto out;
		}
		sodium_memzero(raw, sizeof raw);
		for (size_t i = 0; i + 1 < o->n_credentials; i++) {
			if (o->credentials[i].kind == kind &&
			    sodium_memcmp(o->credentials[i].mac, x->mac, PR_MAC_BYTES) == 0) {
				rd_fail(&r, "this %s is already given to %s",
				    kind == DEMO_CRED_CARD ? "card" : "PIN",
				    o->credentials[i].person_id);
				goto out;
			}
		}
	}
	rc = k;
out:
	sodium_memzero(raw, sizeof raw);
	sodium_memzero(uid, sizeof uid);
	rd_close(&r);
	return rc;
}

static int load_conf(struct demo_org *o, const char *dir, char *err, size_t el)
{
	char path[PR_PATH_MAX], keyhex[2 * PR_ORG_KEY_BYTES + 1] = "";
	struct conf_item items[] = {
		{ "org_key", CONF_STR, keyhex, sizeof keyhex, 0, 0, 0 },
		{ "current_session", CONF_STR, o->current_session,
		  sizeof o->current_session, 0, 0, 0 },
	};
	int n = snprintf(path, sizeof path, "%s/demo.conf", dir), rc;

	if (n < 0 || (size_t)n >= sizeof path) {
		set_err(err, el, "demo.conf: path too long");
		return -1;
	}
	rc = conf_load(path, items, sizeof items / sizeof items[0], err, el);
	if (rc != 0)
		return -1;
	if (!items[0].seen || cred_unhex(keyhex, o->key, sizeof o->key) != 0) {
		set_err(err, el, "%s: 'org_key' must be 64 hex digits", path);
		return -1;
	}
	if (!items[1].seen || !id_ok(o->current_session)) {
		set_err(err, el, "%s: 'current_session' must name a session", path);
		return -1;
	}
	return 0;
}

int demo_load(const char *dir, struct demo_org **out, char *err, size_t errlen)
{
	struct demo_org *o;
	long cur;

	*out = NULL;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	o = calloc(1, sizeof *o);
	if (o == NULL) {
		set_err(err, errlen, "out of memory");
		return -1;
	}
	if (load_conf(o, dir, err, errlen) || load_organisation(o, dir, err, errlen) ||
	    load_roles(o, dir, err, errlen) || load_programmes(o, dir, err, errlen) ||
	    load_sessions(o, dir, err, errlen) || load_people(o, dir, err, errlen) ||
	    load_enrolments(o, dir, err, errlen) ||
	    load_assignments(o, dir, err, errlen) ||
	    load_creds(o, dir, DEMO_CRED_CARD, err, errlen) ||
	    load_creds(o, dir, DEMO_CRED_PIN, err, errlen))
		goto fail;
	cur = demo_session_find(o, o->current_session);
	if (cur < 0) {
		set_err(err, errlen, "demo.conf: current_session '%s' is not in sessions.csv",
		    o->current_session);
		goto fail;
	}
	*out = o;
	return 0;
fail:
	demo_free(o);
	return -1;
}

void demo_free(struct demo_org *o)
{
	if (o == NULL)
		return;
	sodium_memzero(o->key, sizeof o->key);
	free(o->people);
	free(o->programmes);
	free(o->sessions);
	free(o->enrolments);
	free(o->roles);
	free(o->assignments);
	free(o->credentials);
	free(o);
}
