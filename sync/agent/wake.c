/* wake.c — inotify + signalfd + ppoll: the agent's only way to sleep.
 * Owns: the watch on the store directory, filtered to the store file and its
 * -wal (the agent's own notify file and unrelated files are ignored), and the
 * stop signals. Must not: install signal handlers (signals are blocked and
 * read from the signalfd, so no async-signal-safety traps). */
#include "wake.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "clockinfo.h"
#include "limits.h"

#define WAKE_NAME_MAX     256
#define WAKE_SLICE_MAX_MS (3600 * 1000)   /* longest single poll(); the loop goes on */

struct agent_wake {
	int ifd;                       /* inotify, or -1 (poll fallback) */
	int sfd;                       /* signalfd */
	int stop;
	sigset_t old_mask;
	char base[WAKE_NAME_MAX];      /* "kiosk.db" */
	char wal[WAKE_NAME_MAX + 8];   /* "kiosk.db-wal" */
};

int agent_wake_open(const char *db_path, struct agent_wake **out, char *err, size_t errlen)
{
	struct agent_wake *w;
	sigset_t set;
	char dir[PR_PATH_MAX];
	const char *slash;
	int n;

	*out = NULL;
	w = calloc(1, sizeof(*w));
	if (w == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	w->ifd = w->sfd = -1;
	slash = strrchr(db_path, '/');
	if (slash == NULL)
		n = snprintf(dir, sizeof(dir), ".");
	else if (slash == db_path)
		n = snprintf(dir, sizeof(dir), "/");
	else
		n = snprintf(dir, sizeof(dir), "%.*s", (int)(slash - db_path), db_path);
	if (n < 0 || (size_t)n >= sizeof(dir) ||
	    (size_t)snprintf(w->base, sizeof(w->base), "%s", slash ? slash + 1 : db_path) >= sizeof(w->base) ||
	    (size_t)snprintf(w->wal, sizeof(w->wal), "%s-wal", w->base) >= sizeof(w->wal)) {
		snprintf(err, errlen, "store path too long");
		free(w);
		return -1;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, &w->old_mask) < 0) {
		snprintf(err, errlen, "cannot block signals: %s", strerror(errno));
		free(w);
		return -1;
	}
	w->sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (w->sfd < 0) {
		snprintf(err, errlen, "signalfd: %s", strerror(errno));
		sigprocmask(SIG_SETMASK, &w->old_mask, NULL);
		free(w);
		return -1;
	}
	w->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->ifd >= 0 &&
	    inotify_add_watch(w->ifd, dir, IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO) < 0) {
		close(w->ifd);
		w->ifd = -1;
	}
	*out = w;
	return 0;
}

void agent_wake_close(struct agent_wake *w)
{
	if (w == NULL)
		return;
	if (w->ifd >= 0)
		close(w->ifd);
	if (w->sfd >= 0)
		close(w->sfd);
	sigprocmask(SIG_SETMASK, &w->old_mask, NULL);
	free(w);
}

/* Read pending signals; sets w->stop on any. */
static void read_signals(struct agent_wake *w)
{
	struct signalfd_siginfo si;

	while (read(w->sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		w->stop = 1;
}

/* Read pending inotify events; 1 if one concerned the store or its WAL. */
static int read_inotify(struct agent_wake *w)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	ssize_t n;
	char *p;
	int hit = 0;

	if (w->ifd < 0)
		return 0;
	for (;;) {
		n = read(w->ifd, buf, sizeof(buf));
		if (n <= 0)
			break;
		for (p = buf; p < buf + n; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)p;
			if ((ev->mask & IN_Q_OVERFLOW) || (ev->len > 0 &&
			    (strcmp(ev->name, w->base) == 0 || strcmp(ev->name, w->wal) == 0)))
				hit = 1;
		}
	}
	return hit;
}

void agent_wake_drain(struct agent_wake *w)
{
	(void)read_inotify(w);
}

int agent_wake_stopping(void *arg)
{
	struct agent_wake *w = arg;

	if (w == NULL)
		return 0;
	if (!w->stop)
		read_signals(w);
	return w->stop;
}

enum agent_wake_why agent_wake_wait(struct agent_wake *w, int64_t timeout_ms, int store_wakes)
{
	int64_t end = clockinfo_mono_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	struct pollfd pf[2];
	int64_t left;
	nfds_t nf;
	int r, slice;

	for (;;) {
		if (agent_wake_stopping(w))
			return AGENT_WAKE_STOP;
		left = end - clockinfo_mono_ms();
		if (left <= 0)
			return AGENT_WAKE_TIMEOUT;
		slice = left > WAKE_SLICE_MAX_MS ? WAKE_SLICE_MAX_MS : (int)left;
		if (w->ifd < 0 && store_wakes && slice > AGENT_WAKE_POLL_MS)
			slice = AGENT_WAKE_POLL_MS;
		pf[0].fd = w->sfd;
		pf[0].events = POLLIN;
		pf[1].fd = w->ifd;
		pf[1].events = POLLIN;
		nf = w->ifd >= 0 ? 2 : 1;
		r = poll(pf, nf, slice);
		if (r < 0 && errno != EINTR)
			return AGENT_WAKE_TIMEOUT;
		if (r == 0 && w->ifd < 0 && store_wakes)
			return AGENT_WAKE_STORE;               /* fallback: poll the store */
		if (r > 0 && nf == 2 && (pf[1].revents & POLLIN) && read_inotify(w) && store_wakes)
			return AGENT_WAKE_STORE;
	}
}
