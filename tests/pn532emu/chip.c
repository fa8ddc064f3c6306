/* chip.c — the PN532 command set as libnfc 1.8.0 drives it, and the card in
 * the field. Answers what pn53x.c sends on open (SAMConfiguration, Diagnose,
 * GetFirmwareVersion, SetParameters, Read/WriteRegister, RFConfiguration),
 * polls (InListPassiveTarget, InAutoPoll), presence checks (InDataExchange,
 * InCommunicateThru, re-select) and close (InRelease, PowerDown).
 * Must not: do I/O; main.c sends what this queues. */
#include <string.h>

#include "emu.h"

/* Command codes (PN532 user manual 7.1). */
enum {
	CMD_DIAGNOSE = 0x00, CMD_FIRMWARE = 0x02, CMD_STATUS = 0x04,
	CMD_READREG = 0x06, CMD_WRITEREG = 0x08, CMD_READGPIO = 0x0C,
	CMD_WRITEGPIO = 0x0E, CMD_BAUD = 0x10, CMD_SETPARAM = 0x12,
	CMD_SAM = 0x14, CMD_POWERDOWN = 0x16, CMD_RFCONFIG = 0x32,
	CMD_EXCHANGE = 0x40, CMD_THRU = 0x42, CMD_DESELECT = 0x44,
	CMD_LIST = 0x4A, CMD_RELEASE = 0x52, CMD_SELECT = 0x54,
	CMD_AUTOPOLL = 0x60
};

/* InAutoPoll target types (user manual 7.3.13). */
#define PTT_GENERIC_106   0x00
#define PTT_MIFARE        0x10
#define PTT_ISO14443_4A   0x20

#define PARAM_AUTO_RATS   0x10
#define SAK_ISO14443_4    0x20
#define RFCI_TIMING       0x02  /* RFConfiguration: Various timings */
#define RFCI_RETRY_SELECT 0x05  /* RFConfiguration: MaxRetries */
#define READ_TX_BYTES     4     /* MIFARE READ: 30 page CRC CRC */
#define READ_RX_BYTES     18    /* 16 data bytes + CRC */
#define RNAK_BYTES        3     /* ISO 14443-4 R-block + CRC, both ways */

/* A DESFire EV1 ATS: TL T0 TA TB TC T1 (TL counts itself). */
static const uint8_t desfire_ats[] = { 0x06, 0x75, 0x77, 0x81, 0x02, 0x80 };

void
emu_chip_reset(struct emu_chip *c)
{
	int present = c->card_present;
	struct emu_card card = c->card;
	unsigned slow = c->slow_ms;
	int real = c->real_poll;
	int64_t ready = c->card_ready_us, try_us = c->try_us;
	struct emu_stats st = c->st;

	memset(c, 0, sizeof(*c));
	c->card_present = present;
	c->card = card;
	c->slow_ms = slow;
	c->real_poll = real;
	c->card_ready_us = ready;
	c->try_us = try_us > 0 ? try_us : EMU_TRY_US;
	c->st = st;
	c->mx_rty_passive = 0xFF;
	c->retry_timeout = EMU_RETRY_TIMEOUT_DEFAULT;
	c->reply_due_us = -1;
	c->pend_deadline_us = -1;
}

/* When an answer decided at `now` leaves the chip: the test's slow-down and,
 * in chip-accurate mode, the firmware's time. */
static int64_t
answer_time(const struct emu_chip *c, int64_t now)
{
	return now + (int64_t)c->slow_ms * 1000 + (c->real_poll ? EMU_FW_US : 0);
}

/* REQA to SAK/ATS of the card in the field. */
static int64_t
anticoll_us(const struct emu_chip *c)
{
	int rats = (c->card.sak & SAK_ISO14443_4) && (c->params & PARAM_AUTO_RATS);

	return c->real_poll ? emu_anticoll_us(c->card.uid_len, rats) : 0;
}

static void
answer(struct emu_chip *c, uint8_t code, const uint8_t *data, size_t n,
    int64_t now)
{
	if (n + 1 > sizeof(c->reply))
		n = sizeof(c->reply) - 1;
	c->reply[0] = (uint8_t)(code + 1);
	if (n)
		memcpy(c->reply + 1, data, n);
	c->reply_len = n + 1;
	c->reply_is_error = 0;
	c->reply_due_us = answer_time(c, now);
}

static void
answer_error(struct emu_chip *c, int64_t now)
{
	c->reply_len = 0;
	c->reply_is_error = 1;
	c->reply_due_us = answer_time(c, now);
}

/* Cascaded UID as libnfc sends it to re-select one card (iso14443-subr.c). */
static size_t
cascade_uid(const struct emu_card *k, uint8_t out[12])
{
	if (k->uid_len == 7) {
		out[0] = 0x88;
		memcpy(out + 1, k->uid, 7);
		return 8;
	}
	if (k->uid_len == 10) {
		out[0] = 0x88;
		memcpy(out + 1, k->uid, 3);
		out[4] = 0x88;
		memcpy(out + 5, k->uid + 3, 7);
		return 12;
	}
	memcpy(out, k->uid, k->uid_len);
	return k->uid_len;
}

/* TargetData for 106 kbit/s type A: Tg SENS_RES SEL_RES NFCIDLength NFCID1 [ATS]. */
static size_t
target_data(const struct emu_chip *c, uint8_t *out)
{
	const struct emu_card *k = &c->card;
	size_t n = 0;

	out[n++] = 0x01;
	out[n++] = k->atqa[0];
	out[n++] = k->atqa[1];
	out[n++] = k->sak;
	out[n++] = (uint8_t)k->uid_len;
	memcpy(out + n, k->uid, k->uid_len);
	n += k->uid_len;
	if ((k->sak & SAK_ISO14443_4) && (c->params & PARAM_AUTO_RATS)) {
		memcpy(out + n, desfire_ats, sizeof(desfire_ats));
		n += sizeof(desfire_ats);
	}
	return n;
}

/* Does the card answer a poll for this target type? */
static int
type_matches(const struct emu_card *k, uint8_t ptt)
{
	if (ptt == PTT_GENERIC_106 || ptt == PTT_MIFARE)
		return 1;
	if (ptt == PTT_ISO14443_4A)
		return (k->sak & SAK_ISO14443_4) != 0;
	return 0;                       /* B, FeliCa, Jewel, DEP: no such card */
}

static int
list_matches(const struct emu_chip *c)
{
	uint8_t cas[12];
	size_t n;

	if (!c->card_present || !c->field_on)
		return 0;
	if (c->pend_init_len == 0)
		return 1;
	n = cascade_uid(&c->card, cas);
	return n == c->pend_init_len && memcmp(cas, c->pend_init, n) == 0;
}

static void
answer_list(struct emu_chip *c, int64_t now, int found)
{
	uint8_t d[1 + 5 + EMU_UID_MAX + sizeof(desfire_ats)];
	size_t n;

	if (!found || !list_matches(c)) {
		d[0] = 0;
		answer(c, CMD_LIST, d, 1, now);
	} else {
		d[0] = 1;
		n = target_data(c, d + 1);
		c->selected = 1;
		answer(c, CMD_LIST, d, n + 1, now);
	}
	c->pend = EMU_PEND_NONE;
}

/* The first requested type the card answers, or -1. */
static int
autopoll_type(const struct emu_chip *c)
{
	if (!c->card_present)
		return -1;
	for (size_t i = 0; i < c->pend_ntypes; i++)
		if (type_matches(&c->card, c->pend_types[i]))
			return c->pend_types[i];
	return -1;
}

static void
answer_autopoll(struct emu_chip *c, int ptt, int64_t now)
{
	uint8_t d[3 + 5 + EMU_UID_MAX + sizeof(desfire_ats)];
	size_t n = 0;

	if (ptt < 0) {
		d[n++] = 0;
	} else {
		d[n++] = 1;
		d[n++] = (uint8_t)ptt;
		n++;                    /* length, filled below */
		size_t t = target_data(c, d + n);
		d[2] = (uint8_t)t;
		n += t;
		c->selected = 1;
	}
	c->pend = EMU_PEND_NONE;
	answer(c, CMD_AUTOPOLL, d, n, now);
}

/* When InAutoPoll's loop sees the card that answers from `ready` on: at once
 * (instant mode), else at the first poll slot (start + k x period) not
 * before `ready`, plus the anticollision. */
static int64_t
autopoll_found(const struct emu_chip *c, int64_t ready)
{
	int64_t slot = c->pend_period_us ? c->pend_period_us : EMU_POLL_UNIT_US;
	int64_t since = ready - c->pend_start_us, k;

	if (!c->real_poll)
		return ready;
	k = since <= 0 ? 0 : (since + slot - 1) / slot;
	return c->pend_start_us + k * slot + anticoll_us(c);
}

static void
cmd_autopoll(struct emu_chip *c, const uint8_t *p, size_t n, int64_t now)
{
	uint8_t pollnr, period;
	int ptt;

	c->st.autopolls++;
	c->field_on = 1;                /* the chip switches the field on to poll */
	if (n < 3 || n - 2 > EMU_POLL_TYPES_MAX) {
		answer_error(c, now);
		return;
	}
	pollnr = p[0];
	period = p[1];
	c->pend = EMU_PEND_AUTOPOLL;
	c->pend_start_us = now;
	c->pend_period_us = (int64_t)period * EMU_POLL_UNIT_US;
	c->pend_ntypes = n - 2;
	memcpy(c->pend_types, p + 2, n - 2);
	c->pend_deadline_us = pollnr == 0xFF ? -1 :
	    now + (int64_t)pollnr * (int64_t)c->pend_ntypes * c->pend_period_us;
	ptt = autopoll_type(c);
	if (ptt < 0)
		return;
	if (c->real_poll && c->card_ready_us > now) {
		int64_t at = autopoll_found(c, c->card_ready_us);
		if (c->pend_deadline_us < 0 || at < c->pend_deadline_us)
			answer_autopoll(c, ptt, at);
		return;
	}
	answer_autopoll(c, ptt, now + anticoll_us(c));
}

/* When the pending InListPassiveTarget finds the card that answers from
 * `ready` on, or -1 if its tries are over by then. Instant mode: `ready`.
 * Chip-accurate: tries of try_us each from the command's start; a card
 * ready during a try is seen at the next one. */
static int64_t
list_found(const struct emu_chip *c, int64_t ready)
{
	int64_t since = ready - c->pend_start_us, k;

	if (!c->real_poll)
		return ready;
	k = since <= 0 ? 0 : (since + c->try_us - 1) / c->try_us;
	if (c->pend_tries && k >= (int64_t)c->pend_tries)
		return -1;
	return c->pend_start_us + k * c->try_us + anticoll_us(c);
}

static void
cmd_list(struct emu_chip *c, const uint8_t *p, size_t n, int64_t now)
{
	uint8_t none = 0;
	int64_t at;

	c->st.lists++;
	c->field_on = 1;
	if (n < 2) {
		answer_error(c, now);
		return;
	}
	if (p[1] != 0x00) {             /* not 106 kbit/s type A: no such card */
		answer(c, CMD_LIST, &none, 1, now + (c->real_poll ? c->try_us : 0));
		return;
	}
	c->pend_init_len = n - 2 > sizeof(c->pend_init) ? sizeof(c->pend_init) : n - 2;
	memcpy(c->pend_init, p + 2, c->pend_init_len);
	c->pend = EMU_PEND_LIST;
	c->pend_start_us = now;
	/* MxRtyPassiveActivation: 0xFF forever, else 1 + that many tries
	 * (UM0701-02 7.3.1, CfgItem 5). libnfc's "single-shot" select sets 2. */
	c->pend_tries = c->mx_rty_passive == 0xFF ? 0 : 1u + c->mx_rty_passive;
	if (c->pend_init_len && c->pend_tries == 0)
		c->pend_tries = 256;    /* a re-select is never left pending forever */
	at = list_matches(c) ? list_found(c, c->card_ready_us > now ?
	    c->card_ready_us : now) : -1;
	if (at >= 0) {
		answer_list(c, at, 1);
	} else if (c->pend_tries == 0) {
		c->pend_deadline_us = -1;       /* retries forever, as the chip does */
	} else if (c->real_poll) {
		c->pend_deadline_us = now + (int64_t)c->pend_tries * c->try_us;
	} else {
		/* instant mode: each activation try is a REQA (~1 ms) */
		c->pend_deadline_us = now + 1000 * (int64_t)c->pend_tries;
	}
}

/* When an exchange the card answers (tx out, rx back) ends; and when one it
 * does not answer ends: the RetryTimeout the host set (RFConfiguration 2). */
static int64_t
rf_answered(const struct emu_chip *c, int64_t now, size_t tx, size_t rx)
{
	return c->real_poll ? now + emu_rf_exchange_us(tx, rx) : now;
}

static int64_t
rf_silent(const struct emu_chip *c, int64_t now)
{
	return c->real_poll ? now + emu_retry_timeout_us(c->retry_timeout) : now;
}

static void
cmd_exchange(struct emu_chip *c, const uint8_t *p, size_t n, int64_t now)
{
	uint8_t d[17];

	c->st.exchanges++;
	memset(d, 0, sizeof(d));
	if (n < 2 || !c->card_present || !c->selected || p[0] != 0x01) {
		d[0] = EMU_ST_TIMEOUT;
		answer(c, CMD_EXCHANGE, d, 1, rf_silent(c, now));
		return;
	}
	if (p[1] == 0x30 && !(c->card.sak & SAK_ISO14443_4)) {
		/* READ: 4 pages; the UID pages are left zero (no UID on the wire
		 * beyond what the select already carried). */
		d[0] = EMU_ST_OK;
		answer(c, CMD_EXCHANGE, d, 17,
		    rf_answered(c, now, READ_TX_BYTES, READ_RX_BYTES));
		return;
	}
	d[0] = EMU_ST_TIMEOUT;
	answer(c, CMD_EXCHANGE, d, 1, rf_silent(c, now));
}

static void
cmd_thru(struct emu_chip *c, const uint8_t *p, size_t n, int64_t now)
{
	uint8_t d[2] = { EMU_ST_TIMEOUT, 0 };

	c->st.exchanges++;
	/* An R(NAK) block to an ISO 14443-4 card: it answers R(ACK). */
	if (n >= 1 && c->card_present && c->selected &&
	    (c->card.sak & SAK_ISO14443_4) && (p[0] & 0xF6) == 0xB2) {
		d[0] = EMU_ST_OK;
		d[1] = (uint8_t)(0xA2 | (p[0] & 0x01));
		answer(c, CMD_THRU, d, 2, rf_answered(c, now, RNAK_BYTES, RNAK_BYTES));
		return;
	}
	answer(c, CMD_THRU, d, 1, rf_silent(c, now));
}

static void
cmd_registers(struct emu_chip *c, uint8_t code, const uint8_t *p, size_t n,
    int64_t now)
{
	uint8_t vals[EMU_DATA_MAX];
	size_t k = 0;

	if (code == CMD_READREG) {
		for (size_t i = 0; i + 1 < n; i += 2)
			vals[k++] = p[i] == 0x63 ? c->regs[p[i + 1]] : 0x00;
		answer(c, code, vals, k, now);
		return;
	}
	for (size_t i = 0; i + 2 < n; i += 3)
		if (p[i] == 0x63)
			c->regs[p[i + 1]] = p[i + 2];
	answer(c, code, NULL, 0, now);
}

void
emu_chip_command(struct emu_chip *c, const uint8_t *cmd, size_t n, int64_t now)
{
	const uint8_t *p = cmd + 1;
	size_t pn = n - 1;
	uint8_t d[8];

	c->st.frames++;
	c->pend = EMU_PEND_NONE;        /* a new command replaces a pending one */
	c->pend_deadline_us = -1;
	c->reply_due_us = -1;
	if (n == 0) {
		answer_error(c, now);
		return;
	}
	switch (cmd[0]) {
	case CMD_DIAGNOSE:
		if (pn >= 1 && p[0] == 0x06) {          /* card presence */
			d[0] = c->card_present && c->selected ? EMU_ST_OK : EMU_ST_TIMEOUT;
			answer(c, cmd[0], d, 1, now);
		} else {
			answer(c, cmd[0], p, pn, now);  /* communication test: echo */
		}
		break;
	case CMD_FIRMWARE:
		d[0] = 0x32; d[1] = 0x01; d[2] = 0x06; d[3] = 0x07;
		answer(c, cmd[0], d, 4, now);
		break;
	case CMD_STATUS:
		d[0] = 0x00;                            /* last error */
		d[1] = (uint8_t)c->field_on;
		d[2] = (uint8_t)(c->selected && c->card_present);
		if (d[2]) {
			d[3] = 0x01; d[4] = 0x00; d[5] = 0x00; d[6] = 0x00;
			d[7] = 0x00;                    /* SAM status */
			answer(c, cmd[0], d, 8, now);
		} else {
			d[3] = 0x00;
			answer(c, cmd[0], d, 4, now);
		}
		break;
	case CMD_READREG:
	case CMD_WRITEREG:
		cmd_registers(c, cmd[0], p, pn, now);
		break;
	case CMD_READGPIO:
		d[0] = 0xFF; d[1] = 0xFF; d[2] = 0x00;
		answer(c, cmd[0], d, 3, now);
		break;
	case CMD_SETPARAM:
		if (pn >= 1)
			c->params = p[0];
		answer(c, cmd[0], NULL, 0, now);
		break;
	case CMD_WRITEGPIO:
	case CMD_BAUD:
	case CMD_SAM:
		answer(c, cmd[0], NULL, 0, now);
		break;
	case CMD_POWERDOWN:
		c->st.powerdowns++;
		c->selected = 0;
		d[0] = EMU_ST_OK;
		answer(c, cmd[0], d, 1, now);
		break;
	case CMD_RFCONFIG:
		if (pn >= 2 && p[0] == 0x01) {
			c->field_on = p[1] & 0x01;
			if (!c->field_on)
				c->selected = 0;
		} else if (pn >= 4 && p[0] == RFCI_RETRY_SELECT) {
			c->mx_rty_passive = p[3];
		} else if (pn >= 4 && p[0] == RFCI_TIMING) {
			c->retry_timeout = p[3];
		}
		answer(c, cmd[0], NULL, 0, now);
		break;
	case CMD_EXCHANGE:
		cmd_exchange(c, p, pn, now);
		break;
	case CMD_THRU:
		cmd_thru(c, p, pn, now);
		break;
	case CMD_DESELECT:
	case CMD_RELEASE:
	case CMD_SELECT:
		if (cmd[0] != CMD_SELECT)
			c->selected = 0;
		d[0] = EMU_ST_OK;
		answer(c, cmd[0], d, 1, now);
		break;
	case CMD_LIST:
		cmd_list(c, p, pn, now);
		break;
	case CMD_AUTOPOLL:
		cmd_autopoll(c, p, pn, now);
		break;
	default:
		c->st.unknown++;
		answer_error(c, now);
		break;
	}
	if (c->reply_due_us >= 0 && !c->reply_is_error) {
		memcpy(c->last, c->reply, c->reply_len);
		c->last_len = c->reply_len;
	}
}

void
emu_chip_abort(struct emu_chip *c)
{
	c->st.acks_in++;
	c->pend = EMU_PEND_NONE;
	c->pend_deadline_us = -1;
	c->reply_due_us = -1;
}

void
emu_chip_card_in(struct emu_chip *c, const struct emu_card *card, int64_t now)
{
	int64_t at;
	int ptt;

	c->card = *card;
	c->card_present = 1;
	c->selected = 0;
	c->card_ready_us = c->real_poll ? now + EMU_CARD_READY_US : now;
	if (!c->field_on)
		return;
	if (c->pend == EMU_PEND_AUTOPOLL && (ptt = autopoll_type(c)) >= 0) {
		at = autopoll_found(c, c->card_ready_us);
		if (c->pend_deadline_us >= 0 && at >= c->pend_deadline_us)
			return;         /* its last slot is over: "no target" */
		answer_autopoll(c, ptt, at);
	} else if (c->pend == EMU_PEND_LIST && list_matches(c)) {
		at = list_found(c, c->card_ready_us);
		if (at < 0)
			return;         /* its tries are over: "no target" */
		answer_list(c, at, 1);
	} else {
		return;
	}
	memcpy(c->last, c->reply, c->reply_len);
	c->last_len = c->reply_len;
}

void
emu_chip_card_out(struct emu_chip *c)
{
	c->card_present = 0;
	c->selected = 0;
	memset(&c->card, 0, sizeof(c->card));
}

void
emu_chip_tick(struct emu_chip *c, int64_t now)
{
	if (c->pend == EMU_PEND_NONE || c->pend_deadline_us < 0 ||
	    now < c->pend_deadline_us)
		return;
	/* The tries ran out. Chip-accurate: a card that became ready too late
	 * for the last try is not seen (the next command finds it); instant
	 * mode kept the old answer: whatever is in the field now. */
	if (c->pend == EMU_PEND_AUTOPOLL)
		answer_autopoll(c, -1, now);
	else
		answer_list(c, now, !c->real_poll);
	memcpy(c->last, c->reply, c->reply_len);
	c->last_len = c->reply_len;
}

int64_t
emu_chip_next_us(const struct emu_chip *c)
{
	int64_t t = c->reply_due_us;

	if (c->pend != EMU_PEND_NONE && c->pend_deadline_us >= 0 &&
	    (t < 0 || c->pend_deadline_us < t))
		t = c->pend_deadline_us;
	return t;
}
