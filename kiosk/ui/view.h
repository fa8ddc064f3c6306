/* view.h — what is on screen, as plain data: the screens draw a struct
 * ui_view and nothing else. The app (kiosk/app.c, flow.c, model.c) fills it
 * from the store and the rules; the screens never query anything themselves.
 * Must not: hold pointers into the store or raw card data (a coordinator's
 * "show card number" is the one exception, and only while the card lies there). */
#ifndef PRESENTIE_UI_VIEW_H
#define PRESENTIE_UI_VIEW_H

#include <stddef.h>

#include "limits.h"

#define UI_ROLES_MAX      8     /* distinct roles shown on home and roster */
#define UI_NAMES_MAX      160   /* "Anna, Piet, Sanne" for one role in one session */
#define UI_DAY_NAMES_MAX  512   /* everyone holding one role on one day */
#define UI_ROSTER_ROWS    40    /* sessions on the week roster */
#define UI_FOUND_MAX      6     /* people listed by the coordinator's search */
#define UI_SEARCH_MAX     32    /* bytes typed into the search field */
#define UI_HM             8     /* "13:52" + NUL, with room to spare */
#define UI_NEW_NAME_MAX   24    /* bytes of a newcomer's first name typed */

enum ui_screen {
	UI_HOME = 0,
	UI_WELCOME,      /* check-in, guest or drop-in confirmed */
	UI_PIN,
	UI_CHOOSE,       /* several sessions: which one? */
	UI_ALREADY,      /* "already checked in at 13:52" */
	UI_CHECKOUT,     /* checked out, with hours */
	UI_UNKNOWN,      /* unknown card, or a random-UID card */
	UI_GUEST,        /* guest check-in: confirm */
	UI_ROSTER,       /* this week's roster */
	UI_COORD,        /* coordinator mode, page in coord_page */
	UI_MESSAGE,      /* a problem the person should know: not saved, ... */
	UI_NEWCOMER,     /* a newcomer registers, page in new_page */
	UI_SCREEN_COUNT
};

enum ui_coord_page {
	UI_CP_MENU = 0,
	UI_CP_HEADCOUNT,
	UI_CP_FIND,      /* find the person with the on-screen keyboard */
	UI_CP_LINK_TAP,  /* "hold the new card to the reader" */
	UI_CP_LINK_DONE,
	UI_CP_CARDNO,    /* the number of the card on the reader (support) */
	UI_CP_STATUS,
	UI_CP_LINK_TAKEN, /* the card tapped is someone else's: refused */
	UI_CP_LINK_HAS,   /* the card tapped is already theirs */
	UI_CP_COUNT
};

/* The newcomer's steps (kiosk/newcomer.c, ui/newcomer.c). */
enum ui_new_page {
	UI_NP_LANG = 0,  /* which language? */
	UI_NP_NAME,      /* first name, on the keyboard */
	UI_NP_INITIAL,   /* first letter of the last name */
	UI_NP_CONSENT,   /* what we keep, how long, who sees it: yes or no */
	UI_NP_DECLINED,  /* no: nothing kept; join as a guest? */
	UI_NP_COUNT
};

enum ui_message {
	UI_MSG_NOT_SAVED = 0,  /* the store refused: nothing was recorded */
	UI_MSG_LINK_FAILED,    /* linking a card could not be recorded */
	UI_MSG_CARD_UNREADABLE,
	UI_MSG_CARD_LINKED     /* a card linked from the dashboard: good news */
};

/* Touch/key actions a screen can register (ui_hit, ui_key). */
enum ui_action {
	UI_ACT_NONE = 0,
	UI_ACT_HOME,        /* back to the home screen */
	UI_ACT_PIN,         /* open the PIN pad */
	UI_ACT_ROSTER,
	UI_ACT_LANG,        /* arg: index into i18n_langs */
	UI_ACT_DIGIT,       /* arg: 0..9 */
	UI_ACT_BACKSPACE,
	UI_ACT_PIN_OK,
	UI_ACT_CHOOSE,      /* arg: index into choices */
	UI_ACT_GUEST,       /* open the guest screen */
	UI_ACT_GUEST_OK,    /* record the guest */
	UI_ACT_COORD,       /* arg: enum ui_coord_page */
	UI_ACT_CHAR,        /* arg: ASCII letter for the search field */
	UI_ACT_PICK,        /* arg: index into found */
	UI_ACT_LEAVE,       /* leave kiosk mode */
	UI_ACT_PAGE,        /* home: show page arg of the today panel (app.c) */
	UI_ACT_NEW,         /* "I am new": start the newcomer's steps */
	UI_ACT_NEW_LANG,    /* newcomer: arg index into i18n_langs */
	UI_ACT_NEW_NEXT,    /* newcomer: next step */
	UI_ACT_NEW_YES,     /* newcomer: consent given */
	UI_ACT_NEW_NO,      /* newcomer: no consent */
	UI_ACT_COUNT
};

enum ui_row_state { UI_ROW_LATER = 0, UI_ROW_NOW, UI_ROW_NEXT, UI_ROW_PAST };

struct ui_session_row {
	char title[PR_TITLE_MAX];
	char room[PR_ROOM_MAX];
	char from[UI_HM], to[UI_HM];
	int wday, mday;             /* roster: weekday (0 Sunday) and day of month */
	enum ui_row_state state;
	int count;                  /* headcount (coordinator) */
	char cells[UI_ROLES_MAX][UI_NAMES_MAX]; /* roster: names per role column */
};

struct ui_role_row {
	char role[PR_ROLE_MAX];     /* role key: "catering", "rolmodel", ... */
	char names[UI_DAY_NAMES_MAX]; /* first names only */
	int n_more;                 /* names that did not fit in names: "+N" */
};

struct ui_view {
	enum ui_screen screen;
	char lang[PR_LANG_MAX];          /* language of this screen */
	char home_lang[PR_LANG_MAX];     /* language chosen on the home screen */

	/* top bar and status line */
	char location[PR_NAME_MAX];
	char clock[UI_HM];
	int reader_state;                /* enum reader_state */
	int card_source;                 /* cards come by wedge, terminal or feed */
	long pending;                    /* events waiting to sync, -1 unknown */
	char last_sync[UI_HM];           /* "" never */
	int sync_error;                  /* the last sync attempt failed */

	/* home */
	struct ui_session_row today[PR_SESSIONS_DAY_MAX];
	size_t n_today;
	struct ui_role_row roles[UI_ROLES_MAX];
	size_t n_roles;
	char link_first[PR_NAME_MAX];    /* a card link is pending for them, "" none */
	int home_page;                   /* page of the today panel shown (the
	                                    app turns it; ui.home_pages says how
	                                    many there are) */

	/* welcome, already, checkout, guest */
	char first_name[PR_NAME_MAX];
	char session[PR_TITLE_MAX];      /* "" for a drop-in without session */
	char room[PR_ROOM_MAX];
	char role[PR_ROLE_MAX];          /* volunteer role key or "" */
	int guest;                       /* welcome after a guest check-in */
	int dropin;                      /* welcome after a drop-in visit */
	char next_at[UI_HM];             /* drop-in: next session today, "" none */
	char next_title[PR_TITLE_MAX];
	char at[UI_HM];                  /* already: when */
	int already_out;                 /* already: it was a check-out */
	char worked[UI_HM];              /* checkout: "2:30" */
	int worked_min;                  /* checkout: the same in minutes */

	/* choose */
	struct ui_session_row choices[PR_SESSIONS_DAY_MAX];
	size_t n_choices;

	/* unknown */
	int random_uid;                  /* "this card cannot be used" */
	int guest_ok;                    /* an open session runs: offer guest */

	/* PIN pad */
	size_t pin_len;                  /* digits typed (shown masked) */
	int pin_wrong;                   /* the last PIN was wrong */
	int pin_tries_left;              /* wrong PINs left before the pad locks */
	long lock_left;                  /* seconds the pad stays locked, 0 open */

	/* roster */
	char roster_roles[UI_ROLES_MAX][PR_ROLE_MAX];
	size_t n_roster_roles;
	struct ui_session_row roster[UI_ROSTER_ROWS];
	size_t n_roster;
	size_t roster_first;             /* the row the roster page starts at */

	/* coordinator */
	enum ui_coord_page coord_page;
	char coord_name[PR_NAME_MAX];    /* who opened it */
	char search[UI_SEARCH_MAX];
	char found[UI_FOUND_MAX][PR_NAME_MAX];
	size_t n_found;
	char link_name[PR_NAME_MAX];     /* person the new card goes to */
	char link_owner[PR_NAME_MAX];    /* LINK_TAKEN: whose card it is */
	char card_hex[2 * PR_UID_MAX_BYTES + 1]; /* support only; "" no card */
	char device_id[PR_ID_MAX];
	char sync_error_text[160];
	int allow_leave;

	/* message */
	enum ui_message message;

	/* newcomer (home and unknown: newcomer_ok offers "I am new") */
	int newcomer_ok;
	enum ui_new_page new_page;
	char new_name[UI_NEW_NAME_MAX];  /* "amina" as typed (shown capitalised) */
	char new_initial;                /* 'b', or 0 */
	int newcomer;                    /* welcome after a registration */
};

#endif
