/* nfc_fixture.h — what the test_nfc_*.c programs share: the real libnfc
 * 1.8.0 reader thread (kiosk/reader_nfc*.c) against pn532-emu on a pty,
 * the SDL event log, tap/lift helpers, and the privacy check that no raw
 * UID reaches stderr (nfc_fixture_run: begin, the cmocka group, end).
 * Must not: wait without a bound; print a UID. */
#ifndef PRESENTIE_TEST_NFC_FIXTURE_H
#define PRESENTIE_TEST_NFC_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <SDL.h>

#include "../pn532emu/emu_client.h"
#include "cred.h"
#include "reader.h"
#include "reader_nfc_int.h"

#define EV_MAX          512
#define DISCONNECT_MS   2000    /* issue 3: status within 2 s */
#define TAP_MS          1000    /* a card must be reported within this */
#define STOP_MS         1500    /* reader_nfc_stop must return within this */

/* Cards of the test; never printed. */
#define UID4     "a1b2c3d4"                     /* MIFARE Classic 1k */
#define UID7     "04a1b2c3d4e5f6"               /* NTAG / Ultralight */
#define UID7D    "04112233445566"               /* DESFire EV1 */
#define UID10    "04a1b2c3d4e5f6071829"         /* triple size */
#define UID10X   "04998877665544332211"         /* type libnfc can't ping */
#define UIDRAND  "08c0ffee"                     /* random (RID 0x08) */
static const char *const all_uids[] = { UID4, UID7, UID7D, UID10, UID10X,
    UIDRAND, NULL };

enum ev_kind { EV_CARD, EV_GONE, EV_STATE };
struct ev {
	enum ev_kind kind;
	int code;                       /* state */
	struct reader_card card;
	int64_t t;
};

static struct {
	struct ev log[EV_MAX];
	size_t n;
	struct emu_client emu;
	struct reader_nfc *rd;
	char link[512];
	char conn[600];
	uint8_t key[PR_ORG_KEY_BYTES];
	char errlog[512];
	int saved_err;
} T;

/* ---- events --------------------------------------------------------------- */

static inline void
drain(int timeout_ms)
{
	int64_t end = emu_client_now_ms() + timeout_ms;
	SDL_Event e;

	for (;;) {
		int64_t left = end - emu_client_now_ms();
		if (!SDL_WaitEventTimeout(&e, left > 0 ? (int)left : 0)) {
			if (left <= 0)
				return;
			continue;
		}
		if (T.n == EV_MAX)
			fail_msg("event log full");
		struct ev *v = &T.log[T.n];
		memset(v, 0, sizeof(*v));
		v->t = emu_client_now_ms();
		if (e.type == reader_ev_card) {
			v->kind = EV_CARD;
			v->card = *(struct reader_card *)e.user.data1;
			free(e.user.data1);
		} else if (e.type == reader_ev_gone) {
			v->kind = EV_GONE;
		} else if (e.type == reader_ev_state) {
			v->kind = EV_STATE;
			v->code = e.user.code;
		} else {
			continue;
		}
		T.n++;
		if (left <= 0)
			return;
	}
}

/* Wait until an event of kind (and state code, or -1) arrives after index
 * `from`; returns its index or -1 after timeout_ms. */
static inline long
wait_ev(size_t from, enum ev_kind kind, int code, int timeout_ms)
{
	int64_t end = emu_client_now_ms() + timeout_ms;

	for (;;) {
		for (size_t i = from; i < T.n; i++)
			if (T.log[i].kind == kind && (code < 0 || T.log[i].code == code))
				return (long)i;
		int64_t left = end - emu_client_now_ms();
		if (left <= 0)
			return -1;
		drain(left > 50 ? 50 : (int)left);
	}
}

static inline size_t
count_ev(size_t from, enum ev_kind kind)
{
	size_t k = 0;

	for (size_t i = from; i < T.n; i++)
		k += T.log[i].kind == kind;
	return k;
}

/* ---- fixtures ------------------------------------------------------------- */

static inline void
emu(const char *fmt, ...)
{
	char cmd[EMU_CLIENT_LINE_MAX], reply[EMU_CLIENT_LINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_true(n > 0 && (size_t)n < sizeof(cmd));
	if (emu_client_cmd(&T.emu, cmd, reply, sizeof(reply)) != 0)
		fail_msg("emulator refused a command: %.40s", reply);
}

static inline void
start_reader(const char *conn)
{
	struct reader_nfc_config cfg = { conn, READER_NFC_MOD_A, 1 };

	assert_int_equal(reader_nfc_start(&cfg, T.key, &T.rd), 0);
	assert_non_null(T.rd);
}

static inline void
stop_reader(void)
{
	int64_t t0 = emu_client_now_ms();

	reader_nfc_stop(T.rd);
	T.rd = NULL;
	assert_true(emu_client_now_ms() - t0 < STOP_MS);
}

static inline int
setup(void **state)
{
	(void)state;
	T.n = 0;
	SDL_FlushEvents(SDL_FIRSTEVENT, SDL_LASTEVENT);
	unlink(T.link);
	assert_int_equal(emu_client_start(&T.emu, T.link, NULL), 0);
	start_reader(T.conn);
	assert_true(wait_ev(0, EV_STATE, READER_READY, 5000) >= 0);
	return 0;
}

static inline int
teardown(void **state)
{
	(void)state;
	if (T.rd)
		stop_reader();
	emu_client_stop(&T.emu);
	drain(0);                       /* frees the cards still queued */
	return 0;
}

static inline void
assert_support_uid(const char *hex)
{
	char got[2 * PR_UID_MAX_BYTES + 1];

	assert_int_equal(reader_support_uid(got, sizeof(got)), 0);
	assert_true(strcmp(got, hex) == 0);     /* never print either */
}

/* Present a card, expect exactly one OK card event with that UID. */
static inline long
tap(const char *hex, const char *extra, size_t uid_len)
{
	uint8_t uid[PR_UID_MAX_BYTES], want[PR_MAC_BYTES];
	size_t from = T.n, n;
	long i;

	emu("card %s%s%s", hex, extra ? " " : "", extra ? extra : "");
	i = wait_ev(from, EV_CARD, -1, TAP_MS);
	assert_true(i >= 0);
	assert_int_equal(T.log[i].card.status, READER_CARD_OK);
	assert_int_equal(T.log[i].card.uid_len, uid_len);
	/* the real reader.c: the MAC is cred's, under the test's key */
	assert_int_equal(cred_uid_parse(hex, uid, sizeof(uid), &n), 0);
	assert_int_equal(cred_mac_card(T.key, uid, n, want), 0);
	explicit_bzero(uid, sizeof(uid));
	assert_memory_equal(T.log[i].card.mac, want, sizeof(want));
	assert_support_uid(hex);
	return i;
}

static inline void
lift(void)
{
	size_t from = T.n;

	emu("remove");
	assert_true(wait_ev(from, EV_GONE, -1, TAP_MS) >= 0);
	assert_int_equal(reader_support_uid((char[32]){ 0 }, 32), 1);
}

/* Send cmd to the emulator and wait up to timeout_ms for reader state
 * code; asserts it comes, prints "# what in N ms" and returns those ms. */
static inline int64_t
state_after(const char *cmd, int code, int timeout_ms, const char *what)
{
	size_t from = T.n;
	int64_t t0 = emu_client_now_ms();
	long i;

	emu("%s", cmd);
	i = wait_ev(from, EV_STATE, code, timeout_ms);
	assert_true(i >= 0);
	printf("# %s in %lld ms\n", what, (long long)(T.log[i].t - t0));
	return T.log[i].t - t0;
}

static inline int
log_has_uid(const char *path)
{
	char buf[1 << 16], spaced[64], upper[32];
	FILE *f = fopen(path, "r");
	size_t n;
	int hit = 0;

	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	for (size_t i = 0; all_uids[i]; i++) {
		const char *u = all_uids[i];
		size_t k = 0, j;
		for (j = 0; u[j] && j + 1 < sizeof(upper); j++)
			upper[j] = (char)(u[j] >= 'a' && u[j] <= 'f' ? u[j] - 32 : u[j]);
		upper[j] = '\0';
		for (j = 0; u[j] && k + 4 < sizeof(spaced); j += 2) {
			spaced[k++] = u[j];
			spaced[k++] = u[j + 1];
			spaced[k++] = ' ';
			spaced[k++] = ' ';      /* nfc-list's "04  a1  b2" */
		}
		spaced[k >= 2 ? k - 2 : 0] = '\0';
		if (strstr(buf, u) || strstr(buf, upper) || strstr(buf, spaced))
			hit = 1;
	}
	return hit;
}

/* Before the cmocka group of program name: the pty path and stderr log
 * under $OUT (or /tmp/presentie-NAME), LIBNFC_DEVICE, the test key, stderr
 * captured, SDL events. Returns 0, or 1 (the exit status) on failure. */
static inline int
nfc_fixture_begin(const char *name)
{
	const char *out = getenv("OUT");
	char dir[400];
	int fd, n;

	if (out && out[0])
		n = snprintf(dir, sizeof(dir), "%s", out);
	else
		n = snprintf(dir, sizeof(dir), "/tmp/presentie-%s", name);
	if (n < 0 || (size_t)n >= sizeof(dir))
		return 1;
	mkdir(dir, 0700);
	if (snprintf(T.link, sizeof(T.link), "%s/pn532", dir) >= (int)sizeof(T.link) ||
	    snprintf(T.conn, sizeof(T.conn), "pn532_uart:%s", T.link) >= (int)sizeof(T.conn) ||
	    snprintf(T.errlog, sizeof(T.errlog), "%s/stderr.log", dir) >= (int)sizeof(T.errlog))
		return 1;
	/* Before any thread: the default device, and libnfc's quiet log level. */
	setenv("LIBNFC_DEVICE", T.conn, 1);
	unsetenv("LIBNFC_LOG_LEVEL");
	for (size_t i = 0; i < sizeof(T.key); i++)
		T.key[i] = (uint8_t)(0xA5 ^ i);

	/* Everything the reader, libnfc and the emulator write to stderr. */
	T.saved_err = dup(STDERR_FILENO);
	fd = open(T.errlog, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || T.saved_err < 0 || dup2(fd, STDERR_FILENO) < 0)
		return 1;
	close(fd);

	if (SDL_Init(SDL_INIT_EVENTS) != 0 || reader_events_init() != 0)
		return 1;
	return 0;
}

/* After the group (rc its result): stop SDL, restore and show stderr, and
 * fail if a raw UID appeared in it. Returns the exit status. */
static inline int
nfc_fixture_end(int rc)
{
	int fd, n;

	SDL_Quit();

	fflush(stderr);
	dup2(T.saved_err, STDERR_FILENO);
	close(T.saved_err);
	{
		/* show what was captured, then judge it */
		char buf[4096];
		ssize_t r;
		fd = open(T.errlog, O_RDONLY | O_CLOEXEC);
		while (fd >= 0 && (r = read(fd, buf, sizeof(buf))) > 0)
			if (write(STDERR_FILENO, buf, (size_t)r) != r)
				break;
		if (fd >= 0)
			close(fd);
	}
	n = log_has_uid(T.errlog);
	if (n != 0) {
		printf("[  FAILED  ] 1 test(s), listed below:\n[  FAILED  ] "
		    "privacy: a raw UID appeared in stderr (%s)\n", T.errlog);
		return 1;
	}
	printf("ok - no raw UID in stderr (%s)\n", T.errlog);
	return rc;
}

/* The whole program named name: nfc_fixture_begin, the cmocka group of
 * tests[0..n) named after the program, nfc_fixture_end. Returns the exit
 * status for main. */
static inline int
nfc_fixture_run(const char *name, const struct CMUnitTest *tests, size_t n)
{
	if (nfc_fixture_begin(name) != 0)
		return 1;
	return nfc_fixture_end(_cmocka_run_group_tests(name, tests, n, NULL, NULL));
}

#endif
