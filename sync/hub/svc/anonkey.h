/* anonkey.h — the key that keeps an erased person's presences whole.
 * Anonymisation (an erasure, svc/admin.c; the retention purge,
 * svc/retention.c) drops events.person_id; the reports count one presence
 * per person per session (reports/presence.h), so before the person goes,
 * each event gets anon_key: the smallest event uuid of its presence (same
 * person and session; for a drop-in, same location and local day). It
 * names one event of that presence and nothing else: two presences of one
 * erased person have different keys, so nothing links them together.
 * Must not: hold anything derived from the person. */
#ifndef PRESENTIE_HUB_ANONKEY_H
#define PRESENTIE_HUB_ANONKEY_H

/* The anon_key of the `events` row being updated (an UPDATE ... SET
 * anon_key = HUB_ANON_KEY_SQL, while person_id is still there). */
#define HUB_ANON_KEY_SQL \
	"(SELECT MIN(f.uuid) FROM events f WHERE f.org_id = events.org_id" \
	" AND f.person_id = events.person_id" \
	" AND COALESCE(f.session_id, '') = COALESCE(events.session_id, '')" \
	" AND (events.session_id IS NOT NULL OR (f.location_id = events.location_id" \
	"  AND COALESCE(f.local_day, f.t_ms / 86400000) = COALESCE(events.local_day, events.t_ms / 86400000))))"

#endif
