/* retention.h — the purge behind `presentie-hub purge` and serve's daily
 * run: per organisation, with its retention_days N (0 = keep forever),
 * events older than N days lose their person link exactly as an erasure
 * anonymises them (the rows and their counts stay), follow-up marks older
 * than N days go, audit rows older than max(N, HUB_AUDIT_KEEP_MIN_DAYS)
 * go; whatever N, expired coordinator tokens, dashboard sessions,
 * enrolment codes, card links and idempotency keys older than
 * HUB_IDEM_KEEP_DAYS go. People are never deleted here (erasure is a
 * coordinator's act); those without activity for N days are counted.
 * Every purge that removed anything writes one audit row per organisation
 * (coordinator "system"). Running it twice, or in two processes at once,
 * changes nothing the second time. docs/SECURITY.md has the rule.
 * Must not: delete events or master data, or touch another organisation. */
#ifndef PRESENTIE_HUB_RETENTION_H
#define PRESENTIE_HUB_RETENTION_H

#include <stddef.h>
#include <stdint.h>

#define HUB_RETENTION_DAYS_MAX   36500   /* 100 years: the largest retention_days */
#define HUB_AUDIT_KEEP_MIN_DAYS  365     /* audit rows outlive a shorter retention */
#define HUB_IDEM_KEEP_DAYS       7       /* Idempotency-Key answers kept */
#define HUB_PURGE_BATCH          5000    /* events anonymised per transaction */
#define HUB_PURGE_ORGS_MAX       10000   /* organisations one purge visits */
#define HUB_RETENTION_ACTOR      "system"

struct hub_db;
struct hub_pool;

/* What one purge did (or, dry run, would do) to one organisation. */
struct hub_purge_counts {
	int64_t events_anonymised, followups, audit_rows;
	int64_t tokens, dash_sessions, enrol_codes, card_links, idem_keys;
	int64_t people_without_activity;   /* counted, not deleted */
	int64_t registrations;             /* newcomers' registrations (migration 9) deleted */
};

/* Called once per organisation purged; days is its retention_days. */
typedef void (*hub_purge_report_fn)(void *cls, const char *org, int64_t days,
    const struct hub_purge_counts *n);

/* Purge org (NULL = every organisation) as of now_ms; dry_run counts only.
 * report (may be NULL) hears each organisation. Returns the number of
 * organisations visited (0: org unknown), or a db error code (< 0);
 * organisations finished before an error stay purged. */
int hub_retention_purge(struct hub_db *db, const char *org, int64_t now_ms, int dry_run,
    hub_purge_report_fn report, void *cls);

/* Claim the daily run: 1 if this caller should purge now (no run in the
 * last day; recorded), 0 if another process did, or a db error code. */
int hub_retention_claim(struct hub_db *db, int64_t now_ms);

/* Set retention_days of org (0..HUB_RETENTION_DAYS_MAX). Returns 0, or -1
 * with err (unknown organisation, bad value, db error). */
int hub_retention_set_days(struct hub_db *db, const char *org, long days, char *err,
    size_t errlen);

/* serve's daily purge: a thread that checks every HUB_RETENTION_CHECK_MS
 * (first check at start), claims the day and purges every organisation
 * with a pooled connection. NULL if the thread could not start. */
#define HUB_RETENTION_CHECK_MS  (3600LL * 1000)
struct hub_retention_daily;
struct hub_retention_daily *hub_retention_daily_start(struct hub_pool *pool);
/* Stop and join the thread (waits for a purge under way); NULL is a no-op. */
void hub_retention_daily_stop(struct hub_retention_daily *d);

#endif
