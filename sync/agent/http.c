/* http.c — libcurl behind agent_http_call: one easy handle, kept alive.
 * Owns: the TLS and timeout settings of every request the agent makes and
 * the bounds on what it reads back. Must not: disable certificate or host
 * verification (CURLOPT_SSL_VERIFYPEER/VERIFYHOST keep their secure
 * defaults and are set explicitly), follow redirects, or log the token. */
#include "http.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define AGENT_USER_AGENT  "presentie-sync/1.0"
#define AGENT_HDR_MAX     (AGENT_TOKEN_MAX + 32)

struct agent_http {
	CURL *curl;
	char base[AGENT_URL_MAX];
	char auth[AGENT_HDR_MAX];        /* "Authorization: Bearer ..." or "" */
	char status[AGENT_HDR_MAX];      /* "Presentie-Device-Status: ..." or "" */
	char pin[AGENT_PIN_MAX];
	char ca[PR_PATH_MAX];
	int (*should_abort)(void *arg);
	void *abort_arg;
	/* per call */
	struct agent_http_resp *resp;
	size_t cap;
	int too_big;
	char errbuf[CURL_ERROR_SIZE];
};

static void seterr(char *err, size_t errlen, const char *msg)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s", msg);
}

static int host_is_loopback(const char *host)
{
	struct in_addr a4;

	if (strcasecmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0)
		return 1;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	return 0;
}

int agent_http_url_ok(const char *url, char *err, size_t errlen)
{
	CURLU *u = NULL;
	char *scheme = NULL, *host = NULL, *part = NULL;
	int ok = 0;

	if (url == NULL || strnlen(url, AGENT_URL_MAX) >= AGENT_URL_MAX) {
		seterr(err, errlen, "the hub URL is missing or too long");
		return 0;
	}
	u = curl_url();
	if (u == NULL) {
		seterr(err, errlen, "out of memory");
		return 0;
	}
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		seterr(err, errlen, "the hub URL is not a valid URL (https://host[:port][/prefix])");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_USER, &part, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_QUERY, &part, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_FRAGMENT, &part, 0) == CURLUE_OK) {
		seterr(err, errlen, "the hub URL must not carry a user, query or fragment");
		goto out;
	}
	/* Plain http only for tests and a hub on the same box. */
	ok = strcmp(scheme, "https") == 0 ||
	    (strcmp(scheme, "http") == 0 && host_is_loopback(host));
	if (!ok)
		seterr(err, errlen, "the hub URL must be https:// (plain http only to a loopback address)");
out:
	curl_free(part);
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return ok;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct agent_http *h = arg;
	struct agent_http_resp *r = h->resp;
	size_t n = size * nmemb;
	char *nb;

	if (n > PR_BODY_MAX - r->len) {
		h->too_big = 1;
		return 0;                                 /* aborts: CURLE_WRITE_ERROR */
	}
	if (r->len + n + 1 > h->cap) {
		size_t cap = h->cap ? h->cap : 4096;
		while (cap < r->len + n + 1)
			cap *= 2;
		nb = realloc(r->body, cap);
		if (nb == NULL)
			return 0;
		r->body = nb;
		h->cap = cap;
	}
	memcpy(r->body + r->len, data, n);
	r->len += n;
	r->body[r->len] = '\0';
	return n;
}

static size_t on_header(char *data, size_t size, size_t nitems, void *arg)
{
	struct agent_http *h = arg;
	struct agent_http_resp *r = h->resp;
	size_t n = size * nitems, name = sizeof("Retry-After:") - 1, b, e;

	if (n > 5 && strncmp(data, "HTTP/", 5) == 0) {     /* a new status line */
		r->has_retry_after = 0;
		r->retry_after[0] = '\0';
		return n;
	}
	if (n < name || strncasecmp(data, "Retry-After:", name) != 0)
		return n;
	b = name;
	e = n;
	while (e > b && (data[e - 1] == '\r' || data[e - 1] == '\n'))
		e--;
	if (e - b < sizeof(r->retry_after)) {
		memcpy(r->retry_after, data + b, e - b);
		r->retry_after[e - b] = '\0';
		r->has_retry_after = 1;
	}                                                   /* longer: ignored */
	return n;
}

static int on_progress(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	struct agent_http *h = arg;

	(void)dt; (void)dn; (void)ut; (void)un;
	return h->should_abort != NULL && h->should_abort(h->abort_arg) ? 1 : 0;
}

int agent_http_new(const struct agent_http_opts *opts, struct agent_http **out,
    char *err, size_t errlen)
{
	struct agent_http *h = NULL;
	size_t n;
	int rc = -1;

	*out = NULL;
	if (!agent_http_url_ok(opts->base_url, err, errlen))
		return -1;
	h = calloc(1, sizeof(*h));
	if (h == NULL) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	n = strlen(opts->base_url);
	while (n > 0 && opts->base_url[n - 1] == '/')
		n--;
	memcpy(h->base, opts->base_url, n);
	h->base[n] = '\0';
	if (opts->token != NULL && opts->token[0] != '\0') {
		if (strnlen(opts->token, AGENT_TOKEN_MAX) >= AGENT_TOKEN_MAX ||
		    strpbrk(opts->token, "\r\n") != NULL) {
			seterr(err, errlen, "the stored device token is malformed; enrol again");
			goto out;
		}
		n = (size_t)snprintf(h->auth, sizeof(h->auth), "Authorization: Bearer %s", opts->token);
		if (n >= sizeof(h->auth))
			goto out;
	}
	if (opts->pinned_pubkey != NULL &&
	    (size_t)snprintf(h->pin, sizeof(h->pin), "%s", opts->pinned_pubkey) >= sizeof(h->pin)) {
		seterr(err, errlen, "the pinned public key setting is too long");
		goto out;
	}
	if (opts->ca_file != NULL &&
	    (size_t)snprintf(h->ca, sizeof(h->ca), "%s", opts->ca_file) >= sizeof(h->ca)) {
		seterr(err, errlen, "the CA file path is too long");
		goto out;
	}
	h->should_abort = opts->should_abort;
	h->abort_arg = opts->abort_arg;
	h->curl = curl_easy_init();
	if (h->curl == NULL) {
		seterr(err, errlen, "libcurl could not be initialised");
		goto out;
	}
	curl_easy_setopt(h->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h->curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h->curl, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h->curl, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(h->curl, CURLOPT_CONNECTTIMEOUT_MS, (long)AGENT_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(h->curl, CURLOPT_TIMEOUT_MS, (long)AGENT_TOTAL_TIMEOUT_MS);
	curl_easy_setopt(h->curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)PR_BODY_MAX);
	curl_easy_setopt(h->curl, CURLOPT_USERAGENT, AGENT_USER_AGENT);
	curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, h);
	curl_easy_setopt(h->curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h->curl, CURLOPT_HEADERDATA, h);
	curl_easy_setopt(h->curl, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h->curl, CURLOPT_XFERINFODATA, h);
	curl_easy_setopt(h->curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h->curl, CURLOPT_ERRORBUFFER, h->errbuf);
	if (h->pin[0] != '\0' &&
	    curl_easy_setopt(h->curl, CURLOPT_PINNEDPUBLICKEY, h->pin) != CURLE_OK) {
		seterr(err, errlen, "this libcurl cannot pin public keys");
		goto out;
	}
	if (h->ca[0] != '\0')
		curl_easy_setopt(h->curl, CURLOPT_CAINFO, h->ca);
	*out = h;
	h = NULL;
	rc = 0;
out:
	agent_http_free(h);
	return rc;
}

void agent_http_free(struct agent_http *h)
{
	if (h == NULL)
		return;
	if (h->curl != NULL)
		curl_easy_cleanup(h->curl);
	sodium_memzero(h->auth, sizeof(h->auth));
	free(h);
}

void agent_http_set_status(struct agent_http *h, long long waiting, int clock_synced)
{
	int n;

	if (waiting < 0) {
		h->status[0] = '\0';
		return;
	}
	n = snprintf(h->status, sizeof(h->status),
	    "Presentie-Device-Status: waiting=%lld; clock-synced=%d", waiting, clock_synced ? 1 : 0);
	if (n < 0 || (size_t)n >= sizeof(h->status))
		h->status[0] = '\0';
}

static int add_header(struct curl_slist **list, const char *line)
{
	struct curl_slist *t = curl_slist_append(*list, line);

	if (t == NULL)
		return -1;
	*list = t;
	return 0;
}

int agent_http_call(struct agent_http *h, const char *method, const char *path,
    const char *body, size_t body_len, struct agent_http_resp *resp)
{
	char url[AGENT_URL_MAX + 1024];
	struct curl_slist *hdrs = NULL;
	CURLcode cc;
	int rc = -1;

	memset(resp, 0, sizeof(*resp));
	h->resp = resp;
	h->cap = 0;
	h->too_big = 0;
	h->errbuf[0] = '\0';
	if ((size_t)snprintf(url, sizeof(url), "%s%s", h->base, path) >= sizeof(url)) {
		seterr(resp->err, sizeof(resp->err), "request URL too long");
		goto out;
	}
	if (add_header(&hdrs, "Accept: application/json") < 0 ||
	    add_header(&hdrs, "Expect:") < 0 ||             /* no 100-continue round trip */
	    (h->auth[0] != '\0' && add_header(&hdrs, h->auth) < 0) ||
	    (h->status[0] != '\0' && add_header(&hdrs, h->status) < 0) ||
	    (strcmp(method, "POST") == 0 &&
	     add_header(&hdrs, "Content-Type: application/json") < 0)) {
		seterr(resp->err, sizeof(resp->err), "out of memory");
		goto out;
	}
	curl_easy_setopt(h->curl, CURLOPT_URL, url);
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, hdrs);
	if (strcmp(method, "POST") == 0) {
		curl_easy_setopt(h->curl, CURLOPT_POST, 1L);
		curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, body != NULL ? body : "");
		curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)(body != NULL ? body_len : 0));
	} else {
		curl_easy_setopt(h->curl, CURLOPT_HTTPGET, 1L);
	}
	cc = curl_easy_perform(h->curl);
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, NULL);
	if (cc != CURLE_OK) {
		if (h->too_big || cc == CURLE_FILESIZE_EXCEEDED)
			seterr(resp->err, sizeof(resp->err), "the hub's answer is larger than 1 MiB");
		else
			snprintf(resp->err, sizeof(resp->err), "%.100s%s%.150s", curl_easy_strerror(cc),
			    h->errbuf[0] ? ": " : "", h->errbuf);
		goto out;
	}
	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &resp->status);
	if (resp->body == NULL) {                        /* empty answer */
		resp->body = calloc(1, 1);
		if (resp->body == NULL) {
			seterr(resp->err, sizeof(resp->err), "out of memory");
			goto out;
		}
	}
	rc = 0;
out:
	curl_slist_free_all(hdrs);
	h->resp = NULL;
	if (rc != 0) {
		free(resp->body);
		resp->body = NULL;
		resp->len = 0;
		resp->status = 0;
	}
	return rc;
}

void agent_http_resp_free(struct agent_http_resp *resp)
{
	if (resp == NULL)
		return;
	free(resp->body);
	resp->body = NULL;
	resp->len = 0;
}
