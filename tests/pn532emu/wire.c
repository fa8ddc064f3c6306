/* wire.c — the emulated chip's transmit line to the host: a frame is
 * written to the pty at once (instant mode) or when its last byte would
 * have crossed the 115200 baud HSU wire after the frames before it
 * (chip-accurate mode, timing.c). Remembers when the last answer with a
 * card went out, for the bench.
 * Must not: parse or build frames (frame.c) or know what they mean. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "emu.h"

static int64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Write to the host; a UART drops what the other side does not take. */
static void
wire_write(struct emu_wire *w, const uint8_t *b, size_t n)
{
	ssize_t r;

	if (w->fd < 0 || n == 0)
		return;
	do
		r = write(w->fd, b, n);
	while (r < 0 && errno == EINTR);
	if (r != (ssize_t)n && w->verbose)
		fprintf(stderr, "pn532-emu: %zd of %zu bytes written\n", r, n);
}

void
emu_wire_send(struct emu_wire *w, const uint8_t *b, size_t n, int64_t ready,
    int found, int timed)
{
	struct emu_tx *t;
	int64_t start;

	if (!timed) {
		if (found)
			w->found_us = mono_us();  /* just before the host can read it */
		wire_write(w, b, n);
		return;
	}
	if (w->n == EMU_TXQ_MAX || n > sizeof(t->b))
		return;                 /* an overrun: the host retries */
	start = ready > w->free_us ? ready : w->free_us;
	t = &w->q[w->n++];
	memcpy(t->b, b, n);
	t->n = n;
	t->due_us = start + emu_wire_us(n);
	t->found = found;
	w->free_us = t->due_us;
}

void
emu_wire_flush(struct emu_wire *w, int64_t now)
{
	size_t k = 0;

	while (k < w->n && w->q[k].due_us <= now) {
		if (w->q[k].found)
			w->found_us = mono_us();
		wire_write(w, w->q[k].b, w->q[k].n);
		k++;
	}
	if (k) {
		memmove(w->q, w->q + k, (w->n - k) * sizeof(w->q[0]));
		w->n -= k;
	}
}

void
emu_wire_abort(struct emu_wire *w, int64_t now)
{
	while (w->n > 0 &&
	    w->q[w->n - 1].due_us - emu_wire_us(w->q[w->n - 1].n) > now)
		w->n--;
	if (w->n == 0 && w->free_us > now)
		w->free_us = now;
}

int64_t
emu_wire_next_us(const struct emu_wire *w)
{
	return w->n > 0 ? w->q[0].due_us : -1;
}
