/* dash_audit.c — GET /v1/dash/audit: the organisation's audit trail
 * (written by svc/audit.c) for its admins, newest first, paged by time.
 * The page cursor is "AT.SKIP" (rows at or before AT ms, the first SKIP of
 * those at exactly AT already shown): the audit ids are one sequence for
 * all organisations, so neither they nor a cursor made of them go out.
 * Each row says in words what it concerns (target_kind, target_label: a
 * person's display name, a session's or programme's title; an erased
 * person has no name any more), and what its detail's id names.
 * Must not: show another organisation's rows or a global id. */
#include "hub/dash/dash.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/base/htime.h"
#include "hub/db/db.h"
#include "hub/http/http.h"

#define DASH_AUDIT_PAGE_DEFAULT 100
#define DASH_AUDIT_PAGE_MAX     500
#define DASH_AUDIT_CURSOR_MAX   40        /* "AT.SKIP" */
#define DASH_AUDIT_SKIP_MAX     1000000   /* rows of one millisecond */

/* A decimal argument in [min, max]; def when absent. Returns 0 or -1. */
static int int_arg(struct hub_req *rq, const char *name, int64_t min, int64_t max, int64_t def,
    int64_t *out)
{
	const char *s = hub_req_arg(rq, name);
	char *end = NULL;
	long long v;

	*out = def;
	if (s == NULL || s[0] == '\0')
		return 0;
	v = strtoll(s, &end, 10);
	if (end == s || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Actions whose target is a person's id. */
static const char *const person_actions[] = {
	"person.", "enrolment.", "assignment.", "followup.contacted", "reminder.", "kiosk.credential",
	"presence.",
};

/* 1 when action (a prefix above) names a person as its target. */
static int targets_person(const char *action)
{
	for (size_t i = 0; i < sizeof(person_actions) / sizeof(person_actions[0]); i++)
		if (strncmp(action, person_actions[i], strlen(person_actions[i])) == 0)
			return 1;
	return 0;
}

/* The target of the current audit row (see the SELECT in dash_audit_list)
 * in words: sets "target_kind" (person, session, programme, organisation or
 * null) and "target_label" (a name or title; null when erased or unknown),
 * "detail_label" (the title of a session or programme, or the kiosk's name,
 * that the detail names) on
 * o. Returns nothing; o keeps what it had on a failed allocation. */
static void label_row(json_t *o, struct hub_res *r)
{
	const char *action = hub_res_text(r, 2), *target = hub_res_text(r, 3);
	const char *kind = NULL, *label = NULL;

	if (targets_person(action) || !hub_res_is_null(r, 6) ||
	    (strncmp(action, "ical.", 5) == 0 && strcmp(hub_res_text(r, 4), "person") == 0)) {
		kind = "person";
		label = hub_res_is_null(r, 6) ? NULL : hub_res_text(r, 6);
		if (label == NULL && !hub_res_is_null(r, 7))
			json_object_set_new(o, "target_erased", json_true());
	} else if (!hub_res_is_null(r, 8)) {
		kind = "session";
		label = hub_res_text(r, 8);
	} else if (!hub_res_is_null(r, 9)) {
		kind = "programme";
		label = hub_res_text(r, 9);
	} else if (strcmp(target, "organisation") == 0) {
		kind = "organisation";
	}
	json_object_set_new(o, "target_kind", kind != NULL ? json_string(kind) : json_null());
	json_object_set_new(o, "target_label", label != NULL ? json_string(label) : json_null());
	label = !hub_res_is_null(r, 10) ? hub_res_text(r, 10) : !hub_res_is_null(r, 11) ? hub_res_text(r, 11) :
	    !hub_res_is_null(r, 12) ? hub_res_text(r, 12) : NULL;
	json_object_set_new(o, "detail_label", label != NULL ? json_string(label) : json_null());
}

/* Strict "AT.SKIP" (both decimal, SKIP <= DASH_AUDIT_SKIP_MAX); absent =
 * from the newest. Returns 0 or -1. */
static int cursor_arg(const char *s, int64_t *at, int64_t *skip)
{
	char *end = NULL;
	long long a, b;

	*at = INT64_MAX;
	*skip = 0;
	if (s == NULL || s[0] == '\0')
		return 0;
	if (s[0] < '0' || s[0] > '9' || strlen(s) > DASH_AUDIT_CURSOR_MAX)
		return -1;
	errno = 0;
	a = strtoll(s, &end, 10);
	if (errno != 0 || *end != '.' || end[1] < '0' || end[1] > '9')
		return -1;
	b = strtoll(end + 1, &end, 10);
	if (errno != 0 || *end != '\0' || b > DASH_AUDIT_SKIP_MAX)
		return -1;
	*at = a;
	*skip = b;
	return 0;
}

void dash_audit_list(struct dash_call *c)
{
	struct hub_res *r = NULL;
	json_t *rows = NULL, *j, *o;
	int64_t limit, at, skip, last_at = -1, same = 0, n = 0;
	int rc;

	if (strcmp(c->rq->method, "GET") != 0 || c->nseg != 1) {
		hub_resp_error(c->rs, c->nseg != 1 ? 404 : 405, c->nseg != 1 ? "not_found" :
		    "method_not_allowed", "GET /v1/dash/audit only");
		return;
	}
	if (!c->who.admin) {
		hub_resp_error(c->rs, 403, "forbidden", "the audit log is for the organisation's admins");
		return;
	}
	if (int_arg(c->rq, "limit", 1, DASH_AUDIT_PAGE_MAX, DASH_AUDIT_PAGE_DEFAULT, &limit) != 0 ||
	    cursor_arg(hub_req_arg(c->rq, "before"), &at, &skip) != 0) {
		hub_resp_error(c->rs, 400, "bad_request", "limit: 1..%d; before: a \"next\" this"
		    " endpoint gave out", DASH_AUDIT_PAGE_MAX);
		return;
	}
	rows = json_array();
	/* The rows at exactly AT come first in this order: skip those shown. */
	rc = hub_db_query(c->db, "SELECT a.at_ms, a.email, a.action, a.target, a.detail, a.row_count,"
	    " p.display_name, tb.person_id, s.title, pr.title, ds.title, dp.title, dv.name FROM audit_log a"
	    " LEFT JOIN people p ON p.org_id = a.org_id AND p.id = a.target"
	    " LEFT JOIN tombstones tb ON tb.org_id = a.org_id AND tb.person_id = a.target"
	    " LEFT JOIN sessions s ON s.org_id = a.org_id AND s.id = a.target"
	    " LEFT JOIN programmes pr ON pr.org_id = a.org_id AND pr.id = a.target"
	    " LEFT JOIN sessions ds ON ds.org_id = a.org_id AND ds.id = a.detail"
	    " LEFT JOIN programmes dp ON dp.org_id = a.org_id AND dp.id = a.detail"
	    " LEFT JOIN devices dv ON dv.org_id = a.org_id AND dv.id = a.detail AND a.action = 'person.card_link'"
	    " WHERE a.org_id = $1 AND a.at_ms <= $2 ORDER BY a.at_ms DESC, a.id DESC LIMIT $3 OFFSET $4", 4,
	    (struct hub_param[]){ HP_S(c->who.org_id), HP_I(at), HP_I(limit + 1), HP_I(skip) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		int64_t t = hub_res_int(r, 0);

		if (n++ >= limit)
			continue;
		same = t == last_at ? same + 1 : 1;
		last_at = t;
		/* "rows": rows a download sent; null for other actions */
		o = json_pack("{s:o,s:s,s:s,s:s,s:s,s:o}",
		    "at", dash_iso(t), "coordinator", hub_res_text(r, 1),
		    "action", hub_res_text(r, 2), "target", hub_res_text(r, 3), "detail", hub_res_text(r, 4),
		    "rows", hub_res_int(r, 5) >= 0 ? json_integer(hub_res_int(r, 5)) : json_null());
		if (o != NULL)
			label_row(o, r);
		json_array_append_new(rows, o);
	}
	hub_res_free(r);
	if (rc < 0) {
		json_decref(rows);
		hub_resp_dberr(c->rs, rc);
		return;
	}
	j = json_pack("{s:o}", "rows", rows);
	if (j != NULL && n > limit) {
		char next[DASH_AUDIT_CURSOR_MAX + 2];

		if (last_at == at)   /* the whole page at one instant: add to what was skipped */
			same += skip;
		snprintf(next, sizeof(next), "%lld.%lld", (long long)last_at, (long long)same);
		json_object_set_new(j, "next", json_string(next));
	} else if (j != NULL) {
		json_object_set_new(j, "next", json_null());
	}
	dash_json(c->rs, 200, j);
}
