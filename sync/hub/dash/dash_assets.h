/* dash_assets.h — the dashboard's static files as compiled into the hub by
 * sync/hub/web-embed.sh (a Makefile rule): path ("/index.html"), content
 * type, strong ETag (quoted, from SHA-256 of the bytes) and the bytes.
 * Must not: be edited by hand on the generated side; served by dash_static.c. */
#ifndef PRESENTIE_HUB_DASH_ASSETS_H
#define PRESENTIE_HUB_DASH_ASSETS_H

#include <stddef.h>

struct dash_asset {
	const char *path;
	const char *ctype;
	const char *etag;
	const unsigned char *data;
	size_t len;
};

extern const struct dash_asset dash_assets[];
extern const size_t dash_assets_n;

#endif
