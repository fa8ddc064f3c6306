/* store_query.c — the kiosk's reads of master data (store.h): who holds a
 * card or PIN MAC, people by id or name, the sessions and the roster of a
 * time window at this kiosk's location.
 * Must not: write; see raw UIDs or PINs (only MACs arrive here). */
#include <string.h>

#include "store_int.h"

static void row_person(sqlite3_stmt *s, struct store_person *p)
{
	memset(p, 0, sizeof *p);
	store_col_text(s, 0, p->id, sizeof p->id);
	store_col_text(s, 1, p->display_name, sizeof p->display_name);
	store_col_text(s, 2, p->first_name, sizeof p->first_name);
	store_col_text(s, 3, p->lang, sizeof p->lang);
	p->is_coordinator = sqlite3_column_int(s, 4) != 0;
}

/* Run a person query bound to its first parameter(s): 0 found, 1 not. */
static int one_person(sqlite3_stmt *s, struct store_person *out)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW) {
		row_person(s, out);
		sqlite3_reset(s);
		return 0;
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 1 : -1;
}

int store_person_by_mac(struct store *st, enum store_cred_kind kind,
    const uint8_t mac[PR_MAC_BYTES], struct store_person *out)
{
	sqlite3_stmt *s = store_stmt(st, SQ_PERSON_BY_MAC);

	if (s == NULL || mac == NULL || sqlite3_bind_int(s, 1, (int)kind) != SQLITE_OK ||
	    sqlite3_bind_blob(s, 2, mac, PR_MAC_BYTES, SQLITE_STATIC) != SQLITE_OK)
		return -1;
	return one_person(s, out);
}

int store_person_get(struct store *st, const char *id, struct store_person *out)
{
	sqlite3_stmt *s = store_stmt(st, SQ_PERSON_GET);

	if (s == NULL || id == NULL ||
	    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC) != SQLITE_OK)
		return -1;
	return one_person(s, out);
}

int store_people_find(struct store *st, const char *needle,
    struct store_person *out, size_t max, size_t *n)
{
	char pat[2 * PR_NAME_MAX + 3];
	size_t o = 0;
	sqlite3_stmt *s;
	int rc;

	*n = 0;
	if (needle == NULL)
		return -1;
	if (strlen(needle) >= PR_NAME_MAX || max == 0)
		return 0;                          /* no name is that long */
	pat[o++] = '%';
	for (const char *p = needle; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			pat[o++] = '\\';
		pat[o++] = *p;
	}
	pat[o++] = '%';
	pat[o] = '\0';
	s = store_stmt(st, SQ_PEOPLE_FIND);
	if (s == NULL || sqlite3_bind_text(s, 1, pat, (int)o, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, (sqlite3_int64)max) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < max)
		row_person(s, &out[(*n)++]);
	sqlite3_reset(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

int store_sessions_between(struct store *st, int64_t from, int64_t to,
    const char *person_id, struct store_session *out, size_t max, size_t *n)
{
	sqlite3_stmt *s = store_stmt(st, SQ_SESSIONS_BETWEEN);
	int rc = SQLITE_DONE;

	*n = 0;
	if (s == NULL || sqlite3_bind_int64(s, 1, from) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, to) != SQLITE_OK ||
	    (person_id != NULL &&
	     sqlite3_bind_text(s, 3, person_id, -1, SQLITE_STATIC) != SQLITE_OK) ||
	    sqlite3_bind_int64(s, 4, (sqlite3_int64)max) != SQLITE_OK)
		return -1;
	while (*n < max && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_session *x = &out[(*n)++];

		memset(x, 0, sizeof *x);
		store_col_text(s, 0, x->id, sizeof x->id);
		store_col_text(s, 1, x->programme_id, sizeof x->programme_id);
		store_col_text(s, 2, x->title, sizeof x->title);
		store_col_text(s, 3, x->room, sizeof x->room);
		x->start = sqlite3_column_int64(s, 4);
		x->end = sqlite3_column_int64(s, 5);
		x->kind = sqlite3_column_int(s, 6);
		x->enrolled = sqlite3_column_int(s, 7) != 0;
		store_col_text(s, 8, x->role, sizeof x->role);
	}
	if (*n < max && rc != SQLITE_DONE) {
		sqlite3_reset(s);
		return -1;
	}
	sqlite3_reset(s);
	return 0;
}

int store_roster_between(struct store *st, int64_t from, int64_t to,
    struct store_assignment *out, size_t max, size_t *n)
{
	sqlite3_stmt *s = store_stmt(st, SQ_ROSTER_BETWEEN);
	int rc = SQLITE_DONE;

	*n = 0;
	if (s == NULL || sqlite3_bind_int64(s, 1, from) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, to) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 3, (sqlite3_int64)max) != SQLITE_OK)
		return -1;
	while (*n < max && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_assignment *x = &out[(*n)++];

		memset(x, 0, sizeof *x);
		store_col_text(s, 0, x->session_id, sizeof x->session_id);
		x->start = sqlite3_column_int64(s, 1);
		store_col_text(s, 2, x->role, sizeof x->role);
		store_col_text(s, 3, x->first_name, sizeof x->first_name);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}


int store_session_open(struct store *st, int64_t now, int64_t early_s)
{
	sqlite3_stmt *s = store_stmt(st, SQ_SESSION_OPEN);
	int rc, open = 0;

	if (s == NULL || sqlite3_bind_int64(s, 1, now) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, early_s) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		open = sqlite3_column_int(s, 0) != 0;
	else
		store_note(st, "is a session open");
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? open : -1;
}
