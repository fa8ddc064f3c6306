/* client.h — who the client of a connection is: numeric addresses, the
 * operator's list of trusted proxies (--trusted-proxy), and the client
 * address of a request: the peer, or, when the peer is a trusted proxy, the
 * right-most X-Forwarded-For address that is not a trusted proxy.
 * Must not: believe X-Forwarded-For from a peer that is not a trusted proxy. */
#ifndef PRESENTIE_HUB_CLIENT_H
#define PRESENTIE_HUB_CLIENT_H

#include <stddef.h>
#include <sys/socket.h>

#include "hub/http/http.h"

struct MHD_Connection;

/* Parse a numeric IPv4 or IPv6 address (no brackets, no port). Returns 0
 * with *out, or -1 (not an address). */
int hub_addr_parse(const char *s, struct hub_addr *out);
/* The address of sa (AF_INET or AF_INET6; IPv4-mapped IPv6 becomes IPv4).
 * Returns 0, or -1 for another family or NULL. */
int hub_addr_from_sa(const struct sockaddr *sa, struct hub_addr *out);
/* 1 if a and b are the same address. */
int hub_addr_eq(const struct hub_addr *a, const struct hub_addr *b);
/* a as text into out (n >= HUB_IP_MAX); "?" if it cannot be written. */
void hub_addr_str(const struct hub_addr *a, char *out, size_t n);

/* Parse "ADDR[,ADDR...]" into ctx->trusted (replacing it). Returns 0, or
 * -1 with err filled (ctx->ntrusted is then 0). */
int hub_trusted_parse(const char *list, struct hub_ctx *ctx, char *err, size_t errlen);
/* 1 if a is one of ctx's trusted proxies. */
int hub_addr_trusted(const struct hub_ctx *ctx, const struct hub_addr *a);

/* The client in an X-Forwarded-For value (several headers joined with
 * ","): the right-most address that is not one of ctx's trusted proxies,
 * or the left-most if all are. Returns 0 with *out, or -1 if the value is
 * empty, longer than HUB_XFF_MAX, or any element is not a numeric address
 * (the caller then uses the peer). */
int hub_xff_client(const struct hub_ctx *ctx, const char *xff, struct hub_addr *out);

/* The client address of the request on c as text into out (n bytes): see
 * the header comment. A missing, over-long or malformed X-Forwarded-For
 * (any element not a numeric address) gives the peer. */
void hub_client_ip(struct MHD_Connection *c, const struct hub_ctx *ctx, char *out, size_t n);

#endif
