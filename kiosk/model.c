/* model.c — fills the view from the store: location and clock, today's
 * sessions and volunteers, the week roster, headcounts and the status line.
 * Times are shown in the location's zone (tz.h, main thread only).
 * Must not: draw, decide what a tap means (flow.c), or write to the store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app_int.h"
#include "clockinfo.h"
#include "cred.h"
#include "store_meta.h"
#include "store_outbox.h"
#include "tz.h"

#define ROSTER_ROWS_MAX PR_ROSTER_MAX

int64_t app_now_s(void)
{
	struct clockinfo ci;

	clockinfo_now(&ci);
	return ci.wall_ms / 1000;
}

int64_t app_mono_ms(void)
{
	return clockinfo_mono_ms();
}

int64_t app_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void model_hm(const struct app *a, int64_t t, char *buf, size_t len)
{
	if (tz_format_hm(a->tz, t, buf, len) != 0 && len > 0)
		snprintf(buf, len, "--:--");
}

void model_init(struct app *a)
{
	char hex[2 * PR_ORG_KEY_BYTES + 8];

	if (store_meta_get(a->st, "location_name", a->v->location,
	    sizeof(a->v->location)) != 0)
		a->v->location[0] = '\0';
	if (store_meta_get(a->st, "location_tz", a->tz, sizeof(a->tz)) != 0 ||
	    !tz_valid(a->tz))
		snprintf(a->tz, sizeof(a->tz), "%s", TZ_DEFAULT_ZONE);
	if (store_meta_get(a->st, "device_id", a->v->device_id,
	    sizeof(a->v->device_id)) != 0)
		a->v->device_id[0] = '\0';
	a->have_key = store_meta_get(a->st, "org_key", hex, sizeof(hex)) == 0 &&
	    strlen(hex) == 2 * PR_ORG_KEY_BYTES &&
	    cred_unhex(hex, a->key, PR_ORG_KEY_BYTES) == 0;
	memset(hex, 0, sizeof(hex));
	if (!a->have_key)
		fprintf(stderr, "presentie-kiosk: the store has no organisation key "
		    "yet (enrol the device or use --demo): cards and PINs are not "
		    "recognised\n");
}

void model_clock(struct app *a)
{
	model_hm(a, app_now_s(), a->v->clock, sizeof(a->v->clock));
}

static void to_rules(const struct store_session *s, size_t n,
    struct rules_session *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		out[i].id = s[i].id;
		out[i].start = s[i].start;
		out[i].end = s[i].end;
		out[i].kind = (enum rules_session_kind)s[i].kind;
		out[i].enrolled = s[i].enrolled;
		out[i].role = s[i].role[0] ? s[i].role : NULL;
	}
}

void model_row(const struct app *a, const struct store_session *s,
    struct ui_session_row *row, int64_t now)
{
	memset(row, 0, sizeof(*row));
	snprintf(row->title, sizeof(row->title), "%s", s->title);
	snprintf(row->room, sizeof(row->room), "%s", s->room);
	model_hm(a, s->start, row->from, sizeof(row->from));
	model_hm(a, s->end, row->to, sizeof(row->to));
	row->state = now >= s->start && now < s->end ? UI_ROW_NOW
	    : now >= s->end ? UI_ROW_PAST : UI_ROW_LATER;
}

/* Add name to a ", "-separated list unless it is there already. Returns
 * 0 (added or there), or -1 if the list has no room for it (unchanged). */
static int add_name(char *list, size_t len, const char *name)
{
	size_t ln = strlen(list), nn = strlen(name);
	const char *p = list;

	while ((p = strstr(p, name)) != NULL) {
		if ((p == list || p[-1] == ' ') && (p[nn] == ',' || p[nn] == '\0'))
			return 0;
		p += nn;
	}
	if (ln + nn + 3 >= len)
		return -1;
	snprintf(list + ln, len - ln, "%s%s", ln ? ", " : "", name);
	return 0;
}

static int role_rank(const char *r)
{
	static const char *const order[] = { "catering", "rolmodel", "coach",
		"gastvrouw", "gastheer" };
	size_t i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (!strcmp(r, order[i]))
			return (int)i;
	return 100;
}


void model_today(struct app *a)
{
	struct store_session *s;
	struct store_assignment *as;
	struct rules_session rs[PR_SESSIONS_DAY_MAX];
	int64_t now = app_now_s(), d0, d1;
	size_t n = 0, na = 0, i, k;
	long inow, inext;
	struct ui_view *v = a->v;

	v->n_today = 0;
	v->n_roles = 0;
	s = calloc(PR_SESSIONS_DAY_MAX, sizeof(*s));
	as = calloc(PR_ROSTER_MAX, sizeof(*as));
	if (!s || !as || tz_day_bounds(a->tz, now, &d0, &d1) != 0)
		goto out;
	if (store_sessions_between(a->st, d0, d1, NULL, s, PR_SESSIONS_DAY_MAX,
	    &n) != 0)
		n = 0;
	to_rules(s, n, rs);
	inow = rules_session_now(rs, n, now);
	inext = rules_session_next(rs, n, now);
	for (i = 0; i < n; i++) {
		model_row(a, &s[i], &v->today[i], now);
		if ((long)i == inow)
			v->today[i].state = UI_ROW_NOW;
		else if ((long)i == inext)
			v->today[i].state = UI_ROW_NEXT;
	}
	v->n_today = n;
	if (store_roster_between(a->st, d0, d1, as, PR_ROSTER_MAX, &na) != 0)
		na = 0;
	for (i = 0; i < na; i++) {
		for (k = 0; k < v->n_roles; k++)
			if (strcmp(v->roles[k].role, as[i].role) == 0)
				break;
		if (k == v->n_roles) {
			if (k == UI_ROLES_MAX)
				continue;
			memset(&v->roles[k], 0, sizeof(v->roles[k]));
			snprintf(v->roles[k].role, sizeof(v->roles[k].role), "%s",
			    as[i].role);
			v->n_roles++;
		}
		if (add_name(v->roles[k].names, sizeof(v->roles[k].names),
		    as[i].first_name) != 0)
			v->roles[k].n_more++;    /* shown as "+N", not dropped unseen */
	}
	/* the order of the roster's columns (stable, few rows) */
	for (i = 1; i < v->n_roles; i++)
		for (k = i; k > 0 && role_rank(v->roles[k - 1].role) >
		    role_rank(v->roles[k].role); k--) {
			struct ui_role_row t = v->roles[k];
			v->roles[k] = v->roles[k - 1];
			v->roles[k - 1] = t;
		}
out:
	free(s);
	free(as);
}

/* "sync_last_ok" may be unix seconds, unix ms or ISO 8601 UTC. */
static void fmt_sync_time(const struct app *a, const char *val, char *out,
    size_t len)
{
	struct tm tm;
	char *end;
	long long n;

	out[0] = '\0';
	if (!val[0])
		return;
	n = strtoll(val, &end, 10);
	if (*end == '\0' && n > 0) {
		model_hm(a, n > 100000000000LL ? n / 1000 : n, out, len);
		return;
	}
	memset(&tm, 0, sizeof(tm));
	end = strptime(val, "%Y-%m-%dT%H:%M:%S", &tm);
	if (end) {
		model_hm(a, (int64_t)timegm(&tm), out, len);
		return;
	}
	snprintf(out, len, "?");
}

int model_status(struct app *a)
{
	struct ui_view *v = a->v, old;
	char val[128];
	int64_t n = -1;

	memcpy(old.last_sync, v->last_sync, sizeof(old.last_sync));
	old.pending = v->pending;
	old.sync_error = v->sync_error;
	if (store_pending_count(a->st, &n) != 0)
		n = -1;
	v->pending = (long)n;
	if (store_meta_get(a->st, "sync_last_ok", val, sizeof(val)) != 0)
		val[0] = '\0';
	fmt_sync_time(a, val, v->last_sync, sizeof(v->last_sync));
	if (store_meta_get(a->st, "sync_last_error", v->sync_error_text,
	    sizeof(v->sync_error_text)) != 0)
		v->sync_error_text[0] = '\0';
	v->sync_error = v->sync_error_text[0] != '\0';
	return old.pending != v->pending || old.sync_error != v->sync_error ||
	    strcmp(old.last_sync, v->last_sync) != 0;
}

/* The organisation's "newcomers may register" from meta "newcomers" (the
 * agent writes "yes"/"no" from every pull; absent: -1, not known). */
int model_newcomers(struct app *a)
{
	char val[8];
	int old = a->org_newcomers;

	if (store_meta_get(a->st, "newcomers", val, sizeof(val)) != 0)
		a->org_newcomers = -1;
	else
		a->org_newcomers = !strcmp(val, "yes") ? 1 : !strcmp(val, "no") ? 0 : -1;
	return old != a->org_newcomers;
}

/* A pending card link from meta "card_link" ("EXPIRES_S PERSON_ID", written
 * by the agent); one already used here ("card_link_used") or expired, or for
 * a person this kiosk does not know, is none. */
int model_card_link(struct app *a)
{
	char val[sizeof(a->card_link)], used[sizeof(a->card_link)], id[PR_ID_MAX];
	struct store_person p;
	char *end = NULL;
	long long until = 0;
	int changed;

	memset(&p, 0, sizeof(p));
	id[0] = '\0';
	if (store_meta_get(a->st, "card_link", val, sizeof(val)) != 0)
		val[0] = '\0';
	if (store_meta_get(a->st, "card_link_used", used, sizeof(used)) != 0)
		used[0] = '\0';
	if (val[0] && strcmp(val, used) != 0) {
		until = strtoll(val, &end, 10);
		if (end == val || *end != ' ' || until <= app_now_s() ||
		    snprintf(id, sizeof(id), "%s", end + 1) >= (int)sizeof(id) ||
		    store_person_get(a->st, id, &p) != 0)
			id[0] = '\0';
	}
	changed = strcmp(id, a->card_link_id) != 0 ||
	    (id[0] && strcmp(p.first_name, a->v->link_first) != 0);
	if (id[0]) {
		snprintf(a->card_link, sizeof(a->card_link), "%s", val);
		snprintf(a->card_link_id, sizeof(a->card_link_id), "%s", id);
		snprintf(a->v->link_first, sizeof(a->v->link_first), "%s", p.first_name);
		a->card_link_until = until;
	} else {
		a->card_link[0] = a->card_link_id[0] = a->v->link_first[0] = '\0';
		a->card_link_until = 0;
	}
	if (changed && a->trace) {
		printf("card link %s\n", id[0] ? id : "none");
		fflush(stdout);
	}
	return changed;
}

void model_roster(struct app *a)
{
	struct ui_view *v = a->v;
	struct store_session *s = NULL;
	struct store_assignment *as = NULL;
	int64_t now = app_now_s(), d0, d1, w0, w1;
	size_t n = 0, na = 0, i, k, c;
	struct tm tm;
	int back;

	v->n_roster = 0;
	v->n_roster_roles = 0;
	if (tz_local(a->tz, now, &tm) != 0 || tz_day_bounds(a->tz, now, &d0, &d1))
		return;
	/* back to Monday, one local day at a time (DST-safe) */
	w0 = d0;
	for (back = (tm.tm_wday + 6) % 7; back > 0; back--)
		if (tz_day_bounds(a->tz, w0 - 1, &w0, &d1) != 0)
			return;
	w1 = w0;
	for (k = 0; k < 7; k++)
		if (tz_day_bounds(a->tz, w1, &d0, &w1) != 0)
			return;
	s = calloc(ROSTER_ROWS_MAX, sizeof(*s));
	as = calloc(PR_ROSTER_MAX, sizeof(*as));
	if (!s || !as)
		goto out;
	if (store_sessions_between(a->st, w0, w1, NULL, s, ROSTER_ROWS_MAX, &n) ||
	    store_roster_between(a->st, w0, w1, as, PR_ROSTER_MAX, &na))
		goto out;
	/* columns: roles present, in a fixed order */
	for (i = 0; i < na; i++) {
		for (c = 0; c < v->n_roster_roles; c++)
			if (!strcmp(v->roster_roles[c], as[i].role))
				break;
		if (c == v->n_roster_roles && c < UI_ROLES_MAX) {
			for (k = c; k > 0 && role_rank(v->roster_roles[k - 1]) >
			    role_rank(as[i].role); k--)
				memcpy(v->roster_roles[k], v->roster_roles[k - 1],
				    sizeof(v->roster_roles[k]));
			snprintf(v->roster_roles[k], sizeof(v->roster_roles[k]), "%s",
			    as[i].role);
			v->n_roster_roles++;
		}
	}
	/* rows: sessions with at least one assignment */
	for (i = 0; i < n && v->n_roster < UI_ROSTER_ROWS; i++) {
		struct ui_session_row *r = &v->roster[v->n_roster];
		int any = 0;
		model_row(a, &s[i], r, now);
		if (tz_local(a->tz, s[i].start, &tm) == 0) {
			r->wday = tm.tm_wday;
			r->mday = tm.tm_mday;
		}
		for (k = 0; k < na; k++) {
			if (strcmp(as[k].session_id, s[i].id) != 0)
				continue;
			for (c = 0; c < v->n_roster_roles; c++)
				if (!strcmp(v->roster_roles[c], as[k].role))
					break;
			if (c == v->n_roster_roles)
				continue;
			add_name(r->cells[c], sizeof(r->cells[c]), as[k].first_name);
			any = 1;
		}
		if (any)
			v->n_roster++;
	}
out:
	free(s);
	free(as);
}

void model_headcount(struct app *a)
{
	struct store_session *s;
	int64_t now = app_now_s(), d0, d1;
	size_t n = 0, i;

	s = calloc(PR_SESSIONS_DAY_MAX, sizeof(*s));
	if (!s)
		return;
	if (tz_day_bounds(a->tz, now, &d0, &d1) == 0 &&
	    store_sessions_between(a->st, d0, d1, NULL, s, PR_SESSIONS_DAY_MAX,
	    &n) == 0) {
		for (i = 0; i < n && i < PR_SESSIONS_DAY_MAX; i++) {
			int cnt = 0;
			model_row(a, &s[i], &a->v->today[i], now);
			if (store_headcount(a->st, s[i].id, &cnt) != 0)
				cnt = 0;
			a->v->today[i].count = cnt;
		}
		a->v->n_today = n;
	}
	free(s);
}
