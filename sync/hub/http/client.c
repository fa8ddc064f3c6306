/* client.c — client addresses and X-Forwarded-For from trusted proxies
 * (client.h). Every header element is checked with inet_pton; nothing of
 * the header reaches the rest of the hub but a re-printed address. */
#include "hub/http/client.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

int hub_addr_parse(const char *s, struct hub_addr *out)
{
	struct in6_addr a6;

	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, s, out->a) == 1) {
		out->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &a6) != 1)
		return -1;
	if (IN6_IS_ADDR_V4MAPPED(&a6)) {
		out->family = AF_INET;
		memcpy(out->a, a6.s6_addr + 12, 4);
	} else {
		out->family = AF_INET6;
		memcpy(out->a, a6.s6_addr, 16);
	}
	return 0;
}

int hub_addr_from_sa(const struct sockaddr *sa, struct hub_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (sa == NULL)
		return -1;
	if (sa->sa_family == AF_INET) {
		out->family = AF_INET;
		memcpy(out->a, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a6 = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;

		if (IN6_IS_ADDR_V4MAPPED(a6)) {
			out->family = AF_INET;
			memcpy(out->a, a6->s6_addr + 12, 4);
		} else {
			out->family = AF_INET6;
			memcpy(out->a, a6->s6_addr, 16);
		}
		return 0;
	}
	return -1;
}

int hub_addr_eq(const struct hub_addr *a, const struct hub_addr *b)
{
	return a->family == b->family &&
	    memcmp(a->a, b->a, a->family == AF_INET ? 4 : 16) == 0;
}

void hub_addr_str(const struct hub_addr *a, char *out, size_t n)
{
	if (a->family == 0 || inet_ntop(a->family, a->a, out, (socklen_t)n) == NULL)
		snprintf(out, n, "?");
}

int hub_trusted_parse(const char *list, struct hub_ctx *ctx, char *err, size_t errlen)
{
	const char *p = list;

	ctx->ntrusted = 0;
	if (list == NULL || list[0] == '\0')
		return 0;
	while (p != NULL) {   /* an element after every comma, none empty */
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char one[HUB_IP_MAX];

		if (len == 0 || len >= sizeof(one) || ctx->ntrusted >= HUB_TRUSTED_PROXIES_MAX) {
			snprintf(err, errlen, "--trusted-proxy: up to %d numeric addresses, comma-separated",
			    HUB_TRUSTED_PROXIES_MAX);
			ctx->ntrusted = 0;
			return -1;
		}
		memcpy(one, p, len);
		one[len] = '\0';
		if (hub_addr_parse(one, &ctx->trusted[ctx->ntrusted]) != 0) {
			snprintf(err, errlen, "--trusted-proxy: '%s' is not a numeric IP address", one);
			ctx->ntrusted = 0;
			return -1;
		}
		ctx->ntrusted++;
		p = comma ? comma + 1 : NULL;
	}
	return 0;
}

int hub_addr_trusted(const struct hub_ctx *ctx, const struct hub_addr *a)
{
	for (int i = 0; i < ctx->ntrusted; i++)
		if (hub_addr_eq(&ctx->trusted[i], a))
			return 1;
	return 0;
}

/* Every X-Forwarded-For header of the request, joined with ",". */
struct xff {
	char buf[HUB_XFF_MAX];
	size_t len;
	int bad;                 /* too long, or a NUL inside */
};

static enum MHD_Result xff_collect(void *cls, enum MHD_ValueKind kind, const char *key,
    size_t key_size, const char *value, size_t value_size)
{
	struct xff *x = cls;

	(void)kind;
	(void)key_size;
	if (strcasecmp(key, "X-Forwarded-For") != 0)
		return MHD_YES;
	if (value == NULL || strlen(value) != value_size ||
	    x->len + value_size + 2 > sizeof(x->buf)) {
		x->bad = 1;
		return MHD_NO;
	}
	if (x->len > 0)
		x->buf[x->len++] = ',';
	memcpy(x->buf + x->len, value, value_size);
	x->len += value_size;
	x->buf[x->len] = '\0';
	return MHD_YES;
}

int hub_xff_client(const struct hub_ctx *ctx, const char *xff, struct hub_addr *out)
{
	size_t end = strlen(xff);

	if (end == 0 || end >= HUB_XFF_MAX)
		return -1;
	for (;;) {
		size_t start = end, b, e;
		char one[HUB_IP_MAX];
		struct hub_addr a;

		while (start > 0 && xff[start - 1] != ',')
			start--;
		b = start;
		e = end;
		while (b < e && (xff[b] == ' ' || xff[b] == '\t'))
			b++;
		while (e > b && (xff[e - 1] == ' ' || xff[e - 1] == '\t'))
			e--;
		if (e == b || e - b >= sizeof(one))
			return -1;
		memcpy(one, xff + b, e - b);
		one[e - b] = '\0';
		if (hub_addr_parse(one, &a) != 0)
			return -1;
		*out = a;
		if (!hub_addr_trusted(ctx, &a) || start == 0)
			return 0;
		end = start - 1;     /* the comma */
	}
}

void hub_client_ip(struct MHD_Connection *c, const struct hub_ctx *ctx, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	struct hub_addr peer, client;
	struct xff x;

	if (ci == NULL || hub_addr_from_sa(ci->client_addr, &peer) != 0) {
		snprintf(out, n, "?");
		return;
	}
	hub_addr_str(&peer, out, n);
	if (ctx->ntrusted == 0 || !hub_addr_trusted(ctx, &peer))
		return;
	x.len = 0;
	x.bad = 0;
	x.buf[0] = '\0';
	(void)MHD_get_connection_values_n(c, MHD_HEADER_KIND, xff_collect, &x);
	if (x.bad || x.len == 0 || hub_xff_client(ctx, x.buf, &client) != 0)
		return;
	hub_addr_str(&client, out, n);
}
