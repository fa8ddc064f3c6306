/* main.c — pn532-emu: a PN532 on a pseudo-terminal, for testing the real
 * libnfc (pn532_uart driver) without hardware. Owns the pty (openpty, slave
 * in raw mode, one slave fd kept open so the master never sees EIO), an
 * optional stable symlink to the slave, the control channel and the loop.
 *
 *   pn532-emu [--link PATH] [--ctl FIFO] [--real-poll|--chip-timing] [-v]
 *
 * First stdout line: the slave path (/dev/pts/N). Then one line per control
 * command: "ok ..." or "err ...". Control lines (stdin, or the FIFO):
 *   card HEX [ATQA SAK] | remove | unplug | replug | garbage [N] | noise |
 *   slow MS | mute on|off | realpoll on|off | trytime US | stats | timing |
 *   quit
 * --real-poll (= --chip-timing, `realpoll on`): chip-accurate timing — the
 * HSU wire time of every frame, ACK then answer, the RF time of polls,
 * anticollision and exchanges (timing.c, docs/NFC.md "Emulator timing").
 * Must not: print a card UID. See docs/NFC.md for the design. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "emu.h"

#define CTL_LINE_MAX   256
#define SLAVE_PATH_MAX 128
#define GARBAGE_MAX    1000
#define EMU_LINK_MAX   4096
#define CTL_ARGS       4
#define TRYTIME_MAX_US 100000

struct emu {
	struct emu_chip chip;
	struct emu_rx rx;
	int master, slave;            /* -1 while unplugged */
	char slave_path[SLAVE_PATH_MAX];
	const char *link;             /* stable symlink, or NULL */
	int ctl;                      /* control fd */
	char line[CTL_LINE_MAX];
	size_t line_len;
	int line_overflow;
	unsigned garbage_left;        /* corrupt this many answers */
	unsigned garbage_kind;
	int mute;                     /* chip deaf and silent */
	struct emu_wire wire;         /* the chip's transmit line */
	int64_t card_us;              /* last `card` line handled */
	int verbose;
	int quit;
};

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* One answer line on stdout, flushed: the test reads it. */
static void
say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

/* Point the stable link at the current slave: symlink beside it, rename over. */
static int
link_update(struct emu *e)
{
	char tmp[EMU_LINK_MAX];
	int n;

	if (!e->link)
		return 0;
	n = snprintf(tmp, sizeof(tmp), "%s.new", e->link);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return -1;
	unlink(tmp);
	if (symlink(e->slave_path, tmp) != 0 || rename(tmp, e->link) != 0) {
		perror("pn532-emu: link");
		unlink(tmp);
		return -1;
	}
	return 0;
}

static void
pty_close(struct emu *e)
{
	if (e->master >= 0)
		close(e->master);
	if (e->slave >= 0)
		close(e->slave);
	e->master = e->slave = -1;
	e->wire.fd = -1;
	e->wire.n = 0;
	e->rx.len = 0;
	if (e->link)
		unlink(e->link);
}

static int
pty_open(struct emu *e)
{
	struct termios t;
	char name[SLAVE_PATH_MAX];
	int m = -1, s = -1, fl;

	memset(name, 0, sizeof(name));
	if (openpty(&m, &s, name, NULL, NULL) != 0) {
		perror("pn532-emu: openpty");
		return -1;
	}
	if (tcgetattr(s, &t) != 0)
		goto fail;
	cfmakeraw(&t);
	cfsetispeed(&t, B115200);
	cfsetospeed(&t, B115200);
	if (tcsetattr(s, TCSANOW, &t) != 0)
		goto fail;
	fl = fcntl(m, F_GETFL);
	if (fl < 0 || fcntl(m, F_SETFL, fl | O_NONBLOCK) != 0)
		goto fail;
	fcntl(m, F_SETFD, FD_CLOEXEC);
	fcntl(s, F_SETFD, FD_CLOEXEC);
	e->master = m;
	e->wire.fd = m;
	e->slave = s;
	memcpy(e->slave_path, name, sizeof(e->slave_path));
	e->slave_path[sizeof(e->slave_path) - 1] = '\0';
	emu_chip_reset(&e->chip);       /* power-on state */
	if (link_update(e) != 0) {
		pty_close(e);
		return -1;
	}
	return 0;
fail:
	perror("pn532-emu: pty setup");
	close(m);
	close(s);
	return -1;
}

static void
wire_send(struct emu *e, const uint8_t *b, size_t n)
{
	emu_wire_send(&e->wire, b, n, now_us(), 0, e->chip.real_poll);
}

static void
send_reply(struct emu *e)
{
	struct emu_chip *c = &e->chip;
	uint8_t f[EMU_FRAME_MAX];
	enum emu_corrupt how = EMU_CORRUPT_NONE;
	size_t n;

	if (e->garbage_left > 0) {
		e->garbage_left--;
		how = (enum emu_corrupt)(1 + e->garbage_kind++ % (EMU_CORRUPT_KINDS - 1));
		c->st.corrupted++;
	}
	if (c->reply_is_error && how == EMU_CORRUPT_NONE) {
		emu_wire_send(&e->wire, emu_error_frame, sizeof(emu_error_frame),
		    c->reply_due_us, 0, c->real_poll);
	} else {
		/* InAutoPoll (0x61) or InListPassiveTarget (0x4B) with a target */
		int found = c->reply_len >= 2 && c->reply[1] > 0 &&
		    (c->reply[0] == 0x61 || c->reply[0] == 0x4B);
		n = emu_frame_build(c->reply, c->reply_len, f, sizeof(f), how);
		emu_wire_send(&e->wire, f, n, c->reply_due_us, found, c->real_poll);
	}
	c->reply_due_us = -1;
}

static void
on_host_bytes(struct emu *e)
{
	uint8_t buf[1024], cmd[EMU_DATA_MAX];
	ssize_t r;
	size_t n;
	enum emu_frame_kind k;

	for (;;) {
		r = read(e->master, buf, sizeof(buf));
		if (r <= 0)
			break;
		if (e->mute)
			continue;
		emu_rx_push(&e->rx, buf, (size_t)r);
	}
	while ((k = emu_frame_next(&e->rx, cmd, sizeof(cmd), &n)) != EMU_FRAME_NONE) {
		int64_t t = now_us();

		switch (k) {
		case EMU_FRAME_ACK:
			if (e->verbose)
				fprintf(stderr, "pn532-emu: host ACK (abort)\n");
			emu_chip_abort(&e->chip);
			if (e->chip.real_poll)
				emu_wire_abort(&e->wire, t);
			break;
		case EMU_FRAME_NACK:
			e->chip.st.nacks_in++;
			memcpy(e->chip.reply, e->chip.last, e->chip.last_len);
			e->chip.reply_len = e->chip.last_len;
			e->chip.reply_is_error = 0;
			e->chip.reply_due_us = t;
			break;
		case EMU_FRAME_CMD:
			if (e->verbose)
				fprintf(stderr, "pn532-emu: command 0x%02x, %zu bytes\n",
				    n ? cmd[0] : 0xFFu, n);
			/* chip-accurate: the frame's last byte (00 00 FF LEN LCS
			 * TFI data DCS 00 = n + 8 bytes) arrives after its wire
			 * time; the chip ACKs it, then works. */
			if (e->chip.real_poll)
				t += emu_wire_us(n + 8);
			emu_wire_send(&e->wire, emu_ack_frame, sizeof(emu_ack_frame), t,
			    0, e->chip.real_poll);
			emu_chip_command(&e->chip, cmd, n, t);
			break;
		case EMU_FRAME_BAD:
			e->chip.st.bad_frames++;
			break;
		case EMU_FRAME_NONE:
			break;
		}
	}
}

static int
hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Strict hex into out; returns the byte count or -1. */
static int
parse_hex(const char *s, uint8_t *out, size_t cap)
{
	size_t len = strlen(s), i;

	if (len == 0 || len % 2 || len / 2 > cap)
		return -1;
	for (i = 0; i < len / 2; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (int)i;
}

static int
parse_uint(const char *s, unsigned max, unsigned *out)
{
	char *end;
	unsigned long v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static void
cmd_card(struct emu *e, char *uid, char *atqa, char *sak)
{
	struct emu_card k;
	uint8_t b[2];
	int n;

	memset(&k, 0, sizeof(k));
	n = uid ? parse_hex(uid, k.uid, sizeof(k.uid)) : -1;
	if (n != 4 && n != 7 && n != 10) {
		say("err card: UID must be 4, 7 or 10 bytes of hex");
		return;
	}
	k.uid_len = (size_t)n;
	/* defaults: 4 bytes MIFARE Classic 1k, 7 bytes Ultralight/NTAG,
	 * 10 bytes a triple-size type 2 tag */
	k.atqa[0] = 0x00;
	k.atqa[1] = n == 4 ? 0x04 : 0x44;
	k.sak = n == 4 ? 0x08 : 0x00;
	if (atqa) {
		if (parse_hex(atqa, b, 2) != 2) {
			say("err card: ATQA must be 4 hex digits");
			return;
		}
		k.atqa[0] = b[0];
		k.atqa[1] = b[1];
	}
	if (sak) {
		if (parse_hex(sak, b, 1) != 1) {
			say("err card: SAK must be 2 hex digits");
			return;
		}
		k.sak = b[0];
	}
	e->card_us = now_us();
	emu_chip_card_in(&e->chip, &k, e->card_us);
	printf("ok card %d-byte\n", n);
	fflush(stdout);
}

static void
cmd_stats(struct emu *e)
{
	const struct emu_stats *s = &e->chip.st;

	printf("ok stats frames=%lu bad=%lu acks=%lu nacks=%lu autopolls=%lu "
	    "lists=%lu exchanges=%lu powerdowns=%lu unknown=%lu corrupted=%lu "
	    "plugged=%d\n", s->frames, s->bad_frames, s->acks_in, s->nacks_in,
	    s->autopolls, s->lists, s->exchanges, s->powerdowns, s->unknown,
	    s->corrupted, e->master >= 0);
	fflush(stdout);
}

/* Split line in place at blanks into at most CTL_ARGS words; the rest are
 * ignored. Returns the word count. */
static size_t
split_words(char *line, char *w[CTL_ARGS])
{
	size_t n = 0;
	char *p = line;

	while (n < CTL_ARGS) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			*p++ = '\0';
		if (!*p)
			break;
		w[n++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r')
			p++;
	}
	if (*p)
		*p = '\0';
	return n;
}

static void
on_line(struct emu *e, char *line)
{
	char *w[CTL_ARGS] = { NULL, NULL, NULL, NULL };
	char *verb, *a1, *a2, *a3;
	unsigned v;

	if (split_words(line, w) == 0)
		return;
	verb = w[0];
	a1 = w[1];
	a2 = w[2];
	a3 = w[3];

	if (strcmp(verb, "card") == 0) {
		cmd_card(e, a1, a2, a3);
	} else if (strcmp(verb, "remove") == 0) {
		emu_chip_card_out(&e->chip);
		say("ok remove");
	} else if (strcmp(verb, "unplug") == 0) {
		pty_close(e);
		say("ok unplug");
	} else if (strcmp(verb, "replug") == 0) {
		if (e->master >= 0)
			pty_close(e);
		if (pty_open(e) != 0)
			say("err replug");
		else
			say("ok replug %s", e->slave_path);
	} else if (strcmp(verb, "garbage") == 0) {
		v = 1;
		if (a1 && parse_uint(a1, GARBAGE_MAX, &v) != 0) {
			say("err garbage: count 0..1000");
			return;
		}
		e->garbage_left = v;
		say("ok garbage");
	} else if (strcmp(verb, "noise") == 0) {
		uint8_t junk[16];
		for (size_t i = 0; i < sizeof(junk); i++)
			junk[i] = (uint8_t)(random() & 0xFF);
		wire_send(e, junk, sizeof(junk));
		say("ok noise");
	} else if (strcmp(verb, "slow") == 0) {
		if (parse_uint(a1, 60000, &v) != 0) {
			say("err slow: milliseconds 0..60000");
			return;
		}
		e->chip.slow_ms = v;
		say("ok slow");
	} else if (strcmp(verb, "mute") == 0 || strcmp(verb, "realpoll") == 0) {
		int on = a1 && strcmp(a1, "on") == 0;
		if (!a1 || (!on && strcmp(a1, "off") != 0)) {
			say("err %s: on or off", verb);
			return;
		}
		if (verb[0] == 'm') {
			e->mute = on;
		} else {
			e->chip.real_poll = on;
			e->wire.n = 0;
		}
		say("ok %s", verb);
	} else if (strcmp(verb, "trytime") == 0) {
		if (parse_uint(a1, TRYTIME_MAX_US, &v) != 0 || v == 0) {
			say("err trytime: microseconds 1..100000");
			return;
		}
		e->chip.try_us = v;
		say("ok trytime");
	} else if (strcmp(verb, "timing") == 0) {
		/* CLOCK_MONOTONIC is one clock for all processes: the bench
		 * compares this with its own timestamps. */
		say("ok timing found_us=%lld card_us=%lld", (long long)e->wire.found_us,
		    (long long)e->card_us);
	} else if (strcmp(verb, "stats") == 0) {
		cmd_stats(e);
	} else if (strcmp(verb, "quit") == 0) {
		e->quit = 1;
		say("ok quit");
	} else {
		say("err unknown command %s", verb);
	}
}

/* Read control bytes; returns -1 on EOF of stdin (the test went away). */
static int
on_ctl(struct emu *e)
{
	char buf[512];
	ssize_t r = read(e->ctl, buf, sizeof(buf));

	if (r == 0)
		return -1;
	if (r < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -1;
	for (ssize_t i = 0; i < r; i++) {
		if (buf[i] == '\n') {
			e->line[e->line_len] = '\0';
			if (e->line_overflow)
				say("err line too long");
			else
				on_line(e, e->line);
			e->line_len = 0;
			e->line_overflow = 0;
		} else if (e->line_len + 1 < sizeof(e->line)) {
			e->line[e->line_len++] = buf[i];
		} else {
			e->line_overflow = 1;
		}
	}
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: pn532-emu [--link PATH] [--ctl FIFO] "
	    "[--real-poll|--chip-timing] [-v]\n");
}

int
main(int argc, char **argv)
{
	struct emu *e;
	const char *ctl_path = NULL;
	int rc = 1;

	e = calloc(1, sizeof(*e));
	if (!e)
		return 1;
	e->master = e->slave = e->ctl = -1;
	e->wire.fd = -1;
	e->chip.real_poll = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--link") == 0 && i + 1 < argc) {
			e->link = argv[++i];
		} else if (strcmp(argv[i], "--ctl") == 0 && i + 1 < argc) {
			ctl_path = argv[++i];
		} else if (strcmp(argv[i], "--real-poll") == 0 ||
		    strcmp(argv[i], "--chip-timing") == 0) {
			e->chip.real_poll = 1;
		} else if (strcmp(argv[i], "-v") == 0) {
			e->verbose = e->wire.verbose = 1;
		} else {
			usage();
			goto out;
		}
	}
	if (e->link && strlen(e->link) + 5 > EMU_LINK_MAX) {
		fprintf(stderr, "pn532-emu: link path too long\n");
		goto out;
	}
	signal(SIGPIPE, SIG_IGN);
	srandom((unsigned)now_us());
	if (ctl_path) {
		if (mkfifo(ctl_path, 0600) != 0 && errno != EEXIST) {
			perror("pn532-emu: mkfifo");
			goto out;
		}
		/* O_RDWR: writers may come and go without an EOF here */
		e->ctl = open(ctl_path, O_RDWR | O_CLOEXEC);
		if (e->ctl < 0) {
			perror("pn532-emu: control fifo");
			goto out;
		}
	} else {
		e->ctl = STDIN_FILENO;
	}
	emu_chip_reset(&e->chip);
	if (pty_open(e) != 0)
		goto out;
	say("%s", e->slave_path);

	while (!e->quit) {
		struct pollfd p[2];
		nfds_t np = 0;
		int64_t t = now_us(), next = emu_chip_next_us(&e->chip);
		int64_t tx = emu_wire_next_us(&e->wire);
		struct timespec ts, *timeout = NULL;

		if (tx >= 0 && (next < 0 || tx < next))
			next = tx;
		if (next >= 0) {        /* to the microsecond: the bench times it */
			int64_t left = next <= t ? 0 : next - t;
			ts.tv_sec = (time_t)(left / 1000000);
			ts.tv_nsec = (long)(left % 1000000) * 1000L;
			timeout = &ts;
		}
		p[np++] = (struct pollfd){ .fd = e->ctl, .events = POLLIN };
		if (e->master >= 0)
			p[np++] = (struct pollfd){ .fd = e->master, .events = POLLIN };
		if (ppoll(p, np, timeout, NULL) < 0 && errno != EINTR) {
			perror("pn532-emu: poll");
			goto out;
		}
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			if (on_ctl(e) != 0)
				break;          /* stdin closed: the test is gone */
		}
		if (np > 1 && e->master >= 0 && (p[1].revents & POLLIN))
			on_host_bytes(e);
		t = now_us();
		emu_chip_tick(&e->chip, t);
		if (e->chip.reply_due_us >= 0 && e->chip.reply_due_us <= t) {
			if (e->mute || e->master < 0)
				e->chip.reply_due_us = -1;
			else
				send_reply(e);
		}
		if (e->mute)
			e->wire.n = 0;
		emu_wire_flush(&e->wire, now_us());
	}
	rc = 0;
out:
	pty_close(e);
	if (ctl_path && e->ctl >= 0)
		close(e->ctl);
	free(e);
	return rc;
}
