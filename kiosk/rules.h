/* rules.h — the check-in rules of DESIGN.md as pure functions.
 * Owns: what a tap means (check in, check out, already, choose, drop-in,
 * unknown, guest) and the PIN lockout. Must not: read the clock, touch SDL,
 * SQLite or the filesystem. Every input arrives as an argument; times are
 * UTC seconds since the epoch (time zones are for display, see tz.h). */
#ifndef PRESENTIE_RULES_H
#define PRESENTIE_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "limits.h"

#define RULES_EARLY_DEFAULT_S   (30 * 60) /* a session is open from start - 30 min */
#define RULES_REPEAT_S          (2 * 60)  /* a second tap within this is "already" */
#define RULES_PIN_MAX_FAILS     5         /* wrong PINs ... */
#define RULES_PIN_WINDOW_S      60        /* ... within this window ... */
#define RULES_PIN_LOCK_S        60        /* ... lock the PIN pad this long */
#define RULES_MAX_CHOICES       PR_SESSIONS_DAY_MAX
#define RULES_OPEN_MAX_S        (16 * 60 * 60) /* a check-in older than this is
                                                  no longer open (forgotten check-out) */

enum rules_session_kind {
	RULES_KIND_GROUP = 0,     /* workshop, group session */
	RULES_KIND_COACHING,      /* 1:1 coaching slot */
	RULES_KIND_OPEN,          /* open meeting: walk-ins and guests welcome */
	RULES_KIND_INTAKE
};

/* One session of today at this location, seen from the person who tapped. */
struct rules_session {
	const char *id;
	int64_t start, end;           /* UTC seconds, start < end */
	enum rules_session_kind kind;
	int enrolled;                 /* the person is enrolled in its programme */
	const char *role;             /* the person's role here, or NULL */
};

enum rules_last_kind { RULES_LAST_NONE = 0, RULES_LAST_IN, RULES_LAST_OUT };

/* The person's most recent check_in/check_out event (any session), if any. */
struct rules_last {
	enum rules_last_kind kind;
	int64_t at;                   /* UTC seconds of that event */
	const char *session_id;       /* session of that event, or NULL (drop-in) */
};

struct rules_config {
	int64_t early_s;              /* RULES_EARLY_DEFAULT_S unless configured */
	int64_t repeat_s;             /* RULES_REPEAT_S unless configured */
	int checkout_all;             /* 1: everyone checks out; 0: volunteers only */
};

struct rules_input {
	int known;                    /* 0: the credential matched nobody */
	int64_t now;
	const struct rules_session *sessions; /* today's sessions, any order */
	size_t n_sessions;            /* <= RULES_MAX_CHOICES */
	struct rules_last last;
};

enum rules_outcome {
	RULES_UNKNOWN = 0,  /* nobody: say so kindly; guest_ok tells if guest check-in is offered */
	RULES_CHECK_IN,     /* record check_in for sessions[session]; role may be set */
	RULES_CHECK_OUT,    /* record check_out for sessions[session] (or drop-in if session == -1) */
	RULES_ALREADY,      /* no event: "already checked in/out at <at>" */
	RULES_CHOOSE,       /* ask: choices[0..n_choices) are indexes into sessions */
	RULES_DROP_IN       /* no session now: record a drop-in visit; next = next session today or -1 */
};

struct rules_decision {
	enum rules_outcome outcome;
	long session;                 /* index into sessions, or -1 */
	const char *role;             /* volunteer role for CHECK_IN/CHECK_OUT, or NULL */
	size_t choices[RULES_MAX_CHOICES];
	size_t n_choices;
	int guest_ok;                 /* UNKNOWN: an open session is running now */
	long next;                    /* DROP_IN: index of the next session today, or -1 */
	enum rules_last_kind already_kind; /* ALREADY: what was done earlier */
	int64_t already_at;           /* ALREADY: when (UTC seconds) */
	int64_t worked_s;             /* CHECK_OUT: seconds since the check-in */
};

/* Fill cfg with the defaults of DESIGN.md. */
void rules_config_default(struct rules_config *cfg);

/* Decide what a tap by one person (or an unknown credential) at in->now means.
 * Returns 0 and fills *out; -1 if the input is invalid (NULL, too many
 * sessions, a session with end <= start, a time before 1970 or after 9999,
 * a negative or week-long early_s/repeat_s), leaving *out with outcome
 * UNKNOWN, session and next -1. For UNKNOWN, session is the open session a
 * guest would be checked in to (guest_ok), or -1. For ALREADY after a
 * check-in, session is that check-in's session (-1: drop-in or not today).
 * The full rule set with examples is in docs/RULES.md. */
int rules_decide(const struct rules_config *cfg, const struct rules_input *in,
    struct rules_decision *out);

/* Index of the session to show as "now" (running; the earliest-started if
 * several) and "next" (the first starting after now) among sessions; -1 if none. */
long rules_session_now(const struct rules_session *s, size_t n, int64_t now);
long rules_session_next(const struct rules_session *s, size_t n, int64_t now);

/* Whether guest check-in is possible now: an open session is within its window.
 * Returns the index of that session, or -1. */
long rules_guest_session(const struct rules_config *cfg,
    const struct rules_session *s, size_t n, int64_t now);

/* The PIN lockout: RULES_PIN_MAX_FAILS wrong PINs within RULES_PIN_WINDOW_S lock
 * the pad for RULES_PIN_LOCK_S. Plain state, zero-initialise to start. */
struct rules_pin_guard {
	int64_t fails[RULES_PIN_MAX_FAILS];
	size_t n_fails;
	int64_t locked_until;
};

/* Returns seconds left on the lock (> 0) or 0 if the pad may be used. */
int64_t rules_pin_locked(const struct rules_pin_guard *g, int64_t now);
/* Record a wrong PIN; returns seconds of lock now in force (0 if not locked). */
int64_t rules_pin_fail(struct rules_pin_guard *g, int64_t now);
/* Wrong PINs that may still be typed before the pad locks (failures older
 * than the window no longer count); 0 while locked. */
int rules_pin_tries_left(const struct rules_pin_guard *g, int64_t now);
/* A right PIN clears the failures. */
void rules_pin_ok(struct rules_pin_guard *g);

#endif
