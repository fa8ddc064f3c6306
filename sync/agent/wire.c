/* wire.c — jansson parsing and field-by-field validation of hub answers.
 * Owns: the shape rules of PROTOCOL.md v1 for what the agent reads
 * (enrol, ack, changes with the relayed taps, error). Unknown fields are ignored (additive
 * protocol); missing, mistyped, oversized or out-of-range fields are errors.
 * Must not: keep jansson objects beyond one call, or touch the store. */
#include "wire.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civil.h"
#include "errf.h"
#include "uuid7.h"

#define REQ 1
#define OPT 0

static json_t *load(const char *body, size_t len, char *err, size_t errlen)
{
	json_error_t je;
	json_t *root;

	if (body == NULL || len > PR_BODY_MAX) {
		pr_errf(err, errlen, "answer missing or larger than 1 MiB");
		return NULL;
	}
	root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		pr_errf(err, errlen, "answer is not valid JSON (line %d: %.80s)", je.line, je.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		pr_errf(err, errlen, "answer is not a JSON object");
		json_decref(root);
		return NULL;
	}
	return root;
}

static int no_controls(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

int agent_wire_id_ok(const char *s)
{
	size_t n;

	if (s == NULL)
		return 0;
	n = strnlen(s, PR_ID_MAX);
	return n > 0 && n < PR_ID_MAX && no_controls(s) && strchr(s, ' ') == NULL;
}

enum strkind { S_TEXT, S_ID, S_NAME };

/* A string field into buf[cap]. Absent/null and optional: buf = "". */
static int str_field(const json_t *obj, const char *ctx, const char *key, int req,
    enum strkind kind, char *buf, size_t cap, char *err, size_t errlen)
{
	const json_t *v = json_object_get(obj, key);
	const char *s;
	size_t n;

	buf[0] = '\0';
	if (v == NULL || json_is_null(v)) {
		if (!req)
			return 0;
		pr_errf(err, errlen, "%s%s: missing", ctx, key);
		return -1;
	}
	if (!json_is_string(v)) {
		pr_errf(err, errlen, "%s%s: must be a string", ctx, key);
		return -1;
	}
	s = json_string_value(v);
	n = json_string_length(v);
	if (n >= cap || strlen(s) != n) {             /* too long, or an embedded NUL */
		pr_errf(err, errlen, "%s%s: must be at most %zu bytes without NUL", ctx, key, cap - 1);
		return -1;
	}
	if ((kind == S_ID && !agent_wire_id_ok(s)) ||
	    (kind == S_NAME && (n == 0 || !no_controls(s))) ||
	    (kind == S_TEXT && !no_controls(s))) {
		pr_errf(err, errlen, "%s%s: not a valid %s", ctx, key,
		    kind == S_ID ? "id" : kind == S_NAME ? "name" : "text");
		return -1;
	}
	memcpy(buf, s, n + 1);
	return 0;
}

static int bool_field(const json_t *obj, const char *ctx, const char *key, int req,
    int dflt, int *out, char *err, size_t errlen)
{
	const json_t *v = json_object_get(obj, key);

	if (v == NULL && !req) {
		*out = dflt;
		return 0;
	}
	if (!json_is_boolean(v)) {
		pr_errf(err, errlen, "%s%s: must be true or false", ctx, key);
		return -1;
	}
	*out = json_is_true(v);
	return 0;
}

static int int_field(const json_t *obj, const char *ctx, const char *key, int req,
    int64_t min, int64_t max, int64_t *out, char *err, size_t errlen)
{
	const json_t *v = json_object_get(obj, key);
	json_int_t i;

	if (v == NULL && !req) {
		*out = 0;
		return 0;
	}
	if (!json_is_integer(v)) {
		pr_errf(err, errlen, "%s%s: must be an integer", ctx, key);
		return -1;
	}
	i = json_integer_value(v);
	if (i < min || i > max) {
		pr_errf(err, errlen, "%s%s: out of range", ctx, key);
		return -1;
	}
	*out = (int64_t)i;
	return 0;
}

static int is_hex64(const char *s)
{
	size_t i;

	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
		      (s[i] >= 'A' && s[i] <= 'F')))
			return 0;
	return s[64] == '\0';
}

static void lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/* --- time ------------------------------------------------------------------ */

static int num(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int agent_wire_time(const char *s, int64_t *unix_s)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
	const char *p;

	if (s == NULL || strnlen(s, 40) < 20)
		return -1;
	y = num(s, 4); mo = num(s + 5, 2); d = num(s + 8, 2);
	h = num(s + 11, 2); mi = num(s + 14, 2); sec = num(s + 17, 2);
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 ||
	    h < 0 || mi < 0 || mi > 59 || sec < 0 || sec > 60 || s[4] != '-' ||
	    s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':')
		return -1;
	if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return -1;
	p = s + 19;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '+' ? 1 : -1;
		oh = num(p + 1, 2);
		om = num(p + 4, 2);
		if (oh < 0 || oh > 23 || p[3] != ':' || om < 0 || om > 59)
			return -1;
		p += 6;
	} else {
		return -1;
	}
	if (*p != '\0')
		return -1;
	*unix_s = pr_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
	    sign * (oh * 3600 + om * 60);
	return 0;
}

/* --- enrol and ack ---------------------------------------------------------- */

int agent_wire_enrol(const char *body, size_t len, struct agent_enrol_answer *out,
    char *err, size_t errlen)
{
	json_t *root = load(body, len, err, errlen);
	const json_t *org, *loc;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (root == NULL)
		return -1;
	org = json_object_get(root, "organisation");
	loc = json_object_get(root, "location");
	if (!json_is_object(org) || !json_is_object(loc)) {
		pr_errf(err, errlen, "%s: must be an object", json_is_object(org) ? "location" : "organisation");
		goto out;
	}
	if (str_field(root, "", "device_id", REQ, S_ID, out->device_id, sizeof(out->device_id), err, errlen) ||
	    str_field(root, "", "token", REQ, S_ID, out->token, sizeof(out->token), err, errlen) ||
	    str_field(org, "organisation.", "id", REQ, S_ID, out->org_id, sizeof(out->org_id), err, errlen) ||
	    str_field(org, "organisation.", "name", OPT, S_TEXT, out->org_name, sizeof(out->org_name), err, errlen) ||
	    str_field(loc, "location.", "id", REQ, S_ID, out->location_id, sizeof(out->location_id), err, errlen) ||
	    str_field(loc, "location.", "name", OPT, S_TEXT, out->location_name, sizeof(out->location_name), err, errlen) ||
	    str_field(loc, "location.", "timezone", OPT, S_ID, out->location_tz, sizeof(out->location_tz), err, errlen) ||
	    str_field(root, "", "org_key", REQ, S_TEXT, out->org_key, sizeof(out->org_key), err, errlen))
		goto out;
	if (strlen(out->token) < 16) {
		pr_errf(err, errlen, "token: too short to be a device token");
		goto out;
	}
	if (!is_hex64(out->org_key)) {
		pr_errf(err, errlen, "org_key: must be 64 hex digits");
		goto out;
	}
	lower(out->org_key);
	if (out->location_tz[0] == '\0')
		memcpy(out->location_tz, "Europe/Amsterdam", sizeof("Europe/Amsterdam"));
	rc = 0;
out:
	json_decref(root);
	if (rc != 0)
		memset(out, 0, sizeof(*out));
	return rc;
}

int agent_wire_ack(const char *body, size_t len, struct agent_ack *out,
    char *err, size_t errlen)
{
	json_t *root = load(body, len, err, errlen);
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (root == NULL)
		return -1;
	if (int_field(root, "", "acked_seq", REQ, 0, INT64_MAX, &out->acked_seq, err, errlen) ||
	    int_field(root, "", "stored", OPT, 0, INT64_MAX, &out->stored, err, errlen) ||
	    int_field(root, "", "duplicates", OPT, 0, INT64_MAX, &out->duplicates, err, errlen))
		goto out;
	rc = 0;
out:
	json_decref(root);
	if (rc != 0)
		memset(out, 0, sizeof(*out));
	return rc;
}

/* --- changes page ------------------------------------------------------------ */

/* The array `key` of root: NULL/absent is an empty array. Sets *n. */
static int array_field(const json_t *root, const char *key, const json_t **arr,
    size_t *n, char *err, size_t errlen)
{
	const json_t *v = json_object_get(root, key);

	*arr = NULL;
	*n = 0;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_array(v)) {
		pr_errf(err, errlen, "%s: must be an array", key);
		return -1;
	}
	if (json_array_size(v) > PR_CHANGES_PAGE_MAX) {
		pr_errf(err, errlen, "%s: more than %d rows in one page", key, PR_CHANGES_PAGE_MAX);
		return -1;
	}
	*arr = v;
	*n = json_array_size(v);
	return 0;
}

static int one_person(const json_t *o, const char *c, void *row, char *err, size_t el)
{
	struct store_page_person *p = row;
	char *sp;

	if (str_field(o, c, "id", REQ, S_ID, p->id, sizeof(p->id), err, el) ||
	    str_field(o, c, "display_name", REQ, S_NAME, p->display_name, sizeof(p->display_name), err, el) ||
	    str_field(o, c, "first_name", OPT, S_TEXT, p->first_name, sizeof(p->first_name), err, el) ||
	    str_field(o, c, "lang", OPT, S_ID, p->lang, sizeof(p->lang), err, el) ||
	    bool_field(o, c, "coordinator", OPT, 0, &p->coordinator, err, el))
		return -1;
	if (p->first_name[0] == '\0') {           /* "Fatima E." greets as "Fatima" */
		memcpy(p->first_name, p->display_name, sizeof(p->first_name));
		sp = strchr(p->first_name, ' ');
		if (sp != NULL)
			*sp = '\0';
	}
	if (p->lang[0] == '\0')
		memcpy(p->lang, "nl", 3);
	if (strlen(p->lang) < 2) {
		pr_errf(err, el, "%slang: must be a language tag like \"nl\"", c);
		return -1;
	}
	return 0;
}

static int one_cred(const json_t *o, const char *c, void *row, char *err, size_t el)
{
	struct store_page_cred *p = row;
	char kind[8];

	if (str_field(o, c, "person_id", REQ, S_ID, p->person_id, sizeof(p->person_id), err, el) ||
	    str_field(o, c, "kind", REQ, S_ID, kind, sizeof(kind), err, el) ||
	    str_field(o, c, "mac", REQ, S_TEXT, p->mac_hex, sizeof(p->mac_hex), err, el) ||
	    bool_field(o, c, "active", OPT, 1, &p->active, err, el))
		return -1;
	if (strcmp(kind, "card") == 0) {
		p->kind = 0;
	} else if (strcmp(kind, "pin") == 0) {
		p->kind = 1;
	} else {
		pr_errf(err, el, "%skind: must be \"card\" or \"pin\"", c);
		return -1;
	}
	if (!is_hex64(p->mac_hex)) {
		pr_errf(err, el, "%smac: must be 64 hex digits", c);
		return -1;
	}
	lower(p->mac_hex);
	return 0;
}

static int one_programme(const json_t *o, const char *c, void *row, char *err, size_t el)
{
	struct store_page_programme *p = row;
	return str_field(o, c, "id", REQ, S_ID, p->id, sizeof(p->id), err, el) ||
	    str_field(o, c, "title", REQ, S_NAME, p->title, sizeof(p->title), err, el) ? -1 : 0;
}

static int one_enrolment(const json_t *o, const char *c, void *row, char *err, size_t el)
{
	struct store_page_enrolment *p = row;
	return str_field(o, c, "person_id", REQ, S_ID, p->person_id, sizeof(p->person_id), err, el) ||
	    str_field(o, c, "programme_id", REQ, S_ID, p->programme_id, sizeof(p->programme_id), err, el) ||
	    bool_field(o, c, "active", OPT, 1, &p->active, err, el) ? -1 : 0;
}

static int one_session(const json_t *o, const char *c, void *row, char *err, size_t el)
{
	struct store_page_session *p = row;
	static const char *const kinds[] = AGENT_SESSION_KINDS;
	char kind[16], start[48], end[48];
	size_t i;

	if (str_field(o, c, "id", REQ, S_ID, p->id, sizeof(p->id), err, el) ||
	    str_field(o, c, "programme_id", OPT, S_ID, p->programme_id, sizeof(p->programme_id), err, el) ||
	    str_field(o, c, "title", REQ, S_NAME, p->title, sizeof(p->title), err, el) ||
	    str_field(o, c, "room", OPT, S_TEXT, p->room, sizeof(p->room), err, el) ||
	    str_field(o, c, "start", REQ, S_ID, start, sizeof(start), err, el) ||
	    str_field(o, c, "end", REQ, S_ID, end, sizeof(end), err, el) ||
	    str_field(o, c, "kind", OPT, S_ID, kind, sizeof(kind), err, el) ||
	    bool_field(o, c, "cancelled", OPT, 0, &p->cancelled, err, el))
		return -1;
	if (agent_wire_time(start, &p->start) < 0 || agent_wire_time(end, &p->end) < 0) {
		pr_errf(err, el, "%sstart/end: must be RFC 3339 times", c);
		return -1;
	}
	if (p->end <= p->start) {
		pr_errf(err, el, "%send: must be after start", c);
		return -1;
	}
	p->kind = 0;
	if (kind[0] != '\0') {
		for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
			if (strcmp(kind, kinds[i]) == 0)
				break;
		if (i == sizeof(kinds) / sizeof(kinds[0])) {
			pr_errf(err, el, "%skind: must be group, coaching, open or intake", c);
			return -1;
		}
		p->kind = (int)i;
	}
	return 0;
}

static int one_assignment(const json_t *o, const char *c, void *row, char *err, size_t el)
{
	struct store_page_assignment *p = row;
	return str_field(o, c, "session_id", REQ, S_ID, p->session_id, sizeof(p->session_id), err, el) ||
	    str_field(o, c, "person_id", REQ, S_ID, p->person_id, sizeof(p->person_id), err, el) ||
	    str_field(o, c, "role", REQ, S_ID, p->role, sizeof(p->role), err, el) ||
	    bool_field(o, c, "active", OPT, 1, &p->active, err, el) ? -1 : 0;
}

static int one_tombstone(const json_t *o, const char *c, void *row, char *err, size_t el)
{
	struct store_page_tombstone *p = row;
	return str_field(o, c, "person_id", REQ, S_ID, p->person_id, sizeof(p->person_id), err, el);
}

static int one_rejected(const json_t *o, const char *c, void *row, char *err, size_t el)
{
	struct store_page_rejected *p = row;
	return str_field(o, c, "id", REQ, S_ID, p->id, sizeof(p->id), err, el);
}

#define TAP_T_MS_MAX 253402300799999LL   /* 9999-12-31T23:59:59.999Z */

/* A tap of another kiosk: the kinds the hub relays; a person for all but a
 * guest; ids as everywhere; t_ms within 1970..9999. */
static int one_tap(const json_t *o, const char *c, void *row, char *err, size_t el)
{
	static const char *const kinds[] = { "check_in", "check_out", "guest", "drop_in" };
	struct store_page_tap *p = row;
	size_t i;

	if (str_field(o, c, "uuid", REQ, S_ID, p->uuid, sizeof(p->uuid), err, el) ||
	    str_field(o, c, "kind", REQ, S_ID, p->kind, sizeof(p->kind), err, el) ||
	    str_field(o, c, "person_id", OPT, S_ID, p->person_id, sizeof(p->person_id), err, el) ||
	    str_field(o, c, "session_id", OPT, S_ID, p->session_id, sizeof(p->session_id), err, el) ||
	    str_field(o, c, "role", OPT, S_ID, p->role, sizeof(p->role), err, el) ||
	    int_field(o, c, "t_ms", REQ, 0, TAP_T_MS_MAX, &p->t_ms, err, el))
		return -1;
	if (strlen(p->uuid) != PR_UUID_STR - 1 || !uuid_is_valid(p->uuid)) {
		pr_errf(err, el, "%suuid: must be a UUID", c);
		return -1;
	}
	lower(p->uuid);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(p->kind, kinds[i]) == 0)
			break;
	if (i == sizeof(kinds) / sizeof(kinds[0])) {
		pr_errf(err, el, "%skind: must be check_in, check_out, guest or drop_in", c);
		return -1;
	}
	if (p->person_id[0] == '\0' && strcmp(p->kind, "guest") != 0) {
		pr_errf(err, el, "%sperson_id: missing", c);
		return -1;
	}
	return 0;
}

/* A row parser: validates object o (context ctx, e.g. "people[3].") into row. */
typedef int (*row_fn)(const json_t *o, const char *ctx, void *row, char *err, size_t el);

/* Parse array `key` of root into a calloc'd array of *count rows of size sz,
 * each by fn. Returns 0, or -1 with err (*out may hold a partial array:
 * the caller frees it). */
static int parse_rows(const json_t *root, const char *key, size_t sz, row_fn fn,
    void **out, size_t *count, char *err, size_t errlen)
{
	const json_t *arr, *o;
	char ctx[48];
	size_t i;

	if (array_field(root, key, &arr, count, err, errlen) < 0)
		return -1;
	if (fn == one_tap && *count > PR_RELAY_PAGE_MAX) {
		pr_errf(err, errlen, "%s: more than %d rows in one page", key, PR_RELAY_PAGE_MAX);
		return -1;
	}
	if (*count == 0)
		return 0;
	*out = calloc(*count, sz);
	if (*out == NULL) {
		pr_errf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < *count; i++) {
		o = json_array_get(arr, i);
		snprintf(ctx, sizeof(ctx), "%s[%zu].", key, i);
		if (!json_is_object(o)) {
			pr_errf(err, errlen, "%s[%zu]: must be an object", key, i);
			return -1;
		}
		if (fn(o, ctx, (char *)*out + i * sz, err, errlen) < 0)
			return -1;
	}
	return 0;
}

#define ROWS(key, field, count, fn) \
	parse_rows(root, (key), sizeof(*(field)), (fn), (void **)&(field), &(count), err, errlen)

int agent_wire_page(const char *body, size_t len, struct store_page *out,
    char *err, size_t errlen)
{
	json_t *root = load(body, len, err, errlen);
	const json_t *loc, *link, *taps;
	char expires[48], server[48];
	int64_t server_s = 0;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (root == NULL)
		return -1;
	if (str_field(root, "", "cursor", REQ, S_TEXT, out->cursor, sizeof(out->cursor), err, errlen) ||
	    bool_field(root, "", "more", OPT, 0, &out->more, err, errlen))
		goto out;
	loc = json_object_get(root, "location");
	if (loc != NULL && !json_is_null(loc)) {
		if (!json_is_object(loc)) {
			pr_errf(err, errlen, "location: must be an object");
			goto out;
		}
		if (str_field(loc, "location.", "id", REQ, S_ID, out->location_id, sizeof(out->location_id), err, errlen) ||
		    str_field(loc, "location.", "name", OPT, S_TEXT, out->location_name, sizeof(out->location_name), err, errlen) ||
		    str_field(loc, "location.", "timezone", OPT, S_ID, out->location_tz, sizeof(out->location_tz), err, errlen))
			goto out;
		out->has_location = 1;
	}
	link = json_object_get(root, "card_link");
	if (link != NULL && !json_is_null(link)) {
		if (!json_is_object(link)) {
			pr_errf(err, errlen, "card_link: must be an object or null");
			goto out;
		}
		if (str_field(link, "card_link.", "person_id", REQ, S_ID, out->card_link_person,
		    sizeof(out->card_link_person), err, errlen) ||
		    str_field(link, "card_link.", "expires", REQ, S_ID, expires, sizeof(expires), err, errlen))
			goto out;
		if (agent_wire_time(expires, &out->card_link_expires) < 0) {
			pr_errf(err, errlen, "card_link.expires: must be an RFC 3339 time");
			goto out;
		}
	}
	out->has_card_link = link != NULL;
	out->acked_seq = -1;                      /* a hub before issue 11 sends none */
	if (json_object_get(root, "acked_seq") != NULL &&
	    int_field(root, "", "acked_seq", REQ, 0, INT64_MAX, &out->acked_seq, err, errlen))
		goto out;
	if (str_field(root, "", "server_time", OPT, S_ID, server, sizeof(server), err, errlen))
		goto out;
	if (server[0] != '\0') {
		if (agent_wire_time(server, &server_s) < 0) {
			pr_errf(err, errlen, "server_time: must be an RFC 3339 time");
			goto out;
		}
		out->server_ms = server_s * 1000;
	}
	taps = json_object_get(root, "taps");
	out->has_taps = taps != NULL && !json_is_null(taps);
	if (out->has_taps && (str_field(root, "", "taps_cursor", REQ, S_ID, out->taps_cursor,
	    sizeof(out->taps_cursor), err, errlen) ||
	    ROWS("taps", out->taps, out->n_taps, one_tap) < 0))
		goto out;
	if (ROWS("people", out->people, out->n_people, one_person) < 0 ||
	    ROWS("credentials", out->creds, out->n_creds, one_cred) < 0 ||
	    ROWS("programmes", out->programmes, out->n_programmes, one_programme) < 0 ||
	    ROWS("enrolments", out->enrolments, out->n_enrolments, one_enrolment) < 0 ||
	    ROWS("sessions", out->sessions, out->n_sessions, one_session) < 0 ||
	    ROWS("assignments", out->assignments, out->n_assignments, one_assignment) < 0 ||
	    ROWS("tombstones", out->tombstones, out->n_tombstones, one_tombstone) < 0 ||
	    ROWS("registrations_rejected", out->rejected, out->n_rejected, one_rejected) < 0)
		goto out;
	out->newcomers = -1;                      /* a hub before issue 13 sends none */
	if (json_object_get(root, "newcomers") != NULL &&
	    bool_field(root, "", "newcomers", REQ, 0, &out->newcomers, err, errlen))
		goto out;
	rc = 0;
out:
	json_decref(root);
	if (rc != 0)
		agent_page_free(out);
	return rc;
}

void agent_page_free(struct store_page *p)
{
	if (p == NULL)
		return;
	free(p->people);
	free(p->creds);
	free(p->programmes);
	free(p->enrolments);
	free(p->sessions);
	free(p->assignments);
	free(p->tombstones);
	free(p->taps);
	free(p->rejected);
	memset(p, 0, sizeof(*p));
}

void agent_wire_error_text(long status, const char *body, size_t len, char *out,
    size_t outlen)
{
	json_t *root = NULL;
	const char *code = NULL, *msg = NULL;

	if (body != NULL && len > 0 && len <= PR_BODY_MAX)
		root = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL);
	if (json_is_object(root)) {
		code = json_string_value(json_object_get(root, "error"));
		msg = json_string_value(json_object_get(root, "message"));
	}
	if (code != NULL && no_controls(code) && (msg == NULL || no_controls(msg)))
		snprintf(out, outlen, "HTTP %ld %.40s%s%.160s", status, code,
		    msg ? ": " : "", msg ? msg : "");
	else
		snprintf(out, outlen, "HTTP %ld (no error text)", status);
	json_decref(root);
}
