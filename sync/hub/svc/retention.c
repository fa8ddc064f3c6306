/* retention.c — see retention.h. One organisation at a time: its events
 * are anonymised in batches of HUB_PURGE_BATCH rows, one transaction each
 * (a first purge of years of data must not hold SQLite's write lock for
 * long); everything else, the organisation's change counter (so Today's
 * ETag moves) and the audit row go in one last transaction. A dry run
 * counts the events and runs that last transaction without committing. */
#include "hub/svc/retention.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "hub/base/htime.h"
#include "hub/db/db.h"
#include "hub/svc/presencekey.h"
#include "hub/svc/audit.h"
#include "hub/svc/change.h"
#include "limits.h"

#define HUB_PURGE_DETAIL_MAX 384
#define HUB_PURGE_PAGE       64    /* organisations read per query */

/* Events still linked to a person (or carrying a card's MAC), older than $2.
 * The same anonymisation as an erasure (svc/admin.c). */
#define EVENTS_LINKED \
	" FROM events WHERE org_id = $1 AND t_ms < $2 AND (person_id IS NOT NULL" \
	" OR (kind = 'credential_enrolled' AND payload <> '{}'))"
static const char sql_events_count[] = "SELECT COUNT(*)" EVENTS_LINKED;
/* First every event of the people of the next page gets its anon_key
 * (svc/presencekey.h), then the page is anonymised: only rows whose key is set
 * (or that have no person), so a presence never splits over two pages. */
static const char sql_events_key[] =
	"UPDATE events SET anon_key = " HUB_ANON_KEY_SQL " WHERE org_id = $1 AND anon_key IS NULL"
	" AND person_id IN (SELECT k.person_id FROM (SELECT person_id" EVENTS_LINKED
	" AND person_id IS NOT NULL LIMIT $3) k)";
static const char sql_events_anon[] =
	"UPDATE events SET person_id = NULL, anonymised = 1,"
	" payload = CASE WHEN kind = 'credential_enrolled' THEN '{}' ELSE payload END"
	" WHERE id IN (SELECT id" EVENTS_LINKED " AND (person_id IS NULL OR anon_key IS NOT NULL) LIMIT $3)";

/* The rest, each with $1 = organisation, $2 = its bound. */
enum bound { B_KEEP, B_AUDIT, B_NOW, B_IDEM };
static const struct {
	const char *sql;
	enum bound bound;
	size_t off;   /* field of struct hub_purge_counts */
} deletes[] = {
	{ "DELETE FROM followup_marks WHERE org_id = $1 AND contacted_ms < $2", B_KEEP,
	  offsetof(struct hub_purge_counts, followups) },
	{ "DELETE FROM audit_log WHERE org_id = $1 AND at_ms < $2", B_AUDIT,
	  offsetof(struct hub_purge_counts, audit_rows) },
	{ "DELETE FROM coord_tokens WHERE org_id = $1 AND expires_ms < $2", B_NOW,
	  offsetof(struct hub_purge_counts, tokens) },
	{ "DELETE FROM dash_sessions WHERE org_id = $1 AND expires_ms < $2", B_NOW,
	  offsetof(struct hub_purge_counts, dash_sessions) },
	{ "DELETE FROM enrol_codes WHERE expires_ms < $2 AND device_id IN"
	  " (SELECT id FROM devices WHERE org_id = $1)", B_NOW,
	  offsetof(struct hub_purge_counts, enrol_codes) },
	{ "DELETE FROM card_links WHERE org_id = $1 AND expires_ms < $2", B_NOW,
	  offsetof(struct hub_purge_counts, card_links) },
	/* a newcomer's registration nobody decided on in time: the name goes
	 * from its event, then the row (decided rows hold no name; they go too) */
	{ "UPDATE events SET payload = '{}', anonymised = 1 WHERE org_id = $1"
	  " AND kind = 'person_registered' AND payload <> '{}' AND t_ms < $2", B_KEEP,
	  offsetof(struct hub_purge_counts, registrations) },
	{ "DELETE FROM registrations WHERE org_id = $1 AND received_ms < $2", B_KEEP,
	  offsetof(struct hub_purge_counts, registrations) },
	{ "DELETE FROM idem_keys WHERE created_ms < $2 AND device_id IN"
	  " (SELECT id FROM devices WHERE org_id = $1)", B_IDEM,
	  offsetof(struct hub_purge_counts, idem_keys) },
};

static const char sql_dormant[] =
	"SELECT COUNT(*) FROM people p WHERE p.org_id = $1 AND NOT EXISTS (SELECT 1 FROM events e"
	" WHERE e.org_id = p.org_id AND e.person_id = p.id AND e.t_ms >= $2)";

/* Anonymise the organisation's linked events older than bound, batch by
 * batch (dry run: count them). Returns HUB_DB_OK or an error code. */
static int purge_events(struct hub_db *db, const char *org, int64_t bound, int dry_run,
    int64_t *n)
{
	struct hub_param p[] = { HP_S(org), HP_I(bound), HP_I(HUB_PURGE_BATCH) };
	int rc = HUB_DB_OK;

	*n = 0;
	if (dry_run) {
		rc = hub_db_int(db, sql_events_count, 2, p, n);
		return rc < 0 ? rc : HUB_DB_OK;
	}
	for (;;) {
		int64_t done = 0;
		int tries;

		for (tries = 0; tries < HUB_DB_RETRIES; tries++) {
			rc = hub_db_begin(db, 1);
			if (rc == HUB_DB_OK)
				rc = hub_db_exec(db, sql_events_key, 3, p, NULL);
			if (rc == HUB_DB_OK)
				rc = hub_db_exec(db, sql_events_anon, 3, p, &done);
			if (rc == HUB_DB_OK)
				rc = hub_db_commit(db);
			if (rc == HUB_DB_OK)
				break;
			hub_db_rollback(db);
			if (rc != HUB_DB_RETRY)
				return rc;
		}
		if (rc != HUB_DB_OK)
			return rc;
		*n += done;
		if (done == 0)   /* a page may be short (rows waiting for their key) */
			return HUB_DB_OK;
	}
}

static int64_t total(const struct hub_purge_counts *n)
{
	return n->events_anonymised + n->followups + n->audit_rows + n->tokens + n->dash_sessions +
	    n->enrol_codes + n->card_links + n->idem_keys + n->registrations;
}

/* The last transaction of one organisation (see the file comment). */
static int purge_rest(struct hub_db *db, const char *org, int64_t days, int64_t now,
    int dry_run, struct hub_purge_counts *n)
{
	int64_t keep = now - days * HUB_DAY_MS;
	int64_t audit_days = days > HUB_AUDIT_KEEP_MIN_DAYS ? days : HUB_AUDIT_KEEP_MIN_DAYS;
	int64_t bounds[] = {
		[B_KEEP] = keep, [B_AUDIT] = now - audit_days * HUB_DAY_MS, [B_NOW] = now,
		[B_IDEM] = now - HUB_IDEM_KEEP_DAYS * HUB_DAY_MS,
	};
	char detail[HUB_PURGE_DETAIL_MAX];
	int rc = hub_db_begin(db, 1);

	for (size_t i = 0; rc == HUB_DB_OK && i < sizeof(deletes) / sizeof(deletes[0]); i++) {
		int64_t *out = (int64_t *)(void *)((char *)n + deletes[i].off), done = 0;

		if (i == 0 || deletes[i].off != deletes[i - 1].off)
			*out = 0;   /* rows sharing a counter add up */
		if (days == 0 && (deletes[i].bound == B_KEEP || deletes[i].bound == B_AUDIT))
			continue;   /* kept forever */
		rc = hub_db_exec(db, deletes[i].sql, 2, (struct hub_param[]){ HP_S(org),
		    HP_I(bounds[deletes[i].bound]) }, &done);
		*out += done;
	}
	n->people_without_activity = 0;
	if (rc == HUB_DB_OK && days > 0) {
		rc = hub_db_int(db, sql_dormant, 2, (struct hub_param[]){ HP_S(org), HP_I(keep) },
		    &n->people_without_activity);
		rc = rc < 0 ? rc : HUB_DB_OK;
	}
	if (rc != HUB_DB_OK || dry_run || total(n) == 0) {
		hub_db_rollback(db);
		return rc;
	}
	if (n->events_anonymised + n->followups > 0) {   /* Today's answer may change */
		int64_t chg;

		rc = hub_chg_next(db, org, &chg);
	}
	snprintf(detail, sizeof(detail), "retention_days=%lld events_anonymised=%lld"
	    " followups=%lld audit_rows=%lld tokens=%lld dash_sessions=%lld enrol_codes=%lld"
	    " card_links=%lld idem_keys=%lld people_without_activity=%lld registrations=%lld",
	    (long long)days,
	    (long long)n->events_anonymised, (long long)n->followups, (long long)n->audit_rows,
	    (long long)n->tokens, (long long)n->dash_sessions, (long long)n->enrol_codes,
	    (long long)n->card_links, (long long)n->idem_keys, (long long)n->people_without_activity,
	    (long long)n->registrations);
	if (rc == HUB_DB_OK)
		rc = hub_audit(db, &(struct hub_actor){ .org_id = org,
		    .coordinator_id = HUB_RETENTION_ACTOR, .email = HUB_RETENTION_ACTOR },
		    "retention.purge", "", detail);
	if (rc == HUB_DB_OK)
		rc = hub_db_commit(db);
	if (rc != HUB_DB_OK)
		hub_db_rollback(db);
	return rc;
}

static int purge_org(struct hub_db *db, const char *org, int64_t days, int64_t now,
    int dry_run, struct hub_purge_counts *n)
{
	int rc = HUB_DB_OK;

	memset(n, 0, sizeof(*n));
	if (days > 0)
		rc = purge_events(db, org, now - days * HUB_DAY_MS, dry_run, &n->events_anonymised);
	for (int tries = 0; rc == HUB_DB_OK && tries < HUB_DB_RETRIES; tries++) {
		int64_t ev = n->events_anonymised;

		rc = purge_rest(db, org, days, now, dry_run, n);
		n->events_anonymised = ev;
		if (rc != HUB_DB_RETRY)
			break;
		rc = HUB_DB_OK;
	}
	return rc;
}

int hub_retention_purge(struct hub_db *db, const char *org, int64_t now_ms, int dry_run,
    hub_purge_report_fn report, void *cls)
{
	char page[HUB_PURGE_PAGE][PR_ID_MAX], after[PR_ID_MAX] = "";
	int64_t days[HUB_PURGE_PAGE];
	struct hub_res *r = NULL;
	int rc, n, done = 0;

	/* The organisations in pages by id, so no unbounded list is held. */
	for (;;) {
		n = 0;
		rc = hub_db_query(db, "SELECT id, retention_days FROM organisations"
		    " WHERE (CAST($1 AS TEXT) = '' OR id = $1) AND id > $2 ORDER BY id LIMIT $3", 3,
		    (struct hub_param[]){ HP_S(org ? org : ""), HP_S(after), HP_I(HUB_PURGE_PAGE) },
		    0, &r);
		while (rc >= 0 && n < HUB_PURGE_PAGE && (rc = hub_res_next(r)) == 1) {
			snprintf(page[n], sizeof(page[n]), "%s", hub_res_text(r, 0));
			days[n] = hub_res_int(r, 1);
			if (days[n] < 0 || days[n] > HUB_RETENTION_DAYS_MAX)
				days[n] = 0;   /* out of range: keep (the CLI refuses such values) */
			n++;
		}
		hub_res_free(r);
		r = NULL;
		if (rc < 0)
			return rc;
		for (int i = 0; i < n; i++) {
			struct hub_purge_counts c;

			rc = purge_org(db, page[i], days[i], now_ms, dry_run, &c);
			if (rc != HUB_DB_OK)
				return rc;
			if (report != NULL)
				report(cls, page[i], days[i], &c);
			done++;
		}
		if (n < HUB_PURGE_PAGE || done >= HUB_PURGE_ORGS_MAX)
			return done;
		snprintf(after, sizeof(after), "%s", page[n - 1]);
	}
}

int hub_retention_claim(struct hub_db *db, int64_t now_ms)
{
	int64_t n = 0;
	int rc = hub_db_begin(db, 1);

	if (rc == HUB_DB_OK)
		rc = hub_db_exec(db, "UPDATE retention_runs SET last_ms = $1 WHERE id = 1"
		    " AND last_ms <= $2", 2, (struct hub_param[]){ HP_I(now_ms),
		    HP_I(now_ms - HUB_DAY_MS) }, &n);
	if (rc == HUB_DB_OK)
		rc = hub_db_commit(db);
	if (rc != HUB_DB_OK) {
		hub_db_rollback(db);
		return rc;
	}
	return n == 1;
}

int hub_retention_set_days(struct hub_db *db, const char *org, long days, char *err,
    size_t errlen)
{
	int64_t n = 0;
	int rc;

	if (org == NULL || org[0] == '\0' || strlen(org) >= PR_ID_MAX) {
		snprintf(err, errlen, "--id ORG is required");
		return -1;
	}
	if (days < 0 || days > HUB_RETENTION_DAYS_MAX) {
		snprintf(err, errlen, "--retention-days: 0 (keep forever) .. %d", HUB_RETENTION_DAYS_MAX);
		return -1;
	}
	rc = hub_db_exec(db, "UPDATE organisations SET retention_days = $1 WHERE id = $2", 2,
	    (struct hub_param[]){ HP_I(days), HP_S(org) }, &n);
	if (rc != HUB_DB_OK) {
		snprintf(err, errlen, "retention_days: %s", hub_db_errmsg(db));
		return -1;
	}
	if (n != 1) {
		snprintf(err, errlen, "organisation '%s' not found", org);
		return -1;
	}
	return 0;
}
