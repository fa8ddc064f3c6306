/* admin.c — see admin.h. Ids are checked for shape (printable, bounded);
 * everything else is a parameter of a prepared statement. */
#include "hub/svc/admin.h"
#include "hub/svc/presencekey.h"
#include "hub/svc/login.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cred.h"
#include "hub/base/htime.h"
#include "hub/base/jsonv.h"
#include "hub/db/db.h"
#include "hub/svc/change.h"
#include "hub/svc/token.h"

#define HUB_EMAIL_MIN  3
#define HUB_PW_MIN     10

static int id_ok(const char *s)
{
	if (s == NULL || s[0] == '\0' || strlen(s) >= PR_ID_MAX)
		return 0;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

static int name_ok(const char *s, size_t max)
{
	return s != NULL && strlen(s) < max && hub_jv_text_ok(s);
}

static int db_fail(struct hub_db *db, int rc, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: %s%s", what, rc == HUB_DB_RETRY ? "already exists or busy: " : "",
	    hub_db_errmsg(db));
	hub_db_rollback(db);
	return -1;
}

int hub_admin_org_create(struct hub_db *db, const char *id, const char *name,
    const char *key_hex, char id_out[PR_ID_MAX], char *err, size_t errlen)
{
	uint8_t key[PR_ORG_KEY_BYTES];
	char hex[2 * PR_ORG_KEY_BYTES + 1];
	int rc;

	if (!name_ok(name, PR_NAME_MAX)) {
		snprintf(err, errlen, "--name: 1..%d bytes of text required", PR_NAME_MAX - 1);
		return -1;
	}
	if (id != NULL && !id_ok(id)) {
		snprintf(err, errlen, "--id: 1..%d printable characters without spaces", PR_ID_MAX - 1);
		return -1;
	}
	if (key_hex != NULL) {
		if (cred_unhex(key_hex, key, sizeof(key)) != 0 || strlen(key_hex) != 2 * sizeof(key)) {
			snprintf(err, errlen, "--key: must be %d hex digits", 2 * PR_ORG_KEY_BYTES);
			return -1;
		}
	} else {
		randombytes_buf(key, sizeof(key));
	}
	cred_hex(key, sizeof(key), hex);
	sodium_memzero(key, sizeof(key));
	if (id != NULL)
		snprintf(id_out, PR_ID_MAX, "%s", id);
	else if (hub_id_new("org", id_out, PR_ID_MAX) != 0)
		return -1;
	rc = hub_db_exec(db, "INSERT INTO organisations (id, name, org_key, created_ms)"
	    " VALUES ($1, $2, $3, $4)", 4, (struct hub_param[]){ HP_S(id_out), HP_S(name),
	    HP_S(hex), HP_I(hub_now_ms()) }, NULL);
	sodium_memzero(hex, sizeof(hex));
	if (rc != HUB_DB_OK)
		return db_fail(db, rc, "organisation", err, errlen);
	return 0;
}

int hub_admin_org_key(struct hub_db *db, const char *org, uint8_t key[PR_ORG_KEY_BYTES],
    char *err, size_t errlen)
{
	struct hub_res *r = NULL;
	int rc, ok = 0;

	rc = hub_db_query(db, "SELECT org_key FROM organisations WHERE id = $1", 1,
	    (struct hub_param[]){ HP_S(org) }, 0, &r);
	if (rc != HUB_DB_OK)
		return db_fail(db, rc, "organisation", err, errlen);
	if ((rc = hub_res_next(r)) == 1) {
		ok = cred_unhex(hub_res_text(r, 0), key, PR_ORG_KEY_BYTES) == 0;
		while ((rc = hub_res_next(r)) == 1)
			;
	}
	hub_res_free(r);
	if (rc < 0)     /* a read error is not "not found" */
		return db_fail(db, rc, "organisation", err, errlen);
	if (!ok) {
		snprintf(err, errlen, "organisation '%s' not found", org);
		return -1;
	}
	return 0;
}

int hub_admin_location_create(struct hub_db *db, const char *org, const char *id,
    const char *name, const char *tz, char id_out[PR_ID_MAX], char *err, size_t errlen)
{
	char path[PR_PATH_MAX];
	int64_t v;
	int rc;

	if (tz == NULL)
		tz = HUB_TZ_DEFAULT;
	if (!name_ok(name, PR_NAME_MAX) || !id_ok(org) || (id != NULL && !id_ok(id))) {
		snprintf(err, errlen, "--org and --name are required (ids without spaces)");
		return -1;
	}
	/* A zone the C library knows (tzdata file present, no path tricks). */
	if (!name_ok(tz, PR_TZ_MAX) || strstr(tz, "..") != NULL || tz[0] == '/' ||
	    snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", tz) >= (int)sizeof(path) ||
	    access(path, R_OK) != 0) {
		snprintf(err, errlen, "--timezone: unknown time zone '%s'", tz);
		return -1;
	}
	rc = hub_db_int(db, "SELECT 1 FROM organisations WHERE id = $1", 1,
	    (struct hub_param[]){ HP_S(org) }, &v);
	if (rc <= 0) {
		snprintf(err, errlen, "organisation '%s' not found", org);
		return -1;
	}
	if (id != NULL)
		snprintf(id_out, PR_ID_MAX, "%s", id);
	else if (hub_id_new("loc", id_out, PR_ID_MAX) != 0)
		return -1;
	rc = hub_db_exec(db, "INSERT INTO locations (id, org_id, name, timezone) VALUES ($1, $2, $3, $4)",
	    4, (struct hub_param[]){ HP_S(id_out), HP_S(org), HP_S(name), HP_S(tz) }, NULL);
	if (rc != HUB_DB_OK)
		return db_fail(db, rc, "location", err, errlen);
	return 0;
}

int hub_admin_device_create(struct hub_db *db, const char *location, const char *name,
    int64_t ttl_ms, char id_out[PR_ID_MAX], char code_out[16], char *err, size_t errlen)
{
	char org[PR_ID_MAX] = "", norm[HUB_CODE_CHARS + 1], hash[HUB_HASH_HEX];
	struct hub_res *r = NULL;
	int64_t now = hub_now_ms();
	int rc;

	if (!id_ok(location) || (name != NULL && !name_ok(name, PR_NAME_MAX)) ||
	    ttl_ms < 0 || ttl_ms > HUB_CODE_TTL_MS) {
		snprintf(err, errlen, "--location is required; --code-ttl 0..86400 seconds");
		return -1;
	}
	rc = hub_db_begin(db, 1);
	if (rc != HUB_DB_OK)
		return db_fail(db, rc, "device", err, errlen);
	rc = hub_db_query(db, "SELECT org_id FROM locations WHERE id = $1", 1,
	    (struct hub_param[]){ HP_S(location) }, 0, &r);
	if (rc != HUB_DB_OK)
		return db_fail(db, rc, "device", err, errlen);
	if ((rc = hub_res_next(r)) == 1) {
		snprintf(org, sizeof(org), "%s", hub_res_text(r, 0));
		while ((rc = hub_res_next(r)) == 1)
			;
	}
	hub_res_free(r);
	if (rc < 0)     /* a read error is not "not found" */
		return db_fail(db, rc, "device", err, errlen);
	if (org[0] == '\0') {
		hub_db_rollback(db);
		snprintf(err, errlen, "location '%s' not found", location);
		return -1;
	}
	if (hub_id_new("dev", id_out, PR_ID_MAX) != 0)
		return -1;
	hub_code_new(code_out);
	if (hub_code_normalise(code_out, norm) != 0)
		return -1;
	hub_hash_hex(norm, strlen(norm), hash);
	rc = hub_db_exec(db, "INSERT INTO devices (id, org_id, location_id, name, created_ms)"
	    " VALUES ($1, $2, $3, $4, $5)", 5, (struct hub_param[]){ HP_S(id_out), HP_S(org),
	    HP_S(location), HP_S(name ? name : ""), HP_I(now) }, NULL);
	if (rc == HUB_DB_OK)
		rc = hub_db_exec(db, "INSERT INTO enrol_codes (code_hash, device_id, expires_ms)"
		    " VALUES ($1, $2, $3)", 3, (struct hub_param[]){ HP_S(hash), HP_S(id_out),
		    HP_I(now + ttl_ms) }, NULL);
	if (rc == HUB_DB_OK)
		rc = hub_db_commit(db);
	if (rc != HUB_DB_OK)
		return db_fail(db, rc, "device", err, errlen);
	return 0;
}

int hub_admin_device_revoke(struct hub_db *db, const char *device, char *err, size_t errlen)
{
	int64_t n = 0;
	int rc;

	if (!id_ok(device)) {
		snprintf(err, errlen, "--id: a device id is required");
		return -1;
	}
	rc = hub_db_exec(db, "UPDATE devices SET status = 'revoked', token_hash = NULL WHERE id = $1",
	    1, (struct hub_param[]){ HP_S(device) }, &n);
	if (rc != HUB_DB_OK)
		return db_fail(db, rc, "device", err, errlen);
	if (n != 1) {
		snprintf(err, errlen, "device '%s' not found", device);
		return -1;
	}
	(void)hub_db_exec(db, "UPDATE enrol_codes SET used_ms = $1 WHERE device_id = $2"
	    " AND used_ms IS NULL", 2, (struct hub_param[]){ HP_I(hub_now_ms()), HP_S(device) }, NULL);
	return 0;
}

int hub_admin_coordinator_create(struct hub_db *db, const char *org, const char *email,
    const char *password, char id_out[PR_ID_MAX], char *err, size_t errlen)
{
	char hash[crypto_pwhash_STRBYTES], low[HUB_EMAIL_MAX];
	int64_t v;
	size_t i;
	int rc;

	if (email == NULL || strlen(email) < HUB_EMAIL_MIN || strlen(email) >= HUB_EMAIL_MAX ||
	    strchr(email, '@') == NULL || !hub_jv_text_ok(email) || strchr(email, ' ') != NULL) {
		snprintf(err, errlen, "--email: an e-mail address is required");
		return -1;
	}
	if (password == NULL || strlen(password) < HUB_PW_MIN || strlen(password) > 256) {
		snprintf(err, errlen, "password: %d..256 characters required", HUB_PW_MIN);
		return -1;
	}
	for (i = 0; email[i]; i++)
		low[i] = (char)((email[i] >= 'A' && email[i] <= 'Z') ? email[i] - 'A' + 'a' : email[i]);
	low[i] = '\0';
	rc = hub_db_int(db, "SELECT 1 FROM organisations WHERE id = $1", 1,
	    (struct hub_param[]){ HP_S(org) }, &v);
	if (rc <= 0) {
		snprintf(err, errlen, "organisation '%s' not found", org ? org : "");
		return -1;
	}
	if (crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		snprintf(err, errlen, "password hashing failed (out of memory?)");
		return -1;
	}
	if (hub_id_new("crd", id_out, PR_ID_MAX) != 0)
		return -1;
	rc = hub_db_exec(db, "INSERT INTO coordinators (id, org_id, email, pwhash, created_ms)"
	    " VALUES ($1, $2, $3, $4, $5)", 5, (struct hub_param[]){ HP_S(id_out), HP_S(org),
	    HP_S(low), HP_S(hash), HP_I(hub_now_ms()) }, NULL);
	if (rc != HUB_DB_OK)
		return db_fail(db, rc, "coordinator (e-mail address taken?)", err, errlen);
	return 0;
}

int hub_admin_erase_person(struct hub_db *db, const char *org, const char *person,
    int64_t *events_anonymised, char *err, size_t errlen)
{
	static const char *const del[] = {
		"DELETE FROM credentials WHERE org_id = $1 AND person_id = $2",
		"DELETE FROM enrolments WHERE org_id = $1 AND person_id = $2",
		"DELETE FROM assignments WHERE org_id = $1 AND person_id = $2",
		"DELETE FROM people WHERE org_id = $1 AND id = $2",
		"DELETE FROM ical_feeds WHERE org_id = $1 AND kind = 'person' AND target_id = $2",
		"DELETE FROM reminders WHERE org_id = $1 AND person_id = $2",
	};
	int64_t v = 0, chg;
	int rc;

	if (!id_ok(org) || !id_ok(person)) {
		snprintf(err, errlen, "--org ORG and a person id are required");
		return -1;
	}
	for (int tries = 0; tries < HUB_DB_RETRIES; tries++) {
		rc = hub_db_begin(db, 1);
		if (rc != HUB_DB_OK)
			break;
		rc = hub_db_int(db, "SELECT 1 FROM people WHERE org_id = $1 AND id = $2", 2,
		    (struct hub_param[]){ HP_S(org), HP_S(person) }, &v);
		if (rc == 0) {
			hub_db_rollback(db);
			snprintf(err, errlen, "person '%s' not found in organisation '%s'", person, org);
			return -1;
		}
		if (rc < 0)
			goto retry;
		rc = hub_db_exec(db, "UPDATE events SET anon_key = " HUB_ANON_KEY_SQL
		    " WHERE org_id = $1 AND person_id = $2 AND anon_key IS NULL", 2,
		    (struct hub_param[]){ HP_S(org), HP_S(person) }, NULL);
		if (rc == HUB_DB_OK)
			rc = hub_db_exec(db, "UPDATE events SET person_id = NULL, anonymised = 1,"
		    " payload = CASE WHEN kind = 'credential_enrolled' THEN '{}' ELSE payload END"
		    " WHERE org_id = $1 AND person_id = $2", 2,
		    (struct hub_param[]){ HP_S(org), HP_S(person) }, events_anonymised);
		for (size_t i = 0; rc == HUB_DB_OK && i < sizeof(del) / sizeof(del[0]); i++)
			rc = hub_db_exec(db, del[i], 2, (struct hub_param[]){ HP_S(org), HP_S(person) }, NULL);
		if (rc == HUB_DB_OK)
			rc = hub_chg_next(db, org, &chg);
		if (rc == HUB_DB_OK)
			rc = hub_db_exec(db, "INSERT INTO tombstones (org_id, person_id, chg, erased_ms)"
			    " VALUES ($1, $2, $3, $4) ON CONFLICT (org_id, person_id) DO UPDATE SET"
			    " chg = excluded.chg, erased_ms = excluded.erased_ms", 4,
			    (struct hub_param[]){ HP_S(org), HP_S(person), HP_I(chg), HP_I(hub_now_ms()) }, NULL);
		if (rc == HUB_DB_OK)
			rc = hub_db_commit(db);
		if (rc == HUB_DB_OK)
			return 0;
retry:
		hub_db_rollback(db);
		if (rc != HUB_DB_RETRY)
			break;
	}
	return db_fail(db, rc, "erase", err, errlen);
}

int hub_admin_org_checkout_rule(struct hub_db *db, const char *org, const char *rule,
    char *err, size_t errlen)
{
	int64_t n = 0, v;
	int rc;

	if (!id_ok(org)) {
		snprintf(err, errlen, "--id ORG is required");
		return -1;
	}
	/* the change counter moves: Today's cached answer (its hours) is redone */
	rc = hub_db_begin(db, 1);
	if (rc == HUB_DB_OK)
		rc = hub_db_exec(db, "UPDATE organisations SET checkout_rule = $1 WHERE id = $2", 2,
		    (struct hub_param[]){ HP_S(rule), HP_S(org) }, &n);
	if (rc == HUB_DB_OK && n == 1)
		rc = hub_chg_next(db, org, &v);
	if (rc == HUB_DB_OK && n == 1)
		rc = hub_db_commit(db);
	else
		hub_db_rollback(db);
	if (rc != HUB_DB_OK)
		return db_fail(db, rc, "checkout_rule", err, errlen);
	if (n != 1) {
		snprintf(err, errlen, "organisation '%s' not found", org);
		return -1;
	}
	return 0;
}
