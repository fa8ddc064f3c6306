/* nfc_bench.c — card placed on the emulated reader -> UID event in the UI
 * thread's SDL queue, through the real reader thread, the real libnfc over
 * pn532-emu and the real reader_post_uid (kiosk/reader.c). Splits each tap
 * into: emulator (control line to its answer on the pty) and the rest
 * (answer to the event in the queue, watched without sleeping) = libnfc +
 * ours (MAC + SDL_PushEvent). Ours, and the wake-up of a UI thread blocked
 * in SDL_WaitEventTimeout, are measured on their own by posting from a
 * thread. With --idle S: no card for S seconds, the reader thread's CPU
 * (utime+stime of /proc/self/task/TID/stat, and schedstat's ns) and wakeups
 * (context switches, /proc/self/task/TID/status). Prints Markdown rows for
 * docs/BENCHMARKS.md.
 *   nfc_bench [TAPS] [--real-poll|--chip-timing] [--autopoll|--list] [--idle S]
 *             [--quiet S]   (nfc_poll_idle_s: InAutoPoll after S s, no card)
 * Default poll: WAIT (the chip repeats one InListPassiveTarget); --list:
 * InListPassiveTarget rounds 10 ms apart; --autopoll: InAutoPoll.
 * Must not: print a UID; wait without a bound. */
#include <dirent.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <SDL.h>

#include "../pn532emu/emu_client.h"
#include "reader.h"
#include "reader_nfc_int.h"

#define TAPS_DEFAULT  200
#define TAPS_MAX      2000
#define EVENT_WAIT_MS 2000
#define TIMING_PREFIX "ok timing found_us="
#define DIRECT_POSTS  200           /* reader_post_uid timed on its own */
#define DIRECT_GAP_US 2000          /* between two of them (+ 0..3 ms) */
#define IDLE_MAX_S    600
#define IDLE_SETTLE_MS 1000         /* after READY, before the idle sample */
#define TASK_PATH_MAX 64

/* What the kernel counts for one thread. */
struct task_use {
	double cpu_s;                   /* utime + stime (clock ticks) */
	double run_s;                   /* schedstat: ns on a CPU */
	long switches;                  /* voluntary + involuntary */
};

static const char *const cards[] = { "a1b2c3d4", "04a1b2c3d4e5f6",
    "04a1b2c3d4e5f6071829" };

static int64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static double
pct(int64_t *v, size_t n, double p)
{
	size_t i = (size_t)(p * (double)(n - 1) + 0.5);

	qsort(v, n, sizeof(*v), cmp_i64);
	return (double)v[i] / 1000.0;
}

/* The id of this process's thread named `name` (pthread_setname_np), or -1. */
static long
task_find(const char *name)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	char path[TASK_PATH_MAX + 256], comm[32];
	long tid = -1;

	if (!d)
		return -1;
	while (tid < 0 && (de = readdir(d)) != NULL) {
		FILE *f;
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f)) {
			comm[strcspn(comm, "\n")] = '\0';
			if (strcmp(comm, name) == 0)
				tid = strtol(de->d_name, NULL, 10);
		}
		fclose(f);
	}
	closedir(d);
	return tid;
}

/* The whole of a small /proc file into buf. Returns 0 or -1. */
static int
slurp(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, cap - 1, f);
	fclose(f);
	buf[n] = '\0';
	return n ? 0 : -1;
}

/* The number after "key" in text (a /proc status line), or -1. */
static long long
number_after(const char *text, const char *key)
{
	const char *p = strstr(text, key);
	char *end;
	long long v;

	if (!p)
		return -1;
	p += strlen(key);
	errno = 0;
	v = strtoll(p, &end, 10);
	return end == p || errno ? -1 : v;
}

/* Read a thread's counters. Returns 0 or -1. */
static int
task_use(long tid, struct task_use *u)
{
	char path[TASK_PATH_MAX], buf[2048], *end;
	const char *p;
	unsigned long long ut, st;
	long long vol, inv, ns;

	memset(u, 0, sizeof(*u));
	snprintf(path, sizeof(path), "/proc/self/task/%ld/stat", tid);
	if (slurp(path, buf, sizeof(buf)) != 0 || !(p = strrchr(buf, ')')))
		return -1;              /* comm, in parentheses, may hold blanks */
	/* after ")": field 3 (state) ... utime is field 14, stime 15 */
	for (int field = 3; field < 14; field++) {
		while (*p == ' ' || *p == ')')
			p++;
		while (*p && *p != ' ')
			p++;
	}
	errno = 0;
	ut = strtoull(p, &end, 10);
	st = strtoull(end, &end, 10);
	if (errno || end == p)
		return -1;
	u->cpu_s = (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
	snprintf(path, sizeof(path), "/proc/self/task/%ld/schedstat", tid);
	if (slurp(path, buf, sizeof(buf)) == 0 && (ns = number_after(buf, "")) >= 0)
		u->run_s = (double)ns / 1e9;
	snprintf(path, sizeof(path), "/proc/self/task/%ld/status", tid);
	if (slurp(path, buf, sizeof(buf)) != 0)
		return -1;
	vol = number_after(buf, "\nvoluntary_ctxt_switches:");
	inv = number_after(buf, "nonvoluntary_ctxt_switches:");
	if (vol < 0 || inv < 0)
		return -1;
	u->switches = (long)(vol + inv);
	return 0;
}

/* Wait for an event of this type; frees card payloads. Returns 0 or -1. */
static int
wait_type(uint32_t type, int code, int64_t *t_us)
{
	int64_t end = emu_client_now_ms() + EVENT_WAIT_MS;
	SDL_Event e;

	while (emu_client_now_ms() < end) {
		if (!SDL_WaitEventTimeout(&e, 50))
			continue;
		int64_t t = now_us();
		int hit = e.type == type && (code < 0 || e.user.code == code);
		if (e.type == reader_ev_card)
			free(e.user.data1);
		if (hit) {
			if (t_us)
				*t_us = t;
			return 0;
		}
	}
	return -1;
}

/* Wait for a card event by polling the queue without sleeping (yielding
 * the CPU between looks), so the time it is seen is when it was pushed,
 * give or take a few µs; SDL_WaitEventTimeout's 1 ms sleeps would add a
 * wake-up delay that lines up with the tap (the tap starts right before
 * the wait). Frees the payload. Returns 0 or -1. */
static int
spin_card(int64_t *t_us)
{
	int64_t end = emu_client_now_ms() + EVENT_WAIT_MS;
	SDL_Event e;

	while (emu_client_now_ms() < end) {
		SDL_PumpEvents();
		if (SDL_PeepEvents(&e, 1, SDL_GETEVENT, SDL_FIRSTEVENT,
		    SDL_LASTEVENT) != 1) {
			sched_yield();
			continue;
		}
		int64_t t = now_us();
		if (e.type == reader_ev_card) {
			free(e.user.data1);
			*t_us = t;
			return 0;
		}
	}
	return -1;
}

/* The real reader_post_uid from another thread, as the reader thread
 * calls it: entry -> return (MAC + push) and return -> the UI thread's
 * SDL_WaitEventTimeout returning. */
static struct {
	const uint8_t *key;
	int64_t call[DIRECT_POSTS], ret[DIRECT_POSTS];
	int failed;
} D;

static void *
direct_poster(void *arg)
{
	static const uint8_t uid[7] = { 0x04, 0x5b, 0x6c, 0x7d, 0x8e, 0x9f, 0xa0 };

	(void)arg;
	for (size_t i = 0; i < DIRECT_POSTS; i++) {
		usleep((useconds_t)(DIRECT_GAP_US + random() % 3000));
		D.call[i] = now_us();
		if (reader_post_uid(D.key, uid, sizeof(uid)) != 0)
			D.failed = 1;
		D.ret[i] = now_us();
	}
	return NULL;
}

/* Fills ours[] and wake[] (DIRECT_POSTS each). Returns 0 or -1. */
static int
direct(const uint8_t *key, int64_t *ours, int64_t *wake)
{
	static int64_t ev[DIRECT_POSTS];
	pthread_t th;
	size_t got = 0;

	D.key = key;
	D.failed = 0;
	if (pthread_create(&th, NULL, direct_poster, NULL) != 0)
		return -1;
	while (got < DIRECT_POSTS && wait_type(reader_ev_card, -1, &ev[got]) == 0)
		got++;
	pthread_join(th, NULL);
	if (got < DIRECT_POSTS || D.failed)
		return -1;
	for (size_t i = 0; i < DIRECT_POSTS; i++) {
		ours[i] = D.ret[i] - D.call[i];
		wake[i] = ev[i] - D.ret[i];
	}
	return 0;
}

/* "frames=N" out of the emulator's stats line, or -1. */
static long
emu_frames(struct emu_client *emu)
{
	char reply[EMU_CLIENT_LINE_MAX];
	const char *p;

	if (emu_client_cmd(emu, "stats", reply, sizeof(reply)) != 0 ||
	    !(p = strstr(reply, "frames=")))
		return -1;
	return strtol(p + strlen("frames="), NULL, 10);
}

/* No card for idle_s seconds: one Markdown row of the reader threads' use. */
static int
idle(struct emu_client *emu, const char *label, long idle_s, long settle_ms)
{
	struct task_use r0, r1, w0, w1;
	long rt = task_find("reader-nfc"), wt = task_find("reader-nfc-wd");
	long f0, f1;
	int64_t t0, t1, end;
	SDL_Event e;
	double s;

	if (rt < 0 || wt < 0)
		return -1;
	end = emu_client_now_ms() + settle_ms;
	while (emu_client_now_ms() < end)
		if (SDL_WaitEventTimeout(&e, 100) && e.type == reader_ev_card)
			free(e.user.data1);
	f0 = emu_frames(emu);
	t0 = now_us();
	if (task_use(rt, &r0) != 0 || task_use(wt, &w0) != 0)
		return -1;
	end = emu_client_now_ms() + idle_s * 1000;
	while (emu_client_now_ms() < end)
		if (SDL_WaitEventTimeout(&e, 1000) && e.type == reader_ev_card)
			free(e.user.data1);     /* none expected: no card */
	if (task_use(rt, &r1) != 0 || task_use(wt, &w1) != 0)
		return -1;
	t1 = now_us();
	f1 = emu_frames(emu);
	s = (double)(t1 - t0) / 1e6;
	printf("| %s | %.0f | %.2f | %.2f | %.0f | %.1f | %.0f |\n", label, s,
	    100.0 * (r1.cpu_s - r0.cpu_s) / s, 100.0 * (r1.run_s - r0.run_s) / s,
	    (double)(r1.switches - r0.switches) / s,
	    (double)(w1.switches - w0.switches) / s,
	    f0 >= 0 && f1 >= f0 ? (double)(f1 - f0) / s : -1.0);
	return 0;
}

int
main(int argc, char **argv)
{
	static int64_t total[TAPS_MAX], emu_part[TAPS_MAX], rest[TAPS_MAX],
	    ours[DIRECT_POSTS], wake[DIRECT_POSTS];
	struct emu_client emu;
	struct reader_nfc *rd = NULL;
	uint8_t key[PR_ORG_KEY_BYTES];
	char link[256], conn[300], cmd[64], reply[EMU_CLIENT_LINE_MAX], label[128];
	const char *out = getenv("OUT");
	long taps = TAPS_DEFAULT, idle_s = 0, quiet_s = 0;
	int real = 0, autopoll = 0, list = 0, rc = 1;
	size_t n = 0;

	for (int i = 1; i < argc; i++) {
		char *end;
		if (strcmp(argv[i], "--real-poll") == 0 ||
		    strcmp(argv[i], "--chip-timing") == 0) {
			real = 1;
		} else if (strcmp(argv[i], "--autopoll") == 0) {
			autopoll = 1;
		} else if (strcmp(argv[i], "--list") == 0) {
			list = 1;
		} else if (strcmp(argv[i], "--quiet") == 0 && i + 1 < argc) {
			quiet_s = strtol(argv[++i], &end, 10);
			list = 1;       /* nfc_poll_idle_s is a LIST setting */
			if (*end || quiet_s < 1 || quiet_s > IDLE_MAX_S)
				goto usage;
		} else if (strcmp(argv[i], "--idle") == 0 && i + 1 < argc) {
			idle_s = strtol(argv[++i], &end, 10);
			if (*end || idle_s < 1 || idle_s > IDLE_MAX_S)
				goto usage;
		} else {
			taps = strtol(argv[i], &end, 10);
			if (*end || taps < 10 || taps > TAPS_MAX)
				goto usage;
		}
	}
	if (snprintf(link, sizeof(link), "%s/pn532-bench",
	    out && out[0] ? out : "/tmp") >= (int)sizeof(link) ||
	    snprintf(conn, sizeof(conn), "pn532_uart:%s", link) >= (int)sizeof(conn))
		return 1;
	snprintf(label, sizeof(label), "%s | %s",
	    autopoll ? "InAutoPoll (period 1 = 150 ms)" : quiet_s ?
	    "rounds, then InAutoPoll after nfc_poll_idle_s without a card" :
	    list ? "InListPassiveTarget rounds, 10 ms apart" :
	    "wait: one InListPassiveTarget, MxRty 0xFF (default)",
	    real ? "chip-accurate" : "instant");
	unsetenv("LIBNFC_LOG_LEVEL");
	memset(key, 0x5A, sizeof(key));
	if (SDL_Init(SDL_INIT_EVENTS) != 0 || reader_events_init() != 0)
		return 1;
	if (emu_client_start(&emu, link, real ? "--chip-timing" : NULL) != 0) {
		fprintf(stderr, "nfc_bench: cannot start pn532-emu\n");
		goto out;
	}
	struct reader_nfc_config cfg = { conn, READER_NFC_MOD_A,
	    READER_NFC_PERIOD_DEFAULT, autopoll ? READER_NFC_POLL_AUTO : list ?
	    READER_NFC_POLL_LIST : READER_NFC_POLL_WAIT, READER_NFC_GAP_DEFAULT_MS,
	    (int)quiet_s, 0 };
	if (reader_nfc_start(&cfg, key, &rd) != 0 ||
	    wait_type(reader_ev_state, READER_READY, NULL) != 0) {
		fprintf(stderr, "nfc_bench: reader not ready\n");
		goto out;
	}
	if (idle_s) {
		if (idle(&emu, label, idle_s, IDLE_SETTLE_MS + quiet_s * 1000) != 0) {
			fprintf(stderr, "nfc_bench: idle measurement failed\n");
			goto out;
		}
		rc = 0;
		goto out;
	}
	srandom(42);
	for (long i = 0; i < taps; i++) {
		int64_t t0, t_ev, t_found = 0;
		long long found = 0;

		/* land at a random point of the reader's poll cycle (a PN532
		 * poll slot is 150 ms; one InAutoPoll call ~600 ms; a list
		 * round ~ 10 ms + its frames) */
		usleep((useconds_t)(random() % (real ? 300000 : 60000)));
		snprintf(cmd, sizeof(cmd), "card %s", cards[i % 3]);
		t0 = now_us();
		if (emu_client_cmd(&emu, cmd, NULL, 0) != 0 ||
		    spin_card(&t_ev) != 0) {
			fprintf(stderr, "nfc_bench: tap %ld not seen\n", i);
			goto out;
		}
		if (emu_client_cmd(&emu, "timing", reply, sizeof(reply)) == 0 &&
		    strncmp(reply, TIMING_PREFIX, strlen(TIMING_PREFIX)) == 0) {
			char *end;
			errno = 0;
			found = strtoll(reply + strlen(TIMING_PREFIX), &end, 10);
			if (errno == 0 && (*end == '\0' || *end == ' '))
				t_found = found;
		}
		if (emu_client_cmd(&emu, "remove", NULL, 0) != 0 ||
		    wait_type(reader_ev_gone, -1, NULL) != 0) {
			fprintf(stderr, "nfc_bench: removal %ld not seen\n", i);
			goto out;
		}
		if (t_found < t0 || t_found > t_ev)
			continue;       /* not this tap's answer: skip the sample */
		total[n] = t_ev - t0;
		emu_part[n] = t_found - t0;
		rest[n] = t_ev - t_found;
		n++;
	}
	if (n < (size_t)taps * 9 / 10) {
		fprintf(stderr, "nfc_bench: only %zu of %ld samples usable\n", n, taps);
		goto out;
	}
	if (direct(key, ours, wake) != 0) {
		fprintf(stderr, "nfc_bench: direct reader_post_uid timing failed\n");
		goto out;
	}
	{
		double p50 = pct(total, n, 0.50), p95 = pct(total, n, 0.95);
		double mx = pct(total, n, 1.0), e50 = pct(emu_part, n, 0.50);
		double r50 = pct(rest, n, 0.50), r95 = pct(rest, n, 0.95);
		double o50 = pct(ours, DIRECT_POSTS, 0.50);
		double o95 = pct(ours, DIRECT_POSTS, 0.95);
		double s50 = pct(wake, DIRECT_POSTS, 0.50);
		double l50 = r50 - o50;

		if (l50 < 0)
			l50 = 0;
		printf("| %s | %zu | %.2f | %.2f | %.2f | %.2f | %.2f (p95 %.2f) | %.2f | %.3f (p95 %.3f) | %.2f | %.0f %% |\n",
		    label, n, p50, p95, mx, e50, r50, r95, l50,
		    o50, o95, s50, p50 > 0 ? 100.0 * l50 / p50 : 0.0);
	}
	rc = 0;
out:
	reader_nfc_stop(rd);
	emu_client_stop(&emu);
	SDL_Quit();
	return rc;
usage:
	fprintf(stderr, "usage: nfc_bench [10..%d] [--chip-timing] [--autopoll|--list] "
	    "[--idle 1..%d] [--quiet S]\n", TAPS_MAX, IDLE_MAX_S);
	return 2;
}
