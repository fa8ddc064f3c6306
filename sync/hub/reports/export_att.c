/* export_att.c — see export_att.h. Why not HUB_PRESENCE_SELECT: grouping
 * 1 M events by an expression and then sorting the presences by time cost
 * SQLite 10 s and PostgreSQL 12 s (two sorts of every row and a join back
 * by uuid). Here each tap in f, read in (org, time, id) order, asks by
 * index (events_person) whether an earlier tap in of its presence exists
 * (then it is skipped) and, if not, aggregates its presence's taps into one
 * packed column (NULL when f is alone, the usual case: building that text
 * for every row was most of the time). No GROUP BY, memory flat. The order
 * of taps in is (time, uuid) where presence.h compares the text first_ev:
 * the same for every time between 1967 and the year 30000 (15 digits).
 * Must not: group taps other than presence.h / presencekey.h do. */
#include "hub/reports/export_att.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/db/db.h"
#include "hub/reports/presence.h"

/* Columns after the presence's (enum hub_att_col). */
enum {
	C_ID = HUB_ATT_NCOLS, C_KIND, C_ROLE, C_ANON, C_MANUAL, C_AGG
};

/* A tap E that counts for the presences of this export (presence.h: the
 * kinds, the events window [$7, $6), the location filter). P "+" (SQLite:
 * keeps it from probing events_time by the window instead of the
 * presence's own index) or "" (PostgreSQL: the + hides the window from its
 * estimates, and it then joins every tap of the organisation to every one). */
#define MEMBER(E, P) \
	E ".kind IN ('check_in', 'check_out', 'guest', 'drop_in') AND " P E ".t_ms >= $7" \
	" AND " P E ".t_ms < $6 AND (CAST($5 AS TEXT) = '' OR " E ".location_id = $5)"

/* The aggregates of the taps e of the presence of tap in f, packed:
 * "earlier|taps|t_out|anon|manual|kind|role": earlier counts the taps in before f
 * (f is the first if 0), t_out "" for none, role last. */
#define AGG \
	"SUM(CASE WHEN e.kind <> 'check_out' AND (e.t_ms < f.t_ms OR (e.t_ms = f.t_ms" \
	"   AND e.uuid < f.uuid)) THEN 1 ELSE 0 END) || '|' || COUNT(*) || '|' ||" \
	" COALESCE(CAST(MAX(CASE WHEN e.kind = 'check_out' THEN e.t_ms END) AS TEXT), '') || '|' ||" \
	" MAX(e.anonymised) || '|' || " HUB_PRESENCE_MANUAL("e") " || '|' || MIN(CASE WHEN e.kind <> 'check_out' THEN e.kind END) || '|' ||" \
	" MAX(COALESCE(e.role, ''))"

/* Whether f's presence is keyed by more than person_id (presencekey.h). */
#define RARE_PERSON "(f.person_id IS NULL OR f.person_id LIKE 'anon:%')"

/* The other taps e of the presence of tap in f with a person in a session
 * (events_person). */
#define SAME_PERSON(P) \
	"e.org_id = f.org_id AND e.person_id = f.person_id AND e.session_id = f.session_id" \
	" AND " MEMBER("e", P)

/* The presence of tap in f, packed (AGG), or NULL when f is its only tap.
 * A tap with no other row under its key is alone (a probe that reads the
 * index only). A tap in that is not the first of its presence is answered
 * "1|" after an EXISTS probe (the range of events_person up to f's time,
 * "e.t_ms <= f.t_ms", which stops at the first earlier tap), so a presence's
 * taps are aggregated once, by its first tap: linear in the taps however
 * many one presence has. The rare presences (presencekey.h): a tap in
 * without a session with the check-out linked to it (the one whose
 * smallest linking tap is f); an erased person's (or an id that looks like
 * one) taps in a session, by the whole key. */
#define PRESENCE_OF_F(P) \
	"CASE WHEN f.session_id IS NULL AND f.out_uuid IS NULL THEN NULL" \
	" WHEN f.session_id IS NULL THEN (SELECT " AGG " FROM events e WHERE " MEMBER("e", P) \
	"   AND (e.id = f.id OR (e.uuid = f.out_uuid AND e.kind = 'check_out'" \
	"   AND e.session_id IS NULL AND e.org_id = f.org_id" \
	"   AND " HUB_PRESENCE_PKEY("e") " = " HUB_PRESENCE_PKEY("f") \
	"   AND (SELECT MIN(i.uuid) FROM events i WHERE i.out_uuid = e.uuid) = f.uuid)))" \
	" WHEN " RARE_PERSON " THEN (SELECT " AGG " FROM events e" \
	"   WHERE e.org_id = f.org_id AND e.session_id = f.session_id" \
	"   AND " HUB_PRESENCE_PKEY("e") " = " HUB_PRESENCE_PKEY("f") " AND " MEMBER("e", P) ")" \
	" WHEN NOT EXISTS (SELECT 1 FROM events e WHERE e.org_id = f.org_id" \
	"   AND e.person_id = f.person_id AND e.session_id = f.session_id AND e.id <> f.id) THEN NULL" \
	" WHEN EXISTS (SELECT 1 FROM events e WHERE " SAME_PERSON(P) " AND e.kind <> 'check_out'" \
	"   AND e.t_ms <= f.t_ms AND (e.t_ms < f.t_ms OR (e.t_ms = f.t_ms AND e.uuid < f.uuid))) THEN '1|'" \
	" ELSE (SELECT CASE WHEN COUNT(*) = 1 THEN NULL ELSE " AGG " END FROM events e" \
	"   WHERE " SAME_PERSON(P) ") END"

/* Every tap in of the window, in export order, with its presence. */
#define SQL_ATT(WHERE_ORG, P) \
	"SELECT f.t_ms, f.wall_ms, f.correction, COALESCE(f.person_id, ''), COALESCE(p.display_name, '')," \
	" COALESCE(f.session_id, ''), COALESCE(s.title, ''), COALESCE(s.programme_id, '')," \
	" COALESCE(g.title, ''), f.location_id, COALESCE(l.name, ''), f.device_id, f.uuid, f.org_id," \
	" COALESCE(l.timezone, ''), s.end_ms, COALESCE(o.checkout_rule, '')," \
	" CASE WHEN f.session_id IS NOT NULL AND EXISTS (SELECT 1 FROM assignments a" \
	"   WHERE a.org_id = f.org_id AND a.session_id = f.session_id" \
	"   AND a.person_id = " HUB_PRESENCE_PKEY("f") " AND a.active = 1) THEN 1 ELSE 0 END," \
	" COALESCE(f.reeval, ''), f.id, f.kind, COALESCE(f.role, ''), f.anonymised, f.manual, " \
	  PRESENCE_OF_F(P) \
	" FROM events f" \
	" LEFT JOIN people p ON p.org_id = f.org_id AND p.id = f.person_id" \
	" LEFT JOIN sessions s ON s.org_id = f.org_id AND s.id = f.session_id" \
	" LEFT JOIN programmes g ON g.org_id = s.org_id AND g.id = s.programme_id" \
	" LEFT JOIN locations l ON l.id = f.location_id" \
	" LEFT JOIN organisations o ON o.id = f.org_id" \
	" WHERE " WHERE_ORG " AND f.kind IN ('check_in', 'guest', 'drop_in')" \
	" AND f.t_ms >= $2 AND f.t_ms < $3 AND (CAST($5 AS TEXT) = '' OR f.location_id = $5)" \
	" AND (CAST($4 AS TEXT) = '' OR s.programme_id = $4)" \
	" ORDER BY f.org_id, f.t_ms, f.id"

static const char sql_org_sqlite[] = SQL_ATT("f.org_id = $1", "+");
static const char sql_all_sqlite[] = SQL_ATT("CAST($1 AS TEXT) = ''", "+");
static const char sql_org_pg[] = SQL_ATT("f.org_id = $1", "");
static const char sql_all_pg[] = SQL_ATT("CAST($1 AS TEXT) = ''", "");

const char *hub_att_sql(enum hub_db_kind kind, int one_org)
{
	if (kind == HUB_DB_PG)
		return one_org ? sql_org_pg : sql_all_pg;
	return one_org ? sql_org_sqlite : sql_all_sqlite;
}

static int64_t num(const char *s)
{
	return strtoll(s, NULL, 10);
}

int64_t hub_att_int(const struct hub_att_row *row, enum hub_att_col col)
{
	return num(row->text[col]);
}

static void word(char dst[HUB_ATT_WORD_MAX], const char *s, size_t n)
{
	if (n >= HUB_ATT_WORD_MAX)
		n = HUB_ATT_WORD_MAX - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* Copy the presence's columns of the current row into row. 0, or -1 if
 * they do not fit. */
static int copy_row(struct hub_res *r, struct hub_att_row *row)
{
	size_t off = 0;

	for (int c = 0; c < HUB_ATT_NCOLS; c++) {
		const char *t = hub_res_text(r, c);
		size_t n = strlen(t) + 1;

		if (n > sizeof(row->buf) - off)
			return -1;
		memcpy(row->buf + off, t, n);
		row->text[c] = row->buf + off;
		row->null[c] = hub_res_is_null(r, c);
		off += n;
	}
	row->id = hub_res_int(r, C_ID);
	row->taps = 1;
	row->has_out = 0;
	row->t_out = -1;
	row->anon = hub_res_int(r, C_ANON) != 0;
	row->manual = hub_res_int(r, C_MANUAL);
	row->earlier = 0;
	word(row->kind, hub_res_text(r, C_KIND), strlen(hub_res_text(r, C_KIND)));
	word(row->role, hub_res_text(r, C_ROLE), strlen(hub_res_text(r, C_ROLE)));
	return 0;
}

/* The decimal at *p up to the next '|' into *v; *p after the '|'. 1, 0 if
 * empty (*v untouched), or -1 if not a number followed by '|'. */
static int field_int(const char **p, int64_t *v)
{
	char *end;

	if (**p == '|') {
		(*p)++;
		return 0;
	}
	errno = 0;
	*v = strtoll(*p, &end, 10);
	if (errno != 0 || end == *p || *end != '|')
		return -1;
	*p = end + 1;
	return 1;
}

/* A presence's packed aggregates (AGG) into row. 0 or -1. */
static int packed(const char *p, struct hub_att_row *row)
{
	const char *bar;
	int64_t v = 0;

	if (field_int(&p, &row->earlier) != 1)
		return -1;
	if (row->earlier > 0)
		return 0;   /* not the first tap: nothing else to read */
	if (field_int(&p, &row->taps) != 1 ||
	    (row->has_out = field_int(&p, &row->t_out)) < 0 || field_int(&p, &v) != 1 ||
	    field_int(&p, &row->manual) != 1)
		return -1;
	row->anon = v != 0;
	bar = strchr(p, '|');
	if (bar == NULL)
		return -1;
	word(row->kind, p, (size_t)(bar - p));
	word(row->role, bar + 1, strlen(bar + 1));
	return 0;
}

int hub_att_next(struct hub_att_reader *rd, struct hub_att_row *row)
{
	int rc;

	while ((rc = hub_res_next(rd->res)) == 1) {
		if (copy_row(rd->res, row) != 0)
			return -1;
		if (!hub_res_is_null(rd->res, C_AGG) && packed(hub_res_text(rd->res, C_AGG), row) != 0)
			return -1;
		if (row->earlier == 0)
			return 1;
	}
	return rc < 0 ? -1 : 0;
}
