/* demo_schedule.c — the demo's plan, from roles.csv, programmes.csv,
 * sessions.csv, enrolments.csv and role_assignments.csv (demo_int.h): each
 * row's fields, its duplicates, and its references to the files before it.
 * Must not: read people.csv or credentials (demo_people.c does); place
 * sessions in time (demo_place.c does). */
#include "demo_int.h"

#include <string.h>

long demo_session_find(const struct demo_org *o, const char *id)
{
	return DEMO_FIND(o->sessions, o->n_sessions, id);
}

static int role_row(struct demo_org *o, struct demo_rd *r, void *row, const void *ctx)
{
	struct demo_role *x = row;

	(void)ctx;
	if (demo_rd_id(r, "role", x->key, sizeof x->key) ||
	    demo_rd_text(r, "label_nl", x->label_nl, sizeof x->label_nl, 1) ||
	    demo_rd_text(r, "label_en", x->label_en, sizeof x->label_en, 1))
		return -1;
	if (DEMO_FIND(o->roles, o->n_roles - 1, x->key) >= 0)
		return demo_rd_fail(r, "role '%s' appears twice", x->key);
	return 0;
}

int demo_load_roles(struct demo_org *o, const char *dir, char *err, size_t el)
{
	static const char *const cols[] = { "role", "label_nl", "label_en", NULL };

	return demo_load_rows(o, dir, "roles.csv", cols, &o->roles, &o->n_roles,
	    sizeof *o->roles, role_row, NULL, err, el);
}

static int programme_row(struct demo_org *o, struct demo_rd *r, void *row,
    const void *ctx)
{
	struct demo_programme *x = row;

	(void)ctx;
	if (demo_rd_id(r, "programme_id", x->id, sizeof x->id) ||
	    demo_rd_text(r, "title", x->title, sizeof x->title, 1))
		return -1;
	if (DEMO_FIND(o->programmes, o->n_programmes - 1, x->id) >= 0)
		return demo_rd_fail(r, "programme '%s' appears twice", x->id);
	return 0;
}

int demo_load_programmes(struct demo_org *o, const char *dir, char *err, size_t el)
{
	static const char *const cols[] = { "programme_id", "title", NULL };

	return demo_load_rows(o, dir, "programmes.csv", cols, &o->programmes,
	    &o->n_programmes, sizeof *o->programmes, programme_row, NULL, err, el);
}

static int session_row(struct demo_org *o, struct demo_rd *r, void *row,
    const void *ctx)
{
	static const char *const kinds[] = { "group", "coaching", "open", "intake" };
	struct demo_session *x = row;
	int y, m, d;
	char hm[8];

	(void)ctx;
	if (demo_rd_id(r, "session_id", x->id, sizeof x->id) ||
	    demo_rd_id(r, "programme_id", x->programme_id, sizeof x->programme_id) ||
	    demo_rd_text(r, "title", x->title, sizeof x->title, 1) ||
	    demo_rd_text(r, "room", x->room, sizeof x->room, 0) ||
	    demo_rd_text(r, "kind", x->kind, sizeof x->kind, 1) ||
	    demo_rd_text(r, "date", x->date, sizeof x->date, 1))
		return -1;
	if (DEMO_FIND(o->sessions, o->n_sessions - 1, x->id) >= 0)
		return demo_rd_fail(r, "session '%s' appears twice", x->id);
	if (DEMO_FIND(o->programmes, o->n_programmes, x->programme_id) < 0)
		return demo_rd_fail(r, "programme '%s' is not in programmes.csv",
		    x->programme_id);
	x->kind_code = -1;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(x->kind, kinds[i]) == 0)
			x->kind_code = (int)i;
	if (x->kind_code < 0)
		return demo_rd_fail(r, "field 'kind' must be group, coaching, open or intake");
	if (demo_parse_date(x->date, &y, &m, &d) != 0)
		return demo_rd_fail(r, "field 'date' must be a date like 2025-09-25");
	if (demo_rd_text(r, "start", hm, sizeof hm, 1) ||
	    (x->start_min = demo_parse_hm(hm)) < 0 ||
	    demo_rd_text(r, "end", hm, sizeof hm, 1) ||
	    (x->end_min = demo_parse_hm(hm)) < 0)
		return demo_rd_fail(r, "fields 'start' and 'end' must be times like 14:00");
	if (x->end_min <= x->start_min)
		return demo_rd_fail(r, "the session ends before it starts");
	return 0;
}

int demo_load_sessions(struct demo_org *o, const char *dir, char *err, size_t el)
{
	static const char *const cols[] = { "session_id", "programme_id", "title",
		"date", "start", "end", "room", "kind", NULL };

	return demo_load_rows(o, dir, "sessions.csv", cols, &o->sessions,
	    &o->n_sessions, sizeof *o->sessions, session_row, NULL, err, el);
}

static int enrolment_row(struct demo_org *o, struct demo_rd *r, void *row,
    const void *ctx)
{
	struct demo_enrolment *x = row;

	(void)ctx;
	if (demo_rd_id(r, "programme_id", x->programme_id, sizeof x->programme_id) ||
	    demo_rd_id(r, "person_id", x->person_id, sizeof x->person_id))
		return -1;
	if (DEMO_FIND(o->programmes, o->n_programmes, x->programme_id) < 0)
		return demo_rd_fail(r, "programme '%s' is not in programmes.csv",
		    x->programme_id);
	if (DEMO_FIND(o->people, o->n_people, x->person_id) < 0)
		return demo_rd_fail(r, "person '%s' is not in people.csv", x->person_id);
	for (size_t i = 0; i + 1 < o->n_enrolments; i++) {
		if (strcmp(o->enrolments[i].programme_id, x->programme_id) == 0 &&
		    strcmp(o->enrolments[i].person_id, x->person_id) == 0)
			return demo_rd_fail(r, "this enrolment appears twice");
	}
	return 0;
}

int demo_load_enrolments(struct demo_org *o, const char *dir, char *err, size_t el)
{
	static const char *const cols[] = { "programme_id", "person_id", NULL };

	return demo_load_rows(o, dir, "enrolments.csv", cols, &o->enrolments,
	    &o->n_enrolments, sizeof *o->enrolments, enrolment_row, NULL, err, el);
}

static int assignment_row(struct demo_org *o, struct demo_rd *r, void *row,
    const void *ctx)
{
	struct demo_assignment *x = row;

	(void)ctx;
	if (demo_rd_id(r, "session_id", x->session_id, sizeof x->session_id) ||
	    demo_rd_id(r, "person_id", x->person_id, sizeof x->person_id) ||
	    demo_rd_id(r, "role", x->role, sizeof x->role))
		return -1;
	if (demo_session_find(o, x->session_id) < 0)
		return demo_rd_fail(r, "session '%s' is not in sessions.csv", x->session_id);
	if (DEMO_FIND(o->people, o->n_people, x->person_id) < 0)
		return demo_rd_fail(r, "person '%s' is not in people.csv", x->person_id);
	if (DEMO_FIND(o->roles, o->n_roles, x->role) < 0)
		return demo_rd_fail(r, "role '%s' is not in roles.csv", x->role);
	for (size_t i = 0; i + 1 < o->n_assignments; i++) {
		const struct demo_assignment *a = &o->assignments[i];

		if (strcmp(a->session_id, x->session_id) == 0 &&
		    strcmp(a->person_id, x->person_id) == 0 &&
		    strcmp(a->role, x->role) == 0)
			return demo_rd_fail(r, "this assignment appears twice");
	}
	return 0;
}

int demo_load_assignments(struct demo_org *o, const char *dir, char *err, size_t el)
{
	static const char *const cols[] = { "session_id", "person_id", "role", NULL };

	return demo_load_rows(o, dir, "role_assignments.csv", cols, &o->assignments,
	    &o->n_assignments, sizeof *o->assignments, assignment_row, NULL, err, el);
}
