/* reader.h — the interface every card source implements, and what it hands
 * the UI. Sources: the libnfc reader thread (reader_nfc.c), the keyboard-wedge
 * decoder, the --feed test input and the terminal demo reader.
 * Contract: a source turns the UID into its MAC (cred.h) itself and posts a
 * READER card event; the raw UID never leaves the reader module except
 * through reader_support_uid(), the coordinator's explicit "show card number".
 * Must not: touch the store or draw. */
#ifndef PRESENTIE_READER_H
#define PRESENTIE_READER_H

#include <stddef.h>
#include <stdint.h>

#include "cred.h"
#include "limits.h"

enum reader_state {
	READER_NONE = 0,       /* no reader configured (PIN / feed only) */
	READER_CONNECTING,     /* opening the device */
	READER_READY,          /* polling for cards */
	READER_DISCONNECTED    /* configured but not there: "card reader not connected" */
};

enum reader_card_status {
	READER_CARD_OK = 0,    /* mac identifies the card */
	READER_CARD_RANDOM,    /* random UID (phone, some cards): cannot be used */
	READER_CARD_INVALID    /* unreadable / bad length */
};

/* One card presentation, as posted to the UI (heap-allocated; the UI frees it
 * with free() after handling). */
struct reader_card {
	enum reader_card_status status;
	uint8_t mac[PR_MAC_BYTES];     /* valid when status == READER_CARD_OK */
	uint8_t uid_len;               /* 4, 7, 10 (8: FeliCa IDm): for messages,
	                                  not identity */
	int64_t t_read_ms;             /* clockinfo_mono_ms() when the UID was read */
};

/* SDL user events (registered once by reader_events_init()):
 *   reader_ev_card:   data1 = struct reader_card * (receiver frees)
 *   reader_ev_gone:   the card was taken away
 *   reader_ev_state:  code = enum reader_state
 */
extern uint32_t reader_ev_card, reader_ev_gone, reader_ev_state;

/* Register the event types; call after SDL_Init. Returns 0 or -1. */
int reader_events_init(void);

/* Build a card from a raw UID (validates length: 4, 7, 8 or 10 bytes; flags
 * random UIDs, computes the MAC) and post it. Thread-safe (SDL_PushEvent). Remembers the UID for
 * reader_support_uid(). Returns 0 or -1 if the event could not be posted. */
int reader_post_uid(const uint8_t key[PR_ORG_KEY_BYTES], const uint8_t *uid,
    size_t len);
/* Build a card from a phone pass's random bytes (cred.h, read by a 2D
 * scanner through the wedge decoder): its MAC (cred_mac_pass), status OK, so
 * the same rules as a card apply. Not remembered for reader_support_uid().
 * Returns 0 or -1 if the MAC failed or the event could not be posted. */
int reader_post_pass(const uint8_t key[PR_ORG_KEY_BYTES], const uint8_t bytes[CRED_PASS_BYTES]);
void reader_post_gone(void);
void reader_post_state(enum reader_state st);

/* The hex UID of the card most recently presented and not yet removed, for the
 * coordinator's support screen only. Returns 0, or 1 if no card is present. */
int reader_support_uid(char *hex, size_t len);

/* The libnfc reader (reader_nfc.c). */
struct reader_nfc;
struct reader_nfc_config {
	const char *connstring;        /* NULL or "": libnfc's default device */
	int modulations;               /* bit set: 1 ISO14443A, 2 ISO14443B, 4 FeliCa */
	int poll_period;               /* PN53x pollPeriod units of 150 ms, 1..15 */
	int poll_mode;                 /* READER_NFC_POLL_*; 0 = LIST */
	int list_gap_ms;               /* LIST: host sleep between rounds; 0 = default */
	int list_idle_s;               /* LIST: no card for this long -> InAutoPoll
	                                * until the next card; 0 = never */
	int wait_rearm_ms;             /* WAIT: re-arm period; 0 = READER_NFC_REARM_S */
};
/* How the reader looks for a new card (docs/NFC.md "Poll settings"). */
#define READER_NFC_POLL_LIST   0   /* single-shot InListPassiveTarget rounds */
#define READER_NFC_POLL_AUTO   1   /* the chip's InAutoPoll (150 ms slots) */
#define READER_NFC_POLL_WAIT   2   /* one InListPassiveTarget the chip repeats
                                    * (MxRty 0xFF) until a card: the default */
#define READER_NFC_REARM_S     30  /* WAIT: abort + GetFirmwareVersion this
                                    * often, to notice a chip gone silent */
#define READER_NFC_GAP_DEFAULT_MS 10
#define READER_NFC_GAP_MIN_MS  5
#define READER_NFC_GAP_MAX_MS  1000
#define READER_NFC_IDLE_MAX_S  86400
/* Start the reader thread. Returns 0 and *out; -1 if the thread could not
 * start (a missing device is not an error: it reports READER_DISCONNECTED
 * and retries). */
int reader_nfc_start(const struct reader_nfc_config *cfg,
    const uint8_t key[PR_ORG_KEY_BYTES], struct reader_nfc **out);
/* Stop the thread (nfc_abort_command), close libnfc, free. NULL is a no-op. */
void reader_nfc_stop(struct reader_nfc *r);

#endif
