/* termreader.c — stdin as a demo card reader (see termreader.h).
 * Must not: leave the terminal in raw mode (restored on stop), or print UIDs. */
#include "termreader.h"

#include <SDL.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>


uint32_t termreader_ev = (uint32_t)-1;

struct termreader {
	int stop_pipe[2];
	int restore;
	struct termios saved;
	SDL_Thread *thread;
};

int termreader_demo_uid(int n, uint8_t uid[7])
{
	if (n < 1 || n > TERMREADER_DEMO_CARDS)
		return -1;
	memset(uid, 0, 7);
	uid[0] = 0x04;
	uid[6] = (uint8_t)n;
	return 0;
}

void termreader_unknown_uid(uint8_t uid[7])
{
	static const uint8_t unknown[7] = { 0x04, 0x55, 0x4e, 0x4b, 0x4e, 0x4f, 0x57 };

	memcpy(uid, unknown, sizeof(unknown));
}

static void push_code(uint32_t type, int code)
{
	SDL_Event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.user.code = code;
	SDL_PushEvent(&ev);
}

static int term_main(void *arg)
{
	struct termreader *t = arg;

	for (;;) {
		struct pollfd pf[2] = {{STDIN_FILENO, POLLIN, 0},
		    {t->stop_pipe[0], POLLIN, 0}};
		unsigned char c;
		ssize_t n;
		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pf[1].revents)
			break;
		n = read(STDIN_FILENO, &c, 1);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			break;                 /* stdin closed: no more demo taps */
		push_code(termreader_ev, c);
		if (c == 'q' || c == 'Q')
			break;
	}
	return 0;
}

int termreader_start(struct termreader **out)
{
	struct termreader *t;

	*out = NULL;
	if (termreader_ev == (uint32_t)-1) {
		Uint32 e = SDL_RegisterEvents(1);
		if (e == (Uint32)-1)
			return -1;
		termreader_ev = e;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return -1;
	if (pipe(t->stop_pipe) != 0) {
		free(t);
		return -1;
	}
	if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &t->saved) == 0) {
		struct termios raw = t->saved;
		raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
		raw.c_cc[VMIN] = 1;
		raw.c_cc[VTIME] = 0;
		if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0)
			t->restore = 1;
	}
	t->thread = SDL_CreateThread(term_main, "termreader", t);
	if (!t->thread) {
		termreader_stop(t);
		return -1;
	}
	*out = t;
	return 0;
}

void termreader_stop(struct termreader *t)
{
	if (!t)
		return;
	if (write(t->stop_pipe[1], "x", 1) < 0)
		perror("termreader: stop");
	if (t->thread)
		SDL_WaitThread(t->thread, NULL);
	if (t->restore)
		tcsetattr(STDIN_FILENO, TCSANOW, &t->saved);
	close(t->stop_pipe[0]);
	close(t->stop_pipe[1]);
	free(t);
}
