/* test_rules_again.c — the check-in rules (kiosk/rules.c) for a person who
 * tapped before: repeats within repeat_s, volunteers checking out, sessions
 * that ended or overlap, checkout_all, drop-in follow-ups and stale
 * check-ins (rule 6 of DESIGN.md and docs/RULES.md, and its edges).
 * Must not: use SDL, SQLite or the real clock. */
#include "rules_fixture.h"

/* Rule 6: within repeat_s of the last event: ALREADY, no event. */
static void test_repeat_is_already(void **state)
{
	const int64_t in_at = DAY + 13 * H + 52 * M;
	const struct rules_want rows[] = {
		{ in_at + 2 * M - 1, RULES_LAST_IN, in_at, "ws", RULES_ALREADY,
		  .check = WANT_KIND | WANT_AT | WANT_SESSION,
		  .already_kind = RULES_LAST_IN, .already_at = in_at, .session = 0 },
		/* a small step back of the clock is a repeat too */
		{ in_at - 30, RULES_LAST_IN, in_at, "ws", RULES_ALREADY },
		/* at exactly repeat_s the volunteer checks out */
		{ in_at + 2 * M, RULES_LAST_IN, in_at, "ws", RULES_CHECK_OUT,
		  .check = WANT_WORKED, .worked_s = 2 * M },
		/* a repeat right after a check-out: "already checked out at" */
		{ in_at + 60, RULES_LAST_OUT, in_at, "ws", RULES_ALREADY,
		  .check = WANT_KIND | WANT_AT,
		  .already_kind = RULES_LAST_OUT, .already_at = in_at },
	};
	const struct rules_want repeat5[] = {
		{ in_at + 4 * M, RULES_LAST_IN, in_at, "ws", RULES_ALREADY },
	};
	struct rules_session s[1];

	(void)state;
	s[0] = sess("ws", DAY + 14 * H, DAY + 16 * H, RULES_KIND_GROUP, 1, "catering");
	EXPECT_ROWS(s, 1, rows);
	/* configurable */
	cfg.repeat_s = 5 * M;
	EXPECT_ROWS(s, 1, repeat5);
}

/* Rule 6: later, a volunteer checks out with the seconds worked. */
static void test_volunteer_checks_out(void **state)
{
	static const struct rules_want rows[] = {
		{ DAY + 15 * H - 5 * M, RULES_LAST_IN, DAY + 12 * H + 45 * M, "ws",
		  RULES_CHECK_OUT, .check = WANT_SESSION | WANT_ROLE | WANT_WORKED,
		  .session = 0, .role = "rolmodel", .worked_s = 2 * H + 10 * M },
	};
	struct rules_session s[1];

	(void)state;
	s[0] = sess("ws", DAY + 13 * H, DAY + 15 * H, RULES_KIND_GROUP, 0, "rolmodel");
	EXPECT_ROWS(s, 1, rows);
}

/* Edge: the session ended while the volunteer was checked in; a tap after
 * the end (and no other duty) is still the check-out of that session. */
static void test_checkout_after_end(void **state)
{
	static const struct rules_want rows[] = {
		{ DAY + 15 * H + 40 * M, RULES_LAST_IN, DAY + 12 * H + 30 * M, "ws",
		  RULES_CHECK_OUT, .check = WANT_SESSION | WANT_ROLE | WANT_WORKED,
		  .session = 0, .role = "catering", .worked_s = 3 * H + 10 * M },
		/* still so when a session without a role for them has opened meanwhile */
		{ DAY + 18 * H + 45 * M, RULES_LAST_IN, DAY + 12 * H + 30 * M, "ws",
		  RULES_CHECK_OUT, .check = WANT_SESSION, .session = 0 },
	};
	struct rules_session s[2];

	(void)state;
	s[0] = sess("ws", DAY + 13 * H, DAY + 15 * H, RULES_KIND_GROUP, 0, "catering");
	s[1] = sess("evening", DAY + 19 * H, DAY + 21 * H, RULES_KIND_GROUP, 1, NULL);
	EXPECT_ROWS(s, 2, rows);
}

/* Edge: forgot to check out, comes back for a session with a role: the new
 * duty wins; the morning check-in stays open (no check-out invented). */
static void test_new_duty_beats_ended_checkin(void **state)
{
	static const struct rules_want rows[] = {
		{ DAY + 12 * H + 45 * M, RULES_LAST_IN, DAY + 9 * H, "am",
		  RULES_CHECK_IN, .check = WANT_SESSION | WANT_ROLE,
		  .session = 1, .role = "catering" },
		/* while "am" still runs, the tap is the check-out of "am" */
		{ DAY + 12 * H, RULES_LAST_IN, DAY + 9 * H, "am",
		  RULES_CHECK_OUT, .check = WANT_SESSION | WANT_WORKED,
		  .session = 0, .worked_s = 3 * H },
	};
	struct rules_session s[2];

	(void)state;
	s[0] = sess("am", DAY + 9 * H, DAY + 12 * H, RULES_KIND_GROUP, 0, "catering");
	s[1] = sess("pm", DAY + 13 * H, DAY + 16 * H, RULES_KIND_GROUP, 0, "catering");
	EXPECT_ROWS(s, 2, rows);
}

/* Edge: overlapping sessions, a participant in A with a role in B: the duty
 * in B beats the open participant check-in of A. */
static void test_overlap_participant_then_duty(void **state)
{
	static const struct rules_want rows[] = {
		{ DAY + 14 * H + 40 * M, RULES_LAST_IN, DAY + 13 * H, "A",
		  RULES_CHECK_IN, .check = WANT_SESSION | WANT_ROLE,
		  .session = 1, .role = "gastvrouw" },
		/* before B opens: already checked in at A */
		{ DAY + 14 * H, RULES_LAST_IN, DAY + 13 * H, "A",
		  RULES_ALREADY, .check = WANT_KIND | WANT_AT | WANT_SESSION,
		  .already_kind = RULES_LAST_IN, .already_at = DAY + 13 * H, .session = 0 },
	};
	struct rules_session s[2];

	(void)state;
	s[0] = sess("A", DAY + 13 * H, DAY + 15 * H, RULES_KIND_GROUP, 1, NULL);
	s[1] = sess("B", DAY + 15 * H, DAY + 17 * H, RULES_KIND_GROUP, 0, "gastvrouw");
	EXPECT_ROWS(s, 2, rows);
}

/* Edge: a volunteer in A (running) with a role in B too: the tap checks out of
 * A (they leave A); the next tap after repeat_s checks in to B. */
static void test_overlap_volunteer_both(void **state)
{
	static const struct rules_want rows[] = {
		{ DAY + 14 * H + 50 * M, RULES_LAST_IN, DAY + 13 * H, "A",
		  RULES_CHECK_OUT, .check = WANT_SESSION, .session = 0 },
		/* both roles in window */
		{ DAY + 14 * H + 53 * M, RULES_LAST_OUT, DAY + 14 * H + 50 * M, "A",
		  RULES_CHOOSE },
		{ DAY + 15 * H + 1, RULES_LAST_OUT, DAY + 14 * H + 50 * M, "A",
		  RULES_CHECK_IN, .check = WANT_SESSION, .session = 1 },
	};
	struct rules_session s[2];

	(void)state;
	s[0] = sess("A", DAY + 13 * H, DAY + 15 * H, RULES_KIND_GROUP, 0, "catering");
	s[1] = sess("B", DAY + 15 * H, DAY + 17 * H, RULES_KIND_GROUP, 0, "rolmodel");
	EXPECT_ROWS(s, 2, rows);
}

/* Rule 6: a participant tapping later is "already checked in at"; with
 * checkout_all they check out instead. */
static void test_participant_already_or_checkout_all(void **state)
{
	static const struct rules_want participant[] = {
		{ DAY + 14 * H, RULES_LAST_IN, DAY + 13 * H - 8 * M, "ws",
		  RULES_ALREADY, .check = WANT_KIND | WANT_AT,
		  .already_kind = RULES_LAST_IN, .already_at = DAY + 13 * H - 8 * M },
	};
	static const struct rules_want checkout_all[] = {
		{ DAY + 14 * H, RULES_LAST_IN, DAY + 13 * H - 8 * M, "ws",
		  RULES_CHECK_OUT, .check = WANT_SESSION | WANT_ROLE | WANT_WORKED,
		  .session = 0, .role = NULL, .worked_s = H + 8 * M },
	};
	struct rules_session s[1];

	(void)state;
	s[0] = sess("ws", DAY + 13 * H, DAY + 15 * H, RULES_KIND_GROUP, 1, NULL);
	EXPECT_ROWS(s, 1, participant);
	cfg.checkout_all = 1;
	EXPECT_ROWS(s, 1, checkout_all);
}

/* Edge: a participant's session is over: a new tap is a new visit. */
static void test_participant_after_end_is_new_visit(void **state)
{
	static const struct rules_want rows[] = {
		{ DAY + 12 * H, RULES_LAST_IN, DAY + 9 * H, "am",
		  RULES_DROP_IN, .check = WANT_NEXT, .next = 1 },
		{ DAY + 13 * H, RULES_LAST_IN, DAY + 9 * H, "am",
		  RULES_CHECK_IN, .check = WANT_SESSION, .session = 1 },
	};
	struct rules_session s[2];

	(void)state;
	s[0] = sess("am", DAY + 9 * H, DAY + 11 * H, RULES_KIND_GROUP, 1, NULL);
	s[1] = sess("pm", DAY + 13 * H, DAY + 15 * H, RULES_KIND_GROUP, 0, NULL);
	EXPECT_ROWS(s, 2, rows);
}

/* Rule 6: after a check-out (beyond repeat_s) a tap checks in again. */
static void test_checkin_again_after_checkout(void **state)
{
	static const struct rules_want rows[] = {
		{ DAY + 14 * H, RULES_LAST_OUT, DAY + 13 * H + 30 * M, "ws",
		  RULES_CHECK_IN, .check = WANT_SESSION | WANT_ROLE,
		  .session = 0, .role = "catering" },
	};
	struct rules_session s[1];

	(void)state;
	s[0] = sess("ws", DAY + 13 * H, DAY + 15 * H, RULES_KIND_GROUP, 0, "catering");
	EXPECT_ROWS(s, 1, rows);
}

/* Drop-ins: open drop-in is "already"; with checkout_all it checks out
 * (session -1); a session opening meanwhile takes the tap. */
static void test_drop_in_followups(void **state)
{
	static const struct rules_want participant[] = {
		{ DAY + 12 * H + 30 * M, RULES_LAST_IN, DAY + 12 * H, NULL,
		  RULES_ALREADY, .check = WANT_KIND | WANT_SESSION,
		  .already_kind = RULES_LAST_IN, .session = -1 },
	};
	static const struct rules_want checkout_all[] = {
		{ DAY + 12 * H + 30 * M, RULES_LAST_IN, DAY + 12 * H, NULL,
		  RULES_CHECK_OUT, .check = WANT_SESSION | WANT_ROLE | WANT_WORKED,
		  .session = -1, .role = NULL, .worked_s = 30 * M },
		{ DAY + 14 * H + 40 * M, RULES_LAST_IN, DAY + 12 * H, NULL,
		  RULES_CHECK_IN, .check = WANT_SESSION, .session = 0 },
	};
	struct rules_session s[1];

	(void)state;
	s[0] = sess("ws", DAY + 15 * H, DAY + 17 * H, RULES_KIND_GROUP, 0, NULL);
	EXPECT_ROWS(s, 1, participant);
	cfg.checkout_all = 1;
	EXPECT_ROWS(s, 1, checkout_all);
}

/* Stale check-ins: a session not among today's, or older than
 * RULES_OPEN_MAX_S, or from the future, does not make a check-out. */
static void test_stale_checkins(void **state)
{
	static const struct rules_want participant[] = {
		{ DAY + 14 * H, RULES_LAST_IN, DAY - 10 * H, "yesterday",
		  RULES_CHECK_IN, .check = WANT_SESSION, .session = 0 },
	};
	static const struct rules_want checkout_all[] = {
		{ DAY + 23 * H, RULES_LAST_IN, DAY + 23 * H - RULES_OPEN_MAX_S - 1, NULL,
		  RULES_DROP_IN },
		{ DAY + 23 * H, RULES_LAST_IN, DAY + 23 * H - RULES_OPEN_MAX_S, NULL,
		  RULES_CHECK_OUT, .check = WANT_WORKED, .worked_s = RULES_OPEN_MAX_S },
	};
	struct rules_session s[1];
	struct rules_decision d;

	(void)state;
	s[0] = sess("ws", DAY + 13 * H, DAY + 15 * H, RULES_KIND_GROUP, 0, "catering");
	EXPECT_ROWS(s, 1, participant);
	cfg.checkout_all = 1;
	EXPECT_ROWS(s, 1, checkout_all);
	d = decide(s, 1, DAY + 14 * H, RULES_LAST_IN, DAY + 16 * H, "ws");
	assert_int_equal(d.outcome, RULES_CHECK_IN);
	assert_true(d.worked_s >= 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
