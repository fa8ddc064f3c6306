/* store_meta.h — the store's small key/value state (table meta) and the key
 * names both programs use: the sync agent writes most of them (hub address,
 * token, org key, location, sync status), the kiosk reads them for its
 * screens and writes a few of its own (card_link_used).
 * The changes cursor is kept in the sync_state row, and the sync status keys
 * are mirrored there too; these functions hide that.
 * Must not: print or log values (the token and the org key are secrets). */
#ifndef PRESENTIE_STORE_META_H
#define PRESENTIE_STORE_META_H

#include <stddef.h>

struct store;

#define AGENT_META_MAX      1024   /* longest meta value the agent reads, incl. NUL */

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
#define AGENT_META_CURSOR     "sync_cursor"        /* last applied changes cursor (sync_state) */
#define AGENT_META_LAST_OK    "sync_last_ok"       /* Unix s of the last full success */
#define AGENT_META_LAST_TRY   "sync_last_try"      /* Unix s of the last attempt */
#define AGENT_META_LAST_ERROR "sync_last_error"    /* "" after a success */
#define AGENT_META_WAITING    "sync_waiting"       /* events not yet delivered */
#define AGENT_META_FAILURES   "sync_failures"      /* consecutive failed cycles */
#define AGENT_META_CARD_LINK  "card_link"          /* "EXPIRES_S PERSON_ID", absent: none */
#define AGENT_META_TAP_CURSOR "tap_cursor"         /* last applied tap cursor, absent: "0" */
#define AGENT_META_NEWCOMERS  "newcomers"          /* "yes"/"no": the organisation's
                                                    * setting; absent: not known */

/* Read key into buf (len bytes). Returns 0 found, 1 absent (buf = ""), -1
 * on error or when the value does not fit (never a cut value; buf = "",
 * store_errmsg says why). AGENT_META_CURSOR reads the sync_state row. */
int store_meta_get(struct store *st, const char *key, char *buf, size_t len);

/* Set one key to value (both non-NULL) in its own statement. 0 or -1
 * (nothing changed). */
int store_meta_set(struct store *st, const char *key, const char *value);

/* Set n key/value pairs (kv[2i], kv[2i+1]; a NULL value deletes the key) in
 * one short IMMEDIATE transaction. When the pairs carry both
 * AGENT_META_LAST_ERROR and AGENT_META_WAITING, the sync_state row is
 * updated to match (last_ok when the error is "" and AGENT_META_LAST_OK is
 * given). Returns 0 or -1 (nothing changed; store_errmsg says why). */
int store_meta_set_many(struct store *st, const char *const *kv, size_t n);

#endif
