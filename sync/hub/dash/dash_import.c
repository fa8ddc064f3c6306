/* dash_import.c — POST /v1/dash/import/{people|programmes|enrolments|
 * assignments}[?dry_run=1]: the body is the coordinator's file (.csv with
 * ';' or ',', optional BOM; or .xlsx, converted by xlsx.h), checked and
 * applied all or nothing by the one import service (svc/import.h) into the
 * organisation of the session, audited with the row count.
 * Must not: take the organisation from the request, or keep the file. */
#include "hub/dash/dash.h"

#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "hub/db/db.h"
#include "hub/http/http.h"
#include "hub/svc/import.h"
#include "xlsx.h"   /* xlsx_sniff: the format in the answer */

#define DASH_IMPORT_PREVIEW_MAX 20     /* rows sent back to show */

static const char *const dash_kinds[] = { "people", "programmes", "enrolments", "assignments", NULL };

struct dash_imp {
	struct dash_call *c;
	const char *const *cols;
	json_t *preview;
	int xlsx;
};

/* A JSON string of s; a cut multi-byte tail is dropped, never NULL (out of
 * memory aside). */
static json_t *jtext(const char *s)
{
	size_t n = strlen(s);
	json_t *j = NULL;

	for (int cut = 0; j == NULL && cut < 4 && cut <= (int)n; cut++)
		j = json_stringn(s, n - (size_t)cut);
	return j ? j : json_string("?");
}

static void on_row(void *cls, const struct csv *csv)
{
	struct dash_imp *d = cls;
	json_t *cells, *row;

	if (json_array_size(d->preview) >= DASH_IMPORT_PREVIEW_MAX)
		return;
	cells = json_array();
	for (int i = 0; d->cols[i] != NULL; i++) {
		const char *v = csv_get(csv, d->cols[i]);

		json_array_append_new(cells, jtext(v ? v : ""));
	}
	row = json_pack("{s:I, s:o}", "line", (json_int_t)csv_line(csv), "cells", cells);
	json_array_append_new(d->preview, row);
}

static int audit_import(void *cls, struct hub_db *db, long rows)
{
	struct dash_imp *d = cls;
	struct hub_actor a = { d->c->who.org_id, d->c->who.id, d->c->who.email };
	char action[PR_TITLE_MAX + 8];

	snprintf(action, sizeof(action), "import.%s", d->c->seg[1]);   /* a known kind */
	return hub_audit_rows(db, &a, action, NULL, d->xlsx ? "xlsx" : "csv", rows);
}

static json_t *problems_json(const struct hub_import_report *rep)
{
	json_t *a = json_array();

	for (int i = 0; i < rep->nlisted; i++) {
		const struct hub_import_problem *p = &rep->problems[i];

		json_array_append_new(a, json_pack("{s:I, s:o, s:o}", "line", (json_int_t)p->line,
		    "column", jtext(p->column), "message", jtext(p->message)));
	}
	return a;
}

/* The body as a stream of CSV (*raw: the stream over the body; an .xlsx
 * is converted by the import service into *csvbuf, freed by the caller).
 * NULL with rep's one problem if the .xlsx cannot be read. */
static FILE *body_csv(struct dash_call *c, FILE **raw, char **csvbuf, struct hub_import_report *rep)
{
	FILE *fp;

	*csvbuf = NULL;
	*raw = fmemopen((void *)c->rq->body, c->rq->body_len, "r");
	if (*raw == NULL)
		return NULL;
	fp = hub_import_csv_of(*raw, csvbuf, rep->problems[0].message, sizeof(rep->problems[0].message));
	if (fp == NULL)
		rep->nproblems = rep->nlisted = 1;
	return fp;
}

void dash_import(struct dash_call *c)
{
	static struct hub_import_report zero;
	struct dash_imp d = { .c = c };
	struct hub_import_opts o = { .kind = c->seg[1], .name = "file", .on_row = on_row,
		.before_commit = audit_import, .cls = &d };
	struct hub_import_report *rep;
	const char *dry = hub_req_arg(c->rq, "dry_run");
	char *csvbuf = NULL;
	json_t *cols, *out;
	FILE *fp, *raw = NULL;
	int k, rc, status;

	if (dash_expect(c, "POST", 2) != 0)
		return;
	for (k = 0; dash_kinds[k] && strcmp(dash_kinds[k], c->seg[1]) != 0; k++)
		;
	if (dash_kinds[k] == NULL) {
		hub_resp_error(c->rs, 404, "not_found", "import people, programmes, enrolments or assignments");
		return;
	}
	if (c->rq->body_len > PR_IMPORT_BODY_MAX) {   /* (http.c already stops at PR_BODY_MAX) */
		hub_resp_error(c->rs, 413, "too_large", "a file of at most %d bytes", PR_IMPORT_BODY_MAX);
		return;
	}
	if (c->rq->body_len == 0) {
		hub_resp_error(c->rs, 400, "bad_request", "the file is empty");
		return;
	}
	rep = malloc(sizeof(*rep));
	if (rep == NULL) {
		hub_resp_error(c->rs, 500, "internal", "out of memory");
		return;
	}
	*rep = zero;
	o.dry_run = dry != NULL && strcmp(dry, "1") == 0;
	d.xlsx = xlsx_sniff(c->rq->body, c->rq->body_len);   /* by content; Content-Type is a hint */
	d.cols = hub_import_columns(o.kind, NULL);
	d.preview = json_array();
	fp = body_csv(c, &raw, &csvbuf, rep);
	rc = HUB_DB_OK;
	if (fp != NULL) {
		rc = hub_import_run(c->db, c->who.org_id, &o, fp, rep);
		if (fp != raw)
			fclose(fp);
	} else if (rep->nproblems == 0) {
		rc = HUB_DB_ERROR;
		snprintf(rep->problems[0].message, sizeof(rep->problems[0].message), "out of memory");
		rep->nproblems = rep->nlisted = 1;
	}
	if (raw != NULL)
		fclose(raw);
	free(csvbuf);
	if (rc != HUB_DB_OK) {
		if (rc == HUB_DB_UNAVAILABLE)
			c->rq->db_broken = 1;
		json_decref(d.preview);
		free(rep);
		hub_resp_dberr(c->rs, rc);
		return;
	}
	cols = json_array();
	for (int i = 0; d.cols[i] != NULL; i++)
		json_array_append_new(cols, json_string(d.cols[i]));
	status = rep->nproblems == 0 || o.dry_run ? 200 : 422;
	out = json_pack("{s:s, s:b, s:s, s:I, s:I, s:o, s:o, s:o, s:I}", "kind", o.kind,
	    "dry_run", o.dry_run, "format", d.xlsx ? "xlsx" : "csv", "rows", (json_int_t)rep->rows,
	    "imported", (json_int_t)(rep->nproblems == 0 && !o.dry_run ? rep->rows : 0),
	    "columns", cols, "preview", d.preview, "errors", problems_json(rep),
	    "errors_total", (json_int_t)rep->nproblems);
	if (status == 422 && out != NULL) {
		json_object_set_new(out, "error", json_string("unprocessable"));
		json_object_set_new(out, "message", json_string("problems in the file: nothing imported"));
	}
	free(rep);
	dash_json(c->rs, status, out);
}
