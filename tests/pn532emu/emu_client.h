/* emu_client.h — drive pn532-emu from a C test or bench: start it on pipes
 * with a stable symlink, send control lines, read its "ok"/"err" answers
 * with a bounded wait, stop it. Header-only (static inline) so test and
 * bench programs share it without a library.
 * Must not: wait without a bound; print what the emulator answers. */
#ifndef PN532EMU_CLIENT_H
#define PN532EMU_CLIENT_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EMU_CLIENT_LINE_MAX   256
#define EMU_CLIENT_PATH_MAX   4096    /* <limits.h> is shadowed by sync/common/limits.h */
#define EMU_CLIENT_REPLY_MS   3000    /* an answer must come within this */

struct emu_client {
	pid_t pid;
	int to, from;                   /* its stdin, its stdout */
	char buf[1024];
	size_t blen;
	char slave[EMU_CLIENT_LINE_MAX];
};

static inline int64_t
emu_client_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The emulator binary: $PN532_EMU, else ../pn532-emu next to this program. */
static inline int
emu_client_binary(char *out, size_t cap)
{
	const char *env = getenv("PN532_EMU");
	char self[EMU_CLIENT_PATH_MAX];
	ssize_t n;
	char *slash;
	int w;

	if (env && env[0]) {
		w = snprintf(out, cap, "%s", env);
		return w < 0 || (size_t)w >= cap ? -1 : 0;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return -1;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	w = snprintf(out, cap, "%s/../pn532-emu", self);
	return w < 0 || (size_t)w >= cap ? -1 : 0;
}

/* One line from the emulator within timeout_ms. Returns 0, or -1. */
static inline int
emu_client_line(struct emu_client *c, char *line, size_t cap, int timeout_ms)
{
	int64_t end = emu_client_now_ms() + timeout_ms;

	for (;;) {
		char *nl = memchr(c->buf, '\n', c->blen);
		if (nl) {
			size_t n = (size_t)(nl - c->buf);
			if (n >= cap)
				n = cap - 1;
			memcpy(line, c->buf, n);
			line[n] = '\0';
			c->blen -= (size_t)(nl - c->buf) + 1;
			memmove(c->buf, nl + 1, c->blen);
			return 0;
		}
		int64_t left = end - emu_client_now_ms();
		if (left <= 0 || c->blen == sizeof(c->buf))
			return -1;
		struct pollfd p = { .fd = c->from, .events = POLLIN };
		if (poll(&p, 1, (int)left) <= 0)
			continue;
		ssize_t r = read(c->from, c->buf + c->blen, sizeof(c->buf) - c->blen);
		if (r <= 0)
			return -1;
		c->blen += (size_t)r;
	}
}

/* Start the emulator with a stable link (and extra args, NULL-ended).
 * Returns 0 with c->slave set, or -1. */
static inline int
emu_client_start(struct emu_client *c, const char *link, const char *extra)
{
	char bin[EMU_CLIENT_PATH_MAX];
	int in[2], out[2];

	memset(c, 0, sizeof(*c));
	c->pid = -1;
	c->to = c->from = -1;
	if (emu_client_binary(bin, sizeof(bin)) != 0)
		return -1;
	if (pipe2(in, O_CLOEXEC) != 0)
		return -1;
	if (pipe2(out, O_CLOEXEC) != 0) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	c->pid = fork();
	if (c->pid == 0) {
		dup2(in[0], STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		if (extra)
			execl(bin, "pn532-emu", "--link", link, extra, (char *)NULL);
		else
			execl(bin, "pn532-emu", "--link", link, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	c->to = in[1];
	c->from = out[0];
	if (c->pid < 0 ||
	    emu_client_line(c, c->slave, sizeof(c->slave), EMU_CLIENT_REPLY_MS) != 0 ||
	    strncmp(c->slave, "/dev/", 5) != 0)
		return -1;
	return 0;
}

/* Send one control line; the answer goes into reply (may be NULL).
 * Returns 0 if it starts with "ok", -1 otherwise. */
static inline int
emu_client_cmd(struct emu_client *c, const char *cmd, char *reply, size_t cap)
{
	char line[EMU_CLIENT_LINE_MAX];
	char tmp[EMU_CLIENT_LINE_MAX];
	int n = snprintf(line, sizeof(line), "%s\n", cmd);

	if (n < 0 || (size_t)n >= sizeof(line))
		return -1;
	if (write(c->to, line, (size_t)n) != n)
		return -1;
	if (!reply) {
		reply = tmp;
		cap = sizeof(tmp);
	}
	if (emu_client_line(c, reply, cap, EMU_CLIENT_REPLY_MS) != 0)
		return -1;
	return strncmp(reply, "ok", 2) == 0 ? 0 : -1;
}

/* Stop it (quit, then SIGKILL after a second). */
static inline void
emu_client_stop(struct emu_client *c)
{
	int64_t end;
	int st;

	if (c->pid <= 0)
		goto out;
	if (c->to < 0 || write(c->to, "quit\n", 5) != 5)
		kill(c->pid, SIGKILL);
	end = emu_client_now_ms() + 1000;
	while (waitpid(c->pid, &st, WNOHANG) == 0) {
		if (emu_client_now_ms() > end) {
			kill(c->pid, SIGKILL);
			waitpid(c->pid, &st, 0);
			break;
		}
		usleep(10000);
	}
out:
	if (c->to >= 0)
		close(c->to);
	if (c->from >= 0)
		close(c->from);
	c->to = c->from = -1;
	c->pid = -1;
}

#endif
