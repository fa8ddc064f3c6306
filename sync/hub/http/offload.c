/* offload.c — see offload.h. One mutex and condition guard a ring of
 * HUB_OFFLOAD_QUEUE_MAX jobs; reserved counts places taken (queued, about
 * to be posted, or running), so a post never finds the ring full. */
#include "hub/http/offload.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

struct job {
	hub_offload_fn fn;
	void *arg;
	int64_t queued_ms;
};

struct hub_offload {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t th[HUB_OFFLOAD_WORKERS_MAX];
	int nth;
	int stop;
	int reserved;
	int head, n;                 /* ring of queued jobs */
	struct job q[HUB_OFFLOAD_QUEUE_MAX];
};

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *work(void *arg)
{
	struct hub_offload *o = arg;

	pthread_mutex_lock(&o->mu);
	for (;;) {
		struct job j;
		int expired;

		while (o->n == 0 && !(o->stop && o->reserved == 0))
			pthread_cond_wait(&o->cv, &o->mu);
		if (o->n == 0)
			break;   /* stopping and nothing is left */
		j = o->q[o->head];
		o->head = (o->head + 1) % HUB_OFFLOAD_QUEUE_MAX;
		o->n--;
		expired = o->stop || mono_ms() - j.queued_ms > HUB_OFFLOAD_WAIT_MAX_MS;
		pthread_mutex_unlock(&o->mu);
		j.fn(j.arg, expired);
		pthread_mutex_lock(&o->mu);
		o->reserved--;
		if (o->stop)
			pthread_cond_broadcast(&o->cv);
	}
	pthread_mutex_unlock(&o->mu);
	return NULL;
}

struct hub_offload *hub_offload_new(void)
{
	struct hub_offload *o = calloc(1, sizeof(*o));
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int want = cores < 1 ? 1 : cores > HUB_OFFLOAD_WORKERS_MAX ? HUB_OFFLOAD_WORKERS_MAX : (int)cores;

	if (o == NULL)
		return NULL;
	pthread_mutex_init(&o->mu, NULL);
	pthread_cond_init(&o->cv, NULL);
	for (o->nth = 0; o->nth < want; o->nth++)
		if (pthread_create(&o->th[o->nth], NULL, work, o) != 0)
			break;
	if (o->nth == 0) {
		hub_offload_free(o);
		return NULL;
	}
	return o;
}

int hub_offload_reserve(struct hub_offload *o)
{
	int rc = -1;

	pthread_mutex_lock(&o->mu);
	if (!o->stop && o->reserved < HUB_OFFLOAD_QUEUE_MAX) {
		o->reserved++;
		rc = 0;
	}
	pthread_mutex_unlock(&o->mu);
	return rc;
}

void hub_offload_post(struct hub_offload *o, hub_offload_fn fn, void *arg)
{
	pthread_mutex_lock(&o->mu);
	o->q[(o->head + o->n) % HUB_OFFLOAD_QUEUE_MAX] = (struct job){ fn, arg, mono_ms() };
	o->n++;
	pthread_cond_signal(&o->cv);
	pthread_mutex_unlock(&o->mu);
}

void hub_offload_stop(struct hub_offload *o)
{
	if (o == NULL)
		return;
	pthread_mutex_lock(&o->mu);
	o->stop = 1;
	pthread_cond_broadcast(&o->cv);
	pthread_mutex_unlock(&o->mu);
	for (int i = 0; i < o->nth; i++)
		pthread_join(o->th[i], NULL);
	o->nth = 0;
}

void hub_offload_free(struct hub_offload *o)
{
	if (o == NULL)
		return;
	hub_offload_stop(o);
	pthread_cond_destroy(&o->cv);
	pthread_mutex_destroy(&o->mu);
	free(o);
}

int hub_offload_workers(const struct hub_offload *o)
{
	return o->nth;
}
