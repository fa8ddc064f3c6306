/* dash_manual.c — presence marked by hand on the dashboard (issue 14 point
 * 14): POST /v1/dash/manual/{session}/{person}/check_in marks an expected
 * person present who did not tap (card forgotten, kiosk broken); POST
 * .../check_out fills in a forgotten check-out; DELETE of either withdraws
 * it. Each is an event in `events` (events.manual, core migration 13) of the
 * organisation's pseudo-device (status 'manual', no token: it never syncs,
 * no device list shows it), so the one presence rule (reports/presence.h)
 * counts it, kiosks at the location learn it through the tap relay, and
 * every page and export flags it. Audited in the same transaction.
 * Must not: form presences or hours any other way than presence.h, or touch
 * a kiosk's own events. */
#include "hub/dash/dash.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "hub/base/htime.h"
#include "hub/base/hubtz.h"
#include "hub/db/db.h"
#include "hub/http/http.h"

#define DASH_MANUAL_DEVICE_PREFIX "manual:"               /* + org id: the pseudo-device */
#define DASH_MANUAL_DEVICE_NAME   "Handmatig (dashboard)"
#define DASH_MANUAL_EARLY_MS      (60LL * 60 * 1000)      /* a check-in this long before the start */
#define DASH_MANUAL_LATE_MS       (6LL * 60 * 60 * 1000)  /* a check-out this long after the end */
#define DASH_MANUAL_TIME_MAX      32                      /* "HH:MM" or "YYYY-MM-DD HH:MM" */
#define DASH_MANUAL_MSG_MAX       160
#define DASH_MANUAL_PAYLOAD_MAX   (PR_ID_MAX + 32)

/* What one call asks and what the transaction found. */
struct manual_req {
	const struct dash_who *who;
	const char *sid, *pid, *time;    /* time: NULL (check-in: the session's start) */
	int out;                         /* 0 check-in, 1 check-out */
	int withdraw;
	/* the session */
	char loc[PR_ID_MAX], prog[PR_ID_MAX], tz[PR_TZ_MAX];
	int64_t start, end, now, t;
	int cancelled;
	/* the answer when the transaction refuses (status 0: none) */
	int status, changed;
	const char *code;
	char msg[DASH_MANUAL_MSG_MAX];
};

static int refuse(struct manual_req *m, int status, const char *code, const char *msg)
{
	m->status = status;
	m->code = code;
	snprintf(m->msg, sizeof(m->msg), "%s", msg);
	return HUB_DB_ERROR;
}

/* "HH:MM" on the session's local day (the next day for a time before the
 * start when the session runs past midnight), or "YYYY-MM-DD HH:MM" / ISO
 * (hub_time_parse_local), into *ms. 0 or -1. */
static int parse_time(const struct manual_req *m, const char *s, int64_t *ms)
{
	const struct hub_tz *z = hub_tz_get(m->tz);
	int64_t day, naive;
	int hh, mm;

	if (z == NULL || strlen(s) >= DASH_MANUAL_TIME_MAX)
		return -1;
	if (strlen(s) != 5)
		return hub_time_parse_local(s, m->tz, ms);
	if (s[2] != ':' || s[0] < '0' || s[0] > '2' || s[1] < '0' || s[1] > '9' || s[3] < '0' ||
	    s[3] > '5' || s[4] < '0' || s[4] > '9')
		return -1;
	hh = (s[0] - '0') * 10 + (s[1] - '0');
	mm = (s[3] - '0') * 10 + (s[4] - '0');
	if (hh > 23)
		return -1;
	day = hub_tz_day(z, m->start);
	naive = day * 86400 + hh * 3600 + mm * 60;
	if (hub_tz_from_naive(z, naive, ms) != 0)
		return -1;
	if (*ms < m->start - DASH_MANUAL_EARLY_MS && hub_tz_day(z, m->end) > day)
		return hub_tz_from_naive(z, naive + 86400, ms);
	return 0;
}

/* The session of the caller's organisation into m. 1 found, 0 not, < 0 db error. */
static int load_session(struct hub_db *db, struct manual_req *m)
{
	struct hub_res *r = NULL;
	int rc = hub_db_query(db, "SELECT s.location_id, COALESCE(s.programme_id, ''), s.start_ms,"
	    " s.end_ms, s.cancelled, l.timezone FROM sessions s JOIN locations l ON l.id = s.location_id"
	    " WHERE s.org_id = $1 AND s.id = $2", 2,
	    (struct hub_param[]){ HP_S(m->who->org_id), HP_S(m->sid) }, 0, &r);
	int found = 0;

	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		snprintf(m->loc, sizeof(m->loc), "%s", hub_res_text(r, 0));
		snprintf(m->prog, sizeof(m->prog), "%s", hub_res_text(r, 1));
		m->start = hub_res_int(r, 2);
		m->end = hub_res_int(r, 3);
		m->cancelled = hub_res_int(r, 4) != 0;
		snprintf(m->tz, sizeof(m->tz), "%s", hub_res_text(r, 5));
		found = 1;
	}
	hub_res_free(r);
	return rc < 0 ? rc : found;
}

/* The person's presence in the session (presence.h): 1 with *t_in, *t_out
 * (-1 none), *manual; 0 none; < 0 db error. */
static int presence_of(struct hub_db *db, const struct manual_req *m, int64_t *t_in,
    int64_t *t_out, int64_t *manual)
{
	struct hub_res *r = NULL;
	int found = 0, rc = hub_db_query(db, "SELECT x.t_in, x.t_out, x.manual FROM ("
	    HUB_PRESENCE_SELECT("e.org_id = $1 AND e.session_id = $2 AND e.person_id = $3")
	    ") x WHERE x.pid = $3", 3,
	    (struct hub_param[]){ HP_S(m->who->org_id), HP_S(m->sid), HP_S(m->pid) }, 0, &r);

	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		*t_in = hub_res_int(r, 0);
		*t_out = hub_res_is_null(r, 1) ? -1 : hub_res_int(r, 1);
		*manual = hub_res_int(r, 2);
		found = 1;
	}
	hub_res_free(r);
	return rc < 0 ? rc : found;
}

/* Whether the person is expected at the session (enrolled in its programme
 * or assigned a role, as dash_session_people counts), with the role of an
 * assignment into role ("" none). 1, 0, or a db error code. */
static int expected_role(struct hub_db *db, const struct manual_req *m, char *role, size_t n)
{
	struct hub_res *r = NULL;
	int found = 0, rc = hub_db_query(db, "SELECT x.role FROM (SELECT a.role AS role FROM assignments a"
	    " WHERE a.org_id = $1 AND a.session_id = $2 AND a.person_id = $3 AND a.active = 1"
	    " UNION ALL SELECT '' FROM enrolments en WHERE en.org_id = $1 AND en.programme_id = $4"
	    " AND en.person_id = $3 AND en.active = 1) x ORDER BY CASE WHEN x.role = '' THEN 1 ELSE 0 END,"
	    " x.role LIMIT 1", 4, (struct hub_param[]){ HP_S(m->who->org_id), HP_S(m->sid),
	    HP_S(m->pid), HP_S(m->prog) }, 0, &r);

	role[0] = '\0';
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		snprintf(role, n, "%s", hub_res_text(r, 0));
		found = 1;
	}
	hub_res_free(r);
	return rc < 0 ? rc : found;
}

/* The organisation's pseudo-device, made on first use and locked for the
 * rest of the transaction: two coordinators marking the same person at
 * once are taken one after the other (PostgreSQL's READ COMMITTED; SQLite's
 * write transaction is exclusive anyway), so the second sees the first's
 * mark. HUB_DB_OK or a db error code. */
static int lock_device(struct hub_db *db, const struct manual_req *m, const char *dev)
{
	int64_t changed = 0;
	int rc = hub_db_exec(db, "INSERT INTO devices (id, org_id, location_id, name, status, created_ms)"
	    " VALUES ($1, $2, $3, $4, 'manual', $5) ON CONFLICT DO NOTHING", 5,
	    (struct hub_param[]){ HP_S(dev), HP_S(m->who->org_id), HP_S(m->loc),
	    HP_S(DASH_MANUAL_DEVICE_NAME), HP_I(m->now) }, NULL);

	if (rc == HUB_DB_OK)
		rc = hub_db_exec(db, "UPDATE devices SET status = status WHERE id = $1 AND org_id = $2"
		    " AND status = 'manual'", 2, (struct hub_param[]){ HP_S(dev), HP_S(m->who->org_id) },
		    &changed);
	if (rc == HUB_DB_OK && changed != 1)
		return HUB_DB_ERROR;   /* the id is taken by something that is not the pseudo-device */
	return rc;
}

/* The pseudo-device (locked: lock_device) takes its next seq into *seq;
 * also a withdrawal moves it, so Today's fingerprint changes. HUB_DB_OK or
 * a db error code. */
static int next_seq(struct hub_db *db, const char *dev, int64_t *seq)
{
	int rc = hub_db_exec(db, "UPDATE devices SET max_seq = max_seq + 1, acked_seq = max_seq + 1"
	    " WHERE id = $1", 1, (struct hub_param[]){ HP_S(dev) }, NULL);

	if (rc == HUB_DB_OK)
		rc = hub_db_int(db, "SELECT max_seq FROM devices WHERE id = $1", 1,
		    (struct hub_param[]){ HP_S(dev) }, seq) == 1 ? HUB_DB_OK : HUB_DB_ERROR;
	return rc;
}

/* A random version-4 UUID, as kiosks make them. */
static void new_uuid(char out[37])
{
	unsigned char b[16];
	static const char hex[] = "0123456789abcdef";
	int o = 0;

	randombytes_buf(b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 15];
	}
	out[o] = '\0';
}

static int put_event(struct hub_db *db, const struct manual_req *m, const char *role)
{
	char dev[PR_ID_MAX + sizeof(DASH_MANUAL_DEVICE_PREFIX)], uuid[37], payload[DASH_MANUAL_PAYLOAD_MAX];
	const struct hub_tz *z = hub_tz_get(m->tz);
	int64_t seq = 0;
	int rc;

	snprintf(dev, sizeof(dev), DASH_MANUAL_DEVICE_PREFIX "%s", m->who->org_id);
	snprintf(payload, sizeof(payload), "{\"manual\":true,\"coordinator\":\"%s\"}", m->who->id);
	new_uuid(uuid);
	rc = next_seq(db, dev, &seq);
	if (rc == HUB_DB_OK)
		rc = hub_db_exec(db, "INSERT INTO events (uuid, device_id, seq, org_id, location_id, kind,"
		    " person_id, session_id, role, wall_ms, boot_id, boottime_ns, clock_synced, payload, t_ms,"
		    " correction, anonymised, received_ms, local_day, manual) VALUES ($1, $2, $3, $4, $5, $6,"
		    " $7, $8, $9, $10, 'manual', 0, 1, $11, $10, 'no', 0, $12, $13, $14)", 14,
		    (struct hub_param[]){ HP_S(uuid), HP_S(dev), HP_I(seq), HP_S(m->who->org_id),
		    HP_S(m->loc), HP_S(m->out ? "check_out" : "check_in"), HP_S(m->pid), HP_S(m->sid),
		    HP_S(role[0] ? role : NULL), HP_I(m->t), HP_S(payload), HP_I(m->now),
		    z != NULL ? HP_I(hub_tz_day(z, m->t)) : HP_NULL,
		    HP_I(m->out ? HUB_MANUAL_OUT : HUB_MANUAL_IN) }, NULL);
	return rc;
}

/* Mark: validate against the presence as it is now, then write. */
static int mark(struct hub_db *db, struct manual_req *m)
{
	int64_t t_in = -1, t_out = -1, manual = 0;
	char role[PR_ROLE_MAX];
	int rc = presence_of(db, m, &t_in, &t_out, &manual);

	if (rc < 0)
		return rc;
	if (!m->out) {
		if (rc == 1) {
			m->changed = 0;   /* nothing to do: say so, change nothing */
			snprintf(m->msg, sizeof(m->msg), "already present: nothing changed");
			return HUB_DB_OK;
		}
		rc = expected_role(db, m, role, sizeof(role));
		if (rc < 0)
			return rc;
		if (rc == 0)
			return refuse(m, 409, "not_expected", "this person is not expected at this session"
			    " (not enrolled in its programme, no role)");
		if (m->t < m->start - DASH_MANUAL_EARLY_MS || m->t > m->end)
			return refuse(m, 400, "bad_time", "time: within the session (from an hour before"
			    " its start to its end)");
	} else {
		if (rc == 0)
			return refuse(m, 409, "not_present", "this person has no presence at this session:"
			    " mark them present first");
		if (t_out >= 0)
			return refuse(m, 409, "checked_out", "this presence already has a check-out");
		if (m->t < t_in)
			return refuse(m, 400, "bad_time", "time: not before the check-in");
		if (m->t > m->end + DASH_MANUAL_LATE_MS)
			return refuse(m, 400, "bad_time", "time: at most six hours after the session's end");
		role[0] = '\0';
		(void)expected_role(db, m, role, sizeof(role));
	}
	if (m->t > m->now)
		return refuse(m, 400, "bad_time", "time: not in the future");
	rc = put_event(db, m, role);
	if (rc == HUB_DB_OK)
		rc = dash_audit(db, m->who, m->out ? "presence.manual_out" : "presence.manual_in", m->pid, m->sid);
	m->changed = 1;
	return rc;
}

/* Withdraw a manual check-in (with a manual check-out that then closes
 * nothing) or a manual check-out. */
static int withdraw(struct hub_db *db, struct manual_req *m)
{
	char dev[PR_ID_MAX + sizeof(DASH_MANUAL_DEVICE_PREFIX)];
	int64_t n = 0, left = 0, seq = 0;
	int rc;

	snprintf(dev, sizeof(dev), DASH_MANUAL_DEVICE_PREFIX "%s", m->who->org_id);
	rc = hub_db_exec(db, "DELETE FROM events WHERE org_id = $1 AND session_id = $2 AND person_id = $3"
	    " AND device_id = $4 AND manual = $5", 5, (struct hub_param[]){ HP_S(m->who->org_id),
	    HP_S(m->sid), HP_S(m->pid), HP_S(dev), HP_I(m->out ? HUB_MANUAL_OUT : HUB_MANUAL_IN) }, &n);
	if (rc != HUB_DB_OK)
		return rc;
	if (n == 0)
		return refuse(m, 404, "not_found", m->out ? "no check-out entered by hand to withdraw" :
		    "no check-in entered by hand to withdraw");
	if (!m->out) {
		rc = hub_db_int(db, "SELECT COUNT(*) FROM events WHERE org_id = $1 AND session_id = $2"
		    " AND person_id = $3 AND kind <> 'check_out'", 3, (struct hub_param[]){
		    HP_S(m->who->org_id), HP_S(m->sid), HP_S(m->pid) }, &left);
		if (rc >= 0 && left == 0)
			rc = hub_db_exec(db, "DELETE FROM events WHERE org_id = $1 AND session_id = $2"
			    " AND person_id = $3 AND device_id = $4 AND manual = $5", 5, (struct hub_param[]){
			    HP_S(m->who->org_id), HP_S(m->sid), HP_S(m->pid), HP_S(dev), HP_I(HUB_MANUAL_OUT) }, NULL);
		if (rc < 0)
			return rc;
	}
	rc = next_seq(db, dev, &seq);
	if (rc == HUB_DB_OK)
		rc = dash_audit(db, m->who, m->out ? "presence.manual_out_withdrawn" :
		    "presence.manual_in_withdrawn", m->pid, m->sid);
	m->changed = 1;
	return rc;
}

static int run_tx(struct hub_db *db, void *cls)
{
	struct manual_req *m = cls;
	char dev[PR_ID_MAX + sizeof(DASH_MANUAL_DEVICE_PREFIX)];
	int64_t found = 0;
	int rc = load_session(db, m);

	m->status = 0;
	m->changed = 0;
	if (rc < 0)
		return rc;
	if (rc == 0)
		return refuse(m, 404, "not_found", "no such session");
	rc = hub_db_int(db, "SELECT 1 FROM people WHERE org_id = $1 AND id = $2", 2,
	    (struct hub_param[]){ HP_S(m->who->org_id), HP_S(m->pid) }, &found);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return refuse(m, 404, "not_found", "no such person in this organisation");
	snprintf(dev, sizeof(dev), DASH_MANUAL_DEVICE_PREFIX "%s", m->who->org_id);
	rc = lock_device(db, m, dev);
	if (rc != HUB_DB_OK)
		return rc;
	if (m->withdraw)
		return withdraw(db, m);
	if (m->cancelled)
		return refuse(m, 409, "cancelled", "the session was cancelled");
	if (m->time == NULL && m->out)
		return refuse(m, 400, "bad_request", "time: the time they left (HH:MM)");
	if (m->time == NULL)
		m->t = m->start;
	else if (parse_time(m, m->time, &m->t) != 0)
		return refuse(m, 400, "bad_time", "time: HH:MM (or YYYY-MM-DD HH:MM)");
	return mark(db, m);
}

void dash_manual(struct dash_call *c)
{
	struct manual_req m;
	json_t *body = NULL;
	int post = strcmp(c->rq->method, "POST") == 0;
	int rc;

	memset(&m, 0, sizeof(m));
	if (c->nseg != 4 || (strcmp(c->seg[3], "check_in") != 0 && strcmp(c->seg[3], "check_out") != 0) ||
	    !dash_id_ok(c->seg[1]) || !dash_id_ok(c->seg[2])) {
		hub_resp_error(c->rs, 404, "not_found", "no such endpoint");
		return;
	}
	if (!post && strcmp(c->rq->method, "DELETE") != 0) {
		hub_resp_error(c->rs, 405, "method_not_allowed", "POST or DELETE");
		return;
	}
	m.who = &c->who;
	m.sid = c->seg[1];
	m.pid = c->seg[2];
	m.out = strcmp(c->seg[3], "check_out") == 0;
	m.withdraw = !post;
	m.now = hub_now_ms();
	if (post) {
		body = dash_body(c);
		if (body == NULL || dash_str(c, body, "time", 0, DASH_MANUAL_TIME_MAX, 0, &m.time) != 0) {
			json_decref(body);
			return;
		}
	}
	rc = hub_db_write_tx(c->db, run_tx, &m);
	if (m.status != 0)
		hub_resp_error(c->rs, m.status, m.code, "%s", m.msg);
	else if (rc != HUB_DB_OK)
		dash_fail(c, rc);
	else if (m.withdraw)
		dash_added_or_removed(c, 0, NULL);
	else if (!m.changed)
		dash_json(c->rs, 200, json_pack("{s:b,s:s}", "changed", 0, "message", m.msg));
	else
		dash_json(c->rs, 201, json_pack("{s:b,s:s,s:s,s:o}", "changed", 1, "session_id", m.sid,
		    "person_id", m.pid, m.out ? "check_out" : "check_in", dash_iso(m.t)));
	json_decref(body);
}
