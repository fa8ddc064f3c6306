/* run.h — `presentie-sync run`: the agent's cycle and its sleep.
 * Owns: the order of work (push, then pull when due), recording the state
 * for the kiosk's status line, backoff between failed cycles, and what
 * wakes the agent. Must not: keep anything in memory that a restart would
 * need (the cursor, the delivered marks and the failure count live in the
 * store), or exit() (main decides the exit code). */
#ifndef PRESENTIE_AGENT_RUN_H
#define PRESENTIE_AGENT_RUN_H

#include <stdint.h>

#define AGENT_PULL_INTERVAL_MS (60 * 1000)  /* pull master data at least this often */
#define AGENT_DAY_MS           (86400LL * 1000)
#define AGENT_PURGE_EVERY_MS   AGENT_DAY_MS    /* drop old delivered events this often */
#define AGENT_WAIT_STORE_MS    (30 * 1000)  /* re-check for a missing or unenrolled store */

/* Exit codes of `run --once` (and of `run` when it cannot start). */
#define AGENT_EXIT_OK          0
#define AGENT_EXIT_CONFIG      1   /* usage, store missing or not enrolled */
#define AGENT_EXIT_UNREACHABLE 2   /* no answer from the hub, or a 5xx/429 */
#define AGENT_EXIT_REFUSED     3   /* the hub refused an event or the token */

struct agent_run_opts {
	const char *db_path;
	int once;                   /* push and pull until nothing is left, then return */
	int64_t pull_interval_ms;   /* 0 = AGENT_PULL_INTERVAL_MS */
	int64_t fast_pull_ms;       /* while a session is open (pace.h); 0 = AGENT_PULL_FAST_MS, < 0 off */
	int64_t max_backoff_ms;     /* 0 = AGENT_BACKOFF_CAP_MS; lower caps every wait */
};

/* Run until a stop signal (SIGTERM, SIGINT, SIGHUP), or once. Returns one
 * of the AGENT_EXIT_* codes; errors are logged with log.h. */
int agent_run(const struct agent_run_opts *o);

#endif
