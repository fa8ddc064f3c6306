/* dash.h — the coordinator dashboard's side of the hub (sync/PROTOCOL.md
 * "Dashboard API"): who is asking (session cookie or bearer token, CSRF on
 * changes), the organisation every query is scoped to, the audit trail, and
 * the handlers of dash_*.c. Must not: take the organisation from the
 * request (only from the session), or build SQL from input. */
#ifndef PRESENTIE_HUB_DASH_H
#define PRESENTIE_HUB_DASH_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hub/reports/presence.h"
#include "hub/svc/audit.h"
#include "hub/svc/login.h"
#include "cred.h"
#include "limits.h"

#define DASH_COOKIE            "presentie_session"
#define DASH_SESSION_TTL_MS    (12LL * 3600 * 1000)
#define DASH_ONLINE_MS         (5LL * 60 * 1000)    /* a kiosk seen this recently is online */
#define DASH_CARD_LINK_MS      (2LL * 60 * 1000)    /* "tap the new card now" stays open */
#define DASH_LIST_MAX          1000                 /* rows of one list answer */
#define DASH_SUPPRESS_BELOW    5                    /* suppressed counts in external reports */
#define DASH_SEGS_MAX          8                    /* path segments after /v1/dash/ */
#define DASH_EMAIL_MAX         HUB_EMAIL_MAX
#define DASH_AUDIT_DETAIL_MAX  256
#define DASH_FOLLOWUP_DAYS     14
#define DASH_SERIES_MAX        52                   /* weekly repeats of one series */
#define DASH_SLOTS_MAX         50                   /* volunteers of one role per session */
#define DASH_REF_HEX           8                    /* digits of a card MAC shown to tell cards apart */

struct hub_req;
struct hub_resp;
struct hub_db;

/* A location of the organisation. */
struct dash_loc {
	char id[PR_ID_MAX], name[PR_NAME_MAX], tz[PR_TZ_MAX];
};

/* The coordinator behind a request. */
struct dash_who {
	char id[PR_ID_MAX];
	char org_id[PR_ID_MAX];
	char email[DASH_EMAIL_MAX];
	int admin;
	int cookie;              /* authenticated by the session cookie */
};

/* A request under /v1/dash/: path split into segments (percent-decoded). */
struct dash_call {
	struct hub_req *rq;
	struct hub_resp *rs;
	struct hub_db *db;
	struct dash_who who;
	int nseg;
	char seg[DASH_SEGS_MAX][PR_TITLE_MAX];
};

/* Route rq if it belongs to the dashboard (/, static files, /v1/session,
 * /v1/dash/...): returns 1 with rs filled, else 0 (the hub's table goes on). */
int dash_route(struct hub_req *rq, struct hub_resp *rs);

/* Authenticate the caller (cookie or bearer), check CSRF and Origin for
 * changes. Returns 0 with who filled, or -1 with rs filled (401/403/503). */
int dash_auth(struct hub_req *rq, struct hub_resp *rs, struct dash_who *who);

/* The CSRF token of a session token (hex SHA-256 of "csrf:" + token). */
void dash_csrf_of(const char *token, char out[HUB_HASH_HEX]);
/* Fill who->email and who->admin for who->id of who->org_id. Returns
 * HUB_DB_OK or a db error code (HUB_DB_ERROR if there is no such account). */
int dash_who_load(struct hub_db *db, struct dash_who *who);
/* The session cookie's token if well formed, else NULL. */
const char *dash_cookie_token(struct hub_req *rq);

/* Append an audit row for the coordinator who (svc/audit.h). Returns
 * HUB_DB_OK or a db error code (a failure is returned, not hidden). */
static inline int dash_audit(struct hub_db *db, const struct dash_who *who, const char *action,
    const char *target, const char *detail)
{
	struct hub_actor a = { who->org_id, who->id, who->email };

	return hub_audit(db, &a, action, target, detail);
}

/* Add the security headers every dashboard answer carries. */
void dash_security_headers(struct hub_resp *rs);

/* Answer rs with JSON j (steals it); 500 if j is NULL (out of memory). */
void dash_json(struct hub_resp *rs, int status, json_t *j);
/* Parse the request body as a JSON object; NULL with a 400 in rs. */
json_t *dash_body(struct dash_call *c);

/* A string field of body j: required or optional (absent/null -> *out NULL),
 * shorter than max bytes, printable; "" only if allow_empty. Returns 0, or
 * -1 with a 400 naming the field in c->rs. */
int dash_str(struct dash_call *c, json_t *j, const char *field, int required, size_t max,
    int allow_empty, const char **out);
/* 1 if s is a usable id ([A-Za-z0-9._:-], 1..PR_ID_MAX-1 bytes). */
int dash_id_ok(const char *s);
/* Answer 405 unless the method is m; 404 unless nseg is n. Returns 0 if
 * the call matches, else -1 with rs filled. */
int dash_expect(struct dash_call *c, const char *m, int n);
/* One row of a handler's sub-route table: method, number of segments
 * (seg[0] is the handler's name) and, if not NULL, the word of seg[2]. */
struct dash_sub {
	const char *method;
	int nseg;
	const char *seg2;
	void (*fn)(struct dash_call *c);
};
/* Call the row of t[0..n) that matches c; else 405 (nseg <= maxseg) or
 * 404. Returns 0 if a row was called, -1 with rs filled. */
int dash_dispatch(struct dash_call *c, const struct dash_sub *t, size_t n, int maxseg);
/* Answer an add (201 with added) or a removal (204, added NULL). Steals added. */
void dash_added_or_removed(struct dash_call *c, int add, json_t *added);
/* Roll back and answer the db error rc. */
void dash_fail(struct dash_call *c, int rc);
/* Answer a CSV report built whole in b (csvout.h) as the download filename:
 * audited first as an "export" of target with detail and rows (the number
 * of data rows); only then is it sent. Takes b->p in every case (freed on
 * failure, answered with the db error). No db connection is held while the
 * client reads (unlike /v1/export/, which streams). */
struct hub_buf;
void dash_send_csv(struct dash_call *c, struct hub_buf *b, const char *target,
    const char *detail, int64_t rows, const char *filename);
/* 1 if the org has a row id in table ("people", "programmes", "sessions",
 * "locations", "devices"), 0 if not, < 0 db error. */
int dash_exists(struct dash_call *c, const char *table, const char *id);

/* The title of programme id of the caller's organisation into title (n
 * bytes). Returns 1 found, 0 not (title ""), or a db error code. */
int dash_programme_title(struct dash_call *c, const char *id, char *title, size_t n);

/* ISO 8601 UTC seconds string of ms, as a new JSON string (null for < 0). */
json_t *dash_iso(int64_t ms);

/* All the organisation's locations, by name then id, into a malloc'd array
 * *out of *n (the caller frees it; NULL when there are none). Every one:
 * a report must never leave a location out. Returns HUB_DB_OK, or a db
 * error code (HUB_DB_ERROR also when out of memory) with *out NULL. */
int dash_locations(struct hub_db *db, const char *org, struct dash_loc **out, int *n);
/* Append to people who is expected in (enrolled in programme or assigned a
 * role) and who checked in to session (one presence each, reports/presence.h;
 * s_end: the session's end, for "checked_out"), with counts. Returns
 * HUB_DB_OK or a db error code. */
int dash_session_people(struct hub_db *db, const char *org, const char *session,
    const char *programme, int64_t s_end, json_t *people, int *expected, int *present);

/* The organisation's rule for forgotten check-outs (reports/presence.h;
 * the default, session_end, on any doubt or db error). */
enum hub_checkout_rule dash_checkout_rule(struct hub_db *db, const char *org);

/* Insert the default roles (catering x2, rolmodel x5, coach, gastvrouw)
 * for org where missing. Returns HUB_DB_OK or a db error code. */
int dash_roles_seed(struct hub_db *db, const char *org);

/* Handlers (dash_session.c, dash_today.c, dash_plan.c, dash_people.c,
 * dash_followup.c, dash_reports.c, dash_audit.c). Each fills c->rs. */
void dash_session_api(struct hub_req *rq, struct hub_resp *rs);
void dash_setup(struct dash_call *c);
void dash_today(struct dash_call *c);
void dash_programmes(struct dash_call *c);
void dash_sessions(struct dash_call *c);
void dash_people(struct dash_call *c);
void dash_followup(struct dash_call *c);
/* A person's cards and PIN (dash_credentials.c), under /v1/dash/people/ID/:
 * POST card {"number"} (pin 0) or PUT pin {"pin"} (pin 1), POST revoke,
 * POST/GET card-link. */
void dash_person_credential(struct dash_call *c, const char *id, int pin);
void dash_person_revoke(struct dash_call *c, const char *id);
void dash_card_link_start(struct dash_call *c, const char *id);
/* Issue a new phone pass (cred.h) to person inside the caller's open
 * transaction: revoke their active passes, store the new pass's HMAC as an
 * active credential of kind "qr". Returns 0 with pass (the only copy: show
 * it once, then wipe it) and ref (first DASH_REF_HEX digits of the MAC)
 * filled, or -1 with rs filled and the transaction rolled back. */
int dash_pass_issue(struct dash_call *c, const char *person, char pass[CRED_PASS_STR],
    char ref[DASH_REF_HEX + 1]);
/* POST /v1/dash/people/{id}/pass (dash_pass.c): a new pass, its QR as PNG. */
void dash_person_pass(struct dash_call *c, const char *id);
/* /v1/dash/print/cards.pdf and badges.pdf (dash_print.c). */
void dash_print(struct dash_call *c);
void dash_card_link_state(struct dash_call *c, const char *id);
void dash_reports(struct dash_call *c);
void dash_audit_list(struct dash_call *c);
/* POST /v1/dash/coordinators/{id}/revoke (dash_coordinators.c). */
void dash_coordinators(struct dash_call *c);
/* POST /v1/dash/import/KIND[?dry_run=1], the file as the body (dash_import.c). */
void dash_import(struct dash_call *c);
/* GET /v1/dash/registrations, POST .../{id}/approve|reject: newcomers
 * registered at a kiosk (dash_registrations.c). */
void dash_registrations(struct dash_call *c);
/* /v1/dash/ical/KIND/ID: the agenda link of a person or programme (dash_ical.c). */
void dash_ical(struct dash_call *c);
/* POST /v1/dash/followup/remind and GET/PUT /v1/dash/followup/contact (dash_remind.c). */
void dash_followup_remind(struct dash_call *c);
void dash_followup_contact(struct dash_call *c);
/* The funder fields (dash_funder.c): GET /v1/dash/funder, PUT
 * .../setting, GET .../report[.csv]; GET/PUT /v1/dash/people/{id}/funder. */
void dash_funder(struct dash_call *c);
void dash_person_funder(struct dash_call *c, const char *id);
/* Presence marked by hand: /v1/dash/manual/{session}/{person}/{check_in|check_out} (dash_manual.c). */
void dash_manual(struct dash_call *c);
/* GET of a static file; returns 1 if path is one, else 0. */
int dash_static(struct hub_req *rq, struct hub_resp *rs);

/* `presentie-hub demo`: the demo coordinator demo@presentie.test (admin),
 * roles with default slots, slots of the demo sessions. Returns 0 or -1. */
int dash_demo_seed(struct hub_db *db, const char *org_id, char *err, size_t errlen);

/* Print "presentie-hub: dashboard at http://HOST:PORT/" for a --listen
 * address and the port actually bound. */
void dash_print_url(FILE *out, const char *listen, int port);

#define DASH_DEMO_EMAIL    "demo@presentie.test"
#define DASH_DEMO_PASSWORD "presentie-demo"     /* public, DEMO ONLY */

#endif
