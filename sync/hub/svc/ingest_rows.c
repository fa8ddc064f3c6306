/* ingest_rows.c — the row work of one ingest attempt, set-based so a batch
 * costs a handful of round trips: the batch's distinct sessions and people
 * checked with one query each (the ids passed as one JSON array parameter),
 * and on PostgreSQL the whole batch inserted by one INSERT ... SELECT FROM
 * unnest($1::text[], ...) ON CONFLICT DO NOTHING RETURNING seq. SQLite runs
 * in-process, where one prepared INSERT per event is as fast and simpler.
 * Must not: decide about the transaction (ingest.c owns begin/commit/retry)
 * or build SQL from input (ids travel as parameters). */
#include "hub/svc/ingest_impl.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/base/hubtz.h"
#include "hub/db/db.h"
#include "hub/svc/auth.h"

enum { REF_BAD = 0, REF_OK = 1, REF_ANON = 2 };

int hub_ingest_fail(struct hub_ingest_result *res, int status, const char *fmt, ...)
{
	va_list ap;

	res->status = status;
	va_start(ap, fmt);
	if (vsnprintf(res->err, sizeof(res->err), fmt, ap) < 0)
		res->err[0] = '\0';
	va_end(ap);
	return 1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The distinct ids of a field: sorted, in ids (n slots); returns the count. */
static int distinct(const struct hub_batch *b, size_t field, const char **ids)
{
	int n = 0, k = 0;

	for (int i = 0; i < b->n; i++) {
		const char *s = (const char *)&b->ev[i] + field;

		if (s[0] != '\0')
			ids[n++] = s;
	}
	qsort(ids, (size_t)n, sizeof(*ids), cmp_str);
	for (int i = 0; i < n; i++)
		if (k == 0 || strcmp(ids[k - 1], ids[i]) != 0)
			ids[k++] = ids[i];
	return k;
}

/* Position of s in the sorted ids, or -1. */
static int find(const char **ids, int n, const char *s)
{
	const char **hit = bsearch(&s, ids, (size_t)n, sizeof(*ids), cmp_str);

	return hit ? (int)(hit - ids) : -1;
}

/* ids as a JSON array text (malloc'd), or NULL. */
static char *json_list(const char **ids, int n)
{
	json_t *a = json_array();
	char *s = NULL;

	if (a == NULL)
		return NULL;
	for (int i = 0; i < n; i++)
		if (json_array_append_new(a, json_string(ids[i])) != 0)
			goto out;
	s = json_dumps(a, JSON_COMPACT);
out:
	json_decref(a);
	return s;
}

/* Never NULL in fact (hub_res_text gives "" for NULL; ours are arrays),
 * but HP_S's NULL test on the same arrays makes the analyzer think so. */
static int same_text(const char *stored, const char *mine)
{
	return stored != NULL && mine != NULL && strcmp(stored, mine) == 0;
}

/* Fill verdict[0..n) (REF_*) for the ids, one query. Returns a db code. */
static int lookup(struct hub_ingest_ctx *c, int people, const char **ids, int n,
    unsigned char *verdict)
{
	static const char *const sql[2][2] = {
		{ "SELECT j.key, s.location_id FROM json_each($2) j"
		  " LEFT JOIN sessions s ON s.org_id = $1 AND s.id = j.value",
		  "SELECT j.key, CASE WHEN EXISTS (SELECT 1 FROM people p WHERE p.org_id = $1"
		  " AND p.id = j.value) THEN 1 WHEN EXISTS (SELECT 1 FROM tombstones t"
		  " WHERE t.org_id = $1 AND t.person_id = j.value) THEN 2 ELSE 0 END"
		  " FROM json_each($2) j" },
		{ "SELECT j.k - 1, s.location_id FROM json_array_elements_text($2::json)"
		  " WITH ORDINALITY AS j(v, k) LEFT JOIN sessions s ON s.org_id = $1 AND s.id = j.v",
		  "SELECT j.k - 1, CASE WHEN EXISTS (SELECT 1 FROM people p WHERE p.org_id = $1"
		  " AND p.id = j.v) THEN 1 WHEN EXISTS (SELECT 1 FROM tombstones t"
		  " WHERE t.org_id = $1 AND t.person_id = j.v) THEN 2 ELSE 0 END"
		  " FROM json_array_elements_text($2::json) WITH ORDINALITY AS j(v, k)" },
	};
	int pg = hub_db_kind(c->db) == HUB_DB_PG;
	struct hub_res *r = NULL;
	char *list;
	int rc;

	memset(verdict, REF_BAD, (size_t)n);
	if (n == 0)
		return HUB_DB_OK;
	list = json_list(ids, n);
	if (list == NULL)
		return HUB_DB_ERROR;
	rc = hub_db_query(c->db, sql[pg][people], 2,
	    (struct hub_param[]){ HP_S(c->dev->org_id), HP_S(list) }, 0, &r);
	free(list);
	if (rc != HUB_DB_OK)
		return rc;
	while ((rc = hub_res_next(r)) == 1) {
		int64_t k = hub_res_int(r, 0);

		if (k < 0 || k >= n)
			continue;
		if (people)
			verdict[k] = (unsigned char)hub_res_int(r, 1);
		else
			verdict[k] = !hub_res_is_null(r, 1) &&
			    same_text(hub_res_text(r, 1), c->dev->location_id) ? REF_OK : REF_BAD;
	}
	hub_res_free(r);
	return rc < 0 ? rc : HUB_DB_OK;
}

int hub_ingest_check_refs(struct hub_ingest_ctx *c)
{
	const struct hub_batch *b = c->b;
	size_t n = (size_t)(b->n > 0 ? b->n : 1);
	const char **sids = calloc(n, sizeof(*sids)), **pids = calloc(n, sizeof(*pids));
	unsigned char *sv = calloc(n, 1), *pv = calloc(n, 1);
	int ns, np, rc = HUB_DB_ERROR;

	if (sids == NULL || pids == NULL || sv == NULL || pv == NULL)
		goto out;
	ns = distinct(b, offsetof(struct hub_event, session_id), sids);
	np = distinct(b, offsetof(struct hub_event, person_id), pids);
	rc = lookup(c, 0, sids, ns, sv);
	if (rc == HUB_DB_OK)
		rc = lookup(c, 1, pids, np, pv);
	for (int i = 0; rc == HUB_DB_OK && i < b->n; i++) {
		const struct hub_event *e = &b->ev[i];
		int k;

		if (e->session_id[0] != '\0' && (k = find(sids, ns, e->session_id)) >= 0 &&
		    sv[k] != REF_OK)
			rc = hub_ingest_fail(c->res, 403, "events[%d].session_id: session '%s' is not "
			    "at this device's location", i, e->session_id);
		else if (e->person_id[0] != '\0' && (k = find(pids, np, e->person_id)) >= 0 &&
		    pv[k] == REF_BAD)
			rc = hub_ingest_fail(c->res, 403, "events[%d].person_id: '%s' is not a person "
			    "of this device's organisation", i, e->person_id);
		else if (e->person_id[0] != '\0')
			c->anon[i] = pv[find(pids, np, e->person_id)] == REF_ANON;
	}
out:
	free(sids);
	free(pids);
	free(sv);
	free(pv);
	return rc;
}

/* An insert found an existing row: same content -> 0 (duplicate), other
 * content -> 1 (409 filled), < 0 db error. */
static int compare_existing(struct hub_ingest_ctx *c, int i)
{
	const struct hub_event *e = &c->b->ev[i];
	struct hub_res *r = NULL;
	int rc, differs = 1;

	/* a re-decided row holds the device's words in orig_* (svc/reeval.h) */
	rc = hub_db_query(c->db, "SELECT device_id, seq, COALESCE(orig_kind, kind),"
	    " COALESCE(person_id, ''), CASE WHEN orig_kind IS NULL THEN COALESCE(session_id, '')"
	    " ELSE COALESCE(orig_session_id, '') END, CASE WHEN orig_kind IS NULL THEN"
	    " COALESCE(role, '') ELSE COALESCE(orig_role, '') END, wall_ms, boot_id, boottime_ns,"
	    " clock_synced, payload, anonymised, uuid FROM events"
	    " WHERE uuid = $1 OR (device_id = $2 AND seq = $3)", 3,
	    (struct hub_param[]){ HP_S(e->uuid), HP_S(c->dev->id), HP_I(e->seq) }, 0, &r);
	if (rc != HUB_DB_OK)
		return rc;
	while ((rc = hub_res_next(r)) == 1) {
		int anon = hub_res_int(r, 11) != 0;

		differs = !(same_text(hub_res_text(r, 0), c->dev->id) &&
		    hub_res_int(r, 1) == e->seq &&
		    same_text(hub_res_text(r, 2), e->kind) &&
		    (anon || same_text(hub_res_text(r, 3), e->person_id)) &&
		    same_text(hub_res_text(r, 4), e->session_id) &&
		    same_text(hub_res_text(r, 5), e->role) &&
		    hub_res_int(r, 6) == e->wall_ms &&
		    same_text(hub_res_text(r, 7), e->boot_id) &&
		    hub_res_int(r, 8) == e->boottime_ns &&
		    hub_res_int(r, 9) == e->clock_synced &&
		    (anon || same_text(hub_res_text(r, 10), e->payload)) &&
		    same_text(hub_res_text(r, 12), e->uuid));
		if (differs)
			break;
	}
	hub_res_free(r);
	if (rc < 0)
		return rc;
	if (differs)
		return hub_ingest_fail(c->res, 409, "events[%d]: uuid %s or seq %lld is already "
		    "stored with different content", i, e->uuid, (long long)e->seq);
	return 0;
}

/* local_day of a new event: the day of its wall time (its t_ms at insert)
 * in the location's zone; NULL without a zone. */
static struct hub_param day_param(const struct hub_ingest_ctx *c, int64_t wall_ms)
{
	return c->zone != NULL ? HP_I(hub_tz_day(c->zone, wall_ms)) : HP_NULL;
}

/* SQLite: one prepared INSERT per event (in-process, no round trips). */
static int insert_rows(struct hub_ingest_ctx *c, int64_t now)
{
	for (int i = 0; i < c->b->n; i++) {
		const struct hub_event *e = &c->b->ev[i];
		const char *person = (e->person_id[0] && !c->anon[i]) ? e->person_id : NULL;
		int64_t changes = 0;
		int rc;

		rc = hub_db_exec(c->db, "INSERT INTO events (uuid, device_id, seq, org_id,"
		    " location_id, kind, person_id, session_id, role, wall_ms, boot_id, boottime_ns,"
		    " clock_synced, payload, t_ms, correction, anonymised, received_ms, local_day)"
		    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $10, $15,"
		    " $16, $17, $18) ON CONFLICT DO NOTHING",
		    18, (struct hub_param[]){ HP_S(e->uuid), HP_S(c->dev->id), HP_I(e->seq),
		    HP_S(c->dev->org_id), HP_S(c->dev->location_id), HP_S(e->kind), HP_S(person),
		    HP_S(e->session_id[0] ? e->session_id : NULL), HP_S(e->role[0] ? e->role : NULL),
		    HP_I(e->wall_ms), HP_S(e->boot_id), HP_I(e->boottime_ns), HP_I(e->clock_synced),
		    HP_S(e->payload), HP_S(e->clock_synced ? "no" : "uncorrectable"),
		    HP_I(c->anon[i] ? 1 : 0), HP_I(now), day_param(c, e->wall_ms) }, &changes);
		if (rc != HUB_DB_OK)
			return rc;
		c->stored[i] = changes == 1;
	}
	return HUB_DB_OK;
}

/* One PostgreSQL array literal being written ("{...}"); cap is reserved
 * up front from the field bounds, so appends cannot overflow. */
struct arr {
	char *p;
	size_t len, cap;
};

static int arr_open(struct arr *a, int n, size_t elem_max)
{
	a->cap = (size_t)n * (2 * elem_max + 4) + 4;
	a->len = 0;
	a->p = malloc(a->cap);
	if (a->p == NULL)
		return -1;
	a->p[a->len++] = '{';
	return 0;
}

static void arr_sep(struct arr *a)
{
	if (a->len > 1)
		a->p[a->len++] = ',';
}

/* A text element: NULL for NULL or "" when empty_null, else quoted with
 * " and \ escaped (the strings are validated: no control characters). */
static void arr_text(struct arr *a, const char *s, int empty_null)
{
	arr_sep(a);
	if (s == NULL || (empty_null && s[0] == '\0')) {
		memcpy(a->p + a->len, "NULL", 4);
		a->len += 4;
		return;
	}
	a->p[a->len++] = '"';
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			a->p[a->len++] = '\\';
		a->p[a->len++] = *s;
	}
	a->p[a->len++] = '"';
}

static void arr_int(struct arr *a, int64_t v)
{
	int k;

	arr_sep(a);
	k = snprintf(a->p + a->len, a->cap - a->len, "%lld", (long long)v);
	if (k > 0 && (size_t)k < a->cap - a->len)
		a->len += (size_t)k;
}

static void arr_close(struct arr *a)
{
	a->p[a->len++] = '}';
	a->p[a->len] = '\0';
}

enum { A_U, A_Q, A_K, A_P, A_S, A_R, A_W, A_B, A_BT, A_CS, A_PL, A_AN, A_LD, A_N };

/* The batch as one array per column for unnest(). Returns 0 or -1 (memory;
 * whatever was allocated is in a[] for the caller to free). */
static int batch_arrays(struct hub_ingest_ctx *c, struct arr *a)
{
	static const size_t max[A_N] = { PR_UUID_STR, 24, HUB_KIND_MAX, PR_ID_MAX, PR_ID_MAX,
		PR_ROLE_MAX, 24, PR_UUID_STR, 24, 24, HUB_PAYLOAD_MAX, 24, 24 };
	int n = c->b->n;

	for (int k = 0; k < A_N; k++)
		if (arr_open(&a[k], n, max[k]) != 0)
			return -1;
	for (int i = 0; i < n; i++) {
		const struct hub_event *e = &c->b->ev[i];

		arr_text(&a[A_U], e->uuid, 0);
		arr_int(&a[A_Q], e->seq);
		arr_text(&a[A_K], e->kind, 0);
		arr_text(&a[A_P], c->anon[i] ? NULL : e->person_id, 1);
		arr_text(&a[A_S], e->session_id, 1);
		arr_text(&a[A_R], e->role, 1);
		arr_int(&a[A_W], e->wall_ms);
		arr_text(&a[A_B], e->boot_id, 0);
		arr_int(&a[A_BT], e->boottime_ns);
		arr_int(&a[A_CS], e->clock_synced ? 1 : 0);
		arr_text(&a[A_PL], e->payload, 0);
		arr_int(&a[A_AN], c->anon[i] ? 1 : 0);
		if (c->zone != NULL)
			arr_int(&a[A_LD], hub_tz_day(c->zone, e->wall_ms));
		else
			arr_text(&a[A_LD], NULL, 1);
	}
	for (int k = 0; k < A_N; k++)
		arr_close(&a[k]);
	return 0;
}

static int cmp_seq(const void *key, const void *ev)
{
	int64_t k = *(const int64_t *)key, s = ((const struct hub_event *)ev)->seq;

	return (k > s) - (k < s);
}

/* PostgreSQL: the whole batch in one statement, its columns as arrays
 * (cheaper to parse than JSON rows); RETURNING names the rows that were
 * new (seq is strictly increasing within a batch). */
static int insert_bulk(struct hub_ingest_ctx *c, int64_t now)
{
	struct arr a[A_N] = { { 0 } };
	struct hub_res *r = NULL;
	int rc = HUB_DB_ERROR;

	if (batch_arrays(c, a) != 0)
		goto out;
	rc = hub_db_query(c->db, "INSERT INTO events (uuid, device_id, seq, org_id, location_id,"
	    " kind, person_id, session_id, role, wall_ms, boot_id, boottime_ns, clock_synced,"
	    " payload, t_ms, correction, anonymised, received_ms, local_day)"
	    " SELECT x.u, $13, x.q, $14, $15, x.k, x.p, x.s, x.r, x.w, x.b, x.bt, x.cs, x.pl, x.w,"
	    " CASE WHEN x.cs = 1 THEN 'no' ELSE 'uncorrectable' END, x.an, $16, x.ld"
	    " FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[],"
	    " $6::text[], $7::bigint[], $8::text[], $9::bigint[], $10::integer[], $11::text[],"
	    " $12::integer[], $17::bigint[]) AS x(u, q, k, p, s, r, w, b, bt, cs, pl, an, ld)"
	    " ORDER BY x.q ON CONFLICT DO NOTHING RETURNING seq", 17,
	    (struct hub_param[]){ HP_S(a[A_U].p), HP_S(a[A_Q].p), HP_S(a[A_K].p), HP_S(a[A_P].p),
	    HP_S(a[A_S].p), HP_S(a[A_R].p), HP_S(a[A_W].p), HP_S(a[A_B].p), HP_S(a[A_BT].p),
	    HP_S(a[A_CS].p), HP_S(a[A_PL].p), HP_S(a[A_AN].p), HP_S(c->dev->id),
	    HP_S(c->dev->org_id), HP_S(c->dev->location_id), HP_I(now), HP_S(a[A_LD].p) }, 0, &r);
	if (rc != HUB_DB_OK)
		goto out;
	while ((rc = hub_res_next(r)) == 1) {
		int64_t seq = hub_res_int(r, 0);
		const struct hub_event *e = bsearch(&seq, c->b->ev, (size_t)c->b->n,
		    sizeof(*c->b->ev), cmp_seq);

		if (e != NULL)
			c->stored[e - c->b->ev] = 1;
	}
	hub_res_free(r);
	rc = rc < 0 ? rc : HUB_DB_OK;
out:
	for (int k = 0; k < A_N; k++)
		free(a[k].p);
	return rc;
}

int hub_ingest_insert(struct hub_ingest_ctx *c, int64_t now)
{
	int rc = hub_db_kind(c->db) == HUB_DB_PG ? insert_bulk(c, now) : insert_rows(c, now);

	for (int i = 0; rc == HUB_DB_OK && i < c->b->n; i++) {
		if (c->stored[i]) {
			c->res->stored++;
		} else {
			rc = compare_existing(c, i);
			if (rc == 0)
				c->res->duplicates++;
		}
	}
	return rc;
}
