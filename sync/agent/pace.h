/* pace.h — how soon the agent pulls again: every few seconds while a
 * session at this location is open or about to open (so the other kiosks'
 * taps arrive within seconds, sync/PROTOCOL.md "Taps of the other kiosks"),
 * at the normal interval otherwise. Must not: write the store or sleep. */
#ifndef PRESENTIE_AGENT_PACE_H
#define PRESENTIE_AGENT_PACE_H

#include <stdint.h>

struct store;

#define AGENT_PULL_FAST_MS  3000          /* pull this often while a session is open */
#define AGENT_FAST_EARLY_S  (30 * 60)     /* ... from this long before its start (rules' early_s) */

/* The wait until the next pull: fast_ms when a session of the store's
 * location is open at now_s (start - AGENT_FAST_EARLY_S <= now_s <= end) and
 * fast_ms is below normal_ms, else normal_ms. fast_ms <= 0 turns the fast
 * pace off. A store that cannot answer gives normal_ms. */
int64_t agent_pace_pull_ms(struct store *db, int64_t now_s, int64_t normal_ms, int64_t fast_ms);

#endif
