/* sdnotify.h — systemd's readiness and watchdog protocol without libsystemd:
 * one AF_UNIX datagram ("READY=1", "WATCHDOG=1") to $NOTIFY_SOCKET.
 * On the Pi the kiosk runs as cage's child, so the unit says NotifyAccess=all
 * and WATCHDOG_PID (cage's pid) is deliberately not compared with ours.
 * Must not: block (MSG_DONTWAIT) or fail the kiosk when there is no systemd. */
#ifndef PRESENTIE_SDNOTIFY_H
#define PRESENTIE_SDNOTIFY_H

#include <stdint.h>

/* Read NOTIFY_SOCKET and WATCHDOG_USEC from the environment. Returns 0 (also
 * when not under systemd: then every call below is a no-op). */
int sdnotify_init(void);

/* "READY=1": call once, after the first frame was presented. */
void sdnotify_ready(void);

/* "WATCHDOG=1" unless the last ping is younger than a quarter of the
 * watchdog interval; call from every turn of the main loop (which sleeps at
 * most sdnotify_wait_max_ms) with a monotonic time in ms. */
void sdnotify_watchdog(int64_t now_ms);

/* The longest the main loop may sleep so the watchdog is fed in time:
 * half of WATCHDOG_USEC in ms, or 0 if no watchdog is configured. */
int64_t sdnotify_wait_max_ms(void);

#endif
