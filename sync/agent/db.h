/* db.h — the agent's own connection to the kiosk's store (same SQLite file,
 * WAL mode, opened next to the running kiosk).
 * Owns: every SQL statement the agent runs (prepared once): reading event
 * batches, marking them delivered, applying a changes page, the agent's meta
 * keys. Each write is one short IMMEDIATE transaction so the kiosk never
 * waits longer than that. Must not: create or migrate the schema (that is
 * kiosk/store.c's), hold a transaction across a network call, or log secrets. */
#ifndef PRESENTIE_AGENT_DB_H
#define PRESENTIE_AGENT_DB_H

#include <stddef.h>
#include <stdint.h>

#include "limits.h"
#include "wire.h"

#define AGENT_DB_BUSY_MS    5000   /* wait this long for the kiosk's write lock */
#define AGENT_META_MAX      1024   /* longest meta value the agent reads */
#define AGENT_KIND_MAX      32     /* event kind string, incl. NUL */

/* Meta keys the agent writes (and the kiosk may read). */
#define AGENT_META_HUB_URL    "hub_url"
#define AGENT_META_TOKEN      "hub_token"          /* never printed */
#define AGENT_META_PIN        "hub_pinned_pubkey"  /* optional CURLOPT_PINNEDPUBLICKEY */
#define AGENT_META_CA         "hub_ca_file"        /* optional CA bundle path */
#define AGENT_META_DEVICE_ID  "device_id"
#define AGENT_META_ORG_ID     "org_id"
#define AGENT_META_ORG_NAME   "org_name"
#define AGENT_META_ORG_KEY    "org_key"            /* hex; never printed */
#define AGENT_META_LOC_ID     "location_id"
#define AGENT_META_LOC_NAME   "location_name"
#define AGENT_META_LOC_TZ     "location_tz"
#define AGENT_META_CURSOR     "sync_cursor"        /* last applied changes cursor */
#define AGENT_META_LAST_OK    "sync_last_ok"       /* Unix s of the last full success */
#define AGENT_META_LAST_TRY   "sync_last_try"      /* Unix s of the last attempt */
#define AGENT_META_LAST_ERROR "sync_last_error"    /* "" after a success */
#define AGENT_META_WAITING    "sync_waiting"       /* events not yet delivered */
#define AGENT_META_FAILURES   "sync_failures"      /* consecutive failed cycles */
#define AGENT_META_CARD_LINK  "card_link"          /* "EXPIRES_S PERSON_ID", absent: none */

struct agent_db;

/* One event as stored, ready to be sent. Empty strings stand for null. */
struct agent_event {
	int64_t seq;
	char uuid[PR_UUID_STR];
	char kind[AGENT_KIND_MAX];
	char person_id[PR_ID_MAX];
	char session_id[PR_ID_MAX];
	char role[PR_ROLE_MAX];
	char *payload;                   /* JSON object text, malloc'd, or NULL */
	int64_t wall_ms;
	char boot_id[PR_UUID_STR];
	int64_t boottime_ns;
	int clock_synced;
};

/* Open the existing store at path (it must exist and be in WAL mode with
 * the schema version this agent knows). Returns 0, or -1 with err set for a
 * person ("the store ... does not exist; start the kiosk once first"). */
int agent_db_open(const char *path, struct agent_db **out, char *err, size_t errlen);
void agent_db_close(struct agent_db *db);

/* The last SQLite error in words (static per handle until the next call). */
const char *agent_db_errmsg(struct agent_db *db);

/* Meta: returns 0 found, 1 absent (buf = ""), -1 error or value too long. */
int agent_db_meta_get(struct agent_db *db, const char *key, char *buf, size_t len);
/* Set n key/value pairs (kv[2i], kv[2i+1]; a NULL value deletes the key) in
 * one transaction. Returns 0 or -1 (nothing changed). */
int agent_db_meta_set(struct agent_db *db, const char *const *kv, size_t n);

/* Up to max undelivered events after seq `after`, in sequence order, read
 * in one read transaction. evs has room for max; *n gets the count. Free
 * the payloads with agent_events_clear. Returns 0 or -1 (*n = 0). */
int agent_db_read_batch(struct agent_db *db, int64_t after, size_t max,
    struct agent_event *evs, size_t *n);
void agent_events_clear(struct agent_event *evs, size_t n);

/* Mark every event with seq <= acked_seq delivered, in one short write
 * transaction. Returns 0 or -1 (nothing changed). */
int agent_db_mark_delivered(struct agent_db *db, int64_t acked_seq);
/* The hub holds less than we thought (restored from a backup): mark every
 * event with seq > acked_seq undelivered again. Returns 0 or -1. */
int agent_db_unmark_after(struct agent_db *db, int64_t acked_seq);

/* Number of undelivered events, and the lowest undelivered seq (0 if none). */
int agent_db_pending(struct agent_db *db, int64_t *count, int64_t *first_seq);

/* Apply one validated changes page and store its cursor (and location) in
 * one transaction: upserts, deletes for inactive/cancelled rows, tombstones.
 * Returns 0 or -1 (nothing changed, err set). */
int agent_db_apply_page(struct agent_db *db, const struct agent_page *p,
    char *err, size_t errlen);

#endif
