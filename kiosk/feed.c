/* feed.c — the --feed reader thread and its line parser (see feed.h).
 * Must not: block the main loop, print a UID or PIN, or trust a line:
 * every field is bounded and parsed strictly. */
#include "feed.h"

#include <SDL.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cred.h"
#include "reader.h"

uint32_t feed_ev = (uint32_t)-1;

struct feed {
	int fd, stop_pipe[2];
	SDL_Thread *thread;
	SDL_sem *ack;
	SDL_atomic_t stop;
	uint8_t key[PR_ORG_KEY_BYTES];
};

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Strict decimal in [lo, hi]; the whole token must be digits. */
static int parse_num(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	if (!s || !*s || (*s != '-' && (*s < '0' || *s > '9')))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int bad(char *err, size_t errlen, const char *msg)
{
	snprintf(err, errlen, "%s", msg);
	return -1;
}

int feed_parse(const char *line, struct feed_cmd *out, uint8_t *uid,
    size_t *uid_len, char *err, size_t errlen)
{
	char buf[PR_FEED_LINE_MAX], *tok[4] = {NULL, NULL, NULL, NULL}, *p;
	size_t n = 0, len;
	long a, b;

	memset(out, 0, sizeof(*out));
	len = strlen(line);
	if (len >= sizeof(buf))
		return bad(err, errlen, "line too long");
	memcpy(buf, line, len + 1);
	while (len > 0 && (buf[len - 1] == '\r' || buf[len - 1] == ' ' ||
	    buf[len - 1] == '\t'))
		buf[--len] = '\0';
	for (p = buf; *p == ' ' || *p == '\t'; p++)
		;
	if (*p == '\0' || *p == '#')
		return 0;
	for (char *q = p; *q; q++)
		if ((unsigned char)*q < 0x20 && *q != '\t')
			return bad(err, errlen, "control character in line");
	while (*p) {                    /* split on blanks */
		if (n == 4)
			return bad(err, errlen, "too many words");
		tok[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
	}
	if (n == 0)
		return 0;
	if (strcmp(tok[0], "card") == 0) {
		if (n != 2 || !uid || !uid_len)
			return bad(err, errlen, "usage: card <uid-hex>");
		if (cred_uid_parse(tok[1], uid, PR_UID_MAX_BYTES, uid_len) != 0)
			return bad(err, errlen, "card: not a 4, 7 or 10 byte hex UID");
		out->kind = FEED_CARD;
	} else if (strcmp(tok[0], "pin") == 0) {
		size_t i, d;
		if (n != 2)
			return bad(err, errlen, "usage: pin <digits>");
		d = strlen(tok[1]);
		for (i = 0; i < d; i++)
			if (tok[1][i] < '0' || tok[1][i] > '9')
				return bad(err, errlen, "pin: digits only");
		if (d < 1 || d > PR_PIN_MAX_DIGITS)
			return bad(err, errlen, "pin: 1 to 8 digits");
		out->kind = FEED_PIN;
		memcpy(out->text, tok[1], d + 1);
	} else if (strcmp(tok[0], "touch") == 0) {
		if (n != 3 || parse_num(tok[1], 0, FEED_COORD_MAX, &a) != 0 ||
		    parse_num(tok[2], 0, FEED_COORD_MAX, &b) != 0)
			return bad(err, errlen, "usage: touch <x> <y> (pixels)");
		out->kind = FEED_TOUCH;
		out->x = (int)a;
		out->y = (int)b;
	} else if (strcmp(tok[0], "key") == 0) {
		if (n != 2 || strlen(tok[1]) >= FEED_KEY_NAME_MAX)
			return bad(err, errlen, "usage: key <name>");
		out->kind = FEED_KEY;
		snprintf(out->text, sizeof(out->text), "%s", tok[1]);
	} else if (strcmp(tok[0], "wait") == 0) {
		if (n != 2 || parse_num(tok[1], 0, FEED_WAIT_MAX_MS, &a) != 0)
			return bad(err, errlen, "usage: wait <ms> (0..600000)");
		out->kind = FEED_WAIT;
		out->x = (int)a;
	} else if (strcmp(tok[0], "screenshot") == 0) {
		if (n != 2)
			return bad(err, errlen, "usage: screenshot <file.png>");
		out->kind = FEED_SHOT;
		snprintf(out->text, sizeof(out->text), "%s", tok[1]);
	} else if (strcmp(tok[0], "quit") == 0) {
		if (n != 1)
			return bad(err, errlen, "usage: quit");
		out->kind = FEED_QUIT;
	} else {
		return bad(err, errlen, "unknown command");
	}
	return 1;
}

static int post(struct feed *f, const struct feed_cmd *cmd)
{
	struct feed_cmd *c = malloc(sizeof(*c));
	SDL_Event ev;

	if (!c)
		return -1;
	*c = *cmd;
	memset(&ev, 0, sizeof(ev));
	ev.type = feed_ev;
	ev.user.data1 = c;
	if (SDL_PushEvent(&ev) != 1) {
		free(c);
		return -1;
	}
	/* wait until the main loop has drawn the effect */
	for (int waited = 0; waited < FEED_ACK_TIMEOUT_MS; waited += 100) {
		if (SDL_SemWaitTimeout(f->ack, 100) == 0)
			return 0;
		if (SDL_AtomicGet(&f->stop))
			return -1;
	}
	fprintf(stderr, "feed: line %ld: the kiosk did not respond\n", cmd->line);
	return -1;
}

static void handle_line(struct feed *f, const char *line, long no)
{
	struct feed_cmd cmd;
	uint8_t uid[PR_UID_MAX_BYTES];
	size_t uid_len = 0;
	char err[128];
	int rc = feed_parse(line, &cmd, uid, &uid_len, err, sizeof(err));
	int64_t t = mono_ns();

	if (rc < 0) {
		fprintf(stderr, "feed: line %ld: %s\n", no, err);
		return;
	}
	if (rc == 0)
		return;
	cmd.line = no;
	cmd.t_read_ns = t;
	switch (cmd.kind) {
	case FEED_WAIT:
		for (int left = cmd.x; left > 0 && !SDL_AtomicGet(&f->stop); left -= 50)
			SDL_Delay(left < 50 ? (Uint32)left : 50);
		return;
	case FEED_CARD:
		if (reader_post_uid(f->key, uid, uid_len) != 0) {
			fprintf(stderr, "feed: line %ld: card event not posted\n", no);
			return;
		}
		break;
	default:
		break;
	}
	memset(uid, 0, sizeof(uid));
	post(f, &cmd);
}

static int feed_main(void *arg)
{
	struct feed *f = arg;
	char buf[PR_FEED_LINE_MAX];
	size_t have = 0;
	long no = 0;
	int skipping = 0;

	while (!SDL_AtomicGet(&f->stop)) {
		struct pollfd pf[2] = {{f->fd, POLLIN, 0}, {f->stop_pipe[0], POLLIN, 0}};
		ssize_t n;
		char *nl;
		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pf[1].revents)
			break;
		n = read(f->fd, buf + have, sizeof(buf) - 1 - have);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			if (have > 0 && !skipping) {   /* last line without newline */
				buf[have] = '\0';
				handle_line(f, buf, ++no);
			}
			break;
		}
		have += (size_t)n;
		buf[have] = '\0';
		while ((nl = memchr(buf, '\n', have)) != NULL) {
			*nl = '\0';
			no++;
			if (skipping)
				skipping = 0;
			else
				handle_line(f, buf, no);
			have -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, have);
			buf[have] = '\0';
			if (SDL_AtomicGet(&f->stop))
				return 0;
		}
		if (have == sizeof(buf) - 1) {
			fprintf(stderr, "feed: line %ld: line too long\n", no + 1);
			have = 0;
			skipping = 1;
		}
	}
	return 0;
}

int feed_start(const char *path, const uint8_t key[PR_ORG_KEY_BYTES],
    struct feed **out)
{
	struct feed *f;

	*out = NULL;
	if (feed_ev == (uint32_t)-1) {
		Uint32 t = SDL_RegisterEvents(1);
		if (t == (Uint32)-1)
			return -1;
		feed_ev = t;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	f->fd = -1;
	f->stop_pipe[0] = f->stop_pipe[1] = -1;
	memcpy(f->key, key, PR_ORG_KEY_BYTES);
	f->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (f->fd < 0) {
		fprintf(stderr, "feed: cannot open %s: %s\n", path, strerror(errno));
		goto fail;
	}
	if (pipe2(f->stop_pipe, O_CLOEXEC) != 0)
		goto fail;
	f->ack = SDL_CreateSemaphore(0);
	if (!f->ack)
		goto fail;
	f->thread = SDL_CreateThread(feed_main, "feed", f);
	if (!f->thread)
		goto fail;
	*out = f;
	return 0;
fail:
	feed_stop(f);
	return -1;
}

void feed_ack(struct feed *f)
{
	if (f && f->ack)
		SDL_SemPost(f->ack);
}

void feed_stop(struct feed *f)
{
	if (!f)
		return;
	SDL_AtomicSet(&f->stop, 1);
	if (f->stop_pipe[1] >= 0 && write(f->stop_pipe[1], "x", 1) < 0)
		perror("feed: stop");
	if (f->thread)
		SDL_WaitThread(f->thread, NULL);
	if (f->ack)
		SDL_DestroySemaphore(f->ack);
	if (f->fd >= 0)
		close(f->fd);
	if (f->stop_pipe[0] >= 0)
		close(f->stop_pipe[0]);
	if (f->stop_pipe[1] >= 0)
		close(f->stop_pipe[1]);
	memset(f->key, 0, sizeof(f->key));
	free(f);
}
