/* termreader.h — the terminal as a demo card reader (`make run` without a
 * display or NFC reader): keys 1-9 tap demo card 0400000000000N, p opens
 * the PIN pad, h goes home, q quits. Reads stdin in its own thread with the
 * terminal in non-canonical, no-echo mode (Ctrl-C still works) and restores
 * it on stop. Must not: print the UIDs it taps. */
#ifndef PRESENTIE_TERMREADER_H
#define PRESENTIE_TERMREADER_H

#include <stdint.h>

#include "limits.h"

#define TERMREADER_DEMO_CARDS 9

enum termreader_code { TERMREADER_PIN = 1, TERMREADER_HOME = 2 };

/* SDL event type for the non-card keys (code = enum termreader_code). */
extern uint32_t termreader_ev;

struct termreader;

/* The demo UID for key n (1..9): 04 00 00 00 00 00 0n. Returns 0 or -1. */
int termreader_demo_uid(int n, uint8_t uid[7]);

/* Start the thread. Requires SDL_Init and reader_events_init. Returns 0 and
 * *out, or -1 (terminal left as it was). */
int termreader_start(const uint8_t key[PR_ORG_KEY_BYTES],
    struct termreader **out);
/* Stop, restore the terminal, free. NULL is a no-op. */
void termreader_stop(struct termreader *t);

#endif
