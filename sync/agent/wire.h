/* wire.h — the hub's answers, parsed with jansson and checked field by field.
 * Owns: turning a response body (enrol, events ack, changes page, error)
 * into C structs with every string bounded and every type, range and format
 * checked, per sync/PROTOCOL.md v1. Must not: touch the store or the network;
 * a malformed answer is an error with a sentence naming the field, never a
 * crash and never a half-filled result the caller might use. */
#ifndef PRESENTIE_AGENT_WIRE_H
#define PRESENTIE_AGENT_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "http.h"
#include "limits.h"
#include "store_apply.h"   /* struct store_page: what a changes page becomes */

#define AGENT_WIRE_ERR_MAX 256

struct agent_enrol_answer {
	char device_id[PR_ID_MAX];
	char token[AGENT_TOKEN_MAX];
	char org_id[PR_ID_MAX];
	char org_name[PR_NAME_MAX];
	char location_id[PR_ID_MAX];
	char location_name[PR_NAME_MAX];
	char location_tz[PR_TZ_MAX];
	char org_key[PR_MAC_HEX];        /* 64 lower-case hex digits */
};

struct agent_ack {
	int64_t acked_seq;               /* >= 0 */
	int64_t stored, duplicates;      /* >= 0; 0 if absent */
};

/* Session kinds on the wire, in the order of enum rules_session_kind. */
#define AGENT_SESSION_KINDS { "group", "coaching", "open", "intake" }

/* Each parser reads body[0..len) (need not be NUL-terminated). Returns 0
 * with *out filled, or -1 with err naming the first bad field and *out
 * zeroed (for the page: nothing allocated). */
int agent_wire_enrol(const char *body, size_t len, struct agent_enrol_answer *out,
    char *err, size_t errlen);
int agent_wire_ack(const char *body, size_t len, struct agent_ack *out,
    char *err, size_t errlen);
int agent_wire_page(const char *body, size_t len, struct store_page *out,
    char *err, size_t errlen);
void agent_page_free(struct store_page *p);

/* The sentence of an error body {"error": "...", "message": "..."}: writes
 * "error: message" (or a generic text for a body that is not such an object)
 * into out. Never fails. */
void agent_wire_error_text(long status, const char *body, size_t len, char *out,
    size_t outlen);

/* Parse an RFC 3339 UTC timestamp "YYYY-MM-DDTHH:MM:SS[.fff...](Z|+HH:MM|-HH:MM)"
 * into Unix seconds (fraction dropped). Returns 0 or -1. */
int agent_wire_time(const char *s, int64_t *unix_s);

/* 1 if s is an acceptable id: 1..PR_ID_MAX-1 bytes of printable ASCII
 * without spaces; else 0. */
int agent_wire_id_ok(const char *s);

#endif
