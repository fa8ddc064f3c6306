/* events_parse.h — the body of POST /v1/events turned into a validated
 * batch (every field checked as PROTOCOL.md says), independent of the db
 * so it can be unit-tested and fuzzed on its own.
 * Must not: trust anything in the body about the device (that is the token's). */
#ifndef PRESENTIE_HUB_EVENTS_PARSE_H
#define PRESENTIE_HUB_EVENTS_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "limits.h"

#define HUB_PAYLOAD_MAX   1024          /* canonical JSON of one event's payload */
#define HUB_KIND_MAX      24
#define HUB_WALL_MS_MAX   253402300799999LL  /* 9999-12-31T23:59:59.999Z */

struct hub_reg;

struct hub_event {
	char uuid[PR_UUID_STR];
	int64_t seq;
	char kind[HUB_KIND_MAX];
	char person_id[PR_ID_MAX];      /* "" = null */
	char session_id[PR_ID_MAX];     /* "" = null */
	char role[PR_ROLE_MAX];         /* "" = null */
	int64_t wall_ms;
	char boot_id[PR_UUID_STR];
	int64_t boottime_ns;
	int clock_synced;
	char payload[HUB_PAYLOAD_MAX];  /* canonical: compact, keys sorted */
	/* derived from payload */
	char cred_kind[8];              /* credential_enrolled: "card" | "pin" */
	char cred_mac[PR_MAC_HEX];
	char check_in_uuid[PR_UUID_STR];/* check_out: "" if unknown */
	struct hub_reg *reg;            /* person_registered: owned (hub_batch_free), else NULL */
};

#define HUB_CONSENT_VERSION_MAX 32      /* "kiosk-2026-12", incl. NUL */

/* person_registered (PROTOCOL.md "Newcomers"): who asked to be registered
 * at a kiosk, with consent. The card's MAC only, never its UID. */
struct hub_reg {
	char id[PR_UUID_STR];           /* the new person's id (a UUID the kiosk drew) */
	char display_name[PR_NAME_MAX]; /* "Amina B." */
	char first_name[PR_NAME_MAX];
	char lang[PR_LANG_MAX];         /* nl | en | ar | tr */
	char consent_version[HUB_CONSENT_VERSION_MAX];
	int64_t consent_ms;
	char card_mac[PR_MAC_HEX];      /* "" none */
};

struct hub_batch {
	int64_t seq_from;               /* 0 if absent */
	int n;
	struct hub_event *ev;           /* n events, owned */
};

/* Parse and validate. Returns 0 and fills b (free with hub_batch_free);
 * -1 with err (400: bad request) or -2 with err (413: too many events). */
int hub_batch_parse(const char *body, size_t len, struct hub_batch *b,
    char *err, size_t errlen);
void hub_batch_free(struct hub_batch *b);

#endif
