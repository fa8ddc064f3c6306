/* dash_registrations.c — newcomers who registered at a kiosk ("Nieuw
 * aangemeld", PROTOCOL.md "Newcomers"): GET /v1/dash/registrations lists
 * the pending ones; POST .../{id}/approve makes the person (with the
 * consent the newcomer gave) and activates the card they tapped, POST
 * .../{id}/reject drops them; either way the registration row and the
 * event's payload keep no copy of the name or the card MAC, and a rejection
 * takes a change counter value so the registering kiosk deletes its copy on
 * its next pull. PUT .../setting switches the organisation's "newcomers may
 * register at our kiosks" (off by default; kiosks get it on their pull).
 * All three are audited (ids only).
 * Must not: make a person without a pending registration, or put names
 * into the audit. */
#include "hub/dash/dash.h"

#include <stdio.h>
#include <string.h>

#include "hub/base/htime.h"
#include "hub/db/db.h"
#include "hub/http/http.h"
#include "hub/svc/change.h"
#include "hub/svc/master.h"

#define REG_CONSENT_MAX 32

struct reg {
	char id[PR_ID_MAX], display_name[PR_NAME_MAX], first_name[PR_NAME_MAX], lang[PR_LANG_MAX];
	char consent_version[REG_CONSENT_MAX], card_mac[PR_MAC_HEX], event_uuid[PR_UUID_STR];
	char location[PR_NAME_MAX];
	int64_t consent_ms, received_ms;
};

#define REG_COLS "r.id, r.display_name, r.first_name, r.lang, r.consent_version, r.consent_ms," \
	" COALESCE(r.card_mac, ''), r.event_uuid, r.received_ms, COALESCE(l.name, '')"

static void reg_row(struct hub_res *r, struct reg *g)
{
	snprintf(g->id, sizeof(g->id), "%s", hub_res_text(r, 0));
	snprintf(g->display_name, sizeof(g->display_name), "%s", hub_res_text(r, 1));
	snprintf(g->first_name, sizeof(g->first_name), "%s", hub_res_text(r, 2));
	snprintf(g->lang, sizeof(g->lang), "%s", hub_res_text(r, 3));
	snprintf(g->consent_version, sizeof(g->consent_version), "%s", hub_res_text(r, 4));
	g->consent_ms = hub_res_int(r, 5);
	snprintf(g->card_mac, sizeof(g->card_mac), "%s", hub_res_text(r, 6));
	snprintf(g->event_uuid, sizeof(g->event_uuid), "%s", hub_res_text(r, 7));
	g->received_ms = hub_res_int(r, 8);
	snprintf(g->location, sizeof(g->location), "%s", hub_res_text(r, 9));
}

/* The organisation's setting into *on (0 if the row is missing). */
static int allowed_get(struct dash_call *c, int *on)
{
	int64_t v = 0;
	int rc = hub_db_int(c->db, "SELECT newcomers FROM organisations WHERE id = $1", 1,
	    (struct hub_param[]){ HP_S(c->who.org_id) }, &v);

	*on = rc >= 0 && v != 0;
	return rc < 0 ? rc : HUB_DB_OK;
}

static void list(struct dash_call *c)
{
	struct hub_res *r = NULL;
	json_t *arr = json_array();
	int rc, on = 0;

	rc = allowed_get(c, &on);
	if (rc >= 0)
		rc = hub_db_query(c->db, "SELECT " REG_COLS " FROM registrations r LEFT JOIN locations l"
	    " ON l.id = r.location_id WHERE r.org_id = $1 AND r.status = 'pending'"
	    " ORDER BY r.received_ms, r.id LIMIT $2", 2,
	    (struct hub_param[]){ HP_S(c->who.org_id), HP_I(DASH_LIST_MAX) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		struct reg g;

		reg_row(r, &g);
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:b,s:o,s:s}",
		    "id", g.id, "display_name", g.display_name, "first_name", g.first_name,
		    "lang", g.lang, "consent_version", g.consent_version,
		    "consent_at", dash_iso(g.consent_ms), "card", g.card_mac[0] != '\0',
		    "received_at", dash_iso(g.received_ms), "location", g.location));
	}
	hub_res_free(r);
	if (rc < 0) {
		json_decref(arr);
		dash_fail(c, rc);
		return;
	}
	dash_json(c->rs, 200, json_pack("{s:o,s:b}", "registrations", arr, "allowed", on));
}

/* PUT {"allowed": true|false}: may newcomers register at this
 * organisation's kiosks? Kiosks follow on their next pull. */
static void setting(struct dash_call *c)
{
	json_t *j = dash_body(c), *v;
	int rc, on;

	if (j == NULL)
		return;
	v = json_object_get(j, "allowed");
	if (v == NULL || !json_is_boolean(v)) {
		json_decref(j);
		hub_resp_error(c->rs, 400, "bad_request", "allowed: true or false");
		return;
	}
	on = json_is_true(v);
	json_decref(j);
	rc = hub_db_begin(c->db, 1);
	if (rc == HUB_DB_OK)
		rc = hub_db_exec(c->db, "UPDATE organisations SET newcomers = $2 WHERE id = $1", 2,
		    (struct hub_param[]){ HP_S(c->who.org_id), HP_I(on) }, NULL);
	if (rc == HUB_DB_OK)
		rc = dash_audit(c->db, &c->who, "registration.setting", "organisation",
		    on ? "allowed=yes" : "allowed=no");
	if (rc == HUB_DB_OK)
		rc = hub_db_commit(c->db);
	if (rc != HUB_DB_OK) {
		dash_fail(c, rc);
		return;
	}
	dash_json(c->rs, 200, json_pack("{s:b}", "allowed", on));
}

/* Load the pending registration id of the caller's organisation, inside
 * the caller's transaction: 1 found, 0 not (none, or decided), < 0 error. */
static int load_pending(struct dash_call *c, const char *id, struct reg *g)
{
	struct hub_res *r = NULL;
	int rc, found = 0;

	if (!dash_id_ok(id))
		return 0;
	rc = hub_db_query(c->db, "SELECT " REG_COLS " FROM registrations r LEFT JOIN locations l"
	    " ON l.id = r.location_id WHERE r.org_id = $1 AND r.id = $2 AND r.status = 'pending'",
	    2, (struct hub_param[]){ HP_S(c->who.org_id), HP_S(id) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		reg_row(r, g);
		found = 1;
	}
	hub_res_free(r);
	return rc < 0 ? rc : found;
}

/* The card is free (no active credential of another person): 1, 0 taken, < 0 error. */
static int card_free(struct dash_call *c, const struct reg *g)
{
	int64_t n = 0;
	int rc = hub_db_int(c->db, "SELECT COUNT(*) FROM credentials WHERE org_id = $1 AND mac = $2"
	    " AND active = 1 AND person_id <> $3", 3,
	    (struct hub_param[]){ HP_S(c->who.org_id), HP_S(g->card_mac), HP_S(g->id) }, &n);

	return rc < 0 ? rc : n == 0;
}

static void decide(struct dash_call *c, int approve)
{
	const char *id = c->seg[1];
	struct reg g;
	int rc, card = 0;
	int64_t now = hub_now_ms(), chg = 0;

	rc = hub_db_begin(c->db, 1);
	if (rc == HUB_DB_OK)
		rc = load_pending(c, id, &g);
	if (rc <= 0) {
		if (rc < 0) {
			dash_fail(c, rc);
		} else {
			hub_db_rollback(c->db);
			hub_resp_error(c->rs, 404, "not_found", "no pending registration with this id");
		}
		return;
	}
	rc = HUB_DB_OK;
	if (approve) {
		struct hub_person_in p = { .id = g.id, .display_name = g.display_name,
			.first_name = g.first_name, .lang = g.lang, .consent_version = g.consent_version,
			.consent_ms = g.consent_ms, .coordinator = 0 };

		rc = dash_exists(c, "people", g.id);
		if (rc > 0) {
			hub_db_rollback(c->db);
			hub_resp_error(c->rs, 409, "conflict", "a person with this id exists already");
			return;
		}
		if (rc == 0)
			rc = hub_master_person(c->db, c->who.org_id, &p);
		if (rc == HUB_DB_OK && g.card_mac[0] != '\0' && (rc = card_free(c, &g)) > 0) {
			card = 1;
			rc = hub_master_credential(c->db, c->who.org_id, g.id, "card", g.card_mac, 1);
		}
	}
	/* Either way the registration and its event keep no copy of the name:
	 * approved, it lives in people (and goes with the person's erasure);
	 * rejected, nowhere, and the kiosk that registered it is told (chg). */
	if (rc == HUB_DB_OK && !approve)
		rc = hub_chg_next(c->db, c->who.org_id, &chg);
	if (rc == HUB_DB_OK)
		rc = hub_db_exec(c->db, "UPDATE registrations SET status = $1, decided_ms = $2,"
		    " display_name = '', first_name = '', card_mac = NULL, chg = $5"
		    " WHERE org_id = $3 AND id = $4", 5,
		    (struct hub_param[]){ HP_S(approve ? "approved" : "rejected"), HP_I(now),
		    HP_S(c->who.org_id), HP_S(g.id), approve ? HP_NULL : HP_I(chg) }, NULL);
	if (rc == HUB_DB_OK)
		/* anonymised: a replay of the event is a duplicate, not a 409 */
		rc = hub_db_exec(c->db, "UPDATE events SET payload = '{}', anonymised = 1"
		    " WHERE org_id = $1 AND uuid = $2 AND kind = 'person_registered'", 2,
		    (struct hub_param[]){ HP_S(c->who.org_id), HP_S(g.event_uuid) }, NULL);
	if (rc == HUB_DB_OK)
		rc = dash_audit(c->db, &c->who, approve ? "registration.approve" : "registration.reject",
		    g.id, approve ? (card ? "card=linked" : (g.card_mac[0] ? "card=taken" : "card=none")) : "");
	if (rc == HUB_DB_OK)
		rc = hub_db_commit(c->db);
	if (rc != HUB_DB_OK) {
		dash_fail(c, rc);
		return;
	}
	if (approve)
		dash_json(c->rs, 200, json_pack("{s:s,s:s,s:s}", "status", "approved", "person_id", g.id,
		    "card", card ? "linked" : (g.card_mac[0] ? "taken" : "none")));
	else
		dash_json(c->rs, 200, json_pack("{s:s}", "status", "rejected"));
}

static void approve(struct dash_call *c) { decide(c, 1); }
static void reject(struct dash_call *c) { decide(c, 0); }

static const struct dash_sub reg_subs[] = {
	{ "GET", 1, NULL, list },
	{ "POST", 3, "approve", approve },
	{ "POST", 3, "reject", reject },
	{ "PUT", 2, NULL, setting },
};

void dash_registrations(struct dash_call *c)
{
	if (c->nseg == 2 && strcmp(c->seg[1], "setting") != 0) {
		hub_resp_error(c->rs, 404, "not_found", "no such endpoint");
		return;
	}
	(void)dash_dispatch(c, reg_subs, sizeof(reg_subs) / sizeof(reg_subs[0]), 0);
}
