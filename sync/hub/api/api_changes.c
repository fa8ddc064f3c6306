/* api_changes.c — GET /v1/changes?cursor=C: master data for the device's
 * organisation and location changed since C, in pages of at most
 * PR_CHANGES_PAGE_MAX rows. The cursor is "CHG.WINDOW": CHG the value of
 * the organisation's own change counter (svc/change.h) already delivered,
 * WINDOW the end (ms) of the session window already delivered, so sessions that drift into "yesterday..+14 days"
 * without changing are sent once too. Every page also carries this
 * kiosk's pending card link (or null) and its acked_seq (so an agent learns
 * without a push that the hub lost events). With ?taps=T it also carries the
 * other kiosks' taps at this location (svc/relay.h), whether newcomers may
 * register at the organisation's kiosks, and the newcomers registered at
 * this kiosk that a coordinator rejected since C. All reads share one
 * snapshot. An unchanged counter and window skip the tables' queries, so a
 * frequent pull that finds nothing new stays cheap.
 * Must not: send people without consent (they go out as tombstones). */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/api/api.h"
#include "hub/base/htime.h"
#include "hub/db/db.h"
#include "hub/http/caller.h"
#include "hub/http/http.h"
#include "hub/svc/auth.h"
#include "hub/svc/change.h"
#include "hub/svc/ingest.h"
#include "hub/svc/relay.h"

#define HUB_CURSOR_MAX       48     /* "CHG.WINDOW" */
#define HUB_WINDOW_NEW_MAX   500    /* sessions newly in the window per page */
#define HUB_WINDOW_BACK_DAYS 1
#define HUB_WINDOW_AHEAD_DAYS 14

enum { T_PEOPLE, T_CRED, T_PROG, T_ENROL, T_SESS, T_ASSIGN, T_TOMB, T_REJECT, T_N };

static const char *const sql[T_N] = {
	[T_PEOPLE] = "SELECT id, display_name, first_name, lang, coordinator,"
	    " CASE WHEN consent_ms IS NULL THEN 0 ELSE 1 END, chg FROM people"
	    " WHERE org_id = $1 AND chg > $2 ORDER BY chg LIMIT $3",
	/* a phone pass ("qr") goes out as a card: kiosks MAC it like one */
	[T_CRED] = "SELECT c.person_id, CASE WHEN c.kind = 'qr' THEN 'card' ELSE c.kind END, c.mac,"
	    " c.active, c.chg FROM credentials c"
	    " JOIN people p ON p.org_id = c.org_id AND p.id = c.person_id AND p.consent_ms IS NOT NULL"
	    " WHERE c.org_id = $1 AND c.chg > $2 ORDER BY c.chg LIMIT $3",
	[T_PROG] = "SELECT id, title, chg FROM programmes WHERE org_id = $1 AND chg > $2"
	    " ORDER BY chg LIMIT $3",
	[T_ENROL] = "SELECT e.person_id, e.programme_id, e.active, e.chg FROM enrolments e"
	    " JOIN people p ON p.org_id = e.org_id AND p.id = e.person_id AND p.consent_ms IS NOT NULL"
	    " WHERE e.org_id = $1 AND e.chg > $2 ORDER BY e.chg LIMIT $3",
	[T_SESS] = "SELECT id, COALESCE(programme_id, ''), title, room, start_ms, end_ms, kind,"
	    " cancelled, chg FROM sessions WHERE org_id = $1 AND chg > $2 AND location_id = $4"
	    " AND end_ms >= $5 AND start_ms < $6 ORDER BY chg LIMIT $3",
	[T_ASSIGN] = "SELECT a.session_id, a.person_id, a.role, a.active, a.chg FROM assignments a"
	    " JOIN sessions s ON s.org_id = a.org_id AND s.id = a.session_id"
	    " JOIN people p ON p.org_id = a.org_id AND p.id = a.person_id AND p.consent_ms IS NOT NULL"
	    " WHERE a.org_id = $1 AND a.chg > $2 AND s.location_id = $4 AND s.end_ms >= $5"
	    " AND s.start_ms < $6 ORDER BY a.chg LIMIT $3",
	[T_TOMB] = "SELECT person_id, chg FROM tombstones WHERE org_id = $1 AND chg > $2"
	    " ORDER BY chg LIMIT $3",
	/* newcomers a coordinator rejected, to the kiosk that registered them
	 * ($4 is the device here): it deletes what it still holds of them */
	[T_REJECT] = "SELECT id, chg FROM registrations WHERE org_id = $1 AND chg > $2"
	    " AND status = 'rejected' AND device_id = $4 ORDER BY chg LIMIT $3",
};

static const char sql_sess_new[] =
	"SELECT id, COALESCE(programme_id, ''), title, room, start_ms, end_ms, kind, cancelled"
	" FROM sessions WHERE org_id = $1 AND location_id = $2 AND chg <= $3 AND start_ms >= $4"
	" AND start_ms < $5 AND cancelled = 0 ORDER BY start_ms, id LIMIT $6";
static const char sql_assign_new[] =
	"SELECT a.session_id, a.person_id, a.role FROM assignments a"
	" JOIN sessions s ON s.org_id = a.org_id AND s.id = a.session_id"
	" JOIN people p ON p.org_id = a.org_id AND p.id = a.person_id AND p.consent_ms IS NOT NULL"
	" WHERE a.org_id = $1 AND s.location_id = $2 AND a.chg <= $3 AND s.start_ms >= $4"
	" AND s.start_ms < $5 AND s.cancelled = 0 AND a.active = 1";
/* This kiosk's pending card link (dash_people.c starts it): unexpired, and
 * no credential_enrolled for that person from this kiosk since it started. */
static const char sql_card_link[] =
	"SELECT l.person_id, p.first_name, l.expires_ms FROM card_links l"
	" JOIN people p ON p.org_id = l.org_id AND p.id = l.person_id AND p.consent_ms IS NOT NULL"
	" WHERE l.device_id = $1 AND l.org_id = $2 AND l.expires_ms > $3 AND NOT EXISTS"
	" (SELECT 1 FROM events e WHERE e.org_id = l.org_id AND e.device_id = l.device_id"
	" AND e.person_id = l.person_id AND e.kind = 'credential_enrolled'"
	" AND e.received_ms >= l.started_ms)";

/* The tap relay of one request (?taps=T; absent: no relay). */
struct relay_req {
	int on;
	int64_t id, issued_ms;
	char cursor[HUB_RELAY_CURSOR_MAX];   /* the next one, out */
};

struct page {
	json_t *rows[T_N];     /* arrays of objects carrying "_chg" */
	json_t *tombs;
	int64_t chg[T_N * (PR_CHANGES_PAGE_MAX + 1)];
	int nchg;
};

/* Strict "CHG" or "CHG.WINDOW". Returns 0 or -1. */
static int parse_cursor(const char *s, int64_t *chg, int64_t *win)
{
	char *end = NULL;
	long long a, b = 0;

	*chg = 0;
	*win = 0;
	if (s == NULL || *s == '\0')
		return 0;
	if (strlen(s) >= HUB_CURSOR_MAX || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	a = strtoll(s, &end, 10);
	if (errno != 0 || a < 0)
		return -1;
	if (*end == '.') {
		const char *p = end + 1;

		if (*p < '0' || *p > '9')
			return -1;
		b = strtoll(p, &end, 10);
		if (errno != 0 || b < 0)
			return -1;
	}
	if (*end != '\0')
		return -1;
	*chg = a;
	*win = b;
	return 0;
}

static json_t *session_obj(struct hub_res *r)
{
	char st[HUB_ISO_MAX], en[HUB_ISO_MAX];
	const char *prog = hub_res_text(r, 1);

	hub_iso_s(hub_res_int(r, 4), st);
	hub_iso_s(hub_res_int(r, 5), en);
	return json_pack("{s:s,s:o,s:s,s:s,s:s,s:s,s:s,s:b}", "id", hub_res_text(r, 0),
	    "programme_id", prog[0] ? json_string(prog) : json_null(), "title", hub_res_text(r, 2),
	    "room", hub_res_text(r, 3), "start", st, "end", en, "kind", hub_res_text(r, 6),
	    "cancelled", (int)hub_res_int(r, 7));
}

static json_t *row_obj(int t, struct hub_res *r, int64_t *chg, struct page *pg)
{
	json_t *o = NULL;

	switch (t) {
	case T_PEOPLE:
		*chg = hub_res_int(r, 6);
		if (hub_res_int(r, 5) == 0) {  /* no consent (any more): remove from kiosks */
			o = json_pack("{s:s}", "person_id", hub_res_text(r, 0));
			if (o != NULL)
				json_object_set_new(o, "_chg", json_integer(*chg));
			if (o != NULL && json_array_append_new(pg->tombs, o) != 0)
				return NULL;
			return o ? json_null() : NULL;
		}
		o = json_pack("{s:s,s:s,s:s,s:s,s:b}", "id", hub_res_text(r, 0),
		    "display_name", hub_res_text(r, 1), "first_name", hub_res_text(r, 2),
		    "lang", hub_res_text(r, 3), "coordinator", (int)hub_res_int(r, 4));
		break;
	case T_CRED:
		*chg = hub_res_int(r, 4);
		o = json_pack("{s:s,s:s,s:s,s:b}", "person_id", hub_res_text(r, 0),
		    "kind", hub_res_text(r, 1), "mac", hub_res_text(r, 2), "active", (int)hub_res_int(r, 3));
		break;
	case T_PROG:
		*chg = hub_res_int(r, 2);
		o = json_pack("{s:s,s:s}", "id", hub_res_text(r, 0), "title", hub_res_text(r, 1));
		break;
	case T_ENROL:
		*chg = hub_res_int(r, 3);
		o = json_pack("{s:s,s:s,s:b}", "person_id", hub_res_text(r, 0),
		    "programme_id", hub_res_text(r, 1), "active", (int)hub_res_int(r, 2));
		break;
	case T_SESS:
		*chg = hub_res_int(r, 8);
		o = session_obj(r);
		break;
	case T_ASSIGN:
		*chg = hub_res_int(r, 4);
		o = json_pack("{s:s,s:s,s:s,s:b}", "session_id", hub_res_text(r, 0),
		    "person_id", hub_res_text(r, 1), "role", hub_res_text(r, 2),
		    "active", (int)hub_res_int(r, 3));
		break;
	case T_TOMB:
		*chg = hub_res_int(r, 1);
		o = json_pack("{s:s}", "person_id", hub_res_text(r, 0));
		if (o != NULL)
			json_object_set_new(o, "_chg", json_integer(*chg));
		if (o != NULL && json_array_append_new(pg->tombs, o) != 0)
			return NULL;
		return o ? json_null() : NULL;
	case T_REJECT:
		*chg = hub_res_int(r, 1);
		o = json_pack("{s:s}", "id", hub_res_text(r, 0));
		break;
	default:
		return NULL;
	}
	if (o != NULL)
		json_object_set_new(o, "_chg", json_integer(*chg));
	return o;
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Keep rows with _chg <= upto, drop the helper key. */
static void trim(json_t *arr, int64_t upto)
{
	for (size_t i = json_array_size(arr); i-- > 0;) {
		json_t *o = json_array_get(arr, i);
		json_t *c = json_object_get(o, "_chg");

		if (c != NULL && json_integer_value(c) > upto)
			json_array_remove(arr, i);
		else
			json_object_del(o, "_chg");
	}
}

/* The pending card link as an object, or JSON null; NULL on error (*rc set). */
static json_t *card_link(struct hub_db *db, const struct hub_device *dev, int64_t now, int *rc)
{
	struct hub_res *r = NULL;
	json_t *o = json_null();
	char iso[HUB_ISO_MAX];

	*rc = hub_db_query(db, sql_card_link, 3, (struct hub_param[]){ HP_S(dev->id),
	    HP_S(dev->org_id), HP_I(now) }, 0, &r);
	if (*rc != HUB_DB_OK)
		return NULL;
	while ((*rc = hub_res_next(r)) == 1) {
		hub_iso_s(hub_res_int(r, 2), iso);
		json_decref(o);
		o = json_pack("{s:s,s:s,s:s}", "person_id", hub_res_text(r, 0),
		    "first_name", hub_res_text(r, 1), "expires", iso);
		if (o == NULL) {
			*rc = HUB_DB_ERROR;
			break;
		}
	}
	hub_res_free(r);
	if (*rc < 0) {
		json_decref(o);
		return NULL;
	}
	*rc = HUB_DB_OK;
	return o;
}

/* Append fn(row, cls) for every row of *r to arr, then free *r (NULL).
 * Returns HUB_DB_OK or an error code (HUB_DB_ERROR if fn or memory failed). */
static int append_rows(struct hub_res **r, json_t *arr,
    json_t *(*fn)(struct hub_res *row, void *cls), void *cls)
{
	int rc;

	while ((rc = hub_res_next(*r)) == 1) {
		json_t *o = fn(*r, cls);

		if (o == NULL || json_array_append_new(arr, o) != 0) {
			rc = HUB_DB_ERROR;
			break;
		}
	}
	hub_res_free(*r);
	*r = NULL;
	return rc < 0 ? rc : HUB_DB_OK;
}

/* A session entering the window; *(int64_t *)last gets its start. */
static json_t *session_row(struct hub_res *row, void *last)
{
	*(int64_t *)last = hub_res_int(row, 4);
	return session_obj(row);
}

static json_t *assign_row(struct hub_res *row, void *cls)
{
	(void)cls;
	return json_pack("{s:s,s:s,s:s,s:b}", "session_id", hub_res_text(row, 0),
	    "person_id", hub_res_text(row, 1), "role", hub_res_text(row, 2), "active", 1);
}

/* The relayed taps into out ("taps", "taps_cursor"), *more set if a full page. */
static int relay(struct hub_db *db, const struct hub_device *dev, int64_t now,
    struct relay_req *tr, json_t *out, int *more)
{
	json_t *taps = json_array();
	int rc, tmore = 0;

	if (taps == NULL)
		return HUB_DB_ERROR;
	rc = hub_relay_page(db, dev, tr->id, tr->issued_ms, now, taps, tr->cursor, &tmore);
	if (rc != HUB_DB_OK) {
		json_decref(taps);
		return rc;
	}
	json_object_set_new(out, "taps", taps);
	json_object_set_new(out, "taps_cursor", json_string(tr->cursor));
	if (tmore)
		*more = 1;
	return HUB_DB_OK;
}

static int read_page(struct hub_db *db, const struct hub_device *dev, int64_t cur_chg,
    int64_t cur_win, int64_t now, json_t *out, char *cursor, size_t curlen, int *more,
    struct relay_req *tr)
{
	struct page *pg = calloc(1, sizeof(*pg));
	int64_t today = now / HUB_DAY_MS * HUB_DAY_MS;
	int64_t win_lo = today - HUB_WINDOW_BACK_DAYS * HUB_DAY_MS;
	int64_t win_hi = today + (HUB_WINDOW_AHEAD_DAYS + 1) * HUB_DAY_MS;
	int64_t counter = 0, upto, new_win = win_hi, acked = 0;
	struct hub_res *r = NULL;
	json_t *loc = NULL, *sess_new = NULL, *link = NULL;
	int rc = HUB_DB_ERROR, n, unchanged, newcomers = 0;

	if (pg == NULL)
		return HUB_DB_ERROR;
	pg->tombs = json_array();
	sess_new = json_array();
	if (pg->tombs == NULL || sess_new == NULL)
		goto out;
	rc = hub_chg_current(db, dev->org_id, &counter);   /* this organisation's only */
	if (rc < 0)
		goto out;
	/* Nothing of this organisation changed since the cursor and the window
	 * did not move: no table can hold a row for this page. */
	unchanged = cur_chg > 0 && counter <= cur_chg && cur_win >= win_hi;
	for (int t = 0; t < T_N; t++) {
		pg->rows[t] = json_array();
		if (pg->rows[t] == NULL) {
			rc = HUB_DB_ERROR;
			goto out;
		}
		if (unchanged)
			continue;
		if (t == T_REJECT)
			rc = hub_db_query(db, sql[t], 4, (struct hub_param[]){ HP_S(dev->org_id),
			    HP_I(cur_chg), HP_I(PR_CHANGES_PAGE_MAX + 1), HP_S(dev->id) }, 0, &r);
		else
			rc = hub_db_query(db, sql[t], t == T_SESS || t == T_ASSIGN ? 6 : 3,
			    (struct hub_param[]){ HP_S(dev->org_id), HP_I(cur_chg),
			    HP_I(PR_CHANGES_PAGE_MAX + 1), HP_S(dev->location_id), HP_I(win_lo),
			    HP_I(win_hi) }, 0, &r);
		if (rc != HUB_DB_OK)
			goto out;
		while ((rc = hub_res_next(r)) == 1) {
			int64_t chg = 0;
			json_t *o = row_obj(t, r, &chg, pg);

			if (o == NULL) {
				rc = HUB_DB_ERROR;
				break;
			}
			if (!json_is_null(o) && json_array_append_new(pg->rows[t], o) != 0) {
				rc = HUB_DB_ERROR;
				break;
			}
			pg->chg[pg->nchg++] = chg;
		}
		hub_res_free(r);
		r = NULL;
		if (rc < 0)
			goto out;
	}
	/* Sessions that entered the window since the last pull without changing. */
	if (cur_chg > 0 && cur_win < win_hi) {
		int64_t from = cur_win > win_lo ? cur_win : win_lo;
		int64_t last_start = 0;

		rc = hub_db_query(db, sql_sess_new, 6, (struct hub_param[]){ HP_S(dev->org_id),
		    HP_S(dev->location_id), HP_I(cur_chg), HP_I(from), HP_I(win_hi),
		    HP_I(HUB_WINDOW_NEW_MAX) }, 0, &r);
		if (rc != HUB_DB_OK)
			goto out;
		rc = append_rows(&r, sess_new, session_row, &last_start);
		if (rc < 0)
			goto out;
		n = (int)json_array_size(sess_new);
		if (n == HUB_WINDOW_NEW_MAX) {
			/* Cut before the last start; the rest comes with the next page. */
			new_win = last_start;
			for (size_t i = json_array_size(sess_new); i-- > 0;) {
				char iso[HUB_ISO_MAX];

				hub_iso_s(last_start, iso);
				if (strcmp(json_string_value(json_object_get(json_array_get(sess_new, i),
				    "start")), iso) == 0)
					json_array_remove(sess_new, i);
			}
			*more = 1;
		}
		rc = hub_db_query(db, sql_assign_new, 5, (struct hub_param[]){ HP_S(dev->org_id),
		    HP_S(dev->location_id), HP_I(cur_chg), HP_I(from), HP_I(new_win) }, 0, &r);
		if (rc != HUB_DB_OK)
			goto out;
		rc = append_rows(&r, pg->rows[T_ASSIGN], assign_row, NULL);
		if (rc < 0)
			goto out;
	}
	qsort(pg->chg, (size_t)pg->nchg, sizeof(pg->chg[0]), cmp64);
	if (pg->nchg > PR_CHANGES_PAGE_MAX) {
		upto = pg->chg[PR_CHANGES_PAGE_MAX - 1];
		*more = 1;
	} else {
		upto = counter > cur_chg ? counter : cur_chg;
	}
	for (int t = 0; t < T_N; t++)
		trim(pg->rows[t], upto);
	trim(pg->tombs, upto);
	json_array_extend(pg->rows[T_SESS], sess_new);
	rc = hub_db_query(db, "SELECT l.id, l.name, l.timezone, o.newcomers FROM locations l"
	    " JOIN organisations o ON o.id = l.org_id WHERE l.id = $1", 1,
	    (struct hub_param[]){ HP_S(dev->location_id) }, 0, &r);
	if (rc != HUB_DB_OK)
		goto out;
	if ((rc = hub_res_next(r)) == 1) {
		loc = json_pack("{s:s,s:s,s:s}", "id", hub_res_text(r, 0), "name", hub_res_text(r, 1),
		    "timezone", hub_res_text(r, 2));
		newcomers = hub_res_int(r, 3) != 0;
		while ((rc = hub_res_next(r)) == 1)
			;
	}
	hub_res_free(r);
	r = NULL;
	if (rc < 0 || loc == NULL) {
		rc = rc < 0 ? rc : HUB_DB_ERROR;
		goto out;
	}
	link = card_link(db, dev, now, &rc);
	if (link == NULL)
		goto out;
	rc = hub_ingest_acked(db, dev->id, &acked);
	if (rc != HUB_DB_OK)
		goto out;
	if (tr->on && (rc = relay(db, dev, now, tr, out, more)) != HUB_DB_OK)
		goto out;
	n = snprintf(cursor, curlen, "%lld.%lld", (long long)upto, (long long)new_win);
	if (n < 0 || (size_t)n >= curlen) {
		rc = HUB_DB_ERROR;
		goto out;
	}
	json_object_set_new(out, "location", loc);
	json_object_set(out, "people", pg->rows[T_PEOPLE]);
	json_object_set(out, "credentials", pg->rows[T_CRED]);
	json_object_set(out, "programmes", pg->rows[T_PROG]);
	json_object_set(out, "enrolments", pg->rows[T_ENROL]);
	json_object_set(out, "sessions", pg->rows[T_SESS]);
	json_object_set(out, "assignments", pg->rows[T_ASSIGN]);
	json_object_set(out, "tombstones", pg->tombs);
	json_object_set(out, "registrations_rejected", pg->rows[T_REJECT]);
	json_object_set_new(out, "newcomers", json_boolean(newcomers));
	json_object_set_new(out, "card_link", link);
	link = NULL;
	json_object_set_new(out, "acked_seq", json_integer(acked));
	rc = HUB_DB_OK;
out:
	hub_res_free(r);
	for (int t = 0; t < T_N; t++)
		json_decref(pg->rows[t]);
	json_decref(pg->tombs);
	json_decref(sess_new);
	json_decref(link);
	free(pg);
	return rc;
}

void hub_api_changes(struct hub_req *rq, struct hub_resp *rs)
{
	struct hub_device dev;
	char cursor[HUB_CURSOR_MAX], iso[HUB_ISO_MAX];
	int64_t cur_chg, cur_win, now = hub_now_ms();
	struct relay_req tr;
	const char *taps = NULL;
	json_t *out = NULL;
	int rc = HUB_DB_ERROR, more = 0;

	if (hub_req_device(rq, rs, &dev) != 0)
		return;
	if (parse_cursor(hub_req_arg(rq, "cursor"), &cur_chg, &cur_win) != 0) {
		hub_resp_error(rs, 400, "bad_request", "cursor: not a cursor this hub gave out");
		return;
	}
	memset(&tr, 0, sizeof(tr));
	taps = hub_req_arg(rq, "taps");
	tr.on = taps != NULL;
	if (tr.on && hub_relay_cursor_parse(taps, &tr.id, &tr.issued_ms) != 0) {
		hub_resp_error(rs, 400, "bad_request", "taps: not a tap cursor this hub gave out");
		return;
	}
	for (int tries = 0; tries < HUB_DB_RETRIES; tries++) {
		json_decref(out);
		out = json_object();
		more = 0;
		if (out == NULL)
			break;
		rc = hub_db_begin_snapshot(rq->db);
		if (rc == HUB_DB_OK)
			rc = read_page(rq->db, &dev, cur_chg, cur_win, now, out, cursor, sizeof(cursor),
			    &more, &tr);
		hub_db_rollback(rq->db);   /* read only: nothing to commit */
		if (rc != HUB_DB_RETRY)
			break;
	}
	if (rc != HUB_DB_OK || out == NULL) {
		json_decref(out);
		hub_resp_dberr(rs, rc);
		return;
	}
	hub_iso_ms(now, iso);
	json_object_set_new(out, "cursor", json_string(cursor));
	json_object_set_new(out, "more", json_boolean(more));
	json_object_set_new(out, "server_time", json_string(iso));
	hub_resp_json(rs, 200, out);
}
