/* timing.c — how long a real PN532 (HSU at 115200 baud, ISO 14443A cards at
 * 106 kbit/s) takes, for the emulator's chip-accurate mode: wire time of a
 * frame, RF time of the anticollision and select of a card, one activation
 * try with no card, the InDataExchange timeout. Every figure and its source
 * is in docs/NFC.md "Emulator timing" (and next to its constant below).
 * Must not: do I/O or keep state; chip.c and main.c decide when to use it. */
#include "emu.h"

/* HSU: 8N1 = 10 bits a byte at 115200 baud (UM0701-02 HSU default; libnfc
 * pn532_uart's default speed) = 86.8 us. */
#define HSU_BAUD            115200
#define HSU_BITS_PER_BYTE   10

/* ISO/IEC 14443-2 type A at 106 kbit/s: one bit = 128/fc, fc = 13.56 MHz. */
#define RF_FC_HZ            13560000LL
#define RF_BIT_CYCLES       128
/* ISO/IEC 14443-3: frame delay time PICC -> PCD for an answer to
 * REQA/anticollision/select, n = 9: 1236/fc (last bit 1) ~ 91 us. */
#define RF_FDT_PICC_CYCLES  1236
/* PCD turnaround (PICC frame end -> next PCD frame): ISO 14443-3 only
 * bounds it from below (1172/fc) and the PN532's is not published.
 * Assumed, on the slow side: ISO 14443-3's request guard time 7000/fc
 * (~516 us) after every exchange. */
#define RF_PCD_GUARD_CYCLES 7000
/* ISO 14443-4: SFGT = 256 x 16 / fc x 2^SFGI; our emulated DESFire
 * ATS has SFGI = 1 (TB = 0x81). */
#define RF_SFGT_CYCLES      (256 * 16 * 2)

int64_t
emu_wire_us(size_t nbytes)
{
	return (int64_t)nbytes * HSU_BITS_PER_BYTE * 1000000LL / HSU_BAUD;
}

static int64_t
cycles_us(int64_t cycles)
{
	return cycles * 1000000LL / RF_FC_HZ;
}

/* One standard frame of n bytes: start bit + 9 bits a byte (8 + parity)
 * + end of frame. */
static int64_t
rf_frame_us(size_t nbytes)
{
	return cycles_us((int64_t)(1 + 9 * nbytes + 1) * RF_BIT_CYCLES);
}

/* PCD frame of tx bytes, the card's answer of rx bytes. */
static int64_t
rf_exchange_us(size_t tx, size_t rx)
{
	return rf_frame_us(tx) + cycles_us(RF_FDT_PICC_CYCLES) + rf_frame_us(rx) +
	    cycles_us(RF_PCD_GUARD_CYCLES);
}

int64_t
emu_anticoll_us(size_t uid_len, int rats)
{
	/* REQA: a short frame of 7 bits (+ S, E); ATQA 2 bytes. */
	int64_t t = cycles_us(9 * RF_BIT_CYCLES) + cycles_us(RF_FDT_PICC_CYCLES) +
	    rf_frame_us(2) + cycles_us(RF_PCD_GUARD_CYCLES);
	size_t levels = uid_len == 10 ? 3 : uid_len == 7 ? 2 : 1;

	/* Per cascade level: ANTICOLLISION SEL NVB=20 -> 4 UID bytes + BCC;
	 * SELECT SEL NVB=70 UID BCC CRC (9 bytes) -> SAK + CRC (3 bytes). */
	for (size_t i = 0; i < levels; i++)
		t += rf_exchange_us(2, 5) + rf_exchange_us(9, 3);
	/* RATS (E0 param CRC) -> our 6-byte ATS + CRC, then SFGT. */
	if (rats)
		t += rf_exchange_us(4, 8) + cycles_us(RF_SFGT_CYCLES);
	return t;
}

int64_t
emu_rf_exchange_us(size_t tx, size_t rx)
{
	return rf_exchange_us(tx, rx);
}

int64_t
emu_retry_timeout_us(uint8_t code)
{
	/* UM0701-02 7.3.1 RFConfiguration item 2: RetryTimeout/ATR_RES timeout,
	 * 0x01 = 100 us, each step doubles (0x0A = 51.2 ms, 0x10 = 3.28 s);
	 * 0x00 = no timeout (we answer after the longest, 3.28 s). */
	if (code == 0 || code > 0x10)
		code = 0x10;
	return 100LL << (code - 1);
}
