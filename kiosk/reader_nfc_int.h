/* reader_nfc_int.h — internals of the libnfc reader shared by its files
 * (reader_nfc.c: the reader thread and states; reader_nfc_wd.c: the
 * watchdog thread; reader_nfc_card.c: UIDs, presence fallback;
 * reader_nfc_dev.c: connstrings and the silent-chip nudge;
 * reader_nfc_wait.c: WAIT mode's chip commands).
 * Must not: be included outside kiosk/reader_nfc*.c and their tests. */
#ifndef PRESENTIE_READER_NFC_INT_H
#define PRESENTIE_READER_NFC_INT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <nfc/nfc.h>

#include "limits.h"
#include "reader.h"

/* struct reader_nfc_config.modulations bits (reader.h). */
#define READER_NFC_MOD_A          1
#define READER_NFC_MOD_B          2
#define READER_NFC_MOD_FELICA     4
#define READER_NFC_PERIOD_DEFAULT 1     /* x 150 ms: the PN532's fastest */

/* The identifier of a card: ISO 14443A UID (4, 7, 10 bytes), FeliCa IDm (8)
 * or ISO 14443B PUPI (4). Raw: stays inside the reader module. */
struct reader_nfc_card {
	uint8_t uid[PR_UID_MAX_BYTES];
	uint8_t len;                    /* 0: none */
};

/* Kinds of device node a connstring names. */
enum reader_nfc_node {
	READER_NFC_NODE_NONE = 0,       /* USB, PC/SC, or no connstring */
	READER_NFC_NODE_UART,           /* pn532_uart: a tty we may write to */
	READER_NFC_NODE_OTHER           /* pn532_i2c / pn532_spi */
};

#define READER_NFC_MODS_MAX 4

/* The reader: reader_nfc.c owns it; the watchdog thread (reader_nfc_wd.c)
 * reads and writes the fields marked (m), under mtx. */
struct reader_nfc {
	pthread_t thread, wd;
	int thread_started, wd_started;
	pthread_mutex_t mtx;            /* guards everything below marked (m) */
	pthread_cond_t cond;            /* stop, poll start/end (m) */
	int stop;                       /* (m) */
	nfc_device *dev;                /* (m) written only by the reader thread */
	enum reader_state state;        /* (m) last state posted */
	int64_t poll_deadline;          /* (m) 0: no InAutoPoll/WAIT running */
	int wd_fired;                   /* (m) the watchdog aborted the poll */

	/* reader-thread only */
	nfc_context *ctx;
	char connstring[NFC_BUFSIZE_CONNSTRING];
	int has_connstring;
	char node_path[NFC_BUFSIZE_CONNSTRING]; /* pn532_* device node, or "" */
	enum reader_nfc_node node;
	int unclaim_done;               /* stale claim checked once */
	nfc_modulation mods[READER_NFC_MODS_MAX];
	size_t nmods;
	unsigned chip_types;            /* target types per InAutoPoll round */
	uint8_t period, pollnr;
	int mode;                       /* READER_NFC_POLL_LIST, _AUTO or _WAIT */
	int64_t rearm_ms;               /* WAIT: abort + ping this often */
	int gap_ms;                     /* LIST: sleep between two rounds */
	int64_t idle_ms;                /* LIST: InAutoPoll after this long
	                                 * without a card; 0 never */
	int64_t card_ms;                /* last time a card was on (or start) */
	uint8_t key[PR_ORG_KEY_BYTES];
	struct reader_nfc_card card;    /* the card on the reader, if any */
	int errors;                     /* consecutive device errors */
};

/* The identifier of a target from a poll. Returns 0, or -1 if the target
 * has no usable identifier (then out->len is 0). */
int reader_nfc_card_from_target(const nfc_target *nt,
    struct reader_nfc_card *out);

/* 1 if a and b are the same card (constant time over the bytes). */
int reader_nfc_card_same(const struct reader_nfc_card *a,
    const struct reader_nfc_card *b);

/* Presence check for targets libnfc's nfc_initiator_target_is_present does
 * not support (type A cards that are neither MIFARE Classic, Ultralight nor
 * ISO 14443-4): a single-shot select of that UID. Returns 1 present, 0 gone,
 * or a negative libnfc error; out (NULL: not wanted) gets libnfc's target,
 * which becomes libnfc's current target. Needs NP_INFINITE_SELECT off. */
int reader_nfc_reselect(nfc_device *dev, const nfc_target *nt, nfc_target *out);

/* WAIT mode (reader_nfc_wait.c): 1 if this device's driver is a PN53x one
 * whose chip can be handed a raw InListPassiveTarget (pn532_uart, pn532_i2c,
 * pn532_spi, pn53x_usb), else 0 (the reader falls back to LIST rounds). */
int reader_nfc_wait_supported(nfc_device *dev);

/* One InListPassiveTarget (106 kbit/s type A, MaxTg 1) with
 * MxRtyPassiveActivation 0xFF and no host timeout: the chip tries until a
 * card answers; the calling thread sleeps in libnfc's blocking read (no
 * wakeups) until then or until nfc_abort_command (libnfc then sends the
 * chip an ACK frame, which aborts the command). Returns 1 and the card's
 * ATQA, SAK and UID in *nt (NP_INFINITE_SELECT still on: call
 * reader_nfc_wait_adopt next), 0 no target, NFC_EOPABORTED after an abort,
 * or another negative libnfc error (NP_INFINITE_SELECT off again). */
int reader_nfc_wait_card(nfc_device *dev, nfc_target *nt);

/* After reader_nfc_wait_card found `seen`: single tries again and a
 * re-select of that UID, so *nt and libnfc's current target are libnfc's own
 * (its presence checks need them). Returns 1, 0 (the card already left, or
 * a UID that cannot be selected by), or a negative libnfc error. */
int reader_nfc_wait_adopt(nfc_device *dev, const nfc_target *seen,
    nfc_target *nt);

/* GetFirmwareVersion bounded by timeout_ms: is the chip still answering?
 * Returns 0 or a negative libnfc error (NFC_ETIMEOUT for a silent chip). */
int reader_nfc_ping(nfc_device *dev, int timeout_ms);

/* The device node in a connstring "driver:/dev/node[:speed]" into path.
 * Returns its kind; NONE (path "") when the driver has no node or the
 * connstring does not fit. */
enum reader_nfc_node reader_nfc_device_path(const char *connstring,
    char *path, size_t cap);

/* Write a GetFirmwareVersion frame to a PN532 on a UART that stopped
 * answering: when the chip is back its answer ends libnfc's wait for an ACK,
 * which has no timeout. No-op for "" paths. Returns 0 or -1. */
int reader_nfc_nudge(const char *uart_path);

/* libnfc 1.8.0 (buses/uart.c) marks a tty it has open by setting this bit
 * in c_iflag and clears it only in nfc_close: a kiosk killed with the port
 * open leaves it set, and every later nfc_open fails with "Serial port
 * already claimed" until the port is reset. */
#define READER_NFC_CCLAIMED 0x80000000u

/* Clear a stale libnfc claim on a UART. Call only while this process has
 * no libnfc device open on it. Returns 1 if a claim was cleared, 0 if there
 * was none, -1 if the node cannot be opened or set. */
int reader_nfc_unclaim(const char *uart_path);

/* The watchdog thread (pthread start routine, arg: struct reader_nfc *):
 * aborts a command past r->poll_deadline (an InAutoPoll overdue, a WAIT
 * due for its re-arm), and if that does not end it within a second posts
 * DISCONNECTED and nudges a UART chip. Returns NULL once r->stop is set. */
void *reader_nfc_watchdog(void *arg);

#endif
