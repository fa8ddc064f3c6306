/* run.c — the agent's loop: cycle (push, pull when due, push again what
 * the hub lost), record, sleep.
 * Owns: when to push and pull, the consecutive-failure count (kept in the
 * store so a crash loop still backs off), the state the kiosk shows, and
 * the sleep between cycles (wake.h). Must not: hold a store transaction
 * across a network call (push.c and pull.c guarantee it), or print secrets. */
#include "run.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backoff.h"
#include "clockinfo.h"
#include "http.h"
#include "log.h"
#include "notify.h"
#include "pace.h"
#include "pull.h"
#include "push.h"
#include "result.h"
#include "store.h"
#include "store_apply.h"
#include "store_meta.h"
#include "store_outbox.h"
#include "wake.h"

#define RUN_SHOWN_EXTRA 96   /* state_line's fields besides the error text */
#define RUN_VIEW_KEYS 7      /* pull_view's keys */
#define RUN_VIEW_MAX (RUN_VIEW_KEYS * (STORE_CURSOR_MAX + 1))   /* each value and "\n" */

struct run_ctx {
	const struct agent_run_opts *o;
	struct agent_wake *wake;
	struct store *db;
	struct agent_http *http;
	struct agent_http *http2;    /* the push pipeline's second client (push.h) */
	struct agent_push push;
	char notify[PR_PATH_MAX];
	char hub[AGENT_URL_MAX];
	unsigned failures;
	int64_t next_pull_ms;        /* monotonic */
	int64_t next_purge_ms;       /* monotonic: drop old delivered events then */
	char last_error[AGENT_ERR_MAX];
	/* What the kiosk was last told through the notify file (state_line),
	 * "" before the first notify; and whether a pull since changed what a
	 * kiosk reads from the store (pull_view). */
	char shown[AGENT_ERR_MAX + RUN_SHOWN_EXTRA];
	int pulled;
	int64_t sent_shown;          /* push.sent when the kiosk was last told */
};

static int64_t meta_int(struct store *db, const char *key)
{
	char buf[32], *end;
	long long v;

	if (store_meta_get(db, key, buf, sizeof(buf)) != 0 || buf[0] == '\0')
		return 0;
	v = strtoll(buf, &end, 10);
	return *end == '\0' && v > 0 ? (int64_t)v : 0;
}

/* Everything a pull can change that a kiosk reads from the store, as one
 * string: the two cursors (they move with every change of rosters,
 * sessions, credentials and the other kiosks' taps) and the meta the kiosk
 * reads on a notify (card link, newcomers setting, location). Returns 0,
 * or -1 when a key could not be read (the caller then assumes a change:
 * never missed). */
static int pull_view(struct store *db, char *out, size_t len)
{
	static const char *const keys[RUN_VIEW_KEYS] = { AGENT_META_CURSOR, AGENT_META_TAP_CURSOR,
		AGENT_META_CARD_LINK, AGENT_META_NEWCOMERS, AGENT_META_LOC_ID,
		AGENT_META_LOC_NAME, AGENT_META_LOC_TZ };
	char val[STORE_CURSOR_MAX];
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		int n;

		if (store_meta_get(db, keys[i], val, sizeof(val)) < 0)
			return -1;
		n = snprintf(out + o, len - o, "%s\n", val);
		if (n < 0 || (size_t)n >= len - o)
			return -1;
		o += (size_t)n;
	}
	return 0;
}

/* What the kiosk shows of the sync state, as one line: ok or error and the
 * error's words, the events waiting, the failure count, and the minute of
 * the last success (the kiosk shows it as HH:MM). */
static void state_line(char *out, size_t len, int ok, const char *msg, int64_t pending,
    unsigned failures, int64_t last_ok_s)
{
	snprintf(out, len, "%s waiting %lld failures %u last_ok_min %lld %s", ok ? "ok" : "error",
	    (long long)pending, failures, (long long)(last_ok_s / 60), ok ? "" : msg);
}

/* Record the outcome of a cycle in the store; wake the kiosk (rewrite the
 * notify file) only when what it shows changed (state_line), events were
 * sent (the kiosk counted them waiting: the count may be back where the
 * agent last told it, yet the kiosk shows its own taps too) or a pull
 * changed what it reads (c->pulled): an idle agent that pulls every few
 * seconds must not wake it every time. */
static void record(struct run_ctx *c, const struct agent_result *r)
{
	char now[24], waiting[24], fails[24], line[96], shown[sizeof(c->shown)];
	int64_t pending = 0, first = 0, t = (int64_t)time(NULL), last_ok;
	int ok = r->status == AGENT_DONE;
	const char *kv[10];
	size_t n = 0;

	if (store_outbox_pending(c->db, &pending, &first) < 0)
		pending = -1;
	snprintf(now, sizeof(now), "%lld", (long long)t);
	snprintf(waiting, sizeof(waiting), "%lld", (long long)pending);
	snprintf(fails, sizeof(fails), "%u", c->failures);
	kv[n++] = AGENT_META_LAST_TRY;   kv[n++] = now;
	kv[n++] = AGENT_META_LAST_ERROR; kv[n++] = ok ? "" : r->msg;
	kv[n++] = AGENT_META_FAILURES;   kv[n++] = fails;
	if (pending >= 0) {
		kv[n++] = AGENT_META_WAITING;
		kv[n++] = waiting;
	}
	if (ok) {
		kv[n++] = AGENT_META_LAST_OK;
		kv[n++] = now;
	}
	if (store_meta_set_many(c->db, kv, n / 2) < 0)
		log_warn("could not record the sync state: %s", store_errmsg(c->db));
	last_ok = ok ? t : meta_int(c->db, AGENT_META_LAST_OK);
	state_line(shown, sizeof(shown), ok, r->msg, pending, c->failures, last_ok);
	if (!c->pulled && c->push.sent == c->sent_shown && strcmp(shown, c->shown) == 0)
		return;                          /* nothing the kiosk shows changed */
	snprintf(line, sizeof(line), "%s %s waiting %lld", ok ? "ok" : "error", now,
	    (long long)pending);
	if (agent_notify_touch(c->notify, line) < 0) {
		log_debug("could not touch %s", c->notify);
		return;                          /* try again after the next cycle */
	}
	memcpy(c->shown, shown, sizeof(c->shown));
	c->pulled = 0;
	c->sent_shown = c->push.sent;
}

/* The push pipeline asks from its request threads too: one at a time. */
static pthread_mutex_t stop_lock = PTHREAD_MUTEX_INITIALIZER;

static int stopping(void *arg)
{
	int s;

	pthread_mutex_lock(&stop_lock);
	s = agent_wake_stopping(arg);
	pthread_mutex_unlock(&stop_lock);
	return s;
}

/* Tell the hub (header on the next requests) how many records wait here and
 * whether this machine's clock is synchronised: the dashboard shows both. */
static void report_status(struct run_ctx *c)
{
	struct clockinfo ci;
	int64_t pending = 0, first = 0;

	if (store_outbox_pending(c->db, &pending, &first) < 0)
		pending = -1;
	clockinfo_now(&ci);
	agent_http_set_status(c->http, (long long)pending, ci.synced);
	if (c->http2 != NULL)
		agent_http_set_status(c->http2, (long long)pending, ci.synced);
}

/* After a good push, at most once per AGENT_PURGE_EVERY_MS: drop delivered
 * events older than STORE_EVENT_KEEP_DAYS (store_outbox_purge keeps every
 * undelivered event and the newest one). A failure is logged and retried
 * at the next push. */
static void purge_old(struct run_ctx *c)
{
	struct timespec now;
	int64_t deleted = 0, before;

	if (clockinfo_mono_ms() < c->next_purge_ms)
		return;
	clock_gettime(CLOCK_REALTIME, &now);
	before = (int64_t)now.tv_sec * 1000 - (int64_t)STORE_EVENT_KEEP_DAYS * AGENT_DAY_MS;
	if (store_outbox_purge(c->db, before, &deleted) < 0) {
		log_warn("could not drop old delivered events: %s", store_errmsg(c->db));
		return;
	}
	c->next_purge_ms = clockinfo_mono_ms() + AGENT_PURGE_EVERY_MS;
	if (deleted > 0)
		log_info("dropped %lld delivered events older than %d days", (long long)deleted,
		    STORE_EVENT_KEEP_DAYS);
}

/* The hub's changes answer said it holds every event only up to acked:
 * if it lost events this store marked delivered (its database restored
 * from a backup), queue them again and push them now, in this cycle: no
 * new tap or push answer is needed to find out. 0, or -1 with r filled. */
static int resend_lost(struct run_ctx *c, int64_t acked, struct agent_result *r)
{
	int64_t requeued = 0;

	if (store_outbox_requeue(c->db, acked, &requeued) < 0) {
		agent_result_set(r, AGENT_LOCAL, "re-queueing events: %s", store_errmsg(c->db));
		return -1;
	}
	if (requeued == 0)
		return 0;
	log_warn("the hub holds every event only up to seq %lld (restored from a backup?): "
	    "sending %lld events again", (long long)acked, (long long)requeued);
	return agent_push_all(c->db, c->http, &c->push, stopping, c->wake, r);
}

/* One cycle: push everything, then pull if due (or forced), then push again
 * what the pull showed the hub lost. */
static void cycle(struct run_ctx *c, int force_pull, struct agent_result *r)
{
	int64_t sent0 = c->push.sent, acked0 = c->push.acked, acked = -1;
	char before[RUN_VIEW_MAX], after[RUN_VIEW_MAX];
	size_t pages = 0;
	int rc, seen;

	agent_result_init(r);
	report_status(c);
	if (agent_push_all(c->db, c->http, &c->push, stopping, c->wake, r) < 0)
		return;
	purge_old(c);
	if (c->push.acked != acked0) {
		log_info("pushed %lld events, the hub holds every event up to seq %lld",
		    (long long)(c->push.sent - sent0), (long long)c->push.acked);
		force_pull = 1;           /* also tells the hub the queue is empty now */
	}
	if (!force_pull && clockinfo_mono_ms() < c->next_pull_ms)
		return;
	report_status(c);                 /* after the push: usually 0 waiting */
	seen = pull_view(c->db, before, sizeof(before));
	rc = agent_pull_all(c->db, c->http, stopping, c->wake, &pages, &acked, r);
	if (seen < 0 || pull_view(c->db, after, sizeof(after)) < 0 || strcmp(before, after) != 0)
		c->pulled = 1;            /* record() wakes the kiosk */
	if (rc < 0)
		return;
	c->next_pull_ms = clockinfo_mono_ms() + agent_pace_pull_ms(c->db, (int64_t)time(NULL),
	    c->o->pull_interval_ms > 0 ? c->o->pull_interval_ms : AGENT_PULL_INTERVAL_MS,
	    c->o->fast_pull_ms == 0 ? AGENT_PULL_FAST_MS : c->o->fast_pull_ms);
	if (pages > 1)
		log_info("applied %zu pages of changes", pages);
	if (acked >= 0 && resend_lost(c, acked, r) < 0)
		return;
}

/* Open the store and the HTTP client from the store's meta. 0, 1 (not yet:
 * store missing or not enrolled; msg says why), -1 (hard error). */
static int setup(struct run_ctx *c, char *msg, size_t msglen)
{
	char token[AGENT_TOKEN_MAX], pin[AGENT_PIN_MAX], ca[PR_PATH_MAX];
	struct agent_http_opts ho;
	int rc = -1;

	if (c->db == NULL && store_attach(c->o->db_path, &c->db, msg, msglen) < 0)
		return 1;
	if (store_meta_get(c->db, AGENT_META_TOKEN, token, sizeof(token)) != 0 ||
	    token[0] == '\0' ||
	    store_meta_get(c->db, AGENT_META_HUB_URL, c->hub, sizeof(c->hub)) != 0) {
		snprintf(msg, msglen, "the store %s is not enrolled; run `presentie-sync enrol "
		    "--hub URL --code CODE --db %s` first", c->o->db_path, c->o->db_path);
		rc = 1;
		goto out;
	}
	if (store_meta_get(c->db, AGENT_META_PIN, pin, sizeof(pin)) < 0 ||
	    store_meta_get(c->db, AGENT_META_CA, ca, sizeof(ca)) < 0) {
		snprintf(msg, msglen, "reading the store: %s", store_errmsg(c->db));
		goto out;
	}
	memset(&ho, 0, sizeof(ho));
	ho.base_url = c->hub;
	ho.token = token;
	ho.pinned_pubkey = pin[0] ? pin : NULL;
	ho.ca_file = ca[0] ? ca : NULL;
	ho.should_abort = stopping;
	ho.abort_arg = c->wake;
	if (agent_http_new(&ho, &c->http, msg, msglen) < 0)
		goto out;
	/* Without a second client the push still works, one request at a time. */
	if (agent_http_new(&ho, &c->http2, msg, msglen) < 0)
		c->http2 = NULL;
	c->push.ahead = c->http2;
	c->failures = (unsigned)meta_int(c->db, AGENT_META_FAILURES);
	rc = 0;
out:
	memset(token, 0, sizeof(token));
	return rc;
}

static int exit_code(const struct agent_result *r)
{
	switch (r->status) {
	case AGENT_DONE: return AGENT_EXIT_OK;
	case AGENT_TRANSIENT: return AGENT_EXIT_UNREACHABLE;
	case AGENT_REFUSED: case AGENT_AUTH: return AGENT_EXIT_REFUSED;
	case AGENT_LOCAL: case AGENT_STOPPED: return AGENT_EXIT_CONFIG;
	}
	return AGENT_EXIT_CONFIG;
}

/* How long to wait after a failed cycle. */
static int64_t failure_delay_ms(const struct run_ctx *c, const struct agent_result *r)
{
	int64_t d = agent_backoff_delay_ms(c->failures);

	if (d < 0)
		d = AGENT_BACKOFF_CAP_MS;
	if (r->retry_after_s >= 0)                     /* the hub said when: honour it */
		d = r->retry_after_s * 1000 > AGENT_BACKOFF_BASE_MS ?
		    r->retry_after_s * 1000 : AGENT_BACKOFF_BASE_MS;
	if (r->status == AGENT_AUTH || r->status == AGENT_REFUSED)
		d = AGENT_BACKOFF_CAP_MS;                  /* a person must act; don't hammer */
	if (c->o->max_backoff_ms > 0 && d > c->o->max_backoff_ms && r->retry_after_s < 0)
		d = c->o->max_backoff_ms;                  /* never cuts a Retry-After short */
	return d;
}

static int serve(struct run_ctx *c)
{
	struct agent_result r;
	int64_t pending, first, delay, wait_ms;
	int force_pull = 1;

	for (;;) {
		cycle(c, force_pull || c->o->once, &r);
		if (r.status == AGENT_STOPPED)
			return AGENT_EXIT_OK;
		force_pull = 0;
		if (r.status == AGENT_DONE) {
			if (c->failures > 0 || c->last_error[0] != '\0')
				log_info("the hub is reachable again");
			c->failures = 0;
			c->last_error[0] = '\0';
			record(c, &r);
			/* Our own writes woke the watch; forget them, then look again
			 * so a tap that landed during the cycle is not missed. */
			agent_wake_drain(c->wake);
			if (store_outbox_pending(c->db, &pending, &first) == 0 && pending > 0)
				continue;
			if (c->o->once)
				return AGENT_EXIT_OK;
			wait_ms = c->next_pull_ms - clockinfo_mono_ms();
			switch (agent_wake_wait(c->wake, wait_ms > 0 ? wait_ms : 0, 1)) {
			case AGENT_WAKE_STOP: return AGENT_EXIT_OK;
			case AGENT_WAKE_TIMEOUT: force_pull = 1; break;
			case AGENT_WAKE_STORE: break;
			}
			continue;
		}
		if (c->failures < 1000)
			c->failures++;
		if (strcmp(c->last_error, r.msg) != 0 || c->o->once)
			log_error("%s", r.msg);
		snprintf(c->last_error, sizeof(c->last_error), "%s", r.msg);
		record(c, &r);
		if (c->o->once)
			return exit_code(&r);
		delay = failure_delay_ms(c, &r);
		log_info("next attempt in %lld.%03lld s (failure %u, %s)", (long long)(delay / 1000),
		    (long long)(delay % 1000), c->failures, agent_status_name(r.status));
		if (agent_wake_wait(c->wake, delay, 0) == AGENT_WAKE_STOP)
			return AGENT_EXIT_OK;
		force_pull = 1;
	}
}

int agent_run(const struct agent_run_opts *o)
{
	struct run_ctx c;
	char msg[AGENT_ERR_MAX + 64], said[sizeof(msg)] = "";
	int rc = AGENT_EXIT_CONFIG, s;

	memset(&c, 0, sizeof(c));
	c.o = o;
	if (agent_notify_path(o->db_path, c.notify, sizeof(c.notify)) < 0) {
		log_error("the store path is too long");
		return AGENT_EXIT_CONFIG;
	}
	if (agent_wake_open(o->db_path, &c.wake, msg, sizeof(msg)) < 0) {
		log_error("%s", msg);
		return AGENT_EXIT_CONFIG;
	}
	/* A missing store or enrolment is not fatal for the service: the kiosk
	 * may start later, and `enrol` may run after us. --once gives up. */
	while ((s = setup(&c, msg, sizeof(msg))) != 0) {
		if (s < 0 || o->once) {
			log_error("%s", msg);
			goto out;
		}
		if (strcmp(msg, said) != 0)
			log_warn("%s; waiting", msg);
		snprintf(said, sizeof(said), "%s", msg);
		if (agent_wake_wait(c.wake, AGENT_WAIT_STORE_MS, 1) == AGENT_WAKE_STOP) {
			rc = AGENT_EXIT_OK;
			goto out;
		}
	}
	log_info("syncing %s with %s", o->db_path, c.hub);
	rc = serve(&c);
out:
	agent_http_free(c.http);
	agent_http_free(c.http2);
	store_close(c.db);
	agent_wake_close(c.wake);
	return rc;
}
