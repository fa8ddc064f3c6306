/* demo_people.c — the demo's people and their credentials, from people.csv,
 * cards.csv and pins.csv (demo_int.h). Card UIDs and PINs become MACs under
 * the demo key as each row is read; the raw value is wiped at once.
 * Must not: keep or repeat a raw UID or PIN, in memory or in an error. */
#include "demo_int.h"

#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "cred.h"

/* 1 if the comma-separated list contains word (spaces around items ignored). */
static int has_word(const char *list, const char *word)
{
	size_t wl = strlen(word);

	while (*list) {
		const char *end = strchr(list, ',');
		size_t len = end ? (size_t)(end - list) : strlen(list);

		while (len > 0 && *list == ' ') {
			list++;
			len--;
		}
		while (len > 0 && list[len - 1] == ' ')
			len--;
		if (len == wl && memcmp(list, word, wl) == 0)
			return 1;
		if (end == NULL)
			break;
		list = end + 1;
	}
	return 0;
}

static int person_row(struct demo_org *o, struct demo_rd *r, void *row,
    const void *ctx)
{
	static const char *const langs[] = { "nl", "en", "ar", "tr" };
	struct demo_person *x = row;
	int lang_ok = 0, y, m, d;

	(void)ctx;
	if (demo_rd_id(r, "person_id", x->id, sizeof x->id) ||
	    demo_rd_text(r, "display_name", x->display_name, sizeof x->display_name, 1) ||
	    demo_rd_text(r, "first_name", x->first_name, sizeof x->first_name, 1) ||
	    demo_rd_text(r, "language", x->lang, sizeof x->lang, 1) ||
	    demo_rd_text(r, "consent_date", x->consent_date, sizeof x->consent_date, 1) ||
	    demo_rd_text(r, "consent_version", x->consent_version,
		sizeof x->consent_version, 1) ||
	    demo_rd_text(r, "roles", x->roles, sizeof x->roles, 0))
		return -1;
	if (DEMO_FIND(o->people, o->n_people - 1, x->id) >= 0)
		return demo_rd_fail(r, "person '%s' appears twice", x->id);
	for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++)
		lang_ok |= strcmp(x->lang, langs[i]) == 0;
	if (!lang_ok)
		return demo_rd_fail(r, "field 'language' must be nl, en, ar or tr");
	if (demo_parse_date(x->consent_date, &y, &m, &d) != 0)
		return demo_rd_fail(r, "field 'consent_date' must be a date like 2025-08-21");
	x->is_coordinator = has_word(x->roles, "coordinator");
	return 0;
}

int demo_load_people(struct demo_org *o, const char *dir, char *err, size_t el)
{
	static const char *const cols[] = { "person_id", "display_name", "first_name",
		"language", "consent_date", "consent_version", "roles", NULL };

	return demo_load_rows(o, dir, "people.csv", cols, &o->people, &o->n_people,
	    sizeof *o->people, person_row, NULL, err, el);
}

/* The MAC of this row's raw credential into x->mac; error messages never
 * repeat the raw value. Returns 0 or -1 (err set). */
static int cred_mac(struct demo_org *o, struct demo_rd *r, struct demo_credential *x,
    const char *raw)
{
	uint8_t uid[PR_UID_MAX_BYTES];
	size_t uid_len = 0;
	int rc = -1;

	if (x->kind != DEMO_CRED_CARD) {
		if (cred_mac_pin(o->key, raw, x->mac) != 0)
			return demo_rd_fail(r, "field 'pin' must be %d to %d digits",
			    PR_PIN_MIN_DIGITS, PR_PIN_MAX_DIGITS);
		return 0;
	}
	if (cred_uid_parse(raw, uid, sizeof uid, &uid_len) != 0)
		demo_rd_fail(r, "field 'card_uid' must be 4, 7 or 10 bytes of hex");
	else if (cred_uid_is_random(uid, uid_len))
		demo_rd_fail(r, "field 'card_uid' is a random UID (phone): unusable");
	else if (cred_mac_card(o->key, uid, uid_len, x->mac) != 0)
		demo_rd_fail(r, "cannot compute the card MAC");
	else
		rc = 0;
	sodium_memzero(uid, sizeof uid);
	return rc;
}

/* ctx: the enum demo_cred_kind of the file. */
static int cred_row(struct demo_org *o, struct demo_rd *r, void *row, const void *ctx)
{
	struct demo_credential *x = row;
	char raw[64];
	int rc = -1;

	x->kind = *(const enum demo_cred_kind *)ctx;
	if (demo_rd_id(r, "person_id", x->person_id, sizeof x->person_id) ||
	    demo_rd_text(r, x->kind == DEMO_CRED_CARD ? "card_uid" : "pin", raw,
		sizeof raw, 1))
		goto out;
	if (DEMO_FIND(o->people, o->n_people, x->person_id) < 0) {
		demo_rd_fail(r, "person '%s' is not in people.csv", x->person_id);
		goto out;
	}
	if (cred_mac(o, r, x, raw) != 0)
		goto out;
	sodium_memzero(raw, sizeof raw);
	for (size_t i = 0; i + 1 < o->n_credentials; i++) {
		if (o->credentials[i].kind == x->kind &&
		    sodium_memcmp(o->credentials[i].mac, x->mac, PR_MAC_BYTES) == 0) {
			demo_rd_fail(r, "this %s is already given to %s",
			    x->kind == DEMO_CRED_CARD ? "card" : "PIN",
			    o->credentials[i].person_id);
			goto out;
		}
	}
	rc = 0;
out:
	sodium_memzero(raw, sizeof raw);
	return rc;
}

int demo_load_creds(struct demo_org *o, const char *dir, enum demo_cred_kind kind,
    char *err, size_t el)
{
	static const char *const card_cols[] = { "person_id", "card_uid", NULL };
	static const char *const pin_cols[] = { "person_id", "pin", NULL };

	return demo_load_rows(o, dir, kind == DEMO_CRED_CARD ? "cards.csv" : "pins.csv",
	    kind == DEMO_CRED_CARD ? card_cols : pin_cols, &o->credentials,
	    &o->n_credentials, sizeof *o->credentials, cred_row, &kind, err, el);
}
