/* backoff.h — when presentie-sync tries again after a failure.
 * Owns: exponential backoff with full jitter (randomness from libsodium) and
 * the parsing of an HTTP Retry-After value (delta-seconds or HTTP-date).
 * Must not: sleep, read the clock or touch the network; callers pass "now". */
#ifndef PRESENTIE_AGENT_BACKOFF_H
#define PRESENTIE_AGENT_BACKOFF_H

#include <stdint.h>

#define AGENT_BACKOFF_BASE_MS     1000           /* the shortest wait: 1 s */
#define AGENT_BACKOFF_CAP_MS      (5 * 60 * 1000) /* the longest wait: 5 min */
#define AGENT_RETRY_AFTER_MAX_S   3600           /* a Retry-After beyond 1 h is clamped */
#define AGENT_RETRY_AFTER_LEN_MAX 64             /* longest header value we parse */

/* The upper bound of the wait after `failures` consecutive failures (>= 1):
 * min(AGENT_BACKOFF_CAP_MS, AGENT_BACKOFF_BASE_MS * 2^failures). failures 0
 * is treated as 1. Never overflows. */
int64_t agent_backoff_ceiling_ms(unsigned failures);

/* Full jitter: a uniformly random wait in
 * [AGENT_BACKOFF_BASE_MS, agent_backoff_ceiling_ms(failures)], from
 * libsodium's randombytes_uniform. (AWS "full jitter" draws from [0, ceiling];
 * the floor of 1 s keeps a dead hub from being hammered by a lucky draw.)
 * Returns the wait in ms; -1 only if libsodium cannot be initialised. */
int64_t agent_backoff_delay_ms(unsigned failures);

/* Parse a Retry-After header value (RFC 9110 §10.2.3): delta-seconds
 * ("120") or an HTTP-date in any of the three forms a recipient must accept
 * (IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850
 * "Sunday, 06-Nov-94 08:49:37 GMT", asctime "Sun Nov  6 08:49:37 1994").
 * Surrounding spaces/tabs are allowed. now_s is the current Unix time.
 * Returns 0 and sets *delay_s to the wait in seconds, clamped to
 * [0, AGENT_RETRY_AFTER_MAX_S] (a date in the past gives 0); returns -1 on
 * anything else, *delay_s untouched. */
int agent_retry_after_parse(const char *value, int64_t now_s, int64_t *delay_s);

#endif
