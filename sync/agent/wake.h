/* wake.h — what wakes the sleeping agent: a new event in the store, a stop
 * signal, or a timeout.
 * Owns: an inotify watch on the store's directory (the kiosk's commits write
 * the -wal file) and a signalfd for SIGTERM/SIGINT/SIGHUP. Why inotify and
 * not a short poll: a tap reaches the hub within milliseconds, and an idle
 * kiosk makes no wakeups at all (DESIGN.md's idle budget); the caller still
 * sleeps with a timeout, so a missed notification costs at most one pull
 * interval, and if inotify is unavailable the agent falls back to polling
 * every AGENT_WAKE_POLL_MS. Must not: read the store or the network. */
#ifndef PRESENTIE_AGENT_WAKE_H
#define PRESENTIE_AGENT_WAKE_H

#include <stddef.h>
#include <stdint.h>

#define AGENT_WAKE_POLL_MS 2000   /* fallback poll when inotify is unavailable */

struct agent_wake;

enum agent_wake_why { AGENT_WAKE_TIMEOUT = 0, AGENT_WAKE_STORE, AGENT_WAKE_STOP };

/* Block SIGTERM, SIGINT and SIGHUP in the calling thread (call before any
 * other thread exists) and watch db_path's directory. Returns 0, or -1 with
 * err set (then *out is NULL and the signal mask is restored). A missing
 * inotify is not an error (polling fallback, see above). */
int agent_wake_open(const char *db_path, struct agent_wake **out, char *err, size_t errlen);
void agent_wake_close(struct agent_wake *w);

/* Sleep up to timeout_ms (>= 0). Returns AGENT_WAKE_STOP once a stop signal
 * has arrived (and from then on, immediately), AGENT_WAKE_STORE when the
 * store or its -wal file changed (only if store_wakes is non-zero; otherwise
 * such changes are drained and the sleep goes on), else AGENT_WAKE_TIMEOUT. */
enum agent_wake_why agent_wake_wait(struct agent_wake *w, int64_t timeout_ms, int store_wakes);

/* Forget store changes seen so far (the agent's own writes). */
void agent_wake_drain(struct agent_wake *w);

/* Non-blocking: 1 if a stop signal has arrived. Safe to call from libcurl's
 * progress callback (arg is the struct agent_wake). */
int agent_wake_stopping(void *w);

#endif
