/* slots.h — the export budget of one hub process: at most
 * HUB_EXPORT_SLOTS_MAX export streams at once, at most
 * HUB_EXPORT_SLOTS_PER_ORG of them for one organisation, each on a db
 * connection of its own (never one of the shared request pool), so a slow
 * export reader can hold only its own organisation's slot.
 * Must not: wait for a slot (the caller answers 429/503 with Retry-After). */
#ifndef PRESENTIE_HUB_SLOTS_H
#define PRESENTIE_HUB_SLOTS_H

#include <stddef.h>

#define HUB_EXPORT_SLOTS_PER_ORG 2    /* export streams of one organisation at once */
#define HUB_EXPORT_SLOTS_MAX     8    /* export streams of one hub process at once */
#define HUB_EXPORT_STALL_S       10   /* an export connection without progress closes */
#define HUB_EXPORT_MAX_S         900  /* an export stream ends (cut short) after this */
#define HUB_EXPORT_RETRY_S       10   /* Retry-After of a refused export */

enum hub_slot_rc {
	HUB_SLOT_OK = 0,
	HUB_SLOT_ORG_BUSY = 1,   /* the organisation's slots are taken: 429 */
	HUB_SLOT_ALL_BUSY = 2,   /* every slot of the process is taken: 503 */
	HUB_SLOT_NO_DB = 3,      /* no db connection could be opened: 503 */
};

struct hub_slots;
struct hub_db;

/* One taken slot. */
struct hub_slot {
	struct hub_slots *owner;
	int i;
	struct hub_db *db;       /* the slot's own connection, until hub_slot_give */
};

/* A budget of max slots, per_org per organisation, connecting to url (one
 * connection is opened now so a wrong URL fails at start). Returns NULL
 * with err filled. */
struct hub_slots *hub_slots_new(const char *url, int max, int per_org, char *err, size_t errlen);
void hub_slots_free(struct hub_slots *s);
/* Take a slot for org without waiting. Returns HUB_SLOT_OK with out
 * filled, or another hub_slot_rc (nothing held). */
int hub_slot_take(struct hub_slots *s, const char *org, struct hub_slot *out);
/* Give the slot back (its connection rolled back; broken=1 closes it). */
void hub_slot_give(struct hub_slot *sl, int broken);
/* Slots in use (all organisations), for tests and the log. */
int hub_slots_used(struct hub_slots *s);

#endif
