/* walwatch.c — inotify on the store's folder (see walwatch.h).
 * Must not: busy-wait, or wake for every page a writer puts in the -wal;
 * the thread sleeps in poll(). */
#include "walwatch.h"

#include <SDL.h>
#include <errno.h>
#include <libgen.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "agent/notify.h"
#include "limits.h"

#define NAME_MAX_BYTES 255   /* a file name (Linux NAME_MAX) */

uint32_t walwatch_ev = (uint32_t)-1;

struct walwatch {
	int fd, stop_pipe[2];
	char base[NAME_MAX_BYTES + 1], wal[NAME_MAX_BYTES + 8];
	char notify[NAME_MAX_BYTES + sizeof(AGENT_NOTIFY_SUFFIX)];
	SDL_Thread *thread;
};

/* Drain the inotify queue; 1 if one of our files changed. */
static int drain(struct walwatch *w)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	int hit = 0;

	for (;;) {
		ssize_t n = read(w->fd, buf, sizeof(buf));
		char *p;
		if (n <= 0)
			return hit;
		for (p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const void *)p;
			if (ev->len && (!strcmp(ev->name, w->base) ||
			    !strcmp(ev->name, w->wal) ||
			    !strcmp(ev->name, w->notify)))
				hit = 1;
			p += sizeof(*ev) + ev->len;
		}
	}
}

static int watch_main(void *arg)
{
	struct walwatch *w = arg;

	for (;;) {
		struct pollfd pf[2] = {{w->fd, POLLIN, 0}, {w->stop_pipe[0], POLLIN, 0}};
		int r = poll(pf, 2, -1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pf[1].revents)
			break;
		if (pf[0].revents && drain(w)) {
			SDL_Event ev;
			memset(&ev, 0, sizeof(ev));
			ev.type = walwatch_ev;
			SDL_PushEvent(&ev);
		}
	}
	return 0;
}

int walwatch_start(const char *db_path, struct walwatch **out)
{
	struct walwatch *w;
	char dir[PR_PATH_MAX], base[PR_PATH_MAX];

	*out = NULL;
	if (strlen(db_path) >= sizeof(dir))
		return -1;
	if (walwatch_ev == (uint32_t)-1) {
		Uint32 e = SDL_RegisterEvents(1);
		if (e == (Uint32)-1)
			return -1;
		walwatch_ev = e;
	}
	w = calloc(1, sizeof(*w));
	if (!w)
		return -1;
	w->stop_pipe[0] = w->stop_pipe[1] = -1;
	snprintf(dir, sizeof(dir), "%s", db_path);
	snprintf(base, sizeof(base), "%s", db_path);
	if (strlen(basename(base)) > NAME_MAX_BYTES)
		goto fail;
	snprintf(w->base, sizeof(w->base), "%s", basename(base));
	snprintf(w->wal, sizeof(w->wal), "%s-wal", w->base);
	snprintf(w->notify, sizeof(w->notify), "%s%s", w->base, AGENT_NOTIFY_SUFFIX);
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0)
		goto fail;
	/* no IN_MODIFY: one event per page written; a writer's work is done
	 * when it closes a file or touches the notify file */
	if (inotify_add_watch(w->fd, dirname(dir), IN_CLOSE_WRITE |
	    IN_MOVED_TO | IN_CREATE) < 0)
		goto fail;
	if (pipe(w->stop_pipe) != 0)
		goto fail;
	w->thread = SDL_CreateThread(watch_main, "walwatch", w);
	if (!w->thread)
		goto fail;
	*out = w;
	return 0;
fail:
	walwatch_stop(w);
	return -1;
}

void walwatch_stop(struct walwatch *w)
{
	if (!w)
		return;
	if (w->thread) {
		if (write(w->stop_pipe[1], "x", 1) < 0)
			perror("walwatch: stop");
		SDL_WaitThread(w->thread, NULL);
	}
	if (w->fd > 0)
		close(w->fd);
	if (w->stop_pipe[0] >= 0)
		close(w->stop_pipe[0]);
	if (w->stop_pipe[1] >= 0)
		close(w->stop_pipe[1]);
	free(w);
}
