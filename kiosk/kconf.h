/* kconf.h — the kiosk's configuration: defaults, then the config file
 * (/etc/presentie/kiosk.conf, `key = value`, '#' comments), then the
 * command line, each overriding the one before.
 * Must not: touch SDL, the store or anything but the struct it fills;
 * every value is bounded and validated with a message naming the line. */
#ifndef PRESENTIE_KCONF_H
#define PRESENTIE_KCONF_H

#include <stddef.h>

#include "limits.h"

#define KCONF_DEFAULT_PATH  "/etc/presentie/kiosk.conf"
#define KCONF_DEFAULT_DB    "/var/lib/presentie/kiosk.db"
#define KCONF_FONT_DIR      "/usr/share/fonts/truetype/noto"
#define KCONF_WIN_MAX       8192     /* largest --windowed side */
#define KCONF_CONN_MAX      256      /* libnfc connstring */
#define KCONF_SOUND_MAX     256      /* ALSA PCM name of the chime */

enum kconf_wedge { KCONF_WEDGE_OFF = 0, KCONF_WEDGE_QWERTY, KCONF_WEDGE_AZERTY };
/* "I am new" (kiosk/newcomer.c): auto follows the organisation's setting
 * from the hub (off until the hub has said); no is off at this kiosk
 * whatever the organisation allows; yes is on where the hub has not said
 * (a demo store, an older hub), but the organisation's "off" still wins. */
enum kconf_newcomers { KCONF_NEWCOMERS_AUTO = 0, KCONF_NEWCOMERS_NO, KCONF_NEWCOMERS_YES };

struct kconf {
	char config[PR_PATH_MAX];   /* the file read ("" none) */
	char db[PR_PATH_MAX];
	char assets[PR_PATH_MAX];   /* i18n/, icons/, demo/ live here */
	char fonts[PR_PATH_MAX];
	char feed[PR_PATH_MAX];     /* "" none */
	char shots[PR_PATH_MAX];    /* PNG after every screen change, "" none */
	char lang[PR_LANG_MAX];     /* home screen language */
	char renderer[16];          /* "software" (default) or "auto": see app.c */
	char sound[KCONF_SOUND_MAX];  /* ALSA PCM of the chime, "off" none (sound.h) */
	char nfc[KCONF_CONN_MAX];   /* libnfc connstring, "" default device */
	int nfc_enabled;
	int nfc_poll_period;        /* 1..15 (x 150 ms) */
	int nfc_poll_mode;          /* READER_NFC_POLL_WAIT (default), _LIST or _AUTO */
	int nfc_poll_gap_ms;        /* LIST: ms between rounds, 5..1000 */
	int nfc_poll_idle_s;        /* LIST: InAutoPoll after s without a card, 0 never */
	int wedge_gap_ms;           /* 0: the wedge's default; else 1..1000 ms between a reader's keys */
	int nfc_modulations;        /* bit set of reader.h: 1 ISO14443A, 2 ISO14443B, 4 FeliCa */
	int win_w, win_h;           /* 0: fullscreen */
	int demo;                   /* seed demo data before starting */
	int term_reader;            /* the terminal as demo card reader */
	int init_only;              /* open/migrate (and seed) the store, then exit */
	enum kconf_wedge wedge;     /* keyboard-wedge card reader */
	int allow_leave;            /* coordinators may leave kiosk mode */
	enum kconf_newcomers newcomers; /* "I am new" at open sessions (kiosk/newcomer.c) */
	int checkout_all;           /* everyone checks out, not only volunteers */
	int early_min;              /* a session opens this long before start */
	int repeat_s;               /* a second tap within this is "already" */
	int welcome_s;              /* confirmation screens go home after this */
	int coord_idle_s;           /* coordinator mode closes after this */
	int lang_idle_s;            /* a language chosen by hand goes after this idle */
};

/* Fill c with the defaults (assets: "assets" if it holds i18n/nl.po,
 * otherwise PRESENTIE_DATADIR). */
void kconf_defaults(struct kconf *c);

/* Read a config file. Returns 0, 1 if it does not exist (c unchanged),
 * -1 with err ("kiosk.conf line 4: ...") on a bad line or I/O error. */
int kconf_load(struct kconf *c, const char *path, char *err, size_t errlen);

/* One `key = value` setting (the file's and --set's syntax).
 * Returns 0, or -1 with err. */
int kconf_set(struct kconf *c, const char *key, const char *value,
    char *err, size_t errlen);

/* Parse argv: reads the config file (--config or the default) first, then
 * applies the options. Returns 0, 1 if --help was printed to stdout, or -1
 * with err. */
int kconf_from_args(struct kconf *c, int argc, char **argv, char *err,
    size_t errlen);

#endif
