/* wedge.h — decoder for keyboard-wedge card readers: USB readers that "type"
 * the card UID (hex, or decimal for 4-byte UIDs) followed by Enter, and USB 2D
 * barcode scanners that type a phone pass (cred.h: "KP1" + 40 digits).
 * Owns: turning a stream of key-down events into UIDs, whatever the keyboard
 * layout (AZERTY number rows give & é " ' ( - è _ ç à: keys are mapped by
 * their position, the USB HID usage id, which SDL_Scancode equals).
 * Must not: depend on SDL, log, or keep a UID after returning it. */
#ifndef PRESENTIE_WEDGE_H
#define PRESENTIE_WEDGE_H

#include <stddef.h>
#include <stdint.h>

#include "cred.h"
#include "limits.h"

#define WEDGE_GAP_DEFAULT_MS  50   /* a reader types faster than this per key */
#define WEDGE_GAP_MAX_MS      1000 /* largest gap a configuration may allow */
#define WEDGE_BUF_MAX         48   /* characters kept of one burst (20 hex is the
                                      longest UID: 10 bytes; a pass is
                                      CRED_PASS_CHARS = 43); more is garbage */
#define WEDGE_DEC_DIGITS      10   /* decimal readers: 10 digits = 4-byte UID */

/* Modifier bits of struct wedge_key.mods (SDL's KMOD_* map onto these). */
#define WEDGE_MOD_SHIFT  0x01u
#define WEDGE_MOD_CTRL   0x02u
#define WEDGE_MOD_ALT    0x04u  /* Alt or AltGr */
#define WEDGE_MOD_GUI    0x08u
#define WEDGE_MOD_CAPS   0x10u

/* USB HID usage ids (= SDL_Scancode values) the decoder knows by position. */
#define WEDGE_SC_A        4     /* A..F: 4..9 (US positions) */
#define WEDGE_SC_1        30    /* 1..9: 30..38, 0: 39 */
#define WEDGE_SC_0        39
#define WEDGE_SC_K        14    /* the pass prefix letters, same place on */
#define WEDGE_SC_P        19    /* QWERTY and AZERTY */
#define WEDGE_SC_ENTER    40
#define WEDGE_SC_KP_ENTER 88
#define WEDGE_SC_KP_1     89    /* keypad 1..9: 89..97, 0: 98 */
#define WEDGE_SC_KP_0     98
#define WEDGE_SC_LCTRL    224   /* 224..231: modifier keys themselves */
#define WEDGE_SC_RGUI     231

/* One key-down event (key-ups and repeats are not fed). */
struct wedge_key {
	uint32_t ch;        /* Unicode code point the layout produced (SDL_Keycode
	                       of a printable key; '\r' for Enter), 0 if none */
	uint16_t scancode;  /* USB HID usage id (SDL_Scancode), 0 if unknown;
	                       when known it wins over ch */
	uint16_t mods;      /* WEDGE_MOD_* held during the key */
	int64_t t_ms;       /* event time in ms (SDL event timestamp), monotonic */
};

enum wedge_format {
	WEDGE_FMT_AUTO = 0, /* 10 decimal digits -> 4-byte UID; 8/14/20 hex -> 4/7/10 bytes */
	WEDGE_FMT_HEX,      /* only hex */
	WEDGE_FMT_DEC       /* only 10-digit decimal */
};

enum wedge_order {
	WEDGE_ORDER_MSB = 0, /* decimal = uid[0] << 24 | ... | uid[3] (most readers) */
	WEDGE_ORDER_LSB      /* decimal = uid[3] << 24 | ... | uid[0] ("reversed") */
};

/* Only used for events without a scancode (text-only sources): which layout
 * produced ch. AZERTY: the number row characters are digits and 'q' is the
 * reader's 'a' (the US A position types q on AZERTY). */
enum wedge_layout { WEDGE_LAYOUT_QWERTY = 0, WEDGE_LAYOUT_AZERTY };

struct wedge_config {
	enum wedge_format format;
	enum wedge_order order;
	enum wedge_layout layout;
	int64_t max_gap_ms;   /* keys further apart end the burst (discarded) */
};

enum wedge_result {
	WEDGE_NONE = 0,  /* key taken; nothing to report */
	WEDGE_UID,       /* a burst ended with Enter and gave a UID: uid/len filled */
	WEDGE_REJECTED,  /* a burst ended with Enter but was no UID (garbage,
	                    wrong length, overflow): nothing filled. A burst
	                    broken by a gap is dropped silently (NONE) */
	WEDGE_HELD,      /* key taken as part of a pass burst (it began with K):
	                    the caller must not use it as a UI key */
	WEDGE_PASS       /* a pass burst ended with Enter: pass bytes filled */
};

struct wedge;   /* opaque decoder state */

/* Fill cfg with the defaults: AUTO, MSB, QWERTY, WEDGE_GAP_DEFAULT_MS. */
void wedge_config_default(struct wedge_config *cfg);

/* Set one option from kiosk.conf text: key "wedge_format" (auto|hex|dec),
 * "wedge_order" (msb|lsb), "wedge_layout" (qwerty|azerty), "wedge_gap_ms"
 * (1..WEDGE_GAP_MAX_MS). Returns 0, or -1 for an unknown key or a bad value
 * (cfg unchanged). */
int wedge_config_set(struct wedge_config *cfg, const char *key, const char *value);

/* A new decoder (caller frees with wedge_free). NULL if cfg is invalid
 * (NULL means the defaults) or memory runs out. */
struct wedge *wedge_new(const struct wedge_config *cfg);
void wedge_free(struct wedge *w);

/* Forget any partial burst (e.g. when the screen changes). */
void wedge_reset(struct wedge *w);

/* Feed one key-down. On WEDGE_UID, uid[0..*len) holds the UID (4, 7 or 10
 * bytes; the caller MACs it at once, see cred.h) and the burst is cleared.
 * Returns WEDGE_NONE for NULL arguments. Modifier keys alone are ignored. */
enum wedge_result wedge_feed(struct wedge *w, const struct wedge_key *k,
    uint8_t uid[PR_UID_MAX_BYTES], size_t *len);

/* wedge_feed that also reads passes: on WEDGE_PASS, pass[0..CRED_PASS_BYTES)
 * holds the pass's random bytes (the caller MACs them at once with
 * cred_mac_pass and wipes them). With pass NULL a pass burst is
 * WEDGE_REJECTED. Keys after a burst's first K return WEDGE_HELD. */
enum wedge_result wedge_feed_pass(struct wedge *w, const struct wedge_key *k,
    uint8_t uid[PR_UID_MAX_BYTES], size_t *len, uint8_t pass[CRED_PASS_BYTES]);

#endif
