/* rules_fixture.h — what the test_rules_*.c programs share: the config under
 * test (cfg, reset by setup), sess(), decide(), and rules_expect_rows, which
 * runs a table of taps against one list of sessions and checks the outcome
 * and each decision field the row names (WANT_* bits).
 * Must not: use SDL, SQLite or the real clock. */
#ifndef PRESENTIE_TEST_RULES_FIXTURE_H
#define PRESENTIE_TEST_RULES_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rules.h"

#define H   3600
#define M   60
/* 2026-05-12 00:00 UTC: an ordinary Tuesday, times below are offsets */
#define DAY INT64_C(1778544000)

#define WANT_CHOICES_MAX 4           /* choices a table row can list */

static struct rules_config cfg;

static inline int setup(void **state)
{
	(void)state;
	rules_config_default(&cfg);
	return 0;
}

static inline struct rules_session sess(const char *id, int64_t start, int64_t end,
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

/* rules_decide for a known person at now with last event (lk, lat, lsid);
 * asserts it returns 0. */
static inline struct rules_decision decide(const struct rules_session *s, size_t n,
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

/* Which fields of a struct rules_want a row checks besides the outcome. */
enum {
	WANT_SESSION = 1 << 0,
	WANT_ROLE    = 1 << 1,           /* with role NULL: d.role must be NULL */
	WANT_NEXT    = 1 << 2,
	WANT_WORKED  = 1 << 3,
	WANT_KIND    = 1 << 4,           /* already_kind */
	WANT_AT      = 1 << 5,           /* already_at */
	WANT_CHOICES = 1 << 6            /* n_choices and choices[] */
};

/* One tap and what rules_decide must answer. */
struct rules_want {
	int64_t now;
	enum rules_last_kind last;       /* the person's last event ... */
	int64_t last_at;                 /* ... its time ... */
	const char *last_sid;            /* ... and session id */
	enum rules_outcome outcome;      /* always checked */
	unsigned check;                  /* WANT_* bits */
	long session;
	const char *role;
	long next;
	int64_t worked_s;
	enum rules_last_kind already_kind;
	int64_t already_at;
	size_t n_choices;
	size_t choices[WANT_CHOICES_MAX];
};

static inline void want_eq(const char *test, size_t row, const char *field,
    int64_t got, int64_t want)
{
	if (got != want)
		fail_msg("%s, row %zu: %s is %lld, want %lld", test, row, field,
		    (long long)got, (long long)want);
}

/* Decide every row of w (nw rows) against sessions s[0..n) and check it;
 * test names the table in a failure message. */
static inline void rules_expect_rows(const char *test, const struct rules_session *s,
    size_t n, const struct rules_want *w, size_t nw)
{
	for (size_t i = 0; i < nw; i++, w++) {
		struct rules_decision d = decide(s, n, w->now, w->last, w->last_at,
		    w->last_sid);

		want_eq(test, i, "outcome", d.outcome, w->outcome);
		if (w->check & WANT_SESSION)
			want_eq(test, i, "session", d.session, w->session);
		if ((w->check & WANT_ROLE) && (w->role == NULL ? d.role != NULL :
		    d.role == NULL || strcmp(d.role, w->role) != 0))
			fail_msg("%s, row %zu: role is %s, want %s", test, i,
			    d.role ? d.role : "none", w->role ? w->role : "none");
		if (w->check & WANT_NEXT)
			want_eq(test, i, "next", d.next, w->next);
		if (w->check & WANT_WORKED)
			want_eq(test, i, "worked_s", d.worked_s, w->worked_s);
		if (w->check & WANT_KIND)
			want_eq(test, i, "already_kind", d.already_kind, w->already_kind);
		if (w->check & WANT_AT)
			want_eq(test, i, "already_at", d.already_at, w->already_at);
		if (w->check & WANT_CHOICES) {
			want_eq(test, i, "n_choices", (int64_t)d.n_choices,
			    (int64_t)w->n_choices);
			for (size_t c = 0; c < w->n_choices; c++)
				want_eq(test, i, "a choice", (int64_t)d.choices[c],
				    (int64_t)w->choices[c]);
		}
	}
}

#define EXPECT_ROWS(s, n, rows) \
	rules_expect_rows(__func__, (s), (n), (rows), sizeof(rows) / sizeof((rows)[0]))

#endif
