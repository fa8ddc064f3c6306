/* http.h — the agent's HTTP client: one libcurl easy handle to one hub.
 * Owns: TLS policy (verification always on, optional public-key pin and CA
 * file), timeouts, the bearer token header, bounded response bodies and the
 * Retry-After header. Must not: interpret JSON, print the token, follow
 * redirects, or talk plain HTTP to anything but a loopback address. */
#ifndef PRESENTIE_AGENT_HTTP_H
#define PRESENTIE_AGENT_HTTP_H

#include <stddef.h>

#include "backoff.h"
#include "limits.h"

#define AGENT_CONNECT_TIMEOUT_MS  5000   /* TCP + TLS handshake */
#define AGENT_TOTAL_TIMEOUT_MS    30000  /* a whole request/answer */
#define AGENT_URL_MAX             512    /* hub base URL */
#define AGENT_TOKEN_MAX           128    /* device bearer token (43 chars in v1) */
#define AGENT_PIN_MAX             512    /* CURLOPT_PINNEDPUBLICKEY value */
#define AGENT_ERR_MAX             256    /* one error sentence */

struct agent_http;

struct agent_http_opts {
	const char *base_url;        /* "https://hub.example.nl" (a path prefix is kept) */
	const char *token;           /* bearer token, or NULL (enrolment) */
	const char *pinned_pubkey;   /* "sha256//BASE64;..." or a PEM/DER file, or NULL */
	const char *ca_file;         /* extra CA bundle (a private hub CA), or NULL */
	/* Called from inside transfers about once a second and on progress;
	 * returning non-zero aborts the transfer (a stop signal). May be NULL. */
	int (*should_abort)(void *arg);
	void *abort_arg;
};

struct agent_http_resp {
	long status;                 /* HTTP status, 0 if no answer arrived */
	char *body;                  /* NUL-terminated, malloc'd, <= PR_BODY_MAX bytes */
	size_t len;
	int has_retry_after;
	char retry_after[AGENT_RETRY_AFTER_LEN_MAX];
	char err[AGENT_ERR_MAX];     /* transport failure in words, else "" */
};

/* 1 if url is acceptable as a hub address: https://, or http:// to a
 * loopback host (127.0.0.0/8, ::1, localhost); no user:password, query or
 * fragment; shorter than AGENT_URL_MAX. Otherwise 0 and err says why. */
int agent_http_url_ok(const char *url, char *err, size_t errlen);

/* Make a client. curl_global_init must have been called (main does).
 * Returns 0, or -1 with err set (bad URL, curl failure); *out NULL then.
 * Copies every string it keeps. */
int agent_http_new(const struct agent_http_opts *opts, struct agent_http **out,
    char *err, size_t errlen);
void agent_http_free(struct agent_http *h);

/* One request: method "GET" or "POST" to base_url + path (path starts with
 * "/"), with a JSON body for POST. Returns 0 when an HTTP answer arrived
 * (any status; body and Retry-After filled, resp->body owned by the caller,
 * release with agent_http_resp_free), -1 when none did (cannot connect, TLS
 * failure, timeout, body over PR_BODY_MAX, aborted): resp->err says which. */
int agent_http_call(struct agent_http *h, const char *method, const char *path,
    const char *body, size_t body_len, struct agent_http_resp *resp);
void agent_http_resp_free(struct agent_http_resp *resp);

/* The kiosk's state for the coordinators' dashboard, sent with every
 * following request as "Presentie-Device-Status: waiting=N; clock-synced=0|1"
 * (sync/PROTOCOL.md). waiting < 0 sends nothing. */
void agent_http_set_status(struct agent_http *h, long long waiting, int clock_synced);

#endif
