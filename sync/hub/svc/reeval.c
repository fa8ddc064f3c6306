/* reeval.c — see reeval.h. One round reads up to HUB_REEVAL_CHUNK marked
 * rows (the partial index events_clock_due), fetches the sessions of all
 * its presence taps with one join (a sessions_loc range per tap, the
 * enrolment and the assignment by primary key), decides each tap with
 * rules_decide, and writes the whole round back with one UPDATE ... FROM a
 * JSON array; then its check-outs: one query for the presence each closes
 * (events_person), one UPDATE, one link. Values travel as one JSON
 * parameter (json_each on SQLite, json_array_elements on PostgreSQL), as in
 * ingest_rows.c, so a round costs at most five statements whatever its size.
 * Must not: build SQL from input; decide anything rules_decide does not. */
#include "hub/svc/reeval.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/base/hubtz.h"
#include "hub/db/db.h"
#include "hub/svc/events_parse.h"

#define OPEN_MAX_MS ((int64_t)RULES_OPEN_MAX_S * 1000)

enum { DUE_OTHER = 0, DUE_PRESENCE, DUE_CHECK_OUT };

/* A marked row of the round and what becomes of it. */
struct due {
	int64_t id, t_ms, day;
	int what;                     /* DUE_* */
	int decided;                  /* 1: write the meaning below (and orig_*) */
	char kind[HUB_KIND_MAX];
	char person[PR_ID_MAX];
	char session[PR_ID_MAX];      /* "" = NULL */
	char role[PR_ROLE_MAX];       /* "" = NULL */
	char uuid[PR_UUID_STR];
	char new_kind[HUB_KIND_MAX];
	char new_session[PR_ID_MAX];  /* "" = NULL */
	char new_role[PR_ROLE_MAX];   /* "" = NULL */
	const char *reeval;
	size_t s0, ns;                /* its sessions: round.sess[s0 .. s0 + ns) */
	int64_t close_id;             /* check-out: the check-in it closes (0: none) */
};

/* One session of a tap's day, as read. */
struct sess_row {
	char id[PR_ID_MAX];
	char kind[HUB_KIND_MAX];
	char role[PR_ROLE_MAX];
	int has_role, enrolled;
	int64_t start_ms, end_ms;
};

struct round {
	struct hub_db *db;
	int pg;
	const char *org_id, *location_id;
	const struct hub_tz *zone;
	struct due d[HUB_REEVAL_CHUNK];
	size_t n;
	struct sess_row *sess;
	size_t nsess, cap;
};

static const char sql_due[] =
	"SELECT id, kind, COALESCE(person_id, ''), t_ms, COALESCE(session_id, ''),"
	" COALESCE(role, ''), uuid FROM events WHERE device_id = $1 AND clock_due = 1"
	" ORDER BY id LIMIT $2";

/* The tap's fields from the JSON array [[k, person, from_ms, to_ms], ...]. */
#define TAPS_SQLITE \
	"(SELECT json_extract(j.value, '$[0]') AS k, json_extract(j.value, '$[1]') AS p," \
	" json_extract(j.value, '$[2]') AS f, json_extract(j.value, '$[3]') AS t FROM json_each($3) j)"
#define TAPS_PG \
	"(SELECT (j.v ->> 0)::bigint AS k, j.v ->> 1 AS p, (j.v ->> 2)::bigint AS f," \
	" (j.v ->> 3)::bigint AS t FROM json_array_elements($3::json) AS j(v))"
/* The kiosk's view (store_sql.c SQ_SESSIONS_BETWEEN) at the hub: sessions of
 * the location overlapping the tap's local day [f, t), not cancelled, with
 * the person's enrolment in the programme and smallest active role. */
#define SESSIONS(TAPS) \
	"SELECT x.k, s.id, s.start_ms, s.end_ms, s.kind," \
	" CASE WHEN s.programme_id IS NULL THEN 0 ELSE CASE WHEN EXISTS (SELECT 1 FROM enrolments n" \
	"   WHERE n.org_id = $1 AND n.person_id = x.p AND n.programme_id = s.programme_id" \
	"   AND n.active = 1) THEN 1 ELSE 0 END END," \
	" (SELECT MIN(a.role) FROM assignments a WHERE a.org_id = $1 AND a.session_id = s.id" \
	"   AND a.person_id = x.p AND a.active = 1)" \
	" FROM " TAPS " x JOIN sessions s ON s.location_id = $2 AND s.start_ms >= x.f - $4" \
	" AND s.start_ms < x.t AND s.end_ms > x.f" \
	" WHERE s.org_id = $1 AND s.cancelled = 0 ORDER BY x.k, s.start_ms, s.id"

/* The check-outs [[k, person, t_ms], ...] and the presence each closes. */
#define OUTS_SQLITE \
	"(SELECT json_extract(j.value, '$[0]') AS k, json_extract(j.value, '$[1]') AS p," \
	" json_extract(j.value, '$[2]') AS t FROM json_each($3) j)"
#define OUTS_PG \
	"(SELECT (j.v ->> 0)::bigint AS k, j.v ->> 1 AS p, (j.v ->> 2)::bigint AS t" \
	" FROM json_array_elements($3::json) AS j(v))"
#define CLOSES(OUTS) \
	"SELECT x.k, i.id, i.kind, COALESCE(i.session_id, ''), COALESCE(i.role, '')" \
	" FROM " OUTS " x JOIN events i ON i.id = (SELECT p.id FROM events p" \
	"   WHERE p.org_id = $1 AND p.person_id = x.p AND p.location_id = $2" \
	"   AND p.kind IN ('check_in', 'drop_in') AND p.t_ms <= x.t AND p.t_ms >= x.t - $4" \
	"   ORDER BY p.t_ms DESC, p.id DESC LIMIT 1)"

/* The round written back: [[id, local_day, m, kind, session, role, reeval], ...];
 * m = 1 replaces the meaning (keeping the device's in orig_* the first
 * time), m = 0 only sets local_day. Every row's mark is cleared. */
#define ROWS_SQLITE \
	"(SELECT json_extract(j.value, '$[0]') AS id, json_extract(j.value, '$[1]') AS d," \
	" json_extract(j.value, '$[2]') AS m, json_extract(j.value, '$[3]') AS k," \
	" json_extract(j.value, '$[4]') AS s, json_extract(j.value, '$[5]') AS r," \
	" json_extract(j.value, '$[6]') AS o FROM json_each($1) j)"
#define ROWS_PG \
	"(SELECT (j.v ->> 0)::bigint AS id, (j.v ->> 1)::bigint AS d, (j.v ->> 2)::integer AS m," \
	" j.v ->> 3 AS k, j.v ->> 4 AS s, j.v ->> 5 AS r, j.v ->> 6 AS o" \
	" FROM json_array_elements($1::json) AS j(v))"
#define WRITE(ROWS) \
	"UPDATE events SET local_day = x.d, clock_due = NULL," \
	" orig_kind = CASE WHEN x.m = 1 THEN COALESCE(orig_kind, kind) ELSE orig_kind END," \
	" orig_session_id = CASE WHEN x.m = 1 AND orig_kind IS NULL THEN session_id" \
	"   ELSE orig_session_id END," \
	" orig_role = CASE WHEN x.m = 1 AND orig_kind IS NULL THEN role ELSE orig_role END," \
	" kind = CASE WHEN x.m = 1 THEN x.k ELSE kind END," \
	" session_id = CASE WHEN x.m = 1 THEN x.s ELSE session_id END," \
	" role = CASE WHEN x.m = 1 THEN x.r ELSE role END," \
	" reeval = CASE WHEN x.m = 1 THEN x.o ELSE reeval END" \
	" FROM " ROWS " x WHERE events.id = x.id"

/* A check-out closes its check-in: [[check-in id, check-out uuid], ...]. */
#define LINKS_SQLITE \
	"(SELECT json_extract(j.value, '$[0]') AS id, json_extract(j.value, '$[1]') AS u" \
	" FROM json_each($1) j)"
#define LINKS_PG \
	"(SELECT (j.v ->> 0)::bigint AS id, j.v ->> 1 AS u FROM json_array_elements($1::json) AS j(v))"
#define LINK(LINKS) \
	"UPDATE events SET out_uuid = x.u FROM " LINKS " x WHERE events.id = x.id" \
	" AND events.kind = 'check_in' AND events.out_uuid IS NULL"

static const char *const sql_sessions[2] = { SESSIONS(TAPS_SQLITE), SESSIONS(TAPS_PG) };
static const char *const sql_closes[2] = { CLOSES(OUTS_SQLITE), CLOSES(OUTS_PG) };
static const char *const sql_write[2] = { WRITE(ROWS_SQLITE), WRITE(ROWS_PG) };
static const char *const sql_link[2] = { LINK(LINKS_SQLITE), LINK(LINKS_PG) };

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static enum rules_session_kind kind_of(const char *k)
{
	if (k != NULL && strcmp(k, "coaching") == 0)
		return RULES_KIND_COACHING;
	if (k != NULL && strcmp(k, "open") == 0)
		return RULES_KIND_OPEN;
	if (k != NULL && strcmp(k, "intake") == 0)
		return RULES_KIND_INTAKE;
	return RULES_KIND_GROUP;
}

int hub_reeval_decide(const struct rules_config *cfg, int64_t t_ms,
    const struct hub_reeval_session *s, size_t n, struct hub_reeval_meaning *out)
{
	struct rules_session rs[RULES_MAX_CHOICES];
	struct rules_config def;
	struct rules_input in;
	struct rules_decision d;

	out->kind = out->session_id = out->role = NULL;
	out->reeval = "kept";
	if (cfg == NULL) {
		rules_config_default(&def);
		cfg = &def;
	}
	if (n > RULES_MAX_CHOICES || (n > 0 && s == NULL))
		return -1;
	for (size_t i = 0; i < n; i++) {
		rs[i].id = s[i].id;
		rs[i].start = floor_div(s[i].start_ms, 1000);
		rs[i].end = floor_div(s[i].end_ms, 1000);
		rs[i].kind = kind_of(s[i].kind);
		rs[i].enrolled = s[i].enrolled != 0;
		rs[i].role = s[i].role;
	}
	memset(&in, 0, sizeof(in));
	in.known = 1;
	in.now = floor_div(t_ms, 1000);
	in.sessions = rs;
	in.n_sessions = n;
	in.last.kind = RULES_LAST_NONE;
	if (rules_decide(cfg, &in, &d) != 0)
		return -1;
	switch (d.outcome) {
	case RULES_CHECK_IN:
		out->kind = "check_in";
		out->session_id = s[d.session].id;
		out->role = d.role;
		out->reeval = "check_in";
		return 0;
	case RULES_DROP_IN:
		out->kind = "drop_in";
		out->reeval = "drop_in";
		return 0;
	case RULES_CHOOSE:
		out->kind = "drop_in";
		out->reeval = "choose";
		return 0;
	default:   /* a fresh tap of a known person is none of the others */
		return -1;
	}
}

/* Copy src into a field of n bytes; -1 if it does not fit. */
static int put(char *dst, size_t n, const char *src)
{
	int k = snprintf(dst, n, "%s", src != NULL ? src : "");

	return k < 0 || (size_t)k >= n ? -1 : 0;
}

/* The device's meaning again, flagged "kept". */
static void keep(struct due *e)
{
	e->decided = 1;
	e->reeval = "kept";
	memcpy(e->new_kind, e->kind, sizeof(e->new_kind));
	memcpy(e->new_session, e->session, sizeof(e->new_session));
	memcpy(e->new_role, e->role, sizeof(e->new_role));
}

/* Read up to HUB_REEVAL_CHUNK marked rows into r->d. Returns a db code. */
static int load_due(struct round *r, const char *device_id)
{
	struct hub_res *res = NULL;
	int rc;

	r->n = 0;
	rc = hub_db_query(r->db, sql_due, 2, (struct hub_param[]){ HP_S(device_id),
	    HP_I(HUB_REEVAL_CHUNK) }, 0, &res);
	if (rc != HUB_DB_OK)
		return rc;
	while (r->n < HUB_REEVAL_CHUNK && (rc = hub_res_next(res)) == 1) {
		struct due *e = &r->d[r->n];

		memset(e, 0, sizeof(*e));
		e->id = hub_res_int(res, 0);
		e->t_ms = hub_res_int(res, 3);
		e->day = hub_tz_day(r->zone, e->t_ms);
		r->n++;
		if (put(e->kind, sizeof(e->kind), hub_res_text(res, 1)) != 0 ||
		    put(e->person, sizeof(e->person), hub_res_text(res, 2)) != 0 ||
		    put(e->session, sizeof(e->session), hub_res_text(res, 4)) != 0 ||
		    put(e->role, sizeof(e->role), hub_res_text(res, 5)) != 0 ||
		    put(e->uuid, sizeof(e->uuid), hub_res_text(res, 6)) != 0 || e->person[0] == '\0')
			continue;   /* only local_day for it */
		if (strcmp(e->kind, "check_in") == 0 || strcmp(e->kind, "drop_in") == 0)
			e->what = DUE_PRESENCE;
		else if (strcmp(e->kind, "check_out") == 0)
			e->what = DUE_CHECK_OUT;
	}
	hub_res_free(res);
	return rc < 0 ? rc : HUB_DB_OK;
}

/* The JSON text of a (malloc'd) array; NULL on failure. Takes a. */
static char *dump(json_t *a)
{
	char *s = a != NULL ? json_dumps(a, JSON_COMPACT) : NULL;

	json_decref(a);
	return s;
}

/* Run sql (params: organisation, location, list, span) over the JSON list
 * a, which it takes. Returns HUB_DB_OK with *res NULL when a is empty, the
 * query's rows in *res (the caller frees) otherwise, or a HUB_DB_ error. */
static int list_query(struct round *r, json_t *a, const char *sql, int64_t span,
    struct hub_res **res)
{
	char *list;
	int rc;

	*res = NULL;
	if (json_array_size(a) == 0) {
		json_decref(a);
		return HUB_DB_OK;
	}
	list = dump(a);
	if (list == NULL)
		return HUB_DB_ERROR;
	rc = hub_db_query(r->db, sql, 4, (struct hub_param[]){ HP_S(r->org_id),
	    HP_S(r->location_id), HP_S(list), HP_I(span) }, 0, res);
	free(list);
	return rc;
}

/* Run the write sql (one param: the list) over the JSON list a, which it
 * takes; nothing to do when a is empty. Returns a HUB_DB_ code. */
static int list_exec(struct round *r, json_t *a, const char *sql)
{
	char *list;
	int rc;

	if (json_array_size(a) == 0) {
		json_decref(a);
		return HUB_DB_OK;
	}
	list = dump(a);
	if (list == NULL)
		return HUB_DB_ERROR;
	rc = hub_db_exec(r->db, sql, 1, (struct hub_param[]){ HP_S(list) }, NULL);
	free(list);
	return rc;
}

/* Append one session row of tap k (rows arrive in k order). */
static int add_session(struct round *r, struct due *e, struct hub_res *res)
{
	struct sess_row *s;

	if (e->ns >= RULES_MAX_CHOICES)
		return 0;   /* the kiosk too reads at most this many a day */
	if (r->nsess == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 64;
		struct sess_row *p = realloc(r->sess, nc * sizeof(*p));

		if (p == NULL)
			return -1;
		r->sess = p;
		r->cap = nc;
	}
	if (e->ns == 0)
		e->s0 = r->nsess;
	s = &r->sess[r->nsess];
	memset(s, 0, sizeof(*s));
	if (put(s->id, sizeof(s->id), hub_res_text(res, 1)) != 0 ||
	    put(s->kind, sizeof(s->kind), hub_res_text(res, 4)) != 0 ||
	    put(s->role, sizeof(s->role), hub_res_text(res, 6)) != 0)
		return 0;   /* longer than any id the hub accepts: not a candidate */
	s->start_ms = hub_res_int(res, 2);
	s->end_ms = hub_res_int(res, 3);
	s->enrolled = hub_res_int(res, 5) != 0;
	s->has_role = !hub_res_is_null(res, 6);
	r->nsess++;
	e->ns++;
	return 0;
}

/* Sessions of every presence tap of the round, one query. */
static int load_sessions(struct round *r)
{
	json_t *a = json_array();
	struct hub_res *res = NULL;
	int rc;

	r->nsess = 0;
	if (a == NULL)
		return HUB_DB_ERROR;
	for (size_t i = 0; i < r->n; i++) {
		struct due *e = &r->d[i];
		int64_t from, to;

		if (e->what != DUE_PRESENCE)
			continue;
		if (hub_tz_day_start(r->zone, e->day, &from) != 0 ||
		    hub_tz_day_start(r->zone, e->day + 1, &to) != 0) {
			keep(e);
			continue;
		}
		if (json_array_append_new(a, json_pack("[I,s,I,I]", (json_int_t)i, e->person,
		    (json_int_t)from, (json_int_t)to)) != 0) {
			json_decref(a);
			return HUB_DB_ERROR;
		}
	}
	rc = list_query(r, a, sql_sessions[r->pg], HUB_REEVAL_SPAN_MS, &res);
	if (rc != HUB_DB_OK || res == NULL)
		return rc;
	while ((rc = hub_res_next(res)) == 1) {
		int64_t k = hub_res_int(res, 0);

		if (k < 0 || (size_t)k >= r->n || r->d[k].what != DUE_PRESENCE)
			continue;
		if (add_session(r, &r->d[k], res) != 0) {
			rc = HUB_DB_ERROR;
			break;
		}
	}
	hub_res_free(res);
	return rc < 0 ? rc : HUB_DB_OK;
}

/* Decide every presence tap of the round. */
static void decide_all(struct round *r)
{
	struct hub_reeval_session hs[RULES_MAX_CHOICES];

	for (size_t i = 0; i < r->n; i++) {
		struct due *e = &r->d[i];
		struct hub_reeval_meaning m;

		if (e->what != DUE_PRESENCE || e->decided)
			continue;
		for (size_t j = 0; j < e->ns; j++) {
			const struct sess_row *s = &r->sess[e->s0 + j];

			hs[j] = (struct hub_reeval_session){ .id = s->id, .start_ms = s->start_ms,
				.end_ms = s->end_ms, .kind = s->kind, .enrolled = s->enrolled,
				.role = s->has_role ? s->role : NULL };
		}
		if (hub_reeval_decide(NULL, e->t_ms, hs, e->ns, &m) != 0 ||
		    put(e->new_kind, sizeof(e->new_kind), m.kind) != 0 ||
		    put(e->new_session, sizeof(e->new_session), m.session_id) != 0 ||
		    put(e->new_role, sizeof(e->new_role), m.role) != 0) {
			keep(e);
			continue;
		}
		e->decided = 1;
		e->reeval = m.reeval;
	}
}

static json_t *text_or_null(const char *s)
{
	return s[0] != '\0' ? json_string(s) : json_null();
}

/* Write the round back (only its check-outs if outs_only). */
static int write_rows(struct round *r, int outs_only)
{
	json_t *a = json_array();

	if (a == NULL)
		return HUB_DB_ERROR;
	for (size_t i = 0; i < r->n; i++) {
		const struct due *e = &r->d[i];
		json_t *row;

		if (outs_only && e->what != DUE_CHECK_OUT)
			continue;
		/* the first write gives every row its day and the presences their
		 * meaning; the check-outs get theirs in the second */
		if (e->decided && e->what == (outs_only ? DUE_CHECK_OUT : DUE_PRESENCE))
			row = json_pack("[I,I,i,s,o,o,s]", (json_int_t)e->id, (json_int_t)e->day, 1,
			    e->new_kind, text_or_null(e->new_session), text_or_null(e->new_role),
			    e->reeval);
		else
			row = json_pack("[I,I,i,n,n,n,n]", (json_int_t)e->id, (json_int_t)e->day, 0);
		if (json_array_append_new(a, row) != 0) {
			json_decref(a);
			return HUB_DB_ERROR;
		}
	}
	return list_exec(r, a, sql_write[r->pg]);
}

/* The check-outs of the round: each takes the session and role of the
 * presence it closes (read after the presences were written). */
static int close_outs(struct round *r)
{
	json_t *a = json_array(), *links;
	struct hub_res *res = NULL;
	int rc;

	if (a == NULL)
		return HUB_DB_ERROR;
	for (size_t i = 0; i < r->n; i++) {
		struct due *e = &r->d[i];

		if (e->what != DUE_CHECK_OUT)
			continue;
		keep(e);   /* unless a presence is found below */
		if (json_array_append_new(a, json_pack("[I,s,I]", (json_int_t)i, e->person,
		    (json_int_t)e->t_ms)) != 0) {
			json_decref(a);
			return HUB_DB_ERROR;
		}
	}
	rc = list_query(r, a, sql_closes[r->pg], OPEN_MAX_MS, &res);
	if (rc != HUB_DB_OK || res == NULL)
		return rc;   /* an error, or no check-out in the round */
	while ((rc = hub_res_next(res)) == 1) {
		int64_t k = hub_res_int(res, 0);
		struct due *e;

		if (k < 0 || (size_t)k >= r->n || r->d[k].what != DUE_CHECK_OUT)
			continue;
		e = &r->d[k];
		if (put(e->new_session, sizeof(e->new_session), hub_res_text(res, 3)) != 0 ||
		    put(e->new_role, sizeof(e->new_role), hub_res_text(res, 4)) != 0) {
			keep(e);
			continue;
		}
		e->reeval = "check_out";
		if (strcmp(hub_res_text(res, 2), "check_in") == 0)
			e->close_id = hub_res_int(res, 1);
	}
	hub_res_free(res);
	if (rc < 0)
		return rc;
	rc = write_rows(r, 1);
	if (rc != HUB_DB_OK)
		return rc;
	links = json_array();
	if (links == NULL)
		return HUB_DB_ERROR;
	for (size_t i = 0; i < r->n; i++) {
		const struct due *e = &r->d[i];

		if (e->what != DUE_CHECK_OUT || e->close_id == 0)
			continue;
		if (json_array_append_new(links, json_pack("[I,s]", (json_int_t)e->close_id,
		    e->uuid)) != 0) {
			json_decref(links);
			return HUB_DB_ERROR;
		}
	}
	return list_exec(r, links, sql_link[r->pg]);
}

int hub_reeval_due(struct hub_db *db, const char *device_id, const char *org_id,
    const char *location_id, const struct hub_tz *zone, int64_t *rows)
{
	struct round *r = calloc(1, sizeof(*r));
	int rc = HUB_DB_ERROR;

	if (rows != NULL)
		*rows = 0;
	if (r == NULL)
		return HUB_DB_ERROR;
	r->db = db;
	r->pg = hub_db_kind(db) == HUB_DB_PG;
	r->org_id = org_id;
	r->location_id = location_id;
	r->zone = zone != NULL ? zone : hub_tz_get(NULL);
	if (r->zone == NULL)
		goto out;
	for (;;) {
		rc = load_due(r, device_id);
		if (rc != HUB_DB_OK || r->n == 0)
			break;
		if (rows != NULL)
			*rows += (int64_t)r->n;
		rc = load_sessions(r);
		if (rc != HUB_DB_OK)
			break;
		decide_all(r);
		rc = write_rows(r, 0);
		if (rc == HUB_DB_OK)
			rc = close_outs(r);
		if (rc != HUB_DB_OK || r->n < HUB_REEVAL_CHUNK)
			break;
	}
out:
	free(r->sess);
	free(r);
	return rc;
}
