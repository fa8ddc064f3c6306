/* retention_daily.c — serve's daily purge (retention.h): one thread that
 * wakes at start and then every HUB_RETENTION_CHECK_MS, claims the day in
 * the database (one hub process of several wins) and purges every
 * organisation with a connection from the pool, logging what it did.
 * Must not: hold a pooled connection while it sleeps. */
#include "hub/svc/retention.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "hub/base/htime.h"
#include "hub/db/db.h"

#define HUB_RETENTION_POOL_WAIT_MS 5000

struct hub_retention_daily {
	struct hub_pool *pool;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;
};

static void log_report(void *cls, const char *org, int64_t days, const struct hub_purge_counts *n)
{
	int64_t expired = n->tokens + n->dash_sessions + n->enrol_codes + n->card_links;

	(void)cls;
	if (n->events_anonymised + n->followups + n->audit_rows + n->tokens + n->dash_sessions +
	    n->enrol_codes + n->card_links + n->idem_keys + n->registrations == 0)
		return;
	fprintf(stderr, "presentie-hub: purge %s (retention %lld days): %lld events anonymised,"
	    " %lld follow-up marks, %lld audit rows, %lld expired tokens/sessions/codes/links,"
	    " %lld idempotency keys, %lld newcomer registrations\n", org, (long long)days, (long long)n->events_anonymised,
	    (long long)n->followups, (long long)n->audit_rows,
	    (long long)expired,
	    (long long)n->idem_keys, (long long)n->registrations);
}

/* One check: claim the day, purge. Errors are logged; the next check
 * retries. The outcome of the first check is always logged (operators and
 * tests see that it ran), later ones only when they purged. */
static void run_once(struct hub_pool *pool, int first)
{
	struct hub_db *db = hub_pool_get(pool, HUB_RETENTION_POOL_WAIT_MS);
	int64_t now = hub_now_ms();
	int rc;

	if (db == NULL)
		return;
	rc = hub_retention_claim(db, now);
	if (rc == 1) {
		rc = hub_retention_purge(db, NULL, now, 0, log_report, NULL);
		if (rc >= 0)
			fprintf(stderr, "presentie-hub: daily purge: done (%d organisations)\n", rc);
	} else if (rc == 0 && first) {
		fprintf(stderr, "presentie-hub: daily purge: not due (ran within the last day)\n");
	}
	if (rc < 0)
		fprintf(stderr, "presentie-hub: daily purge: %s\n", hub_db_errmsg(db));
	hub_pool_put(pool, db, rc == HUB_DB_UNAVAILABLE);
}

static void *daily_main(void *arg)
{
	struct hub_retention_daily *d = arg;
	struct timespec until;
	int first = 1;

	pthread_mutex_lock(&d->mu);
	while (!d->stop) {
		pthread_mutex_unlock(&d->mu);
		run_once(d->pool, first);
		first = 0;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += (time_t)(HUB_RETENTION_CHECK_MS / 1000);
		pthread_mutex_lock(&d->mu);
		while (!d->stop && pthread_cond_timedwait(&d->cv, &d->mu, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&d->mu);
	return NULL;
}

struct hub_retention_daily *hub_retention_daily_start(struct hub_pool *pool)
{
	struct hub_retention_daily *d = calloc(1, sizeof(*d));
	pthread_condattr_t ca;

	if (d == NULL)
		return NULL;
	d->pool = pool;
	pthread_mutex_init(&d->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&d->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&d->th, NULL, daily_main, d) != 0) {
		pthread_cond_destroy(&d->cv);
		pthread_mutex_destroy(&d->mu);
		free(d);
		return NULL;
	}
	return d;
}

void hub_retention_daily_stop(struct hub_retention_daily *d)
{
	if (d == NULL)
		return;
	pthread_mutex_lock(&d->mu);
	d->stop = 1;
	pthread_cond_signal(&d->cv);
	pthread_mutex_unlock(&d->mu);
	pthread_join(d->th, NULL);
	pthread_cond_destroy(&d->cv);
	pthread_mutex_destroy(&d->mu);
	free(d);
}
