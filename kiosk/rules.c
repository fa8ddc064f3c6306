/* rules.c — the check-in rules of DESIGN.md (see rules.h and docs/RULES.md).
 * Owns: turning (person, today's sessions, last event, now) into one decision,
 * and the PIN lockout arithmetic. Must not: read the clock, allocate, log, or
 * touch SDL/SQLite; every decision depends only on its arguments. */
#include "rules.h"

#include <string.h>

/* Times outside [0, RULES_TIME_MAX] are rejected as input errors, so every
 * difference below fits an int64_t without overflow. 253402300799 is
 * 9999-12-31T23:59:59Z. */
#define RULES_TIME_MAX  INT64_C(253402300799)
/* Configured windows beyond a week are nonsense (and would risk overflow). */
#define RULES_CFG_MAX_S (7 * 24 * 60 * 60)

void rules_config_default(struct rules_config *cfg)
{
	if (cfg == NULL)
		return;
	cfg->early_s = RULES_EARLY_DEFAULT_S;
	cfg->repeat_s = RULES_REPEAT_S;
	cfg->checkout_all = 0;
}

static int time_ok(int64_t t)
{
	return t >= 0 && t <= RULES_TIME_MAX;
}

/* Whether session s is a candidate at now: start - early <= now <= end. */
static int in_window(const struct rules_session *s, int64_t early_s, int64_t now)
{
	return s->start - early_s <= now && now <= s->end;
}

static void decision_clear(struct rules_decision *out)
{
	memset(out, 0, sizeof(*out));
	out->outcome = RULES_UNKNOWN;
	out->session = -1;
	out->next = -1;
	out->already_kind = RULES_LAST_NONE;
}

static int input_valid(const struct rules_config *cfg, const struct rules_input *in)
{
	size_t i;

	if (cfg == NULL || in == NULL)
		return 0;
	if (cfg->early_s < 0 || cfg->early_s > RULES_CFG_MAX_S ||
	    cfg->repeat_s < 0 || cfg->repeat_s > RULES_CFG_MAX_S)
		return 0;
	if (in->n_sessions > RULES_MAX_CHOICES)
		return 0;
	if (in->n_sessions > 0 && in->sessions == NULL)
		return 0;
	if (!time_ok(in->now))
		return 0;
	for (i = 0; i < in->n_sessions; i++) {
		const struct rules_session *s = &in->sessions[i];
		if (!time_ok(s->start) || !time_ok(s->end) || s->end <= s->start)
			return 0;
	}
	if (in->last.kind != RULES_LAST_NONE && in->last.kind != RULES_LAST_IN &&
	    in->last.kind != RULES_LAST_OUT)
		return 0;
	if (in->last.kind != RULES_LAST_NONE && !time_ok(in->last.at))
		return 0;
	return 1;
}

/* Append the candidates matching want_role / want_enrolled (-1: any) to
 * out->choices in start order (ties by index). Returns how many. */
static size_t collect(const struct rules_config *cfg, const struct rules_input *in,
    int want_role, int want_enrolled, struct rules_decision *out)
{
	size_t i, j, n = 0;

	for (i = 0; i < in->n_sessions; i++) {
		const struct rules_session *s = &in->sessions[i];
		if (!in_window(s, cfg->early_s, in->now))
			continue;
		if (want_role >= 0 && (s->role != NULL) != want_role)
			continue;
		if (want_enrolled >= 0 && (s->enrolled != 0) != want_enrolled)
			continue;
		/* insertion sort by start; n <= RULES_MAX_CHOICES */
		j = n;
		while (j > 0 && in->sessions[out->choices[j - 1]].start > s->start) {
			out->choices[j] = out->choices[j - 1];
			j--;
		}
		out->choices[j] = i;
		n++;
	}
	out->n_choices = n;
	return n;
}

static void check_in(const struct rules_input *in, size_t i, struct rules_decision *out)
{
	out->outcome = RULES_CHECK_IN;
	out->session = (long)i;
	out->role = in->sessions[i].role;
	out->n_choices = 0;
}

/* The decision a tap makes when nothing earlier is in the way: the volunteer
 * session, else the only candidate, else the only enrolled one, else ask;
 * no candidate at all is a drop-in. */
static void decide_fresh(const struct rules_config *cfg, const struct rules_input *in,
    struct rules_decision *out)
{
	size_t n;

	n = collect(cfg, in, 1, -1, out);     /* sessions with a role for this person */
	if (n == 1) {
		check_in(in, out->choices[0], out);
		return;
	}
	if (n > 1) {
		out->outcome = RULES_CHOOSE;  /* volunteer in two overlapping sessions */
		return;
	}
	n = collect(cfg, in, -1, -1, out);
	if (n == 0) {
		out->outcome = RULES_DROP_IN;
		out->next = rules_session_next(in->sessions, in->n_sessions, in->now);
		return;
	}
	if (n == 1) {
		check_in(in, out->choices[0], out);
		return;
	}
	n = collect(cfg, in, -1, 1, out);
	if (n == 1) {
		check_in(in, out->choices[0], out);
		return;
	}
	if (n == 0)
		collect(cfg, in, -1, -1, out); /* enrolled in none: ask among all */
	out->outcome = RULES_CHOOSE;
}

/* Index of the session of the last check-in among today's sessions, -1 if
 * it is a drop-in (no session), -2 if the session is not today's (stale). */
static long last_session(const struct rules_input *in)
{
	size_t i;

	if (in->last.session_id == NULL)
		return -1;
	for (i = 0; i < in->n_sessions; i++) {
		const char *id = in->sessions[i].id;
		if (id != NULL && strcmp(id, in->last.session_id) == 0)
			return (long)i;
	}
	return -2;
}

int rules_decide(const struct rules_config *cfg, const struct rules_input *in,
    struct rules_decision *out)
{
	long l;
	int may_out;
	struct rules_decision fresh;

	if (out == NULL)
		return -1;
	decision_clear(out);
	if (!input_valid(cfg, in))
		return -1;

	if (!in->known) {
		out->session = rules_guest_session(cfg, in->sessions, in->n_sessions, in->now);
		out->guest_ok = out->session >= 0;
		return 0;
	}

	/* Rule 6a: a repeat within repeat_s of the last event, either way round
	 * (a clock step of a few seconds backwards must not produce a new event). */
	if (in->last.kind != RULES_LAST_NONE) {
		int64_t d = in->now - in->last.at;
		if (d < cfg->repeat_s && d > -cfg->repeat_s) {
			out->outcome = RULES_ALREADY;
			out->already_kind = in->last.kind;
			out->already_at = in->last.at;
			l = in->last.kind == RULES_LAST_IN ? last_session(in) : -1;
			out->session = l >= 0 ? l : -1;
			return 0;
		}
	}

	decision_clear(&fresh);
	decide_fresh(cfg, in, &fresh);

	/* Is there an open check-in? Only a check-in, not from the future, not
	 * older than RULES_OPEN_MAX_S, and of a session that is today's. */
	if (in->last.kind != RULES_LAST_IN || in->last.at > in->now ||
	    in->now - in->last.at > RULES_OPEN_MAX_S)
		goto fresh_out;
	l = last_session(in);
	if (l == -2)
		goto fresh_out;

	if (l == -1) {
		/* An open drop-in never stands in the way of a session. */
		if (fresh.outcome != RULES_DROP_IN)
			goto fresh_out;
		may_out = cfg->checkout_all;
	} else {
		const struct rules_session *s = &in->sessions[l];
		int l_running = in->now <= s->end;
		may_out = s->role != NULL || cfg->checkout_all;
		/* Volunteer duty elsewhere beats an open participant check-in, and
		 * once the session is over it beats the open check-in altogether. */
		if (fresh.outcome == RULES_CHECK_IN && fresh.session != l &&
		    fresh.role != NULL && (s->role == NULL || !l_running))
			goto fresh_out;
		/* A participant's session is over: this is a new visit. */
		if (!l_running && !may_out)
			goto fresh_out;
	}

	if (may_out) {
		out->outcome = RULES_CHECK_OUT;
		out->session = l;
		out->role = l >= 0 ? in->sessions[l].role : NULL;
		out->worked_s = in->now - in->last.at;
	} else {
		out->outcome = RULES_ALREADY;
		out->already_kind = RULES_LAST_IN;
		out->already_at = in->last.at;
		out->session = l;
	}
	return 0;

fresh_out:
	*out = fresh;
	return 0;
}

long rules_session_now(const struct rules_session *s, size_t n, int64_t now)
{
	long best = -1;
	size_t i;

	if (s == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i].start <= now && now < s[i].end &&
		    (best < 0 || s[i].start < s[best].start))
			best = (long)i;
	}
	return best;
}

long rules_session_next(const struct rules_session *s, size_t n, int64_t now)
{
	long best = -1;
	size_t i;

	if (s == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i].start > now && (best < 0 || s[i].start < s[best].start))
			best = (long)i;
	}
	return best;
}

long rules_guest_session(const struct rules_config *cfg,
    const struct rules_session *s, size_t n, int64_t now)
{
	int64_t early = cfg != NULL ? cfg->early_s : RULES_EARLY_DEFAULT_S;
	long best = -1;
	size_t i;

	if (s == NULL || !time_ok(now) || early < 0 || early > RULES_CFG_MAX_S)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i].kind != RULES_KIND_OPEN || !time_ok(s[i].start) ||
		    !time_ok(s[i].end) || !in_window(&s[i], early, now))
			continue;
		if (best < 0 || s[i].start < s[best].start)
			best = (long)i;
	}
	return best;
}

/* ---- PIN lockout ---------------------------------------------------------- */

int64_t rules_pin_locked(const struct rules_pin_guard *g, int64_t now)
{
	int64_t left;

	if (g == NULL)
		return 0;
	if (__builtin_sub_overflow(g->locked_until, now, &left) || left <= 0)
		return 0;
	/* More than a full lock left means the clock stepped back after the
	 * lock began: the lock cannot be measured any more, so it is void
	 * (rather than keeping the pad locked until the clock catches up). */
	return left > RULES_PIN_LOCK_S ? 0 : left;
}

int64_t rules_pin_fail(struct rules_pin_guard *g, int64_t now)
{
	size_t i, k = 0;
	int64_t left, age;

	if (g == NULL)
		return 0;
	left = rules_pin_locked(g, now);
	if (left > 0)
		return left;  /* the pad is locked; this try does not count */
	g->locked_until = 0;
	if (g->n_fails > RULES_PIN_MAX_FAILS)
		g->n_fails = RULES_PIN_MAX_FAILS;
	/* keep failures younger than the window (and none from the future) */
	for (i = 0; i < g->n_fails; i++) {
		if (__builtin_sub_overflow(now, g->fails[i], &age))
			continue;
		if (age >= 0 && age < RULES_PIN_WINDOW_S)
			g->fails[k++] = g->fails[i];
	}
	if (k == RULES_PIN_MAX_FAILS) {   /* only from a hand-made state */
		memmove(&g->fails[0], &g->fails[1], (k - 1) * sizeof(g->fails[0]));
		k--;
	}
	g->n_fails = k;
	g->fails[g->n_fails++] = now;
	if (g->n_fails < RULES_PIN_MAX_FAILS)
		return 0;
	g->n_fails = 0;
	if (__builtin_add_overflow(now, RULES_PIN_LOCK_S, &g->locked_until))
		g->locked_until = INT64_MAX;
	return RULES_PIN_LOCK_S;
}

int rules_pin_tries_left(const struct rules_pin_guard *g, int64_t now)
{
	size_t i, n, recent = 0;
	int64_t age;

	if (g == NULL)
		return RULES_PIN_MAX_FAILS;
	if (rules_pin_locked(g, now) > 0)
		return 0;
	n = g->n_fails > RULES_PIN_MAX_FAILS ? RULES_PIN_MAX_FAILS : g->n_fails;
	for (i = 0; i < n; i++)
		if (!__builtin_sub_overflow(now, g->fails[i], &age) && age >= 0 &&
		    age < RULES_PIN_WINDOW_S)
			recent++;
	return RULES_PIN_MAX_FAILS - (int)recent;
}

void rules_pin_ok(struct rules_pin_guard *g)
{
	if (g == NULL)
		return;
	g->n_fails = 0;
}
