/* api_ical.c — GET /v1/ical/TOKEN.ics: a person's role assignments or a
 * programme's sessions as an iCalendar feed (reports/ical.h), without
 * login: the token (issued on the dashboard, dash/dash_ical.c; only its
 * SHA-256 stored) is the key, and names the organisation. Rate limited per
 * client address like the other unauthenticated endpoints.
 * Must not: read anything of an organisation other than the token's, or
 * tell an unknown token from a revoked one (both 404). */
#include "hub/api/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/base/htime.h"
#include "hub/db/db.h"
#include "hub/http/http.h"
#include "hub/reports/ical.h"
#include "hub/svc/ratelimit.h"
#include "hub/svc/token.h"
#include "limits.h"

#define ICAL_PREFIX        "/v1/ical/"
#define ICAL_SUFFIX        ".ics"
#define ICAL_PER_MIN       120                       /* fetches per client address per minute */
#define ICAL_PAST_MS       (60LL * 86400 * 1000)     /* events this far back */
#define ICAL_AHEAD_MS      (400LL * 86400 * 1000)    /* and this far ahead */
#define ICAL_EVENTS_MAX    1000
#define ICAL_UID_MAX       (3 * PR_ID_MAX + PR_TITLE_MAX)
#define ICAL_TEXT_MAX      (2 * PR_TITLE_MAX + PR_NAME_MAX)
#define ICAL_KIND_MAX      16                        /* "person", "programme" */

/* Assignments of a person; the role in Dutch (the roles table), else its key. */
static const char sql_person[] =
	"SELECT s.id, a.role, COALESCE(r.label_nl, a.role), s.title, s.start_ms, s.end_ms, l.name, s.room,"
	" s.cancelled FROM assignments a JOIN sessions s ON s.org_id = a.org_id AND s.id = a.session_id"
	" JOIN locations l ON l.id = s.location_id AND l.org_id = s.org_id"
	" JOIN people p ON p.org_id = a.org_id AND p.id = a.person_id"
	" LEFT JOIN roles r ON r.org_id = a.org_id AND r.role = a.role"
	" WHERE a.org_id = $1 AND a.person_id = $2 AND a.active = 1 AND s.end_ms > $3 AND s.start_ms < $4"
	" ORDER BY s.start_ms, s.id, a.role LIMIT $5";

static const char sql_programme[] =
	"SELECT s.id, '', '', s.title, s.start_ms, s.end_ms, l.name, s.room, s.cancelled"
	" FROM sessions s JOIN locations l ON l.id = s.location_id AND l.org_id = s.org_id"
	" JOIN programmes pr ON pr.org_id = s.org_id AND pr.id = s.programme_id"
	" WHERE s.org_id = $1 AND s.programme_id = $2 AND s.end_ms > $3 AND s.start_ms < $4"
	" ORDER BY s.start_ms, s.id LIMIT $5";

/* The feed of (org, kind, target) into ic. Returns HUB_DB_OK or a db error. */
static int feed(struct hub_db *db, const char *org, const char *kind, const char *target,
    struct hub_ical *ic)
{
	int person = strcmp(kind, "person") == 0;
	int64_t now = hub_now_ms();
	struct hub_res *r = NULL;
	int rc;

	hub_ical_begin(ic, person ? "Presentie: mijn rooster" : "Presentie: programma");
	rc = hub_db_query(db, person ? sql_person : sql_programme, 5, (struct hub_param[]){ HP_S(org),
	    HP_S(target), HP_I(now - ICAL_PAST_MS), HP_I(now + ICAL_AHEAD_MS), HP_I(ICAL_EVENTS_MAX) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		char uid[ICAL_UID_MAX], sum[ICAL_TEXT_MAX], loc[ICAL_TEXT_MAX];
		const char *room = hub_res_text(r, 7);
		struct hub_ical_event ev = { .uid = uid, .summary = sum, .location = loc,
			.start_ms = hub_res_int(r, 4), .end_ms = hub_res_int(r, 5), .stamp_ms = now,
			.cancelled = hub_res_int(r, 8) != 0 };

		if (person) {
			snprintf(uid, sizeof(uid), "%s.%s.%s@presentie", hub_res_text(r, 0), hub_res_text(r, 1), target);
			snprintf(sum, sizeof(sum), "%s: %s", hub_res_text(r, 2), hub_res_text(r, 3));
		} else {
			snprintf(uid, sizeof(uid), "%s@presentie", hub_res_text(r, 0));
			snprintf(sum, sizeof(sum), "%s", hub_res_text(r, 3));
		}
		snprintf(loc, sizeof(loc), "%s%s%s", hub_res_text(r, 6), room[0] ? ", " : "", room);
		hub_ical_event(ic, &ev);
	}
	hub_res_free(r);
	return rc < 0 ? rc : HUB_DB_OK;
}

/* Answer GET /v1/ical/TOKEN.ics. */
static void serve_feed(struct hub_req *rq, struct hub_resp *rs, const char *tok)
{
	char hash[HUB_HASH_HEX], org[PR_ID_MAX] = "", kind[ICAL_KIND_MAX] = "", target[PR_ID_MAX] = "", key[HUB_IP_MAX + 8];
	struct hub_db *db = hub_req_db(rq);
	struct hub_ical ic = { 0 };
	struct hub_res *r = NULL;
	int retry = 0, rc, found = 0;

	if (db == NULL) {
		hub_resp_dberr(rs, HUB_DB_UNAVAILABLE);
		return;
	}
	snprintf(key, sizeof(key), "ical:%s", rq->ip);
	rc = hub_rate_hit(db, key, 60000, ICAL_PER_MIN, &retry);
	if (rc < 0) {
		hub_resp_dberr(rs, rc);
		return;
	}
	if (rc == 1) {
		hub_resp_error(rs, 429, "rate_limited", "too many calendar fetches; try again later");
		rs->retry_after = retry;
		return;
	}
	if (!hub_token_well_formed(tok)) {
		hub_resp_error(rs, 404, "not_found", "no such calendar");
		return;
	}
	hub_hash_hex(tok, strlen(tok), hash);
	rc = hub_db_begin_snapshot(db);
	if (rc == HUB_DB_OK)
		rc = hub_db_query(db, "SELECT org_id, kind, target_id FROM ical_feeds WHERE token_hash = $1", 1,
		    (struct hub_param[]){ HP_S(hash) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		snprintf(org, sizeof(org), "%s", hub_res_text(r, 0));
		snprintf(kind, sizeof(kind), "%s", hub_res_text(r, 1));
		snprintf(target, sizeof(target), "%s", hub_res_text(r, 2));
		found = 1;
	}
	hub_res_free(r);
	if (rc >= 0 && found)
		rc = feed(db, org, kind, target, &ic);
	hub_db_rollback(db);
	if (rc < 0 || !found) {
		hub_ical_free(&ic);
		if (rc < 0)
			hub_resp_dberr(rs, rc);
		else
			hub_resp_error(rs, 404, "not_found", "no such calendar");
		return;
	}
	if (hub_ical_end(&ic) != 0) {
		hub_resp_error(rs, 500, "internal", "the calendar is too large");
		return;
	}
	rs->status = 200;
	rs->body = ic.buf;
	rs->len = ic.len;
	rs->ctype = "text/calendar; charset=utf-8";
	rs->cache = "private, no-cache";
	(void)hub_resp_header(rs, "X-Content-Type-Options", "nosniff");
	(void)hub_resp_header(rs, "Referrer-Policy", "no-referrer");
}

int hub_api_ical(struct hub_req *rq, struct hub_resp *rs)
{
	char tok[HUB_TOKEN_STR + sizeof(ICAL_SUFFIX)];
	size_t n, sl = strlen(ICAL_SUFFIX);

	if (strncmp(rq->path, ICAL_PREFIX, strlen(ICAL_PREFIX)) != 0)
		return 0;
	if (strcmp(rq->method, "GET") != 0) {
		hub_resp_error(rs, 405, "method_not_allowed", "GET only");
		return 1;
	}
	n = strlen(rq->path + strlen(ICAL_PREFIX));
	if (n <= sl || n >= sizeof(tok) || strcmp(rq->path + strlen(rq->path) - sl, ICAL_SUFFIX) != 0) {
		hub_resp_error(rs, 404, "not_found", "no such calendar");
		return 1;
	}
	memcpy(tok, rq->path + strlen(ICAL_PREFIX), n - sl);
	tok[n - sl] = '\0';
	serve_feed(rq, rs, tok);
	return 1;
}
