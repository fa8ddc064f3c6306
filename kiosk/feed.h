/* feed.h — the --feed test and automation input: a file or FIFO of lines
 *   card <uid-hex> | pin <digits> | touch <x> <y> | key <name> |
 *   wait <ms> | screenshot <file.png> | quit       ('#' comments, blank lines)
 * read in its own thread. Each command is posted to the main loop as an SDL
 * event and the next line waits until the main loop has drawn its effect
 * (feed_ack), so `screenshot` right after `card` shows the welcome screen.
 * A bad line is reported on stderr with its line number and skipped.
 * Must not: echo a card UID or PIN anywhere (errors name the line only). */
#ifndef PRESENTIE_FEED_H
#define PRESENTIE_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "limits.h"

#define FEED_WAIT_MAX_MS    600000   /* longest `wait` */
#define FEED_COORD_MAX      100000   /* largest touch coordinate */
#define FEED_ACK_TIMEOUT_MS 60000    /* give up waiting for the main loop */
#define FEED_KEY_NAME_MAX   32

enum feed_kind {
	FEED_CARD = 0,   /* the card was posted through reader_post_uid; this
	                    command only marks "its effect is drawn" */
	FEED_PIN,        /* text: the digits */
	FEED_TOUCH,      /* x, y */
	FEED_KEY,        /* text: SDL key name */
	FEED_WAIT,       /* x: milliseconds (handled in the feed thread) */
	FEED_SHOT,       /* text: file name */
	FEED_QUIT
};

struct feed_cmd {
	enum feed_kind kind;
	long line;                      /* 1-based line number in the feed */
	int x, y;
	char text[PR_FEED_LINE_MAX];
	int64_t t_read_ns;              /* CLOCK_MONOTONIC when the line was read */
};

struct feed;

/* SDL event type of feed commands; data1 = struct feed_cmd * (the receiver
 * frees it after calling feed_ack). Registered by feed_start. */
extern uint32_t feed_ev;

/* Parse one line (without the newline) into *out. Returns 1 for a command,
 * 0 for a blank or comment line, -1 with err for a bad line (err never
 * contains the line's text). For `card` the UID goes to uid/uid_len. */
int feed_parse(const char *line, struct feed_cmd *out, uint8_t *uid,
    size_t *uid_len, char *err, size_t errlen);

/* Start reading path in a thread; cards are MACed with key (copied).
 * Requires SDL_Init and reader_events_init. Returns 0 and *out, or -1. */
int feed_start(const char *path, const uint8_t key[PR_ORG_KEY_BYTES],
    struct feed **out);
/* The main loop has drawn the effect of the last command: read the next. */
void feed_ack(struct feed *f);
/* Stop the thread and free. NULL is a no-op. */
void feed_stop(struct feed *f);

#endif
