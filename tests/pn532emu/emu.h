/* emu.h — the PN532 emulator's internal interface (test tool, not shipped).
 * frame.c owns the HSU wire format (parse host frames, build chip frames,
 * corrupt them on purpose); chip.c owns the PN532 command set and the card in
 * the field; timing.c owns how long a real chip takes (chip-accurate mode);
 * wire.c owns the transmit line (frames written when they would arrive);
 * main.c owns the pty, the control channel and the event loop. Times are
 * CLOCK_MONOTONIC microseconds.
 * Must not: print a card UID (tests grep every output for it). */
#ifndef PN532EMU_EMU_H
#define PN532EMU_EMU_H

#include <stddef.h>
#include <stdint.h>

/* Wire limits (PN532 user manual 6.2.1): normal frames carry up to 254 data
 * bytes (TFI included), extended frames up to 264 in libnfc 1.8.0. */
#define EMU_DATA_MAX      265              /* TFI + PD0..PDn of one frame */
#define EMU_FRAME_MAX     (EMU_DATA_MAX + 12)
#define EMU_RX_MAX        4096             /* host bytes buffered before parsing */
#define EMU_UID_MAX       10
#define EMU_ATS_MAX       16
#define EMU_POLL_TYPES_MAX 15              /* InAutoPoll: at most 15 target types */

#define EMU_TFI_HOST      0xD4
#define EMU_TFI_CHIP      0xD5

/* Status byte of In* answers (user manual table "error codes"). */
#define EMU_ST_OK         0x00
#define EMU_ST_TIMEOUT    0x01             /* the target did not answer */

/* ---- frame.c ------------------------------------------------------------ */

enum emu_frame_kind {
	EMU_FRAME_NONE = 0,   /* need more bytes */
	EMU_FRAME_ACK,        /* host ACK: abort the running command */
	EMU_FRAME_NACK,       /* host NACK: send the last answer again */
	EMU_FRAME_CMD,        /* a valid information frame */
	EMU_FRAME_BAD         /* checksum/TFI error: dropped */
};

struct emu_rx {
	uint8_t buf[EMU_RX_MAX];
	size_t len;
};

/* Append n host bytes; bytes beyond EMU_RX_MAX are dropped (a real UART
 * overruns too). */
void emu_rx_push(struct emu_rx *rx, const uint8_t *b, size_t n);

/* Take the next frame out of rx. Wake-up bytes (0x55, 0x00) and junk before
 * a start code are skipped. For EMU_FRAME_CMD, copies the bytes after TFI
 * (command code first) into out and sets *n. Returns EMU_FRAME_NONE when rx
 * holds no complete frame yet. */
enum emu_frame_kind emu_frame_next(struct emu_rx *rx, uint8_t *out, size_t cap,
    size_t *n);

/* Ways to corrupt an answer frame (the `garbage` control command). */
enum emu_corrupt {
	EMU_CORRUPT_NONE = 0,
	EMU_CORRUPT_DCS,      /* data checksum wrong */
	EMU_CORRUPT_LCS,      /* length checksum wrong */
	EMU_CORRUPT_TFI,      /* D4 instead of D5 */
	EMU_CORRUPT_CODE,     /* answer code not command+1 (checksum right) */
	EMU_CORRUPT_POST,     /* postamble not 00 */
	EMU_CORRUPT_JUNK,     /* 8 random bytes instead of the frame */
	EMU_CORRUPT_KINDS
};

/* Build a chip frame 00 00 FF LEN LCS D5 pd... DCS 00 (extended when pd is
 * longer than 254 bytes) into out. Returns its length, 0 if it does not fit. */
size_t emu_frame_build(const uint8_t *pd, size_t n, uint8_t *out, size_t cap,
    enum emu_corrupt how);

/* The 6-byte ACK and the 8-byte syntax-error frame. */
extern const uint8_t emu_ack_frame[6];
extern const uint8_t emu_error_frame[8];

/* ---- chip.c ------------------------------------------------------------- */

struct emu_card {
	uint8_t uid[EMU_UID_MAX];
	size_t uid_len;        /* 4, 7 or 10 */
	uint8_t atqa[2];       /* SENS_RES as sent on the wire */
	uint8_t sak;           /* SEL_RES */
};

enum emu_pending {
	EMU_PEND_NONE = 0,
	EMU_PEND_AUTOPOLL,     /* InAutoPoll waiting for a card or its poll count */
	EMU_PEND_LIST          /* InListPassiveTarget with infinite retries */
};

struct emu_stats {
	unsigned long frames, bad_frames, acks_in, nacks_in, autopolls, lists,
	    exchanges, powerdowns, unknown, corrupted;
};

struct emu_chip {
	/* the field */
	int card_present;
	struct emu_card card;
	int selected;                 /* the card is the chip's current target */
	/* chip settings the host made */
	uint8_t regs[256];            /* CIU registers 0x6300..0x63FF */
	uint8_t params;               /* SetParameters flags */
	uint8_t mx_rty_passive;       /* RFConfiguration item 5, 0xFF = forever */
	int field_on;
	/* the command being executed */
	enum emu_pending pend;
	int64_t pend_deadline_us;     /* -1: none (waits for a card or an abort) */
	int64_t pend_start_us;
	int64_t pend_period_us;       /* InAutoPoll period, for the real-time model */
	unsigned pend_tries;          /* InListPassiveTarget activation tries, 0 forever */
	uint8_t pend_types[EMU_POLL_TYPES_MAX];
	size_t pend_ntypes;
	uint8_t pend_init[12];        /* InListPassiveTarget initiator data */
	size_t pend_init_len;
	/* the answer to send, when due */
	uint8_t reply[EMU_DATA_MAX];
	size_t reply_len;
	int reply_is_error;           /* send the syntax-error frame */
	int64_t reply_due_us;         /* -1: no answer queued */
	uint8_t last[EMU_DATA_MAX];   /* last answer, for NACK */
	size_t last_len;
	/* faults and models set by the test */
	unsigned slow_ms;             /* delay every answer */
	int real_poll;                /* chip-accurate timing (timing.c): poll slots,
	                               * activation tries, anticollision, timeouts */
	int64_t card_ready_us;        /* the card answers a REQA from then on */
	uint8_t retry_timeout;        /* RFConfiguration item 2 RetryTimeout code */
	int64_t try_us;               /* one activation try with no card */
	struct emu_stats st;
};

void emu_chip_reset(struct emu_chip *c);

/* A valid command frame from the host (cmd[0] = command code). Queues an
 * answer (reply_due_us) or makes the command pending. A new command replaces
 * one still pending, as the real chip does. */
void emu_chip_command(struct emu_chip *c, const uint8_t *cmd, size_t n,
    int64_t now);

/* Host ACK: drop the pending command and any queued answer. */
void emu_chip_abort(struct emu_chip *c);

/* Card placed / taken away. */
void emu_chip_card_in(struct emu_chip *c, const struct emu_card *card,
    int64_t now);
void emu_chip_card_out(struct emu_chip *c);

/* Let time pass: a pending InAutoPoll/InListPassiveTarget whose poll count ran
 * out answers "no target". */
void emu_chip_tick(struct emu_chip *c, int64_t now);

/* Earliest time something is due (answer or pending deadline), or -1. */
int64_t emu_chip_next_us(const struct emu_chip *c);

/* ---- timing.c ----------------------------------------------------------- */

/* Firmware time to handle one command besides its RF and wire time (chip.c
 * adds it to every answer in chip-accurate mode).
 * ASSUMED (UM0701-02 gives none): 0.5 ms for an 80C51 core at 27.12 MHz. */
#define EMU_FW_US          500
/* One InListPassiveTarget activation try that finds no card (REQA, wait
 * for an ATQA, the firmware's loop). ASSUMED (no published figure): 2 ms,
 * on the slow side of REQA (85 us) + FDT (91 us) + the CIU timer; settable
 * with the `trytime` control line. */
#define EMU_TRY_US         2000
/* A card placed in the field answers REQA within 5 ms (ISO/IEC 14443-3
 * clause 5, "Polling"); we take the bound. */
#define EMU_CARD_READY_US  5000
/* InAutoPoll period unit (UM0701-02 7.3.13: Period x 150 ms). */
#define EMU_POLL_UNIT_US   150000
/* RFConfiguration item 2 RetryTimeout at power-on (UM0701-02 7.3.1: 0x0A,
 * 51.2 ms). */
#define EMU_RETRY_TIMEOUT_DEFAULT 0x0A

/* Time nbytes take on the HSU wire (115200 baud, 8N1). */
int64_t emu_wire_us(size_t nbytes);
/* REQA to SAK (and ATS if rats) for a card with this UID length. */
int64_t emu_anticoll_us(size_t uid_len, int rats);
/* One exchange with the selected card: tx bytes out, rx bytes back. */
int64_t emu_rf_exchange_us(size_t tx, size_t rx);
/* RFConfiguration RetryTimeout code -> microseconds. */
int64_t emu_retry_timeout_us(uint8_t code);

/* ---- wire.c ------------------------------------------------------------- */

#define EMU_TXQ_MAX 4                      /* frames on their way to the host */

/* A frame the chip has started to send. */
struct emu_tx {
	uint8_t b[EMU_FRAME_MAX];
	size_t n;
	int64_t due_us;               /* its last byte has crossed the wire */
	int found;                    /* an answer with a target (for `timing`) */
};

struct emu_wire {
	int fd;                       /* the pty master, -1 while unplugged */
	int verbose;
	struct emu_tx q[EMU_TXQ_MAX]; /* chip-accurate mode: frames in flight */
	size_t n;
	int64_t free_us;              /* the line is idle from then */
	int64_t found_us;             /* last answer with a target written */
};

/* Send a frame the chip starts to send at `ready`: written now unless
 * timed, else queued until after the frames before it and its own wire
 * time (a full queue drops it, as an overrun would). found: it answers a
 * poll with a target. */
void emu_wire_send(struct emu_wire *w, const uint8_t *b, size_t n,
    int64_t ready, int found, int timed);
/* Write the queued frames that are due by now. */
void emu_wire_flush(struct emu_wire *w, int64_t now);
/* Host ACK: drop the queued frames not yet started by now. */
void emu_wire_abort(struct emu_wire *w, int64_t now);
/* When the first queued frame is due, or -1. */
int64_t emu_wire_next_us(const struct emu_wire *w);

#endif
