/* coord.c — coordinator mode at the kiosk: its menu pages (today, the
 * headcount, the card number for support, the sync status), finding a
 * person by name and linking the card on the reader to them, and leaving
 * the kiosk where the configuration allows it. A coordinator's card opens
 * it (flow.c's tap_person); a link is an event like any other (flow_record),
 * audited at the hub.
 * Must not: move a card that is someone else's (only the dashboard does,
 * audited), or draw. */
#include <stdio.h>
#include <string.h>

#include "app_int.h"
#include "i18n.h"
#include "reader.h"

void coord_open(struct app *a, const struct store_person *p)
{
	snprintf(a->v->coord_name, sizeof(a->v->coord_name), "%s", p->first_name);
	a->v->coord_page = UI_CP_MENU;
	a->v->allow_leave = a->cf->allow_leave;
	snprintf(a->v->lang, sizeof(a->v->lang), "%s",
	    i18n_lang_index(p->lang) >= 0 ? p->lang : a->v->home_lang);
	model_status(a);
	flow_go(a, UI_COORD);
}

/* Coordinator mode links the card on the reader to the person chosen. A
 * card that is already someone else's is refused, with whose it is (a card
 * moves only on the dashboard, where it is audited); one that is already
 * theirs changes nothing. */
static void link_card(struct app *a, const uint8_t mac[PR_MAC_BYTES])
{
	char hex[PR_MAC_HEX], payload[PR_MAC_HEX + 64];
	struct store_person owner;
	int rc = store_person_by_mac(a->st, STORE_CRED_CARD, mac, &owner);

	if (rc < 0) {
		flow_not_saved(a, UI_MSG_LINK_FAILED);
		return;
	}
	if (rc == 0) {
		snprintf(a->v->link_owner, sizeof(a->v->link_owner), "%s", owner.display_name);
		a->v->coord_page = strcmp(owner.id, a->link_id) == 0 ? UI_CP_LINK_HAS
		    : UI_CP_LINK_TAKEN;
		flow_go(a, UI_COORD);
		return;
	}
	cred_hex(mac, PR_MAC_BYTES, hex);
	snprintf(payload, sizeof(payload), "{\"kind\":\"card\",\"mac\":\"%s\"}",
	    hex);
	if (flow_record(a, STORE_EV_CARD_LINK, a->link_id, NULL, NULL, payload) != 0) {
		flow_not_saved(a, UI_MSG_LINK_FAILED);
		return;
	}
	a->v->coord_page = UI_CP_LINK_DONE;
	flow_go(a, UI_COORD);
}

static void search(struct app *a)
{
	struct store_person found[UI_FOUND_MAX];
	size_t n = 0, i;

	a->v->n_found = 0;
	if (!a->v->search[0] || store_people_find(a->st, a->v->search, found,
	    UI_FOUND_MAX, &n) != 0)
		return;
	for (i = 0; i < n && i < UI_FOUND_MAX; i++) {
		snprintf(a->v->found[i], sizeof(a->v->found[i]), "%s",
		    found[i].display_name);
		snprintf(a->found_ids[i], sizeof(a->found_ids[i]), "%s", found[i].id);
	}
	a->v->n_found = n;
}

static void coord_page(struct app *a, int page)
{
	if (page < 0 || page >= UI_CP_COUNT)
		return;
	a->v->coord_page = (enum ui_coord_page)page;
	if (page == UI_CP_HEADCOUNT)
		model_headcount(a);
	else if (page == UI_CP_CARDNO)
		reader_support_uid(a->v->card_hex, sizeof(a->v->card_hex));
	else if (page == UI_CP_STATUS)
		model_status(a);
	else if (page == UI_CP_FIND) {
		a->v->search[0] = '\0';
		a->v->n_found = 0;
	} else if (page == UI_CP_MENU)
		model_today(a);
	flow_go(a, UI_COORD);
}


int coord_card(struct app *a, const uint8_t mac[PR_MAC_BYTES], int status)
{
	if (a->v->screen != UI_COORD)
		return 0;
	if (a->v->coord_page == UI_CP_CARDNO) {
		reader_support_uid(a->v->card_hex, sizeof(a->v->card_hex));
		flow_go(a, UI_COORD);
		return 1;
	}
	if ((a->v->coord_page == UI_CP_LINK_TAP || a->v->coord_page == UI_CP_LINK_TAKEN ||
	    a->v->coord_page == UI_CP_LINK_HAS) && status == READER_CARD_OK) {
		link_card(a, mac);
		return 1;
	}
	return 0;
}

int coord_action(struct app *a, int action, int arg)
{
	struct ui_view *v = a->v;
	size_t len;

	switch (action) {
	case UI_ACT_BACKSPACE:
		if (v->screen != UI_COORD)
			return 0;
		if ((len = strlen(v->search)) > 0) {
			v->search[len - 1] = '\0';
			search(a);
			flow_go(a, UI_COORD);
		}
		return 1;
	case UI_ACT_COORD:
		if (v->screen == UI_COORD)
			coord_page(a, arg);
		return 1;
	case UI_ACT_CHAR:
		len = strlen(v->search);
		if (v->screen == UI_COORD && v->coord_page == UI_CP_FIND &&
		    len + 1 < sizeof(v->search) && ((arg >= 'a' && arg <= 'z') ||
		    (arg == ' ' && len > 0))) {
			v->search[len] = (char)arg;
			v->search[len + 1] = '\0';
			search(a);
			flow_go(a, UI_COORD);
		}
		return 1;
	case UI_ACT_PICK:
		if (v->screen == UI_COORD && arg >= 0 && (size_t)arg < v->n_found) {
			snprintf(a->link_id, sizeof(a->link_id), "%s", a->found_ids[arg]);
			snprintf(v->link_name, sizeof(v->link_name), "%s", v->found[arg]);
			v->coord_page = UI_CP_LINK_TAP;
			flow_go(a, UI_COORD);
		}
		return 1;
	case UI_ACT_LEAVE:
		if (v->screen == UI_COORD && a->cf->allow_leave) {
			a->running = 0;
			a->exit_code = 0;
		}
		return 1;
	default:
		return 0;
	}
}
