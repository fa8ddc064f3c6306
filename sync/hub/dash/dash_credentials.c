/* dash_credentials.c — a person's cards, PIN and phone pass on the People
 * page: link a card by its number (turned into its HMAC at once) or by "tap
 * it on kiosk X now" (a pending link the kiosk pulls), set a PIN, issue a
 * pass (random, only its HMAC kept), revoke. Every change writes an audit row.
 * Must not: store, log or echo a card number or PIN (only MACs), or put
 * personal values into the audit (field names only). */
#include "hub/dash/dash.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cred.h"
#include "hub/base/htime.h"
#include "hub/db/db.h"
#include "hub/http/http.h"
#include "hub/svc/admin.h"
#include "hub/svc/master.h"
#include "hub/svc/token.h"

#define DASH_CARD_NUM_MAX  40

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

int dash_pass_issue(struct dash_call *c, const char *person, char pass[CRED_PASS_STR],
    char ref[DASH_REF_HEX + 1])
{
	uint8_t key[PR_ORG_KEY_BYTES], bytes[CRED_PASS_BYTES], mac[PR_MAC_BYTES];
	char hex[PR_MAC_HEX];
	int64_t n = 0;
	int rc = -1;

	if (org_key(c, key) != 0)
		goto out;
	randombytes_buf(bytes, sizeof(bytes));
	if (cred_mac_pass(key, bytes, mac) != 0) {
		hub_db_rollback(c->db);
		hub_resp_error(c->rs, 500, "internal", "could not make a pass");
		goto out;
	}
	cred_hex(mac, sizeof(mac), hex);
	if ((rc = revoke_kind(c, person, "qr", NULL, &n)) != HUB_DB_OK) {
		dash_fail(c, rc);
		rc = -1;
		goto out;
	}
	if (add_credential(c, person, "qr", hex) != 0) {
		rc = -1;
		goto out;
	}
	cred_pass_format(bytes, pass);
	memcpy(ref, hex, DASH_REF_HEX);
	ref[DASH_REF_HEX] = '\0';
	rc = 0;
out:
	sodium_memzero(key, sizeof(key));
	sodium_memzero(bytes, sizeof(bytes));
	return rc;
}

/* POST card {"number"} or PUT pin {"pin"}. */
void dash_person_credential(struct dash_call *c, const char *id, int pin)
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

void dash_person_revoke(struct dash_call *c, const char *id)
{
	json_t *j = dash_body(c);
	const char *kind = NULL;
	int64_t n = 0;
	int rc;

	if (j == NULL || dash_str(c, j, "kind", 1, 8, 0, &kind) != 0)
		goto out;
	if (strcmp(kind, "card") != 0 && strcmp(kind, "pin") != 0 && strcmp(kind, "qr") != 0 &&
	    strcmp(kind, "all") != 0) {
		hub_resp_error(c->rs, 400, "bad_request", "kind: card, pin, qr or all");
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

void dash_card_link_start(struct dash_call *c, const char *id)
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

void dash_card_link_state(struct dash_call *c, const char *id)
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
