/* http.h — the hub's HTTP server (libmicrohttpd, internal thread pool):
 * requests with bounded bodies come in, a handler fills a response (JSON
 * buffer or a streamed body), errors always carry the JSON error shape.
 * Must not: know any endpoint (the handler in hub_ctx does) or any SQL. */
#ifndef PRESENTIE_HUB_HTTP_H
#define PRESENTIE_HUB_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define HUB_THREADS_DEFAULT   4
#define HUB_THREADS_MAX       64
#define HUB_CONN_TIMEOUT_S    30     /* idle or slow client */
#define HUB_CONN_LIMIT        512    /* least global limit (RLIMIT_NOFILE allowing) */
#define HUB_CONN_LIMIT_MAX    4096   /* most: derived from RLIMIT_NOFILE up to this */
#define HUB_FD_RESERVE        256    /* descriptors kept for db, logs, epoll, ... */
#define HUB_PER_ADDR_CONN_LIMIT 32   /* open connections of one client address */
#define HUB_REQUEST_DEADLINE_S 10    /* a request whole (headers + body) within this of
                                      * the connection's start or the last response's end */
#define HUB_TRUSTED_PROXIES_MAX 8    /* --trusted-proxy addresses */
#define HUB_XFF_MAX           1024   /* X-Forwarded-For bytes looked at (more: the peer) */
#define HUB_DB_WAIT_MS        5000   /* wait for a pooled connection, then 503 */
#define HUB_DISCARD_MAX       (64 * PR_BODY_MAX) /* body bytes we read to answer 413 */
#define HUB_IP_MAX            64
#define HUB_RESP_HDRS_MAX     12     /* extra headers of one response */

struct hub_pool;
struct hub_slots;
struct hub_mail_conf;
struct hub_db;
struct hub_req;
struct hub_resp;
struct MHD_Connection;

/* A request handler: fills rs completely (status and a body or a stream). */
typedef void (*hub_handler_fn)(struct hub_req *rq, struct hub_resp *rs);
/* 1 if rq's handler is slow CPU work (a password check): it then runs on
 * a password-check worker (offload.h) while its connection is suspended,
 * and may read rq's method, path, body, ip and headers only. */
typedef int (*hub_offload_pred)(const struct hub_req *rq);

/* A numeric IP address (IPv4-mapped IPv6 is kept as IPv4). */
struct hub_addr {
	int family;              /* AF_INET or AF_INET6 */
	unsigned char a[16];     /* 4 or 16 bytes used */
};

/* Server-wide settings; read-only once the server runs. */
struct hub_ctx {
	hub_handler_fn handler;  /* every request goes here (cli/routes.c) */
	struct hub_pool *pool;
	int enrol_per_min;       /* enrolment attempts per client address per minute */
	int login_fail_max;      /* failed logins per account per window */
	int64_t login_window_ms;
	struct hub_slots *slots;  /* export slots with their own db connections (slots.h) */
	int ntrusted;             /* proxies whose X-Forwarded-For is believed (client.h) */
	struct hub_addr trusted[HUB_TRUSTED_PROXIES_MAX];
	const struct hub_mail_conf *mail;  /* outgoing mail (svc/mail.h); NULL or empty = none */
	struct hub_pool *read_pool;  /* serve --db-read: a read replica for hub_req_read_db, or NULL */
	hub_offload_pred offload;    /* requests for the password-check workers, or NULL */
};

struct hub_req {
	struct MHD_Connection *conn;
	const struct hub_ctx *ctx;
	const char *method;
	const char *path;
	const char *body;        /* NUL-terminated copy, body_len bytes */
	size_t body_len;
	char ip[HUB_IP_MAX];      /* the client: the peer, or X-Forwarded-For's right-most
	                          * untrusted address when the peer is a trusted proxy */
	struct hub_db *db;       /* lent from the pool on first use */
	int db_broken;
	struct hub_db *rdb;      /* lent from read_pool on first use (hub_req_read_db) */
	int rdb_broken;
};

/* A streamed body: read fills buf (up to max) and returns bytes, 0 at the
 * end, -1 on error (the connection is then closed). */
typedef ssize_t (*hub_reader_fn)(void *cls, char *buf, size_t max);

struct hub_resp {
	int status;
	char *body;              /* malloc'd, owned by the response */
	size_t len;
	const char *ctype;
	int retry_after;         /* seconds; 0 = no header */
	const char *filename;    /* Content-Disposition attachment name, or NULL */
	hub_reader_fn reader;    /* streamed body instead of body */
	void (*reader_free)(void *cls);
	void *reader_cls;
	int body_static;         /* body points to constant data: not freed */
	const char *cache;       /* Cache-Control value; NULL = "no-store" */
	int nhdr;                /* extra headers (hub_resp_header) */
	const char *hdr_name[HUB_RESP_HDRS_MAX];
	char *hdr_value[HUB_RESP_HDRS_MAX];  /* malloc'd, freed with the response */
};

struct hub_server;

/* Listen on addr ("127.0.0.1:8080", "[::1]:8080") with threads threads.
 * Returns 0 and *out, or -1 with err filled. */
int hub_server_start(const char *addr, int threads, const struct hub_ctx *ctx,
    struct hub_server **out, char *err, size_t errlen);
/* The port actually bound (useful with port 0). */
int hub_server_port(const struct hub_server *s);
/* The global connection limit in force (from RLIMIT_NOFILE, see conn_limit). */
unsigned hub_server_conn_limit(const struct hub_server *s);
void hub_server_stop(struct hub_server *s);

/* The request's db connection (lent from the pool; returned after the
 * response). NULL if none could be had: answer 503. */
struct hub_db *hub_req_db(struct hub_req *rq);
/* Take ownership of the request's connection (a streamed response gives it
 * back with hub_pool_put when done). */
struct hub_db *hub_req_take_db(struct hub_req *rq);
/* A connection for reads that may lag the primary by the replica's delay
 * (the dashboard's Today): from read_pool when the hub has one, else
 * hub_req_db(rq). Returned after the response; NULL: answer 503. The
 * caller sets rq->rdb_broken (when it is rq->rdb) as it would db_broken. */
struct hub_db *hub_req_read_db(struct hub_req *rq);
const char *hub_req_arg(struct hub_req *rq, const char *name);
/* Idle timeout of rq's connection from now on (seconds without progress in
 * either direction, e.g. a reader that stopped reading), then it closes. */
void hub_req_set_timeout(struct hub_req *rq, unsigned seconds);
const char *hub_req_header(struct hub_req *rq, const char *name);

/* Fill rs with j as JSON (steals the reference). Returns 0, -1 on memory. */
int hub_resp_json(struct hub_resp *rs, int status, json_t *j);
/* Fill rs with the error shape {"error","message"}. */
void hub_resp_error(struct hub_resp *rs, int status, const char *code,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Add a response header (name: a constant string; value copied).
 * Returns 0, or -1 if the table is full or memory ran out (header dropped). */
int hub_resp_header(struct hub_resp *rs, const char *name, const char *value);
/* 503 for HUB_DB_UNAVAILABLE, else 500 (nothing was committed). */
void hub_resp_dberr(struct hub_resp *rs, int rc);

#endif
