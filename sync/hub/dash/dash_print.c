/* dash_print.c — printable A4 sheets as PDF (cairo's PDF surface): pass
 * cards for chosen people or a session's expected people (POST
 * /v1/dash/print/cards.pdf: each gets a NEW
 * pass, the old one is revoked, since the hub keeps only HMACs) and name
 * badges for the people expected at a session (GET
 * /v1/dash/print/badges.pdf?session=ID). 10 cards of 85.6 x 54 mm a page,
 * with cut marks. Audited. Must not: keep or log a pass string. */
#include "hub/dash/dash_print.h"

#include <cairo-pdf.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/dash/dash_render.h"
#include "hub/db/db.h"
#include "hub/http/http.h"

#define PRINT_PEOPLE_MAX  200      /* cards of one request: 20 pages */
#define PT_PER_MM         (72.0 / 25.4)
#define A4_W_MM           210.0
#define A4_H_MM           297.0
#define CARD_W_MM         85.6     /* ISO/IEC 7810 ID-1 */
#define CARD_H_MM         54.0
#define GRID_COLS         2
#define GRID_ROWS         5
#define PER_PAGE          (GRID_COLS * GRID_ROWS)
#define MARK_GAP_MM       2.0      /* cut marks stop this far from the cards */
#define MARK_LEN_MM       8.0

/* The people expected at session $2 (enrolled in its programme or given a
 * role in it) of org $1, by name: id, display name, first name. */
#define SQL_EXPECTED "SELECT p.id, p.display_name, p.first_name FROM people p WHERE" \
	" p.org_id = $1 AND p.id IN (SELECT e.person_id FROM enrolments e JOIN sessions s ON" \
	" s.org_id = e.org_id AND s.programme_id = e.programme_id WHERE e.org_id = $1 AND" \
	" s.id = $2 AND e.active = 1 UNION SELECT a.person_id FROM assignments a WHERE" \
	" a.org_id = $1 AND a.session_id = $2 AND a.active = 1)" \
	" ORDER BY p.display_name, p.id LIMIT $3"

/* One printed item: the texts it shows; pass is the only copy of a pass. */
struct item {
	char name[PR_NAME_MAX], first[PR_NAME_MAX];
	char pass[CRED_PASS_STR];
};

static double grid_x(int col) { return (A4_W_MM - GRID_COLS * CARD_W_MM) / 2 + col * CARD_W_MM; }
static double grid_y(int row) { return (A4_H_MM - GRID_ROWS * CARD_H_MM) / 2 + row * CARD_H_MM; }

/* Short lines in the margins along every card edge. */
static void cut_marks(cairo_t *cr)
{
	double x0 = grid_x(0), x1 = grid_x(GRID_COLS), y0 = grid_y(0), y1 = grid_y(GRID_ROWS);

	cairo_save(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, 0.2);
	for (int i = 0; i <= GRID_COLS; i++) {
		cairo_move_to(cr, grid_x(i), y0 - MARK_GAP_MM);
		cairo_line_to(cr, grid_x(i), y0 - MARK_GAP_MM - MARK_LEN_MM);
		cairo_move_to(cr, grid_x(i), y1 + MARK_GAP_MM);
		cairo_line_to(cr, grid_x(i), y1 + MARK_GAP_MM + MARK_LEN_MM);
	}
	for (int i = 0; i <= GRID_ROWS; i++) {
		cairo_move_to(cr, x0 - MARK_GAP_MM, grid_y(i));
		cairo_line_to(cr, x0 - MARK_GAP_MM - MARK_LEN_MM, grid_y(i));
		cairo_move_to(cr, x1 + MARK_GAP_MM, grid_y(i));
		cairo_line_to(cr, x1 + MARK_GAP_MM + MARK_LEN_MM, grid_y(i));
	}
	cairo_stroke(cr);
	cairo_restore(cr);
}

/* "Fatima E." from first name "Fatima" and display name "Fatima El ...":
 * the first name and the initial of the display name's last word. */
static void badge_name(const struct item *it, char *out, size_t n)
{
	const char *last = strrchr(it->name, ' ');
	size_t len = 1;

	if (last == NULL || last[1] == '\0' || strcmp(last + 1, it->first) == 0) {
		snprintf(out, n, "%s", it->first[0] ? it->first : it->name);
		return;
	}
	last++;
	while (len < 4 && ((unsigned char)last[len] & 0xC0) == 0x80)
		len++;   /* the whole UTF-8 character */
	snprintf(out, n, "%s %.*s.", it->first, (int)len, last);
}

static void badge(struct dash_fonts *f, cairo_t *cr, const struct item *it, const char *org,
    double x, double y)
{
	char line[2 * PR_NAME_MAX];

	badge_name(it, line, sizeof(line));
	cairo_save(cr);
	cairo_set_source_rgb(cr, 0.75, 0.75, 0.75);
	cairo_set_line_width(cr, 0.2);
	cairo_rectangle(cr, x, y, CARD_W_MM, CARD_H_MM);
	cairo_stroke(cr);
	cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
	(void)dash_render_text(f, cr, org, x + CARD_W_MM / 2, y + 10, 4.5, 0, CARD_W_MM - 10,
	    DASH_ALIGN_CENTER);
	cairo_set_source_rgb(cr, 0, 0, 0);
	(void)dash_render_text(f, cr, line, x + CARD_W_MM / 2, y + CARD_H_MM / 2 + 6, 14, 1,
	    CARD_W_MM - 10, DASH_ALIGN_CENTER);
	cairo_restore(cr);
}

/* Render items as a PDF into o: cards (with their pass QR) or badges.
 * Returns 0 or -1 (o may hold a partial document: free it). */
static int render(const struct item *items, int n, const char *org, int cards, struct dash_out *o)
{
	struct dash_fonts *f = dash_render_open();
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(dash_out_write, o,
	    A4_W_MM * PT_PER_MM, A4_H_MM * PT_PER_MM);
	cairo_t *cr = cairo_create(s);
	int rc = f != NULL && cairo_status(cr) == CAIRO_STATUS_SUCCESS ? 0 : -1;

	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE,
	    cards ? "Presentie pass cards" : "Presentie name badges");
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "presentie-hub");
	cairo_scale(cr, PT_PER_MM, PT_PER_MM);
	for (int i = 0; rc == 0 && i < n; i++) {
		int slot = i % PER_PAGE;
		double x = grid_x(slot % GRID_COLS), y = grid_y(slot / GRID_COLS);

		if (slot == 0 && i > 0)
			cairo_show_page(cr);
		if (slot == 0)
			cut_marks(cr);
		if (cards) {
			struct dash_card k = { .org = org, .name = items[i].name,
				.note = "Presentie", .qr = items[i].pass };

			rc = dash_render_card(f, cr, &k, x, y, CARD_W_MM, CARD_H_MM);
		} else {
			badge(f, cr, &items[i], org, x, y);
		}
	}
	if (n == 0)
		cut_marks(cr);
	cairo_show_page(cr);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS || o->failed)
		rc = -1;
	cairo_surface_destroy(s);
	dash_render_close(f);
	return rc;
}

/* Hand the finished PDF in o to the response (o's buffer moves). */
static void answer_pdf(struct dash_call *c, struct dash_out *o, const char *filename)
{
	char cd[96];

	free(c->rs->body);
	c->rs->body = (char *)o->p;
	c->rs->len = o->len;
	o->p = NULL;
	c->rs->status = 200;
	c->rs->ctype = "application/pdf";
	snprintf(cd, sizeof(cd), "attachment; filename=\"%s\"", filename);
	(void)hub_resp_header(c->rs, "Content-Disposition", cd);
}

static void wipe_items(struct item *items, int n)
{
	if (items != NULL)
		sodium_memzero(items, sizeof(*items) * (size_t)n);
	free(items);
}

/* The ids of the people expected at session sid as a new JSON array into
 * *ids. Returns 1, 0 (no such session: *ids NULL) or a db error code. */
static int expected_ids(struct dash_call *c, const char *sid, json_t **ids)
{
	struct hub_res *r = NULL;
	int found = dash_exists(c, "sessions", sid), rc;

	*ids = NULL;
	if (found != 1)
		return found;
	*ids = json_array();
	rc = hub_db_query(c->db, SQL_EXPECTED, 3, (struct hub_param[]){ HP_S(c->who.org_id), HP_S(sid),
	    HP_I(PRINT_PEOPLE_MAX) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1)
		json_array_append_new(*ids, json_string(hub_res_text(r, 0)));
	hub_res_free(r);
	return rc < 0 ? rc : 1;
}

/* POST cards.pdf {"people": ["id", ...]} or {"session": "ID"} (its
 * expected people): a new pass for each, one PDF. */
static void cards(struct dash_call *c)
{
	json_t *j = dash_body(c), *ids = NULL, *own = NULL;
	struct item *items = NULL;
	struct dash_out o = { 0 };
	char org[PR_NAME_MAX] = "", ref[DASH_REF_HEX + 1], detail[48];
	const char *sid = NULL;
	int n = 0, rc;
	size_t i;

	if (j == NULL)
		return;
	if (dash_str(c, j, "session", 0, PR_ID_MAX, 0, &sid) != 0)
		goto out;
	if (sid != NULL) {
		rc = dash_id_ok(sid) ? expected_ids(c, sid, &own) : 0;
		if (rc <= 0) {
			if (rc < 0)
				hub_resp_dberr(c->rs, rc);
			else
				hub_resp_error(c->rs, 404, "not_found", "no such session");
			goto out;
		}
		ids = own;
	} else {
		ids = json_object_get(j, "people");
	}
	if (!json_is_array(ids) || json_array_size(ids) == 0 || json_array_size(ids) > PRINT_PEOPLE_MAX) {
		hub_resp_error(c->rs, 400, "bad_request", "people: a list of 1 to %d person ids",
		    PRINT_PEOPLE_MAX);
		goto out;
	}
	items = calloc(json_array_size(ids), sizeof(*items));
	if (items == NULL) {
		hub_resp_error(c->rs, 500, "internal", "out of memory");
		goto out;
	}
	rc = hub_db_begin(c->db, 1);
	for (i = 0; rc == HUB_DB_OK && i < json_array_size(ids); i++) {
		const char *id = json_string_value(json_array_get(ids, i));
		int found;

		if (id == NULL || !dash_id_ok(id)) {
			hub_db_rollback(c->db);
			hub_resp_error(c->rs, 400, "bad_request", "people[%zu]: a person id", i);
			goto out;
		}
		found = dash_card_names(c, id, items[n].name, items[n].first, org);
		if (found < 0) {
			dash_fail(c, found);
			goto out;
		}
		if (found == 0) {
			hub_db_rollback(c->db);
			hub_resp_error(c->rs, 404, "not_found", "no such person: people[%zu]", i);
			goto out;
		}
		if (dash_pass_issue(c, id, items[n].pass, ref) != 0)
			goto out;
		snprintf(detail, sizeof(detail), "ref=%s printed", ref);
		rc = dash_audit(c->db, &c->who, "person.pass", id, detail);
		n++;
	}
	if (rc == HUB_DB_OK && render(items, n, org, 1, &o) != 0) {
		hub_db_rollback(c->db);
		hub_resp_error(c->rs, 500, "internal", "could not draw the cards");
		goto out;
	}
	snprintf(detail, sizeof(detail), "%d cards", n);
	if (rc == HUB_DB_OK)
		rc = dash_audit(c->db, &c->who, "print.cards", "cards.pdf", detail);
	if (rc == HUB_DB_OK)
		rc = hub_db_commit(c->db);
	if (rc != HUB_DB_OK) {
		dash_fail(c, rc);
		goto out;
	}
	answer_pdf(c, &o, "cards.pdf");
out:
	free(o.p);
	wipe_items(items, (int)(json_is_array(ids) ? json_array_size(ids) : 0));
	json_decref(own);
	json_decref(j);
}

/* GET badges.pdf?session=ID: badges of the people expected (enrolled in
 * the session's programme or given a role in it), by name. */
static void badges(struct dash_call *c)
{
	const char *sid = hub_req_arg(c->rq, "session");
	struct hub_res *r = NULL;
	struct item *items = calloc(PRINT_PEOPLE_MAX, sizeof(*items));
	struct dash_out o = { 0 };
	char org[PR_NAME_MAX] = "", detail[32];
	int n = 0, found = 0, rc;

	if (items == NULL) {
		hub_resp_error(c->rs, 500, "internal", "out of memory");
		return;
	}
	if (sid == NULL || !dash_id_ok(sid)) {
		hub_resp_error(c->rs, 400, "bad_request", "session: a session id");
		goto out;
	}
	rc = hub_db_query(c->db, "SELECT o.name, CASE WHEN EXISTS (SELECT 1 FROM sessions s WHERE"
	    " s.org_id = o.id AND s.id = $2) THEN 1 ELSE 0 END FROM organisations o WHERE o.id = $1", 2,
	    (struct hub_param[]){ HP_S(c->who.org_id), HP_S(sid) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		snprintf(org, sizeof(org), "%s", hub_res_text(r, 0));
		found = hub_res_int(r, 1) != 0;
	}
	hub_res_free(r);
	r = NULL;
	if (rc >= 0 && found)
		rc = hub_db_query(c->db, SQL_EXPECTED, 3, (struct hub_param[]){
		    HP_S(c->who.org_id), HP_S(sid), HP_I(PRINT_PEOPLE_MAX) }, 0, &r);
	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1 && n < PRINT_PEOPLE_MAX) {
		snprintf(items[n].name, sizeof(items[n].name), "%s", hub_res_text(r, 1));
		snprintf(items[n].first, sizeof(items[n].first), "%s", hub_res_text(r, 2));
		n++;
	}
	hub_res_free(r);
	if (rc < 0) {
		hub_resp_dberr(c->rs, rc);
		goto out;
	}
	if (!found) {
		hub_resp_error(c->rs, 404, "not_found", "no such session");
		goto out;
	}
	if (render(items, n, org, 0, &o) != 0) {
		hub_resp_error(c->rs, 500, "internal", "could not draw the badges");
		goto out;
	}
	snprintf(detail, sizeof(detail), "%d badges", n);
	rc = dash_audit(c->db, &c->who, "print.badges", sid, detail);
	if (rc != HUB_DB_OK) {
		hub_resp_dberr(c->rs, rc);
		goto out;
	}
	answer_pdf(c, &o, "badges.pdf");
out:
	free(o.p);
	wipe_items(items, PRINT_PEOPLE_MAX);
}

static const struct dash_sub print_subs[] = {
	{ "POST", 2, "cards.pdf", cards },
	{ "GET", 2, "badges.pdf", badges },
};

void dash_print(struct dash_call *c)
{
	/* seg[1] names the sheet: the table's seg2 is matched against seg[2] */
	if (c->nseg == 2) {
		for (size_t i = 0; i < sizeof(print_subs) / sizeof(print_subs[0]); i++)
			if (strcmp(print_subs[i].seg2, c->seg[1]) == 0) {
				if (strcmp(c->rq->method, print_subs[i].method) != 0) {
					hub_resp_error(c->rs, 405, "method_not_allowed", "use %s",
					    print_subs[i].method);
					return;
				}
				print_subs[i].fn(c);
				return;
			}
	}
	hub_resp_error(c->rs, 404, "not_found", "no such endpoint");
}
