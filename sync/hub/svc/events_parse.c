/* events_parse.c — validation of an events batch, field by field; errors
 * name the event index and field. Sequence numbers must rise strictly
 * within a batch (the agent sends them in order).
 * Must not: touch the database. */
#include "hub/svc/events_parse.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/base/jsonv.h"
#include "uuid7.h"

static const char *const kinds[] = {
	"check_in", "check_out", "guest", "drop_in", "credential_enrolled",
	"person_registered", NULL
};

static int copy(char *dst, size_t n, const char *src)
{
	int w = snprintf(dst, n, "%s", src ? src : "");

	return (w < 0 || (size_t)w >= n) ? -1 : 0;
}

static int is_hex64(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return i == 64;
}

static const char *const reg_langs[] = { "nl", "en", "ar", "tr", NULL };

/* A display name: printable UTF-8 text (jansson checked the encoding), no
 * markup characters, not only spaces. */
static int name_ok(const char *s)
{
	int letter = 0;

	for (; *s; s++) {
		if (strchr("<>\"`\\{}", *s) != NULL)
			return 0;
		if (*s != ' ' && *s != '.')
			letter = 1;
	}
	return letter;
}

/* person_registered's payload into e->reg (PROTOCOL.md "Newcomers"). */
static int parse_reg(json_t *p, const char *pre, struct hub_event *e, char *err, size_t errlen)
{
	char ppre[80];
	const char *v;
	struct hub_reg *r;
	int k;

	if (p == NULL || !json_is_object(p)) {
		snprintf(err, errlen, "%spayload: person_registered needs {\"id\", \"display_name\", "
		    "\"first_name\", \"lang\", \"consent_version\", \"consent_ms\"}", pre);
		return -1;
	}
	if (e->person_id[0] != '\0') {
		snprintf(err, errlen, "%sperson_id: must be null for person_registered "
		    "(the person is in the payload)", pre);
		return -1;
	}
	r = e->reg = calloc(1, sizeof(*r));
	if (r == NULL) {
		snprintf(err, errlen, "%spayload: out of memory", pre);
		return -1;
	}
	snprintf(ppre, sizeof(ppre), "%spayload.", pre);
	if (hub_jv_str(p, ppre, "id", 1, PR_UUID_STR, &v, err, errlen) != 0)
		return -1;
	if (!uuid_is_valid(v)) {
		snprintf(err, errlen, "%sid: must be a UUID", ppre);
		return -1;
	}
	copy(r->id, sizeof(r->id), v);
	for (char *c = r->id; *c; c++)
		if (*c >= 'A' && *c <= 'F')
			*c = (char)(*c - 'A' + 'a');
	if (hub_jv_str(p, ppre, "display_name", 1, PR_NAME_MAX, &v, err, errlen) != 0)
		return -1;
	if (!name_ok(v)) {
		snprintf(err, errlen, "%sdisplay_name: must be a name (no < > \" ` \\ { })", ppre);
		return -1;
	}
	copy(r->display_name, sizeof(r->display_name), v);
	if (hub_jv_str(p, ppre, "first_name", 1, PR_NAME_MAX, &v, err, errlen) != 0)
		return -1;
	if (!name_ok(v)) {
		snprintf(err, errlen, "%sfirst_name: must be a name (no < > \" ` \\ { })", ppre);
		return -1;
	}
	copy(r->first_name, sizeof(r->first_name), v);
	if (hub_jv_str(p, ppre, "lang", 1, PR_LANG_MAX, &v, err, errlen) != 0)
		return -1;
	for (k = 0; reg_langs[k] && strcmp(reg_langs[k], v) != 0; k++)
		;
	if (reg_langs[k] == NULL) {
		snprintf(err, errlen, "%slang: must be one of nl, en, ar, tr", ppre);
		return -1;
	}
	copy(r->lang, sizeof(r->lang), v);
	if (hub_jv_str(p, ppre, "consent_version", 1, HUB_CONSENT_VERSION_MAX, &v, err, errlen) != 0)
		return -1;
	copy(r->consent_version, sizeof(r->consent_version), v);
	if (hub_jv_int(p, ppre, "consent_ms", 1, HUB_WALL_MS_MAX, &r->consent_ms, err, errlen) != 0)
		return -1;
	if (hub_jv_str(p, ppre, "card_mac", 0, PR_MAC_HEX, &v, err, errlen) != 0)
		return -1;
	if (v != NULL && !is_hex64(v)) {
		snprintf(err, errlen, "%scard_mac: must be 64 lower-case hex digits", ppre);
		return -1;
	}
	copy(r->card_mac, sizeof(r->card_mac), v);
	/* nothing else: an unknown key could carry what the person did not consent to */
	{
		static const char *const known[] = { "id", "display_name", "first_name", "lang",
		    "consent_version", "consent_ms", "card_mac", NULL };
		const char *key;
		json_t *val;

		json_object_foreach(p, key, val) {
			(void)val;
			for (k = 0; known[k] && strcmp(known[k], key) != 0; k++)
				;
			if (known[k] == NULL) {
				snprintf(err, errlen, "%spayload: unknown field for person_registered", pre);
				return -1;
			}
		}
	}
	return 0;
}

static int parse_payload(json_t *o, const char *pre, struct hub_event *e,
    char *err, size_t errlen)
{
	json_t *p = json_object_get(o, "payload");
	char *s;
	const char *v;

	if (p == NULL || json_is_null(p)) {
		copy(e->payload, sizeof(e->payload), "{}");
	} else if (!json_is_object(p)) {
		snprintf(err, errlen, "%spayload: must be an object", pre);
		return -1;
	} else {
		s = json_dumps(p, JSON_COMPACT | JSON_SORT_KEYS);
		if (s == NULL || copy(e->payload, sizeof(e->payload), s) != 0) {
			free(s);
			snprintf(err, errlen, "%spayload: longer than %d bytes", pre, HUB_PAYLOAD_MAX - 1);
			return -1;
		}
		free(s);
	}
	if (strcmp(e->kind, "credential_enrolled") == 0) {
		char ppre[80];

		snprintf(ppre, sizeof(ppre), "%spayload.", pre);
		if (p == NULL || !json_is_object(p) ||
		    hub_jv_str(p, ppre, "kind", 1, sizeof(e->cred_kind), &v, err, errlen) != 0)
			goto missing;
		if (strcmp(v, "card") != 0 && strcmp(v, "pin") != 0) {
			snprintf(err, errlen, "%spayload.kind: must be \"card\" or \"pin\"", pre);
			return -1;
		}
		copy(e->cred_kind, sizeof(e->cred_kind), v);
		if (hub_jv_str(p, ppre, "mac", 1, PR_MAC_HEX, &v, err, errlen) != 0)
			return -1;
		if (!is_hex64(v)) {
			snprintf(err, errlen, "%spayload.mac: must be 64 lower-case hex digits", pre);
			return -1;
		}
		copy(e->cred_mac, sizeof(e->cred_mac), v);
	}
	if (strcmp(e->kind, "person_registered") == 0)
		return parse_reg(p, pre, e, err, errlen);
	if (strcmp(e->kind, "check_out") == 0 && p != NULL && json_is_object(p)) {
		char ppre[80];

		snprintf(ppre, sizeof(ppre), "%spayload.", pre);
		if (hub_jv_str(p, ppre, "check_in_uuid", 0, PR_UUID_STR, &v, err, errlen) != 0)
			return -1;
		if (v != NULL && !uuid_is_valid(v)) {
			snprintf(err, errlen, "%spayload.check_in_uuid: must be a UUID", pre);
			return -1;
		}
		copy(e->check_in_uuid, sizeof(e->check_in_uuid), v);
	}
	return 0;
missing:
	if (p == NULL || !json_is_object(p))
		snprintf(err, errlen, "%spayload: credential_enrolled needs {\"kind\",\"mac\"}", pre);
	return -1;
}

static int parse_event(json_t *o, int i, struct hub_event *e, char *err, size_t errlen)
{
	char pre[32];
	const char *s;
	int k;

	snprintf(pre, sizeof(pre), "events[%d].", i);
	if (!json_is_object(o)) {
		snprintf(err, errlen, "events[%d]: must be an object", i);
		return -1;
	}
	if (hub_jv_str(o, pre, "uuid", 1, PR_UUID_STR, &s, err, errlen) != 0)
		return -1;
	if (!uuid_is_valid(s)) {
		snprintf(err, errlen, "%suuid: must be a UUID", pre);
		return -1;
	}
	copy(e->uuid, sizeof(e->uuid), s);
	/* one spelling per UUID, so replays compare equal */
	for (char *c = e->uuid; *c; c++)
		if (*c >= 'A' && *c <= 'F')
			*c = (char)(*c - 'A' + 'a');
	if (hub_jv_int(o, pre, "seq", 1, INT64_MAX, &e->seq, err, errlen) != 0)
		return -1;
	if (hub_jv_str(o, pre, "kind", 1, HUB_KIND_MAX, &s, err, errlen) != 0)
		return -1;
	for (k = 0; kinds[k] && strcmp(kinds[k], s) != 0; k++)
		;
	if (kinds[k] == NULL) {
		snprintf(err, errlen, "%skind: must be one of check_in, check_out, guest, "
		    "drop_in, credential_enrolled, person_registered", pre);
		return -1;
	}
	copy(e->kind, sizeof(e->kind), s);
	if (hub_jv_str(o, pre, "person_id", 0, PR_ID_MAX, &s, err, errlen) != 0)
		return -1;
	copy(e->person_id, sizeof(e->person_id), s);
	if (hub_jv_str(o, pre, "session_id", 0, PR_ID_MAX, &s, err, errlen) != 0)
		return -1;
	copy(e->session_id, sizeof(e->session_id), s);
	if (hub_jv_str(o, pre, "role", 0, PR_ROLE_MAX, &s, err, errlen) != 0)
		return -1;
	copy(e->role, sizeof(e->role), s);
	if (hub_jv_int(o, pre, "wall_ms", 0, HUB_WALL_MS_MAX, &e->wall_ms, err, errlen) != 0)
		return -1;
	if (hub_jv_str(o, pre, "boot_id", 1, PR_UUID_STR, &s, err, errlen) != 0)
		return -1;
	if (!uuid_is_valid(s)) {
		snprintf(err, errlen, "%sboot_id: must be a UUID", pre);
		return -1;
	}
	copy(e->boot_id, sizeof(e->boot_id), s);
	for (char *c = e->boot_id; *c; c++)
		if (*c >= 'A' && *c <= 'F')
			*c = (char)(*c - 'A' + 'a');
	if (hub_jv_int(o, pre, "boottime_ns", 0, INT64_MAX, &e->boottime_ns, err, errlen) != 0)
		return -1;
	if (hub_jv_bool(o, pre, "clock_synced", &e->clock_synced, err, errlen) != 0)
		return -1;
	if ((strcmp(e->kind, "check_in") == 0 || strcmp(e->kind, "check_out") == 0 ||
	    strcmp(e->kind, "credential_enrolled") == 0) && e->person_id[0] == '\0') {
		snprintf(err, errlen, "%sperson_id: required for %s", pre, e->kind);
		return -1;
	}
	return parse_payload(o, pre, e, err, errlen);
}

struct uref {
	const char *uuid;
	int idx;
};

static int cmp_uuid(const void *a, const void *b)
{
	const struct uref *x = a, *y = b;
	int c = strcmp(x->uuid, y->uuid);

	return c != 0 ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* Among ev[0..n): the smallest index *rep whose uuid an earlier event *orig
 * (the first such) has; -1 if none. Sorted copy: n log n, not n^2 (500 x 500
 * strcmp per batch showed in the profile). Returns 0, or -1 out of memory. */
static int first_repeat(const struct hub_event *ev, int n, int *rep, int *orig)
{
	struct uref *p = calloc((size_t)(n > 0 ? n : 1), sizeof(struct uref));

	*rep = *orig = -1;
	if (p == NULL)
		return -1;
	for (int i = 0; i < n; i++)
		p[i] = (struct uref){ ev[i].uuid, i };
	qsort(p, (size_t)n, sizeof(struct uref), cmp_uuid);
	for (int i = 1; i < n; i++) {
		/* p[i - 1] is the earliest of its run only if the run starts there */
		if (strcmp(p[i - 1].uuid, p[i].uuid) != 0 ||
		    (i >= 2 && strcmp(p[i - 2].uuid, p[i - 1].uuid) == 0))
			continue;
		if (*rep < 0 || p[i].idx < *rep) {
			*rep = p[i].idx;
			*orig = p[i - 1].idx;
		}
	}
	free(p);
	return 0;
}

int hub_batch_parse(const char *body, size_t len, struct hub_batch *b,
    char *err, size_t errlen)
{
	json_t *root = hub_jv_parse(body, len, err, errlen);
	json_t *arr, *from;
	int rc = -1, f, rep = -1, orig = -1;

	memset(b, 0, sizeof(*b));
	if (root == NULL)
		return -1;
	arr = json_object_get(root, "events");
	if (arr == NULL || !json_is_array(arr)) {
		snprintf(err, errlen, "events: must be an array");
		goto out;
	}
	if (json_array_size(arr) > PR_BATCH_EVENTS_MAX) {
		snprintf(err, errlen, "events: more than %d in one batch", PR_BATCH_EVENTS_MAX);
		rc = -2;
		goto out;
	}
	from = json_object_get(root, "device_seq_from");
	if (from != NULL && !json_is_null(from) &&
	    hub_jv_int(root, "", "device_seq_from", 1, INT64_MAX, &b->seq_from, err, errlen) != 0)
		goto out;
	b->n = (int)json_array_size(arr);
	b->ev = calloc(b->n > 0 ? (size_t)b->n : 1, sizeof(*b->ev));
	if (b->ev == NULL) {
		snprintf(err, errlen, "events: out of memory");
		goto out;
	}
	for (f = 0; f < b->n; f++) {
		if (parse_event(json_array_get(arr, (size_t)f), f, &b->ev[f], err, errlen) != 0)
			break;
		if (f > 0 && b->ev[f].seq <= b->ev[f - 1].seq) {
			snprintf(err, errlen, "events[%d].seq: must be greater than events[%d].seq "
			    "(send events in sequence order)", f, f - 1);
			break;
		}
	}
	/* A repeated uuid before the first other error is reported instead, as
	 * if each event were checked against the earlier ones in turn. */
	if (first_repeat(b->ev, f, &rep, &orig) != 0) {
		snprintf(err, errlen, "events: out of memory");
		goto out;
	}
	if (rep >= 0) {
		snprintf(err, errlen, "events[%d].uuid: repeats events[%d].uuid", rep, orig);
		goto out;
	}
	if (f < b->n)
		goto out;
	if (b->seq_from != 0 && b->n > 0 && b->seq_from != b->ev[0].seq) {
		snprintf(err, errlen, "device_seq_from: must equal events[0].seq");
		goto out;
	}
	rc = 0;
out:
	json_decref(root);
	if (rc != 0)
		hub_batch_free(b);
	return rc;
}

void hub_batch_free(struct hub_batch *b)
{
	for (int i = 0; b->ev != NULL && i < b->n; i++)
		free(b->ev[i].reg);
	free(b->ev);
	b->ev = NULL;
	b->n = 0;
}
