/* flow.c — what a tap, a PIN or a touch does: look the credential up,
 * ask the rules, record the event, and only after the store committed it
 * show the confirmation. Also the screens' timeouts (coordinator mode is
 * coord.c, a newcomer's registration newcomer.c).
 * Must not: draw, or show a confirmation for an event that was not stored. */
#include <stdio.h>
#include <string.h>

#include "app_int.h"
#include "clockinfo.h"
#include "cred.h"
#include "i18n.h"
#include "reader.h"
#include "sound.h"
#include "store_meta.h"
#include "tz.h"

static const char *const screen_names[UI_SCREEN_COUNT] = {
	"home", "welcome", "pin", "choose", "already", "checkout", "unknown",
	"guest", "roster", "coordinator", "message", "newcomer"
};

void flow_go(struct app *a, enum ui_screen s)
{
	int64_t now = app_mono_ms();
	int secs = 0;

	a->read_from = 0;
	a->v->screen = s;
	a->dirty = 1;
	switch (s) {
	case UI_HOME:
		/* a language chosen by hand is for one person: it goes after a
		 * short idle (flow_deadlines) */
		if (strcmp(a->v->home_lang, a->cf->lang) != 0)
			secs = a->cf->lang_idle_s;
		break;
	case UI_WELCOME:
	case UI_ALREADY:
	case UI_CHECKOUT:
		secs = a->cf->welcome_s;
		a->read_from = now;   /* render() lengthens it to the words' need */
		break;
	case UI_UNKNOWN:
	case UI_MESSAGE:
		secs = APP_UNKNOWN_S;
		a->read_from = now;
		break;
	case UI_COORD:
		a->coord_idle_at = now + (int64_t)a->cf->coord_idle_s * 1000;
		break;
	default:
		secs = APP_IDLE_HOME_S;
		break;
	}
	a->home_at = secs ? now + (int64_t)secs * 1000 : 0;
	if (s != UI_COORD)
		a->coord_idle_at = 0;
	if (a->trace) {
		printf("screen %s\n", screen_names[s]);
		fflush(stdout);
	}
}

/* Back to the kiosk's own language (kconf lang) for the next person. */
static void lang_reset(struct app *a)
{
	snprintf(a->v->home_lang, sizeof(a->v->home_lang), "%s", a->cf->lang);
}

void flow_home(struct app *a)
{
	struct ui_view *v = a->v;

	switch (v->screen) {
	case UI_WELCOME:     /* after an outcome, the next person comes */
	case UI_ALREADY:
	case UI_CHECKOUT:
	case UI_UNKNOWN:
	case UI_MESSAGE:
		lang_reset(a);
		break;
	default:
		break;
	}

	memset(a->pin, 0, sizeof(a->pin));
	v->pin_len = 0;
	v->pin_wrong = 0;
	v->first_name[0] = v->session[0] = v->room[0] = v->role[0] = '\0';
	v->search[0] = '\0';
	v->n_found = 0;
	v->card_hex[0] = '\0';
	v->newcomer = 0;
	v->new_name[0] = v->new_initial = '\0';
	a->have_new_mac = 0;
	memset(a->new_mac, 0, sizeof(a->new_mac));
	snprintf(v->lang, sizeof(v->lang), "%s", v->home_lang);
	model_today(a);
	newcomer_offer(a);
	flow_go(a, UI_HOME);
}

/* Record one event; 0 only once it is committed (synchronous=FULL). */
int flow_record(struct app *a, const char *kind, const char *person,
    const char *session, const char *role, const char *payload)
{
	struct store_event_in ev;
	struct store_event_out out;
	struct clockinfo ci;

	clockinfo_now(&ci);
	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.person_id = person;
	ev.session_id = session && session[0] ? session : NULL;
	ev.role = role && role[0] ? role : NULL;
	ev.payload_json = payload;
	ev.wall_ms = ci.wall_ms;
	if (store_event_append(a->st, &ev, &out) != 0) {
		fprintf(stderr, "presentie-kiosk: could not record %s event: %s\n", kind,
		    store_errmsg(a->st));
		return -1;
	}
	printf("event %s seq=%lld confirmed\n", kind, (long long)out.seq);
	fflush(stdout);
	model_status(a);
	return 0;
}

void flow_not_saved(struct app *a, enum ui_message m)
{
	a->v->message = m;
	flow_go(a, UI_MESSAGE);
}

void flow_person_lang(struct app *a, const struct store_person *p)
{
	snprintf(a->v->lang, sizeof(a->v->lang), "%s",
	    i18n_lang_index(p->lang) >= 0 ? p->lang : a->v->home_lang);
	snprintf(a->v->first_name, sizeof(a->v->first_name), "%s", p->first_name);
}

static void set_session(struct app *a, const struct store_session *s)
{
	snprintf(a->v->session, sizeof(a->v->session), "%s", s ? s->title : "");
	snprintf(a->v->room, sizeof(a->v->room), "%s", s ? s->room : "");
}

/* A committed event: chime and show it (sound_chime only wakes the sound
 * thread, which plays while this thread draws the frame). */
void flow_confirmed(struct app *a, enum ui_screen s)
{
	sound_chime(a->snd, app_mono_ns());
	flow_go(a, s);
}

static void check_in(struct app *a, size_t i, const char *role)
{
	const struct store_session *s = &a->sess[i];

	if (flow_record(a, STORE_EV_CHECK_IN, a->person.id, s->id, role, NULL) != 0) {
		flow_not_saved(a, UI_MSG_NOT_SAVED);
		return;
	}
	a->v->guest = a->v->dropin = 0;
	set_session(a, s);
	snprintf(a->v->role, sizeof(a->v->role), "%s", role ? role : "");
	flow_confirmed(a, UI_WELCOME);
}

static int load_sessions(struct app *a, const char *person_id, int64_t now)
{
	int64_t d0, d1;

	a->n_sess = 0;
	if (tz_day_bounds(a->tz, now, &d0, &d1) != 0 ||
	    store_sessions_between(a->st, d0, d1, person_id, a->sess,
	    PR_SESSIONS_DAY_MAX, &a->n_sess) != 0)
		return -1;
	return 0;
}

static void tap_person(struct app *a, const struct store_person *p)
{
	struct rules_session rs[PR_SESSIONS_DAY_MAX];
	struct rules_input in;
	struct rules_decision d;
	char last_sess[PR_ID_MAX];
	int64_t now = app_now_s(), at = 0;
	int kind = 0;
	size_t i;

	if (p->is_coordinator) {
		coord_open(a, p);
		return;
	}
	a->person = *p;
	flow_person_lang(a, p);
	memset(&in, 0, sizeof(in));
	if (load_sessions(a, p->id, now) != 0 ||
	    store_last_check(a->st, p->id, now - APP_LOOKBACK_S, now + APP_PEER_AHEAD_S,
	    &kind, &at, last_sess, sizeof(last_sess)) != 0) {
		flow_not_saved(a, UI_MSG_NOT_SAVED);
		return;
	}
	for (i = 0; i < a->n_sess; i++) {
		rs[i].id = a->sess[i].id;
		rs[i].start = a->sess[i].start;
		rs[i].end = a->sess[i].end;
		rs[i].kind = (enum rules_session_kind)a->sess[i].kind;
		rs[i].enrolled = a->sess[i].enrolled;
		rs[i].role = a->sess[i].role[0] ? a->sess[i].role : NULL;
	}
	in.known = 1;
	in.now = now;
	in.sessions = rs;
	in.n_sessions = a->n_sess;
	in.last.kind = (enum rules_last_kind)kind;
	in.last.at = at;
	in.last.session_id = last_sess[0] ? last_sess : NULL;
	if (rules_decide(&a->rc, &in, &d) != 0) {
		flow_not_saved(a, UI_MSG_NOT_SAVED);
		return;
	}
	a->v->role[0] = '\0';
	switch (d.outcome) {
	case RULES_CHECK_IN:
		check_in(a, (size_t)d.session, d.role);
		break;
	case RULES_CHECK_OUT: {
		const struct store_session *s = d.session >= 0 ? &a->sess[d.session]
		    : NULL;
		if (flow_record(a, STORE_EV_CHECK_OUT, p->id, s ? s->id : NULL, d.role,
		    NULL) != 0) {
			flow_not_saved(a, UI_MSG_NOT_SAVED);
			return;
		}
		set_session(a, s);
		snprintf(a->v->role, sizeof(a->v->role), "%s", d.role ? d.role : "");
		{
			/* h:mm, floored, capped at 99:59 (the rules close open
			 * check-ins after RULES_OPEN_MAX_S anyway) */
			int64_t w = d.worked_s < 0 ? 0 : d.worked_s;
			int h = w / 3600 > 99 ? 99 : (int)(w / 3600);
			int m = w / 3600 > 99 ? 59 : (int)(w % 3600 / 60);
			snprintf(a->v->worked, sizeof(a->v->worked), "%d:%02d", h, m);
			a->v->worked_min = h * 60 + m;
		}
		flow_confirmed(a, UI_CHECKOUT);
		break;
	}
	case RULES_ALREADY:
		model_hm(a, d.already_at, a->v->at, sizeof(a->v->at));
		a->v->already_out = d.already_kind == RULES_LAST_OUT;
		set_session(a, d.session >= 0 ? &a->sess[d.session] : NULL);
		flow_go(a, UI_ALREADY);
		break;
	case RULES_CHOOSE:
		a->v->n_choices = 0;
		for (i = 0; i < d.n_choices && i < PR_SESSIONS_DAY_MAX; i++) {
			a->choice_idx[i] = d.choices[i];
			model_row(a, &a->sess[d.choices[i]], &a->v->choices[i], now);
			a->v->n_choices++;
		}
		flow_go(a, UI_CHOOSE);
		break;
	case RULES_DROP_IN:
		if (flow_record(a, STORE_EV_DROP_IN, p->id, NULL, NULL, NULL) != 0) {
			flow_not_saved(a, UI_MSG_NOT_SAVED);
			return;
		}
		set_session(a, NULL);
		a->v->guest = 0;
		a->v->dropin = 1;
		a->v->next_at[0] = a->v->next_title[0] = '\0';
		if (d.next >= 0) {
			model_hm(a, a->sess[d.next].start, a->v->next_at,
			    sizeof(a->v->next_at));
			snprintf(a->v->next_title, sizeof(a->v->next_title), "%s",
			    a->sess[d.next].title);
		}
		flow_confirmed(a, UI_WELCOME);
		break;
	case RULES_UNKNOWN:
	default:
		flow_not_saved(a, UI_MSG_NOT_SAVED);
		break;
	}
}

int flow_open_session(struct app *a)
{
	struct rules_session rs[PR_SESSIONS_DAY_MAX];
	int64_t now = app_now_s();
	long g = -1;
	size_t i;

	a->guest_session[0] = '\0';
	if (load_sessions(a, NULL, now) == 0) {
		for (i = 0; i < a->n_sess; i++) {
			memset(&rs[i], 0, sizeof(rs[i]));
			rs[i].id = a->sess[i].id;
			rs[i].start = a->sess[i].start;
			rs[i].end = a->sess[i].end;
			rs[i].kind = (enum rules_session_kind)a->sess[i].kind;
		}
		g = rules_guest_session(&a->rc, rs, a->n_sess, now);
	}
	if (g < 0)
		return 0;
	snprintf(a->guest_session, sizeof(a->guest_session), "%s", a->sess[g].id);
	set_session(a, &a->sess[g]);
	return 1;
}

static void unknown(struct app *a, int random_uid)
{
	snprintf(a->v->lang, sizeof(a->v->lang), "%s", a->v->home_lang);
	a->v->random_uid = random_uid;
	a->guest_session[0] = '\0';
	a->v->guest_ok = !random_uid && flow_open_session(a);
	a->v->newcomer_ok = a->v->guest_ok && newcomer_allowed(a);
	flow_go(a, UI_UNKNOWN);
}

/* A card nobody has while a link from the dashboard is pending: it becomes
 * that person's card (the same event as coordinator mode), and the link is
 * used up here even if the agent writes it again before the hub has seen
 * the event. */
static void link_pending(struct app *a, const uint8_t mac[PR_MAC_BYTES])
{
	char hex[PR_MAC_HEX], payload[PR_MAC_HEX + 64];
	struct store_person p;

	if (store_person_get(a->st, a->card_link_id, &p) != 0) {
		flow_not_saved(a, UI_MSG_LINK_FAILED);
		return;
	}
	cred_hex(mac, PR_MAC_BYTES, hex);
	snprintf(payload, sizeof(payload), "{\"kind\":\"card\",\"mac\":\"%s\"}",
	    hex);
	if (flow_record(a, STORE_EV_CARD_LINK, p.id, NULL, NULL, payload) != 0) {
		flow_not_saved(a, UI_MSG_LINK_FAILED);
		return;
	}
	if (store_meta_set(a->st, "card_link_used", a->card_link) != 0 ||
	    store_meta_set(a->st, "card_link", "") != 0)
		fprintf(stderr, "presentie-kiosk: could not clear the card link\n");
	model_card_link(a);
	flow_person_lang(a, &p);
	a->v->message = UI_MSG_CARD_LINKED;
	flow_confirmed(a, UI_MESSAGE);
}

void flow_card(struct app *a, const uint8_t mac[PR_MAC_BYTES], int status)
{
	struct store_person p;
	int rc;

	if (coord_card(a, mac, status))
		return;
	if (status == READER_CARD_RANDOM) {
		unknown(a, 1);
		return;
	}
	if (status != READER_CARD_OK) {
		snprintf(a->v->lang, sizeof(a->v->lang), "%s", a->v->home_lang);
		flow_not_saved(a, UI_MSG_CARD_UNREADABLE);
		return;
	}
	rc = store_person_by_mac(a->st, STORE_CRED_CARD, mac, &p);
	if (rc == 1 && a->card_link_id[0] && app_now_s() < a->card_link_until)
		link_pending(a, mac);
	else if (rc == 0)
		tap_person(a, &p);
	else if (rc == 1) {
		memcpy(a->new_mac, mac, sizeof(a->new_mac));   /* for "I am new" */
		a->have_new_mac = 1;
		unknown(a, 0);
	}
	else
		flow_not_saved(a, UI_MSG_NOT_SAVED);
}

static void pin_submit(struct app *a)
{
	struct store_person p;
	uint8_t mac[PR_MAC_BYTES];
	int64_t now = app_now_s();
	int rc = 1;

	if (rules_pin_locked(&a->guard, now) > 0)
		return;
	if (a->have_key && strlen(a->pin) >= PR_PIN_MIN_DIGITS &&
	    cred_mac_pin(a->key, a->pin, mac) == 0)
		rc = store_person_by_mac(a->st, STORE_CRED_PIN, mac, &p);
	memset(a->pin, 0, sizeof(a->pin));
	memset(mac, 0, sizeof(mac));
	a->v->pin_len = 0;
	if (rc == 0) {
		rules_pin_ok(&a->guard);
		a->v->pin_wrong = 0;
		tap_person(a, &p);
		return;
	}
	if (rc < 0) {
		flow_not_saved(a, UI_MSG_NOT_SAVED);
		return;
	}
	a->v->pin_wrong = 1;
	a->v->lock_left = (long)rules_pin_fail(&a->guard, now);
	a->v->pin_tries_left = rules_pin_tries_left(&a->guard, now);
	if (a->v->lock_left > 0 && a->trace) {
		printf("pin locked %ld s\n", a->v->lock_left);
		fflush(stdout);
	}
	flow_go(a, UI_PIN);
}

void flow_pin_text(struct app *a, const char *digits)
{
	if (a->v->screen != UI_PIN)
		flow_action(a, UI_ACT_PIN, 0);
	for (; *digits; digits++)
		flow_action(a, UI_ACT_DIGIT, *digits - '0');
	flow_action(a, UI_ACT_PIN_OK, 0);
}

void flow_action(struct app *a, int action, int arg)
{
	struct ui_view *v = a->v;
	size_t len;

	if (newcomer_action(a, action, arg) || coord_action(a, action, arg))
		return;
	switch (action) {
	case UI_ACT_HOME:
		flow_home(a);
		break;
	case UI_ACT_PIN:
		memset(a->pin, 0, sizeof(a->pin));
		v->pin_len = 0;
		v->pin_wrong = 0;
		v->lock_left = (long)rules_pin_locked(&a->guard, app_now_s());
		snprintf(v->lang, sizeof(v->lang), "%s", v->home_lang);
		flow_go(a, UI_PIN);
		break;
	case UI_ACT_ROSTER:
		/* arg: the row the page starts at (0: the first page) */
		if (arg == 0 || v->screen != UI_ROSTER)
			model_roster(a);
		v->roster_first = arg > 0 && (size_t)arg < v->n_roster ? (size_t)arg : 0;
		flow_go(a, UI_ROSTER);
		break;
	case UI_ACT_LANG:
		if (arg >= 0 && arg < I18N_LANGS) {
			snprintf(v->home_lang, sizeof(v->home_lang), "%s",
			    i18n_langs[arg].code);
			snprintf(v->lang, sizeof(v->lang), "%s", v->home_lang);
			if (v->screen == UI_HOME)
				a->home_at = strcmp(v->home_lang, a->cf->lang) != 0 ?
				    app_mono_ms() + (int64_t)a->cf->lang_idle_s * 1000 : 0;
			a->dirty = 1;
		}
		break;
	case UI_ACT_DIGIT:
		len = strlen(a->pin);
		if (v->screen == UI_PIN && len < PR_PIN_MAX_DIGITS && arg >= 0 &&
		    arg <= 9 && rules_pin_locked(&a->guard, app_now_s()) == 0) {
			a->pin[len] = (char)('0' + arg);
			a->pin[len + 1] = '\0';
			v->pin_len = len + 1;
			v->pin_wrong = 0;
			flow_go(a, UI_PIN);
		}
		break;
	case UI_ACT_BACKSPACE:
		if (v->screen == UI_PIN && (len = strlen(a->pin)) > 0) {
			a->pin[len - 1] = '\0';
			v->pin_len = len - 1;
			flow_go(a, UI_PIN);
		}
		break;
	case UI_ACT_PIN_OK:
		if (v->screen == UI_PIN)
			pin_submit(a);
		break;
	case UI_ACT_CHOOSE:
		if (v->screen == UI_CHOOSE && arg >= 0 && (size_t)arg < v->n_choices) {
			size_t i = a->choice_idx[arg];
			check_in(a, i, a->sess[i].role[0] ? a->sess[i].role : NULL);
		}
		break;
	case UI_ACT_GUEST:
		if ((v->screen == UI_UNKNOWN || v->screen == UI_NEWCOMER) &&
		    a->guest_session[0])
			flow_go(a, UI_GUEST);
		break;
	case UI_ACT_GUEST_OK:
		if (v->screen != UI_GUEST || !a->guest_session[0])
			break;
		if (flow_record(a, STORE_EV_GUEST, NULL, a->guest_session, NULL, NULL)) {
			flow_not_saved(a, UI_MSG_NOT_SAVED);
			break;
		}
		v->guest = 1;
		v->dropin = 0;
		v->role[0] = '\0';
		flow_confirmed(a, UI_WELCOME);
		break;
	default:
		break;
	}
}

void flow_deadlines(struct app *a, int64_t now_ms)
{
	if ((a->home_at && now_ms >= a->home_at) ||
	    (a->coord_idle_at && now_ms >= a->coord_idle_at)) {
		a->home_at = a->coord_idle_at = 0;
		lang_reset(a);   /* nobody is there any more */
		flow_home(a);
	}
	if (a->card_link_until && app_now_s() >= a->card_link_until &&
	    model_card_link(a))
		a->dirty = 1;
	if (a->v->screen == UI_PIN && a->v->lock_left > 0) {
		long left = (long)rules_pin_locked(&a->guard, app_now_s());
		if (left != a->v->lock_left) {
			a->v->lock_left = left;
			if (left == 0)
				a->v->pin_wrong = 0;
			a->dirty = 1;
		}
	}
}
