/* dash_people.c — People: list/search, add, edit (display name, language,
 * consent date and version), erase (admin.c's erasure: tombstone to kiosks,
 * attendance anonymised); cards and PINs are dash_credentials.c's. Every
 * change writes an audit row.
 * Must not: store, log or echo a card number or PIN (only MACs), or put
 * personal values into the audit (field names only). */
#include "hub/dash/dash.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cred.h"
#include "hub/base/htime.h"
#include "hub/db/db.h"
#include "hub/http/http.h"
#include "hub/svc/admin.h"
#include "hub/svc/master.h"
#include "hub/svc/token.h"

#define DASH_CONSENT_MAX   32
#define DASH_QUERY_MAX     64

struct person {
	char id[PR_ID_MAX], display_name[PR_NAME_MAX], first_name[PR_NAME_MAX], lang[PR_LANG_MAX];
	char consent_version[DASH_CONSENT_MAX];
	int64_t consent_ms;      /* -1 none */
	int coordinator;
};

static void date_of(int64_t ms, char out[40])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	out[0] = '\0';
	if (ms >= 0 && gmtime_r(&t, &tm) != NULL)
		snprintf(out, 40, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static json_t *person_json(const struct person *p, int64_t cards, int pin)
{
	char d[40];

	date_of(p->consent_ms, d);
	return json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:I,s:b}", "id", p->id, "display_name",
	    p->display_name, "first_name", p->first_name, "lang", p->lang,
	    "consent_date", d[0] ? json_string(d) : json_null(),
	    "consent_version", p->consent_version[0] ? json_string(p->consent_version) : json_null(),
	    "cards", (json_int_t)cards, "pin", pin);
}

#define PERSON_COLS "p.id, p.display_name, p.first_name, p.lang, p.consent_ms, COALESCE(p.consent_version, '')," \
	" p.coordinator, (SELECT COUNT(*) FROM credentials c WHERE c.org_id = p.org_id AND c.person_id = p.id" \
	" AND c.kind = 'card' AND c.active = 1), (SELECT COUNT(*) FROM credentials c WHERE c.org_id = p.org_id" \
	" AND c.person_id = p.id AND c.kind = 'pin' AND c.active = 1)"

static void person_row(struct hub_res *r, struct person *p)
{
	snprintf(p->id, sizeof(p->id), "%s", hub_res_text(r, 0));
	snprintf(p->display_name, sizeof(p->display_name), "%s", hub_res_text(r, 1));
	snprintf(p->first_name, sizeof(p->first_name), "%s", hub_res_text(r, 2));
	snprintf(p->lang, sizeof(p->lang), "%s", hub_res_text(r, 3));
	p->consent_ms = hub_res_is_null(r, 4) ? -1 : hub_res_int(r, 4);
	snprintf(p->consent_version, sizeof(p->consent_version), "%s", hub_res_text(r, 5));
	p->coordinator = hub_res_int(r, 6) != 0;
}

/* Load person id of the caller's organisation: 1 found, 0 not, < 0 error. */
static int load(struct dash_call *c, const char *id, struct person *p, int64_t *cards, int64_t *pins)
{
	struct hub_res *r = NULL;
	int rc, found = 0;

	if (!dash_id_ok(id))
		return 0;
	rc = hub_db_query(c->db, "SELECT " PERSON_COLS " FROM people p WHERE p.org_id = $1 AND p.id = $2",
	    2, (struct hub_param[]){ HP_S(c->who.org_id), HP_S(id) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		person_row(r, p);
		*cards = hub_res_int(r, 7);
		*pins = hub_res_int(r, 8);
		found = 1;
	}
	hub_res_free(r);
	return rc < 0 ? rc : found;
}

static void list(struct dash_call *c)
{
	const char *q = hub_req_arg(c->rq, "q");
	char like[2 * DASH_QUERY_MAX + 3];
	struct hub_res *r = NULL;
	json_t *arr = json_array();
	int rc;

	if (q != NULL && strlen(q) > DASH_QUERY_MAX) {
		json_decref(arr);
		hub_resp_error(c->rs, 400, "bad_request", "q: at most %d bytes", DASH_QUERY_MAX);
		return;
	}
	{   /* %q% with the LIKE wildcards of q taken literally */
		size_t k = 0;

		like[k++] = '%';
		for (const char *p = q ? q : ""; *p != '\0' && k + 3 < sizeof(like); p++) {
			if (*p == '%' || *p == '_' || *p == '\\')
				like[k++] = '\\';
			like[k++] = *p;
		}
		like[k++] = '%';
		like[k] = '\0';
	}
	rc = hub_db_query(c->db, "SELECT " PERSON_COLS " FROM people p WHERE p.org_id = $1"
	    " AND LOWER(p.display_name) LIKE LOWER($2) ESCAPE '\\' ORDER BY p.display_name, p.id LIMIT $3", 3,
	    (struct hub_param[]){ HP_S(c->who.org_id), HP_S(like), HP_I(DASH_LIST_MAX) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		struct person p;

		person_row(r, &p);
		json_array_append_new(arr, person_json(&p, hub_res_int(r, 7), hub_res_int(r, 8) > 0));
	}
	hub_res_free(r);
	if (rc < 0) {
		json_decref(arr);
		dash_fail(c, rc);
		return;
	}
	dash_json(c->rs, 200, json_pack("{s:o}", "people", arr));
}

static void get(struct dash_call *c, const char *id)
{
	struct person p;
	int64_t cards = 0, pins = 0;
	struct hub_res *r = NULL;
	json_t *j, *creds, *enr;
	int rc = load(c, id, &p, &cards, &pins);

	if (rc <= 0) {
		if (rc < 0)
			dash_fail(c, rc);
		else
			hub_resp_error(c->rs, 404, "not_found", "no such person");
		return;
	}
	creds = json_array();
	enr = json_array();
	/* linked_at: when a coordinator linked the card by its number (the audit
	 * row's detail names its ref); unknown for cards linked otherwise */
	rc = hub_db_query(c->db, "SELECT kind, mac, active, (SELECT MAX(a.at_ms) FROM audit_log a"
	    " WHERE a.org_id = cr.org_id AND a.target = cr.person_id AND a.action = 'person.card'"
	    " AND a.detail = 'ref=' || substr(cr.mac, 1, CAST($3 AS INTEGER)))"
	    " FROM credentials cr WHERE org_id = $1"
	    " AND person_id = $2 ORDER BY kind, active DESC, mac", 3,
	    (struct hub_param[]){ HP_S(c->who.org_id), HP_S(id), HP_I(DASH_REF_HEX) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		int card = strcmp(hub_res_text(r, 0), "card") == 0 || strcmp(hub_res_text(r, 0), "qr") == 0;
		char ref[DASH_REF_HEX + 1];

		snprintf(ref, sizeof(ref), "%s", card ? hub_res_text(r, 1) : "");
		json_array_append_new(creds, json_pack("{s:s,s:s,s:b,s:o}", "kind", hub_res_text(r, 0),
		    "ref", ref, "active", (int)hub_res_int(r, 2),
		    "linked_at", hub_res_is_null(r, 3) ? json_null() : dash_iso(hub_res_int(r, 3))));
	}
	hub_res_free(r);
	r = NULL;
	if (rc >= 0)
		rc = hub_db_query(c->db, "SELECT e.programme_id, COALESCE(g.title, '') FROM enrolments e"
		    " LEFT JOIN programmes g ON g.org_id = e.org_id AND g.id = e.programme_id"
		    " WHERE e.org_id = $1 AND e.person_id = $2 AND e.active = 1 ORDER BY 2", 2,
		    (struct hub_param[]){ HP_S(c->who.org_id), HP_S(id) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1)
		json_array_append_new(enr, json_pack("{s:s,s:s}", "programme_id", hub_res_text(r, 0),
		    "title", hub_res_text(r, 1)));
	hub_res_free(r);
	if (rc < 0) {
		json_decref(creds);
		json_decref(enr);
		dash_fail(c, rc);
		return;
	}
	j = person_json(&p, cards, pins > 0);
	json_object_set_new(j, "credentials", creds);
	json_object_set_new(j, "enrolments", enr);
	dash_json(c->rs, 200, j);
}

static int lang_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 2 || n > 3)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < 'a' || s[i] > 'z')
			return 0;
	return 1;
}

/* Create (creating 1) or update person seg[1] (0) from the body. */
static void write_person(struct dash_call *c, int creating)
{
	const char *id = creating ? NULL : c->seg[1];
	static struct person zero;
	json_t *j = dash_body(c), *cd;
	const char *name = NULL, *first = NULL, *lang = NULL, *cdate = NULL, *cver = NULL;
	struct person p = zero;
	int64_t cards = 0, pins = 0;
	char changed[DASH_AUDIT_DETAIL_MAX] = "", gen[PR_ID_MAX];
	int rc, consent_given;

	if (j == NULL)
		return;
	if (dash_str(c, j, "display_name", creating, PR_NAME_MAX, 0, &name) != 0 ||
	    dash_str(c, j, "first_name", 0, PR_NAME_MAX, 1, &first) != 0 ||
	    dash_str(c, j, "lang", 0, PR_LANG_MAX, 0, &lang) != 0 ||
	    dash_str(c, j, "consent_date", 0, 11, 0, &cdate) != 0 ||
	    dash_str(c, j, "consent_version", 0, DASH_CONSENT_MAX, 0, &cver) != 0)
		goto out;
	if (lang != NULL && !lang_ok(lang)) {
		hub_resp_error(c->rs, 400, "bad_request", "lang: 2 or 3 lower-case letters");
		goto out;
	}
	cd = json_object_get(j, "consent_date");
	consent_given = cd != NULL;
	if (cdate != NULL && hub_date_parse(cdate, &p.consent_ms) != 0) {
		hub_resp_error(c->rs, 400, "bad_request", "consent_date: YYYY-MM-DD");
		goto out;
	}
	if (consent_given && (cdate == NULL) != (cver == NULL)) {
		hub_resp_error(c->rs, 400, "bad_request", "consent_date and consent_version go together");
		goto out;
	}
	rc = hub_db_begin(c->db, 1);
	if (rc == HUB_DB_OK && !creating)
		rc = load(c, id, &p, &cards, &pins);
	if (rc == 0 && !creating) {
		hub_db_rollback(c->db);
		hub_resp_error(c->rs, 404, "not_found", "no such person");
		goto out;
	}
	if (rc < 0) {
		dash_fail(c, rc);
		goto out;
	}
	if (creating) {
		if (hub_id_new("p", gen, sizeof(gen)) != 0) {
			hub_db_rollback(c->db);
			hub_resp_error(c->rs, 500, "internal", "no id");
			goto out;
		}
		snprintf(p.id, sizeof(p.id), "%s", gen);
		snprintf(p.lang, sizeof(p.lang), "nl");
		p.consent_ms = -1;
	}
#define CHANGED(f) (void)snprintf(changed + strlen(changed), sizeof(changed) - strlen(changed), \
	"%s%s", changed[0] ? "," : "", f)
	if (name != NULL) {
		snprintf(p.display_name, sizeof(p.display_name), "%s", name);
		CHANGED("display_name");
	}
	if (first != NULL) {
		snprintf(p.first_name, sizeof(p.first_name), "%s", first);
		CHANGED("first_name");
	}
	if (p.first_name[0] == '\0') {   /* the first word of the display name */
		snprintf(p.first_name, sizeof(p.first_name), "%s", p.display_name);
		p.first_name[strcspn(p.first_name, " ")] = '\0';
	}
	if (lang != NULL) {
		snprintf(p.lang, sizeof(p.lang), "%s", lang);
		CHANGED("lang");
	}
	if (consent_given) {
		if (cdate == NULL || hub_date_parse(cdate, &p.consent_ms) != 0)
			p.consent_ms = -1;
		snprintf(p.consent_version, sizeof(p.consent_version), "%s", cver ? cver : "");
		CHANGED("consent");
	}
#undef CHANGED
	{
		struct hub_person_in in = { .id = p.id, .display_name = p.display_name,
			.first_name = p.first_name, .lang = p.lang,
			.consent_version = p.consent_version[0] ? p.consent_version : NULL,
			.consent_ms = p.consent_ms, .coordinator = p.coordinator };

		rc = hub_master_person(c->db, c->who.org_id, &in);
	}
	if (rc == HUB_DB_OK)
		rc = dash_audit(c->db, &c->who, creating ? "person.create" : "person.update", p.id, changed);
	if (rc == HUB_DB_OK)
		rc = hub_db_commit(c->db);
	if (rc != HUB_DB_OK) {
		dash_fail(c, rc);
		goto out;
	}
	dash_json(c->rs, creating ? 201 : 200, person_json(&p, cards, pins > 0));
out:
	json_decref(j);
}

static void erase(struct dash_call *c, const char *id)
{
	json_t *j = dash_body(c);
	const char *confirm = NULL;
	struct person p;
	int64_t cards = 0, pins = 0, anon = 0;
	char err[256], detail[48];
	int rc;

	if (j == NULL || dash_str(c, j, "confirm", 1, PR_NAME_MAX, 0, &confirm) != 0)
		goto out;
	rc = load(c, id, &p, &cards, &pins);
	if (rc <= 0) {
		if (rc < 0)
			dash_fail(c, rc);
		else
			hub_resp_error(c->rs, 404, "not_found", "no such person");
		goto out;
	}
	if (strcmp(confirm, p.display_name) != 0) {
		hub_resp_error(c->rs, 400, "bad_request", "confirm: type the display name to erase");
		goto out;
	}
	if (hub_admin_erase_person(c->db, c->who.org_id, id, &anon, err, sizeof(err)) != 0) {
		hub_resp_error(c->rs, 500, "internal", "erasure failed; nothing was changed");
		goto out;
	}
	(void)hub_db_exec(c->db, "DELETE FROM followup_marks WHERE org_id = $1 AND person_id = $2", 2,
	    (struct hub_param[]){ HP_S(c->who.org_id), HP_S(id) }, NULL);
	(void)hub_db_exec(c->db, "DELETE FROM card_links WHERE org_id = $1 AND person_id = $2", 2,
	    (struct hub_param[]){ HP_S(c->who.org_id), HP_S(id) }, NULL);
	snprintf(detail, sizeof(detail), "events_anonymised=%lld", (long long)anon);
	rc = dash_audit(c->db, &c->who, "person.erase", id, detail);
	if (rc != HUB_DB_OK) {
		dash_fail(c, rc);
		goto out;
	}
	dash_json(c->rs, 200, json_pack("{s:b,s:I}", "erased", 1, "events_anonymised", (json_int_t)anon));
out:
	json_decref(j);
}

static void person_create(struct dash_call *c) { write_person(c, 1); }
static void person_get(struct dash_call *c) { get(c, c->seg[1]); }
static void person_patch(struct dash_call *c) { write_person(c, 0); }
static void card_add(struct dash_call *c) { dash_person_credential(c, c->seg[1], 0); }
static void pin_set(struct dash_call *c) { dash_person_credential(c, c->seg[1], 1); }
static void link_start(struct dash_call *c) { dash_card_link_start(c, c->seg[1]); }
static void link_state(struct dash_call *c) { dash_card_link_state(c, c->seg[1]); }
static void revoke(struct dash_call *c) { dash_person_revoke(c, c->seg[1]); }
static void pass_issue(struct dash_call *c) { dash_person_pass(c, c->seg[1]); }
static void erase_person(struct dash_call *c) { erase(c, c->seg[1]); }
static void funder(struct dash_call *c) { dash_person_funder(c, c->seg[1]); }

static const struct dash_sub people_subs[] = {
	{ "GET", 1, NULL, list },
	{ "POST", 1, NULL, person_create },
	{ "GET", 2, NULL, person_get },
	{ "PATCH", 2, NULL, person_patch },
	{ "POST", 3, "card", card_add },
	{ "PUT", 3, "pin", pin_set },
	{ "POST", 3, "card-link", link_start },
	{ "GET", 3, "card-link", link_state },
	{ "POST", 3, "revoke", revoke },
	{ "POST", 3, "pass", pass_issue },
	{ "POST", 3, "erase", erase_person },
	{ "GET", 3, "funder", funder },
	{ "PUT", 3, "funder", funder },
};

void dash_people(struct dash_call *c)
{
	/* maxseg 0: anything else here is 404, whatever the method */
	(void)dash_dispatch(c, people_subs, sizeof(people_subs) / sizeof(people_subs[0]), 0);
}
