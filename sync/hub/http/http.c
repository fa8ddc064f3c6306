/* http.c — libmicrohttpd plumbing: a thread pool, bodies bounded at
 * PR_BODY_MAX (413 from Content-Length before reading, or as soon as the
 * stream passes the limit), query arguments with a NUL refused (400),
 * per-request state, response building; connections are guarded (guard.h)
 * and their number derived from RLIMIT_NOFILE.
 * Must not: interpret paths or bodies beyond their size (ctx->handler does). */
#include "hub/http/http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "hub/base/jfigure.h"
#include "hub/db/db.h"
#include "hub/http/client.h"
#include "hub/http/guard.h"
#include "hub/http/offload.h"
#include "limits.h"

struct hub_server {
	struct MHD_Daemon *d;
	const struct hub_ctx *ctx;
	struct hub_guard *guard;
	struct hub_offload *off;   /* password-check workers (offload.h) */
	int port;
	unsigned conn_limit;
};

struct conn_state {
	char *buf;
	size_t len;
	size_t discarded;
	int too_big;
	int answered;
	struct hub_req rq;
	/* an offloaded request (ctx->offload): suspended while a worker runs the
	 * handler into prs; done is set before the worker resumes it */
	struct hub_server *srv;
	int offloaded;
	int done;
	struct hub_resp prs;
};

struct hub_db *hub_req_db(struct hub_req *rq)
{
	if (rq->db == NULL)
		rq->db = hub_pool_get(rq->ctx->pool, HUB_DB_WAIT_MS);
	return rq->db;
}

struct hub_db *hub_req_read_db(struct hub_req *rq)
{
	if (rq->ctx->read_pool == NULL)
		return hub_req_db(rq);
	if (rq->rdb == NULL)
		rq->rdb = hub_pool_get(rq->ctx->read_pool, HUB_DB_WAIT_MS);
	return rq->rdb;
}

struct hub_db *hub_req_take_db(struct hub_req *rq)
{
	struct hub_db *db = rq->db;

	rq->db = NULL;
	return db;
}

const char *hub_req_arg(struct hub_req *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

void hub_req_set_timeout(struct hub_req *rq, unsigned seconds)
{
	(void)MHD_set_connection_option(rq->conn, MHD_CONNECTION_OPTION_TIMEOUT, seconds);
}

const char *hub_req_header(struct hub_req *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

int hub_resp_json(struct hub_resp *rs, int status, json_t *j)
{
	/* reals with HUB_JSON_REAL_DIGITS: a rounded figure prints as written */
	char *s = j ? json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(HUB_JSON_REAL_DIGITS)) : NULL;

	json_decref(j);
	free(rs->body);
	rs->body = NULL;
	if (s == NULL) {
		rs->status = 500;
		return -1;
	}
	rs->status = status;
	rs->body = s;
	rs->len = strlen(s);
	rs->ctype = "application/json";
	return 0;
}

static int utf8_ok(const char *s)
{
	json_t *j = json_string(s);   /* jansson validates UTF-8 */

	json_decref(j);
	return j != NULL;
}

void hub_resp_error(struct hub_resp *rs, int status, const char *code,
    const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		msg[0] = '\0';
	va_end(ap);
	/* A message may quote input that is not UTF-8 (a parser error): then
	 * keep only printable ASCII. */
	if (!utf8_ok(msg))
		for (char *p = msg; *p; p++)
			if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
				*p = '?';
	if (hub_resp_json(rs, status, json_pack("{s:s,s:s}", "error", code, "message", msg)) != 0) {
		static const char fallback[] = "{\"error\":\"internal\",\"message\":\"out of memory\"}";

		rs->body = strdup(fallback);
		rs->len = rs->body ? strlen(fallback) : 0;
		rs->ctype = "application/json";
		rs->status = 500;
	}
}

int hub_resp_header(struct hub_resp *rs, const char *name, const char *value)
{
	char *v;

	if (rs->nhdr >= HUB_RESP_HDRS_MAX)
		return -1;
	v = strdup(value);
	if (v == NULL)
		return -1;
	rs->hdr_name[rs->nhdr] = name;
	rs->hdr_value[rs->nhdr++] = v;
	return 0;
}

static void resp_free_headers(struct hub_resp *rs)
{
	for (int i = 0; i < rs->nhdr; i++)
		free(rs->hdr_value[i]);
	rs->nhdr = 0;
}

void hub_resp_dberr(struct hub_resp *rs, int rc)
{
	if (rc == HUB_DB_UNAVAILABLE) {
		hub_resp_error(rs, 503, "unavailable", "the database is unreachable");
		rs->retry_after = 5;
	} else {
		hub_resp_error(rs, 500, "internal", "the hub failed; nothing was committed");
	}
}

/* ---- MHD glue ------------------------------------------------------------ */

struct stream {
	hub_reader_fn read;
	void (*free)(void *);
	void *cls;
};

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *s = cls;
	ssize_t n;

	(void)pos;
	n = s->read(s->cls, buf, max);
	if (n == 0)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (n < 0)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	return n;
}

static void stream_free(void *cls)
{
	struct stream *s = cls;

	if (s->free)
		s->free(s->cls);
	free(s);
}

static enum MHD_Result send_resp(struct MHD_Connection *c, struct hub_resp *rs)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	char ra[16], cd[160];

	if (rs->reader != NULL) {
		struct stream *s = calloc(1, sizeof(*s));

		if (s == NULL) {
			rs->reader_free(rs->reader_cls);
			resp_free_headers(rs);
			return MHD_NO;
		}
		s->read = rs->reader;
		s->free = rs->reader_free;
		s->cls = rs->reader_cls;
		rs->reader = NULL;
		r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024,
		    stream_read, s, stream_free);
		if (r == NULL) {
			stream_free(s);
			resp_free_headers(rs);
			return MHD_NO;
		}
	} else {
		if (rs->body == NULL)
			hub_resp_error(rs, 500, "internal", "no response");
		r = MHD_create_response_from_buffer(rs->len, rs->body,
		    rs->body_static ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_FREE);
		if (r == NULL) {
			if (rs->body_static)
				rs->body = NULL;
			resp_free_headers(rs);
			return MHD_NO;
		}
		rs->body = NULL;
	}
	MHD_add_response_header(r, "Content-Type", rs->ctype ? rs->ctype : "application/json");
	MHD_add_response_header(r, "Cache-Control", rs->cache ? rs->cache : "no-store");
	for (int i = 0; i < rs->nhdr; i++)
		MHD_add_response_header(r, rs->hdr_name[i], rs->hdr_value[i]);
	resp_free_headers(rs);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	if (rs->retry_after > 0 && snprintf(ra, sizeof(ra), "%d", rs->retry_after) < (int)sizeof(ra))
		MHD_add_response_header(r, "Retry-After", ra);
	if (rs->filename != NULL) {
		int n = snprintf(cd, sizeof(cd), "attachment; filename=\"%s\"", rs->filename);

		if (n > 0 && n < (int)sizeof(cd))
			MHD_add_response_header(r, "Content-Disposition", cd);
	}
	ret = MHD_queue_response(c, (unsigned)rs->status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result quick_error(struct MHD_Connection *c, int status,
    const char *code, const char *msg)
{
	struct hub_resp rs = { 0 };
	enum MHD_Result ret;

	hub_resp_error(&rs, status, code, "%s", msg);
	ret = send_resp(c, &rs);
	free(rs.body);
	return ret;
}

/* Sets *bad if a query argument's name or value holds a NUL ("%00"):
 * libmicrohttpd would hand it on cut short at the NUL. */
static enum MHD_Result arg_nul(void *cls, enum MHD_ValueKind kind, const char *key,
    size_t key_size, const char *value, size_t value_size)
{
	int *bad = cls;

	(void)kind;
	if (strlen(key) != key_size || (value != NULL && strlen(value) != value_size)) {
		*bad = 1;
		return MHD_NO;
	}
	return MHD_YES;
}

/* Send rs for st's request and give its db connections back (unless a
 * stream took one). */
static enum MHD_Result answer(struct hub_server *srv, struct conn_state *st,
    struct hub_resp *rs)
{
	enum MHD_Result ret;

	if (rs->status == 0 && rs->reader == NULL)
		hub_resp_error(rs, 500, "internal", "no answer");
	ret = send_resp(st->rq.conn, rs);
	free(rs->body);
	rs->body = NULL;
	if (st->rq.db != NULL) {
		hub_pool_put(srv->ctx->pool, st->rq.db, st->rq.db_broken);
		st->rq.db = NULL;
	}
	if (st->rq.rdb != NULL) {
		hub_pool_put(srv->ctx->read_pool, st->rq.rdb, st->rq.rdb_broken);
		st->rq.rdb = NULL;
	}
	return ret;
}

static void busy(struct hub_resp *rs)
{
	hub_resp_error(rs, 503, "busy", "the hub is checking many passwords; try again in a moment");
	rs->retry_after = HUB_OFFLOAD_RETRY_S;
}

/* A worker runs an offloaded request's handler (or, expired, answers 503)
 * while libmicrohttpd leaves the suspended connection alone, then resumes
 * it: on_request is called again and sends prs. */
static void offload_job(void *arg, int expired)
{
	struct conn_state *st = arg;

	if (expired)
		busy(&st->prs);
	else
		st->srv->ctx->handler(&st->rq, &st->prs);
	st->done = 1;   /* published by the daemon's lock in MHD_resume_connection */
	MHD_resume_connection(st->rq.conn);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
    const char *url, const char *method, const char *version,
    const char *upload, size_t *upload_size, void **con_cls)
{
	struct hub_server *srv = cls;
	struct conn_state *st = *con_cls;
	struct hub_resp rs = { 0 };

	(void)version;
	if (st == NULL) {
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");

		st = calloc(1, sizeof(*st));
		if (st == NULL)
			return MHD_NO;
		*con_cls = st;
		if (cl != NULL) {
			char *end = NULL;
			unsigned long long v = strtoull(cl, &end, 10);

			if (end == cl || *end != '\0' || v > PR_BODY_MAX) {
				st->answered = 1;
				hub_guard_request_in(srv->guard, c);
				return quick_error(c, 413, "too_large", "request body over 1 MiB");
			}
		}
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (st->answered) {
			*upload_size = 0;
			return MHD_YES;
		}
		if (!st->too_big && st->len + *upload_size <= PR_BODY_MAX) {
			char *nb = realloc(st->buf, st->len + *upload_size + 1);

			if (nb == NULL)
				return MHD_NO;
			st->buf = nb;
			memcpy(st->buf + st->len, upload, *upload_size);
			st->len += *upload_size;
			st->buf[st->len] = '\0';
		} else {
			st->too_big = 1;
			st->discarded += *upload_size;
			if (st->discarded > HUB_DISCARD_MAX)
				return MHD_NO;   /* a flood: close the connection */
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (st->offloaded)   /* resumed: the worker's answer is ready */
		return st->done ? answer(srv, st, &st->prs) : MHD_YES;
	if (st->answered)
		return MHD_YES;
	st->answered = 1;
	hub_guard_request_in(srv->guard, c);
	if (st->too_big)
		return quick_error(c, 413, "too_large", "request body over 1 MiB");
	{
		int nul = 0;

		(void)MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, arg_nul, &nul);
		if (nul)
			return quick_error(c, 400, "bad_request", "a query argument holds a NUL (%00)");
	}
	st->rq.conn = c;
	st->rq.ctx = srv->ctx;
	st->rq.method = method;
	st->rq.path = url;
	st->rq.body = st->buf ? st->buf : "";
	st->rq.body_len = st->len;
	hub_client_ip(c, srv->ctx, st->rq.ip, sizeof(st->rq.ip));
	if (srv->ctx->offload != NULL && srv->ctx->offload(&st->rq)) {
		/* A password check: on a worker, this thread serves the others.
		 * The guard's deadline is off (request_in above) until the
		 * response ends; the worker bounds the wait in its queue. */
		if (hub_offload_reserve(srv->off) != 0) {
			busy(&rs);
			return answer(srv, st, &rs);
		}
		st->srv = srv;
		st->offloaded = 1;
		MHD_suspend_connection(c);   /* before the post: the worker may resume at once */
		hub_offload_post(srv->off, offload_job, st);
		return MHD_YES;
	}
	srv->ctx->handler(&st->rq, &rs);
	return answer(srv, st, &rs);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct hub_server *srv = cls;
	struct conn_state *st = *con_cls;

	(void)toe;
	hub_guard_response_out(srv->guard, c);
	if (st == NULL)
		return;
	if (st->rq.db != NULL)
		hub_pool_put(srv->ctx->pool, st->rq.db, 1);
	if (st->rq.rdb != NULL)
		hub_pool_put(srv->ctx->read_pool, st->rq.rdb, 1);
	if (st->offloaded) {   /* an answer never sent (closed meanwhile) */
		if (!st->prs.body_static)
			free(st->prs.body);
		if (st->prs.reader != NULL && st->prs.reader_free != NULL)
			st->prs.reader_free(st->prs.reader_cls);
		resp_free_headers(&st->prs);
	}
	free(st->buf);
	free(st);
	*con_cls = NULL;
}

static int parse_addr(const char *addr, struct sockaddr_storage *ss, char *err, size_t errlen)
{
	char host[HUB_IP_MAX];
	const char *colon = strrchr(addr, ':');
	const char *h = addr;
	size_t hl;
	char *end = NULL;
	long port;

	if (colon == NULL)
		goto bad;
	port = strtol(colon + 1, &end, 10);
	if (end == colon + 1 || *end != '\0' || port < 0 || port > 65535)
		goto bad;
	hl = (size_t)(colon - addr);
	if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
		h++;
		hl -= 2;
	}
	if (hl == 0 || hl >= sizeof(host))
		goto bad;
	memcpy(host, h, hl);
	host[hl] = '\0';
	memset(ss, 0, sizeof(*ss));
	{
		struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

		if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
			in4->sin_family = AF_INET;
			in4->sin_port = htons((uint16_t)port);
			return 0;
		}
		if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
			in6->sin6_family = AF_INET6;
			in6->sin6_port = htons((uint16_t)port);
			return 0;
		}
	}
bad:
	snprintf(err, errlen, "--listen must be ADDR:PORT with a numeric address, got '%s'", addr);
	return -1;
}

/* Raise the soft RLIMIT_NOFILE to the hard one and derive the connection
 * limit from it: HUB_CONN_LIMIT_MAX at most, and HUB_FD_RESERVE descriptors
 * kept for everything else (db connections, logs, epoll). */
static unsigned conn_limit(void)
{
	struct rlimit rl;
	rlim_t n;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return HUB_CONN_LIMIT;
	if (rl.rlim_cur < rl.rlim_max) {
		rlim_t want = rl.rlim_max;

		rl.rlim_cur = want;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	n = rl.rlim_cur;
	if (n == RLIM_INFINITY || n > (rlim_t)HUB_CONN_LIMIT_MAX + HUB_FD_RESERVE)
		return HUB_CONN_LIMIT_MAX;
	if (n < (rlim_t)HUB_FD_RESERVE * 2)
		return (unsigned)(n / 2);
	return (unsigned)(n - HUB_FD_RESERVE);
}

int hub_server_start(const char *addr, int threads, const struct hub_ctx *ctx,
    struct hub_server **out, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	struct hub_server *s;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
	    MHD_ALLOW_SUSPEND_RESUME;
	const union MHD_DaemonInfo *di;

	*out = NULL;
	if (parse_addr(addr, &ss, err, errlen) != 0)
		return -1;
	if (threads < 1 || threads > HUB_THREADS_MAX) {
		snprintf(err, errlen, "threads must be 1..%d", HUB_THREADS_MAX);
		return -1;
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->ctx = ctx;
	s->conn_limit = conn_limit();
	s->guard = hub_guard_new(ctx);
	s->off = hub_offload_new();
	if (s->guard == NULL || s->off == NULL) {
		snprintf(err, errlen, "out of memory or threads");
		hub_guard_free(s->guard);
		hub_offload_free(s->off);
		free(s);
		return -1;
	}
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	s->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HUB_CONN_TIMEOUT_S,
	    MHD_OPTION_CONNECTION_LIMIT, s->conn_limit,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
	    MHD_OPTION_NOTIFY_CONNECTION, hub_guard_notify, s->guard,
	    MHD_OPTION_END);
	if (s->d == NULL) {
		snprintf(err, errlen, "cannot listen on %s (in use, or not a local address?)", addr);
		hub_guard_free(s->guard);
		hub_offload_free(s->off);
		free(s);
		return -1;
	}
	di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : 0;
	*out = s;
	return 0;
}

int hub_server_port(const struct hub_server *s)
{
	return s->port;
}

unsigned hub_server_conn_limit(const struct hub_server *s)
{
	return s->conn_limit;
}

void hub_server_stop(struct hub_server *s)
{
	long refused = 0, expired = 0;

	if (s == NULL)
		return;
	/* Every suspended connection resumed first (libmicrohttpd requires it):
	 * queued checks are answered 503, running ones finish. */
	hub_offload_stop(s->off);
	MHD_stop_daemon(s->d);   /* every connection CLOSED: the guard holds none */
	hub_offload_free(s->off);
	hub_guard_counts(s->guard, &refused, &expired);
	fprintf(stderr, "presentie-hub: connections refused over the per-address limit: %ld,"
	    " shut at the request deadline: %ld\n", refused, expired);
	hub_guard_free(s->guard);
	free(s);
}
