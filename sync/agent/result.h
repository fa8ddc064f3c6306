/* result.h — how one push or pull attempt ended, in words and in kind.
 * Owns: the mapping from an HTTP answer (or its absence) to what the agent
 * does next: done, retry later (with backoff or Retry-After), refused by the
 * hub (a person must look), or a local problem. Must not: sleep or retry. */
#ifndef PRESENTIE_AGENT_RESULT_H
#define PRESENTIE_AGENT_RESULT_H

#include <stdint.h>

#include "http.h"

enum agent_status {
	AGENT_DONE = 0,     /* nothing left to do */
	AGENT_TRANSIENT,    /* no answer, 5xx, 429, malformed answer: retry later */
	AGENT_REFUSED,      /* 400/403/409/413/422 for a single event: a person must look */
	AGENT_AUTH,         /* 401: token unknown or revoked; enrol again */
	AGENT_LOCAL,        /* the store failed */
	AGENT_STOPPED       /* a stop signal arrived */
};

struct agent_result {
	enum agent_status status;
	int64_t retry_after_s;          /* from Retry-After, or -1 */
	char msg[AGENT_ERR_MAX];        /* "" when DONE */
};

void agent_result_init(struct agent_result *r);

/* Fill r for an HTTP exchange that did not succeed. call_rc is
 * agent_http_call's return; what names the request ("POST /v1/events").
 * A transport failure is TRANSIENT ("the hub could not be reached: ...");
 * a status maps as in sync/PROTOCOL.md's error table. */
void agent_result_from_http(struct agent_result *r, int call_rc,
    const struct agent_http_resp *resp, const char *what);

/* printf-style message with a status. */
void agent_result_set(struct agent_result *r, enum agent_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "done", "retry", "refused", "unauthorised", "store", "stopped" */
const char *agent_status_name(enum agent_status st);

#endif
