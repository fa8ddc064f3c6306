/* store.h — the kiosk's local store: one SQLite file in WAL mode. This
 * library (kiosk/store/) is the one owner of the kiosk store's schema and SQL;
 * the kiosk and the agent both link it.
 * Owns: the schema and its migrations, every statement run on the file,
 * master data pulled from the hub (people, credential HMACs, programmes,
 * enrolments, sessions, roles), the append-only event log with its
 * per-device sequence and delivery state, the other kiosks' taps the hub
 * relays (peer_taps, a day's worth), and small key/value state (device
 * id, org key, sync status). The kiosk opens the file with store_open, the
 * sync agent next to it with store_attach; see docs/ARCHITECTURE.md.
 * Related headers: store_meta.h (key/value state and its key names),
 * store_outbox.h (events waiting for the hub), store_apply.h (a changes page
 * pulled from the hub).
 * Must not: know about SDL, libnfc or HTTP; ever see a raw card UID or PIN.
 * All functions return 0 on success and -1 on error unless stated; on error
 * the store is unchanged (every write is one transaction). */
#ifndef PRESENTIE_STORE_H
#define PRESENTIE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "limits.h"

struct store;

#define STORE_SCHEMA_VERSION 2  /* PRAGMA user_version after migrations */
#define STORE_ERR_MAX        256  /* one error sentence (store_errmsg), incl. NUL */
#define STORE_AGENT_BUSY_MS  5000 /* the agent's wait for the kiosk's write lock */

enum store_cred_kind { STORE_CRED_CARD = 0, STORE_CRED_PIN = 1 };

struct store_person {
	char id[PR_ID_MAX];
	char display_name[PR_NAME_MAX];  /* "Fatima E." */
	char first_name[PR_NAME_MAX];    /* what the screen greets: "Fatima" */
	char lang[PR_LANG_MAX];          /* "nl", "en", "ar", "tr" */
	int is_coordinator;              /* may open coordinator mode */
};

struct store_session {
	char id[PR_ID_MAX];
	char programme_id[PR_ID_MAX];
	char title[PR_TITLE_MAX];        /* "Maak je eigen Werk — workshop 4" */
	char room[PR_ROOM_MAX];
	int64_t start, end;              /* UTC seconds */
	int kind;                        /* enum rules_session_kind */
	int enrolled;                    /* filled for a given person, else 0 */
	char role[PR_ROLE_MAX];          /* that person's role here, or "" */
};

struct store_assignment {           /* one row of a roster */
	char session_id[PR_ID_MAX];
	int64_t start;
	char role[PR_ROLE_MAX];
	char first_name[PR_NAME_MAX];
};

/* Event kinds as stored and sent to the hub. */
#define STORE_KIND_MAX      32      /* an event kind, incl. NUL */
#define STORE_EV_CHECK_IN   "check_in"
#define STORE_EV_CHECK_OUT  "check_out"
#define STORE_EV_GUEST      "guest"
#define STORE_EV_DROP_IN    "drop_in"
#define STORE_EV_CARD_LINK  "credential_enrolled"

struct store_event_in {             /* what the caller decides */
	const char *kind;                /* STORE_EV_* */
	const char *person_id;           /* or NULL */
	const char *session_id;          /* or NULL */
	const char *role;                /* or NULL */
	const char *payload_json;        /* extra fields as a JSON object, or NULL */
	int64_t wall_ms;                 /* wall clock, UTC ms (from clockinfo) */
};

struct store_event_out {            /* what the store assigned */
	char uuid[PR_UUID_STR];          /* UUIDv7 */
	int64_t seq;                     /* per-device sequence, from 1, no gaps */
};

/* Open (creating if needed) the store at path: WAL, synchronous=FULL,
 * foreign_keys=ON, busy_timeout, PRAGMA quick_check, then migrations up to
 * STORE_SCHEMA_VERSION. On failure returns -1, *out is NULL and err holds a
 * sentence a person can act on ("the store ... is damaged: ..."; on a full
 * disk "the disk is full: N MB free for the store ...", never "damaged"). */
int store_open(const char *path, struct store **out, char *err, size_t errlen);

/* The sync agent's connection to the store the kiosk made: the file must
 * exist, be in WAL mode and have schema version STORE_SCHEMA_VERSION; it is
 * never created or migrated here. Busy timeout STORE_AGENT_BUSY_MS,
 * synchronous=NORMAL (losing the agent's last commit on power loss only
 * means resending, which is idempotent, or pulling again) and foreign_keys
 * OFF (a changes page may carry a credential or assignment before the page
 * with its person; store_apply_page does the schema's cascades itself).
 * Every statement is prepared here, so a file without the expected tables is
 * refused now. On failure returns -1, *out is NULL and err holds a sentence
 * for a person ("the store ... does not exist; start the kiosk once first";
 * a full disk is named as in store_open). */
int store_attach(const char *path, struct store **out, char *err, size_t errlen);

/* Close a handle from store_open or store_attach; NULL is ignored. */
void store_close(struct store *st);

/* The last failure of a call on st in words ("reading meta: database is
 * locked"), or "no error"; valid until the next call on st. */
const char *store_errmsg(struct store *st);

/* Who holds this credential MAC (active credentials only)?
 * Returns 0 found, 1 not found, -1 error. */
int store_person_by_mac(struct store *st, enum store_cred_kind kind,
    const uint8_t mac[PR_MAC_BYTES], struct store_person *out);
int store_person_get(struct store *st, const char *id, struct store_person *out);

/* People whose display name contains needle (case-insensitive, UTF-8 aware
 * for ASCII letters), up to max, ordered by name. *n gets the count. */
int store_people_find(struct store *st, const char *needle,
    struct store_person *out, size_t max, size_t *n);

/* Sessions at this kiosk's location overlapping [from, to), ordered by start.
 * If person_id is non-NULL, enrolled and role are filled for that person. */
int store_sessions_between(struct store *st, int64_t from, int64_t to,
    const char *person_id, struct store_session *out, size_t max, size_t *n);

/* Is a session at this kiosk's location open at now (UTC s) or about to
 * open: start - early_s <= now <= end? Returns 1, 0, or -1 on error. */
int store_session_open(struct store *st, int64_t now, int64_t early_s);

/* Role assignments for sessions starting in [from, to), ordered by start, role. */
int store_roster_between(struct store *st, int64_t from, int64_t to,
    struct store_assignment *out, size_t max, size_t *n);

/* The person's latest check_in/check_out (or drop_in) at or after since
 * (UTC s): this kiosk's latest event (by seq) or the latest tap of another
 * kiosk of the location (peer_taps, by the hub's time, at most until),
 * whichever is later. A peer's tap after until is ignored: seen from a
 * clock that is behind, it would hide this kiosk's own later events.
 * kind is 0 (none), 1 (in) or 2 (out), matching enum rules_last_kind; the
 * session id goes to session_buf ("" for a drop-in). */
int store_last_check(struct store *st, const char *person_id, int64_t since,
    int64_t until, int *kind, int64_t *at, char *session_buf, size_t session_len);

/* Append one event durably: assigns the UUIDv7 and the next sequence, records
 * boot id, CLOCK_BOOTTIME and the clock-synced flag, and returns only after
 * COMMIT with synchronous=FULL. On error nothing is written. */
int store_event_append(struct store *st, const struct store_event_in *ev,
    struct store_event_out *out);

/* People checked in to one session (check_in events, each person once, and
 * guest events) here or at another kiosk of the location (peer_taps), for
 * the coordinator's headcount. */
int store_headcount(struct store *st, const char *session_id, int *count);

/* Demo: replace master data with the demo organisation from dir (the CSV
 * files of assets/demo), with times shifted so a workshop runs at now. */
int store_seed_demo(struct store *st, const char *dir, int64_t now,
    char *err, size_t errlen);

#endif
