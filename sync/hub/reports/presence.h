/* presence.h — one presence per person per session, the one definition
 * every count of the hub uses (export, presentielijst, Today, reach,
 * hours). Several kiosks at one location (two entrances) record taps of
 * the same person; whatever they did while apart, the hub counts one
 * presence per (organisation, person, session): the first tap in (check_in,
 * guest or drop_in) and the last check_out of any device. A tap without a
 * session is a presence with its linked check-out (svc/presencekey.h). The
 * raw events stay in `events`; `taps` says how many stand behind a
 * presence. An erased person's events keep their presence
 * through events.anon_key (svc/presencekey.h); guests are one presence each.
 *
 * Forgotten check-outs: a volunteer (a presence with a role) whose session
 * ended without a check-out is "not checked out"; the organisation's
 * checkout_rule says what their hours are: until the session's end
 * ("session_end", the default), or none ("no_hours"). It is always flagged,
 * never silent.
 *
 * Marked by hand (dash/dash_manual.c): a coordinator's check-in or
 * check-out is an event like a kiosk's (events.manual HUB_MANUAL_IN or
 * HUB_MANUAL_OUT), so it follows this one rule; the presence's `manual`
 * column (a HUB_MANUAL_* bit set) lets every page and export flag it.
 * Must not: count raw events anywhere a person reads a number. */
#ifndef PRESENTIE_HUB_PRESENCE_H
#define PRESENTIE_HUB_PRESENCE_H

#include <stdint.h>

#include "hub/svc/presencekey.h"

#define HUB_PRESENCE_OPEN_MS  (16LL * 3600 * 1000) /* a session-less presence
                                                      closes this long after its
                                                      first tap (RULES_OPEN_MAX_S) */

/* The presence rows of the events that match WHERE (a condition on `e`,
 * which must bound org_id and the time). Columns: org_id, pid (person, or
 * "anon:<key>"), skey (session, or "ev:<uuid of the tap in>"), session_id
 * (NULL: none), location_id, kind (of the first tap in), t_in, t_out (NULL:
 * no check-out), first_ev (15 digits of time then the uuid of the first tap
 * in: join `events f ON f.uuid = HUB_PRESENCE_FIRST_UUID(x)`), role ('' none),
 * taps, anon, manual (HUB_MANUAL_IN | HUB_MANUAL_OUT bits: which of its
 * events a coordinator entered by hand; 0 none). (No count of distinct devices: per group it costs SQLite an
 * index of its own, a third of a 1 M row export.) Use as "FROM (" HUB_PRESENCE_SELECT("...") ") x". */
#define HUB_PRESENCE_SELECT(WHERE) \
	"SELECT e.org_id AS org_id, " HUB_PRESENCE_PKEY("e") " AS pid, " HUB_PRESENCE_SKEY("e") " AS skey," \
	" MAX(e.session_id) AS session_id, MIN(e.location_id) AS location_id," \
	" MIN(CASE WHEN e.kind <> 'check_out' THEN e.kind END) AS kind," \
	" MIN(CASE WHEN e.kind <> 'check_out' THEN e.t_ms END) AS t_in," \
	" MAX(CASE WHEN e.kind = 'check_out' THEN e.t_ms END) AS t_out," \
	" MIN(CASE WHEN e.kind <> 'check_out' THEN CAST(e.t_ms + 100000000000000 AS TEXT) || e.uuid END)" \
	"   AS first_ev," \
	" MAX(COALESCE(e.role, '')) AS role, COUNT(*) AS taps," \
	" MAX(e.anonymised) AS anon, " HUB_PRESENCE_MANUAL("e") " AS manual" \
	" FROM events e WHERE e.kind IN ('check_in', 'check_out', 'guest', 'drop_in') AND (" WHERE ")" \
	" GROUP BY e.org_id, " HUB_PRESENCE_PKEY("e") ", " HUB_PRESENCE_SKEY("e") \
	" HAVING MIN(CASE WHEN e.kind <> 'check_out' THEN e.t_ms END) IS NOT NULL"

/* events.manual: a kiosk's tap (0), a check-in or a check-out entered by
 * hand on the dashboard. */
#define HUB_MANUAL_IN  1
#define HUB_MANUAL_OUT 2
/* The HUB_MANUAL_* bits of the events E of one presence (an aggregate). */
#define HUB_PRESENCE_MANUAL(E) \
	"(MAX(CASE WHEN " E ".manual = 1 THEN 1 ELSE 0 END) + MAX(CASE WHEN " E ".manual = 2 THEN 2 ELSE 0 END))"

/* The uuid of a presence's first tap in, from its first_ev column. */
#define HUB_PRESENCE_FIRST_UUID(X) "SUBSTR(" X ".first_ev, 16)"

/* What the hours rule does with a volunteer who did not check out. */
enum hub_checkout_rule {
	HUB_CHECKOUT_SESSION_END = 0,  /* "session_end": hours until the session's end */
	HUB_CHECKOUT_NO_HOURS          /* "no_hours": no hours until a coordinator fixes it */
};

/* Where a presence stands with its check-out. */
enum hub_checkout_state {
	HUB_OUT_NOT_EXPECTED = 0,  /* a participant who did not check out (optional) */
	HUB_OUT_DONE,              /* checked out: hours from first in to last out */
	HUB_OUT_OPEN,              /* still checked in (the session has not ended) */
	HUB_OUT_FORGOTTEN          /* the session ended without a check-out: flagged */
};

struct hub_presence_t {
	int64_t t_in;      /* first tap in, UTC ms */
	int64_t t_out;     /* last check-out, or -1 */
	int64_t s_end;     /* the session's end, or -1 (drop-in, no session) */
	int volunteer;     /* a check-out is expected (a role) */
	enum hub_checkout_rule rule;
	int64_t now;
};

/* The rule's name ("session_end", "no_hours") to *rule: 0, or -1 unknown. */
int hub_checkout_rule_parse(const char *name, enum hub_checkout_rule *rule);
const char *hub_checkout_rule_name(enum hub_checkout_rule rule);

/* The check-out state of a presence and the milliseconds it counts as
 * worked (-1: no hours to show: a participant without a check-out, or a
 * volunteer still here). A check-out before the check-in (a clock gone
 * wrong) counts as none. */
enum hub_checkout_state hub_presence_worked(const struct hub_presence_t *p, int64_t *ms);

/* The hours of a presence as every page, report and export shows them
 * (docs/DASHBOARD.md "Hours"): hub_presence_worked's milliseconds rounded
 * half up to hundredths of an hour, into *centi (-1: no figure yet or
 * none: a volunteer still in a running session, a participant without a
 * check-out). A monthly total is the sum of its presences' centi, so it is
 * the sum of the export's rows. Returns the presence's state. */
#define HUB_CENTIHOUR_MS 36000LL
enum hub_checkout_state hub_presence_centi(const struct hub_presence_t *p, int64_t *centi);

/* The word for a presence's manual bits in exports and on pages: "" (none),
 * "check_in", "check_out", "check_in+check_out". */
const char *hub_manual_word(int64_t bits);

/* The word for a state in exports ("yes", "open", "no", ""). */
const char *hub_checkout_state_word(enum hub_checkout_state s);

#endif
