/* test_hub_offload.c — the hub's password-check workers (http/offload.c):
 * the queue holds HUB_OFFLOAD_QUEUE_MAX jobs and refuses the next one at
 * once (no wait), a freed place can be taken again, and a stop with jobs
 * queued still runs every job exactly once (each is a suspended connection
 * that must be resumed) and refuses new ones. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "hub/http/offload.h"

#define WAIT_S 30   /* bound on waiting for the workers */

struct gate {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int open;
	int ran[HUB_OFFLOAD_QUEUE_MAX + 1];
	int total, expired;
};

static struct gate g = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, { 0 }, 0, 0 };

static void job(void *arg, int expired)
{
	int i = (int)(intptr_t)arg;

	pthread_mutex_lock(&g.mu);
	while (!g.open)
		pthread_cond_wait(&g.cv, &g.mu);
	g.ran[i]++;
	g.total++;
	g.expired += expired;
	pthread_cond_broadcast(&g.cv);
	pthread_mutex_unlock(&g.mu);
}

static void reset(int open)
{
	pthread_mutex_lock(&g.mu);
	g.open = open;
	for (int i = 0; i <= HUB_OFFLOAD_QUEUE_MAX; i++)
		g.ran[i] = 0;
	g.total = g.expired = 0;
	pthread_cond_broadcast(&g.cv);
	pthread_mutex_unlock(&g.mu);
}

static void open_gate(void)
{
	pthread_mutex_lock(&g.mu);
	g.open = 1;
	pthread_cond_broadcast(&g.cv);
	pthread_mutex_unlock(&g.mu);
}

/* Wait (bounded) until n jobs ran; returns the number that ran. */
static int wait_total(int n)
{
	struct timespec until;
	int got;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += WAIT_S;
	pthread_mutex_lock(&g.mu);
	while (g.total < n && pthread_cond_timedwait(&g.cv, &g.mu, &until) == 0)
		;
	got = g.total;
	pthread_mutex_unlock(&g.mu);
	return got;
}

static void test_queue_bound(void **state)
{
	struct hub_offload *o = hub_offload_new();

	(void)state;
	assert_non_null(o);
	assert_true(hub_offload_workers(o) >= 1 && hub_offload_workers(o) <= HUB_OFFLOAD_WORKERS_MAX);
	reset(0);
	for (int i = 0; i < HUB_OFFLOAD_QUEUE_MAX; i++) {
		assert_int_equal(hub_offload_reserve(o), 0);
		hub_offload_post(o, job, (void *)(intptr_t)i);
	}
	assert_int_equal(hub_offload_reserve(o), -1);   /* full: refused, not waited for */
	open_gate();
	assert_int_equal(wait_total(HUB_OFFLOAD_QUEUE_MAX), HUB_OFFLOAD_QUEUE_MAX);
	assert_int_equal(hub_offload_reserve(o), 0);    /* places free again */
	hub_offload_post(o, job, (void *)(intptr_t)HUB_OFFLOAD_QUEUE_MAX);
	assert_int_equal(wait_total(HUB_OFFLOAD_QUEUE_MAX + 1), HUB_OFFLOAD_QUEUE_MAX + 1);
	assert_int_equal(g.expired, 0);
	hub_offload_free(o);
	for (int i = 0; i <= HUB_OFFLOAD_QUEUE_MAX; i++)
		assert_int_equal(g.ran[i], 1);
}

static void *stopper(void *arg)
{
	hub_offload_stop(arg);
	return NULL;
}

static void test_stop_runs_every_job(void **state)
{
	struct hub_offload *o = hub_offload_new();
	pthread_t t;

	(void)state;
	assert_non_null(o);
	reset(0);
	for (int i = 0; i < HUB_OFFLOAD_QUEUE_MAX; i++) {
		assert_int_equal(hub_offload_reserve(o), 0);
		hub_offload_post(o, job, (void *)(intptr_t)i);
	}
	assert_int_equal(pthread_create(&t, NULL, stopper, o), 0);
	open_gate();
	assert_int_equal(pthread_join(t, NULL), 0);
	for (int i = 0; i < HUB_OFFLOAD_QUEUE_MAX; i++)
		assert_int_equal(g.ran[i], 1);
	assert_int_equal(hub_offload_reserve(o), -1);   /* stopped: refused */
	hub_offload_free(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queue_bound),
		cmocka_unit_test(test_stop_runs_every_job),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
