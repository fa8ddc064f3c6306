/* dash_pass.c — POST /v1/dash/people/{id}/pass: issue a phone pass (the
 * random string, its HMAC kept as a "qr" credential, dash_credentials.c) and
 * answer it ONCE with its QR code as a PNG card for the phone's gallery.
 * Must not: store, log or audit the pass string (the audit gets the MAC ref). */
#include "hub/dash/dash_print.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/dash/dash_render.h"
#include "hub/db/db.h"
#include "hub/http/http.h"

#define PNG_B64_PREFIX "data:image/png;base64,"

cairo_status_t dash_out_write(void *closure, const unsigned char *data, unsigned int length)
{
	struct dash_out *o = closure;

	if (o->failed || length > DASH_PRINT_MAX - o->len) {
		o->failed = 1;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	if (o->len + length > o->cap) {
		size_t cap = o->cap ? o->cap : 65536;
		unsigned char *p;

		while (cap < o->len + length)
			cap *= 2;
		p = realloc(o->p, cap);
		if (p == NULL) {
			o->failed = 1;
			return CAIRO_STATUS_NO_MEMORY;
		}
		o->p = p;
		o->cap = cap;
	}
	memcpy(o->p + o->len, data, length);
	o->len += length;
	return CAIRO_STATUS_SUCCESS;
}

int dash_card_names(struct dash_call *c, const char *person, char name[PR_NAME_MAX],
    char first[PR_NAME_MAX], char org[PR_NAME_MAX])
{
	struct hub_res *r = NULL;
	int found = 0;
	int rc = hub_db_query(c->db, "SELECT p.display_name, p.first_name, o.name FROM people p"
	    " JOIN organisations o ON o.id = p.org_id WHERE p.org_id = $1 AND p.id = $2", 2,
	    (struct hub_param[]){ HP_S(c->who.org_id), HP_S(person) }, 0, &r);

	while (rc >= 0 && r != NULL && (rc = hub_res_next(r)) == 1) {
		snprintf(name, PR_NAME_MAX, "%s", hub_res_text(r, 0));
		snprintf(first, PR_NAME_MAX, "%s", hub_res_text(r, 1));
		snprintf(org, PR_NAME_MAX, "%s", hub_res_text(r, 2));
		found = 1;
	}
	hub_res_free(r);
	return rc < 0 ? rc : found;
}

/* The pass as a card PNG, base64 data URL (caller frees). NULL on failure. */
static char *pass_png(const struct dash_card *k)
{
	struct dash_fonts *f = dash_render_open();
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, DASH_PASS_PNG_W,
	    DASH_PASS_PNG_H);
	cairo_t *cr = cairo_create(s);
	struct dash_out o = { 0 };
	char *url = NULL;
	int ok = f != NULL && cairo_status(cr) == CAIRO_STATUS_SUCCESS;

	if (ok)
		ok = dash_render_card(f, cr, k, 0, 0, DASH_PASS_PNG_W, DASH_PASS_PNG_H) == 0;
	cairo_destroy(cr);
	if (ok)
		ok = cairo_surface_write_to_png_stream(s, dash_out_write, &o) == CAIRO_STATUS_SUCCESS &&
		    !o.failed;
	cairo_surface_destroy(s);
	dash_render_close(f);
	if (ok) {
		size_t pre = strlen(PNG_B64_PREFIX);
		size_t n = sodium_base64_encoded_len(o.len, sodium_base64_VARIANT_ORIGINAL);

		url = malloc(pre + n);
		if (url != NULL) {
			memcpy(url, PNG_B64_PREFIX, pre);
			sodium_bin2base64(url + pre, n, o.p, o.len, sodium_base64_VARIANT_ORIGINAL);
		}
	}
	free(o.p);
	return url;
}

void dash_person_pass(struct dash_call *c, const char *id)
{
	char pass[CRED_PASS_STR] = "", ref[DASH_REF_HEX + 1], name[PR_NAME_MAX], first[PR_NAME_MAX];
	char org[PR_NAME_MAX], detail[32];
	struct dash_card k;
	char *png = NULL;
	int rc = hub_db_begin(c->db, 1);

	if (rc == HUB_DB_OK)
		rc = dash_card_names(c, id, name, first, org);
	if (rc <= 0) {
		if (rc < 0)
			dash_fail(c, rc);
		else {
			hub_db_rollback(c->db);
			hub_resp_error(c->rs, 404, "not_found", "no such person");
		}
		return;
	}
	if (dash_pass_issue(c, id, pass, ref) != 0)
		goto out;
	snprintf(detail, sizeof(detail), "ref=%s", ref);
	k = (struct dash_card){ .org = org, .name = name, .note = "Presentie", .qr = pass };
	png = pass_png(&k);
	if (png == NULL) {
		hub_db_rollback(c->db);
		hub_resp_error(c->rs, 500, "internal", "could not draw the pass");
		goto out;
	}
	rc = dash_audit(c->db, &c->who, "person.pass", id, detail);
	if (rc == HUB_DB_OK)
		rc = hub_db_commit(c->db);
	if (rc != HUB_DB_OK) {
		dash_fail(c, rc);
		goto out;
	}
	dash_json(c->rs, 201, json_pack("{s:s,s:s,s:b,s:s,s:s}", "kind", "qr", "ref", ref, "active", 1,
	    "pass", pass, "png", png));
out:
	free(png);
	sodium_memzero(pass, sizeof(pass));
}
