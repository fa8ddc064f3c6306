/* newcomer.c — a newcomer registers at the kiosk (PROTOCOL.md
 * "Newcomers"): at an open session, where the organisation allows it (its
 * setting from the hub, meta "newcomers") and the kiosk's `newcomers`
 * setting does not forbid it (kconf.h), "I am new" (home, or after an unknown card) leads through
 * language, first name, initial and consent. With consent the kiosk records
 * person_registered (a new random person id, the name, language, consent
 * version and moment, the unknown card's MAC) and a guest check-in at the
 * open session; a coordinator approves it at the hub. Without consent
 * nothing is recorded (the guest check-in is offered).
 * Must not: record anything identifying without consent, or keep the raw
 * card UID (only the org-keyed MAC the reader gave). */
#include <stdio.h>
#include <string.h>

#include "app_int.h"
#include "clockinfo.h"
#include "cred.h"
#include "i18n.h"
#include "sound.h"
#include "uuid7.h"

/* The wording of the consent screen the newcomer agreed to; raise it when
 * the words of ui/newcomer.c's consent page change in meaning. */
#define NEWCOMER_CONSENT_VERSION "kiosk-1"
#define NEWCOMER_PAYLOAD_MAX     512

int newcomer_allowed(const struct app *a)
{
	switch (a->cf->newcomers) {
	case KCONF_NEWCOMERS_NO:
		return 0;
	case KCONF_NEWCOMERS_YES:
		return a->org_newcomers != 0;
	default:
		return a->org_newcomers == 1;
	}
}

void newcomer_offer(struct app *a)
{
	a->v->newcomer_ok = newcomer_allowed(a) && flow_open_session(a);
	a->v->session[0] = a->v->room[0] = '\0';
}

void newcomer_start(struct app *a)
{
	struct ui_view *v = a->v;

	if (!newcomer_allowed(a) || !flow_open_session(a))
		return;
	v->guest_ok = 1;
	v->new_name[0] = '\0';
	v->new_initial = 0;
	v->new_page = UI_NP_LANG;
	snprintf(v->lang, sizeof(v->lang), "%s", v->home_lang);
	flow_go(a, UI_NEWCOMER);
}

/* "amina b" -> display "Amina B.", first "Amina". */
static void names(const struct ui_view *v, char *display, size_t dn, char *first,
    size_t fn)
{
	size_t i;

	snprintf(first, fn, "%s", v->new_name);
	for (i = 0; first[i]; i++)
		if ((i == 0 || first[i - 1] == ' ') && first[i] >= 'a' && first[i] <= 'z')
			first[i] = (char)(first[i] - 'a' + 'A');
	while (i > 0 && first[i - 1] == ' ')
		first[--i] = '\0';
	snprintf(display, dn, "%s %c.", first, (char)(v->new_initial - 'a' + 'A'));
}

/* Consent given: the registration, then the guest check-in; the welcome
 * only once both are committed. */
static void register_person(struct app *a)
{
	struct ui_view *v = a->v;
	struct clockinfo ci;
	char id[PR_UUID_STR], display[UI_NEW_NAME_MAX + 8], first[UI_NEW_NAME_MAX];
	char mac[PR_MAC_HEX + 16], payload[NEWCOMER_PAYLOAD_MAX];
	int n;

	clockinfo_now(&ci);
	if (uuid7_make(ci.wall_ms, id) != 0) {
		v->message = UI_MSG_NOT_SAVED;
		flow_go(a, UI_MESSAGE);
		return;
	}
	names(v, display, sizeof(display), first, sizeof(first));
	mac[0] = '\0';
	if (a->have_new_mac) {
		char hex[PR_MAC_HEX];

		cred_hex(a->new_mac, PR_MAC_BYTES, hex);
		snprintf(mac, sizeof(mac), ",\"card_mac\":\"%s\"", hex);
	}
	/* the name holds only a-z and spaces (the keyboard), nothing to escape */
	n = snprintf(payload, sizeof(payload), "{\"id\":\"%s\",\"display_name\":\"%s\","
	    "\"first_name\":\"%s\",\"lang\":\"%s\",\"consent_version\":\"%s\","
	    "\"consent_ms\":%lld%s}", id, display, first, v->lang,
	    NEWCOMER_CONSENT_VERSION, (long long)ci.wall_ms, mac);
	if (n < 0 || (size_t)n >= sizeof(payload) ||
	    flow_record(a, "person_registered", NULL, NULL, NULL, payload) != 0 ||
	    flow_record(a, "guest", NULL, a->guest_session, NULL, NULL) != 0) {
		v->message = UI_MSG_NOT_SAVED;
		flow_go(a, UI_MESSAGE);
		return;
	}
	a->have_new_mac = 0;
	memset(a->new_mac, 0, sizeof(a->new_mac));
	snprintf(v->first_name, sizeof(v->first_name), "%s", first);
	v->new_name[0] = '\0';
	v->new_initial = 0;
	v->guest = 1;
	v->dropin = 0;
	v->newcomer = 1;
	v->role[0] = '\0';
	sound_chime(a->snd, app_mono_ns());
	flow_go(a, UI_WELCOME);
}

static void type_char(struct app *a, int c)
{
	struct ui_view *v = a->v;
	size_t len = strlen(v->new_name);

	if (c < 'a' || c > 'z') {
		if (c != ' ' || v->new_page != UI_NP_NAME || len == 0 ||
		    v->new_name[len - 1] == ' ')
			return;
	}
	if (v->new_page == UI_NP_NAME && len + 1 < sizeof(v->new_name)) {
		v->new_name[len] = (char)c;
		v->new_name[len + 1] = '\0';
	} else if (v->new_page == UI_NP_INITIAL) {
		v->new_initial = (char)c;
	} else {
		return;
	}
	flow_go(a, UI_NEWCOMER);
}

int newcomer_action(struct app *a, int action, int arg)
{
	struct ui_view *v = a->v;
	size_t len;

	if (action == UI_ACT_NEW) {
		newcomer_start(a);
		return 1;
	}
	if (v->screen != UI_NEWCOMER)
		return 0;
	switch (action) {
	case UI_ACT_NEW_LANG:
		if (v->new_page != UI_NP_LANG || arg < 0 || arg >= I18N_LANGS)
			return 1;
		snprintf(v->lang, sizeof(v->lang), "%s", i18n_langs[arg].code);
		v->new_page = UI_NP_NAME;
		break;
	case UI_ACT_CHAR:
		type_char(a, arg);
		return 1;
	case UI_ACT_BACKSPACE:
		len = strlen(v->new_name);
		if (v->new_page == UI_NP_INITIAL && v->new_initial)
			v->new_initial = 0;
		else if (v->new_page == UI_NP_INITIAL)
			v->new_page = UI_NP_NAME;
		else if (v->new_page == UI_NP_NAME && len > 0)
			v->new_name[len - 1] = '\0';
		break;
	case UI_ACT_NEW_NEXT:
		if (v->new_page == UI_NP_NAME && v->new_name[0] && v->new_name[0] != ' ')
			v->new_page = UI_NP_INITIAL;
		else if (v->new_page == UI_NP_INITIAL && v->new_initial)
			v->new_page = UI_NP_CONSENT;
		break;
	case UI_ACT_NEW_YES:
		if (v->new_page == UI_NP_CONSENT && v->new_name[0] && v->new_initial)
			register_person(a);
		return 1;
	case UI_ACT_NEW_NO:
		if (v->new_page != UI_NP_CONSENT)
			return 1;
		/* nothing identifying stays, not even on screen */
		v->new_name[0] = '\0';
		v->new_initial = 0;
		a->have_new_mac = 0;
		memset(a->new_mac, 0, sizeof(a->new_mac));
		v->new_page = UI_NP_DECLINED;
		break;
	default:
		return 0;        /* home, guest: the common actions */
	}
	flow_go(a, UI_NEWCOMER);
	return 1;
}
