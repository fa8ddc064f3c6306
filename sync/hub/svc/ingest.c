/* ingest.c — see ingest.h. Concurrency: the device row is locked first
 * (SELECT ... FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE serialises
 * all writers), so two hub processes taking batches of one device take
 * turns and each sees the other's committed events when it computes
 * acked_seq. Inserts use ON CONFLICT DO NOTHING; serialisation failures and
 * unique races are retried a bounded number of times. */
#include "hub/svc/ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>

#include "hub/base/htime.h"
#include "hub/base/hubtz.h"
#include "hub/db/db.h"
#include "hub/svc/audit.h"
#include "hub/svc/auth.h"
#include "hub/svc/change.h"
#include "hub/svc/clockfix.h"
#include "hub/svc/ingest_impl.h"
#include "hub/svc/reeval.h"

/* Who acted for the audit trail: the kiosk, by its name. */
static int kiosk_actor(struct hub_ingest_ctx *c, char *label, size_t len)
{
	struct hub_res *r = NULL;
	int rc = hub_db_query(c->db, "SELECT name FROM devices WHERE id = $1", 1,
	    (struct hub_param[]){ HP_S(c->dev->id) }, 0, &r);
	const char *name = "";

	if (rc != HUB_DB_OK)
		return rc;
	rc = hub_res_next(r);
	if (rc == 1)
		name = hub_res_text(r, 0);
	if (rc >= 0)
		snprintf(label, len, "kiosk %s", name[0] ? name : c->dev->id);
	hub_res_free(r);
	return rc < 0 ? rc : HUB_DB_OK;
}

/* A card or PIN linked at a kiosk becomes an active credential, unless it
 * is the active credential of someone else: a kiosk that did not know (it
 * was offline, or its roster was old) cannot take it from them; it stays
 * theirs and the refusal is audited, the coordinator moves it on the
 * dashboard. Every link made at a kiosk is audited (issue 14, finding 1).
 * Returns a HUB_DB_ code. */
static int apply_credential(struct hub_ingest_ctx *c, const struct hub_event *e)
{
	struct hub_res *r = NULL;
	char owner[PR_ID_MAX] = "", label[PR_NAME_MAX + 16], detail[PR_ID_MAX * 2 + 64];
	struct hub_actor who = { c->dev->org_id, c->dev->id, label };
	int64_t chg;
	int rc = kiosk_actor(c, label, sizeof(label));

	if (rc != HUB_DB_OK)
		return rc;
	rc = hub_db_query(c->db, "SELECT person_id FROM credentials WHERE org_id = $1 AND mac = $2"
	    " AND active = 1 AND person_id <> $3", 3, (struct hub_param[]){ HP_S(c->dev->org_id),
	    HP_S(e->cred_mac), HP_S(e->person_id) }, 0, &r);
	if (rc != HUB_DB_OK)
		return rc;
	rc = hub_res_next(r);
	if (rc == 1)
		snprintf(owner, sizeof(owner), "%s", hub_res_text(r, 0));
	hub_res_free(r);
	if (rc < 0)
		return rc;
	if (owner[0] != '\0') {
		snprintf(detail, sizeof(detail), "kind=%s; refused: the %s belongs to %s", e->cred_kind,
		    e->cred_kind, owner);
		return hub_audit(c->db, &who, "kiosk.credential_refused", e->person_id, detail);
	}
	rc = hub_chg_next(c->db, c->dev->org_id, &chg);
	if (rc != HUB_DB_OK)
		return rc;
	rc = hub_db_exec(c->db, "INSERT INTO credentials (org_id, mac, person_id, kind, active, chg)"
	    " VALUES ($1, $2, $3, $4, 1, $5) ON CONFLICT (org_id, mac) DO UPDATE SET"
	    " person_id = excluded.person_id, kind = excluded.kind, active = 1, chg = excluded.chg",
	    5, (struct hub_param[]){ HP_S(c->dev->org_id), HP_S(e->cred_mac), HP_S(e->person_id),
	    HP_S(e->cred_kind), HP_I(chg) }, NULL);
	if (rc != HUB_DB_OK)
		return rc;
	snprintf(detail, sizeof(detail), "kind=%s", e->cred_kind);
	return hub_audit(c->db, &who, "kiosk.credential", e->person_id, detail);
}

/* A newcomer's registration waits for a coordinator (migration 9); a
 * replay, or a second event with the same person id, changes nothing. */
static int apply_registration(struct hub_ingest_ctx *c, const struct hub_event *e, int64_t now)
{
	const struct hub_reg *r = e->reg;

	return hub_db_exec(c->db, "INSERT INTO registrations (org_id, id, event_uuid, device_id,"
	    " location_id, display_name, first_name, lang, consent_version, consent_ms, card_mac,"
	    " status, received_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'pending', $12)"
	    " ON CONFLICT (org_id, id) DO NOTHING", 12,
	    (struct hub_param[]){ HP_S(c->dev->org_id), HP_S(r->id), HP_S(e->uuid), HP_S(c->dev->id),
	    HP_S(c->dev->location_id), HP_S(r->display_name), HP_S(r->first_name), HP_S(r->lang),
	    HP_S(r->consent_version), HP_I(r->consent_ms), r->card_mac[0] ? HP_S(r->card_mac) : HP_NULL,
	    HP_I(now) }, NULL);
}

/* Link a check-out to its check-in (named in the payload, else the latest
 * open check-in of the same person and session: the session the row holds
 * now, after a re-decision, not the one the device said). */
static int link_check_out(struct hub_ingest_ctx *c, const struct hub_event *e)
{
	if (e->check_in_uuid[0] != '\0')
		return hub_db_exec(c->db, "UPDATE events SET out_uuid = $1 WHERE uuid = $2"
		    " AND org_id = $3 AND kind = 'check_in' AND out_uuid IS NULL", 3,
		    (struct hub_param[]){ HP_S(e->uuid), HP_S(e->check_in_uuid), HP_S(c->dev->org_id) },
		    NULL);
	return hub_db_exec(c->db, "UPDATE events SET out_uuid = $1 WHERE id = (SELECT i.id FROM"
	    " events i WHERE i.org_id = $2 AND i.person_id = $3 AND i.kind = 'check_in'"
	    " AND i.out_uuid IS NULL AND COALESCE(i.session_id, '') ="
	    " (SELECT COALESCE(o.session_id, '') FROM events o WHERE o.uuid = $1)"
	    " AND i.t_ms <= (SELECT o.t_ms FROM events o WHERE o.uuid = $1)"
	    " ORDER BY i.t_ms DESC LIMIT 1)", 3,
	    (struct hub_param[]){ HP_S(e->uuid), HP_S(c->dev->org_id), HP_S(e->person_id) },
	    NULL);
}

/* Can hub_clock_correct_new write anything in seq [lo, hi]? Only where an
 * unsynchronised event of the range has a later synchronised event of its
 * boot (its anchor). When the batch holds every seq of the range (the usual
 * case) the range's rows are the batch's (a duplicate equals the row held),
 * so one index probe per boot, at its earliest unsynchronised boottime,
 * answers; a kiosk without NTP then costs no UPDATE per batch. Otherwise,
 * and for any doubt, *may = 1. Returns a HUB_DB_ code. */
static int anchor_possible(struct hub_ingest_ctx *c, int64_t lo, int64_t hi, int *may)
{
	const struct hub_batch *b = c->b;
	int64_t in = 0;

	*may = 1;
	for (int i = 0; i < b->n; i++)
		in += b->ev[i].seq >= lo && b->ev[i].seq <= hi;
	if (in != hi - lo + 1)
		return HUB_DB_OK;
	for (int i = 0; i < b->n; i++) {
		const struct hub_event *e = &b->ev[i];
		int64_t min_ns = e->boottime_ns, found = 0;
		int seen = 0, rc;

		if (e->clock_synced || e->seq < lo || e->seq > hi)
			continue;
		for (int j = 0; j < i && !seen; j++)
			seen = !b->ev[j].clock_synced && b->ev[j].seq >= lo &&
			    strcmp(b->ev[j].boot_id, e->boot_id) == 0;
		if (seen)
			continue;                    /* this boot is probed already */
		for (int j = i + 1; j < b->n; j++)
			if (!b->ev[j].clock_synced && b->ev[j].seq <= hi &&
			    b->ev[j].boottime_ns < min_ns && strcmp(b->ev[j].boot_id, e->boot_id) == 0)
				min_ns = b->ev[j].boottime_ns;
		rc = hub_db_int(c->db, "SELECT 1 FROM events WHERE device_id = $1 AND boot_id = $2"
		    " AND clock_synced = 1 AND boottime_ns > $3 LIMIT 1", 3,
		    (struct hub_param[]){ HP_S(c->dev->id), HP_S(e->boot_id), HP_I(min_ns) }, &found);
		if (rc < 0)
			return rc;
		if (rc == 1)
			return HUB_DB_OK;                /* an anchor is held: *may stays 1 */
	}
	*may = 0;
	return HUB_DB_OK;
}

/* Clock correction (clockfix.h): per boot that got new synchronised events,
 * re-anchor the range they can change; then the batch's own unsynchronised
 * events that an anchor held already corrects. */
static int correct_boots(struct hub_ingest_ctx *c)
{
	const struct hub_batch *b = c->b;
	int64_t lo = -1, hi = -1, touched;
	int rc, may;

	for (int i = 0; i < b->n; i++) {
		int64_t first = -1, last = -1;
		int seen = 0;

		if (!c->stored[i])
			continue;
		if (!b->ev[i].clock_synced) {
			if (lo < 0)
				lo = b->ev[i].seq;
			hi = b->ev[i].seq;
			continue;
		}
		for (int j = 0; j < i && !seen; j++)
			seen = c->stored[j] && b->ev[j].clock_synced &&
			    strcmp(b->ev[j].boot_id, b->ev[i].boot_id) == 0;
		if (seen)
			continue;
		for (int j = i; j < b->n; j++) {
			const struct hub_event *e = &b->ev[j];

			if (!c->stored[j] || !e->clock_synced || strcmp(e->boot_id, b->ev[i].boot_id) != 0)
				continue;
			if (first < 0 || e->boottime_ns < first)
				first = e->boottime_ns;
			if (e->boottime_ns > last)
				last = e->boottime_ns;
		}
		touched = 0;
		rc = hub_clock_reanchor(c->db, c->dev->id, b->ev[i].boot_id, first, last, &touched);
		if (rc != HUB_DB_OK)
			return rc;
		c->res->clock_rows += touched;
	}
	if (lo < 0)
		return HUB_DB_OK;
	rc = anchor_possible(c, lo, hi, &may);
	if (rc != HUB_DB_OK || !may)
		return rc;
	touched = 0;
	rc = hub_clock_correct_new(c->db, c->dev->id, lo, hi, &touched);
	c->res->clock_rows += touched;
	return rc;
}

/* The rows the correction moved get their day and meaning again (reeval.h). */
static int reeval_moved(struct hub_ingest_ctx *c)
{
	int64_t rows = 0;
	int rc;

	if (c->res->clock_rows == 0)
		return HUB_DB_OK;
	rc = hub_reeval_due(c->db, c->dev->id, c->dev->org_id, c->dev->location_id, c->zone,
	    &rows);
	c->res->reeval_rows += rows;
	return rc;
}

/* The slow path of acked_seq, after a gap: scan the held seqs from *acked. */
static int scan_acked(struct hub_db *db, const char *device_id, int64_t *acked)
{
	for (;;) {
		struct hub_res *r = NULL;
		int rc, n = 0, gap = 0;

		rc = hub_db_query(db, "SELECT seq FROM events WHERE device_id = $1 AND seq > $2"
		    " ORDER BY seq LIMIT $3", 3,
		    (struct hub_param[]){ HP_S(device_id), HP_I(*acked), HP_I(HUB_ACK_SCAN) }, 0, &r);
		if (rc != HUB_DB_OK)
			return rc;
		while (!gap && (rc = hub_res_next(r)) == 1) {
			if (hub_res_int(r, 0) == *acked + 1) {
				(*acked)++;
				n++;
			} else {
				gap = 1;
			}
		}
		hub_res_free(r);
		if (rc < 0)
			return rc;
		if (gap || n < HUB_ACK_SCAN)
			return HUB_DB_OK;
	}
}

/* acked_seq after the batch (every event of which is now held). devices
 * keeps acked_seq and max_seq (the highest seq held), both written under the
 * device lock in every batch's transaction: a batch that continues at
 * acked + 1 without holes moves acked to its last seq, and only if seqs
 * above that are held (events that came after a gap) is the table scanned. */
static int compute_acked(struct hub_ingest_ctx *c, int64_t *acked, int64_t *max_seq)
{
	const struct hub_batch *b = c->b;

	if (b->n == 0)
		return HUB_DB_OK;
	if (b->ev[b->n - 1].seq > *max_seq)
		*max_seq = b->ev[b->n - 1].seq;
	if (b->ev[0].seq <= *acked + 1 && b->ev[b->n - 1].seq - b->ev[0].seq + 1 == b->n &&
	    b->ev[b->n - 1].seq > *acked)
		*acked = b->ev[b->n - 1].seq;
	if (*max_seq <= *acked)
		return HUB_DB_OK;
	c->res->ack_scans++;
	return scan_acked(c->db, c->dev->id, acked);
}

static int attempt(struct hub_ingest_ctx *c, const char *idem_key)
{
	struct hub_db *db = c->db;
	const struct hub_batch *b = c->b;
	struct hub_ingest_result *res = c->res;
	struct hub_res *r = NULL;
	int64_t now = hub_now_ms(), acked = 0, max_seq = 0;
	char iso[HUB_ISO_MAX];
	int rc, active = 0, n;

	res->stored = res->duplicates = 0;
	res->clock_rows = res->ack_scans = 0;
	res->reeval_rows = 0;
	c->zone = NULL;
	memset(c->stored, 0, (size_t)(b->n > 0 ? b->n : 1));
	memset(c->anon, 0, (size_t)(b->n > 0 ? b->n : 1));
	rc = hub_db_begin(db, 1);
	if (rc != HUB_DB_OK)
		return rc;
	rc = hub_db_query(db, hub_db_kind(db) == HUB_DB_PG ?
	    "SELECT d.acked_seq, d.status, d.max_seq, COALESCE(l.timezone, '') FROM devices d"
	    " LEFT JOIN locations l ON l.id = d.location_id WHERE d.id = $1 FOR UPDATE OF d" :
	    "SELECT d.acked_seq, d.status, d.max_seq, COALESCE(l.timezone, '') FROM devices d"
	    " LEFT JOIN locations l ON l.id = d.location_id WHERE d.id = $1", 1,
	    (struct hub_param[]){ HP_S(c->dev->id) }, 0, &r);
	if (rc != HUB_DB_OK)
		return rc;
	if ((rc = hub_res_next(r)) == 1) {
		const char *tz = hub_res_text(r, 3);

		acked = hub_res_int(r, 0);
		active = strcmp(hub_res_text(r, 1), "active") == 0;
		max_seq = hub_res_int(r, 2);
		/* "" or a zone tzdata lacks: the default zone, as the exports do */
		c->zone = tz[0] != '\0' ? hub_tz_get(tz) : NULL;
		if (c->zone == NULL)
			c->zone = hub_tz_get(NULL);
		while ((rc = hub_res_next(r)) == 1)
			;
	}
	hub_res_free(r);
	if (rc < 0)
		return rc;
	if (!active)
		return hub_ingest_fail(res, 401, "unknown or revoked device token");
	rc = hub_ingest_check_refs(c);
	if (rc != 0)
		return rc;
	rc = hub_ingest_insert(c, now);
	if (rc != 0)
		return rc;
	rc = correct_boots(c);
	if (rc == HUB_DB_OK)
		rc = reeval_moved(c);
	for (int i = 0; rc == HUB_DB_OK && i < b->n; i++) {
		const struct hub_event *e = &b->ev[i];

		if (!c->stored[i] || c->anon[i])
			continue;
		if (strcmp(e->kind, "credential_enrolled") == 0)
			rc = apply_credential(c, e);
		else if (strcmp(e->kind, "check_out") == 0)
			rc = link_check_out(c, e);
		else if (e->reg != NULL)
			rc = apply_registration(c, e, now);
	}
	if (rc != HUB_DB_OK)
		return rc;
	rc = compute_acked(c, &acked, &max_seq);
	if (rc != HUB_DB_OK)
		return rc;
	rc = hub_db_exec(db, "UPDATE devices SET acked_seq = $1, max_seq = $2, last_seen_ms = $3"
	    " WHERE id = $4", 4,
	    (struct hub_param[]){ HP_I(acked), HP_I(max_seq), HP_I(now), HP_S(c->dev->id) }, NULL);
	if (rc != HUB_DB_OK)
		return rc;
	res->acked_seq = acked;
	hub_iso_ms(now, iso);
	n = snprintf(res->body, sizeof(res->body), "{\"acked_seq\":%lld,\"stored\":%d,"
	    "\"duplicates\":%d,\"server_time\":\"%s\"}", (long long)acked, res->stored,
	    res->duplicates, iso);
	if (n < 0 || (size_t)n >= sizeof(res->body))
		return HUB_DB_ERROR;
	if (idem_key != NULL) {
		rc = hub_db_exec(db, "UPDATE idem_keys SET state = 'done', status = 200, response = $1"
		    " WHERE device_id = $2 AND key = $3", 3,
		    (struct hub_param[]){ HP_S(res->body), HP_S(c->dev->id), HP_S(idem_key) }, NULL);
		if (rc != HUB_DB_OK)
			return rc;
	}
	rc = hub_db_commit(db);
	if (rc != HUB_DB_OK)
		return rc;
	res->status = 200;
	return 0;
}

int hub_ingest(struct hub_db *db, const struct hub_device *dev,
    const struct hub_batch *b, const char *idem_key, struct hub_ingest_result *res)
{
	struct hub_ingest_ctx c = { .db = db, .dev = dev, .b = b, .res = res };
	size_t n = (size_t)(b->n > 0 ? b->n : 1);
	int rc = HUB_DB_ERROR;

	memset(res, 0, sizeof(*res));
	c.anon = calloc(n, 1);
	c.stored = calloc(n, 1);
	if (c.anon == NULL || c.stored == NULL)
		goto out;
	for (int tries = 0; tries < HUB_DB_RETRIES; tries++) {
		rc = attempt(&c, idem_key);
		if (rc == 0)
			goto out;
		hub_db_rollback(db);
		if (rc > 0)      /* a 401/403/409 decided inside */
			goto out;
		if (rc != HUB_DB_RETRY)
			break;
		{
			struct timespec ts = { 0, (long)(5 + randombytes_uniform(20 << tries)) * 1000000L };

			if (ts.tv_nsec >= 1000000000L)
				ts.tv_nsec = 999999999L;
			nanosleep(&ts, NULL);
		}
	}
	res->status = rc == HUB_DB_UNAVAILABLE ? 503 : 500;
	snprintf(res->err, sizeof(res->err), "%s", rc == HUB_DB_UNAVAILABLE ?
	    "the database is unreachable" : "the hub failed; nothing was committed");
	fprintf(stderr, "presentie-hub: events of %s: %s\n", dev->id, hub_db_errmsg(db));
out:
	free(c.anon);
	free(c.stored);
	return res->status;
}

int hub_ingest_acked(struct hub_db *db, const char *device_id, int64_t *acked)
{
	int rc = hub_db_int(db, "SELECT acked_seq FROM devices WHERE id = $1", 1,
	    (struct hub_param[]){ HP_S(device_id) }, acked);

	return rc < 0 ? rc : HUB_DB_OK;
}
