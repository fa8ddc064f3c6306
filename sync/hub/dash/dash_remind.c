/* dash_remind.c — Follow-up's reminder to a no-show's contact person
 * (POST /v1/dash/followup/remind) and the contact addresses it goes to
 * (GET/PUT /v1/dash/followup/contact): the programme's address, else the
 * organisation's. With a mail server configured (serve --smtp-url) it is
 * sent once per no-show per session (table reminders; a failed send may be
 * tried again), audited and rate limited per organisation; without one
 * nothing is sent and the answer is the prepared message (mailto link).
 * The message holds first name + initial, session title, date and time:
 * nothing else about the person (AVG).
 * Must not: send to an address the coordinator did not set, send twice for
 * one no-show, or read another organisation's rows (every query binds org). */
#include "hub/dash/dash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hub/base/calendar.h"
#include "hub/base/htime.h"
#include "hub/db/db.h"
#include "hub/http/http.h"
#include "hub/svc/mail.h"
#include "hub/svc/ratelimit.h"

#define REMIND_PER_HOUR     60                    /* reminders per organisation per hour */
#define REMIND_WINDOW_MS    (3600LL * 1000)
#define REMIND_STALE_MS     (2LL * 60 * 1000)     /* a 'sending' claim older than this was lost */
#define REMIND_NAME_MAX     (PR_NAME_MAX + 8)
#define REMIND_WHEN_MAX     96                    /* "donderdag 26 november 2026 om 12:05" */
#define REMIND_MAILTO_MAX   (3 * (HUB_MAIL_BODY_MAX + HUB_MAIL_SUBJECT_MAX) + HUB_EMAIL_MAX + 32)

static const char *const day_nl[] = { "zondag", "maandag", "dinsdag", "woensdag", "donderdag",
	"vrijdag", "zaterdag" };
static const char *const month_nl[] = { "januari", "februari", "maart", "april", "mei", "juni",
	"juli", "augustus", "september", "oktober", "november", "december" };

/* What a reminder is about, read in one go. */
struct remind_ctx {
	char first[PR_NAME_MAX], display[PR_NAME_MAX], title[PR_TITLE_MAX], tz[PR_TZ_MAX];
	char prog_title[PR_TITLE_MAX], to[HUB_EMAIL_MAX], org_name[PR_NAME_MAX];
	int64_t start_ms, end_ms;
	int enrolled, present;
};

/* first name + the initial of the display name's last word ("Fatima E."). */
static void short_name(const struct remind_ctx *x, char out[REMIND_NAME_MAX])
{
	const char *last = strrchr(x->display, ' ');
	size_t k = 1;

	if (last == NULL || last[1] == '\0') {
		snprintf(out, REMIND_NAME_MAX, "%s", x->first);
		return;
	}
	last++;
	while (last[k] != '\0' && ((unsigned char)last[k] & 0xc0) == 0x80)
		k++;   /* the whole UTF-8 sequence of the initial */
	snprintf(out, REMIND_NAME_MAX, "%s %.*s.", x->first, (int)k, last);
}

static int load(struct dash_call *c, const char *person, const char *sid, struct remind_ctx *x)
{
	struct hub_res *r = NULL;
	int rc, found = 0;

	rc = hub_db_query(c->db, "SELECT p.first_name, p.display_name, s.title, l.timezone, s.start_ms,"
	    " s.end_ms, COALESCE(pr.title, ''), COALESCE(pr.contact_email, o.contact_email, ''), o.name,"
	    " (SELECT COUNT(*) FROM enrolments en WHERE en.org_id = s.org_id AND en.programme_id ="
	    "  s.programme_id AND en.person_id = p.id AND en.active = 1),"
	    " (SELECT COUNT(*) FROM events e WHERE e.org_id = s.org_id AND e.session_id = s.id"
	    "  AND e.person_id = p.id AND e.kind = 'check_in')"
	    " FROM sessions s JOIN people p ON p.org_id = s.org_id AND p.id = $3"
	    " JOIN locations l ON l.org_id = s.org_id AND l.id = s.location_id"
	    " JOIN organisations o ON o.id = s.org_id"
	    " LEFT JOIN programmes pr ON pr.org_id = s.org_id AND pr.id = s.programme_id"
	    " WHERE s.org_id = $1 AND s.id = $2", 3,
	    (struct hub_param[]){ HP_S(c->who.org_id), HP_S(sid), HP_S(person) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		snprintf(x->first, sizeof(x->first), "%s", hub_res_text(r, 0));
		snprintf(x->display, sizeof(x->display), "%s", hub_res_text(r, 1));
		snprintf(x->title, sizeof(x->title), "%s", hub_res_text(r, 2));
		snprintf(x->tz, sizeof(x->tz), "%s", hub_res_text(r, 3));
		x->start_ms = hub_res_int(r, 4);
		x->end_ms = hub_res_int(r, 5);
		snprintf(x->prog_title, sizeof(x->prog_title), "%s", hub_res_text(r, 6));
		snprintf(x->to, sizeof(x->to), "%s", hub_res_text(r, 7));
		snprintf(x->org_name, sizeof(x->org_name), "%s", hub_res_text(r, 8));
		x->enrolled = hub_res_int(r, 9) > 0;
		x->present = hub_res_int(r, 10) > 0;
		found = 1;
	}
	hub_res_free(r);
	return rc < 0 ? rc : found;
}

/* The Dutch subject and body of x. */
static void compose(const struct remind_ctx *x, char subj[HUB_MAIL_SUBJECT_MAX + 1],
    char body[HUB_MAIL_BODY_MAX + 1])
{
	char name[REMIND_NAME_MAX], when[REMIND_WHEN_MAX] = "";
	struct tm tm;

	short_name(x, name);
	if (hub_cal_local(x->tz, x->start_ms, &tm) == 0 && tm.tm_wday >= 0 && tm.tm_wday < 7 &&
	    tm.tm_mon >= 0 && tm.tm_mon < 12)
		snprintf(when, sizeof(when), "%s %d %s %d om %02d:%02d", day_nl[tm.tm_wday], tm.tm_mday,
		    month_nl[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min);
	snprintf(subj, HUB_MAIL_SUBJECT_MAX + 1, "Afwezig: %s bij %s", name, x->title);
	snprintf(body, HUB_MAIL_BODY_MAX + 1,
	    "Beste contactpersoon,\n\n"
	    "%s was niet aanwezig bij \"%s\" op %s%s%s%s.\n\n"
	    "Wilt u contact opnemen om te horen hoe het gaat en of het lukt om de\n"
	    "volgende keer te komen?\n\n"
	    "Met vriendelijke groet,\n%s\n\n"
	    "-- \nDit bericht is verstuurd via Presentie. Het bevat bewust niet meer\n"
	    "gegevens dan nodig (voornaam, voorletter, bijeenkomst en datum).\n",
	    name, x->title, when, x->prog_title[0] ? " (" : "", x->prog_title, x->prog_title[0] ? ")" : "",
	    x->org_name);
}

/* s percent-encoded for a mailto: URL (RFC 6068) appended at *o. */
static void pct(char *out, size_t cap, size_t *o, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s != '\0' && *o + 4 < cap; s++) {
		unsigned char ch = (unsigned char)*s;

		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		    strchr("-._~@", ch) != NULL) {
			out[(*o)++] = (char)ch;
		} else if (ch == '\n' && *o + 7 < cap) {   /* a line break is CRLF in mailto (RFC 6068) */
			for (const char *q = "%0D%0A"; *q != '\0'; q++)
				out[(*o)++] = *q;
		} else {
			out[(*o)++] = '%';
			out[(*o)++] = hex[ch >> 4];
			out[(*o)++] = hex[ch & 15];
		}
	}
	out[*o] = '\0';
}

/* s as it is, appended at *o (bounded, NUL-terminated). */
static void raw(char *out, size_t cap, size_t *o, const char *s)
{
	for (; *s != '\0' && *o + 1 < cap; s++)
		out[(*o)++] = *s;
	out[*o] = '\0';
}

static void prepared(struct dash_call *c, const char *person, const char *sid,
    const struct remind_ctx *x, const char *subj, const char *body)
{
	char *mailto = malloc(REMIND_MAILTO_MAX);
	size_t o = 0;
	int rc;

	if (mailto == NULL) {
		hub_resp_error(c->rs, 500, "internal", "out of memory");
		return;
	}
	raw(mailto, REMIND_MAILTO_MAX, &o, "mailto:");
	pct(mailto, REMIND_MAILTO_MAX, &o, x->to);
	raw(mailto, REMIND_MAILTO_MAX, &o, "?subject=");
	pct(mailto, REMIND_MAILTO_MAX, &o, subj);
	raw(mailto, REMIND_MAILTO_MAX, &o, "&body=");
	pct(mailto, REMIND_MAILTO_MAX, &o, body);
	rc = dash_audit(c->db, &c->who, "reminder.prepared", person, sid);
	if (rc != HUB_DB_OK) {
		free(mailto);
		dash_fail(c, rc);
		return;
	}
	dash_json(c->rs, 200, json_pack("{s:s,s:s,s:s,s:s,s:s}", "state", "prepared", "to", x->to,
	    "subject", subj, "body", body, "mailto", mailto));
	free(mailto);
}

/* Claim the reminder of (person, sid): a new row, or one whose send failed
 * or was lost. Returns 1 claimed, 0 already sent or being sent, < 0 db error. */
static int claim(struct dash_call *c, const char *person, const char *sid, const char *to, int64_t now)
{
	int64_t n = 0;
	int rc = hub_db_exec(c->db, "INSERT INTO reminders (org_id, person_id, session_id, to_addr, state,"
	    " at_ms, coordinator_id) VALUES ($1, $2, $3, $4, 'sending', $5, $6) ON CONFLICT (org_id,"
	    " person_id, session_id) DO UPDATE SET state = 'sending', to_addr = excluded.to_addr,"
	    " at_ms = excluded.at_ms, coordinator_id = excluded.coordinator_id"
	    " WHERE reminders.state = 'failed' OR (reminders.state = 'sending' AND reminders.at_ms < $7)", 7,
	    (struct hub_param[]){ HP_S(c->who.org_id), HP_S(person), HP_S(sid), HP_S(to), HP_I(now),
	    HP_S(c->who.id), HP_I(now - REMIND_STALE_MS) }, &n);

	return rc < 0 ? rc : n > 0;
}

/* The outcome of a send: the row's state and an audit line, one transaction. */
static int settle(struct dash_call *c, const char *person, const char *sid, int ok)
{
	int rc = hub_db_begin(c->db, 1);

	if (rc == HUB_DB_OK)
		rc = hub_db_exec(c->db, "UPDATE reminders SET state = $4, at_ms = $5 WHERE org_id = $1"
		    " AND person_id = $2 AND session_id = $3", 5, (struct hub_param[]){ HP_S(c->who.org_id),
		    HP_S(person), HP_S(sid), HP_S(ok ? "sent" : "failed"), HP_I(hub_now_ms()) }, NULL);
	if (rc == HUB_DB_OK)
		rc = dash_audit(c->db, &c->who, ok ? "reminder.sent" : "reminder.failed", person, sid);
	if (rc == HUB_DB_OK)
		rc = hub_db_commit(c->db);
	else
		hub_db_rollback(c->db);
	return rc;
}

static void send_it(struct dash_call *c, const char *person, const char *sid,
    const struct remind_ctx *x, const char *subj, const char *body)
{
	char err[HUB_MAIL_ERR_MAX];
	int64_t now = hub_now_ms(), count = 0;
	int retry = 0, rc, ok;

	rc = hub_rate_take(c->db, "remind", c->who.org_id, REMIND_WINDOW_MS, &count, &retry);
	if (rc < 0) {
		dash_fail(c, rc);
		return;
	}
	if (rc == HUB_RATE_FULL || count > REMIND_PER_HOUR) {
		hub_resp_error(c->rs, 429, "rate_limited", "too many reminders this hour; try again later");
		c->rs->retry_after = retry;
		return;
	}
	rc = claim(c, person, sid, x->to, now);
	if (rc == 0) {
		(void)hub_rate_untake(c->db, "remind", c->who.org_id);
		hub_resp_error(c->rs, 409, "already_sent", "a reminder for this no-show was already sent");
		return;
	}
	if (rc < 0) {
		dash_fail(c, rc);
		return;
	}
	ok = hub_mail_send(c->rq->ctx->mail, x->to, subj, body, err, sizeof(err)) == 0;
	if (!ok)
		fprintf(stderr, "presentie-hub: reminder not sent: %s\n", err);
	rc = settle(c, person, sid, ok);
	if (rc != HUB_DB_OK) {
		dash_fail(c, rc);
		return;
	}
	if (!ok) {
		hub_resp_error(c->rs, 502, "mail_failed", "the mail server did not take the message; try again");
		return;
	}
	dash_json(c->rs, 200, json_pack("{s:s,s:s,s:o}", "state", "sent", "to", x->to, "at", dash_iso(now)));
}

void dash_followup_remind(struct dash_call *c)
{
	json_t *j = dash_body(c);
	const char *person = NULL, *sid = NULL;
	char subj[HUB_MAIL_SUBJECT_MAX + 1], body[HUB_MAIL_BODY_MAX + 1];
	struct remind_ctx x = { 0 };
	int rc;

	if (j == NULL || dash_str(c, j, "person_id", 1, PR_ID_MAX, 0, &person) != 0 ||
	    dash_str(c, j, "session_id", 1, PR_ID_MAX, 0, &sid) != 0)
		goto out;
	rc = load(c, person, sid, &x);
	if (rc < 0) {
		dash_fail(c, rc);
		goto out;
	}
	if (rc == 0) {
		hub_resp_error(c->rs, 404, "not_found", "no such person or session");
		goto out;
	}
	if (!x.enrolled || x.present || x.end_ms > hub_now_ms()) {
		hub_resp_error(c->rs, 409, "not_a_no_show", "only an enrolled person missing from an ended session");
		goto out;
	}
	if (x.to[0] == '\0') {
		hub_resp_error(c->rs, 409, "no_contact", "set a contact address for the programme or organisation first");
		goto out;
	}
	compose(&x, subj, body);
	if (hub_mail_configured(c->rq->ctx->mail))
		send_it(c, person, sid, &x, subj, body);
	else
		prepared(c, person, sid, &x, subj, body);
out:
	json_decref(j);
}

static void contact_get(struct dash_call *c)
{
	json_t *progs = json_array(), *org = json_null();
	struct hub_res *r = NULL;
	int rc;

	rc = hub_db_query(c->db, "SELECT contact_email FROM organisations WHERE id = $1", 1,
	    (struct hub_param[]){ HP_S(c->who.org_id) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1)
		if (!hub_res_is_null(r, 0))
			org = json_string(hub_res_text(r, 0));
	hub_res_free(r);
	r = NULL;
	if (rc >= 0)
		rc = hub_db_query(c->db, "SELECT id, title, contact_email FROM programmes WHERE org_id = $1"
		    " ORDER BY title, id LIMIT $2", 2, (struct hub_param[]){ HP_S(c->who.org_id),
		    HP_I(DASH_LIST_MAX) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1)
		json_array_append_new(progs, json_pack("{s:s,s:s,s:o}", "id", hub_res_text(r, 0), "title",
		    hub_res_text(r, 1), "email", hub_res_is_null(r, 2) ? json_null() : json_string(hub_res_text(r, 2))));
	hub_res_free(r);
	if (rc < 0) {
		json_decref(progs);
		json_decref(org);
		dash_fail(c, rc);
		return;
	}
	dash_json(c->rs, 200, json_pack("{s:o,s:o,s:b}", "organisation", org, "programmes", progs,
	    "mail_server", hub_mail_configured(c->rq->ctx->mail)));
}

/* PUT {"programme_id": ID or absent (the organisation's), "email": ADDR or null}. */
static void contact_put(struct dash_call *c)
{
	json_t *j = dash_body(c);
	const char *prog = NULL, *email = NULL;
	int64_t n = 0;
	int rc;

	if (j == NULL || dash_str(c, j, "programme_id", 0, PR_ID_MAX, 0, &prog) != 0 ||
	    dash_str(c, j, "email", 0, HUB_EMAIL_MAX, 0, &email) != 0)
		goto out;
	if (email != NULL && !hub_mail_addr_ok(email)) {
		hub_resp_error(c->rs, 400, "bad_request", "email: one e-mail address");
		goto out;
	}
	rc = hub_db_begin(c->db, 1);
	if (rc == HUB_DB_OK && prog != NULL)
		rc = hub_db_exec(c->db, "UPDATE programmes SET contact_email = $3 WHERE org_id = $1 AND id = $2",
		    3, (struct hub_param[]){ HP_S(c->who.org_id), HP_S(prog), email ? HP_S(email) : HP_NULL }, &n);
	else if (rc == HUB_DB_OK)
		rc = hub_db_exec(c->db, "UPDATE organisations SET contact_email = $2 WHERE id = $1", 2,
		    (struct hub_param[]){ HP_S(c->who.org_id), email ? HP_S(email) : HP_NULL }, &n);
	if (rc == HUB_DB_OK && n == 0) {
		hub_db_rollback(c->db);
		hub_resp_error(c->rs, 404, "not_found", "no such programme");
		goto out;
	}
	if (rc == HUB_DB_OK)
		rc = dash_audit(c->db, &c->who, "contact.set", prog ? prog : "organisation", email ? "set" : "cleared");
	if (rc == HUB_DB_OK)
		rc = hub_db_commit(c->db);
	if (rc != HUB_DB_OK) {
		dash_fail(c, rc);
		goto out;
	}
	dash_json(c->rs, 200, json_pack("{s:s?,s:s?}", "programme_id", prog, "email", email));
out:
	json_decref(j);
}

void dash_followup_contact(struct dash_call *c)
{
	if (strcmp(c->rq->method, "GET") == 0)
		contact_get(c);
	else if (strcmp(c->rq->method, "PUT") == 0)
		contact_put(c);
	else
		hub_resp_error(c->rs, 405, "method_not_allowed", "GET or PUT");
}
