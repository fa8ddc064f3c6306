/* store_apply.c — applying a changes page from the hub (store_apply.h) in
 * one transaction: upserts, deletes, tombstones, the cursor, the location,
 * the pending card link, the other kiosks' taps with their cursor, the
 * organisation's newcomers setting, and the deletion of newcomers the
 * coordinator rejected (their person_registered events).
 * The agent's connection runs with foreign keys OFF (store_attach): a page
 * may carry a credential or assignment before the page that carries its
 * person (the hub orders by change, not by table), and a dangling row is
 * harmless to the kiosk's joins, while refusing it would lose it for good.
 * So the schema's cascades are done here explicitly (tombstones, cancelled
 * sessions). Must not: hold the transaction across anything slow. */
#include <stdio.h>

#include "cred.h"
#include "store_apply.h"
#include "store_int.h"
#include "store_meta.h"

static int bind_mac(struct store *st, sqlite3_stmt *s, int col, const char *hex,
    uint8_t mac[PR_MAC_BYTES])
{
	if (s == NULL)
		return -1;
	if (cred_unhex(hex, mac, PR_MAC_BYTES) < 0) {
		pr_errf(st->err, sizeof st->err, "credentials: bad MAC");
		return -1;
	}
	return sqlite3_bind_blob(s, col, mac, PR_MAC_BYTES, SQLITE_STATIC) == SQLITE_OK ? 0 : -1;
}

static int text_or_null(sqlite3_stmt *s, int col, const char *v)
{
	return v[0] ? sqlite3_bind_text(s, col, v, -1, SQLITE_STATIC) : sqlite3_bind_null(s, col);
}

static int put_people(struct store *st, const struct store_page *p)
{
	for (size_t i = 0; i < p->n_people; i++) {
		const struct store_page_person *r = &p->people[i];
		sqlite3_stmt *s = store_stmt(st, SQ_PERSON_UP);

		if (s != NULL) {
			sqlite3_bind_text(s, 1, r->id, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 2, r->display_name, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 3, r->first_name, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 4, r->lang, -1, SQLITE_STATIC);
			sqlite3_bind_int(s, 5, r->coordinator);
		}
		if (store_step(st, s, "people") < 0)
			return -1;
	}
	return 0;
}

static int put_sessions(struct store *st, const struct store_page *p, const char *loc_id)
{
	for (size_t i = 0; i < p->n_sessions; i++) {
		const struct store_page_session *r = &p->sessions[i];
		sqlite3_stmt *s;

		if (r->cancelled) {
			if (store_run_text(st, SQ_SESSION_DEL_ASSIGN, "sessions", r->id, NULL, NULL) < 0 ||
			    store_run_text(st, SQ_SESSION_DEL, "sessions", r->id, NULL, NULL) < 0)
				return -1;
			continue;
		}
		s = store_stmt(st, SQ_SESSION_UP);
		if (s != NULL) {
			sqlite3_bind_text(s, 1, r->id, -1, SQLITE_STATIC);
			text_or_null(s, 2, r->programme_id);
			sqlite3_bind_text(s, 3, r->title, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 4, loc_id, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 5, r->room, -1, SQLITE_STATIC);
			sqlite3_bind_int64(s, 6, r->start);
			sqlite3_bind_int64(s, 7, r->end);
			sqlite3_bind_int(s, 8, r->kind);
		}
		if (store_step(st, s, "sessions") < 0)
			return -1;
	}
	return 0;
}

static int put_creds(struct store *st, const struct store_page *p)
{
	uint8_t mac[PR_MAC_BYTES];

	for (size_t i = 0; i < p->n_creds; i++) {
		const struct store_page_cred *r = &p->creds[i];
		sqlite3_stmt *s = store_stmt(st, r->active ? SQ_CRED_UP : SQ_CRED_DEL);
		int col = 1;

		if (s != NULL && r->active)
			sqlite3_bind_text(s, col++, r->person_id, -1, SQLITE_STATIC);
		if (s != NULL)
			sqlite3_bind_int(s, col++, r->kind);
		if (bind_mac(st, s, col, r->mac_hex, mac) < 0 ||
		    store_step(st, s, "credentials") < 0)
			return -1;
	}
	return 0;
}

/* Delete everything of one person (tombstone), their relayed taps too. */
static int erase_person(struct store *st, const char *id)
{
	static const enum store_stmt_id steps[] = {
		SQ_TOMB_CREDS, SQ_TOMB_ENROL, SQ_TOMB_ASSIGN, SQ_TOMB_PERSON, SQ_TOMB_TAPS
	};

	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (store_run_text(st, steps[i], "erasing a person", id, NULL, NULL) < 0)
			return -1;
	return 0;
}

/* The peers' taps (before the tombstones: a page may carry both), then
 * drop those a day older than the hub's time. */
static int put_taps(struct store *st, const struct store_page *p)
{
	sqlite3_stmt *s;

	for (size_t i = 0; i < p->n_taps; i++) {
		const struct store_page_tap *r = &p->taps[i];

		s = store_stmt(st, SQ_TAP_PUT);
		if (s != NULL) {
			sqlite3_bind_text(s, 1, r->uuid, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 2, r->kind, -1, SQLITE_STATIC);
			text_or_null(s, 3, r->person_id);
			text_or_null(s, 4, r->session_id);
			text_or_null(s, 5, r->role);
			sqlite3_bind_int64(s, 6, r->t_ms);
		}
		if (store_step(st, s, "peer taps") < 0)
			return -1;
	}
	if (p->server_ms > STORE_TAP_KEEP_MS) {
		s = store_stmt(st, SQ_TAP_PURGE);
		if (s != NULL)
			sqlite3_bind_int64(s, 1, p->server_ms - STORE_TAP_KEEP_MS);
		if (store_step(st, s, "dropping old peer taps") < 0)
			return -1;
	}
	return 0;
}

static int apply_rows(struct store *st, const struct store_page *p, const char *loc_id)
{
	size_t i;

	if (put_people(st, p) < 0)
		return -1;
	for (i = 0; i < p->n_programmes; i++)
		if (store_run_text(st, SQ_PROG_UP, "programmes", p->programmes[i].id,
		    p->programmes[i].title, NULL) < 0)
			return -1;
	if (put_sessions(st, p, loc_id) < 0 || put_creds(st, p) < 0)
		return -1;
	for (i = 0; i < p->n_enrolments; i++) {
		const struct store_page_enrolment *r = &p->enrolments[i];

		if (store_run_text(st, r->active ? SQ_ENROL_UP : SQ_ENROL_DEL, "enrolments",
		    r->programme_id, r->person_id, NULL) < 0)
			return -1;
	}
	for (i = 0; i < p->n_assignments; i++) {
		const struct store_page_assignment *r = &p->assignments[i];

		if ((r->active && store_run_text(st, SQ_ROLE_UP, "roles", r->role, NULL, NULL) < 0) ||
		    store_run_text(st, r->active ? SQ_ASSIGN_UP : SQ_ASSIGN_DEL, "assignments",
		    r->session_id, r->person_id, r->role) < 0)
			return -1;
	}
	if (put_taps(st, p) < 0)
		return -1;
	for (i = 0; i < p->n_tombstones; i++)
		if (erase_person(st, p->tombstones[i].person_id) < 0)
			return -1;
	for (i = 0; i < p->n_rejected; i++)
		if (store_run_text(st, SQ_REJECT_DELIVERED, "a rejected newcomer",
		    p->rejected[i].id, NULL, NULL) < 0 ||
		    store_run_text(st, SQ_REJECT_DEL, "a rejected newcomer",
		    p->rejected[i].id, NULL, NULL) < 0)
			return -1;
	return 0;
}

/* The hub's pending card link for this kiosk into meta (kiosk/model.c reads
 * it); a page without the key (an older hub) leaves it alone. */
static int put_card_link(struct store *st, const struct store_page *p)
{
	char val[PR_ID_MAX + 24];
	int n;

	if (!p->has_card_link)
		return 0;
	if (p->card_link_person[0] == '\0')
		return store_meta_put(st, AGENT_META_CARD_LINK, NULL);
	n = snprintf(val, sizeof val, "%lld %s", (long long)p->card_link_expires,
	    p->card_link_person);
	if (n < 0 || (size_t)n >= sizeof val) {
		pr_errf(st->err, sizeof st->err, "card_link: value too long");
		return -1;
	}
	return store_meta_put(st, AGENT_META_CARD_LINK, val);
}

int store_apply_page(struct store *st, const struct store_page *p,
    char *err, size_t errlen)
{
	char loc[PR_ID_MAX];

	if (p->has_location) {
		pr_errf(loc, sizeof loc, "%s", p->location_id);
	} else if (store_meta_get(st, AGENT_META_LOC_ID, loc, sizeof loc) != 0) {
		pr_errf(err, errlen, "the store has no location id (enrol first)");
		return -1;
	}
	if (store_begin(st, 1) < 0)
		goto fail;
	if (apply_rows(st, p, loc) < 0 || put_card_link(st, p) < 0 ||
	    (p->newcomers >= 0 && store_meta_put(st, AGENT_META_NEWCOMERS,
	    p->newcomers ? "yes" : "no") < 0) ||
	    store_meta_put(st, AGENT_META_CURSOR, p->cursor) < 0 ||
	    (p->has_taps && store_meta_put(st, AGENT_META_TAP_CURSOR, p->taps_cursor) < 0))
		goto fail;
	if (p->has_location &&
	    (store_meta_put(st, AGENT_META_LOC_ID, p->location_id) < 0 ||
	     (p->location_name[0] &&
	      store_meta_put(st, AGENT_META_LOC_NAME, p->location_name) < 0) ||
	     (p->location_tz[0] && store_meta_put(st, AGENT_META_LOC_TZ, p->location_tz) < 0)))
		goto fail;
	if (store_commit(st) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(st);
	pr_errf(err, errlen, "%s", store_errmsg(st));
	return -1;
}
