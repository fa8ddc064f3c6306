/* dash_plan.c — Plan, part one: GET /v1/dash/setup (locations, kiosks,
 * roles), the programmes with their enrolments, and sessions as JSON (with
 * their slots) for dash_sessions.c and the programme page. Master-data writes go through
 * master.h, so each change gets a change value and reaches kiosks.
 * Must not: touch rows of another organisation (ids are looked up with the
 * session's org_id; unknown or foreign ids are 404). */
#include "hub/dash/dash.h"
#include "hub/dash/dash_plan.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hub/base/calendar.h"
#include "hub/base/htime.h"
#include "hub/base/jsonv.h"
#include "hub/db/db.h"
#include "hub/http/http.h"
#include "hub/svc/master.h"
#include "hub/svc/token.h"

static const struct {
	const char *role, *nl, *en;
	int slots;
} default_roles[] = {
	{ "catering", "Catering", "Catering", 2 },
	{ "rolmodel", "Rolmodel", "Role model", 5 },
	{ "coach", "Coach", "Coach", 0 },
	{ "gastvrouw", "Gastvrouw/gastheer", "Host", 0 },
};
#define N_DEFAULT_ROLES (sizeof(default_roles) / sizeof(default_roles[0]))

int dash_roles_seed(struct hub_db *db, const char *org)
{
	int rc = HUB_DB_OK;

	for (size_t i = 0; rc == HUB_DB_OK && i < N_DEFAULT_ROLES; i++)
		rc = hub_db_exec(db, "INSERT INTO roles (org_id, role, label_nl, label_en, default_slots)"
		    " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (org_id, role) DO NOTHING", 5,
		    (struct hub_param[]){ HP_S(org), HP_S(default_roles[i].role), HP_S(default_roles[i].nl),
		    HP_S(default_roles[i].en), HP_I(default_roles[i].slots) }, NULL);
	return rc;
}

/* The organisation's roles; the defaults if it has none yet. */
int dash_roles_json(struct dash_call *c, json_t *out)
{
	struct hub_res *r = NULL;
	int rc = hub_db_query(c->db, "SELECT role, label_nl, label_en, default_slots FROM roles"
	    " WHERE org_id = $1 ORDER BY role", 1, (struct hub_param[]){ HP_S(c->who.org_id) }, 0, &r);

	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1)
		json_array_append_new(out, json_pack("{s:s,s:s,s:s,s:I}", "role", hub_res_text(r, 0),
		    "label_nl", hub_res_text(r, 1), "label_en", hub_res_text(r, 2), "default_slots",
		    (json_int_t)hub_res_int(r, 3)));
	hub_res_free(r);
	if (rc < 0)
		return rc;
	if (json_array_size(out) == 0)
		for (size_t i = 0; i < N_DEFAULT_ROLES; i++)
			json_array_append_new(out, json_pack("{s:s,s:s,s:s,s:i}", "role", default_roles[i].role,
			    "label_nl", default_roles[i].nl, "label_en", default_roles[i].en,
			    "default_slots", default_roles[i].slots));
	return HUB_DB_OK;
}

int dash_role_known(json_t *roles, const char *role)
{
	size_t i;
	json_t *v;

	json_array_foreach(roles, i, v)
		if (strcmp(json_string_value(json_object_get(v, "role")), role) == 0)
			return 1;
	return 0;
}

void dash_setup(struct dash_call *c)
{
	json_t *locs = json_array(), *devs = json_array(), *roles = json_array();
	struct hub_res *r = NULL;
	int rc;

	if (dash_expect(c, "GET", 1) != 0)
		goto fail;
	rc = hub_db_query(c->db, "SELECT id, name, timezone FROM locations WHERE org_id = $1"
	    " ORDER BY name, id", 1, (struct hub_param[]){ HP_S(c->who.org_id) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1)
		json_array_append_new(locs, json_pack("{s:s,s:s,s:s}", "id", hub_res_text(r, 0),
		    "name", hub_res_text(r, 1), "timezone", hub_res_text(r, 2)));
	hub_res_free(r);
	r = NULL;
	if (rc >= 0)
		rc = hub_db_query(c->db, "SELECT d.id, d.name, d.status, d.location_id, l.name FROM devices d"
		    " JOIN locations l ON l.id = d.location_id WHERE d.org_id = $1 AND d.status <> 'manual'"
		    " ORDER BY l.name, d.name, d.id",
		    1, (struct hub_param[]){ HP_S(c->who.org_id) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1)
		json_array_append_new(devs, json_pack("{s:s,s:s,s:s,s:s,s:s}", "id", hub_res_text(r, 0),
		    "name", hub_res_text(r, 1), "status", hub_res_text(r, 2), "location_id",
		    hub_res_text(r, 3), "location_name", hub_res_text(r, 4)));
	hub_res_free(r);
	if (rc >= 0)
		rc = dash_roles_json(c, roles);
	if (rc < 0) {
		dash_fail(c, rc);
		goto fail;
	}
	dash_json(c->rs, 200, json_pack("{s:o,s:o,s:o}", "locations", locs, "devices", devs,
	    "roles", roles));
	return;
fail:
	json_decref(locs);
	json_decref(devs);
	json_decref(roles);
}

/* ---- sessions as JSON ---------------------------------------------------- */

static int slots_json(struct dash_call *c, const char *sid, json_t *out)
{
	struct hub_res *r = NULL;
	int rc = hub_db_query(c->db, "SELECT x.role, MAX(x.slots), SUM(x.filled) FROM ("
	    " SELECT role, slots, 0 AS filled FROM session_slots WHERE org_id = $1 AND session_id = $2"
	    " UNION ALL SELECT role, 0, 1 FROM assignments WHERE org_id = $1 AND session_id = $2"
	    " AND active = 1) x GROUP BY x.role ORDER BY x.role", 2,
	    (struct hub_param[]){ HP_S(c->who.org_id), HP_S(sid) }, 0, &r);

	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		int64_t slots = hub_res_int(r, 1), filled = hub_res_int(r, 2);

		json_array_append_new(out, json_pack("{s:s,s:I,s:I}", "role", hub_res_text(r, 0),
		    "slots", (json_int_t)(slots < filled ? filled : slots), "filled", (json_int_t)filled));
	}
	hub_res_free(r);
	return rc < 0 ? rc : HUB_DB_OK;
}

/* Rows of a SESSION_COLS query into arr (slots added per session). */
int dash_sessions_json(struct dash_call *c, const char *sql, int n, const struct hub_param *p,
    json_t *arr)
{
	struct hub_res *r = NULL;
	size_t i;
	json_t *v;
	int rc = hub_db_query(c->db, sql, n, p, 0, &r);

	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		if (json_array_size(arr) >= DASH_LIST_MAX)
			continue;
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:b,s:o,s:{s:s,s:s,s:s},s:[]}",
		    "id", hub_res_text(r, 0), "title", hub_res_text(r, 1), "room", hub_res_text(r, 2),
		    "kind", hub_res_text(r, 3), "start", dash_iso(hub_res_int(r, 4)),
		    "end", dash_iso(hub_res_int(r, 5)), "cancelled", (int)hub_res_int(r, 6),
		    "programme", hub_res_text(r, 7)[0] ? json_pack("{s:s,s:s}", "id", hub_res_text(r, 7),
		    "title", hub_res_text(r, 8)) : json_null(),
		    "location", "id", hub_res_text(r, 9), "name", hub_res_text(r, 10),
		    "timezone", hub_res_text(r, 11), "slots"));
	}
	hub_res_free(r);
	if (rc < 0)
		return rc;
	json_array_foreach(arr, i, v) {
		rc = slots_json(c, json_string_value(json_object_get(v, "id")), json_object_get(v, "slots"));
		if (rc != HUB_DB_OK)
			return rc;
	}
	return HUB_DB_OK;
}

int dash_one_session(struct dash_call *c, const char *sid, json_t **out)
{
	json_t *arr = json_array();
	int rc = dash_sessions_json(c, "SELECT " SESSION_COLS SESSION_FROM
	    " WHERE s.org_id = $1 AND s.id = $2", 2,
	    (struct hub_param[]){ HP_S(c->who.org_id), HP_S(sid) }, arr);

	*out = NULL;
	if (rc == HUB_DB_OK && json_array_size(arr) == 1)
		*out = json_incref(json_array_get(arr, 0));
	json_decref(arr);
	return rc;
}

/* ---- programmes ------------------------------------------------------------ */

static void programme_list(struct dash_call *c)
{
	struct hub_res *r = NULL;
	json_t *arr = json_array();
	int rc = hub_db_query(c->db, "SELECT g.id, g.title,"
	    " (SELECT COUNT(*) FROM sessions s WHERE s.org_id = g.org_id AND s.programme_id = g.id),"
	    " (SELECT COUNT(*) FROM enrolments e JOIN people p ON p.org_id = e.org_id AND p.id = e.person_id"
	    "  WHERE e.org_id = g.org_id AND e.programme_id = g.id AND e.active = 1)"
	    " FROM programmes g WHERE g.org_id = $1 ORDER BY g.title, g.id", 1,
	    (struct hub_param[]){ HP_S(c->who.org_id) }, 0, &r);

	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1)
		json_array_append_new(arr, json_pack("{s:s,s:s,s:I,s:I}", "id", hub_res_text(r, 0),
		    "title", hub_res_text(r, 1), "sessions", (json_int_t)hub_res_int(r, 2),
		    "enrolled", (json_int_t)hub_res_int(r, 3)));
	hub_res_free(r);
	if (rc < 0) {
		json_decref(arr);
		dash_fail(c, rc);
		return;
	}
	dash_json(c->rs, 200, json_pack("{s:o}", "programmes", arr));
}

static void programme_get(struct dash_call *c, const char *id)
{
	struct hub_res *r = NULL;
	json_t *ses = json_array(), *enr = json_array();
	char title[PR_TITLE_MAX] = "";
	int rc, found = 0;

	rc = dash_programme_title(c, id, title, sizeof(title));
	found = rc == 1;
	if (rc >= 0 && found)
		rc = dash_sessions_json(c, "SELECT " SESSION_COLS SESSION_FROM
		    " WHERE s.org_id = $1 AND s.programme_id = $2 ORDER BY s.start_ms, s.id", 2,
		    (struct hub_param[]){ HP_S(c->who.org_id), HP_S(id) }, ses);
	if (rc >= 0 && found)
		rc = hub_db_query(c->db, "SELECT p.id, p.display_name FROM enrolments e JOIN people p"
		    " ON p.org_id = e.org_id AND p.id = e.person_id WHERE e.org_id = $1"
		    " AND e.programme_id = $2 AND e.active = 1 ORDER BY p.display_name, p.id", 2,
		    (struct hub_param[]){ HP_S(c->who.org_id), HP_S(id) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1)
		json_array_append_new(enr, json_pack("{s:s,s:s}", "person_id", hub_res_text(r, 0),
		    "display_name", hub_res_text(r, 1)));
	hub_res_free(r);
	if (rc < 0 || !found) {
		json_decref(ses);
		json_decref(enr);
		if (rc < 0)
			dash_fail(c, rc);
		else
			hub_resp_error(c->rs, 404, "not_found", "no such programme");
		return;
	}
	dash_json(c->rs, 200, json_pack("{s:s,s:s,s:o,s:o}", "id", id, "title", title,
	    "sessions", ses, "enrolled", enr));
}

static void programme_write(struct dash_call *c, int creating)
{
	json_t *j = dash_body(c);
	const char *title = NULL, *id = NULL;
	char gen[PR_ID_MAX];
	int rc;

	if (j == NULL)
		return;
	if (dash_str(c, j, "title", creating, PR_TITLE_MAX, 0, &title) != 0 ||
	    (creating && dash_str(c, j, "id", 0, PR_ID_MAX, 0, &id) != 0))
		goto out;
	if (id != NULL && !dash_id_ok(id)) {
		hub_resp_error(c->rs, 400, "bad_request", "id: letters, digits, . _ : - only");
		goto out;
	}
	if (creating && id == NULL) {
		if (hub_id_new("prg", gen, sizeof(gen)) != 0) {
			hub_resp_error(c->rs, 500, "internal", "no id");
			goto out;
		}
		id = gen;
	} else if (!creating) {
		id = c->seg[1];
	}
	rc = hub_db_begin(c->db, 1);
	if (rc == HUB_DB_OK)
		rc = dash_exists(c, "programmes", id);
	if (rc < 0) {
		dash_fail(c, rc);
		goto out;
	}
	if ((!creating) != (rc == 1)) {
		hub_db_rollback(c->db);
		if (!creating)
			hub_resp_error(c->rs, 404, "not_found", "no such programme");
		else
			hub_resp_error(c->rs, 409, "conflict", "a programme with this id exists");
		goto out;
	}
	if (title == NULL) {
		hub_db_rollback(c->db);
		programme_get(c, id);
		goto out;
	}
	rc = hub_master_programme(c->db, c->who.org_id, id, title);
	if (rc == HUB_DB_OK)
		rc = hub_db_commit(c->db);
	if (rc != HUB_DB_OK) {
		dash_fail(c, rc);
		goto out;
	}
	dash_json(c->rs, creating ? 201 : 200, json_pack("{s:s,s:s}", "id", id, "title", title));
out:
	json_decref(j);
}

static void enrolment(struct dash_call *c, const char *prog, const char *person_in, int add)
{
	json_t *j = NULL;
	const char *person = person_in;
	int rc;

	if (add) {
		j = dash_body(c);
		if (j == NULL || dash_str(c, j, "person_id", 1, PR_ID_MAX, 0, &person) != 0)
			goto out;
	}
	rc = hub_db_begin(c->db, 1);
	if (rc == HUB_DB_OK)
		rc = dash_exists(c, "programmes", prog);
	if (rc == 1)
		rc = dash_exists(c, "people", person);
	if (rc == 1 && !add) {
		int64_t v = 0;

		rc = hub_db_int(c->db, "SELECT 1 FROM enrolments WHERE org_id = $1 AND programme_id = $2"
		    " AND person_id = $3 AND active = 1", 3, (struct hub_param[]){ HP_S(c->who.org_id),
		    HP_S(prog), HP_S(person) }, &v);
	}
	if (rc == 0) {
		hub_db_rollback(c->db);
		hub_resp_error(c->rs, 404, "not_found", "no such programme, person or enrolment");
		goto out;
	}
	if (rc == 1)
		rc = hub_master_enrolment(c->db, c->who.org_id, person, prog, add);
	if (rc == HUB_DB_OK)
		rc = dash_audit(c->db, &c->who, add ? "enrolment.add" : "enrolment.remove", person, prog);
	if (rc == HUB_DB_OK)
		rc = hub_db_commit(c->db);
	if (rc != HUB_DB_OK) {
		dash_fail(c, rc);
		goto out;
	}
	dash_added_or_removed(c, add, add ? json_pack("{s:s,s:s,s:b}", "programme_id", prog,
	    "person_id", person, "active", 1) : NULL);
out:
	json_decref(j);
}

static void prog_create(struct dash_call *c) { programme_write(c, 1); }
static void prog_get(struct dash_call *c) { programme_get(c, c->seg[1]); }
static void prog_patch(struct dash_call *c) { programme_write(c, 0); }
static void enrol_add(struct dash_call *c) { enrolment(c, c->seg[1], NULL, 1); }
static void enrol_remove(struct dash_call *c) { enrolment(c, c->seg[1], c->seg[3], 0); }

static const struct dash_sub programme_subs[] = {
	{ "GET", 1, NULL, programme_list },
	{ "POST", 1, NULL, prog_create },
	{ "GET", 2, NULL, prog_get },
	{ "PATCH", 2, NULL, prog_patch },
	{ "POST", 3, "enrolments", enrol_add },
	{ "DELETE", 4, "enrolments", enrol_remove },
};

void dash_programmes(struct dash_call *c)
{
	(void)dash_dispatch(c, programme_subs, sizeof(programme_subs) / sizeof(programme_subs[0]), 4);
}
