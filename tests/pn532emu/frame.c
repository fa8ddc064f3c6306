/* frame.c — the PN532 HSU frame format, both directions, for the emulator.
 * Host frames: [00] 00 FF LEN LCS D4 CMD ... DCS 00, extended frames
 * 00 00 FF FF FF LENM LENL LCS ..., ACK 00 00 FF 00 FF 00, NACK 00 00 FF FF 00 00.
 * Chip frames are built here and, on request, corrupted in one chosen way.
 * Must not: know what a command means (chip.c) or touch a file descriptor. */
#include <stdlib.h>
#include <string.h>

#include "emu.h"

const uint8_t emu_ack_frame[6] = { 0x00, 0x00, 0xFF, 0x00, 0xFF, 0x00 };
const uint8_t emu_error_frame[8] = { 0x00, 0x00, 0xFF, 0x01, 0xFF, 0x7F, 0x81, 0x00 };

void
emu_rx_push(struct emu_rx *rx, const uint8_t *b, size_t n)
{
	size_t room = sizeof(rx->buf) - rx->len;

	if (n > room)
		n = room;
	memcpy(rx->buf + rx->len, b, n);
	rx->len += n;
}

static void
rx_drop(struct emu_rx *rx, size_t n)
{
	if (n >= rx->len) {
		rx->len = 0;
		return;
	}
	memmove(rx->buf, rx->buf + n, rx->len - n);
	rx->len -= n;
}

/* Index of the first start code 00 FF, or rx->len if none. */
static size_t
find_start(const struct emu_rx *rx)
{
	for (size_t i = 0; i + 1 < rx->len; i++)
		if (rx->buf[i] == 0x00 && rx->buf[i + 1] == 0xFF)
			return i;
	return rx->len;
}

enum emu_frame_kind
emu_frame_next(struct emu_rx *rx, uint8_t *out, size_t cap, size_t *n)
{
	for (;;) {
		size_t s = find_start(rx);
		size_t len, hdr;

		if (s == rx->len) {
			/* keep a trailing 00: it may be the start of 00 FF */
			if (rx->len > 0 && rx->buf[rx->len - 1] == 0x00)
				rx_drop(rx, rx->len - 1);
			else
				rx->len = 0;
			return EMU_FRAME_NONE;
		}
		rx_drop(rx, s);                 /* now buf = 00 FF ... */
		if (rx->len < 4)
			return EMU_FRAME_NONE;
		if (rx->buf[2] == 0x00 && rx->buf[3] == 0xFF) {
			rx_drop(rx, 4);         /* postamble 00 is skipped later */
			return EMU_FRAME_ACK;
		}
		if (rx->buf[2] == 0xFF && rx->buf[3] == 0x00) {
			rx_drop(rx, 4);
			return EMU_FRAME_NACK;
		}
		if (rx->buf[2] == 0xFF && rx->buf[3] == 0xFF) {
			if (rx->len < 7)
				return EMU_FRAME_NONE;
			if (((rx->buf[4] + rx->buf[5] + rx->buf[6]) & 0xFF) != 0) {
				rx_drop(rx, 2);
				return EMU_FRAME_BAD;
			}
			len = ((size_t)rx->buf[4] << 8) | rx->buf[5];
			hdr = 7;
		} else {
			if (((rx->buf[2] + rx->buf[3]) & 0xFF) != 0) {
				rx_drop(rx, 2);
				return EMU_FRAME_BAD;
			}
			len = rx->buf[2];
			hdr = 4;
		}
		if (len < 2 || len > EMU_DATA_MAX) {
			rx_drop(rx, 2);
			return EMU_FRAME_BAD;
		}
		if (rx->len < hdr + len + 1)    /* data + DCS (postamble optional) */
			return EMU_FRAME_NONE;

		const uint8_t *d = rx->buf + hdr;
		unsigned sum = 0;
		for (size_t i = 0; i <= len; i++)
			sum += d[i];
		if ((sum & 0xFF) != 0 || d[0] != EMU_TFI_HOST || len - 1 > cap) {
			rx_drop(rx, hdr + len + 1);
			return EMU_FRAME_BAD;
		}
		memcpy(out, d + 1, len - 1);
		*n = len - 1;
		rx_drop(rx, hdr + len + 1);
		return EMU_FRAME_CMD;
	}
}

size_t
emu_frame_build(const uint8_t *pd, size_t n, uint8_t *out, size_t cap,
    enum emu_corrupt how)
{
	size_t len = n + 1;             /* TFI + pd */
	size_t hdr = len > 255 ? 8 : 5, total = hdr + len + 2, i;
	unsigned sum = EMU_TFI_CHIP;

	if (len > EMU_DATA_MAX || total > cap)
		return 0;
	if (how == EMU_CORRUPT_JUNK) {
		for (i = 0; i < 8; i++)
			out[i] = (uint8_t)(random() & 0xFF);
		out[0] = 0x5A;          /* never a valid preamble */
		return 8;
	}
	out[0] = 0x00;
	out[1] = 0x00;
	out[2] = 0xFF;
	if (hdr == 8) {
		out[3] = 0xFF;
		out[4] = 0xFF;
		out[5] = (uint8_t)(len >> 8);
		out[6] = (uint8_t)(len & 0xFF);
		out[7] = (uint8_t)(0x100 - ((out[5] + out[6]) & 0xFF));
	} else {
		out[3] = (uint8_t)len;
		out[4] = (uint8_t)(0x100 - len);
	}
	out[hdr] = EMU_TFI_CHIP;
	memcpy(out + hdr + 1, pd, n);
	if (how == EMU_CORRUPT_CODE && n > 0)
		out[hdr + 1] = (uint8_t)(out[hdr + 1] + 2);
	for (i = 0; i < n; i++)
		sum += out[hdr + 1 + i];
	out[hdr + len] = (uint8_t)(0x100 - (sum & 0xFF));
	out[hdr + len + 1] = 0x00;

	switch (how) {
	case EMU_CORRUPT_DCS:  out[hdr + len] ^= 0x5A; break;
	case EMU_CORRUPT_LCS:  out[hdr - 1] ^= 0x01; break;
	case EMU_CORRUPT_TFI:  out[hdr] = EMU_TFI_HOST; break;
	case EMU_CORRUPT_POST: out[hdr + len + 1] = 0x55; break;
	default: break;
	}
	return total;
}
