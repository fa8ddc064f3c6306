/* test_rules_checkin.c — the check-in rules (kiosk/rules.c) for a first
 * tap: unknown credentials and guests, the window, roles before enrolment,
 * choosing, drop-ins, the "now"/"next" sessions, and invalid input (rules
 * 1-5 of DESIGN.md and docs/RULES.md).
 * Must not: use SDL, SQLite or the real clock. */
#include "rules_fixture.h"

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
	static const struct rules_want deflt[] = {
		{ .now = DAY + 13 * H - 30 * M, .outcome = RULES_CHECK_IN,
		  .check = WANT_SESSION | WANT_ROLE, .session = 0, .role = NULL },
		{ .now = DAY + 13 * H - 30 * M - 1, .outcome = RULES_DROP_IN,
		  .check = WANT_NEXT, .next = 0 },
		{ .now = DAY + 15 * H, .outcome = RULES_CHECK_IN },
		{ .now = DAY + 15 * H + 1, .outcome = RULES_DROP_IN,
		  .check = WANT_NEXT, .next = -1 },
	};
	static const struct rules_want early10[] = {
		{ .now = DAY + 13 * H - 11 * M, .outcome = RULES_DROP_IN,
		  .check = WANT_NEXT, .next = 0 },
		{ .now = DAY + 13 * H - 10 * M, .outcome = RULES_CHECK_IN },
	};
	struct rules_session s[1];

	(void)state;
	s[0] = sess("ws", DAY + 13 * H, DAY + 15 * H, RULES_KIND_GROUP, 1, NULL);
	EXPECT_ROWS(s, 1, deflt);
	cfg.early_s = 10 * M;
	EXPECT_ROWS(s, 1, early10);
}

/* Rule 3: a role makes it a volunteer check-in and wins over enrolment. */
static void test_volunteer_role_preferred(void **state)
{
	static const struct rules_want role_wins[] = {
		{ .now = DAY + 13 * H, .outcome = RULES_CHECK_IN,
		  .check = WANT_SESSION | WANT_ROLE, .session = 1, .role = "catering" },
	};
	static const struct rules_want role_later[] = {
		{ .now = DAY + 13 * H, .outcome = RULES_CHECK_IN,
		  .check = WANT_SESSION | WANT_ROLE, .session = 0, .role = NULL },
	};
	struct rules_session s[2];

	(void)state;
	s[0] = sess("ws-a", DAY + 13 * H, DAY + 15 * H, RULES_KIND_GROUP, 1, NULL);
	s[1] = sess("ws-b", DAY + 13 * H, DAY + 16 * H, RULES_KIND_GROUP, 0, "catering");
	EXPECT_ROWS(s, 2, role_wins);

	/* a role in a session not yet in its window does not count */
	s[1] = sess("ws-b", DAY + 15 * H, DAY + 16 * H, RULES_KIND_GROUP, 0, "catering");
	EXPECT_ROWS(s, 2, role_later);
}

/* Rule 3, edge: roles in two overlapping sessions: ask, among those two only. */
static void test_two_roles_ask(void **state)
{
	static const struct rules_want rows[] = {
		{ .now = DAY + 14 * H, .outcome = RULES_CHOOSE,
		  .check = WANT_CHOICES | WANT_SESSION, .n_choices = 2,
		  .choices = { 2, 0 }, .session = -1 },  /* start order */
	};
	struct rules_session s[3];

	(void)state;
	s[0] = sess("late", DAY + 14 * H, DAY + 16 * H, RULES_KIND_GROUP, 0, "rolmodel");
	s[1] = sess("plain", DAY + 13 * H, DAY + 16 * H, RULES_KIND_GROUP, 1, NULL);
	s[2] = sess("early", DAY + 13 * H, DAY + 15 * H, RULES_KIND_GROUP, 0, "catering");
	EXPECT_ROWS(s, 3, rows);
}

/* Rule 4: one candidate; several -> the enrolled one; else ask. */
static void test_choice_by_enrolment(void **state)
{
	static const struct rules_want only[] = {
		{ .now = DAY + 15 * H, .outcome = RULES_CHECK_IN,
		  .check = WANT_SESSION, .session = 0 },
	};
	static const struct rules_want enrolled_one[] = {
		{ .now = DAY + 14 * H, .outcome = RULES_CHECK_IN,
		  .check = WANT_SESSION, .session = 1 },
	};
	static const struct rules_want enrolled_two[] = {
		{ .now = DAY + 14 * H, .outcome = RULES_CHOOSE,
		  .check = WANT_CHOICES, .n_choices = 2, .choices = { 1, 0 } },
	};
	static const struct rules_want enrolled_none[] = {
		{ .now = DAY + 14 * H, .outcome = RULES_CHOOSE,
		  .check = WANT_CHOICES, .n_choices = 3, .choices = { 1, 2, 0 } },
	};
	struct rules_session s[3];

	(void)state;
	s[0] = sess("a", DAY + 14 * H, DAY + 16 * H, RULES_KIND_GROUP, 0, NULL);
	s[1] = sess("b", DAY + 13 * H, DAY + 16 * H, RULES_KIND_GROUP, 1, NULL);
	s[2] = sess("c", DAY + 13 * H + 30 * M, DAY + 15 * H, RULES_KIND_OPEN, 0, NULL);
	/* not enrolled in the only candidate: still checked in */
	EXPECT_ROWS(s, 1, only);
	EXPECT_ROWS(s, 3, enrolled_one);

	/* enrolled in two: ask between those two, in start order */
	s[0].enrolled = 1;
	EXPECT_ROWS(s, 3, enrolled_two);

	/* enrolled in none: ask among all three, in start order */
	s[0].enrolled = 0;
	s[1].enrolled = 0;
	EXPECT_ROWS(s, 3, enrolled_none);
}

/* Rule 5: no candidate -> drop-in with the next session of today. */
static void test_drop_in_next(void **state)
{
	static const struct rules_want rows[] = {
		{ .now = DAY + 12 * H, .outcome = RULES_DROP_IN,
		  .check = WANT_SESSION | WANT_NEXT, .session = -1, .next = 2 },
		{ .now = DAY + 22 * H, .outcome = RULES_DROP_IN,
		  .check = WANT_NEXT, .next = -1 },
	};
	static const struct rules_want no_sessions[] = {
		{ .now = DAY + 12 * H, .outcome = RULES_DROP_IN,
		  .check = WANT_NEXT, .next = -1 },
	};
	struct rules_session s[3];

	(void)state;
	s[0] = sess("late", DAY + 19 * H, DAY + 21 * H, RULES_KIND_OPEN, 0, NULL);
	s[1] = sess("morning", DAY + 9 * H, DAY + 11 * H, RULES_KIND_GROUP, 1, NULL);
	s[2] = sess("afternoon", DAY + 15 * H, DAY + 17 * H, RULES_KIND_GROUP, 1, NULL);
	EXPECT_ROWS(s, 3, rows);
	EXPECT_ROWS(NULL, 0, no_sessions);
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
		cmocka_unit_test_setup(test_invalid_input, setup),
		cmocka_unit_test_setup(test_now_next, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
