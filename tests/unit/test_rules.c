/* test_rules.c — unit tests of the check-in rules (kiosk/rules.c), one case
 * per rule of DESIGN.md and docs/RULES.md, plus the PIN lockout edges and
 * sessions across both DST transitions of 2026 in Europe/Amsterdam.
 * Must not: use SDL, SQLite or the real clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rules.h"
#include "tz.h"

#define H   3600
#define M   60
/* 2026-05-12 00:00 UTC: an ordinary Tuesday, times below are offsets */
#define DAY INT64_C(1778544000)

static struct rules_config cfg;

static int setup(void **state)
{
	(void)state;
	rules_config_default(&cfg);
	return 0;
}

static struct rules_session sess(const char *id, int64_t start, int64_t end,
    enum rules_session_kind kind, int enrolled, const char *role)
{
	struct rules_session s;

	memset(&s, 0, sizeof(s));
	s.id = id;
	s.start = start;
	s.end = end;
	s.kind = kind;
	s.enrolled = enrolled;
	s.role = role;
	return s;
}

static struct rules_decision decide(const struct rules_session *s, size_t n,
    int64_t now, enum rules_last_kind lk, int64_t lat, const char *lsid)
{
	struct rules_input in;
	struct rules_decision d;

	memset(&in, 0, sizeof(in));
	in.known = 1;
	in.now = now;
	in.sessions = s;
	in.n_sessions = n;
	in.last.kind = lk;
	in.last.at = lat;
	in.last.session_id = lsid;
	assert_int_equal(rules_decide(&cfg, &in, &d), 0);
	return d;
}

static void test_defaults(void **state)
{
	(void)state;
	assert_int_equal(cfg.early_s, 30 * M);
	assert_int_equal(cfg.repeat_s, 2 * M);
	assert_int_equal(cfg.checkout_all, 0);
}

/* Rule 1: unknown credential; guest only at an open session in its window. */
static void test_unknown_and_guest(void **state)
{
	struct rules_session s[2];
	struct rules_input in;
	struct rules_decision d;

	(void)state;
	s[0] = sess("ws", DAY + 10 * H, DAY + 12 * H, RULES_KIND_GROUP, 1, NULL);
	s[1] = sess("open", DAY + 19 * H, DAY + 21 * H, RULES_KIND_OPEN, 0, NULL);
	memset(&in, 0, sizeof(in));
	in.known = 0;
	in.sessions = s;
	in.n_sessions = 2;

	in.now = DAY + 11 * H;  /* only the workshop runs */
	assert_int_equal(rules_decide(&cfg, &in, &d), 0);
	assert_int_equal(d.outcome, RULES_UNKNOWN);
	assert_int_equal(d.guest_ok, 0);
	assert_int_equal(d.session, -1);

	in.now = DAY + 19 * H - 30 * M;  /* open meeting's window opens */
	assert_int_equal(rules_decide(&cfg, &in, &d), 0);
	assert_int_equal(d.outcome, RULES_UNKNOWN);
	assert_int_equal(d.guest_ok, 1);
	assert_int_equal(d.session, 1);

	in.now = DAY + 19 * H - 30 * M - 1;  /* one second too early */
	assert_int_equal(rules_decide(&cfg, &in, &d), 0);
	assert_int_equal(d.guest_ok, 0);

	in.now = DAY + 21 * H;  /* the end itself is inside */
	assert_int_equal(rules_decide(&cfg, &in, &d), 0);
	assert_int_equal(d.guest_ok, 1);
	in.now = DAY + 21 * H + 1;
	assert_int_equal(rules_decide(&cfg, &in, &d), 0);
	assert_int_equal(d.guest_ok, 0);
	assert_int_equal(rules_guest_session(&cfg, s, 2, DAY + 20 * H), 1);
	assert_int_equal(rules_guest_session(&cfg, s, 2, DAY + 11 * H), -1);
}

/* Rule 2: the window is start - early_s <= now <= end, configurable. */
static void test_window_edges(void **state)
{
	struct rules_session s[1];
	struct rules_decision d;

	(void)state;
	s[0] = sess("ws", DAY + 13 * H, DAY + 15 * H, RULES_KIND_GROUP, 1, NULL);
	d = decide(s, 1, DAY + 13 * H - 30 * M, RULES_LAST_NONE, 0, NULL);
	assert_int_equal(d.outcome, RULES_CHECK_IN);
	assert_int_equal(d.session, 0);
	assert_null(d.role);
	d = decide(s, 1, DAY + 13 * H - 30 * M - 1, RULES_LAST_NONE, 0, NULL);
	assert_int_equal(d.outcome, RULES_DROP_IN);
	assert_int_equal(d.next, 0);
	d = decide(s, 1, DAY + 15 * H, RULES_LAST_NONE, 0, NULL);
	assert_int_equal(d.outcome, RULES_CHECK_IN);
	d = decide(s, 1, DAY + 15 * H + 1, RULES_LAST_NONE, 0, NULL);
	assert_int_equal(d.outcome, RULES_DROP_IN);
	assert_int_equal(d.next, -1);

	cfg.early_s = 10 * M;
	d = decide(s, 1, DAY + 13 * H - 11 * M, RULES_LAST_NONE, 0, NULL);
	assert_int_equal(d.outcome, RULES_DROP_IN);
	assert_int_equal(d.next, 0);
	d = decide(s, 1, DAY + 13 * H - 10 * M, RULES_LAST_NONE, 0, NULL);
	assert_int_equal(d.outcome, RULES_CHECK_IN);
}

/* Rule 3: a role makes it a volunteer check-in and wins over enrolment. */
static void test_volunteer_role_preferred(void **state)
{
	struct rules_session s[2];
	struct rules_decision d;

	(void)state;
	s[0] = sess("ws-a", DAY + 13 * H, DAY + 15 * H, RULES_KIND_GROUP, 1, NULL);
	s[1] = sess("ws-b", DAY + 13 * H, DAY + 16 * H, RULES_KIND_GROUP, 0, "catering");
	d = decide(s, 2, DAY + 13 * H, RULES_LAST_NONE, 0, NULL);
	assert_int_equal(d.outcome, RULES_CHECK_IN);
	assert_int_equal(d.session, 1);
	assert_string_equal(d.role, "catering");

	/* a role in a session not yet in its window does not count */
	s[1] = sess("ws-b", DAY + 15 * H, DAY + 16 * H, RULES_KIND_GROUP, 0, "catering");
	d = decide(s, 2, DAY + 13 * H, RULES_LAST_NONE, 0, NULL);
	assert_int_equal(d.outcome, RULES_CHECK_IN);
	assert_int_equal(d.session, 0);
	assert_null(d.role);
}

/* Rule 3, edge: roles in two overlapping sessions: ask, among those two only. */
static void test_two_roles_ask(void **state)
{
	struct rules_session s[3];
	struct rules_decision d;

	(void)state;
	s[0] = sess("late", DAY + 14 * H, DAY + 16 * H, RULES_KIND_GROUP, 0, "rolmodel");
	s[1] = sess("plain", DAY + 13 * H, DAY + 16 * H, RULES_KIND_GROUP, 1, NULL);
	s[2] = sess("early", DAY + 13 * H, DAY + 15 * H, RULES_KIND_GROUP, 0, "catering");
	d = decide(s, 3, DAY + 14 * H, RULES_LAST_NONE, 0, NULL);
	assert_int_equal(d.outcome, RULES_CHOOSE);
	assert_int_equal(d.n_choices, 2);
	assert_int_equal(d.choices[0], 2);  /* start order */
	assert_int_equal(d.choices[1], 0);
	assert_int_equal(d.session, -1);
}

/* Rule 4: one candidate; several -> the enrolled one; else ask. */
static void test_choice_by_enrolment(void **state)
{
	struct rules_session s[3];
	struct rules_decision d;

	(void)state;
	s[0] = sess("a", DAY + 14 * H, DAY + 16 * H, RULES_KIND_GROUP, 0, NULL);
	s[1] = sess("b", DAY + 13 * H, DAY + 16 * H, RULES_KIND_GROUP, 1, NULL);
	s[2] = sess("c", DAY + 13 * H + 30 * M, DAY + 15 * H, RULES_KIND_OPEN, 0, NULL);
	/* not enrolled in the only candidate: still checked in */
	d = decide(s, 1, DAY + 15 * H, RULES_LAST_NONE, 0, NULL);
	assert_int_equal(d.outcome, RULES_CHECK_IN);
	assert_int_equal(d.session, 0);

	d = decide(s, 3, DAY + 14 * H, RULES_LAST_NONE, 0, NULL);
	assert_int_equal(d.outcome, RULES_CHECK_IN);
	assert_int_equal(d.session, 1);

	/* enrolled in two: ask between those two, in start order */
	s[0].enrolled = 1;
	d = decide(s, 3, DAY + 14 * H, RULES_LAST_NONE, 0, NULL);
	assert_int_equal(d.outcome, RULES_CHOOSE);
	assert_int_equal(d.n_choices, 2);
	assert_int_equal(d.choices[0], 1);
	assert_int_equal(d.choices[1], 0);

	/* enrolled in none: ask among all three, in start order */
	s[0].enrolled = 0;
	s[1].enrolled = 0;
	d = decide(s, 3, DAY + 14 * H, RULES_LAST_NONE, 0, NULL);
	assert_int_equal(d.outcome, RULES_CHOOSE);
	assert_int_equal(d.n_choices, 3);
	assert_int_equal(d.choices[0], 1);
	assert_int_equal(d.choices[1], 2);
	assert_int_equal(d.choices[2], 0);
}

/* Rule 5: no candidate -> drop-in with the next session of today. */
static void test_drop_in_next(void **state)
{
	struct rules_session s[3];
	struct rules_decision d;

	(void)state;
	s[0] = sess("late", DAY + 19 * H, DAY + 21 * H, RULES_KIND_OPEN, 0, NULL);
	s[1] = sess("morning", DAY + 9 * H, DAY + 11 * H, RULES_KIND_GROUP, 1, NULL);
	s[2] = sess("afternoon", DAY + 15 * H, DAY + 17 * H, RULES_KIND_GROUP, 1, NULL);
	d = decide(s, 3, DAY + 12 * H, RULES_LAST_NONE, 0, NULL);
	assert_int_equal(d.outcome, RULES_DROP_IN);
	assert_int_equal(d.session, -1);
	assert_int_equal(d.next, 2);
	d = decide(s, 3, DAY + 22 * H, RULES_LAST_NONE, 0, NULL);
	assert_int_equal(d.outcome, RULES_DROP_IN);
	assert_int_equal(d.next, -1);
	d = decide(NULL, 0, DAY + 12 * H, RULES_LAST_NONE, 0, NULL);
	assert_int_equal(d.outcome, RULES_DROP_IN);
	assert_int_equal(d.next, -1);
}

/* Rule 6: within repeat_s of the last event: ALREADY, no event. */
static void test_repeat_is_already(void **state)
{
	struct rules_session s[1];
	struct rules_decision d;
	int64_t in_at = DAY + 13 * H + 52 * M;

	(void)state;
	s[0] = sess("ws", DAY + 14 * H, DAY + 16 * H, RULES_KIND_GROUP, 1, "catering");
	d = decide(s, 1, in_at + 2 * M - 1, RULES_LAST_IN, in_at, "ws");
	assert_int_equal(d.outcome, RULES_ALREADY);
	assert_int_equal(d.already_kind, RULES_LAST_IN);
	assert_int_equal(d.already_at, in_at);
	assert_int_equal(d.session, 0);
	/* a small step back of the clock is a repeat too */
	d = decide(s, 1, in_at - 30, RULES_LAST_IN, in_at, "ws");
	assert_int_equal(d.outcome, RULES_ALREADY);
	/* at exactly repeat_s the volunteer checks out */
	d = decide(s, 1, in_at + 2 * M, RULES_LAST_IN, in_at, "ws");
	assert_int_equal(d.outcome, RULES_CHECK_OUT);
	assert_int_equal(d.worked_s, 2 * M);
	/* a repeat right after a check-out: "already checked out at" */
	d = decide(s, 1, in_at + 60, RULES_LAST_OUT, in_at, "ws");
	assert_int_equal(d.outcome, RULES_ALREADY);
	assert_int_equal(d.already_kind, RULES_LAST_OUT);
	assert_int_equal(d.already_at, in_at);
	/* configurable */
	cfg.repeat_s = 5 * M;
	d = decide(s, 1, in_at + 4 * M, RULES_LAST_IN, in_at, "ws");
	assert_int_equal(d.outcome, RULES_ALREADY);
}

/* Rule 6: later, a volunteer checks out with the seconds worked. */
static void test_volunteer_checks_out(void **state)
{
	struct rules_session s[1];
	struct rules_decision d;

	(void)state;
	s[0] = sess("ws", DAY + 13 * H, DAY + 15 * H, RULES_KIND_GROUP, 0, "rolmodel");
	d = decide(s, 1, DAY + 15 * H - 5 * M, RULES_LAST_IN, DAY + 12 * H + 45 * M, "ws");
	assert_int_equal(d.outcome, RULES_CHECK_OUT);
	assert_int_equal(d.session, 0);
	assert_string_equal(d.role, "rolmodel");
	assert_int_equal(d.worked_s, 2 * H + 10 * M);
}

/* Edge: the session ended while the volunteer was checked in; a tap after
 * the end (and no other duty) is still the check-out of that session. */
static void test_checkout_after_end(void **state)
{
	struct rules_session s[2];
	struct rules_decision d;

	(void)state;
	s[0] = sess("ws", DAY + 13 * H, DAY + 15 * H, RULES_KIND_GROUP, 0, "catering");
	s[1] = sess("evening", DAY + 19 * H, DAY + 21 * H, RULES_KIND_GROUP, 1, NULL);
	d = decide(s, 2, DAY + 15 * H + 40 * M, RULES_LAST_IN, DAY + 12 * H + 30 * M, "ws");
	assert_int_equal(d.outcome, RULES_CHECK_OUT);
	assert_int_equal(d.session, 0);
	assert_string_equal(d.role, "catering");
	assert_int_equal(d.worked_s, 3 * H + 10 * M);
	/* still so when a session without a role for them has opened meanwhile */
	d = decide(s, 2, DAY + 18 * H + 45 * M, RULES_LAST_IN, DAY + 12 * H + 30 * M, "ws");
	assert_int_equal(d.outcome, RULES_CHECK_OUT);
	assert_int_equal(d.session, 0);
}

/* Edge: forgot to check out, comes back for a session with a role: the new
 * duty wins; the morning check-in stays open (no check-out invented). */
static void test_new_duty_beats_ended_checkin(void **state)
{
	struct rules_session s[2];
	struct rules_decision d;

	(void)state;
	s[0] = sess("am", DAY + 9 * H, DAY + 12 * H, RULES_KIND_GROUP, 0, "catering");
	s[1] = sess("pm", DAY + 13 * H, DAY + 16 * H, RULES_KIND_GROUP, 0, "catering");
	d = decide(s, 2, DAY + 12 * H + 45 * M, RULES_LAST_IN, DAY + 9 * H, "am");
	assert_int_equal(d.outcome, RULES_CHECK_IN);
	assert_int_equal(d.session, 1);
	assert_string_equal(d.role, "catering");
	/* while "am" still runs, the tap is the check-out of "am" */
	d = decide(s, 2, DAY + 12 * H, RULES_LAST_IN, DAY + 9 * H, "am");
	assert_int_equal(d.outcome, RULES_CHECK_OUT);
	assert_int_equal(d.session, 0);
	assert_int_equal(d.worked_s, 3 * H);
}

/* Edge: overlapping sessions, a participant in A with a role in B: the duty
 * in B beats the open participant check-in of A. */
static void test_overlap_participant_then_duty(void **state)
{
	struct rules_session s[2];
	struct rules_decision d;

	(void)state;
	s[0] = sess("A", DAY + 13 * H, DAY + 15 * H, RULES_KIND_GROUP, 1, NULL);
	s[1] = sess("B", DAY + 15 * H, DAY + 17 * H, RULES_KIND_GROUP, 0, "gastvrouw");
	d = decide(s, 2, DAY + 14 * H + 40 * M, RULES_LAST_IN, DAY + 13 * H, "A");
	assert_int_equal(d.outcome, RULES_CHECK_IN);
	assert_int_equal(d.session, 1);
	assert_string_equal(d.role, "gastvrouw");
	/* before B opens: already checked in at A */
	d = decide(s, 2, DAY + 14 * H, RULES_LAST_IN, DAY + 13 * H, "A");
	assert_int_equal(d.outcome, RULES_ALREADY);
	assert_int_equal(d.already_kind, RULES_LAST_IN);
	assert_int_equal(d.already_at, DAY + 13 * H);
	assert_int_equal(d.session, 0);
}

/* Edge: a volunteer in A (running) with a role in B too: the tap checks out of
 * A (they leave A); the next tap after repeat_s checks in to B. */
static void test_overlap_volunteer_both(void **state)
{
	struct rules_session s[2];
	struct rules_decision d;

	(void)state;
	s[0] = sess("A", DAY + 13 * H, DAY + 15 * H, RULES_KIND_GROUP, 0, "catering");
	s[1] = sess("B", DAY + 15 * H, DAY + 17 * H, RULES_KIND_GROUP, 0, "rolmodel");
	d = decide(s, 2, DAY + 14 * H + 50 * M, RULES_LAST_IN, DAY + 13 * H, "A");
	assert_int_equal(d.outcome, RULES_CHECK_OUT);
	assert_int_equal(d.session, 0);
	d = decide(s, 2, DAY + 14 * H + 53 * M, RULES_LAST_OUT, DAY + 14 * H + 50 * M, "A");
	assert_int_equal(d.outcome, RULES_CHOOSE);  /* both roles in window */
	d = decide(s, 2, DAY + 15 * H + 1, RULES_LAST_OUT, DAY + 14 * H + 50 * M, "A");
	assert_int_equal(d.outcome, RULES_CHECK_IN);
	assert_int_equal(d.session, 1);
}

/* Rule 6: a participant tapping later is "already checked in at"; with
 * checkout_all they check out instead. */
static void test_participant_already_or_checkout_all(void **state)
{
	struct rules_session s[1];
	struct rules_decision d;

	(void)state;
	s[0] = sess("ws", DAY + 13 * H, DAY + 15 * H, RULES_KIND_GROUP, 1, NULL);
	d = decide(s, 1, DAY + 14 * H, RULES_LAST_IN, DAY + 13 * H - 8 * M, "ws");
	assert_int_equal(d.outcome, RULES_ALREADY);
	assert_int_equal(d.already_kind, RULES_LAST_IN);
	assert_int_equal(d.already_at, DAY + 13 * H - 8 * M);
	cfg.checkout_all = 1;
	d = decide(s, 1, DAY + 14 * H, RULES_LAST_IN, DAY + 13 * H - 8 * M, "ws");
	assert_int_equal(d.outcome, RULES_CHECK_OUT);
	assert_int_equal(d.session, 0);
	assert_null(d.role);
	assert_int_equal(d.worked_s, H + 8 * M);
}

/* Edge: a participant's session is over: a new tap is a new visit. */
static void test_participant_after_end_is_new_visit(void **state)
{
	struct rules_session s[2];
	struct rules_decision d;

	(void)state;
	s[0] = sess("am", DAY + 9 * H, DAY + 11 * H, RULES_KIND_GROUP, 1, NULL);
	s[1] = sess("pm", DAY + 13 * H, DAY + 15 * H, RULES_KIND_GROUP, 0, NULL);
	d = decide(s, 2, DAY + 12 * H, RULES_LAST_IN, DAY + 9 * H, "am");
	assert_int_equal(d.outcome, RULES_DROP_IN);
	assert_int_equal(d.next, 1);
	d = decide(s, 2, DAY + 13 * H, RULES_LAST_IN, DAY + 9 * H, "am");
	assert_int_equal(d.outcome, RULES_CHECK_IN);
	assert_int_equal(d.session, 1);
}

/* Rule 6: after a check-out (beyond repeat_s) a tap checks in again. */
static void test_checkin_again_after_checkout(void **state)
{
	struct rules_session s[1];
	struct rules_decision d;

	(void)state;
	s[0] = sess("ws", DAY + 13 * H, DAY + 15 * H, RULES_KIND_GROUP, 0, "catering");
	d = decide(s, 1, DAY + 14 * H, RULES_LAST_OUT, DAY + 13 * H + 30 * M, "ws");
	assert_int_equal(d.outcome, RULES_CHECK_IN);
	assert_int_equal(d.session, 0);
	assert_string_equal(d.role, "catering");
}

/* Drop-ins: open drop-in is "already"; with checkout_all it checks out
 * (session -1); a session opening meanwhile takes the tap. */
static void test_drop_in_followups(void **state)
{
	struct rules_session s[1];
	struct rules_decision d;

	(void)state;
	s[0] = sess("ws", DAY + 15 * H, DAY + 17 * H, RULES_KIND_GROUP, 0, NULL);
	d = decide(s, 1, DAY + 12 * H + 30 * M, RULES_LAST_IN, DAY + 12 * H, NULL);
	assert_int_equal(d.outcome, RULES_ALREADY);
	assert_int_equal(d.already_kind, RULES_LAST_IN);
	assert_int_equal(d.session, -1);
	cfg.checkout_all = 1;
	d = decide(s, 1, DAY + 12 * H + 30 * M, RULES_LAST_IN, DAY + 12 * H, NULL);
	assert_int_equal(d.outcome, RULES_CHECK_OUT);
	assert_int_equal(d.session, -1);
	assert_null(d.role);
	assert_int_equal(d.worked_s, 30 * M);
	d = decide(s, 1, DAY + 14 * H + 40 * M, RULES_LAST_IN, DAY + 12 * H, NULL);
	assert_int_equal(d.outcome, RULES_CHECK_IN);
	assert_int_equal(d.session, 0);
}

/* Stale check-ins: a session not among today's, or older than
 * RULES_OPEN_MAX_S, or from the future, does not make a check-out. */
static void test_stale_checkins(void **state)
{
	struct rules_session s[1];
	struct rules_decision d;

	(void)state;
	s[0] = sess("ws", DAY + 13 * H, DAY + 15 * H, RULES_KIND_GROUP, 0, "catering");
	d = decide(s, 1, DAY + 14 * H, RULES_LAST_IN, DAY - 10 * H, "yesterday");
	assert_int_equal(d.outcome, RULES_CHECK_IN);
	assert_int_equal(d.session, 0);
	cfg.checkout_all = 1;
	d = decide(s, 1, DAY + 23 * H, RULES_LAST_IN,
	    DAY + 23 * H - RULES_OPEN_MAX_S - 1, NULL);
	assert_int_equal(d.outcome, RULES_DROP_IN);
	d = decide(s, 1, DAY + 23 * H, RULES_LAST_IN, DAY + 23 * H - RULES_OPEN_MAX_S, NULL);
	assert_int_equal(d.outcome, RULES_CHECK_OUT);
	assert_int_equal(d.worked_s, RULES_OPEN_MAX_S);
	d = decide(s, 1, DAY + 14 * H, RULES_LAST_IN, DAY + 16 * H, "ws");
	assert_int_equal(d.outcome, RULES_CHECK_IN);
	assert_true(d.worked_s >= 0);
}

static void test_invalid_input(void **state)
{
	struct rules_session s[RULES_MAX_CHOICES + 1];
	struct rules_input in;
	struct rules_decision d;
	struct rules_config bad;
	size_t i;

	(void)state;
	for (i = 0; i < RULES_MAX_CHOICES + 1; i++)
		s[i] = sess("x", DAY + 13 * H, DAY + 14 * H, RULES_KIND_GROUP, 0, NULL);
	memset(&in, 0, sizeof(in));
	in.known = 1;
	in.now = DAY + 13 * H;
	in.sessions = s;
	in.n_sessions = RULES_MAX_CHOICES;
	assert_int_equal(rules_decide(&cfg, &in, &d), 0);
	assert_int_equal(d.outcome, RULES_CHOOSE);
	assert_int_equal(d.n_choices, RULES_MAX_CHOICES);

	in.n_sessions = RULES_MAX_CHOICES + 1;
	assert_int_equal(rules_decide(&cfg, &in, &d), -1);
	assert_int_equal(d.outcome, RULES_UNKNOWN);
	assert_int_equal(d.session, -1);
	assert_int_equal(d.next, -1);

	in.n_sessions = 1;
	s[0].end = s[0].start;
	assert_int_equal(rules_decide(&cfg, &in, &d), -1);
	s[0].end = s[0].start + 1;
	assert_int_equal(rules_decide(&cfg, &in, &d), 0);
	in.now = -1;
	assert_int_equal(rules_decide(&cfg, &in, &d), -1);
	in.now = DAY;
	in.sessions = NULL;
	assert_int_equal(rules_decide(&cfg, &in, &d), -1);
	in.sessions = s;
	in.last.kind = (enum rules_last_kind)7;
	assert_int_equal(rules_decide(&cfg, &in, &d), -1);
	in.last.kind = RULES_LAST_NONE;
	assert_int_equal(rules_decide(NULL, &in, &d), -1);
	assert_int_equal(rules_decide(&cfg, NULL, &d), -1);
	assert_int_equal(rules_decide(&cfg, &in, NULL), -1);
	bad = cfg;
	bad.early_s = -1;
	assert_int_equal(rules_decide(&bad, &in, &d), -1);
	bad = cfg;
	bad.repeat_s = INT64_MAX;
	assert_int_equal(rules_decide(&bad, &in, &d), -1);
}

static void test_now_next(void **state)
{
	struct rules_session s[3];

	(void)state;
	s[0] = sess("b", DAY + 10 * H, DAY + 12 * H, RULES_KIND_GROUP, 0, NULL);
	s[1] = sess("a", DAY + 9 * H, DAY + 11 * H, RULES_KIND_GROUP, 0, NULL);
	s[2] = sess("c", DAY + 14 * H, DAY + 15 * H, RULES_KIND_GROUP, 0, NULL);
	assert_int_equal(rules_session_now(s, 3, DAY + 10 * H + 30 * M), 1);
	assert_int_equal(rules_session_now(s, 3, DAY + 11 * H), 0);  /* end excluded */
	assert_int_equal(rules_session_now(s, 3, DAY + 13 * H), -1);
	assert_int_equal(rules_session_next(s, 3, DAY + 8 * H), 1);
	assert_int_equal(rules_session_next(s, 3, DAY + 9 * H), 0);  /* started is not next */
	assert_int_equal(rules_session_next(s, 3, DAY + 13 * H), 2);
	assert_int_equal(rules_session_next(s, 3, DAY + 14 * H), -1);
	assert_int_equal(rules_session_now(NULL, 3, DAY), -1);
}

/* Rule 7: 5 wrong PINs within 60 s lock for 60 s. */
static void test_pin_lockout(void **state)
{
	struct rules_pin_guard g;
	int i;

	(void)state;
	memset(&g, 0, sizeof(g));
	for (i = 0; i < 4; i++)
		assert_int_equal(rules_pin_fail(&g, 1000 + i * 10), 0);
	assert_int_equal(rules_pin_locked(&g, 1040), 0);
	assert_int_equal(rules_pin_fail(&g, 1059), 60);  /* 5th within 59 s */
	assert_int_equal(rules_pin_locked(&g, 1059), 60);
	assert_int_equal(rules_pin_locked(&g, 1118), 1);
	assert_int_equal(rules_pin_locked(&g, 1119), 0);  /* exactly 60 s later */
	/* a wrong PIN while locked neither counts nor extends */
	memset(&g, 0, sizeof(g));
	for (i = 0; i < 5; i++)
		rules_pin_fail(&g, 2000);
	assert_int_equal(rules_pin_fail(&g, 2030), 30);
	assert_int_equal(rules_pin_locked(&g, 2060), 0);
	/* after the lock, it takes 5 fresh failures again */
	for (i = 0; i < 4; i++)
		assert_int_equal(rules_pin_fail(&g, 2060 + i), 0);
	assert_int_equal(rules_pin_fail(&g, 2064), 60);
}

static void test_pin_window_edge(void **state)
{
	struct rules_pin_guard g;
	int i;

	(void)state;
	memset(&g, 0, sizeof(g));
	/* the first of five is exactly 60 s old: outside the window, no lock */
	for (i = 0; i < 4; i++)
		assert_int_equal(rules_pin_fail(&g, 3000 + i * 15), 0);
	assert_int_equal(rules_pin_fail(&g, 3060), 0);
	assert_int_equal(rules_pin_locked(&g, 3060), 0);
	/* the next one makes five within 60 s (3015..3061) */
	assert_int_equal(rules_pin_fail(&g, 3061), 60);
	/* a right PIN clears the count */
	memset(&g, 0, sizeof(g));
	for (i = 0; i < 4; i++)
		rules_pin_fail(&g, 4000 + i);
	rules_pin_ok(&g);
	assert_int_equal(rules_pin_fail(&g, 4005), 0);
	assert_int_equal(g.n_fails, 1);
}

static void test_pin_clock_step_back(void **state)
{
	struct rules_pin_guard g;
	int i;

	(void)state;
	memset(&g, 0, sizeof(g));
	for (i = 0; i < 5; i++)
		rules_pin_fail(&g, 10000);
	assert_int_equal(rules_pin_locked(&g, 10000 - 5), 0);   /* 65 s left: void */
	assert_int_equal(rules_pin_locked(&g, 10000 - 0), 60);
	/* failures "from the future" are dropped, not counted */
	memset(&g, 0, sizeof(g));
	for (i = 0; i < 4; i++)
		rules_pin_fail(&g, 20000);
	assert_int_equal(rules_pin_fail(&g, 19000), 0);
	assert_int_equal(g.n_fails, 1);
	assert_int_equal(rules_pin_locked(NULL, 1), 0);
	assert_int_equal(rules_pin_fail(NULL, 1), 0);
}

/* A session across the autumn transition (25 Oct 2026, 03:00 CEST -> 02:00
 * CET) in Europe/Amsterdam: 01:30-03:30 local is 3 hours. */
static void test_dst_october_session(void **state)
{
	struct rules_session s[1];
	struct rules_decision d;
	int64_t start, end;
	char hm[TZ_HM_LEN];

	(void)state;
	assert_true(tz_from_local("Europe/Amsterdam", 2026, 10, 25, 1, 30, &start) >= 0);
	assert_true(tz_from_local("Europe/Amsterdam", 2026, 10, 25, 3, 30, &end) >= 0);
	assert_int_equal(end - start, 3 * H);
	s[0] = sess("night", start, end, RULES_KIND_GROUP, 0, "gastheer");
	d = decide(s, 1, start - 10 * M, RULES_LAST_NONE, 0, NULL);
	assert_int_equal(d.outcome, RULES_CHECK_IN);
	d = decide(s, 1, end + 5 * M, RULES_LAST_IN, start - 10 * M, "night");
	assert_int_equal(d.outcome, RULES_CHECK_OUT);
	assert_int_equal(d.worked_s, 3 * H + 15 * M);
	assert_int_equal(tz_format_hm("Europe/Amsterdam", start - 10 * M, hm, sizeof(hm)), 0);
	assert_string_equal(hm, "01:20");
	assert_int_equal(tz_format_hm("Europe/Amsterdam", end + 5 * M, hm, sizeof(hm)), 0);
	assert_string_equal(hm, "03:35");
	/* the repeat window across the hour that happens twice */
	d = decide(s, 1, start + 90 * M + 60, RULES_LAST_IN, start + 90 * M, "night");
	assert_int_equal(d.outcome, RULES_ALREADY);
}

/* A session across the spring transition (29 Mar 2026, 02:00 CET -> 03:00
 * CEST): 01:30-03:30 local is 1 hour. */
static void test_dst_march_session(void **state)
{
	struct rules_session s[1];
	struct rules_decision d;
	int64_t start, end;
	char hm[TZ_HM_LEN];

	(void)state;
	assert_true(tz_from_local("Europe/Amsterdam", 2026, 3, 29, 1, 30, &start) >= 0);
	assert_true(tz_from_local("Europe/Amsterdam", 2026, 3, 29, 3, 30, &end) >= 0);
	assert_int_equal(end - start, H);
	s[0] = sess("night", start, end, RULES_KIND_GROUP, 0, "coach");
	d = decide(s, 1, end, RULES_LAST_IN, start, "night");
	assert_int_equal(d.outcome, RULES_CHECK_OUT);
	assert_int_equal(d.worked_s, H);
	assert_int_equal(tz_format_hm("Europe/Amsterdam", start + 30 * M, hm, sizeof(hm)), 0);
	assert_string_equal(hm, "03:00");
	assert_int_equal(tz_format_hm("Europe/Amsterdam", start + 29 * M, hm, sizeof(hm)), 0);
	assert_string_equal(hm, "01:59");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_defaults, setup),
		cmocka_unit_test_setup(test_unknown_and_guest, setup),
		cmocka_unit_test_setup(test_window_edges, setup),
		cmocka_unit_test_setup(test_volunteer_role_preferred, setup),
		cmocka_unit_test_setup(test_two_roles_ask, setup),
		cmocka_unit_test_setup(test_choice_by_enrolment, setup),
		cmocka_unit_test_setup(test_drop_in_next, setup),
		cmocka_unit_test_setup(test_repeat_is_already, setup),
		cmocka_unit_test_setup(test_volunteer_checks_out, setup),
		cmocka_unit_test_setup(test_checkout_after_end, setup),
		cmocka_unit_test_setup(test_new_duty_beats_ended_checkin, setup),
		cmocka_unit_test_setup(test_overlap_participant_then_duty, setup),
		cmocka_unit_test_setup(test_overlap_volunteer_both, setup),
		cmocka_unit_test_setup(test_participant_already_or_checkout_all, setup),
		cmocka_unit_test_setup(test_participant_after_end_is_new_visit, setup),
		cmocka_unit_test_setup(test_checkin_again_after_checkout, setup),
		cmocka_unit_test_setup(test_drop_in_followups, setup),
		cmocka_unit_test_setup(test_stale_checkins, setup),
		cmocka_unit_test_setup(test_invalid_input, setup),
		cmocka_unit_test_setup(test_now_next, setup),
		cmocka_unit_test_setup(test_pin_lockout, setup),
		cmocka_unit_test_setup(test_pin_window_edge, setup),
		cmocka_unit_test_setup(test_pin_clock_step_back, setup),
		cmocka_unit_test_setup(test_dst_october_session, setup),
		cmocka_unit_test_setup(test_dst_march_session, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
