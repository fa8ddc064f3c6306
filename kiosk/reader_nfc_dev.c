/* reader_nfc_dev.c — the device node behind a libnfc connstring, the nudge
 * that wakes libnfc when a PN532 on a UART went silent mid-command, and the
 * removal of a stale libnfc claim on a tty.
 * Must not: open the device for anything else, or while libnfc has it. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "reader_nfc_int.h"

/* GetFirmwareVersion: 00 00 FF LEN LCS D4 02 DCS 00. */
static const uint8_t nudge_frame[] = {
	0x00, 0x00, 0xFF, 0x02, 0xFE, 0xD4, 0x02, 0x2A, 0x00
};

enum reader_nfc_node
reader_nfc_device_path(const char *connstring, char *path, size_t cap)
{
	static const struct { const char *prefix; enum reader_nfc_node kind; } drv[] = {
		{ "pn532_uart:", READER_NFC_NODE_UART },
		{ "pn532_i2c:", READER_NFC_NODE_OTHER },
		{ "pn532_spi:", READER_NFC_NODE_OTHER },
	};
	const char *p, *end;
	size_t n;

	if (cap)
		path[0] = '\0';
	if (!connstring)
		return READER_NFC_NODE_NONE;
	for (size_t i = 0; i < sizeof(drv) / sizeof(drv[0]); i++) {
		size_t pl = strlen(drv[i].prefix);
		if (strncmp(connstring, drv[i].prefix, pl) != 0)
			continue;
		p = connstring + pl;
		end = strchr(p, ':');
		n = end ? (size_t)(end - p) : strlen(p);
		if (n == 0 || n >= cap || p[0] != '/')
			return READER_NFC_NODE_NONE;
		memcpy(path, p, n);
		path[n] = '\0';
		return drv[i].kind;
	}
	return READER_NFC_NODE_NONE;
}

int
reader_nfc_nudge(const char *uart_path)
{
	int fd, rc = -1;
	ssize_t w;

	if (!uart_path || !uart_path[0])
		return 0;
	fd = open(uart_path, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	do
		w = write(fd, nudge_frame, sizeof(nudge_frame));
	while (w < 0 && errno == EINTR);
	if (w == (ssize_t)sizeof(nudge_frame))
		rc = 0;
	close(fd);
	return rc;
}

int
reader_nfc_unclaim(const char *uart_path)
{
	struct termios t;
	int fd, rc = 0;

	if (!uart_path || !uart_path[0])
		return 0;
	fd = open(uart_path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (tcgetattr(fd, &t) != 0) {
		rc = -1;
	} else if (t.c_iflag & READER_NFC_CCLAIMED) {
		t.c_iflag &= ~(tcflag_t)READER_NFC_CCLAIMED;
		rc = tcsetattr(fd, TCSANOW, &t) == 0 ? 1 : -1;
	}
	close(fd);
	return rc;
}
