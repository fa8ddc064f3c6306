/* clockinfo.c — samples wall clock, CLOCK_BOOTTIME, boot id and the kernel's
 * "clock synchronised" state (ntp_adjtime) for each recorded event.
 * Test overrides (clockinfo.h): PRESENTIE_FAKE_UNSYNCED=1 reports unsynced,
 * PRESENTIE_FAKE_SYNCED=1 reports synced (UNSYNCED wins if both),
 * PRESENTIE_FAKE_WALL_OFFSET_S=N shifts the wall clock by N seconds.
 * Must not: set or adjust any clock (ntp_adjtime is called with modes = 0). */
#include "clockinfo.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>

#define CLOCKINFO_BOOT_ID_PATH "/proc/sys/kernel/random/boot_id"
#define CLOCKINFO_MAX_FAKE_OFFSET_S (100LL * 366 * 24 * 3600)

static int64_t ts_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

/* Strict integer from the environment; 0 if unset or not a clean number. */
static int64_t env_offset_s(void)
{
	const char *s = getenv("PRESENTIE_FAKE_WALL_OFFSET_S");
	char *end = NULL;
	long long v;

	if (s == NULL || *s == '\0')
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0')
		return 0;
	if (v > CLOCKINFO_MAX_FAKE_OFFSET_S || v < -CLOCKINFO_MAX_FAKE_OFFSET_S)
		return 0;
	return v;
}

static int read_boot_id(char out[37])
{
	char buf[64];
	ssize_t n;
	int fd, i;

	out[0] = '\0';
	fd = open(CLOCKINFO_BOOT_ID_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	do
		n = read(fd, buf, sizeof buf - 1);
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n < 36)
		return -1;
	for (i = 0; i < 36; i++) {
		char c = buf[i];
		int hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');

		if ((i == 8 || i == 13 || i == 18 || i == 23) ? c != '-' : !hex)
			return -1;
	}
	memcpy(out, buf, 36);
	out[36] = '\0';
	return 0;
}

static int kernel_synced(void)
{
	struct timex tx;
	int rc;
	const char *fake = getenv("PRESENTIE_FAKE_UNSYNCED");

	if (fake != NULL && strcmp(fake, "1") == 0)
		return 0;
	fake = getenv("PRESENTIE_FAKE_SYNCED");
	if (fake != NULL && strcmp(fake, "1") == 0)
		return 1;             /* tests on a machine whose clock reports unsynced */
	memset(&tx, 0, sizeof tx);
	tx.modes = 0;                     /* read only */
	rc = ntp_adjtime(&tx);
	if (rc < 0 || rc == TIME_ERROR)
		return 0;
	return (tx.status & STA_UNSYNC) == 0;
}

int clockinfo_now(struct clockinfo *ci)
{
	struct timespec rt, bt;

	memset(ci, 0, sizeof *ci);
	clock_gettime(CLOCK_REALTIME, &rt);
	if (clock_gettime(CLOCK_BOOTTIME, &bt) != 0)
		clock_gettime(CLOCK_MONOTONIC, &bt);
	ci->wall_ms = ts_ns(&rt) / 1000000 + env_offset_s() * 1000;
	ci->boottime_ns = ts_ns(&bt);
	ci->synced = kernel_synced();
	return read_boot_id(ci->boot_id);
}

int64_t clockinfo_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts_ns(&ts) / 1000000;
}
