/* admin.h — the one-shot operator commands behind `presentie-hub org|
 * location|device|coordinator|erase ...`: each runs in one transaction and
 * reports what it made on out, or why not in err.
 * Must not: print secrets except the one-time enrolment code it creates. */
#ifndef PRESENTIE_HUB_ADMIN_H
#define PRESENTIE_HUB_ADMIN_H

#include <stdint.h>
#include <stdio.h>

#include "limits.h"

#define HUB_CODE_TTL_MS      (24LL * 3600 * 1000)  /* enrolment codes expire after 24 h */
#define HUB_TZ_DEFAULT       "Europe/Amsterdam"

struct hub_db;

/* Create an organisation; id NULL = generated, key_hex NULL = random key.
 * Writes the id into id_out. Returns 0, or -1 with err. */
int hub_admin_org_create(struct hub_db *db, const char *id, const char *name,
    const char *key_hex, char id_out[PR_ID_MAX], char *err, size_t errlen);
int hub_admin_location_create(struct hub_db *db, const char *org, const char *id,
    const char *name, const char *tz, char id_out[PR_ID_MAX], char *err, size_t errlen);
/* A pending device at location plus an enrolment code valid for ttl_ms. */
int hub_admin_device_create(struct hub_db *db, const char *location, const char *name,
    int64_t ttl_ms, char id_out[PR_ID_MAX], char code_out[16], char *err, size_t errlen);
int hub_admin_device_revoke(struct hub_db *db, const char *device, char *err, size_t errlen);
/* password: argon2id-hashed here; the caller wipes its copy. */
int hub_admin_coordinator_create(struct hub_db *db, const char *org, const char *email,
    const char *password, char id_out[PR_ID_MAX], char *err, size_t errlen);
/* Erase a person: tombstone for kiosks, credentials/enrolments/assignments
 * and the person row deleted, their events kept but anonymised. */
int hub_admin_erase_person(struct hub_db *db, const char *org, const char *person,
    int64_t *events_anonymised, char *err, size_t errlen);
/* Decode the organisation key (64 hex digits) of org. Returns 0 or -1. */
/* Set the organisation's rule for forgotten check-outs (reports/presence.h;
 * rule: a name the caller validated with hub_checkout_rule_parse). Returns
 * 0, or -1 with a sentence in err (unknown organisation, db error). */
int hub_admin_org_checkout_rule(struct hub_db *db, const char *org, const char *rule,
    char *err, size_t errlen);
int hub_admin_org_key(struct hub_db *db, const char *org, uint8_t key[PR_ORG_KEY_BYTES],
    char *err, size_t errlen);

#endif
