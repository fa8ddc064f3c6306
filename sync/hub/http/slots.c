/* slots.c — export slots (slots.h): a table of HUB_EXPORT_SLOTS_MAX
 * entries naming the organisation holding each, under one mutex, and a
 * connection pool of the same size that only exports use. A slot is
 * counted before its connection is taken, so the pool never makes a taker
 * wait. */
#include "hub/http/slots.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/db/db.h"
#include "limits.h"

struct hub_slots {
	pthread_mutex_t mu;
	struct hub_pool *pool;
	int max, per_org;
	int busy[HUB_EXPORT_SLOTS_MAX];
	char org[HUB_EXPORT_SLOTS_MAX][PR_ID_MAX];
};

struct hub_slots *hub_slots_new(const char *url, int max, int per_org, char *err, size_t errlen)
{
	struct hub_slots *s;

	if (max < 1 || max > HUB_EXPORT_SLOTS_MAX || per_org < 1 || per_org > max) {
		snprintf(err, errlen, "export slots: 1..%d, per organisation 1..slots", HUB_EXPORT_SLOTS_MAX);
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->pool = hub_pool_new(url, max, err, errlen);
	if (s->pool == NULL) {
		free(s);
		return NULL;
	}
	s->max = max;
	s->per_org = per_org;
	pthread_mutex_init(&s->mu, NULL);
	return s;
}

void hub_slots_free(struct hub_slots *s)
{
	if (s == NULL)
		return;
	hub_pool_free(s->pool);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

int hub_slot_take(struct hub_slots *s, const char *org, struct hub_slot *out)
{
	int mine = 0, used = 0, freei = -1;

	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&s->mu);
	for (int i = 0; i < s->max; i++) {
		if (!s->busy[i]) {
			if (freei < 0)
				freei = i;
			continue;
		}
		used++;
		if (strcmp(s->org[i], org) == 0)
			mine++;
	}
	if (mine >= s->per_org) {
		pthread_mutex_unlock(&s->mu);
		return HUB_SLOT_ORG_BUSY;
	}
	if (used >= s->max || freei < 0) {
		pthread_mutex_unlock(&s->mu);
		return HUB_SLOT_ALL_BUSY;
	}
	s->busy[freei] = 1;
	snprintf(s->org[freei], sizeof(s->org[freei]), "%s", org);
	pthread_mutex_unlock(&s->mu);
	out->db = hub_pool_get(s->pool, 0);
	if (out->db == NULL) {
		pthread_mutex_lock(&s->mu);
		s->busy[freei] = 0;
		pthread_mutex_unlock(&s->mu);
		return HUB_SLOT_NO_DB;
	}
	out->owner = s;
	out->i = freei;
	return HUB_SLOT_OK;
}

void hub_slot_give(struct hub_slot *sl, int broken)
{
	struct hub_slots *s = sl->owner;

	if (s == NULL)
		return;
	/* the connection first: a slot free in the table has its connection free */
	hub_pool_put(s->pool, sl->db, broken);
	pthread_mutex_lock(&s->mu);
	s->busy[sl->i] = 0;
	s->org[sl->i][0] = '\0';
	pthread_mutex_unlock(&s->mu);
	sl->owner = NULL;
	sl->db = NULL;
}

int hub_slots_used(struct hub_slots *s)
{
	int n = 0;

	pthread_mutex_lock(&s->mu);
	for (int i = 0; i < s->max; i++)
		n += s->busy[i];
	pthread_mutex_unlock(&s->mu);
	return n;
}
