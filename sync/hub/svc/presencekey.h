/* presencekey.h — which presence a tap belongs to, in SQL: the key both
 * the reports (reports/presence.h: one presence per person per session)
 * and the anonymisation (svc/admin.c's erasure, svc/retention.c's purge)
 * use, so that an erased person's taps stay one presence.
 *
 * A tap with a session belongs to (person, session). A tap without one (a
 * drop-in, a volunteer's shift outside the schedule) is a presence of its
 * own, together with the check-out linked to it (events.out_uuid, set by
 * the ingest): two separate shifts on one day stay two.
 *
 * Anonymisation drops person_id; before it goes, each tap gets anon_key:
 * for a tap with a session the smallest uuid of that person's taps in the
 * session, else its presence key. It names one tap of that presence and
 * nothing else: two presences of one erased person have different keys,
 * so nothing links them together.
 * Must not: hold anything derived from the person. */
#ifndef PRESENTIE_HUB_PRESENCEKEY_H
#define PRESENTIE_HUB_PRESENCEKEY_H

/* The session part of the presence key of events row E (an alias). */
#define HUB_PRESENCE_SKEY(E) \
	"(CASE WHEN " E ".session_id IS NOT NULL THEN " E ".session_id" \
	" WHEN " E ".kind <> 'check_out' THEN 'ev:' || " E ".uuid" \
	" ELSE 'ev:' || COALESCE((SELECT MIN(i.uuid) FROM events i WHERE i.out_uuid = " E ".uuid)," \
	"   " E ".uuid) END)"

/* The person part of the presence key of events row E. */
#define HUB_PRESENCE_PKEY(E) \
	"COALESCE(" E ".person_id, 'anon:' || COALESCE(" E ".anon_key, " E ".uuid))"

/* The anon_key of the `events` row being updated (UPDATE events SET
 * anon_key = HUB_ANON_KEY_SQL, while person_id is still there). */
#define HUB_ANON_KEY_SQL \
	"(CASE WHEN events.session_id IS NOT NULL THEN (SELECT MIN(f.uuid) FROM events f" \
	" WHERE f.org_id = events.org_id AND f.person_id = events.person_id" \
	" AND f.session_id = events.session_id) ELSE " HUB_PRESENCE_SKEY("events") " END)"

#endif
