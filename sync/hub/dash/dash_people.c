/* dash_people.c — People: list/search, add, edit (display name, language,
 * consent date and version), link a card by its number (turned into its
 * HMAC at once) or by "tap it on kiosk X now" (a pending link the kiosk
 * pulls), set a PIN, revoke, erase (admin.c's erasure: tombstone to kiosks,
 * attendance anonymised). Every change writes an audit row.
 * Must not: store, log or echo a card number or PIN (only MACs), or put
 * personal values into the audit (field names only). */
#include "hub/dash/dash.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hub/svc/admin.h"
#include "cred.h"
#include "hub/db/db.h"
#include "hub/base/htime.h"
#include "hub/http/http.h"
#include "hub/svc/master.h"
#include "hub/svc/token.h"

#define DASH_REF_HEX       8     /* digits of a card MAC shown to tell cards apart */
#define DASH_CONSENT_MAX   32
#define DASH_CARD_NUM_MAX  40
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
	rc = hub_db_query(c->db, "SELECT kind, mac, active FROM credentials WHERE org_id = $1"
	    " AND person_id = $2 ORDER BY kind, active DESC, mac", 2,
	    (struct hub_param[]){ HP_S(c->who.org_id), HP_S(id) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		int card = strcmp(hub_res_text(r, 0), "card") == 0;
		char ref[DASH_REF_HEX + 1];

		snprintf(ref, sizeof(ref), "%s", card ? hub_res_text(r, 1) : "");
		json_array_append_new(creds, json_pack("{s:s,s:s,s:b}", "kind", hub_res_text(r, 0),
		    "ref", ref, "active", (int)hub_res_int(r, 2)));
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

/* Create (id NULL) or update a person from the body. */
static void write_person(struct dash_call *c, const char *id)
{
	static struct person zero;
	json_t *j = dash_body(c), *cd;
	const char *name = NULL, *first = NULL, *lang = NULL, *cdate = NULL, *cver = NULL;
	struct person p = zero;
	int64_t cards = 0, pins = 0;
	char changed[DASH_AUDIT_DETAIL_MAX] = "", gen[PR_ID_MAX];
	int rc, creating = id == NULL, consent_given;

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

/* Store mac (hex) as an active credential of person; 409 if it is active
 * for someone else. Returns 0 (rs untouched) or -1 (rs filled, rolled back). */
static int add_credential(struct dash_call *c, const char *person, const char *kind, const char *mac)
{
	struct hub_res *r = NULL;
	char other[PR_ID_MAX] = "";
	int rc = hub_db_query(c->db, "SELECT person_id FROM credentials WHERE org_id = $1 AND mac = $2"
	    " AND active = 1", 2, (struct hub_param[]){ HP_S(c->who.org_id), HP_S(mac) }, 0, &r);

	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1)
		snprintf(other, sizeof(other), "%s", hub_res_text(r, 0));
	hub_res_free(r);
	if (rc < 0) {
		dash_fail(c, rc);
		return -1;
	}
	if (other[0] != '\0' && strcmp(other, person) != 0) {
		hub_db_rollback(c->db);
		hub_resp_error(c->rs, 409, "conflict", "this %s is in use by someone else", kind);
		return -1;
	}
	rc = hub_master_credential(c->db, c->who.org_id, person, kind, mac, 1);
	if (rc != HUB_DB_OK) {
		dash_fail(c, rc);
		return -1;
	}
	return 0;
}

/* Deactivate person's active credentials of kind ("card", "pin", or NULL
 * for all) except keep_mac. *n counts them. */
static int revoke_kind(struct dash_call *c, const char *person, const char *kind,
    const char *keep_mac, int64_t *n)
{
	char macs[16][PR_MAC_HEX], kinds[16][8];
	struct hub_res *r = NULL;
	int m = 0, rc;

	do {
		m = 0;
		rc = hub_db_query(c->db, "SELECT mac, kind FROM credentials WHERE org_id = $1 AND"
		    " person_id = $2 AND active = 1 AND (CAST($3 AS TEXT) = '' OR kind = $3) AND mac <> $4"
		    " ORDER BY mac LIMIT 16", 4, (struct hub_param[]){ HP_S(c->who.org_id), HP_S(person),
		    HP_S(kind ? kind : ""), HP_S(keep_mac ? keep_mac : "") }, 0, &r);
		while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1 && m < 16) {
			snprintf(macs[m], sizeof(macs[m]), "%s", hub_res_text(r, 0));
			snprintf(kinds[m], sizeof(kinds[m]), "%s", hub_res_text(r, 1));
			m++;
		}
		hub_res_free(r);
		r = NULL;
		if (rc < 0)
			return rc;
		for (int i = 0; i < m; i++) {
			rc = hub_master_credential(c->db, c->who.org_id, person, kinds[i], macs[i], 0);
			if (rc != HUB_DB_OK)
				return rc;
			(*n)++;
		}
	} while (m == 16);
	return HUB_DB_OK;
}

static int org_key(struct dash_call *c, uint8_t key[PR_ORG_KEY_BYTES])
{
	char err[128];

	if (hub_admin_org_key(c->db, c->who.org_id, key, err, sizeof(err)) != 0) {
		hub_db_rollback(c->db);
		hub_resp_error(c->rs, 500, "internal", "the organisation has no usable key");
		return -1;
	}
	return 0;
}

/* POST card {"number"} or PUT pin {"pin"}. */
static void credential(struct dash_call *c, const char *id, int pin)
{
	json_t *j = dash_body(c);
	const char *num = NULL;
	uint8_t key[PR_ORG_KEY_BYTES], uid[PR_UID_MAX_BYTES], mac[PR_MAC_BYTES];
	char hex[PR_MAC_HEX], clean[DASH_CARD_NUM_MAX], ref[DASH_REF_HEX + 1], detail[32];
	size_t len = 0, k = 0;
	int64_t n = 0;
	int rc;

	if (j == NULL || dash_str(c, j, pin ? "pin" : "number", 1, DASH_CARD_NUM_MAX, 0, &num) != 0)
		goto out;
	for (size_t i = 0; num[i] != '\0' && k + 1 < sizeof(clean); i++)
		if (num[i] != ' ')
			clean[k++] = num[i];
	clean[k] = '\0';
	rc = hub_db_begin(c->db, 1);
	if (rc == HUB_DB_OK)
		rc = dash_exists(c, "people", id);
	if (rc <= 0) {
		if (rc < 0)
			dash_fail(c, rc);
		else {
			hub_db_rollback(c->db);
			hub_resp_error(c->rs, 404, "not_found", "no such person");
		}
		goto out;
	}
	if (org_key(c, key) != 0)
		goto out;
	if (pin ? cred_mac_pin(key, clean, mac) != 0 :
	    (cred_uid_parse(clean, uid, sizeof(uid), &len) != 0 || cred_mac_card(key, uid, len, mac) != 0)) {
		hub_db_rollback(c->db);
		if (pin)
			hub_resp_error(c->rs, 400, "bad_request", "pin: %d to %d digits",
			    PR_PIN_MIN_DIGITS, PR_PIN_MAX_DIGITS);
		else
			hub_resp_error(c->rs, 400, "bad_request", "number: the card number in hex"
			    " (4, 7 or 10 bytes)");
		goto out;
	}
	cred_hex(mac, sizeof(mac), hex);
	if (add_credential(c, id, pin ? "pin" : "card", hex) != 0)
		goto out;
	if (pin && (rc = revoke_kind(c, id, "pin", hex, &n)) != HUB_DB_OK) {
		dash_fail(c, rc);
		goto out;
	}
	memcpy(ref, hex, DASH_REF_HEX);
	ref[pin ? 0 : DASH_REF_HEX] = '\0';
	snprintf(detail, sizeof(detail), "%s%s", pin ? "" : "ref=", ref);
	rc = dash_audit(c->db, &c->who, pin ? "person.pin" : "person.card", id, detail);
	if (rc == HUB_DB_OK)
		rc = hub_db_commit(c->db);
	if (rc != HUB_DB_OK) {
		dash_fail(c, rc);
		goto out;
	}
	if (pin) {
		(void)hub_resp_json(c->rs, 204, json_object());
		c->rs->len = 0;
	} else {
		dash_json(c->rs, 201, json_pack("{s:s,s:s,s:b}", "kind", "card", "ref", ref, "active", 1));
	}
out:
	sodium_memzero(key, sizeof(key));
	sodium_memzero(uid, sizeof(uid));
	sodium_memzero(clean, sizeof(clean));
	json_decref(j);
}

static void revoke(struct dash_call *c, const char *id)
{
	json_t *j = dash_body(c);
	const char *kind = NULL;
	int64_t n = 0;
	int rc;

	if (j == NULL || dash_str(c, j, "kind", 1, 8, 0, &kind) != 0)
		goto out;
	if (strcmp(kind, "card") != 0 && strcmp(kind, "pin") != 0 && strcmp(kind, "all") != 0) {
		hub_resp_error(c->rs, 400, "bad_request", "kind: card, pin or all");
		goto out;
	}
	rc = hub_db_begin(c->db, 1);
	if (rc == HUB_DB_OK)
		rc = dash_exists(c, "people", id);
	if (rc == 0) {
		hub_db_rollback(c->db);
		hub_resp_error(c->rs, 404, "not_found", "no such person");
		goto out;
	}
	if (rc == 1)
		rc = revoke_kind(c, id, strcmp(kind, "all") == 0 ? NULL : kind, NULL, &n);
	if (rc == HUB_DB_OK)
		rc = dash_audit(c->db, &c->who, "person.revoke", id, kind);
	if (rc == HUB_DB_OK)
		rc = hub_db_commit(c->db);
	if (rc != HUB_DB_OK) {
		dash_fail(c, rc);
		goto out;
	}
	dash_json(c->rs, 200, json_pack("{s:I}", "revoked", (json_int_t)n));
out:
	json_decref(j);
}

static void card_link_start(struct dash_call *c, const char *id)
{
	json_t *j = dash_body(c);
	const char *dev = NULL;
	char status[16] = "";
	struct hub_res *r = NULL;
	int64_t now = hub_now_ms();
	int rc;

	if (j == NULL || dash_str(c, j, "device_id", 1, PR_ID_MAX, 0, &dev) != 0)
		goto out;
	rc = hub_db_begin(c->db, 1);
	if (rc == HUB_DB_OK)
		rc = dash_exists(c, "people", id);
	if (rc == 1 && dash_id_ok(dev))
		rc = hub_db_query(c->db, "SELECT status FROM devices WHERE org_id = $1 AND id = $2", 2,
		    (struct hub_param[]){ HP_S(c->who.org_id), HP_S(dev) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1)
		snprintf(status, sizeof(status), "%s", hub_res_text(r, 0));
	hub_res_free(r);
	if (rc < 0) {
		dash_fail(c, rc);
		goto out;
	}
	if (status[0] == '\0') {
		hub_db_rollback(c->db);
		hub_resp_error(c->rs, 404, "not_found", "no such person or kiosk");
		goto out;
	}
	if (strcmp(status, "active") != 0) {
		hub_db_rollback(c->db);
		hub_resp_error(c->rs, 409, "conflict", "this kiosk is not active");
		goto out;
	}
	rc = hub_db_exec(c->db, "INSERT INTO card_links (device_id, org_id, person_id, started_ms, expires_ms)"
	    " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (device_id) DO UPDATE SET org_id = excluded.org_id,"
	    " person_id = excluded.person_id, started_ms = excluded.started_ms,"
	    " expires_ms = excluded.expires_ms", 5, (struct hub_param[]){ HP_S(dev), HP_S(c->who.org_id),
	    HP_S(id), HP_I(now), HP_I(now + DASH_CARD_LINK_MS) }, NULL);
	if (rc == HUB_DB_OK)
		rc = dash_audit(c->db, &c->who, "person.card_link", id, dev);
	if (rc == HUB_DB_OK)
		rc = hub_db_commit(c->db);
	if (rc != HUB_DB_OK) {
		dash_fail(c, rc);
		goto out;
	}
	dash_json(c->rs, 202, json_pack("{s:s,s:s,s:o}", "state", "waiting", "device_id", dev,
	    "expires", dash_iso(now + DASH_CARD_LINK_MS)));
out:
	json_decref(j);
}

static void card_link_state(struct dash_call *c, const char *id)
{
	struct hub_res *r = NULL;
	const char *state = "none";
	int64_t now = hub_now_ms();
	int rc = dash_exists(c, "people", id);

	if (rc == 1)
		rc = hub_db_query(c->db, "SELECT l.expires_ms, EXISTS (SELECT 1 FROM events e WHERE"
		    " e.org_id = l.org_id AND e.device_id = l.device_id AND e.person_id = l.person_id"
		    " AND e.kind = 'credential_enrolled' AND e.received_ms >= l.started_ms)"
		    " FROM card_links l WHERE l.org_id = $1 AND l.person_id = $2"
		    " ORDER BY l.started_ms DESC LIMIT 1", 2,
		    (struct hub_param[]){ HP_S(c->who.org_id), HP_S(id) }, 0, &r);
	else if (rc == 0) {
		hub_resp_error(c->rs, 404, "not_found", "no such person");
		return;
	}
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1)
		state = hub_res_int(r, 1) ? "linked" : hub_res_int(r, 0) > now ? "waiting" : "expired";
	hub_res_free(r);
	if (rc < 0) {
		dash_fail(c, rc);
		return;
	}
	dash_json(c->rs, 200, json_pack("{s:s}", "state", state));
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

void dash_people(struct dash_call *c)
{
	const char *m = c->rq->method, *sub = c->nseg >= 3 ? c->seg[2] : "";

	if (c->nseg == 1 && strcmp(m, "GET") == 0)
		list(c);
	else if (c->nseg == 1 && strcmp(m, "POST") == 0)
		write_person(c, NULL);
	else if (c->nseg == 2 && strcmp(m, "GET") == 0)
		get(c, c->seg[1]);
	else if (c->nseg == 2 && strcmp(m, "PATCH") == 0)
		write_person(c, c->seg[1]);
	else if (c->nseg == 3 && strcmp(sub, "card") == 0 && strcmp(m, "POST") == 0)
		credential(c, c->seg[1], 0);
	else if (c->nseg == 3 && strcmp(sub, "pin") == 0 && strcmp(m, "PUT") == 0)
		credential(c, c->seg[1], 1);
	else if (c->nseg == 3 && strcmp(sub, "card-link") == 0 && strcmp(m, "POST") == 0)
		card_link_start(c, c->seg[1]);
	else if (c->nseg == 3 && strcmp(sub, "card-link") == 0 && strcmp(m, "GET") == 0)
		card_link_state(c, c->seg[1]);
	else if (c->nseg == 3 && strcmp(sub, "revoke") == 0 && strcmp(m, "POST") == 0)
		revoke(c, c->seg[1]);
	else if (c->nseg == 3 && strcmp(sub, "erase") == 0 && strcmp(m, "POST") == 0)
		erase(c, c->seg[1]);
	else
		hub_resp_error(c->rs, 404, "not_found", "no such endpoint");
}
