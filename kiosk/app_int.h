/* app_int.h — state shared by the main loop (app.c), what a tap or touch
 * does (flow.c) and filling the view from the store (model.c). Private to
 * those three files. Must not: be included by screens or other modules. */
#ifndef PRESENTIE_APP_INT_H
#define PRESENTIE_APP_INT_H

#include <SDL.h>
#include <stdint.h>

#include "kconf.h"
#include "limits.h"
#include "rules.h"
#include "store.h"
#include "ui/view.h"

#define APP_IDLE_HOME_S    30    /* PIN pad, roster, choice ... back home after this */
#define APP_UNKNOWN_S      12    /* the unknown-card screen stays a little longer */
#define APP_LOOKBACK_S     (24 * 60 * 60) /* last check-in/out looked up this far back */
#define APP_PAGE_MS        8000  /* the home screen's today panel turns a page */
#define APP_PAGE_TOUCH_MS  20000 /* ... and waits this long after a touch turned it */
#define APP_PEER_AHEAD_S   (5 * 60)       /* another kiosk's tap counts up to this far ahead */
#define APP_READ_WPM       100   /* an outcome screen stays as long as its words need
                                    at this reading speed (slow readers, learners) */
#define APP_READ_MARGIN_MS 1500  /* ... plus this, to find the text and look up */

struct i18n;
struct ui;
struct feed;
struct termreader;
struct sound;
struct walwatch;
struct wedge;
struct reader_nfc;

struct app {
	const struct kconf *cf;
	struct store *st;
	SDL_Window *win;
	SDL_Renderer *ren;
	struct ui *ui;
	struct i18n *tr;
	struct ui_view *v;
	struct feed *feed;
	struct termreader *term;
	struct sound *snd;
	struct walwatch *ww;
	struct wedge *wedge;
	struct reader_nfc *nfc;

	uint8_t key[PR_ORG_KEY_BYTES];   /* org key: card and PIN MACs */
	int have_key;
	char tz[PR_TZ_MAX];
	struct rules_config rc;
	struct rules_pin_guard guard;
	char pin[PR_PIN_MAX_DIGITS + 1]; /* digits typed; wiped after use */

	/* deadlines, monotonic ms (0: none) */
	int64_t home_at, coord_idle_at, tick_at;
	int64_t read_from;           /* an outcome screen shown at (mono ms), its
	                                reading time still to add; 0 none */
	int64_t page_at;                 /* the today panel's next page */
	int64_t minute_key;              /* wall minute last shown */

	/* context of the screen shown */
	struct store_person person;      /* who tapped (choose) */
	struct store_session sess[PR_SESSIONS_DAY_MAX];
	size_t n_sess;
	size_t choice_idx[PR_SESSIONS_DAY_MAX];
	char guest_session[PR_ID_MAX];
	char found_ids[UI_FOUND_MAX][PR_ID_MAX];
	char link_id[PR_ID_MAX];
	/* a card link started on the dashboard (meta "card_link", model.c) */
	char card_link[PR_ID_MAX + 24];  /* the meta value, "" none */
	char card_link_id[PR_ID_MAX];    /* the person the next new card goes to */
	/* a newcomer (newcomer.c): the unknown card they came with, if any */
	uint8_t new_mac[PR_MAC_BYTES];
	int have_new_mac;
	int org_newcomers;               /* the organisation's setting (meta
	                                  * "newcomers", model.c): -1 not known */
	int64_t card_link_until;         /* wall s; 0 none */

	int dirty, running, exit_code, trace, bench;
	int bench_card;             /* bench: a reader card awaits its frame */
	enum ui_screen shown_screen;     /* for --shots: last screen saved */
	int shown_page;
	int shots_announced;
	int64_t t_start_ns;
	int first_frame;
};

/* model.c */
int64_t app_now_s(void);
int64_t app_mono_ms(void);
int64_t app_mono_ns(void);                    /* CLOCK_MONOTONIC, ns */
void model_init(struct app *a);               /* location, tz, key from meta */
void model_clock(struct app *a);              /* clock string; 1 if changed */
void model_today(struct app *a);              /* today's sessions and roles */
int model_status(struct app *a);              /* 1 if the status line changed */
int model_card_link(struct app *a);           /* 1 if the pending link changed */
int model_newcomers(struct app *a);           /* 1 if the org's setting changed */
void model_roster(struct app *a);
void model_headcount(struct app *a);
void model_hm(const struct app *a, int64_t t, char *buf, size_t len);
void model_row(const struct app *a, const struct store_session *s,
    struct ui_session_row *row, int64_t now);

/* flow.c */
void flow_go(struct app *a, enum ui_screen s);   /* show s, set its timeout */
void flow_home(struct app *a);
void flow_card(struct app *a, const uint8_t mac[PR_MAC_BYTES], int status);
void flow_action(struct app *a, int action, int arg);
void flow_pin_text(struct app *a, const char *digits);  /* feed `pin` */
void flow_deadlines(struct app *a, int64_t now_ms);     /* timers due */
/* Record one event; 0 only once the store committed it. */
int flow_record(struct app *a, const char *kind, const char *person,
    const char *session, const char *role, const char *payload);
/* The open session running now into a->guest_session (and the view's
 * session/room): 1 found, 0 none. */
int flow_open_session(struct app *a);
/* The outcomes every screen shares: "not saved" (message m), a committed
 * event (chime, then screen s), the person's language and first name. */
void flow_not_saved(struct app *a, enum ui_message m);
void flow_confirmed(struct app *a, enum ui_screen s);
void flow_person_lang(struct app *a, const struct store_person *p);

/* coord.c */
void coord_open(struct app *a, const struct store_person *p); /* their card */
/* A card while coordinator mode shows the card number or waits for a card
 * to link: handled (1), or 0 (not coordinator mode: flow_card goes on). */
int coord_card(struct app *a, const uint8_t mac[PR_MAC_BYTES], int status);
int coord_action(struct app *a, int action, int arg);   /* 1 if handled */

/* newcomer.c */
int newcomer_allowed(const struct app *a);   /* kiosk config and org setting */
void newcomer_offer(struct app *a);          /* v->newcomer_ok for home/unknown */
void newcomer_start(struct app *a);          /* "I am new" */
int newcomer_action(struct app *a, int action, int arg); /* 1 if handled */

#endif
