/* pull.c — GET /v1/changes?cursor=...&taps=..., validated, applied page by
 * page. Owns: the walk of both cursors (master data and the other kiosks'
 * taps, sync/PROTOCOL.md) and its loop guard (a hub that says "more" without
 * moving a cursor is an error, not an endless loop). Must not: write the
 * store except through store_apply_page. */
#include "pull.h"

#include <stdio.h>
#include <string.h>

#include "store_apply.h"
#include "store_meta.h"
#include "wire.h"

/* Append prefix and cursor, percent-encoded, at out[*o]. 0 or -1. */
static int put_arg(const char *prefix, const char *cursor, char *out, size_t outlen, size_t *pos)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = *pos, n = strlen(prefix);
	const unsigned char *p;

	if (outlen <= o + n)
		return -1;
	memcpy(out + o, prefix, n);
	o += n;
	for (p = (const unsigned char *)cursor; *p; p++) {
		int plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' || *p == '~';
		if (o + (plain ? 1 : 3) >= outlen)
			return -1;
		if (plain) {
			out[o++] = (char)*p;
		} else {
			out[o++] = '%';
			out[o++] = hex[*p >> 4];
			out[o++] = hex[*p & 15];
		}
	}
	out[o] = '\0';
	*pos = o;
	return 0;
}

int agent_pull_path(const char *cursor, char *out, size_t outlen)
{
	size_t o = 0;

	return put_arg("/v1/changes?cursor=", cursor, out, outlen, &o);
}

int agent_pull_path_taps(const char *cursor, const char *taps, char *out, size_t outlen)
{
	size_t o = 0;

	if (put_arg("/v1/changes?cursor=", cursor, out, outlen, &o) < 0 ||
	    put_arg("&taps=", taps[0] ? taps : "0", out, outlen, &o) < 0)
		return -1;
	return 0;
}

int agent_pull_all(struct store *db, struct agent_http *http,
    int (*should_stop)(void *), void *stop_arg, size_t *pages, int64_t *acked,
    struct agent_result *r)
{
	char cursor[STORE_CURSOR_MAX], taps[STORE_TAP_CURSOR_MAX];
	char path[(STORE_CURSOR_MAX + STORE_TAP_CURSOR_MAX) * 3 + 32];
	char err[AGENT_WIRE_ERR_MAX];
	struct agent_http_resp resp;
	struct store_page page;
	int call, more, reset = 0;

	agent_result_init(r);
	*pages = 0;
	*acked = -1;
	if (store_meta_get(db, AGENT_META_CURSOR, cursor, sizeof(cursor)) < 0 ||
	    store_meta_get(db, AGENT_META_TAP_CURSOR, taps, sizeof(taps)) < 0) {
		agent_result_set(r, AGENT_LOCAL, "reading the cursor: %s", store_errmsg(db));
		return -1;
	}
	if (cursor[0] == '\0')
		taps[0] = '\0';          /* everything again (enrolled anew?): taps too */
	while (*pages < AGENT_PULL_PAGES_MAX) {
		if (should_stop != NULL && should_stop(stop_arg)) {
			agent_result_set(r, AGENT_STOPPED, "stopping");
			return -1;
		}
		if (agent_pull_path_taps(cursor, taps, path, sizeof(path)) < 0) {
			agent_result_set(r, AGENT_LOCAL, "the stored cursor is too long");
			return -1;
		}
		call = agent_http_call(http, "GET", path, NULL, 0, &resp);
		if (call == 0 && resp.status == 400 && cursor[0] != '\0' && !reset) {
			/* The hub does not know our cursor (its database was replaced?):
			 * start over from everything; upserts make that harmless. */
			agent_http_resp_free(&resp);
			cursor[0] = taps[0] = '\0';
			reset = 1;
			continue;
		}
		if (call != 0 || resp.status != 200) {
			agent_result_from_http(r, call, &resp, "GET /v1/changes");
			if (r->status == AGENT_REFUSED)            /* our request is not going to change */
				r->status = AGENT_TRANSIENT;
			agent_http_resp_free(&resp);
			return -1;
		}
		if (agent_wire_page(resp.body, resp.len, &page, err, sizeof(err)) < 0) {
			agent_result_set(r, AGENT_TRANSIENT, "GET /v1/changes: malformed answer: %s", err);
			agent_http_resp_free(&resp);
			return -1;
		}
		agent_http_resp_free(&resp);
		if (page.more && strcmp(page.cursor, cursor) == 0 &&
		    (!page.has_taps || strcmp(page.taps_cursor, taps) == 0)) {
			agent_result_set(r, AGENT_TRANSIENT, "GET /v1/changes: the hub says there is "
			    "more but did not move its cursor");
			agent_page_free(&page);
			return -1;
		}
		if (store_apply_page(db, &page, err, sizeof(err)) < 0) {
			agent_result_set(r, AGENT_LOCAL, "applying changes: %s", err);
			agent_page_free(&page);
			return -1;
		}
		(*pages)++;
		*acked = page.acked_seq;
		more = page.more;
		memcpy(cursor, page.cursor, sizeof(cursor));
		if (page.has_taps)
			memcpy(taps, page.taps_cursor, sizeof(taps));
		agent_page_free(&page);
		if (!more)
			break;
	}
	return 0;
}
