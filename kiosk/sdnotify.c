/* sdnotify.c — see sdnotify.h. The socket path may be abstract (leading '@'),
 * as systemd documents for sd_notify(3). Errors are ignored on purpose: a
 * missed ping is systemd's business (it restarts us), not a reason to stop. */
#include "sdnotify.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define SDNOTIFY_WATCHDOG_MIN_MS 100    /* ping at most every 100 ms, whatever systemd asks */

static struct sockaddr_un sd_addr;
static socklen_t sd_addr_len;           /* 0: not under systemd */
static int64_t sd_interval_ms;          /* half of WATCHDOG_USEC, 0: none */
static int64_t sd_last_ping_ms = -1;

int sdnotify_init(void)
{
	const char *path = getenv("NOTIFY_SOCKET");
	const char *usec = getenv("WATCHDOG_USEC");
	size_t n;

	sd_addr_len = 0;
	sd_interval_ms = 0;
	if (path && (path[0] == '/' || path[0] == '@') &&
	    (n = strlen(path)) < sizeof(sd_addr.sun_path)) {
		memset(&sd_addr, 0, sizeof(sd_addr));
		sd_addr.sun_family = AF_UNIX;
		memcpy(sd_addr.sun_path, path, n);
		if (path[0] == '@')
			sd_addr.sun_path[0] = '\0';
		sd_addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	}
	if (sd_addr_len && usec) {
		char *end;
		unsigned long long us;

		errno = 0;
		us = strtoull(usec, &end, 10);
		if (errno == 0 && end != usec && *end == '\0' && us > 0 && us / 2000 <= INT32_MAX)
			sd_interval_ms = us / 2000 < SDNOTIFY_WATCHDOG_MIN_MS ?
			    SDNOTIFY_WATCHDOG_MIN_MS : (int64_t)(us / 2000);
	}
	return 0;
}

static void send_state(const char *state)
{
	int fd;

	if (!sd_addr_len)
		return;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	(void)sendto(fd, state, strlen(state), MSG_DONTWAIT | MSG_NOSIGNAL,
	    (const struct sockaddr *)&sd_addr, sd_addr_len);
	close(fd);
}

void sdnotify_ready(void)
{
	send_state("READY=1");
}

void sdnotify_watchdog(int64_t now_ms)
{
	if (!sd_interval_ms)
		return;
	/* The loop wakes at least every sd_interval_ms; skipping a ping only when
	 * the last one is younger than half of that keeps every gap under
	 * sd_interval_ms (plus the loop's own work), half the watchdog. */
	if (sd_last_ping_ms >= 0 && now_ms - sd_last_ping_ms < sd_interval_ms / 2)
		return;
	sd_last_ping_ms = now_ms;
	send_state("WATCHDOG=1");
}

int64_t sdnotify_wait_max_ms(void)
{
	return sd_interval_ms;
}
