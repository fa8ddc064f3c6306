/* clockinfo.h — what the kiosk knows about time when it records an event.
 * The Pi has no RTC: next to the wall clock each event carries the boot id,
 * CLOCK_BOOTTIME and whether the kernel clock was synchronised (adjtimex),
 * so the hub can re-anchor unsynchronised events (see sync/PROTOCOL.md).
 * A test may override the synced flag and wall clock via the environment
 * (PRESENTIE_FAKE_UNSYNCED=1, PRESENTIE_FAKE_SYNCED=1 for a machine whose
 * kernel clock reports unsynchronised, PRESENTIE_FAKE_WALL_OFFSET_S=N). */
#ifndef PRESENTIE_CLOCKINFO_H
#define PRESENTIE_CLOCKINFO_H

#include <stdint.h>

struct clockinfo {
	int64_t wall_ms;       /* CLOCK_REALTIME, ms since the epoch, UTC */
	int64_t boottime_ns;   /* CLOCK_BOOTTIME */
	char boot_id[37];      /* /proc/sys/kernel/random/boot_id */
	int synced;            /* 1 if the kernel clock is synchronised */
};

/* Sample all four now. Returns 0; -1 if the boot id cannot be read (then
 * boot_id is "" and the rest is still filled). */
int clockinfo_now(struct clockinfo *ci);

/* Monotonic milliseconds for timeouts and benchmarks. */
int64_t clockinfo_mono_ms(void);

#endif
