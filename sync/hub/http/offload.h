/* offload.h — the hub's password-check workers: a few threads (one per
 * online core, at most HUB_OFFLOAD_WORKERS_MAX) that run slow, CPU-bound
 * requests (a login's argon2id check) off libmicrohttpd's request threads,
 * from a bounded queue (HUB_OFFLOAD_QUEUE_MAX) in arrival order; a job that
 * waited past HUB_OFFLOAD_WAIT_MAX_MS runs as "expired" (its owner answers
 * 503 without doing the work). Must not: block a caller (a full queue is
 * refused at once) or know what a job does (http.c owns the connection). */
#ifndef PRESENTIE_HUB_OFFLOAD_H
#define PRESENTIE_HUB_OFFLOAD_H

#define HUB_OFFLOAD_WORKERS_MAX 16    /* workers at most, whatever the core count */
#define HUB_OFFLOAD_QUEUE_MAX   64    /* jobs waiting or running at once; more: 503 */
#define HUB_OFFLOAD_WAIT_MAX_MS 8000  /* a job queued longer is not run: 503 */
#define HUB_OFFLOAD_RETRY_S     1     /* Retry-After of a refused or expired job */

/* A job: runs on a worker; expired is 1 when it waited too long or the
 * workers are stopping (then do no work, just answer). */
typedef void (*hub_offload_fn)(void *arg, int expired);

struct hub_offload;

/* Workers for the online cores (1..HUB_OFFLOAD_WORKERS_MAX), running.
 * Returns NULL (out of memory, no thread). */
struct hub_offload *hub_offload_new(void);
/* Take a place in the queue. Returns 0 (the caller must then call
 * hub_offload_post exactly once), or -1: full or stopping (answer 503). */
int hub_offload_reserve(struct hub_offload *o);
/* Queue fn(arg) in the place reserved. Never fails or blocks. */
void hub_offload_post(struct hub_offload *o, hub_offload_fn fn, void *arg);
/* Refuse new reservations, run what is queued as expired, wait for every
 * job to finish and join the workers. NULL is allowed. */
void hub_offload_stop(struct hub_offload *o);
/* Free after hub_offload_stop. NULL is allowed. */
void hub_offload_free(struct hub_offload *o);
/* Number of workers (for the log). */
int hub_offload_workers(const struct hub_offload *o);

#endif
