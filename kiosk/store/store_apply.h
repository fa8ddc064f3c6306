/* store_apply.h — a page of master-data changes pulled from the hub (GET
 * /v1/changes, sync/PROTOCOL.md) as plain structs, and applying it to the
 * store in one transaction. The sync agent's parser (sync/agent/wire.c)
 * fills a page; the store only ever sees it validated.
 * Must not: parse JSON or know about HTTP; depend on sync/agent. */
#ifndef PRESENTIE_STORE_APPLY_H
#define PRESENTIE_STORE_APPLY_H

#include <stddef.h>
#include <stdint.h>

#include "limits.h"

struct store;

#define STORE_CURSOR_MAX 256   /* the hub's opaque changes cursor, incl. NUL */
#define STORE_TAP_CURSOR_MAX 64 /* the hub's opaque tap cursor, incl. NUL */
#define STORE_TAP_KIND_MAX 12   /* "check_out" + NUL, with room */
#define STORE_TAP_KEEP_MS  (24LL * 3600 * 1000)  /* peers' taps kept this long */

struct store_page_person {
	char id[PR_ID_MAX];
	char display_name[PR_NAME_MAX];
	char first_name[PR_NAME_MAX];
	char lang[PR_LANG_MAX];
	int coordinator;
};
struct store_page_cred {
	char person_id[PR_ID_MAX];
	int kind;                        /* enum store_cred_kind: 0 card, 1 pin */
	char mac_hex[PR_MAC_HEX];
	int active;
};
struct store_page_programme {
	char id[PR_ID_MAX];
	char title[PR_TITLE_MAX];
};
struct store_page_enrolment {
	char person_id[PR_ID_MAX];
	char programme_id[PR_ID_MAX];
	int active;
};
struct store_page_session {
	char id[PR_ID_MAX];
	char programme_id[PR_ID_MAX];    /* "" when null */
	char title[PR_TITLE_MAX];
	char room[PR_ROOM_MAX];
	int64_t start, end;              /* UTC seconds, start < end */
	int kind;                        /* enum rules_session_kind */
	int cancelled;
};
struct store_page_assignment {
	char session_id[PR_ID_MAX];
	char person_id[PR_ID_MAX];
	char role[PR_ROLE_MAX];
	int active;
};
struct store_page_tombstone {
	char person_id[PR_ID_MAX];
};
/* A newcomer registered at this kiosk whom a coordinator rejected. */
struct store_page_rejected {
	char id[PR_ID_MAX];              /* the person id the kiosk drew */
};
/* A tap of another kiosk of this location (relayed by the hub). */
struct store_page_tap {
	char uuid[PR_UUID_STR];          /* lower case */
	char kind[STORE_TAP_KIND_MAX];   /* check_in, check_out, guest, drop_in */
	char person_id[PR_ID_MAX];       /* "" when null (a guest) */
	char session_id[PR_ID_MAX];      /* "" when null (a drop-in) */
	char role[PR_ROLE_MAX];          /* "" when null */
	int64_t t_ms;                    /* the hub's corrected time, UTC ms */
};

/* One validated page of changes. Each array holds at most
 * PR_CHANGES_PAGE_MAX rows; who fills a page also frees its arrays. */
struct store_page {
	char cursor[STORE_CURSOR_MAX];
	int more;
	int has_location;
	char location_id[PR_ID_MAX];
	char location_name[PR_NAME_MAX];
	char location_tz[PR_TZ_MAX];
	int has_card_link;                     /* "card_link" present (object or null) */
	char card_link_person[PR_ID_MAX];      /* "" for null: no link pending */
	int64_t card_link_expires;             /* UTC seconds */
	int64_t acked_seq;                     /* the hub's acked_seq; -1 if absent
	                                        * (not applied: the agent's to use) */
	struct store_page_person *people;           size_t n_people;
	struct store_page_cred *creds;              size_t n_creds;
	struct store_page_programme *programmes;    size_t n_programmes;
	struct store_page_enrolment *enrolments;    size_t n_enrolments;
	struct store_page_session *sessions;        size_t n_sessions;
	struct store_page_assignment *assignments;  size_t n_assignments;
	struct store_page_tombstone *tombstones;    size_t n_tombstones;
	int has_taps;                          /* "taps" present (a hub that relays) */
	char taps_cursor[STORE_TAP_CURSOR_MAX];
	struct store_page_tap *taps;                size_t n_taps;
	int64_t server_ms;                     /* "server_time", UTC ms; 0 if absent */
	int newcomers;                         /* "newcomers": -1 absent (an older hub),
	                                        * else 0/1 (AGENT_META_NEWCOMERS) */
	struct store_page_rejected *rejected;       size_t n_rejected;
};

/* Apply one validated changes page and store its cursor (and location, and
 * the pending card link) in one IMMEDIATE transaction: upserts, deletes for
 * inactive/cancelled rows, tombstones that erase a person with everything of
 * theirs (their relayed taps too). With has_taps, the peers' taps are kept
 * (a UUID already held only takes the new time) with the tap cursor
 * (AGENT_META_TAP_CURSOR); with server_ms, taps older than STORE_TAP_KEEP_MS
 * before it are dropped. A page without a location needs AGENT_META_LOC_ID
 * in meta (an enrolled kiosk). The organisation's newcomers setting goes
 * to meta (AGENT_META_NEWCOMERS "yes"/"no"; absent: left alone); each
 * rejected newcomer's person_registered event is deleted (marked delivered
 * first: the hub has it). Returns 0, or -1 with nothing changed, the
 * cursors included, and err set. */
int store_apply_page(struct store *st, const struct store_page *p,
    char *err, size_t errlen);

#endif
