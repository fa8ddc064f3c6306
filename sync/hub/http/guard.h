/* guard.h — the connection guard of the hub's server: every connection is
 * known from accept to close (MHD_OPTION_NOTIFY_CONNECTION), so that an
 * address holds at most HUB_PER_ADDR_CONN_LIMIT connections (trusted
 * proxies are exempt) and a request arrives whole within
 * HUB_REQUEST_DEADLINE_S of the connection's start or of the previous
 * response's end; one sweeper thread shuts the socket of a connection past
 * its deadline (libmicrohttpd has only an idle timeout, which a trickle of
 * bytes keeps resetting). Must not: close a socket (libmicrohttpd does) or
 * touch one after its CLOSED notification. */
#ifndef PRESENTIE_HUB_GUARD_H
#define PRESENTIE_HUB_GUARD_H

#include <microhttpd.h>
#include <stddef.h>

#include "hub/http/http.h"

#define HUB_GUARD_SWEEP_MS 200   /* how often deadlines are checked */

struct hub_guard;

/* A guard for ctx's trusted proxies, with its sweeper thread running.
 * Returns NULL (out of memory, no thread). */
struct hub_guard *hub_guard_new(const struct hub_ctx *ctx);
/* Stop the sweeper and free. Call after MHD_stop_daemon (every connection
 * has then had its CLOSED notification). NULL is allowed. */
void hub_guard_free(struct hub_guard *g);

/* The MHD_OPTION_NOTIFY_CONNECTION callback (cls: the guard). STARTED
 * records the connection (its deadline running) and shuts it at once if
 * its address is over the limit; CLOSED forgets it. */
void hub_guard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
    enum MHD_ConnectionNotificationCode toe);
/* The request on c is complete and being answered: no deadline until the
 * response has ended. */
void hub_guard_request_in(struct hub_guard *g, struct MHD_Connection *c);
/* The response on c has ended (or was abandoned): the next request's
 * deadline starts now. */
void hub_guard_response_out(struct hub_guard *g, struct MHD_Connection *c);

/* Connections refused for their address and shut for their deadline so
 * far (for the log). */
void hub_guard_counts(struct hub_guard *g, long *refused, long *expired);

#endif
