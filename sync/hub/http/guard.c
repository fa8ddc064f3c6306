/* guard.c — see guard.h. One mutex guards the list of connections; the
 * CLOSED notification takes it before it unlinks a record, and libmicrohttpd
 * sends CLOSED before it closes the socket (daemon.c: notify_connection,
 * then MHD_socket_close_chk_), so the sweeper's shutdown() never reaches a
 * descriptor that was closed and reused. */
#include "hub/http/guard.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "hub/http/client.h"

struct gconn {
	struct gconn *prev, *next;
	int fd;
	struct hub_addr addr;
	int counted;             /* counts against its address's limit */
	int shut;                /* shut down already (refused or expired) */
	int64_t deadline_ms;     /* monotonic; 0 = none (a request is being answered) */
};

struct hub_guard {
	const struct hub_ctx *ctx;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t sweeper;
	int stop;
	struct gconn *head;
	long refused, expired;
};

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *sweep(void *arg)
{
	struct hub_guard *g = arg;

	pthread_mutex_lock(&g->mu);
	while (!g->stop) {
		struct timespec until;
		int64_t now = mono_ms();

		for (struct gconn *k = g->head; k != NULL; k = k->next)
			if (!k->shut && k->deadline_ms != 0 && now >= k->deadline_ms) {
				/* libmicrohttpd sees the end of the stream and closes it */
				(void)shutdown(k->fd, SHUT_RDWR);
				k->shut = 1;
				g->expired++;
			}
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += HUB_GUARD_SWEEP_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		(void)pthread_cond_timedwait(&g->cv, &g->mu, &until);
	}
	pthread_mutex_unlock(&g->mu);
	return NULL;
}

struct hub_guard *hub_guard_new(const struct hub_ctx *ctx)
{
	struct hub_guard *g = calloc(1, sizeof(*g));
	pthread_condattr_t ca;

	if (g == NULL)
		return NULL;
	g->ctx = ctx;
	pthread_mutex_init(&g->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&g->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&g->sweeper, NULL, sweep, g) != 0) {
		pthread_cond_destroy(&g->cv);
		pthread_mutex_destroy(&g->mu);
		free(g);
		return NULL;
	}
	return g;
}

void hub_guard_free(struct hub_guard *g)
{
	if (g == NULL)
		return;
	pthread_mutex_lock(&g->mu);
	g->stop = 1;
	pthread_cond_signal(&g->cv);
	pthread_mutex_unlock(&g->mu);
	pthread_join(g->sweeper, NULL);
	while (g->head != NULL) {   /* none after MHD_stop_daemon; be safe */
		struct gconn *k = g->head;

		g->head = k->next;
		free(k);
	}
	pthread_cond_destroy(&g->cv);
	pthread_mutex_destroy(&g->mu);
	free(g);
}

/* 1 if the client of k has closed its side (its socket reads end of
 * stream): libmicrohttpd has not cleaned it up yet (a thread busy with a
 * request cleans up its closed connections only on its next round), so it
 * must not hold a place of its address. Called with g->mu held, so the
 * CLOSED notification, and with it the close of the socket, waits. */
static int gone(const struct gconn *k)
{
	char b;

	if (k->fd < 0 || k->shut)
		return 1;
	return recv(k->fd, &b, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
}

/* Connections of addr that count against its limit; past the limit the
 * ones whose client is already gone are not counted. */
static int same_addr(const struct hub_guard *g, const struct hub_addr *addr)
{
	int same = 0;

	for (const struct gconn *o = g->head; o != NULL; o = o->next)
		if (o->counted && hub_addr_eq(&o->addr, addr))
			same++;
	if (same < HUB_PER_ADDR_CONN_LIMIT)
		return same;
	same = 0;
	for (const struct gconn *o = g->head; o != NULL; o = o->next)
		if (o->counted && hub_addr_eq(&o->addr, addr) && !gone(o))
			same++;
	return same;
}

static void started(struct hub_guard *g, struct MHD_Connection *c, void **socket_context)
{
	const union MHD_ConnectionInfo *fd = MHD_get_connection_info(c,
	    MHD_CONNECTION_INFO_CONNECTION_FD);
	const union MHD_ConnectionInfo *ad = MHD_get_connection_info(c,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	struct gconn *k = calloc(1, sizeof(*k));
	int same = 0;

	*socket_context = k;
	if (k == NULL) {
		if (fd != NULL)   /* cannot guard it: do not keep it */
			(void)shutdown(fd->connect_fd, SHUT_RDWR);
		return;
	}
	k->fd = fd != NULL ? fd->connect_fd : -1;
	if (ad == NULL || hub_addr_from_sa(ad->client_addr, &k->addr) != 0)
		k->addr.family = 0;
	k->counted = k->addr.family != 0 && !hub_addr_trusted(g->ctx, &k->addr);
	k->deadline_ms = mono_ms() + HUB_REQUEST_DEADLINE_S * 1000LL;
	pthread_mutex_lock(&g->mu);
	if (k->counted)
		same = same_addr(g, &k->addr);
	if (same >= HUB_PER_ADDR_CONN_LIMIT || k->fd < 0) {
		k->counted = 0;   /* refused: does not hold a place of its address */
		k->shut = 1;
		if (k->fd >= 0)
			(void)shutdown(k->fd, SHUT_RDWR);
		g->refused++;
	}
	k->next = g->head;
	if (g->head != NULL)
		g->head->prev = k;
	g->head = k;
	pthread_mutex_unlock(&g->mu);
}

void hub_guard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
    enum MHD_ConnectionNotificationCode toe)
{
	struct hub_guard *g = cls;
	struct gconn *k = *socket_context;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		started(g, c, socket_context);
		return;
	}
	if (k == NULL)
		return;
	pthread_mutex_lock(&g->mu);
	if (k->prev != NULL)
		k->prev->next = k->next;
	else
		g->head = k->next;
	if (k->next != NULL)
		k->next->prev = k->prev;
	pthread_mutex_unlock(&g->mu);
	free(k);
	*socket_context = NULL;
}

/* The record of c, or NULL. */
static struct gconn *rec(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c,
	    MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci != NULL ? ci->socket_context : NULL;
}

void hub_guard_request_in(struct hub_guard *g, struct MHD_Connection *c)
{
	struct gconn *k = rec(c);

	if (k == NULL)
		return;
	pthread_mutex_lock(&g->mu);
	k->deadline_ms = 0;
	pthread_mutex_unlock(&g->mu);
}

void hub_guard_response_out(struct hub_guard *g, struct MHD_Connection *c)
{
	struct gconn *k = rec(c);

	if (k == NULL)
		return;
	pthread_mutex_lock(&g->mu);
	k->deadline_ms = mono_ms() + HUB_REQUEST_DEADLINE_S * 1000LL;
	pthread_mutex_unlock(&g->mu);
}

void hub_guard_counts(struct hub_guard *g, long *refused, long *expired)
{
	pthread_mutex_lock(&g->mu);
	*refused = g->refused;
	*expired = g->expired;
	pthread_mutex_unlock(&g->mu);
}
