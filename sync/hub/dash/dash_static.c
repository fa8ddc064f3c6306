/* dash_static.c — serves the dashboard's files compiled into the hub
 * (dash_assets.h): "/" is index.html; strong ETags with If-None-Match ->
 * 304; Cache-Control no-cache (always revalidate, cheap with the ETag);
 * the security headers of every dashboard answer.
 * Must not: read files from disk (nothing to install, nothing to traverse). */
#include "hub/dash/dash.h"

#include <stdio.h>
#include <string.h>

#include "hub/dash/dash_assets.h"
#include "hub/http/http.h"

int dash_static(struct hub_req *rq, struct hub_resp *rs)
{
	const char *path = strcmp(rq->path, "/") == 0 ? "/index.html" : rq->path;
	const char *inm;

	for (size_t i = 0; i < dash_assets_n; i++) {
		const struct dash_asset *a = &dash_assets[i];

		if (strcmp(a->path, path) != 0)
			continue;
		dash_security_headers(rs);
		(void)hub_resp_header(rs, "ETag", a->etag);
		rs->cache = "no-cache";
		rs->ctype = a->ctype;
		rs->body_static = 1;
		inm = hub_req_header(rq, "If-None-Match");
		if (inm != NULL && strstr(inm, a->etag) != NULL) {
			rs->status = 304;
			rs->body = (char *)"";
			rs->len = 0;
			return 1;
		}
		rs->status = 200;
		rs->body = (char *)(const void *)a->data;
		rs->len = strcmp(rq->method, "HEAD") == 0 ? 0 : a->len;
		return 1;
	}
	return 0;
}

void dash_print_url(FILE *out, const char *listen, int port)
{
	const char *colon = strrchr(listen, ':');
	int hl = colon ? (int)(colon - listen) : 0;
	const char *host = listen;

	if (hl == 7 && strncmp(listen, "0.0.0.0", 7) == 0) {
		host = "127.0.0.1";
		hl = 9;
	}
	fprintf(out, "presentie-hub: dashboard at http://%.*s:%d/\n", hl, host, port);
}
