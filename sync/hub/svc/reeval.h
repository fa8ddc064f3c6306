/* reeval.h — what a tap meant, decided again once the hub corrected its time
 * (issue 11; PROTOCOL.md "Clock correction", docs/RULES.md "At the hub").
 * Owns: turning the hub's rows (sessions at the location that day, the
 * person's enrolments and role assignments) into struct rules_input and the
 * kiosk's decision into events.kind/session_id/role; the pass over the rows
 * the clock correction of a batch marked (events.clock_due, svc/clockfix.c)
 * that redoes their local_day and meaning and clears the mark.
 * Must not: decide with anything but rules_decide (kiosk/rules.c, linked,
 * not copied); touch rows the correction did not mark; change guests,
 * credential events or anything the device said (orig_* keep it). */
#ifndef PRESENTIE_HUB_REEVAL_H
#define PRESENTIE_HUB_REEVAL_H

#include <stddef.h>
#include <stdint.h>

#include "rules.h"

#define HUB_REEVAL_CHUNK    256                  /* marked rows per round (3-5 statements) */
#define HUB_REEVAL_SPAN_MS  (24LL * 3600 * 1000) /* sessions that started this long before
                                                    the local day are not looked at */

struct hub_db;
struct hub_tz;

/* One session at the event's location that day, from the tapping person's
 * side, as the hub's tables hold it (strings borrowed from the caller). */
struct hub_reeval_session {
	const char *id;
	int64_t start_ms, end_ms;
	const char *kind;     /* sessions.kind: "group", "coaching", "open", "intake" */
	int enrolled;         /* an active enrolment of the person in its programme */
	const char *role;     /* the person's active role there (the smallest), or NULL */
};

/* The meaning of a presence tap (check_in or drop_in) at the hub. */
struct hub_reeval_meaning {
	const char *kind;       /* "check_in" or "drop_in"; NULL: keep the device's */
	const char *session_id; /* borrowed from the sessions given, or NULL */
	const char *role;       /* borrowed from the sessions given, or NULL */
	const char *reeval;     /* events.reeval: "check_in", "drop_in", "choose" or "kept" */
};

/* Decide a person's tap at t_ms among the sessions s[0..n) (those of the
 * local day at the location, not cancelled, in any order) with cfg (NULL:
 * rules_config_default) as a fresh tap (no last event, see RULES.md "At
 * the hub"): CHECK_IN -> check_in to that session with the role; DROP_IN
 * -> drop_in, no session; CHOOSE -> drop_in, no session, reeval "choose".
 * Returns 0 with *out filled; -1 if the rules refuse the input (more than
 * RULES_MAX_CHOICES sessions, a session with end <= start, a time outside
 * 1970..9999): then out->kind is NULL and out->reeval "kept". */
int hub_reeval_decide(const struct rules_config *cfg, int64_t t_ms,
    const struct hub_reeval_session *s, size_t n, struct hub_reeval_meaning *out);

/* The pass after a batch's clock correction, inside the ingest transaction:
 * every event of device_id marked clock_due gets local_day (of its t_ms in
 * zone) and the mark cleared; check_in/drop_in taps of a person are
 * re-decided (hub_reeval_decide with the sessions at location_id of that
 * local day); check_outs of a person take the session and role of the
 * person's latest check-in or drop-in at the location at most
 * RULES_OPEN_MAX_S before them, which they then close (out_uuid). A
 * re-decided row keeps the device's words in orig_kind/orig_session_id/
 * orig_role (first re-decision only). Work: HUB_REEVAL_CHUNK rows per round,
 * each round a fixed number of indexed statements; nothing when no row is
 * marked. *rows (may be NULL) gets the rows visited. Returns HUB_DB_OK or a
 * db error code (the caller rolls back). */
int hub_reeval_due(struct hub_db *db, const char *device_id, const char *org_id,
    const char *location_id, const struct hub_tz *zone, int64_t *rows);

#endif
