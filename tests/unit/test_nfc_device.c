/* test_nfc_device.c — finding the reader (nfc_fixture.h): connstring
 * paths, a device that appears after start, a stale libnfc claim on the
 * tty, and libnfc's default device (LIBNFC_DEVICE).
 * Must not: wait without a bound; print a UID. */
#include "nfc_fixture.h"

static void
test_connstring_paths(void **state)
{
	char p[64];

	(void)state;
	assert_int_equal(reader_nfc_device_path("pn532_uart:/dev/ttyS0", p, sizeof(p)),
	    READER_NFC_NODE_UART);
	assert_string_equal(p, "/dev/ttyS0");
	assert_int_equal(reader_nfc_device_path("pn532_uart:/dev/ttyAMA0:115200", p,
	    sizeof(p)), READER_NFC_NODE_UART);
	assert_string_equal(p, "/dev/ttyAMA0");
	assert_int_equal(reader_nfc_device_path("pn532_spi:/dev/spidev0.0:500000", p,
	    sizeof(p)), READER_NFC_NODE_OTHER);
	assert_string_equal(p, "/dev/spidev0.0");
	assert_int_equal(reader_nfc_device_path("pn532_i2c:/dev/i2c-1", p, sizeof(p)),
	    READER_NFC_NODE_OTHER);
	assert_int_equal(reader_nfc_device_path("acr122_usb", p, sizeof(p)),
	    READER_NFC_NODE_NONE);
	assert_string_equal(p, "");
	assert_int_equal(reader_nfc_device_path("pn532_uart:", p, sizeof(p)),
	    READER_NFC_NODE_NONE);
	assert_int_equal(reader_nfc_device_path("pn532_uart:relative", p, sizeof(p)),
	    READER_NFC_NODE_NONE);
	assert_int_equal(reader_nfc_device_path(
	    "pn532_uart:/dev/a-path-much-longer-than-the-buffer-it-goes-into-xxxxxxxxxxxx",
	    p, sizeof(p)), READER_NFC_NODE_NONE);
	assert_int_equal(reader_nfc_device_path(NULL, p, sizeof(p)),
	    READER_NFC_NODE_NONE);
}

/* The reader is configured but absent at start, then appears. */
static void
test_device_appears_later(void **state)
{
	char stats[EMU_CLIENT_LINE_MAX];
	size_t from;

	(void)state;
	stop_reader();
	emu_client_stop(&T.emu);
	unlink(T.link);
	from = T.n;
	start_reader(T.conn);
	assert_true(wait_ev(from, EV_STATE, READER_DISCONNECTED, DISCONNECT_MS) >= 0);
	drain(800);
	assert_int_equal(emu_client_start(&T.emu, T.link, NULL), 0);
	assert_true(wait_ev(from, EV_STATE, READER_READY, 3000) >= 0);
	tap(UID4, NULL, 4);
	lift();
	stop_reader();
	/* nfc_close on stop sends PowerDown to the chip */
	assert_int_equal(emu_client_cmd(&T.emu, "stats", stats, sizeof(stats)), 0);
	assert_non_null(strstr(stats, "powerdowns=1"));
}

/* A kiosk killed with the port open leaves libnfc's claim bit on the tty. */
static void
test_stale_claim_cleared(void **state)
{
	struct termios t;
	size_t from;
	int fd;

	(void)state;
	stop_reader();
	fd = open(T.link, O_RDWR | O_NOCTTY | O_NONBLOCK);
	assert_true(fd >= 0);
	assert_int_equal(tcgetattr(fd, &t), 0);
	t.c_iflag |= READER_NFC_CCLAIMED;       /* what uart_open leaves behind */
	assert_int_equal(tcsetattr(fd, TCSANOW, &t), 0);
	assert_int_equal(tcgetattr(fd, &t), 0);
	close(fd);
	if (!(t.c_iflag & READER_NFC_CCLAIMED)) {
		/* Some kernels (6.x ptys) drop the unknown bit: no stale claim
		 * can exist here, so there is nothing to test. */
		skip();
	}
	from = T.n;
	start_reader(T.conn);
	assert_true(wait_ev(from, EV_STATE, READER_READY, 3000) >= 0);
	tap(UID4, NULL, 4);
	lift();
}

/* No connstring: libnfc's default device (LIBNFC_DEVICE, set in main). */
static void
test_libnfc_default_device(void **state)
{
	size_t from;

	(void)state;
	stop_reader();
	from = T.n;
	start_reader(NULL);
	assert_true(wait_ev(from, EV_STATE, READER_READY, 5000) >= 0);
	tap(UID7, NULL, 7);
	lift();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_connstring_paths),
		cmocka_unit_test_setup_teardown(test_device_appears_later, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_claim_cleared, setup, teardown),
		cmocka_unit_test_setup_teardown(test_libnfc_default_device, setup, teardown),
	};

	return nfc_fixture_run("test_nfc_device", tests, sizeof(tests) / sizeof(tests[0]));
}
