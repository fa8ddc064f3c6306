/* ingest.c — see ingest.h. Concurrency: the device row is locked first
 * (SELECT ... FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE serialises
 * all writers), so two hub processes taking batches of one device take
 * turns and each sees the other's committed events when it computes
 * acked_seq. Inserts use ON CONFLICT DO NOTHING; serialisation failures and
 * unique races are retried a bounded number of times. */
#include "ingest.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>

#include "auth.h"
#include "change.h"
#include "clockfix.h"
#include "db.h"
#include "htime.h"

enum { REF_OK = 0, REF_ANON = 1 };

struct ctx {
	struct hub_db *db;
	const struct hub_device *dev;
	const struct hub_batch *b;
	struct hub_ingest_result *res;
	unsigned char *anon;        /* per event: person erased -> store anonymised */
	unsigned char *stored;      /* per event: newly stored in this attempt */
};

static int fail(struct hub_ingest_result *res, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Record a refusal decided inside the transaction; returns 1 (not a db code). */
static int fail(struct hub_ingest_result *res, int status, const char *fmt, ...)
{
	va_list ap;

	res->status = status;
	va_start(ap, fmt);
	if (vsnprintf(res->err, sizeof(res->err), fmt, ap) < 0)
		res->err[0] = '\0';
	va_end(ap);
	return 1;
}

/* Is session id at the device's location? 1 yes, 0 no, < 0 db error. */
static int session_ok(struct ctx *c, const char *sid)
{
	struct hub_res *r = NULL;
	int rc, ok = 0;

	rc = hub_db_query(c->db, "SELECT location_id FROM sessions WHERE org_id = $1 AND id = $2",
	    2, (struct hub_param[]){ HP_S(c->dev->org_id), HP_S(sid) }, 0, &r);
	if (rc != HUB_DB_OK)
		return rc;
	if ((rc = hub_res_next(r)) == 1)
		ok = strcmp(hub_res_text(r, 0), c->dev->location_id) == 0;
	while (rc == 1)
		rc = hub_res_next(r);
	hub_res_free(r);
	return rc < 0 ? rc : ok;
}

/* Person in the device's org: REF_OK, REF_ANON (erased), -10 (unknown), < 0 db. */
static int person_ref(struct ctx *c, const char *pid)
{
	int64_t v;
	int rc;

	rc = hub_db_int(c->db, "SELECT 1 FROM people WHERE org_id = $1 AND id = $2", 2,
	    (struct hub_param[]){ HP_S(c->dev->org_id), HP_S(pid) }, &v);
	if (rc != 0)
		return rc == 1 ? REF_OK : rc;
	rc = hub_db_int(c->db, "SELECT 1 FROM tombstones WHERE org_id = $1 AND person_id = $2", 2,
	    (struct hub_param[]){ HP_S(c->dev->org_id), HP_S(pid) }, &v);
	if (rc != 0)
		return rc == 1 ? REF_ANON : rc;
	return -10;
}

/* Check every session and person the batch names (each distinct id once). */
static int check_refs(struct ctx *c)
{
	const struct hub_batch *b = c->b;

	for (int i = 0; i < b->n; i++) {
		const struct hub_event *e = &b->ev[i];
		int seen = 0, rc;

		if (e->session_id[0] != '\0') {
			for (int j = 0; j < i && !seen; j++)
				seen = strcmp(b->ev[j].session_id, e->session_id) == 0;
			if (!seen) {
				rc = session_ok(c, e->session_id);
				if (rc < 0)
					return rc;
				if (rc == 0)
					return fail(c->res, 403, "events[%d].session_id: session '%s' is not at "
					    "this device's location", i, e->session_id);
			}
		}
		seen = -1;
		if (e->person_id[0] != '\0') {
			for (int j = 0; j < i && seen < 0; j++)
				if (strcmp(b->ev[j].person_id, e->person_id) == 0)
					seen = j;
			if (seen >= 0) {
				c->anon[i] = c->anon[seen];
			} else {
				rc = person_ref(c, e->person_id);
				if (rc == -10)
					return fail(c->res, 403, "events[%d].person_id: '%s' is not a person of "
					    "this device's organisation", i, e->person_id);
				if (rc < 0)
					return rc;
				c->anon[i] = rc == REF_ANON;
			}
		}
	}
	return 0;
}

static int same_text(const char *stored, const char *mine)
{
	/* never NULL (hub_res_text gives "" for NULL; ours are arrays), but
	 * HP_S's NULL test on the same arrays makes the analyzer think so */
	return stored != NULL && mine != NULL && strcmp(stored, mine) == 0;
}

/* An insert found an existing row: same content -> 0 (duplicate), other
 * content -> 1 (409 filled), < 0 db error. */
static int compare_existing(struct ctx *c, int i)
{
	const struct hub_event *e = &c->b->ev[i];
	struct hub_res *r = NULL;
	int rc, differs = 1;

	rc = hub_db_query(c->db, "SELECT device_id, seq, kind, COALESCE(person_id, ''),"
	    " COALESCE(session_id, ''), COALESCE(role, ''), wall_ms, boot_id, boottime_ns,"
	    " clock_synced, payload, anonymised, uuid FROM events"
	    " WHERE uuid = $1 OR (device_id = $2 AND seq = $3)", 3,
	    (struct hub_param[]){ HP_S(e->uuid), HP_S(c->dev->id), HP_I(e->seq) }, 0, &r);
	if (rc != HUB_DB_OK)
		return rc;
	while ((rc = hub_res_next(r)) == 1) {
		int anon = hub_res_int(r, 11) != 0;

		differs = !(same_text(hub_res_text(r, 0), c->dev->id) &&
		    hub_res_int(r, 1) == e->seq &&
		    same_text(hub_res_text(r, 2), e->kind) &&
		    (anon || same_text(hub_res_text(r, 3), e->person_id)) &&
		    same_text(hub_res_text(r, 4), e->session_id) &&
		    same_text(hub_res_text(r, 5), e->role) &&
		    hub_res_int(r, 6) == e->wall_ms &&
		    same_text(hub_res_text(r, 7), e->boot_id) &&
		    hub_res_int(r, 8) == e->boottime_ns &&
		    hub_res_int(r, 9) == e->clock_synced &&
		    (anon || same_text(hub_res_text(r, 10), e->payload)) &&
		    same_text(hub_res_text(r, 12), e->uuid));
		if (differs)
			break;
	}
	hub_res_free(r);
	if (rc < 0)
		return rc;
	if (differs) {
		c->res->status = 409;
		snprintf(c->res->err, sizeof(c->res->err), "events[%d]: uuid %s or seq %lld is "
		    "already stored with different content", i, e->uuid, (long long)e->seq);
		return 1;
	}
	return 0;
}

static int insert_one(struct ctx *c, int i, int64_t now)
{
	const struct hub_event *e = &c->b->ev[i];
	const char *person = (e->person_id[0] && !c->anon[i]) ? e->person_id : NULL;
	int64_t changes = 0;
	int rc;

	rc = hub_db_exec(c->db, "INSERT INTO events (uuid, device_id, seq, org_id, location_id,"
	    " kind, person_id, session_id, role, wall_ms, boot_id, boottime_ns, clock_synced,"
	    " payload, t_ms, correction, anonymised, received_ms) VALUES ($1, $2, $3, $4, $5,"
	    " $6, $7, $8, $9, $10, $11, $12, $13, $14, $10, $15, $16, $17) ON CONFLICT DO NOTHING",
	    17, (struct hub_param[]){ HP_S(e->uuid), HP_S(c->dev->id), HP_I(e->seq),
	    HP_S(c->dev->org_id), HP_S(c->dev->location_id), HP_S(e->kind), HP_S(person),
	    HP_S(e->session_id[0] ? e->session_id : NULL), HP_S(e->role[0] ? e->role : NULL),
	    HP_I(e->wall_ms), HP_S(e->boot_id), HP_I(e->boottime_ns), HP_I(e->clock_synced),
	    HP_S(e->payload), HP_S(e->clock_synced ? "no" : "uncorrectable"),
	    HP_I(c->anon[i] ? 1 : 0), HP_I(now) }, &changes);
	if (rc != HUB_DB_OK)
		return rc;
	if (changes == 1) {
		c->stored[i] = 1;
		c->res->stored++;
		return 0;
	}
	rc = compare_existing(c, i);
	if (rc == 0)
		c->res->duplicates++;
	return rc;
}

/* A card or PIN linked at a kiosk becomes an active credential. */
static int apply_credential(struct ctx *c, const struct hub_event *e)
{
	int64_t chg;
	int rc = hub_chg_next(c->db, &chg);

	if (rc != HUB_DB_OK)
		return rc;
	return hub_db_exec(c->db, "INSERT INTO credentials (org_id, mac, person_id, kind, active, chg)"
	    " VALUES ($1, $2, $3, $4, 1, $5) ON CONFLICT (org_id, mac) DO UPDATE SET"
	    " person_id = excluded.person_id, kind = excluded.kind, active = 1, chg = excluded.chg",
	    5, (struct hub_param[]){ HP_S(c->dev->org_id), HP_S(e->cred_mac), HP_S(e->person_id),
	    HP_S(e->cred_kind), HP_I(chg) }, NULL);
}

/* Link a check-out to its check-in (named in the payload, else the latest
 * open check-in of the same person and session). */
static int link_check_out(struct ctx *c, const struct hub_event *e)
{
	if (e->check_in_uuid[0] != '\0')
		return hub_db_exec(c->db, "UPDATE events SET out_uuid = $1 WHERE uuid = $2"
		    " AND org_id = $3 AND kind = 'check_in' AND out_uuid IS NULL", 3,
		    (struct hub_param[]){ HP_S(e->uuid), HP_S(e->check_in_uuid), HP_S(c->dev->org_id) },
		    NULL);
	return hub_db_exec(c->db, "UPDATE events SET out_uuid = $1 WHERE id = (SELECT i.id FROM"
	    " events i WHERE i.org_id = $2 AND i.person_id = $3 AND i.kind = 'check_in'"
	    " AND i.out_uuid IS NULL AND COALESCE(i.session_id, '') = $4"
	    " AND i.t_ms <= (SELECT o.t_ms FROM events o WHERE o.uuid = $1)"
	    " ORDER BY i.t_ms DESC LIMIT 1)", 4,
	    (struct hub_param[]){ HP_S(e->uuid), HP_S(c->dev->org_id), HP_S(e->person_id),
	    HP_S(e->session_id) }, NULL);
}

/* Clock correction for every boot that got new events. */
static int correct_boots(struct ctx *c)
{
	const struct hub_batch *b = c->b;

	for (int i = 0; i < b->n; i++) {
		int64_t anchor = -1;
		int first = 1, rc;

		if (!c->stored[i])
			continue;
		for (int j = 0; j < i && first; j++)
			if (c->stored[j] && strcmp(b->ev[j].boot_id, b->ev[i].boot_id) == 0)
				first = 0;
		if (!first)
			continue;
		for (int j = i; j < b->n; j++)
			if (c->stored[j] && b->ev[j].clock_synced &&
			    strcmp(b->ev[j].boot_id, b->ev[i].boot_id) == 0 && b->ev[j].boottime_ns > anchor)
				anchor = b->ev[j].boottime_ns;
		rc = hub_clock_correct(c->db, c->dev->id, b->ev[i].boot_id, anchor);
		if (rc != HUB_DB_OK)
			return rc;
	}
	return HUB_DB_OK;
}

static int compute_acked(struct hub_db *db, const char *device_id, int64_t *acked)
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

static int attempt(struct ctx *c, const char *idem_key)
{
	struct hub_db *db = c->db;
	const struct hub_batch *b = c->b;
	struct hub_ingest_result *res = c->res;
	struct hub_res *r = NULL;
	int64_t now = hub_now_ms(), acked = 0;
	char iso[HUB_ISO_MAX];
	int rc, active = 0, n;

	res->stored = res->duplicates = 0;
	memset(c->stored, 0, (size_t)(b->n > 0 ? b->n : 1));
	memset(c->anon, 0, (size_t)(b->n > 0 ? b->n : 1));
	rc = hub_db_begin(db, 1);
	if (rc != HUB_DB_OK)
		return rc;
	rc = hub_db_query(db, hub_db_kind(db) == HUB_DB_PG ?
	    "SELECT acked_seq, status FROM devices WHERE id = $1 FOR UPDATE" :
	    "SELECT acked_seq, status FROM devices WHERE id = $1", 1,
	    (struct hub_param[]){ HP_S(c->dev->id) }, 0, &r);
	if (rc != HUB_DB_OK)
		return rc;
	if ((rc = hub_res_next(r)) == 1) {
		acked = hub_res_int(r, 0);
		active = strcmp(hub_res_text(r, 1), "active") == 0;
		while ((rc = hub_res_next(r)) == 1)
			;
	}
	hub_res_free(r);
	if (rc < 0)
		return rc;
	if (!active) {
		res->status = 401;
		snprintf(res->err, sizeof(res->err), "unknown or revoked device token");
		return 1;
	}
	rc = check_refs(c);
	if (rc != 0)
		return rc;
	for (int i = 0; i < b->n; i++) {
		rc = insert_one(c, i, now);
		if (rc != 0)
			return rc;
	}
	rc = correct_boots(c);
	for (int i = 0; rc == HUB_DB_OK && i < b->n; i++) {
		const struct hub_event *e = &b->ev[i];

		if (!c->stored[i] || c->anon[i])
			continue;
		if (strcmp(e->kind, "credential_enrolled") == 0)
			rc = apply_credential(c, e);
		else if (strcmp(e->kind, "check_out") == 0)
			rc = link_check_out(c, e);
	}
	if (rc != HUB_DB_OK)
		return rc;
	rc = compute_acked(db, c->dev->id, &acked);
	if (rc != HUB_DB_OK)
		return rc;
	rc = hub_db_exec(db, "UPDATE devices SET acked_seq = $1, last_seen_ms = $2 WHERE id = $3", 3,
	    (struct hub_param[]){ HP_I(acked), HP_I(now), HP_S(c->dev->id) }, NULL);
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
	struct ctx c = { .db = db, .dev = dev, .b = b, .res = res };
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
