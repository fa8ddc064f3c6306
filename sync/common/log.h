/* log.h — a tiny logger for all three programs: one line per message on
 * stderr, "2025-09-25T12:03:04.123Z presentie-kiosk warn: ...".
 * Privacy rule (DESIGN.md "Privacy"): never pass a raw card UID, a PIN, a
 * token or an organisation key to these functions. To name a credential in a
 * log line use log_mac_tag(), which prints only the first 4 bytes of its MAC.
 * The logger cannot check this itself; reviewers and the tests of each
 * input module do. Thread-safe (one write(2) per line). */
#ifndef PRESENTIE_LOG_H
#define PRESENTIE_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "limits.h"

enum log_level { LOG_LVL_ERROR = 0, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

#define LOG_LINE_MAX 1024   /* a longer message is cut, marked with "..." */
#define LOG_TAG_MAX  18     /* "mac:" + 8 hex digits + NUL, with room */

/* Program name and threshold (messages above it are dropped). Call once
 * at start; the default is "presentie", LOG_LVL_INFO. */
void log_init(const char *prog, enum log_level level);

/* "error", "warn", "info", "debug" -> level. Returns 0 or -1. */
int log_level_parse(const char *s, enum log_level *out);

void log_msg(enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_LVL_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

/* A short, non-reversible tag of a credential MAC for logs: "mac:1a2b3c4d". */
void log_mac_tag(const uint8_t mac[PR_MAC_BYTES], char out[LOG_TAG_MAX]);

#endif
