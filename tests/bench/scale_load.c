/* scale_load.c — the load generator of tests/bench/scale_bench.sh: N kiosks
 * and M coordinators as real HTTP clients (libcurl multi, one easy handle,
 * one connection and one loopback source address each), open loop.
 *   scale_load URL CAFILE CODES COORDS SECONDS PERSONS ACKED_OUT
 * CODES: "DEVICE_ID CODE" lines (presentie-hub device create --count);
 * COORDS: "EMAIL PASSWORD" lines; PERSONS: comma-separated person ids.
 * First every kiosk enrols (POST /v1/enrol) and every coordinator logs in
 * (POST /v1/login); then for SECONDS each kiosk taps every SCALE_TAP_MS
 * (jittered; taps due while a request is out wait and go as one batch, as
 * the agent does), pulls GET /v1/changes?cursor=&taps= every SCALE_PULL_MS,
 * and each coordinator polls GET /v1/dash/today every SCALE_TODAY_MS with
 * If-None-Match (sync/hub/dash/web/js/today.js). Latency of a request is
 * from when it was due (not when it could start), into a 0.1 ms histogram.
 * Prints per kind: count, errors, p50/p95/p99/max ms; writes ACKED_OUT as
 * "DEVICE_ID ACKED_SEQ" lines for the exactly-once check. CPU over the run
 * (not the setup): its own, the machine's (/proc/stat), and of each group of
 * SCALE_PIDS="NAME:PID[,PID...] ..." with the direct children of those pids
 * (nginx workers, PostgreSQL backends) from /proc/PID/stat.
 * Must not: be linked into a program; it knows nothing of the hub's code. */
#include <curl/curl.h>
#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define SCALE_TAP_MS      6000     /* 10 taps a minute */
#define SCALE_JITTER_MS   1500     /* each gap 6 s +- 1.5 s */
#define SCALE_PULL_MS     30000
#define SCALE_TODAY_MS    10000    /* today.js REFRESH_MS */
#define SCALE_BATCH_MAX   50       /* per push (the hub takes 500; a kiosk rarely has 2) */
#define SCALE_HIST_MAX    600000   /* 0.1 ms buckets: 60 s */
#define SCALE_SETUP_PASSES 3
#define SCALE_SETUP_PAR   64       /* enrolments / logins in flight at once */
#define SCALE_LOGIN_PAR   1        /* logins of those: an argon2id check used to hold
				    * a hub thread and every connection on it (50 at
				    * once held requests past the 10 s deadline); it
				    * now runs on the hub's password-check workers
				    * (http/offload.c, 503 busy past 64 queued), but
				    * setup does not retry a 503, so one at a time */
#define SCALE_DRAIN_MS    60000    /* after SECONDS: finish what is out */
#define SCALE_TIMEOUT_MS  60000L   /* one request */
#define SCALE_CLIENTS_MAX 20000
#define SCALE_BODY_MAX    (4 * 1024 * 1024)
#define SCALE_ERRLOG_MAX  10       /* failed requests printed on stderr */
#define SCALE_GROUPS_MAX  8
#define SCALE_ROOTS_MAX   8
#define SCALE_STAT_MAX    1024

enum kind { K_PUSH, K_PULL, K_TODAY, K_SETUP, K_N };
static const char *kind_name[K_N] = { "push", "pull", "today", "setup" };

struct hist {
	uint32_t b[SCALE_HIST_MAX + 1];
	uint64_t n, errors;
	double max_ms;
};

struct client {
	int coord;                 /* 0 kiosk, 1 coordinator */
	char addr[32];             /* source address 127.x.y.z */
	char dev_id[64], code[32], email[128], password[128];
	char token[128], cursor[128], taps[128], etag[128];
	CURL *h;
	struct curl_slist *hdrs;
	int busy;
	enum kind out_kind;
	int64_t due_ms;            /* when the request in flight was due */
	int64_t next_tap, next_pull, next_today;
	int64_t queued_first;      /* due time of the oldest tap not yet sent */
	int queued;                /* taps due, not yet sent */
	int in_batch;              /* events in the push in flight */
	int64_t batch_first;       /* due time of its oldest tap */
	int64_t seq, acked;        /* last seq made, last acked */
	char *body;
	size_t len;
	char post[SCALE_BATCH_MAX * 420 + 64];   /* an event is < 420 bytes */
};

static struct hist hists[K_N];
static struct client *cl;
static int ncl, nkiosk;
static char **persons;
static int npersons;
static const char *base, *cafile;
static long errlogged;
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

struct group {
	char name[32];
	long roots[SCALE_ROOTS_MAX];
	int nroots;
	unsigned long long t0;    /* ticks at the start of the run */
};
static struct group groups[SCALE_GROUPS_MAX];
static int ngroups;

/* SCALE_PIDS="hub1:12,13 nginx:20" into groups; unknown syntax is skipped. */
static void groups_parse(void)
{
	const char *env = getenv("SCALE_PIDS");
	char buf[1024], *w, *next;

	snprintf(buf, sizeof(buf), "%s", env ? env : "");
	for (w = buf; w && *w && ngroups < SCALE_GROUPS_MAX; w = next) {
		char *colon, *p;
		struct group *g = &groups[ngroups];

		next = strchr(w, ' ');
		if (next)
			*next++ = '\0';
		if ((colon = strchr(w, ':')) == NULL)
			continue;
		*colon = '\0';
		snprintf(g->name, sizeof(g->name), "%.31s", w);
		for (p = colon + 1; p && *p && g->nroots < SCALE_ROOTS_MAX; ) {
			g->roots[g->nroots++] = strtol(p, &p, 10);
			p = *p == ',' ? p + 1 : NULL;
		}
		ngroups++;
	}
}

/* Up to n space-separated integers of s into v; returns how many were read. */
static int numbers(const char *s, long long *v, int n)
{
	int k = 0;

	while (k < n) {
		char *end = NULL;

		v[k] = strtoll(s, &end, 10);
		if (end == s)
			break;
		s = end;
		k++;
	}
	return k;
}

/* utime + stime of a group: its roots and every process whose parent is one. */
static unsigned long long group_ticks(const struct group *g)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	unsigned long long sum = 0;

	while (d && (e = readdir(d)) != NULL) {
		char path[300], line[SCALE_STAT_MAX], *p;
		long pid = strtol(e->d_name, NULL, 10);
		long long v[12];
		FILE *f;
		int hit = 0;

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		p = fgets(line, sizeof(line), f) ? strrchr(line, ')') : NULL;
		fclose(f);
		/* after "pid (comm) S ": ppid pgrp session tty tpgid flags minflt cminflt
		 * majflt cmajflt utime stime */
		if (p == NULL || strlen(p) < 4 || numbers(p + 3, v, 12) != 12)
			continue;
		for (int i = 0; i < g->nroots; i++)
			hit |= g->roots[i] == pid || g->roots[i] == v[0];
		if (hit)
			sum += (unsigned long long)(v[10] + v[11]);
	}
	if (d)
		closedir(d);
	return sum;
}

/* Busy and total ticks of the whole machine (/proc/stat "cpu" line). */
static void machine_ticks(unsigned long long *busy, unsigned long long *total)
{
	long long v[8] = { 0 };
	char line[SCALE_STAT_MAX];
	FILE *f = fopen("/proc/stat", "r");

	*busy = *total = 0;
	if (f == NULL)
		return;
	/* "cpu  user nice system idle iowait irq softirq steal ..." */
	if (fgets(line, sizeof(line), f) != NULL && strncmp(line, "cpu ", 4) == 0 &&
	    numbers(line + 4, v, 8) == 8) {
		for (int i = 0; i < 8; i++)
			*total += (unsigned long long)v[i];
		*busy = *total - (unsigned long long)(v[3] + v[4]);
	}
	fclose(f);
}

static double self_cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void hist_add(struct hist *h, double ms)
{
	long i = (long)(ms * 10.0);

	if (i < 0)
		i = 0;
	h->b[i > SCALE_HIST_MAX ? SCALE_HIST_MAX : i]++;
	h->n++;
	if (ms > h->max_ms)
		h->max_ms = ms;
}

static double hist_pct(const struct hist *h, double p)
{
	uint64_t want = (uint64_t)((double)h->n * p + 0.999999), acc = 0;

	for (long i = 0; i <= SCALE_HIST_MAX; i++) {
		acc += h->b[i];
		if (acc >= want && want > 0)   /* the bucket's upper edge, at most the max */
			return (double)(i + 1) / 10.0 < h->max_ms ? (double)(i + 1) / 10.0 : h->max_ms;
	}
	return 0;
}

static size_t on_body(char *p, size_t sz, size_t n, void *u)
{
	struct client *c = u;
	size_t k = sz * n;
	char *nb;

	if (c->len + k + 1 > SCALE_BODY_MAX)
		return 0;
	nb = realloc(c->body, c->len + k + 1);
	if (nb == NULL)
		return 0;
	c->body = nb;
	memcpy(c->body + c->len, p, k);
	c->len += k;
	c->body[c->len] = '\0';
	return k;
}

static size_t on_header(char *p, size_t sz, size_t n, void *u)
{
	struct client *c = u;
	size_t k = sz * n, v;

	if (k > 6 && strncasecmp(p, "etag:", 5) == 0) {
		for (v = 5; v < k && p[v] == ' '; v++)
			;
		while (k > v && (p[k - 1] == '\r' || p[k - 1] == '\n'))
			k--;
		snprintf(c->etag, sizeof(c->etag), "%.*s", (int)(k - v), p + v);
	}
	return sz * n;
}

/* Where the value of "key" starts in body (after the colon), or NULL. */
static const char *json_at(const char *body, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\"", key);
	p = body ? strstr(body, pat) : NULL;
	if (p == NULL)
		return NULL;
	p += strlen(pat);
	while (*p == ' ')
		p++;
	if (*p++ != ':')
		return NULL;
	while (*p == ' ')
		p++;
	return p;
}

/* The JSON string value of "key" in body into out (no escapes expected). */
static int json_str(const char *body, const char *key, char *out, size_t outlen)
{
	const char *p = json_at(body, key), *e;

	if (p == NULL || *p++ != '"')
		return -1;
	e = strchr(p, '"');
	if (e == NULL || (size_t)(e - p) >= outlen)
		return -1;
	snprintf(out, outlen, "%.*s", (int)(e - p), p);
	return 0;
}

static long long json_int(const char *body, const char *key)
{
	const char *p = json_at(body, key);

	return p ? strtoll(p, NULL, 10) : -1;
}

static void start(CURLM *m, struct client *c, enum kind k, int64_t due, const char *path,
    const char *post)
{
	char url[512], hdr[256];

	snprintf(url, sizeof(url), "%s%s", base, path);
	curl_easy_setopt(c->h, CURLOPT_URL, url);
	curl_slist_free_all(c->hdrs);
	c->hdrs = curl_slist_append(NULL, "Content-Type: application/json");
	if (c->token[0] != '\0') {
		snprintf(hdr, sizeof(hdr), "Authorization: Bearer %s", c->token);
		c->hdrs = curl_slist_append(c->hdrs, hdr);
	}
	if (!c->coord && k != K_SETUP) {
		snprintf(hdr, sizeof(hdr), "Presentie-Device-Status: waiting=%d; clock-synced=1",
		    c->queued + c->in_batch);
		c->hdrs = curl_slist_append(c->hdrs, hdr);
	}
	if (k == K_TODAY && c->etag[0] != '\0') {
		snprintf(hdr, sizeof(hdr), "If-None-Match: %s", c->etag);
		c->hdrs = curl_slist_append(c->hdrs, hdr);
	}
	curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, c->hdrs);
	if (post != NULL) {
		curl_easy_setopt(c->h, CURLOPT_POSTFIELDS, post);
	} else {
		curl_easy_setopt(c->h, CURLOPT_HTTPGET, 1L);
	}
	c->len = 0;
	if (c->body)
		c->body[0] = '\0';
	c->busy = 1;
	c->out_kind = k;
	c->due_ms = due;
	curl_multi_add_handle(m, c->h);
}

static void start_push(CURLM *m, struct client *c)
{
	int n = c->queued > SCALE_BATCH_MAX ? SCALE_BATCH_MAX : c->queued;
	size_t o;
	int64_t w = wall_ms();

	o = (size_t)snprintf(c->post, sizeof(c->post), "{\"device_seq_from\":%lld,\"events\":[",
	    (long long)c->acked + 1);
	for (int i = 0; i < n; i++) {
		long long s = (long long)c->acked + 1 + i;
		const char *p = persons[(size_t)(s + (c - cl)) % (size_t)npersons];

		o += (size_t)snprintf(c->post + o, sizeof(c->post) - o,
		    "%s{\"uuid\":\"%08x-5ca1-7e4f-8a9b-%012llx\",\"seq\":%lld,\"kind\":\"check_in\","
		    "\"person_id\":\"%s\",\"session_id\":null,\"role\":null,\"wall_ms\":%lld,"
		    "\"boot_id\":\"5ca1e000-0000-4000-8000-%012x\",\"boottime_ns\":%lld,"
		    "\"clock_synced\":true,\"payload\":{}}", i ? "," : "", (unsigned)(c - cl), s, s, p,
		    (long long)w, (unsigned)(c - cl), (long long)(s * 1000000000LL));
	}
	snprintf(c->post + o, sizeof(c->post) - o, "]}");
	c->in_batch = n;
	c->batch_first = c->queued_first;
	c->queued -= n;
	c->queued_first = now_ms();   /* (only when over a batch) */
	c->seq = c->acked + n;
	start(m, c, K_PUSH, c->batch_first, "/v1/events", c->post);
}

static void fail(const struct client *c, long st, const char *why)
{
	hists[c->out_kind].errors++;
	if (errlogged++ < SCALE_ERRLOG_MAX)
		fprintf(stderr, "scale_load: %s %s: %ld %s %.200s\n", kind_name[c->out_kind],
		    c->coord ? c->email : c->dev_id, st, why, c->body ? c->body : "");
}

static void done(CURLM *m, struct client *c, CURLcode res, int64_t t)
{
	long st = 0;

	curl_multi_remove_handle(m, c->h);
	c->busy = 0;
	curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &st);
	hist_add(&hists[c->out_kind], (double)(t - c->due_ms));
	if (res != CURLE_OK) {
		fail(c, st, curl_easy_strerror(res));
		return;
	}
	switch (c->out_kind) {
	case K_SETUP:
		if (st != 200 || json_str(c->body, "token", c->token, sizeof(c->token)) != 0)
			fail(c, st, "setup");
		break;
	case K_PUSH:
		if (st != 200 || json_int(c->body, "acked_seq") != c->seq) {
			fail(c, st, "push");
			c->queued += c->in_batch;   /* the next push resends them */
			c->queued_first = c->batch_first;
		} else {
			c->acked = c->seq;
		}
		c->in_batch = 0;
		break;
	case K_PULL:
		if (st != 200 || json_str(c->body, "cursor", c->cursor, sizeof(c->cursor)) != 0 ||
		    json_str(c->body, "taps_cursor", c->taps, sizeof(c->taps)) != 0)
			fail(c, st, "pull");
		else if (strstr(c->body, "\"more\":true") != NULL)
			c->next_pull = t;   /* ask again now, as the agent does */
		break;
	case K_TODAY:
		if (st != 200 && st != 304)
			fail(c, st, "today");
		break;
	default:
		break;
	}
}

/* Run transfers until none is out or until deadline; returns the number still out. */
static int pump(CURLM *m, int wait_ms)
{
	int running = 0, left;
	CURLMsg *msg;

	curl_multi_poll(m, NULL, 0, wait_ms, NULL);
	curl_multi_perform(m, &running);
	while ((msg = curl_multi_info_read(m, &left)) != NULL) {
		char *priv = NULL;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
		done(m, (struct client *)(void *)priv, msg->data.result, now_ms());
	}
	return running;
}

/* One pass of enrolments and logins over the clients without a token. */
static int setup_pass(CURLM *m, int64_t t0)
{
	int next = 0, out = 0, logins = 0;

	while (next < ncl || out > 0) {
		while (next < ncl && cl[next].token[0] != '\0')
			next++;
		if (next >= ncl && out == 0)
			break;
		while (next < ncl && out < SCALE_SETUP_PAR &&
		    (!cl[next].coord || logins < SCALE_LOGIN_PAR)) {
			struct client *c = &cl[next++];

			if (c->coord)
				snprintf(c->post, sizeof(c->post), "{\"email\":\"%s\",\"password\":\"%s\"}",
				    c->email, c->password);
			else
				snprintf(c->post, sizeof(c->post), "{\"code\":\"%s\",\"agent\":\"scale_load\"}",
				    c->code);
			start(m, c, K_SETUP, now_ms(), c->coord ? "/v1/login" : "/v1/enrol", c->post);
			out++;
		}
		pump(m, 100);
		out = logins = 0;
		for (int i = 0; i < next; i++) {
			out += cl[i].busy;
			logins += cl[i].busy && cl[i].coord;
		}
		if (now_ms() - t0 > 600000)
			return -1;
	}
	return 0;
}

/* Enrol every kiosk, log every coordinator in: up to SCALE_SETUP_PASSES
 * passes (a login on a starved machine can miss the hub's deadline; the
 * failures are printed as setup errors, the run only starts when all are in). */
static int setup(CURLM *m)
{
	int64_t t0 = now_ms();
	int missing = 0;

	for (int pass = 0; pass < SCALE_SETUP_PASSES; pass++)
		if (setup_pass(m, t0) != 0)
			return -1;
	for (int i = 0; i < ncl; i++)
		missing += cl[i].token[0] == '\0';
	fprintf(stderr, "scale_load: ready: %d kiosks enrolled, %d coordinators logged in in %.1f s\n",
	    nkiosk, ncl - nkiosk, (double)(now_ms() - t0) / 1000.0);
	return missing ? -1 : 0;
}

static int load(const char *codes, const char *coords)
{
	FILE *f = fopen(codes, "r");
	char a[256], b[256];

	cl = calloc(SCALE_CLIENTS_MAX, sizeof(*cl));
	if (f == NULL || cl == NULL)
		return -1;
	while (ncl < SCALE_CLIENTS_MAX && fscanf(f, "%63s %31s", a, b) == 2) {
		snprintf(cl[ncl].dev_id, sizeof(cl[ncl].dev_id), "%.63s", a);
		snprintf(cl[ncl].code, sizeof(cl[ncl].code), "%.31s", b);
		ncl++;
	}
	fclose(f);
	nkiosk = ncl;
	if ((f = fopen(coords, "r")) == NULL)
		return -1;
	while (ncl < SCALE_CLIENTS_MAX && fscanf(f, "%127s %127s", a, b) == 2) {
		cl[ncl].coord = 1;
		snprintf(cl[ncl].email, sizeof(cl[ncl].email), "%.127s", a);
		snprintf(cl[ncl].password, sizeof(cl[ncl].password), "%.127s", b);
		ncl++;
	}
	fclose(f);
	for (int i = 0; i < ncl; i++) {
		struct client *c = &cl[i];
		int j = c->coord ? i - nkiosk : i;

		/* kiosks 127.1.x.y, coordinators 127.2.x.y: nginx limits per address */
		snprintf(c->addr, sizeof(c->addr), "127.%d.%d.%d", c->coord ? 2 : 1, j / 250,
		    j % 250 + 1);
		c->h = curl_easy_init();
		if (c->h == NULL)
			return -1;
		curl_easy_setopt(c->h, CURLOPT_PRIVATE, (char *)c);
		curl_easy_setopt(c->h, CURLOPT_INTERFACE, c->addr);
		curl_easy_setopt(c->h, CURLOPT_CAINFO, cafile);
		curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, on_body);
		curl_easy_setopt(c->h, CURLOPT_WRITEDATA, c);
		curl_easy_setopt(c->h, CURLOPT_HEADERFUNCTION, on_header);
		curl_easy_setopt(c->h, CURLOPT_HEADERDATA, c);
		curl_easy_setopt(c->h, CURLOPT_TIMEOUT_MS, SCALE_TIMEOUT_MS);
		curl_easy_setopt(c->h, CURLOPT_NOSIGNAL, 1L);
	}
	return ncl > 0 ? 0 : -1;
}

static int split_persons(char *list)
{
	persons = calloc(strlen(list) + 1, sizeof(*persons));
	for (char *p = list; persons && p && *p; ) {
		char *e = strchr(p, ',');

		persons[npersons++] = p;
		if (e)
			*e++ = '\0';
		p = e;
	}
	return npersons > 0 ? 0 : -1;
}

static void tick(CURLM *m, int64_t t, int taps_on)
{
	for (int i = 0; i < ncl; i++) {
		struct client *c = &cl[i];

		if (c->coord) {
			if (!c->busy && taps_on && t >= c->next_today) {
				start(m, c, K_TODAY, c->next_today, "/v1/dash/today", NULL);
				c->next_today += SCALE_TODAY_MS;
			}
			continue;
		}
		while (taps_on && t >= c->next_tap) {
			if (c->queued++ == 0)
				c->queued_first = c->next_tap;
			c->next_tap += SCALE_TAP_MS - SCALE_JITTER_MS + (int64_t)(rnd() % (2 * SCALE_JITTER_MS));
		}
		if (c->busy)
			continue;
		if (taps_on && t >= c->next_pull) {
			char path[400];

			snprintf(path, sizeof(path), "/v1/changes?cursor=%s&taps=%s", c->cursor,
			    c->taps[0] ? c->taps : "0");
			start(m, c, K_PULL, c->next_pull, path, NULL);
			c->next_pull = c->next_pull + SCALE_PULL_MS > t ? c->next_pull + SCALE_PULL_MS
			    : t + SCALE_PULL_MS;
		} else if (c->queued > 0) {
			start_push(m, c);
		}
	}
}

int main(int argc, char **argv)
{
	CURLM *m;
	int64_t t0, t, end;
	long long acked = 0;
	unsigned long long mb0, mt0, mb1, mt1;
	double self0, self1, tck = (double)sysconf(_SC_CLK_TCK);
	FILE *out;

	if (argc != 8) {
		fprintf(stderr, "usage: scale_load URL CAFILE CODES COORDS SECONDS PERSONS ACKED_OUT\n");
		return 2;
	}
	base = argv[1];
	cafile = argv[2];
	if (curl_global_init(CURL_GLOBAL_ALL) != 0 || load(argv[3], argv[4]) != 0 ||
	    split_persons(argv[6]) != 0) {
		fprintf(stderr, "scale_load: cannot read the inputs\n");
		return 2;
	}
	m = curl_multi_init();
	curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, (long)(ncl * 2));
	if (setup(m) != 0) {
		fprintf(stderr, "scale_load: setup failed\n");
		return 1;
	}
	groups_parse();
	for (int i = 0; i < ngroups; i++)
		groups[i].t0 = group_ticks(&groups[i]);
	machine_ticks(&mb0, &mt0);
	self0 = self_cpu_s();
	t0 = now_ms();
	end = t0 + strtol(argv[5], NULL, 10) * 1000;
	for (int i = 0; i < ncl; i++) {
		cl[i].next_tap = t0 + (int64_t)(rnd() % SCALE_TAP_MS);
		cl[i].next_pull = t0 + (int64_t)(rnd() % SCALE_PULL_MS);
		cl[i].next_today = t0 + (int64_t)(rnd() % SCALE_TODAY_MS);
	}
	while ((t = now_ms()) < end) {
		tick(m, t, 1);
		pump(m, 5);
	}
	machine_ticks(&mb1, &mt1);
	self1 = self_cpu_s();
	printf("cpu loadgen %.1f\n", 100.0 * (self1 - self0) / ((double)(end - t0) / 1000.0));
	for (int i = 0; i < ngroups; i++)
		printf("cpu %s %.1f\n", groups[i].name, 100.0 * (double)(group_ticks(&groups[i]) -
		    groups[i].t0) / tck / ((double)(end - t0) / 1000.0));
	printf("cpu machine %.1f of %ld\n", mt1 > mt0 ? 100.0 * (double)(mb1 - mb0) /
	    (double)(mt1 - mt0) * (double)sysconf(_SC_NPROCESSORS_ONLN) : 0.0,
	    100L * sysconf(_SC_NPROCESSORS_ONLN));
	/* drain: push what is pending, wait for what is out */
	while ((t = now_ms()) < end + SCALE_DRAIN_MS) {
		int busy = 0;

		tick(m, t, 0);
		for (int i = 0; i < ncl; i++)
			busy += cl[i].busy || cl[i].queued > 0;
		if (busy == 0)
			break;
		pump(m, 20);
	}
	out = fopen(argv[7], "w");
	for (int i = 0; i < nkiosk; i++) {
		acked += cl[i].acked;
		if (out)
			fprintf(out, "%s %lld\n", cl[i].dev_id, (long long)cl[i].acked);
	}
	if (out)
		fclose(out);
	printf("seconds %.1f\n", (double)(end - t0) / 1000.0);
	printf("events_acked %lld\n", acked);
	for (int k = 0; k < K_N; k++)
		printf("kind %s n %llu errors %llu p50 %.1f p95 %.1f p99 %.1f max %.1f\n", kind_name[k],
		    (unsigned long long)hists[k].n, (unsigned long long)hists[k].errors,
		    hist_pct(&hists[k], 0.50), hist_pct(&hists[k], 0.95), hist_pct(&hists[k], 0.99),
		    hists[k].max_ms);
	return 0;
}
